package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/webhook"
)

// syncBuffer is a log destination read while a handler may write to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines decodes every line; a line that is not a JSON object fails t.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

const (
	headSHA = "1111111111111111111111111111111111111111"
	baseSHA = "2222222222222222222222222222222222222222"
)

// openedPR is the smallest pull_request "opened" delivery that makes a job.
var openedPR = `{"action":"opened","number":7,
 "pull_request":{"number":7,"state":"open","head":{"sha":"` + headSHA + `","ref":"feature"},"base":{"sha":"` + baseSHA + `","ref":"main"}},
 "repository":{"id":42,"name":"widgets","owner":{"login":"acme"}},
 "installation":{"id":9}}`

const gitlabToken = "gitlab-token"

func postGitLab(e *echo.Echo, event, uuid, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/gitlab", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Gitlab-Token", gitlabToken)
	req.Header.Set("X-Gitlab-Event", event)
	req.Header.Set("X-Gitlab-Event-UUID", uuid)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// "job queued" names the id the queue gave the job (queue.Job.prepare sets
// it on the queue's own copy), and so does the answer: before, both had
// the caller's empty j.ID.
func TestJobQueuedLogsTheQueuesID(t *testing.T) {
	q, err := queue.NewMemory(queue.Options{Concurrency: 1, JobTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var logs syncBuffer
	e := echo.New()
	h := &webhook.Handler{Queue: q, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	h.Register(e, webhook.GitHub{Secrets: [][]byte{[]byte(secret)}})

	rec := post(e, "pull_request", "d-queued", sign([]byte(openedPR), secret), strings.NewReader(openedPR))
	if rec.Code != http.StatusAccepted {
		t.Fatalf("status %d, want 202: %s", rec.Code, rec.Body)
	}
	var answer struct{ Job string }
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		t.Fatal(err)
	}

	// The id the queue stored is the one its worker gets.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stored := make(chan string, 1)
	go q.Run(ctx, func(_ context.Context, j queue.Job) error {
		stored <- j.ID
		return nil
	})
	// The worker only sends: cancelling there too made both cases of
	// this select ready at once, and select picks either (a flaky fail).
	var id string
	select {
	case id = <-stored:
		cancel()
	case <-ctx.Done():
		t.Fatal("the queued job never reached a worker")
	}
	if id == "" {
		t.Fatal("the queue stored a job without an id")
	}
	if answer.Job != id {
		t.Errorf("answer names job %q, the queue stored %q", answer.Job, id)
	}
	var queued int
	for _, l := range logs.lines(t) {
		if l["msg"] != "job queued" {
			continue
		}
		queued++
		if l["job_id"] != id {
			t.Errorf("job queued: job_id %v, the queue stored %q (line %v)", l["job_id"], id, l)
		}
		if l["delivery_id"] != "d-queued" || l["repo"] != "acme/widgets" || l["pr"] != 7.0 || l["head_sha"] != headSHA {
			t.Errorf("job queued line lacks the change's attributes: %v", l)
		}
	}
	if queued != 1 {
		t.Errorf("%d job queued lines, want 1", queued)
	}

	// A redelivery names the first job's id.
	logs.mu.Lock()
	logs.b.Reset()
	logs.mu.Unlock()
	rec = post(e, "pull_request", "d-queued", sign([]byte(openedPR), secret), strings.NewReader(openedPR))
	if rec.Code != http.StatusOK {
		t.Fatalf("redelivery: status %d, want 200: %s", rec.Code, rec.Body)
	}
	lines := logs.lines(t)
	if len(lines) != 1 || lines[0]["job_id"] != id {
		t.Errorf("redelivery logged %v, want one line with job_id %q", lines, id)
	}
}

// Every way a verified delivery can be ignored logs exactly one line, at
// debug, with the event, action, delivery id and reason; at info nothing.
func TestIgnoredDeliveryLogsOneDebugLine(t *testing.T) {
	closedPR := strings.Replace(openedPR, `"action":"opened"`, `"action":"closed"`, 1)
	closedState := strings.Replace(strings.Replace(openedPR, `"action":"opened"`, `"action":"synchronize"`, 1), `"state":"open"`, `"state":"closed"`, 1)
	noInstallation := strings.Replace(openedPR, `"installation":{"id":9}`, `"sender":{}`, 1)
	tests := []struct {
		name         string
		platform     string
		event        string
		body         string
		wantAction   string
		wantInReason string
	}{
		{"github event not handled", "github", "star", `{"action":"created"}`, "", `event "star" is not handled`},
		{"github action not handled", "github", "pull_request", closedPR, "closed", `action "closed"`},
		{"github pull request closed", "github", "pull_request", closedState, "synchronize", "pull request is closed"},
		{"github no installation", "github", "pull_request", noInstallation, "opened", "no installation"},
		{"github tag push", "github", "push", `{"ref":"refs/tags/v1","before":"` + baseSHA + `","after":"` + headSHA + `","installation":{"id":9},"repository":{"id":42,"name":"widgets","owner":{"login":"acme"}}}`, "", "not to a branch"},
		{"gitlab merge request closed", "gitlab", "Merge Request Hook", `{"object_kind":"merge_request","object_attributes":{"action":"close","state":"closed"}}`, "close", `action "close"`},
		{"gitlab system hook", "gitlab", "System Hook", `{}`, "", "system hooks"},
		{"gitlab note without a command", "gitlab", "Note Hook", `{"object_kind":"note","object_attributes":{"noteable_type":"MergeRequest","note":"looks good"}}`, "", "no /shiftward command"},
	}
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo} {
		for _, tt := range tests {
			t.Run(level.String()+"/"+tt.name, func(t *testing.T) {
				q := &recordingQueue{}
				var logs syncBuffer
				e := echo.New()
				h := &webhook.Handler{Queue: q, Log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: level}))}
				h.Register(e, webhook.GitHub{Secrets: [][]byte{[]byte(secret)}}, webhook.GitLab{Secrets: [][]byte{[]byte(gitlabToken)}})
				var rec *httptest.ResponseRecorder
				if tt.platform == "github" {
					rec = post(e, tt.event, "d-ignored", sign([]byte(tt.body), secret), strings.NewReader(tt.body))
				} else {
					rec = postGitLab(e, tt.event, "d-ignored", tt.body)
				}
				if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"ignored"`) {
					t.Fatalf("status %d %s, want 202 ignored", rec.Code, rec.Body)
				}
				if len(q.jobs) != 0 {
					t.Errorf("queued %d jobs", len(q.jobs))
				}
				lines := logs.lines(t)
				if level > slog.LevelDebug {
					if len(lines) != 0 {
						t.Errorf("at %s, an ignored delivery logged %v, want nothing", level, lines)
					}
					return
				}
				if len(lines) != 1 {
					t.Fatalf("logged %d lines, want 1: %v", len(lines), lines)
				}
				l := lines[0]
				want := map[string]any{"level": "DEBUG", "msg": "webhook ignored", "platform": tt.platform,
					"event": tt.event, "delivery_id": "d-ignored", "action": tt.wantAction}
				for k, v := range want {
					if l[k] != v {
						t.Errorf("%s = %v, want %v (line %v)", k, l[k], v, l)
					}
				}
				if r, _ := l["reason"].(string); !strings.Contains(r, tt.wantInReason) {
					t.Errorf("reason %q, want it to say %q", r, tt.wantInReason)
				}
			})
		}
	}
}
