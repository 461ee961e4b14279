// Package route names the GitHub REST endpoints shiftward uses by their
// templates ("GET /repos/{owner}/{repo}/pulls/{pull_number}/files"), so
// metrics never carry raw URLs with ids, and the fake GitHub dispatches on the
// same names the adapter reports.
package route

import (
	"strings"
)

// Routes shiftward calls, as GitHub's REST docs name them.
const (
	AccessTokens    = "POST /app/installations/{installation_id}/access_tokens"
	GetPull         = "GET /repos/{owner}/{repo}/pulls/{pull_number}"
	ListFiles       = "GET /repos/{owner}/{repo}/pulls/{pull_number}/files"
	GetContent      = "GET /repos/{owner}/{repo}/contents/{path}"
	Compare         = "GET /repos/{owner}/{repo}/compare/{basehead}"
	GetTree         = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}"
	CreateCheckRun  = "POST /repos/{owner}/{repo}/check-runs"
	UpdateCheckRun  = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"
	GetCheckRun     = "GET /repos/{owner}/{repo}/check-runs/{check_run_id}"
	ListCheckRuns   = "GET /repos/{owner}/{repo}/commits/{ref}/check-runs"
	CreateReview    = "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"
	ListComments    = "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"
	CreateComment   = "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments"
	UpdateComment   = "PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}"
	ReplyComment    = "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies"
	ListReviews     = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"
	GetPermission   = "GET /repos/{owner}/{repo}/collaborators/{username}/permission"
	CreateIssueNote = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"
	IssueReaction   = "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
	ReviewReaction  = "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions"
	GetGitCommit    = "GET /repos/{owner}/{repo}/git/commits/{commit_sha}"
	CreateTree      = "POST /repos/{owner}/{repo}/git/trees"
	CreateGitCommit = "POST /repos/{owner}/{repo}/git/commits"
	UpdateRef       = "PATCH /repos/{owner}/{repo}/git/refs/{ref}"
	GetCommit       = "GET /repos/{owner}/{repo}/commits/{ref}"
	// The reconciler's: installations, their repositories and open pull
	// requests, and the app's webhook deliveries.
	ListInstallations  = "GET /app/installations"
	ListInstallRepos   = "GET /installation/repositories"
	ListPulls          = "GET /repos/{owner}/{repo}/pulls"
	ListHookDeliveries = "GET /app/hook/deliveries"
	RedeliverHook      = "POST /app/hook/deliveries/{delivery_id}/attempts"
	Other              = "other"
	placeholderStart   = '{'
)

var all = []string{
	AccessTokens, GetPull, ListFiles, GetContent, Compare, GetTree, CreateCheckRun, UpdateCheckRun,
	GetCheckRun, ListCheckRuns, CreateReview, ListComments, CreateComment, UpdateComment,
	ReplyComment, ListReviews, GetPermission, CreateIssueNote, IssueReaction, ReviewReaction,
	GetGitCommit, CreateTree, CreateGitCommit, UpdateRef,
	ListInstallations, ListInstallRepos, ListPulls, ListHookDeliveries, RedeliverHook,
	// After ListCheckRuns: its {ref} would take ".../check-runs" too.
	GetCommit,
}

// Match names the route of method and path (the URL path with any API prefix
// such as GHES's /api/v3 already removed) and returns its parameters. The
// last parameter of a template ({path}, {ref}) takes the rest of the path; a
// last {path} may be empty (the root directory's contents). Unknown requests
// give Other.
func Match(method, path string) (string, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
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
	params := map[string]string{}
	for i, t := range tmpl {
		if t == "{path}" && i == len(tmpl)-1 && i == len(segs) {
			// The contents of the root directory: GitHub takes the path
			// left out ("/contents/").
			params["path"] = ""
			return params, true
		}
		if i >= len(segs) || segs[i] == "" {
			return nil, false
		}
		if t == "" || t[0] != placeholderStart {
			if t != segs[i] {
				return nil, false
			}
			continue
		}
		name := strings.Trim(t, "{}")
		if (name == "path" || name == "ref") && i == len(tmpl)-1 {
			params[name] = strings.Join(segs[i:], "/")
			return params, true
		}
		params[name] = segs[i]
	}
	if len(segs) != len(tmpl) {
		return nil, false
	}
	return params, true
}
