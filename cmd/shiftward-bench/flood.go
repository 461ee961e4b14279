package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
)

// floodServerCmd is the hidden subcommand the flood benchmark runs as the
// server, so the peak RSS measured is the server's alone, not the load
// generator's.
const floodServerCmd = "_flood-server"

const (
	floodGitHubSecret = "bench-secret"
	floodGitLabSecret = "bench-gitlab-secret"
	floodGoalMiB      = 256
	floodBodySize     = 24 << 20
)

// runFlood parses the flood benchmark's flags and runs it.
func runFlood(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("flood", flag.ContinueOnError)
	attackers := fs.Int("attackers", 32, "parallel unauthenticated posts (half GitHub with a well-formed signature header, half GitLab with a wrong token)")
	d := fs.Duration("duration", 6*time.Second, "how long the flood lasts")
	rate := fs.Int("rate", 20, "signed small deliveries per second and platform sent during the flood")
	size := fs.Int64("size", floodBodySize, "bytes of each flooding post")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *attackers <= 0 || *d <= 0 || *rate <= 0 || *size <= 0 {
		return errors.New("-attackers, -duration, -rate and -size must be positive")
	}
	return benchFlood(ctx, os.Stdout, *attackers, *d, *rate, *size)
}

// floodServer is the child process serving webhooks.
type floodServer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	queue string
}

// startFloodServer re-runs this binary as the server: app.Build with the
// scanners loaded, as `shiftward serve` does, and app.NewServer on
// loopback. It uses the test Redis when one answers, else the memory queue.
// Workers are not started: what is measured is the webhook ingress.
func startFloodServer(ctx context.Context) (*floodServer, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	redisURL, prefix := "", ""
	if redisAnswers(ctx) {
		redisURL, prefix = benchRedisURL(), fmt.Sprintf("{shiftward-flood-%d}", os.Getpid())
	}
	cmd := exec.CommandContext(ctx, self, floodServerCmd, "-redis", redisURL, "-prefix", prefix)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() {
		stdin.Close() // the server's signal to stop
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if prefix != "" {
			dropPrefix(context.Background(), prefix)
		}
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("server did not start: %w", err)
	}
	s := &floodServer{cmd: cmd, stdin: stdin, addr: strings.TrimSpace(line), queue: "memory queue"}
	if redisURL != "" {
		s.queue = "Redis queue"
	}
	return s, stop, nil
}

func redisAnswers(ctx context.Context) bool {
	opt, err := redis.ParseURL(benchRedisURL())
	if err != nil {
		return false
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return rdb.Ping(pctx).Err() == nil
}

// runFloodServer is the child: it serves until its stdin is closed, then
// prints nothing more (the parent reads its memory from /proc).
func runFloodServer(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet(floodServerCmd, flag.ContinueOnError)
	redisURL := fs.String("redis", "", "Redis URL; empty: memory queue")
	prefix := fs.String("prefix", "", "Redis key prefix")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The configuration a deployment would have, from the environment as
	// `shiftward serve` reads it (SHIFTWARD_WEBHOOK_MEMORY_MIB and the rest
	// apply), with both platforms set up.
	env := map[string]string{
		config.EnvAddr:                "127.0.0.1:0",
		config.EnvGitHubAppID:         "1",
		config.EnvGitHubPrivateKey:    string(testKeyPEM()),
		config.EnvGitHubWebhookSecret: floodGitHubSecret,
		config.EnvGitHubAPIURL:        "http://127.0.0.1:9/",
		config.EnvGitLabURL:           "http://127.0.0.1:9",
		config.EnvGitLabToken:         "bench-gitlab-token",
		config.EnvGitLabWebhookSecret: floodGitLabSecret,
		config.EnvRedisURL:            *redisURL,
		config.EnvRedisPrefix:         *prefix,
		config.EnvLogLevel:            "error",
	}
	cfg, err := config.FromEnv(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	})
	if err != nil {
		return err
	}
	c, err := app.Build(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer c.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := app.NewServer(ln.Addr().String(), c.Echo)
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// procStatus reads one "Name: N kB" line of /proc/<pid>/status, in bytes.
func procStatus(pid int, name string) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", name, pid)
}

// pattern is a 1 MB chunk the flooding bodies are cut from, so the load
// generator holds no 24 MB body of its own.
var pattern = bytes.Repeat([]byte(`{"a":"`+strings.Repeat("x", 58)+`"},`), 1<<14)

type patternReader struct{ left int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p, pattern[:min(int64(len(pattern)), r.left)])
	r.left -= int64(n)
	return n, nil
}

