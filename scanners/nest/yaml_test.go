package nest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// block is a mapping nested n levels by indentation alone.
func block(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String() + strings.Repeat(" ", n) + "b\n"
}

func TestDecodeYAML(t *testing.T) {
	// A document node, then one level per bracket, then the scalar.
	flow := func(n int) string { return strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n" }
	tests := []struct {
		name string
		src  string
		docs int   // documents returned
		want error // nil, ErrBound, or errAny for any other error
	}{
		{"manifest", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: b\n", 1, nil},
		{"empty", "", 0, nil},
		{"flow at the bound", flow(scanners.MaxDepth - 2), 1, nil},
		{"flow over the bound", flow(scanners.MaxDepth - 1), 0, scanners.ErrBound},
		{"flow past yaml.v3's own limit", flow(20000), 0, scanners.ErrBound},
		// Indentation nests without a bracket to count.
		{"block at the bound", block(scanners.MaxDepth - 2), 1, nil},
		{"block over the bound", block(scanners.MaxDepth - 1), 0, scanners.ErrBound},
		{"sequences over the bound", strings.Repeat("- ", scanners.MaxDepth) + "a\n", 0, scanners.ErrBound},
		// Closers in quoted scalars do not end the nesting.
		{"closers in strings", strings.Repeat(`{"]}": ']}', a: `, 600) + "1" + strings.Repeat("}", 600) + "\n", 0, scanners.ErrBound},
		{"openers in strings", "a: [" + strings.Repeat(`"[[{{", '[[{{', `, 600) + "1]\n", 1, nil},
		// An alias stands for its anchor: a chain of them nests deep.
		{"aliases nesting deep", aliasChain(scanners.MaxDepth), 0, scanners.ErrBound},
		{"billion laughs", string(laughs()), 0, scanners.ErrBound},
		{"a few aliases", "a: &x {b: 1}\nc: *x\nd: *x\n", 1, nil},
		{"alias to itself", "a: &a [*a]\n", 0, errAny},
		// The documents before a bad one are returned with the error.
		{"bad second document", "a: 1\n---\nb: [\n", 1, errAny},
		{"deep second document", "a: 1\n---\n" + flow(scanners.MaxDepth+5), 1, scanners.ErrBound},
		{"size over the bound", "a: " + strings.Repeat("x", scanners.MaxParseBytes), 0, scanners.ErrBound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs, err := nest.DecodeYAML(context.Background(), []byte(tc.src))
			switch {
			case tc.want == nil && err != nil,
				tc.want == errAny && err == nil,
				tc.want == scanners.ErrBound && !errors.Is(err, scanners.ErrBound):
				t.Fatalf("DecodeYAML: %v, want %v", err, tc.want)
			}
			if len(docs) != tc.docs {
				t.Fatalf("%d documents, want %d", len(docs), tc.docs)
			}
		})
	}
}

var errAny = errors.New("any error")

// aliasChain is n anchors, each a list holding the one before: written flat,
// nested n deep once the aliases are expanded.
func aliasChain(n int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x]\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d]\n", i, i, i-1)
	}
	return b.String()
}

func laughs() []byte {
	return scannertest.HostileFiles()["hostile/yaml/laughs/.gitlab-ci.yml"]
}

func TestDecodeYAMLStopsOnContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	docs, err := nest.DecodeYAML(ctx, []byte("a: 1\n---\nb: 2\n"))
	if !errors.Is(err, context.Canceled) || len(docs) != 0 {
		t.Fatalf("DecodeYAML on a cancelled context: %d documents, %v", len(docs), err)
	}
}

// treeDepth measures a node tree with aliases expanded, recursing, but
// never more than limit levels deep.
func treeDepth(n *yaml.Node, limit int) int {
	if n == nil || limit == 0 {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		return treeDepth(n.Alias, limit)
	}
	d := 0
	for _, c := range n.Content {
		d = max(d, treeDepth(c, limit-1))
	}
	return d + 1
}

// FuzzDecodeYAML: no input makes DecodeYAML panic; what it returns is never
// deeper than the bound; a document nested past the bound in front of any
// input is refused.
func FuzzDecodeYAML(f *testing.F) {
	f.Add([]byte("a: &x [1, {b: *x}]\n---\n- - c\n"), uint16(0))
	f.Add([]byte("a: \"]}\"\nb: '[{'\nc: |\n  ]]]\n"), uint16(1))
	f.Add(laughs(), uint16(2))
	f.Fuzz(func(t *testing.T, src []byte, wrap uint16) {
		if len(src) > 64<<10 {
			return
		}
		docs, err := nest.DecodeYAML(context.Background(), src)
		if err != nil && len(docs) > 0 && errors.Is(err, context.Canceled) {
			t.Fatal("cancelled without a cancel")
		}
		for _, d := range docs {
			if got := treeDepth(d, scanners.MaxDepth+2); got > scanners.MaxDepth {
				t.Fatalf("a document %d deep passed", got)
			}
		}
		// yaml.v3 reads a token or two past a document's end, so a syntax
		// error in what follows may come first; either way the deep
		// document is never returned as read.
		n := scanners.MaxDepth + int(wrap%64)
		deep := "a: " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n---\n"
		docs, err = nest.DecodeYAML(context.Background(), append([]byte(deep), src...))
		if err == nil || len(docs) > 0 {
			t.Fatalf("%d levels deep: %d documents, %v; want none and an error", n, len(docs), err)
		}
	})
}

// Dense flow YAML decodes into hundreds of bytes per written byte; it is
// refused before decoding, while a real file as large, block style, is
// decoded.
func TestDecodeYAMLBoundsWrittenNodes(t *testing.T) {
	dense := "a: " + strings.Repeat("[1,", 600_000) + strings.Repeat("]", 600_000) + "\n"
	if _, err := nest.DecodeYAML(context.Background(), []byte(dense)); !errors.Is(err, scanners.ErrBound) {
		t.Errorf("%d bytes of dense flow: err = %v, want a bound error", len(dense), err)
	}
	var b strings.Builder
	for i := 0; b.Len() < scanners.MaxParseBytes-200; i++ {
		fmt.Fprintf(&b, "  key%d:\n    description: %s\n    type: string\n", i, strings.Repeat("words, more words ", 3))
	}
	block := "properties:\n" + b.String()
	docs, err := nest.DecodeYAML(context.Background(), []byte(block))
	if err != nil || len(docs) != 1 {
		t.Errorf("%d bytes of block-style YAML: %d docs, err %v; want it decoded", len(block), len(docs), err)
	}
}
