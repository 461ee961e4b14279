package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/redistest"
)

// TestDeadThroughCluster: `shiftward dead` lists and requeues through a
// real Redis Cluster, reached by the same URL as the workers.
func TestDeadThroughCluster(t *testing.T) {
	url := redistest.Cluster(t, "dead-secret-7")
	deadRoundTrip(t, url, "{dead-cluster}")

	// The same cluster under a prefix without a hash tag: refused, one line.
	t.Setenv(config.EnvRedisPrefix, "dead-cluster")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"dead"}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), config.EnvRedisPrefix) ||
		strings.Count(stderr.String(), "\n") != 1 || strings.Contains(stderr.String(), "dead-secret-7") {
		t.Errorf("dead with an untagged cluster prefix: exit %d, stderr %q", code, stderr.String())
	}
}

// A URL `dead` cannot use is one line on stderr without its password.
func TestDeadBadURL(t *testing.T) {
	for _, u := range []string{"redis+cluster://:dead-secret-8@[n1", "redis://:dead-secret-8@n1/0?nope=1", "redis+sentinel://:dead-secret-8@s1:26379/0"} {
		t.Setenv(config.EnvRedisURL, u)
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"dead"}, nil, &stdout, &stderr)
		if code != 2 || strings.Count(stderr.String(), "\n") != 1 || strings.Contains(stderr.String(), "dead-secret-8") {
			t.Errorf("dead with %.20s…: exit %d, stderr %q", u, code, stderr.String())
		}
	}
}
