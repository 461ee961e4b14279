package github_test

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
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

const (
	appID        = 4242
	installation = 77
	baseSHA      = "1111111111111111111111111111111111111111"
	headSHA      = "2222222222222222222222222222222222222222"
)

var repo = platform.Repo{ID: 1, Owner: "acme", Name: "widgets", DefaultBranch: "main"}

func prChangeN(n int) platform.Change {
	return platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, Number: n, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "feature"}
}

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
	srv     *githubtest.Server
	factory *github.Factory
	client  platform.Client
	obs     *observed
	clock   *clock
}

type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// patch5 adds lines 1..5 of a new file.
const patch5 = "@@ -0,0 +1,5 @@\n+one\n+two\n+three\n+four\n+five"

func newFixture(t *testing.T, files ...githubtest.File) *fixture {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	srv := githubtest.New(t, appID, key)
	srv.AddRepo(githubtest.Repo{ID: repo.ID, Owner: repo.Owner, Name: repo.Name, DefaultBranch: repo.DefaultBranch, Installation: installation})
	if files == nil {
		files = []githubtest.File{{Filename: "app/main.go", Status: "added", Patch: patch5}}
	}
	srv.AddPull(repo.Owner, repo.Name, githubtest.PullRequest{Number: 7, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "main", HeadRef: "feature", Files: files})
	obs := &observed{}
	clk := &clock{}
	f, err := github.NewFactory(github.Config{
		AppID: appID, PrivateKeyPEM: key, BaseURL: srv.URL,
		Observe: obs.observe, RetryBackoff: time.Millisecond, Timeout: 10 * time.Second, Now: clk.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Client(context.Background(), installation)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, factory: f, client: c, obs: obs, clock: clk}
}

func TestFilesPaginates(t *testing.T) {
	var files []githubtest.File
	for i := range 250 {
		files = append(files, githubtest.File{Filename: fmt.Sprintf("f%03d.go", i), Status: "added", Patch: "@@ -0,0 +1,2 @@\n+package x\n+var v" + strconv.Itoa(i) + " = 1"})
	}
	fx := newFixture(t, files...)
	got := listing(t, fx, prChangeN(7)).Files
	if len(got) != 250 {
		t.Fatalf("got %d files, want 250", len(got))
	}
	for i, f := range got {
		want := fmt.Sprintf("f%03d.go", i)
		if f.Path() != want || !f.IsNew || len(f.Added()) != 2 || f.Added()[1].Text != "var v"+strconv.Itoa(i)+" = 1" {
			t.Fatalf("file %d = %s new=%v added=%v", i, f.Path(), f.IsNew, f.Added())
		}
	}
	calls := fx.srv.CallsTo(githubtest.RouteListFiles)
	if len(calls) != 3 {
		t.Fatalf("%d list-files calls, want 3 pages of 100", len(calls))
	}
	for i, c := range calls {
		if !strings.Contains(c.Query, "per_page=100") || !strings.Contains(c.Query, "page="+strconv.Itoa(i+1)) {
			t.Errorf("call %d query %q", i, c.Query)
		}
	}
	// Metrics name routes by template, never by raw path.
	wantObs := []string{
		"POST /app/installations/{installation_id}/access_tokens 201",
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/files 200",
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/files 200",
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/files 200",
	}
	if d := cmp.Diff(wantObs, fx.obs.get()); d != "" {
		t.Errorf("observed calls (-want +got):\n%s", d)
	}
}

func TestFilesStopsAtGitHubsCap(t *testing.T) {
	var files []githubtest.File
	for i := range 3005 {
		files = append(files, githubtest.File{Filename: fmt.Sprintf("f%04d", i), Status: "added", Patch: "@@ -0,0 +1 @@\n+x"})
	}
	fx := newFixture(t, files...)
	ls := listing(t, fx, prChangeN(7))
	if len(ls.Files) != 3000 || len(fx.srv.CallsTo(githubtest.RouteListFiles)) != 30 {
		t.Errorf("%d files in %d calls, want 3000 in 30", len(ls.Files), len(fx.srv.CallsTo(githubtest.RouteListFiles)))
	}
	// The fake knows no tree here (and no comparison: the base tip stands
	// in for the merge base): the five past the cap are not found, and the
	// review is told.
	if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "GitHub lists at most 3000 files of a pull request; the git tree of 1111111 could not be read") {
		t.Errorf("gaps = %q", ls.Gaps)
	}
}

