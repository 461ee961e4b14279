package secretverify

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// Tokens of each provider's form (made up, and split so that no
// secret-shaped literal sits in the repository). For each provider: one the
// fake accepts, one it refuses, one it answers with a server error, one it
// answers too late.
var (
	ghLive    = "ghp_" + strings.Repeat("Lv8Qz3Xk", 4) + "Ab12"
	ghDead    = "ghp_" + strings.Repeat("Dd8Qz3Xk", 4) + "Ab12"
	ghBroken  = "ghp_" + strings.Repeat("Br8Qz3Xk", 4) + "Ab12"
	ghSlow    = "ghp_" + strings.Repeat("Sl8Qz3Xk", 4) + "Ab12"
	glLive    = "glpat-" + "Lv8Qz3XkLv8Qz3XkLv8Q"
	glDead    = "glpat-" + "Dd8Qz3XkDd8Qz3XkDd8Q"
	glBroken  = "glpat-" + "Br8Qz3XkBr8Qz3XkBr8Q"
	slLive    = "xoxb-" + "781236542736-2364535789652-Lv8Qz3XkLv8Qz3XkLv8Qz3Xk"
	slDead    = "xoxb-" + "781236542736-2364535789652-Dd8Qz3XkDd8Qz3XkDd8Qz3Xk"
	slOther   = "xoxb-" + "781236542736-2364535789652-Ot8Qz3XkOt8Qz3XkOt8Qz3Xk"
	stLive    = "sk_live_" + "Lv8Qz3XkLv8Qz3XkLv8Qz3Xk"
	stDead    = "sk_live_" + "Dd8Qz3XkDd8Qz3XkDd8Qz3Xk"
	stBroken  = "sk_live_" + "Br8Qz3XkBr8Qz3XkBr8Qz3Xk"
	stTest    = "sk_test_" + "Lv8Qz3XkLv8Qz3XkLv8Qz3Xk"
	awsID     = "AKIA" + "Z7Q3XVCLM2RTEKPW"
	awsIDDead = "AKIA" + "Z7Q3XVCLM2RTEKDD"
	awsIDOdd  = "AKIA" + "Z7Q3XVCLM2RTEKOD"
	awsKey    = "q8Zl3Vt0" + "Ykd/K7Md" + "NG/bPxRf" + "iCY9mQ2w" + "Lp4Xs1Hv"
)

// fakes are the five providers on loopback, reached through a transport
// that routes the providers' real hosts to them: a request for any other
// host fails the test. Each fake records what it received, so a test can
// prove a secret went to its own provider only.
type fakes struct {
	t       *testing.T
	servers map[string]*httptest.Server // by real host
	mu      sync.Mutex
	got     map[string][]string // host -> request dumps (method, path, headers, body)
	slow    chan struct{}       // closed at the end: releases slow answers
}

