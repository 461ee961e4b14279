package queue_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// consumer returns o with a consumer name and observer.
func consumer(o queue.Options, name string, obs queue.Observer) queue.Options {
	o.Consumer = name
	o.Observer = obs
	return o
}

// redisBehaviours are properties of the Redis queue shared by several
// processes (consumers that die, stall or race); they run on one server
// here and through Sentinel and Cluster in TestRedisModes.
var redisBehaviours = []behaviour{
	{"a killed worker's job is reclaimed", testRedisReclaimsJobOfKilledWorker},
	{"a job that keeps losing its worker is dead-lettered", testRedisDeadLettersJobThatKeepsLosingItsWorker},
	{"heartbeat keeps a long job", testRedisHeartbeatKeepsLongJob},
	{"dedupe across processes", testRedisDedupeAcrossProcesses},
	{"a lost group is recreated", testRedisRecreatesLostGroup},
	{"a stopped consumer leaves the group", testRedisConsumerLeavesGroup},
	{"several consumers retry each job once", testRedisSeveralConsumersRetryEachJobOnce},
}

func TestRedisBehaviours(t *testing.T) {
	for _, b := range redisBehaviours {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			b.test(t, newRedisEnv(t))
		})
	}
}

// A worker that dies mid-job leaves it pending; another consumer takes it
// over after the visibility timeout and the job is settled exactly once.
func testRedisReclaimsJobOfKilledWorker(t *testing.T, e env) {
	o := fastOptions()
	o.Concurrency = 1
	evA, evB := &events{}, &events{}

	a := e.open(t, consumer(o, "a", evA))
	started := make(chan time.Time, 1)
	release := make(chan struct{})
	var completions atomic.Int32
	stopA := run(t, a, func(ctx context.Context, j queue.Job) error {
		started <- time.Now()
		<-release
		completions.Add(1)
		return nil
	})
	j := review(1, "sha1", "d1")
	j.ID = enqueue(t, a, j).ID
	startA := <-started
	// Kill worker a: its connection goes, so no heartbeat and no ack.
	a.Close()

	b := e.open(t, consumer(o, "b", evB))
	var gotB []queue.Job
	var mu sync.Mutex
	run(t, b, func(ctx context.Context, j queue.Job) error {
		mu.Lock()
		gotB = append(gotB, j)
		mu.Unlock()
		completions.Add(1)
		return nil
	})
	waitFor(t, 5*time.Second, "consumer b to finish the job", func() bool { return evB.get(queue.EventDone) == 1 })
	if took := time.Since(startA); took < o.Visibility {
		t.Errorf("job taken over after %s, before the visibility timeout %s", took, o.Visibility)
	}
	close(release) // the dead worker's handler "finishes" too late
	stopA()

	mu.Lock()
	if len(gotB) != 1 || gotB[0].ID != j.ID || gotB[0].Attempt != 0 {
		t.Errorf("consumer b ran %+v, want job %s once at attempt 0", gotB, j.ID)
	}
	mu.Unlock()
	if got := evB.get(queue.EventReclaimed); got != 1 {
		t.Errorf("reclaimed events on b = %d, want 1", got)
	}
	if done := evA.get(queue.EventDone) + evB.get(queue.EventDone); done != 1 {
		t.Errorf("job settled %d times, want exactly 1", done)
	}
	if c := completions.Load(); c != 2 {
		t.Errorf("handler completions = %d, want 2 (the late one on a is not settled)", c)
	}
	if d := depth(t, b); d != 0 {
		t.Errorf("depth = %d, want 0", d)
	}
}

