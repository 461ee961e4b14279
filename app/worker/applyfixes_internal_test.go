package worker

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

func TestFixMessageNamesRulesAndPlacesOnly(t *testing.T) {
	fs := []scanners.Finding{
		{RuleID: "secrets/github-pat", Location: scanners.Location{Path: "a.go", StartLine: 3}, Fix: &scanners.Fix{Description: "read it from the environment"}},
		{RuleID: "iac/k8s-privileged", Location: scanners.Location{Path: "k.yaml", StartLine: 9}, Fix: &scanners.Fix{Description: "set privileged: false"}},
	}
	got := fixMessage(fs)
	want := "shiftward: apply 2 security fixes\n\n- a.go:3 secrets/github-pat: read it from the environment\n- k.yaml:9 iac/k8s-privileged: set privileged: false\n"
	if got != want {
		t.Errorf("message:\n%s\nwant:\n%s", got, want)
	}
	if one := fixMessage(fs[:1]); !strings.HasPrefix(one, "shiftward: apply 1 security fix\n") {
		t.Errorf("singular: %q", one)
	}
}

func TestChooseFixes(t *testing.T) {
	shared := &scanners.Fix{StartLine: 5, EndLine: 6, Replacement: "a"}
	fs := []scanners.Finding{
		{Location: scanners.Location{Path: "k.yaml", StartLine: 5}, Fix: shared},
		{Location: scanners.Location{Path: "k.yaml", StartLine: 5}, Fix: shared},                                  // same suggestion: fixed too
		{Location: scanners.Location{Path: "k.yaml", StartLine: 6}, Fix: &scanners.Fix{StartLine: 6, EndLine: 6}}, // overlaps: later
		{Location: scanners.Location{Path: "k.yaml", StartLine: 9}, Fix: &scanners.Fix{StartLine: 9, EndLine: 9}},
		{Location: scanners.Location{Path: "a.go", StartLine: 1}},
	}
	byPath, applied, skipped := chooseFixes(fs)
	if len(byPath["k.yaml"]) != 2 || len(byPath) != 1 || len(applied) != 3 || skipped != 1 {
		t.Errorf("byPath %v, applied %d, skipped %d; want 2 fixes on k.yaml, 3 findings fixed, 1 left", byPath, len(applied), skipped)
	}
	if _, err := scanners.ApplyFixes([]byte(strings.Repeat("x\n", 10)), byPath["k.yaml"]); err != nil {
		t.Errorf("the chosen fixes do not apply together: %v", err)
	}
}

// TestChooseFixesOfSeveralEdits: fixes that add the same import are both
// chosen (the import goes in once); a fix whose added import falls inside
// lines another fix replaces waits for the next review.
func TestChooseFixesOfSeveralEdits(t *testing.T) {
	imp := scanners.InsertAfter(1, "import os")
	fs := []scanners.Finding{
		{Location: scanners.Location{Path: "a.py", StartLine: 4}, Fix: &scanners.Fix{StartLine: 4, EndLine: 4, Replacement: "A", Also: []scanners.Edit{imp}}},
		{Location: scanners.Location{Path: "a.py", StartLine: 6}, Fix: &scanners.Fix{StartLine: 6, EndLine: 6, Replacement: "B", Also: []scanners.Edit{imp}}},
		{Location: scanners.Location{Path: "a.py", StartLine: 1}, Fix: &scanners.Fix{StartLine: 1, EndLine: 2, Replacement: "C"}}, // the import would land inside: later
		{Location: scanners.Location{Path: "a.py", StartLine: 2}, Fix: &scanners.Fix{StartLine: 2, EndLine: 2, Replacement: "D"}}, // beside the import: chosen
	}
	byPath, applied, skipped := chooseFixes(fs)
	if len(byPath["a.py"]) != 3 || len(applied) != 3 || skipped != 1 {
		t.Fatalf("byPath %v, applied %d, skipped %d; want 3 fixes chosen, 1 left", byPath, len(applied), skipped)
	}
	got, err := scanners.ApplyFixes([]byte("1\n2\n3\n4\n5\n6\n"), byPath["a.py"])
	if want := "1\nimport os\nD\n3\nA\n5\nB\n"; err != nil || string(got) != want {
		t.Errorf("applied: %q, %v; want %q", got, err, want)
	}
}
