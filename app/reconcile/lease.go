package reconcile

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lease is a leader lease in Redis: the key holds the holder's random token
// and expires after the lease's TTL unless the holder renews it, so a
// holder that dies (SIGKILL, a lost network) hands over after one TTL. Only
// the holder's token renews or releases it (compare-and-set scripts), so a
// holder that paused past its TTL cannot release a lease another took.
type Lease struct {
	rdb   redis.UniversalClient
	key   string
	ttl   time.Duration
	token string
}

// NewLease makes a lease on key with a fresh token; it holds nothing yet.
func NewLease(rdb redis.UniversalClient, key string, ttl time.Duration) *Lease {
	var b [16]byte
	_, _ = crand.Read(b[:])
	return &Lease{rdb: rdb, key: key, ttl: ttl, token: hex.EncodeToString(b[:])}
}

// renewScript extends the lease if the token holds it, or takes it if
// nobody does. KEYS[1] the lease; ARGV token, ttl ms. 1 when held after.
var renewScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

// releaseScript deletes the lease if the token holds it.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Hold takes the lease when free, renews it when this Lease holds it, and
// reports whether it holds it now.
func (l *Lease) Hold(ctx context.Context) (bool, error) {
	n, err := renewScript.Run(ctx, l.rdb, []string{l.key}, l.token, l.ttl.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("reconciler lease: %w", err)
	}
	return n == 1, nil
}

// Release gives the lease up if this Lease holds it, so another replica
// takes over at once rather than after a TTL.
func (l *Lease) Release(ctx context.Context) error {
	if err := releaseScript.Run(ctx, l.rdb, []string{l.key}, l.token).Err(); err != nil {
		return fmt.Errorf("releasing reconciler lease: %w", err)
	}
	return nil
}
