package osv_test

import (
	"context"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/osv"
	"github.com/shiftward/shiftward/app/osv/osvtest"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/scanners/deps"
)

// TestRedisCacheCluster: on a real Redis Cluster, with the prefix the app
// gives (the queue's hash tag + ":osv:"), a second query is answered from
// the cache. Without the tag the cache's MGET spans slots and fails, and
// every query goes to OSV: the tag is what makes the cache work there.
func TestRedisCacheCluster(t *testing.T) {
	rdb, _, err := queue.NewRedisClient(redistest.Cluster(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	ctx := context.Background()
	pkgs := []deps.Package{flask, ansi, numpy}
	for _, tc := range []struct {
		prefix string
		cached bool
	}{
		{queue.DefaultPrefix + ":osv:", true},
		{"shiftward:osv:", false},
	} {
		srv := osvtest.New(t)
		c := newClient(t, osv.Options{URL: srv.URL, Redis: rdb, Prefix: tc.prefix, TTL: time.Minute})
		if _, err := c.Query(ctx, pkgs); err != nil {
			t.Fatal(err)
		}
		srv.ResetCounts()
		if _, err := c.Query(ctx, pkgs); err != nil {
			t.Fatal(err)
		}
		if cached := srv.Requests() == 0; cached != tc.cached {
			t.Errorf("prefix %q: answered from the cache %v, want %v (%d requests)", tc.prefix, cached, tc.cached, srv.Requests())
		}
	}
}
