package code

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The OWASP Benchmarks are servlets (Java: OWASP-Benchmark/BenchmarkJava,
// GPL-2.0, 2,740 of them) and Flask handlers (Python: BenchmarkPython,
// GPL-3.0, 1,230), each labeled in expectedresults-*.csv as a real
// vulnerability of one category or a look-alike that is not one. They are
// not vendored (their licences and size): SHIFTWARD_OWASP_BENCHMARK names a
// directory holding clones or git mirrors of them (as owner+name/repo,
// the workplace's mirror layout, or name), and SHIFTWARD_APPS_DIR is
// looked in as for the real apps.
//
// Each project is one unit of the split (MEASURE.md), and both fall in the
// held-out part: no rule is written from their files, and this test prints
// figures per category, never a file.
type owaspBench struct {
	// unit is the upstream project, the unit of the split; app locates
	// and materializes the mirror, which may be a fork at another commit.
	unit     string
	app      realApp
	csv, dir string
	ext      string
}

var owaspBenches = []owaspBench{
	{unit: "OWASP-Benchmark/BenchmarkJava", csv: "expectedresults-1.2.csv", dir: "src/main/java/org/owasp/benchmark/testcode", ext: ".java",
		app: realApp{name: "BenchmarkJava", repo: "OWASP-Benchmark/BenchmarkJava", commit: "79b9bd6177e07991a9c11dc19e457c840e229931",
			under: []string{"expectedresults-1.2.csv", "src/main/java/org/owasp/benchmark/testcode/"}}},
	// OWASP's BenchmarkPython 0.1, as the pilot-iast fork holds it.
	{unit: "OWASP-Benchmark/BenchmarkPython", csv: "expectedresults-0.1.csv", dir: "testcode", ext: ".py",
		app: realApp{name: "BenchmarkPython", repo: "pilot-iast/BenchmarkPython", commit: "c403670b08226ecaff314e6a06ae5727021a842f",
			under: []string{"expectedresults-0.1.csv", "testcode/"}}},
}

// owaspCategories maps the Benchmarks' categories to our families; the
// trust-boundary category (request input stored in the session) has no
// rule and is left out.
var owaspCategories = map[string]string{
	"cmdi": "cmdi", "crypto": "weak-crypto", "hash": "weak-crypto", "ldapi": "ldapi", "pathtraver": "path-traversal",
	"securecookie": "cookie", "sqli": "sqli", "weakrand": "weak-random", "xpathi": "xpathi", "xss": "xss",
	"codeinj": "code-injection", "deserialization": "deserialization", "redirect": "open-redirect", "xxe": "xxe",
}

// TestOWASPBenchmark scores each Benchmark test case as one case: found
// when a finding of the category's family is in its file. It logs, per
// category, the true and false positive rates and the Benchmark's score
// (TPR - FPR); it has no floor (MEASURE.md records the figures).
func TestOWASPBenchmark(t *testing.T) {
	var roots []string
	for _, env := range []string{"SHIFTWARD_OWASP_BENCHMARK", "SHIFTWARD_APPS_DIR"} {
		if d := os.Getenv(env); d != "" {
			roots = append(roots, d)
		}
	}
	if len(roots) == 0 {
		t.Skip("the OWASP Benchmarks are not vendored: set SHIFTWARD_OWASP_BENCHMARK to a directory of their clones (MEASURE.md)")
	}
	s := newTestScanner(t)
	family := ruleFamilies(s)
	for _, b := range owaspBenches {
		t.Run(b.app.name, func(t *testing.T) {
			dir := ""
			for _, r := range roots {
				if dir = locateApp(r, b.app); dir != "" {
					break
				}
			}
			if dir == "" {
				t.Skipf("%s is not under %s", b.app.repo, strings.Join(roots, ", "))
			}
			if split := codeSplitOf(b.unit); split != codeSplitHeldOut {
				t.Fatalf("%s is in the %s split: it is measured as unseen code only", b.unit, split)
			}
			t.Log("\n" + scoreOWASPBench(t, s, family, b, materialize(t, dir, b.app)))
		})
	}
}

// scoreOWASPBench scans every labeled test case of b under files and
// returns the table by category.
func scoreOWASPBench(t *testing.T, s *Scanner, family map[string]string, b owaspBench, files string) string {
	f, err := os.Open(filepath.Join(files, b.csv))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byCat := map[string]*tally{}
	total := &tally{}
	for _, row := range rows {
		if len(row) < 3 {
			continue
		}
		name, cat, real := strings.TrimSpace(row[0]), strings.TrimSpace(row[1]), strings.TrimSpace(row[2]) == "true"
		fam, ok := owaspCategories[cat]
		if !ok {
			continue
		}
		rel := filepath.Join(filepath.FromSlash(b.dir), name+b.ext)
		src, err := os.ReadFile(filepath.Join(files, rel))
		if err != nil {
			t.Fatal(err)
		}
		fs, _, err := s.scan(context.Background(), filepath.ToSlash(rel), src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		hit := false
		for _, f := range fs {
			if family[f.RuleID] == fam {
				hit = true
				break
			}
		}
		if byCat[cat] == nil {
			byCat[cat] = &tally{}
		}
		byCat[cat].count(real, hit)
		total.count(real, hit)
	}
	if total.tp+total.fn == 0 {
		t.Fatal("no labeled test case was scanned")
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var out strings.Builder
	fmt.Fprintf(&out, "%-16s %6s %6s %6s %6s  %5s %5s %6s %5s\n", b.unit[strings.Index(b.unit, "/")+1:], "tp", "fn", "fp", "tn", "TPR", "FPR", "score", "prec")
	line := func(name string, c *tally) {
		fpr := 0.0
		if c.fp+c.tn > 0 {
			fpr = float64(c.fp) / float64(c.fp+c.tn)
		}
		fmt.Fprintf(&out, "%-16s %6d %6d %6d %6d  %5.3f %5.3f %6.3f %5.3f\n", name, c.tp, c.fn, c.fp, c.tn, c.recall(), fpr, c.recall()-fpr, c.precision())
	}
	for _, c := range cats {
		line(c, byCat[c])
	}
	line("all", total)
	return out.String()
}
