package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners"
)

const fakePEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnvDefaults(t *testing.T) {
	c, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.Workers != 4 || c.MaxAttempts != 5 || c.JobTimeout != 10*time.Minute ||
		c.FailOn != scanners.SeverityHigh || c.GitHub.APIURL != config.DefaultGitHubAPIURL || c.RedisURL != "" {
		t.Errorf("defaults = %+v", c)
	}
	if err := c.RequirePlatform(); err == nil || !strings.Contains(err.Error(), config.EnvGitHubAppID) {
		t.Errorf("RequirePlatform() = %v, want an error naming %s", err, config.EnvGitHubAppID)
	}
}

func TestFromEnvGitHub(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(keyFile, []byte(fakePEM), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.FromEnv(env(map[string]string{
		config.EnvGitHubAppID:                 "123",
		config.EnvGitHubPrivateKeyFile:        keyFile,
		config.EnvGitHubWebhookSecret:         "new",
		config.EnvGitHubWebhookSecretPrevious: "old",
		config.EnvGitHubAPIURL:                "https://ghe.example.com/api/v3/",
		config.EnvFailOn:                      "MEDIUM",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.GitHub.AppID != 123 || string(c.GitHub.PrivateKey) != fakePEM || len(c.GitHub.WebhookSecrets) != 2 ||
		string(c.GitHub.WebhookSecrets[0]) != "new" || c.FailOn != scanners.SeverityMedium {
		t.Errorf("got %+v", c.GitHub)
	}
	if err := c.RequirePlatform(); err != nil {
		t.Errorf("RequirePlatform() = %v", err)
	}
}

func TestFromEnvErrorsNameTheVariable(t *testing.T) {
	full := map[string]string{
		config.EnvGitHubAppID:         "1",
		config.EnvGitHubPrivateKey:    fakePEM,
		config.EnvGitHubWebhookSecret: "s",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantVar string
	}{
		{"app id not a number", with(config.EnvGitHubAppID, "abc"), config.EnvGitHubAppID},
		{"app id missing", with(config.EnvGitHubAppID, ""), config.EnvGitHubAppID},
		{"key missing", with(config.EnvGitHubPrivateKey, ""), config.EnvGitHubPrivateKeyFile},
		{"key not PEM", with(config.EnvGitHubPrivateKey, "hunter2-not-a-key"), config.EnvGitHubPrivateKey},
		{"key file and PEM both", with(config.EnvGitHubPrivateKeyFile, "/some/key.pem"), config.EnvGitHubPrivateKey},
		{"key file unreadable", map[string]string{
			config.EnvGitHubAppID: "1", config.EnvGitHubWebhookSecret: "s",
			config.EnvGitHubPrivateKeyFile: "/nonexistent/key.pem",
		}, config.EnvGitHubPrivateKeyFile},
		{"secret missing", with(config.EnvGitHubWebhookSecret, ""), config.EnvGitHubWebhookSecret},
		{"api url", with(config.EnvGitHubAPIURL, "ftp://x"), config.EnvGitHubAPIURL},
		{"redis url", with(config.EnvRedisURL, "localhost:6379"), config.EnvRedisURL},
		{"workers", with(config.EnvWorkers, "0"), config.EnvWorkers},
		{"fail on", with(config.EnvFailOn, "severe"), config.EnvFailOn},
		{"timeout", with(config.EnvJobTimeout, "-1s"), config.EnvJobTimeout},
		{"log level", with(config.EnvLogLevel, "loud"), config.EnvLogLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.FromEnv(env(tt.env))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("FromEnv() = %v, want *config.Error", err)
			}
			if ce.Var != tt.wantVar {
				t.Errorf("error names %s, want %s (%v)", ce.Var, tt.wantVar, err)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q leaks a value or spans lines", err)
			}
		})
	}
}

func TestFromEnvGitLab(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{
		config.EnvGitLabToken:         "glpat-test",
		config.EnvGitLabWebhookSecret: "hook",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.GitLab.URL != config.DefaultGitLabURL || c.GitLab.Token != "glpat-test" || len(c.GitLab.WebhookSecrets) != 1 || c.GitHub.Enabled() {
		t.Errorf("got %+v", c.GitLab)
	}
	if err := c.RequirePlatform(); err != nil {
		t.Errorf("GitLab alone should be a valid platform: %v", err)
	}
	for _, tt := range []struct {
		env     map[string]string
		wantVar string
	}{
		{map[string]string{config.EnvGitLabToken: "t"}, config.EnvGitLabWebhookSecret},
		{map[string]string{config.EnvGitLabWebhookSecret: "s"}, config.EnvGitLabToken},
		{map[string]string{config.EnvGitLabToken: "t", config.EnvGitLabWebhookSecret: "s", config.EnvGitLabURL: "gitlab.example.com"}, config.EnvGitLabURL},
	} {
		_, err := config.FromEnv(env(tt.env))
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Var != tt.wantVar {
			t.Errorf("FromEnv(%v) = %v, want an error naming %s", tt.env, err, tt.wantVar)
		}
	}
}
