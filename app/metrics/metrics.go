// Package metrics defines shiftward's Prometheus metrics in one registry, so
// every series an operator can alert on is listed in one place.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every series shiftward exports. Labels never carry secret
// material, payloads or unbounded values such as URLs with ids.
type Metrics struct {
	Registry *prometheus.Registry

	// Deliveries counts webhook deliveries by platform, event and outcome
	// (queued, duplicate, ignored, unauthorized, invalid, too_large, unavailable).
	Deliveries *prometheus.CounterVec
	// Jobs counts queue events (queued, duplicate, running, done, failed,
	// retried, dead, reclaimed, superseded).
	Jobs *prometheus.CounterVec
	// Running is the number of jobs being worked on in this process.
	Running prometheus.Gauge
	// ScanDuration is the time one scanner spent on one change.
	ScanDuration *prometheus.HistogramVec
	// JobDuration is the time from job start to review published.
	JobDuration prometheus.Histogram
	// Findings counts findings by scanner and severity.
	Findings *prometheus.CounterVec
	// APIRequests counts platform API calls by platform, route template and status.
	APIRequests *prometheus.CounterVec
	// QuotaRemaining is the primary API quota left, as the last response
	// of any installation or token reported it, by platform.
	QuotaRemaining *prometheus.GaugeVec
	// BudgetDelayed counts requests the API budget held back, by platform,
	// reason (primary: quota below the reserve or spent; content: GitHub's
	// secondary limits on content-creating requests) and outcome (waited:
	// sent after a wait; deferred: not sent, the job requeued until its turn).
	BudgetDelayed *prometheus.CounterVec
	// BudgetWait sums the time requests waited for the API budget, by
	// platform and reason (deferred requests count their deferral).
	BudgetWait *prometheus.CounterVec
	// SecretChecks counts checks of secrets with their providers, by
	// provider and outcome (verified, invalid, unknown, rate_limited,
	// over_budget).
	SecretChecks *prometheus.CounterVec
	// Redeliveries counts failed webhook deliveries the reconciler asked
	// GitHub to redeliver, by outcome (redelivered, failed).
	Redeliveries *prometheus.CounterVec
	// Swept counts review jobs the reconciler queued for heads without a
	// result, by platform.
	Swept *prometheus.CounterVec
	// OldestUnreviewed is the age of the oldest head without a result the
	// last reconciler pass saw, by platform (0: none).
	OldestUnreviewed *prometheus.GaugeVec
	// HooksDisabled is how many of shiftward's GitLab webhooks GitLab had
	// disabled at the last reconciler pass.
	HooksDisabled prometheus.Gauge
}

// New registers every metric in a fresh registry, with Go and process collectors.
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_webhook_deliveries_total",
			Help: "Webhook deliveries by platform, event and outcome.",
		}, []string{"platform", "event", "outcome"}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_jobs_total",
			Help: "Queue job events: queued, duplicate, running, done, failed, retried, dead, reclaimed, superseded.",
		}, []string{"event"}),
		Running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shiftward_jobs_running",
			Help: "Jobs being worked on in this process.",
		}),
		ScanDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "shiftward_scan_duration_seconds",
			Help:    "Time one scanner spent on one change.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}, []string{"scanner"}),
		JobDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "shiftward_job_duration_seconds",
			Help:    "Time from a job's start to its review being published.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 12),
		}),
		Findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_findings_total",
			Help: "Findings reported, by scanner and severity.",
		}, []string{"scanner", "severity"}),
		APIRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_platform_api_requests_total",
			Help: "Code host API calls by platform, route template and HTTP status.",
		}, []string{"platform", "route", "status"}),
		SecretChecks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_secret_checks_total",
			Help: "Secrets checked with their providers, by provider and outcome: verified, invalid, unknown, rate_limited, over_budget.",
		}, []string{"provider", "outcome"}),
		Redeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_reconcile_redeliveries_total",
			Help: "Failed GitHub webhook deliveries the reconciler asked to redeliver, by outcome (redelivered, failed).",
		}, []string{"outcome"}),
		Swept: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_reconcile_swept_total",
			Help: "Review jobs the reconciler queued for pull/merge request heads without a result, by platform.",
		}, []string{"platform"}),
		OldestUnreviewed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shiftward_reconcile_oldest_unreviewed_seconds",
			Help: "Age of the oldest open pull/merge request head without a result at the last reconciler pass (0: none), by platform.",
		}, []string{"platform"}),
		QuotaRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shiftward_api_quota_remaining",
			Help: "Primary API quota left as the last response reported it (any installation or token), by platform.",
		}, []string{"platform"}),
		BudgetDelayed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_api_budget_delayed_total",
			Help: "API requests the shared budget held back, by platform, reason (primary, content) and outcome (waited, deferred).",
		}, []string{"platform", "reason", "outcome"}),
		BudgetWait: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shiftward_api_budget_wait_seconds_total",
			Help: "Time API requests waited or were deferred for the shared budget, by platform and reason.",
		}, []string{"platform", "reason"}),
		HooksDisabled: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shiftward_gitlab_hooks_disabled",
			Help: "shiftward's GitLab webhooks that GitLab had disabled at the last reconciler pass.",
		}),
	}
	r.MustRegister(m.Deliveries, m.Jobs, m.Running, m.ScanDuration, m.JobDuration, m.Findings, m.APIRequests,
		m.Redeliveries, m.Swept, m.OldestUnreviewed, m.HooksDisabled, m.SecretChecks,
		m.QuotaRemaining, m.BudgetDelayed, m.BudgetWait)
	return m
}

// WatchQueueDepth exports the queue's depth as a gauge read at scrape time.
// A failing read reports -1 rather than a stale number.
func (m *Metrics) WatchQueueDepth(depth func(context.Context) (int64, error)) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "shiftward_queue_depth",
		Help: "Jobs waiting in the queue (-1 when the queue cannot be read).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := depth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

// JobEvent counts a queue event; it satisfies the queue's observer hook.
func (m *Metrics) JobEvent(event string) {
	m.Jobs.WithLabelValues(event).Inc()
	switch event {
	case "running":
		m.Running.Inc()
	case "done", "failed":
		m.Running.Dec()
	}
}

// APIRequest counts one platform API call.
func (m *Metrics) APIRequest(platform, route string, status int) {
	m.APIRequests.WithLabelValues(platform, route, strconv.Itoa(status)).Inc()
}

// APIBudget records one event of a platform's API budget: a quota read
// from a response (remaining >= 0 with why empty) or a request held back.
func (m *Metrics) APIBudget(platform string, remaining int, why string, delay time.Duration, deferred bool) {
	if why == "" {
		m.QuotaRemaining.WithLabelValues(platform).Set(float64(remaining))
		return
	}
	outcome := "waited"
	if deferred {
		outcome = "deferred"
	}
	m.BudgetDelayed.WithLabelValues(platform, why, outcome).Inc()
	m.BudgetWait.WithLabelValues(platform, why).Add(delay.Seconds())
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
