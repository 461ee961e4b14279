package iac

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// Checks as data: a check is a YAML entry (checks/*.yaml, the language in
// checks/README.md) over the resources of a Terraform file, not a Go
// function. The Go rules stay for what data cannot say (policies, network
// rules across ports, modules).

//go:embed checks
var checkFiles embed.FS

// checkSet indexes checks by format and the resource type they apply to
// (checkKey).
type checkSet map[string][]*dataCheck

// The formats a check reads, and the prefix of their rule ids.
const (
	formatTerraform      = "terraform"
	formatKubernetes     = "kubernetes"
	formatCloudFormation = "cloudformation"
	formatCompose        = "compose"
)

var formatPrefix = map[string]string{formatTerraform: "tf-", formatKubernetes: "k8s-", formatCloudFormation: "cfn-", formatCompose: "compose-"}

// checkKey indexes a check by format and type: a Terraform resource type,
// a Kubernetes kind.
func checkKey(format, typ string) string { return format + "\x00" + typ }

// maxFirings bounds the findings one check makes on one resource.
const maxFirings = 16

// firings is where the check fires on root: nothing when it does not; the
// first fail condition that holds gives one place, or, when it judges the
// elements of a list (some, port_range, a value test over repeated
// blocks), every element it holds on, so each bad ingress rule, listener
// policy or container is its own finding.
// A nil place is the resource's header.
func (c *dataCheck) firings(root rnode) []rnode {
	_, out := c.firing(root)
	return out
}

// firing is firings with the fail condition that gives the places (nil
// when the check does not fire).
func (c *dataCheck) firing(root rnode) (*cond, []rnode) {
	for _, w := range c.When {
		if ok, _ := w.holds(root); !ok {
			return nil, nil
		}
	}
	// The first condition that holds, but one that points at something
	// written (a setting with a wrong value) before one about a setting
	// that is missing: the finding is where the fix goes.
	var x *cond
	var w rnode
	for _, y := range c.Fail {
		ok, yw := y.holds(root)
		if !ok {
			continue
		}
		if x == nil {
			x, w = y, yw
		}
		if yw != nil && !isAbsent(yw) {
			x, w = y, yw
			break
		}
	}
	if x != nil {
		out := []rnode{w}
		if w == nil || isAbsent(w) {
			return x, out
		}
		seen := map[int]bool{}
		seen[startOf(w)] = true
		for _, e := range x.elementWitnesses(root) {
			if len(out) == maxFirings {
				break
			}
			if l := startOf(e); !seen[l] {
				seen[l] = true
				out = append(out, e)
			}
		}
		return x, out
	}
	return nil, nil
}

func startOf(n rnode) int {
	l, _ := n.span()
	return l
}

// elementWitnesses is every element a list-judging condition holds on
// (see firings); nothing for other conditions.
func (c *cond) elementWitnesses(root rnode) []rnode {
	if c.steps == nil || c.Missing != nil || c.Present || c.All != nil || c.Any != nil || c.Not != nil ||
		c.ReferencedBy != nil || c.RefersTo != nil {
		return nil
	}
	nodes, _ := at(root, c.steps)
	var out []rnode
	switch {
	case c.Some != nil:
		for _, n := range elementsOf(nodes) {
			if ok, _ := someHolds([]rnode{n}, c.Some); ok {
				out = append(out, n)
			}
		}
	case c.PortRange != nil:
		for _, n := range elementsOf(nodes) {
			if c.PortRange.spans(n) {
				out = append(out, n)
			}
		}
	default:
		for _, n := range nodes {
			if v, known := n.val(); known && c.test(v) {
				out = append(out, n)
			}
		}
	}
	return out
}

