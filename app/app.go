// Package app is shiftward's composition root: it builds the server, the
// queue, the platform clients, the scanner list and the workers from the
// configuration, and runs them. It is the only place that knows all of them.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/metrics"
	"github.com/shiftward/shiftward/app/osv"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/reconcile"
	"github.com/shiftward/shiftward/app/secretverify"
	"github.com/shiftward/shiftward/app/webhook"
	"github.com/shiftward/shiftward/app/worker"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/pipelines"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// Version is set at build time (-ldflags -X).
var Version = "dev"

// ScannerDeps is what the scanners need from outside the process.
type ScannerDeps struct {
	// OSV says where dependency advisories come from.
	OSV config.OSV
	// Redis caches OSV's answers across workers; nil caches in process only.
	Redis redis.UniversalClient
	// RedisPrefix starts the cache keys (the queue's prefix).
	RedisPrefix string
	Log         *slog.Logger
}

// NewScanners is the explicit list of scanners a review runs.
func NewScanners(d ScannerDeps) ([]scanners.Scanner, error) {
	return newScanners(d, nil)
}

// ScannerNames are the scanners NewScanners builds, in the review's order.
var ScannerNames = []string{secrets.Name, deps.Name, iac.Name, pipelines.Name, code.Name}

// newScanners builds the scanners named, in the review's order (every one
// when names is empty). A scanner not named is not built at all: a secret
// scan compiles no code rules, IaC checks or tree-sitter grammars. A name
// no scanner has is an error naming the ones there are.
func newScanners(d ScannerDeps, names []string) ([]scanners.Scanner, error) {
	for _, n := range names {
		if !slices.Contains(ScannerNames, n) {
			return nil, fmt.Errorf("--scanners: no scanner %q (there are %s)", n, strings.Join(ScannerNames, ", "))
		}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	build := map[string]func() (scanners.Scanner, error){
		secrets.Name: func() (scanners.Scanner, error) {
			s, err := secrets.New()
			if err != nil {
				return nil, fmt.Errorf("secret rules: %w", err)
			}
			return s, nil
		},
		deps.Name: func() (scanners.Scanner, error) {
			adv, err := advisories(d)
			if err != nil {
				return nil, err
			}
			return deps.New(adv), nil
		},
		iac.Name:       func() (scanners.Scanner, error) { return iac.New(iac.WithLogger(d.Log)), nil },
		pipelines.Name: func() (scanners.Scanner, error) { return pipelines.New(), nil },
		code.Name: func() (scanners.Scanner, error) {
			c, err := code.New(code.WithLogger(d.Log))
			if err != nil {
				return nil, fmt.Errorf("code rules: %w", err)
			}
			return c, nil
		},
	}
	var list []scanners.Scanner
	for _, n := range ScannerNames {
		if len(names) > 0 && !slices.Contains(names, n) {
			continue
		}
		s, err := build[n]()
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, nil
}

// advisories is the OSV source: the offline exports when configured, else
// the API (cached in Redis when there is one).
func advisories(d ScannerDeps) (deps.Advisories, error) {
	if d.OSV.Dir != "" {
		idx, err := osv.Offline(d.OSV.Dir)
		if err != nil {
			return nil, &config.Error{Var: config.EnvOSVDir, Msg: err.Error()}
		}
		return idx, nil
	}
	prefix := d.RedisPrefix
	if prefix == "" {
		prefix = queue.DefaultPrefix
	}
	c, err := osv.New(osv.Options{URL: d.OSV.URL, Redis: d.Redis, Prefix: prefix + ":osv:", TTL: d.OSV.TTL, Logger: d.Log.With("component", "osv")})
	if err != nil {
		return nil, &config.Error{Var: config.EnvOSVURL, Msg: err.Error()}
	}
	return c, nil
}

// DefaultScanners is the scanner list of a local scan: advisories from the
// OSV settings in the environment, cached in process.
func DefaultScanners() ([]scanners.Scanner, error) {
	o, err := config.OSVFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return NewScanners(ScannerDeps{OSV: o})
}

// DefaultScannersNamed is DefaultScanners with only the scanners named
// built (all when names is empty), as `shiftward scan --scanners` runs.
func DefaultScannersNamed(names []string) ([]scanners.Scanner, error) {
	o, err := config.OSVFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	return newScanners(ScannerDeps{OSV: o}, names)
}

// Serve runs the webhook server and in-process workers until ctx is done,
// then stops taking work and lets jobs in flight finish.
func Serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	return run(ctx, cfg, log, true)
}

// Work runs workers only, taking jobs from Redis, until ctx is done. It
// serves /healthz, /readyz and /metrics on cfg.Addr (no webhook routes),
// hardened as Serve's server is; a taken address fails start-up.
func Work(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	return run(ctx, cfg, log, false)
}

// Components are the parts a running shiftward is made of, built once from
// the configuration. Tests build them with fakes where the real thing is
// remote.
type Components struct {
	Metrics *metrics.Metrics
	Queue   queue.Queue
	Worker  *worker.Worker
	Echo    *echo.Echo
	// Reconciler catches lost deliveries and unreviewed heads; `serve`
	// runs it. Nil when SHIFTWARD_RECONCILE_INTERVAL is 0 or without Redis.
	Reconciler *reconcile.Reconciler

	close func()
}

// Close releases what Build opened: the queue and the advisory cache.
func (c *Components) Close() {
	if c.close != nil {
		c.close()
		return
	}
	c.Queue.Close()
}

// Build makes the components for cfg. The caller calls c.Close.
func Build(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Components, error) {
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	m := metrics.New()
	// One Redis client serves the queue, the advisory cache and the
	// rate-limit windows; without Redis each keeps to this process.
	var rdb redis.UniversalClient
	if cfg.RedisURL != "" {
		c, mode, err := queue.NewRedisClient(cfg.RedisURL)
		if err != nil {
			return nil, &config.Error{Var: config.EnvRedisURL, Msg: err.Error()}
		}
		log.Info("redis", "mode", string(mode))
		rdb = c
	}
	q, err := newQueue(ctx, cfg, log, m, rdb)
	if err != nil {
		if rdb != nil {
			rdb.Close()
		}
		return nil, err
	}
	m.WatchQueueDepth(q.Depth)
	closeAll := func() {
		q.Close()
		if rdb != nil {
			rdb.Close()
		}
	}
	// Rate-limit windows are shared with every other process through the
	// same Redis, under the queue's prefix (and so its Cluster hash tag).
	// So is the API budget: the quota each response reports and the pace
	// of content-creating requests, per installation or token.
	var windows hostapi.WindowStore
	var budget hostapi.BudgetStore
	if rdb != nil {
		prefix := cmp.Or(cfg.RedisPrefix, queue.DefaultPrefix)
		store := ratelimit.New(rdb, prefix+ratelimit.KeyPart, log.With("component", "ratelimit"))
		windows, budget = store, store
	}
	list, err := NewScanners(ScannerDeps{OSV: cfg.OSV, Redis: rdb, RedisPrefix: cfg.RedisPrefix, Log: log})
	if err != nil {
		closeAll()
		return nil, err
	}
	platforms := map[platform.Name]platform.Factory{}
	var sources []webhook.Source
	var ghApp reconcile.GitHubApp
	if cfg.GitHub.Enabled() {
		f, err := github.NewFactory(github.Config{
			AppID:         cfg.GitHub.AppID,
			PrivateKeyPEM: cfg.GitHub.PrivateKey,
			BaseURL:       cfg.GitHub.APIURL,
			Windows:       windows,
			Budget:        budget,
			ObserveBudget: observeBudget(m, platform.GitHub),
			Logger:        log.With("platform", "github"),
			Observe: func(route string, status int, _ time.Duration) {
				m.APIRequest(string(platform.GitHub), route, status)
			},
		})
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("%s: %w", config.EnvGitHubPrivateKeyFile, err)
		}
		platforms[platform.GitHub] = f
		ghApp = f
		sources = append(sources, webhook.GitHub{Secrets: cfg.GitHub.WebhookSecrets})
	}
	if cfg.GitLab.Enabled() {
		f, err := gitlab.NewFactory(gitlab.Config{
			BaseURL:       cfg.GitLab.URL,
			Token:         cfg.GitLab.Token,
			Windows:       windows,
			Budget:        budget,
			ObserveBudget: observeBudget(m, platform.GitLab),
			Logger:        log.With("platform", "gitlab"),
			Observe: func(route string, status int, _ time.Duration) {
				m.APIRequest(string(platform.GitLab), route, status)
			},
		})
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("%s: %w", config.EnvGitLabURL, err)
		}
		platforms[platform.GitLab] = f
		sources = append(sources, webhook.GitLab{Secrets: cfg.GitLab.WebhookSecrets, Hooks: cfg.GitLab.Hooks, Bot: f.IsBot})
	}

	// Secret verification: off unless the operator allows it (the
	// default) and a repository asks. Checks go to the public providers,
	// and to this server's own GitHub and GitLab instances.
	var checker *secretverify.Checker
	if cfg.SecretsVerify {
		checker = secretverify.New(secretverify.Options{
			GitHubAPIURL: cfg.GitHub.APIURL, GitLabURL: cfg.GitLab.URL,
			Log: log.With("component", "secretverify"),
			Observe: func(p secretverify.Provider, outcome string) {
				m.SecretChecks.WithLabelValues(string(p), outcome).Inc()
			},
		})
	}
	w := &worker.Worker{
		Platforms:   platforms,
		Scanners:    list,
		Freshness:   q,
		Log:         log,
		Observer:    workerMetrics{m},
		FailOn:      cfg.FailOn,
		MaxAttempts: cfg.MaxAttempts,
		Customize:   VerifyingCustomize(checker),
	}
	rec, projects := newReconciler(cfg, log, m, q, rdb, ghApp, platforms[platform.GitLab])
	var enq webhook.Enqueuer = q
	if projects != nil {
		enq = projectRecorder{Queue: q, projects: projects, log: log}
	}
	return &Components{Metrics: m, Queue: q, Worker: w, Echo: newEcho(log, m, enq, q, cfg.Server, sources),
		Reconciler: rec, close: closeAll}, nil
}

