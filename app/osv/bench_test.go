package osv_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app/osv"
	"github.com/shiftward/shiftward/app/osv/osvtest"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
)

// lockEntries is the size of the generated lockfile.
const lockEntries = 2000

// genPackageLock writes a lockfile v3 with n packages: every npm package the
// corpus has an advisory for, at a version inside an affected range, and
// made-up clean packages for the rest. It returns the file and how many
// entries are vulnerable.
func genPackageLock(tb testing.TB, idx *osv.Index, n int) ([]byte, int) {
	tb.Helper()
	var vulnerable []deps.Package
	seen := map[string]bool{}
	for _, name := range npmNames(idx) {
		for _, v := range []string{"0.0.1", "1.0.0", "2.0.0", "3.0.0", "4.0.0", "4.17.0"} {
			p := deps.Package{Ecosystem: "npm", Name: name, Version: v}
			if len(idx.Match(p)) > 0 && !seen[name] {
				seen[name] = true
				vulnerable = append(vulnerable, p)
			}
		}
	}
	var b strings.Builder
	b.WriteString("{\n  \"name\": \"bench\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {\n      \"name\": \"bench\",\n      \"version\": \"1.0.0\"\n    }")
	for i := range n {
		name, ver := fmt.Sprintf("clean-package-%04d", i), fmt.Sprintf("1.%d.%d", i%7, i%13)
		if i < len(vulnerable) {
			name, ver = vulnerable[i].Name, vulnerable[i].Version
		}
		fmt.Fprintf(&b, ",\n    \"node_modules/%s\": {\n      \"version\": \"%s\",\n      \"resolved\": \"https://registry.npmjs.org/%s/-/%s-%s.tgz\",\n      \"integrity\": \"sha512-AAAA\",\n      \"license\": \"MIT\"\n    }", name, ver, name, name, ver)
	}
	b.WriteString("\n  }\n}\n")
	return []byte(b.String()), min(len(vulnerable), n)
}

// npmNames lists the npm packages the index has records for, sorted.
func npmNames(idx *osv.Index) []string {
	set := map[string]bool{}
	for _, id := range idx.IDs() {
		v, _ := idx.Vuln(id)
		for _, a := range v.Affected {
			if a.Package.Ecosystem == "npm" {
				set[a.Package.Name] = true
			}
		}
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func addedInput(path string, content []byte) *scanners.Input {
	in := &scanners.Input{Path: path, Content: content}
	for i, l := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	return in
}

// BenchmarkScanPackageLock2000 scans a change that adds a 2,000-entry
// package-lock.json against the fake OSV without Redis, counting the OSV
// round trips. The goal is one querybatch round per scan: OSV takes at most
// 1,000 queries per request, so 2,000 packages are two requests sent in
// parallel. Cold, every record is fetched too (one GET per distinct
// advisory); warm, the in-process record cache answers them.
func BenchmarkScanPackageLock2000(b *testing.B) {
	b.Run("cold", func(b *testing.B) { benchScan(b, -1) })
	b.Run("warm-records", func(b *testing.B) { benchScan(b, 0) })
}

func benchScan(b *testing.B, memRecords int) {
	srv := osvtest.New(b)
	lock, nvuln := genPackageLock(b, srv.Index, lockEntries)
	c, err := osv.New(osv.Options{URL: srv.URL, MemoryRecords: memRecords})
	if err != nil {
		b.Fatal(err)
	}
	s := deps.New(c)
	in := addedInput("package-lock.json", lock)
	ctx := context.Background()
	fs, err := s.ScanBatch(ctx, []*scanners.Input{in})
	if err != nil {
		b.Fatal(err)
	}
	if len(fs) != nvuln {
		b.Fatalf("%d findings for %d vulnerable entries", len(fs), nvuln)
	}
	srv.ResetCounts()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.ScanBatch(ctx, []*scanners.Input{in}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(srv.Requests())/n, "osv-requests/op")
	b.ReportMetric(float64(srv.Batches())/n, "querybatch/op")
	b.ReportMetric(float64(srv.Gets())/n, "vuln-gets/op")
	b.ReportMetric(float64(nvuln), "vulnerable-entries")
}

// BenchmarkParsePackageLock2000 is the scan without OSV: parsing and diff
// scoping alone, against the offline index.
func BenchmarkParsePackageLock2000(b *testing.B) {
	srv := osvtest.New(b)
	lock, _ := genPackageLock(b, srv.Index, lockEntries)
	s := deps.New(srv.Index)
	in := addedInput("package-lock.json", lock)
	b.SetBytes(int64(len(lock)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ScanBatch(context.Background(), []*scanners.Input{in}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchLockfile keeps the benchmark honest: the generated lockfile has
// 2,000 entries, its vulnerable ones are all found, and a scan costs one
// querybatch.
func TestBenchLockfile(t *testing.T) {
	srv := osvtest.New(t)
	lock, nvuln := genPackageLock(t, srv.Index, lockEntries)
	if nvuln < 20 {
		t.Fatalf("only %d vulnerable entries", nvuln)
	}
	c, err := osv.New(osv.Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := deps.New(c).ScanBatch(context.Background(), []*scanners.Input{addedInput("package-lock.json", lock)})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != nvuln {
		t.Errorf("%d findings for %d vulnerable entries", len(fs), nvuln)
	}
	// OSV's limit is 1,000 queries per request: 2,000 packages, 2 requests.
	if srv.Batches() != 2 || srv.Queries() != lockEntries {
		t.Errorf("%d querybatch requests with %d queries, want 2 with %d", srv.Batches(), srv.Queries(), lockEntries)
	}
	t.Logf("2,000-entry package-lock.json: %d findings, %d querybatch, %d record fetches", len(fs), srv.Batches(), srv.Gets())
}
