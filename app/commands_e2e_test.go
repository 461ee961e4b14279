package app_test

// End-to-end for what maintainers and developers do from the pull request:
// comment commands with permission checks, the check run's buttons, Apply
// fixes committing through the git data API, and the review that follows.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

// withJSON edits a corpus payload: set applies each change to the decoded
// object.
func withJSON(t testing.TB, body []byte, set func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	set(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// commentPayload is a real issue_comment "created" delivery, moved onto
// the pull request, with the given author and body.
func commentPayload(t testing.TB, id int64, login, body string) []byte {
	return withJSON(t, corpusPayload(t, "issue_comment/created.with-installation.payload.json"), func(m map[string]any) {
		issue := m["issue"].(map[string]any)
		issue["number"] = prNumber
		issue["state"] = "open"
		issue["pull_request"] = map[string]any{"url": "https://api.github.com/repos/" + owner + "/" + repo + "/pulls/2"}
		c := m["comment"].(map[string]any)
		c["id"], c["body"] = id, body
		c["user"] = map[string]any{"login": login, "id": id + 1, "type": "User"}
	})
}

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) replies() []string {
	var out []string
	for _, c := range e.fake.IssueComments(owner, repo, prNumber) {
		out = append(out, c.Body)
	}
	return out
}

func TestEndToEndCommands(t *testing.T) {
	e := newEnv(t)
	e.fake.SetPermission(owner, repo, "maintainer", "maintain")
	e.fake.SetPermission(owner, repo, "reader", "read")
	e.startWorkers()

	// A reader may not rescan: a polite refusal, no reaction, no check run.
	if code := e.deliver("issue_comment", "c-1", commentPayload(t, 501, "reader", "Could you look again?\n/shiftward rescan")); code != http.StatusAccepted {
		t.Fatalf("comment delivery answered %d, want 202", code)
	}
	e.waitFor("the refusal", func() bool { return len(e.replies()) == 1 })
	e.waitIdle()
	if r := e.replies()[0]; !strings.Contains(r, "@reader") || !strings.Contains(r, "write access") {
		t.Errorf("refusal = %q, want it to name the user and the permission needed", r)
	}
	if n := len(e.fake.Reactions()); n != 0 || len(e.fake.CheckRuns()) != 0 {
		t.Errorf("refused command left %d reactions and %d check runs, want none", n, len(e.fake.CheckRuns()))
	}

	// Anyone may ask for an explanation.
	e.deliver("issue_comment", "c-2", commentPayload(t, 502, "reader", "/shiftward explain secrets/github-pat"))
	e.waitFor("the explanation", func() bool { return len(e.replies()) == 2 })
	if r := e.replies()[1]; !strings.Contains(r, "`secrets/github-pat`") || !strings.Contains(r, "Revoke") {
		t.Errorf("explanation = %q", r)
	}

	// A maintainer's rescan is accepted (+1) and reviews the head.
	e.deliver("issue_comment", "c-3", commentPayload(t, 503, "maintainer", "/shiftward rescan"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
		t.Errorf("rescan check run = %s with %d annotations, want failure with 2", run.Conclusion, len(run.Annotations()))
	}
	reactions := e.fake.Reactions()
	if len(reactions) != 2 || reactions[0].CommentID != 502 || reactions[1].CommentID != 503 || reactions[1].Content != "+1" || reactions[1].On != "issue" {
		t.Errorf("reactions = %+v, want +1 on the explain and the rescan comments", reactions)
	}
	// The same delivery again runs nothing twice.
	e.deliver("issue_comment", "c-3", commentPayload(t, 503, "maintainer", "/shiftward rescan"))
	e.waitIdle()
	if n := len(e.fake.CheckRuns()); n != 1 {
		t.Errorf("%d check runs after a redelivered rescan, want 1", n)
	}

	// ignore: the reply carries the .shiftward.yml that accepts the
	// finding, and the fingerprint is the one shown in the review.
	fp := regexp.MustCompile(`shiftward:fp=([0-9a-f]{16})`).FindStringSubmatch(e.fake.Comments(owner, repo, prNumber)[0].Body)
	if fp == nil {
		t.Fatal("no fingerprint in the review comment")
	}
	e.deliver("issue_comment", "c-4", commentPayload(t, 504, "maintainer", "/shiftward ignore "+fp[1]+" revoked on 2026-11-01 --until 2099-12-31"))
	e.waitFor("the ignore answer", func() bool { return len(e.replies()) == 3 })
	want := "ignore:\n  - fingerprint: \"" + fp[1] + "\"\n    reason: revoked on 2026-11-01\n    expires: 2099-12-31\n"
	if r := e.replies()[2]; !strings.Contains(r, "```yaml\n"+want+"```") {
		t.Errorf("ignore answer = %q, want the file with\n%s", r, want)
	}
	// ...but a reader's ignore is refused.
	e.deliver("issue_comment", "c-5", commentPayload(t, 505, "reader", "/shiftward ignore secrets/github-pat it is fine"))
	e.waitFor("the second refusal", func() bool { return len(e.replies()) == 4 })
	if r := e.replies()[3]; !strings.Contains(r, "write access") {
		t.Errorf("reader's ignore answered %q, want a refusal", r)
	}
	// Unknown commands get the help; a bad ignore says what is wrong.
	e.deliver("issue_comment", "c-6", commentPayload(t, 506, "reader", "/shiftward frobnicate"))
	e.deliver("issue_comment", "c-7", commentPayload(t, 507, "maintainer", "/shiftward ignore secrets/github-pat"))
	e.waitFor("two more answers", func() bool { return len(e.replies()) == 6 })
	e.waitIdle()
	all := strings.Join(e.replies()[4:], "\n---\n")
	if !strings.Contains(all, "does not know `/shiftward frobnicate`") || !strings.Contains(all, "needs what to ignore and a reason") {
		t.Errorf("answers = %s", all)
	}
	e.assertNoSecretSent()
}

func TestEndToEndReviewCommentCommandRepliesInThread(t *testing.T) {
	e := newEnv(t)
	e.fake.SetPermission(owner, repo, "Codertocat", "admin")
	parent := e.fake.AddComment(owner, repo, githubtest.Comment{Number: prNumber, Path: "README.md", Line: 2, CommitID: headSHA, Body: "hm", UserLogin: "Codertocat", UserType: "User"})
	e.startWorkers()
	body := withJSON(t, corpusPayload(t, "pull_request_review_comment/created.payload.json"), func(m map[string]any) {
		c := m["comment"].(map[string]any)
		c["id"], c["body"] = parent, "/shiftward help"
	})
	e.deliver("pull_request_review_comment", "rc-1", body)
	e.waitFor("the reply in the thread", func() bool { return len(e.fake.Comments(owner, repo, prNumber)) == 2 })
	e.waitIdle()
	reply := e.fake.Comments(owner, repo, prNumber)[1]
	if reply.InReplyTo != parent || !strings.Contains(reply.Body, "/shiftward rescan") {
		t.Errorf("reply = %+v, want the help in the thread of %d", reply, parent)
	}
	if r := e.fake.Reactions(); len(r) != 1 || r[0].On != "review" || r[0].CommentID != parent {
		t.Errorf("reactions = %+v, want one on the review comment", r)
	}
}

// TestEndToEndApplyFixes: the completed check run offers Re-run and Apply
// fixes; pressing Apply fixes commits every fix to the branch in one
// commit by the app, and the push brings a review of the new head in
// which the fixed findings are gone.
func TestEndToEndApplyFixes(t *testing.T) {
	e := newEnv(t)
	// The script is executable: the fix must keep it so.
	e.fake.SetTree(owner, repo, headSHA, []githubtest.TreeEntry{{Path: "scripts/upload.py", Mode: "100755",
		SHA: githubtest.BlobSHA([]byte(headContent(e.leak, "scripts/upload.py")))}})
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if fmt.Sprint(run.Actions) != "[{Re-run Review this pull request again rerun} {Apply fixes Commit the 2 suggested fixes apply_fixes}]" {
		t.Fatalf("check run actions = %+v", run.Actions)
	}

	// The push the commit makes is delivered as GitHub would: the pull
	// request's files at the new head, then a synchronize.
	pushed := make(chan githubtest.Push, 1)
	e.fake.OnPush(func(p githubtest.Push) { pushed <- p })
	e.pressApplyFixes(t)
	var p githubtest.Push
	select {
	case p = <-pushed:
	case <-time.After(15 * time.Second):
		t.Fatal("no commit pushed")
	}
	commits := e.fake.GitCommits()
	if len(commits) != 1 || p.Before != headSHA || p.After != commits[0].SHA || p.Branch != "changes" {
		t.Fatalf("push %+v, commits %+v: want one commit on changes on top of the head", p, commits)
	}
	c := commits[0]
	if m := c.Modes; m["scripts/upload.py"] != "100755" || m["internal/deploy/token.go"] != "100644" {
		t.Errorf("modes written %v, want the script executable as before", m)
	}
	if fmt.Sprint(c.Changed) != "[internal/deploy/token.go scripts/upload.py]" || !strings.HasPrefix(c.Message, "shiftward: apply 2 security fixes\n") {
		t.Errorf("commit changes %v with message %q", c.Changed, c.Message)
	}
	token := string(c.Files["internal/deploy/token.go"])
	if strings.Contains(token, e.leak.githubPAT) || !strings.Contains(token, "var Token = os.Getenv(\"") || c.Files["README.md"] == nil {
		t.Errorf("fixed token.go:\n%s", token)
	}
	if py := string(c.Files["scripts/upload.py"]); strings.Contains(py, e.leak.awsKeyID) || !strings.Contains(py, "os.environ[") {
		t.Errorf("fixed upload.py:\n%s", py)
	}

	// GitHub now sends synchronize for the new head; its files no longer
	// add the secrets.
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: p.After, BaseRef: "master", HeadRef: "changes",
		Files: []githubtest.File{
			{Filename: "internal/deploy/token.go", Status: "added", Additions: 7, Changes: 7, Patch: "@@ -0,0 +1,7 @@\n+" + strings.ReplaceAll(strings.TrimSuffix(token, "\n"), "\n", "\n+") + "\n"},
		}})
	sync := withJSON(t, corpusPayload(t, "pull_request/opened.payload.json"), func(m map[string]any) {
		m["action"] = "synchronize"
		m["pull_request"].(map[string]any)["head"].(map[string]any)["sha"] = p.After
	})
	e.deliver("pull_request", "sync-1", sync)
	after := e.waitCompleted(p.After)
	e.waitIdle()
	if after.Conclusion != "success" || len(after.Annotations()) != 0 {
		t.Errorf("review after the fixes = %s with %d annotations, want success with none", after.Conclusion, len(after.Annotations()))
	}
	for _, a := range after.Actions {
		if a.Identifier == "apply_fixes" {
			t.Errorf("Apply fixes offered with nothing to fix")
		}
	}
	e.assertNoSecretSent()
}

