// Package fakehost is the fault injection and call recording that the fake
// code hosts (githubtest, gitlabtest) share: a test makes the next request
// to a route fail, hang or lose its answer, and reads back every request the
// fake received. It is test support; production code never imports it.
package fakehost

import (
	"net/http"
	"slices"
	"sync"
)

// Call is one request a fake received.
type Call struct {
	Method string
	// Route is the template ("POST /repos/{owner}/{repo}/check-runs").
	Route string
	Path  string
	Query string
	Body  []byte
	// Status is what the fake answered (or would have, when Dropped).
	Status int
	// Dropped means the request was applied but its response lost.
	Dropped bool
}

// Fault replaces the answer to one request.
type Fault struct {
	// Status and Body are sent instead of the real answer, which is not
	// applied. Header is added.
	Status int
	Header http.Header
	Body   string
	// Drop applies the request, then closes the connection without an
	// answer: a response lost on the way back.
	Drop bool
	// Hold, when set, parks the request until Hold is closed (then it is
	// answered normally) or the client goes away (then nothing is applied):
	// a call a worker is stuck in when it crashes.
	Hold <-chan struct{}
}

// Recorder queues faults by route and records calls. It shares the fake's
// mutex, so a fake's handler sees its state and the call log change
// together.
type Recorder struct {
	mu     sync.Locker
	faults map[string][]Fault
	calls  []Call
}

// NewRecorder returns a Recorder guarded by mu, the fake's own mutex.
func NewRecorder(mu sync.Locker) *Recorder {
	return &Recorder{mu: mu, faults: map[string][]Fault{}}
}

// Inject makes the next n requests to route get f.
func (r *Recorder) Inject(route string, n int, f Fault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range n {
		r.faults[route] = append(r.faults[route], f)
	}
}

// HoldNext parks the next request to route until hold is closed.
func (r *Recorder) HoldNext(route string, hold <-chan struct{}) {
	r.Inject(route, 1, Fault{Hold: hold})
}

// DropNext applies the next n requests to route but loses their responses.
func (r *Recorder) DropNext(route string, n int) { r.Inject(route, n, Fault{Drop: true}) }

// Calls returns every request received so far.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// CallsTo returns the requests received on route.
func (r *Recorder) CallsTo(route string) []Call {
	var out []Call
	for _, c := range r.Calls() {
		if c.Route == route {
			out = append(out, c)
		}
	}
	return out
}

// Serve answers one request described by call (its Status and Dropped are
// filled here): with the next fault queued for call.Route, or else with
// handle, which runs with the mutex held. A dropped call is applied and its
// connection closed without an answer. contentType is set when the answer
// names none.
func (r *Recorder) Serve(w http.ResponseWriter, req *http.Request, call Call, contentType string, handle func() (status int, header http.Header, body []byte)) {
	r.mu.Lock()
	var fault *Fault
	if q := r.faults[call.Route]; len(q) > 0 {
		fault = &q[0]
		r.faults[call.Route] = q[1:]
	}
	if fault != nil && fault.Hold != nil {
		r.mu.Unlock()
		select {
		case <-fault.Hold:
		case <-req.Context().Done():
			return
		}
		r.mu.Lock()
		fault = nil
	}
	var (
		status int
		header http.Header
		body   []byte
	)
	if fault != nil && !fault.Drop {
		status, header, body = fault.Status, fault.Header.Clone(), []byte(fault.Body)
	} else {
		status, header, body = handle()
	}
	call.Status = status
	call.Dropped = fault != nil && fault.Drop
	r.calls = append(r.calls, call)
	r.mu.Unlock()

	if call.Dropped {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without an answer
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	w.Write(body)
}
