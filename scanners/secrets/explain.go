package secrets

import (
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var _ scanners.Explainer = (*Scanner)(nil)

// Explain describes the rule ruleID ("secrets/aws-access-token" or just
// "aws-access-token").
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	id := strings.TrimPrefix(ruleID, Name+"/")
	for _, r := range s.eng.rules {
		if r.id != id {
			continue
		}
		desc := r.description
		if desc == "" {
			desc = r.title
		}
		return scanners.RuleDoc{
			ID: Name + "/" + r.id, Title: r.title, Severity: r.severity,
			Description: desc + ". A credential committed to git is readable by everyone with access to the " +
				"repository, its forks and clones, for ever: deleting it in a later commit does not remove it from history.",
			Fix: "Revoke or rotate the credential first, then read it from the environment or a secret store " +
				"(shiftward's suggestion replaces the literal with an environment lookup where the language allows).",
			References: references(r),
		}, true
	}
	return scanners.RuleDoc{}, false
}
