package worker_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/app/worker"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// fakeClient records what the worker asked of the platform.
type fakeClient struct {
	files    []*diff.File
	gaps     []string // what the listing says it left out
	filesErr error
	// contents maps "sha:path" to a file's content; others are not found.
	contents map[string]string
	calls    []string
	review   *comments.Review
	// mu guards calls: the worker reads configuration files concurrently.
	mu sync.Mutex
}

var _ platform.Client = (*fakeClient)(nil)

func (f *fakeClient) Files(context.Context, platform.Change) (platform.Listing, error) {
	f.calls = append(f.calls, "Files")
	return platform.Listing{Files: f.files, Gaps: f.gaps}, f.filesErr
}

func (f *fakeClient) FileContent(_ context.Context, _ platform.Change, path, sha string) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, "FileContent")
	f.mu.Unlock()
	if c, ok := f.contents[sha+":"+path]; ok {
		return []byte(c), nil
	}
	return nil, platform.ErrNotFound
}

func (f *fakeClient) BeginCheck(context.Context, platform.Change) (platform.CheckID, error) {
	f.calls = append(f.calls, "BeginCheck")
	return platform.CheckID{ID: 7}, nil
}

func (f *fakeClient) Publish(_ context.Context, _ platform.Change, check platform.CheckID, r *comments.Review) error {
	f.calls = append(f.calls, "Publish")
	f.review = r
	return nil
}

func (f *fakeClient) Supersede(context.Context, platform.Change, platform.CheckID, string) error {
	f.calls = append(f.calls, "Supersede")
	return nil
}

type factory struct{ c *fakeClient }

func (f factory) Client(context.Context, int64) (platform.Client, error) { return f.c, nil }

// freshness answers Current from a script: one answer per call.
type freshness struct{ answers []bool }

func (f *freshness) Current(context.Context, queue.Job) (bool, error) {
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}

// wordScanner reports every added line containing "danger".
type wordScanner struct{}

func (wordScanner) Name() string           { return "code" }
func (wordScanner) Wants(path string) bool { return strings.HasSuffix(path, ".go") }
func (wordScanner) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for _, l := range in.Added {
		if strings.Contains(l.Text, "danger") {
			out = append(out, scanners.Finding{Scanner: "code", RuleID: "code/danger", Severity: scanners.SeverityHigh,
				Title: "Danger", Location: scanners.Location{Path: in.Path, StartLine: l.Number, EndLine: l.Number}})
		}
	}
	return out, nil
}

