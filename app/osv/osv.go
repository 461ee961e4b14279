// Package osv is the advisory source of the dependency scanner
// (scanners/deps): OSV's API (https://google.github.io/osv.dev/api/) with a
// Redis cache, or, for air-gapped installations, OSV's per-ecosystem
// exports read from a directory.
//
// Online, one change costs one POST /v1/querybatch for the packages not
// cached (at most 1000 per request, following next_page_token) and one GET
// /v1/vulns/{id} per advisory not cached, run in parallel. Query results
// (package@version → ids) and advisory records are cached in Redis with a
// TTL. Any failure to get an answer is an error wrapping
// deps.ErrUnavailable, so the scan is reported incomplete instead of clean.
package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/scanners/deps"
)

// DefaultURL is OSV's public API.
const DefaultURL = "https://api.osv.dev"

// maxBatch is OSV's limit of queries in one querybatch request.
const maxBatch = 1000

// Response size limits: a querybatch answer lists ids only; one record is
// rarely over a few hundred KB.
const (
	maxBatchBody = 32 << 20
	maxVulnBody  = 8 << 20
	maxPages     = 50
)

// Options configures the online client. Zero values take the defaults.
type Options struct {
	// URL is OSV's API base (SHIFTWARD_OSV_URL), default DefaultURL.
	URL string
	// HTTPClient makes the requests, default a client without timeout
	// (Timeout bounds each attempt).
	HTTPClient *http.Client
	// Redis caches answers; nil disables the cache. It may be any client
	// queue.NewRedisClient makes: one server, Sentinel or Cluster.
	Redis redis.UniversalClient
	// Prefix starts every cache key, default "{shiftward}:osv:". On a Redis
	// Cluster it must hold a hash tag, as the default does: one MGET reads
	// many keys, which the cluster serves only from one slot.
	Prefix string
	// TTL is how long cached answers are used, default 6h. Advisories are
	// added and amended daily; a short TTL picks them up sooner.
	TTL time.Duration
	// Timeout bounds one HTTP attempt, default 20s.
	Timeout time.Duration
	// Retries is how many times a failed request (network error, 429,
	// 5xx) is retried with exponential backoff, default 3.
	Retries int
	// Backoff is the first retry's delay, default 250ms; it doubles per
	// retry, with jitter, and a Retry-After header is honoured up to 10s.
	Backoff time.Duration
	// Concurrency bounds parallel GET /v1/vulns requests, default 8.
	Concurrency int
	// MemoryRecords bounds the advisory records kept in process (for TTL)
	// in front of Redis, default 20000; negative disables it. Records change
	// rarely and a worker sees the same popular ones again and again.
	MemoryRecords int
	// Logger receives cache problems (never request bodies), default
	// discards.
	Logger *slog.Logger
}

// Client asks OSV's API about packages. It is safe for concurrent use.
type Client struct {
	base  string
	http  *http.Client
	rdb   redis.UniversalClient
	pre   string
	ttl   time.Duration
	tmo   time.Duration
	tries int
	back  time.Duration
	conc  int
	log   *slog.Logger
	mem   *recordCache
}

var _ deps.Advisories = (*Client)(nil)

