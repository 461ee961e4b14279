package gitlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners/diff"
)

// GitLab's limits, from the REST docs.
const (
	// perPage is the largest page the list endpoints serve.
	perPage = 100
	// maxDiffPages bounds the MR diffs listing (10,000 files); GitLab's own
	// diff limits (diff_max_files, 1,000 by default) stop well before.
	maxDiffPages = 100
	// maxDiscussionPages bounds the discussions listing (10,000 threads).
	maxDiscussionPages = 100
	// maxNoteChars caps a note body. GitLab takes 1,000,000 characters;
	// shiftward's own bodies stay within comments.MaxBody.
	maxNoteChars = 1_000_000
	// maxDescription is the commit status description's cap (255).
	maxDescription = 255
)

// SummaryMarker is the hidden HTML comment that names shiftward's summary
// note on a merge request, so a later push edits it instead of adding one.
const SummaryMarker = "<!-- shiftward:summary -->"

// Client is the bot's view of GitLab for one job. It remembers the diffs
// Files read, so Publish can place a comment on an unchanged (context)
// line, which GitLab wants with both its old and new line numbers.
type Client struct {
	gl      *gl.Client
	factory *Factory
	log     *slog.Logger

	mu sync.Mutex
	// files holds, per head sha, the listed diffs by new path.
	files map[string]map[string]*fileDiff
}

var _ platform.Budgeted = (*Client)(nil)

// Budget is how many requests the token can send now without waiting
// (above the reserve), and what a review costs.
func (c *Client) Budget(ctx context.Context) (int, comments.Costs) {
	if c.factory == nil || c.factory.budget == nil {
		return -1, reviewCosts
	}
	return c.factory.budget.Affordable(ctx), reviewCosts
}

// fileDiff is one file as GitLab's diff lists it: the paths a position
// names, and the parsed hunks.
type fileDiff struct {
	oldPath, newPath string
	diff             *diff.File
}

var _ platform.Client = (*Client)(nil)

func (c *Client) logger(ch platform.Change) *slog.Logger {
	return c.log.With("repo", ch.Repo.FullName(), "pr", ch.Number, "head_sha", ch.HeadSHA)
}

// pid names the project in API paths: its numeric id when known, else its
// full path (client-go escapes it as one segment).
func pid(ch platform.Change) any {
	if ch.Repo.ID > 0 {
		return ch.Repo.ID
	}
	return ch.Repo.FullName()
}

func pidPath(ch platform.Change) string {
	if ch.Repo.ID > 0 {
		return strconv.FormatInt(ch.Repo.ID, 10)
	}
	return gl.PathEscape(ch.Repo.FullName())
}

// version is the diff version of a merge request that positions refer to.
type version struct {
	ID                         int64
	BaseSHA, StartSHA, HeadSHA string
	RealSize                   string
}

// latestVersion reads the MR's diff versions (GET .../versions, newest
// first) and returns the newest. A merge request whose diff GitLab has not
// computed yet has none: nil then.
func (c *Client) latestVersion(ctx context.Context, ch platform.Change) (*version, error) {
	vs, _, err := c.gl.MergeRequests.GetMergeRequestDiffVersions(pid(ch), int64(ch.Number),
		&gl.GetMergeRequestDiffVersionsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, gl.WithContext(ctx))
	if err != nil {
		return nil, apiError("listing merge request versions", err)
	}
	var best *gl.MergeRequestDiffVersion
	for _, v := range vs {
		if v == nil || v.HeadCommitSHA == "" {
			continue
		}
		if best == nil || v.ID > best.ID {
			best = v
		}
	}
	if best == nil {
		return nil, nil
	}
	return &version{ID: best.ID, BaseSHA: best.BaseCommitSHA, StartSHA: best.StartCommitSHA, HeadSHA: best.HeadCommitSHA, RealSize: best.RealSize}, nil
}

