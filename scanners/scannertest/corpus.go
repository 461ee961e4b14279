// Package scannertest holds test support shared across shiftward's
// packages: finding the third-party test corpus that lives beside the
// repository (../shared/corpus), as on developers' machines and in CI.
package scannertest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir returns the corpus directory. Without it the test is skipped
// with a one-line reason: the corpus holds material whose licence does not
// allow copying it into the repository, and a fresh clone must pass
// without it. What every clone needs is in the packages' testdata.
func CorpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if dir == filepath.Dir(dir) {
			tb.Fatal("scannertest: no go.mod above the test's directory")
		}
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		tb.Skipf("corpus not available at %s (licence-restricted material; the testdata cases ran)", corpus)
	}
	return corpus
}

// ReadCorpus reads a corpus file named by its path below the corpus root.
func ReadCorpus(tb testing.TB, rel ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{CorpusDir(tb)}, rel...)...))
	if err != nil {
		tb.Fatalf("scannertest: %v", err)
	}
	return b
}

// ReadJSON decodes the JSON file at path (an index of the corpus) into v.
func ReadJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("scannertest: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("scannertest: %s: %v", path, err)
	}
}
