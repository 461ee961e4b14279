package deps_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// scanWithin scans one file and fails the test if that takes longer than
// d: the old TOML decoder took minutes on some of these inputs, and a
// hung test says less than a failed one.
func scanWithin(t *testing.T, d time.Duration, in *scanners.Input) ([]scanners.Finding, error) {
	t.Helper()
	type result struct {
		fs  []scanners.Finding
		err error
	}
	done := make(chan result, 1)
	go func() {
		fs, err := scoped(context.Background(), deps.New(everythingSource{}), []*scanners.Input{in})
		done <- result{fs, err}
	}()
	select {
	case r := <-done:
		return r.fs, r.err
	case <-time.After(d):
		t.Fatalf("%s: scan still running after %v", in.Path, d)
		return nil, nil
	}
}

// relPath drops "hostile/<format>/" so the scanner sees the file's own name.
func relPath(p string) string {
	p = strings.TrimPrefix(p, "hostile/")
	return p[strings.IndexByte(p, '/')+1:]
}

func TestHostileFilesAreBounded(t *testing.T) {
	s := deps.New(nil)
	for p, b := range scannertest.HostileFiles() {
		rel := relPath(p)
		if !s.Wants(rel) || strings.Contains(p, "/wide/") {
			continue
		}
		t.Run(p, func(t *testing.T) {
			in := &scanners.Input{Path: rel, Content: b, Added: []scanners.Line{{Number: 1, Text: "x"}}}
			_, err := scanWithin(t, 20*time.Second, in)
			switch {
			case strings.HasSuffix(rel, "go.mod"):
				// go.mod has no nesting (its parser is a loop); the file is
				// malformed, and an error says it was not scanned.
				if err == nil {
					t.Fatal("no error")
				}
			case !errors.Is(err, scanners.ErrBound):
				t.Fatalf("ScanBatch: %v, want a bound error", err)
			}
		})
	}
}

// TestDeepLockfiles: each format's nesting over the bound is reported as
// not scanned, closers hidden in strings included; nesting under it is
// read.
func TestDeepLockfiles(t *testing.T) {
	rep := strings.Repeat
	const n = scanners.MaxDepth
	pkgLock := func(depth int) string {
		return `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","x":` +
			rep(`{"}]":"]}}","a":`, depth) + "1" + rep("}", depth) + "}}}"
	}
	poetry := func(depth int, open, close string) string {
		return "[[package]]\nname = \"a\"\nversion = \"1.0\"\nx = " + rep(open, depth) + "1" + rep(close, depth) + "\n"
	}
	pom := func(depth int) string {
		return "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version>" +
			rep("<a><!-- </a> --><![CDATA[</a>]]>", depth) + rep("</a>", depth) + "</dependency></dependencies></project>"
	}
	pnpm := func(depth int) string {
		return "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    x: " + rep(`{"}]": ']}', a: `, depth) + "1" + rep("}", depth) + "\n"
	}
	tests := []struct {
		name, path, content string
		bound               bool
	}{
		{"package-lock under the bound", "package-lock.json", pkgLock(n - 10), false},
		{"package-lock over the bound", "package-lock.json", pkgLock(n), true},
		{"composer.lock over the bound", "composer.lock", `{"packages":` + rep("[", n+1) + rep("]", n+1) + "}", true},
		{"poetry.lock inline tables under the bound", "poetry.lock", poetry(n-10, `{b="}}]]", c=`, "}"), false},
		{"poetry.lock inline tables over the bound", "poetry.lock", poetry(n, `{b="}}]]", c=`, "}"), true},
		{"uv.lock arrays over the bound", "uv.lock", poetry(n+1, "[ # ]]\n", "]"), true},
		{"Cargo.lock literal strings over the bound", "Cargo.lock", poetry(n+1, "{b='}]', c=", "}"), true},
		{"pom.xml under the bound", "pom.xml", pom(n - 10), false},
		{"pom.xml over the bound", "pom.xml", pom(n), true},
		{"pnpm-lock under the bound", "pnpm-lock.yaml", pnpm(n - 10), false},
		{"pnpm-lock over the bound", "pnpm-lock.yaml", pnpm(n), true},
		{"yarn berry over the bound", "yarn.lock", "__metadata:\n  version: 6\nx: " + rep("[", n+1) + rep("]", n+1) + "\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &scanners.Input{Path: tc.path, Content: []byte(tc.content), Added: []scanners.Line{{Number: 1, Text: "x"}}}
			_, err := scanWithin(t, 20*time.Second, in)
			if got := errors.Is(err, scanners.ErrBound); got != tc.bound || (!tc.bound && err != nil) {
				t.Fatalf("ScanBatch: %v, want bound %v", err, tc.bound)
			}
		})
	}
}

