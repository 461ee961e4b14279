package worker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/shiftward/shiftward/app/platform"
)

// maxCachedFiles bounds the base-branch files a worker process remembers.
const maxCachedFiles = 4096

// fileCache remembers small files read at a commit sha (a commit's content
// never changes): the configuration files every job of a repository reads
// at the same base, most of them absent. Reads at a branch name are not
// cached.
type fileCache struct {
	mu    sync.Mutex
	files map[string]cachedFile
}

type cachedFile struct {
	data    []byte
	missing bool
}

// baseFile reads path at the change's base through the cache.
func (w *Worker) baseFile(ctx context.Context, client platform.Client, c platform.Change, path string) ([]byte, error) {
	if !platform.ValidSHA(c.BaseSHA) || len(c.BaseSHA) != 40 {
		return client.FileContent(ctx, c, path, c.BaseSHA)
	}
	w.cacheOnce.Do(func() { w.cache = &fileCache{files: map[string]cachedFile{}} })
	key := fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s", c.Platform, c.Repo.ID, c.Repo.FullName(), c.BaseSHA, path)
	fc := w.cache
	fc.mu.Lock()
	got, ok := fc.files[key]
	fc.mu.Unlock()
	if ok {
		if got.missing {
			return nil, fmt.Errorf("%s at %.7s: %w", path, c.BaseSHA, platform.ErrNotFound)
		}
		return got.data, nil
	}
	data, err := client.FileContent(ctx, c, path, c.BaseSHA)
	switch {
	case errors.Is(err, platform.ErrNotFound):
		got = cachedFile{missing: true}
	case err != nil:
		return nil, err
	case len(data) > 64<<10:
		return data, nil // only small files are kept
	default:
		got = cachedFile{data: data}
	}
	fc.mu.Lock()
	if len(fc.files) >= maxCachedFiles {
		clear(fc.files) // rare: start again rather than track recency
	}
	fc.files[key] = got
	fc.mu.Unlock()
	return data, err
}

// listBase lists the files named one of names at c's base through l. A
// complete listing at a commit is kept in the per-process cache (a commit's
// tree never changes), as is "no tree there"; one at a branch name is not.
func (w *Worker) listBase(ctx context.Context, l configLister, c platform.Change, names []string) ([]string, bool, error) {
	cacheable := platform.ValidSHA(c.BaseSHA)
	key := fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00list:%s", c.Platform, c.Repo.ID, c.Repo.FullName(), c.BaseSHA, strings.Join(names, "\x00"))
	w.cacheOnce.Do(func() { w.cache = &fileCache{files: map[string]cachedFile{}} })
	fc := w.cache
	fc.mu.Lock()
	got, hit := fc.files[key]
	fc.mu.Unlock()
	switch {
	case cacheable && hit && got.missing:
		return nil, false, fmt.Errorf("tree at %.7s: %w", c.BaseSHA, platform.ErrNotFound)
	case cacheable && hit:
		if len(got.data) == 0 {
			return nil, true, nil
		}
		return strings.Split(string(got.data), "\x00"), true, nil // git paths hold no NUL
	}
	paths, complete, err := l.FilesNamed(ctx, c, c.BaseSHA, names...)
	if err != nil && !errors.Is(err, platform.ErrNotFound) {
		return nil, false, err
	}
	if cacheable && (complete || err != nil) {
		fc.mu.Lock()
		if len(fc.files) >= maxCachedFiles {
			clear(fc.files)
		}
		fc.files[key] = cachedFile{data: []byte(strings.Join(paths, "\x00")), missing: err != nil}
		fc.mu.Unlock()
	}
	return paths, complete, err
}
