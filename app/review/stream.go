package review

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"unsafe"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
	"golang.org/x/sync/semaphore"
)

// MaxBatchBytes bounds the files held for one batch scanner (dependencies:
// one advisory query for the whole change) until the listing ends: a
// whole-repository scan may meet hundreds of lockfiles. Files past it are
// reported as not scanned.
const MaxBatchBytes = 64 << 20

// scanned is what the pipeline keeps of a change once scanned: never the
// files themselves.
type scanned struct {
	res *scanners.Result
	// hunks places inline comments.
	hunks hunkIndex
	// added are the added lines of files with findings, for inline
	// shiftward:ignore comments.
	added map[string][]scanners.Line
	// sensitive holds, of each file with a secret, the lines the secret is
	// on: what masks it in every other finding and error.
	sensitive []*scanners.Input
	// gaps are the parts of the change not listed or not read.
	gaps        []error
	files       int
	editsConfig bool
}

// scan streams the listing to Concurrency goroutines that each read a file
// whole when a scanner needs it, scan it and let it go. Batch scanners see
// their files at the end, at once.
func scan(ctx context.Context, src Source, list []scanners.Scanner, attrs *scanners.GitAttributes, opt Options) (*scanned, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := opt.concurrency()
	inputs := make(chan queued, 2*n)
	st := &scanned{hunks: hunkIndex{}}
	ahead := &inFlight{sem: semaphore.NewWeighted(opt.inFlightBytes()), limit: opt.inFlightBytes()}
	var listErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		defer close(inputs)
		st.gaps, listErr = src.Files(ctx, func(f *diff.File) error { return st.take(ctx, f, ahead, inputs) })
	}()

	perFile, batches := withCollectors(list)
	reads := &contentBudget{limit: opt.ContentBudget}
	// One tree for the change: its cache and bounds are the change's.
	tree := newTree(src)
	parts := make([]*part, n)
	var wg sync.WaitGroup
	for i := range parts {
		parts[i] = newPart(list)
		wg.Go(func() {
			parts[i].scan(ctx, cancel, src, list, perFile, inputContext{attrs: attrs, tree: tree}, reads, opt.Verify, ahead, inputs)
		})
	}
	wg.Wait()
	<-listed
	if listErr != nil {
		return nil, listErr
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	st.res, st.added = emptyResult(list), map[string][]scanners.Line{}
	for _, p := range parts {
		merge(st.res, p.res)
		maps.Copy(st.added, p.added)
		st.sensitive = append(st.sensitive, p.sensitive...)
	}
	if err := st.runBatches(ctx, batches); err != nil {
		return nil, err
	}
	// Each file was scrubbed of its own secrets as it was scanned; a secret
	// may also be quoted by a finding of another file.
	scanners.Scrub(st.res.Findings, st.sensitive)
	scanners.Sort(st.res.Findings)
	return st, nil
}

// take is the listing's yield: it notes the file and hands its scanner
// input to the scanning goroutines, once the inputs ahead of it leave
// room (ahead).
func (st *scanned) take(ctx context.Context, f *diff.File, ahead *inFlight, out chan<- queued) error {
	st.files++
	if !f.IsDelete && f.NewPath == config.RepoFile {
		st.editsConfig = true
	}
	in := Input(f)
	if in == nil {
		return nil
	}
	st.hunks.add(f)
	q := queued{in: in, weight: min(inputWeight(in), ahead.limit)}
	if err := ahead.sem.Acquire(ctx, q.weight); err != nil {
		return context.Cause(ctx)
	}
	select {
	case out <- q:
		return nil
	case <-ctx.Done():
		ahead.sem.Release(q.weight)
		return context.Cause(ctx)
	}
}

// queued is an input on its way to a scanning goroutine, with what it
// took of the in-flight bound.
type queued struct {
	in     *scanners.Input
	weight int64
}

// inFlight bounds the bytes of inputs listed but not yet scanned
// (Options.InFlightBytes). An input larger than the whole bound takes all
// of it: it goes alone.
type inFlight struct {
	sem   *semaphore.Weighted
	limit int64
}

