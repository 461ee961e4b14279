package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
)

// WebhookPath is the path of shiftward's GitLab webhook route; a project
// hook whose URL ends with it delivers to shiftward.
const WebhookPath = "/webhooks/gitlab"

// ErrNoProject means OpenChanges was asked for every project: GitLab
// serves a token's merge requests per project, and which projects
// shiftward serves is the caller's to say.
var ErrNoProject = errors.New("gitlab: open merge requests are listed per project")

// OpenChanges lists the open merge requests of project (GET
// /projects/:id/merge_requests?state=opened, most recently updated first,
// one page of at most limit), at their current heads, as a merge request
// hook would have named them. A project known by id only is read first
// (GET /projects/:id) for its path.
func (c *Client) OpenChanges(ctx context.Context, project *platform.Repo, limit int) ([]platform.OpenChange, error) {
	if project == nil {
		return nil, ErrNoProject
	}
	if limit <= 0 {
		return nil, nil
	}
	repo := *project
	if repo.Owner == "" || repo.Name == "" {
		var err error
		if repo, err = c.project(ctx, repo.ID); err != nil {
			return nil, err
		}
	}
	ch := platform.Change{Repo: repo}
	mrs, _, err := c.gl.MergeRequests.ListProjectMergeRequests(pid(ch), &gl.ListProjectMergeRequestsOptions{
		ListOptions: gl.ListOptions{PerPage: int64(min(perPage, limit)), Page: 1},
		State:       gl.Ptr("opened"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"),
	}, gl.WithContext(ctx))
	if err != nil {
		return nil, apiError("listing open merge requests of "+repo.FullName(), err)
	}
	var out []platform.OpenChange
	for _, mr := range mrs {
		if mr == nil || mr.IID <= 0 || mr.State != "opened" || !platform.ValidSHA(mr.SHA) || !validRef(mr.SourceBranch) {
			continue
		}
		// The list names no base commit: the target branch stands in, as
		// for a hook without diff_refs (Files reads the latest version).
		base := mr.TargetBranch
		if !validRef(base) {
			base = repo.DefaultBranch
		}
		oc := platform.OpenChange{Change: platform.Change{
			Platform: platform.GitLab, Repo: repo, Number: int(mr.IID), BaseSHA: base, HeadSHA: mr.SHA, Ref: mr.SourceBranch,
			Fork: mr.SourceProjectID != 0 && mr.TargetProjectID != 0 && mr.SourceProjectID != mr.TargetProjectID,
		}}
		if mr.UpdatedAt != nil {
			oc.UpdatedAt = *mr.UpdatedAt
		}
		out = append(out, oc)
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// maxMemberPages bounds the member projects listing (1,000 projects).
const maxMemberPages = 10

// MemberProjects lists the projects the bot is a Developer (or more) of
// (GET /projects?membership=true&min_access_level=30, most recently active
// first), at most limit: the projects a webhook secret that names project
// paths (globs) may serve, which the caller matches.
func (c *Client) MemberProjects(ctx context.Context, limit int) ([]platform.Repo, error) {
	var out []platform.Repo
	opt := &gl.ListProjectsOptions{
		ListOptions:    gl.ListOptions{PerPage: perPage, Page: 1},
		Membership:     gl.Ptr(true),
		MinAccessLevel: gl.Ptr(gl.DeveloperPermissions),
		Archived:       gl.Ptr(false),
		Simple:         gl.Ptr(true),
		OrderBy:        gl.Ptr("last_activity_at"),
	}
	for n := 0; n < maxMemberPages && len(out) < limit; n++ {
		ps, resp, err := c.gl.Projects.ListProjects(opt, gl.WithContext(ctx))
		if err != nil {
			return out, apiError("listing the bot's projects", err)
		}
		for _, p := range ps {
			if p == nil || p.ID <= 0 || len(out) >= limit {
				continue
			}
			i := strings.LastIndexByte(p.PathWithNamespace, '/')
			if i <= 0 || i == len(p.PathWithNamespace)-1 {
				continue
			}
			r := platform.Repo{ID: p.ID, Owner: p.PathWithNamespace[:i], Name: p.PathWithNamespace[i+1:]}
			if validRef(p.DefaultBranch) {
				r.DefaultBranch = p.DefaultBranch
			}
			out = append(out, r)
		}
		if resp.NextPage == 0 || resp.NextPage <= opt.Page {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// project reads a project's path and default branch (GET /projects/:id).
func (c *Client) project(ctx context.Context, id int64) (platform.Repo, error) {
	if id <= 0 {
		return platform.Repo{}, errors.New("gitlab: project without id or path")
	}
	p, _, err := c.gl.Projects.GetProject(id, nil, gl.WithContext(ctx))
	if err != nil {
		return platform.Repo{}, apiError(fmt.Sprintf("reading project %d", id), err)
	}
	i := strings.LastIndexByte(p.PathWithNamespace, '/')
	if i <= 0 || i == len(p.PathWithNamespace)-1 {
		return platform.Repo{}, fmt.Errorf("reading project %d: path_with_namespace malformed", id)
	}
	repo := platform.Repo{ID: id, Owner: p.PathWithNamespace[:i], Name: p.PathWithNamespace[i+1:]}
	if validRef(p.DefaultBranch) {
		repo.DefaultBranch = p.DefaultBranch
	}
	return repo, nil
}

// HeadCheck reads shiftward's commit status on ch's head (GET
// /projects/:id/repository/commits/:sha/statuses?name=..., the latest of
// each name and ref): none, pending or running (since it started, or was
// created), or final (success, failed, canceled, skipped).
func (c *Client) HeadCheck(ctx context.Context, ch platform.Change) (platform.HeadCheck, error) {
	name := statusName(ch)
	sts, _, err := c.gl.Commits.GetCommitStatuses(pid(ch), ch.HeadSHA, &gl.GetCommitStatusesOptions{
		ListOptions: gl.ListOptions{PerPage: perPage}, Name: gl.Ptr(name),
	}, gl.WithContext(ctx))
	if err != nil {
		return platform.HeadCheck{}, apiError("listing commit statuses", err)
	}
	var best *gl.CommitStatus
	for _, st := range sts {
		if st == nil || st.Name != name {
			continue
		}
		if best == nil || st.ID > best.ID {
			best = st
		}
	}
	if best == nil {
		return platform.HeadCheck{State: platform.CheckMissing}, nil
	}
	switch best.Status {
	case "pending", "running", "created":
		hc := platform.HeadCheck{State: platform.CheckRunning}
		switch {
		case best.StartedAt != nil:
			hc.Since = *best.StartedAt
		case best.CreatedAt != nil:
			hc.Since = *best.CreatedAt
		}
		return hc, nil
	}
	return platform.HeadCheck{State: platform.CheckDone}, nil
}

// ErrHooksForbidden means the token may not read a project's webhooks:
// GitLab shows them to Maintainers, and the bot is usually a Developer.
var ErrHooksForbidden = fmt.Errorf("%w: reading project webhooks needs the Maintainer role", platform.ErrForbidden)

// Hooks reads the project's webhooks that deliver to shiftward (their URL
// ends with WebhookPath) and says which GitLab has disabled: alert_status
// "disabled" (after repeated 4xx: until someone re-enables it) or
// "temporarily_disabled" / disabled_until in the future (after 5xx or
// timeouts: GitLab tries again then). GitLab 15.7+ reports these fields;
// an older one reports none, and every hook reads as enabled. A token that
// may not read hooks (403) gives ErrHooksForbidden.
func (c *Client) Hooks(ctx context.Context, project platform.Repo) ([]platform.HookHealth, error) {
	ch := platform.Change{Repo: project}
	hooks, _, err := c.gl.Projects.ListProjectHooks(pid(ch), &gl.ListProjectHooksOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, gl.WithContext(ctx))
	if err != nil {
		if status(err) == http.StatusForbidden {
			return nil, ErrHooksForbidden
		}
		return nil, apiError("listing project webhooks", err)
	}
	now := c.factory.cfg.Now()
	var out []platform.HookHealth
	for _, h := range hooks {
		if h == nil || !deliversToShiftward(h.URL) {
			continue
		}
		hh := platform.HookHealth{ID: h.ID, Project: project}
		switch {
		case h.AlertStatus == "disabled":
			hh.Disabled = true
		case h.DisabledUntil != nil && h.DisabledUntil.After(now):
			hh.DisabledUntil = *h.DisabledUntil
		case h.AlertStatus == "temporarily_disabled":
			hh.DisabledUntil = now.Add(time.Minute)
		}
		out = append(out, hh)
	}
	return out, nil
}

// deliversToShiftward reports whether a hook's URL is shiftward's GitLab
// route. GitLab masks URL variables as {name}; the path still shows.
func deliversToShiftward(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return strings.HasSuffix(strings.TrimSuffix(raw, "/"), WebhookPath)
	}
	return strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), WebhookPath)
}
