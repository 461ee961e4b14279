package deps

import (
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var (
	_ scanners.RuleLister = (*Scanner)(nil)
	_ scanners.Explainer  = (*Scanner)(nil)
)

// rule describes RuleID, the one rule the scanner reports: every finding,
// introduced or pre-existing, is a package entry with known advisories.
// Its severity is nominal: each finding is graded by its advisories (the
// highest CVSS base score, or the database's own rating).
var rule = scanners.Rule{
	ID:       RuleID,
	Severity: scanners.SeverityHigh,
	Title:    Title,
	Why: "The change adds or changes a dependency to a version that a published advisory (OSV: GitHub, Go, PyPI, RustSec and other databases) " +
		"says is vulnerable. Most exploited vulnerabilities arrive through components rather than hand-written code, and a lockfile entry is what ships. " +
		"The finding's severity is the highest CVSS base score among the advisories, or the database's own rating. " +
		"Vulnerable entries a touched file already pinned are listed apart as pre-existing and never fail the check.",
	Fix: "Upgrade to the version the comment names: the lowest one that fixes every advisory for the package. On a manifest line the comment carries " +
		"a one-click suggestion; for a lockfile entry it names the command or manifest entry that upgrades it. When no fixed version exists, " +
		"remove or replace the dependency or apply the advisory's mitigation.",
	References: []string{
		"CWE-1395", // Dependency on Vulnerable Third-Party Component
		"CWE-937",  // OWASP Top Ten 2013 A9: Using Components with Known Vulnerabilities
		"OWASP A06:2021",
		"https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/",
		"https://osv.dev",
		"https://ossf.github.io/osv-schema/",
	},
}

// Rules lists the scanner's one rule, with the manifests and lockfiles it
// reads as its file types.
func (s *Scanner) Rules() []scanners.Rule {
	r := rule
	r.References = append([]string(nil), rule.References...)
	r.FileTypes = make([]string, 0, len(manifests)+1)
	for _, m := range manifests {
		r.FileTypes = append(r.FileTypes, m.name)
	}
	r.FileTypes = append(r.FileTypes, requirementsFiles)
	return []scanners.Rule{r}
}

// Explain describes a rule the scanner lists, by its full id
// ("deps/vulnerable-dependency") or without the scanner's prefix.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	if !strings.HasPrefix(ruleID, Name+"/") {
		ruleID = Name + "/" + ruleID
	}
	return scanners.ExplainFrom(s.Rules(), ruleID)
}
