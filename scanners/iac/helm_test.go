package iac_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// chartFiles is a small chart: a Deployment whose privileged flag and
// securityContext come from values.
func chartFiles() map[string]string {
	return map[string]string{
		"chart/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1.0\"\n",
		"chart/values.yaml": `image: nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000
privileged: true
podSecurity:
  runAsNonRoot: true
extra:
  hostNetwork: true
`,
		"chart/templates/_helpers.tpl": `{{- define "demo.name" -}}
{{ .Chart.Name }}-{{ .Release.Name }}
{{- end }}
{{- define "demo.securityContext" -}}
securityContext:
  privileged: false
  readOnlyRootFilesystem: false
  allowPrivilegeEscalation: false
  capabilities: {drop: [ALL]}
{{- end }}
`,
		"chart/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "demo.name" . }}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      securityContext:
        {{- toYaml .Values.podSecurity | nindent 8 }}
      {{- with .Values.extra }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      containers:
        - name: app
          image: {{ .Values.image }}
          resources:
            limits: {cpu: 100m, memory: 64Mi}
          securityContext:
            privileged: {{ .Values.privileged }}
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
`,
	}
}

func memTree(files map[string]string) *scanners.MemTree {
	m := map[string][]byte{}
	for p, c := range files {
		m[p] = []byte(c)
	}
	return scanners.NewMemTree(m)
}

// scanChartFile scans one file of a chart as a change adding it whole.
func scanChartFile(t *testing.T, tree scanners.Tree, files map[string]string, p string) ([]scanners.Finding, error) {
	t.Helper()
	in := wholeFile(p, []byte(files[p]))
	in.Tree = tree
	if !iac.New().Wants(p) {
		t.Fatalf("the scanner does not want %s", p)
	}
	return iac.New().Scan(context.Background(), in)
}

// at lists findings as "rule:line".
func helmAt(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d", f.RuleID, f.Location.StartLine))
	}
	return out
}

func helmHas(fs []scanners.Finding, want string) bool {
	for _, s := range helmAt(fs) {
		if s == want {
			return true
		}
	}
	return false
}

// TestHelmChart: a chart's files are reviewed through its render, each
// finding at the line of the file that causes it.
func TestHelmChart(t *testing.T) {
	files := chartFiles()
	tree := memTree(files)
	for _, c := range []struct {
		path     string
		want     []string
		dontWant []string
	}{
		// The template: privileged at the line that writes it, the host
		// network at the toYaml under the with that writes it.
		{"chart/templates/deployment.yaml", []string{"iac/k8s-privileged:20", "iac/k8s-host-namespace:12"}, nil},
		// values.yaml: the settings the flagged lines read, at their lines.
		{"chart/values.yaml", []string{"iac/k8s-privileged:2", "iac/k8s-host-namespace:6"}, []string{"iac/k8s-privileged:1"}},
		// Chart.yaml sets nothing a finding reads.
		{"chart/Chart.yaml", nil, []string{"iac/k8s-privileged:2"}},
	} {
		fs, err := scanChartFile(t, tree, files, c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
		}
		for _, w := range c.want {
			if !helmHas(fs, w) {
				t.Errorf("%s: no %s in %v", c.path, w, helmAt(fs))
			}
		}
		for _, w := range c.dontWant {
			if helmHas(fs, w) {
				t.Errorf("%s: %s in %v", c.path, w, helmAt(fs))
			}
		}
		for _, f := range fs {
			if f.Location.Path != c.path || f.Fix != nil {
				t.Errorf("%s: finding %s at %s, fix %v: want it in the changed file, without a fix", c.path, f.RuleID, f.Location.Path, f.Fix)
			}
		}
	}
}

// TestHelmValuesOff: values that turn the setting off leave no finding,
// in the template or the values.
func TestHelmValuesOff(t *testing.T) {
	files := chartFiles()
	files["chart/values.yaml"] = strings.Replace(files["chart/values.yaml"], "privileged: true", "privileged: false", 1)
	tree := memTree(files)
	for _, p := range []string{"chart/templates/deployment.yaml", "chart/values.yaml"} {
		fs, err := scanChartFile(t, tree, files, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleID == "iac/k8s-privileged" {
				t.Errorf("%s: %s at line %d with privileged: false", p, f.RuleID, f.Location.StartLine)
			}
		}
	}
}

// TestHelmPartial: a changed partial reports the findings of the lines it
// writes, at its own lines.
func TestHelmPartial(t *testing.T) {
	files := chartFiles()
	d := files["chart/templates/deployment.yaml"]
	files["chart/templates/deployment.yaml"] = d[:strings.Index(d, "          securityContext:")] +
		"          {{- include \"demo.securityContext\" . | nindent 10 }}\n"
	tree := memTree(files)
	fs, err := scanChartFile(t, tree, files, "chart/templates/_helpers.tpl")
	if err != nil {
		t.Fatal(err)
	}
	if !helmHas(fs, "iac/k8s-writable-root-fs:7") {
		t.Errorf("_helpers.tpl: want the readOnlyRootFilesystem finding at line 7, got %v", helmAt(fs))
	}
}

// TestHelmNotRendered: a chart that fails to render is passed over with
// the reason, never reported clean.
func TestHelmNotRendered(t *testing.T) {
	files := chartFiles()
	files["chart/templates/deployment.yaml"] += "{{ required \"image.pullSecret is required\" .Values.pullSecret }}\n"
	fs, err := scanChartFile(t, memTree(files), files, "chart/templates/deployment.yaml")
	var passed *scanners.PassedOverError
	if !errors.As(err, &passed) || !strings.Contains(passed.Reason, "image.pullSecret is required") || len(fs) != 0 {
		t.Errorf("findings %v, err %v: want the chart passed over with the template's reason", helmAt(fs), err)
	}
}

// TestHelmWithoutTree: without a Tree a template is passed over, as
// before charts were rendered, and values.yaml says nothing.
func TestHelmWithoutTree(t *testing.T) {
	files := chartFiles()
	fs, err := scanChartFile(t, nil, files, "chart/templates/deployment.yaml")
	var passed *scanners.PassedOverError
	if !errors.As(err, &passed) || !strings.Contains(passed.Reason, "could not be read") || len(fs) != 0 {
		t.Errorf("findings %v, err %v: want the template passed over", helmAt(fs), err)
	}
	if fs, err := scanChartFile(t, nil, files, "chart/values.yaml"); err != nil || len(fs) != 0 {
		t.Errorf("values.yaml without a Tree: %v, %v", helmAt(fs), err)
	}
}

// TestHelmOnce: the chart is rendered once for all of its changed files.
func TestHelmOnce(t *testing.T) {
	files := chartFiles()
	tree := &countingTree{MemTree: memTree(files)}
	for _, p := range []string{"chart/templates/deployment.yaml", "chart/values.yaml", "chart/templates/_helpers.tpl"} {
		if _, err := scanChartFile(t, tree, files, p); err != nil {
			t.Fatal(err)
		}
	}
	if tree.builds != 1 {
		t.Errorf("%d renders, want 1", tree.builds)
	}
}

// countingTree counts the builds Once runs.
type countingTree struct {
	*scanners.MemTree
	builds int
}

func (c *countingTree) Once(key string, build func() any) any {
	return c.MemTree.Once(key, func() any { c.builds++; return build() })
}

// TestHelmBounds: templates that loop, nest or grow without end stop at a
// bound and leave the chart not scanned (ErrBound), never clean.
func TestHelmBounds(t *testing.T) {
	for name, tmpl := range map[string]string{
		"until":          "{{ range until 100000000 }}x{{ end }}",
		"untilStep":      "{{ range untilStep 0 1000000000 1 }}{{ end }}",
		"seq":            "{{ seq 1 100000000 }}",
		"range over int": "{{ range 9000000000000 }}{{ end }}",
		"nested ranges":  "{{ $l := until 5000 }}{{ range $l }}{{ range $l }}{{ end }}{{ end }}",
		"repeat":         "{{ repeat 1000000000 \"abc\" }}",
		"indent":         "{{ indent 1000000000 \"a\" }}",
		"randAlpha":      "{{ randAlphaNum 1000000000 }}",
		"self include":   "{{- define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}",
		"self template":  "{{- define \"loop\" }}{{ template \"loop\" . }}{{ end }}{{ template \"loop\" . }}",
		"tpl recursion":  "{{ tpl .Values.loop . }}",
		"doubling":       "{{ $s := \"ab\" }}{{ range until 40 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}{{ $s }}",
		"printf width":   "{{ printf \"%999999999d\" 1 }}",
		"output":         "{{ range until 90000 }}{{ repeat 100 \"x\" }}\n{{ end }}",
		"replace":        "{{ $s := repeat 100000 \"a\" }}{{ replace \"a\" ($s) $s }}",
		"kept values":    "{{ $l := list }}{{ range until 90000 }}{{ $l = append $l (repeat 1000000 \"a\") }}{{ end }}",
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{
				"c/Chart.yaml":         "apiVersion: v2\nname: c\nversion: 0.1.0\n",
				"c/values.yaml":        "loop: '{{ tpl .Values.loop . }}'\n",
				"c/templates/x.yaml":   tmpl + "\n",
				"c/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers: [{name: a, image: a:1}]\n",
			}
			fs, err := scanChartFile(t, memTree(files), files, "c/templates/pod.yaml")
			if !errors.Is(err, scanners.ErrBound) || len(fs) != 0 {
				t.Errorf("findings %v, err %v: want a bound error and no findings", helmAt(fs), err)
			}
		})
	}
}

// TestHelmPackagedSubchart: a .tgz subchart is said not rendered; the
// chart's own templates are still reviewed.
func TestHelmPackagedSubchart(t *testing.T) {
	files := chartFiles()
	files["chart/charts/redis-1.0.0.tgz"] = "not read"
	fs, err := scanChartFile(t, memTree(files), files, "chart/templates/deployment.yaml")
	var passed *scanners.PassedOverError
	if !errors.As(err, &passed) || !strings.Contains(passed.Reason, ".tgz") || !helmHas(fs, "iac/k8s-privileged:20") {
		t.Errorf("findings %v, err %v: want the findings and the subchart said not rendered", helmAt(fs), err)
	}
}

// TestHelmSubchart: a subchart directory is rendered with the values its
// parent gives it, and a parent's values line that sets it is reported.
func TestHelmSubchart(t *testing.T) {
	files := chartFiles()
	files["chart/Chart.yaml"] += "dependencies:\n  - name: side\n    version: 0.1.0\n    condition: side.enabled\n"
	files["chart/values.yaml"] += "side:\n  enabled: true\n  hostPID: true\n"
	files["chart/charts/side/Chart.yaml"] = "apiVersion: v2\nname: side\nversion: 0.1.0\n"
	files["chart/charts/side/values.yaml"] = "hostPID: false\n"
	files["chart/charts/side/templates/pod.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: side\nspec:\n  hostPID: {{ .Values.hostPID }}\n  containers: [{name: a, image: a:1}]\n"
	tree := memTree(files)
	fs, err := scanChartFile(t, tree, files, "chart/charts/side/templates/pod.yaml")
	if err != nil || !helmHas(fs, "iac/k8s-host-namespace:6") {
		t.Errorf("subchart template: %v, %v", helmAt(fs), err)
	}
	fs, err = scanChartFile(t, tree, files, "chart/values.yaml")
	if err != nil || !helmHas(fs, "iac/k8s-host-namespace:9") {
		t.Errorf("parent values: %v, %v", helmAt(fs), err)
	}
	fs, err = scanChartFile(t, tree, files, "chart/charts/side/values.yaml")
	if err != nil || helmHas(fs, "iac/k8s-host-namespace:1") {
		t.Errorf("subchart values, overridden by the parent: %v, %v", helmAt(fs), err)
	}
}

// TestHelmRepositoryChart: the repository's own chart, reviewed through
// its render, raises exactly the rules its plain render
// (deploy/kubernetes/shiftward.yaml, which deploy/helm/chart_test.go
// renders with helm and accepts finding by finding) raises, and only
// those that test accepts for its default values.
func TestHelmRepositoryChart(t *testing.T) {
	const root = "../../deploy/helm/shiftward/"
	files := map[string]string{}
	for _, p := range listFiles(t, root) {
		b, err := os.ReadFile(root + p)
		if err != nil {
			t.Fatal(err)
		}
		files["deploy/helm/shiftward/"+p] = string(b)
	}
	tree := memTree(files)
	got := map[string]int{}
	for p := range files {
		if !strings.Contains(p, "/templates/") || strings.HasSuffix(p, ".txt") {
			continue
		}
		fs, err := scanChartFile(t, tree, files, p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		for _, f := range fs {
			// A partial shows again the findings of the lines it writes.
			if !strings.HasPrefix(filepath.Base(p), "_") {
				got[f.RuleID]++
			}
			if f.Location.StartLine < 1 || f.Location.StartLine > strings.Count(files[p], "\n")+1 {
				t.Errorf("%s: %s at line %d, outside the file", p, f.RuleID, f.Location.StartLine)
			}
		}
	}
	plain, err := os.ReadFile("../../deploy/kubernetes/shiftward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := iac.New().Scan(context.Background(), wholeFile("deploy/kubernetes/shiftward.yaml", plain))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, f := range fs {
		want[f.RuleID]++
	}
	// A check across a manifest's objects sees every object of the plain
	// render in one file; through the chart each template is reviewed with
	// its own documents (chart_test.go accepts it with its reason).
	delete(want, "iac/k8s-pod-not-isolated")
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("rules through the chart %v, through its plain render %v", got, want)
	}
	for rule := range got {
		// deploy/helm/chart_test.go's acceptedIaC for the default values.
		if rule != "iac/k8s-image-without-digest" {
			t.Errorf("%s: not among the findings deploy/helm/chart_test.go accepts for the default values", rule)
		}
	}
}

// listFiles lists the files under dir, relative to it.
func listFiles(t *testing.T, dir string) []string { return listFilesB(t, dir) }

func listFilesB(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHelmPublicChart: a public chart (prometheus-community's
// node-exporter, testdata/helm/README.md), whose DaemonSet shares the
// node's network and PID namespaces and mounts its /proc, /sys and / by
// default: each finding at the template line that writes it, and the host
// namespaces at the values lines that turn them on.
func TestHelmPublicChart(t *testing.T) {
	const root = "../../testdata/helm/prometheus-node-exporter/"
	files := map[string]string{}
	for _, p := range listFiles(t, root) {
		b, err := os.ReadFile(root + p)
		if err != nil {
			t.Fatal(err)
		}
		files["charts/node-exporter/"+p] = string(b)
	}
	tree := memTree(files)
	for p, want := range map[string][]string{
		"charts/node-exporter/templates/daemonset.yaml": {
			"iac/k8s-host-namespace:315", "iac/k8s-host-namespace:319", // hostNetwork, hostPID: {{ .Values.x }}
			"iac/k8s-host-path:343", "iac/k8s-host-path:346", "iac/k8s-host-path:350", // /proc, /sys, / (under an if)
			"iac/k8s-image-without-digest:100", // image: {{ include ... }}
			"iac/k8s-privilege-escalation:99",  // missing, at the container's first line
		},
		"charts/node-exporter/values.yaml": {"iac/k8s-host-namespace:382", "iac/k8s-host-namespace:390"},
	} {
		fs, err := scanChartFile(t, tree, files, p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		for _, w := range want {
			if !helmHas(fs, w) {
				t.Errorf("%s: no %s in %v", p, w, helmAt(fs))
			}
		}
		// The chart puts everything in {{ .Release.Namespace }}: the
		// namespace its operator installs it into, not "default".
		for _, f := range fs {
			if f.RuleID == "iac/k8s-default-namespace" {
				t.Errorf("%s:%d: the release's namespace judged as the default one", p, f.Location.StartLine)
			}
		}
	}
}
