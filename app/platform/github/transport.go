package github

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"

	"github.com/shiftward/shiftward/app/platform/github/internal/route"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/comments"
)

// ObserveFunc receives one GitHub API call: its route template ("POST
// /repos/{owner}/{repo}/check-runs"), the HTTP status (0 when no response
// came back) and how long it took. It must be safe for concurrent use.
type ObserveFunc = hostapi.ObserveFunc

// newObserver reports every request that reaches the network, access-token
// requests included, by route template. basePath is "/api/v3" on GHES, ""
// otherwise.
func newObserver(next http.RoundTripper, observe ObserveFunc, basePath string) *hostapi.Observer {
	return &hostapi.Observer{
		Next:    next,
		Observe: observe,
		Route: func(req *http.Request) string {
			name, _ := route.Match(req.Method, strings.TrimPrefix(req.URL.Path, basePath))
			return name
		},
	}
}

// newLimiter keeps one installation (or the App's own calls) out of
// GitHub's rate-limit windows. It sits below ghinstallation, so token
// requests are covered too. Windows are shared through store (nil: this
// process only) under key ("github:installation:42", "github:app"), and a response with x-ratelimit-remaining 0 opens one until
// x-ratelimit-reset, so the request that would fail is never sent.
func newLimiter(next http.RoundTripper, store hostapi.WindowStore, key string, now func() time.Time, log *slog.Logger) *hostapi.Limiter {
	return &hostapi.Limiter{
		Next:            next,
		Host:            "github",
		RateLimited:     isRateLimited,
		RemainingHeader: "X-RateLimit-Remaining",
		ResetHeader:     "X-RateLimit-Reset",
		Store:           store,
		Key:             key,
		Now:             now,
		Log:             log,
	}
}

// newBudget paces one installation by the budget shared in cfg.Budget
// under key: GitHub's primary quota (x-ratelimit-*), and its secondary
// limits on content-generating requests (cfg.ContentLimits).
func newBudget(next http.RoundTripper, cfg Config, key string) *hostapi.Budget {
	return &hostapi.Budget{
		Next:            next,
		Store:           cfg.Budget,
		Key:             key,
		RemainingHeader: "X-RateLimit-Remaining",
		LimitHeader:     "X-RateLimit-Limit",
		ResetHeader:     "X-RateLimit-Reset",
		Skip:            tokenRequest,
		Content:         contentRequest,
		ContentLimits:   cfg.ContentLimits,
		Reserve:         cfg.Reserve,
		Observe:         cfg.ObserveBudget,
		Now:             cfg.Now,
	}
}

// tokenRequest tells the installation token request: made with the App's
// JWT, it counts against the App's quota, not the installation's.
func tokenRequest(req *http.Request) bool {
	return req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/access_tokens")
}

// contentRequest tells a request GitHub counts as content-generating: a
// POST, PATCH, PUT or DELETE (reviews, comments, check runs, statuses).
func contentRequest(req *http.Request) bool {
	switch req.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// reviewCosts is what publishing a review costs in content-generating
// requests: the check run's final update (carrying the first 50
// annotations), one review for every inline comment, one update per further
// 50 annotations.
var reviewCosts = comments.Costs{Fixed: 1, Review: 1, AnnotationsPerRequest: maxAnnotationsPerRequest}

// isRateLimited recognises GitHub's "slow down": 429; 403 with
// x-ratelimit-remaining 0; 403 naming the secondary limit. A plain 403
// passes with its body intact for go-github's error parsing.
func isRateLimited(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
	default:
		return false
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		return true
	}
	b := strings.ToLower(string(hostapi.PeekBody(resp)))
	return strings.Contains(b, "secondary rate limit") || strings.Contains(b, "abuse") ||
		strings.Contains(b, "rate limit exceeded")
}

// newRetrier retries GETs (and HEADs), and only those: a POST or PATCH
// retried after a lost response duplicates comments or annotations.
func newRetrier(next http.RoundTripper, cfg Config) *hostapi.Retrier {
	return &hostapi.Retrier{
		Next:           next,
		Attempts:       cfg.GetAttempts,
		AttemptTimeout: cfg.Timeout,
		Backoff:        cfg.RetryBackoff,
		Idempotent: func(method string) bool {
			return method == http.MethodGet || method == http.MethodHead
		},
		Permanent: tokenRefused,
	}
}

// tokenRefused recognises the installation token refused with a 4xx (a
// deleted or suspended installation), which no retry will change.
func tokenRefused(err error) bool {
	var tok *ghinstallation.HTTPError
	return errors.As(err, &tok) && tok.Response != nil && tok.Response.StatusCode < 500
}
