package gitlab_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

const (
	token     = "glpat-test-token"
	projectID = 42
	baseSHA   = "1111111111111111111111111111111111111111"
	startSHA  = "4444444444444444444444444444444444444444"
	headSHA   = "2222222222222222222222222222222222222222"
)

var repo = platform.Repo{ID: projectID, Owner: "acme", Name: "widgets", DefaultBranch: "main"}

func mrChange() platform.Change {
	return platform.Change{Platform: platform.GitLab, Repo: repo, Number: 7, BaseSHA: "main", HeadSHA: headSHA, Ref: "feature"}
}

// diff5 adds lines 1..5 of a new file.
const diff5 = "@@ -0,0 +1,5 @@\n+one\n+two\n+three\n+four\n+five\n"

// observed records the metrics hook's calls.
type observed struct {
	mu    sync.Mutex
	calls []string
}

func (o *observed) observe(route string, status int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, fmt.Sprintf("%s %d", route, status))
}

func (o *observed) get() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.calls...)
}

type fixture struct {
	srv    *gitlabtest.Server
	client platform.Client
	obs    *observed
}

func newFixture(t *testing.T, diffs ...gitlabtest.Diff) *fixture {
	t.Helper()
	srv := gitlabtest.New(t, token)
	srv.AddProject(gitlabtest.Project{ID: projectID, PathWithNamespace: "acme/widgets", DefaultBranch: "main"})
	if diffs == nil {
		diffs = []gitlabtest.Diff{{OldPath: "app/main.go", NewPath: "app/main.go", NewFile: true, Diff: diff5}}
	}
	srv.AddMR(projectID, gitlabtest.MergeRequest{IID: 7, SourceBranch: "feature", TargetBranch: "main", Versions: []gitlabtest.Version{
		{BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: headSHA, Diffs: diffs},
	}})
	obs := &observed{}
	f, err := gitlab.NewFactory(gitlab.Config{BaseURL: srv.URL, Token: token, Observe: obs.observe, RetryBackoff: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Client(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, client: c, obs: obs}
}

func addedNumbers(f *diff.File) []int {
	var out []int
	for _, l := range f.Added() {
		out = append(out, l.NewNumber)
	}
	return out
}

func TestFilesPaginates(t *testing.T) {
	var diffs []gitlabtest.Diff
	for i := range 250 {
		p := fmt.Sprintf("f%03d.go", i)
		diffs = append(diffs, gitlabtest.Diff{OldPath: p, NewPath: p, NewFile: true, Diff: "@@ -0,0 +1,2 @@\n+package x\n+var v" + strconv.Itoa(i) + " = 1\n"})
	}
	fx := newFixture(t, diffs...)
	ls := listing(t, fx, mrChange())
	if len(ls.Files) != 250 || ls.Gaps != nil {
		t.Fatalf("got %d files, gaps %q; want 250, none", len(ls.Files), ls.Gaps)
	}
	for i, f := range ls.Files {
		want := fmt.Sprintf("f%03d.go", i)
		if f.Path() != want || !f.IsNew || f.OldPath != "" || len(f.Added()) != 2 || f.Added()[1].Text != "var v"+strconv.Itoa(i)+" = 1" {
			t.Fatalf("file %d = %s new=%v added=%v", i, f.Path(), f.IsNew, f.Added())
		}
	}
	calls := fx.srv.CallsTo(gitlabtest.RouteListDiffs)
	if len(calls) != 3 {
		t.Fatalf("%d diffs calls, want 3 pages of 100", len(calls))
	}
	for i, c := range calls {
		if !strings.Contains(c.Query, "per_page=100") || !strings.Contains(c.Query, "page="+strconv.Itoa(i+1)) {
			t.Errorf("call %d query %q", i, c.Query)
		}
	}
	// Metrics name routes by template, never by raw path.
	wantObs := []string{
		"GET /projects/{id}/merge_requests/{merge_request_iid}/versions 200",
		"GET /projects/{id}/merge_requests/{merge_request_iid}/diffs 200",
		"GET /projects/{id}/merge_requests/{merge_request_iid}/diffs 200",
		"GET /projects/{id}/merge_requests/{merge_request_iid}/diffs 200",
	}
	if d := cmp.Diff(wantObs, fx.obs.get()); d != "" {
		t.Errorf("observed calls (-want +got):\n%s", d)
	}
}

func TestFilesTooLargeFilledFromFiles(t *testing.T) {
	fx := newFixture(t,
		gitlabtest.Diff{OldPath: "big/new.txt", NewPath: "big/new.txt", NewFile: true, TooLarge: true},
		gitlabtest.Diff{OldPath: "big/changed.txt", NewPath: "big/changed.txt", Collapsed: true},
		gitlabtest.Diff{OldPath: "img.png", NewPath: "img.png", NewFile: true, TooLarge: true},
		gitlabtest.Diff{OldPath: "gone.txt", NewPath: "gone.txt", DeletedFile: true, TooLarge: true},
		gitlabtest.Diff{OldPath: "missing.txt", NewPath: "missing.txt", TooLarge: true},
		gitlabtest.Diff{OldPath: "old/moved.txt", NewPath: "moved.txt", RenamedFile: true},
		gitlabtest.Diff{OldPath: "small.go", NewPath: "small.go", Diff: "@@ -1,2 +1,3 @@\n package x\n+var a = 1\n var b = 2\n"},
	)
	// Filled from the latest version's shas: head, and base (the merge base).
	fx.srv.SetContent(projectID, headSHA, "big/new.txt", []byte("a\nb\nc\n"))
	fx.srv.SetContent(projectID, baseSHA, "big/changed.txt", []byte("keep\nold\nkeep2\n"))
	fx.srv.SetContent(projectID, headSHA, "big/changed.txt", []byte("keep\nnew1\nkeep2\nnew2"))
	fx.srv.SetContent(projectID, headSHA, "img.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))

	ls := listing(t, fx, mrChange())
	type view struct {
		Path                        string
		New, Delete, Rename, Binary bool
		Added                       []int
	}
	var gotV []view
	for _, f := range ls.Files {
		gotV = append(gotV, view{f.Path(), f.IsNew, f.IsDelete, f.IsRename, f.IsBinary, addedNumbers(f)})
	}
	want := []view{
		{Path: "big/new.txt", New: true, Added: []int{1, 2, 3}},
		{Path: "big/changed.txt", Added: []int{2, 4}},
		{Path: "img.png", New: true, Binary: true},
		{Path: "gone.txt", Delete: true},
		{Path: "missing.txt"},
		{Path: "moved.txt", Rename: true},
		{Path: "small.go", Added: []int{2}},
	}
	if d := cmp.Diff(want, gotV); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "missing.txt") {
		t.Errorf("gaps = %q", ls.Gaps)
	}
	for _, c := range fx.srv.CallsTo(gitlabtest.RouteRawFile) {
		// Matching the route means the file path came as one segment.
		if c.Route != gitlabtest.RouteRawFile || (strings.Contains(c.Path, "big") && !strings.Contains(c.Path, "/files/big%2F")) {
			t.Errorf("raw file path %q not encoded as one segment", c.Path)
		}
	}
}

func TestFilesPushUsesCompare(t *testing.T) {
	fx := newFixture(t)
	ch := platform.Change{Platform: platform.GitLab, Repo: repo, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "main"}
	fx.srv.SetCompare(projectID, baseSHA, headSHA, []gitlabtest.Diff{
		{OldPath: "a.go", NewPath: "a.go", Diff: "@@ -1 +1,2 @@\n x\n+y\n"},
	}, true)
	ls := listing(t, fx, ch)
	if len(ls.Files) != 1 || ls.Files[0].Path() != "a.go" || !cmp.Equal(addedNumbers(ls.Files[0]), []int{2}) {
		t.Errorf("files = %+v", ls.Files)
	}
	if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "timed out") {
		t.Errorf("gaps = %q", ls.Gaps)
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteListDiffs)); n != 0 {
		t.Errorf("%d MR diffs calls for a push", n)
	}
}

