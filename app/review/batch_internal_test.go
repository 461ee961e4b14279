package review

import (
	"context"
	"errors"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// batchOnly is a batch scanner that wants every file.
type batchOnly struct{}

func (batchOnly) Name() string                                                      { return "batch" }
func (batchOnly) Wants(string) bool                                                 { return true }
func (batchOnly) Scan(context.Context, *scanners.Input) ([]scanners.Finding, error) { return nil, nil }
func (batchOnly) ScanBatch(context.Context, []*scanners.Input) ([]scanners.Finding, error) {
	return nil, nil
}

// TestCollectorIsBounded: a whole-repository scan may meet hundreds of
// lockfiles; the batch scanner's stand-in holds at most its budget of
// them, and each file past it is reported not scanned, by name.
func TestCollectorIsBounded(t *testing.T) {
	c := &collector{b: batchOnly{}, budget: 100}
	in := func(path string, n int) *scanners.Input {
		return &scanners.Input{Path: path, Content: make([]byte, n), Added: []scanners.Line{{Number: 1, Text: string(make([]byte, n))}}}
	}
	for _, x := range []*scanners.Input{in("a.lock", 30), in("b.lock", 30), in("c.lock", 10)} {
		if _, err := c.Scan(t.Context(), x); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.inputs) != 2 || c.inputs[0].Path != "a.lock" || c.inputs[1].Path != "c.lock" {
		t.Errorf("kept %d inputs, want a.lock (60 bytes) and c.lock (20): b.lock would pass the budget of 100", len(c.inputs))
	}
	if len(c.dropped) != 1 || !errors.Is(c.dropped[0], scanners.ErrBound) {
		t.Fatalf("dropped = %v, want b.lock's bound error", c.dropped)
	}
	if p, _ := scanners.ErrorPath(c.dropped[0]); p != "b.lock" {
		t.Errorf("dropped names %q, want b.lock", p)
	}
}
