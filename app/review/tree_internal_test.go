package review

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
)

// listSource is a Source that reads and lists through functions, counting
// the calls.
type listSource struct {
	readSource
	list         func(dir string) ([]string, error)
	lists, reads atomic.Int64
}

func (s *listSource) Read(ctx context.Context, p string) ([]byte, error) {
	s.reads.Add(1)
	return s.readSource(ctx, p)
}

func (s *listSource) List(_ context.Context, dir string) ([]string, error) {
	s.lists.Add(1)
	return s.list(dir)
}

// sized reads every path as n bytes, and lists every directory as empty.
func sized(n int) *listSource {
	return &listSource{
		readSource: func(context.Context, string) ([]byte, error) { return make([]byte, n), nil },
		list:       func(string) ([]string, error) { return nil, nil },
	}
}

func TestTreeOnlyForAListingSource(t *testing.T) {
	if tr := newTree(readSource(nil)); tr != nil {
		t.Errorf("a Source without List got a tree %T", tr)
	}
	if tr := newTree(sized(1)); tr == nil {
		t.Error("a Source with List got no tree")
	}
}

// Each bound refuses the first directory or file past it, and every new
// one after, with an error wrapping scanners.ErrBound that names it; what
// was read before is still served from the cache.
func TestTreeBounds(t *testing.T) {
	ctx := context.Background()
	t.Run("directories", func(t *testing.T) {
		s := sized(1)
		tr := newTree(s)
		for i := range maxTreeDirs {
			if _, err := tr.List(ctx, fmt.Sprint("d", i)); err != nil {
				t.Fatalf("dir %d: %v", i, err)
			}
		}
		_, err := tr.List(ctx, "one/more")
		if !errors.Is(err, scanners.ErrBound) || !strings.Contains(err.Error(), "directories listed") {
			t.Fatalf("directory past the bound: err = %v, want ErrBound naming directories listed", err)
		}
		if _, err := tr.List(ctx, "d0"); err != nil {
			t.Errorf("a directory listed before the bound: %v, want it from the cache", err)
		}
		if n := s.lists.Load(); n != maxTreeDirs {
			t.Errorf("%d listings asked of the Source, want %d", n, maxTreeDirs)
		}
	})
	t.Run("files", func(t *testing.T) {
		s := sized(1)
		tr := newTree(s)
		for i := range maxTreeFiles {
			if _, err := tr.Read(ctx, fmt.Sprint("f", i)); err != nil {
				t.Fatalf("file %d: %v", i, err)
			}
		}
		_, err := tr.Read(ctx, "one.more")
		if !errors.Is(err, scanners.ErrBound) || !strings.Contains(err.Error(), "files read") {
			t.Fatalf("file past the bound: err = %v, want ErrBound naming files read", err)
		}
		if n := s.reads.Load(); n != maxTreeFiles {
			t.Errorf("%d reads asked of the Source, want %d", n, maxTreeFiles)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		tr := newTree(sized(maxTreeFileBytes))
		n := maxTreeBytes / maxTreeFileBytes
		for i := range n {
			if _, err := tr.Read(ctx, fmt.Sprint("f", i)); err != nil {
				t.Fatalf("file %d: %v", i, err)
			}
		}
		_, err := tr.Read(ctx, "one.more")
		if !errors.Is(err, scanners.ErrBound) || !strings.Contains(err.Error(), "bytes read") {
			t.Fatalf("bytes past the bound: err = %v, want ErrBound naming bytes read", err)
		}
		if b, err := tr.Read(ctx, "f0"); err != nil || len(b) != maxTreeFileBytes {
			t.Errorf("a file read before the bound: %d bytes, %v; want it from the cache", len(b), err)
		}
	})
	t.Run("one file", func(t *testing.T) {
		_, err := newTree(sized(maxTreeFileBytes+1)).Read(ctx, "big.tf")
		if !errors.Is(err, scanners.ErrBound) || !strings.Contains(err.Error(), "bytes in one file") {
			t.Fatalf("a file over the bound: err = %v, want ErrBound naming one file's bytes", err)
		}
	})
}

// The Source's errors come out as the Tree contract says: absent is
// fs.ErrNotExist, too large is ErrBound, anything else as it is.
func TestTreeReadErrors(t *testing.T) {
	down := errors.New("502 bad gateway")
	s := &listSource{readSource: func(_ context.Context, p string) ([]byte, error) {
		switch p {
		case "gone.tf":
			return nil, fmt.Errorf("reading gone.tf: %w", platform.ErrNotFound)
		case "huge.tf":
			return nil, fmt.Errorf("reading huge.tf: %w", platform.ErrTooLarge)
		case "down.tf":
			return nil, down
		}
		return []byte("ok"), nil
	}}
	tr := newTree(s)
	ctx := context.Background()
	for _, tc := range []struct {
		path string
		want error
		not  error
	}{
		{"gone.tf", fs.ErrNotExist, scanners.ErrBound},
		{"huge.tf", scanners.ErrBound, fs.ErrNotExist},
		{"down.tf", down, fs.ErrNotExist},
		{"../outside.tf", fs.ErrNotExist, nil},
		{"/etc/passwd", fs.ErrNotExist, nil},
		{".", fs.ErrNotExist, nil},
	} {
		_, err := tr.Read(ctx, tc.path)
		if !errors.Is(err, tc.want) || (tc.not != nil && errors.Is(err, tc.not)) {
			t.Errorf("Read(%q) = %v, want it to wrap %v and not %v", tc.path, err, tc.want, tc.not)
		}
	}
	if n := s.reads.Load(); n != 3 {
		t.Errorf("%d reads asked of the Source, want 3 (none for a path outside the repository)", n)
	}
	if b, err := tr.Read(ctx, "./a/../ok.tf"); err != nil || string(b) != "ok" {
		t.Errorf("Read(./a/../ok.tf) = %q, %v; want ok.tf read", b, err)
	}
}

// Directories reach the Source clean, the root as ""; one outside the
// repository lists nothing without asking; the Source's listing is held
// to the Tree's contract; a cut listing keeps its error and its entries.
func TestTreeList(t *testing.T) {
	cut := &scanners.BoundError{What: "entries the host lists in one directory", Limit: 1000}
	var asked []string
	s := &listSource{list: func(dir string) ([]string, error) {
		asked = append(asked, dir)
		switch dir {
		case "big":
			return []string{"a.tf"}, cut
		case "down":
			return nil, errors.New("502 bad gateway")
		}
		return []string{"b.tf", "sub/", "a.tf", "a.tf", "", "x/y", "../", "./"}, nil
	}}
	tr := newTree(s)
	ctx := context.Background()
	for _, dir := range []string{"", ".", "/", "mod/", "./mod", "mod/x/..", "../up", ".."} {
		got, err := tr.List(ctx, dir)
		if err != nil {
			t.Fatalf("List(%q): %v", dir, err)
		}
		want := []string{"a.tf", "b.tf", "sub/"}
		if strings.HasPrefix(dir, "..") {
			want = nil
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("List(%q) (-want +got):\n%s", dir, diff)
		}
	}
	if diff := cmp.Diff([]string{"", "mod"}, asked); diff != "" {
		t.Errorf("directories asked of the Source (-want +got):\n%s", diff)
	}
	got, err := tr.List(ctx, "big")
	if !errors.Is(err, scanners.ErrBound) || len(got) != 1 {
		t.Errorf("a cut listing: %q, %v; want its entries and ErrBound", got, err)
	}
	if _, err := tr.List(ctx, "down"); err == nil || !strings.Contains(err.Error(), "listing down: 502") {
		t.Errorf("a failed listing: %v, want the Source's error with the directory", err)
	}
}

// Many goroutines asking for the same file and directory make one read and
// one listing; a caller whose context ends stops waiting.
func TestTreeConcurrentAsksShareOneRead(t *testing.T) {
	release := make(chan struct{})
	s := &listSource{
		readSource: func(context.Context, string) ([]byte, error) { <-release; return []byte("x"), nil },
		list:       func(string) ([]string, error) { <-release; return []string{"x"}, nil },
	}
	tr := newTree(s)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 41)
	wg.Go(func() {
		if _, err := tr.Read(ctx, "slow.tf"); err != nil {
			errs <- err
		}
	})
	for s.reads.Load() == 0 {
		runtime.Gosched() // until slow.tf's read has begun
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tr.Read(ended, "slow.tf"); !errors.Is(err, context.Canceled) {
		t.Errorf("a waiter whose context ended: %v, want context.Canceled", err)
	}
	for range 20 {
		wg.Go(func() {
			if b, err := tr.Read(ctx, "main.tf"); err != nil || string(b) != "x" {
				errs <- fmt.Errorf("read %q, %v", b, err)
			}
		})
		wg.Go(func() {
			if n, err := tr.List(ctx, "mod"); err != nil || len(n) != 1 {
				errs <- fmt.Errorf("list %q, %v", n, err)
			}
		})
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if r, l := s.reads.Load(), s.lists.Load(); r != 2 || l != 1 {
		t.Errorf("%d reads and %d listings asked of the Source, want two reads (slow.tf, main.tf) and one listing", r, l)
	}
}
