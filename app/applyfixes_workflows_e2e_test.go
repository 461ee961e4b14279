package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// ciWorkflow is a workflow the pull request adds, with fixes of its own
// (permissions: write-all, a title expanded in a script).
const ciWorkflow = "name: ci\non: pull_request\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" +
	"      - run: echo \"${{ github.event.pull_request.title }}\"\n"

// TestEndToEndApplyFixesWithoutTheWorkflowsPermission: GitHub refuses the
// app's commit because it touches a workflow file and the app was not
// granted "workflows". Apply fixes must not read that as a branch that
// moved: it commits the other fixes alone and tells the pull request which
// fixes it could not commit and what to grant.
func TestEndToEndApplyFixesWithoutTheWorkflowsPermission(t *testing.T) {
	e := newEnv(t)
	files := append(e.leak.pullFiles(), githubtest.File{Filename: ".github/workflows/ci.yml", Status: "added", Additions: 8, Changes: 8,
		Patch: "@@ -0,0 +1,8 @@\n+" + strings.ReplaceAll(strings.TrimSuffix(ciWorkflow, "\n"), "\n", "\n+") + "\n"})
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes", Files: files})
	e.fake.SetContent(owner, repo, headSHA, ".github/workflows/ci.yml", []byte(ciWorkflow))
	e.fake.SetTree(owner, repo, headSHA, []githubtest.TreeEntry{{Path: "scripts/upload.py", Mode: "100755",
		SHA: githubtest.BlobSHA([]byte(headContent(e.leak, "scripts/upload.py")))}})
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	e.waitCompleted(headSHA)
	e.waitIdle()

	// GitHub's answer to the ref update of a commit that touches a
	// workflow, for an app without the permission (a 422, which is also
	// what a branch that moved gets).
	e.fake.Inject("PATCH /repos/{owner}/{repo}/git/refs/{ref}", 1, githubtest.Fault{Status: http.StatusUnprocessableEntity,
		Body: `{"message":"refusing to allow a GitHub App to create or update workflow ` + "`.github/workflows/ci.yml`" + ` without ` + "`workflows`" + ` permission","documentation_url":"https://docs.github.com/rest/git/refs#update-a-reference","status":"422"}`})
	pushed := make(chan githubtest.Push, 1)
	e.fake.OnPush(func(p githubtest.Push) { pushed <- p })
	e.pressApplyFixes(t)
	var p githubtest.Push
	select {
	case p = <-pushed:
	case <-time.After(15 * time.Second):
		t.Fatal("the fixes outside .github/workflows were not committed")
	}
	e.waitIdle()
	commits := e.fake.GitCommits()
	if len(commits) != 2 {
		t.Fatalf("%d commits made, want the refused one and the one without the workflow", len(commits))
	}
	landed := commits[1]
	if p.After != landed.SHA || p.Before != headSHA {
		t.Fatalf("push %+v, want the second commit on top of the head", p)
	}
	if strings.Join(landed.Changed, " ") != "internal/deploy/token.go scripts/upload.py" || strings.Contains(landed.Message, "workflows") {
		t.Errorf("landed commit changes %v, message %q: want the two fixes outside .github/workflows only", landed.Changed, landed.Message)
	}
	if !strings.Contains(strings.Join(commits[0].Changed, " "), ".github/workflows/ci.yml") {
		t.Errorf("the refused commit %v did not hold the workflow", commits[0].Changed)
	}
	notes := e.fake.IssueComments(owner, repo, prNumber)
	if len(notes) != 1 {
		t.Fatalf("conversation comments = %+v, want one notice", notes)
	}
	for _, want := range []string{"`.github/workflows/ci.yml`", "**Workflows** permission", "Workflows: Read and write", landed.SHA} {
		if !strings.Contains(notes[0].Body, want) {
			t.Errorf("notice lacks %q:\n%s", want, notes[0].Body)
		}
	}
	e.assertNoSecretSent()
}
