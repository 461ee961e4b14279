package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// startWork runs app.Work with cfg on a free loopback port and returns the
// address it listens on (read from its start-up log) and a stop function
// that cancels it and fails the test unless it returns within 10 s.
func startWork(t *testing.T, cfg *config.Config) (addr string, stop func()) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	logs := &scannertest.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Work(ctx, cfg, slog.New(slog.NewJSONHandler(logs, nil))) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("Work() = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Work did not return within 10s of cancellation")
		}
	}
	t.Cleanup(stop)
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" {
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "worker endpoints listening" {
				addr = line.Addr
			}
		}
		select {
		case err := <-done:
			t.Fatalf("Work returned before listening: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("Work did not log its address within 10s:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return addr, stop
}

// get returns the status and body of GET url.
func get(t *testing.T, url string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestWorkServesProbesAndMetrics: a worker answers /healthz, /readyz (its
// Redis queue reachable) and /metrics (its own, the queue depth among
// them) on SHIFTWARD_ADDR, takes no webhooks, is hardened like serve (a
// header block over NewServer's bound is refused), and stops when
// cancelled, closing the port.
func TestWorkServesProbesAndMetrics(t *testing.T) {
	cfg := memoryConfig(t)
	cfg.RedisURL = redistest.URL(t, e2eRedisDB)
	cfg.RedisPrefix = fmt.Sprintf("{worker-endpoints-%d}", time.Now().UnixNano())
	redistest.Clean(t, cfg.RedisURL, cfg.RedisPrefix)
	addr, stop := startWork(t, cfg)
	base := "http://" + addr

	if code, body := get(t, base+"/healthz", nil); code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := get(t, base+"/readyz", nil); code != http.StatusOK || !strings.Contains(body, `"status":"ready"`) {
		t.Errorf("/readyz: %d %s", code, body)
	}
	if code, body := get(t, base+"/metrics", nil); code != http.StatusOK || !strings.Contains(body, "\nshiftward_queue_depth 0\n") {
		t.Errorf("/metrics: %d, want the worker's queue depth 0 in:\n%.2000s", code, body)
	}
	for _, path := range []string{"/webhooks/github", "/webhooks/gitlab"} {
		resp, err := http.Post(base+path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s on a worker: %d, want 404", path, resp.StatusCode)
		}
	}
	// 64 KiB of headers: Go's default server takes 1 MiB, NewServer 32 KiB.
	if code, _ := get(t, base+"/healthz", http.Header{"X-Pad": {strings.Repeat("a", 64<<10)}}); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: %d, want 431 (NewServer's bound)", code)
	}

	stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Work returned", addr)
	}
}

// TestWorkNotReadyWithoutRedis: /readyz says 503 while the worker's Redis
// does not answer; /healthz still says the process is alive.
func TestWorkNotReadyWithoutRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	cfg := memoryConfig(t)
	cfg.RedisURL = "redis://" + closed + "/0"
	addr, _ := startWork(t, cfg)
	if code, body := get(t, "http://"+addr+"/readyz", nil); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz without Redis: %d %s, want 503", code, body)
	}
	if code, _ := get(t, "http://"+addr+"/healthz", nil); code != http.StatusOK {
		t.Errorf("/healthz without Redis: %d, want 200", code)
	}
}
