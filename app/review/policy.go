package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
)

// Base is the revision a change's policy is read from: a pull request's
// base, the default branch for a push, the base of a local diff. Reading
// only from it, never from the change, keeps a change from weakening its
// own review.
type Base interface {
	// ReadFile returns path's content at the base; an error wrapping
	// platform.ErrNotFound when there is none.
	ReadFile(ctx context.Context, path string) ([]byte, error)
	// FilesNamed lists, in one request, every file of the base tree named
	// one of names. complete is false when the listing was cut or the base
	// cannot list (each directory is then asked); an error wrapping
	// platform.ErrNotFound means there is no tree at the base.
	FilesNamed(ctx context.Context, names ...string) (paths []string, complete bool, err error)
}

// OrgDefaults reads the organisation's defaults (GitHub: the .github
// repository): the layer below a repository's own .shiftward.yml.
type OrgDefaults interface {
	// OrgFile returns the file and where it was read (for messages); an
	// error wrapping platform.ErrNotFound when there is none.
	OrgFile(ctx context.Context, name string) (data []byte, source string, err error)
}

// Files read at the base.
const (
	// AttributesFile is the file whose linguist-vendored and
	// linguist-generated lines say what no one wrote by hand.
	AttributesFile = ".gitattributes"
	// GitleaksFile is a repository's own secret rules, in gitleaks' format.
	GitleaksFile = ".gitleaks.toml"
)

// Bounds of what one review reads at the base: each file is a request to a
// code host (or a cached answer at a base already seen). Past them the
// review says what it left out; a change can never push a stricter file out
// of reach unnoticed by touching many directories.
const (
	maxSubConfigReads = 256
	maxAttributeFiles = 64
	baseReaders       = 8
)

// Policy is what a change is reviewed under.
type Policy struct {
	// Settings are the organisation's, the repository's root .shiftward.yml
	// and the .shiftward.yml of the directories the change touches, merged.
	Settings *config.Settings
	// Problems fail the review (an invalid .shiftward.yml); the defaults
	// stand in for what was invalid.
	Problems []string
	// Gaps say what configuration could not be read: the review is then
	// incomplete, never a pass.
	Gaps []string
	// Notes are for reviewers (a .gitattributes over a bound).
	Notes []string
	// Attributes are the .gitattributes that apply to the change's files.
	Attributes *scanners.GitAttributes
	// Gitleaks is the repository's .gitleaks.toml, if it has one.
	Gitleaks []byte
	// Approvers are the users with write access who approved the change at
	// its head, when require_suppression_review asks.
	Approvers []string
}

// DefaultPolicy is the policy of a change with nothing to read it from (a
// diff handed in without a repository).
func DefaultPolicy() *Policy { return &Policy{Settings: config.DefaultSettings()} }

// PolicyFrom says where ReadPolicy reads.
type PolicyFrom struct {
	// Base is nil when no revision can be trusted to hold the policy; the
	// defaults (and Org's) apply and NoBase says why, as a gap.
	Base   Base
	NoBase string
	Org    OrgDefaults
	// Paths are the change's files: the directories above them may hold
	// their own .shiftward.yml and .gitattributes.
	Paths []string
}