// Past GitLab's diff limits its latest version's real_size ends in "+": the
// files it lists are reviewed, and the listing says the rest is missing.
func TestFilesOverflowIsAGap(t *testing.T) {
	fx := newFixture(t)
	fx.srv.AddVersion(projectID, 7, gitlabtest.Version{BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: headSHA, RealSize: "1000+",
		Diffs: []gitlabtest.Diff{{OldPath: "app/main.go", NewPath: "app/main.go", NewFile: true, Diff: diff5}}})
	ls := listing(t, fx, mrChange())
	if len(ls.Files) != 1 || ls.Files[0].Path() != "app/main.go" {
		t.Errorf("files = %+v", ls.Files)
	}
	if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "only part of this merge request's 1000+ files") {
		t.Errorf("gaps = %q", ls.Gaps)
	}
}

func TestFileContent(t *testing.T) {
	fx := newFixture(t)
	fx.srv.SetContent(projectID, headSHA, "dir/a b.txt", []byte("hello"))
	got, err := fx.client.FileContent(context.Background(), mrChange(), "dir/a b.txt", headSHA)
	if err != nil || string(got) != "hello" {
		t.Fatalf("FileContent = %q, %v", got, err)
	}
	_, err = fx.client.FileContent(context.Background(), mrChange(), "nope.txt", headSHA)
	if !errors.Is(err, platform.ErrNotFound) {
		t.Fatalf("missing file: %v, want ErrNotFound", err)
	}
}

