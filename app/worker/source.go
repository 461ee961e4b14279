package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// hostChange is a job's change as the review pipeline reads it: through the
// code host's API, its configuration from the base (see configChange).
type hostChange struct {
	w      *Worker
	client platform.Client
	c      platform.Change
	// listing is read by Policy, which needs the changed paths, and handed
	// out by Files.
	listing platform.Listing
}

var _ review.Source = (*hostChange)(nil)

// Policy lists the change, then reads its policy at the base, and the
// approvals require_suppression_review waits for.
func (h *hostChange) Policy(ctx context.Context) (*review.Policy, error) {
	l, err := h.client.Files(ctx, h.c)
	if err != nil {
		return nil, fmt.Errorf("listing changed files: %w", err)
	}
	h.listing = l
	p, err := h.w.policy(ctx, h.client, h.c, l.Files)
	if err != nil {
		return nil, err
	}
	if a, ok := h.client.(platform.Approvals); ok && p.Settings.RequireSuppressionReview && !h.c.IsPush() {
		if p.Approvers, err = a.ApprovedBy(ctx, h.c); err != nil {
			return nil, fmt.Errorf("reading approvals: %w", err)
		}
	}
	return p, nil
}

// Files hands out the listing, then lets go of it (the pipeline keeps what
// it needs of each file).
func (h *hostChange) Files(_ context.Context, yield func(*diff.File) error) ([]error, error) {
	l := h.listing
	h.listing = platform.Listing{}
	for _, f := range l.Files {
		if err := yield(f); err != nil {
			return nil, err
		}
	}
	gaps := make([]error, len(l.Gaps))
	for i, g := range l.Gaps {
		gaps[i] = errors.New(g)
	}
	return gaps, nil
}

// Read reads a file at the change's head.
func (h *hostChange) Read(ctx context.Context, path string) ([]byte, error) {
	return h.client.FileContent(ctx, h.c, path, h.c.HeadSHA)
}

// listingChange is a hostChange whose client can list a directory
// (platform.DirLister): the pipeline then gives the change's scanners its
// tree at the head.
type listingChange struct {
	*hostChange
	dirs platform.DirLister
}

var _ review.Lister = (*listingChange)(nil)

// source is h as the pipeline reads it: with its tree when the client can
// list one.
func (h *hostChange) source() review.Source {
	if dl, ok := h.client.(platform.DirLister); ok {
		return &listingChange{hostChange: h, dirs: dl}
	}
	return h
}

// List lists dir at the change's head. A listing the host cut is an error
// wrapping scanners.ErrBound, with what the host did list.
func (l *listingChange) List(ctx context.Context, dir string) ([]string, error) {
	names, err := l.dirs.ListDir(ctx, l.c, dir, l.c.HeadSHA)
	if errors.Is(err, platform.ErrListingCut) {
		return names, fmt.Errorf("%w: %w", scanners.ErrBound, err)
	}
	return names, err
}

// policy reads the policy of change c, whose files are files.
func (w *Worker) policy(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File) (*review.Policy, error) {
	from := review.PolicyFrom{Paths: make([]string, len(files))}
	for i, f := range files {
		from.Paths[i] = f.Path()
	}
	if _, ok := client.(platform.OrgDefaults); ok {
		from.Org = orgDefaults{client, c}
	}
	if cc, ok := configChange(c); ok {
		from.Base = &hostBase{w: w, client: client, c: cc}
	} else {
		// Reading at the push's own base would let the pusher choose the
		// rules.
		from.NoBase = "the push names no default branch to read " + config.RepoFile + " and " + review.AttributesFile + " from"
	}
	return review.ReadPolicy(ctx, from)
}

type orgDefaults struct {
	client platform.Client
	c      platform.Change
}

func (o orgDefaults) OrgFile(ctx context.Context, name string) ([]byte, string, error) {
	return o.client.(platform.OrgDefaults).OrgFile(ctx, o.c, name)
}

// hostBase reads a change's base through the code host, with the worker's
// cache of what a commit holds.
type hostBase struct {
	w      *Worker
	client platform.Client
	c      platform.Change
}

func (b *hostBase) ReadFile(ctx context.Context, path string) ([]byte, error) {
	return b.w.baseFile(ctx, b.client, b.c, path)
}

// configLister is the optional capability of a client that lists, in one
// request, every file called one of names in the tree at ref (GitHub: the
// git trees API). complete is false when the host cut the listing. A
// missing ref gives platform.ErrNotFound.
type configLister interface {
	FilesNamed(ctx context.Context, c platform.Change, ref string, names ...string) (paths []string, complete bool, err error)
}

// FilesNamed lists through the host where it can (GitHub), once per base
// commit; where it cannot (GitLab), the listing is "cut" and each directory
// is asked.
func (b *hostBase) FilesNamed(ctx context.Context, names ...string) ([]string, bool, error) {
	l, ok := b.client.(configLister)
	if !ok {
		return nil, false, nil
	}
	paths, complete, err := b.w.listBase(ctx, l, b.c, names)
	if !complete && err == nil {
		b.w.Log.Info("tree listing cut by the host; looking in each changed directory",
			"repo", b.c.Repo.FullName(), "names", names)
	}
	return paths, complete, err
}
