package secrets_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// diffInputs turns parsed diff files into scanner inputs holding only the
// added lines, as the core does.
func diffInputs(files []*diff.File) []*scanners.Input {
	var out []*scanners.Input
	for _, f := range files {
		if f.IsDelete || f.IsBinary {
			continue
		}
		in := &scanners.Input{Path: f.Path()}
		for _, l := range f.Added() {
			in.Added = append(in.Added, scanners.Line{Number: l.NewNumber, Text: l.Text})
		}
		out = append(out, in)
	}
	return out
}

// TestHistorySmall scans the patches of gitleaks' tiny test repository:
// the AWS key must be reported where a commit adds it and never where a
// commit removes it.
func TestHistorySmall(t *testing.T) {
	dir := scannertest.Data(t).Path("secrets", "gitleaks", "history-small")
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx struct {
		Patches []struct {
			File         string `json:"file"`
			SecretsAdded []struct {
				Path    string `json:"path"`
				NewLine int    `json:"new_line"`
				RuleID  string `json:"rule_id"`
			} `json:"secrets_added"`
		} `json:"patches"`
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Patches) != 8 {
		t.Fatalf("index lists %d patches, want 8", len(idx.Patches))
	}
	s := newScanner(t)
	for _, p := range idx.Patches {
		t.Run(filepath.Base(p.File), func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, filepath.Base(p.File)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			files, err := diff.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{}
			for _, a := range p.SecretsAdded {
				want = append(want, fmt.Sprintf("%s:%d secrets/%s", a.Path, a.NewLine, a.RuleID))
			}
			got := []string{}
			for _, in := range diffInputs(files) {
				added := map[int]bool{}
				for _, l := range in.Added {
					added[l.Number] = true
				}
				for _, fd := range scan(t, s, in) {
					if !added[fd.Location.StartLine] {
						t.Errorf("finding on a line that is not added: %s:%d %s", fd.Location.Path, fd.Location.StartLine, fd.RuleID)
					}
					if fd.RuleID == "secrets/aws-access-token" {
						got = append(got, fmt.Sprintf("%s:%d %s", fd.Location.Path, fd.Location.StartLine, fd.RuleID))
					}
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("aws-access-token findings (-want +got):\n%s", d)
			}
		})
	}
}
