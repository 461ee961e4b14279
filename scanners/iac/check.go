package iac

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"math/big"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// Checks as data: a check is a YAML entry (checks/*.yaml, the language in
// checks/README.md) over the resources of a Terraform file, not a Go
// function. The Go rules stay for what data cannot say (policies, network
// rules across ports, modules).

//go:embed checks
var checkFiles embed.FS

// checkSet indexes checks by the resource type they apply to.
type checkSet map[string][]*dataCheck

// dataCheck is one check, as loaded and validated.
type dataCheck struct {
	ID         string        `yaml:"id"`
	Title      string        `yaml:"title"`
	Severity   string        `yaml:"severity"`
	Why        string        `yaml:"why"`
	Fix        string        `yaml:"fix"`
	References []string      `yaml:"references"`
	Resources  []string      `yaml:"resources"`
	When       []*cond       `yaml:"when"`
	Fail       []*cond       `yaml:"fail"`
	Unless     []string      `yaml:"unless_referenced_by"`
	Set        *setFix       `yaml:"set"`
	Samples    []checkSample `yaml:"samples"`

	rule *scanners.Rule
}

// checkSample is a whole file on which the check must fire (Hit) or not.
type checkSample struct {
	Hit     bool   `yaml:"hit"`
	Content string `yaml:"content"`
}

// setFix is a one-click fix: one top-level attribute set to a literal.
type setFix struct {
	Path  string `yaml:"path"`
	Value any    `yaml:"value"`
}

// cond is one condition on the values at a path, or a combination of
// conditions.
type cond struct {
	Path        string   `yaml:"path"`
	Missing     *bool    `yaml:"missing"`
	Equals      any      `yaml:"equals"`
	NotEquals   any      `yaml:"not_equals"`
	In          []any    `yaml:"in"`
	NotIn       []any    `yaml:"not_in"`
	Matches     string   `yaml:"matches"`
	Contains    any      `yaml:"contains"`
	CIDRPublic  bool     `yaml:"cidr_public"`
	LessThan    *float64 `yaml:"less_than"`
	GreaterThan *float64 `yaml:"greater_than"`
	OrMissing   bool     `yaml:"or_missing"`
	All         []*cond  `yaml:"all"`
	Any         []*cond  `yaml:"any"`
	Not         *cond    `yaml:"not"`

	steps []string
	re    *regexp.Regexp
}

var checkID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// dataChecks are the embedded checks by resource type, loaded once; an
// invalid embedded check is a programming error (TestChecks runs them all).
var dataChecks = mustLoadChecks()

func mustLoadChecks() checkSet {
	byType, err := loadChecks(checkFiles)
	if err != nil {
		panic("iac: " + err.Error())
	}
	seen := map[*dataCheck]bool{}
	for _, list := range byType {
		for _, c := range list {
			if !seen[c] {
				seen[c] = true
				allRules = append(allRules, c.rule)
			}
		}
	}
	return byType
}

// loadChecks reads and validates every checks/*.yaml of fsys, gives each
// check its rule (iac/tf-<id>) and indexes the checks by resource type.
func loadChecks(fsys fs.FS) (checkSet, error) {
	names, err := fs.Glob(fsys, "checks/*.yaml")
	if err != nil {
		return nil, err
	}
	byType := checkSet{}
	seen := map[string]bool{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		list, err := parseChecks(data, true)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		if err := byType.add(list, seen); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
	}
	return byType, nil
}

// parseChecks decodes and validates a YAML list of checks (unknown keys
// refused) and gives each its rule.
func parseChecks(data []byte, needSamples bool) ([]*dataCheck, error) {
	var list []*dataCheck
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil {
		return nil, err
	}
	for _, c := range list {
		if err := c.validate(needSamples); err != nil {
			return nil, fmt.Errorf("check %q: %w", c.ID, err)
		}
		sev, _ := scanners.ParseSeverity(c.Severity)
		c.rule = &scanners.Rule{ID: Name + "/tf-" + c.ID, Severity: sev, Title: c.Title, Why: strings.TrimSpace(c.Why),
			Fix: strings.TrimSpace(c.Fix), References: c.References, FileTypes: fileTypes("tf-" + c.ID)}
	}
	return list, nil
}

// add indexes list, refusing an id already seen.
func (cs checkSet) add(list []*dataCheck, seen map[string]bool) error {
	for _, c := range list {
		if seen[c.ID] {
			return fmt.Errorf("check %q defined twice", c.ID)
		}
		seen[c.ID] = true
		for _, t := range c.Resources {
			cs[t] = append(cs[t], c)
		}
	}
	return nil
}

