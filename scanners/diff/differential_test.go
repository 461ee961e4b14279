package diff_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// result is what a parse gives, errors compared by their text.
type result struct {
	Files []*diff.File
	Err   string
}

func chunkResult(files []*diff.File, err error) result {
	r := result{Files: files}
	if err != nil {
		r.Files, r.Err = nil, err.Error()
	}
	return r
}

// readAll reads a stream to the end, recording each file or error in turn.
func readAll(r *diff.Reader) []result {
	r.MaxFileBytes = 1 << 20
	var out []result
	for range 100000 {
		f, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			out = append(out, result{Err: err.Error()})
			continue
		}
		out = append(out, result{Files: []*diff.File{f}})
	}
	return append(out, result{Err: "too many files"})
}

// checkSame fails when the fast path and go-gitdiff alone read b
// differently, as one chunk or as a stream.
func checkSame(t *testing.T, b []byte) {
	t.Helper()
	want := chunkResult(diff.ParseChunkRef(b))
	got := chunkResult(diff.ParseChunk(b))
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("chunk of %d bytes: fast path differs from go-gitdiff (-go-gitdiff +fast):\n%s", len(b), d)
	}
	wantR := readAll(diff.NewReferenceReader(bytes.NewReader(b)))
	gotR := readAll(diff.NewReader(bytes.NewReader(b)))
	if d := cmp.Diff(wantR, gotR); d != "" {
		t.Fatalf("stream of %d bytes: fast path differs from go-gitdiff (-go-gitdiff +fast):\n%s", len(b), d)
	}
}

// differentialSeeds are inputs at the edges of what the fast path takes on:
// each must read the same through it as through go-gitdiff.
var differentialSeeds = []string{
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
	"diff --git a/x b/x\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n",
	"diff --git a/x b/x\ndeleted file mode 100755\nindex 1111111..0000000\n--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
	"diff --git a/x b/y\nsimilarity index 90%\nrename from x\nrename to y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/y\ncopy from x\ncopy to y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git \"a/t\\tab\" \"b/t\\tab\"\n--- \"a/t\\tab\"\n+++ \"b/t\\tab\"\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nold mode 100644\nnew mode 100755\n",
	"diff --git a/x b/x\nindex 1..2 100644\nBinary files a/x and b/x differ\n",
	"--- a/x\t2024-01-01\n+++ b/x\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n",
	"--- x\t1970-01-01 00:00:00 +0000\n+++ x\t2024-01-01\n@@ -0,0 +1 @@\n+b\n",
	"--- a\n+++ b\n@@ -1 +1 @@\n--- x\n+++ y\n",
	"--- a\n+++ b\n@@ -1 +1 @@",
	"--- a\n+++ b\n@@ -1 +1 @@\n",
	"--- a\n+++ b\n@@ -1 +1 @\n-a\n+b\n",
	"@@ -1 +1 @@\n-a\n+b\n",
	"junk\n@@ -x +1 @@\n+b\n",
	// CRLF, empty context lines, no-newline markers in the middle and at the end.
	"diff --git a/x b/x\r\n--- a/x\r\n+++ b/x\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n\n-b\n+c\n\r\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n\\ No newline at end of file\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ short\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\r",
	// Counts: miscounted, negative, signed, overflowing, zero, ranges from 0.
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +1,2 @@\n-a\n-b\n+c\n+d\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -+1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,-1 +1 @@\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,99999999999999999999 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,0 +1,0 @@\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n a\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 +1 @@\n-a\n+b\n",
	// Several hunks: in order, overlapping, out of order, a bad second header.
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@ f\n-a\n+b\n@@ -5,2 +5,3 @@ g\n c\n+d\n e\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n@@ -2 +2 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -5 +5 @@\n-a\n+b\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n@@ -9 +9\n-a\n+b\n",
	// New and deleted files whose later hunks contradict them.
	"diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n@@ -1 +2 @@\n-a\n+b\n",
	"diff --git a/x b/x\ndeleted file mode 100644\n--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n@@ -2 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	// What follows the last hunk: a mail signature, another file, a stray hunk.
	"From 1 Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n-- \n2.40.0\n\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\ntext\n@@ -3 +3 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n--- c\n+++ d\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n--- c\n",
	// A git header that ends early, and two headers before one hunk.
	"diff --git a/x b/x\nfoo\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nold mode 100644\nnew mode 100755\ndiff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	// Git headers the fast path reads itself, and near misses it must not.
	"diff --git a/d/x.go b/e/y.go\nsimilarity index 91%\nrename from d/x.go\nrename to e/y.go\nindex 1a..2b 100644\n--- a/d/x.go\n+++ b/e/y.go\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/y\nold mode 100644\nnew mode 100755\nsimilarity index 50%\ncopy from x\ncopy to y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\ndeleted file mode 100644\nindex 1a..00 100755\n--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
	"diff --git a/x b/x\nindex 1a..2b\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n",
	"diff --git a/x b/y\nnew file mode 100644\n--- /dev/null\n+++ b/y\n@@ -0,0 +1 @@\n+a\n",
	"diff --git a/x b/x\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+a\n",
	"diff --git a/x b/x\n--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
	"diff --git a/x b/x\nnew file mode 100644\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n",
	"diff --git a/x b/x\nindex 1a..2b 100644\n--- a/y\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nindex 1a..2b 10064x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nsimilarity index 90\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/a b/b b/a b/b\n--- a/a b/b\n+++ b/a b/b\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x//y b/x//y\n--- a/x//y\n+++ b/x//y\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- x\n+++ x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git x x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\n--- a/x\t2024\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
	"diff --git a/x b/x\nrename old x\nrename new y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n",
}

