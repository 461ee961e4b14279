package code

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCombineMatchesCopying builds strings by random sequences of combine
// calls (chains extended in place, values combined twice, formatted values
// reused) and compares each result with combine as it was before it
// extended its builder in place (oldCombine, which copied at every call):
// the same value in every field a rule or fix reads.
func TestCombineMatchesCopying(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	leaf := func() value {
		switch rng.IntN(6) {
		case 0:
			return value{t: constant, isStr: true, lit: "<p>", rawOK: true, raw: "<p>", start: rng.IntN(50), end: 50 + rng.IntN(50)}
		case 1:
			return value{t: constant, isStr: true, lit: "https://"}
		case 2:
			return value{t: tainted, source: "req.query.x", srcLine: 3, start: 10, end: 20}
		case 3:
			return value{t: unknown, qual: "x", param: true, buildLine: 7}
		case 4:
			return value{t: constant, lit: "/"}
		}
		return value{t: constant, isStr: true, lit: ""}
	}
	type pair struct{ got, want value }
	opts := []cmp.Option{cmp.AllowUnexported(value{}, part{}), cmp.FilterPath(func(p cmp.Path) bool {
		s := p.String()
		return s == "build" || s == "gen" || s == "markup" || s == "url"
	}, cmp.Ignore())}
	for round := 0; round < 1000; round++ {
		pool := []pair{}
		for i := 0; i < 3; i++ {
			v := leaf()
			pool = append(pool, pair{v, v})
		}
		for step := 0; step < 30; step++ {
			a := pool[rng.IntN(len(pool))]
			if rng.IntN(3) > 0 {
				a = pool[len(pool)-1] // extend the newest: the in-place path
			}
			n := 1 + rng.IntN(3)
			gotArgs, wantArgs := []value{a.got}, []value{a.want}
			for j := 0; j < n; j++ {
				b := pool[rng.IntN(len(pool))]
				if rng.IntN(2) == 0 || len(b.want.parts) > 20 {
					l := leaf()
					b = pair{l, l}
				}
				gotArgs, wantArgs = append(gotArgs, b.got), append(wantArgs, b.want)
			}
			p := pair{combine(gotArgs...), oldCombine(wantArgs...)}
			// The same string built one part at a time ("a" "b" "c" in
			// Python, a chain a + b + c).
			fold := combine(gotArgs[0])
			for _, a := range gotArgs[1:] {
				fold = combine(fold, a)
			}
			if g := bare(fold); !reflect.DeepEqual(g, p.want) {
				t.Fatalf("round %d step %d: combine one part at a time differs from copying (-copying +folded):\n%s", round, step, cmp.Diff(p.want, g, opts...))
			}
			if rng.IntN(5) == 0 {
				// What expr does to every value it returns.
				p.got.start, p.got.end, p.want.start, p.want.end = step, step+9, step, step+9
			}
			pool = append(pool, p)
			if g := bare(p.got); !reflect.DeepEqual(g, p.want) {
				t.Fatalf("round %d step %d: combine differs from copying (-copying +in place):\n%s", round, step, cmp.Diff(p.want, p.got, opts...))
			}
			if builtString(p.got) != oldBuiltString(p.want) {
				t.Fatalf("round %d step %d: builtString %v, copying says %v", round, step, builtString(p.got), oldBuiltString(p.want))
			}
		}
	}
}

// bare is v without what only the in-place builder keeps.
func bare(v value) value {
	v.build, v.gen, v.markup, v.url = nil, 0, false, false
	return v
}

func oldBuiltString(v value) bool {
	return v.isStr && v.t != constant && v.hasVar && (strings.Contains(v.consts, "<") || strings.Contains(v.consts, "://"))
}