// finding makes a finding with a stable identity.
func finding(path string, start, end int, rule string, sev scanners.Severity) scanners.Finding {
	return scanners.Finding{
		Scanner: "secrets", RuleID: rule, Severity: sev, Title: "Test rule " + rule,
		Message:  "found at " + path + ":" + strconv.Itoa(start),
		Location: scanners.Location{Path: path, StartLine: start, EndLine: end},
		Identity: fmt.Sprintf("%s:%d", rule, start),
	}
}

type allLines struct{}

func (allLines) Commentable(string, int) bool { return true }

func review(lines comments.Lines, fs ...scanners.Finding) *comments.Review {
	return comments.Build(&scanners.Result{Findings: fs}, lines, comments.Options{Flavor: comments.GitLab, HeadSHA: headSHA})
}

// listing lists ch's files and gaps, failing the test on an error.
func listing(t *testing.T, fx *fixture, ch platform.Change) platform.Listing {
	t.Helper()
	ls, err := fx.client.Files(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// files lists the fixture's files through the client (as the worker does
// before Publish) and indexes them.
func files(t *testing.T, fx *fixture, ch platform.Change) comments.Lines {
	t.Helper()
	return diff.NewIndex(listing(t, fx, ch).Files)
}

type discussionRequest struct {
	Body     string               `json:"body"`
	Position *gitlabtest.Position `json:"position"`
}

func TestPublishPostsThreadsSummaryAndStatus(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	check, err := fx.client.BeginCheck(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	r := review(files(t, fx, ch),
		finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh),
		finding("app/main.go", 3, 5, "secrets/b", scanners.SeverityMedium),
	)
	if len(r.Inline) != 2 {
		t.Fatalf("review has %d inline comments, want 2", len(r.Inline))
	}
	if err := fx.client.Publish(ctx, ch, check, r); err != nil {
		t.Fatal(err)
	}
	calls := fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)
	if len(calls) != 2 {
		t.Fatalf("%d discussion creates, want 2", len(calls))
	}
	var gotPos []gitlabtest.Position
	for i, c := range calls {
		var req discussionRequest
		if err := json.Unmarshal(c.Body, &req); err != nil {
			t.Fatal(err)
		}
		if req.Body != r.Inline[i].Body {
			t.Errorf("discussion %d body differs from the review's", i)
		}
		gotPos = append(gotPos, *req.Position)
	}
	// Positions use the latest version's three shas, new_line only on
	// added lines, the last line of a range.
	want := []gitlabtest.Position{
		{PositionType: "text", BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: headSHA, OldPath: "app/main.go", NewPath: "app/main.go", NewLine: 2},
		{PositionType: "text", BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: headSHA, OldPath: "app/main.go", NewPath: "app/main.go", NewLine: 5},
	}
	if d := cmp.Diff(want, gotPos); d != "" {
		t.Errorf("positions (-want +got):\n%s", d)
	}
	ds := fx.srv.Discussions(projectID, 7)
	if len(ds) != 3 {
		t.Fatalf("%d discussions, want 2 threads + 1 summary note", len(ds))
	}
	if !ds[2].IndividualNote || !strings.Contains(ds[2].Notes[0].Body, gitlab.SummaryMarker) || !strings.Contains(ds[2].Notes[0].Body, r.Title) {
		t.Errorf("summary note = %+v", ds[2])
	}
	sts := fx.srv.Statuses(projectID, headSHA)
	if len(sts) != 1 || sts[0].State != "failed" || sts[0].Name != "shiftward" || sts[0].Ref != "feature" || sts[0].Description != r.Title {
		t.Errorf("statuses = %+v", sts)
	}
}

func TestPublishTwiceIsIdempotent(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	// A human's thread quoting a marker is left alone.
	fx.srv.AddDiscussion(projectID, 7, gitlabtest.Discussion{Notes: []gitlabtest.Note{{Body: "see " + comments.Marker("0123456789abcdef"), AuthorID: 1, AuthorUsername: "root"}}})
	fs := []scanners.Finding{finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)}
	for i := range 2 {
		check, err := fx.client.BeginCheck(ctx, ch)
		if err != nil {
			t.Fatalf("begin %d: %v", i, err)
		}
		if err := fx.client.Publish(ctx, ch, check, review(files(t, fx, ch), fs...)); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)); n != 1 {
		t.Errorf("%d discussions posted, want 1", n)
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteCreateNote)); n != 1 {
		t.Errorf("%d summary notes posted, want 1", n)
	}
	if n := len(fx.srv.Discussions(projectID, 7)); n != 3 {
		t.Errorf("%d discussions, want 3 (human, thread, summary)", n)
	}
	// running → failed, then a new run: running → failed again.
	var states []string
	for _, s := range fx.srv.Statuses(projectID, headSHA) {
		states = append(states, s.State)
	}
	if d := cmp.Diff([]string{"failed", "failed"}, states); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
}