// Check is a repository's own check, parsed and validated (ParseChecks).
type Check struct{ c *dataCheck }

// ID is the check's rule id, "iac/tf-<id>".
func (c Check) ID() string { return c.c.rule.ID }

// MaxRepoChecks bounds the checks one repository may bring.
const MaxRepoChecks = 200

// ParseChecks reads a repository's own checks: a YAML list in the
// language of the built-in ones (checks/README.md), validated the same
// way, except that samples are optional; samples given must behave (a
// positive raises the check, a negative does not). An id a built-in check
// has is refused.
func ParseChecks(data []byte) ([]Check, error) {
	list, err := parseChecks(data, false)
	if err != nil {
		return nil, err
	}
	if len(list) > MaxRepoChecks {
		return nil, fmt.Errorf("%d checks: at most %d", len(list), MaxRepoChecks)
	}
	seen := map[string]bool{}
	for _, cs := range dataChecks {
		for _, c := range cs {
			seen[c.ID] = true
		}
	}
	own := checkSet{}
	if err := own.add(list, seen); err != nil {
		return nil, fmt.Errorf("%w (an id of a built-in check, or one given twice)", err)
	}
	out := make([]Check, len(list))
	for i, c := range list {
		if err := c.runSamples(own); err != nil {
			return nil, err
		}
		out[i] = Check{c}
	}
	return out, nil
}

// runSamples scans c's samples with checks: a positive must raise c, a
// negative must not.
func (c *dataCheck) runSamples(checks checkSet) error {
	for i, s := range c.Samples {
		hits, err := analyzeTerraform("main.tf", []byte(s.Content), checks)
		if err != nil {
			return fmt.Errorf("check %q: sample %d: %w", c.ID, i+1, err)
		}
		found := slices.ContainsFunc(hits, func(h hit) bool { return h.rule == c.rule })
		if found != s.Hit {
			return fmt.Errorf("check %q: sample %d (hit: %v) %s", c.ID, i+1, s.Hit, map[bool]string{true: "raises it", false: "does not raise it"}[found])
		}
	}
	return nil
}

// WithChecks adds a repository's own checks to the built-in ones.
func WithChecks(own ...Check) Option {
	return func(s *Scanner) {
		if len(own) == 0 {
			return
		}
		all := checkSet{}
		for t, cs := range dataChecks {
			all[t] = slices.Clone(cs)
		}
		for _, c := range own {
			for _, t := range c.c.Resources {
				all[t] = append(all[t], c.c)
			}
		}
		s.checks = all
	}
}

func (c *dataCheck) validate(needSamples bool) error {
	switch {
	case !checkID.MatchString(c.ID):
		return fmt.Errorf("id must be lower-case words joined by '-'")
	case c.Title == "" || c.Why == "" || c.Fix == "":
		return fmt.Errorf("title, why and fix are required")
	case len(c.Resources) == 0:
		return fmt.Errorf("resources: name at least one resource type")
	case len(c.Fail) == 0:
		return fmt.Errorf("fail: give at least one condition")
	}
	if sev, err := scanners.ParseSeverity(c.Severity); err != nil || sev == scanners.SeverityUnknown {
		return fmt.Errorf("severity %q: want low, medium, high or critical", c.Severity)
	}
	for _, cs := range [][]*cond{c.When, c.Fail} {
		for _, x := range cs {
			if err := x.compile(); err != nil {
				return err
			}
		}
	}
	if c.Set != nil && (c.Set.Path == "" || strings.Contains(c.Set.Path, ".") || literal(c.Set.Value) == "") {
		return fmt.Errorf("set: one top-level attribute and a string, number or bool value")
	}
	hits := map[bool]bool{}
	for _, s := range c.Samples {
		hits[s.Hit] = true
	}
	if needSamples && (!hits[true] || !hits[false]) {
		return fmt.Errorf("samples: give at least one with hit: true and one with hit: false")
	}
	return nil
}

