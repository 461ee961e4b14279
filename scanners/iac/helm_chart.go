package iac

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"text/template"

	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// Bounds of reading one chart through the Tree.
const (
	// maxChartFiles bounds the files of a chart, its subcharts included.
	maxChartFiles = 2_000
	// maxChartBytes bounds their bytes together.
	maxChartBytes = 16 << 20
	// maxChartDirDepth bounds how deep below its root a chart's files are
	// listed.
	maxChartDirDepth = 12
	// maxSubchartDepth bounds subcharts within subcharts.
	maxSubchartDepth = 5
	// maxChartRootWalk bounds how many ancestors of a changed file are
	// looked at for the chart's Chart.yaml.
	maxChartRootWalk = 8
)

// Release defaults of the render: what `helm template` uses without flags,
// but the namespace: a chart is installed into the namespace its operator
// chooses (`helm install -n`), so `.Release.Namespace` renders as a name
// that is not "default" and no object is judged for the namespace Helm's
// own default would give it.
const (
	helmReleaseName = "release-name"
	helmNamespace   = "release-namespace"
	helmKubeMajor   = "1"
	helmKubeMinor   = "36"
	helmVersion     = "v4.3.2"
)

// helmChart is a chart read from the Tree.
type helmChart struct {
	// dir is the chart's directory in the repository ("" for the root).
	dir string
	// name is its name in the render (Chart.yaml's, or the alias its
	// parent gives it); fullPath is the prefix of its templates' names
	// ("parent/charts/name").
	name, fullPath string
	meta           map[string]any
	library        bool
	// values is its values.yaml, decoded as Helm decodes it.
	values map[string]any
	deps   []chartDep
	// templates are the files under templates/, by chart-relative name.
	templates map[string]string
	files     chartFiles
	subs      []*helmChart
	// unrendered names the packaged (.tgz) subcharts, which are not read.
	unrendered []string
}

// chartDep is one entry of Chart.yaml's dependencies.
type chartDep struct {
	Name      string   `yaml:"name"`
	Alias     string   `yaml:"alias"`
	Condition string   `yaml:"condition"`
	Tags      []string `yaml:"tags"`
}

// chartFile is Chart.yaml.
type chartFile struct {
	APIVersion   string            `yaml:"apiVersion"`
	Name         string            `yaml:"name"`
	Version      string            `yaml:"version"`
	AppVersion   string            `yaml:"appVersion"`
	Description  string            `yaml:"description"`
	Type         string            `yaml:"type"`
	KubeVersion  string            `yaml:"kubeVersion"`
	Home         string            `yaml:"home"`
	Icon         string            `yaml:"icon"`
	Keywords     []string          `yaml:"keywords"`
	Sources      []string          `yaml:"sources"`
	Annotations  map[string]string `yaml:"annotations"`
	Deprecated   bool              `yaml:"deprecated"`
	Dependencies []chartDep        `yaml:"dependencies"`
}

// chartReader reads charts through a Tree within one budget.
type chartReader struct {
	ctx   context.Context
	tree  scanners.Tree
	files int
	bytes int
}

// chartRoot finds the chart a file belongs to: the nearest ancestor
// directory (or the file's own) holding Chart.yaml, at most
// maxChartRootWalk levels up. A file under a chart's charts/ belongs to
// that subchart's chart, and so is rendered with it alone; ok is false when
// there is none.
func chartRoot(ctx context.Context, tree scanners.Tree, p string) (string, bool) {
	dir := path.Dir(p)
	for range maxChartRootWalk {
		d := strings.TrimSuffix(scanners.CleanDir(dir), "/")
		names, err := tree.List(ctx, d)
		if err == nil && slices.Contains(names, "Chart.yaml") {
			return d, true
		}
		if d == "" {
			return "", false
		}
		dir = path.Dir(d)
	}
	return "", false
}

