package review

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
)

// Lister is the optional capability of a Source that can list a directory
// of the change's new version: with it, Run hands every scanner input of
// the change one scanners.Tree (a Terraform file's module, a Helm chart's
// templates and values), read through Source.Read. A Source without it
// leaves Input.Tree nil, and scanners read each file alone.
type Lister interface {
	// List lists the entries directly in dir ("" for the root, no trailing
	// slash) as scanners.Tree.List does: file names, and subdirectory
	// names ending in "/". A directory that does not exist lists nothing.
	// A listing the Source had to cut comes with an error wrapping
	// scanners.ErrBound, never as if whole.
	List(ctx context.Context, dir string) ([]string, error)
}

// The bounds of what one change's scanners may read through its tree,
// beyond the change's own files. A read past one gives an error wrapping
// scanners.ErrBound that names it; the scanner reports the file as not
// scanned whole rather than pass it.
const (
	// maxTreeDirs bounds the directories listed for one change: a
	// Terraform root with its local modules, a chart with its
	// subcharts, for every such place a change touches. Each listing is a
	// request to the code host.
	maxTreeDirs = 512
	// maxTreeFiles bounds the files read for one change: each is a request
	// to the code host (at most a fifth of an installation's hourly
	// floor of 5,000).
	maxTreeFiles = 1024
	// maxTreeBytes bounds the bytes read for one change, all files
	// together; the tree keeps them for the change's scanners until the
	// review ends.
	maxTreeBytes = 16 << 20
	// maxTreeFileBytes bounds one file read: what a scanner would parse
	// at most (a file over it would not be parsed anyway).
	maxTreeFileBytes = scanners.MaxParseBytes
)

// sourceTree is one change's new version as scanners read it: listed
// through a Lister, read through the Source, each directory and file once
// (cached for the change's every input and goroutine), within the bounds
// above.
type sourceTree struct {
	src  Source
	list Lister
	memo scanners.Memo

	mu          sync.Mutex
	dirs, files map[string]*treeEntry
	// listed and read count the directories and files asked of the
	// Source; bytes counts what its reads returned.
	listed, read, bytes int
}

var _ scanners.Tree = (*sourceTree)(nil)

// treeEntry is one directory listing or file, read once: the first to ask
// reads it, the others wait on done.
type treeEntry struct {
	done    chan struct{}
	names   []string
	content []byte
	err     error
}

// newTree is src's tree, or nil when src cannot list.
func newTree(src Source) scanners.Tree {
	l, ok := src.(Lister)
	if !ok {
		return nil
	}
	return &sourceTree{src: src, list: l, dirs: map[string]*treeEntry{}, files: map[string]*treeEntry{}}
}

// List implements scanners.Tree. A directory outside the repository (a
// path through "..") lists nothing, as one that does not exist.
func (t *sourceTree) List(ctx context.Context, dir string) ([]string, error) {
	d, ok := treeDir(dir)
	if !ok {
		return nil, nil
	}
	e, first := t.entry(t.dirs, d, &t.listed, maxTreeDirs, "directories listed")
	if first {
		names, err := t.list.List(ctx, d)
		e.names, e.err = cleanNames(names), err
		if err != nil && !errors.Is(err, scanners.ErrBound) {
			e.err = fmt.Errorf("listing %s: %w", displayDir(d), err)
		}
		close(e.done)
	}
	return wait(ctx, e, func() []string { return slices.Clone(e.names) })
}

// Read implements scanners.Tree. A path that is absent (or outside the
// repository) wraps fs.ErrNotExist; one over a bound (the Source's own
// size cap included) wraps scanners.ErrBound; any other error of the
// Source's comes out as it is, for the scanner to report.
func (t *sourceTree) Read(ctx context.Context, p string) ([]byte, error) {
	name := path.Clean(p)
	if !fs.ValidPath(name) || name == "." {
		return nil, fmt.Errorf("%s: not a path in the repository: %w", p, fs.ErrNotExist)
	}
	e, first := t.entry(t.files, name, &t.read, maxTreeFiles, "files read")
	if first {
		e.content, e.err = t.readSource(ctx, name)
		close(e.done)
	}
	// The bytes are shared by every reader: scanners only read them.
	return wait(ctx, e, func() []byte { return e.content })
}

// Once implements scanners.Tree.
func (t *sourceTree) Once(key string, build func() any) any { return t.memo.Do(key, build) }

// entry is key's entry in m, and whether the caller is the first to ask
// (and must fill it, then close done). A first ask past limit (counted in
// n) gets an entry already done with the bound's error: past a bound,
// every new path stays refused.
func (t *sourceTree) entry(m map[string]*treeEntry, key string, n *int, limit int, what string) (*treeEntry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := m[key]; ok {
		return e, false
	}
	e := &treeEntry{done: make(chan struct{})}
	m[key] = e
	if *n >= limit {
		e.err = fmt.Errorf("%s: %w", key, treeBound(what, limit))
		close(e.done)
		return e, false
	}
	*n++
	return e, true
}

// readSource reads name through the Source and counts its bytes.
func (t *sourceTree) readSource(ctx context.Context, name string) ([]byte, error) {
	b, err := t.src.Read(ctx, name)
	switch {
	case errors.Is(err, platform.ErrNotFound):
		return nil, fmt.Errorf("%s: %w: %w", name, fs.ErrNotExist, err)
	case errors.Is(err, platform.ErrTooLarge):
		return nil, fmt.Errorf("%s: %w: %w", name, treeBound("bytes in one file read", maxTreeFileBytes), err)
	case err != nil:
		return nil, err
	}
	t.mu.Lock()
	over := t.bytes+len(b) > maxTreeBytes
	if over {
		t.bytes = maxTreeBytes // what is left would favour smaller files read later
	} else {
		t.bytes += len(b)
	}
	t.mu.Unlock()
	switch {
	case len(b) > maxTreeFileBytes:
		return nil, fmt.Errorf("%s: %w", name, treeBound("bytes in one file read", maxTreeFileBytes))
	case over:
		return nil, fmt.Errorf("%s: %w", name, treeBound("bytes read", maxTreeBytes))
	}
	return b, nil
}

// treeBound is the error of a tree bound: what names the count, as read
// through the tree for one change.
func treeBound(what string, limit int) error {
	return &scanners.BoundError{What: what + " through the tree for one change", Limit: int64(limit)}
}

// wait waits for e to be filled (or ctx to end) and returns its value.
func wait[T any](ctx context.Context, e *treeEntry, value func() T) (T, error) {
	var zero T
	select {
	case <-e.done:
		return value(), e.err
	case <-ctx.Done():
		return zero, context.Cause(ctx)
	}
}

// treeDir is dir as a Lister takes it: "" for the root, else a clean
// relative path without a trailing slash; false when dir leaves the
// repository.
func treeDir(dir string) (string, bool) {
	d := strings.TrimSuffix(scanners.CleanDir(dir), "/")
	if d == ".." || strings.HasPrefix(d, "../") {
		return "", false
	}
	return d, true
}

// displayDir names d in errors.
func displayDir(d string) string {
	if d == "" {
		return "the repository's root"
	}
	return d
}

// cleanNames holds a Source's listing to the Tree's contract: sorted,
// each name once, no empty names, no path separators but a directory's
// trailing one, no "." or "..".
func cleanNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		base := strings.TrimSuffix(n, "/")
		if base == "" || base == "." || base == ".." || strings.Contains(base, "/") || strings.ContainsRune(base, 0) {
			continue
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
