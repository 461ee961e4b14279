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
	ghPayload, glPayload, err := floodPayloads()
	if err != nil {
		return err
	}
	srv, stop, err := startFloodServer(ctx)
	if err != nil {
		return err
	}
	defer stop()
	pid := srv.cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	var mem floodMemory
	if mem.start, err = procStatus(pid, "VmRSS"); err != nil {
		return fmt.Errorf("reading the server's memory (Linux /proc needed): %w", err)
	}
	sampler := startRSSSampler(ctx, pid)
	run := &floodRun{base: "http://" + srv.addr, attackers: attackers, d: d, rate: rate, size: size}
	fctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	run.startAttackers(ctx, fctx, &wg)
	run.sendLegit(ctx, fctx, ghPayload, glPayload)
	wg.Wait()
	if mem.hwm, err = procStatus(pid, "VmHWM"); err != nil {
		return err
	}
	mem.peak = sampler.stop()
	run.report(out, srv.queue, mem)
	return run.verdict(mem.hwm)
}

// floodPayloads reads the corpus deliveries the signed small posts are made
// from: a GitHub pull request and a GitLab merge request event.
func floodPayloads() (gh, gl []byte, err error) {
	gh, err = corpusFile("webhooks/github/payloads/pull_request/synchronize.payload.json")
	if err != nil {
		return nil, nil, fmt.Errorf("reading the corpus payload: %w", err)
	}
	gl, err = corpusFile("webhooks/gitlab/payloads/go-gitlab/merge_request.json")
	if err != nil {
		return nil, nil, fmt.Errorf("reading the corpus payload: %w", err)
	}
	return gh, gl, nil
}

// floodMemory is the server's memory, in bytes: after start-up, the highest
// VmRSS sampled during the flood, and the kernel's high-water mark (VmHWM).
type floodMemory struct {
	start, peak, hwm int64
}

// rssSampler polls a process's VmRSS every 50 ms and keeps the highest
// value seen: VmHWM alone would not show whether the peak came at start-up.
type rssSampler struct {
	pid  int
	peak atomic.Int64
	done chan struct{}
}

// startRSSSampler starts sampling pid until stop is called or ctx ends.
func startRSSSampler(ctx context.Context, pid int) *rssSampler {
	s := &rssSampler{pid: pid, done: make(chan struct{})}
	go s.run(ctx)
	return s
}

func (s *rssSampler) run(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if v, err := procStatus(s.pid, "VmRSS"); err == nil && v > s.peak.Load() {
			s.peak.Store(v)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
	}
}

// stop ends the sampling and returns the highest VmRSS seen.
func (s *rssSampler) stop() int64 {
	s.done <- struct{}{}
	<-s.done
	return s.peak.Load()
}

// floodRun is one flood: its parameters, the answers to each kind of
// request, and the bytes the attackers pushed.
type floodRun struct {
	base      string
	attackers int
	d         time.Duration
	rate      int
	size      int64

	ghAttack, glAttack, ghLegit, glLegit floodTally
	attackBytes                          atomic.Int64
}

// startAttackers starts r.attackers goroutines on wg, each posting until
// fctx ends. Their requests carry ctx, so a post under way when the flood
// ends is answered rather than cancelled.
func (r *floodRun) startAttackers(ctx, fctx context.Context, wg *sync.WaitGroup) {
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, DisableKeepAlives: true}, Timeout: 60 * time.Second}
	for i := range r.attackers {
		wg.Go(func() { r.attack(ctx, fctx, client, i) })
	}
}

// attack is attacker i: it posts one flooding body after another until fctx
// ends, counting each answer and the bytes the server let it send.
func (r *floodRun) attack(ctx, fctx context.Context, client *http.Client, i int) {
	for fctx.Err() == nil {
		body := &patternReader{left: r.size}
		req, tally := r.attackRequest(ctx, i, body)
		code, lat := do(client, req)
		r.attackBytes.Add(r.size - body.left)
		tally.add(code, lat, false)
	}
}

// attackRequest builds attacker i's next post and names the tally it
// counts in: even attackers send GitHub deliveries with a well-formed but
// forged signature (the body must be read to tell), odd ones GitLab
// deliveries with a wrong token (refused from the headers).
func (r *floodRun) attackRequest(ctx context.Context, i int, body io.Reader) (*http.Request, *floodTally) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/webhooks/github", body)
	req.ContentLength = r.size
	req.Header.Set("Content-Type", "application/json")
	if i%2 == 0 {
		sig := make([]byte, 32)
		rand.Read(sig)
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("flood-%d", i))
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(sig))
		return req, &r.ghAttack
	}
	req.URL.Path = "/webhooks/gitlab"
	req.Header.Set("X-Gitlab-Event", "Merge Request Hook")
	req.Header.Set("X-Gitlab-Token", "not-the-token")
	return req, &r.glAttack
}

