package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
)

var (
	_ platform.Conversation = (*Client)(nil)
	_ platform.Committer    = (*Client)(nil)
	_ platform.Approvals    = (*Client)(nil)
)

// maxReviewPages bounds the listing of a pull request's reviews.
const maxReviewPages = 30

// PullRequest reads the pull request's current base, head and branch
// (GET /repos/{owner}/{repo}/pulls/{pull_number}).
func (c *Client) PullRequest(ctx context.Context, ch platform.Change) (platform.Change, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number)
	if err != nil {
		if status(err) == http.StatusNotFound {
			return ch, &platform.PermanentError{Err: fmt.Errorf("pull request #%d: %w", ch.Number, platform.ErrNotFound)}
		}
		return ch, apiError("reading pull request", err)
	}
	if pr.GetState() != "open" {
		return ch, platform.ErrChangeClosed
	}
	head, base := pr.GetHead(), pr.GetBase()
	if !platform.ValidSHA(head.GetSHA()) || !platform.ValidSHA(base.GetSHA()) {
		return ch, fmt.Errorf("pull request #%d: head or base sha missing", ch.Number)
	}
	ch.HeadSHA, ch.BaseSHA, ch.Ref = head.GetSHA(), base.GetSHA(), head.GetRef()
	ch.Fork = head.GetRepo() == nil || !strings.EqualFold(head.GetRepo().GetFullName(), base.GetRepo().GetFullName())
	return ch, nil
}

// CanWrite asks GitHub for the commenter's permission on the repository
// (GET /repos/{owner}/{repo}/collaborators/{username}/permission): "admin"
// and "write" (which maintainers also get) may change things; "read",
// "none", or a user GitHub does not know (404) may not.
func (c *Client) CanWrite(ctx context.Context, ch platform.Change, cmd *platform.Command) (bool, error) {
	return c.canWrite(ctx, ch, cmd.Author)
}

func (c *Client) canWrite(ctx context.Context, ch platform.Change, login string) (bool, error) {
	if login == "" {
		return false, nil
	}
	p, _, err := c.gh.Repositories.GetPermissionLevel(ctx, ch.Repo.Owner, ch.Repo.Name, login)
	if err != nil {
		if status(err) == http.StatusNotFound {
			return false, nil
		}
		return false, apiError("reading collaborator permission", err)
	}
	switch p.GetPermission() {
	case "admin", "write", "maintain":
		return true, nil
	}
	return false, nil
}

// React puts a +1 on the command's comment: a conversation comment's
// reactions (POST .../issues/comments/{id}/reactions) or a review comment's
// (POST .../pulls/comments/{id}/reactions). GitHub answers 200 with the
// existing reaction when it is there already, so a retry adds none.
func (c *Client) React(ctx context.Context, ch platform.Change, cmd *platform.Command) error {
	var err error
	if cmd.Comment == platform.CommentReview {
		_, _, err = c.gh.Reactions.CreatePullRequestCommentReaction(ctx, ch.Repo.Owner, ch.Repo.Name, cmd.CommentID, "+1")
	} else {
		_, _, err = c.gh.Reactions.CreateIssueCommentReaction(ctx, ch.Repo.Owner, ch.Repo.Name, cmd.CommentID, "+1")
	}
	return apiError("reacting to the command", err)
}

// Reply answers a review comment in its thread (POST
// .../pulls/{pull_number}/comments/{comment_id}/replies) and a conversation
// comment with a new conversation comment (POST .../issues/{n}/comments).
func (c *Client) Reply(ctx context.Context, ch platform.Change, cmd *platform.Command, body string) error {
	body = truncate(body, maxOutputChars)
	if cmd.Comment == platform.CommentReview {
		u := fmt.Sprintf("repos/%s/%s/pulls/%d/comments/%d/replies", url.PathEscape(ch.Repo.Owner), url.PathEscape(ch.Repo.Name), ch.Number, cmd.CommentID)
		req, err := c.gh.NewRequest(http.MethodPost, u, map[string]string{"body": body})
		if err != nil {
			return err
		}
		_, err = c.gh.Do(ctx, req, nil)
		return apiError("replying to the command", err)
	}
	_, _, err := c.gh.Issues.CreateComment(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, &gh.IssueComment{Body: &body})
	return apiError("replying to the command", err)
}

