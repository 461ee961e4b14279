package code_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// scanAll scans src as a new file at path, every line added.
func scanAll(t *testing.T, s *code.Scanner, path, src string) ([]scanners.Finding, error) {
	t.Helper()
	return s.Scan(context.Background(), &scanners.Input{Path: path, Content: []byte(src), New: true, Added: lines(src)})
}

// families returns the rule families of fs.
func families(s *code.Scanner, fs []scanners.Finding) []string {
	fam := map[string]string{}
	for _, r := range s.Definitions() {
		fam[code.Name+"/"+r.ID] = r.Family
	}
	var out []string
	for _, f := range fs {
		out = append(out, fam[f.RuleID])
	}
	return out
}

func hasFamily(s *code.Scanner, fs []scanners.Finding, family string) bool {
	for _, f := range families(s, fs) {
		if f == family {
			return true
		}
	}
	return false
}

// fromInput reports whether fs has a finding of family whose value was
// followed back to request input (not merely a value not known constant,
// which is what a walk that stopped early sees).
func fromInput(s *code.Scanner, fs []scanners.Finding, family string) bool {
	for i, f := range families(s, fs) {
		if f == family && (strings.Contains(fs[i].Message, "which the caller controls") || fs[i].RuleID == code.Name+"/html-from-input") {
			return true
		}
	}
	return false
}

const (
	jsSink   = "eval(req.query.code"
	pyHead   = "import os\nfrom flask import request\n\n"
	javaHead = "class A {\n  void f(javax.servlet.http.HttpServletRequest r) throws Exception {\n"
	goHead   = "package p\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n"
)

func ladder(n int, first, rung, last string) string {
	var b strings.Builder
	b.WriteString(first)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, rung, i)
	}
	b.WriteString(last)
	return b.String()
}

// TestLongChainsDoNotBlind: a sink whose input sits at the far end of a
// left-nested chain (a + "" + "" ..., x.trim().trim()..., an else-if
// ladder, parentheses) is reported, and the file counts as scanned. The
// walk used to stop at 400 levels without a word: the padded eval passed.
func TestLongChainsDoNotBlind(t *testing.T) {
	s := newScanner(t)
	rep := strings.Repeat
	tests := []struct {
		name, path, src, family string
	}{
		{"js concat, a few hundred", "a.js", jsSink + rep(` + ""`, 600) + ");\n", "code-injection"},
		{"js concat, many", "a.js", jsSink + rep(` + ""`, 50000) + ");\n", "code-injection"},
		{"js padding before", "a.js", "eval(" + rep(`"" + `, 600) + "req.query.code);\n", "code-injection"},
		{"js padding over lines", "a.js", jsSink + rep("\n  + \"\"", 600) + ");\n", "code-injection"},
		{"js method chain", "a.js", jsSink + rep(".trim()", 600) + ");\n", "code-injection"},
		{"js member and call chain", "a.js", "eval(req.query.code" + rep(".toString().slice(0)", 400) + ");\n", "code-injection"},
		{"js parentheses", "a.js", "eval(" + rep("(", 600) + "req.query.code" + rep(")", 600) + ");\n", "code-injection"},
		{"ts concat", "a.ts", jsSink + rep(` + ""`, 600) + ");\n", "code-injection"},
		{"js else-if ladder", "a.js", ladder(600, "function h(req) {\n  if (a === 0) {\n  }", " else if (a === %d) {\n  }",
			" else {\n    eval(req.query.code);\n  }\n}\n"), "code-injection"},
		{"js markup", "a.js", "function h(req, res) { res.send(\"<p>\" + req.query.name" + rep(` + "<b>" + n`, 600) + "); }\n", "xss"},
		{"python concat", "a.py", pyHead + "os.system(request.args[\"c\"]" + rep(` + ""`, 600) + ")\n", "cmdi"},
		{"python method chain", "a.py", pyHead + "os.system(request.args[\"c\"]" + rep(".strip()", 600) + ")\n", "cmdi"},
		{"python long callee", "a.py", pyHead + "db" + rep(".pool", 300) + ".cursor().execute(\"SELECT * FROM t WHERE a = '\" + request.args[\"q\"] + \"'\")\n", "sqli"},
		{"python parentheses", "a.py", pyHead + "os.system(" + rep("(", 600) + "request.args[\"c\"]" + rep(")", 600) + ")\n", "cmdi"},
		{"java concat", "A.java", javaHead + "    Runtime.getRuntime().exec(r.getParameter(\"c\")" + rep(` + ""`, 600) + ");\n  }\n}\n", "cmdi"},
		{"java else-if ladder", "A.java", ladder(600, javaHead+"    if (a == 0) {\n    }", " else if (a == %d) {\n    }",
			" else {\n      Runtime.getRuntime().exec(r.getParameter(\"c\"));\n    }\n  }\n}\n"), "cmdi"},
		{"go concat", "a.go", goHead + "\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")" + rep(` + ""`, 600) + ").Run()\n}\n", "cmdi"},
		{"go parentheses", "a.go", goHead + "\texec.Command(\"sh\", \"-c\", " + rep("(", 600) + "r.FormValue(\"c\")" + rep(")", 600) + ").Run()\n}\n", "cmdi"},
		{"go else-if ladder", "a.go", ladder(600, goHead+"\tif a == 0 {\n\t}", " else if a == %d {\n\t}",
			" else {\n\t\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n\t}\n}\n"), "cmdi"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := scanAll(t, s, tc.path, tc.src)
			if err != nil {
				t.Fatalf("scan: %v; want the file scanned whole", err)
			}
			if !fromInput(s, fs, tc.family) {
				t.Fatalf("no %s finding of request input (got %v): the chain hid the input", tc.family, families(s, fs))
			}
		})
	}
}

