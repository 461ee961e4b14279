package scannertest

import "testing"

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
