package code

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/scanners"
)

// guard bounds a front-end's walk of one file. Its recursion goes no deeper
// than scanners.MaxDepth: a deeper subtree (a file of 100k nested
// parentheses) is skipped, the rest of the file still walked, and err says
// the file was not scanned whole. Every 1024 steps it checks ctx; once ctx
// has ended the walk stops. The sites found until then are kept either way.
//
// Depth is what nesting costs, not what chains cost: the front-ends walk the
// long left-nested chains real and generated code is made of (a + b + c,
// a.b().c().d(), else-if ladders) iteratively (see walker.chain), so those
// never reach the bound however long.
type guard struct {
	ctx   context.Context
	depth int
	steps int
	// wants says which sites some rule could match (nil: all); sites
	// counts those kept.
	wants func(*site) bool
	sites int
	// err is the first bound the walk hit, or ctx's error; stopped says
	// the walk is over (ctx ended).
	err     error
	stopped bool
	// ip records what the taint across functions needs (summary.go).
	ip *interproc
	// probe holds the site being asked about: a site handed to wants by
	// the address of a parameter would be moved to the heap, one
	// allocation per call of the walk, kept or not.
	probe site
}

// enter goes one level deeper and reports whether the walk may go on there;
// each enter that returns true is paired with a leave.
func (g *guard) enter() bool {
	if g.stopped {
		return false
	}
	g.steps++
	if g.steps&1023 == 0 && g.ctx != nil {
		if err := g.ctx.Err(); err != nil {
			g.err, g.stopped = err, true
			return false
		}
	}
	if g.depth >= scanners.MaxDepth {
		if g.err == nil {
			g.err = scanners.TooDeep(scanners.MaxDepth)
		}
		return false
	}
	g.depth++
	return true
}

func (g *guard) leave() { g.depth-- }

// chainMin is the length from which a left-nested chain is walked
// iteratively; shorter ones recurse as any other expression. A variable so
// that a test can walk every chain iteratively and compare.
var chainMin = 16

// maxChainStrings bounds the string sites recorded for the inner links of
// one chain: see walker.chain.
const maxChainStrings = 64

// walker is what the tree-sitter front-ends (python.go, javascript.go,
// java.go) share while they walk one file: the unit being built, import
// aliases, where the walk is, and the language's input sources and
// sanitizers. The grammars differ, so each front-end walks its own
// statements and expressions; the walker holds what is the same.
type walker struct {
	guard
	src []byte
	// text is src as one string: the names the walk reads out of the
	// source are slices of it (node.str), not a copy each.
	text  string
	lines lineIndex
	// aliases maps a local name to the qualified name it was imported as.
	aliases map[string]string
	u       *unit
	module  *scope
	// fn is the enclosing function's name, target the variable the current
	// expression is assigned to, call the qualified name of the call whose
	// arguments are being evaluated.
	fn, target, call string

	// evaluate is the language's evaluation of one expression node.
	evaluate func(*node, *scope) value
	// link returns the child that evaluate(n) evaluates first, when n is a
	// link of a left-nested chain (the left operand of a binary
	// expression, the object of a member access or method call) and the
	// evaluation will descend into it; else nil. It must not change
	// anything: it is asked before evaluating.
	link func(*node, *scope) *node
	// shape returns the same child by kind alone, whatever evaluate would
	// do: the cheap test of whether n heads a long chain.
	shape func(*node) *node
	// builders are the node kinds that can build a string worth a string
	// site (concatenation, interpolation, formatting calls).
	builders map[string]bool
	// sourceSet holds the qualified names whose values are input,
	// sanitizerSet the calls whose results cannot carry an injection.
	sourceSet, sanitizerSet *globSet
	// notSources are names the sources' globs take that are not input.
	notSources []string
	// sanitizerName, when set, matches the last name of further calls
	// that sanitize by their name (escapeHtml1, sanitizeInput).
	sanitizerName *memoRegexp

	// done is the chain link just evaluated, and doneVal its value, for
	// the evaluation of the link above it, which asks for it first (see
	// chain); quals and fkeys the qualified names and field keys of the
	// chain being walked, computed before any of it is evaluated, as the
	// recursive walk computes them.
	done    *node
	doneVal value
	quals   map[*node]string
	fkeys   map[*node]string
	// building is true while chain follows the links down, when quals
	// and fkeys are filled.
	building bool
}

