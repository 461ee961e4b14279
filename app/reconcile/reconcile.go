// Package reconcile catches the reviews a lost webhook never asked for.
//
// GitHub does not retry a failed delivery, and GitLab disables a hook that
// keeps failing: a pull request whose event was lost would never be
// reviewed, and a required check would stay pending forever. One replica at
// a time (a Redis lease) runs a pass every interval:
//
//   - GitHub: the app's recent webhook deliveries are listed and each one
//     whose every attempt failed is redelivered (GitHub's documented
//     remedy), a bounded number of times, remembered in Redis;
//   - every open pull request (GitHub installation) or merge request
//     (GitLab project) whose head has no shiftward check, or one stuck
//     running past the job timeout, gets a review job through the queue
//     the webhook uses, under a dedupe key of that head;
//   - GitLab webhooks that GitLab disabled are reported (metric and a log
//     line saying how to re-enable them).
//
// Every listing is bounded per run, per installation and per project.
package reconcile

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
)

// KeyPart starts every reconciler key after the queue's prefix
// ("{shiftward}:reconcile:leader"), so they share its Cluster hash tag.
const KeyPart = ":reconcile:"

// Defaults of zero Options fields.
const (
	DefaultInterval = 5 * time.Minute
	// DefaultLookback is how far back failed deliveries are redelivered:
	// GitHub lists and redelivers the past three days' deliveries.
	DefaultLookback         = 72 * time.Hour
	DefaultJobTimeout       = 10 * time.Minute
	DefaultLeaseTTL         = 30 * time.Second
	DefaultGrace            = 30 * time.Second
	DefaultDeliveryPages    = 10
	DefaultRedeliveries     = 50
	DefaultAttempts         = 2
	DefaultInstallations    = 100
	DefaultProjects         = 100
	DefaultPerInstallation  = 50
	DefaultJobs             = 100
	defaultProjectsKept     = 1000
	defaultProjectRetention = 30 * 24 * time.Hour
	// reviewedTTL is how long a head seen with a final check is not asked
	// about again: one request per open pull request per pass saved.
	reviewedTTL = 7 * 24 * time.Hour
	// redeliveryMemory outlives the lookback, so a delivery is never
	// redelivered again because its record expired first.
	redeliveryMemory = DefaultLookback + 24*time.Hour
)

// Options tune a Reconciler. Zero fields take the defaults above.
type Options struct {
	// Interval is the time between passes; Run starts nothing when it is
	// zero or negative.
	Interval time.Duration
	// JobTimeout is the longest a job may run: a check running longer is
	// stuck, and its head gets a job.
	JobTimeout time.Duration
	// Lookback is how old a failed delivery may be to be redelivered.
	Lookback time.Duration
	// LeaseTTL is how long a replica that stops renewing keeps the lease.
	LeaseTTL time.Duration
	// DeliveryPages bounds the delivery listing (pages of 100).
	DeliveryPages int
	// Redeliveries bounds the redeliveries of one pass.
	Redeliveries int
	// Attempts bounds the redeliveries of one delivery, over all passes.
	Attempts int
	// Installations and Projects bound the GitHub installations and
	// GitLab projects one pass sweeps.
	Installations int
	Projects      int
	// PerInstallation bounds the pull/merge requests one pass looks at in
	// one installation or project.
	PerInstallation int
	// Jobs bounds the jobs one pass queues.
	Jobs int
	// Prefix is the queue's key prefix; the reconciler's keys follow it.
	Prefix string
	// Grace is how long a pass that redelivered waits before it sweeps
	// GitHub, so the redeliveries (GitHub sends them within seconds) queue
	// their jobs first and the sweep finds those heads pending, rather
	// than queue a second job for the same head under another key.
	Grace time.Duration
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defn := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.JobTimeout, DefaultJobTimeout)
	def(&o.Lookback, DefaultLookback)
	def(&o.LeaseTTL, DefaultLeaseTTL)
	def(&o.Grace, DefaultGrace)
	defn(&o.DeliveryPages, DefaultDeliveryPages)
	defn(&o.Redeliveries, DefaultRedeliveries)
	defn(&o.Attempts, DefaultAttempts)
	defn(&o.Installations, DefaultInstallations)
	defn(&o.Projects, DefaultProjects)
	defn(&o.PerInstallation, DefaultPerInstallation)
	defn(&o.Jobs, DefaultJobs)
	o.Prefix = cmp.Or(o.Prefix, queue.DefaultPrefix)
	return o
}

