package code

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// applyFix replaces lines StartLine..EndLine of src with the fix's
// replacement, as a reviewer's one-click suggestion does.
func applyFix(src []byte, fx *scanners.Fix) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	var b strings.Builder
	for i, l := range lines {
		n := i + 1
		switch {
		case n < fx.StartLine || n > fx.EndLine:
			b.WriteString(l)
		case n == fx.StartLine && fx.Replacement != "":
			b.WriteString(fx.Replacement)
			if strings.HasSuffix(lines[min(fx.EndLine, len(lines))-1], "\n") {
				b.WriteString("\n")
			}
		}
	}
	return []byte(b.String())
}

// fixInputs are every file the fix test runs on: the fixtures, gosec's
// samples (the full corpus's, or the subset in testdata/) and, with the
// full corpus, the semgrep-rules test targets (never copied: see
// testdata/README.md).
func fixInputs(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	c := scannertest.Data(t)
	gosec, err := filepath.Glob(c.Path("code", "gosec", "*", "*", "*.go"))
	if err != nil || len(gosec) == 0 {
		t.Fatalf("no gosec sample in %s (%v)", c.Path("code", "gosec"), err)
	}
	files = append(files, gosec...)
	if c.Full {
		var idx semgrepIndex
		if err := json.Unmarshal(c.Read(t, "code", "semgrep-rules", "index.json"), &idx); err != nil {
			t.Fatal(err)
		}
		for _, sc := range idx.Cases {
			files = append(files, c.Path(sc.File))
		}
	}
	return files
}

// enough is how many files a test that compares two ways of scanning must
// have compared: withCorpus with the full corpus beside the repository,
// else subsetOnly, for what the fixtures and the subset in testdata/ give
// (a fresh clone). Each is set a little under what the test compared.
func enough(t *testing.T, withCorpus, subsetOnly int) int {
	if scannertest.Data(t).Full {
		return withCorpus
	}
	return subsetOnly
}

// TestFixesApply applies every fix the scanner suggests, on the fixtures
// and the corpus (see fixInputs): the fixed file must parse with no new
// syntax error, and the finding must be gone from the fixed lines.
func TestFixesApply(t *testing.T) {
	s := newTestScanner(t)
	applied := map[string]int{}
	for _, file := range fixInputs(t) {
		if languageOf(file) == "" {
			continue
		}
		src, hits, errLines := scanFile(t, s, file)
		for _, h := range hits {
			fx := h.Fix
			if fx == nil {
				continue
			}
			if fx.StartLine < 1 || fx.EndLine < fx.StartLine || fx.StartLine > h.Location.StartLine || fx.EndLine < h.Location.StartLine {
				t.Errorf("%s:%d %s: fix lines %d-%d do not cover the finding", file, h.Location.StartLine, h.RuleID, fx.StartLine, fx.EndLine)
				continue
			}
			if strings.HasSuffix(fx.Replacement, "\n") {
				t.Errorf("%s:%d %s: replacement ends with a newline", file, h.Location.StartLine, h.RuleID)
			}
			fixed := applyFix(src, fx)
			hits2, errLines2, err := s.scan(context.Background(), file, fixed)
			if err != nil {
				t.Errorf("%s:%d %s: rescanning the fixed file: %v", file, h.Location.StartLine, h.RuleID, err)
				continue
			}
			if len(errLines2) > len(errLines) {
				t.Errorf("%s:%d %s: the fix breaks the syntax (errors at %v):\n%s", file, h.Location.StartLine, h.RuleID, errLines2, fx.Replacement)
				continue
			}
			added := strings.Count(fx.Replacement, "\n") + 1
			if fx.Replacement == "" {
				added = 0
			}
			for _, h2 := range hits2 {
				if h2.RuleID == h.RuleID && h2.Location.StartLine >= fx.StartLine && h2.Location.StartLine < fx.StartLine+max(added, 1) {
					t.Errorf("%s:%d %s: the finding is still there after the fix:\n%s", file, h.Location.StartLine, h.RuleID, fx.Replacement)
				}
			}
			applied[strings.TrimPrefix(h.RuleID, Name+"/")]++
			if testing.Verbose() && os.Getenv("CODE_SHOW_FIXES") != "" {
				t.Logf("%s:%d %s\n- %s\n+ %s", file, h.Location.StartLine, h.RuleID,
					strings.Join(strings.Split(string(src), "\n")[fx.StartLine-1:fx.EndLine], "\n- "), fx.Replacement)
			}
		}
	}
	if len(applied) == 0 {
		t.Fatal("no fix was applied")
	}
	t.Logf("fixes applied and verified per rule: %v", applied)
	for _, want := range []string{"py-yaml-load", "py-weak-hash", "go-tls-insecure-skip-verify", "js-innerhtml", "py-sqli", "go-sqli"} {
		if applied[want] == 0 {
			t.Errorf("no %s fix was exercised", want)
		}
	}
}
