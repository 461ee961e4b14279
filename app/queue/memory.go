package queue

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Memory is an in-process Queue with the same semantics as Redis (dedupe,
// supersede, retry with backoff, dead letters) and a bounded capacity. Jobs
// live only as long as the process: use it for tests and a single binary
// that can afford to lose queued work on restart. Several Run calls may
// consume from one Memory at once.
type Memory struct {
	opts  Options
	ready chan Job

	mu     sync.Mutex
	closed bool
	// depth counts jobs waiting, running and waiting to retry; it bounds
	// ready, so a send on ready never blocks.
	depth int
	seen  map[string]seenDelivery
	// replays remembers replay keys (Job.ReplayKey) as seen remembers
	// delivery ids; apart, so a delivery id can never pose as a body.
	replays map[string]seenDelivery
	heads   map[string]*head
	dead    []DeadLetter
	timers  map[*time.Timer]struct{}
}

// seenDelivery remembers a delivery id for the dedupe window.
type seenDelivery struct {
	jobID   string
	expires time.Time
}

// head is the newest head sha queued for a Key and how many of the Key's
// jobs are unfinished.
type head struct {
	sha    string
	active int
}

var _ Queue = (*Memory)(nil)

// NewMemory returns an empty in-process queue. Options.Capacity bounds it
// (DefaultMemoryCapacity when 0); Visibility, Consumer, Prefix and
// PollInterval do not apply.
func NewMemory(opts Options) (*Memory, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if o.Capacity == 0 {
		o.Capacity = DefaultMemoryCapacity
	}
	return &Memory{
		opts:    o,
		ready:   make(chan Job, o.Capacity),
		seen:    make(map[string]seenDelivery),
		replays: make(map[string]seenDelivery),
		heads:   make(map[string]*head),
		timers:  make(map[*time.Timer]struct{}),
	}, nil
}

// Enqueue implements Queue.
func (m *Memory) Enqueue(ctx context.Context, j Job) (Enqueued, error) {
	now := time.Now()
	if err := j.prepare(now); err != nil {
		return Enqueued{}, err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return Enqueued{}, ErrClosed
	}
	if s, ok := m.seenBefore(j, now); ok {
		m.mu.Unlock()
		m.opts.Observer.Observe(Observation{Event: EventDuplicate, Job: j})
		return Enqueued{ID: s.jobID, Duplicate: true}, nil
	}
	if m.depth >= m.opts.Capacity {
		m.mu.Unlock()
		return Enqueued{}, ErrFull
	}
	if j.DeliveryID != "" {
		pruneSeen(m.seen, now)
		m.seen[j.DeliveryID] = seenDelivery{jobID: j.ID, expires: now.Add(m.opts.DedupeWindow)}
	}
	if j.ReplayKey != "" {
		pruneSeen(m.replays, now)
		m.replays[j.ReplayKey] = seenDelivery{jobID: j.ID, expires: now.Add(m.opts.DedupeWindow)}
	}
	res := Enqueued{ID: j.ID}
	h := m.heads[j.Key()]
	if h == nil {
		h = &head{}
		m.heads[j.Key()] = h
	}
	res.Superseded = h.active > 0 && h.sha != j.Change.HeadSHA
	h.sha = j.Change.HeadSHA
	h.active++
	m.depth++
	m.ready <- j // cannot block: len(ready) <= depth <= Capacity
	m.mu.Unlock()

	m.opts.Observer.Observe(Observation{Event: EventQueued, Job: j})
	if res.Superseded {
		m.opts.Observer.Observe(Observation{Event: EventSuperseded, Job: j})
	}
	m.opts.Logger.DebugContext(ctx, "job queued", j.logAttrs()...)
	return res, nil
}

// Pending reports whether an unfinished job of j's Key has j's head (see
// Redis.Pending).
func (m *Memory) Pending(_ context.Context, j Job) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.heads[j.Key()]
	return h != nil && h.sha == j.Change.HeadSHA && h.active > 0, nil
}

// seenBefore finds j's delivery id or replay key within the dedupe window.
// Called with mu held.
func (m *Memory) seenBefore(j Job, now time.Time) (seenDelivery, bool) {
	if j.DeliveryID != "" {
		if s, ok := m.seen[j.DeliveryID]; ok && now.Before(s.expires) {
			return s, true
		}
	}
	if j.ReplayKey != "" {
		if s, ok := m.replays[j.ReplayKey]; ok && now.Before(s.expires) {
			return s, true
		}
	}
	return seenDelivery{}, false
}

