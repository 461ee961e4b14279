package code

import (
	"github.com/shiftward/shiftward/scanners"

	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChainWalkMatchesRecursion walks every chain of the fixtures and the
// corpus iteratively (chainMin 2), else-if ladders with arms that skip
// empty arms (flatArms), keeping only the sites a rule could match
// (filterSites), and compares every finding (rule, location, message,
// evidence, fix, input line) with a walk that recurses along every chain,
// nests every arm and keeps every site: those must change nothing but the
// stack, time and memory the walk needs.
func TestChainWalkMatchesRecursion(t *testing.T) {
	s := newTestScanner(t)
	saved, savedFlat, savedFilter := chainMin, flatArms, filterSites
	t.Cleanup(func() { chainMin, flatArms, filterSites = saved, savedFlat, savedFilter })
	scan := func(file string, src []byte, min int) []scanners.Finding {
		chainMin, flatArms, filterSites = min, min < 1<<30, min < 1<<30
		hits, _, err := s.scan(context.Background(), file, src)
		if err != nil {
			t.Fatalf("%s (chainMin %d): %v", file, min, err)
		}
		return hits
	}
	files, chains := 0, 0
	for _, file := range fixInputs(t) {
		if languageOf(file) == "" {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		files++
		rec, it := scan(file, src, 1<<30), scan(file, src, 2)
		if diff := cmp.Diff(rec, it); diff != "" {
			t.Errorf("%s: iterative chains change the findings (-recursive +iterative):\n%s", file, diff)
		}
		if len(rec) > 0 {
			chains++
		}
	}
	t.Logf("compared %d files (%d with findings)", files, chains)
	if want := enough(t, 900, 55); files < want || chains == 0 {
		t.Fatalf("compared %d files (%d with findings); want at least %d", files, chains, want)
	}
}
