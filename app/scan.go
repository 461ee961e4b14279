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
	// Base is the ref to diff against; empty means the merge-base of HEAD
	// with the default branch.
	Base string
	// DiffFile, when set, is scanned instead of running git ("-" is Stdin).
	DiffFile string
	Stdin    io.Reader
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

// Scan reviews a local change and writes the review (or the findings as
// JSON) to out. It returns 1 when a finding reaches opt.FailOn, else 0.
//
// The diff is streamed file by file, so memory stays bounded by the largest
// file however large the change.
func Scan(ctx context.Context, opt ScanOptions, out io.Writer) (int, error) {
	src, err := openDiff(ctx, opt)
	if err != nil {
		return 2, err
	}
	newScanners := func() ([]scanners.Scanner, error) {
		list, err := DefaultScanners()
		if err != nil || len(opt.Scanners) == 0 {
			return list, err
		}
		return only(list, opt.Scanners)
	}
	res, hunks, added, scanErr := scanStream(ctx, newScanners, src.r, src.read)
	src.r.Close()
	if err := src.wait(); err != nil {
		return 2, err
	}
	if scanErr != nil {
		return 2, scanErr
	}

	// The repository's configuration, as the server would read it: from
	// the base of the change.
	repo, problems := config.DefaultRepo(), []string(nil)
	if src.base != "" {
		show := exec.CommandContext(ctx, "git", "-C", src.dir, "show", src.base+":"+config.RepoFile)
		if data, err := show.Output(); err == nil {
			var ps []config.Problem
			repo, ps = config.ParseRepo(config.RepoFile, []byte(data))
			for _, p := range ps {
				problems = append(problems, p.String())
			}
		}
	}
	ropt := comments.Options{Flavor: comments.GitHub, FailOn: opt.FailOn, Problems: problems}
	worker.ApplyRepoConfig(repo, res, added, &ropt, time.Now())
	if opt.FailOnSet {
		ropt.FailOn = opt.FailOn
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
		}{findings, review.Conclusion, review.Incomplete, ropt.Problems, ropt.Notes})
	default:
		files := "files"
		if len(hunks) == 1 {
			files = "file"
		}
		_, err = fmt.Fprintf(out, "Reviewed %s: %d changed %s with added lines.\n\n%s", src.what, len(hunks), files, review.Text())
		for _, p := range ropt.Problems {
			fmt.Fprintf(out, "problem: %s\n", p)
		}
		for _, n := range ropt.Notes {
			fmt.Fprintf(out, "note: %s\n", n)
		}
	}
	if err != nil {
		return 2, err
	}
	if review.Conclusion == comments.Failure {
		return 1, nil
	}
	if len(review.Incomplete) > 0 {
		// Nothing failing was found, but not everything was looked at:
		// that is no pass.
		return 2, fmt.Errorf("scan incomplete: %d part(s) of the change could not be scanned (see the review)", len(review.Incomplete))
	}
	return 0, nil
}

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

// scanStream scans each file of the diff as it is read, keeping only the
// findings and each file's hunk ranges (for inline placement). One goroutine
// reads and parses the diff while GOMAXPROCS others scan, with a small
// bounded hand-over between them, so memory stays bounded by a few files.
//
// The scanners are built by newScanners while the diff is already being
// read: compiling hundreds of rules then costs no wall time.
func scanStream(ctx context.Context, newScanners func() ([]scanners.Scanner, error), r io.Reader, read worker.ReadFunc) (*scanners.Result, hunkIndex, map[string][]scanners.Line, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	files := make(chan *scanners.Input, 2*workers)
	hunks := hunkIndex{}
	var gaps []error
	var readErr error
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(files)
		gaps, readErr = readDiff(ctx, diff.NewReader(r), hunks, files)
	}()

	list, err := newScanners()
	if err != nil {
		cancel()
		for range files {
		}
		<-readDone
		return nil, nil, nil, err
	}
	// Scanners that see a change at once (dependencies: one advisory query)
	// get, while the diff streams, a stand-in that keeps their inputs; they
	// run over all of them at the end.
	perFile := slices.Clone(list)
	var batches []*collector
	for i, sc := range list {
		if b, ok := sc.(scanners.BatchScanner); ok {
			c := &collector{b: b, index: i}
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
				one := []*scanners.Input{in}
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
		return nil, nil, nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
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
			return nil, nil, nil, err
		}
		st := &all.Statuses[c.index]
		st.Findings += res.Statuses[0].Findings
		st.Duration += res.Statuses[0].Duration
		st.Errors = append(st.Errors, res.Statuses[0].Errors...)
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
	}
	if len(gaps) > 0 {
		all.Statuses = append(all.Statuses, scanners.Status{Scanner: "diff", Errors: gaps})
	}
	if errs := slices.Concat(readErrs...); len(errs) > 0 {
		all.Statuses = append(all.Statuses, scanners.Status{Scanner: "files", Errors: errs})
	}
	scanners.Sort(all.Findings)
	return all, hunks, added, nil
}

