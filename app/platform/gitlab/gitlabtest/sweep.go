package gitlabtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
)

// Hook is a project webhook as GET /projects/:id/hooks lists it.
type Hook struct {
	ID  int64
	URL string
	// AlertStatus is "executable" when empty, "disabled" or
	// "temporarily_disabled" (GitLab 15.7+).
	AlertStatus string
	// DisabledUntil is when a temporarily disabled hook is tried again.
	DisabledUntil time.Time
}

// AddHook seeds a project webhook; a hook without an id gets one.
func (s *Server) AddHook(projectID int64, h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.ID == 0 {
		s.nextID++
		h.ID = s.nextID
	}
	s.hooks[projectID] = append(s.hooks[projectID], h)
}

// AddStatus seeds a commit status (one a crashed worker left running).
func (s *Server) AddStatus(projectID int64, st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	st.ID = s.nextID
	if st.CreatedAt.IsZero() {
		st.CreatedAt = time.Now()
	}
	k := fmt.Sprintf("%d@%s", projectID, st.SHA)
	s.statuses[k] = append(s.statuses[k], &st)
}

// handleSweep answers the reconciler's project routes; s.mu is held.
func (s *Server) handleSweep(name string, q *request) (response, bool) {
	switch name {
	case route.GetProject:
		p := q.project
		return jsonResponse(http.StatusOK, map[string]any{
			"id": p.ID, "path_with_namespace": p.PathWithNamespace, "default_branch": p.DefaultBranch,
			"name":    p.PathWithNamespace[strings.LastIndexByte(p.PathWithNamespace, '/')+1:],
			"web_url": s.URL + "/" + p.PathWithNamespace,
		}), true
	case route.ListMRs:
		return s.listMRs(q), true
	case route.ListStatuses:
		return s.listStatuses(q), true
	case route.ListHooks:
		return s.listHooks(q), true
	}
	return response{}, false
}

// listProjects serves GET /projects: every seeded project (the bot is a
// member of each), by id descending, simple form, paginated.
func (s *Server) listProjects(q *request) response {
	var ids []int64
	for id := range s.projects {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		p := s.projects[id]
		out = append(out, map[string]any{
			"id": p.ID, "path_with_namespace": p.PathWithNamespace, "default_branch": p.DefaultBranch,
			"name":    p.PathWithNamespace[strings.LastIndexByte(p.PathWithNamespace, '/')+1:],
			"web_url": s.URL + "/" + p.PathWithNamespace, "last_activity_at": "2024-01-01T00:00:00.000Z",
		})
	}
	page, h := paginate(q, out)
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

// listMRs serves GET /projects/:id/merge_requests: state (all by default,
// or opened, closed, merged), by iid descending, or by updated_at with
// order_by=updated_at (sort desc by default).
func (s *Server) listMRs(q *request) response {
	v := q.r.URL.Query()
	var mrs []*MergeRequest
	for _, mr := range s.mrs {
		if mr.projectID != q.project.ID {
			continue
		}
		st := mr.State
		if st == "" {
			st = "opened"
		}
		if want := v.Get("state"); want != "" && want != "all" && want != st {
			continue
		}
		mrs = append(mrs, mr)
	}
	slices.SortFunc(mrs, func(a, b *MergeRequest) int { return b.IID - a.IID })
	if v.Get("order_by") == "updated_at" {
		slices.SortStableFunc(mrs, func(a, b *MergeRequest) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
		if v.Get("sort") == "asc" {
			slices.Reverse(mrs)
		}
	}
	out := make([]map[string]any, 0, len(mrs))
	for _, mr := range mrs {
		st := mr.State
		if st == "" {
			st = "opened"
		}
		head := ""
		if n := len(mr.Versions); n > 0 {
			head = mr.Versions[n-1].HeadSHA
		}
		updated := mr.UpdatedAt
		if updated.IsZero() {
			updated = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		out = append(out, map[string]any{
			"id": mr.IID + 100, "iid": mr.IID, "project_id": mr.projectID, "title": fmt.Sprintf("MR %d", mr.IID),
			"state": st, "source_branch": mr.SourceBranch, "target_branch": mr.TargetBranch,
			"source_project_id": mr.projectID, "target_project_id": mr.projectID, "sha": head,
			"draft": false, "updated_at": updated.UTC().Format(time.RFC3339Nano), "created_at": "2024-01-01T00:00:00.000Z",
			"web_url": fmt.Sprintf("%s/%s/-/merge_requests/%d", s.URL, q.project.PathWithNamespace, mr.IID),
		})
	}
	page, h := paginate(q, out)
	if page == nil {
		page = []map[string]any{}
	}
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

// listStatuses serves GET /projects/:id/repository/commits/:sha/statuses:
// with all unset, the latest status of each name and ref; name and ref
// filter.
func (s *Server) listStatuses(q *request) response {
	v := q.r.URL.Query()
	latest := map[string]*Status{}
	for _, st := range s.statuses[fmt.Sprintf("%d@%s", q.project.ID, q.params["sha"])] {
		if n := v.Get("name"); n != "" && st.Name != n {
			continue
		}
		if r := v.Get("ref"); r != "" && st.Ref != r {
			continue
		}
		k := st.Name + "\x00" + st.Ref
		if v.Get("all") == "true" {
			k = fmt.Sprint(st.ID)
		}
		if cur := latest[k]; cur == nil || st.ID > cur.ID {
			latest[k] = st
		}
	}
	var out []map[string]any
	for _, st := range latest {
		m := map[string]any{
			"id": st.ID, "sha": st.SHA, "ref": st.Ref, "status": st.State, "name": st.Name,
			"description": st.Description, "target_url": nilIfEmpty(st.TargetURL), "allow_failure": false,
			"created_at": st.CreatedAt.UTC().Format(time.RFC3339Nano), "started_at": nil, "finished_at": nil,
			"author": map[string]any{"id": s.BotID, "username": s.BotUsername},
		}
		if st.State == "running" {
			m["started_at"] = st.CreatedAt.UTC().Format(time.RFC3339Nano)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return int(a["id"].(int64) - b["id"].(int64)) })
	page, h := paginate(q, out)
	if page == nil {
		page = []map[string]any{}
	}
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}

// listHooks serves GET /projects/:id/hooks with GitLab 15.7+'s
// alert_status and disabled_until.
func (s *Server) listHooks(q *request) response {
	out := []map[string]any{}
	for _, h := range s.hooks[q.project.ID] {
		alert := h.AlertStatus
		if alert == "" {
			alert = "executable"
		}
		var until any
		if !h.DisabledUntil.IsZero() {
			until = h.DisabledUntil.UTC().Format(time.RFC3339Nano)
		}
		out = append(out, map[string]any{
			"id": h.ID, "url": h.URL, "project_id": q.project.ID, "push_events": true, "merge_requests_events": true,
			"note_events": true, "enable_ssl_verification": true, "alert_status": alert, "disabled_until": until,
			"created_at": "2024-01-01T00:00:00.000Z",
		})
	}
	page, h := paginate(q, out)
	r := jsonResponse(http.StatusOK, page)
	r.header = h
	return r
}
