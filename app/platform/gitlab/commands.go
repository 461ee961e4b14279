package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
)

var (
	_ platform.Conversation  = (*Client)(nil)
	_ platform.CommandReader = (*Client)(nil)
	_ platform.Committer     = (*Client)(nil)
	_ platform.Approvals     = (*Client)(nil)
)

// developerAccess is GitLab's Developer access level: the least that may
// push to a branch, and so run state-changing commands.
const developerAccess = 30

// ReadCommand reads the command's note back (GET
// .../merge_requests/:iid/notes/:note_id) and takes its body, author and
// system flag from GitLab's answer, never from the Note Hook: the webhook
// token is shared, so a delivery may name any author and body. A note that
// is gone (404), not a note of this merge request, a system note, one by the
// bot itself (its id from GET /user) or one that holds no command gives ok
// false. The payload's thread is kept only when GitLab says the thread holds
// the note (GET .../discussions/:id); else the reply goes on the merge
// request.
func (c *Client) ReadCommand(ctx context.Context, ch platform.Change, cmd *platform.Command) (platform.Command, bool, error) {
	log := c.logger(ch).With("note", cmd.CommentID)
	bot, err := c.factory.user(ctx)
	if err != nil {
		return platform.Command{}, false, err
	}
	if cmd.CommentID <= 0 {
		return platform.Command{}, false, nil
	}
	n, _, err := c.gl.Notes.GetMergeRequestNote(pid(ch), int64(ch.Number), cmd.CommentID, gl.WithContext(ctx))
	if status(err) == http.StatusNotFound {
		log.Info("command note not found on the merge request (deleted, or never there)")
		return platform.Command{}, false, nil
	}
	if err != nil {
		return platform.Command{}, false, apiError("reading the command's note", err)
	}
	switch {
	case n == nil || n.ID != cmd.CommentID || n.NoteableType != "MergeRequest" ||
		(n.NoteableIID != 0 && n.NoteableIID != int64(ch.Number)) ||
		(n.ProjectID != 0 && ch.Repo.ID > 0 && n.ProjectID != ch.Repo.ID):
		log.Warn("command note is not a note of this merge request")
		return platform.Command{}, false, nil
	case n.System:
		return platform.Command{}, false, nil
	case n.Author.ID == bot.ID:
		log.Info("note by the bot itself ignored")
		return platform.Command{}, false, nil
	case n.Author.ID <= 0 || n.Author.Username == "":
		return platform.Command{}, false, nil
	}
	fresh, ok := platform.ParseCommand(n.Body)
	if !ok {
		log.Info("note holds no command")
		return platform.Command{}, false, nil
	}
	fresh.Author, fresh.AuthorID, fresh.CommentID, fresh.Comment = n.Author.Username, n.Author.ID, n.ID, platform.CommentNote
	if cmd.DiscussionID == "" {
		return fresh, true, nil
	}
	d, _, err := c.gl.Discussions.GetMergeRequestDiscussion(pid(ch), int64(ch.Number), cmd.DiscussionID, gl.WithContext(ctx))
	switch {
	case status(err) == http.StatusNotFound:
	case err != nil:
		return platform.Command{}, false, apiError("reading the command's thread", err)
	case d != nil && slices.ContainsFunc(d.Notes, func(dn *gl.Note) bool { return dn != nil && dn.ID == n.ID }):
		fresh.DiscussionID = d.ID
	}
	return fresh, true, nil
}

// PullRequest reads the merge request's current diff refs and branch
// (GET /projects/:id/merge_requests/:iid).
func (c *Client) PullRequest(ctx context.Context, ch platform.Change) (platform.Change, error) {
	mr, _, err := c.gl.MergeRequests.GetMergeRequest(pid(ch), int64(ch.Number), nil, gl.WithContext(ctx))
	if err != nil {
		return ch, apiError("reading merge request", err)
	}
	if mr.State != "opened" {
		return ch, platform.ErrChangeClosed
	}
	head, base := mr.SHA, ""
	if mr.DiffRefs.HeadSha != "" {
		head, base = mr.DiffRefs.HeadSha, mr.DiffRefs.BaseSha
	}
	if !platform.ValidSHA(head) {
		return ch, fmt.Errorf("merge request !%d: head sha missing", ch.Number)
	}
	if !platform.ValidSHA(base) {
		base = mr.TargetBranch
	}
	ch.HeadSHA, ch.BaseSHA, ch.Ref = head, base, mr.SourceBranch
	ch.Fork = mr.SourceProjectID != 0 && mr.TargetProjectID != 0 && mr.SourceProjectID != mr.TargetProjectID
	return ch, nil
}

// CanWrite asks for the commenter's membership, inherited ones included
// (GET /projects/:id/members/all/:user_id): Developer (30) and above may
// change things; no membership (404) may not.
func (c *Client) CanWrite(ctx context.Context, ch platform.Change, cmd *platform.Command) (bool, error) {
	return c.canWrite(ctx, ch, cmd.AuthorID)
}

