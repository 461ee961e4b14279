// Package gitlab is shiftward's GitLab adapter: webhook token check and
// parsing, a Factory for the bot token's client (client-go, with a retry
// policy that never repeats a POST), and the platform.Client that reads merge
// requests and posts discussions, a summary note and a commit status.
package gitlab

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shiftward/shiftward/app/platform"
)

// ErrToken means a delivery's X-Gitlab-Token is missing or matches none of
// the configured secrets. The handler answers 401 and reads nothing further.
var ErrToken = errors.New("webhook token invalid")

// Verify checks GitLab's X-Gitlab-Token header, which is the webhook's
// secret token sent verbatim (not an HMAC over the body). Any of secrets may
// match, so a secret can be rotated without dropping deliveries; every
// secret is compared, in constant time, whatever matched before. Empty
// secrets are skipped: verification is never "off".
func Verify(secrets [][]byte, token string) error {
	_, err := MatchToken(secrets, token)
	return err
}

// MatchToken is Verify that also says which secret matched (its index in
// secrets), so a caller can apply what that secret is allowed to do (the
// projects it may speak for). It looks at the header only: a delivery with a
// wrong token is refused before its body is read.
func MatchToken(secrets [][]byte, token string) (int, error) {
	if token == "" {
		return -1, fmt.Errorf("%w: missing", ErrToken)
	}
	got := []byte(token)
	match := -1
	for i, s := range secrets {
		if len(s) == 0 {
			continue
		}
		// ConstantTimeCompare returns at once on a length mismatch, which
		// tells an attacker only the secret's length, not its content.
		// Every secret is compared: the time does not say which matched.
		if subtle.ConstantTimeCompare(s, got) == 1 && match < 0 {
			match = i
		}
	}
	if match < 0 {
		return -1, fmt.Errorf("%w: no secret matches", ErrToken)
	}
	return match, nil
}

// Event names GitLab sends in X-Gitlab-Event that Parse reads.
const (
	eventMergeRequest = "Merge Request Hook"
	eventPush         = "Push Hook"
	eventNote         = "Note Hook"
	eventSystem       = "System Hook"
)

// Minimal views of the payloads: only what a Change needs. Pointers tell a
// missing field from a zero one.
type (
	whProject struct {
		ID                *int64 `json:"id"`
		PathWithNamespace string `json:"path_with_namespace"`
		DefaultBranch     string `json:"default_branch"`
	}
	whCommit struct {
		ID string `json:"id"`
	}
	whMR struct {
		IID          int       `json:"iid"`
		Action       string    `json:"action"`
		State        string    `json:"state"`
		OldRev       string    `json:"oldrev"`
		SourceBranch string    `json:"source_branch"`
		TargetBranch string    `json:"target_branch"`
		LastCommit   *whCommit `json:"last_commit"`
		TargetProjID int64     `json:"target_project_id"`
		// DiffRefs is sent by newer GitLab versions (base_sha, head_sha,
		// start_sha of the MR's latest diff).
		DiffRefs *struct {
			BaseSHA string `json:"base_sha"`
			HeadSHA string `json:"head_sha"`
		} `json:"diff_refs"`
	}
	whNote struct {
		ID           int64  `json:"id"`
		Note         string `json:"note"`
		NoteableType string `json:"noteable_type"`
		DiscussionID string `json:"discussion_id"`
		AuthorID     int64  `json:"author_id"`
		System       bool   `json:"system"`
	}
	whNoteMR struct {
		IID             int       `json:"iid"`
		State           string    `json:"state"`
		SourceBranch    string    `json:"source_branch"`
		TargetBranch    string    `json:"target_branch"`
		LastCommit      *whCommit `json:"last_commit"`
		SourceProjectID int64     `json:"source_project_id"`
		TargetProjectID int64     `json:"target_project_id"`
	}
	whPayload struct {
		ObjectKind string `json:"object_kind"`
		User       *struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
			Bot      bool   `json:"bot"`
		} `json:"user"`
		MergeRequest     *whNoteMR       `json:"merge_request"`
		Project          *whProject      `json:"project"`
		ObjectAttributes json.RawMessage `json:"object_attributes"`
		Changes          *struct {
			LastCommit json.RawMessage `json:"last_commit"`
		} `json:"changes"`
		// push
		Ref       string `json:"ref"`
		Before    string `json:"before"`
		After     string `json:"after"`
		ProjectID *int64 `json:"project_id"`
	}
)

