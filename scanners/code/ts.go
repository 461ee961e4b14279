package code

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/shiftward/shiftward/scanners"
	sitter "github.com/tree-sitter/go-tree-sitter"
	java "github.com/tree-sitter/tree-sitter-java/bindings/go"
	javascript "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
	typescript "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// node is a tree-sitter node copied into Go memory once, so the front-ends
// walk plain structs instead of calling into C for every step.
type node struct {
	kind  string
	field string // the field name under which the parent holds it
	named bool
	// start and end are byte offsets, row the 0-based line where it
	// starts: int32, as every file parsed is under scanners.MaxParseBytes,
	// keeps a node at 72 bytes (a tree can have millions).
	start, end int32
	row        int32
	children   []*node
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
	return int(n.start)
}

// line is the node's 1-based start line.
func (n *node) line() int { return int(n.row) + 1 }

func (n *node) e() int {
	if n == nil {
		return 0
	}
	return int(n.end)
}

// is reports whether n's text is s, without copying it: n may span a
// megabyte.
func (n *node) is(src []byte, s string) bool {
	return n != nil && int(n.end-n.start) == len(s) && n.start >= 0 && int(n.end) <= len(src) && string(src[n.start:n.end]) == s
}

func (n *node) text(src []byte) string {
	if n == nil || n.start < 0 || int(n.end) > len(src) || n.start > n.end {
		return ""
	}
	return string(src[n.start:n.end])
}

// str is text for a source held as a string: a slice of it, no copy.
func (n *node) str(src string) string {
	if n == nil || n.start < 0 || int(n.end) > len(src) || n.start > n.end {
		return ""
	}
	return src[n.start:n.end]
}

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

// maxTreeSitterBytes is the largest file parsed with tree-sitter, half of
// scanners.MaxParseBytes: tree-sitter holds 25 to 95 bytes of tree per
// byte of input (measured: jQuery 25, minified bundles 70-75, a Python
// data table 93), so 4 MiB of minified JavaScript took 300 MB of C memory
// before anything was copied out of it, and the scan of one file past 512
// MiB. Go files (go/parser) may be as large as scanners.MaxParseBytes.
const maxTreeSitterBytes = 2 << 20

// maxParseMemory bounds what tree-sitter allocates for one parse. Real
// files of maxTreeSitterBytes take 45 MB (jQuery) to 170 MB (minified
// bundles, data tables); hostile ones up to 500 MB (a literal of a million
// elements, a file of open parentheses).
const maxParseMemory = 192 << 20

// maxTreeNodes bounds the syntax tree copied into Go memory (72 bytes a
// node). Within maxTreeSitterBytes a dense minified file has about a
// million nodes; input made of one-character tokens (a+a+a+...) more.
const maxTreeNodes = 1_500_000

// parserReadSlack is how many bytes, beyond twice the file's size, the
// parser may read in all: see tsParse.
const parserReadSlack = 8 << 20

// parsers are pooled per grammar: a tree-sitter parser is not safe for
// concurrent use, and creating one per file is wasteful.
var parserPools sync.Map // grammar name → *sync.Pool

// tsParse parses src with grammar and copies the tree into nodes. It
// returns the lines of the parser's ERROR and MISSING nodes beside the tree;
// an error means there is no tree: ctx ended (the parse is abandoned within
// a hundred parser steps), or the input is over a bound.
// memoryCheckEvery is how many progress callbacks of a parse pass between
// two reads of its memory: tree-sitter calls back every few operations,
// each allocating little, so the bound is overshot by a few KiB at most.
const memoryCheckEvery = 32