// Files lists the change's files with their diffs, and as the Listing's
// Gaps one line for each part of the change it could not list or read.
//
// A merge request is read from its latest diff version (GET .../versions)
// and GET .../merge_requests/:iid/diffs (GitLab 15.7+), every page of 100.
// The paginated diffs endpoint is used rather than the single version's
// diffs (GET .../versions/:version_id), which comes unpaginated in one
// response however large the MR. Both serve the MR's latest diff; if a push
// lands between the two reads, a comment position may be refused, and that
// comment is demoted to the summary, never lost. When the latest version's
// head is not the change's head (the MR moved on), the review still goes
// ahead on what GitLab lists.
//
// A push is read from GET /projects/:id/repository/compare?from=base&to=head
// (merge-base comparison, diffs included in the one response). GitLab caps
// a comparison as it caps MR diffs (by its diff limits: files and lines,
// marking cut files too_large or collapsed) and may time out
// (compare_timeout); a timeout is reported as a gap.
//
// Files whose diff GitLab left out (too_large, collapsed, or a generated
// file without diff) are rebuilt from the raw files API: see fillDiffless.
func (c *Client) Files(ctx context.Context, ch platform.Change) (platform.Listing, error) {
	var (
		raw        []rawDiff
		gaps       []string
		base, head = ch.BaseSHA, ch.HeadSHA
	)
	if ch.IsPush() {
		cmp, err := c.compare(ctx, ch)
		if err != nil {
			return platform.Listing{}, err
		}
		raw = cmp.Diffs
		if cmp.CompareTimeout {
			gaps = append(gaps, "GitLab's comparison of "+shortSHA(ch.BaseSHA)+".."+shortSHA(ch.HeadSHA)+" timed out; its file list may be incomplete.")
		}
	} else {
		v, err := c.latestVersion(ctx, ch)
		if err != nil {
			return platform.Listing{}, err
		}
		if v != nil {
			base, head = v.BaseSHA, v.HeadSHA
			if v.HeadSHA != ch.HeadSHA {
				c.logger(ch).Info("merge request moved on; reviewing its latest diff", "latest_head", v.HeadSHA)
			}
			if strings.HasSuffix(v.RealSize, "+") {
				gaps = append(gaps, fmt.Sprintf("GitLab lists only part of this merge request's %s files (its diff limits).", v.RealSize))
			}
		}
		raw, err = c.listDiffs(ctx, ch)
		if err != nil {
			return platform.Listing{}, err
		}
	}
	out := make([]*diff.File, 0, len(raw))
	byPath := make(map[string]*fileDiff, len(raw))
	for i := range raw {
		f := &raw[i]
		if f.NewPath == "" && f.OldPath == "" {
			continue
		}
		df, err := c.toDiff(ctx, ch, f, base, head, &gaps)
		if err != nil {
			return platform.Listing{}, err
		}
		out = append(out, df)
		if !df.IsDelete {
			byPath[df.NewPath] = &fileDiff{oldPath: f.OldPath, newPath: f.NewPath, diff: df}
		}
	}
	c.mu.Lock()
	c.files[ch.HeadSHA] = byPath
	if head != ch.HeadSHA {
		c.files[head] = byPath
	}
	c.mu.Unlock()
	return platform.Listing{Files: out, Gaps: gaps}, nil
}

// rawDiff is one file of GitLab's MR diffs or compare answer. client-go's
// compare type lacks the too_large/collapsed flags, so one struct serves both.
type rawDiff struct {
	OldPath       string `json:"old_path"`
	NewPath       string `json:"new_path"`
	AMode         string `json:"a_mode"`
	BMode         string `json:"b_mode"`
	Diff          string `json:"diff"`
	NewFile       bool   `json:"new_file"`
	RenamedFile   bool   `json:"renamed_file"`
	DeletedFile   bool   `json:"deleted_file"`
	GeneratedFile bool   `json:"generated_file"`
	Collapsed     bool   `json:"collapsed"`
	TooLarge      bool   `json:"too_large"`
}

type compareResult struct {
	Diffs          []rawDiff `json:"diffs"`
	CompareTimeout bool      `json:"compare_timeout"`
}

func (c *Client) compare(ctx context.Context, ch platform.Change) (*compareResult, error) {
	opt := &gl.CompareOptions{From: gl.Ptr(ch.BaseSHA), To: gl.Ptr(ch.HeadSHA)}
	req, err := c.gl.NewRequest(http.MethodGet, "projects/"+pidPath(ch)+"/repository/compare", opt, []gl.RequestOptionFunc{gl.WithContext(ctx)})
	if err != nil {
		return nil, fmt.Errorf("comparing: %w", err)
	}
	var out compareResult
	if _, err := c.gl.Do(req, &out); err != nil {
		return nil, apiError("comparing "+shortSHA(ch.BaseSHA)+".."+shortSHA(ch.HeadSHA), err)
	}
	return &out, nil
}