// newReconciler builds the reconciler `serve` runs, and the record of the
// GitLab projects it sweeps; nil, nil when it is off. It needs Redis: the
// lease that keeps it to one replica, and what it remembers, live there.
func newReconciler(cfg *config.Config, log *slog.Logger, m *metrics.Metrics, q queue.Queue, rdb redis.UniversalClient,
	gh reconcile.GitHubApp, gl platform.Factory) (*reconcile.Reconciler, *reconcile.Projects) {
	if cfg.ReconcileInterval <= 0 {
		return nil, nil
	}
	if rdb == nil {
		log.Warn("the reconciler (lost webhook deliveries, unreviewed pull requests) needs " + config.EnvRedisURL + "; it is off")
		return nil, nil
	}
	prefix := cmp.Or(cfg.RedisPrefix, queue.DefaultPrefix)
	r := &reconcile.Reconciler{
		Redis: rdb, Queue: q, GitHub: gh, GitLab: gl,
		Observer: reconcileMetrics{m},
		Log:      log.With("component", "reconcile"),
		Options:  reconcile.Options{Interval: cfg.ReconcileInterval, JobTimeout: cfg.JobTimeout, Prefix: prefix},
	}
	var projects *reconcile.Projects
	if gl != nil {
		projects = reconcile.NewProjects(rdb, prefix)
		r.Projects = projects
		paths := false
		for _, h := range cfg.GitLab.Hooks {
			r.GitLabProjects = append(r.GitLabProjects, h.Projects...)
			paths = paths || len(h.Paths) > 0
		}
		if paths {
			hooks := cfg.GitLab.Hooks
			r.GitLabPaths = func(fullName string) bool {
				for i := range hooks {
					if hooks[i].AllowsPath(fullName) {
						return true
					}
				}
				return false
			}
		}
	}
	return r, projects
}

