package main

import (
	"slices"
	"testing"
)

// TestScanAppliesRepoIaCChecks: a local scan runs the IaC checks of the
// base's .shiftward.yml beside the built-in ones, in their paths only.
func TestScanAppliesRepoIaCChecks(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := writer(t, dir)
	write(".shiftward.yml", `version: 1
scanners:
  iac:
    checks:
      - id: s3-owner-tag
        title: S3 bucket has no owner tag
        severity: high
        why: Buckets without an owner are never cleaned up.
        fix: Add an owner tag.
        resources: [aws_s3_bucket]
        fail:
          - {path: tags.owner, missing: true}
        paths: ["infra/**"]
`)
	write("README.md", "# x\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")

	const tf = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n"
	write("infra/s3.tf", tf)
	write("modules/s3/main.tf", tf)

	out, code, text := scanJSON(t, "--base", "main", "--scanners", "iac", dir)
	var at []string
	for _, f := range out.Findings {
		if f.RuleID == "iac/tf-s3-owner-tag" {
			at = append(at, f.Path)
		}
	}
	if !slices.Equal(at, []string{"infra/s3.tf"}) {
		t.Errorf("iac/tf-s3-owner-tag in %q, want infra/s3.tf only (paths):\n%s", at, text)
	}
	if code&1 == 0 {
		t.Errorf("exit %d: the check's high finding must fail the scan", code)
	}
}