// TestEndToEndApplyFixesOnAMovedBranchCommitsNothing: the branch moved
// after the button was pressed; its own review is on the way.
func TestEndToEndApplyFixesOnAMovedBranchCommitsNothing(t *testing.T) {
	e := newEnv(t)
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: strings.Repeat("9", 40), BaseRef: "master", HeadRef: "changes"})
	e.startWorkers()
	press := withJSON(t, corpusPayload(t, "check_run/requested_action.payload.json"), func(m map[string]any) {
		m["repository"] = map[string]any{"id": 186853002, "name": repo, "owner": map[string]any{"login": owner}}
		m["installation"] = map[string]any{"id": 1}
		m["requested_action"] = map[string]any{"identifier": "apply_fixes"}
		cr := m["check_run"].(map[string]any)
		cr["head_sha"] = headSHA
		cr["pull_requests"] = []any{map[string]any{"number": prNumber, "head": map[string]any{"ref": "changes", "sha": headSHA}, "base": map[string]any{"ref": "master", "sha": baseSHA}}}
	})
	if code := e.deliver("check_run", "press-1", press); code != http.StatusAccepted {
		t.Fatalf("requested_action answered %d", code)
	}
	e.waitIdle()
	// The job ran (it read the pull request and found the newer head) and
	// wrote nothing.
	if n := len(e.fake.CallsTo(githubtest.RouteGetPull)); n == 0 {
		t.Fatal("the apply-fixes job never read the pull request")
	}
	if n := len(e.fake.GitCommits()); n != 0 {
		t.Errorf("%d commits on a branch that moved, want none", n)
	}
}

