package secrets

import (
	"slices"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var _ scanners.RuleLister = (*Scanner)(nil)

// Rules lists the built-in rules s reports (gitleaks' default rules and
// shiftward's own, shiftward.toml), in the configuration's order. Rules a
// repository's .gitleaks.toml adds are its own and not listed (Explain
// still describes them); a built-in rule it disables is not listed either.
func (s *Scanner) Rules() []scanners.Rule {
	builtin := builtinIDs()
	var out []scanners.Rule
	for i, r := range s.eng.rules {
		if r.skipReport || !builtin[r.id] || s.eng.shadowed(i) {
			continue
		}
		out = append(out, describe(r))
	}
	return out
}

// shadowed reports whether rule i can never be reported: a rule listed
// before it, with no allowlist of its own, has the same regex, path,
// secret group, entropy, keywords and genericness, so it takes every match first
// (gitleaks' bittrex-secret-key is bittrex-access-key's twin).
func (e *engine) shadowed(i int) bool {
	r := e.rules[i]
	for _, p := range e.rules[:i] {
		if !p.skipReport && len(p.allowlists) == 0 && p.reSrc == r.reSrc && p.path == nil && r.path == nil &&
			p.secretGroup == r.secretGroup && p.entropy == r.entropy && p.generic == r.generic && p.validate == nil &&
			slices.Equal(p.keywords, r.keywords) {
			return true
		}
	}
	return false
}

// builtinIDs are the ids of the default configuration's reported rules.
func builtinIDs() map[string]bool {
	cfg, err := DefaultConfig()
	if err != nil {
		// The default configuration is embedded and tested: it compiles.
		return nil
	}
	ids := make(map[string]bool, len(cfg.rules))
	for _, r := range cfg.rules {
		ids[r.id] = true
	}
	return ids
}

// whyLeak is what every secret rule's explanation ends with.
const whyLeak = ". A credential committed to git is readable by everyone with access to the " +
	"repository, its forks and clones, for ever: deleting it in a later commit does not remove it from history."

// fixText is how to resolve any secret finding.
const fixText = "Revoke or rotate the credential first, then read it from the environment or a secret store. " +
	"shiftward suggests replacing the literal with the language's environment lookup (Go, Python, " +
	"JavaScript, TypeScript, Java, Kotlin, Ruby, C#, PHP, Rust, shell) only where the result is checked " +
	"to be right: every name it uses is defined or imported, and the secret is gone. Otherwise the " +
	"message says what to change."

// owaspSecrets is OWASP's guide to keeping secrets out of code.
const owaspSecrets = "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html"

// fileTypes names what the rules limited to some paths read; every other
// rule reads any text.
var fileTypes = map[string][]string{
	"freemius-secret-key":    {"PHP"},
	"hashicorp-tf-password":  {"Terraform"},
	"kubernetes-secret-yaml": {"Kubernetes manifest (YAML)"},
	"nuget-config-password":  {"NuGet config"},
	"pkcs12-file":            {"PKCS #12 key store (.p12, .pfx)"},
	"password-in-config":     {"configuration and text (not source code)"},
}

// describe is r for people: its entry in Rules and Explain.
func describe(r *rule) scanners.Rule {
	why := r.description
	if why == "" {
		why = r.title
	}
	ft := fileTypes[r.id]
	if ft == nil {
		ft = []string{"any text"}
	}
	return scanners.Rule{
		ID:         Name + "/" + r.id,
		Severity:   r.severity,
		Title:      r.title,
		Why:        strings.TrimSuffix(why, ".") + whyLeak,
		Fix:        fixText,
		References: append(references(r), owaspSecrets),
		FileTypes:  ft,
	}
}
