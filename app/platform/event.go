package platform

import "fmt"

// Kind says why a change is to be reviewed.
type Kind string

// Kinds of work a webhook delivery can ask for.
const (
	// KindReview is a pull/merge request opened or updated.
	KindReview Kind = "review"
	// KindPush is a branch push, scanned as the pushed range.
	KindPush Kind = "push"
	// KindRescan is a user asking again (GitHub's "Re-run" on a check).
	KindRescan Kind = "rescan"
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
