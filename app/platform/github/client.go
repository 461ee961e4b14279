package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners/diff"
)

// GitHub's limits, from the REST docs.
const (
	// perPage is the largest page the list endpoints serve.
	perPage = 100
	// maxFilePages stops the PR files listing: GitHub serves at most 3,000
	// files (30 pages of 100); the bound also guards against a Link loop.
	maxFilePages = 30
	// maxCommentPages bounds the review-comment listing (10,000 comments).
	maxCommentPages = 100
	// maxAnnotationsPerRequest is the checks API's per-request cap.
	maxAnnotationsPerRequest = 50
	// maxOutputChars caps check-run summaries and comment bodies.
	maxOutputChars = 65535
	// maxAnnotationMessage is the annotation message cap (64 KB).
	maxAnnotationMessage = 64 << 10
	// maxAnnotationTitle is the annotation title cap.
	maxAnnotationTitle = 255
)

// Client is one installation's view of GitHub. It is cheap; the Factory
// caches the transports behind it.
type Client struct {
	gh           *gh.Client
	appID        int64
	installation int64
	log          *slog.Logger
	now          func() time.Time
	budget       *hostapi.Budget
}

var (
	_ platform.Client   = (*Client)(nil)
	_ platform.Budgeted = (*Client)(nil)
)

// Budget is how many content-generating requests the installation can send
// now without waiting, and what a review costs.
func (c *Client) Budget(ctx context.Context) (int, comments.Costs) {
	if c.budget == nil {
		return -1, reviewCosts
	}
	return c.budget.Affordable(ctx), reviewCosts
}

func (c *Client) logger(ch platform.Change) *slog.Logger {
	return c.log.With("repo", ch.Repo.FullName(), "pr", ch.Number, "head_sha", ch.HeadSHA)
}

// Files lists the change's files. A pull request uses the PR files API,
// every page; a push uses the compare API base...head, which returns every
// file it lists on its first page (GitHub's docs: "the list of changed files
// is only shown on the first page of results"), so one request with
// per_page=1 suffices. Files GitHub sends without a patch (too large, or
// binary) are filled from the contents API: see fillPatchless. Where GitHub
// cuts the listing (3,000 files for a pull request, 300 for a comparison),
// the rest is found in the git trees: see treeFiles. What could still not
// be listed or read is logged and returned as the Listing's Gaps: files
// past GitHub's cap it could not find or bounded out, files too large to
// read.
func (c *Client) Files(ctx context.Context, ch platform.Change) (platform.Listing, error) {
	raw, mergeBase, cut, err := c.list(ctx, ch)
	if err != nil {
		return platform.Listing{}, err
	}
	var gaps []string
	out := make([]*diff.File, 0, len(raw))
	listed := make(map[string]bool, len(raw))
	for _, f := range raw {
		if f == nil || f.GetFilename() == "" {
			continue
		}
		listed[f.GetFilename()] = true
		if p := f.GetPreviousFilename(); p != "" {
			listed[p] = true
		}
		df, err := c.toDiff(ctx, ch, f, &gaps)
		if err != nil {
			return platform.Listing{}, err
		}
		out = append(out, df)
	}
	if cut == "" {
		return platform.Listing{Files: out, Gaps: gaps}, nil
	}
	c.logger(ch).Info("listing cut by GitHub; looking for the rest in the git trees", "cut", cut, "listed", len(raw))
	extra, treeGaps, err := c.treeFiles(ctx, ch, mergeBase, listed, cut)
	if err != nil {
		return platform.Listing{}, err
	}
	return platform.Listing{Files: append(out, extra...), Gaps: append(gaps, treeGaps...)}, nil
}

