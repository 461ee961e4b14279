package code

import (
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var (
	_ scanners.Explainer  = (*Scanner)(nil)
	_ scanners.RuleLister = (*Scanner)(nil)
)

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

// fixNote is said of every fixer: a suggestion is offered only once it is
// checked (fixcheck.go).
const fixNote = " It is offered only where, applied, the file still parses, every name it uses is defined or imported, and the finding is gone; a fix that would also need an import is described instead."

// familyFixes say how to resolve a finding of each family, whatever the
// rule: what `explain` and the rule catalogue show as the fix.
var familyFixes = map[string]string{
	"sqli":                 "Keep the SQL text constant and pass every value as a query parameter (placeholders bind values only: a table or column name chosen at run time must be checked against a fixed list of names).",
	"cmdi":                 "Run the program directly with an argument list, never through a shell, and keep the program itself constant; check any value that becomes an argument (or quote it for the shell with the language's quoting function).",
	"code-injection":       "Do not evaluate text as code: parse the data it stands for (JSON, a literal parser) or dispatch on a fixed set of operations.",
	"path-traversal":       "Resolve the path and check that it stays under the intended base directory, or map the input to a fixed set of file names.",
	"ssrf":                 "Keep the scheme and host fixed and let input choose only a path or query value, or check the host against an allow-list.",
	"xss":                  "Render through an auto-escaping template or escape the value for the context it lands in; set text, not markup.",
	"deserialization":      "Load data with a data-only format or loader (JSON, a safe YAML loader); never deserialize objects from input.",
	"weak-crypto":          "Use SHA-256 or better for hashes (bcrypt, scrypt or Argon2 for passwords) and AES-GCM or ChaCha20-Poly1305 for encryption.",
	"tls":                  "Keep certificate and host name verification on; to trust a private CA, add its certificate to the trusted roots instead.",
	"weak-random":          "Draw tokens and secrets from the cryptographic generator (crypto/rand, secrets, crypto.randomBytes, SecureRandom).",
	"hardcoded-credential": "Load the credential from the environment or a secret store at run time, and rotate the one that was committed.",
	"cors":                 "List the trusted origins explicitly instead of allowing any origin (or reflecting the request's Origin).",
	"jwt":                  "Verify every token's signature with a fixed list of accepted algorithms, and never accept `none`.",
}

// languageNames name the languages as the rule catalogue shows them.
var languageNames = map[string]string{
	"go": "Go", "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "java": "Java",
}

// Rules lists the built-in rules (scanners.RuleLister). A repository's
// own pattern rules (WithRules) are not listed: they belong to that
// repository; Explain still describes them.
func (s *Scanner) Rules() []scanners.Rule {
	out := make([]scanners.Rule, 0, s.builtins)
	for _, r := range s.rules[:s.builtins] {
		out = append(out, describe(r))
	}
	return out
}

// Definitions returns the scanner's rules as data (copies), built-in and
// the repository's own: their families and matches, for tests and tools.
func (s *Scanner) Definitions() []Rule {
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = *r
	}
	return out
}

// describe is r as people read it: its message with the placeholders
// spelled out, the fix its family wants and the one shiftward suggests.
func describe(r *Rule) scanners.Rule {
	why := strings.ReplaceAll(r.Why, "{call}", "The flagged code")
	why = strings.ReplaceAll(why, "{source}", "request input")
	if r.TaintRaises || r.TaintSeverity != scanners.SeverityUnknown {
		why += " The finding is graded higher when the value comes from request input within the same function."
	}
	fix := familyFixes[r.Family]
	if name, _, _ := strings.Cut(r.Fix, ":"); name != "" && fixDocs[name] != "" {
		fix = strings.TrimSpace(fix + " " + fixDocs[name] + fixNote)
	}
	var types []string
	for _, l := range r.Languages {
		if n := languageNames[l]; n != "" {
			types = append(types, n)
		}
	}
	return scanners.Rule{
		ID: Name + "/" + r.ID, Severity: r.Severity, Title: r.Title, Why: why, Fix: fix,
		References: append([]string(nil), r.References...), FileTypes: types,
	}
}

// Explain describes a rule by id ("code/py-sqli"), for `/shiftward
// explain`: the built-in rules as Rules lists them, and the repository's
// own.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	id, ok := strings.CutPrefix(ruleID, Name+"/")
	if !ok {
		return scanners.RuleDoc{}, false
	}
	for _, r := range s.rules {
		if r.ID == id {
			d := describe(r)
			return scanners.RuleDoc{ID: d.ID, Title: d.Title, Severity: d.Severity, Description: d.Why, Fix: d.Fix, References: d.References}, true
		}
	}
	return scanners.RuleDoc{}, false
}
