package queue_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/redistest"
)

// TestRedisModes runs the whole behaviour suite (enqueue, handle and
// acknowledge; dedupe and supersede; retry, dead letters and requeue; ...)
// and the Redis queue's own (reclaim, heartbeat, several consumers) through a real Redis Cluster of three masters and a real Sentinel, each
// started for the test on loopback and behind a password, reached by the
// URL an operator would write.
func TestRedisModes(t *testing.T) {
	t.Parallel()
	modes := []struct {
		name string
		mode queue.RedisMode
		url  func(t *testing.T) string
	}{
		{"cluster", queue.RedisCluster, func(t *testing.T) string { return redistest.Cluster(t, "cluster-secret-1") }},
		{"sentinel", queue.RedisSentinel, func(t *testing.T) string {
			return redistest.Sentinel(t, "master-secret-1", "sentinel-secret-1")
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			u := m.url(t)
			admin, mode, err := queue.NewRedisClient(u)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { admin.Close() })
			if mode != m.mode {
				t.Fatalf("mode %q, want %q", mode, m.mode)
			}
			newEnv := func(t *testing.T) env {
				prefix := uniquePrefix()
				return env{prefix: prefix, admin: admin, open: func(t *testing.T, o queue.Options) testQueue {
					o.Prefix = prefix
					q, err := queue.OpenRedis(u, o)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { q.Close() })
					return q
				}}
			}
			for _, b := range append(slices.Clone(behaviours), redisBehaviours...) {
				t.Run(b.name, func(t *testing.T) {
					t.Parallel()
					b.test(t, newEnv(t))
				})
			}
			t.Run("keys in one slot", func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				q := e.open(t, fastOptions())
				enqueue(t, q, review(1, "sha1", "d1"))
				ctx := context.Background()
				var keys []string
				var err error
				if cc, ok := admin.(*redis.ClusterClient); ok {
					// KEYS goes to one node: ask every master.
					var mu sync.Mutex
					err = cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
						ks, err := n.Keys(ctx, e.prefix+"*").Result()
						mu.Lock()
						keys = append(keys, ks...)
						mu.Unlock()
						return err
					})
				} else {
					keys, err = admin.Keys(ctx, e.prefix+"*").Result()
				}
				if err != nil {
					t.Fatal(err)
				}
				// The stream, the head and the delivery at least.
				if len(keys) < 3 {
					t.Fatalf("keys under %s: %v, want the stream, head and delivery", e.prefix, keys)
				}
				if m.mode != queue.RedisCluster {
					return
				}
				slots := map[int64]bool{}
				for _, k := range keys {
					slots[admin.ClusterKeySlot(ctx, k).Val()] = true
				}
				if len(slots) != 1 {
					t.Errorf("queue keys %v spread over slots %v, want one", keys, slots)
				}
			})
			if m.mode == queue.RedisCluster {
				t.Run("prefix without a hash tag refused", func(t *testing.T) {
					t.Parallel()
					testClusterRefusesPrefixWithoutHashTag(t, u)
				})
			}
		})
	}
}

// In cluster mode a prefix without a hash tag is refused before any key is
// written (its scripts would fail with CROSSSLOT on the first job); the
// same prefix works on one server.
func testClusterRefusesPrefixWithoutHashTag(t *testing.T, u string) {
	for _, prefix := range []string{"shiftward", "{}shiftward", "{shiftward", "shiftward}{"} {
		q, err := queue.OpenRedis(u, queue.Options{Prefix: prefix})
		if err == nil {
			q.Close()
			t.Errorf("OpenRedis(cluster, prefix %q) accepted", prefix)
			continue
		}
		if !strings.Contains(err.Error(), "hash tag") || strings.Contains(err.Error(), "\n") {
			t.Errorf("OpenRedis(cluster, prefix %q) = %v, want one line about the hash tag", prefix, err)
		}
	}
	q, err := queue.OpenRedis(u, queue.Options{Prefix: "app{shiftward}"})
	if err != nil {
		t.Fatalf("a prefix with a hash tag refused: %v", err)
	}
	q.Close()
	q, err = queue.OpenRedis(redisURL(), queue.Options{Prefix: "shiftward"})
	if err != nil {
		t.Fatalf("one server refused a prefix without a hash tag: %v", err)
	}
	q.Close()
}

// A worker started before its Redis waits for it (Ping failing meanwhile,
// so /readyz says 503) instead of exiting, and runs jobs once it is up.
func TestRedisRunWaitsForRedis(t *testing.T) {
	t.Parallel()
	port := redistest.FreePort(t)
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	q, err := queue.OpenRedis(u, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	rec := &recorder{}
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { done <- q.Run(ctx, rec.handle) }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while Redis was down", err)
	default:
	}
	if err := q.Ping(context.Background()); err == nil {
		t.Fatal("Ping succeeded with no Redis")
	}
	redistest.Start(t, port)
	enqueue(t, q, review(1, "sha1", "d1"))
	waitFor(t, 5*time.Second, "the job to run once Redis is up", func() bool { return rec.count() == 1 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Run did not return after cancellation")
	}
}
