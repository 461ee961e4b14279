package secrets

import (
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// span says how far around a keyword's line a rule's match may reach, so
// the engine runs each rule on the smallest window that can hold a match:
// lines is how many following lines the regex can run into (0: the line
// alone); block means it spans many lines (a PEM private key) and the
// window is bounded in bytes instead.
type span struct {
	lines int
	block bool
}

// maxSpanLines is the most lines a non-block window reaches; a regex that
// can consume more newlines than this is treated as a block rule.
const maxSpanLines = 8

// blockBytes bounds a multi-line window after its keyword. The largest PEM
// keys (RSA 8192) are about 6.5 KB; 32 KiB leaves room for certificate
// chains around them. blockBefore is how far a block match may start
// before its keyword (a Kubernetes Secret's data: before its kind:).
const (
	blockBytes  = 32 << 10
	blockBefore = 1 << 10
)

type rule struct {
	id          string
	description string
	title       string
	severity    scanners.Severity
	envName     string
	docURL      string
	skipReport  bool
	// generic rules match a shape or a variable name rather than a
	// provider's format; a provider rule on the same secret wins.
	generic bool

	// reSrc is the rule's regex; compile turns it, anchSrc and preSrc
	// into re, anchored and pre on first use.
	reSrc, anchSrc, preSrc string
	once                   sync.Once

	re *regexp.Regexp
	// pre, when set, is a cheaper superset of re (bounded repeats
	// unbounded, no captures): a window it does not match cannot match re.
	pre *regexp.Regexp
	// anchored, when set, is a relaxed superset of re that starts at the
	// keyword: every match of re contains, at a keyword hit, a suffix
	// anchored matches. Checking it at each hit, from the hit onwards,
	// rejects almost every hit at the cost of a few bytes of matching.
	anchored  *regexp.Regexp
	exact     []string // every anchored match starts with one of these, case-sensitively
	wordStart bool     // the anchored tail follows a \b
	// seq, with anchored, is a byte-level necessary condition for it.
	seq *seqCheck
	// tailMax bounds how far past its keyword a match can end (-1:
	// unbounded); checks of a hit read no further.
	tailMax int
	// prefixMax, with seq, is how many bytes before its keyword a match
	// can start; -1 when the window must keep its line start.
	prefixMax   int
	path        *pathSet
	secretGroup int
	entropy     float64
	keywords    []string
	// literals, for a rule without keywords, are strings one of which
	// every match contains (derived from the regex); they stand in for
	// keywords in the prefilter. Empty: the rule runs on whole blocks.
	literals   []string
	span       span
	allowlists []*allowlist
	// validate, set for some of shiftward's own rules, rejects a match
	// a regex cannot judge (a base64 key that decodes to an encrypted one).
	validate func(secret string) bool
}

// compile compiles the rule's regexes once; safe for concurrent Scans.
// Patterns that parsed compile (regexp.Compile fails only in Parse); a
// failure would leave the regex nil, which matches nothing (re) or checks
// nothing (anchored, pre).
func (r *rule) compile() {
	r.once.Do(func() {
		if r.reSrc != "" {
			r.re, _ = regexp.Compile(r.reSrc)
		}
		if r.anchSrc != "" {
			r.anchored, _ = regexp.Compile(r.anchSrc)
		}
		if r.preSrc != "" {
			r.pre, _ = regexp.Compile(r.preSrc)
		}
	})
}

type regexTarget int

const (
	targetSecret regexTarget = iota
	targetMatch
	targetLine
)

// allowlist is a compiled gitleaks allowlist (config/allowlist.go).
type allowlist struct {
	and        bool
	target     regexTarget
	hasCommits bool
	paths      *pathSet
	regexes    *regexSet
	stopwords  []string
	// builtin: a global allowlist of the default rule set. Its paths
	// (go.mod, lockfiles, vendor/, node_modules/) never exempt a whole
	// file: a token pasted there is as leaked as anywhere, and the only
	// noise those files make, lockfile hashes, is dropped candidate by
	// candidate (isLockfileHash). Its regexes and stopwords still apply.
	builtin bool
	// description is the allowlist's, for debug logs of what it drops.
	description string
	// global: a config-wide allowlist, not one of a rule's.
	global bool
}

// reason says, for a debug log, which allowlist dropped a candidate (its
// description, cut short: a repository's own may say anything).
func (a *allowlist) reason() string {
	what := "the rule's allowlist"
	if a.global {
		what = "a global allowlist"
	}
	if a.description == "" {
		return what
	}
	d := a.description
	if utf8.RuneCountInString(d) > 120 {
		d = string([]rune(d)[:120]) + "…"
	}
	return what + ": " + d
}

// pathSet matches paths against allowlist patterns. Path regexes are
// checked once or twice per file, and gitleaks' default list of about
// thirty costs ~20µs a path in Go's regexp; a literal every match of a
// pattern must contain ("vendor/", ".min.js") rules most out with a
// strings.Contains first.
type pathSet struct {
	pats []pathPattern
}

type pathPattern struct {
	re   *regexp.Regexp
	lits []string // lower-case; nil: always run re
}

func newPathSet(ps []string) (*pathSet, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	set := &pathSet{}
	for _, p := range ps {
		re, err := compilePattern(p)
		if err != nil {
			return nil, err
		}
		lits := requiredLiteralsMin(p, 2)
		if lits == nil {
			lits = prefixLiterals(p, 2)
		}
		if !allASCII(lits) {
			lits = nil
		}
		set.pats = append(set.pats, pathPattern{re: re, lits: lits})
	}
	return set, nil
}

// prefixLiterals is a set of lower-case strings one of which every match
// of pattern contains: the strings some tail of its top-level sequence
// starts with (".go", ".py", ... for \.(?:go|py|...)$, where each
// element alone has only one-byte literals). nil if none has minLen bytes.
func prefixLiterals(pattern string, minLen int) []string {
	t, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	for t.Op == syntax.OpCapture {
		t = t.Sub[0]
	}
	subs := []*syntax.Regexp{t}
	if t.Op == syntax.OpConcat {
		subs = t.Sub
	}
	var best []string
	bestLen := minLen - 1
	for i := range subs {
		ps := prefixSet(subs[i:], 12)
		if len(ps) == 0 {
			continue
		}
		m := len(ps[0])
		for _, p := range ps {
			m = min(m, len(p))
		}
		if m > bestLen {
			best, bestLen = ps, m
		}
	}
	for i, b := range best {
		best[i] = strings.ToLower(b) // a case-sensitive literal keeps its case
	}
	return best
}

// MatchString reports whether any pattern matches path.
func (s *pathSet) MatchString(path string) bool {
	// The literals are lower-case ASCII; a non-ASCII path (where (?i)s
	// also matches ſ) runs every regex rather than reason about folding.
	lower, ascii := strings.ToLower(path), allASCII([]string{path})
	for _, p := range s.pats {
		if ascii && p.lits != nil && !containsAny(lower, p.lits) {
			continue
		}
		if p.re.MatchString(path) {
			return true
		}
	}
	return false
}

// regexSet is an allowlist's regexes: it matches when any of them does.
type regexSet struct {
	// gated run only when one of their literals occurs in the target.
	gated []pathPattern
	rest  *regexp.Regexp
}

// MatchString reports whether any of the regexes matches s.
func (s *regexSet) MatchString(target string) bool {
	// The literals are lower-case ASCII; a non-ASCII target (where
	// (?i)s also matches ſ) skips the gate rather than reason about
	// Unicode folding.
	ascii := allASCII([]string{target})
	var lower string
	for _, p := range s.gated {
		if ascii {
			if lower == "" {
				lower = strings.ToLower(target)
			}
			if !containsAny(lower, p.lits) {
				continue
			}
		}
		if p.re.MatchString(target) {
			return true
		}
	}
	return s.rest != nil && s.rest.MatchString(target)
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// fileAllowed mirrors gitleaks' checkCommitOrPathAllowed: with OR an
// allowlisted path skips the whole file; with AND only when the allowlist
// has no per-finding criteria. shiftward scans changes, not commits, so a
// commit criterion never matches. The default set's global allowlists
// never skip a file (see builtin): only a repository's own do.
func (a *allowlist) fileAllowed(path string) bool {
	if a.builtin {
		return false
	}
	if a.and && (a.regexes != nil || len(a.stopwords) > 0 || a.hasCommits) {
		// Its other conditions are about findings: the path alone
		// never allows the file, so it need not be matched.
		return false
	}
	return a.paths != nil && path != "" && a.paths.MatchString(path)
}

// findingAllowed mirrors gitleaks' checkFindingAllowed. lc, when not nil,
// caches what the regexes say of line (see chunkScan.allowed).
func (a *allowlist) findingAllowed(path, secret, match, line string, lc *lineCache) bool {
	target := secret
	switch a.target {
	case targetMatch:
		target = match
	case targetLine:
		target = line
	}
	var regexOK bool
	switch {
	case a.regexes == nil || target == "":
	case a.target == targetLine && lc != nil:
		ok, known := lc.lineRegex[a]
		if !known {
			ok = a.regexes.MatchString(line)
			if lc.lineRegex == nil {
				lc.lineRegex = map[*allowlist]bool{}
			}
			lc.lineRegex[a] = ok
		}
		regexOK = ok
	default:
		regexOK = a.regexes.MatchString(target)
	}
	stopOK := a.containsStopword(secret)
	if !a.and {
		return regexOK || stopOK
	}
	if a.hasCommits {
		return false
	}
	if a.paths != nil && !(path != "" && a.paths.MatchString(path)) {
		return false
	}
	if a.regexes != nil && !regexOK {
		return false
	}
	if len(a.stopwords) > 0 && !stopOK {
		return false
	}
	return true
}

func (a *allowlist) containsStopword(secret string) bool {
	if len(a.stopwords) == 0 || secret == "" {
		return false
	}
	s := strings.ToLower(secret)
	for _, w := range a.stopwords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// shannonEntropy is gitleaks' measure (detect/utils.go): counts per rune,
// divided by the byte length, so results agree with gitleaks' thresholds.
func shannonEntropy(s string) float64 {
	if s == "" {
		return 0
	}
	var ascii [128]int
	var other map[rune]int
	for _, c := range s {
		if c < 128 {
			ascii[c]++
			continue
		}
		if other == nil {
			other = make(map[rune]int)
		}
		other[c]++
	}
	inv := 1 / float64(len(s))
	e := 0.0
	add := func(n int) {
		if n > 0 {
			f := float64(n) * inv
			e -= f * math.Log2(f)
		}
	}
	for _, n := range ascii {
		add(n)
	}
	for _, n := range other {
		add(n)
	}
	return e
}

// spanOf classifies how far a regex can reach across lines, by counting
// the newlines it can consume. A repeated narrow class such as \s* counts
// as one newline, since whitespace running over several blank lines
// between a key and its value does not occur in practice, while a broad
// class ([\s\S], (?s:.)) under a repeat makes the rule a block rule.
func spanOf(pattern string) span {
	t, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return span{block: true}
	}
	// Not simplified: Simplify expands x{0,5} into nested optionals,
	// which would count five newlines for one bounded whitespace run.
	n := maxNewlines(withoutTerminator(t))
	if n > maxSpanLines {
		return span{block: true}
	}
	return span{lines: n}
}

const manyNewlines = maxSpanLines + 1

// withoutTerminator drops a regex's final element when it is a fixed-width
// terminator such as gitleaks' (?:[\x60'"\s;]|\\[nr]|$): windows end
// with their line's newline, so a terminator can match it without the
// window reaching into the next line.
func withoutTerminator(t *syntax.Regexp) *syntax.Regexp {
	for t.Op == syntax.OpCapture && len(t.Sub) == 1 {
		t = t.Sub[0]
	}
	if t.Op != syntax.OpConcat || len(t.Sub) < 2 {
		return t
	}
	last := t.Sub[len(t.Sub)-1]
	if !fixedWidth(last) {
		return t
	}
	c := *t
	c.Sub = t.Sub[:len(t.Sub)-1]
	return &c
}

func fixedWidth(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return false
	}
	for _, sub := range t.Sub {
		if !fixedWidth(sub) {
			return false
		}
	}
	return true
}

func maxNewlines(t *syntax.Regexp) int {
	switch t.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range t.Rune {
			if r == '\n' {
				n++
			}
		}
		return n
	case syntax.OpAnyChar:
		return 1
	case syntax.OpCharClass:
		if classHasNL(t.Rune) {
			return 1
		}
		return 0
	case syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		sub := t.Sub[0]
		n := maxNewlines(sub)
		if n == 0 {
			return 0
		}
		if broad(sub) {
			return manyNewlines
		}
		if isClass(sub) {
			return 1
		}
		if t.Op != syntax.OpRepeat || t.Max == -1 {
			return manyNewlines
		}
		return min(manyNewlines, n*t.Max)
	case syntax.OpConcat:
		n := 0
		for _, sub := range t.Sub {
			n = min(manyNewlines, n+maxNewlines(sub))
		}
		return n
	}
	n := 0
	for _, sub := range t.Sub {
		n = max(n, maxNewlines(sub))
	}
	return n
}

