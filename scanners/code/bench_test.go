package code_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// treeInputs reads up to limit bytes of files with the given extensions
// under root as wholly added files.
func treeInputs(b *testing.B, root string, exts []string, limit int) ([]*scanners.Input, int, int) {
	b.Helper()
	var ins []*scanners.Input
	total, nlines := 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return filepath.SkipAll
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		ok := false
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				ok = true
			}
		}
		if !ok {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 1<<20 {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		ls := lines(string(data))
		ins = append(ins, &scanners.Input{Path: filepath.ToSlash(rel), Added: ls, Content: data})
		total += len(data)
		nlines += len(ls)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if total == 0 {
		b.Skipf("no source under %s", root)
	}
	return ins, total, nlines
}

func benchScan(b *testing.B, ins []*scanners.Input, total, nlines int) {
	s, err := code.New()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range ins {
			if _, err := s.Scan(ctx, in); err != nil && !strings.Contains(err.Error(), "syntax error") {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(nlines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkScanGo measures the Go front-end and rules on 4 MB of Go's own
// standard library (real code, every line added).
func BenchmarkScanGo(b *testing.B) {
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	ins, total, n := treeInputs(b, filepath.Join(runtime.GOROOT(), "src"), []string{".go"}, 4<<20)
	benchScan(b, ins, total, n)
}

// BenchmarkScanPython and BenchmarkScanJavaScript measure the tree-sitter
// front-ends on the corpus's Python and JavaScript/TypeScript files
// (semgrep-rules' test targets: full corpus only, never copied).
func BenchmarkScanPython(b *testing.B) {
	ins, total, n := treeInputs(b, filepath.Join(scannertest.CorpusDir(b), "code", "semgrep-rules", "python"), []string{".py"}, 8<<20)
	benchScan(b, ins, total, n)
}

func BenchmarkScanJavaScript(b *testing.B) {
	ins, total, n := treeInputs(b, filepath.Join(scannertest.CorpusDir(b), "code", "semgrep-rules"),
		[]string{".js", ".jsx", ".ts", ".tsx"}, 8<<20)
	benchScan(b, ins, total, n)
}
