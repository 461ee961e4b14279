// Package code finds insecure application code that a change adds:
// injection (SQL, shell, code, path, SSRF, XSS), insecure deserialization,
// weak hashes and ciphers, disabled TLS verification, weak randomness for
// tokens, hard-coded credentials in API calls, permissive CORS and JWTs
// accepted without verification.
//
// Each file is parsed with a real parser: Go with go/parser, Python,
// JavaScript, TypeScript and Java with tree-sitter. A front-end per language
// reduces the tree to sites (calls, member assignments, literal key/value
// pairs) after resolving imports and aliases (import hashlib as h; const cp
// = require('child_process')), and grades each argument by a small taint
// analysis within the function: constant, unknown, or derived from request
// input through assignments, concatenation and formatting. Input handed to
// another function of the file, or of another file of the change, is
// followed there through per-function summaries (summary.go, crossfile.go),
// and a function of the file that returns input makes its calls' results
// input. The rules are
// data (rules.go) matched against those sites, so comments and strings never
// match and constants never fire an injection rule.
//
// Every file is hostile until scanned. Parsing and walking are bounded in
// size (scanners.MaxParseBytes for Go, 2 MiB for tree-sitter), parser
// memory, tree nodes, nesting (scanners.MaxDepth), sites and time (the
// file's ctx); a file over any of them is reported as not scanned whole
// (scanners.ErrBound) beside the findings of what was scanned, and so is a
// file that does not parse whole (ErrSyntax). The long left-nested chains
// real and generated code is made of (a + b + c..., a.b().c()..., else-if
// ladders) are walked in loops, so no length of them blinds the scan.
package code

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// Name is the scanner's name and the prefix of its rule ids.
const Name = "code"

// ErrSyntax reports that a file does not parse in full: it was scanned
// where it parses (tree-sitter and go/parser keep what they could make of
// the rest), so it counts as not scanned whole.
var ErrSyntax = errors.New("syntax error")

// ErrNoContent reports that the whole file was needed but not given and the
// added lines are not the whole file.
var ErrNoContent = errors.New("file content unavailable")

// Scanner reports insecure code in the files a change touches. It is immutable after New
// and safe for concurrent use.
type Scanner struct {
	rules []*Rule
	// index finds the rules that can match a site by language, site kind
	// and the last segment of the site's name; wild holds, by language and
	// kind, those with name patterns (or guards) that end in a wildcard,
	// with just those patterns (wildBucket). It saves matching every glob
	// of every rule against every call.
	index map[indexKey][]*Rule
	wild  map[indexKey]*wildBucket
	// called holds the last names of the calls a rule's UnlessCalled asks
	// about: those call sites are kept though no rule matches them.
	called map[indexKey]bool
	log    *slog.Logger
	// byID finds a rule by its full id ("code/py-sqli").
	byID map[string]*Rule
	// builtins is how many of rules (the first) are built in; the rest
	// are a repository's own.
	builtins int
}

type indexKey struct {
	lang string
	kind siteKind
	last string
}

// wildBucket holds, for one language and site kind, what is tried at
// every site of that kind, whatever its last name segment: the rules some
// of whose Names end in a wildcard ("*Files.*", "*", "crypto/md5.*"), each
// with just those patterns, and, for calls, the guards that end in one
// ("*isSafeUrl*"). A rule that the index does not give for a site's last
// segment can take the site only through those patterns, and a guard list
// that many rules share (the redirect checks) is matched once per site,
// not once per rule.
type wildBucket struct {
	rules []wildRule
	// guards are the distinct lists of wildcard guards of the language's
	// rules (Rule.possible keeps a call one of them takes).
	guards [][]string
	// guardSet holds every pattern of guards, and names every wildcard
	// name of rules (by rule), compiled once the bucket is complete.
	guardSet *globSet
	names    *globIndex
}

// compile makes guardSet and names, once every rule is in the bucket.
func (b *wildBucket) compile() {
	var all []string
	for _, g := range b.guards {
		all = append(all, g...)
	}
	b.guardSet = newGlobSet(all)
	b.names = &globIndex{exact: map[string][]int32{}}
	for i := range b.rules {
		for _, p := range b.rules[i].names {
			b.names.add(p, int32(i))
		}
	}
}

// ruleHits returns the indexes (ascending, each once) of the rules of b
// one of whose wildcard names takes name: those for which
// anyGlob(b.rules[i].names, name) holds.
func (b *wildBucket) ruleHits(name string) []int32 {
	if b.names == nil {
		var out []int32
		for i := range b.rules {
			if anyGlob(b.rules[i].names, name) {
				out = append(out, int32(i))
			}
		}
		return out
	}
	return b.names.matches(name)
}

