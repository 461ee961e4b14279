package pipelines

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
)

// edits are line-level changes to a file: whole-line replacements and lines
// inserted after a line. They become one Fix covering every touched line.
type edits struct {
	repl map[int]string
	ins  map[int][]string
}

func newEdits() *edits { return &edits{repl: map[int]string{}, ins: map[int][]string{}} }

// replace sets the new text of line n.
func (e *edits) replace(n int, text string) { e.repl[n] = text }

// insertAfter adds lines after line n (after its replacement, if any).
func (e *edits) insertAfter(n int, lines ...string) { e.ins[n] = append(e.ins[n], lines...) }

// fix turns the edits into a whole-line Fix over the smallest range that
// holds them, or nil when there are none.
func (e *edits) fix(d *doc, desc string) *scanners.Fix {
	var touched []int
	for n := range e.repl {
		touched = append(touched, n)
	}
	for n := range e.ins {
		touched = append(touched, n)
	}
	if len(touched) == 0 {
		return nil
	}
	sort.Ints(touched)
	start, end := touched[0], touched[len(touched)-1]
	if start < 1 || end > len(d.lines) {
		return nil
	}
	var out []string
	for n := start; n <= end; n++ {
		if r, ok := e.repl[n]; ok {
			out = append(out, r)
		} else {
			out = append(out, d.line(n))
		}
		out = append(out, e.ins[n]...)
	}
	return &scanners.Fix{Description: desc, StartLine: start, EndLine: end, Replacement: strings.Join(out, "\n")}
}

// applyFix returns the file's lines with fx applied.
func applyFix(lines []string, fx *scanners.Fix) []string {
	out := make([]string, 0, len(lines)+8)
	out = append(out, lines[:fx.StartLine-1]...)
	if fx.Replacement != "" {
		out = append(out, strings.Split(fx.Replacement, "\n")...)
	}
	return append(out, lines[fx.EndLine:]...)
}

// verified returns fx when the file with fx applied still parses, the hits
// it is meant to remove (rule and identity) are gone, and no other rule
// reports more than before; otherwise nil. A suggestion that breaks the
// file or does not fix it is worse than none.
func verified(d *doc, fx *scanners.Fix, check func(*doc) []hit, r *rule, identities ...string) *scanners.Fix {
	if fx == nil || fx.StartLine < 1 || fx.EndLine > len(d.lines) || fx.EndLine < fx.StartLine {
		return nil
	}
	src := strings.Join(applyFix(d.lines, fx), "\n") + "\n"
	nd, err := parseDoc([]byte(src))
	if err != nil {
		return nil
	}
	before := d.baseline
	if before == nil {
		before = countRules(check(d))
	}
	after := check(nd)
	for _, h := range after {
		if h.rule == r {
			for _, id := range identities {
				if h.identity == id {
					return nil
				}
			}
		}
	}
	for rl, n := range countRules(after) {
		if rl != r && n > before[rl] {
			return nil
		}
	}
	return fx
}

func countRules(hs []hit) map[*rule]int {
	m := map[*rule]int{}
	for _, h := range hs {
		m[h.rule]++
	}
	return m
}

// rawPos is one occurrence of a token in the source: line and byte offsets.
type rawPos struct {
	line       int
	start, end int // byte offsets in the line
}

// rawOccurrences finds token in the source text of scalar n, in order.
func (d *doc) rawOccurrences(n *yaml.Node, token string) []rawPos {
	var out []rawPos
	first, last := n.Line, d.end(n)
	for ln := first; ln <= last; ln++ {
		text := d.line(ln)
		from := 0
		if ln == n.Line {
			if isBlock(n) {
				continue // the header line holds only the indicator
			}
			from = min(max(n.Column-1, 0), len(text))
		}
		for {
			k := strings.Index(text[from:], token)
			if k < 0 {
				break
			}
			out = append(out, rawPos{line: ln, start: from + k, end: from + k + len(token)})
			from += k + len(token)
		}
	}
	return out
}

// yamlEscape encodes s for insertion into a scalar of n's style.
func yamlEscape(n *yaml.Node, s string) string {
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
	case n.Style&yaml.SingleQuotedStyle != 0:
		return strings.ReplaceAll(s, "'", "''")
	}
	return s
}

// tokenEdit replaces the k-th occurrence of token in a scalar's value by
// with (logical text, before YAML escaping).
type tokenEdit struct {
	token string
	k     int
	with  string
}

// rewriteScalar applies token edits to the source lines of scalar n. It
// fails when the source and the value do not hold the same occurrences
// (escapes or folding got in the way): no fix is better than a wrong one.
func (d *doc) rewriteScalar(n *yaml.Node, es []tokenEdit, e *edits) bool {
	type repl struct {
		pos  rawPos
		with string
	}
	var rs []repl
	for _, te := range es {
		raw := d.rawOccurrences(n, te.token)
		if len(raw) != strings.Count(n.Value, te.token) || te.k >= len(raw) {
			return false
		}
		rs = append(rs, repl{raw[te.k], yamlEscape(n, te.with)})
	}
	// Apply right to left within each line so offsets stay valid.
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].pos.line != rs[j].pos.line {
			return rs[i].pos.line < rs[j].pos.line
		}
		return rs[i].pos.start > rs[j].pos.start
	})
	for _, r := range rs {
		text, ok := e.repl[r.pos.line]
		if !ok {
			text = d.line(r.pos.line)
		}
		if r.pos.end > len(text) {
			return false
		}
		e.replace(r.pos.line, text[:r.pos.start]+r.with+text[r.pos.end:])
	}
	return true
}

// plainOrQuoted renders s as a YAML scalar for a "key: value" line: plain
// when that reads back as s, else single-quoted.
func plainOrQuoted(s string) string {
	if s != "" && !strings.Contains(s, ": ") && !strings.Contains(s, " #") && !strings.HasSuffix(s, ":") &&
		!strings.ContainsAny(s[:1], "!&*{}[]|>'\"%@`#,?-:") && strings.TrimSpace(s) == s {
		var m map[string]string
		if yaml.Unmarshal([]byte("k: "+s), &m) == nil && m["k"] == s {
			return s
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// indentUnit guesses the file's indentation step (2 when unsure).
func (d *doc) indentUnit() int {
	for _, p := range pairs(d.root) {
		v := p.v
		if v != nil && v.Kind == yaml.MappingNode && len(v.Content) > 0 && v.Content[0].Line > p.k.Line {
			if u := v.Content[0].Column - p.k.Column; u > 0 && u <= 8 {
				return u
			}
		}
	}
	return 2
}
