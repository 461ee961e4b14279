package iac

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/shiftward/shiftward/scanners"
)

// A Terraform file is evaluated in its module: the directory's other .tf
// files, its variables (defaults, then terraform.tfvars and *.auto.tfvars,
// which Terraform loads by itself), its locals, and the local modules it
// calls (`source = "./modules/db"`), whose variables are the caller's
// arguments. Remote modules (registry, git) are not fetched: their
// resources are not reviewed, and a finding needs no value from them.
//
// Evaluation is bounded: files and bytes read (maxModuleFiles,
// maxModuleBytes), module depth and calls (maxModuleDepth, maxModuleCalls),
// for_each instances (maxInstances), and values (tfeval.go). A module that
// cannot be read whole is evaluated from what was read; what was left out
// is said in the file's error (not scanned whole), never passed as clean.
const (
	maxModuleFiles = 128
	maxModuleBytes = 4 << 20
	maxModuleDepth = 4
	maxModuleCalls = 32
	maxInstances   = 16
	maxLocals      = 1024
	// maxOriginDepth bounds how far a value's origin is followed through
	// locals and module arguments.
	maxOriginDepth = 8
)

// tfSource is one parsed file of a module.
type tfSource struct {
	path  string
	src   []byte
	lines []string
	body  *hclsyntax.Body
}

// tfDef is where a variable or local gets its value: a default, a .tfvars
// entry, a module argument, a local's expression.
type tfDef struct {
	path      string
	line, end int
	name      string // var.public, local.tags
}

// tfModule is one module directory evaluated: shared (Tree.Once) by every
// changed file of it.
type tfModule struct {
	dir   string
	files []*tfSource
	ctx   *hcl.EvalContext
	// sizes are the sizes of var.X and local.Y values (exprBounded).
	sizes map[string]int
	// defs are where each var.X and local.Y gets its value.
	defs map[string][]tfDef
	// exprs are the locals' expressions, to follow origins through them.
	exprs         map[string]hclsyntax.Expression
	refs          map[string]map[string]bool
	types         map[string]int
	accountBlocks map[string]bool
	// links are the module's blocks and the references between them
	// (check_tf_link.go).
	links    tfLinks
	children []*tfModule
	// gaps say what was not read (over a bound, not parsed).
	gaps []string

	hitsOnce sync.Once
	hits     []tfModuleHit

	// sgRefs are where the module's text names aws_security_group.NAME,
	// by NAME (check_network.go), read once.
	sgRefsOnce sync.Once
	sgRefs     map[string][]sgRef
	// alarms are what the module's CloudWatch alarms watch (check_cis.go).
	alarmsOnce sync.Once
	alarms     *cisAlarms
}

// tfModuleHit is a finding on a resource of the module (or a module it
// calls), with the definitions its value came through.
type tfModuleHit struct {
	path    string
	hit     hit
	origins []tfDef
}

// moduleBudget is what one evaluation may still read, shared by a module
// and the modules it calls.
type moduleBudget struct {
	files, bytes, calls int
}

// moduleOf evaluates the module of file p, whose content is content: once
// per change through tree, or from p alone without one.
func moduleOf(ctx context.Context, tree scanners.Tree, p string, content []byte) *tfModule {
	dir := path.Dir(p)
	if tree == nil {
		m := &tfModule{dir: dir}
		m.load(ctx, nil, []string{p}, map[string][]byte{p: content}, &moduleBudget{files: maxModuleFiles, bytes: maxModuleBytes, calls: maxModuleCalls}, nil, 0, nil)
		return m
	}
	v := tree.Once("iac/tf:"+dir, func() any {
		return evalModule(ctx, tree, dir, &moduleBudget{files: maxModuleFiles, bytes: maxModuleBytes, calls: maxModuleCalls}, nil, 0, nil)
	})
	m, _ := v.(*tfModule)
	return m
}

// callArgs are the variables a module call sets, with their origins.
type callArgs struct {
	values map[string]cty.Value
	defs   map[string][]tfDef
}

// evalModule lists dir through tree and evaluates it.
func evalModule(ctx context.Context, tree scanners.Tree, dir string, b *moduleBudget, args *callArgs, depth int, chain []string) *tfModule {
	m := &tfModule{dir: dir}
	names, err := tree.List(ctx, dir)
	if err != nil {
		m.gaps = append(m.gaps, fmt.Sprintf("listing %s: %v", dirName(dir), err))
		return m
	}
	var paths []string
	for _, n := range names {
		if moduleFile(n) {
			paths = append(paths, path.Join(dir, n))
		}
	}
	m.load(ctx, tree, paths, nil, b, args, depth, chain)
	return m
}

