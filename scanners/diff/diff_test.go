package diff_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

func TestParsePatch(t *testing.T) {
	tests := []struct {
		name             string
		oldPath, newPath string
		patch            string
		want             *diff.File
		wantErr          string
	}{
		{
			name:    "github modified file, no final newline",
			oldPath: "app.go", newPath: "app.go",
			patch: "@@ -1,3 +1,4 @@ package app\n a\n-b\n+B\n+C\n c",
			want: &diff.File{OldPath: "app.go", NewPath: "app.go", Hunks: []diff.Hunk{{
				OldStart: 1, OldLines: 3, NewStart: 1, NewLines: 4,
				Lines: []diff.Line{
					{Op: diff.Context, OldNumber: 1, NewNumber: 1, Text: "a"},
					{Op: diff.Delete, OldNumber: 2, Text: "b"},
					{Op: diff.Add, NewNumber: 2, Text: "B"},
					{Op: diff.Add, NewNumber: 3, Text: "C"},
					{Op: diff.Context, OldNumber: 3, NewNumber: 4, Text: "c"},
				},
			}}},
		},
		{
			name:    "added file recognised from its hunk",
			oldPath: "new.txt", newPath: "new.txt",
			patch: "@@ -0,0 +1,2 @@\n+x\n+y\n",
			want: &diff.File{NewPath: "new.txt", IsNew: true, Hunks: []diff.Hunk{{
				NewStart: 1, NewLines: 2,
				Lines: []diff.Line{{Op: diff.Add, NewNumber: 1, Text: "x"}, {Op: diff.Add, NewNumber: 2, Text: "y"}},
			}}},
		},
		{
			name:    "added file named by an empty old path",
			oldPath: "", newPath: "dir/a b.txt",
			patch: "@@ -0,0 +1 @@\n+x\n\\ No newline at end of file",
			want: &diff.File{NewPath: "dir/a b.txt", IsNew: true, Hunks: []diff.Hunk{{
				NewStart: 1, NewLines: 1,
				Lines: []diff.Line{{Op: diff.Add, NewNumber: 1, Text: "x"}},
			}}},
		},
		{
			name:    "deleted file",
			oldPath: "gone.txt", newPath: "/dev/null",
			patch: "@@ -1,2 +0,0 @@\n-x\n-y\n",
			want: &diff.File{OldPath: "gone.txt", IsDelete: true, Hunks: []diff.Hunk{{
				OldStart: 1, OldLines: 2,
				Lines: []diff.Line{{Op: diff.Delete, OldNumber: 1, Text: "x"}, {Op: diff.Delete, OldNumber: 2, Text: "y"}},
			}}},
		},
		{
			name:    "rename without changes has no patch",
			oldPath: "a.txt", newPath: "b.txt",
			want: &diff.File{OldPath: "a.txt", NewPath: "b.txt", IsRename: true},
		},
		{
			name:    "gitlab binary",
			oldPath: "logo.png", newPath: "logo.png",
			patch: "Binary files a/logo.png and b/logo.png differ\n",
			want:  &diff.File{OldPath: "logo.png", NewPath: "logo.png", IsBinary: true},
		},
		{
			name:    "CRLF lines lose their carriage return",
			oldPath: "w.bat", newPath: "w.bat",
			patch: "@@ -1 +1 @@\r\n-a\r\n+b\r\n",
			want: &diff.File{OldPath: "w.bat", NewPath: "w.bat", Hunks: []diff.Hunk{{
				OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []diff.Line{{Op: diff.Delete, OldNumber: 1, Text: "a"}, {Op: diff.Add, NewNumber: 1, Text: "b"}},
			}}},
		},
		{
			name:    "a patch with its own git header keeps the given paths",
			oldPath: "x", newPath: "y",
			patch: "diff --git a/p b/q\n--- a/p\n+++ b/q\n@@ -1 +1 @@\n-a\n+b\n",
			want: &diff.File{OldPath: "x", NewPath: "y", IsRename: true, Hunks: []diff.Hunk{{
				OldStart: 1, OldLines: 1, NewStart: 1, NewLines: 1,
				Lines: []diff.Line{{Op: diff.Delete, OldNumber: 1, Text: "a"}, {Op: diff.Add, NewNumber: 1, Text: "b"}},
			}}},
		},
		{name: "no path", patch: "@@ -1 +1 @@\n-a\n+b\n", wantErr: "without a path"},
		{name: "hunk miscount", oldPath: "a", newPath: "a", patch: "@@ -1,3 +1,3 @@\n-a\n+b\n", wantErr: "patch of a"},
		{name: "not a patch", oldPath: "a", newPath: "a", patch: "hello\nworld\n", wantErr: "no hunk found"},
		{name: "bad hunk header", oldPath: "a", newPath: "a", patch: "@@ -x +1 @@\n+b\n", wantErr: "patch of a"},
		{name: "new file with old lines", oldPath: "", newPath: "a", patch: "@@ -1 +1 @@\n-a\n+b\n", wantErr: "patch of a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := diff.ParsePatch(tc.oldPath, tc.newPath, tc.patch)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("ParsePatch mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestAddedAndCommentable(t *testing.T) {
	f, err := diff.ParsePatch("a.go", "a.go",
		"@@ -10,3 +10,4 @@\n a\n+b\n c\n d\n@@ -30,2 +31,1 @@\n-x\n y\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []diff.Line{{Op: diff.Add, NewNumber: 11, Text: "b"}}
	if d := cmp.Diff(want, f.Added()); d != "" {
		t.Errorf("Added mismatch (-want +got):\n%s", d)
	}
	for line, want := range map[int]bool{
		-1: false, 0: false, 9: false, 10: true, 11: true, 13: true, 14: false,
		30: false, 31: true, 32: false, 1000: false,
	} {
		if got := f.Commentable(line); got != want {
			t.Errorf("Commentable(%d) = %v, want %v", line, got, want)
		}
	}
	x := diff.NewIndex([]*diff.File{f})
	if !x.Commentable("a.go", 11) || x.Commentable("b.go", 11) || x.Commentable("a.go", 12000) {
		t.Error("Index.Commentable disagrees with File.Commentable")
	}
	var nilIdx diff.Index
	if nilIdx.Commentable("a.go", 11) {
		t.Error("nil Index found a line")
	}
}

func TestReaderSplitsOnlyOutsideHunks(t *testing.T) {
	// Removed SQL comments ("-- x") read "--- x", added "++ y" read "+++ y":
	// inside a hunk they are lines, not the header of a next file.
	in := strings.Join([]string{
		"--- a/one.sql",
		"+++ b/one.sql",
		"@@ -1,3 +1,3 @@",
		" select 1;",
		"--- a comment",
		"+++ b comment",
		" select 2;",
		"--- a/two.sql\t2024-01-01 00:00:00",
		"+++ b/two.sql\t2024-01-01 00:00:01",
		"@@ -0,0 +1 @@",
		"+x",
		"--- old/dir/three.txt",
		"+++ new/dir/three.txt",
		"@@ -1 +1 @@",
		"-a",
		"+b",
		"--- a/gone.txt",
		"+++ /dev/null",
		"@@ -1 +0,0 @@",
		"-a",
		"",
	}, "\n")
	files, err := diff.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Old, New string
		IsNew    bool
		Del      bool
		Added    []diff.Line
	}
	var got []row
	for _, f := range files {
		got = append(got, row{Old: f.OldPath, New: f.NewPath, IsNew: f.IsNew, Del: f.IsDelete, Added: f.Added()})
	}
	want := []row{
		{Old: "one.sql", New: "one.sql", Added: []diff.Line{{Op: diff.Add, NewNumber: 2, Text: "++ b comment"}}},
		{Old: "two.sql", New: "two.sql", Added: []diff.Line{{Op: diff.Add, NewNumber: 1, Text: "x"}}},
		{Old: "dir/three.txt", New: "dir/three.txt", Added: []diff.Line{{Op: diff.Add, NewNumber: 1, Text: "b"}}},
		{Old: "gone.txt", Del: true},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("files mismatch (-want +got):\n%s", d)
	}
}

func TestReaderGoesOnAfterABadFile(t *testing.T) {
	in := "diff --git a/ok1 b/ok1\n--- a/ok1\n+++ b/ok1\n@@ -1 +1 @@\n-a\n+b\n" +
		"diff --git a/bad b/bad\n--- a/bad\n+++ b/bad\n@@ -1,5 +1,5 @@\n-a\n+b\n" +
		"diff --git a/ok2 b/ok2\n--- a/ok2\n+++ b/ok2\n@@ -1 +1 @@\n-a\n+b\n"
	r := diff.NewReader(strings.NewReader(in))
	var paths []string
	var errs []error
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		paths = append(paths, f.Path())
	}
	if d := cmp.Diff([]string{"ok1", "ok2"}, paths); d != "" {
		t.Errorf("paths mismatch (-want +got):\n%s", d)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "a/bad") || !strings.Contains(errs[0].Error(), "line 7") {
		t.Errorf("errors = %v, want one naming a/bad at line 7", errs)
	}
	if _, err := diff.Parse(strings.NewReader(in)); err == nil {
		t.Error("Parse accepted a malformed file")
	}
}

func TestReaderFileTooLarge(t *testing.T) {
	big := "diff --git a/big b/big\n--- a/big\n+++ b/big\n@@ -0,0 +1,3 @@\n+" +
		strings.Repeat("x", 200<<10) + "\n+y\n+z\n"
	in := "diff --git a/small b/small\n--- a/small\n+++ b/small\n@@ -1 +1 @@\n-a\n+b\n" + big +
		"diff --git a/after b/after\n--- a/after\n+++ b/after\n@@ -1 +1 @@\n-a\n+b\n"
	r := diff.NewReader(strings.NewReader(in))
	r.MaxFileBytes = 100 << 10
	var got []string
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		switch {
		case errors.Is(err, diff.ErrFileTooLarge):
			got = append(got, "too large")
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, f.Path())
		}
	}
	if d := cmp.Diff([]string{"small", "too large", "after"}, got); d != "" {
		t.Errorf("mismatch (-want +got):\n%s", d)
	}
}

func TestReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	r := diff.NewReader(io.MultiReader(strings.NewReader("diff --git a/x b/x\n"), errReader{boom}))
	_, err := r.Next()
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if _, err2 := r.Next(); !errors.Is(err2, boom) {
		t.Errorf("second Next = %v, want the same read error", err2)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestParseEmptyAndPreambleOnly(t *testing.T) {
	for _, in := range []string{"", "\n", "From abc Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\n 0 files\n", "Only in a: b\n"} {
		files, err := diff.Parse(strings.NewReader(in))
		if err != nil || len(files) != 0 {
			t.Errorf("Parse(%q) = %d files, %v; want none, nil", in, len(files), err)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the Reader: it may refuse them, but
// must not panic, and what it returns must hold together.
func FuzzParse(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"))
	f.Add([]byte("--- a\n+++ b\n@@ -1 +1 @@\n--- x\n+++ y\n"))
	f.Add([]byte("@@ -1 +1 @@\n-a\n+b\n"))
	matches, _ := filepath.Glob(scannertest.Data(f).Path("diffs", "go-*", "*.*"))
	for _, m := range matches {
		if b, err := os.ReadFile(m); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := diff.NewReader(bytes.NewReader(b))
		r.MaxFileBytes = 1 << 20
		for range 10000 {
			file, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if errors.Is(err, diff.ErrFileTooLarge) || strings.HasPrefix(err.Error(), "diff: ") {
					continue
				}
				t.Fatalf("unprefixed error: %v", err)
			}
			for _, l := range file.Added() {
				if !file.Commentable(l.NewNumber) {
					t.Fatalf("added line %d of %q is not commentable", l.NewNumber, file.Path())
				}
			}
		}
		_, _ = diff.ParsePatch("a", "a", string(b))
	})
}

// BenchmarkReader measures streaming throughput and allocations over the
// 6 MB, 4,038-file trivy-checks diff; BenchmarkReaderReference does the same
// with go-gitdiff reading every chunk, as the package did before its fast
// path, for comparison.
func BenchmarkReader(b *testing.B) {
	benchReader(b, diff.NewReader)
}

func BenchmarkReaderReference(b *testing.B) {
	benchReader(b, diff.NewReferenceReader)
}

func benchReader(b *testing.B, newReader func(io.Reader) *diff.Reader) {
	raw, err := os.ReadFile(filepath.Join(scannertest.CorpusDir(b), "diffs/generated/big-trivy-checks-b6b9f2d9..80e53822.diff"))
	if err != nil {
		b.Fatal(err)
	}
	if n := benchRead(b, raw, newReader); n != 4038 {
		b.Fatalf("read %d files", n)
	}
}

// BenchmarkReaderFile streams the diff named by $SHIFTWARD_BENCH_DIFF (e.g.
// the 52 MB one shiftward-bench writes), skipping when it is unset.
func BenchmarkReaderFile(b *testing.B) {
	path := os.Getenv("SHIFTWARD_BENCH_DIFF")
	if path == "" {
		b.Skip("SHIFTWARD_BENCH_DIFF not set")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		newReader func(io.Reader) *diff.Reader
	}{{"fast", diff.NewReader}, {"reference", diff.NewReferenceReader}} {
		b.Run(tc.name, func(b *testing.B) { benchRead(b, raw, tc.newReader) })
	}
}

func benchRead(b *testing.B, raw []byte, newReader func(io.Reader) *diff.Reader) int {
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r := newReader(bytes.NewReader(raw))
		n = 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	return n
}

// genDiff produces a git diff of files of perFile bytes each, on the fly,
// so a test can stream far more than it holds.
type genDiff struct {
	files, perFile, i int
	cur               []byte
}

func (g *genDiff) Read(p []byte) (int, error) {
	for len(g.cur) == 0 {
		if g.i == g.files {
			return 0, io.EOF
		}
		var b bytes.Buffer
		lines := g.perFile / 40
		fmt.Fprintf(&b, "diff --git a/f%05d.txt b/f%05d.txt\n--- a/f%05d.txt\n+++ b/f%05d.txt\n@@ -1,%d +1,%d @@\n",
			g.i, g.i, g.i, g.i, lines, lines)
		for l := range lines {
			fmt.Fprintf(&b, "-old line %06d .........................\n", l)
		}
		for l := range lines {
			fmt.Fprintf(&b, "+new line %06d .........................\n", l)
		}
		g.cur = b.Bytes()
		g.i++
	}
	n := copy(p, g.cur)
	g.cur = g.cur[n:]
	return n, nil
}

// TestReaderMemoryBounded streams a 60 MB diff and checks the live heap
// stays near the size of one file, not of the diff.
func TestReaderMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 60 MB")
	}
	g := &genDiff{files: 1500, perFile: 20 << 10}
	r := diff.NewReader(g)
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Added()) != 512 {
			t.Fatalf("%s: %d added lines", f.Path(), len(f.Added()))
		}
		n++
		if n%100 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if n != 1500 {
		t.Fatalf("read %d files", n)
	}
	t.Logf("streamed ~60 MB; peak live heap %.1f MB", float64(peak)/(1<<20))
	if peak > 16<<20 {
		t.Errorf("peak live heap %d bytes: the Reader holds more than one file", peak)
	}
}

