package pipelines_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
)

// wholeInput is a file the change adds entirely.
func wholeInput(path string, src []byte) *scanners.Input {
	in := &scanners.Input{Path: path, Content: src, New: true}
	text := strings.TrimSuffix(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	for i, l := range strings.Split(text, "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

// scanWhole scans src as a file the change adds entirely, with r as the
// action resolver (nil for none).
func scanWhole(t testing.TB, path string, src []byte, r pipelines.ActionResolver) ([]scanners.Finding, error) {
	t.Helper()
	s := pipelines.New()
	if r != nil {
		s = pipelines.New(pipelines.WithResolver(r))
	}
	return s.Scan(context.Background(), wholeInput(path, src))
}
