// Package config reads the server's configuration from the environment and
// validates it, so a bad setting stops start-up with one line naming the
// variable instead of failing later on the first webhook.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// Env names, kept in one place: operators and scripts depend on them.
const (
	EnvAddr                 = "SHIFTWARD_ADDR"
	EnvGitHubAppID          = "SHIFTWARD_GITHUB_APP_ID"
	EnvGitHubPrivateKeyFile = "SHIFTWARD_GITHUB_PRIVATE_KEY_FILE"
	EnvGitHubPrivateKey     = "SHIFTWARD_GITHUB_PRIVATE_KEY"
	EnvGitHubWebhookSecret  = "SHIFTWARD_GITHUB_WEBHOOK_SECRET"
	// EnvGitHubWebhookSecretPrevious keeps the old secret valid while a
	// rotation is rolled out (GitHub signs with one secret at a time).
	EnvGitHubWebhookSecretPrevious = "SHIFTWARD_GITHUB_WEBHOOK_SECRET_PREVIOUS"
	EnvGitHubAPIURL                = "SHIFTWARD_GITHUB_API_URL"
	EnvGitLabURL                   = "SHIFTWARD_GITLAB_URL"
	EnvGitLabToken                 = "SHIFTWARD_GITLAB_TOKEN"
	EnvGitLabWebhookSecret         = "SHIFTWARD_GITLAB_WEBHOOK_SECRET"
	// EnvGitLabWebhookSecretPrevious keeps the old token valid during a rotation.
	EnvGitLabWebhookSecretPrevious = "SHIFTWARD_GITLAB_WEBHOOK_SECRET_PREVIOUS"
	EnvRedisURL                    = "SHIFTWARD_REDIS_URL"
	EnvRedisPrefix                 = "SHIFTWARD_REDIS_PREFIX"
	EnvWorkers                     = "SHIFTWARD_WORKERS"
	EnvMaxAttempts                 = "SHIFTWARD_MAX_ATTEMPTS"
	EnvJobTimeout                  = "SHIFTWARD_JOB_TIMEOUT"
	EnvRetryBackoff                = "SHIFTWARD_RETRY_BACKOFF"
	EnvVisibilityTimeout           = "SHIFTWARD_VISIBILITY_TIMEOUT"
	EnvFailOn                      = "SHIFTWARD_FAIL_ON"
	EnvLogLevel                    = "SHIFTWARD_LOG_LEVEL"
	EnvOSVURL                      = "SHIFTWARD_OSV_URL"
	EnvOSVDir                      = "SHIFTWARD_OSV_DIR"
	EnvOSVTTL                      = "SHIFTWARD_OSV_TTL"
	// EnvGitLabWebhookSecretsFile names a YAML file of webhook secret tokens,
	// each accepted only for the projects it lists (see GitLabHook).
	EnvGitLabWebhookSecretsFile = "SHIFTWARD_GITLAB_WEBHOOK_SECRETS_FILE"
	// EnvTrustedProxies lists the proxies (CIDRs or addresses) whose
	// X-Forwarded-For is believed; unset, the peer's address is the client's.
	EnvTrustedProxies = "SHIFTWARD_TRUSTED_PROXIES"
	// EnvWebhookMemoryMiB bounds the memory webhook bodies in flight may hold.
	EnvWebhookMemoryMiB = "SHIFTWARD_WEBHOOK_MEMORY_MIB"
	// EnvWebhookWait is how long a delivery waits for that memory before 503.
	EnvWebhookWait = "SHIFTWARD_WEBHOOK_WAIT"
	// EnvSecretsVerify is "off" to refuse secret verification to every
	// repository (no secret ever leaves the server), "on" (the default)
	// to let a repository ask for it (scanners.secrets.verify).
	EnvSecretsVerify = "SHIFTWARD_SECRETS_VERIFY"
	// EnvReconcileInterval is the time between reconciler passes (0: off).
	EnvReconcileInterval = "SHIFTWARD_RECONCILE_INTERVAL"
)

// DefaultReconcileInterval is the time between reconciler passes.
const DefaultReconcileInterval = 5 * time.Minute

