package comments_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

// TestPreexistingOfEveryScanner: whichever scanner reported it, a
// pre-existing finding on a commentable line, critical and with a fix
// left on it, gets no inline comment, no suggestion and no annotation,
// and does not fail the check; it is listed in the summary's section.
func TestPreexistingOfEveryScanner(t *testing.T) {
	var fs []scanners.Finding
	for i, sc := range []string{"secrets", "deps", "iac", "pipelines", "code"} {
		line := 2*i + 1
		fs = append(fs, scanners.Finding{
			Scanner: sc, RuleID: sc + "/old", Severity: scanners.SeverityCritical, Title: sc + " old problem",
			Identity: sc, Location: scanners.Location{Path: "f", StartLine: line, EndLine: line},
			Fix:         &scanners.Fix{Description: "fix it", StartLine: line, EndLine: line, Replacement: "FIXED-" + sc},
			Preexisting: true,
		})
	}
	for _, flavor := range []comments.Flavor{comments.GitHub, comments.GitLab} {
		r := comments.Build(&scanners.Result{Findings: fs}, hunks{"f": {{1, 20}}}, comments.Options{Flavor: flavor})
		if r.Conclusion != comments.Success || len(r.Inline) != 0 || len(r.Unplaced) != 0 || len(r.Annotations()) != 0 {
			t.Errorf("flavor %d: conclusion %s, inline %d, unplaced %d, annotations %d; want success and none of them",
				flavor, r.Conclusion, len(r.Inline), len(r.Unplaced), len(r.Annotations()))
		}
		if len(r.Preexisting) != len(fs) {
			t.Errorf("flavor %d: %d pre-existing listed, want %d", flavor, len(r.Preexisting), len(fs))
		}
		for _, out := range []string{r.Summary(), r.Text()} {
			if strings.Contains(out, "suggestion") || strings.Contains(out, "FIXED-") {
				t.Errorf("flavor %d: a pre-existing finding's fix is shown:\n%s", flavor, out)
			}
			for _, f := range fs {
				if !strings.Contains(out, f.RuleID) {
					t.Errorf("flavor %d: %s not listed:\n%s", flavor, f.RuleID, out)
				}
			}
		}
	}
}

// TestCutPreexistingIsANote: pre-existing findings Scope left out over
// its per-file bound are counted in the notes, not in the verdict.
func TestCutPreexistingIsANote(t *testing.T) {
	res := &scanners.Result{Statuses: []scanners.Status{{Scanner: "iac", Files: 1, Cut: 12}}}
	r := comments.Build(res, fixtureLines(), comments.Options{})
	want := fmt.Sprintf("iac: 12 more findings already in the touched files not listed (over %d per file", scanners.MaxPreexisting)
	if r.Conclusion != comments.Success || len(r.Incomplete) != 0 {
		t.Errorf("conclusion %s, incomplete %q; want success and nothing incomplete", r.Conclusion, r.Incomplete)
	}
	if !strings.Contains(r.Summary(), want) || !strings.Contains(r.Text(), want) {
		t.Errorf("summary or text does not count the cut findings:\n%s\n%s", r.Summary(), r.Text())
	}
}
