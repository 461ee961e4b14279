package queue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
)

// behaviour is one property every Queue must have.
type behaviour struct {
	name string
	test func(t *testing.T, e env)
}

// behaviours is the shared suite: each runs against every implementation.
var behaviours = []behaviour{
	{"enqueue and consume", testEnqueueConsume},
	{"redelivery is a duplicate", testDuplicate},
	{"newer head supersedes", testSupersede},
	{"retry with backoff then dead letter", testRetryThenDead},
	{"dead letters requeued run again", testRequeueDead},
	{"RetryAfter honoured", testRetryAfter},
	{"permanent error dead-letters at once", testPermanent},
	{"panic is an error", testPanic},
	{"handler context is fresh and bounded", testHandlerContext},
	{"graceful stop finishes in-flight work", testGracefulStop},
	{"concurrency", testConcurrency},
	{"depth counts waiting, running and retrying", testDepth},
	{"capacity", testCapacity},
	{"invalid job rejected", testInvalid},
	{"pending names an unfinished head", testPending},
}

// testPending: Pending is true while a job of the head is waiting, false
// for another head of the same pull request, and false again once the
// job is done.
func testPending(t *testing.T, e env) {
	ctx := context.Background()
	q := e.open(t, fastOptions())
	p, ok := q.(interface {
		Pending(context.Context, queue.Job) (bool, error)
	})
	if !ok {
		t.Fatalf("%T has no Pending", q)
	}
	pending := func(j queue.Job) bool {
		t.Helper()
		got, err := p.Pending(ctx, j)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	j := review(1, "sha1", "d1")
	if pending(j) {
		t.Fatal("Pending before any enqueue = true")
	}
	enqueue(t, q, j)
	if !pending(j) {
		t.Error("Pending of a waiting job's head = false, want true")
	}
	if pending(review(1, "sha2", "")) {
		t.Error("Pending of another head = true, want false")
	}
	rec := &recorder{}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "job done", func() bool { return depth(t, q) == 0 && !pending(j) })
}

func TestBehaviours(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			for _, b := range behaviours {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					b.test(t, impl.newEnv(t))
				})
			}
		})
	}
}

func testEnqueueConsume(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	var want []queue.Job
	for i := 1; i <= 3; i++ {
		j := review(i, fmt.Sprintf("sha%d", i), fmt.Sprintf("d%d", i))
		res := enqueue(t, q, j)
		if res.ID == "" || res.Duplicate || res.Superseded {
			t.Fatalf("Enqueue(%d) = %+v, want a fresh job id only", i, res)
		}
		j.ID = res.ID
		want = append(want, j)
	}
	rec := &recorder{}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "3 jobs handled", func() bool { return rec.count() == 3 })
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })

	var got []queue.Job
	for _, c := range rec.snapshot() {
		if c.job.EnqueuedAt.IsZero() {
			t.Errorf("job %s has no EnqueuedAt", c.job.ID)
		}
		got = append(got, c.job)
	}
	opts := []cmp.Option{
		cmpopts.IgnoreFields(queue.Job{}, "EnqueuedAt"),
		cmpopts.SortSlices(func(a, b queue.Job) bool { return a.ID < b.ID }),
	}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("handled jobs (-want +got):\n%s", diff)
	}
}

func testDuplicate(t *testing.T, e env) {
	o := fastOptions()
	o.Concurrency = 1
	ev := &events{}
	o.Observer = ev
	q := e.open(t, o)
	first := enqueue(t, q, review(1, "sha1", "delivery-1"))
	again := enqueue(t, q, review(1, "sha1", "delivery-1"))
	if !again.Duplicate || again.ID != first.ID {
		t.Fatalf("redelivery: got %+v, want Duplicate of %s", again, first.ID)
	}
	// No delivery id: jobs made by a sweep are never deduped.
	a := enqueue(t, q, review(2, "sha2", ""))
	b := enqueue(t, q, review(2, "sha2", ""))
	if a.Duplicate || b.Duplicate || a.ID == b.ID {
		t.Fatalf("jobs without delivery id: %+v, %+v; want two distinct jobs", a, b)
	}
	rec := &recorder{}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	if got := rec.count(); got != 3 {
		t.Errorf("handler ran %d times, want 3 (one per distinct job)", got)
	}
	// Remembered after the job finished too: a late redelivery is dropped.
	late := enqueue(t, q, review(1, "sha1", "delivery-1"))
	if !late.Duplicate {
		t.Errorf("redelivery after the job finished: got %+v, want Duplicate", late)
	}
	if got := ev.get(queue.EventDuplicate); got != 2 {
		t.Errorf("duplicate events = %d, want 2", got)
	}
}

