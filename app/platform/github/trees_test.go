package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/scanners/diff"
)

const mergeSHA = "3333333333333333333333333333333333333333"

// listing lists ch's files and gaps, failing the test on an error.
func listing(t *testing.T, fx *fixture, ch platform.Change) platform.Listing {
	t.Helper()
	ls, err := fx.client.Files(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// fileView is what the tests compare of a diff.File.
type fileView struct {
	Old, New            string
	IsNew, Rename, Copy bool
	Added               []int
}

func viewOf(f *diff.File) fileView {
	return fileView{f.OldPath, f.NewPath, f.IsNew, f.IsRename, f.IsCopy, addedNumbers(f)}
}

// treeShas lists the tree_sha of each trees API call, and checks each was
// recursive.
func treeShas(t *testing.T, srv *githubtest.Server) []string {
	t.Helper()
	var out []string
	for _, c := range srv.CallsTo(githubtest.RouteGetTree) {
		if c.Query != "recursive=1" {
			t.Errorf("tree call %s?%s is not recursive", c.Path, c.Query)
		}
		out = append(out, c.Path[strings.LastIndex(c.Path, "/")+1:])
	}
	return out
}

// contentReads lists the path?ref of each contents API call.
func contentReads(srv *githubtest.Server) []string {
	var out []string
	for _, c := range srv.CallsTo(githubtest.RouteGetContent) {
		out = append(out, strings.TrimPrefix(c.Path, "/repos/acme/widgets/contents/")+"?"+c.Query)
	}
	return out
}

// A pull request of 3,050 files: GitHub lists 3,000, the other 50 come
// from the trees of the merge base and the head. One compare call (for the
// merge base) and one tree call per side; a content read per added extra
// file and two per modified one; none for listed files with patches, exact
// renames, unchanged, removed, symbolic-link or submodule paths.
func TestFilesPastPullRequestCap(t *testing.T) {
	o, n := repo.Owner, repo.Name
	var listed []githubtest.File
	for i := range 3000 {
		listed = append(listed, githubtest.File{Filename: fmt.Sprintf("f%04d", i), Status: "added", Patch: "@@ -0,0 +1 @@\n+x"})
	}
	// A listed rename whose old path is gone from head: not a source of an
	// exact rename for an extra file with the same content.
	listed[0] = githubtest.File{Filename: "f0000", PreviousFilename: "prev/f0000", Status: "renamed"}
	fx := newFixture(t, listed...)
	fx.srv.SetCompare(o, n, baseSHA, headSHA, nil)
	fx.srv.SetMergeBase(o, n, baseSHA, headSHA, mergeSHA)
	for _, f := range listed {
		fx.srv.SetContent(o, n, headSHA, f.Filename, []byte("x\n"))
	}
	fx.srv.SetContent(o, n, mergeSHA, "prev/f0000", []byte("x\n"))
	// The base branch's tip has moved on since the fork: were it diffed,
	// this file (absent from head) and every head file would count.
	fx.srv.SetContent(o, n, baseSHA, "main-only.txt", []byte("later\n"))

	want := map[string]fileView{}
	for i := range 40 {
		p := fmt.Sprintf("zz/add%02d.go", i)
		fx.srv.SetContent(o, n, headSHA, p, []byte(fmt.Sprintf("package z\nvar A%d = 1\n", i)))
		want[p] = fileView{New: p, IsNew: true, Added: []int{1, 2}}
	}
	for i := range 8 {
		p := fmt.Sprintf("zz/mod%d.txt", i)
		fx.srv.SetContent(o, n, mergeSHA, p, []byte("keep\n"))
		fx.srv.SetContent(o, n, headSHA, p, []byte(fmt.Sprintf("keep\nnew%d\n", i)))
		want[p] = fileView{Old: p, New: p, Added: []int{2}}
	}
	fx.srv.SetContent(o, n, mergeSHA, "old/moved.txt", []byte("same\n"))
	fx.srv.SetContent(o, n, headSHA, "new/moved.txt", []byte("same\n"))
	want["new/moved.txt"] = fileView{Old: "old/moved.txt", New: "new/moved.txt", Rename: true}
	fx.srv.SetContent(o, n, headSHA, "zz/copy.txt", []byte("x\n"))
	want["zz/copy.txt"] = fileView{New: "zz/copy.txt", IsNew: true, Added: []int{1}}
	// Not changes: unchanged, removed, a symbolic link, a submodule.
	fx.srv.SetContent(o, n, mergeSHA, "same.txt", []byte("s\n"))
	fx.srv.SetContent(o, n, headSHA, "same.txt", []byte("s\n"))
	fx.srv.SetContent(o, n, mergeSHA, "gone.txt", []byte("g\n"))
	fx.srv.SetTree(o, n, headSHA, []githubtest.TreeEntry{
		{Path: "zz/link", Mode: "120000", SHA: strings.Repeat("a", 40)},
		{Path: "vendor/sub", Mode: "160000", Type: "commit", SHA: strings.Repeat("b", 40)},
	})

	ls := listing(t, fx, prChangeN(7))
	if len(ls.Files) != 3050 {
		t.Fatalf("%d files, want 3050", len(ls.Files))
	}
	if ls.Gaps != nil {
		t.Errorf("gaps = %q, want none", ls.Gaps)
	}
	if ls.Files[0].Path() != "f0000" || ls.Files[2999].Path() != "f2999" {
		t.Errorf("listed files first, in GitHub's order: got %s ... %s", ls.Files[0].Path(), ls.Files[2999].Path())
	}
	extra := map[string]fileView{}
	for _, f := range ls.Files[3000:] {
		extra[f.Path()] = viewOf(f)
	}
	if d := cmp.Diff(want, extra); d != "" {
		t.Errorf("extra files (-want +got):\n%s", d)
	}
	paths := make([]string, 0, 50)
	for _, f := range ls.Files[3000:] {
		paths = append(paths, f.Path())
	}
	if !slices.IsSorted(paths) {
		t.Errorf("extra files not in path order: %q", paths)
	}

	if d := cmp.Diff([]string{mergeSHA, headSHA}, treeShas(t, fx.srv)); d != "" {
		t.Errorf("tree calls (-want +got):\n%s", d)
	}
	if c := fx.srv.CallsTo(githubtest.RouteCompare); len(c) != 1 || c[0].Path != "/repos/acme/widgets/compare/"+baseSHA+"..."+headSHA {
		t.Errorf("compare calls = %+v, want one for the merge base", c)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteListFiles)); n != 30 {
		t.Errorf("%d list-files calls, want 30", n)
	}
	reads := contentReads(fx.srv)
	if len(reads) != 57 { // 41 added + 8 modified × 2
		t.Errorf("%d content reads, want 57: %q", len(reads), reads)
	}
	for _, r := range reads {
		if !strings.HasSuffix(r, headSHA) && !strings.HasSuffix(r, mergeSHA) {
			t.Errorf("content read %s, want at head or merge base", r)
		}
	}
	if total := len(fx.srv.Calls()); total != 1+30+1+2+57 {
		t.Errorf("%d API calls, want %d (token, 30 pages, compare, 2 trees, 57 reads)", total, 1+30+1+2+57)
	}
}

// A push whose comparison lists 300 files (the compare API's cap) gets the
// rest from the trees of the comparison's merge base and head, with no
// second compare call; one of 299 files is whole and reads no tree.
func TestFilesPastCompareCap(t *testing.T) {
	o, n := repo.Owner, repo.Name
	const before = "4444444444444444444444444444444444444444"
	push := platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, BaseSHA: before, HeadSHA: headSHA, Ref: "main"}
	for _, tt := range []struct {
		name        string
		listed      int
		wantFiles   int
		wantTrees   []string
		wantReads   int
		wantChanged []string
	}{
		{name: "cut", listed: 300, wantFiles: 320, wantTrees: []string{mergeSHA, headSHA}, wantReads: 20},
		{name: "whole", listed: 299, wantFiles: 299},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			var cmpFiles []githubtest.File
			for i := range tt.listed {
				p := fmt.Sprintf("c%03d.yml", i)
				cmpFiles = append(cmpFiles, githubtest.File{Filename: p, Status: "modified", Patch: "@@ -1 +1,2 @@\n a: 1\n+b: 2"})
				fx.srv.SetContent(o, n, mergeSHA, p, []byte("a: 1\n"))
				fx.srv.SetContent(o, n, headSHA, p, []byte("a: 1\nb: 2\n"))
			}
			fx.srv.SetCompare(o, n, before, headSHA, cmpFiles)
			fx.srv.SetMergeBase(o, n, before, headSHA, mergeSHA)
			for i := range 20 {
				fx.srv.SetContent(o, n, headSHA, fmt.Sprintf("more/m%02d.env", i), []byte("TOKEN=x\n"))
			}
			ls := listing(t, fx, push)
			if len(ls.Files) != tt.wantFiles || ls.Gaps != nil {
				t.Fatalf("%d files, gaps %q; want %d, none", len(ls.Files), ls.Gaps, tt.wantFiles)
			}
			for _, f := range ls.Files[tt.listed:] {
				if !f.IsNew || !strings.HasPrefix(f.Path(), "more/") || cmp.Diff([]int{1}, addedNumbers(f)) != "" {
					t.Errorf("extra file %+v", viewOf(f))
				}
			}
			if d := cmp.Diff(tt.wantTrees, treeShas(t, fx.srv)); d != "" {
				t.Errorf("tree calls (-want +got):\n%s", d)
			}
			if c := len(fx.srv.CallsTo(githubtest.RouteCompare)); c != 1 {
				t.Errorf("%d compare calls, want 1", c)
			}
			if r := len(contentReads(fx.srv)); r != tt.wantReads {
				t.Errorf("%d content reads, want %d", r, tt.wantReads)
			}
		})
	}
}

