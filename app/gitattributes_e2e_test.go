package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// TestEndToEndGitAttributes: through the server, queue and worker against
// a fake GitHub, the base branch's .gitattributes (the root's, and a
// subdirectory's found through the tree listing) keep the code the pull
// request adds under gen/ from the code scanner, and the summary counts
// it; the same file brought by the pull request itself marks nothing.
func TestEndToEndGitAttributes(t *testing.T) {
	const evalPy = "def run(x):\n    return eval(x)\n"
	for _, tc := range []struct {
		name   string
		atBase bool
		want   []string // paths with a code annotation
	}{
		{"at the base", true, []string{"app.py"}},
		{"added by the pull request", false, []string{"app.py", "gen/client.py", "svc/gen/x.py"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			files := map[string]string{"app.py": evalPy, "gen/client.py": evalPy, "svc/gen/x.py": evalPy}
			attrs := map[string]string{".gitattributes": "gen/** linguist-generated\n", "svc/.gitattributes": "gen/** linguist-generated\n"}
			if tc.atBase {
				for p, text := range attrs {
					e.fake.SetContent(owner, repo, baseSHA, p, []byte(text))
				}
				e.fake.SetContent(owner, repo, baseSHA, "README.md", []byte("# x\n"))
			} else {
				for p, text := range attrs {
					files[p] = text
				}
			}
			var pull []githubtest.File
			for p, text := range files {
				pull = append(pull, addedFile(p, text))
				e.fake.SetContent(owner, repo, headSHA, p, []byte(text))
			}
			e.setPull(pull...)
			e.startWorkers()
			if code := e.deliver("pull_request", "d-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
				t.Fatal(code)
			}
			run := e.waitCompleted(headSHA)
			e.waitIdle()
			var got []string
			for _, a := range run.Annotations() {
				if strings.HasSuffix(a.Path, ".py") && !slices.Contains(got, a.Path) {
					got = append(got, a.Path)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("code annotations on %q, want %q", got, tc.want)
			}
			skipped := strings.Contains(run.Summary, "code: 2 files not reviewed: vendored, minified or generated")
			if skipped != tc.atBase {
				t.Errorf("summary says the code scanner skipped 2 files: %v, want %v:\n%s", skipped, tc.atBase, run.Summary)
			}
		})
	}
}
