package app_test

// End-to-end for the scanners beyond secrets: a pull request that adds a
// vulnerable dependency or a risky workflow gets an inline comment with the
// fix, through the same server, queue and worker.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/osv/osvtest"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
)

// addedFile is a pull request file that adds content whole, as GitHub's
// files API lists it.
func addedFile(path, content string) githubtest.File {
	lines := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
	return githubtest.File{Filename: path, Status: "added", Additions: len(lines), Changes: len(lines),
		Patch: fmt.Sprintf("@@ -0,0 +1,%d @@\n+", len(lines)) + strings.Join(lines, "\n+") + "\n"}
}

// setPull makes the test pull request hold files.
func (e *env) setPull(files ...githubtest.File) {
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes", Files: files})
}

// commentWith reports whether some review comment on line (0: any) holds
// every one of parts.
func (e *env) commentWith(line int, parts ...string) bool {
	for _, c := range e.fake.Comments(owner, repo, prNumber) {
		if line != 0 && c.Line != line && c.StartLine != line {
			continue // a multi-line comment is at its first line too
		}
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(c.Body, p)
		}
		if ok {
			return true
		}
	}
	return false
}

const packageJSON = "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"lodash\": \"4.17.4\",\n    \"express\": \"4.21.2\",\n    \"debug\": \"2.6.8\"\n  }\n}\n"

// newDepsEnv is a GitHub pull request that adds debug@2.6.8 (GHSA-gxpj-cx7g-858c,
// fixed in 2.6.9) to a package.json that already pins a vulnerable lodash,
// against a fake OSV.
func newDepsEnv(t *testing.T) (*env, *osvtest.Server) {
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	fake := githubtest.New(t, appID, key)
	fake.AddRepo(githubtest.Repo{ID: 186853002, Owner: owner, Name: repo, DefaultBranch: "master", Installation: 1})
	fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes",
		Files: []githubtest.File{{Filename: "package.json", Status: "modified", Additions: 2, Deletions: 1, Changes: 3,
			Patch: "@@ -2,6 +2,7 @@\n   \"name\": \"web\",\n   \"dependencies\": {\n     \"lodash\": \"4.17.4\",\n-    \"express\": \"4.21.2\"\n+    \"express\": \"4.21.2\",\n+    \"debug\": \"2.6.8\"\n   }\n }\n"}}})
	fake.SetContent(owner, repo, headSHA, "package.json", []byte(packageJSON))
	advisories := osvtest.New(t)
	e := startApp(t, newLeak(), func(cfg *config.Config) {
		cfg.GitHub = config.GitHub{AppID: appID, PrivateKey: key, APIURL: fake.URL, WebhookSecrets: [][]byte{[]byte(webhookSecret)}}
		cfg.OSV = config.OSV{URL: advisories.URL}
	})
	e.fake = fake
	return e, advisories
}

func TestEndToEndVulnerableDependency(t *testing.T) {
	e, advisories := newDepsEnv(t)
	e.startWorkers()
	if code := e.deliver("pull_request", "d-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	anns := run.Annotations()
	if len(anns) != 1 || anns[0].Path != "package.json" || anns[0].StartLine != 6 {
		t.Fatalf("annotations = %+v, want one on package.json:6 (debug 2.6.8)", anns)
	}
	// lodash 4.17.4 was there before: listed apart, not introduced, not inline.
	if !strings.Contains(run.Summary, "### Already in the files this change touches") || !strings.Contains(run.Summary, "lodash") {
		t.Errorf("summary does not list the lodash already pinned:\n%s", run.Summary)
	}
	comments := e.fake.Comments(owner, repo, prNumber)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "GHSA-gxpj-cx7g-858c") ||
		!strings.Contains(comments[0].Body, "```suggestion\n    \"debug\": \"2.6.9\"\n```") {
		t.Fatalf("comments = %+v, want the advisory and a bump to 2.6.9", comments)
	}
	if b := advisories.Batches(); b != 1 {
		t.Errorf("%d querybatch requests, want 1 per change", b)
	}
}

// TestEndToEndOSVDownIsIncomplete: with OSV unreachable the check says the
// dependency scan is incomplete; it never reports "no vulnerabilities".
func TestEndToEndOSVDownIsIncomplete(t *testing.T) {
	e, advisories := newDepsEnv(t)
	advisories.FailAll(http.StatusServiceUnavailable)
	e.startWorkers()
	e.deliver("pull_request", "d-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion == "success" || !strings.Contains(strings.ToLower(run.Summary), "incomplete") || !strings.Contains(run.Summary, "deps") {
		t.Errorf("conclusion %s, summary:\n%s\nwant the dependency scan named incomplete, not a pass", run.Conclusion, run.Summary)
	}
}