// dataCheck is one check, as loaded and validated.
type dataCheck struct {
	ID         string        `yaml:"id"`
	Format     string        `yaml:"format"`
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
	// Secret marks a check that finds a secret written in the file: its
	// finding shows the key alone, never the line (CloudFormation,
	// Terraform).
	Secret bool `yaml:"secret"`

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
	Path    string `yaml:"path"`
	Missing *bool  `yaml:"missing"`
	// Present holds when the path is written, and points the finding at
	// it (missing: false points at the resource's header).
	Present     bool       `yaml:"present"`
	Equals      any        `yaml:"equals"`
	NotEquals   any        `yaml:"not_equals"`
	In          []any      `yaml:"in"`
	NotIn       []any      `yaml:"not_in"`
	Matches     string     `yaml:"matches"`
	Contains    any        `yaml:"contains"`
	NotContains any        `yaml:"not_contains"`
	Some        []*cond    `yaml:"some"`
	CIDRPublic  bool       `yaml:"cidr_public"`
	LessThan    *float64   `yaml:"less_than"`
	GreaterThan *float64   `yaml:"greater_than"`
	OrMissing   bool       `yaml:"or_missing"`
	All         []*cond    `yaml:"all"`
	Any         []*cond    `yaml:"any"`
	Not         *cond      `yaml:"not"`
	PortRange   *portRange `yaml:"port_range"`
	// ReferencedBy and RefersTo read other resources of the module
	// (Terraform; check_tf_link.go).
	ReferencedBy *linkCond `yaml:"referenced_by"`
	RefersTo     *linkCond `yaml:"refers_to"`

	steps []string
	re    *regexp.Regexp
}

// linkCond holds when a resource of one of Resources that refers to the
// checked resource (referenced_by), or that it refers to (refers_to),
// satisfies every condition of Where, evaluated from that resource's
// root.
type linkCond struct {
	Resources []string `yaml:"resources"`
	Where     []*cond  `yaml:"where"`
}

// portRange holds on a node (a rule: an ingress block, a security group
// rule) whose ports, from the known numbers at From to those at To, take
// in one of Ports.
type portRange struct {
	From  string `yaml:"from"`
	To    string `yaml:"to"`
	Ports []int  `yaml:"ports"`

	from, to []string
}

// spans reports whether n's port range holds one of r's ports.
func (r *portRange) spans(n rnode) bool {
	lo, ok1 := knownNumber(n, r.from)
	hi, ok2 := knownNumber(n, r.to)
	if !ok1 || !ok2 {
		return false
	}
	return slices.ContainsFunc(r.Ports, func(p int) bool { return lo <= float64(p) && float64(p) <= hi })
}

// knownNumber is the first known number at steps from n.
func knownNumber(n rnode, steps []string) (float64, bool) {
	nodes, _ := at(n, steps)
	for _, x := range nodes {
		if v, known := x.val(); known && v.scalar {
			if f, err := strconv.ParseFloat(v.text, 64); err == nil {
				return f, true
			}
		}
	}
	return 0, false
}

// linker is a resource's root node that knows the resources of its
// module it refers to and that refer to it.
type linker interface {
	linked(types []string, referrers bool) []rnode
	// via is where in the resource the reference to a linked resource
	// is written, if it is.
	via(other rnode) rnode
}

var checkID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// dataChecks are the embedded checks by resource type, loaded on first use;
// an invalid embedded check is a programming error (TestChecks runs them
// all). Not at package init: parsing and validating them costs about 120 ms
// and 30 MB of allocations, which every run of the binary would pay, a
// secret scan that never meets a manifest included.
var dataChecks = sync.OnceValue(mustLoadChecks)

func mustLoadChecks() checkSet {
	byType, err := loadChecks(checkFiles)
	if err != nil {
		panic("iac: " + err.Error())
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
		id := formatPrefix[c.Format] + c.ID
		c.rule = &scanners.Rule{ID: Name + "/" + id, Severity: sev, Title: c.Title, Why: strings.TrimSpace(c.Why),
			Fix: strings.TrimSpace(c.Fix), References: c.References, FileTypes: fileTypes(id)}
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
			cs[checkKey(c.Format, t)] = append(cs[checkKey(c.Format, t)], c)
		}
	}
	return nil
}

// Check is a repository's own check, parsed and validated (ParseChecks).
type Check struct{ c *dataCheck }

