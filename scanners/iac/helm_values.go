package iac

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

var (
	// valuesRefRE matches a read of .Values.<path> (or $.Values.<path>).
	valuesRefRE = regexp.MustCompile(`\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)`)
	// chartRefRE matches a read of .Chart.<Field>.
	chartRefRE = regexp.MustCompile(`\.Chart\.([A-Za-z]+)`)
	// withValuesRE matches a with block over a values path.
	withValuesRE = regexp.MustCompile(`{{-?\s*with\s+\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)`)
	// blockOpenRE and blockEndRE match the actions that open and close a
	// block, for the upward search of an enclosing with.
	blockOpenRE = regexp.MustCompile(`{{-?\s*(if|with|range|define|block)\b`)
	blockEndRE  = regexp.MustCompile(`{{-?\s*end\b`)
)

// maxWithSearch bounds the lines searched upward for an enclosing with.
const maxWithSearch = 200

// settingFindings are the findings a values.yaml or Chart.yaml reports: those
// whose template line reads a setting of the file, at the setting's line.
func (cs *chartScan) settingFindings(p string, src []byte, chartYAML bool) []scanners.Finding {
	docs, err := nest.DecodeYAML(context.Background(), src)
	if err != nil || len(docs) == 0 || len(docs[0].Content) == 0 {
		return nil
	}
	top := docs[0].Content[0]
	dir := path.Dir(p)
	if dir == "." {
		dir = ""
	}
	var out []scanners.Finding
	for i := range cs.results {
		r := &cs.results[i]
		prefix, ok := cs.valuesPrefix(dir, r.chart)
		if !ok || (chartYAML && prefix != "") {
			continue
		}
		src := splitLines([]byte(r.tmpl.src))
		rendered := splitLines([]byte(r.tmpl.out))
		for j := range r.hits {
			h := &r.hits[j]
			o := r.origin(h.line, true)
			if o.line < 1 || o.line > len(src) {
				continue
			}
			var line int
			if chartYAML {
				line = chartFieldLine(top, src[o.line-1])
			} else {
				var rl string
				if h.line >= 1 && h.line <= len(rendered) {
					rl = rendered[h.line-1]
				}
				line = valuesLine(top, prefix, readsValues(src, o.line), rl)
			}
			if line == 0 {
				continue
			}
			f := helmFinding(h, p, line, nil, r.tmpl.name, true)
			f.Message = fmt.Sprintf("%s (set here; %s line %d reads it) %s", h.msg, r.tmpl.path, o.line, h.rule.Why)
			out = append(out, f)
		}
	}
	return out
}

// valuesPrefix is where the values of the chart in dir chart sit in the
// values file of the chart in dir: "" for the chart's own, "sub." (and
// deeper) for a parent's.
func (cs *chartScan) valuesPrefix(dir, chart string) (string, bool) {
	prefix := ""
	for range maxSubchartDepth + 1 {
		if chart == dir {
			return prefix, true
		}
		c := cs.charts[chart]
		parent := path.Dir(chart)
		if c == nil || path.Base(parent) != "charts" {
			return "", false
		}
		prefix = c.name + "." + prefix
		chart = path.Dir(parent)
		if chart == "." {
			chart = ""
		}
	}
	return "", false
}

// readsValues are the values paths a template line reads, or, when it
// reads none, the path of the with block around it.
func readsValues(src []string, line int) []string {
	var refs []string
	for _, m := range valuesRefRE.FindAllStringSubmatch(src[line-1], -1) {
		refs = append(refs, strings.TrimPrefix(m[1], "."))
	}
	if len(refs) > 0 {
		return refs
	}
	depth := 0
	for i := line - 2; i >= 0 && i >= line-1-maxWithSearch; i-- {
		l := src[i]
		depth += len(blockEndRE.FindAllString(l, -1))
		opens := len(blockOpenRE.FindAllString(l, -1))
		if depth == 0 && opens > 0 {
			if m := withValuesRE.FindStringSubmatch(l); m != nil {
				return []string{strings.TrimPrefix(m[1], ".")}
			}
		}
		depth = max(depth-opens, 0)
	}
	return nil
}

// valuesLine is the line of values (the mapping top) a finding is reported
// at, 0 when the file does not set what the finding's line renders: under
// a path the template line reads, the setting whose key and value are the
// rendered line's (toYaml of a block); or a path that is itself a scalar
// the rendered value holds (`privileged: {{ .Values.privileged }}`; of
// several, the last, as in repository:tag).
func valuesLine(top *yaml.Node, prefix string, refs []string, rendered string) int {
	key, val, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(rendered), "- "), ":")
	key, val = strings.TrimSpace(key), strings.Trim(strings.TrimSpace(val), `"'`)
	best := 0
	for _, ref := range refs {
		k, v := walkValues(top, strings.Split(prefix+ref, "."))
		switch {
		case k == nil || v == nil:
		case v.Kind == yaml.ScalarNode:
			if val != "" && v.Value != "" && (sameScalar(v.Value, val) || (!isBool(v.Value) && strings.Contains(val, v.Value))) {
				best = k.Line
			}
		case key != "":
			if l := findKey(v, key, val, 0); l > 0 {
				return l
			}
		}
	}
	return best
}

// isBool reports whether a scalar reads as a boolean.
func isBool(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off":
		return true
	}
	return false
}

// walkValues follows a dotted path through mappings to its key and value
// nodes.
func walkValues(n *yaml.Node, keys []string) (k, v *yaml.Node) {
	v = n
	for _, key := range keys {
		if key == "" {
			continue
		}
		k, v = get(v, key)
		if k == nil {
			return nil, nil
		}
	}
	return k, v
}

// findKey is the line of the first key named key below n whose value is
// val (or is no scalar), 0 when there is none.
func findKey(n *yaml.Node, key, val string, depth int) int {
	if n == nil || depth > scanners.MaxDepth {
		return 0
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == key && (v.Kind != yaml.ScalarNode || sameScalar(v.Value, val)) {
				return k.Line
			}
			if l := findKey(v, key, val, depth+1); l > 0 {
				return l
			}
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if l := findKey(c, key, val, depth+1); l > 0 {
				return l
			}
		}
	}
	return 0
}

// chartFieldLine is the line of Chart.yaml's field that a template line
// reads as .Chart.<Field>, or 0.
func chartFieldLine(top *yaml.Node, tmplLine string) int {
	for _, m := range chartRefRE.FindAllStringSubmatch(tmplLine, -1) {
		field := m[1]
		name := strings.ToLower(field[:1]) + field[1:]
		if field == "APIVersion" {
			name = "apiVersion"
		}
		if k, _ := get(top, name); k != nil {
			return k.Line
		}
	}
	return 0
}

// sameScalar compares a values scalar with its rendering, booleans as
// Kubernetes reads them.
func sameScalar(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.Trim(s, `"'`))
		switch s {
		case "yes", "on":
			return "true"
		case "no", "off":
			return "false"
		}
		return s
	}
	return norm(a) == norm(b)
}
