package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
)

// healthServer answers every request with status and body, and counts them.
func healthServer(t *testing.T, status int, body string) (*httptest.Server, *int) {
	t.Helper()
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*n++
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

func runHealth(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"healthcheck"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// refusedURL is an address nothing listens on: a port that was free a
// moment ago.
func refusedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/readyz"
}

func TestHealthcheckExitStatus(t *testing.T) {
	ok, _ := healthServer(t, http.StatusOK, `{"status":"ready"}`)
	down, _ := healthServer(t, http.StatusServiceUnavailable, `{"status":"queue unreachable"}`)
	moved, _ := healthServer(t, http.StatusFound, "")
	for _, tc := range []struct {
		name, url  string
		code       int
		out, stder string
	}{
		{"healthy", ok.URL + "/readyz", 0, `200 OK {"status":"ready"}`, ""},
		{"503", down.URL + "/readyz", 1, "", `503 Service Unavailable {"status":"queue unreachable"}`},
		{"404", ok.URL + "/nowhere", 1, "", "404 Not Found"},
		{"redirect is not healthy", moved.URL + "/readyz", 1, "", "302 Found"},
		{"connection refused", refusedURL(t), 1, "", "refused"},
		{"not a URL", "127.0.0.1:8080/readyz", 1, "", "not an http(s) URL"},
		{"not http", "ftp://127.0.0.1/readyz", 1, "", "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runHealth(t, nil, tc.url)
			if code != tc.code {
				t.Fatalf("exit %d, want %d (stdout %q, stderr %q)", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.stder) {
				t.Errorf("stdout %q, stderr %q; want them to hold %q and %q", out, errOut, tc.out, tc.stder)
			}
			if tc.code == 0 && errOut != "" || tc.code != 0 && out != "" {
				t.Errorf("healthy output goes to stdout, failures to stderr: stdout %q, stderr %q", out, errOut)
			}
		})
	}
}

func TestHealthcheckDefaultsToSHIFTWARD_ADDRsPort(t *testing.T) {
	srv, hits := healthServer(t, http.StatusOK, "ready")
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, addr := range []string{":" + port, "0.0.0.0:" + port, "127.0.0.1:" + port} {
		code, out, errOut := runHealth(t, map[string]string{config.EnvAddr: addr})
		if code != 0 {
			t.Errorf("%s=%s: exit %d, stderr %q", config.EnvAddr, addr, code, errOut)
		}
		if !strings.Contains(out, "200 OK ready") {
			t.Errorf("%s=%s: stdout %q", config.EnvAddr, addr, out)
		}
	}
	if *hits != 3 {
		t.Errorf("server saw %d requests, want 3", *hits)
	}
	// Unset, the port is the server's default; nothing here listens on it
	// unless a real server does, so only the URL is checked.
	if u, err := healthURL(""); err != nil || u != "http://127.0.0.1:8080/readyz" {
		t.Errorf("healthURL(\"\") = %q, %v", u, err)
	}
}

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct{ addr, want, err string }{
		{":8080", "http://127.0.0.1:8080/readyz", ""},
		{"0.0.0.0:9090", "http://127.0.0.1:9090/readyz", ""},
		{"[::]:9090", "http://127.0.0.1:9090/readyz", ""},
		{"[::1]:9090", "http://[::1]:9090/readyz", ""},
		{"10.1.2.3:80", "http://10.1.2.3:80/readyz", ""},
		{"localhost:8081", "http://localhost:8081/readyz", ""},
		{" :8080 ", "http://127.0.0.1:8080/readyz", ""},
		{"8080", "", "missing port"},
		{":0", "", "no port"},
		{":notaport", "", "no port"},
	} {
		got, err := healthURL(tc.addr)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), config.EnvAddr) {
				t.Errorf("healthURL(%q) = %q, %v; want an error naming %s with %q", tc.addr, got, err, config.EnvAddr, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tc.addr, got, err, tc.want)
		}
	}
}

// The default must follow config's: a server left at its default address
// is checked where it listens.
func TestHealthcheckDefaultMatchesConfig(t *testing.T) {
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != defaultAddr {
		t.Errorf("config's default address is %q, healthcheck's %q", cfg.Addr, defaultAddr)
	}
}

func TestHealthcheckGivesUpAfterItsTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	_, _, err := probe(context.Background(), srv.URL+"/readyz", 200*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Errorf("probe of a server that never answers: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("probe took %s, want about 200ms", d)
	}
}

func TestHealthcheckIgnoresProxies(t *testing.T) {
	// A proxy in the environment answers 502 to everything it is asked. A
	// client that used it would send it the request for a name it never
	// resolves itself; the health check resolves the name (and fails: .invalid
	// never resolves), asking no proxy.
	proxy, proxied := healthServer(t, http.StatusBadGateway, "")
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	code, _, errOut := runHealth(t, nil, "http://shiftward-health.invalid:8080/readyz")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if *proxied != 0 || strings.Contains(errOut, "502") {
		t.Errorf("the health check went through HTTP_PROXY (%d requests; stderr %q)", *proxied, errOut)
	}
	// net/http reads the proxy variables once a process, so the request
	// above tells only when it is the process's first: check the transport.
	if tr, ok := healthClient().Transport.(*http.Transport); !ok || tr.Proxy != nil {
		t.Errorf("the health check's transport may use a proxy")
	}
}

func TestHealthcheckOutputIsOneBoundedLine(t *testing.T) {
	body := "ok\r\nforged: line \x1b[31m" + strings.Repeat("x", 1<<20)
	srv, _ := healthServer(t, http.StatusOK, body)
	code, out, _ := runHealth(t, nil, srv.URL+"/readyz")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") || len(out) > maxHealthBody+32 || strings.ContainsAny(out, "\r\x1b") {
		t.Errorf("output is not one bounded printable line: %d bytes, %q...", len(out), out[:min(len(out), 80)])
	}
	if !strings.HasPrefix(out, "200 OK ok  forged: line") {
		t.Errorf("output %q...", out[:min(len(out), 80)])
	}
}

func TestHealthcheckArguments(t *testing.T) {
	code, _, errOut := runHealth(t, nil, "http://127.0.0.1:1/readyz", "extra")
	if code != 1 || !strings.Contains(errOut, "at most one URL") {
		t.Errorf("two URLs: exit %d, stderr %q", code, errOut)
	}
	code, out, _ := runHealth(t, nil, "--help")
	if code != 0 || !strings.Contains(out, "Usage: shiftward healthcheck") {
		t.Errorf("--help: exit %d, stdout %q", code, out)
	}
	code, _, errOut = runHealth(t, map[string]string{config.EnvAddr: "nonsense"})
	if code != 1 || !strings.Contains(errOut, config.EnvAddr) {
		t.Errorf("bad %s: exit %d, stderr %q", config.EnvAddr, code, errOut)
	}
}
