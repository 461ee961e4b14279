package secrets

import (
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var _ scanners.Explainer = (*Scanner)(nil)

// Explain describes the rule ruleID ("secrets/aws-access-token" or just
// "aws-access-token"), a repository's own rules included: the same text
// Rules lists for the built-in ones.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	id := strings.TrimPrefix(ruleID, Name+"/")
	for _, r := range s.eng.rules {
		if r.id != id || r.skipReport {
			continue
		}
		d := describe(r)
		return scanners.RuleDoc{
			ID: d.ID, Title: d.Title, Severity: d.Severity,
			Description: d.Why, Fix: d.Fix, References: d.References,
		}, true
	}
	return scanners.RuleDoc{}, false
}
