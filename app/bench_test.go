package app_test

import (
	"bytes"
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners/diff"
)

// typicalPR is a pull request of 20 files adding about 500 lines: small,
// whole, real Go files from the toolchain's own source (so every scanner
// that parses them has real code to parse), 3 of them with a leaked secret
// in a comment added after the package clause.
func typicalPR(tb testing.TB) []githubtest.File {
	tb.Helper()
	l := newLeak()
	planted := map[int]string{2: "// token " + l.githubPAT, 9: "// key id " + l.awsKeyID, 17: "// backup " + randomToken(9, "ghp_", alnum, 36)}
	srcs := smallGoFiles(tb, 20)
	files := make([]githubtest.File, len(srcs))
	for i, src := range srcs {
		lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
		if s, ok := planted[i]; ok {
			at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "package ") }) + 1
			lines = slices.Insert(lines, at, s)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "@@ -0,0 +1,%d @@\n", len(lines))
		for _, text := range lines {
			b.WriteString("+" + text + "\n")
		}
		files[i] = githubtest.File{Filename: fmt.Sprintf("pkg/part%02d/file.go", i), Status: "added",
			Additions: len(lines), Changes: len(lines), Patch: b.String()}
	}
	return files
}

// smallGoFiles returns n real Go files of 20-30 lines from GOROOT/src that
// parse, in path order (the same ones on every run of a toolchain).
func smallGoFiles(tb testing.TB, n int) []string {
	tb.Helper()
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	root := filepath.Join(runtime.GOROOT(), "src")
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || len(out) == n {
			return filepath.SkipDir
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if lines := bytes.Count(b, []byte("\n")); lines < 20 || lines > 30 {
			return nil
		}
		if _, err := parser.ParseFile(token.NewFileSet(), p, b, parser.SkipObjectResolution); err != nil {
			return nil
		}
		out = append(out, string(b))
		return nil
	})
	if err != nil || len(out) < n {
		tb.Skipf("Go source not available (%d small files): %v", len(out), err)
	}
	return out
}

// BenchmarkScanTypicalPR is the in-process review of a typical pull request
// (20 files, about 500 added lines) through the review pipeline: what a
// worker spends between fetching the change and posting. Goal: under 5 ms.
func BenchmarkScanTypicalPR(b *testing.B) {
	list, err := app.DefaultScanners()
	if err != nil {
		b.Fatal(err)
	}
	var files []*diff.File
	for _, f := range typicalPR(b) {
		d, err := diff.ParsePatch(f.Filename, f.Filename, f.Patch)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, d)
	}
	ctx := context.Background()
	opt := review.Options{Scanners: list, Inline: true, Review: comments.Options{Flavor: comments.GitHub}}
	b.ReportAllocs()
	for b.Loop() {
		out, err := review.Run(ctx, listedChange(files), opt)
		if err != nil || len(out.Result.Findings) < 3 || out.Result.Incomplete() {
			b.Fatalf("err %v, outcome %+v", err, out)
		}
	}
}

// listedChange is a change whose files are listed and whose modified files
// are not at hand: they are scanned by their added lines, as when no
// scanner needs them whole.
type listedChange []*diff.File

func (listedChange) Policy(context.Context) (*review.Policy, error) {
	return review.DefaultPolicy(), nil
}
func (l listedChange) Files(_ context.Context, yield func(*diff.File) error) ([]error, error) {
	for _, f := range l {
		if err := yield(f); err != nil {
			return nil, err
		}
	}
	return nil, nil
}
func (listedChange) Read(context.Context, string) ([]byte, error) { return nil, nil }

// BenchmarkWebhookToCheckRun measures, for a typical pull request, the time
// from posting the signed delivery to the check run being completed on a
// fake GitHub on loopback: acknowledge, Redis, worker, GitHub API round trips
// (token, check run, files, comments, review, completion).
func BenchmarkWebhookToCheckRun(b *testing.B) {
	opened := corpusPayload(b, "pull_request/opened.payload.json")
	e := newEnv(b)
	e.startWorkers()
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		sha := fmt.Sprintf("%040x", i+1)
		e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: sha, Files: typicalPR(b)})
		body := []byte(strings.ReplaceAll(string(opened), headSHA, sha))
		start := time.Now()
		if code := e.deliver("pull_request", fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i), body); code != http.StatusAccepted {
			b.Fatalf("delivery answered %d", code)
		}
		e.waitCompleted(sha)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkMergeRequestToStatus is the GitLab twin of
// BenchmarkWebhookToCheckRun: from a Merge Request Hook delivery for a
// typical merge request to the final commit status on a fake GitLab.
func BenchmarkMergeRequestToStatus(b *testing.B) {
	e := newGitLabEnv(b)
	e.startWorkers()
	var diffs []gitlabtest.Diff
	for _, f := range typicalPR(b) {
		diffs = append(diffs, gitlabtest.Diff{OldPath: f.Filename, NewPath: f.Filename, Diff: f.Patch, NewFile: true})
	}
	mr := glPayload(b, "go-gitlab/merge_request.json")
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		sha := fmt.Sprintf("%040x", i+1)
		e.gl.AddVersion(glProject, glIID, gitlabtest.Version{ID: int64(100 + i), BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: sha, Diffs: diffs})
		body := bytes.ReplaceAll(mr, []byte(glHeadSHA), []byte(sha))
		start := time.Now()
		if code := e.deliverGitLab("Merge Request Hook", fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i), glSecret, body); code != http.StatusAccepted {
			b.Fatalf("delivery answered %d", code)
		}
		e.waitStatus(sha)
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
