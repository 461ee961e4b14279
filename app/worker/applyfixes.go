package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners"
)

// applyFixes commits every deterministic fix of the pull request's current
// findings to its branch as one commit by the app; the push that makes
// brings the review of the new head. A fork's branch is out of reach (its
// review keeps the suggestions), and a branch that moved since the button
// was pressed is left alone: its own review is on the way.
func (w *Worker) applyFixes(ctx context.Context, j queue.Job, factory platform.Factory, log *slog.Logger) error {
	client, err := factory.Client(ctx, j.Change.Installation)
	if err != nil {
		return fmt.Errorf("platform client: %w", err)
	}
	committer, ok := client.(platform.Committer)
	if !ok {
		return &platform.PermanentError{Err: fmt.Errorf("%s cannot commit fixes", j.Change.Platform)}
	}
	c := j.Change
	if conv, ok := client.(platform.Conversation); ok {
		cur, err := conv.PullRequest(ctx, c)
		if errors.Is(err, platform.ErrChangeClosed) {
			log.Info("apply fixes: pull request closed")
			return nil
		} else if err != nil {
			return fmt.Errorf("reading the pull request: %w", err)
		}
		if cur.HeadSHA != c.HeadSHA {
			log.Info("apply fixes: the branch moved on; nothing committed", "newer_sha", cur.HeadSHA)
			return nil
		}
		c.Fork, c.Ref = cur.Fork, cur.Ref
	}
	if c.Fork {
		log.Info("apply fixes: the branch is in a fork; the fixes stay on the review")
		return nil
	}
	sc, err := w.scan(ctx, client, c, log)
	if err != nil {
		return err
	}
	byPath, applied, skipped := chooseFixes(sc.Review.Findings)
	if skipped > 0 {
		log.Info("apply fixes: overlapping fixes left for the next review", "skipped", skipped)
	}
	if len(byPath) == 0 {
		log.Info("apply fixes: no finding has a deterministic fix")
		return nil
	}
	files := make(map[string][]byte, len(byPath))
	for path, fixes := range byPath {
		content, err := client.FileContent(ctx, c, path, c.HeadSHA)
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
		fixed, err := scanners.ApplyFixes(content, fixes)
		if err != nil {
			return &platform.PermanentError{Err: fmt.Errorf("applying the fixes to %s: %w", path, err)}
		}
		files[path] = fixed
	}
	sha, err := committer.Commit(ctx, c, fixMessage(applied), files)
	var refused *platform.PermissionError
	switch {
	case errors.Is(err, platform.ErrStale):
		log.Info("apply fixes: the branch moved on while fixing; nothing committed")
		return nil
	case errors.As(err, &refused):
		return w.applyFixesRefused(ctx, client, committer, c, files, applied, refused, log)
	case err != nil:
		return fmt.Errorf("committing the fixes: %w", err)
	}
	log.Info("fixes committed", "commit", sha, "fixes", len(applied), "files", len(files))
	return nil
}

// workflowDir holds the files GitHub lets an app write only with its
// "workflows" permission.
const workflowDir = ".github/workflows/"

// maxListedPaths bounds the files a refusal notice names.
const maxListedPaths = 10

// applyFixesRefused handles a host's refusal of the fix commit for want of
// a permission (GitHub's "workflows", for .github/workflows/*): the fixes of
// the other files are committed without those files, and the pull request
// is told which fixes were left and what to grant. It is never "the branch
// moved": nothing would ever change on a retry.
func (w *Worker) applyFixesRefused(ctx context.Context, client platform.Client, committer platform.Committer, c platform.Change,
	files map[string][]byte, applied []scanners.Finding, refused *platform.PermissionError, log *slog.Logger) error {
	held := func(path string) bool { return strings.HasPrefix(path, workflowDir) || path == refused.Path }
	rest := map[string][]byte{}
	var left []string
	for path, content := range files {
		if held(path) {
			left = append(left, path)
		} else {
			rest[path] = content
		}
	}
	slices.Sort(left)
	var restApplied []scanners.Finding
	for _, f := range applied {
		if !held(f.Location.Path) {
			restApplied = append(restApplied, f)
		}
	}
	log.Warn("apply fixes: the host refused the commit for want of a permission", "permission", refused.Permission,
		"held_files", len(left), "other_files", len(rest))
	var sha string
	if len(rest) > 0 && len(left) > 0 {
		var err error
		sha, err = committer.Commit(ctx, c, fixMessage(restApplied), rest)
		var again *platform.PermissionError
		switch {
		case errors.Is(err, platform.ErrStale):
			log.Info("apply fixes: the branch moved on while fixing; nothing committed")
			return nil
		case errors.As(err, &again):
			sha = "" // refused for another file too: say so, commit nothing
		case err != nil:
			return fmt.Errorf("committing the fixes outside %s: %w", workflowDir, err)
		default:
			log.Info("fixes committed", "commit", sha, "fixes", len(restApplied), "files", len(rest))
		}
	}
	conv, ok := client.(platform.Conversation)
	if !ok {
		return &platform.PermanentError{Err: fmt.Errorf("committing the fixes: %w", refused)}
	}
	// An issue-comment "command" with no comment to answer: Reply posts a
	// new comment on the pull request's conversation.
	notice := &platform.Command{Comment: platform.CommentIssue}
	if err := conv.Reply(ctx, c, notice, refusalNotice(refused.Permission, left, sha)); err != nil {
		return fmt.Errorf("telling the pull request the commit was refused: %w", err)
	}
	return nil
}