// globIndex is a globSet whose patterns each stand for a number (a rule):
// matches(name) gives the numbers of the patterns that take name.
type globIndex struct {
	exact  map[string][]int32
	first  [256][]globEntry
	last   [256][]globEntry
	always []globEntry
}

type globEntry struct {
	p string
	i int32
}

func (x *globIndex) add(p string, i int32) {
	star := strings.IndexByte(p, '*')
	switch {
	case star < 0:
		x.exact[p] = append(x.exact[p], i)
	case star > 0:
		x.first[p[0]] = append(x.first[p[0]], globEntry{p, i})
	case p[len(p)-1] != '*':
		x.last[p[len(p)-1]] = append(x.last[p[len(p)-1]], globEntry{p, i})
	default:
		x.always = append(x.always, globEntry{p, i})
	}
}

func (x *globIndex) matches(name string) []int32 {
	out := append([]int32(nil), x.exact[name]...)
	try := func(es []globEntry) {
		for _, e := range es {
			if glob(e.p, name) {
				out = append(out, e.i)
			}
		}
	}
	if name != "" {
		try(x.first[name[0]])
		try(x.last[name[len(name)-1]])
	}
	try(x.always)
	if len(out) > 1 {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

// wildRule is a rule of a wildBucket with those of its Names that end in a
// wildcard.
type wildRule struct {
	r     *Rule
	names []string
}

// wildLast reports whether a name pattern's last segment is not a plain
// name (it holds a '*', or is empty): such a pattern can take a site
// whatever the site's last segment.
func wildLast(p string) bool {
	last := lastName(p)
	return last == "" || strings.Contains(last, "*")
}

// addGuards adds a list of wildcard guards, unless the bucket has it.
func (b *wildBucket) addGuards(guards []string) {
	for _, g := range b.guards {
		if slices.Equal(g, guards) {
			return
		}
	}
	b.guards = append(b.guards, guards)
}

var (
	_ scanners.Scanner        = (*Scanner)(nil)
	_ scanners.ContentScanner = (*Scanner)(nil)
)

// Option configures a Scanner.
type Option func(*options)

type options struct {
	extra   []Rule
	noBuilt bool
	log     *slog.Logger
}

// WithRules adds rules (a repository's own pattern rules) to the built-in
// ones.
func WithRules(rules ...Rule) Option { return func(o *options) { o.extra = append(o.extra, rules...) } }

// WithoutBuiltins drops the built-in rules (tests of custom rules).
func WithoutBuiltins() Option { return func(o *options) { o.noBuilt = true } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// New validates the rules once; the returned Scanner can be shared. A bad
// rule is an error naming it.
func New(opts ...Option) (*Scanner, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	var all []Rule
	if !o.noBuilt {
		all = append(all, Builtin()...)
	}
	builtins := len(all)
	all = append(all, o.extra...)
	s := &Scanner{log: o.log, builtins: builtins, byID: map[string]*Rule{}}
	seen := map[string]bool{}
	for i := range all {
		r := all[i]
		if err := r.compile(); err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("code rule %s: duplicate id", r.ID)
		}
		seen[r.ID] = true
		s.rules = append(s.rules, &r)
		s.byID[Name+"/"+r.ID] = s.rules[len(s.rules)-1]
	}
	s.index = map[indexKey][]*Rule{}
	s.wild = map[indexKey]*wildBucket{}
	s.called = map[indexKey]bool{}
	for _, r := range s.rules {
		for _, lang := range r.Languages {
			for _, c := range append(append([]string{}, r.Match.UnlessCalled...), r.Match.IfCalled...) {
				for _, cc := range parseCalled(c) {
					s.called[indexKey{lang: lang, kind: siteCall, last: lastName(cc.name)}] = true
				}
			}
			keys := map[string]bool{}
			var wildNames []string
			for _, p := range r.Match.Names {
				if wildLast(p) {
					wildNames = append(wildNames, p)
				} else {
					keys[lastName(p)] = true
				}
			}
			// Guard calls are kept too (Rule.possible), so r is a
			// candidate for them.
			var wildGuards []string
			for _, p := range r.Match.Guards {
				if wildLast(p) {
					wildGuards = append(wildGuards, p)
				}
			}
			kind := r.Match.kind()
			if len(wildNames) > 0 {
				b := s.wildBucket(indexKey{lang: lang, kind: kind})
				b.rules = append(b.rules, wildRule{r: r, names: wildNames})
			}
			for last := range keys {
				k := indexKey{lang: lang, kind: kind, last: last}
				s.index[k] = append(s.index[k], r)
			}
			for _, p := range r.Match.Guards {
				if !wildLast(p) {
					s.addIndex(indexKey{lang: lang, kind: siteCall, last: lastName(p)}, r)
				}
			}
			if len(wildGuards) > 0 {
				s.wildBucket(indexKey{lang: lang, kind: siteCall}).addGuards(wildGuards)
			}
		}
	}
	for _, b := range s.wild {
		b.compile()
	}
	return s, nil
}

// addIndex adds r to the rules indexed under k, once.
func (s *Scanner) addIndex(k indexKey, r *Rule) {
	if !slices.Contains(s.index[k], r) {
		s.index[k] = append(s.index[k], r)
	}
}

// wildBucket returns the bucket of wildcard rules under k (k.last empty),
// made on first use.
func (s *Scanner) wildBucket(k indexKey) *wildBucket {
	b := s.wild[k]
	if b == nil {
		b = &wildBucket{}
		s.wild[k] = b
	}
	return b
}

// candidates returns the rules that may match st: those indexed under its
// last name segment, then those of the wildcard bucket one of whose
// wildcard names takes st's name (each rule once). It is every rule whose
// Names take st's name and whose kind is st's, in the order the rules
// were indexed (Rule.match fails for the rest).
func (s *Scanner) candidates(lang string, st *site) []*Rule {
	if s.wild[indexKey{lang: lang, kind: st.kind}] == nil {
		return s.index[indexKey{lang: lang, kind: st.kind, last: lastName(st.name)}]
	}
	return s.appendCandidates(nil, lang, st)
}

// appendCandidates appends candidates to buf (never the index's own
// slices): a caller that tries many sites reuses one buffer.
func (s *Scanner) appendCandidates(buf []*Rule, lang string, st *site) []*Rule {
	a := s.index[indexKey{lang: lang, kind: st.kind, last: lastName(st.name)}]
	buf = append(buf, a...)
	b := s.wild[indexKey{lang: lang, kind: st.kind}]
	if b == nil {
		return buf
	}
	for _, i := range b.ruleHits(st.name) {
		if w := &b.rules[i]; !slices.Contains(a, w.r) {
			buf = append(buf, w.r)
		}
	}
	return buf
}

// Name returns "code".
func (s *Scanner) Name() string { return Name }

// Wants reports whether path is source code in a supported language.
func (s *Scanner) Wants(p string) bool { return languageOf(p) != "" }

// NeedsContent is always true: the file must be parsed whole.
func (s *Scanner) NeedsContent(p string) bool { return s.Wants(p) }

// languageOf maps a path to its language by extension.
func languageOf(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".go":
		return "go"
	case ".py", ".pyw":
		return "python"
	case ".js", ".jsx", ".mjs", ".cjs":
		// Minified bundles are build output, not code anyone reviews.
		if strings.HasSuffix(strings.ToLower(p), ".min.js") || strings.HasSuffix(strings.ToLower(p), ".bundle.js") {
			return ""
		}
		return "javascript"
	case ".ts", ".tsx", ".mts", ".cts":
		return "typescript"
	case ".java":
		return "java"
	}
	return ""
}

// Scan parses the file and reports every finding in it, each with the
// lines whose change introduces it (scanners.Run's Scope decides which the
// change did). Only the findings the change introduces get their fix
// checked, and so a fix.
func (s *Scanner) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	if len(in.Added) == 0 {
		return nil, nil
	}
	src := in.Content
	if src == nil {
		// A new file is its added lines; any other file must be parsed
		// whole, so without its content it cannot be scanned.
		if src = in.ContentFromAdded(); src == nil {
			return nil, ErrNoContent
		}
	}
	// A file the parser could not make whole sense of, or whose walk hit
	// a bound, still has its findings reported, beside the error that
	// makes the review incomplete.
	added := in.AddedSet()
	fs, errLines, err := s.scanFor(withTree(ctx, in.Tree), in.Path, src, &added)
	if err == nil && len(errLines) > 0 {
		err = syntaxError(errLines)
	}
	return fs, err
}

