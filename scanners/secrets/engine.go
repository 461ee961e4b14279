package secrets

import (
	"context"
	"fmt"
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
	// hitLine and runLine remember the line last looked up by hits and
	// by matches: on a long line with many keywords, each is found once,
	// not once per hit.
	hitLine, runLine lineCache
	// blockEnd remembers the line a block window's end fell in.
	blockEnd lineCache
	// err is ctx's error once a run found it done: the scan stops.
	err error
	// debug asks run to note each candidate of a generic rule it drops,
	// in dropped (the Scanner logs them at debug level); off, dropping
	// costs one branch.
	debug   bool
	dropped []dropped
}

// dropped is a candidate of a generic rule that run dropped, and why. It
// holds the candidate only redacted (Redact): the chunk's text is reused.
type dropped struct {
	rule int
	// at and secretAt are where the match and its secret start in the
	// chunk.
	at, secretAt int
	reason       string
	redacted     string
}

// drop notes, when debugging, that run dropped the candidate secret of
// rule ri (a generic one) matched at at, the secret at secretAt, for
// reason.
func (cs *chunkScan) drop(ri, at, secretAt int, secret, reason string) {
	if !cs.e.rules[ri].generic {
		return
	}
	cs.dropped = append(cs.dropped, dropped{rule: ri, at: at, secretAt: secretAt, reason: reason, redacted: Redact(secret)})
}

// maxRunBytes bounds the text one run of a rule's regex reads (about a
// second for the slowest rule on text built to be slow): windows are not
// merged past it, so the scan's context is checked at least that often.
const maxRunBytes = 256 << 10

// maxProbe bounds the bytes a keyword hit's checks read for a rule whose
// match has no length bound (a JWT, a PEM key); a hit whose check is still
// undecided there goes on to the regex.
const maxProbe = 1 << 10

// ctxEvery is how many keyword hits a chunk scan handles between checks
// of its context: a chunk is at most about 1 MiB, but a hostile one can
// be a line of nothing but keywords.
const ctxEvery = 1024

// lineCache is one line of a chunk's text, [ls, le) with le at its
// newline or the end of the text, and what has been worked out about it.
type lineCache struct {
	ls, le int // ls > le: empty
	// runStart, runEnd: the line's last run of 8 or more value bytes
	// (see hasValueRun); runEnd -1: none; runs says they are known.
	runStart, runEnd int
	runs             bool
	// next[i] is the end of the (i+1)th line after this one; 0: unknown.
	next [maxSpanLines]int
	// allowTag: the line has gitleaks:allow (1), has not (-1), unknown (0).
	allowTag int8
	// lineRegex caches, by allowlist, whether its regexes match the line.
	lineRegex map[*allowlist]bool
}

func (c *lineCache) reset() {
	m := c.lineRegex
	clear(m)
	*c = lineCache{ls: 1, lineRegex: m}
}

// at makes c the line of t holding pos and returns its bounds.
func (c *lineCache) at(t string, pos int) (ls, le int) {
	if c.ls <= pos && pos <= c.le {
		return c.ls, c.le
	}
	c.reset()
	c.ls, c.le = strings.LastIndexByte(t[:pos], '\n')+1, lineEnd(t, pos)
	return c.ls, c.le
}

// valueRunFrom reports hasValueRun(t[from:c.le]) for from in the line: a
// run of 8 value bytes after from exists exactly when the line's last one
// still holds 8 bytes after from.
func (c *lineCache) valueRunFrom(t string, from int) bool {
	if !c.runs {
		c.runs, c.runEnd = true, -1
		n := 0
		for i := c.ls; i <= c.le; i++ {
			if i < c.le && isValueByte8(t[i]) {
				n++
				continue
			}
			if n >= 8 {
				c.runStart, c.runEnd = i-n, i
			}
			n = 0
		}
	}
	return c.runEnd >= 0 && c.runEnd-max(c.runStart, from) >= 8
}

func (e *engine) newChunkScan(path string, active []bool) *chunkScan {
	return &chunkScan{e: e, path: path, active: active, pending: make([]window, len(e.rules))}
}

