package code

import (
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var _ scanners.Explainer = (*Scanner)(nil)

// fixDocs say, per fixer, what shiftward's suggestion does.
var fixDocs = map[string]string{
	"rename":            "shiftward's suggestion replaces the call with its safe counterpart.",
	"drop-pair":         "shiftward's suggestion removes the setting, so the safe default applies.",
	"drop-kwarg":        "shiftward's suggestion removes the argument, so the safe default applies.",
	"set-literal":       "shiftward's suggestion sets the safe value.",
	"set-string":        "shiftward's suggestion names a strong algorithm instead.",
	"py-param-query":    "shiftward's suggestion passes the values as query parameters (the driver's placeholder style).",
	"go-param-query":    "shiftward's suggestion passes the values as query parameters (the driver's placeholder style).",
	"py-yaml-safe":      "shiftward's suggestion uses yaml.safe_load or yaml.SafeLoader.",
	"go-exec-args":      "shiftward's suggestion runs the program directly with an argument list instead of a shell.",
	"py-exec-args":      "shiftward's suggestion passes an argument list without shell=True.",
	"py-sysrandom":      "shiftward's suggestion uses random.SystemRandom(), backed by the operating system's secure generator.",
	"js-crypto-random":  "shiftward's suggestion draws from crypto.getRandomValues.",
	"java-securerandom": "shiftward's suggestion uses java.security.SecureRandom.",
}

// Explain describes a rule by id ("code/py-sqli"), for `/shiftward explain`.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	id := strings.TrimPrefix(ruleID, Name+"/")
	for _, r := range s.rules {
		if r.ID != id {
			continue
		}
		desc := strings.ReplaceAll(r.Why, "{call}", "The flagged code")
		desc = strings.ReplaceAll(desc, "{source}", "request input")
		if r.TaintRaises || r.TaintSeverity != scanners.SeverityUnknown {
			desc += " The finding is graded higher when the value comes from request input within the same function."
		}
		doc := scanners.RuleDoc{ID: Name + "/" + r.ID, Title: r.Title, Severity: r.Severity, Description: desc, References: r.References}
		if name, _, _ := strings.Cut(r.Fix, ":"); name != "" {
			doc.Fix = fixDocs[name]
		}
		return doc, true
	}
	return scanners.RuleDoc{}, false
}
