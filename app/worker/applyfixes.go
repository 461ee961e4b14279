package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

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
		if errors.Is(err, platform.ErrClosed) {
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
		log.Info("apply fixes: the branch is in a fork; the suggestions stay")
		return nil
	}
	sc, err := w.scan(ctx, client, c, log)
	if err != nil {
		return err
	}
	byPath, applied, skipped := chooseFixes(sc.review.Findings)
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
	if errors.Is(err, platform.ErrStale) {
		log.Info("apply fixes: the branch moved on while fixing; nothing committed")
		return nil
	} else if err != nil {
		return fmt.Errorf("committing the fixes: %w", err)
	}
	log.Info("fixes committed", "commit", sha, "fixes", len(applied), "files", len(files))
	return nil
}

// chooseFixes picks the fixes to commit, by path. Two different fixes of
// the same lines were each written against the original text: the first is
// applied, the other waits for the review of the new head (which offers it
// again if its finding remains). One fix shared by several findings (a
// container's missing settings) is applied once and fixes them all.
func chooseFixes(findings []scanners.Finding) (byPath map[string][]scanners.Fix, applied []scanners.Finding, skipped int) {
	byPath = map[string][]scanners.Fix{}
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		fixes := byPath[f.Location.Path]
		switch {
		case slices.Contains(fixes, *f.Fix):
		case slices.ContainsFunc(fixes, func(g scanners.Fix) bool { return f.Fix.StartLine <= g.EndLine && g.StartLine <= f.Fix.EndLine }):
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