func TestFastPathMatchesGoGitdiff(t *testing.T) {
	for _, s := range differentialSeeds {
		checkSame(t, []byte(s))
	}
}

// TestFastPathTaken guards the differential tests against comparing
// go-gitdiff with itself: the common shapes must take the fast path, the
// odd ones must not.
func TestFastPathTaken(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool
	}{
		{differentialSeeds[0], true},
		{differentialSeeds[1], true},
		{differentialSeeds[2], true},
		{differentialSeeds[8], true},
		{"diff --git a/d/x.go b/e/y.go\nsimilarity index 91%\nrename from d/x.go\nrename to e/y.go\nindex 1a..2b 100644\n--- a/d/x.go\n+++ b/e/y.go\n@@ -1 +1 @@\n-a\n+b\n", true},
		{"From 1 Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n-- \n2.40.0\n\n", true},
		{"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n", true},
		{"diff --git a/x b/x\nold mode 100644\nnew mode 100755\n", false},
		{"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n+b\n", false},
		{"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -5 +5 @@\n-a\n+b\n@@ -1 +1 @@\n-a\n+b\n", false},
		{"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n--- c\n", false},
		{"@@ -1 +1 @@\n-a\n+b\n", false},
	} {
		if got := diff.ParseChunkFast([]byte(tc.in)); got != tc.fast {
			t.Errorf("fast path taken = %v, want %v, for %q", got, tc.fast, tc.in)
		}
	}
}

// TestGitHeaderTaken checks the headers git writes most are read without
// go-gitdiff, and a few it would read differently are not.
func TestGitHeaderTaken(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool
	}{
		{"diff --git a/x b/x\nindex 1a..2b 100644\n--- a/x\n+++ b/x\n", true},
		{"diff --git a/x b/x\nnew file mode 100644\nindex 000..2b\n--- /dev/null\n+++ b/x\n", true},
		{"diff --git a/x b/x\ndeleted file mode 100644\nindex 1a..000\n--- a/x\n+++ /dev/null\n", true},
		{"diff --git a/x b/y\nsimilarity index 91%\nrename from x\nrename to y\nindex 1a..2b 100644\n--- a/x\n+++ b/y\n", true},
		{"diff --git a/x b/x\nold mode 100644\nnew mode 100755\nindex 1a..2b\n--- a/x\n+++ b/x\n", true},
		{"diff --git a/x b/x\r\n--- a/x\r\n+++ b/x\r\n", false},
		{"diff --git \"a/x y\" \"b/x y\"\n--- \"a/x y\"\n+++ \"b/x y\"\n", false},
		{"diff --git a/x b/x\n--- /dev/null\n+++ b/x\n", false},
		{"From: a\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n", false},
	} {
		if got := diff.ReadGitHeader(tc.in); got != tc.fast {
			t.Errorf("read without go-gitdiff = %v, want %v, for %q", got, tc.fast, tc.in)
		}
		// Whichever way, the chunk must read as go-gitdiff reads it.
		checkSame(t, []byte(tc.in+"@@ -1 +1 @@\n-a\n+b\n"))
	}
}

// TestFastPathMatchesGoGitdiffOnCorpus reads every diff of the corpus (the
// full one, or the subset in testdata/) both ways, whole and streamed.
func TestFastPathMatchesGoGitdiffOnCorpus(t *testing.T) {
	c := scannertest.Data(t)
	paths := corpusDiffs(t, c, 100, 45,
		"diffs/go-diff-testdata/*",
		"diffs/go-gitdiff-testdata/*.patch",
		"diffs/go-gitdiff-testdata/string/*.patch",
		"diffs/go-gitdiff-testdata/apply/*.patch",
		"diffs/generated/*.diff",
		"diffs/generated/*.patch",
		"secrets/gitleaks/history-small/*.patch",
	)
	for _, p := range paths {
		rel, _ := filepath.Rel(c.Dir, p)
		t.Run(rel, func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, b)
		})
	}
}

// FuzzFastPathMatchesGoGitdiff compares the fast path with go-gitdiff alone
// on arbitrary bytes: the same files, hunks and lines, the same errors.
func FuzzFastPathMatchesGoGitdiff(f *testing.F) {
	for _, s := range differentialSeeds {
		f.Add([]byte(s))
	}
	matches, _ := filepath.Glob(scannertest.Data(f).Path("diffs", "go-*", "*.*"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if strings.Count(string(b), "\n") > 5000 {
			return
		}
		checkSame(t, b)
	})
}
