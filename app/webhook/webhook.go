// Package webhook receives code host deliveries over HTTP. Each delivery
// goes through the same steps, kept apart: bound the body, verify it, parse
// it into a job, queue the job durably, answer. Scanning never happens on
// the request path: the answer comes once the job is queued.
package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app/queue"
)

// MaxBody is GitHub's documented cap on webhook payloads (25 MB); larger
// bodies are refused with 413 before anything is parsed.
const MaxBody = 25 << 20

// Errors a Source returns; the handler maps them to HTTP statuses in one place.
var (
	// ErrUnauthorized: the delivery's signature or token is missing or wrong (401).
	ErrUnauthorized = errors.New("delivery not authentic")
	// ErrInvalid: the payload is malformed or lacks a required field (400).
	ErrInvalid = errors.New("invalid payload")
)

// Delivery is a verified, parsed webhook delivery.
type Delivery struct {
	// ID is the platform's delivery id, stable across redeliveries.
	ID string
	// Event names the event for metrics and logs ("pull_request").
	Event string
	// Jobs is the work the delivery asks for: usually one job, several when
	// a check suite re-run names several pull requests, none when ignored.
	Jobs []queue.Job
	// Ignored says why no job was made ("pull_request action closed").
	Ignored string
}

// Source verifies and parses one platform's deliveries.
type Source interface {
	// Platform names the source in routes, metrics and logs ("github").
	Platform() string
	// Verify checks the delivery is authentic, before anything is parsed.
	// It returns an error wrapping ErrUnauthorized when it is not.
	Verify(h http.Header, body []byte) error
	// Parse turns a verified delivery into jobs. Malformed payloads give an
	// error wrapping ErrInvalid; events shiftward does not act on give a
	// Delivery with no jobs and a reason.
	Parse(h http.Header, body []byte) (Delivery, error)
}

// Enqueuer is the part of the queue the webhook needs.
type Enqueuer interface {
	Enqueue(ctx context.Context, j queue.Job) (queue.Enqueued, error)
}

// Observer counts deliveries by platform, event and outcome.
type Observer interface {
	Delivery(platform, event, outcome string)
}

// Handler serves POST /webhooks/{platform} for its sources.
type Handler struct {
	Queue    Enqueuer
	Log      *slog.Logger
	Observer Observer
	// EnqueueTimeout bounds how long a delivery waits on the queue; GitHub
	// gives up after 10 s, so the default is 5 s.
	EnqueueTimeout time.Duration
}

// Register mounts one route per source: POST /webhooks/<platform>.
func (h *Handler) Register(e *echo.Echo, sources ...Source) {
	for _, s := range sources {
		e.POST("/webhooks/"+s.Platform(), h.serve(s))
	}
}

type reply struct {
	Status string `json:"status"`
	Job    string `json:"job,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func (h *Handler) serve(src Source) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		event := "unknown"
		outcome := func(o string) { h.observe(src.Platform(), event, o) }

		body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, MaxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				outcome("too_large")
				return c.JSON(http.StatusRequestEntityTooLarge, reply{Status: "rejected", Reason: "payload over 25 MB"})
			}
			outcome("invalid")
			return c.JSON(http.StatusBadRequest, reply{Status: "rejected", Reason: "could not read body"})
		}
		if err := src.Verify(req.Header, body); err != nil {
			outcome("unauthorized")
			h.Log.Warn("webhook rejected", "platform", src.Platform(), "reason", err.Error(), "remote", c.RealIP())
			return c.JSON(http.StatusUnauthorized, reply{Status: "rejected", Reason: "signature mismatch"})
		}
		d, err := src.Parse(req.Header, body)
		if d.Event != "" {
			event = d.Event
		}
		log := h.Log.With("platform", src.Platform(), "delivery_id", d.ID, "event", event)
		if err != nil {
			outcome("invalid")
			log.Warn("webhook payload invalid", "err", err)
			return c.JSON(http.StatusBadRequest, reply{Status: "rejected", Reason: err.Error()})
		}
		if len(d.Jobs) == 0 {
			outcome("ignored")
			log.Debug("webhook ignored", "reason", d.Ignored)
			return c.JSON(http.StatusAccepted, reply{Status: "ignored", Reason: d.Ignored})
		}

		timeout := h.EnqueueTimeout
		if timeout <= 0 {
			timeout = 5 * time.Second
		}
		// The jobs must be durably queued before we answer, but must not be
		// lost if the platform hangs up: enqueue on a context of our own.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), timeout)
		defer cancel()
		queued := 0
		for _, j := range d.Jobs {
			res, err := h.Queue.Enqueue(ctx, j)
			if err != nil {
				outcome("unavailable")
				log.Error("enqueue failed", "job_id", j.ID, "err", err)
				// 503: the platform (or an operator's redelivery) may try
				// again; jobs already queued are deduplicated then.
				return c.JSON(http.StatusServiceUnavailable, reply{Status: "unavailable", Reason: "queue unavailable"})
			}
			if res.Duplicate {
				log.Info("job already queued for this delivery", "job_id", j.ID)
				continue
			}
			queued++
			log.Info("job queued", "job_id", j.ID, "repo", j.Change.Repo.FullName(),
				"pr", j.Change.Number, "head_sha", j.Change.HeadSHA)
		}
		if queued == 0 {
			outcome("duplicate")
			return c.JSON(http.StatusOK, reply{Status: "duplicate"})
		}
		outcome("queued")
		return c.JSON(http.StatusAccepted, reply{Status: "queued", Job: d.Jobs[0].ID})
	}
}

func (h *Handler) observe(platform, event, outcome string) {
	if h.Observer != nil {
		h.Observer.Delivery(platform, event, outcome)
	}
}
