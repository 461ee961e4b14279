package ratelimit_test

// The API budget through the GitLab adapter: the fake GitLab's answers
// carry RateLimit-Remaining and RateLimit-Reset (added by glQuota, in
// GitLab's shape), and two processes with the same token share the budget
// through the test Redis.

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

const (
	glToken   = "glpat-budget-test"
	glProject = 42
	glHead    = "2222222222222222222222222222222222222222"
)

// glQuota is GitLab's per-user limit in front of the fake: every request
// spends one and every answer says what is left.
type glQuota struct {
	mu        sync.Mutex
	limit     int
	remaining int
	reset     time.Time
	at        []time.Time
}

func (q *glQuota) RoundTrip(req *http.Request) (*http.Response, error) {
	q.mu.Lock()
	q.at = append(q.at, time.Now())
	q.remaining = max(q.remaining-1, 0)
	rem := q.remaining
	q.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Header.Set("RateLimit-Limit", strconv.Itoa(q.limit))
	resp.Header.Set("RateLimit-Remaining", strconv.Itoa(rem))
	resp.Header.Set("RateLimit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
	return resp, nil
}

func TestGitLabLowQuotaSharedAndFitted(t *testing.T) {
	srv := gitlabtest.New(t, glToken)
	srv.AddProject(gitlabtest.Project{ID: glProject, PathWithNamespace: "acme/widgets", DefaultBranch: "main"})
	srv.AddMR(glProject, gitlabtest.MergeRequest{IID: 7, SourceBranch: "feature", TargetBranch: "main", Versions: []gitlabtest.Version{
		{BaseSHA: "1111111111111111111111111111111111111111", StartSHA: "4444444444444444444444444444444444444444", HeadSHA: glHead,
			Diffs: []gitlabtest.Diff{{OldPath: "a.go", NewPath: "a.go", NewFile: true, Diff: "@@ -0,0 +1,5 @@\n+one\n+two\n+three\n+four\n+five\n"}}},
	}})
	quota := &glQuota{limit: 2000, remaining: 40, reset: time.Now().Add(9 * time.Second)}
	url, prefix := budgetPrefix(t)
	var clients []platform.Client
	for range 2 {
		rdb := redistest.Client(t, url)
		t.Cleanup(func() { rdb.Close() })
		store := ratelimit.New(rdb, prefix, nil)
		f, err := gitlab.NewFactory(gitlab.Config{BaseURL: srv.URL, Token: glToken, Transport: quota,
			Windows: store, Budget: store, Reserve: 500, RetryBackoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Client(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	ch := platform.Change{Platform: platform.GitLab, Repo: platform.Repo{ID: glProject, Owner: "acme", Name: "widgets", DefaultBranch: "main"},
		Number: 7, BaseSHA: "main", HeadSHA: glHead, Ref: "feature"}
	ctx := context.Background()
	if _, err := clients[0].Files(ctx, ch); err != nil {
		t.Fatal(err)
	}
	quota.mu.Lock()
	first := len(quota.at)
	quota.mu.Unlock()
	if _, err := clients[1].Files(ctx, ch); err != nil {
		t.Fatalf("the second process failed, want it slowed down: %v", err)
	}
	quota.mu.Lock()
	at := append([]time.Time(nil), quota.at[first:]...)
	quota.mu.Unlock()
	// Under 40 left over about 8 s: a turn every 200 ms or more.
	if span := at[len(at)-1].Sub(at[0]); len(at) >= 2 && span < time.Duration(len(at)-1)*120*time.Millisecond {
		t.Errorf("the second process sent %d requests within %s: the shared quota must spread them", len(at), span)
	}
	b, ok := clients[1].(platform.Budgeted)
	if !ok {
		t.Fatal("the GitLab client does not report its budget")
	}
	n, costs := b.Budget(ctx)
	if n < 0 || n > 1 {
		t.Errorf("affordable while spreading = %d, want 0 or 1", n)
	}
	var fs []scanners.Finding
	for i := 1; i <= 5; i++ {
		fs = append(fs, scanners.Finding{Scanner: "code", RuleID: "code/x", Severity: scanners.SeverityHigh, Title: "X",
			Location: scanners.Location{Path: "a.go", StartLine: i, EndLine: i}, Identity: strconv.Itoa(i)})
	}
	r := comments.Build(&scanners.Result{Findings: fs}, everyLine{}, comments.Options{Flavor: comments.GitLab})
	r.Fit(n, costs)
	if len(r.Inline) != 0 || len(r.Unplaced) != 5 {
		t.Errorf("fitted to %d requests: inline %d, summary %d; want every finding in the summary", n, len(r.Inline), len(r.Unplaced))
	}
}

type everyLine struct{}

func (everyLine) Commentable(string, int) bool { return true }
