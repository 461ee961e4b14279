// Package ratelimit shares the code hosts' rate-limit windows between
// shiftward's processes through Redis: after one worker is told to slow
// down, every worker and the server stay quiet for that installation
// (GitHub) or token (GitLab) until the window ends, instead of each calling
// until it gets its own 429 (requests inside a penalty window make it longer
// and can get a GitHub App banned). It implements hostapi.WindowStore;
// app/platform knows only that interface, never Redis.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// KeyPart starts every window key after the queue's prefix
// ("{shiftward}:ratelimit:github:installation:42").
const KeyPart = ":ratelimit:"

// Store keeps windows in Redis: one key per client, its value the epoch
// millisecond the window ends (for an operator reading it), its expiry the
// window's length. Processes compare remaining lengths (PTTL), never their
// clocks, so clock skew between hosts does not shorten a window.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	log    *slog.Logger
	// down is set while Redis does not answer, so the outage is logged
	// once rather than per request.
	down atomic.Bool
	// probe is when (Unix ns) Redis is tried again while down.
	probe atomic.Int64
}

// New returns a Store on rdb whose keys start with prefix (the queue's
// prefix followed by KeyPart, so that on a Redis Cluster the windows share
// the queue's hash tag and slot). rdb may be any client
// queue.NewRedisClient makes. log receives the store's outages; nil
// discards them. The caller owns rdb.
func New(rdb redis.UniversalClient, prefix string, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{rdb: rdb, prefix: prefix, log: log}
}

// openScript keeps the later of two windows, atomically: a shorter window
// learnt by one process never cuts short a longer one learnt by another.
// KEYS[1] the key; ARGV[1] the window in ms; ARGV[2] its end (epoch ms).
// It returns the stored window's remaining ms.
var openScript = redis.NewScript(`
local left = redis.call('PTTL', KEYS[1])
local want = tonumber(ARGV[1])
if left < want then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', want)
  return want
end
return left
`)

// Remaining is how long the window under key still runs, 0 when none.
func (s *Store) Remaining(ctx context.Context, key string) (time.Duration, error) {
	return s.do(ctx, "reading", func(ctx context.Context) (time.Duration, error) {
		left, err := s.rdb.PTTL(ctx, s.prefix+key).Result()
		// go-redis passes PTTL's -2 (no key) and -1 (no expiry, never
		// written by Open) on as negative durations.
		return max(left, 0), err
	})
}

// Open stores a window of d under key unless a longer one is stored, and
// returns how long the stored window runs.
func (s *Store) Open(ctx context.Context, key string, d time.Duration) (time.Duration, error) {
	ms := max(d.Milliseconds(), 1)
	end := strconv.FormatInt(time.Now().Add(d).UnixMilli(), 10)
	return s.do(ctx, "storing", func(ctx context.Context) (time.Duration, error) {
		left, err := openScript.Run(ctx, s.rdb, []string{s.prefix + key}, ms, end).Int64()
		return time.Duration(left) * time.Millisecond, err
	})
}

// do runs one command, waiting no longer than ctx allows: go-redis applies
// its own read timeout (3 s by default), not ctx's deadline, and an API call
// must not wait that long for a Redis that hangs. While Redis is down only
// one command every probeEvery tries it; the others fail at once.
func (s *Store) do(ctx context.Context, op string, f func(context.Context) (time.Duration, error)) (time.Duration, error) {
	if s.down.Load() && time.Now().UnixNano() < s.probe.Load() {
		return 0, fmt.Errorf("%s a rate-limit window: %w", op, errDown)
	}
	type result struct {
		d   time.Duration
		err error
	}
	ch := make(chan result, 1)
	go func() {
		d, err := f(context.WithoutCancel(ctx))
		ch <- result{d, err}
	}()
	var r result
	select {
	case r = <-ch:
	case <-ctx.Done():
		r.err = ctx.Err()
	}
	if r.err != nil {
		return 0, s.failed(op, r.err)
	}
	s.recovered()
	return r.d, nil
}

// errDown is returned without asking Redis while it is known to be down.
var errDown = errors.New("redis unreachable")

// probeEvery is how often a Store tries Redis again while it is down.
const probeEvery = 5 * time.Second

// failed logs the first error of an outage and wraps err.
func (s *Store) failed(op string, err error) error {
	s.probe.Store(time.Now().Add(probeEvery).UnixNano())
	if s.down.CompareAndSwap(false, true) {
		s.log.Warn("rate-limit windows cannot be shared through Redis; each process keeps its own until it answers", "err", err)
	}
	return fmt.Errorf("%s a rate-limit window: %w", op, err)
}

// recovered logs the end of an outage.
func (s *Store) recovered() {
	if s.down.CompareAndSwap(true, false) {
		s.log.Info("rate-limit windows are shared through Redis again")
	}
}