// pruneSeen drops expired entries now and then, so the map stays about one
// window's worth of deliveries. Called with mu held.
func pruneSeen(seen map[string]seenDelivery, now time.Time) {
	if len(seen)%256 != 0 {
		return
	}
	for id, s := range seen {
		if !now.Before(s.expires) {
			delete(seen, id)
		}
	}
}

// Run implements Queue. It returns nil once ctx is done and the jobs in
// flight have finished, or ErrClosed at once if the queue is closed.
func (m *Memory) Run(ctx context.Context, h Handler) error {
	m.mu.Lock()
	closed := m.closed
	m.mu.Unlock()
	if closed {
		return ErrClosed
	}
	var wg sync.WaitGroup
	for range m.opts.Concurrency {
		wg.Go(func() {
			for ctx.Err() == nil {
				select {
				case <-ctx.Done():
					return
				case j := <-m.ready:
					m.process(ctx, h, j)
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// process runs one job and settles its fate. ctx is only for logging: the
// handler gets a fresh context.
func (m *Memory) process(ctx context.Context, h Handler, j Job) {
	o := &m.opts
	o.Observer.Observe(Observation{Event: EventRunning, Job: j, Duration: time.Since(j.EnqueuedAt)})
	hctx, cancel := context.WithTimeout(context.Background(), o.JobTimeout)
	start := time.Now()
	err := call(hctx, o.Logger, h, j)
	took := time.Since(start)
	cancel()

	v, next, delay := judge(o, j, err, randFloat)
	switch v {
	case Done:
		m.finish(j, nil)
		o.Observer.Observe(Observation{Event: EventDone, Job: j, Duration: took})
	case Retry, Wait:
		o.Observer.Observe(Observation{Event: EventFailed, Job: next, Duration: took})
		m.retryLater(next, delay)
		o.Observer.Observe(Observation{Event: EventRetried, Job: next, Duration: delay})
		o.Logger.WarnContext(ctx, "job failed, will retry", append(next.logAttrs(),
			slog.String("err", next.LastError), slog.Duration("delay", delay))...)
	case Dead:
		o.Observer.Observe(Observation{Event: EventFailed, Job: next, Duration: took})
		m.finish(next, &DeadLetter{Job: next, At: time.Now().UTC()})
		o.Observer.Observe(Observation{Event: EventDead, Job: next})
		o.Logger.ErrorContext(ctx, "job dead-lettered", append(next.logAttrs(),
			slog.String("err", next.LastError))...)
	}
}

// finish forgets a finished job, keeping it as a dead letter if dl is set.
func (m *Memory) finish(j Job, dl *DeadLetter) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.depth--
	if h := m.heads[j.Key()]; h != nil {
		h.active--
		if h.active <= 0 {
			delete(m.heads, j.Key())
		}
	}
	if dl != nil {
		m.dead = append(m.dead, *dl)
	}
}

// retryLater puts j back on the ready channel after delay. The job still
// counts in depth meanwhile, so the send cannot block.
func (m *Memory) retryLater(j Job, delay time.Duration) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		m.finish(j, nil) // dropped: a closed Memory keeps nothing for later
		return
	}
	defer m.mu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(delay, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if _, ok := m.timers[t]; !ok {
			return // stopped by Close
		}
		delete(m.timers, t)
		m.ready <- j
	})
	m.timers[t] = struct{}{}
}

// Current implements Queue.
func (m *Memory) Current(_ context.Context, j Job) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.heads[j.Key()]
	return h == nil || h.sha == j.Change.HeadSHA, nil
}

// Depth implements Queue.
func (m *Memory) Depth(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(m.depth), nil
}

// Ping implements Queue: it fails only once the queue is closed.
func (m *Memory) Ping(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	return nil
}

// Dead returns up to limit dead letters, oldest first; limit <= 0 means all.
func (m *Memory) Dead(_ context.Context, limit int) ([]DeadLetter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.dead)
	if limit > 0 && limit < n {
		n = limit
	}
	return append([]DeadLetter(nil), m.dead[:n]...), nil
}

// Close stops pending retries and makes Enqueue fail. Jobs already waiting
// are left for a Run still going.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	for t := range m.timers {
		t.Stop()
		delete(m.timers, t)
	}
	return nil
}
