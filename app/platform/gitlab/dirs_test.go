package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

func TestListDir(t *testing.T) {
	fx := newFixture(t)
	for _, p := range []string{"main.tf", "infra/main.tf", "infra/variables.tf", "infra/modules/net/main.tf", "infra/env/prod.tfvars", "infra/a b.tf"} {
		fx.srv.SetContent(projectID, headSHA, p, []byte("x"))
	}
	fx.srv.SetContent(projectID, baseSHA, "infra/old.tf", []byte("x"))
	fx.srv.AddTreeEntry(projectID, headSHA, gitlabtest.TreeEntry{Path: "infra/vendor", Type: "commit", Mode: "160000"})
	fx.srv.AddTreeEntry(projectID, headSHA, gitlabtest.TreeEntry{Path: "infra/shared.tf", Type: "blob", Mode: "120000"})
	c := fx.client.(*gitlab.Client)
	ctx := context.Background()

	tests := []struct {
		dir  string
		want []string
	}{
		{"infra", []string{"a b.tf", "env/", "main.tf", "modules/", "shared.tf", "variables.tf"}},
		{"infra/", []string{"a b.tf", "env/", "main.tf", "modules/", "shared.tf", "variables.tf"}},
		{"", []string{"infra/", "main.tf"}},
		{"infra/modules/net", []string{"main.tf"}},
		{"missing", nil},
	}
	for _, tt := range tests {
		got, err := c.ListDir(ctx, mrChange(), tt.dir, headSHA)
		if err != nil {
			t.Errorf("ListDir(%q): %v", tt.dir, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ListDir(%q) (-want +got):\n%s", tt.dir, d)
		}
	}
	calls := fx.srv.CallsTo(gitlabtest.RouteListTree)
	if len(calls) != len(tests) {
		t.Fatalf("%d tree calls, want %d", len(calls), len(tests))
	}
	for i, call := range calls {
		q, _ := url.ParseQuery(call.Query)
		if q.Get("ref") != headSHA || q.Get("path") != map[int]string{0: "infra", 1: "infra", 3: "infra/modules/net", 4: "missing"}[i] {
			t.Errorf("call %d asked %s, want the directory at the head sha", i, call.Query)
		}
	}
	if got, err := c.ListDir(ctx, mrChange(), "infra", baseSHA); err != nil || !cmp.Equal(got, []string{"old.tf"}) {
		t.Errorf("ListDir at the base = %q, %v; want the base's files", got, err)
	}
}

// A directory is read page by page up to the bound; past it the listing
// comes with ErrListingCut, never as whole. A failed request is an error.
func TestListDirPagesAndCut(t *testing.T) {
	fx := newFixture(t)
	for i := range 250 {
		fx.srv.SetContent(projectID, headSHA, fmt.Sprintf("mid/f%03d.tf", i), []byte("x"))
	}
	for i := range 1001 {
		fx.srv.SetContent(projectID, headSHA, fmt.Sprintf("big/f%04d.tf", i), []byte("x"))
	}
	c := fx.client.(*gitlab.Client)
	ctx := context.Background()
	got, err := c.ListDir(ctx, mrChange(), "mid", headSHA)
	if err != nil || len(got) != 250 || got[249] != "f249.tf" {
		t.Errorf("a directory of 250: %d entries, %v; want all 250", len(got), err)
	}
	if n := len(fx.srv.CallsTo(gitlabtest.RouteListTree)); n != 3 {
		t.Errorf("%d pages asked, want 3", n)
	}
	got, err = c.ListDir(ctx, mrChange(), "big", headSHA)
	if !errors.Is(err, platform.ErrListingCut) || len(got) != 1000 {
		t.Errorf("a directory past the bound: %d entries, %v; want 1000 and ErrListingCut", len(got), err)
	}
	fx.srv.FailNext(gitlabtest.RouteListTree, 1, http.StatusUnprocessableEntity)
	if _, err := c.ListDir(ctx, mrChange(), "mid", headSHA); err == nil || errors.Is(err, platform.ErrListingCut) {
		t.Errorf("a refused listing: err %v, want an error", err)
	}
}
