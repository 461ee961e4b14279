package gitlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
)

// ObserveFunc receives one GitLab API call: its route template ("POST
// /projects/{id}/statuses/{sha}"), the HTTP status (0 when no response came
// back) and how long it took. It must be safe for concurrent use.
type ObserveFunc func(route string, status int, d time.Duration)

// observer reports every request that reaches the network by route
// template; raw URLs (project paths, file paths, shas) never leave it.
type observer struct {
	next    http.RoundTripper
	observe ObserveFunc
}

func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := o.next.RoundTrip(req)
	if o.observe != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		name, _ := route.Match(req.Method, req.URL.EscapedPath())
		o.observe(name, status, time.Since(start))
	}
	return resp, err
}

// limiter keeps the bot out of GitLab's rate-limit windows. A 429 becomes a
// *platform.RateLimitError and opens a window (Retry-After, else
// RateLimit-Reset, else a minute); while it is open no request is sent.
type limiter struct {
	next http.RoundTripper
	now  func() time.Time
	log  *slog.Logger

	mu    sync.Mutex
	until time.Time
}

// defaultRateLimitWait is used when GitLab says "slow down" without saying
// for how long.
const defaultRateLimitWait = time.Minute

// maxErrorPeek bounds how much of an error body is drained before a retry.
const maxErrorPeek = 64 << 10

func (l *limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	now := l.now()
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
	resp, err := l.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
	resp.Body.Close()
	after := retryAfter(resp.Header, l.now())
	l.mu.Lock()
	if t := l.now().Add(after); t.After(l.until) {
		l.until = t
	}
	l.mu.Unlock()
	l.log.Warn("gitlab rate limit hit", "retry_after", after)
	return nil, &platform.RateLimitError{After: after, Err: fmt.Errorf("gitlab answered %d", resp.StatusCode)}
}

// retryAfter reads Retry-After (seconds or an HTTP date), else GitLab's
// RateLimit-Reset (epoch seconds).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if v := h.Get("RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			if d := time.Unix(s, 0).Sub(now); d > 0 {
				return d
			}
			return time.Second
		}
	}
	return defaultRateLimitWait
}

// retrier gives every attempt its own timeout and retries idempotent
// requests (GET, HEAD, and PUT: a note body or a thread's resolution set
// twice is set once) on 5xx or a network error, a small bounded number of
// times. POST is tried once: a discussion or note posted again after a lost
// response is a duplicate; the job's retry reads back what landed instead.
// client-go's own retries (go-retryablehttp, which repeats POSTs on 5xx) are
// switched off, so this is the only retry policy.
type retrier struct {
	next           http.RoundTripper
	attempts       int
	attemptTimeout time.Duration
	backoff        time.Duration
}

// maxRetryBody bounds the request body kept in memory to replay a PUT.
const maxRetryBody = 1 << 20

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut:
		return true
	}
	return false
}

func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	var body []byte
	if idempotent(req.Method) {
		attempts = max(1, r.attempts)
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
			case <-time.After(r.backoff * time.Duration(1<<(i-1))):
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
		if req.Context().Err() != nil || !retryable(err) || i >= attempts-1 {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
			resp.Body.Close()
		}
	}
}

// retryable tells a transient failure from a rate limit, where retrying
// inside the window only makes it longer.
func retryable(err error) bool {
	var rl *platform.RateLimitError
	return !errors.As(err, &rl)
}

// once sends one attempt under its own deadline; the deadline is released
// when the body is closed, so reading the body is covered too.
func (r *retrier) once(req *http.Request) (*http.Response, error) {
	if r.attemptTimeout <= 0 {
		return r.next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.attemptTimeout)
	resp, err := r.next.RoundTrip(req.Clone(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
