// Package comments turns findings into platform-neutral review output: which
// findings go inline on which lines, the markdown of each comment (with a
// hidden fingerprint marker and, where a fix is known, a one-click
// suggestion), the check summary and annotations, and the reconciliation of
// what a previous run already posted.
package comments

import "github.com/shiftward/shiftward/scanners"

// Flavor selects the markdown dialect of the platform a review is for.
type Flavor int

// Flavors of review markdown.
const (
	// GitHub renders suggestions as ```suggestion blocks on the comment's line range.
	GitHub Flavor = iota
	// GitLab renders suggestions as ```suggestion:-N+0 blocks anchored on the last line.
	GitLab
)

// Conclusion is the overall verdict of a review, named as GitHub check runs name them.
type Conclusion string

// Conclusions a review can reach.
const (
	Success Conclusion = "success"
	Failure Conclusion = "failure"
	// Neutral is used when the scan could not be completed or was superseded.
	Neutral Conclusion = "neutral"
)

// Lines tells which lines of the new version of each file the platform accepts
// inline comments on (for GitHub and GitLab: lines inside a diff hunk).
type Lines interface {
	Commentable(path string, line int) bool
}

// Options shape a review.
type Options struct {
	Flavor Flavor
	// FailOn is the lowest severity that makes the review fail (default high).
	FailOn scanners.Severity
	// MaxInline caps the inline comments of one review; the rest go to the
	// summary. Zero means the default (50).
	MaxInline int
	// HeadSHA is the commit reviewed, quoted in summaries.
	HeadSHA string
	// NoInline, when set, keeps every finding out of inline comments and
	// says why (the repository's comments.mode).
	NoInline string
	// Problems fail the review whatever the findings: an invalid
	// .shiftward.yml (file:line:col: message), suppressions awaiting review.
	Problems []string
	// Notes are shown in the summary without affecting the verdict:
	// suppressions this change adds, expired ignore entries.
	Notes []string
}

// Comment is one inline review comment.
type Comment struct {
	Path string
	// StartLine..Line is the commented range on the new file; StartLine
	// equals Line for a single line.
	StartLine   int
	Line        int
	Body        string
	Fingerprint string
	Severity    scanners.Severity
}

// Annotation is one check-run annotation (GitHub) or code-quality entry.
type Annotation struct {
	Path      string
	StartLine int
	EndLine   int
	// Level is "failure", "warning" or "notice", as the GitHub checks API names them.
	Level   string
	Title   string
	Message string
}

// Posted is a comment an earlier run left on the change, as read back from
// the platform.
type Posted struct {
	// ID is the platform's id of the comment (or discussion note).
	ID int64
	// ThreadID is the GitLab discussion id, empty on GitHub.
	ThreadID    string
	Fingerprint string
	// Resolved is true once shiftward marked the comment fixed.
	Resolved bool
	Body     string
}

// Fixable counts the findings with a deterministic fix, which GitHub's
// "Apply fixes" button commits.
func (r *Review) Fixable() int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Fix != nil {
			n++
		}
	}
	return n
}
