package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
)

// maxDirEntries bounds one directory's listing in the work tree: where the
// code hosts stop too (GitHub's contents API at 1,000 entries), so a local
// scan and the pull request's review see as much.
const maxDirEntries = 1000

// workTreeSource is a local change whose new version is the work tree (a
// diff git made of it, or a baseline): it lists the work tree's
// directories, so scanners read a changed file with its neighbours. A diff
// handed in is not one: the work tree beside it may not be its new
// version (see source.verify), and its scanners read each file alone.
type workTreeSource struct{ *source }

var _ review.Lister = workTreeSource{}

// reviewed is s as the pipeline reads it: with its tree when its new
// version is the work tree.
func (s *source) reviewed() review.Source {
	if s.dir == "" || s.verify {
		return s
	}
	return workTreeSource{s}
}

// List implements review.Lister over the work tree.
func (w workTreeSource) List(ctx context.Context, dir string) ([]string, error) {
	return listWorkTree(ctx, w.dir, dir)
}

// listWorkTree lists dir, a directory of the git work tree at root, as git
// would see it once the work tree were committed: files (a symbolic link
// is one, as git stores it) and subdirectories with a trailing "/", but
// not .git, what .gitignore leaves out (unless tracked), nor what is no
// file (a FIFO, a socket). The path comes from a scanner, which took it
// from a change that may be anyone's: one that leaves the work tree (an
// absolute path, "..", a symbolic link on the way) lists nothing, as a
// directory that does not exist; os.Root keeps every step inside. Past
// maxDirEntries, the entries read come with an error wrapping
// scanners.ErrBound.
func listWorkTree(ctx context.Context, root, dir string) ([]string, error) {
	dir = strings.Trim(filepath.ToSlash(dir), "/")
	if dir == "." {
		dir = ""
	}
	name := "."
	if dir != "" {
		name = filepath.FromSlash(dir)
		if !filepath.IsLocal(name) || path.Clean(dir) != dir || slices.Contains(strings.Split(dir, "/"), ".git") {
			return nil, nil
		}
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if ok, err := plainDir(r, dir); !ok || err != nil {
		return nil, err
	}
	f, err := r.Open(name)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	defer f.Close()
	entries, err := f.ReadDir(maxDirEntries + 1)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	var cut error
	if len(entries) > maxDirEntries {
		entries = entries[:maxDirEntries]
		cut = fmt.Errorf("listing %s: %w", dir, &scanners.BoundError{What: "entries listed in one directory", Limit: maxDirEntries})
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		switch t := e.Type(); {
		case e.Name() == ".git":
		case t.IsDir():
			names = append(names, e.Name()+"/")
		case t.IsRegular(), t&fs.ModeSymlink != 0:
			names = append(names, e.Name())
		}
	}
	names, err = notIgnored(ctx, root, dir, names)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, cut
}

// plainDir reports whether dir is a directory of the work tree reached
// through directories only: git stores a symbolic link as a file, so a
// path through one names nothing in the change's tree.
func plainDir(r *os.Root, dir string) (bool, error) {
	if dir == "" {
		return true, nil
	}
	p := ""
	for _, seg := range strings.Split(dir, "/") {
		p = path.Join(p, seg)
		st, err := r.Lstat(filepath.FromSlash(p))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("listing %s: %w", dir, err)
		case !st.IsDir():
			return false, nil
		}
	}
	return true, nil
}

// notIgnored is names (entries of dir) without those git ignores: what a
// commit of the work tree would leave out (build output, a local
// terraform.tfvars, downloaded modules). Tracked files are kept, as git
// check-ignore keeps them.
func notIgnored(ctx context.Context, root, dir string, names []string) ([]string, error) {
	if len(names) == 0 {
		return names, nil
	}
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	var in bytes.Buffer
	for _, n := range names {
		in.WriteString(prefix + n + "\x00")
	}
	cmd := exec.CommandContext(ctx, "git", "-C", root, "check-ignore", "-z", "--stdin")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return names, nil // none ignored
	case err != nil:
		return nil, fmt.Errorf("listing %s: git check-ignore: %v: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	ignored := map[string]bool{}
	for p := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		ignored[p] = true
	}
	return slices.DeleteFunc(names, func(n string) bool { return ignored[prefix+n] }), nil
}