// oldCombine is combine as it was before it extended its builder in place.
func oldCombine(parts ...value) value {
	out := value{t: constant, isStr: true}
	var b strings.Builder
	prefixOpen := true
	for i, p := range parts {
		out.parts = p.appendPiece(out.parts)
		if p.t > out.t {
			out.t = p.t
			out.source, out.srcLine = p.source, p.srcLine
		} else if p.t == tainted && out.source == "" {
			out.source, out.srcLine = p.source, p.srcLine
		}
		if p.param {
			out.param = true
		}
		if !out.hasVar {
			if p.t != constant {
				out.hasVar = true
				if p.hasVar {
					out.varTaint, out.varPrefix = p.varTaint, out.consts+p.varPrefix
				} else {
					out.varTaint, out.varPrefix = p.t, out.consts
				}
			}
		}
		if p.t == constant {
			b.WriteString(p.lit)
			out.consts += p.lit
		} else {
			out.consts += p.consts
			if out.buildLine == 0 {
				out.buildLine = p.buildLine
			}
		}
		if prefixOpen {
			if p.t == constant {
				out.prefix += p.lit
			} else {
				if i == 0 {
					out.prefix = p.prefix
				} else {
					out.prefix += p.prefix
				}
				prefixOpen = false
			}
		}
		if p.start != 0 || p.end != 0 {
			if i == 0 || p.start < out.start {
				out.start = p.start
			}
			if p.end > out.end {
				out.end = p.end
			}
		}
	}
	if out.t == constant {
		out.lit = b.String()
		out.prefix = ""
	}
	return out
}

// TestGlobMatchesBacktracking compares glob with the recursive matcher it
// replaced (exponential in the number of stars) on patterns and names made
// of a few letters, dots and stars.
func TestGlobMatchesBacktracking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func(alphabet string, n int) string {
		b := make([]byte, rng.IntN(n+1))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for i := 0; i < 200000; i++ {
		p, n := word("ab.*", 6), word("ab.", 8)
		if got, want := glob(p, n), oldGlob(p, n); got != want {
			t.Fatalf("glob(%q, %q) = %v, want %v", p, n, got, want)
		}
	}
	long := strings.Repeat("a", 5000)
	start := time.Now()
	if glob(strings.Repeat("*a", 40)+"b", long) {
		t.Fatal("matched a name without b")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("a 40-star pattern took %v on a 5000-byte name", d)
	}
}

func oldGlob(pattern, name string) bool {
	i := strings.IndexByte(pattern, '*')
	if i < 0 {
		return pattern == name
	}
	if !strings.HasPrefix(name, pattern[:i]) {
		return false
	}
	name = name[i:]
	pattern = pattern[i+1:]
	if pattern == "" {
		return true
	}
	for j := 0; j <= len(name); j++ {
		if oldGlob(pattern, name[j:]) {
			return true
		}
	}
	return false
}

// TestSnippetAndFieldsMatchStrings compares snippet and writeFields, which
// read a site without copying it, with the strings.Fields versions they
// replaced, on text of words, ASCII and Unicode spaces and invalid bytes.
func TestSnippetAndFieldsMatchStrings(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "bc", "é", " ", "\t", "\n", "\u00a0", "\u2028", "\xff", "`", "x(y)", "\u3000"}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for j := rng.IntN(60); j > 0; j-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(b.String())
		joined := strings.Join(strings.Fields(string(src)), " ")
		var w strings.Builder
		writeFields(&w, src)
		if w.String() != joined {
			t.Fatalf("writeFields(%q) = %q, want %q", src, w.String(), joined)
		}
		want := joined
		if len(want) > 80 {
			cut := 77
			for cut > 0 && want[cut]&0xC0 == 0x80 {
				cut--
			}
			want = want[:cut] + "..."
		}
		want = strings.ReplaceAll(want, "`", "'")
		if got := snippet(src, 0, len(src)); len(src) > 0 && got != want {
			t.Fatalf("snippet(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestClipName: a name over maxName keeps its root and its last links.
func TestClipName(t *testing.T) {
	long := "req" + strings.Repeat(".a", 500) + ".objects.raw"
	got := clipName(long)
	if len(got) > maxName || rootName(got) != "req" || !glob("*.objects.raw", got) || lastName(got) != "raw" {
		t.Fatalf("clipName(%d bytes) = %q", len(long), got)
	}
	if short := "hashlib.md5"; clipName(short) != short {
		t.Fatalf("clipName(%q) = %q", short, clipName(short))
	}
}
