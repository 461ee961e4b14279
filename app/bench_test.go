package app_test

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/shiftward/shiftward/app/worker"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// typicalPR is a pull request of 20 files adding 500 lines of real Go source
// (from the toolchain's own net/http), 3 of them leaking secrets.
func typicalPR(tb testing.TB) []githubtest.File {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "net", "http", "server.go"))
	if err != nil {
		tb.Skipf("Go source not available: %v", err)
	}
	lines := strings.Split(string(src), "\n")
	l := newLeak()
	planted := map[int]string{2: `var token = "` + l.githubPAT + `"`, 9: `keyID := "` + l.awsKeyID + `"`, 17: `var t2 = "` + randomToken(9, "ghp_", alnum, 36) + `"`}
	files := make([]githubtest.File, 20)
	for i := range files {
		var b strings.Builder
		fmt.Fprintf(&b, "@@ -0,0 +1,25 @@\n")
		for j := range 25 {
			text := lines[(i*25+j)%len(lines)]
			if s, ok := planted[i]; ok && j == 12 {
				text = s
			}
			b.WriteString("+" + text + "\n")
		}
		files[i] = githubtest.File{Filename: fmt.Sprintf("pkg/part%02d/file.go", i), Status: "added",
			Additions: 25, Changes: 25, Patch: b.String()}
	}
	return files
}

// BenchmarkScanTypicalPR is the in-process scan of a typical pull request
// (20 files, 500 added lines): what a worker spends between fetching the
// change and posting. Goal: under 5 ms.
func BenchmarkScanTypicalPR(b *testing.B) {
	list, err := app.DefaultScanners()
	if err != nil {
		b.Fatal(err)
	}
	var inputs []*scanners.Input
	for _, f := range typicalPR(b) {
		d, err := diff.ParsePatch(f.Filename, f.Filename, f.Patch)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, worker.Input(d))
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := scanners.Run(ctx, list, inputs)
		if err != nil || len(res.Findings) < 3 {
			b.Fatalf("findings %d, err %v", len(res.Findings), err)
		}
	}
}

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
