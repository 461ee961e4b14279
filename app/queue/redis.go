package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a durable Queue on Redis Streams, shared by any number of
// processes.
//
// Layout, every key under Options.Prefix:
//
//	<p>:jobs              stream of jobs, consumer group "workers"
//	<p>:retry             sorted set of jobs waiting to retry, scored by due time (ms)
//	<p>:dead              stream of dead letters (job and last error)
//	<p>:delivery:<id>     delivery id seen (SET NX, expires after the dedupe window)
//	<p>:replay:<key>      replay key (hash of a verified body) seen, likewise
//	<p>:head:<key>        newest head sha of a pull request/branch and its unfinished jobs
//
// A job is read with XREADGROUP, heartbeated with XCLAIM JUSTID (min-idle
// 0, only while this consumer still holds it) while it runs, and
// acknowledged and deleted when done (never MAXLEN-trimmed, which
// could drop unacknowledged jobs). A consumer that dies leaves its job
// pending; another consumer takes it with XAUTOCLAIM once it has been idle
// for Options.Visibility. Every multi-key change is one Lua script, so
// several processes can enqueue, finish and move retries at once.
//
// Redis must run with maxmemory-policy noeviction (any other policy may
// delete queue keys) and with persistence if queued work must survive a
// restart; Run and Ping warn about the first.
type Redis struct {
	rdb   redis.UniversalClient
	owned bool
	opts  Options

	stream, retry, dead string

	closed atomic.Bool
	warned atomic.Bool
}

var _ Queue = (*Redis)(nil)

// group is the consumer group every worker joins.
const group = "workers"

// NewRedis returns a queue on rdb. The caller keeps ownership of rdb:
// Close does not close it. On a Redis Cluster client the prefix must hold a
// hash tag (see HasHashTag): every script touches several keys, which the
// cluster runs only when they share a slot.
func NewRedis(rdb redis.UniversalClient, opts Options) (*Redis, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if rdb == nil {
		return nil, errors.New("queue: nil redis client")
	}
	if _, cluster := rdb.(*redis.ClusterClient); cluster && !HasHashTag(o.Prefix) {
		return nil, fmt.Errorf("queue: prefix %q has no {hash tag}: Redis Cluster runs the queue's scripts only on keys of one slot (use e.g. {%s})", o.Prefix, strings.NewReplacer("{", "", "}", "").Replace(o.Prefix))
	}
	if o.Capacity == 0 {
		o.Capacity = DefaultRedisCapacity
	}
	p := o.Prefix
	return &Redis{rdb: rdb, opts: o, stream: p + ":jobs", retry: p + ":retry", dead: p + ":dead"}, nil
}

// OpenRedis connects to the Redis at url (any form NewRedisClient takes)
// and returns a queue that closes the client on Close.
func OpenRedis(url string, opts Options) (*Redis, error) {
	rdb, _, err := NewRedisClient(url)
	if err != nil {
		return nil, err
	}
	q, err := NewRedis(rdb, opts)
	if err != nil {
		rdb.Close()
		return nil, err
	}
	q.owned = true
	return q, nil
}

func (q *Redis) deliveryKey(id string) string { return q.opts.Prefix + ":delivery:" + id }
func (q *Redis) replayKey(key string) string  { return q.opts.Prefix + ":replay:" + key }
func (q *Redis) headKey(j Job) string         { return q.opts.Prefix + ":head:" + j.Key() }

