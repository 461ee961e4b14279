package iac

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// Helm charts.
//
// A changed file inside a chart (a template, a partial such as
// _helpers.tpl, values.yaml, Chart.yaml) is reviewed through the chart's
// render: the chart is found through the change's Tree (the nearest
// ancestor holding Chart.yaml), read through it within bounds, and rendered
// once per change (Tree.Once) as `helm template` renders it with the
// chart's own values.yaml and release defaults (name "release-name",
// namespace "release-namespace" (not judged as "default"), Helm v4.3.2's default capabilities: Kubernetes
// v1.36 and client-go's API versions). The engine is
// text/template with sprig's functions and Helm's own (include, tpl,
// required, fail, toYaml, fromYaml, toJson, toToml, lookup, which finds
// nothing); see helm_render.go for its bounds. Each rendered document
// gets the Kubernetes checks a manifest gets, under the same rule ids.
//
// Mapping back. The chart is rendered a second time with markers naming a
// file and line: at the end of every line of each template's and
// partial's literal text, and after each action of a template (not of a
// partial, whose output functions such as trunc would see). A rendered
// line takes its first marker, or the next line's: the lines an action
// writes, such as toYaml's, end with the action's marker, so a finding in
// `{{ toYaml .Values.securityContext | nindent 12 }}` lands on that line,
// and a line an included partial writes names the partial's line (but for
// its last line, which has no newline of the partial's own and so takes
// the including line). When the markers change what a template
// does (a template comparing an include's output), that template falls back
// to matching text: the template line that reads as the rendered line with
// its actions removed, else the line of its key, else the template's first
// line.
//
// Where a finding is reported:
//   - a template: the findings of its own documents, at the lines of that
//     template (an included partial's line counts as the line that
//     includes it);
//   - a partial (_helpers.tpl): the findings of every document whose line
//     it wrote, at its own line;
//   - values.yaml: the findings whose template line reads .Values.<path>
//     (directly, or through an enclosing `with .Values.<path>`) that the
//     file sets, at the line of the setting that matches the finding's key,
//     else at <path>'s line; a subchart's line is looked up under its name
//     in its parents' values too;
//   - Chart.yaml: the findings whose template line reads .Chart.<Field>,
//     at that field's line.
//
// When a template and the values it reads both change, the finding is
// reported in each (each file's own lines decide whether the change
// introduced it there): the reviewer sees both the line that sets the
// value and the line that uses it. Helm findings carry no fix: a fix would
// need the chart rendered again to be verified.
//
// Why not Helm's own engine (helm.sh/helm/v4/pkg/engine): measured at
// v4.3.2 on `go build ./cmd/shiftward`, it takes the binary from 36.3 to
// 93.3 MB, the build from 440 packages to 823 (client-go among them, which
// the engine imports for lookup), and adds 35 modules to go.sum; this
// engine takes it to 58.5 MB and 458 packages, and adds 9 modules. Most of this
// engine's 22 MB is text/template itself, which both pay: its calls of
// methods by name make the linker keep every exported method of the
// program (text/template and sprig alone: 57.6 MB).
//
// And Helm's engine cannot be bounded from outside: it parses the templates
// itself, so a `{{ range 9000000000000 }}` loop (text/template ranges
// over integers) or a tpl that renders itself runs until the process is
// killed (both still running after 30 s, the second at 1.3 GB), and a
// goroutine cannot be stopped. This engine is text/template, sprig and
// Helm's functions as Helm wires them, with the template trees rewritten so
// that loops and calls draw from budgets (helm_render.go). Compared once
// with Helm's engine on the 42 charts of prometheus-community/helm-charts
// that Helm renders with their own values, every template's output was
// identical; TestHelmRenderMatchesHelm keeps this repository's chart
// identical to `helm template`.
//
// Not rendered, and said so: a chart that fails to render (a required
// value, fail, a function Helm has and this engine not) or breaks a bound
// is reported as not scanned, never clean; packaged subcharts (.tgz) are
// not read, and the review says so; import-values, .helmignore and
// values.schema.json are not applied. Without a Tree (the caller cannot
// list the change's files) a template is passed over as before.

// helmRenderTimeout bounds one chart's render (both passes together). It
// runs on its own clock, not the first file's, since every changed file of
// the chart shares it.
const helmRenderTimeout = 4 * time.Second

// chartScan is a chart rendered once for a change: what each of its
// changed files reports comes from it.
type chartScan struct {
	err     error
	root    *helmChart
	charts  map[string]*helmChart // by directory
	results []templateResult
	// unrendered are the packaged subcharts, by repository path.
	unrendered []string
}

// templateResult is one template's render and the findings of its
// documents.
type templateResult struct {
	tmpl renderedTemplate
	// chart is the directory of the chart the template belongs to.
	chart string
	hits  []hit
	err   error
	// origin maps a rendered line (1-based) to where it came from.
	own, first []lineOrigin
}

// lineOrigin is a template file and line.
type lineOrigin struct {
	path string
	line int
}