// ID is the check's rule id, "iac/tf-<id>" (Terraform) or "iac/k8s-<id>".
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
	for _, cs := range dataChecks() {
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
		hits, err := analyzeSample(c.Format, s.Content, checks)
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

// sampleFile is where a check's sample is scanned as, by format.
var sampleFile = map[string]string{formatTerraform: "main.tf", formatKubernetes: "manifest.yaml", formatCloudFormation: "template.yaml", formatCompose: "compose.yaml"}

// analyzeSample analyzes a check's sample with checks.
func analyzeSample(format, content string, checks checkSet) ([]hit, error) {
	if format != formatTerraform {
		return analyze(context.Background(), kindKubernetes, sampleFile[format], []byte(content), nil, true, checks, nil)
	}
	return analyzeTerraform(context.Background(), nil, sampleFile[format], []byte(content), checks)
}

// WithChecks adds a repository's own checks to the built-in ones.
func WithChecks(own ...Check) Option {
	return func(s *Scanner) {
		if len(own) == 0 {
			return
		}
		all := checkSet{}
		for t, cs := range dataChecks() {
			all[t] = slices.Clone(cs)
		}
		for _, c := range own {
			for _, t := range c.c.Resources {
				all[checkKey(c.c.Format, t)] = append(all[checkKey(c.c.Format, t)], c.c)
			}
		}
		s.checks = all
	}
}

func (c *dataCheck) validate(needSamples bool) error {
	if c.Format == "" {
		c.Format = formatTerraform
	}
	switch {
	case formatPrefix[c.Format] == "":
		return fmt.Errorf("format %q: want terraform, kubernetes, cloudformation or compose", c.Format)
	case c.Format != formatTerraform && (c.Set != nil || len(c.Unless) > 0):
		return fmt.Errorf("set and unless_referenced_by are for Terraform checks")
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
	for _, has := range []bool{c.All != nil, c.Any != nil, c.Not != nil, c.ReferencedBy != nil, c.RefersTo != nil} {
		if has {
			combos++
		}
	}
	ops := 0
	for _, has := range []bool{c.Missing != nil, c.Present, c.Equals != nil, c.NotEquals != nil, c.In != nil, c.NotIn != nil,
		c.Matches != "", c.Contains != nil, c.NotContains != nil, c.CIDRPublic, c.LessThan != nil, c.GreaterThan != nil,
		c.Some != nil, c.PortRange != nil} {
		if has {
			ops++
		}
	}
	switch {
	case combos > 1 || (combos == 1 && (ops > 0 || c.Path != "")):
		return fmt.Errorf("a condition is one of all, any, not, referenced_by, refers_to, or one operator on a path")
	case combos == 1:
		var where []*cond
		for _, l := range []*linkCond{c.ReferencedBy, c.RefersTo} {
			if l == nil {
				continue
			}
			if len(l.Resources) == 0 {
				return fmt.Errorf("referenced_by, refers_to: name at least one resource type")
			}
			where = l.Where
		}
		for _, x := range slices.Concat(c.All, c.Any, []*cond{c.Not}, where) {
			if x == nil {
				continue
			}
			if err := x.compile(); err != nil {
				return err
			}
		}
		return nil
	case (c.Path == "" && c.PortRange == nil) || ops != 1:
		return fmt.Errorf("condition on %q: give a path and exactly one operator", c.Path)
	case c.PortRange != nil && (c.PortRange.From == "" || c.PortRange.To == "" || len(c.PortRange.Ports) == 0 || c.OrMissing):
		return fmt.Errorf("port_range: give from, to and ports (no or_missing)")
	case c.OrMissing && (c.Missing != nil || c.Present):
		return fmt.Errorf("condition on %q: or_missing goes with a value operator, not missing", c.Path)
	}
	for _, x := range c.Some {
		if err := x.compile(); err != nil {
			return err
		}
	}
	if c.Path != "" {
		steps, err := splitPath(c.Path)
		if err != nil {
			return err
		}
		c.steps = steps
	}
	if c.PortRange != nil {
		c.PortRange.from, c.PortRange.to = strings.Split(c.PortRange.From, "."), strings.Split(c.PortRange.To, ".")
	}
	if c.Matches != "" {
		re, err := regexp.Compile(c.Matches)
		if err != nil {
			return fmt.Errorf("matches: %w", err)
		}
		c.re = re
	}
	return nil
}

// rnode is a place in a resource that a path step reaches: a block or a
// mapping, or a value. Each format (Terraform, Kubernetes) has its own.
type rnode interface {
	// child is what the step name reaches from the node: through nested
	// blocks and fields, and every element of a list on the way.
	child(name string) []rnode
	// opaque reports a value whose structure cannot be seen (a variable,
	// a function call): what a path would reach through it is unknown,
	// neither present nor missing.
	opaque() bool
	// val is the node's value when it is known: a literal scalar, or a
	// list of them.
	val() (lit, bool)
	// span is where a finding about the node points, and the lines it
	// covers.
	span() (line, end int)
}

// lit is a known value as conditions see it.
type lit struct {
	text   string
	scalar bool
	list   []lit
}

// elems are a list's elements, or the scalar alone.
func (v lit) elems() []lit {
	if v.scalar {
		return []lit{v}
	}
	return v.list
}

// at returns the nodes steps reach from root.
// unknown is true when the path went through an opaque value, so what it
// would reach there cannot be known.
func at(root rnode, steps []string) (nodes []rnode, unknown bool) {
	cur := []rnode{root}
	for _, step := range steps {
		var next []rnode
		for _, n := range cur {
			if d, ok := n.(decoder); ok {
				if doc, isDoc := d.document(); isDoc {
					n = doc
				}
			}
			if n.opaque() {
				unknown = true
				continue
			}
			next = append(next, n.child(step)...)
			if len(next) > maxPathNodes {
				next = next[:maxPathNodes]
				break
			}
		}
		if len(next) == 0 {
			return nil, unknown
		}
		cur = next
	}
	return cur, unknown
}

// decoder is a node that may hold a document written inside a value: a
// JSON object or list in a string (an IAM policy in a heredoc), or a
// Terraform jsonencode({...}) or jsonencode([...]). A path that goes on past such a node steps into the
// document, so checks read a policy's statements as they read blocks.
type decoder interface {
	document() (rnode, bool)
}

// jsonDocument decodes a known string that holds a JSON object or list (ECS
// container definitions), pointing at span; false for anything else. Parts of the text that cannot be seen
// (a template's interpolations, written as unknownMark) stay unknown.
func jsonDocument(v lit, known bool, line, end int) (rnode, bool) {
	if !known || !v.scalar || len(v.text) > maxDocument {
		return nil, false
	}
	text := strings.TrimSpace(v.text)
	if !strings.HasPrefix(text, "{") && !strings.HasPrefix(text, "[") {
		return nil, false
	}
	var doc any
	if json.Unmarshal([]byte(text), &doc) != nil {
		return nil, false
	}
	return jsonNode{v: doc, line: line, end: end}, true
}

// maxDocument bounds the text decoded as a document (the file's own bound
// is larger).
const maxDocument = 1 << 20

// unknownMark stands in a decoded document for what a template
// interpolates: a string holding it is not known.
const unknownMark = "\u2047?\u2047"

// pinned is a node of a document that points where the document is
// written (a policy attribute), whatever line inside it a node is on, so
// a finding about a policy is reported on the policy whatever its form.
type pinned struct {
	rnode
	line, end int
}

func (n pinned) span() (int, int) { return n.line, n.end }

func (n pinned) child(name string) []rnode {
	kids := n.rnode.child(name)
	for i, k := range kids {
		kids[i] = pinned{rnode: k, line: n.line, end: n.end}
	}
	return kids
}

// elements are the pinned node's elements when it is a list.
func (n pinned) elements() ([]rnode, bool) {
	l, ok := n.rnode.(lister)
	if !ok {
		return nil, false
	}
	es, isList := l.elements()
	for i, e := range es {
		es[i] = pinned{rnode: e, line: n.line, end: n.end}
	}
	return es, isList
}

// jsonNode is a place in a JSON document decoded from a string. It points
// where the string is written: JSON text carries no lines of the file.
type jsonNode struct {
	v         any
	line, end int
}

func (n jsonNode) span() (int, int) { return n.line, n.end }

func (n jsonNode) opaque() bool { return false }

// child is the field name of the object, or of every object of a list.
func (n jsonNode) child(name string) []rnode {
	var out []rnode
	for _, e := range jsonElems(n.v) {
		if m, ok := e.(map[string]any); ok {
			if v, ok := m[name]; ok {
				out = append(out, jsonNode{v: v, line: n.line, end: n.end})
			}
		}
	}
	return out
}

// val is a scalar, or a list's scalars.
func (n jsonNode) val() (lit, bool) {
	if s, ok := jsonScalar(n.v); ok {
		return lit{text: s, scalar: true}, true
	}
	l, ok := n.v.([]any)
	if !ok || len(l) > maxListElems {
		return lit{}, false
	}
	var list []lit
	for _, e := range l {
		if s, ok := jsonScalar(e); ok {
			list = append(list, lit{text: s, scalar: true})
		}
	}
	return lit{list: list}, true
}

// elements are a list's elements, for some.
func (n jsonNode) elements() ([]rnode, bool) {
	l, ok := n.v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]rnode, 0, min(len(l), maxPathNodes))
	for _, e := range l[:min(len(l), maxPathNodes)] {
		out = append(out, jsonNode{v: e, line: n.line, end: n.end})
	}
	return out, true
}