// read reads a file through the Tree, within the chart budget.
func (cr *chartReader) read(p string) ([]byte, error) {
	cr.files++
	if cr.files > maxChartFiles {
		return nil, &scanners.BoundError{What: "Helm chart files", Limit: maxChartFiles}
	}
	b, err := cr.tree.Read(cr.ctx, p)
	if err != nil {
		return nil, err
	}
	cr.bytes += len(b)
	if cr.bytes > maxChartBytes {
		return nil, &scanners.BoundError{What: "Helm chart size in bytes", Limit: maxChartBytes}
	}
	return b, nil
}

// load reads the chart in dir and its subcharts (those under charts/ as
// directories; packaged ones are named in unrendered).
func (cr *chartReader) load(dir, parentPath string, depth int) (*helmChart, error) {
	if depth > maxSubchartDepth {
		return nil, &scanners.BoundError{What: "Helm subchart nesting", Limit: maxSubchartDepth}
	}
	raw, err := cr.read(join(dir, "Chart.yaml"))
	if err != nil {
		return nil, fmt.Errorf("reading Chart.yaml: %w", err)
	}
	var cf chartFile
	if err := yaml3.Unmarshal(raw, &cf); err != nil {
		return nil, fmt.Errorf("%s: %w", join(dir, "Chart.yaml"), err)
	}
	if cf.Name == "" {
		return nil, fmt.Errorf("%s: no chart name", join(dir, "Chart.yaml"))
	}
	c := &helmChart{dir: dir, name: cf.Name, library: cf.Type == "library", deps: cf.Dependencies,
		templates: map[string]string{}, files: chartFiles{}}
	c.fullPath = c.name
	if parentPath != "" {
		c.fullPath = parentPath + "/charts/" + c.name
	}
	c.meta = chartMeta(&cf, parentPath == "")
	if err := cr.loadFiles(c, depth); err != nil {
		return nil, err
	}
	if vb, ok := c.files["values.yaml"]; ok {
		if c.values, err = decodeValues(cr.ctx, vb); err != nil {
			return nil, fmt.Errorf("%s: %w", join(dir, "values.yaml"), err)
		}
	}
	if c.values == nil {
		c.values = map[string]any{}
	}
	return c, nil
}

// loadFiles lists the chart's directory: templates/ into templates,
// charts/ into subcharts, the rest into files (.Files).
func (cr *chartReader) loadFiles(c *helmChart, depth int) error {
	var walk func(rel string, level int) error
	walk = func(rel string, level int) error {
		if level > maxChartDirDepth {
			return &scanners.BoundError{What: "Helm chart directory depth", Limit: maxChartDirDepth}
		}
		names, err := cr.tree.List(cr.ctx, join(c.dir, rel))
		if err != nil {
			return err
		}
		for _, n := range names {
			p := join(rel, strings.TrimSuffix(n, "/"))
			switch {
			case strings.HasSuffix(n, "/") && p == "charts":
				if err := cr.loadSubcharts(c, depth); err != nil {
					return err
				}
			case strings.HasSuffix(n, "/"):
				if err := walk(p, level+1); err != nil {
					return err
				}
			case strings.HasPrefix(p, "charts/"), p == "Chart.yaml", p == ".helmignore":
			default:
				b, err := cr.read(join(c.dir, p))
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					return err
				}
				if strings.HasPrefix(p, "templates/") {
					c.templates[p] = string(b)
				} else {
					c.files[p] = b
				}
			}
		}
		return nil
	}
	return walk("", 0)
}