func testSupersede(t *testing.T, e env) {
	ctx := context.Background()
	o := fastOptions()
	o.Concurrency = 1
	ev := &events{}
	o.Observer = ev
	q := e.open(t, o)

	old := review(1, "sha-old", "d1")
	old.ID = enqueue(t, q, old).ID
	newer := review(1, "sha-new", "d2")
	res := enqueue(t, q, newer)
	if !res.Superseded {
		t.Errorf("newer head of a pending pull request: Superseded = false, want true")
	}
	newer.ID = res.ID
	if res := enqueue(t, q, review(1, "sha-new", "d3")); res.Superseded {
		t.Errorf("same head again: Superseded = true, want false")
	}
	if res := enqueue(t, q, review(2, "sha-other", "d4")); res.Superseded {
		t.Errorf("another pull request: Superseded = true, want false")
	}
	push := queue.Job{Kind: platform.KindPush, DeliveryID: "d5", Change: platform.Change{
		Platform: platform.GitHub, Repo: platform.Repo{Owner: "ACME", Name: "API"}, Ref: "feature", HeadSHA: "p1"}}
	if res := enqueue(t, q, push); res.Superseded {
		t.Errorf("a push to the pull request's branch: Superseded = true, want false (different key)")
	}

	for _, c := range []struct {
		j    queue.Job
		want bool
	}{{old, false}, {newer, true}} {
		got, err := q.Current(ctx, c.j)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Current(%s) = %v, want %v", c.j.Change.HeadSHA, got, c.want)
		}
	}

	// The worker asks while running: the stale job learns it is stale.
	var mu sync.Mutex
	current := map[string]bool{}
	h := func(ctx context.Context, j queue.Job) error {
		ok, err := q.Current(ctx, j)
		if err != nil {
			return err
		}
		mu.Lock()
		current[j.Change.HeadSHA] = ok
		mu.Unlock()
		return nil
	}
	stop := run(t, q, h)
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	stop()
	mu.Lock()
	want := map[string]bool{"sha-old": false, "sha-new": true, "sha-other": true, "p1": true}
	if diff := cmp.Diff(want, current); diff != "" {
		t.Errorf("Current seen by the handler (-want +got):\n%s", diff)
	}
	mu.Unlock()
	if got := ev.get(queue.EventSuperseded); got != 1 {
		t.Errorf("superseded events = %d, want 1", got)
	}
	// Nothing pending any more: a new head supersedes nothing.
	if res := enqueue(t, q, review(1, "sha-newest", "d6")); res.Superseded {
		t.Errorf("new head after every job finished: Superseded = true, want false")
	}
}

func testRetryThenDead(t *testing.T, e env) {
	ev := &events{}
	o := fastOptions()
	o.Observer = ev
	q := e.open(t, o)
	j := review(1, "sha1", "d1")
	j.ID = enqueue(t, q, j).ID
	rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error { return errBoom(n) }}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })

	var attempts []int
	var lastErrs []string
	for _, c := range rec.snapshot() {
		attempts = append(attempts, c.job.Attempt)
		lastErrs = append(lastErrs, c.job.LastError)
	}
	if diff := cmp.Diff([]int{0, 1, 2}, attempts); diff != "" {
		t.Errorf("attempts seen by the handler (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "boom 1", "boom 2"}, lastErrs); diff != "" {
		t.Errorf("LastError seen by the handler (-want +got):\n%s", diff)
	}
	d := dead(t, q)[0]
	if d.Job.ID != j.ID || d.Job.Attempt != 3 || d.Job.LastError != "boom 3" || d.At.IsZero() {
		t.Errorf("dead letter = %+v, want job %s at attempt 3 with error boom 3", d, j.ID)
	}
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	for ev2, want := range map[queue.Event]int{queue.EventFailed: 3, queue.EventRetried: 2, queue.EventDead: 1, queue.EventDone: 0} {
		if got := ev.get(ev2); got != want {
			t.Errorf("%s events = %d, want %d", ev2, got, want)
		}
	}
}