func TestPublishResolvesFixedAndEditsSummary(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	a := finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)
	b := finding("app/main.go", 4, 4, "secrets/b", scanners.SeverityHigh)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(files(t, fx, ch), a, b)); err != nil {
		t.Fatal(err)
	}
	// b is fixed at the next head.
	head2 := "3333333333333333333333333333333333333333"
	fx.srv.AddVersion(projectID, 7, gitlabtest.Version{BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: head2, Diffs: []gitlabtest.Diff{{OldPath: "app/main.go", NewPath: "app/main.go", NewFile: true, Diff: diff5}}})
	ch2 := ch
	ch2.HeadSHA = head2
	r2 := comments.Build(&scanners.Result{Findings: []scanners.Finding{a}}, files(t, fx, ch2), comments.Options{Flavor: comments.GitLab, HeadSHA: head2})
	if err := fx.client.Publish(ctx, ch2, platform.CheckID{}, r2); err != nil {
		t.Fatal(err)
	}
	ds := fx.srv.Discussions(projectID, 7)
	if len(ds) != 3 {
		t.Fatalf("%d discussions, want 3", len(ds))
	}
	fpB := b.Fingerprint()
	for _, d := range ds[:2] {
		fp, resolved, _ := comments.ParseMarker(d.Notes[0].Body)
		threadResolved := d.Notes[0].Resolved
		if fp == fpB {
			if !resolved || !threadResolved || !strings.Contains(d.Notes[0].Body, "Fixed in 3333333") {
				t.Errorf("fixed thread not resolved: %+v", d)
			}
		} else if resolved || threadResolved {
			t.Errorf("open finding's thread resolved: %+v", d)
		}
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteCreateNote)); n != 1 {
		t.Errorf("%d summary notes created, want 1", n)
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteUpdateNote)); n != 1 {
		t.Errorf("%d summary note edits, want 1", n)
	}
	if body := ds[2].Notes[0].Body; body != r2.Summary()+"\n"+gitlab.SummaryMarker {
		t.Errorf("summary note not edited to the new summary:\n%s", body)
	}
	if sts := fx.srv.Statuses(projectID, head2); len(sts) != 1 || sts[0].State != "failed" {
		t.Errorf("statuses at head2 = %+v", sts)
	}
}

func TestPublishPositionRefusedIsDemoted(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	files(t, fx, ch)
	// allLines lets a comment on line 9 through; GitLab refuses it.
	r := review(allLines{},
		finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh),
		finding("app/main.go", 9, 9, "secrets/b", scanners.SeverityHigh),
	)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, r); err != nil {
		t.Fatal(err)
	}
	calls := fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)
	if len(calls) != 2 || calls[1].Status != http.StatusBadRequest {
		t.Fatalf("discussion calls = %+v", calls)
	}
	if len(r.Inline) != 1 || len(r.Unplaced) != 1 || !strings.Contains(r.Unplaced[0].Reason, "GitLab does not accept") {
		t.Errorf("inline %d unplaced %+v", len(r.Inline), r.Unplaced)
	}
	ds := fx.srv.Discussions(projectID, 7)
	if len(ds) != 2 || !strings.Contains(ds[1].Notes[0].Body, "GitLab does not accept") {
		t.Errorf("summary does not list the demoted finding: %+v", ds)
	}
}

