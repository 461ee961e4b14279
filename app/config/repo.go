package config

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// RepoFile is the name of a repository's configuration file.
const RepoFile = ".shiftward.yml"

// Limits on a .shiftward.yml. The file is untrusted input (anyone who can
// merge to the base branch writes it, and a pull request's own copy is
// validated too): every list and pattern is bounded so parsing and the scans
// it configures stay cheap.
const (
	// MaxRepoBytes bounds the file; a larger one is refused whole.
	MaxRepoBytes = 256 << 10
	// maxNodes bounds the YAML nodes visited, aliases expanded, so a
	// "billion laughs" document cannot blow up the walk.
	maxNodes         = 100_000
	maxProblems      = 100
	maxGlobs         = 1000
	maxGlobBytes     = 512
	maxIgnores       = 1000
	maxRules         = 1000
	maxSecretRules   = 100
	maxPatternBytes  = 4 << 10
	maxProgInsts     = 20_000
	maxKeywords      = 50
	maxKeywordBytes  = 100
	maxReasonBytes   = 500
	maxDescBytes     = 500
	maxInlineLimit   = 200
	supportedVersion = 1
)

// Problem is one thing wrong with a .shiftward.yml, at a 1-based line and
// column of File. Column is 0 when only the line is known (a YAML syntax
// error, whose parser reports the line alone).
type Problem struct {
	File    string
	Line    int
	Column  int
	Message string
}

// String formats p as compilers do: "file:line:col: message".
func (p Problem) String() string {
	if p.Column == 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
}

// CommentMode says how a review is delivered.
type CommentMode string

// Comment modes.
const (
	// CommentReview posts inline comments, a summary and the check (default).
	CommentReview CommentMode = "review"
	// CommentCheckOnly posts only the check run or commit status.
	CommentCheckOnly CommentMode = "check-only"
	// CommentSummaryOnly posts the check and one summary comment, no inline ones.
	CommentSummaryOnly CommentMode = "summary-only"
)

var commentModes = []string{string(CommentReview), string(CommentCheckOnly), string(CommentSummaryOnly)}

// ScannerNames are the scanners a .shiftward.yml configures, as they prefix
// rule ids.
var ScannerNames = []string{"secrets", "deps", "code", "iac", "pipelines"}

// Settings is one repository's review configuration: a parsed .shiftward.yml,
// or several merged by Merge. Fields hold effective values (defaults where
// the file is silent or wrong).
type Settings struct {
	// File is the path the configuration was read from, for messages and
	// for Merge, which scopes a subdirectory file to its directory.
	File    string
	Version int
	// FailOn is the lowest severity that fails the check; SeverityUnknown
	// means the file does not say and the server's default applies.
	FailOn   scanners.Severity
	Comments Comments
	Scanners Scanners
	// IgnorePaths drops every finding in matching files.
	IgnorePaths []Glob
	// Rules disables or re-grades rules, by rule id, everywhere.
	Rules map[string]RuleSetting
	// Ignores are the ignore entries, in file order.
	Ignores []Ignore
	// RequireSuppressionReview makes a change that adds suppressions fail
	// until a maintainer approves them.
	RequireSuppressionReview bool
	// Commands shape how comment commands answer.
	Commands Commands
	// Scopes are the settings of monorepo subdirectory files that only
	// apply below their directory (set by Merge), sorted by Dir.
	Scopes []Scope

	// set records where each scalar option was given, so Merge overrides
	// only what a file actually says.
	set map[string]pos
}

// Commands shape how comment commands answer.
type Commands struct {
	// Ignore is "suggest" (the default: /shiftward ignore replies with the
	// .shiftward.yml to commit) or "commit" (the app commits it to the
	// pull request's branch itself, when the branch is not a fork's).
	Ignore string
}

// Comments shape the review's comments.
type Comments struct {
	Mode CommentMode
	// MaxInline caps inline comments; 0 means the server's default.
	MaxInline int
}

// Scanners holds each scanner's settings.
type Scanners struct {
	Secrets Secrets
	Deps    Scanner
	Code    Code
	IaC     IaC
	// Pipelines reviews CI pipelines (GitHub Actions, GitLab CI).
	Pipelines Scanner
}

