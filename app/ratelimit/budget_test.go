package ratelimit_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/redistest"
)

// quotaHost is a fake code host that answers every request with GitHub's
// quota headers: remaining counts down from start, reset at a fixed epoch
// second. It records when each request arrived.
type quotaHost struct {
	mu        sync.Mutex
	remaining int
	reset     int64
	arrivals  []time.Time
	methods   []string
}

func newQuotaHost(t *testing.T, remaining int, resetIn time.Duration) (*quotaHost, *httptest.Server) {
	h := &quotaHost{remaining: remaining, reset: time.Now().Add(resetIn).Unix()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.arrivals = append(h.arrivals, time.Now())
		h.methods = append(h.methods, r.Method)
		if h.remaining > 0 {
			h.remaining--
		}
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(h.remaining))
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(h.reset, 10))
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *quotaHost) times() []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Time(nil), h.arrivals...)
}

// process is one shiftward process: its own Redis connection, store and
// budget for the same installation.
func newProcess(t *testing.T, url, prefix string, reserve int, limits []hostapi.Rate, events *[]hostapi.BudgetEvent, mu *sync.Mutex) *hostapi.Budget {
	rdb := redistest.Client(t, url)
	t.Cleanup(func() { rdb.Close() })
	return &hostapi.Budget{
		Next:            http.DefaultTransport,
		Store:           ratelimit.New(rdb, prefix, nil),
		Key:             "github:installation:42",
		RemainingHeader: "X-RateLimit-Remaining",
		LimitHeader:     "X-RateLimit-Limit",
		ResetHeader:     "X-RateLimit-Reset",
		Content: func(req *http.Request) bool {
			return req.Method == http.MethodPost || req.Method == http.MethodPatch || req.Method == http.MethodPut
		},
		ContentLimits: limits,
		Reserve:       reserve,
		Now:           time.Now,
		Observe: func(e hostapi.BudgetEvent) {
			if events != nil {
				mu.Lock()
				*events = append(*events, e)
				mu.Unlock()
			}
		},
	}
}

func budgetPrefix(t *testing.T) (string, string) {
	url := redistest.URL(t, testDB)
	prefix := "{bud-" + t.Name() + "-" + strconv.FormatInt(time.Now().UnixNano(), 10) + "}" + ratelimit.KeyPart
	redistest.Clean(t, url, prefix)
	return url, prefix
}

func send(t *testing.T, b *hostapi.Budget, method, url string) error {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := b.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// TestBudgetSpreadsALowQuota: below the reserve, the requests left are
// spread until the reset, not spent at once; above it none waits.
func TestBudgetSpreadsALowQuota(t *testing.T) {
	url, prefix := budgetPrefix(t)
	t.Run("low", func(t *testing.T) {
		host, srv := newQuotaHost(t, 7, 4*time.Second)
		var events []hostapi.BudgetEvent
		var mu sync.Mutex
		b := newProcess(t, url, prefix+"low:", 100, nil, &events, &mu)
		for range 4 {
			if err := send(t, b, http.MethodGet, srv.URL); err != nil {
				t.Fatalf("request failed, want it delayed: %v", err)
			}
		}
		// 6 left after the first, about 3.x s to the reset: one every
		// half second or more, the three over a second.
		ts := host.times()[1:]
		if span := ts[len(ts)-1].Sub(ts[0]); span < 700*time.Millisecond {
			t.Errorf("3 requests below the reserve within %s, want them spread", span)
		}
		mu.Lock()
		defer mu.Unlock()
		delayed := 0
		for _, e := range events {
			if e.Delay > 0 && e.Why == "primary" && !e.Deferred {
				delayed++
			}
		}
		if delayed == 0 {
			t.Errorf("no delay reported: %+v", events)
		}
	})
	t.Run("plenty", func(t *testing.T) {
		host, srv := newQuotaHost(t, 4000, time.Hour)
		b := newProcess(t, url, prefix+"plenty:", 100, nil, nil, nil)
		start := time.Now()
		for range 6 {
			if err := send(t, b, http.MethodGet, srv.URL); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d > time.Second || len(host.times()) != 6 {
			t.Errorf("6 requests with a full quota took %s", d)
		}
	})
}

// TestBudgetDefersTheJobWhenSpent: with no quota left until a reset further
// than the longest wait, the request is not sent and the error sends the
// job back to the queue until the reset (queue.Wait), not to a failure.
func TestBudgetDefersTheJobWhenSpent(t *testing.T) {
	url, prefix := budgetPrefix(t)
	host, srv := newQuotaHost(t, 1, 90*time.Second)
	b := newProcess(t, url, prefix, 100, nil, nil, nil)
	if err := send(t, b, http.MethodGet, srv.URL); err != nil {
		t.Fatal(err) // answered with remaining 0
	}
	err := send(t, b, http.MethodGet, srv.URL)
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want a rate-limit error", err)
	}
	if rl.After < 80*time.Second || rl.After > 91*time.Second {
		t.Errorf("retry after %s, want about the reset (90s)", rl.After)
	}
	if n := len(host.times()); n != 1 {
		t.Errorf("%d requests reached the host, want 1 (none past the spent quota)", n)
	}
	if got := queue.Decide(queue.Job{}, err, 3); got != queue.Wait {
		t.Errorf("queue.Decide = %v, want Wait (delayed, not failed)", got)
	}
}

// TestBudgetSharedByTwoProcesses: a quota one process learnt paces the
// other, which has not yet had an answer of its own.
func TestBudgetSharedByTwoProcesses(t *testing.T) {
	url, prefix := budgetPrefix(t)
	host, srv := newQuotaHost(t, 20, 6*time.Second)
	a := newProcess(t, url, prefix, 100, nil, nil, nil)
	b := newProcess(t, url, prefix, 100, nil, nil, nil)
	if err := send(t, a, http.MethodGet, srv.URL); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		for _, p := range []*hostapi.Budget{a, b} {
			if err := send(t, p, http.MethodGet, srv.URL); err != nil {
				t.Fatalf("request failed, want it delayed: %v", err)
			}
		}
	}
	// 19 left over about 5.x s: one every 250 ms or more, the six over
	// 1.25 s (unpaced: a few ms).
	ts := host.times()[1:]
	if span := ts[len(ts)-1].Sub(ts[0]); span < 900*time.Millisecond {
		t.Errorf("two processes' 6 requests within %s: the quota was not shared", span)
	}
	if b.LocalRemaining() < 0 {
		t.Error("the second process never learnt the quota")
	}
}

