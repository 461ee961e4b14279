package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// baselineOutput is what the --all and --base empty tests compare: the
// whole JSON review, findings and verdict alike.
type baselineOutput struct {
	Findings []struct {
		RuleID      string `json:"rule_id"`
		Severity    string `json:"severity"`
		Path        string `json:"path"`
		StartLine   int    `json:"start_line"`
		EndLine     int    `json:"end_line"`
		Fingerprint string `json:"fingerprint"`
		Preexisting bool   `json:"preexisting"`
	} `json:"findings"`
	Conclusion string   `json:"conclusion"`
	Incomplete []string `json:"incomplete"`
	Problems   []string `json:"problems"`
	Notes      []string `json:"notes"`
}

func scanJSON(t *testing.T, args ...string) (baselineOutput, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"scan", "--format", "json"}, args...), nil, &stdout, &stderr)
	var out baselineOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("scan %v: exit %d, stdout %q, stderr %q: %v", args, code, stdout.String(), stderr.String(), err)
	}
	return out, code, stdout.String() + stderr.String()
}

// TestScanAllIsABaseline: --all reviews every file as if added, so a
// secret in a file no commit has touched since the first is found; an
// ignored file is never listed (neither its secret nor its size shows);
// a file over the read bound is reported not scanned; the exit status is
// the same bit set as a change's.
func TestScanAllIsABaseline(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, ignored, untracked := fakeToken(31), fakeToken(32), fakeToken(33)
	// Over the 10 MiB a file read may hold: text, so only the bound skips it.
	big := bytes.Repeat([]byte("just text\n"), 1<<20+1)
	write("deep/old.go", []byte("package deep\n\n// first commit\nvar token = \""+old+"\"\n"))
	write("big.txt", big)
	write(".gitignore", []byte("secret.env\nhuge.log\n"))
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "first")
	write("README.md", []byte("# x\n"))
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "second: old.go untouched")
	write("secret.env", []byte("TOKEN="+ignored+"\n"))
	write("huge.log", big)
	write("notes.txt", []byte("token "+untracked+"\n"))

	// A change review against HEAD sees only the untracked file: the
	// baseline is what finds the old one.
	out, code, first := scanJSON(t, "--base", "HEAD", "--scanners", "secrets", dir)
	if code != 1 || len(out.Findings) != 1 || out.Findings[0].Path != "notes.txt" {
		t.Fatalf("--base HEAD: exit %d, findings %+v; want only notes.txt's token", code, out.Findings)
	}

	out, code, text := scanJSON(t, "--all", "--scanners", "secrets", dir)
	var got []string
	for _, f := range out.Findings {
		got = append(got, f.RuleID+" "+f.Path+":"+strconv.Itoa(f.StartLine))
		if f.Preexisting {
			t.Errorf("%s:%d marked pre-existing: a baseline reviews every line as added", f.Path, f.StartLine)
		}
	}
	want := []string{"secrets/github-pat deep/old.go:4", "secrets/github-pat notes.txt:1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("--all findings (-want +got):\n%s", diff)
	}
	if code != 3 {
		t.Errorf("--all exit %d, want 3 (a failing finding and a file not scanned)", code)
	}
	if len(out.Incomplete) != 1 || !strings.Contains(out.Incomplete[0], "big.txt") || !strings.Contains(out.Incomplete[0], "10 MiB") {
		t.Errorf("incomplete = %q, want big.txt reported over the 10 MiB bound (and the ignored huge.log not listed at all)", out.Incomplete)
	}
	for _, secret := range []string{old, ignored, untracked} {
		if strings.Contains(first+text, secret) {
			t.Error("output contains a whole secret")
		}
	}

	// Without the big file in the work tree (deleted, not committed), the
	// baseline is complete: exit 1 for the finding alone.
	if err := os.Remove(filepath.Join(dir, "big.txt")); err != nil {
		t.Fatal(err)
	}
	if out, code, _ = scanJSON(t, "--all", "--scanners", "secrets", dir); code != 1 || len(out.Incomplete) != 0 || len(out.Findings) != 2 {
		t.Errorf("--all without big.txt: exit %d, incomplete %q, %d findings; want 1, none, 2", code, out.Incomplete, len(out.Findings))
	}
	// And a threshold above the findings passes: exit 0.
	if _, code, _ = scanJSON(t, "--all", "--scanners", "secrets", "--fail-on", "critical", dir); code != 0 {
		t.Errorf("--all --fail-on critical: exit %d, want 0 (the tokens are high)", code)
	}

	// The text review says it is a baseline.
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"scan", "--all", "--scanners", "secrets", dir}, nil, &stdout, &stderr)
	if !strings.HasPrefix(stdout.String(), "Reviewed every file of "+dir) || !strings.Contains(stdout.String(), "4 files, every line as if added") {
		t.Errorf("text review starts %q", strings.SplitN(stdout.String(), "\n", 2)[0])
	}
}

