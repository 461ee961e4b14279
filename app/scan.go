package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/worker"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// ScanOptions configure a local scan (shiftward scan).
type ScanOptions struct {
	// Dir is the git work tree to review.
	Dir string
	// Base is the commit or tree to diff against ("empty" is the empty
	// tree: every file is added); empty means the merge-base of HEAD with
	// the default branch.
	Base string
	// All reviews every file of the work tree git tracks, and the
	// untracked ones it does not ignore, as if added: a baseline of the
	// whole repository rather than a change. Base and DiffFile are then
	// unused.
	All bool
	// DiffFile, when set, is scanned instead of running git ("-" is Stdin).
	DiffFile string
	// AllowEmpty accepts an empty DiffFile as "nothing changed"; without
	// it an empty diff is an error (the command that made it may have
	// failed).
	AllowEmpty bool
	Stdin      io.Reader
	// Format is "text" (the review) or "json" (the findings).
	Format string
	FailOn scanners.Severity
	// FailOnSet says FailOn was given explicitly; otherwise the
	// repository's fail_on (from .shiftward.yml at the base) wins.
	FailOnSet bool
	// Scanners, when set, names the only scanners to run.
	Scanners []string
}

// jsonFinding is the stable shape of `shiftward scan --format json`.
type jsonFinding struct {
	RuleID      string            `json:"rule_id"`
	Severity    scanners.Severity `json:"severity"`
	Path        string            `json:"path"`
	StartLine   int               `json:"start_line"`
	EndLine     int               `json:"end_line"`
	Message     string            `json:"message"`
	Fingerprint string            `json:"fingerprint"`
	Title       string            `json:"title"`
	Evidence    string            `json:"evidence,omitempty"`
	Fix         *scanners.Fix     `json:"fix,omitempty"`
	// Preexisting: already in a touched file, not introduced by the change.
	Preexisting bool `json:"preexisting,omitempty"`
}

// Exit codes of a local scan, a bit set: a review that fails on a finding
// and could not scan everything says both (3).
const (
	// ExitFindings: a finding reaches the failing severity.
	ExitFindings = 1
	// ExitIncomplete: part of the change (or all of it, on an error) could
	// not be scanned; the review is no pass whatever it found.
	ExitIncomplete = 2
)