// inputWeight is about what in holds in memory: its lines' text (which
// shares the file's part of the diff) and a Line each.
func inputWeight(in *scanners.Input) int64 {
	n := int64(len(in.Added)) * int64(unsafe.Sizeof(scanners.Line{}))
	for _, l := range in.Added {
		n += int64(len(l.Text)) + 1
	}
	return max(n, 1)
}

// inputContext is what every input of a change is given beside its file.
type inputContext struct {
	attrs *scanners.GitAttributes
	tree  scanners.Tree
}

// part is what one scanning goroutine found.
type part struct {
	res       *scanners.Result
	added     map[string][]scanners.Line
	sensitive []*scanners.Input
}

func newPart(list []scanners.Scanner) *part {
	return &part{res: emptyResult(list), added: map[string][]scanners.Line{}}
}

// scan takes inputs until there are none. A read that fails for a reason
// the pipeline cannot report as "not read whole" cancels the review.
func (p *part) scan(ctx context.Context, cancel context.CancelCauseFunc, src Source, list, perFile []scanners.Scanner,
	with inputContext, reads *contentBudget, verify bool, ahead *inFlight, inputs <-chan queued) {
	for q := range inputs {
		p.scanOne(ctx, cancel, src, list, perFile, with, reads, verify, q.in)
		ahead.sem.Release(q.weight)
	}
}

// scanOne reads (when a scanner needs it) and scans one input.
func (p *part) scanOne(ctx context.Context, cancel context.CancelCauseFunc, src Source, list, perFile []scanners.Scanner,
	with inputContext, reads *contentBudget, verify bool, in *scanners.Input) {
	if ctx.Err() != nil {
		return // drain, so the listing can end
	}
	in.Attributes, in.Tree = with.attrs, with.tree
	if err := readContent(ctx, src, list, in, reads, verify); err != nil {
		cancel(err)
		return
	}
	res, err := scanners.Run(ctx, perFile, []*scanners.Input{in})
	if err != nil {
		return // ctx ended
	}
	if len(res.Findings) > 0 {
		p.added[in.Path] = directiveLines(in.Added)
	}
	if s := sensitiveLines(in, res.Findings); s != nil {
		p.sensitive = append(p.sensitive, s)
	}
	merge(p.res, res)
}

// readContent fills in.Content when a scanner in list needs the file
// whole: a new file from its added lines, any other through src.Read,
// within the change's budget. A file that is gone, too large, past the
// budget or (verify) not the change's new version keeps a nil Content and
// says why in in.Unread.
func readContent(ctx context.Context, src Source, list []scanners.Scanner, in *scanners.Input, reads *contentBudget, verify bool) error {
	if in.Content != nil || !scanners.NeedsContent(list, in.Path) {
		return nil
	}
	if b := in.ContentFromAdded(); b != nil {
		in.Content = b
		return nil
	}
	if reads.spent() {
		in.Unread = reads.err()
		return nil
	}
	b, err := src.Read(ctx, in.Path)
	switch {
	case errors.Is(err, platform.ErrNotFound), errors.Is(err, platform.ErrTooLarge):
		in.Unread = err
	case err != nil:
		return fmt.Errorf("reading %s at the head: %w", in.Path, err)
	case !reads.take(len(b)):
		in.Unread = reads.err()
	case verify && !holdsAdded(b, in.Added):
		in.Unread = errNotTheNewVersion
	default:
		in.Content = b
	}
	return nil
}

// errNotTheNewVersion is why a file read whole was not used (Verify).
var errNotTheNewVersion = errors.New("the file at hand is not the change's new version: an added line differs")

// holdsAdded reports whether b holds every added line at its number (line
// endings aside).
func holdsAdded(b []byte, added []scanners.Line) bool {
	line, rest := 1, string(b)
	for _, l := range added {
		for line < l.Number && rest != "" {
			_, rest, _ = strings.Cut(rest, "\n")
			line++
		}
		if line != l.Number {
			return false
		}
		text, _, _ := strings.Cut(rest, "\n")
		if strings.TrimSuffix(text, "\r") != strings.TrimSuffix(l.Text, "\r") {
			return false
		}
	}
	return true
}

