// Package review is the one review pipeline. The worker runs it for a pull
// request, a merge request or a push; `shiftward scan` runs it on a local
// git change. Both give it a Source and get back the review:
//
//	policy (read once, from the base) → listing → contents → scan →
//	policy applied (suppressions, scopes, fail_on) → review
//
// The listing is streamed: each file is read whole only if a scanner needs
// it, scanned, and let go, so memory stays bounded by a few files however
// large the change.
package review

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// Source is a change as the pipeline reads it: a code host's pull request
// or push (the worker's), or a local git diff (the CLI's).
type Source interface {
	// Policy reads what the change is reviewed under, once, before any file
	// is scanned: ReadPolicy does it for any Base.
	Policy(ctx context.Context) (*Policy, error)
	// Files streams the change's files to yield, in order, and returns the
	// parts it could not list or hand over (each makes the review
	// incomplete). An error from yield stops it and is returned.
	Files(ctx context.Context, yield func(*diff.File) error) (gaps []error, err error)
	// Read reads a file of the change's new version whole. An error wrapping
	// platform.ErrNotFound or platform.ErrTooLarge leaves the file scanned by
	// its added lines only, reported as not scanned whole; any other error
	// fails the review (the worker retries it).
	Read(ctx context.Context, path string) ([]byte, error)
}

// Customize adapts the scanners to one change's policy (the repository's
// own secret and code rules) and job (lookups through the code host). It
// returns the list to run and the problems it met, which fail the review
// (a broken rule set: the default scanner runs instead). It is the one
// per-job hook: nothing else changes what a scanner does for a job.
type Customize func(list []scanners.Scanner, p *Policy) ([]scanners.Scanner, []string)

// Options configure the pipeline.
type Options struct {
	// Scanners are the server's scanners, before any Customize.
	Scanners  []scanners.Scanner
	Customize Customize
	// Review shapes the review: flavor, head, and FailOn, the severity
	// from which it fails unless the repository's fail_on says otherwise.
	Review comments.Options
	// KeepFailOn makes Review.FailOn win over the repository's fail_on
	// (shiftward scan --fail-on).
	KeepFailOn bool
	// Inline places findings on the diff's lines; without it (a push)
	// everything goes to the summary.
	Inline bool
	// ContentBudget bounds the bytes of whole files read for one change
	// (0: no bound but each file's own). Past it, files are scanned by their
	// added lines only and reported as not scanned whole.
	ContentBudget int
	// Verify checks each file read whole against the lines the change
	// adds to it: a file that does not hold every one at its line is not the
	// change's new version (a diff handed in, read beside a work tree that
	// differs) and is scanned by its added lines only, reported as not
	// scanned whole.
	Verify bool
	// Concurrency is how many files are read and scanned at once (0:
	// GOMAXPROCS). Reads from a code host wait on the network, so the worker
	// asks for more than it has cores.
	Concurrency int
	// InFlightBytes bounds the added lines (their text and a Line each)
	// listed but not yet scanned (0: DefaultInFlightBytes). The listing
	// waits while the files ahead of it exceed it; one file always goes,
	// however large.
	InFlightBytes int
	// Now is the clock ignore entries expire by (nil: time.Now).
	Now func() time.Time
}

// Outcome is a reviewed change, not yet published.
type Outcome struct {
	Review *comments.Review
	// Result holds what is reported (after suppressions) and a status per
	// scanner, plus "files" and "config" statuses for what could not be
	// listed, read or configured.
	Result *scanners.Result
	// Problems and Notes are the review's (comments.Options), secrets
	// masked: what the local scan prints below the review.
	Problems, Notes []string
	// Files counts the files the listing held; Reviewed those with added
	// lines.
	Files, Reviewed int
}

// Run reviews the change src describes. An error means nothing
// trustworthy was reviewed: a cancelled ctx, a listing that failed, a read
// that failed for a reason other than the file being absent or too large.
func Run(ctx context.Context, src Source, opt Options) (*Outcome, error) {
	pol, err := src.Policy(ctx)
	if err != nil {
		return nil, err
	}
	list, problems := opt.Scanners, append([]string(nil), pol.Problems...)
	if opt.Customize != nil {
		var ps []string
		list, ps = opt.Customize(list, pol)
		problems = append(problems, ps...)
	}
	if len(list) == 0 {
		return nil, errors.New("no scanner to run")
	}
	st, err := scan(ctx, src, list, pol.Attributes, opt)
	if err != nil {
		return nil, err
	}
	notes := append([]string(nil), pol.Notes...)
	if st.editsConfig {
		n, err := headConfigNotes(ctx, src, pol.Settings)
		if err != nil {
			return nil, err
		}
		notes = append(notes, n...)
	}

	res := st.res
	ropt := opt.Review
	ropt.Problems, ropt.Notes = problems, notes
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	apply(pol, res, st.added, &ropt, now())
	if opt.KeepFailOn {
		ropt.FailOn = opt.Review.FailOn
	}
	addStatus(res, "files", st.gaps)
	addStatus(res, "config", stringErrors(pol.Gaps))
	// Problems, notes and status errors quote paths and values a change
	// chose: a secret is never shown, whatever carries it.
	for _, texts := range [][]string{ropt.Problems, ropt.Notes} {
		for i, t := range texts {
			texts[i] = scanners.Redact(list, t)
		}
	}
	scanners.ScrubStatuses(res, list, st.sensitive)

	var lines comments.Lines
	if opt.Inline {
		lines = st.hunks
	}
	return &Outcome{
		Review:   comments.Build(res, lines, ropt),
		Result:   res,
		Problems: ropt.Problems,
		Notes:    ropt.Notes,
		Files:    st.files,
		Reviewed: len(st.hunks),
	}, nil
}

// addStatus adds a status named name holding errs, if there are any: what
// it names was not reviewed, so the review is incomplete (never a pass).
func addStatus(res *scanners.Result, name string, errs []error) {
	if len(errs) > 0 {
		res.Statuses = append(res.Statuses, scanners.Status{Scanner: name, Errors: errs})
	}
}

func stringErrors(lines []string) []error {
	errs := make([]error, len(lines))
	for i, l := range lines {
		errs[i] = errors.New(l)
	}
	return errs
}

// DefaultInFlightBytes is the default Options.InFlightBytes. Without a
// bound in bytes, a run of large files (a generated parser, vendored
// tables) queues whole, one per scanning goroutine and two more per
// goroutine in the listing's channel: the heap's peak, and so the
// process's, is several of the largest files at once.
const DefaultInFlightBytes = 8 << 20

func (o Options) inFlightBytes() int64 {
	if o.InFlightBytes > 0 {
		return int64(o.InFlightBytes)
	}
	return DefaultInFlightBytes
}

func (o Options) concurrency() int {
	if o.Concurrency > 0 {
		return o.Concurrency
	}
	return runtime.GOMAXPROCS(0)
}
