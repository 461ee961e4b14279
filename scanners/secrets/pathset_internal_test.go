package secrets

import (
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPathSetSameAsRegex: every path pattern of the default rules and
// allowlists, gated by its literals, matches exactly where its regex does,
// on Go's source tree and on paths built to tempt the gate.
func TestPathSetSameAsRegex(t *testing.T) {
	raw, err := defaultRaw()
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	for _, a := range globalAllowlists(raw) {
		pats = append(pats, a.Paths...)
	}
	for _, r := range raw.Rules {
		if r.Path != "" {
			pats = append(pats, r.Path)
		}
		for _, a := range ruleAllowlists(r) {
			pats = append(pats, a.Paths...)
		}
	}
	paths := []string{
		"a.PHP", "x/y.P12", "cert.pfx", "nuget.config", "NuGet.Config", "main.tf", "x.HCL", "k8s.yml", "a.yaml",
		"vendor/a.go", "node_modules/x.js", "a.min.js", "ſ.php", "x.go", "X.GO", "lib.c", "a.h", "a.m", "R.r",
		"go.sum", "package-lock.json", "a/b/.git/config", "", "ſvg.svg", "a.SVG", "Gemfile.lock",
	}
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	root := filepath.Join(runtime.GOROOT(), "src")
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || n > 20000 {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(root, p)
		paths = append(paths, filepath.ToSlash(rel))
		n++
		return nil
	})
	gated, matched := 0, 0
	for _, p := range pats {
		set, err := newPathSet([]string{p})
		if err != nil {
			t.Fatal(err)
		}
		if set.pats[0].lits != nil {
			gated++
		}
		re := set.pats[0].re
		var got, want []string
		for _, path := range paths {
			if re.MatchString(path) {
				want = append(want, path)
			}
			if set.MatchString(path) {
				got = append(got, path)
			}
		}
		matched += len(want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%q with literals %q (-regex +set):\n%s", p, set.pats[0].lits, d)
		}
	}
	t.Logf("%d patterns, %d gated, %d paths, %d matches", len(pats), gated, len(paths), matched)
	if gated < len(pats)/2 || matched < 100 || !slices.Contains(pats, `(?i)\.php$`) {
		t.Errorf("comparison too weak")
	}
}
