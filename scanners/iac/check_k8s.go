package iac

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// yNode is a place in a Kubernetes object: a mapping, a sequence, or a
// scalar, with the line of the key that names it.
type yNode struct {
	n       *yaml.Node
	keyLine int
}

// opaque is false: every Kubernetes or Compose value can be seen
// (CloudFormation's intrinsic functions are cfnNode's).
func (y yNode) opaque() bool { return false }

func (y yNode) span() (int, int) {
	line := y.keyLine
	if line == 0 {
		line = y.n.Line
	}
	return line, max(line, lastLine(y.n))
}

// child is the value of key name in a mapping, or in every mapping of a
// sequence.
func (y yNode) child(name string) []rnode {
	var out []rnode
	for _, m := range yElems(y.n) {
		if k, v := get(m, name); v != nil {
			out = append(out, yNode{n: v, keyLine: k.Line})
		}
	}
	return out
}

// elements are a sequence's elements, each with its own line; isList is
// false for anything but a sequence.
func (y yNode) elements() (es []rnode, isList bool) {
	if y.opaque() || y.n.Kind != yaml.SequenceNode {
		return nil, false
	}
	for _, e := range y.n.Content {
		es = append(es, yNode{n: e, keyLine: e.Line})
	}
	return es, true
}

// yElems are a sequence's elements, or the node alone.
func yElems(n *yaml.Node) []*yaml.Node {
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

// val is a scalar's value, or a sequence of scalars; null and anything
// else is not known. An unquoted yes or on (no, off) is true (false),
// as Kubernetes reads YAML 1.1.
func (y yNode) val() (lit, bool) {
	if y.opaque() {
		return lit{}, false
	}
	switch y.n.Kind {
	case yaml.ScalarNode:
		return yScalar(y.n)
	case yaml.SequenceNode:
		if len(y.n.Content) > maxListElems {
			return lit{}, false
		}
		var list []lit
		for _, e := range y.n.Content {
			if v, ok := yScalar(e); ok {
				list = append(list, v)
			}
		}
		return lit{list: list}, true
	}
	return lit{}, false
}

func yScalar(n *yaml.Node) (lit, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return lit{}, false
	}
	if n.Tag == "!!bool" || (n.Tag == "!!str" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0) {
		switch strings.ToLower(n.Value) {
		case "true", "yes", "on":
			return lit{text: "true", scalar: true}, true
		case "false", "no", "off":
			return lit{text: "false", scalar: true}, true
		}
	}
	return lit{text: n.Value, scalar: true}, true
}

// k8sRoot is an object as checks see it: its fields, and "$pod", the pod
// spec wherever its kind keeps it.
type k8sRoot struct {
	yNode
	kind string
}

func (r k8sRoot) child(name string) []rnode {
	if name != "$pod" {
		return r.yNode.child(name)
	}
	path, _ := podPathOf(r.n, r.kind)
	var cur rnode = r.yNode
	for _, step := range path {
		next := cur.child(step)
		if len(next) != 1 {
			return nil
		}
		cur = next[0]
	}
	return []rnode{cur}
}

// dataChecks runs the checks of object o's kind; a patch (patchShaped, in
// a file whose path looks like a patch's) is judged only on what it sets.
func (f *k8sFile) dataChecks(o *yaml.Node, kind, objID string, header, docEnd int) {
	patch := f.patchPath && patchShaped(o)
	root := k8sRoot{yNode: yNode{n: o, keyLine: header}, kind: kind}
	for _, c := range f.checks[checkKey(formatKubernetes, kind)] {
		for _, w := range c.firings(root) {
			missing := w == nil || isAbsent(w)
			if missing && patch {
				continue
			}
			line, end := header, docEnd
			if w != nil {
				line, end = w.span()
			}
			f.hits = append(f.hits, hit{rule: c.rule, line: line, endLine: end, blockStart: line, blockEnd: end, missing: missing,
				msg: checkMessage(c, objID), identity: objID + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(line)))})
		}
	}
}