// jsonElems are a list's elements, or the value alone.
func jsonElems(v any) []any {
	if l, ok := v.([]any); ok {
		return l[:min(len(l), maxPathNodes)]
	}
	return []any{v}
}

// jsonScalar is a known JSON string, number or bool as text.
func jsonScalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, !strings.Contains(v, unknownMark)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// maxPathNodes bounds the nodes one path step may reach (a hostile list of
// thousands of repeated blocks): past it the rest are not looked at.
const maxPathNodes = 4096

// holds evaluates c on root. witness is the node that made a value
// condition hold, or for a missing setting the block that lacks it (nil
// when nothing on its path is written, for not, or a combination that had
// none).
func (c *cond) holds(root rnode) (ok bool, witness rnode) {
	switch {
	case c.All != nil:
		for _, x := range c.All {
			h, w := x.holds(root)
			if !h {
				return false, nil
			}
			if witness == nil || (isAbsent(witness) && w != nil && !isAbsent(w)) {
				witness = w // a written value before the block that lacks one
			}
		}
		return true, witness
	case c.Any != nil:
		for _, x := range c.Any {
			if h, w := x.holds(root); h {
				return true, w
			}
		}
		return false, nil
	case c.Not != nil:
		h, _ := c.Not.holds(root)
		return !h, nil
	case c.ReferencedBy != nil:
		return c.ReferencedBy.holds(root, true)
	case c.RefersTo != nil:
		return c.RefersTo.holds(root, false)
	}
	nodes, unknown := at(root, c.steps)
	if len(nodes) == 0 && unknown {
		return false, nil // never judged on what cannot be seen
	}
	if c.Missing != nil {
		if len(nodes) == 0 && *c.Missing {
			return true, deepestWritten(root, c.steps)
		}
		return (len(nodes) == 0) == *c.Missing, nil
	}
	if c.Present {
		if len(nodes) == 0 {
			return false, nil
		}
		return true, nodes[0]
	}
	if len(nodes) == 0 {
		if c.OrMissing {
			return true, deepestWritten(root, c.steps)
		}
		return false, nil
	}
	if c.Some != nil {
		return someHolds(nodes, c.Some)
	}
	if c.PortRange != nil {
		for _, n := range elementsOf(nodes) {
			if c.PortRange.spans(n) {
				return true, n
			}
		}
		return false, nil
	}
	for _, n := range nodes {
		if v, known := n.val(); known && c.test(v) {
			return true, n
		}
	}
	return false, nil
}

