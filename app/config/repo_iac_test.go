package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners/iac"
)

// exampleCheckYAML is the example's check as ParseSettings keeps it: a
// one-entry list without paths.
const exampleCheckYAML = `- id: s3-bucket-owner-tag
  title: S3 bucket has no owner tag
  severity: low
  why: Buckets without an owner are never cleaned up or reviewed.
  fix: Add ` + "`" + `tags = { owner = "team-name" }` + "`" + `.
  resources: [aws_s3_bucket]
  fail:
    - {path: tags.owner, missing: true}
  samples:
    - hit: true
      content: |
        resource "aws_s3_bucket" "b" {
          bucket = "logs"
        }
    - hit: false
      content: |
        resource "aws_s3_bucket" "b" {
          tags = { owner = "platform" }
        }
`

// iacCheck is a valid check entry in flow style.
func iacCheck(id, extra string) string {
	return iacCheckTitled(id, "t", extra)
}

func iacCheckTitled(id, title, extra string) string {
	return `{id: ` + id + `, title: ` + title + `, severity: low, why: w, fix: f, resources: [aws_s3_bucket], fail: [{path: tags.owner, missing: true}]` + extra + `}`
}

// TestParseIaCChecks: checks are kept with their YAML (which iac.ParseChecks
// reads back to the same rule id), paths and source, aliases expanded; the
// YAML of several joins into their list.
func TestParseIaCChecks(t *testing.T) {
	data := "cond: &owner {path: tags.owner, missing: true}\n" // an unknown top-level key: one problem, the checks still read
	data += "scanners:\n  iac:\n    checks:\n"
	data += "      - {id: owner-tag, title: t, severity: low, why: w, fix: f, resources: [aws_s3_bucket], fail: [*owner], paths: [infra/**]}\n"
	data += "      - " + iacCheck("second", "") + "\n"
	got, probs := config.ParseSettings("", []byte(data))
	if len(probs) != 1 || !strings.Contains(probs[0].Message, `unknown key "cond"`) {
		t.Errorf("problems = %v, want only the unknown key cond", probs)
	}
	checks := got.Scanners.IaC.Checks
	if len(checks) != 2 {
		t.Fatalf("checks = %+v, want 2", checks)
	}
	if diff := cmp.Diff(config.IaCCheck{ID: "owner-tag", RuleID: "iac/tf-owner-tag", YAML: checks[0].YAML, Paths: []string{"infra/**"}, Source: ".shiftward.yml:5"}, checks[0]); diff != "" {
		t.Errorf("first check (-want +got):\n%s", diff)
	}
	if strings.Contains(checks[0].YAML, "paths") || strings.Contains(checks[0].YAML, "*owner") {
		t.Errorf("YAML keeps paths or an alias:\n%s", checks[0].YAML)
	}
	parsed, err := iac.ParseChecks([]byte(checks[0].YAML + checks[1].YAML))
	if err != nil || len(parsed) != 2 || parsed[0].ID() != "iac/tf-owner-tag" || parsed[1].ID() != "iac/tf-second" {
		t.Errorf("ParseChecks(joined YAML) = %v, %v; want iac/tf-owner-tag, iac/tf-second", parsed, err)
	}
}

