package setup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/setup"
)

// fakeGitLab implements the GitLab REST endpoints setup uses, with GitLab's
// payload shapes and permission rules: the token's own record (GET
// /personal_access_tokens/self), its user (GET /user), a project or group by
// id or URL-encoded path, a member's inherited role (GET
// /projects/:id/members/all/:user_id, /groups/...), and the project's and
// group's webhooks (GET, POST, PUT .../hooks[/:hook_id]), which need
// Maintainer (project) or Owner (group), as GitLab enforces.
type fakeGitLab struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	tokens  map[string]fakeToken
	users   map[int64]fakeUser
	project fakeSpace
	group   fakeSpace
	// roles maps "project:<id>:<user>" or "group:<id>:<user>" to an access level.
	roles  map[string]int
	hooks  map[string][]map[string]any // "project:<id>" → hooks
	nextID int64
	calls  []string
	// noGroupHooks answers group hook calls 404 (GitLab Free).
	noGroupHooks bool
}

type fakeToken struct {
	user   int64
	scopes []string
}

type fakeUser struct {
	id       int64
	username string
	admin    bool
}

type fakeSpace struct {
	id   int64
	path string
}

func newFakeGitLab(t *testing.T) *fakeGitLab {
	f := &fakeGitLab{t: t,
		tokens:  map[string]fakeToken{},
		users:   map[int64]fakeUser{},
		project: fakeSpace{id: 42, path: "acme/backend"},
		group:   fakeSpace{id: 7, path: "acme"},
		roles:   map[string]int{},
		hooks:   map[string][]map[string]any{},
		nextID:  100,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitLab) addUser(token string, id int64, username string, scopes ...string) {
	f.tokens[token] = fakeToken{user: id, scopes: scopes}
	f.users[id] = fakeUser{id: id, username: username}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fakeGitLab) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.EscapedPath())
	tok, ok := f.tokens[r.Header.Get("PRIVATE-TOKEN")]
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401 Unauthorized"})
		return
	}
	user := f.users[tok.user]
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v4/")
	var segs []string
	for _, s := range strings.Split(raw, "/") {
		u, _ := url.PathUnescape(s)
		segs = append(segs, u)
	}
	notFound := func() { writeJSON(w, http.StatusNotFound, map[string]any{"message": "404 Not found"}) }
	switch {
	case r.Method == "GET" && raw == "personal_access_tokens/self":
		writeJSON(w, http.StatusOK, map[string]any{"id": 9, "name": "shiftward", "revoked": false, "created_at": "2025-01-01T00:00:00.000Z",
			"description": "", "scopes": tok.scopes, "user_id": tok.user, "last_used_at": nil, "active": true, "expires_at": "2099-01-01"})
	case r.Method == "GET" && raw == "user":
		writeJSON(w, http.StatusOK, map[string]any{"id": user.id, "username": user.username, "name": user.username, "state": "active",
			"bot": strings.HasPrefix(user.username, "project_"), "is_admin": user.admin})
	case len(segs) >= 2 && (segs[0] == "projects" || segs[0] == "groups"):
		kind := strings.TrimSuffix(segs[0], "s")
		space := f.project
		if kind == "group" {
			space = f.group
		}
		if segs[1] != strconv.FormatInt(space.id, 10) && segs[1] != space.path {
			notFound()
			return
		}
		key := kind + ":" + strconv.FormatInt(space.id, 10)
		level := f.roles[key+":"+strconv.FormatInt(user.id, 10)]
		if level == 0 && !user.admin {
			notFound() // GitLab hides private projects from non-members
			return
		}
		switch {
		case len(segs) == 2 && r.Method == "GET":
			if kind == "group" {
				if r.URL.Query().Get("with_projects") != "false" {
					f.t.Errorf("GET /groups/:id without with_projects=false lists every project")
				}
				writeJSON(w, http.StatusOK, map[string]any{"id": space.id, "name": space.path, "path": space.path, "full_path": space.path, "visibility": "private"})
			} else {
				writeJSON(w, http.StatusOK, map[string]any{"id": space.id, "name": "backend", "path": "backend", "path_with_namespace": space.path,
					"web_url": f.srv.URL + "/" + space.path, "default_branch": "main", "visibility": "private"})
			}
		case len(segs) == 5 && segs[2] == "members" && segs[3] == "all" && r.Method == "GET":
			uid, _ := strconv.ParseInt(segs[4], 10, 64)
			l := f.roles[key+":"+segs[4]]
			if l == 0 {
				notFound()
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"id": uid, "username": f.users[uid].username, "state": "active", "access_level": l})
		case len(segs) >= 3 && segs[2] == "hooks":
			if kind == "group" && f.noGroupHooks {
				notFound()
				return
			}
			need := 40
			if kind == "group" {
				need = 50
			}
			if level < need && !user.admin {
				writeJSON(w, http.StatusForbidden, map[string]any{"message": "403 Forbidden"})
				return
			}
			f.serveHooks(w, r, key, kind, space, segs[3:])
		default:
			notFound()
		}
	default:
		notFound()
	}
}

