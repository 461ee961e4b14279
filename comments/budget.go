package comments

import (
	"cmp"
	"fmt"
	"slices"
)

// Costs is what publishing a review costs on one platform, counted in
// content-creating API requests (the ones GitHub's secondary limits count,
// and every request counts against the primary quota).
type Costs struct {
	// Fixed is what every publication costs whatever its findings: ending
	// the check run or setting the commit status.
	Fixed int
	// Review is the cost of posting any inline comment at all (GitHub: one
	// review carries them all).
	Review int
	// PerInline is the cost of each inline comment (GitLab: a discussion
	// each).
	PerInline int
	// AnnotationsPerRequest is how many annotations one request carries
	// (GitHub: 50); the first batch rides with the Fixed request. Zero:
	// the platform posts no annotations.
	AnnotationsPerRequest int
}

// Cost is what publishing inline comments and annotations costs.
func (c Costs) Cost(inline, annotations int) int {
	n := c.Fixed
	if inline > 0 {
		n += c.Review + inline*c.PerInline
	}
	if c.AnnotationsPerRequest > 0 && annotations > 0 {
		n += (annotations+c.AnnotationsPerRequest-1)/c.AnnotationsPerRequest - 1
	}
	return n
}

// Fit degrades r so that publishing it costs no more than affordable
// requests (negative: no bound), in a fixed order: first inline comments
// (the least severe go first), then annotations (the least severe go
// first), until only the summary is left. No finding is lost: every one
// stays in Findings and in the summary's findings table, an inline comment
// cut moves to "Not commented inline" with the reason, and the summary
// says what the budget left out. It reports whether anything was cut.
func (r *Review) Fit(affordable int, c Costs) bool {
	if affordable < 0 {
		return false
	}
	inline := len(r.Inline)
	anns := 0
	if c.AnnotationsPerRequest > 0 {
		anns = len(r.Findings)
	}
	if c.Cost(inline, anns) <= affordable {
		return false
	}
	// 1. Fewer inline comments, down to none.
	for inline > 0 && c.Cost(inline, anns) > affordable {
		if c.PerInline > 0 {
			inline = min(inline-1, max(0, (affordable-c.Cost(0, anns)-c.Review)/c.PerInline))
		} else {
			inline = 0
		}
	}
	// 2. Fewer annotations, down to none: the summary only.
	if c.Cost(inline, anns) > affordable && anns > 0 {
		anns = max(0, affordable-c.Fixed+1) * c.AnnotationsPerRequest
		anns = min(anns, len(r.Findings))
	}
	cutInline := len(r.Inline) - inline
	if cutInline > 0 {
		r.keepInline(inline, fmt.Sprintf("the API budget allowed %d inline comment(s) in this review", inline))
	}
	cutAnns := 0
	if c.AnnotationsPerRequest > 0 && anns < len(r.Findings) {
		r.annotationCap = &anns
		cutAnns = len(r.Findings) - anns
	}
	r.Skipped = append(r.Skipped, budgetNote(cutInline, cutAnns))
	return true
}

// budgetNote tells the reader what the API budget left out, and that
// nothing was lost.
func budgetNote(inline, anns int) string {
	what := ""
	switch {
	case inline > 0 && anns > 0:
		what = fmt.Sprintf("%d inline comment(s) and %d annotation(s)", inline, anns)
	case inline > 0:
		what = fmt.Sprintf("%d inline comment(s)", inline)
	default:
		what = fmt.Sprintf("%d annotation(s)", anns)
	}
	return fmt.Sprintf("API budget: the code host's rate limit is nearly spent, so %s were left out; every finding is listed in this summary, and the next review posts them once the budget allows", what)
}

// keepInline keeps the n most severe inline comments (earlier first among
// equals) and demotes the others to the summary with reason.
func (r *Review) keepInline(n int, reason string) {
	order := make([]int, len(r.Inline))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(r.Inline[b].Severity, r.Inline[a].Severity) })
	var demote []string
	for _, i := range order[n:] {
		demote = append(demote, r.Inline[i].Fingerprint)
	}
	for _, fp := range demote {
		r.Demote(fp, reason)
	}
}
