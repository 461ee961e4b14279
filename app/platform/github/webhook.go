// Package github is shiftward's GitHub App adapter: webhook verification and
// parsing, installation clients (go-github over ghinstallation), and the
// platform.Client that reads pull requests and posts check runs and reviews.
package github

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/shiftward/shiftward/app/platform"
)

// ErrSignature means a delivery's X-Hub-Signature-256 is missing, malformed,
// or matches none of the configured secrets. The handler answers 401 and
// reads nothing further.
var ErrSignature = errors.New("webhook signature invalid")

const signaturePrefix = "sha256="

// ParseSignature checks the shape of an X-Hub-Signature-256 header,
// "sha256=" and 64 hex digits, and returns the digest. It looks at the header
// only, so a delivery that cannot be authentic is refused before its body is
// read.
func ParseSignature(signatureHeader string) ([]byte, error) {
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(signatureHeader), signaturePrefix)
	if !ok {
		return nil, fmt.Errorf("%w: missing or not sha256", ErrSignature)
	}
	if len(hexSig) != 2*sha256.Size {
		return nil, fmt.Errorf("%w: malformed", ErrSignature)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return nil, fmt.Errorf("%w: malformed", ErrSignature)
	}
	return got, nil
}

// Verifier checks a signature over a body written to it piece by piece, so
// the HMAC is computed while the body is read rather than in a second pass.
type Verifier struct {
	want []byte
	macs []hash.Hash
}

// NewVerifier checks the header's shape (ParseSignature) and prepares one
// HMAC per non-empty secret. Write the raw body to it, then call Verify.
func NewVerifier(secrets [][]byte, signatureHeader string) (*Verifier, error) {
	want, err := ParseSignature(signatureHeader)
	if err != nil {
		return nil, err
	}
	v := &Verifier{want: want}
	for _, s := range secrets {
		if len(s) > 0 {
			v.macs = append(v.macs, hmac.New(sha256.New, s))
		}
	}
	return v, nil
}

// Write adds p to the HMACs; it never fails.
func (v *Verifier) Write(p []byte) (int, error) {
	for _, m := range v.macs {
		m.Write(p)
	}
	return len(p), nil
}

// Verify reports whether the body written matches the signature under any
// secret. Every secret's HMAC is compared, in constant time.
func (v *Verifier) Verify() error {
	ok := false
	for _, m := range v.macs {
		if hmac.Equal(m.Sum(nil), v.want) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("%w: no secret matches", ErrSignature)
	}
	return nil
}

// Verify checks GitHub's X-Hub-Signature-256 header ("sha256=<hex>"): the
// HMAC-SHA256 of the raw body keyed by the webhook secret. Any of secrets may
// match, so a secret can be rotated without dropping deliveries. Empty
// secrets are skipped: verification is never "off".
func Verify(secrets [][]byte, body []byte, signatureHeader string) error {
	v, err := NewVerifier(secrets, signatureHeader)
	if err != nil {
		return err
	}
	v.Write(body)
	return v.Verify()
}

// Event names GitHub sends in X-GitHub-Event that Parse acts on.
const (
	eventPullRequest   = "pull_request"
	eventCheckSuite    = "check_suite"
	eventCheckRun      = "check_run"
	eventPush          = "push"
	eventIssueComment  = "issue_comment"
	eventReviewComment = "pull_request_review_comment"
	eventReview        = "pull_request_review"
)

// Identifiers of the check run's requested actions (buttons).
const (
	ActionRerun      = "rerun"
	ActionApplyFixes = "apply_fixes"
)