func (f *fakeGitLab) serveHooks(w http.ResponseWriter, r *http.Request, key, kind string, space fakeSpace, rest []string) {
	switch {
	case len(rest) == 0 && r.Method == "GET":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < 1 {
			page = 1
		}
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if per < 1 {
			per = 20
		}
		all := f.hooks[key]
		lo, hi := min((page-1)*per, len(all)), min(page*per, len(all))
		if hi < len(all) {
			w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
		}
		var out []map[string]any
		for _, h := range all[lo:hi] {
			v := map[string]any{}
			for k, x := range h {
				if k != "token" { // GitLab never shows a hook's token
					v[k] = x
				}
			}
			out = append(out, v)
		}
		if out == nil {
			out = []map[string]any{}
		}
		writeJSON(w, http.StatusOK, out)
	case len(rest) == 0 && r.Method == "POST", len(rest) == 1 && r.Method == "PUT":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": "400 Bad request"})
			return
		}
		if u, _ := body["url"].(string); r.Method == "POST" && u == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "url is missing"})
			return
		}
		var h map[string]any
		if r.Method == "POST" {
			f.nextID++
			h = map[string]any{"id": f.nextID, kind + "_id": space.id, "created_at": "2025-01-01T00:00:00.000Z"}
			f.hooks[key] = append(f.hooks[key], h)
		} else {
			id, _ := strconv.ParseInt(rest[0], 10, 64)
			for _, x := range f.hooks[key] {
				if x["id"] == id {
					h = x
				}
			}
			if h == nil {
				writeJSON(w, http.StatusNotFound, map[string]any{"message": "404 Not found"})
				return
			}
		}
		for k, v := range body {
			h[k] = v
		}
		v := map[string]any{}
		for k, x := range h {
			if k != "token" {
				v[k] = x
			}
		}
		writeJSON(w, map[string]int{"POST": http.StatusCreated, "PUT": http.StatusOK}[r.Method], v)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404 Not found"})
	}
}

func (f *fakeGitLab) hooksOf(key string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.hooks[key]...)
}

const (
	// Not token-shaped: the fake compares them as they are.
	botToken   = "bot-token-0123456789abcdef"
	ownerToken = "owner-token-fedcba9876543210"
)

func gitlabOpts(f *fakeGitLab, out string) setup.GitLabOptions {
	return setup.GitLabOptions{Project: "acme/backend", URL: "https://shiftward.example.com", GitLabURL: f.srv.URL, Token: botToken, Out: out}
}

