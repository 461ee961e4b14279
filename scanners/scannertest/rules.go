package scannertest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// Sample is one case of a rule: a file added whole at Path, on which the
// rule must fire (Hit) or must not.
type Sample struct {
	Path    string
	Content string
	Hit     bool
}

// Added is the Input of a file added whole: every line is added.
func Added(path string, content []byte) *scanners.Input {
	in := &scanners.Input{Path: path, Content: content, New: true}
	text := strings.TrimSuffix(string(content), "\n")
	if text == "" && len(content) == 0 {
		return in
	}
	for i, l := range strings.Split(text, "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

// CheckRules is the one harness for every scanner's rule list and samples:
// every rule s lists (RuleLister) is well formed (prefixed by the scanner's
// name, unique, titled, explained, graded) and has at least one positive
// and one negative sample in samples (keyed by rule id); each positive
// sample makes the rule fire, each negative does not. Run it from each
// scanner's package with samples kept beside its rules.
func CheckRules(t *testing.T, s scanners.Scanner, samples map[string][]Sample) {
	t.Helper()
	l, ok := s.(scanners.RuleLister)
	if !ok {
		t.Fatalf("%s does not list its rules (scanners.RuleLister)", s.Name())
	}
	rules := l.Rules()
	if len(rules) == 0 {
		t.Fatalf("%s lists no rules", s.Name())
	}
	seen := map[string]bool{}
	for _, r := range rules {
		switch {
		case !strings.HasPrefix(r.ID, s.Name()+"/"):
			t.Errorf("rule %q is not prefixed by %q", r.ID, s.Name()+"/")
		case seen[r.ID]:
			t.Errorf("rule %q listed twice", r.ID)
		case r.Title == "" || r.Why == "":
			t.Errorf("rule %q has no title or no explanation", r.ID)
		case r.Severity == scanners.SeverityUnknown:
			t.Errorf("rule %q has no severity", r.ID)
		}
		seen[r.ID] = true
	}
	for id := range samples {
		if !seen[id] {
			t.Errorf("samples for %q, which %s does not list", id, s.Name())
		}
	}
	for _, r := range rules {
		t.Run(strings.TrimPrefix(r.ID, s.Name()+"/"), func(t *testing.T) {
			var pos, neg int
			for i, smp := range samples[r.ID] {
				if smp.Hit {
					pos++
				} else {
					neg++
				}
				got := Fires(t, s, r.ID, smp.Path, smp.Content)
				if got != smp.Hit {
					t.Errorf("sample %d (%s): rule fired %v, want %v\n%s", i, smp.Path, got, smp.Hit, smp.Content)
				}
			}
			if pos == 0 || neg == 0 {
				t.Errorf("%d positive and %d negative samples; want at least one of each", pos, neg)
			}
		})
	}
}

// Fires reports whether rule fires when s scans content added whole at
// path.
func Fires(t *testing.T, s scanners.Scanner, rule, path, content string) bool {
	t.Helper()
	if !s.Wants(path) {
		return false
	}
	fs, err := s.Scan(context.Background(), Added(path, []byte(content)))
	var note *scanners.NoteError
	if err != nil && !errors.As(err, &note) { // a note leaves the file analysed whole
		t.Errorf("%s: %v", path, err)
	}
	return slices.ContainsFunc(fs, func(f scanners.Finding) bool { return f.RuleID == rule })
}

// CheckListed fails for every finding whose rule s does not list: run it
// over a scanner's fixtures and corpus findings, so no rule id escapes
// the catalogue and `explain`.
func CheckListed(t *testing.T, s scanners.Scanner, findings []scanners.Finding) {
	t.Helper()
	l, ok := s.(scanners.RuleLister)
	if !ok {
		t.Fatalf("%s does not list its rules (scanners.RuleLister)", s.Name())
	}
	listed := map[string]bool{}
	for _, r := range l.Rules() {
		listed[r.ID] = true
	}
	missing := map[string]bool{}
	for _, f := range findings {
		if !listed[f.RuleID] && !missing[f.RuleID] {
			missing[f.RuleID] = true
			t.Errorf("%s reported %s, which its Rules() does not list", s.Name(), f.RuleID)
		}
	}
}