// MinReconcileInterval keeps passes from costing more API calls than the
// reviews they catch: each lists every installation's open pull requests.
const MinReconcileInterval = 30 * time.Second

// Bounds of the webhook server's settings.
const (
	// DefaultWebhookMemoryMiB holds one 25 MB delivery being parsed (body and
	// what parsing copies, 75 MiB) beside a reserve for the small ones (a
	// quarter, at most 32 MiB), and keeps a flooded server's peak RSS under
	// 256 MiB with the scanners loaded. Below it, the largest deliveries are
	// refused (413): a budget of M MiB takes bodies up to about M/4 MiB.
	DefaultWebhookMemoryMiB = 100
	// MinWebhookMemoryMiB still takes ordinary deliveries (up to about 2 MiB).
	MinWebhookMemoryMiB = 8
	MaxWebhookMemoryMiB = 16384
	DefaultWebhookWait  = 2 * time.Second
	// MaxWebhookWait stays well under the 10 s GitHub and GitLab wait for
	// an answer.
	MaxWebhookWait = 8 * time.Second
)

// DefaultGitHubAPIURL is github.com's REST endpoint; any other value names a
// GitHub Enterprise Server or a test server.
const DefaultGitHubAPIURL = "https://api.github.com/"

// DefaultGitLabURL is gitlab.com; self-managed instances give their own.
const DefaultGitLabURL = "https://gitlab.com"

// Config is the whole server configuration.
type Config struct {
	Addr   string
	GitHub GitHub
	GitLab GitLab
	// RedisURL empty means the in-process queue: jobs do not survive a restart.
	RedisURL string
	// RedisPrefix namespaces shiftward's keys, so several installations can
	// share one Redis. Empty means the queue's default.
	RedisPrefix string
	Workers     int
	MaxAttempts int
	JobTimeout  time.Duration
	// RetryBackoff is the first retry's delay bound; later ones double.
	RetryBackoff time.Duration
	// VisibilityTimeout is how long a job may go without its worker's
	// heartbeat before another worker takes it over.
	VisibilityTimeout time.Duration
	// ReconcileInterval is the time between passes of the reconciler that
	// `serve` runs (lost deliveries, unreviewed heads); 0 turns it off.
	ReconcileInterval time.Duration
	FailOn            scanners.Severity
	LogLevel          string
	OSV               OSV
	Server            Server
	// SecretsVerify says repositories may have their secrets checked with
	// the secrets' providers (EnvSecretsVerify); each still has to ask.
	SecretsVerify bool
	// Warnings are settings that work but deserve an operator's look; the
	// server logs them at start-up.
	Warnings []string
}

// Server holds the webhook server's own settings.
type Server struct {
	// TrustedProxies are the networks whose X-Forwarded-For header is
	// believed. Empty: the connection's peer is the client, whatever the
	// headers say.
	TrustedProxies []*net.IPNet
	// WebhookMemory is the byte budget of webhook bodies in flight (read and
	// parsed); a delivery that cannot get its share in WebhookWait gets 503.
	WebhookMemory int64
	WebhookWait   time.Duration
}

// DefaultOSVURL is OSV's public API.
const DefaultOSVURL = "https://api.osv.dev"

// OSV says where dependency advisories come from.
type OSV struct {
	// URL is the OSV API (querybatch and vulns endpoints).
	URL string
	// Dir, when set, is an offline copy of OSV's per-ecosystem exports
	// (<Ecosystem>/all.zip or <ID>.json files), used instead of the API.
	Dir string
	// TTL is how long answers are cached in Redis.
	TTL time.Duration
}

// OSVFromEnv reads the OSV settings (the local scan reads only these).
func OSVFromEnv(getenv func(string) string) (OSV, error) {
	o := OSV{URL: or(strings.TrimSpace(getenv(EnvOSVURL)), DefaultOSVURL), Dir: strings.TrimSpace(getenv(EnvOSVDir))}
	var err error
	if o.TTL, err = durationVar(getenv, EnvOSVTTL, 6*time.Hour); err != nil {
		return o, err
	}
	if u, perr := url.Parse(o.URL); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return o, &Error{EnvOSVURL, fmt.Sprintf("%q is not an http(s) URL", o.URL)}
	}
	return o, nil
}

