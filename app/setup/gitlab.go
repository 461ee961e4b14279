package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"
	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/app/config"
)

// GitLab access levels (docs.gitlab.com: "Roles and permissions").
const (
	accessReporter   = 20
	accessDeveloper  = 30
	accessMaintainer = 40
	accessOwner      = 50
)

// maxHookPages bounds the listing of a project's or group's webhooks.
const maxHookPages = 20

// maxHooksFileRead bounds an existing hooks file read for merging (the
// server reads at most 1 MiB).
const maxHooksFileRead = 1 << 20

// GitLabOptions configures `shiftward setup gitlab`.
type GitLabOptions struct {
	// Project ("group/project" or an id) or Group ("group/subgroup") gets
	// the webhook; exactly one is set.
	Project, Group string
	// URL is shiftward's public address; the webhook is URL/webhooks/gitlab.
	URL string
	// GitLabURL is the instance (DefaultGitLabURL when empty).
	GitLabURL string
	// Token is the bot's access token (SHIFTWARD_GITLAB_TOKEN).
	Token string
	// SetupToken (SHIFTWARD_GITLAB_SETUP_TOKEN), when set, creates the
	// webhook instead of Token.
	SetupToken string
	// Secret is SHIFTWARD_GITLAB_WEBHOOK_SECRET: the hook's token when Out
	// is empty.
	Secret string
	// Out is a hooks file (SHIFTWARD_GITLAB_WEBHOOK_SECRETS_FILE's format)
	// the hook's own token is kept in: created 0600, or updated in place
	// (an entry for this project or group keeps its token).
	Out string
	// HTTPClient sends the API requests; nil: a client with a 30 s timeout.
	HTTPClient *http.Client
}

