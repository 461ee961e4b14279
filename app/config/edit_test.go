package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
)

func TestAppendIgnore(t *testing.T) {
	until := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	fp := config.Ignore{Fingerprint: "0123456789abcdef", Reason: "test fixture: revoked", Expires: until}
	tests := []struct {
		name, in string
		ig       config.Ignore
		want     string
	}{
		{"empty file", "", fp, "ignore:\n  - fingerprint: \"0123456789abcdef\"\n    reason: 'test fixture: revoked'\n    expires: 2027-01-31\n"},
		{"no ignore list", "version: 1\nfail_on: high", config.Ignore{Rule: "secrets/jwt", Path: "test/**", Reason: "fixtures"},
			"version: 1\nfail_on: high\n\nignore:\n  - rule: secrets/jwt\n    path: \"test/**\"\n    reason: fixtures\n"},
		{"appended to the list, before the next key and its comment", "ignore:\n- rule: secrets/jwt\n  reason: old\n\n# strict\nrequire_suppression_review: true\n", fp,
			"ignore:\n- rule: secrets/jwt\n  reason: old\n- fingerprint: \"0123456789abcdef\"\n  reason: 'test fixture: revoked'\n  expires: 2027-01-31\n\n# strict\nrequire_suppression_review: true\n"},
		{"indented list at the end", "ignore:\n    - rule: secrets/jwt\n      reason: old # why\n", config.Ignore{Rule: "code/go-md5", Reason: "checksums, not security"},
			"ignore:\n    - rule: secrets/jwt\n      reason: old # why\n    - rule: code/go-md5\n      reason: checksums, not security\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.AppendIgnore([]byte(tt.in), tt.ig)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			repo, problems := config.ParseSettings(config.RepoFile, got)
			if len(problems) > 0 || len(repo.Ignores) == 0 || repo.Ignores[len(repo.Ignores)-1].Reason != tt.ig.Reason {
				t.Errorf("result parses to %+v, %v", repo.Ignores, problems)
			}
		})
	}
	for _, bad := range []struct{ in, why string }{
		{"ignore: []\n", "flow list"},
		{"fail_on: [\n", "not YAML"},
		{"- a\n", "not a mapping"},
		{"fail_on: extreme\n", "already invalid"},
	} {
		if _, err := config.AppendIgnore([]byte(bad.in), fp); err == nil {
			t.Errorf("%s: no error", bad.why)
		}
	}
	if _, err := config.AppendIgnore(nil, config.Ignore{Rule: "secrets/jwt"}); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Errorf("entry without a reason: %v", err)
	}
}
