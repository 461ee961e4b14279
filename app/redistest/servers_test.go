package redistest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/redistest"
)

// The servers come up as the URLs say: a cluster of three masters that
// refuses keys of several slots in one script, a Sentinel that names its
// master, each behind its password.
func TestServers(t *testing.T) {
	t.Parallel()
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		u := redistest.Cluster(t, "clu-pass")
		o, err := redis.ParseClusterURL(strings.Replace(u, "redis+cluster", "redis", 1))
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewClusterClient(o)
		defer c.Close()
		ctx := context.Background()
		if n := len(c.ClusterShards(ctx).Val()); n != 3 {
			t.Errorf("%d shards, want 3", n)
		}
		err = c.Eval(ctx, "return redis.call('SET', KEYS[1], 1) and redis.call('SET', KEYS[2], 1)", []string{"a", "b"}).Err()
		if err == nil || !strings.Contains(err.Error(), "CROSSSLOT") {
			t.Errorf("a script on keys of two slots: %v, want CROSSSLOT", err)
		}
		if err := c.Eval(ctx, "redis.call('SET', KEYS[1], 1) redis.call('SET', KEYS[2], 1) return 1", []string{"{t}a", "{t}b"}).Err(); err != nil {
			t.Errorf("a script on keys of one hash tag: %v", err)
		}
		o.Password = ""
		c2 := redis.NewClusterClient(o)
		defer c2.Close()
		if err := c2.Ping(ctx).Err(); err == nil {
			t.Error("cluster answers without its password")
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		t.Parallel()
		u := redistest.Sentinel(t, "master-pass", "sentinel-pass")
		o, err := redis.ParseFailoverURL(strings.Replace(u, "redis+sentinel", "redis", 1))
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewFailoverClient(o)
		defer c.Close()
		ctx := context.Background()
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatalf("SET through the sentinel: %v", err)
		}
		if role := c.Do(ctx, "ROLE").Val(); role == nil {
			t.Error("no ROLE")
		}
		o.Password = ""
		c2 := redis.NewFailoverClient(o)
		defer c2.Close()
		if err := c2.Ping(ctx).Err(); err == nil {
			t.Error("master answers without its password")
		}
	})
}
