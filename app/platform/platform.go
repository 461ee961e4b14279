// Package platform holds the neutral types the worker speaks (Change,
// ChangedFile) and the small interfaces a code host adapter implements. It
// knows no platform library, Redis or HTTP server.
package platform

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners/diff"
)

// Name identifies a code host.
type Name string

// Supported platforms.
const (
	GitHub Name = "github"
	GitLab Name = "gitlab"
)

// Repo names a repository on its platform.
type Repo struct {
	// ID is the platform's numeric id (GitLab project id).
	ID    int64  `json:"id,omitempty"`
	Owner string `json:"owner"`
	Name  string `json:"name"`
	// DefaultBranch is used by push scans to name the base.
	DefaultBranch string `json:"default_branch,omitempty"`
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

// Change is what a job reviews: a pull/merge request at one head, or a pushed range.
type Change struct {
	Platform     Name  `json:"platform"`
	Installation int64 `json:"installation,omitempty"`
	Repo         Repo  `json:"repo"`
	// Number is the pull/merge request number, 0 for a push.
	Number  int    `json:"number,omitempty"`
	BaseSHA string `json:"base_sha"`
	HeadSHA string `json:"head_sha"`
	// Ref is the pushed branch (push) or head branch (pull request).
	Ref string `json:"ref,omitempty"`
	// Fork says the pull request's head branch lives in another
	// repository, where the app cannot commit.
	Fork bool `json:"fork,omitempty"`
}

// IsPush reports whether the change is a pushed range rather than a review request.
func (c Change) IsPush() bool { return c.Number == 0 }

// ChangedFile is one file of a change, with its parsed diff.
type ChangedFile struct {
	Diff *diff.File
}

// CheckID names a check run (GitHub) or the commit status context (GitLab).
type CheckID struct {
	ID int64 `json:"id,omitempty"`
}

// Listing is a change's files as the host listed them, and what it left out.
type Listing struct {
	Files []*diff.File
	// Gaps has one line per part of the change the host would not list or
	// hand over: files past the host's caps, files too large. A listing
	// with gaps makes a review incomplete, never a pass.
	Gaps []string
}

// Client is what the worker needs from a code host, bound to one installation.
type Client interface {
	// Files lists the change's files with their diffs, every page of them.
	// Files the host's list leaves without a patch are filled another way;
	// what cannot be listed or read is in the Listing's Gaps, not an error.
	Files(ctx context.Context, c Change) (Listing, error)
	// FileContent reads a file at a commit. It returns ErrNotFound when absent.
	FileContent(ctx context.Context, c Change, path, sha string) ([]byte, error)
	// BeginCheck shows the change as being reviewed (check run in progress,
	// commit status pending), reusing an existing check of this head.
	BeginCheck(ctx context.Context, c Change) (CheckID, error)
	// Publish posts the review: inline comments not yet posted, resolution of
	// fixed ones, and the final check/status with the summary. Findings that
	// cannot be placed inline land in the summary.
	Publish(ctx context.Context, c Change, check CheckID, r *comments.Review) error
	// Supersede ends the check of an outdated head as neutral.
	Supersede(ctx context.Context, c Change, check CheckID, newerSHA string) error
}

// Budgeted is the optional capability of a Client that knows its API
// budget, shared by every process: Affordable is how many content-creating
// requests it can send now without waiting (-1: nothing bounds it, or it
// cannot say), Costs what publishing a review costs on its host. The worker
// fits the review to it before publishing (comments.Review.Fit), so a
// nearly spent budget gets fewer inline comments and annotations, never a
// lost finding or a failed job.
type Budgeted interface {
	Budget(ctx context.Context) (affordable int, costs comments.Costs)
}

// DirLister is the optional capability of a Client that lists one
// directory of a repository at a commit: what lets scanners read a changed
// file with its neighbours (a Terraform module's other files, a Helm
// chart's values). Entries are file names and subdirectory names ending in
// "/", sorted; a symbolic link is listed as a file, a submodule not at all.
// dir is "" for the root, else a repository-relative path without a
// trailing slash. A directory that does not exist (or is no directory)
// lists nothing, without error. Where the host cuts a listing, the entries
// it gave come with an error wrapping ErrListingCut: a cut listing must not
// read as whole.
type DirLister interface {
	ListDir(ctx context.Context, c Change, dir, sha string) ([]string, error)
}

// ErrListingCut is wrapped by a DirLister's error when the host listed
// only part of a directory.
var ErrListingCut = errors.New("directory listing cut by the code host")

// Factory makes a Client for one installation (GitHub) or the bot token (GitLab).
type Factory interface {
	Client(ctx context.Context, installation int64) (Client, error)
}

// ErrNotFound means the object asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrForbidden means the credentials may not read what was asked for
// (a GitLab project's webhooks, which only Maintainers see).
var ErrForbidden = errors.New("forbidden")

// ErrTooLarge means a file is over the size a client reads.
var ErrTooLarge = errors.New("file too large")

// ErrChangeClosed means the pull/merge request is closed or merged.
var ErrChangeClosed = errors.New("pull request closed")

// ErrStale means the branch moved on while we worked on an older head.
var ErrStale = errors.New("branch moved")

// RateLimitError means the host asked us to slow down; retry no earlier than
// After from now. Sent as 403 or 429 with Retry-After or x-ratelimit-reset.
type RateLimitError struct {
	After time.Duration
	Err   error
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.After, e.Err)
}

func (e *RateLimitError) Unwrap() error { return e.Err }

// RetryAfter tells the job queue to retry no earlier than After from now.
func (e *RateLimitError) RetryAfter() time.Duration { return e.After }

// PermanentError marks a failure no retry can fix (a 404 repository, a
// revoked installation): the job goes straight to the dead-letter stream.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent tells the job queue to dead-letter the job without retrying.
func (e *PermanentError) Permanent() bool { return true }