func isClass(t *syntax.Regexp) bool {
	for t.Op == syntax.OpCapture {
		t = t.Sub[0]
	}
	return t.Op == syntax.OpCharClass || t.Op == syntax.OpAnyChar || t.Op == syntax.OpLiteral && len(t.Rune) == 1
}

func broad(t *syntax.Regexp) bool {
	for t.Op == syntax.OpCapture {
		t = t.Sub[0]
	}
	return t.Op == syntax.OpAnyChar || t.Op == syntax.OpCharClass && classSize(t.Rune) > 1000
}

func classHasNL(r []rune) bool {
	for i := 0; i+1 < len(r); i += 2 {
		if r[i] <= '\n' && '\n' <= r[i+1] {
			return true
		}
	}
	return false
}

func classSize(r []rune) int {
	n := 0
	for i := 0; i+1 < len(r); i += 2 {
		n += int(r[i+1]-r[i]) + 1
	}
	return n
}

// requiredLiterals derives, for a rule without keywords, a set of
// lower-case strings one of which every match must contain, so the rule
// can still sit behind the prefilter. nil means none of at least 3 bytes
// could be derived and the rule must run on every block.
func requiredLiterals(pattern string) []string { return requiredLiteralsMin(pattern, 3) }

func requiredLiteralsMin(pattern string, minLen int) []string {
	t, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	set := literalSet(t.Simplify())
	if len(set) == 0 || len(set) > 64 {
		return nil
	}
	for _, s := range set {
		if len(s) < minLen {
			return nil
		}
	}
	slices.Sort(set)
	return slices.Compact(set)
}

