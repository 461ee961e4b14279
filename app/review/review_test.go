package review_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// change is a Source held in memory: files by path at the head, a policy
// read from base files through ReadPolicy.
type change struct {
	files []*diff.File
	head  map[string]string
	base  map[string]string
	gaps  []error
	mu    sync.Mutex
	reads []string
}

func (c *change) Policy(ctx context.Context) (*review.Policy, error) {
	var paths []string
	for _, f := range c.files {
		paths = append(paths, f.Path())
	}
	return review.ReadPolicy(ctx, review.PolicyFrom{Base: mapBase(c.base), Paths: paths})
}

func (c *change) Files(_ context.Context, yield func(*diff.File) error) ([]error, error) {
	for _, f := range c.files {
		if err := yield(f); err != nil {
			return nil, err
		}
	}
	return c.gaps, nil
}

func (c *change) Read(_ context.Context, path string) ([]byte, error) {
	c.mu.Lock()
	c.reads = append(c.reads, path)
	c.mu.Unlock()
	s, ok := c.head[path]
	if !ok {
		return nil, platform.ErrNotFound
	}
	if s == "<502>" {
		return nil, errors.New("502 bad gateway")
	}
	return []byte(s), nil
}

// mapBase is a base that cannot list its tree (as GitLab's): each
// directory is asked.
type mapBase map[string]string

func (b mapBase) ReadFile(_ context.Context, path string) ([]byte, error) {
	if s, ok := b[path]; ok {
		return []byte(s), nil
	}
	return nil, fmt.Errorf("%s: %w", path, platform.ErrNotFound)
}

func (mapBase) FilesNamed(context.Context, ...string) ([]string, bool, error) { return nil, false, nil }

// file is a modified file adding lines at the given numbers.
func file(path string, added map[int]string) *diff.File {
	f := &diff.File{OldPath: path, NewPath: path}
	h := diff.Hunk{NewStart: 1 << 30}
	for n, text := range added {
		h.NewStart = min(h.NewStart, n)
		h.NewLines = max(h.NewLines, n)
		h.Lines = append(h.Lines, diff.Line{Op: diff.Add, NewNumber: n, Text: text})
	}
	h.NewLines -= h.NewStart - 1
	f.Hunks = []diff.Hunk{h}
	return f
}

// marker reports every added line holding "BAD" (high), and a file's
// whole content when it needs it (*.yaml).
type marker struct{}

func (marker) Name() string               { return "marker" }
func (marker) Wants(string) bool          { return true }
func (marker) NeedsContent(p string) bool { return strings.HasSuffix(p, ".yaml") }
func (marker) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for _, l := range in.Added {
		if i := strings.Index(l.Text, "BAD"); i >= 0 {
			out = append(out, scanners.Finding{Scanner: "marker", RuleID: "marker/bad", Severity: scanners.SeverityHigh,
				Title: "bad", Message: "found " + l.Text, Evidence: l.Text, Identity: l.Text,
				Location: scanners.Location{Path: in.Path, StartLine: l.Number, EndLine: l.Number}})
		}
	}
	return out, nil
}

// token reports "tok_" followed by 12 characters in .env files as a secret
// (Sensitive).
type token struct{}

func (token) Name() string        { return "secrets" }
func (token) Wants(p string) bool { return strings.HasSuffix(p, ".env") }
func (token) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for _, l := range in.Added {
		if i := strings.Index(l.Text, "tok_"); i >= 0 && len(l.Text) >= i+16 {
			out = append(out, scanners.Finding{Scanner: "secrets", RuleID: "secrets/tok", Severity: scanners.SeverityCritical,
				Title: "token", Message: "a token", Identity: "digest", Sensitive: true,
				Location: scanners.Location{Path: in.Path, StartLine: l.Number, EndLine: l.Number, StartColumn: i + 1, EndColumn: i + 16}})
		}
	}
	return out, nil
}

