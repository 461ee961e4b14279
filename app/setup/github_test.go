package setup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/setup"
)

// The fake app's secrets: no output may quote them.
const (
	fakeWebhookSecret = "e7c9d1f0a2b34c5d6e7f8091a2b3c4d5e6f70812" // shiftward:ignore secrets/generic-api-key test fixture, not a credential
	fakeClientSecret  = "5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b" // shiftward:ignore secrets/generic-api-key test fixture, not a credential
	fakeCode          = "a180b1a3d263c81bc6441d7b990bae27d4c10679"
)

var fakePEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsetupFAKEkey\n-----END RSA PRIVATE KEY-----\n"

// fakeGitHub serves the two GitHub endpoints of the manifest flow as
// github.com and GHES do: the "new app" form (POST
// /settings/apps/new?state=… or /organizations/{org}/settings/apps/new with
// a form field "manifest"), which it answers as a user confirming would,
// by redirecting to the manifest's redirect_url with a code and the state;
// and the code's one conversion (POST
// /api/v3/app-manifests/{code}/conversions, 201 with the app's
// configuration; a used or unknown code is 404).
type fakeGitHub struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	manifests []map[string]any
	forms     []string // the form's path
	used      bool
	exchanges int
	// code is what the "user" comes back with.
	code string
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{t: t, code: fakeCode}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

var formPath = regexp.MustCompile(`^/(settings|organizations/[A-Za-z0-9-]+/settings)/apps/new$`)

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && formPath.MatchString(r.URL.Path):
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(r.PostForm.Get("manifest")), &m); err != nil {
			http.Error(w, "Invalid GitHub App configuration: manifest is not JSON", http.StatusUnprocessableEntity)
			return
		}
		hook, _ := m["hook_attributes"].(map[string]any)
		redirect, _ := m["redirect_url"].(string)
		if u, _ := m["url"].(string); u == "" || hook == nil || hook["url"] == nil || redirect == "" {
			http.Error(w, "Invalid GitHub App configuration", http.StatusUnprocessableEntity)
			return
		}
		f.manifests = append(f.manifests, m)
		f.forms = append(f.forms, r.URL.Path)
		// The user presses "Create GitHub App": back to the redirect URL
		// with the code and, as given, the state.
		back := redirect + "?code=" + url.QueryEscape(f.code)
		if s := r.URL.Query().Get("state"); s != "" {
			back += "&state=" + url.QueryEscape(s)
		}
		http.Redirect(w, r, back, http.StatusFound)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v3/app-manifests/") && strings.HasSuffix(r.URL.Path, "/conversions"):
		f.exchanges++
		code := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v3/app-manifests/"), "/conversions")
		if code != fakeCode || f.used {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest","status":"404"}`)
			return
		}
		f.used = true
		name, _ := f.manifests[len(f.manifests)-1]["name"].(string)
		slug := strings.ToLower(name)
		// GitHub's answer (docs: "Create a GitHub App from a manifest", 201).
		body := map[string]any{
			"id": 59, "slug": slug, "node_id": "MDExOkludGVncmF0aW9uNTk=",
			"owner": map[string]any{"login": "octocat", "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": false, "html_url": "https://github.com/octocat"},
			"name":  name, "description": "", "external_url": "https://github.com/shiftward/shiftward",
			"html_url":   f.srv.URL + "/apps/" + slug,
			"created_at": "2017-07-08T16:18:44-04:00", "updated_at": "2017-07-08T16:18:44-04:00",
			"permissions": map[string]any{"checks": "write", "metadata": "read"}, "events": []any{"push", "pull_request"},
			"client_id": "Iv1.8a61f9b3a7aba766", "client_secret": fakeClientSecret,
			"webhook_secret": fakeWebhookSecret, "pem": fakePEM,
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(body)
	default:
		http.NotFound(w, r)
	}
}

