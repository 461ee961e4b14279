package scannertest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
)

// hostileSets are the generators HostileFiles merges. Each file of this
// package that brings hostile inputs of its own kind (data formats here,
// source code in hostile_code.go) adds one from an init function with
// addHostile, so the files can grow independently.
var (
	hostileMu   sync.Mutex
	hostileSets []func() map[string][]byte
)

// addHostile registers a generator of hostile files (path → content).
func addHostile(gen func() map[string][]byte) {
	hostileMu.Lock()
	defer hostileMu.Unlock()
	hostileSets = append(hostileSets, gen)
}

// HostileFiles returns a fresh set of hostile inputs, path → content, each
// crafted to crash, stall or blind a parser that is not bounded: nesting far
// past scanners.MaxDepth, quadratic shapes, alias bombs, giant lines. A
// correct scanner either scans each quickly or reports it as not scanned
// (scanners.ErrBound), never crashes and never calls it clean by mistake.
//
// Paths are named so that the scanner that wants them does (main.tf,
// poetry.lock, .github/workflows/x.yml, ...). Paths ending in ".diff" are
// not files of a change but unified diffs, input to scanners/diff.
// Generated, not committed, so each stays small in the repository and can
// be made as large as needed here.
func HostileFiles() map[string][]byte {
	hostileMu.Lock()
	defer hostileMu.Unlock()
	out := map[string][]byte{}
	for _, gen := range hostileSets {
		for p, b := range gen() {
			if _, dup := out[p]; dup {
				panic("scannertest: hostile path registered twice: " + p)
			}
			out[p] = b
		}
	}
	return out
}

func init() { addHostile(hostileData) }

