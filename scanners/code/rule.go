package code

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Rule is one check, written as data so that maintainers can add simple
// pattern rules of their own (from .shiftward.yml) in the same shape as the
// built-in ones: which sites it looks at (Match), what must hold of them,
// and what to say.
type Rule struct {
	// ID is stable; the finding's rule id is "code/" + ID ("py-sqli").
	ID string `json:"id" yaml:"id"`
	// Family is the vulnerability class ("sqli", "cmdi", "weak-hash").
	Family string `json:"family" yaml:"family"`
	// Languages the rule applies to: go, python, javascript, typescript, java.
	Languages []string          `json:"languages" yaml:"languages"`
	Severity  scanners.Severity `json:"severity" yaml:"severity"`
	// Title is static ("SQL built from strings").
	Title string `json:"title" yaml:"title"`
	// Why explains the danger; "{call}" is replaced by the matched call and
	// "{source}" by where tainted input comes from.
	Why string `json:"why" yaml:"why"`
	// References are CWE ids and URLs.
	References []string `json:"references" yaml:"references"`
	Match      Match    `json:"match" yaml:"match"`
	// Fix names a deterministic fix (fix.go); empty for none.
	Fix string `json:"fix,omitempty" yaml:"fix,omitempty"`
	// TaintRaises raises the severity one grade when the matched value is
	// derived from request/input data within the function.
	TaintRaises bool `json:"taint_raises,omitempty" yaml:"taint_raises,omitempty"`
	// LocalSeverity, when set, is the severity when the value comes only
	// from the process's own input (command line, environment, stdin): a
	// CLI tool opening the file its user named is rarely an attack.
	LocalSeverity scanners.Severity `json:"local_severity,omitempty" yaml:"local_severity,omitempty"`
	// TaintSeverity, when set, is the severity when the value is derived
	// from input (the rule's Severity then grades the audit case: a value
	// that is merely not constant).
	TaintSeverity scanners.Severity `json:"taint_severity,omitempty" yaml:"taint_severity,omitempty"`
}