// TestScanBaseEmptyTreeIsAll: against the empty tree every committed file is
// added, so on a clean work tree --base empty (or the tree's id) reviews
// exactly what --all does, under the same .shiftward.yml (HEAD's: the empty
// tree has none). Any tree is a base, not only a commit.
func TestScanBaseEmptyTreeIsAll(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := writer(t, dir)
	write("app/config.py", "import os\nTOKEN = \""+fakeToken(41)+"\"\n")
	write("skip/fixture.go", "package skip\n\nvar token = \""+fakeToken(42)+"\"\n")
	write("Dockerfile", "FROM ubuntu:latest\nRUN curl -k https://example.com/install.sh | sh\n")
	write(".github/workflows/ci.yml", "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo \"${{ github.event.pull_request.title }}\"\n")
	write("main.go", "package main\n\nimport (\n\t\"crypto/tls\"\n\t\"net/http\"\n)\n\nvar c = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}\n")
	write(".shiftward.yml", "ignore_paths: [\"skip/**\"]\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "one")
	write("app/more.py", "x = 1\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "two")

	only := "secrets,iac,pipelines,code" // deps would ask OSV over the network
	all, allCode, _ := scanJSON(t, "--all", "--scanners", only, dir)
	scanners := map[string]bool{}
	for _, f := range all.Findings {
		scanners[strings.SplitN(f.RuleID, "/", 2)[0]] = true
		if strings.HasPrefix(f.Path, "skip/") {
			t.Errorf("--all reported %s in skip/, which HEAD's .shiftward.yml ignores", f.RuleID)
		}
	}
	for _, s := range strings.Split(only, ",") {
		if !scanners[s] {
			t.Errorf("--all: no %s finding in %+v; the comparison below would prove little", s, all.Findings)
		}
	}
	for _, base := range []string{"empty", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"} {
		got, code, _ := scanJSON(t, "--base", base, "--scanners", only, dir)
		if code != allCode {
			t.Errorf("--base %s: exit %d, --all %d", base, code, allCode)
		}
		if diff := cmp.Diff(all, got); diff != "" {
			t.Errorf("--base %s differs from --all (-all +base):\n%s", base, diff)
		}
	}

	// A tree is a base like its commit: HEAD~1's tree gives what HEAD~1 does.
	byCommit, c1, _ := scanJSON(t, "--base", "HEAD~1", "--scanners", only, dir)
	byTree, c2, _ := scanJSON(t, "--base", "HEAD~1^{tree}", "--scanners", only, dir)
	if diff := cmp.Diff(byCommit, byTree); diff != "" || c1 != c2 {
		t.Errorf("--base HEAD~1^{tree} (exit %d) differs from --base HEAD~1 (exit %d):\n%s", c2, c1, diff)
	}

	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--base", "0123456789abcdef0123456789abcdef01234567", dir}, nil, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "no such commit or tree") {
		t.Errorf("unknown base: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"scan", "--all", "--base", "HEAD", dir}, nil, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "--all") {
		t.Errorf("--all --base: exit %d, stderr %q; want 2, refused", code, stderr.String())
	}
}