func literalSet(t *syntax.Regexp) []string {
	switch t.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(t.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return literalSet(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return literalSet(t.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range t.Sub {
			s := literalSet(sub)
			if s == nil {
				return nil
			}
			out = append(out, s...)
		}
		return out
	case syntax.OpConcat:
		var best []string
		bestLen := 0
		for _, sub := range t.Sub {
			s := literalSet(sub)
			if s == nil {
				continue
			}
			m := len(s[0])
			for _, x := range s {
				m = min(m, len(x))
			}
			if m > bestLen {
				best, bestLen = s, m
			}
		}
		return best
	}
	return nil
}

// relaxPattern rewrites a pattern into a superset that Go's regexp runs
// much faster: a bounded repeat such as [\w.=-]{10,150} compiles to 150
// instructions, all live at once in the NFA; [\w.=-]{3,} compiles to four,
// and the program becomes small enough for the backtracker. Matching the
// relaxed form first and the exact one only where it matched keeps
// gitleaks' semantics at a fraction of the cost. It returns "" when
// relaxing changes nothing.
func relaxPattern(pattern string) string {
	t, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	t, changed := relaxTree(t)
	// A leading element that may match nothing ([\w.-]{0,50}? before a
	// keyword) cannot decide whether the rest matches, only where the
	// match starts; the boolean pre-check drops it.
	if t.Op == syntax.OpConcat {
		for len(t.Sub) > 1 && canBeEmpty(t.Sub[0]) {
			t.Sub = t.Sub[1:]
			changed = true
		}
	}
	if !changed {
		return ""
	}
	return patternString(t)
}

// relaxTree unbounds large bounded repeats and drops captures, in place.
func relaxTree(t *syntax.Regexp) (*syntax.Regexp, bool) {
	changed := false
	var walk func(t *syntax.Regexp) *syntax.Regexp
	walk = func(t *syntax.Regexp) *syntax.Regexp {
		for i, sub := range t.Sub {
			t.Sub[i] = walk(sub)
		}
		switch t.Op {
		case syntax.OpCapture:
			changed = true
			return t.Sub[0]
		case syntax.OpRepeat:
			if t.Max == -1 && t.Min <= 3 || t.Max >= 0 && t.Max <= 3 {
				return t
			}
			changed = true
			t.Min, t.Max = min(t.Min, 16), -1
			t.Flags &^= syntax.NonGreedy
		}
		return t
	}
	return walk(t), changed
}

// anchor is what anchoredPattern derives from a rule's regex for checking
// a keyword hit before any regex runs.
type anchor struct {
	// src is a pattern, anchored with ^, that matches from the start of
	// some keyword occurrence whenever the rule's pattern matches: the
	// pattern's tail from its first element that can only begin with a
	// keyword (a literal, or a few alternatives, each starting with a
	// keyword), relaxed like relaxPattern. Dropping the elements before
	// it only widens the language. "" when the pattern has no such
	// element.
	src string
	// exact: every tail match starts with one of these, case-sensitively.
	exact []string
	// wordStart: a \b comes just before the tail.
	wordStart bool
	// seq is the byte-level pre-check of the tail.
	seq *seqCheck
	// prefixMax is the most bytes a match can start before its tail (-1:
	// unknown, or the pattern has an assertion that looks behind, such
	// as \b or ^, whose answer depends on where a window starts).
	prefixMax int
	// tailMax is the most bytes the unrelaxed tail can match (-1:
	// unbounded): the checks of a hit need read no further, so a long
	// line of keywords costs each hit a bounded amount of work.
	tailMax int
}

// anchoredPattern derives the anchor of pattern (see anchor); its src is
// "" when it has none.
func anchoredPattern(pattern string, keywords []string) anchor {
	none := anchor{prefixMax: -1, tailMax: -1}
	if len(keywords) == 0 {
		return none
	}
	t, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return none
	}
	looksBehind := hasLookBehind(t)
	for t.Op == syntax.OpCapture {
		t = t.Sub[0]
	}
	subs := []*syntax.Regexp{t}
	if t.Op == syntax.OpConcat {
		subs = t.Sub
	}
	for i := range subs {
		ps := prefixSet(subs[i:], 12)
		if len(ps) == 0 || !allStartWithKeyword(ps, keywords) {
			continue
		}
		a := none
		tail := &syntax.Regexp{Op: syntax.OpConcat, Flags: t.Flags, Sub: subs[i:]}
		if len(subs) == 1 {
			tail = subs[0]
		}
		// Byte checks that reject a hit before any regex runs: the tail
		// starts with one of exact (case-sensitive literals, such as
		// twilio's "SK" for the keyword "sk"), and a \b just before it
		// means the keyword cannot continue a word ("s." in "os.Exit").
		if ex := exactSet(subs[i:], 12); len(ex) > 0 {
			for _, e := range ex {
				if e == "" {
					ex = nil
					break
				}
			}
			a.exact = ex
		}
		a.wordStart = i > 0 && subs[i-1].Op == syntax.OpWordBoundary
		if !looksBehind {
			a.prefixMax = maxBytes(&syntax.Regexp{Op: syntax.OpConcat, Sub: subs[:i]})
		}
		a.tailMax = maxBytes(tail) // before relaxTree unbounds it, in place
		tail, _ = relaxTree(tail)
		a.src = "^(?:" + patternString(tail) + ")"
		a.seq = newSeqCheck(tail)
		return a
	}
	return none
}

// hasLookBehind reports whether t has an assertion about the text before
// its position: ^, \A, \b or \B.
func hasLookBehind(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range t.Sub {
		if hasLookBehind(sub) {
			return true
		}
	}
	return false
}

// maxBytes is the most bytes a match of t can span, -1 if unbounded.
func maxBytes(t *syntax.Regexp) int {
	e := summarize(t)
	if e.max < 0 || e.max >= seqLimit {
		return -1
	}
	if e.set[2]|e.set[3] != 0 {
		return e.max * 4 // runes of up to 4 bytes
	}
	return e.max
}

// exactSet is prefixSet without case folding: nil as soon as a
// case-insensitive literal is involved.
func exactSet(seq []*syntax.Regexp, max int) []string {
	if len(seq) == 0 || max == 0 {
		return []string{""}
	}
	first, whole := exactFirst(seq[0])
	if first == nil {
		return nil
	}
	var out []string
	for _, f := range first {
		if len(f) >= max || !whole {
			out = append(out, f)
			continue
		}
		rest := exactSet(seq[1:], max-len(f))
		if rest == nil {
			out = append(out, f)
			continue
		}
		for _, r := range rest {
			out = append(out, f+r)
		}
		if len(out) > 64 {
			return nil
		}
	}
	return out
}

func exactFirst(t *syntax.Regexp) (ss []string, whole bool) {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(t.Rune)}, true
	case syntax.OpCharClass:
		if classSize(t.Rune) > 4 {
			return nil, false
		}
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				ss = append(ss, string(r))
			}
		}
		return ss, true
	case syntax.OpCapture:
		return exactFirst(t.Sub[0])
	case syntax.OpConcat:
		return exactSet(t.Sub, 12), false
	case syntax.OpAlternate:
		for _, sub := range t.Sub {
			f, w := exactFirst(sub)
			if f == nil {
				return nil, false
			}
			if !w {
				// Mixed: keep what is known, stop extending.
				whole = false
			}
			ss = append(ss, f...)
		}
		return ss, whole && len(t.Sub) > 0
	}
	return nil, false
}

