package iac

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// dirTree reads the files under dir into a MemTree, under prefix.
func dirTree(t testing.TB, dir, prefix string) *scanners.MemTree {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[prefix+filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return scanners.NewMemTree(files)
}

// helmDocs splits `helm template` output (or one template's render) as
// Helm's SplitManifests does, keyed by the # Source line.
var helmSep = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

func splitDocs(s string) []string {
	var out []string
	for _, d := range helmSep.Split(strings.TrimSpace(s), -1) {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// TestHelmRenderMatchesHelm: the repository's own chart, rendered by this
// engine with release "shiftward", gives exactly the documents `helm
// template shiftward deploy/helm/shiftward` wrote to
// deploy/kubernetes/shiftward.yaml (as `make manifests` does; the chart
// test keeps that file fresh with the real helm).
func TestHelmRenderMatchesHelm(t *testing.T) {
	tree := dirTree(t, "../../deploy/helm/shiftward", "deploy/helm/shiftward/")
	cr := &chartReader{ctx: t.Context(), tree: tree}
	c, err := cr.load("deploy/helm/shiftward", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := renderRelease(t.Context(), c, false, "shiftward")
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for _, r := range got {
		for _, d := range splitDocs(r.out) {
			mine = append(mine, "# Source: "+r.name+"\n"+d)
		}
	}
	committed, err := os.ReadFile("../../deploy/kubernetes/shiftward.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var helms []string
	for _, d := range splitDocs(string(committed)) {
		if strings.HasPrefix(d, "# Source: ") {
			helms = append(helms, d)
		}
	}
	slices.Sort(mine)
	slices.Sort(helms)
	if len(helms) < 5 || len(mine) != len(helms) {
		t.Errorf("%d documents, helm rendered %d", len(mine), len(helms))
	}
	for i := range min(len(mine), len(helms)) {
		if mine[i] != helms[i] {
			t.Errorf("document %d differs:\n--- mine\n%s\n--- helm\n%s", i, mine[i], helms[i])
			break
		}
	}
}

// FuzzHelmTemplate: any template text renders or fails within the
// render's bounds, without a panic, in both passes.
func FuzzHelmTemplate(f *testing.F) {
	for _, s := range []string{
		"apiVersion: v1\nkind: Pod\nspec:\n  hostPID: {{ .Values.x }}\n",
		"{{ range until 10 }}{{ . }}\n{{ end }}",
		"{{- define \"a\" }}{{ include \"a\" . }}{{ end }}{{ include \"a\" . }}",
		"{{ tpl \"{{ .Values.x }}\" . }}",
		"{{ template \"b\" }}{{ define \"b\" }}x\n{{ end }}",
		"{{ range $i, $e := .Values }}{{ $i }}: {{ $e }}\n{{ end }}",
		"{{ toYaml .Values | indent 2 }}\n{{ .Files.Get \"x\" }}{{ .Capabilities.APIVersions.Has \"v1\" }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		tree := scanners.NewMemTree(map[string][]byte{
			"c/Chart.yaml":       []byte("apiVersion: v2\nname: c\nversion: 0.1.0\n"),
			"c/values.yaml":      []byte("x: true\n"),
			"c/templates/t.yaml": []byte(tmpl),
		})
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		cs := New().renderAndCheck(ctx, tree, "c")
		if cs.err == nil {
			for _, r := range cs.results {
				if len(r.own) != len(splitLines([]byte(r.tmpl.out)))+1 {
					t.Fatalf("%d origins for %d lines", len(r.own), len(splitLines([]byte(r.tmpl.out))))
				}
			}
		}
	})
}
