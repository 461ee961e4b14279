package app

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path"
	"slices"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/review"
)

// gitBase reads a local change's policy at a revision of the repository
// in dir: never the work tree, so a change cannot weaken its own review.
type gitBase struct {
	dir, rev string
}

var _ review.Base = gitBase{}

// ReadFile reads path at the revision, at most hostapi.MaxContentBytes of
// it, as a code host's read is capped. A path the revision does not hold
// (or a revision with no commit yet) is platform.ErrNotFound.
func (b gitBase) ReadFile(ctx context.Context, name string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", b.dir, "cat-file", "blob", b.rev+":"+name)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running git: %w", err)
	}
	data, readErr := io.ReadAll(io.LimitReader(out, hostapi.MaxContentBytes+1))
	if len(data) > hostapi.MaxContentBytes {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, errTooLarge
	}
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s at %s: %w", name, b.rev, platform.ErrNotFound)
	}
	return data, readErr
}

// FilesNamed lists the files of the revision's tree named one of names,
// from one `git ls-tree`. A revision with no tree (no commit yet) has no
// file: platform.ErrNotFound.
func (b gitBase) FilesNamed(ctx context.Context, names ...string) ([]string, bool, error) {
	if _, err := git(ctx, b.dir, "rev-parse", "--verify", "--quiet", b.rev+"^{tree}"); err != nil {
		return nil, false, fmt.Errorf("no tree at %s: %w", b.rev, platform.ErrNotFound)
	}
	var found []string
	err := listFiles(ctx, b.dir, []string{"ls-tree", "-r", "-z", "--name-only", b.rev}, func(p string) error {
		if slices.Contains(names, path.Base(p)) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return found, true, nil
}

// paths lists the change's paths, for the policy to know which
// directories' files apply: the diff's (new paths, and old ones of
// renames) and the work tree's files of lsArgs.
func (s *source) paths(ctx context.Context) ([]string, error) {
	var paths []string
	add := func(p string) error { paths = append(paths, p); return nil }
	if s.base != "" {
		if err := listFiles(ctx, s.dir, []string{"diff", "--name-only", "-z", "--no-renames", s.base, "--"}, add); err != nil {
			return nil, err
		}
	}
	if s.lsArgs != nil {
		if err := listFiles(ctx, s.dir, append([]string{"ls-files", "-z"}, s.lsArgs...), add); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
