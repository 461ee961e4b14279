package pipelines_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// injectionWorkflow wraps the lines of one step (indented by six spaces
// already) in a workflow that is otherwise clean.
func injectionWorkflow(step string) []byte {
	return []byte("on: issues\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + step)
}

// TestInjectionFixOnlyWhereRight checks the script-injection fix (the
// expression moved into env: and referenced as $VAR) is offered only where
// the variable is a plain shell word or a double-quoted argument of a command
// that does not evaluate it; wherever the text is evaluated or emitted as
// code, $VAR would be spliced into that code just the same, so the finding
// stays without a fix and its message says how to fix it by hand.
func TestInjectionFixOnlyWhereRight(t *testing.T) {
	for _, c := range []struct {
		name string
		step string
		// fix: a fix is offered; then want is in its replacement.
		fix  bool
		want string
		// msg is in the message of the finding on the first line with
		// an untrusted expression.
		msg string
	}{
		{name: "plain word", fix: true, want: `echo "${ISSUE_TITLE}"`,
			step: "      - run: echo ${{ github.event.issue.title }}\n"},
		{name: "double-quoted argument", fix: true, want: `echo "Title: ${ISSUE_TITLE}"`,
			step: "      - run: |\n          echo \"Title: ${{ github.event.issue.title }}\"\n"},
		{name: "single-quoted argument", fix: true, want: `echo 'Title: '"${ISSUE_TITLE}"''`,
			step: "      - run: |\n          echo 'Title: ${{ github.event.issue.title }}'\n"},
		{name: "here-string is data", fix: true, want: `grep -q x <<< "${ISSUE_TITLE}"`,
			step: "      - run: grep -q x <<< \"${{ github.event.issue.title }}\"\n"},
		{name: "heredoc elsewhere in the script", fix: true, want: `echo "${ISSUE_TITLE}"`,
			step: "      - run: |\n          cat <<'EOF' > notes.txt\n          don't \"quote\" me\n          EOF\n" +
				"          echo \"${{ github.event.issue.title }}\"\n"},
		{name: "set-output workflow command", msg: "$GITHUB_OUTPUT",
			step: "      - run: echo \"::set-output name=title::${{ github.event.issue.title }}\"\n"},
		{name: "printf workflow command", msg: "workflow command",
			step: "      - run: printf '::notice::%s\\n' \"${{ github.event.issue.title }}\"\n"},
		{name: "written to GITHUB_ENV", msg: "$GITHUB_ENV",
			step: "      - run: echo \"TITLE=${{ github.event.issue.title }}\" >> \"$GITHUB_ENV\"\n"},
		{name: "group written to GITHUB_ENV", msg: "$GITHUB_ENV",
			step: "      - run: |\n          {\n            echo \"TITLE=${{ github.event.issue.title }}\"\n          } >> \"$GITHUB_ENV\"\n"},
		{name: "eval", msg: "`eval`",
			step: "      - run: eval \"echo ${{ github.event.issue.title }}\"\n"},
		{name: "bash -c", msg: "`bash -c`",
			step: "      - run: bash -c \"echo ${{ github.event.issue.title }}\"\n"},
		{name: "sh -c over a continued line", msg: "`sh -c`",
			step: "      - run: |\n          docker run --rm alpine sh -c \\\n            \"echo ${{ github.event.issue.title }}\"\n"},
		{name: "python -c", msg: "os.environ",
			step: "      - run: python3 -c \"print('${{ github.event.issue.title }}')\"\n"},
		{name: "sed script", msg: "`sed`",
			step: "      - run: sed -i \"s/TITLE/${{ github.event.issue.title }}/\" notes.md\n"},
		{name: "ssh remote command", msg: "`ssh`",
			step: "      - run: ssh deploy@host \"echo ${{ github.event.issue.title }}\"\n"},
		{name: "heredoc body", msg: "heredoc",
			step: "      - run: |\n          cat <<EOF > greet.sh\n          echo \"${{ github.event.issue.title }}\"\n          EOF\n          bash greet.sh\n"},
		{name: "github-script", msg: "process.env.ISSUE_TITLE",
			step: "      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7\n" +
				"        with:\n          script: |\n            const t = \"${{ github.event.issue.title }}\"\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := injectionWorkflow(c.step)
			fs, err := scanWhole(t, ".github/workflows/a.yml", src, nil)
			if err != nil {
				t.Fatal(err)
			}
			var inj []scanners.Finding
			for _, f := range fs {
				if f.RuleID != "pipelines/script-injection" {
					t.Errorf("unexpected %s at %d: %s", f.RuleID, f.Location.StartLine, f.Message)
					continue
				}
				inj = append(inj, f)
			}
			if len(inj) != 1 {
				t.Fatalf("%d script-injection findings, want 1: %+v", len(inj), fs)
			}
			f := inj[0]
			if !c.fix {
				if f.Fix != nil {
					t.Errorf("a fix where $VAR is still spliced into code:\n%s", f.Fix.Replacement)
				}
				if !strings.Contains(f.Message, c.msg) {
					t.Errorf("message does not say %q:\n%s", c.msg, f.Message)
				}
				return
			}
			if f.Fix == nil {
				t.Fatalf("no fix: %s", f.Message)
			}
			if !strings.Contains(f.Fix.Replacement, c.want) {
				t.Errorf("fix does not hold %q:\n%s", c.want, f.Fix.Replacement)
			}
			after, err := scanWhole(t, ".github/workflows/a.yml", applyFix(t, src, f.Fix), nil)
			if err != nil || len(after) != 0 {
				t.Errorf("after the fix: %v %+v", err, after)
			}
		})
	}
}

