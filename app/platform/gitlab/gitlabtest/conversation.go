package gitlabtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/app/platform/gitlab/internal/route"
)

// Route names of the command and commit endpoints.
const (
	RouteGetMR          = route.GetMR
	RouteGetMember      = route.GetMember
	RouteAwardNoteEmoji = route.AwardNoteEmoji
	RouteAddThreadNote  = route.AddThreadNote
	RouteGetApprovals   = route.GetApprovals
	RouteGetBranch      = route.GetBranch
	RouteCreateCommit   = route.CreateCommit
	RouteGetNote        = route.GetNote
	RouteGetDiscussion  = route.GetDiscussion
)

// Award is an emoji awarded to a note.
type Award struct {
	ProjectID int64
	IID       int
	NoteID    int64
	Name      string
	User      string
}

// Commit is a commit made through the commits API.
type Commit struct {
	SHA, Parent, Branch, Message string
	ProjectID                    int64
	// Files are the files the commit's actions wrote.
	Files map[string][]byte
}

// Push is a branch moved by a commit made through the API.
type Push struct {
	ProjectID             int64
	Branch, Before, After string
}

// User is a project member, for permission checks and approvals.
type User struct {
	ID          int64
	Username    string
	AccessLevel int
}

type conversation struct {
	members   map[int64][]User
	approvals map[string][]User
	awards    []Award
	commits   []Commit
	closed    map[string]bool
	onPush    func(Push)
}

func (c *conversation) init() {
	if c.members == nil {
		c.members = map[int64][]User{}
		c.approvals = map[string][]User{}
		c.closed = map[string]bool{}
	}
}

// AddMember makes a user a member of a project with an access level
// (30 Developer, 40 Maintainer, 20 Reporter, 10 Guest).
func (s *Server) AddMember(projectID int64, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	s.conv.members[projectID] = append(s.conv.members[projectID], u)
}

// Approve records a user's approval of a merge request.
func (s *Server) Approve(projectID int64, iid int, u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	k := mrKey(projectID, iid)
	s.conv.approvals[k] = append(s.conv.approvals[k], u)
}

// DeleteNote deletes a note of a merge request (its author did, or a
// maintainer), dropping its thread when it was the thread's only note.
func (s *Server) DeleteNote(projectID int64, iid int, noteID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := mrKey(projectID, iid)
	ds := s.discussions[k][:0]
	for _, d := range s.discussions[k] {
		d.Notes = slices.DeleteFunc(d.Notes, func(n Note) bool { return n.ID == noteID })
		if len(d.Notes) > 0 {
			ds = append(ds, d)
		}
	}
	s.discussions[k] = ds
}

// CloseMR marks a merge request closed.
func (s *Server) CloseMR(projectID int64, iid int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.init()
	s.conv.closed[mrKey(projectID, iid)] = true
}

// OnPush calls f (on its own goroutine) after a commit moves a branch, as
// GitLab then sends a push and a merge request update hook.
func (s *Server) OnPush(f func(Push)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conv.onPush = f
}

// Awards returns the emoji awarded to notes.
func (s *Server) Awards() []Award {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.conv.awards)
}

// Commits returns the commits made through the API, oldest first.
func (s *Server) Commits() []Commit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.conv.commits)
}

// handleMRConversation answers the merge request endpoints of commands.
func (s *Server) handleMRConversation(name string, q *request, mr *MergeRequest) (response, bool) {
	s.conv.init()
	switch name {
	case route.GetMR:
		return s.getMR(q, mr), true
	case route.AwardNoteEmoji:
		return s.awardEmoji(q, mr), true
	case route.AddThreadNote:
		return s.addThreadNote(q, mr), true
	case route.GetNote:
		// GitLab looks the note up among this merge request's notes only:
		// a note of another one, or a deleted one, is 404.
		id, _ := strconv.ParseInt(q.params["note_id"], 10, 64)
		for _, d := range s.discussions[mrKey(q.project.ID, mr.IID)] {
			for i := range d.Notes {
				if d.Notes[i].ID == id {
					return jsonResponse(http.StatusOK, s.noteJSON(&d.Notes[i], d, mr)), true
				}
			}
		}
		return jsonError(http.StatusNotFound, "404 Not found"), true
	case route.GetDiscussion:
		if d := s.findDiscussion(q, mr); d != nil {
			return jsonResponse(http.StatusOK, s.discussionJSON(d, mr)), true
		}
		return jsonError(http.StatusNotFound, "404 Not found"), true
	case route.GetApprovals:
		var by []map[string]any
		for _, u := range s.conv.approvals[mrKey(q.project.ID, mr.IID)] {
			by = append(by, map[string]any{"user": map[string]any{"id": u.ID, "username": u.Username, "name": u.Username, "state": "active"}})
		}
		return jsonResponse(http.StatusOK, map[string]any{"iid": mr.IID, "project_id": q.project.ID, "approved": len(by) > 0, "approved_by": by}), true
	}
	return response{}, false
}

