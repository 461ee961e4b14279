// Package suppress applies a repository's review policy (the typed form of
// .shiftward.yml) and the change's inline `shiftward:ignore` comments to a
// scan's findings: it re-grades, drops what the policy or a comment
// suppresses, and says why for each, so nothing vanishes silently.
//
// It is pure: no I/O, no clock (the caller passes now), no knowledge of where
// the policy came from. app/config builds a Policy from the parsed files.
package suppress

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/shiftward/shiftward/scanners"
)

// Policy is what a review must apply to findings. Every entry carries the
// Source it came from ("services/api/.shiftward.yml:12") so a suppression can
// name it. Entries scoped to a directory (Dir) come from a monorepo's
// subdirectory file and apply below it; the deepest matching Dir wins.
type Policy struct {
	// IgnorePaths drops findings in matching files.
	IgnorePaths []PathIgnore
	// Scanners switches scanners on or off below a directory.
	Scanners []ScannerSwitch
	// Rules disables or re-grades rules below a directory.
	Rules []RuleSetting
	// Ignores are the file's ignore entries.
	Ignores []Ignore
	// RequireSuppressionReview makes suppressions added by the change need a
	// maintainer's approval (the caller fails the check until then).
	RequireSuppressionReview bool
}

// PathIgnore drops findings of Scanner ("" for every scanner) in files that
// Pattern matches (see MatchPath).
type PathIgnore struct {
	Scanner string
	Pattern string
	Source  string
}

// ScannerSwitch turns Scanner on or off for files below Dir ("" for the whole
// repository).
type ScannerSwitch struct {
	Dir     string
	Scanner string
	Enabled bool
	Source  string
}

// RuleSetting disables RuleID (Off) or gives it Severity, for files below Dir.
type RuleSetting struct {
	Dir      string
	RuleID   string
	Off      bool
	Severity scanners.Severity
	Source   string
}

// Ignore is one ignore entry: it suppresses findings whose fingerprint is
// Fingerprint (when set), whose rule is RuleID (when set) and whose path
// Path matches (when set). At least one of Fingerprint and RuleID is set.
type Ignore struct {
	Fingerprint string
	RuleID      string
	Path        string
	Reason      string
	// Expires is the last day (UTC) the entry applies; zero means never.
	Expires time.Time
	Source  string
}

// Expired reports whether the entry no longer applies at now: it applies
// through the whole of its Expires day, in UTC.
func (ig *Ignore) Expired(now time.Time) bool {
	if ig.Expires.IsZero() {
		return false
	}
	y, m, d := ig.Expires.Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return !now.Before(end)
}

// Kind says what suppressed a finding.
type Kind string

// Kinds of suppression, in the order they are tried.
const (
	ByPath    Kind = "path"    // an ignore_paths glob
	ByScanner Kind = "scanner" // the scanner is off for the file
	ByRuleOff Kind = "rule"    // the rule is off
	ByConfig  Kind = "config"  // an ignore entry of .shiftward.yml
	ByInline  Kind = "inline"  // a shiftward:ignore comment
)

// Suppressed is a finding the policy or an inline comment suppressed.
type Suppressed struct {
	Finding scanners.Finding
	Kind    Kind
	// Reason is the human reason: the entry's or comment's reason, or a
	// description of the path glob or switch.
	Reason string
	// Source is where the suppression is written ("path:line").
	Source string
}

// NoteKind classifies a report line.
type NoteKind string

// Kinds of report lines.
const (
	// NoteExpired: an ignore entry whose date has passed; it no longer applies.
	NoteExpired NoteKind = "expired"
	// NoteAdded: an inline suppression this change adds.
	NoteAdded NoteKind = "added"
	// NoteInvalid: an inline suppression that does not suppress (no reason).
	NoteInvalid NoteKind = "invalid"
)

// Note is one line for the review's summary.
type Note struct {
	Kind NoteKind
	// Source is "path:line" of the entry or comment.
	Source string
	Text   string
}

// Result is the outcome of Apply.
type Result struct {
	// Kept are the findings that remain, re-graded, in input order.
	Kept []scanners.Finding
	// Suppressed are the others, in input order, each with why.
	Suppressed []Suppressed
	// Notes are the report lines, sorted by kind then source.
	Notes []Note
	// Added are the valid inline suppressions the change adds, whether or
	// not they suppressed anything: reviewers must see them.
	Added []Inline
	// NeedsReview is true when the policy requires suppression review and
	// the change adds suppressions (Added is not empty).
	NeedsReview bool
}

