// Package hostapi holds the HTTP transport layers a code host adapter puts
// under its API library: an Observer that reports calls by route template,
// a Limiter that keeps out of the host's rate-limit windows, and a Retrier
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

// Limiter keeps a client out of its host's rate-limit windows. A response
// that RateLimited recognises becomes a *platform.RateLimitError and opens a
// window (see RetryAfter); while it is open no request is sent at all, since
// requests inside a penalty window make it longer and can get an app
// banned. Any other response passes through untouched.
type Limiter struct {
	Next http.RoundTripper
	// Host names the platform in logs and errors ("github").
	Host string
	// RateLimited tells a "slow down" answer from any other. It may read a
	// bounded prefix of the body with PeekBody.
	RateLimited func(resp *http.Response) bool
	// ResetHeader is the host's header holding the epoch second a window
	// ends ("X-RateLimit-Reset"), read when Retry-After is absent.
	ResetHeader string
	Now         func() time.Time
	Log         *slog.Logger

	mu    sync.Mutex
	until time.Time
}

// RoundTrip sends req unless a window is open.
func (l *Limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	now := l.Now()
	l.mu.Lock()
	until := l.until
	l.mu.Unlock()
	if now.Before(until) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &platform.RateLimitError{
			After: until.Sub(now),
			Err:   errors.New("inside a known rate-limit window, request not sent"),
		}
	}
	resp, err := l.Next.RoundTrip(req)
	if err != nil || !l.RateLimited(resp) {
		return resp, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
	resp.Body.Close()
	after := RetryAfter(resp.Header, l.ResetHeader, l.Now())
	l.mu.Lock()
	if t := l.Now().Add(after); t.After(l.until) {
		l.until = t
	}
	l.mu.Unlock()
	l.Log.Warn(l.Host+" rate limit hit", "status", resp.StatusCode, "retry_after", after)
	return nil, &platform.RateLimitError{
		After: after,
		Err:   fmt.Errorf("%s answered %d", l.Host, resp.StatusCode),
	}
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

// RetryAfter reads how long a host asked to wait: Retry-After (seconds or
// an HTTP date), else resetHeader (epoch seconds; a second when already
// past), else DefaultRateLimitWait.
func RetryAfter(h http.Header, resetHeader string, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if v := h.Get(resetHeader); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			if d := time.Unix(s, 0).Sub(now); d > 0 {
				return d
			}
			return time.Second
		}
	}
	return DefaultRateLimitWait
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
