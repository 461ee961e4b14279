package scanners_test

import (
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

func TestApplyFixes(t *testing.T) {
	src := "a\nb\nc\nd\n"
	tests := []struct {
		name    string
		content string
		fixes   []scanners.Fix
		want    string
		err     bool
	}{
		{"one line", src, []scanners.Fix{{StartLine: 2, EndLine: 2, Replacement: "B"}}, "a\nB\nc\nd\n", false},
		{"unordered, multi-line", src, []scanners.Fix{{StartLine: 4, EndLine: 4, Replacement: "D1\nD2"}, {StartLine: 1, EndLine: 2, Replacement: "AB"}}, "AB\nc\nD1\nD2\n", false},
		{"delete", src, []scanners.Fix{{StartLine: 3, EndLine: 3}}, "a\nb\nd\n", false},
		{"no final newline kept", "a\nb", []scanners.Fix{{StartLine: 2, EndLine: 2, Replacement: "B"}}, "a\nB", false},
		{"same fix twice", src, []scanners.Fix{{StartLine: 2, EndLine: 2, Replacement: "B"}, {StartLine: 2, EndLine: 2, Replacement: "B"}}, "a\nB\nc\nd\n", false},
		{"overlap", src, []scanners.Fix{{StartLine: 1, EndLine: 2, Replacement: "x"}, {StartLine: 2, EndLine: 3, Replacement: "y"}}, "", true},
		{"past the end", src, []scanners.Fix{{StartLine: 5, EndLine: 5, Replacement: "x"}}, "", true},
		{"no line", src, []scanners.Fix{{StartLine: 0, EndLine: 1}}, "", true},
		// Also edits: an import inserted beside the line fixed.
		{"insert after", src, []scanners.Fix{{StartLine: 3, EndLine: 3, Replacement: "C", Also: []scanners.Edit{scanners.InsertAfter(1, "i")}}}, "a\ni\nb\nC\nd\n", false},
		{"insert at the top", src, []scanners.Fix{{StartLine: 2, EndLine: 2, Replacement: "B", Also: []scanners.Edit{scanners.InsertAfter(0, "i")}}}, "i\na\nB\nc\nd\n", false},
		{"insert at the end", src, []scanners.Fix{{StartLine: 1, EndLine: 1, Replacement: "A", Also: []scanners.Edit{scanners.InsertAfter(4, "e")}}}, "A\nb\nc\nd\ne\n", false},
		{"insert after a last line without newline", "a\nb", []scanners.Fix{{StartLine: 1, EndLine: 1, Replacement: "A", Also: []scanners.Edit{scanners.InsertAfter(2, "c")}}}, "A\nb\nc", false},
		{"insert after the line the fix replaces", src, []scanners.Fix{{StartLine: 2, EndLine: 2, Replacement: "B", Also: []scanners.Edit{scanners.InsertAfter(2, "i")}}}, "a\nB\ni\nc\nd\n", false},
		{"insert beside another fix's line", src, []scanners.Fix{
			{StartLine: 4, EndLine: 4, Replacement: "D", Also: []scanners.Edit{scanners.InsertAfter(1, "i")}},
			{StartLine: 1, EndLine: 1, Replacement: "A"},
			{StartLine: 2, EndLine: 2, Replacement: "B"},
		}, "A\ni\nB\nc\nD\n", false},
		{"shared insertion applied once", src, []scanners.Fix{
			{StartLine: 2, EndLine: 2, Replacement: "B", Also: []scanners.Edit{scanners.InsertAfter(1, "import os")}},
			{StartLine: 4, EndLine: 4, Replacement: "D", Also: []scanners.Edit{scanners.InsertAfter(1, "import os")}},
		}, "a\nimport os\nB\nc\nD\n", false},
		{"two insertions at one place, in text order", src, []scanners.Fix{
			{StartLine: 2, EndLine: 2, Replacement: "B", Also: []scanners.Edit{scanners.InsertAfter(1, "import sys")}},
			{StartLine: 4, EndLine: 4, Replacement: "D", Also: []scanners.Edit{scanners.InsertAfter(1, "import os")}},
		}, "a\nimport os\nimport sys\nB\nc\nD\n", false},
		{"an Also edit replacing a line", src, []scanners.Fix{{StartLine: 3, EndLine: 3, Replacement: "C", Also: []scanners.Edit{{StartLine: 1, EndLine: 1, Replacement: "A"}}}}, "A\nb\nC\nd\n", false},
		{"Also edit overlaps another fix", src, []scanners.Fix{
			{StartLine: 3, EndLine: 3, Replacement: "C", Also: []scanners.Edit{{StartLine: 1, EndLine: 1, Replacement: "A"}}},
			{StartLine: 1, EndLine: 1, Replacement: "X"},
		}, "", true},
		{"Also edit overlaps its own line", src, []scanners.Fix{{StartLine: 1, EndLine: 2, Replacement: "x", Also: []scanners.Edit{{StartLine: 2, EndLine: 2, Replacement: "y"}}}}, "", true},
		{"insertion inside replaced lines", src, []scanners.Fix{
			{StartLine: 1, EndLine: 3, Replacement: "x"},
			{StartLine: 4, EndLine: 4, Replacement: "D", Also: []scanners.Edit{scanners.InsertAfter(2, "i")}},
		}, "", true},
		{"insertion past the end", src, []scanners.Fix{{StartLine: 1, EndLine: 1, Replacement: "A", Also: []scanners.Edit{scanners.InsertAfter(5, "i")}}}, "", true},
		{"insertion of nothing", src, []scanners.Fix{{StartLine: 1, EndLine: 1, Replacement: "A", Also: []scanners.Edit{scanners.InsertAfter(1, "")}}}, "", true},
		{"insertion with a range", src, []scanners.Fix{{StartLine: 1, EndLine: 1, Replacement: "A", Also: []scanners.Edit{{StartLine: 1, EndLine: 2, Replacement: "i", Insert: true}}}}, "", true},
	}
	for _, tt := range tests {
		got, err := scanners.ApplyFixes([]byte(tt.content), tt.fixes)
		if (err != nil) != tt.err || string(got) != tt.want {
			t.Errorf("%s: ApplyFixes = %q, %v; want %q (error %v)", tt.name, got, err, tt.want, tt.err)
		}
	}
}

func TestFixInlineOverlapsEqual(t *testing.T) {
	line := scanners.Fix{Description: "d", StartLine: 3, EndLine: 3, Replacement: "C"}
	withImport := line
	withImport.Also = []scanners.Edit{scanners.InsertAfter(1, "import os")}
	other := scanners.Fix{StartLine: 5, EndLine: 5, Replacement: "E", Also: []scanners.Edit{scanners.InsertAfter(1, "import os")}}
	onImportLine := scanners.Fix{StartLine: 1, EndLine: 1, Replacement: "A"}
	spanning := scanners.Fix{StartLine: 1, EndLine: 2, Replacement: "AB"}
	if !line.Inline() || withImport.Inline() {
		t.Errorf("Inline: %v for one edit, %v with an import; want true, false", line.Inline(), withImport.Inline())
	}
	if !withImport.Equal(&withImport) || withImport.Equal(&line) {
		t.Errorf("Equal: a fix is itself and differs from one without its Also edit")
	}
	var none *scanners.Fix
	if !none.Equal(nil) || none.Equal(&line) || line.Equal(none) {
		t.Errorf("Equal with nil: nil equals only nil")
	}
	if got := len(withImport.Edits()); got != 2 {
		t.Errorf("Edits: %d, want 2", got)
	}
	for _, c := range []struct {
		name string
		a, b scanners.Fix
		want bool
	}{
		{"same import added", withImport, other, false},
		{"insertion below a replaced line", withImport, onImportLine, false},
		{"insertion inside replaced lines", withImport, spanning, true},
		{"same primary lines", line, scanners.Fix{StartLine: 3, EndLine: 3, Replacement: "c"}, true},
		{"apart", line, onImportLine, false},
	} {
		if got := c.a.Overlaps(&c.b); got != c.want {
			t.Errorf("%s: Overlaps = %v, want %v", c.name, got, c.want)
		}
		if got := c.b.Overlaps(&c.a); got != c.want {
			t.Errorf("%s (reversed): Overlaps = %v, want %v", c.name, got, c.want)
		}
	}
}
