package fakehost_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform/fakehost"
)

func TestRecorder(t *testing.T) {
	var mu sync.Mutex
	rec := fakehost.NewRecorder(&mu)
	applied := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := fakehost.Call{Method: r.Method, Route: r.Method + " " + r.URL.Path, Path: r.URL.Path}
		rec.Serve(w, r, call, "text/plain", func() (int, http.Header, []byte) {
			applied++
			return http.StatusOK, nil, []byte("real")
		})
	}))
	defer srv.Close()

	rec.Inject("GET /a", 1, fakehost.Fault{Status: http.StatusBadGateway, Body: "injected"})
	// A POST, so that net/http does not resend it when the connection
	// closes unanswered.
	rec.DropNext("POST /b", 1)
	do := func(method, path string) (int, string, error) {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}

	if st, body, _ := do(http.MethodGet, "/a"); st != http.StatusBadGateway || body != "injected" {
		t.Errorf("faulted call = %d %q, want 502 injected", st, body)
	}
	if st, body, _ := do(http.MethodGet, "/a"); st != http.StatusOK || body != "real" {
		t.Errorf("second call = %d %q, want the real answer once the fault is used", st, body)
	}
	if _, _, err := do(http.MethodPost, "/b"); err == nil {
		t.Error("dropped call got an answer, want the connection closed")
	}
	mu.Lock()
	gotApplied := applied
	mu.Unlock()
	if gotApplied != 2 {
		t.Errorf("handler applied %d requests, want 2 (the faulted one is not applied, the dropped one is)", gotApplied)
	}
	type seen struct {
		Route   string
		Status  int
		Dropped bool
	}
	var got []seen
	for _, c := range rec.Calls() {
		got = append(got, seen{c.Route, c.Status, c.Dropped})
	}
	want := []seen{{"GET /a", 502, false}, {"GET /a", 200, false}, {"POST /b", 200, true}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
	if n := len(rec.CallsTo("GET /a")); n != 2 {
		t.Errorf("CallsTo(GET /a) = %d calls, want 2", n)
	}
}