// GitLab checks the bot token (scope api, Developer or above on the
// project or group) and creates the project's or group's webhook for
// push, merge request and comment events, with SSL verification and a
// secret token, or updates the hook already pointing at shiftward: a second
// run changes the same hook, never adds one. The token is written to
// opts.Out (or is SHIFTWARD_GITLAB_WEBHOOK_SECRET). w gets what was done.
func GitLab(ctx context.Context, opts GitLabOptions, w io.Writer) error {
	if (opts.Project == "") == (opts.Group == "") {
		return errors.New("give --project GROUP/PROJECT or --group GROUP (one of them)")
	}
	base, err := publicURL("--url", opts.URL)
	if err != nil {
		return err
	}
	hookURL := base + "/webhooks/gitlab"
	if opts.GitLabURL == "" {
		opts.GitLabURL = config.DefaultGitLabURL
	}
	if u, err := url.Parse(opts.GitLabURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("--gitlab-url %q: want the instance's address, like https://gitlab.example.com", opts.GitLabURL)
	}
	if opts.Token == "" {
		return fmt.Errorf("%s is not set: the bot user's access token (api scope)", config.EnvGitLabToken)
	}
	if opts.Out == "" && opts.Secret == "" {
		return fmt.Errorf("give --out FILE for the webhook's secret token (a hooks file for %s), or set %s to reuse",
			config.EnvGitLabWebhookSecretsFile, config.EnvGitLabWebhookSecret)
	}
	if opts.Out != "" {
		if err := checkWritable(opts.Out, true); err != nil {
			return err
		}
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	s := &glSetup{ctx: ctx, opts: opts, w: w}
	if s.bot, err = newGitLabClient(opts.GitLabURL, opts.Token, hc); err != nil {
		return err
	}
	s.admin = s.bot
	if opts.SetupToken != "" {
		if s.admin, err = newGitLabClient(opts.GitLabURL, opts.SetupToken, hc); err != nil {
			return err
		}
	}
	return s.run(hookURL)
}

func newGitLabClient(base, token string, hc *http.Client) (*gl.Client, error) {
	// No retries: a POST retried after a lost answer would add a second
	// hook.
	c, err := gl.NewClient(token, gl.WithBaseURL(base), gl.WithHTTPClient(hc), gl.WithoutRetries())
	if err != nil {
		return nil, fmt.Errorf("GitLab client for %s: %w", base, err)
	}
	return c, nil
}

type glSetup struct {
	ctx        context.Context
	opts       GitLabOptions
	w          io.Writer
	bot, admin *gl.Client
}

// target is the project or group the hook goes on.
type target struct {
	group    bool
	id       int64
	path     string // path_with_namespace / full_path
	kind     string // "project" or "group"
	manageAt int    // the role that manages its hooks
}

func (s *glSetup) run(hookURL string) error {
	bot, err := s.checkToken(s.bot, config.EnvGitLabToken)
	if err != nil {
		return err
	}
	t, err := s.findTarget()
	if err != nil {
		return err
	}
	level, err := s.role(s.bot, t, bot)
	if err != nil {
		return err
	}
	if level < accessDeveloper {
		return fmt.Errorf("the bot @%s is %s on %s %s; it needs Developer or above: %s", bot.Username, roleName(level), t.kind, t.path, roleNeeds)
	}
	fmt.Fprintf(s.w, "Bot @%s: %s on %s %s (id %d). %s\n", bot.Username, roleName(level), t.kind, t.path, t.id, roleNeeds)

	// Who manages the hook: the bot itself, or the setup token's user.
	manager, managerLevel := bot, level
	if s.opts.SetupToken != "" {
		if manager, err = s.checkToken(s.admin, config.EnvGitLabSetupToken); err != nil {
			return err
		}
		if managerLevel, err = s.role(s.admin, t, manager); err != nil {
			return err
		}
	}
	if managerLevel < t.manageAt && !manager.IsAdmin {
		if s.opts.SetupToken != "" {
			return fmt.Errorf("@%s (%s) is %s on %s %s: managing its webhooks needs %s", manager.Username, config.EnvGitLabSetupToken,
				roleName(managerLevel), t.kind, t.path, roleName(t.manageAt))
		}
		return fmt.Errorf("managing the webhooks of %s %s needs the %s role; the bot is %s, which is all reviews need. "+
			"Set %s to a token (api scope) of a %s, used for the webhook only, or add the webhook by hand (README, Running the GitLab bot)",
			t.kind, t.path, roleName(t.manageAt), roleName(level), config.EnvGitLabSetupToken, roleName(t.manageAt))
	}

	hooks, err := s.listHooks(t)
	if err != nil {
		return err
	}
	var existing *hookView
	for i := range hooks {
		if sameHookURL(hooks[i].url, hookURL) {
			if existing == nil {
				existing = &hooks[i]
			} else {
				fmt.Fprintf(s.w, "Note: hook %d also points at %s; left as it is (delete it in GitLab if it is a leftover).\n", hooks[i].id, hookURL)
			}
		}
	}

	token, where, err := s.secret(t)
	if err != nil {
		return err
	}
	id, err := s.saveHook(t, existing, hookURL, token)
	if err != nil {
		return err
	}
	verb := "Created"
	if existing != nil {
		verb = "Updated"
	}
	fmt.Fprintf(s.w, "%s the webhook of %s %s (hook %d): %s, push, merge request and comment events, SSL verification on.\n",
		verb, t.kind, t.path, id, hookURL)
	fmt.Fprintf(s.w, "Its secret token is %s.\n", where)
	if strings.HasPrefix(hookURL, "http://") {
		fmt.Fprintf(s.w, "Warning: %s is not https: the secret token and every delivery travel in the clear.\n", hookURL)
	}
	fmt.Fprintln(s.w, "\nNext: run shiftward with")
	fmt.Fprintf(s.w, "  %s=%s %s=<the bot's token>", config.EnvGitLabURL, s.opts.GitLabURL, config.EnvGitLabToken)
	if s.opts.Out != "" {
		fmt.Fprintf(s.w, " %s=%s", config.EnvGitLabWebhookSecretsFile, s.opts.Out)
	} else {
		fmt.Fprintf(s.w, " %s=<as now>", config.EnvGitLabWebhookSecret)
	}
	fmt.Fprintln(s.w, " shiftward serve")
	fmt.Fprintln(s.w, "then send a test merge request event from the hook's page in GitLab: shiftward answers 202.")
	return nil
}

// roleNeeds says which role the bot's features need.
const roleNeeds = "Developer is what reviews need: commit statuses, merge request discussions and their resolution, and committing " +
	".shiftward.yml for /shiftward ignore (commands.ignore: commit) to unprotected branches; Reporter can only read."

func roleName(level int) string {
	switch {
	case level >= accessOwner:
		return "Owner"
	case level >= accessMaintainer:
		return "Maintainer"
	case level >= accessDeveloper:
		return "Developer"
	case level >= accessReporter:
		return "Reporter"
	case level >= 15:
		return "Planner"
	case level >= 10:
		return "Guest"
	case level > 0:
		return "Minimal Access"
	}
	return "not a member"
}

// checkToken asks GitLab about the token (GET /personal_access_tokens/self:
// project and group access tokens answer too) and its user (GET /user). It
// needs the api scope: read_api cannot post, and hooks need api.
func (s *glSetup) checkToken(c *gl.Client, name string) (*gl.User, error) {
	pat, _, err := c.PersonalAccessTokens.GetSinglePersonalAccessToken(gl.WithContext(s.ctx))
	switch {
	case status(err) == http.StatusUnauthorized:
		return nil, fmt.Errorf("%s: GitLab refused the token (401): revoked, expired, or of another instance than %s", name, s.opts.GitLabURL)
	case status(err) == http.StatusNotFound:
		// GitLab before 15.5 has no such endpoint: the calls below
		// still show what the token may do.
		fmt.Fprintf(s.w, "Note: %s's scopes could not be read (GitLab older than 15.5?); it needs the api scope.\n", name)
	case err != nil:
		return nil, fmt.Errorf("%s: reading the token's scopes: %w", name, err)
	case !pat.Active || pat.Revoked:
		return nil, fmt.Errorf("%s: the token is revoked or expired", name)
	case !slices.Contains(pat.Scopes, "api"):
		return nil, fmt.Errorf("%s: the token's scopes are %s; it needs the api scope (read_api cannot post reviews or manage webhooks)",
			name, strings.Join(pat.Scopes, ", "))
	default:
		if pat.ExpiresAt != nil {
			if exp := time.Time(*pat.ExpiresAt); time.Until(exp) < 30*24*time.Hour {
				fmt.Fprintf(s.w, "Note: %s expires on %s: rotate it before then.\n", name, exp.Format("2006-01-02"))
			}
		}
	}
	u, _, err := c.Users.CurrentUser(gl.WithContext(s.ctx))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the token's user (GET /user): %w", name, err)
	}
	return u, nil
}