// splitPath splits a condition's path into its steps at dots; a step in
// double quotes may hold dots, as IAM condition keys do
// (`Condition.StringLike."token.actions.githubusercontent.com:sub"`).
func splitPath(p string) ([]string, error) {
	var steps []string
	for rest := p; ; {
		if !strings.HasPrefix(rest, `"`) {
			step, after, more := strings.Cut(rest, ".")
			steps = append(steps, step)
			if !more {
				return steps, nil
			}
			rest = after
			continue
		}
		step, after, closed := strings.Cut(rest[1:], `"`)
		if !closed || (after != "" && !strings.HasPrefix(after, ".")) {
			return nil, fmt.Errorf("path %q: a quoted step is closed by a quote and followed by a dot or the end", p)
		}
		steps = append(steps, step)
		if after == "" {
			return steps, nil
		}
		rest = after[1:]
	}
}

// deepestWritten is the deepest block written on the way to a path that
// is not (the settings block that lacks logging_level), so a finding about
// a missing setting points where it belongs; nil when only root is written.
func deepestWritten(root rnode, steps []string) rnode {
	var last rnode
	for i := 1; i < len(steps); i++ {
		nodes, _ := at(root, steps[:i])
		if len(nodes) == 0 {
			break
		}
		last = nodes[0]
	}
	if last == nil {
		return nil
	}
	return absent{last}
}

