package secrets

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// addedFile presents data as a wholly added file.
func addedFile(path string, data []byte) *scanners.Input {
	in := &scanners.Input{Path: path, Content: data}
	for i, l := range strings.Split(string(data), "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

// TestLockfileHashesNotReported: the lockfiles in testdata/lockfiles, one
// per format, with package names that put rule keywords next to their
// digests, are scanned (Wants) and yield nothing, while the same rules
// with the digest filter off report some of their digests (so the files
// do exercise it).
func TestLockfileHashesNotReported(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := New(WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	raw.eng.keepHashes = true
	es, err := os.ReadDir(filepath.Join("testdata", "lockfiles"))
	if err != nil {
		t.Fatal(err)
	}
	rawN := 0
	for _, e := range es {
		p := filepath.Join("testdata", "lockfiles", e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := e.Name()
		if !s.Wants(name) {
			t.Errorf("Wants(%q) = false: lockfiles are scanned", name)
		}
		in := addedFile(name, data)
		fs, err := s.Scan(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			t.Errorf("%s:%d: %s reported a digest (%s)", name, f.Location.StartLine, f.RuleID, f.Evidence)
		}
		rf, _ := raw.Scan(context.Background(), in)
		t.Logf("%s: %d candidates without the digest filter", name, len(rf))
		rawN += len(rf)
	}
	if rawN < 5 {
		t.Errorf("only %d digests reported without the filter: the fixtures no longer exercise it", rawN)
	}
}

// TestIsLockfileHash: digests in every lockfile format are recognised
// by shape and key or marker, wherever inside the value a rule's secret
// group starts; credentials in the same files, values of the wrong
// length and digests under other keys are not.
func TestIsLockfileHash(t *testing.T) {
	const (
		sri512 = "pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg=="
		sri1   = "EfatjsUqKYSrqv18O1FlA3hcIHI="
		b64256 = "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="
		hex1   = "11f6ad8ec52a2984abaafd7c3b516503785c2072"
		hex256 = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
		hex512 = "a4abd4448c49562d828115d13a1fccea927f52b4d5459297f8b43e42da89238bc13626e43dcb38ddb082488927ec904fb42057443983e88585179d50551afe62"
	)
	tests := []struct {
		name, line, secret string
		want               bool
	}{
		{"yarn integrity", "  integrity sha512-" + sri512, sri512, true},
		{"yarn integrity with marker", "  integrity sha512-" + sri512, "sha512-" + sri512, true},
		{"yarn integrity, secret inside", "  integrity sha512-" + sri512, sri512[10:40], true},
		{"npm sha1 integrity", `      "integrity": "sha1-` + sri1 + `"`, sri1, true},
		{"yarn resolved fragment", `  resolved "https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#` + hex1 + `"`, hex1, true},
		{"cargo git source", `source = "git+https://github.com/acme/x.git#` + hex1 + `"`, hex1, true},
		{"pnpm resolution", "    resolution: {integrity: sha512-" + sri512 + "}", sri512, true},
		{"go.sum", "golang.org/x/oauth2 v0.37.0 h1:" + b64256, b64256, true},
		{"go.sum go.mod line", "golang.org/x/oauth2 v0.37.0/go.mod h1:" + b64256, b64256[:20], true},
		{"terraform h1", `    "h1:` + b64256 + `",`, b64256, true},
		{"terraform zh", `    "zh:` + hex256 + `",`, hex256, true},
		{"cargo checksum", `checksum = "` + hex256 + `"`, hex256, true},
		{"poetry hash", `    {file = "keyring-24.3.0.whl", hash = "sha256:` + hex256 + `"},`, hex256, true},
		{"pipfile hashes", `                "sha256:` + hex256 + `",`, hex256, true},
		{"requirements --hash", `oauthlib==3.2.2 --hash=sha256:` + hex256, hex256, true},
		{"gemfile checksums", "  jwt (2.7.1) sha256=" + hex256, hex256, true},
		{"composer reference", `            "reference": "` + hex1 + `",`, hex1, true},
		{"composer shasum", `"shasum": "` + hex1 + `"`, hex1, true},
		{"pubspec sha256", `      sha256: "` + hex256 + `"`, hex256, true},
		{"yarn berry checksum", "  checksum: 10c0/" + hex512, hex512, true},
		{"nuget contentHash", `"contentHash": "` + sri512 + `"`, sri512, true},
		{"flake narHash", `"narHash": "sha256-` + b64256 + `",`, b64256, true},
		{"flake rev", `"rev": "` + hex1 + `",`, hex1, true},
		{"deno remote", `    "https://deno.land/x/api_token.ts": "` + hex256 + `",`, hex256, true},
		{"image digest", "FROM alpine@sha256:" + hex256, hex256, true},

		{"credentials in resolved", `"resolved": "https://deploy:Qx7mZp2Lw9Rt4Kv8@registry.example.com/a/-/a-1.0.0.tgz#` + hex1 + `"`, "Qx7mZp2Lw9Rt4Kv8", false},
		{"npm auth token", "//registry.npmjs.org/:_authToken=npm_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7x", "npm_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7x", false},
		{"hex under a credential key", `api_key = "` + hex256 + `"`, hex256, false},
		{"marker, wrong length", `token = "sha512-` + sri512[:60] + `"`, sri512[:60], false},
		{"digest key, wrong length", `checksum = "` + hex256[:63] + `"`, hex256[:63], false},
		{"fragment of a page", "https://example.com/page#" + hex1, hex1, false},
		{"token under sha", `sha = "ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7"`, "ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7", false},
		{"secret with a space", `checksum = "` + hex1 + ` x"`, hex1 + " x", false},
		{"url key, not a digest", `"https://api.example.com": "Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7"`, "Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7", false},
		{"marker after the secret", `password=Qx7mZp2Lw9Rt4Kv8:sha256:` + hex256, "Qx7mZp2Lw9Rt4Kv8", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ss := strings.Index(tc.line, tc.secret)
			if ss < 0 {
				t.Fatalf("bad case: %q not in the line", tc.secret)
			}
			if got := isLockfileHash(tc.line, ss, ss+len(tc.secret)); got != tc.want {
				t.Errorf("isLockfileHash(%q, %q) = %v, want %v", tc.line, tc.secret, got, tc.want)
			}
		})
	}
}