// SecretsVerifyFromEnv reads EnvSecretsVerify: on (the default) or off.
func SecretsVerifyFromEnv(getenv func(string) string) (bool, error) {
	switch v := strings.ToLower(strings.TrimSpace(getenv(EnvSecretsVerify))); v {
	case "", "on", "true", "1":
		return true, nil
	case "off", "false", "0":
		return false, nil
	default:
		return false, &Error{EnvSecretsVerify, fmt.Sprintf("%q is neither on nor off", v)}
	}
}

// GitHub holds the GitHub App's credentials.
type GitHub struct {
	AppID      int64
	PrivateKey []byte
	// WebhookSecrets are tried in order; the first is current.
	WebhookSecrets [][]byte
	APIURL         string
}

// Enabled reports whether any GitHub setting was given.
func (g GitHub) Enabled() bool {
	return g.AppID != 0 || len(g.PrivateKey) > 0 || len(g.WebhookSecrets) > 0
}

// GitLab holds the GitLab bot's settings.
type GitLab struct {
	// URL is the instance's address (https://gitlab.example.com), with or
	// without /api/v4.
	URL string
	// Token is the bot user's access token (api scope).
	Token string
	// WebhookSecrets are the accepted X-Gitlab-Token values, current first,
	// each accepted for every project.
	WebhookSecrets [][]byte
	// Hooks are secret tokens each accepted for some projects only, from
	// EnvGitLabWebhookSecretsFile.
	Hooks []GitLabHook
}

// Enabled reports whether any GitLab setting was given.
func (g GitLab) Enabled() bool {
	return g.Token != "" || len(g.WebhookSecrets) > 0 || len(g.Hooks) > 0
}

// Error is a configuration problem tied to one variable.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

// FromEnv reads the configuration through getenv (os.Getenv in production)
// and validates it. The error names the first bad variable.
func FromEnv(getenv func(string) string) (*Config, error) {
	c := &Config{
		Addr:        or(getenv(EnvAddr), ":8080"),
		RedisURL:    strings.TrimSpace(getenv(EnvRedisURL)),
		RedisPrefix: strings.TrimSpace(getenv(EnvRedisPrefix)),
		LogLevel:    or(getenv(EnvLogLevel), "info"),
		FailOn:      scanners.SeverityHigh,
	}
	var err error
	if c.Workers, err = intVar(getenv, EnvWorkers, 4, 1, 256); err != nil {
		return nil, err
	}
	if c.MaxAttempts, err = intVar(getenv, EnvMaxAttempts, 5, 1, 100); err != nil {
		return nil, err
	}
	if c.JobTimeout, err = durationVar(getenv, EnvJobTimeout, 10*time.Minute); err != nil {
		return nil, err
	}
	if c.RetryBackoff, err = durationVar(getenv, EnvRetryBackoff, 5*time.Second); err != nil {
		return nil, err
	}
	if c.VisibilityTimeout, err = durationVar(getenv, EnvVisibilityTimeout, 2*time.Minute); err != nil {
		return nil, err
	}
	if c.ReconcileInterval, err = reconcileInterval(getenv); err != nil {
		return nil, err
	}
	if v := getenv(EnvFailOn); v != "" {
		s, perr := scanners.ParseSeverity(v)
		if perr != nil {
			return nil, &Error{EnvFailOn, perr.Error()}
		}
		c.FailOn = s
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, &Error{EnvLogLevel, fmt.Sprintf("%q is not one of debug, info, warn, error", c.LogLevel)}
	}
	if c.OSV, err = OSVFromEnv(getenv); err != nil {
		return nil, err
	}
	if c.SecretsVerify, err = SecretsVerifyFromEnv(getenv); err != nil {
		return nil, err
	}
	var ghWarnings []string
	if c.GitHub, ghWarnings, err = gitHubFromEnvOrFile(getenv); err != nil {
		return nil, err
	}
	if c.GitLab, c.Warnings, err = gitLabFromEnv(getenv); err != nil {
		return nil, err
	}
	c.Warnings = append(ghWarnings, c.Warnings...)
	if c.Server, err = serverFromEnv(getenv); err != nil {
		return nil, err
	}
	if err := c.checkRedis(); err != nil {
		return nil, err
	}
	return c, nil
}