// loadSubcharts reads the chart directories under charts/ and names the
// packaged ones.
func (cr *chartReader) loadSubcharts(c *helmChart, depth int) error {
	names, err := cr.tree.List(cr.ctx, join(c.dir, "charts"))
	if err != nil {
		return err
	}
	for _, n := range names {
		switch {
		case strings.HasSuffix(n, "/"):
			sub, err := cr.load(join(c.dir, "charts/"+strings.TrimSuffix(n, "/")), c.fullPath, depth+1)
			if errors.Is(err, fs.ErrNotExist) {
				continue // a directory that is no chart
			}
			if err != nil {
				return err
			}
			c.subs = append(c.subs, sub)
		case strings.HasSuffix(n, ".tgz") || strings.HasSuffix(n, ".tar.gz"):
			c.unrendered = append(c.unrendered, "charts/"+n)
		}
	}
	return nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	if name == "" {
		return dir
	}
	return dir + "/" + name
}

// chartMeta is .Chart: Chart.yaml's fields under Helm's Go names.
func chartMeta(cf *chartFile, root bool) map[string]any {
	deps := make([]map[string]any, 0, len(cf.Dependencies))
	for _, d := range cf.Dependencies {
		deps = append(deps, map[string]any{"Name": d.Name, "Alias": d.Alias, "Condition": d.Condition, "Tags": d.Tags})
	}
	return map[string]any{
		"APIVersion": cf.APIVersion, "Name": cf.Name, "Version": cf.Version, "AppVersion": cf.AppVersion,
		"Description": cf.Description, "Type": cf.Type, "KubeVersion": cf.KubeVersion, "Home": cf.Home,
		"Icon": cf.Icon, "Keywords": cf.Keywords, "Sources": cf.Sources, "Annotations": cf.Annotations,
		"Deprecated": cf.Deprecated, "Dependencies": deps, "IsRoot": root,
	}
}