// syntaxError says where a file first fails to parse.
func syntaxError(lines []int) error {
	first := slices.Min(lines)
	if n := len(lines) - 1; n > 0 {
		return fmt.Errorf("%w at line %d (and %d more): scanned only where it parses", ErrSyntax, first, n)
	}
	return fmt.Errorf("%w at line %d: scanned only where it parses", ErrSyntax, first)
}

// scan reports every finding in the file, whatever lines it is on, each
// fix checked, and the lines where the parser met a syntax error. An error
// says the file was not scanned whole (over a bound, or ctx ended); the
// findings beside it are those of the part that was.
func (s *Scanner) scan(ctx context.Context, p string, src []byte) ([]scanners.Finding, []int, error) {
	return s.scanFor(ctx, p, src, nil)
}

// scanFor is scan with only the fixes of findings that a change adding
// added introduces checked (scanners.Introduced); the others get none. A
// nil added checks every fix.
func (s *Scanner) scanFor(ctx context.Context, p string, src []byte, added *scanners.AddedSet) ([]scanners.Finding, []int, error) {
	fs, errLines, err := s.scanWith(ctx, p, src, true)
	s.checkFixes(ctx, languageOf(p), p, src, len(errLines), fs, added)
	return fs, errLines, err
}

// scanWith is scan, with the rules' fixes unchecked (see checkFixes) when
// fixes is set, and none otherwise.
func (s *Scanner) scanWith(ctx context.Context, p string, src []byte, fixes bool) ([]scanners.Finding, []int, error) {
	lang := languageOf(p)
	if lang == "" {
		return nil, nil, nil
	}
	if len(src) > scanners.MaxParseBytes {
		return nil, nil, scanners.TooLarge(scanners.MaxParseBytes)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var wants func(*site) bool
	if filterSites {
		wants = s.sieve(lang).keep
	}
	u, errLines, err := parse(ctx, lang, p, src, wants)
	if u == nil {
		return nil, nil, err
	}
	li := u.lines
	if li == nil {
		li = newLineIndex(src)
	}
	var out []scanners.Finding
	seen := map[string]int{}
	var cands []*Rule
	for i := range u.sites {
		if i&1023 == 1023 && err == nil {
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
				break
			}
		}
		st := &u.sites[i]
		cands = s.appendCandidates(cands[:0], lang, st)
		for _, r := range cands {
			v, ok := r.match(u, st)
			if !ok {
				continue
			}
			key := findingKey(r, st)
			prev, dup := seen[key]
			if dup && severity(r, v) <= out[prev].Severity {
				continue
			}
			// A finding reads the site's source (a call can span the
			// whole file): ctx is checked before each.
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
				break
			}
			f := s.finding(r, u, p, src, li, st, v, fixes)
			if dup {
				if f.Severity > out[prev].Severity {
					out[prev] = f
				}
				continue
			}
			seen[key] = len(out)
			out = append(out, f)
		}
	}
	// Input a function of the file hands to another that runs it
	// (summary.go): reported at the sink, a finding there of lower
	// severity replaced.
	if ctx.Err() == nil {
		for _, h := range s.crossHits(lang, u) {
			if ctx.Err() != nil {
				break
			}
			st, r := h.st, h.r
			key := findingKey(r, st)
			prev, dup := seen[key]
			if dup && severity(r, h.v) <= out[prev].Severity {
				continue
			}
			f := s.finding(r, u, p, src, li, st, h.v, fixes)
			f.Message += crossNote(h)
			f.Scope = crossScope(f.Scope, h.callLine)
			if dup {
				out[prev] = f
				continue
			}
			seen[key] = len(out)
			out = append(out, f)
		}
		// Input handed to a function of another file of the package
		// (crossfile.go): reported at the call.
		for _, h := range s.crossFileHits(ctx, lang, p, u) {
			key := h.sink.r.Family + "\x00" + strconv.Itoa(h.rec.start) + "\x00" + strconv.Itoa(h.rec.end)
			if prev, dup := seen[key]; dup && severity(h.sink.r, h.v) <= out[prev].Severity {
				continue
			}
			f := s.fileFinding(h, p, src, li)
			if prev, dup := seen[key]; dup {
				out[prev] = f
				continue
			}
			seen[key] = len(out)
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Location, out[j].Location
		if a.StartLine != b.StartLine {
			return a.StartLine < b.StartLine
		}
		if a.StartColumn != b.StartColumn {
			return a.StartColumn < b.StartColumn
		}
		return out[i].RuleID < out[j].RuleID
	})
	return out, errLines, err
}

