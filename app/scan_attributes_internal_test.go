package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestGitAttributesAtIsBounded: a repository controls its .gitattributes,
// so reading them costs a known amount: at most 64 files, the nearest the
// root (a deeper one is left out, and the notes say how many there were),
// and at most the parser's bound of each (the lines within it still
// apply); a symbolic link named .gitattributes is not read, as git does
// not read it.
func TestGitAttributesAtIsBounded(t *testing.T) {
	dir := t.TempDir()
	gitCmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitCmd("init", "-q", "-b", "main")
	if attrs, notes := gitAttributesAt(t.Context(), dir, "HEAD"); attrs != nil || notes != nil {
		t.Errorf("no commit yet: %v, %q; want nothing", attrs, notes)
	}
	// The root's: a first line, then past the bound one that is not read.
	big := "gen/** linguist-generated\n" + strings.Repeat("# padding\n", scanners.MaxGitAttributesBytes/10) + "late/** linguist-generated\n"
	write(".gitattributes", big)
	for i := range 70 {
		write(fmt.Sprintf("d%02d/.gitattributes", i), "*.js linguist-vendored\n")
	}
	write("a/b/c/.gitattributes", "*.js linguist-vendored\n") // deeper than the 63 kept
	if err := os.Symlink("../d00/.gitattributes", filepath.Join(dir, "a", ".gitattributes")); err != nil {
		t.Fatal(err)
	}
	gitCmd("add", ".")
	gitCmd("commit", "-q", "-m", "attributes")

	attrs, notes := gitAttributesAt(t.Context(), dir, "HEAD")
	check := func(p string, want scanners.AttrState, vendored bool) {
		t.Helper()
		v, g := attrs.Lookup(p)
		got := g
		if vendored {
			got = v
		}
		if got != want {
			t.Errorf("%s: %s, want %s", p, got, want)
		}
	}
	check("gen/x.py", scanners.AttrSet, false)
	check("late/x.py", scanners.AttrUnspecified, false) // past the bound
	check("d00/x.js", scanners.AttrSet, true)
	check("d62/x.js", scanners.AttrSet, true)         // the 63rd below the root: kept
	check("d63/x.js", scanners.AttrUnspecified, true) // the 64th: left out
	check("a/b/c/x.js", scanners.AttrUnspecified, true)
	check("a/x.js", scanners.AttrUnspecified, true) // the link is not read
	all := strings.Join(notes, "\n")
	for _, want := range []string{
		"72 .gitattributes files at HEAD; shiftward reads at most 64", // the link not counted
		".gitattributes is over a bound (size in bytes: 262144)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("notes do not say %q:\n%s", want, all)
		}
	}
}
