package app_test

// Rate limits across workers: several `shiftward worker` processes share
// one Redis and one GitHub App. After GitHub tells one of them to slow
// down, none may call GitHub for that installation until the window ends
// (requests inside a penalty window make it longer and can get the App
// banned), other installations carry on, and the jobs that had to wait run
// to completion afterwards without spending their attempts.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/queue"
)

// apiCall is one request that reached GitHub.
type apiCall struct {
	// at is when it arrived; answered when its answer left.
	at, answered time.Time
	installation int64
	method, path string
	status       int
}

// apiRecorder stands in front of the fake GitHub, which does not keep
// times: it records when each request arrived, for which installation, and
// what it was answered. Each request is held latency first, as a real
// network would, so jobs overlap as they do in production.
type apiRecorder struct {
	URL     string
	latency time.Duration
	repos   map[string]int64 // "owner/name" → installation

	mu    sync.Mutex
	calls []apiCall
}

func newAPIRecorder(t *testing.T, fake *githubtest.Server, latency time.Duration, repos ...githubtest.Repo) *apiRecorder {
	t.Helper()
	target, err := url.Parse(fake.URL)
	if err != nil {
		t.Fatal(err)
	}
	r := &apiRecorder{latency: latency, repos: map[string]int64{}}
	for _, repo := range repos {
		r.repos[repo.Owner+"/"+repo.Name] = repo.Installation
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c := apiCall{at: time.Now(), installation: r.installation(req.URL.Path), method: req.Method, path: req.URL.Path}
		time.Sleep(r.latency)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		proxy.ServeHTTP(sw, req)
		c.status, c.answered = sw.status, time.Now()
		r.mu.Lock()
		r.calls = append(r.calls, c)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/"
	return r
}

// installation names the installation a request acts for: the one of its
// repository, or the one whose token it asks for; 0 for App-level calls.
func (r *apiRecorder) installation(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "repos":
		return r.repos[parts[1]+"/"+parts[2]]
	case len(parts) >= 3 && parts[0] == "app" && parts[1] == "installations":
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		return id
	}
	return 0
}