func serverFromEnv(getenv func(string) string) (Server, error) {
	s := Server{}
	mib, err := intVar(getenv, EnvWebhookMemoryMiB, DefaultWebhookMemoryMiB, MinWebhookMemoryMiB, MaxWebhookMemoryMiB)
	if err != nil {
		return s, err
	}
	s.WebhookMemory = int64(mib) << 20
	if s.WebhookWait, err = durationVar(getenv, EnvWebhookWait, DefaultWebhookWait); err != nil {
		return s, err
	}
	if s.WebhookWait > MaxWebhookWait {
		return s, &Error{EnvWebhookWait, fmt.Sprintf("%s is over %s: the platforms give up after 10s", s.WebhookWait, MaxWebhookWait)}
	}
	if s.TrustedProxies, err = parseProxies(getenv(EnvTrustedProxies)); err != nil {
		return s, err
	}
	return s, nil
}

// parseProxies reads a comma- or space-separated list of CIDRs; a bare
// address stands for itself alone.
func parseProxies(v string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, &Error{EnvTrustedProxies, fmt.Sprintf("%q is not an address or CIDR like 10.0.0.0/8", f)}
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, &Error{EnvTrustedProxies, fmt.Sprintf("%q is not an address or CIDR like 10.0.0.0/8", f)}
		}
		if ones, _ := n.Mask.Size(); ones == 0 {
			// 0.0.0.0/0 would believe every client's header: the same as
			// trusting X-Forwarded-For from anyone.
			return nil, &Error{EnvTrustedProxies, fmt.Sprintf("%q trusts every address; list the proxies' own networks", f)}
		}
		out = append(out, n)
	}
	return out, nil
}

// RequirePlatform checks that at least one code host is configured, as the
// server and workers need one; `shiftward scan` needs none.
func (c *Config) RequirePlatform() error {
	if !c.GitHub.Enabled() && !c.GitLab.Enabled() {
		return &Error{EnvGitHubAppID, "not set: configure the GitHub App or GitLab (" + EnvGitLabToken + "); see README, Configuration"}
	}
	return nil
}

func gitHubFromEnv(getenv func(string) string) (GitHub, error) {
	g := GitHub{APIURL: or(getenv(EnvGitHubAPIURL), DefaultGitHubAPIURL)}
	if v := getenv(EnvGitHubAppID); v != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return g, &Error{EnvGitHubAppID, fmt.Sprintf("%q is not a positive number (the App ID on the app's settings page)", v)}
		}
		g.AppID = id
	}
	keyFile, keyPEM := getenv(EnvGitHubPrivateKeyFile), getenv(EnvGitHubPrivateKey)
	switch {
	case keyFile != "" && keyPEM != "":
		return g, &Error{EnvGitHubPrivateKey, "set either it or " + EnvGitHubPrivateKeyFile + ", not both"}
	case keyFile != "":
		b, err := os.ReadFile(keyFile)
		if err != nil {
			return g, &Error{EnvGitHubPrivateKeyFile, "cannot read: " + errors.Unwrap(err).Error()}
		}
		g.PrivateKey = b
	case keyPEM != "":
		g.PrivateKey = []byte(keyPEM)
	}
	if len(g.PrivateKey) > 0 && !strings.Contains(string(g.PrivateKey), "PRIVATE KEY-----") {
		name := EnvGitHubPrivateKey
		if keyFile != "" {
			name = EnvGitHubPrivateKeyFile
		}
		// Never echo the value: it is a key.
		return g, &Error{name, "does not hold a PEM private key (download it from the app's settings page)"}
	}
	if s := getenv(EnvGitHubWebhookSecret); s != "" {
		g.WebhookSecrets = append(g.WebhookSecrets, []byte(s))
	}
	if s := getenv(EnvGitHubWebhookSecretPrevious); s != "" {
		g.WebhookSecrets = append(g.WebhookSecrets, []byte(s))
	}
	u, err := url.Parse(g.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return g, &Error{EnvGitHubAPIURL, fmt.Sprintf("%q is not an http(s) URL", g.APIURL)}
	}
	if !g.Enabled() {
		return g, nil
	}
	// Partly configured is an error, never "verification off".
	switch {
	case g.AppID == 0:
		return g, &Error{EnvGitHubAppID, "not set (other GitHub settings are)"}
	case len(g.PrivateKey) == 0:
		return g, &Error{EnvGitHubPrivateKeyFile, "not set: give the app's private key file (or " + EnvGitHubPrivateKey + ")"}
	case len(g.WebhookSecrets) == 0:
		return g, &Error{EnvGitHubWebhookSecret, "not set: webhooks cannot be verified without it"}
	}
	return g, nil
}

