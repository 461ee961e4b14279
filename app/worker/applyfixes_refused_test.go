package worker_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// fixScanner reports every added line containing "danger", with a fix that
// makes it "safe".
type fixScanner struct{}

func (fixScanner) Name() string      { return "code" }
func (fixScanner) Wants(string) bool { return true }
func (fixScanner) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for _, l := range in.Added {
		if strings.Contains(l.Text, "danger") {
			out = append(out, scanners.Finding{Scanner: "code", RuleID: "code/danger", Severity: scanners.SeverityHigh, Title: "Danger",
				Location: scanners.Location{Path: in.Path, StartLine: l.Number, EndLine: l.Number},
				Fix:      &scanners.Fix{Description: "make it safe", StartLine: l.Number, EndLine: l.Number, Replacement: "safe"}})
		}
	}
	return out, nil
}

// refusingHost commits like GitHub without the app's "workflows"
// permission: a commit touching .github/workflows/ is refused whole.
type refusingHost struct {
	fakeClient
	commits []map[string][]byte
	msgs    []string
	replies []string
	// refuseAll refuses every commit (the refusal named another file).
	refuseAll bool
}

func (h *refusingHost) Commit(_ context.Context, _ platform.Change, message string, files map[string][]byte) (string, error) {
	for p := range files {
		if strings.HasPrefix(p, ".github/workflows/") || h.refuseAll {
			return "", &platform.PermissionError{Permission: "workflows", Path: p, Err: errors.New("refused (422)")}
		}
	}
	h.commits = append(h.commits, maps.Clone(files))
	h.msgs = append(h.msgs, message)
	return "cafe0000cafe0000cafe0000cafe0000cafe0000", nil
}

func (h *refusingHost) PullRequest(_ context.Context, c platform.Change) (platform.Change, error) {
	c.Ref = "feature"
	return c, nil
}
func (h *refusingHost) CanWrite(context.Context, platform.Change, *platform.Command) (bool, error) {
	return true, nil
}
func (h *refusingHost) React(context.Context, platform.Change, *platform.Command) error { return nil }
func (h *refusingHost) Reply(_ context.Context, _ platform.Change, cmd *platform.Command, body string) error {
	if cmd.Comment != platform.CommentIssue || cmd.CommentID != 0 {
		return errors.New("a refusal notice answers no comment: it is a new conversation comment")
	}
	h.replies = append(h.replies, body)
	return nil
}

type refusingFactory struct{ h *refusingHost }

func (f refusingFactory) Client(context.Context, int64) (platform.Client, error) { return f.h, nil }

func refusalFixture(t *testing.T, paths ...string) (*refusingHost, queue.Job) {
	t.Helper()
	j := job()
	j.Kind = platform.KindApplyFixes
	h := &refusingHost{fakeClient: fakeClient{contents: map[string]string{}}}
	for _, p := range paths {
		f, err := diff.ParsePatch(p, p, "@@ -1 +1,2 @@\n keep\n+danger\n")
		if err != nil {
			t.Fatal(err)
		}
		h.files = append(h.files, f)
		h.contents[j.Change.HeadSHA+":"+p] = "keep\ndanger\n"
	}
	return h, j
}

func TestApplyFixesRefusedForWorkflowsCommitsTheRestAndSaysWhatToGrant(t *testing.T) {
	h, j := refusalFixture(t, "a.go", ".github/workflows/ci.yml", ".github/workflows/release.yml")
	w := newWorker(&h.fakeClient)
	w.Scanners = []scanners.Scanner{fixScanner{}}
	w.Platforms[platform.GitHub] = refusingFactory{h}
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatalf("Handle = %v, want the refusal handled (no retry can change it)", err)
	}
	if len(h.commits) != 1 || slices.Collect(maps.Keys(h.commits[0]))[0] != "a.go" || len(h.commits[0]) != 1 || string(h.commits[0]["a.go"]) != "keep\nsafe\n" {
		t.Fatalf("commits = %v, want one with a.go fixed alone", h.commits)
	}
	if strings.Contains(h.msgs[0], "workflows") || !strings.HasPrefix(h.msgs[0], "shiftward: apply 1 security fix\n") {
		t.Errorf("commit message %q names fixes it does not hold", h.msgs[0])
	}
	if len(h.replies) != 1 {
		t.Fatalf("replies = %q, want one notice", h.replies)
	}
	r := h.replies[0]
	for _, want := range []string{"`.github/workflows/ci.yml`, `.github/workflows/release.yml`", "**Workflows** permission",
		"Workflows: Read and write", "accept", "Apply fixes", "cafe0000cafe0000cafe0000cafe0000cafe0000"} {
		if !strings.Contains(r, want) {
			t.Errorf("notice lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r, "moved") {
		t.Errorf("notice reads as a branch that moved:\n%s", r)
	}
}

func TestApplyFixesRefusedWithOnlyWorkflowFilesCommitsNothing(t *testing.T) {
	h, j := refusalFixture(t, ".github/workflows/ci.yml")
	w := newWorker(&h.fakeClient)
	w.Scanners = []scanners.Scanner{fixScanner{}}
	w.Platforms[platform.GitHub] = refusingFactory{h}
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if len(h.commits) != 0 || len(h.replies) != 1 || strings.Contains(h.replies[0], "committed in") ||
		!strings.Contains(h.replies[0], "`.github/workflows/ci.yml`") {
		t.Errorf("commits %v, replies %q: want none and one notice naming the file", h.commits, h.replies)
	}
}

func TestApplyFixesRefusedAgainCommitsNothingAndSaysSo(t *testing.T) {
	h, j := refusalFixture(t, "a.go", ".github/workflows/ci.yml")
	h.refuseAll = true
	w := newWorker(&h.fakeClient)
	w.Scanners = []scanners.Scanner{fixScanner{}}
	w.Platforms[platform.GitHub] = refusingFactory{h}
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if len(h.commits) != 0 || len(h.replies) != 1 || strings.Contains(h.replies[0], "committed in") {
		t.Errorf("commits %v, replies %q", h.commits, h.replies)
	}
}

func TestRefusalNoticeKeepsPathsInsideTheirCodeSpans(t *testing.T) {
	h, j := refusalFixture(t, ".github/workflows/a`b\n/shiftward rescan.yml")
	w := newWorker(&h.fakeClient)
	w.Scanners = []scanners.Scanner{fixScanner{}}
	w.Platforms[platform.GitHub] = refusingFactory{h}
	if err := w.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	if len(h.replies) != 1 {
		t.Fatalf("replies = %q", h.replies)
	}
	if r := h.replies[0]; !strings.Contains(r, "`.github/workflows/a?b?/shiftward rescan.yml`") || strings.Contains(r, "\n/shiftward") {
		t.Errorf("a hostile path broke out of its code span:\n%s", r)
	}
}
