package app_test

// End-to-end: a signed, real-shaped GitHub delivery goes through the echo
// server, a real Redis queue and a worker to a fake GitHub, and the check
// run and review comments that land there are asserted exactly.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

const (
	webhookSecret = "e2e-webhook-secret"
	appID         = 4242
	owner, repo   = "Codertocat", "Hello-World"
	prNumber      = 2
	baseSHA       = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
	headSHA       = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	// e2eRedisDB is this package's own database on the test Redis.
	e2eRedisDB = 11
)

// randomToken makes a token of the given prefix and alphabet at run time,
// so no secret-shaped literal sits in the repository.
func randomToken(seed uint64, prefix, alphabet string, n int) string {
	r := rand.New(rand.NewPCG(seed, 7))
	b := []byte(prefix)
	for range n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// leak holds the secrets planted in the pull request.
type leak struct {
	githubPAT string // line 6 of internal/deploy/token.go (added file)
	awsKeyID  string // line 3 of scripts/upload.py (modified file)
	removed   string // on a deleted line: never reported
}

func newLeak() leak {
	return leak{
		githubPAT: randomToken(1, "ghp_", alnum, 36),
		awsKeyID:  randomToken(2, "AKIA", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
		removed:   randomToken(3, "ghp_", alnum, 36),
	}
}

func (l leak) all() []string { return []string{l.githubPAT, l.awsKeyID, l.removed} }

// pullFiles are the files of the pull request, as GitHub's files API lists them.
func (l leak) pullFiles() []githubtest.File {
	return []githubtest.File{
		{
			Filename: "internal/deploy/token.go", Status: "added", Additions: 7, Changes: 7,
			Patch: "@@ -0,0 +1,7 @@\n+package deploy\n+\n+import \"os\"\n+\n+// Token pushes releases.\n+var Token = \"" + l.githubPAT + "\"\n+var _ = os.Args\n",
		},
		{
			Filename: "scripts/upload.py", Status: "modified", Additions: 2, Deletions: 1, Changes: 3,
			Patch: "@@ -1,3 +1,4 @@\n import os, boto3\n-TOKEN = \"" + l.removed + "\"\n+# documented example: AKIAIOSFODNN7EXAMPLE\n+KEY_ID = \"" + l.awsKeyID + "\"\n client = boto3.client(\"s3\")\n",
		},
		{
			Filename: "README.md", Status: "modified", Additions: 1, Changes: 1,
			Patch: "@@ -1 +1,2 @@\n # Hello\n+Run `make` to build.\n",
		},
	}
}

// headContent is a pull request file as it reads at the head.
func headContent(l leak, path string) string {
	return map[string]string{
		"internal/deploy/token.go": "package deploy\n\nimport \"os\"\n\n// Token pushes releases.\nvar Token = \"" + l.githubPAT + "\"\nvar _ = os.Args\n",
		"scripts/upload.py":        "import os, boto3\n# documented example: AKIAIOSFODNN7EXAMPLE\nKEY_ID = \"" + l.awsKeyID + "\"\nclient = boto3.client(\"s3\")\n",
		"README.md":                "# Hello\nRun `make` to build.\n",
	}[path]
}

// seedHead makes the pull request's files readable at the head, as the
// contents and git data APIs serve them (newEnv does it).
func (e *env) seedHead() {
	for _, f := range e.leak.pullFiles() {
		e.fake.SetContent(owner, repo, headSHA, f.Filename, []byte(headContent(e.leak, f.Filename)))
	}
}

type env struct {
	t      testing.TB
	cfg    *config.Config
	fake   *githubtest.Server
	server *httptest.Server
	comps  *app.Components
	leak   leak
	stop   context.CancelFunc
	done   chan struct{}
}

func newEnv(t testing.TB) *env {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	fake := githubtest.New(t, appID, key)
	fake.AddRepo(githubtest.Repo{ID: 186853002, Owner: owner, Name: repo, DefaultBranch: "master", Installation: 1})
	l := newLeak()
	fake.AddPull(owner, repo, githubtest.PullRequest{
		Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes",
		Files: l.pullFiles(),
	})

	e := startApp(t, l, func(cfg *config.Config) {
		cfg.GitHub = config.GitHub{AppID: appID, PrivateKey: key, APIURL: fake.URL, WebhookSecrets: [][]byte{[]byte(webhookSecret)}}
	})
	e.fake = fake
	e.seedHead()
	return e
}

// startApp builds shiftward as a server would run it, on this package's
// Redis database under a prefix of the test's own (deleted afterwards),
// with short retry and take-over delays; configure sets the platforms. The
// test fails if any planted secret reaches the logs.
func startApp(t testing.TB, l leak, configure func(*config.Config)) *env {
	t.Helper()
	rurl := redistest.URL(t, e2eRedisDB)
	prefix := fmt.Sprintf("{e2e-%s-%d}", strings.ReplaceAll(t.Name(), "/", "-"), time.Now().UnixNano())
	redistest.Clean(t, rurl, prefix)
	cfg := &config.Config{
		Addr:     "127.0.0.1:0",
		RedisURL: rurl, RedisPrefix: prefix,
		Workers: 2, MaxAttempts: 4, JobTimeout: 20 * time.Second,
		RetryBackoff: 50 * time.Millisecond, VisibilityTimeout: 2 * time.Second,
		FailOn: scanners.SeverityHigh, LogLevel: "debug",
	}
	configure(cfg)
	logs := &scannertest.LogBuffer{}
	t.Cleanup(func() {
		for _, s := range l.all() {
			if strings.Contains(logs.String(), s) {
				t.Errorf("logs contain a whole secret")
			}
		}
	})
	comps, err := app.Build(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, cfg: cfg, comps: comps, leak: l, server: httptest.NewServer(comps.Echo), done: make(chan struct{})}
	t.Cleanup(e.server.Close)
	t.Cleanup(comps.Close)
	return e
}

// startWorkers runs the queue's consumers until the test ends.
func (e *env) startWorkers() {
	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	go func() {
		defer close(e.done)
		_ = e.comps.Queue.Run(ctx, e.comps.Worker.Handle)
	}()
	e.t.Cleanup(func() {
		cancel()
		<-e.done
	})
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// corpusPayload reads a real GitHub delivery: the full corpus's or the copy
// in testdata/ (every payload is copied, see scannertest.Data).
func corpusPayload(t testing.TB, rel string) []byte {
	t.Helper()
	return scannertest.Data(t).Read(t, "webhooks", "github", "payloads", rel)
}

// deliver posts a signed delivery and returns the status code.
func (e *env) deliver(event, delivery string, body []byte) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.server.URL+"/webhooks/github", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/e2e")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	req.Header.Set("X-Hub-Signature-256", sign(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitCompleted waits until the check run of sha is completed.
func (e *env) waitCompleted(sha string) githubtest.CheckRun {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, c := range e.fake.CheckRuns() {
			if c.HeadSHA == sha && c.Status == "completed" {
				return c
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("no completed check run for %s; check runs: %+v", sha, e.fake.CheckRuns())
	return githubtest.CheckRun{}
}

// waitIdle waits until the queue has nothing left to do.
func (e *env) waitIdle() {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		n, err := e.comps.Queue.Depth(context.Background())
		if err == nil && n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatal("queue did not drain")
}

// assertNoSecretSent fails if any request the fake received carried a whole
// planted secret.
func (e *env) assertNoSecretSent() {
	e.t.Helper()
	for _, c := range e.fake.Calls() {
		for _, s := range e.leak.all() {
			if bytes.Contains(c.Body, []byte(s)) {
				e.t.Errorf("%s sent a whole secret to GitHub", c.Route)
			}
		}
	}
}

type commentView struct {
	Path      string
	StartLine int
	Line      int
	Side      string
}

func (e *env) commentViews() []commentView {
	var out []commentView
	for _, c := range e.fake.Comments(owner, repo, prNumber) {
		out = append(out, commentView{c.Path, c.StartLine, c.Line, c.Side})
	}
	return out
}

func TestEndToEndPullRequestOpened(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	start := time.Now()
	if code := e.deliver("pull_request", "delivery-1", opened); code != http.StatusAccepted {
		t.Fatalf("delivery answered %d, want 202", code)
	}
	ack := time.Since(start)
	run := e.waitCompleted(headSHA)
	t.Logf("acknowledged in %s, check run completed in %s", ack, time.Since(start))

	if run.Name != "shiftward" || run.Conclusion != "failure" || run.AppID != appID {
		t.Errorf("check run = %s/%s/%d, want shiftward/failure/%d", run.Name, run.Conclusion, run.AppID, appID)
	}
	anns := run.Annotations()
	if len(anns) != 2 {
		t.Fatalf("annotations = %+v, want 2 (the PAT and the AWS key id)", anns)
	}
	wantAnn := map[string]int{"internal/deploy/token.go": 6, "scripts/upload.py": 3}
	for _, a := range anns {
		if wantAnn[a.Path] != a.StartLine || a.EndLine != a.StartLine || a.AnnotationLevel != "failure" {
			t.Errorf("annotation %+v not on an expected line or not failure", a)
		}
	}
	for _, want := range []string{"internal/deploy/token.go", "scripts/upload.py", "GitHub"} {
		if !strings.Contains(run.Summary, want) {
			t.Errorf("summary does not mention %q:\n%s", want, run.Summary)
		}
	}

	reviews := e.fake.Reviews()
	if len(reviews) != 1 || reviews[0].CommitID != headSHA || reviews[0].Event != "COMMENT" {
		t.Fatalf("reviews = %+v, want one COMMENT review on the head", reviews)
	}
	got := e.commentViews()
	want := []commentView{{"internal/deploy/token.go", 0, 6, "RIGHT"}, {"scripts/upload.py", 0, 3, "RIGHT"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("comments = %+v, want %+v", got, want)
	}
	for _, c := range e.fake.Comments(owner, repo, prNumber) {
		for _, must := range []string{"<!-- shiftward:fp=", "rotate", "history"} {
			if !strings.Contains(strings.ToLower(c.Body), strings.ToLower(must)) {
				t.Errorf("comment on %s lacks %q:\n%s", c.Path, must, c.Body)
			}
		}
		if c.Path == "internal/deploy/token.go" &&
			!strings.Contains(c.Body, "```suggestion\nvar Token = os.Getenv(\"") {
			t.Errorf("Go comment lacks an os.Getenv suggestion:\n%s", c.Body)
		}
		if c.Path == "scripts/upload.py" && !strings.Contains(c.Body, "os.environ[") {
			t.Errorf("Python comment lacks an os.environ suggestion:\n%s", c.Body)
		}
	}
	e.assertNoSecretSent()
	if n := e.fake.TokenRequests(); n != 1 {
		t.Errorf("installation token requested %d times, want 1 (cached)", n)
	}

	e.waitIdle()
	metrics := e.get("/metrics")
	for _, series := range []string{
		`shiftward_webhook_deliveries_total{event="pull_request",outcome="queued",platform="github"} 1`,
		`shiftward_jobs_total{event="queued"} 1`,
		`shiftward_jobs_total{event="done"} 1`,
		`shiftward_jobs_running 0`,
		`shiftward_queue_depth 0`,
		`shiftward_findings_total{scanner="secrets",severity="critical"} 1`,
		`shiftward_findings_total{scanner="secrets",severity="high"} 1`,
		`shiftward_scan_duration_seconds_count{scanner="secrets"} 1`,
		`shiftward_platform_api_requests_total{platform="github",route="POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",status="200"} 1`,
	} {
		if !strings.Contains(metrics, series+"\n") {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	for _, s := range e.leak.all() {
		if strings.Contains(metrics, s) || strings.Contains(metrics, s[:12]) {
			t.Errorf("/metrics holds secret material")
		}
	}
	if body := e.get("/healthz"); !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %s", body)
	}
	if body := e.get("/readyz"); !strings.Contains(body, "ready") {
		t.Errorf("/readyz = %s", body)
	}
}

// get fetches a path of the server and fails unless it answers 200.
func (e *env) get(path string) string {
	e.t.Helper()
	resp, err := http.Get(e.server.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Errorf("GET %s = %d", path, resp.StatusCode)
	}
	return string(b)
}

func TestEndToEndForgedSignatureQueuesNothing(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	req, _ := http.NewRequest(http.MethodPost, e.server.URL+"/webhooks/github", bytes.NewReader(opened))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", "forged-1")
	req.Header.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("ab", 32))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", resp.StatusCode)
	}
	time.Sleep(200 * time.Millisecond)
	if n, _ := e.comps.Queue.Depth(context.Background()); n != 0 || len(e.fake.Calls()) != 0 {
		t.Errorf("depth %d, GitHub calls %d: a forged delivery did work", n, len(e.fake.Calls()))
	}
}

func TestEndToEndRedeliveryAndSynchronizeDoNotDuplicate(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	if code := e.deliver("pull_request", "delivery-1", opened); code != http.StatusAccepted {
		t.Fatalf("first delivery: %d", code)
	}
	e.waitCompleted(headSHA)
	e.waitIdle()
	// GitHub's "Redeliver" sends the same delivery id.
	if code := e.deliver("pull_request", "delivery-1", opened); code != http.StatusOK {
		t.Errorf("redelivery answered %d, want 200 (duplicate)", code)
	}

	// A new push whose diff still holds the same two secrets.
	const newHead = "1111111111111111111111111111111111111111"
	e.fake.AddPull(owner, repo, githubtest.PullRequest{
		Number: prNumber, BaseSHA: baseSHA, HeadSHA: newHead, BaseRef: "master", HeadRef: "changes",
		Files: e.leak.pullFiles(),
	})
	e.fake.SetContent(owner, repo, newHead, "scripts/upload.py", []byte("import os, boto3\nKEY_ID = os.environ[\"KEY_ID\"]\nclient = boto3.client(\"s3\")\n"))
	sync := bytes.ReplaceAll(corpusPayload(t, "pull_request/synchronize.payload.json"), []byte(headSHA), []byte(newHead))
	if code := e.deliver("pull_request", "delivery-2", sync); code != http.StatusAccepted {
		t.Fatalf("synchronize: %d", code)
	}
	run := e.waitCompleted(newHead)
	e.waitIdle()
	if run.Conclusion != "failure" {
		t.Errorf("second check run concluded %s, want failure (the secrets are still there)", run.Conclusion)
	}
	if n := len(e.fake.Comments(owner, repo, prNumber)); n != 2 {
		t.Errorf("%d comments after redelivery and a push with unchanged findings, want 2", n)
	}
	if n := len(e.fake.Reviews()); n != 1 {
		t.Errorf("%d reviews, want 1: the second push has nothing new to say inline", n)
	}
}

func TestEndToEndFixedFindingIsResolved(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	e.waitCompleted(headSHA)
	e.waitIdle()

	// The author removes the Python key; the Go token stays.
	const newHead = "2222222222222222222222222222222222222222"
	files := e.leak.pullFiles()
	files[1].Patch = "@@ -1,3 +1,3 @@\n import os, boto3\n-TOKEN = \"" + e.leak.removed + "\"\n+KEY_ID = os.environ[\"KEY_ID\"]\n client = boto3.client(\"s3\")\n"
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: newHead, Files: files})
	e.fake.SetContent(owner, repo, newHead, "scripts/upload.py", []byte("import os, boto3\nKEY_ID = os.environ[\"KEY_ID\"]\nclient = boto3.client(\"s3\")\n"))
	sync := bytes.ReplaceAll(corpusPayload(t, "pull_request/synchronize.payload.json"), []byte(headSHA), []byte(newHead))
	if code := e.deliver("pull_request", "delivery-2", sync); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(newHead)
	e.waitIdle()
	if len(run.Annotations()) != 1 {
		t.Errorf("annotations = %+v, want only the Go token", run.Annotations())
	}
	var resolved, open int
	for _, c := range e.fake.Comments(owner, repo, prNumber) {
		switch {
		case strings.Contains(c.Body, "shiftward:resolved"):
			resolved++
			if c.Path != "scripts/upload.py" || !strings.Contains(c.Body, newHead[:7]) {
				t.Errorf("resolved comment %s does not name the fixing commit:\n%s", c.Path, c.Body)
			}
		default:
			open++
		}
	}
	if resolved != 1 || open != 1 {
		t.Errorf("resolved %d, open %d; want 1 and 1", resolved, open)
	}
}

func TestEndToEndSupersede(t *testing.T) {
	e := newEnv(t)
	// Both heads are queued before any worker runs: only the newer one is
	// reviewed.
	const newHead = "3333333333333333333333333333333333333333"
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	e.fake.SetContent(owner, repo, newHead, "scripts/upload.py", []byte("import os, boto3\nKEY_ID = os.environ[\"KEY_ID\"]\nclient = boto3.client(\"s3\")\n"))
	sync := bytes.ReplaceAll(corpusPayload(t, "pull_request/synchronize.payload.json"), []byte(headSHA), []byte(newHead))
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: newHead, Files: e.leak.pullFiles()})
	if code := e.deliver("pull_request", "d-old", opened); code != http.StatusAccepted {
		t.Fatal(code)
	}
	if code := e.deliver("pull_request", "d-new", sync); code != http.StatusAccepted {
		t.Fatal(code)
	}
	e.startWorkers()
	e.waitCompleted(newHead)
	e.waitIdle()
	for _, c := range e.fake.CheckRuns() {
		if c.HeadSHA == headSHA && c.Conclusion != "neutral" {
			t.Errorf("stale head's check run concluded %q, want neutral (superseded) or none", c.Conclusion)
		}
	}
	if n := len(e.fake.Reviews()); n != 1 || e.fake.Reviews()[0].CommitID != newHead {
		t.Errorf("reviews = %+v, want one, on the newer head", e.fake.Reviews())
	}
}

func TestEndToEndGitHubFailuresAreRetriedWithoutDuplicates(t *testing.T) {
	tests := []struct {
		name   string
		inject func(*githubtest.Server)
	}{
		{"5xx on the review", func(s *githubtest.Server) { s.FailNext(githubtest.RouteCreateReview, 1, http.StatusBadGateway) }},
		{"review created but response lost", func(s *githubtest.Server) { s.DropNext(githubtest.RouteCreateReview, 1) }},
		{"429 with Retry-After", func(s *githubtest.Server) {
			s.RateLimitNext(githubtest.RouteListFiles, http.StatusTooManyRequests, time.Second)
		}},
		{"403 secondary rate limit", func(s *githubtest.Server) {
			s.RateLimitNext(githubtest.RouteCreateReview, http.StatusForbidden, time.Second)
		}},
		{"check run completion fails once", func(s *githubtest.Server) {
			s.FailNext(githubtest.RouteUpdateCheckRun, 1, http.StatusInternalServerError)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.inject(e.fake)
			e.startWorkers()
			start := time.Now()
			if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
				t.Fatal(code)
			}
			run := e.waitCompleted(headSHA)
			e.waitIdle()
			if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
				t.Errorf("check run %s with %d annotations, want failure with 2", run.Conclusion, len(run.Annotations()))
			}
			if n := len(e.fake.Comments(owner, repo, prNumber)); n != 2 {
				t.Errorf("%d comments, want 2 (no duplicates after the retry)", n)
			}
			if n := len(e.fake.CheckRuns()); n != 1 {
				t.Errorf("%d check runs, want 1", n)
			}
			if strings.Contains(tt.name, "Retry-After") || strings.Contains(tt.name, "rate limit") {
				if d := time.Since(start); d < time.Second {
					t.Errorf("completed after %s: the Retry-After of 1s was not honoured", d)
				}
			}
			e.assertNoSecretSent()
		})
	}
}