// projectRecorder notes the GitLab project of each job the webhook queues,
// so the reconciler knows which projects to sweep: a token valid for every
// project (or a path glob) names none. A failed note costs nothing but the
// project's sweep, and is logged at debug.
type projectRecorder struct {
	queue.Queue
	projects *reconcile.Projects
	log      *slog.Logger
}

func (p projectRecorder) Enqueue(ctx context.Context, j queue.Job) (queue.Enqueued, error) {
	res, err := p.Queue.Enqueue(ctx, j)
	if err == nil && !res.Duplicate && j.Change.Platform == platform.GitLab {
		rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		if rerr := p.projects.Record(rctx, j.Change.Repo); rerr != nil {
			p.log.Debug("reconciler: noting a gitlab project", "err", rerr)
		}
	}
	return res, err
}

type reconcileMetrics struct{ m *metrics.Metrics }

func (r reconcileMetrics) Redelivered(outcome string) {
	r.m.Redeliveries.WithLabelValues(outcome).Inc()
}
func (r reconcileMetrics) Swept(p string) { r.m.Swept.WithLabelValues(p).Inc() }
func (r reconcileMetrics) OldestUnreviewed(p string, age time.Duration) {
	r.m.OldestUnreviewed.WithLabelValues(p).Set(age.Seconds())
}
func (r reconcileMetrics) HooksDisabled(n int) { r.m.HooksDisabled.Set(float64(n)) }