// scopeOf is the lines besides a finding's own whose change introduces it:
// where its tainted input entered (a change that adds only `bucket =
// request.GET["bucket"]` makes the existing sink below exploitable), where
// its string was built, and where a hard-coded secret is written when not
// at the call.
func scopeOf(r *Rule, v value, li lineIndex) []scanners.LineRange {
	var lines []int
	if v.t == tainted && v.srcLine > 0 {
		lines = append(lines, v.srcLine)
	}
	build := v.buildLine
	if r.Family == "hardcoded-credential" && v.origin > 0 {
		build = li.line(v.origin - 1)
	}
	if build > 0 {
		lines = append(lines, build)
	}
	if r.Family == "hardcoded-credential" {
		for _, o := range v.origins {
			if l := li.line(o - 1); l != build {
				lines = append(lines, l)
			}
		}
	}
	var out []scanners.LineRange
	for _, l := range lines {
		out = append(out, scanners.LineRange{Start: l, End: l})
	}
	return out
}

// checkFixes keeps the fixes of findings that checkFix finds right, and
// widens each kept one's location to the lines it replaces; a fix that
// needs a name the file lacks is described in the message instead. With
// added set, a finding the change does not introduce loses its fix
// unchecked: nobody sees it.
func (s *Scanner) checkFixes(ctx context.Context, lang, p string, src []byte, errLines int, hits []scanners.Finding, added *scanners.AddedSet) {
	checked := 0
	for i := range hits {
		h := &hits[i]
		fx := h.Fix
		if fx == nil {
			continue
		}
		h.Fix = nil
		if added != nil && !scanners.Introduced(h, *added) {
			continue
		}
		if checked++; checked > maxFixChecks || ctx.Err() != nil {
			continue
		}
		ok, need := s.checkFix(ctx, lang, p, src, errLines, fx, s.byID[h.RuleID])
		if !ok {
			if need != "" {
				h.Message += " " + fx.Description + " (Not offered as a one-click fix: `" + need +
					"` is not defined or imported in this file; import or define it, then make the change.)"
			}
			continue
		}
		h.Fix = fx
		h.Location.StartLine = min(h.Location.StartLine, fx.StartLine)
		h.Location.EndLine = max(h.Location.EndLine, fx.EndLine)
	}
}