func TestGitLabProjectHookEndToEndAndIdempotent(t *testing.T) {
	f := newFakeGitLab(t)
	f.addUser(botToken, 11, "project_42_bot", "api")
	f.roles["project:42:11"] = 40 // a project access token with Maintainer
	// An unrelated hook stays as it is.
	f.hooks["project:42"] = []map[string]any{{"id": int64(5), "url": "https://ci.example.com/hook", "push_events": true}}
	out := filepath.Join(t.TempDir(), "hooks.yml")

	var o1 bytes.Buffer
	if err := setup.GitLab(context.Background(), gitlabOpts(f, out), &o1); err != nil {
		t.Fatalf("first run: %v\n%s", err, o1.String())
	}
	hooks := f.hooksOf("project:42")
	if len(hooks) != 2 {
		t.Fatalf("hooks = %v, want the unrelated one and shiftward's", hooks)
	}
	h := hooks[1]
	for k, want := range map[string]any{"url": "https://shiftward.example.com/webhooks/gitlab", "push_events": true, "merge_requests_events": true,
		"note_events": true, "enable_ssl_verification": true, "issues_events": false, "pipeline_events": false, "tag_push_events": false,
		"confidential_note_events": false, "job_events": false} {
		if h[k] != want {
			t.Errorf("hook %s = %v, want %v", k, h[k], want)
		}
	}
	token, _ := h["token"].(string)
	if len(token) != 64 {
		t.Fatalf("hook token %q, want 32 random bytes in hex", token)
	}

	// The file: 0600, the server reads it, and the token is the project's.
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("hooks file: %v %v", st, err)
	}
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{config.EnvGitLabToken: botToken, config.EnvGitLabWebhookSecretsFile: out}[k]
	})
	if err != nil {
		t.Fatalf("config.FromEnv with the file: %v", err)
	}
	if hs := cfg.GitLab.Hooks; len(hs) != 1 || string(hs[0].Token) != token || !hs[0].AllowsID(42) || hs[0].AllowsID(43) || hs[0].Name != "acme/backend" {
		t.Errorf("hooks read by the server = %+v", hs)
	}
	o := o1.String()
	for _, want := range []string{"Created the webhook of project acme/backend", "Maintainer on project acme/backend", "Developer is what reviews need",
		config.EnvGitLabWebhookSecretsFile + "=" + out} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, token) || strings.Contains(o, botToken) {
		t.Errorf("output shows a secret:\n%s", o)
	}

	// A second run: the same hook, the same token, no new hook, the file
	// untouched.
	before, _ := os.ReadFile(out)
	var o2 bytes.Buffer
	if err := setup.GitLab(context.Background(), gitlabOpts(f, out), &o2); err != nil {
		t.Fatalf("second run: %v", err)
	}
	hooks = f.hooksOf("project:42")
	if len(hooks) != 2 || hooks[1]["token"] != token || hooks[1]["id"] != h["id"] {
		t.Errorf("after a second run hooks = %v, want the same two with the same token", hooks)
	}
	if after, _ := os.ReadFile(out); !bytes.Equal(before, after) {
		t.Errorf("the second run rewrote the file:\n%s\n---\n%s", before, after)
	}
	if !strings.Contains(o2.String(), "Updated the webhook") {
		t.Errorf("second run output:\n%s", o2.String())
	}
	posts := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, "POST ") {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("%d hook creations over two runs, want 1: %v", posts, f.calls)
	}
}

