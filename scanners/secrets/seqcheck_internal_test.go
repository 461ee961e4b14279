package secrets

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// seqCheckTexts is what the check is compared with the regex on: gitleaks'
// rule cases and CredSweeper's samples (the full corpus's, or the samples
// of them in testdata/), texts generated
// from every default rule's own regex, and some of Go's source.
func seqCheckTexts(t *testing.T) []string {
	var texts []string
	cases, _ := ruleCaseTexts(t)
	for _, id := range slices.Sorted(maps.Keys(cases)) {
		texts = append(texts, cases[id]...)
	}
	samples := scannertest.Data(t).Path("secrets", "credsweeper", "samples")
	es, err := os.ReadDir(samples)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		data, err := os.ReadFile(filepath.Join(samples, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	texts = append(texts, generatedTexts(t)...)
	for _, d := range []string{"net/http", "crypto/tls"} {
		//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
		es, _ := os.ReadDir(filepath.Join(runtime.GOROOT(), "src", d))
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
				//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
				if data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", d, e.Name())); err == nil {
					texts = append(texts, string(data))
				}
			}
		}
	}
	return texts
}

// generatedTexts holds, for every default rule with a regex, one text of
// strings generated from that regex (a random walk of its syntax tree),
// each on its own line in one of a few settings: an assignment, a quoted
// value, bare, run into a random tail. Most match their rule, so the
// comparisons do not depend on any corpus; a fixed seed keeps them the
// same from run to run.
func generatedTexts(t *testing.T) []string {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var texts []string
	for _, r := range cfg.rules {
		if r.reSrc == "" {
			continue
		}
		re, err := syntax.Parse(r.reSrc, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i := range 24 {
			var g strings.Builder
			genRegex(rng, re, &g)
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, "value = %s\n", g.String())
			case 1:
				fmt.Fprintf(&b, "  %q,\n", g.String())
			case 2:
				fmt.Fprintf(&b, "%s\n", g.String())
			default:
				fmt.Fprintf(&b, "%s%s\n", g.String(), randomTail(rng))
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

// genRegex writes to b a string that re matches, but for assertions
// (\b, ^, $), which it ignores: the tests judge every text by the regex.
func genRegex(rng *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, c := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
				c = unicode.SimpleFold(c)
			}
			b.WriteRune(c)
		}
	case syntax.OpCharClass:
		b.WriteRune(classRune(rng, re.Rune))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte(' ' + rng.IntN(95)))
	case syntax.OpCapture:
		genRegex(rng, re.Sub[0], b)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			genRegex(rng, sub, b)
		}
	case syntax.OpAlternate:
		genRegex(rng, re.Sub[rng.IntN(len(re.Sub))], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, 3
		case syntax.OpPlus:
			lo, hi = 1, 4
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		if hi < 0 || hi > lo+6 {
			hi = lo + 6
		}
		for range lo + rng.IntN(hi-lo+1) {
			genRegex(rng, re.Sub[0], b)
		}
	}
}

// classRune picks a rune of a character class, printable ASCII when the
// class has any (a negated class spans all of Unicode).
func classRune(rng *rand.Rand, ranges []rune) rune {
	var ascii []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		for c := max(ranges[i], ' '); c <= min(ranges[i+1], '~'); c++ {
			ascii = append(ascii, c)
		}
	}
	if len(ascii) > 0 && rng.IntN(20) > 0 {
		return ascii[rng.IntN(len(ascii))]
	}
	i := rng.IntN(len(ranges)/2) * 2
	return ranges[i] + rune(rng.IntN(int(min(ranges[i+1]-ranges[i], 64))+1))
}

func randomTail(rng *rand.Rand) string {
	const tail = "aZ09_-./+=:|?,><@'\"` \t\\n;)(ſK"
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteByte(tail[rng.IntN(len(tail))])
	}
	return b.String()
}