// handleProjectConversation answers the project endpoints of commands.
func (s *Server) handleProjectConversation(name string, q *request) (response, bool) {
	s.conv.init()
	switch name {
	case route.GetMember:
		id, _ := strconv.ParseInt(q.params["user_id"], 10, 64)
		for _, u := range s.conv.members[q.project.ID] {
			if u.ID == id {
				return jsonResponse(http.StatusOK, map[string]any{"id": u.ID, "username": u.Username, "name": u.Username,
					"state": "active", "access_level": u.AccessLevel}), true
			}
		}
		return jsonError(http.StatusNotFound, "404 Not found"), true
	case route.GetBranch:
		mr := s.mrOfBranch(q.project.ID, q.params["branch"])
		if mr == nil {
			return jsonError(http.StatusNotFound, "404 Branch Not Found"), true
		}
		return jsonResponse(http.StatusOK, map[string]any{"name": mr.SourceBranch, "commit": map[string]any{"id": headOf(mr)}}), true
	case route.CreateCommit:
		return s.createCommit(q), true
	}
	return response{}, false
}

func headOf(mr *MergeRequest) string {
	if len(mr.Versions) == 0 {
		return ""
	}
	return mr.Versions[len(mr.Versions)-1].HeadSHA
}

func (s *Server) mrOfBranch(projectID int64, branch string) *MergeRequest {
	for k, mr := range s.mrs {
		if strings.HasPrefix(k, fmt.Sprintf("%d!", projectID)) && mr.SourceBranch == branch {
			return mr
		}
	}
	return nil
}

func (s *Server) getMR(q *request, mr *MergeRequest) response {
	state := "opened"
	if s.conv.closed[mrKey(q.project.ID, mr.IID)] {
		state = "closed"
	}
	out := map[string]any{
		"iid": mr.IID, "project_id": q.project.ID, "state": state, "source_branch": mr.SourceBranch,
		"target_branch": mr.TargetBranch, "source_project_id": q.project.ID, "target_project_id": q.project.ID,
		"sha": headOf(mr),
	}
	if n := len(mr.Versions); n > 0 {
		v := mr.Versions[n-1]
		out["diff_refs"] = map[string]any{"base_sha": v.BaseSHA, "head_sha": v.HeadSHA, "start_sha": v.StartSHA}
	}
	return jsonResponse(http.StatusOK, out)
}

// findNote finds a note of a merge request by id.
func (s *Server) findNote(q *request, mr *MergeRequest, id int64) *Note {
	for _, d := range s.discussions[mrKey(q.project.ID, mr.IID)] {
		for i := range d.Notes {
			if d.Notes[i].ID == id {
				return &d.Notes[i]
			}
		}
	}
	return nil
}

func (s *Server) awardEmoji(q *request, mr *MergeRequest) response {
	id, _ := strconv.ParseInt(q.params["note_id"], 10, 64)
	if s.findNote(q, mr, id) == nil {
		return jsonError(http.StatusNotFound, "404 Note Not Found")
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeBody(q, &in); err != nil || in.Name == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - name is missing")
	}
	for _, a := range s.conv.awards {
		if a.ProjectID == q.project.ID && a.NoteID == id && a.Name == in.Name && a.User == s.BotUsername {
			return jsonError(http.StatusNotFound, "404 Award Emoji Name has already been taken")
		}
	}
	s.conv.awards = append(s.conv.awards, Award{ProjectID: q.project.ID, IID: mr.IID, NoteID: id, Name: in.Name, User: s.BotUsername})
	s.nextID++
	return jsonResponse(http.StatusCreated, map[string]any{"id": s.nextID, "name": in.Name, "awardable_id": id, "awardable_type": "Note",
		"user": map[string]any{"id": s.BotID, "username": s.BotUsername}})
}

