package config

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
)

// changeWide are the options that shape the whole review (one check, one
// comment budget), so only the root file, or the org defaults under it, may
// set them.
var changeWide = []string{"fail_on", "comments.mode", "comments.max_inline", "require_suppression_review", "commands.ignore", "scanners.secrets.verify"}

// Merge layers configurations into the one a change is reviewed with:
//
//   - org (the organisation's or group's defaults, e.g. from its .github
//     repository) lies under repo (the repository's root .shiftward.yml):
//     an option repo sets replaces org's; rules merge by id, repo winning;
//     lists (ignore_paths, ignore entries, custom secret and code rules,
//     IaC checks) are joined, a repo one replacing an org one of the same
//     id.
//   - each of subs is a monorepo subdirectory file (its File names where it
//     lies, e.g. "services/api/.shiftward.yml") and applies only below its
//     directory: its scanner switches and rule settings become a Scope,
//     where the deepest directory holding a file wins; its globs, ignore
//     entries, secret and code rules and IaC checks are rooted at the directory (a pattern
//     "*.md" becomes "services/api/*.md", an entry without a path gets
//     "services/api/**"). A subdirectory file cannot set change-wide options
//     (fail_on, comments, require_suppression_review): each one it
//     sets is a Problem and is ignored, as is a rule or check id already
//     defined above it.
//
// Any argument may be nil. Merge does not modify its arguments.
func Merge(org, repo *Settings, subs ...*Settings) (*Settings, []Problem) {
	out := DefaultSettings()
	if repo != nil {
		out.File = repo.File
	}
	var probs []Problem
	for _, layer := range []*Settings{org, repo} {
		if layer != nil {
			out.overlay(layer)
		}
	}
	subs = slices.DeleteFunc(slices.Clone(subs), func(s *Settings) bool { return s == nil })
	slices.SortStableFunc(subs, func(a, b *Settings) int { return cmp.Compare(dirOf(a.File), dirOf(b.File)) })
	for _, s := range subs {
		probs = append(probs, out.scope(s)...)
	}
	return out, probs
}

func dirOf(file string) string {
	d := path.Dir(strings.TrimPrefix(file, "/"))
	if d == "." || d == "/" {
		return ""
	}
	return d
}

// overlay puts layer's settings over r's.
func (r *Settings) overlay(l *Settings) {
	for key, p := range l.set {
		r.set[key] = p
		switch key {
		case "version":
			r.Version = l.Version
		case "fail_on":
			r.FailOn = l.FailOn
		case "comments.mode":
			r.Comments.Mode = l.Comments.Mode
		case "comments.max_inline":
			r.Comments.MaxInline = l.Comments.MaxInline
		case "require_suppression_review":
			r.RequireSuppressionReview = l.RequireSuppressionReview
		case "commands.ignore":
			r.Commands.Ignore = l.Commands.Ignore
		case "scanners.secrets.verify":
			r.Scanners.Secrets.Verify = l.Scanners.Secrets.Verify
		default:
			if name, ok := strings.CutPrefix(key, "scanners."); ok {
				name = strings.TrimSuffix(name, ".enabled")
				if s, ls := r.Scanners.ByName(name), l.Scanners.ByName(name); s != nil {
					s.Enabled = ls.Enabled
				}
			}
		}
	}
	r.IgnorePaths = append(r.IgnorePaths, l.IgnorePaths...)
	for _, n := range ScannerNames {
		r.Scanners.ByName(n).IgnorePaths = append(r.Scanners.ByName(n).IgnorePaths, l.Scanners.ByName(n).IgnorePaths...)
	}
	maps.Copy(r.Rules, l.Rules)
	r.Ignores = append(r.Ignores, l.Ignores...)
	r.Scanners.Secrets.Rules = overlayRules(r.Scanners.Secrets.Rules, l.Scanners.Secrets.Rules)
	r.Scanners.Code.Rules = overlayRules(r.Scanners.Code.Rules, l.Scanners.Code.Rules)
	r.Scanners.IaC.Checks = overlayRules(r.Scanners.IaC.Checks, l.Scanners.IaC.Checks)
}

