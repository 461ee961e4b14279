package webhook

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

// Errors of Budget.Acquire; the handler maps them to statuses.
var (
	// ErrBusy: the bodies in flight hold the budget and none was freed in
	// time (503, which GitLab retries).
	ErrBusy = errors.New("webhook body budget exhausted")
	// ErrTooBig: the body needs more than the budget could ever give (413).
	ErrTooBig = errors.New("body larger than the webhook memory budget")
)

// SmallBody is the largest body that may use the reserve of a Budget. Real
// deliveries are mostly tens of KB (a push listing many commits, hundreds);
// an attacker's 24 MB posts never reach the reserve, so small deliveries get
// through while a flood holds the rest.
const SmallBody = 1 << 20

// Budget bounds the memory held by webhook bodies in flight, process-wide.
// It has two lanes: a reserve only bodies up to SmallBody may use (first),
// and the rest, which any body may use. Small bodies also borrow from the
// rest when it is free at once, but never wait behind a large one.
type Budget struct {
	small, large *weighted
	smallMax     int64
}

// NewBudget returns a budget of total bytes, reserve of which is kept for
// small bodies (weight up to smallMax bytes each).
func NewBudget(total, reserve, smallMax int64) *Budget {
	if reserve > total {
		reserve = total
	}
	if smallMax > reserve {
		smallMax = reserve
	}
	return &Budget{small: newWeighted(reserve), large: newWeighted(total - reserve), smallMax: smallMax}
}

// Grant is a share of a Budget, possibly taken in several steps; Release
// gives it back (once).
type Grant struct {
	parts []grantPart
}

type grantPart struct {
	lane *weighted
	n    int64
}

// Release gives the grant back. A nil or released grant is a no-op.
func (g *Grant) Release() {
	if g == nil {
		return
	}
	for _, p := range g.parts {
		p.lane.release(p.n)
	}
	g.parts = nil
}

// join moves o's shares into g, so one Release gives back both.
func (g *Grant) join(o *Grant) {
	g.parts = append(g.parts, o.parts...)
	o.parts = nil
}

func grant(lane *weighted, n int64) *Grant { return &Grant{parts: []grantPart{{lane, n}}} }

// Acquire takes n bytes of the budget, waiting until ctx is done; it fails
// with ErrBusy then, or with ErrTooBig at once when n exceeds what its lane
// could ever give.
func (b *Budget) Acquire(ctx context.Context, n int64) (*Grant, error) {
	if n <= b.smallMax {
		if b.small.tryAcquire(n) {
			return grant(b.small, n), nil
		}
		if b.large.tryAcquire(n) {
			return grant(b.large, n), nil
		}
		if err := b.small.acquire(ctx, n); err != nil {
			return nil, err
		}
		return grant(b.small, n), nil
	}
	if err := b.large.acquire(ctx, n); err != nil {
		return nil, err
	}
	return grant(b.large, n), nil
}

// InUse reports the bytes granted and not released (for tests and metrics).
func (b *Budget) InUse() int64 { return b.small.inUse() + b.large.inUse() }

// weighted is a FIFO weighted semaphore (golang.org/x/sync/semaphore's
// design, which this module does not depend on): a waiter is served in
// order, so a large request is not starved by a stream of small ones.
type weighted struct {
	size    int64
	mu      sync.Mutex
	cur     int64
	waiters list.List
}

type waiter struct {
	n     int64
	ready chan struct{}
}

func newWeighted(size int64) *weighted { return &weighted{size: size} }

func (s *weighted) tryAcquire(n int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size-s.cur >= n && s.waiters.Len() == 0 {
		s.cur += n
		return true
	}
	return false
}

func (s *weighted) acquire(ctx context.Context, n int64) error {
	s.mu.Lock()
	if s.size-s.cur >= n && s.waiters.Len() == 0 {
		s.cur += n
		s.mu.Unlock()
		return nil
	}
	if n > s.size {
		s.mu.Unlock()
		return ErrTooBig
	}
	w := waiter{n: n, ready: make(chan struct{})}
	elem := s.waiters.PushBack(w)
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		select {
		case <-w.ready:
			// Granted just as we gave up: give it back.
			s.cur -= n
			s.notify()
		default:
			front := s.waiters.Front() == elem
			s.waiters.Remove(elem)
			// Leaving the head may let those behind in.
			if front && s.size > s.cur {
				s.notify()
			}
		}
		s.mu.Unlock()
		return ErrBusy
	}
}

func (s *weighted) release(n int64) {
	s.mu.Lock()
	s.cur -= n
	if s.cur < 0 {
		s.mu.Unlock()
		panic("webhook: budget released more than held")
	}
	s.notify()
	s.mu.Unlock()
}

// notify wakes waiters in order while they fit. Called with mu held.
func (s *weighted) notify() {
	for {
		next := s.waiters.Front()
		if next == nil {
			return
		}
		w := next.Value.(waiter)
		if s.size-s.cur < w.n {
			return
		}
		s.cur += w.n
		s.waiters.Remove(next)
		close(w.ready)
	}
}

func (s *weighted) inUse() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}