func tsParse(ctx context.Context, grammar string, src []byte) (*node, []int, error) {
	if len(src) > maxTreeSitterBytes {
		return nil, nil, scanners.TooLarge(maxTreeSitterBytes)
	}
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
	//
	// The binding copies every chunk the read callback returns into C memory
	// it frees only when the parse ends. Handing out the rest of the file
	// from the asked offset means one read for a whole parse; but a lexer
	// that steps back after reaching the end of the input asks anew, and a
	// file built to make it do so from every position would have the
	// binding hold a copy of the rest of the file per step. Past a budget of
	// twice the file's size the callback says end of input and the parse
	// is abandoned as over a bound.
	//
	// Tree-sitter's memory is counted as it allocates (alloc.go): past
	// maxParseMemory the parse is abandoned too. The count is the thread's,
	// so the goroutine stays on it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base := allocated()
	length := len(src)
	budget, spent, over, heavy := 2*length+parserReadSlack, 0, false, false
	read := func(i int, _ sitter.Point) []byte {
		if i >= length || over {
			return []byte{}
		}
		if spent += length - i; spent > budget {
			over = true
			return []byte{}
		}
		return src[i:]
	}
	calls := 0
	progress := func(sitter.ParseState) bool {
		// The count is read on every memoryCheckEvery-th call: reading it
		// is a call into C from this callback from C, which on every call
		// cost 7% of the scan.
		if calls++; calls%memoryCheckEvery == 0 {
			heavy = heavy || allocated()-base > maxParseMemory
		}
		return over || heavy || ctx.Err() != nil
	}
	tree := p.ParseWithOptions(read, nil, &sitter.ParseOptions{ProgressCallback: progress})
	if tree == nil || over || heavy {
		// An abandoned parse leaves the parser mid-way, and it is not
		// reused: tree-sitter 0.25's reset keeps the flag of a parse
		// abandoned while it balanced the tree, so the parser's next parse
		// would resume that one, find no tree and abort the process
		// (parser.c: ts_assert(self->finished_tree.ptr)).
		p.Close()
		if tree != nil {
			tree.Close()
		}
		trim()
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if over {
			return nil, nil, &scanners.BoundError{What: "bytes re-read by the parser", Limit: int64(budget)}
		}
		if heavy {
			return nil, nil, &scanners.BoundError{What: "parser memory in bytes", Limit: maxParseMemory}
		}
		return nil, nil, fmt.Errorf("%s parser gave no tree", grammar)
	}
	pool.Put(p)
	root, errLines, err := flatten(tree, lang, src)
	if root == nil && err == nil {
		root, errLines, err = convert(ctx, tree, src)
	}
	tree.Close()
	if allocated()-base > 16<<20 {
		// A large tree's pages back to the system, before the walk grows
		// the Go heap beside them.
		trim()
	}
	if err == nil {
		// flatten runs in one C call, which no ctx can stop.
		err = ctx.Err()
	}
	if err != nil {
		return nil, nil, err
	}
	return root, errLines, nil
}

// convert copies the tree into nodes, recording the lines of ERROR and
// MISSING nodes, through the binding, one cgo call at a time: what flatten
// does in one, when it cannot. It walks the tree with a cursor and an explicit stack, so
// a tree nested a million levels deep (tree-sitter's parser is iterative
// and builds one) costs no Go stack. Each step into the C library costs a
// cgo call, so anonymous tokens without a field (punctuation) are not
// copied (they are still checked for being MISSING), kinds are looked up
// once per kind id, and positions come from byte offsets.
func convert(ctx context.Context, tree *sitter.Tree, src []byte) (*node, []int, error) {
	c := tree.Walk()
	defer c.Close()
	hasErr := tree.RootNode().HasError()
	li := newLineIndex(src)
	type kindOf struct {
		name  string
		named bool
	}
	kinds := map[uint16]kindOf{}
	fields := map[uint16]string{}
	var errLines []int
	count := 0
	// Nodes are allocated a few thousand at a time: a tree can have
	// millions.
	var slab []node
	// copyNode copies the cursor's node, or returns nil for a token not
	// worth a copy.
	copyNode := func(fid uint16) *node {
		tn := c.Node()
		if hasErr && (tn.IsError() || tn.IsMissing()) {
			errLines = append(errLines, li.line(min(int(tn.StartByte()), len(src))))
		}
		// Kind and namedness are a property of the kind id: asked once
		// per kind.
		id := tn.KindId()
		k, ok := kinds[id]
		if !ok {
			k = kindOf{name: tn.Kind(), named: tn.IsNamed()}
			kinds[id] = k
		}
		kind, named := k.name, k.named
		if fid == 0 && !named && !(hasErr && tn.HasError()) {
			return nil
		}
		field := ""
		if fid != 0 {
			if field, ok = fields[fid]; !ok {
				field = c.FieldName()
				fields[fid] = field
			}
		}
		start, end := min(int(tn.StartByte()), len(src)), min(int(tn.EndByte()), len(src))
		row := li.line(start) - 1
		count++
		if len(slab) == cap(slab) {
			slab = make([]node, 0, 4096)
		}
		slab = append(slab, node{kind: kind, field: field, named: named, start: int32(start), end: int32(end), row: int32(row)})
		return &slab[len(slab)-1]
	}
	root := copyNode(0)
	if root == nil {
		return nil, nil, fmt.Errorf("parser gave an empty tree")
	}
	// path holds the copied ancestors of the cursor's node, and the node
	// itself when kept: only kept nodes are descended into.
	path := []*node{root}
	kept := true
	for steps := 1; ; steps++ {
		if count > maxTreeNodes {
			return nil, nil, &scanners.BoundError{What: "syntax tree nodes", Limit: maxTreeNodes}
		}
		if steps&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		if !(kept && c.GotoFirstChild()) {
			if kept {
				path = path[:len(path)-1]
			}
			for !c.GotoNextSibling() {
				if !c.GotoParent() || len(path) == 0 {
					return root, errLines, nil
				}
				path = path[:len(path)-1]
			}
		}
		if len(path) == 0 {
			return root, errLines, nil
		}
		parent := path[len(path)-1]
		n := copyNode(c.FieldId())
		kept = n != nil
		if kept {
			parent.children = append(parent.children, n)
			path = append(path, n)
		}
	}
}
