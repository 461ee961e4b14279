package deps_test

import (
	"context"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestRules: the rule list is well formed and every rule's samples behave.
func TestRules(t *testing.T) {
	scannertest.CheckRules(t, sampleScanner(), ruleSamples)
}

// TestRuleFileTypes: the rule names every file the scanner reads, and the
// scanner reads every file the rule names.
func TestRuleFileTypes(t *testing.T) {
	s := deps.New(nil)
	rules := s.Rules()
	if len(rules) != 1 || rules[0].ID != deps.RuleID {
		t.Fatalf("Rules() = %+v, want the one rule %s", rules, deps.RuleID)
	}
	types := rules[0].FileTypes
	for _, ft := range types {
		p := strings.ReplaceAll(ft, "*", "-dev")
		if !s.Wants(p) || !s.Wants("sub/dir/"+p) {
			t.Errorf("file type %q listed, but the scanner does not want %s", ft, p)
		}
	}
	for _, c := range fileCases {
		base := path.Base(c.path)
		if !slices.ContainsFunc(types, func(ft string) bool {
			ok, err := path.Match(ft, base)
			return err == nil && ok
		}) {
			t.Errorf("%s is scanned but matches no listed file type %q", base, types)
		}
	}
	for _, ref := range []string{"CWE-1395", "CWE-937", "https://osv.dev"} {
		if !slices.Contains(rules[0].References, ref) {
			t.Errorf("references %q lack %s", rules[0].References, ref)
		}
	}
	// Rules hands out copies: a caller's edit does not change the catalogue.
	rules[0].References[0] = "changed"
	rules[0].FileTypes[0] = "changed"
	again := s.Rules()[0]
	if again.References[0] == "changed" || again.FileTypes[0] == "changed" {
		t.Error("Rules() shares its slices with the scanner")
	}
}

// TestListed: every finding the scanner reports on its testdata, whole
// files and partly touched ones (pre-existing findings), is of a listed rule.
func TestListed(t *testing.T) {
	s := deps.New(testSource(t))
	var all []scanners.Finding
	for _, c := range fileCases {
		content := readCase(t, c)
		fs, err := scoped(context.Background(), s, []*scanners.Input{wholeFile(c.path, content)})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		all = append(all, fs...)
		// The last line alone: whatever else the file pins is pre-existing.
		n := strings.Count(strings.TrimSuffix(string(content), "\n"), "\n") + 1
		fs, err = scoped(context.Background(), s, []*scanners.Input{withAdded(c.path, content, n)})
		if err != nil {
			t.Fatalf("%s (last line): %v", c.name, err)
		}
		all = append(all, fs...)
	}
	pre := slices.ContainsFunc(all, func(f scanners.Finding) bool { return f.Preexisting })
	if len(all) == 0 || !pre {
		t.Fatalf("%d findings on testdata, pre-existing among them %v: the check would prove little", len(all), pre)
	}
	scannertest.CheckListed(t, s, all)
	for _, f := range all {
		if _, ok := s.Explain(f.RuleID); !ok {
			t.Errorf("finding of %s cannot be explained", f.RuleID)
		}
	}
}
