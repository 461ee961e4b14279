package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
)

// TestScanJSONCarriesEveryEdit: `scan --format json` gives a fix of two
// edits whole: the line it replaces and the import it inserts ("also").
func TestScanJSONCarriesEveryEdit(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	gitRun(t, dir, "checkout", "-q", "-b", "feature")
	src := "from hashlib import md5\n\n\ndef digest(data):\n    return md5(data).hexdigest()\n"
	if err := os.WriteFile(filepath.Join(dir, "hash.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "feature")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--base", "main", "--format", "json", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, want 0 (a medium finding)\n%s\n%s", code, stdout.String(), stderr.String())
	}
	var out struct {
		Findings []struct {
			RuleID string        `json:"rule_id"`
			Fix    *scanners.Fix `json:"fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if len(out.Findings) != 1 || out.Findings[0].RuleID != "code/py-weak-hash" || out.Findings[0].Fix == nil {
		t.Fatalf("findings = %s", stdout.String())
	}
	fx := out.Findings[0].Fix
	want := []scanners.Edit{{StartLine: 5, EndLine: 5, Replacement: "    return sha256(data).hexdigest()"},
		{StartLine: 1, EndLine: 1, Replacement: "from hashlib import sha256", Insert: true}}
	if diff := cmp.Diff(want, fx.Edits()); diff != "" || fx.Inline() {
		t.Errorf("fix edits (-want +got):\n%s\ninline %v", diff, fx.Inline())
	}
	if !bytes.Contains(stdout.Bytes(), []byte(`"also": [`)) || !bytes.Contains(stdout.Bytes(), []byte(`"insert": true`)) {
		t.Errorf("JSON lacks the also edit:\n%s", stdout.String())
	}
}
