// Package queue carries review jobs from the webhook server to the workers.
//
// Two implementations share one contract: Redis (durable, several processes,
// Redis Streams with a consumer group) and Memory (one process, for tests and
// a single-binary setup). Both give at-least-once delivery, drop redelivered
// webhooks by delivery id, tell a worker when a newer head of the same pull
// request has been queued, retry failures with exponential backoff and full
// jitter, and keep jobs that cannot succeed in a dead-letter list.
package queue

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/platform"
)

// Job is one unit of work, stored as plain JSON. It holds what to review,
// never a payload body or a token.
type Job struct {
	// ID is unique per job; Enqueue fills it when empty. A retried job keeps it.
	ID string `json:"id"`
	// DeliveryID is the webhook's delivery id (X-GitHub-Delivery, GitLab's
	// Idempotency-Key / X-Gitlab-Event-UUID). It stays the same on
	// redelivery, which is how duplicates are dropped. Empty means "no
	// dedupe" (jobs made by a sweep or a command).
	DeliveryID string `json:"delivery_id,omitempty"`
	// ReplayKey names what the delivery's signature or token vouched for (a
	// hash of the platform and the exact body). A job with the ReplayKey of
	// one seen within the dedupe window is a duplicate, whatever its
	// DeliveryID: a verified body replayed under a fresh delivery id queues
	// nothing. Empty means none.
	ReplayKey string `json:"replay_key,omitempty"`
	// Kind says what the job does (platform.KindReview, ...).
	Kind   platform.Kind   `json:"kind"`
	Change platform.Change `json:"change"`
	// Command is the comment command of a platform.KindCommand job.
	Command *platform.Command `json:"command,omitempty"`
	// Attempt counts failed runs so far: 0 on the first run.
	Attempt int `json:"attempt"`
	// Waits counts runs that ended in a host's rate-limit window. They are
	// not failed attempts: the job is run again when the window ends (up to
	// MaxRateLimitWaits times).
	Waits      int       `json:"waits,omitempty"`
	EnqueuedAt time.Time `json:"enqueued_at"`
	// LastError is the error of the last failed run, cut to maxErrorLen.
	LastError string `json:"last_error,omitempty"`
}

// Key names what the job reviews: the pull/merge request for reviews and
// rescans (so a newer head sha supersedes an older one), the branch for
// pushes. Owner and name are lower-cased because both hosts treat them
// case-insensitively and webhooks do not always agree on the case.
func (j Job) Key() string {
	c := j.Change
	repo := strings.ToLower(c.Repo.FullName())
	if c.IsPush() {
		return string(c.Platform) + ":" + repo + "@" + c.Ref
	}
	key := string(c.Platform) + ":" + repo + "#" + strconv.Itoa(c.Number)
	switch j.Kind {
	case platform.KindCommand:
		// A command neither supersedes a review nor is superseded by one.
		id := j.DeliveryID
		if j.Command != nil {
			id = strconv.FormatInt(j.Command.CommentID, 10)
		}
		return key + "!command:" + id
	case platform.KindApplyFixes:
		return key + "!apply-fixes"
	}
	return key
}

// logAttrs are the standard attributes for a job in a log line.
func (j Job) logAttrs() []any {
	return []any{
		slog.String("job_id", j.ID), slog.String("delivery_id", j.DeliveryID),
		slog.String("kind", string(j.Kind)), slog.String("platform", string(j.Change.Platform)),
		slog.Int64("installation_id", j.Change.Installation),
		slog.String("repo", j.Change.Repo.FullName()), slog.Int("pr", j.Change.Number),
		slog.String("head_sha", j.Change.HeadSHA), slog.Int("attempt", j.Attempt),
	}
}

// validate rejects a job no worker could run, before it takes a queue slot.
func (j Job) validate() error {
	switch j.Kind {
	case platform.KindReview, platform.KindPush, platform.KindRescan, platform.KindApplyFixes:
	case platform.KindCommand:
		if j.Command == nil || j.Command.Name == "" || j.Change.Number <= 0 {
			return fmt.Errorf("%w: command without a command or pull request", ErrInvalidJob)
		}
		if j.Change.Platform == "" || j.Change.Repo.Owner == "" || j.Change.Repo.Name == "" {
			return fmt.Errorf("%w: command without a repository", ErrInvalidJob)
		}
		return nil
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrInvalidJob, j.Kind)
	}
	c := j.Change
	switch {
	case c.Platform == "":
		return fmt.Errorf("%w: no platform", ErrInvalidJob)
	case c.Repo.Owner == "" || c.Repo.Name == "":
		return fmt.Errorf("%w: no repository", ErrInvalidJob)
	case c.HeadSHA == "":
		return fmt.Errorf("%w: no head sha", ErrInvalidJob)
	case c.Number < 0:
		return fmt.Errorf("%w: negative number", ErrInvalidJob)
	case c.IsPush() && c.Ref == "":
		return fmt.Errorf("%w: push without ref", ErrInvalidJob)
	case (j.Kind == platform.KindReview || j.Kind == platform.KindApplyFixes) && c.IsPush():
		return fmt.Errorf("%w: %s without pull request number", ErrInvalidJob, j.Kind)
	}
	return nil
}