func (c *Client) listDiffs(ctx context.Context, ch platform.Change) ([]rawDiff, error) {
	var out []rawDiff
	page := int64(1)
	for n := 0; n < maxDiffPages; n++ {
		opt := &gl.ListMergeRequestDiffsOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: page}}
		req, err := c.gl.NewRequest(http.MethodGet, fmt.Sprintf("projects/%s/merge_requests/%d/diffs", pidPath(ch), ch.Number), opt, []gl.RequestOptionFunc{gl.WithContext(ctx)})
		if err != nil {
			return nil, fmt.Errorf("listing merge request diffs: %w", err)
		}
		var ds []rawDiff
		resp, err := c.gl.Do(req, &ds)
		if err != nil {
			return nil, apiError("listing merge request diffs", err)
		}
		out = append(out, ds...)
		if resp.NextPage == 0 || resp.NextPage <= page {
			return out, nil
		}
		page = resp.NextPage
	}
	c.logger(ch).Warn("merge request diffs listing stopped at the page bound", "pages", maxDiffPages)
	return out, nil
}

// toDiff builds the diff of one listed file; a file it could not read is
// added to gaps.
func (c *Client) toDiff(ctx context.Context, ch platform.Change, f *rawDiff, base, head string, gaps *[]string) (*diff.File, error) {
	oldPath, newPath := f.OldPath, f.NewPath
	if oldPath == "" {
		oldPath = newPath
	}
	if newPath == "" {
		newPath = oldPath
	}
	dOld, dNew := oldPath, newPath
	switch {
	case f.NewFile:
		dOld = ""
	case f.DeletedFile:
		dNew = ""
	}
	var df *diff.File
	omitted := f.Diff == "" && (f.TooLarge || f.Collapsed || f.GeneratedFile)
	if !omitted {
		parsed, err := diff.ParsePatch(dOld, dNew, f.Diff)
		if err == nil && parsed != nil {
			df = parsed
		} else {
			c.logger(ch).Warn("unreadable diff, filling from files", "path", newPath, "err", err)
		}
	}
	if df == nil {
		var err error
		if df, err = c.fillDiffless(ctx, ch, f, dOld, dNew, base, head, gaps); err != nil {
			return nil, err
		}
	}
	df.OldPath, df.NewPath = dOld, dNew
	df.IsNew = f.NewFile
	df.IsDelete = f.DeletedFile
	df.IsRename = f.RenamedFile && !f.NewFile && !f.DeletedFile
	return df, nil
}

// fillDiffless rebuilds the added lines of a file GitLab listed without a
// diff, from the file at head and at base (for a merge request, the shas of
// its latest diff version: base is the merge base, so lines the target
// branch changed since do not count):
//   - deleted: nothing was added;
//   - new: every line of the head version is added;
//   - otherwise: the two versions are compared as multisets of lines by
//     diff.FromVersions.
//
// Binary files (diff.IsBinary; the base is not read when head is binary)
// and files over hostapi.MaxContentBytes get no hunks.
func (c *Client) fillDiffless(ctx context.Context, ch platform.Change, f *rawDiff, oldPath, newPath, base, head string, gaps *[]string) (*diff.File, error) {
	df := &diff.File{}
	if f.DeletedFile {
		return df, nil
	}
	headBytes, err := c.FileContent(ctx, ch, newPath, head)
	if skip, err := c.skippable(ch, newPath, err, gaps); skip || err != nil {
		return df, err
	}
	if diff.IsBinary(headBytes) {
		df.IsBinary = true
		return df, nil
	}
	var baseBytes []byte
	if !f.NewFile {
		baseBytes, err = c.FileContent(ctx, ch, oldPath, base)
		if errors.Is(err, platform.ErrNotFound) {
			baseBytes, err = nil, nil // absent in base: all of head is new
		}
		if skip, err := c.skippable(ch, oldPath, err, gaps); skip || err != nil {
			return df, err
		}
	}
	return diff.FromVersions(oldPath, newPath, baseBytes, headBytes), nil
}

// skippable decides what a failed content read means for a diffless file
// (see hostapi.UnreadableGap); a skipped file is logged and added to gaps.
func (c *Client) skippable(ch platform.Change, path string, err error, gaps *[]string) (bool, error) {
	if err == nil {
		return false, nil
	}
	gap, skip := hostapi.UnreadableGap("GitLab", path, err)
	if !skip {
		return false, err
	}
	c.logger(ch).Warn("file without diff not scanned", "path", path, "err", err)
	*gaps = append(*gaps, gap)
	return true, nil
}

