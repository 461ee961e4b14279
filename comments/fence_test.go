package comments_test

import (
	"testing"

	"github.com/shiftward/shiftward/comments"
)

func TestCodeBlockOutgrowsItsContent(t *testing.T) {
	tests := []struct {
		info, content, want string
	}{
		{"yaml", "a: 1\n", "```yaml\na: 1\n```\n"},
		{"", "no newline", "```\nno newline\n```\n"},
		{"yaml", "x: |\n  ```\n  /shiftward rescan\n  ```\n", "````yaml\nx: |\n  ```\n  /shiftward rescan\n  ```\n````\n"},
		{"", "``````\n~~~~~~~~\n", "```````\n``````\n~~~~~~~~\n```````\n"},
		{"", "", "```\n```\n"},
	}
	for _, tt := range tests {
		if got := comments.CodeBlock(tt.info, tt.content); got != tt.want {
			t.Errorf("CodeBlock(%q, %q) = %q, want %q", tt.info, tt.content, got, tt.want)
		}
	}
}
