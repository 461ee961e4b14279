package webhook

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
)

// GitLab is the Source for GitLab project (or group) webhooks.
type GitLab struct {
	// Secrets are the accepted X-Gitlab-Token values, current first, each
	// accepted for every project.
	Secrets [][]byte
	// Hooks are tokens each accepted only for the projects they list.
	Hooks []config.GitLabHook
	// Bot, when set, tells the bot user's id (known once the bot token's
	// GET /user answered): its own notes are dropped before queuing, as
	// GitLab's Note Hook has no "bot" field. The worker checks again.
	Bot func(userID int64) bool
}

var _ Source = GitLab{}

// Platform returns "gitlab".
func (GitLab) Platform() string { return string(platform.GitLab) }

// Precheck compares X-Gitlab-Token, a plain shared secret, in constant time
// with every configured token before any of the body is read; then checks
// the event is named and the body is JSON, as GitLab always sends.
func (g GitLab) Precheck(h http.Header) (Check, error) {
	tokens := make([][]byte, 0, len(g.Secrets)+len(g.Hooks))
	tokens = append(tokens, g.Secrets...)
	for i := range g.Hooks {
		tokens = append(tokens, g.Hooks[i].Token)
	}
	i, err := gitlab.MatchToken(tokens, h.Get("X-Gitlab-Token"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	c := &gitlabCheck{event: h.Get("X-Gitlab-Event"), id: h.Get("Idempotency-Key"), bot: g.Bot}
	if c.id == "" {
		c.id = h.Get("X-Gitlab-Event-UUID")
	}
	if i >= len(g.Secrets) {
		c.hook = &g.Hooks[i-len(g.Secrets)]
	}
	switch {
	case c.event == "" || len(c.event) > maxHeaderValue:
		return nil, fmt.Errorf("%w: missing or overlong X-Gitlab-Event header", ErrInvalidPayload)
	case len(c.id) > maxHeaderValue:
		return nil, fmt.Errorf("%w: overlong Idempotency-Key or X-Gitlab-Event-UUID header", ErrInvalidPayload)
	}
	if _, err := mediaType(h, "application/json"); err != nil {
		return nil, err
	}
	return c, nil
}

// gitlabCheck is a delivery whose token matched: the body needs no more
// verification, but the token may be limited to some projects (hook).
type gitlabCheck struct {
	event, id string
	// hook is the matched token's entry; nil for a token of every project.
	hook *config.GitLabHook
	bot  func(userID int64) bool
}

// Write implements Check: the token was checked already.
func (*gitlabCheck) Write(p []byte) (int, error) { return len(p), nil }

// Verify implements Check: the token was checked by Precheck.
func (*gitlabCheck) Verify() error { return nil }

var _ io.Writer = (*gitlabCheck)(nil)

// Parse turns a delivery into jobs.
//
// GitLab retries a delivery with the same Idempotency-Key (17.4+) and names
// each event with X-Gitlab-Event-UUID; either identifies a redelivery. A
// merge request update is further keyed by project, MR and head sha, so two
// hooks (or a retry and a manual "test" delivery) for the same head make one
// job, whatever their headers.
//
// A token limited to some projects must allow each project the delivery
// would queue work for, else ErrUnauthorized. Allowed by project id, the job
// names the project by id; allowed by path only, the job names it by path
// alone (Repo.ID cleared), since the id in the body is not what the path
// glob vouched for and the API would act on whatever project it names.
func (c *gitlabCheck) Parse(body []byte) (Delivery, error) {
	d := Delivery{ID: c.id, Event: c.event}
	ev, action, err := gitlab.ParseAction(d.Event, body)
	if err != nil {
		var ve *platform.ValidationError
		if errors.As(err, &ve) {
			return d, fmt.Errorf("%w: %s", ErrInvalidPayload, ve.Reason)
		}
		return d, err
	}
	if ev.Kind == platform.KindCommand && c.bot != nil && c.bot(ev.Command.AuthorID) {
		ev.Ignored = "note by the bot itself"
	}
	d.Ignored, d.Action = ev.Ignored, action
	if ev.Ignored != "" {
		return d, nil
	}
	for i := range ev.Changes {
		if err := c.scope(&ev.Changes[i].Repo); err != nil {
			return d, err
		}
	}
	for _, ch := range ev.Changes {
		key := d.ID
		project := projectKey(ch.Repo)
		switch {
		case ev.Kind == platform.KindReview:
			key = "gitlab-mr:" + project + ":" + strconv.Itoa(ch.Number) + ":" + ch.HeadSHA
		case ev.Kind == platform.KindCommand:
			// A note runs its command once, however often it is delivered.
			key = "gitlab-note:" + project + ":" + strconv.FormatInt(ev.Command.CommentID, 10)
		case key == "":
			key = "gitlab-push:" + project + ":" + ch.Ref + ":" + ch.HeadSHA
		}
		d.Jobs = append(d.Jobs, Jobs(&platform.Event{DeliveryID: key, Kind: ev.Kind, Changes: []platform.Change{ch}, Command: ev.Command})...)
	}
	if d.ID == "" && len(d.Jobs) > 0 {
		d.ID = d.Jobs[0].DeliveryID
	}
	return d, nil
}

// scope checks the matched token may speak for repo, clearing its id when
// only its path was vouched for.
func (c *gitlabCheck) scope(repo *platform.Repo) error {
	switch {
	case c.hook == nil, c.hook.AllowsID(repo.ID):
		return nil
	case c.hook.AllowsPath(repo.FullName()):
		repo.ID = 0
		return nil
	}
	return fmt.Errorf("%w: token of hook %q is not allowed for project %d (%.255s)",
		ErrUnauthorized, c.hook.Name, repo.ID, repo.FullName())
}

// projectKey names a project in dedupe keys: its id, or its path when only
// the path is known.
func projectKey(r platform.Repo) string {
	if r.ID > 0 {
		return strconv.FormatInt(r.ID, 10)
	}
	return "path:" + strings.ToLower(r.FullName())
}