// filterSites turns on the front-ends' keeping only sites a rule could
// match; a variable so that a test can compare with keeping all.
var filterSites = true

// possible reports whether some rule of lang could match st (Rule.possible):
// the front-ends keep no other site, since a file's sites are most of what
// its scan holds in memory.
func (s *Scanner) possible(lang string, st *site) bool {
	return s.sieve(lang).keep(st)
}

// sieve returns a site filter for one file of lang (possible): it
// remembers, by kind and name, which wildcard rules and guards take a name,
// since a file calls the same names many times and every call is tried
// against every wildcard pattern of its language otherwise.
func (s *Scanner) sieve(lang string) *siteSieve {
	return &siteSieve{s: s, lang: lang, names: map[wildKey]*sieveName{}}
}

type siteSieve struct {
	s     *Scanner
	lang  string
	names map[wildKey]*sieveName
}

type wildKey struct {
	kind siteKind
	name string
}

// sieveName is what the sieve knows of one name of one kind: all that
// keep reads from the scanner's maps, which depends on the name alone.
type sieveName struct {
	// called says a rule's UnlessCalled asks for calls of its last name.
	called bool
	// index are the rules the index gives for its last name.
	index []*Rule
	// b is its kind's wildcard bucket (nil: none), h what the name gets
	// from it.
	b *wildBucket
	h wildHit
}

// wildHit is what a name gets from its kind's wildcard bucket: whether a
// guard list takes it, and which of the bucket's rules have a wildcard
// name that does (indexes into wildBucket.rules).
type wildHit struct {
	guard bool
	rules []int32
}

// maxSieveNames bounds the names a sieve remembers: past it, names are
// matched as they come (a hostile file of distinct names costs time, not
// memory).
const maxSieveNames = 4096

// name returns what the sieve knows of st's name, looked up once per file.
func (f *siteSieve) name(st *site) *sieveName {
	k := wildKey{kind: st.kind, name: st.name}
	if n, ok := f.names[k]; ok {
		return n
	}
	s, lang := f.s, f.lang
	last := lastName(st.name)
	n := &sieveName{index: s.index[indexKey{lang: lang, kind: st.kind, last: last}], b: s.wild[indexKey{lang: lang, kind: st.kind}]}
	n.called = st.kind == siteCall && s.called[indexKey{lang: lang, kind: siteCall, last: last}]
	if !n.called && n.b != nil {
		n.h = n.b.hit(st)
	}
	if len(f.names) < maxSieveNames {
		f.names[k] = n
	}
	return n
}

