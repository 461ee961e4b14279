// Package report writes a scan's outcome in the formats CI systems and
// security dashboards read: SARIF 2.1.0 (GitHub code scanning and most
// security tools), GitLab's security reports (SAST, secret detection,
// dependency scanning; schema 15.2.1) and JUnit XML (the test reports of
// GitLab, Jenkins and most CI servers).
//
// It reads the scanners' neutral types only (findings, rules, statuses),
// never a platform's API, so `shiftward scan` and the server can both write
// them. Every report holds what the review holds and nothing more: messages
// and fixes are the scanners' (which never quote a secret), evidence is
// already redacted, and what could not be scanned is said in each format's
// own place, never dropped.
package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// InformationURI is where the reports say shiftward is described.
const InformationURI = "https://github.com/shiftward/shiftward"

// Run is one scan's outcome as the reports read it.
type Run struct {
	// Version is shiftward's own (app.Version).
	Version string
	// Rules describe the rules the findings name (scanners.Rules of the
	// scanners that ran). A finding whose rule is not among them (a
	// repository's own secret or code rule) is described from the finding.
	Rules []scanners.Rule
	// Findings are what the change introduces (for a baseline: every
	// finding); Preexisting are already in the files it touches. Each list
	// is sorted and holds one finding per fingerprint, as comments.Review's
	// do.
	Findings, Preexisting []scanners.Finding
	// Statuses are the scanners' in the order they ran, then "files" and
	// "config" for what could not be listed, read or configured
	// (scanners.Result.Statuses). Their errors are the gaps of the scan.
	Statuses []scanners.Status
	// Problems are configuration problems that fail the review (an
	// invalid .shiftward.yml), secrets already masked.
	Problems []string
	// Commit is the revision scanned (the work tree's HEAD); empty when
	// unknown (a diff handed in outside a repository).
	Commit string
	// Start and End bound the scan.
	Start, End time.Time
}

// Gap is a part of the scan that was not done: a file a scanner could not
// scan (whole), advisories that could not be fetched, a file the listing
// could not read. Scanner is the scanner's name, or "files" / "config".
type Gap struct {
	Scanner string
	Text    string
}

// Gaps lists every status error, in status order: what makes the scan
// incomplete (comments.Review.Incomplete says the same).
func (r *Run) Gaps() []Gap {
	var out []Gap
	for _, st := range r.Statuses {
		for _, err := range st.Errors {
			if err != nil {
				out = append(out, Gap{Scanner: st.Scanner, Text: err.Error()})
			}
		}
	}
	return out
}

// all is every finding, introduced ones first.
func (r *Run) all() []scanners.Finding {
	return append(slices.Clip(r.Findings), r.Preexisting...)
}

// ruleSet is the rules the findings name, in the order of the rule model,
// then those described from findings, by id; index maps an id to its place.
type ruleSet struct {
	list  []scanners.Rule
	index map[string]int
}

// usedRules is r.Rules cut down to the rules some finding names: a report
// of a scan with no finding stays small, while every result's rule is
// described. A rule not in the model is described from its first finding.
func (r *Run) usedRules() ruleSet {
	used := map[string]*scanners.Finding{}
	all := r.all()
	for i := range all {
		if _, ok := used[all[i].RuleID]; !ok {
			used[all[i].RuleID] = &all[i]
		}
	}
	rs := ruleSet{index: map[string]int{}}
	for _, rule := range r.Rules {
		if _, ok := used[rule.ID]; ok {
			if _, dup := rs.index[rule.ID]; !dup {
				rs.index[rule.ID] = len(rs.list)
				rs.list = append(rs.list, rule)
			}
		}
	}
	var extra []scanners.Rule
	for id, f := range used {
		if _, ok := rs.index[id]; !ok {
			extra = append(extra, scanners.Rule{ID: id, Severity: f.Severity, Title: f.Title, References: f.References})
		}
	}
	slices.SortFunc(extra, func(a, b scanners.Rule) int { return cmp.Compare(a.ID, b.ID) })
	for _, rule := range extra {
		rs.index[rule.ID] = len(rs.list)
		rs.list = append(rs.list, rule)
	}
	return rs
}

// rule is the description of f's rule.
func (rs ruleSet) rule(f *scanners.Finding) scanners.Rule {
	return rs.list[rs.index[f.RuleID]]
}

// scannerOf is the scanner a finding came from: its Scanner field, else
// its rule id's prefix ("secrets/github-pat").
func scannerOf(f *scanners.Finding) string {
	if f.Scanner != "" {
		return f.Scanner
	}
	name, _, _ := strings.Cut(f.RuleID, "/")
	return name
}

// why is what a rule finds and why it matters, never empty.
func why(rule scanners.Rule) string {
	if rule.Why != "" {
		return rule.Why
	}
	if rule.Title != "" {
		return rule.Title + "."
	}
	return rule.ID
}

// title is a rule's one-line title, never empty.
func title(rule scanners.Rule) string {
	if rule.Title != "" {
		return rule.Title
	}
	return rule.ID
}

// isURL says a reference is a web address (the rest are ids: CWE-798,
// CVE-…, GHSA-…, or a benchmark's name).
func isURL(ref string) bool {
	return strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")
}

// cweNumber is the number of a "CWE-798" reference, "" for anything else.
func cweNumber(ref string) string {
	n, ok := strings.CutPrefix(strings.ToUpper(ref), "CWE-")
	if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
		return ""
	}
	return n
}

// stableID is a UUID-shaped name derived from a finding's fingerprint
// (version 5 and variant bits set), for formats that want a UUID per
// vulnerability: the same finding gets the same id in every report.
func stableID(fingerprint string) string {
	h := sha256.Sum256([]byte("shiftward finding " + fingerprint))
	b := h[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	cut := n - len(more)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + more
}

// location is "path:line" or "path:start-end".
func location(l scanners.Location) string {
	switch {
	case l.StartLine <= 0:
		return l.Path
	case l.EndLine > l.StartLine:
		return fmt.Sprintf("%s:%d-%d", l.Path, l.StartLine, l.EndLine)
	}
	return fmt.Sprintf("%s:%d", l.Path, l.StartLine)
}