func run(ctx context.Context, cfg *config.Config, log *slog.Logger, serve bool) error {
	c, err := Build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer c.Close()
	// Listen before taking any work, so a taken port fails start-up. A
	// worker listens too, for its probes and metrics: the same routes but
	// the webhooks, which only serve takes.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("%s: %w", config.EnvAddr, err)
	}
	handler, listening := http.Handler(c.Echo), "webhook server listening"
	if !serve {
		handler, listening = newEcho(log, c.Metrics, c.Queue, c.Queue, cfg.Server, nil), "worker endpoints listening"
	}
	srv := NewServer(cfg.Addr, handler)
	// Either part failing stops the other.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	if serve && c.Reconciler != nil {
		wg.Go(func() {
			log.Info("reconciler started", "interval_seconds", cfg.ReconcileInterval.Seconds())
			_ = c.Reconciler.Run(ctx)
		})
	}
	wg.Go(func() {
		log.Info("workers started", "concurrency", cfg.Workers)
		if err := c.Queue.Run(ctx, c.Worker.Handle); err != nil && !errors.Is(err, context.Canceled) {
			errs <- fmt.Errorf("workers: %w", err)
		}
	})
	log.Info(listening, "addr", ln.Addr().String(), "version", Version)
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http server: %w", err)
		}
	})
	wg.Go(func() {
		<-ctx.Done()
		// Stop accepting deliveries first; in-flight requests get 10 s,
		// which is as long as GitHub waits anyway.
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	select {
	case err = <-errs:
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing jobs in flight")
	cancel()
	wg.Wait()
	return err
}

// MaxConnections bounds the connections NewServer's server holds at once;
// past it a new connection is closed at once. Each costs a goroutine and
// buffers (a few tens of KB with headers being read), so a flood of idle or
// slow connections cannot grow memory without bound. Webhook deliveries take
// milliseconds: a thousand at once is far beyond what the platforms send.
const MaxConnections = 1024

// NewServer wraps the echo router in an http.Server with timeouts: echo
// sets none, and a client that never finishes its request would otherwise
// hold a connection forever. Headers are bounded (webhook headers are under
// 2 KB) and so is the number of connections (MaxConnections).
func NewServer(addr string, h http.Handler) *http.Server {
	lim := &connLimit{max: MaxConnections}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ConnState:         lim.track,
	}
}

// connLimit counts open connections through http.Server.ConnState, which
// the server calls in its accept loop before serving a new connection.
type connLimit struct {
	max  int64
	open atomic.Int64
}

func (l *connLimit) track(c net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		if l.open.Add(1) > l.max {
			// The server still runs the connection's goroutine, which
			// fails its first read and reports StateClosed.
			c.Close()
		}
	case http.StateClosed, http.StateHijacked:
		l.open.Add(-1)
	}
}

