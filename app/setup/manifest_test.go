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

// FuzzManifest: any app.yml either fails with an error or gives JSON whose
// webhook and redirect are the ones given.
func FuzzManifest(f *testing.F) {
	f.Add(appYML)
	f.Add([]byte("url: x\ndefault_permissions: {checks: write}\ndefault_events: [push]\nhook_attributes: [1]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		got, err := Manifest(src, "https://s.example.com/webhooks/github", "http://127.0.0.1:1/callback", "")
		if err != nil {
			return
		}
		var m struct {
			Redirect string `json:"redirect_url"`
			Hook     struct {
				URL string `json:"url"`
			} `json:"hook_attributes"`
		}
		if err := json.Unmarshal(got, &m); err != nil || m.Redirect != "http://127.0.0.1:1/callback" || m.Hook.URL != "https://s.example.com/webhooks/github" {
			t.Fatalf("manifest %s (%v)", got, err)
		}
	})
}
