package iac

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// document is the JSON document an attribute writes, when a path steps
// past it: jsonencode({...}) or jsonencode([...]) read as the object or list it encodes (its unknown
// parts stay unknown), a heredoc or string of JSON decoded, with a
// template's interpolations unknown. Every node of it points at the
// attribute.
func (n tfNode) document() (rnode, bool) {
	switch e := n.expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		if e.Name != "jsonencode" || len(e.Args) != 1 {
			return nil, false
		}
		switch e.Args[0].(type) {
		case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
		default:
			return nil, false
		}
		r := e.Args[0].Range()
		return pinned{rnode: n.at(e.Args[0], r.Start.Line, r.End.Line), line: n.line, end: n.end}, true
	case *hclsyntax.TemplateExpr:
		if _, known := valueIn(n.ctx, e); known {
			break
		}
		var text strings.Builder
		for _, p := range e.Parts {
			if l, ok := p.(*hclsyntax.LiteralValueExpr); ok {
				if s, ok := ctyScalar(l.Val); ok {
					text.WriteString(s)
					continue
				}
			}
			text.WriteString(unknownMark)
		}
		return jsonDocument(lit{text: text.String(), scalar: true}, true, n.line, n.end)
	}
	v, known := n.val()
	return jsonDocument(v, known, n.line, n.end)
}
