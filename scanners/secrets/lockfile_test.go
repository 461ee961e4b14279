package secrets_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/secrets"
)

// TestLeaksInLockfilesAndAllowlistedPaths: a credential in a file that
// gitleaks' global allowlist or the old lockfile skip list named (go.mod,
// go.sum, lockfiles, vendor/, node_modules/) is reported, and only it: the
// lockfile's digests around it are not.
func TestLeaksInLockfilesAndAllowlistedPaths(t *testing.T) {
	fixture := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "lockfiles", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, path, text, leak, rule string
	}{
		{"token in a go.mod replace", "go.mod", "module example.com/app\n\ngo 1.22\n",
			"replace example.com/x => https://" + ghToken + "@github.com/acme/x v1.0.0", "secrets/github-pat"},
		{"token in a go.mod version comment", "svc/go.mod", "module example.com/svc\n",
			"require example.com/private v1.2.3 // " + ghToken, "secrets/github-pat"},
		{"token in a go.sum module path", "go.sum", fixture("go.sum"),
			"example.com/" + ghToken + "/x v1.0.0 h1:LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=", "secrets/github-pat"},
		{"registry credentials in package-lock.json", "package-lock.json", strings.TrimSuffix(fixture("package-lock.json"), "}\n"),
			`  "x": {"resolved": "https://deploy:Qx7mZp2Lw9Rt4Kv8@registry.example.com/left-pad/-/left-pad-1.3.0.tgz"}}`, "secrets/connection-string-password"},
		{"registry credentials in yarn.lock", "web/yarn.lock", fixture("yarn.lock"),
			`  resolved "https://deploy:Qx7mZp2Lw9Rt4Kv8@registry.example.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3f0a2a3e8f4f9ab3f0e2d1c4b5a6978f0e1d"`, "secrets/connection-string-password"},
		{"npm _authToken in yarn.lock", "yarn.lock", fixture("yarn.lock"),
			"//registry.example.com/:_authToken=Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5G", "secrets/generic-api-key"},
		{"npm _authToken in pnpm-lock.yaml", "pnpm-lock.yaml", fixture("pnpm-lock.yaml"),
			"//registry.npmjs.org/:_authToken=npm_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7x", "secrets/generic-api-key"},
		{"GitLab token in a Cargo.lock git source", "Cargo.lock", fixture("Cargo.lock"),
			`source = "git+https://oauth2:glpat-Zq8Lm3Xv7Rt2Kp9Wn4Bs@gitlab.com/acme/x.git#11f6ad8ec52a2984abaafd7c3b516503785c2072"`, "secrets/gitlab-pat"},
		{"token in vendored Go code", "vendor/github.com/acme/client/auth.go", "package client\n",
			`const token = "` + ghToken + `"`, "secrets/github-pat"},
		{"token in node_modules", "node_modules/acme/index.js", "'use strict';\n",
			`const token = "` + ghToken + `";`, "secrets/github-pat"},
	}
	// The defaults, and a repository's .gitleaks.toml extending them (as
	// app builds it for a repository with custom rules).
	extended, err := secrets.ParseGitleaksConfig([]byte("[extend]\nuseDefault = true\n"))
	if err != nil {
		t.Fatal(err)
	}
	byConfig := map[string]*secrets.Scanner{"defaults": newScanner(t), "extended": newScanner(t, secrets.WithConfig(extended))}
	for cfg, s := range byConfig {
		for _, tc := range tests {
			t.Run(cfg+"/"+tc.name, func(t *testing.T) {
				if !s.Wants(tc.path) {
					t.Fatalf("Wants(%q) = false: the file is never scanned", tc.path)
				}
				text := strings.TrimSuffix(tc.text, "\n") + "\n" + tc.leak + "\n"
				line := strings.Count(strings.TrimSuffix(tc.text, "\n"), "\n") + 2
				fs := scan(t, s, textInput(tc.path, text))
				if len(fs) != 1 || fs[0].RuleID != tc.rule || fs[0].Location.StartLine != line {
					t.Fatalf("got %v, want [%s %d-%d]", ids(fs), tc.rule, line, line)
				}
				if strings.Contains(fs[0].Evidence, "Qx7mZp2Lw9Rt4Kv8") || strings.Contains(fs[0].Message, ghToken) {
					t.Errorf("finding quotes the secret: %q", fs[0].Evidence)
				}
			})
		}
	}
}
