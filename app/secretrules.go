package app

import (
	"bytes"
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// repoSecrets builds the secrets scanner for a repository that brings its
// own rules: its .gitleaks.toml (gitleaks' format; without one, shiftward's
// defaults) plus the custom rules of its .shiftward.yml, appended as
// [[rules]] tables. Path globs of custom rules are applied by the worker's
// suppression step, not here.
func repoSecrets(gitleaksTOML []byte, custom []config.SecretRule) (scanners.Scanner, error) {
	var doc bytes.Buffer
	if len(gitleaksTOML) > 0 {
		doc.Write(gitleaksTOML)
		doc.WriteString("\n")
	} else {
		doc.WriteString("[extend]\nuseDefault = true\n")
	}
	type rule struct {
		ID          string   `toml:"id"`
		Description string   `toml:"description,omitempty"`
		Title       string   `toml:"title,omitempty"`
		Regex       string   `toml:"regex"`
		Keywords    []string `toml:"keywords,omitempty"`
		Entropy     float64  `toml:"entropy,omitempty"`
		Severity    string   `toml:"severity,omitempty"`
	}
	var rules struct {
		Rules []rule `toml:"rules"`
	}
	for _, r := range custom {
		sev := ""
		if r.Severity != scanners.SeverityUnknown {
			sev = r.Severity.String()
		}
		rules.Rules = append(rules.Rules, rule{ID: r.ID, Description: r.Description, Title: r.Description,
			Regex: r.Regex, Keywords: r.Keywords, Entropy: r.Entropy, Severity: sev})
	}
	if len(rules.Rules) > 0 {
		if err := toml.NewEncoder(&doc).Encode(rules); err != nil {
			return nil, fmt.Errorf("custom secret rules: %w", err)
		}
	}
	cfg, err := secrets.ParseGitleaksConfig(doc.Bytes())
	if err != nil {
		return nil, err
	}
	return secrets.New(secrets.WithConfig(cfg))
}
