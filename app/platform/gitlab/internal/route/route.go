// Package route names the GitLab REST endpoints shiftward uses by their
// templates ("GET /projects/{id}/merge_requests/{merge_request_iid}/diffs"),
// so metrics never carry raw URLs with ids or paths, and the fake GitLab
// dispatches on the same names the adapter reports.
package route

import (
	"net/url"
	"strings"
)

// Routes shiftward calls, as GitLab's REST docs name them (paths below /api/v4).
const (
	CurrentUser      = "GET /user"
	ListVersions     = "GET /projects/{id}/merge_requests/{merge_request_iid}/versions"
	ListDiffs        = "GET /projects/{id}/merge_requests/{merge_request_iid}/diffs"
	RawFile          = "GET /projects/{id}/repository/files/{file_path}/raw"
	ListTree         = "GET /projects/{id}/repository/tree"
	Compare          = "GET /projects/{id}/repository/compare"
	ListDiscussions  = "GET /projects/{id}/merge_requests/{merge_request_iid}/discussions"
	CreateDiscussion = "POST /projects/{id}/merge_requests/{merge_request_iid}/discussions"
	ResolveThread    = "PUT /projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}"
	UpdateThreadNote = "PUT /projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}/notes/{note_id}"
	CreateNote       = "POST /projects/{id}/merge_requests/{merge_request_iid}/notes"
	UpdateNote       = "PUT /projects/{id}/merge_requests/{merge_request_iid}/notes/{note_id}"
	SetStatus        = "POST /projects/{id}/statuses/{sha}"
	GetMR            = "GET /projects/{id}/merge_requests/{merge_request_iid}"
	GetMember        = "GET /projects/{id}/members/all/{user_id}"
	AwardNoteEmoji   = "POST /projects/{id}/merge_requests/{merge_request_iid}/notes/{note_id}/award_emoji"
	AddThreadNote    = "POST /projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}/notes"
	GetApprovals     = "GET /projects/{id}/merge_requests/{merge_request_iid}/approvals"
	GetBranch        = "GET /projects/{id}/repository/branches/{branch}"
	CreateCommit     = "POST /projects/{id}/repository/commits"
	GetNote          = "GET /projects/{id}/merge_requests/{merge_request_iid}/notes/{note_id}"
	GetDiscussion    = "GET /projects/{id}/merge_requests/{merge_request_iid}/discussions/{discussion_id}"
	// The reconciler's: a project, its open merge requests, the statuses
	// of a commit, the project's webhooks.
	ListProjects = "GET /projects"
	GetProject   = "GET /projects/{id}"
	ListMRs      = "GET /projects/{id}/merge_requests"
	ListStatuses = "GET /projects/{id}/repository/commits/{sha}/statuses"
	ListHooks    = "GET /projects/{id}/hooks"
	Other        = "other"
)

var all = []string{
	CurrentUser, ListVersions, ListDiffs, RawFile, Compare, ListDiscussions, CreateDiscussion,
	ResolveThread, UpdateThreadNote, CreateNote, UpdateNote, SetStatus,
	GetMR, GetMember, AwardNoteEmoji, AddThreadNote, GetApprovals, GetBranch, CreateCommit,
	GetNote, GetDiscussion, ListTree, ListProjects, GetProject, ListMRs, ListStatuses, ListHooks,
}

// APIPrefix is the path prefix every GitLab REST route sits under.
const APIPrefix = "/api/v4"

// Match names the route of method and escapedPath (the URL's escaped path,
// from /api/v4 on, or with it already removed) and returns its parameters,
// unescaped. The escaped form matters: GitLab takes a file path or a project
// path as one segment with its slashes encoded (%2F). Unknown requests give
// Other.
func Match(method, escapedPath string) (string, map[string]string) {
	p := escapedPath
	if i := strings.Index(p, APIPrefix+"/"); i >= 0 {
		p = p[i+len(APIPrefix):]
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for _, r := range all {
		m, tmpl, _ := strings.Cut(r, " ")
		if m != method {
			continue
		}
		if params, ok := matchSegs(strings.Split(strings.Trim(tmpl, "/"), "/"), segs); ok {
			return r, params
		}
	}
	return Other, nil
}

func matchSegs(tmpl, segs []string) (map[string]string, bool) {
	if len(segs) != len(tmpl) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range tmpl {
		if segs[i] == "" {
			return nil, false
		}
		if t[0] != '{' {
			if t != segs[i] {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return nil, false
		}
		params[strings.Trim(t, "{}")] = v
	}
	return params, true
}
