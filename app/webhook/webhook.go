// Package webhook receives code host deliveries over HTTP. Each delivery
// goes through the same steps, kept apart: check the headers (the GitLab
// token, the shape of the GitHub signature, the size and type of the body)
// before any of the body is read, take a share of a process-wide memory
// budget, read the body, verify it, parse it into jobs, queue the jobs
// durably, answer. Scanning never happens on the request path: the answer
// comes once the job is queued.
package webhook

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app/queue"
)

// MaxBody is GitHub's documented cap on webhook payloads (25 MB); larger
// bodies are refused with 413 before anything is read.
const MaxBody = 25 << 20

// Errors a Source returns; the handler maps them to HTTP statuses in one place.
var (
	// ErrUnauthorized: the delivery's signature or token is missing or
	// wrong, or the token may not speak for the delivery's project (401).
	ErrUnauthorized = errors.New("delivery not authentic")
	// ErrInvalidPayload: the payload is malformed or lacks a required field (400).
	ErrInvalidPayload = errors.New("invalid payload")
	// ErrMediaType: the Content-Type is not one the platform sends (415).
	ErrMediaType = errors.New("unsupported content type")
)

// Delivery is a verified, parsed webhook delivery.
type Delivery struct {
	// ID is the platform's delivery id, stable across redeliveries.
	ID string
	// Event names the event for metrics and logs ("pull_request").
	Event string
	// Action is the payload's action, for logs ("closed"); empty when the
	// event has none.
	Action string
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
	// Precheck decides what the headers alone can: a delivery that cannot
	// be authentic (ErrUnauthorized), lacks a required header (ErrInvalidPayload)
	// or is not of a type the platform sends (ErrMediaType) is refused
	// before any of its body is read. Otherwise it returns the Check the
	// body goes through.
	Precheck(h http.Header) (Check, error)
}

// Check is one delivery past Precheck. The body is written to it as it is
// read (GitHub's HMAC is computed then, not in a second pass); Verify then
// says whether it is authentic, and Parse turns it into jobs.
type Check interface {
	io.Writer
	// Verify reports whether the body written is authentic (an error
	// wrapping ErrUnauthorized when not).
	Verify() error
	// Parse turns the verified body into jobs. Malformed payloads give an
	// error wrapping ErrInvalidPayload, a project the credentials may not speak for
	// ErrUnauthorized; events shiftward does not act on give a Delivery with
	// no jobs and a reason. body is the handler's buffer: Parse may rewrite
	// it in place.
	Parse(body []byte) (Delivery, error)
}

// Enqueuer is the part of the queue the webhook needs.
type Enqueuer interface {
	Enqueue(ctx context.Context, j queue.Job) (queue.Enqueued, error)
}

// Observer counts deliveries by platform, event and outcome.
type Observer interface {
	Delivery(platform, event, outcome string)
}

// Defaults of Handler's zero fields.
const (
	// DefaultMemory is the default body budget: one 25 MB delivery being
	// parsed (75 MiB with parseFactor) beside a 25 MiB small-delivery
	// reserve.
	DefaultMemory = 100 << 20
	// DefaultWait is how long a delivery waits for budget before 503.
	DefaultWait = 2 * time.Second
	// parseFactor is the budget a body takes per byte: its buffer, plus what
	// parsing may copy of it. Measured: a GitLab note hook allocates twice
	// its body while parsed (object_attributes kept raw, then the note
	// string); GitHub payloads and form bodies (decoded in place) less.
	parseFactor = 3
	// minWeight covers a tiny body's fixed costs (headers, parse state).
	minWeight = 16 << 10
	// minBodyRate is the slowest upload accepted: a body must arrive within
	// bodyGrace plus its size at this rate, so a slow sender cannot hold a
	// share of the budget for the whole server read timeout.
	minBodyRate = 1 << 20
	bodyGrace   = 5 * time.Second
)

// NewDefaultBudget is a Budget of total bytes with a quarter (at most 32
// MiB) reserved for bodies up to SmallBody.
func NewDefaultBudget(total int64) *Budget {
	reserve := min(total/4, 32<<20)
	return NewBudget(total, reserve, SmallBody*parseFactor)
}