// browser plays the user's browser: it opens the local page, reads the
// form that page would submit, and submits it, following GitHub's redirect
// back to the callback.
func browser(t *testing.T, page string) (status int, body string, err error) {
	resp, err := http.Get(page)
	if err != nil {
		return 0, "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action, fields, err := parseForm(string(b))
	if err != nil {
		return 0, "", err
	}
	resp, err = http.PostForm(action, fields)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

var (
	formRE  = regexp.MustCompile(`<form id="register" action="([^"]*)" method="post">`)
	inputRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	autoRE  = regexp.MustCompile(`<script>document\.getElementById\("register"\)\.submit\(\);</script>`)
)

// parseForm reads the page's form as a browser would submit it.
func parseForm(page string) (string, url.Values, error) {
	m := formRE.FindStringSubmatch(page)
	if m == nil {
		return "", nil, fmt.Errorf("no form in the page:\n%s", page)
	}
	if !autoRE.MatchString(page) {
		return "", nil, errors.New("the page does not submit its form by itself")
	}
	fields := url.Values{}
	for _, in := range inputRE.FindAllStringSubmatch(page, -1) {
		fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields, nil
}

type run struct {
	out  bytes.Buffer
	err  error
	done chan struct{}
	page chan string
}

// start runs the flow in the background and returns once the page listens.
func start(t *testing.T, opts setup.GitHubOptions) *run {
	t.Helper()
	r := &run{done: make(chan struct{}), page: make(chan string, 1)}
	opts.Ready = func(u string) { r.page <- u }
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(r.done)
		r.err = setup.GitHub(ctx, opts, &r.out)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func (r *run) waitPage(t *testing.T) string {
	t.Helper()
	select {
	case p := <-r.page:
		return p
	case <-r.done:
		t.Fatalf("the flow ended before serving its page: %v\n%s", r.err, r.out.String())
	case <-time.After(10 * time.Second):
		t.Fatal("the page never listened")
	}
	return ""
}

func (r *run) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.done:
		return r.err
	case <-time.After(15 * time.Second):
		t.Fatal("the flow did not end")
	}
	return nil
}

func TestGitHubManifestFlowEndToEnd(t *testing.T) {
	for _, org := range []string{"", "acme"} {
		t.Run("org="+org, func(t *testing.T) {
			gh := newFakeGitHub(t)
			out := filepath.Join(t.TempDir(), "github-app.json")
			r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com/", Org: org, GitHubURL: gh.srv.URL, Out: out, Name: "shiftward-acme"})
			page := r.waitPage(t)
			if !strings.HasPrefix(page, "http://127.0.0.1:") {
				t.Errorf("local page %s, want 127.0.0.1 on a port", page)
			}
			status, body, err := browser(t, page)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.wait(t); err != nil {
				t.Fatalf("flow: %v\n%s", err, r.out.String())
			}
			if status != http.StatusOK || !strings.Contains(body, "shiftward-acme is registered") {
				t.Errorf("callback page %d:\n%s", status, body)
			}

			// The form went to the account's or the organisation's form,
			// with a manifest made from app.yml.
			wantForm := "/settings/apps/new"
			if org != "" {
				wantForm = "/organizations/acme/settings/apps/new"
			}
			if len(gh.forms) != 1 || gh.forms[0] != wantForm {
				t.Fatalf("forms posted %v, want %s", gh.forms, wantForm)
			}
			m := gh.manifests[0]
			hook := m["hook_attributes"].(map[string]any)
			perms := m["default_permissions"].(map[string]any)
			if hook["url"] != "https://shiftward.example.com/webhooks/github" || hook["active"] != true || m["name"] != "shiftward-acme" ||
				!strings.HasPrefix(m["redirect_url"].(string), strings.TrimSuffix(page, "/")+"/callback") ||
				perms["workflows"] != "write" || perms["contents"] != "write" || m["public"] != false || m["url"] != "https://github.com/shiftward/shiftward" {
				t.Errorf("manifest = %v", m)
			}

			// The file: 0600, what the server reads, and no client secret.
			st, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("file mode %04o, want 0600", st.Mode().Perm())
			}
			raw, _ := os.ReadFile(out)
			if bytes.Contains(raw, []byte(fakeClientSecret)) {
				t.Error("the file keeps the OAuth client secret, which shiftward does not use")
			}
			cfg, err := config.FromEnv(func(k string) string {
				if k == config.EnvGitHubAppFile {
					return out
				}
				return ""
			})
			if err != nil {
				t.Fatalf("config.FromEnv with the file: %v", err)
			}
			if cfg.GitHub.AppID != 59 || string(cfg.GitHub.PrivateKey) != fakePEM || string(cfg.GitHub.WebhookSecrets[0]) != fakeWebhookSecret || len(cfg.Warnings) != 0 {
				t.Errorf("server config from the file = %+v, warnings %q", cfg.GitHub, cfg.Warnings)
			}

			// The output: the install link and next step, no secret.
			o := r.out.String()
			for _, want := range []string{gh.srv.URL + "/apps/shiftward-acme/installations/new", config.EnvGitHubAppFile + "=" + out, "id 59",
				config.EnvGitHubAPIURL + "=" + gh.srv.URL + "/api/v3/"} {
				if !strings.Contains(o, want) {
					t.Errorf("output lacks %q:\n%s", want, o)
				}
			}
			for _, secret := range []string{fakeWebhookSecret, "MIIEowIBAAKCAQEAsetupFAKEkey", fakeClientSecret, fakeCode} {
				if strings.Contains(o, secret) || strings.Contains(body, secret) {
					t.Errorf("a secret was shown")
				}
			}
		})
	}
}

func TestGitHubCallbackRefusesAWrongStateAndKeepsWaiting(t *testing.T) {
	gh := newFakeGitHub(t)
	out := filepath.Join(t.TempDir(), "github-app.json")
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", GitHubURL: gh.srv.URL, Out: out})
	page := r.waitPage(t)
	cb := strings.TrimSuffix(page, "/") + "/callback"
	for _, q := range []string{"code=" + fakeCode + "&state=forged", "code=" + fakeCode, "state="} {
		resp, err := http.Get(cb + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("callback ?%s answered %d, want 400", q, resp.StatusCode)
		}
	}
	if gh.exchanges != 0 {
		t.Fatalf("a code with a wrong state was exchanged")
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written: %v", err)
	}
	// The real answer still completes the flow.
	if _, _, err := browser(t, page); err != nil {
		t.Fatal(err)
	}
	if err := r.wait(t); err != nil {
		t.Fatalf("flow after a forged callback: %v", err)
	}
	if gh.exchanges != 1 {
		t.Errorf("%d exchanges, want 1", gh.exchanges)
	}
}

func TestGitHubCallbackRefusesACodeThatIsNotOne(t *testing.T) {
	// go-github puts the code in the path unescaped: "../" would post
	// somewhere else.
	gh := newFakeGitHub(t)
	gh.code = "../../user/repos"
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", GitHubURL: gh.srv.URL, Out: filepath.Join(t.TempDir(), "a.json"),
		Timeout: 2 * time.Second})
	status, _, err := browser(t, r.waitPage(t))
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusBadRequest || gh.exchanges != 0 {
		t.Errorf("a path as code: callback %d, %d exchanges", status, gh.exchanges)
	}
	if err := r.wait(t); err == nil || !strings.Contains(err.Error(), "no answer from GitHub within 2s") {
		t.Errorf("flow = %v, want the timeout", err)
	}
}

