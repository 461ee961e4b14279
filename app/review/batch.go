package review

import (
	"context"
	"slices"
	"sync"

	"github.com/shiftward/shiftward/scanners"
)

// withCollectors returns list with each batch scanner (one that sees a
// change at once) replaced by a collector that keeps its inputs while the
// listing streams, and those collectors.
func withCollectors(list []scanners.Scanner) ([]scanners.Scanner, []*collector) {
	perFile := slices.Clone(list)
	var batches []*collector
	for i, s := range list {
		if b, ok := s.(scanners.BatchScanner); ok {
			c := &collector{b: b, index: i, budget: MaxBatchBytes}
			perFile[i] = c
			batches = append(batches, c)
		}
	}
	return perFile, batches
}

// runBatches runs each batch scanner over the inputs its collector kept
// and adds what it found to st.
func (st *scanned) runBatches(ctx context.Context, batches []*collector) error {
	for _, c := range batches {
		res, err := scanners.Run(ctx, []scanners.Scanner{c.b}, c.inputs)
		if err != nil {
			return err
		}
		s := &st.res.Statuses[c.index]
		s.Findings += res.Statuses[0].Findings
		s.Duration += res.Statuses[0].Duration
		s.Cut += res.Statuses[0].Cut
		s.Errors = append(s.Errors, res.Statuses[0].Errors...)
		s.Errors = append(s.Errors, c.dropped...)
		st.res.Findings = append(st.res.Findings, res.Findings...)
		for _, in := range c.inputs {
			if slices.ContainsFunc(res.Findings, func(f scanners.Finding) bool { return f.Location.Path == in.Path }) {
				st.added[in.Path] = directiveLines(in.Added)
			}
		}
	}
	return nil
}

// collector stands in for a batch scanner while the listing streams: it
// keeps the inputs the scanner wants (whole files read for it) for one
// batch at the end, up to budget bytes of them; the files past it are
// reported not scanned.
type collector struct {
	// b is a field, not embedded: the collector must not itself be a
	// BatchScanner, or Run would hand it the file batch.
	b      scanners.BatchScanner
	index  int
	budget int
	mu     sync.Mutex
	used   int
	inputs []*scanners.Input
	// dropped are the files not kept, past budget.
	dropped []error
}

func (c *collector) Name() string           { return c.b.Name() }
func (c *collector) Wants(path string) bool { return c.b.Wants(path) }

func (c *collector) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	size := len(in.Content)
	for _, l := range in.Added {
		size += len(l.Text)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used+size > c.budget {
		c.dropped = append(c.dropped, &scanners.FileError{Path: in.Path, Err: &scanners.BoundError{
			What: "bytes of files held for one " + c.b.Name() + " batch", Limit: int64(c.budget)}})
		return nil, nil
	}
	c.used += size
	c.inputs = append(c.inputs, in)
	return nil, nil
}

// NeedsContent passes through, so whole files are read for the scanner.
func (c *collector) NeedsContent(path string) bool {
	cs, ok := c.b.(scanners.ContentScanner)
	return ok && cs.NeedsContent(path)
}
