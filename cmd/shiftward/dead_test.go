package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/redistest"
)

// TestDeadThroughCluster: `shiftward dead` lists and requeues through a
// real Redis Cluster, reached by the same URL as the workers.
func TestDeadThroughCluster(t *testing.T) {
	url := redistest.Cluster(t, "dead-secret-7")
	const prefix = "{dead-cluster}"
	q, err := queue.OpenRedis(url, queue.Options{Prefix: prefix, MaxAttempts: 1, Concurrency: 1, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	job := queue.Job{Kind: queue.KindReview, Change: platform.Change{Platform: platform.GitHub, Installation: 1,
		Repo: platform.Repo{Owner: "o", Name: "r"}, Number: 5, BaseSHA: strings.Repeat("a", 40), HeadSHA: strings.Repeat("c", 40)}}
	if _, err := q.Enqueue(ctx, job); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- q.Run(runCtx, func(context.Context, queue.Job) error { return errors.New("repository gone") })
	}()
	for {
		if d, _ := q.Dead(ctx, 0); len(d) == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the job never died")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	<-done

	t.Setenv(config.EnvRedisURL, url)
	t.Setenv(config.EnvRedisPrefix, prefix)
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"dead"}, nil, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "o/r#5") ||
		!strings.Contains(stdout.String(), "repository gone") || !strings.Contains(stdout.String(), "1 dead job(s)") {
		t.Fatalf("dead: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	if code := run(ctx, []string{"dead", "--requeue"}, nil, &stdout, &stderr); code != 0 || stdout.String() != "requeued 1 job(s)\n" {
		t.Fatalf("dead --requeue: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if n, _ := q.Depth(ctx); n != 1 {
		t.Errorf("queue depth %d after requeue, want 1", n)
	}

	// The same cluster under a prefix without a hash tag: refused, one line.
	t.Setenv(config.EnvRedisPrefix, "dead-cluster")
	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, []string{"dead"}, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), config.EnvRedisPrefix) ||
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
