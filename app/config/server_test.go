package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
)

func TestServerDefaults(t *testing.T) {
	c, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Server
	if s.WebhookMemory != config.DefaultWebhookMemoryMiB<<20 || s.WebhookWait != config.DefaultWebhookWait || len(s.TrustedProxies) != 0 {
		t.Errorf("server defaults = %+v", s)
	}
}

func TestServerSettings(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{
		config.EnvWebhookMemoryMiB: "128",
		config.EnvWebhookWait:      "500ms",
		config.EnvTrustedProxies:   "10.0.0.0/8, 192.0.2.7 2001:db8::/32",
	}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Server
	if s.WebhookMemory != 128<<20 || s.WebhookWait != 500*time.Millisecond {
		t.Errorf("got %+v", s)
	}
	var got []string
	for _, n := range s.TrustedProxies {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 2001:db8::/32" {
		t.Errorf("trusted proxies = %v", got)
	}
}

func TestServerSettingsErrors(t *testing.T) {
	tests := []struct {
		name, key, value string
	}{
		{"memory below the least", config.EnvWebhookMemoryMiB, "4"},
		{"memory above the most", config.EnvWebhookMemoryMiB, "99999"},
		{"memory not a number", config.EnvWebhookMemoryMiB, "80MiB"},
		{"wait not a duration", config.EnvWebhookWait, "2"},
		{"wait past what the platforms wait", config.EnvWebhookWait, "9s"},
		{"proxy not an address", config.EnvTrustedProxies, "10.0.0.0/8,proxy.internal"},
		{"proxy CIDR malformed", config.EnvTrustedProxies, "10.0.0.0/33"},
		// Trusting every address is believing every client's header.
		{"proxy trusts everyone", config.EnvTrustedProxies, "0.0.0.0/0"},
		{"proxy trusts everyone, v6", config.EnvTrustedProxies, "::/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.FromEnv(env(map[string]string{tt.key: tt.value}))
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != tt.key {
				t.Fatalf("FromEnv(%s=%s) = %v, want an error naming %s", tt.key, tt.value, err, tt.key)
			}
		})
	}
}

func writeHooks(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hooks.yml")
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

const hooksFile = `
hooks:
  - name: backend
    token: backend-token-0123456789
    projects: [42, 1337]
  - name: platform group
    token: platform-token-0123456789
    paths: ["Acme/Platform/**", "acme/tools/*", "/acme/site/"]
`

func TestGitLabHooksFile(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{
		config.EnvGitLabToken:              "glpat-test",
		config.EnvGitLabWebhookSecretsFile: writeHooks(t, hooksFile, 0o600),
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.GitLab.Enabled() || len(c.GitLab.WebhookSecrets) != 0 || len(c.GitLab.Hooks) != 2 {
		t.Fatalf("gitlab = %+v", c.GitLab)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings for a 0600 file of long tokens and no any-project secret: %v", c.Warnings)
	}
	backend, group := &c.GitLab.Hooks[0], &c.GitLab.Hooks[1]
	if backend.Name != "backend" || string(backend.Token) != "backend-token-0123456789" {
		t.Errorf("hook 0 = %+v", backend)
	}
	for _, tt := range []struct {
		hook *config.GitLabHook
		id   int64
		path string
		want bool
	}{
		{backend, 42, "", true},
		{backend, 1337, "", true},
		{backend, 43, "", false},
		{group, 0, "acme/platform/api", true},
		{group, 0, "ACME/platform/sub/group/api", true}, // paths compare without case
		{group, 0, "acme/platform", false},              // the group itself is not a project below it
		{group, 0, "acme/platformer/api", false},
		{group, 0, "acme/tools/cli", true},
		{group, 0, "acme/tools/sub/cli", false}, // * stays within one segment
		{group, 0, "acme/site", true},
		{group, 0, "other/platform/api", false},
		{backend, 0, "acme/platform/api", false},
	} {
		var got bool
		if tt.path != "" {
			got = tt.hook.AllowsPath(tt.path)
		} else {
			got = tt.hook.AllowsID(tt.id)
		}
		if got != tt.want {
			t.Errorf("%s allows %d %q = %v, want %v", tt.hook.Name, tt.id, tt.path, got, tt.want)
		}
	}
}

func TestGitLabHooksWarnings(t *testing.T) {
	short := "hooks:\n  - token: short\n    projects: [1]\n"
	c, err := config.FromEnv(env(map[string]string{
		config.EnvGitLabToken:              "glpat-test",
		config.EnvGitLabWebhookSecret:      "any-project-secret",
		config.EnvGitLabWebhookSecretsFile: writeHooks(t, short, 0o644),
	}))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(c.Warnings, "\n")
	for _, want := range []string{"readable by other users", "shorter than 16", config.EnvGitLabWebhookSecret + " is accepted for every project"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if strings.Contains(all, "short\"") || strings.Contains(all, "any-project-secret") {
		t.Errorf("warnings quote a token: %q", all)
	}
}

func TestGitLabHooksFileErrors(t *testing.T) {
	const tok = "secret-token-0123456789"
	tests := []struct {
		name, text string
	}{
		{"empty", ""},
		{"no hooks", "hooks: []\n"},
		{"unknown field", "hooks:\n  - token: " + tok + "\n    project: [1]\n"},
		{"no token", "hooks:\n  - projects: [1]\n"},
		{"token with spaces", "hooks:\n  - token: \" " + tok + "\"\n    projects: [1]\n"},
		{"no projects or paths", "hooks:\n  - token: " + tok + "\n"},
		{"project id zero", "hooks:\n  - token: " + tok + "\n    projects: [0]\n"},
		{"project id not a number", "hooks:\n  - token: " + tok + "\n    projects: [" + tok + "]\n"},
		{"path every project", "hooks:\n  - token: " + tok + "\n    paths: ['**']\n"},
		{"path wildcard group", "hooks:\n  - token: " + tok + "\n    paths: ['*/**']\n"},
		{"path group only", "hooks:\n  - token: " + tok + "\n    paths: ['acme']\n"},
		{"path ** inside", "hooks:\n  - token: " + tok + "\n    paths: ['acme/**/api']\n"},
		{"path ** in a segment", "hooks:\n  - token: " + tok + "\n    paths: ['acme/x**']\n"},
		{"path empty segment", "hooks:\n  - token: " + tok + "\n    paths: ['acme//api']\n"},
		{"path bad glob", "hooks:\n  - token: " + tok + "\n    paths: ['acme/[x']\n"},
		{"same token twice", "hooks:\n  - token: " + tok + "\n    projects: [1]\n  - token: " + tok + "\n    projects: [2]\n"},
		{"token of every project", "hooks:\n  - token: any-project-secret\n    projects: [1]\n"},
		{"not yaml", "hooks: [" + tok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.FromEnv(env(map[string]string{
				config.EnvGitLabToken:              "glpat-test",
				config.EnvGitLabWebhookSecret:      "any-project-secret",
				config.EnvGitLabWebhookSecretsFile: writeHooks(t, tt.text, 0o600),
			}))
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != config.EnvGitLabWebhookSecretsFile {
				t.Fatalf("FromEnv() = %v, want an error naming %s", err, config.EnvGitLabWebhookSecretsFile)
			}
			if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), "any-project-secret") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q quotes a token or spans lines", err)
			}
		})
	}
	_, err := config.FromEnv(env(map[string]string{
		config.EnvGitLabToken:              "glpat-test",
		config.EnvGitLabWebhookSecretsFile: "/nonexistent/hooks.yml",
	}))
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Var != config.EnvGitLabWebhookSecretsFile {
		t.Errorf("missing file: %v", err)
	}
}