func TestPublishMovedOnUsesLatestVersion(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	lines := files(t, fx, ch)
	// A push lands after the files were read: positions must name the
	// latest version's shas or GitLab refuses them.
	head2 := "5555555555555555555555555555555555555555"
	fx.srv.AddVersion(projectID, 7, gitlabtest.Version{BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: head2, Diffs: []gitlabtest.Diff{{OldPath: "app/main.go", NewPath: "app/main.go", NewFile: true, Diff: diff5}}})
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(lines, finding("app/main.go", 3, 3, "secrets/a", scanners.SeverityHigh))); err != nil {
		t.Fatal(err)
	}
	ds := fx.srv.Discussions(projectID, 7)
	if len(ds) != 2 || ds[0].Notes[0].Position == nil || ds[0].Notes[0].Position.HeadSHA != head2 {
		t.Errorf("discussions = %+v", ds)
	}
}

func TestPublishContextLineNamesBothSides(t *testing.T) {
	fx := newFixture(t, gitlabtest.Diff{OldPath: "old.go", NewPath: "x.go", RenamedFile: true, Diff: "@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n"})
	ctx := context.Background()
	ch := mrChange()
	r := review(files(t, fx, ch), finding("x.go", 3, 3, "secrets/a", scanners.SeverityHigh))
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, r); err != nil {
		t.Fatal(err)
	}
	ds := fx.srv.Discussions(projectID, 7)
	if len(ds) != 2 || ds[0].Notes[0].Position == nil {
		t.Fatalf("discussions = %+v", ds)
	}
	p := ds[0].Notes[0].Position
	if p.OldPath != "old.go" || p.NewPath != "x.go" || p.OldLine != 2 || p.NewLine != 3 {
		t.Errorf("position = %+v", p)
	}
}

func TestPublishDoesNotRetryPOST(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	fx.srv.FailNext(gitlabtest.RouteCreateDiscussion, 1, http.StatusBadGateway)
	err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(files(t, fx, ch), finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)))
	if err == nil {
		t.Fatal("Publish succeeded through a 502")
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)); n != 1 {
		t.Errorf("%d discussion POSTs reached GitLab, want exactly 1", n)
	}
	var pe *platform.PermanentError
	if errors.As(err, &pe) {
		t.Errorf("a 502 is not permanent: %v", err)
	}
}

func TestGETAndPUTRetriedOn5xx(t *testing.T) {
	fx := newFixture(t)
	fx.srv.FailNext(gitlabtest.RouteListDiffs, 2, http.StatusInternalServerError)
	if _, err := fx.client.Files(context.Background(), mrChange()); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteListDiffs)); n != 3 {
		t.Errorf("%d diffs calls, want 3 (two 500s, then success)", n)
	}
}

func TestPublishAfterLostResponsePostsNoDuplicate(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	fs := []scanners.Finding{finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)}
	fx.srv.DropNext(gitlabtest.RouteCreateDiscussion, 1)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(files(t, fx, ch), fs...)); err == nil {
		t.Fatal("Publish succeeded though the response was lost")
	}
	// The job's retry publishes again.
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(files(t, fx, ch), fs...)); err != nil {
		t.Fatal(err)
	}
	var threads int
	for _, d := range fx.srv.Discussions(projectID, 7) {
		if !d.IndividualNote {
			threads++
		}
	}
	if threads != 1 || len(fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)) != 1 {
		t.Errorf("%d threads after %d creates, want 1 and 1", threads, len(fx.srv.CallsTo(gitlabtest.RouteCreateDiscussion)))
	}
}

func TestRateLimit(t *testing.T) {
	fx := newFixture(t)
	fx.srv.RateLimitNext(gitlabtest.RouteListVersions, 30*time.Second)
	_, err := fx.client.Files(context.Background(), mrChange())
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) || rl.After != 30*time.Second {
		t.Fatalf("Files = %v, want RateLimitError after 30s", err)
	}
	// Inside the window nothing is sent.
	before := len(fx.srv.Calls())
	_, err = fx.client.Files(context.Background(), mrChange())
	if !errors.As(err, &rl) || len(fx.srv.Calls()) != before {
		t.Errorf("second call: %v, %d new requests", err, len(fx.srv.Calls())-before)
	}
}

