package iac

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// tfNode is a place in a Terraform resource: a block's body, an
// expression (an attribute's value, an object's field, a list element),
// or a value reached through the module's variables (the fields of
// `tags = local.tags`), which has no expression of its own and takes the
// lines of the expression that led to it.
type tfNode struct {
	body *hclsyntax.Body
	expr hclsyntax.Expression
	// v is the value of a node reached through an evaluated expression
	// (hasV).
	v    cty.Value
	hasV bool
	// ctx evaluates the node: the module's variables and locals, a
	// resource instance's each, a dynamic block's iterator.
	ctx       *hcl.EvalContext
	sizes     map[string]int
	line, end int
	// link places a resource's root node in its module, for the
	// conditions that read the resources it refers to or that refer to
	// it (referenced_by, refers_to); nil below the root.
	link *tfLink
}

func (n tfNode) span() (int, int) { return n.line, n.end }

// value is what the node's expression or value is, when known.
func (n tfNode) value() (cty.Value, bool) {
	if n.hasV {
		return n.v, n.v.IsWhollyKnown() && !n.v.IsNull()
	}
	if n.expr == nil || !exprBounded(n.ctx, n.expr, n.sizes) {
		return cty.NilVal, false
	}
	return valueIn(n.ctx, n.expr)
}

// opaque is an expression whose value is not known: a variable without a
// value, a reference to another resource, a function evaluation does not
// know.
func (n tfNode) opaque() bool {
	if n.body != nil {
		return false
	}
	if !n.hasV {
		switch n.expr.(type) {
		case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
			return false
		}
	}
	_, known := n.value()
	return !known
}

// child goes through attributes, nested blocks (dynamic blocks' content
// too, once per element when their for_each is known), object fields,
// every element of a list, and the fields of values that variables and
// locals hold.
func (n tfNode) child(name string) []rnode {
	var out []rnode
	if n.body != nil {
		if a, ok := n.body.Attributes[name]; ok {
			out = append(out, n.at(a.Expr, a.SrcRange.Start.Line, a.SrcRange.End.Line))
		}
		for _, b := range n.body.Blocks {
			switch {
			case b.Type == name:
				out = append(out, tfNode{body: b.Body, ctx: n.ctx, sizes: n.sizes, line: header(b), end: blockEnd(b)})
			case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == name:
				for _, c := range blocks(b.Body, "content") {
					for _, ctx := range dynamicContexts(n.ctx, n.sizes, b) {
						out = append(out, tfNode{body: c.Body, ctx: ctx, sizes: n.sizes, line: header(b), end: blockEnd(b)})
					}
				}
			}
		}
		return out
	}
	if !n.hasV {
		if obj, ok := n.expr.(*hclsyntax.ObjectConsExpr); ok {
			if v := objectFields(obj, n.ctx).get(name); v != nil {
				r := v.Range()
				out = append(out, n.at(v, r.Start.Line, r.End.Line))
			}
			return out
		}
		if t, ok := n.expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range t.Exprs {
				r := e.Range()
				out = append(out, n.at(e, r.Start.Line, r.End.Line).(tfNode).child(name)...)
			}
			return out
		}
	}
	v, ok := n.value()
	if !ok {
		return nil
	}
	return n.valueChild(v, name)
}

// at is the node of expression e, evaluated as n is.
func (n tfNode) at(e hclsyntax.Expression, line, end int) rnode {
	return tfNode{expr: e, ctx: n.ctx, sizes: n.sizes, line: line, end: end}
}

// valueChild is field name of an object or map value, or of each object
// in a list, at n's lines.
func (n tfNode) valueChild(v cty.Value, name string) []rnode {
	t := v.Type()
	switch {
	case t.IsObjectType():
		if t.HasAttribute(name) {
			return []rnode{tfNode{v: v.GetAttr(name), hasV: true, line: n.line, end: n.end}}
		}
	case t.IsMapType():
		if e := v.Index(cty.StringVal(name)); v.HasIndex(cty.StringVal(name)).True() {
			return []rnode{tfNode{v: e, hasV: true, line: n.line, end: n.end}}
		}
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		var out []rnode
		for it := v.ElementIterator(); it.Next() && len(out) < maxListElems; {
			_, e := it.Element()
			if e.IsKnown() && !e.IsNull() {
				out = append(out, n.valueChild(e, name)...)
			}
		}
		return out
	}
	return nil
}