func (f *siteSieve) keep(st *site) bool {
	n := f.name(st)
	if n.called {
		return true
	}
	for _, r := range n.index {
		if r.possible(st) {
			return true
		}
	}
	if n.b == nil {
		return false
	}
	// A rule the index did not give is possible only through a wildcard
	// guard (which makes it so) or a wildcard name.
	if n.h.guard {
		return true
	}
	for _, i := range n.h.rules {
		if n.b.rules[i].r.possible(st) {
			return true
		}
	}
	return false
}

// hit matches st's name against every wildcard pattern of b: each
// distinct guard list once, then each rule's wildcard names.
func (b *wildBucket) hit(st *site) wildHit {
	var h wildHit
	if st.kind == siteCall {
		if b.guardSet != nil {
			h.guard = b.guardSet.match(st.name)
		} else {
			for _, g := range b.guards {
				h.guard = h.guard || anyGlob(g, st.name)
			}
		}
		if h.guard {
			return h
		}
	}
	h.rules = b.ruleHits(st.name)
	return h
}

// parse runs the front-end for lang, which keeps the sites wants says a
// rule could match (all when wants is nil).
func parse(ctx context.Context, lang, p string, src []byte, wants func(*site) bool) (*unit, []int, error) {
	var u *unit
	var errLines []int
	var err error
	switch lang {
	case "go":
		u, errLines, err = parseGo(ctx, p, src, wants)
	case "python":
		u, errLines, err = parsePython(ctx, src, wants)
	case "javascript", "typescript":
		u, errLines, err = parseJS(ctx, lang, p, src, wants)
	case "java":
		u, errLines, err = parseJava(ctx, src, wants)
	default:
		return nil, nil, fmt.Errorf("no parser for %s", lang)
	}
	if u != nil {
		u.path, u.src = p, src
	}
	return u, errLines, err
}

// testFiles are the paths of tests in the five languages' conventions.
var testFiles = []string{"*_test.go", "*/testdata/*", "testdata/*", "*/src/test/*", "src/test/*", "*Test.java", "*Tests.java",
	"*/tests/*", "tests/*", "*/test/*", "test/*", "*/test_*.py", "test_*.py", "*_test.py", "*/conftest.py", "conftest.py",
	"*/tests.py", "tests.py", // Django's app/tests.py
	"*/__tests__/*", "__tests__/*", "*.test.js", "*.test.ts", "*.test.jsx", "*.test.tsx", "*.spec.js", "*.spec.ts", "*.spec.jsx",
	"*.spec.tsx", "*.test.mjs", "*.spec.mjs"}

// testFile reports whether the path p is a test's.
func testFile(p string) bool { return anyGlob(testFiles, p) }

// testOnlyFiles are files their language's tools build or run for tests
// only, by name (Go compiles *_test.go into test binaries alone; Maven's
// src/test): a finding there is reported low, as no release runs it.
var testOnlyFiles = []string{"*_test.go", "*/src/test/*", "src/test/*", "*.test.js", "*.test.ts", "*.test.jsx", "*.test.tsx",
	"*.test.mjs", "*.spec.js", "*.spec.ts", "*.spec.jsx", "*.spec.tsx", "*.spec.mjs", "*/test_*.py", "test_*.py", "*_test.py",
	"*/conftest.py", "conftest.py"}

// testOnlyFile reports whether p is a test-only file by its name.
func testOnlyFile(p string) bool { return anyGlob(testOnlyFiles, p) }

// severity is the severity of r's finding on value v: raised or set when v
// comes from input, lowered when only from the process's own input.
func severity(r *Rule, v value) scanners.Severity {
	sev := r.Severity
	local := v.t == tainted && localSourcesSet.compiled().match(v.source)
	switch {
	case local && r.LocalSeverity != scanners.SeverityUnknown:
		sev = r.LocalSeverity
	case r.TaintSeverity != scanners.SeverityUnknown && v.t == tainted:
		sev = r.TaintSeverity
	case r.TaintRaises && v.t == tainted && !local && sev < scanners.SeverityCritical:
		// A release script's own arguments (process.argv) are its
		// user's: they leave the rule's grade as it is, where input from
		// a request raises it.
		sev++
	}
	return sev
}

