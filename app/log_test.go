package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
)

// logBuffer is a log destination read while other goroutines (go-redis'
// pool, the HTTP server) may write to it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// jsonLines decodes every line of s; one that is not a JSON object fails t.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("log line is not a JSON object: %q", line)
			continue
		}
		out = append(out, m)
	}
	return out
}

// newProcessLogger is app.NewLogger into a buffer, with the process-wide
// loggers it takes over handed back to stderr (as JSON) when t ends.
func newProcessLogger(t *testing.T, level string) (*slog.Logger, *logBuffer) {
	t.Helper()
	var buf logBuffer
	log := app.NewLogger(&buf, level)
	t.Cleanup(func() { app.NewLogger(os.Stderr, "info") })
	return log, &buf
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// What serve starts (Build, and the echo router behind NewServer) writes
// nothing but JSON lines to the logger's writer, including what go-redis
// (its pool failing to dial), net/http (a handler's panic, reported through
// the std log package) and echo (a response written twice) log on their
// own. Before, go-redis and net/http wrote "redis: ..." and "http: ..."
// text lines to stderr and echo wrote its own JSON to stdout.
func TestEveryLineIsJSON(t *testing.T) {
	log, buf := newProcessLogger(t, "debug")
	cfg := memoryConfig(t)
	cfg.RedisURL = "redis://" + closedPort(t) + "/0"
	cfg.Warnings = config.Unknown([]string{"SHIFTWARD_REDIS_ULR=redis://:hunter2@redis:6379"})
	c, err := app.Build(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Echo.GET("/panics", func(echo.Context) error { panic("handler bug") })
	c.Echo.GET("/writes-twice", func(ec echo.Context) error {
		ec.String(http.StatusOK, "once")
		return ec.NoContent(http.StatusInternalServerError)
	})
	srv := app.NewServer("127.0.0.1:0", c.Echo)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 10 * time.Second}
	for _, path := range []string{"/readyz", "/panics", "/writes-twice", "/healthz"} {
		resp, err := client.Get(base + path)
		if err == nil {
			resp.Body.Close()
		}
	}
	stdlog.Print("a line through the std logger")

	want := []struct {
		what      string
		component string
		level     string
		msg       string
	}{
		{"go-redis' pool failing to dial", "redis", "WARN", "failed to dial"},
		{"net/http's report of a handler's panic", "stdlog", "WARN", "panic serving"},
		{"a std log line", "stdlog", "WARN", "a line through the std logger"},
		{"echo's warning of a response written twice", "echo", "WARN", "response already committed"},
		{"the misspelt variable", "", "WARN", "SHIFTWARD_REDIS_ULR is not a shiftward setting; did you mean SHIFTWARD_REDIS_URL?"},
	}
	found := func(lines []map[string]any, component, level, msg string) bool {
		for _, l := range lines {
			m, _ := l["msg"].(string)
			comp, _ := l["component"].(string)
			if comp == component && l["level"] == level && strings.Contains(m, msg) {
				return true
			}
		}
		return false
	}
	// go-redis and net/http log from their own goroutines.
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines := jsonLines(t, buf.String())
		missing := 0
		for _, w := range want {
			if !found(lines, w.component, w.level, w.msg) {
				missing++
				if time.Now().After(deadline) {
					t.Errorf("no %s line (component %q, level %s, message with %q)", w.what, w.component, w.level, w.msg)
				}
			}
		}
		if missing == 0 || time.Now().After(deadline) || t.Failed() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.Close()
	srv.Close()
	out := buf.String()
	jsonLines(t, out)
	if strings.Contains(out, "hunter2") {
		t.Error("a variable's value was logged")
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}

// Durations are numbers of seconds under their key plus "_seconds", like
// the Prometheus metrics, wherever they are given: as an argument, through
// With, inside a group; a key already ending in _seconds keeps its name.
func TestDurationsAreSeconds(t *testing.T) {
	log, buf := newProcessLogger(t, "info")
	log.With("took", time.Second).Info("review published",
		"elapsed", 1500*time.Millisecond,
		slog.Duration("delay_seconds", 2*time.Second),
		slog.Group("retry", "wait", 250*time.Millisecond),
		"findings", 3,
		"at", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	// slog's own default (package-level calls) is the same logger.
	slog.Warn("backoff", "delay", 20*time.Millisecond)
	lines := jsonLines(t, buf.String())
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), buf.String())
	}
	got := lines[0]
	want := map[string]any{"took_seconds": 1.0, "elapsed_seconds": 1.5, "delay_seconds": 2.0, "findings": 3.0,
		"at": "2026-01-02T03:04:05Z"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if g, _ := got["retry"].(map[string]any); g == nil || g["wait_seconds"] != 0.25 {
		t.Errorf("retry = %#v, want {wait_seconds: 0.25}", got["retry"])
	}
	for _, k := range []string{"took", "elapsed", "delay_seconds_seconds"} {
		if _, ok := got[k]; ok {
			t.Errorf("key %q is still there: %v", k, got)
		}
	}
	if lines[1]["delay_seconds"] != 0.02 {
		t.Errorf("slog.Warn's delay: %v, want delay_seconds 0.02", lines[1])
	}
}
