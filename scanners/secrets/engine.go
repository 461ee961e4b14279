package secrets

import (
	"sort"
	"strings"
)

// engine is the compiled, immutable matching machinery shared by every
// Scan: the rules, one prefilter over all their keywords, and the index
// from prefilter pattern to rules.
type engine struct {
	rules    []*rule
	global   []*allowlist
	pf       *prefilter
	patRules [][]int32
	// always are regex rules with neither keywords nor derivable literals:
	// they run once over each chunk.
	always []int
	// pathOnly are rules with a path and no regex ("a .p12 file was added").
	pathOnly []int
	// wide, for tests, keeps every window its whole lines, as before
	// windows were narrowed to where a match can be.
	wide bool
	// keepHashes, for tests, reports lockfile digests too (as before
	// isLockfileHash), to measure what the filter drops.
	keepHashes bool
	// redactActive are the rules Redact runs: every rule with a regex,
	// whatever its path filter, since a status text has no path.
	redactActive []bool
}

func newEngine(cfg *Config) *engine {
	e := &engine{rules: cfg.rules, global: cfg.allowlists}
	index := map[string]int32{}
	var patterns []string
	add := func(word string, r int) {
		id, ok := index[word]
		if !ok {
			id = int32(len(patterns))
			index[word] = id
			patterns = append(patterns, word)
			e.patRules = append(e.patRules, nil)
		}
		e.patRules[id] = append(e.patRules[id], int32(r))
	}
	for i, r := range cfg.rules {
		switch {
		case r.reSrc == "":
			e.pathOnly = append(e.pathOnly, i)
		case len(r.keywords) > 0:
			for _, k := range r.keywords {
				add(k, i)
			}
		case len(r.literals) > 0:
			for _, k := range r.literals {
				add(k, i)
			}
		default:
			e.always = append(e.always, i)
		}
	}
	e.pf = newPrefilter(patterns)
	e.redactActive = make([]bool, len(cfg.rules))
	for i, r := range cfg.rules {
		e.redactActive[i] = r.reSrc != "" && !r.skipReport
	}
	return e
}

// match is one accepted regex match inside a chunk, in chunk offsets.
type match struct {
	rule                   int
	matchStart, matchEnd   int
	secretStart, secretEnd int
}

type window struct{ start, end int }

// chunkScan holds the state of scanning the chunks of one Scan call; it is
// never shared between goroutines, and its buffers are reused from chunk
// to chunk.
type chunkScan struct {
	e      *engine
	path   string
	text   string
	active []bool
	// pending[r] is the window rule r will run on next; windows of one
	// rule that touch are merged so no text is matched twice.
	pending []window
	hits    []pfHit
	out     []match
}

func (e *engine) newChunkScan(path string, active []bool) *chunkScan {
	return &chunkScan{e: e, path: path, active: active, pending: make([]window, len(e.rules))}
}

// scan finds every accepted match in text. active says which rules apply
// to the file (path filters and file-level allowlists already applied).
// The result is valid until the next call.
func (cs *chunkScan) scan(text string) []match {
	e := cs.e
	cs.text = text
	cs.out = cs.out[:0]
	for i := range cs.pending {
		cs.pending[i] = window{-1, -1}
	}
	cs.hits = e.pf.scan(text, cs.hits[:0])
	for _, h := range cs.hits {
		cs.hit(h.start, h.end, h.id)
	}
	for i, w := range cs.pending {
		if w.start >= 0 {
			cs.run(i, w)
		}
	}
	for _, i := range e.always {
		if cs.active[i] {
			cs.run(i, window{0, len(text)})
		}
	}
	return e.dedupe(cs.out)
}

// scanChunk finds every accepted match in text, for tests and callers
// that scan one text.
func (e *engine) scanChunk(path, text string, active []bool) []match {
	return e.newChunkScan(path, active).scan(text)
}

