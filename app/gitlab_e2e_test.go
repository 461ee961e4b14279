package app_test

// End-to-end for GitLab: a real-shaped Merge Request Hook goes through the
// echo server, a real Redis queue and a worker to a fake GitLab, and the
// commit status, discussion threads and summary note are asserted.

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

const (
	glToken    = "glpat-e2e-bot-token"
	glSecret   = "e2e-gitlab-hook-token"
	glProject  = 1
	glIID      = 1
	glHeadSHA  = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"
	glBaseSHA  = "8ad9e9f37b007d15c102da002c2a7133a5ca3737"
	glNewHead  = "4444444444444444444444444444444444444444"
	glProjPath = "gitlabhq/gitlab-test"
)

// mrDiffs are the merge request's diffs as GitLab's API lists them.
func (l leak) mrDiffs() []gitlabtest.Diff {
	var out []gitlabtest.Diff
	for _, f := range l.pullFiles() {
		out = append(out, gitlabtest.Diff{OldPath: f.Filename, NewPath: f.Filename, Diff: f.Patch,
			NewFile: f.Status == "added", AMode: "100644", BMode: "100644"})
	}
	return out
}

type glEnv struct {
	*env
	gl *gitlabtest.Server
}

func newGitLabEnv(t testing.TB) *glEnv {
	t.Helper()
	fake := gitlabtest.New(t, glToken)
	fake.AddProject(gitlabtest.Project{ID: glProject, PathWithNamespace: glProjPath, DefaultBranch: "master"})
	l := newLeak()
	fake.AddMR(glProject, gitlabtest.MergeRequest{IID: glIID, SourceBranch: "ms-viewport", TargetBranch: "master",
		Versions: []gitlabtest.Version{{ID: 10, BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: glHeadSHA, Diffs: l.mrDiffs()}}})

	e := startApp(t, l, func(cfg *config.Config) {
		cfg.GitLab = config.GitLab{URL: fake.URL, Token: glToken, WebhookSecrets: [][]byte{[]byte(glSecret)}}
	})
	// The files as they read at the head, for the scanners that parse them.
	for _, f := range l.pullFiles() {
		if f.Status != "added" {
			fake.SetContent(glProject, glHeadSHA, f.Filename, []byte(headContent(l, f.Filename)))
		}
	}
	return &glEnv{env: e, gl: fake}
}

func glPayload(t testing.TB, rel string) []byte {
	t.Helper()
	return scannertest.Data(t).Read(t, "webhooks", "gitlab", "payloads", rel)
}

