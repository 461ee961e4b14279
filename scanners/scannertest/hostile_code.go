package scannertest

import (
	"bytes"
	"fmt"
	"strings"
)

func init() { addHostile(hostileCode) }

// HostileSink marks the hostile source files that hold a real injection
// (eval, os.system, exec of request input) somewhere in the hostile
// shape: a code scanner that reports such a file as scanned must report the
// injection too, or the shape has blinded it.
const HostileSink = "/sink/"

// hostileCode covers application source: Go, Python, JavaScript,
// TypeScript and Java. Deep nesting of every bracket each language has (far
// past scanners.MaxDepth), left-nested chains (concatenation, member and
// call chains, else-if ladders) long enough to blind a walker with a depth
// cap, a 4 MB single-line minified bundle, and inputs that make a parser
// re-read or re-lex the file from every position.
func hostileCode() map[string][]byte {
	const (
		deep  = 50000  // nesting, far past scanners.MaxDepth
		links = 200000 // links of a chain
	)
	rep := strings.Repeat
	m := map[string][]byte{
		// Nesting: parentheses, brackets, braces, calls, in each language.
		"hostile/code/parens/a.js":     []byte("x = " + rep("(", deep) + "1" + rep(")", deep) + ";\n"),
		"hostile/code/brackets/a.js":   []byte("x = " + rep("[", deep) + rep("]", deep) + ";\n"),
		"hostile/code/braces/a.js":     []byte(rep("{", deep) + rep("}", deep) + "\n"),
		"hostile/code/objects/a.js":    []byte("x = " + rep("{a:", deep) + "1" + rep("}", deep) + ";\n"),
		"hostile/code/calls/a.js":      []byte("x = " + rep("f(", deep) + "1" + rep(")", deep) + ";\n"),
		"hostile/code/functions/a.js":  []byte(rep("function f(){", deep) + rep("}", deep) + "\n"),
		"hostile/code/arrows/a.js":     []byte("x = " + rep("()=>", deep) + "1;\n"),
		"hostile/code/ternary/a.js":    []byte("x = " + rep("a?b:", deep) + "c;\n"),
		"hostile/code/templates/a.js":  []byte("x = " + rep("`${", deep) + "1" + rep("}`", deep) + ";\n"),
		"hostile/code/jsx/a.jsx":       []byte("x = " + rep("<a>", deep/5) + rep("</a>", deep/5) + ";\n"),
		"hostile/code/unclosed/a.js":   []byte(rep("(", 2<<20-16)),
		"hostile/code/parens/a.py":     []byte("x = " + rep("(", deep) + "1" + rep(")", deep) + "\n"),
		"hostile/code/brackets/a.py":   []byte("x = " + rep("[", deep) + rep("]", deep) + "\n"),
		"hostile/code/dicts/a.py":      []byte("x = " + rep("{1:", deep) + "1" + rep("}", deep) + "\n"),
		"hostile/code/calls/a.py":      []byte("x = " + rep("f(", deep) + "1" + rep(")", deep) + "\n"),
		"hostile/code/lambdas/a.py":    []byte("x = " + rep("lambda: ", deep) + "1\n"),
		"hostile/code/indent/a.py":     pyIndent(2000),
		"hostile/code/tuples/a.py":     []byte(rep("(", deep) + "a" + rep(",)", deep) + " = b\n"),
		"hostile/code/assigns/a.py":    []byte(rep("a = ", deep) + "1\n"),
		"hostile/code/parens/A.java":   []byte("class A { int x = " + rep("(", deep) + "1" + rep(")", deep) + "; }\n"),
		"hostile/code/blocks/A.java":   []byte("class A { void f() " + rep("{", deep) + rep("}", deep) + " }\n"),
		"hostile/code/arrays/A.java":   []byte("class A { int[] x = " + rep("{", deep) + rep("}", deep) + "; }\n"),
		"hostile/code/classes/A.java":  []byte(rep("class A {", deep/5) + rep("}", deep/5) + "\n"),
		"hostile/code/generics/A.java": []byte("class A { " + rep("List<", deep) + "A" + rep(">", deep) + " x; }\n"),
		"hostile/code/parens/a.go":     []byte("package p\nvar x = " + rep("(", deep) + "1" + rep(")", deep) + "\n"),
		"hostile/code/blocks/a.go":     []byte("package p\nfunc f() " + rep("{", deep) + rep("}", deep) + "\n"),
		"hostile/code/funcs/a.go":      []byte("package p\nvar x = " + rep("func() {", deep/5) + rep("}", deep/5) + "\n"),
		"hostile/code/composite/a.go":  []byte("package p\nvar x = " + rep("[]any{", deep/5) + rep("}", deep/5) + "\n"),
		"hostile/code/overlimit/a.go":  []byte("package p\nvar x = " + rep("(", 150000) + "1" + rep(")", 150000) + "\n"),
		"hostile/code/generics/a.ts":   []byte("type A = " + rep("Array<", deep) + "string" + rep(">", deep) + ";\n"),
		"hostile/code/objects/a.ts":    []byte("type A = " + rep("{a:", deep) + "string" + rep("}", deep) + ";\n"),

		// Left-nested chains a walker capped in depth would stop in,
		// with the sink at the far end (the first thing evaluated).
		"hostile/code/sink/concat/a.js":  []byte("eval(req.query.code" + rep(` + ""`, links) + ");\n"),
		"hostile/code/sink/prefix/a.js":  []byte("eval(" + rep(`"" + `, links) + "req.query.code);\n"),
		"hostile/code/sink/methods/a.js": []byte("eval(req.query.code" + rep(".trim()", links) + ");\n"),
		"hostile/code/sink/markup/a.js":  []byte("function h(req, res) { res.send(\"<p>\" + req.query.name" + rep(` + "<b>x</b>" + n`, links/2) + "); }\n"),
		"hostile/code/sink/parens/a.js":  []byte("eval(" + rep("(", links) + "req.query.code" + rep(")", links) + ");\n"),
		"hostile/code/sink/ladder/a.js":  jsLadder(links / 4),
		"hostile/code/sink/concat/a.py":  []byte("import os\nfrom flask import request\nos.system(request.args[\"c\"]" + rep(` + ""`, links) + ")\n"),
		"hostile/code/sink/methods/a.py": []byte("import os\nfrom flask import request\nos.system(request.args[\"c\"]" + rep(".strip()", links) + ")\n"),
		"hostile/code/sink/ladder/a.py":  pyLadder(links / 4),
		"hostile/code/sink/concat/A.java": []byte("class A { void f(javax.servlet.http.HttpServletRequest r) throws Exception { Runtime.getRuntime().exec(r.getParameter(\"c\")" +
			rep(` + ""`, links) + "); } }\n"),
		"hostile/code/sink/ladder/A.java": javaLadder(links / 4),
		"hostile/code/sink/concat/a.go": []byte("package p\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\nfunc h(w http.ResponseWriter, r *http.Request) {\n\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")" +
			rep(` + ""`, 90000) + ").Run()\n}\n"),
		"hostile/code/sink/ladder/a.go":      goLadder(links / 4),
		"hostile/code/sink/minified/app.js":  minified(4<<20 - 1<<10),
		"hostile/code/sink/minified2/app.js": minified(2<<20 - 1<<10),

		// Wide literals and argument lists: a million elements, each a
		// value to hold; and more sink calls than a file's sites.
		"hostile/code/wide/array.js":   []byte("x = [" + rep("1,", 1000000) + "];\n"),
		"hostile/code/wide/args.js":    []byte("f(" + rep("1,", 1000000) + ");\n"),
		"hostile/code/wide/object.js":  []byte("x = {" + rep("a:1,", 450000) + "};\n"),
		"hostile/code/wide/list.py":    []byte("x = [" + rep("1,", 1000000) + "]\n"),
		"hostile/code/wide/sinks.py":   []byte("x = input()\n" + rep("eval(x)\n", 200000)),
		"hostile/code/wide/Array.java": []byte("class A { int[] x = {" + rep("1,", 1000000) + "}; }\n"),
		"hostile/code/wide/array.go":   []byte("package p\nvar x = []int{" + rep("1,", 1000000) + "}\n"),

		// Lexing from every position to the end of the file: an unclosed
		// comment, string or template at each character (under 2 MiB, the
		// bound on files parsed with tree-sitter, so that they are parsed).
		"hostile/code/relex/comments/a.js":   []byte(rep("/*", 1<<20)),
		"hostile/code/relex/templates/a.js":  []byte(rep("`${", 600<<10)),
		"hostile/code/relex/strings/a.py":    []byte(rep(`"""'`, 450<<10)),
		"hostile/code/relex/comments/A.java": []byte("class A { " + rep("/*", 900<<10)),
	}
	return m
}

