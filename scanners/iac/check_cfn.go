package iac

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners/nest"
)

// looksCloudFormation reports whether a YAML file is a CloudFormation (or
// SAM) template: its version line, or, in a file that does not look like a
// Kubernetes manifest, resources of AWS types (or of Alexa::ASK:: types,
// CloudFormation's other namespace: an Alexa skill's template may hold no
// AWS:: type at all).
func looksCloudFormation(content []byte) bool {
	if bytes.Contains(content, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return !looksKubernetes(content) && bytes.Contains(content, []byte("Resources:")) &&
		(bytes.Contains(content, []byte("AWS::")) || bytes.Contains(content, []byte("Alexa::ASK::")))
}

// analyzeCloudFormation runs the CloudFormation checks over every resource
// of a YAML template: its Properties are the tree the checks' paths start
// from.
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
		f.cfnTemplate(root)
	}
	if err != nil {
		return f.hits, fmt.Errorf("CloudFormation template: %w", err)
	}
	return f.hits, nil
}

// analyzeCloudFormationJSON is analyzeCloudFormation for a JSON template
// (.json, .template). A JSON file that is not a template (looksCloudFormationJSON
// is false) is not parsed and has no findings.
func analyzeCloudFormationJSON(ctx context.Context, content []byte, checks checkSet) ([]hit, error) {
	if !looksCloudFormationJSON(content) {
		return nil, nil
	}
	root, err := decodeJSONNodes(ctx, content)
	if err != nil {
		return nil, fmt.Errorf("CloudFormation template: %w", err)
	}
	f := &k8sFile{lines: splitLines(content), checks: checks}
	f.cfnTemplate(root)
	return f.hits, nil
}

// cfnTemplate runs the checks of every resource of a template's root
// mapping, with its Parameters' defaults at hand.
func (f *k8sFile) cfnTemplate(root *yaml.Node) {
	resources := get2(root, "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return
	}
	params := cfnParams(get2(root, "Parameters"))
	if m := get2(root, "Mappings"); m != nil && m.Kind == yaml.MappingNode {
		if params == nil {
			params = map[string]*yaml.Node{}
		}
		params[mappingsKey] = m
	}
	globals := get2(root, "Globals")
	for i := 0; i+1 < len(resources.Content); i += 2 {
		f.cfnResource(resources.Content[i], resources.Content[i+1], params, globals)
	}
}

// samGlobals is the section of a SAM template's Globals whose properties a
// resource type inherits when it does not set them.
var samGlobals = map[string]string{
	"AWS::Serverless::Function": "Function", "AWS::Serverless::Api": "Api", "AWS::Serverless::HttpApi": "HttpApi",
	"AWS::Serverless::SimpleTable": "SimpleTable", "AWS::Serverless::StateMachine": "StateMachine",
}

// mappingsKey holds the template's Mappings among its parameters (no
// parameter's logical id has a space).
const mappingsKey = "Mappings "

// cfnParams maps each parameter with a literal scalar Default to it. A
// parameter of an SSM parameter type is left out: its Default names the
// Systems Manager parameter whose value the stack reads, it is not the value.
func cfnParams(ps *yaml.Node) map[string]*yaml.Node {
	if ps == nil || ps.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(ps.Content); i += 2 {
		if strings.HasPrefix(scalar(ps.Content[i+1], "Type"), "AWS::SSM::Parameter::") {
			continue
		}
		if d := get2(ps.Content[i+1], "Default"); d != nil && d.Kind == yaml.ScalarNode && !intrinsic(d) {
			out[ps.Content[i].Value] = d
		}
	}
	return out
}