// deliverGitLab posts a delivery as GitLab sends it.
func (e *glEnv) deliverGitLab(event, idempotencyKey, token string, body []byte) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.server.URL+"/webhooks/gitlab", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitLab/17.5.0")
	req.Header.Set("X-Gitlab-Event", event)
	req.Header.Set("X-Gitlab-Token", token)
	req.Header.Set("X-Gitlab-Instance", e.gl.URL)
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
		req.Header.Set("X-Gitlab-Event-UUID", idempotencyKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitStatus waits until the shiftward status of sha is final and returns
// every status GitLab holds for it.
func (e *glEnv) waitStatus(sha string) []gitlabtest.Status {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		sts := e.gl.Statuses(glProject, sha)
		if n := len(sts); n > 0 {
			switch sts[n-1].State {
			case "success", "failed", "canceled":
				return sts
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("no final status for %s: %+v", sha, e.gl.Statuses(glProject, sha))
	return nil
}

// assertNoSecretSentGitLab fails if any request the fake received carried
// a whole planted secret.
func (e *glEnv) assertNoSecretSentGitLab() {
	e.t.Helper()
	for _, c := range e.gl.Calls() {
		for _, s := range e.leak.all() {
			if bytes.Contains(c.Body, []byte(s)) {
				e.t.Errorf("%s sent a whole secret to GitLab", c.Route)
			}
		}
	}
}

// threads splits the MR's discussions into shiftward's inline threads and
// its summary notes.
func (e *glEnv) threads() (inline []gitlabtest.Discussion, summaries []gitlabtest.Note) {
	for _, d := range e.gl.Discussions(glProject, glIID) {
		if len(d.Notes) == 0 {
			continue
		}
		n := d.Notes[0]
		switch {
		case strings.Contains(n.Body, gitlab.SummaryMarker):
			summaries = append(summaries, n)
		case n.Position != nil:
			inline = append(inline, d)
		}
	}
	return inline, summaries
}

func TestEndToEndGitLabMergeRequest(t *testing.T) {
	e := newGitLabEnv(t)
	e.startWorkers()
	mr := glPayload(t, "go-gitlab/merge_request.json")
	if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, mr); code != http.StatusAccepted {
		t.Fatalf("delivery answered %d, want 202", code)
	}
	sts := e.waitStatus(glHeadSHA)
	e.waitIdle()
	last := sts[len(sts)-1]
	if last.Name != "shiftward" || last.State != "failed" || !strings.Contains(last.Description, "2 findings") {
		t.Errorf("final status = %+v, want shiftward failed with the counts", last)
	}
	if len(last.Description) > 255 {
		t.Errorf("status description is %d chars; GitLab keeps 255", len(last.Description))
	}

	inline, summaries := e.threads()
	if len(summaries) != 1 {
		t.Errorf("%d summary notes, want 1", len(summaries))
	}
	want := map[string]int{"internal/deploy/token.go": 6, "scripts/upload.py": 3}
	if len(inline) != 2 {
		t.Fatalf("%d inline threads, want 2: %+v", len(inline), inline)
	}
	for _, d := range inline {
		n := d.Notes[0]
		p := n.Position
		if want[p.NewPath] != p.NewLine || p.OldLine != 0 || p.HeadSHA != glHeadSHA || p.BaseSHA != glBaseSHA ||
			p.StartSHA != glBaseSHA || p.PositionType != "text" {
			t.Errorf("thread position %+v, want new_line %d on the latest version's shas", p, want[p.NewPath])
		}
		if !strings.Contains(n.Body, "```suggestion:-0+0\n") || !strings.Contains(n.Body, "<!-- shiftward:fp=") {
			t.Errorf("thread on %s lacks a GitLab suggestion or marker:\n%s", p.NewPath, n.Body)
		}
	}
	e.assertNoSecretSentGitLab()
}

func TestEndToEndGitLabRedeliveryAndUpdate(t *testing.T) {
	e := newGitLabEnv(t)
	e.startWorkers()
	mr := glPayload(t, "go-gitlab/merge_request.json")
	if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, mr); code != http.StatusAccepted {
		t.Fatal(code)
	}
	e.waitStatus(glHeadSHA)
	e.waitIdle()
	// GitLab's retry of the same delivery, then another hook event for the
	// same head: neither makes a job.
	if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, mr); code != http.StatusOK {
		t.Errorf("redelivery answered %d, want 200", code)
	}
	if code := e.deliverGitLab("Merge Request Hook", "idem-other", glSecret, mr); code != http.StatusOK {
		t.Errorf("same head, new delivery answered %d, want 200 (deduplicated by head)", code)
	}

	// A push with the same findings: no new thread, the summary edited in place.
	e.gl.AddVersion(glProject, glIID, gitlabtest.Version{ID: 11, BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: glNewHead, Diffs: e.leak.mrDiffs()})
	update := bytes.ReplaceAll(glPayload(t, "gitlab4j/merge-request-event.json"), []byte(glHeadSHA), []byte(glNewHead))
	update = bytes.Replace(update, []byte(`"action": "open"`), []byte(`"action": "update"`), 1)
	if !bytes.Contains(update, []byte(`"action": "update"`)) || !bytes.Contains(update, []byte(`"oldrev"`)) {
		t.Fatal("the corpus payload no longer makes an update with new commits")
	}
	if code := e.deliverGitLab("Merge Request Hook", "idem-2", glSecret, update); code != http.StatusAccepted {
		t.Fatalf("update answered %d", code)
	}
	sts := e.waitStatus(glNewHead)
	e.waitIdle()
	if sts[len(sts)-1].State != "failed" {
		t.Errorf("status on the new head = %+v", sts[len(sts)-1])
	}
	inline, summaries := e.threads()
	if len(inline) != 2 || len(summaries) != 1 {
		t.Errorf("%d threads and %d summary notes after an update with unchanged findings, want 2 and 1", len(inline), len(summaries))
	}
}

