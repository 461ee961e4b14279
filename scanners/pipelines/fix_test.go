package pipelines_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// applyFix replaces lines StartLine..EndLine of src with the replacement,
// as a one-click suggestion does.
func applyFix(t *testing.T, src []byte, fx *scanners.Fix) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	if fx.StartLine < 1 || fx.EndLine < fx.StartLine || fx.EndLine > len(lines) {
		t.Fatalf("fix range %d-%d outside the file (%d lines)", fx.StartLine, fx.EndLine, len(lines))
	}
	var out []string
	out = append(out, lines[:fx.StartLine-1]...)
	if fx.Replacement != "" {
		out = append(out, strings.Split(fx.Replacement, "\n")...)
	}
	out = append(out, lines[fx.EndLine:]...)
	return []byte(strings.Join(out, "\n") + "\n")
}

// checkFixes applies every fix of a file's findings, one at a time, and
// checks the result: it still parses as YAML, the finding is gone, and no
// rule reports more than before. It returns how many fixes it checked.
func checkFixes(t *testing.T, name, scanPath string, src []byte) int {
	t.Helper()
	r := &fakeResolver{}
	before, err := scanWhole(t, scanPath, src, r)
	if err != nil {
		return 0
	}
	count := func(fs []scanners.Finding) map[string]int {
		m := map[string]int{}
		for _, f := range fs {
			m[f.RuleID]++
		}
		return m
	}
	n := 0
	for _, f := range before {
		if f.Fix == nil {
			continue
		}
		n++
		fixed := applyFix(t, src, f.Fix)
		var node yaml.Node
		if err := yaml.Unmarshal(fixed, &node); err != nil {
			t.Errorf("%s:%d %s: the fix breaks the YAML: %v\n%s", name, f.Location.StartLine, f.RuleID, err, f.Fix.Replacement)
			continue
		}
		after, err := scanWhole(t, scanPath, fixed, r)
		if err != nil {
			t.Errorf("%s:%d %s: rescan failed: %v", name, f.Location.StartLine, f.RuleID, err)
			continue
		}
		for _, g := range after {
			if g.RuleID == f.RuleID && g.Identity == f.Identity {
				t.Errorf("%s:%d %s: still reported after its fix:\n%s", name, f.Location.StartLine, f.RuleID, f.Fix.Replacement)
			}
		}
		b, a := count(before), count(after)
		for rule, k := range a {
			if k > b[rule] {
				t.Errorf("%s:%d %s: the fix adds a %s finding", name, f.Location.StartLine, f.RuleID, rule)
			}
		}
	}
	return n
}

// TestFixesApplyAndRemoveFinding applies every suggestion on the fixtures
// and on the GitHub Actions corpus (the full one, or the subset in
// testdata/).
func TestFixesApplyAndRemoveFinding(t *testing.T) {
	perRule := map[string]int{}
	total := 0
	for _, f := range fixtures(t) {
		total += checkFixes(t, f.file, f.scanPath, f.src)
		fs, _ := scanWhole(t, f.scanPath, f.src, &fakeResolver{})
		for _, x := range fs {
			if x.Fix != nil {
				perRule[x.RuleID]++
			}
		}
	}
	for _, rule := range []string{"pipelines/script-injection", "pipelines/missing-permissions", "pipelines/unpinned-action",
		"pipelines/excessive-permissions", "pipelines/gitlab-untrusted-variable"} {
		if perRule[rule] == 0 {
			t.Errorf("no fixture exercises the fix of %s", rule)
		}
	}
	root := scannertest.Data(t).Dir
	for _, dir := range []string{"iac/github-actions", "iac/kics/cicd/github", "iac/kics-upstream/cicd/github"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || (!strings.HasSuffix(p, ".yml") && !strings.HasSuffix(p, ".yaml")) {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			total += checkFixes(t, p, workflowPath(p), src)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d fixes applied and re-scanned", total)
}
