package iac

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// Checks across resources: a finding that belongs on the resource a
// reviewer reads (an IAM role) may depend on another resource (the
// aws_iam_role_policy that grants it an action). The conditions
// referenced_by and refers_to follow the references written in the
// module's blocks (`role = aws_iam_role.r.name`, `policy =
// data.aws_iam_policy_document.d.json`) from a resource's root.

// tfLink places a resource's root node in its module.
type tfLink struct {
	mod *tfModule
	// key is the block's address: TYPE.NAME, or data.TYPE.NAME.
	key string
	// depth counts the links followed to reach the block (bounded by
	// maxLinkDepth: references may form cycles).
	depth int
	// budget is what the checks of the resource checked may still visit
	// of other blocks (maxLinkVisits), shared along every chain from it.
	budget *int
}

// maxLinkDepth bounds the references one condition follows from the
// resource checked (a function, its role, the attachment that names the
// role, the policy the attachment attaches, the document it reads).
const maxLinkDepth = 4

// maxLinkVisits bounds the linked blocks the checks of one resource
// visit: past it a link condition does not hold (a hostile module of
// blocks that all refer to each other).
const maxLinkVisits = 4096

// maxLinks bounds the references indexed from or to one block.
const maxLinks = 256

// tfLinks indexes the module's blocks by address and the references
// between them.
type tfLinks struct {
	blocks map[string]*hclsyntax.Block
	// to are the addresses a block refers to; from, the blocks that
	// refer to an address.
	to, from map[string][]string
}

// checkedType is the type a check names to apply to block b: the resource
// type, data.TYPE for a data source, or module:SOURCE for a call of a
// registry module whose source is a literal (module:terraform-aws-modules/rds/aws;
// "" when the source cannot be read).
func checkedType(b *hclsyntax.Block) string {
	switch b.Type {
	case "data":
		return "data." + b.Labels[0]
	case "module":
		return moduleType(b)
	}
	return b.Labels[0]
}

// registryHost is the prefix a registry module's source may spell out.
const registryHost = "registry.terraform.io/"

// moduleType is module:SOURCE for a module call whose source is a literal
// string naming a registry module (NAMESPACE/NAME/PROVIDER); "" otherwise
// (local paths, git and URLs: their inputs are the author's own).
func moduleType(b *hclsyntax.Block) string {
	a, ok := b.Body.Attributes["source"]
	if !ok {
		return ""
	}
	v, ok := valueIn(literalCtx, a.Expr)
	if !ok || v.Type() != cty.String {
		return ""
	}
	src := strings.TrimPrefix(v.AsString(), registryHost)
	if strings.Count(src, "/") != 2 || strings.ContainsAny(src, ":?.") {
		return ""
	}
	return "module:" + src
}

// linkKey is block b's address, as references write it.
func linkKey(b *hclsyntax.Block) string {
	if b.Type == "module" {
		return "module." + b.Labels[0]
	}
	return checkedType(b) + "." + b.Labels[1]
}

// notResources are the roots of references that name no resource.
var notResources = map[string]bool{"var": true, "local": true, "each": true, "count": true, "module": true,
	"path": true, "terraform": true, "self": true}

// refAddress is the resource or data source a traversal names, if any.
func refAddress(tr hcl.Traversal) (string, bool) {
	var steps []string
	for _, t := range tr[1:] {
		a, ok := t.(hcl.TraverseAttr)
		if !ok {
			break
		}
		steps = append(steps, a.Name)
	}
	root := tr.RootName()
	switch {
	case root == "data" && len(steps) >= 2:
		return "data." + steps[0] + "." + steps[1], true
	case !notResources[root] && len(steps) >= 1:
		return root + "." + steps[0], true
	}
	return "", false
}

// indexLinks adds the resource and data blocks of body, and the
// references they write, to the module's links.
func (l *tfLinks) indexLinks(body *hclsyntax.Body) {
	if l.blocks == nil {
		l.blocks, l.to, l.from = map[string]*hclsyntax.Block{}, map[string][]string{}, map[string][]string{}
	}
	for _, b := range body.Blocks {
		if (b.Type != "resource" && b.Type != "data") || len(b.Labels) != 2 {
			continue
		}
		from := linkKey(b)
		if _, dup := l.blocks[from]; dup {
			continue
		}
		l.blocks[from] = b
		walkExprs(b.Body, 0, func(e hclsyntax.Expression) {
			for _, tr := range e.Variables() {
				to, ok := refAddress(tr)
				if !ok || to == from || len(l.to[from]) >= maxLinks || len(l.from[to]) >= maxLinks ||
					slices.Contains(l.to[from], to) {
					continue
				}
				l.to[from] = append(l.to[from], to)
				l.from[to] = append(l.from[to], from)
			}
		})
	}
}

// linked are the root nodes of the module's blocks of types that refer to
// n's resource (referrers) or that it refers to; none below a resource's
// root, or past maxLinkDepth.
func (n tfNode) linked(types []string, referrers bool) []rnode {
	if n.link == nil || n.link.mod == nil || n.link.depth >= maxLinkDepth {
		return nil
	}
	l := &n.link.mod.links
	keys := l.to[n.link.key]
	if referrers {
		keys = l.from[n.link.key]
	}
	var out []rnode
	for _, k := range keys {
		b := l.blocks[k]
		if b == nil || !slices.Contains(types, strings.TrimSuffix(k, "."+b.Labels[1])) {
			continue
		}
		if n.link.budget != nil {
			if *n.link.budget <= 0 {
				break
			}
			*n.link.budget--
		}
		out = append(out, tfNode{body: b.Body, ctx: n.link.mod.ctx, sizes: n.link.mod.sizes, line: header(b), end: blockEnd(b),
			link: &tfLink{mod: n.link.mod, key: k, depth: n.link.depth + 1, budget: n.link.budget}})
	}
	return out
}

// via is the attribute of n's resource that writes the reference to
// other (a linked root), where a finding caused through other points;
// nil when none (other refers to n).
func (n tfNode) via(other rnode) rnode {
	o, ok := other.(tfNode)
	if !ok || o.link == nil || n.body == nil {
		return nil
	}
	var found rnode
	var walk func(body *hclsyntax.Body, depth int)
	walk = func(body *hclsyntax.Body, depth int) {
		if depth > scanners.MaxDepth || found != nil {
			return
		}
		for _, name := range sortedKeys(body.Attributes) {
			a := body.Attributes[name]
			for _, tr := range a.Expr.Variables() {
				if to, ok := refAddress(tr); ok && to == o.link.key && found == nil {
					found = n.at(a.Expr, a.SrcRange.Start.Line, a.SrcRange.End.Line)
				}
			}
		}
		for _, b := range body.Blocks {
			walk(b.Body, depth+1)
		}
	}
	walk(n.body, 0)
	return found
}