func TestGitHubPageRefusesAnotherHost(t *testing.T) {
	// DNS rebinding: a site whose name resolves to 127.0.0.1 reaches the
	// page under its own host name.
	gh := newFakeGitHub(t)
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", GitHubURL: gh.srv.URL, Out: filepath.Join(t.TempDir(), "a.json")})
	page := r.waitPage(t)
	req, _ := http.NewRequest(http.MethodGet, page, nil)
	req.Host = "attacker.example:80"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest || strings.Contains(string(b), "state=") {
		t.Errorf("another host got %d:\n%s", resp.StatusCode, b)
	}
}

func TestGitHubUsedCodeIsAClearError(t *testing.T) {
	gh := newFakeGitHub(t)
	gh.used = true
	out := filepath.Join(t.TempDir(), "a.json")
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", GitHubURL: gh.srv.URL, Out: out})
	status, body, err := browser(t, r.waitPage(t))
	if err != nil {
		t.Fatal(err)
	}
	err = r.wait(t)
	if err == nil || !strings.Contains(err.Error(), "GitHub refused the code (404") || status != http.StatusBadGateway || !strings.Contains(body, "could not be set up") {
		t.Errorf("flow = %v; page %d:\n%s", err, status, body)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written: %v", err)
	}
}

func TestGitHubTimesOutClearly(t *testing.T) {
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", Out: filepath.Join(t.TempDir(), "a.json"), Timeout: 300 * time.Millisecond})
	r.waitPage(t)
	err := r.wait(t)
	if err == nil || !strings.Contains(err.Error(), "no answer from GitHub within 300ms") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("flow = %v", err)
	}
}