func changedFile(t *testing.T) *diff.File {
	t.Helper()
	f, err := diff.ParsePatch("a.go", "a.go", "@@ -1,2 +1,3 @@\n keep\n-danger removed\n+safe\n+danger added\n")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func job() queue.Job {
	return queue.Job{ID: "j1", Kind: platform.KindReview, Change: platform.Change{
		Platform: platform.GitHub, Installation: 1, Repo: platform.Repo{Owner: "o", Name: "r"},
		Number: 2, BaseSHA: strings.Repeat("a", 40), HeadSHA: strings.Repeat("b", 40),
	}}
}

func newWorker(c *fakeClient, fresh ...bool) *worker.Worker {
	return &worker.Worker{
		Platforms: map[platform.Name]platform.Factory{platform.GitHub: factory{c}},
		Scanners:  []scanners.Scanner{wordScanner{}},
		Freshness: &freshness{answers: fresh},
		Log:       slog.New(slog.DiscardHandler),
		FailOn:    scanners.SeverityHigh,
	}
}

func TestHandlePublishesReviewOfAddedLinesOnly(t *testing.T) {
	c := &fakeClient{files: []*diff.File{changedFile(t)}}
	if err := newWorker(c, true, true).Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	// FileContent three times: .shiftward.yml, .gitattributes and
	// .gitleaks.toml at the base.
	if got := strings.Join(c.calls, ","); got != "BeginCheck,Files,FileContent,FileContent,FileContent,Publish" {
		t.Errorf("calls = %s", got)
	}
	if c.review == nil || len(c.review.Findings) != 1 || c.review.Findings[0].Location.StartLine != 3 {
		t.Fatalf("review findings = %+v, want the one on added line 3 (not the deleted line)", c.review)
	}
	if c.review.Conclusion != comments.Failure || len(c.review.Inline) != 1 {
		t.Errorf("conclusion %s, inline %d; want failure with one inline comment", c.review.Conclusion, len(c.review.Inline))
	}
}

func TestHandlePushHasNoInlineComments(t *testing.T) {
	c := &fakeClient{files: []*diff.File{changedFile(t)}}
	j := job()
	j.Kind, j.Change.Number, j.Change.Ref = platform.KindPush, 0, "main"
	if err := newWorker(c, true, true).Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if c.review == nil || len(c.review.Inline) != 0 || len(c.review.Unplaced) != 1 {
		t.Errorf("push review = %+v, want the finding in the summary only", c.review)
	}
}

func TestHandleSuperseded(t *testing.T) {
	t.Run("before start: nothing touched", func(t *testing.T) {
		c := &fakeClient{}
		if err := newWorker(c, false).Handle(context.Background(), job()); err != nil {
			t.Fatal(err)
		}
		if len(c.calls) != 0 {
			t.Errorf("calls = %v, want none", c.calls)
		}
	})
	t.Run("while running: check ends superseded, nothing posted", func(t *testing.T) {
		c := &fakeClient{files: []*diff.File{changedFile(t)}}
		if err := newWorker(c, true, false).Handle(context.Background(), job()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(c.calls, ","); got != "BeginCheck,Files,FileContent,FileContent,FileContent,Supersede" {
			t.Errorf("calls = %s", got)
		}
	})
}

func TestHandleErrors(t *testing.T) {
	t.Run("files error is retried", func(t *testing.T) {
		c := &fakeClient{filesErr: errors.New("boom")}
		err := newWorker(c, true).Handle(context.Background(), job())
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Errorf("err = %v", err)
		}
		var p *platform.PermanentError
		if errors.As(err, &p) {
			t.Errorf("a transient error became permanent")
		}
	})
	t.Run("unknown platform is permanent", func(t *testing.T) {
		j := job()
		j.Change.Platform = "bitbucket"
		err := newWorker(&fakeClient{}, true).Handle(context.Background(), j)
		var p *platform.PermanentError
		if !errors.As(err, &p) {
			t.Errorf("err = %v, want PermanentError", err)
		}
	})
}

func TestHandleGapsMakeTheReviewIncomplete(t *testing.T) {
	a, err := diff.ParsePatch("a.go", "a.go", "@@ -1 +1,2 @@\n keep\n+fine\n")
	if err != nil {
		t.Fatal(err)
	}
	c := &fakeClient{files: []*diff.File{a}, gaps: []string{"12 files past GitHub's 3000-file listing were not scanned"}}
	if err := newWorker(c, true, true).Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	r := c.review
	if r == nil || r.Conclusion != comments.Neutral || len(r.Incomplete) != 1 || !strings.Contains(r.Incomplete[0], "3000-file") {
		t.Errorf("review = %+v, want neutral and incomplete with the gap", r)
	}
}

func TestHandleLastAttemptEndsTheCheckIncomplete(t *testing.T) {
	c := &fakeClient{filesErr: errors.New("502 Bad Gateway")}
	w := newWorker(c, true)
	w.MaxAttempts = 3
	j := job()
	j.Attempt = 2 // the third and last run
	if err := w.Handle(context.Background(), j); err == nil {
		t.Fatal("Handle hid the error from the queue")
	}
	if got := strings.Join(c.calls, ","); got != "BeginCheck,Files,BeginCheck,Publish" {
		t.Errorf("calls = %s", got)
	}
	r := c.review
	if r == nil || r.Conclusion != comments.Neutral || len(r.Incomplete) != 1 || !strings.Contains(r.Incomplete[0], "502") {
		t.Errorf("review = %+v, want a neutral, incomplete review naming the failure", r)
	}

	// An earlier attempt leaves the check to the retry.
	c2 := &fakeClient{filesErr: errors.New("502 Bad Gateway")}
	w2 := newWorker(c2, true)
	w2.MaxAttempts = 3
	if err := w2.Handle(context.Background(), job()); err == nil || c2.review != nil {
		t.Errorf("first attempt published %+v", c2.review)
	}
}

// A rate limit is waited out, so the check stays with the retry, until the
// job has waited out as many windows as the queue allows: then it is a
// failure like any other, and the last attempt ends the check.
func TestHandleRateLimitOnTheLastAttempt(t *testing.T) {
	limited := &platform.RateLimitError{After: time.Minute, Err: errors.New("429")}
	c := &fakeClient{filesErr: limited}
	w := newWorker(c, true)
	w.MaxAttempts = 3
	j := job()
	j.Attempt = 2
	if err := w.Handle(context.Background(), j); err == nil || c.review != nil {
		t.Errorf("a rate limit with waits left ended the check: %+v", c.review)
	}
	c2 := &fakeClient{filesErr: limited}
	w2 := newWorker(c2, true)
	w2.MaxAttempts = 3
	j.Waits = queue.MaxRateLimitWaits
	if err := w2.Handle(context.Background(), j); err == nil || c2.review == nil || c2.review.Conclusion != comments.Neutral {
		t.Errorf("the last attempt after every wait left the check running: %+v", c2.review)
	}
}

func TestHandleAppliesBaseConfig(t *testing.T) {
	j := job()
	tests := []struct {
		name       string
		config     string
		conclusion comments.Conclusion
		findings   int
		inline     int
		summary    []string
	}{
		{"rule off", "version: 1\nrules:\n  code/danger: off\n", comments.Success, 0, 0, []string{"1 finding(s) suppressed"}},
		{"re-graded below fail_on", "version: 1\nrules:\n  code/danger: low\n", comments.Success, 1, 1, nil},
		{"path ignored", "version: 1\nignore_paths: [\"*.go\"]\n", comments.Success, 0, 0, nil},
		{"check-only", "version: 1\ncomments:\n  mode: check-only\n", comments.Failure, 1, 0, []string{"inline comments are off"}},
		{"invalid config fails, scan still runs", "version: 1\nfail_onn: low\n", comments.Failure, 1, 1, []string{"Problems to fix", ".shiftward.yml:2:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &fakeClient{files: []*diff.File{changedFile(t)}, contents: map[string]string{j.Change.BaseSHA + ":.shiftward.yml": tt.config}}
			if err := newWorker(c, true, true).Handle(context.Background(), j); err != nil {
				t.Fatal(err)
			}
			r := c.review
			if r.Conclusion != tt.conclusion || len(r.Findings) != tt.findings || len(r.Inline) != tt.inline {
				t.Errorf("conclusion %s, findings %d, inline %d; want %s, %d, %d\n%s", r.Conclusion, len(r.Findings), len(r.Inline),
					tt.conclusion, tt.findings, tt.inline, r.Summary())
			}
			for _, want := range tt.summary {
				if !strings.Contains(r.Summary(), want) {
					t.Errorf("summary lacks %q:\n%s", want, r.Summary())
				}
			}
		})
	}
}

// A configuration problem quotes the value it could not read: a token
// pasted there must not come back whole in the check's summary.
func TestHandleNeverQuotesASecretInAProblem(t *testing.T) {
	j := job()
	token := "ghp_" + strings.Repeat("aB3dE5gH7jK9", 3) // GitHub PAT shape: ghp_ and 36 alphanumerics
	c := &fakeClient{files: []*diff.File{changedFile(t)},
		contents: map[string]string{j.Change.BaseSHA + ":.shiftward.yml": "version: 1\nfail_on: " + token + "\n"}}
	w := newWorker(c, true, true)
	sec, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}
	w.Scanners = append(w.Scanners, sec)
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	sum := c.review.Summary()
	if !strings.Contains(sum, ".shiftward.yml:2") {
		t.Fatalf("the problem is not reported:\n%s", sum)
	}
	// Markdown escapes ("ghp\_…") must not hide a quoted token from the test.
	unescaped := strings.ReplaceAll(sum+c.review.Text(), `\`, "")
	if strings.Contains(unescaped, token) {
		t.Errorf("the review quotes the token:\n%s", sum)
	}
}

func TestHandleIgnoresTheHeadConfig(t *testing.T) {
	// The pull request switches the rule off in its own .shiftward.yml:
	// that applies only after merge, so the finding still fails the review.
	j := job()
	cfg, err := diff.ParsePatch(".shiftward.yml", ".shiftward.yml", "@@ -0,0 +1,3 @@\n+version: 1\n+rules:\n+  code/danger: off\n")
	if err != nil {
		t.Fatal(err)
	}
	c := &fakeClient{files: []*diff.File{changedFile(t), cfg},
		contents: map[string]string{j.Change.HeadSHA + ":.shiftward.yml": "version: 1\nrules:\n  code/danger: off\n"}}
	if err := newWorker(c, true, true).Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if c.review.Conclusion != comments.Failure || len(c.review.Findings) != 1 {
		t.Errorf("the change's own config weakened its review: %s with %d findings", c.review.Conclusion, len(c.review.Findings))
	}
	for _, want := range []string{"applies once merged", "after merge: rule code/danger is off"} {
		if !strings.Contains(c.review.Summary(), want) {
			t.Errorf("summary lacks %q:\n%s", want, c.review.Summary())
		}
	}
}

func TestHandleBrokenRepoSecretRules(t *testing.T) {
	j := job()
	c := &fakeClient{files: []*diff.File{changedFile(t)}, contents: map[string]string{j.Change.BaseSHA + ":.gitleaks.toml": "[[rules]\nbroken"}}
	w := newWorker(c, true, true)
	var got []byte
	w.Customize = func(list []scanners.Scanner, p *review.Policy, client platform.Client) ([]scanners.Scanner, []string) {
		got = p.Gitleaks
		return app.Customize(list, p, client)
	}
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if string(got) != "[[rules]\nbroken" {
		t.Errorf("Customize got %q, want the base's .gitleaks.toml", got)
	}
	r := c.review
	if r.Conclusion != comments.Failure || len(r.Findings) != 1 || !strings.Contains(r.Summary(), "the default rules ran instead") {
		t.Errorf("a broken rule set must fail the review and fall back to the defaults; got %s, %d findings:\n%s", r.Conclusion, len(r.Findings), r.Summary())
	}
}

// TestConfigReadOncePerBase: every job of a repository at the same base
// sha reads its .shiftward.yml, .gitattributes and .gitleaks.toml once per
// worker process
// (a commit never changes), found or not; a base given as a branch name is
// read each time.
func TestConfigReadOncePerBase(t *testing.T) {
	base := strings.Repeat("a", 40)
	c := &fakeClient{files: []*diff.File{changedFile(t)}, contents: map[string]string{base + ":.shiftward.yml": "version: 1\nfail_on: critical\n"}}
	w := newWorker(c, true, true, true, true)
	for range 2 {
		if err := w.Handle(context.Background(), job()); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(strings.Join(c.calls, ","), "FileContent"); n != 3 {
		t.Errorf("%d FileContent calls for two jobs at one base, want 3 (each file once)", n)
	}
	if c.review.Conclusion != comments.Success {
		t.Errorf("the cached configuration was not applied: %s", c.review.Conclusion)
	}
	c.calls = nil
	j := job()
	j.Change.BaseSHA = "main"
	w = newWorker(c, true, true, true, true)
	for range 2 {
		if err := w.Handle(context.Background(), j); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(strings.Join(c.calls, ","), "FileContent"); n != 6 {
		t.Errorf("%d FileContent calls at a branch base, want 6 (not cached)", n)
	}
}
