package comments

import "github.com/shiftward/shiftward/scanners"

// STUB: signatures fixed, implementation pending.

// Review is the platform-neutral result of a scan, ready to post.
type Review struct {
	Conclusion Conclusion
	// Title is one line for the check run title / status description ("2 findings: 1 high").
	Title string
	// Findings holds every finding of the change, sorted.
	Findings []scanners.Finding
	// Inline are the comments to place on lines of the diff.
	Inline []Comment
	// Unplaced are findings shown only in the summary, each with the reason.
	Unplaced []Unplaced
	// Incomplete lists what could not be scanned (a scanner's error, a file
	// too large); non-empty makes a passing review neutral, never success.
	Incomplete []string
	opt        Options
}

// Unplaced is a finding that has no inline comment, and why.
type Unplaced struct {
	Finding scanners.Finding
	Reason  string
}

// Build turns a scan result into a review. lines may be nil (push scans):
// then nothing goes inline.
func Build(res *scanners.Result, lines Lines, opt Options) *Review { return &Review{opt: opt} }

// Summary renders the check-run summary / GitLab summary note (markdown, at
// most 65,535 characters).
func (r *Review) Summary() string { return "" }

// Text renders the review for a terminal (shiftward scan --format text).
func (r *Review) Text() string { return "" }

// Annotations are the check-run annotations, one per finding.
func (r *Review) Annotations() []Annotation { return nil }

// Demote moves the inline comment with this fingerprint to the summary with
// the reason (the platform refused its position).
func (r *Review) Demote(fingerprint, reason string) {}

// Marker is the hidden HTML comment that names a finding in a posted body.
func Marker(fingerprint string) string { return "<!-- shiftward:fp=" + fingerprint + " -->" }

// ParseMarker finds the fingerprint in a posted body and whether it was
// marked resolved.
func ParseMarker(body string) (fingerprint string, resolved bool, ok bool) { return "", false, false }

// Reconcile compares the review with what earlier runs posted: comments to
// post (their fingerprint is not yet posted) and posted ones to mark resolved
// (their finding is gone).
func Reconcile(r *Review, posted []Posted) (post []Comment, resolve []Posted) { return nil, nil }

// ResolvedBody is the body of a posted comment edited to say it was fixed in sha.
func ResolvedBody(body, sha string) string { return body }