// notePayload is a real Note Hook delivery on a merge request, moved onto
// the test project's merge request, with the given author, note and thread.
func notePayload(t testing.TB, noteID, userID int64, username, note, discussion string) []byte {
	return withJSON(t, glPayload(t, "go-gitlab/note_merge_request.json"), func(m map[string]any) {
		m["project_id"] = glProject
		p := m["project"].(map[string]any)
		p["id"], p["path_with_namespace"], p["default_branch"] = glProject, glProjPath, "master"
		mr := m["merge_request"].(map[string]any)
		mr["iid"], mr["source_project_id"], mr["target_project_id"], mr["state"] = glIID, glProject, glProject, "opened"
		mr["last_commit"] = map[string]any{"id": glHeadSHA}
		m["user"] = map[string]any{"id": userID, "username": username, "name": username}
		a := m["object_attributes"].(map[string]any)
		a["id"], a["note"], a["author_id"], a["discussion_id"] = noteID, note, userID, discussion
	})
}

func TestEndToEndGitLabNoteCommands(t *testing.T) {
	e := newGitLabEnv(t)
	e.gl.AddMember(glProject, gitlabtest.User{ID: 7, Username: "dev", AccessLevel: 30})
	e.gl.AddMember(glProject, gitlabtest.User{ID: 8, Username: "guest", AccessLevel: 10})
	thread := e.gl.AddDiscussion(glProject, glIID, gitlabtest.Discussion{Notes: []gitlabtest.Note{
		{ID: 601, Body: "/shiftward rescan", AuthorID: 8, AuthorUsername: "guest"},
		{ID: 602, Body: "/shiftward rescan", AuthorID: 7, AuthorUsername: "dev"},
	}})
	e.startWorkers()
	threadNotes := func() []gitlabtest.Note {
		for _, d := range e.gl.Discussions(glProject, glIID) {
			if d.ID == thread {
				return d.Notes
			}
		}
		return nil
	}

	// A Guest may not rescan: the refusal lands in the note's thread.
	if code := e.deliverGitLab("Note Hook", "n-1", glSecret, notePayload(t, 601, 8, "guest", "/shiftward rescan", thread)); code != http.StatusAccepted {
		t.Fatalf("note hook answered %d", code)
	}
	e.waitFor("the refusal", func() bool { return len(threadNotes()) == 3 })
	e.waitIdle()
	if n := threadNotes()[2]; !strings.Contains(n.Body, "@guest") || !strings.Contains(n.Body, "write access") || n.AuthorUsername != e.gl.BotUsername {
		t.Errorf("refusal = %+v", n)
	}
	if len(e.gl.Awards()) != 0 || len(e.gl.Statuses(glProject, glHeadSHA)) != 0 {
		t.Errorf("a refused command reacted or reviewed: awards %+v", e.gl.Awards())
	}

	// A Developer's rescan gets a thumbs-up and a review of the head.
	e.deliverGitLab("Note Hook", "n-2", glSecret, notePayload(t, 602, 7, "dev", "/shiftward rescan", thread))
	sts := e.waitStatus(glHeadSHA)
	e.waitIdle()
	if last := sts[len(sts)-1]; last.State != "failed" {
		t.Errorf("status after the rescan = %+v, want failed (secrets found)", last)
	}
	if a := e.gl.Awards(); len(a) != 1 || a[0].NoteID != 602 || a[0].Name != "thumbsup" {
		t.Errorf("awards = %+v, want a thumbsup on note 602", a)
	}
	inline, _ := e.threads()
	if len(inline) != 2 {
		t.Errorf("%d inline threads after the rescan, want 2", len(inline))
	}
	// The same note delivered again (a new delivery id) runs once.
	e.deliverGitLab("Note Hook", "n-2-again", glSecret, notePayload(t, 602, 7, "dev", "/shiftward rescan", thread))
	e.waitIdle()
	if n := len(e.gl.Statuses(glProject, glHeadSHA)); n != len(sts) {
		t.Errorf("redelivered note set %d statuses, want still %d", n, len(sts))
	}
	e.assertNoSecretSentGitLab()
}

