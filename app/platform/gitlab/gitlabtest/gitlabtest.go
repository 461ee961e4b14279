// Package gitlabtest is an in-process fake of the part of GitLab's REST API
// (v4) shiftward uses, for tests at the HTTP boundary. It answers with
// GitLab's payload shapes and pagination headers, checks the access token
// (PRIVATE-TOKEN or Bearer), validates discussion positions against the
// merge request's latest diff version the way GitLab does (400 for a line
// outside the diff or stale shas), applies GitLab's commit status
// transitions (400 on a same-state transition), records every call and the
// resulting state, and can be told to fail, rate-limit, hold, or lose the
// response of the next calls to a route.
package gitlabtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform/fakehost"
	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
)

// Route names, re-exported for fault injection and call assertions.
const (
	RouteCurrentUser      = route.CurrentUser
	RouteListVersions     = route.ListVersions
	RouteListDiffs        = route.ListDiffs
	RouteRawFile          = route.RawFile
	RouteListTree         = route.ListTree
	RouteCompare          = route.Compare
	RouteListDiscussions  = route.ListDiscussions
	RouteCreateDiscussion = route.CreateDiscussion
	RouteResolveThread    = route.ResolveThread
	RouteUpdateThreadNote = route.UpdateThreadNote
	RouteCreateNote       = route.CreateNote
	RouteUpdateNote       = route.UpdateNote
	RouteSetStatus        = route.SetStatus
	RouteListProjects     = route.ListProjects
	RouteGetProject       = route.GetProject
	RouteListMRs          = route.ListMRs
	RouteListStatuses     = route.ListStatuses
	RouteListHooks        = route.ListHooks
)

// Project is a seeded project.
type Project struct {
	ID int64
	// PathWithNamespace is "group/sub/project".
	PathWithNamespace string
	DefaultBranch     string
}

// Diff is one file of a diff version or comparison, as GitLab lists it.
type Diff struct {
	OldPath, NewPath string
	// Diff is the hunks-only diff; empty with TooLarge, Collapsed or
	// GeneratedFile means GitLab left it out.
	Diff                               string
	NewFile, RenamedFile, DeletedFile  bool
	TooLarge, Collapsed, GeneratedFile bool
	AMode, BMode                       string
}

// Version is one diff version of a merge request (one per push).
type Version struct {
	ID                         int64
	BaseSHA, StartSHA, HeadSHA string
	Diffs                      []Diff
	// RealSize is GitLab's file count ("3", or "1000+" past its limits);
	// empty means the number of Diffs.
	RealSize string
}

// MergeRequest is a seeded merge request; its last version is the latest.
type MergeRequest struct {
	IID                        int
	SourceBranch, TargetBranch string
	Versions                   []Version
	// State is "opened" when empty ("closed", "merged").
	State string
	// UpdatedAt is the merge request's last activity.
	UpdatedAt time.Time

	projectID int64
}

// Position is a diff note's position.
type Position struct {
	PositionType string `json:"position_type"`
	BaseSHA      string `json:"base_sha"`
	StartSHA     string `json:"start_sha"`
	HeadSHA      string `json:"head_sha"`
	OldPath      string `json:"old_path"`
	NewPath      string `json:"new_path"`
	OldLine      int    `json:"old_line,omitempty"`
	NewLine      int    `json:"new_line,omitempty"`
}

// Note is one note of a discussion.
type Note struct {
	ID             int64
	Body           string
	AuthorID       int64
	AuthorUsername string
	System         bool
	Resolvable     bool
	Resolved       bool
	Position       *Position
}

// Discussion is a thread on a merge request; a plain MR note is a
// discussion with IndividualNote set.
type Discussion struct {
	ID             string
	IndividualNote bool
	Notes          []Note
}

// Status is one commit status as set through the API.
type Status struct {
	ID                            int64
	SHA, Ref, Name                string
	State, Description, TargetURL string
	// CreatedAt is when the status was first set.
	CreatedAt time.Time
}

// Call is one request the fake received.
type Call = fakehost.Call

// Fault replaces the answer to one request.
type Fault = fakehost.Fault