// testRequeueDead: a dead letter put back runs again as a first attempt,
// and leaves the dead letters.
func testRequeueDead(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	j := review(1, "sha1", "d1")
	j.ID = enqueue(t, q, j).ID
	healed := make(chan struct{})
	rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error {
		select {
		case <-healed:
			return nil
		default:
			return errBoom(n)
		}
	}}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })
	close(healed) // the outage is over
	n, err := q.Requeue(context.Background(), 0)
	if err != nil || n != 1 {
		t.Fatalf("Requeue = %d, %v; want 1", n, err)
	}
	waitFor(t, 5*time.Second, "the requeued run", func() bool { return rec.count() == 4 })
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	last := rec.snapshot()[3].job
	if last.ID != j.ID || last.Attempt != 0 || last.LastError != "" {
		t.Errorf("requeued run saw %+v, want job %s as a first attempt", last, j.ID)
	}
	if d := dead(t, q); len(d) != 0 {
		t.Errorf("dead letters after requeue: %+v", d)
	}
}

// testRetryAfter: a rate limit is waited out, not held against the job:
// rate-limited more times than MaxAttempts allows failures, it still runs
// to completion, each run after the window the host gave.
func testRetryAfter(t *testing.T, e env) {
	const after = 300 * time.Millisecond
	o := fastOptions() // backoff at most 40ms: only RetryAfter explains a longer wait
	o.MaxAttempts = 2
	q := e.open(t, o)
	enqueue(t, q, review(1, "sha1", "d1"))
	const limited = 3 // more than MaxAttempts
	rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error {
		if n <= limited {
			return fmt.Errorf("listing files: %w", rateLimited(after))
		}
		return nil
	}}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "the run after the windows", func() bool { return rec.count() == limited+1 })
	c := rec.snapshot()
	for i := 1; i < len(c); i++ {
		if gap := c[i].at.Sub(c[i-1].at); gap < after {
			t.Errorf("run %d came %s after the rate limit, want no earlier than %s", i+1, gap, after)
		}
		if c[i].job.Attempt != 0 || c[i].job.Waits != i || !strings.Contains(c[i].job.LastError, "rate limited") {
			t.Errorf("run %d: attempt %d, waits %d, last error %q; want attempt 0, waits %d and the rate limit",
				i+1, c[i].job.Attempt, c[i].job.Waits, c[i].job.LastError, i)
		}
	}
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	if n := len(dead(t, q)); n != 0 {
		t.Errorf("%d dead letters, want 0 (rate limits are no failed attempts)", n)
	}
}

func testPermanent(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	enqueue(t, q, review(1, "sha1", "d1"))
	rec := &recorder{respond: func(int, context.Context, queue.Job) error {
		return fmt.Errorf("fetching change: %w", &platform.PermanentError{Err: errors.New("repository gone")})
	}}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })
	if n := rec.count(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	d := dead(t, q)[0]
	if d.Job.Attempt != 1 || d.Job.LastError != "fetching change: repository gone" {
		t.Errorf("dead letter: attempt %d, error %q", d.Job.Attempt, d.Job.LastError)
	}
}

func testPanic(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	enqueue(t, q, review(1, "sha1", "d1"))
	rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error {
		if n == 1 {
			panic("nil map")
		}
		return nil
	}}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "second attempt", func() bool { return rec.count() == 2 })
	if got := rec.snapshot()[1].job.LastError; got != "handler panic: nil map" {
		t.Errorf("LastError after panic = %q", got)
	}
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
}

func testHandlerContext(t *testing.T, e env) {
	o := fastOptions()
	o.JobTimeout = 100 * time.Millisecond
	o.MaxAttempts = 1
	q := e.open(t, o)
	enqueue(t, q, review(1, "sha1", "d1"))
	rec := &recorder{respond: func(_ int, ctx context.Context, _ queue.Job) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return errors.New("job timeout not applied")
		}
	}}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })
	if c := rec.snapshot()[0]; !c.deadline {
		t.Errorf("handler context has no deadline")
	}
	if got := dead(t, q)[0].Job.LastError; got != context.DeadlineExceeded.Error() {
		t.Errorf("LastError = %q, want the job timeout", got)
	}
}