func (s *glSetup) findTarget() (target, error) {
	if s.opts.Group != "" {
		// API v4 lists up to 100 of the group's projects with it unless
		// told not to; v5 will drop both the list and the option.
		//lint:ignore SA1019 the option is how v4 is told not to list projects
		opt := &gl.GetGroupOptions{WithProjects: gl.Ptr(false)}
		g, _, err := s.bot.Groups.GetGroup(s.opts.Group, opt, gl.WithContext(s.ctx))
		if status(err) == http.StatusNotFound {
			return target{}, fmt.Errorf("group %s not found, or the bot cannot see it: add the bot to it as a Developer", s.opts.Group)
		} else if err != nil {
			return target{}, fmt.Errorf("reading group %s: %w", s.opts.Group, err)
		}
		return target{group: true, id: g.ID, path: g.FullPath, kind: "group", manageAt: accessOwner}, nil
	}
	p, _, err := s.bot.Projects.GetProject(s.opts.Project, nil, gl.WithContext(s.ctx))
	if status(err) == http.StatusNotFound {
		return target{}, fmt.Errorf("project %s not found, or the bot cannot see it: add the bot to it as a Developer", s.opts.Project)
	} else if err != nil {
		return target{}, fmt.Errorf("reading project %s: %w", s.opts.Project, err)
	}
	return target{id: p.ID, path: p.PathWithNamespace, kind: "project", manageAt: accessMaintainer}, nil
}