// enqueueScript: dedupe (by delivery id and by replay key), capacity,
// supersede and XADD in one step, so two servers given the same body at
// once queue it once.
// KEYS: delivery, head, stream, retry, replay. ARGV: job id, dedupe ms, head
// sha, payload, head ttl ms, capacity (0 none), "1" if there is a delivery
// id, "1" if there is a replay key.
var enqueueScript = redis.NewScript(`
if ARGV[7] == '1' then
  local prev = redis.call('GET', KEYS[1])
  if prev then return {'dup', prev, 0} end
end
if ARGV[8] == '1' then
  local prev = redis.call('GET', KEYS[5])
  if prev then return {'dup', prev, 0} end
end
local cap = tonumber(ARGV[6])
if cap > 0 and redis.call('XLEN', KEYS[3]) + redis.call('ZCARD', KEYS[4]) >= cap then
  return {'full', '', 0}
end
if ARGV[7] == '1' then
  redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
end
if ARGV[8] == '1' then
  redis.call('SET', KEYS[5], ARGV[1], 'NX', 'PX', ARGV[2])
end
local old = redis.call('HMGET', KEYS[2], 'sha', 'active')
local sup = 0
if old[1] and old[1] ~= ARGV[3] and tonumber(old[2] or '0') > 0 then sup = 1 end
redis.call('HSET', KEYS[2], 'sha', ARGV[3])
redis.call('HINCRBY', KEYS[2], 'active', 1)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local id = redis.call('XADD', KEYS[3], '*', 'job', ARGV[4])
return {'ok', id, sup}
`)

// luaOwned settles a job only if this consumer still holds it: XACK alone
// would let a consumer whose job was taken over (after a missed heartbeat)
// acknowledge it under the feet of the one now running it. ARGV[1..3] of
// every settling script are group, message id, consumer.
const luaOwned = `
if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1, ARGV[3]) == 0 then return 0 end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
`

// luaRelease forgets one unfinished job of a head, dropping the record when
// none is left (KEYS[2] is the head).
const luaRelease = `
if redis.call('EXISTS', KEYS[2]) == 1 then
  if redis.call('HINCRBY', KEYS[2], 'active', -1) <= 0 then redis.call('DEL', KEYS[2]) end
end
`

// doneScript acknowledges and deletes a finished job.
// KEYS: stream, head.
var doneScript = redis.NewScript(luaOwned + luaRelease + `
return 1
`)

// deadLetterCap bounds the dead-letter stream. Trimming it is safe (it holds
// no pending job) and keeps a noeviction Redis from filling up with
// failures nobody reads.
const deadLetterCap = 10000

// deadScript moves a job to the dead letters.
// KEYS: stream, head, dead. ARGV[4..]: payload, error.
var deadScript = redis.NewScript(luaOwned + luaRelease + `
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ` + strconv.Itoa(deadLetterCap) + `, '*', 'job', ARGV[4], 'error', ARGV[5])
return 1
`)

// retryScript acknowledges a failed job and schedules it on the server's
// clock, so workers with skewed clocks agree on when it is due.
// KEYS: stream, retry. ARGV[4..]: payload, delay ms.
var retryScript = redis.NewScript(luaOwned + `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
return 1
`)

// beatScript resets the idle time of a job this consumer still holds.
// It returns 1 if held, 0 if another consumer took it over, -1 if it is no
// longer pending at all. KEYS: stream. ARGV: group, message id, consumer.
var beatScript = redis.NewScript(`
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 then return -1 end
if p[1][2] ~= ARGV[3] then return 0 end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'JUSTID')
return 1
`)

