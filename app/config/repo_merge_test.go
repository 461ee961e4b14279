package config_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners"
)

func mustParse(t *testing.T, file, in string) *config.Settings {
	t.Helper()
	r, probs := config.ParseSettings(file, []byte(in))
	if len(probs) > 0 {
		t.Fatalf("%s: %v", file, probs)
	}
	return r
}

func TestMergeOrgUnderRepo(t *testing.T) {
	org := mustParse(t, "org:.github/.shiftward.yml", `fail_on: medium
require_suppression_review: true
comments: {max_inline: 10}
scanners: {iac: {enabled: false}, secrets: {rules: [{id: acme, regex: 'acme_[a-z]{8}'}, {id: corp, regex: 'corp_[a-z]{8}'}]}}
rules: {secrets/jwt: "off", secrets/aws: low}
ignore_paths: [vendor]
`)
	repo := mustParse(t, ".shiftward.yml", `fail_on: critical
scanners: {iac: {ignore_paths: [x]}, secrets: {rules: [{id: acme, regex: 'acme_[A-Z]{8}', severity: low}]}}
rules: {secrets/aws: critical}
ignore_paths: [third_party]
`)
	got, probs := config.Merge(org, repo)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if got.FailOn != scanners.SeverityCritical {
		t.Errorf("fail_on = %v, want the repo's critical", got.FailOn)
	}
	if !got.RequireSuppressionReview || got.Comments.MaxInline != 10 {
		t.Errorf("require_suppression_review %v, max_inline %d: want the org's true and 10 where the repo is silent", got.RequireSuppressionReview, got.Comments.MaxInline)
	}
	if got.Scanners.IaC.Enabled {
		t.Error("iac enabled: the org switched it off and the repo did not switch it back on")
	}
	wantRules := map[string]config.RuleSetting{
		"secrets/jwt": {Off: true, Source: "org:.github/.shiftward.yml:5"},
		"secrets/aws": {Severity: scanners.SeverityCritical, Source: ".shiftward.yml:3"},
	}
	if diff := cmp.Diff(wantRules, got.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	var paths, ids []string
	for _, g := range got.IgnorePaths {
		paths = append(paths, g.Pattern)
	}
	for _, r := range got.Scanners.Secrets.Rules {
		ids = append(ids, r.ID+":"+r.Regex)
	}
	if diff := cmp.Diff([]string{"vendor", "third_party"}, paths); diff != "" {
		t.Errorf("ignore_paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"acme:acme_[A-Z]{8}", "corp:corp_[a-z]{8}"}, ids); diff != "" {
		t.Errorf("secret rules: the repo's acme replaces the org's (-want +got):\n%s", diff)
	}
	// Merge leaves its inputs alone.
	if len(org.IgnorePaths) != 1 || org.Rules["secrets/aws"].Severity != scanners.SeverityLow {
		t.Error("Merge modified org")
	}
}

func TestMergeSubdirectories(t *testing.T) {
	repo := mustParse(t, ".shiftward.yml", `rules: {secrets/jwt: high}
scanners: {deps: {enabled: false}}
`)
	api := mustParse(t, "services/api/.shiftward.yml", `fail_on: low
comments: {mode: check-only}
scanners: {deps: {enabled: true}, secrets: {ignore_paths: ["fixtures/**"], rules: [{id: api-key, regex: 'api_[a-z]{8}'}]}}
rules: {secrets/jwt: "off"}
ignore_paths: ["*.md"]
ignore:
  - rule: secrets/aws
    reason: sandbox keys
  - fingerprint: 0123456789abcdef
    path: "/cfg/**"
    reason: known
`)
	legacy := mustParse(t, "services/api/legacy/.shiftward.yml", `rules: {secrets/jwt: medium}
scanners: {secrets: {rules: [{id: api-key, regex: 'x_[a-z]{8}'}]}}
`)
	got, probs := config.Merge(nil, repo, legacy, nil, api)
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	wantMsgs := []string{
		"services/api/.shiftward.yml:1:10: fail_on applies to the whole change, so only the root .shiftward.yml may set it; ignored here",
		"services/api/.shiftward.yml:2:18: comments.mode applies to the whole change, so only the root .shiftward.yml may set it; ignored here",
		`services/api/legacy/.shiftward.yml:2: a secret rule with id "api-key" is already defined above this directory; ignored here`,
	}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if got.FailOn != scanners.SeverityUnknown || got.Comments.Mode != config.CommentReview {
		t.Errorf("a subdirectory changed change-wide options: fail_on %v mode %q", got.FailOn, got.Comments.Mode)
	}
	p := got.Policy()
	for _, tc := range []struct {
		scanner, path string
		want          bool
	}{
		{"deps", "go.mod", false},
		{"deps", "services/api/go.mod", true},
		{"deps", "services/api/legacy/go.mod", true},
		{"deps", "services/apiother/go.mod", false},
		{"secrets", "services/api/x.go", true},
	} {
		if got := p.ScannerEnabled(tc.scanner, tc.path); got != tc.want {
			t.Errorf("ScannerEnabled(%s, %s) = %v, want %v", tc.scanner, tc.path, got, tc.want)
		}
	}
	var globs []string
	for _, g := range p.IgnorePaths {
		globs = append(globs, g.Scanner+"|"+g.Pattern)
	}
	if diff := cmp.Diff([]string{"|services/api/*.md", "secrets|services/api/fixtures/**"}, globs); diff != "" {
		t.Errorf("ignore paths rooted at the directory (-want +got):\n%s", diff)
	}
	var ignores []string
	for _, ig := range got.Ignores {
		ignores = append(ignores, ig.Rule+ig.Fingerprint+"|"+ig.Path)
	}
	if diff := cmp.Diff([]string{"secrets/aws|services/api/**", "0123456789abcdef|services/api/cfg/**"}, ignores); diff != "" {
		t.Errorf("ignore entries scoped to the directory (-want +got):\n%s", diff)
	}
	if n := len(got.Scanners.Secrets.Rules); n != 1 || got.Scanners.Secrets.Rules[0].Paths[0] != "services/api/**" {
		t.Errorf("secret rules = %+v, want api-key limited to services/api/**", got.Scanners.Secrets.Rules)
	}
	wantScopes := []string{"services/api", "services/api/legacy"}
	var dirs []string
	for _, s := range got.Scopes {
		dirs = append(dirs, s.Dir)
	}
	if diff := cmp.Diff(wantScopes, dirs); diff != "" {
		t.Errorf("scopes sorted by directory (-want +got):\n%s", diff)
	}
}

func TestMergeNothing(t *testing.T) {
	got, probs := config.Merge(nil, nil)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if diff := cmp.Diff(config.DefaultSettings(), got, ignoreUnexported); diff != "" {
		t.Errorf("Merge(nil, nil) is not the defaults (-want +got):\n%s", diff)
	}
}

// TestMergeCodeRules: code rules merge like secret rules: the repository's
// replaces the organisation's of the same id, a subdirectory's applies
// below it, and one already defined above is a problem.
func TestMergeCodeRules(t *testing.T) {
	rule := func(id, call string) string {
		return `{id: ` + id + `, description: d, languages: [python], calls: ["` + call + `"]}`
	}
	org := mustParse(t, "acme/.github:.shiftward.yml", "scanners: {code: {rules: ["+rule("no-eval", "eval")+", "+rule("no-exec", "exec")+"]}}\n")
	repo := mustParse(t, ".shiftward.yml", "scanners: {code: {rules: ["+rule("no-eval", "builtins.eval")+"]}}\n")
	api := mustParse(t, "services/api/.shiftward.yml", "scanners: {code: {rules: ["+rule("no-shell", "os.system")+", "+rule("no-exec", "os.exec*")+"]}}\n")
	got, probs := config.Merge(org, repo, api)
	if len(got.Scanners.Code.Rules) != 3 || got.Scanners.Code.Rules[0].Calls[0] != "builtins.eval" || got.Scanners.Code.Rules[1].ID != "no-exec" ||
		got.Scanners.Code.Rules[2].ID != "no-shell" || cmp.Diff([]string{"services/api/**"}, got.Scanners.Code.Rules[2].Paths) != "" {
		t.Errorf("code rules = %+v, want no-eval (the repo's), no-exec (the org's), no-shell below services/api", got.Scanners.Code.Rules)
	}
	if len(probs) != 1 || probs[0].Message != `a code rule with id "no-exec" is already defined above this directory; ignored here` {
		t.Errorf("problems = %v", probs)
	}
}
