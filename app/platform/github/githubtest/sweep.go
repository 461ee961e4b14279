package githubtest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/shiftward/shiftward/app/platform/github/internal/route"
)

// Delivery is one attempt of one of the app's webhook deliveries, as GET
// /app/hook/deliveries lists it.
type Delivery struct {
	ID   int64
	GUID string
	At   time.Time
	// Redelivery marks an attempt made by POST .../attempts.
	Redelivery bool
	// StatusCode is the webhook's answer, 0 when none came.
	StatusCode     int
	Event, Action  string
	InstallationID int64
	RepositoryID   int64
	// Payload is the body a redelivery sends (see SetRedeliverer).
	Payload []byte
}

// status is GitHub's words for an attempt's outcome.
func (d *Delivery) status() string {
	switch {
	case d.StatusCode == 0:
		return "timed out"
	case d.StatusCode >= 200 && d.StatusCode < 300:
		return "OK"
	}
	return "Invalid HTTP Response: " + strconv.Itoa(d.StatusCode)
}

// AddDelivery seeds an attempt and returns its id (given, or a new one).
func (s *Server) AddDelivery(d Delivery) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.ID == 0 {
		s.nextID++
		d.ID = s.nextID
	}
	if d.At.IsZero() {
		d.At = s.now()
	}
	s.deliveries = append(s.deliveries, &d)
	return d.ID
}

// SetRedeliveryStatus says what becomes of a redelivery GitHub accepts:
// the attempt it lists, answered with status (0: no answer). -1 lists no
// attempt at all, as when GitHub's list lags behind. The default lists an
// attempt answered 202.
func (s *Server) SetRedeliveryStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redeliverStatus = status
}

// SetRedeliverer makes each redelivery GitHub accepts actually deliver:
// deliver is called after the 202, on its own goroutine as GitHub's
// delivery is asynchronous, with the attempt (GUID, event and payload of
// the original); the attempt is listed with the status it returns.
func (s *Server) SetRedeliverer(deliver func(d Delivery) int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redeliverer = deliver
}

// Deliveries returns copies of every attempt, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, 0, len(s.deliveries))
	for _, d := range s.deliveries {
		out = append(out, *d)
	}
	return out
}

// handleApp answers the routes GitHub serves the App itself (its JWT
// checked); s.mu is held.
func (s *Server) handleApp(name string, q *request) response {
	switch name {
	case route.ListInstallations:
		return s.listInstallations(q)
	case route.ListHookDeliveries:
		return s.listDeliveries(q)
	}
	return s.redeliver(q)
}

// listInstallations serves GET /app/installations: one per installation id
// of the seeded repositories, by id.
func (s *Server) listInstallations(q *request) response {
	ids := map[int64]string{}
	for _, r := range s.repos {
		ids[r.Installation] = r.Owner
	}
	out := make([]*gh.Installation, 0, len(ids))
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		out = append(out, &gh.Installation{ID: gh.Int64(id), AppID: gh.Int64(s.AppID),
			Account: &gh.User{Login: gh.String(ids[id])}, TargetType: gh.String("Organization"),
			RepositorySelection: gh.String("all")})
	}
	page, h := paginate(q, out)
	resp := jsonResponse(http.StatusOK, page)
	resp.header = h
	return resp
}

// listInstallRepos serves GET /installation/repositories for the token's
// installation, by name, paginated by page.
func (s *Server) listInstallRepos(q *request) response {
	inst := s.tokens[bearer(q.r)]
	var repos []*gh.Repository
	for _, k := range slices.Sorted(maps.Keys(s.repos)) {
		r := s.repos[k]
		if r.Installation != inst {
			continue
		}
		gr := s.ghRepo(r)
		gr.Archived = gh.Bool(r.Archived)
		if !r.PushedAt.IsZero() {
			gr.PushedAt = &gh.Timestamp{Time: r.PushedAt}
		}
		repos = append(repos, gr)
	}
	page, h := paginate(q, repos)
	if page == nil {
		page = []*gh.Repository{}
	}
	resp := jsonResponse(http.StatusOK, &gh.ListRepositories{TotalCount: gh.Int(len(repos)), Repositories: page})
	resp.header = h
	return resp
}

