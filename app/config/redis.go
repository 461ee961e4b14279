package config

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxRedisURLLen bounds SHIFTWARD_REDIS_URL (the queue refuses longer).
const MaxRedisURLLen = 4096

// MaxRedisPrefixLen bounds SHIFTWARD_REDIS_PREFIX: it starts every key.
const MaxRedisPrefixLen = 128

// redisSchemes name the modes of SHIFTWARD_REDIS_URL; app/queue's
// NewRedisClient reads the rest of the URL in go-redis' format for the mode.
var redisSchemes = map[string]string{
	"redis": "single", "rediss": "single", "unix": "single",
	"redis+sentinel": "sentinel", "rediss+sentinel": "sentinel",
	"redis+cluster": "cluster", "rediss+cluster": "cluster",
}

// RedisFromEnv reads SHIFTWARD_REDIS_URL and SHIFTWARD_REDIS_PREFIX and
// checks them (`shiftward dead` reads only these); warnings are settings
// that work but deserve a look.
func RedisFromEnv(getenv func(string) string) (rawURL, prefix string, warnings []string, err error) {
	rawURL, prefix = strings.TrimSpace(getenv(EnvRedisURL)), strings.TrimSpace(getenv(EnvRedisPrefix))
	warnings, err = checkRedis(rawURL, prefix)
	return rawURL, prefix, warnings, err
}

// checkRedis is FromEnv's Redis check; it adds its warnings to c's.
func (c *Config) checkRedis() error {
	w, err := checkRedis(c.RedisURL, c.RedisPrefix)
	c.Warnings = append(c.Warnings, w...)
	return err
}

// checkRedis checks the URL's form and mode (never quoting it: it may hold
// passwords) and that the prefix suits the mode: in Redis Cluster every key
// the queue touches in one script must hash to one slot, so the prefix must
// hold a hash tag. Without one, a single server or Sentinel works, but the
// same keys could not move to a cluster: a warning.
func checkRedis(rawURL, prefix string) ([]string, error) {
	if len(prefix) > MaxRedisPrefixLen {
		return nil, &Error{EnvRedisPrefix, fmt.Sprintf("over %d bytes", MaxRedisPrefixLen)}
	}
	if rawURL == "" {
		return nil, nil
	}
	const forms = "want redis://[:password@]host:6379/0, rediss://..., unix:///path.sock, redis+sentinel://host:26379/0?master_name=NAME or redis+cluster://host:7000?addr=host:7001 (see README, Redis)"
	if len(rawURL) > MaxRedisURLLen {
		return nil, &Error{EnvRedisURL, fmt.Sprintf("over %d bytes", MaxRedisURLLen)}
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{EnvRedisURL, "not a URL: " + forms}
	}
	mode, ok := redisSchemes[u.Scheme]
	if !ok {
		return nil, &Error{EnvRedisURL, "unknown scheme: " + forms}
	}
	if mode == "sentinel" && u.Query().Get("master_name") == "" {
		return nil, &Error{EnvRedisURL, "redis+sentinel needs master_name=<the name the Sentinels monitor>"}
	}
	if prefix == "" {
		return nil, nil // the default, {shiftward}, is a hash tag
	}
	if hasHashTag(prefix) {
		return nil, nil
	}
	tagged := "{" + strings.NewReplacer("{", "", "}", "").Replace(prefix) + "}"
	if mode == "cluster" {
		return nil, &Error{EnvRedisPrefix, fmt.Sprintf("%q has no {hash tag}: in Redis Cluster the queue's keys must share one slot; use e.g. %q", prefix, tagged)}
	}
	return []string{fmt.Sprintf("%s %q has no {hash tag}: fine on one Redis, but Redis Cluster would refuse it (e.g. %q works on both)", EnvRedisPrefix, prefix, tagged)}, nil
}

// hasHashTag reports whether every key starting with prefix hashes to one
// Redis Cluster slot: a '{', then a '}' with at least one byte between
// (the cluster hashes only what is between the first '{' and the first '}'
// after it). app/queue's HasHashTag is the same rule.
func hasHashTag(prefix string) bool {
	open := strings.IndexByte(prefix, '{')
	return open >= 0 && strings.IndexByte(prefix[open+1:], '}') > 0
}
