package queue_test

import (
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/queue"
)

// Every documented form gives the client of its mode, with what the URL
// says (addresses, database, credentials, TLS) where go-redis put it.
func TestNewRedisClientForms(t *testing.T) {
	tests := []struct {
		url   string
		mode  queue.RedisMode
		check func(t *testing.T, c redis.UniversalClient)
	}{
		{"redis://:pw@cache:6380/2", queue.RedisSingle, func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Addr != "cache:6380" || o.DB != 2 || o.Password != "pw" || o.TLSConfig != nil {
				t.Errorf("options %+v", o)
			}
		}},
		{"rediss://user:pw@cache/0?dial_timeout=2s", queue.RedisSingle, func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Addr != "cache:6379" || o.Username != "user" || o.TLSConfig == nil || o.DialTimeout.Seconds() != 2 {
				t.Errorf("options %+v", o)
			}
		}},
		{"unix:///run/redis.sock?db=3", queue.RedisSingle, func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.Client).Options()
			if o.Network != "unix" || o.Addr != "/run/redis.sock" || o.DB != 3 {
				t.Errorf("options %+v", o)
			}
		}},
		{"REDIS+SENTINEL://:spw@s1:26379/1?master_name=main&addr=s2:26379&password=mpw", queue.RedisSentinel, nil},
		{"rediss+sentinel://s1:26379?master_name=main", queue.RedisSentinel, nil},
		{"redis+cluster://:pw@n1:7000?addr=n2:7001&addr=n3:7002", queue.RedisCluster, func(t *testing.T, c redis.UniversalClient) {
			o := c.(*redis.ClusterClient).Options()
			if strings.Join(o.Addrs, ",") != "n1:7000,n2:7001,n3:7002" || o.Password != "pw" || o.TLSConfig != nil {
				t.Errorf("options %+v", o)
			}
		}},
		{"rediss+cluster://n1:7000/0", queue.RedisCluster, func(t *testing.T, c redis.UniversalClient) {
			if o := c.(*redis.ClusterClient).Options(); o.TLSConfig == nil || o.TLSConfig.ServerName != "n1" {
				t.Errorf("options %+v", o)
			}
		}},
	}
	for _, tc := range tests {
		c, mode, err := queue.NewRedisClient(tc.url)
		if err != nil {
			t.Errorf("NewRedisClient(%s): %v", tc.url, err)
			continue
		}
		if mode != tc.mode {
			t.Errorf("NewRedisClient(%s) mode %q, want %q", tc.url, mode, tc.mode)
		}
		if tc.check != nil {
			tc.check(t, c)
		}
		c.Close()
	}
}

// A bad URL is refused with one line that says why, and never with a
// password in it, wherever the password was written.
func TestNewRedisClientRefusals(t *testing.T) {
	const secret = "s3cr3t-PASS" // shiftward:ignore secrets/secret-assignment test fixture, not a credential
	tests := []struct{ url, want string }{
		{"http://:" + secret + "@host", "want a scheme of redis"},
		{"redis://:" + secret + "@[bad", "not a URL"},
		{"redis://:" + secret + "@host:port/0", "not a URL"},
		{"redis://:" + secret + "@host/x" + secret, "invalid database number"},
		{"redis://:" + secret + "@host/0?nope=" + secret, "unexpected option: nope"},
		{"redis://:" + secret + "@host/0?master_name=m", "use redis+sentinel://"},
		{"redis://host/0?password=" + secret, "unexpected option: password"},
		{"redis+sentinel://:" + secret + "@s1:26379/0", "needs master_name"},
		{"redis+sentinel://s1:26379/0?master_name=m&password=" + secret + "&addr=" + secret, "addr parameter 1 is not host:port"},
		{"redis+sentinel://s1:26379/0?master_name=m&password=" + secret + "&addr=s2:" + secret, "addr parameter 1 is not host:port"},
		{"redis+sentinel://s1:26379/0?master_name=m&replica_only=true", "replicas"},
		{"redis+sentinel://s1:26379/0?master_name=m&route_by_latency=1", "replicas"},
		{"redis+sentinel://s1:26379/0?master_name=m&route_randomly=true", "replicas"},
		{"redis+cluster://:" + secret + "@n1:7000?read_only=true", "replicas"},
		{"redis+cluster://:" + secret + "@n1:7000/3", "database 0 only"},
		{"redis+cluster://:" + secret + "@n1:7000?db=1", "unexpected option: db"},
		{"redis+cluster://:" + secret + "@n1:7000?addr=" + secret, "addr parameter 1 is not host:port"},
		{"redis://:" + secret + "@host/0?pool_size=3000000000", "pool_size is out of range"},
		{"redis://host/0?pool_size=-1", "pool_size is out of range"},
		{"redis://host/0?max_retries=-2", "max_retries is out of range"},
		{"redis+cluster://n1:7000?min_idle_conns=100000", "min_idle_conns is out of range"},
		{"redis://:" + secret + "@host/0?read_buffer_size=99999999999", "out of range"},
		{"redis://:" + secret + "@host/0?dial_timeout=" + secret, "invalid dial_timeout"},
		{"redis://" + strings.Repeat("a", queue.MaxRedisURLLen), "over 4096 bytes"},
		{"redis+cluster://n1:7000?" + strings.Repeat("addr=n:1&", 65), "at most 64"},
	}
	for _, tc := range tests {
		c, _, err := queue.NewRedisClient(tc.url)
		if err == nil {
			c.Close()
			t.Errorf("NewRedisClient(%.60s) accepted", tc.url)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("NewRedisClient(%.60s) = %q, want one line with %q", tc.url, msg, tc.want)
		}
		if strings.Contains(msg, secret) || strings.Contains(msg, "s3cr3t") {
			t.Errorf("NewRedisClient(%.60s) error quotes the password: %q", tc.url, msg)
		}
	}
}

func TestHasHashTag(t *testing.T) {
	for prefix, want := range map[string]bool{
		"{shiftward}": true, "app{x}": true, "{a}{b}": true, "{a}}": true, "a{b}c{": true,
		"shiftward": false, "{}shiftward": false, "{shiftward": false, "shiftward}": false, "}{": false, "": false,
		"{}{x}": false, // the cluster hashes the whole key when the first tag is empty
	} {
		if got := queue.HasHashTag(prefix); got != want {
			t.Errorf("HasHashTag(%q) = %v, want %v", prefix, got, want)
		}
	}
}

// FuzzNewRedisClient: any URL gives a client or an error, never a panic,
// and an error never quotes the password of the URL's user info.
func FuzzNewRedisClient(f *testing.F) {
	for _, s := range []string{
		"redis://:pw@h:1/0", "redis+cluster://:pw@h:1?addr=h:2", "redis+sentinel://:pw@h:1/0?master_name=m&password=x",
		"unix:///s?db=1", "rediss://u:p@h/0?pool_size=-1", "redis+cluster://h:1?max_redirects=99999999999999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, _, err := queue.NewRedisClient(raw)
		if err == nil {
			c.Close()
			return
		}
		if i, j := strings.Index(raw, "://:"), strings.LastIndex(raw, "@"); i >= 0 && j > i+4 {
			if pw := raw[i+4 : j]; len(pw) >= 8 && !strings.ContainsAny(pw, "/?#@%[]") && strings.Contains(err.Error(), pw) {
				t.Errorf("error quotes the password %q: %v", pw, err)
			}
		}
	})
}
