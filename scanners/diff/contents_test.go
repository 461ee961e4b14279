package diff_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/diff"
)

func TestFromVersions(t *testing.T) {
	add := func(n int, text string) diff.Line { return diff.Line{Op: diff.Add, NewNumber: n, Text: text} }
	hunk := func(lines ...diff.Line) diff.Hunk {
		return diff.Hunk{NewStart: lines[0].NewNumber, NewLines: len(lines), Lines: lines}
	}
	tests := []struct {
		name       string
		base, head string
		nilBase    bool
		wantBinary bool
		want       []diff.Hunk
	}{
		{
			name: "new file: every line added", nilBase: true,
			head: "a\nb\n",
			want: []diff.Hunk{hunk(add(1, "a"), add(2, "b"))},
		},
		{
			name: "final line without newline counts", nilBase: true,
			head: "a\nb",
			want: []diff.Hunk{hunk(add(1, "a"), add(2, "b"))},
		},
		{
			name: "CRLF terminators dropped", nilBase: true,
			head: "a\r\nb\r\n",
			want: []diff.Hunk{hunk(add(1, "a"), add(2, "b"))},
		},
		{
			name: "unchanged file: nothing added",
			base: "a\nb\n", head: "a\nb\n",
		},
		{
			name: "empty head: nothing added",
			base: "a\n", head: "",
		},
		{
			name: "two runs of added lines make two hunks",
			base: "a\nb\nc\n", head: "x\na\nb\ny\nz\nc\n",
			want: []diff.Hunk{hunk(add(1, "x")), hunk(add(4, "y"), add(5, "z"))},
		},
		{
			name: "moved line is not added",
			base: "a\nb\nc\n", head: "c\na\nb\n",
		},
		{
			name: "deleted lines leave no trace",
			base: "a\nsecret\nb\n", head: "a\nb\n",
		},
		{
			name: "surplus duplicate counted from the end",
			base: "x\ny\n", head: "x\ny\nx\n",
			want: []diff.Hunk{hunk(add(3, "x"))},
		},
		{
			name: "changed line is added",
			base: "key = old\n", head: "key = new\n",
			want: []diff.Hunk{hunk(add(1, "key = new"))},
		},
		{
			name: "binary head", nilBase: true,
			head: "PNG\x00data", wantBinary: true,
		},
		{
			name: "binary base",
			base: "\x00\x01", head: "text\n", wantBinary: true,
		},
		{
			name: "NUL past the first 8000 bytes is text", nilBase: true,
			head: strings.Repeat("a", 8000) + "\x00",
			want: []diff.Hunk{hunk(add(1, strings.Repeat("a", 8000)+"\x00"))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var base []byte
			if !tt.nilBase {
				base = []byte(tt.base)
			}
			got := diff.FromVersions("old.txt", "new.txt", base, []byte(tt.head))
			want := &diff.File{OldPath: "old.txt", NewPath: "new.txt", IsBinary: tt.wantBinary, Hunks: tt.want}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("FromVersions (-want +got):\n%s", d)
			}
			for _, h := range got.Hunks {
				for _, l := range h.Lines {
					if !got.Commentable(l.NewNumber) {
						t.Errorf("added line %d not commentable", l.NewNumber)
					}
				}
			}
		})
	}
}

func TestIsBinary(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"plain text\n", false},
		{"\x00", true},
		{strings.Repeat("a", 7999) + "\x00", true},
		{strings.Repeat("a", 8000) + "\x00", false},
	}
	for _, tt := range tests {
		if got := diff.IsBinary([]byte(tt.in)); got != tt.want {
			t.Errorf("IsBinary(%d bytes, NUL at %d) = %v, want %v", len(tt.in), strings.IndexByte(tt.in, 0), got, tt.want)
		}
	}
}
