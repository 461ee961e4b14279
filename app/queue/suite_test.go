package queue_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/redistest"
)

// testQueue is what the suite drives: the Queue plus the dead letters both
// implementations expose.
type testQueue interface {
	queue.Queue
	Dead(ctx context.Context, limit int) ([]queue.DeadLetter, error)
	Requeue(ctx context.Context, limit int) (int, error)
}

var (
	_ testQueue = (*queue.Memory)(nil)
	_ testQueue = (*queue.Redis)(nil)
)

// env makes queues for one test. For Redis, every queue it opens shares one
// key prefix (one store, several consumers), and the keys are deleted when
// the test ends.
type env struct {
	open func(t *testing.T, o queue.Options) testQueue
	// prefix and admin are set for Redis only: the key prefix of the
	// queues open makes and a client to inspect or break them.
	prefix string
	admin  redis.UniversalClient
}

// implementation is one Queue under test.
type implementation struct {
	name   string
	newEnv func(t *testing.T) env
}

var implementations = []implementation{
	{name: "memory", newEnv: func(*testing.T) env {
		return env{open: func(t *testing.T, o queue.Options) testQueue {
			q, err := queue.NewMemory(o)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Close() })
			return q
		}}
	}},
	{name: "redis", newEnv: newRedisEnv},
}

// queueTestDB is this package's own database on the test Redis (the app
// package's end-to-end tests use another).
const queueTestDB = 10

// redisURL is the Redis the tests use.
func redisURL() string {
	raw := os.Getenv("SHIFTWARD_TEST_REDIS_URL")
	if raw == "" {
		raw = "redis://127.0.0.1:6379"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw // redisClient reports the parse error
	}
	u.Path = fmt.Sprintf("/%d", queueTestDB)
	return u.String()
}

// redisClient connects to the test Redis. Unreachable Redis skips the test
// locally but fails it in CI, where a silently skipped suite would hide a
// broken queue.
func redisClient(t testing.TB) *redis.Client {
	t.Helper()
	return redistest.Client(t, redisURL())
}

// uniquePrefix is a fresh key namespace (and Cluster hash tag) per test.
func uniquePrefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "{swtest-" + hex.EncodeToString(b[:]) + "}"
}

// deleteKeys removes every key under prefix.
func deleteKeys(t testing.TB, c *redis.Client, prefix string) {
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Errorf("deleting test keys: %v", err)
	}
}

func newRedisEnv(t *testing.T) env {
	admin := redisClient(t)
	prefix := uniquePrefix()
	t.Cleanup(func() {
		deleteKeys(t, admin, prefix)
		admin.Close()
	})
	return env{prefix: prefix, admin: admin, open: func(t *testing.T, o queue.Options) testQueue {
		o.Prefix = prefix
		q, err := queue.OpenRedis(redisURL(), o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Close() })
		return q
	}}
}

// fastOptions keeps every wait in the tests well under a second.
func fastOptions() queue.Options {
	return queue.Options{
		Concurrency:  2,
		Visibility:   300 * time.Millisecond,
		MaxAttempts:  3,
		BackoffBase:  10 * time.Millisecond,
		BackoffMax:   40 * time.Millisecond,
		JobTimeout:   5 * time.Second,
		PollInterval: 20 * time.Millisecond,
	}
}

// review makes a review job for pull request n at head sha.
func review(n int, sha, delivery string) queue.Job {
	return queue.Job{
		DeliveryID: delivery,
		Kind:       platform.KindReview,
		Change: platform.Change{
			Platform: platform.GitHub, Installation: 7,
			Repo:   platform.Repo{Owner: "acme", Name: "api"},
			Number: n, BaseSHA: "base", HeadSHA: sha, Ref: "feature",
		},
	}
}

// call is one handler invocation as the handler saw it.
type call struct {
	job      queue.Job
	at       time.Time
	deadline bool
}

// recorder is a handler that records every call and answers with respond.
type recorder struct {
	mu      sync.Mutex
	calls   []call
	respond func(n int, ctx context.Context, j queue.Job) error
}

func (r *recorder) handle(ctx context.Context, j queue.Job) error {
	_, hasDeadline := ctx.Deadline()
	r.mu.Lock()
	r.calls = append(r.calls, call{job: j, at: time.Now(), deadline: hasDeadline})
	n := len(r.calls)
	r.mu.Unlock()
	if r.respond == nil {
		return nil
	}
	return r.respond(n, ctx, j)
}

func (r *recorder) snapshot() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// events counts observer events.
type events struct {
	mu sync.Mutex
	n  map[queue.Event]int
}

func (e *events) Observe(o queue.Observation) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.n == nil {
		e.n = make(map[queue.Event]int)
	}
	e.n[o.Event]++
}

func (e *events) get(ev queue.Event) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[ev]
}

// run consumes q with h until the returned stop is called (or the test
// ends); stop waits for Run to return and fails the test on an error.
func run(t *testing.T, q queue.Queue, h queue.Handler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx, h) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("Run did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds or fails the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func depth(t *testing.T, q queue.Queue) int64 {
	t.Helper()
	d, err := q.Depth(context.Background())
	if err != nil {
		t.Fatalf("Depth: %v", err)
	}
	return d
}

func enqueue(t *testing.T, q queue.Queue, j queue.Job) queue.Enqueued {
	t.Helper()
	res, err := q.Enqueue(context.Background(), j)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return res
}

func dead(t *testing.T, q testQueue) []queue.DeadLetter {
	t.Helper()
	d, err := q.Dead(context.Background(), 0)
	if err != nil {
		t.Fatalf("Dead: %v", err)
	}
	return d
}

// rateLimited is returned by handlers that want a RetryAfter.
func rateLimited(d time.Duration) error {
	return &platform.RateLimitError{After: d, Err: errors.New("secondary rate limit")}
}

// errBoom is a transient failure.
func errBoom(n int) error { return fmt.Errorf("boom %d", n) }