// cutPush seeds a push whose comparison is cut at 300 files, with extra
// files more/e%04d (added, one line each) in head's tree.
func cutPush(t *testing.T, extra int) (*fixture, platform.Change) {
	t.Helper()
	o, n := repo.Owner, repo.Name
	fx := newFixture(t)
	var cmpFiles []githubtest.File
	for i := range 300 {
		p := fmt.Sprintf("c%03d", i)
		cmpFiles = append(cmpFiles, githubtest.File{Filename: p, Status: "added", Patch: "@@ -0,0 +1 @@\n+c"})
		fx.srv.SetContent(o, n, headSHA, p, []byte("c\n"))
	}
	fx.srv.SetContent(o, n, baseSHA, "README", []byte("r\n"))
	fx.srv.SetContent(o, n, headSHA, "README", []byte("r\n"))
	for i := range extra {
		fx.srv.SetContent(o, n, headSHA, fmt.Sprintf("more/e%04d", i), []byte(fmt.Sprintf("line %d\n", i)))
	}
	fx.srv.SetCompare(o, n, baseSHA, headSHA, cmpFiles)
	return fx, platform.Change{Platform: platform.GitHub, Installation: installation, Repo: repo, BaseSHA: baseSHA, HeadSHA: headSHA, Ref: "main"}
}

