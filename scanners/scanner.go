// Package scanners holds the types every scanner shares: what a scanner is
// given (Input), what it reports (Finding), and Run, which fans a change out
// to the scanners that want each file.
//
// scanners is the innermost ring of shiftward: it knows nothing of GitHub,
// GitLab, Redis or HTTP.
package scanners

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Severity grades a finding. The zero value is SeverityUnknown, which sorts
// below every real grade.
type Severity int

// Severities from least to most serious.
const (
	SeverityUnknown Severity = iota
	SeverityInfo
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"unknown", "info", "low", "medium", "high", "critical"}

// String returns the lower-case name of s ("high").
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i, s := range severityNames {
		if s == n && i != int(SeverityUnknown) {
			return Severity(i), nil
		}
	}
	return SeverityUnknown, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", name)
}

// MarshalText encodes s by name, so JSON output reads "high", not 4.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location is where a finding sits in the new version of a file. Lines are
// 1-based and inclusive; columns are 1-based byte offsets and optional (0).
type Location struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`
}

// Fix is a mechanical change that removes a finding: the whole lines
// StartLine..EndLine of the new file are replaced by Replacement (which has
// no trailing newline; an empty Replacement deletes the lines). That is the
// primary edit; Also holds the others the fix needs (an import it adds),
// and a fix with any is no one-click suggestion (see Fix.Inline).
type Fix struct {
	Description string `json:"description"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	Replacement string `json:"replacement"`
	Also        []Edit `json:"also,omitempty"`
}

// Finding is one problem a scanner found in a change.
//
// Nothing in a Finding may hold secret material: Evidence is already
// redacted, and Identity is a digest, never the value itself.
type Finding struct {
	// Scanner names the scanner that produced the finding ("secrets").
	Scanner string `json:"scanner"`
	// RuleID is stable across releases ("secrets/github-pat").
	RuleID   string   `json:"rule_id"`
	Severity Severity `json:"severity"`
	// Title is static per rule ("GitHub personal access token").
	Title string `json:"title"`
	// Message explains this instance. It never contains secret material.
	Message  string   `json:"message"`
	Location Location `json:"location"`
	// Fix, when set, is a deterministic change that removes the finding.
	Fix *Fix `json:"fix,omitempty"`
	// References are CWE, CVE, GHSA ids or documentation URLs.
	References []string `json:"references,omitempty"`
	// Evidence is a redacted excerpt safe to show anywhere.
	Evidence string `json:"evidence,omitempty"`
	// Identity is the normalized thing found (a digest for secrets) that,
	// with the rule and path, names the finding independently of its line.
	Identity string `json:"-"`
	// Sensitive says the Location's span (lines and columns) is secret
	// material: nothing any finding says, shows or suggests may quote it
	// (Run scrubs the others; see Scrub).
	Sensitive bool `json:"-"`
	// Scope are the lines besides the finding's own (Location) whose
	// change introduces it: the block a missing setting belongs to, the
	// line where tainted input entered, another place the same problem
	// shows. Scope (the function) reads it; it is not output.
	Scope []LineRange `json:"-"`
	// Preexisting marks what a scanner saw in a file the change touches
	// but that the change did not introduce (a vulnerable dependency already
	// in the lockfile). Scope (the function) sets it, never a scanner.
	// Reviews list it apart: never inline, never failing, without a fix.
	Preexisting bool `json:"preexisting,omitempty"`
	// Verification is what a secret's own provider answered when asked,
	// with a read-only call, whether the secret works (see Verification);
	// empty when no one asked: verification off, a rule without a safe
	// check. It never changes the severity and never drops a finding.
	Verification Verification `json:"verification,omitempty"`
}

// Verification is a provider's answer about a secret.
type Verification string

// The answers a secret check can give.
const (
	// Verified: the provider accepted the secret just now; it is live.
	Verified Verification = "verified"
	// Invalid: the provider refused it (revoked, expired, never valid).
	Invalid Verification = "invalid"
	// Unverified: the provider could not be asked or gave no clear
	// answer (timeout, rate limit, an error, an unexpected reply, a check
	// over the scan's budget). The secret may well be live.
	Unverified Verification = "unknown"
)

