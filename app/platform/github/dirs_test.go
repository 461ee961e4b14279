package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

func TestListDir(t *testing.T) {
	fx := newFixture(t)
	for _, p := range []string{"main.tf", "infra/main.tf", "infra/variables.tf", "infra/modules/net/main.tf", "infra/env/prod.tfvars", "infra/a b.tf"} {
		fx.srv.SetContent(repo.Owner, repo.Name, headSHA, p, []byte("x"))
	}
	fx.srv.SetContent(repo.Owner, repo.Name, baseSHA, "infra/old.tf", []byte("x"))
	fx.srv.SetTree(repo.Owner, repo.Name, headSHA, []githubtest.TreeEntry{
		{Path: "infra/vendor", Type: "commit", Mode: "160000", SHA: "3333333333333333333333333333333333333333"},
		{Path: "infra/shared.tf", Mode: "120000", SHA: githubtest.BlobSHA([]byte("../shared/shared.tf"))},
	})
	c := fx.client.(*github.Client)
	ctx := context.Background()
	ch := prChangeN(7)

	tests := []struct {
		dir  string
		want []string
	}{
		{"infra", []string{"a b.tf", "env/", "main.tf", "modules/", "shared.tf", "variables.tf"}},
		{"infra/", []string{"a b.tf", "env/", "main.tf", "modules/", "shared.tf", "variables.tf"}},
		{"", []string{"infra/", "main.tf"}},
		{"infra/modules/net", []string{"main.tf"}},
		{"missing", nil},
		{"main.tf", nil},         // a file: no directory
		{"infra/../infra", nil},  // never sent: the URL would leave the repository
		{"infra/vendor", nil},    // a submodule's contents are another repository's
		{"infra/env/../..", nil}, // likewise
	}
	for _, tt := range tests {
		got, err := c.ListDir(ctx, ch, tt.dir, headSHA)
		if err != nil {
			t.Errorf("ListDir(%q): %v", tt.dir, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ListDir(%q) (-want +got):\n%s", tt.dir, d)
		}
	}
	calls := fx.srv.CallsTo(githubtest.RouteGetContent)
	if len(calls) != 7 {
		t.Errorf("%d contents calls, want 7 (none for a path through ..)", len(calls))
	}
	for _, call := range calls {
		if call.Query != "ref="+headSHA {
			t.Errorf("call %s?%s, want the listing at the head sha", call.Path, call.Query)
		}
	}
	if calls[2].Path != "/repos/acme/widgets/contents/" {
		t.Errorf("root listed at %s, want the contents API with the path left out", calls[2].Path)
	}
	if got, err := c.ListDir(ctx, ch, "infra", baseSHA); err != nil || !cmp.Equal(got, []string{"old.tf"}) {
		t.Errorf("ListDir at the base = %q, %v; want the base's files", got, err)
	}
}

// GitHub lists at most 1,000 entries of a directory: a listing that long
// comes with ErrListingCut, never as whole. A failed request is an error.
func TestListDirCutAndFailed(t *testing.T) {
	fx := newFixture(t)
	for i := range 1005 {
		fx.srv.SetContent(repo.Owner, repo.Name, headSHA, fmt.Sprintf("big/f%04d.tf", i), []byte("x"))
	}
	for i := range 999 {
		fx.srv.SetContent(repo.Owner, repo.Name, headSHA, fmt.Sprintf("full/f%04d.tf", i), []byte("x"))
	}
	c := fx.client.(*github.Client)
	ctx := context.Background()
	got, err := c.ListDir(ctx, prChangeN(7), "big", headSHA)
	if !errors.Is(err, platform.ErrListingCut) || len(got) != 1000 {
		t.Errorf("a directory past GitHub's cap: %d entries, %v; want 1000 and ErrListingCut", len(got), err)
	}
	if got, err := c.ListDir(ctx, prChangeN(7), "full", headSHA); err != nil || len(got) != 999 {
		t.Errorf("a directory under GitHub's cap: %d entries, %v; want 999, whole", len(got), err)
	}
	fx.srv.FailNext(githubtest.RouteGetContent, 1, http.StatusUnprocessableEntity)
	if _, err := c.ListDir(ctx, prChangeN(7), "full", headSHA); err == nil || errors.Is(err, platform.ErrListingCut) {
		t.Errorf("a refused listing: err %v, want an error", err)
	}
}

var _ platform.DirLister = (*github.Client)(nil)