// limitWriter collects at most n bytes and fails past them, so a huge file
// is never held whole.
type limitWriter struct {
	buf bytes.Buffer
	n   int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.n {
		return 0, hostapi.ErrTooLarge
	}
	return w.buf.Write(p)
}

// FileContent reads path at sha through GET
// /projects/:id/repository/files/:file_path/raw?ref=sha (the path encoded
// as one segment). A missing file gives platform.ErrNotFound; shiftward
// stops at hostapi.MaxContentBytes.
func (c *Client) FileContent(ctx context.Context, ch platform.Change, path, sha string) ([]byte, error) {
	if path == "" || sha == "" {
		return nil, fmt.Errorf("reading file: empty path or ref: %w", platform.ErrNotFound)
	}
	u := "projects/" + pidPath(ch) + "/repository/files/" + gl.PathEscape(path) + "/raw"
	req, err := c.gl.NewRequest(http.MethodGet, u, &gl.GetRawFileOptions{Ref: gl.Ptr(sha)}, []gl.RequestOptionFunc{gl.WithContext(ctx)})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	w := &limitWriter{n: hostapi.MaxContentBytes}
	if _, err := c.gl.Do(req, w); err != nil {
		if errors.Is(err, hostapi.ErrTooLarge) {
			return nil, fmt.Errorf("reading %s: %w (over %d bytes)", path, hostapi.ErrTooLarge, hostapi.MaxContentBytes)
		}
		if status(err) == http.StatusNotFound {
			return nil, fmt.Errorf("reading %s at %s: %w", path, shortSHA(sha), platform.ErrNotFound)
		}
		return nil, apiError("reading "+path, err)
	}
	return w.buf.Bytes(), nil
}

// BeginCheck sets shiftward's commit status on the head to running. GitLab
// keys the status by sha, name and ref, so CheckID stays zero. Setting
// running on a status already running (a retried job) is refused by GitLab
// with 400 "Cannot transition status via :run from :running", which means
// the status is as wanted.
func (c *Client) BeginCheck(ctx context.Context, ch platform.Change) (platform.CheckID, error) {
	err := c.setStatus(ctx, ch, gl.Running, "shiftward is reviewing "+shortSHA(ch.HeadSHA))
	return platform.CheckID{}, err
}

// PushStatusName is the commit status of a push scan. GitLab keys a status
// by sha, name and ref, and a merge request's source branch is the ref its
// pushes name: a push status called StatusName would replace the merge
// request's verdict on the same commit. A name of its own keeps both.
const PushStatusName = StatusName + " (push)"

func statusName(ch platform.Change) string {
	if ch.IsPush() {
		return PushStatusName
	}
	return StatusName
}

func (c *Client) setStatus(ctx context.Context, ch platform.Change, state gl.BuildStateValue, desc string) error {
	opt := &gl.SetCommitStatusOptions{
		State:       state,
		Name:        gl.Ptr(statusName(ch)),
		Description: gl.Ptr(truncate(desc, maxDescription)),
	}
	if ch.Ref != "" {
		opt.Ref = gl.Ptr(ch.Ref)
	}
	_, _, err := c.gl.Commits.SetCommitStatus(pid(ch), ch.HeadSHA, opt, gl.WithContext(ctx))
	if err != nil {
		if sameStateTransition(err) {
			c.logger(ch).Debug("commit status already in this state", "state", string(state))
			return nil
		}
		return apiError("setting commit status "+string(state), err)
	}
	return nil
}

// Publish posts the review of a merge request (new discussions, resolution
// of fixed ones, the summary note) and sets the final commit status; a push
// gets the status only. Each step is idempotent across retries: threads and
// the summary already posted (found by their markers) are not posted again,
// and no POST is ever repeated blindly.
//
// GitLab has no neutral status: a neutral review (the scan was incomplete)
// sets "failed", with a description saying so, since shiftward never reports
// a change it could not read whole as passing.
func (c *Client) Publish(ctx context.Context, ch platform.Change, _ platform.CheckID, r *comments.Review) error {
	if r == nil {
		return errors.New("publishing: nil review")
	}
	if !ch.IsPush() {
		if err := c.publishReview(ctx, ch, r); err != nil {
			return err
		}
	}
	state := gl.Failed
	if r.Conclusion == comments.Success {
		state = gl.Success
	}
	desc := r.Title
	if desc == "" {
		desc = "shiftward review"
	}
	if r.Conclusion != comments.Success && r.Conclusion != comments.Failure && !strings.Contains(desc, "incomplete") {
		desc += "; scan incomplete"
	}
	return c.setStatus(ctx, ch, state, desc)
}