// moduleFile reports the files Terraform reads from a module directory.
func moduleFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || name == "terraform.tfvars" || strings.HasSuffix(name, ".auto.tfvars")
}

// tfvarsFile reports a variable definitions file.
func tfvarsFile(p string) bool { return strings.HasSuffix(p, ".tfvars") }

func dirName(dir string) string {
	if dir == "." || dir == "" {
		return "the repository root"
	}
	return dir
}

// load parses paths (from given, else through tree) within the budget and
// evaluates the module.
func (m *tfModule) load(ctx context.Context, tree scanners.Tree, paths []string, given map[string][]byte, b *moduleBudget, args *callArgs, depth int, chain []string) {
	for _, p := range paths {
		if ctx.Err() != nil {
			m.gaps = append(m.gaps, "evaluation cancelled")
			return
		}
		src, ok := given[p]
		if !ok {
			if b.files <= 0 {
				m.gaps = append(m.gaps, fmt.Sprintf("%s: over %d files read for one module", p, maxModuleFiles))
				continue
			}
			var err error
			src, err = tree.Read(ctx, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				m.gaps = append(m.gaps, fmt.Sprintf("%s: %v", p, err))
				continue
			}
			b.files--
		}
		if len(src) > b.bytes {
			m.gaps = append(m.gaps, fmt.Sprintf("%s: over %d bytes read for one module", p, maxModuleBytes))
			continue
		}
		b.bytes -= len(src)
		s, err := parseTF(p, src)
		if err != nil {
			m.gaps = append(m.gaps, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		m.files = append(m.files, s)
	}
	m.evaluate(args)
	m.index()
	if tree != nil {
		m.callModules(ctx, tree, b, depth, append(chain, m.dir))
	}
}

// parseTF parses one Terraform or .tfvars file within the parser's bounds.
func parseTF(p string, src []byte) (s *tfSource, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("parsing Terraform: %v", r)
		}
	}()
	if err := hclDepth(src); err != nil {
		return nil, fmt.Errorf("Terraform: %w", err)
	}
	file, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parsing Terraform: %s", firstError(diags))
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, errors.New("parsing Terraform: not native syntax")
	}
	return &tfSource{path: p, src: src, lines: splitLines(src), body: body}, nil
}

// literalCtx evaluates what may only be literal: variable defaults and
// .tfvars values (which Terraform does not let refer to anything).
var literalCtx = &hcl.EvalContext{Functions: tfFunctions}

// evaluate gives the module its variables and locals.
func (m *tfModule) evaluate(args *callArgs) {
	m.defs = map[string][]tfDef{}
	m.sizes = map[string]int{}
	m.exprs = map[string]hclsyntax.Expression{}
	vars := map[string]cty.Value{}
	declared := map[string]bool{}
	for _, s := range m.files {
		if tfvarsFile(s.path) {
			continue
		}
		for _, b := range s.body.Blocks {
			if b.Type != "variable" || len(b.Labels) != 1 {
				continue
			}
			name := b.Labels[0]
			declared[name] = true
			vars[name] = cty.DynamicVal
			if a, ok := b.Body.Attributes["default"]; ok {
				if v, ok := boundedValue(literalCtx, a.Expr); ok {
					vars[name] = v
				}
				m.defs["var."+name] = []tfDef{defOf(s.path, a, "var."+name)}
			}
		}
	}
	// .tfvars after defaults, in name order as Terraform loads them
	// (terraform.tfvars, then *.auto.tfvars).
	for _, s := range m.files {
		if !tfvarsFile(s.path) {
			continue
		}
		for name, a := range s.body.Attributes {
			v, ok := boundedValue(literalCtx, a.Expr)
			if !ok {
				v = cty.DynamicVal
			}
			vars[name] = v
			m.defs["var."+name] = []tfDef{defOf(s.path, a, "var."+name)}
		}
	}
	if args != nil {
		for name, v := range args.values {
			if declared[name] {
				vars[name] = v
				m.defs["var."+name] = args.defs[name]
			}
		}
	}
	for name, v := range vars {
		m.sizes["var."+name] = valueSize(v, maxValueSize+1)
	}
	m.ctx = &hcl.EvalContext{Functions: tfFunctions, Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}}
	m.evalLocals()
}

