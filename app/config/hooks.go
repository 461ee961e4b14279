package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// GitLabHook is one GitLab webhook secret token and the projects it may
// speak for. A delivery carrying the token is authentic only for these
// projects: a token read in one project's webhook settings cannot queue work
// for another.
//
// The file named by SHIFTWARD_GITLAB_WEBHOOK_SECRETS_FILE lists them:
//
//	hooks:
//	  - name: backend            # shown in logs instead of the token
//	    token: 9f86d081884c7d65  # the webhook's "Secret token" in GitLab
//	    projects: [42, 1337]     # project ids (Settings > General)
//	  - name: platform group hook
//	    token: 2c26b46b68ffc68f
//	    paths: ["acme/platform/**", "acme/tools/*"]
type GitLabHook struct {
	// Name labels the hook in logs; the token is never logged.
	Name  string
	Token []byte
	// Projects are project ids: a delivery naming one is accepted as is.
	Projects []int64
	// Paths are lower-cased globs over a project's full path: '*' matches
	// within one path segment, a last segment '**' matches one or more
	// segments (every project below a group, subgroups included).
	Paths []string
}

// AllowsID reports whether the hook may speak for project id.
func (h *GitLabHook) AllowsID(id int64) bool {
	for _, p := range h.Projects {
		if p == id {
			return true
		}
	}
	return false
}

// AllowsPath reports whether the hook may speak for the project at full
// path p ("group/subgroup/project"), compared without case as GitLab does.
func (h *GitLabHook) AllowsPath(p string) bool {
	p = strings.ToLower(p)
	for _, g := range h.Paths {
		if matchProjectPath(g, p) {
			return true
		}
	}
	return false
}

// matchProjectPath matches a lower-cased glob (checked by checkPathGlob)
// against a lower-cased path, segment by segment.
func matchProjectPath(glob, p string) bool {
	gs, ps := strings.Split(glob, "/"), strings.Split(p, "/")
	for i, g := range gs {
		if g == "**" { // only ever the last segment
			return len(ps) > i
		}
		if i >= len(ps) {
			return false
		}
		if ok, err := path.Match(g, ps[i]); err != nil || !ok {
			return false
		}
	}
	return len(ps) == len(gs)
}

// checkPathGlob rejects a glob that could never match or would match more
// than its author meant.
func checkPathGlob(g string) error {
	if g == "" {
		return errors.New("empty path")
	}
	segs := strings.Split(g, "/")
	if strings.ContainsAny(segs[0], "*?[\\") {
		// "*/**" would be every project of the instance: the top-level
		// group is always named.
		return fmt.Errorf("path %q: name the top-level group without wildcards (every project is %s)", g, EnvGitLabWebhookSecret)
	}
	if len(segs) < 2 {
		// A lone segment is a group or user with no project under it.
		return fmt.Errorf("path %q names no project (want group/project, or group/** for a whole group)", g)
	}
	for i, s := range segs {
		switch {
		case s == "":
			return fmt.Errorf("path %q has an empty segment", g)
		case s == "**" && i != len(segs)-1:
			return fmt.Errorf("path %q: ** may only end a path", g)
		case s != "**" && strings.Contains(s, "**"):
			return fmt.Errorf("path %q: ** must be a whole segment", g)
		}
		if _, err := path.Match(s, ""); err != nil {
			return fmt.Errorf("path %q is not a valid glob", g)
		}
	}
	return nil
}

// Bounds of the hooks file: a list an operator writes by hand.
const (
	maxHooksFile = 1 << 20
	maxHooks     = 10000
)

type rawHooks struct {
	Hooks []rawHook `yaml:"hooks"`
}

type rawHook struct {
	Name     string   `yaml:"name"`
	Token    string   `yaml:"token"`
	Projects []int64  `yaml:"projects"`
	Paths    []string `yaml:"paths"`
}

// quoted is what yaml.v3 quotes of the input in its errors, and inType the
// Go type it names; the file holds tokens, so errors keep the line and what
// was wrong only.
var (
	quoted = regexp.MustCompile("`[^`]*`")
	inType = regexp.MustCompile(` (in|into) type [^;]*| into [][\w.]+`)
)

