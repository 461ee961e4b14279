package iac

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// tfNode is a place in a Terraform resource: a block's body, or an
// expression (an attribute's value, an object's field, a list element).
type tfNode struct {
	body      *hclsyntax.Body
	expr      hclsyntax.Expression
	line, end int
}

func (n tfNode) span() (int, int) { return n.line, n.end }

// opaque is an expression that is not a literal, an object or a list
// written out (a variable, a reference, a function call).
func (n tfNode) opaque() bool {
	if n.expr == nil {
		return false
	}
	switch n.expr.(type) {
	case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
		return false
	}
	_, known := valueOf(n.expr)
	return !known
}

// child goes through attributes, nested blocks (dynamic blocks' content
// too), object fields, and every element of a list.
func (n tfNode) child(name string) []rnode {
	var out []rnode
	if n.body != nil {
		if a, ok := n.body.Attributes[name]; ok {
			out = append(out, tfNode{expr: a.Expr, line: a.SrcRange.Start.Line, end: a.SrcRange.End.Line})
		}
		for _, b := range n.body.Blocks {
			switch {
			case b.Type == name:
				out = append(out, tfNode{body: b.Body, line: header(b), end: blockEnd(b)})
			case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == name:
				for _, c := range blocks(b.Body, "content") {
					out = append(out, tfNode{body: c.Body, line: header(b), end: blockEnd(b)})
				}
			}
		}
		return out
	}
	for _, e := range elements(n.expr) {
		if obj, ok := e.(*hclsyntax.ObjectConsExpr); ok {
			if v := objectFields(obj).get(name); v != nil {
				r := v.Range()
				out = append(out, tfNode{expr: v, line: r.Start.Line, end: r.End.Line})
			}
		}
	}
	return out
}

// val is a literal's value; a block, a reference, a function call are not
// known.
func (n tfNode) val() (lit, bool) {
	if n.expr == nil {
		return lit{}, false
	}
	v, ok := valueOf(n.expr)
	if !ok {
		return lit{}, false
	}
	if s, ok := ctyScalar(v); ok {
		return lit{text: s, scalar: true}, true
	}
	t := v.Type()
	if !(t.IsListType() || t.IsSetType() || t.IsTupleType()) || v.LengthInt() > maxListElems {
		return lit{}, false
	}
	var list []lit
	for _, e := range v.AsValueSlice() {
		if s, ok := ctyScalar(e); ok {
			list = append(list, lit{text: s, scalar: true})
		}
	}
	return lit{list: list}, true
}

// maxListElems bounds the elements of one literal list a condition looks at.
const maxListElems = 4096

// ctyScalar is a string, number or bool value as text.
func ctyScalar(v cty.Value) (string, bool) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// elements are a tuple's elements, or the expression itself.
func elements(e hclsyntax.Expression) []hclsyntax.Expression {
	if t, ok := e.(*hclsyntax.TupleConsExpr); ok {
		return t.Exprs
	}
	return []hclsyntax.Expression{e}
}

// referencedBy indexes, for one file, the resources (TYPE.NAME) that a
// resource of some type refers to anywhere in its body.
func referencedBy(body *hclsyntax.Body) map[string]map[string]bool {
	refs := map[string]map[string]bool{}
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		from := b.Labels[0]
		walkExprs(b.Body, 0, func(e hclsyntax.Expression) {
			for _, tr := range e.Variables() {
				if len(tr) < 2 {
					continue
				}
				if attr, ok := tr[1].(hcl.TraverseAttr); ok {
					to := tr.RootName() + "." + attr.Name
					if refs[to] == nil {
						refs[to] = map[string]bool{}
					}
					refs[to][from] = true
				}
			}
		})
	}
	return refs
}

// walkExprs calls fn with every attribute expression of body and its
// nested blocks, to a depth the parser's own bound already limits.
func walkExprs(body *hclsyntax.Body, depth int, fn func(hclsyntax.Expression)) {
	if depth > scanners.MaxDepth {
		return
	}
	for _, a := range body.Attributes {
		fn(a.Expr)
	}
	for _, b := range body.Blocks {
		walkExprs(b.Body, depth+1, fn)
	}
}

// dataChecks runs the checks of resource b's type.
func (f *tfFile) dataChecks(b *hclsyntax.Block) {
	typ, id := b.Labels[0], blockID(b)
	root := tfNode{body: b.Body, line: header(b), end: blockEnd(b)}
	for _, c := range f.checks[checkKey(formatTerraform, typ)] {
		if c.settled(f.refs[typ+"."+b.Labels[1]]) {
			continue
		}
		w, ok := c.fires(root)
		if !ok {
			continue
		}
		line, end := header(b), blockEnd(b)
		if w != nil {
			line, end = w.span()
		}
		f.hits = append(f.hits, hit{rule: c.rule, line: line, endLine: line, blockStart: line, blockEnd: end,
			msg: checkMessage(c, id), identity: id + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(line))), fix: f.setFix(c, b)})
	}
}

// settled reports whether a resource that refers to this one carries
// the setting (unless_referenced_by).
func (c *dataCheck) settled(referrers map[string]bool) bool {
	for _, t := range c.Unless {
		if referrers[t] {
			return true
		}
	}
	return false
}

// setFix is c's one-click fix on b: the attribute replaced, or inserted
// when absent. The scanner's fix check keeps it only when the finding is
// gone after it.
func (f *tfFile) setFix(c *dataCheck, b *hclsyntax.Block) *scanners.Fix {
	if c.Set == nil {
		return nil
	}
	val := literal(c.Set.Value)
	if a, ok := b.Body.Attributes[c.Set.Path]; ok {
		return f.setAttr(a, val)
	}
	return f.insertAttr(b, c.Set.Path, val)
}