func addedNumbers(f *diff.File) []int {
	var out []int
	for _, l := range f.Added() {
		out = append(out, l.NewNumber)
	}
	return out
}

func TestFilesWithoutPatch(t *testing.T) {
	fx := newFixture(t,
		githubtest.File{Filename: "big/new.txt", Status: "added", Additions: 3, Changes: 3},
		githubtest.File{Filename: "big/changed.txt", Status: "modified", Additions: 2, Deletions: 1, Changes: 3},
		githubtest.File{Filename: "img.png", Status: "added", Additions: 0, Changes: 1},
		githubtest.File{Filename: "gone.txt", Status: "removed", Deletions: 9, Changes: 9},
		githubtest.File{Filename: "moved.txt", PreviousFilename: "old/moved.txt", Status: "renamed"},
		githubtest.File{Filename: "small.go", Status: "modified", Patch: "@@ -1,2 +1,3 @@\n package x\n+var a = 1\n var b = 2"},
	)
	o, n := repo.Owner, repo.Name
	fx.srv.SetContent(o, n, headSHA, "big/new.txt", []byte("a\nb\nc\n"))
	fx.srv.SetContent(o, n, baseSHA, "big/changed.txt", []byte("keep\nold\nkeep2\n"))
	fx.srv.SetContent(o, n, headSHA, "big/changed.txt", []byte("keep\nnew1\nkeep2\nnew2"))
	fx.srv.SetContent(o, n, headSHA, "img.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))

	got := listing(t, fx, prChangeN(7)).Files
	type view struct {
		Path                        string
		New, Delete, Rename, Binary bool
		Added                       []int
	}
	var views []view
	for _, f := range got {
		views = append(views, view{f.Path(), f.IsNew, f.IsDelete, f.IsRename, f.IsBinary, addedNumbers(f)})
	}
	want := []view{
		{Path: "big/new.txt", New: true, Added: []int{1, 2, 3}},
		{Path: "big/changed.txt", Added: []int{2, 4}},
		{Path: "img.png", New: true, Binary: true},
		{Path: "gone.txt", Delete: true},
		{Path: "moved.txt", Rename: true},
		{Path: "small.go", Added: []int{2}},
	}
	if d := cmp.Diff(want, views); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if got[1].OldPath != "big/changed.txt" || got[4].OldPath != "old/moved.txt" {
		t.Errorf("old paths %q %q", got[1].OldPath, got[4].OldPath)
	}
	// Removed and unchanged-renamed files are not fetched; the rest are read raw.
	var fetched []string
	for _, c := range fx.srv.CallsTo(githubtest.RouteGetContent) {
		fetched = append(fetched, strings.TrimPrefix(c.Path, "/repos/acme/widgets/contents/")+"?"+c.Query)
	}
	wantFetched := []string{
		"big/new.txt?ref=" + headSHA,
		"big/changed.txt?ref=" + headSHA,
		"big/changed.txt?ref=" + baseSHA,
		"img.png?ref=" + headSHA,
	}
	if d := cmp.Diff(wantFetched, fetched); d != "" {
		t.Errorf("contents fetched (-want +got):\n%s", d)
	}
}

func TestFilesPushUsesCompare(t *testing.T) {
	fx := newFixture(t)
	fx.srv.SetCompare(repo.Owner, repo.Name, "main", headSHA, []githubtest.File{
		{Filename: "cfg.yml", Status: "modified", Patch: "@@ -3,1 +3,2 @@\n a: 1\n+b: 2"},
	})
	push := platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, BaseSHA: "main", HeadSHA: headSHA, Ref: "main"}
	got := listing(t, fx, push).Files
	if len(got) != 1 || got[0].Path() != "cfg.yml" || cmp.Diff([]int{4}, addedNumbers(got[0])) != "" {
		t.Fatalf("files = %+v", got)
	}
	calls := fx.srv.CallsTo(githubtest.RouteCompare)
	if len(calls) != 1 || calls[0].Path != "/repos/acme/widgets/compare/main..."+headSHA {
		t.Fatalf("compare calls = %+v", calls)
	}
	if len(fx.srv.CallsTo(githubtest.RouteListFiles)) != 0 {
		t.Error("a push must not list pull request files")
	}
}

