package secrets_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
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

// ruleCasesFile is gitleaks' rule cases below a corpus root: all of them
// in the full corpus, a sample in testdata/ (see testdata/secrets/README.md).
const ruleCasesFile = "secrets/gitleaks/gitleaks-rule-cases.json"

// TestGitleaksRuleCases checks gitleaks' own per-rule samples: on the full
// corpus, recall on true positives at least 0.95 and at most 10% of false
// positives flagged by the rule they were written for; on the subset in
// testdata/ (two true positives per rule, every false positive), bars set
// a little under what it measured: recall 0.9790 (420/429), no false
// positive flagged (0/250).
func TestGitleaksRuleCases(t *testing.T) {
	for _, c := range scannertest.Corpora(t) {
		t.Run(c.Name(), func(t *testing.T) {
			minRecall, maxFP := 0.95, 0.10
			if !c.Full {
				minRecall, maxFP = 0.96, 0.02
			}
			checkRuleCases(t, readRuleCases(t, c.Path(ruleCasesFile)), minRecall, maxFP)
		})
	}
}

// The measure of issue 16: every labeled case is put in the "build" or
// the "held-out" split by its source unit alone (a gitleaks rule id, a
// CredSweeper sample file name), so rules are written from build cases
// and judged on cases no one looked at while writing them. Held-out cases
// are only ever counted: the verbose listings name build-split misses and
// false alarms only.
const (
	splitBuild   = "build"
	splitHeldOut = "held-out"
)

// splits are the splits in the order the figures are printed.
var splits = []string{splitHeldOut, splitBuild}

// splitOf puts a source unit in a split: the first eight bytes of
// sha256(unit), read big-endian, modulo 3, zero is held-out (about a
// third). It reads nothing but the unit, so a unit never straddles the
// split and adding units moves none. Changing it reshuffles every figure:
// don't.
func splitOf(unit string) string {
	sum := sha256.Sum256([]byte(unit))
	if binary.BigEndian.Uint64(sum[:8])%3 == 0 {
		return splitHeldOut
	}
	return splitBuild
}

// ruleTally counts one split's gitleaks rule cases.
type ruleTally struct {
	rules           map[string]bool
	tp, tpHit       int
	tpAny           int
	fp, fpHit       int
	fpAny           int
	missed, flagged map[string]int
	flaggedAny      map[string]int
}