// cfnResource runs the checks of one resource's Type.
func (f *k8sFile) cfnResource(name, r *yaml.Node, params map[string]*yaml.Node, globals *yaml.Node) {
	typ := scalar(r, "Type")
	cs := f.checks[checkKey(formatCloudFormation, typ)]
	if len(cs) == 0 {
		return
	}
	props := get2(r, "Properties")
	if props == nil {
		props = &yaml.Node{Kind: yaml.MappingNode, Line: name.Line}
	}
	root := cfnNode{n: props, keyLine: name.Line, params: params}
	if sec, ok := samGlobals[typ]; ok {
		if g := get2(globals, sec); g != nil && g.Kind == yaml.MappingNode {
			root.globals = g
		}
	}
	id := name.Value + " (" + typ + ")"
	header, end := name.Line, max(name.Line, lastLine(r))
	propsKey, _ := get(r, "Properties")
	for _, c := range cs {
		x, ws := c.firing(root)
		if len(ws) == 1 && x != nil {
			ws[0] = x.blockOf(root, ws[0])
		}
		for _, w := range ws {
			line, wend := header, end
			at := line // the line the evidence shows
			if w != nil {
				line, wend = w.span()
				at = line
				if propsKey != nil && (len(c.When) > 0 || x.crossSetting()) && topSetting(props, line) &&
					line > propsKey.Line && line-propsKey.Line <= 2 {
					// A judgement of the resource (selected by other settings, or
					// several settings together) on a setting that opens the
					// block starts at `Properties:`, as other reviewers point
					// at the block; the range stays short.
					line = propsKey.Line
				}
			}
			evidence := clip(strings.TrimSpace(f.line(at)))
			if c.Secret {
				evidence = secretEvidence(evidence)
			}
			f.hits = append(f.hits, hit{rule: c.rule, line: line, endLine: line, blockStart: line, blockEnd: wend,
				msg: checkMessage(c, id), identity: name.Value + " " + c.ID, evidence: evidence})
		}
	}
}

// topSetting reports whether a key of the Properties mapping is on line.
func topSetting(props *yaml.Node, line int) bool {
	if props == nil || props.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i < len(props.Content); i += 2 {
		if props.Content[i].Line == line {
			return true
		}
	}
	return false
}

// secretEvidence is a line that may hold a secret shown as its key alone
// ("UserData: …").
func secretEvidence(line string) string {
	key, _, _ := strings.Cut(strings.TrimLeft(line, "-{ "), ":")
	return clip(strings.TrimSpace(key)) + ": …"
}

// cfnNode is a place in a CloudFormation resource's Properties. Intrinsic
// functions are opaque (neither present nor missing, no value) except two,
// which are resolved to a literal where the template itself says what it
// is:
//
//   - a Ref to a parameter whose Default is a literal scalar is that
//     value (what the stack gets unless the deployer overrides it), so
//     `PubliclyAccessible: !Ref Pub` with `Default: true` is found,
//     anchored on the Ref's line;
//   - an Fn::If whose two branches are literals (or such Refs) that agree
//     is that value. Branches that differ are opaque: which one a stack
//     gets depends on a condition the template cannot settle, and judging
//     "any branch is bad" would flag every deliberately relaxed
//     development setting (`!If [IsProd, true, false]`).
//
// Three more are evaluated because the result is exact: Fn::Base64 of a
// literal is that literal (checks read what is encoded, the user data), an
// Fn::Sub whose string has no ${} is that string, and an Fn::Join of
// literals is the joined string.
//
// A SAM resource's root also has its Globals section: a property the
// resource does not set is read from there.
type cfnNode struct {
	n       *yaml.Node
	keyLine int
	params  map[string]*yaml.Node
	globals *yaml.Node
}

// maxIntrinsicNesting bounds how deep resolve follows Fn::If branches.
const maxIntrinsicNesting = 4

// at is the node for v, the value of a key on keyLine, with v resolved.
func (c cfnNode) at(v *yaml.Node, keyLine int) cfnNode {
	if r := c.resolve(v, maxIntrinsicNesting); r != nil {
		// Reported where the Ref or If is written, not at the Default.
		cp := *r
		cp.Line, cp.Column = v.Line, v.Column
		v = &cp
	}
	return cfnNode{n: v, keyLine: keyLine, params: c.params}
}