// New returns a client for OSV's API.
func New(o Options) (*Client, error) {
	c := &Client{
		base: strings.TrimRight(o.URL, "/"), http: o.HTTPClient, rdb: o.Redis, pre: o.Prefix,
		ttl: o.TTL, tmo: o.Timeout, tries: o.Retries, back: o.Backoff, conc: o.Concurrency, log: o.Logger,
	}
	if c.base == "" {
		c.base = DefaultURL
	}
	u, err := url.Parse(c.base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("osv: invalid URL %q: want http(s)://host", o.URL)
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.pre == "" {
		c.pre = "{shiftward}:osv:"
	}
	if c.ttl <= 0 {
		c.ttl = 6 * time.Hour
	}
	if c.tmo <= 0 {
		c.tmo = 20 * time.Second
	}
	if c.tries < 0 {
		c.tries = 0
	} else if o.Retries == 0 {
		c.tries = 3
	}
	if c.back <= 0 {
		c.back = 250 * time.Millisecond
	}
	if c.conc <= 0 {
		c.conc = 8
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.MemoryRecords == 0:
		c.mem = newRecordCache(20000, c.ttl)
	case o.MemoryRecords > 0:
		c.mem = newRecordCache(o.MemoryRecords, c.ttl)
	}
	return c, nil
}

// queryKey names a package@version's cached id list.
func (c *Client) queryKey(p deps.Package) string {
	return c.pre + "q:" + p.Ecosystem + "|" + deps.NormalizeName(p.Ecosystem, p.Name) + "|" + p.Version
}

func (c *Client) vulnKey(id string) string { return c.pre + "v:" + id }

// Query returns the advisories affecting each package: cached id lists,
// one querybatch round for the rest, then the records (cached or fetched).
func (c *Client) Query(ctx context.Context, pkgs []deps.Package) ([][]deps.Vuln, error) {
	ids := make([][]string, len(pkgs))
	missing := make([]int, 0, len(pkgs))
	cached := c.mget(ctx, len(pkgs), func(i int) string { return c.queryKey(pkgs[i]) })
	for i := range pkgs {
		if cached != nil && cached[i] != nil {
			var l []string
			if json.Unmarshal(cached[i], &l) == nil {
				ids[i] = l
				continue
			}
		}
		missing = append(missing, i)
	}
	if len(missing) > 0 {
		qs := make([]deps.Package, len(missing))
		for j, i := range missing {
			qs[j] = pkgs[i]
		}
		got, err := c.queryBatch(ctx, qs)
		if err != nil {
			return nil, err
		}
		vals := make([][]byte, len(missing))
		keys := make([]string, len(missing))
		for j, i := range missing {
			ids[i] = got[j]
			keys[j] = c.queryKey(pkgs[i])
			vals[j], _ = json.Marshal(got[j])
		}
		c.mset(ctx, keys, vals)
	}
	// The records, each once.
	var all []string
	seen := map[string]bool{}
	for _, l := range ids {
		for _, id := range l {
			if !seen[id] {
				seen[id] = true
				all = append(all, id)
			}
		}
	}
	recs, err := c.vulns(ctx, all)
	if err != nil {
		return nil, err
	}
	out := make([][]deps.Vuln, len(pkgs))
	for i, l := range ids {
		for _, id := range l {
			if v, ok := recs[id]; ok {
				out[i] = append(out[i], v)
			}
		}
	}
	return out, nil
}

// batchQuery is one query of a querybatch request.
type batchQuery struct {
	Package   *batchPackage `json:"package,omitempty"`
	Version   string        `json:"version,omitempty"`
	PageToken string        `json:"page_token,omitempty"`
}

type batchPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
}

type batchResponse struct {
	Results []struct {
		Vulns []struct {
			ID string `json:"id"`
		} `json:"vulns"`
		NextPageToken string `json:"next_page_token"`
	} `json:"results"`
}

// queryBatch asks OSV for the ids affecting each package, in requests of
// at most maxBatch queries (OSV's limit) sent in parallel, following
// next_page_token for the queries that have more.
func (c *Client) queryBatch(ctx context.Context, pkgs []deps.Package) ([][]string, error) {
	out := make([][]string, len(pkgs))
	var chunks [][2]int
	for lo := 0; lo < len(pkgs); lo += maxBatch {
		chunks = append(chunks, [2]int{lo, min(lo+maxBatch, len(pkgs))})
	}
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for k, ch := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[k] = c.queryChunk(ctx, pkgs, ch[0], ch[1], out)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i] == nil {
			out[i] = []string{}
		}
	}
	return out, nil
}