func TestEndToEndPushGetsCheckRunOnly(t *testing.T) {
	e := newEnv(t)
	// A branch push of one commit on top of baseSHA, in the shape of the
	// corpus' branch push payload.
	var payload map[string]any
	if err := json.Unmarshal(corpusPayload(t, "push/with-new-branch.payload.json"), &payload); err != nil {
		t.Fatal(err)
	}
	payload["before"], payload["created"] = baseSHA, false
	push, _ := json.Marshal(payload)
	p := struct{ Before, After string }{baseSHA, payload["after"].(string)}
	e.fake.SetCompare(owner, repo, p.Before, p.After, e.leak.pullFiles())
	e.startWorkers()
	if code := e.deliver("push", "push-1", push); code != http.StatusAccepted {
		t.Fatalf("push answered %d", code)
	}
	run := e.waitCompleted(p.After)
	e.waitIdle()
	if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
		t.Errorf("push check run %s with %d annotations", run.Conclusion, len(run.Annotations()))
	}
	if len(e.fake.Reviews()) != 0 {
		t.Errorf("a push scan posted a review")
	}
}

func TestEndToEndReRunRequested(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	e.waitCompleted(headSHA)
	e.waitIdle()

	// "Re-run all checks" on the pull request's suite. The corpus delivery
	// comes from installation 957387.
	e.fake.AddRepo(githubtest.Repo{ID: 186853002, Owner: owner, Name: repo, DefaultBranch: "master", Installation: 957387})
	if code := e.deliver("check_suite", "rerun-1", corpusPayload(t, "check_suite/rerequested.payload.json")); code != http.StatusAccepted {
		t.Fatalf("check_suite rerequested answered %d, want 202", code)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var completed int
		for _, c := range e.fake.CheckRuns() {
			if c.HeadSHA == headSHA && c.Status == "completed" && c.Conclusion == "failure" {
				completed++
			}
		}
		if completed == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("re-run did not complete a second check run: %+v", e.fake.CheckRuns())
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.waitIdle()
	if n := len(e.fake.Comments(owner, repo, prNumber)); n != 2 {
		t.Errorf("%d comments after a re-run, want the same 2", n)
	}
}

// TestEndToEndRefusedLineLandsInSummary: GitHub refuses the review with 422
// (a line it will not comment on) and then refuses one comment again; that
// finding is not lost but shown in the check run's summary.
func TestEndToEndRefusedLineLandsInSummary(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(githubtest.RouteCreateReview, 1, http.StatusUnprocessableEntity)
	e.fake.FailNext(githubtest.RouteCreateComment, 1, http.StatusUnprocessableEntity)
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	posted := e.fake.Comments(owner, repo, prNumber)
	if len(posted) != 1 {
		t.Fatalf("%d comments, want 1 (the other refused)", len(posted))
	}
	refused := "internal/deploy/token.go"
	if posted[0].Path == refused {
		refused = "scripts/upload.py"
	}
	i := strings.Index(run.Summary, "Not commented inline")
	if i < 0 || !strings.Contains(run.Summary[i:], refused) {
		t.Errorf("summary does not carry the refused finding on %s:\n%s", refused, run.Summary)
	}
	if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
		t.Errorf("check run %s with %d annotations", run.Conclusion, len(run.Annotations()))
	}
}