// Scan reviews a local change and writes the review (or the findings as
// JSON) to out. It returns the exit code: ExitFindings when a finding
// reaches opt.FailOn, plus ExitIncomplete when part of the change could not
// be scanned (0 when neither; the error then wraps ErrIncomplete). Any other
// error means nothing trustworthy was reviewed (exit ExitIncomplete).
//
// The diff is streamed file by file, so memory stays bounded by the largest
// file however large the change.
func Scan(ctx context.Context, opt ScanOptions, out io.Writer) (int, error) {
	src, err := openDiff(ctx, opt)
	if err != nil {
		return ExitIncomplete, err
	}
	// What no one wrote by hand, as the base says (for a baseline, HEAD).
	var attrNotes []string
	if src.config != "" {
		src.attrs, attrNotes = gitAttributesAt(ctx, src.dir, src.config)
	}
	newScanners := func() ([]scanners.Scanner, error) {
		list, err := DefaultScanners()
		if err != nil || len(opt.Scanners) == 0 {
			return list, err
		}
		return only(list, opt.Scanners)
	}
	st, scanErr := scanStream(ctx, newScanners, src)
	src.r.Close()
	if err := src.wait(); err != nil {
		return ExitIncomplete, err
	}
	if scanErr != nil {
		return ExitIncomplete, scanErr
	}
	if err := src.checkRead(st.files, opt.AllowEmpty); err != nil {
		return ExitIncomplete, err
	}
	res, hunks, added := st.res, st.hunks, st.added

	// The repository's configuration, as the server would read it: from
	// the base of the change (for a baseline, from HEAD).
	repo, problems := config.DefaultSettings(), []string(nil)
	if src.config != "" {
		show := exec.CommandContext(ctx, "git", "-C", src.dir, "show", src.config+":"+config.RepoFile)
		if data, err := show.Output(); err == nil {
			var ps []config.Problem
			repo, ps = config.ParseSettings(config.RepoFile, []byte(data))
			for _, p := range ps {
				problems = append(problems, scanners.Redact(st.list, p.String()))
			}
		}
	}
	ropt := comments.Options{Flavor: comments.GitHub, FailOn: opt.FailOn, Problems: problems, Notes: attrNotes}
	worker.ApplyRepoConfig(repo, res, added, &ropt, time.Now())
	if opt.FailOnSet {
		ropt.FailOn = opt.FailOn
	}
	for i, n := range ropt.Notes {
		ropt.Notes[i] = scanners.Redact(st.list, n)
	}
	review := comments.Build(res, hunks, ropt)
	switch opt.Format {
	case "json":
		findings := make([]jsonFinding, 0, len(res.Findings))
		for _, f := range res.Findings {
			findings = append(findings, jsonFinding{
				RuleID: f.RuleID, Severity: f.Severity, Path: f.Location.Path,
				StartLine: f.Location.StartLine, EndLine: f.Location.EndLine,
				Message: f.Message, Fingerprint: f.Fingerprint(), Title: f.Title,
				Evidence: f.Evidence, Fix: f.Fix, Preexisting: f.Preexisting,
			})
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(struct {
			Findings   []jsonFinding       `json:"findings"`
			Conclusion comments.Conclusion `json:"conclusion"`
			Incomplete []string            `json:"incomplete,omitempty"`
			Problems   []string            `json:"problems,omitempty"`
			Notes      []string            `json:"notes,omitempty"`
			Skipped    []string            `json:"skipped,omitempty"`
		}{findings, review.Conclusion, review.Incomplete, ropt.Problems, ropt.Notes, review.Skipped})
	default:
		files := "files"
		if len(hunks) == 1 {
			files = "file"
		}
		if src.baseline {
			_, err = fmt.Fprintf(out, "Reviewed %s: %d %s, every line as if added.\n\n%s", src.what, len(hunks), files, review.Text())
		} else {
			_, err = fmt.Fprintf(out, "Reviewed %s: %d changed %s with added lines.\n\n%s", src.what, len(hunks), files, review.Text())
		}
		for _, p := range ropt.Problems {
			fmt.Fprintf(out, "problem: %s\n", p)
		}
		for _, n := range ropt.Notes {
			fmt.Fprintf(out, "note: %s\n", n)
		}
	}
	if err != nil {
		return ExitIncomplete, err
	}
	code := 0
	if review.Conclusion == comments.Failure {
		code |= ExitFindings
	}
	if n := len(review.Incomplete); n > 0 {
		// Not everything was looked at: that is no pass, and a failing
		// finding must not hide it.
		return code | ExitIncomplete, fmt.Errorf("%w: %d part(s) of the change could not be scanned (see the review)", ErrIncomplete, n)
	}
	return code, nil
}

// ErrIncomplete is wrapped by Scan's error when the review was made but
// part of the change could not be scanned; the exit code then still says
// whether a finding failed it.
var ErrIncomplete = errors.New("scan incomplete")

// only keeps the scanners named in names, in list's order; a name no scanner
// has is an error naming the ones there are.
func only(list []scanners.Scanner, names []string) ([]scanners.Scanner, error) {
	var out []scanners.Scanner
	var all []string
	for _, s := range list {
		all = append(all, s.Name())
		if slices.Contains(names, s.Name()) {
			out = append(out, s)
		}
	}
	for _, n := range names {
		if !slices.Contains(all, n) {
			return nil, fmt.Errorf("--scanners: no scanner %q (there are %s)", n, strings.Join(all, ", "))
		}
	}
	return out, nil
}

// streamed is what scanStream keeps of a change: the findings, each file's
// hunk ranges (for inline placement), the added lines of files with
// findings (for inline shiftward:ignore), the scanners that ran, and how
// many files the diff held.
type streamed struct {
	res   *scanners.Result
	hunks hunkIndex
	added map[string][]scanners.Line
	list  []scanners.Scanner
	files int
}

// scanStream scans each file of the diff as it is read, keeping only the
// findings and each file's hunk ranges (for inline placement). One goroutine
// reads and parses the diff while GOMAXPROCS others scan, with a small
// bounded hand-over between them, so memory stays bounded by a few files.
// Untracked files of a work tree follow the diff, as new files.
//
// The scanners are built by newScanners while the diff is already being
// read: compiling hundreds of rules then costs no wall time.
func scanStream(ctx context.Context, newScanners func() ([]scanners.Scanner, error), src *source) (*streamed, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	files := make(chan *scanners.Input, 2*workers)
	hunks := hunkIndex{}
	var gaps, feedGaps []error
	var readErr error
	nfiles := 0
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(files)
		gaps, nfiles, readErr = readDiff(ctx, diff.NewReader(src.r), hunks, files)
		if readErr == nil && src.untracked != nil {
			feedGaps, readErr = src.untracked(ctx, hunks, files)
		}
	}()

	list, err := newScanners()
	if err != nil {
		cancel()
		for range files {
		}
		<-readDone
		return nil, err
	}
	read := src.read
	// Scanners that see a change at once (dependencies: one advisory query)
	// get, while the diff streams, a stand-in that keeps their inputs; they
	// run over all of them at the end.
	perFile := slices.Clone(list)
	var batches []*collector
	for i, sc := range list {
		if b, ok := sc.(scanners.BatchScanner); ok {
			c := &collector{b: b, index: i, budget: worker.MaxJobContentBytes}
			perFile[i] = c
			batches = append(batches, c)
		}
	}
	results := make([]*scanners.Result, workers)
	// The added lines of files with findings, for inline shiftward:ignore.
	addedBy := make([]map[string][]scanners.Line, workers)
	// Work-tree files a scanner needed whole but that could not be read.
	readErrs := make([][]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := emptyResult(list)
			added := map[string][]scanners.Line{}
			for in := range files {
				in.Attributes = src.attrs
				one := []*scanners.Input{in}
				read := read
				if src.verify {
					read = matching(read, in)
				}
				if err := worker.Contents(ctx, list, one, read); err != nil {
					readErrs[w] = append(readErrs[w], err)
				}
				res, err := scanners.Run(ctx, perFile, one)
				if err != nil {
					continue // ctx cancelled: drain
				}
				if len(res.Findings) > 0 {
					added[in.Path] = in.Added
				}
				merge(acc, res)
			}
			results[w], addedBy[w] = acc, added
		}()
	}
	wg.Wait()
	<-readDone
	if readErr != nil {
		return nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all := emptyResult(list)
	added := map[string][]scanners.Line{}
	for w, res := range results {
		merge(all, res)
		maps.Copy(added, addedBy[w])
	}
	var batchInputs []*scanners.Input
	for _, c := range batches {
		batchInputs = append(batchInputs, c.inputs...)
	}
	for _, c := range batches {
		res, err := scanners.Run(ctx, []scanners.Scanner{c.b}, c.inputs)
		if err != nil {
			return nil, err
		}
		st := &all.Statuses[c.index]
		st.Findings += res.Statuses[0].Findings
		st.Duration += res.Statuses[0].Duration
		st.Errors = append(st.Errors, res.Statuses[0].Errors...)
		st.Errors = append(st.Errors, c.dropped...)
		all.Findings = append(all.Findings, res.Findings...)
		for _, f := range res.Findings {
			for _, in := range c.inputs {
				if in.Path == f.Location.Path {
					added[in.Path] = in.Added
				}
			}
		}
	}
	// The batch scanners' findings were made apart from the secrets found
	// in the same files: keep those secrets out of them too.
	if len(batchInputs) > 0 {
		scanners.Scrub(all.Findings, batchInputs)
		scanners.ScrubStatuses(all, list, batchInputs)
	}
	if len(gaps) > 0 {
		all.Statuses = append(all.Statuses, scanners.Status{Scanner: "diff", Errors: gaps})
	}
	if errs := slices.Concat(append(readErrs, feedGaps)...); len(errs) > 0 {
		all.Statuses = append(all.Statuses, scanners.Status{Scanner: "files", Errors: errs})
	}
	scanners.Sort(all.Findings)
	return &streamed{res: all, hunks: hunks, added: added, list: list, files: nfiles}, nil
}