func TestEndToEndGitLabWrongTokenAndIgnoredEvents(t *testing.T) {
	e := newGitLabEnv(t)
	e.startWorkers()
	mr := glPayload(t, "go-gitlab/merge_request.json")
	if code := e.deliverGitLab("Merge Request Hook", "x-1", "wrong-token", mr); code != http.StatusUnauthorized {
		t.Errorf("wrong token answered %d, want 401", code)
	}
	if code := e.deliverGitLab("Note Hook", "x-2", glSecret, glPayload(t, "go-gitlab/note_merge_request.json")); code != http.StatusAccepted {
		t.Errorf("note hook answered %d, want 202 (ignored)", code)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(e.gl.Calls()); n != 0 {
		t.Errorf("GitLab got %d calls from a forged delivery and a note", n)
	}
}

func TestEndToEndGitLabFailuresDoNotDuplicate(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*gitlabtest.Server)
	}{
		{"5xx on a thread", func(s *gitlabtest.Server) { s.FailNext(gitlabtest.RouteCreateDiscussion, 1, http.StatusBadGateway) }},
		{"thread created, response lost", func(s *gitlabtest.Server) { s.DropNext(gitlabtest.RouteCreateDiscussion, 1) }},
		{"429 on the diffs", func(s *gitlabtest.Server) { s.RateLimitNext(gitlabtest.RouteListDiffs, time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newGitLabEnv(t)
			tt.inject(e.gl)
			e.startWorkers()
			if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, glPayload(t, "go-gitlab/merge_request.json")); code != http.StatusAccepted {
				t.Fatal(code)
			}
			sts := e.waitStatus(glHeadSHA)
			e.waitIdle()
			if sts[len(sts)-1].State != "failed" {
				t.Errorf("final status %+v", sts[len(sts)-1])
			}
			inline, summaries := e.threads()
			if len(inline) != 2 || len(summaries) != 1 {
				t.Errorf("%d threads, %d summaries; want 2 and 1 (no duplicates after the retry)", len(inline), len(summaries))
			}
		})
	}
}

func TestEndToEndGitLabFixedFindingThreadResolved(t *testing.T) {
	e := newGitLabEnv(t)
	e.startWorkers()
	if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, glPayload(t, "go-gitlab/merge_request.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	e.waitStatus(glHeadSHA)
	e.waitIdle()

	diffs := e.leak.mrDiffs()
	diffs[1].Diff = "@@ -1,3 +1,3 @@\n import os, boto3\n-TOKEN = \"" + e.leak.removed + "\"\n+KEY_ID = os.environ[\"KEY_ID\"]\n client = boto3.client(\"s3\")\n"
	e.gl.AddVersion(glProject, glIID, gitlabtest.Version{ID: 11, BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: glNewHead, Diffs: diffs})
	e.gl.SetContent(glProject, glNewHead, "scripts/upload.py", []byte("import os, boto3\nKEY_ID = os.environ[\"KEY_ID\"]\nclient = boto3.client(\"s3\")\n"))
	update := bytes.ReplaceAll(glPayload(t, "go-gitlab/merge_request.json"), []byte(glHeadSHA), []byte(glNewHead))
	if code := e.deliverGitLab("Merge Request Hook", "idem-2", glSecret, update); code != http.StatusAccepted {
		t.Fatal(code)
	}
	sts := e.waitStatus(glNewHead)
	e.waitIdle()
	if last := sts[len(sts)-1]; last.State != "failed" || !strings.Contains(last.Description, "1 finding") {
		t.Errorf("final status %+v, want failed with 1 finding", last)
	}
	inline, _ := e.threads()
	var resolved int
	for _, d := range inline {
		n := d.Notes[0]
		if n.Resolved {
			resolved++
			if n.Position.NewPath != "scripts/upload.py" || !strings.Contains(n.Body, "shiftward:resolved") {
				t.Errorf("resolved thread %s does not say it was fixed:\n%s", n.Position.NewPath, n.Body)
			}
		}
	}
	if len(inline) != 2 || resolved != 1 {
		t.Errorf("%d threads, %d resolved; want 2 and 1", len(inline), resolved)
	}
}
