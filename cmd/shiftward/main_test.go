package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/osv/osvtest"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/redistest"
)

// fakeToken makes a GitHub-PAT-shaped token at run time, so no token-shaped
// string sits in the repository.
func fakeToken(seed uint64) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := rand.New(rand.NewPCG(seed, seed))
	b := []byte("ghp_")
	for range 36 {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	return string(b)
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// writer returns a function writing text to name (a slash path, its
// directories made) in dir.
func writer(t *testing.T, dir string) func(name, text string) {
	return func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, filepath.FromSlash(name))), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// repoWithLeak makes a repository whose feature branch adds a token on line
// 4 of config.go and deletes a line that held another token.
func repoWithLeak(t *testing.T) (dir, added, deleted string) {
	t.Helper()
	dir = t.TempDir()
	added, deleted = fakeToken(1), fakeToken(2)
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("old.py", "import os\nTOKEN = \""+deleted+"\"\n")
	write("config.go", "package config\n\nimport \"os\"\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	gitRun(t, dir, "checkout", "-q", "-b", "feature")
	write("old.py", "import os\nTOKEN = os.environ[\"TOKEN\"]\n")
	write("config.go", "package config\n\nimport \"os\"\nvar token = \""+added+"\"\n")
	gitRun(t, dir, "commit", "-q", "-am", "feature")
	return dir, added, deleted
}

type scanOutput struct {
	Findings []struct {
		RuleID      string `json:"rule_id"`
		Severity    string `json:"severity"`
		Path        string `json:"path"`
		StartLine   int    `json:"start_line"`
		EndLine     int    `json:"end_line"`
		Message     string `json:"message"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
}

func TestScanJSON(t *testing.T) {
	dir, added, deleted := repoWithLeak(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--format", "json", dir}, nil, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code = %d, want 1 (findings)\nstderr: %s", code, stderr.String())
	}
	var out scanOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if len(out.Findings) != 1 {
		t.Fatalf("findings = %+v, want exactly the added token (not the deleted one)", out.Findings)
	}
	f := out.Findings[0]
	if f.RuleID != "secrets/github-pat" || f.Path != "config.go" || f.StartLine != 4 || f.EndLine != 4 ||
		len(f.Fingerprint) != 16 || f.Message == "" || (f.Severity != "high" && f.Severity != "critical") {
		t.Errorf("finding = %+v", f)
	}
	for _, secret := range []string{added, deleted} {
		if strings.Contains(stdout.String()+stderr.String(), secret) {
			t.Errorf("output contains a whole secret")
		}
	}
}

func TestScanTextAndBase(t *testing.T) {
	dir, added, _ := repoWithLeak(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--base", "main", dir}, nil, &stdout, &stderr); code != 1 {
		t.Fatalf("exit code = %d, want 1\nstderr: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "config.go") || strings.Contains(stdout.String(), added) {
		t.Errorf("text review should name config.go and never the token:\n%s", stdout.String())
	}
	// Against its own head there is nothing to review.
	stdout.Reset()
	if code := run(context.Background(), []string{"scan", "--base", "HEAD", "--format", "json", dir}, nil, &stdout, &stderr); code != 0 {
		t.Errorf("scan against HEAD: exit %d, want 0\n%s", code, stdout.String())
	}
}

func TestScanDiffFromStdin(t *testing.T) {
	dir, _, _ := repoWithLeak(t)
	d, err := exec.Command("git", "-C", dir, "diff", "main", "feature").Output()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	// Beside the work tree it was made from, whole files are read from it.
	code := run(context.Background(), []string{"scan", "--diff", "-", "--format", "json", dir}, bytes.NewReader(d), &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "secrets/github-pat") {
		t.Errorf("exit %d, output %s, stderr %s", code, stdout.String(), stderr.String())
	}
	// Elsewhere, the files the code scanner needs whole are not at hand:
	// the finding still fails the scan, and the scan says it is incomplete.
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"scan", "--diff", "-", "--format", "json", t.TempDir()}, bytes.NewReader(d), &stdout, &stderr)
	if code != 3 || !strings.Contains(stdout.String(), "config.go: not read whole (not found in the work tree)") {
		t.Errorf("exit %d, output %s, stderr %s; want 3 and config.go not scanned whole", code, stdout.String(), stderr.String())
	} // A work tree that moved on since the diff was made is not used.
	if err := os.WriteFile(filepath.Join(dir, "config.go"), []byte("package config\n\nvar x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"scan", "--diff", "-", "--format", "json", dir}, bytes.NewReader(d), &stdout, &stderr)
	if code != 3 || !strings.Contains(stdout.String(), "not the change's new version") {
		t.Errorf("exit %d, output %s; want config.go not scanned whole, the work tree's copy differing", code, stdout.String())
	}
}

func TestScanErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a repository", []string{"scan", t.TempDir()}, "not a git repository"},
		{"bad format", []string{"scan", "--format", "xml"}, "--format"},
		{"bad severity", []string{"scan", "--fail-on", "severe"}, "--fail-on"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"bad base", []string{"scan", "--base", "no-such-ref"}, "no such commit"},
		{"unknown scanner", []string{"scan", "--scanners", "secrets,lint", "--diff", os.DevNull}, `no scanner "lint"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, nil, &stdout, &stderr); code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr.String(), tt.want)
			}
		})
	}
}