// globList is a package-level list of patterns compiled on first use,
// once every init function has added its entries (rules files append
// sanitizers in init).
type globList struct {
	list *[]string
	once sync.Once
	set  *globSet
}

func (l *globList) compiled() *globSet {
	l.once.Do(func() { l.set = newGlobSet(*l.list) })
	return l.set
}

// The front-ends' source and sanitizer lists.
var (
	jsSourceSet, jsSanitizerSet     = &globList{list: &jsSources}, &globList{list: &jsSanitizers}
	pySourceSet, pySanitizerSet     = &globList{list: &pySources}, &globList{list: &pySanitizers}
	javaSourceSet, javaSanitizerSet = &globList{list: &javaSources}, &globList{list: &javaSanitizers}
	goSourceSet                     = &globList{list: &goSources}

	// Lists tried on every call of a walk (or every finding), compiled
	// the same way.
	jsQuietCallsSet           = &globList{list: &jsQuietCalls}
	jsFileNameCallsSet        = &globList{list: &jsFileNameCalls}
	jsArchiveMetadataSet      = &globList{list: &jsArchiveMetadata}
	jsChainedWritesSet        = &globList{list: &jsChainedWrites}
	jsElementGettersSet       = &globList{list: &jsElementGetters}
	jsMarkdownEscapingSet     = &globList{list: &jsMarkdownEscaping}
	jsMarkdownEscapingMadeSet = &globList{list: &jsMarkdownEscapingMade}
	jsFileReadsSet            = &globList{list: &jsFileReads}
	jsRecordReadsSet          = &globList{list: &jsRecordReads}
	jsCookieCallsSet          = &globList{list: &jsCookieCalls}
	jsCookieSettersSet        = &globList{list: &jsCookieSetters}
	weakRandomsSet            = &globList{list: &weakRandoms}
	jsValidatorsSet           = &globList{list: &jsValidators}
	jsSecureBytesSet          = &globList{list: &jsSecureBytes}
	domElementQualsSet        = &globList{list: &domElementQuals}
	pageOwnLocationSet        = &globList{list: &pageOwnLocation}
	goNotSourcesSet           = &globList{list: &goNotSources}
	goStringOpsSet            = &globList{list: &goStringOps}
	goSanitizersSet           = &globList{list: &goSanitizers}
	goFileReadsSet            = &globList{list: &goFileReads}
	localSourcesSet           = &globList{list: &localSources}
	storedSourcesSet          = &globList{list: &storedSources}
	scalarCallsSet            = &globList{list: &scalarCalls}
	rootedPathSourcesSet      = &globList{list: &rootedPathSources}
	logCallsSet               = &globList{list: &logCalls}
	pyRecordReadsSet          = &globList{list: &pyRecordReads}
)

func newWalker(ctx context.Context, lang string, src []byte) walker {
	li := newLineIndex(src)
	return walker{guard: guard{ctx: ctx, ip: newInterproc()}, src: src, text: string(src), lines: li, aliases: map[string]string{},
		u: &unit{lang: lang, imports: map[string]bool{}, lines: li}, module: newScope(nil)}
}

// walk parses the file with grammar and walks it from the root with stmt,
// the front-end's statement walk. The unit holds every site found even when
// the walk hit a bound (the error).
func (w *walker) walk(ctx context.Context, grammar string, stmt func(*node, *scope)) (*unit, []int, error) {
	root, src, errLines, err := parseSource(ctx, grammar, w.src)
	if err != nil {
		return nil, nil, err
	}
	if len(src) != len(w.src) || len(src) > 0 && &src[0] != &w.src[0] {
		w.src, w.text = src, string(src) // a copy parseSource repaired
	}
	stmt(root, w.module)
	w.acrossFunctions(w.u, func() {
		w.module = newScope(nil)
		stmt(root, w.module)
	})
	return w.u, errLines, w.err
}

// acrossFunctions walks the file again (with walk) while a walk met a call
// before learning that its callee returns input, then summarizes the
// functions called with input (summary.go).
func (g *guard) acrossFunctions(u *unit, walk func()) {
	ip := g.ip
	if ip == nil {
		return
	}
	u.ip, ip.g, ip.u = ip, g, u
	first := g.steps
	for pass := 1; pass < maxPasses && !g.stopped && ip.rewalkNeeded(); pass++ {
		u.sites = nil
		g.sites = 0
		walk()
	}
	ip.summarize(g, u, summaryBudget*first+summaryFloor)
}