// TestReaderTooLargeInsideBufferedHunk crosses the size limit in the middle
// of a hunk whose lines are all already buffered, and at every limit around
// it: the file is refused only once it exceeds the limit, and the next file
// is read whole.
func TestReaderTooLargeInsideBufferedHunk(t *testing.T) {
	big := "diff --git a/big b/big\n--- a/big\n+++ b/big\n@@ -0,0 +1,8 @@\n" +
		strings.Repeat("+123456789\n", 8)
	next := "diff --git a/next b/next\n--- a/next\n+++ b/next\n@@ -1 +1 @@\n-a\n+b\n"
	for limit := len(big) - 12; limit <= len(big)+1; limit++ {
		r := diff.NewReader(strings.NewReader(big + next))
		r.MaxFileBytes = limit
		var got []string
		for {
			f, err := r.Next()
			if err == io.EOF {
				break
			}
			switch {
			case errors.Is(err, diff.ErrFileTooLarge):
				got = append(got, "too large")
			case err != nil:
				t.Fatalf("limit %d: %v", limit, err)
			default:
				got = append(got, fmt.Sprintf("%s:%d", f.Path(), len(f.Added())))
			}
		}
		want := []string{"big:8", "next:1"}
		if limit < len(big) {
			want[0] = "too large"
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("limit %d (file %d bytes): mismatch (-want +got):\n%s", limit, len(big), d)
		}
	}
}
