package comments_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

// TestVerificationRendered: each answer of a secret's provider shows in
// the inline comment, the summary, the annotation and the text review; no
// answer drops the finding or changes its severity; a finding no one
// asked about says nothing of verification.
func TestVerificationRendered(t *testing.T) {
	finding := func(id string, line int, v scanners.Verification) scanners.Finding {
		return scanners.Finding{
			Scanner: "secrets", RuleID: "secrets/github-pat", Severity: scanners.SeverityHigh,
			Title: "GitHub personal access token", Message: "A GitHub token was added.",
			Location: scanners.Location{Path: "a.go", StartLine: line, EndLine: line},
			Evidence: "ghp_…(40 chars)", Identity: id, Verification: v,
		}
	}
	tests := []struct {
		v        scanners.Verification
		inline   string // in the comment, summary detail and annotation
		tag      string // in the findings table
		text     string
		notThere []string
	}{
		{scanners.Verified, "Verified live:", "(verified live)", "verification: verified", []string{"Could not be verified", "refused"}},
		{scanners.Invalid, "Checked, refused:", "(refused by the provider)", "verification: invalid", []string{"Verified live"}},
		{scanners.Unverified, "Could not be verified:", "(could not be verified)", "verification: unknown", []string{"Verified live", "refused"}},
		{"", "", "", "", []string{"Verified live", "refused", "could not be verified", "Could not be verified", "verification:"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.v), func(t *testing.T) {
			res := &scanners.Result{Findings: []scanners.Finding{finding("one", 1, tt.v), finding("two", 2, tt.v)}}
			// Line 1 is commentable, line 2 is not: one inline, one in
			// the summary's details.
			r := comments.Build(res, hunks{"a.go": {{1, 1}}}, comments.Options{FailOn: scanners.SeverityHigh})
			if len(r.Findings) != 2 || len(r.Inline) != 1 {
				t.Fatalf("%d findings, %d inline: verification must drop nothing", len(r.Findings), len(r.Inline))
			}
			for _, f := range r.Findings {
				if f.Severity != scanners.SeverityHigh {
					t.Errorf("severity %v, want high whatever the answer", f.Severity)
				}
			}
			anns := r.Annotations()
			texts := map[string]string{"inline": r.Inline[0].Body, "summary": r.Summary(), "annotation": anns[0].Message, "text": r.Text()}
			if r.Conclusion != comments.Failure {
				t.Errorf("conclusion %s, want failure whatever the answer", r.Conclusion)
			}
			if tt.inline != "" {
				for _, k := range []string{"inline", "summary"} {
					if !strings.Contains(texts[k], "**"+tt.inline+"**") {
						t.Errorf("%s lacks %q:\n%s", k, tt.inline, texts[k])
					}
				}
				if !strings.Contains(texts["annotation"], tt.inline) {
					t.Errorf("annotation lacks %q:\n%s", tt.inline, texts["annotation"])
				}
				if !strings.Contains(texts["summary"], tt.tag) {
					t.Errorf("summary table lacks %q", tt.tag)
				}
				if !strings.Contains(texts["text"], tt.text) {
					t.Errorf("text lacks %q:\n%s", tt.text, texts["text"])
				}
			}
			for k, s := range texts {
				for _, no := range tt.notThere {
					if strings.Contains(s, no) {
						t.Errorf("%s says %q", k, no)
					}
				}
			}
		})
	}
}
