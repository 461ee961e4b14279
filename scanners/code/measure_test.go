package code

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// The code scanner's measurement by source (see MEASURE.md): every labeled
// case belongs to a unit (a CodeQL query-test folder, a semgrep-rules test
// target, a gosec rule), and a unit is in the "build" or the "held-out"
// split by its name alone, so rules are written from build units and judged
// on units no one looked at while writing them.

const (
	codeSplitBuild   = "build"
	codeSplitHeldOut = "held-out"

	// codeBuildPercent is the share of units, in percent, the split puts in
	// the build part; the same rule as scanners/iac's splitOf. Changing it
	// reshuffles every figure: don't.
	codeBuildPercent = 60
)

// The languages and sources measured, in the order of the table.
var (
	codeMeasureLanguages = []string{"go", "python", "javascript", "typescript", "java"}
	codeMeasureSources   = []string{"codeql", "semgrep-rules", "gosec"}
)

// codeSplitOf puts a unit in the build or the held-out split: the first
// eight bytes of sha256(unit), read big-endian, modulo 100, below
// codeBuildPercent is build (scanners/iac's splitOf). unit is the CodeQL
// query-test folder as github/codeql spells it
// ("java/ql/test/query-tests/security/CWE-078"), the semgrep-rules target
// file as the corpus index spells it, or the gosec rule id ("G201").
func codeSplitOf(unit string) string {
	sum := sha256.Sum256([]byte(unit))
	if binary.BigEndian.Uint64(sum[:8])%100 < codeBuildPercent {
		return codeSplitBuild
	}
	return codeSplitHeldOut
}

// TestCodeSplitOf pins the split rule to a few units on each side; it is
// scanners/iac's (sha256("a") starts 0xca978112ca1bbdca, which is 50 modulo
// 100: build).
func TestCodeSplitOf(t *testing.T) {
	for unit, want := range map[string]string{
		"a":                                codeSplitBuild,
		"go/ql/test/experimental/CWE-090":  codeSplitBuild,
		"go/ql/test/experimental/CWE-1004": codeSplitHeldOut,
		"G201":                             codeSplitHeldOut,
	} {
		if got := codeSplitOf(unit); got != want {
			t.Errorf("codeSplitOf(%q) = %s, want %s", unit, got, want)
		}
	}
}

// codeqlCase is one labeled file of testdata/code-codeql/index.json for one
// family.
type codeqlCase struct {
	File       string `json:"file"`
	Language   string `json:"language"`
	Family     string `json:"family"`
	Unit       string `json:"unit"`
	SourcePath string `json:"source_path"`
	Positive   []int  `json:"positive_lines"`
	Negative   []int  `json:"negative_lines"`
}

// codeMeasure holds the tallies of one run: by source/language/split, by
// language/split over every source, and by family/split.
type codeMeasure struct {
	rows tallies // "split|language|source"
	fams tallies // "split|family"
	// langFams tally "split|language|family": where a language's errors are.
	langFams tallies
	// heldOutFP counts, per "language rule", the held-out negative lines a
	// rule's finding covers: which rule is imprecise, never where.
	heldOutFP map[string]int
	units     map[string]map[string]bool
	notes     []string
	miss      []string
}

func newCodeMeasure() *codeMeasure {
	return &codeMeasure{rows: tallies{}, fams: tallies{}, langFams: tallies{}, heldOutFP: map[string]int{}, units: map[string]map[string]bool{}}
}

// count adds one labeled line (or sample) of unit.
func (m *codeMeasure) count(source, lang, family, unit string, positive, hit bool, where string) {
	split := codeSplitOf(unit)
	if m.units[source+"|"+split] == nil {
		m.units[source+"|"+split] = map[string]bool{}
	}
	m.units[source+"|"+split][unit] = true
	m.rows.of(split+"|"+lang+"|"+source).count(positive, hit)
	m.rows.of(split+"|"+lang+"|all").count(positive, hit)
	// Only the build split's misses are listed: the held-out ones are
	// never read while rules are written (MEASURE.md, "The split").
	m.langFams.of(split+"|"+lang+"|"+family).count(positive, hit)
	if miss := m.fams.of(split+"|"+family).count(positive, hit); miss != "" && split == codeSplitBuild {
		m.miss = append(m.miss, fmt.Sprintf("%s %s %s %s %s", split, miss, family, where, unit))
	}
}