// ReadPolicy reads a change's policy. A missing file is the defaults; an
// invalid one gives problems and defaults for what it got wrong. Only a
// failed read (not a missing file) or a cancelled ctx is an error.
func ReadPolicy(ctx context.Context, from PolicyFrom) (*Policy, error) {
	p := &Policy{}
	var org, root *config.Settings
	parse := func(file string, data []byte) *config.Settings {
		s, ps := config.ParseSettings(file, data)
		p.Problems = append(p.Problems, problemLines(ps)...)
		return s
	}
	if from.Org != nil {
		data, source, err := from.Org.OrgFile(ctx, config.RepoFile)
		switch {
		case err == nil:
			org = parse(source, data)
		case !errors.Is(err, platform.ErrNotFound):
			return nil, fmt.Errorf("reading the organisation's %s: %w", config.RepoFile, err)
		}
	}
	if from.Base == nil {
		p.Settings = cmp.Or(org, config.DefaultSettings())
		if from.NoBase != "" {
			p.Gaps = append(p.Gaps, from.NoBase+"; the defaults were used")
			p.Notes = append(p.Notes, from.NoBase+": files marked linguist-vendored or linguist-generated were judged by their path and content only")
		}
		return p, nil
	}
	r := &baseReader{base: from.Base}
	data, err := r.file(ctx, config.RepoFile)
	if err != nil {
		return nil, err
	}
	if data != nil {
		root = parse(config.RepoFile, data)
	}
	subs, err := r.subConfigs(ctx, p, from.Paths)
	if err != nil {
		return nil, err
	}
	var subSettings []*config.Settings
	for _, s := range subs {
		subSettings = append(subSettings, parse(s.file, s.data))
	}
	p.Settings = merged(p, org, root, subSettings)
	if p.Attributes, err = r.attributes(ctx, p, from.Paths); err != nil {
		return nil, err
	}
	if p.Gitleaks, err = r.file(ctx, GitleaksFile); err != nil {
		return nil, err
	}
	return p, nil
}

// merged is the settings in force: the layers present, merged, or the
// defaults.
func merged(p *Policy, org, root *config.Settings, subs []*config.Settings) *config.Settings {
	if org == nil && len(subs) == 0 {
		return cmp.Or(root, config.DefaultSettings())
	}
	s, ps := config.Merge(org, root, subs...)
	p.Problems = append(p.Problems, problemLines(ps)...)
	return s
}

// baseReader reads the files of a policy at the base, listing the tree at
// most once.
type baseReader struct {
	base     Base
	listOnce sync.Once
	listed   []string
	complete bool
	listErr  error
}

