package comments_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/comments"
)

// everyLine makes every line of every file commentable.
type everyLine struct{}

func (everyLine) Commentable(string, int) bool { return true }

var (
	githubCosts = comments.Costs{Fixed: 1, Review: 1, AnnotationsPerRequest: 50}
	gitlabCosts = comments.Costs{Fixed: 1, PerInline: 1}
)

// TestFitDegradesInOrder: as the affordable requests shrink, inline
// comments go first (the least severe first), then annotations, down to
// the summary alone; at every step each finding is still in the review and
// in its summary, and each inline comment cut is listed with the reason.
func TestFitDegradesInOrder(t *testing.T) {
	cases := []struct {
		name       string
		costs      comments.Costs
		n          int // findings, all commentable (inline budget 30)
		affordable int
		inline     int
		anns       int
	}{
		{"github unbounded", githubCosts, 120, -1, 30, 120},
		{"github enough", githubCosts, 120, 4, 30, 120},
		{"github no review", githubCosts, 120, 3, 0, 120},
		{"github fewer annotations", githubCosts, 120, 2, 0, 100},
		{"github summary only", githubCosts, 120, 0, 0, 0},
		{"gitlab enough", gitlabCosts, 40, 31, 30, 0},
		{"gitlab fewer inline", gitlabCosts, 40, 11, 10, 0},
		{"gitlab summary only", gitlabCosts, 40, 1, 0, 0},
		{"gitlab nothing affordable", gitlabCosts, 40, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := manyFindings(tc.n, 20)
			r := comments.Build(res, everyLine{}, comments.Options{MaxInline: 30})
			cut := r.Fit(tc.affordable, tc.costs)
			if got := len(r.Inline); got != tc.inline {
				t.Errorf("inline = %d, want %d", got, tc.inline)
			}
			if tc.costs.AnnotationsPerRequest > 0 {
				if got := len(r.Annotations()); got != tc.anns {
					t.Errorf("annotations = %d, want %d", got, tc.anns)
				}
			}
			if got := tc.costs.Cost(len(r.Inline), len(r.Annotations())); tc.affordable >= tc.costs.Fixed && got > tc.affordable && tc.costs.AnnotationsPerRequest > 0 {
				t.Errorf("publishing costs %d requests, %d affordable", got, tc.affordable)
			}
			if len(r.Findings) != tc.n || len(r.Inline)+len(r.Unplaced) != tc.n {
				t.Fatalf("findings %d, inline %d + unplaced %d; want %d in all", len(r.Findings), len(r.Inline), len(r.Unplaced), tc.n)
			}
			budgetReasons := 0
			for _, u := range r.Unplaced {
				if strings.Contains(u.Reason, "API budget") {
					budgetReasons++
				}
			}
			if wantCut := 30 - tc.inline; budgetReasons != wantCut {
				t.Errorf("%d findings demoted for the budget, want %d", budgetReasons, wantCut)
			}
			summary := r.Summary()
			if cut != strings.Contains(summary, "API budget:") {
				t.Errorf("Fit cut = %v, summary note present = %v", cut, !cut)
			}
			for i := range r.Findings {
				if loc := r.Findings[i].Location.Path; !strings.Contains(summary, loc) {
					t.Errorf("finding at %s missing from the summary", loc)
				}
			}
		})
	}
}

// TestFitKeepsTheMostSevere: what stays inline and annotated is the most
// severe.
func TestFitKeepsTheMostSevere(t *testing.T) {
	res := manyFindings(20, 20)
	r := comments.Build(res, everyLine{}, comments.Options{})
	r.Fit(6, gitlabCosts)
	if len(r.Inline) != 5 {
		t.Fatalf("inline = %d, want 5", len(r.Inline))
	}
	for _, c := range r.Inline {
		for _, u := range r.Unplaced {
			if u.Finding.Severity > c.Severity {
				t.Errorf("a %s comment kept inline while a %s was cut", c.Severity, u.Finding.Severity)
			}
		}
	}
	for _, u := range r.Unplaced {
		if want := fmt.Sprintf("allowed %d inline", 5); !strings.Contains(u.Reason, want) {
			t.Errorf("reason %q does not say %q", u.Reason, want)
		}
	}
	g := comments.Build(res, nil, comments.Options{})
	g.Fit(0, comments.Costs{AnnotationsPerRequest: 4})
	for _, a := range g.Annotations() {
		if !strings.HasPrefix(a.Title, "critical") {
			t.Errorf("annotation %q kept: only the 4 criticals fit", a.Title)
		}
	}
}