// Match selects sites.
type Match struct {
	// Kind is "call" (default), "assign", "pair", "import" or "string" (a
	// string built from variables that looks like markup or a URL).
	Kind string `json:"kind,omitempty" yaml:"kind,omitempty"`
	// Names are globs ('*' matches any run of characters) over the site's
	// qualified name: "hashlib.md5", "*.execute", "crypto/md5.*".
	Names []string `json:"names" yaml:"names"`
	// NotNames exclude names the Names globs would take.
	NotNames []string `json:"not_names,omitempty" yaml:"not_names,omitempty"`
	// In are globs over a pair's container ("crypto/tls.Config").
	In []string `json:"in,omitempty" yaml:"in,omitempty"`
	// Arg is the positional argument checked (0-based); -1 for none, -2
	// for the receiver of a method call (Python, JavaScript and Java
	// record it when it is input or predictable randomness), and AnyArg
	// checks every positional argument.
	Arg    int  `json:"arg" yaml:"arg"`
	AnyArg bool `json:"any_arg,omitempty" yaml:"any_arg,omitempty"`
	// Keyword is the keyword argument that can stand for Arg (url=...).
	Keyword string `json:"keyword,omitempty" yaml:"keyword,omitempty"`
	// When is the condition on the checked value: "any" (the site alone
	// matches), "nonconst" (not provably constant), "tainted" (from input),
	// "literal" (equals one of Equals), "const" (a constant number, string or
	// list spelled out), "matches" (a constant string matching
	// Pattern), "contains" (a constant list or string holding one of Equals),
	// "injection" (a string built from a variable, or input),
	// "host" (a URL whose host part comes from input),
	// "input" (from request input, or from a parameter of the function),
	// "absent" (the argument is not given: app.enableCors()),
	// "strbuilt" (a string built by concatenation or formatting from a value
	// that is not constant), "redos" (a constant regular expression with a
	// nested or ambiguous unbounded repetition: (a+)+, (a|a)*), "command" (an argument list or program whose
	// program, or shell script, is not constant), "source" (input whose
	// source is one of Equals as globs, passed as it came or spread into a
	// literal, not through a call: User.create(req.body), {...req.body}),
	// "weakrand" (derived from a predictable random generator's output:
	// Math.random(), java.util.Random, Python's random),
	// "unset" (a struct or object literal none of whose Equals fields is
	// set other than to false; with Pattern, its "key=value" lines must
	// match), "elem" (a list, literal or appended to, one of whose elements has a
	// qualified name matching one of Equals as globs: a cipher suite list),
	// "operator" (request input
	// that may be a structured value rather than a string: the input passed
	// whole or a member of it, not a string built here, a String(...) of it
	// or an object/dict/list literal, whose pairs are sites of their own: a
	// NoSQL query object whose values can be {"$ne": null}).
	When    string   `json:"when" yaml:"when"`
	Equals  []string `json:"equals,omitempty" yaml:"equals,omitempty"`
	Pattern string   `json:"pattern,omitempty" yaml:"pattern,omitempty"`
	// NotPattern, with "unset", is a regexp the literal's "key=value"
	// lines must not match (a CSRF token cookie, meant to be read).
	NotPattern string `json:"not_pattern,omitempty" yaml:"not_pattern,omitempty"`
	// Require are keyword arguments (or positional ones, as "#0") that must
	// be present with one of the listed literal values (shell=True), or for
	// positional ones a qualified name matching one of them as a glob.
	Require map[string][]string `json:"require,omitempty" yaml:"require,omitempty"`
	// Unless are keyword arguments (or positional, as "#1") whose literal or
	// qualified value matching one of the globs makes the site safe
	// (Loader=yaml.SafeLoader).
	Unless map[string][]string `json:"unless,omitempty" yaml:"unless,omitempty"`
	// FixedHost: a value that starts with a constant "scheme://host/" is
	// safe (SSRF: the input only picks a path on a fixed host).
	FixedHost bool `json:"fixed_host,omitempty" yaml:"fixed_host,omitempty"`
	// Target is a regexp the variable receiving the result must match (or
	// the enclosing function's name must look like it makes a secret):
	// randomness is only a finding when it makes a token.
	Target string `json:"target,omitempty" yaml:"target,omitempty"`
	// Rest takes the positional arguments from Arg on as one command line
	// (exec.Command(name, args...)).
	Rest bool `json:"rest,omitempty" yaml:"rest,omitempty"`
	// Shape is a regexp the constant text of a built string must match (a
	// query's keywords) for a method name as common as Exec to count; a
	// pair's value must be such a string.
	Shape string `json:"shape,omitempty" yaml:"shape,omitempty"`
	// ShapelessReceiver, with Shape, is a regexp the receiver of the call
	// (the name before the method: pool in this.pool.query) must match
	// for a value whose text cannot be read (input passed whole, what a
	// call returned) to count, unless the file imports one of
	// ShapelessImports: a search module's or a GraphQL client's query
	// method takes no SQL.
	ShapelessReceiver string   `json:"shapeless_receiver,omitempty" yaml:"shapeless_receiver,omitempty"`
	ShapelessImports  []string `json:"shapeless_imports,omitempty" yaml:"shapeless_imports,omitempty"`
	// Method requires a method called on a value (db.Query), not a
	// package-level function of the same name (syscall.Exec).
	Method bool `json:"method,omitempty" yaml:"method,omitempty"`
	// RequestOnly: a tainted value counts only when it comes from a network
	// request, not from the command line, environment or standard input (a
	// CLI tool opening the file its user named is not path traversal).
	RequestOnly bool `json:"request_only,omitempty" yaml:"request_only,omitempty"`
	// Imports are modules of which the file must import one.
	Imports []string `json:"imports,omitempty" yaml:"imports,omitempty"`
	// UnlessCalled are calls whose presence in the same function makes the
	// site safe: globs over the qualified names of the function's other
	// calls, in which "$target" stands for the variable the site's result
	// is assigned to. "$target.setFeature" takes `dbf =
	// DocumentBuilderFactory.newInstance(); dbf.setFeature(...)` as
	// hardened; "*.startsWith" takes a path as checked. A site outside any
	// function (a field's initializer) looks at the calls of the whole
	// file. The last segment of each must be a plain name (no '*');
	// "$target" matches nothing when the result is not assigned.
	// An entry may name the call's leading arguments, each a glob (or
	// globs joined by '|') over the argument's constant text or qualified
	// name, `""` for the empty string: `*.setFeature(*disallow-doctype-decl,
	// true)` is a parser hardened, not one configured the other way
	// ("$input": an argument tainted by input; "$var": one not constant); and
	// may join calls with " & ", all of which the function must make. A
	// call written "$recv=name(...)" must have made the site's receiver (its
	// result assigned to the variable the site's method is called on:
	// `kpg = KeyPairGenerator.getInstance("RSA"); kpg.initialize(1024)`).
	UnlessCalled []string `json:"unless_called,omitempty" yaml:"unless_called,omitempty"`
	// IfCalled, when set, are calls (globs, as UnlessCalled without
	// arguments) of which the site's function must make one: the site is
	// a parse of the parser made there (`*.parse` where the function calls
	// DocumentBuilderFactory.newInstance).
	IfCalled []string `json:"if_called,omitempty" yaml:"if_called,omitempty"`
	// Paths are globs over the file's path of which one must match, and
	// NotPaths globs none may match ("*settings.py", "*settings*local*.py"):
	// a setting that matters only in some modules (Django's settings).
	Paths    []string `json:"paths,omitempty" yaml:"paths,omitempty"`
	NotPaths []string `json:"not_paths,omitempty" yaml:"not_paths,omitempty"`
	// Callee is a regexp the site's name must match besides Names: a class
	// instantiated by name (`(^|\.)[A-Z]\w*$`, User(...), new User(...)).
	Callee string `json:"callee,omitempty" yaml:"callee,omitempty"`
	// Body is a regexp the source of the definition a decorator site
	// decorates (decorators included) must match: @csrf_exempt matters on
	// a view that handles POST. A site that decorates nothing never matches.
	// In Go, every site's definition is the function (or function literal)
	// it is in: a reflected CORS origin matters in a handler that also sets
	// Access-Control-Allow-Credentials: true.
	Body string `json:"body,omitempty" yaml:"body,omitempty"`
	// NotBody is a regexp the same source must not match: a session saved
	// in a handler that never sets HttpOnly.
	NotBody string `json:"not_body,omitempty" yaml:"not_body,omitempty"`
	// Sources, when set, are globs over where a tainted value's input
	// comes from ("flask.request.json*"): input from elsewhere counts as
	// merely not constant. NotSources are sources that do not count
	// (redirecting to the request's own path).
	Sources    []string `json:"sources,omitempty" yaml:"sources,omitempty"`
	NotSources []string `json:"not_sources,omitempty" yaml:"not_sources,omitempty"`
	// SafePrefix is a regexp over the constant text a built value starts
	// with that makes it safe ("/account?next=" + x: a redirect that stays
	// on this site; "/" + x does not, "//evil.example" is another host).
	// A built value whose first variable part is not input (a configured
	// base, url_for(...)) is safe too when SafePrefix is set.
	SafePrefix string `json:"safe_prefix,omitempty" yaml:"safe_prefix,omitempty"`
	// Guards are globs over calls that check a value (Django's
	// url_has_allowed_host_and_scheme): a site whose checked value comes
	// from the same input as an argument of such a call, made earlier in
	// the same function, is not a match.
	Guards []string `json:"guards,omitempty" yaml:"guards,omitempty"`
	// OptIn is a regexp over the enclosing function's name, the variable
	// the site's result goes to (or, for a member assignment, the object
	// assigned into), and (Go) each condition of the if
	// statements around the site: a match marks a setting someone opted
	// into by name (an `insecure` flag, makeInsecureClient, a TestX
	// function), which is not a match.
	OptIn string `json:"opt_in,omitempty" yaml:"opt_in,omitempty"`
	// Checked is a regexp over the conditions (Go) of the if statements
	// around the site, one at a time: a match means the value is checked
	// before use (if allowed(u) {...}, if strings.HasPrefix(u, base)
	// {...}), which is not a match. Unlike OptIn it never reads the
	// function's or a variable's name (a handler named validateAndFetch
	// still fetches what it is given).
	Checked string `json:"checked,omitempty" yaml:"checked,omitempty"`
	// Escaped: with AnyArg, the arguments a printf-style format given
	// before them prints with %q (not %#q) or a numeric verb are escaped
	// and not checked (log.Printf("user %q", name): no line break gets
	// through).
	Escaped bool `json:"escaped,omitempty" yaml:"escaped,omitempty"`

	pattern *regexp.Regexp
	notPat  *regexp.Regexp
	callee  *memoRegexp
	body    *regexp.Regexp
	notBody *regexp.Regexp
	safe    *regexp.Regexp
	target  *regexp.Regexp
	shape   *regexp.Regexp
	// shapeless is ShapelessReceiver compiled.
	shapeless *regexp.Regexp
	optIn     *regexp.Regexp
	checked   *regexp.Regexp
}