// role is u's access level on t, inherited memberships included (GET
// /projects/:id/members/all/:user_id); 0 when u is not a member.
func (s *glSetup) role(c *gl.Client, t target, u *gl.User) (int, error) {
	var (
		level gl.AccessLevelValue
		err   error
	)
	if t.group {
		var m *gl.GroupMember
		if m, _, err = c.GroupMembers.GetInheritedGroupMember(t.id, u.ID, gl.WithContext(s.ctx)); err == nil {
			level = m.AccessLevel
		}
	} else {
		var m *gl.ProjectMember
		if m, _, err = c.ProjectMembers.GetInheritedProjectMember(t.id, u.ID, gl.WithContext(s.ctx)); err == nil {
			level = m.AccessLevel
		}
	}
	if status(err) == http.StatusNotFound {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("reading @%s's role on %s %s: %w", u.Username, t.kind, t.path, err)
	}
	return int(level), nil
}

// hookView is what setup needs of a project or group hook.
type hookView struct {
	id  int64
	url string
}

func (s *glSetup) listHooks(t target) ([]hookView, error) {
	var out []hookView
	opt := gl.ListOptions{PerPage: 100, Page: 1}
	for range maxHookPages {
		var (
			resp *gl.Response
			err  error
		)
		if t.group {
			var hs []*gl.GroupHook
			hs, resp, err = s.admin.Groups.ListGroupHooks(t.id, &gl.ListGroupHooksOptions{ListOptions: opt}, gl.WithContext(s.ctx))
			for _, h := range hs {
				out = append(out, hookView{h.ID, h.URL})
			}
		} else {
			var hs []*gl.ProjectHook
			hs, resp, err = s.admin.Projects.ListProjectHooks(t.id, &gl.ListProjectHooksOptions{ListOptions: opt}, gl.WithContext(s.ctx))
			for _, h := range hs {
				out = append(out, hookView{h.ID, h.URL})
			}
		}
		switch {
		case status(err) == http.StatusForbidden:
			return nil, fmt.Errorf("GitLab refused to list the webhooks of %s %s (403): it needs the %s role there%s",
				t.kind, t.path, roleName(t.manageAt), premiumNote(t))
		case status(err) == http.StatusNotFound && t.group:
			return nil, fmt.Errorf("GitLab has no webhooks for group %s (404): group webhooks are a Premium feature; use --project for each project", t.path)
		case err != nil:
			return nil, fmt.Errorf("listing the webhooks of %s %s: %w", t.kind, t.path, err)
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
	return nil, fmt.Errorf("%s %s has over %d webhooks; add shiftward's by hand", t.kind, t.path, maxHookPages*100)
}

func premiumNote(t target) string {
	if t.group {
		return " (group webhooks are a Premium feature)"
	}
	return ""
}

// sameHookURL compares hook URLs as GitLab shows them: scheme and host
// without case, no trailing slash.
func sameHookURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return s
		}
		u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
		u.Path = strings.TrimRight(u.Path, "/")
		return u.String()
	}
	return norm(a) == norm(b)
}

