package queue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/queue"
)

// A verified body replayed under a fresh delivery id is a duplicate of the
// job its first delivery queued, on every implementation; a redelivery of
// the same id still is; a different body under the same key prefix is not.
func TestReplayKeyDedupes(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			q := impl.newEnv(t).open(t, fastOptions())
			withReplay := func(delivery, key string) queue.Job {
				j := review(1, "sha1", delivery)
				j.ReplayKey = key
				return j
			}
			first := enqueue(t, q, withReplay("d-1", "github:aaaa"))
			for _, tc := range []struct {
				name string
				job  queue.Job
				dup  bool
			}{
				{"same body, fresh delivery id", withReplay("d-2", "github:aaaa"), true},
				{"same delivery id (GitHub redelivery)", withReplay("d-1", "github:aaaa"), true},
				{"same delivery id, no replay key", withReplay("d-1", ""), true},
				{"other body, fresh delivery id", withReplay("d-3", "github:bbbb"), false},
				// The namespaces are apart: a delivery id equal to a replay
				// key does not match it.
				{"delivery id spelled like the replay key", withReplay("github:aaaa", ""), false},
			} {
				res := enqueue(t, q, tc.job)
				if res.Duplicate != tc.dup {
					t.Errorf("%s: Duplicate = %v, want %v", tc.name, res.Duplicate, tc.dup)
				}
				if tc.dup && res.ID != first.ID {
					t.Errorf("%s: duplicate of %s, want of %s", tc.name, res.ID, first.ID)
				}
			}
		})
	}
}

// A dead job put back by Requeue runs again although its replay key is
// still remembered.
func TestRequeueForgetsReplayKey(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			q := impl.newEnv(t).open(t, fastOptions())
			j := review(1, "sha1", "d-1")
			j.ReplayKey = "gitlab:cccc"
			enqueue(t, q, j)
			healed := make(chan struct{})
			rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error {
				select {
				case <-healed:
					return nil
				default:
					return errors.New("boom")
				}
			}}
			run(t, q, rec.handle)
			waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })
			close(healed)
			if n, err := q.Requeue(context.Background(), 0); err != nil || n != 1 {
				t.Fatalf("Requeue = %d, %v; want 1", n, err)
			}
			waitFor(t, 5*time.Second, "the requeued run", func() bool { return rec.count() == 4 })
		})
	}
}

// The replay key is shared by every server on one Redis and kept for the
// dedupe window, like the delivery id.
func TestRedisReplayKeyAcrossProcesses(t *testing.T) {
	t.Parallel()
	e := newRedisEnv(t)
	a := e.open(t, fastOptions())
	b := e.open(t, fastOptions())
	j := review(1, "sha1", "d-a")
	j.ReplayKey = "github:dddd"
	first := enqueue(t, a, j)
	j.DeliveryID = "d-b"
	again := enqueue(t, b, j)
	if !again.Duplicate || again.ID != first.ID {
		t.Errorf("replay to another process: %+v, want Duplicate of %s", again, first.ID)
	}
	ttl := e.admin.PTTL(context.Background(), e.prefix+":replay:github:dddd").Val()
	if ttl < 71*time.Hour || ttl > 72*time.Hour {
		t.Errorf("replay key kept for %s, want the 72h dedupe window", ttl)
	}
}