// Scanner is the settings every scanner has.
type Scanner struct {
	Enabled bool
	// IgnorePaths drops this scanner's findings in matching files.
	IgnorePaths []Glob
}

// Code is the code scanner's settings.
type Code struct {
	Scanner
	// Rules are simple custom pattern rules: calls the repository forbids.
	Rules []CodeRule
}

// CodeRule is a repository's own code rule: calls of the named functions or
// methods (qualified names as imported, aliases resolved; '*' matches any
// run of characters) are reported, as "code/" + ID. When is "any" (every
// call), "nonconst" (the checked argument is not a constant) or "tainted"
// (it comes from request input within the function).
type CodeRule struct {
	ID          string
	Description string
	Languages   []string
	Calls       []string
	Arg         int
	When        string
	Severity    scanners.Severity
	References  []string
	// Paths limits the rule to matching files; empty means every file.
	Paths  []string
	Source string
}

// IaC is the iac scanner's settings.
type IaC struct {
	Scanner
	// Checks are the repository's own Terraform checks, beside the
	// built-in ones.
	Checks []IaCCheck
}

// IaCCheck is a repository's own IaC check, written in the language of the
// built-in checks (scanners/iac/checks/README.md) and reported as RuleID
// ("iac/tf-" + ID for Terraform, "iac/k8s-" and "iac/cfn-" for the other
// formats). Parsing validated it with iac.ParseChecks (samples, when
// given, behave); the scan parses the merged list again, once per change.
type IaCCheck struct {
	ID     string
	RuleID string
	// YAML is the check as a one-entry YAML list, without paths (which
	// the language does not know): the YAML of several checks, joined,
	// is their list.
	YAML string
	// Paths limits the check to matching files; empty means every file.
	Paths  []string
	Source string
}

// CodeLanguages are the languages code rules may name.
var CodeLanguages = []string{"go", "python", "javascript", "typescript", "java"}

// CodeRuleConditions are the conditions a code rule's argument may need.
var CodeRuleConditions = []string{"any", "nonconst", "tainted"}

// Secrets is the secret scanner's settings.
type Secrets struct {
	Scanner
	// Rules are custom secret rules, validated (their regexes compile
	// under RE2 within the size limits) but not compiled here.
	Rules []SecretRule
	// Verify asks each secret's own provider, with a read-only call,
	// whether the secret works (app/secretverify). Off by default; a
	// change-wide option (the root file's); the operator can refuse it
	// server-wide (EnvSecretsVerify).
	Verify bool
}

// ByName returns the settings of the scanner called name, or nil.
func (s *Scanners) ByName(name string) *Scanner {
	switch name {
	case "secrets":
		return &s.Secrets.Scanner
	case "deps":
		return &s.Deps
	case "code":
		return &s.Code.Scanner
	case "iac":
		return &s.IaC.Scanner
	case "pipelines":
		return &s.Pipelines
	}
	return nil
}

// Glob is a path pattern with doublestar semantics (see suppress.MatchPath)
// and where it was written.
type Glob struct {
	Pattern string
	Source  string
}

// RuleSetting turns a rule off or gives it another severity.
type RuleSetting struct {
	Off      bool
	Severity scanners.Severity
	Source   string
}

// Ignore is one ignore entry. At least one of Fingerprint and Rule is set;
// Reason is never empty.
type Ignore struct {
	Fingerprint string
	Rule        string
	Path        string
	Reason      string
	// Expires is the last day the entry applies (UTC); zero means never.
	Expires time.Time
	Source  string
}

// SecretRule is a custom secret rule. Its full rule id is "secrets/" + ID.
type SecretRule struct {
	ID          string
	Description string
	// Regex is an RE2 pattern, checked to compile within the size limits.
	Regex    string
	Keywords []string
	// Entropy is the least Shannon entropy (bits per byte) a match must
	// have; 0 means no check.
	Entropy  float64
	Severity scanners.Severity
	// Paths limits the rule to matching files; empty means every file.
	Paths  []string
	Source string
}