// TestEndToEndWorkflowActionPinned: a workflow that uses an action by tag
// gets the tag resolved through GitHub and a suggestion pinning the sha.
func TestEndToEndWorkflowActionPinned(t *testing.T) {
	e := newEnv(t)
	const sha = "11bd71901bbe5b1630ceea73d27597364c9af683"
	e.fake.AddRepo(githubtest.Repo{ID: 5, Owner: "actions", Name: "checkout", DefaultBranch: "main", Installation: 1})
	e.fake.SetRef("actions", "checkout", "v4", sha)
	wf := "name: ci\non: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"
	e.setPull(addedFile(".github/workflows/ci.yml", wf))
	e.startWorkers()
	e.deliver("pull_request", "w-1", corpusPayload(t, "pull_request/opened.payload.json"))
	e.waitCompleted(headSHA)
	e.waitIdle()
	if !e.commentWith(9, "```suggestion\n      - uses: actions/checkout@"+sha+" # v4\n```") {
		t.Errorf("no pinning suggestion on line 9; comments: %+v", e.fake.Comments(owner, repo, prNumber))
	}
}

// TestEndToEndKubernetesManifest: a Deployment the change edits gets its
// missing hardening on the container's line, with one suggestion that adds
// it, and only for the block the change touched.
func TestEndToEndKubernetesManifest(t *testing.T) {
	e := newEnv(t)
	manifest := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n" +
		"        - name: web\n          image: nginx:1.27.0\n          securityContext:\n            privileged: true\n"
	e.fake.SetContent(owner, repo, headSHA, "deploy/web.yaml", []byte(manifest))
	e.setPull(githubtest.File{Filename: "deploy/web.yaml", Status: "modified", Additions: 2, Deletions: 0, Changes: 2,
		Patch: "@@ -9,2 +9,4 @@\n         - name: web\n           image: nginx:1.27.0\n+          securityContext:\n+            privileged: true\n"})
	e.startWorkers()
	e.deliver("pull_request", "k-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	var privileged bool
	for _, a := range run.Annotations() {
		if a.Path == "deploy/web.yaml" && a.StartLine == 12 && strings.Contains(a.Title, "rivileged") {
			privileged = true
		}
	}
	if !privileged || run.Conclusion != "failure" {
		t.Errorf("conclusion %s, annotations %+v: want the privileged container flagged on line 12", run.Conclusion, run.Annotations())
	}
	if !e.commentWith(0, "```suggestion", "privileged: false") {
		t.Errorf("no suggestion setting privileged: false; comments %+v", e.fake.Comments(owner, repo, prNumber))
	}
}

// TestEndToEndInsecureCode: a Python file that loads YAML from a request
// with the unsafe loader gets the vulnerability class and a safe_load fix;
// the same call in a comment or a string does not fire.
func TestEndToEndInsecureCode(t *testing.T) {
	e := newEnv(t)
	src := "import yaml\nfrom flask import request\n\n\ndef load_config():\n    # yaml.load(request.data) would be unsafe\n" +
		"    doc = \"yaml.load(request.data)\"\n    return yaml.load(request.data)\n"
	e.setPull(addedFile("app/config.py", src))
	e.startWorkers()
	e.deliver("pull_request", "c-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	anns := run.Annotations()
	if len(anns) != 1 || anns[0].Path != "app/config.py" || anns[0].StartLine != 8 {
		t.Fatalf("annotations = %+v, want one on app/config.py:8 (not the comment or the string)", anns)
	}
	cs := e.fake.Comments(owner, repo, prNumber)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "CWE-502") || !strings.Contains(cs[0].Body, "```suggestion\n    return yaml.safe_load(request.data)\n```") {
		t.Errorf("comments = %+v, want CWE-502 and a safe_load suggestion", cs)
	}
}

// TestEndToEndCustomCodeRule: a code rule of the base's .shiftward.yml
// reports calls the repository forbids, through import aliases, only in
// its paths and only when the argument is not a constant.
func TestEndToEndCustomCodeRule(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte(`version: 1
scanners:
  code:
    rules:
      - id: no-shell-helpers
        description: Run commands through internal/run
        languages: [python]
        calls: ["subprocess.*"]
        when: nonconst
        severity: high
        paths: ["services/**"]
`))
	src := "import subprocess as sp\n\n\ndef deploy(target):\n    sp.call(\"make build\")\n    sp.call(target)\n"
	// services/deploy.py is edited (its whole text read at the head, as
	// the code scanner needs it even under the rule budget); tools/ is new.
	e.fake.SetContent(owner, repo, headSHA, "services/deploy.py", []byte(src))
	e.setPull(githubtest.File{Filename: "services/deploy.py", Status: "modified", Additions: 2, Changes: 2,
		Patch: "@@ -3,2 +3,4 @@\n \n def deploy(target):\n+    sp.call(\"make build\")\n+    sp.call(target)\n"},
		addedFile("tools/deploy.py", src))
	e.startWorkers()
	e.deliver("pull_request", "cc-1", corpusPayload(t, "pull_request/opened.payload.json"))
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	var custom []string
	for _, a := range run.Annotations() {
		if strings.Contains(a.Title, "internal/run") {
			custom = append(custom, fmt.Sprintf("%s:%d", a.Path, a.StartLine))
		}
	}
	if fmt.Sprint(custom) != "[services/deploy.py:6]" || run.Conclusion != "failure" {
		t.Errorf("custom rule findings %v (conclusion %s), want only services/deploy.py:6; annotations %+v", custom, run.Conclusion, run.Annotations())
	}
}
