package diff_test

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shiftward/shiftward/scanners/diff"
)

// TestReaderShortReads: a diff read in pieces of any size (a pipe from git
// hands over whatever it has written so far) gives the files it gives read
// whole. The Reader looks ahead past a "--- " line for "+++ "; that look
// ahead may refill bufio's buffer, which must not overwrite the "--- " line
// still to be kept (it did: the file then read as a hunk without a header,
// not scanned, as often as a pipe's read happened to end on that line).
func TestReaderShortReads(t *testing.T) {
	src := newFileDiff("a.go", []string{"package a", "var x = 1"}) +
		"diff --git a/b.go b/b.go\nindex 1111111..2222222 100644\n--- a/b.go\n+++ b/b.go\n@@ -1,2 +1,2 @@\n package b\n-var y = 1\n+var y = 2\n" +
		"--- c.txt\n+++ c.txt\n@@ -1 +1 @@\n-old\n+new\n" +
		newFileDiff("d.go", []string{"package d"})
	read := func(r io.Reader) []string {
		t.Helper()
		rd := diff.NewReader(r)
		var got []string
		for {
			f, err := rd.Next()
			if err == io.EOF {
				return got
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			var added []string
			for _, l := range f.Added() {
				added = append(added, l.Text)
			}
			got = append(got, f.Path()+": "+strings.Join(added, "|"))
		}
	}
	want := read(strings.NewReader(src))
	if len(want) != 4 {
		t.Fatalf("read whole: %q, want 4 files", want)
	}
	for name, r := range map[string]io.Reader{
		"one byte a read": iotest.OneByteReader(strings.NewReader(src)),
		"half a read":     iotest.HalfReader(strings.NewReader(src)),
		"data then EOF":   iotest.DataErrReader(strings.NewReader(src)),
	} {
		got := read(r)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}