func newFakes(t *testing.T) *fakes {
	f := &fakes{t: t, servers: map[string]*httptest.Server{}, got: map[string][]string{}, slow: make(chan struct{})}
	t.Cleanup(func() { close(f.slow) })
	add := func(host string, h http.HandlerFunc) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var dump bytes.Buffer
			fmt.Fprintf(&dump, "%s %s host=%s\n", r.Method, r.URL.Path, r.Host)
			_ = r.Header.Write(&dump)
			dump.Write(body)
			f.mu.Lock()
			f.got[host] = append(f.got[host], dump.String())
			f.mu.Unlock()
			if r.Host != host {
				t.Errorf("%s: request for host %q", host, r.Host)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			h(w, r)
		}))
		t.Cleanup(s.Close)
		f.servers[host] = s
	}
	jsonReply := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	// GitHub: GET /user, Authorization: Bearer. The 401 body is GitHub's.
	add("api.github.com", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/user" {
			t.Errorf("github: %s %s", r.Method, r.URL.Path)
		}
		switch r.Header.Get("Authorization") {
		case "Bearer " + ghLive:
			jsonReply(w, 200, `{"login":"octocat","id":1,"type":"User"}`)
		case "Bearer " + ghBroken:
			jsonReply(w, 502, `{"message":"Server Error"}`)
		case "Bearer " + ghSlow:
			select {
			case <-f.slow:
			case <-r.Context().Done():
			}
		default:
			jsonReply(w, 401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`)
		}
	})
	// GitLab: GET /api/v4/personal_access_tokens/self, PRIVATE-TOKEN.
	add("gitlab.com", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/v4/personal_access_tokens/self" {
			t.Errorf("gitlab: %s %s", r.Method, r.URL.Path)
		}
		switch r.Header.Get("PRIVATE-TOKEN") {
		case glLive:
			jsonReply(w, 200, `{"id":4,"name":"Test Token","revoked":false,"created_at":"2020-07-23T14:31:47.729Z","scopes":["api"],"user_id":3,"active":true,"expires_at":null}`)
		case glBroken:
			jsonReply(w, 429, `{"message":"Retry later"}`)
		default:
			jsonReply(w, 401, `{"message":"401 Unauthorized"}`)
		}
	})
	// Slack: POST /api/auth.test, Authorization: Bearer; always 200.
	add("slack.com", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/auth.test" {
			t.Errorf("slack: %s %s", r.Method, r.URL.Path)
		}
		switch r.Header.Get("Authorization") {
		case "Bearer " + slLive:
			jsonReply(w, 200, `{"ok":true,"url":"https://subarachnoid.slack.com/","team":"Subarachnoid Workspace","user":"grace","team_id":"T12345678","user_id":"W12345678"}`)
		case "Bearer " + slOther:
			jsonReply(w, 200, `{"ok":false,"error":"ratelimited"}`)
		default:
			jsonReply(w, 200, `{"ok":false,"error":"invalid_auth"}`)
		}
	})
	// STS: POST / GetCallerIdentity, SigV4. The fake checks the
	// signature with the secret it knows for awsID.
	add("sts.amazonaws.com", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/" || string(body) != stsBody {
			t.Errorf("sts: %s %s %q", r.Method, r.URL.Path, body)
		}
		stsError := func(code, msg string) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(403)
			fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>%s</Code>
    <Message>%s</Message>
  </Error>
  <RequestId>4e8ee67f-5e34-4a6b-9c62-3d9f4f9c2b11</RequestId>
</ErrorResponse>`, code, msg)
		}
		auth := r.Header.Get("Authorization")
		switch {
		case strings.Contains(auth, "Credential="+awsIDOdd+"/"):
			stsError("AccessDenied", "User is not authorized")
		case !strings.Contains(auth, "Credential="+awsID+"/"):
			stsError("InvalidClientTokenId", "The security token included in the request is invalid.")
		default:
			// Sign the same request again with the secret the fake
			// knows: a different key gives a different signature.
			at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
			if err != nil {
				t.Errorf("sts: X-Amz-Date %q", r.Header.Get("X-Amz-Date"))
			}
			again, _ := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", nil)
			again.Header.Set("Content-Type", r.Header.Get("Content-Type"))
			signV4(again, body, awsID, awsKey, "us-east-1", "sts", at)
			if again.Header.Get("Authorization") != auth {
				stsError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
				return
			}
			w.Header().Set("Content-Type", "text/xml")
			_, _ = io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/Alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
		}
	})
	// Stripe: GET /v1/balance, basic auth with the key as user.
	add("api.stripe.com", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/v1/balance" {
			t.Errorf("stripe: %s %s", r.Method, r.URL.Path)
		}
		user, _, _ := r.BasicAuth()
		switch user {
		case stLive:
			jsonReply(w, 200, `{"object":"balance","available":[{"amount":0,"currency":"usd"}],"livemode":true,"pending":[]}`)
		case stBroken:
			jsonReply(w, 500, `{"error":{"type":"api_error","message":"Something went wrong"}}`)
		default:
			jsonReply(w, 401, `{"error":{"message":"Invalid API Key provided: sk_live_****","type":"invalid_request_error"}}`)
		}
	})
	return f
}

