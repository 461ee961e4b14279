package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
)

func TestSetupArguments(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "github-app.json")
	if err := os.WriteFile(existing, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr (or stdout for help)
	}{
		{"no platform", []string{"setup"}, 2, "shiftward setup github"},
		{"unknown platform", []string{"setup", "bitbucket"}, 2, `unknown platform "bitbucket"`},
		{"help", []string{"setup", "help"}, 0, "manifest flow"},
		{"github without url", []string{"setup", "github"}, 2, "--url is required"},
		{"github unknown flag", []string{"setup", "github", "--bogus"}, 2, "flag provided but not defined"},
		{"github stray argument", []string{"setup", "github", "--url", "https://s.example.com", "extra"}, 2, `unexpected argument "extra"`},
		{"github existing out", []string{"setup", "github", "--url", "https://s.example.com", "--out", existing}, 2, "refusing to overwrite"},
		{"github listen off loopback", []string{"setup", "github", "--url", "https://s.example.com", "--out", existing + ".new", "--listen", "0.0.0.0:0"}, 2, "loopback"},
		{"github manifest missing", []string{"setup", "github", "--url", "https://s.example.com", "--manifest", existing + ".absent"}, 2, "--manifest"},
		{"gitlab without url", []string{"setup", "gitlab", "--project", "a/b"}, 2, "--url is required"},
		{"gitlab without token", []string{"setup", "gitlab", "--project", "a/b", "--url", "https://s.example.com", "--out", existing + ".yml"}, 2, config.EnvGitLabToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(config.EnvGitLabToken, "")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, nil, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String()+stderr.String(), tt.want) {
				t.Errorf("exit %d, want %d; output:\n%s%s\nwant %q", code, tt.code, stdout.String(), stderr.String(), tt.want)
			}
		})
	}
}

// The CLI hands the environment's token and the flags to the GitLab flow:
// the instance it names is asked, with the token, and its refusal is the
// command's error.
func TestSetupGitLabReadsTheEnvironment(t *testing.T) {
	const token = "glpat-cli-test-0123456789"
	var sawToken bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawToken = sawToken || r.Header.Get("PRIVATE-TOKEN") == token
		if r.URL.Path == "/api/v4/personal_access_tokens/self" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"id":1,"name":"bot","revoked":false,"scopes":["read_api"],"user_id":5,"active":true}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	t.Setenv(config.EnvGitLabToken, token)
	t.Setenv(config.EnvGitLabURL, srv.URL)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"setup", "gitlab", "--project", "acme/backend", "--url", "https://s.example.com",
		"--out", filepath.Join(t.TempDir(), "hooks.yml")}, nil, &stdout, &stderr)
	if code != 2 || !sawToken || !strings.Contains(stderr.String(), "needs the api scope") {
		t.Errorf("exit %d, token sent %v; stderr:\n%s", code, sawToken, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), token) {
		t.Error("the token was printed")
	}
}
