package webhook_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/webhook"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

const gitlabSecret = "gitlab-any-project-token"

// counting is a request body that counts what the handler read of it.
type counting struct {
	r io.Reader
	n atomic.Int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// flood is a 24 MB body of JSON-looking bytes, as an attacker would post.
func flood() *counting {
	return &counting{r: io.LimitReader(neverEnding('{'), 24<<20)}
}

func gitlabPayload(t *testing.T, rel string) []byte {
	t.Helper()
	return scannertest.Data(t).Read(t, "webhooks", "gitlab", "payloads", rel)
}

// hostile mounts both sources on one echo, as the server does.
func hostile(q webhook.Enqueuer, hooks ...config.GitLabHook) (*echo.Echo, *outcomes, *webhook.Handler) {
	e := echo.New()
	o := &outcomes{}
	h := &webhook.Handler{Queue: q, Log: slog.New(slog.DiscardHandler), Observer: o, BodyWait: 300 * time.Millisecond}
	h.Register(e, webhook.GitHub{Secrets: [][]byte{[]byte(secret)}},
		webhook.GitLab{Secrets: [][]byte{[]byte(gitlabSecret)}, Hooks: hooks})
	return e, o, h
}

// request builds a POST; length -1 leaves the body's length unknown
// (chunked), otherwise Content-Length says length.
func request(path string, body io.Reader, length int64, headers map[string]string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.ContentLength = length
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	return req
}

func serve(e *echo.Echo, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// A delivery the headers already condemn is answered without reading its
// body: before, every one of these read up to 25 MB first.
func TestRefusedBeforeTheBodyIsRead(t *testing.T) {
	goodSig := "sha256=" + strings.Repeat("ab", 32)
	gh := func(sig, event, ct string) map[string]string {
		return map[string]string{"X-Hub-Signature-256": sig, "X-GitHub-Event": event, "X-GitHub-Delivery": "d-1", "Content-Type": ct}
	}
	gl := func(token, event, ct string) map[string]string {
		return map[string]string{"X-Gitlab-Token": token, "X-Gitlab-Event": event, "Content-Type": ct}
	}
	const size = 24 << 20
	tests := []struct {
		name    string
		path    string
		length  int64
		headers map[string]string
		want    int
	}{
		{"gitlab wrong token", "/webhooks/gitlab", size, gl("wrong", "Merge Request Hook", "application/json"), 401},
		{"gitlab wrong token, chunked", "/webhooks/gitlab", -1, gl("wrong", "Merge Request Hook", "application/json"), 401},
		{"gitlab token of another length", "/webhooks/gitlab", size, gl(gitlabSecret+"x", "Merge Request Hook", "application/json"), 401},
		{"gitlab no token", "/webhooks/gitlab", size, gl("", "Merge Request Hook", "application/json"), 401},
		{"gitlab no event", "/webhooks/gitlab", size, gl(gitlabSecret, "", "application/json"), 400},
		{"gitlab not JSON", "/webhooks/gitlab", size, gl(gitlabSecret, "Merge Request Hook", "text/plain"), 415},
		{"gitlab no content type", "/webhooks/gitlab", size, gl(gitlabSecret, "Merge Request Hook", ""), 415},
		{"gitlab over 25 MB", "/webhooks/gitlab", webhook.MaxBody + 1, gl(gitlabSecret, "Merge Request Hook", "application/json"), 413},
		{"github no signature", "/webhooks/github", size, gh("", "pull_request", "application/json"), 401},
		{"github sha1 signature", "/webhooks/github", size, gh("sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", "pull_request", "application/json"), 401},
		{"github short signature", "/webhooks/github", size, gh("sha256=abcd", "pull_request", "application/json"), 401},
		{"github signature not hex", "/webhooks/github", size, gh("sha256="+strings.Repeat("zz", 32), "pull_request", "application/json"), 401},
		{"github signature too long", "/webhooks/github", size, gh(goodSig+"00", "pull_request", "application/json"), 401},
		{"github no event", "/webhooks/github", size, gh(goodSig, "", "application/json"), 400},
		{"github other content type", "/webhooks/github", size, gh(goodSig, "pull_request", "text/xml"), 415},
		{"github over 25 MB", "/webhooks/github", webhook.MaxBody + 1, gh(goodSig, "pull_request", "application/json"), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &recordingQueue{}
			e, _, _ := hostile(q)
			body := flood()
			rec := serve(e, request(tt.path, body, tt.length, tt.headers))
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d (%s)", rec.Code, tt.want, rec.Body)
			}
			if n := body.n.Load(); n != 0 {
				t.Errorf("read %d bytes of the body before refusing it, want 0", n)
			}
			if len(q.jobs) != 0 {
				t.Errorf("queued %d jobs", len(q.jobs))
			}
		})
	}
}

