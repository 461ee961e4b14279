package pipelines

import (
	"strings"
)

// exprSpan is one ${{ ... }} in a text: byte offsets of "${{" and just past
// "}}", and the inner expression.
type exprSpan struct {
	start, end int
	inner      string
}

// findExprs lists the ${{ ... }} expressions in s. An unterminated one ends
// the search. Single-quoted strings inside an expression may hold "}}".
func findExprs(s string) []exprSpan {
	var out []exprSpan
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${{")
		if j < 0 {
			break
		}
		start := i + j
		k := start + 3
		inStr := false
		end := -1
		for ; k < len(s); k++ {
			c := s[k]
			if c == '\'' {
				inStr = !inStr
				continue
			}
			if !inStr && c == '}' && k+1 < len(s) && s[k+1] == '}' {
				end = k + 2
				break
			}
		}
		if end < 0 {
			break
		}
		out = append(out, exprSpan{start: start, end: end, inner: s[start+3 : end-2]})
		i = end
	}
	return out
}

// ctxRef is one context access in an expression, normalized: lower case,
// indexes as ".*" ("github.event.commits.*.message"). whole is set when the
// object itself is serialized (by toJSON or join), not one of its
// properties.
type ctxRef struct {
	path  string
	whole bool
	// safe is set when the value only feeds a comparison or a predicate
	// (contains, startsWith, endsWith), whose result is a boolean.
	safe bool
}

// contextRefs extracts the context accesses of a GitHub Actions expression.
// It is a small tokenizer, not a full parser: enough to find property paths
// (a.b['c'][0].*), including those nested in index expressions.
func contextRefs(expr string) []ctxRef {
	var out []ctxRef
	p := &exprParser{s: expr}
	p.scan(&out, 0)
	return out
}

type exprParser struct {
	s string
	i int
}

var contextRoots = map[string]bool{
	"github": true, "inputs": true, "env": true, "steps": true, "needs": true, "matrix": true,
	"vars": true, "secrets": true, "job": true, "jobs": true, "runner": true, "strategy": true,
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c == '-' || (c >= '0' && c <= '9')
}

// scan reads tokens until an unmatched closer (or the end) at depth, adding
// context paths to out. It returns the closer byte (0 at the end).
func (p *exprParser) scan(out *[]ctxRef, depth int) byte {
	lastFunc := ""
	for p.i < len(p.s) && depth < 64 {
		c := p.s[p.i]
		switch {
		case c == '\'':
			p.i++
			for p.i < len(p.s) {
				if p.s[p.i] == '\'' {
					if p.i+1 < len(p.s) && p.s[p.i+1] == '\'' {
						p.i += 2
						continue
					}
					break
				}
				p.i++
			}
			p.i++
			lastFunc = ""
		case c == ')' || c == ']':
			p.i++
			return c
		case c == '(':
			p.i++
			fn := lastFunc
			lastFunc = ""
			before := len(*out)
			p.scan(out, depth+1)
			switch strings.ToLower(fn) {
			case "tojson", "join":
				// An object passed whole is rendered in full (interpolated
				// alone, an object renders as "Object").
				for k := before; k < len(*out); k++ {
					(*out)[k].whole = true
				}
			case "contains", "startswith", "endswith":
				for k := before; k < len(*out); k++ {
					(*out)[k].safe = true
				}
			}
			// (a || b).prop: the group is dereferenced; keep the path parts.
			p.skipAccessors(out, depth)
		case isIdentStart(c):
			st := p.i
			for p.i < len(p.s) && isIdentChar(p.s[p.i]) {
				p.i++
			}
			word := strings.ToLower(p.s[st:p.i])
			if p.i < len(p.s) && p.s[p.i] == '(' {
				lastFunc = word
				continue
			}
			lastFunc = ""
			if !contextRoots[word] {
				continue
			}
			compared := p.comparedBefore(st)
			path := word + p.accessors(out, depth)
			*out = append(*out, ctxRef{path: path, safe: compared || p.comparedAfter()})
		default:
			p.i++
			lastFunc = ""
		}
	}
	return 0
}

// comparedBefore reports whether a comparison operator precedes offset st.
func (p *exprParser) comparedBefore(st int) bool {
	b := strings.TrimRight(p.s[:st], " \t\n")
	return strings.HasSuffix(b, "==") || strings.HasSuffix(b, "!=") || strings.HasSuffix(b, "<") ||
		strings.HasSuffix(b, ">") || strings.HasSuffix(b, "<=") || strings.HasSuffix(b, ">=") ||
		(strings.HasSuffix(b, "!") && !strings.HasSuffix(b, "!="))
}

// comparedAfter reports whether a comparison operator follows the
// current position.
func (p *exprParser) comparedAfter() bool {
	a := strings.TrimLeft(p.s[p.i:], " \t\n")
	return strings.HasPrefix(a, "==") || strings.HasPrefix(a, "!=") || strings.HasPrefix(a, "<") || strings.HasPrefix(a, ">")
}

// accessors reads .name, .*, ['name'] and [expr] after a context root and
// returns them normalized (".name", ".*").
func (p *exprParser) accessors(out *[]ctxRef, depth int) string {
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '.':
			p.i++
			if p.i < len(p.s) && p.s[p.i] == '*' {
				p.i++
				b.WriteString(".*")
				continue
			}
			st := p.i
			for p.i < len(p.s) && isIdentChar(p.s[p.i]) {
				p.i++
			}
			if st == p.i {
				return b.String()
			}
			b.WriteString("." + strings.ToLower(p.s[st:p.i]))
		case '[':
			p.i++
			rest := p.s[p.i:]
			if len(rest) > 1 && rest[0] == '\'' {
				if k := strings.IndexByte(rest[1:], '\''); k >= 0 && k+2 < len(rest) && rest[k+2] == ']' {
					b.WriteString("." + strings.ToLower(rest[1:k+1]))
					p.i += k + 3
					continue
				}
			}
			// Any other index (a number, an expression) stands for every
			// element; expressions inside are scanned for their own paths.
			p.scan(out, depth+1)
			b.WriteString(".*")
		default:
			return b.String()
		}
	}
	return b.String()
}