// Scope is what a subdirectory's .shiftward.yml switches below Dir.
type Scope struct {
	Dir      string
	Scanners map[string]Toggle
	Rules    map[string]RuleSetting
}

// Toggle switches a scanner on or off.
type Toggle struct {
	Enabled bool
	Source  string
}

type pos struct{ line, col int }

// DefaultSettings is the configuration of a repository without a .shiftward.yml:
// every scanner on, inline review comments, the server's fail_on.
func DefaultSettings() *Settings {
	r := &Settings{
		File:     RepoFile,
		Version:  supportedVersion,
		Comments: Comments{Mode: CommentReview},
		Commands: Commands{Ignore: "suggest"},
		Rules:    map[string]RuleSetting{},
		set:      map[string]pos{},
	}
	for _, n := range ScannerNames {
		r.Scanners.ByName(n).Enabled = true
	}
	return r
}

// ParseSettings reads a .shiftward.yml found at file (repository-relative, used
// in problems and sources; "" means RepoFile). It never fails: it returns a
// usable configuration, with defaults for every part that is missing or
// wrong, and the problems found, each at its line and column. A caller must
// treat any problem as a failed check (the scan still runs with what was
// understood), so a broken file never silently weakens or passes a review.
// An invalid ignore entry, rule setting or custom rule is dropped whole:
// nothing half-understood suppresses a finding.
func ParseSettings(file string, data []byte) (cfg *Settings, problems []Problem) {
	if file == "" {
		file = RepoFile
	}
	d := &decoder{file: file, r: DefaultSettings()}
	d.r.File = file
	defer func() {
		if v := recover(); v != nil {
			// yaml.v3 has panicked on crafted input before; never take the
			// worker down with it.
			cfg = DefaultSettings()
			cfg.File = file
			problems = append(d.probs, Problem{File: file, Line: 1, Column: 1, Message: fmt.Sprintf("could not read the file: %v", v)})
		}
	}()
	if len(data) > MaxRepoBytes {
		d.probs = append(d.probs, Problem{File: file, Line: 1, Column: 1,
			Message: fmt.Sprintf("the file is %d bytes, over the limit of %d; it is ignored", len(data), MaxRepoBytes)})
		return d.r, d.probs
	}
	// nest.DecodeYAML bounds nesting depth and alias expansion before the
	// walk below follows aliases (which also counts maxNodes).
	docs, err := nest.DecodeYAML(context.Background(), data)
	if err != nil {
		if len(docs) == 0 {
			d.probs = append(d.probs, syntaxProblem(file, err))
			return d.r, d.probs
		}
		// A later document that is broken: the first is still read, and
		// the file still fails the check.
		d.probs = append(d.probs, syntaxProblem(file, err))
	}
	if len(docs) == 0 {
		return d.r, nil // an empty file is the defaults
	}
	doc := docs[0]
	if len(docs) > 1 {
		d.probs = append(d.probs, Problem{File: file, Line: docs[1].Line, Column: docs[1].Column,
			Message: "a second YAML document; only the first is read"})
	}
	if len(doc.Content) > 0 {
		d.root(doc.Content[0])
	}
	if d.dropped > 0 {
		d.probs = append(d.probs, Problem{File: file, Line: 1, Column: 1,
			Message: fmt.Sprintf("%d more problems are not shown", d.dropped)})
	}
	return d.r, d.probs
}

var yamlLine = regexp.MustCompile(`yaml: line (\d+): (.*)$`)

// syntaxProblem reports a file that could not be decoded: a YAML syntax
// error at its line, or a bound (too deep, aliases expanding too far) that
// makes the whole file unread.
func syntaxProblem(file string, err error) Problem {
	if errors.Is(err, scanners.ErrBound) {
		return Problem{File: file, Line: 1, Column: 1, Message: "the file could not be read: " + err.Error()}
	}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{File: file, Line: n, Message: "invalid YAML: " + m[2]}
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, "invalid YAML: "), "yaml: ")
	return Problem{File: file, Line: 1, Message: "invalid YAML: " + msg}
}

type decoder struct {
	file  string
	r     *Settings
	probs []Problem
	// dropped counts problems past maxProblems: a file of nonsense gets a
	// readable report, not thousands of lines.
	dropped int
	nodes   int
	over    bool
}