// dedupe keeps one finding per secret: where matches of several rules
// overlap, a provider rule (github-pat) wins over a generic one
// (generic-api-key, password-assignment), and among equals the rule listed
// first.
func (e *engine) dedupe(ms []match) []match {
	if len(ms) < 2 {
		return ms
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].secretStart != ms[j].secretStart {
			return ms[i].secretStart < ms[j].secretStart
		}
		return ms[i].rule < ms[j].rule
	})
	better := func(a, b match) bool { // a preferred over b
		ga, gb := e.rules[a.rule].generic, e.rules[b.rule].generic
		if ga != gb {
			return !ga
		}
		return a.rule < b.rule
	}
	kept := ms[:0]
	for _, m := range ms {
		drop := false
		for j := len(kept) - 1; j >= 0 && j >= len(kept)-8; j-- {
			k := kept[j]
			if k.secretEnd <= m.secretStart || k.secretStart >= m.secretEnd {
				continue
			}
			if better(k, m) {
				drop = true
				break
			}
			kept = append(kept[:j], kept[j+1:]...)
		}
		if !drop {
			kept = append(kept, m)
		}
	}
	return kept
}

func (cs *chunkScan) hit(start, end int, pattern int32) {
	for _, ri := range cs.e.patRules[pattern] {
		if !cs.active[ri] {
			continue
		}
		p := &cs.pending[ri]
		r := cs.e.rules[ri]
		narrow := r.seq != nil && !cs.e.wide
		if start < p.end && !narrow {
			continue // already inside this rule's window
		}
		if r.wordStart && start > 0 && isWordByte(cs.text[start-1]) && isWordByte(cs.text[start]) {
			continue
		}
		if r.exact != nil && !hasPrefixAny(cs.text[start:], r.exact) {
			continue
		}
		w := cs.windowAt(start, end, r.span)
		if r.seq != nil {
			ok, n := r.seq.extent(cs.text[start:w.end])
			if !ok {
				continue
			}
			if narrow {
				// Every match whose tail starts here ends by the byte the
				// check died on, and starts at most prefixMax before:
				// the window shrinks to that, one byte of context kept
				// after (for $ and \b). A long line of code (a 17 KB
				// table) no longer runs the rule's regex end to end.
				w.end = min(w.end, start+n+1)
				if r.prefixMax >= 0 {
					w.start = max(w.start, start-r.prefixMax)
				}
				if start < p.end {
					// Inside the window: it only has to reach as far.
					p.start, p.end = min(p.start, w.start), max(p.end, w.end)
					continue
				}
			}
		}
		r.compile()
		if r.anchored != nil && !r.anchored.MatchString(cs.text[start:w.end]) {
			continue
		}
		if p.start >= 0 && w.start <= p.end+1 {
			p.end = max(p.end, w.end)
			continue
		}
		if p.start >= 0 {
			cs.run(int(ri), *p)
		}
		*p = w
	}
}