// collector stands in for a batch scanner while a diff streams: it keeps
// the inputs the scanner wants (whole files read for it) for one batch at
// the end.
type collector struct {
	// b is a field, not embedded: the collector must not itself be a
	// BatchScanner, or Run would hand it the file batch.
	b      scanners.BatchScanner
	index  int
	mu     sync.Mutex
	inputs []*scanners.Input
}

func (c *collector) Name() string           { return c.b.Name() }
func (c *collector) Wants(path string) bool { return c.b.Wants(path) }

func (c *collector) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	c.mu.Lock()
	c.inputs = append(c.inputs, in)
	c.mu.Unlock()
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
func readDiff(ctx context.Context, dr *diff.Reader, hunks hunkIndex, out chan<- *scanners.Input) ([]error, error) {
	var gaps []error
	var last error
	for {
		f, err := dr.Next()
		switch {
		case errors.Is(err, io.EOF):
			return gaps, nil
		case err != nil && last != nil && err.Error() == last.Error():
			return gaps, fmt.Errorf("reading diff: %w", err)
		case err != nil:
			last = err
			gaps = append(gaps, err)
			continue
		}
		last = nil
		in := worker.Input(f)
		if in == nil {
			continue
		}
		hunks.add(f)
		select {
		case out <- in:
		case <-ctx.Done():
			return gaps, ctx.Err()
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
	// dir and base are the repository and the commit compared against;
	// base is empty for a diff file.
	dir, base string
	// wait waits for the git process (if any) and reports its failure.
	wait func() error
	// read reads a file of the new version (the work tree); nil for a
	// diff file, whose new version is not at hand.
	read worker.ReadFunc
}

// openDiff starts reading the diff to scan.
func openDiff(ctx context.Context, opt ScanOptions) (*source, error) {
	noWait := func() error { return nil }
	switch opt.DiffFile {
	case "":
	case "-":
		return &source{r: io.NopCloser(bufio.NewReaderSize(opt.Stdin, 1<<16)), what: "the diff on standard input", wait: noWait}, nil
	default:
		f, err := os.Open(opt.DiffFile)
		if err != nil {
			return nil, err
		}
		return &source{r: f, what: opt.DiffFile, wait: noWait}, nil
	}

	dir := opt.Dir
	if dir == "" {
		dir = "."
	}
	if _, err := git(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		return nil, fmt.Errorf("%s is not a git repository", dir)
	}
	base, baseName := opt.Base, opt.Base
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
	} else if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", base+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--base %s: no such commit", base)
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
	return &source{r: out, what: what, dir: dir, base: base, wait: wait, read: workTreeReader(dir)}, nil
}

// workTreeReader reads files of the work tree, the new version a local scan
// reviews, capped like a read from a code host.
func workTreeReader(dir string) worker.ReadFunc {
	return func(_ context.Context, path string) ([]byte, error) {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(path)))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, platform.ErrNotFound
		} else if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, hostapi.MaxContentBytes+1))
		if err != nil {
			return nil, err
		}
		if len(b) > hostapi.MaxContentBytes {
			return nil, hostapi.ErrTooLarge
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
