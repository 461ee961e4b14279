// Package githubtest is an in-process fake of the part of GitHub's REST API
// shiftward uses, for tests at the HTTP boundary. It answers with GitHub's
// payload shapes (as go-github encodes them), checks the App JWT and the
// installation token the way GitHub does, validates review comment lines
// against the pull request's patches, records every call and the resulting
// state, and can be told to fail, rate-limit, or lose the response of the
// next calls to a route.
package githubtest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform/fakehost"
	"github.com/shiftward/shiftward/app/platform/github/internal/route"
)

// Route names, re-exported for fault injection and call assertions.
const (
	RouteAccessTokens   = route.AccessTokens
	RouteGetPull        = route.GetPull
	RouteListFiles      = route.ListFiles
	RouteGetContent     = route.GetContent
	RouteCompare        = route.Compare
	RouteGetTree        = route.GetTree
	RouteCreateCheckRun = route.CreateCheckRun
	RouteUpdateCheckRun = route.UpdateCheckRun
	RouteGetCheckRun    = route.GetCheckRun
	RouteListCheckRuns  = route.ListCheckRuns
	RouteCreateReview   = route.CreateReview
	RouteListComments   = route.ListComments
	RouteCreateComment  = route.CreateComment
	RouteUpdateComment  = route.UpdateComment

	RouteListInstallations  = route.ListInstallations
	RouteListInstallRepos   = route.ListInstallRepos
	RouteListPulls          = route.ListPulls
	RouteListHookDeliveries = route.ListHookDeliveries
	RouteRedeliverHook      = route.RedeliverHook
)

// maxPRFiles is where GitHub's PR files listing stops.
const maxPRFiles = 3000

// maxTreeEntries is where GitHub truncates a recursive tree (it also stops
// at 7 MB, which the fake does not model).
const maxTreeEntries = 100000

// Repo is a seeded repository, reachable by one installation.
type Repo struct {
	ID            int64
	Owner, Name   string
	DefaultBranch string
	Installation  int64
	// PushedAt is the repository's last push (GitHub's pushed_at).
	PushedAt time.Time
	Archived bool
}

// File is one file of a pull request or comparison, as GitHub lists it.
type File struct {
	Filename         string
	PreviousFilename string
	// Status is added, removed, modified, renamed, copied, changed or unchanged.
	Status string
	// Patch is the hunks-only diff; empty means GitHub left it out (a large
	// or binary file). Changes then says whether lines changed.
	Patch                         string
	Additions, Deletions, Changes int
}

// TreeEntry is one entry of a git tree, as the trees API lists it.
type TreeEntry struct {
	Path string
	// Mode is the git mode: "100644" when empty; "120000" a symbolic
	// link, "160000" a submodule, "040000" a directory.
	Mode string
	// Type is "blob" when empty; "commit" for a submodule, "tree" for a
	// directory.
	Type string
	// SHA is the object's id; for a blob, BlobSHA of its content.
	SHA  string
	Size int
}