// TestNestedAwaitIsLinear: each await used to evaluate its operand twice,
// so the work doubled with every level; forty levels in a 400-byte file
// would never end. Scanned within the per-file time bound, the input is
// still found through them.
func TestNestedAwaitIsLinear(t *testing.T) {
	s := newScanner(t)
	src := pyHead + "async def h():\n    os.system(" + strings.Repeat("await ", 40) + "request.args[\"c\"])\n"
	ctx, cancel := context.WithTimeout(context.Background(), scanners.FileTimeout)
	defer cancel()
	fs, err := s.Scan(ctx, &scanners.Input{Path: "a.py", Content: []byte(src), New: true, Added: lines(src)})
	if err != nil {
		t.Fatalf("scan: %v; want the file scanned whole, quickly", err)
	}
	if !fromInput(s, fs, "cmdi") {
		t.Errorf("no cmdi finding of request input through the awaits (got %v)", families(s, fs))
	}
}

// TestDeepNestingIsIncomplete: nesting deeper than scanners.MaxDepth that
// is not a chain (calls in calls, arrays, blocks, functions) is not walked
// past the bound, and the file is reported as not scanned whole
// (scanners.ErrBound), never as clean; what was found outside the deep part
// is still reported beside the error. The walk used to skip the deep part
// without a word.
func TestDeepNestingIsIncomplete(t *testing.T) {
	s := newScanner(t)
	rep := strings.Repeat
	const d = 2000
	tests := []struct {
		name, path, src string
		family          string // a finding outside the deep part, "" for none
	}{
		{"js sink inside nested calls", "a.js", "eval(" + rep("f(", d) + "req.query.code" + rep(")", d) + ");\n", ""},
		{"js nested arrays beside a sink", "a.js", "eval(req.query.code);\nx = " + rep("[", d) + rep("]", d) + ";\n", "code-injection"},
		{"js nested functions", "a.js", "eval(req.query.code);\n" + rep("function f(){", d) + rep("}", d) + "\n", "code-injection"},
		{"js nested objects", "a.js", "x = " + rep("{a:", d) + "req.query.code" + rep("}", d) + ";\neval(req.query.code);\n", "code-injection"},
		{"jsx nested elements", "a.jsx", "eval(req.query.code);\nx = " + rep("<a>", d) + rep("</a>", d) + ";\n", "code-injection"},
		{"ts nested ternaries", "a.ts", "eval(req.query.code);\nx = " + rep("a ? b : (", d) + "c" + rep(")", d) + ";\n", "code-injection"},
		{"python nested calls", "a.py", pyHead + "os.system(request.args[\"c\"])\nx = " + rep("f(", d) + "1" + rep(")", d) + "\n", "cmdi"},
		{"python nested lists", "a.py", pyHead + "os.system(request.args[\"c\"])\nx = " + rep("[", d) + rep("]", d) + "\n", "cmdi"},
		{"python nested tuple targets", "a.py", pyHead + "os.system(request.args[\"c\"])\n" + rep("(", d) + "a" + rep(",)", d) + " = b\n", "cmdi"},
		{"python chained assignment", "a.py", pyHead + "os.system(request.args[\"c\"])\n" + rep("a = ", d) + "1\n", "cmdi"},
		{"java nested blocks", "A.java", javaHead + "    Runtime.getRuntime().exec(r.getParameter(\"c\"));\n    " + rep("{", d) + rep("}", d) + "\n  }\n}\n", "cmdi"},
		{"java nested calls", "A.java", javaHead + "    Runtime.getRuntime().exec(" + rep("f(", d) + "r.getParameter(\"c\")" + rep(")", d) + ");\n  }\n}\n", ""},
		{"go nested blocks", "a.go", goHead + "\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n\t" + rep("{", d) + rep("}", d) + "\n}\n", "cmdi"},
		{"go nested func literals", "a.go", goHead + "\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n\t_ = " + rep("func() {", d) + rep("}", d) + "\n}\n", "cmdi"},
		{"go past go/parser's own limit", "a.go", goHead + "\t_ = " + rep("(", 110000) + "1" + rep(")", 110000) + "\n}\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := scanAll(t, s, tc.path, tc.src)
			if !errors.Is(err, scanners.ErrBound) {
				t.Fatalf("scan: %v (%d findings); want the file over a bound (scanners.ErrBound)", err, len(fs))
			}
			if tc.family != "" && !hasFamily(s, fs, tc.family) {
				t.Errorf("no %s finding beside the bound error (got %v)", tc.family, families(s, fs))
			}
		})
	}
}

