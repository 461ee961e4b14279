// Package worker runs one review job: fetch the change, scan what it adds,
// build the review, publish it. It speaks to code hosts only through the
// platform interfaces, so GitHub and GitLab jobs take the same path.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
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
	// RepoSecrets, when set, builds the secrets scanner of a repository that
	// brings its own rules (a .gitleaks.toml, custom rules in
	// .shiftward.yml); it replaces the scanner named "secrets" for that job.
	RepoSecrets func(gitleaksTOML []byte, custom []config.SecretRule) (scanners.Scanner, error)
	// RepoCode, when set, builds the code scanner of a repository with its
	// own pattern rules (.shiftward.yml scanners.code.rules); it replaces
	// the scanner named "code" for that job.
	RepoCode func(custom []config.CodeRule) (scanners.Scanner, error)
	// ScanContext, when set, derives the context a change is scanned with
	// from the job's platform client: how scanners reach per-job lookups
	// (pinning a workflow's actions resolves tags through the host's API).
	ScanContext func(ctx context.Context, client platform.Client) context.Context

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
	review := sc.review
	if err := client.Publish(ctx, c, check, review); err != nil {
		return fmt.Errorf("publishing review: %w", err)
	}
	elapsed := time.Since(start)
	if w.Observer != nil {
		w.Observer.Published(elapsed)
	}
	log.Info("review published", "conclusion", review.Conclusion, "findings", len(review.Findings),
		"inline", len(review.Inline), "files", len(sc.files), "elapsed", elapsed)
	return nil
}

// scanned is a change scanned and its review built, not yet published.
type scanned struct {
	files  []*diff.File
	review *comments.Review
}

// scan reads the change and its configuration, scans what it adds and
// builds the review.
func (w *Worker) scan(ctx context.Context, client platform.Client, c platform.Change, log *slog.Logger) (*scanned, error) {
	files, gaps, err := changedFiles(ctx, client, c)
	if err != nil {
		return nil, fmt.Errorf("listing changed files: %w", err)
	}

	repo, problems, configGaps, err := w.repoConfigGaps(ctx, client, c, files)
	if err != nil {
		return nil, err
	}
	notes, err := headConfigNotes(ctx, client, c, files, repo)
	if err != nil {
		return nil, err
	}

	list, listProblems, err := w.scannersFor(ctx, client, c, repo)
	if err != nil {
		return nil, err
	}
	problems = append(problems, listProblems...)

	attrs, attrNotes, err := w.gitAttributes(ctx, client, c, files)
	if err != nil {
		return nil, err
	}
	notes = append(notes, attrNotes...)
	inputs := Inputs(files)
	for _, in := range inputs {
		in.Attributes = attrs
	}
	headRead := func(ctx context.Context, path string) ([]byte, error) {
		return client.FileContent(ctx, c, path, c.HeadSHA)
	}
	if err := Contents(ctx, list, inputs, headRead); err != nil {
		return nil, err
	}
	scanCtx := ctx
	if w.ScanContext != nil {
		scanCtx = w.ScanContext(ctx, client)
	}
	res, err := scanners.Run(scanCtx, list, inputs)
	if err != nil {
		return nil, fmt.Errorf("scanning: %w", err)
	}
	opt := w.reviewOptions(c)
	opt.Problems, opt.Notes = problems, notes
	added := make(map[string][]scanners.Line, len(inputs))
	for _, in := range inputs {
		added[in.Path] = in.Added
	}
	var approvers []string
	if a, ok := client.(platform.Approvals); ok && repo.RequireSuppressionReview && !c.IsPush() {
		if approvers, err = a.ApprovedBy(ctx, c); err != nil {
			return nil, fmt.Errorf("reading approvals: %w", err)
		}
	}
	ApplyRepoConfig(repo, res, added, &opt, time.Now(), approvers...)
	w.observe(res) // what is reported, after suppressions
	if len(gaps) > 0 {
		// Files the host would not hand over make the review incomplete:
		// it may then fail, or be neutral, but never pass.
		st := scanners.Status{Scanner: "files"}
		for _, g := range gaps {
			st.Errors = append(st.Errors, errors.New(g))
		}
		res.Statuses = append(res.Statuses, st)
		log.Warn("change not scanned whole", "gaps", len(gaps))
	}
	if st := configStatus(configGaps); st != nil {
		res.Statuses = append(res.Statuses, *st) // configuration not read whole: incomplete
		log.Warn("configuration not read whole", "gaps", len(configGaps))
	}

	redactAll(list, opt.Problems)
	redactAll(list, opt.Notes)
	scanners.ScrubStatuses(res, list, inputs)

	var lines comments.Lines
	if !c.IsPush() {
		lines = index(files)
	}
	return &scanned{files: files, review: comments.Build(res, lines, opt)}, nil
}