// file reads name at the base: nil when there is none.
func (r *baseReader) file(ctx context.Context, name string) ([]byte, error) {
	data, err := r.base.ReadFile(ctx, name)
	switch {
	case errors.Is(err, platform.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s at the base: %w", name, err)
	}
	return data, nil
}

// dirsWith narrows dirs to those holding a file called name, from one
// listing of the base. ok is false when the base could not list (dirs are
// then all asked); a base with no tree has no file.
func (r *baseReader) dirsWith(ctx context.Context, name string, dirs []string) ([]string, bool, error) {
	r.listOnce.Do(func() {
		r.listed, r.complete, r.listErr = r.base.FilesNamed(ctx, config.RepoFile, AttributesFile)
	})
	switch {
	case errors.Is(r.listErr, platform.ErrNotFound):
		return nil, true, nil
	case r.listErr != nil:
		return nil, false, r.listErr
	case !r.complete:
		return dirs, false, nil
	}
	has := map[string]bool{}
	for _, p := range r.listed {
		if path.Base(p) == name {
			has[path.Dir(p)] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(dirs), func(d string) bool { return !has[d] }), true, nil
}

type subConfig struct {
	file string
	data []byte
}

// subConfigs reads the .shiftward.yml of every directory below the root
// that holds a file of the change: those a listing names, or, where the
// base cannot list, each. At most maxSubConfigReads, nearest the root first
// (a parent sorts before its children); past that, a gap says so.
func (r *baseReader) subConfigs(ctx context.Context, p *Policy, paths []string) ([]subConfig, error) {
	dirs := dirsAbove(paths)
	slices.Sort(dirs)
	if len(dirs) == 0 {
		return nil, nil
	}
	dirs, _, err := r.dirsWith(ctx, config.RepoFile, dirs)
	if err != nil {
		return nil, fmt.Errorf("listing %s files at the base: %w", config.RepoFile, err)
	}
	if len(dirs) > maxSubConfigReads {
		p.Gaps = append(p.Gaps, fmt.Sprintf("the change's files lie in %d directories that may hold their own %s; "+
			"shiftward reads at most %d per review (nearest the root first), so the rules of the others were not applied",
			len(dirs), config.RepoFile, maxSubConfigReads))
		dirs = dirs[:maxSubConfigReads]
	}
	files := make([]string, len(dirs))
	for i, d := range dirs {
		files[i] = d + "/" + config.RepoFile
	}
	datas, errs := r.readAll(ctx, files)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []subConfig
	for i, data := range datas {
		if data != nil {
			out = append(out, subConfig{file: files[i], data: data})
		}
	}
	return out, nil
}

// attributes reads the .gitattributes that apply to the change's files:
// the root's and those of the directories above them, at most
// maxAttributeFiles, nearest the root first. One that cannot be read, or
// only in part, is passed over (its files are judged as if it were absent)
// and a note says so; only a cancelled ctx is an error. nil when none was
// read.
func (r *baseReader) attributes(ctx context.Context, p *Policy, paths []string) (*scanners.GitAttributes, error) {
	dirs := dirsAbove(paths)
	slices.SortFunc(dirs, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(a, "/"), strings.Count(b, "/")), cmp.Compare(a, b))
	})
	if len(dirs) > 0 {
		listed, _, err := r.dirsWith(ctx, AttributesFile, dirs)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			p.Notes = append(p.Notes, fmt.Sprintf("listing the %s files at the base failed (%v); "+
				"shiftward looked for one in each changed directory instead", AttributesFile, err))
			listed = dirs
		}
		dirs = listed
	}
	dirs = append([]string{""}, dirs...) // the root's first
	if len(dirs) > maxAttributeFiles {
		p.Notes = append(p.Notes, fmt.Sprintf("%d directories may hold a %s that applies to the change's files; "+
			"shiftward reads at most %d per review (nearest the root first), so the linguist-vendored "+
			"and linguist-generated lines of the others were not applied", len(dirs), AttributesFile, maxAttributeFiles))
		dirs = dirs[:maxAttributeFiles]
	}
	files := make([]string, len(dirs))
	for i, d := range dirs {
		files[i] = path.Join(d, AttributesFile)
	}
	datas, errs := r.readAll(ctx, files)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var attrs *scanners.GitAttributes
	for i, file := range files {
		if errs[i] != nil {
			p.Notes = append(p.Notes, fmt.Sprintf("%s could not be read at the base (%v): "+
				"the files below it were judged as if it were absent", file, errs[i]))
			continue
		}
		if datas[i] == nil {
			continue
		}
		if attrs == nil {
			attrs = &scanners.GitAttributes{}
		}
		if err := attrs.Parse(dirs[i], datas[i]); err != nil {
			p.Notes = append(p.Notes, attributesBound(file, err))
		}
	}
	return attrs, nil
}

// readAll reads files at the base, baseReaders at once: nil data for a
// file that is not there, an error for one that could not be read.
func (r *baseReader) readAll(ctx context.Context, files []string) ([][]byte, []error) {
	datas := make([][]byte, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, baseReaders)
	for i, f := range files {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			datas[i], errs[i] = r.file(ctx, f)
		})
	}
	wg.Wait()
	return datas, errs
}

// dirsAbove lists the directories below the root that hold one of paths,
// at any depth, each once.
func dirsAbove(paths []string) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, p := range paths {
		for d := path.Dir(p); d != "." && d != "/" && d != "" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// attributesBound is the note for a .gitattributes file over a bound of
// GitAttributes.Parse, whose lines within it still apply.
func attributesBound(file string, err error) string {
	var b *scanners.BoundError
	if errors.As(err, &b) {
		return fmt.Sprintf("%s is over a bound (%s: %d): its linguist lines past it were not applied", file, b.What, b.Limit)
	}
	return fmt.Sprintf("%s: %v", file, err)
}

func problemLines(problems []config.Problem) []string {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
	}
	return lines
}