// Server is the fake GitLab. Its URL (no /api/v4) goes in the adapter's
// base URL.
type Server struct {
	URL         string
	Token       string
	BotID       int64
	BotUsername string

	srv *httptest.Server
	// Recorder injects faults and records calls (Inject, HoldNext,
	// DropNext, Calls, CallsTo); it shares mu.
	*fakehost.Recorder

	mu          sync.Mutex
	projects    map[int64]*Project
	mrs         map[string]*MergeRequest
	contents    map[string][]byte
	trees       map[string][]TreeEntry
	compares    map[string]compare
	discussions map[string][]*Discussion
	statuses    map[string][]*Status
	hooks       map[int64][]Hook
	nextID      int64
	conv        conversation
}

type compare struct {
	diffs   []Diff
	timeout bool
}

// New starts a fake GitLab that accepts token. It is closed when the test ends.
func New(t testing.TB, token string) *Server {
	t.Helper()
	s := &Server{
		Token:       token,
		BotID:       4242,
		BotUsername: "shiftward-bot",
		projects:    map[int64]*Project{},
		mrs:         map[string]*MergeRequest{},
		contents:    map[string][]byte{},
		trees:       map[string][]TreeEntry{},
		compares:    map[string]compare{},
		discussions: map[string][]*Discussion{},
		statuses:    map[string][]*Status{},
		hooks:       map[int64][]Hook{},
		nextID:      1000,
	}
	s.Recorder = fakehost.NewRecorder(&s.mu)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

func mrKey(pid int64, iid int) string { return fmt.Sprintf("%d!%d", pid, iid) }

// AddProject seeds a project.
func (s *Server) AddProject(p Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := p
	s.projects[p.ID] = &c
}

// AddMR seeds a merge request of a seeded project. Versions without an ID
// get one.
func (s *Server) AddMR(projectID int64, mr MergeRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := mr
	c.Versions = nil
	c.projectID = projectID
	s.mrs[mrKey(projectID, mr.IID)] = &c
	for _, v := range mr.Versions {
		s.addVersionLocked(&c, v)
	}
}

// AddVersion adds a newer diff version to a merge request (a push to it).
func (s *Server) AddVersion(projectID int64, iid int, v Version) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if mr := s.mrs[mrKey(projectID, iid)]; mr != nil {
		s.addVersionLocked(mr, v)
	}
}

func (s *Server) addVersionLocked(mr *MergeRequest, v Version) {
	if v.ID == 0 {
		s.nextID++
		v.ID = s.nextID
	}
	v.Diffs = slices.Clone(v.Diffs)
	mr.Versions = append(mr.Versions, v)
}

// SetContent seeds a file's content at a commit (or branch name).
func (s *Server) SetContent(projectID int64, ref, path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contents[fmt.Sprintf("%d@%s:%s", projectID, ref, path)] = slices.Clone(content)
}

// TreeEntry is one entry of a repository tree beyond the files seeded with
// SetContent: a submodule (Type "commit", Mode "160000") or a symbolic
// link (Type "blob", Mode "120000").
type TreeEntry struct {
	Path, Type, Mode string
}

// AddTreeEntry seeds a tree entry at a commit (or branch name).
func (s *Server) AddTreeEntry(projectID int64, ref string, e TreeEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := fmt.Sprintf("%d@%s", projectID, ref)
	s.trees[k] = append(s.trees[k], e)
}

// SetCompare seeds the comparison from..to; timeout sets compare_timeout.
func (s *Server) SetCompare(projectID int64, from, to string, diffs []Diff, timeout bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compares[fmt.Sprintf("%d@%s..%s", projectID, from, to)] = compare{diffs: slices.Clone(diffs), timeout: timeout}
}

// AddDiscussion seeds a thread (a human's, or an earlier run's) and returns
// its id. Notes without an id get one.
func (s *Server) AddDiscussion(projectID int64, iid int, d Discussion) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := d
	c.Notes = slices.Clone(d.Notes)
	if c.ID == "" {
		c.ID = s.newDiscussionID()
	}
	for i := range c.Notes {
		if c.Notes[i].ID == 0 {
			s.nextID++
			c.Notes[i].ID = s.nextID
		}
	}
	k := mrKey(projectID, iid)
	s.discussions[k] = append(s.discussions[k], &c)
	return c.ID
}

func (s *Server) newDiscussionID() string {
	s.nextID++
	return fmt.Sprintf("%040x", s.nextID)
}

