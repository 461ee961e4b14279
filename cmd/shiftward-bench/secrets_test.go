package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app"
)

// tinySource writes n small Go files to a new directory, as GOROOT's src
// stands in for in the benchmark.
func tinySource(t *testing.T, n int) string {
	t.Helper()
	src := t.TempDir()
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "package p%02d\n\n", i)
		for j := range 100 {
			fmt.Fprintf(&b, "// comment %d of file %d\n", j, i)
		}
		b.WriteString("func f() {}\n")
		dir := filepath.Join(src, fmt.Sprintf("p%02d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "f.go"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

// TestGitBenchPlantsMatchScan builds a tiny git-mode repository, one plant
// of every kind, and checks that `shiftward scan --base` (run in process)
// reports each plant at the path and new-file lines the benchmark expects,
// that a line off is not taken for a hit, that the plants are those of the
// stdin mode's diff, and that a second build with the same key reuses the
// repository.
func TestGitBenchPlantsMatchScan(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	// The scan runs git as users do; no configuration of this machine's
	// may change what it sees.
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	ctx := context.Background()
	src := tinySource(t, 2*len(plantKinds))
	const size = 50000 // one pass over the files, not a second round
	n := len(plantKinds)
	dir := filepath.Join(t.TempDir(), "repo")
	g, err := buildGitBench(ctx, dir, src, "test key", size, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Plants) != n {
		t.Fatalf("%d plants, want %d", len(g.Plants), n)
	}
	for _, p := range g.Plants {
		if strings.HasPrefix(p.Path, "round") {
			t.Fatalf("plant in %s: the source went round twice, size too large for the test", p.Path)
		}
	}

	var out bytes.Buffer
	code, err := app.Scan(ctx, app.ScanOptions{Dir: dir, Base: g.Base, Format: "json", Scanners: []string{"secrets"}}, &out)
	if err != nil || code&app.ExitIncomplete != 0 {
		t.Fatalf("scan: exit %d, %v", code, err)
	}
	var res struct {
		Findings []swFinding `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	hits := swHits(res.Findings, g.Plants)
	for i, p := range g.Plants {
		if !hits[i] {
			t.Errorf("plant %s at %s:%d-%d not reported there (findings: %+v)", p.Kind, p.Path, p.NewLine, p.NewEnd, res.Findings)
		}
	}
	// A line off is a miss: the match is by line, not by file.
	off := make([]planted, len(g.Plants))
	for i, p := range g.Plants {
		p.NewLine, p.NewEnd = p.NewEnd+1, p.NewEnd+1
		off[i] = p
	}
	if c := count(swHits(res.Findings, off)); c != 0 {
		t.Errorf("%d plants moved a line past their secret still count as hits", c)
	}
	// gitleaks' git report names the file and the new file's lines.
	gl := make([]glFinding, len(res.Findings))
	for i, f := range res.Findings {
		gl[i] = glFinding{RuleID: f.Rule, File: f.Path, StartLine: f.Start, EndLine: f.End}
	}
	if c := count(glHits(gl, g.Plants, true)); c != n {
		t.Errorf("git-mode gitleaks matching: %d hits, want %d", c, n)
	}

	// The stdin mode plants the same secrets at the same new-file lines.
	var d bytes.Buffer
	plants, _, err := buildBenchDiff(&d, src, size, n)
	if err != nil {
		t.Fatal(err)
	}
	for i := range plants {
		a, b := plants[i], g.Plants[i]
		if a.Kind != b.Kind || a.Path != b.Path || a.NewLine != b.NewLine || a.NewEnd != b.NewEnd {
			t.Errorf("plant %d: diff %+v, git %+v", i, a, b)
		}
		if a.DiffLine == 0 || a.DiffEnd-a.DiffLine != a.NewEnd-a.NewLine {
			t.Errorf("plant %d: diff lines %d-%d for new lines %d-%d", i, a.DiffLine, a.DiffEnd, a.NewLine, a.NewEnd)
		}
	}

	// Same key: reused as it is. A work tree changed since: built anew.
	if g2, err := buildGitBench(ctx, dir, src, "test key", size, n); err != nil || g2.Head != g.Head {
		t.Fatalf("rebuild with the same key: %v, head %s, want %s", err, g2.Head, g.Head)
	}
	stray := filepath.Join(dir, g.Plants[0].Path)
	if err := os.WriteFile(stray, []byte("package changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := buildGitBench(ctx, dir, src, "test key", size, n); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(stray); string(data) == "package changed\n" {
		t.Error("a repository whose work tree changed was reused")
	}
}