// dynamicContexts are the contexts of a dynamic block's content: one per
// element of a known for_each (up to maxInstances), with the iterator
// (the block's label, or its iterator argument) set; else one where the
// iterator is unknown.
func dynamicContexts(ctx *hcl.EvalContext, sizes map[string]int, b *hclsyntax.Block) []*hcl.EvalContext {
	name := b.Labels[0]
	if a, ok := b.Body.Attributes["iterator"]; ok {
		if tr, diags := hcl.AbsTraversalForExpr(a.Expr); !diags.HasErrors() && len(tr) == 1 {
			name = tr.RootName()
		}
	}
	unknown := ctx.NewChild()
	unknown.Variables = map[string]cty.Value{name: cty.DynamicVal}
	a, ok := b.Body.Attributes["for_each"]
	if !ok {
		return []*hcl.EvalContext{unknown}
	}
	v, ok := tfNode{expr: a.Expr, ctx: ctx, sizes: sizes}.value()
	if !ok || !v.CanIterateElements() || v.LengthInt() > maxInstances {
		return []*hcl.EvalContext{unknown}
	}
	var out []*hcl.EvalContext
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if v.Type().IsSetType() {
			k = e
		}
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{name: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
		out = append(out, c)
	}
	return out
}

// val is a known scalar or list of scalars.
func (n tfNode) val() (lit, bool) {
	if n.body != nil {
		return lit{}, false
	}
	v, ok := n.value()
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

// dataChecks runs the checks of resource (or data source) b's type.
func (f *tfFile) dataChecks(b *hclsyntax.Block) {
	typ, id, key := checkedType(b), blockID(b), linkKey(b)
	root := tfNode{body: b.Body, ctx: f.ctx, sizes: f.mod.sizes, line: header(b), end: blockEnd(b),
		link: &tfLink{mod: f.mod, key: key, budget: new(int)}}
	*root.link.budget = maxLinkVisits
	for _, c := range f.checks[checkKey(formatTerraform, typ)] {
		if c.settled(f.refs[key]) {
			continue
		}
		for i, w := range c.firings(root) {
			line, end := header(b), blockEnd(b)
			if w != nil {
				line, end = w.span()
			}
			evidence := clip(strings.TrimSpace(f.line(line)))
			if c.Secret {
				evidence = tfSecretEvidence(evidence)
			}
			h := hit{rule: c.rule, line: line, endLine: line, blockStart: line, blockEnd: end,
				msg: checkMessage(c, id), identity: id + " " + c.ID, evidence: evidence}
			if i == 0 {
				h.fix = f.setFix(c, b) // sets one top-level attribute: the resource's first finding
			}
			f.hits = append(f.hits, h)
		}
	}
}

// tfSecretEvidence is a line that may hold a secret shown as its
// attribute name alone ("admin_pass = …").
func tfSecretEvidence(line string) string {
	key, _, _ := strings.Cut(line, "=")
	return clip(strings.TrimSpace(key)) + " = …"
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

// eachBlock calls fn with every nested block typ of body: written out,
// and the content of a dynamic block, once per element of its for_each
// with f.ctx set to that element's (dynamicContexts).
func (f *tfFile) eachBlock(body *hclsyntax.Body, typ string, fn func(b *hclsyntax.Block)) {
	base := f.ctx
	defer func() { f.ctx = base }()
	for _, b := range body.Blocks {
		switch {
		case b.Type == typ:
			fn(b)
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == typ:
			for _, c := range blocks(b.Body, "content") {
				for _, ctx := range dynamicContexts(base, f.mod.sizes, b) {
					f.ctx = ctx
					fn(c)
				}
			}
			f.ctx = base
		}
	}
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
