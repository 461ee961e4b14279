package secrets_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// goSourceInputs reads up to limit bytes of Go's own source as wholly
// added files: real code, dense in identifiers like key, token and auth.
func goSourceInputs(b *testing.B, limit int) ([]*scanners.Input, int) {
	b.Helper()
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	root := filepath.Join(runtime.GOROOT(), "src")
	var ins []*scanners.Input
	total := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return filepath.SkipAll
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		ins = append(ins, textInput(filepath.ToSlash(rel), string(data)))
		total += len(data)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if total == 0 {
		b.Skip("no Go source found under GOROOT")
	}
	return ins, total
}

// BenchmarkScan measures the scanner alone (no diff parsing) on 8 MB of
// Go source; the MB/s figure is the engine's single-threaded throughput.
func BenchmarkScan(b *testing.B) {
	ins, total := goSourceInputs(b, 8<<20)
	s := newScanner(b)
	ctx := context.Background()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		for _, in := range ins {
			if _, err := s.Scan(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompileRules measures compiling gitleaks' and shiftward's
// rules, as a repository .gitleaks.toml that extends the defaults costs
// (DefaultConfig itself is compiled once per process).
func BenchmarkCompileRules(b *testing.B) {
	for b.Loop() {
		if _, err := secrets.ParseGitleaksConfig([]byte("[extend]\nuseDefault = true\n")); err != nil {
			b.Fatal(err)
		}
	}
}
