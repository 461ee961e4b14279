package app

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/report"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/app/secretverify"
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
	// Format is "text" (the review), "json" (the findings), "sarif"
	// (SARIF 2.1.0), "junit" (JUnit XML) or "gitlab" (GitLab's three
	// security reports, written as files into OutputDir).
	Format string
	// OutputDir is where the "gitlab" format writes its files (default:
	// the current directory).
	OutputDir string
	FailOn    scanners.Severity
	// FailOnSet says FailOn was given explicitly; otherwise the
	// repository's fail_on (from .shiftward.yml at the base) wins.
	FailOnSet bool
	// Scanners, when set, names the only scanners to run.
	Scanners []string
	// SecretChecks checks secrets with their providers when the
	// repository's .shiftward.yml asks (scanners.secrets.verify: true).
	// Nil: Scan builds one from the environment (SHIFTWARD_SECRETS_VERIFY,
	// off refusing; SHIFTWARD_GITHUB_API_URL and SHIFTWARD_GITLAB_URL
	// naming the instances checked).
	SecretChecks *secretverify.Checker
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
	// Verification: what the secret's provider answered (verified,
	// invalid, unknown), when the repository asked for checks.
	Verification scanners.Verification `json:"verification,omitempty"`
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
// It runs the review pipeline the worker runs (review.Run), with the
// repository's policy read at the base, so a local scan and the pull
// request's review agree. The diff is streamed file by file, so memory
// stays bounded by a few files however large the change.
func Scan(ctx context.Context, opt ScanOptions, out io.Writer) (int, error) {
	if !slices.Contains(Formats, opt.Format) {
		return ExitIncomplete, fmt.Errorf("--format %q: want one of %s", opt.Format, strings.Join(Formats, ", "))
	}
	started := time.Now()
	list, err := DefaultScannersNamed(opt.Scanners)
	if err != nil {
		return ExitIncomplete, err
	}
	checks := opt.SecretChecks
	if checks == nil {
		if checks, err = localSecretChecks(os.Getenv); err != nil {
			return ExitIncomplete, err
		}
	}
	src, err := openDiff(ctx, opt)
	if err != nil {
		return ExitIncomplete, err
	}
	customize := VerifyingCustomize(checks)
	res, runErr := review.Run(ctx, src.reviewed(), review.Options{
		Scanners: list,
		Customize: func(list []scanners.Scanner, p *review.Policy) ([]scanners.Scanner, []string) {
			return customize(list, p, nil)
		},
		Review:     comments.Options{Flavor: comments.GitHub, FailOn: opt.FailOn},
		KeepFailOn: opt.FailOnSet,
		Inline:     true,
		Verify:     src.verify,
	})
	if err := src.close(); err != nil {
		return ExitIncomplete, err
	}
	if runErr != nil {
		return ExitIncomplete, runErr
	}
	if err := src.checkRead(res.Files, opt.AllowEmpty); err != nil {
		return ExitIncomplete, err
	}
	if err := writeReview(ctx, out, opt, src, res, list, started); err != nil {
		return ExitIncomplete, err
	}
	code := 0
	if res.Review.Conclusion == comments.Failure {
		code |= ExitFindings
	}
	if n := len(res.Review.Incomplete); n > 0 {
		// Not everything was looked at: that is no pass, and a failing
		// finding must not hide it.
		return code | ExitIncomplete, fmt.Errorf("%w: %d part(s) of the change could not be scanned (see the review)", ErrIncomplete, n)
	}
	return code, nil
}

// localSecretChecks is the secret checker of a local scan, from the
// environment: nil when SHIFTWARD_SECRETS_VERIFY is off.
func localSecretChecks(getenv func(string) string) (*secretverify.Checker, error) {
	on, err := config.SecretsVerifyFromEnv(getenv)
	if err != nil || !on {
		return nil, err
	}
	return secretverify.New(secretverify.Options{
		GitHubAPIURL: getenv(config.EnvGitHubAPIURL), GitLabURL: getenv(config.EnvGitLabURL),
	}), nil
}

