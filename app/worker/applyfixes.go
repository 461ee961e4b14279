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
	byPath := map[string][]scanners.Fix{}
	var applied []scanners.Finding
	for _, f := range sc.review.Findings {
		if f.Fix != nil {
			byPath[f.Location.Path] = append(byPath[f.Location.Path], *f.Fix)
			applied = append(applied, f)
		}
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

// fixMessage is the commit message: a subject, then one line per fix. It
// names rules and places, never what was found.
func fixMessage(fs []scanners.Finding) string {
	var b strings.Builder
	noun := "fixes"
	if len(fs) == 1 {
		noun = "fix"
	}
	fmt.Fprintf(&b, "shiftward: apply %d security %s\n\n", len(fs), noun)
	slices.SortFunc(fs, func(a, b scanners.Finding) int {
		return strings.Compare(fmt.Sprintf("%s:%09d", a.Location.Path, a.Location.StartLine), fmt.Sprintf("%s:%09d", b.Location.Path, b.Location.StartLine))
	})
	for _, f := range fs {
		fmt.Fprintf(&b, "- %s:%d %s: %s\n", f.Location.Path, f.Location.StartLine, f.RuleID, f.Fix.Description)
	}
	return b.String()
}
