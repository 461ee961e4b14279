package hostapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shiftward/shiftward/app/platform"
)

// Quota is a client's primary rate-limit quota as the host last reported
// it: requests left and how long until the quota resets.
type Quota struct {
	Remaining int
	Limit     int
	ResetIn   time.Duration
}

// Pacing is what a Budget asks of its store for one request.
type Pacing struct {
	// Reserve is the quota kept back: below it the remaining requests are
	// spread evenly until the reset instead of spent at once.
	Reserve int
	// Content, when true, books the request against ContentLimits too.
	Content bool
	// ContentLimits are the secondary limits on content-creating requests
	// (GitHub: 80 a minute, 500 an hour).
	ContentLimits []Rate
	// MaxWait is the longest wait the store books; past it nothing is
	// booked and the wait is only reported.
	MaxWait time.Duration
}

// Rate is N requests per Per, bursts of up to N allowed.
type Rate struct {
	N   int
	Per time.Duration
}

// Booking is a store's answer to Reserve.
type Booking struct {
	// Wait is how long to wait before sending (0: at once).
	Wait time.Duration
	// Booked is false when Wait exceeded MaxWait: nothing was booked.
	Booked bool
	// Why names what made the wait: "primary" or "content" ("" when none).
	Why string
	// Remaining is the shared count of requests left (-1 when unknown).
	Remaining int
}

// BudgetStore shares a client's API budget between processes: the quota
// the host reports and the pace of its requests. Keys are those of the
// WindowStore. An error means the store could not be reached; the Budget
// then sends without pacing (the Limiter still keeps out of windows).
type BudgetStore interface {
	// Record stores the quota a response reported under key. Within one
	// quota window the lower remaining count wins (other processes' requests
	// are in flight).
	Record(ctx context.Context, key string, q Quota) error
	// Reserve books the next request of key under p and says how long it
	// must wait.
	Reserve(ctx context.Context, key string, p Pacing) (Booking, error)
	// Affordable is how many content-creating requests key can send now
	// without waiting under p (-1 when nothing bounds it).
	Affordable(ctx context.Context, key string, p Pacing) (int, error)
}

// GitHubContentLimits are GitHub's documented secondary limits on
// content-generating requests ("Rate limits for the REST API", secondary
// rate limits): no more than 80 a minute and 500 an hour.
var GitHubContentLimits = []Rate{{N: 80, Per: time.Minute}, {N: 500, Per: time.Hour}}

// DefaultReserve is the primary quota kept back before requests are
// spread over what is left of the window (GitHub installations get 5,000
// an hour at least; GitLab's default is 2,000 a minute).
const DefaultReserve = 200

// DefaultMaxBudgetWait is how long one request may wait for its turn; past
// it the request is not sent and the job goes back to the queue with a
// not-before (a *platform.RateLimitError), rather than hold a worker.
const DefaultMaxBudgetWait = 20 * time.Second

// BudgetEvent is one thing a Budget reports for metrics: a quota read
// from a response (Remaining, Limit set) or a request delayed or deferred
// by the budget (Why, Delay, Deferred set).
type BudgetEvent struct {
	Remaining, Limit int
	Why              string
	Delay            time.Duration
	Deferred         bool
}

// Budget paces a client's requests by the budget shared in Store: it reads
// the primary quota from every response (RemainingHeader, LimitHeader,
// ResetHeader) into Store, spreads requests once fewer than Reserve are
// left, and books content-creating requests (Content) against
// ContentLimits. A request whose turn is further than MaxWait away is not
// sent: it fails with a *platform.RateLimitError, which sends the job back
// to the queue until then instead of failing it. Without a Store it passes
// every request through.
type Budget struct {
	Next  http.RoundTripper
	Store BudgetStore
	// Key names the client in Store (the Limiter's key).
	Key string
	// RemainingHeader, LimitHeader and ResetHeader are the host's quota
	// headers; ResetHeader holds an epoch second.
	RemainingHeader, LimitHeader, ResetHeader string
	// Skip, when set, names requests the client's quota does not count
	// (GitHub's installation token request, made as the App): they pass
	// unbooked and unrecorded.
	Skip func(req *http.Request) bool
	// Content tells a content-creating request; nil: none is.
	Content       func(req *http.Request) bool
	ContentLimits []Rate
	// Reserve is DefaultReserve when 0; negative turns spreading off.
	Reserve int
	// MaxWait is DefaultMaxBudgetWait when 0.
	MaxWait time.Duration
	// Observe, when set, receives quota readings and delays.
	Observe func(BudgetEvent)
	Now     func() time.Time

	mu sync.Mutex
	// remaining is this process's last view of the shared count (-1:
	// unknown); while it is well above the reserve plain requests cost no
	// round trip to Store.
	remaining int
	seen      bool
}

// RoundTrip waits for req's turn, sends it and records the quota.
func (b *Budget) RoundTrip(req *http.Request) (*http.Response, error) {
	if b.Store == nil || b.Skip != nil && b.Skip(req) {
		return b.Next.RoundTrip(req)
	}
	if err := b.wait(req); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := b.Next.RoundTrip(req)
	if err == nil {
		b.record(req.Context(), resp.Header)
	}
	return resp, err
}