// held is a body that sends a few bytes, then waits until released: an
// upload in progress, holding its share of the budget.
type held struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
	r       io.Reader
}

func newHeld(size int64, release chan struct{}) *held {
	return &held{started: make(chan struct{}), release: release, r: io.LimitReader(neverEnding('{'), size)}
}

func (h *held) Read(p []byte) (int, error) {
	h.once.Do(func() { close(h.started) })
	<-h.release
	return h.r.Read(p)
}

// While unauthenticated 24 MB posts with well-formed signature headers hold
// the body budget, a small signed delivery is still queued at once, the
// flood beyond the budget is answered 503 after a short wait, and the bytes
// granted never pass the budget. Before, every post was read at once, with
// no bound on the memory held.
func TestFloodLeavesRoomForSmallDeliveries(t *testing.T) {
	q, err := queue.NewMemory(queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	e, _, h := hostile(q)

	release := make(chan struct{})
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock)
	const posts = 6
	codes := make(chan int, posts)
	bodies := make([]*held, posts)
	var wg sync.WaitGroup
	for i := range posts {
		bodies[i] = newHeld(24<<20, release)
		wg.Go(func() {
			req := request("/webhooks/github", bodies[i], 24<<20, map[string]string{
				"X-Hub-Signature-256": "sha256=" + strings.Repeat("cd", 32), "X-GitHub-Event": "pull_request",
				"X-GitHub-Delivery": "flood", "Content-Type": "application/json"})
			codes <- serve(e, req).Code
		})
	}
	// Those that found no budget give up after BodyWait.
	deadline := time.After(5 * time.Second)
	refused := 0
	for refused < posts-1 {
		select {
		case c := <-codes:
			if c != http.StatusServiceUnavailable {
				t.Fatalf("a flooding post was answered %d while the budget was held, want 503", c)
			}
			refused++
		case <-deadline:
			t.Fatalf("%d of %d flooding posts refused after 5s, want %d", refused, posts, posts-1)
		}
	}
	reading := 0
	for _, b := range bodies {
		select {
		case <-b.started:
			reading++
		default:
		}
	}
	if reading != 1 {
		t.Errorf("%d bodies being read at once, want 1 (24 MB twice is over the default budget's large lane)", reading)
	}
	if used := h.Bodies.InUse(); used > webhook.DefaultMemory {
		t.Errorf("budget in use %d, over %d", used, webhook.DefaultMemory)
	}

	opened := corpusPayload(t, "pull_request/opened.payload.json")
	start := time.Now()
	rec := post(e, "pull_request", "legit-1", sign(opened, secret), bytes.NewReader(opened))
	if rec.Code != http.StatusAccepted {
		t.Errorf("small signed delivery during the flood: status %d, want 202 (%s)", rec.Code, rec.Body)
	}
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("small signed delivery took %s during the flood: it waited for the flood", took)
	}

	unblock()
	wg.Wait()
	if c := <-codes; c != http.StatusUnauthorized {
		t.Errorf("the flooding post that was read: %d, want 401", c)
	}
	if used := h.Bodies.InUse(); used != 0 {
		t.Errorf("budget in use after every request ended: %d, want 0", used)
	}
}