// TestTooLargeIsIncomplete: a file over scanners.MaxParseBytes (over 2 MiB
// for the tree-sitter languages, whose trees take up to 95 bytes a byte)
// is reported as over the bound, not parsed; a Go file under the bound is
// parsed.
func TestTooLargeIsIncomplete(t *testing.T) {
	s := newScanner(t)
	for _, tc := range []struct {
		path string
		size int
	}{{"a.js", 2<<20 + 1}, {"a.py", 2<<20 + 1}, {"A.java", 2<<20 + 1}, {"a.go", scanners.MaxParseBytes + 1}} {
		src := "// x\n" + strings.Repeat("x", tc.size)
		if _, err := scanAll(t, s, tc.path, src); !errors.Is(err, scanners.ErrBound) {
			t.Errorf("%s of %d bytes: %v, want scanners.ErrBound", tc.path, len(src), err)
		}
	}
	big := goHead + "\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n}\n" + strings.Repeat("var x = 1\n", 300000)
	if fs, err := scanAll(t, s, "big.go", big); err != nil || !fromInput(s, fs, "cmdi") {
		t.Errorf("a %d-byte Go file: %v, %d findings; want it scanned", len(big), err, len(fs))
	}
}

// TestParserMemoryIsBounded: input that makes tree-sitter allocate more
// than a parse's budget (a literal of a million elements takes 350 MB of C
// memory, outside what Go counts) is reported over a bound, not parsed.
func TestParserMemoryIsBounded(t *testing.T) {
	s := newScanner(t)
	for _, p := range []string{"a.js", "a.py"} {
		src := "x = [" + strings.Repeat("1,", 1000000) + "]\n"
		_, err := scanAll(t, s, p, src)
		if !errors.Is(err, scanners.ErrBound) || !strings.Contains(err.Error(), "parser memory") {
			t.Errorf("%s: %v; want the parser's memory over its bound", p, err)
		}
	}
}

// TestTooManySitesIsIncomplete: a file of more sink calls than a file's
// sites are kept for is reported over a bound, with the findings up to it.
func TestTooManySitesIsIncomplete(t *testing.T) {
	s := newScanner(t)
	src := "x = input()\n" + strings.Repeat("eval(x)\n", 30000)
	fs, err := scanAll(t, s, "a.py", src)
	if !errors.Is(err, scanners.ErrBound) || len(fs) == 0 {
		t.Fatalf("%d findings, error %v; want findings and scanners.ErrBound", len(fs), err)
	}
}

