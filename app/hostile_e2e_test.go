package app_test

// End-to-end for steering and blinding through what a change brings: a
// workflow's uses: values, a change spread over many directories, a push
// on a pull request's head.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

// getCommitRoute is the commit lookup action pinning uses.
const getCommitRoute = "GET /repos/{owner}/{repo}/commits/{ref}"

// TestEndToEndHostileUsesStayInRepository: a pull request adds a workflow
// whose uses: values try to walk the app's authenticated lookups out of the
// action's repository. Every request the app makes stays under the reviewed
// repository or the one valid action's commits; the hostile references are
// still reported unpinned, without a fix.
func TestEndToEndHostileUsesStayInRepository(t *testing.T) {
	e := newEnv(t)
	const sha = "11bd71901bbe5b1630ceea73d27597364c9af683"
	e.fake.AddRepo(githubtest.Repo{ID: 5, Owner: "actions", Name: "checkout", DefaultBranch: "main", Installation: 1})
	e.fake.SetRef("actions", "checkout", "v4", sha)
	hostile := []string{
		owner + "/" + repo + "@../../../../user",
		owner + "/" + repo + "@v1/../../../../../app/installations",
		owner + "/..@v1",
		owner + "/" + repo + "@v1?per_page=100",
		owner + "/" + repo + "@%2e%2e/%2e%2e/orgs",
		owner + "/" + repo + "/sub/../../../..@v1/../../../pulls",
		"docker://" + owner + "/../../user",
		"./../../..",
	}
	wf := "name: ci\non: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
	for _, u := range hostile {
		wf += "      - uses: \"" + u + "\"\n"
	}
	e.setPull(addedFile(".github/workflows/ci.yml", wf))
	e.startWorkers()
	e.deliver("pull_request", "w-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()

	for _, c := range e.fake.Calls() {
		p := c.Path
		if strings.HasPrefix(p, "/app/installations/") || strings.HasPrefix(p, "/repos/actions/checkout/commits/") ||
			p == "/repos/"+owner+"/.github/contents/.shiftward.yml" { // the organisation's defaults
			continue
		}
		// The reviewed repository is read for the change, never looked up
		// as an action: every hostile reference names it or leaves it.
		if !strings.HasPrefix(p, "/repos/"+owner+"/"+repo+"/") || c.Route == getCommitRoute {
			t.Errorf("request outside the reviewed repository and the action's commits: %s %s?%s", c.Method, p, c.Query)
		}
	}
	if !e.commentWith(9, "```suggestion\n      - uses: actions/checkout@"+sha+" # v4\n```") {
		t.Errorf("the valid action lost its pin suggestion; comments %+v", e.fake.Comments(owner, repo, prNumber))
	}
	unpinned := 0
	for _, a := range run.Annotations() {
		if a.StartLine > 9 && strings.Contains(strings.ToLower(a.Title), "pinned") {
			unpinned++
		}
	}
	if unpinned < 5 {
		t.Errorf("%d hostile references reported unpinned, want at least 5; annotations %+v", unpinned, run.Annotations())
	}
}

// pushBefore is the commit a push on the pull request's branch moves from:
// the branch's own history, written by whoever pushed.
const pushBefore = "5555555555555555555555555555555555555555"

// pushPayload is a GitHub push of branch from before to after, in the
// shape of the corpus' branch push payload.
func pushPayload(t *testing.T, branch, before, after string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(corpusPayload(t, "push/with-new-branch.payload.json"), &p); err != nil {
		t.Fatal(err)
	}
	p["ref"], p["before"], p["after"], p["created"] = "refs/heads/"+branch, before, after, false
	b, _ := json.Marshal(p)
	return b
}

// runsNamed are the check runs of sha with that name, oldest first.
func (e *env) runsNamed(sha, name string) []githubtest.CheckRun {
	var out []githubtest.CheckRun
	for _, c := range e.fake.CheckRuns() {
		if c.HeadSHA == sha && c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// waitFor polls cond until it holds or the test's patience ends.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEndToEndPushKeepsPullRequestVerdict: the pull request's head fails
// its review; then the push of that same commit to the pull request's
// branch is scanned (a harmless range). The push's run is "shiftward
// (push)"; the pull request's "shiftward" run stays the only one of its
// name, and failing.
func TestEndToEndPushKeepsPullRequestVerdict(t *testing.T) {
	e := newEnv(t)
	e.fake.SetCompare(owner, repo, pushBefore, headSHA, []githubtest.File{e.leak.pullFiles()[2]}) // README only
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	if pr := e.waitCompleted(headSHA); pr.Name != "shiftward" || pr.Conclusion != "failure" {
		t.Fatalf("pull request run %s: %s, want shiftward: failure", pr.Name, pr.Conclusion)
	}
	e.waitIdle()
	if code := e.deliver("push", "push-1", pushPayload(t, "changes", pushBefore, headSHA)); code != http.StatusAccepted {
		t.Fatalf("push answered %d", code)
	}
	waitFor(t, "the push's run", func() bool {
		for _, c := range e.fake.CheckRuns() {
			if c.HeadSHA == headSHA && c.Status == "completed" && c.Name != "shiftward" {
				return true
			}
			if c.HeadSHA == headSHA && c.Status == "completed" && c.Name == "shiftward" && c.Conclusion != "failure" {
				return true // the bug: the push's run took the pull request's name
			}
		}
		return false
	})
	e.waitIdle()
	prRuns := e.runsNamed(headSHA, "shiftward")
	if len(prRuns) != 1 || prRuns[0].Conclusion != "failure" {
		t.Errorf("check runs named shiftward on the head: %+v; want the pull request's one, failing", prRuns)
	}
	push := e.runsNamed(headSHA, "shiftward (push)")
	if len(push) != 1 || push[0].Conclusion != "success" {
		t.Errorf("push runs %+v, want one shiftward (push), passing (README only)", push)
	}
}

// TestEndToEndPushConfigFromDefaultBranch: a push to a branch whose own
// earlier commit (its "before") holds a .shiftward.yml switching the
// secrets scanner off is still reviewed with the default branch's rules.
func TestEndToEndPushConfigFromDefaultBranch(t *testing.T) {
	e := newEnv(t)
	const after = "6666666666666666666666666666666666666666"
	e.fake.SetContent(owner, repo, pushBefore, ".shiftward.yml", []byte("version: 1\nscanners:\n  secrets:\n    enabled: false\n"))
	e.fake.SetContent(owner, repo, "master", "README.md", []byte("# Hello\n"))
	e.fake.SetCompare(owner, repo, pushBefore, after, e.leak.pullFiles())
	e.startWorkers()
	if code := e.deliver("push", "push-1", pushPayload(t, "changes", pushBefore, after)); code != http.StatusAccepted {
		t.Fatalf("push answered %d", code)
	}
	run := e.waitCompleted(after)
	e.waitIdle()
	if run.Name != "shiftward (push)" || run.Conclusion != "failure" || len(run.Annotations()) != 2 {
		t.Errorf("push run %s: %s with %d annotations; want shiftward (push) failing on both secrets", run.Name, run.Conclusion, len(run.Annotations()))
	}
	for _, c := range e.fake.CallsTo(githubtest.RouteGetContent) {
		if strings.HasSuffix(c.Path, "/.shiftward.yml") && strings.Contains(c.Query, pushBefore) {
			t.Errorf("configuration read at the push's before: %s?%s", c.Path, c.Query)
		}
	}
}

// TestEndToEndGitLabPushKeepsMergeRequestVerdict: as on GitHub, a push of
// the merge request's head sets "shiftward (push)"; the merge request's
// "shiftward" status stays failed.
func TestEndToEndGitLabPushKeepsMergeRequestVerdict(t *testing.T) {
	e := newGitLabEnv(t)
	readme := e.leak.mrDiffs()[2]
	e.gl.SetCompare(glProject, pushBefore, glHeadSHA, []gitlabtest.Diff{readme}, false)
	e.startWorkers()
	e.deliverGitLab("Merge Request Hook", "mr-1", glSecret, glPayload(t, "go-gitlab/merge_request.json"))
	sts := e.waitStatus(glHeadSHA)
	e.waitIdle()
	if last := sts[len(sts)-1]; last.Name != "shiftward" || last.State != "failed" {
		t.Fatalf("merge request status %+v, want shiftward failed", last)
	}
	var p map[string]any
	if err := json.Unmarshal(glPayload(t, "go-gitlab/push.json"), &p); err != nil {
		t.Fatal(err)
	}
	p["ref"], p["before"], p["after"], p["project_id"] = "refs/heads/ms-viewport", pushBefore, glHeadSHA, glProject
	proj := p["project"].(map[string]any)
	proj["id"], proj["path_with_namespace"], proj["default_branch"] = glProject, glProjPath, "master"
	body, _ := json.Marshal(p)
	if code := e.deliverGitLab("Push Hook", "push-1", glSecret, body); code != http.StatusAccepted {
		t.Fatalf("push hook answered %d", code)
	}
	final := func(st gitlabtest.Status) bool {
		return st.State == "success" || st.State == "failed" || st.State == "canceled"
	}
	waitFor(t, "the push's status", func() bool {
		sts := e.gl.Statuses(glProject, glHeadSHA)
		return len(sts) > 1 && final(sts[len(sts)-1])
	})
	e.waitIdle()
	newest := map[string]gitlabtest.Status{}
	for _, st := range e.gl.Statuses(glProject, glHeadSHA) {
		newest[st.Name+"@"+st.Ref] = st
	}
	for k, st := range newest {
		switch {
		case strings.HasPrefix(k, "shiftward@") && st.State != "failed":
			t.Errorf("the merge request's status became %s (%s) after the push", st.State, st.Description)
		case strings.HasPrefix(k, "shiftward (push)@") && st.State != "success":
			t.Errorf("push status %s, want success (README only)", st.State)
		}
	}
	if len(newest) != 2 {
		t.Errorf("statuses by name and ref %v, want shiftward and shiftward (push)", newest)
	}
}

// TestEndToEndMonorepoConfigPastManyDirectories: a pull request touching
// more than 40 directories (harmless files) plus a deep directory whose
// .shiftward.yml grades the GitHub token rule critical, with the root's at
// fail_on critical. The deep file is found through one tree listing and
// applied: the review fails.
func TestEndToEndMonorepoConfigPastManyDirectories(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte("version: 1\nfail_on: critical\n"))
	e.fake.SetContent(owner, repo, baseSHA, "zz/deep/svc/.shiftward.yml", []byte("version: 1\nrules:\n  secrets/github-pat: critical\n"))
	var files []githubtest.File
	for i := range 45 {
		files = append(files, addedFile(fmt.Sprintf("d%02d/notes.txt", i), "nothing to see\n"))
	}
	files = append(files, addedFile("zz/deep/svc/token.go", "package svc\n\nvar Token = \""+e.leak.githubPAT+"\"\n"))
	e.setPull(files...)
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion != "failure" {
		t.Errorf("conclusion %s, want failure: the deep directory's rule grades the token critical\n%s", run.Conclusion, run.Summary)
	}
	if n := len(e.fake.CallsTo(githubtest.RouteGetTree)); n != 1 {
		t.Errorf("%d tree listings, want 1", n)
	}
	reads := 0
	for _, c := range e.fake.CallsTo(githubtest.RouteGetContent) {
		if strings.HasSuffix(c.Path, "/.shiftward.yml") && strings.Count(c.Path, "/") > 5 {
			reads++
		}
	}
	if reads != 1 {
		t.Errorf("%d subdirectory configuration reads, want only the one the listing names", reads)
	}
}
