package iac

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// tfFile is one parsed Terraform file, analysed in its module.
type tfFile struct {
	path  string
	src   []byte
	lines []string
	body  *hclsyntax.Body
	hits  []hit
	// mod is the file's module: its variables and locals (in ctx), and
	// what the checks read across its files.
	mod *tfModule
	// ctx evaluates expressions: the module's, or one resource
	// instance's (each.key, each.value).
	ctx *hcl.EvalContext
	// types counts the resource types in the module (for settings that a
	// separate resource may carry).
	types map[string]int
	// accountBlocks are the public access block settings an
	// aws_s3_account_public_access_block in the module turns on for every
	// bucket.
	accountBlocks map[string]bool
	// refs names, for each resource (TYPE.NAME), the types of the
	// resources that refer to it (referencedBy).
	refs map[string]map[string]bool
	// checks are the data checks to run, by resource type.
	checks checkSet
	// modHits are the file's hits with the definitions their values came
	// through (tfModule.moduleHits).
	modHits []tfModuleHit
}

// analyzeTerraform analyses file p in its module (read through tree when
// there is one, else p alone): the findings on p's own resources, and,
// for a file that supplies a value (a variable's default, a .tfvars
// entry, a local, a module argument), the findings that value causes on
// resources in the module's other files, reported on the line that
// supplies it.
func analyzeTerraform(ctx context.Context, tree scanners.Tree, p string, content []byte, checks checkSet) (hits []hit, err error) {
	defer func() {
		if r := recover(); r != nil {
			hits, err = nil, fmt.Errorf("parsing Terraform: %v", r)
		}
	}()
	s, err := parseTF(p, content)
	if err != nil {
		return nil, err
	}
	var mod *tfModule
	if tree != nil {
		mod = moduleOf(ctx, tree, p, content)
	}
	if mod == nil {
		mod = &tfModule{dir: path.Dir(p), files: []*tfSource{s}}
		mod.evaluate(nil)
		mod.index()
	}
	if !tfvarsFile(p) {
		f := mod.fileOf(s, checks)
		f.run()
		hits = f.hits
	}
	hits = append(hits, mod.viaHits(p, checks)...)
	switch {
	case len(mod.gaps) > 0:
		err = fmt.Errorf("Terraform module %s evaluated in part (%d problems, first: %s): %w", dirName(mod.dir), len(mod.gaps), mod.gaps[0], scanners.ErrBound)
	case callsRemoteModule(s.body):
		err = errRemoteModule
	}
	return hits, err
}

// errRemoteModule says, in the review's notes, that a file calls a module
// shiftward does not fetch.
var errRemoteModule = &scanners.NoteError{Note: "Terraform modules from a registry or git are not fetched; the resources they create are not reviewed"}

// callsRemoteModule reports whether body calls a module that is not in
// the repository.
func callsRemoteModule(body *hclsyntax.Body) bool {
	for _, b := range body.Blocks {
		if b.Type != "module" {
			continue
		}
		a, ok := b.Body.Attributes["source"]
		if !ok {
			continue
		}
		v, ok := valueIn(literalCtx, a.Expr)
		if !ok || v.Type() != cty.String {
			return true
		}
		if src := v.AsString(); !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
			return true
		}
	}
	return false
}

// onlyNote reports whether err is nil or a NoteError: the file was
// analysed whole.
func onlyNote(err error) bool {
	var n *scanners.NoteError
	return err == nil || errors.As(err, &n)
}

// run analyses the file's blocks, each resource once per instance.
func (f *tfFile) run() {
	for _, b := range f.body.Blocks {
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			f.eachInstance(b, func() {
				f.resource(b)
				f.dataChecks(b)
			})
		case b.Type == "data" && len(b.Labels) == 2:
			f.eachInstance(b, func() {
				if b.Labels[0] == "aws_iam_policy_document" {
					f.policyDocument(b)
				}
				f.dataChecks(b)
			})
		case b.Type == "provider" && len(b.Labels) == 1:
			f.eachInstance(b, func() { f.provider(b) })
		case b.Type == "module" && len(b.Labels) == 1:
			f.eachInstance(b, func() {
				f.module(b)
				if checkedType(b) != "" {
					f.dataChecks(b)
				}
			})
		}
	}
	f.cisModule()
}

// eachInstance runs analyse once per instance of block b (count,
// for_each), keeps one of the hits that instances (and a dynamic block's
// elements) repeat, and
// records where each hit's values came from: a definition in this file
// joins the hit's scope (changing it introduces the finding).
func (f *tfFile) eachInstance(b *hclsyntax.Block, analyse func()) {
	start := len(f.hits)
	var each []tfDef
	var forEach hclsyntax.Expression
	if a, ok := b.Body.Attributes["for_each"]; ok {
		forEach = a.Expr
		each = f.mod.origins(a.Expr, nil, 0)
	}
	base := f.ctx
	seen := map[string]bool{}
	for _, c := range f.mod.instances(b) {
		f.ctx = c
		n := len(f.hits)
		analyse()
		kept := f.hits[:n]
		for _, h := range f.hits[n:] {
			key := fmt.Sprintf("%s %d %s %s", h.rule.ID, h.line, h.identity, h.msg)
			if !seen[key] {
				seen[key] = true
				kept = append(kept, h)
			}
		}
		f.hits = kept
	}
	f.ctx = base
	for i := start; i < len(f.hits); i++ {
		h := &f.hits[i]
		origins := f.hitOrigins(b.Body, h, f.eachOrigins(b.Body, forEach, h, each))
		for _, o := range origins {
			if o.path == f.path {
				h.scope = append(h.scope, scanners.LineRange{Start: o.line, End: o.end})
			}
		}
		f.modHits = append(f.modHits, tfModuleHit{path: f.path, hit: *h, origins: origins})
	}
}

// eachOrigins are the origins of for_each that can reach the attributes on
// the hit's lines: when they read each.value only through fields and
// for_each builds its elements in a shape mapFieldOrigins follows, those
// fields' values (a filter such as `if var.create`, or a variable feeding
// another field, does not cause the finding); else every origin of
// for_each (all).
func (f *tfFile) eachOrigins(body *hclsyntax.Body, forEach hclsyntax.Expression, h *hit, all []tfDef) []tfDef {
	if forEach == nil {
		return all
	}
	fields, whole := iteratorFields(body, "each", h, 0)
	if whole || len(fields) == 0 {
		return all
	}
	if narrow, ok := f.mod.mapFieldOrigins(forEach, fields, 0); ok {
		return narrow
	}
	return all
}