func (d *decoder) errf(n *yaml.Node, format string, args ...any) {
	if len(d.probs) >= maxProblems {
		d.dropped++
		return
	}
	d.probs = append(d.probs, Problem{File: d.file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf(format, args...)})
}

func (d *decoder) source(n *yaml.Node) string { return fmt.Sprintf("%s:%d", d.file, n.Line) }

// node follows aliases and counts nodes against the budget; nil means stop.
func (d *decoder) node(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		return nil
	}
	d.nodes++
	if d.nodes > maxNodes {
		if !d.over {
			d.over = true
			// Past the problem cap too: this one explains why the rest stops.
			d.probs = append(d.probs, Problem{File: d.file, Line: n.Line, Column: n.Column, Message: fmt.Sprintf("the file expands to more than %d YAML nodes (through aliases); the rest is ignored", maxNodes)})
		}
		return nil
	}
	return n
}

// mapping walks a mapping's pairs, reporting non-mappings, duplicate and
// unknown keys (with a suggestion for a near miss).
func (d *decoder) mapping(n *yaml.Node, what string, keys []string, fn func(key string, k, v *yaml.Node)) {
	if n = d.node(n); n == nil {
		return
	}
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "%s must be a mapping, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.node(n.Content[i]), d.node(n.Content[i+1])
		if k == nil || v == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			d.errf(k, "keys of %s must be plain names", what)
			continue
		}
		if seen[k.Value] {
			d.errf(k, "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		if keys != nil && !slices.Contains(keys, k.Value) {
			d.errf(k, "unknown key %q in %s%s", k.Value, what, suggest(k.Value, keys))
			continue
		}
		fn(k.Value, k, v)
	}
}

func (d *decoder) sequence(n *yaml.Node, what string, limit int, fn func(i int, v *yaml.Node)) {
	if n = d.node(n); n == nil || isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errf(n, "%s must be a list, not %s", what, kindName(n))
		return
	}
	for i, v := range n.Content {
		if i >= limit {
			d.errf(v, "%s has more than %d entries; the rest are ignored", what, limit)
			return
		}
		if v = d.node(v); v == nil {
			return
		}
		fn(i, v)
	}
}

func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errf(n, "%s must be a string, not %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errf(n, "%s must be true or false, not %s", what, describe(n))
		return false, false
	}
	b, err := strconv.ParseBool(strings.ToLower(n.Value))
	if err != nil {
		d.errf(n, "%s must be true or false, not %s", what, describe(n))
		return false, false
	}
	return b, true
}

func (d *decoder) severity(n *yaml.Node, what string) (scanners.Severity, bool) {
	if n.Kind == yaml.ScalarNode {
		if s, err := scanners.ParseSeverity(n.Value); err == nil && n.Value == strings.ToLower(n.Value) {
			return s, true
		}
	}
	d.errf(n, "%s must be one of info, low, medium, high, critical, not %s", what, describe(n))
	return scanners.SeverityUnknown, false
}

func (d *decoder) mark(key string, n *yaml.Node) { d.r.set[key] = pos{n.Line, n.Column} }

var topKeys = []string{"version", "fail_on", "comments", "scanners", "ignore_paths", "rules", "ignore", "require_suppression_review", "commands"}

// IgnoreCommandModes are how /shiftward ignore answers.
var IgnoreCommandModes = []string{"suggest", "commit"}

func (d *decoder) root(n *yaml.Node) {
	d.mapping(n, "the file", topKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Value != strconv.Itoa(supportedVersion) {
				d.errf(v, "version must be %d, not %s", supportedVersion, describe(v))
				return
			}
			d.mark(key, v)
		case "fail_on":
			if s, ok := d.severity(v, "fail_on"); ok {
				d.r.FailOn = s
				d.mark(key, v)
			}
		case "comments":
			d.comments(v)
		case "scanners":
			d.scanners(v)
		case "ignore_paths":
			d.r.IgnorePaths = d.globs(v, "ignore_paths")
		case "rules":
			d.rules(v)
		case "ignore":
			d.ignores(v)
		case "require_suppression_review":
			if b, ok := d.boolean(v, key); ok {
				d.r.RequireSuppressionReview = b
				d.mark(key, v)
			}
		case "commands":
			d.mapping(v, "commands", []string{"ignore"}, func(key string, k, v *yaml.Node) {
				if v.Kind != yaml.ScalarNode || !slices.Contains(IgnoreCommandModes, v.Value) {
					d.errf(v, "commands.ignore must be one of %s, not %s%s", strings.Join(IgnoreCommandModes, ", "), describe(v), suggest(v.Value, IgnoreCommandModes))
					return
				}
				d.r.Commands.Ignore = v.Value
				d.mark("commands.ignore", v)
			})
		}
	})
}

