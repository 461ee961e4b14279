package review

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/config"
)

func TestConfigEffects(t *testing.T) {
	parse := func(s string) *config.Settings {
		r, problems := config.ParseSettings("", []byte(s))
		if len(problems) > 0 {
			t.Fatalf("%q: %v", s, problems)
		}
		return r
	}
	base := parse("version: 1\nignore_paths: [vendor]\nrules:\n  secrets/jwt: medium\n")
	head := parse(`version: 1
fail_on: critical
ignore_paths: [vendor, "docs/**"]
scanners:
  secrets:
    enabled: false
rules:
  secrets/jwt: off
ignore:
  - rule: secrets/private-key
    path: "test/**"
    reason: test keys
`)
	want := []string{
		"after merge: fail_on changes from the server's default to critical",
		"after merge: the secrets scanner is off",
		"after merge: all findings in docs/** are ignored",
		"after merge: rule secrets/jwt is off",
		"after merge: secrets/private-key in test/** is accepted (reason: test keys)",
	}
	if diff := cmp.Diff(want, configEffects(base, head)); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
	if got := configEffects(base, base); len(got) != 0 {
		t.Errorf("no change reported %v", got)
	}
}