func TestServeConfigErrorNamesVariable(t *testing.T) {
	t.Setenv("SHIFTWARD_GITHUB_APP_ID", "not-a-number")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"serve"}, nil, &stdout, &stderr); code != 2 {
		t.Errorf("exit code = %d, want 2", code)
	}
	if lines := strings.Count(strings.TrimSpace(stderr.String()), "\n"); lines != 0 ||
		!strings.Contains(stderr.String(), "SHIFTWARD_GITHUB_APP_ID") {
		t.Errorf("stderr = %q, want one line naming the variable", stderr.String())
	}
	var line struct{ Level, Msg, Err string }
	if err := json.Unmarshal(stderr.Bytes(), &line); err != nil || line.Level != "ERROR" {
		t.Errorf("stderr = %q, want one JSON error line (%v)", stderr.String(), err)
	}
}

// A misspelt setting is often why start-up fails: it is named beside the
// error, its value never.
func TestServeConfigErrorNamesMisspeltVariable(t *testing.T) {
	t.Setenv("SHIFTWARD_GITHUB_APP_ID", "")
	t.Setenv("SHIFTWARD_GITHUB_APP_IDD", "123")
	t.Setenv("SHIFTWARD_GITLAB_TOKNE", "value-not-to-be-logged-7f3a")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"serve"}, nil, &stdout, &stderr); code != 2 {
		t.Errorf("exit code = %d, want 2", code)
	}
	out := stderr.String()
	for _, want := range []string{"SHIFTWARD_GITHUB_APP_IDD", "SHIFTWARD_GITLAB_TOKNE", "did you mean SHIFTWARD_GITLAB_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr = %q, want it to mention %q", out, want)
		}
	}
	if strings.Contains(out, "value-not-to-be-logged") {
		t.Errorf("stderr holds a variable's value: %q", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("not a JSON line: %q", l)
		}
	}
}

func TestScanDiffWithAnUnreadableFile(t *testing.T) {
	token := fakeToken(5)
	d := "diff --git a/bad.txt b/bad.txt\n--- a/bad.txt\n+++ b/bad.txt\n@@ -0,1 +0,1 @@\n-x\n+y\n" +
		"diff --git a/ok.go b/ok.go\nnew file mode 100644\n--- /dev/null\n+++ b/ok.go\n@@ -0,0 +1 @@\n+var t = \"" + token + "\"\n"
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--diff", "-", "--fail-on", "critical"}, strings.NewReader(d), &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "incomplete") {
		t.Errorf("exit %d, stderr %q; want 2 and the scan called incomplete", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "ok.go") || !strings.Contains(stdout.String(), "bad.txt") {
		t.Errorf("the review should report ok.go's finding and bad.txt as not scanned:\n%s", stdout.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), token) {
		t.Error("output contains the token")
	}
}

