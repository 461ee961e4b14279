package github

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

	"github.com/bradleyfalzon/ghinstallation/v2"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github/internal/route"
)

// ObserveFunc receives one GitHub API call: its route template ("POST
// /repos/{owner}/{repo}/check-runs"), the HTTP status (0 when no response
// came back) and how long it took. It must be safe for concurrent use.
type ObserveFunc func(route string, status int, d time.Duration)

// observer reports every request that reaches the network, access-token
// requests included, by route template; raw URLs never leave it.
type observer struct {
	next     http.RoundTripper
	observe  ObserveFunc
	basePath string // "/api/v3" on GHES, "" otherwise
}

func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := o.next.RoundTrip(req)
	if o.observe != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		name, _ := route.Match(req.Method, strings.TrimPrefix(req.URL.Path, o.basePath))
		o.observe(name, status, time.Since(start))
	}
	return resp, err
}

// limiter keeps one installation out of GitHub's rate-limit windows. It sits
// below ghinstallation, so token requests are covered too. A response that
// says "slow down" (429; 403 with x-ratelimit-remaining 0; 403 naming the
// secondary limit) becomes a *platform.RateLimitError and opens a window;
// while it is open no request is sent at all, since requests inside a
// penalty window can get an app banned.
type limiter struct {
	next http.RoundTripper
	now  func() time.Time
	log  *slog.Logger

	mu    sync.Mutex
	until time.Time
}

// defaultRateLimitWait is used when GitHub says "slow down" without saying
// for how long (its docs advise at least a minute for secondary limits).
const defaultRateLimitWait = time.Minute

// maxErrorPeek bounds how much of a 403 body is read to recognise a
// secondary-limit message.
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
	if err != nil || (resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests) {
		return resp, err
	}
	// Read a bounded prefix of the body and put it back, so a plain 403
	// still reaches go-github's error parsing intact.
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorPeek))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}

	if !isRateLimited(resp, peek) {
		return resp, nil
	}
	resp.Body.Close()
	after := retryAfter(resp.Header, l.now())
	l.mu.Lock()
	if t := l.now().Add(after); t.After(l.until) {
		l.until = t
	}
	l.mu.Unlock()
	l.log.Warn("github rate limit hit", "status", resp.StatusCode, "retry_after", after)
	return nil, &platform.RateLimitError{
		After: after,
		Err:   fmt.Errorf("github answered %d", resp.StatusCode),
	}
}

func isRateLimited(resp *http.Response, body []byte) bool {
	if resp.StatusCode == http.StatusTooManyRequests {
		return true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return true
	}
	b := strings.ToLower(string(body))
	return strings.Contains(b, "secondary rate limit") || strings.Contains(b, "abuse") ||
		strings.Contains(b, "rate limit exceeded")
}

// retryAfter reads Retry-After (seconds) or x-ratelimit-reset (epoch
// seconds), whichever is present, in that order.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			if d := time.Unix(s, 0).Sub(now); d > 0 {
				return d
			}
			return time.Second
		}
	}
	return defaultRateLimitWait
}

// retrier gives every attempt its own timeout and retries GETs (and only
// GETs: a POST retried after a lost response duplicates comments) on 5xx or
// a network error, a small bounded number of times.
type retrier struct {
	next           http.RoundTripper
	attempts       int
	attemptTimeout time.Duration
	backoff        time.Duration
}

func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := 1
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		attempts = max(1, r.attempts)
	}
	var lastErr error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-req.Context().Done():
				return nil, req.Context().Err()
			case <-time.After(r.backoff * time.Duration(1<<(i-1))):
			}
		}
		resp, err := r.once(req)
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		if req.Context().Err() != nil || !retryable(err) || i == attempts-1 {
			return resp, err
		}
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorPeek))
			resp.Body.Close()
			lastErr = fmt.Errorf("github answered %d", resp.StatusCode)
		} else {
			lastErr = err
		}
	}
	return nil, lastErr // not reached: the last attempt returns above
}

// retryable tells a transient failure from one a retry cannot fix: a rate
// limit (retrying inside the window is what gets apps banned) or the
// installation token refused with a 4xx (a deleted installation).
func retryable(err error) bool {
	if err == nil {
		return true // a 5xx response
	}
	var rl *platform.RateLimitError
	if errors.As(err, &rl) {
		return false
	}
	var tok *ghinstallation.HTTPError
	if errors.As(err, &tok) && tok.Response != nil && tok.Response.StatusCode < 500 {
		return false
	}
	return true
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