// absent is where a finding about a setting that is not written points:
// the block that lacks it. It still marks the finding as one on a missing
// setting (a Kustomize patch leaves those to its base).
type absent struct{ rnode }

// isAbsent reports whether w is where a missing setting would be written.
func isAbsent(w rnode) bool {
	_, ok := w.(absent)
	return ok
}

// holds reports whether a resource linked to root satisfies every
// condition of l. A finding it causes points at root's resource (the
// other may be in another file): at the attribute that writes the
// reference (refers_to), else at its header.
func (l *linkCond) holds(root rnode, referrers bool) (bool, rnode) {
	lk, ok := root.(linker)
	if !ok {
		return false, nil
	}
	for _, n := range lk.linked(l.Resources, referrers) {
		all := true
		for _, x := range l.Where {
			if ok, _ := x.holds(n); !ok {
				all = false
				break
			}
		}
		if all {
			return true, lk.via(n)
		}
	}
	return false, nil
}

// someHolds reports whether one of nodes satisfies every condition of
// conds, evaluated from it (one element of a repeated block).
func someHolds(nodes []rnode, conds []*cond) (bool, rnode) {
	for _, n := range elementsOf(nodes) {
		all := true
		for _, x := range conds {
			if ok, _ := x.holds(n); !ok {
				all = false
				break
			}
		}
		if all {
			return true, n
		}
	}
	return false, nil
}

// lister is a node that is a list of elements (a YAML sequence), reached
// as one node by a path step.
type lister interface{ elements() ([]rnode, bool) }

// elementsOf is nodes with every list replaced by its elements, so that
// some judges one element of a YAML sequence (one ingress rule, one policy
// statement) as it judges one repeated Terraform block.
func elementsOf(nodes []rnode) []rnode {
	var out []rnode
	for _, n := range nodes {
		if l, ok := n.(lister); ok {
			if es, isList := l.elements(); isList {
				out = append(out, es...)
				continue
			}
		}
		out = append(out, n)
	}
	if len(out) > maxPathNodes {
		out = out[:maxPathNodes] // as at() bounds a step
	}
	return out
}

// test applies c's operator to a known value.
func (c *cond) test(v lit) bool {
	switch {
	case c.Equals != nil:
		return v.scalar && sameLiteral(v.text, c.Equals)
	case c.NotEquals != nil:
		return v.scalar && !sameLiteral(v.text, c.NotEquals)
	case c.In != nil:
		return v.scalar && slices.ContainsFunc(c.In, func(x any) bool { return sameLiteral(v.text, x) })
	case c.NotIn != nil:
		return v.scalar && !slices.ContainsFunc(c.NotIn, func(x any) bool { return sameLiteral(v.text, x) })
	case c.Matches != "":
		return slices.ContainsFunc(v.elems(), func(e lit) bool { return e.scalar && c.re.MatchString(e.text) })
	case c.NotContains != nil:
		return !slices.ContainsFunc(v.elems(), func(e lit) bool { return e.scalar && sameLiteral(e.text, c.NotContains) })
	case c.Contains != nil:
		return slices.ContainsFunc(v.elems(), func(e lit) bool { return e.scalar && sameLiteral(e.text, c.Contains) })
	case c.CIDRPublic:
		return slices.ContainsFunc(v.elems(), func(e lit) bool { return e.scalar && publicCIDR(e.text) })
	case c.LessThan != nil, c.GreaterThan != nil:
		f, err := strconv.ParseFloat(v.text, 64)
		if !v.scalar || err != nil {
			return false
		}
		return (c.LessThan != nil && f < *c.LessThan) || (c.GreaterThan != nil && f > *c.GreaterThan)
	}
	return false
}

