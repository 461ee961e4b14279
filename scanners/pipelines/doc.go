package pipelines

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

// doc is one parsed YAML file with its source lines, so findings can point
// at exact lines and fixes can rewrite them.
type doc struct {
	lines []string // source lines without newlines; lines[0] is line 1
	root  *yaml.Node
	// ends maps a value node to the last line of its block (its key line for
	// an empty value). Computed once from sibling positions, because
	// yaml.v3 records only where a node starts.
	ends map[*yaml.Node]int
	// hits and baseline are the file's findings before diff scoping, set
	// once the rules ran, so verifying a fix re-checks only the fixed file.
	hits     []hit
	baseline map[*rule]int
}

// parseDoc parses the first YAML document of src. An empty file or one whose
// top level is not a mapping is an error: a CI file must be a mapping. The
// file is decoded through nest.DecodeYAML: its size, nesting depth and alias
// expansion are bounded before any rule walks it (over a bound the error
// wraps scanners.ErrBound, and the file is not scanned).
func parseDoc(src []byte) (d *doc, err error) {
	docs, err := nest.DecodeYAML(context.Background(), src)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 || docs[0].Kind != yaml.DocumentNode || len(docs[0].Content) == 0 {
		return nil, errors.New("empty YAML document")
	}
	n := docs[0]
	// A GitLab CI file with inputs starts with a "spec:" header document;
	// the configuration is the document after "---".
	if r := n.Content[0]; r.Kind == yaml.MappingNode && len(r.Content) == 2 && r.Content[0].Value == "spec" {
		if len(docs) > 1 && docs[1].Kind == yaml.DocumentNode && len(docs[1].Content) > 0 {
			n = docs[1]
		}
	}
	root := n.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: top level is not a mapping", root.Line)
	}
	// Rules follow aliases; a small file can alias its way to an exponential
	// tree ("billion laughs"). yaml.v3 limits that only when decoding into
	// Go values; nest.DecodeYAML bounds it for every scanner, and CI files
	// are held to a tighter bound here (expandedSize recurses at most
	// scanners.MaxDepth deep, which nest checked).
	if n := expandedSize(root, map[*yaml.Node]int{}, 0); n > maxExpandedNodes {
		return nil, &scanners.BoundError{What: "YAML nodes with aliases expanded", Limit: maxExpandedNodes}
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	text = strings.TrimSuffix(text, "\n")
	d = &doc{lines: strings.Split(text, "\n"), root: root, ends: make(map[*yaml.Node]int)}
	d.computeEnds(root, len(d.lines))
	return d, nil
}

// maxExpandedNodes bounds the node tree with every alias expanded.
const maxExpandedNodes = 200000

// expandedSize counts the nodes of n with aliases expanded, memoized so it
// runs in time linear in the file.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, depth int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	if depth > 1000 {
		return maxExpandedNodes + 1
	}
	memo[n] = maxExpandedNodes + 1 // a cycle counts as too big
	size := 1
	if n.Kind == yaml.AliasNode {
		size += expandedSize(n.Alias, memo, depth+1)
	}
	for _, c := range n.Content {
		size += expandedSize(c, memo, depth+1)
		if size > maxExpandedNodes {
			break
		}
	}
	memo[n] = size
	return size
}

// line returns source line n (1-based), or "" when out of range.
func (d *doc) line(n int) string {
	if n < 1 || n > len(d.lines) {
		return ""
	}
	return d.lines[n-1]
}

// end is the last line of n's block.
func (d *doc) end(n *yaml.Node) int {
	if e, ok := d.ends[n]; ok {
		return e
	}
	return n.Line
}

// computeEnds records, for every node below n, the last line of its block:
// the line before the next sibling starts, less trailing blank lines and
// comments that are indented no deeper than the key (they belong to what
// follows).
func (d *doc) computeEnds(n *yaml.Node, end int) {
	if n == nil {
		return
	}
	d.ends[n] = max(end, n.Line)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			e := end
			if i+2 < len(n.Content) {
				e = n.Content[i+2].Line - 1
			}
			e = d.trimEnd(k.Line, e, k.Column-1)
			d.ends[k] = k.Line
			d.computeEnds(v, e)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			e := end
			if i+1 < len(n.Content) {
				e = n.Content[i+1].Line - 1
			}
			e = d.trimEnd(item.Line, e, item.Column-1)
			d.computeEnds(item, e)
		}
	}
}

// trimEnd moves end back over blank lines and comments indented at most
// indent, never before start.
func (d *doc) trimEnd(start, end, indent int) int {
	if end > len(d.lines) {
		end = len(d.lines)
	}
	for end > start {
		l := d.line(end)
		t := strings.TrimSpace(l)
		if t == "" || (strings.HasPrefix(t, "#") && indentOf(l) <= indent) {
			end--
			continue
		}
		break
	}
	if end < start {
		return start
	}
	return end
}

// indentOf counts the leading spaces of l.
func indentOf(l string) int {
	return len(l) - len(strings.TrimLeft(l, " "))
}

// resolve follows an alias to its anchor.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// get returns the key and value nodes of key in mapping m (values resolved
// through aliases), or nils.
func get(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], resolve(m.Content[i+1])
		}
	}
	return nil, nil
}

// val returns the value node of key in m, or nil.
func val(m *yaml.Node, key string) *yaml.Node {
	_, v := get(m, key)
	return v
}

// str returns the scalar value of key in m and whether it is a scalar.
func str(m *yaml.Node, key string) (string, bool) {
	v := val(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return "", false
	}
	return v.Value, true
}

// pair is one key/value of a mapping.
type pair struct{ k, v *yaml.Node }

// pairs lists the entries of mapping m, values resolved through aliases.
func pairs(m *yaml.Node) []pair {
	m = resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, pair{m.Content[i], resolve(m.Content[i+1])})
	}
	return out
}

// items lists the elements of sequence n (resolved), or n itself when it
// is a single scalar or mapping.
func items(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return []*yaml.Node{n}
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		out = append(out, resolve(c))
	}
	return out
}

// isBlock reports whether n is a literal or folded block scalar.
func isBlock(n *yaml.Node) bool {
	return n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
}