// Minimal views of the payloads: only what a Change needs. Pointers tell a
// missing field from a zero one.
type (
	whRepo struct {
		ID    *int64 `json:"id"`
		Name  string `json:"name"`
		Owner *struct {
			Login string `json:"login"`
			Name  string `json:"name"`
		} `json:"owner"`
		DefaultBranch string `json:"default_branch"`
	}
	whInstallation struct {
		ID int64 `json:"id"`
	}
	whRef struct {
		Ref  string `json:"ref"`
		SHA  string `json:"sha"`
		Repo *struct {
			ID int64 `json:"id"`
		} `json:"repo"`
	}
	whPR struct {
		Number int    `json:"number"`
		State  string `json:"state"`
		Head   *whRef `json:"head"`
		Base   *whRef `json:"base"`
	}
	whUser struct {
		Login string `json:"login"`
		ID    int64  `json:"id"`
		Type  string `json:"type"`
	}
	whComment struct {
		ID   int64   `json:"id"`
		Body string  `json:"body"`
		User *whUser `json:"user"`
	}
	whSuite struct {
		HeadBranch   string  `json:"head_branch"`
		HeadSHA      string  `json:"head_sha"`
		Before       string  `json:"before"`
		PullRequests []*whPR `json:"pull_requests"`
	}
	whPayload struct {
		Action       string          `json:"action"`
		Number       int             `json:"number"`
		PullRequest  *whPR           `json:"pull_request"`
		Repository   *whRepo         `json:"repository"`
		Installation *whInstallation `json:"installation"`
		CheckSuite   *whSuite        `json:"check_suite"`
		CheckRun     *struct {
			HeadSHA      string   `json:"head_sha"`
			PullRequests []*whPR  `json:"pull_requests"`
			CheckSuite   *whSuite `json:"check_suite"`
			App          *struct {
				ID int64 `json:"id"`
			} `json:"app"`
		} `json:"check_run"`
		RequestedAction *struct {
			Identifier string `json:"identifier"`
		} `json:"requested_action"`
		Comment *whComment `json:"comment"`
		Issue   *struct {
			Number      int              `json:"number"`
			State       string           `json:"state"`
			PullRequest *json.RawMessage `json:"pull_request"`
		} `json:"issue"`
		Review *struct {
			State    string  `json:"state"`
			CommitID string  `json:"commit_id"`
			User     *whUser `json:"user"`
		} `json:"review"`
		// push
		Ref     string `json:"ref"`
		Before  string `json:"before"`
		After   string `json:"after"`
		Deleted bool   `json:"deleted"`
	}
)

// reviewActions are the pull_request actions that put new code (or a
// reviewer's attention) on a pull request. Drafts are reviewed too: an early
// warning about a committed secret is worth most before anyone merges.
var reviewActions = map[string]bool{
	"opened":           true,
	"synchronize":      true,
	"reopened":         true,
	"ready_for_review": true,
}

// Parse turns a verified delivery into a platform.Event. A delivery shiftward
// has nothing to do for (another event or action, a tag push, a closed pull
// request) comes back with Ignored set and a nil error; a body that is not
// JSON or lacks a field the event needs gives a *platform.ValidationError.
// Ref is always a bare branch name ("main"). Parse never panics.
func Parse(event, deliveryID string, body []byte) (*platform.Event, error) {
	return parse(event, deliveryID, body, new(string))
}

// ParseAction is Parse that also returns the payload's action ("opened",
// "closed"), for logs; "" when the event is not one shiftward reads.
func ParseAction(event, deliveryID string, body []byte) (*platform.Event, string, error) {
	var action string
	ev, err := parse(event, deliveryID, body, &action)
	return ev, action, err
}

func parse(event, deliveryID string, body []byte, action *string) (*platform.Event, error) {
	ev := &platform.Event{DeliveryID: deliveryID}
	switch event {
	case eventPullRequest, eventCheckSuite, eventCheckRun, eventPush, eventIssueComment, eventReviewComment, eventReview:
	case "":
		return nil, platform.Invalid("missing event name")
	default:
		ev.Ignored = fmt.Sprintf("event %q is not handled", event)
		return ev, nil
	}
	var p whPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, platform.Invalid("body is not a JSON object")
	}
	*action = p.Action
	switch event {
	case eventPullRequest:
		if !reviewActions[p.Action] {
			ev.Ignored = fmt.Sprintf("pull_request action %q is not handled", p.Action)
			return ev, nil
		}
	case eventCheckSuite:
		if p.Action != "rerequested" {
			ev.Ignored = fmt.Sprintf("%s action %q is not handled", event, p.Action)
			return ev, nil
		}
	case eventCheckRun:
		if p.Action != "rerequested" && p.Action != "requested_action" {
			ev.Ignored = fmt.Sprintf("%s action %q is not handled", event, p.Action)
			return ev, nil
		}
	case eventIssueComment, eventReviewComment:
		if reason := commentIgnored(event, &p); reason != "" {
			ev.Ignored = reason
			return ev, nil
		}
	case eventReview:
		// An approval can be what a change with new suppressions waits
		// for (require_suppression_review): review it again.
		if p.Action != "submitted" || p.Review == nil || !strings.EqualFold(p.Review.State, "approved") {
			ev.Ignored = "pull_request_review is not an approval"
			return ev, nil
		}
	case eventPush:
		if reason := pushIgnored(&p); reason != "" {
			ev.Ignored = reason
			return ev, nil
		}
	}
	if p.Installation == nil || p.Installation.ID <= 0 {
		// A repository or organisation hook, not the App: there is no
		// installation to act as, so there is nothing to do.
		ev.Ignored = "delivery has no installation (not a GitHub App delivery)"
		return ev, nil
	}
	repo, err := parseRepo(p.Repository)
	if err != nil {
		return nil, err
	}
	base := platform.Change{Platform: platform.GitHub, Installation: p.Installation.ID, Repo: repo}

	switch event {
	case eventPullRequest:
		return parsePullRequest(ev, &p, base)
	case eventCheckSuite:
		if p.CheckSuite == nil {
			return nil, platform.Invalid("check_suite missing")
		}
		return parseRerun(ev, base, p.CheckSuite.HeadSHA, p.CheckSuite)
	case eventIssueComment, eventReviewComment:
		return parseComment(ev, event, &p, base)
	case eventReview:
		ev, err := parsePullRequest(ev, &p, base)
		if err == nil && ev.Ignored == "" {
			ev.Kind = platform.KindRescan
		}
		return ev, err
	case eventCheckRun:
		if p.CheckRun == nil || p.CheckRun.CheckSuite == nil {
			return nil, platform.Invalid("check_run or its check_suite missing")
		}
		if p.Action == "requested_action" {
			return parseRequestedAction(ev, &p, base)
		}
		suite := *p.CheckRun.CheckSuite
		if len(p.CheckRun.PullRequests) > 0 {
			suite.PullRequests = p.CheckRun.PullRequests
		}
		return parseRerun(ev, base, p.CheckRun.HeadSHA, &suite)
	default: // push
		return parsePush(ev, &p, base)
	}
}