func run(t *testing.T, c *change, opt review.Options) *review.Outcome {
	t.Helper()
	if opt.Scanners == nil {
		opt.Scanners = []scanners.Scanner{marker{}}
	}
	opt.Review.FailOn = scanners.SeverityHigh
	opt.Inline = true
	out, err := review.Run(context.Background(), c, opt)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunReviewsWhatTheChangeAdds(t *testing.T) {
	c := &change{files: []*diff.File{
		file("a.go", map[int]string{3: "x := BAD"}),
		file("b.go", map[int]string{1: "fine"}),
		{OldPath: "gone.go", IsDelete: true},
	}}
	out := run(t, c, review.Options{})
	if out.Review.Conclusion != comments.Failure || len(out.Review.Findings) != 1 || out.Review.Findings[0].Location.Path != "a.go" {
		t.Fatalf("review %s with %+v, want one failing finding in a.go", out.Review.Conclusion, out.Review.Findings)
	}
	if len(out.Review.Inline) != 1 || out.Review.Inline[0].Line != 3 {
		t.Errorf("inline = %+v, want the finding on a.go:3", out.Review.Inline)
	}
	if out.Files != 3 || out.Reviewed != 2 {
		t.Errorf("files %d reviewed %d, want 3 listed and 2 with added lines", out.Files, out.Reviewed)
	}
}

// The policy is the base's: the change's own .shiftward.yml applies once
// merged and says so in notes; a subdirectory's file applies below it.
func TestRunAppliesTheBasePolicy(t *testing.T) {
	c := &change{
		files: []*diff.File{
			file("svc/a.go", map[int]string{1: "BAD one"}),
			file("web/b.go", map[int]string{1: "BAD two"}),
			file(config.RepoFile, map[int]string{1: "version: 1"}),
		},
		base: map[string]string{"svc/" + config.RepoFile: "version: 1\nignore_paths: ['**']\n"},
		head: map[string]string{config.RepoFile: "version: 1\nfail_on: critical\n"},
	}
	out := run(t, c, review.Options{})
	if len(out.Review.Findings) != 1 || out.Review.Findings[0].Location.Path != "web/b.go" {
		t.Errorf("findings %+v, want web/b.go's only (svc/ ignores its own)", out.Review.Findings)
	}
	if out.Review.Conclusion != comments.Failure {
		t.Errorf("conclusion %s: the change's own fail_on must not apply before merge", out.Review.Conclusion)
	}
	if !strings.Contains(strings.Join(out.Notes, "\n"), "after merge: fail_on changes") {
		t.Errorf("notes %q lack what the change's configuration will change", out.Notes)
	}
}

// Everything the change's listing or configuration leaves out makes the
// review incomplete: never a pass.
func TestRunGapsAreIncomplete(t *testing.T) {
	c := &change{files: []*diff.File{file("a.go", map[int]string{1: "fine"})}, gaps: []error{errors.New("c.go: too large")}}
	out := run(t, c, review.Options{})
	if out.Review.Conclusion == comments.Success || !strings.Contains(strings.Join(out.Review.Incomplete, "\n"), "c.go: too large") {
		t.Errorf("conclusion %s, incomplete %q: a gap must show", out.Review.Conclusion, out.Review.Incomplete)
	}
}

// A read that fails for a reason other than absence fails the run (the
// worker retries), and stops it.
func TestRunFailsOnAFailedRead(t *testing.T) {
	var files []*diff.File
	for i := range 50 {
		files = append(files, file(fmt.Sprintf("f%02d.yaml", i), map[int]string{2: "x"}))
	}
	c := &change{files: files, head: map[string]string{"f00.yaml": "<502>"}}
	_, err := review.Run(context.Background(), c, review.Options{Scanners: []scanners.Scanner{marker{}}, Concurrency: 1})
	if err == nil || !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "f00.yaml") {
		t.Fatalf("err = %v, want the read failure naming f00.yaml", err)
	}
	if n := len(c.reads); n > 3 {
		t.Errorf("%d files read after the failure, want the run stopped", n)
	}
}

// A secret one file holds is masked wherever another file's finding
// quotes it, though each file is scanned and let go on its own.
func TestRunMasksASecretAcrossFiles(t *testing.T) {
	secret := "tok_abcdefghijkl"
	c := &change{files: []*diff.File{
		file("a.env", map[int]string{1: "KEY=" + secret}),
		file("b.go", map[int]string{1: "BAD " + secret}),
	}}
	out := run(t, c, review.Options{Scanners: []scanners.Scanner{token{}, marker{}}, Concurrency: 2})
	for _, f := range out.Result.Findings {
		if strings.Contains(f.Message+f.Evidence, secret) {
			t.Errorf("%s quotes the secret: %q / %q", f.RuleID, f.Message, f.Evidence)
		}
	}
	if len(out.Result.Findings) != 2 {
		t.Errorf("findings %+v, want the token and the marker", out.Result.Findings)
	}
}

// The one per-job hook sees the policy, replaces scanners, and its
// problems fail the review.
func TestRunCustomize(t *testing.T) {
	c := &change{files: []*diff.File{file("a.go", map[int]string{1: "fine"})}, base: map[string]string{review.GitleaksFile: "[extend]"}}
	var saw string
	out := run(t, c, review.Options{Customize: func(list []scanners.Scanner, p *review.Policy) ([]scanners.Scanner, []string) {
		saw = string(p.Gitleaks)
		return list, []string{"secret rules: broken; the default rules ran instead"}
	}})
	if saw != "[extend]" {
		t.Errorf("Customize saw %q, want the base's .gitleaks.toml", saw)
	}
	if out.Review.Conclusion != comments.Failure {
		t.Errorf("conclusion %s: a problem must fail the review", out.Review.Conclusion)
	}
}

// batch sees every file it wants at once.
type batch struct{ calls, files int }

func (*batch) Name() string      { return "batch" }
func (*batch) Wants(string) bool { return true }
func (*batch) Scan(context.Context, *scanners.Input) ([]scanners.Finding, error) {
	panic("a batch scanner is not called per file")
}
func (b *batch) ScanBatch(_ context.Context, ins []*scanners.Input) ([]scanners.Finding, error) {
	b.calls++
	b.files += len(ins)
	return nil, nil
}

func TestRunHandsBatchScannersTheWholeChange(t *testing.T) {
	var files []*diff.File
	for i := range 30 {
		files = append(files, file(fmt.Sprintf("f%02d.go", i), map[int]string{1: "x"}))
	}
	b := &batch{}
	run(t, &change{files: files}, review.Options{Scanners: []scanners.Scanner{b, marker{}}, Concurrency: 4})
	if b.calls != 1 || b.files != 30 {
		t.Errorf("batch scanner called %d times with %d files, want once with 30", b.calls, b.files)
	}
}
