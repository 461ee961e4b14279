// Package scannertest holds test support shared across shiftward's
// packages: the labeled third-party test data, found either as the full
// corpus beside the repository (../shared/corpus, on developers' machines)
// or as the small, permissively licensed subset committed in the
// repository's top-level testdata/ (any fresh clone).
package scannertest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Corpus is where a test reads its labeled data. Both places share one
// layout (webhooks/, secrets/, iac/, osv/, code/, api/ ...), and each
// index.json below testdata/ lists only the cases copied there, so a test
// walks either the same way.
type Corpus struct {
	// Dir is the root: ../shared/corpus when present, else testdata/.
	Dir string
	// Full is true for the full corpus. The testdata subset is a
	// deterministic sample (not chosen by whether shiftward passes it), so
	// figures measured on it are smaller-sample figures of the same thing.
	Full bool
}

// Path joins rel below the corpus root.
func (c Corpus) Path(rel ...string) string {
	return filepath.Join(append([]string{c.Dir}, rel...)...)
}

// Data returns the full corpus when it is beside the repository, else the
// committed subset in testdata/. It never skips: every clone has testdata/.
func Data(tb testing.TB) Corpus {
	tb.Helper()
	root := RepoRoot(tb)
	full := filepath.Join(root, "..", "shared", "corpus")
	if _, err := os.Stat(full); err == nil {
		return Corpus{Dir: full, Full: true}
	}
	return Corpus{Dir: filepath.Join(root, "testdata")}
}

// Fixtures returns the repository's own testdata/ whatever else exists, for
// tests that must see exactly what a fresh clone sees.
func Fixtures(tb testing.TB) Corpus {
	tb.Helper()
	return Corpus{Dir: filepath.Join(RepoRoot(tb), "testdata")}
}

// RepoRoot is the directory holding go.mod, found upwards from the test's
// working directory (its package directory).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for ; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if dir == filepath.Dir(dir) {
			tb.Fatal("scannertest: no go.mod above the test's directory")
		}
	}
}

// CorpusDir returns the full corpus directory, for material that is not in
// testdata/: licence-restricted files (semgrep-rules may not be copied) and
// collections too large to commit. Without it the test is skipped with a
// one-line reason. Prefer Data where the subset serves.
func CorpusDir(tb testing.TB) string {
	tb.Helper()
	c := Data(tb)
	if !c.Full {
		tb.Skipf("full corpus not at %s (licence-restricted or too large to copy; testdata/ holds the subset)",
			filepath.Join(RepoRoot(tb), "..", "shared", "corpus"))
	}
	return c.Dir
}

// ReadCorpus reads a file of the full corpus named by its path below the
// corpus root, skipping the test without it (see CorpusDir).
func ReadCorpus(tb testing.TB, rel ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{CorpusDir(tb)}, rel...)...))
	if err != nil {
		tb.Fatalf("scannertest: %v", err)
	}
	return b
}

// Read reads a file below Data's root: the full corpus or the subset.
func (c Corpus) Read(tb testing.TB, rel ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(c.Path(rel...))
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