// Enqueuer is the part of the queue a sweep needs: the webhook's own.
type Enqueuer interface {
	Enqueue(ctx context.Context, j queue.Job) (queue.Enqueued, error)
}

// pendingQueue is the optional capability of a queue that tells whether a
// job for a head is still unfinished (queue.Redis, queue.Memory).
type pendingQueue interface {
	Pending(ctx context.Context, j queue.Job) (bool, error)
}

// Sweeper is the capability of a platform client that lists open changes
// and reads shiftward's check on a head (the GitHub and GitLab clients).
type Sweeper interface {
	// OpenChanges lists at most limit open pull/merge requests of project,
	// or of every repository the client reaches when project is nil.
	OpenChanges(ctx context.Context, project *platform.Repo, limit int) ([]platform.OpenChange, error)
	HeadCheck(ctx context.Context, c platform.Change) (platform.HeadCheck, error)
}

// HookReader is the capability of a platform client that reads a
// project's webhooks (GitLab).
type HookReader interface {
	Hooks(ctx context.Context, project platform.Repo) ([]platform.HookHealth, error)
}

// MemberLister is the capability of a platform client that lists the
// projects its token is a member of (GitLab).
type MemberLister interface {
	MemberProjects(ctx context.Context, limit int) ([]platform.Repo, error)
}

// GitHubApp is what the reconciler needs from the GitHub App: its
// installation clients, its installations and its webhook deliveries
// (github.Factory).
type GitHubApp interface {
	platform.Factory
	Installations(ctx context.Context, limit int) ([]int64, error)
	HookDeliveries(ctx context.Context, since time.Time, maxPages int) ([]platform.Delivery, bool, error)
	Redeliver(ctx context.Context, id int64) error
}

// Observer receives the figures of each pass (metrics). Its methods must
// be quick and safe for concurrent use.
type Observer interface {
	// Redelivered counts one redelivery asked for: outcome "redelivered"
	// or "failed".
	Redelivered(outcome string)
	// Swept counts one job queued for a head without a result.
	Swept(platform string)
	// OldestUnreviewed is the age of the oldest head without a result seen
	// in the pass (0: none).
	OldestUnreviewed(platform string, age time.Duration)
	// HooksDisabled is how many webhooks to shiftward GitLab has disabled.
	HooksDisabled(n int)
}

// Reconciler runs the passes. Fields are set before Run and not changed.
type Reconciler struct {
	Redis redis.UniversalClient
	Queue Enqueuer
	// GitHub is the App; nil when GitHub is not served.
	GitHub GitHubApp
	// GitLab makes the bot token's client; nil when GitLab is not served.
	GitLab platform.Factory
	// GitLabProjects are the projects known from configuration (the
	// webhook secrets file); Projects adds those seen in recent jobs.
	GitLabProjects []int64
	// GitLabPaths, when set, says whether a project path is served by a
	// webhook secret that names paths (globs): the bot's member projects
	// it accepts are swept too.
	GitLabPaths func(fullName string) bool
	Projects    *Projects
	Observer    Observer
	Log         *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	Options

	once  sync.Once
	opts  Options
	lease *Lease
}

func (r *Reconciler) init() {
	r.once.Do(func() {
		r.opts = r.Options.withDefaults()
		if r.Log == nil {
			r.Log = slog.New(slog.DiscardHandler)
		}
		if r.Now == nil {
			r.Now = time.Now
		}
		if r.Observer == nil {
			r.Observer = nopObserver{}
		}
		r.lease = NewLease(r.Redis, r.key("leader"), r.opts.LeaseTTL)
	})
}

func (r *Reconciler) key(parts ...string) string {
	return r.opts.Prefix + KeyPart + strings.Join(parts, ":")
}