// collector stands in for a batch scanner while a diff streams: it keeps
// the inputs the scanner wants (whole files read for it) for one batch at
// the end, up to budget bytes of them (a whole-repository scan may meet
// hundreds of lockfiles); the files past it are reported not scanned.
type collector struct {
	// b is a field, not embedded: the collector must not itself be a
	// BatchScanner, or Run would hand it the file batch.
	b      scanners.BatchScanner
	index  int
	budget int
	mu     sync.Mutex
	used   int
	inputs []*scanners.Input
	// dropped are the files not kept, past budget.
	dropped []error
}

func (c *collector) Name() string           { return c.b.Name() }
func (c *collector) Wants(path string) bool { return c.b.Wants(path) }

func (c *collector) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	size := len(in.Content)
	for _, l := range in.Added {
		size += len(l.Text)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used+size > c.budget {
		c.dropped = append(c.dropped, &scanners.FileError{Path: in.Path, Err: &scanners.BoundError{
			What: "bytes of files held for one " + c.b.Name() + " batch", Limit: int64(c.budget)}})
		return nil, nil
	}
	c.used += size
	c.inputs = append(c.inputs, in)
	return nil, nil
}

// NeedsContent passes through, so whole files are read for the scanner.
func (c *collector) NeedsContent(path string) bool {
	cs, ok := c.b.(scanners.ContentScanner)
	return ok && cs.NeedsContent(path)
}