// isChartFile reports whether a changed file is one a chart's render
// reads: a template, values.yaml or Chart.yaml.
func isChartFile(p string) bool {
	base := path.Base(p)
	switch path.Ext(base) {
	case ".yaml", ".yml", ".tpl", ".json":
		return base == "Chart.yaml" || base == "values.yaml" || strings.Contains("/"+p, "/templates/")
	}
	return false
}

// scanChart reviews a changed chart file through the chart's render. ok is
// false when the file is not in a chart the Tree shows (the caller then
// scans it alone).
func (s *Scanner) scanChart(ctx context.Context, in *scanners.Input) (fs []scanners.Finding, err error, ok bool) {
	if in.Tree == nil || !isChartFile(in.Path) {
		return nil, nil, false
	}
	root, found := chartRoot(ctx, in.Tree, in.Path)
	if !found {
		return nil, nil, false
	}
	// A file under a subchart is reviewed in the render of the chart that
	// holds it, as the parent's: find the outermost chart.
	for range maxSubchartDepth {
		parent := path.Dir(root)
		if path.Base(parent) != "charts" {
			break
		}
		up, found := chartRoot(ctx, in.Tree, parent)
		if !found || path.Dir(parent) != up && !(up == "" && path.Dir(parent) == ".") {
			break
		}
		root = up
	}
	cs := in.Tree.Once("iac/helm:"+root, func() any {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), helmRenderTimeout)
		defer cancel()
		return s.renderAndCheck(rctx, in.Tree, root)
	}).(*chartScan)
	if cs.err != nil {
		return nil, cs.err, true
	}
	fs, err = cs.report(in.Path, in.Tree, ctx)
	return fs, err, true
}

// renderAndCheck loads, renders and checks one chart.
func (s *Scanner) renderAndCheck(ctx context.Context, tree scanners.Tree, root string) (cs *chartScan) {
	cs = &chartScan{charts: map[string]*helmChart{}}
	defer func() {
		if r := recover(); r != nil {
			cs.err = &scanners.PassedOverError{Reason: fmt.Sprintf("Helm chart that could not be rendered (%v)", r)}
		}
	}()
	cr := &chartReader{ctx: ctx, tree: tree}
	c, err := cr.load(root, "", 0)
	if err != nil {
		cs.err = notRendered(err)
		return cs
	}
	cs.root = c
	var index func(c *helmChart)
	index = func(c *helmChart) {
		cs.charts[c.dir] = c
		for _, u := range c.unrendered {
			cs.unrendered = append(cs.unrendered, join(c.dir, u))
		}
		for _, s := range c.subs {
			index(s)
		}
	}
	index(c)
	plain, _, err := renderChart(ctx, c, false)
	if err != nil {
		cs.err = notRendered(err)
		return cs
	}
	marked, files, merr := renderChart(ctx, c, true)
	docs := 0
	for i, t := range plain {
		res := templateResult{tmpl: t, chart: chartDirOf(cs.charts, t.path)}
		docs += strings.Count(t.out, "\n---")
		if docs > maxRenderDocs {
			cs.err = renderBound("documents", maxRenderDocs)
			return cs
		}
		if strings.TrimSpace(t.out) != "" {
			res.hits, res.err = analyze(ctx, kindKubernetes, t.path, []byte(t.out), nil, true, s.checkSet(), nil)
		}
		var m string
		if merr == nil && i < len(marked) && marked[i].name == t.name {
			m = marked[i].out
		}
		res.own, res.first = origins(t, m, files)
		cs.results = append(cs.results, res)
	}
	return cs
}