// resolve is the literal scalar an intrinsic function stands for (see
// cfnNode), or nil.
func (c cfnNode) resolve(v *yaml.Node, depth int) *yaml.Node {
	if depth == 0 || v == nil {
		return nil
	}
	name, args := intrinsicCall(v)
	switch name {
	case "Ref":
		if args.Kind == yaml.ScalarNode && args.Value != mappingsKey {
			return c.params[args.Value]
		}
	case "Fn::Base64":
		return c.literal(args, depth-1)
	case "Fn::Sub":
		return c.sub(args, depth-1)
	case "Fn::Join":
		return c.join(args, depth-1)
	case "Fn::FindInMap":
		return c.findInMap(args, depth-1)
	case "Fn::Select":
		return c.selectOf(args, depth-1)
	case "Fn::If":
		if args.Kind != yaml.SequenceNode || len(args.Content) != 3 {
			return nil
		}
		a, b := c.literal(args.Content[1], depth-1), c.literal(args.Content[2], depth-1)
		if a == nil || b == nil {
			return nil
		}
		va, oka := yScalar(a)
		vb, okb := yScalar(b)
		if oka && okb && va.text == vb.text {
			return a
		}
	}
	return nil
}

// maxJoined bounds the text an Fn::Join may build.
const maxJoined = 64 << 10

// join is the string an Fn::Join of literals builds, or nil.
func (c cfnNode) join(args *yaml.Node, depth int) *yaml.Node {
	if args.Kind != yaml.SequenceNode || len(args.Content) != 2 || args.Content[1].Kind != yaml.SequenceNode {
		return nil
	}
	sep := c.literal(args.Content[0], depth)
	if sep == nil {
		return nil
	}
	var parts []string
	n := 0
	for _, e := range args.Content[1].Content {
		l := c.literal(e, depth)
		if l == nil {
			return nil
		}
		if n += len(l.Value) + len(sep.Value); n > maxJoined {
			return nil
		}
		parts = append(parts, l.Value)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.Join(parts, sep.Value), Style: yaml.DoubleQuotedStyle}
}

// findInMap is the literal value an Fn::FindInMap of the template's
// Mappings names, its keys literals or what they resolve to (a parameter's
// Default, as a Ref), or nil.
func (c cfnNode) findInMap(args *yaml.Node, depth int) *yaml.Node {
	if args.Kind != yaml.SequenceNode || len(args.Content) < 3 || depth < 0 {
		return nil
	}
	v := c.params[mappingsKey]
	for _, k := range args.Content[:3] {
		l := c.literal(k, depth)
		if l == nil || v == nil || v.Kind != yaml.MappingNode {
			return nil
		}
		v = get2(v, l.Value)
	}
	if v == nil || v.Kind != yaml.ScalarNode || intrinsic(v) || v.Tag == "!!null" {
		return nil
	}
	return v
}

// selectOf is the literal an Fn::Select of a literal index picks from a list
// written in place, or nil.
func (c cfnNode) selectOf(args *yaml.Node, depth int) *yaml.Node {
	if args.Kind != yaml.SequenceNode || len(args.Content) != 2 || args.Content[1].Kind != yaml.SequenceNode || depth < 0 {
		return nil
	}
	i := c.literal(args.Content[0], depth)
	if i == nil {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(i.Value))
	if err != nil || n < 0 || n >= len(args.Content[1].Content) {
		return nil
	}
	return c.literal(args.Content[1].Content[n], depth)
}

// sub is the string an Fn::Sub builds when every variable is settled: a
// parameter's literal Default (as a Ref), or a literal of its variable map;
// ${!x} is the text ${x}. Nil when any variable stays unknown (a resource,
// a pseudo parameter, a GetAtt).
func (c cfnNode) sub(args *yaml.Node, depth int) *yaml.Node {
	text, vars := args, (*yaml.Node)(nil) // !Sub 'x': args is the tagged scalar itself
	if args.Kind == yaml.SequenceNode {
		if len(args.Content) != 2 || intrinsic(args.Content[0]) {
			return nil
		}
		text, vars = args.Content[0], args.Content[1]
	}
	if text.Kind != yaml.ScalarNode || depth < 0 || len(text.Value) > maxJoined {
		return nil
	}
	known, n := true, len(text.Value)
	out := subVariable.ReplaceAllStringFunc(text.Value, func(v string) string {
		if !known {
			return ""
		}
		name := strings.TrimSpace(v[2 : len(v)-1])
		value := ""
		switch w := get2(vars, name); {
		case strings.HasPrefix(name, "!"):
			value = "${" + name[1:] + "}"
		case w != nil:
			l := c.literal(w, depth)
			if l == nil {
				known = false
				return ""
			}
			value = l.Value
		case c.params[name] != nil && name != mappingsKey:
			value = c.params[name].Value
		default:
			known = false
			return ""
		}
		if n += len(value); n > maxJoined {
			known = false
			return ""
		}
		return value
	})
	if !known || len(out) > maxJoined {
		return nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: out, Style: yaml.DoubleQuotedStyle}
}

