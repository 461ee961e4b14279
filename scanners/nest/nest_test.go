package nest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/nest"
)

func TestTOML(t *testing.T) {
	deep := func(n int) string { return "a = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n) + "\n" }
	arrays := func(n int) string { return "a = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n" }
	tests := []struct {
		name string
		src  string
		want error // nil, or a bound
	}{
		{"lockfile", "[[package]]\nname = \"a\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\nwheels = [\n  { url = \"x\", hash = \"sha256:1\" },\n]\n", nil},
		{"inline tables at the bound", deep(scanners.MaxDepth), nil},
		{"inline tables over the bound", deep(scanners.MaxDepth + 1), scanners.ErrBound},
		{"arrays over the bound", arrays(scanners.MaxDepth + 1), scanners.ErrBound},
		{"arrays far over the bound", arrays(100000), scanners.ErrBound},
		{"dotted key over the bound", strings.Repeat("a.", scanners.MaxDepth+1) + "b = 1\n", scanners.ErrBound},
		{"dotted key at the bound", strings.Repeat("a.", scanners.MaxDepth) + "b = 1\n", nil},
		{"dotted key table header", "[" + strings.Repeat("a.", scanners.MaxDepth) + "b]\n", scanners.ErrBound},
		{"floats are not keys", "a = [" + strings.Repeat("1.5, ", 2000) + "1.5]\n", nil},
		{"dots in strings", "a = \"" + strings.Repeat(".", 2000) + "\"\n", nil},
		// An attacker hides closers in strings and comments, so that a
		// counter that does not follow TOML's strings sees a shallow file.
		{"closers in basic strings", "a = " + strings.Repeat(`{ b = "}}]]", c = `, 600) + "1" + strings.Repeat("}", 600) + "\n", scanners.ErrBound},
		{"closers in escaped basic strings", "a = " + strings.Repeat(`{ b = "\"}}", c = `, 600) + "1" + strings.Repeat("}", 600) + "\n", scanners.ErrBound},
		{"closers in literal strings", "a = " + strings.Repeat(`{ b = '}}', c = `, 600) + "1" + strings.Repeat("}", 600) + "\n", scanners.ErrBound},
		{"closers in multi-line strings", "a = " + strings.Repeat("{ b = \"\"\"}}\n]]\"\"\"\"\", c = '''}}\n''', d = ", 600) + "1" + strings.Repeat("}", 600) + "\n", scanners.ErrBound},
		{"closers in comments", "a = " + strings.Repeat("[ # ]]]]\n", 600) + strings.Repeat("]", 600) + "\n", scanners.ErrBound},
		// And the other way: openers in strings do not make a file deep.
		{"openers in strings", "a = [" + strings.Repeat(`"[[[{{{", '[[[', """[[[""", `, 600) + "1]\n# [[[[[[[[\n", nil},
		{"size over the bound", "a = \"" + strings.Repeat("x", scanners.MaxParseBytes) + "\"\n", scanners.ErrBound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := nest.TOML([]byte(tc.src))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("TOML = %v, want %v", err, tc.want)
			}
			if tc.want == nil && len(tc.src) < 1<<20 {
				// What passes must decode: the check is not stricter
				// than the format.
				var v map[string]any
				if err := toml.Unmarshal([]byte(tc.src), &v); err != nil {
					t.Fatalf("test input does not decode: %v", err)
				}
			}
		})
	}
}

// depth is the nesting of a decoded TOML value, counted without recursion.
func depth(v any) int {
	type item struct {
		v any
		d int
	}
	best := 0
	stack := []item{{v, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best = max(best, it.d)
		switch x := it.v.(type) {
		case map[string]any:
			for _, c := range x {
				stack = append(stack, item{c, it.d + 1})
			}
		case []any:
			for _, c := range x {
				stack = append(stack, item{c, it.d + 1})
			}
		}
	}
	return best
}

// FuzzTOML checks nest.TOML against go-toml itself: whatever passes the
// check and decodes is no deeper than the bound (so no string, comment or
// escape hides nesting from the check), and a document wrapped in more
// levels than the bound is always refused.
func FuzzTOML(f *testing.F) {
	f.Add([]byte("a = {b = [1, {c = \"}]\"}]}\n"), uint16(0))
	f.Add([]byte("a.b.'c.d'.\"e\" = '''x\n]]'''\n[t.u]\nv = \"\"\"\"q\"\"\"\"\n"), uint16(3))
	f.Add([]byte("a = [ # ]\n 1, '''\n]''', \"\\\"]\" ]\n"), uint16(1))
	f.Fuzz(func(t *testing.T, src []byte, wrap uint16) {
		if len(src) > 64<<10 {
			return
		}
		if err := nest.TOML(src); err == nil {
			var v map[string]any
			if toml.Unmarshal(src, &v) == nil {
				// The root table is one level, as are the key and its value.
				if d := depth(v); d > scanners.MaxDepth+2 {
					t.Fatalf("passed the check at depth %d", d)
				}
			}
		} else if !errors.Is(err, scanners.ErrBound) {
			t.Fatalf("an error that is not a bound: %v", err)
		}
		n := scanners.MaxDepth + 1 + int(wrap%64)
		wrapped := append([]byte("x = "+strings.Repeat("[", n)), src...)
		if err := nest.TOML(wrapped); !errors.Is(err, scanners.ErrBound) {
			t.Fatalf("%d levels deep: %v, want a bound error", n, err)
		}
	})
}
