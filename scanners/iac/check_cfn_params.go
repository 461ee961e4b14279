package iac

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// CloudFormation checks on how a template passes secrets through its
// Parameters: a secret parameter that CloudFormation shows to anyone who may
// describe the stack, and an Output that shows what NoEcho hides.
var (
	ruleCFNParamNoEcho = rule("cfn-secret-parameter-no-noecho", scanners.SeverityMedium,
		"Secret parameter without NoEcho",
		"CloudFormation shows a parameter's value in the console's Parameters tab and in DescribeStacks to every "+
			"principal allowed to describe the stack, unless the parameter sets `NoEcho: true`; a password or token "+
			"passed this way is readable far beyond the resource that uses it.",
		"Set `NoEcho: true` on the parameter (and keep it out of Outputs and Metadata), or drop the parameter and "+
			"read the secret with a dynamic reference (`{{resolve:secretsmanager:...}}`).",
		"CWE-200", "cfn-lint W2501",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds")
	ruleCFNOutputNoEcho = rule("cfn-output-shows-noecho-parameter", scanners.SeverityMedium,
		"Output shows a NoEcho parameter",
		"NoEcho masks a parameter in DescribeStacks, but an Output that returns it shows the value in clear to "+
			"everyone who may describe the stack, and to every stack that imports it.",
		"Remove the Output, or output the ARN of a secret that holds the value instead of the value.",
		"CWE-200", "cfn-lint W4002",
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html")
)

// cfnRefName names the parameter or resource a Ref refers to (`!Ref P`,
// `Ref: P`, `{"Ref": "P"}`), or "".
func cfnRefName(n *yaml.Node) string {
	switch {
	case n == nil:
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		return n.Value
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref" &&
		n.Content[1].Kind == yaml.ScalarNode:
		return n.Content[1].Value
	}
	return ""
}

// cfnSecretName reports a parameter or property name that names a secret
// (DbPassword, GitHubToken, MasterUserPassword), not something about one
// (DbSecretArn, PasswordLength, TokenTtl).
func cfnSecretName(name string) bool {
	return reSecretName.MatchString(name) && !reNotSecretName.MatchString(name) && !reCFNNotSecretName.MatchString(name)
}

// cfnMaxWalk bounds the nodes cfnSecretRefs visits in one template.
const cfnMaxWalk = 1 << 16

// cfnSecretRefs collects the parameters a secret-named key refers to
// anywhere below n (a resource's Properties or Metadata), with the key's
// line: `MasterUserPassword: !Ref DbPass`.
func cfnSecretRefs(n *yaml.Node, refs map[string]int, budget *int) {
	if n == nil || *budget <= 0 {
		return
	}
	*budget--
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if p := cfnRefName(v); p != "" && cfnSecretName(k.Value) {
				if _, seen := refs[p]; !seen {
					refs[p] = k.Line
				}
			}
			cfnSecretRefs(v, refs, budget)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			cfnSecretRefs(c, refs, budget)
		}
	}
}

// cfnParamNoEchoHits reports secret parameters without NoEcho, and Outputs
// that return a NoEcho parameter. A parameter counts as a secret when its
// name says so or a secret-named property takes it; a parameter of an AWS
// type (an SSM parameter's name, a key pair's name), a Number, or one
// chosen among AllowedValues holds no secret.
func cfnParamNoEchoHits(root *yaml.Node) []hit {
	ps := get2(root, "Parameters")
	if ps == nil || ps.Kind != yaml.MappingNode {
		return nil
	}
	refs, budget := map[string]int{}, cfnMaxWalk
	if rs := get2(root, "Resources"); rs != nil && rs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(rs.Content); i += 2 {
			cfnSecretRefs(get2(rs.Content[i+1], "Properties"), refs, &budget)
			cfnSecretRefs(get2(rs.Content[i+1], "Metadata"), refs, &budget)
		}
	}
	var hits []hit
	noEcho := map[string]bool{}
	for i := 0; i+1 < len(ps.Content); i += 2 {
		k, p := ps.Content[i], ps.Content[i+1]
		if p.Kind != yaml.MappingNode {
			continue
		}
		if strings.EqualFold(scalar(p, "NoEcho"), "true") {
			noEcho[k.Value] = true
			continue
		}
		typ := scalar(p, "Type")
		if strings.HasPrefix(typ, "AWS::") || typ == "Number" || typ == "List<Number>" || get2(p, "AllowedValues") != nil {
			continue
		}
		why := ""
		if refLine, ok := refs[k.Value]; ok {
			why = fmt.Sprintf("a secret property takes it (line %d)", refLine)
		} else if cfnSecretName(k.Value) {
			why = "its name says it holds a secret"
		} else {
			continue
		}
		hits = append(hits, hit{rule: ruleCFNParamNoEcho, line: k.Line, endLine: lastLine(p), blockStart: k.Line,
			blockEnd: lastLine(p),
			msg:      fmt.Sprintf("Parameter `%s` has no `NoEcho: true`; %s.", clip(k.Value), why),
			identity: k.Value + " parameter-no-noecho", evidence: clip(k.Value) + " (parameter)"})
	}
	return append(hits, cfnOutputNoEchoHits(get2(root, "Outputs"), noEcho)...)
}

// cfnOutputNoEchoHits reports Outputs whose Value is a NoEcho parameter,
// by Ref or inside a Sub or Join.
func cfnOutputNoEchoHits(outs *yaml.Node, noEcho map[string]bool) []hit {
	if outs == nil || outs.Kind != yaml.MappingNode || len(noEcho) == 0 {
		return nil
	}
	var hits []hit
	for i := 0; i+1 < len(outs.Content); i += 2 {
		k, v := outs.Content[i], get2(outs.Content[i+1], "Value")
		if v == nil {
			continue
		}
		shown := cfnParamsIn(v, noEcho, 256)
		if len(shown) == 0 {
			continue
		}
		hits = append(hits, hit{rule: ruleCFNOutputNoEcho, line: k.Line, endLine: lastLine(outs.Content[i+1]),
			blockStart: k.Line, blockEnd: lastLine(outs.Content[i+1]),
			msg: fmt.Sprintf("Output `%s` returns NoEcho parameter `%s`.", clip(k.Value),
				clip(strings.Join(shown, "`, `"))),
			identity: k.Value + " output-noecho", evidence: clip(k.Value) + " (output)"})
	}
	return hits
}

// cfnParamsIn names the parameters of set that n refers to: a Ref, or a
// ${Name} of a Sub string; at most budget nodes are visited.
func cfnParamsIn(n *yaml.Node, set map[string]bool, budget int) []string {
	found := map[string]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || budget <= 0 {
			return
		}
		budget--
		if p := cfnRefName(n); p != "" && set[p] {
			found[p] = true
		}
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${") {
			for p := range set {
				if strings.Contains(n.Value, "${"+p+"}") {
					found[p] = true
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	names := make([]string, 0, len(found))
	for p := range found {
		names = append(names, p)
	}
	sort.Strings(names)
	return names
}