// newEcho routes /healthz, /readyz (q reachable), /metrics and, when
// sources are given, their webhooks, which queue through enq.
func newEcho(log *slog.Logger, m *metrics.Metrics, enq webhook.Enqueuer, q queue.Queue, srv config.Server, sources []webhook.Source) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger = newEchoLogger(log)
	e.IPExtractor = ipExtractor(srv.TrustedProxies)
	if len(sources) > 0 { // a worker's server has no webhook routes
		memory := srv.WebhookMemory
		if memory <= 0 {
			memory = webhook.DefaultMemory
		}
		h := &webhook.Handler{Queue: enq, Log: log, Observer: deliveryMetrics{m},
			Bodies: webhook.NewDefaultBudget(memory), BodyWait: srv.WebhookWait}
		h.Register(e, sources...)
	}
	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": Version})
	})
	e.GET("/readyz", func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := q.Ping(ctx); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "queue unreachable"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	})
	e.GET("/metrics", echo.WrapHandler(m.Handler()))
	return e
}

// ipExtractor decides what c.RealIP() (logged with rejected deliveries)
// believes. echo's default believes X-Forwarded-For and X-Real-IP from
// anyone, so a client could name any address. Without trusted proxies the
// connection's peer is the client; with them, X-Forwarded-For is read from
// the right, past the trusted hops only (echo's loopback, link-local and
// private-network defaults are switched off: only the listed ranges count).
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// newQueue is the Redis queue on rdb, or without one the in-process queue.
func newQueue(ctx context.Context, cfg *config.Config, log *slog.Logger, m *metrics.Metrics, rdb redis.UniversalClient) (queue.Queue, error) {
	opts := queue.Options{
		Concurrency: cfg.Workers,
		MaxAttempts: cfg.MaxAttempts,
		JobTimeout:  cfg.JobTimeout,
		Prefix:      cfg.RedisPrefix,
		BackoffBase: cfg.RetryBackoff,
		Visibility:  cfg.VisibilityTimeout,
		Observer:    queue.ObserverFunc(func(o queue.Observation) { m.JobEvent(string(o.Event)) }),
		Logger:      log.With("component", "queue"),
	}
	if rdb == nil {
		log.Warn("no " + config.EnvRedisURL + ": using the in-process queue; queued jobs do not survive a restart")
		return queue.NewMemory(opts)
	}
	// config refuses a Cluster prefix without a hash tag first, naming
	// the variable; NewRedis checks it again for every other caller.
	q, err := queue.NewRedis(rdb, opts)
	if err != nil {
		return nil, err
	}
	// Not fatal: Redis may come up after us; /readyz reports it meanwhile.
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := q.Ping(pctx); err != nil {
		log.Warn("redis not reachable yet", "err", err)
	}
	return q, nil
}

type deliveryMetrics struct{ m *metrics.Metrics }

func (d deliveryMetrics) Delivery(platform, event, outcome string) {
	d.m.Deliveries.WithLabelValues(platform, event, outcome).Inc()
}

type workerMetrics struct{ m *metrics.Metrics }

func (w workerMetrics) Scanned(s scanners.Status) {
	w.m.ScanDuration.WithLabelValues(s.Scanner).Observe(s.Duration.Seconds())
}

func (w workerMetrics) Found(f *scanners.Finding) {
	w.m.Findings.WithLabelValues(f.Scanner, f.Severity.String()).Inc()
}

func (w workerMetrics) Published(d time.Duration) { w.m.JobDuration.Observe(d.Seconds()) }

// observeBudget reports a platform's API budget events as metrics.
func observeBudget(m *metrics.Metrics, p platform.Name) func(hostapi.BudgetEvent) {
	return func(e hostapi.BudgetEvent) {
		m.APIBudget(string(p), e.Remaining, e.Why, e.Delay, e.Deferred)
	}
}