// TestSyntaxErrorKeepsFindings: a file that does not parse whole (a JSX
// attribute without a value) is scanned where it parses: its findings are kept,
// and it is reported as not scanned whole, naming the first broken line.
// It used to lose every finding when the error was on an added line, and
// to count as scanned whole when it was not.
func TestSyntaxErrorKeepsFindings(t *testing.T) {
	s := newScanner(t)
	tests := []struct {
		name, path, src, family string
		line                    int
	}{
		{"jsx attribute without a value", "a.jsx", "const A = () => <a href=>x</a>;\nfunction h(req) {\n  eval(req.query.code);\n}\n", "code-injection", 1},
		{"jsx bare attribute", "a.tsx", "function h(req) {\n  eval(req.query.code);\n}\nconst A = () => <div title=&>x</div>;\n", "code-injection", 4},
		{"python", "a.py", pyHead + "def h():\n    os.system(request.args[\"c\"])\n\ndef g(:\n    pass\n", "cmdi", 7},
		{"java", "A.java", javaHead + "    Runtime.getRuntime().exec(r.getParameter(\"c\"));\n  }\n  void g() { int x = ; }\n}\n", "cmdi", 5},
		{"go", "a.go", goHead + "\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n}\n\nfunc g() { x := }\n", "cmdi", 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := scanAll(t, s, tc.path, tc.src)
			if !errors.Is(err, code.ErrSyntax) {
				t.Fatalf("scan: %v; want code.ErrSyntax", err)
			}
			if want := fmt.Sprintf("line %d", tc.line); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
			if !hasFamily(s, fs, tc.family) {
				t.Errorf("no %s finding (got %v): the rest of the file was not scanned", tc.family, families(s, fs))
			}
		})
	}
}

// TestBrokenFileDoesNotSinkTheChange: of a change of two files, one that
// does not parse (a JSX attribute without a value) and one with a real eval of
// request input, the finding is reported and only the broken file is
// listed as not scanned whole; what the broken file holds beside its
// error (an innerHTML of the URL) is reported too.
func TestBrokenFileDoesNotSinkTheChange(t *testing.T) {
	s := newScanner(t)
	broken := "export const Link = () => <a href=>next</a>;\n" +
		"export function show() {\n  document.body.innerHTML = location.hash;\n}\n"
	real := "function run(req) {\n  return eval(req.query.code);\n}\n"
	ins := []*scanners.Input{
		{Path: "web/Link.jsx", Content: []byte(broken), New: true, Added: lines(broken)},
		{Path: "api/run.js", Content: []byte(real), New: true, Added: lines(real)},
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, ins)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Location.Path+" "+f.RuleID)
	}
	if want := []string{"api/run.js code/js-code-eval", "web/Link.jsx code/js-innerhtml"}; strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("findings %v; want %v", got, want)
	}
	errs := res.Statuses[0].Errors
	if len(errs) != 1 || !errors.Is(errs[0], code.ErrSyntax) || !strings.HasPrefix(errs[0].Error(), "web/Link.jsx: ") {
		t.Fatalf("status errors %v; want one syntax error for web/Link.jsx", errs)
	}
	if !res.Incomplete() {
		t.Error("the review is not marked incomplete")
	}
}

// peakHeap runs f and returns the most heap in use seen while it ran
// (sampled every 10 ms) above what was in use before.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	f()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// everyFile is a scanner without its HandWrittenOnly capability: Run then
// hands it minified and generated files too. The parser must hold on them
// all the same: a repository's .gitattributes can mark any file its own
// (linguist-generated=false), and then it is scanned.
type everyFile struct{ scanners.Scanner }