// mapFieldOrigins are the origins of the given fields of the elements of
// the collection e (a for_each: a map or list of objects), followed
// through object and tuple literals, for expressions (whose `if` filters
// which elements exist, not what they hold), merge and concat, locals and
// conditionals (whose condition counts unless one branch is empty: then it
// only switches the elements on); ok is false for any other shape.
func (m *tfModule) mapFieldOrigins(e hclsyntax.Expression, fields map[string]bool, depth int) ([]tfDef, bool) {
	if depth > maxOriginDepth {
		return nil, false
	}
	var out []tfDef
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			o, ok := m.fieldOrigins(it.ValueExpr, fields, nil, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.TupleConsExpr:
		for _, el := range x.Exprs {
			o, ok := m.fieldOrigins(el, fields, nil, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.ForExpr:
		v, ok := x.ValExpr.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(v.Traversal) != 1 || v.Traversal.RootName() != x.ValVar {
			return nil, false
		}
		return m.mapFieldOrigins(x.CollExpr, fields, depth+1)
	case *hclsyntax.FunctionCallExpr:
		if x.Name != "merge" && x.Name != "concat" && x.Name != "tomap" && x.Name != "tolist" {
			return nil, false
		}
		for _, a := range x.Args {
			o, ok := m.mapFieldOrigins(a, fields, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.ConditionalExpr:
		if !emptyCollection(x.TrueResult) && !emptyCollection(x.FalseResult) {
			out = append(out, m.origins(x.Condition, nil, depth+1)...)
		}
		for _, r := range []hclsyntax.Expression{x.TrueResult, x.FalseResult} {
			if emptyCollection(r) {
				continue
			}
			o, ok := m.mapFieldOrigins(r, fields, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.ScopeTraversalExpr:
		name, ok := traverseName(x.Traversal, 1)
		if !ok || len(x.Traversal) != 2 {
			return nil, false
		}
		switch x.Traversal.RootName() {
		case "var":
			if v, ok := valueIn(m.ctx, x); ok && v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.LengthInt() == 0 {
				return nil, true // an empty map or list supplies no element
			}
			return slices.Clone(m.defs["var."+name]), true
		case "local":
			key := "local." + name
			o, ok := m.mapFieldOrigins(m.exprs[key], fields, depth+1)
			if !ok {
				return nil, false
			}
			return append(slices.Clone(m.defs[key]), o...), true
		}
	}
	return nil, false
}

// emptyCollection is a literal {}, [] or null.
func emptyCollection(e hclsyntax.Expression) bool {
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		return len(x.Items) == 0
	case *hclsyntax.TupleConsExpr:
		return len(x.Exprs) == 0
	case *hclsyntax.LiteralValueExpr:
		return x.Val.IsNull()
	}
	return false
}

// hitOrigins are the origins of the attributes of body on the hit's lines.
func (f *tfFile) hitOrigins(body *hclsyntax.Body, h *hit, each []tfDef) []tfDef {
	var out []tfDef
	var walk func(body *hclsyntax.Body, depth int)
	walk = func(body *hclsyntax.Body, depth int) {
		if depth > scanners.MaxDepth {
			return
		}
		for _, a := range body.Attributes {
			if a.SrcRange.Start.Line <= max(h.line, h.endLine) && a.SrcRange.End.Line >= h.line {
				out = append(out, f.mod.origins(a.Expr, each, 0)...)
			}
		}
		for _, b := range body.Blocks {
			if b.Range().Start.Line <= max(h.line, h.endLine) && b.Range().End.Line >= h.line {
				if a, ok := b.Body.Attributes["for_each"]; ok && b.Type == "dynamic" {
					out = append(out, f.dynamicOrigins(b, a.Expr, h, each)...)
				}
				walk(b.Body, depth+1)
			}
		}
	}
	walk(body, 0)
	return out
}

// dynamicOrigins are the origins of a dynamic block's for_each that can
// reach the attributes on the hit's lines. When those attributes read the
// iterator only through fields (`name.value.field`) and for_each builds its
// elements as objects (through conditionals, tuples and locals), only the
// conditions and those fields' values count: a variable that feeds another
// field of the element does not cause the finding. Otherwise every origin
// of for_each counts.
func (f *tfFile) dynamicOrigins(b *hclsyntax.Block, forEach hclsyntax.Expression, h *hit, each []tfDef) []tfDef {
	all := f.mod.origins(forEach, each, 0)
	iter := ""
	if len(b.Labels) > 0 {
		iter = b.Labels[0]
	}
	if a, ok := b.Body.Attributes["iterator"]; ok {
		iter = hcl.ExprAsKeyword(a.Expr)
	}
	fields, whole := iteratorFields(b.Body, iter, h, 0)
	if whole || len(fields) == 0 {
		return all
	}
	if narrow, ok := f.mod.fieldOrigins(forEach, fields, each, 0); ok {
		return narrow
	}
	return all
}

// iteratorFields are the fields of iter read by the attributes of body on
// the hit's lines; whole is true when one of them reads iter otherwise
// (its key, or its value as a whole).
func iteratorFields(body *hclsyntax.Body, iter string, h *hit, depth int) (map[string]bool, bool) {
	fields := map[string]bool{}
	if depth > scanners.MaxDepth {
		return fields, true
	}
	last := max(h.line, h.endLine)
	for _, a := range body.Attributes {
		if a.SrcRange.Start.Line > last || a.SrcRange.End.Line < h.line {
			continue
		}
		for _, tr := range a.Expr.Variables() {
			if tr.RootName() != iter {
				continue
			}
			v, okV := traverseName(tr, 1)
			fl, okF := traverseName(tr, 2)
			if !okV || v != "value" || !okF {
				return fields, true
			}
			fields[fl] = true
		}
	}
	for _, c := range body.Blocks {
		if c.Range().Start.Line > last || c.Range().End.Line < h.line {
			continue
		}
		sub, whole := iteratorFields(c.Body, iter, h, depth+1)
		if whole {
			return fields, true
		}
		for k := range sub {
			fields[k] = true
		}
	}
	return fields, false
}

// traverseName is the attribute name at step i of tr.
func traverseName(tr hcl.Traversal, i int) (string, bool) {
	if i >= len(tr) {
		return "", false
	}
	a, ok := tr[i].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	return a.Name, true
}

// fieldOrigins are the origins of the given fields of the elements e
// builds, with the conditions that choose between them; ok is false when
// e's shape is not one it can follow (the caller then takes every origin).
func (m *tfModule) fieldOrigins(e hclsyntax.Expression, fields map[string]bool, each []tfDef, depth int) ([]tfDef, bool) {
	if depth > maxOriginDepth {
		return nil, false
	}
	switch x := e.(type) {
	case *hclsyntax.ConditionalExpr:
		out := m.origins(x.Condition, each, depth+1)
		for _, r := range []hclsyntax.Expression{x.TrueResult, x.FalseResult} {
			o, ok := m.fieldOrigins(r, fields, each, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.TupleConsExpr:
		var out []tfDef
		for _, el := range x.Exprs {
			o, ok := m.fieldOrigins(el, fields, each, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, o...)
		}
		return out, true
	case *hclsyntax.ObjectConsExpr:
		var out []tfDef
		for _, it := range x.Items {
			k, diags := it.KeyExpr.Value(nil)
			if diags.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				return nil, false
			}
			if fields[k.AsString()] {
				out = append(out, m.origins(it.ValueExpr, each, depth+1)...)
			}
		}
		return out, true
	case *hclsyntax.ScopeTraversalExpr:
		if len(x.Traversal) != 2 || x.Traversal.RootName() != "local" {
			return nil, false
		}
		name, ok := traverseName(x.Traversal, 1)
		if !ok {
			return nil, false
		}
		key := "local." + name
		o, ok := m.fieldOrigins(m.exprs[key], fields, nil, depth+1)
		if !ok {
			return nil, false
		}
		return append(slices.Clone(m.defs[key]), o...), true
	}
	return nil, false
}

// viaHits are the findings on resources in the module's other files (and
// the modules it calls) whose values come through a definition in file p,
// each reported on that definition's line. They are kept only when the
// change adds that line (hit.via): a finding the change does not cause
// is reported where the resource is.
func (m *tfModule) viaHits(p string, checks checkSet) []hit {
	var out []hit
	for _, mh := range m.moduleHits(checks) {
		if mh.path == p {
			continue
		}
		seen := map[int]bool{}
		for _, o := range mh.origins {
			if o.path != p || seen[o.line] {
				continue
			}
			seen[o.line] = true
			h := mh.hit
			h.line, h.endLine, h.blockStart, h.blockEnd, h.scope = o.line, o.line, o.line, o.end, nil
			h.msg = fmt.Sprintf("%s (%s line %d, through `%s` set here)", h.msg, mh.path, mh.hit.line, o.name)
			h.identity = h.identity + " via " + o.name
			h.fix = nil
			h.via = true
			out = append(out, h)
		}
	}
	return out
}

// firstError is the first error diagnostic's position and summary (never
// the file's text).
func firstError(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			if d.Subject != nil {
				return fmt.Sprintf("line %d: %s", d.Subject.Start.Line, d.Summary)
			}
			return d.Summary
		}
	}
	return "invalid HCL"
}

func (f *tfFile) line(l int) string {
	if l < 1 || l > len(f.lines) {
		return ""
	}
	return f.lines[l-1]
}

// blockID names a block: "aws_s3_bucket.logs".
func blockID(b *hclsyntax.Block) string {
	return strings.Join(append([]string{b.Type}, b.Labels...), ".")
}

// header is the block's first line.
func header(b *hclsyntax.Block) int { return b.TypeRange.Start.Line }

func blockEnd(b *hclsyntax.Block) int { return b.CloseBraceRange.End.Line }

// value evaluates an attribute's expression when it is a literal.
func (f *tfFile) value(a *hclsyntax.Attribute) (cty.Value, bool) {
	if a == nil {
		return cty.NilVal, false
	}
	return f.valueOf(a.Expr)
}

// valueOf evaluates an expression in the file's module: a literal, or
// what the module's variables and locals make known.
func (f *tfFile) valueOf(e hclsyntax.Expression) (cty.Value, bool) { return valueIn(f.ctx, e) }

// valueIn evaluates e in ctx; it is known when wholly known and not null.
func valueIn(ctx *hcl.EvalContext, e hclsyntax.Expression) (cty.Value, bool) {
	if e == nil {
		return cty.NilVal, false
	}
	v, diags := e.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

// attrString returns a literal string attribute.
func (f *tfFile) attrString(body *hclsyntax.Body, name string) (*hclsyntax.Attribute, string, bool) {
	a := body.Attributes[name]
	v, ok := f.value(a)
	if !ok || v.Type() != cty.String {
		return a, "", false
	}
	return a, v.AsString(), true
}

// attrBool returns a literal boolean attribute (also "true"/"false"
// strings, which Terraform converts).
func (f *tfFile) attrBool(body *hclsyntax.Body, name string) (a *hclsyntax.Attribute, val, set bool) {
	a = body.Attributes[name]
	v, ok := f.value(a)
	if !ok {
		return a, false, false
	}
	switch {
	case v.Type() == cty.Bool:
		return a, v.True(), true
	case v.Type() == cty.String:
		switch strings.ToLower(v.AsString()) {
		case "true":
			return a, true, true
		case "false":
			return a, false, true
		}
	}
	return a, false, false
}

// attrStrings returns a literal string or list of strings.
func (f *tfFile) attrStrings(body *hclsyntax.Body, name string) (*hclsyntax.Attribute, []string) {
	a := body.Attributes[name]
	v, ok := f.value(a)
	if !ok {
		return a, nil
	}
	return a, ctyStrings(v)
}

func ctyStrings(v cty.Value) []string {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return []string{v.AsString()}
	case t == cty.Number:
		return []string{v.AsBigFloat().Text('f', -1)}
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		var out []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, ctyStrings(e)...)
		}
		return out
	}
	return nil
}

// attrInt returns a literal number attribute.
func (f *tfFile) attrInt(body *hclsyntax.Body, name string) (int, bool) {
	v, ok := f.value(body.Attributes[name])
	if !ok {
		return 0, false
	}
	if v.Type() == cty.String {
		n, err := strconv.Atoi(v.AsString())
		return n, err == nil
	}
	if v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	n, _ := bf.Int64()
	return int(n), true
}

// blocks returns the nested blocks of a type.
func blocks(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// setAttr replaces an attribute's single-line expression with val.
func (f *tfFile) setAttr(a *hclsyntax.Attribute, val string) *scanners.Fix {
	if a == nil {
		return nil
	}
	r := a.Expr.Range()
	if r.Start.Line != r.End.Line {
		return nil
	}
	line := f.line(r.Start.Line)
	lineStart := r.Start.Byte - (r.Start.Column - 1)
	if lineStart < 0 || r.End.Byte > len(f.src) {
		return nil
	}
	s, e := r.Start.Byte-lineStart, r.End.Byte-lineStart
	if s < 0 || e > len(line) || s > e || string(f.src[r.Start.Byte:r.End.Byte]) != line[s:e] {
		return nil
	}
	return &scanners.Fix{
		Description: "set " + a.Name + " = " + val,
		StartLine:   r.Start.Line, EndLine: r.Start.Line,
		Replacement: line[:s] + val + line[e:],
	}
}

// insertAttr adds `name = val` as the first line of block b's body.
func (f *tfFile) insertAttr(b *hclsyntax.Block, name, val string) *scanners.Fix {
	open := b.OpenBraceRange.Start.Line
	if b.CloseBraceRange.Start.Line <= open {
		return nil
	}
	hl := f.line(open)
	if strings.Contains(hl, "#") || strings.Contains(hl, "//") || !strings.HasSuffix(strings.TrimSpace(hl), "{") {
		return nil
	}
	indent := leadingSpace(hl) + "  "
	first := 0
	for _, a := range b.Body.Attributes {
		if l := a.SrcRange.Start.Line; first == 0 || l < first {
			first = l
		}
	}
	for _, nb := range b.Body.Blocks {
		if l := nb.TypeRange.Start.Line; first == 0 || l < first {
			first = l
		}
	}
	if first > open {
		indent = leadingSpace(f.line(first))
	}
	return &scanners.Fix{
		Description: "set " + name + " = " + val,
		StartLine:   open, EndLine: open,
		Replacement: hl + "\n" + indent + name + " = " + val,
	}
}

// deleteAttr removes a single-line attribute.
func (f *tfFile) deleteAttr(a *hclsyntax.Attribute, desc string) *scanners.Fix {
	r := a.SrcRange
	if r.Start.Line != r.End.Line {
		return nil
	}
	return &scanners.Fix{Description: desc, StartLine: r.Start.Line, EndLine: r.Start.Line, Replacement: ""}
}

func (f *tfFile) attrHit(r *scanners.Rule, id string, a *hclsyntax.Attribute, msg string, fix *scanners.Fix) {
	s, e := a.SrcRange.Start.Line, a.SrcRange.End.Line
	f.hits = append(f.hits, hit{rule: r, line: s, endLine: s, blockStart: s, blockEnd: e,
		msg: msg, identity: id + " " + a.Name, evidence: clip(strings.TrimSpace(f.line(s))), fix: fix})
}

func (f *tfFile) missingHit(r *scanners.Rule, id string, b *hclsyntax.Block, what, msg string, fix *scanners.Fix) {
	h := header(b)
	f.hits = append(f.hits, hit{rule: r, line: h, endLine: h, blockStart: h, blockEnd: blockEnd(b),
		msg: msg, identity: id + " no " + what, evidence: clip(strings.TrimSpace(f.line(h))), fix: fix})
}

// encryptionAttr maps resource types to the boolean that turns on
// encryption at rest (false or absent means unencrypted).
var encryptionAttr = map[string]string{
	"aws_ebs_volume":                    "encrypted",
	"aws_db_instance":                   "storage_encrypted",
	"aws_rds_cluster":                   "storage_encrypted",
	"aws_efs_file_system":               "encrypted",
	"aws_redshift_cluster":              "encrypted",
	"aws_docdb_cluster":                 "storage_encrypted",
	"aws_neptune_cluster":               "storage_encrypted",
	"aws_elasticache_replication_group": "at_rest_encryption_enabled",
	"aws_ebs_encryption_by_default":     "enabled",
}

// publicAttr maps database resource types to the boolean that puts them on
// the internet.
var publicAttr = map[string]string{
	"aws_db_instance":                    "publicly_accessible",
	"aws_rds_cluster_instance":           "publicly_accessible",
	"aws_redshift_cluster":               "publicly_accessible",
	"aws_dms_replication_instance":       "publicly_accessible",
	"aws_neptune_cluster_instance":       "publicly_accessible",
	"aws_docdb_cluster_instance":         "publicly_accessible",
	"azurerm_postgresql_server":          "public_network_access_enabled",
	"azurerm_mysql_server":               "public_network_access_enabled",
	"azurerm_mssql_server":               "public_network_access_enabled",
	"azurerm_postgresql_flexible_server": "public_network_access_enabled",
}

var publicACLs = map[string]bool{"public-read": true, "public-read-write": true, "authenticated-read": true}

var publicAccessBlock = []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}

// resource checks one resource block: encryption and public access, which
// many types share, then the rules of its type.
func (f *tfFile) resource(b *hclsyntax.Block) {
	typ, id := b.Labels[0], blockID(b)
	f.encryption(b, typ, id)
	f.instanceDisks(b, typ, id)
	f.publicDB(b, typ, id)
	switch {
	case strings.HasPrefix(typ, "aws_"):
		f.awsStorage(b, typ, id)
		f.awsNetwork(b, typ, id)
		f.awsAudit(b, typ, id)
		f.awsAccess(b, typ, id)
	case strings.HasPrefix(typ, "google_"):
		f.googleResource(b, typ, id)
	case strings.HasPrefix(typ, "azurerm_"):
		f.azureResource(b, typ, id)
	}
}

// encryption checks the attribute that turns encryption at rest on, for
// the types that have one (encryptionAttr).
func (f *tfFile) encryption(b *hclsyntax.Block, typ, id string) {
	attr, ok := encryptionAttr[typ]
	if !ok {
		return
	}
	a, val, set := f.attrBool(b.Body, attr)
	switch {
	case set && !val:
		f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` sets `%s = false`.", id, attr), f.setAttr(a, "true"))
	case a == nil && !f.hasKMSKey(b.Body) && !f.encryptedAnyway(typ, b.Body):
		f.missingHit(ruleTFUnencrypted, id, b, attr, fmt.Sprintf("`%s` does not set `%s = true`; it defaults to unencrypted.", id, attr),
			f.insertAttr(b, attr, "true"))
	}
}

// instanceDisks checks the block devices of an instance or a launch
// configuration.
func (f *tfFile) instanceDisks(b *hclsyntax.Block, typ, id string) {
	if typ != "aws_launch_configuration" && typ != "aws_instance" {
		return
	}
	for _, bt := range []string{"root_block_device", "ebs_block_device"} {
		for _, d := range blocks(b.Body, bt) {
			a, val, set := f.attrBool(d.Body, "encrypted")
			if set && !val {
				f.attrHit(ruleTFUnencrypted, id+"."+bt, a, fmt.Sprintf("A `%s` of `%s` sets `encrypted = false`.", bt, id), f.setAttr(a, "true"))
			} else if a == nil && typ == "aws_launch_configuration" {
				f.missingHit(ruleTFUnencrypted, id+"."+bt, d, "encrypted",
					fmt.Sprintf("A `%s` of `%s` does not set `encrypted = true`.", bt, id), f.insertAttr(d, "encrypted", "true"))
			}
		}
	}
}

// publicDB checks the attribute that puts a database on the internet
// (publicAttr).
func (f *tfFile) publicDB(b *hclsyntax.Block, typ, id string) {
	if attr, ok := publicAttr[typ]; ok {
		if a, val, set := f.attrBool(b.Body, attr); set && val {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` sets `%s = true`.", id, attr), f.setAttr(a, "false"))
		}
	}
}

// awsStorage checks S3 buckets, their ACLs, versioning and public access
// blocks.
func (f *tfFile) awsStorage(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_s3_bucket", "aws_s3_bucket_acl":
		if a, acl, ok := f.attrString(body, "acl"); ok && publicACLs[acl] {
			f.attrHit(ruleTFS3PublicACL, id, a, fmt.Sprintf("`%s` uses the canned ACL `%s`.", id, acl), f.setAttr(a, `"private"`))
		}
		f.s3Grants(body, id)
		if typ == "aws_s3_bucket" {
			f.s3Versioning(b, id)
		}
	case "aws_s3_bucket_versioning":
		for _, vc := range blocks(body, "versioning_configuration") {
			if a, st, ok := f.attrString(vc.Body, "status"); ok && !strings.EqualFold(st, "Enabled") {
				f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` sets versioning to `%s`.", id, st), f.setAttr(a, `"Enabled"`))
			}
		}
	case "aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block":
		f.publicAccessBlock(b, id, body.Attributes)
	}
}

// s3Grants flags access control policy grants to all users or to every
// AWS account.
func (f *tfFile) s3Grants(body *hclsyntax.Body, id string) {
	for _, acp := range blocks(body, "access_control_policy") {
		for _, g := range blocks(acp.Body, "grant") {
			for _, gr := range blocks(g.Body, "grantee") {
				if a, uri, ok := f.attrString(gr.Body, "uri"); ok && (strings.HasSuffix(uri, "/AllUsers") || strings.HasSuffix(uri, "/AuthenticatedUsers")) {
					f.attrHit(ruleTFS3PublicACL, id+" grant", a, fmt.Sprintf("`%s` grants access to `%s`.", id, uri), nil)
				}
			}
		}
	}
}

// awsNetwork checks the ingress of security groups and network ACLs.
func (f *tfFile) awsNetwork(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_security_group", "aws_default_security_group":
		f.eachBlock(body, "ingress", func(ing *hclsyntax.Block) {
			f.ingress(id, f.bodyFields(ing.Body), header(ing), blockEnd(ing), true)
		})
		f.ingressList(id, body.Attributes["ingress"], true)
		if typ == "aws_security_group" {
			f.sgUnused(b, id) // check_network.go
		}
	case "aws_security_group_rule":
		if _, t, ok := f.attrString(body, "type"); ok && t == "ingress" {
			f.ingress(id, f.bodyFields(body), header(b), blockEnd(b), true)
		}
	case "aws_vpc_security_group_ingress_rule":
		f.ingressV2(id, b)
	case "aws_network_acl", "aws_default_network_acl":
		f.eachBlock(body, "ingress", func(ing *hclsyntax.Block) {
			if _, act, ok := f.attrString(ing.Body, "action"); ok && strings.EqualFold(act, "allow") {
				f.ingress(id, f.bodyFields(ing.Body), header(ing), blockEnd(ing), false)
			}
		})
		f.ingressList(id, body.Attributes["ingress"], false)
	case "aws_network_acl_rule":
		if _, eg, set := f.attrBool(body, "egress"); !(set && eg) {
			if _, act, ok := f.attrString(body, "rule_action"); ok && strings.EqualFold(act, "allow") {
				f.ingress(id, f.bodyFields(body), header(b), blockEnd(b), false)
			}
		}
	}
}

// awsAudit checks IAM policies and the logs that record what happens:
// CloudTrail and load balancer access logs.
func (f *tfFile) awsAudit(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		if a := body.Attributes["policy"]; a != nil {
			f.policy(id, a)
		}
	case "aws_iam_role":
		for _, ip := range blocks(body, "inline_policy") {
			if a := ip.Body.Attributes["policy"]; a != nil {
				f.policy(id+".inline_policy", a)
			}
		}
	case "aws_cloudwatch_log_metric_filter":
		f.metricFilter(b, id)
	case "aws_cloudtrail":
		if a, val, set := f.attrBool(body, "enable_logging"); set && !val {
			f.attrHit(ruleTFLogging, id, a, fmt.Sprintf("`%s` sets `enable_logging = false`: the trail records nothing.", id), f.setAttr(a, "true"))
		}
	case "aws_lb", "aws_alb", "aws_elb":
		for _, al := range blocks(body, "access_logs") {
			if a, val, set := f.attrBool(al.Body, "enabled"); set && !val {
				f.attrHit(ruleTFLogging, id+".access_logs", a, fmt.Sprintf("`%s` turns its access logs off.", id), f.setAttr(a, "true"))
			}
		}
	}
}

// googleResource checks GCP firewalls, storage and Cloud SQL.
func (f *tfFile) googleResource(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "google_compute_firewall":
		f.gcpFirewall(id, b)
	case "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding":
		f.gcsIAM(body, id)
	case "google_storage_bucket":
		for _, v := range blocks(body, "versioning") {
			if a, val, set := f.attrBool(v.Body, "enabled"); set && !val {
				f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` turns versioning off.", id), f.setAttr(a, "true"))
			}
		}
	case "google_sql_database_instance":
		for _, s := range blocks(body, "settings") {
			for _, ipc := range blocks(s.Body, "ip_configuration") {
				for _, an := range blocks(ipc.Body, "authorized_networks") {
					if a, v, ok := f.attrString(an.Body, "value"); ok && openCIDR(v) {
						f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` authorizes `%s`: the whole internet.", id, v), nil)
					}
				}
			}
		}
	case "google_storage_bucket_acl", "google_storage_bucket_access_control", "google_storage_default_object_access_control", "google_storage_object_access_control":
		f.gcsACL(body, id)
	}
}

// gcsIAM flags a bucket role granted to all users or to every Google
// account, once per attribute.
func (f *tfFile) gcsIAM(body *hclsyntax.Body, id string) {
	for _, attr := range []string{"member", "members"} {
		a, ms := f.attrStrings(body, attr)
		if a == nil {
			continue
		}
		for _, m := range ms {
			if m == "allUsers" || m == "allAuthenticatedUsers" {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` grants its role to `%s`.", id, m), nil)
				break
			}
		}
	}
}

// gcsACL flags a public predefined ACL and entities that are all users or
// every Google account, once per attribute.
func (f *tfFile) gcsACL(body *hclsyntax.Body, id string) {
	if a, acl, ok := f.attrString(body, "predefined_acl"); ok && (acl == "publicRead" || acl == "publicReadWrite") {
		f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` uses the predefined ACL `%s`.", id, acl), nil)
	}
	for _, attr := range []string{"role_entity", "entity"} {
		a, es := f.attrStrings(body, attr)
		if a == nil {
			continue
		}
		for _, e := range es {
			if strings.HasSuffix(e, "allUsers") || strings.HasSuffix(e, "allAuthenticatedUsers") {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` grants access to `%s`.", id, e), nil)
				break
			}
		}
	}
}