// RoundTrip sends a request for a provider's real host to its fake.
func (f *fakes) RoundTrip(req *http.Request) (*http.Response, error) {
	s, ok := f.servers[req.URL.Host]
	if !ok || req.URL.Scheme != "https" {
		f.t.Errorf("request to %s://%s: not a provider's API", req.URL.Scheme, req.URL.Host)
		return nil, fmt.Errorf("no fake for %s", req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.Host = req.URL.Host
	out.URL.Scheme, out.URL.Host = "http", strings.TrimPrefix(s.URL, "http://")
	return http.DefaultTransport.RoundTrip(out)
}

func (f *fakes) requests(host string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got[host]...)
}

// leaks fails the test when secret reached any fake but host's.
func (f *fakes) leaks(secret, host string) {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for h, reqs := range f.got {
		for _, r := range reqs {
			// Stripe's basic auth carries the key base64-encoded.
			if h != host && (strings.Contains(r, secret) || strings.Contains(r, base64.StdEncoding.EncodeToString([]byte(secret+":")))) {
				f.t.Errorf("a %s secret reached %s", host, h)
			}
		}
	}
}

func newChecker(f *fakes, opt Options) *Checker {
	opt.Transport = f
	if opt.Rate == 0 {
		opt.Rate, opt.Burst = 1000, 1000
	}
	return New(opt)
}

func TestProviders(t *testing.T) {
	f := newFakes(t)
	c := newChecker(f, Options{CheckTimeout: 300 * time.Millisecond})
	aws := func(id string) map[string]string { return map[string]string{secrets.RelatedAWSKeyID: id} }
	tests := []struct {
		rule, secret string
		related      map[string]string
		host         string // "" when nothing may be sent
		want         scanners.Verification
	}{
		{"secrets/github-pat", ghLive, nil, "api.github.com", scanners.Verified},
		{"secrets/github-pat", ghDead, nil, "api.github.com", scanners.Invalid},
		{"secrets/github-pat", ghBroken, nil, "api.github.com", scanners.Unverified},
		{"secrets/github-pat", ghSlow, nil, "api.github.com", scanners.Unverified},
		{"secrets/gitlab-pat", glLive, nil, "gitlab.com", scanners.Verified},
		{"secrets/gitlab-pat", glDead, nil, "gitlab.com", scanners.Invalid},
		{"secrets/gitlab-pat", glBroken, nil, "gitlab.com", scanners.Unverified},
		{"secrets/slack-bot-token", slLive, nil, "slack.com", scanners.Verified},
		{"secrets/slack-bot-token", slDead, nil, "slack.com", scanners.Invalid},
		{"secrets/slack-bot-token", slOther, nil, "slack.com", scanners.Unverified},
		{"secrets/aws-secret-access-key", awsKey, aws(awsID), "sts.amazonaws.com", scanners.Verified},
		{"secrets/aws-secret-access-key", awsKey, aws(awsIDDead), "sts.amazonaws.com", scanners.Invalid},
		{"secrets/aws-secret-access-key", strings.Replace(awsKey, "q8", "x9", 1), aws(awsID), "sts.amazonaws.com", scanners.Invalid},
		{"secrets/aws-secret-access-key", awsKey, aws(awsIDOdd), "sts.amazonaws.com", scanners.Unverified},
		{"secrets/aws-secret-access-key", awsKey, aws("ASIA" + "Z7Q3XVCLM2RTEKPW"), "", scanners.Unverified},
		{"secrets/aws-secret-access-key", awsKey, nil, "", scanners.Unverified},
		{"secrets/stripe-access-token", stLive, nil, "api.stripe.com", scanners.Verified},
		{"secrets/stripe-access-token", stDead, nil, "api.stripe.com", scanners.Invalid},
		{"secrets/stripe-access-token", stBroken, nil, "api.stripe.com", scanners.Unverified},
		// Not sent: a test-mode key, a value not of the provider's form
		// (a repository's rule reusing a built-in id), a rule without a
		// check.
		{"secrets/stripe-access-token", stTest, nil, "", scanners.Unverified},
		{"secrets/github-pat", "hunter2-not-a-token", nil, "", scanners.Unverified},
		{"secrets/github-pat", slLive, nil, "", scanners.Unverified},
		{"secrets/password-assignment", ghLive, nil, "", scanners.Unverified},
	}
	for _, tt := range tests {
		t.Run(tt.rule+" "+secrets.Redact(tt.secret), func(t *testing.T) {
			before := map[string]int{}
			for h := range f.servers {
				before[h] = len(f.requests(h))
			}
			s := c.Session()
			if got := s.Verify(context.Background(), tt.rule, tt.secret, tt.related); got != tt.want {
				t.Errorf("Verify = %q, want %q", got, tt.want)
			}
			for h := range f.servers {
				n := len(f.requests(h)) - before[h]
				want := 0
				if h == tt.host {
					want = 1
				}
				if n != want {
					t.Errorf("%s got %d requests, want %d", h, n, want)
				}
			}
			if tt.host != "" {
				f.leaks(tt.secret, tt.host)
			}
		})
	}
}

func TestSessionCacheAndBudget(t *testing.T) {
	f := newFakes(t)
	var mu sync.Mutex
	outcomes := map[string]int{}
	c := newChecker(f, Options{MaxChecks: 2, Observe: func(p Provider, o string) {
		mu.Lock()
		outcomes[string(p)+" "+o]++
		mu.Unlock()
	}})
	s := c.Session()
	ctx := context.Background()
	for range 3 {
		if got := s.Verify(ctx, "secrets/github-pat", ghLive, nil); got != scanners.Verified {
			t.Fatalf("Verify = %q", got)
		}
	}
	if n := len(f.requests("api.github.com")); n != 1 {
		t.Errorf("the same secret asked %d times in one review, want once", n)
	}
	if got := s.Verify(ctx, "secrets/github-pat", ghDead, nil); got != scanners.Invalid {
		t.Errorf("second secret: %q", got)
	}
	// Third distinct secret: over MaxChecks, unknown without a request.
	if got := s.Verify(ctx, "secrets/slack-bot-token", slLive, nil); got != scanners.Unverified {
		t.Errorf("over the budget: %q, want unknown", got)
	}
	if n := len(f.requests("slack.com")); n != 0 {
		t.Errorf("over the budget: %d requests", n)
	}
	// A new review has its own budget and cache.
	if got := c.Session().Verify(ctx, "secrets/slack-bot-token", slLive, nil); got != scanners.Verified {
		t.Errorf("new session: %q", got)
	}
	mu.Lock()
	wantOutcomes := map[string]int{"github verified": 1, "github invalid": 1, "slack over_budget": 1, "slack verified": 1}
	if fmt.Sprint(outcomes) != fmt.Sprint(wantOutcomes) {
		t.Errorf("observed %v, want %v", outcomes, wantOutcomes)
	}
	mu.Unlock()

	// The review's time budget: past it, nothing is asked.
	c2 := newChecker(f, Options{ReviewBudget: 50 * time.Millisecond, CheckTimeout: time.Second})
	s2 := c2.Session()
	start := time.Now()
	if got := s2.Verify(ctx, "secrets/github-pat", ghSlow, nil); got != scanners.Unverified {
		t.Errorf("slow: %q", got)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("slow check took %s, over the review's budget of 50ms", d)
	}
	n := len(f.requests("gitlab.com"))
	if got := s2.Verify(ctx, "secrets/gitlab-pat", glLive, nil); got != scanners.Unverified {
		t.Errorf("after the budget: %q", got)
	}
	if len(f.requests("gitlab.com")) != n {
		t.Error("asked after the review's budget was spent")
	}
}

func TestRateLimit(t *testing.T) {
	f := newFakes(t)
	// One check per 200ms, no burst beyond one.
	c := newChecker(f, Options{Rate: 5, Burst: 1, CheckTimeout: 2 * time.Second})
	ctx := context.Background()
	start := time.Now()
	for _, tok := range []string{ghLive, ghDead, ghBroken} {
		c.Session().Verify(ctx, "secrets/github-pat", tok, nil)
	}
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("3 checks at 5/s took %s, want at least 400ms", d)
	}
	// Another provider has its own limit: no wait.
	start = time.Now()
	c.Session().Verify(ctx, "secrets/stripe-access-token", stLive, nil)
	if d := time.Since(start); d > 150*time.Millisecond {
		t.Errorf("stripe waited %s behind github's limit", d)
	}
	// A deadline before the next turn: unknown at once, nothing sent.
	n := len(f.requests("api.github.com"))
	tctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	c.Session().Verify(ctx, "secrets/github-pat", ghLive, nil) // takes the token
	if got := c.Session().Verify(tctx, "secrets/github-pat", ghDead, nil); got != scanners.Unverified {
		t.Errorf("rate-limited: %q", got)
	}
	if got := len(f.requests("api.github.com")) - n; got != 1 {
		t.Errorf("%d requests, want 1 (the rate-limited check sends nothing)", got)
	}
}

