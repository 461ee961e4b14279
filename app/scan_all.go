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
	"github.com/shiftward/shiftward/app/worker"
	"github.com/shiftward/shiftward/scanners"
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
	read := workTreeReader(dir)
	return &source{
		r:        io.NopCloser(strings.NewReader("")),
		what:     fmt.Sprintf("every file of %s (%s, work tree included)", dir, head),
		dir:      dir,
		config:   "HEAD",
		baseline: true,
		wait:     func() error { return nil },
		read:     read,
		untracked: func(ctx context.Context, hunks hunkIndex, out chan<- *scanners.Input) ([]error, error) {
			return workTreeFiles(ctx, dir, read, hunks, out, "--cached", "--others", "--exclude-standard")
		},
	}
}

// workTreeFiles feeds the files `git ls-files lsArgs...` lists in dir to
// out, one at a time as the listing streams, each as a new file whose
// every line is added. A file over the read bound is a gap (reported not
// scanned); a binary or empty file is skipped, as a diff skips it; a path
// that is no regular file in the work tree (deleted since, a symlink, a
// submodule) is not read.
func workTreeFiles(ctx context.Context, dir string, read worker.ReadFunc, hunks hunkIndex, out chan<- *scanners.Input, lsArgs ...string) ([]error, error) {
	var gaps []error
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir, "ls-files", "-z"}, lsArgs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("listing files: running git: %w", err)
	}
	// Left early, the listing is stopped (cancel kills git) and reaped.
	stop := func() { cancel(); _ = cmd.Wait() }
	br := bufio.NewReaderSize(pipe, maxListedPath)
	prev := ""
	for {
		entry, rerr := br.ReadSlice(0)
		switch {
		case errors.Is(rerr, io.EOF) && len(entry) == 0:
			if err := cmd.Wait(); err != nil {
				return gaps, fmt.Errorf("listing files: git ls-files: %v: %s", err, strings.TrimSpace(stderr.String()))
			}
			return gaps, nil
		case errors.Is(rerr, bufio.ErrBufferFull):
			stop()
			return gaps, fmt.Errorf("listing files: a path over %d bytes", maxListedPath)
		case rerr != nil && !errors.Is(rerr, io.EOF):
			stop()
			return gaps, fmt.Errorf("listing files: %w", rerr)
		}
		path := string(bytes.TrimSuffix(entry, []byte{0}))
		// An unmerged file is listed once per stage, one after the other.
		if path == "" || path == prev {
			continue
		}
		prev = path
		b, err := read(ctx, path)
		switch {
		case errors.Is(err, platform.ErrTooLarge):
			gaps = append(gaps, &scanners.FileError{Path: path, Err: err})
			continue
		case errors.Is(err, platform.ErrNotFound):
			continue
		case err != nil:
			gaps = append(gaps, &scanners.FileError{Path: path, Err: err})
			continue
		}
		in := newFileInput(path, b)
		if in == nil {
			continue
		}
		hunks[in.Path] = append(hunks[in.Path], [2]int{1, len(in.Added)})
		select {
		case out <- in:
		case <-ctx.Done():
			stop()
			return gaps, ctx.Err()
		}
	}
}
