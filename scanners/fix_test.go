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
	}
	for _, tt := range tests {
		got, err := scanners.ApplyFixes([]byte(tt.content), tt.fixes)
		if (err != nil) != tt.err || string(got) != tt.want {
			t.Errorf("%s: ApplyFixes = %q, %v; want %q (error %v)", tt.name, got, err, tt.want, tt.err)
		}
	}
}
