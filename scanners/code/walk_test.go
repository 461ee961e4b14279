package code

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestWalkStopsWhenContextEnds: a walk whose context has ended stops within
// a thousand steps and says why; the parse before it had its own check.
func TestWalkStopsWhenContextEnds(t *testing.T) {
	src := []byte(strings.Repeat("eval(req.query.code);\n", 5000))
	root, _, err := tsParse(context.Background(), "javascript", src)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := newJSFile(ctx, "javascript", src)
	f.stmt(root, f.module)
	if !errors.Is(f.err, context.Canceled) {
		t.Errorf("walk error %v, want context.Canceled", f.err)
	}
	if n := len(f.u.sites); n == 0 || n >= 1000 {
		t.Errorf("%d of 5000 sites recorded; want the walk stopped within a thousand steps, and what it found kept", n)
	}
}

// TestGuardSkipsOnlyTheDeepSubtree: past scanners.MaxDepth the guard refuses
// to go deeper, once the way back up is taken it lets the walk go on, and
// it keeps the bound error.
func TestGuardSkipsOnlyTheDeepSubtree(t *testing.T) {
	g := guard{ctx: context.Background()}
	for range scanners.MaxDepth {
		if !g.enter() {
			t.Fatal("refused before the bound")
		}
	}
	if g.enter() {
		t.Fatal("went past scanners.MaxDepth")
	}
	g.leave()
	if !g.enter() {
		t.Fatal("refused a sibling below the bound")
	}
	if !errors.Is(g.err, scanners.ErrBound) {
		t.Errorf("err %v, want scanners.ErrBound", g.err)
	}
}

func TestNumericPlaceholder(t *testing.T) {
	for _, c := range []struct {
		m, letters string
		want       bool
	}{
		{"%d", numericVerbsStrict, true},
		{"%5.2f", numericVerbsStrict, true},
		{"%(n)x", numericVerbsStrict, true},
		{"%s", numericVerbsStrict, false},
		{"%c", numericVerbsStrict, false},
		{"%o", numericVerbsJS, false}, // util.format prints the text
		{"%i", numericVerbsJS, true},
		{"{:d}", numericVerbsStrict, true},
		{"{0:>8.3f}", numericVerbsStrict, true},
		{"{}", numericVerbsStrict, false},
		{"{name}", numericVerbsStrict, false},
		{"{:s}", numericVerbsStrict, false},
	} {
		if got := numericPlaceholder(c.m, c.letters); got != c.want {
			t.Errorf("numericPlaceholder(%q, %q) = %v, want %v", c.m, c.letters, got, c.want)
		}
	}
}