// BlobSHA is git's id of a blob with content b.
func BlobSHA(b []byte) string {
	// shiftward:ignore code/go-weak-hash git names blobs by SHA-1; this fake computes GitHub's blob ids
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// PullRequest is a seeded pull request.
type PullRequest struct {
	Number           int
	BaseSHA, HeadSHA string
	BaseRef, HeadRef string
	Files            []File
	// State is "open" when empty, or "closed".
	State string
	// UpdatedAt is the pull request's last activity (GitHub's updated_at).
	UpdatedAt time.Time
	// HeadRepoID, when set, is the head branch's repository (a fork's id).
	HeadRepoID int64
}

// Annotation is a check-run annotation as received.
type Annotation struct {
	Path            string `json:"path"`
	StartLine       int    `json:"start_line"`
	EndLine         int    `json:"end_line"`
	AnnotationLevel string `json:"annotation_level"`
	Title           string `json:"title,omitempty"`
	Message         string `json:"message"`
	StartColumn     int    `json:"start_column,omitempty"`
	EndColumn       int    `json:"end_column,omitempty"`
}

// CheckRun is a check run's state after every request applied to it.
type CheckRun struct {
	ID             int64
	Repo           string // owner/name
	Name, HeadSHA  string
	ExternalID     string
	Status         string
	Conclusion     string
	Title, Summary string
	AppID          int64
	// StartedAt is when the run started, as its creator said.
	StartedAt time.Time
	// AnnotationBatches holds each request's annotations, in order; GitHub
	// appends them.
	AnnotationBatches [][]Annotation
	// Actions are the run's requested-action buttons (the last set sent).
	Actions []Action
}

// Action is a check run button.
type Action struct {
	Label       string `json:"label"`
	Description string `json:"description"`
	Identifier  string `json:"identifier"`
}

// Annotations is every annotation of the run, all batches together.
func (c CheckRun) Annotations() []Annotation {
	var out []Annotation
	for _, b := range c.AnnotationBatches {
		out = append(out, b...)
	}
	return out
}

// Comment is a pull request review comment.
type Comment struct {
	ID        int64
	Repo      string
	Number    int
	ReviewID  int64
	Path      string
	Line      int
	StartLine int
	Side      string
	StartSide string
	CommitID  string
	Body      string
	// UserLogin and UserType are the author ("shiftward[bot]", "Bot").
	UserLogin, UserType string
	// InReplyTo is the comment this one answers in its thread.
	InReplyTo int64
}

// Review is a submitted pull request review.
type Review struct {
	ID       int64
	Repo     string
	Number   int
	CommitID string
	Event    string
	Body     string
	Comments []int64
}

// Call is one request the fake received.
type Call = fakehost.Call

// Fault replaces the answer to one request.
type Fault = fakehost.Fault

// Server is the fake GitHub. Its URL goes in the adapter's base URL.
type Server struct {
	URL      string
	AppID    int64
	BotLogin string

	srv *httptest.Server
	// Recorder injects faults and records calls (Inject, HoldNext,
	// DropNext, Calls, CallsTo); it shares mu.
	*fakehost.Recorder
	pub *rsa.PublicKey

	mu         sync.Mutex
	now        func() time.Time
	tokens     map[string]int64
	tokenCalls int
	repos      map[string]*Repo
	pulls      map[string]*PullRequest
	contents   map[string][]byte
	compares   map[string][]File
	mergeBases map[string]string
	trees      map[string][]TreeEntry
	treeLimit  int
	checkRuns  []*CheckRun
	comments   []*Comment
	reviews    []*Review
	nextID     int64
	conv       conversation
	deliveries []*Delivery
	// redeliverStatus is the answer the webhook gives a redelivery the fake
	// lists; -1 lists none (GitHub's list lags behind).
	redeliverStatus int
	redeliverer     func(Delivery) int
	// quota, when set by SetQuota, is the primary rate limit every
	// installation request spends and every answer reports.
	quota *quota
}

// New starts a fake GitHub for the App appID whose private key is keyPEM
// (see KeyPEM). It is closed when the test ends.
func New(t testing.TB, appID int64, keyPEM []byte) *Server {
	t.Helper()
	key, err := jwt.ParseRSAPrivateKeyFromPEM(keyPEM)
	if err != nil {
		t.Fatalf("githubtest: parsing key: %v", err)
	}
	s := &Server{
		AppID:    appID,
		BotLogin: "shiftward[bot]",
		pub:      &key.PublicKey,
		now:      time.Now,
		tokens:   map[string]int64{},
		repos:    map[string]*Repo{},
		pulls:    map[string]*PullRequest{},
		contents: map[string][]byte{},
		compares: map[string][]File{},
		nextID:   1000,

		mergeBases: map[string]string{},
		trees:      map[string][]TreeEntry{},
		treeLimit:  maxTreeEntries,

		redeliverStatus: http.StatusAccepted,
	}
	s.Recorder = fakehost.NewRecorder(&s.mu)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/"
	t.Cleanup(s.srv.Close)
	return s
}

// AddRepo seeds a repository.
func (s *Server) AddRepo(r Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := r
	s.repos[r.Owner+"/"+r.Name] = &c
}

// AddPull seeds a pull request of a seeded repository.
func (s *Server) AddPull(owner, name string, pr PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := pr
	c.Files = slices.Clone(pr.Files)
	s.pulls[fmt.Sprintf("%s/%s#%d", owner, name, pr.Number)] = &c
}

// SetContent seeds a file's content at a commit (or branch name).
func (s *Server) SetContent(owner, name, ref, path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contents[owner+"/"+name+"@"+ref+":"+path] = slices.Clone(content)
}

// SetCompare seeds the files of the comparison base...head.
func (s *Server) SetCompare(owner, name, base, head string, files []File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compares[owner+"/"+name+"@"+base+"..."+head] = slices.Clone(files)
}

// SetMergeBase makes the comparison base...head name mergeBase as its merge
// base commit (by default, base).
func (s *Server) SetMergeBase(owner, name, base, head, mergeBase string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mergeBases[owner+"/"+name+"@"+base+"..."+head] = mergeBase
}

// SetTree seeds tree entries at a commit (or branch name) beyond those
// derived from SetContent: each replaces the derived entry at its path, so
// a test can add a submodule or a symbolic link, or give a file another
// blob sha. The tree of a commit is otherwise derived from the contents
// seeded at it: one blob (mode 100644, sha BlobSHA of the content) per
// file, and its directories. A commit with neither is not found.
func (s *Server) SetTree(owner, name, sha string, entries []TreeEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trees[owner+"/"+name+"@"+sha] = append(s.trees[owner+"/"+name+"@"+sha], entries...)
}

// SetTreeLimit sets how many entries a recursive tree lists before the
// fake truncates it, as GitHub does past 100,000 (the default).
func (s *Server) SetTreeLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.treeLimit = n
}

// AddComment seeds a review comment (a human's, or an earlier run's) and
// returns its id.
func (s *Server) AddComment(owner, name string, c Comment) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c.ID = s.nextID
	c.Repo = owner + "/" + name
	if c.Side == "" {
		c.Side = "RIGHT"
	}
	s.comments = append(s.comments, &c)
	return c.ID
}

// AddCheckRun seeds a check run (one a crashed worker left behind) and
// returns its id.
func (s *Server) AddCheckRun(owner, name string, c CheckRun) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c.ID = s.nextID
	c.Repo = owner + "/" + name
	s.checkRuns = append(s.checkRuns, &c)
	return c.ID
}

// FailNext makes the next n requests to route answer status with a GitHub
// error body, without applying them.
func (s *Server) FailNext(route string, n, status int) {
	s.Inject(route, n, Fault{Status: status, Body: errorBody(http.StatusText(status), status)})
}