// TestHostileCode scans every hostile source file of scannertest's shared
// set as scanners.Run does (FileTimeout per file): each is either scanned
// or reported over a bound (a syntax error is a scan of what parses), in
// under 10 s and 512 MiB of heap, without a panic; and a file that holds a
// real injection (scannertest.HostileSink) and counts as scanned reports
// it. It takes a minute: skipped with -short and under the race detector
// (make bench covers the same files there).
func TestHostileCode(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a minute of hostile files; run without -short or -race")
	}
	s := newScanner(t)
	files := scannertest.HostileFiles()
	var paths []string
	for p := range files {
		if s.Wants(p) {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	if len(paths) < 40 {
		t.Fatalf("%d hostile source files; want every language's", len(paths))
	}
	for _, p := range paths {
		src := files[p]
		in := &scanners.Input{Path: p, Content: src, New: true, Added: lines(string(src))}
		var res *scanners.Result
		var err error
		start := time.Now()
		peak := peakHeap(func() {
			res, err = scanners.Run(context.Background(), []scanners.Scanner{everyFile{s}}, []*scanners.Input{in})
		})
		d := time.Since(start)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		errs := res.Statuses[0].Errors
		t.Logf("%-40s %8d bytes %5.2fs %4d MiB %d findings %v", p, len(src), d.Seconds(), peak>>20, len(res.Findings), errs)
		bound := false
		for _, e := range errs {
			switch {
			case errors.Is(e, scanners.ErrBound):
				bound = true
			case errors.Is(e, code.ErrSyntax):
			default:
				t.Errorf("%s: %v; want it scanned or over a bound", p, e)
			}
		}
		if d > 10*time.Second {
			t.Errorf("%s: %v; want under 10 s", p, d)
		}
		if peak > 512<<20 {
			t.Errorf("%s: %d MiB of heap; want under 512 MiB", p, peak>>20)
		}
		if strings.Contains(p, scannertest.HostileSink) && !bound && len(res.Findings) == 0 {
			t.Errorf("%s: scanned, and its injection not reported", p)
		}
	}
}

// acrossSource writes a file of n functions in lang whose handler passes
// input to every one of them: shape "chain" (each also passes its
// parameter to the next, and runs it), "mesh" (each calls the first
// thirty), "nest" (each defined inside the one before, and called there)
// or "late" (each returns the next's result, the last request input,
// defined in reverse order so the file is walked again).
func acrossSource(lang, shape string, n int) (string, string) {
	var b strings.Builder
	callees := func(i int) []int {
		switch shape {
		case "chain":
			if i+1 < n {
				return []int{i + 1}
			}
		case "mesh":
			var out []int
			for j := 0; j < min(n, 30); j++ {
				out = append(out, j)
			}
			return out
		}
		return nil
	}
	switch lang {
	case "python":
		b.WriteString(pyHead)
		if shape == "late" {
			b.WriteString("def h():\n    os.system(f0())\n\n")
			for i := n - 1; i >= 0; i-- {
				if i == n-1 {
					fmt.Fprintf(&b, "def f%d():\n    return request.args['c']\n\n", i)
				} else {
					fmt.Fprintf(&b, "def f%d():\n    return f%d()\n\n", i, i+1)
				}
			}
			return "a.py", b.String()
		}
		ind := ""
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "%sdef f%d(c):\n%s    os.system(c)\n", ind, i, ind)
			for _, j := range callees(i) {
				fmt.Fprintf(&b, "%s    f%d(c)\n", ind, j)
			}
			if shape == "nest" && i+1 < n {
				// f(i+1) is defined next, inside f(i), and called after.
				defer func(ind string, i int) { fmt.Fprintf(&b, "%s    f%d(c)\n", ind, i+1) }(ind, i)
				ind += "    "
			}
		}
		if shape == "nest" {
			return "a.py", b.String() + "\ndef h():\n    f0(request.args['c'])\n"
		}
		b.WriteString("\ndef h():\n    c = request.args['c']\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    f%d(c)\n", i)
		}
		return "a.py", b.String()
	case "javascript":
		b.WriteString("const cp = require('child_process');\n")
		if shape == "late" {
			b.WriteString("function h(req) { cp.exec(f0()); }\n")
			for i := n - 1; i >= 0; i-- {
				if i == n-1 {
					fmt.Fprintf(&b, "function f%d() { return req.query.c; }\n", i)
				} else {
					fmt.Fprintf(&b, "function f%d() { return f%d(); }\n", i, i+1)
				}
			}
			return "a.js", b.String()
		}
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "function f%d(c) {\n  cp.exec(c);\n", i)
			for _, j := range callees(i) {
				fmt.Fprintf(&b, "  f%d(c);\n", j)
			}
			if shape != "nest" {
				b.WriteString("}\n")
			}
		}
		if shape == "nest" {
			for i := n - 1; i >= 0; i-- {
				if i+1 < n {
					fmt.Fprintf(&b, "  f%d(c);\n", i+1)
				}
				b.WriteString("}\n")
			}
			return "a.js", b.String() + "app.get('/', (req, res) => { f0(req.query.c); });\n"
		}
		b.WriteString("app.get('/', (req, res) => {\n  const c = req.query.c;\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  f%d(c);\n", i)
		}
		return "a.js", b.String() + "});\n"
	case "java":
		b.WriteString("class A {\n")
		if shape == "late" || shape == "nest" {
			b.WriteString("  HttpServletRequest request;\n  void h() throws Exception { Runtime.getRuntime().exec(f0()); }\n")
			for i := n - 1; i >= 0; i-- {
				if i == n-1 {
					fmt.Fprintf(&b, "  String f%d() { return request.getParameter(\"c\"); }\n", i)
				} else {
					fmt.Fprintf(&b, "  String f%d() { return f%d(); }\n", i, i+1)
				}
			}
			return "A.java", b.String() + "}\n"
		}
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  void f%d(String c) throws Exception {\n    Runtime.getRuntime().exec(c);\n", i)
			for _, j := range callees(i) {
				fmt.Fprintf(&b, "    f%d(c);\n", j)
			}
			b.WriteString("  }\n")
		}
		b.WriteString("  void h(HttpServletRequest r) throws Exception {\n    String c = r.getParameter(\"c\");\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "    f%d(c);\n", i)
		}
		return "A.java", b.String() + "  }\n}\n"
	case "go":
		b.WriteString("package p\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\n")
		if shape == "late" || shape == "nest" {
			b.WriteString("func h(w http.ResponseWriter, r *http.Request) {\n\texec.Command(\"sh\", \"-c\", f0(r)).Run()\n}\n")
			for i := n - 1; i >= 0; i-- {
				if i == n-1 {
					fmt.Fprintf(&b, "func f%d(r *http.Request) string { return r.FormValue(\"c\") }\n", i)
				} else {
					fmt.Fprintf(&b, "func f%d(r *http.Request) string { return f%d(r) }\n", i, i+1)
				}
			}
			return "a.go", b.String()
		}
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "func f%d(c string) {\n\texec.Command(\"sh\", \"-c\", c).Run()\n", i)
			for _, j := range callees(i) {
				fmt.Fprintf(&b, "\tf%d(c)\n", j)
			}
			b.WriteString("}\n")
		}
		b.WriteString("func h(w http.ResponseWriter, r *http.Request) {\n\tc := r.FormValue(\"c\")\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\tf%d(c)\n", i)
		}
		return "a.go", b.String() + "}\n"
	}
	return "", ""
}

