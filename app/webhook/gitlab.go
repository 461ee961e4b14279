package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
)

// GitLab is the Source for GitLab project (or group) webhooks.
type GitLab struct {
	// Secrets are the accepted X-Gitlab-Token values, current first.
	Secrets [][]byte
}

var _ Source = GitLab{}

// Platform returns "gitlab".
func (GitLab) Platform() string { return string(platform.GitLab) }

// Verify compares X-Gitlab-Token, a plain shared secret, in constant time.
func (g GitLab) Verify(h http.Header, _ []byte) error {
	if err := gitlab.Verify(g.Secrets, h.Get("X-Gitlab-Token")); err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	return nil
}

// Parse turns a delivery into jobs.
//
// GitLab retries a delivery with the same Idempotency-Key (17.4+) and names
// each event with X-Gitlab-Event-UUID; either identifies a redelivery. A
// merge request update is further keyed by project, MR and head sha, so two
// hooks (or a retry and a manual "test" delivery) for the same head make one
// job, whatever their headers.
func (GitLab) Parse(h http.Header, body []byte) (Delivery, error) {
	d := Delivery{ID: h.Get("Idempotency-Key"), Event: h.Get("X-Gitlab-Event")}
	if d.ID == "" {
		d.ID = h.Get("X-Gitlab-Event-UUID")
	}
	ev, err := gitlab.Parse(d.Event, body)
	if err != nil {
		var ve *platform.ValidationError
		if errors.As(err, &ve) {
			return d, fmt.Errorf("%w: %s", ErrInvalid, ve.Reason)
		}
		return d, err
	}
	d.Ignored = ev.Ignored
	if ev.Ignored != "" {
		return d, nil
	}
	for _, c := range ev.Changes {
		key := d.ID
		switch {
		case ev.Kind == platform.KindReview:
			key = "gitlab-mr:" + strconv.FormatInt(c.Repo.ID, 10) + ":" + strconv.Itoa(c.Number) + ":" + c.HeadSHA
		case ev.Kind == platform.KindCommand:
			// A note runs its command once, however often it is delivered.
			key = "gitlab-note:" + strconv.FormatInt(c.Repo.ID, 10) + ":" + strconv.FormatInt(ev.Command.CommentID, 10)
		case key == "":
			key = "gitlab-push:" + strconv.FormatInt(c.Repo.ID, 10) + ":" + c.Ref + ":" + c.HeadSHA
		}
		d.Jobs = append(d.Jobs, Jobs(&platform.Event{DeliveryID: key, Kind: ev.Kind, Changes: []platform.Change{c}, Command: ev.Command})...)
	}
	if d.ID == "" && len(d.Jobs) > 0 {
		d.ID = d.Jobs[0].DeliveryID
	}
	return d, nil
}