func (r *apiRecorder) snapshot() []apiCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]apiCall(nil), r.calls...)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// pullRequestOpened is a pull_request "opened" delivery with the fields
// shiftward reads, in GitHub's shape.
func pullRequestOpened(t *testing.T, repo githubtest.Repo, number int, baseSHA, headSHA string) []byte {
	t.Helper()
	r := map[string]any{
		"id": repo.ID, "name": repo.Name, "full_name": repo.Owner + "/" + repo.Name,
		"owner": map[string]any{"login": repo.Owner, "type": "Organization"}, "default_branch": repo.DefaultBranch,
	}
	b, err := json.Marshal(map[string]any{
		"action": "opened",
		"number": number,
		"pull_request": map[string]any{
			"number": number, "state": "open",
			"head": map[string]any{"ref": fmt.Sprintf("change-%d", number), "sha": headSHA, "repo": map[string]any{"id": repo.ID}},
			"base": map[string]any{"ref": repo.DefaultBranch, "sha": baseSHA, "repo": map[string]any{"id": repo.ID}},
		},
		"repository":   r,
		"installation": map[string]any{"id": repo.Installation},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEndToEndRateLimitSharedAcrossWorkers runs three worker processes on
// one Redis. GitHub answers one request of installation 1 with 429 and
// Retry-After. Then:
//   - no process sends installation 1 any request until the window ends
//     (but for the requests another process had under way when it came,
//     and those sent before it rechecks the shared window);
//   - installation 2 is served meanwhile;
//   - every job completes after the window, though each process may fail a
//     job only once (SHIFTWARD_MAX_ATTEMPTS=1): waiting out a window is no
//     failed attempt.
func TestEndToEndRateLimitSharedAcrossWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts worker processes")
	}
	const (
		window  = 5 * time.Second
		workers = 3
		perRepo = 6
		// Jobs take about a second (a dozen calls): the other processes
		// are mid-job when the 429 comes, with calls left to make.
		latency   = 150 * time.Millisecond
		baseOfAll = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0"
	)
	// Requests may still come in this long after the 429: those already on
	// their way, and those a process sends before it rereads the window.
	grace := hostapi.DefaultRecheck + 400*time.Millisecond

	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	fake := githubtest.New(t, appID, key)
	limited := githubtest.Repo{ID: 501, Owner: "octo-org", Name: "limited", DefaultBranch: "main", Installation: 1}
	free := githubtest.Repo{ID: 502, Owner: "octo-org", Name: "free", DefaultBranch: "main", Installation: 2}
	type pull struct {
		repo   githubtest.Repo
		number int
	}
	heads := map[string]pull{}
	for _, repo := range []githubtest.Repo{limited, free} {
		fake.AddRepo(repo)
		for n := 1; n <= perRepo; n++ {
			head := fmt.Sprintf("%08d%032x", repo.ID, n)
			content := fmt.Sprintf("def handler_%d(request):\n    return request.args.get(\"name\")\n", n)
			fake.AddPull(repo.Owner, repo.Name, githubtest.PullRequest{
				Number: n, BaseSHA: baseOfAll, HeadSHA: head, BaseRef: "main", HeadRef: fmt.Sprintf("change-%d", n),
				Files: []githubtest.File{{
					Filename: "app/handler.py", Status: "added", Additions: 2, Changes: 2,
					Patch: "@@ -0,0 +1,2 @@\n+" + strings.ReplaceAll(strings.TrimSuffix(content, "\n"), "\n", "\n+") + "\n",
				}},
			})
			fake.SetContent(repo.Owner, repo.Name, head, "app/handler.py", []byte(content))
			heads[head] = pull{repo, n}
		}
	}
	rec := newAPIRecorder(t, fake, latency, limited, free)
	e := startApp(t, newLeak(), func(cfg *config.Config) {
		cfg.GitHub = config.GitHub{AppID: appID, PrivateKey: key, APIURL: rec.URL, WebhookSecrets: [][]byte{[]byte(webhookSecret)}}
	})

	var children []*child
	for range workers {
		children = append(children, e.startChildWorker(config.EnvMaxAttempts+"=1"))
	}
	waitUntil(t, 60*time.Second, "every worker process to start", func() bool {
		for _, c := range children {
			if !c.started() {
				return false
			}
		}
		return true
	})

	// The first call of a review: whichever job makes it first is told to
	// slow down while the others have their whole job ahead.
	fake.RateLimitNext(githubtest.RouteListCheckRuns, http.StatusTooManyRequests, window)
	deliver := func(repo githubtest.Repo) {
		for head, p := range heads {
			if p.repo != repo {
				continue
			}
			body := pullRequestOpened(t, repo, p.number, baseOfAll, head)
			if code := e.deliver("pull_request", "rl-"+head, body); code != http.StatusAccepted {
				t.Fatalf("delivery for %s#%d: %d", repo.Name, p.number, code)
			}
		}
	}
	deliver(limited)
	var limitedAt time.Time
	waitUntil(t, 60*time.Second, "the 429", func() bool {
		for _, c := range rec.snapshot() {
			if c.status == http.StatusTooManyRequests {
				limitedAt = c.answered
				return true
			}
		}
		return false
	})
	// Installation 2 has work during installation 1's window.
	deliver(free)

	// Not fatal: what was sent during the window is asserted either way.
	completed := wait(window+20*time.Second, func() bool {
		done := 0
		for _, c := range fake.CheckRuns() {
			if c.Status == "completed" {
				done++
			}
		}
		return done == len(heads)
	})
	end := limitedAt.Add(window)
	var inGrace, inside, freeInside, limitedAfter int
	for _, c := range rec.snapshot() {
		switch {
		case c.installation == limited.Installation && c.at.After(limitedAt) && !c.at.After(limitedAt.Add(grace)):
			inGrace++
		case c.installation == limited.Installation && c.at.After(limitedAt.Add(grace)) && c.at.Before(end):
			inside++
			t.Errorf("installation 1 called inside its window, %s after the 429: %s %s", c.at.Sub(limitedAt).Round(time.Millisecond), c.method, c.path)
		case c.installation == free.Installation && c.at.After(limitedAt) && c.at.Before(end):
			freeInside++
		case c.installation == limited.Installation && !c.at.Before(end):
			limitedAfter++
		}
	}
	if freeInside == 0 {
		t.Error("installation 2 was not called during installation 1's window: the window must be per installation")
	}
	if limitedAfter == 0 {
		t.Error("no call for installation 1 after its window: the jobs that waited did not run again")
	}
	if !completed {
		t.Error("not every check run completed after the window")
	}
	for _, c := range fake.CheckRuns() {
		if c.Conclusion == "" || c.Conclusion == "neutral" && strings.Contains(c.Summary, "could not be completed") {
			t.Errorf("check run of %s ended %q: %.200s", c.HeadSHA, c.Conclusion, c.Summary)
		}
	}
	if runs := len(fake.CheckRuns()); runs != len(heads) {
		t.Errorf("%d check runs for %d heads", runs, len(heads))
	}
	dead, err := e.comps.Queue.(*queue.Redis).Dead(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		t.Errorf("job %s gave up after %d attempt(s): %s", d.Job.ID, d.Job.Attempt, d.Job.LastError)
	}
	t.Logf("installation 1: %d call(s) within %s of the 429, %d later inside its %s window, %d after it; installation 2: %d inside",
		inGrace, grace, inside, window, limitedAfter, freeInside)
}

// wait polls cond until it holds (true) or d has passed (false).
func wait(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// waitUntil polls cond until it holds, failing the test after d.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	if !wait(d, cond) {
		t.Fatalf("timed out after %s waiting for %s", d, what)
	}
}
