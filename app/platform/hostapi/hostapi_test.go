package hostapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
)

// fakeRT answers each request with the next scripted response or error and
// records the method and body it was sent.
type fakeRT struct {
	mu      sync.Mutex
	answers []func() (*http.Response, error)
	sent    []string
}

func (f *fakeRT) RoundTrip(req *http.Request) (*http.Response, error) {
	body := ""
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body.Close()
		body = string(b)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, req.Method+" "+body)
	if len(f.answers) == 0 {
		return respond(http.StatusOK, nil, "ok")(), nil
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a()
}

func respond(status int, h http.Header, body string) func() *http.Response {
	return func() *http.Response {
		if h == nil {
			h = http.Header{}
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
	}
}

func answer(status int, h http.Header, body string) func() (*http.Response, error) {
	r := respond(status, h, body)
	return func() (*http.Response, error) { return r(), nil }
}

func newReq(t *testing.T, method, body string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://host.invalid/api/x", r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestWindow(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	reset := func(d int64) string { return strconv.FormatInt(now.Unix()+d, 10) }
	tests := []struct {
		name string
		h    map[string]string
		want time.Duration
	}{
		{"retry-after seconds", map[string]string{"Retry-After": "7", "X-Remaining": "12", "X-Reset": reset(3000)}, 7 * time.Second},
		{"retry-after http date", map[string]string{"Retry-After": now.Add(90 * time.Second).UTC().Format(http.TimeFormat)}, 90 * time.Second},
		{"quota used up: until the reset", map[string]string{"X-Remaining": "0", "X-Reset": reset(42)}, 42 * time.Second},
		{"quota used up and retry-after: the later", map[string]string{"Retry-After": "3", "X-Remaining": "0", "X-Reset": reset(100)}, 100 * time.Second},
		{"retry-after later than the reset", map[string]string{"Retry-After": "300", "X-Remaining": "0", "X-Reset": reset(100)}, 300 * time.Second},
		{"secondary limit without retry-after: a minute, not the quota's reset", map[string]string{"X-Remaining": "4000", "X-Reset": reset(3000)}, hostapi.DefaultRateLimitWait},
		{"reset alone (GitLab 429)", map[string]string{"X-Reset": reset(20)}, 20 * time.Second},
		{"reset already past", map[string]string{"X-Remaining": "0", "X-Reset": reset(-5)}, hostapi.MinWindow},
		{"retry-after 0 is not a hot loop", map[string]string{"Retry-After": "0"}, hostapi.MinWindow},
		{"absurd retry-after is capped", map[string]string{"Retry-After": "999999999999"}, hostapi.MaxWindow},
		{"absurd reset is capped", map[string]string{"X-Remaining": "0", "X-Reset": reset(1 << 40)}, hostapi.MaxWindow},
		{"reset far in the past", map[string]string{"X-Remaining": "0", "X-Reset": "-9223372036854775808"}, hostapi.MinWindow},
		{"garbage falls back", map[string]string{"Retry-After": "soon", "X-Reset": "later"}, hostapi.DefaultRateLimitWait},
		{"nothing", nil, hostapi.DefaultRateLimitWait},
	}
	for _, tt := range tests {
		h := http.Header{}
		for k, v := range tt.h {
			h.Set(k, v)
		}
		if got := hostapi.Window(h, "X-Remaining", "X-Reset", now); got != tt.want {
			t.Errorf("%s: Window = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// memStore is a WindowStore in memory that counts its reads; fail makes it
// unreachable.
type memStore struct {
	mu    sync.Mutex
	now   *time.Time
	until map[string]time.Time
	reads int
	fail  bool
}

func (m *memStore) Remaining(_ context.Context, key string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	if m.fail {
		return 0, errors.New("connection refused")
	}
	return max(m.until[key].Sub(*m.now), 0), nil
}

func (m *memStore) Open(_ context.Context, key string, d time.Duration) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return 0, errors.New("connection refused")
	}
	if t := m.now.Add(d); t.After(m.until[key]) {
		m.until[key] = t
	}
	return m.until[key].Sub(*m.now), nil
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	limited := func(resp *http.Response) bool {
		return resp.StatusCode == http.StatusForbidden && strings.Contains(string(hostapi.PeekBody(resp)), "slow down")
	}
	next := &fakeRT{answers: []func() (*http.Response, error){
		answer(http.StatusForbidden, nil, "forbidden: not yours"),
		answer(http.StatusForbidden, http.Header{"Retry-After": {"30"}}, "slow down"),
	}}
	l := &hostapi.Limiter{Next: next, Host: "example", RateLimited: limited, ResetHeader: "X-Reset", Now: clock, Log: slog.New(slog.DiscardHandler)}

	// A 403 that is no rate limit passes with its whole body.
	resp, err := l.RoundTrip(newReq(t, http.MethodGet, ""))
	if err != nil {
		t.Fatalf("plain 403: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "forbidden: not yours" {
		t.Errorf("plain 403 body = %q, want it intact", b)
	}

	// A rate limit becomes a RateLimitError and opens a window.
	_, err = l.RoundTrip(newReq(t, http.MethodGet, ""))
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After != 30*time.Second || !strings.Contains(err.Error(), "example answered 403") {
		t.Fatalf("rate limited: err = %v, want RateLimitError after 30s", err)
	}

	// Inside the window nothing is sent.
	now = now.Add(10 * time.Second)
	_, err = l.RoundTrip(newReq(t, http.MethodPost, "body"))
	if !errors.As(err, &rl) || rl.After != 20*time.Second {
		t.Fatalf("inside window: err = %v, want RateLimitError after 20s", err)
	}
	if len(next.sent) != 2 {
		t.Errorf("sent %d requests, want 2 (none inside the window)", len(next.sent))
	}

	// After it, requests flow again.
	now = now.Add(21 * time.Second)
	if _, err := l.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Fatalf("after window: %v", err)
	}
	if len(next.sent) != 3 {
		t.Errorf("sent %d requests, want 3", len(next.sent))
	}
}

// TestLimiterQuotaUsedUp: a successful answer saying no request is left
// passes, and opens a window until the quota resets.
func TestLimiterQuotaUsedUp(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := http.Header{}
	h.Set("X-Remaining", "0")
	h.Set("X-Reset", strconv.FormatInt(now.Unix()+45, 10))
	next := &fakeRT{answers: []func() (*http.Response, error){answer(http.StatusOK, h, "last one")}}
	l := &hostapi.Limiter{
		Next: next, Host: "example", RateLimited: func(*http.Response) bool { return false },
		RemainingHeader: "X-Remaining", ResetHeader: "X-Reset",
		Now: func() time.Time { return now }, Log: slog.New(slog.DiscardHandler),
	}
	resp, err := l.RoundTrip(newReq(t, http.MethodGet, ""))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("last request of the quota = %v, %v; want its 200", resp, err)
	}
	if b, _ := io.ReadAll(resp.Body); string(b) != "last one" {
		t.Errorf("body = %q, want it intact", b)
	}
	now = now.Add(44 * time.Second)
	_, err = l.RoundTrip(newReq(t, http.MethodGet, ""))
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After != time.Second {
		t.Fatalf("before the reset: err = %v, want RateLimitError after 1s", err)
	}
	now = now.Add(time.Second)
	if _, err := l.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
	if len(next.sent) != 2 {
		t.Errorf("sent %d requests, want 2 (none before the reset)", len(next.sent))
	}
}

// TestLimiterSharesWindows: two limiters on one store stand for two
// processes. A window one learns keeps the other quiet once it rechecks the
// store; a store read is cached for Recheck; an unreachable store leaves
// each process its own window.
func TestLimiterSharesWindows(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	store := &memStore{now: &now, until: map[string]time.Time{}}
	limited := func(resp *http.Response) bool { return resp.StatusCode == http.StatusTooManyRequests }
	newLimiter := func(next http.RoundTripper, key string) *hostapi.Limiter {
		return &hostapi.Limiter{
			Next: next, Host: "example", RateLimited: limited, ResetHeader: "X-Reset", RemainingHeader: "X-Remaining",
			Store: store, Key: key, Recheck: time.Second, Now: clock, Log: slog.New(slog.DiscardHandler),
		}
	}
	nextA := &fakeRT{answers: []func() (*http.Response, error){
		answer(http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}}, ""),
	}}
	nextB, nextOther := &fakeRT{}, &fakeRT{}
	a, b := newLimiter(nextA, "inst:1"), newLimiter(nextB, "inst:1")
	other := newLimiter(nextOther, "inst:2")

	// B reads the store (no window) and sends.
	if _, err := b.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Fatal(err)
	}
	readsAfterFirst := store.reads
	// A is told to slow down; the window is stored.
	if _, err := a.RoundTrip(newReq(t, http.MethodGet, "")); err == nil {
		t.Fatal("429 passed")
	}
	// Within B's recheck, B trusts its last read: no store round trip per
	// request (one request may slip through, as one in flight would).
	now = now.Add(500 * time.Millisecond)
	b.RoundTrip(newReq(t, http.MethodGet, ""))
	if store.reads != readsAfterFirst+1 { // A's own read before its request
		t.Errorf("store read %d times, want %d (B's read cached)", store.reads, readsAfterFirst+1)
	}
	// After it, B learns the window and sends nothing until it ends.
	now = now.Add(600 * time.Millisecond)
	_, err := b.RoundTrip(newReq(t, http.MethodGet, ""))
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After < 28*time.Second {
		t.Fatalf("B inside A's window: err = %v, want RateLimitError", err)
	}
	sentB := len(nextB.sent)
	for range 5 {
		now = now.Add(5 * time.Second)
		b.RoundTrip(newReq(t, http.MethodGet, ""))
	}
	if len(nextB.sent) != sentB {
		t.Errorf("B sent %d requests inside the window", len(nextB.sent)-sentB)
	}
	// Another installation is not held up.
	if _, err := other.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Errorf("another installation: %v", err)
	}
	// After the window, B sends again.
	now = now.Add(5 * time.Second)
	if _, err := b.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Fatalf("B after the window: %v", err)
	}

	// Store down: A's own window still holds in A, B is not stopped by it,
	// and calls are not refused for want of the store.
	store.mu.Lock()
	store.fail = true
	store.mu.Unlock()
	nextA.answers = []func() (*http.Response, error){answer(http.StatusTooManyRequests, http.Header{"Retry-After": {"10"}}, "")}
	now = now.Add(2 * time.Second)
	if _, err := a.RoundTrip(newReq(t, http.MethodGet, "")); !errors.As(err, &rl) {
		t.Fatalf("A's 429 with the store down: %v", err)
	}
	sentA := len(nextA.sent)
	now = now.Add(time.Second)
	if _, err := a.RoundTrip(newReq(t, http.MethodGet, "")); !errors.As(err, &rl) || len(nextA.sent) != sentA {
		t.Errorf("A inside its own window with the store down: err %v, sent %d more", err, len(nextA.sent)-sentA)
	}
	if _, err := b.RoundTrip(newReq(t, http.MethodGet, "")); err != nil {
		t.Errorf("B with the store down: %v, want the call made", err)
	}
}
func TestRetrier(t *testing.T) {
	netErr := func() (*http.Response, error) { return nil, errors.New("connection reset") }
	rateLimited := func() (*http.Response, error) {
		return nil, &platform.RateLimitError{After: time.Minute, Err: errors.New("429")}
	}
	permanent := errors.New("token refused")
	tests := []struct {
		name       string
		method     string
		body       string
		answers    []func() (*http.Response, error)
		wantStatus int
		wantErr    bool
		wantSent   []string
	}{
		{
			name: "idempotent retried on 5xx, body replayed", method: http.MethodPut, body: "note",
			answers:    []func() (*http.Response, error){answer(502, nil, ""), answer(200, nil, "")},
			wantStatus: 200, wantSent: []string{"PUT note", "PUT note"},
		},
		{
			name: "idempotent retried on network error, bounded", method: http.MethodGet,
			answers: []func() (*http.Response, error){netErr, netErr, netErr, netErr},
			wantErr: true, wantSent: []string{"GET ", "GET ", "GET "},
		},
		{
			name: "last 5xx returned as is", method: http.MethodGet,
			answers:    []func() (*http.Response, error){answer(500, nil, ""), answer(500, nil, ""), answer(503, nil, "")},
			wantStatus: 503, wantSent: []string{"GET ", "GET ", "GET "},
		},
		{
			name: "POST tried once", method: http.MethodPost, body: "comment",
			answers:    []func() (*http.Response, error){answer(502, nil, ""), answer(200, nil, "")},
			wantStatus: 502, wantSent: []string{"POST comment"},
		},
		{
			name: "4xx not retried", method: http.MethodGet,
			answers:    []func() (*http.Response, error){answer(404, nil, "")},
			wantStatus: 404, wantSent: []string{"GET "},
		},
		{
			name: "rate limit not retried", method: http.MethodGet,
			answers: []func() (*http.Response, error){rateLimited, answer(200, nil, "")},
			wantErr: true, wantSent: []string{"GET "},
		},
		{
			name: "permanent error not retried", method: http.MethodGet,
			answers: []func() (*http.Response, error){func() (*http.Response, error) { return nil, permanent }, answer(200, nil, "")},
			wantErr: true, wantSent: []string{"GET "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &fakeRT{answers: tt.answers}
			r := &hostapi.Retrier{
				Next: next, Attempts: 3, AttemptTimeout: time.Second, Backoff: time.Millisecond,
				Idempotent: func(m string) bool { return m == http.MethodGet || m == http.MethodPut },
				Permanent:  func(err error) bool { return errors.Is(err, permanent) },
			}
			resp, err := r.RoundTrip(newReq(t, tt.method, tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				defer resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
				}
			}
			if d := cmp.Diff(tt.wantSent, next.sent); d != "" {
				t.Errorf("sent (-want +got):\n%s", d)
			}
		})
	}
}