func gitLabFromEnv(getenv func(string) string) (GitLab, []string, error) {
	var warnings []string
	g := GitLab{URL: or(getenv(EnvGitLabURL), DefaultGitLabURL), Token: strings.TrimSpace(getenv(EnvGitLabToken))}
	if s := getenv(EnvGitLabWebhookSecret); s != "" {
		g.WebhookSecrets = append(g.WebhookSecrets, []byte(s))
	}
	if s := getenv(EnvGitLabWebhookSecretPrevious); s != "" {
		g.WebhookSecrets = append(g.WebhookSecrets, []byte(s))
	}
	if f := strings.TrimSpace(getenv(EnvGitLabWebhookSecretsFile)); f != "" {
		hooks, w, err := ReadGitLabHooks(f, g.WebhookSecrets)
		if err != nil {
			return g, nil, err
		}
		g.Hooks, warnings = hooks, append(warnings, w...)
	}
	u, err := url.Parse(g.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return g, nil, &Error{EnvGitLabURL, fmt.Sprintf("%q is not an http(s) URL like https://gitlab.example.com", g.URL)}
	}
	switch {
	case !g.Enabled():
	case g.Token == "":
		return g, nil, &Error{EnvGitLabToken, "not set: the bot user's access token (api scope) is needed to post reviews"}
	case len(g.WebhookSecrets) == 0 && len(g.Hooks) == 0:
		return g, nil, &Error{EnvGitLabWebhookSecret, "not set: webhooks cannot be verified without it (or " + EnvGitLabWebhookSecretsFile + ")"}
	}
	if len(g.WebhookSecrets) > 0 {
		warnings = append(warnings, EnvGitLabWebhookSecret+" is accepted for every project: anyone who reads it in one project's webhook settings can queue work for any project; give each webhook its own token, limited to its projects, in "+EnvGitLabWebhookSecretsFile)
	}
	return g, warnings, nil
}

func intVar(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, &Error{name, fmt.Sprintf("%q is not a number from %d to %d", v, lo, hi)}
	}
	return n, nil
}

func durationVar(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		return 0, &Error{name, fmt.Sprintf("%q is not a positive duration like 10m or 30s", v)}
	}
	return d, nil
}

// reconcileInterval reads EnvReconcileInterval: a duration of at least
// MinReconcileInterval, or 0 (any zero duration: "0", "0s") for off.
func reconcileInterval(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(EnvReconcileInterval))
	if v == "" {
		return DefaultReconcileInterval, nil
	}
	d, err := time.ParseDuration(v)
	if v == "0" {
		d, err = 0, nil
	}
	switch {
	case err != nil || d < 0:
		return 0, &Error{EnvReconcileInterval, fmt.Sprintf("%q is not a duration like 5m, or 0 to turn the reconciler off", v)}
	case d > 0 && d < MinReconcileInterval:
		return 0, &Error{EnvReconcileInterval, fmt.Sprintf("%s is under %s: each pass lists every open pull request", d, MinReconcileInterval)}
	}
	return d, nil
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
