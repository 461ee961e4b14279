// Package worker runs one review job: fetch the change, scan what it adds,
// build the review, publish it. It speaks to code hosts only through the
// platform interfaces, so GitHub and GitLab jobs take the same path.
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

// Freshness tells whether a job's head is still the newest for its pull
// request; a stale job stops before publishing.
type Freshness interface {
	Current(ctx context.Context, j queue.Job) (bool, error)
}

// Observer receives the scan figures of each job (metrics).
type Observer interface {
	Scanned(status scanners.Status)
	Found(f *scanners.Finding)
	Published(elapsed time.Duration)
}

// Worker holds what every job needs. It is safe for concurrent use.
type Worker struct {
	Platforms map[platform.Name]platform.Factory
	Scanners  []scanners.Scanner
	Freshness Freshness
	Log       *slog.Logger
	Observer  Observer
	// FailOn is the severity from which the check fails.
	FailOn scanners.Severity
	// MaxAttempts is the queue's attempt limit (queue.Options.MaxAttempts;
	// 0 is the queue's default): when queue.Decide says a failed run is the
	// last, the worker ends the check as incomplete rather than leave it
	// spinning.
	MaxAttempts int
	// Customize, when set, adapts Scanners to one job: the repository's
	// own rules (in its policy), lookups through the job's client (pinning
	// a workflow's actions resolves tags through the host's API). Problems
	// it returns fail the review.
	Customize func(list []scanners.Scanner, p *review.Policy, client platform.Client) ([]scanners.Scanner, []string)

	cacheOnce sync.Once
	cache     *fileCache
}

// Handle runs one job. Its error tells the queue to retry (or, for
// permanent errors, to give up); publishing is idempotent, so a retry after
// a partial run posts nothing twice. When no retry will follow, the check is
// ended as incomplete, naming what failed, so the pull request never shows a
// review that runs forever.
func (w *Worker) Handle(ctx context.Context, j queue.Job) error {
	c := j.Change
	log := w.Log.With("job_id", j.ID, "delivery_id", j.DeliveryID, "platform", c.Platform,
		"installation_id", c.Installation, "repo", c.Repo.FullName(), "pr", c.Number, "head_sha", c.HeadSHA)
	factory, ok := w.Platforms[c.Platform]
	if !ok {
		return &platform.PermanentError{Err: fmt.Errorf("platform %q is not configured", c.Platform)}
	}
	err := w.handle(ctx, j, factory, log)
	// A command's rescan gives up on its own (it knows the head); other
	// command and fix jobs have no check to end.
	if err != nil && j.Kind != platform.KindCommand && j.Kind != platform.KindApplyFixes && w.lastAttempt(j, err) {
		w.giveUp(ctx, j, factory, err, log)
	}
	return err
}

// lastAttempt reports whether the queue will not run j again after err. The
// queue decides (queue.Decide); the worker only asks, with the queue's limit.
func (w *Worker) lastAttempt(j queue.Job, err error) bool {
	return queue.Decide(j, err, w.MaxAttempts) == queue.Dead
}

// giveUp ends the change's check as incomplete, best effort: the platform
// may be what failed.
func (w *Worker) giveUp(ctx context.Context, j queue.Job, factory platform.Factory, cause error, log *slog.Logger) {
	client, err := factory.Client(ctx, j.Change.Installation)
	if err == nil {
		var check platform.CheckID
		if check, err = client.BeginCheck(ctx, j.Change); err == nil {
			res := &scanners.Result{Statuses: []scanners.Status{{
				Scanner: "shiftward",
				Errors:  []error{fmt.Errorf("the review could not be completed after %d attempt(s): %v", j.Attempt+1, cause)},
			}}}
			err = client.Publish(ctx, j.Change, check, comments.Build(res, nil, w.reviewOptions(j.Change)))
		}
	}
	if err != nil {
		log.Warn("could not mark the check incomplete", "err", err)
	}
}

func (w *Worker) reviewOptions(c platform.Change) comments.Options {
	flavor := comments.GitHub
	if c.Platform == platform.GitLab {
		flavor = comments.GitLab
	}
	return comments.Options{Flavor: flavor, FailOn: w.FailOn, HeadSHA: c.HeadSHA}
}

func (w *Worker) handle(ctx context.Context, j queue.Job, factory platform.Factory, log *slog.Logger) error {
	switch j.Kind {
	case platform.KindCommand:
		return w.command(ctx, j, factory, log)
	case platform.KindApplyFixes:
		return w.applyFixes(ctx, j, factory, log)
	}
	return w.review(ctx, j, factory, log)
}

