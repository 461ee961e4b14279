package code

import (
	"fmt"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Taint across the functions of one file.
//
// The walk of a function grades its parameters unknown, so a handler that
// hands request input to a helper of the same file, which runs it, is
// reported (at most) at the helper's audit severity. The front-ends
// therefore also record, while they walk:
//
//   - each function they meet (fnDef): the key calls name it by ("helper",
//     "UserController.fetch" for a method of the same class called as
//     this.fetch(x), self.fetch(x) or fetch(x) in Java), its parameters, and
//     how to walk it again alone;
//   - each call of such a key with an argument from input (callRec);
//   - whether a function returns request input (rets), which makes the
//     result of every call of it input. A call met before its callee's
//     return was known makes the file walked again (at most maxPasses
//     walks in all), with what the walks before learned.
//
// After the walk, each function called with input is summarized: walked
// alone once per set of parameters that receive input (mask), those
// parameters graded tainted with markSource as their source. Its sites
// whose rule fires on markSource are where the parameters reach a sink, and
// its calls that pass markSource on are edges to the summaries of the
// callees (to maxCallDepth functions deep). A function is summarized for at
// most maxMasks sets of parameters (then for all of them at once), each
// summary once, recursion included (an edge to a summary in progress is an
// edge, followed by a bounded search later), and all summaries of a file
// together cost at most summaryBudget times the file's own walk.
//
// The scan then reports, for every recorded call, the sinks reachable from
// its callee's summary as findings at the sink, graded by the caller's
// input, and naming the call ("from `request.args` via view:12").

// markSource is the input a summarized function's parameter holds.
const markSource = "\x00argument"

const (
	// maxCallDepth bounds the functions of a call chain followed from a
	// call with input: the callee and three more.
	maxCallDepth = 4
	// maxMasks bounds the summaries of one function.
	maxMasks = 4
	// maxPasses bounds the walks of a file.
	maxPasses = 3
	// maxCallRecs bounds the calls with input recorded per file, and
	// maxSummaries the summaries.
	maxCallRecs  = 20_000
	maxSummaries = 4_000
	// summaryBudget bounds the steps of all summary walks of a file, as a
	// multiple of its own walk's (plus summaryFloor).
	summaryBudget = 4
	summaryFloor  = 100_000
	// maxReach bounds the summaries visited when reporting the calls of a
	// file.
	maxReach = 200_000
)

// fnDef is one function of the file.
type fnDef struct {
	id     any // the function's syntax node
	key    string
	params []string
	// skip is how many leading parameters no argument is passed for
	// (Python's self).
	skip int
	// walk walks the function alone (the front-end sets the context a
	// method needs).
	walk  func()
	masks int
	// busy says its walk kept a site or called a function of the file:
	// a function that did neither reaches no sink, and is not summarized.
	busy bool
}

// argInfo is one argument of a recorded call: whether it carries input
// (real input in a function's own walk, markSource in a summary), where
// from, and its keyword if passed by name.
type argInfo struct {
	hot     bool
	source  string
	srcLine int
	kw      string
}

// callRec is a call of a function of the file with input in an argument.
type callRec struct {
	key    string
	args   []argInfo
	caller string
	line   int
	// start, end are the call's byte offsets.
	start, end int
}

type sumKey struct {
	def  *fnDef
	mask uint64
}

// sumNode is the summary of one function for one set of parameters.
type sumNode struct {
	def   *fnDef
	mask  uint64
	depth int
	sites []site
	calls []callRec
	edges []*sumNode
	// sinks are the sites where the parameters reach a rule (filled by
	// the scanner); matched says they were.
	sinks   []crossSink
	matched bool
}

type crossSink struct {
	st *site
	r  *Rule
	v  value
}

// fnFrame is a function being walked.
type fnFrame struct {
	key     string
	ret     value
	marking bool
	parent  *fnFrame
	def     *fnDef
	// kept is the sites kept when the walk entered it; calls says it
	// called a function of the file.
	kept  int
	calls bool
}

// interproc is what a front-end records for the taint across functions.
type interproc struct {
	defs  map[string][]*fnDef
	byID  map[any]*fnDef
	calls []callRec
	rets  map[string]value
	early map[string]bool
	cur   *fnFrame

	summarizing bool
	target      *fnDef
	mask        uint64
	node        *sumNode
	nodes       map[sumKey]*sumNode
	order       []*sumNode
	sumSites    int
	over        bool
	// kept counts the sites the file's walks kept.
	kept int
	// g and u are the walk's guard and unit, and queue the summaries to
	// walk, for summaries asked for after the walk (crossfile.go).
	g     *guard
	u     *unit
	queue []*sumNode
	// free are frames left, for enterFn to reuse.
	free []*fnFrame
}

// crossFunctions turns the taint across functions on; a variable so that
// a test can compare with the scan without it.
var crossFunctions = true

func newInterproc() *interproc {
	if !crossFunctions {
		return nil
	}
	return &interproc{defs: map[string][]*fnDef{}, byID: map[any]*fnDef{}, rets: map[string]value{},
		early: map[string]bool{}, nodes: map[sumKey]*sumNode{}}
}

// enterFn records that the walk enters the function id (its key, its
// parameters' names, skip, and how to walk it alone) and returns the
// function that leaves it.
func (ip *interproc) enterFn(id any, key string, params []string, skip int, walk func()) func() {
	if ip == nil {
		return func() {}
	}
	var fr *fnFrame
	if n := len(ip.free); n > 0 {
		fr, ip.free = ip.free[n-1], ip.free[:n-1]
		*fr = fnFrame{key: key, parent: ip.cur, kept: ip.kept}
	} else {
		fr = &fnFrame{key: key, parent: ip.cur, kept: ip.kept}
	}
	if key != "" && !ip.summarizing {
		d, ok := ip.byID[id]
		if !ok {
			d = &fnDef{id: id, key: key, params: params, skip: skip, walk: walk}
			ip.byID[id] = d
			ip.defs[key] = append(ip.defs[key], d)
		}
		fr.def = d
	}
	fr.marking = ip.summarizing && ip.cur == nil && ip.target != nil && ip.target.id == id
	ip.cur = fr
	return func() {
		ip.leaveFn(fr)
		// Nothing holds fr now (the frames within it were left before
		// it): the next function entered reuses it.
		ip.free = append(ip.free, fr)
	}
}

// leaveFn leaves the function of frame fr.
func (ip *interproc) leaveFn(fr *fnFrame) {
	ip.cur = fr.parent
	if fr.calls && fr.parent != nil {
		fr.parent.calls = true
	}
	if fr.def != nil && (fr.calls || ip.kept > fr.kept) {
		fr.def.busy = true
	}
	if ip.summarizing || fr.key == "" || fr.ret.t != tainted || fr.ret.source == markSource {
		return
	}
	if _, ok := ip.rets[fr.key]; !ok {
		ip.rets[fr.key] = value{t: tainted, source: fr.ret.source, srcLine: fr.ret.srcLine}
	}
}

// param returns the value parameter i of the function being entered
// holds: v, or in the summary of that function, the marked input when i is
// one of the summary's parameters.
func (ip *interproc) param(i int, v value) value {
	if ip == nil || ip.cur == nil || !ip.cur.marking {
		return v
	}
	d := ip.target
	j := i - d.skip
	if j < 0 || j >= 64 || ip.mask&(1<<uint(j)) == 0 {
		return v
	}
	return value{t: tainted, source: markSource, param: true}
}

// returned records a value the function being walked returns.
func (ip *interproc) returned(v value) {
	if ip == nil || ip.cur == nil || v.t != tainted || ip.cur.ret.t == tainted {
		return
	}
	ip.cur.ret = v
}

// call records a call of key (a function of the file, if any is so named)
// with these arguments, at line, in the function caller; it returns the
// call's value when the callee is known to return request input.
func (ip *interproc) call(key string, args []value, kwargs map[string]value, caller string, line, start, end int) (value, bool) {
	if ip == nil || key == "" {
		return value{}, false
	}
	if ip.cur != nil {
		ip.cur.calls = true
	}
	var out value
	ok := false
	if rv, known := ip.rets[key]; known {
		out, ok = value{t: tainted, source: rv.source, srcLine: rv.srcLine}, true
	} else if !ip.summarizing {
		if _, defined := ip.defs[key]; !defined {
			ip.early[key] = true
		}
	}
	hot := func(a value) bool {
		return a.t == tainted && (a.source == markSource) == ip.summarizing
	}
	var rec *callRec
	add := func(a value, kw string, i int) {
		if !hot(a) {
			return
		}
		if rec == nil {
			rec = &callRec{key: key, caller: caller, line: line, start: start, end: end, args: make([]argInfo, len(args))}
		}
		info := argInfo{hot: true, source: a.source, srcLine: a.srcLine, kw: kw}
		if kw == "" {
			rec.args[i] = info
		} else {
			rec.args = append(rec.args, info)
		}
	}
	for i, a := range args {
		add(a, "", i)
	}
	for kw, a := range kwargs {
		add(a, kw, 0)
	}
	if rec != nil {
		if ip.summarizing {
			if ip.node != nil && len(ip.node.calls) < maxCallRecs {
				ip.node.calls = append(ip.node.calls, *rec)
			}
		} else if len(ip.calls) < maxCallRecs {
			ip.calls = append(ip.calls, *rec)
		}
	}
	return out, ok
}

// rewalkNeeded reports whether a call was walked before its callee was
// known to return input (and clears the record for the next walk).
func (ip *interproc) rewalkNeeded() bool {
	need := false
	for k := range ip.early {
		if _, ok := ip.rets[k]; ok {
			need = true
		}
	}
	ip.early = map[string]bool{}
	if need {
		ip.calls = nil
	}
	return need
}

// resolve returns the functions a recorded call may call: those of its
// key, by arity when there are several.
func (ip *interproc) resolve(rec *callRec) []*fnDef {
	defs := ip.defs[rec.key]
	if len(defs) <= 1 {
		return defs
	}
	positional := 0
	for _, a := range rec.args {
		if a.kw == "" {
			positional++
		}
	}
	var out []*fnDef
	for _, d := range defs {
		if len(d.params)-d.skip == positional {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return defs
	}
	return out
}

// maskFor returns the parameters of d that the hot arguments of rec are
// passed for.
func maskFor(d *fnDef, rec *callRec) uint64 {
	var m uint64
	for i, a := range rec.args {
		if !a.hot {
			continue
		}
		j := i
		if a.kw != "" {
			j = -1
			for k, p := range d.params {
				if p == a.kw {
					j = k - d.skip
				}
			}
		}
		if j >= 0 && j < 64 {
			m |= 1 << uint(j)
		}
	}
	return m
}

// summarize walks the functions called with input alone (see the package
// comment above), within budget guard steps, with u's sites kept apart.
// noSummaries skips the summaries (the walk still records what they
// need): a test's measure of what each part costs.
var noSummaries = false

func (ip *interproc) summarize(g *guard, u *unit, budget int) {
	if ip == nil || len(ip.calls) == 0 || g.stopped || noSummaries {
		return
	}
	for i := range ip.calls {
		rec := &ip.calls[i]
		for _, d := range ip.resolve(rec) {
			ip.ensure(d, maskFor(d, rec), 1)
		}
	}
	ip.drain(g, u, budget)
}

// ensure returns the summary of d for mask, queued to be walked if new
// (nil past the bounds).
func (ip *interproc) ensure(d *fnDef, mask uint64, depth int) *sumNode {
	if mask == 0 || d.walk == nil || !d.busy {
		return nil
	}
	if d.masks >= maxMasks {
		mask = ^uint64(0)
	}
	k := sumKey{d, mask}
	if n, ok := ip.nodes[k]; ok {
		return n
	}
	if len(ip.order) >= maxSummaries {
		return nil
	}
	d.masks++
	n := &sumNode{def: d, mask: mask, depth: depth}
	ip.nodes[k] = n
	ip.order = append(ip.order, n)
	ip.queue = append(ip.queue, n)
	return n
}

// drain walks the queued summaries, and those their calls ask for.
func (ip *interproc) drain(g *guard, u *unit, budget int) {
	start := g.steps
	ip.summarizing = true
	defer func() { ip.summarizing, ip.target, ip.node = false, nil, nil }()
	for len(ip.queue) > 0 && !g.stopped && !ip.over {
		if g.steps-start > budget {
			ip.over = true
			break
		}
		n := ip.queue[0]
		ip.queue = ip.queue[1:]
		ip.target, ip.mask, ip.node = n.def, n.mask, n
		saved := u.sites
		u.sites = nil
		depth := g.depth
		g.depth = 0
		n.def.walk()
		g.depth = depth
		n.sites = u.sites
		u.sites = saved
		if n.depth >= maxCallDepth {
			continue
		}
		for i := range n.calls {
			rec := &n.calls[i]
			for _, d := range ip.resolve(rec) {
				if c := ip.ensure(d, maskFor(d, rec), n.depth+1); c != nil {
					n.edges = append(n.edges, c)
				}
			}
		}
	}
}

// keepSummary is guard.keep for a site of a summary walk: bounded apart
// from the file's own sites, and never a bound on the file's scan.
func (ip *interproc) keepSummary() bool {
	if ip.sumSites++; ip.sumSites > maxSites {
		ip.over = true
		return false
	}
	return true
}

// crossHit is a finding of the taint across functions: rule r fires at
// st, with v's input coming from the call at callLine.
type crossHit struct {
	st       *site
	r        *Rule
	v        value
	via      string
	callLine int
}

// reacher finds the sinks reachable from the summaries of one unit.
type reacher struct {
	s     *Scanner
	lang  string
	u     *unit
	reach map[*sumNode][]crossSink
	steps int
}

func newReacher(s *Scanner, lang string, u *unit) *reacher {
	return &reacher{s: s, lang: lang, u: u, reach: map[*sumNode][]crossSink{}}
}

// sinks matches the rules against n's sites once.
func (rc *reacher) sinks(n *sumNode) []crossSink {
	if !n.matched {
		n.matched = true
		for i := range n.sites {
			st := &n.sites[i]
			for _, r := range rc.s.candidates(rc.lang, st) {
				if v, ok := r.match(rc.u, st); ok && v.t == tainted && v.source == markSource {
					n.sinks = append(n.sinks, crossSink{st: st, r: r, v: v})
				}
			}
		}
	}
	return n.sinks
}

// reachable returns the sinks of start and of the summaries its calls
// reach, to maxCallDepth functions deep.
func (rc *reacher) reachable(start *sumNode) []crossSink {
	if out, ok := rc.reach[start]; ok {
		return out
	}
	var out []crossSink
	seen := map[*sumNode]bool{start: true}
	level := []*sumNode{start}
	for depth := 1; depth <= maxCallDepth && len(level) > 0 && rc.steps < maxReach; depth++ {
		var next []*sumNode
		for _, n := range level {
			rc.steps++
			out = append(out, rc.sinks(n)...)
			for _, c := range n.edges {
				if !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			}
		}
		level = next
	}
	rc.reach[start] = out
	return out
}

// hotArg is the first argument of rec that carries input.
func hotArg(rec *callRec) argInfo {
	for _, a := range rec.args {
		if a.hot {
			return a
		}
	}
	return argInfo{}
}

// crossHits matches the rules against the summaries' sites and follows
// every recorded call to the sinks its input reaches.
func (s *Scanner) crossHits(lang string, u *unit) []crossHit {
	ip := u.ip
	if ip == nil || len(ip.calls) == 0 || len(ip.order) == 0 {
		return nil
	}
	rc := newReacher(s, lang, u)
	type hitKey struct {
		st *site
		r  *Rule
	}
	done := map[hitKey]bool{}
	var out []crossHit
	for i := range ip.calls {
		rec := &ip.calls[i]
		src := hotArg(rec)
		for _, d := range ip.resolve(rec) {
			mask := maskFor(d, rec)
			n := ip.nodes[sumKey{d, mask}]
			if n == nil {
				n = ip.nodes[sumKey{d, ^uint64(0)}]
			}
			if n == nil {
				continue
			}
			for _, sk := range rc.reachable(n) {
				if done[hitKey{sk.st, sk.r}] {
					continue
				}
				if !sk.r.takesSource(src.source) {
					continue
				}
				done[hitKey{sk.st, sk.r}] = true
				v := sk.v
				v.source, v.srcLine = src.source, src.srcLine
				out = append(out, crossHit{st: sk.st, r: sk.r, v: v, via: viaName(rec), callLine: rec.line})
			}
		}
	}
	return out
}

// viaName names a recorded call: its function and line.
func viaName(rec *callRec) string {
	caller := rec.caller
	for strings.Contains(caller, anonMark) {
		caller = enclosingFn(caller) // a function without a name: its line says it
	}
	if caller == "" {
		return fmt.Sprintf("line %d", rec.line)
	}
	return fmt.Sprintf("%s:%d", caller, rec.line)
}

// crossNote is what a finding of the taint across functions adds to its
// message.
func crossNote(h crossHit) string {
	src := h.v.source
	if src == "" {
		src = "request input"
	}
	return fmt.Sprintf(" (from `%s` via %s)", strings.ReplaceAll(src, "`", "'"), h.via)
}

// crossScope adds the line of the call to a finding's scope.
func crossScope(sc []scanners.LineRange, line int) []scanners.LineRange {
	for _, r := range sc {
		if r.Start <= line && line <= r.End {
			return sc
		}
	}
	return append(sc, scanners.LineRange{Start: line, End: line})
}