func TestFileContent(t *testing.T) {
	fx := newFixture(t)
	fx.srv.SetContent(repo.Owner, repo.Name, headSHA, "dir/a b.txt", []byte("hello\x00world"))
	got, err := fx.client.FileContent(context.Background(), prChangeN(7), "dir/a b.txt", headSHA)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello\x00world" {
		t.Errorf("content = %q", got)
	}
	_, err = fx.client.FileContent(context.Background(), prChangeN(7), "missing.txt", headSHA)
	if !errors.Is(err, platform.ErrNotFound) {
		t.Errorf("missing file: err = %v, want ErrNotFound", err)
	}
}

func TestBeginCheck(t *testing.T) {
	t.Run("creates in progress", func(t *testing.T) {
		fx := newFixture(t)
		id, err := fx.client.BeginCheck(context.Background(), prChangeN(7))
		if err != nil {
			t.Fatal(err)
		}
		runs := fx.srv.CheckRuns()
		if len(runs) != 1 || runs[0].ID != id.ID || runs[0].Status != "in_progress" || runs[0].Name != "shiftward" || runs[0].HeadSHA != headSHA {
			t.Fatalf("runs = %+v, id %d", runs, id.ID)
		}
		// A rerun of the same job (a crashed worker) reuses it.
		again, err := fx.client.BeginCheck(context.Background(), prChangeN(7))
		if err != nil {
			t.Fatal(err)
		}
		if again != id || len(fx.srv.CheckRuns()) != 1 || len(fx.srv.CallsTo(githubtest.RouteCreateCheckRun)) != 1 {
			t.Fatalf("second BeginCheck = %v, runs %d", again, len(fx.srv.CheckRuns()))
		}
		if q := fx.srv.CallsTo(githubtest.RouteListCheckRuns)[0].Query; !strings.Contains(q, "check_name=shiftward") || !strings.Contains(q, "app_id=4242") {
			t.Errorf("list query %q", q)
		}
	})
	t.Run("reuses a run left behind, ignores others", func(t *testing.T) {
		fx := newFixture(t)
		left := fx.srv.AddCheckRun(repo.Owner, repo.Name, githubtest.CheckRun{Name: "shiftward", HeadSHA: headSHA, Status: "in_progress", AppID: appID})
		fx.srv.AddCheckRun(repo.Owner, repo.Name, githubtest.CheckRun{Name: "shiftward", HeadSHA: headSHA, Status: "in_progress", AppID: 999})
		fx.srv.AddCheckRun(repo.Owner, repo.Name, githubtest.CheckRun{Name: "lint", HeadSHA: headSHA, Status: "queued", AppID: appID})
		id, err := fx.client.BeginCheck(context.Background(), prChangeN(7))
		if err != nil {
			t.Fatal(err)
		}
		if id.ID != left || len(fx.srv.CallsTo(githubtest.RouteCreateCheckRun)) != 0 {
			t.Fatalf("id = %d, want %d with no create", id.ID, left)
		}
	})
	t.Run("completed run is not reused", func(t *testing.T) {
		fx := newFixture(t)
		done := fx.srv.AddCheckRun(repo.Owner, repo.Name, githubtest.CheckRun{Name: "shiftward", HeadSHA: headSHA, Status: "completed", Conclusion: "success", AppID: appID})
		id, err := fx.client.BeginCheck(context.Background(), prChangeN(7))
		if err != nil {
			t.Fatal(err)
		}
		if id.ID == done || len(fx.srv.CheckRuns()) != 2 {
			t.Fatalf("id = %d, runs %d", id.ID, len(fx.srv.CheckRuns()))
		}
	})
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

// review builds a real review over the fixture's default diff.
func review(lines comments.Lines, fs ...scanners.Finding) *comments.Review {
	return comments.Build(&scanners.Result{Findings: fs}, lines, comments.Options{Flavor: comments.GitHub, HeadSHA: headSHA})
}

func defaultLines(t *testing.T) comments.Lines {
	t.Helper()
	f, err := diff.ParsePatch("", "app/main.go", patch5)
	if err != nil {
		t.Fatal(err)
	}
	return diff.NewIndex([]*diff.File{f})
}

type reviewRequest struct {
	CommitID string `json:"commit_id"`
	Event    string `json:"event"`
	Body     string `json:"body"`
	Comments []struct {
		Path      string `json:"path"`
		Line      int    `json:"line"`
		Side      string `json:"side"`
		StartLine int    `json:"start_line,omitempty"`
		StartSide string `json:"start_side,omitempty"`
		Body      string `json:"body"`
	} `json:"comments"`
}

func TestPublishPostsOneReview(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	check, err := fx.client.BeginCheck(ctx, ch)
	if err != nil {
		t.Fatal(err)
	}
	r := review(defaultLines(t),
		finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh),
		finding("app/main.go", 3, 5, "secrets/b", scanners.SeverityMedium),
	)
	if len(r.Inline) != 2 {
		t.Fatalf("review has %d inline comments, want 2", len(r.Inline))
	}
	if err := fx.client.Publish(ctx, ch, check, r); err != nil {
		t.Fatal(err)
	}
	calls := fx.srv.CallsTo(githubtest.RouteCreateReview)
	if len(calls) != 1 {
		t.Fatalf("%d review calls, want 1", len(calls))
	}
	var got reviewRequest
	if err := json.Unmarshal(calls[0].Body, &got); err != nil {
		t.Fatal(err)
	}
	type cm struct {
		Path            string
		Line, StartLine int
		Side, StartSide string
		HasMarker       bool
	}
	var gotCm []cm
	for _, c := range got.Comments {
		_, _, ok := comments.ParseMarker(c.Body)
		gotCm = append(gotCm, cm{c.Path, c.Line, c.StartLine, c.Side, c.StartSide, ok})
	}
	want := []cm{
		{Path: "app/main.go", Line: 2, Side: "RIGHT", HasMarker: true},
		{Path: "app/main.go", Line: 5, StartLine: 3, Side: "RIGHT", StartSide: "RIGHT", HasMarker: true},
	}
	if d := cmp.Diff(want, gotCm); d != "" {
		t.Errorf("review comments (-want +got):\n%s", d)
	}
	if got.CommitID != headSHA || got.Event != "COMMENT" {
		t.Errorf("commit %q event %q", got.CommitID, got.Event)
	}
	for i, c := range got.Comments {
		if c.Body != r.Inline[i].Body {
			t.Errorf("comment %d body differs from the review's", i)
		}
	}
	runs := fx.srv.CheckRuns()
	if len(runs) != 1 || runs[0].Status != "completed" || runs[0].Conclusion != string(r.Conclusion) ||
		runs[0].Title != r.Title || runs[0].Summary != r.Summary() || len(runs[0].Annotations()) != 2 {
		t.Errorf("check run = %+v", runs)
	}
	if r.Conclusion != comments.Failure {
		t.Errorf("conclusion %q, want failure for a high finding", r.Conclusion)
	}
}

