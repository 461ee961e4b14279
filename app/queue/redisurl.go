package queue

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisMode says how a Redis URL reaches Redis.
type RedisMode string

// The modes of NewRedisClient, chosen by the URL's scheme.
const (
	// RedisSingle is one server: redis://, rediss:// or unix://.
	RedisSingle RedisMode = "single"
	// RedisSentinel finds the master through Sentinels: redis+sentinel://
	// or rediss+sentinel://.
	RedisSentinel RedisMode = "sentinel"
	// RedisCluster is a Redis Cluster: redis+cluster:// or rediss+cluster://.
	RedisCluster RedisMode = "cluster"
)

// MaxRedisURLLen bounds a Redis URL: a few dozen seed addresses and every
// option fit in far less.
const MaxRedisURLLen = 4096

// maxRedisOptionInt bounds the integer options of a URL (pool sizes,
// buffer sizes, retries): go-redis panics on a pool size over 2^31 and
// sizes channels and buffers by them.
const maxRedisOptionInt = 1 << 24

// maxRedisConns bounds the connection-count options: each is a socket, and
// min_idle_conns opens that many at once.
const maxRedisConns = 10000

// replicaOptions send some commands to replicas. The queue reads what it
// has just written (a head sha, a pending entry), so every command must go
// to the master.
var replicaOptions = map[RedisMode][]string{
	RedisSentinel: {"replica_only", "use_disconnected_replicas", "route_by_latency", "route_randomly"},
	RedisCluster:  {"read_only", "route_by_latency", "route_randomly"},
}

// NewRedisClient returns a client for rawURL, which names its mode by its
// scheme; the rest of the URL is go-redis' own format for that mode:
//
//	redis://[[user]:password@]host[:port][/db]      one server (ParseURL)
//	rediss://...                                    the same over TLS
//	unix://[[user]:password@]/path/redis.sock[?db=N]
//	redis+sentinel://[[user]:password@]host:port[/db]?master_name=NAME[&addr=host:port...][&username=U][&password=P]
//	                                                Sentinel (ParseFailoverURL): the user
//	                                                info signs in to the Sentinels, the
//	                                                username and password parameters to
//	                                                the master
//	redis+cluster://[[user]:password@]host:port[?addr=host:port...]
//	                                                Cluster seed nodes (ParseClusterURL)
//	rediss+sentinel://..., rediss+cluster://...     the same over TLS
//
// Every form takes go-redis' connection options as query parameters
// (dial_timeout, read_timeout, pool_size, ...). Options that send commands
// to replicas are refused: the queue must read its own writes. The client
// does not connect until used. Errors never quote the URL or its passwords.
func NewRedisClient(rawURL string) (redis.UniversalClient, RedisMode, error) {
	u, mode, err := splitRedisURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	fail := func(err error) (redis.UniversalClient, RedisMode, error) {
		return nil, "", errors.New("queue: invalid redis URL: " + redact(err.Error(), u))
	}
	if err := checkRedisOptions(u, mode); err != nil {
		return fail(err)
	}
	// go-redis parses the URL again, under the plain scheme its parsers
	// know (url.Parse lower-cased the scheme; its length is unchanged).
	plain := strings.TrimSuffix(strings.TrimSuffix(u.Scheme, "+sentinel"), "+cluster") + rawURL[len(u.Scheme):]
	switch mode {
	case RedisSentinel:
		o, err := redis.ParseFailoverURL(plain)
		if err != nil {
			return fail(err)
		}
		if o.MasterName == "" {
			return fail(errors.New("redis+sentinel needs master_name=<the name the Sentinels monitor>"))
		}
		return construct(mode, u, func() redis.UniversalClient { return redis.NewFailoverClient(o) })
	case RedisCluster:
		if p := strings.Trim(u.Path, "/"); p != "" && p != "0" {
			return fail(errors.New("a Redis Cluster has database 0 only: drop the /" + p))
		}
		o, err := redis.ParseClusterURL(plain)
		if err != nil {
			return fail(err)
		}
		return construct(mode, u, func() redis.UniversalClient { return redis.NewClusterClient(o) })
	default:
		o, err := redis.ParseURL(plain)
		if err != nil {
			if strings.Contains(err.Error(), "master_name") {
				return fail(errors.New("master_name is a Sentinel option: use redis+sentinel://"))
			}
			return fail(err)
		}
		return construct(mode, u, func() redis.UniversalClient { return redis.NewClient(o) })
	}
}

