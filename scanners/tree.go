package scanners

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// Tree is the new version of the repository a change leaves, beyond the
// files the change touches, for scanners that read a file together with
// its neighbours: a Terraform module's other files and .tfvars, the local
// modules it calls, a Helm chart's templates and values. The caller gives
// every input of one change the same Tree; it bounds what may be read
// through it (files, bytes) and caches what was read. A read past a bound
// returns an error wrapping ErrBound, and the scanner says what it could
// not read rather than pass the file as clean.
type Tree interface {
	// List lists the entries directly in dir ("" or "." for the root, no
	// trailing slash): file names, and subdirectory names ending in "/",
	// sorted. A directory that does not exist lists nothing.
	List(ctx context.Context, dir string) ([]string, error)
	// Read reads a file whole. A file that does not exist gives an error
	// wrapping fs.ErrNotExist.
	Read(ctx context.Context, path string) ([]byte, error)
	// Once returns what build returns for key, calling build once per
	// change however many files and goroutines ask (the others wait), so
	// that scanners share work across a change's files: a module
	// evaluated once for all of its changed files. Keys are namespaced by
	// the scanner ("iac/tf:dir").
	Once(key string, build func() any) any
}

// MemTree is a Tree held in memory: for tests, and for callers that have
// the files already. The zero value is an empty tree.
type MemTree struct {
	Files map[string][]byte
	once  Memo
}

var _ Tree = (*MemTree)(nil)

// NewMemTree is a tree of files, by repository-relative path.
func NewMemTree(files map[string][]byte) *MemTree { return &MemTree{Files: files} }

// List implements Tree.
func (t *MemTree) List(_ context.Context, dir string) ([]string, error) {
	dir = CleanDir(dir)
	seen := map[string]bool{}
	var out []string
	for p := range t.Files {
		rest, ok := strings.CutPrefix(p, dir)
		if !ok || rest == "" {
			continue
		}
		name := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			name = rest[:i+1]
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Read implements Tree.
func (t *MemTree) Read(_ context.Context, p string) ([]byte, error) {
	b, ok := t.Files[path.Clean(p)]
	if !ok {
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	return b, nil
}

// Once implements Tree.
func (t *MemTree) Once(key string, build func() any) any { return t.once.Do(key, build) }

// CleanDir is dir as a prefix of the paths in it: "" for the root, else
// the cleaned directory with a trailing slash.
func CleanDir(dir string) string {
	dir = path.Clean(dir)
	if dir == "." || dir == "/" || dir == "" {
		return ""
	}
	return strings.TrimPrefix(dir, "/") + "/"
}

// Memo runs each key's build once and keeps its value: the Once of a Tree
// implementation. The zero value is ready; it is safe for concurrent use.
type Memo struct {
	mu sync.Mutex
	m  map[string]*memoEntry
}

type memoEntry struct {
	once sync.Once
	v    any
}

// Do returns build's value for key, calling it at most once.
func (m *Memo) Do(key string, build func() any) any {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]*memoEntry{}
	}
	e, ok := m.m[key]
	if !ok {
		e = &memoEntry{}
		m.m[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v = build() })
	return e.v
}
