package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestScanVerifiesSecretsWhenAsked: a local scan of a repository whose
// .shiftward.yml asks for verification checks the added token with the
// GitHub the environment names (here a loopback fake of GET /user) and
// says so in its JSON; SHIFTWARD_SECRETS_VERIFY=off makes no call.
func TestScanVerifiesSecretsWhenAsked(t *testing.T) {
	for _, tt := range []struct {
		name, env, want string
		calls           int64
	}{
		{"asked", "", "verified", 1},
		{"refused by the environment", "off", "", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			token := fakeToken(9)
			var calls atomic.Int64
			gh := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if r.URL.Path != "/user" || r.Header.Get("Authorization") != "Bearer "+token {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				w.Write([]byte(`{"login":"octocat"}`))
			}))
			defer gh.Close()
			t.Setenv("SHIFTWARD_GITHUB_API_URL", gh.URL)
			t.Setenv("SHIFTWARD_SECRETS_VERIFY", tt.env)

			dir := t.TempDir()
			gitRun(t, dir, "init", "-q", "-b", "main")
			os.WriteFile(filepath.Join(dir, ".shiftward.yml"), []byte("version: 1\nscanners:\n  secrets:\n    verify: true\n"), 0o644)
			gitRun(t, dir, "add", ".")
			gitRun(t, dir, "commit", "-q", "-m", "base")
			gitRun(t, dir, "checkout", "-q", "-b", "feature")
			os.WriteFile(filepath.Join(dir, "token.go"), []byte("package x\n\nvar t = \""+token+"\"\n"), 0o644)
			gitRun(t, dir, "add", ".")
			gitRun(t, dir, "commit", "-q", "-m", "feature")

			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"scan", "--format", "json", dir}, nil, &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, stderr.String())
			}
			var out struct {
				Findings []struct {
					RuleID       string `json:"rule_id"`
					Verification string `json:"verification"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out.Findings) != 1 {
				t.Fatalf("output %v: %s", err, stdout.String())
			}
			if got := out.Findings[0].Verification; got != tt.want {
				t.Errorf("verification %q, want %q", got, tt.want)
			}
			if n := calls.Load(); n != tt.calls {
				t.Errorf("%d calls to GitHub, want %d", n, tt.calls)
			}
			if strings.Contains(stdout.String()+stderr.String(), token) {
				t.Error("output holds the token")
			}
		})
	}
}
