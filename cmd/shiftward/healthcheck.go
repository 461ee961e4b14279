package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/config"
)

// healthTimeout bounds the whole check: connect, request and answer.
// Container runtimes kill a check at their own timeout (compose and the
// Dockerfile give 5 s); this one answers first, with a reason.
const healthTimeout = 3 * time.Second

// defaultAddr is the listen address config.FromEnv falls back to when
// SHIFTWARD_ADDR is unset (a test keeps the two equal).
const defaultAddr = ":8080"

// maxHealthBody bounds what is read of the answer and echoed: the runtime
// keeps a check's output (Docker, the first 4 KiB) in `docker inspect`.
const maxHealthBody = 512

// healthcheck GETs a URL (default: /readyz on this host, at SHIFTWARD_ADDR's
// port) and returns 0 when the answer is 2xx, else 1: what a container's
// health check wants, from a binary that runs where there is no shell or
// curl (distroless). Every failure is 1, a bad argument too, as Docker
// reserves 2.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stdout, "Usage: shiftward healthcheck [URL]\n\n"+
			"GETs URL (default http://127.0.0.1:PORT/readyz, PORT from "+config.EnvAddr+", else 8080)\n"+
			"within 3 s. Exit status: 0 on a 2xx answer, 1 on any other answer or error.\n")
		return 0
	}
	if len(args) > 1 {
		fmt.Fprintln(stderr, "shiftward healthcheck: at most one URL")
		return 1
	}
	var target string
	var err error
	if len(args) == 1 {
		target, err = checkHealthURL(args[0])
	} else {
		target, err = healthURL(getenv(config.EnvAddr))
	}
	if err != nil {
		fmt.Fprintln(stderr, "shiftward healthcheck:", err)
		return 1
	}
	status, body, err := probe(ctx, target, healthTimeout)
	if err != nil {
		fmt.Fprintf(stderr, "shiftward healthcheck: GET %s: %v\n", target, err)
		return 1
	}
	if status < 200 || status > 299 {
		fmt.Fprintf(stderr, "shiftward healthcheck: GET %s: %d %s %s\n", target, status, http.StatusText(status), body)
		return 1
	}
	fmt.Fprintf(stdout, "%d %s %s\n", status, http.StatusText(status), body)
	return 0
}

// healthURL is the readiness URL of a server listening on addr (as
// SHIFTWARD_ADDR gives it): an unspecified host (":8080", "0.0.0.0:8080",
// "[::]:8080") is reached on 127.0.0.1, a named one as it is.
func healthURL(addr string) (string, error) {
	if strings.TrimSpace(addr) == "" {
		addr = defaultAddr
	}
	host, port, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return "", fmt.Errorf("%s %q: %v", config.EnvAddr, addr, err)
	}
	n, err := net.LookupPort("tcp", port)
	if err != nil || n <= 0 {
		return "", fmt.Errorf("%s %q: no port to check", config.EnvAddr, addr)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	u := url.URL{Scheme: "http", Host: net.JoinHostPort(host, strconv.Itoa(n)), Path: "/readyz"}
	return u.String(), nil
}

// checkHealthURL accepts an absolute http(s) URL.
func checkHealthURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL like http://127.0.0.1:8080/readyz", s)
	}
	return u.String(), nil
}

// probe GETs target within timeout, without proxies (HTTP_PROXY in a
// container's environment is for the outside world) or redirects (a 3xx is
// not healthy), and returns the status and the start of the body, made
// printable.
func probe(ctx context.Context, target string, timeout time.Duration) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", "shiftward-healthcheck")
	resp, err := healthClient().Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, "", fmt.Errorf("no answer within %s", timeout)
		}
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL is printed beside it already
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxHealthBody))
	return resp.StatusCode, printable(b), nil
}

// healthClient asks no proxy and follows no redirect.
func healthClient() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// printable keeps a body on one line of printable text, so an answer
// cannot forge lines in the runtime's log of checks.
func printable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(string(b), "\uFFFD"))
	return strings.TrimSpace(s)
}
