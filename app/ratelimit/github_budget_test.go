package ratelimit_test

// The API budget through the GitHub adapter, against the fake GitHub
// (which sends x-ratelimit-* on every answer) and the test Redis: two
// processes, each with its own factory and Redis connection, share one
// installation's budget.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

const (
	ghApp          = 4242
	ghInstallation = 77
	ghBase         = "1111111111111111111111111111111111111111"
	ghHead         = "2222222222222222222222222222222222222222"
	ghPatch        = "@@ -0,0 +1,5 @@\n+one\n+two\n+three\n+four\n+five"
)

var ghRepo = platform.Repo{ID: 1, Owner: "acme", Name: "widgets", DefaultBranch: "main"}

func ghChange() platform.Change {
	return platform.Change{Platform: platform.GitHub, Installation: ghInstallation, Repo: ghRepo, Number: 7, BaseSHA: ghBase, HeadSHA: ghHead, Ref: "feature"}
}

// arrivals records when each installation request left for GitHub, by
// method (token requests left out).
type arrivals struct {
	mu    sync.Mutex
	at    []time.Time
	write []time.Time
}

func (a *arrivals) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != fmt.Sprintf("/app/installations/%d/access_tokens", ghInstallation) {
		a.mu.Lock()
		a.at = append(a.at, time.Now())
		if req.Method != http.MethodGet {
			a.write = append(a.write, time.Now())
		}
		a.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

type ghFixture struct {
	srv     *githubtest.Server
	clients []platform.Client
	rec     *arrivals
	events  []hostapi.BudgetEvent
	mu      sync.Mutex
}

// newGitHubProcesses starts the fake GitHub and n processes sharing a
// budget in the test Redis.
func newGitHubProcesses(t *testing.T, n, reserve int, limits []hostapi.Rate) *ghFixture {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	fx := &ghFixture{srv: githubtest.New(t, ghApp, key), rec: &arrivals{}}
	fx.srv.AddRepo(githubtest.Repo{ID: ghRepo.ID, Owner: ghRepo.Owner, Name: ghRepo.Name, DefaultBranch: "main", Installation: ghInstallation})
	fx.srv.AddPull(ghRepo.Owner, ghRepo.Name, githubtest.PullRequest{Number: 7, BaseSHA: ghBase, HeadSHA: ghHead, BaseRef: "main", HeadRef: "feature",
		Files: []githubtest.File{{Filename: "app/main.go", Status: "added", Patch: ghPatch}}})
	url, prefix := budgetPrefix(t)
	for range n {
		rdb := redistest.Client(t, url)
		t.Cleanup(func() { rdb.Close() })
		store := ratelimit.New(rdb, prefix, nil)
		f, err := github.NewFactory(github.Config{
			AppID: ghApp, PrivateKeyPEM: key, BaseURL: fx.srv.URL, Transport: fx.rec,
			Windows: store, Budget: store, Reserve: reserve, ContentLimits: limits,
			RetryBackoff: time.Millisecond, Timeout: 10 * time.Second,
			ObserveBudget: func(e hostapi.BudgetEvent) {
				fx.mu.Lock()
				fx.events = append(fx.events, e)
				fx.mu.Unlock()
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Client(context.Background(), ghInstallation)
		if err != nil {
			t.Fatal(err)
		}
		fx.clients = append(fx.clients, c)
	}
	return fx
}

// TestGitHubLowQuotaSpacesTwoProcesses: below the reserve, the requests of
// two processes for one installation are spread until the reset, none is
// refused, and the quota is never overspent.
func TestGitHubLowQuotaSpacesTwoProcesses(t *testing.T) {
	fx := newGitHubProcesses(t, 2, 1000, nil)
	fx.srv.SetQuota(5000, 30, time.Now().Add(7*time.Second))
	ctx := context.Background()
	// Each process learns the quota from one answer first.
	for _, c := range fx.clients {
		if _, err := c.Files(ctx, ghChange()); err != nil {
			t.Fatal(err)
		}
	}
	fx.rec.mu.Lock()
	fx.rec.at = nil
	fx.rec.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for _, c := range fx.clients {
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Files(ctx, ghChange()); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("listing failed, want it slowed down: %v", err)
	}
	fx.rec.mu.Lock()
	at := append([]time.Time(nil), fx.rec.at...)
	fx.rec.mu.Unlock()
	// About 28 left over about 6 s: one every 200 ms or so, six of them
	// over a second (unpaced: a few ms). The span, not the closest gap, is
	// compared: a booked request may leave late on a loaded machine.
	at = sortTimes(at)
	if span := at[len(at)-1].Sub(at[0]); len(at) != 6 || span < 700*time.Millisecond {
		t.Errorf("%d requests within %s: a low quota must spread them", len(at), span)
	}
	for _, call := range fx.srv.Calls() {
		if call.Status == http.StatusForbidden {
			t.Errorf("%s answered 403: the quota was overspent", call.Route)
		}
	}
}

// TestGitHubLowQuotaDefersTheJob: with so little quota left that the next
// turn is further than the longest wait (3 left, reset in 2 minutes: one
// request every 40 s or more), the call is not sent; its error delays the
// job (queue.Wait), it does not fail it. The other process learns the
// quota from the shared store, not from an answer of its own.
func TestGitHubLowQuotaDefersTheJob(t *testing.T) {
	fx := newGitHubProcesses(t, 2, 10, nil)
	fx.srv.SetQuota(5000, 3, time.Now().Add(2*time.Minute))
	ctx := context.Background()
	if _, err := fx.clients[0].Files(ctx, ghChange()); err != nil {
		t.Fatal(err)
	}
	before := len(fx.srv.Calls())
	_, err := fx.clients[1].BeginCheck(ctx, ghChange())
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After < 30*time.Second {
		t.Fatalf("BeginCheck in the other process: %v, want deferred for its turn", err)
	}
	if got := queue.Decide(queue.Job{}, err, 1); got != queue.Wait {
		t.Errorf("queue.Decide = %v, want Wait", got)
	}
	for _, c := range fx.srv.Calls()[before:] {
		if c.Method == http.MethodPost && c.Route != "POST /app/installations/{installation_id}/access_tokens" {
			t.Errorf("%s sent past its turn", c.Route)
		}
	}
	if fx.srv.Quota() < 1 {
		t.Errorf("quota left %d, want the last requests kept", fx.srv.Quota())
	}
	deferred := false
	fx.mu.Lock()
	for _, e := range fx.events {
		deferred = deferred || e.Deferred && e.Why == "primary"
	}
	fx.mu.Unlock()
	if !deferred {
		t.Error("no deferral reported to the metrics hook")
	}
}

// TestGitHubContentRequestsPaced: content-generating requests (check runs,
// reviews) of two processes share the secondary limits; a review fitted to
// what is affordable keeps every finding.
func TestGitHubContentRequestsPaced(t *testing.T) {
	limits := []hostapi.Rate{{N: 2, Per: 2 * time.Second}, {N: 500, Per: time.Hour}}
	fx := newGitHubProcesses(t, 2, 10, limits)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, c := range fx.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			check, err := c.BeginCheck(ctx, ghChange())
			if err == nil {
				err = c.Publish(ctx, ghChange(), check, ghReview(t))
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("publishing failed, want it paced: %v", err)
	}
	fx.rec.mu.Lock()
	writes := sortTimes(append([]time.Time(nil), fx.rec.write...))
	fx.rec.mu.Unlock()
	// Two processes: at least a check run and a review or update each.
	if len(writes) < 4 {
		t.Fatalf("%d content requests, want at least 4", len(writes))
	}
	// 2 at once, then one a second.
	if span := writes[len(writes)-1].Sub(writes[0]); span < time.Duration(len(writes)-2)*900*time.Millisecond {
		t.Errorf("%d content requests within %s: not paced at 2 per 2 s", len(writes), span)
	}
	b, ok := fx.clients[0].(platform.Budgeted)
	if !ok {
		t.Fatal("the GitHub client does not report its budget")
	}
	n, costs := b.Budget(ctx)
	if n != 0 {
		t.Errorf("affordable right after the writes = %d, want 0", n)
	}
	r := ghReview(t)
	r.Fit(n, costs)
	if len(r.Inline) != 0 || len(r.Unplaced) != len(r.Findings) || len(r.Findings) != 3 {
		t.Errorf("fitted to nothing: inline %d, unplaced %d of %d", len(r.Inline), len(r.Unplaced), len(r.Findings))
	}
}

func ghReview(t *testing.T) *comments.Review {
	t.Helper()
	f, err := diff.ParsePatch("", "app/main.go", ghPatch)
	if err != nil {
		t.Fatal(err)
	}
	var fs []scanners.Finding
	for i := 1; i <= 3; i++ {
		fs = append(fs, scanners.Finding{Scanner: "secrets", RuleID: "secrets/x", Severity: scanners.SeverityHigh, Title: "X",
			Location: scanners.Location{Path: "app/main.go", StartLine: i, EndLine: i}, Identity: fmt.Sprint(i)})
	}
	return comments.Build(&scanners.Result{Findings: fs}, diff.NewIndex([]*diff.File{f}), comments.Options{HeadSHA: ghHead})
}

func sortTimes(ts []time.Time) []time.Time {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}