func (d *decoder) comments(n *yaml.Node) {
	d.mapping(n, "comments", []string{"mode", "max_inline"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "mode":
			if v.Kind != yaml.ScalarNode || !slices.Contains(commentModes, v.Value) {
				d.errf(v, "comments.mode must be one of %s, not %s%s", strings.Join(commentModes, ", "), describe(v), suggest(v.Value, commentModes))
				return
			}
			d.r.Comments.Mode = CommentMode(v.Value)
			d.mark("comments.mode", v)
		case "max_inline":
			i, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || i < 1 || i > maxInlineLimit {
				d.errf(v, "comments.max_inline must be a whole number from 1 to %d, not %s (for no inline comments use mode: summary-only)", maxInlineLimit, describe(v))
				return
			}
			d.r.Comments.MaxInline = i
			d.mark("comments.max_inline", v)
		}
	})
}

func (d *decoder) scanners(n *yaml.Node) {
	d.mapping(n, "scanners", ScannerNames, func(name string, k, v *yaml.Node) {
		keys := []string{"enabled", "ignore_paths"}
		switch name {
		case "secrets":
			keys = append(keys, "rules", "verify")
		case "code":
			keys = append(keys, "rules")
		case "iac":
			keys = append(keys, "checks")
		}
		s := d.r.Scanners.ByName(name)
		d.mapping(v, "scanners."+name, keys, func(key string, k, v *yaml.Node) {
			what := "scanners." + name + "." + key
			switch key {
			case "enabled":
				if b, ok := d.boolean(v, what); ok {
					s.Enabled = b
					d.mark(what, v)
				}
			case "ignore_paths":
				s.IgnorePaths = d.globs(v, what)
			case "verify":
				if b, ok := d.boolean(v, what); ok {
					d.r.Scanners.Secrets.Verify = b
					d.mark(what, v)
				}
			case "checks":
				d.iacChecks(v)
			case "rules":
				if name == "code" {
					d.codeRules(v)
				} else {
					d.secretRules(v)
				}
			}
		})
	})
}

func (d *decoder) globs(n *yaml.Node, what string) []Glob {
	var out []Glob
	d.sequence(n, what, maxGlobs, func(_ int, v *yaml.Node) {
		if g, ok := d.glob(v, what); ok {
			out = append(out, Glob{Pattern: g, Source: d.source(v)})
		}
	})
	return out
}

// glob validates one path pattern and normalizes it to be relative to the
// repository root (a leading "/" or "./" is dropped).
func (d *decoder) glob(v *yaml.Node, what string) (string, bool) {
	s, ok := d.str(v, what+" entries")
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "./"), "/")
	switch {
	case s == "":
		d.errf(v, "%s: an empty pattern", what)
	case len(s) > maxGlobBytes:
		d.errf(v, "%s: the pattern is %d bytes, over the limit of %d", what, len(s), maxGlobBytes)
	case !doublestar.ValidatePattern(s):
		d.errf(v, "%s: %q is not a valid glob (unclosed [ or {, or a trailing \\)", what, s)
	default:
		return s, true
	}
	return "", false
}

// ruleIDPattern is "<scanner>/<name>", the shape of every rule id.
var ruleIDPattern = regexp.MustCompile(`^[a-z0-9]+(/[A-Za-z0-9][A-Za-z0-9._-]*)+$`)

