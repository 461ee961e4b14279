package scanners_test

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestGitAttributesAsGit compares Lookup with `git check-attr` on random
// patterns and paths (a fixed seed: the same cases each run). Patterns
// where "**" follows a literal ("b**/x") are left out: git strips a
// pattern's literal prefix before matching the rest, so its "**" then
// counts as leading, which gitattributes(5) does not describe and no real
// file relies on; GitAttributes reads such a "**" as "*", as the manual
// says.
func TestGitAttributesAsGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git:", err)
	}
	r := rand.New(rand.NewSource(1))
	atoms := []string{"a", "b", "/", "*", "**", "?", "[ab]", "[!a]", "**/", "/**", "/**/", "."}
	patAtoms := func() string {
		var b strings.Builder
		for range 1 + r.Intn(5) {
			b.WriteString(atoms[r.Intn(len(atoms))])
		}
		return b.String()
	}
	pathOf := func() string {
		var segs []string
		for range 1 + r.Intn(4) {
			seg := ""
			for range 1 + r.Intn(3) {
				seg += []string{"a", "b", "c", "."}[r.Intn(4)]
			}
			if strings.Trim(seg, ".") == "" {
				seg += "c"
			}
			segs = append(segs, seg)
		}
		return strings.Join(segs, "/")
	}
	dir := t.TempDir()
	if out, err := exec.CommandContext(t.Context(), "git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatal(err, string(out))
	}
	bad, hits := 0, 0
	for range 250 {
		pat := patAtoms()
		if i := strings.Index(pat, "**"); i > 0 && pat[i-1] != '/' || strings.HasPrefix(pat, "!") || strings.HasPrefix(pat, "#") {
			continue
		}
		line := []byte(pat + " linguist-vendored\n")
		if err := os.WriteFile(filepath.Join(dir, ".gitattributes"), line, 0o644); err != nil {
			t.Fatal(err)
		}
		var a scanners.GitAttributes
		if err := a.Parse("", line); err != nil {
			t.Fatal(err)
		}
		var paths []string
		for range 40 {
			paths = append(paths, pathOf())
		}
		cmd := exec.CommandContext(t.Context(), "git", "-C", dir, "check-attr", "--stdin", "linguist-vendored")
		cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err, pat, paths)
		}
		for i, res := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			gitSet := strings.HasSuffix(res, ": set")
			if gitSet {
				hits++
			}
			v, _ := a.Lookup(paths[i])
			if gitSet != (v == scanners.AttrSet) {
				bad++
				if bad < 30 {
					t.Errorf("pattern %q path %q: git %v, ours %v", pat, paths[i], gitSet, v)
				}
			}
		}
	}
	if hits < 100 {
		t.Errorf("git matched only %d paths: the comparison proves little", hits)
	}
	t.Logf("%d paths matched by git, %d disagreements", hits, bad)
}