// Run runs a pass every Interval while this replica holds the lease, until
// ctx is done; then it releases the lease. With Interval zero or negative
// it returns at once and starts nothing.
func (r *Reconciler) Run(ctx context.Context) error {
	if r.Interval <= 0 {
		return nil
	}
	r.init()
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := r.lease.Release(rctx); err != nil {
			r.Log.Warn("reconciler: releasing the lease", "err", err)
		}
	}()
	// Renew well within the TTL, and look for due passes as often.
	t := time.NewTicker(min(r.Interval, r.opts.LeaseTTL/3))
	defer t.Stop()
	failing := false
	for {
		_, err := r.Tick(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			// Once per outage: a Redis that is down fails every tick.
			failing = true
			r.Log.Warn("reconciler cannot reach Redis; no pass runs until it answers", "err", err)
		case err == nil && failing:
			failing = false
			r.Log.Info("reconciler reaches Redis again")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Tick takes or renews the lease and, when this replica holds it and no
// pass ran within the interval, runs one. It reports whether it ran one.
// The interval is claimed in Redis (SET NX PX) before the pass, so however
// leadership moves a pass starts at most once per interval.
func (r *Reconciler) Tick(ctx context.Context) (bool, error) {
	r.init()
	held, err := r.lease.Hold(ctx)
	if err != nil || !held {
		return false, err
	}
	interval := max(r.Interval, time.Millisecond)
	due, err := r.Redis.SetNX(ctx, r.key("ran"), r.Now().UTC().Format(time.RFC3339), interval).Result()
	if err != nil || !due {
		return false, err
	}
	// Renew the lease while the pass runs; losing it stops the pass.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(r.opts.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if ok, err := r.lease.Hold(pctx); err == nil && !ok {
					r.Log.Warn("reconciler lost its lease; stopping the pass")
					cancel()
					return
				}
			}
		}
	}()
	// A pass that hangs on a host must not hold the lease for ever: it
	// gets the interval (at least two minutes), the next pass the rest.
	tctx, stop := context.WithTimeout(pctx, max(r.Interval, 2*time.Minute))
	defer stop()
	rep := r.Pass(tctx)
	r.Log.Info("reconciler pass", "redelivered", rep.Redelivered, "queued", rep.Queued,
		"unreviewed", rep.Unreviewed, "heads_checked", rep.Checked, "hooks_disabled", rep.HooksDisabled,
		"errors", rep.Errors, "elapsed_seconds", rep.Elapsed.Seconds())
	return true, nil
}

// Report sums up one pass.
type Report struct {
	Redelivered   int
	Queued        int
	Checked       int
	Unreviewed    int
	HooksDisabled int
	Errors        int
	Elapsed       time.Duration
}

// pass is one pass's state.
type pass struct {
	r      *Reconciler
	rep    Report
	jobs   int
	oldest map[platform.Name]time.Duration
	now    time.Time
}

// Pass runs one pass now, whatever the lease (Tick is the leader's way in;
// tests call Pass to look at one pass alone). Errors of one installation or
// project are logged and counted; the pass goes on with the next.
func (r *Reconciler) Pass(ctx context.Context) Report {
	r.init()
	p := &pass{r: r, now: r.Now(), oldest: map[platform.Name]time.Duration{}}
	if r.GitHub != nil {
		p.redeliver(ctx)
		if p.rep.Redelivered > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(r.opts.Grace):
			}
		}
		p.sweepGitHub(ctx)
		r.Observer.OldestUnreviewed(string(platform.GitHub), p.oldest[platform.GitHub])
	}
	if r.GitLab != nil {
		p.sweepGitLab(ctx)
		r.Observer.OldestUnreviewed(string(platform.GitLab), p.oldest[platform.GitLab])
	}
	p.rep.Elapsed = r.Now().Sub(p.now)
	return p.rep
}

func (p *pass) failed(msg string, err error, attrs ...any) {
	p.rep.Errors++
	p.r.Log.Warn(msg, append(attrs, "err", err)...)
}

// handledEvents are the events shiftward acts on: a failed delivery of any
// other (ping, installation) is not worth a redelivery.
var handledEvents = map[string]bool{
	"pull_request": true, "check_suite": true, "check_run": true, "push": true,
	"issue_comment": true, "pull_request_review_comment": true, "pull_request_review": true,
}

// maxGUID bounds a delivery GUID used in a key (a UUID has 36 characters).
const maxGUID = 64

// redelivery is what Redis remembers of one delivery's redeliveries: how
// many were asked for, and how many attempts GitHub listed at the last.
type redelivery struct {
	N    int `json:"n"`
	Seen int `json:"seen"`
}