// skipAccessors consumes accessors after a closing parenthesis.
func (p *exprParser) skipAccessors(out *[]ctxRef, depth int) {
	_ = p.accessors(out, depth)
}

// untrustedPaths are the contexts an outside contributor controls: free
// text of issues, pull requests, comments, commits, and branch names. The
// list follows GitHub's security hardening guide and the GitHub Security
// Lab's research on untrusted input; "*" stands for any array index.
var untrustedPaths = []string{
	"github.head_ref",
	"github.event.issue.title",
	"github.event.issue.body",
	"github.event.pull_request.title",
	"github.event.pull_request.body",
	"github.event.pull_request.head.ref",
	"github.event.pull_request.head.label",
	"github.event.pull_request.head.repo.default_branch",
	"github.event.pull_request.head.repo.description",
	"github.event.pull_request.head.repo.homepage",
	"github.event.comment.body",
	"github.event.review.body",
	"github.event.review_comment.body",
	"github.event.discussion.title",
	"github.event.discussion.body",
	"github.event.pages.*.page_name",
	"github.event.commits.*.message",
	"github.event.commits.*.author.email",
	"github.event.commits.*.author.name",
	"github.event.commits.*.committer.email",
	"github.event.commits.*.committer.name",
	"github.event.head_commit.message",
	"github.event.head_commit.author.email",
	"github.event.head_commit.author.name",
	"github.event.head_commit.committer.email",
	"github.event.head_commit.committer.name",
	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message",
	"github.event.workflow_run.head_commit.author.email",
	"github.event.workflow_run.head_commit.author.name",
	"github.event.workflow_run.head_commit.committer.email",
	"github.event.workflow_run.head_commit.committer.name",
	"github.event.workflow_run.head_repository.description",
	"github.event.workflow_run.pull_requests.*.head.ref",
	"github.event.check_suite.head_branch",
	"github.event.check_run.check_suite.head_branch",
	"github.event.merge_group.head_commit.message",
	"github.event.merge_group.head_commit.author.name",
	"github.event.merge_group.head_commit.author.email",
	// Wiki page titles are typed by anyone who may edit the wiki.
	"github.event.pages.*.title",
	// The text an issue or pull request had before an edit.
	"github.event.changes.title.from",
	"github.event.changes.body.from",
	// In a workflow_run, the triggering workflow can come from a fork's
	// head: its file name and its name are the fork author's choice.
	"github.event.workflow.path",
	"github.event.workflow.name",
	"github.event.workflow_run.path",
	"github.event.workflow_run.name",
	// Branch names of the pull requests a check belongs to.
	"github.event.check_suite.pull_requests.*.head.ref",
	"github.event.check_run.pull_requests.*.head.ref",
	"github.event.check_run.check_suite.pull_requests.*.head.ref",
}