// readDiff feeds the scanner inputs of each file to out. A file the reader
// cannot parse (or that is too large) is a gap in the scan, reported, not a
// reason to stop; an error that repeats is the stream itself failing.
func readDiff(ctx context.Context, dr *diff.Reader, hunks hunkIndex, out chan<- *scanners.Input) (gaps []error, files int, err error) {
	var last error
	for {
		f, err := dr.Next()
		switch {
		case errors.Is(err, io.EOF):
			return gaps, files, nil
		case err != nil && last != nil && err.Error() == last.Error():
			return gaps, files, fmt.Errorf("reading diff: %w", err)
		case err != nil:
			last = err
			gaps = append(gaps, err)
			files++
			continue
		}
		last = nil
		files++
		in := worker.Input(f)
		if in == nil {
			continue
		}
		hunks.add(f)
		select {
		case out <- in:
		case <-ctx.Done():
			return gaps, files, ctx.Err()
		}
	}
}

func emptyResult(list []scanners.Scanner) *scanners.Result {
	r := &scanners.Result{Statuses: make([]scanners.Status, len(list))}
	for i, s := range list {
		r.Statuses[i].Scanner = s.Name()
	}
	return r
}

// merge adds res's findings and per-scanner figures to acc (same scanners).
func merge(acc, res *scanners.Result) {
	acc.Findings = append(acc.Findings, res.Findings...)
	for i, s := range res.Statuses {
		st := &acc.Statuses[i]
		st.Files += s.Files
		st.Findings += s.Findings
		st.Duration += s.Duration
		st.Errors = append(st.Errors, s.Errors...)
		st.Skipped += s.Skipped
	}
}

// hunkIndex keeps only the new-side line ranges of each file's hunks: what
// inline placement needs, without holding the diff text.
type hunkIndex map[string][][2]int

func (x hunkIndex) add(f *diff.File) {
	// The path is cloned: a diff.File's strings share its part of the diff,
	// and a map key that is a substring would keep every file's text alive.
	path := strings.Clone(f.NewPath)
	for _, h := range f.Hunks {
		if h.NewLines > 0 {
			x[path] = append(x[path], [2]int{h.NewStart, h.NewStart + h.NewLines - 1})
		}
	}
}

// Commentable reports whether path:line lies in a hunk.
func (x hunkIndex) Commentable(path string, line int) bool {
	for _, r := range x[path] {
		if line >= r[0] && line <= r[1] {
			return true
		}
	}
	return false
}