// list reads GitHub's listing of the change. cut is non-empty when GitHub
// stopped at its cap, and says which; mergeBase is then the commit the
// listing diffs head against.
func (c *Client) list(ctx context.Context, ch platform.Change) (raw []*gh.CommitFile, mergeBase, cut string, err error) {
	if ch.IsPush() {
		cmp, _, err := c.gh.Repositories.CompareCommits(ctx, ch.Repo.Owner, ch.Repo.Name, ch.BaseSHA, ch.HeadSHA, &gh.ListOptions{PerPage: 1})
		if err != nil {
			return nil, "", "", apiError("comparing "+ch.BaseSHA+"..."+ch.HeadSHA, err)
		}
		if len(cmp.Files) >= maxCompareFiles {
			cut = fmt.Sprintf("GitHub lists at most %d files of a comparison", maxCompareFiles)
			mergeBase = cmp.GetMergeBaseCommit().GetSHA()
			if mergeBase == "" {
				mergeBase = ch.BaseSHA
			}
		}
		return cmp.Files, mergeBase, cut, nil
	}
	opt := &gh.ListOptions{PerPage: perPage, Page: 1}
	for page := 0; page < maxFilePages; page++ {
		fs, resp, err := c.gh.PullRequests.ListFiles(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, opt)
		if err != nil {
			return nil, "", "", apiError("listing pull request files", err)
		}
		raw = append(raw, fs...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if len(raw) < maxFilePages*perPage {
		return raw, "", "", nil
	}
	mergeBase, err = c.mergeBase(ctx, ch)
	if err != nil {
		return nil, "", "", err
	}
	return raw, mergeBase, fmt.Sprintf("GitHub lists at most %d files of a pull request", maxFilePages*perPage), nil
}

// mergeBase finds the commit a pull request's files are diffed against.
// ch.BaseSHA is the base branch's tip; a tree diff from there would count
// every change the base branch made since the fork as the pull request's.
// The compare API names the merge base (one request; per_page=1 keeps its
// commit list short). When the comparison cannot be made (a 404: a commit
// gone), the base tip is used, with a warning.
func (c *Client) mergeBase(ctx context.Context, ch platform.Change) (string, error) {
	cmp, _, err := c.gh.Repositories.CompareCommits(ctx, ch.Repo.Owner, ch.Repo.Name, ch.BaseSHA, ch.HeadSHA, &gh.ListOptions{PerPage: 1})
	if err != nil {
		if status(err) == http.StatusNotFound {
			c.logger(ch).Warn("cannot find the merge base; diffing the trees against the base tip", "err", err)
			return ch.BaseSHA, nil
		}
		return "", apiError("finding the merge base of "+shortSHA(ch.BaseSHA)+"..."+shortSHA(ch.HeadSHA), err)
	}
	if sha := cmp.GetMergeBaseCommit().GetSHA(); sha != "" {
		return sha, nil
	}
	return ch.BaseSHA, nil
}

// toDiff builds the diff of one listed file; a file it could not read is
// added to gaps.
func (c *Client) toDiff(ctx context.Context, ch platform.Change, f *gh.CommitFile, gaps *[]string) (*diff.File, error) {
	// Paths as package diff has them: no old path for an added file, no new
	// path for a removed one.
	st := f.GetStatus()
	newPath := f.GetFilename()
	oldPath := newPath
	if p := f.GetPreviousFilename(); p != "" {
		oldPath = p
	}
	switch st {
	case "added":
		oldPath = ""
	case "removed":
		newPath, oldPath = "", newPath
	}
	var df *diff.File
	if patch := f.GetPatch(); patch != "" {
		parsed, err := diff.ParsePatch(oldPath, newPath, patch)
		if err == nil && parsed != nil {
			df = parsed
		} else {
			c.logger(ch).Warn("unreadable patch, filling from contents", "path", newPath, "err", err)
		}
	}
	if df == nil {
		var err error
		if df, err = c.fillPatchless(ctx, ch, f, oldPath, newPath, gaps); err != nil {
			return nil, err
		}
	}
	df.OldPath, df.NewPath = oldPath, newPath
	df.IsNew = st == "added"
	df.IsDelete = st == "removed"
	df.IsRename = st == "renamed"
	return df, nil
}

// fillPatchless rebuilds the added lines of a file GitHub listed without a
// patch, from the file's contents:
//   - removed, or renamed/changed with no line changes: nothing was added;
//   - added: every line of the head version is added;
//   - otherwise (a diff too large for the API): the head and base versions
//     are compared as multisets of lines by diff.FromVersions.
//
// The base version is read at the change's base sha, which for a pull
// request is the base branch's tip rather than the merge base; lines the
// base branch dropped since may then count as added.
// Binary files (diff.IsBinary; the base is not read when head is binary)
// and files over hostapi.MaxContentBytes get no hunks.
func (c *Client) fillPatchless(ctx context.Context, ch platform.Change, f *gh.CommitFile, oldPath, newPath string, gaps *[]string) (*diff.File, error) {
	df := &diff.File{}
	st := f.GetStatus()
	if st == "removed" || (f.GetChanges() == 0 && st != "added") {
		return df, nil
	}
	head, err := c.FileContent(ctx, ch, newPath, ch.HeadSHA)
	if skip, err := c.skippable(ch, newPath, err, gaps); skip || err != nil {
		return df, err
	}
	if diff.IsBinary(head) {
		df.IsBinary = true
		return df, nil
	}
	var base []byte
	if st != "added" && st != "copied" {
		base, err = c.FileContent(ctx, ch, oldPath, ch.BaseSHA)
		if errors.Is(err, platform.ErrNotFound) {
			base, err = nil, nil // absent in base: all of head is new
		}
		if skip, err := c.skippable(ch, oldPath, err, gaps); skip || err != nil {
			return df, err
		}
	}
	return diff.FromVersions(oldPath, newPath, base, head), nil
}

// skippable decides what a failed content read means for a patchless file
// (see hostapi.UnreadableGap); a skipped file is logged and added to gaps.
func (c *Client) skippable(ch platform.Change, path string, err error, gaps *[]string) (bool, error) {
	if err == nil {
		return false, nil
	}
	gap, skip := hostapi.UnreadableGap("GitHub", path, err)
	if !skip {
		return false, err
	}
	c.logger(ch).Warn("file without patch not scanned", "path", path, "err", err)
	*gaps = append(*gaps, gap)
	return true, nil
}

// FileContent reads path at sha through the contents API with the raw media
// type (no base64, files up to 100 MB on GitHub's side; shiftward stops at
// hostapi.MaxContentBytes). A missing file gives platform.ErrNotFound.
func (c *Client) FileContent(ctx context.Context, ch platform.Change, path, sha string) ([]byte, error) {
	if sha == "" {
		return nil, fmt.Errorf("reading %s: no ref: %w", path, platform.ErrNotFound)
	}
	return c.content(ctx, ch.Repo.Owner, ch.Repo.Name, path, sha)
}

// OrgFile reads path from the owner's .github repository at its default
// branch: the organisation-wide defaults. A repository the installation
// cannot see answers 404 like a missing one.
func (c *Client) OrgFile(ctx context.Context, ch platform.Change, path string) ([]byte, string, error) {
	b, err := c.content(ctx, ch.Repo.Owner, OrgRepo, path, "")
	return b, ch.Repo.Owner + "/" + OrgRepo + ":" + path, err
}

// OrgRepo is the repository that holds an organisation's shared defaults.
const OrgRepo = ".github"

var _ platform.OrgDefaults = (*Client)(nil)

// content reads a file of owner/name at ref, or at the default branch when
// ref is empty.
func (c *Client) content(ctx context.Context, owner, name, path, sha string) ([]byte, error) {
	u := fmt.Sprintf("repos/%s/%s/contents/%s", url.PathEscape(owner), url.PathEscape(name), escapePath(path))
	if sha != "" {
		u += "?ref=" + url.QueryEscape(sha)
	}
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/vnd.github.raw")
	resp, err := c.gh.BareDo(ctx, req)
	if err != nil {
		if status(err) == http.StatusNotFound {
			return nil, fmt.Errorf("reading %s at %s: %w", path, shortSHA(sha), platform.ErrNotFound)
		}
		return nil, apiError("reading "+path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, hostapi.MaxContentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > hostapi.MaxContentBytes {
		return nil, fmt.Errorf("reading %s: %w (over %d bytes)", path, hostapi.ErrTooLarge, hostapi.MaxContentBytes)
	}
	return b, nil
}

// validActionRef reports whether owner/repo@ref, named by a workflow's
// uses:, may go into a request: an account name of alphanumerics and single
// hyphens (neither first nor last, at most 39); a repository name of at
// most 100 of [A-Za-z0-9._-], not "." or ".."; a ref that git's
// check-ref-format accepts (no "..", "@{", "//", control characters, space
// or ~^:?*[\; no leading or trailing "/", no trailing "."; no component
// starting with "." or ending with ".lock"; not "@"), without the "%" and
// "#" git allows but a URL path would read otherwise. So no escaped segment
// is "." or "..", and the request stays under the action's repository.
func validActionRef(owner, repo, ref string) bool {
	return validOwner(owner) && validRepoName(repo) && validRefName(ref)
}

func validOwner(s string) bool {
	if s == "" || len(s) > 39 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

func validRepoName(s string) bool {
	if s == "" || s == "." || s == ".." || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func validRefName(s string) bool {
	if s == "" || s == "@" || len(s) > 255 || s[len(s)-1] == '.' ||
		strings.Contains(s, "..") || strings.Contains(s, "@{") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == ' ' || strings.IndexByte("~^:?*[\\%#", c) >= 0 {
			return false
		}
	}
	for _, comp := range strings.Split(s, "/") {
		if comp == "" || comp[0] == '.' || strings.HasSuffix(comp, ".lock") {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func escapePath(p string) string {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// PushCheckName is the check run of a push scan. A pushed commit is often
// a pull request's head too, already carrying that pull request's
// CheckName run: a push run of the same name would replace its verdict in
// GitHub's checks (the newest run of a name is the one shown and the one
// branch protection reads), although a push is reviewed with less (no
// inline comments, no approvals, another base). A name of its own keeps
// both, as GitHub Actions names one workflow's "build (push)" and "build
// (pull_request)" runs.
const PushCheckName = CheckName + " (push)"

// checkName is the check run name of ch: pull requests and pushes apart.
func checkName(ch platform.Change) string {
	if ch.IsPush() {
		return PushCheckName
	}
	return CheckName
}

// BeginCheck reuses the newest unfinished check run of ch's name (see
// checkName) this App made on the head (a crashed worker's rerun must not
// add a second), else creates one in progress. A completed run is not
// reused: a re-run request expects a fresh run.
func (c *Client) BeginCheck(ctx context.Context, ch platform.Change) (platform.CheckID, error) {
	name := checkName(ch)
	res, _, err := c.gh.Checks.ListCheckRunsForRef(ctx, ch.Repo.Owner, ch.Repo.Name, ch.HeadSHA, &gh.ListCheckRunsOptions{
		CheckName:   gh.String(name),
		AppID:       gh.Int64(c.appID),
		Filter:      gh.String("all"),
		ListOptions: gh.ListOptions{PerPage: perPage},
	})
	if err != nil {
		return platform.CheckID{}, apiError("listing check runs", err)
	}
	var best *gh.CheckRun
	for _, r := range res.CheckRuns {
		if r.GetName() != name || r.GetStatus() == "completed" {
			continue
		}
		if a := r.GetApp(); a != nil && a.GetID() != 0 && a.GetID() != c.appID {
			continue
		}
		if best == nil || r.GetID() > best.GetID() {
			best = r
		}
	}
	if best != nil {
		c.logger(ch).Info("reusing check run", "check_run_id", best.GetID())
		return platform.CheckID{ID: best.GetID()}, nil
	}
	return c.createCheck(ctx, ch)
}

func (c *Client) createCheck(ctx context.Context, ch platform.Change) (platform.CheckID, error) {
	run, _, err := c.gh.Checks.CreateCheckRun(ctx, ch.Repo.Owner, ch.Repo.Name, gh.CreateCheckRunOptions{
		Name:      checkName(ch),
		HeadSHA:   ch.HeadSHA,
		Status:    gh.String("in_progress"),
		StartedAt: &gh.Timestamp{Time: c.now()},
		Output: &gh.CheckRunOutput{
			Title:   gh.String("Reviewing"),
			Summary: gh.String("shiftward is reviewing " + shortSHA(ch.HeadSHA) + "."),
		},
	})
	if err != nil {
		return platform.CheckID{}, apiError("creating check run", err)
	}
	return platform.CheckID{ID: run.GetID()}, nil
}

// Publish posts the review of a pull request and completes the check run;
// a push gets the check run only. Each step is idempotent across retries:
// comments already posted (found by their marker) are not posted again,
// and no POST is ever repeated blindly.
func (c *Client) Publish(ctx context.Context, ch platform.Change, check platform.CheckID, r *comments.Review) error {
	if r == nil {
		return errors.New("publishing: nil review")
	}
	if !ch.IsPush() {
		if err := c.publishReview(ctx, ch, r); err != nil {
			return err
		}
	}
	return c.completeCheck(ctx, ch, check, r)
}

func (c *Client) publishReview(ctx context.Context, ch platform.Change, r *comments.Review) error {
	posted, err := c.posted(ctx, ch)
	if err != nil {
		return err
	}
	post, resolve := comments.Reconcile(r, posted)
	if len(post) > 0 {
		if err := c.postComments(ctx, ch, r, post); err != nil {
			return err
		}
	}
	for _, p := range resolve {
		if p.Resolved {
			continue
		}
		body := truncate(comments.ResolvedBody(p.Body, ch.HeadSHA), maxOutputChars)
		if _, _, err := c.gh.PullRequests.EditComment(ctx, ch.Repo.Owner, ch.Repo.Name, p.ID, &gh.PullRequestComment{Body: &body}); err != nil {
			if status(err) == http.StatusNotFound {
				continue // deleted by a user since: nothing to resolve
			}
			return apiError("marking comment resolved", err)
		}
	}
	return nil
}

// posted reads back shiftward's earlier comments: every page of the pull
// request's review comments, keeping those a bot wrote that carry a marker.
func (c *Client) posted(ctx context.Context, ch platform.Change) ([]comments.Posted, error) {
	var out []comments.Posted
	opt := &gh.PullRequestListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage, Page: 1}}
	for page := 0; page < maxCommentPages; page++ {
		cs, resp, err := c.gh.PullRequests.ListComments(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, opt)
		if err != nil {
			return nil, apiError("listing review comments", err)
		}
		for _, pc := range cs {
			if pc == nil || pc.GetUser().GetType() != "Bot" {
				continue
			}
			fp, resolved, ok := comments.ParseMarker(pc.GetBody())
			if !ok {
				continue
			}
			out = append(out, comments.Posted{ID: pc.GetID(), Fingerprint: fp, Resolved: resolved, Body: pc.GetBody()})
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// postComments posts the new comments as one review. GitHub rejects the
// whole review with 422 when one comment's line is outside the diff; then
// each comment is posted alone, and those still refused are demoted to the
// summary. Any other failure is returned as is, never retried here: the job's
// retry reads back what landed and posts only the rest.
func (c *Client) postComments(ctx context.Context, ch platform.Change, r *comments.Review, post []comments.Comment) error {
	drafts := make([]*gh.DraftReviewComment, 0, len(post))
	for _, cm := range post {
		d := &gh.DraftReviewComment{
			Path: gh.String(cm.Path),
			Body: gh.String(truncate(cm.Body, maxOutputChars)),
			Line: gh.Int(cm.Line),
			Side: gh.String("RIGHT"),
		}
		if cm.StartLine > 0 && cm.StartLine < cm.Line {
			d.StartLine, d.StartSide = gh.Int(cm.StartLine), gh.String("RIGHT")
		}
		drafts = append(drafts, d)
	}
	body := fmt.Sprintf("shiftward found %d new finding(s) in %s.", len(post), shortSHA(ch.HeadSHA))
	_, _, err := c.gh.PullRequests.CreateReview(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, &gh.PullRequestReviewRequest{
		CommitID: gh.String(ch.HeadSHA),
		Body:     gh.String(body),
		Event:    gh.String("COMMENT"),
		Comments: drafts,
	})
	if err == nil {
		return nil
	}
	if status(err) != http.StatusUnprocessableEntity {
		return apiError("posting review", err)
	}
	c.logger(ch).Info("review refused (a line outside the diff); posting comments one by one", "comments", len(post))
	for i, cm := range post {
		d := drafts[i]
		_, _, err := c.gh.PullRequests.CreateComment(ctx, ch.Repo.Owner, ch.Repo.Name, ch.Number, &gh.PullRequestComment{
			Body: d.Body, CommitID: gh.String(ch.HeadSHA), Path: d.Path,
			Line: d.Line, Side: d.Side, StartLine: d.StartLine, StartSide: d.StartSide,
		})
		switch {
		case err == nil:
		case status(err) == http.StatusUnprocessableEntity:
			r.Demote(cm.Fingerprint, "GitHub does not accept a comment on this line (outside the diff)")
		default:
			return apiError("posting review comment", err)
		}
	}
	return nil
}

// completeCheck writes the result to the check run: annotations in batches
// of at most 50 (the checks API's cap; GitHub appends each batch), the
// conclusion only with the last, so the run shows complete only once every
// annotation is there.
func (c *Client) completeCheck(ctx context.Context, ch platform.Change, check platform.CheckID, r *comments.Review) error {
	if check.ID == 0 {
		id, err := c.createCheck(ctx, ch)
		if err != nil {
			return err
		}
		check = id
	}
	title := r.Title
	if title == "" {
		title = "shiftward"
	}
	title = truncate(title, maxAnnotationTitle)
	summary := truncate(r.Summary(), maxOutputChars)
	conclusion := string(r.Conclusion)
	if conclusion == "" {
		conclusion = string(comments.Neutral)
	}
	anns := annotations(r.Annotations())
	// GitHub appends each request's annotations to the run. A retry after
	// a batch landed (its response lost, or a later batch failed) must not
	// append it again: skip as many as the run already holds. The order is
	// deterministic for one head, so those are exactly the first ones.
	run, _, err := c.gh.Checks.GetCheckRun(ctx, ch.Repo.Owner, ch.Repo.Name, check.ID)
	if err != nil {
		return apiError("reading check run", err)
	}
	anns = anns[min(run.GetOutput().GetAnnotationsCount(), len(anns)):]
	batches := (len(anns) + maxAnnotationsPerRequest - 1) / maxAnnotationsPerRequest
	batches = max(batches, 1)
	for b := 0; b < batches; b++ {
		lo := b * maxAnnotationsPerRequest
		hi := min(lo+maxAnnotationsPerRequest, len(anns))
		opt := gh.UpdateCheckRunOptions{
			Name:   checkName(ch),
			Output: &gh.CheckRunOutput{Title: &title, Summary: &summary, Annotations: anns[lo:hi]},
		}
		if b == batches-1 {
			opt.Actions = checkActions(ch, r)
			opt.Status = gh.String("completed")
			opt.Conclusion = &conclusion
			opt.CompletedAt = &gh.Timestamp{Time: c.now()}
		}
		if _, _, err := c.gh.Checks.UpdateCheckRun(ctx, ch.Repo.Owner, ch.Repo.Name, check.ID, opt); err != nil {
			return apiError(fmt.Sprintf("updating check run (batch %d of %d)", b+1, batches), err)
		}
	}
	return nil
}

// checkActions are the buttons of a completed pull request check run:
// Re-run always, Apply fixes when some finding has a deterministic fix and
// the branch is the repository's own (the app cannot push to a fork; those
// get the suggestions). GitHub caps a label at 20 characters, a description
// at 40 and an identifier at 20.
func checkActions(ch platform.Change, r *comments.Review) []*gh.CheckRunAction {
	if ch.IsPush() {
		return nil
	}
	actions := []*gh.CheckRunAction{{Label: "Re-run", Description: "Review this pull request again", Identifier: ActionRerun}}
	if n := r.Fixable(); n > 0 && !ch.Fork {
		desc := fmt.Sprintf("Commit the %d suggested fixes", n)
		if n == 1 {
			desc = "Commit the suggested fix"
		}
		actions = append(actions, &gh.CheckRunAction{Label: "Apply fixes", Description: truncate(desc, 40), Identifier: ActionApplyFixes})
	}
	return actions
}

func annotations(in []comments.Annotation) []*gh.CheckRunAnnotation {
	out := make([]*gh.CheckRunAnnotation, 0, len(in))
	for _, a := range in {
		if a.Path == "" {
			continue
		}
		start := max(a.StartLine, 1)
		end := max(a.EndLine, start)
		level := a.Level
		switch level {
		case "failure", "warning", "notice":
		default:
			level = "warning"
		}
		msg := a.Message
		if msg == "" {
			msg = a.Title
		}
		out = append(out, &gh.CheckRunAnnotation{
			Path:            gh.String(a.Path),
			StartLine:       gh.Int(start),
			EndLine:         gh.Int(end),
			AnnotationLevel: gh.String(level),
			Title:           gh.String(truncate(a.Title, maxAnnotationTitle)),
			Message:         gh.String(truncate(msg, maxAnnotationMessage)),
		})
	}
	return out
}

// Supersede completes an outdated head's check run as neutral, naming the
// newer commit, so the pull request does not show a run that never ends.
func (c *Client) Supersede(ctx context.Context, ch platform.Change, check platform.CheckID, newerSHA string) error {
	if check.ID == 0 {
		return nil
	}
	summary := fmt.Sprintf("A newer commit, %s, was pushed; shiftward reviews that one instead of %s.", newerSHA, shortSHA(ch.HeadSHA))
	_, _, err := c.gh.Checks.UpdateCheckRun(ctx, ch.Repo.Owner, ch.Repo.Name, check.ID, gh.UpdateCheckRunOptions{
		Name:        checkName(ch),
		Status:      gh.String("completed"),
		Conclusion:  gh.String(string(comments.Neutral)),
		CompletedAt: &gh.Timestamp{Time: c.now()},
		Output:      &gh.CheckRunOutput{Title: gh.String("Superseded"), Summary: &summary},
	})
	if err != nil {
		return apiError("superseding check run", err)
	}
	return nil
}

func shortSHA(s string) string {
	if len(s) > 7 {
		return s[:7]
	}
	return s
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "\n\n… (truncated)"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