// pyIndent nests n if statements by indentation, one space a level.
func pyIndent(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("if x:\n")
	}
	b.WriteString(strings.Repeat(" ", n))
	b.WriteString("pass\n")
	return b.Bytes()
}

// jsLadder is a handler with an else-if ladder of n rungs, the sink in the
// last arm.
func jsLadder(n int) []byte {
	var b bytes.Buffer
	b.WriteString("function h(req) {\n  if (a === 0) {\n  }")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, " else if (a === %d) {\n  }", i)
	}
	b.WriteString(" else {\n    eval(req.query.code);\n  }\n}\n")
	return b.Bytes()
}

func pyLadder(n int) []byte {
	var b bytes.Buffer
	b.WriteString("import os\nfrom flask import request\n\ndef h():\n    if a == 0:\n        pass\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "    elif a == %d:\n        pass\n", i)
	}
	b.WriteString("    else:\n        os.system(request.args[\"c\"])\n")
	return b.Bytes()
}

func javaLadder(n int) []byte {
	var b bytes.Buffer
	b.WriteString("class A {\n  void f(javax.servlet.http.HttpServletRequest r) throws Exception {\n    if (a == 0) {\n    }")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, " else if (a == %d) {\n    }", i)
	}
	b.WriteString(" else {\n      Runtime.getRuntime().exec(r.getParameter(\"c\"));\n    }\n  }\n}\n")
	return b.Bytes()
}

