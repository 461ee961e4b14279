package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/queue"
)

// GitHub is the Source for GitHub App deliveries.
type GitHub struct {
	// Secrets are the webhook secrets accepted, current first (rotation).
	Secrets [][]byte
}

var _ Source = GitHub{}

// Platform returns "github".
func (GitHub) Platform() string { return string(platform.GitHub) }

// Verify checks X-Hub-Signature-256 over the raw body.
func (g GitHub) Verify(h http.Header, body []byte) error {
	if err := github.Verify(g.Secrets, body, h.Get("X-Hub-Signature-256")); err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	return nil
}

// Parse turns a delivery into jobs, one per pull request it names.
func (GitHub) Parse(h http.Header, body []byte) (Delivery, error) {
	d := Delivery{ID: h.Get("X-GitHub-Delivery"), Event: h.Get("X-GitHub-Event")}
	if d.ID == "" {
		return d, fmt.Errorf("%w: missing X-GitHub-Delivery header", ErrInvalid)
	}
	// A hook set to "application/x-www-form-urlencoded" sends the JSON in a
	// payload field; the signature covers the raw form body, checked before.
	if ct := h.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			return d, fmt.Errorf("%w: form body without a payload field", ErrInvalid)
		}
		body = []byte(form.Get("payload"))
	}
	ev, err := github.Parse(d.Event, d.ID, body)
	if err != nil {
		var ve *platform.ValidationError
		if errors.As(err, &ve) {
			return d, fmt.Errorf("%w: %s", ErrInvalid, ve.Reason)
		}
		return d, err
	}
	d.Ignored = ev.Ignored
	d.Jobs = Jobs(ev)
	return d, nil
}

// Jobs makes one queue job per change of a parsed event. When an event names
// several pull requests, each job's delivery id gets the pull request number
// so deduplication stays per job.
func Jobs(ev *platform.Event) []queue.Job {
	if ev.Ignored != "" {
		return nil
	}
	jobs := make([]queue.Job, 0, len(ev.Changes))
	for _, c := range ev.Changes {
		id := ev.DeliveryID
		if len(ev.Changes) > 1 {
			id += "/" + strconv.Itoa(c.Number)
		}
		jobs = append(jobs, queue.Job{DeliveryID: id, Kind: string(ev.Kind), Change: c, Command: ev.Command})
	}
	return jobs
}
