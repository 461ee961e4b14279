// Package redistest connects tests to the test Redis: the one
// SHIFTWARD_TEST_REDIS_URL names (default redis://127.0.0.1:6379), each
// package at a database number of its own so packages testing in parallel
// never see each other's keys. `make test` starts a Redis when none answers.
package redistest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// URL is the test Redis at database db. It checks that Redis answers: the
// test is skipped when none does on a developer's machine, and fails in CI,
// where a silently skipped suite would hide a broken queue.
func URL(tb testing.TB, db int) string {
	tb.Helper()
	raw := os.Getenv("SHIFTWARD_TEST_REDIS_URL")
	if raw == "" {
		raw = "redis://127.0.0.1:6379"
	}
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatalf("SHIFTWARD_TEST_REDIS_URL: %v", err)
	}
	u.Path = fmt.Sprintf("/%d", db)
	c := Client(tb, u.String())
	c.Close()
	return u.String()
}

// Client connects to rawURL, skipping (or, in CI, failing) the test when
// Redis does not answer. The caller closes it.
func Client(tb testing.TB, rawURL string) *redis.Client {
	tb.Helper()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		tb.Fatalf("SHIFTWARD_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		if os.Getenv("CI") != "" {
			tb.Fatalf("test Redis unreachable at %s: %v", opt.Addr, err)
		}
		tb.Skipf("test Redis unreachable at %s (run `make test`, which starts one): %v", opt.Addr, err)
	}
	return c
}

// Clean deletes every key under prefix when the test ends.
func Clean(tb testing.TB, rawURL, prefix string) {
	tb.Cleanup(func() {
		opt, err := redis.ParseURL(rawURL)
		if err != nil {
			return
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
}