// TestHostileAcrossFunctions: the taint across functions stays linear-ish
// in the functions of a file, whatever their calls (chains, a mesh, nested
// definitions, returns known only after a walk): the scan takes a bounded
// multiple of the scan without it, the file is scanned (or over a bound),
// and the sinks the input reaches are reported.
func TestHostileAcrossFunctions(t *testing.T) {
	s := newScanner(t)
	for _, lang := range []string{"python", "javascript", "java", "go"} {
		for _, shape := range []string{"chain", "mesh", "nest", "late"} {
			t.Run(lang+"/"+shape, func(t *testing.T) {
				// Bounded against the scan without it (whose own
				// cost in the size of a file the tests above bound).
				var times [2]time.Duration
				for k, n := range []int{300, 600} {
					p, src := acrossSource(lang, shape, n)
					// The fastest of three of each, interleaved: a loaded
					// machine slows both alike.
					var fs []scanners.Finding
					var err error
					base := time.Duration(1 << 62)
					times[k] = base
					for range 3 {
						prev := code.SetCrossFunctions(false)
						start := time.Now()
						scanAll(t, s, p, src)
						base = min(base, time.Since(start))
						code.SetCrossFunctions(prev)
						start = time.Now()
						fs, err = scanAll(t, s, p, src)
						times[k] = min(times[k], time.Since(start))
					}
					t.Logf("%d functions: %v, %v without the taint across functions", n, times[k], base)
					if errors.Is(err, code.ErrSyntax) {
						continue
					}
					if err != nil && !errors.Is(err, scanners.ErrBound) {
						t.Fatalf("%d functions: %v", n, err)
					}
					if err == nil && !fromInput(s, fs, "cmdi") && !hasVia(fs) {
						t.Errorf("%d functions: no cmdi finding from input (got %d findings)", n, len(fs))
					}
					if times[k] > 6*base+300*time.Millisecond {
						t.Errorf("%d functions: %v, against %v without the taint across functions", n, times[k], base)
					}
				}
			})
		}
	}
}