// TestScanMultiLinePrivateKey: a key added across many lines of a diff is
// found as one secret spanning them, because the scanner reads the file's
// added text, not the diff's "+"-prefixed lines.
func TestScanMultiLinePrivateKey(t *testing.T) {
	key, err := rsa.GenerateKey(crand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	lines := strings.Split(strings.TrimSuffix(pemText, "\n"), "\n")
	var d strings.Builder
	fmt.Fprintf(&d, "diff --git a/deploy/key.pem b/deploy/key.pem\nnew file mode 100644\n--- /dev/null\n+++ b/deploy/key.pem\n@@ -0,0 +1,%d @@\n", len(lines)+1)
	d.WriteString("+# deploy key\n")
	for _, l := range lines {
		d.WriteString("+" + l + "\n")
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--diff", "-", "--format", "json"}, strings.NewReader(d.String()), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	var out scanOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Findings) != 1 || out.Findings[0].RuleID != "secrets/private-key" ||
		out.Findings[0].StartLine != 2 || out.Findings[0].EndLine != len(lines)+1 {
		t.Errorf("findings = %+v, want one private key on lines 2-%d", out.Findings, len(lines)+1)
	}
	if strings.Contains(stdout.String(), lines[3]) {
		t.Error("output contains key material")
	}
}

func TestScanHonoursBaseConfig(t *testing.T) {
	tests := []struct {
		name     string
		config   string
		inline   string
		wantCode int
		want     string
	}{
		{"rule off", "version: 1\nrules:\n  secrets/github-pat: off\n", "", 0, "suppressed"},
		{"inline ignore with reason", "", " // shiftward:ignore secrets/github-pat revoked fixture token", 0, "this change suppresses secrets/github-pat"},
		{"invalid config fails", "version: 1\nfail_onn: low\n", "", 1, ".shiftward.yml:2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gitRun(t, dir, "init", "-q", "-b", "main")
			if tt.config != "" {
				os.WriteFile(filepath.Join(dir, ".shiftward.yml"), []byte(tt.config), 0o644)
			}
			os.WriteFile(filepath.Join(dir, "README.md"), []byte("x\n"), 0o644)
			gitRun(t, dir, "add", ".")
			gitRun(t, dir, "commit", "-q", "-m", "base")
			gitRun(t, dir, "checkout", "-q", "-b", "feature")
			os.WriteFile(filepath.Join(dir, "token.go"), []byte("package x\n\nvar t = \""+fakeToken(7)+"\""+tt.inline+"\n"), 0o644)
			gitRun(t, dir, "add", ".")
			gitRun(t, dir, "commit", "-q", "-m", "feature")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"scan", dir}, nil, &stdout, &stderr)
			if code != tt.wantCode || !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("exit %d (want %d); output lacks %q:\n%s%s", code, tt.wantCode, tt.want, stdout.String(), stderr.String())
			}
		})
	}
}

// TestScanReadsWholeFilesFromTheWorkTree: a manifest the branch edits is
// judged whole (read from the work tree: the privileged flag belongs to a
// container declared above the change), and --scanners narrows the run.
func TestScanReadsWholeFilesFromTheWorkTree(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	manifest := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.0\n"
	if err := os.WriteFile(filepath.Join(dir, "pod.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	edited := manifest + "      securityContext:\n        privileged: true\n"
	if err := os.WriteFile(filepath.Join(dir, "pod.yaml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	scanJSON := func(extra ...string) scanOutput {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := append([]string{"scan", "--base", "main", "--format", "json"}, extra...)
		run(context.Background(), append(args, dir), nil, &stdout, &stderr)
		var out scanOutput
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("output %q (stderr %q): %v", stdout.String(), stderr.String(), err)
		}
		return out
	}
	var privileged bool
	for _, f := range scanJSON().Findings {
		if f.Path == "pod.yaml" && f.StartLine == 10 && strings.Contains(f.RuleID, "privileged") {
			privileged = true
		}
	}
	if !privileged {
		t.Errorf("no privileged finding on pod.yaml:10: %+v", scanJSON().Findings)
	}
	if fs := scanJSON("--scanners", "secrets").Findings; len(fs) != 0 {
		t.Errorf("--scanners secrets still ran the IaC rules: %+v", fs)
	}
}

// TestScanAsksOSVOncePerChange: a local scan streams the diff, but the
// dependency scanner sees every manifest of it at once: one advisory query
// for the change, findings in both files.
func TestScanAsksOSVOncePerChange(t *testing.T) {
	advisories := osvtest.New(t)
	t.Setenv("SHIFTWARD_OSV_URL", advisories.URL)
	t.Setenv("SHIFTWARD_OSV_DIR", "")
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "commit", "-q", "--allow-empty", "-m", "base")
	files := map[string]string{
		"package.json":     "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"debug\": \"2.6.8\"\n  }\n}\n",
		"requirements.txt": "requests==2.5.0\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitRun(t, dir, "add", ".")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--base", "main", "--scanners", "deps", "--format", "json", dir}, nil, &stdout, &stderr)
	var out scanOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("exit %d, output %q, stderr %q: %v", code, stdout.String(), stderr.String(), err)
	}
	paths := map[string]bool{}
	for _, f := range out.Findings {
		paths[f.Path] = true
	}
	if !paths["package.json"] || !paths["requirements.txt"] || code != 1 {
		t.Errorf("exit %d, findings %+v: want vulnerable packages in both files", code, out.Findings)
	}
	if b := advisories.Batches(); b != 1 {
		t.Errorf("%d querybatch requests, want 1 for the change", b)
	}
}