// compile checks the rule and prepares its regexps; a bad rule is an error,
// never a panic (rules may come from repository configuration).
func (r *Rule) compile() error {
	if r.ID == "" || strings.ContainsAny(r.ID, " /") {
		return fmt.Errorf("code rule %q: id must be non-empty without spaces or slashes", r.ID)
	}
	if len(r.Languages) == 0 {
		return fmt.Errorf("code rule %s: no languages", r.ID)
	}
	for _, l := range r.Languages {
		if !knownLanguage(l) {
			return fmt.Errorf("code rule %s: unknown language %q", r.ID, l)
		}
	}
	if len(r.Match.Names) == 0 {
		return fmt.Errorf("code rule %s: match.names is empty", r.ID)
	}
	switch r.Match.Kind {
	case "", "call", "assign", "pair", "import", "string":
	default:
		return fmt.Errorf("code rule %s: unknown match.kind %q", r.ID, r.Match.Kind)
	}
	switch r.Match.When {
	case "any", "const", "nonconst", "tainted", "literal", "matches", "contains", "strbuilt", "command", "qual", "input", "absent", "constcall", "injection", "host", "redos", "source", "operator", "elem", "weakrand", "unset":
	default:
		return fmt.Errorf("code rule %s: unknown match.when %q", r.ID, r.Match.When)
	}
	for _, c := range append(append([]string{}, r.Match.UnlessCalled...), r.Match.IfCalled...) {
		for _, cc := range parseCalled(c) {
			if last := lastName(cc.name); last == "" || strings.Contains(last, "*") {
				return fmt.Errorf("code rule %s: unless_called/if_called %q must end in a plain name", r.ID, c)
			}
		}
	}
	if r.Match.Pattern != "" {
		re, err := regexp.Compile(r.Match.Pattern)
		if err != nil {
			return fmt.Errorf("code rule %s: pattern: %w", r.ID, err)
		}
		r.Match.pattern = re
	} else if r.Match.When == "matches" {
		return fmt.Errorf("code rule %s: when matches needs a pattern", r.ID)
	}
	if r.Match.NotPattern != "" {
		re, err := regexp.Compile(r.Match.NotPattern)
		if err != nil {
			return fmt.Errorf("code rule %s: not_pattern: %w", r.ID, err)
		}
		r.Match.notPat = re
	}
	if r.Match.Shape != "" {
		re, err := regexp.Compile(r.Match.Shape)
		if err != nil {
			return fmt.Errorf("code rule %s: shape: %w", r.ID, err)
		}
		r.Match.shape = re
	}
	if r.Match.ShapelessReceiver != "" {
		re, err := regexp.Compile(r.Match.ShapelessReceiver)
		if err != nil {
			return fmt.Errorf("code rule %s: shapeless_receiver: %w", r.ID, err)
		}
		r.Match.shapeless = re
	}
	if r.Match.Callee != "" {
		re, err := regexp.Compile(r.Match.Callee)
		if err != nil {
			return fmt.Errorf("code rule %s: callee: %w", r.ID, err)
		}
		r.Match.callee = newMemoRegexp(re)
	}
	if r.Match.Body != "" {
		re, err := regexp.Compile(r.Match.Body)
		if err != nil {
			return fmt.Errorf("code rule %s: body: %w", r.ID, err)
		}
		r.Match.body = re
	}
	if r.Match.NotBody != "" {
		re, err := regexp.Compile(r.Match.NotBody)
		if err != nil {
			return fmt.Errorf("code rule %s: not_body: %w", r.ID, err)
		}
		r.Match.notBody = re
	}
	if r.Match.SafePrefix != "" {
		re, err := regexp.Compile(r.Match.SafePrefix)
		if err != nil {
			return fmt.Errorf("code rule %s: safe_prefix: %w", r.ID, err)
		}
		r.Match.safe = re
	}
	if r.Match.Checked != "" {
		re, err := regexp.Compile(r.Match.Checked)
		if err != nil {
			return fmt.Errorf("code rule %s: checked: %w", r.ID, err)
		}
		r.Match.checked = re
	}
	if r.Match.OptIn != "" {
		re, err := regexp.Compile(r.Match.OptIn)
		if err != nil {
			return fmt.Errorf("code rule %s: opt_in: %w", r.ID, err)
		}
		r.Match.optIn = re
	}
	if r.Match.Target != "" {
		re, err := regexp.Compile(r.Match.Target)
		if err != nil {
			return fmt.Errorf("code rule %s: target: %w", r.ID, err)
		}
		r.Match.target = re
	}
	if fx, _ := lookupFixer(r.Fix); r.Fix != "" && fx == nil {
		return fmt.Errorf("code rule %s: unknown fix %q", r.ID, r.Fix)
	}
	if r.Severity == scanners.SeverityUnknown {
		return fmt.Errorf("code rule %s: no severity", r.ID)
	}
	return nil
}

var languages = []string{"go", "python", "javascript", "typescript", "java"}

func knownLanguage(l string) bool {
	for _, k := range languages {
		if k == l {
			return true
		}
	}
	return false
}

func (m *Match) kind() siteKind {
	switch m.Kind {
	case "assign":
		return siteAssign
	case "pair":
		return sitePair
	case "import":
		return siteImport
	case "string":
		return siteString
	}
	return siteCall
}