// floodTally counts the answers to one kind of request.
type floodTally struct {
	mu     sync.Mutex
	codes  map[string]int
	lat    []time.Duration
	sent   int
	passed int // answered as a legit delivery should be
}

func (t *floodTally) add(code string, lat time.Duration, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.codes == nil {
		t.codes = map[string]int{}
	}
	t.codes[code]++
	t.lat = append(t.lat, lat)
	t.sent++
	if ok {
		t.passed++
	}
}

func (t *floodTally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.codes))
	for k := range t.codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s x%d", k, t.codes[k]))
	}
	return strings.Join(parts, ", ")
}

func do(client *http.Client, req *http.Request) (string, time.Duration) {
	t0 := time.Now()
	resp, err := client.Do(req)
	lat := time.Since(t0)
	if err != nil {
		// The server answers a refused post without reading it and closes
		// the connection: the client often sees that as a write error
		// before it reads the answer.
		switch msg := err.Error(); {
		case strings.Contains(msg, "reset by peer"), strings.Contains(msg, "broken pipe"):
			return "closed unread", lat
		case strings.Contains(msg, "EOF"):
			return "closed unread (EOF)", lat
		default:
			return "error", lat
		}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode), lat
}

// benchFlood floods the server with unauthenticated 24 MB posts from
// attackers goroutines for d, while signed small deliveries arrive at rate
// per second and platform, and reports the server's peak memory and how
// many small deliveries were queued.
func benchFlood(ctx context.Context, out io.Writer, attackers int, d time.Duration, rate int, size int64) error {
	ghPayload, err := corpusFile("webhooks/github/payloads/pull_request/synchronize.payload.json")
	if err != nil {
		return fmt.Errorf("reading the corpus payload: %w", err)
	}
	glPayload, err := corpusFile("webhooks/gitlab/payloads/go-gitlab/merge_request.json")
	if err != nil {
		return fmt.Errorf("reading the corpus payload: %w", err)
	}
	srv, stop, err := startFloodServer(ctx)
	if err != nil {
		return err
	}
	defer stop()
	pid := srv.cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	startRSS, err := procStatus(pid, "VmRSS")
	if err != nil {
		return fmt.Errorf("reading the server's memory (Linux /proc needed): %w", err)
	}
	base := "http://" + srv.addr

	var peakRSS atomic.Int64
	sampleDone := make(chan struct{})
	go func() {
		defer close(sampleDone)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if v, err := procStatus(pid, "VmRSS"); err == nil && v > peakRSS.Load() {
				peakRSS.Store(v)
			}
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			case <-sampleDone:
				return
			}
		}
	}()

	fctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var ghAttack, glAttack, ghLegit, glLegit floodTally
	var attackBytes atomic.Int64
	var wg sync.WaitGroup
	attackClient := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, DisableKeepAlives: true}, Timeout: 60 * time.Second}
	for i := range attackers {
		wg.Go(func() {
			for fctx.Err() == nil {
				body := &patternReader{left: size}
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhooks/github", body)
				req.ContentLength = size
				req.Header.Set("Content-Type", "application/json")
				tally := &ghAttack
				if i%2 == 0 {
					// Well-formed but forged: the body must be read to tell.
					sig := make([]byte, 32)
					rand.Read(sig)
					req.Header.Set("X-GitHub-Event", "pull_request")
					req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("flood-%d", i))
					req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(sig))
				} else {
					req.URL.Path = "/webhooks/gitlab"
					req.Header.Set("X-Gitlab-Event", "Merge Request Hook")
					req.Header.Set("X-Gitlab-Token", "not-the-token")
					tally = &glAttack
				}
				code, lat := do(attackClient, req)
				attackBytes.Add(size - body.left)
				tally.add(code, lat, false)
			}
		})
	}

	// Legit deliveries: a new head of one of 50 pull requests / merge
	// requests each time, so none is a duplicate of another.
	const ghHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	const glHead = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"
	legitClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 15 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	n := 0
	var lwg sync.WaitGroup
