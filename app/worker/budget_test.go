package worker_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners/diff"
)

// budgetedClient is a fakeClient that knows its API budget.
type budgetedClient struct {
	*fakeClient
	affordable int
	costs      comments.Costs
}

var _ platform.Budgeted = budgetedClient{}

func (b budgetedClient) Budget(context.Context) (int, comments.Costs) { return b.affordable, b.costs }

type budgetedFactory struct{ c budgetedClient }

func (f budgetedFactory) Client(context.Context, int64) (platform.Client, error) { return f.c, nil }

// dangerFiles are n new files with a finding each.
func dangerFiles(t *testing.T, n int) []*diff.File {
	t.Helper()
	var out []*diff.File
	for i := range n {
		name := fmt.Sprintf("f%02d.go", i)
		f, err := diff.ParsePatch(name, name, "@@ -0,0 +1,1 @@\n+danger\n")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// TestHandleFitsTheReviewToTheBudget: a client whose budget affords fewer
// requests than inline comments gets fewer inline comments; the job
// succeeds and every finding is in the published review's summary.
func TestHandleFitsTheReviewToTheBudget(t *testing.T) {
	for _, tc := range []struct {
		affordable, inline int
	}{
		{-1, 12},
		{100, 12},
		{5, 4},
		{1, 0},
	} {
		fc := &fakeClient{files: dangerFiles(t, 12)}
		w := newWorker(fc, true, true)
		w.Platforms[platform.GitHub] = budgetedFactory{budgetedClient{fc, tc.affordable, comments.Costs{Fixed: 1, PerInline: 1}}}
		if err := w.Handle(context.Background(), job()); err != nil {
			t.Fatalf("affordable %d: %v, want the review published", tc.affordable, err)
		}
		r := fc.review
		if r == nil || len(r.Findings) != 12 {
			t.Fatalf("affordable %d: review %+v, want 12 findings", tc.affordable, r)
		}
		if len(r.Inline) != tc.inline || len(r.Inline)+len(r.Unplaced) != 12 {
			t.Errorf("affordable %d: inline %d, unplaced %d; want %d inline, the rest in the summary",
				tc.affordable, len(r.Inline), len(r.Unplaced), tc.inline)
		}
		if cut := tc.inline < 12; cut != strings.Contains(r.Summary(), "API budget") {
			t.Errorf("affordable %d: summary note of the budget present = %v, want %v", tc.affordable, !cut, cut)
		}
	}
}
