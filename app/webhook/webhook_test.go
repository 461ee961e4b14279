package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/webhook"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// recordingQueue records what was enqueued and dedupes by delivery id, as
// the real queues do.
type recordingQueue struct {
	mu   sync.Mutex
	jobs []queue.Job
	seen map[string]bool
	err  error
}

func (q *recordingQueue) Enqueue(_ context.Context, j queue.Job) (queue.Enqueued, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return queue.Enqueued{}, q.err
	}
	if q.seen == nil {
		q.seen = map[string]bool{}
	}
	if q.seen[j.DeliveryID] {
		return queue.Enqueued{Duplicate: true}, nil
	}
	q.seen[j.DeliveryID] = true
	q.jobs = append(q.jobs, j)
	return queue.Enqueued{ID: j.DeliveryID}, nil
}

type outcomes struct {
	mu  sync.Mutex
	got []string
}

func (o *outcomes) Delivery(platform, event, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, platform+"/"+event+"/"+outcome)
}

const secret = "test-webhook-secret"

func sign(body []byte, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// corpusPayload reads a real GitHub delivery (see scannertest.Data).
func corpusPayload(t *testing.T, rel string) []byte {
	t.Helper()
	return scannertest.Data(t).Read(t, "webhooks", "github", "payloads", rel)
}

func setup(q webhook.Enqueuer) (*echo.Echo, *outcomes) {
	e := echo.New()
	o := &outcomes{}
	h := &webhook.Handler{Queue: q, Log: slog.New(slog.DiscardHandler), Observer: o}
	h.Register(e, webhook.GitHub{Secrets: [][]byte{[]byte(secret)}})
	return e, o
}

func post(e *echo.Echo, event, delivery, sig string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/github", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	if delivery != "" {
		req.Header.Set("X-GitHub-Delivery", delivery)
	}
	if sig != "" {
		req.Header.Set("X-Hub-Signature-256", sig)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestGitHubDeliveries(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	closed := corpusPayload(t, "pull_request/closed.payload.json")
	tests := []struct {
		name       string
		event      string
		delivery   string
		body       []byte
		sig        string
		wantStatus int
		wantJobs   int
		wantOut    string
	}{
		{"opened is queued", "pull_request", "d-1", opened, sign(opened, secret), http.StatusAccepted, 1, "github/pull_request/queued"},
		{"forged signature", "pull_request", "d-2", opened, sign(opened, "wrong"), http.StatusUnauthorized, 0, "github/unknown/unauthorized"},
		{"missing signature", "pull_request", "d-3", opened, "", http.StatusUnauthorized, 0, "github/unknown/unauthorized"},
		{"body altered after signing", "pull_request", "d-4", append([]byte(" "), opened...), sign(opened, secret), http.StatusUnauthorized, 0, "github/unknown/unauthorized"},
		{"closed is ignored", "pull_request", "d-5", closed, sign(closed, secret), http.StatusAccepted, 0, "github/pull_request/ignored"},
		{"unknown event is ignored", "star", "d-6", opened, sign(opened, secret), http.StatusAccepted, 0, "github/star/ignored"},
		{"malformed JSON", "pull_request", "d-7", []byte("{not json"), sign([]byte("{not json"), secret), http.StatusBadRequest, 0, "github/pull_request/invalid"},
		// Refused from the headers, before the body is read or verified.
		{"missing delivery id", "pull_request", "", opened, sign(opened, secret), http.StatusBadRequest, 0, "github/unknown/invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &recordingQueue{}
			e, o := setup(q)
			rec := post(e, tt.event, tt.delivery, tt.sig, bytes.NewReader(tt.body))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (%s)", rec.Code, tt.wantStatus, rec.Body)
			}
			if len(q.jobs) != tt.wantJobs {
				t.Errorf("queued %d jobs, want %d", len(q.jobs), tt.wantJobs)
			}
			if len(o.got) != 1 || o.got[0] != tt.wantOut {
				t.Errorf("outcomes = %v, want [%s]", o.got, tt.wantOut)
			}
		})
	}
}

func TestOpenedJobNamesThePullRequest(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	q := &recordingQueue{}
	e, _ := setup(q)
	if rec := post(e, "pull_request", "d-1", sign(opened, secret), bytes.NewReader(opened)); rec.Code != http.StatusAccepted {
		t.Fatalf("status %d", rec.Code)
	}
	j := q.jobs[0]
	c := j.Change
	if j.DeliveryID != "d-1" || j.Kind != platform.KindReview || c.Installation != 1 ||
		c.Repo.FullName() != "Codertocat/Hello-World" || c.Number != 2 ||
		c.HeadSHA != "ec26c3e57ca3a959ca5aad62de7213c562f8c821" || c.BaseSHA != "f95f852bd8fca8fcc58a9a2d6c842781e32a215e" {
		t.Errorf("job = %+v", j)
	}
}

func TestRedeliveryIsNotQueuedTwice(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	q := &recordingQueue{}
	e, o := setup(q)
	first := post(e, "pull_request", "same", sign(opened, secret), bytes.NewReader(opened))
	second := post(e, "pull_request", "same", sign(opened, secret), bytes.NewReader(opened))
	if first.Code != http.StatusAccepted || second.Code != http.StatusOK {
		t.Errorf("statuses = %d, %d; want 202, 200", first.Code, second.Code)
	}
	if len(q.jobs) != 1 {
		t.Errorf("queued %d jobs, want 1", len(q.jobs))
	}
	if o.got[1] != "github/pull_request/duplicate" {
		t.Errorf("second outcome = %s", o.got[1])
	}
}

func TestQueueDownIs503(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	q := &recordingQueue{err: errors.New("dial tcp: connection refused")}
	e, _ := setup(q)
	rec := post(e, "pull_request", "d-1", sign(opened, secret), bytes.NewReader(opened))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "connection refused") {
		t.Errorf("internal error leaked to the caller: %s", rec.Body)
	}
}

// A body without Content-Length (chunked) is read until it passes MaxBody,
// then refused.
func TestOversizedChunkedBodyIs413(t *testing.T) {
	q := &recordingQueue{}
	e, o := setup(q)
	big := io.LimitReader(neverEnding('a'), webhook.MaxBody+1)
	rec := post(e, "pull_request", "d-1", "sha256="+strings.Repeat("00", 32), big)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", rec.Code)
	}
	if len(q.jobs) != 0 || o.got[0] != "github/unknown/too_large" {
		t.Errorf("jobs %d, outcomes %v", len(q.jobs), o.got)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func TestFormEncodedDelivery(t *testing.T) {
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	form := []byte(url.Values{"payload": {string(opened)}}.Encode())
	q := &recordingQueue{}
	e, _ := setup(q)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/github", bytes.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", "form-1")
	req.Header.Set("X-Hub-Signature-256", sign(form, secret))
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted || len(q.jobs) != 1 || q.jobs[0].Change.Number != 2 {
		t.Errorf("status %d, jobs %+v", rec.Code, q.jobs)
	}
}