// expr evaluates an expression with the language's evaluate, recording a
// site for every call in it and for a string built from variables.
func (w *walker) expr(n *node, sc *scope) value {
	if n == nil {
		return value{t: unknown}
	}
	if n == w.done {
		w.done = nil
		return w.doneVal
	}
	if w.long(n) {
		return w.chain(n, sc)
	}
	return w.plain(n, sc)
}

// plain evaluates n one level deeper.
func (w *walker) plain(n *node, sc *scope) value {
	if !w.enter() {
		return value{t: unknown}
	}
	defer w.leave()
	return w.finish(n, w.evaluate(n, sc), true)
}

// finish completes the value of n: its span, where a string was built, and
// a string site when it builds markup or a URL from variables (and strSite
// says string sites are wanted).
func (w *walker) finish(n *node, v value, strSite bool) value {
	v.start, v.end = n.s(), n.e()
	if v.isStr && v.t != constant && v.buildLine == 0 {
		v.buildLine = n.line()
	}
	if strSite && w.builders[n.kind] && builtString(v) && !logCall(w.call) {
		sv := v
		w.addValue(site{kind: siteString, fn: w.fn, target: w.target}, sv, n, n, nil)
	}
	return v
}

// long reports whether n heads a left-nested chain of at least chainMin
// links.
func (w *walker) long(n *node) bool {
	if w.shape == nil {
		return false
	}
	for i := 1; i < chainMin; i++ {
		if n = w.shape(n); n == nil {
			return false
		}
	}
	return true
}

// chain evaluates the left-nested chain headed by n without recursing along
// it: ((a + b) + c) + d, or a.b().c().d(). It follows link down to the
// chain's foot, evaluates the foot, then each link from the bottom up; the
// evaluation of a link finds the value of the one below it in done instead
// of walking down again. The order is the recursive walk's: the foot first,
// then each link's other operands, innermost first; and the qualified names
// are computed, as the recursive walk computes them, before anything in the
// chain is evaluated.
//
// A chain that builds markup would record a string site at every link, each
// holding a longer string: only the head's is recorded, and those of inner
// links whose string reads differently to a rule than the one below (at
// most maxChainStrings). The rules read a built string's constant text and
// grade, and what holds of a link holds of the longer string above it, so
// the findings are the same; the sites of a chain share its first line,
// where one finding per rule family is reported anyway.
func (w *walker) chain(n *node, sc *scope) value {
	savedQ, savedK := w.quals, w.fkeys
	w.quals, w.fkeys = map[*node]string{}, map[*node]string{}
	spine := []*node{n}
	w.building = true
	for next := w.link(n, sc); next != nil; next = w.link(next, sc) {
		spine = append(spine, next)
	}
	w.building = false
	foot := len(spine) - 1
	v := w.plain(spine[foot], sc)
	var last *value
	strs := 0
	for i := foot - 1; i >= 0; i-- {
		below, m := spine[i+1], spine[i]
		if !w.enter() {
			v = value{t: unknown}
			continue
		}
		w.done, w.doneVal = below, v
		v = w.evaluate(m, sc)
		w.done = nil
		w.leave()
		record := i == 0 || strs < maxChainStrings && (last == nil || !sameGrade(*last, v))
		v = w.finish(m, v, record)
		if record && w.builders[m.kind] && builtString(v) {
			strs++
			lv := v
			last = &lv
		}
	}
	w.quals, w.fkeys = savedQ, savedK
	return v
}

// sameGrade reports whether two built strings read the same to a rule: the
// same taint and input, variable parts and constant text.
func sameGrade(a, b value) bool {
	return a.t == b.t && a.source == b.source && a.param == b.param && a.hasVar == b.hasVar &&
		a.varTaint == b.varTaint && a.varPrefix == b.varPrefix && len(a.consts) == len(b.consts)
}