// reviewActions are the merge request actions that put code in front of a
// reviewer. "update" counts only when it brings commits (checked apart).
var reviewActions = map[string]bool{"open": true, "reopen": true, "update": true}

// approvalActions are the merge request actions of an approval, which a
// change with new suppressions may be waiting for (require_suppression_review).
var approvalActions = map[string]bool{"approved": true, "approval": true}

// Parse turns a verified delivery into a platform.Event; the caller sets
// DeliveryID (from Idempotency-Key, stable across GitLab's retries, or
// X-Gitlab-Event-UUID). A delivery shiftward has nothing to do for (another
// event or action, a tag push, a branch deletion, a comment) comes back with
// Ignored set and a nil error; a body that is not JSON or lacks a field the
// event needs gives a *platform.ValidationError. Ref is a bare branch name.
// Installation is always 0: GitLab works with one bot token. Parse never
// panics.
func Parse(eventHeader string, body []byte) (*platform.Event, error) {
	return parse(eventHeader, body, new(string))
}

// ParseAction is Parse that also returns a merge request's action ("open",
// "close"), for logs; "" for other events.
func ParseAction(eventHeader string, body []byte) (*platform.Event, string, error) {
	var action string
	ev, err := parse(eventHeader, body, &action)
	return ev, action, err
}

func parse(eventHeader string, body []byte, action *string) (*platform.Event, error) {
	ev := &platform.Event{}
	switch eventHeader {
	case eventMergeRequest, eventPush, eventNote:
	case "":
		return nil, platform.Invalid("missing event name")
	case eventSystem:
		ev.Ignored = "system hooks are not handled (add a project or group webhook)"
		return ev, nil
	default:
		ev.Ignored = fmt.Sprintf("event %q is not handled", eventHeader)
		return ev, nil
	}
	var p whPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, platform.Invalid("body is not a JSON object")
	}
	switch eventHeader {
	case eventNote:
		if p.ObjectKind != "note" {
			return nil, platform.Invalid("note hook without a note")
		}
		return parseNote(ev, &p)
	case eventMergeRequest:
		return parseMergeRequest(ev, &p, action)
	default:
		return parsePush(ev, &p)
	}
}