// Apply re-grades findings and suppresses what p and the inline comments in
// added (the lines the change adds, per path) say to suppress, at time now.
// p may be nil (no policy). It never drops a finding without a Suppressed
// entry naming why.
func Apply(findings []scanners.Finding, p *Policy, now time.Time, added map[string][]scanners.Line) *Result {
	if p == nil {
		p = &Policy{}
	}
	res := &Result{}
	inline := map[string]map[int][]Inline{} // path → line → comments
	paths := make([]string, 0, len(added))
	for pth := range added {
		paths = append(paths, pth)
	}
	slices.Sort(paths)
	for _, pth := range paths {
		for _, l := range added[pth] {
			c, ok := ParseInline(l.Text)
			if !ok {
				continue
			}
			c.Path, c.Line = pth, l.Number
			src := fmt.Sprintf("%s:%d", pth, l.Number)
			if c.RuleID == "" {
				res.Notes = append(res.Notes, Note{Kind: NoteInvalid, Source: src,
					Text: "shiftward:ignore names no rule, so it suppresses nothing; write shiftward:ignore <rule-id> <reason>"})
				continue
			}
			if c.Reason == "" {
				res.Notes = append(res.Notes, Note{Kind: NoteInvalid, Source: src,
					Text: fmt.Sprintf("shiftward:ignore %s has no reason, so it suppresses nothing; write shiftward:ignore %s <reason>", c.RuleID, c.RuleID)})
				continue
			}
			if inline[pth] == nil {
				inline[pth] = map[int][]Inline{}
			}
			inline[pth][l.Number] = append(inline[pth][l.Number], c)
			res.Added = append(res.Added, c)
			res.Notes = append(res.Notes, Note{Kind: NoteAdded, Source: src,
				Text: fmt.Sprintf("this change suppresses %s: %s", c.RuleID, c.Reason)})
		}
	}
	for i := range p.Ignores {
		ig := &p.Ignores[i]
		if ig.Expired(now) {
			res.Notes = append(res.Notes, Note{Kind: NoteExpired, Source: ig.Source,
				Text: fmt.Sprintf("ignore entry for %s expired on %s and no longer applies (reason was: %s)", ig.describe(), ig.Expires.Format(time.DateOnly), ig.Reason)})
		}
	}
	for _, f := range findings {
		if rs := p.rule(f.RuleID, f.Location.Path); rs != nil && !rs.Off && rs.Severity != scanners.SeverityUnknown {
			f.Severity = rs.Severity
		}
		if s, ok := p.suppress(&f, now, inline); ok {
			res.Suppressed = append(res.Suppressed, s)
			continue
		}
		res.Kept = append(res.Kept, f)
	}
	slices.SortStableFunc(res.Notes, func(a, b Note) int {
		return cmp.Or(cmp.Compare(noteOrder(a.Kind), noteOrder(b.Kind)), compareSource(a.Source, b.Source))
	})
	res.NeedsReview = p.RequireSuppressionReview && len(res.Added) > 0
	return res
}

func noteOrder(k NoteKind) int {
	switch k {
	case NoteInvalid:
		return 0
	case NoteExpired:
		return 1
	default:
		return 2
	}
}

// compareSource orders "path:line" by path, then numerically by line.
func compareSource(a, b string) int {
	pa, la := splitSource(a)
	pb, lb := splitSource(b)
	return cmp.Or(strings.Compare(pa, pb), cmp.Compare(la, lb))
}

func splitSource(s string) (string, int) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return s, 0
		}
		n = n*10 + int(c-'0')
		if n > 1<<30 {
			return s, 0
		}
	}
	return s[:i], n
}

func (ig *Ignore) describe() string {
	var parts []string
	if ig.Fingerprint != "" {
		parts = append(parts, "fingerprint "+ig.Fingerprint)
	}
	if ig.RuleID != "" {
		parts = append(parts, ig.RuleID)
	}
	if ig.Path != "" {
		parts = append(parts, "in "+ig.Path)
	}
	return strings.Join(parts, " ")
}

