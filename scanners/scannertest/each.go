package scannertest

import (
	"bytes"
	"os"
	"testing"
)

// Name names the corpus in subtest names and figures: "corpus" for the full
// corpus, "testdata" for the committed subset.
func (c Corpus) Name() string {
	if c.Full {
		return "corpus"
	}
	return "testdata"
}

// Corpora returns what a detection-figure test measures on: Data's corpus
// and, when that is the full corpus, the committed subset as well, so a
// change that would fail a fresh clone's figures (CI's) fails on a
// developer's machine first. Each is measured against its own thresholds.
func Corpora(tb testing.TB) []Corpus {
	tb.Helper()
	c := Data(tb)
	if !c.Full {
		return []Corpus{c}
	}
	return []Corpus{c, Fixtures(tb)}
}

// SameAsCorpus checks, with the full corpus beside the repository, that each
// file rel (paths below the corpus root) is in testdata/ byte for byte, so
// a fresh clone tests on the same cases; without the corpus it skips.
func SameAsCorpus(t *testing.T, rels ...string) {
	t.Helper()
	full := Data(t)
	if !full.Full {
		t.Skip("compares testdata/ with the full corpus, which is not at ../shared/corpus")
	}
	fixtures := Fixtures(t)
	for _, rel := range rels {
		want, err := os.ReadFile(full.Path(rel))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(fixtures.Path(rel))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/%s is not the corpus's (%v)", rel, err)
		}
	}
}