// azureResource checks Azure network security rules, storage, disks and
// database firewalls.
func (f *tfFile) azureResource(b *hclsyntax.Block, typ, id string) {
	body := b.Body
	switch typ {
	case "azurerm_network_security_rule":
		f.azureRule(id, body, header(b), blockEnd(b))
	case "azurerm_network_security_group":
		f.eachBlock(body, "security_rule", func(r *hclsyntax.Block) {
			f.azureRule(id, r.Body, header(r), blockEnd(r))
		})
	case "azurerm_storage_account":
		for _, attr := range []string{"allow_nested_items_to_be_public", "allow_blob_public_access"} {
			if a, val, set := f.attrBool(body, attr); set && val {
				f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` sets `%s = true`.", id, attr), f.setAttr(a, "false"))
			}
		}
	case "azurerm_managed_disk":
		for _, es := range blocks(body, "encryption_settings") {
			if a, val, set := f.attrBool(es.Body, "enabled"); set && !val {
				f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` turns disk encryption off.", id), f.setAttr(a, "true"))
			}
		}
	case "azurerm_storage_container":
		if a, t, ok := f.attrString(body, "container_access_type"); ok && (t == "blob" || t == "container") {
			f.attrHit(ruleTFPublicStorage, id, a, fmt.Sprintf("`%s` allows anonymous `%s` access.", id, t), f.setAttr(a, `"private"`))
		}
	case "azurerm_sql_firewall_rule", "azurerm_mssql_firewall_rule", "azurerm_postgresql_firewall_rule", "azurerm_mysql_firewall_rule":
		_, s, ok1 := f.attrString(body, "start_ip_address")
		a, e, ok2 := f.attrString(body, "end_ip_address")
		if ok1 && ok2 && s == "0.0.0.0" && e == "255.255.255.255" {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` allows every IPv4 address.", id), nil)
		}
	}
}

// encryptedAnyway reports resources that are encrypted without the
// attribute: a read replica inherits its source's encryption, Aurora
// Serverless v1 is always encrypted.
func (f *tfFile) encryptedAnyway(typ string, body *hclsyntax.Body) bool {
	switch typ {
	case "aws_db_instance":
		return body.Attributes["replicate_source_db"] != nil
	case "aws_rds_cluster":
		_, mode, _ := f.attrString(body, "engine_mode")
		return mode == "serverless" || body.Attributes["replication_source_identifier"] != nil || body.Attributes["snapshot_identifier"] != nil
	}
	return false
}

// hasKMSKey reports whether a resource names a KMS key, which turns
// encryption on (an empty literal does not count).
func (f *tfFile) hasKMSKey(body *hclsyntax.Body) bool {
	a := body.Attributes["kms_key_id"]
	if a == nil {
		return false
	}
	_, v, ok := f.attrString(body, "kms_key_id")
	return !ok || v != ""
}

// s3Versioning flags a bucket whose inline versioning is off, or that has
// none while the file has no aws_s3_bucket_versioning resource either.
func (f *tfFile) s3Versioning(b *hclsyntax.Block, id string) {
	vs := blocks(b.Body, "versioning")
	for _, v := range vs {
		if a, val, set := f.attrBool(v.Body, "enabled"); set && !val {
			f.attrHit(ruleTFVersioning, id, a, fmt.Sprintf("`%s` turns versioning off.", id), f.setAttr(a, "true"))
		}
	}
	if len(vs) == 0 && b.Body.Attributes["versioning"] == nil && f.types["aws_s3_bucket_versioning"] == 0 {
		f.missingHit(ruleTFVersioning, id, b, "versioning",
			fmt.Sprintf("`%s` has no versioning block and this file has no `aws_s3_bucket_versioning` for it.", id), nil)
	}
}

// publicAccessBlock checks the four settings of a public access block (or
// of an s3-bucket module, which takes the same arguments).
func (f *tfFile) publicAccessBlock(b *hclsyntax.Block, id string, attrs hclsyntax.Attributes) {
	for _, name := range publicAccessBlock {
		if f.accountBlocks[name] && !(b.Type == "resource" && b.Labels[0] == "aws_s3_account_public_access_block") {
			continue // the account-wide block already enforces it
		}
		a, val, set := f.attrBool(b.Body, name)
		switch {
		case set && !val:
			f.attrHit(ruleTFS3PublicBlock, id, a, fmt.Sprintf("`%s` sets `%s = false`.", id, name), f.setAttr(a, "true"))
		case a == nil:
			f.missingHit(ruleTFS3PublicBlock, id, b, name, fmt.Sprintf("`%s` does not set `%s = true`; it defaults to false.", id, name),
				f.insertAttr(b, name, "true"))
		}
	}
}

// module checks well-known modules that wrap the resources above.
func (f *tfFile) module(b *hclsyntax.Block) {
	_, src, _ := f.attrString(b.Body, "source")
	id := blockID(b)
	if strings.Contains(src, "security-group") {
		f.sgModule(id, b)
		return
	}
	if strings.Contains(src, "terraform-aws-modules/rds") {
		a, val, set := f.attrBool(b.Body, "storage_encrypted")
		switch {
		case set && !val:
			f.attrHit(ruleTFUnencrypted, id, a, fmt.Sprintf("`%s` sets `storage_encrypted = false`.", id), f.setAttr(a, "true"))
		case a == nil && !f.hasKMSKey(b.Body):
			f.missingHit(ruleTFUnencrypted, id, b, "storage_encrypted",
				fmt.Sprintf("`%s` does not set `storage_encrypted = true`.", id), f.insertAttr(b, "storage_encrypted", "true"))
		}
		if a, val, set := f.attrBool(b.Body, "publicly_accessible"); set && val {
			f.attrHit(ruleTFPublicDB, id, a, fmt.Sprintf("`%s` sets `publicly_accessible = true`.", id), f.setAttr(a, "false"))
		}
		return
	}
	if !strings.Contains(src, "s3-bucket") {
		return
	}
	if a := b.Body.Attributes["versioning"]; a != nil {
		if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
			fl := objectFields(obj, f.ctx)
			if e := fl.get("enabled"); e != nil {
				if v, ok := f.valueOf(e); ok && v.Type() == cty.Bool && v.False() {
					l := e.Range().Start.Line
					f.hits = append(f.hits, hit{rule: ruleTFVersioning, line: l, endLine: l, blockStart: a.SrcRange.Start.Line, blockEnd: a.SrcRange.End.Line,
						msg: fmt.Sprintf("`%s` turns versioning off.", id), identity: id + " versioning", evidence: clip(strings.TrimSpace(f.line(l)))})
				}
			}
		}
	} else {
		f.missingHit(ruleTFVersioning, id, b, "versioning", fmt.Sprintf("`%s` does not enable versioning; the module leaves it off.", id), nil)
	}
	if a, acl, ok := f.attrString(b.Body, "acl"); ok && publicACLs[acl] {
		f.attrHit(ruleTFS3PublicACL, id, a, fmt.Sprintf("`%s` uses the canned ACL `%s`.", id, acl), f.setAttr(a, `"private"`))
	}
	if !s3ModuleBlocksByDefault(f, b, src) {
		f.publicAccessBlock(b, id, b.Body.Attributes)
		return
	}
	for _, name := range publicAccessBlock {
		if a, val, set := f.attrBool(b.Body, name); set && !val {
			f.attrHit(ruleTFS3PublicBlock, id, a, fmt.Sprintf("`%s` sets `%s = false`.", id, name), f.setAttr(a, "true"))
		}
	}
}

// majorVersion is the first number in a version constraint or git ref
// ("~> 5.0", "v3.15.1").
var majorVersion = regexp.MustCompile(`(\d+)`)

// s3ModuleBlocksByDefault reports whether the terraform-aws-modules
// s3-bucket module called by b turns the four public access block
// settings on when they are left out: it does from version 4 on, so only
// a version (or a git ref) below 4 leaves them off.
func s3ModuleBlocksByDefault(f *tfFile, b *hclsyntax.Block, src string) bool {
	if !strings.Contains(src, "terraform-aws-modules/s3-bucket") && !strings.Contains(src, "terraform-aws-modules/terraform-aws-s3-bucket") {
		return false
	}
	ver := ""
	if _, v, ok := f.attrString(b.Body, "version"); ok {
		ver = v
	} else if i := strings.Index(src, "ref="); i >= 0 {
		ver = src[i+len("ref="):]
	}
	m := majorVersion.FindString(ver)
	if m == "" {
		return ver == "" // no version: the registry's latest
	}
	n, err := strconv.Atoi(m)
	return err == nil && n >= 4
}

// sgModuleRules are the named rules of terraform-aws-modules/security-group
// that open admin ports.
var sgModuleRules = map[string][]int{
	"ssh-tcp": {22}, "rdp-tcp": {3389}, "rdp-udp": {3389}, "winrm-http-tcp": {5985}, "winrm-https-tcp": {5986},
	"all-all": {22, 23, 2375, 3389, 5900, 5985, 5986}, "all-tcp": {22, 23, 2375, 3389, 5900, 5985, 5986},
}

// sgModule checks terraform-aws-modules/security-group: named ingress
// rules with open ingress_cidr_blocks, ingress_with_cidr_blocks objects, and
// ingress blocks.
func (f *tfFile) sgModule(id string, b *hclsyntax.Block) {
	for _, ing := range blocks(b.Body, "ingress") {
		f.ingress(id, f.bodyFields(ing.Body), header(ing), blockEnd(ing), true)
	}
	if a, cidrs := f.attrStrings(b.Body, "ingress_cidr_blocks"); a != nil && anyOpen(cidrs) {
		ra, rules := f.attrStrings(b.Body, "ingress_rules")
		var ports []int
		for _, r := range rules {
			ports = append(ports, sgModuleRules[r]...)
		}
		if len(ports) > 0 {
			l := a.SrcRange.Start.Line
			f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: l, blockEnd: max(a.SrcRange.End.Line, ra.SrcRange.End.Line),
				msg:      fmt.Sprintf("`%s` opens port %s to the whole internet.", id, portNames(dedupe(ports))),
				identity: fmt.Sprintf("%s rules %v", id, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
		}
	}
	if a := b.Body.Attributes["ingress_with_cidr_blocks"]; a != nil {
		if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for _, e := range tup.Exprs {
				obj, ok := e.(*hclsyntax.ObjectConsExpr)
				if !ok {
					continue
				}
				fl := objectFields(obj, f.ctx)
				// The module takes cidr_blocks as one comma-separated string.
				if c := fl.str("cidr_blocks"); c != "" {
					if !anyOpen(strings.Split(c, ",")) {
						continue
					}
				} else if !anyOpen(fl.strs("cidr_blocks")) {
					continue
				}
				from, ok1 := fl.int("from_port")
				to, ok2 := fl.int("to_port")
				proto := fl.str("protocol")
				if !ok1 || !ok2 {
					continue
				}
				ports := exposedAdmin(proto, from, to)
				if len(ports) == 0 {
					continue
				}
				r := obj.Range()
				f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: r.Start.Line, endLine: r.Start.Line, blockStart: r.Start.Line, blockEnd: r.End.Line,
					msg:      fmt.Sprintf("An ingress rule of `%s` opens port %s to the whole internet.", id, portNames(ports)),
					identity: fmt.Sprintf("%s ingress %v", id, ports), evidence: clip(strings.TrimSpace(f.line(r.Start.Line)))})
			}
		}
	}
}

func anyOpen(cidrs []string) bool {
	for _, c := range cidrs {
		if openCIDR(c) {
			return true
		}
	}
	return false
}

// adminPorts are ports whose services give a shell or a desktop.
var adminPorts = map[int]string{22: "SSH", 23: "Telnet", 3389: "RDP", 5900: "VNC", 5985: "WinRM", 5986: "WinRM", 2375: "Docker API"}

// openCIDR reports whether a source range is the whole internet: a /0
// prefix of either family in any spelling (0.0.0.0/0, ::/0, ::0/0), or a
// provider's name for it.
func openCIDR(c string) bool {
	c = strings.TrimSpace(c)
	if c == "0.0.0.0" || c == "/0" || c == "*" || strings.EqualFold(c, "internet") || strings.EqualFold(c, "any") {
		return true
	}
	p, err := netip.ParsePrefix(c)
	return err == nil && p.Bits() == 0 && p == p.Masked() // 1.2.3.4/0 fails the provider's validation
}

// exposedAdmin returns the admin ports within from..to (a protocol of all
// traffic opens every port).
func exposedAdmin(proto string, from, to int) []int {
	p := strings.ToLower(proto)
	if p != "" && p != "-1" && p != "all" && p != "tcp" && p != "6" && p != "*" {
		return nil
	}
	if p == "-1" || p == "all" || p == "*" {
		from, to = 0, 65535
	}
	var out []int
	for _, port := range []int{22, 23, 2375, 3389, 5900, 5985, 5986} {
		if from <= port && port <= to {
			out = append(out, port)
		}
	}
	return out
}

func portNames(ports []int) string {
	var s []string
	for _, p := range ports {
		s = append(s, fmt.Sprintf("%d (%s)", p, adminPorts[p]))
	}
	return strings.Join(s, ", ")
}

// fields reads settings from a block body or from an object in a list
// attribute (`ingress = [{ ... }]`).
type fields struct {
	exprs map[string]hclsyntax.Expression
	// ctx evaluates them: the module's variables and locals.
	ctx *hcl.EvalContext
}

func (f *tfFile) bodyFields(body *hclsyntax.Body) fields {
	fl := fields{exprs: map[string]hclsyntax.Expression{}, ctx: f.ctx}
	for name, a := range body.Attributes {
		fl.exprs[name] = a.Expr
	}
	return fl
}

// objectFields are an object constructor's fields, by literal key.
func objectFields(obj *hclsyntax.ObjectConsExpr, ctx *hcl.EvalContext) fields {
	fl := fields{exprs: map[string]hclsyntax.Expression{}, ctx: ctx}
	for _, it := range obj.Items {
		k, ok := valueIn(ctx, it.KeyExpr)
		if ok && k.Type() == cty.String {
			fl.exprs[k.AsString()] = it.ValueExpr
		}
	}
	return fl
}

func (fl fields) get(name string) hclsyntax.Expression { return fl.exprs[name] }

func (fl fields) str(name string) string {
	v, ok := valueIn(fl.ctx, fl.get(name))
	if !ok {
		return ""
	}
	if v.Type() == cty.Number {
		return v.AsBigFloat().Text('f', -1)
	}
	if v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

func (fl fields) strs(name string) []string {
	v, ok := valueIn(fl.ctx, fl.get(name))
	if !ok {
		return nil
	}
	return ctyStrings(v)
}

func (fl fields) int(name string) (int, bool) {
	n, err := strconv.Atoi(fl.str(name))
	return n, err == nil
}

// ingressList checks `ingress = [{...}]` written as an attribute.
func (f *tfFile) ingressList(id string, a *hclsyntax.Attribute, sg bool) {
	if a == nil {
		return
	}
	tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return
	}
	for _, e := range tup.Exprs {
		obj, ok := e.(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		fl := objectFields(obj, f.ctx)
		if !sg && !strings.EqualFold(fl.str("action"), "allow") {
			continue
		}
		r := obj.Range()
		f.ingress(id, fl, r.Start.Line, r.End.Line, sg)
	}
}

// ingress checks an AWS security group or network ACL ingress rule.
func (f *tfFile) ingress(id string, fl fields, start, end int, sg bool) {
	cidrAttr := "cidr_blocks"
	if !sg {
		cidrAttr = "cidr_block"
	}
	var open hclsyntax.Expression
	for _, name := range []string{cidrAttr, "ipv6_cidr_blocks", "ipv6_cidr_block"} {
		for _, c := range fl.strs(name) {
			if openCIDR(c) {
				open = fl.get(name)
			}
		}
	}
	if open == nil {
		return
	}
	proto := fl.str("protocol")
	from, ok1 := fl.int("from_port")
	to, ok2 := fl.int("to_port")
	if !ok1 || !ok2 {
		if proto != "-1" && proto != "all" {
			return
		}
	}
	ports := exposedAdmin(proto, from, to)
	if len(ports) == 0 {
		return
	}
	l := open.Range().Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: start, blockEnd: end,
		msg:      fmt.Sprintf("An ingress rule of `%s` opens port %s to the whole internet.", id, portNames(ports)),
		identity: fmt.Sprintf("%s ingress %v", id, ports), evidence: clip(strings.TrimSpace(f.line(l)))})
}

// ingressV2 checks aws_vpc_security_group_ingress_rule.
func (f *tfFile) ingressV2(id string, b *hclsyntax.Block) {
	var open *hclsyntax.Attribute
	for _, name := range []string{"cidr_ipv4", "cidr_ipv6"} {
		if a, c, ok := f.attrString(b.Body, name); ok && openCIDR(c) {
			open = a
		}
	}
	if open == nil {
		return
	}
	_, proto, _ := f.attrString(b.Body, "ip_protocol")
	from, _ := f.attrInt(b.Body, "from_port")
	to, _ := f.attrInt(b.Body, "to_port")
	ports := exposedAdmin(proto, from, to)
	if len(ports) == 0 {
		return
	}
	l := open.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: header(b), blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("`%s` opens port %s to the whole internet.", id, portNames(ports)),
		identity: fmt.Sprintf("%s %v", id, ports), evidence: clip(strings.TrimSpace(f.line(l)))})
}

// portRanges parses "22", "20-25" and lists of them.
func portRanges(specs []string) [][2]int {
	var out [][2]int
	for _, s := range specs {
		s = strings.TrimSpace(s)
		if s == "*" {
			out = append(out, [2]int{0, 65535})
			continue
		}
		lo, hi, isRange := strings.Cut(s, "-")
		a, err1 := strconv.Atoi(lo)
		if err1 != nil {
			continue
		}
		b := a
		if isRange {
			var err2 error
			if b, err2 = strconv.Atoi(hi); err2 != nil {
				continue
			}
		}
		out = append(out, [2]int{a, b})
	}
	return out
}

func (f *tfFile) gcpFirewall(id string, b *hclsyntax.Block) {
	if _, dir, ok := f.attrString(b.Body, "direction"); ok && !strings.EqualFold(dir, "INGRESS") {
		return
	}
	if _, off, set := f.attrBool(b.Body, "disabled"); set && off {
		return
	}
	a, srcs := f.attrStrings(b.Body, "source_ranges")
	open := false
	for _, s := range srcs {
		open = open || openCIDR(s)
	}
	if !open {
		return
	}
	var ports []int
	for _, al := range blocks(b.Body, "allow") {
		_, proto, _ := f.attrString(al.Body, "protocol")
		_, ps := f.attrStrings(al.Body, "ports")
		rs := portRanges(ps)
		if len(ps) == 0 {
			rs = [][2]int{{0, 65535}}
		}
		for _, r := range rs {
			ports = append(ports, exposedAdmin(proto, r[0], r[1])...)
		}
	}
	if len(ports) == 0 {
		return
	}
	l := a.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: header(b), blockEnd: blockEnd(b),
		msg:      fmt.Sprintf("`%s` allows port %s from the whole internet.", id, portNames(dedupe(ports))),
		identity: fmt.Sprintf("%s %v", id, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
}

func dedupe(ps []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func (f *tfFile) azureRule(id string, body *hclsyntax.Body, start, end int) {
	_, ruleName, _ := f.attrString(body, "name")
	if _, d, ok := f.attrString(body, "direction"); !ok || !strings.EqualFold(d, "Inbound") {
		return
	}
	if _, acc, ok := f.attrString(body, "access"); !ok || !strings.EqualFold(acc, "Allow") {
		return
	}
	var open *hclsyntax.Attribute
	if a, src, ok := f.attrString(body, "source_address_prefix"); ok && openCIDR(src) {
		open = a
	}
	if a, srcs := f.attrStrings(body, "source_address_prefixes"); a != nil {
		for _, s := range srcs {
			if openCIDR(s) {
				open = a
			}
		}
	}
	if open == nil {
		return
	}
	// Azure applies the destination ports whatever the protocol, so "*"
	// (any protocol) reaches the listed TCP ports like "Tcp" does.
	_, proto, _ := f.attrString(body, "protocol")
	if proto == "*" {
		proto = "tcp"
	}
	var specs []string
	if _, p, ok := f.attrString(body, "destination_port_range"); ok {
		specs = append(specs, p)
	}
	_, ps := f.attrStrings(body, "destination_port_ranges")
	specs = append(specs, ps...)
	var ports []int
	for _, r := range portRanges(specs) {
		ports = append(ports, exposedAdmin(proto, r[0], r[1])...)
	}
	if len(ports) == 0 {
		return
	}
	l := open.SrcRange.Start.Line
	f.hits = append(f.hits, hit{rule: ruleTFOpenAdmin, line: l, endLine: l, blockStart: start, blockEnd: end,
		msg:      fmt.Sprintf("A rule of `%s` allows port %s from the whole internet.", id, portNames(dedupe(ports))),
		identity: fmt.Sprintf("%s %s %v", id, ruleName, dedupe(ports)), evidence: clip(strings.TrimSpace(f.line(l)))})
}

var (
	reActionStar = regexp.MustCompile(`(?i)"?actions?"?\s*[:=]\s*\[?\s*"\*"`)
	reQuotedStar = regexp.MustCompile(`"\*"`)
)

// policy checks an IAM policy attribute: a JSON string (heredoc or
// literal) or jsonencode({...}).
func (f *tfFile) policy(id string, a *hclsyntax.Attribute) {
	v, ok := f.value(a)
	if !ok || v.Type() != cty.String {
		return
	}
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(v.AsString()), &doc) != nil {
		return
	}
	for _, st := range statements(doc.Statement) {
		if !strings.EqualFold(st.effect, "Allow") || !contains(st.actions, "*") || !contains(st.resources, "*") {
			continue
		}
		l := f.lineIn(a.SrcRange.Start.Line, a.SrcRange.End.Line, reActionStar)
		f.hits = append(f.hits, hit{rule: ruleTFIAMWildcard, line: l, endLine: l,
			blockStart: a.SrcRange.Start.Line, blockEnd: a.SrcRange.End.Line,
			msg:      fmt.Sprintf("`%s` allows every action (`\"*\"`) on every resource.", id),
			identity: id + " action *", evidence: clip(strings.TrimSpace(f.line(l)))})
		return
	}
}

