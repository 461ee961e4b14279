package app_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/app/secretverify"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// githubUser answers GET https://api.github.com/user as GitHub does: 200
// for live, 401 for anything else. Any other host fails the test.
type githubUser struct {
	t     *testing.T
	live  string
	calls atomic.Int64
}

func (g *githubUser) RoundTrip(r *http.Request) (*http.Response, error) {
	g.calls.Add(1)
	if r.URL.String() != "https://api.github.com/user" {
		g.t.Errorf("request to %s", r.URL.Redacted())
	}
	status, body := 401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`
	if r.Header.Get("Authorization") == "Bearer "+g.live {
		status, body = 200, `{"login":"octocat"}`
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// TestVerifyingCustomize: the default secrets scanner, and the one a
// repository's own rules make, ask the checker when the repository says
// verify: true; neither asks without it or without a checker.
func TestVerifyingCustomize(t *testing.T) {
	token := randomToken(21, "ghp_", alnum, 36)
	base, err := secrets.New()
	if err != nil {
		t.Fatal(err)
	}
	in := &scanners.Input{Path: "a.go", New: true, Added: []scanners.Line{{Number: 1, Text: `var t = "` + token + `"`}}}
	for _, tt := range []struct {
		name    string
		yml     string
		checker bool
		want    scanners.Verification
	}{
		{"asked", "scanners: {secrets: {verify: true}}\n", true, scanners.Verified},
		{"asked, with own rules", "scanners: {secrets: {verify: true, rules: [{id: acme, regex: 'acme_[a-z]{8}'}]}}\n", true, scanners.Verified},
		{"not asked", "scanners: {secrets: {rules: [{id: acme, regex: 'acme_[a-z]{8}'}]}}\n", true, ""},
		{"no checker", "scanners: {secrets: {verify: true}}\n", false, ""},
		{"ignored path", "scanners: {secrets: {verify: true, ignore_paths: ['*.go']}}\n", true, ""},
		{"ignored path elsewhere", "scanners: {secrets: {verify: true}}\nignore_paths: ['testdata/**']\n", true, scanners.Verified},
	} {
		t.Run(tt.name, func(t *testing.T) {
			settings, probs := config.ParseSettings(".shiftward.yml", []byte(tt.yml))
			if len(probs) > 0 {
				t.Fatal(probs)
			}
			gh := &githubUser{t: t, live: token}
			var checker *secretverify.Checker
			if tt.checker {
				checker = secretverify.New(secretverify.Options{Transport: gh})
			}
			list, problems := app.VerifyingCustomize(checker)([]scanners.Scanner{base}, &review.Policy{Settings: settings}, nil)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			fs, err := list[0].Scan(context.Background(), in)
			if err != nil || len(fs) != 1 {
				t.Fatalf("Scan = %v, %v", fs, err)
			}
			if fs[0].Verification != tt.want {
				t.Errorf("verification %q, want %q", fs[0].Verification, tt.want)
			}
			wantCalls := int64(0)
			if tt.want != "" {
				wantCalls = 1
			}
			if n := gh.calls.Load(); n != wantCalls {
				t.Errorf("%d calls, want %d", n, wantCalls)
			}
			// The shared default scanner is left as it was.
			if fs, _ := base.Scan(context.Background(), in); fs[0].Verification != "" {
				t.Error("Customize changed the shared scanner")
			}
		})
	}
}