func allStartWithKeyword(ps, keywords []string) bool {
	for _, p := range ps {
		ok := false
		for _, k := range keywords {
			if strings.HasPrefix(strings.ToLower(p), k) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// prefixSet lists the strings one of which every match of the sequence
// seq starts with, up to max bytes long; nil if it cannot tell.
func prefixSet(seq []*syntax.Regexp, max int) []string {
	if len(seq) == 0 || max == 0 {
		return []string{""}
	}
	first := firstSet(seq[0])
	if first == nil {
		return nil
	}
	var out []string
	for _, f := range first {
		if len(f.s) >= max || !f.whole {
			out = append(out, f.s)
			continue
		}
		rest := prefixSet(seq[1:], max-len(f.s))
		if rest == nil {
			out = append(out, f.s)
			continue
		}
		for _, r := range rest {
			out = append(out, f.s+r)
		}
		if len(out) > 64 {
			return nil
		}
	}
	return out
}

type piece struct {
	s     string
	whole bool // s is all the element matches
}

// firstSet is the possible starts of one element: literals, small
// character classes, alternations and groups of them.
func firstSet(t *syntax.Regexp) []piece {
	switch t.Op {
	case syntax.OpLiteral:
		s := string(t.Rune)
		if t.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []piece{{s, true}}
	case syntax.OpCharClass:
		if classSize(t.Rune) > 4 {
			return nil
		}
		var out []piece
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				out = append(out, piece{strings.ToLower(string(r)), true})
			}
		}
		return out
	case syntax.OpCapture:
		return firstSet(t.Sub[0])
	case syntax.OpQuest:
		f := firstSet(t.Sub[0])
		if f == nil {
			return nil
		}
		return append(f, piece{"", true})
	case syntax.OpConcat:
		ps := prefixSet(t.Sub, 12)
		if ps == nil {
			return nil
		}
		out := make([]piece, len(ps))
		for i, p := range ps {
			out[i] = piece{p, false}
		}
		return out
	case syntax.OpAlternate:
		var out []piece
		for _, sub := range t.Sub {
			f := firstSet(sub)
			if f == nil {
				return nil
			}
			out = append(out, f...)
		}
		return out
	}
	return nil
}

func canBeEmpty(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpStar, syntax.OpQuest, syntax.OpEmptyMatch:
		return true
	case syntax.OpRepeat:
		return t.Min == 0
	}
	return false
}

