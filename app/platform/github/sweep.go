package github

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
)

// Bounds of the reconciler's listings: each guards against a Link loop and
// keeps one run's cost known whatever GitHub answers.
const (
	// maxInstallationPages bounds GET /app/installations (10,000).
	maxInstallationPages = 100
	// maxRepoPages bounds GET /installation/repositories (1,000 repositories
	// per installation are ordered by their last push; see OpenChanges).
	maxRepoPages = 10
)

// Installations lists the ids of the app's installations (GET
// /app/installations, as the App, with its JWT), at most limit of them.
func (f *Factory) Installations(ctx context.Context, limit int) ([]int64, error) {
	var out []int64
	opt := &gh.ListOptions{PerPage: perPage, Page: 1}
	for page := 0; page < maxInstallationPages && len(out) < limit; page++ {
		ins, resp, err := f.app.Apps.ListInstallations(ctx, opt)
		if err != nil {
			return out, apiError("listing installations", err)
		}
		for _, in := range ins {
			if id := in.GetID(); id > 0 && len(out) < limit {
				out = append(out, id)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// HookDeliveries lists the attempts of the app's webhook deliveries (GET
// /app/hook/deliveries, as the App), newest first as GitHub lists them,
// back to since: pages of 100 are read by the cursor GitHub's Link header
// names, and reading stops at the first attempt older than since or after
// maxPages pages. cut reports that the page bound stopped it before since.
func (f *Factory) HookDeliveries(ctx context.Context, since time.Time, maxPages int) (out []platform.Delivery, cut bool, err error) {
	opt := &gh.ListCursorOptions{PerPage: perPage}
	for page := 0; page < maxPages; page++ {
		ds, resp, err := f.app.Apps.ListHookDeliveries(ctx, opt)
		if err != nil {
			return out, false, apiError("listing webhook deliveries", err)
		}
		for _, d := range ds {
			at := d.GetDeliveredAt().Time
			if at.Before(since) {
				return out, false, nil
			}
			out = append(out, platform.Delivery{
				ID: d.GetID(), GUID: d.GetGUID(), At: at, Redelivery: d.GetRedelivery(),
				StatusCode: d.GetStatusCode(), Event: d.GetEvent(),
			})
		}
		// A cursor that does not move would list the same page forever.
		if resp.Cursor == "" || resp.Cursor == opt.Cursor || len(ds) == 0 {
			return out, false, nil
		}
		opt.Cursor = resp.Cursor
	}
	return out, true, nil
}

// Redeliver asks GitHub to deliver an attempt again (POST
// /app/hook/deliveries/{id}/attempts, as the App), GitHub's documented
// remedy for a delivery that failed: the new attempt keeps the GUID, so
// the webhook's dedupe still drops it when the first attempt did land. It
// is one POST, never retried here (the reconciler records it before).
func (f *Factory) Redeliver(ctx context.Context, id int64) error {
	_, _, err := f.app.Apps.RedeliverHookDelivery(ctx, id)
	var accepted *gh.AcceptedError
	if err == nil || errors.As(err, &accepted) {
		// GitHub answers 202 Accepted, which go-github reports as an error.
		return nil
	}
	return apiError(fmt.Sprintf("redelivering webhook delivery %d", id), err)
}

// OpenChanges lists open pull requests of the installation's repositories,
// at most limit of them, at their current heads. project, when given,
// names the one repository to list; else the repositories the installation
// reaches (GET /installation/repositories, at most 1,000) are read most
// recently pushed first, each with one page of its open pull requests
// (GET /repos/{owner}/{repo}/pulls, most recently updated first), until
// limit pull requests or limit repositories have been listed: a run costs
// at most maxRepoPages + 2×limit requests however large the installation.
func (c *Client) OpenChanges(ctx context.Context, project *platform.Repo, limit int) ([]platform.OpenChange, error) {
	if limit <= 0 {
		return nil, nil
	}
	var repos []*gh.Repository
	if project != nil {
		repos = []*gh.Repository{{ID: gh.Int64(project.ID), Name: gh.String(project.Name),
			Owner: &gh.User{Login: gh.String(project.Owner)}, DefaultBranch: gh.String(project.DefaultBranch)}}
	} else {
		var err error
		if repos, err = c.installationRepos(ctx); err != nil {
			return nil, err
		}
	}
	var out []platform.OpenChange
	for i, r := range repos {
		if len(out) >= limit || i >= limit {
			break
		}
		if r.GetArchived() || r.GetDisabled() {
			continue
		}
		repo := platform.Repo{ID: r.GetID(), Owner: r.GetOwner().GetLogin(), Name: r.GetName(), DefaultBranch: r.GetDefaultBranch()}
		if !validName(repo.Owner) || !validName(repo.Name) {
			continue
		}
		prs, _, err := c.gh.PullRequests.List(ctx, repo.Owner, repo.Name, &gh.PullRequestListOptions{
			State: "open", Sort: "updated", Direction: "desc",
			ListOptions: gh.ListOptions{PerPage: min(perPage, limit-len(out)), Page: 1},
		})
		if err != nil {
			var perm *platform.PermanentError
			if errors.As(apiError("", err), &perm) {
				continue // gone or no longer reachable since the listing
			}
			return out, apiError("listing open pull requests of "+repo.FullName(), err)
		}
		for _, pr := range prs {
			if ch, ok := c.openChange(repo, pr); ok && len(out) < limit {
				out = append(out, ch)
			}
		}
	}
	return out, nil
}

// installationRepos reads the installation's repositories, most recently
// pushed first: a pull request's new head is a push, so the repositories
// most likely to hold an unreviewed head come before those bounds cut.
func (c *Client) installationRepos(ctx context.Context) ([]*gh.Repository, error) {
	var repos []*gh.Repository
	opt := &gh.ListOptions{PerPage: perPage, Page: 1}
	for page := 0; page < maxRepoPages; page++ {
		res, resp, err := c.gh.Apps.ListRepos(ctx, opt)
		if err != nil {
			return nil, apiError("listing the installation's repositories", err)
		}
		repos = append(repos, res.Repositories...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	repos = slices.DeleteFunc(repos, func(r *gh.Repository) bool { return r == nil })
	slices.SortStableFunc(repos, func(a, b *gh.Repository) int {
		return b.GetPushedAt().Time.Compare(a.GetPushedAt().Time)
	})
	return repos, nil
}

// openChange makes the Change a pull_request webhook would have made of pr.
func (c *Client) openChange(repo platform.Repo, pr *gh.PullRequest) (platform.OpenChange, bool) {
	if pr == nil || pr.GetNumber() <= 0 || !strings.EqualFold(pr.GetState(), "open") ||
		!platform.ValidSHA(pr.GetBase().GetSHA()) || !platform.ValidSHA(pr.GetHead().GetSHA()) {
		return platform.OpenChange{}, false
	}
	ch := platform.Change{
		Platform: platform.GitHub, Installation: c.installation, Repo: repo, Number: pr.GetNumber(),
		BaseSHA: pr.GetBase().GetSHA(), HeadSHA: pr.GetHead().GetSHA(), Ref: pr.GetHead().GetRef(),
	}
	if h, b := pr.GetHead().GetRepo(), pr.GetBase().GetRepo(); h != nil && b != nil {
		ch.Fork = h.GetID() != b.GetID()
	}
	return platform.OpenChange{Change: ch, UpdatedAt: pr.GetUpdatedAt().Time}, true
}

// HeadCheck reads shiftward's check run on ch's head (GET
// /repos/{owner}/{repo}/commits/{ref}/check-runs, this App's runs of the
// change's check name, latest of each): the newest says whether the head
// was reviewed, is being reviewed (and since when), or has no run at all.
func (c *Client) HeadCheck(ctx context.Context, ch platform.Change) (platform.HeadCheck, error) {
	name := checkName(ch)
	res, _, err := c.gh.Checks.ListCheckRunsForRef(ctx, ch.Repo.Owner, ch.Repo.Name, ch.HeadSHA, &gh.ListCheckRunsOptions{
		CheckName:   gh.String(name),
		AppID:       gh.Int64(c.appID),
		ListOptions: gh.ListOptions{PerPage: perPage},
	})
	if err != nil {
		return platform.HeadCheck{}, apiError("listing check runs", err)
	}
	var best *gh.CheckRun
	for _, r := range res.CheckRuns {
		if r.GetName() != name {
			continue
		}
		if a := r.GetApp(); a != nil && a.GetID() != 0 && a.GetID() != c.appID {
			continue
		}
		if best == nil || r.GetID() > best.GetID() {
			best = r
		}
	}
	switch {
	case best == nil:
		return platform.HeadCheck{State: platform.CheckMissing}, nil
	case best.GetStatus() == "completed":
		return platform.HeadCheck{State: platform.CheckDone}, nil
	}
	return platform.HeadCheck{State: platform.CheckRunning, Since: best.GetStartedAt().Time}, nil
}
