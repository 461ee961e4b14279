package pipelines_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
)

// FuzzScan feeds arbitrary files to every kind of pipeline path: the
// scanner must not panic, and every finding and fix must lie in the file.
func FuzzScan(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yml")
	more, _ := filepath.Glob("testdata/*/*/*.yml")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, uint8(0))
		}
	}
	f.Add([]byte("on: push\njobs:\n  a:\n    steps:\n      - run: ${{ github.event.issue.title }}\n"), uint8(0))
	f.Add([]byte("a: &x\n  b: *x\n"), uint8(2))
	paths := []string{".github/workflows/f.yml", "action.yml", ".gitlab-ci.yml"}
	s := pipelines.New(pipelines.WithResolver(&fakeResolver{}))
	f.Fuzz(func(t *testing.T, src []byte, kind uint8) {
		p := paths[int(kind)%len(paths)]
		in := wholeInput(p, src)
		fs, err := s.Scan(context.Background(), in)
		if err != nil {
			return
		}
		n := len(in.Added)
		for _, x := range fs {
			if x.Location.StartLine < 1 || x.Location.EndLine > n {
				t.Fatalf("finding outside the file: %+v", x.Location)
			}
			if x.Fix != nil && (x.Fix.StartLine < 1 || x.Fix.EndLine > n || x.Fix.EndLine < x.Fix.StartLine) {
				t.Fatalf("fix outside the file: %+v", x.Fix)
			}
		}
		_ = scanners.Max(fs)
	})
}
