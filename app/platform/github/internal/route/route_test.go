package route_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform/github/internal/route"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"POST", "/app/installations/77/access_tokens", route.AccessTokens, map[string]string{"installation_id": "77"}},
		{"GET", "/repos/o/r/pulls/7", route.GetPull, map[string]string{"owner": "o", "repo": "r", "pull_number": "7"}},
		{"GET", "/repos/o/r/pulls/7/files", route.ListFiles, map[string]string{"owner": "o", "repo": "r", "pull_number": "7"}},
		{"GET", "/repos/o/r/contents/a/b/c.go", route.GetContent, map[string]string{"owner": "o", "repo": "r", "path": "a/b/c.go"}},
		{"GET", "/repos/o/r/compare/main...abc", route.Compare, map[string]string{"owner": "o", "repo": "r", "basehead": "main...abc"}},
		{"GET", "/repos/o/r/git/trees/abc", route.GetTree, map[string]string{"owner": "o", "repo": "r", "tree_sha": "abc"}},
		{"GET", "/repos/o/r/git/trees/abc/def", route.Other, nil},
		{"POST", "/repos/o/r/check-runs", route.CreateCheckRun, map[string]string{"owner": "o", "repo": "r"}},
		{"PATCH", "/repos/o/r/check-runs/9", route.UpdateCheckRun, map[string]string{"owner": "o", "repo": "r", "check_run_id": "9"}},
		{"GET", "/repos/o/r/commits/abc/check-runs", route.ListCheckRuns, map[string]string{"owner": "o", "repo": "r", "ref": "abc"}},
		{"POST", "/repos/o/r/pulls/7/reviews", route.CreateReview, map[string]string{"owner": "o", "repo": "r", "pull_number": "7"}},
		{"GET", "/repos/o/r/pulls/7/comments", route.ListComments, map[string]string{"owner": "o", "repo": "r", "pull_number": "7"}},
		{"POST", "/repos/o/r/pulls/7/comments", route.CreateComment, map[string]string{"owner": "o", "repo": "r", "pull_number": "7"}},
		{"PATCH", "/repos/o/r/pulls/comments/5", route.UpdateComment, map[string]string{"owner": "o", "repo": "r", "comment_id": "5"}},
		{"DELETE", "/repos/o/r/pulls/comments/5", route.Other, nil},
		{"GET", "/repos/o/r/pulls/7/files/extra", route.Other, nil},
		{"GET", "/repos/o/r/contents/", route.GetContent, map[string]string{"owner": "o", "repo": "r", "path": ""}},
		{"GET", "/repos/o/r/commits/", route.Other, nil},
		{"GET", "/repos//r/pulls/7", route.Other, nil},
		{"GET", "/", route.Other, nil},
		{"GET", "/app/installations", route.ListInstallations, map[string]string{}},
		{"GET", "/installation/repositories", route.ListInstallRepos, map[string]string{}},
		{"GET", "/repos/o/r/pulls", route.ListPulls, map[string]string{"owner": "o", "repo": "r"}},
		{"GET", "/app/hook/deliveries", route.ListHookDeliveries, map[string]string{}},
		{"POST", "/app/hook/deliveries/12/attempts", route.RedeliverHook, map[string]string{"delivery_id": "12"}},
		{"GET", "/app/hook/deliveries/12/attempts", route.Other, nil},
	}
	for _, tt := range tests {
		got, params := route.Match(tt.method, tt.path)
		if got != tt.want {
			t.Errorf("Match(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
		if d := cmp.Diff(tt.params, params); d != "" {
			t.Errorf("Match(%s %s) params (-want +got):\n%s", tt.method, tt.path, d)
		}
	}
}