// A job that keeps losing its worker goes to the dead letters instead of
// killing every worker in turn.
func testRedisDeadLettersJobThatKeepsLosingItsWorker(t *testing.T, e env) {
	o := fastOptions()
	o.Concurrency = 1
	o.MaxAttempts = 2
	enqueue(t, e.open(t, o), review(1, "sha1", "d1"))

	// Two workers die holding the job.
	for _, name := range []string{"a1", "a2"} {
		q := e.open(t, consumer(o, name, nil))
		started := make(chan struct{}, 1)
		release := make(chan struct{})
		stop := run(t, q, func(context.Context, queue.Job) error {
			started <- struct{}{}
			<-release
			return nil
		})
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatalf("worker %s never got the job", name)
		}
		q.Close()
		close(release)
		stop()
	}

	ev := &events{}
	b := e.open(t, consumer(o, "b", ev))
	rec := &recorder{}
	run(t, b, rec.handle)
	waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, b)) == 1 })
	if n := rec.count(); n != 0 {
		t.Errorf("handler ran %d times on the third consumer, want 0", n)
	}
	d := dead(t, b)[0]
	if !strings.Contains(d.Job.LastError, "worker lost the job 2 times") {
		t.Errorf("dead letter error = %q", d.Job.LastError)
	}
	if d := depth(t, b); d != 0 {
		t.Errorf("depth = %d, want 0", d)
	}
}

// A long job heartbeats, so a second consumer does not steal it although it
// runs for several visibility timeouts.
func testRedisHeartbeatKeepsLongJob(t *testing.T, e env) {
	o := fastOptions()
	ev := &events{}
	var calls atomic.Int32
	h := func(ctx context.Context, j queue.Job) error {
		calls.Add(1)
		time.Sleep(4 * o.Visibility)
		return nil
	}
	a := e.open(t, consumer(o, "a", ev))
	b := e.open(t, consumer(o, "b", ev))
	run(t, a, h)
	run(t, b, h)
	enqueue(t, a, review(1, "sha1", "d1"))
	waitFor(t, 5*time.Second, "the job to finish", func() bool { return ev.get(queue.EventDone) == 1 })
	if c := calls.Load(); c != 1 {
		t.Errorf("long job ran %d times, want 1", c)
	}
	if r := ev.get(queue.EventReclaimed); r != 0 {
		t.Errorf("long job reclaimed %d times, want 0", r)
	}
}

// Two processes share the dedupe: a redelivery to the other server is
// still a duplicate.
func testRedisDedupeAcrossProcesses(t *testing.T, e env) {
	a := e.open(t, fastOptions())
	b := e.open(t, fastOptions())
	first := enqueue(t, a, review(1, "sha1", "delivery-x"))
	again := enqueue(t, b, review(1, "sha1", "delivery-x"))
	if !again.Duplicate || again.ID != first.ID {
		t.Errorf("redelivery to another process: %+v, want Duplicate of %s", again, first.ID)
	}
	ttl := e.admin.PTTL(context.Background(), e.prefix+":delivery:delivery-x").Val()
	if ttl < 71*time.Hour || ttl > 72*time.Hour {
		t.Errorf("delivery id kept for %s, want the 72h dedupe window", ttl)
	}
}

// If the stream and group vanish (Redis restarted without persistence),
// consumers recreate the group and carry on.
func testRedisRecreatesLostGroup(t *testing.T, e env) {
	q := e.open(t, fastOptions())
	rec := &recorder{}
	run(t, q, rec.handle)
	enqueue(t, q, review(1, "sha1", "d1"))
	waitFor(t, 5*time.Second, "first job", func() bool { return rec.count() == 1 })
	if err := e.admin.Del(context.Background(), e.prefix+":jobs").Err(); err != nil {
		t.Fatal(err)
	}
	enqueue(t, q, review(2, "sha2", "d2"))
	waitFor(t, 5*time.Second, "job after the group was lost", func() bool { return rec.count() == 2 })
}

// A stopped consumer with nothing pending leaves the group, so restarts do
// not pile up consumer names.
func testRedisConsumerLeavesGroup(t *testing.T, e env) {
	q := e.open(t, consumer(fastOptions(), "leaver", nil))
	rec := &recorder{}
	stop := run(t, q, rec.handle)
	enqueue(t, q, review(1, "sha1", "d1"))
	waitFor(t, 5*time.Second, "job", func() bool { return rec.count() == 1 })
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
	stop()
	cs, err := e.admin.XInfoConsumers(context.Background(), e.prefix+":jobs", "workers").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == "leaver" {
			t.Errorf("consumer still in the group after Run returned: %+v", c)
		}
	}
}