// falseAlarm counts the rules whose findings cover a held-out negative
// line (hit), by language and source.
func (m *codeMeasure) falseAlarm(source, lang, unit string, hit bool, fs []scanners.Finding, family map[string]string, fam string, line int) {
	if !hit || codeSplitOf(unit) != codeSplitHeldOut {
		return
	}
	for _, f := range fs {
		if family[f.RuleID] == fam && (f.Location.StartLine <= line && line <= f.Location.EndLine || inScope(f, line)) {
			m.heldOutFP[lang+" "+f.RuleID+" ("+source+")"]++
		}
	}
}

// covers reports whether a finding of family fam covers line.
func covers(fs []scanners.Finding, family map[string]string, fam string, line int) bool {
	for _, f := range fs {
		if family[f.RuleID] == fam && (f.Location.StartLine <= line && line <= f.Location.EndLine || inScope(f, line)) {
			return true
		}
	}
	return false
}

// codeqlDir is the directory holding code-codeql/files/, the CodeQL test
// files the index names: testdata/ (where they are restored, out of
// commits: see testdata/code-codeql/README.md) or the shared corpus.
func codeqlDir(t *testing.T) (string, bool) {
	root := scannertest.RepoRoot(t)
	for _, d := range []string{
		filepath.Join(root, "testdata"),
		filepath.Join(root, "..", "shared", "corpus"),
	} {
		if _, err := os.Stat(filepath.Join(d, "code-codeql", "files")); err == nil {
			return d, true
		}
	}
	return "", false
}

// measureCodeQL scores the CodeQL query-test labels line by line.
func measureCodeQL(t *testing.T, s *Scanner, family map[string]string, m *codeMeasure) bool {
	root := scannertest.RepoRoot(t)
	var idx struct {
		Cases []codeqlCase `json:"cases"`
	}
	scannertest.ReadJSON(t, filepath.Join(root, "testdata", "code-codeql", "index.json"), &idx)
	dir, ok := codeqlDir(t)
	if !ok {
		m.notes = append(m.notes, "codeql: skipped, the test files are not in testdata/code-codeql/files (see its README.md to restore them)")
		return false
	}
	type scanned struct {
		fs  []scanners.Finding
		err error
	}
	cache := map[string]scanned{}
	for _, c := range idx.Cases {
		sc, ok := cache[c.File]
		if !ok {
			src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.File)))
			if err != nil {
				t.Fatalf("codeql: %v (restore the files, see testdata/code-codeql/README.md)", err)
			}
			sc.fs, _, sc.err = s.scan(context.Background(), c.File, src)
			cache[c.File] = sc
		}
		if sc.err != nil {
			t.Errorf("%s: %v", c.File, sc.err)
			continue
		}
		for _, l := range c.Positive {
			m.count("codeql", c.Language, c.Family, c.Unit, true, covers(sc.fs, family, c.Family, l), fmt.Sprintf("%s:%d", c.SourcePath, l))
		}
		for _, l := range c.Negative {
			hit := covers(sc.fs, family, c.Family, l)
			m.count("codeql", c.Language, c.Family, c.Unit, false, hit, fmt.Sprintf("%s:%d", c.SourcePath, l))
			m.falseAlarm("codeql", c.Language, c.Unit, hit, sc.fs, family, c.Family, l)
		}
	}
	return true
}

// measureSemgrep scores the semgrep-rules annotations mapped in
// semgrepFamilies (corpus_test.go); the unit is the target file.
func measureSemgrep(t *testing.T, s *Scanner, family map[string]string, m *codeMeasure) bool {
	c := scannertest.Data(t)
	if !c.Full {
		m.notes = append(m.notes, "semgrep-rules: skipped, the full corpus is not at ../shared/corpus (its licence keeps it out of testdata/)")
		return false
	}
	var idx semgrepIndex
	scannertest.ReadJSON(t, filepath.Join(c.Dir, "code", "semgrep-rules", "index.json"), &idx)
	eachSemgrepLabel(t, s, c.Dir, idx, func(sc semgrepCase, fs []scanners.Finding, _, fam string, positive bool, line int) {
		hit := covers(fs, family, fam, line)
		m.count("semgrep-rules", languageOf(sc.File), fam, sc.File, positive, hit, fmt.Sprintf("%s:%d", sc.File, line))
		if !positive {
			m.falseAlarm("semgrep-rules", languageOf(sc.File), sc.File, hit, fs, family, fam, line)
		}
	})
	return true
}

