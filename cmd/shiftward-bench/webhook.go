package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
)

// benchRedisURL is where benchmarks queue jobs: the test Redis, database 15,
// under a prefix of their own that is deleted afterwards.
func benchRedisURL() string {
	raw := os.Getenv("SHIFTWARD_TEST_REDIS_URL")
	if raw == "" {
		raw = "redis://127.0.0.1:6379"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/15"
	return u.String()
}

func testKeyPEM() []byte {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

// benchConfig is a server configuration for benchmarks: a GitHub App whose
// API is apiURL and a Redis queue under a throwaway prefix.
func benchConfig(apiURL, prefix string) *config.Config {
	return &config.Config{
		Addr: "127.0.0.1:0",
		GitHub: config.GitHub{
			AppID: 1, PrivateKey: testKeyPEM(), APIURL: apiURL,
			WebhookSecrets: [][]byte{[]byte("bench-secret")},
		},
		RedisURL: benchRedisURL(), RedisPrefix: prefix,
		Workers: 4, MaxAttempts: 3, JobTimeout: time.Minute, LogLevel: "error",
	}
}

// dropPrefix deletes every key under prefix.
func dropPrefix(ctx context.Context, prefix string) {
	opt, err := redis.ParseURL(benchRedisURL())
	if err != nil {
		return
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}

func sign(body []byte, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// corpusFile reads a file of the shared corpus, found beside the repository.
func corpusFile(rel string) ([]byte, error) {
	dir, _ := os.Getwd()
	for ; dir != "/"; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
	}
	return os.ReadFile(filepath.Join(dir, "..", "shared", "corpus", rel))
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

// runWebhook parses the webhook benchmark's flags and runs it.
func runWebhook(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("webhook", flag.ContinueOnError)
	rate := fs.Int("rate", 500, "deliveries per second")
	d := fs.Duration("duration", 6*time.Second, "how long to send")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rate <= 0 || *d <= 0 {
		return fmt.Errorf("-rate and -duration must be positive")
	}
	return benchWebhook(ctx, os.Stdout, *rate, *d)
}

// benchWebhook measures how long the server takes to acknowledge a signed
// pull_request delivery (verify, parse, durably queue in Redis) under an
// open-loop load of rate deliveries per second on loopback.
func benchWebhook(ctx context.Context, out io.Writer, rate int, d time.Duration) error {
	payload, err := corpusFile("webhooks/github/payloads/pull_request/synchronize.payload.json")
	if err != nil {
		return fmt.Errorf("reading the corpus payload: %w", err)
	}
	prefix := fmt.Sprintf("{shiftward-bench-%d}", os.Getpid())
	defer dropPrefix(context.Background(), prefix)
	cfg := benchConfig("http://127.0.0.1:9/", prefix)
	c, err := app.Build(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer c.Queue.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := app.NewServer(ln.Addr().String(), c.Echo)
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/webhooks/github"

	// Each delivery is a new head of one of 50 pull requests, so the queue
	// does its real work: dedupe check, supersede bookkeeping, XADD.
	const headSHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
	n := int(d.Seconds() * float64(rate))
	bodies := make([][]byte, n)
	sigs := make([]string, n)
	for i := range bodies {
		b := bytes.Replace(payload, []byte(headSHA), []byte(fmt.Sprintf("%040x", i+1)), -1)
		b = bytes.Replace(b, []byte(`"number": 2,`), []byte(fmt.Sprintf(`"number": %d,`, 1000+i%50)), 1)
		bodies[i], sigs[i] = b, sign(b, "bench-secret")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}

	lat := make([]time.Duration, n)
	var failed int
	var mu sync.Mutex
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	start := time.Now()
	for i := 0; i < n; i++ {
		<-tick.C
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("bench-%d-%d", os.Getpid(), i))
			req.Header.Set("X-Hub-Signature-256", sigs[i])
			t0 := time.Now()
			resp, err := client.Do(req)
			lat[i] = time.Since(t0)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if err != nil || resp.StatusCode != http.StatusAccepted {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	fmt.Fprintf(out, "webhook acknowledge (signed pull_request, %d B, queued in Redis), %d deliveries at %d/s over %s:\n",
		len(payload), n, rate, elapsed.Round(time.Millisecond))
	fmt.Fprintf(out, "  p50 %s  p90 %s  p99 %s  max %s  failed %d   goal: p99 < 10ms at 500/s\n",
		percentile(lat, .50).Round(time.Microsecond), percentile(lat, .90).Round(time.Microsecond),
		percentile(lat, .99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), failed)
	if failed > 0 {
		return fmt.Errorf("%d deliveries were not acknowledged with 202", failed)
	}
	return nil
}
