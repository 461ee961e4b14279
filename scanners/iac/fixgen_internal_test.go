package iac

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestFixGeneratorsHold measures the fix generators before the scanner's
// own check filters them: of every fix proposed on the corpus, how many
// hold (the file still parses and the finding is gone). The scanner drops
// the rest, so a low figure means lost suggestions, not broken ones. The
// corpus is the full one, or the subset in testdata/.
func TestFixGeneratorsHold(t *testing.T) {
	corpus := scannertest.Data(t).Dir
	type count struct{ proposed, held int }
	perRule := map[string]*count{}
	total := count{}
	err := filepath.WalkDir(filepath.Join(corpus, "iac"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		k := kindOf(p)
		if k == kindNone || filepath.Ext(p) == ".json" {
			return nil
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		hits, err := analyze(context.Background(), k, p, content, nil, false, dataChecks(), nil)
		if err != nil {
			return nil // files that do not parse are covered elsewhere
		}
		for i := range hits {
			h := &hits[i]
			if h.fix == nil {
				continue
			}
			c := perRule[h.rule.ID]
			if c == nil {
				c = &count{}
				perRule[h.rule.ID] = c
			}
			c.proposed++
			total.proposed++
			if fixHolds(k, p, content, hits, h, nil, dataChecks(), nil) {
				c.held++
				total.held++
			} else if total.proposed-total.held <= 12 {
				t.Logf("does not hold: %s %s line %d", filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), h.rule.ID, h.fix.StartLine)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(perRule))
	for id := range perRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Logf("%-32s %4d/%4d fixes hold", id, perRule[id].held, perRule[id].proposed)
	}
	rate := float64(total.held) / float64(max(total.proposed, 1))
	t.Logf("all rules: %d/%d proposed fixes hold (%.3f)", total.held, total.proposed, rate)
	if total.proposed == 0 || rate < 0.97 {
		t.Errorf("only %.3f of proposed fixes hold; want at least 0.97", rate)
	}
}
