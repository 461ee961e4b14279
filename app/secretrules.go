package app

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/app/secretverify"
	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/pipelines"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// customRuleBudget bounds the time a repository's own rules may take over
// one change: RE2 is linear, but a big change times a big pattern can still
// take long, and a review must end. Past it the scan is incomplete, not
// passed.
const customRuleBudget = time.Minute

// Customize is the one per-job hook of the review pipeline. It rebuilds,
// for one change: the secrets scanner when the repository brings its own
// rules (a .gitleaks.toml at the base, custom rules in .shiftward.yml); the
// code scanner with the repository's code rules; the iac scanner with its
// own checks; and the pipelines scanner with client as its action
// resolver, when client can resolve (client is nil for a local scan). A broken rule set is a problem on the review and
// the default scanner runs instead.
func Customize(list []scanners.Scanner, p *review.Policy, client platform.Client) ([]scanners.Scanner, []string) {
	return customize(list, p, client, nil)
}

// VerifyingCustomize is Customize for a server or local scan that may
// check secrets with their providers: when checker is set and the
// repository asks for it (scanners.secrets.verify: true), the change's
// secrets scanner asks a Session of checker of its own (the change's
// budget and cache) about the secrets it finds. A nil checker (the
// operator said SHIFTWARD_SECRETS_VERIFY=off) never verifies.
func VerifyingCustomize(checker *secretverify.Checker) func([]scanners.Scanner, *review.Policy, platform.Client) ([]scanners.Scanner, []string) {
	return func(list []scanners.Scanner, p *review.Policy, client platform.Client) ([]scanners.Scanner, []string) {
		var v secrets.Verifier
		if checker != nil && p.Settings.Scanners.Secrets.Verify {
			v = policyVerifier{Session: checker.Session(), policy: p.Settings.Policy()}
		}
		return customize(list, p, client, v)
	}
}

// policyVerifier asks nothing about the secrets of files whose secrets
// findings the policy drops whole (ignore_paths, the scanner switched off
// below a directory): they would spend the review's checks for nothing.
type policyVerifier struct {
	*secretverify.Session
	policy *suppress.Policy
}

func (v policyVerifier) VerifiesPath(path string) bool { return !v.policy.Silences(secrets.Name, path) }

var _ secrets.PathVerifier = policyVerifier{}

func customize(list []scanners.Scanner, p *review.Policy, client platform.Client, v secrets.Verifier) ([]scanners.Scanner, []string) {
	list = slices.Clone(list)
	var problems []string
	replace := func(s scanners.Scanner) {
		for i, sc := range list {
			if sc.Name() == s.Name() {
				list[i] = s
			}
		}
	}
	custom := p.Settings.Scanners.Secrets.Rules
	if v != nil {
		// The default rules, asking v; replaced below when the
		// repository brings its own rules (which ask v too).
		for i, sc := range list {
			if s, ok := sc.(*secrets.Scanner); ok {
				list[i] = s.Verifying(v)
			}
		}
	}
	if len(p.Gitleaks) > 0 || len(custom) > 0 {
		s, err := repoSecrets(p.Gitleaks, custom, v)
		if err != nil {
			problems = append(problems, "secret rules ("+review.GitleaksFile+" / "+config.RepoFile+"): "+err.Error()+"; the default rules ran instead")
		} else {
			replace(scanners.WithBudget(s, customRuleBudget))
		}
	}
	if custom := p.Settings.Scanners.Code.Rules; len(custom) > 0 {
		s, err := repoCode(custom)
		if err != nil {
			problems = append(problems, "code rules ("+config.RepoFile+"): "+err.Error()+"; the built-in rules ran instead")
		} else {
			replace(scanners.WithBudget(s, customRuleBudget))
		}
	}
	if own := p.Settings.Scanners.IaC.Checks; len(own) > 0 {
		s, err := repoIaC(own)
		if err != nil {
			problems = append(problems, "iac checks ("+config.RepoFile+"): "+err.Error()+"; the built-in checks ran instead")
		} else {
			replace(scanners.WithBudget(s, customRuleBudget))
		}
	}
	if r, ok := client.(pipelines.ActionResolver); ok {
		replace(pipelines.New(pipelines.WithResolver(r)))
	}
	return list, problems
}

// repoSecrets builds the secrets scanner for a repository that brings its
// own rules: its .gitleaks.toml (gitleaks' format; without one, shiftward's
// defaults) plus the custom rules of its .shiftward.yml, appended as
// [[rules]] tables. Path globs of custom rules are applied by the worker's
// suppression step, not here.
func repoSecrets(gitleaksTOML []byte, custom []config.SecretRule, v secrets.Verifier) (scanners.Scanner, error) {
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
	return secrets.New(secrets.WithConfig(cfg), secrets.WithVerifier(v))
}

// repoCode builds the code scanner of a repository with its own pattern
// rules: each reports calls of the named functions (as imported, aliases
// resolved) as code/<id>. Paths are applied by the worker, as for secret
// rules.
func repoCode(custom []config.CodeRule) (scanners.Scanner, error) {
	rules := make([]code.Rule, 0, len(custom))
	for _, r := range custom {
		arg := r.Arg
		if r.When == "any" {
			arg = -1
		}
		rules = append(rules, code.Rule{
			ID: r.ID, Family: "custom", Languages: r.Languages, Severity: r.Severity,
			Title: r.Description, Why: "`{call}` is called here. " + strings.TrimSuffix(r.Description, ".") + ".", References: r.References,
			Match: code.Match{Kind: "call", Names: r.Calls, Arg: arg, When: r.When},
		})
	}
	return code.New(code.WithRules(rules...))
}

// repoIaC builds the iac scanner with a repository's own checks beside the
// built-in ones. Each check was validated when its file was read; the
// merged list is parsed again here, once per change, because merging can
// bring more checks than one file may. Paths are applied by the worker, as
// for secret rules.
func repoIaC(own []config.IaCCheck) (scanners.Scanner, error) {
	var doc strings.Builder
	for _, c := range own {
		doc.WriteString(c.YAML) // each a one-entry list: joined, their list
	}
	checks, err := iac.ParseChecks([]byte(doc.String()))
	if err != nil {
		return nil, err
	}
	return iac.New(iac.WithChecks(checks...)), nil
}