// lineIn returns the first line in from..to that re matches, else from.
func (f *tfFile) lineIn(from, to int, re *regexp.Regexp) int {
	for l := from; l <= to && l <= len(f.lines); l++ {
		if re.MatchString(f.line(l)) {
			return l
		}
	}
	return from
}

type statement struct {
	effect             string
	actions, resources []string
}

// statements reads a policy's Statement, which may be one object or a list.
func statements(raw json.RawMessage) []statement {
	var list []map[string]json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		list = []map[string]json.RawMessage{one}
	}
	var out []statement
	for _, m := range list {
		var st statement
		_ = json.Unmarshal(m["Effect"], &st.effect)
		st.actions = stringOrList(m["Action"])
		st.resources = stringOrList(m["Resource"])
		out = append(out, st)
	}
	return out
}

func stringOrList(raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	_ = json.Unmarshal(raw, &l)
	return l
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// policyDocument checks data "aws_iam_policy_document" statements.
func (f *tfFile) policyDocument(b *hclsyntax.Block) {
	id := blockID(b)
	for i, st := range blocks(b.Body, "statement") {
		if _, eff, ok := f.attrString(st.Body, "effect"); ok && !strings.EqualFold(eff, "Allow") {
			continue
		}
		a, actions := f.attrStrings(st.Body, "actions")
		_, resources := f.attrStrings(st.Body, "resources")
		if a == nil || !contains(actions, "*") || !contains(resources, "*") {
			continue
		}
		l := f.lineIn(a.SrcRange.Start.Line, a.SrcRange.End.Line, reQuotedStar)
		f.hits = append(f.hits, hit{rule: ruleTFIAMWildcard, line: l, endLine: l, blockStart: header(st), blockEnd: blockEnd(st),
			msg:      fmt.Sprintf("Statement %d of `%s` allows every action (`\"*\"`) on every resource.", i+1, id),
			identity: fmt.Sprintf("%s statement %d", id, i), evidence: clip(strings.TrimSpace(f.line(l)))})
	}
}

// providerSecrets are provider arguments that hold credentials.
var providerSecrets = map[string][]string{
	"aws":     {"access_key", "secret_key", "token"},
	"azurerm": {"client_secret", "client_certificate_password"},
	"google":  {"credentials", "access_token"},
	"azuread": {"client_secret"},
}

func (f *tfFile) provider(b *hclsyntax.Block) {
	name := b.Labels[0]
	for _, attr := range providerSecrets[name] {
		a, v, ok := f.attrString(b.Body, attr)
		if !ok || v == "" {
			continue
		}
		if name == "google" && attr == "credentials" && !strings.Contains(v, "private_key") {
			continue // a path to a key file, not the key
		}
		s, e := a.SrcRange.Start.Line, a.SrcRange.End.Line
		f.hits = append(f.hits, hit{rule: ruleTFProviderCreds, line: s, endLine: e,
			msg:      fmt.Sprintf("The `%s` provider sets `%s` to a literal (%s).", name, attr, redact(v)),
			identity: "provider " + name + " " + attr, evidence: attr + " = " + redact(v),
			fix: f.deleteAttr(a, "remove the credential; the provider reads it from the environment")})
	}
}
