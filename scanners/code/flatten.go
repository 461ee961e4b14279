package code

// The tree is copied out of tree-sitter in one C call: each node through the
// binding costs seven or eight cgo calls (about a microsecond), which for
// the millions of nodes of a large minified bundle was most of its scan.
//
// The C function walks the tree with tree-sitter's own cursor (its public
// API, api.h of the version the binding vendors) from the root node, which
// it gets from the binding's Node: a Go struct holding a C TSNode and
// nothing else. That layout is the binding's own business, so it is checked
// (size here, and the same tree both ways in a test); if it ever differs,
// convert copies through the binding instead.

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint32_t context[4]; const void *id; const void *tree; } sw_node;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } sw_cursor;

sw_cursor ts_tree_cursor_new(sw_node node);
void ts_tree_cursor_delete(sw_cursor *self);
bool ts_tree_cursor_goto_first_child(sw_cursor *self);
bool ts_tree_cursor_goto_next_sibling(sw_cursor *self);
bool ts_tree_cursor_goto_parent(sw_cursor *self);
sw_node ts_tree_cursor_current_node(const sw_cursor *self);
uint16_t ts_tree_cursor_current_field_id(const sw_cursor *self);
uint16_t ts_node_symbol(sw_node self);
bool ts_node_is_named(sw_node self);
bool ts_node_is_missing(sw_node self);
bool ts_node_is_error(sw_node self);
bool ts_node_has_error(sw_node self);
uint32_t ts_node_start_byte(sw_node self);
uint32_t ts_node_end_byte(sw_node self);
uint32_t ts_node_descendant_count(sw_node self);

// A record is one node, in preorder, with its depth; kept says it is
// copied (else it only marks an ERROR or MISSING token's position).
typedef struct {
	uint32_t start, end, depth;
	uint16_t kind, field;
	uint8_t named, error, kept;
} sw_rec;

// sw_flatten returns the records of the tree under root in an array it
// mallocs (the caller frees it), their number in *n; or NULL with *n = -1
// when there are more than cap. It keeps what convert keeps: named nodes,
// nodes held under a field, and, in a tree with errors, nodes with an
// error inside; it descends only into kept ones. One pass: the cursor's
// steps are not free (a wide list is a balanced tree of hidden nodes, a
// field is looked up through them).
static sw_rec *sw_flatten(const void *rootp, bool has_err, int64_t cap, int64_t *np) {
	sw_node root;
	memcpy(&root, rootp, sizeof root);
	sw_cursor c = ts_tree_cursor_new(root);
	int64_t n = 0, room = 1024;
	sw_rec *out = malloc(room * sizeof *out);
	uint32_t depth = 0;
	bool kept = true;
	for (; out;) {
		if (n > 0 || depth > 0) {
			if (kept && ts_tree_cursor_goto_first_child(&c)) {
				depth++;
			} else {
				bool moved = false;
				while (!(moved = ts_tree_cursor_goto_next_sibling(&c))) {
					if (depth == 0 || !ts_tree_cursor_goto_parent(&c)) break;
					depth--;
				}
				if (!moved) break;
			}
		}
		sw_node node = ts_tree_cursor_current_node(&c);
		sw_rec r;
		r.field = depth == 0 ? 0 : ts_tree_cursor_current_field_id(&c);
		r.named = ts_node_is_named(node);
		r.error = has_err && (ts_node_is_error(node) || ts_node_is_missing(node));
		r.kept = depth == 0 || r.field != 0 || r.named || (has_err && ts_node_has_error(node));
		kept = r.kept;
		if (!r.kept && !r.error) continue;
		if (n >= cap) { free(out); out = NULL; n = -1; break; }
		if (n == room) {
			room *= 2;
			sw_rec *grown = realloc(out, room * sizeof *out);
			if (!grown) { free(out); out = NULL; n = -1; break; }
			out = grown;
		}
		r.kind = ts_node_symbol(node);
		r.start = ts_node_start_byte(node);
		r.end = ts_node_end_byte(node);
		r.depth = depth;
		out[n++] = r;
	}
	ts_tree_cursor_delete(&c);
	*np = out ? n : -1;
	return out;
}
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/shiftward/shiftward/scanners"
	sitter "github.com/tree-sitter/go-tree-sitter"
)

// langNames are a language's node kind and field names by id, read out of
// the grammar once (a call into C each).
type langNames struct {
	kinds, fields []string
}

var langNameTables sync.Map // *sitter.Language → *langNames