func TestObserver(t *testing.T) {
	type call struct {
		route  string
		status int
	}
	var got []call
	next := &fakeRT{answers: []func() (*http.Response, error){
		answer(201, nil, ""),
		func() (*http.Response, error) { return nil, errors.New("refused") },
	}}
	o := &hostapi.Observer{
		Next:    next,
		Observe: func(route string, status int, _ time.Duration) { got = append(got, call{route, status}) },
		Route:   func(req *http.Request) string { return req.Method + " /api/{x}" },
	}
	if _, err := o.RoundTrip(newReq(t, http.MethodPost, "")); err != nil {
		t.Fatal(err)
	}
	if _, err := o.RoundTrip(newReq(t, http.MethodGet, "")); err == nil {
		t.Fatal("want the transport's error passed through")
	}
	want := []call{{"POST /api/{x}", 201}, {"GET /api/{x}", 0}}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(call{})); d != "" {
		t.Errorf("observed (-want +got):\n%s", d)
	}
}

func TestUnreadableGap(t *testing.T) {
	tests := []struct {
		err      error
		wantSkip bool
		wantWhy  string
	}{
		{fmt.Errorf("reading a: %w", hostapi.ErrTooLarge), true, "over 10 MB"},
		{fmt.Errorf("reading a: %w", platform.ErrNotFound), true, "not found"},
		{errors.New("502 Bad Gateway"), false, ""},
	}
	for _, tt := range tests {
		gap, skip := hostapi.UnreadableGap("GitHub", "big.bin", tt.err)
		if skip != tt.wantSkip || (skip && !strings.Contains(gap, tt.wantWhy)) || (skip && !strings.HasPrefix(gap, "big.bin: GitHub sent no diff")) {
			t.Errorf("UnreadableGap(%v) = %q, %v", tt.err, gap, skip)
		}
	}
}