// conditional walks an if statement (Python, JavaScript, Java) with stmt:
// its consequence and each elif/else alternative as an arm of their own,
// joined into sc afterwards, so that an assignment in one arm does not hide
// what another arm (or the path that skips them) left in a variable.
//
// An else-if ladder is an if nested in the else arm of the one before; a
// generated one can have thousands of rungs, so the rungs are walked in a
// loop, each in the arm scope the recursive walk would give it, and the
// arms joined from the innermost out afterwards.
func conditional(n *node, sc *scope, stmt func(*node, *scope)) {
	type rung struct {
		sc         *scope
		arms       []*scope
		exhaustive bool
	}
	var ladder []rung
	for n != nil {
		r := rung{sc: sc}
		var next *node
		arm := func(body ...*node) {
			a := r.sc.branch()
			for _, b := range body {
				stmt(b, a)
			}
			r.arms = append(r.arms, a)
		}
		named := n.namedChildren()
		for i, c := range named {
			switch {
			case c.field == "consequence":
				arm(c)
			case c.field == "alternative" && c.kind == "elif_clause":
				stmt(c.child("condition"), r.sc)
				arm(c.child("consequence"))
			case c.field == "alternative" && i == len(named)-1 && elseIf(c) != nil:
				// The last thing in this if: the next rung is walked in
				// this arm's scope, as stmt would walk it.
				a := r.sc.branch()
				r.arms = append(r.arms, a)
				r.exhaustive = true
				next, sc = elseIf(c), a
			case c.field == "alternative" && c.kind == "else_clause":
				arm(c.namedChildren()...)
				r.exhaustive = true
			case c.field == "alternative":
				arm(c)
				r.exhaustive = true
			default:
				stmt(c, r.sc)
			}
		}
		ladder = append(ladder, r)
		n = next
	}
	for i := len(ladder) - 1; i >= 0; i-- {
		ladder[i].sc.join(ladder[i].arms, ladder[i].exhaustive)
	}
}

// elseIf returns the if statement an else alternative consists of (else
// if ...: an if_statement, alone but for comments, in JavaScript's
// else_clause or as Java's alternative), or nil.
func elseIf(alt *node) *node {
	if alt.kind == "if_statement" {
		return alt
	}
	if alt.kind != "else_clause" {
		return nil
	}
	kids := alt.namedChildren()
	if len(kids) == 0 || kids[len(kids)-1].kind != "if_statement" {
		return nil
	}
	for _, k := range kids[:len(kids)-1] {
		if !strings.HasSuffix(k.kind, "comment") {
			return nil
		}
	}
	return kids[len(kids)-1]
}

// containerAdds are the methods that put their arguments into the
// collection they are called on (parts.append(x), items.push(x)).
var containerAdds = map[string]bool{
	"append": true, "extend": true, "insert": true, "add": true, "appendleft": true, "extendleft": true,
	"setdefault": true, "push": true, "unshift": true, "set": true,
}

// listAppends are the methods that add one element at the end of a list,
// and maxAppended bounds the elements a list so built keeps one by one
// (each append copies them).
var listAppends = map[string]bool{"append": true, "add": true, "push": true, "addLast": true}

const maxAppended = 64

// addsTo records that a method call on a local collection (obj, a plain
// identifier) put input into it: parts.append(r.args["x"]) leaves parts
// holding input.
func (w *walker) addsTo(obj *node, method string, args []value, sc *scope) {
	if obj == nil || obj.kind != "identifier" || !containerAdds[method] {
		return
	}
	name := obj.str(w.text)
	old, local := sc.lookup(name)
	if !local {
		return
	}
	if listAppends[method] && len(args) == 1 && old.elems != nil && len(old.elems) < maxAppended {
		// cmd = ["ls"]; cmd.append(x): still a list whose program is
		// known. A copy: the old list may be another variable's too.
		nv := old
		nv.elems = append(append(make([]value, 0, len(old.elems)+1), old.elems...), args[0])
		nv.strs = append([]string(nil), old.strs...)
		if args[0].t == constant && args[0].isStr {
			nv.strs = append(nv.strs, args[0].lit)
		}
		nv.worsen(args[0])
		sc.assign(name, nv)
		return
	}
	for _, a := range args {
		if a.t == tainted {
			sc.assign(name, fromInput(a))
			return
		}
	}
}