// sendLegit sends one signed small delivery per platform r.rate times a
// second until fctx ends, then waits for their answers.
func (r *floodRun) sendLegit(ctx, fctx context.Context, ghPayload, glPayload []byte) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 15 * time.Second}
	tick := time.NewTicker(time.Second / time.Duration(r.rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for n := 1; waitTick(fctx, tick); n++ {
		gh, gl := legitPayloads(ghPayload, glPayload, n)
		wg.Go(func() { r.postLegitGitHub(ctx, client, gh, n) })
		wg.Go(func() { r.postLegitGitLab(ctx, client, gl, n) })
	}
	wg.Wait()
}

// waitTick waits for the ticker's next tick: false when ctx ends first.
func waitTick(ctx context.Context, tick *time.Ticker) bool {
	select {
	case <-ctx.Done():
		return false
	case <-tick.C:
		return true
	}
}

// The head shas of the corpus payloads, replaced in each legit delivery.
const (
	floodGitHubHead = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	floodGitLabHead = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7"
)

// legitPayloads makes the n-th legit deliveries: a new head of one of 50
// pull requests / merge requests each time, so none is a duplicate of
// another.
func legitPayloads(ghPayload, glPayload []byte, n int) (gh, gl []byte) {
	head := fmt.Sprintf("%040x", 1<<40+n)
	gh = bytes.ReplaceAll(ghPayload, []byte(floodGitHubHead), []byte(head))
	gh = bytes.Replace(gh, []byte(`"number": 2,`), []byte(fmt.Sprintf(`"number": %d,`, 1000+n%50)), 1)
	gl = bytes.ReplaceAll(glPayload, []byte(floodGitLabHead), []byte(head))
	return gh, gl
}

// postLegitGitHub posts the n-th signed GitHub delivery; queued means 202.
func (r *floodRun) postLegitGitHub(ctx context.Context, client *http.Client, body []byte, n int) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/webhooks/github", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("legit-%d-%d", os.Getpid(), n))
	req.Header.Set("X-Hub-Signature-256", sign(body, floodGitHubSecret))
	code, lat := do(client, req)
	r.ghLegit.add(code, lat, code == "202")
}

// postLegitGitLab posts the n-th GitLab delivery with the right token;
// queued means 202.
func (r *floodRun) postLegitGitLab(ctx context.Context, client *http.Client, body []byte, n int) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/webhooks/gitlab", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Gitlab-Event", "Merge Request Hook")
	req.Header.Set("X-Gitlab-Token", floodGitLabSecret)
	req.Header.Set("X-Gitlab-Event-UUID", fmt.Sprintf("legit-%d-%d", os.Getpid(), n))
	code, lat := do(client, req)
	r.glLegit.add(code, lat, code == "202")
}

// report writes the flood's results; the server ran with queue.
func (r *floodRun) report(out io.Writer, queue string, mem floodMemory) {
	fmt.Fprintf(out, "webhook flood (%s, scanners loaded, %s): %d parallel unauthenticated %.1f MiB posts for %s "+
		"(%d GitHub with a well-formed forged signature, %d GitLab with a wrong token) and %d signed small deliveries/s per platform\n",
		queue, configuredBudget(), r.attackers, float64(r.size)/(1<<20), r.d, (r.attackers+1)/2, r.attackers/2, r.rate)
	fmt.Fprintf(out, "  server peak RSS %s (VmHWM of the server process; sampled VmRSS max %s; %s after start-up)   goal: < %d MiB\n",
		mib(mem.hwm), mib(mem.peak), mib(mem.start), floodGoalMiB)
	fmt.Fprintf(out, "  forged GitHub posts: %s\n", r.ghAttack.String())
	fmt.Fprintf(out, "  wrong-token GitLab posts: %s\n", r.glAttack.String())
	fmt.Fprintf(out, "  attack bytes the load generator pushed: %.1f GB (the server reads none of a post refused from its headers but what net/http discards, at most 256 KB; the kernel drops the rest)\n",
		float64(r.attackBytes.Load())/1e9)
	reportLegit(out, "GitHub", &r.ghLegit)
	reportLegit(out, "GitLab", &r.glLegit)
}

// reportLegit writes how many of one platform's signed small deliveries
// were queued, and their latency. It sorts t.lat.
func reportLegit(out io.Writer, name string, t *floodTally) {
	slices.Sort(t.lat)
	fmt.Fprintf(out, "  signed small %s deliveries queued %d/%d (%s), p50 %s p99 %s\n", name, t.passed, t.sent, t.String(),
		percentile(t.lat, .5).Round(time.Microsecond), percentile(t.lat, .99).Round(time.Microsecond))
}

// verdict fails the benchmark when the server's peak memory reached the
// goal or a signed small delivery was not queued.
func (r *floodRun) verdict(hwm int64) error {
	switch {
	case hwm >= floodGoalMiB<<20:
		return fmt.Errorf("server peak RSS %s, over the %d MiB goal", mib(hwm), floodGoalMiB)
	case r.ghLegit.passed < r.ghLegit.sent || r.glLegit.passed < r.glLegit.sent:
		return errors.New("some signed small deliveries were not queued during the flood")
	}
	return nil
}

// mib writes b bytes in whole MiB.
func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

// configuredBudget describes the body budget the server runs with.
func configuredBudget() string {
	v := os.Getenv(config.EnvWebhookMemoryMiB)
	if v == "" {
		v = strconv.Itoa(config.DefaultWebhookMemoryMiB)
	}
	return config.EnvWebhookMemoryMiB + "=" + v
}