// TestScanNeverPrintsASecret: secrets sit where every scanner looks (a
// Dockerfile ENV, a pod's env, Terraform provider keys, a cloud client
// call with two keys on one line, a CI variable); no output of any scanner,
// in any format (text, JSON, SARIF, JUnit, GitLab's reports), quotes one.
func TestScanNeverPrintsASecret(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	tok, keyID, secret := "ghp_"+pick(alnum, 36), "AKIA"+pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), pick(alnum, 40)
	files := map[string]string{
		"Dockerfile":     "FROM alpine:3.20\nENV GITHUB_TOKEN=" + tok + "\nARG AWS_SECRET_ACCESS_KEY=" + secret + "\nUSER 1000\n",
		"pod.yaml":       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: nginx:1.27.0\n      env:\n        - name: API_TOKEN\n          value: \"" + tok + "\"\n",
		"main.tf":        "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"" + keyID + "\"\n  secret_key = \"" + secret + "\"\n}\n",
		"app.py":         "import boto3\nclient = boto3.client(\"s3\", aws_access_key_id=\"" + keyID + "\", aws_secret_access_key=\"" + secret + "\")\n",
		".gitlab-ci.yml": "variables:\n  DEPLOY_TOKEN: \"" + tok + "\"\nbuild:\n  image: alpine:3.20\n  script:\n    - echo $DEPLOY_TOKEN\n",
	}
	var patch strings.Builder
	for name, text := range files {
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		fmt.Fprintf(&patch, "diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n+%s\n", name, name, name, len(lines), strings.Join(lines, "\n+"))
	}
	reports := t.TempDir()
	for _, format := range []string{"json", "text", "sarif", "junit", "gitlab"} {
		var stdout, stderr bytes.Buffer
		args := []string{"scan", "--scanners", "secrets,iac,pipelines,code", "--diff", "-", "--format", format}
		if format == "gitlab" {
			args = append(args, "--output-dir", reports)
		}
		code := run(context.Background(), args, strings.NewReader(patch.String()), &stdout, &stderr)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1 (findings); stderr %q", format, code, stderr.String())
		}
		out := stdout.String() + stderr.String()
		if format == "gitlab" {
			for _, name := range []string{"gl-sast-report.json", "gl-secret-detection-report.json", "gl-dependency-scanning-report.json"} {
				b, err := os.ReadFile(filepath.Join(reports, name))
				if err != nil {
					t.Fatal(err)
				}
				out += string(b)
			}
		}
		for _, s := range []string{tok, keyID, secret} {
			if strings.Contains(out, s) {
				t.Errorf("%s output quotes a secret (%.4s…)", format, s)
			}
		}
		if format != "text" && !strings.Contains(out, "iac/tf-provider-credentials") {
			t.Errorf("json output lacks the IaC finding; is every scanner running?\n%s", out)
		}
	}
}

// TestDeadListsAndRequeues: an operator lists the jobs the queue gave up on
// and puts them back, against the test Redis (database 13, a prefix of its
// own, deleted afterwards).
func TestDeadListsAndRequeues(t *testing.T) {
	url := redistest.URL(t, 13)
	prefix := fmt.Sprintf("{dead-test-%d}", time.Now().UnixNano())
	redistest.Clean(t, url, prefix)
	deadRoundTrip(t, url, prefix)
}

