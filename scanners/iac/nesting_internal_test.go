package iac

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/shiftward/shiftward/scanners"
)

func TestHCLDepth(t *testing.T) {
	const n = scanners.MaxDepth
	rep := strings.Repeat
	tests := []struct {
		name  string
		src   string
		bound bool
	}{
		{"brackets under the bound", "a = " + rep("[", n-10) + rep("]", n-10) + "\n", false},
		{"brackets over the bound", "a = " + rep("[", n+1), true},
		{"blocks over the bound", rep("b {\n", n+1), true},
		{"interpolations over the bound", "a = " + rep(`"${`, n/2+1), true},
		{"directives over the bound", "a = <<EOT\n" + rep("%{ if x }", n+1) + "\nEOT\n", true},
		{"unary operators over the bound", "a = " + rep("!", n+1) + "true\n", true},
		{"conditionals over the bound across lines", "a = (" + rep("x ?\ny :\n", n+1) + "z)\n", true},
		{"binary chain over the bound", "a = " + rep("x + ", n+1) + "y\n", true},
		{"index chain over the bound", "a = x" + rep("[y]", n+1) + "\n", true},
		// Closers hidden in strings, comments and heredocs do not end the
		// nesting: only HCL's own tokens count.
		{"closers in strings", "a = " + rep(`{ x = "}}]])" `, n+1), true},
		{"closers in comments", "a = " + rep("[ # ]]]\n // ]]]\n /* ]]] */\n", n+1), true},
		{"closers in heredocs", "a = " + rep("[ <<EOT\n]]]]\nEOT\n,", n+1), true},
		{"escaped interpolation", "a = " + rep(`[ "$${]]]}" , `, n+1), true},
		// Openers in strings do not make a file deep.
		{"openers in strings", "a = [" + rep(`"[[[{{{(((", `, n+1) + "]\n", false},
		{"openers in comments", rep("# [[[{{{\n", n+1) + "a = 1\n", false},
		// Expressions ended by commas or newlines do not add up.
		{"many short expressions", rep("a = -1 # x\n", n+1) + "b = [" + rep("!x, -y, z ? 1 : 2, w.v[0],\n", n+1) + "]\n", false},
		{"long but flat file", rep("resource \"x\" \"y\" {\n  a = var.b.c[0]\n  d = e ? f : g\n}\n", 2*n), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := hclDepth([]byte(tc.src))
			if got := errors.Is(err, scanners.ErrBound); got != tc.bound {
				t.Fatalf("hclDepth = %v, want bound %v", err, tc.bound)
			}
		})
	}
}

// astDepth measures the deepest node of an HCL syntax tree.
type astDepth struct{ cur, max int }

func (w *astDepth) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.cur++
	w.max = max(w.max, w.cur)
	return nil
}

func (w *astDepth) Exit(hclsyntax.Node) hcl.Diagnostics {
	w.cur--
	return nil
}

// FuzzHCLDepth checks hclDepth against hclsyntax's own parse: whatever
// passes the check parses into a tree within a few levels per counted
// level (so nothing the check does not count nests), and a file wrapped
// past the bound is always refused before it is parsed.
func FuzzHCLDepth(f *testing.F) {
	f.Add("a = [1, {b = \"${c}\"}]\n", uint16(0))
	f.Add("a = <<EOT\n%{ for x in y }${x}%{ endfor }\nEOT\nb { c = !d ? e : -f }\n", uint16(1))
	f.Add("a = x.y[0].z[*].w + (1 - -2) * 3\n", uint16(2))
	f.Fuzz(func(t *testing.T, src string, wrap uint16) {
		if len(src) > 64<<10 {
			return
		}
		if hclDepth([]byte(src)) == nil {
			file, _ := hclsyntax.ParseConfig([]byte(src), "f.tf", hcl.InitialPos)
			if body, ok := file.Body.(*hclsyntax.Body); ok {
				w := &astDepth{}
				hclsyntax.Walk(body, w)
				if w.max > 4*scanners.MaxDepth+8 {
					t.Fatalf("passed the check with a syntax tree %d deep", w.max)
				}
			}
		}
		n := scanners.MaxDepth + 1 + int(wrap%64)
		if err := hclDepth([]byte("a = " + strings.Repeat("(", n) + src)); !errors.Is(err, scanners.ErrBound) {
			t.Fatalf("%d levels deep: %v, want a bound error", n, err)
		}
	})
}
