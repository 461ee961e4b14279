package platform

import "time"

// What a reconciler needs from a code host to catch the reviews a lost
// webhook never asked for: the open pull/merge requests, what each head
// shows of shiftward's check, and (GitHub) the app's webhook deliveries.
// Adapters implement them beside their Client; the reconciler declares the
// interfaces it calls and finds them by type assertion.

// OpenChange is an open pull/merge request at its current head.
type OpenChange struct {
	Change Change
	// UpdatedAt is when the host last saw activity on it (a push, a
	// comment): the earliest the current head can have arrived is unknown,
	// so the age of an unreviewed head is counted from here.
	UpdatedAt time.Time
}

// CheckState is what a head shows of shiftward's review.
type CheckState int

// Check states.
const (
	// CheckMissing: no shiftward check run (GitHub) or commit status
	// (GitLab) on the head.
	CheckMissing CheckState = iota
	// CheckRunning: the check is queued, in progress, pending or running.
	CheckRunning
	// CheckDone: the check has a final result (whatever it is).
	CheckDone
)

func (s CheckState) String() string {
	switch s {
	case CheckMissing:
		return "missing"
	case CheckRunning:
		return "running"
	case CheckDone:
		return "done"
	}
	return "unknown"
}

// HeadCheck is shiftward's check on one head.
type HeadCheck struct {
	State CheckState
	// Since is when a running check started (zero when the host does not
	// say); a check running far longer than a job may run is stuck.
	Since time.Time
}

// Delivery is one attempt of a webhook delivery, as GitHub lists the app's
// (GET /app/hook/deliveries). Attempts of one event share a GUID (the
// X-GitHub-Delivery header); a redelivery is a new attempt with its own ID.
type Delivery struct {
	ID         int64
	GUID       string
	At         time.Time
	Redelivery bool
	// StatusCode is the answer the webhook got, 0 when none came (a
	// timeout, a refused connection).
	StatusCode int
	Event      string
}

// OK reports whether the attempt was answered with a 2xx (GitHub's status
// "OK"). Any other answer failed (GitHub follows no redirect), and so did an
// attempt that got none (status code 0: a timeout, a refused connection).
func (d Delivery) OK() bool { return d.StatusCode >= 200 && d.StatusCode < 300 }

// HookHealth is the state of one of the host's webhooks that deliver to
// shiftward (GitLab disables a webhook that keeps failing).
type HookHealth struct {
	// ID is the host's id of the hook; Project names its project.
	ID      int64
	Project Repo
	// Disabled means the host sends the hook nothing until it is
	// re-enabled (GitLab: alert_status "disabled", after repeated 4xx).
	Disabled bool
	// DisabledUntil is when a temporarily disabled hook is tried again
	// (GitLab: alert_status "temporarily_disabled", after 5xx or
	// timeouts); zero when not temporarily disabled.
	DisabledUntil time.Time
}