// fieldKey returns "opts.file" for a member chain (JavaScript
// member_expression, Python attribute) of plain names rooted at a local
// variable, else "": the key under which what was assigned to the field is
// remembered (opts.file = req.query.f; fs.readFileSync(opts.file)).
func (w *walker) fieldKey(n *node, sc *scope) string {
	var links []*node // member accesses from n down
	key := ""
	for n != nil {
		if k, ok := w.fkeys[n]; ok {
			key = k
			break
		}
		if n.kind == "member_expression" || n.kind == "attribute" {
			links = append(links, n)
			n = n.child("object")
			continue
		}
		if n.kind == "identifier" {
			if _, local := sc.lookup(n.str(w.text)); local {
				key = n.str(w.text)
			}
		}
		break
	}
	for i := len(links) - 1; i >= 0; i-- {
		m := links[i]
		prop := m.child("property")
		if prop == nil {
			prop = m.child("attribute")
		}
		if key == "" || prop == nil || (prop.kind != "property_identifier" && prop.kind != "identifier") {
			key = ""
		} else {
			key = clipName(key + "." + prop.str(w.text))
		}
		if w.building {
			w.fkeys[m] = key
		}
	}
	return key
}

// maxName bounds the qualified names and field keys the front-ends build:
// a chain a.b.c... of a million links would otherwise have a name of a
// megabyte at each link, and a walk quadratic in the chain's length.
const maxName = 128

// clipName keeps a name within about maxName bytes: its root and its last
// links, "…" standing for those between ("req.….query.x"). Rules name
// callees by their last links (*.execute, *.objects.raw) and roots
// (hashlib.md5), which both survive; two long chains that differ only in
// the middle get one name, which can only make more match, never less.
func clipName(q string) string {
	if len(q) <= maxName {
		return q
	}
	root := rootName(q)
	if len(root) > maxName/4 {
		root = "?"
	}
	tail := q[len(q)-maxName/2:]
	if i := strings.IndexByte(tail, '.'); i >= 0 {
		tail = tail[i:]
	} else {
		tail = "." + tail
	}
	return root + ".…" + tail
}

// logCall reports whether q writes a log or the console: markup built in
// its arguments reaches no page.
func logCall(q string) bool {
	return logCallsSet.compiled().match(q)
}

var logCalls = []string{"console.*", "logging.*", "logger.*", "log.*", "*.logger.*", "*.log.*", "*.log", "print",
	"*.Logger.*", "LOG.*", "LOGGER.*", "*.LOG.*", "*.LOGGER.*", "System.out.*", "System.err.*"}

// list is the value of a list or array literal of these elements: the
// worst element's taint, the constant strings, and the elements (see
// addElem).
func (w *walker) list(ns []*node, sc *scope) value {
	out := value{t: constant, elems: []value{}}
	for _, c := range ns {
		out.addElem(w.expr(c, sc))
	}
	return out
}

// exprs evaluates each node in turn.
func (w *walker) exprs(ns []*node, sc *scope) []value {
	var out []value
	for _, c := range ns {
		out = append(out, w.expr(c, sc))
	}
	return out
}

// args evaluates the arguments of a call of q, comments left out; a pair in
// them (an options object) records q as its container.
func (w *walker) args(q string, ns []*node, sc *scope) []value {
	saved := w.call
	w.call = q
	defer func() { w.call = saved }()
	var out []value
	for _, a := range ns {
		if a.kind != "comment" && !strings.HasSuffix(a.kind, "_comment") {
			out = addElem(out, w.expr(a, sc))
		}
	}
	return out
}

// anyInput evaluates each node and returns the input the last tainted one
// carries, or unknown: the value of an expression the front-end does not
// model.
func (w *walker) anyInput(ns []*node, sc *scope) value {
	out := value{t: unknown}
	for _, c := range ns {
		if cv := w.expr(c, sc); cv.t == tainted {
			out = fromInput(cv)
		}
	}
	return out
}

// add records a site spanning the nodes from..to, its name (for fixes) at
// name, which may be nil. A site no rule can match is not kept (see
// Scanner.named); past maxSites the walk stops, the file over a bound.
func (w *walker) add(s site, from, to, name *node) {
	w.probe = s
	if w.keep(&w.probe) {
		w.record(s, from, to, name)
	}
}

// record keeps a site, spanning the nodes from..to.
func (w *walker) record(s site, from, to, name *node) {
	s.line, s.col, s.start = from.line(), w.column(from), from.s()
	s.endLine, s.end = w.endLine(to), to.e()
	s.nameStart, s.nameEnd = name.s(), name.e()
	w.u.sites = append(w.u.sites, s)
}

// addValue is add for a site of an assigned or paired value: the value
// gets its own copy only when the site is kept.
func (w *walker) addValue(s site, v value, from, to, name *node) {
	s.valWeak = v.weakRand
	w.probe = s
	if !w.keep(&w.probe) {
		return
	}
	c := v
	s.val = &c
	w.record(s, from, to, name)
}

