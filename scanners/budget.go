package scanners

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// WithBudget bounds the time s may spend on one change: every Scan after
// the first shares one deadline, budget after the first began. Past it,
// Scan fails with an error saying so (the change's scan is then
// incomplete, never passed). It is for scanners running rules a repository
// brought: Go's regexp is linear in its input, but a large input times a
// large user pattern can still be slow. The wrapper is for one change only.
//
// The wrapper keeps what s can do besides scanning: it needs whole files
// when s does, explains s's rules, and scans a change at once when s does.
func WithBudget(s Scanner, budget time.Duration) Scanner {
	b := &budgeted{Scanner: s, budget: budget}
	if _, ok := s.(BatchScanner); ok {
		return &budgetedBatch{b}
	}
	return b
}

type budgeted struct {
	Scanner
	budget   time.Duration
	once     sync.Once
	deadline time.Time
}

func (b *budgeted) Scan(ctx context.Context, in *Input) ([]Finding, error) {
	b.once.Do(func() { b.deadline = time.Now().Add(b.budget) })
	if ctx.Err() == nil && !time.Now().Before(b.deadline) {
		return nil, fmt.Errorf("%s: over its scan budget of %s for this change", b.Name(), b.budget)
	}
	bctx, cancel := context.WithDeadline(ctx, b.deadline)
	defer cancel()
	fs, err := b.Scanner.Scan(bctx, in)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("%s: over its scan budget of %s for this change", b.Name(), b.budget)
	}
	return fs, err
}

// Explain passes through to the wrapped scanner.
func (b *budgeted) Explain(ruleID string) (RuleDoc, bool) {
	if e, ok := b.Scanner.(Explainer); ok {
		return e.Explain(ruleID)
	}
	return RuleDoc{}, false
}

// Redact passes through: a repository's own secret rules still mask
// secrets in status texts.
func (b *budgeted) Redact(s string) string {
	if r, ok := b.Scanner.(Redactor); ok {
		return r.Redact(s)
	}
	return s
}

// NeedsContent passes through: a wrapped content scanner still gets whole
// files.
func (b *budgeted) NeedsContent(path string) bool {
	cs, ok := b.Scanner.(ContentScanner)
	return ok && cs.NeedsContent(path)
}

// budgetedBatch is the wrapper of a batch scanner: one call, one budget.
type budgetedBatch struct{ *budgeted }

func (b *budgetedBatch) ScanBatch(ctx context.Context, ins []*Input) ([]Finding, error) {
	bctx, cancel := context.WithTimeout(ctx, b.budget)
	defer cancel()
	fs, err := b.Scanner.(BatchScanner).ScanBatch(bctx, ins)
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fs, fmt.Errorf("%s: over its scan budget of %s for this change", b.Name(), b.budget)
	}
	return fs, err
}
