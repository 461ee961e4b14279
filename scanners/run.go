package scanners

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/sync/semaphore"
)

// Status is how one scanner fared over a change. A scanner that failed on
// some files does not sink the others: its errors are reported here and the
// review says the scan is incomplete.
type Status struct {
	Scanner  string
	Files    int
	Findings int
	Duration time.Duration
	// Errors holds one error per file the scanner failed on.
	Errors []error
	// Skipped counts the files a HandWrittenOnly scanner passed over as
	// vendored, minified or generated: not scanned by it, on purpose.
	Skipped int
	// PassedOver counts, by reason, the files the scanner said it does
	// not review (PassedOverError): on purpose, said in the review's notes,
	// never an incomplete scan.
	PassedOver map[string]int
	// Notes counts, by note, the files the scanner reviewed leaving out
	// something they use, on purpose (NoteError): said in the review's
	// notes, never an incomplete scan.
	Notes map[string]int
	// Cut counts the pre-existing findings left out over MaxPreexisting
	// per file (see Scope): not this change's, and not listed.
	Cut int
}

// Result is the outcome of Run: every finding, sorted, and a status per
// scanner in the order the scanners were given.
type Result struct {
	Findings []Finding
	Statuses []Status
}

// Incomplete reports whether any scanner failed on any file.
func (r *Result) Incomplete() bool {
	for _, s := range r.Statuses {
		if len(s.Errors) > 0 {
			return true
		}
	}
	return false
}

// Run hands each input to every scanner that wants its path and collects the
// findings. A scanner's error on one file is recorded in its Status (the
// findings it returned beside the error still count) and the run goes on;
// only a cancelled ctx stops it early, returning ctx's error. Each scanner
// gets FileTimeout per file. Each scanner's findings are scoped (Scope):
// what the change did not introduce is marked Preexisting, never dropped.
// Findings are sorted (path, line, rule, fingerprint) so the same change
// always gives the same output, and nothing the result says (findings,
// status errors) quotes a secret found in it.
func Run(ctx context.Context, list []Scanner, inputs []*Input) (*Result, error) {
	res := &Result{Statuses: make([]Status, len(list))}
	for i, s := range list {
		res.Statuses[i].Scanner = s.Name()
	}
	for i, s := range list {
		if b, ok := s.(BatchScanner); ok {
			if err := runBatch(ctx, b, inputs, &res.Statuses[i], res); err != nil {
				return nil, err
			}
		}
	}
	for _, in := range inputs {
		for i, s := range list {
			if _, ok := s.(BatchScanner); ok {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if !s.Wants(in.Path) {
				continue
			}
			st := &res.Statuses[i]
			if notHandWritten(s, in) {
				st.Skipped++
				continue
			}
			unreadErr := unread(s, in)
			start := time.Now()
			found, err := scanFile(ctx, s, in)
			st.Duration += time.Since(start)
			st.Files++
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil {
					return nil, ctxErr
				}
			}
			var passed *PassedOverError
			var noted *NoteError
			switch {
			case errors.As(err, &passed):
				st.passOver(passed.Reason)
			case errors.As(err, &noted):
				if st.Notes == nil {
					st.Notes = map[string]int{}
				}
				st.Notes[noted.Note]++
			case unreadErr != nil:
				// Said once: the scanner's own error is then most likely
				// that it had no content.
				st.Errors = append(st.Errors, unreadErr)
			case err != nil:
				st.Errors = append(st.Errors, &FileError{Path: in.Path, Err: err})
			}
			found, cut := Scope(found, []*Input{in})
			st.Cut += cut
			st.Findings += len(found)
			res.Findings = append(res.Findings, found...)
		}
	}
	Sort(res.Findings)
	Scrub(res.Findings, inputs)
	ScrubStatuses(res, list, inputs)
	return res, nil
}

// unread is the error of a file s needed whole but that could not be read:
// s scans what it can of the added lines, and the file counts as not
// scanned whole.
func unread(s Scanner, in *Input) error {
	if in.Unread == nil || in.Content != nil {
		return nil
	}
	if cs, ok := s.(ContentScanner); !ok || !cs.NeedsContent(in.Path) {
		return nil
	}
	return &FileError{Path: in.Path, Err: fmt.Errorf("not read whole (%w): only its added lines were scanned", in.Unread)}
}

// PassedOverError is a scanner saying it does not review a file of a kind
// it wants, on purpose (a Helm template it cannot render): Run counts it by
// reason in Status.PassedOver and the review says so, without making the
// scan incomplete. A bound or a failure is never one.
type PassedOverError struct {
	// Reason names the kind of file and why ("Helm templates: charts are
	// not rendered yet").
	Reason string
}

