package webhook_test

import (
	"bytes"
	"net/http"
	"os"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// FuzzPrecheckParse drives both sources through the real handler with
// hostile headers and bodies (bounded to 64 KB): no panic, only the
// documented statuses, nothing queued without valid credentials, and a
// delivery with a wrong GitLab token refused with none of its body read.
func FuzzPrecheckParse(f *testing.F) {
	corpus := scannertest.Data(f)
	readCorpus := func(rel string) ([]byte, error) {
		return os.ReadFile(corpus.Path(rel))
	}
	for _, rel := range []string{"pull_request/opened.payload.json", "pull_request/synchronize.payload.json", "issue_comment/created.payload.json"} {
		if b, err := readCorpus("webhooks/github/payloads/" + rel); err == nil {
			f.Add(false, "pull_request", "application/json", true, "", b)
		}
	}
	for _, rel := range []string{"go-gitlab/merge_request.json", "go-gitlab/push.json", "go-gitlab/note_merge_request.json"} {
		if b, err := readCorpus("webhooks/gitlab/payloads/" + rel); err == nil {
			f.Add(true, "Merge Request Hook", "application/json", true, gitlabSecret, b)
		}
	}
	f.Add(false, "pull_request", "application/x-www-form-urlencoded", true, "", []byte("payload=%7B%22action%22%3A%22opened%22%7D&x=%"))
	f.Add(false, "check_suite", "application/json; charset=utf-8", false, "", []byte(`{"check_suite":{"pull_requests":[{}]}}`))
	f.Add(true, "Note Hook", "text/plain", false, "wrong", []byte(`{"object_kind":"note"}`))
	f.Fuzz(func(t *testing.T, gitlab bool, event, ctype string, authentic bool, token string, body []byte) {
		if len(body) > 64<<10 || len(event) > 512 || len(ctype) > 512 || len(token) > 512 {
			t.Skip()
		}
		q := &recordingQueue{}
		e, _, h := hostile(q)
		headers := map[string]string{"Content-Type": ctype}
		path := "/webhooks/github"
		if gitlab {
			path = "/webhooks/gitlab"
			headers["X-Gitlab-Event"] = event
			headers["X-Gitlab-Token"] = token
			if authentic {
				headers["X-Gitlab-Token"] = gitlabSecret
			}
		} else {
			headers["X-GitHub-Event"] = event
			headers["X-GitHub-Delivery"] = "fuzz"
			headers["X-Hub-Signature-256"] = "sha256=" + token
			if authentic {
				headers["X-Hub-Signature-256"] = sign(body, secret)
			}
		}
		req := request(path, nil, int64(len(body)), headers)
		counted := &counting{r: bytes.NewReader(body)}
		req.Body = readCloser{counted}
		rec := serve(e, req)
		switch rec.Code {
		case http.StatusOK, http.StatusAccepted, http.StatusBadRequest, http.StatusUnauthorized,
			http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		default:
			t.Fatalf("status %d (%s)", rec.Code, rec.Body)
		}
		credentialed := authentic && (!gitlab || headers["X-Gitlab-Token"] == gitlabSecret)
		if gitlab && token != gitlabSecret && !authentic {
			credentialed = false
			if rec.Code != http.StatusUnauthorized || counted.n.Load() != 0 {
				t.Fatalf("wrong GitLab token: status %d after reading %d bytes", rec.Code, counted.n.Load())
			}
		}
		if !credentialed && len(q.jobs) > 0 {
			t.Fatalf("queued %d jobs without valid credentials", len(q.jobs))
		}
		if got := h.Bodies.InUse(); got != 0 {
			t.Fatalf("budget in use after the request: %d", got)
		}
	})
}

type readCloser struct{ *counting }

func (readCloser) Close() error { return nil }