// Handler serves POST /webhooks/{platform} for its sources.
type Handler struct {
	Queue    Enqueuer
	Log      *slog.Logger
	Observer Observer
	// EnqueueTimeout bounds how long a delivery waits on the queue; GitHub
	// gives up after 10 s, so the default is 5 s.
	EnqueueTimeout time.Duration
	// Bodies bounds the memory of bodies in flight, process-wide; nil
	// means NewDefaultBudget(DefaultMemory), made on Register.
	Bodies *Budget
	// BodyWait is how long a delivery waits for its share of Bodies before
	// it is answered 503 (default DefaultWait).
	BodyWait time.Duration
}

// Register mounts one route per source: POST /webhooks/<platform>.
func (h *Handler) Register(e *echo.Echo, sources ...Source) {
	if h.Bodies == nil {
		h.Bodies = NewDefaultBudget(DefaultMemory)
	}
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
		in := &inbound{h: h, src: src, c: c, event: "unknown"}
		return in.serve()
	}
}

// inbound is one request being served.
type inbound struct {
	h   *Handler
	src Source
	c   echo.Context
	// event stays "unknown" until the delivery is verified: an
	// unauthenticated header must not mint metric labels.
	event string
}

// outcome counts the request under its platform, event and outcome o.
func (in *inbound) outcome(o string) { in.h.observe(in.src.Platform(), in.event, o) }

// serve takes the delivery through its steps: precheck, read within the
// budget, verify, parse, queue.
func (in *inbound) serve() error {
	req := in.c.Request()
	chk, err := in.src.Precheck(req.Header)
	if err != nil {
		return in.precheckFailed(err)
	}
	if req.ContentLength > MaxBody {
		in.outcome("too_large")
		return in.c.JSON(http.StatusRequestEntityTooLarge, reply{Status: "rejected", Reason: "payload over 25 MB"})
	}
	body, grant, err := in.h.readBody(in.c, chk)
	defer grant.Release()
	if err != nil {
		return in.readFailed(err)
	}
	if err := chk.Verify(); err != nil {
		return in.unauthorized(err)
	}
	// The same verified body under a fresh delivery id is a replay, not
	// a new event: every job carries a key of what was signed. Taken
	// before Parse, which may rewrite the buffer.
	replay := ReplayKey(in.src.Platform(), body)
	d, err := chk.Parse(body)
	if err != nil && errors.Is(err, ErrUnauthorized) {
		return in.unauthorized(err)
	}
	if d.Event != "" {
		in.event = d.Event
	}
	log := in.h.Log.With("platform", in.src.Platform(), "delivery_id", d.ID, "event", in.event)
	if err != nil {
		in.outcome("invalid")
		log.Warn("webhook payload invalid", "err", err)
		return in.c.JSON(http.StatusBadRequest, reply{Status: "rejected", Reason: err.Error()})
	}
	if len(d.Jobs) == 0 {
		return in.ignored(log, d)
	}
	setReplayKeys(d.Jobs, replay)
	// The body is not needed any more: let another delivery have its
	// share while this one waits on the queue.
	body = nil
	grant.Release()
	return in.enqueue(log, d.Jobs)
}

// precheckFailed answers a delivery its headers refused.
func (in *inbound) precheckFailed(err error) error {
	switch {
	case errors.Is(err, ErrUnauthorized):
		return in.unauthorized(err)
	case errors.Is(err, ErrMediaType):
		in.outcome("invalid")
		return in.c.JSON(http.StatusUnsupportedMediaType, reply{Status: "rejected", Reason: err.Error()})
	}
	in.outcome("invalid")
	return in.c.JSON(http.StatusBadRequest, reply{Status: "rejected", Reason: err.Error()})
}

// unauthorized answers a delivery that is not authentic, or whose
// credentials may not speak for its project.
func (in *inbound) unauthorized(err error) error {
	in.outcome("unauthorized")
	in.h.Log.Warn("webhook rejected", "platform", in.src.Platform(), "err", err, "remote", in.c.RealIP())
	return in.c.JSON(http.StatusUnauthorized, reply{Status: "rejected", Reason: "signature mismatch"})
}

