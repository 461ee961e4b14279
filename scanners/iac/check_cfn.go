package iac

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners/nest"
)

// looksCloudFormation reports whether a YAML file is a CloudFormation (or
// SAM) template: its version line, or, in a file that does not look like a
// Kubernetes manifest, resources of AWS types.
func looksCloudFormation(content []byte) bool {
	if bytes.Contains(content, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return !looksKubernetes(content) && bytes.Contains(content, []byte("Resources:")) && bytes.Contains(content, []byte("AWS::"))
}

// analyzeCloudFormation runs the CloudFormation checks over every resource
// of a template: its Properties are the tree the checks' paths start from.
// Intrinsic functions (!Ref, !Sub, Fn::GetAtt, ...) are values that cannot
// be seen.
func analyzeCloudFormation(ctx context.Context, content []byte, checks checkSet) ([]hit, error) {
	docs, err := nest.DecodeYAML(ctx, content)
	if err != nil && len(docs) == 0 {
		return nil, fmt.Errorf("CloudFormation template: %w", err)
	}
	f := &k8sFile{lines: splitLines(content), checks: checks}
	for _, d := range docs {
		root := d
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		_, resources := get(root, "Resources")
		if resources == nil || resources.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(resources.Content); i += 2 {
			f.cfnResource(resources.Content[i], resources.Content[i+1])
		}
	}
	if err != nil {
		return f.hits, fmt.Errorf("CloudFormation template: %w", err)
	}
	return f.hits, nil
}

// cfnResource runs the checks of one resource's Type.
func (f *k8sFile) cfnResource(name, r *yaml.Node) {
	typ := scalar(r, "Type")
	cs := f.checks[checkKey(formatCloudFormation, typ)]
	if len(cs) == 0 {
		return
	}
	props := get2(r, "Properties")
	if props == nil {
		props = &yaml.Node{Kind: yaml.MappingNode, Line: name.Line}
	}
	root := yNode{n: props, keyLine: name.Line, cfn: true}
	id := name.Value + " (" + typ + ")"
	header, end := name.Line, max(name.Line, lastLine(r))
	for _, c := range cs {
		w, ok := c.fires(root)
		if !ok {
			continue
		}
		line, wend := header, end
		if w != nil {
			line, wend = w.span()
		}
		f.hits = append(f.hits, hit{rule: c.rule, line: line, endLine: line, blockStart: line, blockEnd: wend,
			msg: checkMessage(c, id), identity: name.Value + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(line)))})
	}
}

// intrinsic reports a CloudFormation intrinsic function: a short-form tag
// (!Ref, !Sub) or a long-form mapping ({Ref: x}, {"Fn::GetAtt": [...]}).
func intrinsic(n *yaml.Node) bool {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