// review runs a review job: check in progress, scan, publish.
func (w *Worker) review(ctx context.Context, j queue.Job, factory platform.Factory, log *slog.Logger) error {
	start := time.Now()
	c := j.Change
	if fresh, err := w.current(ctx, j); err != nil {
		return err
	} else if !fresh {
		log.Info("job superseded before it started")
		return nil
	}
	client, err := factory.Client(ctx, c.Installation)
	if err != nil {
		return fmt.Errorf("platform client: %w", err)
	}
	check, err := client.BeginCheck(ctx, c)
	if err != nil {
		return fmt.Errorf("beginning check: %w", err)
	}
	sc, err := w.scan(ctx, client, c, log)
	if err != nil {
		return err
	}

	// A newer push may have arrived while we scanned: its job owns the
	// pull request's comments now, and this check ends neutral.
	if fresh, err := w.current(ctx, j); err != nil {
		return err
	} else if !fresh {
		log.Info("job superseded while running")
		return client.Supersede(ctx, c, check, "")
	}
	rv := sc.Review
	w.fit(ctx, client, rv, log)
	if err := client.Publish(ctx, c, check, rv); err != nil {
		return fmt.Errorf("publishing review: %w", err)
	}
	elapsed := time.Since(start)
	if w.Observer != nil {
		w.Observer.Published(elapsed)
	}
	log.Info("review published", "conclusion", rv.Conclusion, "findings", len(rv.Findings),
		"inline", len(rv.Inline), "files", sc.Files, "elapsed", elapsed)
	return nil
}

// fit degrades rv to what the client's API budget affords now (inline
// comments, then annotations, then the summary alone), when the client
// knows its budget: a nearly spent budget posts less, it does not fail
// the job or lose a finding.
func (w *Worker) fit(ctx context.Context, client platform.Client, rv *comments.Review, log *slog.Logger) {
	b, ok := client.(platform.Budgeted)
	if !ok {
		return
	}
	inline := len(rv.Inline)
	affordable, costs := b.Budget(ctx)
	if rv.Fit(affordable, costs) {
		log.Warn("review fitted to the API budget", "affordable", affordable,
			"inline_before", inline, "inline", len(rv.Inline), "annotations", len(rv.Annotations()))
	}
}

// scan reviews c through the pipeline, not yet published.
func (w *Worker) scan(ctx context.Context, client platform.Client, c platform.Change, log *slog.Logger) (*review.Outcome, error) {
	opt := review.Options{
		Scanners:      w.Scanners,
		Review:        w.reviewOptions(c),
		Inline:        !c.IsPush(),
		ContentBudget: MaxJobContentBytes,
		Concurrency:   contentReaders,
	}
	if w.Customize != nil {
		opt.Customize = func(list []scanners.Scanner, p *review.Policy) ([]scanners.Scanner, []string) {
			return w.Customize(list, p, client)
		}
	}
	h := &hostChange{w: w, client: client, c: c}
	out, err := review.Run(ctx, h.source(), opt)
	if err != nil {
		return nil, err
	}
	w.observe(out.Result)
	for _, st := range out.Result.Statuses {
		switch {
		case st.Scanner == "files" && len(st.Errors) > 0:
			log.Warn("change not scanned whole", "gaps", len(st.Errors))
		case st.Scanner == "config" && len(st.Errors) > 0:
			log.Warn("configuration not read whole", "gaps", len(st.Errors))
		}
	}
	return out, nil
}

// contentReaders is how many files of one job are read and scanned at
// once: reads wait on the code host, so more than the cores.
const contentReaders = 8

// MaxJobContentBytes bounds the whole files one job reads for its
// scanners: with each file already capped (hostapi.MaxContentBytes), it is
// what keeps a change of thousands of large files from costing a worker
// its API budget and time. Files past it are scanned by their added lines
// only and reported as not scanned whole.
const MaxJobContentBytes = 64 << 20

func (w *Worker) current(ctx context.Context, j queue.Job) (bool, error) {
	if w.Freshness == nil {
		return true, nil
	}
	ok, err := w.Freshness.Current(ctx, j)
	if err != nil {
		return false, fmt.Errorf("checking job freshness: %w", err)
	}
	return ok, nil
}

func (w *Worker) observe(res *scanners.Result) {
	if w.Observer == nil {
		return
	}
	for _, s := range res.Statuses {
		w.Observer.Scanned(s)
	}
	for i := range res.Findings {
		if !res.Findings[i].Preexisting { // not this change's: not counted
			w.Observer.Found(&res.Findings[i])
		}
	}
}