// compile checks that c is well formed: a combination without a path, or
// one operator on a path.
func (c *cond) compile() error {
	combos := 0
	for _, has := range []bool{c.All != nil, c.Any != nil, c.Not != nil} {
		if has {
			combos++
		}
	}
	ops := 0
	for _, has := range []bool{c.Missing != nil, c.Equals != nil, c.NotEquals != nil, c.In != nil, c.NotIn != nil,
		c.Matches != "", c.Contains != nil, c.CIDRPublic, c.LessThan != nil, c.GreaterThan != nil} {
		if has {
			ops++
		}
	}
	switch {
	case combos > 1 || (combos == 1 && (ops > 0 || c.Path != "")):
		return fmt.Errorf("a condition is one of all, any, not, or one operator on a path")
	case combos == 1:
		for _, x := range slices.Concat(c.All, c.Any, []*cond{c.Not}) {
			if x == nil {
				continue
			}
			if err := x.compile(); err != nil {
				return err
			}
		}
		return nil
	case c.Path == "" || ops != 1:
		return fmt.Errorf("condition on %q: give a path and exactly one operator", c.Path)
	case c.OrMissing && c.Missing != nil:
		return fmt.Errorf("condition on %q: or_missing goes with a value operator, not missing", c.Path)
	}
	c.steps = strings.Split(c.Path, ".")
	if c.Matches != "" {
		re, err := regexp.Compile(c.Matches)
		if err != nil {
			return fmt.Errorf("matches: %w", err)
		}
		c.re = re
	}
	return nil
}

// tfNode is what a path step reaches: a block's body, or an expression
// (an attribute's value, an object's field, a list element).
type tfNode struct {
	body *hclsyntax.Body
	expr hclsyntax.Expression
	// line is where a finding about this node points.
	line, end int
}

// at returns the nodes path reaches from body: through attributes,
// nested blocks (dynamic blocks' content too), object fields, and every
// element of a list on the way.
func at(body *hclsyntax.Body, steps []string) []tfNode {
	cur := []tfNode{{body: body}}
	for _, step := range steps {
		var next []tfNode
		for _, n := range cur {
			next = append(next, n.child(step)...)
		}
		if len(next) == 0 {
			return nil
		}
		cur = next
	}
	return cur
}

func (n tfNode) child(name string) []tfNode {
	if n.body != nil {
		var out []tfNode
		if a, ok := n.body.Attributes[name]; ok {
			out = append(out, exprNodes(a.Expr, a.SrcRange)...)
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
	var out []tfNode
	for _, e := range elements(n.expr) {
		if obj, ok := e.(*hclsyntax.ObjectConsExpr); ok {
			if v := objectFields(obj).get(name); v != nil {
				out = append(out, exprNodes(v, v.Range())...)
			}
		}
	}
	return out
}

// exprNodes is the node of an expression written at r.
func exprNodes(e hclsyntax.Expression, r hcl.Range) []tfNode {
	return []tfNode{{expr: e, line: r.Start.Line, end: r.End.Line}}
}

// elements are a tuple's elements, or the expression itself.
func elements(e hclsyntax.Expression) []hclsyntax.Expression {
	if t, ok := e.(*hclsyntax.TupleConsExpr); ok {
		return t.Exprs
	}
	return []hclsyntax.Expression{e}
}

// holds evaluates c on body. witness is the node that made a value
// condition hold (nil for missing, not, or a combination that had none).
func (c *cond) holds(body *hclsyntax.Body) (ok bool, witness *tfNode) {
	switch {
	case c.All != nil:
		for _, x := range c.All {
			h, w := x.holds(body)
			if !h {
				return false, nil
			}
			witness = cmpOr(witness, w)
		}
		return true, witness
	case c.Any != nil:
		for _, x := range c.Any {
			if h, w := x.holds(body); h {
				return true, w
			}
		}
		return false, nil
	case c.Not != nil:
		h, _ := c.Not.holds(body)
		return !h, nil
	}
	nodes := at(body, c.steps)
	if c.Missing != nil {
		return (len(nodes) == 0) == *c.Missing, nil
	}
	if len(nodes) == 0 {
		return c.OrMissing, nil
	}
	for i := range nodes {
		if nodes[i].expr == nil {
			continue // a block has no value
		}
		if v, known := valueOf(nodes[i].expr); known && c.test(v) {
			return true, &nodes[i]
		}
	}
	return false, nil
}

func cmpOr(a, b *tfNode) *tfNode {
	if a != nil {
		return a
	}
	return b
}

// test applies c's operator to a known value.
func (c *cond) test(v cty.Value) bool {
	switch {
	case c.Equals != nil:
		return sameLiteral(v, c.Equals)
	case c.NotEquals != nil:
		return isScalar(v) && !sameLiteral(v, c.NotEquals)
	case c.In != nil:
		return slices.ContainsFunc(c.In, func(x any) bool { return sameLiteral(v, x) })
	case c.NotIn != nil:
		return isScalar(v) && !slices.ContainsFunc(c.NotIn, func(x any) bool { return sameLiteral(v, x) })
	case c.Matches != "":
		s, ok := scalarText(v)
		return ok && c.re.MatchString(s)
	case c.Contains != nil:
		return slices.ContainsFunc(listOf(v), func(e cty.Value) bool { return sameLiteral(e, c.Contains) })
	case c.CIDRPublic:
		return slices.ContainsFunc(listOf(v), func(e cty.Value) bool {
			s, ok := scalarText(e)
			return ok && publicCIDR(s)
		})
	case c.LessThan != nil, c.GreaterThan != nil:
		if v.Type() != cty.Number {
			return false
		}
		f, _ := v.AsBigFloat().Float64()
		return (c.LessThan != nil && f < *c.LessThan) || (c.GreaterThan != nil && f > *c.GreaterThan)
	}
	return false
}

// publicCIDR reports a source open to the internet.
func publicCIDR(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0":
		return true
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	return err == nil && p.Bits() == 0
}

func isScalar(v cty.Value) bool {
	_, ok := scalarText(v)
	return ok
}

// scalarText is a string, number or bool value as text.
func scalarText(v cty.Value) (string, bool) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		return strconv.FormatBool(v.True()), true
	}
	return "", false
}

