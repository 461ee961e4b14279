package review

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
)

// headConfigNotes validates a .shiftward.yml that the change itself brings
// and says what it will change once merged ("after merge: the secrets
// scanner is off"): it applies only then, so these are notes, not failures.
func headConfigNotes(ctx context.Context, src Source, base *config.Settings) ([]string, error) {
	data, err := src.Read(ctx, config.RepoFile)
	if err != nil {
		return nil, fmt.Errorf("reading the changed %s: %w", config.RepoFile, err)
	}
	head, problems := config.ParseSettings(config.RepoFile, data)
	if len(problems) > 0 {
		notes := []string{"this change edits " + config.RepoFile + ", which applies once merged; fix these first:"}
		return append(notes, problemLines(problems)...), nil
	}
	notes := []string{"this change edits " + config.RepoFile + "; it is valid and applies once merged (this review used the base branch's)"}
	return append(notes, configEffects(base, head)...), nil
}

// configEffects lists, for reviewers, what a new configuration weakens or
// changes compared with the one in force.
func configEffects(old, cur *config.Settings) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, "after merge: "+fmt.Sprintf(format, args...)) }
	if a, b := old.FailOnOr(scanners.SeverityUnknown), cur.FailOnOr(scanners.SeverityUnknown); a != b {
		add("fail_on changes from %s to %s", orDefault(a), orDefault(b))
	}
	if old.Comments.Mode != cur.Comments.Mode {
		add("comments.mode changes from %s to %s", old.Comments.Mode, cur.Comments.Mode)
	}
	for _, n := range config.ScannerNames {
		o, c := old.Scanners.ByName(n), cur.Scanners.ByName(n)
		if o.Enabled != c.Enabled {
			state := "off"
			if c.Enabled {
				state = "on"
			}
			add("the %s scanner is %s", n, state)
		}
		for _, g := range newGlobs(o.IgnorePaths, c.IgnorePaths) {
			add("%s findings in %s are ignored", n, g)
		}
	}
	for _, g := range newGlobs(old.IgnorePaths, cur.IgnorePaths) {
		add("all findings in %s are ignored", g)
	}
	for _, id := range slices.Sorted(maps.Keys(cur.Rules)) {
		r, was := cur.Rules[id], old.Rules[id]
		switch {
		case r.Off && !was.Off:
			add("rule %s is off", id)
		case !r.Off && r.Severity != was.Severity && r.Severity != scanners.SeverityUnknown:
			add("rule %s is graded %s", id, r.Severity)
		}
	}
	seen := map[config.Ignore]bool{}
	for _, ig := range old.Ignores {
		seen[stripSource(ig)] = true
	}
	for _, ig := range cur.Ignores {
		if seen[stripSource(ig)] {
			continue
		}
		what := ig.Fingerprint
		if what == "" {
			what = ig.Rule
			if ig.Path != "" {
				what += " in " + ig.Path
			}
		}
		add("%s is accepted (reason: %s)", what, ig.Reason)
	}
	if cur.RequireSuppressionReview != old.RequireSuppressionReview {
		add("require_suppression_review is %v", cur.RequireSuppressionReview)
	}
	return out
}

func orDefault(s scanners.Severity) string {
	if s == scanners.SeverityUnknown {
		return "the server's default"
	}
	return s.String()
}

func newGlobs(old, cur []config.Glob) []string {
	var out []string
	for _, g := range cur {
		if !slices.ContainsFunc(old, func(o config.Glob) bool { return o.Pattern == g.Pattern }) {
			out = append(out, g.Pattern)
		}
	}
	return out
}

func stripSource(ig config.Ignore) config.Ignore {
	ig.Source = ""
	return ig
}

// apply removes what the policy suppresses from res and shapes the
// review's options: the failing severity, the comment mode, the
// notes reviewers must see (suppressions this change adds, expired ignores).
// added holds each file's added lines, for inline shiftward:ignore comments;
// only files with findings need to be there. With require_suppression_review,
// the approval of p.Approvers is what the suppressions the change adds wait
// for.
func apply(p *Policy, res *scanners.Result, added map[string][]scanners.Line, opt *comments.Options, now time.Time) {
	repo, approvers := p.Settings, p.Approvers
	res.Findings = inRuleScope(res.Findings, repo)
	policy := repo.Policy()
	dropSilenced(res, policy)
	sr := suppress.Apply(res.Findings, policy, now, added)
	res.Findings = sr.Kept
	opt.FailOn = repo.FailOnOr(opt.FailOn)
	if repo.Comments.MaxInline > 0 {
		opt.MaxInline = repo.Comments.MaxInline
	}
	if m := repo.Comments.Mode; m != "" && m != config.CommentReview {
		opt.NoInline = fmt.Sprintf("inline comments are off (%s comments.mode: %s)", config.RepoFile, m)
	}
	for _, n := range sr.Notes {
		opt.Notes = append(opt.Notes, n.Source+": "+n.Text)
	}
	if n := len(sr.Suppressed); n > 0 {
		opt.Notes = append(opt.Notes, fmt.Sprintf("%d finding(s) suppressed by %s or shiftward:ignore comments", n, config.RepoFile))
	}
	switch {
	case sr.NeedsReview && len(approvers) > 0:
		opt.Notes = append(opt.Notes, "the suppressions this change adds were approved by "+strings.Join(approvers, ", ")+" (require_suppression_review)")
	case sr.NeedsReview:
		opt.Problems = append(opt.Problems, "this change adds suppressions and require_suppression_review is on: "+
			"a maintainer (write access) must approve the pull request at this commit, or remove them, to pass")
	}
}

// dropSilenced forgets the scan errors of files whose findings the
// configuration would drop anyway (an ignore_paths glob, a scanner switched
// off there): a file nobody wants reviewed cannot make the review
// incomplete.
func dropSilenced(res *scanners.Result, policy *suppress.Policy) {
	for i := range res.Statuses {
		st := &res.Statuses[i]
		kept := st.Errors[:0]
		for _, err := range st.Errors {
			if p, ok := scanners.ErrorPath(err); ok && policy.Silences(st.Scanner, p) {
				continue
			}
			kept = append(kept, err)
		}
		st.Errors = kept
	}
}

// inRuleScope drops findings of a repository's own rules (secret and code
// rules, IaC checks) in files outside the rule's paths: the rule does not
// apply there (gitleaks' path regex is not used for custom rules, whose
// paths are globs).
func inRuleScope(fs []scanners.Finding, repo *config.Settings) []scanners.Finding {
	scope := map[string][]string{}
	for _, r := range repo.Scanners.Secrets.Rules {
		if len(r.Paths) > 0 {
			scope["secrets/"+r.ID] = r.Paths
		}
	}
	for _, r := range repo.Scanners.Code.Rules {
		if len(r.Paths) > 0 {
			scope["code/"+r.ID] = r.Paths
		}
	}
	for _, c := range repo.Scanners.IaC.Checks {
		if len(c.Paths) > 0 {
			scope[c.RuleID] = c.Paths
		}
	}
	if len(scope) == 0 {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		globs, ok := scope[f.RuleID]
		if !ok || slices.ContainsFunc(globs, func(g string) bool { return suppress.MatchPath(g, f.Location.Path) }) {
			kept = append(kept, f)
		}
	}
	return kept
}