// customRule is a repository's own rule (a secret or code rule, an IaC
// check), as the
// merge handles it: by id, from a source, rooted at a directory.
type customRule[T any] interface {
	ruleKey() string
	ruleSource() string
	rootedAt(dir string) T
}

func (r SecretRule) ruleKey() string    { return r.ID }
func (r SecretRule) ruleSource() string { return r.Source }
func (r SecretRule) rootedAt(dir string) SecretRule {
	r.Paths = rooted(dir, r.Paths)
	return r
}

func (r CodeRule) ruleKey() string    { return r.ID }
func (r CodeRule) ruleSource() string { return r.Source }
func (r CodeRule) rootedAt(dir string) CodeRule {
	r.Paths = rooted(dir, r.Paths)
	return r
}

func (c IaCCheck) ruleKey() string    { return c.ID }
func (c IaCCheck) ruleSource() string { return c.Source }
func (c IaCCheck) rootedAt(dir string) IaCCheck {
	c.Paths = rooted(dir, c.Paths)
	return c
}

// overlayRules puts a layer's rules over have: one of the same id replaces
// it, others are added.
func overlayRules[T customRule[T]](have, layer []T) []T {
	for _, x := range layer {
		if i := slices.IndexFunc(have, func(h T) bool { return h.ruleKey() == x.ruleKey() }); i >= 0 {
			have[i] = x
		} else {
			have = append(have, x)
		}
	}
	return have
}

// scopeRules adds a subdirectory file's rules, rooted at its directory; one
// whose id is defined above the directory is a problem and is left out.
// kind names one rule with its article ("a code rule").
func scopeRules[T customRule[T]](have, sub []T, kind, file, dir string) ([]T, []Problem) {
	var probs []Problem
	for _, x := range sub {
		if slices.ContainsFunc(have, func(h T) bool { return h.ruleKey() == x.ruleKey() }) {
			line, col := sourcePos(x.ruleSource())
			probs = append(probs, Problem{File: file, Line: line, Column: col,
				Message: fmt.Sprintf("%s with id %q is already defined above this directory; ignored here", kind, x.ruleKey())})
			continue
		}
		have = append(have, x.rootedAt(dir))
	}
	return have, probs
}

// scope adds a subdirectory file's settings below its directory.
func (r *Settings) scope(s *Settings) []Problem {
	dir := dirOf(s.File)
	var probs []Problem
	for _, key := range changeWide {
		if p, ok := s.set[key]; ok {
			probs = append(probs, Problem{File: s.File, Line: p.line, Column: p.col,
				Message: fmt.Sprintf("%s applies to the whole change, so only the root %s may set it; ignored here", key, RepoFile)})
		}
	}
	if dir == "" {
		// A "subdirectory" file at the root is the root file again: its
		// per-path settings still apply, everywhere.
		r.overlay(withoutChangeWide(s))
		return probs
	}
	sc := Scope{Dir: dir, Scanners: map[string]Toggle{}, Rules: maps.Clone(s.Rules)}
	if sc.Rules == nil {
		sc.Rules = map[string]RuleSetting{}
	}
	for _, n := range ScannerNames {
		if p, ok := s.set["scanners."+n+".enabled"]; ok {
			sc.Scanners[n] = Toggle{Enabled: s.Scanners.ByName(n).Enabled, Source: fmt.Sprintf("%s:%d", s.File, p.line)}
		}
		for _, g := range s.Scanners.ByName(n).IgnorePaths {
			r.Scanners.ByName(n).IgnorePaths = append(r.Scanners.ByName(n).IgnorePaths, Glob{Pattern: below(dir, g.Pattern), Source: g.Source})
		}
	}
	for _, g := range s.IgnorePaths {
		r.IgnorePaths = append(r.IgnorePaths, Glob{Pattern: below(dir, g.Pattern), Source: g.Source})
	}
	for _, ig := range s.Ignores {
		ig.Path = below(dir, cmp.Or(ig.Path, "**"))
		r.Ignores = append(r.Ignores, ig)
	}
	var ps []Problem
	r.Scanners.Secrets.Rules, ps = scopeRules(r.Scanners.Secrets.Rules, s.Scanners.Secrets.Rules, "a secret rule", s.File, dir)
	probs = append(probs, ps...)
	r.Scanners.Code.Rules, ps = scopeRules(r.Scanners.Code.Rules, s.Scanners.Code.Rules, "a code rule", s.File, dir)
	probs = append(probs, ps...)
	r.Scanners.IaC.Checks, ps = scopeRules(r.Scanners.IaC.Checks, s.Scanners.IaC.Checks, "an IaC check", s.File, dir)
	probs = append(probs, ps...)
	if len(sc.Scanners) > 0 || len(sc.Rules) > 0 {
		r.Scopes = append(r.Scopes, sc)
	}
	return probs
}