// prepare fills the fields Enqueue owns.
func (j *Job) prepare(now time.Time) error {
	if err := j.validate(); err != nil {
		return err
	}
	if j.ID == "" {
		j.ID = newID()
	}
	if j.EnqueuedAt.IsZero() {
		j.EnqueuedAt = now.UTC()
	}
	return nil
}

// Enqueued says what Enqueue did with a job.
type Enqueued struct {
	// ID is the job's id; for a duplicate, the id of the job queued first.
	ID string
	// Duplicate means the delivery id or the replay key was seen within the
	// dedupe window: no second job was queued.
	Duplicate bool
	// Superseded means a job for an older head of the same Key was still
	// pending or running; its worker will find it is no longer Current.
	Superseded bool
}

// Handler runs one job. It gets its own context, derived from
// context.Background() and bounded by Options.JobTimeout, never the context
// given to Run, so stopping the consumer lets in-flight jobs finish.
//
// The handler reports what it knows through its error; Decide alone turns
// it into the job's fate. A nil error acknowledges the job. An error retries
// it with backoff until Options.MaxAttempts runs have failed, then moves it
// to the dead letters. An error with a RetryAfter() time.Duration method
// (platform.RateLimitError) is retried once that much time has passed,
// without counting as a failed attempt (up to MaxRateLimitWaits times); one
// with Permanent() bool returning true (platform.PermanentError) goes to the
// dead letters at once. A panic is treated as an error.
type Handler func(ctx context.Context, j Job) error

// Queue is what the webhook server and the workers need from a job queue.
type Queue interface {
	// Enqueue adds a job. It returns ErrFull when the queue is at capacity
	// and an error wrapping ErrInvalidJob when the job cannot be run.
	Enqueue(ctx context.Context, j Job) (Enqueued, error)
	// Run consumes jobs with Options.Concurrency workers until ctx is done,
	// then returns nil once the jobs in flight have finished (SIGTERM: stop
	// taking work, finish what is running).
	Run(ctx context.Context, h Handler) error
	// Current reports whether j's head is still the newest queued for its
	// Key. A worker asks before it starts and before it publishes.
	Current(ctx context.Context, j Job) (bool, error)
	// Depth counts unfinished jobs: waiting, running and waiting to retry.
	Depth(ctx context.Context) (int64, error)
	// Ping checks the queue can be reached.
	Ping(ctx context.Context) error
	// Close releases what the queue owns. Enqueue fails afterwards.
	Close() error
}

// DeadLetter is a job that will not be retried, with its last error in
// Job.LastError.
type DeadLetter struct {
	Job Job
	// At is when the job was given up.
	At time.Time
}

// Errors callers branch on.
var (
	// ErrFull means the queue is at capacity; the webhook answers 503 so
	// the host shows the delivery as failed.
	ErrFull = errors.New("queue full")
	// ErrInvalidJob means the job is malformed (unknown kind, no repository).
	ErrInvalidJob = errors.New("invalid job")
	// ErrClosed means the queue was closed.
	ErrClosed = errors.New("queue closed")
)

// Event is what an Observer is told about.
type Event string

// Events, one per step of a job's life.
const (
	EventQueued     Event = "queued"
	EventDuplicate  Event = "duplicate"
	EventSuperseded Event = "superseded"
	EventRunning    Event = "running"
	EventDone       Event = "done"
	EventFailed     Event = "failed"
	EventRetried    Event = "retried"
	EventDead       Event = "dead"
	EventReclaimed  Event = "reclaimed"
)

// Observation is one event of one job.
type Observation struct {
	Event Event
	Job   Job
	// Duration depends on the event: time since first enqueued for
	// running, run time for done and failed, the delay for retried.
	Duration time.Duration
}

// Observer receives queue events, typically to count them as metrics. It is
// called synchronously and must be quick and safe for concurrent use.
type Observer interface {
	Observe(o Observation)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Observation)