func (d *decoder) ruleID(v *yaml.Node, what string) (string, bool) {
	s, ok := d.str(v, what)
	if !ok {
		return "", false
	}
	if !ruleIDPattern.MatchString(s) {
		d.errf(v, "%s: %q is not a rule id (scanner/name, e.g. secrets/github-pat)", what, s)
		return "", false
	}
	scanner, _, _ := strings.Cut(s, "/")
	if !slices.Contains(ScannerNames, scanner) {
		d.errf(v, "%s: %q names no scanner (%s)%s", what, s, strings.Join(ScannerNames, ", "), suggest(scanner, ScannerNames))
		return "", false
	}
	return s, true
}

func (d *decoder) rules(n *yaml.Node) {
	count := 0
	d.mapping(n, "rules", nil, func(_ string, k, v *yaml.Node) {
		count++
		if count > maxRules {
			if count == maxRules+1 {
				d.errf(k, "rules has more than %d entries; the rest are ignored", maxRules)
			}
			return
		}
		id, ok := d.ruleID(k, "rules")
		if !ok {
			return
		}
		if v.Kind == yaml.ScalarNode && v.Value == "off" {
			d.r.Rules[id] = RuleSetting{Off: true, Source: d.source(v)}
			return
		}
		if v.Kind != yaml.ScalarNode {
			d.errf(v, "rules.%s must be off or a severity (info, low, medium, high, critical), not %s", id, describe(v))
			return
		}
		s, err := scanners.ParseSeverity(v.Value)
		if err != nil || v.Value != strings.ToLower(v.Value) {
			d.errf(v, "rules.%s must be off or a severity (info, low, medium, high, critical), not %s", id, describe(v))
			return
		}
		d.r.Rules[id] = RuleSetting{Severity: s, Source: d.source(v)}
	})
}

var fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

func (d *decoder) ignores(n *yaml.Node) {
	d.sequence(n, "ignore", maxIgnores, func(_ int, v *yaml.Node) {
		ig := Ignore{Source: d.source(v)}
		ok := true
		hasReason := false
		d.mapping(v, "an ignore entry", []string{"fingerprint", "rule", "path", "reason", "expires"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "fingerprint":
				s, good := d.str(v, "fingerprint")
				if good && !fingerprintPattern.MatchString(s) {
					d.errf(v, "fingerprint must be the 16 hex digits shiftward shows with a finding, not %q", s)
					good = false
				}
				ig.Fingerprint, ok = s, ok && good
			case "rule":
				s, good := d.ruleID(v, "rule")
				ig.Rule, ok = s, ok && good
			case "path":
				s, good := d.glob(v, "path")
				ig.Path, ok = s, ok && good
			case "reason":
				hasReason = true
				s, good := d.str(v, "reason")
				s = strings.TrimSpace(s)
				switch {
				case good && s == "":
					d.errf(v, "reason must say why the finding is acceptable")
					good = false
				case good && len(s) > maxReasonBytes:
					d.errf(v, "reason is %d bytes, over the limit of %d", len(s), maxReasonBytes)
					good = false
				}
				ig.Reason, ok = s, ok && good
			case "expires":
				s, good := d.str(v, "expires")
				t, err := time.Parse(time.DateOnly, s)
				if good && err != nil {
					d.errf(v, "expires must be a date YYYY-MM-DD, not %q", s)
					good = false
				}
				ig.Expires, ok = t, ok && good
			}
		})
		if v.Kind != yaml.MappingNode {
			if isNull(v) {
				d.errf(v, "an empty ignore entry")
			}
			return // mapping reported any other kind
		}
		if !hasReason {
			d.errf(v, "an ignore entry needs a reason")
			ok = false
		}
		if ig.Fingerprint == "" && ig.Rule == "" && ok {
			d.errf(v, "an ignore entry needs a fingerprint or a rule")
			ok = false
		}
		if ok {
			d.r.Ignores = append(d.r.Ignores, ig)
		}
	})
}

var secretIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// customRuleID reads the id of a repository's own rule (a secret or code
// rule): a slug, unique among the file's rules of that kind.
func (d *decoder) customRuleID(v *yaml.Node, kind string, ids map[string]bool) (string, bool) {
	s, good := d.str(v, "id")
	if good && !secretIDPattern.MatchString(s) {
		d.errf(v, "id must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, not %q", s)
		good = false
	}
	if good && ids[s] {
		d.errf(v, "a %s rule with id %q is already defined", kind, s)
		good = false
	}
	ids[s] = true
	return s, good
}

