package scanners_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// slow takes its time per file, honouring ctx.
type slow struct{ per time.Duration }

func (slow) Name() string      { return "slow" }
func (slow) Wants(string) bool { return true }
func (s slow) Scan(ctx context.Context, _ *scanners.Input) ([]scanners.Finding, error) {
	select {
	case <-time.After(s.per):
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func TestWithBudgetMakesTheChangeIncomplete(t *testing.T) {
	var inputs []*scanners.Input
	for _, p := range []string{"a", "b", "c", "d"} {
		inputs = append(inputs, &scanners.Input{Path: p})
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{scanners.WithBudget(slow{per: 30 * time.Millisecond}, 50*time.Millisecond)}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Statuses[0]
	if !res.Incomplete() || len(st.Errors) < 2 || !strings.Contains(st.Errors[len(st.Errors)-1].Error(), "over its scan budget of 50ms") {
		t.Errorf("status %+v: want the files past the budget failed, naming it", st)
	}
	fast, err := scanners.Run(context.Background(), []scanners.Scanner{scanners.WithBudget(slow{}, time.Minute)}, inputs)
	if err != nil || fast.Incomplete() {
		t.Errorf("within budget: %v, incomplete %v", err, fast.Incomplete())
	}
}

// contentBatch is a content and batch scanner that records its calls.
type contentBatch struct {
	slow
	batches int
}

func (*contentBatch) NeedsContent(string) bool { return true }
func (c *contentBatch) ScanBatch(context.Context, []*scanners.Input) ([]scanners.Finding, error) {
	c.batches++
	return nil, nil
}

func TestWithBudgetKeepsWhatTheScannerCanDo(t *testing.T) {
	cb := &contentBatch{}
	wrapped := scanners.WithBudget(cb, time.Minute)
	if !scanners.NeedsContent([]scanners.Scanner{wrapped}, "a.py") {
		t.Error("a wrapped content scanner no longer asks for whole files")
	}
	if _, err := scanners.Run(context.Background(), []scanners.Scanner{wrapped}, []*scanners.Input{{Path: "a"}, {Path: "b"}}); err != nil || cb.batches != 1 {
		t.Errorf("batches %d, err %v: a wrapped batch scanner must still see the change at once", cb.batches, err)
	}
	if scanners.NeedsContent([]scanners.Scanner{scanners.WithBudget(slow{}, time.Minute)}, "a.py") {
		t.Error("a wrapped plain scanner asks for whole files")
	}
}
