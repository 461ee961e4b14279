package pipelines

import (
	"strings"
	"testing"
)

// TestScriptSinks names, for the expression marked X in each script, what
// the shell does with the text there: a plain word or an argument taken as
// data (no sink: the env: fix is right), or code.
func TestScriptSinks(t *testing.T) {
	const x = "${{ github.event.issue.title }}"
	for _, c := range []struct {
		script string
		kind   sinkKind
		cmd    string
	}{
		{"echo X", sinkNone, ""},
		{`echo "title: X"`, sinkNone, ""},
		{"gh issue comment 1 --body \"X\"", sinkNone, ""},
		{`git commit -m "X"`, sinkNone, ""},
		{"ssh-keyscan github.com >> known_hosts; echo \"X\"", sinkNone, ""},
		{"echo \"X\" | tee title.txt", sinkNone, ""},
		{"echo \"X\" >> \"$GITHUB_OUTPUT\"", sinkNone, ""},
		{"echo \"X\" >> \"$GITHUB_STEP_SUMMARY\"", sinkNone, ""},
		{"eval 'true'\necho \"X\"", sinkNone, ""},
		{"cat <<'EOF'\nit's eval bash -c\nEOF\necho \"X\"", sinkNone, ""},
		{"cat <<-EOF\n\tbody\n\tEOF\necho X", sinkNone, ""},
		{"grep -c x <<< \"X\"", sinkNone, ""},
		{"echo ${{ format('{0}', github.sha) }} \"X\"", sinkNone, ""},
		{"eval \"X\"", sinkEval, "eval"},
		{"if true; then eval \"echo X\"; fi", sinkEval, "eval"},
		{"bash -e -c \"echo X\"", sinkEval, "bash -e -c"},
		{"docker run --rm img sh -c \\\n  \"echo X\"", sinkEval, "sh -c"},
		{"echo \"$(eval echo X)\"", sinkEval, "eval"},
		{"python3 -c \"print('X')\"", sinkEval, "python3 -c"},
		{"node -e \"console.log('X')\"", sinkEval, "node -e"},
		{"perl -i -pe \"s/a/X/\" f", sinkEval, "perl -i -pe"},
		{"pwsh -Command \"Write-Host X\"", sinkEval, "pwsh -Command"},
		{"ssh deploy@host \"echo X\"", sinkEval, "ssh"},
		{"sed -i \"s/a/X/\" f", sinkEval, "sed"},
		{"jq \".t == \\\"X\\\"\" event.json", sinkEval, "jq"},
		{"awk \"{print X}\" f", sinkEval, "awk"},
		{"source <(echo \"X\")", sinkEval, "source"},
		{"echo \"X\" | bash", sinkEval, "a pipe into bash"},
		{"echo \"X\" | sudo -E sh", sinkEval, "a pipe into sh"},
		{"echo \"X\" | xargs -n1 echo", sinkEval, "a pipe into xargs"},
		{"eval \"$(echo X)\"", sinkEval, "eval"},
		{"echo \"$(echo X)\" | bash", sinkEval, "a pipe into bash"},
		{"bash -c \"$(printf '%s' X)\"", sinkEval, "bash -c"},
		{"echo \"$(echo X) (note)\" | tee f", sinkNone, ""},
		{"echo \"T=$(echo X)\" >> $GITHUB_ENV", sinkEnvFile, ""},
		{"echo \"T=X (note)\" >> $GITHUB_ENV", sinkEnvFile, ""},
		{"echo \"::set-output name=t::X\"", sinkWorkflowCommand, ""},
		{"echo ::warning::X", sinkWorkflowCommand, ""},
		{"echo \"T=X\" >> $GITHUB_ENV", sinkEnvFile, ""},
		{"echo \"X\" | tee -a \"${GITHUB_PATH}\"", sinkEnvFile, ""},
		{"{\n  echo \"T=X\"\n} >> \"$GITHUB_ENV\"", sinkEnvFile, ""},
		{"cat > run.sh <<EOF\necho X\nEOF\nbash run.sh", sinkHeredoc, ""},
		{"cat <<A <<B\na\nA\nX\nB", sinkHeredoc, ""},
		{"cat <<EOF\nnever closed\nX", sinkHeredoc, ""},
	} {
		script := strings.Replace(c.script, "X", x, 1)
		o := strings.Index(script, x)
		got := viewScript(script).sinkAt(o)
		if got.kind != c.kind || (c.cmd != "" && got.cmd != c.cmd) {
			t.Errorf("%q: sink %d %q, want %d %q", c.script, got.kind, got.cmd, c.kind, c.cmd)
		}
		if got.kind != sinkNone && !strings.Contains(sinkAdvice(got, "ISSUE_TITLE"), "ISSUE_TITLE") {
			t.Errorf("%q: the advice does not name the variable: %s", c.script, sinkAdvice(got, "ISSUE_TITLE"))
		}
	}
}

// TestScriptSinksBounded checks a script past the bounds gets no fix.
func TestScriptSinksBounded(t *testing.T) {
	if v := viewScript(strings.Repeat("echo x\n", maxSinkScript/7+1)); v.sinkAt(0).kind != sinkEval {
		t.Error("a script over maxSinkScript is followed")
	}
	v := viewScript("echo x")
	for range maxSinkSites {
		if v.sinkAt(0).kind != sinkNone {
			t.Fatal("a plain echo is not plain")
		}
	}
	if v.sinkAt(0).kind != sinkEval {
		t.Error("more than maxSinkSites offsets followed")
	}
}

// FuzzScriptView checks the view of any script, asked about any offset,
// neither panics nor loses its masks' length.
func FuzzScriptView(f *testing.F) {
	for _, s := range []string{"echo \"${{ x }}\" | bash", "cat <<EOF\n${{ x }}\nEOF", "a \\\n\"$(eval '", "<<-'A'\n\tA\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := viewScript(s)
		if v == nil {
			return
		}
		if len(v.masked) != len(s) || len(v.q) != len(s)+1 || len(v.body) != len(s) {
			t.Fatalf("lengths %d %d %d for %d", len(v.masked), len(v.q), len(v.body), len(s))
		}
		for o := 0; o < len(s) && o < maxSinkSites; o++ {
			_ = v.sinkAt(o)
		}
	})
}
