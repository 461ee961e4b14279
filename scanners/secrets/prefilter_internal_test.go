package secrets

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/google/go-cmp/cmp"
)

type hitAt struct {
	End     int
	Pattern string
}

// TestPrefilterMatchesAll compares the DFA with a naive search: every
// case-insensitive occurrence of every pattern, overlapping ones included.
func TestPrefilterMatchesAll(t *testing.T) {
	patterns := []string{"key", "api", "api_key", "ey", "s.", "-----begin", "ghp_", "ab", "b"}
	text := "API_KEY = 'x'; monkey.s.KEY ghp_ABAB -----BEGIN key\n\xff\x00Ey"
	pf := newPrefilter(patterns)
	var got []hitAt
	for _, h := range pf.scan(text, nil) {
		got = append(got, hitAt{h.end, patterns[h.id]})
	}
	var want []hitAt
	// ASCII-only lowering keeps byte offsets (strings.ToLower rewrites
	// invalid UTF-8).
	lower := []byte(text)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	for end := 1; end <= len(text); end++ {
		for _, p := range patterns {
			if strings.HasSuffix(string(lower[:end]), p) {
				want = append(want, hitAt{end, p})
			}
		}
	}
	sortHits := func(h []hitAt) {
		for i := range h {
			for j := i + 1; j < len(h); j++ {
				if h[j].End < h[i].End || h[j].End == h[i].End && h[j].Pattern < h[i].Pattern {
					h[i], h[j] = h[j], h[i]
				}
			}
		}
	}
	sortHits(got)
	sortHits(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("hits (-naive +dfa):\n%s", d)
	}
}

// TestPrefilterRandom compares the filter with a naive search on random
// text over a small alphabet, so keywords overlap, repeat, touch the ends
// of the text and differ only in case.
func TestPrefilterRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "abkeyAKEY_.-s \n"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for round := 0; round < 300; round++ {
		var patterns []string
		for range 1 + rng.IntN(12) {
			patterns = append(patterns, strings.ToLower(word(1+rng.IntN(7))))
		}
		text := word(rng.IntN(200))
		pf := newPrefilter(patterns)
		var got []hitAt
		for _, h := range pf.scan(text, nil) {
			if text[h.start:h.end] != text[h.end-len(patterns[h.id]):h.end] {
				t.Fatalf("hit %v has the wrong length", h)
			}
			got = append(got, hitAt{h.end, patterns[h.id]})
		}
		var want []hitAt
		for i := range text {
			for id, p := range patterns {
				if i+len(p) <= len(text) && strings.EqualFold(text[i:i+len(p)], p) {
					want = append(want, hitAt{i + len(p), patterns[id]})
				}
			}
		}
		key := func(h hitAt) string { return fmt.Sprintf("%08d %s", h.End, h.Pattern) }
		sortBy := func(h []hitAt) { sort.Slice(h, func(i, j int) bool { return key(h[i]) < key(h[j]) }) }
		sortBy(got)
		sortBy(want)
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("patterns %q text %q (-naive +filter):\n%s", patterns, text, d)
		}
	}
}

func prefilterCorpus(b *testing.B) (string, []string) {
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	root := filepath.Join(runtime.GOROOT(), "src", "net", "http")
	entries, err := os.ReadDir(root)
	if err != nil {
		b.Skip("no Go source")
	}
	var sb strings.Builder
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			data, _ := os.ReadFile(filepath.Join(root, e.Name()))
			sb.Write(data)
		}
	}
	cfg, err := DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	var kws []string
	for _, r := range cfg.rules {
		for _, k := range r.keywords {
			if !seen[k] {
				seen[k] = true
				kws = append(kws, k)
			}
		}
	}
	return sb.String(), kws
}

// BenchmarkPrefilter: the fingerprint filter over the default keywords.
func BenchmarkPrefilter(b *testing.B) {
	text, kws := prefilterCorpus(b)
	pf := newPrefilter(kws)
	var hits []pfHit
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		hits = pf.scan(text, hits[:0])
	}
}

// BenchmarkPrefilterBobuSumisu: the same keywords with
// github.com/BobuSumisu/aho-corasick, which needs the text lower-cased and
// allocates every match.
func BenchmarkPrefilterBobuSumisu(b *testing.B) {
	text, kws := prefilterCorpus(b)
	trie := ahocorasick.NewTrieBuilder().AddStrings(kws).Build()
	n := 0
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		n += len(trie.MatchString(strings.ToLower(text)))
	}
}
