// Package osvtest is a fake OSV API for tests: an httptest server that
// implements POST /v1/querybatch (with next_page_token paging) and GET
// /v1/vulns/{id} over real OSV records (by default the corpus's
// osv/advisories: the full corpus or the sample in testdata/, see
// scannertest.Data), counts requests, and can be told to fail or stall.
package osvtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/osv"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// Server is the fake. Its URL is the API base to give osv.Options.URL.
type Server struct {
	*httptest.Server
	// Index holds the records served.
	Index *osv.Index

	batches atomic.Int64 // querybatch requests
	gets    atomic.Int64 // vulns requests
	queries atomic.Int64 // queries inside querybatch requests

	done     chan struct{}
	stopOnce sync.Once

	mu       sync.Mutex
	failNext int
	status   int
	delay    time.Duration
	pageSize int
}

// New serves the records below dirs (default: the corpus's
// osv/advisories) and closes the server when the test ends.
func New(tb testing.TB, dirs ...string) *Server {
	tb.Helper()
	if len(dirs) == 0 {
		dirs = []string{scannertest.Data(tb).Path("osv", "advisories")}
	}
	idx, err := osv.Offline(dirs[0])
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range dirs[1:] {
		more, err := osv.Offline(d)
		if err != nil {
			tb.Fatal(err)
		}
		idx = idx.Merge(more)
	}
	s := &Server{Index: idx}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/querybatch", s.querybatch)
	mux.HandleFunc("GET /v1/vulns/{id}", s.vuln)
	s.done = make(chan struct{})
	s.Server = httptest.NewServer(s.wrap(mux))
	tb.Cleanup(s.Close)
	tb.Cleanup(func() { s.stopOnce.Do(func() { close(s.done) }) }) // runs first: stalled handlers return
	return s
}

// Close stops the server, first releasing stalled requests.
func (s *Server) Close() {
	s.stopOnce.Do(func() { close(s.done) })
	s.Server.Close()
}

// FailNext makes the next n requests answer status (e.g. 503, 429).
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext, s.status = n, status
}

// FailAll makes every request answer status until FailNext(0, 0).
func (s *Server) FailAll(status int) { s.FailNext(1<<30, status) }

// SetDelay stalls every request by d (to test timeouts).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetPageSize makes querybatch return at most n ids per query per page,
// with a next_page_token for the rest (0: no paging).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// Batches is the number of querybatch requests served (including failed
// ones).
func (s *Server) Batches() int64 { return s.batches.Load() }

// Gets is the number of GET /v1/vulns requests served.
func (s *Server) Gets() int64 { return s.gets.Load() }

// Queries is the number of package queries received in querybatch bodies.
func (s *Server) Queries() int64 { return s.queries.Load() }

// Requests is every request served.
func (s *Server) Requests() int64 { return s.batches.Load() + s.gets.Load() }

// ResetCounts zeroes the counters.
func (s *Server) ResetCounts() {
	s.batches.Store(0)
	s.gets.Store(0)
	s.queries.Store(0)
}

func (s *Server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/querybatch" {
			s.batches.Add(1)
		} else if strings.HasPrefix(r.URL.Path, "/v1/vulns/") {
			s.gets.Add(1)
		}
		s.mu.Lock()
		delay := s.delay
		fail := 0
		if s.failNext > 0 {
			s.failNext--
			fail = s.status
		}
		s.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			case <-s.done:
				http.Error(w, "server closing", http.StatusServiceUnavailable)
				return
			}
		}
		if fail != 0 {
			http.Error(w, http.StatusText(fail), fail)
			return
		}
		h.ServeHTTP(w, r)
	})
}

type query struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
		Purl      string `json:"purl"`
	} `json:"package"`
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	PageToken string `json:"page_token"`
}

type vulnRef struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

type result struct {
	Vulns         []vulnRef `json:"vulns,omitempty"`
	NextPageToken string    `json:"next_page_token,omitempty"`
}

// querybatch answers as api.osv.dev does: per query the ids and modified
// times of matching records, at most 1000 queries per request.
func (s *Server) querybatch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Queries []query `json:"queries"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<20)).Decode(&req); err != nil {
		http.Error(w, `{"code":3,"message":"invalid JSON"}`, http.StatusBadRequest)
		return
	}
	if len(req.Queries) > 1000 {
		http.Error(w, `{"code":3,"message":"Too many queries."}`, http.StatusBadRequest)
		return
	}
	s.queries.Add(int64(len(req.Queries)))
	s.mu.Lock()
	page := s.pageSize
	s.mu.Unlock()
	resp := struct {
		Results []result `json:"results"`
	}{Results: make([]result, len(req.Queries))}
	for i, q := range req.Queries {
		if q.Package.Name == "" || q.Package.Ecosystem == "" || q.Version == "" {
			http.Error(w, `{"code":3,"message":"package name, ecosystem and version are required"}`, http.StatusBadRequest)
			return
		}
		all := s.Index.Match(deps.Package{Ecosystem: q.Package.Ecosystem, Name: q.Package.Name, Version: q.Version})
		from := 0
		if q.PageToken != "" {
			n, err := strconv.Atoi(q.PageToken)
			if err != nil || n < 0 || n > len(all) {
				http.Error(w, `{"code":3,"message":"invalid page token"}`, http.StatusBadRequest)
				return
			}
			from = n
		}
		to := len(all)
		if page > 0 && to-from > page {
			to = from + page
			resp.Results[i].NextPageToken = strconv.Itoa(to)
		}
		for _, v := range all[from:to] {
			resp.Results[i].Vulns = append(resp.Results[i].Vulns, vulnRef{ID: v.ID, Modified: v.Modified})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (s *Server) vuln(w http.ResponseWriter, r *http.Request) {
	v, ok := s.Index.Vuln(r.PathValue("id"))
	if !ok {
		http.Error(w, `{"code":5,"message":"Bug not found."}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