// scan finds every accepted match in text. active says which rules apply
// to the file (path filters and file-level allowlists already applied).
// The result is valid until the next call. It stops with ctx's error
// when ctx is done: a chunk built to be slow (a megabyte line of
// keywords) cannot hold a scan past its time bound.
func (cs *chunkScan) scan(ctx context.Context, text string) ([]match, error) {
	e := cs.e
	cs.text = text
	cs.out = cs.out[:0]
	cs.dropped = cs.dropped[:0]
	cs.hitLine.reset()
	cs.runLine.reset()
	cs.blockEnd.reset()
	for i := range cs.pending {
		cs.pending[i] = window{-1, -1}
	}
	cs.err = nil
	cs.hits = e.pf.scan(text, cs.hits[:0])
	for i, h := range cs.hits {
		if i%ctxEvery == ctxEvery-1 && cs.err == nil {
			cs.err = ctx.Err()
		}
		if cs.err != nil {
			return nil, cs.err
		}
		cs.hit(ctx, h.start, h.end, h.id)
	}
	for i, w := range cs.pending {
		if w.start >= 0 {
			cs.run(ctx, i, w)
		}
	}
	for _, i := range e.always {
		if cs.active[i] {
			for from := 0; from < len(text); from += maxRunBytes {
				cs.run(ctx, i, window{from, min(len(text), from+maxRunBytes+blockBytes)})
			}
		}
	}
	if cs.err != nil {
		return nil, cs.err
	}
	return e.dedupe(cs.out), nil
}

// scanChunk finds every accepted match in text, for tests and callers
// that scan one text.
func (e *engine) scanChunk(path, text string, active []bool) []match {
	ms, _ := e.newChunkScan(path, active).scan(context.Background(), text)
	return ms
}

// dedupe keeps one finding per secret: where matches of several rules
// overlap, a provider rule (github-pat) wins over a generic one
// (generic-api-key, password-assignment); among equals, a match that holds
// the other's whole secret and more (gitlab-pat-routable's whole token
// over gitlab-pat's first 26 characters of it), then the rule listed
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
		if ca, cb := holds(a, b), holds(b, a); ca != cb {
			return ca
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

// holds reports whether a's secret spans b's and is longer.
func holds(a, b match) bool {
	return a.secretStart <= b.secretStart && a.secretEnd >= b.secretEnd && a.secretEnd-a.secretStart > b.secretEnd-b.secretStart
}

func (cs *chunkScan) hit(ctx context.Context, start, end int, pattern int32) {
	for _, ri := range cs.e.patRules[pattern] {
		if !cs.active[ri] {
			continue
		}
		p := &cs.pending[ri]
		r := cs.e.rules[ri]
		narrow := r.seq != nil && !cs.e.wide
		if r.wordStart && start > 0 && isWordByte(cs.text[start-1]) && isWordByte(cs.text[start]) {
			continue
		}
		if r.exact != nil && !hasPrefixAny(cs.text[start:], r.exact) {
			continue
		}
		w := cs.windowAt(start, end, r.span)
		if start < p.end && w.end <= p.end {
			// Inside this rule's window, which already reaches as far as
			// this hit's could: nothing to check. On a line of nothing
			// but keywords, every hit after the first ends here.
			continue
		}
		// The checks below read at most as far as a match from this
		// keyword can reach, and at most maxProbe bytes of a rule whose
		// match has no bound: past that, the hit is let through.
		check := w.end
		if r.tailMax >= 0 {
			check = min(check, start+r.tailMax+1)
		}
		undecided := false
		if r.seq != nil {
			probe := check
			if r.tailMax < 0 {
				probe = min(check, start+maxProbe)
			}
			ok, n := r.seq.extent(cs.text[start:probe])
			if start+n >= probe && probe < check {
				// Still alive at the probe's end: let the hit through.
				ok, n, undecided = true, check-start, true
			}
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
				check = min(check, w.end)
				if r.prefixMax >= 0 {
					w.start = max(w.start, start-r.prefixMax)
				}
				if start < p.end {
					// Inside the window: it only has to reach as far.
					cs.grow(ctx, int(ri), w)
					continue
				}
			}
		}
		r.compile()
		if r.anchored != nil && !undecided && !r.anchored.MatchString(cs.text[start:check]) {
			continue
		}
		if start < p.end || p.start >= 0 && w.start <= p.end+1 {
			// Inside or next to the window: it reaches as far as this
			// hit's own (a match from here may run past its end: a
			// keyword whose value is on the next line).
			cs.grow(ctx, int(ri), w)
			continue
		}
		if p.start >= 0 {
			cs.run(ctx, int(ri), *p)
		}
		*p = w
	}
}

// grow adds w to rule ri's pending window; when one window would then
// hold more than maxRunBytes, it runs the pending window and starts the
// next at w instead (text where the two meet is matched twice, and the
// same match found twice is kept once, see dedupe).
func (cs *chunkScan) grow(ctx context.Context, ri int, w window) {
	p := &cs.pending[ri]
	merged := window{min(p.start, w.start), max(p.end, w.end)}
	if merged.end-merged.start > maxRunBytes {
		cs.run(ctx, ri, *p)
		*p = w
		return
	}
	*p = merged
}