// wait books req and sleeps until its turn.
func (b *Budget) wait(req *http.Request) error {
	p := b.pacing(req)
	if !p.Content && !b.low() {
		return nil
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), storeTimeout)
	bk, err := b.Store.Reserve(sctx, b.Key, p)
	cancel()
	if err != nil {
		return nil // the store logs its outage; windows still apply
	}
	if bk.Remaining < 0 {
		// No process knows the quota (a host that sends no quota headers,
		// or a reset just passed): plain requests stop booking until an
		// answer says it is low.
		bk.Remaining = maxQuota
	}
	b.remember(bk.Remaining)
	if bk.Wait <= 0 {
		return nil
	}
	if !bk.Booked {
		b.observe(BudgetEvent{Why: bk.Why, Delay: bk.Wait, Deferred: true})
		return &platform.RateLimitError{
			After: bk.Wait,
			Err:   fmt.Errorf("API budget (%s): next turn in %s, request not sent", bk.Why, bk.Wait.Round(time.Second)),
		}
	}
	b.observe(BudgetEvent{Why: bk.Why, Delay: bk.Wait})
	t := time.NewTimer(bk.Wait)
	defer t.Stop()
	select {
	case <-req.Context().Done():
		return req.Context().Err()
	case <-t.C:
		return nil
	}
}

func (b *Budget) pacing(req *http.Request) Pacing {
	p := Pacing{Reserve: b.reserve(), MaxWait: b.maxWait()}
	if b.Content != nil && b.Content(req) {
		p.Content, p.ContentLimits = true, b.ContentLimits
	}
	return p
}

// low reports whether a plain request must be booked: this process has
// not seen the quota yet (another may have spent it), or last saw it
// within twice the reserve. Above it a plain request costs no round trip
// to Store; every response refreshes the view.
func (b *Budget) low() bool {
	if b.reserve() < 0 {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.seen || b.remaining < 2*b.reserve()
}

// LocalRemaining is this process's last view of the shared quota (-1 when
// none yet).
func (b *Budget) LocalRemaining() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.seen {
		return -1
	}
	return b.remaining
}

func (b *Budget) remember(remaining int) {
	if remaining < 0 {
		return
	}
	b.mu.Lock()
	b.remaining, b.seen = remaining, true
	b.mu.Unlock()
}

// record stores the quota a response reports, when it reports one.
func (b *Budget) record(ctx context.Context, h http.Header) {
	q, ok := ReadQuota(h, b.RemainingHeader, b.LimitHeader, b.ResetHeader, b.Now())
	if !ok {
		return
	}
	b.remember(q.Remaining)
	b.observe(BudgetEvent{Remaining: q.Remaining, Limit: q.Limit})
	if b.reserve() >= 0 && q.Remaining >= 4*b.reserve() {
		// Far from the reserve nothing is paced: sharing the count would
		// cost a round trip to Store per request for nothing. (A stored
		// count of an earlier window expires at its reset.)
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	_ = b.Store.Record(sctx, b.Key, q) // an outage is logged by the store
}

// Affordable is how many content-creating requests the client can send
// now without waiting (-1 when nothing bounds it, or the store cannot say).
func (b *Budget) Affordable(ctx context.Context) int {
	if b.Store == nil {
		return -1
	}
	p := Pacing{Reserve: b.reserve(), MaxWait: b.maxWait(), Content: b.Content != nil, ContentLimits: b.ContentLimits}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	n, err := b.Store.Affordable(sctx, b.Key, p)
	if err != nil {
		return -1
	}
	return n
}

func (b *Budget) observe(e BudgetEvent) {
	if b.Observe != nil {
		b.Observe(e)
	}
}

func (b *Budget) reserve() int {
	if b.Reserve == 0 {
		return DefaultReserve
	}
	return b.Reserve
}

func (b *Budget) maxWait() time.Duration {
	if b.MaxWait <= 0 {
		return DefaultMaxBudgetWait
	}
	return b.MaxWait
}

// maxQuota bounds a quota read from headers: a hostile or garbled header
// must not make the arithmetic overflow.
const maxQuota = 1 << 30

// ReadQuota reads the quota headers of a response: remaining and reset are
// required, limit is optional (0 when absent). Values out of range are not
// a quota.
func ReadQuota(h http.Header, remainingHeader, limitHeader, resetHeader string, now time.Time) (Quota, bool) {
	if remainingHeader == "" || resetHeader == "" {
		return Quota{}, false
	}
	rem, err := strconv.Atoi(strings.TrimSpace(h.Get(remainingHeader)))
	if err != nil || rem < 0 || rem > maxQuota {
		return Quota{}, false
	}
	reset, ok := resetIn(h, resetHeader, now)
	if !ok {
		return Quota{}, false
	}
	q := Quota{Remaining: rem, ResetIn: reset}
	if limitHeader != "" {
		if l, err := strconv.Atoi(strings.TrimSpace(h.Get(limitHeader))); err == nil && l > 0 && l <= maxQuota {
			q.Limit = l
		}
	}
	return q, true
}
