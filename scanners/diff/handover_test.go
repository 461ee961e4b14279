package diff_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/diff"
)

// newFileDiff is a git diff adding path with lines.
func newFileDiff(path string, lines []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n", path, path, path, len(lines))
	for _, l := range lines {
		b.WriteString("+" + l + "\n")
	}
	return b.String()
}

// TestReaderHandsOverLargeFiles: a file's part of the diff over a few
// hundred KiB becomes its File's text without a copy, and the Reader does
// not keep a buffer that large for the files after it; each file read
// keeps its own text, whatever is read next.
func TestReaderHandsOverLargeFiles(t *testing.T) {
	lines := func(tag string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s line %06d %s", tag, i, strings.Repeat(tag, 20))
		}
		return out
	}
	want := map[string][]string{"a.go": lines("a", 20000), "b.go": lines("b", 20000), "c.go": lines("c", 3)}
	src := newFileDiff("a.go", want["a.go"]) + newFileDiff("b.go", want["b.go"]) + newFileDiff("c.go", want["c.go"])
	r := diff.NewReader(strings.NewReader(src))
	var files []*diff.File
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		if f.NewPath == "a.go" {
			if c := diff.BufferCap(r); c >= 256<<10 {
				t.Errorf("after a.go (%d bytes of diff) the Reader keeps a %d-byte buffer: the file was copied, not handed over", len(src)/2, c)
			}
		}
	}
	if len(files) != 3 {
		t.Fatalf("read %d files, want 3", len(files))
	}
	for _, f := range files {
		added := f.Added()
		if len(added) != len(want[f.NewPath]) {
			t.Fatalf("%s: %d added lines, want %d", f.NewPath, len(added), len(want[f.NewPath]))
		}
		for i, l := range added {
			if l.Text != want[f.NewPath][i] || l.NewNumber != i+1 {
				t.Fatalf("%s line %d = %d %q, want %q: a later file overwrote it", f.NewPath, i+1, l.NewNumber, l.Text, want[f.NewPath][i])
			}
		}
	}
}