func parseMergeRequest(ev *platform.Event, p *whPayload, action *string) (*platform.Event, error) {
	if len(p.ObjectAttributes) == 0 || string(p.ObjectAttributes) == "null" {
		return nil, platform.Invalid("object_attributes missing")
	}
	var mr whMR
	if err := json.Unmarshal(p.ObjectAttributes, &mr); err != nil {
		return nil, platform.Invalid("object_attributes malformed")
	}
	*action = mr.Action
	if !reviewActions[mr.Action] && !approvalActions[mr.Action] {
		ev.Ignored = fmt.Sprintf("merge request action %q is not handled", mr.Action)
		return ev, nil
	}
	if mr.State == "closed" || mr.State == "merged" || mr.State == "locked" {
		ev.Ignored = fmt.Sprintf("merge request is %s", mr.State)
		return ev, nil
	}
	if mr.Action == "update" && !bringsCommits(p, &mr) {
		ev.Ignored = "merge request update brings no new commits"
		return ev, nil
	}
	repo, err := parseProject(p.Project, mr.TargetProjID)
	if err != nil {
		return nil, err
	}
	if mr.IID <= 0 {
		return nil, platform.Invalid("merge request iid missing")
	}
	if mr.LastCommit == nil || !platform.ValidSHA(mr.LastCommit.ID) {
		return nil, platform.Invalid("merge request last_commit missing or malformed")
	}
	if !validRef(mr.SourceBranch) {
		return nil, platform.Invalid("merge request source_branch missing or malformed")
	}
	// The hook names no base commit (older GitLab sends no diff_refs): the
	// target branch stands in, and the client reads the shas of the MR's
	// latest diff version anyway before placing any comment.
	base := mr.TargetBranch
	if mr.DiffRefs != nil && platform.ValidSHA(mr.DiffRefs.BaseSHA) {
		base = mr.DiffRefs.BaseSHA
	}
	if base == "" {
		base = repo.DefaultBranch
	}
	if !platform.ValidSHA(base) && !validRef(base) {
		return nil, platform.Invalid("merge request target_branch missing or malformed")
	}
	ev.Kind = platform.KindReview
	if approvalActions[mr.Action] {
		ev.Kind = platform.KindRescan
	}
	ev.Changes = []platform.Change{{
		Platform: platform.GitLab,
		Repo:     repo,
		Number:   mr.IID,
		BaseSHA:  base,
		HeadSHA:  mr.LastCommit.ID,
		Ref:      mr.SourceBranch,
	}}
	return ev, nil
}

// parseNote makes a command event of a merge request note that holds a
// /shiftward command. Notes on commits, issues and snippets, system notes
// and bots' notes ask for nothing.
func parseNote(ev *platform.Event, p *whPayload) (*platform.Event, error) {
	var n whNote
	if len(p.ObjectAttributes) == 0 || json.Unmarshal(p.ObjectAttributes, &n) != nil {
		return nil, platform.Invalid("note object_attributes missing or malformed")
	}
	switch {
	case n.NoteableType != "MergeRequest":
		ev.Ignored = fmt.Sprintf("note on a %s, not a merge request", n.NoteableType)
		return ev, nil
	case n.System:
		ev.Ignored = "system note"
		return ev, nil
	case p.User != nil && p.User.Bot:
		ev.Ignored = "note by a bot"
		return ev, nil
	}
	cmd, ok := platform.ParseCommand(n.Note)
	if !ok {
		ev.Ignored = "note holds no /shiftward command"
		return ev, nil
	}
	mr := p.MergeRequest
	if mr == nil || mr.IID <= 0 {
		return nil, platform.Invalid("note merge_request missing")
	}
	if mr.State == "closed" || mr.State == "merged" || mr.State == "locked" {
		ev.Ignored = fmt.Sprintf("merge request is %s", mr.State)
		return ev, nil
	}
	repo, err := parseProject(p.Project, mr.TargetProjectID)
	if err != nil {
		return nil, err
	}
	if n.ID <= 0 || p.User == nil || p.User.Username == "" {
		return nil, platform.Invalid("note id or author missing")
	}
	cmd.Author, cmd.AuthorID, cmd.CommentID = p.User.Username, p.User.ID, n.ID
	if cmd.AuthorID == 0 {
		cmd.AuthorID = n.AuthorID
	}
	cmd.Comment, cmd.DiscussionID = platform.CommentNote, n.DiscussionID
	c := platform.Change{Platform: platform.GitLab, Repo: repo, Number: mr.IID, Ref: mr.SourceBranch,
		Fork: mr.SourceProjectID != 0 && mr.TargetProjectID != 0 && mr.SourceProjectID != mr.TargetProjectID}
	if mr.LastCommit != nil && platform.ValidSHA(mr.LastCommit.ID) {
		c.HeadSHA = mr.LastCommit.ID
	}
	ev.Kind, ev.Command, ev.Changes = platform.KindCommand, &cmd, []platform.Change{c}
	return ev, nil
}