// saveHook creates the hook or edits the existing one: the events
// shiftward acts on (push, merge requests, comments) on, every other off,
// SSL verification on, the secret token set.
func (s *glSetup) saveHook(t target, existing *hookView, hookURL, token string) (int64, error) {
	on, off := gl.Ptr(true), gl.Ptr(false)
	name := gl.Ptr("shiftward")
	desc := gl.Ptr("shiftward security review (shiftward setup gitlab)")
	var (
		id  int64
		err error
	)
	switch {
	case t.group && existing == nil:
		var h *gl.GroupHook
		h, _, err = s.admin.Groups.AddGroupHook(t.id, &gl.AddGroupHookOptions{URL: &hookURL, Name: name, Description: desc, Token: &token,
			PushEvents: on, MergeRequestsEvents: on, NoteEvents: on, EnableSSLVerification: on,
			IssuesEvents: off, ConfidentialIssuesEvents: off, ConfidentialNoteEvents: off, TagPushEvents: off, JobEvents: off,
			PipelineEvents: off, WikiPageEvents: off, DeploymentEvents: off, ReleasesEvents: off}, gl.WithContext(s.ctx))
		if err == nil {
			id = h.ID
		}
	case t.group:
		var h *gl.GroupHook
		h, _, err = s.admin.Groups.EditGroupHook(t.id, existing.id, &gl.EditGroupHookOptions{URL: &hookURL, Name: name, Description: desc, Token: &token,
			PushEvents: on, MergeRequestsEvents: on, NoteEvents: on, EnableSSLVerification: on,
			IssuesEvents: off, ConfidentialIssuesEvents: off, ConfidentialNoteEvents: off, TagPushEvents: off, JobEvents: off,
			PipelineEvents: off, WikiPageEvents: off, DeploymentEvents: off, ReleasesEvents: off}, gl.WithContext(s.ctx))
		if err == nil {
			id = h.ID
		}
	case existing == nil:
		var h *gl.ProjectHook
		h, _, err = s.admin.Projects.AddProjectHook(t.id, &gl.AddProjectHookOptions{URL: &hookURL, Name: name, Description: desc, Token: &token,
			PushEvents: on, MergeRequestsEvents: on, NoteEvents: on, EnableSSLVerification: on,
			IssuesEvents: off, ConfidentialIssuesEvents: off, ConfidentialNoteEvents: off, TagPushEvents: off, JobEvents: off,
			PipelineEvents: off, WikiPageEvents: off, DeploymentEvents: off, ReleasesEvents: off}, gl.WithContext(s.ctx))
		if err == nil {
			id = h.ID
		}
	default:
		var h *gl.ProjectHook
		h, _, err = s.admin.Projects.EditProjectHook(t.id, existing.id, &gl.EditProjectHookOptions{URL: &hookURL, Name: name, Description: desc, Token: &token,
			PushEvents: on, MergeRequestsEvents: on, NoteEvents: on, EnableSSLVerification: on,
			IssuesEvents: off, ConfidentialIssuesEvents: off, ConfidentialNoteEvents: off, TagPushEvents: off, JobEvents: off,
			PipelineEvents: off, WikiPageEvents: off, DeploymentEvents: off, ReleasesEvents: off}, gl.WithContext(s.ctx))
		if err == nil {
			id = h.ID
		}
	}
	if err != nil {
		what := "creating"
		if existing != nil {
			what = "updating"
		}
		if status(err) == http.StatusForbidden {
			return 0, fmt.Errorf("GitLab refused %s the webhook of %s %s (403): it needs the %s role there%s", what, t.kind, t.path, roleName(t.manageAt), premiumNote(t))
		}
		return 0, fmt.Errorf("%s the webhook of %s %s: %w", what, t.kind, t.path, err)
	}
	return id, nil
}