func (s *Scanner) finding(r *Rule, u *unit, p string, src []byte, li lineIndex, st *site, v value, fixes bool) scanners.Finding {
	sev := severity(r, v)
	inTest := r.Family == "hardcoded-credential" && testFile(p) || testOnlyFile(p)
	if inTest && sev > scanners.SeverityLow {
		// A test's password is a fixture's ("fakepassword"): reported,
		// but it fails no review (a real key there is the secrets
		// scanner's, which reads every file).
		sev = scanners.SeverityLow
	}
	call := redactLiterals(snippet(src, st.start, st.end))
	if r.Family == "hardcoded-credential" {
		// The call holds the credential: name the callee only.
		call = st.name + "(…)"
	}
	why := strings.ReplaceAll(r.Why, "{call}", "`"+call+"`")
	src0 := v.source
	if src0 == "" {
		src0 = "request input"
	}
	why = strings.ReplaceAll(why, "{source}", "`"+src0+"`")
	msg := why + sourceNote(r, v, src0)
	if inTest && sev == scanners.SeverityLow && severity(r, v) > scanners.SeverityLow {
		msg += " (In a test file: graded low.)"
	}
	ls, le, cut := evidenceSpan(src, li, st.line, st.start)
	evidence := redactLiterals(strings.TrimSpace(string(src[ls:le])))
	if r.Family == "hardcoded-credential" {
		// The credential, and any other secret-looking literal beside it.
		evidence = redactLiterals(redactSpan(src, ls, le, v.start, v.end))
	}
	if cut {
		evidence = "…" + evidence
	}
	if len(evidence) > 200 {
		evidence = evidence[:200] + "…"
	}
	h := sha256.New()
	h.Write([]byte(r.ID + "\x00" + st.name + "\x00"))
	writeFields(h, src[st.start:st.end])
	f := scanners.Finding{
		Scanner:    Name,
		RuleID:     Name + "/" + r.ID,
		Severity:   sev,
		Title:      r.Title,
		Message:    msg,
		Location:   scanners.Location{Path: p, StartLine: st.line, EndLine: st.line, StartColumn: st.col},
		References: r.References,
		Evidence:   evidence,
		Identity:   hex.EncodeToString(h.Sum(nil)[:16]),
		Scope:      scopeOf(r, v, li),
	}
	if st.endLine == st.line {
		f.Location.EndColumn = st.endCol
	}
	// A call over several lines: end at the line of the value at fault.
	if v.end > v.start && v.end <= len(src) {
		if el := li.line(v.end - 1); el > f.Location.EndLine && el <= st.endLine {
			f.Location.EndLine = el
			f.Location.EndColumn = 0
		}
	}
	// A fix replaces whole lines: on a minified line of megabytes it would
	// be no suggestion anyone could read (nor post: comments stop at 64 KB).
	fs, _ := li.bounds(src, st.line)
	_, fe := li.bounds(src, st.endLine)
	// The fix is checked, and the location widened to its lines, once the
	// whole file is scanned (checkFixes).
	if fixes && r.Fix != "" && fe-fs <= maxFixBytes {
		fixer, arg := lookupFixer(r.Fix)
		fc := &fixCtx{src: src, li: li, site: st, val: v, rule: r, arg: arg, unit: u}
		f.Fix = fixer(fc)
		if f.Fix == nil && fc.note != "" {
			f.Message += " " + fc.note
		}
	}
	return f
}

