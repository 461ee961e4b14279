package osv_test

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/shiftward/shiftward/app/osv"
	"github.com/shiftward/shiftward/app/osv/osvtest"
	"github.com/shiftward/shiftward/app/redistest"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

func newClient(t testing.TB, o osv.Options) *osv.Client {
	t.Helper()
	o.Backoff = time.Millisecond
	c, err := osv.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	flask  = deps.Package{Ecosystem: "PyPI", Name: "flask", Version: "1.0.0"}
	django = deps.Package{Ecosystem: "PyPI", Name: "django", Version: "1.11.29"}
	numpy  = deps.Package{Ecosystem: "PyPI", Name: "numpy", Version: "2.3.1"}
	ansi   = deps.Package{Ecosystem: "npm", Name: "ansi-html", Version: "0.0.1"}
)

func ids(vs []deps.Vuln) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	slices.Sort(out)
	return out
}

// TestQuery: one querybatch for all packages, one GET per distinct record,
// records decoded with what the scanner needs.
func TestQuery(t *testing.T) {
	srv := osvtest.New(t)
	c := newClient(t, osv.Options{URL: srv.URL})
	res, err := c.Query(context.Background(), []deps.Package{flask, django, numpy, ansi, flask})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res[0]); !slices.Equal(got, []string{"PYSEC-2023-62"}) {
		t.Errorf("flask: %v", got)
	}
	if got := ids(res[1]); !slices.Contains(got, "PYSEC-2021-98") {
		t.Errorf("django: %v", got)
	}
	if len(res[2]) != 0 {
		t.Errorf("numpy 2.3.1: %v", ids(res[2]))
	}
	if got := ids(res[3]); !slices.Equal(got, []string{"GHSA-whgm-jr23-g3j9"}) {
		t.Errorf("ansi-html: %v", got)
	}
	if v := res[3][0]; v.Summary == "" || len(v.Affected) == 0 || len(v.Severity) == 0 {
		t.Errorf("record lost fields: %+v", v)
	}
	if srv.Batches() != 1 {
		t.Errorf("%d querybatch requests, want 1", srv.Batches())
	}
	distinct := map[string]bool{}
	for _, l := range res {
		for _, v := range l {
			distinct[v.ID] = true
		}
	}
	if srv.Gets() != int64(len(distinct)) {
		t.Errorf("%d record requests for %d distinct records", srv.Gets(), len(distinct))
	}
}

// TestPaging follows next_page_token until every id is in.
func TestPaging(t *testing.T) {
	srv := osvtest.New(t)
	c := newClient(t, osv.Options{URL: srv.URL})
	want, err := c.Query(context.Background(), []deps.Package{django, ansi})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetPageSize(1)
	srv.ResetCounts()
	got, err := c.Query(context.Background(), []deps.Package{django, ansi})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if !slices.Equal(ids(want[i]), ids(got[i])) {
			t.Errorf("paged %v, unpaged %v", ids(got[i]), ids(want[i]))
		}
	}
	if len(want[0]) > 1 && srv.Batches() < int64(len(want[0])) {
		t.Errorf("%d querybatch requests for %d pages", srv.Batches(), len(want[0]))
	}
}

// TestLargeBatch splits more than 1000 queries into requests OSV accepts.
func TestLargeBatch(t *testing.T) {
	srv := osvtest.New(t)
	c := newClient(t, osv.Options{URL: srv.URL})
	var pkgs []deps.Package
	for i := range 2500 {
		pkgs = append(pkgs, deps.Package{Ecosystem: "npm", Name: fmt.Sprintf("pkg-%d", i), Version: "1.0.0"})
	}
	pkgs = append(pkgs, ansi)
	res, err := c.Query(context.Background(), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Batches() != 3 || srv.Queries() != 2501 {
		t.Errorf("%d requests with %d queries, want 3 with 2501", srv.Batches(), srv.Queries())
	}
	if len(res[2500]) != 1 {
		t.Errorf("the last package lost its advisory: %v", ids(res[2500]))
	}
}

// TestRetries: 5xx and 429 are retried; the answer then arrives.
func TestRetries(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusInternalServerError} {
		srv := osvtest.New(t)
		c := newClient(t, osv.Options{URL: srv.URL, Retries: 3})
		srv.FailNext(2, status)
		res, err := c.Query(context.Background(), []deps.Package{flask})
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		if len(res[0]) != 1 || srv.Batches() != 3 {
			t.Errorf("%d: %v after %d batch requests", status, ids(res[0]), srv.Batches())
		}
	}
}