// contentBudget counts the bytes of whole files read for one change.
type contentBudget struct {
	limit int // 0: unbounded
	mu    sync.Mutex
	used  int
}

func (b *contentBudget) spent() bool {
	if b.limit == 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used >= b.limit
}

// take counts n bytes, or refuses them (and every later file) past the
// limit.
func (b *contentBudget) take(n int) bool {
	if b.limit == 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		b.used = b.limit
		return false
	}
	b.used += n
	return true
}

func (b *contentBudget) err() error {
	return &scanners.BoundError{What: "bytes of whole files read for one change", Limit: int64(b.limit)}
}

// sensitiveLines is in reduced to the lines of its secrets (the spans of
// Sensitive findings), or nil when it has none: all Scrub needs to mask a
// secret elsewhere once the file is let go.
func sensitiveLines(in *scanners.Input, fs []scanners.Finding) *scanners.Input {
	var keep []scanners.Line
	for _, l := range in.Added {
		for i := range fs {
			f := &fs[i]
			if f.Sensitive && f.Location.Path == in.Path && l.Number >= f.Location.StartLine && l.Number <= f.Location.EndLine {
				keep = append(keep, scanners.Line{Number: l.Number, Text: strings.Clone(l.Text)})
				break
			}
		}
	}
	if keep == nil {
		return nil
	}
	return &scanners.Input{Path: in.Path, Added: keep}
}

// directiveLines keeps, of a file's added lines, those that may hold an
// inline suppression (suppress.Directive), cloned: all the policy step
// reads of them. Keeping every added line of each file with a finding
// would hold those files' whole part of the diff until the review ends
// (a line's text shares it), megabytes on a large change.
func directiveLines(added []scanners.Line) []scanners.Line {
	var keep []scanners.Line
	for _, l := range added {
		if strings.Contains(l.Text, suppress.Directive) {
			keep = append(keep, scanners.Line{Number: l.Number, Text: strings.Clone(l.Text)})
		}
	}
	return keep
}

// Input turns a listed file into a scanner input: nil when the file is
// deleted, binary or adds nothing. Deleted lines never reach a scanner.
func Input(f *diff.File) *scanners.Input {
	if f == nil || f.IsDelete || f.IsBinary {
		return nil
	}
	// The added lines are copied straight from the hunks (not through
	// f.Added, which would allocate a second slice of every line).
	n := 0
	for i := range f.Hunks {
		for j := range f.Hunks[i].Lines {
			if f.Hunks[i].Lines[j].Op == diff.Add {
				n++
			}
		}
	}
	if n == 0 {
		return nil
	}
	// The path is cloned because findings keep it, and a diff.File's strings
	// share (and so would keep alive) the file's whole part of the diff.
	in := &scanners.Input{Path: strings.Clone(f.NewPath), Added: make([]scanners.Line, 0, n), New: f.IsNew}
	for i := range f.Hunks {
		for j := range f.Hunks[i].Lines {
			if l := &f.Hunks[i].Lines[j]; l.Op == diff.Add {
				in.Added = append(in.Added, scanners.Line{Number: l.NewNumber, Text: l.Text})
			}
		}
	}
	return in
}

func emptyResult(list []scanners.Scanner) *scanners.Result {
	r := &scanners.Result{Statuses: make([]scanners.Status, len(list))}
	for i, s := range list {
		r.Statuses[i].Scanner = s.Name()
	}
	return r
}

// merge adds res's findings and per-scanner figures to acc (same scanners,
// same order).
func merge(acc, res *scanners.Result) {
	acc.Findings = append(acc.Findings, res.Findings...)
	for i, s := range res.Statuses {
		st := &acc.Statuses[i]
		st.Files += s.Files
		st.Findings += s.Findings
		st.Duration += s.Duration
		st.Errors = append(st.Errors, s.Errors...)
		st.Skipped += s.Skipped
		st.Cut += s.Cut
		for reason, n := range s.PassedOver {
			if st.PassedOver == nil {
				st.PassedOver = map[string]int{}
			}
			st.PassedOver[reason] += n
		}
		for note, n := range s.Notes {
			if st.Notes == nil {
				st.Notes = map[string]int{}
			}
			st.Notes[note] += n
		}
	}
}
