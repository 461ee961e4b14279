package githubtest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v62/github"
)

// IssueComment is a pull request conversation comment.
type IssueComment struct {
	ID                  int64
	Repo                string
	Number              int
	Body                string
	UserLogin, UserType string
}

// Reaction is a reaction put on a comment.
type Reaction struct {
	Repo      string
	CommentID int64
	// On is "issue" (a conversation comment) or "review" (a review comment).
	On      string
	Content string
	User    string
}

// Approval is a human's review of a pull request, as ListReviews shows it.
type Approval struct {
	// ID is set by AddApproval.
	ID       int64
	Number   int
	User     string
	State    string // APPROVED, CHANGES_REQUESTED, COMMENTED
	CommitID string
}

// GitCommit is a commit made through the git data API.
type GitCommit struct {
	SHA     string
	Repo    string
	Message string
	Parents []string
	Tree    string
	// Files is the whole snapshot of the commit (path → content).
	Files map[string][]byte
	// Changed are the paths the commit's tree request wrote, and Modes
	// their modes as written.
	Changed []string
	Modes   map[string]string
}

// Push is a branch moved by UpdateRef.
type Push struct {
	Repo, Branch, Before, After string
}

// conversation is the state behind comments, reactions, permissions,
// approvals and the git data endpoints.
type conversation struct {
	permissions   map[string]string
	issueComments []*IssueComment
	reactions     []Reaction
	approvals     map[string][]Approval
	trees         map[string]map[string][]byte
	treeChanged   map[string][]string
	treeModes     map[string]map[string]string
	commits       map[string]*GitCommit
	commitOrder   []string
	pushes        []Push
	onPush        func(Push)
	refs          map[string]string
}

func (c *conversation) init() {
	if c.permissions == nil {
		c.permissions = map[string]string{}
		c.approvals = map[string][]Approval{}
		c.trees = map[string]map[string][]byte{}
		c.treeChanged = map[string][]string{}
		c.treeModes = map[string]map[string]string{}
		c.commits = map[string]*GitCommit{}
		c.refs = map[string]string{}
	}
}

// SetPermission sets a user's permission on a repository as the
// collaborator permission endpoint reports it: a role ("admin", "maintain",
// "write", "triage", "read") or "none". Users never set are unknown to GitHub (404).
func (s *Server) SetPermission(owner, name, user, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	s.conv.permissions[owner+"/"+name+"/"+strings.ToLower(user)] = permission
}

// AddApproval seeds a human's review of a pull request.
func (s *Server) AddApproval(owner, name string, a Approval) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	s.nextID++
	a.ID = s.nextID
	k := owner + "/" + name
	s.conv.approvals[k] = append(s.conv.approvals[k], a)
}

// OnPush calls f (on its own goroutine) after each branch update, as GitHub
// then sends a push and a pull_request synchronize delivery.
func (s *Server) OnPush(f func(Push)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.onPush = f
}

// SetRef makes ref (a tag or branch) of a seeded repository name sha, as
// GET /repos/{owner}/{repo}/commits/{ref} answers it.
func (s *Server) SetRef(owner, name, ref, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	s.conv.refs[owner+"/"+name+"@"+ref] = sha
}

// IssueComments returns copies of a pull request's conversation comments.
func (s *Server) IssueComments(owner, name string, number int) []IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []IssueComment
	for _, c := range s.conv.issueComments {
		if c.Repo == owner+"/"+name && c.Number == number {
			out = append(out, *c)
		}
	}
	return out
}

// Reactions returns every reaction put on a comment.
func (s *Server) Reactions() []Reaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.conv.reactions)
}

// GitCommits returns the commits made through the git data API, oldest first.
func (s *Server) GitCommits() []GitCommit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]GitCommit, 0, len(s.conv.commitOrder))
	for _, sha := range s.conv.commitOrder {
		cc := *s.conv.commits[sha]
		cc.Files = maps.Clone(cc.Files)
		cc.Modes = maps.Clone(cc.Modes)
		out = append(out, cc)
	}
	return out
}

// Pushes returns the branch updates made through UpdateRef.
func (s *Server) Pushes() []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.conv.pushes)
}

