package deps_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
)

// everythingSource says every package is affected below 99999.0.0, so the
// fuzzer reaches finding and fix construction for whatever it parses.
type everythingSource struct{}

func (everythingSource) Query(_ context.Context, pkgs []deps.Package) ([][]deps.Vuln, error) {
	out := make([][]deps.Vuln, len(pkgs))
	for i, p := range pkgs {
		out[i] = []deps.Vuln{{
			ID: "FUZZ-1", Summary: "fuzz", Severity: []deps.Severity{{Type: "CVSS_V3", Score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
			Affected: []deps.Affected{{Package: deps.AffectedPackage{Ecosystem: p.Ecosystem, Name: p.Name},
				Ranges: []deps.Range{{Type: "ECOSYSTEM", Events: []deps.Event{{Introduced: "0"}, {Fixed: "99999.0.0"}}}}}},
		}}
	}
	return out, nil
}

var fuzzPaths = []string{"go.mod", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt", "poetry.lock", "Pipfile.lock", "uv.lock", "pom.xml", "Cargo.lock", "Gemfile.lock", "composer.lock"}

// FuzzScan: no input makes the scanner panic, and every finding lies on an
// added line with a fix that stays on its line.
func FuzzScan(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if b, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil {
			for i := range fuzzPaths {
				f.Add(uint8(i), b, uint8(0))
			}
		}
	}
	f.Add(uint8(0), []byte("module x\nrequire a.b/c v1.0.0\n"), uint8(1))
	f.Add(uint8(1), []byte(`{"dependencies":{"a":"^1.0.0"}}`), uint8(0))
	f.Add(uint8(2), []byte(`{"lockfileVersion":1,"dependencies":{"a":{"version":"npm:b@1.0.0","dependencies":{"c":{"version":"1.0.0"}}}}}`), uint8(0))
	f.Add(uint8(9), []byte(`<project><properties><v>1.0</v></properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version></dependency></dependencies></project>`), uint8(0))
	s := deps.New(everythingSource{})
	f.Fuzz(func(t *testing.T, which uint8, content []byte, skip uint8) {
		p := fuzzPaths[int(which)%len(fuzzPaths)]
		lines := strings.Split(string(content), "\n")
		in := &scanners.Input{Path: p, Content: content}
		for i, l := range lines {
			if skip == 0 || i%int(skip+1) != 0 {
				in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
			}
		}
		added := map[int]bool{}
		for _, l := range in.Added {
			added[l.Number] = true
		}
		fs, _ := scoped(context.Background(), s, []*scanners.Input{in})
		for _, fd := range fs {
			// A package the change did not touch is reported apart, at its
			// own line (Preexisting), which need not be added.
			if !fd.Preexisting && !added[fd.Location.StartLine] {
				t.Fatalf("finding on line %d, which is not added", fd.Location.StartLine)
			}
			if fd.Fix != nil && (fd.Fix.StartLine != fd.Location.StartLine || strings.Contains(fd.Fix.Replacement, "\n")) {
				t.Fatalf("fix %+v off its line %d", fd.Fix, fd.Location.StartLine)
			}
		}
	})
}
