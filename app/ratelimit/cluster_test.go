package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/ratelimit"
	"github.com/shiftward/shiftward/app/redistest"
)

// TestStoreOnCluster: two processes share a window through a real Redis
// Cluster, and the window's key lives in the queue's slot (the app gives
// the queue's prefix, hash tag and all).
func TestStoreOnCluster(t *testing.T) {
	clients := make([]redis.UniversalClient, 2)
	u := redistest.Cluster(t, "rl-secret")
	for i := range clients {
		c, mode, err := queue.NewRedisClient(u)
		if err != nil || mode != queue.RedisCluster {
			t.Fatalf("NewRedisClient: %v, %v", mode, err)
		}
		t.Cleanup(func() { c.Close() })
		clients[i] = c
	}
	prefix := queue.DefaultPrefix + ratelimit.KeyPart
	a, b := ratelimit.New(clients[0], prefix, nil), ratelimit.New(clients[1], prefix, nil)
	ctx := context.Background()
	const key = "github:installation:9"
	if _, err := a.Open(ctx, key, time.Minute); err != nil {
		t.Fatal(err)
	}
	if left, err := b.Remaining(ctx, key); err != nil || left < 55*time.Second {
		t.Errorf("the other process sees %s, %v; want about a minute", left, err)
	}
	admin := clients[0]
	if got, want := admin.ClusterKeySlot(ctx, prefix+key).Val(), admin.ClusterKeySlot(ctx, queue.DefaultPrefix+":jobs").Val(); got != want {
		t.Errorf("window key in slot %d, the queue's stream in %d", got, want)
	}
	if n := admin.Exists(ctx, prefix+key).Val(); n != 1 {
		t.Errorf("window key %s not in the cluster", prefix+key)
	}
}