func (s *Server) handleConversation(name string, q *request) (response, bool) {
	s.conv.init()
	switch name {
	case "GET /repos/{owner}/{repo}/collaborators/{username}/permission":
		return s.getPermission(q), true
	case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments":
		return s.createIssueComment(q), true
	case "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions":
		return s.createReaction(q, "issue"), true
	case "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions":
		return s.createReaction(q, "review"), true
	case "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies":
		return s.replyComment(q), true
	case "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews":
		return s.listReviews(q), true
	case "GET /repos/{owner}/{repo}/git/commits/{commit_sha}":
		return s.getGitCommit(q), true
	case "POST /repos/{owner}/{repo}/git/trees":
		return s.createTree(q), true
	case "POST /repos/{owner}/{repo}/git/commits":
		return s.createGitCommit(q), true
	case "PATCH /repos/{owner}/{repo}/git/refs/{ref}":
		return s.updateRef(q), true
	case "GET /repos/{owner}/{repo}/commits/{ref}":
		return s.getCommit(q), true
	}
	return response{}, false
}

func repoKey(q *request) string { return q.repo.Owner + "/" + q.repo.Name }

func (s *Server) getPermission(q *request) response {
	p, ok := s.conv.permissions[repoKey(q)+"/"+strings.ToLower(q.params["username"])]
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	// The permission field folds the finer roles in, as GitHub does:
	// maintain reads "write", triage reads "read"; role_name keeps them.
	perm := map[string]string{"maintain": "write", "triage": "read"}[p]
	if perm == "" {
		perm = p
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"permission": perm, "role_name": p,
		"user": map[string]any{"login": q.params["username"], "type": "User"},
	})
}