// deadRoundTrip kills one job in the queue at url under prefix (its handler
// fails for good), then checks that `shiftward dead` lists it with its error
// and that `dead --requeue` puts it back as the queue's only job.
func deadRoundTrip(t *testing.T, url, prefix string) {
	t.Helper()
	q, err := queue.OpenRedis(url, queue.Options{Prefix: prefix, MaxAttempts: 1, BackoffBase: time.Millisecond,
		Concurrency: 1, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	job := queue.Job{Kind: platform.KindReview, Change: platform.Change{Platform: platform.GitHub, Installation: 1,
		Repo: platform.Repo{Owner: "o", Name: "r"}, Number: 4, BaseSHA: strings.Repeat("a", 40), HeadSHA: strings.Repeat("b", 40)}}
	if _, err := q.Enqueue(ctx, job); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Run(runCtx, func(context.Context, queue.Job) error { return errors.New("installation suspended") })
	}()
	for {
		if d, _ := q.Dead(ctx, 0); len(d) == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the job never died")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done

	t.Setenv(config.EnvRedisURL, url)
	t.Setenv(config.EnvRedisPrefix, prefix)
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"dead"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "o/r#4") ||
		!strings.Contains(stdout.String(), "installation suspended") || !strings.Contains(stdout.String(), "1 dead job(s)") {
		t.Fatalf("dead: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := run(ctx, []string{"dead", "--requeue"}, nil, &stdout, &stderr); code != 0 || stdout.String() != "requeued 1 job(s)\n" {
		t.Fatalf("dead --requeue: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if d, _ := q.Dead(ctx, 0); len(d) != 0 {
		t.Errorf("dead letters left: %+v", d)
	}
	if n, _ := q.Depth(ctx); n != 1 {
		t.Errorf("queue depth %d after requeue, want 1", n)
	}
}

// TestScanRefusesWhatIsNotADiff: input that reviewed nothing (an empty diff
// from a ref that does not exist, text that is no diff) is an error, never
// "no findings".
func TestScanRefusesWhatIsNotADiff(t *testing.T) {
	tests := []struct {
		name, input string
		args        []string
		code        int
		want        string
	}{
		{"empty", "", nil, 2, "is empty"},
		{"empty, accepted", "", []string{"--allow-empty"}, 0, ""},
		{"not a diff", "fatal: ambiguous argument 'mian': unknown revision\nsome other text\n", nil, 2, "not a unified diff"},
		{"a log without patches", "commit 0123456789abcdef\nAuthor: a <a@example.com>\n\n    message\n", nil, 2, "not a unified diff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"scan", "--diff", "-"}, tt.args...)
			if code := run(context.Background(), args, strings.NewReader(tt.input), &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d, want %d\nstdout %s\nstderr %s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), tt.want)
			}
		})
	}
	// A file that is not a diff, likewise.
	notDiff := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notDiff, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"scan", "--diff", notDiff}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "not a unified diff") {
		t.Errorf("--diff of a text file: exit %d, stderr %q", code, stderr.String())
	}
}

// TestScanReviewsUntrackedFiles: the README promises the work tree is
// reviewed; a file not yet added is part of it (ignored files are not).
func TestScanReviewsUntrackedFiles(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitignore", "ignored.go\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	token, ignored := fakeToken(11), fakeToken(12)
	write("new.go", "package x\n\nvar token = \""+token+"\"\n")
	write("ignored.go", "package x\n\nvar token = \""+ignored+"\"\n")
	write("blob.bin", "\x00\x01binary")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--base", "main", "--scanners", "secrets", "--format", "json", dir}, nil, &stdout, &stderr)
	var out scanOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("exit %d, stdout %q, stderr %q: %v", code, stdout.String(), stderr.String(), err)
	}
	if code != 1 || len(out.Findings) != 1 || out.Findings[0].Path != "new.go" || out.Findings[0].StartLine != 3 {
		t.Errorf("exit %d, findings %+v: want the untracked new.go's token on line 3, and nothing from the ignored file", code, out.Findings)
	}
	if strings.Contains(stdout.String()+stderr.String(), token) {
		t.Error("output contains the token")
	}
}

// TestScanSaysIncompleteEvenWhenAFindingFails: exit 3 = a failing finding
// and a part that could not be scanned; exit 1 alone would hide the second.
func TestScanSaysIncompleteEvenWhenAFindingFails(t *testing.T) {
	token := fakeToken(13)
	d := "diff --git a/bad.txt b/bad.txt\n--- a/bad.txt\n+++ b/bad.txt\n@@ -0,1 +0,1 @@\n-x\n+y\n" +
		"diff --git a/ok.go b/ok.go\nnew file mode 100644\n--- /dev/null\n+++ b/ok.go\n@@ -0,0 +1 @@\n+var t = \"" + token + "\"\n"
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--diff", "-", "--scanners", "secrets"}, strings.NewReader(d), &stdout, &stderr)
	if code != 3 || !strings.Contains(stderr.String(), "incomplete") {
		t.Errorf("exit %d, stderr %q; want 3 (failing finding + incomplete) and the scan called incomplete", code, stderr.String())
	}
}

