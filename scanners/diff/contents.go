package diff

import (
	"bytes"
	"strings"
)

// binarySniff is how much of a file IsBinary looks at, as git does.
const binarySniff = 8000

// IsBinary reports whether b looks binary the way git decides it: a NUL
// byte in its first 8000 bytes. Code hosts read a file's versions one at a
// time; checking the first before fetching the second saves a read.
func IsBinary(b []byte) bool {
	return bytes.IndexByte(b[:min(len(b), binarySniff)], 0) >= 0
}

// FromVersions builds the added lines of a file from two whole versions of
// it, for the files a code host lists without a diff (too large, collapsed,
// generated). base is the old version, nil when the file is new (every head
// line is then added); head the new one. oldPath and newPath are set as
// given; the caller sets IsNew, IsDelete and IsRename.
//
// It is not a diff: a head line counts as added when its text occurs more
// often in head than in base, the surplus occurrences counted from the end
// so that an appended duplicate is the one reported. This is linear in the
// file size (a full diff of a huge file is not), never misses a line whose
// text is new, and treats a moved line as unchanged, which is what a
// diff-scoped scanner wants. Each run of added lines becomes one hunk with
// new-side numbers only. Lines lose their "\n" or "\r\n" terminator, as in
// a parsed diff, and a final line without a newline counts.
//
// When either version is binary (see IsBinary), the file has IsBinary set
// and no hunks.
func FromVersions(oldPath, newPath string, base, head []byte) *File {
	f := &File{OldPath: oldPath, NewPath: newPath}
	if IsBinary(head) || IsBinary(base) {
		f.IsBinary = true
		return f
	}
	f.Hunks = addedHunks(splitLines(head), splitLines(base))
	return f
}

// splitLines splits text into lines without their terminators; a final
// line without a newline counts. The lines share one string, as a parsed
// file's lines share its diff text.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := strings.TrimSuffix(string(b), "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// addedHunks marks as added each head line whose text occurs more often in
// head than in base (the surplus occurrences, counted from the end), and
// groups each run of them into a hunk.
func addedHunks(head, base []string) []Hunk {
	surplus := map[string]int{}
	for _, l := range head {
		surplus[l]++
	}
	for _, l := range base {
		surplus[l]--
	}
	added := make([]bool, len(head))
	for i := len(head) - 1; i >= 0; i-- {
		if surplus[head[i]] > 0 {
			added[i] = true
			surplus[head[i]]--
		}
	}
	var hunks []Hunk
	for i := 0; i < len(head); {
		if !added[i] {
			i++
			continue
		}
		h := Hunk{NewStart: i + 1}
		for ; i < len(head) && added[i]; i++ {
			h.Lines = append(h.Lines, Line{Op: Add, NewNumber: i + 1, Text: head[i]})
		}
		h.NewLines = len(h.Lines)
		hunks = append(hunks, h)
	}
	return hunks
}
