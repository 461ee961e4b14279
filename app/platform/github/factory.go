package github

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/golang-jwt/jwt/v4"
	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
)

// DefaultBaseURL is github.com's REST API.
const DefaultBaseURL = "https://api.github.com/"

// CheckName is the name of shiftward's check run; BeginCheck looks for it to
// reuse a run a crashed worker left behind.
const CheckName = "shiftward"

// Config configures a Factory.
type Config struct {
	// AppID is the GitHub App's id (the JWT issuer).
	AppID int64
	// PrivateKeyPEM is the App's RSA private key, PEM encoded.
	PrivateKeyPEM []byte
	// BaseURL is the REST API root. Empty means DefaultBaseURL. Any other
	// value is used exactly as given, with no /api/v3 appended: pass
	// "https://ghes.example.com/api/v3/" for GitHub Enterprise Server, or an
	// httptest server's URL in tests. (go-github's WithEnterpriseURLs would
	// append /api/v3 to a test server's URL, so it is not used.)
	BaseURL string
	// Transport is the shared connection pool every installation uses. Nil
	// means a clone of http.DefaultTransport with dial, TLS and
	// response-header timeouts.
	Transport http.RoundTripper
	// Timeout bounds one HTTP attempt, body included (default 30s).
	Timeout time.Duration
	// GetAttempts is how often a GET is tried on 5xx or a network error
	// (default 3). Other methods are tried once: a POST repeated after a lost
	// response posts twice.
	GetAttempts int
	// RetryBackoff is the wait before the first GET retry, doubled after
	// each (default 500ms).
	RetryBackoff time.Duration
	// Observe, when set, receives every API call by route template and status.
	Observe ObserveFunc
	// Windows shares rate-limit windows with every other process, per
	// installation; nil keeps them in this process.
	Windows hostapi.WindowStore
	// Budget shares each installation's API budget (the primary quota read
	// from responses, the pace of content-creating requests) with every
	// other process; nil leaves requests unpaced (windows still apply).
	Budget hostapi.BudgetStore
	// Reserve is the primary quota below which requests are spread until
	// the reset (hostapi.DefaultReserve when 0).
	Reserve int
	// ContentLimits are the secondary limits content-generating requests
	// are paced under, per installation (hostapi.GitHubContentLimits when
	// nil).
	ContentLimits []hostapi.Rate
	// ObserveBudget, when set, receives quota readings and budget delays.
	ObserveBudget func(hostapi.BudgetEvent)
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
	// Now is the clock, for tests (default time.Now).
	Now func() time.Time
}

// Factory makes installation clients for one GitHub App. The App's JWT
// transport is made once; each installation's token transport is made once
// and cached, so its token (valid an hour) is reused until ghinstallation
// refreshes it, and its rate-limit window is remembered across jobs.
type Factory struct {
	cfg     Config
	key     *rsa.PrivateKey
	apiURL  *url.URL
	base    http.RoundTripper
	logger  *slog.Logger
	appAuth *ghinstallation.AppsTransport
	// app calls GitHub as the App itself (its JWT): installations and the
	// app's webhook deliveries. It has its own rate-limit window.
	app *gh.Client

	mu    sync.Mutex
	cache map[int64]*installation
}

// installation is the cached state of one installation.
type installation struct {
	gh     *gh.Client
	budget *hostapi.Budget
}

var _ platform.Factory = (*Factory)(nil)

// NewFactory checks cfg and parses the key.
func NewFactory(cfg Config) (*Factory, error) {
	if cfg.AppID <= 0 {
		return nil, errors.New("github: app id must be positive")
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(cfg.PrivateKeyPEM)
	if err != nil {
		// The parser's message never quotes the key.
		return nil, fmt.Errorf("github: parsing app private key: %w", err)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("github: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.GetAttempts <= 0 {
		cfg.GetAttempts = 3
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = 500 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ContentLimits == nil {
		cfg.ContentLimits = hostapi.GitHubContentLimits
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	tr := cfg.Transport
	if tr == nil {
		tr = hostapi.DefaultTransport()
	}
	f := &Factory{
		cfg:    cfg,
		key:    key,
		apiURL: u,
		logger: logger.With("platform", string(platform.GitHub)),
		cache:  map[int64]*installation{},
	}
	f.base = newObserver(tr, cfg.Observe, strings.TrimSuffix(u.Path, "/"))
	f.appAuth = ghinstallation.NewAppsTransportFromPrivateKey(f.base, cfg.AppID, key)
	f.appAuth.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	appLim := newLimiter(f.base, cfg.Windows, "github:app", cfg.Now, f.logger.With("component", "app"))
	appTr := ghinstallation.NewAppsTransportFromPrivateKey(appLim, cfg.AppID, key)
	appTr.BaseURL = f.appAuth.BaseURL
	f.app = gh.NewClient(&http.Client{Transport: newRetrier(appTr, cfg)})
	f.app.BaseURL, f.app.UploadURL = cloneURL(u), cloneURL(u)
	return f, nil
}

// AppTransport is the App-level (JWT) transport, for calls made as the App
// itself rather than an installation (listing installations, GET /app).
func (f *Factory) AppTransport() http.RoundTripper { return f.appAuth }

// Client returns the client of one installation, creating and caching its
// transports on first use. It sends no request: a revoked installation
// shows up as a *platform.PermanentError on the first call.
func (f *Factory) Client(_ context.Context, installationID int64) (platform.Client, error) {
	if installationID <= 0 {
		return nil, &platform.PermanentError{Err: fmt.Errorf("github: installation id %d invalid", installationID)}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in, ok := f.cache[installationID]
	if !ok {
		in = f.newInstallation(installationID)
		f.cache[installationID] = in
	}
	return &Client{
		gh:           in.gh,
		appID:        f.cfg.AppID,
		installation: installationID,
		log:          f.logger.With("installation_id", installationID),
		now:          f.cfg.Now,
		budget:       in.budget,
	}, nil
}

// newInstallation builds retrier → ghinstallation → limiter → budget →
// observer → shared pool. Each installation has its own AppsTransport (a
// small struct around the parsed key) so that its limiter and budget also
// cover token requests.
func (f *Factory) newInstallation(id int64) *installation {
	key := "github:installation:" + strconv.FormatInt(id, 10)
	bud := newBudget(f.base, f.cfg, key)
	lim := newLimiter(bud, f.cfg.Windows, key, f.cfg.Now, f.logger.With("installation_id", id))
	atr := ghinstallation.NewAppsTransportFromPrivateKey(lim, f.cfg.AppID, f.key)
	atr.BaseURL = strings.TrimSuffix(f.cfg.BaseURL, "/")
	itr := ghinstallation.NewFromAppsTransport(atr, id)
	hc := &http.Client{Transport: newRetrier(itr, f.cfg)}
	c := gh.NewClient(hc)
	c.BaseURL = cloneURL(f.apiURL)
	c.UploadURL = cloneURL(f.apiURL)
	return &installation{gh: c, budget: bud}
}

func cloneURL(u *url.URL) *url.URL {
	c := *u
	return &c
}
