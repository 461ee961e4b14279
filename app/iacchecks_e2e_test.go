package app_test

import (
	"fmt"
	"slices"
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

// TestEndToEndTerraformThroughVariables: a pull request that only sets a
// variable in terraform.tfvars makes a database in an untouched module
// public; the worker reads the module at the head through the contents
// API, and the finding is on the changed tfvars line.
func TestEndToEndTerraformThroughVariables(t *testing.T) {
	e := newEnv(t)
	head := map[string]string{
		"infra/main.tf":            "module \"db\" {\n  source = \"./modules/db\"\n  public = var.public\n}\n",
		"infra/variables.tf":       "variable \"public\" {\n  default = false\n}\n",
		"infra/modules/db/main.tf": "variable \"public\" {\n  default = false\n}\nresource \"aws_db_instance\" \"main\" {\n  storage_encrypted   = true\n  publicly_accessible = var.public\n}\n",
		"infra/terraform.tfvars":   "region = \"eu-west-1\"\npublic = true\n",
	}
	for p, c := range head {
		e.fake.SetContent(owner, repo, headSHA, p, []byte(c))
	}
	e.setPull(addedFile("infra/terraform.tfvars", head["infra/terraform.tfvars"]))
	e.startWorkers()
	e.deliver("pull_request", "tfvars-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	var got []string
	for _, a := range run.Annotations() {
		got = append(got, fmt.Sprintf("%s:%d %s", a.Path, a.StartLine, a.Title))
	}
	if run.Conclusion != "failure" || !slices.Contains(got, "infra/terraform.tfvars:2 high: Database publicly accessible") {
		t.Fatalf("conclusion %s, annotations %q: want the public database on terraform.tfvars line 2", run.Conclusion, got)
	}
	if !e.commentWith(2, "iac/tf-public-database", "infra/modules/db/main.tf line 6", "var.public") {
		t.Errorf("no comment on terraform.tfvars line 2 names the module's resource and the variable; comments %+v", e.fake.Comments(owner, repo, prNumber))
	}
}