// matchPath reports whether path p equals pattern pat, where "*" in the
// pattern matches any one segment. A "*" in the path (a computed index)
// matches only a "*" of the pattern: github.event.*.* is not known to be
// github.event.issue.title.
func matchPath(p, pat string) bool {
	ps, qs := strings.Split(p, "."), strings.Split(pat, ".")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && qs[i] != "*" {
			return false
		}
	}
	return true
}

// prefixOf reports whether p names an object that contains some
// untrusted path (github.event.issue holds the title).
func prefixOf(p, pat string) bool {
	ps, qs := strings.Split(p, "."), strings.Split(pat, ".")
	if len(ps) >= len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && qs[i] != "*" {
			return false
		}
	}
	return true
}

// knownEventObjects are the github.event properties whose untrusted fields
// untrustedPaths lists exhaustively; anything else below github.event
// (another event's payload, a repository_dispatch client_payload) is judged
// by its field names.
var knownEventObjects = map[string]bool{
	"issue": true, "pull_request": true, "comment": true, "review": true, "review_comment": true,
	"discussion": true, "pages": true, "commits": true, "head_commit": true, "workflow_run": true,
	"check_suite": true, "check_run": true, "merge_group": true, "repository": true, "organization": true,
	"enterprise": true, "installation": true, "sender": true, "inputs": true, "workflow": true,
	"release": true, "label": true, "milestone": true, "deployment": true, "deployment_status": true,
	"forkee": true, "ref": true, "before": true, "after": true, "base_ref": true, "number": true,
	"action": true, "changes": true, "schedule": true, "registry_package": true, "package": true,
	"workflow_job": true, "alert": true, "rule": true, "project": true, "project_card": true,
	"project_column": true, "team": true, "member": true, "membership": true, "pusher": true,
	"compare": true, "created": true, "deleted": true, "forced": true, "assignee": true,
	"requested_reviewer": true, "requested_team": true, "thread": true,
}

// freeTextFields are field names that hold text someone typed, used for
// event payloads not in knownEventObjects.
var freeTextFields = map[string]bool{
	"title": true, "body": true, "message": true, "description": true, "name": true, "email": true,
	"page_name": true, "head_ref": true, "head_branch": true, "display_title": true, "label": true,
}

// untrustedUnknownEvent reports whether p reads a free-text field of an
// event payload shiftward does not know field by field.
func untrustedUnknownEvent(p string) bool {
	ps := strings.Split(p, ".")
	if len(ps) < 4 || ps[0] != "github" || ps[1] != "event" || knownEventObjects[ps[2]] || ps[2] == "*" {
		return false
	}
	return freeTextFields[ps[len(ps)-1]]
}

// untrusted returns the untrusted context paths an expression reads.
// composite is set for a composite action, whose inputs come from callers.
func untrusted(expr string, composite bool) []string {
	var out []string
	refs := contextRefs(expr)
	for _, r := range refs {
		if r.safe {
			continue
		}
		if composite && strings.HasPrefix(r.path, "inputs.") {
			out = appendUnique(out, r.path)
			continue
		}
		if untrustedUnknownEvent(r.path) {
			out = appendUnique(out, r.path)
			continue
		}
		for _, pat := range untrustedPaths {
			if matchPath(r.path, pat) || (r.whole && strings.HasPrefix(r.path, "github.event") && prefixOf(r.path, pat)) {
				out = appendUnique(out, r.path)
				break
			}
		}
	}
	return out
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