// Fingerprint names the finding across pushes: a hash of rule, path and
// identity, deliberately not of line numbers, so a finding keeps its name
// when code above it moves.
func (f *Finding) Fingerprint() string {
	h := sha256.New()
	h.Write([]byte(f.RuleID))
	h.Write([]byte{0})
	h.Write([]byte(f.Location.Path))
	h.Write([]byte{0})
	h.Write([]byte(f.Identity))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Line is one line of a file's new version.
type Line struct {
	// Number is the 1-based line number in the new file.
	Number int
	// Text is the line without its trailing newline.
	Text string
}

// Input is one changed file, handed to the scanners that want it. The core
// owns all I/O; scanners only read what is here.
type Input struct {
	// Path is the repository-relative path of the file's new version.
	Path string
	// Added are the lines the change adds, in ascending order. Line
	// scanners (secrets) read only these; Run's Scope marks the findings
	// that touch none of them pre-existing.
	Added []Line
	// Content is the whole new file when the core could read it, else nil.
	// Scanners that need structure (a YAML document, a Go file) parse it and
	// report what they find in the whole file.
	Content []byte
	// New says the file did not exist before the change: every line of it
	// is added.
	New bool
	// Unread, when set, says why Content is nil although a scanner needs
	// it (the file is over a size bound, the job's content budget is spent,
	// the host would not hand it over). Run reports the file as not
	// scanned whole by every scanner that needed it, and still lets them do
	// what they can with Added.
	Unread error
	// Attributes are the repository's .gitattributes, as the caller read
	// them at the change's base (never its head: a change must not mark
	// its own code generated to hide it); nil when there are none. Run
	// applies their linguist-vendored and linguist-generated lines when it
	// decides what no one wrote by hand (GitAttributes.Generated).
	Attributes *GitAttributes
	// Tree reads the rest of the change's new version, for scanners that
	// read a file with its neighbours (a Terraform module, a Helm chart);
	// nil when the caller has no way to list it, and the scanner then reads
	// the file alone and says so.
	Tree Tree
}

// ContentFromAdded is the whole file rebuilt from Added, for a new file
// (whose every line is added); nil otherwise.
func (in *Input) ContentFromAdded() []byte {
	if !in.New || len(in.Added) == 0 || in.Added[0].Number != 1 || in.Added[len(in.Added)-1].Number != len(in.Added) {
		return nil
	}
	n := 0
	for _, l := range in.Added {
		n += len(l.Text) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range in.Added {
		b = append(b, l.Text...)
		b = append(b, '\n')
	}
	return b
}

// AddedBlocks groups Added into runs of consecutive line numbers. A secret
// that spans lines (a private key) lies within one block.
func (in *Input) AddedBlocks() [][]Line {
	var blocks [][]Line
	start := 0
	for i := 1; i <= len(in.Added); i++ {
		if i == len(in.Added) || in.Added[i].Number != in.Added[i-1].Number+1 {
			if i > start {
				blocks = append(blocks, in.Added[start:i])
			}
			start = i
		}
	}
	return blocks
}

// Scanner finds one kind of problem. Implementations must be safe for
// concurrent use and must not panic on any input.
type Scanner interface {
	// Name is short and stable ("secrets"); it prefixes rule ids.
	Name() string
	// Wants reports whether the scanner has anything to say about path.
	Wants(path string) bool
	// Scan reports the findings in one file. An error says the file was
	// not scanned, or not whole (one wrapping ErrBound: over a size, depth
	// or time bound); findings returned beside it still count. Scan must
	// check ctx between steps: Run gives each file FileTimeout.
	Scan(ctx context.Context, in *Input) ([]Finding, error)
}

// Redactor is the optional capability of a scanner that can find secrets
// in any text (the secrets scanner). Run passes every status text through
// it, so an error that quotes its input (a parser's "unexpected token
// ghp_…") never carries a secret out.
type Redactor interface {
	// Redact returns s with every secret it finds masked.
	Redact(s string) string
}

// Redact masks in s every secret that a Redactor in list finds.
func Redact(list []Scanner, s string) string {
	for _, sc := range list {
		if r, ok := sc.(Redactor); ok {
			s = r.Redact(s)
		}
	}
	return s
}

// ContentScanner is a Scanner that needs the whole new file, not only the
// lines the change adds: one that parses structure (a Kubernetes manifest, a
// lockfile, a Go file) and reports what it finds in it (Run's Scope tells
// what the change introduced). The core
// fills Input.Content for the paths it names, and leaves it nil when the file
// cannot be read; such a scanner must then still do what it can with Added.
type ContentScanner interface {
	Scanner
	NeedsContent(path string) bool
}

// BatchScanner is a Scanner that sees all its files of a change in one call:
// a dependency scanner asks its advisory source once per change, not once per
// lockfile. Run calls ScanBatch instead of Scan for it. The error reports
// what could not be scanned (the change's scan is then incomplete); the
// findings returned beside it still count.
type BatchScanner interface {
	Scanner
	ScanBatch(ctx context.Context, ins []*Input) ([]Finding, error)
}

// NeedsContent reports whether any scanner in list wants path and needs its
// whole content.
func NeedsContent(list []Scanner, path string) bool {
	for _, s := range list {
		if cs, ok := s.(ContentScanner); ok && cs.Wants(path) && cs.NeedsContent(path) {
			return true
		}
	}
	return false
}

// Rule is one rule a scanner can report, described for people: what
// `/shiftward explain`, `shiftward rules` and the rule catalogue show. A
// scanner lists every rule id it can emit (RuleLister); a finding whose
// rule is not listed is a defect its package's tests catch.
type Rule struct {
	// ID is the full rule id, prefixed by the scanner's name
	// ("iac/k8s-run-as-root").
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	// Title is one line ("Container may run as root").
	Title string `json:"title"`
	// Why says what the rule finds and why it matters.
	Why string `json:"why"`
	// Fix says how to resolve a finding (and what shiftward's suggestion
	// does, when it offers one).
	Fix string `json:"fix,omitempty"`
	// References are CWE / OWASP / CIS ids and vendor documentation URLs.
	References []string `json:"references,omitempty"`
	// FileTypes name what the rule reads ("Dockerfile", "Kubernetes
	// manifest", "Terraform", "GitHub Actions workflow", "Python", "any
	// text").
	FileTypes []string `json:"file_types,omitempty"`
}

// RuleLister is a scanner that lists every rule it can report. A
// repository's own rules (custom secret patterns) are not listed: they
// belong to that repository.
type RuleLister interface {
	Rules() []Rule
}

// RuleDoc describes one rule for people: what `/shiftward explain` answers.
type RuleDoc struct {
	ID       string
	Title    string
	Severity Severity
	// Description says what the rule finds and why it matters.
	Description string
	// Fix says how to resolve a finding, when the rule knows.
	Fix        string
	References []string
}

// Explainer is the optional capability of a scanner that can describe its
// rules by id ("secrets/aws-access-token").
type Explainer interface {
	Explain(ruleID string) (RuleDoc, bool)
}

// Doc is r as `/shiftward explain` shows it.
func (r Rule) Doc() RuleDoc {
	return RuleDoc{ID: r.ID, Title: r.Title, Severity: r.Severity, Description: r.Why, Fix: r.Fix, References: r.References}
}

// ExplainFrom is the RuleDoc of the rule whose id is ruleID among rules: a
// scanner's Explain, when its rules are all it explains.
func ExplainFrom(rules []Rule, ruleID string) (RuleDoc, bool) {
	for _, r := range rules {
		if r.ID == ruleID {
			return r.Doc(), true
		}
	}
	return RuleDoc{}, false
}

// Explain asks each scanner in list that can describe rules for ruleID:
// first the rules it lists (RuleLister), then its own Explain.
func Explain(list []Scanner, ruleID string) (RuleDoc, bool) {
	if d, ok := ExplainFrom(Rules(list), ruleID); ok {
		return d, true
	}
	for _, s := range list {
		if e, ok := s.(Explainer); ok {
			if d, ok := e.Explain(ruleID); ok {
				return d, true
			}
		}
	}
	return RuleDoc{}, false
}

// Rules lists the rules of every scanner in list that lists them, in the
// list's order and each scanner's own.
func Rules(list []Scanner) []Rule {
	var out []Rule
	for _, s := range list {
		if l, ok := s.(RuleLister); ok {
			out = append(out, l.Rules()...)
		}
	}
	return out
}
