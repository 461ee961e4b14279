package github_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// TestResolveActionStaysInTheActionsRepository: owner, repository and ref
// come from a workflow a stranger wrote. A valid reference is looked up under
// /repos/{owner}/{repo}/commits/ and nowhere else; a hostile one sends no
// request at all.
func TestResolveActionStaysInTheActionsRepository(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	fx := newFixture(t)
	fx.srv.AddRepo(githubtest.Repo{ID: 2, Owner: "actions", Name: "checkout", DefaultBranch: "main", Installation: installation})
	fx.srv.SetRef("actions", "checkout", "v4", sha)
	fx.srv.SetRef("actions", "checkout", "releases/v4", sha)
	r := fx.client.(*github.Client)
	ctx := context.Background()

	for _, ref := range []string{"v4", "releases/v4"} {
		got, err := r.ResolveAction(ctx, "actions", "checkout", ref)
		if err != nil || got != sha {
			t.Errorf("ResolveAction(actions/checkout@%s) = %q, %v; want %s", ref, got, err, sha)
		}
	}
	valid := len(fx.srv.Calls())

	hostile := []struct{ owner, repo, ref string }{
		{"acme", "widgets", "../../../../user"},
		{"acme", "widgets", "../../.."},
		{"acme", "widgets", "v1/../../../../../app/installations"},
		{"acme", "widgets", "v1?per_page=1"},
		{"acme", "widgets", "v1#x"},
		{"acme", "widgets", "%2e%2e/%2e%2e"},
		{"acme", "widgets", "/v1"},
		{"acme", "widgets", "a//b"},
		{"acme", "widgets", "main@{1}"},
		{"acme", "widgets", "v1.lock"},
		{"acme", "widgets", ".hidden"},
		{"acme", "widgets", "a\nb"},
		{"acme", "widgets", "a b"},
		{"acme", "..", "v1"},
		{"acme", ".", "v1"},
		{"..", "widgets", "v1"},
		{"acme/widgets", "x", "v1"},
		{"acme", "widgets/pulls", "v1"},
		{"-acme", "widgets", "v1"},
		{"ac--me", "widgets", "v1"},
		{"acme", "widgets", ""},
	}
	for _, h := range hostile {
		_, err := r.ResolveAction(ctx, h.owner, h.repo, h.ref)
		if !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("ResolveAction(%q, %q, %q) error %v, want not found", h.owner, h.repo, h.ref, err)
		}
	}
	calls := fx.srv.Calls()
	for _, c := range calls {
		if c.Route == githubtest.RouteAccessTokens {
			continue
		}
		if !strings.HasPrefix(c.Path, "/repos/actions/checkout/commits/") {
			t.Errorf("request left the action's repository: %s %s?%s", c.Method, c.Path, c.Query)
		}
	}
	if len(calls) != valid {
		t.Errorf("%d requests for hostile references, want none", len(calls)-valid)
	}
}
