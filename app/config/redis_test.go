package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
)

// Each Redis URL form is accepted; a prefix without a hash tag stops a
// cluster at start-up with one line naming the prefix variable, and only
// draws a warning elsewhere; nothing quotes the URL's password.
func TestRedisSettings(t *testing.T) {
	const pw = "pa55-w0rd-x" // shiftward:ignore secrets/password-assignment test fixture, not a credential
	tests := []struct {
		name, url, prefix string
		wantVar           string // the variable an error names; "" accepted
		wantWarn          bool
	}{
		{"one server", "redis://:" + pw + "@cache:6379/0", "", "", false},
		{"tls", "rediss://user:" + pw + "@cache:6380/1", "{acme}", "", false},
		{"unix socket", "unix:///run/redis.sock?db=2", "", "", false},
		{"sentinel", "redis+sentinel://:" + pw + "@s1:26379/0?master_name=main&addr=s2:26379&password=" + pw, "", "", false},
		{"sentinel over tls", "rediss+sentinel://s1:26379/0?master_name=main", "", "", false},
		{"cluster", "redis+cluster://:" + pw + "@n1:7000?addr=n2:7000&addr=n3:7000", "", "", false},
		{"cluster with a tagged prefix", "rediss+cluster://n1:7000", "prod{shiftward}", "", false},
		{"no url, untagged prefix", "", "acme", "", false},
		{"one server, untagged prefix", "redis://cache:6379/0", "acme", "", true},
		{"sentinel, untagged prefix", "redis+sentinel://s1:26379/0?master_name=m", "acme", "", true},
		{"cluster, untagged prefix", "redis+cluster://:" + pw + "@n1:7000", "acme", config.EnvRedisPrefix, false},
		{"cluster, empty tag", "redis+cluster://n1:7000", "{}acme", config.EnvRedisPrefix, false},
		{"cluster, unclosed tag", "redis+cluster://n1:7000", "{acme", config.EnvRedisPrefix, false},
		{"sentinel without master name", "redis+sentinel://:" + pw + "@s1:26379/0", "", config.EnvRedisURL, false},
		{"no scheme", "cache:6379", "", config.EnvRedisURL, false},
		{"other scheme", "http://:" + pw + "@cache:6379", "", config.EnvRedisURL, false},
		{"sentinel spelt otherwise", "redis-sentinel://:" + pw + "@s1:26379", "", config.EnvRedisURL, false},
		{"not a URL", "redis://:" + pw + "@[cache", "", config.EnvRedisURL, false},
		{"url too long", "redis://cache/0?" + strings.Repeat("x", config.MaxRedisURLLen), "", config.EnvRedisURL, false},
		{"prefix too long", "redis://cache/0", "{" + strings.Repeat("p", config.MaxRedisPrefixLen) + "}", config.EnvRedisPrefix, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.FromEnv(env(map[string]string{config.EnvRedisURL: tt.url, config.EnvRedisPrefix: tt.prefix}))
			if tt.wantVar == "" {
				if err != nil {
					t.Fatalf("FromEnv() = %v", err)
				}
				warned := false
				for _, w := range c.Warnings {
					if strings.Contains(w, config.EnvRedisPrefix) && strings.Contains(w, "hash tag") {
						warned = true
					}
				}
				if warned != tt.wantWarn {
					t.Errorf("hash tag warning %v, want %v: %q", warned, tt.wantWarn, c.Warnings)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != tt.wantVar {
				t.Fatalf("FromEnv() = %v, want an error naming %s", err, tt.wantVar)
			}
			if msg := err.Error(); strings.Contains(msg, pw) || strings.Contains(msg, "\n") {
				t.Errorf("error %q quotes the password or spans lines", msg)
			}
		})
	}
}

// RedisFromEnv, which `shiftward dead` reads, applies the same checks.
func TestRedisFromEnv(t *testing.T) {
	u, p, w, err := config.RedisFromEnv(env(map[string]string{config.EnvRedisURL: " redis+cluster://n1:7000 ", config.EnvRedisPrefix: "{a}"}))
	if err != nil || u != "redis+cluster://n1:7000" || p != "{a}" || len(w) != 0 {
		t.Errorf("RedisFromEnv = %q, %q, %q, %v", u, p, w, err)
	}
	if _, _, _, err := config.RedisFromEnv(env(map[string]string{config.EnvRedisURL: "redis+cluster://n1:7000", config.EnvRedisPrefix: "a"})); err == nil {
		t.Error("RedisFromEnv accepted a cluster prefix without a hash tag")
	}
}