func TestPublishTwiceIsIdempotent(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	fs := []scanners.Finding{finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)}
	// A human's comment and a comment by another bot without a marker are
	// left alone.
	fx.srv.AddComment(repo.Owner, repo.Name, githubtest.Comment{Number: 7, Path: "app/main.go", Line: 1, Body: "nice", UserLogin: "octocat", UserType: "User"})
	for i := range 2 {
		check, err := fx.client.BeginCheck(ctx, ch)
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.client.Publish(ctx, ch, check, review(defaultLines(t), fs...)); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteCreateReview)); n != 1 {
		t.Errorf("%d reviews posted, want 1", n)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteCreateComment)) + len(fx.srv.CallsTo(githubtest.RouteUpdateComment)); n != 0 {
		t.Errorf("%d comment writes on the second run, want 0", n)
	}
	if n := len(fx.srv.Comments(repo.Owner, repo.Name, 7)); n != 2 {
		t.Errorf("%d comments on the PR, want 2 (human + shiftward)", n)
	}
}

func TestPublishResolvesFixed(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	a := finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)
	b := finding("app/main.go", 4, 4, "secrets/b", scanners.SeverityHigh)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(defaultLines(t), a, b)); err != nil {
		t.Fatal(err)
	}
	before := fx.srv.Comments(repo.Owner, repo.Name, 7)
	if len(before) != 2 {
		t.Fatalf("%d comments, want 2", len(before))
	}
	// b is fixed at the next head.
	ch2 := ch
	ch2.HeadSHA = "3333333333333333333333333333333333333333"
	if err := fx.client.Publish(ctx, ch2, platform.CheckID{}, review(defaultLines(t), a)); err != nil {
		t.Fatal(err)
	}
	edits := fx.srv.CallsTo(githubtest.RouteUpdateComment)
	if len(edits) != 1 {
		t.Fatalf("%d comment edits, want 1", len(edits))
	}
	after := fx.srv.Comments(repo.Owner, repo.Name, 7)
	bfp := b.Fingerprint()
	for i, c := range after {
		fp, resolved, _ := comments.ParseMarker(c.Body)
		switch fp {
		case bfp:
			if !resolved || c.Body != comments.ResolvedBody(before[i].Body, ch2.HeadSHA) {
				t.Errorf("fixed comment body = %q", c.Body)
			}
		default:
			if c.Body != before[i].Body {
				t.Errorf("open comment changed: %q", c.Body)
			}
		}
	}
	if len(fx.srv.CallsTo(githubtest.RouteCreateReview)) != 1 {
		t.Error("no new review expected")
	}
}