// Observe calls f(o).
func (f ObserverFunc) Observe(o Observation) { f(o) }

// Defaults for zero Options fields.
const (
	DefaultConcurrency  = 4
	DefaultVisibility   = 2 * time.Minute
	DefaultMaxAttempts  = 5
	DefaultBackoffBase  = 5 * time.Second
	DefaultBackoffMax   = 10 * time.Minute
	DefaultJobTimeout   = 15 * time.Minute
	DefaultPrefix       = "{shiftward}"
	DefaultDedupeWindow = 72 * time.Hour
	DefaultPollInterval = time.Second
	// DefaultMemoryCapacity bounds a Memory queue when Capacity is 0.
	DefaultMemoryCapacity = 1000
	// DefaultRedisCapacity bounds a Redis queue when Capacity is 0. Under
	// noeviction a Redis that fills up refuses every write, the dedupe and
	// acknowledgements included; better to refuse new jobs first.
	DefaultRedisCapacity = 10000
)

// headTTL keeps the newest head of a pull request long enough to outlive any
// job still queued for it; it is refreshed on every enqueue.
const headTTL = 7 * 24 * time.Hour

// maxErrorLen caps LastError: enough to diagnose, too little to carry a body.
const maxErrorLen = 512

// Options tune a queue. Zero fields take the defaults above.
type Options struct {
	// Concurrency is the number of jobs one Run handles at once.
	Concurrency int
	// Visibility is how long a job may go without a heartbeat before another
	// consumer takes it over (Redis). Running jobs heartbeat every third of it.
	Visibility time.Duration
	// MaxAttempts is how many failed runs send a job to the dead letters.
	MaxAttempts int
	// BackoffBase and BackoffMax bound the retry delay: a random duration in
	// [0, min(BackoffMax, BackoffBase*2^(attempt-1))).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// JobTimeout bounds one run of the handler.
	JobTimeout time.Duration
	// Consumer names this process in the consumer group (Redis); default
	// host-pid-random.
	Consumer string
	// Prefix namespaces every Redis key. The default is a hash tag so that all
	// keys share one Redis Cluster slot, which the Lua scripts need.
	Prefix string
	// DedupeWindow is how long a delivery id is remembered; at least 72h,
	// since a host's manual redelivery reaches back a few days.
	DedupeWindow time.Duration
	// Capacity bounds Depth; Enqueue returns ErrFull beyond it. Zero means
	// DefaultMemoryCapacity or DefaultRedisCapacity.
	Capacity int
	// PollInterval is how long a Redis read blocks, so how quickly Run
	// notices its context is done, and how often due retries are moved.
	PollInterval time.Duration
	// Observer, if set, is told of every event.
	Observer Observer
	// Logger, if nil, discards.
	Logger *slog.Logger
}