// windowAt is the text a rule must see around a keyword at [start,end):
// the keyword's line, widened by the rule's span: the line before and as
// many lines after as the regex can cross, or a bounded block.
func (cs *chunkScan) windowAt(start, end int, sp span) window {
	t := cs.text
	ls := strings.LastIndexByte(t[:start], '\n') + 1
	le := lineEnd(t, end)
	switch {
	case sp.block:
		ls = strings.LastIndexByte(t[:max(0, min(ls, start-blockBefore))], '\n') + 1
		le = lineEnd(t, min(len(t), start+blockBytes))
	case sp.lines > 0:
		// Reach into neighbouring lines only where the layout says the
		// match may continue there, which keeps most windows to one
		// line: the line before when the keyword opens its line (a value
		// under its <tokenName> tag), the lines after when nothing after
		// the keyword looks like a value (`password:` with the value below).
		if ls > 0 && strings.TrimLeft(t[ls:start], " \t") == "" {
			ls = strings.LastIndexByte(t[:ls-1], '\n') + 1
		}
		if !hasValueRun(t[end:le]) {
			for i := 0; i < sp.lines && le < len(t); i++ {
				le = lineEnd(t, le+1)
			}
		}
	}
	// The line's own newline is part of the window, so a terminator such
	// as \s or (?:\s|$) sees what it would see in the whole text.
	if le < len(t) {
		le++
	}
	return window{ls, le}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func hasPrefixAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// hasValueRun reports whether s holds 8 or more consecutive characters
// that could make up a token or password.
func hasValueRun(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+' || c == '/' || c == '=' || c == '.' {
			n++
			if n >= 8 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

func lineEnd(t string, from int) int {
	if from >= len(t) {
		return len(t)
	}
	if i := strings.IndexByte(t[from:], '\n'); i >= 0 {
		return from + i
	}
	return len(t)
}

// run applies rule ri to one window and records the accepted matches.
func (cs *chunkScan) run(ri int, w window) {
	r := cs.e.rules[ri]
	r.compile()
	if r.re == nil {
		return
	}
	t := cs.text
	sub := t[w.start:w.end]
	if r.anchored == nil && r.pre != nil && !r.pre.MatchString(sub) {
		return
	}
	for _, m := range r.re.FindAllStringSubmatchIndex(sub, -1) {
		ms, me := m[0]+w.start, m[1]+w.start
		// gitleaks trims newlines from both ends of a match.
		for ms < me && t[ms] == '\n' {
			ms++
		}
		for me > ms && t[me-1] == '\n' {
			me--
		}
		if ms >= me {
			continue
		}
		ss, se := ms, me
		if len(m) > 2 {
			if g := r.secretGroup; g > 0 {
				ss, se = m[2*g], m[2*g+1]
				if ss < 0 {
					continue
				}
				ss, se = ss+w.start, se+w.start
			} else {
				for g := 1; 2*g+1 < len(m); g++ {
					if m[2*g] >= 0 && m[2*g+1] > m[2*g] {
						ss, se = m[2*g]+w.start, m[2*g+1]+w.start
						break
					}
				}
			}
		}
		if ss >= se || ss < ms || se > me {
			continue
		}
		secret := t[ss:se]
		if r.entropy != 0 && shannonEntropy(secret) <= r.entropy {
			continue
		}
		if r.validate != nil && !r.validate(secret) {
			continue
		}
		ls := strings.LastIndexByte(t[:ms], '\n') + 1
		line := t[ls:lineEnd(t, me)]
		if strings.Contains(line, "gitleaks:allow") {
			continue
		}
		if !cs.e.keepHashes && isLockfileHash(line, ss-ls, se-ls) {
			continue
		}
		if cs.allowed(r, secret, t[ms:me], line) {
			continue
		}
		cs.out = append(cs.out, match{rule: ri, matchStart: ms, matchEnd: me, secretStart: ss, secretEnd: se})
	}
}

func (cs *chunkScan) allowed(r *rule, secret, m, line string) bool {
	for _, a := range cs.e.global {
		if a.findingAllowed(cs.path, secret, m, line) {
			return true
		}
	}
	for _, a := range r.allowlists {
		if a.findingAllowed(cs.path, secret, m, line) {
			return true
		}
	}
	return false
}

// activeRules says which rules apply to path: its global file-level
// allowlists, each rule's path filter and each rule's file-level
// allowlists. nil means the whole file is allowlisted.
func (e *engine) activeRules(path string) []bool {
	for _, a := range e.global {
		if a.fileAllowed(path) {
			return nil
		}
	}
	act := make([]bool, len(e.rules))
rules:
	for i, r := range e.rules {
		if r.skipReport {
			continue
		}
		if r.path != nil && !r.path.MatchString(path) {
			continue
		}
		for _, a := range r.allowlists {
			if a.fileAllowed(path) {
				continue rules
			}
		}
		act[i] = true
	}
	return act
}

// lineIndex maps offsets in a chunk to lines.
type lineIndex []int // start offset of each line

func (x lineIndex) find(off int) int {
	return sort.Search(len(x), func(i int) bool { return x[i] > off }) - 1
}
