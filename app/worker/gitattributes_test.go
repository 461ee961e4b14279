package worker_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// handWrittenWord is wordScanner as the code scanner is: wanting only
// files people wrote (scanners.HandWrittenOnly).
type handWrittenWord struct{ wordScanner }

func (handWrittenWord) HandWrittenOnly() bool { return true }

// dangerIn is a change that adds a "danger" line to each of paths.
func dangerIn(t *testing.T, paths ...string) []*diff.File {
	t.Helper()
	var files []*diff.File
	for _, p := range paths {
		f, err := diff.ParsePatch(p, p, "@@ -1 +1,2 @@\n keep\n+danger added\n")
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// findingPaths are the paths of a review's findings, sorted.
func findingPaths(r *comments.Review) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Location.Path)
	}
	slices.Sort(out)
	return out
}

// TestGitAttributesReadAtTheBase: the linguist lines of the .gitattributes
// files at the change's base (the root's, and a subdirectory's above a
// changed file) keep the files they mark from the code scanner, which
// counts them; the head's .gitattributes, which the pull request brings,
// marks nothing, and is never read. linguist-vendored=false makes a
// vendor/ file the author's own again. With a tree listing, the
// .gitattributes of a directory above no changed file is not read.
func TestGitAttributesReadAtTheBase(t *testing.T) {
	base, head := strings.Repeat("a", 40), strings.Repeat("b", 40)
	contents := map[string]string{
		base + ":.gitattributes":      "# ours\ngen/** linguist-generated\nvendor/own/** linguist-vendored=false\n",
		base + ":svc/.gitattributes":  "*.pb.go linguist-generated=true\n",
		base + ":else/.gitattributes": "* linguist-generated\n",
		head + ":.gitattributes":      "hidden/** linguist-generated\n",
	}
	paths := []string{"gen/api.go", "hidden/x.go", "main.go", "svc/api.pb.go", "svc/main.go", "vendor/lib/x.go", "vendor/own/x.go"}
	for _, mode := range []string{"probe", "listing"} {
		t.Run(mode, func(t *testing.T) {
			fc := &fakeClient{files: dangerIn(t, paths...), contents: contents}
			rc := &refClient{fakeClient: fc}
			var client platform.Client = rc
			if mode == "listing" {
				client = listingClient{rc}
			}
			w := newWorker(fc, true, true)
			w.Scanners = []scanners.Scanner{handWrittenWord{}}
			w.Platforms[platform.GitHub] = clientFactory{client}
			if err := w.Handle(context.Background(), job()); err != nil {
				t.Fatal(err)
			}
			r := fc.review
			want := []string{"hidden/x.go", "main.go", "svc/main.go", "vendor/own/x.go"}
			if got := findingPaths(r); !slices.Equal(got, want) {
				t.Errorf("findings in %q, want %q", got, want)
			}
			if !slices.Equal(r.Skipped, []string{"code: 3 files not reviewed: vendored, minified or generated (secrets and dependencies are still checked)"}) {
				t.Errorf("skipped %q, want the code scanner's 3 files (gen/, svc/*.pb.go, vendor/lib/)", r.Skipped)
			}
			if len(r.Incomplete) != 0 {
				t.Errorf("incomplete %q, want none", r.Incomplete)
			}
			var read []string
			for _, rd := range rc.reads {
				if strings.HasSuffix(rd, ".gitattributes") {
					read = append(read, rd)
				}
			}
			slices.Sort(read)
			for _, rd := range read {
				if !strings.HasPrefix(rd, base+":") {
					t.Errorf("read %s: .gitattributes must be read at the base only", rd)
				}
			}
			if mode == "listing" {
				if want := []string{base + ":.gitattributes", base + ":svc/.gitattributes"}; !slices.Equal(read, want) {
					t.Errorf("read %q, want %q (the listed files that apply)", read, want)
				}
				if rc.lists != 1 {
					t.Errorf("%d tree listings, want 1 (shared with .shiftward.yml)", rc.lists)
				}
			}
		})
	}
}

// TestGitAttributesAddedByTheChange: a pull request that adds a
// .gitattributes marking its own code generated keeps it reviewed.
func TestGitAttributesAddedByTheChange(t *testing.T) {
	head := strings.Repeat("b", 40)
	attrs, err := diff.ParsePatch("/dev/null", ".gitattributes", "@@ -0,0 +1 @@\n+gen/** linguist-generated\n")
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeClient{files: append(dangerIn(t, "gen/api.go"), attrs),
		contents: map[string]string{head + ":.gitattributes": "gen/** linguist-generated\n"}}
	w := newWorker(fc, true, true)
	w.Scanners = []scanners.Scanner{handWrittenWord{}}
	if err := w.Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	r := fc.review
	if got := findingPaths(r); !slices.Equal(got, []string{"gen/api.go"}) || len(r.Skipped) != 0 {
		t.Errorf("findings in %q, skipped %q; want gen/api.go reviewed and nothing skipped", got, r.Skipped)
	}
}

// failingAttributes is a refClient whose .gitattributes reads fail.
type failingAttributes struct{ *refClient }

func (f failingAttributes) FileContent(ctx context.Context, c platform.Change, path, sha string) ([]byte, error) {
	if strings.HasSuffix(path, ".gitattributes") {
		return nil, errors.New("HTTP 502 from the host")
	}
	return f.refClient.FileContent(ctx, c, path, sha)
}

// TestGitAttributesUnreadable: a .gitattributes that cannot be read is
// scanned as if absent (the file it would mark is reviewed, the job does
// not fail) and the review's notes say so.
func TestGitAttributesUnreadable(t *testing.T) {
	fc := &fakeClient{files: dangerIn(t, "gen/api.go")}
	w := newWorker(fc, true, true)
	w.Scanners = []scanners.Scanner{handWrittenWord{}}
	w.Platforms[platform.GitHub] = clientFactory{failingAttributes{&refClient{fakeClient: fc}}}
	if err := w.Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	r := fc.review
	if got := findingPaths(r); !slices.Equal(got, []string{"gen/api.go"}) {
		t.Errorf("findings in %q, want gen/api.go reviewed", got)
	}
	s := r.Summary()
	for _, want := range []string{".gitattributes could not be read at the base", "gen/.gitattributes could not be read at the base", "HTTP 502"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary does not say %q:\n%s", want, s)
		}
	}
}

// TestGitAttributesBound: without a tree listing, at most 64 files are
// asked for (the root's, then the nearest directories), and the review's
// notes say the others were not.
func TestGitAttributesBound(t *testing.T) {
	var paths []string
	for i := range 70 {
		paths = append(paths, fmt.Sprintf("d%02d/x.go", i))
	}
	fc := &fakeClient{files: dangerIn(t, paths...)}
	rc := &refClient{fakeClient: fc}
	w := newWorker(fc, true, true)
	w.Platforms[platform.GitHub] = clientFactory{rc}
	if err := w.Handle(context.Background(), job()); err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, rd := range rc.reads {
		if strings.HasSuffix(rd, ".gitattributes") {
			read = append(read, rd)
		}
	}
	if len(read) != 64 || !slices.Contains(read, strings.Repeat("a", 40)+":.gitattributes") {
		t.Errorf("%d .gitattributes read, want 64, the root's among them", len(read))
	}
	if s := fc.review.Summary(); !strings.Contains(s, "71 directories may hold a .gitattributes") || !strings.Contains(s, "at most 64") {
		t.Errorf("summary does not say the bound was met:\n%s", s)
	}
}