// snippet is the source of a site collapsed to one line and bounded, for
// messages: its words (as strings.Fields splits them) joined by spaces, cut
// at 80 bytes. It reads no more of the site than it shows.
func snippet(src []byte, start, end int) string {
	if start < 0 || end > len(src) || start >= end {
		return ""
	}
	var b strings.Builder
	space := false
	for i := start; i < end && b.Len() <= 80; {
		r, n := utf8.DecodeRune(src[i:end])
		i += n
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.Write(src[i-n : i])
	}
	s := b.String()
	if len(s) > 80 {
		cut := 77
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strings.ReplaceAll(s, "`", "'")
}

// writeFields writes the words of b (as strings.Fields splits them) joined
// by single spaces to w, without copying b: a site can span megabytes.
func writeFields(w io.Writer, b []byte) {
	space, any := false, false
	for i := 0; i < len(b); {
		start := i
		r, n := utf8.DecodeRune(b[i:])
		i += n
		if unicode.IsSpace(r) {
			space = any
			continue
		}
		j := i
		for j < len(b) {
			r, n := utf8.DecodeRune(b[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		if space {
			w.Write([]byte{' '})
			space = false
		}
		w.Write(b[start:j])
		any = true
		i = j
	}
}

// maxEvidenceLine is the longest line quoted whole (before the evidence is
// cut to 200 bytes); and maxFixBytes the longest span of lines a fix
// replaces.
const (
	maxEvidenceLine = 1024
	maxFixBytes     = 64 << 10
)

// evidenceSpan returns the byte range of line n to quote as evidence: the
// line, or on a longer one (minified code) a window from just before at,
// whose partial words at each cut are left out so that no literal (a key)
// is quoted from its middle, past the redaction that looks for whole ones.
func evidenceSpan(src []byte, li lineIndex, n, at int) (int, int, bool) {
	ls, le := li.bounds(src, n)
	if le-ls <= maxEvidenceLine {
		return ls, le, false
	}
	ws, we := max(ls, min(at, le)-40), min(le, max(at, ls)+maxEvidenceLine)
	if ws > ls {
		for ws < we && !edge(src[ws]) {
			ws++
		}
	}
	if we < le {
		for we > ws && !edge(src[we-1]) {
			we--
		}
	}
	return ws, we, ws > ls
}

// edge reports whether c ends a word or literal: a space or a quote.
func edge(c byte) bool {
	return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '`'
}

// lineIndex holds the byte offset at which each line starts.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	li := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			li = append(li, i+1)
		}
	}
	return li
}

// line returns the 1-based line of byte offset off.
func (li lineIndex) line(off int) int {
	return sort.Search(len(li), func(i int) bool { return li[i] > off })
}

// bounds returns the byte range of 1-based line n without its newline.
func (li lineIndex) bounds(src []byte, n int) (int, int) {
	if n < 1 || n > len(li) {
		return 0, 0
	}
	start := li[n-1]
	end := len(src)
	if n < len(li) {
		end = li[n] - 1
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	return start, end
}

// redactSpan returns the bytes ls..le (a line, or the part of it quoted)
// with the bytes start..end (a credential) masked but for a short prefix
// and the length.
func redactSpan(src []byte, ls, le, start, end int) string {
	line := string(src[ls:le])
	if start < ls || end > le || start >= end {
		return "[credential redacted]"
	}
	secret := line[start-ls : end-ls]
	keep := 0
	if len(secret) > 12 {
		keep = 3
	}
	masked := secret[:keep] + fmt.Sprintf("***(%d chars)", len(secret))
	return strings.TrimSpace(line[:start-ls] + masked + line[end-ls:])
}

// secretish finds quoted literals that could be credentials: 16 or more
// characters without spaces. A code finding quotes the line at fault, and
// such a line may also carry a key; it is masked like the secrets scanner
// masks one.
var secretish = regexp.MustCompile(`(["'` + "`" + `])([^"'` + "`" + `\s]{16,})(["'` + "`" + `])`)

// redactLiterals masks the secret-looking literals in s.
func redactLiterals(s string) string {
	return secretish.ReplaceAllStringFunc(s, func(m string) string {
		body := m[1 : len(m)-1]
		letters, digits := false, false
		for _, c := range body {
			switch {
			case c >= '0' && c <= '9':
				digits = true
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				letters = true
			}
		}
		if !letters || !digits || strings.Contains(body, "://") || strings.HasPrefix(body, "/") {
			return m
		}
		return m[:1] + body[:3] + "***(" + strconv.Itoa(len(body)) + " chars)" + m[len(m)-1:]
	})
}

// findingKey is what makes two findings one: one per site and family (two
// rules of a family that match one call, its program and its arguments,
// say one thing), and one per line and family for the nested pieces of one
// built string or the chain of calls that turns a random value into a
// secret (hashlib.sha256(str(random.random()).encode()).hexdigest()).
func findingKey(r *Rule, st *site) string {
	if st.kind == siteString || r.Family == "weak-random" {
		return r.Family + "\x00line\x00" + strconv.Itoa(st.line)
	}
	return r.Family + "\x00" + strconv.Itoa(st.start) + "\x00" + strconv.Itoa(st.end)
}

// sourceNote is what a finding's message says of where a tainted value
// comes from (src0) when that changes its weight: the process's own input
// (environment, command line), or input the caller controls.
func sourceNote(r *Rule, v value, src0 string) string {
	switch {
	case v.t == tainted && localSourcesSet.compiled().match(v.source) && r.LocalSeverity != scanners.SeverityUnknown:
		return fmt.Sprintf(" Here the value comes from `%s`, the process's own input: this matters if untrusted users can set it.", src0)
	case v.t == tainted && (r.TaintRaises || r.TaintSeverity != scanners.SeverityUnknown):
		return fmt.Sprintf(" Here the value comes from `%s`, which the caller controls.", src0)
	}
	return ""
}