func namesOf(lang *sitter.Language) *langNames {
	if t, ok := langNameTables.Load(lang); ok {
		return t.(*langNames)
	}
	t := &langNames{kinds: make([]string, lang.NodeKindCount()), fields: make([]string, lang.FieldCount()+1)}
	for id := range t.kinds {
		t.kinds[id] = lang.NodeKindForId(uint16(id))
	}
	for id := 1; id < len(t.fields); id++ {
		t.fields[id] = lang.FieldNameForId(uint16(id))
	}
	got, _ := langNameTables.LoadOrStore(lang, t)
	return got.(*langNames)
}

// flattenOK says the binding's Node is a bare TSNode, as flatten needs.
var flattenOK = unsafe.Sizeof(sitter.Node{}) == C.sizeof_sw_node

// flatten copies the tree into nodes in one C call (see the top of this
// file). It returns nil, nil, nil when it cannot (the binding changed), for
// convert to do it the slow way.
func flatten(tree *sitter.Tree, lang *sitter.Language, src []byte) (*node, []int, error) {
	if !flattenOK || lang == nil {
		return nil, nil, nil
	}
	root := tree.RootNode()
	var n C.int64_t
	p := C.sw_flatten(unsafe.Pointer(root), C.bool(root.HasError()), 2*maxTreeNodes, &n)
	if p == nil {
		return nil, nil, &scanners.BoundError{What: "syntax tree nodes", Limit: maxTreeNodes}
	}
	defer C.free(unsafe.Pointer(p))
	recs := unsafe.Slice(p, int(n))
	li := newLineIndex(src)
	names := namesOf(lang)
	kinds := map[C.uint16_t]string{} // ids past the language's table (ERROR)
	var errLines []int
	count := 0
	for _, r := range recs {
		if r.kept != 0 {
			count++
		}
	}
	if count > maxTreeNodes {
		return nil, nil, &scanners.BoundError{What: "syntax tree nodes", Limit: maxTreeNodes}
	}
	// Each node's children, counted first, get their room in one array:
	// appending them one by one would leave as much again in garbage.
	kids := make([]int32, count)
	{
		var stack []int32 // indices of kept ancestors by depth
		i := int32(0)
		for _, r := range recs {
			if r.kept == 0 {
				continue
			}
			d := int(r.depth)
			if d > len(stack) {
				return nil, nil, fmt.Errorf("flattening the syntax tree: depth %d after %d", d, len(stack))
			}
			stack = stack[:d]
			if d > 0 {
				kids[stack[d-1]]++
			}
			stack = append(stack, i)
			i++
		}
	}
	room := make([]*node, max(count-1, 0))
	slab := make([]node, count)
	path := make([]*node, 0, 64) // kept ancestors by depth
	var top *node
	i, used, row := 0, 0, 0
	for _, r := range recs {
		start, end := min(int(r.start), len(src)), min(int(r.end), len(src))
		if r.error != 0 {
			errLines = append(errLines, li.line(start))
		}
		if r.kept == 0 {
			continue
		}
		var kind string
		if int(r.kind) < len(names.kinds) {
			kind = names.kinds[r.kind]
		} else if k, ok := kinds[r.kind]; ok {
			kind = k
		} else {
			kind = lang.NodeKindForId(uint16(r.kind))
			kinds[r.kind] = kind
		}
		field := ""
		if r.field != 0 {
			if int(r.field) < len(names.fields) {
				field = names.fields[r.field]
			} else {
				field = lang.FieldNameForId(uint16(r.field))
			}
		}
		// Records come in preorder, so starts do not decrease: the line
		// is found by stepping on from the last one's (searched for
		// when a start ever goes back).
		if row >= len(li) || li[row] > start {
			row = li.line(start) - 1
		}
		for row+1 < len(li) && li[row+1] <= start {
			row++
		}
		n := &slab[i]
		i++
		*n = node{kind: kind, field: field, named: r.named != 0, start: int32(start), end: int32(end), row: int32(row)}
		if k := int(kids[i-1]); k > 0 {
			n.children = room[used : used : used+k]
			used += k
		}
		d := int(r.depth)
		if d > len(path) {
			return nil, nil, fmt.Errorf("flattening the syntax tree: depth %d after %d", d, len(path))
		}
		path = path[:d]
		if d > 0 {
			parent := path[d-1]
			parent.children = append(parent.children, n)
		} else {
			top = n
		}
		path = append(path, n)
	}
	if top == nil {
		return nil, nil, fmt.Errorf("parser gave an empty tree")
	}
	return top, errLines, nil
}
