package route_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"GET", "/api/v4/user", route.CurrentUser, map[string]string{}},
		{"GET", "/api/v4/projects", route.ListProjects, map[string]string{}},
		{"GET", "/api/v4/projects/42", route.GetProject, map[string]string{"id": "42"}},
		{"GET", "/api/v4/projects/42/merge_requests", route.ListMRs, map[string]string{"id": "42"}},
		{"GET", "/api/v4/projects/42/repository/commits/abc/statuses", route.ListStatuses, map[string]string{"id": "42", "sha": "abc"}},
		{"GET", "/api/v4/projects/42/hooks", route.ListHooks, map[string]string{"id": "42"}},
		{"GET", "/api/v4/projects/42/merge_requests/7/diffs", route.ListDiffs, map[string]string{"id": "42", "merge_request_iid": "7"}},
		{"GET", "/gitlab/api/v4/projects/acme%2Fwidgets/merge_requests/7/versions", route.ListVersions, map[string]string{"id": "acme/widgets", "merge_request_iid": "7"}},
		{"GET", "/api/v4/projects/42/repository/files/app%2Fmain%2Ego/raw", route.RawFile, map[string]string{"id": "42", "file_path": "app/main.go"}},
		{"GET", "/api/v4/projects/42/repository/tree", route.ListTree, map[string]string{"id": "42"}},
		{"PUT", "/api/v4/projects/42/merge_requests/7/discussions/abc/notes/9", route.UpdateThreadNote, map[string]string{"id": "42", "merge_request_iid": "7", "discussion_id": "abc", "note_id": "9"}},
		{"PUT", "/api/v4/projects/42/merge_requests/7/discussions/abc", route.ResolveThread, map[string]string{"id": "42", "merge_request_iid": "7", "discussion_id": "abc"}},
		{"POST", "/api/v4/projects/42/statuses/abc123", route.SetStatus, map[string]string{"id": "42", "sha": "abc123"}},
		{"GET", "/api/v4/projects/42/merge_requests/7/notes/9", route.GetNote, map[string]string{"id": "42", "merge_request_iid": "7", "note_id": "9"}},
		{"GET", "/api/v4/projects/42/merge_requests/7/discussions/abc", route.GetDiscussion, map[string]string{"id": "42", "merge_request_iid": "7", "discussion_id": "abc"}},
		{"DELETE", "/api/v4/projects/42/statuses/abc123", route.Other, nil},
		{"GET", "/api/v4/projects/42/repository/files/a/b/raw", route.Other, nil},
		{"GET", "/api/v4/projects//merge_requests/7/diffs", route.Other, nil},
	}
	for _, tt := range tests {
		got, params := route.Match(tt.method, tt.path)
		if got != tt.want {
			t.Errorf("Match(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
			continue
		}
		if d := cmp.Diff(tt.params, params); d != "" {
			t.Errorf("Match(%s %s) params (-want +got):\n%s", tt.method, tt.path, d)
		}
	}
}