// customRuleBudget bounds the time a repository's own secret rules may take
// over one change.
const customRuleBudget = time.Minute

// scannersFor is the scanner list for one repository: the worker's, with
// the secrets scanner rebuilt when the repository brings its own secret
// rules (read, like .shiftward.yml, from the base) and the code scanner
// rebuilt with its own code rules. A broken rule set is a problem on the
// review, and the default scanner runs instead. A repository's own rules
// get a time budget per change: RE2 is linear, but a big change times a big
// pattern can still take long, and a review must end; past it the scan is
// incomplete, not passed.
func (w *Worker) scannersFor(ctx context.Context, client platform.Client, c platform.Change, repo *config.Settings) ([]scanners.Scanner, []string, error) {
	list := slices.Clone(w.Scanners)
	var problems []string
	replace := func(s scanners.Scanner) {
		for i, sc := range list {
			if sc.Name() == s.Name() {
				list[i] = scanners.WithBudget(s, customRuleBudget)
			}
		}
	}
	if cc, ok := configChange(c); w.RepoSecrets != nil {
		var gitleaks []byte
		var err error
		if ok { // else the push's own base, which its author wrote, is not read
			gitleaks, err = w.baseFile(ctx, client, cc, ".gitleaks.toml")
		}
		switch {
		case errors.Is(err, platform.ErrNotFound):
			gitleaks = nil
		case err != nil:
			return nil, nil, fmt.Errorf("reading .gitleaks.toml at the base: %w", err)
		}
		if custom := repo.Scanners.Secrets.Rules; len(gitleaks) > 0 || len(custom) > 0 {
			s, err := w.RepoSecrets(gitleaks, custom)
			if err != nil {
				problems = append(problems, "secret rules (.gitleaks.toml / "+config.RepoFile+"): "+err.Error()+"; the default rules ran instead")
			} else {
				replace(s)
			}
		}
	}
	if custom := repo.Scanners.Code.Rules; w.RepoCode != nil && len(custom) > 0 {
		s, err := w.RepoCode(custom)
		if err != nil {
			problems = append(problems, "code rules ("+config.RepoFile+"): "+err.Error()+"; the built-in rules ran instead")
		} else {
			replace(s)
		}
	}
	return list, problems, nil
}

// changedFiles lists the change's files and the parts the host left out.
func changedFiles(ctx context.Context, client platform.Client, c platform.Change) ([]*diff.File, []string, error) {
	listing, err := client.Files(ctx, c)
	return listing.Files, listing.Gaps, err
}

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

// Inputs turns diff files into scanner inputs: one per file that still
// exists and is text, holding the lines the change adds. Deleted lines never
// reach a scanner.
func Inputs(files []*diff.File) []*scanners.Input {
	inputs := make([]*scanners.Input, 0, len(files))
	for _, f := range files {
		if in := Input(f); in != nil {
			inputs = append(inputs, in)
		}
	}
	return inputs
}

// Input turns one diff file into a scanner input, or nil when the file is
// deleted, binary or adds nothing.
func Input(f *diff.File) *scanners.Input {
	if f == nil || f.IsDelete || f.IsBinary {
		return nil
	}
	added := f.Added()
	if len(added) == 0 {
		return nil
	}
	// The path is cloned because findings keep it, and a diff.File's strings
	// share (and so would keep alive) the file's whole part of the diff.
	in := &scanners.Input{Path: strings.Clone(f.NewPath), Added: make([]scanners.Line, len(added)), New: f.IsNew}
	for i, l := range added {
		in.Added[i] = scanners.Line{Number: l.NewNumber, Text: l.Text}
	}
	return in
}

// redactAll masks the secrets in texts that leave the scan beside its
// findings (configuration problems quoting a value, notes, gaps naming a
// path): a secret is never shown, whatever carries it.
func redactAll(list []scanners.Scanner, texts []string) {
	for i, t := range texts {
		texts[i] = scanners.Redact(list, t)
	}
}

func index(files []*diff.File) diff.Index {
	x := make(diff.Index, len(files))
	for _, f := range files {
		if !f.IsDelete {
			x[f.NewPath] = f
		}
	}
	return x
}