// TestBudgetPacesContentRequests: content-creating requests of two
// processes share the secondary limits (here 3 a second, a burst of 3);
// reads are not held back by them.
func TestBudgetPacesContentRequests(t *testing.T) {
	url, prefix := budgetPrefix(t)
	host, srv := newQuotaHost(t, 4000, time.Hour)
	limits := []hostapi.Rate{{N: 3, Per: 1500 * time.Millisecond}, {N: 100, Per: time.Hour}}
	a := newProcess(t, url, prefix, 100, limits, nil, nil)
	b := newProcess(t, url, prefix, 100, limits, nil, nil)
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := range 7 {
		p := []*hostapi.Budget{a, b}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, srv.URL, nil)
			resp, err := p.RoundTrip(req)
			if err != nil {
				failed.Add(1)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	// 3 at once, then one every 500ms: the 7th after about 2 s.
	if d := time.Since(start); d < 1800*time.Millisecond {
		t.Errorf("7 content requests took %s, want them paced at 3 per 1.5 s", d)
	}
	if failed.Load() != 0 {
		t.Errorf("%d content requests failed, want them delayed", failed.Load())
	}
	// A read goes at once.
	start = time.Now()
	if err := send(t, a, http.MethodGet, srv.URL); err != nil || time.Since(start) > 300*time.Millisecond {
		t.Errorf("a GET waited %s (%v) behind content pacing", time.Since(start), err)
	}
	// Affordable: the burst is spent just now.
	if n := a.Affordable(context.Background()); n != 0 {
		t.Errorf("Affordable right after the burst = %d, want 0", n)
	}
	time.Sleep(1600 * time.Millisecond)
	if n := a.Affordable(context.Background()); n < 2 || n > 3 {
		t.Errorf("Affordable after the limit's period = %d, want the burst back (2-3)", n)
	}
	_ = host
}

// TestBudgetDefersContentPastTheWait: a content request whose turn is past
// the longest wait is not sent and defers the job.
func TestBudgetDefersContentPastTheWait(t *testing.T) {
	url, prefix := budgetPrefix(t)
	host, srv := newQuotaHost(t, 4000, time.Hour)
	limits := []hostapi.Rate{{N: 2, Per: time.Hour}}
	a := newProcess(t, url, prefix, 100, limits, nil, nil)
	a.MaxWait = time.Second
	for range 2 {
		if err := send(t, a, http.MethodPost, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	err := send(t, a, http.MethodPost, srv.URL)
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After < 25*time.Minute {
		t.Fatalf("third content request: %v, want deferred about half an hour", err)
	}
	if n := len(host.times()); n != 2 {
		t.Errorf("%d requests reached the host, want 2", n)
	}
}

// TestBudgetWithoutStorePassesThrough: no store, no pacing.
func TestBudgetWithoutStorePassesThrough(t *testing.T) {
	host, srv := newQuotaHost(t, 0, time.Hour)
	b := &hostapi.Budget{Next: http.DefaultTransport, Now: time.Now}
	for range 3 {
		if err := send(t, b, http.MethodPost, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if len(host.times()) != 3 {
		t.Error("requests held back without a store")
	}
}