// posted is what earlier runs left on a merge request: shiftward's
// threads and its summary note.
type posted struct {
	threads []comments.Posted
	// summaryID is the summary note's id, 0 when there is none yet.
	summaryID   int64
	summaryBody string
}

func (c *Client) publishReview(ctx context.Context, ch platform.Change, r *comments.Review) error {
	bot, err := c.factory.user(ctx)
	if err != nil {
		return err
	}
	prev, err := c.readBack(ctx, ch, bot)
	if err != nil {
		return err
	}
	post, resolve := comments.Reconcile(r, prev.threads)
	if len(post) > 0 {
		v, err := c.latestVersion(ctx, ch)
		if err != nil {
			return err
		}
		if err := c.postThreads(ctx, ch, v, r, post); err != nil {
			return err
		}
	}
	for _, p := range resolve {
		if err := c.resolve(ctx, ch, p); err != nil {
			return err
		}
	}
	return c.upsertSummary(ctx, ch, prev, r)
}

// readBack reads every page of the MR's discussions and keeps the bot's:
// threads whose first note carries a fingerprint marker, and the summary
// note. Notes by anyone else are ignored, whatever markers they quote.
func (c *Client) readBack(ctx context.Context, ch platform.Change, bot *botUser) (*posted, error) {
	out := &posted{}
	page := int64(1)
	for n := 0; n < maxDiscussionPages; n++ {
		ds, resp, err := c.gl.Discussions.ListMergeRequestDiscussions(pid(ch), int64(ch.Number),
			&gl.ListMergeRequestDiscussionsOptions{ListOptions: gl.ListOptions{PerPage: perPage, Page: page}}, gl.WithContext(ctx))
		if err != nil {
			return nil, apiError("listing merge request discussions", err)
		}
		for _, d := range ds {
			if d == nil || len(d.Notes) == 0 || d.Notes[0] == nil {
				continue
			}
			note := d.Notes[0]
			if note.Author.ID != bot.ID || note.System {
				continue
			}
			if strings.Contains(note.Body, SummaryMarker) {
				if out.summaryID == 0 || note.ID < out.summaryID {
					out.summaryID, out.summaryBody = note.ID, note.Body
				}
				continue
			}
			fp, resolved, ok := comments.ParseMarker(note.Body)
			if !ok {
				continue
			}
			out.threads = append(out.threads, comments.Posted{ID: note.ID, ThreadID: d.ID, Fingerprint: fp, Resolved: resolved, Body: note.Body})
		}
		if resp.NextPage == 0 || resp.NextPage <= page {
			return out, nil
		}
		page = resp.NextPage
	}
	c.logger(ch).Warn("discussions listing stopped at the page bound", "pages", maxDiscussionPages)
	return out, nil
}

// postThreads opens one discussion per new comment, positioned on the
// comment's last line (GitLab's suggestion block is anchored there) in the
// latest diff version. GitLab refuses a position outside the diff with 400;
// that comment is demoted to the summary. Any other failure is returned as
// is, never retried here: the job's retry reads back what landed and posts
// only the rest.
func (c *Client) postThreads(ctx context.Context, ch platform.Change, v *version, r *comments.Review, post []comments.Comment) error {
	if v == nil {
		for _, cm := range post {
			r.Demote(cm.Fingerprint, "GitLab has no diff version of this merge request to comment on")
		}
		return nil
	}
	c.mu.Lock()
	files := c.files[v.HeadSHA]
	if files == nil {
		files = c.files[ch.HeadSHA]
	}
	c.mu.Unlock()
	for _, cm := range post {
		pos := &gl.PositionOptions{
			PositionType: gl.Ptr("text"),
			BaseSHA:      gl.Ptr(v.BaseSHA),
			StartSHA:     gl.Ptr(v.StartSHA),
			HeadSHA:      gl.Ptr(v.HeadSHA),
			NewPath:      gl.Ptr(cm.Path),
			OldPath:      gl.Ptr(cm.Path),
			NewLine:      gl.Ptr(int64(cm.Line)),
		}
		if fd := files[cm.Path]; fd != nil {
			pos.OldPath = gl.Ptr(fd.oldPath)
			if old := contextOldLine(fd.diff, cm.Line); old > 0 {
				// An unchanged line is named on both sides.
				pos.OldLine = gl.Ptr(int64(old))
			}
		}
		body := truncate(cm.Body, maxNoteChars)
		_, _, err := c.gl.Discussions.CreateMergeRequestDiscussion(pid(ch), int64(ch.Number),
			&gl.CreateMergeRequestDiscussionOptions{Body: &body, Position: pos}, gl.WithContext(ctx))
		switch {
		case err == nil:
		case status(err) == http.StatusBadRequest:
			c.logger(ch).Info("discussion position refused; finding goes to the summary", "path", cm.Path, "line", cm.Line)
			r.Demote(cm.Fingerprint, "GitLab does not accept a comment on this line (outside the diff)")
		default:
			return apiError("creating discussion", err)
		}
	}
	return nil
}