// glob reports whether name matches pattern, where '*' matches any run of
// characters (dots and slashes included). It is the usual two-cursor match
// that backtracks only to the last star: time in the product of the lengths
// at worst, whatever the number of stars (patterns come from repositories'
// own rules too).
func glob(pattern, name string) bool {
	// Most names a pattern is tried on differ from it in the first or the
	// last byte, which a pattern must match as written unless it is a
	// star there: those are told apart before any search.
	if len(pattern) > 0 {
		if c := pattern[0]; c != '*' && (len(name) == 0 || name[0] != c) {
			return false
		}
		if c := pattern[len(pattern)-1]; c != '*' && (len(name) == 0 || name[len(name)-1] != c) {
			return false
		}
	}
	// The shapes rules are written in, matched at the speed of strings'
	// own search.
	switch i := strings.IndexByte(pattern, '*'); {
	case i < 0:
		return pattern == name
	case i == len(pattern)-1:
		return strings.HasPrefix(name, pattern[:i])
	case i == 0 && strings.IndexByte(pattern[1:], '*') < 0:
		return strings.HasSuffix(name, pattern[1:])
	case i == 0 && len(pattern) > 1 && pattern[len(pattern)-1] == '*' &&
		strings.IndexByte(pattern[1:len(pattern)-1], '*') < 0:
		return strings.Contains(name, pattern[1:len(pattern)-1])
	}
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// globSet is a list of glob patterns compiled for the lists tried on
// every name a walk meets (a language's sources and sanitizers): exact
// names in a map (asked only for names whose first byte and length some
// exact name has), the others under the byte they start with (tried only
// when their second byte, unless a star, is the name's too) or, starting
// with a star, the byte they end with, so a name is tried only against the
// patterns whose written ends it has. match(name) is anyGlob(patterns,
// name).
type globSet struct {
	exact      map[string]bool
	exactFirst [256]bool
	exactLens  uint64 // bit len%64 of each exact name
	first      [256][]string
	last       [256][]string
	always     []string
}

func newGlobSet(patterns []string) *globSet {
	g := &globSet{exact: map[string]bool{}}
	for _, p := range patterns {
		star := strings.IndexByte(p, '*')
		switch {
		case star < 0:
			g.exact[p] = true
			if p != "" {
				g.exactFirst[p[0]] = true
			}
			g.exactLens |= 1 << (len(p) % 64)
		case star > 0:
			g.first[p[0]] = append(g.first[p[0]], p)
		case p[len(p)-1] != '*':
			g.last[p[len(p)-1]] = append(g.last[p[len(p)-1]], p)
		default:
			g.always = append(g.always, p)
		}
	}
	return g
}

func (g *globSet) match(name string) bool {
	if g == nil {
		return false
	}
	if name == "" {
		if g.exact[name] {
			return true
		}
	} else {
		if g.exactFirst[name[0]] && g.exactLens&(1<<(len(name)%64)) != 0 && g.exact[name] {
			return true
		}
		for _, p := range g.first[name[0]] {
			// p[0] is name[0]; a second byte written out must be the
			// name's too.
			if len(p) > 1 && p[1] != '*' && (len(name) < 2 || name[1] != p[1]) {
				continue
			}
			if glob(p, name) {
				return true
			}
		}
		for _, p := range g.last[name[len(name)-1]] {
			if glob(p, name) {
				return true
			}
		}
	}
	for _, p := range g.always {
		if glob(p, name) {
			return true
		}
	}
	return false
}

func anyGlob(patterns []string, name string) bool {
	for _, p := range patterns {
		if glob(p, name) {
			return true
		}
	}
	return false
}

// possible reports whether the site could match r, as far as the site
// alone decides (its kind, names, container, target, and the arguments r
// reads); what else match needs (the file's imports) is only known once the
// whole file is walked. A site no rule could match need not be kept.
func (r *Rule) possible(s *site) bool {
	m := &r.Match
	if s.kind == siteCall && anyGlob(m.Guards, s.name) {
		return true
	}
	// Cheapest first: every site of a file meets the rules whose Names
	// take any name.
	if s.kind != m.kind() || !anyGlob(m.Names, s.name) {
		return false
	}
	if len(m.In) > 0 && !anyGlob(m.In, s.container) || m.Method && s.pkg {
		return false
	}
	for kw := range m.Require {
		if strings.HasPrefix(kw, "#") {
			if i, err := strconv.Atoi(kw[1:]); err != nil || i < 0 || i >= len(s.args) {
				return false
			}
		} else if _, ok := s.kwargs[kw]; !ok {
			return false
		}
	}
	if m.When == "weakrand" && !carriesWeakRand(s) {
		return false
	}
	if anyGlob(m.NotNames, s.name) || !r.hasArg(s) {
		return false
	}
	// The regexps last: most sites have failed a cheaper test by now.
	if m.callee != nil && !m.callee.match(s.name) {
		return false
	}
	return m.target == nil || m.target.MatchString(s.target) || tokenFunction.match(s.fn)
}

// hasArg reports whether a call site has the argument r reads (or, for
// "absent", lacks it); any other site has what r reads.
func (r *Rule) hasArg(s *site) bool {
	m := &r.Match
	if s.kind != siteCall || m.AnyArg || m.When == "any" && m.Arg < 0 {
		return true
	}
	if m.Rest {
		return m.Arg >= 0 && m.Arg < len(s.args)
	}
	_, ok := s.arg(m.Arg, m.Keyword)
	return ok != (m.When == "absent")
}

// carriesWeakRand reports whether any value of s (an argument, its
// receiver, an assigned or paired value) is predictable randomness: a
// cheap test that spares the rules that look for it the rest of theirs.
// Only a call site has its values when possible asks (an assignment's is
// copied in once the site is kept).
func carriesWeakRand(s *site) bool {
	if s.recv != nil && s.recv.weakRand || s.val != nil && s.val.weakRand || s.valWeak {
		return true
	}
	for _, a := range s.args {
		if a.weakRand {
			return true
		}
	}
	for _, a := range s.kwargs {
		if a.weakRand {
			return true
		}
	}
	return false
}

// match reports whether the site matches and, if so, the value that made it
// match (for severity and message).
func (r *Rule) match(u *unit, s *site) (value, bool) {
	// Only a value that is predictable randomness passes "weakrand"
	// (check), so a site that carries none fails before its regexps are
	// run.
	if r.Match.When == "weakrand" && !carriesWeakRand(s) {
		return value{}, false
	}
	if !r.matchesSite(u, s) || !r.required(s) || r.excepted(s) || r.calledAway(u, s) {
		return value{}, false
	}
	var v value
	var ok bool
	switch s.kind {
	case siteAssign, sitePair, siteString:
		if s.val == nil {
			return value{}, false
		}
		v, ok = r.check(*s.val)
	case siteImport:
		v, ok = value{t: constant}, r.Match.When == "any"
	default:
		v, ok = r.matchCall(s)
		if ok && len(r.Match.Guards) > 0 && guarded(u, s, v, r.Match.Guards) {
			return value{}, false
		}
		if ok && r.Match.shapeless != nil && !v.isStr && !importsAny(u, r.Match.ShapelessImports) &&
			!r.Match.shapeless.MatchString(receiverName(s.name)) {
			return value{}, false
		}
	}
	if !ok || !r.bodyFits(u, s) {
		return value{}, false
	}
	return v, ok
}

// receiverName is the last name before the method in a call's qualified
// name: pool in this.pool.query, db in db.query; "" for a function.
func receiverName(q string) string {
	i := strings.LastIndexByte(q, '.')
	if i < 0 {
		return ""
	}
	q = q[:i]
	return q[strings.LastIndexByte(q, '.')+1:]
}

// guarded reports whether the input v comes from was passed, earlier in
// s's function, to one of the calls guards names (a check of it).
func guarded(u *unit, s *site, v value, guards []string) bool {
	if v.t != tainted {
		return false
	}
	same := func(a value) bool { return a.t == tainted && a.source == v.source && a.srcLine == v.srcLine }
	for i := range u.sites {
		g := &u.sites[i]
		if g.kind != siteCall || !withinFn(s.fn, g.fn) || g.line > s.line || !anyGlob(guards, g.name) {
			continue
		}
		for _, a := range g.args {
			if same(a) {
				return true
			}
		}
		for _, a := range g.kwargs {
			if same(a) {
				return true
			}
		}
	}
	return false
}

// matchesSite reports whether the site is one r looks at: its kind, name,
// container, receiver and target, in a file with one of r's imports.
func (r *Rule) matchesSite(u *unit, s *site) bool {
	m := &r.Match
	if s.kind != m.kind() {
		return false
	}
	if !anyGlob(m.Names, s.name) || anyGlob(m.NotNames, s.name) {
		return false
	}
	if len(m.In) > 0 && !anyGlob(m.In, s.container) {
		return false
	}
	if m.Method && s.pkg {
		return false
	}
	if len(m.Imports) > 0 && !importsAny(u, m.Imports) {
		return false
	}
	if m.callee != nil && !m.callee.match(s.name) {
		return false
	}
	if len(m.Paths) > 0 && !anyGlob(m.Paths, u.path) || anyGlob(m.NotPaths, u.path) {
		return false
	}
	if m.optIn != nil && (m.optIn.MatchString(s.fn) || m.optIn.MatchString(s.target) || optedIn(m.optIn, s.cond) ||
		s.kind == siteAssign && m.optIn.MatchString(s.container)) {
		return false
	}
	if m.checked != nil && optedIn(m.checked, s.cond) {
		return false
	}
	return m.target == nil || m.target.MatchString(s.target) || tokenFunction.match(s.fn)
}

// bodyFits reports whether the text of the site's function has what r's
// Body asks and lacks what its NotBody rules out: regexps over a whole
// function, so tried last, once everything cheaper has passed.
func (r *Rule) bodyFits(u *unit, s *site) bool {
	m := &r.Match
	if m.body != nil && (s.defEnd <= s.defStart || s.defEnd > len(u.src) || !m.body.Match(u.src[s.defStart:s.defEnd])) {
		return false
	}
	return m.notBody == nil || s.defEnd <= s.defStart || s.defEnd > len(u.src) || !m.notBody.Match(u.src[s.defStart:s.defEnd])
}

// optedIn reports whether one of the conditions in cond (one a line)
// matches re.
func optedIn(re *regexp.Regexp, cond string) bool {
	for _, c := range strings.Split(cond, "\n") {
		if c != "" && re.MatchString(c) {
			return true
		}
	}
	return false
}

// importsAny reports whether the file imports one of imports.
func importsAny(u *unit, imports []string) bool {
	for _, imp := range imports {
		if u.imports[imp] {
			return true
		}
	}
	return false
}

// required reports whether every argument r requires ("#N" by position, a
// keyword by name) is there with one of the values required.
func (r *Rule) required(s *site) bool {
	for kw, vals := range r.Match.Require {
		if strings.HasPrefix(kw, "#") {
			i, err := strconv.Atoi(kw[1:])
			v, ok := s.arg(i, "")
			if err != nil || !ok || !(literalIn(v, vals) || (v.qual != "" && anyGlob(vals, v.qual))) {
				return false
			}
			continue
		}
		v, ok := s.kwargs[kw]
		if !ok || !literalIn(v, vals) {
			return false
		}
	}
	return true
}

// excepted reports whether an argument r's Unless names ("#N" by position,
// a keyword by name) has a name or constant value that rules the site out.
func (r *Rule) excepted(s *site) bool {
	for kw, globs := range r.Match.Unless {
		var v value
		var ok bool
		if strings.HasPrefix(kw, "#") {
			i, err := strconv.Atoi(kw[1:])
			if err != nil {
				continue
			}
			v, ok = s.arg(i, "")
		} else {
			v, ok = s.kwargs[kw]
		}
		if ok && (anyGlob(globs, v.qual) || (v.t == constant && anyGlob(globs, v.lit))) {
			return true
		}
	}
	return false
}

// calledAway reports whether the site's function makes one of the calls
// r's UnlessCalled names ("$target" standing for the variable the site's
// result is assigned to).
func (r *Rule) calledAway(u *unit, s *site) bool {
	if len(r.Match.IfCalled) > 0 {
		made := false
		for _, c := range r.Match.IfCalled {
			if r.madeCalls(u, s, c) {
				made = true
				break
			}
		}
		if !made {
			return true
		}
	}
	for _, c := range r.Match.UnlessCalled {
		if strings.Contains(c, "$target") {
			if s.target == "" {
				continue
			}
			c = strings.ReplaceAll(c, "$target", s.target)
		}
		if r.madeCalls(u, s, c) {
			return true
		}
	}
	return false
}

// madeCalls reports whether the site's function makes every call the
// entry c joins.
func (r *Rule) madeCalls(u *unit, s *site, c string) bool {
	for _, cc := range parseCalled(c) {
		if cc.recv {
			cc.target = receiverVar(s.name)
			if cc.target == "" {
				return false
			}
		}
		if !u.called(s.fn, cc.name) || ((cc.args != nil || cc.target != "") && !u.calledWith(s.fn, cc)) {
			return false
		}
	}
	return true
}

// receiverVar is the plain variable a method call's name is called on
// ("kpg" in "kpg.initialize"), or "".
func receiverVar(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	recv := name[:i]
	for _, ch := range recv {
		if !(ch == '_' || ch == '$' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
			return ""
		}
	}
	return recv
}

// calledCall is one call an UnlessCalled entry names: a glob over the
// callee and, when args is not nil, globs over its leading arguments.
type calledCall struct {
	name string
	args []string
	// recv: the call must have made the site's receiver, the variable
	// target (set when the entry is checked).
	recv   bool
	target string
}

// parseCalled splits an UnlessCalled entry into the calls it joins with
// '&', each with the argument globs it gives in parentheses.
func parseCalled(c string) []calledCall {
	var out []calledCall
	for _, part := range strings.Split(c, "&") {
		part = strings.TrimSpace(part)
		cc := calledCall{name: part}
		if rest, ok := strings.CutPrefix(part, "$recv="); ok {
			part, cc.name, cc.recv = rest, rest, true
		}
		if i := strings.IndexByte(part, '('); i > 0 && strings.HasSuffix(part, ")") {
			cc.name, cc.args = strings.TrimSpace(part[:i]), []string{}
			if inner := strings.TrimSpace(part[i+1 : len(part)-1]); inner != "" {
				for _, a := range strings.Split(inner, ",") {
					cc.args = append(cc.args, strings.TrimSpace(a))
				}
			}
		}
		out = append(out, cc)
	}
	return out
}

// calledWith reports whether function fn (any, outside functions) makes
// the call cc names with leading arguments that match its globs.
func (u *unit) calledWith(fn string, cc calledCall) bool {
	for i := range u.sites {
		c := &u.sites[i]
		if c.kind != siteCall || (fn != "" && !withinFn(fn, c.fn)) || !glob(cc.name, c.name) || (cc.target != "" && c.target != cc.target) {
			continue
		}
		ok := true
		for j, g := range cc.args {
			a, has := c.arg(j, "")
			if !has || !argGlob(g, a) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// argGlob reports whether an argument's constant text or qualified name
// matches one of the '|'-joined globs g (`""`: the empty string; "$input":
// any value tainted by input; "$var": any value not constant).
func argGlob(g string, a value) bool {
	for _, p := range strings.Split(g, "|") {
		if p == "$input" {
			if a.t == tainted {
				return true
			}
			continue
		}
		if p == "$var" {
			if a.t != constant {
				return true
			}
			continue
		}
		if p == `""` {
			if a.t == constant && a.isStr && a.lit == "" {
				return true
			}
			continue
		}
		if (a.t == constant && glob(p, a.lit)) || (a.qual != "" && glob(p, a.qual)) {
			return true
		}
	}
	return false
}

// matchCall matches a call site by its arguments: any call at all, the
// worst argument, the arguments from Arg on, or the one argument r reads
// (or its absence).
func (r *Rule) matchCall(s *site) (value, bool) {
	m := &r.Match
	if m.When == "any" && m.Arg < 0 && !m.AnyArg {
		return value{t: constant}, true
	}
	if m.AnyArg {
		return r.matchAnyArg(s)
	}
	if m.Rest {
		return r.matchRest(s)
	}
	v, ok := s.arg(m.Arg, m.Keyword)
	if m.When == "absent" {
		return value{t: constant}, !ok
	}
	if !ok {
		return value{}, false
	}
	if r.Family == "xss" && v.fields != nil && !v.isStr {
		// res.send({name}), make_response({...}): an object or dict
		// literal is sent as JSON, not markup.
		return value{}, false
	}
	return r.check(v)
}

// matchAnyArg matches the call on any of its arguments (and the keyword
// argument r names), keeping the worst that matches.
func (r *Rule) matchAnyArg(s *site) (value, bool) {
	best, hit := value{}, false
	if r.Match.safe != nil {
		// What the call prints first (a format's start, Fprint's first
		// string) is the start of the value SafePrefix reads.
		for _, a := range s.args {
			if !a.isStr {
				continue
			}
			lit := a.lit
			if i := strings.IndexByte(lit, '%'); i >= 0 {
				lit = lit[:i]
			}
			if a.t == constant && r.Match.safe.MatchString(lit) {
				return best, false
			}
			break
		}
	}
	var escaped map[int]bool
	if r.Match.Escaped {
		escaped = escapedArgs(s.args)
	}
	for i, a := range s.args {
		if escaped[i] {
			continue
		}
		if v, ok := r.check(a); ok && (!hit || v.t > best.t) {
			best, hit = v, true
		}
	}
	if kv, ok := s.kwargs[r.Match.Keyword]; ok && r.Match.Keyword != "" {
		if v, ok := r.check(kv); ok && (!hit || v.t > best.t) {
			best, hit = v, true
		}
	}
	return best, hit
}

// escapedArgs finds the first constant format string among args and
// returns the indexes of the arguments after it that it prints with %q
// (without the '#' flag, which keeps line breaks) or a numeric verb.
func escapedArgs(args []value) map[int]bool {
	for i, f := range args {
		if f.t != constant || !f.isStr || !strings.Contains(f.lit, "%") {
			continue
		}
		out := map[int]bool{}
		n := i + 1
		for _, m := range percentVerb.FindAllString(f.lit, -1) {
			if m == "%%" {
				continue
			}
			verb := m[len(m)-1]
			if verb == 'q' && !strings.Contains(m, "#") || strings.IndexByte("dboxXeEfFgGtcU", verb) >= 0 {
				out[n] = true
			}
			n++
		}
		return out
	}
	return nil
}

// matchRest matches exec.Command(name, args...): the arguments from Arg on
// are one command line, as tainted as the worst of them.
func (r *Rule) matchRest(s *site) (value, bool) {
	m := &r.Match
	if m.Arg < 0 || m.Arg >= len(s.args) {
		return value{}, false
	}
	rest := s.args[m.Arg:]
	v := value{elems: rest, start: rest[0].start, end: rest[len(rest)-1].end}
	for _, a := range rest {
		if a.t > v.t {
			v.t, v.source, v.srcLine = a.t, a.source, a.srcLine
		}
	}
	return r.check(v)
}

func (r *Rule) check(v value) (value, bool) {
	m := &r.Match
	if v.t == tainted && !r.takesSource(v.source) {
		v.t = unknown
	}
	if m.safe != nil && v.t != constant && v.isStr {
		// A safe constant start, or a start that is a value but not
		// input (url_for(...) + "?next=" + x), leaves input the tail.
		if v.prefix != "" && m.safe.MatchString(v.prefix) || v.t == tainted && v.hasVar && v.varTaint != tainted {
			return v, false
		}
	}
	if m.shape != nil && !v.isStr && m.kind() == sitePair {
		// A value paired with a key (a response body) is only known to
		// be markup when it is a string built here.
		return v, false
	}
	if m.shape != nil && v.isStr {
		text := v.consts
		if v.t == constant {
			text = v.lit
		}
		if !m.shape.MatchString(text) {
			return v, false
		}
	}
	switch m.When {
	case "any":
		return v, true
	case "const":
		// A constant the code spells out: a number, a string or a list
		// of constants (a fixed seed), not an arithmetic result.
		return v, v.t == constant && (v.lit != "" || v.isStr || len(v.elems) > 0)
	case "nonconst":
		if v.t == constant {
			return v, false
		}
		if m.FixedHost && fixedHost(v.prefix) {
			return v, false
		}
		return v, true
	case "tainted":
		if v.t != tainted {
			return v, false
		}
		if m.FixedHost {
			// Only the part that comes first can choose the host: a fixed
			// "https://host/" prefix, or a configured base URL, leaves input
			// a path.
			if fixedHost(v.prefix) {
				return v, false
			}
			if v.hasVar && (v.varTaint != tainted || fixedHost(v.varPrefix)) {
				return v, false
			}
			if optionsFixHost(v.fields) {
				return v, false
			}
		}
		return v, true
	case "injection":
		// A string built from a variable, or input however it arrives: a
		// plain parameter passed through (a query helper) is not reported,
		// nor a list (command.execute(sys.argv) is no query text).
		if v.elems != nil && !v.isStr || v.qual == "sys.argv" || v.qual == "process.argv" || v.qual == "os.Args" {
			return v, false
		}
		return v, v.t == tainted || (v.t != constant && v.isStr && v.hasVar)
	case "input":
		return v, v.t == tainted || (v.t != constant && v.param)
	case "operator":
		return v, v.t == tainted && !v.isStr && !v.scalar && v.fields == nil && v.elems == nil && v.strs == nil &&
			!scalarCallsSet.compiled().match(v.qual)
	case "host":
		// The first variable part of a URL sits in its host: "https://" +
		// host + "/path", f"http://{host}/".
		// A request's path starts with '/', which ends the host before it
		// (fmt.Sprintf("http://%s%s", backend, r.URL.Path)).
		return v, v.hasVar && v.varTaint == tainted && urlHostPrefix.MatchString(v.varPrefix) && !rootedPathSourcesSet.compiled().match(v.source)
	case "absent":
		return v, false
	case "unset":
		// A struct or object literal known here in which none of Equals
		// is set to anything but false (http.Cookie{} without HttpOnly:
		// true); with Pattern, its fields written "key=value" a line
		// must match it (a cookie whose name says session).
		if v.fields == nil {
			return v, false
		}
		for _, k := range m.Equals {
			if x, ok := v.fields[k]; ok && x != "false" {
				return v, false
			}
		}
		if m.pattern != nil || m.notPat != nil {
			keys := make([]string, 0, len(v.fields))
			for k := range v.fields {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for _, k := range keys {
				b.WriteString(k + "=" + strings.ReplaceAll(v.fields[k], "\n", " ") + "\n")
			}
			text := b.String()
			return v, (m.pattern == nil || m.pattern.MatchString(text)) && (m.notPat == nil || !m.notPat.MatchString(text))
		}
		return v, true
	case "constcall":
		return v, v.constArgs && anyGlob(m.Equals, v.qual)
	case "strbuilt":
		return v, v.t != constant && v.isStr
	case "command":
		return v, commandNonConst(v)
	case "literal":
		return v, literalIn(v, m.Equals)
	case "qual":
		return v, v.qual != "" && anyGlob(m.Equals, v.qual)
	case "elem":
		for _, e := range v.elems {
			if e.qual != "" && anyGlob(m.Equals, e.qual) {
				return v, true
			}
		}
		return v, false
	case "redos":
		return v, v.t == constant && v.isStr && redos(v.lit)
	case "weakrand":
		return v, v.weakRand
	case "source":
		return v, v.t == tainted && anyGlob(m.Equals, v.source) && !strings.HasSuffix(v.qual, "()")
	case "matches":
		ok := v.t == constant && v.isStr && m.pattern.MatchString(v.lit)
		if ok && r.Family == "hardcoded-credential" && placeholder(v.lit) {
			ok = false
		}
		return v, ok
	case "contains":
		if v.t != constant {
			return v, false
		}
		for _, s := range v.strs {
			for _, e := range m.Equals {
				if s == e {
					return v, true
				}
			}
		}
		return v, v.isStr && len(v.strs) == 0 && literalIn(v, m.Equals)
	}
	return v, false
}

func literalIn(v value, vals []string) bool {
	for _, want := range vals {
		if (v.t == constant && v.lit == want && (v.lit != "" || v.isStr)) || (v.qual != "" && v.qual == want) {
			return true
		}
	}
	return false
}

// scalarCalls are conversions whose result is a string or number, never a
// structured value ("operator").
var scalarCalls = []string{"str()", "String()", "string()", "*.toString()", "*.String()", "int()", "float()", "Number()",
	"*ObjectId()", "*ObjectID()", "Date()", "*.Date()", "*UUID()", "*.isoformat()"}

// urlHostPrefix matches the constant text before a URL's host: a scheme
// and "://", perhaps credentials, nothing after the host starts.
var urlHostPrefix = regexp.MustCompile(`(?i)(^|[\s'"=(])([a-z][a-z0-9+.-]*:)?//[^/?#\s'"]*$`)

// tokenFunction matches the names of functions whose job is to make a
// secret (newSessionToken, generate_password): randomness in them is for
// the secret even when it is not assigned to a telling variable.
var tokenFunction = newMemoRegexp(regexp.MustCompile(`(?i)(token|secret|passw|nonce|salt|otp|csrf|api_?key)`))

// localSources are the inputs of a program run by its own user: the command
// line, the environment, standard input. Rules about attacks from the
// network (path traversal, SSRF, XSS) do not count them as tainted.
var localSources = []string{
	"os.Args*", "os.Getenv*", "os.LookupEnv*", "os.Stdin*", "flag.*", "sys.argv*", "input*", "raw_input*",
	"sys.stdin*", "process.argv*", "process.env*", "command-line arguments", "os.environ*",
}

// rootedPathSources are inputs that always start with '/': a request's
// path.
var rootedPathSources = []string{"*.URL.Path", "*.URL.RawPath", "*.URL.EscapedPath*", "req.path", "request.path",
	"flask.request.path", "*.request.path", "request.path_info", "*.getRequestURI*", "*.getServletPath*"}

// takesSource reports whether input from source counts as input for r: not
// the process's own input for a rule on requests only, one of its Sources
// when it names some, none of its NotSources, and stored input (file names)
// only for XSS, and archive entry names for zip slip too. The walk of a
// function and the taint across functions both ask it.
func (r *Rule) takesSource(source string) bool {
	m := &r.Match
	switch {
	case m.RequestOnly && localSourcesSet.compiled().match(source),
		len(m.Sources) > 0 && !anyGlob(m.Sources, source) || anyGlob(m.NotSources, source):
		return false
	case r.Family != "xss" && storedSourcesSet.compiled().match(source):
		return r.Family == "zip-slip" && strings.HasPrefix(source, "archive entry names (")
	}
	return true
}

// storedSources are inputs stored before the request, chosen by whoever
// wrote them: file names a directory listing or archive holds. Markup in
// them is stored XSS, and an archive entry's name written to is zip slip;
// other rules do not count them as tainted.
var storedSources = []string{"file names (*", "archive entry names (*"}

// shells are programs that run their argument as a shell command line.
var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "ksh": true, "dash": true, "cmd": true,
	"cmd.exe": true, "powershell": true, "powershell.exe": true, "pwsh": true, "/bin/sh": true, "/bin/bash": true,
	"/usr/bin/bash": true, "/usr/bin/sh": true, "/bin/zsh": true,
	// Interpreters run their script argument: a variable script is code.
	"python": true, "python2": true, "python3": true, "node": true, "ruby": true, "perl": true, "php": true,
	"/usr/bin/python": true, "/usr/bin/python3": true, "/usr/bin/env": true}

// commandNonConst reports whether a value used as a command (a program and
// its arguments, without a shell) lets input choose what runs: the program
// is not constant, or it is a shell given a non-constant script. A string
// built by formatting names one program (no shell splits it), so it is not
// an injection on its own.
func commandNonConst(v value) bool {
	if v.elems != nil {
		elems := v.elems
		// env env env ... cmd: each env runs the rest.
		for len(elems) > 1 && elems[0].t == constant && (elems[0].lit == "env" || elems[0].lit == "/usr/bin/env" || elems[0].lit == "/bin/env") {
			elems = elems[1:]
		}
		if len(elems) == 0 {
			return false
		}
		first := elems[0]
		if first.t != constant {
			return true
		}
		if shells[first.lit] {
			for _, e := range elems[1:] {
				if e.t != constant {
					return true
				}
			}
		}
		return false
	}
	if v.t == constant {
		return false
	}
	// A string built from input is split into arguments on Windows (and by
	// any later shell=True): flag it when it is tainted.
	return !v.isStr || v.t == tainted
}

// placeholder reports whether a credential-looking literal is an obvious
// placeholder ("xxxxxxxx", "--------", "changeme", "<your key>", a mask
// such as "[PROTECTED]").
func placeholder(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" || strings.Trim(t, "x*.-_#0 ") == "" {
		return true
	}
	switch t {
	case "test", "testing", "hidden", "masked", "protected", "filtered", "null", "none", "n/a":
		// "[PROTECTED]" and the like: a mask shown in place of one.
		return true
	}
	if len(t) > 2 && (t[0] == '[' && t[len(t)-1] == ']' || t[0] == '(' && t[len(t)-1] == ')') {
		return true
	}
	for _, p := range []string{"changeme", "change_me", "change-me", "your_", "your-", "<", "${", "{{", "placeholder", "example", "dummy", "redacted"} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// optionsFixHost reports whether a request's options object names its
// server with constants: {url: 'https://api.example.com/', qs: {q: input}}
// or {host: 'api.example.com', path: '/x?q=' + input}. Input elsewhere in
// it chooses a path, a query or a header, not the server.
func optionsFixHost(fields map[string]string) bool {
	for _, k := range []string{"url", "uri", "baseurl", "href"} {
		if u, ok := fields[k]; ok && fixedHost(u+"/") {
			return true
		}
	}
	_, host := fields["host"]
	_, hostname := fields["hostname"]
	return host || hostname
}

// fixedHost reports whether a URL prefix already names its host in full,
// "https://api.example.com/", or starts a reference relative to the page
// or the client's base URL, "/flags/", "api/v1/", "./", "?page=": either
// way the input after it can only choose a path or a query. A prefix of
// "/" alone is none ("//evil.example" is a host), nor one that may still
// become a scheme ("api" + ":...").
func fixedHost(prefix string) bool {
	if i := strings.Index(prefix, "://"); i > 0 {
		rest := prefix[i+3:]
		return strings.IndexAny(rest, "/?#") > 0
	}
	if strings.HasPrefix(prefix, "//") {
		// Scheme-relative: //cdn.example.com/.
		return strings.IndexAny(prefix[2:], "/?#") > 0
	}
	j := strings.IndexAny(prefix, "/?#\\")
	if j < 0 || strings.IndexByte(prefix[:j], ':') >= 0 || prefix[j] == '\\' {
		return false
	}
	if j == 0 && prefix[0] == '/' {
		// Root-relative: the next character must be there and be no
		// slash (a backslash is one to browsers).
		return len(prefix) > 1 && prefix[1] != '/' && prefix[1] != '\\'
	}
	return true
}