// queryChunk queries pkgs[lo:hi] and fills out[lo:hi].
func (c *Client) queryChunk(ctx context.Context, pkgs []deps.Package, lo, hi int, out [][]string) error {
	type pending struct {
		i     int
		token string
	}
	var todo []pending
	for i := lo; i < hi; i++ {
		todo = append(todo, pending{i: i})
	}
	for page := 0; len(todo) > 0; page++ {
		if page >= maxPages {
			return fmt.Errorf("osv querybatch: still paging after %d pages: %w", maxPages, deps.ErrUnavailable)
		}
		req := struct {
			Queries []batchQuery `json:"queries"`
		}{Queries: make([]batchQuery, len(todo))}
		for j, t := range todo {
			p := pkgs[t.i]
			req.Queries[j] = batchQuery{Package: &batchPackage{Ecosystem: p.Ecosystem, Name: p.Name}, Version: p.Version, PageToken: t.token}
		}
		body, err := json.Marshal(req)
		if err != nil {
			return err
		}
		var resp batchResponse
		if err := c.do(ctx, http.MethodPost, "/v1/querybatch", body, maxBatchBody, &resp); err != nil {
			return fmt.Errorf("osv querybatch (%d packages): %w", len(todo), err)
		}
		if len(resp.Results) != len(todo) {
			return fmt.Errorf("osv querybatch: %d results for %d queries: %w", len(resp.Results), len(todo), deps.ErrUnavailable)
		}
		var next []pending
		for j, r := range resp.Results {
			i := todo[j].i
			for _, v := range r.Vulns {
				if v.ID != "" {
					out[i] = append(out[i], v.ID)
				}
			}
			if r.NextPageToken != "" {
				next = append(next, pending{i: i, token: r.NextPageToken})
			}
		}
		todo = next
	}
	return nil
}

// vulns returns the records of ids: cached ones from Redis, the others
// fetched in parallel and cached. A record OSV no longer has (404) is left
// out; any other failure fails the whole call.
func (c *Client) vulns(ctx context.Context, ids []string) (map[string]deps.Vuln, error) {
	out := make(map[string]deps.Vuln, len(ids))
	var rest []string
	for _, id := range ids {
		if v, ok := c.mem.get(id); ok {
			out[id] = v
		} else {
			rest = append(rest, id)
		}
	}
	ids = rest
	if len(ids) == 0 {
		return out, nil
	}
	cached := c.mget(ctx, len(ids), func(i int) string { return c.vulnKey(ids[i]) })
	var fetch []string
	for i, id := range ids {
		if cached != nil && cached[i] != nil {
			var v deps.Vuln
			if json.Unmarshal(cached[i], &v) == nil && v.ID == id {
				out[id] = v
				c.mem.put(v)
				continue
			}
		}
		fetch = append(fetch, id)
	}
	if len(fetch) == 0 {
		return out, nil
	}
	type result struct {
		id  string
		raw []byte
		v   deps.Vuln
		err error
		ok  bool
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan string)
	results := make(chan result, len(fetch))
	var wg sync.WaitGroup
	for range min(c.conc, len(fetch)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				var raw json.RawMessage
				err := c.do(ctx, http.MethodGet, "/v1/vulns/"+url.PathEscape(id), nil, maxVulnBody, &raw)
				r := result{id: id, raw: raw, err: err}
				if errors.Is(err, errNotFound) {
					r.err = nil
				} else if err == nil {
					if uerr := json.Unmarshal(raw, &r.v); uerr != nil || r.v.ID == "" {
						r.err = fmt.Errorf("osv: record %s is not an OSV record", id)
					} else {
						r.ok = true
					}
				}
				results <- r
				if r.err != nil {
					cancel()
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, id := range fetch {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var firstErr error
	var keys []string
	var vals [][]byte
	for r := range results {
		if r.err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("osv vulns/%s: %w", r.id, r.err)
			}
			continue
		}
		if r.ok {
			out[r.id] = r.v
			c.mem.put(r.v)
			keys = append(keys, c.vulnKey(r.id))
			vals = append(vals, r.raw)
		}
	}
	if firstErr == nil {
		if err := ctx.Err(); err != nil {
			firstErr = err
		}
	}
	c.mset(context.WithoutCancel(ctx), keys, vals)
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

var errNotFound = errors.New("not found")

// do sends one request with retries: network errors, 429 and 5xx are
// retried with exponential backoff and jitter (both endpoints are reads, so
// a retry cannot duplicate anything); 404 is errNotFound; other statuses
// fail at once. Every failure wraps deps.ErrUnavailable.
func (c *Client) do(ctx context.Context, method, path string, body []byte, limit int64, into any) error {
	var lastErr error
	for attempt := 0; attempt <= c.tries; attempt++ {
		if attempt > 0 {
			wait := c.back << (attempt - 1)
			wait = wait/2 + rand.N(wait/2+1)
			var ra *retryAfter
			if errors.As(lastErr, &ra) {
				wait = max(wait, min(ra.d, 10*time.Second))
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%w: %w (last: %v)", deps.ErrUnavailable, ctx.Err(), lastErr)
			case <-t.C:
			}
		}
		err := c.once(ctx, method, path, body, limit, into)
		if err == nil || errors.Is(err, errNotFound) {
			return err
		}
		lastErr = err
		var perm *permanent
		if errors.As(err, &perm) || ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("%w: %w", deps.ErrUnavailable, lastErr)
}

type permanent struct{ msg string }

func (p *permanent) Error() string { return p.msg }

type retryAfter struct {
	d   time.Duration
	msg string
}

func (r *retryAfter) Error() string { return r.msg }

func (c *Client) once(ctx context.Context, method, path string, body []byte, limit int64, into any) error {
	ctx, cancel := context.WithTimeout(ctx, c.tmo)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return &permanent{msg: err.Error()}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "shiftward")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound && method == http.MethodGet:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return errNotFound
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		ra := &retryAfter{msg: fmt.Sprintf("%s %s: HTTP %d", method, path, resp.StatusCode)}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			ra.d = time.Duration(s) * time.Second
		}
		return ra
	case resp.StatusCode != http.StatusOK:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return &permanent{msg: fmt.Sprintf("%s %s: HTTP %d", method, path, resp.StatusCode)}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > limit {
		return &permanent{msg: fmt.Sprintf("%s %s: response over %d bytes", method, path, limit)}
	}
	if err := json.Unmarshal(b, into); err != nil {
		return &permanent{msg: fmt.Sprintf("%s %s: invalid JSON: %v", method, path, err)}
	}
	return nil
}

// mget reads n keys from the cache; nil without Redis or when Redis fails
// (the answer then comes from OSV).
func (c *Client) mget(ctx context.Context, n int, key func(int) string) [][]byte {
	if c.rdb == nil || n == 0 {
		return nil
	}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = key(i)
	}
	vals, err := c.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		c.log.Warn("osv cache read failed; asking OSV", "err", err)
		return nil
	}
	out := make([][]byte, n)
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = []byte(s)
		}
	}
	return out
}

