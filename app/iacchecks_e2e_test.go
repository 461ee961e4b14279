package app_test

import (
	"fmt"
	"strings"
	"testing"
)

// ownerTagConfig is a base .shiftward.yml with a repository's own IaC
// check, limited to infra/.
const ownerTagConfig = `version: 1
fail_on: low
scanners:
  iac:
    checks:
      - id: s3-owner-tag
        title: S3 bucket has no owner tag (acme policy)
        severity: medium
        why: Buckets without an owner are never cleaned up.
        fix: Add an owner tag.
        resources: [aws_s3_bucket]
        fail:
          - {path: tags.owner, missing: true}
        paths: ["infra/**"]
`

// untaggedBucket violates ownerTagConfig's check (and, on its own, no
// built-in check that the assertions below count).
const untaggedBucket = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n"

// TestEndToEndRepoIaCCheck: an IaC check of the base's .shiftward.yml runs
// beside the built-in ones and reports a Terraform file the pull request
// adds, in its paths only.
func TestEndToEndRepoIaCCheck(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte(ownerTagConfig))
	for _, p := range []string{"infra/s3.tf", "modules/s3/main.tf"} {
		e.fake.SetContent(owner, repo, headSHA, p, []byte(untaggedBucket))
	}
	e.setPull(addedFile("infra/s3.tf", untaggedBucket), addedFile("modules/s3/main.tf", untaggedBucket))
	e.startWorkers()
	e.deliver("pull_request", "iac-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	var own []string
	for _, a := range run.Annotations() {
		if strings.Contains(a.Title, "acme policy") {
			own = append(own, fmt.Sprintf("%s:%d", a.Path, a.StartLine))
		}
	}
	if fmt.Sprint(own) != "[infra/s3.tf:1]" || run.Conclusion != "failure" {
		t.Errorf("own check findings %v (conclusion %s), want only infra/s3.tf:1; annotations %+v", own, run.Conclusion, run.Annotations())
	}
	if !e.commentWith(1, "iac/tf-s3-owner-tag") {
		t.Errorf("no comment names iac/tf-s3-owner-tag; comments %+v", e.fake.Comments(owner, repo, prNumber))
	}

	// /shiftward explain knows the repository's own check too.
	e.deliver("issue_comment", "iac-2", commentPayload(t, 601, "reader", "/shiftward explain iac/tf-s3-owner-tag"))
	e.waitFor("the explanation", func() bool { return len(e.replies()) == 1 })
	if r := e.replies()[0]; !strings.Contains(r, "acme policy") || !strings.Contains(r, "never cleaned up") {
		t.Errorf("explanation = %q, want the repository's check", r)
	}
}