// A verified body sent again under a fresh delivery id queues nothing: the
// delivery id is a header the signature does not cover. GitHub redelivering
// the same id is still a duplicate.
func TestReplayWithFreshDeliveryID(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	push := gitlabPayload(t, "go-gitlab/push.json")
	glPost := func(e *echo.Echo, uuid string, body []byte) int {
		return serve(e, request("/webhooks/gitlab", bytes.NewReader(body), int64(len(body)), map[string]string{
			"X-Gitlab-Token": gitlabSecret, "X-Gitlab-Event": "Push Hook", "X-Gitlab-Event-UUID": uuid,
			"Content-Type": "application/json"})).Code
	}
	tests := []struct {
		name  string
		send  func(e *echo.Echo) []int
		codes []int
	}{
		{"github, fresh delivery id", func(e *echo.Echo) []int {
			return []int{
				post(e, "pull_request", "d-1", sign(opened, secret), bytes.NewReader(opened)).Code,
				post(e, "pull_request", "d-2", sign(opened, secret), bytes.NewReader(opened)).Code,
			}
		}, []int{202, 200}},
		{"github, same delivery id (redelivery)", func(e *echo.Echo) []int {
			return []int{
				post(e, "pull_request", "d-1", sign(opened, secret), bytes.NewReader(opened)).Code,
				post(e, "pull_request", "d-1", sign(opened, secret), bytes.NewReader(opened)).Code,
			}
		}, []int{202, 200}},
		{"gitlab push, fresh event uuid", func(e *echo.Echo) []int {
			return []int{glPost(e, "u-1", push), glPost(e, "u-2", push)}
		}, []int{202, 200}},
		{"gitlab push, another body", func(e *echo.Echo) []int {
			other := bytes.Replace(push, []byte(`"user_name"`), []byte(`"user_name" `), 1)
			return []int{glPost(e, "u-1", push), glPost(e, "u-2", other)}
		}, []int{202, 202}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := queue.NewMemory(queue.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Close() })
			e, _, _ := hostile(q)
			got := tt.send(e)
			for i := range got {
				if got[i] != tt.codes[i] {
					t.Errorf("delivery %d answered %d, want %d", i+1, got[i], tt.codes[i])
				}
			}
			want := int64(0)
			for _, c := range tt.codes {
				if c == http.StatusAccepted {
					want++
				}
			}
			if n, _ := q.Depth(context.Background()); n != want {
				t.Errorf("%d jobs queued, want %d", n, want)
			}
		})
	}
}

// A token from the secrets file speaks only for its projects: by id, or by
// path (the job then names the project by path alone). The any-project
// secret still works. Before, one token spoke for every project.
func TestGitLabTokenLimitedToItsProjects(t *testing.T) {
	mr := gitlabPayload(t, "go-gitlab/merge_request.json") // project 1, gitlabhq/gitlab-test
	hooks := []config.GitLabHook{
		{Name: "by-id", Token: []byte("token-for-project-1"), Projects: []int64{1}},
		{Name: "by-path", Token: []byte("token-for-gitlabhq"), Paths: []string{"gitlabhq/**"}},
		{Name: "elsewhere", Token: []byte("token-for-project-99"), Projects: []int64{99}, Paths: []string{"acme/*"}},
	}
	tests := []struct {
		token  string
		want   int
		wantID int64
	}{
		{"token-for-project-1", 202, 1},
		{"token-for-gitlabhq", 202, 0},
		{"token-for-project-99", 401, 0},
		{gitlabSecret, 202, 1},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			q := &recordingQueue{}
			e, o, _ := hostile(q, hooks...)
			rec := serve(e, request("/webhooks/gitlab", bytes.NewReader(mr), int64(len(mr)), map[string]string{
				"X-Gitlab-Token": tt.token, "X-Gitlab-Event": "Merge Request Hook", "Content-Type": "application/json"}))
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.want, rec.Body)
			}
			if tt.want != 202 {
				if len(q.jobs) != 0 || o.got[0] != "gitlab/unknown/unauthorized" {
					t.Errorf("jobs %+v, outcomes %v", q.jobs, o.got)
				}
				return
			}
			if len(q.jobs) != 1 {
				t.Fatalf("queued %d jobs, want 1", len(q.jobs))
			}
			r := q.jobs[0].Change.Repo
			if r.ID != tt.wantID || r.FullName() != "gitlabhq/gitlab-test" {
				t.Errorf("job repo = %+v, want id %d, gitlabhq/gitlab-test", r, tt.wantID)
			}
		})
	}
}
