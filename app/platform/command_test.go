package platform_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		body string
		want *platform.Command
	}{
		{"/shiftward rescan", &platform.Command{Name: "rescan", Line: "/shiftward rescan"}},
		{"LGTM\r\n  /shiftward  Explain   secrets/aws-key \r\n", &platform.Command{Name: "explain", Args: []string{"secrets/aws-key"}, Line: "/shiftward  Explain   secrets/aws-key"}},
		{"/shiftward", &platform.Command{Name: "help", Line: "/shiftward"}},
		{"/shiftwardrescan", nil},
		{"please /shiftward rescan", nil},
		{"> /shiftward rescan", nil},
		{"```\n/shiftward rescan\n```\n", nil},
		{"```\ncode\n```\n/shiftward help", &platform.Command{Name: "help", Line: "/shiftward help"}},
		{"/shiftward frobnicate now", &platform.Command{Name: "frobnicate", Args: []string{"now"}, Line: "/shiftward frobnicate now"}},
		{"", nil},
	}
	for _, tt := range tests {
		got, ok := platform.ParseCommand(tt.body)
		if ok != (tt.want != nil) {
			t.Errorf("ParseCommand(%q) ok = %v, want %v", tt.body, ok, tt.want != nil)
			continue
		}
		if ok {
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("ParseCommand(%q) (-want +got):\n%s", tt.body, diff)
			}
		}
	}
	long, _ := platform.ParseCommand("/shiftward ignore x " + strings.Repeat("é", 500))
	if len(long.Line) > 300 || !strings.HasPrefix(long.Line, "/shiftward ignore x é") || strings.ContainsRune(long.Line, '\uFFFD') {
		t.Errorf("long line kept as %d bytes, want at most 300 and whole characters", len(long.Line))
	}
}

// TestParseCommandMarkdown: a command counts only where CommonMark renders
// it as top-level paragraph text. The fence cases follow the spec's fenced
// code block examples (0.31.2, examples 119-147) with a command as content.
func TestParseCommandMarkdown(t *testing.T) {
	const c = "/shiftward rescan"
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"fenced", "```\n" + c + "\n```", false},
		{"tilde fenced", "~~~\n" + c + "\n~~~", false},
		{"tildes do not close backticks (ex 122)", "```\n~~~\n" + c + "\n```", false},
		{"backticks do not close tildes (ex 123)", "~~~\n```\n" + c + "\n~~~", false},
		{"a shorter fence does not close (ex 124)", "````\n```\n" + c + "\n``````", false},
		{"a shorter tilde fence does not close (ex 125)", "~~~~\n~~~\n" + c + "\n~~~~", false},
		{"unclosed fence runs to the end (ex 126)", "```\n" + c, false},
		{"unclosed fence ignores a shorter one (ex 127)", "`````\n\n```\n" + c, false},
		{"a quote's fence ends with the quote (ex 128)", "> ```\n> aaa\n\n" + c, true},
		{"closing fence indented 2 closes (ex 135)", "```\naaa\n  ```\n" + c, true},
		{"closing fence indented 4 does not close (ex 137)", "```\n    ```\n" + c + "\n```", false},
		{"a fence indented 4 is indented code (ex 134)", "    ```\n" + c + "\n    ```", true},
		{"backticks in a backtick info string: no fence (ex 138)", "``` ```\n" + c, true},
		{"a closing fence takes no info string (ex 139)", "~~~~~~\naaa\n~~~ ~~\n" + c, false},
		{"a closing fence with info is content (ex 146)", "```\n``` aaa\n" + c + "\n```", false},
		{"tilde info may hold backticks (ex 145)", "~~~ aa ``` ~~~\n" + c + "\n~~~", false},
		{"fences interrupt paragraphs (ex 140)", "foo\n```\n" + c + "\n```\nbaz", false},
		{"after the fence closes", "```\ncode\n```\n" + c, true},
		{"a tab-indented fence is indented code", "\t```\n" + c, true},
		{"fence in a list item, closed by the item's end", "- ```\n  code\n" + c, true},
		{"fence line after a list item opens a new fence", "- ```\n  x\n```\n" + c + "\n```", false},
		{"CR line endings", "```\r" + c + "\r```", false},
		{"indented code", "    " + c, false},
		{"tab-indented code", "\t" + c, false},
		{"indented continuation is not on its own line", "LGTM\n    " + c, false},
		{"continuation line", "LGTM\n" + c, true},
		{"HTML comment", "<!--\n" + c + "\n-->", false},
		{"after an HTML comment", "<!-- x -->\n" + c, true},
		{"inline HTML comment", "see <!--\n" + c + "\n-->", false},
		{"HTML block", "<details>\n" + c + "\n</details>", false},
		{"multi-line code span", "`\n" + c + "\n`", false},
		{"closed code span", "`x` and ``y``\n" + c, true},
		{"code span opened after a closed one", "` `` ` ``\n" + c + "\n``", false},
		{"code span after an escaped backtick", "\\` x `\n" + c + "\n`", false},
		{"link title", "[x](/u \"t\n" + c + "\n\")", false},
		{"link reference definition title", "[x]: /u '\n" + c + "\n'", false},
		{"GitLab math", "$$\n" + c + "\n$$", false},
		{"quote", "> " + c, false},
		{"lazy quote continuation", "> quoted\n" + c, false},
		{"after a quote", "> quoted\n\n" + c, true},
		{"GitLab multi-line quote", ">>>\n" + c + "\n>>>", false},
		{"after a GitLab multi-line quote", ">>>\nquoted\n>>>\n" + c, true},
		{"GitLab front matter", "---\n" + c + "\n---", false},
		{"list item", "- " + c, false},
		{"list item continuation", "- item\n\n  " + c, false},
		{"setext heading", c + "\n---", true},
		{
			"the bot's own ignore reply with a block scalar",
			"To accept rule `x`, commit this:\n\n<details><summary>.shiftward.yml</summary>\n\n```yaml\nversion: 1\nnote: |\n  ~~~\n  " + c + "\n  ~~~\n```\n\n</details>",
			false,
		},
		{"a fence sized to its content", "````yaml\nx: |\n  ```\n  " + c + "\n  ```\n````", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, ok := platform.ParseCommand(tt.body)
			if ok != tt.want {
				t.Errorf("ParseCommand(%q) = %+v, %v; want ok %v", tt.body, cmd, ok, tt.want)
			}
			if ok && cmd.Name != "rescan" {
				t.Errorf("command %q, want rescan", cmd.Name)
			}
		})
	}
}