// genericRules match by context, not by a provider-issued format.
var genericRules = map[string]bool{
	"generic-api-key": true, "secret-assignment": true, "password-assignment": true,
	"password-in-config": true, "cli-credential-flag": true, "xml-password": true,
	"connection-string-password": true, "curl-auth-header": true, "curl-auth-user": true,
	"password-argument": true, "service-password": true, "cli-login-password": true,
	"connection-string-key-password": true, "credential-macro": true,
	// Prefix-only provider formats: a provider's own gitleaks rule, when
	// it has one, reports the secret first.
	"ai-provider-api-key": true, "platform-api-token": true,
}

// titleWords spells the words of gitleaks rule ids the way their vendors do.
var titleWords = map[string]string{
	"api": "API", "aws": "AWS", "gcp": "GCP", "id": "ID", "jwt": "JWT", "pat": "personal access token",
	"github": "GitHub", "gitlab": "GitLab", "oauth": "OAuth", "url": "URL", "ssh": "SSH", "npm": "npm",
	"pypi": "PyPI", "sql": "SQL", "hmac": "HMAC", "sas": "SAS", "ad": "AD", "ca": "CA", "pem": "PEM",
	"openai": "OpenAI", "slack": "Slack", "stripe": "Stripe", "yaml": "YAML", "ssl": "SSL", "tls": "TLS",
	"adobe": "Adobe", "azure": "Azure", "gpg": "GPG", "1password": "1Password", "etsy": "Etsy",
	"cli": "CLI", "ci": "CI", "cd": "CD", "uri": "URI", "pkcs12": "PKCS #12", "rsa": "RSA",
}

// titleFor builds a static title from a rule id for rules that do not set
// one ("github-pat" -> "GitHub personal access token").
func titleFor(id string) string {
	words := strings.Split(id, "-")
	for i, w := range words {
		if t, ok := titleWords[w]; ok {
			words[i] = t
			continue
		}
		if i == 0 {
			r, n := utf8.DecodeRuneInString(w)
			words[i] = strings.ToUpper(string(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

// defaultSeverity grades gitleaks' rules, which carry no severity.
// Critical: keys that alone unlock a whole cloud account or a host (private
// keys, AWS and Alibaba access keys). Medium: rules that match a generic
// shape or context rather than a provider-issued prefix, so a hit is more
// often a false positive. Everything else (provider tokens with a
// recognisable format) is high.
func defaultSeverity(id string) string {
	switch id {
	case "private-key", "aws-access-token", "alibaba-access-key-id", "alibaba-secret-key":
		return "critical"
	case "generic-api-key", "jwt", "jwt-base64", "curl-auth-user", "curl-auth-header",
		"kubernetes-secret-yaml", "hashicorp-tf-password", "sourcegraph-access-token":
		return "medium"
	}
	return "high"
}