// RateLimitNext makes the next request to route answer status (403 or 429)
// with Retry-After, as GitHub's secondary limit does.
func (s *Server) RateLimitNext(route string, status int, retryAfter time.Duration) {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	body := `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"` + strconv.Itoa(status) + `"}`
	s.Inject(route, 1, Fault{Status: status, Header: h, Body: body})
}

// quota is the fake's primary rate limit, shared by every installation.
type quota struct {
	limit, remaining int
	reset            time.Time
}

// SetQuota makes every installation request spend one of remaining (of
// limit) until reset, and every answer report what is left in GitHub's
// x-ratelimit-limit, -remaining, -used and -reset headers. Once none is
// left, requests are answered 403 with remaining 0, as GitHub does.
func (s *Server) SetQuota(limit, remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = &quota{limit: limit, remaining: remaining, reset: reset}
}

// Quota is what is left of the quota SetQuota set.
func (s *Server) Quota() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quota == nil {
		return -1
	}
	return s.quota.remaining
}

// spend takes one request off the quota, answers it with handle, and sets
// the quota headers; s.mu is held. A spent quota answers 403 without
// handling the request, as GitHub's primary limit does.
func (s *Server) spend(handle func() response) (int, http.Header, []byte) {
	q := s.quota
	var resp response
	if q.remaining == 0 {
		resp = jsonError(http.StatusForbidden, "API rate limit exceeded for installation.")
	} else {
		q.remaining--
		resp = handle()
	}
	if resp.header == nil {
		resp.header = http.Header{}
	}
	resp.header.Set("X-RateLimit-Limit", strconv.Itoa(q.limit))
	resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(q.remaining))
	resp.header.Set("X-RateLimit-Used", strconv.Itoa(q.limit-q.remaining))
	resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
	return resp.status, resp.header, resp.body
}

// TokenRequests counts installation token requests that got a token.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenCalls
}

// CheckRuns returns copies of every check run.
func (s *Server) CheckRuns() []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CheckRun, 0, len(s.checkRuns))
	for _, c := range s.checkRuns {
		cc := *c
		cc.AnnotationBatches = slices.Clone(c.AnnotationBatches)
		out = append(out, cc)
	}
	return out
}

// Comments returns copies of the review comments of one pull request.
func (s *Server) Comments(owner, name string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		if c.Repo == owner+"/"+name && c.Number == number {
			out = append(out, *c)
		}
	}
	return out
}

// Reviews returns copies of the submitted reviews.
func (s *Server) Reviews() []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Review, 0, len(s.reviews))
	for _, r := range s.reviews {
		rr := *r
		rr.Comments = slices.Clone(r.Comments)
		out = append(out, rr)
	}
	return out
}

// request is what a handler sees.
type request struct {
	r      *http.Request
	params map[string]string
	body   []byte
	repo   *Repo
}

// response is what a handler answers.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	name, params := route.Match(r.Method, r.URL.Path)

	call := Call{Method: r.Method, Route: name, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body}
	s.Serve(w, r, call, "application/json; charset=utf-8", func() (int, http.Header, []byte) {
		if name != route.AccessTokens && s.tokens[bearer(r)] != 0 && s.quota != nil {
			// Spent before it is applied: a refused request changes nothing.
			return s.spend(func() response { return s.handle(name, &request{r: r, params: params, body: body}) })
		}
		resp := s.handle(name, &request{r: r, params: params, body: body})
		return resp.status, resp.header, resp.body
	})
}