func TestPublish422FallsBackAndDemotes(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	// The worker's view of the diff says line 9 is commentable, GitHub's
	// does not (the patch ends at line 5).
	good := finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)
	bad := finding("app/main.go", 9, 9, "secrets/b", scanners.SeverityHigh)
	r := review(allLines{}, good, bad)
	if len(r.Inline) != 2 {
		t.Fatalf("inline %d, want 2", len(r.Inline))
	}
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, r); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteCreateReview)); n != 1 {
		t.Errorf("%d review calls, want 1", n)
	}
	single := fx.srv.CallsTo(githubtest.RouteCreateComment)
	if len(single) != 2 || single[0].Status != http.StatusCreated || single[1].Status != http.StatusUnprocessableEntity {
		t.Fatalf("single comment calls = %+v", single)
	}
	posted := fx.srv.Comments(repo.Owner, repo.Name, 7)
	if len(posted) != 1 || posted[0].Line != 2 {
		t.Fatalf("posted = %+v", posted)
	}
	if len(r.Inline) != 1 || len(r.Unplaced) != 1 || r.Unplaced[0].Finding.Fingerprint() != bad.Fingerprint() {
		t.Fatalf("review after demotion: inline %d unplaced %+v", len(r.Inline), r.Unplaced)
	}
	runs := fx.srv.CheckRuns()
	if len(runs) != 1 || runs[0].Summary != r.Summary() || !strings.Contains(runs[0].Summary, "outside the diff") {
		t.Errorf("summary does not carry the demoted finding:\n%s", runs[0].Summary)
	}
}

