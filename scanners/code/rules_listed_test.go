package code

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestRulesListed scans every fixture and corpus file (fixInputs: the
// testdata fixtures, gosec's samples and, with the full corpus, the
// semgrep-rules targets) and checks that every rule id found is listed by
// Rules, so explain and the catalogue know it.
func TestRulesListed(t *testing.T) {
	s := newTestScanner(t)
	var all []scanners.Finding
	for _, file := range fixInputs(t) {
		if languageOf(file) == "" {
			continue
		}
		_, hits, _ := scanFile(t, s, file)
		all = append(all, hits...)
	}
	if len(all) < 100 {
		t.Fatalf("only %d findings on the fixtures and corpus: the check proves little", len(all))
	}
	t.Logf("%d findings checked against the %d listed rules", len(all), len(s.Rules()))
	scannertest.CheckListed(t, s, all)
	listed := map[string]bool{}
	for _, r := range s.Rules() {
		listed[r.ID] = true
		if d, ok := s.Explain(r.ID); !ok || d.Title != r.Title || d.Description != r.Why || d.Fix != r.Fix {
			t.Errorf("Explain(%s) = %+v, %v; want what Rules lists", r.ID, d, ok)
		}
		if len(r.FileTypes) == 0 || r.Fix == "" || len(r.References) == 0 || !strings.HasPrefix(r.References[0], "CWE-") {
			t.Errorf("%s: needs file types, a fix and a CWE reference first: %+v", r.ID, r)
		}
	}
	if len(listed) != len(Builtin()) {
		t.Errorf("Rules lists %d rules, Builtin has %d", len(listed), len(Builtin()))
	}
}

// TestRepositoryRulesNotListed: a repository's own rules are explained
// but not listed in the catalogue.
func TestRepositoryRulesNotListed(t *testing.T) {
	s, err := New(WithRules(Rule{ID: "acme-legacy", Family: "custom", Languages: []string{"python"}, Severity: scanners.SeverityLow,
		Title: "Legacy call", Why: "{call} is legacy.", Match: Match{Names: []string{"acme.legacy"}, Arg: -1, When: "any"}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Rules() {
		if r.ID == "code/acme-legacy" {
			t.Error("a repository's rule is listed")
		}
	}
	if d, ok := s.Explain("code/acme-legacy"); !ok || d.Description != "The flagged code is legacy." {
		t.Errorf("Explain = %+v, %v", d, ok)
	}
}