// TestEndToEndGivingUpEndsTheCheck: GitHub keeps failing the files listing;
// after the last attempt the job is dead-lettered and its check run ends
// neutral with the reason, instead of spinning "in progress" forever.
func TestEndToEndGivingUpEndsTheCheck(t *testing.T) {
	e := newEnv(t)
	e.fake.FailNext(githubtest.RouteListFiles, 1000, http.StatusBadGateway)
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion != "neutral" || !strings.Contains(run.Summary, "could not be completed after 4 attempt(s)") {
		t.Errorf("check run %s:\n%s", run.Conclusion, run.Summary)
	}
	if n := len(e.fake.Comments(owner, repo, prNumber)); n != 0 {
		t.Errorf("%d comments posted by a review that never read the change", n)
	}
}

// TestEndToEndBaseConfigApplies: the base branch's .shiftward.yml turns the
// AWS rule off and ignores nothing else; only the GitHub token is reported.
func TestEndToEndBaseConfigApplies(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte("version: 1\nrules:\n  secrets/aws-access-token: off\n"))
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if len(run.Annotations()) != 1 || run.Annotations()[0].Path != "internal/deploy/token.go" {
		t.Errorf("annotations = %+v, want only the GitHub token", run.Annotations())
	}
	if !strings.Contains(run.Summary, "suppressed by .shiftward.yml") {
		t.Errorf("summary does not say a finding was suppressed:\n%s", run.Summary)
	}
	if n := len(e.fake.Comments(owner, repo, prNumber)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
}