// redeliver asks GitHub to redeliver each recent delivery whose every
// attempt failed. A GUID is redelivered again only once the attempt the
// last redelivery made is listed and failed too (GitHub's list may lag
// behind a redelivery), and at most Attempts times. The record is written
// before the POST: a pass that dies after asking never asks twice.
func (p *pass) redeliver(ctx context.Context) {
	o := p.r.opts
	ds, cut, err := p.r.GitHub.HookDeliveries(ctx, p.now.Add(-o.Lookback), o.DeliveryPages)
	if err != nil {
		p.failed("reconciler: listing webhook deliveries", err)
		if len(ds) == 0 {
			return
		}
	}
	if cut {
		p.r.Log.Warn("reconciler: more webhook deliveries than the listing bound; the oldest are not looked at",
			"pages", o.DeliveryPages)
	}
	byGUID := map[string][]platform.Delivery{}
	var order []string
	for _, d := range ds {
		if d.GUID == "" || len(d.GUID) > maxGUID || d.ID <= 0 {
			continue // GitHub's GUIDs are UUIDs; anything else names no key
		}
		if _, ok := byGUID[d.GUID]; !ok {
			order = append(order, d.GUID)
		}
		byGUID[d.GUID] = append(byGUID[d.GUID], d)
	}
	asked := 0
	for _, guid := range order { // newest first, as GitHub lists them
		attempts := byGUID[guid]
		if slices.ContainsFunc(attempts, platform.Delivery.OK) || !handledEvents[attempts[0].Event] {
			continue
		}
		if asked >= o.Redeliveries {
			p.r.Log.Warn("reconciler: redelivery bound reached; the rest waits for the next pass", "bound", o.Redeliveries)
			return
		}
		newest := slices.MaxFunc(attempts, func(a, b platform.Delivery) int { return cmp.Compare(a.ID, b.ID) })
		key := p.r.key("redelivered", guid)
		var rec redelivery
		if b, err := p.r.Redis.Get(ctx, key).Bytes(); err == nil {
			_ = json.Unmarshal(b, &rec)
		} else if !errors.Is(err, redis.Nil) {
			p.failed("reconciler: reading a redelivery record", err, "delivery_id", guid)
			return
		}
		if rec.N >= o.Attempts || (rec.N > 0 && len(attempts) <= rec.Seen) {
			continue
		}
		b, _ := json.Marshal(redelivery{N: rec.N + 1, Seen: len(attempts)})
		if err := p.r.Redis.Set(ctx, key, b, max(redeliveryMemory, o.Lookback+24*time.Hour)).Err(); err != nil {
			p.failed("reconciler: recording a redelivery", err, "delivery_id", guid)
			return
		}
		asked++
		if err := p.r.GitHub.Redeliver(ctx, newest.ID); err != nil {
			p.r.Observer.Redelivered("failed")
			p.failed("reconciler: redelivering a webhook delivery", err, "delivery_id", guid, "event", newest.Event)
			var rl *platform.RateLimitError
			if errors.As(err, &rl) {
				return
			}
			continue
		}
		p.rep.Redelivered++
		p.r.Observer.Redelivered("redelivered")
		p.r.Log.Info("reconciler: failed webhook delivery redelivered", "delivery_id", guid, "event", newest.Event,
			"attempts", len(attempts), "status_code", newest.StatusCode, "redelivery", rec.N+1)
	}
}

// installationsListed bounds the installations listed per pass, as a
// multiple of those swept: the window moves through them pass by pass.
const installationsListed = 10

// sweepGitHub looks at the open pull requests of each installation.
func (p *pass) sweepGitHub(ctx context.Context) {
	o := p.r.opts
	ids, err := p.r.GitHub.Installations(ctx, o.Installations*installationsListed)
	if err != nil {
		p.failed("reconciler: listing installations", err)
	}
	for _, id := range window(ctx, p, "github:installations", ids, o.Installations) {
		if ctx.Err() != nil || p.jobs >= o.Jobs {
			return
		}
		log := p.r.Log.With("platform", string(platform.GitHub), "installation_id", id)
		c, err := p.r.GitHub.Client(ctx, id)
		if err != nil {
			p.failed("reconciler: installation client", err, "installation_id", id)
			continue
		}
		sw, ok := c.(Sweeper)
		if !ok {
			return
		}
		p.sweep(ctx, log, sw, nil)
	}
}