loop:
	for {
		select {
		case <-fctx.Done():
			break loop
		case <-tick.C:
		}
		n++
		n := n
		head := fmt.Sprintf("%040x", 1<<40+n)
		gh := bytes.ReplaceAll(ghPayload, []byte(ghHead), []byte(head))
		gh = bytes.Replace(gh, []byte(`"number": 2,`), []byte(fmt.Sprintf(`"number": %d,`, 1000+n%50)), 1)
		gl := bytes.ReplaceAll(glPayload, []byte(glHead), []byte(head))
		lwg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhooks/github", bytes.NewReader(gh))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("legit-%d-%d", os.Getpid(), n))
			req.Header.Set("X-Hub-Signature-256", sign(gh, floodGitHubSecret))
			code, lat := do(legitClient, req)
			ghLegit.add(code, lat, code == "202")
		})
		lwg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhooks/gitlab", bytes.NewReader(gl))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Gitlab-Event", "Merge Request Hook")
			req.Header.Set("X-Gitlab-Token", floodGitLabSecret)
			req.Header.Set("X-Gitlab-Event-UUID", fmt.Sprintf("legit-%d-%d", os.Getpid(), n))
			code, lat := do(legitClient, req)
			glLegit.add(code, lat, code == "202")
		})
	}
	lwg.Wait()
	wg.Wait()
	elapsed := d
	hwm, err := procStatus(pid, "VmHWM")
	if err != nil {
		return err
	}
	sampleDone <- struct{}{}
	<-sampleDone

	mib := func(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }
	fmt.Fprintf(out, "webhook flood (%s, scanners loaded, %s): %d parallel unauthenticated %.1f MiB posts for %s "+
		"(%d GitHub with a well-formed forged signature, %d GitLab with a wrong token) and %d signed small deliveries/s per platform\n",
		srv.queue, configuredBudget(), attackers, float64(size)/(1<<20), elapsed, (attackers+1)/2, attackers/2, rate)
	fmt.Fprintf(out, "  server peak RSS %s (VmHWM of the server process; sampled VmRSS max %s; %s after start-up)   goal: < %d MiB\n",
		mib(hwm), mib(peakRSS.Load()), mib(startRSS), floodGoalMiB)
	fmt.Fprintf(out, "  forged GitHub posts: %s\n", ghAttack.String())
	fmt.Fprintf(out, "  wrong-token GitLab posts: %s\n", glAttack.String())
	fmt.Fprintf(out, "  attack bytes the load generator pushed: %.1f GB (the server reads none of a post refused from its headers but what net/http discards, at most 256 KB; the kernel drops the rest)\n",
		float64(attackBytes.Load())/1e9)
	for _, l := range []struct {
		name string
		t    *floodTally
	}{{"GitHub", &ghLegit}, {"GitLab", &glLegit}} {
		slices.Sort(l.t.lat)
		fmt.Fprintf(out, "  signed small %s deliveries queued %d/%d (%s), p50 %s p99 %s\n", l.name, l.t.passed, l.t.sent, l.t.String(),
			percentile(l.t.lat, .5).Round(time.Microsecond), percentile(l.t.lat, .99).Round(time.Microsecond))
	}
	switch {
	case hwm >= floodGoalMiB<<20:
		return fmt.Errorf("server peak RSS %s, over the %d MiB goal", mib(hwm), floodGoalMiB)
	case ghLegit.passed < ghLegit.sent || glLegit.passed < glLegit.sent:
		return errors.New("some signed small deliveries were not queued during the flood")
	}
	return nil
}

// configuredBudget describes the body budget the server runs with.
func configuredBudget() string {
	v := os.Getenv(config.EnvWebhookMemoryMiB)
	if v == "" {
		v = strconv.Itoa(config.DefaultWebhookMemoryMiB)
	}
	return config.EnvWebhookMemoryMiB + "=" + v
}
