package ratelimit_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/platform/hostapi"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// testDB is this package's own database on the test Redis.
const testDB = 14

var _ hostapi.WindowStore = (*ratelimit.Store)(nil)

func newStore(t *testing.T) (*ratelimit.Store, *redis.Client, string) {
	t.Helper()
	url := redistest.URL(t, testDB)
	rdb := redistest.Client(t, url)
	t.Cleanup(func() { rdb.Close() })
	prefix := fmt.Sprintf("{rl-%s-%d}%s", t.Name(), time.Now().UnixNano(), ratelimit.KeyPart)
	redistest.Clean(t, url, prefix)
	return ratelimit.New(rdb, prefix, nil), rdb, prefix
}

func TestStoreKeepsTheLaterWindow(t *testing.T) {
	s, rdb, prefix := newStore(t)
	ctx := context.Background()
	const key = "github:installation:7"

	if left, err := s.Remaining(ctx, key); err != nil || left != 0 {
		t.Fatalf("Remaining before any window = %s, %v; want 0", left, err)
	}
	steps := []struct {
		open     time.Duration
		wantLeft time.Duration // about
	}{
		{30 * time.Second, 30 * time.Second},
		{5 * time.Second, 30 * time.Second}, // shorter: the longer stays
		{90 * time.Second, 90 * time.Second},
	}
	for _, st := range steps {
		left, err := s.Open(ctx, key, st.open)
		if err != nil {
			t.Fatal(err)
		}
		if left > st.wantLeft || left < st.wantLeft-2*time.Second {
			t.Errorf("Open(%s) = %s, want about %s", st.open, left, st.wantLeft)
		}
		if got, _ := s.Remaining(ctx, key); got > st.wantLeft || got < st.wantLeft-2*time.Second {
			t.Errorf("Remaining after Open(%s) = %s, want about %s", st.open, got, st.wantLeft)
		}
	}
	// The value is the window's end, for an operator; the expiry its length.
	v, err := rdb.Get(ctx, prefix+key).Result()
	if err != nil {
		t.Fatal(err)
	}
	end, _ := strconv.ParseInt(v, 10, 64)
	if d := time.Until(time.UnixMilli(end)); d < 85*time.Second || d > 91*time.Second {
		t.Errorf("stored end is %s away, want about 90s", d)
	}
	if other, _ := s.Remaining(ctx, "github:installation:8"); other != 0 {
		t.Errorf("another installation's window = %s, want none", other)
	}
}

func TestStoreWindowExpires(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	if _, err := s.Open(ctx, "gitlab:token:ab", 150*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if left, err := s.Remaining(ctx, "gitlab:token:ab"); err != nil || left != 0 {
		t.Errorf("Remaining after the window = %s, %v; want 0", left, err)
	}
}

// TestStoreConcurrentOpens races many processes' worth of Opens: whatever
// the order, the longest window is what stays.
func TestStoreConcurrentOpens(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Open(ctx, "k", time.Duration(i+1)*time.Second); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if left, _ := s.Remaining(ctx, "k"); left < 38*time.Second || left > 40*time.Second {
		t.Errorf("Remaining = %s, want the longest window (40s)", left)
	}
}

// TestStoreDownLogsOnce: an unreachable Redis is an error the Limiter falls
// back on, logged once for the outage, not once per request.
func TestStoreDownLogsOnce(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer rdb.Close()
	logs := &scannertest.LogBuffer{}
	s := ratelimit.New(rdb, "{x}"+ratelimit.KeyPart, slog.New(slog.NewTextHandler(logs, nil)))
	ctx := context.Background()
	for range 3 {
		if _, err := s.Remaining(ctx, "k"); err == nil {
			t.Fatal("Remaining on a closed port succeeded")
		}
		if _, err := s.Open(ctx, "k", time.Second); err == nil {
			t.Fatal("Open on a closed port succeeded")
		}
	}
	if n := strings.Count(logs.String(), "cannot be shared"); n != 1 {
		t.Errorf("outage logged %d times, want once:\n%s", n, logs.String())
	}
}

// TestStoreHangingRedisDoesNotHoldCalls: a Redis that accepts connections
// but never answers costs an API call no more than its context allows, and
// while it is down the next calls do not wait at all.
func TestStoreHangingRedisDoesNotHoldCalls(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1})
	defer rdb.Close()
	s := ratelimit.New(rdb, "{x}"+ratelimit.KeyPart, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := s.Remaining(ctx, "k"); err == nil {
		t.Fatal("Remaining on a hanging Redis succeeded")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Remaining took %s on a hanging Redis, want about the context's 100ms", d)
	}
	start = time.Now()
	if _, err := s.Open(context.Background(), "k", time.Second); err == nil {
		t.Fatal("Open while down succeeded")
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("Open while Redis is known down took %s, want no wait", d)
	}
}
