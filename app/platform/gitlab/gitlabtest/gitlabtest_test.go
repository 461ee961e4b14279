package gitlabtest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

func do(t *testing.T, method, url, auth, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAuthPaginationAndStatusRules(t *testing.T) {
	srv := gitlabtest.New(t, "tok")
	srv.AddProject(gitlabtest.Project{ID: 1, PathWithNamespace: "g/p", DefaultBranch: "main"})
	var diffs []gitlabtest.Diff
	for i := range 5 {
		diffs = append(diffs, gitlabtest.Diff{OldPath: fmt.Sprint(i), NewPath: fmt.Sprint(i), Diff: "@@ -1 +1 @@\n-a\n+b\n"})
	}
	srv.AddMR(1, gitlabtest.MergeRequest{IID: 3, Versions: []gitlabtest.Version{{BaseSHA: "b", StartSHA: "s", HeadSHA: "h", Diffs: diffs}}})
	base := srv.URL + "/api/v4/projects/g%2Fp/merge_requests/3/diffs?per_page=2&page=2"

	if resp, _ := do(t, "GET", base, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	if resp, _ := do(t, "GET", base, "Bearer nope", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", resp.StatusCode)
	}
	resp, body := do(t, "GET", base, "Bearer tok", "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Page") != "2" || resp.Header.Get("X-Next-Page") != "3" ||
		resp.Header.Get("X-Total-Pages") != "3" || !strings.Contains(resp.Header.Get("Link"), `rel="next"`) ||
		!strings.Contains(body, `"new_path":"2"`) || strings.Contains(body, `"new_path":"4"`) {
		t.Errorf("page 2: %d %v %s", resp.StatusCode, resp.Header, body)
	}

	st := srv.URL + "/api/v4/projects/1/statuses/h"
	for i, tc := range []struct {
		state string
		code  int
	}{
		{"running", 201}, {"running", 400}, {"pending", 400}, {"success", 201}, {"running", 201}, {"failed", 201},
	} {
		resp, body := do(t, "POST", st, "Bearer tok", `{"state":"`+tc.state+`","name":"shiftward","ref":"f"}`)
		if resp.StatusCode != tc.code {
			t.Errorf("step %d %s: %d %s, want %d", i, tc.state, resp.StatusCode, body, tc.code)
		}
		if tc.code == 400 && !strings.Contains(body, "Cannot transition status") {
			t.Errorf("step %d body %s", i, body)
		}
	}
	if got := len(srv.Statuses(1, "h")); got != 2 {
		t.Errorf("%d statuses, want 2 (one per finished run)", got)
	}
}