// TestTOMLLockfileIsLinear: a 1 MiB poetry.lock of inline tables nested
// just inside the bound. BurntSushi/toml, the decoder before, is quadratic
// in depth and took about 17 s and 16 GiB of allocations on it; go-toml
// reads it in a few tens of milliseconds.
func TestTOMLLockfileIsLinear(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "[[package]]\nname = \"p%d\"\nversion = \"1.0.%d\"\nx = %s1%s\n", i, i,
			strings.Repeat("{a=", 500), strings.Repeat("}", 500))
	}
	in := &scanners.Input{Path: "poetry.lock", Content: []byte(b.String()), Added: []scanners.Line{{Number: 2, Text: `name = "p0"`}, {Number: 3, Text: `version = "1.0.0"`}}}
	start := time.Now()
	fs, err := scanWithin(t, 60*time.Second, in)
	if err != nil {
		t.Fatalf("ScanBatch: %v", err)
	}
	introduced := 0
	for _, f := range fs {
		if !f.Preexisting {
			introduced++
		}
	}
	if introduced != 1 || len(fs) < 500 {
		t.Fatalf("%d findings, %d introduced; want every package read, one introduced", len(fs), introduced)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("a 1 MiB lockfile took %v", d)
	}
}

func TestLockfileTooLarge(t *testing.T) {
	in := &scanners.Input{Path: "package-lock.json", Content: []byte(`{"x":"` + strings.Repeat("a", scanners.MaxParseBytes) + `"}`),
		Added: []scanners.Line{{Number: 1, Text: "x"}}}
	if _, err := scanWithin(t, 20*time.Second, in); !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("ScanBatch: %v, want a bound error", err)
	}
}

func TestScanStopsOnContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := &scanners.Input{Path: "poetry.lock", Content: []byte("[[package]]\nname = \"a\"\nversion = \"1.0\"\n"), Added: []scanners.Line{{Number: 3, Text: "x"}}}
	if _, err := deps.New(everythingSource{}).ScanBatch(ctx, []*scanners.Input{in}); !errors.Is(err, context.Canceled) {
		t.Fatalf("ScanBatch on a cancelled context: %v", err)
	}
}

// FuzzBounds: any input wrapped in nesting past the bound, in each nested
// format, is reported as not scanned (a bound error), never as clean; and
// the input alone never panics.
func FuzzBounds(f *testing.F) {
	f.Add(uint8(0), []byte(`{"packages":{}}`), uint16(0))
	f.Add(uint8(3), []byte("[[package]]\nname = \"a\"\nversion = \"1\"\n"), uint16(1))
	f.Add(uint8(5), []byte("<dependency/>"), uint16(2))
	type format struct {
		path         string
		wrap         func(n int, src []byte) []byte
		mustBeBounds bool
	}
	rep := strings.Repeat
	formats := []format{
		{"package-lock.json", func(n int, src []byte) []byte { return append([]byte(rep(`{"a":`, n)), src...) }, true},
		{"composer.lock", func(n int, src []byte) []byte { return append([]byte(rep("[", n)), src...) }, true},
		{"Pipfile.lock", func(n int, src []byte) []byte { return append([]byte(rep(`[{"a":`, n/2+1)), src...) }, true},
		{"poetry.lock", func(n int, src []byte) []byte { return append([]byte("a = "+rep("[", n)), src...) }, true},
		{"uv.lock", func(n int, src []byte) []byte { return append([]byte("a = "+rep("{a=", n)), src...) }, true},
		{"pom.xml", func(n int, src []byte) []byte { return append([]byte("<project>"+rep("<a>", n)), src...) }, true},
		{"pnpm-lock.yaml", func(n int, src []byte) []byte {
			return append([]byte("a: "+rep("[", n)+"1"+rep("]", n)+"\n"), src...)
		}, false},
	}
	s := deps.New(everythingSource{})
	f.Fuzz(func(t *testing.T, which uint8, src []byte, extra uint16) {
		if len(src) > 64<<10 {
			return
		}
		ft := formats[int(which)%len(formats)]
		in := &scanners.Input{Path: ft.path, Content: src, Added: []scanners.Line{{Number: 1, Text: "x"}}}
		_, _ = s.ScanBatch(context.Background(), []*scanners.Input{in})
		n := scanners.MaxDepth + 1 + int(extra%64)
		in = &scanners.Input{Path: ft.path, Content: ft.wrap(n, src), Added: []scanners.Line{{Number: 1, Text: "x"}}}
		_, err := s.ScanBatch(context.Background(), []*scanners.Input{in})
		if err == nil || (ft.mustBeBounds && !errors.Is(err, scanners.ErrBound)) {
			t.Fatalf("%s %d levels deep: %v, want a bound error", ft.path, n, err)
		}
	})
}

// TestLockfileV1NestedDependencies: a v1 package-lock nests each
// dependency's own dependencies; below 64 levels they were skipped, so a
// vulnerable package nested deeper passed unreported.
func TestLockfileV1NestedDependencies(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"lockfileVersion":1,"dependencies":`)
	for i := range 70 {
		fmt.Fprintf(&b, `{"p%d":{"version":"1.0.0","dependencies":`, i)
	}
	b.WriteString(`{"deep":{"version":"1.0.0"}}`)
	b.WriteString(strings.Repeat("}}", 70) + "}")
	in := &scanners.Input{Path: "package-lock.json", Content: []byte(b.String()), Added: []scanners.Line{{Number: 1, Text: "x"}}}
	fs, err := scanWithin(t, 20*time.Second, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if strings.Contains(f.Identity, "/deep@") {
			return
		}
	}
	t.Fatalf("the package nested 70 deep was not read (%d findings)", len(fs))
}
