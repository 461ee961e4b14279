package worker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// maxSubConfigReads bounds the subdirectory .shiftward.yml files one
// review reads (each a request, or a cached answer at a base already seen),
// and subConfigReaders how many are read at once. Past the bound the review
// is incomplete: a change can never push a stricter file out of reach by
// touching many directories.
const (
	maxSubConfigReads = 256
	subConfigReaders  = 8
)

// configLister is the optional capability of a client that lists, in one
// request, every file called one of names in the tree at ref (GitHub: the
// git trees API). complete is false when the host cut the listing. A
// missing ref gives platform.ErrNotFound.
type configLister interface {
	FilesNamed(ctx context.Context, c platform.Change, ref string, names ...string) (paths []string, complete bool, err error)
}

// listedNames are the files one listing of a base looks for: every
// configuration file read below the root.
var listedNames = []string{config.RepoFile, attributesFile}

// configChange is c as its configuration is read: a pull request's at its
// base. A push's base is its "before", a commit of the branch pushed to,
// which whoever can push there wrote; so a push reads its configuration from
// the repository's default branch: as it was before the push when the push
// is to the default branch (its own edits apply from the next change on, as
// a pull request's do), else at its head. ok is false when the payload did
// not name the default branch: nothing trustworthy can then be read.
func configChange(c platform.Change) (platform.Change, bool) {
	if !c.IsPush() {
		return c, true
	}
	d := c.Repo.DefaultBranch
	switch {
	case d == "":
		return c, false
	case c.Ref == d && platform.ValidSHA(c.BaseSHA) && !platform.IsZeroSHA(c.BaseSHA):
		return c, true
	}
	c.BaseSHA = d
	return c, true
}

// repoConfig reads the configuration a change is reviewed with, from the
// change's base (see configChange), so a change cannot weaken its own
// review: the organisation's defaults, the repository's root .shiftward.yml
// over them, and every .shiftward.yml in a directory above a changed file
// (monorepos), which apply below their directory. A missing file is the
// defaults; an invalid one gives problems (which fail the review) and
// defaults for what it got wrong, so the scan still runs. What could not be
// read is among the problems; the review path takes it apart with
// repoConfigGaps.
func (w *Worker) repoConfig(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File) (*config.Settings, []string, error) {
	repo, problems, gaps, err := w.repoConfigGaps(ctx, client, c, files)
	return repo, append(problems, gaps...), err
}

// repoConfigGaps is repoConfig with what could not be read apart: gaps say
// why some configuration may be missing, and make the review incomplete
// (never a pass; see configStatus).
func (w *Worker) repoConfigGaps(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File) (*config.Settings, []string, []string, error) {
	var problems []string
	parse := func(file string, data []byte) *config.Settings {
		r, ps := config.ParseSettings(file, data)
		problems = append(problems, problemLines(ps)...)
		return r
	}
	var org *config.Settings
	if o, ok := client.(platform.OrgDefaults); ok {
		data, source, err := o.OrgFile(ctx, c, config.RepoFile)
		switch {
		case err == nil:
			org = parse(source, data)
		case !errors.Is(err, platform.ErrNotFound):
			return nil, nil, nil, fmt.Errorf("reading the organisation's %s: %w", config.RepoFile, err)
		}
	}
	var root *config.Settings
	var subRepos []*config.Settings
	var gaps []string
	if cc, ok := configChange(c); !ok {
		// Reading at the push's own base would let the pusher choose the
		// rules: the defaults (and the organisation's) apply instead.
		gaps = append(gaps, "the push names no default branch to read "+config.RepoFile+" from; the defaults were used")
	} else {
		data, err := w.baseFile(ctx, client, cc, config.RepoFile)
		switch {
		case err == nil:
			root = parse(config.RepoFile, data)
		case !errors.Is(err, platform.ErrNotFound):
			return nil, nil, nil, fmt.Errorf("reading %s at the base: %w", config.RepoFile, err)
		}
		subs, subGaps, err := w.subConfigs(ctx, client, cc, files)
		if err != nil {
			return nil, nil, nil, err
		}
		gaps = append(gaps, subGaps...)
		for _, s := range subs {
			subRepos = append(subRepos, parse(s.file, s.data))
		}
	}
	if org == nil && len(subRepos) == 0 {
		if root == nil {
			return config.DefaultSettings(), problems, gaps, nil
		}
		return root, problems, gaps, nil
	}
	merged, ps := config.Merge(org, root, subRepos...)
	return merged, append(problems, problemLines(ps)...), gaps, nil
}

// configStatus is the status that makes a review incomplete for the
// configuration it could not read whole, or nil when it read all of it.
func configStatus(gaps []string) *scanners.Status {
	if len(gaps) == 0 {
		return nil
	}
	st := &scanners.Status{Scanner: "config"}
	for _, g := range gaps {
		st.Errors = append(st.Errors, errors.New(g))
	}
	return st
}