// policyHook answers CONFIG GET maxmemory-policy with a canned reply, so the
// warning can be tested without reconfiguring a shared Redis.
type policyHook struct {
	policy string
	refuse bool
}

func (policyHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (policyHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h policyHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c, ok := cmd.(*redis.MapStringStringCmd)
		if !ok || cmd.Name() != "config" {
			return next(ctx, cmd)
		}
		if h.refuse {
			err := errors.New("ERR unknown command 'CONFIG'")
			c.SetErr(err)
			return err
		}
		c.SetVal(map[string]string{"maxmemory-policy": h.policy})
		return nil
	}
}

func TestRedisWarnsAboutEvictionPolicy(t *testing.T) {
	t.Parallel()
	redisClient(t).Close() // skip or fail early when Redis is absent
	for _, tc := range []struct {
		name      string
		hook      policyHook
		wantWarns int
	}{
		{"eviction policy warns once", policyHook{policy: "allkeys-lru"}, 1},
		{"noeviction is quiet", policyHook{policy: "noeviction"}, 0},
		{"CONFIG refused (managed Redis) is skipped", policyHook{refuse: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt, _ := redis.ParseURL(redisURL())
			c := redis.NewClient(opt)
			defer c.Close()
			c.AddHook(tc.hook)
			logs := &scannertest.LogBuffer{}
			o := fastOptions()
			o.Prefix = uniquePrefix()
			o.Logger = slog.New(slog.NewTextHandler(logs, nil))
			q, err := queue.NewRedis(c, o)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := q.Ping(context.Background()); err != nil {
					t.Fatalf("Ping: %v", err)
				}
			}
			if got := strings.Count(logs.String(), "maxmemory-policy is not noeviction"); got != tc.wantWarns {
				t.Errorf("%d warnings, want %d; logs:\n%s", got, tc.wantWarns, logs)
			}
		})
	}
}

// NewRedis does not own the client it is given; OpenRedis does.
func TestRedisCloseOwnership(t *testing.T) {
	t.Parallel()
	c := redisClient(t)
	defer c.Close()
	q, err := queue.NewRedis(c, queue.Options{Prefix: uniquePrefix()})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Errorf("caller's client closed by queue.Close: %v", err)
	}
	if _, err := q.Enqueue(context.Background(), review(1, "s", "d")); !errors.Is(err, queue.ErrClosed) {
		t.Errorf("Enqueue after Close: %v, want ErrClosed", err)
	}
	if _, err := queue.OpenRedis("redis://user:hunter2@[bad", queue.Options{}); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("OpenRedis with a bad URL: %v; want an error without the password", err)
	}
}

// BenchmarkRedisEnqueue measures Enqueue latency (one Lua round trip) and
// reports its median and 99th percentile.
func BenchmarkRedisEnqueue(b *testing.B) {
	c := redisClient(b)
	prefix := uniquePrefix()
	b.Cleanup(func() {
		deleteKeys(b, c, prefix)
		c.Close()
	})
	q, err := queue.NewRedis(c, queue.Options{Prefix: prefix, Capacity: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		j := review(i%500+1, "sha", "bench-"+strconv.Itoa(i))
		start := time.Now()
		if _, err := q.Enqueue(ctx, j); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// partition makes a client fail every command while on, as if the network
// to Redis were cut.
type partition struct{ on atomic.Bool }

func (p *partition) DialHook(next redis.DialHook) redis.DialHook { return next }
func (p *partition) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if p.on.Load() {
			err := errors.New("partitioned")
			cmd.SetErr(err)
			return err
		}
		return next(ctx, cmd)
	}
}
func (p *partition) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if p.on.Load() {
			return errors.New("partitioned")
		}
		return next(ctx, cmds)
	}
}