func TestGitHubRefusesToOverwriteBeforeAnythingIsRegistered(t *testing.T) {
	out := filepath.Join(t.TempDir(), "github-app.json")
	if err := os.WriteFile(out, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	err := setup.GitHub(context.Background(), setup.GitHubOptions{URL: "https://shiftward.example.com", Out: out,
		Ready: func(string) { called = true }}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite") || !strings.Contains(err.Error(), "--force") || called {
		t.Errorf("GitHub = %v (page served: %v), want a refusal before the page", err, called)
	}
	if b, _ := os.ReadFile(out); string(b) != "{}" {
		t.Errorf("the file changed: %s", b)
	}
}

func TestGitHubForceReplacesTheFile(t *testing.T) {
	gh := newFakeGitHub(t)
	out := filepath.Join(t.TempDir(), "github-app.json")
	if err := os.WriteFile(out, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := start(t, setup.GitHubOptions{URL: "https://shiftward.example.com", GitHubURL: gh.srv.URL, Out: out, Force: true})
	if _, _, err := browser(t, r.waitPage(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.wait(t); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %04o, want 0600", st.Mode().Perm())
	}
	if _, _, err := config.ReadGitHubAppFile(out); err != nil {
		t.Errorf("replaced file: %v", err)
	}
}

func TestGitHubOptionErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		opts setup.GitHubOptions
		want string
	}{
		{"no url", setup.GitHubOptions{}, "--url"},
		{"url not absolute", setup.GitHubOptions{URL: "shiftward.example.com"}, "--url"},
		{"url with query", setup.GitHubOptions{URL: "https://s.example.com/?a=b"}, "query"},
		{"bad github url", setup.GitHubOptions{URL: "https://s.example.com", GitHubURL: "ftp://github.com"}, "--github-url"},
		{"bad org", setup.GitHubOptions{URL: "https://s.example.com", Org: "../admin"}, "--org"},
		{"name too long", setup.GitHubOptions{URL: "https://s.example.com", Name: strings.Repeat("n", 35)}, "34"},
		{"listen off loopback", setup.GitHubOptions{URL: "https://s.example.com", Listen: "0.0.0.0:0"}, "loopback"},
		{"manifest with a typo", setup.GitHubOptions{URL: "https://s.example.com", Manifest: []byte("url: https://x\ndefault_permission:\n  checks: write\n")}, "default_permission"},
		{"manifest without permissions", setup.GitHubOptions{URL: "https://s.example.com", Manifest: []byte("url: https://x\nname: a\ndefault_events: [push]\n")}, "default_permissions"},
		{"manifest not YAML", setup.GitHubOptions{URL: "https://s.example.com", Manifest: []byte("\t- [")}, "YAML"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Out = filepath.Join(dir, fmt.Sprintf("%d.json", i))
			err := setup.GitHub(context.Background(), tt.opts, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("GitHub = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