func (e *PassedOverError) Error() string { return "not reviewed: " + e.Reason }

func (st *Status) passOver(reason string) {
	if st.PassedOver == nil {
		st.PassedOver = map[string]int{}
	}
	st.PassedOver[reason]++
}

// NoteError is a scanner saying what it left out of a file it reviewed,
// on purpose (the resources of a Terraform module from a registry, which
// is not fetched): Run counts it by note in Status.Notes and the review
// lists it, without making the scan incomplete. A bound or a failure is
// never one.
type NoteError struct {
	// Note says what was left out and why, as a sentence's subject and
	// verb ("Terraform modules from registries or git are not fetched;
	// their resources are not reviewed").
	Note string
}

func (e *NoteError) Error() string { return e.Note }

// FileError is a scanner's error on one file: "path: what went wrong".
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the scanner's error.
func (e *FileError) Unwrap() error { return e.Err }

// FilePath names the file the error is about.
func (e *FileError) FilePath() string { return e.Path }

// ErrorPath returns the path of the file err is about, if it is about one
// (a FileError, masked or not).
func ErrorPath(err error) (string, bool) {
	var p interface{ FilePath() string }
	if errors.As(err, &p) && p.FilePath() != "" {
		return p.FilePath(), true
	}
	return "", false
}

// parsing bounds the bytes of whole files being parsed at once in the
// process, by every job together: a parse holds up to a hundred times its
// input (syntax trees, YAML nodes), so two files at MaxParseBytes are as
// much as one process takes on at a time. Small files barely wait.
var parsing = semaphore.NewWeighted(2 * MaxParseBytes)

// parseWeight is what scanning in with s holds of parsing: the size of
// the content it parses, up to MaxParseBytes (larger files are refused
// unparsed).
func parseWeight(s Scanner, in *Input) int64 {
	if in.Content == nil {
		return 0
	}
	if cs, ok := s.(ContentScanner); !ok || !cs.NeedsContent(in.Path) {
		return 0
	}
	return int64(min(len(in.Content), MaxParseBytes))
}

// scanFile is scanOne within FileTimeout. A scanner that runs out of it
// has the file reported as over the time bound, not as failed.
func scanFile(ctx context.Context, s Scanner, in *Input) ([]Finding, error) {
	if w := parseWeight(s, in); w > 0 {
		if err := parsing.Acquire(ctx, w); err != nil {
			return nil, err
		}
		defer parsing.Release(w)
	}
	fctx, cancel := context.WithTimeout(ctx, FileTimeout)
	defer cancel()
	found, err := scanOne(fctx, s, in)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) && fctx.Err() != nil {
		err = &BoundError{What: "scan time in seconds", Limit: int64(FileTimeout / time.Second)}
	}
	return found, err
}

// runBatch hands a batch scanner every input it wants in one call. Only a
// cancelled ctx is returned; the scanner's own error is recorded in st.
func runBatch(ctx context.Context, b BatchScanner, inputs []*Input, st *Status, res *Result) error {
	var wanted []*Input
	for _, in := range inputs {
		if b.Wants(in.Path) {
			wanted = append(wanted, in)
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	start := time.Now()
	found, err := scanBatch(ctx, b, wanted)
	st.Duration += time.Since(start)
	st.Files += len(wanted)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		st.Errors = append(st.Errors, err)
	}
	found, cut := Scope(found, wanted)
	st.Cut += cut
	st.Findings += len(found)
	res.Findings = append(res.Findings, found...)
	return nil
}

func scanBatch(ctx context.Context, b BatchScanner, ins []*Input) (found []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			found, err = nil, fmt.Errorf("scanner %s panicked: %v", b.Name(), p)
		}
	}()
	return b.ScanBatch(ctx, ins)
}

// scanOne runs one scanner on one input and turns a panic into an error, so
// a bug in one rule cannot take the worker down with the job.
func scanOne(ctx context.Context, s Scanner, in *Input) (found []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			found, err = nil, fmt.Errorf("scanner %s panicked: %v", s.Name(), p)
		}
	}()
	return s.Scan(ctx, in)
}

// Sort orders findings by path, start line, rule id and fingerprint.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Location.Path, b.Location.Path),
			cmp.Compare(a.Location.StartLine, b.Location.StartLine),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Fingerprint(), b.Fingerprint()),
		)
	})
}

// Max returns the highest severity among fs (SeverityUnknown when empty).
func Max(fs []Finding) Severity {
	m := SeverityUnknown
	for _, f := range fs {
		m = max(m, f.Severity)
	}
	return m
}
