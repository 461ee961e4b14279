// Package pipelines reviews CI/CD pipeline definitions a change adds to:
// GitHub Actions workflows (.github/workflows/*.yml), composite actions
// (action.yml) and GitLab CI (.gitlab-ci.yml and the files it includes from
// the repository).
//
// Each file is parsed as YAML (gopkg.in/yaml.v3 nodes keep line and
// column) and the rules walk the structure. Every finding of the file is
// reported, at the place the change adds when it can be shown at several
// (a head checkout at its ref, or at the trigger that made it dangerous),
// with all of those places as its Scope; scanners.Run marks the findings
// none of whose places the change adds pre-existing. A rule that fires
// because a setting is missing points at the header line of the block it
// concerns (the "on:" line of a workflow).
//
// Where the fix is mechanical the finding carries it: untrusted ${{ }}
// expressions move into a step-level env: variable referenced as "${VAR}"
// (only where that variable is a plain shell word or an argument taken as
// data, never inside text the script evaluates or emits as code: see
// sink.go),
// a missing permissions: block is added, an action is pinned to the commit
// its tag names (through an ActionResolver the app puts in the context), an
// unquoted merge request variable is quoted. Every fix is checked before it
// is offered: the rewritten file must parse and say what the fix intends.
package pipelines

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Name is the scanner's name and the prefix of its rule ids.
const Name = "pipelines"

// maxContent bounds the size of a file the scanner parses. CI files are
// small; a multi-megabyte one is not worth the parser's time.
const maxContent = scanners.MaxParseBytes

// Scanner reviews GitHub Actions and GitLab CI files. It is safe for
// concurrent use.
type Scanner struct {
	resolver ActionResolver
}

var (
	_ scanners.ContentScanner = (*Scanner)(nil)
	_ scanners.BatchScanner   = (*Scanner)(nil)
)

// New returns a Scanner.
func New(opts ...Option) *Scanner {
	s := &Scanner{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Name returns "pipelines".
func (*Scanner) Name() string { return Name }

// fileKind says which CI system a path belongs to.
type fileKind int

const (
	kindNone fileKind = iota
	kindWorkflow
	kindAction
	kindGitLab
)

// kindOf classifies a repository-relative path.
func kindOf(p string) fileKind {
	p = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, "\\", "/")), "/")
	base := path.Base(p)
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return kindNone
	}
	dir := path.Dir(p)
	switch {
	case dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows"):
		return kindWorkflow
	case base == "action.yml" || base == "action.yaml":
		return kindAction
	case base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" ||
		strings.HasSuffix(base, ".gitlab-ci.yml") || strings.HasSuffix(base, ".gitlab-ci.yaml"):
		return kindGitLab
	case dir == ".gitlab/ci" || strings.HasPrefix(dir, ".gitlab/ci/") ||
		dir == ".gitlab-ci" || strings.HasPrefix(dir, ".gitlab-ci/") ||
		dir == "gitlab-ci" || strings.HasPrefix(dir, "gitlab-ci/"):
		return kindGitLab
	}
	return kindNone
}

// Wants reports whether p is a GitHub workflow, a composite action's
// metadata or a GitLab CI file.
func (*Scanner) Wants(p string) bool { return kindOf(p) != kindNone }

// NeedsContent is true for every wanted path: the rules read structure
// (which trigger, which job) that the added lines alone do not show.
func (s *Scanner) NeedsContent(p string) bool { return s.Wants(p) }

// Scan reviews one file. Without its content the file can still be scanned
// when the change adds it whole; otherwise the error says why not.
func (s *Scanner) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	return s.scan(ctx, in, newPinCache(s.resolver))
}

// ScanBatch reviews every file of a change, resolving each action tag once
// per change however many files use it.
func (s *Scanner) ScanBatch(ctx context.Context, ins []*scanners.Input) ([]scanners.Finding, error) {
	pins := newPinCache(s.resolver)
	var all []scanners.Finding
	var errs []error
	for _, in := range ins {
		if err := ctx.Err(); err != nil {
			return all, err
		}
		fs, err := s.scanSafe(ctx, in, pins)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", in.Path, err))
			continue
		}
		all = append(all, fs...)
	}
	return all, errors.Join(errs...)
}

// scanSafe is scan with a panic turned into an error, so one bad file does
// not lose the findings of the others in a batch.
func (s *Scanner) scanSafe(ctx context.Context, in *scanners.Input, pins *pinCache) (fs []scanners.Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			fs, err = nil, fmt.Errorf("scanner %s panicked: %v", Name, p)
		}
	}()
	return s.scan(ctx, in, pins)
}

func (s *Scanner) scan(ctx context.Context, in *scanners.Input, pins *pinCache) ([]scanners.Finding, error) {
	kind := kindOf(in.Path)
	if kind == kindNone || len(in.Added) == 0 {
		return nil, nil
	}
	src, err := content(in)
	if err != nil {
		return nil, err
	}
	if len(src) > maxContent {
		return nil, scanners.TooLarge(maxContent)
	}
	d, err := parseDoc(src)
	if err != nil {
		return nil, err
	}
	var hits []hit
	switch kind {
	case kindWorkflow, kindAction:
		hits = checkGitHub(d, kind)
	case kindGitLab:
		hits = checkGitLab(d)
	}
	d.hits, d.baseline = hits, countRules(hits)
	return finish(ctx, in, hits, pins), nil
}

// content returns the file to parse: Input.Content, or, when the core could
// not read it, the added lines of a new file (every line of it is added).
func content(in *scanners.Input) ([]byte, error) {
	if in.Content != nil {
		return in.Content, nil
	}
	if b := in.ContentFromAdded(); b != nil {
		return b, nil
	}
	return nil, errors.New("file content unavailable and the change does not add the whole file; " +
		"the pipeline rules need the whole file")
}