// TestParseIaCChecksRefused: a bad entry is a problem at the entry (or at
// the key or id at fault) and is dropped whole; the others are kept.
func TestParseIaCChecksRefused(t *testing.T) {
	for _, tc := range []struct {
		name, entry, want string
	}{
		{"no fix", `{id: x, title: t, severity: low, why: w, resources: [a], fail: [{path: p, missing: true}]}`,
			`5:9 iac check "x": title, why and fix are required`},
		{"unknown key", iacCheck("x", ", resource: [b]"), `5:129 unknown key "resource" in an iac check (did you mean "resources"?)`},
		{"built-in id", iacCheck("aws-kms-key-rotation", ""), `5:14 id "aws-kms-key-rotation" is a built-in check's`},
		{"bad id", iacCheck("Bad_ID", ""), `5:14 id must be 1 to 64 bytes of lower-case words`},
		{"twice", iacCheck("keep", ""), `5:14 an iac check with id "keep" is already defined`},
		{"bad regexp", `{id: x, title: t, severity: low, why: w, fix: f, resources: [a], fail: [{path: p, matches: "("}]}`,
			`5:9 iac check "x": matches: error parsing regexp`},
		{"bad paths", iacCheck("x", ", paths: [\"a[\"]"), `5:137 paths: "a[" is not a valid glob`},
		{"empty", ``, `5:8 an empty iac check`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := "scanners:\n  iac:\n    checks:\n      - " + iacCheck("keep", "") + "\n      - " + tc.entry + "\n"
			got, probs := config.ParseSettings("", []byte(data))
			if len(probs) != 1 {
				t.Fatalf("problems = %v, want one: %s", probs, tc.want)
			}
			if p := probs[0]; !strings.HasPrefix(fmtProblem(p), tc.want) {
				t.Errorf("problem\n got  %s\n want %s", fmtProblem(p), tc.want)
			}
			if len(got.Scanners.IaC.Checks) != 1 || got.Scanners.IaC.Checks[0].ID != "keep" {
				t.Errorf("checks = %+v, want only keep", got.Scanners.IaC.Checks)
			}
		})
	}
}

// TestParseIaCChecksBound: more than iac.MaxRepoChecks checks is a problem
// and the rest are not read.
func TestParseIaCChecksBound(t *testing.T) {
	var b strings.Builder
	b.WriteString("scanners:\n  iac:\n    checks:\n")
	for i := range iac.MaxRepoChecks + 1 {
		b.WriteString("      - " + iacCheck("c-"+strings.Repeat("a", 1+i%5)+string(rune('a'+i/26%26))+string(rune('a'+i%26)), "") + "\n")
	}
	got, probs := config.ParseSettings("", []byte(b.String()))
	if len(got.Scanners.IaC.Checks) != iac.MaxRepoChecks || len(probs) != 1 || !strings.Contains(probs[0].Message, "more than 200 entries") {
		t.Errorf("%d checks, problems %v; want %d and one problem", len(got.Scanners.IaC.Checks), probs, iac.MaxRepoChecks)
	}
}

// TestMergeIaCChecks: IaC checks merge like code rules: the repository's
// replaces the organisation's of the same id, a subdirectory's applies
// below it, and one already defined above is a problem.
func TestMergeIaCChecks(t *testing.T) {
	org := mustParse(t, "acme/.github:.shiftward.yml", "scanners: {iac: {checks: ["+iacCheck("owner-tag", "")+", "+iacCheck("cost-tag", "")+"]}}\n")
	repo := mustParse(t, ".shiftward.yml", "scanners: {iac: {checks: ["+iacCheckTitled("owner-tag", "repo", "")+"]}}\n")
	api := mustParse(t, "services/api/.shiftward.yml", "scanners: {iac: {checks: ["+iacCheck("api-tag", ", paths: [\"tf/*.tf\"]")+", "+iacCheck("cost-tag", "")+"]}}\n")
	got, probs := config.Merge(org, repo, api)
	var ids []string
	for _, c := range got.Scanners.IaC.Checks {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff([]string{"owner-tag", "cost-tag", "api-tag"}, ids); diff != "" {
		t.Errorf("check ids (-want +got):\n%s", diff)
	}
	if c := got.Scanners.IaC.Checks; len(c) == 3 && (!strings.Contains(c[0].YAML, "title: repo") || cmp.Diff([]string{"services/api/tf/*.tf"}, c[2].Paths) != "" || c[1].Paths != nil) {
		t.Errorf("checks = %+v, want owner-tag the repo's, cost-tag everywhere, api-tag below services/api/tf", c)
	}
	if len(probs) != 1 || probs[0].Message != `an IaC check with id "cost-tag" is already defined above this directory; ignored here` || probs[0].File != "services/api/.shiftward.yml" {
		t.Errorf("problems = %v", probs)
	}
}

func fmtProblem(p config.Problem) string { return fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Message) }