// FailNext makes the next n requests to route answer status with a GitLab
// error body, without applying them.
func (s *Server) FailNext(route string, n, status int) {
	s.Inject(route, n, Fault{Status: status, Body: errorBody(fmt.Sprintf("%d %s", status, http.StatusText(status)))})
}

// RateLimitNext makes the next request to route answer 429 with
// Retry-After, as GitLab's rate limiter does.
func (s *Server) RateLimitNext(route string, retryAfter time.Duration) {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	h.Set("RateLimit-Reset", strconv.FormatInt(time.Now().Add(retryAfter).Unix(), 10))
	s.Inject(route, 1, Fault{Status: http.StatusTooManyRequests, Header: h, Body: "Retry later\n"})
}

// Discussions returns copies of a merge request's discussions, plain notes
// included (as individual-note discussions), in creation order.
func (s *Server) Discussions(projectID int64, iid int) []Discussion {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Discussion
	for _, d := range s.discussions[mrKey(projectID, iid)] {
		c := *d
		c.Notes = slices.Clone(d.Notes)
		out = append(out, c)
	}
	return out
}

// Statuses returns every commit status set on sha, oldest first; GitLab
// shows the newest of each name.
func (s *Server) Statuses(projectID int64, sha string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, st := range s.statuses[fmt.Sprintf("%d@%s", projectID, sha)] {
		out = append(out, *st)
	}
	return out
}

// request is what a handler sees.
type request struct {
	r       *http.Request
	params  map[string]string
	body    []byte
	project *Project
}

// response is what a handler answers.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	path := r.URL.EscapedPath()
	name, params := route.Other, map[string]string(nil)
	if strings.HasPrefix(path, route.APIPrefix+"/") {
		name, params = route.Match(r.Method, path)
	}

	call := Call{Method: r.Method, Route: name, Path: path, Query: r.URL.RawQuery, Body: body}
	s.Serve(w, r, call, "application/json", func() (int, http.Header, []byte) {
		resp := s.handle(name, &request{r: r, params: params, body: body})
		return resp.status, resp.header, resp.body
	})
}

func (s *Server) authorized(r *http.Request) bool {
	tok := r.Header.Get("PRIVATE-TOKEN")
	if tok == "" {
		tok, _ = strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	return tok != "" && tok == s.Token
}

// handle answers one request; s.mu is held.
func (s *Server) handle(name string, q *request) response {
	if !s.authorized(q.r) {
		return jsonError(http.StatusUnauthorized, "401 Unauthorized")
	}
	switch name {
	case route.Other:
		return jsonError(http.StatusNotFound, "404 Not Found")
	case route.ListProjects:
		return s.listProjects(q)
	case route.CurrentUser:
		return jsonResponse(http.StatusOK, map[string]any{
			"id": s.BotID, "username": s.BotUsername, "name": "shiftward", "state": "active", "bot": true,
			"web_url": s.URL + "/" + s.BotUsername,
		})
	}
	q.project = s.findProject(q.params["id"])
	if q.project == nil {
		return jsonError(http.StatusNotFound, "404 Project Not Found")
	}
	if resp, ok := s.handleSweep(name, q); ok {
		return resp
	}
	switch name {
	case route.RawFile:
		return s.rawFile(q)
	case route.ListTree:
		return s.listTree(q)
	case route.Compare:
		return s.compare(q)
	case route.SetStatus:
		return s.setStatus(q)
	}
	if resp, ok := s.handleProjectConversation(name, q); ok {
		return resp
	}
	iid, err := strconv.Atoi(q.params["merge_request_iid"])
	mr := s.mrs[mrKey(q.project.ID, iid)]
	if err != nil || mr == nil {
		return jsonError(http.StatusNotFound, "404 Not found")
	}
	if resp, ok := s.handleMRConversation(name, q, mr); ok {
		return resp
	}
	switch name {
	case route.ListVersions:
		return s.listVersions(q, mr)
	case route.ListDiffs:
		return s.listDiffs(q, mr)
	case route.ListDiscussions:
		return s.listDiscussions(q, mr)
	case route.CreateDiscussion:
		return s.createDiscussion(q, mr)
	case route.ResolveThread:
		return s.resolveThread(q, mr)
	case route.UpdateThreadNote:
		return s.updateThreadNote(q, mr)
	case route.CreateNote:
		return s.createNote(q, mr)
	case route.UpdateNote:
		return s.updateNote(q, mr)
	}
	return jsonError(http.StatusNotFound, "404 Not Found")
}

// findProject takes a numeric id or a url-decoded full path.
func (s *Server) findProject(id string) *Project {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return s.projects[n]
	}
	for _, p := range s.projects {
		if p.PathWithNamespace == id {
			return p
		}
	}
	return nil
}

