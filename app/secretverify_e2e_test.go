package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// TestEndToEndSecretVerification: a repository that asks for secret
// verification (scanners.secrets.verify: true) on a server that allows it
// gets "Verified live" on the leaked GitHub token's comment, after exactly
// one read-only call to the server's own GitHub (GET /user with the
// token); a repository that does not ask, or a server that refuses
// (SHIFTWARD_SECRETS_VERIFY=off), makes no call at all and says nothing
// of verification.
func TestEndToEndSecretVerification(t *testing.T) {
	tests := []struct {
		name       string
		repoConfig string
		serverOn   bool
		wantCalls  int
	}{
		{"repository asks, server allows", "version: 1\nscanners:\n  secrets:\n    verify: true\n", true, 1},
		{"repository does not ask", "version: 1\n", true, 0},
		{"server refuses", "version: 1\nscanners:\n  secrets:\n    verify: true\n", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := githubtest.KeyPEM()
			if err != nil {
				t.Fatal(err)
			}
			fake := githubtest.New(t, appID, key)
			fake.AddRepo(githubtest.Repo{ID: 186853002, Owner: owner, Name: repo, DefaultBranch: "master", Installation: 1})
			l := newLeak()
			fake.AddPull(owner, repo, githubtest.PullRequest{
				Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes",
				Files: l.pullFiles(),
			})
			// GitHub's GET /user in front of the fake: 200 for the
			// planted token (it is live), 401 with GitHub's body for any
			// other; everything else goes on to the fake.
			target, _ := url.Parse(fake.URL)
			proxy := httputil.NewSingleHostReverseProxy(target)
			var mu sync.Mutex
			var userCalls []string
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/user" {
					proxy.ServeHTTP(w, r)
					return
				}
				auth := r.Header.Get("Authorization")
				mu.Lock()
				userCalls = append(userCalls, r.Method+" "+auth)
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				if r.Method == http.MethodGet && auth == "Bearer "+l.githubPAT {
					_, _ = io.WriteString(w, `{"login":"octocat","id":1,"type":"User"}`)
					return
				}
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
			}))
			defer front.Close()

			e := startApp(t, l, func(cfg *config.Config) {
				cfg.GitHub = config.GitHub{AppID: appID, PrivateKey: key, APIURL: front.URL, WebhookSecrets: [][]byte{[]byte(webhookSecret)}}
				cfg.SecretsVerify = tt.serverOn
			})
			e.fake = fake
			e.seedHead()
			fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte(tt.repoConfig))
			e.startWorkers()
			if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
				t.Fatal(code)
			}
			run := e.waitCompleted(headSHA)
			e.waitIdle()

			mu.Lock()
			calls := append([]string(nil), userCalls...)
			mu.Unlock()
			if len(calls) != tt.wantCalls {
				t.Errorf("%d calls to GET /user, want %d", len(calls), tt.wantCalls)
			}
			for _, c := range calls {
				if c != "GET Bearer "+l.githubPAT {
					t.Errorf("GET /user called with something other than the planted token")
				}
			}
			if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
				t.Errorf("conclusion %s, %d annotations: verification must change neither", run.Conclusion, len(run.Annotations()))
			}
			byPath := map[string]string{}
			for _, c := range fake.Comments(owner, repo, prNumber) {
				byPath[c.Path] = c.Body
			}
			if len(byPath) != 2 {
				t.Fatalf("comments on %v, want the token and the key id", byPath)
			}
			verified := strings.Contains(byPath["internal/deploy/token.go"], "**Verified live:**")
			if verified != (tt.wantCalls == 1) {
				t.Errorf("token comment says verified: %v, want %v:\n%s", verified, tt.wantCalls == 1, byPath["internal/deploy/token.go"])
			}
			if tt.wantCalls == 1 && !strings.Contains(run.Summary, "(verified live)") {
				t.Errorf("summary does not say the token is live:\n%s", run.Summary)
			}
			// The AWS key id alone has no check: nothing said about it.
			for _, s := range []string{"Verified live", "Could not be verified", "refused"} {
				if strings.Contains(byPath["scripts/upload.py"], s) {
					t.Errorf("key id comment says %q", s)
				}
			}
			e.assertNoSecretSent()
			series := `shiftward_secret_checks_total{outcome="verified",provider="github"} 1`
			if got := strings.Contains(e.get("/metrics"), series+"\n"); got != (tt.wantCalls == 1) {
				t.Errorf("/metrics has %s: %v, want %v", series, got, tt.wantCalls == 1)
			}
		})
	}
}