// TestEndToEndCustomSecretRule: a rule of the base branch's .shiftward.yml
// finds a token format only this company uses.
func TestEndToEndCustomSecretRule(t *testing.T) {
	e := newEnv(t)
	e.fake.SetContent(owner, repo, baseSHA, ".shiftward.yml", []byte(`version: 1
scanners:
  secrets:
    rules:
      - id: acme-api-key
        description: ACME API key
        regex: 'acme_(live|test)_[0-9a-zA-Z]{32}'
        keywords: [acme_]
        severity: critical
        paths: ["services/**"]
`))
	key := randomToken(11, "acme_live_", alnum, 32)
	files := []githubtest.File{
		{Filename: "services/billing/client.py", Status: "added", Additions: 2, Changes: 2,
			Patch: "@@ -0,0 +1,2 @@\n+import os\n+ACME = \"" + key + "\"\n"},
		{Filename: "docs/example.py", Status: "added", Additions: 1, Changes: 1,
			Patch: "@@ -0,0 +1 @@\n+ACME = \"" + key + "\"\n"},
	}
	e.fake.AddPull(owner, repo, githubtest.PullRequest{Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, Files: files})
	e.startWorkers()
	if code := e.deliver("pull_request", "delivery-1", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	var acme []githubtest.Annotation
	for _, a := range run.Annotations() {
		if strings.Contains(a.Title, "ACME") {
			acme = append(acme, a)
		}
	}
	if len(acme) != 1 || acme[0].Path != "services/billing/client.py" || acme[0].StartLine != 2 || run.Conclusion != "failure" {
		t.Errorf("ACME annotations = %+v (conclusion %s), want one on services/billing/client.py:2 (docs/ is outside the rule's paths)", acme, run.Conclusion)
	}
	for _, c := range e.fake.Calls() {
		if bytes.Contains(c.Body, []byte(key)) {
			t.Errorf("%s sent the key to GitHub", c.Route)
		}
	}
}