// Formats are the outputs of a local scan.
var Formats = []string{"text", "json", "sarif", "junit", "gitlab"}

// writeReview writes the review as text, its findings as JSON, or a
// report CI reads (SARIF, JUnit, GitLab's security reports).
func writeReview(ctx context.Context, out io.Writer, opt ScanOptions, src *source, res *review.Outcome, list []scanners.Scanner, started time.Time) error {
	rv := res.Review
	switch opt.Format {
	case "sarif", "junit", "gitlab":
		run := &report.Run{
			Version: Version, Rules: scanners.Rules(list),
			Findings: rv.Findings, Preexisting: rv.Preexisting,
			Statuses: res.Result.Statuses, Problems: res.Problems,
			Commit: headCommit(ctx, src, opt.Dir),
			Start:  started, End: time.Now(),
		}
		switch opt.Format {
		case "sarif":
			return report.SARIF(out, run)
		case "junit":
			return report.JUnit(out, run)
		}
		return writeGitLab(out, cmp.Or(opt.OutputDir, "."), run)
	}
	if opt.Format == "json" {
		findings := make([]jsonFinding, 0, len(res.Result.Findings))
		for _, f := range res.Result.Findings {
			findings = append(findings, jsonFinding{
				RuleID: f.RuleID, Severity: f.Severity, Path: f.Location.Path,
				StartLine: f.Location.StartLine, EndLine: f.Location.EndLine,
				Message: f.Message, Fingerprint: f.Fingerprint(), Title: f.Title,
				Evidence: f.Evidence, Fix: f.Fix, Preexisting: f.Preexisting, Verification: f.Verification,
			})
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Findings   []jsonFinding       `json:"findings"`
			Conclusion comments.Conclusion `json:"conclusion"`
			Incomplete []string            `json:"incomplete,omitempty"`
			Problems   []string            `json:"problems,omitempty"`
			Notes      []string            `json:"notes,omitempty"`
			Skipped    []string            `json:"skipped,omitempty"`
		}{findings, rv.Conclusion, rv.Incomplete, res.Problems, res.Notes, rv.Skipped})
	}
	files := "files"
	if res.Reviewed == 1 {
		files = "file"
	}
	how := "changed " + files + " with added lines"
	if src.baseline {
		how = files + ", every line as if added"
	}
	if _, err := fmt.Fprintf(out, "Reviewed %s: %d %s.\n\n%s", src.what, res.Reviewed, how, rv.Text()); err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(out, "problem: %s\n", p)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(out, "note: %s\n", n)
	}
	return nil
}

// writeGitLab writes the three GitLab security reports into dir, each
// whole or not at all (written beside, then renamed), and says so on out.
func writeGitLab(out io.Writer, dir string, run *report.Run) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range report.GitLabKinds {
		var b bytes.Buffer
		if err := report.GitLab(&b, run, k); err != nil {
			return err
		}
		path := filepath.Join(dir, k.File())
		tmp, err := os.CreateTemp(dir, "."+k.File()+".*")
		if err != nil {
			return err
		}
		_, err = tmp.Write(b.Bytes())
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		fmt.Fprintf(out, "wrote %s\n", path)
	}
	return nil
}

// headCommit is the commit a local scan's work tree is at (HEAD), what
// GitLab's secret detection report names; empty when there is none (a
// diff handed in outside a repository, a repository with no commit).
func headCommit(ctx context.Context, src *source, dir string) string {
	if src.dir != "" {
		dir = src.dir
	}
	if dir == "" {
		dir = "."
	}
	sha, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	if err != nil {
		return ""
	}
	return sha
}

// ErrIncomplete is wrapped by Scan's error when the review was made but
// part of the change could not be scanned; the exit code then still says
// whether a finding failed it.
var ErrIncomplete = errors.New("scan incomplete")

