package worker_test

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// refClient is a fakeClient that records at which ref each file was read;
// listingClient adds a tree listing of its .shiftward.yml files (cut when
// truncated).
type refClient struct {
	*fakeClient
	mu        sync.Mutex
	reads     []string // "ref:path"
	truncated bool
	lists     int
}

func (r *refClient) FileContent(ctx context.Context, c platform.Change, path, sha string) ([]byte, error) {
	r.mu.Lock()
	r.reads = append(r.reads, sha+":"+path)
	r.mu.Unlock()
	if c, ok := r.contents[sha+":"+path]; ok {
		return []byte(c), nil
	}
	return nil, platform.ErrNotFound
}

// listingClient adds the tree listing capability to refClient.
type listingClient struct{ *refClient }

func (r listingClient) FilesNamed(_ context.Context, _ platform.Change, ref string, names ...string) ([]string, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lists++
	var out []string
	for k := range r.contents {
		if p, ok := strings.CutPrefix(k, ref+":"); ok && slices.Contains(names, path.Base(p)) {
			out = append(out, p)
		}
	}
	if r.truncated && len(out) > 0 {
		out = out[:0] // the cut fell before them
	}
	return out, !r.truncated, nil
}

type clientFactory struct{ c platform.Client }

func (f clientFactory) Client(context.Context, int64) (platform.Client, error) { return f.c, nil }