func (s *Server) addThreadNote(q *request, mr *MergeRequest) response {
	d := s.findDiscussion(q, mr)
	if d == nil {
		return jsonError(http.StatusNotFound, "404 Discussion Not Found")
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeBody(q, &in); err != nil || strings.TrimSpace(in.Body) == "" {
		return jsonError(http.StatusBadRequest, "400 Bad request - body is missing")
	}
	s.nextID++
	d.Notes = append(d.Notes, Note{ID: s.nextID, Body: in.Body, AuthorID: s.BotID, AuthorUsername: s.BotUsername})
	d.IndividualNote = false
	return jsonResponse(http.StatusCreated, s.noteJSON(&d.Notes[len(d.Notes)-1], d, mr))
}

// createCommit applies "create"/"update"/"delete" actions on top of the
// branch's head (the merge request's latest version) and moves the branch:
// the merge request gets a new version whose files are readable at the new
// sha. Diffs of the new version are left to the test (OnPush).
func (s *Server) createCommit(q *request) response {
	var in struct {
		Branch        string `json:"branch"`
		CommitMessage string `json:"commit_message"`
		Actions       []struct {
			Action   string  `json:"action"`
			FilePath string  `json:"file_path"`
			Content  *string `json:"content"`
		} `json:"actions"`
	}
	if err := decodeBody(q, &in); err != nil || in.Branch == "" || in.CommitMessage == "" || len(in.Actions) == 0 {
		return jsonError(http.StatusBadRequest, "400 Bad request - branch, commit_message or actions missing")
	}
	mr := s.mrOfBranch(q.project.ID, in.Branch)
	if mr == nil {
		return jsonError(http.StatusBadRequest, "400 You can only create or edit files when you are on a branch")
	}
	before := headOf(mr)
	prefix := fmt.Sprintf("%d@%s:", q.project.ID, before)
	files := map[string][]byte{}
	for k, v := range s.contents {
		if p, ok := strings.CutPrefix(k, prefix); ok {
			files[p] = v
		}
	}
	written := map[string][]byte{}
	for _, a := range in.Actions {
		_, exists := files[a.FilePath]
		switch {
		case a.Action == "update" && exists && a.Content != nil, a.Action == "create" && !exists && a.Content != nil:
			files[a.FilePath] = []byte(*a.Content)
			written[a.FilePath] = []byte(*a.Content)
		case a.Action == "delete" && exists:
			delete(files, a.FilePath)
		default:
			return jsonError(http.StatusBadRequest, fmt.Sprintf("400 A file with this name doesn't exist (%s)", a.FilePath))
		}
	}
	h := sha1.New() // shiftward:ignore code/go-weak-hash git names objects by SHA-1, and so does this fake
	fmt.Fprintf(h, "%s\x00%s\x00%d", before, in.CommitMessage, len(s.conv.commits))
	for _, p := range slices.Sorted(maps.Keys(written)) {
		fmt.Fprintf(h, "%s\x00%s\x00", p, written[p])
	}
	sha := hex.EncodeToString(h.Sum(nil))
	for p, v := range files {
		s.contents[fmt.Sprintf("%d@%s:%s", q.project.ID, sha, p)] = v
	}
	s.conv.commits = append(s.conv.commits, Commit{SHA: sha, Parent: before, Branch: in.Branch, Message: in.CommitMessage, ProjectID: q.project.ID, Files: written})
	push := Push{ProjectID: q.project.ID, Branch: in.Branch, Before: before, After: sha}
	if f := s.conv.onPush; f != nil {
		go f(push)
	}
	return jsonResponse(http.StatusCreated, map[string]any{"id": sha, "short_id": sha[:8], "message": in.CommitMessage, "parent_ids": []string{before}})
}