func (t *ruleTally) String() string {
	return fmt.Sprintf("recall %.4f (%d/%d), found by any rule %.4f (%d/%d), false positives flagged %.4f (%d/%d), by any rule %.4f (%d/%d), %d rules",
		ratio(t.tpHit, t.tp), t.tpHit, t.tp, ratio(t.tpAny, t.tp), t.tpAny, t.tp,
		ratio(t.fpHit, t.fp), t.fpHit, t.fp, ratio(t.fpAny, t.fp), t.fpAny, t.fp, len(t.rules))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// checkRuleCases scores cases per split, and fails below minRecall (the
// case's own rule), above maxFP, or when a split finds under 0.99 of its
// secrets by any rule (issue 16's target on gitleaks' cases).
func checkRuleCases(t *testing.T, cases []ruleCase, minRecall, maxFP float64) {
	s := newScanner(t)
	var tp, tpHit, fp, fpHit int
	by := map[string]*ruleTally{}
	for _, sp := range splits {
		by[sp] = &ruleTally{rules: map[string]bool{}, missed: map[string]int{}, flagged: map[string]int{}, flaggedAny: map[string]int{}}
	}
	for _, c := range cases {
		sp := splitOf(c.RuleID)
		st := by[sp]
		st.rules[c.RuleID] = true
		build := sp == splitBuild
		hit := false
		var other string // another rule's finding, on a false positive
		found := false   // a finding by any rule that covers the secret
		for _, f := range scan(t, s, textInput(c.Path, c.Text)) {
			if f.RuleID == "secrets/"+c.RuleID {
				hit = true
			} else if other == "" {
				other = f.RuleID
			}
			found = found || coversSecret(f, c.Text, c.Secret)
		}
		switch c.Label {
		case "true_positive":
			tp++
			st.tp++
			if hit || found {
				// Found, by this rule or a more specific one that
				// reports the same secret (one finding per secret): what
				// a user of the scanner sees, as fpAny counts.
				st.tpAny++
			}
			if hit {
				tpHit++
				st.tpHit++
			} else {
				st.missed[c.RuleID]++
				if build && testing.Verbose() && st.missed[c.RuleID] <= 2 {
					t.Logf("build missed %s %s: %q", c.RuleID, c.ID, trunc(c.Text, 160))
				}
			}
		case "false_positive":
			fp++
			st.fp++
			if hit || other != "" {
				// Flagged by any rule: what a user of the scanner sees.
				st.fpAny++
				if !hit {
					st.flaggedAny[other]++
					if build && testing.Verbose() {
						t.Logf("build flagged by %s %s %s: %q", other, c.RuleID, c.ID, trunc(s.Redact(c.Text), 160))
					}
				}
			}
			if hit {
				fpHit++
				st.fpHit++
				st.flagged[c.RuleID]++
				if build && testing.Verbose() {
					// What was flagged is a candidate secret: only its
					// redacted form is printed.
					t.Logf("build flagged %s %s: %q", c.RuleID, c.ID, trunc(s.Redact(c.Text), 160))
				}
			}
		}
	}
	if tp == 0 || fp == 0 {
		t.Fatalf("%d true and %d false positives: not a test", tp, fp)
	}
	for _, sp := range splits {
		t.Logf("gitleaks rule cases %s: %v", sp, by[sp])
		if st := by[sp]; st.tp > 0 && ratio(st.tpAny, st.tp) < 0.99 {
			t.Errorf("%s: secrets found by any rule %.4f < 0.99", sp, ratio(st.tpAny, st.tp))
		}
	}
	recall := float64(tpHit) / float64(tp)
	fpRate := float64(fpHit) / float64(fp)
	t.Logf("gitleaks rule cases all: recall %.4f (%d/%d), false positives flagged %.4f (%d/%d)", recall, tpHit, tp, fpRate, fpHit, fp)
	t.Logf("build missed by rule: %v", topN(by[splitBuild].missed, 15))
	t.Logf("build flagged by rule: %v", topN(by[splitBuild].flagged, 15))
	t.Logf("build flagged by another rule: %v", topN(by[splitBuild].flaggedAny, 15))
	if recall < minRecall {
		t.Errorf("recall %.4f < %.2f", recall, minRecall)
	}
	if fpRate > maxFP {
		t.Errorf("false-positive rate %.4f > %.2f", fpRate, maxFP)
	}
}

// coversSecret reports whether f's location holds secret's first
// occurrence in text (its line, and its columns when f gives them on one
// line). An empty secret is never covered.
func coversSecret(f scanners.Finding, text, secret string) bool {
	i := strings.Index(text, secret)
	if secret == "" || i < 0 {
		return false
	}
	line := 1 + strings.Count(text[:i], "\n")
	col := 1 + i - (strings.LastIndexByte(text[:i], '\n') + 1)
	loc := f.Location
	if line < loc.StartLine || line > loc.EndLine {
		return false
	}
	if loc.StartLine != loc.EndLine || loc.StartColumn == 0 {
		return true
	}
	return col+len(secret) > loc.StartColumn && col <= loc.EndColumn
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
// (each file wholly added) and how many of its negative files we flag: on
// the full corpus, recall at least 0.50 and at most 10% of negatives
// flagged; on the subset in testdata/ (every third sample: 40 files, 6 of
// them negative), bars set a little under what it measured: recall 0.7500
// (123/164), so at least 0.70, and 1 of the 6 negatives flagged, so at
// most 0.20 (one file; two would be 0.33).
func TestCredSweeperCorpus(t *testing.T) {
	for _, c := range scannertest.Corpora(t) {
		t.Run(c.Name(), func(t *testing.T) {
			minRecall, maxNeg := 0.50, 0.10
			if !c.Full {
				minRecall, maxNeg = 0.70, 0.20
			}
			checkCredSweeper(t, c.Path("secrets", "credsweeper"), minRecall, maxNeg)
		})
	}
}

func checkCredSweeper(t *testing.T, dir string, minRecall, maxNeg float64) {
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
	type tally struct{ files, want, got, neg, negFlagged int }
	by := map[string]*tally{splitHeldOut: {}, splitBuild: {}}
	names := make([]string, 0, len(doc.Expected))
	for name := range doc.Expected {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		exp := doc.Expected[name]
		sp := splitOf(name)
		st := by[sp]
		st.files++
		build := sp == splitBuild
		data, err := os.ReadFile(filepath.Join(dir, "samples", name))
		if err != nil {
			t.Fatal(err)
		}
		fs := scan(t, s, textInput(name, string(data)))
		if len(exp) == 0 {
			negatives++
			st.neg++
			if len(fs) > 0 {
				negFlagged++
				st.negFlagged++
				if build {
					t.Logf("build negative %s flagged: %s line %d", name, fs[0].RuleID, fs[0].Location.StartLine)
				}
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
			st.want++
			if flagged[l] {
				got++
				st.got++
			} else {
				miss = append(miss, l)
			}
		}
		if build && testing.Verbose() && len(miss) > 0 {
			slices.Sort(miss)
			t.Logf("build %s: missed lines %v", name, miss)
		}
	}
	for _, sp := range splits {
		st := by[sp]
		t.Logf("credsweeper %s: line recall %.4f (%d/%d), negative files flagged %.4f (%d/%d), %d files",
			sp, ratio(st.got, st.want), st.got, st.want, ratio(st.negFlagged, st.neg), st.negFlagged, st.neg, st.files)
	}
	recall := float64(got) / float64(want)
	negRate := float64(negFlagged) / float64(negatives)
	t.Logf("credsweeper all: line recall %.4f (%d/%d), negative files flagged %.4f (%d/%d)", recall, got, want, negRate, negFlagged, negatives)
	if want == 0 || negatives == 0 {
		t.Fatalf("%d expected lines and %d negative files: not a test", want, negatives)
	}
	if recall < minRecall {
		t.Errorf("line recall %.4f < %.2f", recall, minRecall)
	}
	if negRate > maxNeg {
		t.Errorf("negative files flagged %.4f > %.2f", negRate, maxNeg)
	}
}