// bringsCommits tells an update that pushed commits (GitLab then sets
// object_attributes.oldrev, or lists last_commit under changes) from one that
// only edited the title, labels, reviewers or approvals.
func bringsCommits(p *whPayload, mr *whMR) bool {
	if mr.OldRev != "" {
		return true
	}
	return p.Changes != nil && len(p.Changes.LastCommit) > 0 && string(p.Changes.LastCommit) != "null"
}

// parsePush scans the pushed range before..after of a branch; a new branch
// (before all zeros) is compared with the default branch.
func parsePush(ev *platform.Event, p *whPayload) (*platform.Event, error) {
	if p.ObjectKind != "" && p.ObjectKind != "push" {
		return nil, platform.Invalid("push hook without a push")
	}
	if !strings.HasPrefix(p.Ref, "refs/heads/") {
		ev.Ignored = "push is not to a branch"
		return ev, nil
	}
	if platform.IsZeroSHA(p.After) {
		ev.Ignored = "push deletes the branch"
		return ev, nil
	}
	var fallback int64
	if p.ProjectID != nil {
		fallback = *p.ProjectID
	}
	repo, err := parseProject(p.Project, fallback)
	if err != nil {
		return nil, err
	}
	if !platform.ValidSHA(p.After) {
		return nil, platform.Invalid("push after sha missing or malformed")
	}
	ref := strings.TrimPrefix(p.Ref, "refs/heads/")
	if !validRef(ref) {
		return nil, platform.Invalid("push ref malformed")
	}
	c := platform.Change{Platform: platform.GitLab, Repo: repo, HeadSHA: p.After, Ref: ref}
	switch {
	case platform.ValidSHA(p.Before) && !platform.IsZeroSHA(p.Before):
		c.BaseSHA = p.Before
	case repo.DefaultBranch != "":
		c.BaseSHA = repo.DefaultBranch
	default:
		return nil, platform.Invalid("new branch pushed but project has no default branch")
	}
	ev.Kind = platform.KindPush
	ev.Changes = []platform.Change{c}
	return ev, nil
}

// parseProject reads the project: its id, and its full path split into the
// namespace (Owner, possibly nested groups "a/b") and the project path (Name).
func parseProject(p *whProject, fallbackID int64) (platform.Repo, error) {
	if p == nil {
		return platform.Repo{}, platform.Invalid("project missing")
	}
	id := fallbackID
	if p.ID != nil {
		id = *p.ID
	}
	if id <= 0 {
		return platform.Repo{}, platform.Invalid("project id missing")
	}
	i := strings.LastIndexByte(p.PathWithNamespace, '/')
	if i <= 0 || i == len(p.PathWithNamespace)-1 {
		return platform.Repo{}, platform.Invalid("project path_with_namespace missing or malformed")
	}
	owner, name := p.PathWithNamespace[:i], p.PathWithNamespace[i+1:]
	for _, seg := range strings.Split(owner, "/") {
		if !validName(seg) {
			return platform.Repo{}, platform.Invalid("project namespace malformed")
		}
	}
	if !validName(name) {
		return platform.Repo{}, platform.Invalid("project path malformed")
	}
	repo := platform.Repo{ID: id, Owner: owner, Name: name}
	if validRef(p.DefaultBranch) {
		repo.DefaultBranch = p.DefaultBranch
	}
	return repo, nil
}

// validName accepts one segment of a GitLab namespace or project path:
// letters, digits, '_', '-', '.', no dot-only segment, at most 255
// characters.
func validName(s string) bool { return platform.ValidPathSegment(s, 255) }

// validRef accepts a branch name as git allows it, loosely: no control
// characters or spaces, bounded. It goes into query strings, never paths.
func validRef(s string) bool {
	if s == "" || len(s) > 1024 {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c == 0x7f || c == '~' || c == '^' || c == ':' || c == '\\' {
			return false
		}
	}
	return true
}