func (c *Client) canWrite(ctx context.Context, ch platform.Change, userID int64) (bool, error) {
	if userID <= 0 {
		return false, nil
	}
	m, _, err := c.gl.ProjectMembers.GetInheritedProjectMember(pid(ch), userID, gl.WithContext(ctx))
	if err != nil {
		if status(err) == http.StatusNotFound {
			return false, nil
		}
		return false, apiError("reading project membership", err)
	}
	return int(m.AccessLevel) >= developerAccess && m.State != "blocked", nil
}

// React awards a thumbs-up to the command's note (POST
// .../merge_requests/:iid/notes/:note_id/award_emoji). GitLab refuses a
// second identical award; that, or a note deleted meanwhile, is no error.
func (c *Client) React(ctx context.Context, ch platform.Change, cmd *platform.Command) error {
	_, _, err := c.gl.AwardEmoji.CreateMergeRequestAwardEmojiOnNote(pid(ch), int64(ch.Number), cmd.CommentID,
		&gl.CreateAwardEmojiOptions{Name: "thumbsup"}, gl.WithContext(ctx))
	switch status(err) {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
		return nil
	}
	return apiError("reacting to the command", err)
}

// Reply answers in the note's thread (POST .../discussions/:id/notes), or
// with a new note when the command was not in a thread.
func (c *Client) Reply(ctx context.Context, ch platform.Change, cmd *platform.Command, body string) error {
	body = truncate(body, maxNoteChars)
	if cmd.DiscussionID != "" {
		_, _, err := c.gl.Discussions.AddMergeRequestDiscussionNote(pid(ch), int64(ch.Number), cmd.DiscussionID,
			&gl.AddMergeRequestDiscussionNoteOptions{Body: &body}, gl.WithContext(ctx))
		if status(err) != http.StatusNotFound {
			return apiError("replying to the command", err)
		}
		// The thread is gone: answer on the merge request.
	}
	_, _, err := c.gl.Notes.CreateMergeRequestNote(pid(ch), int64(ch.Number), &gl.CreateMergeRequestNoteOptions{Body: &body}, gl.WithContext(ctx))
	return apiError("replying to the command", err)
}

// Commit writes files as one commit on the merge request's source branch
// (POST /projects/:id/repository/commits, "update" actions). The branch is
// checked first (GET .../repository/branches/:branch): one that moved past
// c.HeadSHA gives ErrStale, nothing changed.
func (c *Client) Commit(ctx context.Context, ch platform.Change, message string, files map[string][]byte) (string, error) {
	if ch.Fork || ch.Ref == "" {
		return "", &platform.PermanentError{Err: errors.New("committing: the branch is in a fork or unknown")}
	}
	b, _, err := c.gl.Branches.GetBranch(pid(ch), ch.Ref, gl.WithContext(ctx))
	if err != nil {
		return "", apiError("reading branch", err)
	}
	if b.Commit == nil || b.Commit.ID != ch.HeadSHA {
		return "", fmt.Errorf("branch %s: %w", ch.Ref, platform.ErrStale)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	actions := make([]*gl.CommitActionOptions, 0, len(paths))
	for _, p := range paths {
		content := string(files[p])
		actions = append(actions, &gl.CommitActionOptions{Action: gl.Ptr(gl.FileUpdate), FilePath: gl.Ptr(p), Content: &content})
	}
	commit, _, err := c.gl.Commits.CreateCommit(pid(ch), &gl.CreateCommitOptions{
		Branch: gl.Ptr(ch.Ref), CommitMessage: gl.Ptr(message), Actions: actions,
	}, gl.WithContext(ctx))
	if err != nil {
		return "", apiError("creating commit", err)
	}
	return commit.ID, nil
}

// ApprovedBy lists the approvers of the merge request (GET
// .../merge_requests/:iid/approvals) who are Developers or above.
func (c *Client) ApprovedBy(ctx context.Context, ch platform.Change) ([]string, error) {
	a, _, err := c.gl.MergeRequestApprovals.GetConfiguration(pid(ch), int64(ch.Number), gl.WithContext(ctx))
	if err != nil {
		return nil, apiError("reading approvals", err)
	}
	var out []string
	for _, u := range a.ApprovedBy {
		if u == nil || u.User == nil {
			continue
		}
		ok, err := c.canWrite(ctx, ch, u.User.ID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, u.User.Username)
		}
	}
	return out, nil
}

// OrgProject is the project of a group that holds its shared defaults: the
// one GitLab already uses for the group's profile README.
const OrgProject = "gitlab-profile"

var _ platform.OrgDefaults = (*Client)(nil)

// OrgFile reads path from the namespace's gitlab-profile project at its
// default branch (ref HEAD): the group-wide defaults.
func (c *Client) OrgFile(ctx context.Context, ch platform.Change, path string) ([]byte, string, error) {
	org := ch
	org.Repo = platform.Repo{Owner: ch.Repo.Owner, Name: OrgProject}
	b, err := c.FileContent(ctx, org, path, "HEAD")
	var perm *platform.PermanentError
	if errors.As(err, &perm) {
		// No such project, or one the bot may not read: no defaults.
		err = fmt.Errorf("%s/%s: %w", ch.Repo.Owner, OrgProject, platform.ErrNotFound)
	}
	return b, ch.Repo.Owner + "/" + OrgProject + ":" + path, err
}