// Past 1,000 extra files to read, the first 1,000 by path are scanned and
// the review is told how many were not.
func TestFilesPastCapBounded(t *testing.T) {
	fx, push := cutPush(t, 1005)
	ls := listing(t, fx, push)
	if len(ls.Files) != 1300 {
		t.Fatalf("%d files, want 300 listed + 1000", len(ls.Files))
	}
	if last := ls.Files[len(ls.Files)-1].Path(); last != "more/e0999" {
		t.Errorf("last file scanned %s, want more/e0999 (the first 1000 by path)", last)
	}
	if r := len(contentReads(fx.srv)); r != 1000 {
		t.Errorf("%d content reads, want 1000", r)
	}
	if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "1005 more changed files, of which 5 were not scanned") ||
		!strings.Contains(ls.Gaps[0], "at most 300 files of a comparison") {
		t.Errorf("gaps = %q", ls.Gaps)
	}
}

// A truncated tree is scanned as far as it goes and the review says so.
// Past a truncated base, a path cannot be known to be new: it is read at
// base too, and only a missing base version makes every line new.
func TestFilesTruncatedTree(t *testing.T) {
	t.Run("head", func(t *testing.T) {
		fx, push := cutPush(t, 10)
		// head: README, c000..c299, more, more/e0000..e0009 (sorted); the
		// cut keeps more/e0000..e0003.
		fx.srv.SetTreeLimit(306)
		ls := listing(t, fx, push)
		if len(ls.Files) != 304 || ls.Files[303].Path() != "more/e0003" {
			t.Errorf("%d files, want 300 listed + 4 in the truncated tree", len(ls.Files))
		}
		if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "truncated the git tree of "+headSHA[:7]) {
			t.Errorf("gaps = %q", ls.Gaps)
		}
	})
	t.Run("base", func(t *testing.T) {
		fx, push := cutPush(t, 10)
		// base: README, gone, gone/g0000..g0399, more, more/e0003: the cut
		// at 350 drops more/e0003, which head has unchanged but one line.
		for i := range 400 {
			fx.srv.SetContent(repo.Owner, repo.Name, baseSHA, fmt.Sprintf("gone/g%04d", i), []byte("g\n"))
		}
		fx.srv.SetContent(repo.Owner, repo.Name, baseSHA, "more/e0003", []byte("old\nline 3\n"))
		fx.srv.SetTreeLimit(350)
		ls := listing(t, fx, push)
		if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "truncated the git tree of "+baseSHA[:7]) {
			t.Errorf("gaps = %q", ls.Gaps)
		}
		if len(ls.Files) != 310 {
			t.Fatalf("%d files, want 310", len(ls.Files))
		}
		for _, f := range ls.Files[300:] {
			want := fileView{Old: f.NewPath, New: f.NewPath, Added: []int{1}}
			if f.NewPath == "more/e0003" {
				want.Added = nil // its one line was in base already
			}
			if d := cmp.Diff(want, viewOf(f)); d != "" {
				t.Errorf("%s (-want +got):\n%s", f.NewPath, d)
			}
		}
		if r := len(contentReads(fx.srv)); r != 20 {
			t.Errorf("%d content reads, want 20 (head and base of each)", r)
		}
	})
}

