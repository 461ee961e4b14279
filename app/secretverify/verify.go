// Package secretverify asks a leaked secret's own provider, with one
// documented read-only call, whether the secret works: GitHub, GitLab,
// Slack, AWS (STS GetCallerIdentity) and Stripe. It implements
// secrets.Verifier for the secrets scanner.
//
// It is off unless a repository asks for it (.shiftward.yml
// scanners.secrets.verify: true) and the operator allows it. A secret is
// sent to one place only: its provider's fixed API URL (for GitHub and
// GitLab, the instance the operator configured), never to a URL a
// repository could choose. Every check is time-bound, rate-limited per
// provider and counted against a per-review budget; anything but a clear
// yes or no is "unknown", which still reports the finding.
package secretverify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// Provider names a service whose secrets can be checked.
type Provider string

// The providers with a safe read-only check.
const (
	GitHub Provider = "github"
	GitLab Provider = "gitlab"
	Slack  Provider = "slack"
	AWS    Provider = "aws"
	Stripe Provider = "stripe"
)

// The providers' public API URLs. Only the operator (Options) may point
// GitHub and GitLab at another instance; nothing a repository says can.
const (
	DefaultGitHubAPIURL = "https://api.github.com"
	DefaultGitLabURL    = "https://gitlab.com"
	slackURL            = "https://slack.com/api/auth.test"
	stsURL              = "https://sts.amazonaws.com/"
	stripeURL           = "https://api.stripe.com/v1/balance"
)

// Defaults of Options.
const (
	DefaultCheckTimeout = 5 * time.Second
	DefaultReviewBudget = 30 * time.Second
	DefaultMaxChecks    = 20
	// DefaultRate is the checks per second, per provider, the whole
	// process makes; DefaultBurst how many may go at once.
	DefaultRate  = 2
	DefaultBurst = 4
)

// maxResponse bounds the bytes read of a provider's answer: the answers
// that matter (Slack's JSON, STS's XML error) are well under 4 KiB.
const maxResponse = 64 << 10

// Options configure a Checker. The zero value checks with the defaults
// against the public providers.
type Options struct {
	// GitHubAPIURL and GitLabURL are the instances the operator runs
	// shiftward against (empty: api.github.com, gitlab.com). A token is
	// checked against them alone; a refusal by an instance other than the
	// public one is "unknown", since the token may belong elsewhere.
	GitHubAPIURL, GitLabURL string
	// CheckTimeout bounds one check; ReviewBudget all the checks of one
	// review (Session); MaxChecks their number (past it: unknown).
	CheckTimeout, ReviewBudget time.Duration
	MaxChecks                  int
	// Rate and Burst limit the checks per second to each provider.
	Rate  float64
	Burst int
	// Transport carries the requests (nil: a clone of
	// http.DefaultTransport). Tests route the providers' real URLs to
	// loopback fakes through it.
	Transport http.RoundTripper
	// Log gets one debug line per check: provider, rule, answer, HTTP
	// status. Never the secret, a header or a body.
	Log *slog.Logger
	// Observe, when set, is told the outcome of each check asked for
	// (not of answers from the review's cache): "verified", "invalid",
	// "unknown", or "rate_limited" and "over_budget" for checks not made.
	Observe func(provider Provider, outcome string)
}

// Checker holds what every review shares: the HTTP client and the
// per-provider rate limits. It is safe for concurrent use.
type Checker struct {
	opt      Options
	client   *http.Client
	limiters map[Provider]*rate.Limiter
	log      *slog.Logger
	gitHub   string // API base, no trailing slash
	gitLab   string
}