// measureGosec scores gosec's samples (the full corpus's, or testdata's
// subset) as gosecQuality does, one count per sample; the unit is the rule.
func measureGosec(t *testing.T, s *Scanner, family map[string]string, m *codeMeasure) {
	c := scannertest.Data(t)
	var idx struct {
		Cases []struct {
			Files    []string `json:"files"`
			Rule     *string  `json:"rule"`
			Expected int      `json:"expected_issues"`
		} `json:"cases"`
	}
	scannertest.ReadJSON(t, filepath.Join(c.Dir, "code", "gosec", "index.json"), &idx)
	for _, gc := range idx.Cases {
		if gc.Rule == nil {
			continue
		}
		fam, ok := gosecFamilies[*gc.Rule]
		if !ok {
			continue
		}
		needTaint := strings.HasSuffix(fam, "!")
		fam = strings.TrimSuffix(fam, "!")
		hit := false
		for _, file := range gc.Files {
			src, err := os.ReadFile(filepath.Join(c.Dir, file))
			if err != nil {
				t.Fatal(err)
			}
			fs, _, err := s.scan(context.Background(), file, src)
			if err != nil {
				t.Errorf("%s: %v", file, err)
			}
			for _, f := range fs {
				if family[f.RuleID] == fam && (!needTaint || taintedFinding(s, f)) {
					hit = true
				}
			}
		}
		m.count("gosec", "go", fam, *gc.Rule, gc.Expected > 0, hit, path.Dir(gc.Files[0]))
	}
}