// TestInjectionFixLeavesEvaluatedSites checks a script with a safe and an
// evaluated use of two untrusted values, in either order: the one fix moves
// the safe one only and rides on its finding, and the evaluated one is
// still reported, without a fix. The same value used both ways gets no fix
// at all (the evaluated use would keep the finding).
func TestInjectionFixLeavesEvaluatedSites(t *testing.T) {
	const safe, evaluated = "          echo \"${{ github.event.issue.title }}\"\n", "          eval \"${{ github.event.issue.body }}\"\n"
	for name, script := range map[string]string{"safe first": safe + evaluated, "evaluated first": evaluated + safe} {
		t.Run(name, func(t *testing.T) {
			src := injectionWorkflow("      - run: |\n" + script)
			fs, err := scanWhole(t, ".github/workflows/a.yml", src, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 2 {
				t.Fatalf("got %d findings, want 2: %+v", len(fs), fs)
			}
			var fixed *scanners.Fix
			for _, f := range fs {
				switch {
				case strings.Contains(f.Evidence, "issue.title") && f.Fix != nil:
					fixed = f.Fix
				case f.Fix != nil:
					t.Errorf("a fix on the evaluated value (line %d):\n%s", f.Location.StartLine, f.Fix.Replacement)
				}
			}
			if fixed == nil {
				t.Fatal("no fix on the echo")
			}
			out := applyFix(t, src, fixed)
			if strings.Contains(string(out), "ISSUE_BODY") || !strings.Contains(string(out), evaluated) {
				t.Errorf("the fix touches the evaluated value:\n%s", out)
			}
			after, err := scanWhole(t, ".github/workflows/a.yml", out, nil)
			if err != nil || len(after) != 1 || !strings.Contains(after[0].Evidence, "issue.body") || after[0].Fix != nil {
				t.Errorf("after the fix: %v %+v", err, after)
			}
		})
	}
	src := injectionWorkflow("      - run: |\n" + safe + strings.Replace(safe, "echo", "eval", 1))
	fs, err := scanWhole(t, ".github/workflows/a.yml", src, nil)
	if err != nil || len(fs) != 2 {
		t.Fatalf("one value used twice: %v %+v", err, fs)
	}
	for _, f := range fs {
		if f.Fix != nil {
			t.Errorf("a fix although the same value stays evaluated:\n%s", f.Fix.Replacement)
		}
	}
}