// hostileData covers the data formats: HCL, YAML, JSON, TOML, XML,
// Dockerfile and diffs.
func hostileData() map[string][]byte {
	const deep = 50000 // far past scanners.MaxDepth (512) and any parser's own limit
	const hcl = 100000 // overflows the goroutine stack in hclsyntax (1 GB)
	const wide = 500   // just inside scanners.MaxDepth, for files filled to the size bound
	m := map[string][]byte{
		// HCL: each opener is a dozen frames of parser recursion; 100000 of
		// them overflow the goroutine stack, which kills the process.
		"hostile/hcl/brackets/main.tf": []byte("a = " + strings.Repeat("[", hcl)),
		"hostile/hcl/braces/main.tf":   []byte("a = " + strings.Repeat("{a=", hcl/2)),
		"hostile/hcl/parens/main.tf":   []byte("a = " + strings.Repeat("(", hcl)),
		"hostile/hcl/interp/main.tf":   []byte("a = " + strings.Repeat(`"${`, hcl*4/5)),
		"hostile/hcl/blocks/main.tf":   []byte(strings.Repeat("b{\n", hcl/2)),
		"hostile/hcl/unary/main.tf":    []byte("a = " + strings.Repeat("!", hcl) + "true\n"),
		"hostile/hcl/ternary/main.tf":  []byte("a = (" + strings.Repeat("x?y:\n", hcl/2) + "z)\n"),
		"hostile/hcl/binary/main.tf":   []byte("a = " + strings.Repeat("x+", hcl) + "y\n"),
		// Closers hidden in strings and comments: a bracket counter that
		// does not lex is fooled into seeing a shallow file.
		"hostile/hcl/interleaved/main.tf": []byte("a = " + strings.Repeat(`{x="}]}"#}}`+"\ny=", hcl/8)),
		// Inside the bounds: as large as the scanner takes (256 KiB), each
		// expression nested just below MaxDepth.
		"hostile/hcl/wide/main.tf": fill(250<<10, func(i int) string {
			return fmt.Sprintf("a%d = %s1%s\n", i, strings.Repeat("[", wide), strings.Repeat("]", wide))
		}),

		// JSON lockfiles: encoding/json stops at 10000 levels, far past
		// what the scanners' own walkers should recurse.
		"hostile/json/package-lock.json": []byte(`{"packages":` + strings.Repeat(`{"a":`, deep) + "1" + strings.Repeat("}", deep+1)),
		"hostile/json/composer.lock":     []byte(`{"packages":` + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "}"),
		"hostile/json/strings/package-lock.json": []byte(`{"packages":` +
			strings.Repeat(`{"}]":"]}}",`+`"a":`, 2000) + "1" + strings.Repeat("}", 2001)),
		"hostile/json/wide/package-lock.json": append(fill(4<<20-100, func(i int) string {
			sep := ","
			if i == 0 {
				sep = `{"lockfileVersion":3,"packages":{`
			}
			return fmt.Sprintf(`%s"node_modules/p%d":%s1%s`, sep, i, strings.Repeat(`{"a":`, wide), strings.Repeat("}", wide))
		}), "}}"...),

		// TOML: nested inline tables and arrays, quadratic or worse in some
		// decoders, and a stack overflow in recursive ones.
		"hostile/toml/inline/poetry.lock": []byte(`[[package]]` + "\nname = \"x\"\nversion = \"1\"\na = " +
			strings.Repeat("{a=", 20000) + "1" + strings.Repeat("}", 20000) + "\n"),
		"hostile/toml/arrays/uv.lock": []byte("version = 1\n[[package]]\nname = \"x\"\na = " +
			strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"),
		"hostile/toml/strings/Cargo.lock": []byte("a = " +
			strings.Repeat(`{ b = "}]", c = '}', d = """}""", e = `, 3000) + "1" + strings.Repeat("}", 3000) + "\n"),
		// Inside the bounds: 4 MiB of inline tables nested 500 deep. Over
		// 100 s and 6 GiB with BurntSushi/toml, which is quadratic in depth.
		"hostile/toml/wide/poetry.lock": fill(4<<20-100, func(i int) string {
			return fmt.Sprintf("[[package]]\nname = \"p%d\"\nversion = \"1.0\"\na = %s1%s\n", i, strings.Repeat("{a=", wide), strings.Repeat("}", wide))
		}),
		"hostile/toml/.gitleaks.toml": []byte("title = \"x\"\n[extend]\na = " +
			strings.Repeat("{a=", 20000) + "1" + strings.Repeat("}", 20000) + "\n"),

		// XML: deep elements in a pom.
		"hostile/xml/pom.xml": []byte("<project>" + strings.Repeat("<a>", deep) + strings.Repeat("</a>", deep) + "</project>"),
		"hostile/xml/wide/pom.xml": append(fill(4<<20-100, func(i int) string {
			if i == 0 {
				return "<project><dependencies>"
			}
			return "<dependency>" + strings.Repeat("<a>", wide) + strings.Repeat("</a>", wide) + "</dependency>\n"
		}), "</dependencies></project>\n"...),

		// go.mod: nested blocks.
		"hostile/gomod/go.mod": []byte("module x\nrequire " + strings.Repeat("(\n", deep) + "a v1.0.0\n" + strings.Repeat(")\n", deep)),

		// YAML: flow nesting, block nesting, alias bombs.
		"hostile/yaml/flow/deployment.yaml":            []byte("apiVersion: v1\nkind: Pod\nmetadata: " + strings.Repeat("[", deep) + "\n"),
		"hostile/yaml/block/deployment.yaml":           []byte("apiVersion: v1\nkind: Pod\n" + blockNest(2000)),
		"hostile/yaml/laughs/deployment.yaml":          billionLaughs("apiVersion: v1\nkind: Pod\n"),
		"hostile/yaml/laughs/.github/workflows/ci.yml": billionLaughs("on: push\n"),
		"hostile/yaml/laughs/.gitlab-ci.yml":           billionLaughs(""),
		"hostile/yaml/laughs/pnpm-lock.yaml":           billionLaughs("lockfileVersion: '9.0'\n"),
		"hostile/yaml/flow/.github/workflows/ci.yml":   []byte("on: push\njobs: " + strings.Repeat("{a: ", deep) + "\n"),
		"hostile/yaml/flow/.gitlab-ci.yml":             []byte("job: " + strings.Repeat("[", deep) + "\n"),
		"hostile/yaml/flow/pnpm-lock.yaml":             []byte("lockfileVersion: '9.0'\npackages: " + strings.Repeat("{a: ", deep) + "\n"),
		"hostile/yaml/laughs/.shiftward.yml":           billionLaughs(""),
		"hostile/yaml/interleaved/.github/workflows/ci.yml": []byte("on: push\njobs: " +
			strings.Repeat(`{"]}": '}]', a: `, 2000) + "1" + strings.Repeat("}", 2000) + "\n"),
		// Inside the bounds: 4 MiB of documents nested 500 deep.
		"hostile/yaml/wide/deployment.yaml": fill(4<<20-100, func(i int) string {
			return fmt.Sprintf("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d}\nspec: %s1%s\n", i, strings.Repeat("[", wide), strings.Repeat("]", wide))
		}),

		// Dockerfile: a line continued thousands of times, and a deep JSON
		// exec form.
		"hostile/docker/continued/Dockerfile": []byte("FROM alpine\nRUN " + strings.Repeat("a \\\n", deep) + "b\n"),
		"hostile/docker/json/Dockerfile":      []byte("FROM alpine\nCMD " + strings.Repeat("[", deep) + "\n"),
		// Inside the bounds: 4 MiB of stages, each with findings and fixes
		// to verify (a re-parse of the whole file each).
		"hostile/docker/stages/Dockerfile": fill(4<<20-100, func(i int) string {
			return fmt.Sprintf("FROM ubuntu:latest AS s%d\nRUN curl -s https://x.example/i.sh | sh\nUSER root\n", i)
		}),

		// Diffs: one giant added line, and a hunk header with huge counts.
		"hostile/diff/huge-line.diff": hugeLineDiff(3 << 20),
		"hostile/diff/counts.diff": []byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n" +
			"@@ -1,999999999 +1,999999999 @@\n" + strings.Repeat("+a\n", 2<<20)),
	}
	return m
}

// blockNest is YAML nested n levels by indentation alone: no bracket to
// count, so a flow-only depth check misses it.
func blockNest(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("a:\n")
	}
	b.WriteString(strings.Repeat(" ", n))
	b.WriteString("b\n")
	return b.String()
}

// billionLaughs is a YAML alias bomb after head: nine levels of anchors,
// each a list of ten aliases of the one before, a billion leaves if
// expanded, a few hundred bytes as written.
func billionLaughs(head string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.Bytes()
}

// fill repeats line(i) for i = 0, 1, ... while the result stays within n
// bytes.
func fill(n int, line func(i int) string) []byte {
	var b bytes.Buffer
	for i := 0; ; i++ {
		l := line(i)
		if b.Len()+len(l) > n {
			return b.Bytes()
		}
		b.WriteString(l)
	}
}

// hugeLineDiff is a diff adding one line of n bytes.
func hugeLineDiff(n int) []byte {
	var b bytes.Buffer
	b.WriteString("diff --git a/big.txt b/big.txt\nnew file mode 100644\n--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1 @@\n+")
	b.Write(bytes.Repeat([]byte("x"), n))
	b.WriteString("\n")
	return b.Bytes()
}
