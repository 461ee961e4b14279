package secrets

import (
	"os"
	"path/filepath"
	"runtime"
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
	pf.scan(text, func(end int, p int32) { got = append(got, hitAt{end, patterns[p]}) })
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

func prefilterCorpus(b *testing.B) (string, []string) {
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

// BenchmarkPrefilter: the byte-class DFA over the default keywords.
func BenchmarkPrefilter(b *testing.B) {
	text, kws := prefilterCorpus(b)
	pf := newPrefilter(kws)
	n := 0
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		pf.scan(text, func(int, int32) { n++ })
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