// readFailed answers a delivery whose body could not be read: no budget
// left, over the server's limit, or broken off.
func (in *inbound) readFailed(err error) error {
	switch {
	case errors.Is(err, ErrBusy):
		in.outcome("busy")
		in.h.Log.Warn("webhook body budget exhausted", "platform", in.src.Platform(), "remote", in.c.RealIP(),
			"content_length", in.c.Request().ContentLength)
		// 503: GitLab retries, and an operator can redeliver on GitHub.
		return in.c.JSON(http.StatusServiceUnavailable, reply{Status: "unavailable", Reason: "busy, try again"})
	case errors.Is(err, ErrTooBig):
		in.outcome("too_large")
		return in.c.JSON(http.StatusRequestEntityTooLarge, reply{Status: "rejected", Reason: "payload over the server's limit"})
	}
	in.outcome("invalid")
	return in.c.JSON(http.StatusBadRequest, reply{Status: "rejected", Reason: "could not read body"})
}

// ignored answers a verified delivery that asks for no review.
func (in *inbound) ignored(log *slog.Logger, d Delivery) error {
	in.outcome("ignored")
	reason := cmp.Or(d.Ignored, "nothing to review")
	// Debug: platforms send many events shiftward has no use for
	// (every label, comment and closed pull request), and each is
	// answered 202 with the reason for whoever looks at the hook.
	log.Debug("webhook ignored", "action", clipAction(d.Action), "reason", reason)
	return in.c.JSON(http.StatusAccepted, reply{Status: "ignored", Reason: reason})
}

// setReplayKeys gives each job the delivery's replay key, numbered when
// the delivery made several jobs.
func setReplayKeys(jobs []queue.Job, replay string) {
	for i := range jobs {
		jobs[i].ReplayKey = replay
		if len(jobs) > 1 {
			jobs[i].ReplayKey += "/" + strconv.Itoa(i)
		}
	}
}

// enqueue queues the delivery's jobs and answers: 202 with the first job
// queued, 200 when every job was a duplicate, 503 when the queue failed.
func (in *inbound) enqueue(log *slog.Logger, jobs []queue.Job) error {
	timeout := in.h.EnqueueTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	// The jobs must be durably queued before we answer, but must not be
	// lost if the platform hangs up: enqueue on a context of our own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(in.c.Request().Context()), timeout)
	defer cancel()
	// The queue gives a job its id on its own copy (Enqueued.ID): j.ID
	// is empty here, so every line and the answer name res.ID.
	queued, first := 0, ""
	for _, j := range jobs {
		res, err := in.h.Queue.Enqueue(ctx, j)
		if err != nil {
			in.outcome("unavailable")
			log.Error("enqueue failed", "repo", j.Change.Repo.FullName(), "pr", j.Change.Number,
				"head_sha", j.Change.HeadSHA, "err", err)
			// 503: the platform (or an operator's redelivery) may try
			// again; jobs already queued are deduplicated then.
			return in.c.JSON(http.StatusServiceUnavailable, reply{Status: "unavailable", Reason: "queue unavailable"})
		}
		if res.Duplicate {
			log.Info("job already queued for this delivery or body", "job_id", res.ID, "remote", in.c.RealIP())
			continue
		}
		queued++
		if first == "" {
			first = res.ID
		}
		log.Info("job queued", "job_id", res.ID, "repo", j.Change.Repo.FullName(),
			"pr", j.Change.Number, "head_sha", j.Change.HeadSHA)
	}
	if queued == 0 {
		in.outcome("duplicate")
		return in.c.JSON(http.StatusOK, reply{Status: "duplicate"})
	}
	in.outcome("queued")
	return in.c.JSON(http.StatusAccepted, reply{Status: "queued", Job: first})
}

// maxActionLog bounds the action logged: it comes from the payload (a
// verified one, but any string the sender chose).
const maxActionLog = 64

