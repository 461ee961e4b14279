package code_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
)

var fuzzPaths = []string{"f.go", "f.py", "f.js", "f.ts", "f.tsx", "F.java"}

// fuzzSeeds are inputs for every front-end: real code with sinks, broken
// code, the start of deep nesting and long chains.
var fuzzSeeds = []string{
	pySrc,
	"package p\nimport \"os/exec\"\nfunc f(s string) { exec.Command(\"sh\", \"-c\", s).Run() }\n",
	"const cp = require('child_process'); cp.exec('ls ' + process.argv[2]);\n",
	"class A { void f(javax.servlet.http.HttpServletRequest r) throws Exception { Runtime.getRuntime().exec(r.getParameter(\"c\")); } }\n",
	"x = f\"{(((\"\n", "((((((((((", "`${`${`${", "\x00\xff\xfe",
	"eval(req.query.code" + strings.Repeat(` + ""`, 40) + ");\n",
	"eval(req.query.code" + strings.Repeat(".trim()", 40) + ");\n",
	"if (a) {} " + strings.Repeat("else if (a) {} ", 40) + "else { eval(req.query.x) }\n",
	"const A = () => <a href=\"x?a=1&b=2\">x</a>;\n",
	strings.Repeat("[", 600) + strings.Repeat("]", 600),
	strings.Repeat("f(", 600) + "x" + strings.Repeat(")", 600),
	"/*" + strings.Repeat("/*", 100),
}

// checkScan scans src at path, every line added: no panic (Scan is called
// directly, not through scanners.Run, which would recover one), no error
// but a syntax error or a bound, quick when small, and every location and
// fix inside the file.
func checkScan(t *testing.T, s *code.Scanner, p, src string) {
	start := time.Now()
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: p, Added: lines(src), Content: []byte(src)})
	// A scan of a small input must be quick: a slow one is a
	// pathological case that a crafted file could use to stall workers.
	if d := time.Since(start); d > 2*time.Second && len(src) < 1<<16 {
		t.Fatalf("%s: scanning %d bytes took %v", p, len(src), d)
	}
	if err != nil && !errors.Is(err, code.ErrSyntax) && !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("%s: unexpected error %v", p, err)
	}
	n := strings.Count(src, "\n") + 1
	for _, fd := range fs {
		if fd.Location.StartLine < 1 || fd.Location.StartLine > n || fd.Location.EndLine < fd.Location.StartLine {
			t.Fatalf("%s: location %+v outside the %d-line file", p, fd.Location, n)
		}
		if fx := fd.Fix; fx != nil && (fx.StartLine < 1 || fx.EndLine > n || fx.EndLine < fx.StartLine) {
			t.Fatalf("%s: fix %+v outside the file", p, fx)
		}
	}
}

// FuzzScan feeds arbitrary text to every front-end (checkScan).
func FuzzScan(f *testing.F) {
	for _, seed := range fuzzSeeds {
		for i := range fuzzPaths {
			f.Add(i, seed)
		}
	}
	s := newScanner(f)
	f.Fuzz(func(t *testing.T, which int, src string) {
		if which < 0 {
			which = -which
		}
		checkScan(t, s, fuzzPaths[which%len(fuzzPaths)], src)
	})
}

// fuzzLanguage is FuzzScan for one language's entry point, so that each
// can be fuzzed on its own (go test -fuzz FuzzScanPython).
func fuzzLanguage(f *testing.F, path string) {
	for _, seed := range fuzzSeeds {
		f.Add(seed)
	}
	s := newScanner(f)
	f.Fuzz(func(t *testing.T, src string) { checkScan(t, s, path, src) })
}

func FuzzScanGo(f *testing.F)         { fuzzLanguage(f, "f.go") }
func FuzzScanPython(f *testing.F)     { fuzzLanguage(f, "f.py") }
func FuzzScanJavaScript(f *testing.F) { fuzzLanguage(f, "f.jsx") }
func FuzzScanTypeScript(f *testing.F) { fuzzLanguage(f, "f.tsx") }
func FuzzScanJava(f *testing.F)       { fuzzLanguage(f, "F.java") }

// nestings are shapes that nest (not chains, which are walked in a loop)
// in each language: an opener, what the innermost holds, a closer.
var nestings = []struct{ path, head, open, inner, close string }{
	{"f.js", "x = ", "f(", "1", ")"},
	{"f.js", "x = ", "[", "", "]"},
	{"f.js", "x = ", "{a:", "1", "}"},
	{"f.js", "", "function f(){", "", "}"},
	{"f.ts", "x = ", "a ? b : (", "c", ")"},
	{"f.py", "x = ", "f(", "1", ")"},
	{"f.py", "x = ", "[", "", "]"},
	{"f.py", "x = ", "{1:", "1", "}"},
	{"F.java", "class A { void f() { ", "{", "", "}"},
	{"F.java", "class A { void f() { x = ", "f(", "1", ")"},
	{"f.go", "package p\nfunc f() {\n", "{", "", "}"},
	{"f.go", "package p\nvar x = ", "f(", "1", ")"},
}

// FuzzNesting nests one of the nestings to a depth the fuzzer picks, with
// text of its choosing inside: past scanners.MaxDepth the file must be
// reported over a bound (or not parse), never scanned as if whole.
func FuzzNesting(f *testing.F) {
	for i := range nestings {
		f.Add(i, uint16(600), "")
		f.Add(i, uint16(100), "req.query.x")
		f.Add(i, uint16(5000), "eval(x)")
	}
	s := newScanner(f)
	f.Fuzz(func(t *testing.T, which int, depth uint16, inner string) {
		if which < 0 {
			which = -which
		}
		n := nestings[which%len(nestings)]
		if inner == "" {
			inner = n.inner
		}
		src := n.head + strings.Repeat(n.open, int(depth)) + inner + strings.Repeat(n.close, int(depth)) + "\n"
		if strings.HasPrefix(n.head, "class") {
			src += "} }\n"
		} else if strings.HasPrefix(n.head, "package p\nfunc") {
			src += "}\n"
		}
		checkScan(t, s, n.path, src)
		_, err := s.Scan(context.Background(), &scanners.Input{Path: n.path, Added: lines(src), Content: []byte(src)})
		if int(depth) > scanners.MaxDepth && err == nil {
			t.Fatalf("%s nested %d deep in %q: scanned whole, want scanners.ErrBound", n.path, depth, n.open)
		}
	})
}

// TestConcurrentScans shares one scanner between goroutines (the parser
// pools are the shared state); run under -race.
func TestConcurrentScans(t *testing.T) {
	s := newScanner(t)
	srcs := map[string]string{
		"a.py":   pySrc,
		"b.go":   "package p\nimport \"crypto/md5\"\nfunc f() { md5.New() }\n",
		"c.js":   "document.body.innerHTML = location.hash;\n",
		"d.java": "class A { void f() throws Exception { java.security.MessageDigest.getInstance(\"MD5\"); } }\n",
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		for p, src := range srcs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 20; j++ {
					fs, err := s.Scan(context.Background(), &scanners.Input{Path: p, Added: lines(src), Content: []byte(src)})
					if err != nil || len(fs) == 0 {
						t.Errorf("%s: %d findings, err %v", p, len(fs), err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
}