// contextOldLine is the old line number of new line n when n is an
// unchanged line of f's hunks, 0 otherwise (added, or not in the diff).
func contextOldLine(f *diff.File, n int) int {
	if f == nil {
		return 0
	}
	for i := range f.Hunks {
		for _, l := range f.Hunks[i].Lines {
			if l.NewNumber == n {
				if l.Op == diff.Context {
					return l.OldNumber
				}
				return 0
			}
		}
	}
	return 0
}

// resolve resolves a fixed finding's thread, then marks its first note
// fixed. The note edit comes last: its marker is what tells a later run the
// thread is done, so a failure in between leaves work for the retry.
func (c *Client) resolve(ctx context.Context, ch platform.Change, p comments.Posted) error {
	if p.Resolved || p.ThreadID == "" {
		return nil
	}
	_, _, err := c.gl.Discussions.ResolveMergeRequestDiscussion(pid(ch), int64(ch.Number), p.ThreadID,
		&gl.ResolveMergeRequestDiscussionOptions{Resolved: gl.Ptr(true)}, gl.WithContext(ctx))
	if err != nil {
		if status(err) == http.StatusNotFound {
			return nil // deleted by a user since: nothing to resolve
		}
		return apiError("resolving discussion", err)
	}
	body := truncate(comments.ResolvedBody(p.Body, ch.HeadSHA), maxNoteChars)
	_, _, err = c.gl.Discussions.UpdateMergeRequestDiscussionNote(pid(ch), int64(ch.Number), p.ThreadID, p.ID,
		&gl.UpdateMergeRequestDiscussionNoteOptions{Body: &body}, gl.WithContext(ctx))
	if err != nil && status(err) != http.StatusNotFound {
		return apiError("marking discussion note fixed", err)
	}
	return nil
}

// upsertSummary writes the one summary note: edited in place when an
// earlier run left one (and its text changed), else created.
func (c *Client) upsertSummary(ctx context.Context, ch platform.Change, prev *posted, r *comments.Review) error {
	body := truncate(r.Summary(), maxNoteChars-len(SummaryMarker)-1) + "\n" + SummaryMarker
	if prev.summaryID != 0 {
		if prev.summaryBody == body {
			return nil
		}
		_, _, err := c.gl.Notes.UpdateMergeRequestNote(pid(ch), int64(ch.Number), prev.summaryID,
			&gl.UpdateMergeRequestNoteOptions{Body: &body}, gl.WithContext(ctx))
		if err == nil {
			return nil
		}
		if status(err) != http.StatusNotFound {
			return apiError("updating summary note", err)
		}
		// Deleted by a user since the read: post a new one.
	}
	if _, _, err := c.gl.Notes.CreateMergeRequestNote(pid(ch), int64(ch.Number),
		&gl.CreateMergeRequestNoteOptions{Body: &body}, gl.WithContext(ctx)); err != nil {
		return apiError("creating summary note", err)
	}
	return nil
}

// Supersede cancels an outdated head's commit status, naming the newer
// commit, so the merge request does not show a review that never ends.
func (c *Client) Supersede(ctx context.Context, ch platform.Change, _ platform.CheckID, newerSHA string) error {
	desc := "Superseded by a newer commit"
	if s := shortSHA(newerSHA); s != "" {
		desc = "Superseded by newer commit " + s
	}
	return c.setStatus(ctx, ch, gl.Canceled, desc)
}

// shortSHA is the first 7 characters of a sha, hex digits only.
func shortSHA(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 7; i++ {
		ch := s[i]
		if (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') {
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