// rooted puts a subdirectory rule's path globs below dir; a rule without
// paths covers all of dir.
func rooted(dir string, paths []string) []string {
	if len(paths) == 0 {
		paths = []string{"**"}
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = below(dir, p)
	}
	return out
}

func withoutChangeWide(s *Settings) *Settings {
	c := *s
	c.set = maps.Clone(s.set)
	for _, k := range changeWide {
		delete(c.set, k)
	}
	return &c
}

// sourcePos reads the line back from a "file:line" source; the column is
// unknown (0).
func sourcePos(src string) (int, int) {
	i := strings.LastIndexByte(src, ':')
	n := 0
	if i >= 0 {
		fmt.Sscanf(src[i+1:], "%d", &n)
	}
	return n, 0
}

// below roots a repository-relative pattern at dir.
func below(dir, pattern string) string {
	return dir + "/" + strings.TrimPrefix(pattern, "/")
}

// Policy is r in the form suppress.Apply takes: every ignore, switch and
// rule setting with the file and line it came from, scoped entries with
// their directory.
func (r *Settings) Policy() *suppress.Policy {
	p := &suppress.Policy{RequireSuppressionReview: r.RequireSuppressionReview}
	for _, g := range r.IgnorePaths {
		p.IgnorePaths = append(p.IgnorePaths, suppress.PathIgnore{Pattern: g.Pattern, Source: g.Source})
	}
	for _, n := range ScannerNames {
		s := r.Scanners.ByName(n)
		for _, g := range s.IgnorePaths {
			p.IgnorePaths = append(p.IgnorePaths, suppress.PathIgnore{Scanner: n, Pattern: g.Pattern, Source: g.Source})
		}
		src := "default"
		if pos, ok := r.set["scanners."+n+".enabled"]; ok {
			src = fmt.Sprintf("%s:%d", r.File, pos.line)
		}
		p.Scanners = append(p.Scanners, suppress.ScannerSwitch{Scanner: n, Enabled: s.Enabled, Source: src})
	}
	for _, id := range slices.Sorted(maps.Keys(r.Rules)) {
		rs := r.Rules[id]
		p.Rules = append(p.Rules, suppress.RuleSetting{RuleID: id, Off: rs.Off, Severity: rs.Severity, Source: rs.Source})
	}
	for _, sc := range r.Scopes {
		for _, n := range slices.Sorted(maps.Keys(sc.Scanners)) {
			t := sc.Scanners[n]
			p.Scanners = append(p.Scanners, suppress.ScannerSwitch{Dir: sc.Dir, Scanner: n, Enabled: t.Enabled, Source: t.Source})
		}
		for _, id := range slices.Sorted(maps.Keys(sc.Rules)) {
			rs := sc.Rules[id]
			p.Rules = append(p.Rules, suppress.RuleSetting{Dir: sc.Dir, RuleID: id, Off: rs.Off, Severity: rs.Severity, Source: rs.Source})
		}
	}
	for _, ig := range r.Ignores {
		p.Ignores = append(p.Ignores, suppress.Ignore{Fingerprint: ig.Fingerprint, RuleID: ig.Rule, Path: ig.Path,
			Reason: ig.Reason, Expires: ig.Expires, Source: ig.Source})
	}
	return p
}

// FailOnOr returns the file's fail_on, or def when the file does not set one.
func (r *Settings) FailOnOr(def scanners.Severity) scanners.Severity {
	if r.FailOn == scanners.SeverityUnknown {
		return def
	}
	return r.FailOn
}