// TestUnavailable: an OSV that keeps failing, stalls or is gone gives an
// error wrapping deps.ErrUnavailable, never an empty answer.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	t.Run("5xx", func(t *testing.T) {
		srv := osvtest.New(t)
		srv.FailAll(http.StatusBadGateway)
		c := newClient(t, osv.Options{URL: srv.URL, Retries: 2})
		res, err := c.Query(ctx, []deps.Package{flask})
		if !errors.Is(err, deps.ErrUnavailable) || res != nil {
			t.Fatalf("res %v err %v", res, err)
		}
		if srv.Batches() != 3 {
			t.Errorf("%d attempts, want 3", srv.Batches())
		}
	})
	t.Run("record fetch fails", func(t *testing.T) {
		srv := osvtest.New(t)
		c := newClient(t, osv.Options{URL: srv.URL, Retries: 1})
		// The querybatch goes through; every record fetch then fails.
		_, err := c.Query(ctx, []deps.Package{numpy}) // no records: warms nothing
		if err != nil {
			t.Fatal(err)
		}
		srv.FailAll(http.StatusServiceUnavailable)
		if _, err := c.Query(ctx, []deps.Package{flask}); !errors.Is(err, deps.ErrUnavailable) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		srv := osvtest.New(t)
		srv.SetDelay(2 * time.Second)
		c := newClient(t, osv.Options{URL: srv.URL, Timeout: 50 * time.Millisecond, Retries: 1})
		start := time.Now()
		if _, err := c.Query(ctx, []deps.Package{flask}); !errors.Is(err, deps.ErrUnavailable) {
			t.Fatalf("err %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v despite a 50ms timeout", d)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		srv := osvtest.New(t)
		srv.Close()
		c := newClient(t, osv.Options{URL: srv.URL, Retries: 1})
		if _, err := c.Query(ctx, []deps.Package{flask}); !errors.Is(err, deps.ErrUnavailable) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("4xx is not retried", func(t *testing.T) {
		srv := osvtest.New(t)
		srv.FailNext(1, http.StatusBadRequest)
		c := newClient(t, osv.Options{URL: srv.URL, Retries: 3})
		if _, err := c.Query(ctx, []deps.Package{flask}); !errors.Is(err, deps.ErrUnavailable) {
			t.Fatalf("err %v", err)
		}
		if srv.Batches() != 1 {
			t.Errorf("%d attempts, want 1", srv.Batches())
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		srv := osvtest.New(t)
		srv.SetDelay(time.Second)
		c := newClient(t, osv.Options{URL: srv.URL})
		cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		if _, err := c.Query(cctx, []deps.Package{flask}); err == nil {
			t.Fatal("no error")
		}
	})
}

// TestScanIncompleteWhenDown: through the scanner and scanners.Run, an
// outage marks the scan incomplete and reports nothing as safe.
func TestScanIncompleteWhenDown(t *testing.T) {
	srv := osvtest.New(t)
	srv.FailAll(http.StatusServiceUnavailable)
	s := deps.New(newClient(t, osv.Options{URL: srv.URL, Retries: 1}))
	in := &scanners.Input{Path: "requirements.txt", Content: []byte("flask==1.0.0\n"), Added: []scanners.Line{{Number: 1, Text: "flask==1.0.0"}}}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete() || len(res.Findings) != 0 {
		t.Fatalf("incomplete %v findings %v", res.Incomplete(), res.Findings)
	}
	if msg := res.Statuses[0].Errors[0].Error(); !strings.Contains(msg, "incomplete") {
		t.Errorf("status error %q", msg)
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{"ftp://x", "api.osv.dev", "http://"} {
		if _, err := osv.New(osv.Options{URL: u}); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	if _, err := osv.New(osv.Options{}); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// testRedis connects to the test Redis, database 12 (skipped locally when
// none answers, failed in CI).
func testRedis(t *testing.T) *redis.Client {
	t.Helper()
	c := redistest.Client(t, redistest.URL(t, 12))
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRedisCache: a second query for the same packages is answered from
// Redis without a request; keys carry the prefix and a TTL; a Redis outage
// falls back to OSV.
func TestRedisCache(t *testing.T) {
	rdb := testRedis(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "{swtest-osv-" + hex.EncodeToString(b[:]) + "}:"
	ctx := context.Background()
	t.Cleanup(func() {
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	srv := osvtest.New(t)
	c := newClient(t, osv.Options{URL: srv.URL, Redis: rdb, Prefix: prefix, TTL: time.Minute})
	first, err := c.Query(ctx, []deps.Package{flask, ansi, numpy})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() == 0 {
		t.Fatal("no request made on a cold cache")
	}
	srv.ResetCounts()
	second, err := c.Query(ctx, []deps.Package{flask, ansi, numpy})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 0 {
		t.Errorf("%d requests on a warm cache", srv.Requests())
	}
	for i := range first {
		if !slices.Equal(ids(first[i]), ids(second[i])) {
			t.Errorf("cached answer %v differs from %v", ids(second[i]), ids(first[i]))
		}
	}
	if second[1][0].Summary == "" {
		t.Error("cached record lost its fields")
	}
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 5 { // 3 queries, 2 records
		t.Errorf("keys %v", keys)
	}
	for _, k := range keys {
		if ttl := rdb.TTL(ctx, k).Val(); ttl <= 0 || ttl > time.Minute {
			t.Errorf("%s ttl %v", k, ttl)
		}
	}
	// A partly warm cache: only the new package is queried.
	srv.ResetCounts()
	if _, err := c.Query(ctx, []deps.Package{flask, django}); err != nil {
		t.Fatal(err)
	}
	if srv.Batches() != 1 || srv.Queries() != 1 {
		t.Errorf("%d batches with %d queries, want 1 with 1", srv.Batches(), srv.Queries())
	}
	// Redis gone: answers still come, from OSV.
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	c2 := newClient(t, osv.Options{URL: srv.URL, Redis: dead, Prefix: prefix})
	res, err := c2.Query(ctx, []deps.Package{flask})
	if err != nil || len(res[0]) != 1 {
		t.Fatalf("without Redis: %v %v", res, err)
	}
}

// TestOffline reads plain record directories and OSV's all.zip exports.
func TestOffline(t *testing.T) {
	corpus := scannertest.Data(t)
	dir := corpus.Path("osv", "advisories")
	x, err := osv.Offline(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Every record the corpus's index lists is loaded, and nothing else:
	// 610 in the full corpus, 89 in the sample in testdata/ (a floor of 80
	// there, so an index emptied by mistake cannot pass).
	var listed struct {
		Records []struct {
			ID string `json:"id"`
		} `json:"records"`
	}
	scannertest.ReadJSON(t, filepath.Join(dir, "index.json"), &listed)
	floor := 80
	if corpus.Full {
		floor = 500
	}
	if x.Len() != len(listed.Records) || x.Len() < floor {
		t.Errorf("loaded %d records, the index lists %d (want at least %d)", x.Len(), len(listed.Records), floor)
	}
	for _, r := range listed.Records {
		if _, ok := x.Vuln(r.ID); !ok {
			t.Errorf("%s listed but not loaded", r.ID)
		}
	}
	res, err := x.Query(context.Background(), []deps.Package{flask, numpy, ansi})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0]) != 1 || len(res[1]) != 0 || len(res[2]) != 1 {
		t.Errorf("offline answers %v %v %v", ids(res[0]), ids(res[1]), ids(res[2]))
	}
	// An export as OSV publishes it: <Ecosystem>/all.zip of <ID>.json.
	exp := t.TempDir()
	if err := os.MkdirAll(filepath.Join(exp, "PyPI"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(exp, "PyPI", "all.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	rec, err := os.ReadFile(filepath.Join(dir, "PyPI", "PYSEC-2023-62.json"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := zw.Create("PYSEC-2023-62.json")
	_, _ = w.Write(rec)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	z, err := osv.Offline(exp)
	if err != nil {
		t.Fatal(err)
	}
	res, err = z.Query(context.Background(), []deps.Package{flask, {Ecosystem: "PyPI", Name: "Flask", Version: "2.2.5"}})
	if err != nil || len(res[0]) != 1 || len(res[1]) != 0 {
		t.Fatalf("zip export: %v %v", res, err)
	}
	// Broken input is an error, not an empty database.
	bad := t.TempDir()
	_ = os.WriteFile(filepath.Join(bad, "all.zip"), []byte("not a zip"), 0o644)
	if _, err := osv.Offline(bad); err == nil {
		t.Error("corrupt zip accepted")
	}
	_ = os.WriteFile(filepath.Join(t.TempDir(), "x.json"), []byte("{"), 0o644)
	if _, err := osv.Offline(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing directory accepted")
	}
}

// An offline directory that answers nothing must say so: an empty one at
// start-up, a missing ecosystem at query time. Either would otherwise read
// as "no vulnerabilities".
func TestOfflineNeverPassesForLackOfData(t *testing.T) {
	if _, err := osv.Offline(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no OSV records") {
		t.Errorf("empty directory: err = %v, want it refused", err)
	}
	notRecords := t.TempDir()
	_ = os.WriteFile(filepath.Join(notRecords, "index.json"), []byte(`{"ecosystems": ["PyPI"]}`), 0o644)
	if _, err := osv.Offline(notRecords); err == nil {
		t.Error("a directory of JSON without records accepted")
	}

	dir := t.TempDir()
	rec := `{"id": "GHSA-test-0001", "modified": "2024-01-01T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "PyPI", "name": "flask"},
	    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.2.5"}]}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "GHSA-test-0001.json"), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := osv.Offline(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Query(context.Background(), []deps.Package{{Ecosystem: "PyPI", Name: "Flask", Version: "2.2.2"}})
	if err != nil || len(res[0]) != 1 {
		t.Fatalf("covered ecosystem: %v, %v", res, err)
	}
	_, err = x.Query(context.Background(), []deps.Package{{Ecosystem: "PyPI", Name: "flask", Version: "2.2.2"}, {Ecosystem: "npm", Name: "lodash", Version: "4.17.15"}})
	if !errors.Is(err, deps.ErrUnavailable) || !strings.Contains(err.Error(), "npm") {
		t.Errorf("npm package without an npm export: err = %v, want ErrUnavailable naming npm", err)
	}
}