// paginate slices items as GitLab's offset pagination does (page from 1,
// per_page default 20, at most 100) and sets its headers.
func paginate[T any](q *request, items []T) ([]T, http.Header) {
	v := q.r.URL.Query()
	page, _ := strconv.Atoi(v.Get("page"))
	page = max(page, 1)
	per, _ := strconv.Atoi(v.Get("per_page"))
	if per <= 0 {
		per = 20
	}
	per = min(per, 100)
	total := len(items)
	pages := max((total+per-1)/per, 1)
	lo := min((page-1)*per, total)
	hi := min(lo+per, total)
	h := http.Header{}
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(per))
	h.Set("X-Total", strconv.Itoa(total))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Prev-Page", "")
	if page > 1 {
		h.Set("X-Prev-Page", strconv.Itoa(page-1))
	}
	h.Set("X-Next-Page", "")
	link := func(p int, rel string) string {
		u := *q.r.URL
		u.Scheme, u.Host = "http", q.r.Host
		vv := u.Query()
		vv.Set("page", strconv.Itoa(p))
		vv.Set("per_page", strconv.Itoa(per))
		u.RawQuery = vv.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < pages {
		h.Set("X-Next-Page", strconv.Itoa(page+1))
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(1, "first"), link(pages, "last"))
	h.Set("Link", strings.Join(links, ", "))
	return items[lo:hi], h
}

