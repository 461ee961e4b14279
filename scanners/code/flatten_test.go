package code

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
	sitter "github.com/tree-sitter/go-tree-sitter"
)

// TestFlattenMatchesConvert copies the trees of the fixtures, the corpus
// and the hostile source files (those under a megabyte) both ways, in one C
// call (flatten) and through the binding (convert): the same nodes, fields,
// spans and error lines.
func TestFlattenMatchesConvert(t *testing.T) {
	if !flattenOK {
		t.Fatal("the binding's Node is not a bare TSNode: flatten is off, every parse goes through the slow copy")
	}
	srcs := map[string][]byte{}
	for _, file := range fixInputs(t) {
		if b, err := os.ReadFile(file); err == nil {
			srcs[file] = b
		}
	}
	for p, b := range scannertest.HostileFiles() {
		if len(b) < 300<<10 {
			srcs[p] = b
		}
	}
	srcs["broken.jsx"] = []byte("const A = () => <a href=\"x?a=1&b=2\">x</a>;\nif (a) {\n")
	srcs["broken.py"] = []byte("def f(:\n  x = [1, 2\n")
	grammars := map[string]string{".py": "python", ".js": "javascript", ".jsx": "javascript", ".ts": "typescript", ".tsx": "tsx", ".java": "java"}
	compared := 0
	for file, src := range srcs {
		var grammar string
		for ext, g := range grammars {
			if strings.HasSuffix(file, ext) {
				grammar = g
			}
		}
		if grammar == "" {
			continue
		}
		lang := tsLanguage(grammar)
		p := sitter.NewParser()
		if err := p.SetLanguage(lang); err != nil {
			t.Fatal(err)
		}
		tree := p.Parse(src, nil)
		a, aErr, errA := flatten(tree, lang, src)
		b, bErr, errB := convert(context.Background(), tree, src)
		tree.Close()
		p.Close()
		if (errA == nil) != (errB == nil) {
			t.Errorf("%s: flatten error %v, convert error %v", file, errA, errB)
			continue
		}
		if errA != nil {
			continue
		}
		if !slices.Equal(aErr, bErr) {
			t.Errorf("%s: error lines %v, convert says %v", file, aErr, bErr)
		}
		if diff := sameTree(a, b); diff != "" {
			t.Errorf("%s: %s", file, diff)
		}
		compared++
	}
	t.Logf("compared %d trees", compared)
	if want := enough(t, 350, 25); compared < want {
		t.Fatalf("compared %d trees; want at least %d (the fixtures, the hostile files and, when present, the corpus)", compared, want)
	}
}

// sameTree compares two node trees without recursing, and says where they
// first differ.
func sameTree(a, b *node) string {
	type pair struct{ a, b *node }
	stack := []pair{{a, b}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := p.a, p.b
		if x.kind != y.kind || x.field != y.field || x.named != y.named || x.start != y.start || x.end != y.end || x.row != y.row ||
			len(x.children) != len(y.children) {
			return "flatten made " + x.kind + "/" + x.field + " where convert made " + y.kind + "/" + y.field
		}
		for i := range x.children {
			stack = append(stack, pair{x.children[i], y.children[i]})
		}
	}
	return ""
}