// description reads a rule's description, bounded.
func (d *decoder) description(v *yaml.Node) (string, bool) {
	s, good := d.str(v, "description")
	if good && len(s) > maxDescBytes {
		d.errf(v, "description is %d bytes, over the limit of %d", len(s), maxDescBytes)
		good = false
	}
	return s, good
}

// pathGlobs reads a rule's paths: the patterns, and whether all were valid.
func (d *decoder) pathGlobs(v *yaml.Node) ([]string, bool) {
	before := len(d.probs)
	var out []string
	for _, g := range d.globs(v, "paths") {
		out = append(out, g.Pattern)
	}
	return out, len(d.probs) == before
}

func (d *decoder) secretRules(n *yaml.Node) {
	ids := map[string]bool{}
	d.sequence(n, "scanners.secrets.rules", maxSecretRules, func(_ int, v *yaml.Node) {
		r := SecretRule{Severity: scanners.SeverityHigh, Source: d.source(v)}
		ok := true
		d.mapping(v, "a secret rule", []string{"id", "description", "regex", "keywords", "entropy", "severity", "paths"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "id":
				s, good := d.customRuleID(v, "secret", ids)
				r.ID, ok = s, ok && good
			case "description":
				s, good := d.description(v)
				r.Description, ok = s, ok && good
			case "regex":
				s, good := d.str(v, "regex")
				if good {
					if err := checkRegex(s); err != nil {
						d.errf(v, "regex: %v", err)
						good = false
					}
				}
				r.Regex, ok = s, ok && good
			case "keywords":
				d.sequence(v, "keywords", maxKeywords, func(_ int, v *yaml.Node) {
					s, good := d.str(v, "keywords entries")
					if good && (s == "" || len(s) > maxKeywordBytes) {
						d.errf(v, "a keyword must be 1 to %d bytes", maxKeywordBytes)
						good = false
					}
					if good {
						r.Keywords = append(r.Keywords, strings.ToLower(s))
					}
					ok = ok && good
				})
			case "entropy":
				f, err := strconv.ParseFloat(v.Value, 64)
				if v.Kind != yaml.ScalarNode || (v.Tag != "!!float" && v.Tag != "!!int") || err != nil || math.IsNaN(f) || f < 0 || f > 8 {
					d.errf(v, "entropy must be a number from 0 to 8 (bits per byte), not %s", describe(v))
					ok = false
					return
				}
				r.Entropy = f
			case "severity":
				s, good := d.severity(v, "severity")
				if good {
					r.Severity = s
				}
				ok = ok && good
			case "paths":
				paths, good := d.pathGlobs(v)
				r.Paths, ok = paths, ok && good
			}
		})
		if v.Kind != yaml.MappingNode {
			if isNull(v) {
				d.errf(v, "an empty secret rule")
			}
			return
		}
		if r.ID == "" && ok {
			d.errf(v, "a secret rule needs an id")
			ok = false
		}
		if r.Regex == "" && ok {
			d.errf(v, "a secret rule needs a regex")
			ok = false
		}
		if ok {
			d.r.Scanners.Secrets.Rules = append(d.r.Scanners.Secrets.Rules, r)
		}
	})
}

