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

// CorpusDir returns the corpus directory. Without it the test is skipped,
// except in CI (CI=true), where a missing corpus would silently skip the
// quality and end-to-end tests, so it fails instead.
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
		if os.Getenv("CI") == "true" {
			tb.Fatalf("scannertest: corpus missing at %s: %v", corpus, err)
		}
		tb.Skipf("corpus not available at %s", corpus)
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
