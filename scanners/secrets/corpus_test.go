package secrets_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// corpusDir is the shared test corpus (see scannertest.CorpusDir): a test
// that needs it is skipped without it (fails in CI).
func corpusDir(t testing.TB) string { return scannertest.CorpusDir(t) }

// optionalCorpus is the shared test corpus when it is next to the
// repository, else "": for tests meaningful without it that use it too.
func optionalCorpus() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if dir == filepath.Dir(dir) {
			return ""
		}
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		return ""
	}
	return corpus
}

// textInput presents text as a wholly added file.
func textInput(path, text string) *scanners.Input {
	in := &scanners.Input{Path: path, Content: []byte(text)}
	for i, l := range strings.Split(text, "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

func newScanner(t testing.TB, opts ...secrets.Option) *secrets.Scanner {
	t.Helper()
	s, err := secrets.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func scan(t testing.TB, s *secrets.Scanner, in *scanners.Input) []scanners.Finding {
	t.Helper()
	fs, err := s.Scan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

type ruleCase struct {
	RuleID string `json:"rule_id"`
	Label  string `json:"label"`
	Text   string `json:"text"`
	Path   string `json:"path"`
	Secret string `json:"secret"`
	ID     string `json:"id"`
}

// readRuleCases reads a file of gitleaks rule cases (the corpus's
// gitleaks-rule-cases.json, or the samples of it in testdata).
func readRuleCases(t *testing.T, path string) []ruleCase {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []ruleCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc.Cases
}

// sampleCases are the samples of gitleaks' rule cases kept in testdata,
// which every checkout has (see testdata/README.md).
func sampleCases(t *testing.T) []ruleCase {
	return readRuleCases(t, filepath.Join("testdata", "gitleaks-rule-samples.json"))
}

// TestGitleaksRuleCases checks gitleaks' own per-rule samples, all of
// them (the shared corpus): recall on true positives at least 0.95, and at
// most 10% of false positives flagged by the rule they were written for.
func TestGitleaksRuleCases(t *testing.T) {
	checkRuleCases(t, readRuleCases(t, filepath.Join(corpusDir(t), "secrets", "gitleaks", "gitleaks-rule-cases.json")))
}

// TestGitleaksRuleSamples is TestGitleaksRuleCases on the samples in
// testdata (two true positives per rule, every false positive), which a
// checkout without the shared corpus has.
func TestGitleaksRuleSamples(t *testing.T) {
	checkRuleCases(t, sampleCases(t))
}

func checkRuleCases(t *testing.T, cases []ruleCase) {
	s := newScanner(t)
	var tp, tpHit, fp, fpHit int
	missed := map[string]int{}
	flagged := map[string]int{}
	for _, c := range cases {
		hit := false
		for _, f := range scan(t, s, textInput(c.Path, c.Text)) {
			if f.RuleID == "secrets/"+c.RuleID {
				hit = true
			}
		}
		switch c.Label {
		case "true_positive":
			tp++
			if hit {
				tpHit++
			} else {
				missed[c.RuleID]++
				if testing.Verbose() && missed[c.RuleID] <= 2 {
					t.Logf("missed %s %s: %q", c.RuleID, c.ID, trunc(c.Text, 160))
				}
			}
		case "false_positive":
			fp++
			if hit {
				fpHit++
				flagged[c.RuleID]++
				if testing.Verbose() {
					// What was flagged is a candidate secret: only its
					// redacted form is printed.
					t.Logf("flagged %s %s: %q", c.RuleID, c.ID, trunc(s.Redact(c.Text), 160))
				}
			}
		}
	}
	if tp == 0 || fp == 0 {
		t.Fatalf("%d true and %d false positives: not a test", tp, fp)
	}
	recall := float64(tpHit) / float64(tp)
	fpRate := float64(fpHit) / float64(fp)
	t.Logf("gitleaks rule cases: recall %.4f (%d/%d), false positives flagged %.4f (%d/%d)", recall, tpHit, tp, fpRate, fpHit, fp)
	t.Logf("missed by rule: %v", topN(missed, 15))
	t.Logf("flagged by rule: %v", topN(flagged, 15))
	if recall < 0.95 {
		t.Errorf("recall %.4f < 0.95", recall)
	}
	if fpRate > 0.10 {
		t.Errorf("false-positive rate %.4f > 0.10", fpRate)
	}
}

type kv struct {
	K string
	V int
}

func topN(m map[string]int, n int) []kv {
	var out []kv
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].V > out[j].V || out[i].V == out[j].V && out[i].K < out[j].K })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// TestCredSweeperCorpus checks line-level recall on CredSweeper's samples
// (each file wholly added) and how many of its negative files we flag.
func TestCredSweeperCorpus(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "secrets", "credsweeper")
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Expected map[string][]struct {
			Rule    string `json:"rule"`
			LineNum int    `json:"line_num"`
		} `json:"expected"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	s := newScanner(t)
	var want, got, negatives, negFlagged int
	names := make([]string, 0, len(doc.Expected))
	for name := range doc.Expected {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		exp := doc.Expected[name]
		data, err := os.ReadFile(filepath.Join(dir, "samples", name))
		if err != nil {
			t.Fatal(err)
		}
		fs := scan(t, s, textInput(name, string(data)))
		if len(exp) == 0 {
			negatives++
			if len(fs) > 0 {
				negFlagged++
				t.Logf("negative %s flagged: %s line %d", name, fs[0].RuleID, fs[0].Location.StartLine)
			}
			continue
		}
		lines := map[int]bool{}
		for _, e := range exp {
			lines[e.LineNum] = true
		}
		flagged := map[int]bool{}
		for _, f := range fs {
			for l := f.Location.StartLine; l <= f.Location.EndLine; l++ {
				flagged[l] = true
			}
		}
		var miss []int
		for l := range lines {
			want++
			if flagged[l] {
				got++
			} else {
				miss = append(miss, l)
			}
		}
		if testing.Verbose() && len(miss) > 0 {
			slices.Sort(miss)
			t.Logf("%s: missed lines %v", name, miss)
		}
	}
	recall := float64(got) / float64(want)
	negRate := float64(negFlagged) / float64(negatives)
	t.Logf("credsweeper: line recall %.4f (%d/%d), negative files flagged %.4f (%d/%d)", recall, got, want, negRate, negFlagged, negatives)
	if recall < 0.50 {
		t.Errorf("line recall %.4f < 0.50", recall)
	}
	if negRate > 0.10 {
		t.Errorf("negative files flagged %.4f > 0.10", negRate)
	}
}
