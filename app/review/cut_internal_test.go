package review

import (
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestMergeKeepsCut: the count of pre-existing findings Scope left out
// survives merging per-file results, so the review's notes can say it.
func TestMergeKeepsCut(t *testing.T) {
	acc := &scanners.Result{Statuses: []scanners.Status{{Scanner: "iac", Cut: 2}}}
	merge(acc, &scanners.Result{Statuses: []scanners.Status{{Scanner: "iac", Cut: 3}}})
	if got := acc.Statuses[0].Cut; got != 5 {
		t.Errorf("Cut %d after merging 2 and 3, want 5", got)
	}
}