// moveScript moves due retries back into the stream. Being one script, it
// moves each job exactly once however many processes run it.
// KEYS: stream, retry. ARGV: max jobs.
var moveScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('XADD', KEYS[1], '*', 'job', m)
end
return #due
`)

// Enqueue implements Queue.
func (q *Redis) Enqueue(ctx context.Context, j Job) (Enqueued, error) {
	if q.closed.Load() {
		return Enqueued{}, ErrClosed
	}
	if err := j.prepare(time.Now()); err != nil {
		return Enqueued{}, err
	}
	payload, err := json.Marshal(j)
	if err != nil {
		return Enqueued{}, fmt.Errorf("encoding job: %w", err)
	}
	hasDelivery, hasReplay := "0", "0"
	if j.DeliveryID != "" {
		hasDelivery = "1"
	}
	if j.ReplayKey != "" {
		hasReplay = "1"
	}
	res, err := enqueueScript.Run(ctx, q.rdb,
		[]string{q.deliveryKey(j.DeliveryID), q.headKey(j), q.stream, q.retry, q.replayKey(j.ReplayKey)},
		j.ID, q.opts.DedupeWindow.Milliseconds(), j.Change.HeadSHA, payload,
		headTTL.Milliseconds(), q.opts.Capacity, hasDelivery, hasReplay,
	).Slice()
	if err != nil {
		return Enqueued{}, fmt.Errorf("enqueueing job: %w", err)
	}
	if len(res) != 3 {
		return Enqueued{}, fmt.Errorf("enqueueing job: unexpected reply of %d items", len(res))
	}
	status, _ := res[0].(string)
	id, _ := res[1].(string)
	sup, _ := res[2].(int64)
	switch status {
	case "dup":
		q.opts.Observer.Observe(Observation{Event: EventDuplicate, Job: j})
		return Enqueued{ID: id, Duplicate: true}, nil
	case "full":
		return Enqueued{}, ErrFull
	case "ok":
	default:
		return Enqueued{}, fmt.Errorf("enqueueing job: unexpected reply %q", status)
	}
	out := Enqueued{ID: j.ID, Superseded: sup == 1}
	q.opts.Observer.Observe(Observation{Event: EventQueued, Job: j})
	if out.Superseded {
		q.opts.Observer.Observe(Observation{Event: EventSuperseded, Job: j})
	}
	q.opts.Logger.DebugContext(ctx, "job queued", append(j.logAttrs(), slog.String("message_id", id))...)
	return out, nil
}

// Current implements Queue. A job whose head record is gone (every job of
// its Key finished, or the record expired) counts as current.
func (q *Redis) Current(ctx context.Context, j Job) (bool, error) {
	sha, err := q.rdb.HGet(ctx, q.headKey(j), "sha").Result()
	if errors.Is(err, redis.Nil) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading newest head: %w", err)
	}
	return sha == j.Change.HeadSHA, nil
}

// Pending reports whether an unfinished job (waiting, running or waiting
// to retry) of j's Key has j's head: what a sweep asks before queueing a
// job for a head that shows no result yet, so a backlog is not doubled.
func (q *Redis) Pending(ctx context.Context, j Job) (bool, error) {
	v, err := q.rdb.HMGet(ctx, q.headKey(j), "sha", "active").Result()
	if err != nil {
		return false, fmt.Errorf("reading newest head: %w", err)
	}
	sha, _ := v[0].(string)
	active, _ := v[1].(string)
	n, _ := strconv.Atoi(active)
	return sha == j.Change.HeadSHA && n > 0, nil
}

// Depth implements Queue: jobs in the stream (waiting or running) plus jobs
// waiting to retry.
func (q *Redis) Depth(ctx context.Context) (int64, error) {
	var xlen, zcard *redis.IntCmd
	_, err := q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		xlen = p.XLen(ctx, q.stream)
		zcard = p.ZCard(ctx, q.retry)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("reading queue depth: %w", err)
	}
	return xlen.Val() + zcard.Val(), nil
}

// Ping implements Queue. It also warns, once, when Redis may evict keys.
func (q *Redis) Ping(ctx context.Context) error {
	if q.closed.Load() {
		return ErrClosed
	}
	if err := q.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("pinging redis: %w", err)
	}
	q.checkPolicy(ctx)
	return nil
}

// checkPolicy warns when maxmemory-policy is not noeviction: under memory
// pressure Redis would then delete queue keys, losing jobs. Managed Redis
// often refuses CONFIG GET; then there is nothing to check.
func (q *Redis) checkPolicy(ctx context.Context) {
	if q.warned.Load() {
		return
	}
	cfg, err := q.rdb.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		q.opts.Logger.DebugContext(ctx, "cannot read redis maxmemory-policy", slog.String("err", err.Error()))
		return
	}
	if p, ok := cfg["maxmemory-policy"]; ok && p != "noeviction" && q.warned.CompareAndSwap(false, true) {
		q.opts.Logger.WarnContext(ctx, "redis maxmemory-policy is not noeviction: queued jobs may be evicted under memory pressure",
			slog.String("maxmemory_policy", p))
	}
}

// Dead returns up to limit dead letters, oldest first; limit <= 0 means all.
func (q *Redis) Dead(ctx context.Context, limit int) ([]DeadLetter, error) {
	var msgs []redis.XMessage
	var err error
	if limit > 0 {
		msgs, err = q.rdb.XRangeN(ctx, q.dead, "-", "+", int64(limit)).Result()
	} else {
		msgs, err = q.rdb.XRange(ctx, q.dead, "-", "+").Result()
	}
	if err != nil {
		return nil, fmt.Errorf("reading dead letters: %w", err)
	}
	out := make([]DeadLetter, 0, len(msgs))
	for _, m := range msgs {
		var dl DeadLetter
		if s, ok := m.Values["job"].(string); ok {
			_ = json.Unmarshal([]byte(s), &dl.Job) // an undecodable job still shows its error
		}
		if e, ok := m.Values["error"].(string); ok {
			dl.Job.LastError = e
		}
		dl.At = streamTime(m.ID)
		out = append(out, dl)
	}
	return out, nil
}

// streamTime reads the millisecond time out of a stream id "ms-seq".
func streamTime(id string) time.Time {
	ms, _, _ := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// Close implements Queue: Enqueue fails afterwards and a Run going on stops
// taking work. It closes the client only if OpenRedis made it.
func (q *Redis) Close() error {
	if !q.closed.CompareAndSwap(false, true) || !q.owned {
		return nil
	}
	return q.rdb.Close()
}

// ensureGroup creates the stream and consumer group if missing. The group
// starts at 0 so jobs queued before any worker ever ran are consumed.
func (q *Redis) ensureGroup(ctx context.Context) error {
	err := q.rdb.XGroupCreateMkStream(ctx, q.stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("creating consumer group: %w", err)
	}
	return nil
}

// fetched is a message taken from the stream, read fresh or reclaimed.
type fetched struct {
	msg       redis.XMessage
	reclaimed bool
}

// fetcher holds the state of one Run's dispatch loop.
type fetcher struct {
	lastMove, lastReclaim time.Time
	// cursor continues an XAUTOCLAIM scan; "0-0" means start over.
	cursor string
}

// Run implements Queue. Redis errors, at start (Redis not up yet) or later,
// are logged and retried until ctx is done; then it waits for the jobs in
// flight and returns nil. Meanwhile Ping says the queue is unreachable.
func (q *Redis) Run(ctx context.Context, h Handler) error {
	if q.closed.Load() {
		return ErrClosed
	}
	log := q.opts.Logger.With(slog.String("consumer", q.opts.Consumer))
	for delay := q.opts.PollInterval / 4; ; delay = min(delay*2, 5*q.opts.PollInterval) {
		err := q.ensureGroup(ctx)
		if err == nil {
			break
		}
		log.WarnContext(ctx, "redis not ready for the queue; retrying", slog.String("err", err.Error()))
		sleep(ctx, delay)
		if ctx.Err() != nil || q.closed.Load() {
			return nil
		}
	}
	q.checkPolicy(ctx)
	// io outlives ctx: acknowledging a job that finished after the stop
	// signal must still reach Redis.
	io := context.WithoutCancel(ctx)
	slots := make(chan struct{}, q.opts.Concurrency)
	var wg sync.WaitGroup
	f := &fetcher{cursor: "0-0"}
	errDelay := q.opts.PollInterval / 4
	// Close also stops taking work: its client may be gone.
	for ctx.Err() == nil && !q.closed.Load() {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		got, err := q.next(io, f, log)
		if err != nil {
			<-slots
			log.WarnContext(ctx, "reading jobs from redis", slog.String("err", err.Error()))
			if strings.HasPrefix(err.Error(), "NOGROUP") {
				if gerr := q.ensureGroup(io); gerr != nil {
					log.WarnContext(ctx, "recreating consumer group", slog.String("err", gerr.Error()))
				}
			}
			sleep(ctx, errDelay)
			errDelay = min(errDelay*2, 5*q.opts.PollInterval)
			continue
		}
		errDelay = q.opts.PollInterval / 4
		if got == nil {
			<-slots
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			q.handle(io, log, h, got)
		})
	}
	wg.Wait()
	q.leave(io, log)
	return nil
}

// next returns one message for this consumer, or nil when none came within
// PollInterval. On the way it moves due retries into the stream and takes
// over jobs whose consumer went quiet.
func (q *Redis) next(ctx context.Context, f *fetcher, log *slog.Logger) (*fetched, error) {
	now := time.Now()
	if now.Sub(f.lastMove) >= q.opts.PollInterval {
		f.lastMove = now
		if err := moveScript.Run(ctx, q.rdb, []string{q.stream, q.retry}, 100).Err(); err != nil {
			return nil, fmt.Errorf("moving due retries: %w", err)
		}
	}
	if f.cursor != "0-0" || now.Sub(f.lastReclaim) >= q.opts.Visibility/2 {
		f.lastReclaim = now
		msgs, cursor, err := q.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: q.stream, Group: group, Consumer: q.opts.Consumer,
			MinIdle: q.opts.Visibility, Start: f.cursor, Count: 1,
		}).Result()
		if err != nil {
			return nil, fmt.Errorf("reclaiming idle jobs: %w", err)
		}
		f.cursor = cursor
		if cursor == "" {
			f.cursor = "0-0"
		}
		for _, m := range msgs {
			if _, ok := m.Values["job"]; ok {
				return &fetched{msg: m, reclaimed: true}, nil
			}
			// Redis 6.2 returns entries deleted while pending without
			// fields: nothing to run, just clear them.
			_ = q.rdb.XAck(ctx, q.stream, group, m.ID).Err()
		}
	}
	streams, err := q.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: group, Consumer: q.opts.Consumer, Streams: []string{q.stream, ">"},
		Count: 1, Block: q.opts.PollInterval,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, s := range streams {
		for _, m := range s.Messages {
			return &fetched{msg: m}, nil
		}
	}
	return nil, nil
}

// handle runs one message's job with a heartbeat and settles it.
func (q *Redis) handle(ctx context.Context, log *slog.Logger, h Handler, got *fetched) {
	o := &q.opts
	msgID := got.msg.ID
	raw, _ := got.msg.Values["job"].(string)
	var j Job
	if err := json.Unmarshal([]byte(raw), &j); err != nil {
		// Not ours to run, but not to lose either: keep it for a human.
		j.LastError = "undecodable job: " + err.Error()
		log.ErrorContext(ctx, "undecodable job dead-lettered", slog.String("message_id", msgID))
		q.settle(ctx, log, deadScript, []string{q.stream, q.opts.Prefix + ":head:", q.dead}, msgID, raw, j.LastError)
		o.Observer.Observe(Observation{Event: EventDead, Job: j})
		return
	}
	if got.reclaimed {
		o.Observer.Observe(Observation{Event: EventReclaimed, Job: j})
		lost := q.deliveries(ctx, msgID) - 1
		log.WarnContext(ctx, "job reclaimed from a silent consumer", append(j.logAttrs(), slog.Int64("lost", lost))...)
		if int64(j.Attempt)+lost >= int64(o.MaxAttempts) {
			// A job that keeps killing its worker must not kill them all.
			j.Attempt += int(lost)
			j.LastError = fmt.Sprintf("worker lost the job %d times (no heartbeat within %s)", lost, o.Visibility)
			q.deadLetter(ctx, log, j, msgID)
			return
		}
	}

	o.Observer.Observe(Observation{Event: EventRunning, Job: j, Duration: time.Since(j.EnqueuedAt)})
	hctx, cancel := context.WithTimeout(context.Background(), o.JobTimeout)
	stopBeat := q.heartbeat(ctx, log, msgID, cancel)
	start := time.Now()
	err := call(hctx, log, h, j)
	took := time.Since(start)
	cancel()
	stopBeat()

	v, next, delay := judge(o, j, err, randFloat)
	// Events count only where the job was settled: a job taken over by
	// another consumer, or whose settling failed and will be redelivered,
	// is counted where it ends.
	switch v {
	case Done:
		if !q.settle(ctx, log, doneScript, []string{q.stream, q.headKey(j)}, msgID) {
			return
		}
		o.Observer.Observe(Observation{Event: EventDone, Job: j, Duration: took})
	case Retry, Wait:
		payload, _ := json.Marshal(next) // a Job always encodes
		if !q.settle(ctx, log, retryScript, []string{q.stream, q.retry}, msgID, payload, delay.Milliseconds()) {
			return
		}
		o.Observer.Observe(Observation{Event: EventFailed, Job: next, Duration: took})
		o.Observer.Observe(Observation{Event: EventRetried, Job: next, Duration: delay})
		log.WarnContext(ctx, "job failed, will retry", append(next.logAttrs(),
			slog.String("err", next.LastError), slog.Duration("delay", delay))...)
	case Dead:
		if !q.deadLetter(ctx, log, next, msgID) {
			return
		}
		o.Observer.Observe(Observation{Event: EventFailed, Job: next, Duration: took})
	}
}

// deadLetter moves j (read as msgID) to the dead letters and reports
// whether it did.
func (q *Redis) deadLetter(ctx context.Context, log *slog.Logger, j Job, msgID string) bool {
	payload, _ := json.Marshal(j)
	if !q.settle(ctx, log, deadScript, []string{q.stream, q.headKey(j), q.dead}, msgID, payload, j.LastError) {
		return false
	}
	q.opts.Observer.Observe(Observation{Event: EventDead, Job: j})
	log.ErrorContext(ctx, "job dead-lettered", append(j.logAttrs(), slog.String("err", j.LastError))...)
	return true
}

// settle runs a finishing script, retrying a few times on Redis errors. It
// reports whether this consumer settled the job (false: someone else did,
// or Redis stayed unreachable and the job will be redelivered).
func (q *Redis) settle(ctx context.Context, log *slog.Logger, s *redis.Script, keys []string, msgID string, extra ...any) bool {
	args := append([]any{group, msgID, q.opts.Consumer}, extra...)
	var err error
	for i := range 3 {
		if i > 0 {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond)
		}
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		var n int64
		n, err = s.Run(tctx, q.rdb, keys, args...).Int64()
		cancel()
		if err == nil {
			if n != 1 {
				log.InfoContext(ctx, "job not settled here: another consumer holds it", slog.String("message_id", msgID))
			}
			return n == 1
		}
		if errors.Is(err, redis.ErrClosed) {
			break
		}
	}
	log.ErrorContext(ctx, "settling job in redis failed; it will be redelivered",
		slog.String("message_id", msgID), slog.String("err", err.Error()))
	return false
}

// deliveries reads how many times a pending message has been delivered.
func (q *Redis) deliveries(ctx context.Context, msgID string) int64 {
	p, err := q.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{
		Stream: q.stream, Group: group, Start: msgID, End: msgID, Count: 1,
	}).Result()
	if err != nil || len(p) == 0 {
		return 1
	}
	return p[0].RetryCount
}

// heartbeat resets msgID's idle time every third of the visibility
// timeout, so that a long job is not taken over by another consumer. If it
// was taken over anyway (this process stalled past the timeout), it cancels
// the handler through takenOver: the other consumer runs the job now, and
// two workers should not publish the same review. The returned func stops
// the heartbeat and waits for it.
func (q *Redis) heartbeat(ctx context.Context, log *slog.Logger, msgID string, takenOver context.CancelFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(q.opts.Visibility / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			tctx, cancel := context.WithTimeout(ctx, q.opts.Visibility/3)
			held, err := beatScript.Run(tctx, q.rdb, []string{q.stream}, group, msgID, q.opts.Consumer).Int64()
			cancel()
			switch {
			case err != nil:
				log.WarnContext(ctx, "job heartbeat failed", slog.String("message_id", msgID), slog.String("err", err.Error()))
			case held == 0:
				log.WarnContext(ctx, "job taken over by another consumer; cancelling it here", slog.String("message_id", msgID))
				takenOver()
				return
			case held < 0:
				return // settled elsewhere: nothing left to keep
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// leave removes this consumer from the group when it holds no pending job,
// so restarts do not pile up dead consumer names.
func (q *Redis) leave(ctx context.Context, log *slog.Logger) {
	p, err := q.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{
		Stream: q.stream, Group: group, Consumer: q.opts.Consumer, Start: "-", End: "+", Count: 1,
	}).Result()
	if err != nil || len(p) > 0 {
		return
	}
	if err := q.rdb.XGroupDelConsumer(ctx, q.stream, group, q.opts.Consumer).Err(); err != nil {
		log.DebugContext(ctx, "leaving consumer group", slog.String("err", err.Error()))
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