func goLadder(n int) []byte {
	var b bytes.Buffer
	b.WriteString("package p\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tif a == 0 {\n\t}")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, " else if a == %d {\n\t}", i)
	}
	b.WriteString(" else {\n\t\texec.Command(\"sh\", \"-c\", r.FormValue(\"c\")).Run()\n\t}\n}\n")
	return b.Bytes()
}

// minified is about size bytes of one line of machine-minified JavaScript
// (short names, no spaces, every construct a bundler emits), ending in a
// DOM sink of the URL fragment.
func minified(size int) []byte {
	var b bytes.Buffer
	b.WriteString("!function(e,t){\"use strict\";")
	for i := 0; b.Len() < size-200; i++ {
		fmt.Fprintf(&b, "var a%[1]d=function(n,r){var o=n+r,i=[o,%[1]d,\"s%[1]d\"];return o>%[1]d?i.map(function(e){return e*2}):{k:n,v:r,w:t.x%[1]d(n)}};"+
			"e.f%[1]d=a%[1]d(e.g,%[1]d)&&e.h?e.h[%[1]d%%7]:null;for(var c%[1]d=0;c%[1]d<3;c%[1]d++)try{e.q(c%[1]d)}catch(u){t.w=u}", i)
	}
	b.WriteString("document.body.innerHTML=location.hash}(window,{});")
	return b.Bytes()
}