// source is a local change as the review pipeline reads it: a diff (git's
// of the work tree against a base, or one handed in), then the untracked
// files, read from the work tree.
type source struct {
	r io.ReadCloser
	// what names it for the report.
	what string
	// dir and base are the repository and the commit (or tree) compared
	// against; base is empty for a diff file and a baseline.
	dir, base string
	// config is the revision the policy (.shiftward.yml, .gitattributes,
	// .gitleaks.toml) is read at: the base of a change, HEAD for a
	// baseline; empty for a diff file (the defaults apply).
	config string
	// baseline says every file is reviewed as if added (--all).
	baseline bool
	// wait waits for the git process (if any) and reports its failure.
	wait func() error
	// read reads a file of the new version (the work tree).
	read readFunc
	// verify says read's files may not be the diff's new version (a diff
	// handed in, read beside a work tree): the pipeline uses a file only
	// when every line the diff adds is in it, at its line.
	verify bool
	// lsArgs, when set, are the `git ls-files` arguments of the files fed
	// as new once the diff is read: the untracked ones git does not ignore
	// (for a baseline, the tracked ones too).
	lsArgs []string
	// given counts the bytes of a diff handed in (a file, stdin); nil
	// when git makes the diff.
	given *countingReader
}

// readFunc reads a file of a change's new version.
type readFunc func(ctx context.Context, path string) ([]byte, error)

var _ review.Source = (*source)(nil)

// Policy reads the repository's policy at s.config, as the server would
// read it at the base of the pull request.
func (s *source) Policy(ctx context.Context) (*review.Policy, error) {
	if s.config == "" {
		return review.DefaultPolicy(), nil
	}
	paths, err := s.paths(ctx)
	if err != nil {
		return nil, err
	}
	return review.ReadPolicy(ctx, review.PolicyFrom{Base: gitBase{dir: s.dir, rev: s.config}, Paths: paths})
}

// Files streams the diff's files, then the work tree's files of lsArgs as
// new ones. A diff file the reader cannot parse, and a work-tree file over
// the read bound, are gaps (reported not scanned).
func (s *source) Files(ctx context.Context, yield func(*diff.File) error) ([]error, error) {
	gaps, err := readDiff(diff.NewReader(s.r), yield)
	if err != nil || s.lsArgs == nil {
		return gaps, err
	}
	more, err := workTreeFiles(ctx, s.dir, s.read, yield, s.lsArgs...)
	return append(gaps, more...), err
}

// Read reads a file of the work tree.
func (s *source) Read(ctx context.Context, path string) ([]byte, error) {
	return s.read(ctx, path)
}

// close stops reading the diff and reports the git process's failure.
func (s *source) close() error {
	s.r.Close()
	return s.wait()
}

// readDiff yields each file of the diff. A file the reader cannot parse
// (or that is too large) is a gap in the scan, reported, not a reason to
// stop; an error that repeats is the stream itself failing.
func readDiff(dr *diff.Reader, yield func(*diff.File) error) (gaps []error, err error) {
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
		if err := yield(f); err != nil {
			return gaps, err
		}
	}
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
	if f, ok := out.(*os.File); ok {
		growPipe(f)
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
	// `git diff` leaves untracked files out, but they are part of the
	// change a push would make once added.
	return &source{r: out, what: what, dir: dir, base: base, config: configRev, wait: wait, read: workTreeReader(dir),
		lsArgs: []string{"--others", "--exclude-standard"}}, nil
}

// errTooLarge is a work-tree file over the bound a read from a code host has.
var errTooLarge = fmt.Errorf("%w: over %d MiB, the most one file read may hold", hostapi.ErrTooLarge, hostapi.MaxContentBytes>>20)

// workTreeReader reads files of the work tree, the new version a local scan
// reviews, capped like a read from a code host.
func workTreeReader(dir string) readFunc {
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
