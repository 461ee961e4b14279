package code

import (
	"context"
	"fmt"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	java "github.com/tree-sitter/tree-sitter-java/bindings/go"
	javascript "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
	typescript "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// node is a tree-sitter node copied into Go memory once, so the front-ends
// walk plain structs instead of calling into C for every step.
type node struct {
	kind     string
	field    string // the field name under which the parent holds it
	named    bool
	start    int // byte offsets
	end      int
	row, col int // 0-based start position
	endRow   int
	children []*node
}

// child returns the first child held under field, or nil.
func (n *node) child(field string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.field == field {
			return c
		}
	}
	return nil
}

// childrenOf returns every child held under field.
func (n *node) childrenOf(field string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.field == field {
			out = append(out, c)
		}
	}
	return out
}

// namedChildren returns the named children.
func (n *node) namedChildren() []*node {
	if n == nil {
		return nil
	}
	out := make([]*node, 0, len(n.children))
	for _, c := range n.children {
		if c.named {
			out = append(out, c)
		}
	}
	return out
}

// firstNamed returns the first named child of kind k (any kind when k is "").
func (n *node) firstNamed(k string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.named && (k == "" || c.kind == k) {
			return c
		}
	}
	return nil
}

// s and e are the node's byte offsets, 0 for a missing node.
func (n *node) s() int {
	if n == nil {
		return 0
	}
	return n.start
}

func (n *node) e() int {
	if n == nil {
		return 0
	}
	return n.end
}

func (n *node) text(src []byte) string {
	if n == nil || n.start < 0 || n.end > len(src) || n.start > n.end {
		return ""
	}
	return string(src[n.start:n.end])
}

// maxDepth bounds recursion over pathological input (a file of 100k nested
// parentheses); deeper subtrees are not analysed.
const maxDepth = 400

var (
	langOnce sync.Once
	langs    map[string]*sitter.Language
)

func tsLanguage(name string) *sitter.Language {
	langOnce.Do(func() {
		langs = map[string]*sitter.Language{
			"python":     sitter.NewLanguage(python.Language()),
			"javascript": sitter.NewLanguage(javascript.Language()),
			"typescript": sitter.NewLanguage(typescript.LanguageTypescript()),
			"tsx":        sitter.NewLanguage(typescript.LanguageTSX()),
			"java":       sitter.NewLanguage(java.Language()),
		}
	})
	return langs[name]
}

// parsers are pooled per grammar: a tree-sitter parser is not safe for
// concurrent use, and creating one per file is wasteful.
var parserPools sync.Map // grammar name → *sync.Pool

func tsParse(ctx context.Context, grammar string, src []byte) (*node, []int, error) {
	lang := tsLanguage(grammar)
	if lang == nil {
		return nil, nil, fmt.Errorf("no grammar %s", grammar)
	}
	pi, _ := parserPools.LoadOrStore(grammar, &sync.Pool{})
	pool := pi.(*sync.Pool)
	p, _ := pool.Get().(*sitter.Parser)
	if p == nil {
		p = sitter.NewParser()
		if err := p.SetLanguage(lang); err != nil {
			p.Close()
			return nil, nil, fmt.Errorf("loading %s grammar: %w", grammar, err)
		}
	}
	// Cancellation is polled from the parse's progress callback, on this
	// goroutine. (The library's ParseCtx watches ctx from a goroutine of its
	// own that can write the parser's cancellation flag after the parse has
	// returned, once the job's context ends: a crash seen under load.)
	length := len(src)
	tree := p.ParseWithOptions(func(i int, _ sitter.Point) []byte {
		if i < length {
			return src[i:]
		}
		return []byte{}
	}, nil, &sitter.ParseOptions{ProgressCallback: func(sitter.ParseState) bool { return ctx.Err() != nil }})
	if tree == nil {
		p.Reset()
		pool.Put(p)
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%s parser gave no tree", grammar)
	}
	defer tree.Close()
	pool.Put(p)
	root := tree.RootNode()
	var errLines []int
	n := convert(tree.Walk(), src, root.HasError(), &errLines)
	return n, errLines, nil
}

// convert copies the tree under the cursor into nodes, recording the lines
// of ERROR and MISSING nodes. Each step into the C library costs a cgo call,
// so anonymous tokens without a field (punctuation) are skipped, kinds are
// looked up once per kind id, and positions come from byte offsets.
func convert(c *sitter.TreeCursor, src []byte, hasErr bool, errLines *[]int) *node {
	defer c.Close()
	li := newLineIndex(src)
	kinds := map[uint16]string{}
	fields := map[uint16]string{}
	var build func(tn *sitter.Node, fid uint16, depth int) *node
	build = func(tn *sitter.Node, fid uint16, depth int) *node {
		id := tn.KindId()
		kind, ok := kinds[id]
		if !ok {
			kind = tn.Kind()
			kinds[id] = kind
		}
		field := ""
		if fid != 0 {
			if field, ok = fields[fid]; !ok {
				field = c.FieldName()
				fields[fid] = field
			}
		}
		start, end := int(tn.StartByte()), int(tn.EndByte())
		if start > len(src) {
			start = len(src)
		}
		if end > len(src) {
			end = len(src)
		}
		row := li.line(start) - 1
		endRow := row
		if end > start {
			endRow = li.line(end-1) - 1
		}
		n := &node{kind: kind, field: field, named: tn.IsNamed(), start: start, end: end, row: row, col: start - li[row], endRow: endRow}
		if hasErr && (tn.IsError() || tn.IsMissing()) {
			*errLines = append(*errLines, n.row+1)
		}
		if depth < maxDepth && c.GotoFirstChild() {
			for {
				cfid := c.FieldId()
				ctn := c.Node()
				if hasErr || cfid != 0 || ctn.IsNamed() {
					n.children = append(n.children, build(ctn, cfid, depth+1))
				}
				if !c.GotoNextSibling() {
					break
				}
			}
			c.GotoParent()
		}
		return n
	}
	return build(c.Node(), 0, 0)
}