// decodeValues decodes a values file as Helm does (sigs.k8s.io/yaml: YAML
// through JSON, so numbers are float64), after a bounded parse.
func decodeValues(ctx context.Context, b []byte) (map[string]any, error) {
	if len(b) > MaxFileBytes {
		return nil, scanners.TooLarge(MaxFileBytes)
	}
	if _, err := nest.DecodeYAML(ctx, b); err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// enabledSubs are the subcharts Chart.yaml's conditions and tags enable,
// under their aliases, judged on vals (the chart's coalesced values).
func (c *helmChart) enabledSubs(vals map[string]any) []*helmChart {
	var out []*helmChart
	used := map[*helmChart]bool{}
	for _, d := range c.deps {
		for _, s := range c.subs {
			if s.name != d.Name || used[s] {
				continue
			}
			used[s] = true
			if !depEnabled(d, vals) {
				break
			}
			if d.Alias != "" {
				alias := *s
				alias.name = d.Alias
				alias.fullPath = c.fullPath + "/charts/" + d.Alias
				s = &alias
			}
			out = append(out, s)
			break
		}
	}
	// Subcharts that Chart.yaml does not list are always rendered.
	for _, s := range c.subs {
		if !used[s] {
			out = append(out, s)
		}
	}
	return out
}

// depEnabled applies a dependency's condition (the first of its paths
// that holds a boolean), else its tags (enabled when any is true or none
// is set).
func depEnabled(d chartDep, vals map[string]any) bool {
	for _, cond := range strings.Split(d.Condition, ",") {
		if b, ok := lookupPath(vals, strings.TrimSpace(cond)).(bool); ok && strings.TrimSpace(cond) != "" {
			return b
		}
	}
	tags, _ := vals["tags"].(map[string]any)
	seen := false
	for _, t := range d.Tags {
		if b, ok := tags[t].(bool); ok {
			if b {
				return true
			}
			seen = true
		}
	}
	return !seen
}

// lookupPath is the value at a dotted path of nested maps, or nil.
func lookupPath(m map[string]any, p string) any {
	var cur any = m
	for _, k := range strings.Split(p, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

// coalesce fills v (the values a parent gives the chart, a fresh map)
// with the chart's defaults, and each enabled subchart's table with its
// own, globals flowing down: Helm's CoalesceValues for a render without
// user values. It returns the enabled subcharts with their values.
func (c *helmChart) coalesce(v map[string]any, depth int) ([]*helmChart, []map[string]any) {
	for key, val := range deepCopy(c.values).(map[string]any) {
		cur, ok := v[key]
		switch {
		case ok && cur == nil:
			delete(v, key)
		case ok:
			if dst, ok := cur.(map[string]any); ok {
				if src, ok := val.(map[string]any); ok {
					coalesceTables(dst, src)
				}
			}
		case val != nil:
			if sub, ok := val.(map[string]any); ok {
				cleanNil(sub)
			}
			v[key] = val
		}
	}
	if depth > maxSubchartDepth {
		return nil, nil
	}
	subs := c.enabledSubs(v)
	vals := make([]map[string]any, len(subs))
	for i, s := range subs {
		dv, ok := v[s.name].(map[string]any)
		if !ok {
			dv = map[string]any{}
		}
		coalesceGlobals(dv, v)
		v[s.name] = dv
		vals[i] = dv
	}
	return subs, vals
}

// coalesceTables fills dst with src's keys that dst lacks, recursively; a
// nil in dst removes the key.
func coalesceTables(dst, src map[string]any) {
	for key, val := range src {
		dv, ok := dst[key]
		switch {
		case ok && dv == nil:
			delete(dst, key)
		case !ok:
			dst[key] = val
		default:
			if sm, ok := val.(map[string]any); ok {
				if dm, ok := dv.(map[string]any); ok {
					coalesceTables(dm, sm)
				}
			}
		}
	}
}

// coalesceGlobals gives a subchart's values the parent's globals, the
// parent's winning.
func coalesceGlobals(dst, src map[string]any) {
	dg, ok := dst["global"].(map[string]any)
	if !ok {
		dg = map[string]any{}
	}
	sg, _ := src["global"].(map[string]any)
	for k, v := range sg {
		if vm, ok := v.(map[string]any); ok {
			vv := deepCopy(vm).(map[string]any)
			if dm, ok := dg[k].(map[string]any); ok {
				coalesceTables(vv, dm)
			}
			dg[k] = vv
		} else {
			dg[k] = v
		}
	}
	dst["global"] = dg
}

func cleanNil(m map[string]any) {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		} else if sub, ok := v.(map[string]any); ok {
			cleanNil(sub)
		}
	}
}

// deepCopy copies decoded values (maps and lists; the rest is immutable).
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// kubeVersion is .Capabilities.KubeVersion.
type kubeVersion struct{ Version, Major, Minor string }

// String is the version ("v1.36.0").
func (k kubeVersion) String() string { return k.Version }

// GitVersion is the version, as older charts ask for it.
func (k kubeVersion) GitVersion() string { return k.Version }

// versionSet is .Capabilities.APIVersions.
type versionSet []string

// Has reports whether the cluster serves an API version ("apps/v1") or a
// resource of one ("apps/v1/Deployment").
func (v versionSet) Has(apiVersion string) bool { return slices.Contains(v, apiVersion) }

// capabilities is .Capabilities: Helm's defaults for a render without a
// cluster.
type capabilities struct {
	KubeVersion kubeVersion
	APIVersions versionSet
	HelmVersion map[string]string
}

var defaultCapabilities = &capabilities{
	KubeVersion: kubeVersion{Version: "v" + helmKubeMajor + "." + helmKubeMinor + ".0", Major: helmKubeMajor, Minor: helmKubeMinor},
	// Helm's DefaultVersionSet: the API versions client-go's scheme
	// knows (so not apiregistration.k8s.io, which a cluster serves but
	// helm template does not claim).
	APIVersions: versionSet{"v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
		"admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1", "apps/v1beta2",
		"authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1",
		"authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
		"certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1",
		"coordination.k8s.io/v1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1",
		"extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1",
		"flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3", "lifecycle.k8s.io/v1alpha1",
		"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1",
		"policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
		"rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1", "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1",
		"resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha3", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1",
		"storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1",
		"storagemigration.k8s.io/v1beta1", "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1"},
	HelmVersion: map[string]string{"Version": helmVersion},
}

// renderedTemplate is one template's output.
type renderedTemplate struct {
	// name is Helm's name for it ("chart/templates/x.yaml").
	name string
	// path is the file in the repository.
	path string
	// src is its source, out its output.
	src, out string
}

// render renders the chart and its enabled subcharts as `helm template`
// would with the chart's own values, and with marks, the same render with
// line markers (see markText). Templates are parsed and run in Helm's
// order; partials (_*) and NOTES.txt give no output.
//
// files are the repository paths of the templates, indexed as the
// markers index them.
func renderChart(ctx context.Context, root *helmChart, marks bool) (out []renderedTemplate, files []string, err error) {
	return renderRelease(ctx, root, marks, helmReleaseName)
}

// renderRelease is renderChart for a release of another name.
func renderRelease(ctx context.Context, root *helmChart, marks bool, release string) (out []renderedTemplate, files []string, err error) {
	r := &renderer{ctx: ctx}
	r.set = template.New("gotpl").Option("missingkey=zero").Funcs(r.funcMap())
	type tmpl struct {
		name, path, src string
		scope           map[string]any
	}
	var all []tmpl
	rel := map[string]any{"Name": release, "Namespace": helmNamespace, "IsUpgrade": false, "IsInstall": true,
		"Revision": 1, "Service": "Helm"}
	var add func(c *helmChart, vals map[string]any, depth int) map[string]any
	add = func(c *helmChart, vals map[string]any, depth int) map[string]any {
		subs, subVals := c.coalesce(vals, depth)
		subcharts := map[string]any{}
		scope := map[string]any{"Chart": c.meta, "Files": c.files, "Release": rel, "Capabilities": defaultCapabilities,
			"Values": vals, "Subcharts": subcharts}
		for i, s := range subs {
			subcharts[s.name] = add(s, subVals[i], depth+1)
		}
		for name, src := range c.templates {
			if c.library && !strings.HasPrefix(path.Base(name), "_") {
				continue
			}
			all = append(all, tmpl{name: c.fullPath + "/" + name, path: join(c.dir, name), src: src, scope: scope})
		}
		return scope
	}
	add(root, map[string]any{}, 0)
	// Helm's order: shallower paths first, then by name.
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i].name, all[j].name
		if ca, cb := strings.Count(a, "/"), strings.Count(b, "/"); ca != cb {
			return ca > cb
		}
		return a > b
	})
	seen := map[*template.Template]bool{}
	for i, t := range all {
		if _, err := r.set.New(t.name).Parse(t.src); err != nil {
			return nil, nil, fmt.Errorf("parse error in %s: %w", t.path, err)
		}
		file := -1
		if marks {
			file = i
		}
		for _, d := range r.set.Templates() {
			if seen[d] || d.Tree == nil {
				continue
			}
			seen[d] = true
			// The file's own template gets action markers too; the
			// partials it defines do not, as their output is often
			// passed to functions (trunc, eq) that markers would upset.
			if err := boundTree(d.Tree, file, t.src, d.Name() == t.name); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, t := range all {
		files = append(files, t.path)
	}
	total := 0
	for _, t := range all {
		base := path.Base(t.name)
		if strings.HasPrefix(base, "_") {
			continue
		}
		t.scope["Template"] = map[string]any{"Name": t.name, "BasePath": path.Dir(t.name)}
		w := &limitWriter{limit: scanners.MaxParseBytes, total: &total}
		if err := r.set.ExecuteTemplate(w, t.name, t.scope); err != nil {
			return nil, nil, err
		}
		if base == "NOTES.txt" {
			continue
		}
		out = append(out, renderedTemplate{name: t.name, path: t.path, src: t.src, out: strings.ReplaceAll(w.String(), "<no value>", "")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, files, nil
}