func parsePullRequest(ev *platform.Event, p *whPayload, c platform.Change) (*platform.Event, error) {
	pr := p.PullRequest
	if pr == nil {
		return nil, platform.Invalid("pull_request missing")
	}
	if pr.State == "closed" {
		ev.Ignored = "pull request is closed"
		return ev, nil
	}
	num := p.Number
	if num == 0 {
		num = pr.Number
	}
	if num <= 0 {
		return nil, platform.Invalid("pull request number missing")
	}
	if pr.Base == nil || pr.Head == nil || !platform.ValidSHA(pr.Base.SHA) || !platform.ValidSHA(pr.Head.SHA) {
		return nil, platform.Invalid("pull request base or head sha missing or malformed")
	}
	c.Number, c.BaseSHA, c.HeadSHA, c.Ref = num, pr.Base.SHA, pr.Head.SHA, pr.Head.Ref
	// A head repository that differs from the base is a fork: the app
	// cannot commit there.
	c.Fork = pr.Head.Repo != nil && pr.Base.Repo != nil && pr.Head.Repo.ID != pr.Base.Repo.ID
	ev.Kind = platform.KindReview
	ev.Changes = []platform.Change{c}
	return ev, nil
}

// parseRerun handles "Re-run" on a check suite or run: each pull request the
// suite names is reviewed again at its head; a suite on a branch with no pull
// request is scanned like a push of the suite's range.
func parseRerun(ev *platform.Event, base platform.Change, headSHA string, s *whSuite) (*platform.Event, error) {
	ev.Kind = platform.KindRescan
	for _, pr := range s.PullRequests {
		if pr == nil || pr.Number <= 0 || pr.Base == nil || pr.Head == nil ||
			!platform.ValidSHA(pr.Base.SHA) || !platform.ValidSHA(pr.Head.SHA) {
			return nil, platform.Invalid("check suite pull request incomplete")
		}
		c := base
		c.Number, c.BaseSHA, c.HeadSHA, c.Ref = pr.Number, pr.Base.SHA, pr.Head.SHA, pr.Head.Ref
		ev.Changes = append(ev.Changes, c)
	}
	if len(ev.Changes) > 0 {
		return ev, nil
	}
	if headSHA == "" {
		headSHA = s.HeadSHA
	}
	if !platform.ValidSHA(headSHA) {
		return nil, platform.Invalid("check head sha missing or malformed")
	}
	c := base
	c.HeadSHA, c.Ref = headSHA, s.HeadBranch
	c.BaseSHA = s.Before
	if !platform.ValidSHA(c.BaseSHA) || platform.IsZeroSHA(c.BaseSHA) {
		if base.Repo.DefaultBranch == "" {
			return nil, platform.Invalid("no base: check suite has no before sha and repository no default branch")
		}
		c.BaseSHA = base.Repo.DefaultBranch
	}
	ev.Changes = []platform.Change{c}
	return ev, nil
}

// commentIgnored says why a comment delivery holds no command for us, or "".
func commentIgnored(event string, p *whPayload) string {
	switch {
	case p.Action != "created":
		// An edited comment is not run again: a command runs once.
		return fmt.Sprintf("%s action %q is not handled", event, p.Action)
	case p.Comment == nil:
		return ""
	case p.Comment.User != nil && strings.EqualFold(p.Comment.User.Type, "Bot"):
		return "comment by a bot"
	case event == eventIssueComment && (p.Issue == nil || p.Issue.PullRequest == nil):
		return "comment is on an issue, not a pull request"
	case event == eventIssueComment && p.Issue.State == "closed":
		return "pull request is closed"
	}
	if _, ok := platform.ParseCommand(p.Comment.Body); !ok {
		return "comment holds no /shiftward command"
	}
	return ""
}