// New returns a Checker.
func New(opt Options) *Checker {
	if opt.CheckTimeout <= 0 {
		opt.CheckTimeout = DefaultCheckTimeout
	}
	if opt.ReviewBudget <= 0 {
		opt.ReviewBudget = DefaultReviewBudget
	}
	if opt.MaxChecks <= 0 {
		opt.MaxChecks = DefaultMaxChecks
	}
	if opt.Rate <= 0 {
		opt.Rate = DefaultRate
	}
	if opt.Burst <= 0 {
		opt.Burst = DefaultBurst
	}
	tr := opt.Transport
	if tr == nil {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Checker{
		opt: opt,
		client: &http.Client{
			Transport: tr,
			// A redirect could carry a token (PRIVATE-TOKEN is kept
			// across hosts) somewhere else: never follow one.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		limiters: map[Provider]*rate.Limiter{},
		log:      log,
		gitHub:   strings.TrimRight(cmpOr(opt.GitHubAPIURL, DefaultGitHubAPIURL), "/"),
		gitLab:   strings.TrimRight(cmpOr(opt.GitLabURL, DefaultGitLabURL), "/"),
	}
	for _, p := range []Provider{GitHub, GitLab, Slack, AWS, Stripe} {
		c.limiters[p] = rate.NewLimiter(rate.Limit(opt.Rate), opt.Burst)
	}
	return c
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Session returns the verifier of one review: its answers are cached by
// the secret's digest, and its checks bounded in number (MaxChecks) and
// time (ReviewBudget, counted from the first check).
func (c *Checker) Session() *Session {
	return &Session{c: c, cache: map[string]*answer{}}
}

// Session is a secrets.Verifier for one review. It is safe for
// concurrent use by the scans of the review's files.
type Session struct {
	c *Checker

	mu       sync.Mutex
	cache    map[string]*answer // by digest of provider, secret, related
	checks   int
	deadline time.Time
}

type answer struct {
	done chan struct{}
	v    scanners.Verification
}

var _ secrets.Verifier = (*Session)(nil)

// ProviderOf names the provider that checks the secrets of rule (a full
// rule id, "secrets/github-pat"); "" for a rule without a check.
func ProviderOf(rule string) Provider {
	id := strings.TrimPrefix(rule, secrets.Name+"/")
	switch {
	case strings.HasPrefix(id, "github-"):
		return GitHub
	case strings.HasPrefix(id, "gitlab-"):
		return GitLab
	case strings.HasPrefix(id, "slack-"):
		return Slack
	case id == "aws-secret-access-key":
		return AWS
	case id == "stripe-access-token":
		return Stripe
	}
	return ""
}

// Verify implements secrets.Verifier: it checks secret with the provider
// of rule, if the secret has that provider's form, within ctx, the
// per-check timeout and the review's budget.
func (s *Session) Verify(ctx context.Context, rule, secret string, related map[string]string) scanners.Verification {
	p := ProviderOf(rule)
	if p == "" || !wellFormed(p, secret, related) {
		// A repository's own rule may carry a built-in rule's id: only a
		// value of the provider's own form ever goes to the provider.
		return scanners.Unverified
	}
	h := sha256.New()
	h.Write([]byte(p))
	h.Write([]byte{0})
	h.Write([]byte(secret))
	h.Write([]byte{0})
	h.Write([]byte(related[secrets.RelatedAWSKeyID]))
	key := hex.EncodeToString(h.Sum(nil))

	s.mu.Lock()
	if a, ok := s.cache[key]; ok {
		s.mu.Unlock()
		select {
		case <-a.done:
			return a.v
		case <-ctx.Done():
			return scanners.Unverified
		}
	}
	now := time.Now()
	if s.deadline.IsZero() {
		s.deadline = now.Add(s.c.opt.ReviewBudget)
	}
	if s.checks >= s.c.opt.MaxChecks || !now.Before(s.deadline) {
		s.mu.Unlock()
		s.c.observe(p, "over_budget")
		s.c.log.DebugContext(ctx, "secret not verified: over the review's budget", "provider", string(p), "rule", rule)
		return scanners.Unverified
	}
	s.checks++
	a := &answer{done: make(chan struct{}), v: scanners.Unverified}
	s.cache[key] = a
	deadline := s.deadline
	s.mu.Unlock()

	defer close(a.done)
	cctx, cancel := context.WithTimeout(ctx, s.c.opt.CheckTimeout)
	defer cancel()
	cctx, cancel2 := context.WithDeadline(cctx, deadline)
	defer cancel2()
	a.v = s.c.check(cctx, p, rule, secret, related)
	return a.v
}

// check waits for the provider's rate limit, then makes the call.
func (c *Checker) check(ctx context.Context, p Provider, rule, secret string, related map[string]string) scanners.Verification {
	if err := c.limiters[p].Wait(ctx); err != nil {
		// Wait fails at once when the deadline comes before the turn.
		c.log.DebugContext(ctx, "secret not verified: rate limit", "provider", string(p), "rule", rule)
		c.observe(p, "rate_limited")
		return scanners.Unverified
	}
	var (
		v      scanners.Verification
		status int
		err    error
	)
	switch p {
	case GitHub:
		v, status, err = c.gitHubCheck(ctx, secret)
	case GitLab:
		v, status, err = c.gitLabCheck(ctx, secret)
	case Slack:
		v, status, err = c.slackCheck(ctx, secret)
	case AWS:
		v, status, err = c.awsCheck(ctx, related[secrets.RelatedAWSKeyID], secret, time.Now())
	case Stripe:
		v, status, err = c.stripeCheck(ctx, secret)
	}
	attrs := []any{"provider", string(p), "rule", rule, "verification", string(v), "status", status}
	if err != nil {
		attrs = append(attrs, "error", errorKind(err))
	}
	c.log.DebugContext(ctx, "secret checked", attrs...)
	c.observe(p, string(v))
	return v
}

func (c *Checker) observe(p Provider, outcome string) {
	if c.opt.Observe != nil {
		c.opt.Observe(p, outcome)
	}
}

// errorKind says what went wrong without quoting the error, whose text
// may hold the request (a URL, never a header, but say nothing).
func errorKind(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "request failed"
}
