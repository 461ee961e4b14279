// Package hostapi holds the HTTP transport layers a code host adapter puts
// under its API library: an Observer that reports calls by route template,
// a Limiter that keeps out of the host's rate-limit windows, a Budget that
// paces requests by the quota the host reports (and content-creating ones
// under its secondary limits), shared between processes, and a Retrier
// that retries only idempotent requests. GitHub and GitLab differ in what
// "slow down" looks like, which methods are safe to repeat and how routes
// are named; each adapter passes those in. It knows no platform library.
package hostapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/platform"
)

// DefaultRateLimitWait is used when a host says "slow down" without saying
// for how long (GitHub's docs advise at least a minute for secondary
// limits).
const DefaultRateLimitWait = time.Minute

// maxErrorPeek bounds how much of an error body is read, to recognise a
// message or to drain it before a retry.
const maxErrorPeek = 64 << 10

// maxRetryBody bounds the request body kept in memory to replay a request.
const maxRetryBody = 1 << 20

// DefaultTransport is a clone of http.DefaultTransport with dial, TLS and
// response-header timeouts, so a host that stops answering fails the
// attempt instead of hanging it.
func DefaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 30 * time.Second
	t.MaxIdleConnsPerHost = 16
	return t
}

// ObserveFunc receives one API call: its route template ("POST
// /repos/{owner}/{repo}/check-runs"), the HTTP status (0 when no response
// came back) and how long it took. It must be safe for concurrent use.
type ObserveFunc func(route string, status int, d time.Duration)

// Observer reports every request that reaches the network by route
// template; raw URLs (ids, paths, shas) never leave it.
type Observer struct {
	Next http.RoundTripper
	// Observe receives each call; nil observes nothing.
	Observe ObserveFunc
	// Route names a request's route template, as the host's docs name it.
	Route func(req *http.Request) string
}

// RoundTrip sends req and reports it.
func (o *Observer) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := o.Next.RoundTrip(req)
	if o.Observe != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		o.Observe(o.Route(req), status, time.Since(start))
	}
	return resp, err
}

// WindowStore shares rate-limit windows between processes (every worker
// and the server), so that a window one of them learns keeps them all
// quiet. Keys name a client's windows ("github:installation:42"); a store
// adds its own prefix. Implementations must be safe for concurrent use; an
// error means the store could not be reached, and the Limiter then keeps
// its windows in process.
type WindowStore interface {
	// Remaining is how long the window stored under key still runs, 0 when
	// none is open.
	Remaining(ctx context.Context, key string) (time.Duration, error)
	// Open stores a window of d under key unless a longer one is stored
	// (atomically: of two windows the later end wins) and returns how long
	// the stored window runs.
	Open(ctx context.Context, key string, d time.Duration) (time.Duration, error)
}

// DefaultRecheck is how long a Limiter trusts its last read of the shared
// store: requests in between cost no round trip to Redis. It bounds how
// late another process learns of a window (a window learnt in this process
// applies at once).
const DefaultRecheck = 250 * time.Millisecond

// storeTimeout bounds one read or write of the shared store: a store that
// hangs must not hold up the API call behind it.
const storeTimeout = 250 * time.Millisecond

// storeRetry is how long a Limiter leaves the store alone after it failed,
// so an outage costs one timeout per client every few seconds, not one per
// request.
const storeRetry = 5 * time.Second

// MinWindow and MaxWindow bound a window, whatever the headers say: a
// "Retry-After: 0" must not make a hot retry loop, and a garbled or hostile
// header must not silence a client for days (GitHub's primary window is an
// hour at most; GitLab's a minute).
const (
	MinWindow = time.Second
	MaxWindow = time.Hour
)

// Limiter keeps a client out of its host's rate-limit windows. A response
// that RateLimited recognises becomes a *platform.RateLimitError and opens a
// window (see Window); so does a successful response whose RemainingHeader
// says the quota is used up, though it passes itself. While a window is
// open no request is sent at all, since requests inside a penalty window
// make it longer and can get an app banned. With a Store the window is
// shared with every other process under Key and read back at most every
// Recheck; without one, or while the store is unreachable, it is kept in
// this process. Any other response passes through untouched.
type Limiter struct {
	Next http.RoundTripper
	// Host names the platform in logs and errors ("github").
	Host string
	// RateLimited tells a "slow down" answer from any other. It may read a
	// bounded prefix of the body with PeekBody.
	RateLimited func(resp *http.Response) bool
	// ResetHeader is the host's header holding the epoch second the quota
	// window ends ("X-RateLimit-Reset").
	ResetHeader string
	// RemainingHeader is the host's header counting the requests left in
	// the quota ("X-RateLimit-Remaining"); empty ignores the quota.
	RemainingHeader string
	// Store, when set, shares windows between processes.
	Store WindowStore
	// Key names this client's windows in Store: one per installation
	// (GitHub) or token (GitLab), never the token itself.
	Key string
	// Recheck is how long a read of Store is trusted (DefaultRecheck when 0).
	Recheck time.Duration
	Now     func() time.Time
	Log     *slog.Logger

	mu    sync.Mutex
	until time.Time
	// next is when Store is to be read again.
	next time.Time
}

