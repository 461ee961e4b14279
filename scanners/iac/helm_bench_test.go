package iac_test

import (
	"context"
	"os"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// BenchmarkHelmChart is the cost of reviewing a chart's template through
// the chart: load, both renders, checks and mapping (a fresh Tree each
// time, so nothing is shared).
func BenchmarkHelmChart(b *testing.B) {
	for name, root := range map[string]string{
		"node-exporter": "../../testdata/helm/prometheus-node-exporter/",
		"shiftward":     "../../deploy/helm/shiftward/",
	} {
		b.Run(name, func(b *testing.B) {
			files := map[string][]byte{}
			for _, p := range listFilesB(b, root) {
				c, err := os.ReadFile(root + p)
				if err != nil {
					b.Fatal(err)
				}
				files["chart/"+p] = c
			}
			in := wholeFile("chart/templates/service.yaml", files["chart/templates/service.yaml"])
			s := iac.New()
			b.ReportAllocs()
			for b.Loop() {
				in.Tree = scanners.NewMemTree(files)
				if _, err := s.Scan(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