func TestSelfHostedInstances(t *testing.T) {
	f := newFakes(t)
	// The operator's own instances: checks go there, and a refusal is
	// unknown (the token may be another instance's).
	var mu sync.Mutex
	var paths []string
	own := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Host+r.URL.Path)
		mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer "+ghLive || r.Header.Get("PRIVATE-TOKEN") == glLive {
			_, _ = io.WriteString(w, `{"id":1}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer own.Close()
	f.servers["ghe.example.com"] = own
	f.servers["gitlab.example.com"] = own
	c := newChecker(f, Options{GitHubAPIURL: "https://ghe.example.com/api/v3/", GitLabURL: "https://gitlab.example.com"})
	s := c.Session()
	ctx := context.Background()
	if got := s.Verify(ctx, "secrets/github-pat", ghLive, nil); got != scanners.Verified {
		t.Errorf("ghe live: %q", got)
	}
	if got := s.Verify(ctx, "secrets/github-pat", ghDead, nil); got != scanners.Unverified {
		t.Errorf("ghe refused: %q, want unknown", got)
	}
	if got := s.Verify(ctx, "secrets/gitlab-pat", glLive, nil); got != scanners.Verified {
		t.Errorf("self-managed gitlab live: %q", got)
	}
	if got := s.Verify(ctx, "secrets/gitlab-pat", glDead, nil); got != scanners.Unverified {
		t.Errorf("self-managed gitlab refused: %q, want unknown", got)
	}
	want := []string{"ghe.example.com/api/v3/user", "ghe.example.com/api/v3/user",
		"gitlab.example.com/api/v4/personal_access_tokens/self", "gitlab.example.com/api/v4/personal_access_tokens/self"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("requests %v, want %v", paths, want)
	}
	if len(f.requests("api.github.com"))+len(f.requests("gitlab.com")) != 0 {
		t.Error("a token went to the public instance although the operator runs its own")
	}
}

func TestNoRedirect(t *testing.T) {
	var hit bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer elsewhere.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusFound)
	}))
	defer redirector.Close()
	c := New(Options{GitLabURL: redirector.URL, Rate: 100, Burst: 100})
	if got := c.Session().Verify(context.Background(), "secrets/gitlab-pat", glLive, nil); got != scanners.Unverified {
		t.Errorf("redirect: %q, want unknown", got)
	}
	if hit {
		t.Error("the redirect was followed: the token went elsewhere")
	}
}

func TestNoSecretInLogs(t *testing.T) {
	f := newFakes(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newChecker(f, Options{Log: log, CheckTimeout: 100 * time.Millisecond, MaxChecks: 6})
	s := c.Session()
	ctx := context.Background()
	all := []struct{ rule, secret string }{
		{"secrets/github-pat", ghLive}, {"secrets/github-pat", ghSlow}, {"secrets/gitlab-pat", glDead},
		{"secrets/slack-bot-token", slOther}, {"secrets/stripe-access-token", stBroken},
		{"secrets/aws-secret-access-key", awsKey}, {"secrets/github-pat", ghDead},
	}
	for _, a := range all {
		s.Verify(ctx, a.rule, a.secret, map[string]string{secrets.RelatedAWSKeyID: awsID})
	}
	out := logs.String()
	if !strings.Contains(out, `"verification":"verified"`) || !strings.Contains(out, "over the review") {
		t.Fatalf("expected check and budget lines in the log:\n%s", out)
	}
	for _, a := range all {
		// Any 12-character piece of a secret is too much.
		for i := 0; i+12 <= len(a.secret); i += 6 {
			if strings.Contains(out, a.secret[i:i+12]) {
				t.Errorf("the log holds part of a %s secret", a.rule)
				break
			}
		}
	}
	if strings.Contains(out, "Authorization") || strings.Contains(out, "PRIVATE-TOKEN") {
		t.Error("the log holds a header")
	}
}
