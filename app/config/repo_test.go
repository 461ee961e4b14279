package config_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
)

// wants reads the "# want: L:C message" and "# schema: accepts" header lines
// of an invalid example.
func wants(t *testing.T, data []byte) (want string, schemaAccepts bool) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if w, ok := strings.CutPrefix(line, "# want: "); ok {
			want = w
		}
		if line == "# schema: accepts" {
			schemaAccepts = true
		}
	}
	if want == "" {
		t.Fatal("no # want: line")
	}
	return want, schemaAccepts
}

func examples(t *testing.T, kind string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", kind, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples in testdata/%s: %v", kind, err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

func TestParseSettingsValidExamples(t *testing.T) {
	for name, data := range examples(t, "valid") {
		t.Run(name, func(t *testing.T) {
			_, probs := config.ParseSettings(config.RepoFile, data)
			for _, p := range probs {
				t.Errorf("unexpected problem: %s", p)
			}
		})
	}
}

func TestParseSettingsInvalidExamples(t *testing.T) {
	for name, data := range examples(t, "invalid") {
		t.Run(name, func(t *testing.T) {
			want, _ := wants(t, data)
			cfg, probs := config.ParseSettings(config.RepoFile, data)
			if cfg == nil {
				t.Fatal("ParseSettings returned no config")
			}
			if len(probs) != 1 {
				t.Fatalf("got %d problems %v, want exactly one: %s", len(probs), probs, want)
			}
			got := fmt.Sprintf("%d:%d %s", probs[0].Line, probs[0].Column, probs[0].Message)
			if !strings.HasPrefix(got, want) {
				t.Errorf("problem\n got  %s\n want %s", got, want)
			}
			if probs[0].File != config.RepoFile {
				t.Errorf("problem file = %q, want %q", probs[0].File, config.RepoFile)
			}
		})
	}
}