// TestEndToEndSuppressionsWaitForApproval: with require_suppression_review
// on, a change that adds a shiftward:ignore fails until someone with write
// access approves the pull request at its head; a reader's approval does
// not count.
func TestEndToEndSuppressionsWaitForApproval(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte("version: 1\nrequire_suppression_review: true\n"))
	e.setPull(addedFile("internal/deploy/token.go", "package deploy\nvar Token = \""+e.leak.githubPAT+"\" // shiftward:ignore secrets/github-pat revoked test token\n"))
	e.fake.SetPermission(owner, repo, "maintainer", "write")
	e.fake.SetPermission(owner, repo, "reader", "read")
	e.startWorkers()

	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion != "failure" || !strings.Contains(run.Summary, "must approve") || len(run.Annotations()) != 0 {
		t.Fatalf("before approval: %s, %d annotations, summary:\n%s", run.Conclusion, len(run.Annotations()), run.Summary)
	}

	approve := func(id, user string) {
		e.fake.AddApproval(owner, repo, githubtest.Approval{Number: prNumber, User: user, State: "APPROVED", CommitID: headSHA})
		body := withJSON(t, corpusPayload(t, "pull_request_review/submitted.payload.json"), func(m map[string]any) {
			m["review"] = map[string]any{"state": "approved", "commit_id": headSHA, "user": map[string]any{"login": user, "type": "User"}}
		})
		if code := e.deliver("pull_request_review", id, body); code != http.StatusAccepted {
			t.Fatalf("review delivery answered %d", code)
		}
	}
	completed := func() []githubtest.CheckRun {
		var out []githubtest.CheckRun
		for _, c := range e.fake.CheckRuns() {
			if c.HeadSHA == headSHA && c.Status == "completed" {
				out = append(out, c)
			}
		}
		return out
	}
	approve("r-1", "reader")
	e.waitFor("the second review", func() bool { return len(completed()) == 2 })
	e.waitIdle()
	if r := completed()[1]; r.Conclusion != "failure" {
		t.Errorf("after a reader's approval: %s, want still failure", r.Conclusion)
	}
	approve("r-2", "maintainer")
	e.waitFor("the third review", func() bool { return len(completed()) == 3 })
	e.waitIdle()
	r := completed()[2]
	if r.Conclusion != "success" || !strings.Contains(r.Summary, "approved by maintainer") {
		t.Errorf("after a maintainer's approval: %s, summary:\n%s", r.Conclusion, r.Summary)
	}
}

