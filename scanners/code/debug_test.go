package code

import (
	"context"
	"os"
	"testing"
)

// TestDebugFile prints the findings for CODE_FILE (a development aid).
func TestDebugFile(t *testing.T) {
	p := os.Getenv("CODE_FILE")
	if p == "" {
		t.Skip("set CODE_FILE")
	}
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fs, errs, err := newTestScanner(t).scanSource(context.Background(), p, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("syntax errors at %v", errs)
	for _, f := range fs {
		t.Logf("%d-%d %s %s: %s", f.Location.StartLine, f.Location.EndLine, f.RuleID, f.Severity, f.Message)
	}
}

func TestDebugSites(t *testing.T) {
	p := os.Getenv("CODE_FILE")
	if p == "" {
		t.Skip("set CODE_FILE")
	}
	src, _ := os.ReadFile(p)
	u, _, err := parse(context.Background(), languageOf(p), p, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range u.sites {
		t.Logf("%d kind=%d name=%q container=%q target=%q args=%+v val=%+v", s.line, s.kind, s.name, s.container, s.target, s.args, s.val)
	}
}
