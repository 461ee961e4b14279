package github_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// workflowRefusal is GitHub's text when an app without the "workflows"
// permission creates or updates a workflow file (quoted from git's "remote
// rejected" answers; the REST API carries the same message).
const workflowRefusal = "refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission"

// TestCommitRefusedForAWorkflowFileSaysWhatToGrant: whichever git data call
// GitHub refuses, and with whichever 4xx, the refusal is a PermissionError
// naming the permission and the file, never "the branch moved"; a 422 of
// another kind on the ref is still a branch that moved.
func TestCommitRefusedForAWorkflowFileSaysWhatToGrant(t *testing.T) {
	const (
		routeTree   = "POST /repos/{owner}/{repo}/git/trees"
		routeCommit = "POST /repos/{owner}/{repo}/git/commits"
		routeRef    = "PATCH /repos/{owner}/{repo}/git/refs/{ref}"
	)
	refusal := `{"message":"` + workflowRefusal + `","documentation_url":"https://docs.github.com/rest/git/refs#update-a-reference","status":"422"}`
	inErrors := `{"message":"Validation Failed","errors":[{"resource":"Reference","code":"custom","message":"` + workflowRefusal + `"}]}`
	tests := []struct {
		name, route string
		status      int
		body        string
		wantPath    string // "" with stale: ErrStale expected
		stale       bool
	}{
		{"ref update, 422", routeRef, http.StatusUnprocessableEntity, refusal, ".github/workflows/ci.yml", false},
		{"ref update, 403", routeRef, http.StatusForbidden, refusal, ".github/workflows/ci.yml", false},
		{"ref update, in errors[]", routeRef, http.StatusUnprocessableEntity, inErrors, ".github/workflows/ci.yml", false},
		{"tree, 403", routeTree, http.StatusForbidden, refusal, ".github/workflows/ci.yml", false},
		{"commit, 404", routeCommit, http.StatusNotFound, refusal, ".github/workflows/ci.yml", false},
		{"ref update, not a fast forward", routeRef, http.StatusUnprocessableEntity, `{"message":"Update is not a fast forward"}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			ch := prChangeN(7)
			fx.srv.SetContent(repo.Owner, repo.Name, headSHA, ".github/workflows/ci.yml", []byte("on: push\n"))
			fx.srv.SetContent(repo.Owner, repo.Name, headSHA, "app/main.go", []byte("package main\n"))
			fx.srv.Inject(tt.route, 1, githubtest.Fault{Status: tt.status, Body: tt.body})
			_, err := fx.client.(platform.Committer).Commit(context.Background(), ch, "shiftward: apply 1 security fix\n",
				map[string][]byte{".github/workflows/ci.yml": []byte("on: pull_request\n"), "app/main.go": []byte("package main // fixed\n")})
			var perm *platform.PermissionError
			switch {
			case tt.stale:
				if !errors.Is(err, platform.ErrStale) || errors.As(err, &perm) {
					t.Fatalf("Commit = %v, want ErrStale", err)
				}
			case !errors.As(err, &perm):
				t.Fatalf("Commit = %v, want a PermissionError", err)
			case perm.Permission != "workflows" || perm.Path != tt.wantPath:
				t.Fatalf("PermissionError %+v, want workflows on %s", perm, tt.wantPath)
			case errors.Is(err, platform.ErrStale):
				t.Fatalf("a refusal reads as a branch that moved: %v", err)
			}
			var permanent *platform.PermanentError
			if !tt.stale && errors.As(err, &permanent) {
				t.Errorf("the refusal is a PermanentError; the worker must see it as a refusal: %v", err)
			}
			if p := fx.srv.Pushes(); len(p) != 0 {
				t.Errorf("the branch moved: %+v", p)
			}
		})
	}
}