func TestPublishBatchesAnnotations(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	push := platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "main"}
	var fs []scanners.Finding
	for i := range 120 {
		fs = append(fs, finding(fmt.Sprintf("f%03d.go", i), 1, 1, "secrets/a", scanners.SeverityLow))
	}
	check, err := fx.client.BeginCheck(ctx, push)
	if err != nil {
		t.Fatal(err)
	}
	r := review(nil, fs...)
	if err := fx.client.Publish(ctx, push, check, r); err != nil {
		t.Fatal(err)
	}
	updates := fx.srv.CallsTo(githubtest.RouteUpdateCheckRun)
	if len(updates) != 3 {
		t.Fatalf("%d check-run updates, want 3", len(updates))
	}
	for i, u := range updates {
		var body struct {
			Status     string `json:"status"`
			Conclusion string `json:"conclusion"`
			Output     struct {
				Annotations []json.RawMessage `json:"annotations"`
			} `json:"output"`
		}
		if err := json.Unmarshal(u.Body, &body); err != nil {
			t.Fatal(err)
		}
		wantN := []int{50, 50, 20}[i]
		last := i == 2
		if len(body.Output.Annotations) != wantN || (body.Conclusion != "") != last || (body.Status == "completed") != last {
			t.Errorf("update %d: %d annotations, status %q conclusion %q", i, len(body.Output.Annotations), body.Status, body.Conclusion)
		}
	}
	runs := fx.srv.CheckRuns()
	if len(runs[0].Annotations()) != 120 || runs[0].Conclusion != "success" {
		t.Errorf("run: %d annotations, conclusion %q", len(runs[0].Annotations()), runs[0].Conclusion)
	}
	if len(fx.srv.CallsTo(githubtest.RouteListComments))+len(fx.srv.CallsTo(githubtest.RouteCreateReview)) != 0 {
		t.Error("a push must not touch review comments")
	}
}

// TestPublishRetryDoesNotRepeatAnnotations: the first batch lands but its
// response is lost, so Publish fails; the job's retry must send only the
// 70 annotations the run does not hold yet (GitHub appends every batch).
func TestPublishRetryDoesNotRepeatAnnotations(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	push := platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "main"}
	var fs []scanners.Finding
	for i := range 120 {
		fs = append(fs, finding(fmt.Sprintf("f%03d.go", i), 1, 1, "secrets/a", scanners.SeverityLow))
	}
	check, err := fx.client.BeginCheck(ctx, push)
	if err != nil {
		t.Fatal(err)
	}
	fx.srv.DropNext(githubtest.RouteUpdateCheckRun, 1)
	if err := fx.client.Publish(ctx, push, check, review(nil, fs...)); err == nil {
		t.Fatal("Publish succeeded although the update's response was lost")
	}
	if err := fx.client.Publish(ctx, push, check, review(nil, fs...)); err != nil {
		t.Fatal(err)
	}
	run := fx.srv.CheckRuns()[0]
	if n := len(run.Annotations()); n != 120 || run.Conclusion != "success" {
		t.Errorf("run holds %d annotations, conclusion %q; want 120, success", n, run.Conclusion)
	}
	seen := map[string]bool{}
	for _, a := range run.Annotations() {
		if seen[a.Path] {
			t.Errorf("annotation on %s sent twice", a.Path)
		}
		seen[a.Path] = true
	}
}

func TestPublishDoesNotRetryPOST(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	fs := []scanners.Finding{finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh)}
	fx.srv.FailNext(githubtest.RouteCreateReview, 1, http.StatusBadGateway)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(defaultLines(t), fs...)); err == nil {
		t.Fatal("Publish succeeded through a 502")
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteCreateReview)); n != 1 {
		t.Fatalf("%d review POSTs, want exactly 1 (no blind retry)", n)
	}
	if len(fx.srv.CheckRuns()) != 0 {
		t.Error("check run completed although the review failed")
	}
	// The job's retry posts it.
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(defaultLines(t), fs...)); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.srv.Comments(repo.Owner, repo.Name, 7)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
}