// parseComment makes a command event of a pull request comment. A
// conversation comment's payload does not say the pull request's head: the
// worker asks for it.
func parseComment(ev *platform.Event, event string, p *whPayload, c platform.Change) (*platform.Event, error) {
	cm := p.Comment
	if cm == nil || cm.ID <= 0 || cm.User == nil || cm.User.Login == "" {
		return nil, platform.Invalid("comment, its id or its author missing")
	}
	cmd, _ := platform.ParseCommand(cm.Body)
	cmd.Author, cmd.AuthorID, cmd.CommentID = cm.User.Login, cm.User.ID, cm.ID
	switch event {
	case eventIssueComment:
		if p.Issue.Number <= 0 {
			return nil, platform.Invalid("issue number missing")
		}
		c.Number = p.Issue.Number
		cmd.Comment = platform.CommentIssue
	default:
		pr := p.PullRequest
		if pr == nil || pr.Number <= 0 {
			return nil, platform.Invalid("pull_request missing")
		}
		c.Number = pr.Number
		if pr.Base != nil && pr.Head != nil && platform.ValidSHA(pr.Base.SHA) && platform.ValidSHA(pr.Head.SHA) {
			c.BaseSHA, c.HeadSHA, c.Ref = pr.Base.SHA, pr.Head.SHA, pr.Head.Ref
		}
		cmd.Comment = platform.CommentReview
	}
	ev.Kind = platform.KindCommand
	ev.Command = &cmd
	ev.Changes = []platform.Change{c}
	return ev, nil
}

// parseRequestedAction handles the check run's buttons: Re-run reviews the
// pull request again, Apply fixes commits the findings' fixes. Pull requests
// from forks are not listed in a check run, so a button there asks for
// nothing.
func parseRequestedAction(ev *platform.Event, p *whPayload, c platform.Change) (*platform.Event, error) {
	if p.RequestedAction == nil {
		return nil, platform.Invalid("requested_action missing")
	}
	kind := platform.KindRescan
	switch p.RequestedAction.Identifier {
	case ActionRerun:
	case ActionApplyFixes:
		kind = platform.KindApplyFixes
	default:
		ev.Ignored = fmt.Sprintf("requested action %q is not ours", p.RequestedAction.Identifier)
		return ev, nil
	}
	suite := *p.CheckRun.CheckSuite
	if len(p.CheckRun.PullRequests) > 0 {
		suite.PullRequests = p.CheckRun.PullRequests
	}
	if len(suite.PullRequests) == 0 {
		ev.Ignored = "requested action on a check run with no pull request"
		return ev, nil
	}
	out, err := parseRerun(ev, c, p.CheckRun.HeadSHA, &suite)
	if err != nil {
		return nil, err
	}
	out.Kind = kind
	return out, nil
}

func pushIgnored(p *whPayload) string {
	switch {
	case !strings.HasPrefix(p.Ref, "refs/heads/"):
		return "push is not to a branch"
	case p.Deleted || platform.IsZeroSHA(p.After):
		return "push deletes the branch"
	}
	return ""
}

// parsePush scans the pushed range before..after; a new branch (before all
// zeros) is compared with the default branch.
func parsePush(ev *platform.Event, p *whPayload, c platform.Change) (*platform.Event, error) {
	if !platform.ValidSHA(p.After) {
		return nil, platform.Invalid("push after sha missing or malformed")
	}
	c.HeadSHA = p.After
	c.Ref = strings.TrimPrefix(p.Ref, "refs/heads/")
	switch {
	case platform.ValidSHA(p.Before) && !platform.IsZeroSHA(p.Before):
		c.BaseSHA = p.Before
	case c.Repo.DefaultBranch != "":
		c.BaseSHA = c.Repo.DefaultBranch
	default:
		return nil, platform.Invalid("new branch pushed but repository has no default branch")
	}
	ev.Kind = platform.KindPush
	ev.Changes = []platform.Change{c}
	return ev, nil
}

func parseRepo(r *whRepo) (platform.Repo, error) {
	if r == nil || r.ID == nil || r.Owner == nil {
		return platform.Repo{}, platform.Invalid("repository missing")
	}
	owner := r.Owner.Login
	if owner == "" {
		owner = r.Owner.Name // push payloads of old shape name the owner
	}
	if !validName(owner) || !validName(r.Name) {
		return platform.Repo{}, platform.Invalid("repository owner or name missing or malformed")
	}
	return platform.Repo{ID: *r.ID, Owner: owner, Name: r.Name, DefaultBranch: r.DefaultBranch}, nil
}

// validName accepts GitHub owner and repository names (at most 100
// characters), which never contain a slash, a dot-only segment or
// whitespace; they go into API paths.
func validName(s string) bool { return platform.ValidPathSegment(s, 100) }