// notRendered is the error of a chart that did not render: a bound stays a
// bound (not scanned), anything else passes the chart's files over with
// the reason.
func notRendered(err error) error {
	if errors.Is(err, scanners.ErrBound) || errors.Is(err, context.DeadlineExceeded) {
		if errors.Is(err, context.DeadlineExceeded) {
			return &scanners.BoundError{What: "Helm render time in ms", Limit: helmRenderTimeout.Milliseconds()}
		}
		return err
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &scanners.PassedOverError{Reason: "Helm chart that does not render with its own values: " + clip(msg)}
}

// chartDirOf is the directory of the innermost chart holding p.
func chartDirOf(charts map[string]*helmChart, p string) string {
	best := ""
	for dir := range charts {
		if (dir == "" || strings.HasPrefix(p, dir+"/")) && len(dir) >= len(best) {
			best = dir
		}
	}
	return best
}

// origins maps each line of a template's plain render to template lines:
// own, the template's own line (its next marker of its own file); first,
// the line of whatever file wrote it (its next marker). marked is the
// marked render of the same template ("" when there is none); when it
// does not align with the plain one, both fall back to matching text.
func origins(t renderedTemplate, marked string, files []string) (own, first []lineOrigin) {
	plain := splitLines([]byte(t.out))
	own = make([]lineOrigin, len(plain)+1)
	first = make([]lineOrigin, len(plain)+1)
	mlines := splitLines([]byte(marked))
	if marked == "" || len(mlines) != len(plain) {
		fallbackOrigins(t, plain, own, first)
		return own, first
	}
	// A line that differs once its markers are gone is one whose value
	// was computed from marked text (a checksum of an included template):
	// a few are the markers' doing alone; more mean the template took
	// another path with markers, and its marks are not trusted.
	differ := 0
	for i, l := range mlines {
		if markRE.ReplaceAllString(l, "") != plain[i] {
			differ++
		}
	}
	if differ > max(3, len(plain)/20) {
		fallbackOrigins(t, plain, own, first)
		return own, first
	}
	var nextOwn, nextAny lineOrigin
	for i := len(mlines) - 1; i >= 0; i-- {
		l := mlines[i]
		// The first marker of a line names it; a line without one takes
		// the next line's.
		ms := markRE.FindAllStringSubmatch(l, -1)
		for k := len(ms) - 1; k >= 0; k-- {
			f, _ := strconv.Atoi(ms[k][1])
			n, _ := strconv.Atoi(ms[k][2])
			if f < 0 || f >= len(files) {
				continue
			}
			o := lineOrigin{path: files[f], line: n}
			nextAny = o
			if o.path == t.path {
				nextOwn = o
			}
		}
		own[i+1], first[i+1] = nextOwn, nextAny
	}
	return own, first
}

// actionRE matches a template action.
var actionRE = regexp.MustCompile(`{{.*?}}`)

// fallbackOrigins matches each rendered line to the template line that
// reads as it with its actions removed, else to the line of its key, else
// to the template's first line.
func fallbackOrigins(t renderedTemplate, plain []string, own, first []lineOrigin) {
	src := splitLines([]byte(t.src))
	for i, l := range plain {
		line := matchLine(src, l)
		own[i+1] = lineOrigin{path: t.path, line: line}
		first[i+1] = own[i+1]
	}
}

// matchLine is the template line for a rendered line (see fallbackOrigins).
func matchLine(src []string, rendered string) int {
	want := strings.TrimSpace(rendered)
	key, _, hasKey := strings.Cut(strings.TrimPrefix(want, "- "), ":")
	byKey := 0
	for i, s := range src {
		lit := strings.TrimSpace(actionRE.ReplaceAllString(s, ""))
		if lit != "" && lit == want {
			return i + 1
		}
		if hasKey && byKey == 0 && strings.HasPrefix(strings.TrimPrefix(strings.TrimSpace(s), "- "), key+":") {
			byKey = i + 1
		}
	}
	if byKey > 0 {
		return byKey
	}
	return 1
}

// report is what one changed file of the chart reports.
func (cs *chartScan) report(p string, tree scanners.Tree, ctx context.Context) ([]scanners.Finding, error) {
	var out []scanners.Finding
	var errs []error
	base := path.Base(p)
	switch {
	case base == "values.yaml" || base == "Chart.yaml":
		src, err := tree.Read(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		out = cs.settingFindings(p, src, base == "Chart.yaml")
	default:
		for i := range cs.results {
			r := &cs.results[i]
			for j := range r.hits {
				h := &r.hits[j]
				own, first := r.origin(h.line, true), r.origin(h.line, false)
				switch {
				case r.tmpl.path == p:
					out = append(out, helmFinding(h, p, own.line, r.span(h, true), r.tmpl.name, false))
				case first.path == p:
					out = append(out, helmFinding(h, p, first.line, r.span(h, false), r.tmpl.name, true))
				}
			}
			if r.err != nil && r.tmpl.path == p {
				errs = append(errs, fmt.Errorf("rendered %s: %w", r.tmpl.name, r.err))
			}
		}
	}
	// A file not scanned whole says so; only a file otherwise whole says
	// what of the chart was passed over (an error is never hidden behind
	// a pass-over).
	if len(errs) == 0 && len(cs.unrendered) > 0 {
		return out, &scanners.PassedOverError{Reason: "Helm subcharts packaged as .tgz (not unpacked: their templates are not rendered)"}
	}
	return out, errors.Join(errs...)
}

// origin is where rendered line l came from: the template's own line,
// or the line of whichever file wrote it.
func (r *templateResult) origin(l int, own bool) lineOrigin {
	if l < 1 || l >= len(r.own) {
		return lineOrigin{}
	}
	if own {
		return r.own[l]
	}
	return r.first[l]
}

// span maps a hit's block to template lines (own lines, or whichever
// file wrote them).
func (r *templateResult) span(h *hit, own bool) []scanners.LineRange {
	if h.blockStart == 0 {
		return nil
	}
	a, b := r.origin(h.blockStart, own), r.origin(max(h.blockStart, h.blockEnd), own)
	if a.line == 0 || b.line == 0 || a.path != b.path {
		return nil
	}
	return []scanners.LineRange{{Start: min(a.line, b.line), End: max(a.line, b.line)}}
}

// helmFinding is a hit of a rendered document reported at line of path.
func helmFinding(h *hit, p string, line int, scope []scanners.LineRange, tmpl string, via bool) scanners.Finding {
	f := h.finding(p)
	if line < 1 {
		line = 1
	}
	f.Location.StartLine, f.Location.EndLine = line, line
	f.Scope = scope
	f.Fix = nil
	f.Message = h.msg + " (in the chart's render of " + tmpl + ") " + h.rule.Why
	if via {
		f.Identity = tmpl + " " + f.Identity
	}
	return f
}