// A worker cut off from Redis past the visibility timeout loses its job to
// another consumer. When it comes back, its heartbeat finds the job taken
// and cancels its handler, and it settles nothing: no ack under the other
// consumer's feet, no retry scheduled.
func TestRedisTakenOverJobIsCancelledAndNotSettled(t *testing.T) {
	t.Parallel()
	e := newRedisEnv(t)
	o := fastOptions()
	o.Concurrency = 1
	evA, evB := &events{}, &events{}

	opt, _ := redis.ParseURL(redisURL())
	ca := redis.NewClient(opt)
	t.Cleanup(func() { ca.Close() })
	cut := &partition{}
	ca.AddHook(cut)
	oa := consumer(o, "a", evA)
	oa.Prefix = e.prefix
	a, err := queue.NewRedis(ca, oa)
	if err != nil {
		t.Fatal(err)
	}

	startedA, doneA := make(chan struct{}), make(chan struct{})
	var errA atomic.Value
	run(t, a, func(ctx context.Context, j queue.Job) error {
		close(startedA)
		defer close(doneA)
		select {
		case <-ctx.Done():
			errA.Store(ctx.Err())
		case <-time.After(5 * time.Second):
			errA.Store(errors.New("never cancelled"))
		}
		return ctx.Err()
	})
	enqueue(t, a, review(1, "sha1", "d1"))
	<-startedA
	cut.on.Store(true)

	b := e.open(t, consumer(o, "b", evB))
	startedB := make(chan struct{})
	run(t, b, func(ctx context.Context, j queue.Job) error {
		close(startedB)
		select { // hold the job until a has given up on it
		case <-doneA:
		case <-time.After(5 * time.Second):
		}
		// ...and a little longer, so that a settling what it no longer
		// holds would happen while b still runs the job.
		time.Sleep(100 * time.Millisecond)
		return nil
	})
	select {
	case <-startedB:
	case <-time.After(5 * time.Second):
		t.Fatal("consumer b never took the job over")
	}
	cut.on.Store(false)
	waitFor(t, 5*time.Second, "b to settle the job", func() bool { return evB.get(queue.EventDone) == 1 })
	waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, b) == 0 })

	<-doneA
	if err, _ := errA.Load().(error); !errors.Is(err, context.Canceled) {
		t.Errorf("a's handler ended with %v, want cancelled", err)
	}
	for _, ev := range []queue.Event{queue.EventDone, queue.EventFailed, queue.EventRetried, queue.EventDead} {
		if n := evA.get(ev); n != 0 {
			t.Errorf("a recorded %d %s events for a job it lost, want 0", n, ev)
		}
	}
	if d := depth(t, b); d != 0 {
		t.Errorf("depth = %d after a gave up, want 0 (no retry scheduled)", d)
	}
}

// Several processes consume and move due retries at once; each job still
// runs exactly once per attempt.
func testRedisSeveralConsumersRetryEachJobOnce(t *testing.T, e env) {
	const jobs = 20
	var mu sync.Mutex
	runs := map[string][]int{}
	h := func(_ context.Context, j queue.Job) error {
		mu.Lock()
		runs[j.ID] = append(runs[j.ID], j.Attempt)
		mu.Unlock()
		if j.Attempt == 0 {
			return errBoom(0)
		}
		return nil
	}
	var qs []testQueue
	for _, name := range []string{"p1", "p2", "p3"} {
		q := e.open(t, consumer(fastOptions(), name, nil))
		qs = append(qs, q)
		run(t, q, h)
	}
	want := map[string][]int{}
	for i := range jobs {
		res := enqueue(t, qs[i%len(qs)], review(i+1, "sha", "d"+strconv.Itoa(i)))
		want[res.ID] = []int{0, 1}
	}
	waitFor(t, 10*time.Second, "every job retried and done", func() bool { return depth(t, qs[0]) == 0 })
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, runs); diff != "" {
		t.Errorf("attempts run per job (-want +got):\n%s", diff)
	}
}