func hasVia(fs []scanners.Finding) bool {
	for _, f := range fs {
		if strings.Contains(f.Message, " via ") {
			return true
		}
	}
	return false
}

// TestHostileAcrossFiles: a change of many files of one package that all
// call each other's functions with input is scanned file by file, the
// package indexed once through the change's tree, within a bounded
// multiple of the scans without the tree.
func TestHostileAcrossFiles(t *testing.T) {
	s := newScanner(t)
	for _, lang := range []string{"go", "python", "javascript"} {
		t.Run(lang, func(t *testing.T) {
			const nfiles, nfn = 60, 40
			files := map[string][]byte{}
			var paths []string
			for i := 0; i < nfiles; i++ {
				var b strings.Builder
				var p string
				next := (i + 1) % nfiles
				switch lang {
				case "go":
					p = fmt.Sprintf("p/f%d.go", i)
					b.WriteString("package p\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\n")
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "func f%d_%d(c string) {\n\texec.Command(\"sh\", \"-c\", c).Run()\n\tf%d_%d(c)\n}\n", i, j, next, j)
					}
					fmt.Fprintf(&b, "func h%d(w http.ResponseWriter, r *http.Request) {\n", i)
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "\tf%d_%d(r.FormValue(\"c\"))\n", next, j)
					}
					b.WriteString("}\n")
				case "python":
					p = fmt.Sprintf("app/m%d.py", i)
					fmt.Fprintf(&b, "import os\nfrom flask import request\nfrom .m%d import *\nimport m%d\n\n", next, next)
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "def f%d(c):\n    os.system(c)\n    m%d.f%d(c)\n\n", j, next, j)
					}
					b.WriteString("def h():\n")
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "    m%d.f%d(request.args['c'])\n", next, j)
					}
				case "javascript":
					p = fmt.Sprintf("src/m%d.js", i)
					fmt.Fprintf(&b, "const cp = require('child_process');\nconst m = require('./m%d');\n", next)
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "exports.f%d = function (c) {\n  cp.exec(c);\n  m.f%d(c);\n};\n", j, j)
					}
					b.WriteString("app.get('/', (req, res) => {\n")
					for j := 0; j < nfn; j++ {
						fmt.Fprintf(&b, "  m.f%d(req.query.c);\n", j)
					}
					b.WriteString("});\n")
				}
				files[p] = []byte(b.String())
				paths = append(paths, p)
			}
			run := func(tree scanners.Tree) (time.Duration, int) {
				start := time.Now()
				n := 0
				for _, p := range paths {
					src := files[p]
					fs, err := s.Scan(context.Background(), &scanners.Input{Path: p, Content: src, New: true, Added: lines(string(src)), Tree: tree})
					if err != nil && !errors.Is(err, scanners.ErrBound) {
						t.Fatalf("%s: %v", p, err)
					}
					for _, f := range fs {
						if strings.Contains(f.Message, "reaching ") {
							n++
						}
					}
				}
				return time.Since(start), n
			}
			base, _ := run(nil)
			with, n := run(scanners.NewMemTree(files))
			t.Logf("%d files: %v with the tree, %v without; %d findings across files", nfiles, with, base, n)
			if n == 0 {
				t.Errorf("no finding across files")
			}
			if with > 8*base+time.Second {
				t.Errorf("%v with the tree, against %v without", with, base)
			}
		})
	}
}
