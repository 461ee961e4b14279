package main

import (
	"slices"
	"strings"
	"testing"
)

// TestScanAppliesTheServersPolicy: a local scan reviews a change under
// what the server would apply, read at the base: the repository's own code
// rules and a subdirectory's .shiftward.yml (which ignores its files), and
// notes on the .shiftward.yml the change edits, which applies once merged.
func TestScanAppliesTheServersPolicy(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := writer(t, dir)
	write(".shiftward.yml", `version: 1
scanners:
  code:
    rules:
      - id: no-shell-helpers
        description: Run commands through internal/run
        languages: [python]
        calls: ["os.system"]
        severity: high
`)
	write("legacy/.shiftward.yml", "version: 1\nignore_paths: [\"**\"]\n")
	write("README.md", "# x\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")

	const py = "import os\n\ndef run(cmd):\n    os.system(\"ls\")\n"
	write("app.py", py)
	write("legacy/old.py", py)
	write(".shiftward.yml", "version: 1\nfail_on: critical\n")

	out, code, text := scanJSON(t, "--base", "main", "--scanners", "code", dir)
	var at []string
	for _, f := range out.Findings {
		if f.RuleID == "code/no-shell-helpers" {
			at = append(at, f.Path)
		}
	}
	if !slices.Equal(at, []string{"app.py"}) {
		t.Errorf("code/no-shell-helpers in %q, want app.py only (legacy/ ignores itself):\n%s", at, text)
	}
	if code&1 == 0 {
		t.Errorf("exit %d: the base's fail_on (high) must apply, not the change's (critical)", code)
	}
	if !strings.Contains(strings.Join(out.Notes, "\n"), "after merge: fail_on changes") {
		t.Errorf("notes %q do not say what the edited .shiftward.yml will change", out.Notes)
	}
}