// TestSeqCheckNeverRejectsAMatch: wherever a rule's anchored regex
// matches from a keyword hit, the byte check must pass, and its extent
// must hold the longest match. It runs at every
// hit of every default rule's keywords in the corpus and Go source, on
// the rest of the line and on the rest of the text, and on random texts
// built from a keyword and the bytes the patterns care about.
func TestSeqCheckNeverRejectsAMatch(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(cfg)
	var matched, rejected, checked int
	longests := map[*rule]*regexp.Regexp{}
	check := func(r *rule, s string) {
		checked++
		r.compile()
		loc := r.anchored.FindStringIndex(s)
		p, n := r.seq.extent(s)
		if loc != nil {
			matched++
			if !p {
				t.Fatalf("rule %s: seq check rejects %q, which %s matches", r.id, s, r.anchored)
			}
			if loc[1] > n {
				t.Fatalf("rule %s: extent of %q is %d, but %s matches up to %d", r.id, s, n, r.anchored, loc[1])
			}
			// The longest match from the start, too.
			longest := longests[r]
			if longest == nil {
				longest = regexp.MustCompile(r.anchored.String())
				longest.Longest()
				longests[r] = longest
			}
			if e := longest.FindStringIndex(s)[1]; e > n {
				t.Fatalf("rule %s: extent of %q is %d, but %s matches up to %d", r.id, s, n, r.anchored, e)
			}
		} else if !p {
			rejected++
		}
	}
	for i, text := range seqCheckTexts(t) {
		if raceEnabled && i%4 != 0 {
			continue
		}
		for _, h := range e.pf.scan(text, nil) {
			for _, ri := range e.patRules[h.id] {
				r := e.rules[ri]
				if r.seq == nil {
					continue
				}
				check(r, text[h.start:lineEnd(text, h.end)])
				check(r, text[h.start:min(len(text), h.start+4096)])
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "Z", "0", "9", "_", "-", ".", "/", "+", "=", ":", "|", "?", ",", ">", "<", "@", "'", "\"", "`",
		" ", "\t", "\n", "\\", "n", ";", ")", "(", "ſ", "K", "é", "\xff", "x", "s", "k", "E", "Y", "~", "!", "#"}
	for _, r := range cfg.rules {
		if r.seq == nil {
			continue
		}
		rounds := 3000
		if raceEnabled {
			rounds = 500
		}
		for range rounds {
			var b strings.Builder
			b.WriteString(r.keywords[rng.IntN(len(r.keywords))])
			if rng.IntN(2) == 0 && len(r.exact) > 0 {
				b.Reset()
				b.WriteString(r.exact[rng.IntN(len(r.exact))])
			}
			for range rng.IntN(60) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			check(r, b.String())
		}
	}
	t.Logf("%d checks: %d matched the regex, %d of the rest rejected by the seq check", checked, matched, rejected)
	if matched < 1000 || rejected < 1000 {
		t.Errorf("too few matches (%d) or rejections (%d) for the comparison to mean anything", matched, rejected)
	}
}

// TestSeqCheckElements pins the reduction of pattern pieces to byte sets
// and counts, and the NFA on them.
func TestSeqCheckElements(t *testing.T) {
	tests := []struct {
		pattern string
		yes, no []string
	}{
		{`key[\w.-]*\s*(?:=|:{1,3}=|,)\s*[\w]{4,}`, []string{"key = abcd", "key:=abcd", "key_x ,  abcd;", "key:::=abcde"}, []string{"key)", "key = abc)", "key.String()", "key", "key ="}},
		{`s\.[a-z0-9]{5}`, []string{"s.abcde", "s.abcdef"}, []string{"s.abc(", "s.Abcde"}},
		{`(?i)s\.[a-z]{3}`, []string{"S.abc", "s.ſb"}, []string{"s.ab"}},
		{`ab{2,3}c`, []string{"abbc", "abbbc"}, []string{"abc", "abbbbc"}},
		{`a\bb?$`, []string{"a", "ab"}, []string{}},
		{`x(?:ab|cde)y`, []string{"xaby", "xcdey", "xbay"}, []string{"xy", "xabcdey"}},
	}
	for _, tc := range tests {
		tr, err := syntax.Parse(tc.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		c := newSeqCheck(tr)
		re := regexp.MustCompile(`^(?:` + tc.pattern + `)`)
		for _, s := range tc.yes {
			if !c.possible(s) {
				t.Errorf("%q: possible(%q) = false, want true", tc.pattern, s)
			}
		}
		for _, s := range tc.no {
			if re.MatchString(s) {
				t.Fatalf("bad case: %q matches %q", tc.pattern, s)
			}
			if c.possible(s) {
				t.Errorf("%q: possible(%q) = true, want false", tc.pattern, s)
			}
		}
	}
}

// TestNarrowWindowsSameMatches: windows narrowed to where a match can be
// find exactly the matches that whole-line windows find, on the corpus
// and Go source.
func TestNarrowWindowsSameMatches(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	narrow, wide := newEngine(cfg), newEngine(cfg)
	wide.wide = true
	n := 0
	act := narrow.activeRules("x.go")
	for i, text := range seqCheckTexts(t) {
		if raceEnabled && i%8 != 0 {
			continue
		}
		got := slices.Clone(narrow.scanChunk("x.go", text, act))
		want := wide.scanChunk("x.go", text, act)
		n += len(want)
		if d := cmp.Diff(want, got, cmp.AllowUnexported(match{})); d != "" {
			t.Fatalf("on %.200q (-wide +narrow):\n%s", text, d)
		}
	}
	if n < 1000/8 {
		t.Errorf("only %d matches compared", n)
	}
}
