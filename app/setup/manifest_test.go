package setup

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// TestEmbeddedAppYMLIsTheRepositorys keeps the embedded copy (what `shiftward
// setup github` registers) equal to the app.yml at the module root (what the
// README points at). After editing app.yml: go generate ./app/setup.
func TestEmbeddedAppYMLIsTheRepositorys(t *testing.T) {
	root, err := os.ReadFile("../../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, appYML) {
		t.Fatal("app/setup/app.yml differs from app.yml: run go generate ./app/setup")
	}
}

func TestManifestFromAppYML(t *testing.T) {
	got, err := Manifest(appYML, "https://s.example.com/webhooks/github", "http://127.0.0.1:4000/callback", "")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Name        string            `json:"name"`
		URL         string            `json:"url"`
		Public      bool              `json:"public"`
		Redirect    string            `json:"redirect_url"`
		Hook        map[string]any    `json:"hook_attributes"`
		Permissions map[string]string `json:"default_permissions"`
		Events      []string          `json:"default_events"`
	}
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatal(err)
	}
	wantPerms := map[string]string{"checks": "write", "pull_requests": "write", "issues": "write", "contents": "write", "workflows": "write", "metadata": "read"}
	if len(m.Permissions) != len(wantPerms) {
		t.Errorf("permissions %v, want %v", m.Permissions, wantPerms)
	}
	for k, v := range wantPerms {
		if m.Permissions[k] != v {
			t.Errorf("permission %s = %q, want %q", k, m.Permissions[k], v)
		}
	}
	// Every event the webhook parser acts on (app/platform/github).
	for _, e := range []string{"pull_request", "push", "check_suite", "check_run", "issue_comment", "pull_request_review", "pull_request_review_comment"} {
		found := false
		for _, g := range m.Events {
			found = found || g == e
		}
		if !found {
			t.Errorf("event %s missing from %v", e, m.Events)
		}
	}
	if m.Name != "shiftward" || m.Public || m.Redirect != "http://127.0.0.1:4000/callback" || m.Hook["url"] != "https://s.example.com/webhooks/github" || m.Hook["active"] != true {
		t.Errorf("manifest = %s", got)
	}
	again, _ := Manifest(appYML, "https://s.example.com/webhooks/github", "http://127.0.0.1:4000/callback", "")
	if !bytes.Equal(got, again) {
		t.Error("the same app.yml gave two manifests")
	}
}