// handle answers one request; s.mu is held.
func (s *Server) handle(name string, q *request) response {
	switch name {
	case route.AccessTokens:
		return s.accessToken(q)
	case route.ListInstallations, route.ListHookDeliveries, route.RedeliverHook:
		if r := s.appJWT(q); r != nil {
			return *r
		}
		return s.handleApp(name, q)
	case route.Other:
		return jsonError(http.StatusNotFound, "Not Found")
	}
	if _, ok := s.tokens[bearer(q.r)]; !ok {
		return jsonError(http.StatusUnauthorized, "Bad credentials")
	}
	if name == route.ListInstallRepos {
		return s.listInstallRepos(q)
	}
	repo := s.repos[q.params["owner"]+"/"+q.params["repo"]]
	if repo == nil || s.tokens[bearer(q.r)] != repo.Installation {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	q.repo = repo
	if resp, ok := s.handleConversation(name, q); ok {
		return resp
	}
	switch name {
	case route.ListPulls:
		return s.listPulls(q)
	case route.GetPull:
		return s.getPull(q)
	case route.ListFiles:
		return s.listFiles(q)
	case route.GetContent:
		return s.getContent(q)
	case route.Compare:
		return s.compare(q)
	case route.GetTree:
		return s.getTree(q)
	case route.CreateCheckRun:
		return s.createCheckRun(q)
	case route.UpdateCheckRun:
		return s.updateCheckRun(q)
	case route.GetCheckRun:
		if c := s.findCheckRun(q); c != nil {
			return jsonResponse(http.StatusOK, s.ghCheckRun(c))
		}
		return jsonError(http.StatusNotFound, "Not Found")
	case route.ListCheckRuns:
		return s.listCheckRuns(q)
	case route.CreateReview:
		return s.createReview(q)
	case route.ListComments:
		return s.listComments(q)
	case route.CreateComment:
		return s.createComment(q)
	case route.UpdateComment:
		return s.updateComment(q)
	}
	return jsonError(http.StatusNotFound, "Not Found")
}

func bearer(r *http.Request) string {
	a := r.Header.Get("Authorization")
	for _, p := range []string{"token ", "Bearer ", "bearer "} {
		if t, ok := strings.CutPrefix(a, p); ok {
			return t
		}
	}
	return ""
}

// appJWT checks the App JWT as GitHub does (RS256 by the App's key, iss
// the App id, expiring within ten minutes); nil when it is good.
func (s *Server) appJWT(q *request) *response {
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(bearer(q.r), claims, func(*jwt.Token) (any, error) { return s.pub, nil },
		jwt.WithValidMethods([]string{"RS256"}))
	var r response
	switch {
	case err != nil:
		r = jsonError(http.StatusUnauthorized, "A JSON web token could not be decoded")
	case claims.Issuer != strconv.FormatInt(s.AppID, 10):
		r = jsonError(http.StatusUnauthorized, "'Issuer' claim ('iss') must be an Integer")
	case claims.ExpiresAt == nil || claims.ExpiresAt.Time.After(s.now().Add(10*time.Minute)) ||
		(claims.IssuedAt != nil && claims.ExpiresAt.Time.Sub(claims.IssuedAt.Time) > 10*time.Minute):
		r = jsonError(http.StatusUnauthorized, "'Expiration time' claim ('exp') is too far in the future")
	default:
		return nil
	}
	return &r
}

// accessToken checks the App JWT (appJWT) and issues a token valid for an
// hour.
func (s *Server) accessToken(q *request) response {
	if r := s.appJWT(q); r != nil {
		return *r
	}
	now := s.now()
	id, err := strconv.ParseInt(q.params["installation_id"], 10, 64)
	if err != nil {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	known := false
	for _, r := range s.repos {
		known = known || r.Installation == id
	}
	if !known {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var b [20]byte
	rand.Read(b[:])
	tok := "ghs_" + hex.EncodeToString(b[:])
	s.tokens[tok] = id
	s.tokenCalls++
	return jsonResponse(http.StatusCreated, map[string]any{
		"token":                tok,
		"expires_at":           now.Add(time.Hour).UTC().Format(time.RFC3339),
		"permissions":          map[string]string{"checks": "write", "pull_requests": "write", "contents": "read"},
		"repository_selection": "all",
	})
}

func (s *Server) pull(q *request) (*PullRequest, bool) {
	n, err := strconv.Atoi(q.params["pull_number"])
	if err != nil {
		return nil, false
	}
	pr := s.pulls[fmt.Sprintf("%s/%s#%d", q.repo.Owner, q.repo.Name, n)]
	return pr, pr != nil
}

func (s *Server) ghRepo(r *Repo) *gh.Repository {
	return &gh.Repository{
		ID: gh.Int64(r.ID), Name: gh.String(r.Name), FullName: gh.String(r.Owner + "/" + r.Name),
		Owner:         &gh.User{Login: gh.String(r.Owner)},
		DefaultBranch: gh.String(r.DefaultBranch),
	}
}

func (s *Server) getPull(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	repo := s.ghRepo(q.repo)
	return jsonResponse(http.StatusOK, &gh.PullRequest{
		Number: gh.Int(pr.Number), State: gh.String("open"), Draft: gh.Bool(false),
		Head:         &gh.PullRequestBranch{Ref: gh.String(pr.HeadRef), SHA: gh.String(pr.HeadSHA), Repo: repo},
		Base:         &gh.PullRequestBranch{Ref: gh.String(pr.BaseRef), SHA: gh.String(pr.BaseSHA), Repo: repo},
		ChangedFiles: gh.Int(min(len(pr.Files), maxPRFiles)),
	})
}

func ghFile(f File) *gh.CommitFile {
	add, del := f.Additions, f.Deletions
	if add == 0 && del == 0 && f.Patch != "" {
		for _, l := range strings.Split(f.Patch, "\n") {
			switch {
			case strings.HasPrefix(l, "+"):
				add++
			case strings.HasPrefix(l, "-"):
				del++
			}
		}
	}
	changes := f.Changes
	if changes == 0 {
		changes = add + del
	}
	status := f.Status
	if status == "" {
		status = "modified"
	}
	cf := &gh.CommitFile{
		SHA: gh.String(strings.Repeat("0", 40)), Filename: gh.String(f.Filename), Status: gh.String(status),
		Additions: gh.Int(add), Deletions: gh.Int(del), Changes: gh.Int(changes),
	}
	if f.Patch != "" {
		cf.Patch = gh.String(f.Patch)
	}
	if f.PreviousFilename != "" {
		cf.PreviousFilename = gh.String(f.PreviousFilename)
	}
	return cf
}

// paginate slices items as GitHub does (per_page default 30, at most 100)
// and sets the Link header.
func paginate[T any](q *request, items []T) ([]T, http.Header) {
	per, _ := strconv.Atoi(q.r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.r.URL.Query().Get("page"))
	page = max(page, 1)
	last := max(1, (len(items)+per-1)/per)
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	h := http.Header{}
	link := func(p int, rel string) string {
		v := q.r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		v.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf(`<http://%s%s?%s>; rel="%s"`, q.r.Host, q.r.URL.Path, v.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(page-1, "prev"), link(1, "first"))
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	return items[lo:hi], h
}

func (s *Server) listFiles(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	files := pr.Files[:min(len(pr.Files), maxPRFiles)]
	out := make([]*gh.CommitFile, 0, len(files))
	for _, f := range files {
		out = append(out, ghFile(f))
	}
	page, h := paginate(q, out)
	resp := jsonResponse(http.StatusOK, page)
	resp.header = h
	return resp
}

func (s *Server) getContent(q *request) response {
	ref := q.r.URL.Query().Get("ref")
	if ref == "" {
		ref = q.repo.DefaultBranch
	}
	path := q.params["path"]
	b, ok := s.contents[q.repo.Owner+"/"+q.repo.Name+"@"+ref+":"+path]
	if !ok {
		return s.listDir(q, ref, path)
	}
	if strings.Contains(q.r.Header.Get("Accept"), "application/vnd.github.raw") ||
		strings.Contains(q.r.Header.Get("Accept"), "application/vnd.github.v3.raw") {
		h := http.Header{}
		h.Set("Content-Type", "application/vnd.github.raw")
		return response{status: http.StatusOK, header: h, body: slices.Clone(b)}
	}
	parts := strings.Split(path, "/")
	return jsonResponse(http.StatusOK, &gh.RepositoryContent{
		Type: gh.String("file"), Encoding: gh.String("base64"), Size: gh.Int(len(b)),
		Name: gh.String(parts[len(parts)-1]), Path: gh.String(path),
		Content: gh.String(base64.StdEncoding.EncodeToString(b)), SHA: gh.String(strings.Repeat("0", 40)),
	})
}

// maxDirEntries is where the contents API stops listing a directory.
const maxDirEntries = 1000

// listDir answers the contents API for a directory at ref: its entries as
// GitHub lists them (sorted by name, at most 1,000), from the files seeded
// at ref (SetContent) and the tree entries seeded there (SetTree: a
// submodule is typed "file", as GitHub does in a directory listing, a
// symbolic link "symlink"). A directory with nothing in it is not found.
func (s *Server) listDir(q *request, ref, dir string) response {
	key := q.repo.Owner + "/" + q.repo.Name + "@" + ref
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	byName := map[string]TreeEntry{}
	add := func(e TreeEntry) {
		rest, ok := strings.CutPrefix(e.Path, prefix)
		if !ok || rest == "" {
			return
		}
		if name, _, sub := strings.Cut(rest, "/"); sub {
			byName[name] = TreeEntry{Path: prefix + name, Mode: "040000", Type: "tree", SHA: BlobSHA([]byte("tree " + prefix + name))}
			return
		}
		byName[rest] = e
	}
	for k, b := range s.contents {
		if p, ok := strings.CutPrefix(k, key+":"); ok {
			add(TreeEntry{Path: p, Mode: "100644", Type: "blob", SHA: BlobSHA(b), Size: len(b)})
		}
	}
	for _, e := range s.trees[key] {
		add(e)
	}
	if len(byName) == 0 {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	api := fmt.Sprintf("http://%s/repos/%s/%s", q.r.Host, q.repo.Owner, q.repo.Name)
	var out []*gh.RepositoryContent
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		e := byName[name]
		c := &gh.RepositoryContent{Name: gh.String(name), Path: gh.String(e.Path), SHA: gh.String(e.SHA), Size: gh.Int(e.Size),
			URL:     gh.String(api + "/contents/" + e.Path + "?ref=" + ref),
			HTMLURL: gh.String(fmt.Sprintf("https://github.com/%s/%s/blob/%s/%s", q.repo.Owner, q.repo.Name, ref, e.Path)),
			GitURL:  gh.String(api + "/git/blobs/" + e.SHA), DownloadURL: gh.String("https://raw.githubusercontent.com/" + q.repo.Owner + "/" + q.repo.Name + "/" + ref + "/" + e.Path)}
		switch {
		case e.Type == "tree":
			c.Type, c.DownloadURL, c.GitURL, c.Size = gh.String("dir"), nil, gh.String(api+"/git/trees/"+e.SHA), gh.Int(0)
		case e.Type == "commit":
			// "submodules have their type specified as file" (REST docs).
			c.Type, c.DownloadURL, c.GitURL, c.Size = gh.String("file"), nil, gh.String(api+"/git/trees/"+e.SHA), gh.Int(0)
		case e.Mode == "120000":
			c.Type = gh.String("symlink")
		default:
			c.Type = gh.String("file")
		}
		out = append(out, c)
	}
	if len(out) > maxDirEntries {
		out = out[:maxDirEntries]
	}
	return jsonResponse(http.StatusOK, out)
}

func (s *Server) compare(q *request) response {
	base, head, ok := strings.Cut(q.params["basehead"], "...")
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	files, ok := s.compares[q.repo.Owner+"/"+q.repo.Name+"@"+base+"..."+head]
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	mergeBase := base
	if mb := s.mergeBases[q.repo.Owner+"/"+q.repo.Name+"@"+base+"..."+head]; mb != "" {
		mergeBase = mb
	}
	cmp := &gh.CommitsComparison{
		Status: gh.String("ahead"), AheadBy: gh.Int(1), BehindBy: gh.Int(0), TotalCommits: gh.Int(1),
		BaseCommit:      &gh.RepositoryCommit{SHA: gh.String(base)},
		MergeBaseCommit: &gh.RepositoryCommit{SHA: gh.String(mergeBase)},
		Commits:         []*gh.RepositoryCommit{{SHA: gh.String(head)}},
	}
	// Files come only with page 1 (GitHub's docs on large comparisons).
	if p, _ := strconv.Atoi(q.r.URL.Query().Get("page")); p <= 1 {
		for _, f := range files {
			cmp.Files = append(cmp.Files, ghFile(f))
		}
	}
	return jsonResponse(http.StatusOK, cmp)
}

// getTree answers the trees API for a commit: its entries sorted by path,
// only the top level unless recursive is given (any value, as GitHub
// takes it), truncated past the tree limit.
func (s *Server) getTree(q *request) response {
	sha := q.params["tree_sha"]
	key := q.repo.Owner + "/" + q.repo.Name + "@" + sha
	byPath := map[string]TreeEntry{}
	prefix := key + ":"
	for k, b := range s.contents {
		if p, ok := strings.CutPrefix(k, prefix); ok {
			byPath[p] = TreeEntry{Path: p, Mode: "100644", Type: "blob", SHA: BlobSHA(b), Size: len(b)}
		}
	}
	seeded, ok := s.trees[key]
	if !ok && len(byPath) == 0 {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	for _, e := range seeded {
		if e.Mode == "" {
			e.Mode = "100644"
		}
		if e.Type == "" {
			e.Type = "blob"
		}
		byPath[e.Path] = e
	}
	// Directories, as the API lists them between the files.
	for p := range maps.Clone(byPath) {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if _, ok := byPath[d]; !ok {
				byPath[d] = TreeEntry{Path: d, Mode: "040000", Type: "tree", SHA: BlobSHA([]byte("tree " + d))}
			}
		}
	}
	_, recursive := q.r.URL.Query()["recursive"]
	entries := make([]*gh.TreeEntry, 0, len(byPath))
	for _, p := range slices.Sorted(maps.Keys(byPath)) {
		e := byPath[p]
		if !recursive && strings.Contains(p, "/") {
			continue
		}
		te := &gh.TreeEntry{Path: gh.String(p), Mode: gh.String(e.Mode), Type: gh.String(e.Type), SHA: gh.String(e.SHA),
			URL: gh.String(fmt.Sprintf("http://%s/repos/%s/%s/git/%ss/%s", q.r.Host, q.repo.Owner, q.repo.Name, e.Type, e.SHA))}
		if e.Type == "blob" {
			te.Size = gh.Int(e.Size)
		}
		entries = append(entries, te)
	}
	truncated := recursive && len(entries) > s.treeLimit
	if truncated {
		entries = entries[:s.treeLimit]
	}
	return jsonResponse(http.StatusOK, &gh.Tree{SHA: gh.String(BlobSHA([]byte("tree " + key))), Entries: entries, Truncated: gh.Bool(truncated)})
}

type checkRunBody struct {
	Name       *string    `json:"name"`
	HeadSHA    *string    `json:"head_sha"`
	ExternalID *string    `json:"external_id"`
	Status     *string    `json:"status"`
	Conclusion *string    `json:"conclusion"`
	Actions    *[]Action  `json:"actions"`
	StartedAt  *time.Time `json:"started_at"`
	Output     *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

func (s *Server) applyCheckRun(c *CheckRun, b *checkRunBody) *response {
	if b.Actions != nil {
		// GitHub's limits: 3 actions; label 20, description 40,
		// identifier 20 characters.
		if len(*b.Actions) > 3 {
			r := jsonError(http.StatusUnprocessableEntity, "Only 3 actions are allowed")
			return &r
		}
		for _, a := range *b.Actions {
			if a.Label == "" || len(a.Label) > 20 || a.Description == "" || len(a.Description) > 40 || a.Identifier == "" || len(a.Identifier) > 20 {
				r := validationError("actions", "invalid")
				return &r
			}
		}
		c.Actions = slices.Clone(*b.Actions)
	}
	if b.Output != nil {
		if b.Output.Title == nil || b.Output.Summary == nil {
			r := validationError("output", "missing_field")
			return &r
		}
		if len(b.Output.Annotations) > 50 {
			r := jsonError(http.StatusUnprocessableEntity, "Only 50 annotations are allowed per request")
			return &r
		}
		if len(*b.Output.Summary) > 65535 {
			r := jsonError(http.StatusUnprocessableEntity, "output.summary is too long (maximum is 65535 characters)")
			return &r
		}
		for _, a := range b.Output.Annotations {
			if a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || a.Message == "" ||
				!slices.Contains([]string{"notice", "warning", "failure"}, a.AnnotationLevel) {
				r := validationError("annotations", "invalid")
				return &r
			}
		}
	}
	if b.Status != nil && *b.Status == "completed" && b.Conclusion == nil {
		r := validationError("conclusion", "missing_field")
		return &r
	}
	if b.Name != nil {
		c.Name = *b.Name
	}
	if b.ExternalID != nil {
		c.ExternalID = *b.ExternalID
	}
	if b.StartedAt != nil {
		c.StartedAt = *b.StartedAt
	}
	if b.Status != nil {
		c.Status = *b.Status
	}
	if b.Conclusion != nil {
		c.Conclusion = *b.Conclusion
		c.Status = "completed"
	}
	if b.Output != nil {
		c.Title, c.Summary = *b.Output.Title, *b.Output.Summary
		c.AnnotationBatches = append(c.AnnotationBatches, slices.Clone(b.Output.Annotations))
	}
	return nil
}

func (s *Server) createCheckRun(q *request) response {
	var b checkRunBody
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	if b.Name == nil || *b.Name == "" || b.HeadSHA == nil || *b.HeadSHA == "" {
		return validationError("name/head_sha", "missing_field")
	}
	s.nextID++
	c := &CheckRun{ID: s.nextID, Repo: q.repo.Owner + "/" + q.repo.Name, HeadSHA: *b.HeadSHA, Status: "queued", AppID: s.AppID}
	if r := s.applyCheckRun(c, &b); r != nil {
		return *r
	}
	s.checkRuns = append(s.checkRuns, c)
	return jsonResponse(http.StatusCreated, s.ghCheckRun(c))
}

func (s *Server) ghCheckRun(c *CheckRun) *gh.CheckRun {
	r := &gh.CheckRun{
		ID: gh.Int64(c.ID), Name: gh.String(c.Name), HeadSHA: gh.String(c.HeadSHA), Status: gh.String(c.Status),
		App:    &gh.App{ID: gh.Int64(c.AppID), Slug: gh.String(strings.TrimSuffix(s.BotLogin, "[bot]"))},
		Output: &gh.CheckRunOutput{Title: gh.String(c.Title), Summary: gh.String(c.Summary), AnnotationsCount: gh.Int(len(c.Annotations()))},
	}
	if c.ExternalID != "" {
		r.ExternalID = gh.String(c.ExternalID)
	}
	if !c.StartedAt.IsZero() {
		r.StartedAt = &gh.Timestamp{Time: c.StartedAt}
	}
	if c.Conclusion != "" {
		r.Conclusion = gh.String(c.Conclusion)
	}
	return r
}

func (s *Server) findCheckRun(q *request) *CheckRun {
	id, _ := strconv.ParseInt(q.params["check_run_id"], 10, 64)
	for _, c := range s.checkRuns {
		if c.ID == id && c.Repo == q.repo.Owner+"/"+q.repo.Name {
			return c
		}
	}
	return nil
}

func (s *Server) updateCheckRun(q *request) response {
	c := s.findCheckRun(q)
	if c == nil {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var b checkRunBody
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	next := *c
	next.AnnotationBatches = slices.Clone(c.AnnotationBatches)
	if r := s.applyCheckRun(&next, &b); r != nil {
		return *r
	}
	*c = next
	return jsonResponse(http.StatusOK, s.ghCheckRun(c))
}

func (s *Server) listCheckRuns(q *request) response {
	v := q.r.URL.Query()
	var runs []*gh.CheckRun
	for _, c := range s.checkRuns {
		if c.Repo != q.repo.Owner+"/"+q.repo.Name || c.HeadSHA != q.params["ref"] {
			continue
		}
		if n := v.Get("check_name"); n != "" && c.Name != n {
			continue
		}
		if a := v.Get("app_id"); a != "" && a != strconv.FormatInt(c.AppID, 10) {
			continue
		}
		runs = append(runs, s.ghCheckRun(c))
	}
	page, h := paginate(q, runs)
	resp := jsonResponse(http.StatusOK, &gh.ListCheckRunsResults{Total: gh.Int(len(runs)), CheckRuns: page})
	resp.header = h
	return resp
}

var hunkHeader = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@`)

// rightLines is the set of new-file lines a patch shows (added or context),
// where GitHub accepts a comment with side RIGHT.
func rightLines(patch string) map[int]bool {
	out := map[int]bool{}
	for _, l := range strings.Split(patch, "\n") {
		m := hunkHeader.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		start, _ := strconv.Atoi(m[1])
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		for i := range n {
			out[start+i] = true
		}
	}
	return out
}

type commentBody struct {
	Body      *string `json:"body"`
	CommitID  *string `json:"commit_id"`
	Path      *string `json:"path"`
	Line      *int    `json:"line"`
	Side      *string `json:"side"`
	StartLine *int    `json:"start_line"`
	StartSide *string `json:"start_side"`
	Position  *int    `json:"position"`
}

// placeable reports whether GitHub would accept the comment's position on pr.
func placeable(pr *PullRequest, c *commentBody) bool {
	if c.Path == nil || c.Line == nil || c.Body == nil || *c.Body == "" {
		return false
	}
	if c.Side != nil && *c.Side != "RIGHT" {
		return false
	}
	for _, f := range pr.Files {
		if f.Filename != *c.Path || f.Patch == "" {
			continue
		}
		lines := rightLines(f.Patch)
		if !lines[*c.Line] {
			return false
		}
		if c.StartLine != nil {
			if *c.StartLine >= *c.Line || !lines[*c.StartLine] {
				return false
			}
		}
		return true
	}
	return false
}

func (s *Server) newComment(q *request, pr *PullRequest, c *commentBody, commitID string, reviewID int64) *Comment {
	s.nextID++
	cm := &Comment{
		ID: s.nextID, Repo: q.repo.Owner + "/" + q.repo.Name, Number: pr.Number, ReviewID: reviewID,
		Path: *c.Path, Line: *c.Line, Side: "RIGHT", CommitID: commitID, Body: *c.Body,
		UserLogin: s.BotLogin, UserType: "Bot",
	}
	if c.StartLine != nil {
		cm.StartLine, cm.StartSide = *c.StartLine, "RIGHT"
	}
	s.comments = append(s.comments, cm)
	return cm
}

func (s *Server) createReview(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var b struct {
		CommitID *string        `json:"commit_id"`
		Body     *string        `json:"body"`
		Event    *string        `json:"event"`
		Comments []*commentBody `json:"comments"`
	}
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	for _, c := range b.Comments {
		if !placeable(pr, c) {
			// GitHub refuses the whole review for one misplaced comment.
			return response{status: http.StatusUnprocessableEntity, body: []byte(`{"message":"Unprocessable Entity","errors":["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],"documentation_url":"https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request","status":"422"}`)}
		}
	}
	event := "PENDING"
	if b.Event != nil {
		event = *b.Event
	}
	if event == "COMMENT" && (b.Body == nil || *b.Body == "") && len(b.Comments) == 0 {
		return jsonError(http.StatusUnprocessableEntity, "Review body is required")
	}
	commit := pr.HeadSHA
	if b.CommitID != nil && *b.CommitID != "" {
		commit = *b.CommitID
	}
	s.nextID++
	rv := &Review{ID: s.nextID, Repo: q.repo.Owner + "/" + q.repo.Name, Number: pr.Number, CommitID: commit, Event: event}
	if b.Body != nil {
		rv.Body = *b.Body
	}
	for _, c := range b.Comments {
		rv.Comments = append(rv.Comments, s.newComment(q, pr, c, commit, rv.ID).ID)
	}
	s.reviews = append(s.reviews, rv)
	state := map[string]string{"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}[event]
	if state == "" {
		state = "PENDING"
	}
	return jsonResponse(http.StatusOK, &gh.PullRequestReview{
		ID: gh.Int64(rv.ID), Body: gh.String(rv.Body), CommitID: gh.String(commit), State: gh.String(state),
		User: &gh.User{Login: gh.String(s.BotLogin), Type: gh.String("Bot")},
	})
}

func (s *Server) ghComment(c *Comment) *gh.PullRequestComment {
	pc := &gh.PullRequestComment{
		ID: gh.Int64(c.ID), Body: gh.String(c.Body), Path: gh.String(c.Path), Line: gh.Int(c.Line),
		OriginalLine: gh.Int(c.Line), Side: gh.String(c.Side), CommitID: gh.String(c.CommitID),
		OriginalCommitID: gh.String(c.CommitID),
		User:             &gh.User{Login: gh.String(c.UserLogin), Type: gh.String(c.UserType)},
	}
	if c.ReviewID != 0 {
		pc.PullRequestReviewID = gh.Int64(c.ReviewID)
	}
	if c.StartLine != 0 {
		pc.StartLine, pc.StartSide = gh.Int(c.StartLine), gh.String(c.StartSide)
	}
	return pc
}

func (s *Server) listComments(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var out []*gh.PullRequestComment
	for _, c := range s.comments {
		if c.Repo == q.repo.Owner+"/"+q.repo.Name && c.Number == pr.Number {
			out = append(out, s.ghComment(c))
		}
	}
	if out == nil {
		out = []*gh.PullRequestComment{}
	}
	page, h := paginate(q, out)
	resp := jsonResponse(http.StatusOK, page)
	resp.header = h
	return resp
}

func (s *Server) createComment(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var b commentBody
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	if b.CommitID == nil || *b.CommitID == "" {
		return validationError("commit_id", "missing_field")
	}
	if !placeable(pr, &b) {
		return response{status: http.StatusUnprocessableEntity, body: []byte(`{"message":"Validation Failed","errors":[{"resource":"PullRequestReviewComment","code":"custom","field":"pull_request_review_thread.line","message":"pull_request_review_thread.line must be part of the diff"}],"documentation_url":"https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request","status":"422"}`)}
	}
	return jsonResponse(http.StatusCreated, s.ghComment(s.newComment(q, pr, &b, *b.CommitID, 0)))
}

func (s *Server) updateComment(q *request) response {
	id, _ := strconv.ParseInt(q.params["comment_id"], 10, 64)
	var b struct {
		Body *string `json:"body"`
	}
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	if b.Body == nil || *b.Body == "" {
		return validationError("body", "missing_field")
	}
	for _, c := range s.comments {
		if c.ID == id && c.Repo == q.repo.Owner+"/"+q.repo.Name {
			c.Body = *b.Body
			return jsonResponse(http.StatusOK, s.ghComment(c))
		}
	}
	return jsonError(http.StatusNotFound, "Not Found")
}

func jsonResponse(status int, v any) response {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return jsonError(http.StatusInternalServerError, "encoding: "+err.Error())
	}
	w.Flush()
	return response{status: status, body: buf.Bytes()}
}

func errorBody(msg string, status int) string {
	b, _ := json.Marshal(map[string]string{
		"message": msg, "documentation_url": "https://docs.github.com/rest", "status": strconv.Itoa(status),
	})
	return string(b)
}

func jsonError(status int, msg string) response {
	return response{status: status, body: []byte(errorBody(msg, status))}
}

func validationError(field, code string) response {
	b, _ := json.Marshal(map[string]any{
		"message":           "Validation Failed",
		"errors":            []map[string]string{{"resource": "Resource", "field": field, "code": code}},
		"documentation_url": "https://docs.github.com/rest",
		"status":            "422",
	})
	return response{status: http.StatusUnprocessableEntity, body: b}
}