func TestPublishAfterLostResponsePostsNoDuplicate(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	ch := prChangeN(7)
	fs := []scanners.Finding{finding("app/main.go", 2, 2, "secrets/a", scanners.SeverityHigh), finding("app/main.go", 3, 3, "secrets/b", scanners.SeverityHigh)}
	fx.srv.DropNext(githubtest.RouteCreateReview, 1)
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(defaultLines(t), fs...)); err == nil {
		t.Fatal("Publish succeeded although the response was lost")
	}
	if n := len(fx.srv.Comments(repo.Owner, repo.Name, 7)); n != 2 {
		t.Fatalf("%d comments landed, want 2", n)
	}
	if err := fx.client.Publish(ctx, ch, platform.CheckID{}, review(defaultLines(t), fs...)); err != nil {
		t.Fatal(err)
	}
	if n := len(fx.srv.Comments(repo.Owner, repo.Name, 7)); n != 2 {
		t.Errorf("%d comments after retry, want 2 (no duplicates)", n)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteCreateReview)); n != 1 {
		t.Errorf("%d review POSTs, want 1", n)
	}
	if runs := fx.srv.CheckRuns(); len(runs) != 1 || runs[0].Status != "completed" {
		t.Errorf("runs = %+v", runs)
	}
}

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*githubtest.Server)
		want   time.Duration
	}{
		{
			name: "429 with Retry-After",
			inject: func(s *githubtest.Server) {
				s.RateLimitNext(githubtest.RouteListFiles, http.StatusTooManyRequests, 90*time.Second)
			},
			want: 90 * time.Second,
		},
		{
			name: "403 secondary limit with Retry-After",
			inject: func(s *githubtest.Server) {
				s.RateLimitNext(githubtest.RouteListFiles, http.StatusForbidden, 60*time.Second)
			},
			want: 60 * time.Second,
		},
		{
			name: "403 primary limit with x-ratelimit-reset",
			inject: func(s *githubtest.Server) {
				h := http.Header{}
				h.Set("X-RateLimit-Remaining", "0")
				h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(120*time.Second).Unix(), 10))
				s.Inject(githubtest.RouteListFiles, 1, githubtest.Fault{Status: http.StatusForbidden, Header: h,
					Body: `{"message":"API rate limit exceeded for installation ID 77.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`})
			},
			want: 120 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			ctx := context.Background()
			tt.inject(fx.srv)
			_, err := fx.client.Files(ctx, prChangeN(7))
			var rl *platform.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("err = %v, want RateLimitError", err)
			}
			if d := rl.After - tt.want; d < -2*time.Second || d > time.Second {
				t.Errorf("After = %s, want %s", rl.After, tt.want)
			}
			// Inside the window nothing is sent, through any client of the
			// installation.
			c2, _ := fx.factory.Client(ctx, installation)
			_, err = c2.FileContent(ctx, prChangeN(7), "x", headSHA)
			if !errors.As(err, &rl) {
				t.Fatalf("inside window: err = %v, want RateLimitError", err)
			}
			if n := len(fx.srv.Calls()); n != 2 { // token + the limited call
				t.Errorf("%d requests sent, want 2", n)
			}
			fx.clock.advance(tt.want + time.Second)
			if _, err := fx.client.Files(ctx, prChangeN(7)); err != nil {
				t.Errorf("after the window: %v", err)
			}
		})
	}
}

func TestGETRetriedOn5xx(t *testing.T) {
	fx := newFixture(t)
	fx.srv.FailNext(githubtest.RouteListFiles, 2, http.StatusBadGateway)
	if _, err := fx.client.Files(context.Background(), prChangeN(7)); err != nil {
		t.Fatalf("two 502s then success: %v", err)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteListFiles)); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	fx.srv.FailNext(githubtest.RouteListFiles, 3, http.StatusServiceUnavailable)
	if _, err := fx.client.Files(context.Background(), prChangeN(7)); err == nil {
		t.Fatal("three 503s: want an error")
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteListFiles)); n != 6 {
		t.Errorf("%d attempts in all, want 6 (bounded at 3)", n)
	}
}