// configDirs names the directories (below the root) that hold a file
// named name (one of listedNames) at c's base, from one listing of them
// all. complete is false when the host cut the listing. A listing at a
// commit is kept in the per-process cache (a commit's tree never changes);
// one at a branch name is not.
func (w *Worker) configDirs(ctx context.Context, l configLister, c platform.Change, name string) (map[string]bool, bool, error) {
	cacheable := platform.ValidSHA(c.BaseSHA)
	key := fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00list:%s", c.Platform, c.Repo.ID, c.Repo.FullName(), c.BaseSHA, strings.Join(listedNames, "\x00"))
	var paths []string
	w.cacheOnce.Do(func() { w.cache = &fileCache{files: map[string]cachedFile{}} })
	fc := w.cache
	fc.mu.Lock()
	got, hit := fc.files[key]
	fc.mu.Unlock()
	switch {
	case cacheable && hit && got.missing:
		return nil, false, fmt.Errorf("tree at %.7s: %w", c.BaseSHA, platform.ErrNotFound)
	case cacheable && hit:
		if len(got.data) > 0 {
			paths = strings.Split(string(got.data), "\x00") // git paths hold no NUL
		}
	default:
		var complete bool
		var err error
		paths, complete, err = l.FilesNamed(ctx, c, c.BaseSHA, listedNames...)
		if err != nil && !errors.Is(err, platform.ErrNotFound) {
			return nil, false, err
		}
		if cacheable && (complete || err != nil) {
			fc.mu.Lock()
			if len(fc.files) >= maxCachedFiles {
				clear(fc.files)
			}
			fc.files[key] = cachedFile{data: []byte(strings.Join(paths, "\x00")), missing: err != nil}
			fc.mu.Unlock()
		}
		if err != nil {
			return nil, false, err
		}
		if !complete {
			return nil, false, nil
		}
	}
	dirs := make(map[string]bool, len(paths))
	for _, p := range paths {
		if d := path.Dir(p); path.Base(p) == name && d != "." && d != "/" {
			dirs[d] = true
		}
	}
	return dirs, true, nil
}

type subConfig struct {
	file string
	data []byte
}

// subConfigs reads, at c's base, the .shiftward.yml of every directory
// (below the root) that holds a file of the change. Where the client can
// list a tree, one listing (cached per base commit) says which of those
// directories have one, and only those are read; where it cannot, or the
// host cut the listing, each directory is asked. At most maxSubConfigReads
// files are read, nearest the root first (a parent sorts before its
// children); when more would be, gaps says so: nothing is dropped silently.
func (w *Worker) subConfigs(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File) ([]subConfig, []string, error) {
	seen := map[string]bool{}
	var dirs []string
	for _, f := range files {
		for d := path.Dir(f.Path()); d != "." && d != "/" && d != "" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		return nil, nil, nil
	}
	slices.Sort(dirs)
	if l, ok := client.(configLister); ok {
		listed, complete, err := w.configDirs(ctx, l, c, config.RepoFile)
		switch {
		case errors.Is(err, platform.ErrNotFound):
			return nil, nil, nil // no tree at the base: no file in it either
		case err != nil:
			return nil, nil, fmt.Errorf("listing %s files at the base: %w", config.RepoFile, err)
		case complete:
			dirs = slices.DeleteFunc(dirs, func(d string) bool { return !listed[d] })
		default:
			w.Log.Info("tree listing cut by the host; looking for "+config.RepoFile+" in each changed directory",
				"repo", c.Repo.FullName(), "dirs", len(dirs))
		}
	}
	var gaps []string
	if len(dirs) > maxSubConfigReads {
		gaps = append(gaps, fmt.Sprintf("the change's files lie in %d directories that may hold their own %s; "+
			"shiftward reads at most %d per review (nearest the root first), so the rules of the others were not applied",
			len(dirs), config.RepoFile, maxSubConfigReads))
		dirs = dirs[:maxSubConfigReads]
	}
	found := make([]*subConfig, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, subConfigReaders)
	for i, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			file := d + "/" + config.RepoFile
			data, err := w.baseFile(ctx, client, c, file)
			switch {
			case err == nil:
				found[i] = &subConfig{file: file, data: data}
			case !errors.Is(err, platform.ErrNotFound):
				errs[i] = fmt.Errorf("reading %s at the base: %w", file, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	var out []subConfig
	for _, s := range found {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, gaps, nil
}

// headConfigNotes validates a .shiftward.yml that the change itself brings
// and says what it will change once merged ("after merge: the secrets
// scanner is off"): it applies only then, so these are notes, not failures.
func headConfigNotes(ctx context.Context, client platform.Client, c platform.Change, files []*diff.File, base *config.Settings) ([]string, error) {
	for _, f := range files {
		if f.IsDelete || f.NewPath != config.RepoFile {
			continue
		}
		data, err := client.FileContent(ctx, c, config.RepoFile, c.HeadSHA)
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
	return nil, nil
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

func problemLines(problems []config.Problem) []string {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.String()
	}
	return lines
}

// ApplyRepoConfig removes what the configuration suppresses from res and
// shapes the review's options: the failing severity, the comment mode, the
// notes reviewers must see (suppressions this change adds, expired ignores).
// added holds each file's added lines, for inline shiftward:ignore comments;
// only files with findings need to be there. approvers are the users with
// write access who approved the change: with require_suppression_review,
// their approval is what the suppressions the change adds wait for.
func ApplyRepoConfig(repo *config.Settings, res *scanners.Result, added map[string][]scanners.Line, opt *comments.Options, now time.Time, approvers ...string) {
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
// rules) in files outside the rule's paths: the rule does not apply there
// (gitleaks' path regex is not used for custom rules, whose paths are globs).
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