// render is the table: held-out first, then build; per language the row over
// every source, then one row per source.
func (m *codeMeasure) render() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-10s %-13s %6s %6s   %5s %5s %5s %5s\n", "split", "language", "source", "recall", "prec", "tp", "fn", "fp", "tn")
	for _, split := range []string{codeSplitHeldOut, codeSplitBuild} {
		for _, lang := range codeMeasureLanguages {
			for _, src := range append([]string{"all"}, codeMeasureSources...) {
				r := m.rows[split+"|"+lang+"|"+src]
				if r == nil {
					continue
				}
				fmt.Fprintf(&b, "%-8s %-10s %-13s %6.3f %6.3f   %5d %5d %5d %5d\n", split, lang, src, r.recall(), r.precision(), r.tp, r.fn, r.fp, r.tn)
			}
		}
	}
	b.WriteString("\nunits per split:")
	for _, src := range codeMeasureSources {
		fmt.Fprintf(&b, "  %s %d held-out / %d build", src, len(m.units[src+"|"+codeSplitHeldOut]), len(m.units[src+"|"+codeSplitBuild]))
	}
	b.WriteString("\n\nper family (every language and source): recall held-out | build, with tp/positives\n")
	famSet := map[string]bool{}
	for k := range m.fams {
		famSet[strings.SplitN(k, "|", 2)[1]] = true
	}
	for _, fam := range sortedKeys(famSet) {
		fmt.Fprintf(&b, "%-22s", fam)
		for _, split := range []string{codeSplitHeldOut, codeSplitBuild} {
			r := m.fams[split+"|"+fam]
			if r == nil || r.tp+r.fn == 0 {
				fmt.Fprintf(&b, " %8s %-9s", "-", "")
				continue
			}
			fmt.Fprintf(&b, " %8.3f %-9s", r.recall(), fmt.Sprintf("%d/%d", r.tp, r.tp+r.fn))
		}
		if r := m.fams[codeSplitHeldOut+"|"+fam]; r != nil && r.fp > 0 {
			fmt.Fprintf(&b, " held-out fp=%d", r.fp)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nheld-out false alarms by language and rule (negative lines a rule's finding covers):\n")
	for _, k := range sortedKeys(m.heldOutFP) {
		fmt.Fprintf(&b, "  %-50s %d\n", k, m.heldOutFP[k])
	}
	// Counts only, per language: which classes a language's held-out
	// shortfall is in, never which file.
	b.WriteString("\nheld-out misses (fn) and false alarms (fp) by language and family:\n")
	for _, k := range sortedKeys(m.langFams) {
		r := m.langFams[k]
		if !strings.HasPrefix(k, codeSplitHeldOut+"|") || r.fn+r.fp == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %-34s fn=%d fp=%d (tp=%d)\n", strings.TrimPrefix(k, codeSplitHeldOut+"|"), r.fn, r.fp, r.tp)
	}
	return b.String()
}

// codeFloor is the least a row must keep: today's recall and precision as
// they would be with one more miss and one more false positive, rounded
// down to two decimals (strictly under): one more error passes, two more
// may fail (see codeFloorLines).
type codeFloor struct{ recall, precision float64 }

// codeFloors hold the rows' floors on the corpora a fresh clone has (the
// CodeQL query tests of testdata/code-codeql, gosec's samples in testdata/),
// by "split|language|source", as SHIFTWARD_MEASURE=floors printed them.
var codeFloors = map[string]codeFloor{
	"held-out|go|codeql":         {0.72, 0.90},
	"held-out|python|codeql":     {0.78, 0.94},
	"held-out|javascript|codeql": {0.71, 0.87},
	"held-out|typescript|codeql": {0.93, 0.93},
	"held-out|java|codeql":       {0.89, 0.98},
	"held-out|go|gosec":          {0.92, 0.92},
	"build|go|codeql":            {0.87, 0.97},
	"build|python|codeql":        {0.87, 0.98},
	"build|javascript|codeql":    {0.88, 0.97},
	"build|typescript|codeql":    {0.49, 0.83},
	"build|java|codeql":          {0.81, 0.99},
	"build|go|gosec":             {0.84, 0.80},
}

// codeFullFloors replace codeFloors' gosec rows and add the semgrep-rules
// rows when the full corpus is beside the repository.
var codeFullFloors = map[string]codeFloor{
	"held-out|go|gosec":                 {0.93, 0.93},
	"held-out|go|semgrep-rules":         {0.95, 0.95},
	"held-out|python|semgrep-rules":     {0.95, 0.95},
	"held-out|javascript|semgrep-rules": {0.90, 0.90},
	"held-out|typescript|semgrep-rules": {0.87, 0.95},
	"build|go|gosec":                    {0.94, 0.87},
	"build|go|semgrep-rules":            {0.95, 0.97},
	"build|python|semgrep-rules":        {0.91, 0.97},
	"build|javascript|semgrep-rules":    {0.96, 0.96},
	"build|typescript|semgrep-rules":    {0.88, 0.88},
}

// codeFloorLines proposes floors for today's rows (SHIFTWARD_MEASURE=floors).
func (m *codeMeasure) codeFloorLines() string {
	var b strings.Builder
	for _, k := range sortedKeys(m.rows) {
		if strings.HasSuffix(k, "|all") {
			continue
		}
		r := *m.rows[k]
		r.fn++
		recall := r.recall()
		r.fn--
		r.fp++
		fmt.Fprintf(&b, "\t%q: {%.2f, %.2f},\n", k, codeFloorUnder(recall), codeFloorUnder(r.precision()))
	}
	return b.String()
}

// codeFloorUnder is x rounded down to two decimals and strictly below it (0 stays 0).
func codeFloorUnder(x float64) float64 {
	return max(0, math.Floor((x-0.001)*100)/100)
}

// TestCodeMeasure measures recall and precision per language and split,
// held-out first, on the CodeQL query tests (testdata/code-codeql), the
// semgrep-rules targets (full corpus only) and gosec's samples; it prints
// the table with -v (or SHIFTWARD_MEASURE=1) and fails when a row falls
// under its floor in codeFloors. Families the scanner has no rule for count
// as misses.
func TestCodeMeasure(t *testing.T) {
	s := newTestScanner(t)
	family := ruleFamilies(s)
	m := newCodeMeasure()
	ran := map[string]bool{"gosec": true}
	ran["codeql"] = measureCodeQL(t, s, family, m)
	ran["semgrep-rules"] = measureSemgrep(t, s, family, m)
	measureGosec(t, s, family, m)
	for _, n := range m.notes {
		t.Log(n)
	}
	if testing.Verbose() || os.Getenv("SHIFTWARD_MEASURE") == "1" {
		t.Log("\n" + m.render())
	}
	if os.Getenv("SHIFTWARD_MEASURE") == "floors" {
		t.Log("\n" + m.codeFloorLines())
	}
	if os.Getenv("CODE_MISSES") != "" {
		sort.Strings(m.miss)
		t.Log("\n" + strings.Join(m.miss, "\n"))
	}
	floors := map[string]codeFloor{}
	for k, f := range codeFloors {
		floors[k] = f
	}
	if scannertest.Data(t).Full {
		for k, f := range codeFullFloors {
			floors[k] = f
		}
	}
	for _, k := range sortedKeys(floors) {
		src := k[strings.LastIndex(k, "|")+1:]
		if !ran[src] {
			continue
		}
		f, r := floors[k], m.rows[k]
		if r == nil || r.tp+r.fn == 0 {
			t.Errorf("%s: no positive to measure", k)
			continue
		}
		if r.recall() < f.recall || r.precision() < f.precision {
			t.Errorf("%s: recall %.3f (floor %.2f), precision %.3f (floor %.2f)", k, r.recall(), f.recall, r.precision(), f.precision)
		}
	}
}
