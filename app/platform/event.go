package platform

import "fmt"

// Kind says what a change is to be done with: why a webhook delivery asks
// for work, and what a queued job (queue.Job.Kind) does. It is the one
// vocabulary of job kinds; its values are stored in queued jobs, so a value
// never changes meaning.
type Kind string

// Kinds of work.
const (
	// KindReview reviews a pull/merge request at one head (opened or
	// updated).
	KindReview Kind = "review"
	// KindPush scans a pushed range of a branch.
	KindPush Kind = "push"
	// KindRescan reviews again on request (GitHub's "Re-run" on a check, a
	// comment command, a sweep of pull requests whose head has no result).
	KindRescan Kind = "rescan"
	// KindCommand answers a /shiftward command written in a comment on a
	// pull/merge request; its Change names the pull request, and may lack
	// the head (a GitHub conversation comment does not say it).
	KindCommand Kind = "command"
	// KindApplyFixes commits every deterministic fix of the current
	// findings to the branch (GitHub's "Apply fixes" check run button).
	KindApplyFixes Kind = "apply-fixes"
)

// Event is a verified, parsed webhook delivery in neutral form: either the
// changes to review, or the reason the delivery asks for nothing.
type Event struct {
	// DeliveryID is the platform's id of the delivery (X-GitHub-Delivery),
	// the same on redelivery.
	DeliveryID string `json:"delivery_id"`
	Kind       Kind   `json:"kind,omitempty"`
	// Changes holds one change per pull request to review; a check suite
	// re-run can name several.
	Changes []Change `json:"changes,omitempty"`
	// Command is the comment command of a KindCommand event.
	Command *Command `json:"command,omitempty"`
	// Ignored, when non-empty, says why the delivery asks for nothing; the
	// handler still answers 2xx so the platform does not flag the hook.
	Ignored string `json:"ignored,omitempty"`
}

// ValidationError means a delivery's body is malformed or lacks a field the
// event needs. Webhook handlers map it to 400.
type ValidationError struct {
	// Reason is short and never quotes the payload.
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid webhook payload: %s", e.Reason) }
