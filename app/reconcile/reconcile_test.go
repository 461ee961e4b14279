package reconcile_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/reconcile"
	"github.com/shiftward/shiftward/app/redistest"
)

// testDB is this package's database on the test Redis (the queue's is 10,
// the app's 11, OSV's 12, the command's 13, rate limits' 14).
const testDB = 15

const (
	appID        = 4711
	installation = 99
	owner, name  = "acme", "widgets"
	repoID       = 321
)

func sha(n int) string { return fmt.Sprintf("%040x", n) }

// env is one test's Redis (a fresh prefix) and queue.
type env struct {
	rdb    *redis.Client
	prefix string
	q      *recQueue
}

func newEnv(t *testing.T) *env {
	t.Helper()
	url := redistest.URL(t, testDB)
	rdb := redistest.Client(t, url)
	t.Cleanup(func() { rdb.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "{rctest-" + hex.EncodeToString(b[:]) + "}"
	redistest.Clean(t, url, prefix)
	q, err := queue.NewRedis(rdb, queue.Options{Prefix: prefix, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return &env{rdb: rdb, prefix: prefix, q: &recQueue{Redis: q}}
}

// recQueue records the jobs queued (not the duplicates) on a real queue.
type recQueue struct {
	*queue.Redis
	mu   sync.Mutex
	jobs []queue.Job
}

func (r *recQueue) Enqueue(ctx context.Context, j queue.Job) (queue.Enqueued, error) {
	res, err := r.Redis.Enqueue(ctx, j)
	if err == nil && !res.Duplicate {
		r.mu.Lock()
		r.jobs = append(r.jobs, j)
		r.mu.Unlock()
	}
	return res, err
}

func (r *recQueue) queued() []queue.Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.jobs)
}

// drain runs the queue with a handler that finishes every job at once, so
// no head stays pending, and waits until it is empty.
func (r *recQueue) drain(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Redis.Run(ctx, func(context.Context, queue.Job) error { return nil })
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := r.Depth(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue not drained: depth %d", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// heads names queued jobs as "repo#n@sha-suffix".
func heads(jobs []queue.Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, fmt.Sprintf("%s#%d@%s", j.Change.Repo.Name, j.Change.Number, j.Change.HeadSHA[36:]))
	}
	slices.Sort(out)
	return out
}

// counts records what the reconciler reports to its observer.
type counts struct {
	mu          sync.Mutex
	redelivered map[string]int
	swept       map[string]int
	oldest      map[string]time.Duration
	disabled    int
}

func newCounts() *counts {
	return &counts{redelivered: map[string]int{}, swept: map[string]int{}, oldest: map[string]time.Duration{}}
}

func (c *counts) Redelivered(o string) { c.mu.Lock(); c.redelivered[o]++; c.mu.Unlock() }
func (c *counts) Swept(p string)       { c.mu.Lock(); c.swept[p]++; c.mu.Unlock() }
func (c *counts) OldestUnreviewed(p string, d time.Duration) {
	c.mu.Lock()
	c.oldest[p] = d
	c.mu.Unlock()
}
func (c *counts) HooksDisabled(n int) { c.mu.Lock(); c.disabled = n; c.mu.Unlock() }

// logBuf is a concurrency-safe log sink.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// newGitHub is a fake GitHub with one installation and repository, and
// the App's factory pointed at it.
func newGitHub(t *testing.T) (*githubtest.Server, *github.Factory) {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t, appID, key)
	srv.AddRepo(githubtest.Repo{ID: repoID, Owner: owner, Name: name, DefaultBranch: "main", Installation: installation})
	f, err := github.NewFactory(github.Config{AppID: appID, PrivateKeyPEM: key, BaseURL: srv.URL,
		RetryBackoff: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, f
}

func newReconciler(e *env, gh reconcile.GitHubApp, obs reconcile.Observer, log *logBuf) *reconcile.Reconciler {
	r := &reconcile.Reconciler{
		Redis: e.rdb, Queue: e.q, Observer: obs,
		Options: reconcile.Options{Interval: time.Hour, JobTimeout: 10 * time.Minute, Prefix: e.prefix, Grace: 10 * time.Millisecond},
	}
	if gh != nil {
		r.GitHub = gh
	}
	if log != nil {
		r.Log = slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return r
}

func redeliveredIDs(srv *githubtest.Server) []string {
	var out []string
	for _, c := range srv.CallsTo(githubtest.RouteRedeliverHook) {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(c.Path, "/app/hook/deliveries/"), "/attempts"))
	}
	return out
}

// A delivery whose every attempt failed is redelivered once; one a later
// attempt delivered, one that succeeded, one of an event shiftward does
// not act on and one older than the lookback are not. A second pass asks
// nothing more.
func TestRedeliverFailedOnce(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	now := time.Now()
	failed := srv.AddDelivery(githubtest.Delivery{GUID: "g-failed", At: now.Add(-time.Hour), StatusCode: 503, Event: "pull_request", Action: "opened"})
	srv.AddDelivery(githubtest.Delivery{GUID: "g-later-ok", At: now.Add(-2 * time.Hour), StatusCode: 0, Event: "pull_request"})
	srv.AddDelivery(githubtest.Delivery{GUID: "g-later-ok", At: now.Add(-90 * time.Minute), StatusCode: 202, Event: "pull_request", Redelivery: true})
	srv.AddDelivery(githubtest.Delivery{GUID: "g-ok", At: now.Add(-time.Minute), StatusCode: 202, Event: "pull_request"})
	srv.AddDelivery(githubtest.Delivery{GUID: "g-ping", At: now.Add(-time.Minute), StatusCode: 500, Event: "ping"})
	srv.AddDelivery(githubtest.Delivery{GUID: "g-old", At: now.Add(-80 * time.Hour), StatusCode: 502, Event: "pull_request"})
	obs := newCounts()
	r := newReconciler(e, f, obs, nil)

	rep := r.Pass(context.Background())
	if got, want := redeliveredIDs(srv), []string{fmt.Sprint(failed)}; !slices.Equal(got, want) {
		t.Fatalf("redelivered %v, want %v", got, want)
	}
	if rep.Redelivered != 1 || obs.redelivered["redelivered"] != 1 {
		t.Errorf("report %+v, observed %v; want one redelivery", rep, obs.redelivered)
	}
	r.Pass(context.Background())
	if got := redeliveredIDs(srv); len(got) != 1 {
		t.Errorf("after a second pass: redelivered %v, want the one of the first pass only", got)
	}
}

// A redelivery GitHub does not list yet is not asked for again; once its
// attempt is listed and failed too, the delivery is redelivered once more,
// and no more than Attempts times in all.
func TestRedeliverBoundedPerDelivery(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	srv.SetRedeliveryStatus(-1) // the list lags behind
	srv.AddDelivery(githubtest.Delivery{GUID: "g1", At: time.Now().Add(-time.Hour), StatusCode: 503, Event: "pull_request"})
	r := newReconciler(e, f, nil, nil)
	r.Attempts = 2

	r.Pass(context.Background())
	r.Pass(context.Background())
	if n := len(redeliveredIDs(srv)); n != 1 {
		t.Fatalf("list lagging: %d redeliveries after two passes, want 1", n)
	}
	srv.AddDelivery(githubtest.Delivery{GUID: "g1", At: time.Now(), StatusCode: 503, Event: "pull_request", Redelivery: true})
	r.Pass(context.Background())
	if n := len(redeliveredIDs(srv)); n != 2 {
		t.Fatalf("redelivery listed and failed: %d redeliveries, want 2", n)
	}
	srv.AddDelivery(githubtest.Delivery{GUID: "g1", At: time.Now(), StatusCode: 503, Event: "pull_request", Redelivery: true})
	r.Pass(context.Background())
	if n := len(redeliveredIDs(srv)); n != 2 {
		t.Errorf("past Attempts: %d redeliveries, want 2", n)
	}
}

// The deliveries are read page by page through GitHub's cursor, and the
// redeliveries of one pass are bounded.
func TestRedeliverPagesAndBound(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	for i := range 250 {
		srv.AddDelivery(githubtest.Delivery{GUID: fmt.Sprintf("g%03d", i), At: time.Now().Add(-time.Duration(i) * time.Minute),
			StatusCode: 0, Event: "pull_request"})
	}
	r := newReconciler(e, f, nil, nil)
	r.Redeliveries = 5
	r.Pass(context.Background())
	if n := len(redeliveredIDs(srv)); n != 5 {
		t.Errorf("%d redeliveries in one pass, want the bound of 5", n)
	}
	if n := len(srv.CallsTo(githubtest.RouteListHookDeliveries)); n != 3 {
		t.Errorf("%d listing pages for 250 deliveries, want 3", n)
	}
	if got := srv.CallsTo(githubtest.RouteListHookDeliveries)[1].Query; !strings.Contains(got, "cursor=v1_") {
		t.Errorf("second page asked without the cursor: %q", got)
	}
}

// The sweep queues a job for the head without a check run and for the one
// whose check has been running past the job timeout; not for a completed
// check, a check running for a moment, a closed pull request, or a head a
// job is pending for. Its jobs carry a dedupe key of the head: a second
// pass queues nothing new.
func TestSweepGitHub(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	ctx := context.Background()
	now := time.Now()
	pr := func(n int, state string) {
		srv.AddPull(owner, name, githubtest.PullRequest{Number: n, BaseSHA: sha(1000 + n), HeadSHA: sha(n), BaseRef: "main",
			HeadRef: fmt.Sprintf("b%d", n), State: state, UpdatedAt: now.Add(-time.Duration(n) * time.Hour)})
	}
	pr(1, "")       // no check run
	pr(2, "")       // completed
	pr(3, "")       // stuck in progress
	pr(4, "")       // in progress since a moment
	pr(5, "closed") // closed
	pr(6, "")       // a webhook job pending
	srv.AddCheckRun(owner, name, githubtest.CheckRun{Name: github.CheckName, HeadSHA: sha(2), Status: "completed", Conclusion: "success", AppID: appID})
	srv.AddCheckRun(owner, name, githubtest.CheckRun{Name: github.CheckName, HeadSHA: sha(3), Status: "in_progress", AppID: appID, StartedAt: now.Add(-time.Hour)})
	srv.AddCheckRun(owner, name, githubtest.CheckRun{Name: github.CheckName, HeadSHA: sha(4), Status: "in_progress", AppID: appID, StartedAt: now.Add(-time.Minute)})
	// Another app's run of the same name does not count.
	srv.AddCheckRun(owner, name, githubtest.CheckRun{Name: github.CheckName, HeadSHA: sha(1), Status: "completed", Conclusion: "success", AppID: appID + 1})
	webhookJob := queue.Job{DeliveryID: "guid-6", Kind: platform.KindReview, Change: platform.Change{Platform: platform.GitHub,
		Installation: installation, Repo: platform.Repo{ID: repoID, Owner: owner, Name: name}, Number: 6, BaseSHA: sha(1006), HeadSHA: sha(6)}}
	if _, err := e.q.Redis.Enqueue(ctx, webhookJob); err != nil {
		t.Fatal(err)
	}
	obs := newCounts()
	r := newReconciler(e, f, obs, nil)

	rep := r.Pass(ctx)
	if got, want := heads(e.q.queued()), []string{"widgets#1@0001", "widgets#3@0003"}; !slices.Equal(got, want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
	for _, j := range e.q.queued() {
		c := j.Change
		if j.Kind != platform.KindRescan || c.Installation != installation || c.Repo.ID != repoID || c.BaseSHA != sha(1000+c.Number) || c.Ref == "" {
			t.Errorf("job %+v lacks what the webhook's would hold", j)
		}
	}
	if rep.Queued != 2 || obs.swept["github"] != 2 {
		t.Errorf("report %+v, swept %v; want 2 queued", rep, obs.swept)
	}
	// The oldest unreviewed head: pull request 1, updated an hour ago
	// (pull request 3's check started an hour ago too).
	if d := obs.oldest["github"]; d < 59*time.Minute || d > 2*time.Hour {
		t.Errorf("oldest unreviewed %s, want about an hour", d)
	}

	e.q.drain(t) // every job done, none pending: only the dedupe key holds now
	r.Pass(ctx)
	if n := len(e.q.queued()); n != 3 { // pull request 6's webhook job was done too, and has no check: swept now
		t.Errorf("after a second pass: %d jobs, want 3 (%v)", n, heads(e.q.queued()))
	}
	r.Pass(ctx)
	if n := len(e.q.queued()); n != 3 {
		t.Errorf("after a third pass: %d jobs, want still 3", n)
	}
	// A completed head is remembered: not asked about again.
	calls := 0
	for _, c := range srv.CallsTo(githubtest.RouteListCheckRuns) {
		if strings.Contains(c.Path, sha(2)) {
			calls++
		}
	}
	if calls != 1 {
		t.Errorf("a completed head's check runs read %d times over three passes, want 1", calls)
	}
}

// A pass queues at most Jobs jobs and looks at most at PerInstallation pull
// requests of an installation.
func TestSweepBounded(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	for n := 1; n <= 30; n++ {
		srv.AddPull(owner, name, githubtest.PullRequest{Number: n, BaseSHA: sha(1000 + n), HeadSHA: sha(n), BaseRef: "main", HeadRef: "b"})
	}
	r := newReconciler(e, f, nil, nil)
	r.Jobs = 4
	r.Pass(context.Background())
	if n := len(e.q.queued()); n != 4 {
		t.Errorf("%d jobs queued, want the bound of 4", n)
	}

	e2 := newEnv(t)
	r2 := newReconciler(e2, f, nil, nil)
	r2.PerInstallation = 7
	r2.Pass(context.Background())
	if n := len(e2.q.queued()); n != 7 {
		t.Errorf("%d jobs queued, want the per-installation bound of 7", n)
	}
	if n := len(srv.CallsTo(githubtest.RouteListCheckRuns)); n != 4+7 {
		t.Errorf("%d heads looked at over both passes, want 11", n)
	}
}

// Two reconcilers on one Redis: however often both tick, one pass runs in
// the interval; the other takes over once the first releases its lease.
func TestOnlyOneActs(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	srv.AddDelivery(githubtest.Delivery{GUID: "g1", At: time.Now().Add(-time.Hour), StatusCode: 503, Event: "pull_request"})
	srv.AddPull(owner, name, githubtest.PullRequest{Number: 1, BaseSHA: sha(1001), HeadSHA: sha(1), BaseRef: "main", HeadRef: "b"})
	a, b := newReconciler(e, f, nil, nil), newReconciler(e, f, nil, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ran := map[string]int{}
	for i := range 20 {
		for name, r := range map[string]*reconcile.Reconciler{"a": a, "b": b} {
			wg.Go(func() {
				ok, err := r.Tick(context.Background())
				if err != nil {
					t.Errorf("tick %d of %s: %v", i, name, err)
				}
				if ok {
					mu.Lock()
					ran[name]++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if ran["a"]+ran["b"] != 1 {
		t.Fatalf("passes run: %v, want exactly one", ran)
	}
	if n := len(redeliveredIDs(srv)); n != 1 {
		t.Errorf("%d redeliveries, want 1", n)
	}
	if n := len(e.q.queued()); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
	// The holder stops: its lease is released at once, not after a TTL.
	holder := a
	if ran["b"] == 1 {
		holder = b
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := holder.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := reconcile.NewLease(e.rdb, e.prefix+reconcile.KeyPart+"leader", time.Minute).Hold(context.Background()); err != nil || !ok {
		t.Errorf("lease still held after the holder stopped (err %v)", err)
	}
}

// With Interval 0 Run returns at once and touches nothing: no Redis
// (nil here, which any call would trip over), no host.
func TestIntervalZeroStartsNothing(t *testing.T) {
	srv, f := newGitHub(t)
	r := &reconcile.Reconciler{GitHub: f, Options: reconcile.Options{Interval: 0}}
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run with interval 0 did not return")
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("interval 0 made %d calls to GitHub", len(calls))
	}
}

// The lease: one token holds it; another can neither take nor release it
// until the first releases it or lets it expire.
func TestLease(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := e.prefix + reconcile.KeyPart + "leader"
	a := reconcile.NewLease(e.rdb, key, 200*time.Millisecond)
	b := reconcile.NewLease(e.rdb, key, 200*time.Millisecond)
	hold := func(l *reconcile.Lease) bool {
		t.Helper()
		ok, err := l.Hold(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !hold(a) || hold(b) || !hold(a) {
		t.Fatal("a holds, renews; b is refused")
	}
	if err := b.Release(ctx); err != nil || !hold(a) {
		t.Fatalf("b's release freed a's lease (err %v)", err)
	}
	if err := a.Release(ctx); err != nil || !hold(b) {
		t.Fatalf("after a's release b could not take it (err %v)", err)
	}
	time.Sleep(300 * time.Millisecond) // b does not renew: expired
	if !hold(a) {
		t.Error("an expired lease was not taken")
	}
}

// More installations than a pass sweeps: each pass takes the next ones,
// so every installation is swept in turn.
func TestSweepRotatesInstallations(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	for i := int64(1); i <= 2; i++ {
		r := githubtest.Repo{ID: repoID + i, Owner: owner, Name: fmt.Sprintf("r%d", i), DefaultBranch: "main", Installation: installation + i}
		srv.AddRepo(r)
		srv.AddPull(owner, r.Name, githubtest.PullRequest{Number: 1, BaseSHA: sha(1000), HeadSHA: sha(int(i)), BaseRef: "main", HeadRef: "b"})
	}
	srv.AddPull(owner, name, githubtest.PullRequest{Number: 1, BaseSHA: sha(1000), HeadSHA: sha(3), BaseRef: "main", HeadRef: "b"})
	r := newReconciler(e, f, nil, nil)
	r.Installations = 1
	var per []int
	for range 3 {
		before := len(e.q.queued())
		r.Pass(context.Background())
		per = append(per, len(e.q.queued())-before)
	}
	if got := heads(e.q.queued()); !slices.Equal(got, []string{"r1#1@0001", "r2#1@0002", "widgets#1@0003"}) || !slices.Equal(per, []int{1, 1, 1}) {
		t.Errorf("three passes of one installation each queued %v (%v per pass), want each installation's pull request once", got, per)
	}
}

// Once every head is reviewed, a pass costs a few listings per
// installation, not a request per pull request: reviewed heads are
// remembered.
func TestSteadyStateCost(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	for n := 1; n <= 20; n++ {
		srv.AddPull(owner, name, githubtest.PullRequest{Number: n, BaseSHA: sha(1000 + n), HeadSHA: sha(n), BaseRef: "main", HeadRef: "b"})
		srv.AddCheckRun(owner, name, githubtest.CheckRun{Name: github.CheckName, HeadSHA: sha(n), Status: "completed", Conclusion: "success", AppID: appID})
	}
	r := newReconciler(e, f, nil, nil)
	r.Pass(context.Background())
	before := len(srv.Calls())
	t.Logf("first pass over 20 pull requests: %d requests", before)
	r.Pass(context.Background())
	calls := srv.Calls()[before:]
	t.Logf("second pass: %d requests", len(calls))
	byRoute := map[string]int{}
	for _, c := range calls {
		byRoute[c.Route]++
	}
	want := map[string]int{
		githubtest.RouteListHookDeliveries: 1, githubtest.RouteListInstallations: 1,
		githubtest.RouteListInstallRepos: 1, githubtest.RouteListPulls: 1,
	}
	if fmt.Sprint(byRoute) != fmt.Sprint(want) {
		t.Errorf("second pass over 20 reviewed pull requests: %v, want %v", byRoute, want)
	}
}

// A Redis that does not answer is logged once per outage, not every tick,
// and no pass runs.
func TestRedisDownLoggedOnce(t *testing.T) {
	srv, f := newGitHub(t)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 50 * time.Millisecond})
	defer rdb.Close()
	logs := &logBuf{}
	r := &reconcile.Reconciler{Redis: rdb, Queue: nil, GitHub: f,
		Log:     slog.New(slog.NewJSONHandler(logs, nil)),
		Options: reconcile.Options{Interval: time.Hour, LeaseTTL: 150 * time.Millisecond}}
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	if err := r.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "cannot reach Redis"); n != 1 {
		t.Errorf("%d outage lines over several ticks, want 1:\n%s", n, logs.String())
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls to GitHub without the lease, want none", n)
	}
}

// A pass whose replica loses the lease (it paused past the TTL and
// another took it) stops at once instead of acting beside the new holder.
func TestLostLeaseStopsThePass(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitHub(t)
	srv.AddDelivery(githubtest.Delivery{GUID: "g1", At: time.Now().Add(-time.Hour), StatusCode: 503, Event: "pull_request"})
	hold := make(chan struct{})
	defer close(hold)
	srv.HoldNext(githubtest.RouteListHookDeliveries, hold) // the pass hangs on GitHub
	r := newReconciler(e, f, nil, nil)
	r.LeaseTTL = 300 * time.Millisecond
	done := make(chan bool, 1)
	go func() {
		ran, _ := r.Tick(context.Background())
		done <- ran
	}()
	time.Sleep(100 * time.Millisecond)
	if err := e.rdb.Set(context.Background(), e.prefix+reconcile.KeyPart+"leader", "another replica", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case ran := <-done:
		if !ran {
			t.Error("the pass did not start")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the pass went on after its lease was lost")
	}
	if n := len(redeliveredIDs(srv)); n != 0 {
		t.Errorf("%d redeliveries after the lease was lost, want none", n)
	}
}
