package gitlab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
)

// DefaultBaseURL is gitlab.com.
const DefaultBaseURL = "https://gitlab.com"

// StatusName is the name (context) of shiftward's commit status.
const StatusName = "shiftward"

// Config configures a Factory.
type Config struct {
	// BaseURL is the GitLab instance, with or without /api/v4 (client-go
	// appends it when absent). Empty means DefaultBaseURL.
	BaseURL string
	// Token is the bot user's personal, project or group access token
	// (scope api), sent as PRIVATE-TOKEN.
	Token string
	// Transport is the shared connection pool. Nil means a clone of
	// http.DefaultTransport with dial, TLS and response-header timeouts.
	Transport http.RoundTripper
	// Timeout bounds one HTTP attempt, body included (default 30s).
	Timeout time.Duration
	// Attempts is how often an idempotent request (GET, HEAD, PUT) is tried
	// on 5xx or a network error (default 3). POST is tried once.
	Attempts int
	// RetryBackoff is the wait before the first retry, doubled after each
	// (default 500ms).
	RetryBackoff time.Duration
	// Observe, when set, receives every API call by route template and status.
	Observe ObserveFunc
	// Windows shares rate-limit windows with every other process, per
	// instance and token; nil keeps them in this process.
	Windows hostapi.WindowStore
	// Budget shares the token's API budget (the quota read from
	// RateLimit-* headers) with every other process; nil leaves requests
	// unpaced (windows still apply).
	Budget hostapi.BudgetStore
	// Reserve is the quota below which requests are spread until the reset
	// (hostapi.DefaultReserve when 0).
	Reserve int
	// ObserveBudget, when set, receives quota readings and budget delays.
	ObserveBudget func(hostapi.BudgetEvent)
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// Now is the clock, for tests (default time.Now).
	Now func() time.Time
}

// Factory makes the client of the bot token. GitLab has no installations:
// every job uses the same token, so one client-go client (and one
// rate-limit window) is shared.
type Factory struct {
	cfg    Config
	gl     *gl.Client
	logger *slog.Logger
	budget *hostapi.Budget

	mu  sync.Mutex
	bot *botUser
	// learning is held while GET /user is in flight, so jobs that start
	// together ask once.
	learning sync.Mutex
}

// botUser is the token's user, learnt once with GET /user.
type botUser struct {
	ID       int64
	Username string
}

var _ platform.Factory = (*Factory)(nil)

// NewFactory checks cfg and builds the shared client. It sends no request.
func NewFactory(cfg Config) (*Factory, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, fmt.Errorf("gitlab: %s is empty", TokenEnv)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, errors.New("gitlab: base URL is not an http(s) URL without credentials")
	}
	base := strings.TrimSuffix(u.String(), "/")
	base = strings.TrimSuffix(base, "/api/v4")
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = 500 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("platform", string(platform.GitLab))
	tr := cfg.Transport
	if tr == nil {
		tr = hostapi.DefaultTransport()
	}
	rt, budget := newTransport(tr, cfg, logger)
	hc := &http.Client{Transport: rt}
	c, err := gl.NewClient(cfg.Token,
		gl.WithBaseURL(base),
		gl.WithHTTPClient(hc),
		// go-retryablehttp would retry every method on 5xx and 429,
		// POSTs included (duplicate threads); retrier above decides.
		gl.WithoutRetries(),
		gl.WithCustomRetryMax(0),
		gl.WithURLWarningLogger(logger),
		gl.WithUserAgent("shiftward"),
	)
	if err != nil {
		return nil, fmt.Errorf("gitlab: client: %w", err)
	}
	return &Factory{cfg: cfg, gl: c, logger: logger, budget: budget}, nil
}

// Client returns a client for one job. installation is ignored (GitLab uses
// one bot token; webhooks carry 0). It sends no request: a refused token
// shows up as a *platform.PermanentError on the first call.
func (f *Factory) Client(_ context.Context, _ int64) (platform.Client, error) {
	return &Client{gl: f.gl, factory: f, log: f.logger, files: map[string]map[string]*fileDiff{}}, nil
}

// user learns the bot user (GET /user) once per factory, that is once per
// token: the answer is cached for the factory's life. A failure is not
// cached, so the next job asks again (each GET is itself retried on 5xx);
// callers that arrive while a request is in flight wait for its answer
// instead of sending their own.
func (f *Factory) user(ctx context.Context) (*botUser, error) {
	if b := f.knownBot(); b != nil {
		return b, nil
	}
	f.learning.Lock()
	defer f.learning.Unlock()
	if b := f.knownBot(); b != nil {
		return b, nil
	}
	u, _, err := f.gl.Users.CurrentUser(gl.WithContext(ctx))
	if err != nil {
		return nil, apiError("reading the bot user (GET /user)", err)
	}
	if u == nil || u.ID <= 0 {
		return nil, errors.New("reading the bot user (GET /user): no user id in the answer")
	}
	b := &botUser{ID: u.ID, Username: u.Username}
	f.mu.Lock()
	f.bot = b
	f.mu.Unlock()
	return b, nil
}

func (f *Factory) knownBot() *botUser {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bot
}

// IsBot reports whether userID is the bot token's user, as far as the
// factory knows already: it sends no request, and says false until a job
// has learnt the bot user. The webhook uses it to drop the bot's own notes
// before they are queued; the worker checks every note against GET /user.
func (f *Factory) IsBot(userID int64) bool {
	b := f.knownBot()
	return b != nil && userID == b.ID
}
