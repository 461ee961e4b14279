package config_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
)

func TestSecretsVerifySetting(t *testing.T) {
	if config.DefaultSettings().Scanners.Secrets.Verify {
		t.Error("verification is on by default")
	}
	on := mustParse(t, ".shiftward.yml", "scanners: {secrets: {verify: true}}\n")
	if !on.Scanners.Secrets.Verify {
		t.Error("verify: true not read")
	}
	if off := mustParse(t, ".shiftward.yml", "scanners: {secrets: {enabled: true}}\n"); off.Scanners.Secrets.Verify {
		t.Error("verify on without being asked")
	}

	// The org's default holds unless the repository says otherwise.
	got, _ := config.Merge(on, mustParse(t, ".shiftward.yml", "fail_on: high\n"))
	if !got.Scanners.Secrets.Verify {
		t.Error("org default verify: true lost")
	}
	got, _ = config.Merge(on, mustParse(t, ".shiftward.yml", "scanners: {secrets: {verify: false}}\n"))
	if got.Scanners.Secrets.Verify {
		t.Error("repository's verify: false did not win over the org's")
	}

	// A subdirectory file cannot turn it on: it is change-wide.
	sub := mustParse(t, "services/api/.shiftward.yml", "scanners: {secrets: {verify: true}}\n")
	got, probs := config.Merge(nil, nil, sub)
	if got.Scanners.Secrets.Verify {
		t.Error("a subdirectory file turned verification on")
	}
	if len(probs) != 1 || !strings.Contains(probs[0].String(), "scanners.secrets.verify applies to the whole change") {
		t.Errorf("problems %v", probs)
	}
}

func TestSecretsVerifyFromEnv(t *testing.T) {
	for v, want := range map[string]bool{"": true, "on": true, "ON": true, "off": false, " Off ": false, "false": false} {
		got, err := config.SecretsVerifyFromEnv(env(map[string]string{config.EnvSecretsVerify: v}))
		if err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", v, got, err, want)
		}
	}
	if _, err := config.SecretsVerifyFromEnv(env(map[string]string{config.EnvSecretsVerify: "maybe"})); err == nil ||
		!strings.Contains(err.Error(), config.EnvSecretsVerify) {
		t.Errorf("maybe: %v, want an error naming the variable", err)
	}
	c, err := config.FromEnv(env(map[string]string{config.EnvSecretsVerify: "off"}))
	if err != nil || c.SecretsVerify {
		t.Errorf("FromEnv off: %v, %v", c.SecretsVerify, err)
	}
	if c, _ := config.FromEnv(env(nil)); !c.SecretsVerify {
		t.Error("FromEnv default: repositories may not ask")
	}
}