func clipAction(s string) string {
	if len(s) <= maxActionLog {
		return s
	}
	return strings.ToValidUTF8(s[:maxActionLog], "") + "..."
}

// ReplayKey names what a delivery's signature or token vouched for: the
// platform and the exact body, hashed. Delivery ids and event names are
// headers outside GitHub's signature, so neither may tell a replay from a
// new event: a body replayed under another id or event name is the same key.
func ReplayKey(platform string, body []byte) string {
	h := sha256.New()
	io.WriteString(h, platform)
	h.Write([]byte{0})
	h.Write(body)
	return platform + ":" + hex.EncodeToString(h.Sum(nil))
}

// readBody takes the body's share of the budget (waiting at most BodyWait)
// and reads the body into a buffer sized from Content-Length, writing it to
// chk as it goes. A body without Content-Length takes its share in steps
// as it grows. The caller releases the grant (nil-safe).
func (h *Handler) readBody(c echo.Context, chk Check) ([]byte, *Grant, error) {
	req := c.Request()
	wait := h.BodyWait
	if wait <= 0 {
		wait = DefaultWait
	}
	ctx, cancel := context.WithTimeout(req.Context(), wait)
	defer cancel()
	n := req.ContentLength
	if n < 0 {
		return h.readChunked(ctx, c, chk)
	}
	g, err := h.Bodies.Acquire(ctx, weight(n))
	if err != nil {
		return nil, nil, err
	}
	setBodyDeadline(c, n)
	buf := make([]byte, n)
	if _, err := io.ReadFull(io.TeeReader(req.Body, chk), buf); err != nil {
		return nil, g, err
	}
	return buf, g, nil
}

// readChunked reads a body of unknown length (chunked transfer encoding;
// GitHub and GitLab send Content-Length, a proxy may not), taking budget
// for each doubling of the buffer and refusing it past MaxBody.
func (h *Handler) readChunked(ctx context.Context, c echo.Context, chk Check) ([]byte, *Grant, error) {
	req := c.Request()
	setBodyDeadline(c, MaxBody)
	all := &Grant{}
	var held int64
	var buf []byte
	r := io.TeeReader(io.LimitReader(req.Body, MaxBody+1), chk)
	for {
		if len(buf) == cap(buf) {
			next := min(max(2*int64(cap(buf)), 64<<10), MaxBody+1)
			// Ask for the growth only: what is held stays held.
			g, err := h.Bodies.Acquire(ctx, weight(next)-held)
			if err != nil {
				all.Release()
				return nil, nil, err
			}
			all.join(g)
			held = weight(next)
			nb := make([]byte, len(buf), next)
			copy(nb, buf)
			buf = nb
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if len(buf) > MaxBody {
			all.Release()
			return nil, nil, ErrTooBig
		}
		if errors.Is(err, io.EOF) {
			return buf, all, nil
		}
		if err != nil {
			return nil, all, err
		}
	}
}

// mediaType returns the Content-Type's media type if it is one of allowed,
// else an error wrapping ErrMediaType.
func mediaType(h http.Header, allowed ...string) (string, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		return "", fmt.Errorf("%w: missing Content-Type", ErrMediaType)
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", fmt.Errorf("%w: malformed Content-Type", ErrMediaType)
	}
	for _, a := range allowed {
		if mt == a {
			return mt, nil
		}
	}
	return "", fmt.Errorf("%w: %.64q is not %s", ErrMediaType, mt, strings.Join(allowed, " or "))
}

// weight is the budget a body of n bytes takes.
func weight(n int64) int64 { return max(n*parseFactor, minWeight) }

// setBodyDeadline bounds how long the body of n bytes may take to arrive,
// so a slow sender holds its share of the budget for seconds, not for the
// server's whole read timeout. Recorders in tests do not support it.
func setBodyDeadline(c echo.Context, n int64) {
	d := bodyGrace + time.Duration(n/minBodyRate)*time.Second
	_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(d))
}

func (h *Handler) observe(platform, event, outcome string) {
	if h.Observer != nil {
		h.Observer.Delivery(platform, event, outcome)
	}
}
