package code_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

var fuzzPaths = []string{"f.go", "f.py", "f.js", "f.ts", "f.tsx", "F.java"}

// FuzzScan feeds arbitrary text to every front-end: no panic, no error
// other than a syntax error, and every location and fix inside the file.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		pySrc,
		"package p\nimport \"os/exec\"\nfunc f(s string) { exec.Command(\"sh\", \"-c\", s).Run() }\n",
		"const cp = require('child_process'); cp.exec('ls ' + process.argv[2]);\n",
		"class A { void f(javax.servlet.http.HttpServletRequest r) throws Exception { Runtime.getRuntime().exec(r.getParameter(\"c\")); } }\n",
		"x = f\"{(((\"\n", "((((((((((", "`${`${`${", "\x00\xff\xfe",
	} {
		for i := range fuzzPaths {
			f.Add(i, seed)
		}
	}
	s := newScanner(f)
	f.Fuzz(func(t *testing.T, which int, src string) {
		if which < 0 {
			which = -which
		}
		p := fuzzPaths[which%len(fuzzPaths)]
		ls := lines(src)
		start := time.Now()
		fs, err := s.Scan(context.Background(), &scanners.Input{Path: p, Added: ls, Content: []byte(src)})
		// A scan of a small input must be quick: a slow one is a
		// pathological case that a crafted file could use to stall workers.
		if d := time.Since(start); d > 2*time.Second && len(src) < 1<<16 {
			t.Fatalf("%s: scanning %d bytes took %v", p, len(src), d)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "syntax error") {
				t.Fatalf("%s: unexpected error %v", p, err)
			}
			return
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
