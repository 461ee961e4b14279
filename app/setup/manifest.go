package setup

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// appYML is the repository's app.yml, embedded: the binary registers the
// app it was built with, wherever it runs (a release binary has no working
// tree, and an app.yml in the current directory may be another project's,
// Probot apps use the same name). TestEmbeddedAppYMLIsTheRepositorys keeps
// this copy equal to the one at the module root; --manifest takes another
// file on purpose.
//
//go:generate cp ../../app.yml app.yml
//go:embed app.yml
var appYML []byte

// maxManifest bounds a --manifest file.
const maxManifest = 64 << 10

// maxAppName is the longest GitHub App name GitHub accepts.
const maxAppName = 34

// manifestKeys are the parameters GitHub reads from a manifest
// (docs.github.com: "Registering a GitHub App from a manifest"); any other
// key is a typo that GitHub would ignore silently.
var manifestKeys = []string{
	"name", "url", "hook_attributes", "redirect_url", "callback_urls", "setup_url", "description", "public",
	"default_events", "default_permissions", "request_oauth_on_install", "setup_on_update",
}

// Manifest turns an app.yml into the manifest JSON GitHub's form takes: the
// webhook URL is hookURL, the redirect goes to redirectURL (the local
// callback), and name, when given, replaces the file's.
func Manifest(src []byte, hookURL, redirectURL, name string) ([]byte, error) {
	if len(src) > maxManifest {
		return nil, fmt.Errorf("manifest over %d bytes", maxManifest)
	}
	var m map[string]any
	if err := yaml.Unmarshal(src, &m); err != nil {
		return nil, fmt.Errorf("manifest is not YAML: %v", err)
	}
	if m == nil {
		return nil, errors.New("manifest is empty")
	}
	for k := range m {
		if !slices.Contains(manifestKeys, k) {
			return nil, fmt.Errorf("manifest key %q is not a GitHub App manifest parameter", k)
		}
	}
	if u, _ := m["url"].(string); u == "" {
		return nil, errors.New("manifest has no url (the app's homepage, required by GitHub)")
	}
	perms, ok := m["default_permissions"].(map[string]any)
	if !ok || len(perms) == 0 {
		return nil, errors.New("manifest has no default_permissions")
	}
	for k, v := range perms {
		if s, _ := v.(string); s != "read" && s != "write" && s != "admin" {
			return nil, fmt.Errorf("manifest permission %s: want read or write", k)
		}
	}
	if ev, ok := m["default_events"].([]any); !ok || len(ev) == 0 {
		return nil, errors.New("manifest has no default_events")
	}
	if name != "" {
		m["name"] = name
	}
	if n, _ := m["name"].(string); utf8.RuneCountInString(n) > maxAppName || strings.TrimSpace(n) == "" {
		return nil, fmt.Errorf("app name %q: want 1 to %d characters (GitHub's limit)", n, maxAppName)
	}
	hook, _ := m["hook_attributes"].(map[string]any)
	if hook == nil {
		hook = map[string]any{}
	}
	hook["url"] = hookURL
	if _, ok := hook["active"]; !ok {
		hook["active"] = true
	}
	m["hook_attributes"] = hook
	m["redirect_url"] = redirectURL
	// encoding/json writes map keys sorted: the same file gives the same
	// manifest.
	return json.Marshal(m)
}

// manifestPermissions lists a manifest's permissions as "name: access",
// sorted, for the operator to read before confirming.
func manifestPermissions(manifestJSON []byte) []string {
	var m struct {
		Permissions map[string]string `json:"default_permissions"`
	}
	if json.Unmarshal(manifestJSON, &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m.Permissions {
		out = append(out, k+": "+v)
	}
	slices.Sort(out)
	return out
}