// sweepGitLab looks at the open merge requests of each known project, and
// at its webhooks.
func (p *pass) sweepGitLab(ctx context.Context) {
	c, err := p.r.GitLab.Client(ctx, 0)
	if err != nil {
		p.failed("reconciler: gitlab client", err)
		return
	}
	sw, ok := c.(Sweeper)
	if !ok {
		return
	}
	hr, _ := c.(HookReader)
	disabled, forbidden := 0, 0
	for _, project := range window(ctx, p, "gitlab:projects", p.projects(ctx, c), p.r.opts.Projects) {
		if ctx.Err() != nil {
			break
		}
		log := p.r.Log.With("platform", string(platform.GitLab), "project_id", project.ID, "repo", project.FullName())
		if p.jobs < p.r.opts.Jobs {
			p.sweep(ctx, log, sw, &project)
		}
		if hr == nil {
			continue
		}
		hooks, err := hr.Hooks(ctx, project)
		switch {
		case errors.Is(err, platform.ErrForbidden):
			forbidden++
			continue
		case err != nil:
			p.failed("reconciler: reading project webhooks", err, "project_id", project.ID)
			continue
		}
		for _, h := range hooks {
			switch {
			case h.Disabled:
				disabled++
				log.Warn("GitLab disabled shiftward's webhook of this project after repeated failures: nothing is delivered until it is re-enabled. "+
					"Once shiftward answers again, open the project's Settings > Webhooks and send a test event (Test > Merge request events): "+
					"a successful test re-enables it. Meanwhile this reconciler reviews open merge requests every pass.",
					"hook_id", h.ID)
			case !h.DisabledUntil.IsZero():
				disabled++
				log.Warn("GitLab paused shiftward's webhook of this project after failures; it retries by itself then, or send a test event "+
					"under Settings > Webhooks to re-enable it now", "hook_id", h.ID, "disabled_until", h.DisabledUntil.UTC().Format(time.RFC3339))
			}
		}
	}
	if forbidden > 0 {
		p.r.Log.Debug("reconciler: the bot token may not read project webhooks (Maintainer only); disabled hooks are not reported for those",
			"projects", forbidden)
	}
	p.rep.HooksDisabled = disabled
	p.r.Observer.HooksDisabled(disabled)
}

// window picks at most n of all, starting where the last pass's window
// ended (an offset kept in Redis under name), so that every installation
// or project is swept in turn when there are more than one pass takes.
func window[T any](ctx context.Context, p *pass, name string, all []T, n int) []T {
	if len(all) <= n {
		return all
	}
	key := p.r.key("window", name)
	start, err := p.r.Redis.Get(ctx, key).Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		p.failed("reconciler: reading the sweep window", err)
	}
	start = max(start, 0) % len(all)
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, all[(start+i)%len(all)])
	}
	if err := p.r.Redis.Set(ctx, key, (start+n)%len(all), 7*24*time.Hour).Err(); err != nil {
		p.failed("reconciler: moving the sweep window", err)
	}
	return out
}

// projectsListed bounds the GitLab projects a pass chooses from, as a
// multiple of those it sweeps.
const projectsListed = 10

// projects are the GitLab projects to sweep: those configured by id, the
// bot's member projects whose path a configured glob accepts, then those
// seen in recent jobs (newest first), each once.
func (p *pass) projects(ctx context.Context, c platform.Client) []platform.Repo {
	var out []platform.Repo
	seen := map[int64]bool{}
	seenPath := map[string]bool{}
	add := func(r platform.Repo) {
		switch {
		case len(out) >= p.r.opts.Projects*projectsListed:
		case r.ID > 0 && !seen[r.ID]:
			seen[r.ID] = true
			out = append(out, r)
		case r.ID <= 0 && r.Owner != "" && !seenPath[strings.ToLower(r.FullName())]:
			seenPath[strings.ToLower(r.FullName())] = true
			out = append(out, r)
		}
	}
	for _, id := range p.r.GitLabProjects {
		add(platform.Repo{ID: id})
	}
	if ml, ok := c.(MemberLister); ok && p.r.GitLabPaths != nil {
		members, err := ml.MemberProjects(ctx, p.r.opts.Projects*projectsListed)
		if err != nil {
			p.failed("reconciler: listing the bot's gitlab projects", err)
		}
		for _, r := range members {
			if p.r.GitLabPaths(r.FullName()) {
				if seen[r.ID] {
					for i := range out {
						if out[i].ID == r.ID {
							out[i] = r // its path spares GET /projects/:id
						}
					}
					continue
				}
				add(r)
			}
		}
	}
	if p.r.Projects != nil {
		recent, err := p.r.Projects.Recent(ctx, p.r.opts.Projects*projectsListed)
		if err != nil {
			p.failed("reconciler: reading recent gitlab projects", err)
		}
		for _, r := range recent {
			if r.ID > 0 && seen[r.ID] {
				// Configured by id: take the path too, sparing GET /projects/:id.
				for i := range out {
					if out[i].ID == r.ID && out[i].Owner == "" {
						out[i] = r
					}
				}
				continue
			}
			add(r)
		}
	}
	return out
}

