package deps_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// memSource is an in-memory advisory source over OSV records, matching
// with deps.Affects as the offline source does. It counts Query calls.
type memSource struct {
	byPkg   map[string][]deps.Vuln // ecosystem + "\x00" + normalized name
	queries atomic.Int64
	pkgs    atomic.Int64
	err     error
}

func pkgKey(eco, name string) string { return eco + "\x00" + deps.NormalizeName(eco, name) }

func newMemSource(vulns ...deps.Vuln) *memSource {
	s := &memSource{byPkg: map[string][]deps.Vuln{}}
	for _, v := range vulns {
		seen := map[string]bool{}
		for _, a := range v.Affected {
			k := pkgKey(a.Package.Ecosystem, a.Package.Name)
			if !seen[k] {
				seen[k] = true
				s.byPkg[k] = append(s.byPkg[k], v)
			}
		}
	}
	return s
}

func (s *memSource) Query(_ context.Context, pkgs []deps.Package) ([][]deps.Vuln, error) {
	s.queries.Add(1)
	s.pkgs.Add(int64(len(pkgs)))
	if s.err != nil {
		return nil, s.err
	}
	out := make([][]deps.Vuln, len(pkgs))
	for i, p := range pkgs {
		for _, v := range s.byPkg[pkgKey(p.Ecosystem, p.Name)] {
			if ok, _ := deps.Affects(&v, p); ok {
				out[i] = append(out[i], v)
			}
		}
	}
	return out, nil
}

var (
	corpusOnce  sync.Once
	corpusVulns []deps.Vuln
	corpusErr   error
)

// corpusAdvisories loads the corpus's OSV records: the full corpus's, or
// the sample in testdata/ (see testdata/osv/README.md).
func corpusAdvisories(t testing.TB) []deps.Vuln {
	t.Helper()
	dir := scannertest.Data(t).Path("osv", "advisories")
	corpusOnce.Do(func() {
		corpusErr = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || filepath.Base(p) == "index.json" {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var v deps.Vuln
			if err := json.Unmarshal(b, &v); err != nil {
				return errors.New(p + ": " + err.Error())
			}
			corpusVulns = append(corpusVulns, v)
			return nil
		})
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusVulns
}

// wholeFile is an input whose every line the change adds.
func wholeFile(path string, content []byte) *scanners.Input {
	in := &scanners.Input{Path: path, Content: content}
	for i, l := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: strings.TrimSuffix(l, "\r")})
	}
	return in
}

// scoped is s.ScanBatch as scanners.Run returns it: scoped, the findings
// the change did not introduce marked Preexisting.
func scoped(ctx context.Context, s *deps.Scanner, ins []*scanners.Input) ([]scanners.Finding, error) {
	fs, err := s.ScanBatch(ctx, ins)
	fs, _ = scanners.Scope(fs, ins)
	return fs, err
}

// withAdded is an input whose given lines the change adds.
func withAdded(path string, content []byte, lines ...int) *scanners.Input {
	all := strings.Split(string(content), "\n")
	in := &scanners.Input{Path: path, Content: content}
	for _, n := range lines {
		in.Added = append(in.Added, scanners.Line{Number: n, Text: all[n-1]})
	}
	return in
}

// readCorpus reads a file below the corpus's osv/lockfiles (every file
// these tests read is in testdata/ too).
func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	return scannertest.Data(t).Read(t, append([]string{"osv", "lockfiles"}, strings.Split(rel, "/")...)...)
}