// suppress finds the first reason to suppress f, trying path globs, scanner
// switches, rule switches, ignore entries and inline comments in that order.
func (p *Policy) suppress(f *scanners.Finding, now time.Time, inline map[string]map[int][]Inline) (Suppressed, bool) {
	pth := f.Location.Path
	for _, pi := range p.IgnorePaths {
		if pi.Scanner != "" && pi.Scanner != f.Scanner {
			continue
		}
		if MatchPath(pi.Pattern, pth) {
			what := "ignore_paths"
			if pi.Scanner != "" {
				what = "scanners." + pi.Scanner + ".ignore_paths"
			}
			return Suppressed{Finding: *f, Kind: ByPath, Source: pi.Source,
				Reason: fmt.Sprintf("%s matches %s", pth, strings.TrimSpace(what+" "+pi.Pattern))}, true
		}
	}
	if sw := p.scanner(f.Scanner, pth); sw != nil && !sw.Enabled {
		return Suppressed{Finding: *f, Kind: ByScanner, Source: sw.Source,
			Reason: fmt.Sprintf("the %s scanner is off%s", f.Scanner, below(sw.Dir))}, true
	}
	if rs := p.rule(f.RuleID, pth); rs != nil && rs.Off {
		return Suppressed{Finding: *f, Kind: ByRuleOff, Source: rs.Source,
			Reason: fmt.Sprintf("rule %s is off%s", f.RuleID, below(rs.Dir))}, true
	}
	var fp string
	for i := range p.Ignores {
		ig := &p.Ignores[i]
		if ig.Expired(now) {
			continue
		}
		if ig.Fingerprint != "" {
			if fp == "" {
				fp = f.Fingerprint()
			}
			if !strings.EqualFold(ig.Fingerprint, fp) {
				continue
			}
		}
		if ig.RuleID != "" && ig.RuleID != f.RuleID {
			continue
		}
		if ig.Path != "" && !MatchPath(ig.Path, pth) {
			continue
		}
		return Suppressed{Finding: *f, Kind: ByConfig, Source: ig.Source, Reason: ig.Reason}, true
	}
	lines := inline[pth]
	for _, ln := range []int{f.Location.StartLine, f.Location.StartLine - 1} {
		for _, c := range lines[ln] {
			if c.RuleID == f.RuleID {
				return Suppressed{Finding: *f, Kind: ByInline, Source: fmt.Sprintf("%s:%d", c.Path, c.Line), Reason: c.Reason}, true
			}
		}
	}
	return Suppressed{}, false
}

func below(dir string) string {
	if dir == "" {
		return ""
	}
	return " below " + dir + "/"
}

// ScannerEnabled reports whether the scanner named name runs on the file at
// pth: the deepest switch whose Dir holds pth decides; no switch means on.
// Callers may use it to skip running a scanner at all.
func (p *Policy) ScannerEnabled(name, pth string) bool {
	if p == nil {
		return true
	}
	sw := p.scanner(name, pth)
	return sw == nil || sw.Enabled
}

// Silences reports whether every finding the scanner named name could make
// in the file at pth would be dropped by a path glob or a scanner switch:
// what it could not scan there then does not matter to the review either.
func (p *Policy) Silences(name, pth string) bool {
	if p == nil {
		return false
	}
	for _, pi := range p.IgnorePaths {
		if (pi.Scanner == "" || pi.Scanner == name) && MatchPath(pi.Pattern, pth) {
			return true
		}
	}
	return !p.ScannerEnabled(name, pth)
}

func (p *Policy) scanner(name, pth string) *ScannerSwitch {
	var best *ScannerSwitch
	for i := range p.Scanners {
		s := &p.Scanners[i]
		if s.Scanner == name && inDir(s.Dir, pth) && (best == nil || len(s.Dir) >= len(best.Dir)) {
			best = s
		}
	}
	return best
}

func (p *Policy) rule(id, pth string) *RuleSetting {
	var best *RuleSetting
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.RuleID == id && inDir(r.Dir, pth) && (best == nil || len(r.Dir) >= len(best.Dir)) {
			best = r
		}
	}
	return best
}

// inDir reports whether pth lies below dir ("" holds everything).
func inDir(dir, pth string) bool {
	return dir == "" || strings.HasPrefix(pth, dir+"/")
}

// MatchPath reports whether the repository-relative path pth matches the glob
// pattern, with doublestar semantics (`*` stays within a directory, `**`
// crosses directories, `{a,b}` alternates), or lies below a directory the
// pattern matches: "vendor" and "docs/*" ignore whole trees, as a user
// writing them means. An invalid pattern matches nothing.
func MatchPath(pattern, pth string) bool {
	pattern = strings.TrimPrefix(pattern, "/")
	pth = strings.TrimPrefix(pth, "/")
	for p := pth; p != "." && p != "" && p != "/"; p = path.Dir(p) {
		ok, err := doublestar.Match(pattern, p)
		if err != nil {
			return false
		}
		if ok {
			return true
		}
	}
	return false
}
