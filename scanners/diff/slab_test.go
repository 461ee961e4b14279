package diff_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/diff"
)

// TestReaderSmallFilesShareBuffer: small files' parts of the diff are
// handed to their Files without a copy each; the allocations of reading a
// file stay at what its File needs (the File, its hunks, its lines), and
// every file keeps its own text.
// maxAllocsPerSmallFile: the File, its hunks, its lines, and the slice of
// files the test keeps, amortized (3.1 measured; 4.1 when each part was
// copied).
const maxAllocsPerSmallFile = 3.5

func TestReaderSmallFilesShareBuffer(t *testing.T) {
	const files = 200
	var src strings.Builder
	for i := range files {
		lines := make([]string, 20)
		for j := range lines {
			lines[j] = fmt.Sprintf("file %d line %d %s", i, j, strings.Repeat("x", 40))
		}
		src.WriteString(newFileDiff(fmt.Sprintf("f%03d.go", i), lines))
	}
	s := src.String()
	read := func() []*diff.File {
		r := diff.NewReader(strings.NewReader(s))
		var out []*diff.File
		for {
			f, err := r.Next()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
	}
	got := read()
	if len(got) != files {
		t.Fatalf("read %d files, want %d", len(got), files)
	}
	for i, f := range got {
		added := f.Added()
		if len(added) != 20 || !strings.HasPrefix(added[19].Text, fmt.Sprintf("file %d line 19 ", i)) {
			t.Fatalf("%s: its text was overwritten by a later file: %q", f.NewPath, added[len(added)-1].Text)
		}
	}
	perFile := testing.AllocsPerRun(5, func() { read() }) / files
	t.Logf("%.2f allocations per file", perFile)
	if perFile > maxAllocsPerSmallFile {
		t.Errorf("%.2f allocations per small file, want at most %v: is each file's part copied again?", perFile, maxAllocsPerSmallFile)
	}
}