// secret returns the hook's token and says where the operator finds it.
// With Out, the hooks file's entry for this project or group keeps its
// token (a second run changes nothing there); a new entry gets a fresh
// 32-byte token, written before the hook is saved (a token in the file for
// a hook that failed is harmless and reused next time; a hook with a token
// no file holds would be lost). Without Out, SHIFTWARD_GITLAB_WEBHOOK_SECRET.
func (s *glSetup) secret(t target) (token, where string, err error) {
	if s.opts.Out == "" {
		if len(s.opts.Secret) < 16 {
			fmt.Fprintf(s.w, "Note: %s is shorter than 16 characters; openssl rand -hex 32 makes a good one.\n", config.EnvGitLabWebhookSecret)
		}
		return s.opts.Secret, "the one in " + config.EnvGitLabWebhookSecret + " (accepted for every project: prefer --out, a token per project)", nil
	}
	doc, entry, err := readHooksFile(s.opts.Out, t)
	if err != nil {
		return "", "", err
	}
	if entry != nil {
		if tok := mappingValue(entry, "token"); tok != nil && tok.Value != "" {
			return tok.Value, fmt.Sprintf("in %s, entry %q (kept from the last run)", s.opts.Out, entryName(t)), nil
		}
	}
	token = randomHex(32)
	if entry != nil {
		setMappingValue(entry, "token", token)
	} else {
		appendEntry(doc, t, token)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", "", fmt.Errorf("writing %s: %w", s.opts.Out, err)
	}
	enc.Close()
	// What the server will read: a file it would refuse is not written.
	err = writeSecretFileChecked(s.opts.Out, buf.Bytes(), true, func(tmp string) error {
		if _, _, err := config.ReadGitLabHooks(tmp, nil); err != nil {
			return fmt.Errorf("%s would not read as a hooks file (left as it was): %w", s.opts.Out, err)
		}
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("writing %s: %w", s.opts.Out, err)
	}
	return token, fmt.Sprintf("in %s (mode 0600), entry %q", s.opts.Out, entryName(t)), nil
}

func entryName(t target) string {
	if t.group {
		return t.path + " (group)"
	}
	return t.path
}

// readHooksFile reads the hooks file at name as a YAML tree (its comments
// kept) and finds the entry of t: a project entry listing t's id, or a group
// entry whose paths hold "<group>/**". A missing file gives a new tree.
func readHooksFile(name string, t target) (doc, entry *yaml.Node, err error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "hooks"}, seq}}
		return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHooksFileRead+1))
	if err != nil {
		return nil, nil, err
	}
	if len(b) > maxHooksFileRead {
		return nil, nil, fmt.Errorf("%s is over %d bytes", name, maxHooksFileRead)
	}
	doc = &yaml.Node{}
	if err := yaml.Unmarshal(b, doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s is not a hooks file (hooks: a list of name, token, projects, paths)", name)
	}
	hooks := mappingValue(doc.Content[0], "hooks")
	if hooks == nil {
		hooks = &yaml.Node{Kind: yaml.SequenceNode}
		doc.Content[0].Content = append(doc.Content[0].Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "hooks"}, hooks)
	}
	if hooks.Kind != yaml.SequenceNode {
		return nil, nil, fmt.Errorf("%s: hooks is not a list", name)
	}
	want, key := strconv.FormatInt(t.id, 10), "projects"
	if t.group {
		want, key = strings.ToLower(t.path)+"/**", "paths"
	}
	for _, e := range hooks.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		if list := mappingValue(e, key); list != nil && list.Kind == yaml.SequenceNode {
			for _, v := range list.Content {
				if strings.EqualFold(strings.Trim(strings.TrimSpace(v.Value), "/"), want) {
					return doc, e, nil
				}
			}
		}
	}
	return doc, nil, nil
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setMappingValue(m *yaml.Node, key, value string) {
	if v := mappingValue(m, key); v != nil {
		v.Kind, v.Tag, v.Value, v.Style = yaml.ScalarNode, "!!str", value, 0
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}

func appendEntry(doc *yaml.Node, t target, token string) {
	hooks := mappingValue(doc.Content[0], "hooks")
	scalar := func(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }
	key, list := "projects", &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
		Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(t.id, 10)}}}
	if t.group {
		key = "paths"
		list = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{scalar(strings.ToLower(t.path) + "/**")}}
	}
	e := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("name"), scalar(entryName(t)),
		scalar("token"), scalar(token),
		scalar(key), list,
	}}
	hooks.Content = append(hooks.Content, e)
}

// status is the HTTP status of a GitLab error answer, 0 when there was none
// (client-go answers 404 with its ErrNotFound, without the response).
func status(err error) int {
	if errors.Is(err, gl.ErrNotFound) {
		return http.StatusNotFound
	}
	var er *gl.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}
