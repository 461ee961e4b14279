package review_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
)

// ahead counts the files the aheadListing has handed over and the scanner has
// not yet finished: what the review holds in memory at once.
type ahead struct {
	mu           sync.Mutex
	listed, done int
	most         int
}

// aheadListing is a Source of n files of one large added line each; it notes
// each file handed over.
type aheadListing struct {
	*change
	a *ahead
}

func (l *aheadListing) Files(_ context.Context, yield func(*diff.File) error) ([]error, error) {
	for _, f := range l.files {
		if err := yield(f); err != nil {
			return nil, err
		}
		l.a.mu.Lock()
		l.a.listed++
		l.a.most = max(l.a.most, l.a.listed-l.a.done)
		l.a.mu.Unlock()
	}
	return nil, nil
}

// counter is a scanner that notes each file it finishes.
type counter struct{ a *ahead }

func (counter) Name() string      { return "counter" }
func (counter) Wants(string) bool { return true }
func (c counter) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	c.a.mu.Lock()
	c.a.done++
	c.a.mu.Unlock()
	return nil, nil
}

// TestRunBoundsTheBytesInFlight: the aheadListing waits while the files ahead of
// the scanner exceed Options.InFlightBytes, so a run of large files is not
// held all at once; a file over the whole bound still goes (alone).
func TestRunBoundsTheBytesInFlight(t *testing.T) {
	a := &ahead{}
	src := &aheadListing{change: &change{}, a: a}
	for i := range 12 {
		src.files = append(src.files, file(fmt.Sprintf("f%d.txt", i), map[int]string{1: strings.Repeat("x", 4<<10)}))
	}
	// Each file is over the bound: one at a time.
	out, err := review.Run(context.Background(), src, review.Options{
		Scanners: []scanners.Scanner{counter{a}}, Concurrency: 1, InFlightBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if out.Reviewed != 12 || a.done != 12 {
		t.Fatalf("reviewed %d files, scanned %d, want 12", out.Reviewed, a.done)
	}
	if a.most != 1 {
		t.Errorf("at most %d files were listed and not yet scanned, want 1 (each is over the bound)", a.most)
	}
}