// TestScanOfflineAdvisoriesMustExist: an empty SHIFTWARD_OSV_DIR is a
// configuration error, not a clean dependency scan.
func TestScanOfflineAdvisoriesMustExist(t *testing.T) {
	t.Setenv("SHIFTWARD_OSV_DIR", t.TempDir())
	d := "diff --git a/requirements.txt b/requirements.txt\nnew file mode 100644\n--- /dev/null\n+++ b/requirements.txt\n@@ -0,0 +1 @@\n+requests==2.5.0\n"
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--diff", "-", "--scanners", "deps"}, strings.NewReader(d), &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "SHIFTWARD_OSV_DIR") {
		t.Errorf("exit %d, stderr %q; want 2 naming SHIFTWARD_OSV_DIR", code, stderr.String())
	}
}

// TestScanABrokenFileDoesNotSinkTheChange: one file that does not parse is
// reported as not scanned whole; the rest of the change is reviewed, and
// the exit status says both (3).
func TestScanABrokenFileDoesNotSinkTheChange(t *testing.T) {
	dir := t.TempDir()
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "commit", "-q", "--allow-empty", "-m", "base")
	files := map[string]string{
		"web/Link.jsx": "export const Link = () => <a title=& href=\"/x\">x</a>;\n",
		"server.js":    "const express = require('express');\nconst app = express();\napp.get('/run', (req, res) => {\n  res.send(String(eval(req.query.code)));\n});\n",
	}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"scan", "--base", "main", "--scanners", "code", "--format", "json", dir}, nil, &stdout, &stderr)
	var out struct {
		Findings []struct {
			RuleID string `json:"rule_id"`
			Path   string `json:"path"`
		} `json:"findings"`
		Conclusion string   `json:"conclusion"`
		Incomplete []string `json:"incomplete"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("exit %d, stdout %q, stderr %q: %v", code, stdout.String(), stderr.String(), err)
	}
	found := false
	for _, f := range out.Findings {
		found = found || (f.Path == "server.js" && strings.Contains(f.RuleID, "eval"))
	}
	if code != 3 || !found || out.Conclusion != "failure" {
		t.Errorf("exit %d, conclusion %s, findings %+v: want 3, failure and the eval in server.js", code, out.Conclusion, out.Findings)
	}
	if len(out.Incomplete) != 1 || !strings.Contains(out.Incomplete[0], "web/Link.jsx") {
		t.Errorf("incomplete %q: want web/Link.jsx alone", out.Incomplete)
	}
}

// TestScanReadsOnlyTheWorkTree: a handed-in diff names its paths, and a
// work tree may hold symlinks and FIFOs. Nothing outside the work tree is
// read (a path with "..", a symlink out of it), and a FIFO does not hang
// the scan.
func TestScanReadsOnlyTheWorkTree(t *testing.T) {
	outside := t.TempDir()
	// Line 3 is what each diff below adds: a read that got through would
	// be taken for the file's new version.
	if err := os.WriteFile(filepath.Join(outside, "creds.go"), []byte("package x\n\nvar k = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "creds.go"), filepath.Join(dir, "link.go")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.go"), 0o644); err != nil {
		t.Fatal(err)
	}
	var d strings.Builder
	for _, p := range []string{"../" + filepath.Base(outside) + "/creds.go", "link.go", "pipe.go"} {
		fmt.Fprintf(&d, "diff --git a/%[1]s b/%[1]s\n--- a/%[1]s\n+++ b/%[1]s\n@@ -3,1 +3,1 @@\n-var k = 1\n+var k = \"x\"\n", p)
	}
	done := make(chan struct{})
	var stdout, stderr bytes.Buffer
	go func() {
		defer close(done)
		run(context.Background(), []string{"scan", "--diff", "-", "--scanners", "code", "--format", "json", dir}, strings.NewReader(d.String()), &stdout, &stderr)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the scan hangs on a FIFO in the work tree")
	}
	for _, want := range []string{"creds.go: not read whole", "link.go: not read whole", "pipe.go: not read whole"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}
