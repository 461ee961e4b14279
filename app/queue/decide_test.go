package queue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// A handler that asks queue.Decide about its own error (as the worker does,
// to end a check no run will finish) is told exactly what the queue then
// does: every run predicted Retry or Wait is followed by another, and the
// run predicted Dead is the last, its job in the dead letters.
func TestDecidePredictsTheQueue(t *testing.T) {
	const window = 20 * time.Millisecond
	limited := fmt.Errorf("listing files: %w", rateLimited(window))
	perm := fmt.Errorf("reading the repository: %w", &platform.PermanentError{Err: errors.New("gone")})
	boom := errors.New("502 Bad Gateway")
	for _, tc := range []struct {
		name string
		errs []error // one per run; the job succeeds after them unless one is final
		want []queue.Outcome
	}{
		{"transient until the attempts are spent", []error{boom, boom, boom}, []queue.Outcome{queue.Retry, queue.Retry, queue.Dead}},
		{"rate limits are waited out between failures", []error{limited, boom, limited, limited, boom, boom},
			[]queue.Outcome{queue.Wait, queue.Retry, queue.Wait, queue.Wait, queue.Retry, queue.Dead}},
		{"permanent ends at once", []error{limited, perm}, []queue.Outcome{queue.Wait, queue.Dead}},
		{"success after a retry", []error{boom, nil}, []queue.Outcome{queue.Retry, queue.Done}},
	} {
		for _, impl := range implementations {
			t.Run(impl.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				o := fastOptions()
				o.MaxAttempts = 3
				q := impl.newEnv(t).open(t, o)
				enqueue(t, q, review(1, "sha1", "d1"))
				var mu sync.Mutex
				var got []queue.Outcome
				rec := &recorder{respond: func(n int, _ context.Context, j queue.Job) error {
					var err error
					if n <= len(tc.errs) {
						err = tc.errs[n-1]
					}
					mu.Lock()
					got = append(got, queue.Decide(j, err, o.MaxAttempts))
					mu.Unlock()
					return err
				}}
				run(t, q, rec.handle)
				waitFor(t, 5*time.Second, "depth 0", func() bool { return depth(t, q) == 0 })
				mu.Lock()
				defer mu.Unlock()
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("Decide said %v over the runs, want %v", got, tc.want)
				}
				final := tc.want[len(tc.want)-1]
				if n := len(dead(t, q)); (final == queue.Dead) != (n == 1) || n > 1 {
					t.Errorf("%d dead letters after a last run judged %v", n, final)
				}
				if n := rec.count(); n != len(tc.want) {
					t.Errorf("handler ran %d times, want %d", n, len(tc.want))
				}
			})
		}
	}
}

// A failed run's error is logged under "err", the key every other part of
// shiftward logs errors under.
func TestFailuresLoggedUnderErr(t *testing.T) {
	for _, impl := range implementations {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			var buf scannertest.LogBuffer
			o := fastOptions()
			o.MaxAttempts = 2
			o.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
			q := impl.newEnv(t).open(t, o)
			enqueue(t, q, review(1, "sha1", "d1"))
			rec := &recorder{respond: func(n int, _ context.Context, _ queue.Job) error { return errBoom(n) }}
			run(t, q, rec.handle)
			waitFor(t, 5*time.Second, "a dead letter", func() bool { return len(dead(t, q)) == 1 })
			want := map[string]string{"job failed, will retry": "boom 1", "job dead-lettered": "boom 2"}
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var l map[string]any
				if err := json.Unmarshal([]byte(line), &l); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				msg, _ := l["msg"].(string)
				if _, ok := l["error"]; ok {
					t.Errorf("%q logged an \"error\" key: %s", msg, line)
				}
				if w, ok := want[msg]; ok {
					if l["err"] != w {
						t.Errorf("%q: err = %v, want %q", msg, l["err"], w)
					}
					delete(want, msg)
				}
			}
			for msg := range want {
				t.Errorf("no %q line logged:\n%s", msg, buf.String())
			}
		})
	}
}