// TestParseCommandBounded: nesting past the bound and long bodies stay
// linear and find no command in what they hide.
func TestParseCommandBounded(t *testing.T) {
	deep := strings.Repeat("> ", 100000) + "x\n" + strings.Repeat("/shiftward rescan\n", 20000)
	start := time.Now()
	if _, ok := platform.ParseCommand(deep); ok {
		t.Error("a command after 100000 nested quotes (lazy continuation lines) was found")
	}
	lists := strings.Repeat("1. ", 50000) + "x\n" + strings.Repeat("  /shiftward rescan\n", 20000)
	if _, ok := platform.ParseCommand(lists); ok {
		t.Error("a command inside nested lists was found")
	}
	var long strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&long, "a %s b <c> [d](e) $$ <!-- x --> ~~~ ```%d\n", strings.Repeat("`", i%50+1), i)
	}
	long.WriteString("/shiftward rescan\n")
	if _, ok := platform.ParseCommand(long.String()); ok {
		t.Error("a command after 20000 lines of backtick runs was found")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("hostile bodies took %v", d)
	}
}

// fenceFor is a code fence of c longer than any run of c in body.
func fenceFor(body string, c byte) string {
	longest, n := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == c {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return strings.Repeat(string(c), max(3, longest+1))
}

func FuzzParseCommand(f *testing.F) {
	f.Add("/shiftward ignore abc reason --until 2027-01-01")
	f.Add("```\n~~~\n/shiftward rescan\n```\n/shiftward help")
	f.Add("- a\n  > b\n    ```\n/shiftward rescan\n>>>\n<!--\n/shiftward rescan\n-->\n>>>")
	f.Add("x\r/shiftward rescan\r\n\t/shiftward help")
	f.Fuzz(func(t *testing.T, body string) {
		cmd, ok := platform.ParseCommand(body)
		if ok && (cmd.Name == "" || len(cmd.Line) > 300 || len(cmd.Args) > 20) {
			t.Fatalf("bad command %+v", cmd)
		}
		// Whatever the body holds, inside a fence sized to it, or quoted
		// line by line, it is never a command.
		for _, c := range []byte{'`', '~'} {
			fence := fenceFor(body, c)
			if cmd, ok := platform.ParseCommand(fence + "\n" + body + "\n" + fence); ok {
				t.Fatalf("command %+v found inside a %s fence", cmd, fence)
			}
		}
		quoted := "> " + strings.NewReplacer("\r\n", "\n> ", "\n", "\n> ", "\r", "\n> ").Replace(body)
		if cmd, ok := platform.ParseCommand(quoted); ok {
			t.Fatalf("command %+v found in a quote", cmd)
		}
	})
}
