package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// TestCustomizeIaCChecks: a policy with IaC checks gets an iac scanner that
// runs them beside the built-in ones; a merged list iac refuses (more
// checks than one repository may bring) is a problem and the built-in
// checks run instead.
func TestCustomizeIaCChecks(t *testing.T) {
	settings, probs := config.ParseSettings("", []byte(ownerTagConfig))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	list := []scanners.Scanner{iac.New()}
	got, problems := app.Customize(list, &review.Policy{Settings: settings}, nil)
	if len(problems) > 0 || got[0] == list[0] {
		t.Fatalf("Customize = %v, %v; want the iac scanner replaced, no problem", got, problems)
	}
	fs, err := got[0].Scan(context.Background(), &scanners.Input{Path: "infra/s3.tf", Content: []byte(untaggedBucket), New: true,
		Added: []scanners.Line{{Number: 1, Text: `resource "aws_s3_bucket" "logs" {`}}})
	if err != nil || !iacHasRule(fs, "iac/tf-s3-owner-tag") || !iacAnyBuiltin(fs) {
		t.Errorf("Scan = %v, %v; want iac/tf-s3-owner-tag beside built-in findings", iacRuleIDs(fs), err)
	}

	one := settings.Scanners.IaC.Checks[0]
	for i := range iac.MaxRepoChecks + 1 {
		c := one
		c.ID = fmt.Sprintf("c%d", i)
		c.YAML = strings.Replace(one.YAML, "id: s3-owner-tag", "id: "+c.ID, 1)
		settings.Scanners.IaC.Checks = append(settings.Scanners.IaC.Checks, c)
	}
	got, problems = app.Customize(list, &review.Policy{Settings: settings}, nil)
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "iac checks (.shiftward.yml): 202 checks: at most 200; the built-in checks ran instead") || got[0] != list[0] {
		t.Errorf("problems %q, scanner replaced %v; want the bound as a problem and the built-in scanner", problems, got[0] != list[0])
	}
}

func iacHasRule(fs []scanners.Finding, id string) bool {
	for _, f := range fs {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// anyBuiltin reports whether fs holds a finding of a built-in rule.
func iacAnyBuiltin(fs []scanners.Finding) bool {
	for _, f := range fs {
		if f.RuleID != "iac/tf-s3-owner-tag" {
			return true
		}
	}
	return false
}

func iacRuleIDs(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	return out
}
