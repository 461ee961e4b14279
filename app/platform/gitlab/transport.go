package gitlab

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"

	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/comments"
)

// ObserveFunc receives one GitLab API call: its route template ("POST
// /projects/{id}/statuses/{sha}"), the HTTP status (0 when no response came
// back) and how long it took. It must be safe for concurrent use.
type ObserveFunc = hostapi.ObserveFunc

// newTransport builds retrier → limiter → budget → observer → next: the
// observer sees every attempt, the limiter stops retries inside a
// rate-limit window, the budget spreads the token's last requests before
// the quota resets. It returns the budget too, for Client.Budget.
func newTransport(next http.RoundTripper, cfg Config, log *slog.Logger) (http.RoundTripper, *hostapi.Budget) {
	obs := &hostapi.Observer{
		Next:    next,
		Observe: cfg.Observe,
		// The escaped path: GitLab takes a file or project path as one
		// segment with its slashes encoded (%2F).
		Route: func(req *http.Request) string {
			name, _ := route.Match(req.Method, req.URL.EscapedPath())
			return name
		},
	}
	// A 429 opens a window (Retry-After, else RateLimit-Reset, else a
	// minute), and so does an answer with RateLimit-Remaining 0 (until
	// RateLimit-Reset), shared per instance and token, never the token.
	key := windowKey(cfg.BaseURL, cfg.Token)
	// GitLab documents no limit of its own on content-creating requests;
	// its per-user quota (RateLimit-*) counts them with the rest.
	bud := &hostapi.Budget{
		Next:            obs,
		Store:           cfg.Budget,
		Key:             key,
		RemainingHeader: "RateLimit-Remaining",
		LimitHeader:     "RateLimit-Limit",
		ResetHeader:     "RateLimit-Reset",
		Reserve:         cfg.Reserve,
		Observe:         cfg.ObserveBudget,
		Now:             cfg.Now,
	}
	lim := &hostapi.Limiter{
		Next:            bud,
		Host:            "gitlab",
		RateLimited:     func(resp *http.Response) bool { return resp.StatusCode == http.StatusTooManyRequests },
		RemainingHeader: "RateLimit-Remaining",
		ResetHeader:     "RateLimit-Reset",
		Store:           cfg.Windows,
		Key:             key,
		Now:             cfg.Now,
		Log:             log,
	}
	return &hostapi.Retrier{
		Next:           lim,
		Attempts:       cfg.Attempts,
		AttemptTimeout: cfg.Timeout,
		Backoff:        cfg.RetryBackoff,
		Idempotent:     idempotent,
	}, bud
}

// reviewCosts is what publishing a review costs on GitLab: the commit
// status, and one discussion per inline comment.
var reviewCosts = comments.Costs{Fixed: 1, PerInline: 1}

// windowKey names the token's rate-limit windows in the shared store by a
// hash of the instance and token: GitLab limits per user, and the token
// itself must not be written anywhere.
func windowKey(baseURL, token string) string {
	sum := sha256.Sum256([]byte(baseURL + "\n" + token))
	return "gitlab:token:" + hex.EncodeToString(sum[:16])
}

// idempotent names the methods retried on 5xx or a network error: GET,
// HEAD, and PUT (a note body or a thread's resolution set twice is set
// once). POST is tried once: a discussion or note posted again after a lost
// response is a duplicate; the job's retry reads back what landed instead.
// client-go's own retries (go-retryablehttp, which repeats POSTs on 5xx) are
// switched off, so this is the only retry policy.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut:
		return true
	}
	return false
}
