package config_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners"
)

var ignoreUnexported = cmpopts.IgnoreUnexported(config.Settings{})

func TestParseSettingsExampleIsTyped(t *testing.T) {
	data, err := os.ReadFile("testdata/shiftward.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	got, probs := config.ParseSettings("", data)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	src := func(line int) string { return fmt.Sprintf(".shiftward.yml:%d", line) }
	line := func(substr string) int {
		t.Helper()
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, substr) {
				return i + 1
			}
		}
		t.Fatalf("%q not in the example", substr)
		return 0
	}
	want := &config.Settings{
		File:     ".shiftward.yml",
		Version:  1,
		FailOn:   scanners.SeverityHigh,
		Comments: config.Comments{Mode: config.CommentReview, MaxInline: 30},
		Scanners: config.Scanners{
			Secrets: config.Secrets{
				Scanner: config.Scanner{Enabled: true, IgnorePaths: []config.Glob{{Pattern: "**/testdata/**", Source: src(line(`"**/testdata/**"`))}}},
				Rules: []config.SecretRule{{
					ID: "acme-api-key", Description: "ACME API key", Regex: "acme_(live|test)_[0-9a-zA-Z]{32}",
					Keywords: []string{"acme_"}, Entropy: 3.5, Severity: scanners.SeverityCritical,
					Paths: []string{"services/**"}, Source: src(line("- id: acme-api-key")),
				}},
			},
			Deps: config.Scanner{Enabled: true},
			Code: config.Code{Scanner: config.Scanner{Enabled: true}, Rules: []config.CodeRule{{
				ID: "no-shell-helpers", Description: "Run commands through internal/run, which logs and sandboxes them",
				Languages: []string{"python"}, Calls: []string{"os.system", "subprocess.*"}, When: "nonconst",
				Severity: scanners.SeverityHigh, References: []string{"CWE-78"}, Paths: []string{"services/**"},
				Source: src(line("- id: no-shell-helpers")),
			}}},
			IaC: config.IaC{Scanner: config.Scanner{Enabled: false, IgnorePaths: []config.Glob{{Pattern: "examples/**", Source: src(line(`"examples/**"`))}}},
				Checks: []config.IaCCheck{{ID: "s3-bucket-owner-tag", RuleID: "iac/tf-s3-bucket-owner-tag", YAML: exampleCheckYAML, Paths: []string{"infra/**"},
					Source: src(line("- id: s3-bucket-owner-tag"))}}},
			Pipelines: config.Scanner{Enabled: true},
		},
		IgnorePaths: []config.Glob{
			{Pattern: "vendor", Source: src(line("  - vendor"))},
			{Pattern: "docs/**/*.md", Source: src(line(`"docs/**/*.md"`))},
		},
		Rules: map[string]config.RuleSetting{
			"secrets/generic-password": {Severity: scanners.SeverityMedium, Source: src(line("secrets/generic-password: medium"))},
			"secrets/jwt":              {Off: true, Source: src(line("secrets/jwt: off"))},
		},
		Ignores: []config.Ignore{
			{Fingerprint: "0123456789abcdef", Reason: "revoked test token kept for the integration fixture",
				Expires: time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC), Source: src(line("- fingerprint: 0123456789abcdef"))},
			{Rule: "secrets/private-key", Path: "test/certs/**", Reason: "throwaway keys generated for TLS tests",
				Source: src(line("- rule: secrets/private-key"))},
		},
		RequireSuppressionReview: true,
		Commands:                 config.Commands{Ignore: "suggest"},
	}
	if diff := cmp.Diff(want, got, ignoreUnexported); diff != "" {
		t.Errorf("ParseSettings(example) mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSettingsEmptyIsDefault(t *testing.T) {
	for _, in := range []string{"", "# nothing\n", "~\n", "---\n"} {
		got, probs := config.ParseSettings("", []byte(in))
		if len(probs) > 0 {
			t.Errorf("%q: problems %v", in, probs)
		}
		if diff := cmp.Diff(config.DefaultSettings(), got, ignoreUnexported); diff != "" {
			t.Errorf("%q: not the defaults (-want +got):\n%s", in, diff)
		}
	}
}

// TestParseSettingsKeepsWhatItUnderstood: one broken part does not discard the
// rest, and a broken ignore entry or rule setting is dropped rather than
// half-applied.
func TestParseSettingsKeepsWhatItUnderstood(t *testing.T) {
	in := `fail_on: critical
comments:
  mode: loud
scanners:
  iac:
    enabled: false
rules:
  secrets/jwt: off
  secrets/aws: meh
ignore:
  - rule: secrets/jwt
  - rule: secrets/aws
    reason: fixtures
    path: "test/[x"
  - fingerprint: 0123456789abcdef
    reason: known
ignore_paths: ["vendor/**", "a/{b"]
`
	got, probs := config.ParseSettings("sub/.shiftward.yml", []byte(in))
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	wantMsgs := []string{
		`sub/.shiftward.yml:3:9: comments.mode must be one of review, check-only, summary-only, not "loud"`,
		`sub/.shiftward.yml:9:16: rules.secrets/aws must be off or a severity (info, low, medium, high, critical), not "meh"`,
		`sub/.shiftward.yml:11:5: an ignore entry needs a reason`,
		`sub/.shiftward.yml:14:11: path: "test/[x" is not a valid glob (unclosed [ or {, or a trailing \)`,
		`sub/.shiftward.yml:17:29: ignore_paths: "a/{b" is not a valid glob (unclosed [ or {, or a trailing \)`,
	}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if got.FailOn != scanners.SeverityCritical || got.Comments.Mode != config.CommentReview || got.Scanners.IaC.Enabled {
		t.Errorf("fail_on %v, mode %q, iac %v; want critical, review (default for the broken value), false", got.FailOn, got.Comments.Mode, got.Scanners.IaC.Enabled)
	}
	if _, ok := got.Rules["secrets/aws"]; ok || !got.Rules["secrets/jwt"].Off {
		t.Errorf("rules = %v, want only secrets/jwt off", got.Rules)
	}
	if len(got.Ignores) != 1 || got.Ignores[0].Fingerprint != "0123456789abcdef" {
		t.Errorf("ignores = %+v, want only the fingerprint entry", got.Ignores)
	}
	if len(got.IgnorePaths) != 1 || got.IgnorePaths[0].Pattern != "vendor/**" {
		t.Errorf("ignore_paths = %+v, want only vendor/**", got.IgnorePaths)
	}
}

func TestParseSettingsLimits(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"oversize", "# " + strings.Repeat("x", config.MaxRepoBytes) + "\n", "1:1 the file is 262147 bytes, over the limit of 262144; it is ignored"},
		{"alias bomb", laughs(), "the file expands to more than 100000 YAML nodes"},
		{"problem flood", "ignore:\n" + strings.Repeat("  - {a: 1}\n", 500), "more problems are not shown"},
		{"too many ignore_paths", "ignore_paths:\n" + strings.Repeat("  - a\n", 1001), "1002:5 ignore_paths has more than 1000 entries"},
		{"long pattern", "ignore_paths: [" + strings.Repeat("a", 600) + "]", "1:16 ignore_paths: the pattern is 600 bytes, over the limit of 512"},
		{"long regex", "scanners: {secrets: {rules: [{id: a, regex: " + strings.Repeat("a", 5000) + "}]}}", "1:45 regex: the pattern is 5000 bytes, over the limit of 4096"},
		{"nested repeat", "scanners: {secrets: {rules: [{id: a, regex: '(a{1000}){1000}'}]}}", "1:45 regex: error parsing regexp: invalid repeat count"},
		{"aliases", "x: &a 1\n", `1:1 unknown key "x" in the file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, probs := config.ParseSettings("", []byte(tt.in))
			if cfg == nil || len(probs) == 0 {
				t.Fatalf("cfg %v, problems %v; want a config and a problem", cfg, probs)
			}
			found := false
			for _, p := range probs {
				if strings.Contains(fmt.Sprintf("%d:%d %s", p.Line, p.Column, p.Message), tt.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %v; want one containing %q", probs, tt.want)
			}
		})
	}
}

// laughs is an alias bomb aimed where the parser does descend: a list of
// ignore entries that all alias one large mapping.
func laughs() string {
	var b strings.Builder
	b.WriteString("ignore:\n  - &e {")
	for i := range 2000 {
		fmt.Fprintf(&b, "k%d: 1, ", i)
	}
	b.WriteString("reason: x}\n")
	b.WriteString(strings.Repeat("  - *e\n", 999))
	return b.String()
}

func TestProblemString(t *testing.T) {
	p := config.Problem{File: "a/.shiftward.yml", Line: 3, Column: 7, Message: "bad"}
	if got := p.String(); got != "a/.shiftward.yml:3:7: bad" {
		t.Errorf("String() = %q", got)
	}
	p.Column = 0
	if got := p.String(); got != "a/.shiftward.yml:3: bad" {
		t.Errorf("String() without column = %q", got)
	}
}

func FuzzParseSettings(f *testing.F) {
	for _, kind := range []string{"valid", "invalid"} {
		files, _ := os.ReadDir("testdata/" + kind)
		for _, e := range files {
			b, err := os.ReadFile("testdata/" + kind + "/" + e.Name())
			if err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("\x00\xff: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		cfg, probs := config.ParseSettings("", data)
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("ParseSettings took %v on %d bytes", d, len(data))
		}
		if cfg == nil {
			t.Fatal("nil config")
		}
		for _, p := range probs {
			if p.Message == "" || p.Line < 0 || p.Column < 0 {
				t.Fatalf("malformed problem %+v", p)
			}
		}
		// Whatever was accepted is within bounds and usable.
		if cfg.Comments.MaxInline < 0 || cfg.Comments.MaxInline > 200 {
			t.Fatalf("max_inline %d out of bounds", cfg.Comments.MaxInline)
		}
		for _, ig := range cfg.Ignores {
			if ig.Reason == "" || (ig.Fingerprint == "" && ig.Rule == "") {
				t.Fatalf("accepted an ignore entry without reason or target: %+v", ig)
			}
		}
		_ = cfg.Policy()
	})
}
