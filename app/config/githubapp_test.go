package config_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
)

// appFileSecret is the webhook secret of the test app files: errors and
// warnings must never quote it (nor the key).
const appFileSecret = "whsec-0123456789abcdef" // shiftward:ignore secrets/generic-api-key test fixture, not a credential

func writeAppFile(t *testing.T, mode os.FileMode, body string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "github-app.json")
	if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil { // WriteFile's mode passes the umask
		t.Fatal(err)
	}
	return name
}

func appFileJSON(t *testing.T, f config.GitHubAppFile) string {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func goodAppFile() config.GitHubAppFile {
	return config.GitHubAppFile{ID: 4242, Slug: "shiftward-acme", ClientID: "Iv1.abc", HTMLURL: "https://github.com/apps/shiftward-acme",
		PEM: fakePEM, WebhookSecret: appFileSecret}
}

func TestGitHubAppFileGivesTheAppsSettings(t *testing.T) {
	name := writeAppFile(t, 0o600, appFileJSON(t, goodAppFile()))
	c, err := config.FromEnv(env(map[string]string{
		config.EnvGitHubAppFile: name,
		// Beside the file: a rotation's previous secret and a GHES address.
		config.EnvGitHubWebhookSecretPrevious: "old-secret",
		config.EnvGitHubAPIURL:                "https://ghe.example.com/api/v3/",
	}))
	if err != nil {
		t.Fatal(err)
	}
	g := c.GitHub
	if g.AppID != 4242 || string(g.PrivateKey) != fakePEM || len(g.WebhookSecrets) != 2 ||
		string(g.WebhookSecrets[0]) != appFileSecret || string(g.WebhookSecrets[1]) != "old-secret" || g.APIURL != "https://ghe.example.com/api/v3/" {
		t.Errorf("GitHub settings from the file = %+v", g)
	}
	if err := c.RequirePlatform(); err != nil {
		t.Errorf("RequirePlatform() = %v", err)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings for a 0600 file: %q", c.Warnings)
	}
}

func TestGitHubAppFileReadableByOthersIsAWarning(t *testing.T) {
	// Kubernetes mounts Secret volumes 0644: it works, and the operator is told.
	name := writeAppFile(t, 0o644, appFileJSON(t, goodAppFile()))
	c, err := config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: name}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], config.EnvGitHubAppFile) || !strings.Contains(c.Warnings[0], "0644") {
		t.Errorf("warnings = %q, want one naming the variable and the mode", c.Warnings)
	}
	// The chart mounts it 0440 for the pod's group: no warning in every pod.
	name = writeAppFile(t, 0o440, appFileJSON(t, goodAppFile()))
	if c, err = config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: name})); err != nil || len(c.Warnings) != 0 {
		t.Errorf("mode 0440: warnings %q, err %v; want none", c.Warnings, err)
	}
}

func TestGitHubAppFileAndVariablesTogetherIsAnError(t *testing.T) {
	name := writeAppFile(t, 0o600, appFileJSON(t, goodAppFile()))
	for _, v := range []string{config.EnvGitHubAppID, config.EnvGitHubPrivateKey, config.EnvGitHubPrivateKeyFile, config.EnvGitHubWebhookSecret} {
		t.Run(v, func(t *testing.T) {
			_, err := config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: name, v: "x"}))
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != config.EnvGitHubAppFile || !strings.Contains(err.Error(), v) {
				t.Errorf("FromEnv = %v, want an error naming %s and %s", err, config.EnvGitHubAppFile, v)
			}
		})
	}
}

func TestGitHubAppFileErrors(t *testing.T) {
	with := func(edit func(*config.GitHubAppFile)) string {
		f := goodAppFile()
		edit(&f)
		return appFileJSON(t, f)
	}
	tests := []struct {
		name, body, want string
	}{
		{"no id", with(func(f *config.GitHubAppFile) { f.ID = 0 }), "id"},
		{"negative id", with(func(f *config.GitHubAppFile) { f.ID = -3 }), "id"},
		{"no key", with(func(f *config.GitHubAppFile) { f.PEM = "" }), "pem"},
		{"not a key", with(func(f *config.GitHubAppFile) { f.PEM = appFileSecret }), "pem"},
		{"no webhook secret", with(func(f *config.GitHubAppFile) { f.WebhookSecret = "" }), "webhook_secret"},
		{"id a string", `{"id":"4242","pem":"` + strings.ReplaceAll(fakePEM, "\n", `\n`) + `","webhook_secret":"` + appFileSecret + `"}`, "id"},
		{"misspelt field", `{"id":4242,"pem":"` + strings.ReplaceAll(fakePEM, "\n", `\n`) + `","webhook-secret":"` + appFileSecret + `"}`, "webhook-secret"},
		{"not JSON", "id: 4242\nwebhook_secret: " + appFileSecret + "\n", "JSON"},
		{"two values", appFileJSON(t, goodAppFile()) + appFileJSON(t, goodAppFile()), "more than one"},
		{"empty", "", "JSON"},
		{"too large", `{"id":4242,"name":"` + strings.Repeat("a", 70<<10) + `"}`, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := writeAppFile(t, 0o600, tt.body)
			_, err := config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: name}))
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != config.EnvGitHubAppFile || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("FromEnv = %v, want an error of %s mentioning %q", err, config.EnvGitHubAppFile, tt.want)
			}
			if strings.Contains(err.Error(), appFileSecret) || strings.Contains(err.Error(), "MIIB") {
				t.Errorf("the error quotes a secret: %v", err)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: filepath.Join(t.TempDir(), "absent.json")}))
		if err == nil || !strings.Contains(err.Error(), config.EnvGitHubAppFile) || !strings.Contains(err.Error(), "cannot read") {
			t.Errorf("FromEnv = %v", err)
		}
	})
	t.Run("a directory", func(t *testing.T) {
		_, err := config.FromEnv(env(map[string]string{config.EnvGitHubAppFile: t.TempDir()}))
		if err == nil || !strings.Contains(err.Error(), "regular file") {
			t.Errorf("FromEnv = %v", err)
		}
	})
}