// publicCIDR reports a source open to the internet.
func publicCIDR(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0", "/0":
		return true
	}
	// A prefix of length 0 written with host bits (1.2.3.4/0) is refused by
	// the providers' validation: it opens nothing.
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	return err == nil && p.Bits() == 0 && p == p.Masked()
}

// sameLiteral compares a known value's text with a check's literal as
// Terraform and Kubernetes convert them: "true" is true, "443" is 443.
func sameLiteral(text string, x any) bool {
	want := literalText(x)
	if want == "" && x != "" {
		return false
	}
	if a, ok := new(big.Float).SetString(text); ok {
		if b, ok := new(big.Float).SetString(want); ok {
			return a.Cmp(b) == 0
		}
	}
	return text == want
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

// checkMessage says which resource a check fired on, and what it found.
func checkMessage(c *dataCheck, id string) string {
	return fmt.Sprintf("`%s`: %s.", id, strings.TrimSuffix(c.Title, "."))
}

// blockOf is the nested block an `all` judges as a whole when its
// conditions read several settings of it (PortRange.From and
// PortRange.To: the range, not its first end): the block that holds w, so
// the finding points at the block's key. Else w. A list is never the
// block (its elements are judged one by one).
func (c *cond) blockOf(root rnode, w rnode) rnode {
	prefix := c.commonPrefix()
	if len(prefix) == 0 || w == nil || isAbsent(w) {
		return w
	}
	nodes, _ := at(root, prefix)
	wl := startOf(w)
	for _, n := range nodes {
		if l, ok := n.(lister); ok {
			if _, isList := l.elements(); isList {
				continue
			}
		}
		if l, e := n.span(); l < wl && wl <= e {
			return n
		}
	}
	return w
}

// maxCondNesting bounds how deep commonPrefix and crossSetting walk
// combinators.
const maxCondNesting = 8

// commonPrefix is the path below which every condition of an `all` reads,
// when they read at least two different settings there; else nil.
func (c *cond) commonPrefix() []string {
	if len(c.All) < 2 {
		return nil
	}
	var paths [][]string
	if !c.leafPaths(&paths, 0) || len(paths) < 2 {
		return nil
	}
	prefix, distinct := paths[0], false
	for _, p := range paths[1:] {
		n := 0
		for n < len(prefix) && n < len(p) && prefix[n] == p[n] {
			n++
		}
		distinct = distinct || n != len(prefix) || n != len(p)
		prefix = prefix[:n]
	}
	for _, p := range paths {
		if len(p) <= len(prefix) {
			return nil // a condition on the block itself
		}
	}
	if !distinct {
		return nil
	}
	return prefix
}

// leafPaths gathers the paths of c's value conditions through all, any and
// not; false when one judges list elements (some, port_range) or the
// conditions nest too deep.
func (c *cond) leafPaths(out *[][]string, depth int) bool {
	if c == nil || depth > maxCondNesting {
		return false
	}
	if c.steps != nil {
		if c.Some != nil || c.PortRange != nil {
			return false
		}
		*out = append(*out, c.steps)
		return true
	}
	for _, y := range append(append([]*cond{}, c.All...), c.Any...) {
		if !y.leafPaths(out, depth+1) {
			return false
		}
	}
	return c.Not == nil || c.Not.leafPaths(out, depth+1)
}

// crossSetting is true when c is an `all` whose conditions read more than
// one top-level setting: a judgement of the resource's settings together
// (a group named default that has public rules).
func (c *cond) crossSetting() bool {
	if c == nil || len(c.All) < 2 {
		return false
	}
	var paths [][]string
	c.leafPaths(&paths, 0)
	if len(paths) == 0 || len(paths[0]) == 0 {
		return false
	}
	for _, p := range paths {
		if len(p) > 0 && p[0] != paths[0][0] {
			return true
		}
	}
	return false
}