// TestEndToEndOrgDefaultsAndMonorepoConfig: the organisation's .github
// repository sets defaults under the repository's own file, and a
// subdirectory's .shiftward.yml applies below it only.
func TestEndToEndOrgDefaultsAndMonorepoConfig(t *testing.T) {
	e := newEnv(t)
	e.fake.AddRepo(githubtest.Repo{ID: 99, Owner: owner, Name: ".github", DefaultBranch: "main", Installation: 1})
	// The org turns the AWS rule off and sets fail_on critical; the repo
	// brings fail_on back to high. scripts/ switches the secrets scanner
	// off for itself.
	e.fake.SetContent(owner, ".github", "main", ".shiftward.yml", []byte("version: 1\nfail_on: critical\nrules:\n  secrets/github-pat: low\n"))
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte("version: 1\nfail_on: high\n"))
	e.fake.SetContent(owner, repo, baseSHA, "scripts/.shiftward.yml", []byte("version: 1\nscanners:\n  secrets:\n    enabled: false\n"))
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	anns := run.Annotations()
	// The GitHub token remains, graded low by the org (so no failure at
	// high); the AWS key in scripts/ is not scanned for.
	if len(anns) != 1 || anns[0].Path != "internal/deploy/token.go" || anns[0].AnnotationLevel == "failure" || run.Conclusion != "success" {
		t.Errorf("conclusion %s, annotations %+v: want one low finding on token.go, passing at high", run.Conclusion, anns)
	}
	var readSub bool
	for _, c := range e.fake.Calls() {
		if strings.Contains(c.Path, "/contents/scripts/.shiftward.yml") && strings.Contains(c.Query, "ref="+baseSHA) {
			readSub = true
		}
		if strings.Contains(c.Path, "/contents/internal/.shiftward.yml") && !strings.Contains(c.Query, "ref="+baseSHA) {
			t.Errorf("subdirectory config read at %q, want the base", c.Query)
		}
	}
	if !readSub {
		t.Error("scripts/.shiftward.yml was not read at the base")
	}
}

// TestEndToEndGitLabGroupDefaults: the group's gitlab-profile project holds
// defaults for every project below it.
func TestEndToEndGitLabGroupDefaults(t *testing.T) {
	e := newGitLabEnv(t)
	e.gl.AddProject(gitlabtest.Project{ID: 77, PathWithNamespace: "gitlabhq/gitlab-profile", DefaultBranch: "main"})
	e.gl.SetContent(77, "HEAD", ".shiftward.yml", []byte("version: 1\nrules:\n  secrets/aws-access-token: off\n"))
	e.startWorkers()
	e.deliverGitLab("Merge Request Hook", "mr-1", glSecret, glPayload(t, "go-gitlab/merge_request.json"))
	e.waitStatus(glHeadSHA)
	e.waitIdle()
	inline, _ := e.threads()
	if len(inline) != 1 || inline[0].Notes[0].Position.NewPath != "internal/deploy/token.go" {
		t.Errorf("threads = %+v, want only the GitHub token (the group turned the AWS rule off)", inline)
	}
}

// newCommittingEnv is a pull request whose base and head hold cfg as
// .shiftward.yml, with a maintainer (admin) to run commands, workers started.
func newCommittingEnv(t *testing.T, cfg string) *env {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte(cfg))
	e.fake.SetContent(owner, repo, headSHA, ".shiftward.yml", []byte(cfg))
	e.fake.SetPermission(owner, repo, "maintainer", "admin")
	e.startWorkers()
	return e
}