func testGracefulStop(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	enqueue(t, q, review(1, "sha1", "d1"))
	started := make(chan struct{})
	release := make(chan struct{})
	var handlerCtxErr atomic.Value
	rec := &recorder{respond: func(_ int, ctx context.Context, _ queue.Job) error {
		close(started)
		<-release
		handlerCtxErr.Store(fmt.Sprint(ctx.Err()))
		return nil
	}}
	stop := run(t, q, rec.handle)
	<-started
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Run returned while a job was in flight")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the in-flight job finished")
	}
	if got := handlerCtxErr.Load(); got != "<nil>" {
		t.Errorf("handler context after stop: %v, want not cancelled", got)
	}
	if d := depth(t, q); d != 0 {
		t.Errorf("depth after in-flight job finished = %d, want 0 (acknowledged)", d)
	}
	// A stopped consumer takes no more work.
	enqueue(t, q, review(2, "sha2", "d2"))
	time.Sleep(100 * time.Millisecond)
	if n := rec.count(); n != 1 {
		t.Errorf("handler ran %d times, want 1", n)
	}
	if d := depth(t, q); d != 1 {
		t.Errorf("depth = %d, want the new job waiting", d)
	}
}

func testConcurrency(t *testing.T, e env) {
	const workers = 3
	o := fastOptions()
	o.Concurrency = workers
	q := e.open(t, o)
	for i := range 2 * workers {
		enqueue(t, q, review(i+1, "sha", fmt.Sprintf("d%d", i)))
	}
	var inFlight, peak atomic.Int32
	rec := &recorder{respond: func(int, context.Context, queue.Job) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		// Hold until every worker is busy (or give up), so the peak shows
		// whether the work really ran side by side.
		deadline := time.Now().Add(2 * time.Second)
		for peak.Load() < workers && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		return nil
	}}
	run(t, q, rec.handle)
	waitFor(t, 10*time.Second, "all jobs handled", func() bool { return rec.count() == 2*workers })
	if p := peak.Load(); p != workers {
		t.Errorf("peak concurrency = %d, want %d", p, workers)
	}
}

func testDepth(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	if d := depth(t, q); d != 0 {
		t.Fatalf("empty queue depth = %d", d)
	}
	for i := range 3 {
		enqueue(t, q, review(i+1, "sha", fmt.Sprintf("d%d", i)))
	}
	if d := depth(t, q); d != 3 {
		t.Fatalf("depth after 3 enqueues = %d", d)
	}
	release := make(chan struct{})
	rec := &recorder{respond: func(n int, _ context.Context, j queue.Job) error {
		if j.Change.Number == 1 && j.Waits == 0 {
			return rateLimited(400 * time.Millisecond)
		}
		if j.Change.Number == 2 {
			<-release
		}
		return nil
	}}
	run(t, q, rec.handle)
	// Job 1 waits to retry, job 2 runs, job 3 is done.
	waitFor(t, 5*time.Second, "depth 2", func() bool { return depth(t, q) == 2 })
	close(release)
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	if n := rec.count(); n != 4 {
		t.Errorf("handler ran %d times, want 4", n)
	}
}

func testCapacity(t *testing.T, e env) {
	o := fastOptions()
	o.Capacity = 2
	q := e.open(t, o)
	enqueue(t, q, review(1, "sha", "d1"))
	enqueue(t, q, review(2, "sha", "d2"))
	if _, err := q.Enqueue(context.Background(), review(3, "sha", "d3")); !errors.Is(err, queue.ErrFull) {
		t.Errorf("Enqueue beyond capacity: %v, want ErrFull", err)
	}
	// A redelivery of a queued job is still recognised when full.
	if res := enqueue(t, q, review(1, "sha", "d1")); !res.Duplicate {
		t.Errorf("redelivery when full: %+v, want Duplicate", res)
	}
	rec := &recorder{}
	run(t, q, rec.handle)
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	// Room again, and the refused delivery was not remembered.
	if res := enqueue(t, q, review(3, "sha", "d3")); res.Duplicate {
		t.Errorf("delivery refused as full was remembered as seen")
	}
}

func testInvalid(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	noSHA := review(1, "", "d1")
	unknown := review(1, "sha", "d2")
	unknown.Kind = "deploy"
	pushNoRef := queue.Job{Kind: platform.KindPush, Change: platform.Change{Platform: platform.GitLab,
		Repo: platform.Repo{Owner: "g", Name: "p"}, HeadSHA: "x"}}
	for name, j := range map[string]queue.Job{"no head": noSHA, "unknown kind": unknown, "push without ref": pushNoRef} {
		if _, err := q.Enqueue(context.Background(), j); !errors.Is(err, queue.ErrInvalidJob) {
			t.Errorf("%s: Enqueue error %v, want ErrInvalidJob", name, err)
		}
	}
	if d := depth(t, q); d != 0 {
		t.Errorf("depth = %d after invalid jobs", d)
	}
}