// keep reports whether a site is worth keeping, and stops the walk when
// the file has maxSites of them already.
func (g *guard) keep(s *site) bool {
	if g.wants != nil && !g.wants(s) {
		return false
	}
	if g.ip != nil && g.ip.summarizing {
		return g.ip.keepSummary()
	}
	if g.ip != nil {
		g.ip.kept++
	}
	if g.sites++; g.sites > maxSites {
		if g.err == nil || !errors.Is(g.err, scanners.ErrBound) {
			g.err = &scanners.BoundError{What: "code sites (calls, assignments, literals a rule could match)", Limit: maxSites}
		}
		g.stopped = true
		return false
	}
	return true
}

// maxSites bounds the sites kept for one file: each holds its arguments'
// values (about 300 bytes each). A file of real code has a few thousand
// sites a rule could match; a file of nothing but sink calls is not scanned
// past this many.
const maxSites = 25_000

// column is the 1-based column (in bytes) where n starts.
func (w *walker) column(n *node) int { return n.s() - w.lines[n.row] + 1 }

// endLine is the 1-based line where n ends.
func (w *walker) endLine(n *node) int {
	if n.end > n.start {
		return w.lines.line(n.e() - 1)
	}
	return n.line()
}

// resolve returns the qualified name a local name was imported as, or the
// name itself.
func (w *walker) resolve(name string) string {
	if q, ok := w.aliases[name]; ok {
		return q
	}
	return name
}

// identifier is the value of a name read at n: a variable's value, else
// input or unknown by its qualified name.
func (w *walker) identifier(n *node, sc *scope) value {
	name := n.str(w.text)
	if v, ok := sc.lookup(name); ok {
		return v
	}
	q := w.resolve(name)
	if v, ok := w.source(q, n); ok {
		return v
	}
	return value{t: unknown, qual: q}
}

// source returns the value of a name read at n when q, its qualified name,
// is an input source.
func (w *walker) source(q string, n *node) (value, bool) {
	if sourceMatch(w.sourceSet, q) && !anyGlob(w.notSources, q) {
		return value{t: tainted, source: q, qual: q, srcLine: n.line()}, true
	}
	return value{}, false
}

// knownCall returns the value of the call n of q when q is an input source
// or a sanitizer.
func (w *walker) knownCall(q string, n *node) (value, bool) {
	if sourceMatch(w.sourceSet, q) && !anyGlob(w.notSources, q) {
		return value{t: tainted, source: q + "()", srcLine: n.line()}, true
	}
	if w.sanitizerSet.match(q) || w.sanitizerName != nil && w.sanitizerName.match(lastName(q)) {
		return value{t: constant}, true
	}
	return value{}, false
}

// opaqueCall is the value of a call of q the front-end knows nothing about:
// unknown, or tainted by its receiver or its first tainted argument.
func opaqueCall(q string, recv value, args []value) value {
	out := value{t: unknown, qual: q + "()", weakRand: randomCarried(q, recv, args)}
	if recv.t == tainted {
		out.t, out.source, out.srcLine = tainted, recv.source, recv.srcLine
	}
	for _, a := range args {
		if a.t == tainted {
			out.t, out.source, out.srcLine = tainted, a.source, a.srcLine
			break
		}
	}
	out.opaque = out.t == tainted
	return out
}

// weakRandoms are the calls of predictable random generators whose
// results carry value.weakRand: Python's random module, JavaScript's
// Math.random, java.util.Random and the helpers built on it.
var weakRandoms = []string{
	"random.random", "random.randint", "random.randrange", "random.choice", "random.choices", "random.sample",
	"random.getrandbits", "random.uniform", "random.randbytes", "random.Random().*", "numpy.random.*",
	"Math.random", "java.lang.Math.random", "*java.util.Random().next*", "*java.util.Random.next*", "Random().next*", "Random.next*",
	"*ThreadLocalRandom.current().next*", "*RandomStringUtils.random*", "*RandomUtils.next*",
}

// arithmetic is the value of l op r for an operator other than string
// concatenation: a number (or a boolean) that no injection survives, but
// that keeps predictable randomness through arithmetic (Math.random() *
// 1e6, r.nextInt() % 10); a comparison's boolean does not.
func arithmetic(op string, l, r value) value {
	switch op {
	case "-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", ">>>":
		return value{t: constant, weakRand: l.weakRand || r.weakRand}
	}
	return value{t: constant}
}