// source is the diff a local scan reads.
type source struct {
	r io.ReadCloser
	// what names it for the report.
	what string
	// dir and base are the repository and the commit (or tree) compared
	// against; base is empty for a diff file and a baseline.
	dir, base string
	// config is the revision .shiftward.yml is read at: the base of a
	// change, HEAD for a baseline (the empty tree has none); empty for a
	// diff file.
	config string
	// baseline says every file is reviewed as if added (--all).
	baseline bool
	// attrs are the .gitattributes read at config (gitAttributesAt).
	attrs *scanners.GitAttributes
	// wait waits for the git process (if any) and reports its failure.
	wait func() error
	// read reads a file of the new version (the work tree).
	read worker.ReadFunc
	// verify says read's files may not be the diff's new version (a diff
	// handed in, read beside a work tree): a file is used only when every
	// line the diff adds is in it, at its line.
	verify bool
	// untracked, when set, feeds the work tree's untracked files (those
	// git does not ignore; for a baseline, the tracked ones too) as new
	// files once the diff is read. What it could not feed goes to the
	// "files" status.
	untracked func(ctx context.Context, hunks hunkIndex, out chan<- *scanners.Input) ([]error, error)
	// given counts the bytes of a diff handed in (a file, stdin); nil
	// when git makes the diff.
	given *countingReader
}

// checkRead refuses a handed-in diff that reviewed nothing: an empty one
// (the command that made it failed, or named a ref that does not exist)
// or one that is not a unified diff at all. Either would otherwise read as
// "no findings". A diff git made for the work tree may be empty: then
// nothing changed.
func (s *source) checkRead(files int, allowEmpty bool) error {
	switch {
	case s.given == nil || files > 0 || (allowEmpty && s.given.n == 0):
		return nil
	case s.given.n == 0:
		return fmt.Errorf("%s is empty: nothing was reviewed (did the command that made it fail? --allow-empty accepts it)", s.what)
	default:
		return fmt.Errorf("%s is not a unified diff: %d bytes without a single file header (\"diff --git\" or \"---\"/\"+++\")", s.what, s.given.n)
	}
}

// countingReader counts what passes through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// openDiff starts reading the diff to scan.
func openDiff(ctx context.Context, opt ScanOptions) (*source, error) {
	noWait := func() error { return nil }
	dir := opt.Dir
	if dir == "" {
		dir = "."
	}
	switch opt.DiffFile {
	case "":
	case "-":
		c := &countingReader{r: bufio.NewReaderSize(opt.Stdin, 1<<16)}
		return &source{r: io.NopCloser(c), given: c, what: "the diff on standard input", wait: noWait, read: workTreeReader(dir), verify: true}, nil
	default:
		f, err := os.Open(opt.DiffFile)
		if err != nil {
			return nil, err
		}
		c := &countingReader{r: f}
		return &source{r: struct {
			io.Reader
			io.Closer
		}{c, f}, given: c, what: opt.DiffFile, wait: noWait, read: workTreeReader(dir), verify: true}, nil
	}

	if _, err := git(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		return nil, fmt.Errorf("%s is not a git repository", dir)
	}
	if opt.All {
		return openAll(ctx, dir), nil
	}
	base, baseName := opt.Base, opt.Base
	configRev := ""
	if base == "empty" || base == EmptyTree {
		// The empty tree has no .shiftward.yml: a baseline is reviewed
		// under the repository's own, at HEAD, as --all is.
		base, baseName, configRev = EmptyTree, "the empty tree", "HEAD"
	}
	if base == "" {
		def, err := defaultBranch(ctx, dir)
		if err != nil {
			return nil, err
		}
		mb, err := git(ctx, dir, "merge-base", "HEAD", def)
		if err != nil {
			return nil, fmt.Errorf("no merge-base between HEAD and %s: pass --base REF", def)
		}
		base, baseName = mb, "the merge-base with "+def
	} else if base != EmptyTree {
		// Any commit or tree: git diff compares a tree with the work tree
		// as it does a commit. The empty tree needs no check: git knows
		// it even in a repository that has never stored it.
		if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", base+"^{tree}"); err != nil {
			return nil, fmt.Errorf("--base %s: no such commit or tree", base)
		}
	}
	if configRev == "" {
		configRev = base
	}

	// Working tree against base: committed and uncommitted changes alike,
	// as a reviewer would see them once pushed.
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "diff", "--no-color", "--no-ext-diff",
		"--src-prefix=a/", "--dst-prefix=b/", "-M", base, "--")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running git: %w", err)
	}
	wait := func() error {
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("git diff: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		return nil
	}
	what := fmt.Sprintf("%s against %s (%.7s), work tree included", dir, baseName, base)
	if base == baseName {
		what = fmt.Sprintf("%s against %s, work tree included", dir, base)
	}
	read := workTreeReader(dir)
	return &source{r: out, what: what, dir: dir, base: base, config: configRev, wait: wait, read: read,
		untracked: func(ctx context.Context, hunks hunkIndex, out chan<- *scanners.Input) ([]error, error) {
			// `git diff` leaves untracked files out, but they are part of
			// the change a push would make once added.
			return workTreeFiles(ctx, dir, read, hunks, out, "--others", "--exclude-standard")
		}}, nil
}