// yamlError renders a decoding error on one line without quoting the file.
func yamlError(err error) string {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for i, m := range msgs {
		m = quoted.ReplaceAllString(m, "a value")
		m = inType.ReplaceAllString(m, "")
		msgs[i] = strings.TrimSpace(strings.ReplaceAll(m, "\n", " "))
	}
	return strings.Join(msgs, "; ")
}

// ReadGitLabHooks reads and validates the hooks file at name. anyProject are
// the tokens already accepted for every project (a hook may not repeat one:
// which scope would apply?). It returns warnings an operator should see.
func ReadGitLabHooks(name string, anyProject [][]byte) ([]GitLabHook, []string, error) {
	bad := func(format string, a ...any) error {
		return &Error{EnvGitLabWebhookSecretsFile, fmt.Sprintf(format, a...)}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, bad("cannot read: %v", errors.Unwrap(err))
	}
	defer f.Close()
	var warnings []string
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("%s: %s is readable by other users (mode %04o); it holds webhook tokens, make it 0600",
			EnvGitLabWebhookSecretsFile, name, st.Mode().Perm()))
	}
	b, err := io.ReadAll(io.LimitReader(f, maxHooksFile+1))
	if err != nil {
		return nil, nil, bad("cannot read: %v", err)
	}
	if len(b) > maxHooksFile {
		return nil, nil, bad("over %d bytes", maxHooksFile)
	}
	var raw rawHooks
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, bad("empty: list hooks (see README)")
		}
		return nil, nil, bad("%s", yamlError(err))
	}
	if len(raw.Hooks) == 0 {
		return nil, nil, bad("no hooks listed")
	}
	if len(raw.Hooks) > maxHooks {
		return nil, nil, bad("%d hooks, at most %d", len(raw.Hooks), maxHooks)
	}
	hooks := make([]GitLabHook, 0, len(raw.Hooks))
	for i, r := range raw.Hooks {
		label := "hooks[" + strconv.Itoa(i) + "]"
		if r.Name != "" {
			label += " (" + r.Name + ")"
		}
		h := GitLabHook{Name: r.Name, Token: []byte(r.Token), Projects: r.Projects}
		if h.Name == "" {
			h.Name = "hooks[" + strconv.Itoa(i) + "]"
		}
		switch {
		case r.Token == "":
			return nil, nil, bad("%s: no token", label)
		case strings.TrimSpace(r.Token) != r.Token || strings.IndexFunc(r.Token, unicode.IsControl) >= 0:
			// HTTP trims header values: such a token could never match.
			return nil, nil, bad("%s: token has surrounding spaces or control characters", label)
		case len(r.Projects) == 0 && len(r.Paths) == 0:
			return nil, nil, bad("%s: lists no projects or paths (a token for every project is %s)", label, EnvGitLabWebhookSecret)
		}
		if len(r.Token) < 16 {
			warnings = append(warnings, fmt.Sprintf("%s: %s: token is shorter than 16 characters; use openssl rand -hex 32", EnvGitLabWebhookSecretsFile, label))
		}
		for _, id := range r.Projects {
			if id <= 0 {
				return nil, nil, bad("%s: project id %d is not positive", label, id)
			}
		}
		for _, p := range r.Paths {
			p = strings.ToLower(strings.Trim(strings.TrimSpace(p), "/"))
			if err := checkPathGlob(p); err != nil {
				return nil, nil, bad("%s: %v", label, err)
			}
			h.Paths = append(h.Paths, p)
		}
		for j, prev := range hooks {
			if bytes.Equal(prev.Token, h.Token) {
				return nil, nil, bad("%s: same token as hooks[%d]; list both projects under one entry", label, j)
			}
		}
		for _, s := range anyProject {
			if bytes.Equal(s, h.Token) {
				return nil, nil, bad("%s: same token as %s, which already allows every project", label, EnvGitLabWebhookSecret)
			}
		}
		hooks = append(hooks, h)
	}
	return hooks, warnings, nil
}
