package secrets

import (
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

	"github.com/google/go-cmp/cmp"
)

// seqCheckTexts is what the check is compared with the regex on: every
// gitleaks rule case, every CredSweeper sample and some of Go's source.
func seqCheckTexts(t *testing.T) []string {
	var texts []string
	cases := corpusCases(t)
	for _, id := range slices.Sorted(maps.Keys(cases)) {
		texts = append(texts, cases[id]...)
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	samples := filepath.Join(dir, "..", "shared", "corpus", "secrets", "credsweeper", "samples")
	if es, err := os.ReadDir(samples); err == nil {
		for _, e := range es {
			if data, err := os.ReadFile(filepath.Join(samples, e.Name())); err == nil {
				texts = append(texts, string(data))
			}
		}
	}
	for _, d := range []string{"net/http", "crypto/tls"} {
		es, _ := os.ReadDir(filepath.Join(runtime.GOROOT(), "src", d))
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
				if data, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", d, e.Name())); err == nil {
					texts = append(texts, string(data))
				}
			}
		}
	}
	return texts
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