// matching reads through read only a file whose lines at in's added line
// numbers are in's added lines: the new version the diff describes. A
// file that differs is not at hand (Contents then leaves it unread).
func matching(read worker.ReadFunc, in *scanners.Input) worker.ReadFunc {
	return func(ctx context.Context, path string) ([]byte, error) {
		b, err := read(ctx, path)
		if err != nil {
			return nil, err
		}
		lines := strings.Split(string(b), "\n")
		for _, l := range in.Added {
			if l.Number > len(lines) || strings.TrimSuffix(lines[l.Number-1], "\r") != strings.TrimSuffix(l.Text, "\r") {
				return nil, fmt.Errorf("%w: the work tree's %s is not the diff's new version (line %d differs)", platform.ErrNotFound, path, l.Number)
			}
		}
		return b, nil
	}
}

// newFileInput is the scanner input of a new file with content b, or nil
// for an empty or binary file (a NUL byte in its first 8000 bytes, git's
// own test).
func newFileInput(path string, b []byte) *scanners.Input {
	if len(b) == 0 || bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0 {
		return nil
	}
	text := strings.TrimSuffix(string(b), "\n")
	lines := strings.Split(text, "\n")
	in := &scanners.Input{Path: path, New: true, Content: b, Added: make([]scanners.Line, len(lines))}
	for i, l := range lines {
		in.Added[i] = scanners.Line{Number: i + 1, Text: strings.TrimSuffix(l, "\r")}
	}
	return in
}

// errTooLarge is a work-tree file over the bound a read from a code host has.
var errTooLarge = fmt.Errorf("%w: over %d MiB, the most one file read may hold", hostapi.ErrTooLarge, hostapi.MaxContentBytes>>20)

// workTreeReader reads files of the work tree, the new version a local scan
// reviews, capped like a read from a code host.
func workTreeReader(dir string) worker.ReadFunc {
	return func(_ context.Context, path string) ([]byte, error) {
		// The path comes from a diff, which may be anyone's: it must name
		// a regular file inside the work tree. os.Root keeps "..", absolute
		// paths and symlinks from leading out of it; a symlink, FIFO or
		// device inside is not read either (a FIFO would block the scan).
		name := filepath.FromSlash(path)
		if !filepath.IsLocal(name) {
			return nil, fmt.Errorf("%w: %q is not a path inside the work tree", platform.ErrNotFound, path)
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		st, err := root.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%w in the work tree", platform.ErrNotFound)
		case err != nil:
			return nil, fmt.Errorf("%w: %v", platform.ErrNotFound, err)
		case !st.Mode().IsRegular():
			return nil, fmt.Errorf("%w: %s is not a regular file in the work tree", platform.ErrNotFound, path)
		case st.Size() > hostapi.MaxContentBytes:
			return nil, errTooLarge
		}
		f, err := root.Open(name)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", platform.ErrNotFound, err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, hostapi.MaxContentBytes+1))
		if err != nil {
			return nil, err
		}
		if len(b) > hostapi.MaxContentBytes {
			return nil, errTooLarge
		}
		return b, nil
	}
}

// defaultBranch names the branch a change would merge into: origin's HEAD,
// else the first of origin/main, origin/master, main, master that exists.
func defaultBranch(ctx context.Context, dir string) (string, error) {
	if ref, err := git(ctx, dir, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil && ref != "" {
		return ref, nil
	}
	for _, ref := range []string{"origin/main", "origin/master", "main", "master"} {
		if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err == nil {
			return ref, nil
		}
	}
	return "", errors.New("cannot tell the default branch (no origin/HEAD, main or master): pass --base REF")
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).Output()
	return strings.TrimSpace(string(out)), err
}