// mset writes keys with the TTL in one pipeline; failures are logged.
func (c *Client) mset(ctx context.Context, keys []string, vals [][]byte) {
	if c.rdb == nil || len(keys) == 0 {
		return
	}
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			p.Set(ctx, k, vals[i], c.ttl)
		}
		return nil
	})
	if err != nil {
		c.log.Warn("osv cache write failed", "err", err)
	}
}

// recordCache keeps advisory records in process, each for the TTL; when
// full, expired entries go first, then an arbitrary half.
type recordCache struct {
	mu  sync.Mutex
	max int
	ttl time.Duration
	m   map[string]memRecord
}

type memRecord struct {
	v   deps.Vuln
	exp time.Time
}

func newRecordCache(n int, ttl time.Duration) *recordCache {
	return &recordCache{max: n, ttl: ttl, m: make(map[string]memRecord)}
}

func (rc *recordCache) get(id string) (deps.Vuln, bool) {
	if rc == nil {
		return deps.Vuln{}, false
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.m[id]
	if !ok || time.Now().After(e.exp) {
		return deps.Vuln{}, false
	}
	return e.v, true
}

func (rc *recordCache) put(v deps.Vuln) {
	if rc == nil {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	now := time.Now()
	if len(rc.m) >= rc.max {
		for k, e := range rc.m {
			if now.After(e.exp) {
				delete(rc.m, k)
			}
		}
		for k := range rc.m {
			if len(rc.m) < rc.max/2+1 {
				break
			}
			delete(rc.m, k)
		}
	}
	rc.m[v.ID] = memRecord{v: v, exp: now.Add(rc.ttl)}
}