// listPulls serves GET /repos/{owner}/{repo}/pulls: state (open by
// default, closed, all), sorted by number, or by updated_at with
// sort=updated (direction desc by default there, as GitHub's docs say
// only for sort=created; asc when asked).
func (s *Server) listPulls(q *request) response {
	v := q.r.URL.Query()
	state := v.Get("state")
	if state == "" {
		state = "open"
	}
	var prs []*PullRequest
	for k, pr := range s.pulls {
		if !strings.HasPrefix(k, q.repo.Owner+"/"+q.repo.Name+"#") {
			continue
		}
		st := pr.State
		if st == "" {
			st = "open"
		}
		if state != "all" && st != state {
			continue
		}
		prs = append(prs, pr)
	}
	slices.SortFunc(prs, func(a, b *PullRequest) int { return b.Number - a.Number })
	if v.Get("sort") == "updated" {
		slices.SortStableFunc(prs, func(a, b *PullRequest) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
		if v.Get("direction") == "asc" {
			slices.Reverse(prs)
		}
	}
	out := make([]*gh.PullRequest, 0, len(prs))
	for _, pr := range prs {
		out = append(out, s.ghPull(q, pr))
	}
	page, h := paginate(q, out)
	resp := jsonResponse(http.StatusOK, page)
	resp.header = h
	return resp
}

// ghPull is a pull request as GitHub encodes it.
func (s *Server) ghPull(q *request, pr *PullRequest) *gh.PullRequest {
	repo := s.ghRepo(q.repo)
	head := repo
	if pr.HeadRepoID != 0 && pr.HeadRepoID != q.repo.ID {
		head = &gh.Repository{ID: gh.Int64(pr.HeadRepoID), Name: gh.String(q.repo.Name),
			Owner: &gh.User{Login: gh.String("fork-owner")}}
	}
	state := pr.State
	if state == "" {
		state = "open"
	}
	out := &gh.PullRequest{
		Number: gh.Int(pr.Number), State: gh.String(state), Draft: gh.Bool(false),
		Head:         &gh.PullRequestBranch{Ref: gh.String(pr.HeadRef), SHA: gh.String(pr.HeadSHA), Repo: head},
		Base:         &gh.PullRequestBranch{Ref: gh.String(pr.BaseRef), SHA: gh.String(pr.BaseSHA), Repo: repo},
		ChangedFiles: gh.Int(min(len(pr.Files), maxPRFiles)),
	}
	if !pr.UpdatedAt.IsZero() {
		out.UpdatedAt = &gh.Timestamp{Time: pr.UpdatedAt}
	}
	return out
}

// listDeliveries serves GET /app/hook/deliveries: attempts newest first,
// per_page at most 100, paginated by an opaque cursor that GitHub's Link
// header names (rel="next" only).
func (s *Server) listDeliveries(q *request) response {
	v := q.r.URL.Query()
	per, _ := strconv.Atoi(v.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	ds := slices.Clone(s.deliveries)
	slices.SortStableFunc(ds, func(a, b *Delivery) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	start := 0
	if c := v.Get("cursor"); c != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(c, "v1_"), 10, 64)
		if err != nil || !strings.HasPrefix(c, "v1_") {
			return validationError("cursor", "invalid")
		}
		start = len(ds)
		for i, d := range ds {
			if d.ID == id {
				start = i + 1
			}
		}
	}
	end := min(start+per, len(ds))
	out := make([]map[string]any, 0, end-start)
	for _, d := range ds[start:end] {
		out = append(out, map[string]any{
			"id": d.ID, "guid": d.GUID, "delivered_at": d.At.UTC().Format(time.RFC3339),
			"redelivery": d.Redelivery, "duration": 0.27, "status": d.status(), "status_code": d.StatusCode,
			"event": d.Event, "action": nilIfEmpty(d.Action), "installation_id": nilIfZero(d.InstallationID),
			"repository_id": nilIfZero(d.RepositoryID), "throttled_at": nil,
		})
	}
	resp := jsonResponse(http.StatusOK, out)
	if end < len(ds) {
		resp.header = http.Header{}
		resp.header.Set("Link", fmt.Sprintf(`<http://%s%s?cursor=v1_%d&per_page=%d>; rel="next"`, q.r.Host, q.r.URL.Path, ds[end-1].ID, per))
	}
	return resp
}

// redeliver serves POST /app/hook/deliveries/{delivery_id}/attempts: 202,
// and (see SetRedeliveryStatus) a new attempt with the same GUID.
func (s *Server) redeliver(q *request) response {
	id, err := strconv.ParseInt(q.params["delivery_id"], 10, 64)
	var orig *Delivery
	for _, d := range s.deliveries {
		if err == nil && d.ID == id {
			orig = d
		}
	}
	if orig == nil {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	if deliver := s.redeliverer; deliver != nil {
		s.nextID++
		c := *orig
		c.ID, c.At, c.Redelivery = s.nextID, s.now(), true
		go func() {
			c.StatusCode = deliver(c)
			s.mu.Lock()
			s.deliveries = append(s.deliveries, &c)
			s.mu.Unlock()
		}()
	} else if s.redeliverStatus >= 0 {
		s.nextID++
		c := *orig
		c.ID, c.At, c.Redelivery, c.StatusCode = s.nextID, s.now(), true, s.redeliverStatus
		s.deliveries = append(s.deliveries, &c)
	}
	return response{status: http.StatusAccepted, body: []byte("{}")}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nilIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
