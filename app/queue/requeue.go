package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// fresh is a dead job made runnable again: a first attempt, no error, and
// no delivery id (the original one is still in the dedupe window and would
// drop it as a redelivery; so would the replay key); Enqueue stamps the time.
func fresh(j Job) Job {
	j.ReplayKey = ""
	j.Attempt, j.Waits, j.LastError, j.DeliveryID, j.EnqueuedAt = 0, 0, "", "", time.Time{}
	return j
}

// Requeue puts up to limit dead letters (oldest first; limit <= 0: all)
// back in the queue as first attempts, and returns how many it moved. A
// letter is removed only once its job is queued again, so a failure midway
// loses none (at worst one is queued twice).
func (q *Redis) Requeue(ctx context.Context, limit int) (int, error) {
	var ids []string
	var payloads []string
	if limit > 0 {
		msgs, err := q.rdb.XRangeN(ctx, q.dead, "-", "+", int64(limit)).Result()
		if err != nil {
			return 0, fmt.Errorf("reading dead letters: %w", err)
		}
		for _, m := range msgs {
			s, _ := m.Values["job"].(string)
			ids, payloads = append(ids, m.ID), append(payloads, s)
		}
	} else {
		msgs, err := q.rdb.XRange(ctx, q.dead, "-", "+").Result()
		if err != nil {
			return 0, fmt.Errorf("reading dead letters: %w", err)
		}
		for _, m := range msgs {
			s, _ := m.Values["job"].(string)
			ids, payloads = append(ids, m.ID), append(payloads, s)
		}
	}
	moved := 0
	for i, p := range payloads {
		var j Job
		if err := json.Unmarshal([]byte(p), &j); err != nil {
			continue // not a job: leave it for a person to read
		}
		if _, err := q.Enqueue(ctx, fresh(j)); err != nil {
			return moved, fmt.Errorf("requeueing job %s: %w", j.ID, err)
		}
		if err := q.rdb.XDel(ctx, q.dead, ids[i]).Err(); err != nil {
			return moved, fmt.Errorf("removing dead letter %s: %w", ids[i], err)
		}
		moved++
	}
	return moved, nil
}

// Requeue implements what Redis.Requeue does, in memory.
func (m *Memory) Requeue(ctx context.Context, limit int) (int, error) {
	m.mu.Lock()
	n := len(m.dead)
	if limit > 0 && limit < n {
		n = limit
	}
	take := append([]DeadLetter(nil), m.dead[:n]...)
	m.mu.Unlock()
	moved := 0
	for _, dl := range take {
		if _, err := m.Enqueue(ctx, fresh(dl.Job)); err != nil {
			return moved, fmt.Errorf("requeueing job %s: %w", dl.Job.ID, err)
		}
		m.mu.Lock()
		m.dead = m.dead[1:]
		m.mu.Unlock()
		moved++
	}
	return moved, nil
}