func (s *Server) createIssueComment(q *request) response {
	n, _ := strconv.Atoi(q.params["issue_number"])
	if s.pulls[fmt.Sprintf("%s#%d", repoKey(q), n)] == nil {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	body, ok := commentText(q)
	if !ok {
		return validationError("body", "missing_field")
	}
	s.nextID++
	c := &IssueComment{ID: s.nextID, Repo: repoKey(q), Number: n, Body: body, UserLogin: s.BotLogin, UserType: "Bot"}
	s.conv.issueComments = append(s.conv.issueComments, c)
	return jsonResponse(http.StatusCreated, &gh.IssueComment{ID: gh.Int64(c.ID), Body: gh.String(body),
		User: &gh.User{Login: gh.String(s.BotLogin), Type: gh.String("Bot")}})
}

// commentText reads a comment request's required, non-empty body.
func commentText(q *request) (string, bool) {
	var b struct {
		Body *string `json:"body"`
	}
	if json.Unmarshal(q.body, &b) != nil || b.Body == nil || *b.Body == "" {
		return "", false
	}
	return *b.Body, true
}

// validReactions are the reaction contents GitHub accepts.
var validReactions = map[string]bool{"+1": true, "-1": true, "laugh": true, "confused": true, "heart": true, "hooray": true, "rocket": true, "eyes": true}

func (s *Server) createReaction(q *request, on string) response {
	id, _ := strconv.ParseInt(q.params["comment_id"], 10, 64)
	var b struct {
		Content string `json:"content"`
	}
	if json.Unmarshal(q.body, &b) != nil || !validReactions[b.Content] {
		return validationError("content", "invalid")
	}
	for _, r := range s.conv.reactions {
		if r.Repo == repoKey(q) && r.CommentID == id && r.On == on && r.Content == b.Content && r.User == s.BotLogin {
			// Already there: GitHub answers 200 with the existing one.
			return jsonResponse(http.StatusOK, &gh.Reaction{Content: gh.String(r.Content)})
		}
	}
	s.conv.reactions = append(s.conv.reactions, Reaction{Repo: repoKey(q), CommentID: id, On: on, Content: b.Content, User: s.BotLogin})
	return jsonResponse(http.StatusCreated, &gh.Reaction{Content: gh.String(b.Content)})
}

func (s *Server) replyComment(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	id, _ := strconv.ParseInt(q.params["comment_id"], 10, 64)
	var parent *Comment
	for _, c := range s.comments {
		if c.ID == id && c.Repo == repoKey(q) && c.Number == pr.Number {
			parent = c
		}
	}
	if parent == nil {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	body, ok := commentText(q)
	if !ok {
		return validationError("body", "missing_field")
	}
	s.nextID++
	c := &Comment{ID: s.nextID, Repo: parent.Repo, Number: pr.Number, Path: parent.Path, Line: parent.Line, Side: parent.Side,
		CommitID: parent.CommitID, Body: body, UserLogin: s.BotLogin, UserType: "Bot", InReplyTo: id}
	s.comments = append(s.comments, c)
	return jsonResponse(http.StatusCreated, s.ghComment(c))
}

func (s *Server) listReviews(q *request) response {
	pr, ok := s.pull(q)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	var all []*gh.PullRequestReview
	for _, r := range s.reviews {
		if r.Repo == repoKey(q) && r.Number == pr.Number {
			all = append(all, &gh.PullRequestReview{ID: gh.Int64(r.ID), State: gh.String("COMMENTED"), CommitID: gh.String(r.CommitID),
				User: &gh.User{Login: gh.String(s.BotLogin), Type: gh.String("Bot")}})
		}
	}
	for _, a := range s.conv.approvals[repoKey(q)] {
		if a.Number == pr.Number {
			all = append(all, &gh.PullRequestReview{ID: gh.Int64(a.ID), State: gh.String(a.State), CommitID: gh.String(a.CommitID),
				User: &gh.User{Login: gh.String(a.User), Type: gh.String("User")}})
		}
	}
	page, h := paginate(q, all)
	return response{status: http.StatusOK, header: h, body: mustJSON(page)}
}

// snapshot is every file of a commit: one made here, or one whose contents
// the test seeded with SetContent.
func (s *Server) snapshot(repo, sha string) (map[string][]byte, bool) {
	if c := s.conv.commits[sha]; c != nil && c.Repo == repo {
		return c.Files, true
	}
	prefix := repo + "@" + sha + ":"
	files := map[string][]byte{}
	for k, v := range s.contents {
		if p, ok := strings.CutPrefix(k, prefix); ok {
			files[p] = v
		}
	}
	return files, len(files) > 0
}

func (s *Server) getGitCommit(q *request) response {
	sha := q.params["commit_sha"]
	files, ok := s.snapshot(repoKey(q), sha)
	if !ok {
		return jsonError(http.StatusNotFound, "Not Found")
	}
	tree := treeSHA(files)
	s.conv.trees[tree] = files
	out := &gh.Commit{SHA: gh.String(sha), Tree: &gh.Tree{SHA: gh.String(tree)}}
	if c := s.conv.commits[sha]; c != nil {
		out.Message = gh.String(c.Message)
		for _, p := range c.Parents {
			out.Parents = append(out.Parents, &gh.Commit{SHA: gh.String(p)})
		}
	}
	return jsonResponse(http.StatusOK, out)
}

func (s *Server) createTree(q *request) response {
	var b struct {
		BaseTree string `json:"base_tree"`
		Tree     []struct {
			Path    string  `json:"path"`
			Mode    string  `json:"mode"`
			Type    string  `json:"type"`
			Content *string `json:"content"`
			SHA     *string `json:"sha"`
		} `json:"tree"`
	}
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	base, ok := s.conv.trees[b.BaseTree]
	if b.BaseTree != "" && !ok {
		return validationError("base_tree", "invalid")
	}
	files := maps.Clone(base)
	if files == nil {
		files = map[string][]byte{}
	}
	var changed []string
	modes := map[string]string{}
	for _, e := range b.Tree {
		if e.Path == "" || strings.HasPrefix(e.Path, "/") || !slices.Contains([]string{"100644", "100755"}, e.Mode) || (e.Type != "" && e.Type != "blob") {
			return validationError("tree.path", "invalid")
		}
		switch {
		case e.Content != nil && e.SHA == nil:
			files[e.Path] = []byte(*e.Content)
		case e.SHA != nil && e.Content == nil && *e.SHA == "":
			delete(files, e.Path)
		default:
			return validationError("tree.content", "invalid")
		}
		changed = append(changed, e.Path)
		modes[e.Path] = e.Mode
	}
	tree := treeSHA(files)
	s.conv.trees[tree] = files
	s.conv.treeChanged[tree] = changed
	s.conv.treeModes[tree] = modes
	return jsonResponse(http.StatusCreated, &gh.Tree{SHA: gh.String(tree)})
}

func (s *Server) createGitCommit(q *request) response {
	var b struct {
		Message string   `json:"message"`
		Tree    string   `json:"tree"`
		Parents []string `json:"parents"`
	}
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	files, ok := s.conv.trees[b.Tree]
	if !ok || b.Message == "" || len(b.Parents) != 1 {
		return validationError("tree", "invalid")
	}
	h := sha1.New() // shiftward:ignore code/go-weak-hash git names objects by SHA-1, and so does this fake
	fmt.Fprintf(h, "commit\x00%s\x00%s\x00%s", b.Tree, strings.Join(b.Parents, ","), b.Message)
	sha := hex.EncodeToString(h.Sum(nil))
	if s.conv.commits[sha] == nil {
		s.conv.commitOrder = append(s.conv.commitOrder, sha)
	}
	s.conv.commits[sha] = &GitCommit{SHA: sha, Repo: repoKey(q), Message: b.Message, Parents: b.Parents, Tree: b.Tree,
		Files: files, Changed: s.conv.treeChanged[b.Tree], Modes: s.conv.treeModes[b.Tree]}
	return jsonResponse(http.StatusCreated, &gh.Commit{SHA: gh.String(sha), Message: gh.String(b.Message), Tree: &gh.Tree{SHA: gh.String(b.Tree)},
		Parents: []*gh.Commit{{SHA: gh.String(b.Parents[0])}}})
}

// updateRef moves a pull request's head branch to a commit made here. Only
// a fast-forward is accepted (force false): GitHub answers 422 "Update is
// not a fast forward" otherwise. The commit's files become readable at its
// sha and the pull request's head moves to it.
func (s *Server) updateRef(q *request) response {
	branch, ok := strings.CutPrefix(q.params["ref"], "heads/")
	if !ok {
		return validationError("ref", "invalid")
	}
	var b struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if err := json.Unmarshal(q.body, &b); err != nil {
		return jsonError(http.StatusBadRequest, "Problems parsing JSON")
	}
	c := s.conv.commits[b.SHA]
	if c == nil || c.Repo != repoKey(q) {
		return validationError("sha", "invalid")
	}
	var pr *PullRequest
	for k, p := range s.pulls {
		if strings.HasPrefix(k, repoKey(q)+"#") && p.HeadRef == branch {
			pr = p
		}
	}
	if pr == nil {
		return jsonError(http.StatusUnprocessableEntity, "Reference does not exist")
	}
	if !b.Force && !slices.Contains(c.Parents, pr.HeadSHA) {
		return jsonError(http.StatusUnprocessableEntity, "Update is not a fast forward")
	}
	push := Push{Repo: repoKey(q), Branch: branch, Before: pr.HeadSHA, After: b.SHA}
	pr.HeadSHA = b.SHA
	for p, content := range c.Files {
		s.contents[repoKey(q)+"@"+b.SHA+":"+p] = content
	}
	s.conv.pushes = append(s.conv.pushes, push)
	if f := s.conv.onPush; f != nil {
		go f(push)
	}
	return jsonResponse(http.StatusOK, &gh.Reference{Ref: gh.String("refs/heads/" + branch), Object: &gh.GitObject{SHA: gh.String(b.SHA), Type: gh.String("commit")}})
}

func treeSHA(files map[string][]byte) string {
	h := sha1.New() // shiftward:ignore code/go-weak-hash git names objects by SHA-1, and so does this fake
	for _, p := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s\x00%s\x00", p, BlobSHA(files[p]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// getCommit answers a commit lookup by ref; with the sha media type
// (application/vnd.github.sha, or its older name vnd.github.v3.sha) the body
// is the bare sha.
func (s *Server) getCommit(q *request) response {
	ref := q.params["ref"]
	sha, ok := s.conv.refs[repoKey(q)+"@"+ref]
	if !ok && len(ref) == 40 {
		sha, ok = ref, true
	}
	if !ok {
		return response{status: http.StatusUnprocessableEntity, body: []byte(`{"message":"No commit found for SHA: ` + ref + `","documentation_url":"https://docs.github.com/rest/commits/commits#get-a-commit","status":"422"}`)}
	}
	if a := q.r.Header.Get("Accept"); strings.Contains(a, "application/vnd.github.sha") || strings.Contains(a, "application/vnd.github.v3.sha") {
		h := http.Header{}
		h.Set("Content-Type", "application/vnd.github.sha; charset=utf-8")
		return response{status: http.StatusOK, header: h, body: []byte(sha)}
	}
	return jsonResponse(http.StatusOK, &gh.RepositoryCommit{SHA: gh.String(sha)})
}