// evalLocals evaluates the module's locals in passes, each local once its
// references are known, until a pass makes no progress (locals may refer
// to each other in any order).
func (m *tfModule) evalLocals() {
	pending := map[string]*hclsyntax.Attribute{}
	where := map[string]string{}
	for _, s := range m.files {
		if tfvarsFile(s.path) {
			continue
		}
		for _, b := range s.body.Blocks {
			if b.Type != "locals" {
				continue
			}
			for name, a := range b.Body.Attributes {
				if len(pending) >= maxLocals {
					m.gaps = append(m.gaps, fmt.Sprintf("%s: over %d locals; the rest are unknown", s.path, maxLocals))
					break
				}
				pending[name] = a
				where[name] = s.path
				m.exprs["local."+name] = a.Expr
				m.defs["local."+name] = []tfDef{defOf(s.path, a, "local."+name)}
			}
		}
	}
	locals := map[string]cty.Value{}
	for name := range pending {
		locals[name] = cty.DynamicVal
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		m.ctx.Variables["local"] = cty.ObjectVal(locals)
		for _, name := range sortedKeys(pending) {
			a := pending[name]
			if !exprBounded(m.ctx, a.Expr, m.sizes) {
				delete(pending, name)
				continue
			}
			v, diags := a.Expr.Value(m.ctx)
			if diags.HasErrors() || !v.IsWhollyKnown() {
				continue
			}
			delete(pending, name)
			progress = true
			if valueSize(v, maxValueSize+1) > maxValueSize {
				continue
			}
			locals[name] = v
			m.sizes["local."+name] = valueSize(v, maxValueSize+1)
		}
	}
	m.ctx.Variables["local"] = cty.ObjectVal(locals)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// boundedValue evaluates e when it is known and within maxValueSize.
func boundedValue(ctx *hcl.EvalContext, e hclsyntax.Expression) (cty.Value, bool) {
	v, diags := e.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || valueSize(v, maxValueSize+1) > maxValueSize {
		return cty.NilVal, false
	}
	return v, true
}

func defOf(p string, a *hclsyntax.Attribute, name string) tfDef {
	return tfDef{path: p, line: a.SrcRange.Start.Line, end: a.SrcRange.End.Line, name: name}
}

// index gathers what checks read across files: the resources that refer
// to each resource, the resource types present, the account-wide S3
// public access block.
func (m *tfModule) index() {
	m.refs = map[string]map[string]bool{}
	m.types = map[string]int{}
	m.accountBlocks = map[string]bool{}
	for _, s := range m.files {
		m.links.indexLinks(s.body)
		for to, from := range referencedBy(s.body) {
			if m.refs[to] == nil {
				m.refs[to] = map[string]bool{}
			}
			for t := range from {
				m.refs[to][t] = true
			}
		}
		f := &tfFile{ctx: m.ctx}
		for _, b := range s.body.Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 {
				continue
			}
			m.types[b.Labels[0]]++
			if b.Labels[0] == "aws_s3_account_public_access_block" {
				for _, name := range publicAccessBlock {
					if _, val, set := f.attrBool(b.Body, name); set && val {
						m.accountBlocks[name] = true
					}
				}
			}
		}
	}
}

// callModules evaluates the local modules m calls, with the calls'
// arguments as their variables.
func (m *tfModule) callModules(ctx context.Context, tree scanners.Tree, b *moduleBudget, depth int, chain []string) {
	for _, s := range m.files {
		for _, blk := range s.body.Blocks {
			if blk.Type != "module" || len(blk.Labels) != 1 {
				continue
			}
			a, ok := blk.Body.Attributes["source"]
			if !ok {
				continue
			}
			v, ok := valueIn(literalCtx, a.Expr)
			if !ok || v.Type() != cty.String {
				continue
			}
			src := v.AsString()
			if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") {
				continue // a registry or remote module: not fetched
			}
			dir := path.Join(m.dir, src)
			switch {
			case dir == ".." || strings.HasPrefix(dir, "../"):
				m.gaps = append(m.gaps, fmt.Sprintf("%s: module %q is outside the repository", s.path, blk.Labels[0]))
				continue
			case slices.Contains(chain, dir):
				m.gaps = append(m.gaps, fmt.Sprintf("%s: module %q calls itself", s.path, blk.Labels[0]))
				continue
			case depth+1 > maxModuleDepth:
				m.gaps = append(m.gaps, fmt.Sprintf("%s: module %q is nested more than %d deep", s.path, blk.Labels[0], maxModuleDepth))
				continue
			case b.calls <= 0:
				m.gaps = append(m.gaps, fmt.Sprintf("%s: module %q is over %d module calls", s.path, blk.Labels[0], maxModuleCalls))
				continue
			}
			b.calls--
			child := evalModule(ctx, tree, dir, b, m.callArgs(s.path, blk), depth+1, chain)
			m.children = append(m.children, child)
		}
	}
}

