package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/queue"
)

func memoryConfig(t *testing.T) *config.Config {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return &config.Config{
		Addr: "127.0.0.1:0",
		GitHub: config.GitHub{AppID: 1, PrivateKey: key, APIURL: "http://127.0.0.1:9/",
			WebhookSecrets: [][]byte{[]byte("s")}},
		Workers: 1, MaxAttempts: 2, JobTimeout: time.Second, LogLevel: "info",
	}
}

func TestBuildWithoutRedisSaysJobsDoNotSurviveRestart(t *testing.T) {
	var logs bytes.Buffer
	c, err := app.Build(context.Background(), memoryConfig(t), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.Queue.(*queue.Memory); !ok {
		t.Errorf("queue is %T, want the in-process queue", c.Queue)
	}
	if !strings.Contains(logs.String(), "do not survive a restart") {
		t.Errorf("start-up logs do not warn that jobs are lost on restart:\n%s", logs.String())
	}
}

func TestBuildRejectsBadKey(t *testing.T) {
	cfg := memoryConfig(t)
	cfg.GitHub.PrivateKey = []byte("-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all\n-----END RSA PRIVATE KEY-----\n")
	_, err := app.Build(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), config.EnvGitHubPrivateKeyFile) {
		t.Errorf("Build() = %v, want an error naming %s", err, config.EnvGitHubPrivateKeyFile)
	}
}

func TestServeStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, memoryConfig(t), slog.New(slog.DiscardHandler)) }()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Serve() = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancellation")
	}
}

// TestFailsWhenThePortIsTaken: serve and worker alike stop at start-up
// with an error naming SHIFTWARD_ADDR, before taking work.
func TestFailsWhenThePortIsTaken(t *testing.T) {
	for name, start := range map[string]func(context.Context, *config.Config, *slog.Logger) error{"Serve": app.Serve, "Work": app.Work} {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			cfg := memoryConfig(t)
			cfg.Addr = ln.Addr().String()
			done := make(chan error, 1)
			go func() { done <- start(context.Background(), cfg, slog.New(slog.DiscardHandler)) }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), config.EnvAddr) {
					t.Errorf("%s() = %v, want an error naming %s", name, err, config.EnvAddr)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s kept running on a taken port", name)
			}
		})
	}
}