// withDefaults fills zero fields and rejects nonsense.
func (o Options) withDefaults() (Options, error) {
	if o.Concurrency < 0 || o.Visibility < 0 || o.MaxAttempts < 0 || o.BackoffBase < 0 ||
		o.BackoffMax < 0 || o.JobTimeout < 0 || o.DedupeWindow < 0 || o.Capacity < 0 || o.PollInterval < 0 {
		return o, errors.New("queue options: negative value")
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	def(&o.Visibility, DefaultVisibility)
	def(&o.BackoffBase, DefaultBackoffBase)
	def(&o.BackoffMax, DefaultBackoffMax)
	def(&o.JobTimeout, DefaultJobTimeout)
	def(&o.DedupeWindow, DefaultDedupeWindow)
	def(&o.PollInterval, DefaultPollInterval)
	if o.DedupeWindow < DefaultDedupeWindow {
		return o, fmt.Errorf("queue options: dedupe window %s below %s, shorter than hosts redeliver", o.DedupeWindow, DefaultDedupeWindow)
	}
	if o.BackoffMax < o.BackoffBase {
		return o, fmt.Errorf("queue options: backoff max %s below base %s", o.BackoffMax, o.BackoffBase)
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Consumer == "" {
		o.Consumer = defaultConsumer()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = ObserverFunc(func(Observation) {})
	}
	return o, nil
}

// Outcome is what becomes of a job after one run. Decide makes this
// decision, in one place: the queue acts on it, and a worker asks it too
// (to end a check no further run will finish) rather than deciding again.
type Outcome int

// Outcomes of a run.
const (
	// Done: the run succeeded and the job is acknowledged.
	Done Outcome = iota
	// Retry: the run failed; it counts as an attempt, and the job runs
	// again after a backoff.
	Retry
	// Wait: the host asked every client to slow down (an error with
	// RetryAfter). The job did not fail: it runs again when the window
	// ends, and the run does not count as an attempt.
	Wait
	// Dead: no run follows, because the error is permanent (Permanent()
	// true) or the attempts are spent. The job goes to the dead letters.
	Dead
)

func (o Outcome) String() string {
	switch o {
	case Done:
		return "done"
	case Retry:
		return "retry"
	case Wait:
		return "wait"
	case Dead:
		return "dead"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// MaxRateLimitWaits bounds how many rate-limit windows one job waits out
// before further ones count as failed attempts: a host that never stops
// saying "slow down" must not keep a job forever.
const MaxRateLimitWaits = 50

// permanent is the error of a run that no retry can fix
// (platform.PermanentError).
type permanent interface{ Permanent() bool }

// rateLimited is the error of a run the host refused for a while
// (platform.RateLimitError): retry no earlier than RetryAfter from now.
type rateLimited interface{ RetryAfter() time.Duration }

// Decide is the queue's one retry decision: what becomes of j after a run
// that returned err, when maxAttempts failed runs send a job to the dead
// letters (0 means DefaultMaxAttempts, as in Options). A nil error is Done;
// an error with Permanent() true is Dead; one with RetryAfter() is Wait
// until the job has waited MaxRateLimitWaits windows; any other error, or a
// rate limit past those waits, is Retry until the attempts are spent, then
// Dead. The handler reports what it knows through its error's type; only
// Decide turns that into a fate.
func Decide(j Job, err error, maxAttempts int) Outcome {
	if err == nil {
		return Done
	}
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	var perm permanent
	if errors.As(err, &perm) && perm.Permanent() {
		return Dead
	}
	var ra rateLimited
	if errors.As(err, &ra) && j.Waits < MaxRateLimitWaits {
		return Wait
	}
	if j.Attempt+1 >= maxAttempts {
		return Dead
	}
	return Retry
}

// judge applies Decide to a job's run: it fills in the job to keep (Attempt
// or Waits, LastError) and, for Retry and Wait, the delay before the next run.
func judge(o *Options, j Job, err error, rnd func() float64) (Outcome, Job, time.Duration) {
	out := Decide(j, err, o.MaxAttempts)
	if out == Done {
		return Done, j, 0
	}
	j.LastError = truncate(err.Error())
	var ra rateLimited
	limited := errors.As(err, &ra)
	switch out {
	case Wait:
		// The host asked every client to wait, so the job did not fail:
		// it runs again when the window ends, plus a little jitter so the
		// jobs that waited together do not all call at the same instant.
		j.Waits++
		return Wait, j, max(ra.RetryAfter(), 0) + time.Duration(rnd()*float64(min(o.BackoffBase, time.Second)))
	case Dead:
		j.Attempt++
		return Dead, j, 0
	}
	j.Attempt++
	d := backoff(j.Attempt, o.BackoffBase, o.BackoffMax, rnd)
	if limited && ra.RetryAfter() > d {
		d = ra.RetryAfter()
	}
	return Retry, j, d
}

// backoff is exponential backoff with full jitter: uniform in
// [0, min(max, base*2^(attempt-1))). Full jitter spreads retries of jobs
// that failed together (a host outage) instead of bunching them.
func backoff(attempt int, base, max time.Duration, rnd func() float64) time.Duration {
	ceil := max
	if attempt < 1 {
		attempt = 1
	}
	if attempt-1 < 62 {
		if d := base << (attempt - 1); d > 0 && d < max {
			ceil = d
		}
	}
	return time.Duration(rnd() * float64(ceil))
}

// randFloat is the jitter source.
func randFloat() float64 { return rand.Float64() }

// call runs h and turns a panic into an error, so one bad job cannot take
// the worker down. The stack is logged; the error carries only the value.
func call(ctx context.Context, log *slog.Logger, h Handler, j Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.ErrorContext(ctx, "job handler panicked", append(j.logAttrs(), slog.String("stack", string(debug.Stack())))...)
			err = fmt.Errorf("handler panic: %v", r)
		}
	}()
	return h(ctx, j)
}

// truncate cuts s to maxErrorLen bytes on a rune boundary.
func truncate(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	cut := maxErrorLen
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// newID returns 16 random bytes in hex. crypto/rand.Read never fails on
// supported platforms (it is documented to crash the program instead).
func newID() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// defaultConsumer names this process: host, pid and a random suffix, so two
// processes on one host (or a restarted pid) never share a consumer name.
func defaultConsumer() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "shiftward"
	}
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + newID()[:8]
}