// Commit writes files as one commit on the pull request's branch through
// the git data API: the head commit's tree (GET git/commits/{sha}) and its
// files' modes (GET git/trees/{sha}?recursive=1), a new
// tree on top of it with the files inline (POST git/trees), the commit
// (POST git/commits, authored by the app), then a fast-forward of the
// branch (PATCH git/refs/heads/{branch}). A branch that moved meanwhile
// refuses the fast-forward: ErrStale, nothing changed. A commit touching a
// workflow file without the app's "workflows" permission is refused at one
// of those steps: a *platform.PermissionError, nothing changed.
func (c *Client) Commit(ctx context.Context, ch platform.Change, message string, files map[string][]byte) (string, error) {
	if ch.Fork || ch.Ref == "" {
		return "", &platform.PermanentError{Err: errors.New("committing: the branch is in a fork or unknown")}
	}
	owner, repo := ch.Repo.Owner, ch.Repo.Name
	head, _, err := c.gh.Git.GetCommit(ctx, owner, repo, ch.HeadSHA)
	if err != nil {
		return "", apiError("reading head commit", err)
	}
	// Each file keeps its mode (an executable script stays executable);
	// what is not a regular file is not rewritten.
	t, err := c.getTree(ctx, ch, ch.HeadSHA)
	if err != nil {
		return "", apiError("reading head tree", err)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	entries := make([]*gh.TreeEntry, 0, len(paths))
	for _, p := range paths {
		mode := t.modes[p]
		switch mode {
		case "100644", "100755":
		case "":
			if !t.truncated {
				return "", &platform.PermanentError{Err: fmt.Errorf("committing: %s is not in the head commit", p)}
			}
			mode = "100644" // a tree too large to list: the usual mode
		default:
			return "", &platform.PermanentError{Err: fmt.Errorf("committing: %s is not a regular file (mode %s)", p, mode)}
		}
		entries = append(entries, &gh.TreeEntry{Path: gh.String(p), Mode: gh.String(mode), Type: gh.String("blob"), Content: gh.String(string(files[p]))})
	}
	tree, _, err := c.gh.Git.CreateTree(ctx, owner, repo, head.GetTree().GetSHA(), entries)
	if err != nil {
		if refused := workflowRefusal("creating tree", err); refused != nil {
			return "", refused
		}
		return "", apiError("creating tree", err)
	}
	commit, _, err := c.gh.Git.CreateCommit(ctx, owner, repo, &gh.Commit{
		Message: gh.String(message),
		Tree:    &gh.Tree{SHA: tree.SHA},
		Parents: []*gh.Commit{{SHA: gh.String(ch.HeadSHA)}},
	}, nil)
	if err != nil {
		if refused := workflowRefusal("creating commit", err); refused != nil {
			return "", refused
		}
		return "", apiError("creating commit", err)
	}
	_, _, err = c.gh.Git.UpdateRef(ctx, owner, repo, &gh.Reference{
		Ref:    gh.String("refs/heads/" + ch.Ref),
		Object: &gh.GitObject{SHA: commit.SHA},
	}, false)
	if err != nil {
		// A 422 is a branch that moved (not a fast-forward) unless it is
		// the refusal of a workflow file.
		if refused := workflowRefusal("updating "+ch.Ref, err); refused != nil {
			return "", refused
		}
		if status(err) == http.StatusUnprocessableEntity {
			return "", fmt.Errorf("updating %s: %w", ch.Ref, platform.ErrStale)
		}
		return "", apiError("updating branch", err)
	}
	return commit.GetSHA(), nil
}

// ApprovedBy lists who approved the head commit (GET .../pulls/{n}/reviews,
// state APPROVED, commit_id the head) and has write access.
func (c *Client) ApprovedBy(ctx context.Context, ch platform.Change) ([]string, error) {
	var approvers []string
	opt := &gh.ListOptions{PerPage: perPage}
	for page := 0; page < maxReviewPages; page++ {
		reviews, resp, err := c.gh.PullRequests.ListReviews(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, opt)
		if err != nil {
			return nil, apiError("listing reviews", err)
		}
		for _, r := range reviews {
			login := r.GetUser().GetLogin()
			if r.GetState() == "APPROVED" && r.GetCommitID() == ch.HeadSHA && !slices.Contains(approvers, login) {
				approvers = append(approvers, login)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	out := approvers[:0]
	for _, login := range approvers {
		ok, err := c.canWrite(ctx, ch, login)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, login)
		}
	}
	return out, nil
}

// ResolveAction returns the commit a tag or branch of owner/repo names
// (GET /repos/{owner}/{repo}/commits/{ref} with the sha media type), for
// pinning a workflow's actions. Public action repositories are readable with
// any installation token. The names come from a workflow, a stranger's
// text: they are checked against GitHub's and git's naming rules before any
// request (see validActionRef) and escaped segment by segment in the path.
func (c *Client) ResolveAction(ctx context.Context, owner, repo, ref string) (string, error) {
	if !validActionRef(owner, repo, ref) {
		return "", fmt.Errorf("resolving an action: not a valid owner, repository or ref: %w", platform.ErrNotFound)
	}
	u := "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/commits/" + escapePath(ref)
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("resolving %s/%s@%s: %w", owner, repo, ref, err)
	}
	req.Header.Set("Accept", "application/vnd.github.sha")
	var buf bytes.Buffer
	if _, err := c.gh.Do(ctx, req, &buf); err != nil {
		if status(err) == http.StatusNotFound || status(err) == http.StatusUnprocessableEntity {
			return "", fmt.Errorf("%s/%s@%s: %w", owner, repo, ref, platform.ErrNotFound)
		}
		return "", apiError("resolving "+owner+"/"+repo+"@"+ref, err)
	}
	sha := strings.TrimSpace(buf.String())
	if !platform.ValidSHA(sha) || len(sha) != 40 {
		return "", fmt.Errorf("%s/%s@%s: GitHub answered no commit sha", owner, repo, ref)
	}
	return sha, nil
}
