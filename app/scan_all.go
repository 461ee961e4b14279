package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// EmptyTree is git's empty tree: the base against which every file is
// added. Git knows it in every repository, stored or not (`--base empty`).
const EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// maxListedPath bounds one path read from `git ls-files`: Linux allows
// 4096 bytes, so a longer "path" means the listing is not what it seems.
const maxListedPath = 64 << 10

// openAll is the source of a baseline (shiftward scan --all): no diff, and
// every file git tracks in the work tree at dir, with the untracked ones it
// does not ignore, fed as new files. The repository's own .shiftward.yml,
// at HEAD, applies: a baseline has no older version whose policy governs.
func openAll(ctx context.Context, dir string) *source {
	head := "no commit yet"
	if sha, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err == nil {
		head = fmt.Sprintf("HEAD %.7s", sha)
	}
	return &source{
		r:        io.NopCloser(strings.NewReader("")),
		what:     fmt.Sprintf("every file of %s (%s, work tree included)", dir, head),
		dir:      dir,
		config:   "HEAD",
		baseline: true,
		wait:     func() error { return nil },
		read:     workTreeReader(dir),
		lsArgs:   []string{"--cached", "--others", "--exclude-standard"},
	}
}

// workTreeFiles yields the files `git ls-files lsArgs...` lists in dir,
// one at a time as the listing streams, each as a new file whose every line
// is added. A file over the read bound is a gap (reported not scanned); a
// binary or empty file is skipped, as a diff skips it; a path that is no
// regular file in the work tree (deleted since, a symlink, a submodule) is
// not read.
func workTreeFiles(ctx context.Context, dir string, read readFunc, yield func(*diff.File) error, lsArgs ...string) ([]error, error) {
	var gaps []error
	err := listFiles(ctx, dir, append([]string{"ls-files", "-z"}, lsArgs...), func(path string) error {
		b, err := read(ctx, path)
		switch {
		case errors.Is(err, platform.ErrNotFound):
			return nil
		case err != nil:
			gaps = append(gaps, &scanners.FileError{Path: path, Err: err})
			return nil
		}
		f := diff.FromVersions("", path, nil, b)
		f.IsNew = true
		return yield(f)
	})
	return gaps, err
}

// listFiles runs `git args...` in dir, whose output is NUL-separated
// paths, and calls each with every path as the listing streams (an
// unmerged file, listed once per stage, once). An error from each stops
// the listing (git is killed and reaped) and is returned.
func listFiles(ctx context.Context, dir string, args []string, each func(path string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("listing files: running git: %w", err)
	}
	// Left early, the listing is stopped (cancel kills git) and reaped.
	stop := func(err error) error { cancel(); _ = cmd.Wait(); return err }
	br := bufio.NewReaderSize(pipe, maxListedPath)
	prev := ""
	for {
		entry, rerr := br.ReadSlice(0)
		switch {
		case errors.Is(rerr, io.EOF) && len(entry) == 0:
			if err := cmd.Wait(); err != nil {
				return fmt.Errorf("listing files: git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
			}
			return nil
		case errors.Is(rerr, bufio.ErrBufferFull):
			return stop(fmt.Errorf("listing files: a path over %d bytes", maxListedPath))
		case rerr != nil && !errors.Is(rerr, io.EOF):
			return stop(fmt.Errorf("listing files: %w", rerr))
		}
		path := string(bytes.TrimSuffix(entry, []byte{0}))
		if path == "" || path == prev {
			continue
		}
		prev = path
		if err := each(path); err != nil {
			return stop(err)
		}
	}
}