// secretName matches a variable named for a secret (tokenTargets).
var secretName = regexp.MustCompile(tokenTargets)

// randomCopy records the variable name, declared or assigned at nameNode
// with the value v of the expression rhs, as an assignment site whose
// container is "=" when it is named like a secret and v carries predictable
// randomness: a copy or an operator (password = "p" + n; secret = pw), which
// no call site of the line sees. A copy of a variable named like a secret
// itself is not recorded: that one was reported where it was made.
func (w *walker) randomCopy(name string, v value, nameNode, rhs *node) {
	if !v.weakRand || rhs == nil || nameNode == nil || !secretName.MatchString(name) {
		return
	}
	if rhs.kind == "identifier" && secretName.MatchString(rhs.str(w.text)) {
		return
	}
	w.addValue(site{kind: siteAssign, name: name, container: "=", target: name, fn: w.fn}, v, nameNode, rhs, nameNode)
}

// receiverOf is what a call site keeps of its receiver (site.recv): its
// input or its predictable randomness, when it has either; nil otherwise.
func receiverOf(recv value) *value {
	if recv.t != tainted && !recv.weakRand {
		return nil
	}
	return &value{t: recv.t, source: recv.source, srcLine: recv.srcLine, weakRand: recv.weakRand}
}

// randomCarried reports whether a call of q on recv with args gives a
// predictable random value: it is a generator, or a conversion of such a
// value (int(random.random() * 10**6), Math.floor(Math.random() * n)).
func randomCarried(q string, recv value, args []value) bool {
	if recv.weakRand || weakRandomCall(q) {
		return true
	}
	// r = new Random(); r.nextLong(): the receiver was made by a
	// generator's constructor, whatever the variable is called.
	if recv.qual != "" && recv.t != tainted && weakRandomCall(recv.qual+"."+lastName(q)) {
		return true
	}
	for _, a := range args {
		if a.weakRand {
			return true
		}
	}
	return false
}

// weakRandomCall reports whether q names a call of a predictable random
// generator.
func weakRandomCall(q string) bool {
	return !strings.Contains(q, "Secure") && weakRandomsSet.compiled().match(q)
}

// fromInput is the value of something derived from the tainted v (a member,
// an element, a call's result): tainted by the same input.
func fromInput(v value) value {
	return value{t: tainted, source: v.source, srcLine: v.srcLine}
}

// elementOf is what a loop variable or a destructured element of v holds:
// v's input when v is tainted, else unknown.
func elementOf(v value) value {
	if v.t == tainted {
		return fromInput(v)
	}
	if v.t == constant && len(v.elems) > 0 {
		// for (const name of ['a', 'b']): one of the constants.
		e := value{t: constant, isStr: true}
		for _, el := range v.elems {
			if el.t != constant {
				return value{t: unknown, weakRand: v.weakRand}
			}
			e.isStr = e.isStr && el.isStr
		}
		return e
	}
	e := value{t: unknown, weakRand: v.weakRand}
	if v.secRand == 1 {
		// A byte of a buffer of secure random bytes (JavaScript).
		e.secRand = 2
	}
	return e
}

// worsen gives v the taint of o, and where its input came from, when o's
// is worse: a literal is as bad as its worst part.
func (v *value) worsen(o value) {
	if o.t > v.t {
		v.t, v.source, v.srcLine = o.t, o.source, o.srcLine
	}
}

// addElem adds cv to a list literal's value: its taint, its constant
// string, and the element itself.
func (v *value) addElem(cv value) {
	v.worsen(cv)
	if cv.t == constant && cv.isStr {
		v.strs = append(v.strs, cv.lit)
	}
	v.elems = addElem(v.elems, cv)
}

// maxElems bounds the elements of a literal, and the arguments of a call,
// kept one by one: a literal of a million elements would otherwise hold a
// million values of 300 bytes. Past it each further one is folded into the
// last kept, which then stands for all of them by their worst taint: a
// command's program, a format's arguments and a list's constant strings
// (collected whole) are read from the first ones, and "any argument from
// input" still sees input anywhere in the tail.
const maxElems = 1024

// addElem appends v to elems, or past maxElems folds it into the last.
func addElem(elems []value, v value) []value {
	if len(elems) < maxElems {
		return append(elems, v)
	}
	elems[len(elems)-1] = worst(elems[len(elems)-1], v)
	return elems
}
