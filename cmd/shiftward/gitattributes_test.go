package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestScanGitAttributesAtTheBase: shiftward scan reads .gitattributes at
// the base (`git show`-like, never the work tree): the base's linguist lines
// (the root's and a subdirectory's) keep the files they mark from the code
// scanner, which counts them, and linguist-vendored=false gives a vendor/
// file back to it; a .gitattributes that the change itself adds or edits
// marks nothing. --all reads them at HEAD.
func TestScanGitAttributesAtTheBase(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := writer(t, dir)
	const evalPy = "def run(x):\n    return eval(x)\n"
	codePaths := func(args ...string) ([]string, string) {
		t.Helper()
		out, _, text := scanJSON(t, append(args, "--scanners", "code", dir)...)
		var paths []string
		for _, f := range out.Findings {
			if f.RuleID == "code/py-code-eval" {
				paths = append(paths, f.Path)
			}
		}
		slices.Sort(paths)
		return paths, text
	}

	write(".gitattributes", "gen/** linguist-generated\nvendor/own/** -linguist-vendored\n")
	write("svc/.gitattributes", "*_pb2.py linguist-generated=true\n")
	write("README.md", "# x\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	// The change: code in every kind of place, and a .gitattributes line
	// that would hide its own code.
	for _, p := range []string{"app.py", "gen/client.py", "svc/api_pb2.py", "svc/main.py", "vendor/lib/x.py", "vendor/own/x.py", "hidden/x.py"} {
		write(p, evalPy)
	}
	write(".gitattributes", "gen/** linguist-generated\nvendor/own/** -linguist-vendored\nhidden/** linguist-generated\n")

	got, text := codePaths("--base", "main")
	want := []string{"app.py", "hidden/x.py", "svc/main.py", "vendor/own/x.py"}
	if !slices.Equal(got, want) {
		t.Errorf("--base main: code findings in %q, want %q", got, want)
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"scan", "--base", "main", "--scanners", "code", dir}, nil, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "code: 3 files not reviewed: vendored, minified or generated") {
		t.Errorf("the review does not say the code scanner skipped 3 files:\n%s%s", text, stdout.String())
	}

	// Committed, the change's .gitattributes is HEAD's: --all applies it.
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "change")
	got, _ = codePaths("--all")
	if want := []string{"app.py", "svc/main.py", "vendor/own/x.py"}; !slices.Equal(got, want) {
		t.Errorf("--all: code findings in %q, want %q", got, want)
	}
	// Against the first commit, the edited line is still the change's own.
	got, _ = codePaths("--base", "HEAD~1")
	if want := []string{"app.py", "hidden/x.py", "svc/main.py", "vendor/own/x.py"}; !slices.Equal(got, want) {
		t.Errorf("--base HEAD~1: code findings in %q, want %q", got, want)
	}
}

// TestScanGitAttributesAddedByTheChange: a .gitattributes that exists only
// in the change (none at the base) marks nothing.
func TestScanGitAttributesAddedByTheChange(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	if err := os.MkdirAll(filepath.Join(dir, "gen"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		".gitattributes": "gen/** linguist-generated\n",
		"gen/client.py":  "def run(x):\n    return eval(x)\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "checkout", "-q", "-b", "feature")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "hide it")
	out, _, text := scanJSON(t, "--base", "main", "--scanners", "code", dir)
	if len(out.Findings) != 1 || out.Findings[0].Path != "gen/client.py" {
		t.Errorf("findings %+v; want gen/client.py's eval reviewed:\n%s", out.Findings, text)
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"scan", "--base", "main", "--scanners", "code", dir}, nil, &stdout, &stderr)
	if !strings.Contains(stdout.String(), "gen/client.py") || strings.Contains(stdout.String(), "not reviewed") {
		t.Errorf("the text review skipped gen/client.py:\n%s", stdout.String())
	}
}