// literal is v when it is a plain scalar, else what it resolves to.
func (c cfnNode) literal(v *yaml.Node, depth int) *yaml.Node {
	if v.Kind == yaml.ScalarNode && !intrinsic(v) && v.Tag != "!!null" {
		return v
	}
	return c.resolve(v, depth)
}

// intrinsicCall splits an intrinsic function into its name (Ref, Fn::If)
// and its argument node, in both forms: `!If [c, a, b]` and
// `{"Fn::If": [c, a, b]}`. name is "" for anything else.
func intrinsicCall(v *yaml.Node) (name string, args *yaml.Node) {
	switch {
	case v.Kind == yaml.MappingNode && len(v.Content) == 2 && intrinsic(v):
		return v.Content[0].Value, v.Content[1]
	case strings.HasPrefix(v.Tag, "!") && !strings.HasPrefix(v.Tag, "!!"):
		tag := strings.TrimPrefix(v.Tag, "!")
		if tag != "Ref" && tag != "Condition" {
			tag = "Fn::" + tag
		}
		return tag, v
	}
	return "", nil
}

func (c cfnNode) opaque() bool { return intrinsic(c.n) }

// subVariable is a variable of an Fn::Sub string (${Name}, ${AWS::Region},
// ${!Literal}).
var subVariable = regexp.MustCompile(`\$\{[^}]*\}`)

// document is the JSON document a string value holds, when a path steps
// past it (see decoder): a policy written as a JSON string, or as an
// Fn::Sub of one whose variables stay unknown. Every node of it points at
// the value.
func (c cfnNode) document() (rnode, bool) {
	var text string
	switch name, args := intrinsicCall(c.n); {
	case name == "" && c.n.Kind == yaml.ScalarNode && c.n.ShortTag() == "!!str":
		text = c.n.Value
	case name == "Fn::Sub":
		if args.Kind == yaml.SequenceNode && len(args.Content) > 0 {
			args = args.Content[0]
		}
		if args.Kind != yaml.ScalarNode {
			return nil, false
		}
		text = subVariable.ReplaceAllString(args.Value, unknownMark)
	default:
		return nil, false
	}
	line, end := c.span()
	return jsonDocument(lit{text: text, scalar: true}, true, line, end)
}

func (c cfnNode) span() (int, int) { return yNode{n: c.n, keyLine: c.keyLine}.span() }

func (c cfnNode) val() (lit, bool) {
	if c.opaque() {
		return lit{}, false
	}
	return yNode{n: c.n, keyLine: c.keyLine}.val()
}

// child is the value of key name in a mapping, or in every mapping of a
// sequence.
func (c cfnNode) child(name string) []rnode {
	var out []rnode
	for _, m := range yElems(c.n) {
		if k, v := get(m, name); v != nil {
			out = append(out, c.at(v, k.Line))
		}
	}
	if len(out) == 0 && c.globals != nil {
		if k, v := get(c.globals, name); v != nil {
			out = append(out, c.at(v, k.Line))
		}
	}
	return out
}

// elements are a sequence's elements, each with its own line. The first
// starts at the list's key when it follows it at once (`Key:` then `- x`,
// or `"Key": [` then `{`): a finding on it then shows which list it is in,
// as other IaC reviewers point at the key.
func (c cfnNode) elements() (es []rnode, isList bool) {
	if c.opaque() || c.n.Kind != yaml.SequenceNode {
		return nil, false
	}
	for i, e := range c.n.Content {
		line := e.Line
		if i == 0 && c.keyLine > 0 && line-c.keyLine <= 1 && line >= c.keyLine {
			line = c.keyLine
		}
		es = append(es, c.at(e, line))
	}
	return es, true
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