func TestStatusTransitions(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := mrChange()
	for i := range 2 {
		// A rerun sets running on a running status: GitLab answers 400,
		// which is not an error.
		if _, err := fx.client.BeginCheck(ctx, ch); err != nil {
			t.Fatalf("BeginCheck %d: %v", i, err)
		}
	}
	calls := fx.srv.CallsTo(gitlabtest.RouteSetStatus)
	if len(calls) != 2 || calls[1].Status != http.StatusBadRequest {
		t.Fatalf("status calls = %+v", calls)
	}
	if sts := fx.srv.Statuses(projectID, headSHA); len(sts) != 1 || sts[0].State != "running" {
		t.Errorf("statuses = %+v", sts)
	}
	if err := fx.client.Supersede(ctx, ch, platform.CheckID{}, "6666666666666666666666666666666666666666"); err != nil {
		t.Fatal(err)
	}
	sts := fx.srv.Statuses(projectID, headSHA)
	if len(sts) != 1 || sts[0].State != "canceled" || !strings.Contains(sts[0].Description, "6666666") {
		t.Errorf("statuses = %+v", sts)
	}
}

func TestPublishNeutralIsNeverSuccess(t *testing.T) {
	fx := newFixture(t)
	ch := mrChange()
	r := comments.Build(&scanners.Result{Statuses: []scanners.Status{{Scanner: "secrets", Errors: []error{errors.New("boom")}}}}, files(t, fx, ch), comments.Options{Flavor: comments.GitLab, HeadSHA: headSHA})
	if r.Conclusion != comments.Neutral {
		t.Fatalf("conclusion %q, want neutral", r.Conclusion)
	}
	if err := fx.client.Publish(context.Background(), ch, platform.CheckID{}, r); err != nil {
		t.Fatal(err)
	}
	sts := fx.srv.Statuses(projectID, headSHA)
	if len(sts) != 1 || sts[0].State != "failed" || !strings.Contains(sts[0].Description, "incomplete") {
		t.Errorf("statuses = %+v", sts)
	}
}

func TestPushPublishesStatusOnly(t *testing.T) {
	fx := newFixture(t)
	ch := platform.Change{Platform: platform.GitLab, Repo: repo, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "main"}
	r := comments.Build(&scanners.Result{}, nil, comments.Options{Flavor: comments.GitLab, HeadSHA: headSHA})
	if err := fx.client.Publish(context.Background(), ch, platform.CheckID{}, r); err != nil {
		t.Fatal(err)
	}
	for _, c := range fx.srv.Calls() {
		if c.Route != gitlabtest.RouteSetStatus {
			t.Errorf("push publish called %s", c.Route)
		}
	}
	if sts := fx.srv.Statuses(projectID, headSHA); len(sts) != 1 || sts[0].State != "success" || sts[0].Ref != "main" {
		t.Errorf("statuses = %+v", sts)
	}
}

func TestPermanentErrors(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	missing := mrChange()
	missing.Repo.ID = 999
	_, err := fx.client.Files(ctx, missing)
	var pe *platform.PermanentError
	if !errors.As(err, &pe) {
		t.Errorf("missing project: %v, want PermanentError", err)
	}
	f, err := gitlab.NewFactory(gitlab.Config{BaseURL: fx.srv.URL + "/api/v4/", Token: "wrong", RetryBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.Client(ctx, 0)
	_, err = c.Files(ctx, mrChange())
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), gitlab.TokenEnv) {
		t.Errorf("bad token: %v, want PermanentError naming %s", err, gitlab.TokenEnv)
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error quotes the token")
	}
	// The /api/v4 suffix was not doubled: the request reached a route.
	for _, call := range fx.srv.Calls() {
		if strings.Contains(call.Path, "/api/v4/api/v4") {
			t.Errorf("doubled API prefix: %s", call.Path)
		}
	}
}

func TestNewFactoryRejectsBadConfig(t *testing.T) {
	for _, cfg := range []gitlab.Config{
		{Token: ""},
		{Token: "x", BaseURL: "ftp://gitlab.example.com"},
		{Token: "x", BaseURL: "https://user:pw@gitlab.example.com"},
	} {
		if _, err := gitlab.NewFactory(cfg); err == nil {
			t.Errorf("NewFactory(%+v) accepted", cfg)
		}
	}
}