// TestEndToEndIgnoreCommits: with commands.ignore: commit in the base's
// .shiftward.yml, /shiftward ignore commits the entry to the branch.
func TestEndToEndIgnoreCommits(t *testing.T) {
	base := "version: 1\ncommands:\n  ignore: commit\n"
	e := newCommittingEnv(t, base)
	e.deliver("issue_comment", "c-1", commentPayload(t, 700, "maintainer", "/shiftward ignore secrets/github-pat deploy token is a revoked fixture"))
	e.waitFor("the reply", func() bool { return len(e.replies()) == 1 })
	e.waitIdle()
	commits := e.fake.GitCommits()
	if len(commits) != 1 || fmt.Sprint(commits[0].Changed) != "[.shiftward.yml]" {
		t.Fatalf("commits = %+v, want one changing .shiftward.yml", commits)
	}
	want := base + "\nignore:\n  - rule: secrets/github-pat\n    reason: deploy token is a revoked fixture\n"
	if got := string(commits[0].Files[".shiftward.yml"]); got != want {
		t.Errorf("committed .shiftward.yml:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(commits[0].Message, "@maintainer") || !strings.Contains(e.replies()[0], "Committed "+commits[0].SHA) {
		t.Errorf("message %q, reply %q", commits[0].Message, e.replies()[0])
	}
}

// TestEndToEndGitLabSuppressionApproval: on GitLab the approval of a
// Developer (or above) is what suppressions wait for; a Guest's is not.
func TestEndToEndGitLabSuppressionApproval(t *testing.T) {
	e := newGitLabEnv(t)
	// The hook names no base commit: the target branch is the base.
	e.gl.SetContent(glProject, "master", ".shiftward.yml", []byte("version: 1\nrequire_suppression_review: true\n"))
	e.gl.AddMR(glProject, gitlabtest.MergeRequest{IID: glIID, SourceBranch: "ms-viewport", TargetBranch: "master",
		Versions: []gitlabtest.Version{{ID: 10, BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: glHeadSHA, Diffs: []gitlabtest.Diff{{
			OldPath: "deploy/token.go", NewPath: "deploy/token.go", NewFile: true, AMode: "0", BMode: "100644",
			Diff: "@@ -0,0 +1,2 @@\n+package deploy\n+var Token = \"" + e.leak.githubPAT + "\" // shiftward:ignore secrets/github-pat revoked fixture\n"}}}}})
	e.gl.AddMember(glProject, gitlabtest.User{ID: 7, Username: "dev", AccessLevel: 30})
	e.gl.AddMember(glProject, gitlabtest.User{ID: 8, Username: "guest", AccessLevel: 10})
	e.startWorkers()
	mr := glPayload(t, "go-gitlab/merge_request.json")
	e.deliverGitLab("Merge Request Hook", "mr-1", glSecret, mr)
	if st := e.waitStatus(glHeadSHA); st[len(st)-1].State != "failed" {
		t.Fatalf("before approval: %+v, want failed", st[len(st)-1])
	}
	e.waitIdle()
	approved := func(id string, by gitlabtest.User) {
		// GitLab names the approver in "user": two approvals are two
		// bodies (the same body again is a replay, dropped).
		body := withJSON(t, mr, func(m map[string]any) {
			m["object_attributes"].(map[string]any)["action"] = "approved"
			m["user"] = map[string]any{"id": by.ID, "username": by.Username, "name": by.Username}
		})
		if code := e.deliverGitLab("Merge Request Hook", id, glSecret, body); code != http.StatusAccepted {
			t.Fatalf("approval hook answered %d", code)
		}
		e.waitIdle()
	}
	guest, dev := gitlabtest.User{ID: 8, Username: "guest"}, gitlabtest.User{ID: 7, Username: "dev"}
	e.gl.Approve(glProject, glIID, guest)
	approved("ap-1", guest)
	if st := e.gl.Statuses(glProject, glHeadSHA); st[len(st)-1].State != "failed" {
		t.Errorf("after a Guest's approval: %+v, want still failed", st[len(st)-1])
	}
	e.gl.Approve(glProject, glIID, dev)
	approved("ap-2", dev)
	if st := e.gl.Statuses(glProject, glHeadSHA); st[len(st)-1].State != "success" {
		t.Errorf("after a Developer's approval: %+v, want success", st[len(st)-1])
	}
}

// TestEndToEndIgnoreEntryAlreadyThere: an entry the branch already has is
// not added twice (a command run again, or a retried job whose commit had
// landed).
func TestEndToEndIgnoreEntryAlreadyThere(t *testing.T) {
	e := newCommittingEnv(t, "version: 1\ncommands:\n  ignore: commit\nignore:\n  - rule: secrets/github-pat\n    reason: revoked fixture\n")
	e.deliver("issue_comment", "c-1", commentPayload(t, 800, "maintainer", "/shiftward ignore secrets/github-pat revoked fixture"))
	e.waitFor("the reply", func() bool { return len(e.replies()) == 1 })
	e.waitIdle()
	if n := len(e.fake.GitCommits()); n != 0 || !strings.Contains(e.replies()[0], "already has that entry") {
		t.Errorf("%d commits, reply %q: want none and a reply saying so", n, e.replies()[0])
	}
}

// glQuiet snapshots what a command could change on the test merge request:
// its statuses, notes and awards.
type glQuiet struct {
	statuses, notes, awards int
}

func (e *glEnv) quiet() glQuiet {
	n := 0
	for _, d := range e.gl.Discussions(glProject, glIID) {
		n += len(d.Notes)
	}
	return glQuiet{statuses: len(e.gl.Statuses(glProject, glHeadSHA)), notes: n, awards: len(e.gl.Awards())}
}

// threadNotes returns the notes of one thread of the test merge request.
func (e *glEnv) threadNotes(thread string) []gitlabtest.Note {
	for _, d := range e.gl.Discussions(glProject, glIID) {
		if d.ID == thread {
			return d.Notes
		}
	}
	return nil
}

// TestEndToEndGitLabBotRepliesAreNotCommands: GitLab sends a Note Hook for
// the bot's own replies too, without saying it is a bot. A reply quoting a
// branch's .shiftward.yml whose block scalar holds a ~~~ fence and a
// command, and a bot note with a command on a line of its own, change
// nothing when their hooks come back.
func TestEndToEndGitLabBotRepliesAreNotCommands(t *testing.T) {
	e := newGitLabEnv(t)
	e.gl.AddMember(glProject, gitlabtest.User{ID: 7, Username: "dev", AccessLevel: 30})
	// The bot is a Developer of the project, as the README asks.
	e.gl.AddMember(glProject, gitlabtest.User{ID: e.gl.BotID, Username: e.gl.BotUsername, AccessLevel: 30})
	e.gl.SetContent(glProject, glHeadSHA, config.RepoFile, []byte("version: 1\nignore:\n  - rule: iac/k8s-privileged\n"+
		"    reason: |\n      ~~~\n      /shiftward rescan\n      ~~~\n"))
	const ask = "/shiftward ignore secrets/generic-api-key test fixture"
	thread := e.gl.AddDiscussion(glProject, glIID, gitlabtest.Discussion{Notes: []gitlabtest.Note{{ID: 701, Body: ask, AuthorID: 7, AuthorUsername: "dev"}}})
	e.startWorkers()

	e.deliverGitLab("Note Hook", "bot-1", glSecret, notePayload(t, 701, 7, "dev", ask, thread))
	e.waitFor("the ignore reply", func() bool { return len(e.threadNotes(thread)) == 2 })
	e.waitIdle()
	reply := e.threadNotes(thread)[1]
	if reply.AuthorID != e.gl.BotID || !strings.Contains(reply.Body, "~~~\n      /shiftward rescan\n") {
		t.Fatalf("ignore reply = %+v, want the bot's, quoting the block scalar", reply)
	}
	if cmd, ok := platform.ParseCommand(reply.Body); ok {
		t.Errorf("the reply parses as a command: %+v", cmd)
	}
	botNote := e.gl.AddDiscussion(glProject, glIID, gitlabtest.Discussion{IndividualNote: true, Notes: []gitlabtest.Note{
		{ID: 702, Body: "Reviewed.\n/shiftward rescan", AuthorID: e.gl.BotID, AuthorUsername: e.gl.BotUsername}}})
	before := e.quiet()

	// GitLab's hooks for both bot notes.
	for i, n := range []struct {
		id         int64
		body, disc string
	}{{reply.ID, reply.Body, thread}, {702, "Reviewed.\n/shiftward rescan", botNote}} {
		if code := e.deliverGitLab("Note Hook", fmt.Sprintf("bot-reply-%d", i), glSecret,
			notePayload(t, n.id, e.gl.BotID, e.gl.BotUsername, n.body, n.disc)); code/100 != 2 {
			t.Fatalf("bot note hook answered %d", code)
		}
	}
	e.waitIdle()
	if after := e.quiet(); after != before {
		t.Errorf("the bot's own notes acted: before %+v, after %+v", before, after)
	}
	// The bot's id was learnt by the first job: its notes were dropped
	// before queuing, never read back by a worker.
	for _, c := range e.gl.CallsTo(gitlabtest.RouteGetNote) {
		if !strings.HasSuffix(c.Path, "/notes/701") {
			t.Errorf("a bot note was queued and read back: %s", c.Path)
		}
	}
}

// TestEndToEndGitLabForgedNotes: the webhook token is shared by every
// project, so a Note Hook can claim any author and body. The worker acts on
// the note as GitLab's API has it.
func TestEndToEndGitLabForgedNotes(t *testing.T) {
	e := newGitLabEnv(t)
	e.gl.AddMember(glProject, gitlabtest.User{ID: 8, Username: "guest", AccessLevel: 10})
	e.gl.AddMember(glProject, gitlabtest.User{ID: 9, Username: "maintainer", AccessLevel: 40})
	thread := e.gl.AddDiscussion(glProject, glIID, gitlabtest.Discussion{Notes: []gitlabtest.Note{
		{ID: 711, Body: "LGTM, thanks", AuthorID: 9, AuthorUsername: "maintainer"},
		{ID: 712, Body: "/shiftward rescan", AuthorID: 8, AuthorUsername: "guest"},
	}})
	e.startWorkers()

	// A body the note does not have, in a Maintainer's name.
	e.deliverGitLab("Note Hook", "forged-1", glSecret, notePayload(t, 711, 9, "maintainer", "/shiftward rescan", thread))
	// A Guest's command, claimed to be a Maintainer's.
	e.deliverGitLab("Note Hook", "forged-2", glSecret, notePayload(t, 712, 9, "maintainer", "/shiftward rescan", thread))
	e.waitFor("the refusal", func() bool { return len(e.threadNotes(thread)) == 3 })
	e.waitIdle()

	if n := e.gl.Statuses(glProject, glHeadSHA); len(n) != 0 {
		t.Errorf("a forged note ran a review: %+v", n)
	}
	if a := e.gl.Awards(); len(a) != 0 {
		t.Errorf("a forged note was accepted: %+v", a)
	}
	notes := e.threadNotes(thread)
	if len(notes) != 3 {
		t.Fatalf("thread has %d notes, want the two and one refusal", len(notes))
	}
	if r := notes[2]; !strings.Contains(r.Body, "@guest") || strings.Contains(r.Body, "@maintainer") || r.AuthorID != e.gl.BotID {
		t.Errorf("reply = %q, want a refusal to the note's real author", r.Body)
	}
	// The membership asked about is the API's author, never the payload's.
	for _, c := range e.gl.CallsTo(gitlabtest.RouteGetMember) {
		if !strings.HasSuffix(c.Path, "/members/all/8") {
			t.Errorf("permission asked for %s, want the note's author (8)", c.Path)
		}
	}
}

// TestEndToEndGitLabDeletedNote: a note deleted before its job runs does
// nothing.
func TestEndToEndGitLabDeletedNote(t *testing.T) {
	e := newGitLabEnv(t)
	e.gl.AddMember(glProject, gitlabtest.User{ID: 7, Username: "dev", AccessLevel: 30})
	thread := e.gl.AddDiscussion(glProject, glIID, gitlabtest.Discussion{Notes: []gitlabtest.Note{
		{ID: 721, Body: "/shiftward rescan", AuthorID: 7, AuthorUsername: "dev"},
	}})
	if code := e.deliverGitLab("Note Hook", "deleted-1", glSecret, notePayload(t, 721, 7, "dev", "/shiftward rescan", thread)); code != http.StatusAccepted {
		t.Fatalf("note hook answered %d", code)
	}
	e.gl.DeleteNote(glProject, glIID, 721)
	before := e.quiet()
	e.startWorkers()
	e.waitIdle()
	if after := e.quiet(); after != before {
		t.Errorf("a deleted note acted: before %+v, after %+v", before, after)
	}
	if len(e.gl.CallsTo(gitlabtest.RouteGetNote)) == 0 {
		t.Error("the worker never read the note back")
	}
}

// TestEndToEndIgnoreReplyQuotesTheFileInASizedFence: the .shiftward.yml an
// ignore reply proposes is the branch's own file, written by whoever pushed:
// it is quoted whole and byte for byte, in a fence longer than any run of
// backticks inside, so no line of it (a ```` or ~~~ in a block scalar, a
// command after it) can end the block and stand as text of the reply.
func TestEndToEndIgnoreReplyQuotesTheFileInASizedFence(t *testing.T) {
	e := newEnv(t)
	branchFile := "version: 1\nignore:\n  - rule: iac/k8s-privileged\n    reason: |\n      ````\n      ~~~\n      /shiftward rescan\n      ~~~\n      ````\n"
	e.fake.SetContent(owner, repo, headSHA, config.RepoFile, []byte(branchFile))
	e.fake.SetPermission(owner, repo, "maintainer", "admin")
	e.startWorkers()
	e.deliver("issue_comment", "c-1", commentPayload(t, 810, "maintainer", "/shiftward ignore secrets/github-pat revoked fixture"))
	e.waitFor("the reply", func() bool { return len(e.replies()) == 1 })
	e.waitIdle()
	reply := e.replies()[0]

	want, err := config.AppendIgnore([]byte(branchFile), config.Ignore{Rule: "secrets/github-pat", Reason: "revoked fixture"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply, "`````yaml\n"+string(want)+"`````\n") {
		t.Errorf("reply = %q\nwant the file quoted whole in a 5-backtick fence:\n%s", reply, want)
	}
	if cmd, ok := platform.ParseCommand(reply); ok {
		t.Errorf("the reply holds a command: %+v", cmd)
	}
}

// pressApplyFixes delivers what GitHub sends when someone presses the
// check run's Apply fixes button on the pull request's head (a branch of
// the repository itself).
func (e *env) pressApplyFixes(t *testing.T) {
	t.Helper()
	press := withJSON(t, corpusPayload(t, "check_run/requested_action.payload.json"), func(m map[string]any) {
		m["repository"] = map[string]any{"id": 186853002, "name": repo, "full_name": owner + "/" + repo, "owner": map[string]any{"login": owner}, "default_branch": "master"}
		m["installation"] = map[string]any{"id": 1}
		m["requested_action"] = map[string]any{"identifier": "apply_fixes"}
		cr := m["check_run"].(map[string]any)
		cr["head_sha"] = headSHA
		cr["pull_requests"] = []any{map[string]any{"number": prNumber,
			"head": map[string]any{"ref": "changes", "sha": headSHA, "repo": map[string]any{"id": 186853002}},
			"base": map[string]any{"ref": "master", "sha": baseSHA, "repo": map[string]any{"id": 186853002}}}}
	})
	if code := e.deliver("check_run", "press-1", press); code != http.StatusAccepted {
		t.Fatalf("requested_action answered %d", code)
	}
}