// refusalNotice tells the pull request which fixes GitHub refused and what
// to grant. Paths are the repository's own names: each is shown as code,
// with backticks and control characters replaced so none can end the span.
func refusalNotice(permission string, left []string, sha string) string {
	var b strings.Builder
	b.WriteString("**Apply fixes** could not commit ")
	if len(left) == 0 {
		b.WriteString("the fixes")
	} else {
		b.WriteString("the fixes to ")
		for i, p := range left {
			if i == maxListedPaths {
				fmt.Fprintf(&b, " and %d more", len(left)-i)
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("`" + pathInCode(p) + "`")
		}
	}
	if permission == "workflows" {
		b.WriteString(": GitHub refuses a commit by an app that creates or updates a workflow file (`.github/workflows/`) unless the app has the " +
			"**Workflows** permission, whatever else it may write.\n\n" +
			"To let shiftward commit these fixes, the app's owner grants it: *Settings → Developer settings → GitHub Apps → (the app) → " +
			"Permissions & events → Repository permissions → Workflows: Read and write*. GitHub then asks each installation to accept the " +
			"new permission (*Settings → GitHub Apps → Configure* on the account or organisation where it is installed); press " +
			"**Apply fixes** again once accepted. Until then, these fixes stay on the review (as suggestions, or described where a fix changes more than one place).")
	} else {
		fmt.Fprintf(&b, ": the app lacks the %q permission they need.", permission)
	}
	if sha != "" {
		fmt.Fprintf(&b, "\n\nThe fixes to the other files were committed in %s.", sha)
	}
	return b.String()
}

// pathInCode makes a repository path safe inside a code span on one line.
func pathInCode(p string) string {
	p = strings.Map(func(r rune) rune {
		if r == '`' || r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, p)
	if n := 200; len(p) > n {
		for n > 0 && !utf8.RuneStart(p[n]) {
			n--
		}
		p = p[:n] + "…"
	}
	return p
}

// chooseFixes picks the fixes to commit, by path: inline suggestions and
// the fixes of several edits (an import plus the line) alike. Two fixes
// with different edits of the same lines were each written against the
// original text: the first is applied, the other waits for the review of
// the new head (which offers it again if its finding remains). One fix
// shared by several findings (a container's missing settings) is applied
// once and fixes them all; an edit two fixes share (the same import added)
// is applied once (scanners.ApplyFixes).
func chooseFixes(findings []scanners.Finding) (byPath map[string][]scanners.Fix, applied []scanners.Finding, skipped int) {
	byPath = map[string][]scanners.Fix{}
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		fixes := byPath[f.Location.Path]
		switch {
		case slices.ContainsFunc(fixes, func(g scanners.Fix) bool { return g.Equal(f.Fix) }):
		case slices.ContainsFunc(fixes, func(g scanners.Fix) bool { return g.Overlaps(f.Fix) }):
			skipped++
			continue
		default:
			byPath[f.Location.Path] = append(fixes, *f.Fix)
		}
		applied = append(applied, f)
	}
	return byPath, applied, skipped
}

// fixMessage is the commit message: a subject, then one line per fix. It
// names rules and places, never what was found.
func fixMessage(fs []scanners.Finding) string {
	var b strings.Builder
	noun := "fixes"
	if len(fs) == 1 {
		noun = "fix"
	}
	fmt.Fprintf(&b, "shiftward: apply %d security %s\n\n", len(fs), noun)
	for _, f := range fs {
		fmt.Fprintf(&b, "- %s:%d %s: %s\n", f.Location.Path, f.Location.StartLine, f.RuleID, f.Fix.Description)
	}
	return b.String()
}
