package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// hashPy uses md5 imported alone: its fix, sha256, needs an import too.
const hashPy = "from hashlib import md5\n\n\ndef digest(data):\n    return md5(data).hexdigest()\n"

// TestEndToEndApplyFixesCommitsAFixOfTwoEdits: a fix that needs an import
// besides the line it fixes (md5 → sha256 after only `from hashlib import
// md5`) is no one-click suggestion: the review comment describes both
// changes and points at Apply fixes, and Apply fixes commits both edits,
// with the other fixes of the pull request.
func TestEndToEndApplyFixesCommitsAFixOfTwoEdits(t *testing.T) {
	e := newEnv(t)
	files := append(e.leak.pullFiles(), githubtest.File{Filename: "app/hash.py", Status: "added", Additions: 5, Changes: 5,
		Patch: "@@ -0,0 +1,5 @@\n+" + strings.ReplaceAll(strings.TrimSuffix(hashPy, "\n"), "\n", "\n+") + "\n"})
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes", Files: files})
	e.fake.SetContent(owner, repo, headSHA, "app/hash.py", []byte(hashPy))
	e.startWorkers()
	e.deliver("pull_request", "open-1", corpusPayload(t, "pull_request/opened.payload.json"))
	e.waitCompleted(headSHA)
	e.waitIdle()

	var hash, token *githubtest.Comment
	for _, c := range e.fake.Comments(owner, repo, prNumber) {
		switch c.Path {
		case "app/hash.py":
			hash = &c
		case "internal/deploy/token.go":
			token = &c
		}
	}
	if hash == nil || token == nil {
		t.Fatalf("comments = %+v, want one on app/hash.py and one on internal/deploy/token.go", e.fake.Comments(owner, repo, prNumber))
	}
	if strings.Contains(hash.Body, "```suggestion") {
		t.Errorf("the fix of two edits is a one-click suggestion:\n%s", hash.Body)
	}
	for _, want := range []string{"Replace line 5 with:\n\n```\n    return sha256(data).hexdigest()\n```",
		"Insert after line 1:\n\n```\nfrom hashlib import sha256\n```", "**Apply fixes**"} {
		if !strings.Contains(hash.Body, want) {
			t.Errorf("comment on app/hash.py lacks %q:\n%s", want, hash.Body)
		}
	}
	if hash.Line != 5 {
		t.Errorf("comment on app/hash.py at line %d, want 5", hash.Line)
	}
	if !strings.Contains(token.Body, "```suggestion\n") {
		t.Errorf("the one-edit fix lost its suggestion:\n%s", token.Body)
	}

	pushed := make(chan githubtest.Push, 1)
	e.fake.OnPush(func(p githubtest.Push) { pushed <- p })
	e.pressApplyFixes(t)
	select {
	case <-pushed:
	case <-time.After(15 * time.Second):
		t.Fatal("no commit pushed")
	}
	e.waitIdle()
	commits := e.fake.GitCommits()
	if len(commits) != 1 {
		t.Fatalf("%d commits, want 1", len(commits))
	}
	c := commits[0]
	if strings.Join(c.Changed, " ") != "app/hash.py internal/deploy/token.go scripts/upload.py" ||
		!strings.HasPrefix(c.Message, "shiftward: apply 3 security fixes\n") || !strings.Contains(c.Message, "- app/hash.py:5 code/py-weak-hash: ") {
		t.Errorf("commit changes %v with message %q", c.Changed, c.Message)
	}
	want := "from hashlib import md5\nfrom hashlib import sha256\n\n\ndef digest(data):\n    return sha256(data).hexdigest()\n"
	if got := string(c.Files["app/hash.py"]); got != want {
		t.Errorf("fixed app/hash.py:\n%s\nwant:\n%s", got, want)
	}
	e.assertNoSecretSent()
}