// construct calls newClient, turning a panic (go-redis panics on options
// it cannot build a pool from) into an error: a bad setting must stop
// start-up with one line, not a stack trace.
func construct(mode RedisMode, u *url.URL, newClient func() redis.UniversalClient) (c redis.UniversalClient, _ RedisMode, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, mode, err = nil, "", errors.New("queue: invalid redis URL: "+redact(fmt.Sprint(r), u))
		}
	}()
	return newClient(), mode, nil
}

// splitRedisURL parses rawURL (bounded, never quoted in the error) and
// reads its mode from the scheme.
func splitRedisURL(rawURL string) (*url.URL, RedisMode, error) {
	if len(rawURL) > MaxRedisURLLen {
		return nil, "", fmt.Errorf("queue: invalid redis URL: over %d bytes", MaxRedisURLLen)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the URL, password and all.
		return nil, "", errors.New("queue: invalid redis URL: not a URL")
	}
	switch u.Scheme {
	case "redis", "rediss", "unix":
		return u, RedisSingle, nil
	case "redis+sentinel", "rediss+sentinel":
		return u, RedisSentinel, nil
	case "redis+cluster", "rediss+cluster":
		return u, RedisCluster, nil
	}
	return nil, "", errors.New("queue: invalid redis URL: want a scheme of redis, rediss, unix, redis+sentinel, rediss+sentinel, redis+cluster or rediss+cluster")
}

// checkRedisOptions refuses what go-redis would accept but the queue cannot
// work with, or what would make it panic.
func checkRedisOptions(u *url.URL, mode RedisMode) error {
	q := u.Query()
	for _, name := range replicaOptions[mode] {
		if v := q.Get(name); v != "" && v != "false" && v != "0" {
			return fmt.Errorf("%s sends commands to replicas; the queue must read its own writes from the master", name)
		}
	}
	for name, vs := range q {
		for _, v := range vs {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue // go-redis reports what it cannot read
			}
			lo, hi := int64(-1), int64(maxRedisOptionInt)
			switch {
			case name == "pipeline_pool_size": // -1 opts out
				hi = maxRedisConns
			case strings.HasSuffix(name, "_conns") || name == "pool_size" || name == "max_concurrent_dials":
				lo, hi = 0, maxRedisConns
			}
			if n < lo || n > hi {
				return fmt.Errorf("option %s is out of range (%d to %d)", name, lo, hi)
			}
		}
	}
	addrs := q["addr"]
	if len(addrs) > 64 {
		return fmt.Errorf("%d addr parameters, at most 64", len(addrs))
	}
	for i, a := range addrs {
		// go-redis takes any port; a wrong one would fail only when dialled.
		// The value is not quoted: it may be a misplaced password.
		h, p, err := net.SplitHostPort(a)
		if n, perr := strconv.Atoi(p); err != nil || h == "" || perr != nil || n < 1 || n > 65535 {
			return fmt.Errorf("addr parameter %d is not host:port", i+1)
		}
	}
	return nil
}

// redact removes the URL's passwords from msg: go-redis' errors quote
// option values and addresses, and a password put in the wrong place must
// not reach a log.
func redact(msg string, u *url.URL) string {
	var secrets []string
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	for name, vs := range u.Query() {
		if strings.Contains(name, "password") {
			for _, v := range vs {
				secrets = append(secrets, v, url.QueryEscape(v))
			}
		}
	}
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}

// HasHashTag reports whether every key that starts with prefix hashes to
// one Redis Cluster slot: the prefix holds a '{', then a '}' with at least
// one byte between (the cluster hashes only the bytes between the first '{'
// and the first '}' after it).
func HasHashTag(prefix string) bool {
	open := strings.IndexByte(prefix, '{')
	if open < 0 {
		return false
	}
	return strings.IndexByte(prefix[open+1:], '}') > 0
}