// sweep looks at the open changes one Sweeper lists (an installation's, or
// one project's) and queues a job for each head without a result.
func (p *pass) sweep(ctx context.Context, log *slog.Logger, sw Sweeper, project *platform.Repo) {
	changes, err := sw.OpenChanges(ctx, project, p.r.opts.PerInstallation)
	if err != nil {
		p.failed("reconciler: listing open changes", err)
		var rl *platform.RateLimitError
		if errors.As(err, &rl) || len(changes) == 0 {
			return
		}
	}
	for _, oc := range changes {
		if ctx.Err() != nil || p.jobs >= p.r.opts.Jobs {
			return
		}
		if err := p.consider(ctx, log, sw, oc); err != nil {
			p.failed("reconciler: looking at a head", err, "repo", oc.Change.Repo.FullName(), "pr", oc.Change.Number,
				"head_sha", oc.Change.HeadSHA)
			var rl *platform.RateLimitError
			if errors.As(err, &rl) {
				return // the rest of this installation waits for the window
			}
		}
	}
}

// consider queues a job for one open change when its head has no result.
func (p *pass) consider(ctx context.Context, log *slog.Logger, sw Sweeper, oc platform.OpenChange) error {
	c := oc.Change
	job := queue.Job{Kind: platform.KindRescan, Change: c}
	reviewed := p.r.key("reviewed", job.Key(), c.HeadSHA)
	if n, err := p.r.Redis.Exists(ctx, reviewed).Result(); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	if pq, ok := p.r.Queue.(pendingQueue); ok {
		pending, err := pq.Pending(ctx, job)
		if err != nil {
			return err
		}
		if pending {
			return nil // a job of this head is waiting or running
		}
	}
	p.rep.Checked++
	hc, err := sw.HeadCheck(ctx, c)
	if err != nil {
		return err
	}
	var age time.Duration
	switch {
	case hc.State == platform.CheckDone:
		return p.r.Redis.Set(ctx, reviewed, "1", reviewedTTL).Err()
	case hc.State == platform.CheckRunning && (hc.Since.IsZero() || p.now.Sub(hc.Since) <= p.r.opts.JobTimeout):
		return nil // being reviewed
	case hc.State == platform.CheckRunning:
		// Stuck: one job per stuck run (its start names it), so a head
		// whose job keeps dying is not queued every pass.
		job.DeliveryID = headKey(c) + ":stuck:" + strconv.FormatInt(hc.Since.Unix(), 10)
		age = p.now.Sub(hc.Since)
	default:
		job.DeliveryID = headKey(c)
		if !oc.UpdatedAt.IsZero() {
			age = p.now.Sub(oc.UpdatedAt)
		}
	}
	p.rep.Unreviewed++
	if age > p.oldest[c.Platform] {
		p.oldest[c.Platform] = age
	}
	res, err := p.r.Queue.Enqueue(ctx, job)
	if err != nil {
		return fmt.Errorf("queueing a review: %w", err)
	}
	if res.Duplicate {
		return nil
	}
	p.jobs++
	p.rep.Queued++
	p.r.Observer.Swept(string(c.Platform))
	log.Info("reconciler: head without a review queued", "repo", c.Repo.FullName(), "pr", c.Number, "head_sha", c.HeadSHA,
		"check", hc.State.String(), "job_id", res.ID, "age_seconds", age.Seconds())
	return nil
}

// headKey is the dedupe key of a head: for GitLab the one its merge
// request hook uses (webhook.GitLab: "gitlab-mr:<project>:<iid>:<sha>"), so
// a sweep and a late hook queue one job; for GitHub, whose hooks are keyed
// by delivery GUID, one of the same shape.
func headKey(c platform.Change) string {
	project := "path:" + strings.ToLower(c.Repo.FullName())
	if c.Repo.ID > 0 {
		project = strconv.FormatInt(c.Repo.ID, 10)
	}
	if c.Platform == platform.GitLab {
		return "gitlab-mr:" + project + ":" + strconv.Itoa(c.Number) + ":" + c.HeadSHA
	}
	return string(c.Platform) + "-pr:" + project + ":" + strconv.Itoa(c.Number) + ":" + c.HeadSHA
}

type nopObserver struct{}

func (nopObserver) Redelivered(string)                     {}
func (nopObserver) Swept(string)                           {}
func (nopObserver) OldestUnreviewed(string, time.Duration) {}
func (nopObserver) HooksDisabled(int)                      {}
