// Package reporttest validates reports against the formats' published JSON
// schemas in tests: SARIF 2.1.0 (OASIS) and GitLab's security report
// schemas. The schema files are third-party documents, not committed (see
// testdata/report-schemas/README.md): they are read from
// testdata/report-schemas/ when restored there, else from the shared
// corpus (../shared/corpus/report-schemas/), and a test without either
// skips with a one-line reason. No network is used.
package reporttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema file names below the schema directory.
const (
	SARIFFile = "sarif-schema-2.1.0.json"
	// GitLabDir holds one directory per schema version.
	GitLabDir = "gitlab"
)

// Schemas validates documents against the compiled schemas.
type Schemas struct {
	dir string

	mu       sync.Mutex
	compiled map[string]*jsonschema.Schema
}

// Load finds the schema directory, or skips tb when there is none.
func Load(tb testing.TB) *Schemas {
	tb.Helper()
	dir, err := Dir()
	if err != nil {
		tb.Skipf("report schemas: %v", err)
	}
	return &Schemas{dir: dir, compiled: map[string]*jsonschema.Schema{}}
}

// Dir is the first schema directory that holds the SARIF schema:
// testdata/report-schemas at the module root, then the shared corpus's.
func Dir() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	candidates := []string{
		filepath.Join(root, "testdata", "report-schemas"),
		filepath.Join(root, "..", "shared", "corpus", "report-schemas"),
	}
	for _, d := range candidates {
		if _, err := os.Stat(filepath.Join(d, SARIFFile)); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("not restored in testdata/report-schemas nor in ../shared/corpus/report-schemas (see testdata/report-schemas/README.md)")
}

// moduleRoot is the directory of the go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// SARIF validates a SARIF log against the SARIF 2.1.0 schema.
func (s *Schemas) SARIF(doc []byte) error {
	return s.validate(SARIFFile, doc)
}

// GitLab validates a GitLab security report against the schema of its
// version; file is the schema's name ("sast-report-format.json").
func (s *Schemas) GitLab(version, file string, doc []byte) error {
	return s.validate(filepath.Join(GitLabDir, version, file), doc)
}

func (s *Schemas) validate(rel string, doc []byte) error {
	sch, err := s.schema(rel)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}

// schema compiles the schema file rel once. Formats are asserted (a
// "uri" that is no URI fails), which the drafts leave optional.
func (s *Schemas) schema(rel string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[rel]; ok {
		return sch, nil
	}
	path := filepath.Join(s.dir, rel)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	// Loaded under a local name: the schema's own id is a URL, and no
	// reference may be fetched.
	url := "file:///report-schemas/" + filepath.ToSlash(rel)
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	s.compiled[rel] = sch
	return sch, nil
}