// callArgs evaluates a module block's arguments in the caller.
func (m *tfModule) callArgs(p string, blk *hclsyntax.Block) *callArgs {
	args := &callArgs{values: map[string]cty.Value{}, defs: map[string][]tfDef{}}
	for name, a := range blk.Body.Attributes {
		switch name {
		case "source", "version", "count", "for_each", "providers", "depends_on":
			continue
		}
		v := cty.DynamicVal
		if exprBounded(m.ctx, a.Expr, m.sizes) {
			if got, ok := boundedValue(m.ctx, a.Expr); ok {
				v = got
			}
		}
		args.values[name] = v
		args.defs[name] = append([]tfDef{defOf(p, a, "module."+blk.Labels[0]+"."+name)}, m.origins(a.Expr, nil, 0)...)
	}
	return args
}

// origins are the definitions expression e's value comes through: the
// variables and locals it names, followed through locals (and, for each
// and count, the resource's for_each). each names the for_each
// expression's origins when e is in a for_each instance.
func (m *tfModule) origins(e hclsyntax.Expression, each []tfDef, depth int) []tfDef {
	if e == nil || depth > maxOriginDepth {
		return nil
	}
	var out []tfDef
	for _, tr := range e.Variables() {
		root := tr.RootName()
		if root == "each" {
			out = append(out, each...)
			continue
		}
		if (root != "var" && root != "local") || len(tr) < 2 {
			continue
		}
		a, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		key := root + "." + a.Name
		out = append(out, m.defs[key]...)
		if root == "local" {
			out = append(out, m.origins(m.exprs[key], nil, depth+1)...)
		}
	}
	return out
}

// instances are the evaluation contexts of a resource's instances: none
// when count or for_each make it absent (count = 0, an empty for_each),
// one per for_each element up to maxInstances, else one whose count.index
// or each is unknown.
func (m *tfModule) instances(b *hclsyntax.Block) []*hcl.EvalContext {
	if a, ok := b.Body.Attributes["count"]; ok {
		c := m.ctx.NewChild()
		c.Variables = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}
		if v, ok := valueIn(m.ctx, a.Expr); ok && v.Type() == cty.Number && v.RawEquals(cty.Zero) {
			return nil
		}
		return []*hcl.EvalContext{c}
	}
	a, ok := b.Body.Attributes["for_each"]
	if !ok {
		return []*hcl.EvalContext{m.ctx}
	}
	unknown := m.ctx.NewChild()
	unknown.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.DynamicVal, "value": cty.DynamicVal})}
	v, ok := valueIn(m.ctx, a.Expr)
	if !ok {
		return []*hcl.EvalContext{unknown}
	}
	t := v.Type()
	if !(t.IsMapType() || t.IsObjectType() || t.IsSetType() || t.IsListType() || t.IsTupleType()) {
		return []*hcl.EvalContext{unknown}
	}
	if v.LengthInt() == 0 {
		return nil
	}
	if v.LengthInt() > maxInstances {
		return []*hcl.EvalContext{unknown}
	}
	var out []*hcl.EvalContext
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if t.IsSetType() {
			k = e
		}
		c := m.ctx.NewChild()
		c.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
		out = append(out, c)
	}
	return out
}

// moduleHits are the findings on every resource of m and of the modules
// it calls, with their origins: computed once, for the changed files
// that supply a value to a resource in another file.
func (m *tfModule) moduleHits(checks checkSet) []tfModuleHit {
	m.hitsOnce.Do(func() {
		for _, s := range m.files {
			if tfvarsFile(s.path) {
				continue
			}
			f := m.fileOf(s, checks)
			f.run()
			m.hits = append(m.hits, f.modHits...)
		}
		for _, c := range m.children {
			m.hits = append(m.hits, c.moduleHits(checks)...)
		}
	})
	return m.hits
}

// fileOf is the analysis of one of m's files.
func (m *tfModule) fileOf(s *tfSource, checks checkSet) *tfFile {
	return &tfFile{src: s.src, lines: s.lines, body: s.body, path: s.path, checks: checks, mod: m, ctx: m.ctx,
		types: m.types, accountBlocks: m.accountBlocks, refs: m.refs}
}
