package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
)

// rejectedRemote sends a delivery the server refuses (a forged GitLab token)
// from peer with the given headers, and returns the "remote" the server
// logged for it.
func rejectedRemote(t *testing.T, proxies []*net.IPNet, peer string, headers map[string]string) string {
	t.Helper()
	cfg := memoryConfig(t)
	cfg.GitLab = config.GitLab{URL: "http://127.0.0.1:9", Token: "t", WebhookSecrets: [][]byte{[]byte("gitlab-secret")}}
	cfg.Server.TrustedProxies = proxies
	var logs bytes.Buffer
	c, err := app.Build(context.Background(), cfg, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/gitlab", strings.NewReader("{}"))
	req.RemoteAddr = peer
	req.Header.Set("X-Gitlab-Token", "forged")
	req.Header.Set("X-Gitlab-Event", "Merge Request Hook")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	c.Echo.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", rec.Code)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		var rec struct {
			Msg    string `json:"msg"`
			Remote string `json:"remote"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "webhook rejected" {
			return rec.Remote
		}
	}
	t.Fatalf("no rejection logged:\n%s", logs.String())
	return ""
}

func mustCIDR(t *testing.T, s string) *net.IPNet {
	t.Helper()
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The address logged with a rejected delivery is the connection's peer,
// whatever X-Forwarded-For or X-Real-IP claim, unless the peer is a trusted
// proxy; then X-Forwarded-For is read from the right past trusted hops only.
// Before, echo believed the headers from anyone (and private addresses
// always).
func TestForgedForwardedForIsNotBelieved(t *testing.T) {
	proxies := []*net.IPNet{mustCIDR(t, "10.0.0.0/8")}
	tests := []struct {
		name    string
		proxies []*net.IPNet
		peer    string
		headers map[string]string
		want    string
	}{
		{"no proxy configured, forged XFF", nil, "203.0.113.9:4000", map[string]string{"X-Forwarded-For": "6.6.6.6"}, "203.0.113.9"},
		{"no proxy configured, forged X-Real-IP", nil, "203.0.113.9:4000", map[string]string{"X-Real-IP": "6.6.6.6"}, "203.0.113.9"},
		// echo trusts private networks by default: a peer on one could name anyone.
		{"no proxy configured, private peer", nil, "192.168.1.5:4000", map[string]string{"X-Forwarded-For": "6.6.6.6"}, "192.168.1.5"},
		{"proxy configured, peer is not it", proxies, "203.0.113.9:4000", map[string]string{"X-Forwarded-For": "6.6.6.6"}, "203.0.113.9"},
		{"proxy configured, private peer outside it", proxies, "192.168.1.5:4000", map[string]string{"X-Forwarded-For": "6.6.6.6"}, "192.168.1.5"},
		{"through the proxy", proxies, "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "198.51.100.7"},
		// The client prepended a forged hop; the proxy appended the real one.
		{"through the proxy, client forged a hop", proxies, "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.7"}, "198.51.100.7"},
		{"through two proxies", proxies, "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rejectedRemote(t, tt.proxies, tt.peer, tt.headers); got != tt.want {
				t.Errorf("logged remote %q, want %q", got, tt.want)
			}
		})
	}
}

// The server closes connections past MaxConnections at once, and counts
// closed ones out, so the next connection is served again.
func TestServerCapsConnections(t *testing.T) {
	srv := app.NewServer("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	addr := ln.Addr().String()
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range app.MaxConnections {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// Let the server see them all.
	time.Sleep(200 * time.Millisecond)
	over, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	over.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(over, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	if b, _ := io.ReadAll(over); len(b) != 0 {
		t.Errorf("connection past the cap was served: %q", b)
	}
	over.Close()
	for _, c := range conns {
		c.Close()
	}
	conns = nil
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server refuses connections after the others closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Warnings the configuration found (a GitLab token for every project, a
// hooks file others can read) are logged at start-up.
func TestBuildLogsConfigurationWarnings(t *testing.T) {
	cfg := memoryConfig(t)
	cfg.Warnings = []string{config.EnvGitLabWebhookSecret + " is accepted for every project"}
	var logs bytes.Buffer
	c, err := app.Build(context.Background(), cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), cfg.Warnings[0]) {
		t.Errorf("start-up logs lack the warning:\n%s", logs.String())
	}
}
