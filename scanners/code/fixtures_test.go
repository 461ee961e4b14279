package code

import (
	"github.com/shiftward/shiftward/scanners"

	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// annotation marks the next non-comment line: "// ruleid: <family>" must be
// reported by a rule of that family, "// ok: <family>" must not.
var annotation = regexp.MustCompile(`(?:#|//)\s*(ruleid|ok):\s*([a-z-]+)\s*$`)

type expectation struct {
	line     int
	positive bool
	family   string
}

// readAnnotations reads the expectations of a fixture file.
func readAnnotations(t *testing.T, src []byte) []expectation {
	t.Helper()
	var out []expectation
	var pending []expectation
	sc := bufio.NewScanner(bytes.NewReader(src))
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if m := annotation.FindStringSubmatch(text); m != nil {
			pending = append(pending, expectation{positive: m[1] == "ruleid", family: m[2]})
			continue
		}
		for _, p := range pending {
			p.line = n
			out = append(out, p)
		}
		pending = nil
	}
	return out
}

// scanFile reads and scans a file; an error reading or scanning it fails
// the test.
func scanFile(t *testing.T, s *Scanner, file string) ([]byte, []scanners.Finding, []int) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	hits, errLines, err := s.scan(context.Background(), file, src)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return src, hits, errLines
}

// TestFixtures checks the hand-written fixtures in testdata/<lang>/: Java has
// no third-party corpus, so its recall and precision are measured here; the
// other languages' fixtures pin behaviour the corpus does not show (aliases,
// comments, strings, sanitizers).
func TestFixtures(t *testing.T) {
	s := newTestScanner(t)
	family := ruleFamilies(s)
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	per := tallies{}
	for _, file := range files {
		lang := languageOf(file)
		if lang == "" {
			continue
		}
		src, hits, errLines := scanFile(t, s, file)
		if len(errLines) > 0 {
			t.Errorf("%s: syntax errors at %v", file, errLines)
		}
		tl := per.of(lang)
		for _, e := range readAnnotations(t, src) {
			hit := false
			for _, h := range hits {
				if family[h.RuleID] == e.family && h.Location.StartLine <= e.line && e.line <= h.Location.EndLine {
					hit = true
				}
			}
			switch tl.count(e.positive, hit) {
			case "FN":
				t.Errorf("%s:%d: want a %s finding, got none", file, e.line, e.family)
			case "FP":
				t.Errorf("%s:%d: want no %s finding, got one", file, e.line, e.family)
			}
		}
	}
	for _, l := range sortedKeys(per) {
		t.Logf("fixtures %-10s %s", l, per[l])
	}
	if per["java"] == nil || per["java"].tp == 0 {
		t.Error("no Java fixtures were checked")
	}
}