// RoundTrip sends req unless a window is open.
func (l *Limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	now := l.Now()
	if until := l.window(req.Context(), now); now.Before(until) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &platform.RateLimitError{
			After: until.Sub(now),
			Err:   errors.New("inside a known rate-limit window, request not sent"),
		}
	}
	resp, err := l.Next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if l.RateLimited(resp) {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
		resp.Body.Close()
		after := l.open(req.Context(), Window(resp.Header, l.RemainingHeader, l.ResetHeader, l.Now()))
		l.Log.Warn(l.Host+" rate limit hit", "status", resp.StatusCode, "retry_after", after)
		return nil, &platform.RateLimitError{
			After: after,
			Err:   fmt.Errorf("%s answered %d", l.Host, resp.StatusCode),
		}
	}
	if exhausted(resp.Header, l.RemainingHeader) {
		// This answer is good, the next one would not be: GitHub's docs ask
		// for no request before the reset.
		after := l.open(req.Context(), Window(resp.Header, l.RemainingHeader, l.ResetHeader, l.Now()))
		l.Log.Warn(l.Host+" rate-limit quota used up", "status", resp.StatusCode, "retry_after", after)
	}
	return resp, nil
}

// window is the end of the window known for this client: the local one,
// or the shared one when the last read of Store is older than Recheck.
func (l *Limiter) window(ctx context.Context, now time.Time) time.Time {
	l.mu.Lock()
	until := l.until
	read := l.Store != nil && !now.Before(until) && !now.Before(l.next)
	if read {
		// Set before reading, so that concurrent requests do not all read.
		l.next = now.Add(l.recheck())
	}
	l.mu.Unlock()
	if !read {
		return until
	}
	// Not the request's own cancellation: a job being cancelled says
	// nothing about the store, which would then be taken for down.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	left, err := l.Store.Remaining(sctx, l.Key)
	if err != nil {
		// The store logs its own outage once; meanwhile windows stay local.
		l.mu.Lock()
		l.next = now.Add(storeRetry)
		l.mu.Unlock()
		return until
	}
	return l.extend(now.Add(left))
}

// open starts a window of d here at once, then shares it; a longer window
// already shared wins. It returns how long the window runs.
func (l *Limiter) open(ctx context.Context, d time.Duration) time.Duration {
	now := l.Now()
	l.extend(now.Add(d))
	if l.Store != nil {
		// Shared even when the job that learnt it is being cancelled.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		defer cancel()
		if stored, err := l.Store.Open(sctx, l.Key, d); err == nil && stored > d {
			l.extend(now.Add(stored))
			d = stored
		}
	}
	return d
}

// extend keeps the later of the local window and until, and returns it.
func (l *Limiter) extend(until time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.until) {
		l.until = until
	}
	return l.until
}

func (l *Limiter) recheck() time.Duration {
	if l.Recheck > 0 {
		return l.Recheck
	}
	return DefaultRecheck
}

// exhausted reports whether h says no request is left in the quota.
func exhausted(h http.Header, remainingHeader string) bool {
	return remainingHeader != "" && strings.TrimSpace(h.Get(remainingHeader)) == "0"
}

// PeekBody returns a bounded prefix (64 KiB) of resp's body and puts it
// back, so whoever reads the body next (the API library's error parsing)
// still sees all of it.
func PeekBody(resp *http.Response) []byte {
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorPeek))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
	return peek
}

// Window reads how long a host asked to wait, as GitHub's docs put it
// ("Rate limits for the REST API", exceeding the rate limit): Retry-After
// (seconds or an HTTP date) when present; until resetHeader's epoch second
// when remainingHeader says 0 (the later of the two when both apply); when
// neither, until resetHeader if the host sent no remainingHeader at all
// (GitLab's 429 without Retry-After), else DefaultRateLimitWait. The
// result lies within MinWindow and MaxWindow.
func Window(h http.Header, remainingHeader, resetHeader string, now time.Time) time.Duration {
	d, ok := retryAfter(h, now)
	reset, hasReset := resetIn(h, resetHeader, now)
	switch {
	case hasReset && exhausted(h, remainingHeader):
		d = max(d, reset)
	case ok:
	case hasReset && (remainingHeader == "" || h.Get(remainingHeader) == ""):
		d = reset
	default:
		d = DefaultRateLimitWait
	}
	return min(max(d, MinWindow), MaxWindow)
}