// A tree GitHub cannot find leaves the listed files, said to be partial; a
// server failure past the transport's retries fails the listing (the job
// retries) rather than pass off a partial review; a rate limit is the
// queue's to wait out.
func TestFilesTreeErrors(t *testing.T) {
	t.Run("not found", func(t *testing.T) {
		fx, push := cutPush(t, 3)
		// A base the fake has no tree for (nothing seeded at it).
		const unknown = "5555555555555555555555555555555555555555"
		fx.srv.SetMergeBase(repo.Owner, repo.Name, baseSHA, headSHA, unknown)
		ls := listing(t, fx, push)
		if len(ls.Files) != 300 {
			t.Errorf("%d files, want the 300 listed", len(ls.Files))
		}
		if len(ls.Gaps) != 1 || !strings.Contains(ls.Gaps[0], "tree of "+unknown[:7]+" could not be read") {
			t.Errorf("gaps = %q", ls.Gaps)
		}
		if d := cmp.Diff([]string{unknown}, treeShas(t, fx.srv)); d != "" {
			t.Errorf("tree calls (-want +got):\n%s", d)
		}
	})
	t.Run("server error", func(t *testing.T) {
		fx, push := cutPush(t, 3)
		fx.srv.FailNext(githubtest.RouteGetTree, 3, http.StatusBadGateway)
		_, err := fx.client.Files(context.Background(), push)
		if err == nil {
			t.Fatal("listing succeeded past a failing trees API")
		}
		if n := len(fx.srv.CallsTo(githubtest.RouteGetTree)); n != 3 {
			t.Errorf("%d tree calls, want 3 (GET retried)", n)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		fx, push := cutPush(t, 3)
		fx.srv.RateLimitNext(githubtest.RouteGetTree, http.StatusTooManyRequests, 0)
		_, err := fx.client.Files(context.Background(), push)
		var rl *platform.RateLimitError
		if !errors.As(err, &rl) {
			t.Fatalf("err = %v, want a RateLimitError", err)
		}
	})
}

// A patchless file that cannot be read is listed without hunks, and the
// review is told; a listing that is whole and readable has no gaps.
func TestFilesUnreadableAreGaps(t *testing.T) {
	fx := newFixture(t,
		githubtest.File{Filename: "huge.txt", Status: "added", Additions: 1, Changes: 1},
		githubtest.File{Filename: "vanished.txt", Status: "modified", Additions: 1, Changes: 1},
		githubtest.File{Filename: "ok.go", Status: "added", Patch: patch5},
	)
	fx.srv.SetContent(repo.Owner, repo.Name, headSHA, "huge.txt", make([]byte, 10<<20+1))
	ls := listing(t, fx, prChangeN(7))
	if len(ls.Files) != 3 || len(ls.Files[0].Hunks) != 0 || len(ls.Files[1].Hunks) != 0 || len(ls.Files[2].Added()) != 5 {
		t.Errorf("files %+v %+v %+v", viewOf(ls.Files[0]), viewOf(ls.Files[1]), viewOf(ls.Files[2]))
	}
	want := []string{
		"huge.txt: GitHub sent no diff and the file could not be read (over 10 MB).",
		"vanished.txt: GitHub sent no diff and the file could not be read (not found).",
	}
	if d := cmp.Diff(want, ls.Gaps); d != "" {
		t.Errorf("gaps (-want +got):\n%s", d)
	}
	if n := len(fx.srv.CallsTo(githubtest.RouteGetTree)); n != 0 {
		t.Errorf("%d tree calls for a listing under the cap", n)
	}

	whole := newFixture(t)
	if gaps := listing(t, whole, prChangeN(7)).Gaps; gaps != nil {
		t.Errorf("gaps of a whole listing = %q", gaps)
	}
}