// spread is a change that adds a harmless line in each of n directories
// and the "danger" line (high, not failing at critical) in deep/er/x.go.
func spread(t *testing.T, n int) []*diff.File {
	t.Helper()
	var files []*diff.File
	for i := range n {
		p := fmt.Sprintf("d%03d/f.go", i)
		f, err := diff.ParsePatch(p, p, "@@ -1 +1,2 @@\n keep\n+fine\n")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	f, err := diff.ParsePatch("zz/deep/er/x.go", "zz/deep/er/x.go", "@@ -1 +1,2 @@\n keep\n+danger added\n")
	if err != nil {
		t.Fatal(err)
	}
	return append(files, f)
}

// TestSubdirectoryConfigPastManyDirectories: a change touching more than
// 40 directories must still apply the stricter .shiftward.yml of a deep
// directory (it used to read only the first 32 directories by path and
// drop the rest silently), whether the host lists the tree or each
// directory is asked.
func TestSubdirectoryConfigPastManyDirectories(t *testing.T) {
	base := strings.Repeat("a", 40)
	strict := "version: 1\nrules:\n  code/danger: critical\n"
	for _, mode := range []string{"probe", "listing", "truncated listing"} {
		t.Run(mode, func(t *testing.T) {
			fc := &fakeClient{files: spread(t, 45), contents: map[string]string{base + ":zz/deep/er/.shiftward.yml": strict}}
			rc := &refClient{fakeClient: fc, truncated: mode == "truncated listing"}
			var client platform.Client = rc
			if mode != "probe" {
				client = listingClient{rc}
			}
			w := newWorker(fc, true, true)
			w.FailOn = scanners.SeverityCritical
			w.Platforms[platform.GitHub] = clientFactory{client}
			if err := w.Handle(context.Background(), job()); err != nil {
				t.Fatal(err)
			}
			r := fc.review
			if r == nil || r.Conclusion != comments.Failure || len(r.Findings) != 1 || r.Findings[0].Severity != scanners.SeverityCritical {
				t.Fatalf("review %+v: want the deep directory's rule to grade the finding critical and fail", r)
			}
			if len(r.Incomplete) != 0 {
				t.Errorf("incomplete %q, want none: every applicable file was read", r.Incomplete)
			}
			configReads := 0
			for _, rd := range rc.reads {
				if strings.HasSuffix(rd, "/.shiftward.yml") {
					configReads++
				}
			}
			switch mode {
			case "listing":
				// One listing; only the directory that has a file is read.
				if rc.lists != 1 || configReads != 1 {
					t.Errorf("%d listings, %d subdirectory reads; want 1 and 1", rc.lists, configReads)
				}
			default:
				if configReads != 45+3 {
					t.Errorf("%d subdirectory reads, want every changed directory (48)", configReads)
				}
			}
		})
	}
}

// TestSubdirectoryConfigBoundIsIncomplete: past the bound on the files one
// review reads, the review says so and cannot pass.
func TestSubdirectoryConfigBoundIsIncomplete(t *testing.T) {
	fc := &fakeClient{files: spread(t, 300)}
	w := newWorker(fc, true, true)
	w.FailOn = scanners.SeverityCritical
	w.Platforms[platform.GitHub] = clientFactory{&refClient{fakeClient: fc}}
	if err := w.Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	r := fc.review
	if r == nil || r.Conclusion == comments.Success || len(r.Incomplete) != 1 ||
		!strings.Contains(r.Incomplete[0], "303 directories") || !strings.Contains(r.Incomplete[0], "at most 256") {
		t.Errorf("review %+v: want it incomplete, naming the directories left out", r)
	}
}

// TestListingCachedPerBase: jobs at one base commit list its tree once.
func TestListingCachedPerBase(t *testing.T) {
	base := strings.Repeat("a", 40)
	fc := &fakeClient{files: spread(t, 3), contents: map[string]string{base + ":d001/.shiftward.yml": "version: 1\n"}}
	rc := &refClient{fakeClient: fc}
	w := newWorker(fc, true, true, true, true)
	w.Platforms[platform.GitHub] = clientFactory{listingClient{rc}}
	for range 2 {
		if err := w.Handle(context.Background(), job()); err != nil {
			t.Fatal(err)
		}
	}
	if rc.lists != 1 {
		t.Errorf("%d listings for two jobs at one base, want 1", rc.lists)
	}
	if n := slices.Index(rc.reads, base+":d001/.shiftward.yml"); n < 0 {
		t.Errorf("the listed file was not read: %q", rc.reads)
	}
}

// TestPushReadsConfigFromDefaultBranch: a push's "before" is the pushed
// branch's own history, written by whoever pushed. Its .shiftward.yml must
// not turn the review off: a push to another branch reads the default
// branch's head, a push to the default branch reads it as it was before
// the push, and without a known default branch nothing is read and the
// review is incomplete.
func TestPushReadsConfigFromDefaultBranch(t *testing.T) {
	before := strings.Repeat("c", 40)
	off := "version: 1\nrules:\n  code/danger: off\n"
	tests := []struct {
		name, ref, defaultBranch string
		contents                 map[string]string
		wantRead                 string
		conclusion               comments.Conclusion
	}{
		{"feature branch: before is not trusted", "feature", "main",
			map[string]string{before + ":.shiftward.yml": off}, "main:.shiftward.yml", comments.Failure},
		{"feature branch: the default branch's rules apply", "feature", "main",
			map[string]string{"main:.shiftward.yml": off}, "main:.shiftward.yml", comments.Success},
		{"default branch: as it was before the push", "main", "main",
			map[string]string{before + ":.shiftward.yml": off, "main:.shiftward.yml": "version: 1\n"}, before + ":.shiftward.yml", comments.Success},
		{"no default branch: nothing read, incomplete", "feature", "",
			map[string]string{before + ":.shiftward.yml": off}, "", comments.Failure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := &fakeClient{files: []*diff.File{changedFile(t)}, contents: tt.contents}
			rc := &refClient{fakeClient: fc}
			w := newWorker(fc, true, true)
			w.Platforms[platform.GitHub] = clientFactory{rc}
			j := job()
			j.Kind, j.Change.Number, j.Change.Ref, j.Change.BaseSHA = platform.KindPush, 0, tt.ref, before
			j.Change.Repo.DefaultBranch = tt.defaultBranch
			if err := w.Handle(context.Background(), j); err != nil {
				t.Fatal(err)
			}
			var configReads []string
			for _, rd := range rc.reads {
				if strings.HasSuffix(rd, ".shiftward.yml") {
					configReads = append(configReads, rd)
				}
			}
			if (tt.wantRead == "" && len(configReads) != 0) || (tt.wantRead != "" && !slices.Equal(configReads, []string{tt.wantRead})) {
				t.Errorf("configuration read at %q, want %q", configReads, tt.wantRead)
			}
			if incomplete := len(fc.review.Incomplete) > 0; incomplete != (tt.defaultBranch == "") {
				t.Errorf("incomplete %q, want it incomplete only when no default branch is known", fc.review.Incomplete)
			}
			if fc.review.Conclusion != tt.conclusion {
				t.Errorf("conclusion %s, want %s\n%s", fc.review.Conclusion, tt.conclusion, fc.review.Summary())
			}
		})
	}
}
