package platform

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Command names.
const (
	CommandRescan  = "rescan"
	CommandIgnore  = "ignore"
	CommandExplain = "explain"
	CommandHelp    = "help"
)

// CommandPrefix starts a command line in a comment.
const CommandPrefix = "/shiftward"

// maxCommandLine bounds the command line kept in a job and quoted back.
const maxCommandLine = 300

// Comment kinds a command can come from.
const (
	// CommentIssue is a GitHub pull request conversation comment.
	CommentIssue = "issue"
	// CommentReview is a GitHub review comment on a line of the diff.
	CommentReview = "review"
	// CommentNote is a GitLab merge request note.
	CommentNote = "note"
)

// Command is a /shiftward command from one comment, in neutral form.
type Command struct {
	// Name is the command ("rescan", "ignore", "explain", "help"), or what
	// the user typed when it is none of those.
	Name string   `json:"name"`
	Args []string `json:"args,omitempty"`
	// Line is the command line as written, cut to maxCommandLine bytes.
	Line string `json:"line"`
	// Author is the commenter's login (GitHub) or username (GitLab) and
	// AuthorID their numeric id, which permission checks use on GitLab.
	Author   string `json:"author"`
	AuthorID int64  `json:"author_id,omitempty"`
	// CommentID is the comment (or note) to react to and reply to.
	CommentID int64 `json:"comment_id"`
	// Comment is CommentIssue, CommentReview or CommentNote.
	Comment string `json:"comment"`
	// DiscussionID is the GitLab discussion (thread) of the note.
	DiscussionID string `json:"discussion_id,omitempty"`
}

// StateChanging reports whether the command changes anything (a review run,
// a suppression): only users with write access may run those.
func (c *Command) StateChanging() bool {
	return c.Name == CommandRescan || c.Name == CommandIgnore
}

// ParseCommand finds the first command of a comment body: a line of its
// own that starts with /shiftward (after at most 3 spaces) and that
// CommonMark renders as text of a top-level paragraph. Lines inside fenced
// code blocks (``` or ~~~, closed only by a fence of the same character at
// least as long, running to the end of the body when unclosed), indented
// code, HTML blocks and comments, block quotes (GitLab's >>> ones too),
// list items, lazy continuations of those, and lines after an inline
// construct an earlier line left open (a code span, an HTML comment or tag,
// a link title) are not commands: a command pasted in code or quoted back
// in a reply never runs. ok is false when the body holds no command.
func ParseCommand(body string) (cmd Command, ok bool) {
	mdLines(body, func(line string, topLevel bool) bool {
		if !topLevel || indentColumns(line) > 3 {
			return true
		}
		t := strings.TrimSpace(line)
		rest, found := strings.CutPrefix(t, CommandPrefix)
		if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
			return true
		}
		cmd, ok = splitCommand(t, rest), true
		return false
	})
	return cmd, ok
}

// splitCommand makes a Command of a command line t whose text after the
// prefix is rest.
func splitCommand(t, rest string) Command {
	var cmd Command
	fields := strings.Fields(rest)
	cmd.Line = cut(t, maxCommandLine)
	if len(fields) == 0 {
		cmd.Name = CommandHelp
		return cmd
	}
	cmd.Name = strings.ToLower(cut(fields[0], 40))
	for _, a := range fields[1:] {
		if len(cmd.Args) == 20 {
			break
		}
		cmd.Args = append(cmd.Args, cut(a, maxCommandLine))
	}
	return cmd
}

// indentColumns is the width of line's leading spaces and tabs (a tab
// reaches the next multiple of 4).
func indentColumns(line string) int {
	col := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += tabStop - col%tabStop
		default:
			return col
		}
	}
	return col
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Conversation is the optional capability of a Client that answers comment
// commands.
type Conversation interface {
	// PullRequest returns c with its base, head and branch as the host
	// knows them now (a comment names only the number). A closed pull
	// request gives ErrChangeClosed.
	PullRequest(ctx context.Context, c Change) (Change, error)
	// CanWrite reports whether the command's author has write access to
	// the repository (GitHub: write, maintain or admin; GitLab: Developer
	// or above).
	CanWrite(ctx context.Context, c Change, cmd *Command) (bool, error)
	// React marks the command's comment as accepted (a +1 reaction).
	React(ctx context.Context, c Change, cmd *Command) error
	// Reply answers the command: in its thread when it has one, else on
	// the pull request.
	Reply(ctx context.Context, c Change, cmd *Command, body string) error
}

// CommandReader is the optional capability of a Client whose webhook
// payloads cannot vouch for a comment (GitLab: one webhook token may serve
// every project, so a delivery can claim any author and body). The worker
// reads the comment back through the API before acting on it.
type CommandReader interface {
	// ReadCommand reads cmd's comment from the host and returns the
	// command it holds there, its author as the host names them. ok is
	// false, with a nil error, when the comment is gone or not on c's pull
	// request, is a system note or the bot's own, or holds no command.
	ReadCommand(ctx context.Context, c Change, cmd *Command) (fresh Command, ok bool, err error)
}

// Committer is the optional capability of a Client that can commit files
// to a branch as the app.
type Committer interface {
	// Commit writes files (path → new content) on top of c.HeadSHA as one
	// commit on c's head branch and returns the new commit's sha. It fails
	// (ErrStale) when the branch has moved past c.HeadSHA.
	Commit(ctx context.Context, c Change, message string, files map[string][]byte) (string, error)
}

// PermissionError means the host refused a commit because the app lacks a
// permission some of its files need, however much else it may write
// (GitHub: "workflows" for .github/workflows/*). Nothing was committed.
type PermissionError struct {
	// Permission is the host's name of what to grant ("workflows").
	Permission string
	// Path is the file the host named, when it named one.
	Path string
	Err  error
}

func (e *PermissionError) Error() string { return e.Err.Error() }
func (e *PermissionError) Unwrap() error { return e.Err }

// Approvals is the optional capability of a Client that can tell which
// users with write access approved the change at its head.
type Approvals interface {
	// ApprovedBy lists the users with write access who approved c at
	// c.HeadSHA (GitHub reviews in state APPROVED on that commit; GitLab
	// merge request approvals).
	ApprovedBy(ctx context.Context, c Change) ([]string, error)
}

// OrgDefaults is the optional capability of a Client that can read the
// organisation's (GitHub: the owner's .github repository) or group's
// (GitLab: the namespace's gitlab-profile project) shared files, at that
// repository's default branch. An absent file or repository, or one the
// app may not read, gives ErrNotFound.
type OrgDefaults interface {
	OrgFile(ctx context.Context, c Change, path string) (data []byte, source string, err error)
}