func TestReadQuota(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name string
		h    http.Header
		want hostapi.Quota
		ok   bool
	}{
		{"github", h("X-RateLimit-Remaining", "42", "X-RateLimit-Limit", "5000", "X-RateLimit-Reset", "1700000600"), hostapi.Quota{Remaining: 42, Limit: 5000, ResetIn: 10 * time.Minute}, true},
		{"no limit", h("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1700000060"), hostapi.Quota{ResetIn: time.Minute}, true},
		{"reset past", h("X-RateLimit-Remaining", "3", "X-RateLimit-Reset", "1699999000"), hostapi.Quota{Remaining: 3}, true},
		{"reset far: capped", h("X-RateLimit-Remaining", "3", "X-RateLimit-Reset", "9999999999"), hostapi.Quota{Remaining: 3, ResetIn: hostapi.MaxWindow}, true},
		{"no headers", h(), hostapi.Quota{}, false},
		{"negative", h("X-RateLimit-Remaining", "-1", "X-RateLimit-Reset", "1700000060"), hostapi.Quota{}, false},
		{"huge", h("X-RateLimit-Remaining", "99999999999999999999", "X-RateLimit-Reset", "1700000060"), hostapi.Quota{}, false},
		{"garbage", h("X-RateLimit-Remaining", "lots", "X-RateLimit-Reset", "1700000060"), hostapi.Quota{}, false},
		{"no reset", h("X-RateLimit-Remaining", "5"), hostapi.Quota{}, false},
		{"bad limit ignored", h("X-RateLimit-Remaining", "5", "X-RateLimit-Limit", "-3", "X-RateLimit-Reset", "1700000060"), hostapi.Quota{Remaining: 5, ResetIn: time.Minute}, true},
	}
	for _, tc := range cases {
		got, ok := hostapi.ReadQuota(tc.h, "X-RateLimit-Remaining", "X-RateLimit-Limit", "X-RateLimit-Reset", now)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: ReadQuota = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// failingBudget is a budget store that cannot be reached.
type failingBudget struct{ reserves int }

func (f *failingBudget) Record(context.Context, string, hostapi.Quota) error {
	return errors.New("redis down")
}

func (f *failingBudget) Reserve(context.Context, string, hostapi.Pacing) (hostapi.Booking, error) {
	f.reserves++
	return hostapi.Booking{}, errors.New("redis down")
}

func (f *failingBudget) Affordable(context.Context, string, hostapi.Pacing) (int, error) {
	return 0, errors.New("redis down")
}

// TestBudgetStoreDownPassesRequests: an unreachable store does not hold
// requests up (the Limiter's windows still apply) and reports no bound.
func TestBudgetStoreDownPassesRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "1")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	}))
	defer srv.Close()
	store := &failingBudget{}
	b := &hostapi.Budget{Next: http.DefaultTransport, Store: store, Key: "k", RemainingHeader: "X-RateLimit-Remaining",
		ResetHeader: "X-RateLimit-Reset", Content: func(*http.Request) bool { return true }, Now: time.Now}
	for range 3 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, nil)
		resp, err := b.RoundTrip(req)
		if err != nil {
			t.Fatalf("store down: %v, want the request sent", err)
		}
		resp.Body.Close()
	}
	if store.reserves != 3 {
		t.Errorf("%d bookings tried, want 3", store.reserves)
	}
	if n := b.Affordable(context.Background()); n != -1 {
		t.Errorf("Affordable with the store down = %d, want -1 (no bound)", n)
	}
}