func TestGitLabHooksFileKeepsOtherEntriesAndComments(t *testing.T) {
	f := newFakeGitLab(t)
	f.addUser(botToken, 11, "shiftward-bot", "api")
	f.roles["project:42:11"] = 40
	out := filepath.Join(t.TempDir(), "hooks.yml")
	orig := "# per-project webhook tokens\nhooks:\n  - name: payments # the payments team\n    token: 3f9c0000aaaabbbbccccdddd\n    projects: [4211]\n"
	if err := os.WriteFile(out, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := setup.GitLab(context.Background(), gitlabOpts(f, out), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	for _, want := range []string{"# per-project webhook tokens", "# the payments team", "3f9c0000aaaabbbbccccdddd", "name: acme/backend", "projects: [42]"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("merged file lacks %q:\n%s", want, b)
		}
	}
	hs, _, err := config.ReadGitLabHooks(out, nil)
	if err != nil || len(hs) != 2 {
		t.Fatalf("merged file reads as %+v, %v", hs, err)
	}
}

func TestGitLabGroupHook(t *testing.T) {
	f := newFakeGitLab(t)
	f.addUser(botToken, 11, "shiftward-bot", "api")
	f.roles["group:7:11"] = 50
	out := filepath.Join(t.TempDir(), "hooks.yml")
	opts := gitlabOpts(f, out)
	opts.Project, opts.Group = "", "acme"
	if err := setup.GitLab(context.Background(), opts, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if hs := f.hooksOf("group:7"); len(hs) != 1 || hs[0]["merge_requests_events"] != true {
		t.Fatalf("group hooks = %v", hs)
	}
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{config.EnvGitLabToken: botToken, config.EnvGitLabWebhookSecretsFile: out}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if hs := cfg.GitLab.Hooks; len(hs) != 1 || !hs[0].AllowsPath("acme/backend") || !hs[0].AllowsPath("acme/sub/tool") || hs[0].AllowsPath("other/x") {
		t.Errorf("group entry = %+v", hs)
	}
	// Twice: no second hook.
	if err := setup.GitLab(context.Background(), opts, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if hs := f.hooksOf("group:7"); len(hs) != 1 {
		t.Errorf("group hooks after a second run = %v", hs)
	}
}

func TestGitLabReusesTheGlobalSecret(t *testing.T) {
	f := newFakeGitLab(t)
	f.addUser(botToken, 11, "shiftward-bot", "api")
	f.roles["project:42:11"] = 40
	opts := gitlabOpts(f, "")
	opts.Secret = "global-secret-0123456789" // shiftward:ignore secrets/generic-api-key test fixture, not a credential
	var o bytes.Buffer
	if err := setup.GitLab(context.Background(), opts, &o); err != nil {
		t.Fatal(err)
	}
	if hs := f.hooksOf("project:42"); len(hs) != 1 || hs[0]["token"] != "global-secret-0123456789" {
		t.Errorf("hooks = %v, want the global secret reused", hs)
	}
	if strings.Contains(o.String(), "global-secret-0123456789") || !strings.Contains(o.String(), config.EnvGitLabWebhookSecret) {
		t.Errorf("output:\n%s", o.String())
	}
}

func TestGitLabDeveloperBotUsesASetupToken(t *testing.T) {
	f := newFakeGitLab(t)
	f.addUser(botToken, 11, "shiftward-bot", "api")
	f.addUser(ownerToken, 12, "alice", "api", "read_user")
	f.roles["project:42:11"] = 30
	f.roles["project:42:12"] = 40
	out := filepath.Join(t.TempDir(), "hooks.yml")

	// The bot alone cannot manage hooks: the error says what to do.
	err := setup.GitLab(context.Background(), gitlabOpts(f, out), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "needs the Maintainer role") || !strings.Contains(err.Error(), config.EnvGitLabSetupToken) ||
		!strings.Contains(err.Error(), "the bot is Developer") {
		t.Fatalf("GitLab = %v", err)
	}
	if len(f.hooksOf("project:42")) != 0 {
		t.Fatal("a hook was made")
	}
	opts := gitlabOpts(f, out)
	opts.SetupToken = ownerToken
	var o bytes.Buffer
	if err := setup.GitLab(context.Background(), opts, &o); err != nil {
		t.Fatalf("with a setup token: %v", err)
	}
	if len(f.hooksOf("project:42")) != 1 || strings.Contains(o.String(), ownerToken) {
		t.Errorf("hooks %v; output:\n%s", f.hooksOf("project:42"), o.String())
	}
}

func TestGitLabRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fakeGitLab, o *setup.GitLabOptions)
		want  []string
	}{
		{"read_api scope", func(f *fakeGitLab, o *setup.GitLabOptions) {
			f.addUser(botToken, 11, "bot", "read_api", "read_repository")
			f.roles["project:42:11"] = 40
		}, []string{"read_api, read_repository", "needs the api scope"}},
		{"Reporter", func(f *fakeGitLab, o *setup.GitLabOptions) {
			f.addUser(botToken, 11, "bot", "api")
			f.roles["project:42:11"] = 20
		}, []string{"@bot is Reporter on project acme/backend", "needs Developer", "commit statuses"}},
		{"not a member", func(f *fakeGitLab, o *setup.GitLabOptions) {
			f.addUser(botToken, 11, "bot", "api")
		}, []string{"project acme/backend not found", "add the bot"}},
		{"token refused", func(f *fakeGitLab, o *setup.GitLabOptions) {
			o.Token = "glpat-revoked"
		}, []string{"401", "revoked"}},
		{"group hooks on Free", func(f *fakeGitLab, o *setup.GitLabOptions) {
			f.addUser(botToken, 11, "bot", "api")
			f.roles["group:7:11"] = 50
			f.noGroupHooks = true
			o.Project, o.Group = "", "acme"
		}, []string{"Premium", "--project"}},
		{"setup token not Maintainer", func(f *fakeGitLab, o *setup.GitLabOptions) {
			f.addUser(botToken, 11, "bot", "api")
			f.addUser(ownerToken, 12, "dev", "api")
			f.roles["project:42:11"] = 30
			f.roles["project:42:12"] = 30
			o.SetupToken = ownerToken
		}, []string{"@dev", config.EnvGitLabSetupToken, "Developer", "needs Maintainer"}},
		{"project and group", func(f *fakeGitLab, o *setup.GitLabOptions) { o.Group = "acme" }, []string{"one of them"}},
		{"no secret anywhere", func(f *fakeGitLab, o *setup.GitLabOptions) { o.Out = "" }, []string{"--out", config.EnvGitLabWebhookSecret}},
		{"no token", func(f *fakeGitLab, o *setup.GitLabOptions) { o.Token = "" }, []string{config.EnvGitLabToken}},
		{"bad url", func(f *fakeGitLab, o *setup.GitLabOptions) { o.URL = "shiftward" }, []string{"--url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGitLab(t)
			opts := gitlabOpts(f, filepath.Join(t.TempDir(), "hooks.yml"))
			tt.setup(f, &opts)
			var o bytes.Buffer
			err := setup.GitLab(context.Background(), opts, &o)
			if err == nil {
				t.Fatalf("GitLab succeeded:\n%s", o.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if len(f.hooksOf("project:42"))+len(f.hooksOf("group:7")) != 0 {
				t.Error("a hook was made")
			}
			if strings.Contains(err.Error()+o.String(), botToken) || strings.Contains(err.Error()+o.String(), ownerToken) {
				t.Error("a token was shown")
			}
		})
	}
}

func TestGitLabRefusesAnOutThatIsNotAHooksFile(t *testing.T) {
	for name, body := range map[string]string{
		"a list":            "- a\n- b\n",
		"hooks not a list":  "hooks: {a: 1}\n",
		"not YAML":          "hooks: [\n",
		"someone's secrets": "password: hunter2\n",
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeGitLab(t)
			f.addUser(botToken, 11, "bot", "api")
			f.roles["project:42:11"] = 40
			out := filepath.Join(t.TempDir(), "hooks.yml")
			if err := os.WriteFile(out, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			err := setup.GitLab(context.Background(), gitlabOpts(f, out), &bytes.Buffer{})
			if err == nil || len(f.hooksOf("project:42")) != 0 {
				t.Errorf("GitLab = %v with hooks %v, want a refusal and no hook", err, f.hooksOf("project:42"))
			}
			if b, _ := os.ReadFile(out); string(b) != body {
				t.Errorf("the file changed:\n%s", b)
			}
		})
	}
}