func TestTokenCached(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	fx.srv.SetContent(repo.Owner, repo.Name, headSHA, "a", []byte("x"))
	for range 5 {
		c, err := fx.factory.Client(ctx, installation)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Files(ctx, prChangeN(7)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.FileContent(ctx, prChangeN(7), "a", headSHA); err != nil {
			t.Fatal(err)
		}
		if _, err := c.BeginCheck(ctx, prChangeN(7)); err != nil {
			t.Fatal(err)
		}
	}
	if n := fx.srv.TokenRequests(); n != 1 {
		t.Errorf("%d token requests for 15 calls, want 1", n)
	}
}

func TestPermanentErrors(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	// An installation GitHub does not know (deleted): token request 404.
	c, err := fx.factory.Client(ctx, 12345)
	if err != nil {
		t.Fatal(err)
	}
	var pe *platform.PermanentError
	if _, err := c.Files(ctx, prChangeN(7)); !errors.As(err, &pe) {
		t.Errorf("unknown installation: err = %v, want PermanentError", err)
	}
	// A repository that is gone.
	gone := prChangeN(7)
	gone.Repo.Name = "deleted"
	if _, err := fx.client.Files(ctx, gone); !errors.As(err, &pe) {
		t.Errorf("missing repo: err = %v, want PermanentError", err)
	}
	// A key GitHub does not know: the fake rejects the JWT.
	other, err := github.NewFactory(github.Config{AppID: appID, PrivateKeyPEM: otherKey(t), BaseURL: fx.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	oc, _ := other.Client(ctx, installation)
	if _, err := oc.Files(ctx, prChangeN(7)); err == nil {
		t.Error("a JWT signed with the wrong key was accepted")
	}
	var statuses []string
	for _, c := range fx.srv.CallsTo(githubtest.RouteAccessTokens) {
		statuses = append(statuses, fmt.Sprintf("%s %d", c.Path, c.Status))
	}
	// A refused token is not retried.
	want := []string{
		"/app/installations/12345/access_tokens 404",
		"/app/installations/77/access_tokens 201",
		"/app/installations/77/access_tokens 401",
	}
	if d := cmp.Diff(want, statuses); d != "" {
		t.Errorf("token requests (-want +got):\n%s", d)
	}
}

func TestSupersede(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	check, err := fx.client.BeginCheck(ctx, prChangeN(7))
	if err != nil {
		t.Fatal(err)
	}
	newer := "4444444444444444444444444444444444444444"
	if err := fx.client.Supersede(ctx, prChangeN(7), check, newer); err != nil {
		t.Fatal(err)
	}
	run := fx.srv.CheckRuns()[0]
	if run.Status != "completed" || run.Conclusion != "neutral" || run.Title != "Superseded" || !strings.Contains(run.Summary, newer) {
		t.Errorf("run = %+v", run)
	}
}

func TestNewFactoryRejectsBadConfig(t *testing.T) {
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]github.Config{
		"no app id": {PrivateKeyPEM: key},
		"bad key":   {AppID: 1, PrivateKeyPEM: []byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")},
		"bad base":  {AppID: 1, PrivateKeyPEM: key, BaseURL: "ftp://x"},
		"no key":    {AppID: 1},
	} {
		if _, err := github.NewFactory(cfg); err == nil {
			t.Errorf("%s: NewFactory accepted it", name)
		} else if strings.Contains(err.Error(), "AAAA") {
			t.Errorf("%s: error quotes the key: %v", name, err)
		}
	}
}

func otherKey(t *testing.T) []byte {
	t.Helper()
	k, err := githubtest.NewKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