// sameLiteral compares a known value with a YAML literal as Terraform
// would convert them: "true" is true, "443" is 443.
func sameLiteral(v cty.Value, x any) bool {
	s, ok := scalarText(v)
	if !ok {
		return false
	}
	want := literalText(x)
	if want == "" && x != "" {
		return false
	}
	if a, ok := new(big.Float).SetString(s); ok {
		if b, ok := new(big.Float).SetString(want); ok {
			return a.Cmp(b) == 0
		}
	}
	return s == want
}

// literalText is a YAML scalar as Terraform text; "" for anything else.
func literalText(x any) string {
	switch x := x.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// literal is a YAML scalar written as a Terraform literal; "" for anything
// else.
func literal(x any) string {
	if s, ok := x.(string); ok {
		return strconv.Quote(s)
	}
	return literalText(x)
}

// listOf is a list's (or set's, tuple's) elements, or v alone.
func listOf(v cty.Value) []cty.Value {
	t := v.Type()
	if (t.IsListType() || t.IsSetType() || t.IsTupleType()) && v.LengthInt() <= maxListElems {
		return v.AsValueSlice()
	}
	return []cty.Value{v}
}

// maxListElems bounds the elements of one literal list a condition looks at.
const maxListElems = 4096

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

// dataChecks runs the embedded checks of resource b's type.
func (f *tfFile) dataChecks(b *hclsyntax.Block) {
	typ, id := b.Labels[0], blockID(b)
	for _, c := range f.checks[typ] {
		f.dataCheck(c, b, typ, id)
	}
}

func (f *tfFile) dataCheck(c *dataCheck, b *hclsyntax.Block, typ, id string) {
	for _, w := range c.When {
		if ok, _ := w.holds(b.Body); !ok {
			return
		}
	}
	self := typ + "." + b.Labels[1]
	for _, t := range c.Unless {
		if f.refs[self][t] {
			return
		}
	}
	for _, x := range c.Fail {
		ok, w := x.holds(b.Body)
		if !ok {
			continue
		}
		fix := f.setFix(c, b)
		if w != nil {
			f.hits = append(f.hits, hit{rule: c.rule, line: w.line, endLine: w.line, blockStart: w.line, blockEnd: w.end,
				msg: checkMessage(c, id), identity: id + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(w.line))), fix: fix})
			return
		}
		h := header(b)
		f.hits = append(f.hits, hit{rule: c.rule, line: h, endLine: h, blockStart: h, blockEnd: blockEnd(b),
			msg: checkMessage(c, id), identity: id + " " + c.ID, evidence: clip(strings.TrimSpace(f.line(h))), fix: fix})
		return
	}
}

// checkMessage says which resource a check fired on, and what it found.
func checkMessage(c *dataCheck, id string) string {
	return fmt.Sprintf("`%s`: %s.", id, strings.TrimSuffix(c.Title, "."))
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