// retryAfter reads Retry-After, in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		if s > int64(MaxWindow/time.Second) {
			return MaxWindow, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// resetIn reads resetHeader, an epoch second, as a duration from now (0
// when already past).
func resetIn(h http.Header, resetHeader string, now time.Time) (time.Duration, bool) {
	if resetHeader == "" {
		return 0, false
	}
	s, err := strconv.ParseInt(strings.TrimSpace(h.Get(resetHeader)), 10, 64)
	if err != nil {
		return 0, false
	}
	switch {
	case s <= now.Unix():
		return max(time.Unix(s, 0).Sub(now), 0), true
	case s-now.Unix() > int64(MaxWindow/time.Second):
		return MaxWindow, true
	}
	return time.Unix(s, 0).Sub(now), true
}

// Retrier gives every attempt its own timeout and retries idempotent
// requests on 5xx or a network error, a small bounded number of times, with
// doubling backoff. Other requests are tried once: a POST repeated after a
// lost response posts twice; the job's retry reads back what landed
// instead. A rate limit is never retried here (retrying inside the window
// only makes it longer).
type Retrier struct {
	Next http.RoundTripper
	// Attempts is how often an idempotent request is tried (at least once).
	Attempts int
	// AttemptTimeout bounds one attempt, body included; 0 means none.
	AttemptTimeout time.Duration
	// Backoff is the wait before the first retry, doubled after each.
	Backoff time.Duration
	// Idempotent names the methods safe to send again. Their request
	// bodies (up to 1 MiB) are kept to be replayed.
	Idempotent func(method string) bool
	// Permanent, when set, names further errors no retry can fix.
	Permanent func(err error) bool
}

// RoundTrip sends req, again on a transient failure when it is idempotent.
func (r *Retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	var body []byte
	if r.Idempotent(req.Method) {
		attempts = max(1, r.Attempts)
		if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(req.Body, maxRetryBody+1))
			req.Body.Close()
			if err != nil {
				return nil, fmt.Errorf("reading request body: %w", err)
			}
			if len(b) > maxRetryBody {
				return nil, errors.New("request body too large to send")
			}
			body = b
		}
	}
	for i := 0; ; i++ {
		if i > 0 {
			select {
			case <-req.Context().Done():
				return nil, req.Context().Err()
			case <-time.After(r.Backoff * time.Duration(1<<(i-1))):
			}
		}
		try := req
		if body != nil {
			try = req.Clone(req.Context())
			try.Body = io.NopCloser(bytes.NewReader(body))
			try.ContentLength = int64(len(body))
		}
		resp, err := r.once(try)
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		if req.Context().Err() != nil || !r.retryable(err) || i >= attempts-1 {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
			resp.Body.Close()
		}
	}
}

// retryable tells a transient failure (a 5xx, err nil, or a network error)
// from a rate limit or an error Permanent names.
func (r *Retrier) retryable(err error) bool {
	if err == nil {
		return true
	}
	var rl *platform.RateLimitError
	if errors.As(err, &rl) {
		return false
	}
	return r.Permanent == nil || !r.Permanent(err)
}

// once sends one attempt under its own deadline; the deadline is released
// when the body is closed, so reading the body is covered too.
func (r *Retrier) once(req *http.Request) (*http.Response, error) {
	if r.AttemptTimeout <= 0 {
		return r.Next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.AttemptTimeout)
	resp, err := r.Next.RoundTrip(req.Clone(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelBody releases an attempt's deadline when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// MaxContentBytes caps a file read through a host's contents or raw-file
// API: past it a file is not held in memory, let alone scanned.
const MaxContentBytes = 10 << 20

// ErrTooLarge is wrapped by a file read that stopped at MaxContentBytes
// (platform.ErrTooLarge, so the worker can tell without knowing this package).
var ErrTooLarge = platform.ErrTooLarge

// UnreadableGap decides what a failed read of a file the host sent without
// a diff means: a missing or oversized file is scanned without hunks and
// named in the returned gap (the review is then incomplete, never a pass),
// reported with skip true; any other error fails the listing (skip false,
// err returned as is by the caller).
func UnreadableGap(host, path string, err error) (gap string, skip bool) {
	var why string
	switch {
	case errors.Is(err, ErrTooLarge):
		why = fmt.Sprintf("over %d MB", MaxContentBytes>>20)
	case errors.Is(err, platform.ErrNotFound):
		why = "not found"
	default:
		return "", false
	}
	return fmt.Sprintf("%s: %s sent no diff and the file could not be read (%s).", path, host, why), true
}