// windowAt is the text a rule must see around a keyword at [start,end):
// the keyword's line, widened by the rule's span: the line before and as
// many lines after as the regex can cross, or a bounded block.
func (cs *chunkScan) windowAt(start, end int, sp span) window {
	t := cs.text
	c := &cs.hitLine
	ls, le := c.at(t, start)
	if end > le {
		// A keyword does not hold a newline; a hit is never past its line.
		le = lineEnd(t, end)
	}
	switch {
	case sp.block:
		if b := start - blockBefore; b < ls {
			ls = strings.LastIndexByte(t[:max(0, b)], '\n') + 1
		}
		if b := min(len(t), start+blockBytes); b > le {
			_, le = cs.blockEnd.at(t, b)
		}
	case sp.lines > 0:
		// Reach into neighbouring lines only where the layout says the
		// match may continue there, which keeps most windows to one
		// line: the line before when the keyword opens its line (a value
		// under its <tokenName> tag), the lines after when nothing after
		// the keyword looks like a value (`password:` with the value below).
		if ls > 0 && strings.TrimLeft(t[ls:start], " \t") == "" {
			ls = strings.LastIndexByte(t[:ls-1], '\n') + 1
		}
		if end <= c.le && !c.valueRunFrom(t, end) {
			for i := 0; i < sp.lines && le < len(t); i++ {
				if c.next[i] == 0 {
					c.next[i] = lineEnd(t, le+1)
				}
				le = c.next[i]
			}
		} else if end > c.le && !hasValueRun(t[end:le]) {
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
		if isValueByte8(s[i]) {
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

// isValueByte8 is a byte hasValueRun counts.
func isValueByte8(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '+' || c == '/' || c == '=' || c == '.'
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
func (cs *chunkScan) run(ctx context.Context, ri int, w window) {
	if cs.err == nil {
		cs.err = ctx.Err()
	}
	if cs.err != nil {
		return
	}
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
			if cs.debug {
				cs.drop(ri, ms, ss, secret, fmt.Sprintf("low entropy (%.2f bits a character, at most %.2f)", shannonEntropy(secret), r.entropy))
			}
			continue
		}
		if r.validate != nil && !r.validate(secret) {
			if cs.debug {
				cs.drop(ri, ms, ss, secret, "rejected by the rule's validator")
			}
			continue
		}
		// The line of the match (its lines, when it spans several),
		// looked up once for all the matches on a long line.
		c := &cs.runLine
		ls, le := c.at(t, ms)
		var lc *lineCache
		if me <= le {
			lc = c
		} else {
			le = lineEnd(t, me)
		}
		line := t[ls:le]
		if lc != nil && lc.allowTag == 0 {
			lc.allowTag = -1
			if strings.Contains(line, "gitleaks:allow") {
				lc.allowTag = 1
			}
		}
		if lc != nil && lc.allowTag > 0 || lc == nil && strings.Contains(line, "gitleaks:allow") {
			if cs.debug {
				cs.drop(ri, ms, ss, secret, "gitleaks:allow on the line")
			}
			continue
		}
		if !cs.e.keepHashes && isLockfileHash(line, ss-ls, se-ls) {
			if cs.debug {
				cs.drop(ri, ms, ss, secret, "a lockfile's package digest")
			}
			continue
		}
		if a := cs.allowedBy(r, secret, t[ms:me], line, lc); a != nil {
			if cs.debug {
				cs.drop(ri, ms, ss, secret, a.reason())
			}
			continue
		}
		cs.out = append(cs.out, match{rule: ri, matchStart: ms, matchEnd: me, secretStart: ss, secretEnd: se})
	}
}

// allowedBy returns the allowlist that drops a match, or nil. lc, when not
// nil, is line's cache: an allowlist matching whole lines runs its regexes
// once a line, not once a match.
func (cs *chunkScan) allowedBy(r *rule, secret, m, line string, lc *lineCache) *allowlist {
	for _, a := range cs.e.global {
		if a.findingAllowed(cs.path, secret, m, line, lc) {
			return a
		}
	}
	for _, a := range r.allowlists {
		if a.findingAllowed(cs.path, secret, m, line, lc) {
			return a
		}
	}
	return nil
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

// rule is the rule named id, or nil.
func (e *engine) rule(id string) *rule {
	for _, r := range e.rules {
		if r.id == id {
			return r
		}
	}
	return nil
}