func (s *Server) listVersions(q *request, mr *MergeRequest) response {
	out := make([]map[string]any, 0, len(mr.Versions))
	for i := len(mr.Versions) - 1; i >= 0; i-- {
		v := mr.Versions[i]
		state := "collected"
		if v.RealSize == "" {
			v.RealSize = strconv.Itoa(len(v.Diffs))
		}
		if strings.HasSuffix(v.RealSize, "+") {
			state = "overflow"
		}
		out = append(out, map[string]any{
			"id": v.ID, "head_commit_sha": v.HeadSHA, "base_commit_sha": v.BaseSHA, "start_commit_sha": v.StartSHA,
			"created_at": "2024-01-01T00:00:00.000Z", "merge_request_id": mr.IID + 100, "state": state, "real_size": v.RealSize,
			"patch_id_sha": nil,
		})
	}
	page, h := paginate(q, out)
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

func diffJSON(d Diff) map[string]any {
	a, b := d.AMode, d.BMode
	if a == "" {
		a = "100644"
		if d.NewFile {
			a = "0"
		}
	}
	if b == "" {
		b = "100644"
		if d.DeletedFile {
			b = "0"
		}
	}
	old, nw := d.OldPath, d.NewPath
	if old == "" {
		old = nw
	}
	if nw == "" {
		nw = old
	}
	return map[string]any{
		"old_path": old, "new_path": nw, "a_mode": a, "b_mode": b, "diff": d.Diff,
		"new_file": d.NewFile, "renamed_file": d.RenamedFile, "deleted_file": d.DeletedFile,
		"generated_file": d.GeneratedFile, "collapsed": d.Collapsed, "too_large": d.TooLarge,
	}
}

// listDiffs serves GET .../merge_requests/:iid/diffs (GitLab 15.7+): the
// latest version's files, paginated.
func (s *Server) listDiffs(q *request, mr *MergeRequest) response {
	var out []map[string]any
	if n := len(mr.Versions); n > 0 {
		for _, d := range mr.Versions[n-1].Diffs {
			out = append(out, diffJSON(d))
		}
	}
	page, h := paginate(q, out)
	if page == nil {
		page = []map[string]any{}
	}
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

func (s *Server) rawFile(q *request) response {
	ref := q.r.URL.Query().Get("ref")
	if ref == "" {
		ref = q.project.DefaultBranch
	}
	b, ok := s.contents[fmt.Sprintf("%d@%s:%s", q.project.ID, ref, q.params["file_path"])]
	if !ok {
		return jsonError(http.StatusNotFound, "404 File Not Found")
	}
	h := http.Header{}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Gitlab-File-Path", q.params["file_path"])
	h.Set("X-Gitlab-Ref", ref)
	h.Set("X-Gitlab-Size", strconv.Itoa(len(b)))
	return response{status: http.StatusOK, header: h, body: slices.Clone(b)}
}

// listTree answers GET /projects/:id/repository/tree for one directory
// (path, "" for the root) at ref: its entries as GitLab lists them (trees
// first, then blobs and submodules, each by name), paginated, from the
// files seeded at ref and the tree entries seeded there. A directory with
// nothing in it is "404 Tree Not Found".
func (s *Server) listTree(q *request) response {
	v := q.r.URL.Query()
	ref := v.Get("ref")
	if ref == "" {
		ref = q.project.DefaultBranch
	}
	key := fmt.Sprintf("%d@%s", q.project.ID, ref)
	prefix := strings.Trim(v.Get("path"), "/")
	if prefix != "" {
		prefix += "/"
	}
	byName := map[string]TreeEntry{}
	add := func(e TreeEntry) {
		rest, ok := strings.CutPrefix(e.Path, prefix)
		if !ok || rest == "" {
			return
		}
		if name, _, sub := strings.Cut(rest, "/"); sub {
			byName[name] = TreeEntry{Path: prefix + name, Type: "tree", Mode: "040000"}
			return
		}
		byName[rest] = e
	}
	for k := range s.contents {
		if p, ok := strings.CutPrefix(k, key+":"); ok {
			add(TreeEntry{Path: p, Type: "blob", Mode: "100644"})
		}
	}
	for _, e := range s.trees[key] {
		add(e)
	}
	if len(byName) == 0 {
		return jsonError(http.StatusNotFound, "404 Tree Not Found")
	}
	names := slices.Collect(maps.Keys(byName))
	slices.SortFunc(names, func(a, b string) int {
		if ta, tb := byName[a].Type == "tree", byName[b].Type == "tree"; ta != tb {
			if ta {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	out := make([]map[string]any, 0, len(names))
	for _, n := range names {
		e := byName[n]
		out = append(out, map[string]any{"id": fmt.Sprintf("%040x", len(e.Path)), "name": n, "type": e.Type, "path": e.Path, "mode": e.Mode})
	}
	page, h := paginate(q, out)
	resp := jsonResponse(http.StatusOK, page)
	resp.header = h
	return resp
}

func (s *Server) compare(q *request) response {
	v := q.r.URL.Query()
	from, to := v.Get("from"), v.Get("to")
	if from == "" || to == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - from, to are missing")
	}
	c, ok := s.compares[fmt.Sprintf("%d@%s..%s", q.project.ID, from, to)]
	if !ok {
		return jsonError(http.StatusNotFound, "404 Ref Not Found")
	}
	diffs := make([]map[string]any, 0, len(c.diffs))
	for _, d := range c.diffs {
		diffs = append(diffs, diffJSON(d))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"commit":           map[string]any{"id": to, "short_id": to[:min(8, len(to))]},
		"commits":          []any{},
		"diffs":            diffs,
		"compare_timeout":  c.timeout,
		"compare_same_ref": from == to,
		"web_url":          s.URL + "/" + q.project.PathWithNamespace + "/-/compare/" + from + "..." + to,
	})
}

func (s *Server) noteJSON(n *Note, d *Discussion, mr *MergeRequest) map[string]any {
	m := map[string]any{
		"id": n.ID, "body": n.Body, "system": n.System, "resolvable": n.Resolvable, "resolved": n.Resolved,
		"author":        map[string]any{"id": n.AuthorID, "username": n.AuthorUsername, "name": n.AuthorUsername, "state": "active"},
		"created_at":    "2024-01-01T00:00:00.000Z",
		"updated_at":    "2024-01-01T00:00:00.000Z",
		"noteable_type": "MergeRequest", "noteable_iid": mr.IID, "noteable_id": mr.IID + 100, "project_id": mr.projectID,
		"type": nil, "attachment": nil, "confidential": false, "internal": false,
	}
	if !d.IndividualNote {
		m["type"] = "DiscussionNote"
	}
	if n.Position != nil {
		m["type"] = "DiffNote"
		p := map[string]any{
			"base_sha": n.Position.BaseSHA, "start_sha": n.Position.StartSHA, "head_sha": n.Position.HeadSHA,
			"old_path": n.Position.OldPath, "new_path": n.Position.NewPath, "position_type": n.Position.PositionType,
			"old_line": nil, "new_line": nil,
		}
		if n.Position.OldLine > 0 {
			p["old_line"] = n.Position.OldLine
		}
		if n.Position.NewLine > 0 {
			p["new_line"] = n.Position.NewLine
		}
		m["position"] = p
	}
	return m
}

func (s *Server) discussionJSON(d *Discussion, mr *MergeRequest) map[string]any {
	notes := make([]map[string]any, 0, len(d.Notes))
	for i := range d.Notes {
		notes = append(notes, s.noteJSON(&d.Notes[i], d, mr))
	}
	return map[string]any{"id": d.ID, "individual_note": d.IndividualNote, "notes": notes}
}

func (s *Server) listDiscussions(q *request, mr *MergeRequest) response {
	ds := s.discussions[mrKey(q.project.ID, mr.IID)]
	out := make([]map[string]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, s.discussionJSON(d, mr))
	}
	page, h := paginate(q, out)
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

// positionError is GitLab's answer to a diff note it cannot place.
const positionError = `400 Bad request - Note {:line_code=>["can't be blank", "must be a valid line code"]}`

// createDiscussion validates the position as GitLab does: a text position
// on the latest diff version (its three shas), a file of that diff, and a
// line of it: new_line alone for an added line, old_line and new_line for
// an unchanged one, old_line alone for a removed one.
func (s *Server) createDiscussion(q *request, mr *MergeRequest) response {
	var in struct {
		Body     string    `json:"body"`
		Position *Position `json:"position"`
	}
	if err := decodeBody(q, &in); err != nil || strings.TrimSpace(in.Body) == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - body is missing")
	}
	if p := in.Position; p != nil {
		if msg := s.validatePosition(mr, p); msg != "" {
			return jsonError(http.StatusBadRequest, msg)
		}
	}
	d := &Discussion{ID: s.newDiscussionID()}
	s.nextID++
	d.Notes = []Note{{ID: s.nextID, Body: in.Body, AuthorID: s.BotID, AuthorUsername: s.BotUsername, Resolvable: true, Position: in.Position}}
	k := mrKey(q.project.ID, mr.IID)
	s.discussions[k] = append(s.discussions[k], d)
	return jsonResponse(http.StatusCreated, s.discussionJSON(d, mr))
}

func (s *Server) validatePosition(mr *MergeRequest, p *Position) string {
	if p.PositionType != "text" {
		return `400 Bad request - position_type does not have a valid value`
	}
	if len(mr.Versions) == 0 {
		return positionError
	}
	v := mr.Versions[len(mr.Versions)-1]
	if p.BaseSHA != v.BaseSHA || p.StartSHA != v.StartSHA || p.HeadSHA != v.HeadSHA {
		return `400 Bad request - Note {:validate_position=>["The position does not match the merge request's latest diff"]}`
	}
	if p.NewPath == "" || p.OldPath == "" {
		return `400 Bad request - Note {:position=>["is incomplete"]}`
	}
	for _, d := range v.Diffs {
		old, nw := d.OldPath, d.NewPath
		if old == "" {
			old = nw
		}
		if nw == "" {
			nw = old
		}
		if nw != p.NewPath || old != p.OldPath {
			continue
		}
		if lineIn(d.Diff, p.OldLine, p.NewLine) {
			return ""
		}
		return positionError
	}
	return positionError
}

// lineIn walks a hunks-only diff and reports whether (old, new) names one of
// its lines the way GitLab's line codes do.
func lineIn(patch string, old, nw int) bool {
	if old <= 0 && nw <= 0 {
		return false
	}
	var o, n int
	inHunk := false
	for _, l := range strings.Split(patch, "\n") {
		if strings.HasPrefix(l, "@@") {
			var a, b, c, d int
			if _, err := fmt.Sscanf(l, "@@ -%d,%d +%d,%d @@", &a, &b, &c, &d); err != nil {
				c, a = 0, 0
				// One-line hunks omit the count.
				fields := strings.Fields(l)
				if len(fields) >= 3 {
					a, _ = strconv.Atoi(strings.Split(strings.TrimPrefix(fields[1], "-"), ",")[0])
					c, _ = strconv.Atoi(strings.Split(strings.TrimPrefix(fields[2], "+"), ",")[0])
				}
			}
			// The counters hold the number of the line before the next one.
			o, n, inHunk = a-1, c-1, true
			continue
		}
		if !inHunk || l == "" {
			continue
		}
		switch {
		case strings.HasPrefix(l, "+"):
			n++
			if nw == n && old <= 0 {
				return true
			}
		case strings.HasPrefix(l, "-"):
			o++
			if old == o && nw <= 0 {
				return true
			}
		case strings.HasPrefix(l, `\`):
		default:
			o++
			n++
			if old == o && nw == n {
				return true
			}
		}
	}
	return false
}

func (s *Server) findDiscussion(q *request, mr *MergeRequest) *Discussion {
	for _, d := range s.discussions[mrKey(q.project.ID, mr.IID)] {
		if d.ID == q.params["discussion_id"] {
			return d
		}
	}
	return nil
}

// resolveThread serves PUT .../discussions/:id with resolved (query or body).
func (s *Server) resolveThread(q *request, mr *MergeRequest) response {
	d := s.findDiscussion(q, mr)
	if d == nil {
		return jsonError(http.StatusNotFound, "404 Not found")
	}
	var in struct {
		Resolved *bool `json:"resolved"`
	}
	_ = decodeBody(q, &in)
	resolved := in.Resolved
	if v := q.r.URL.Query().Get("resolved"); v != "" {
		b := v == "true"
		resolved = &b
	}
	if resolved == nil {
		return jsonError(http.StatusBadRequest, "400 Bad request - resolved is missing")
	}
	if len(d.Notes) == 0 || !d.Notes[0].Resolvable {
		return jsonError(http.StatusBadRequest, "400 Bad request - discussion is not resolvable")
	}
	for i := range d.Notes {
		d.Notes[i].Resolved = *resolved
	}
	return jsonResponse(http.StatusOK, s.discussionJSON(d, mr))
}

func (s *Server) updateThreadNote(q *request, mr *MergeRequest) response {
	d := s.findDiscussion(q, mr)
	if d == nil {
		return jsonError(http.StatusNotFound, "404 Not found")
	}
	id, _ := strconv.ParseInt(q.params["note_id"], 10, 64)
	return s.editNote(q, mr, d, id)
}

func (s *Server) editNote(q *request, mr *MergeRequest, d *Discussion, id int64) response {
	var in struct {
		Body     *string `json:"body"`
		Resolved *bool   `json:"resolved"`
	}
	if err := decodeBody(q, &in); err != nil || (in.Body == nil && in.Resolved == nil) {
		return jsonError(http.StatusBadRequest, "400 Bad request - body, resolved are missing, exactly one parameter must be provided")
	}
	for i := range d.Notes {
		n := &d.Notes[i]
		if n.ID != id {
			continue
		}
		if n.AuthorID != s.BotID && in.Body != nil {
			return jsonError(http.StatusForbidden, "403 Forbidden")
		}
		if in.Body != nil {
			n.Body = *in.Body
		}
		if in.Resolved != nil {
			n.Resolved = *in.Resolved
		}
		return jsonResponse(http.StatusOK, s.noteJSON(n, d, mr))
	}
	return jsonError(http.StatusNotFound, "404 Not found")
}

func (s *Server) createNote(q *request, mr *MergeRequest) response {
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeBody(q, &in); err != nil || strings.TrimSpace(in.Body) == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - body is missing")
	}
	d := &Discussion{ID: s.newDiscussionID(), IndividualNote: true}
	s.nextID++
	d.Notes = []Note{{ID: s.nextID, Body: in.Body, AuthorID: s.BotID, AuthorUsername: s.BotUsername}}
	k := mrKey(q.project.ID, mr.IID)
	s.discussions[k] = append(s.discussions[k], d)
	return jsonResponse(http.StatusCreated, s.noteJSON(&d.Notes[0], d, mr))
}

func (s *Server) updateNote(q *request, mr *MergeRequest) response {
	id, _ := strconv.ParseInt(q.params["note_id"], 10, 64)
	for _, d := range s.discussions[mrKey(q.project.ID, mr.IID)] {
		for _, n := range d.Notes {
			if n.ID == id {
				return s.editNote(q, mr, d, id)
			}
		}
	}
	return jsonError(http.StatusNotFound, "404 Not found")
}

// setStatus applies GitLab's commit status rules: a status is found by
// sha, name and ref among those still pending or running, else a new one
// is made; pending → enqueue, running → enqueue then run, and a transition
// the state machine lacks (pending or running again) is a 400.
func (s *Server) setStatus(q *request) response {
	var in struct {
		State       string `json:"state"`
		Ref         string `json:"ref"`
		Name        string `json:"name"`
		Context     string `json:"context"`
		Description string `json:"description"`
		TargetURL   string `json:"target_url"`
	}
	if err := decodeBody(q, &in); err != nil {
		return jsonError(http.StatusBadRequest, "400 Bad request - state is missing")
	}
	if vals := q.r.URL.Query(); in.State == "" {
		in.State, in.Ref, in.Name, in.Description = vals.Get("state"), vals.Get("ref"), vals.Get("name"), vals.Get("description")
	}
	if in.Name == "" {
		in.Name = in.Context
	}
	if in.Name == "" {
		in.Name = "default"
	}
	if in.Ref == "" {
		in.Ref = q.project.DefaultBranch
	}
	if len(in.Description) > 255 {
		return jsonError(http.StatusBadRequest, `400 Bad request - Validation failed: Description is too long (maximum is 255 characters)`)
	}
	sha := q.params["sha"]
	k := fmt.Sprintf("%d@%s", q.project.ID, sha)
	var cur *Status
	for _, st := range s.statuses[k] {
		if st.Name == in.Name && st.Ref == in.Ref && (st.State == "pending" || st.State == "running") {
			cur = st
		}
	}
	from := "created"
	if cur != nil {
		from = cur.State
	}
	event := map[string]string{"pending": "enqueue", "running": "run", "success": "success", "failed": "drop", "canceled": "cancel", "skipped": "skip"}[in.State]
	if event == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - state does not have a valid value")
	}
	allowed := map[string][]string{
		"enqueue": {"created"},
		"run":     {"created", "pending"},
		"success": {"created", "pending", "running"},
		"drop":    {"created", "pending", "running"},
		"cancel":  {"created", "pending", "running"},
		"skip":    {"created", "pending"},
	}[event]
	if !slices.Contains(allowed, from) {
		return jsonError(http.StatusBadRequest, fmt.Sprintf("Cannot transition status via :%s from :%s", event, from))
	}
	if cur == nil {
		s.nextID++
		cur = &Status{ID: s.nextID, SHA: sha, Ref: in.Ref, Name: in.Name, CreatedAt: time.Now()}
		s.statuses[k] = append(s.statuses[k], cur)
	}
	cur.State, cur.Description, cur.TargetURL = in.State, in.Description, in.TargetURL
	return jsonResponse(http.StatusCreated, map[string]any{
		"id": cur.ID, "sha": sha, "ref": cur.Ref, "status": cur.State, "name": cur.Name,
		"description": cur.Description, "target_url": nilIfEmpty(cur.TargetURL), "allow_failure": false,
		"created_at": "2024-01-01T00:00:00.000Z", "started_at": nil, "finished_at": nil, "coverage": nil,
		"author": map[string]any{"id": s.BotID, "username": s.BotUsername},
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decodeBody reads a JSON body, or a form body as some clients send.
func decodeBody(q *request, v any) error {
	if len(q.body) == 0 {
		return nil
	}
	if strings.HasPrefix(q.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		vals, err := url.ParseQuery(string(q.body))
		if err != nil {
			return err
		}
		m := map[string]string{}
		for k := range vals {
			m[k] = vals.Get(k)
		}
		b, _ := json.Marshal(m)
		return json.Unmarshal(b, v)
	}
	return json.Unmarshal(q.body, v)
}

func errorBody(msg string) string {
	b, _ := json.Marshal(map[string]string{"message": msg})
	return string(b)
}

func jsonError(status int, msg string) response {
	return response{status: status, body: []byte(errorBody(msg))}
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return jsonError(http.StatusInternalServerError, "500 Internal Server Error")
	}
	return response{status: status, body: b}
}
