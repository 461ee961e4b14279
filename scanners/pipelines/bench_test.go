package pipelines_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
)

// BenchmarkChange200Files scans one change that adds 200 workflow and CI
// files (the fixtures, repeated), with a resolver that answers at once.
func BenchmarkChange200Files(b *testing.B) {
	fx := fixtures(&testing.T{})
	var ins []*scanners.Input
	for i := 0; len(ins) < 200; i++ {
		f := fx[i%len(fx)]
		p := f.scanPath
		if i >= len(fx) {
			p = fmt.Sprintf("%s.%d.yml", p, i) // distinct paths, same kinds
			if f.scanPath[:2] == ".g" {
				p = fmt.Sprintf(".github/workflows/w%d.yml", i)
			}
		}
		ins = append(ins, wholeInput(p, f.src))
	}
	total := 0
	for _, in := range ins {
		total += len(in.Content)
	}
	s := pipelines.New(pipelines.WithResolver(&fakeResolver{}))
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.ScanBatch(context.Background(), ins); err != nil {
			b.Fatal(err)
		}
	}
	_ = os.Stdout
}