func (d *decoder) codeRules(n *yaml.Node) {
	ids := map[string]bool{}
	d.sequence(n, "scanners.code.rules", maxSecretRules, func(_ int, v *yaml.Node) {
		r := CodeRule{Severity: scanners.SeverityMedium, When: "any", Source: d.source(v)}
		ok := true
		strs := func(v *yaml.Node, what string, allowed []string) []string {
			var out []string
			d.sequence(v, what, maxKeywords, func(_ int, v *yaml.Node) {
				s, good := d.str(v, what+" entries")
				switch {
				case good && allowed != nil && !slices.Contains(allowed, s):
					d.errf(v, "%s: %q is not one of %s%s", what, s, strings.Join(allowed, ", "), suggest(s, allowed))
					good = false
				case good && (s == "" || len(s) > maxDescBytes):
					d.errf(v, "%s entries must be 1 to %d bytes", what, maxDescBytes)
					good = false
				}
				if good {
					out = append(out, s)
				}
				ok = ok && good
			})
			return out
		}
		d.mapping(v, "a code rule", []string{"id", "description", "languages", "calls", "argument", "when", "severity", "references", "paths"}, func(key string, k, v *yaml.Node) {
			switch key {
			case "id":
				s, good := d.customRuleID(v, "code", ids)
				r.ID, ok = s, ok && good
			case "description":
				s, good := d.description(v)
				r.Description, ok = s, ok && good
			case "languages":
				r.Languages = strs(v, "languages", CodeLanguages)
			case "calls":
				r.Calls = strs(v, "calls", nil)
			case "references":
				r.References = strs(v, "references", nil)
			case "argument":
				i, err := strconv.Atoi(v.Value)
				if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || i < 0 || i > 32 {
					d.errf(v, "argument must be a position from 0 to 32, not %s", describe(v))
					ok = false
					return
				}
				r.Arg = i
			case "when":
				if v.Kind != yaml.ScalarNode || !slices.Contains(CodeRuleConditions, v.Value) {
					d.errf(v, "when must be one of %s, not %s%s", strings.Join(CodeRuleConditions, ", "), describe(v), suggest(v.Value, CodeRuleConditions))
					ok = false
					return
				}
				r.When = v.Value
			case "severity":
				s, good := d.severity(v, "severity")
				if good {
					r.Severity = s
				}
				ok = ok && good
			case "paths":
				paths, good := d.pathGlobs(v)
				r.Paths, ok = paths, ok && good
			}
		})
		if v.Kind != yaml.MappingNode {
			if isNull(v) {
				d.errf(v, "an empty code rule")
			}
			return
		}
		for _, need := range []struct {
			missing bool
			what    string
		}{{r.ID == "", "an id"}, {len(r.Languages) == 0, "languages"}, {len(r.Calls) == 0, "calls"}, {r.Description == "", "a description"}} {
			if need.missing && ok {
				d.errf(v, "a code rule needs %s", need.what)
				ok = false
			}
		}
		if ok {
			d.r.Scanners.Code.Rules = append(d.r.Scanners.Code.Rules, r)
		}
	})
}

// checkRegex accepts an RE2 pattern only when it is short, compiles, stays
// under an instruction budget once bounded repeats are expanded (`x{1000}`
// is a thousand copies of x, which regexp allows but which costs memory on
// every scan), and cannot match the empty string (which would flag every
// line).
func checkRegex(p string) error {
	if p == "" {
		return fmt.Errorf("an empty pattern")
	}
	if len(p) > maxPatternBytes {
		return fmt.Errorf("the pattern is %d bytes, over the limit of %d", len(p), maxPatternBytes)
	}
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return err
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return err
	}
	if len(prog.Inst) > maxProgInsts {
		return fmt.Errorf("the pattern compiles to %d instructions, over the limit of %d; large counted repeats ({1,500}) are the usual cause", len(prog.Inst), maxProgInsts)
	}
	c, err := regexp.Compile(p)
	if err != nil {
		return err
	}
	if c.MatchString("") {
		return fmt.Errorf("the pattern matches the empty string, so it would match every line")
	}
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describe(n)
	}
	return "this"
}

// describe names a node's value for a message, quoting scalars (cut short).
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.Tag == "!!null" {
		return "empty"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	return strconv.Quote(v)
}

// suggest returns ` (did you mean "x"?)` for the known word closest to got,
// when it is close enough to be a typo.
func suggest(got string, known []string) string {
	best, bestD := "", math.MaxInt
	for _, k := range known {
		if dist := editDistance(strings.ToLower(got), k); dist < bestD {
			best, bestD = k, dist
		}
	}
	if best == "" || bestD > max(2, len(best)/3) || bestD == 0 && got == best {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance, with runes cut at 64 so a
// crafted key cannot cost more than a small table.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 {
		ra = ra[:64]
	}
	if len(rb) > 64 {
		rb = rb[:64]
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
