package code_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
)

// TestScanHonoursCancellation: a cancelled job stops tree-sitter parses
// with the context's error, and contexts ending around parses that have
// just finished leave nothing behind to crash on (the library's own
// ParseCtx did, under -race).
func TestScanHonoursCancellation(t *testing.T) {
	s, err := code.New()
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Repeat("import os\nos.system(user)\n", 20000)
	in := &scanners.Input{Path: "big.py", Content: []byte(src), New: true}
	for i := range 2 {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: "x"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Scan(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan with a cancelled context: %v, want context.Canceled", err)
	}
	small := &scanners.Input{Path: "a.js", Content: []byte("eval(req.query.x)\n"), New: true, Added: []scanners.Line{{Number: 1, Text: "eval(req.query.x)"}}}
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			go cancel()
			_, _ = s.Scan(ctx, small)
		}()
	}
	wg.Wait()
}
