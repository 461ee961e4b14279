package code

import (
	"context"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestFixesThatWereWrong are the fixes found wrong on real code (issue
// 13), each with the case beside it that stays fixed. A wrong fix is not
// offered; the message then says what to do.
func TestFixesThatWereWrong(t *testing.T) {
	cases := []struct {
		name, path, src string
		line            int
		rule            string
		// want is the fixed line, "" for no fix; note is in the message
		// when no fix is offered. also is the line a fix of two edits
		// inserts (an import), fixed the file with the whole fix applied.
		want, note  string
		also, fixed string
	}{
		// from hashlib import md5; md5(x) → sha256(x): NameError, since
		// only md5 was imported. The fix adds the import too, as a second
		// edit: no one-click suggestion, but described and in Apply fixes.
		{name: "from-import md5", path: "h.py", line: 3, rule: "code/py-weak-hash",
			src:  "from hashlib import md5\ndef h(data):\n    return md5(data).hexdigest()\n",
			want: "    return sha256(data).hexdigest()", also: "from hashlib import sha256",
			fixed: "from hashlib import md5\nfrom hashlib import sha256\ndef h(data):\n    return sha256(data).hexdigest()\n"},
		{name: "from-import md5 in a function", path: "h.py", line: 4, rule: "code/py-weak-hash",
			src:  "def h(data):\n    from hashlib import (\n        md5)\n    return md5(data).hexdigest()\n",
			want: "    return sha256(data).hexdigest()", also: "    from hashlib import sha256",
			fixed: "def h(data):\n    from hashlib import (\n        md5)\n    from hashlib import sha256\n    return sha256(data).hexdigest()\n"},
		// An import that shares its line with other code: a line inserted
		// after it would not sit beside it. Described, not offered.
		{name: "from-import md5 sharing its line", path: "h.py", line: 3, rule: "code/py-weak-hash",
			src:  "from hashlib import md5; import os\ndef h(data):\n    return md5(data).hexdigest()\n",
			note: "`sha256` is not defined or imported"},
		{name: "from-import md5 and sha256", path: "h.py", line: 3, rule: "code/py-weak-hash",
			src:  "from hashlib import md5, sha256\ndef h(data):\n    return md5(data).hexdigest()\n",
			want: "    return sha256(data).hexdigest()"},
		{name: "module md5", path: "h.py", line: 3, rule: "code/py-weak-hash",
			src:  "import hashlib\ndef h(data):\n    return hashlib.md5(data).hexdigest()\n",
			want: "    return hashlib.sha256(data).hexdigest()"},
		{name: "aliased md5", path: "h.py", line: 3, rule: "code/py-weak-hash",
			src:  "from hashlib import md5 as digest\ndef h(data):\n    return digest(data).hexdigest()\n",
			want: "    return sha256(data).hexdigest()", also: "from hashlib import sha256",
			fixed: "from hashlib import md5 as digest\nfrom hashlib import sha256\ndef h(data):\n    return sha256(data).hexdigest()\n"},
		// A placeholder binds a value, never a name: a table, database or
		// column name concatenated into a query is no query parameter.
		{name: "py table name", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import sqlite3\ndef q(cur, table):\n    cur.execute(\"SELECT * FROM \" + table)\n",
			note: "placeholders bind values only"},
		{name: "py column name", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import sqlite3\ndef q(cur, col):\n    cur.execute(\"SELECT \" + col + \" FROM users\")\n",
			note: "placeholders bind values only"},
		{name: "py database name", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import pymysql\ndef q(cur, db):\n    cur.execute(\"USE \" + db)\n",
			note: "placeholders bind values only"},
		{name: "py order by", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import sqlite3\ndef q(cur, col):\n    cur.execute(\"SELECT * FROM t ORDER BY \" + col)\n",
			note: "placeholders bind values only"},
		{name: "py value", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import sqlite3\ndef q(cur, name):\n    cur.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n",
			want: "    cur.execute(\"SELECT * FROM users WHERE name = ?\", (name,))"},
		{name: "py values list", path: "q.py", line: 3, rule: "code/py-sqli",
			src:  "import psycopg2\ndef q(cur, a, b):\n    cur.execute(\"INSERT INTO t (a, b) VALUES (\" + a + \", \" + b + \")\")\n",
			want: "    cur.execute(\"INSERT INTO t (a, b) VALUES (%s, %s)\", (a, b))"},
		{name: "go database name", path: "q.go", line: 5, rule: "code/go-sqli",
			src:  "package p\nimport \"database/sql\"\nimport _ \"github.com/lib/pq\"\nfunc q(db *sql.DB, name string) {\n\tdb.Exec(\"CREATE DATABASE \" + name)\n}\n",
			note: "placeholders bind values only"},
		{name: "go table and value", path: "q.go", line: 5, rule: "code/go-sqli",
			src:  "package p\nimport \"database/sql\"\nimport _ \"github.com/lib/pq\"\nfunc q(db *sql.DB, table, id string) {\n\tdb.Query(\"SELECT * FROM \" + table + \" WHERE id = \" + id)\n}\n",
			note: "placeholders bind values only"},
		{name: "go value", path: "q.go", line: 5, rule: "code/go-sqli",
			src:  "package p\nimport \"database/sql\"\nimport _ \"github.com/lib/pq\"\nfunc q(db *sql.DB, id string) {\n\tdb.Query(\"SELECT * FROM users WHERE id = \" + id + \" LIMIT 1\")\n}\n",
			want: "\tdb.Query(\"SELECT * FROM users WHERE id = $1 LIMIT 1\", id)"},
		// A fix inside a string: el["innerHTML"] became el[textContent],
		// an undefined name.
		{name: "js innerHTML by string key", path: "e.js", line: 2, rule: "code/js-innerhtml",
			src: "function f(el, x) {\n  el[\"innerHTML\"] = x;\n}\n"},
		{name: "js innerHTML", path: "e.js", line: 2, rule: "code/js-innerhtml",
			src:  "function f(el, x) {\n  el.innerHTML = x; // el.innerHTML = x\n}\n",
			want: "  el.textContent = x; // el.innerHTML = x"},
		{name: "js innerHTML by string key, name defined", path: "e.js", line: 3, rule: "code/js-innerhtml",
			src: "const textContent = 'x';\nfunction f(el, x) {\n  el[\"innerHTML\"] = x;\n}\n"},
		{name: "js weak hash in a string", path: "c.js", line: 2, rule: "code/js-weak-hash",
			src:  "const crypto = require('crypto');\nconst h = crypto.createHash('md5');\n",
			want: "const h = crypto.createHash('sha256');"},
		// Names the fix brings in must exist: crypto is a global, a local
		// shadow of Math.random's replacement is not needed.
		{name: "js Math.random", path: "r.js", line: 2, rule: "code/js-weak-random",
			src:  "function f() {\n  const token = Math.random();\n  return token;\n}\n",
			want: "  const token = (crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32);"},
		{name: "java SecureRandom", path: "R.java", line: 3, rule: "code/java-weak-random",
			src:  "import java.util.Random;\nclass R {\n  Random token = new Random();\n}\n",
			want: "  Random token = new java.security.SecureRandom();"},
	}
	s := newTestScanner(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits, errLines, err := s.scan(context.Background(), c.path, []byte(c.src))
			if err != nil || len(errLines) > 0 {
				t.Fatalf("scan: %v, syntax errors at %v", err, errLines)
			}
			var f *scanners.Finding
			for i := range hits {
				if hits[i].RuleID == c.rule && hits[i].Location.StartLine == c.line {
					f = &hits[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding on line %d: %+v", c.rule, c.line, hits)
			}
			switch {
			case c.want == "" && f.Fix != nil:
				t.Errorf("fix offered: %q", f.Fix.Replacement)
			case c.want != "" && f.Fix == nil:
				t.Errorf("no fix offered; message %q", f.Message)
			case c.want != "" && f.Fix.Replacement != c.want:
				t.Errorf("fix\n got %q\nwant %q", f.Fix.Replacement, c.want)
			}
			if f.Fix != nil {
				var also string
				for _, e := range f.Fix.Also {
					also += e.Replacement
				}
				if also != c.also || f.Fix.Inline() != (c.also == "") {
					t.Errorf("fix also inserts %q (inline %v), want %q", also, f.Fix.Inline(), c.also)
				}
				if c.fixed != "" {
					got, err := scanners.ApplyFixes([]byte(c.src), []scanners.Fix{*f.Fix})
					if err != nil || string(got) != c.fixed {
						t.Errorf("fixed file\n got %q, %v\nwant %q", got, err, c.fixed)
					}
					again, _, _ := s.scan(context.Background(), c.path, got)
					for _, h := range again {
						if h.RuleID == c.rule {
							t.Errorf("the fixed file still has %s on line %d", c.rule, h.Location.StartLine)
						}
					}
				}
			}
			if c.note != "" && !strings.Contains(f.Message, c.note) {
				t.Errorf("message %q does not say %q", f.Message, c.note)
			}
		})
	}
}

// TestCheckFix: a fix that breaks the syntax, leaves the finding, or uses
// a name the file does not define is refused; the fixer's own fix passes.
func TestCheckFix(t *testing.T) {
	s := newTestScanner(t)
	src := []byte("import hashlib\ndef h(data):\n    return hashlib.md5(data).hexdigest()\n")
	for _, c := range []struct {
		repl, need string
		ok         bool
	}{
		{repl: "    return hashlib.sha256(data).hexdigest()", ok: true},
		{repl: "    return hashlib.sha256(data.hexdigest()"},                        // syntax
		{repl: "    return hashlib.md5(data).hexdigest() or None"},                  // still there
		{repl: "    return sha256(data).hexdigest()", need: "sha256"},               // undefined
		{repl: "    return hashlib.sha256(data).hexdigest(secret)", need: "secret"}, // undefined
	} {
		fx := &scanners.Fix{StartLine: 3, EndLine: 3, Replacement: c.repl}
		ok, need := s.checkFix(context.Background(), "python", "h.py", src, 0, fx, s.byID["code/py-weak-hash"])
		if ok != c.ok || need != c.need {
			t.Errorf("%q: ok %v need %q, want %v %q", c.repl, ok, need, c.ok, c.need)
		}
	}
}

// TestEditInCode: an edit inside a comment or (for a fixer that does not
// edit strings) a string is refused.
func TestEditInCode(t *testing.T) {
	for _, c := range []struct {
		lang, before, after string
		mode                int
		want                bool
	}{
		{"python", "x = md5(a)  # md5(a)", "x = sha256(a)  # md5(a)", codeOnly, true},
		{"python", "x = f(a)  # md5(a)", "x = f(a)  # sha256(a)", codeOnly, false},
		{"javascript", "el[\"innerHTML\"] = x", "el[\"textContent\"] = x", codeOnly, false},
		{"javascript", "el[\"innerHTML\"] = x", "el[textContent] = x", codeOnly, false},
		{"javascript", "h('md5')", "h('sha256')", mustString, true},
		{"javascript", "h('md5') /* md5 */", "h('md5') /* sha256 */", mustString, false},
		{"go", "a := f() // x /* y", "a := g() // x /* y", codeOnly, true},
		{"go", "s := `md5`", "s := `sha1`", codeOnly, false},
		{"go", "q(\"a = \" + x)", "q(\"a = ?\", x)", mayString, true},
		{"go", "q(\"a\") // \" + x", "q(\"a\") // ?\", x", mayString, false},
	} {
		if got := editInCode(c.lang, c.before, c.after, c.mode); got != c.want {
			t.Errorf("%s %q → %q: %v, want %v", c.lang, c.before, c.after, got, c.want)
		}
	}
}

// TestNames: the names a replacement uses, and those a file defines, per
// language.
func TestNames(t *testing.T) {
	for _, c := range []struct {
		lang, code, want string
	}{
		{"python", `hashlib.sha256(data, usedforsecurity=x) # md5(y)`, "data hashlib x"},
		{"python", `sha256("md5(y)")`, "sha256"},
		{"javascript", `el.textContent = {a: b, c}; /* d */ e[f] // g`, "b c e el f"},
		{"go", "db.Query(\"x\", id, `y`)", "db id"},
		{"java", "new java.security.SecureRandom()", "java"},
	} {
		got := strings.Join(sortedNames(keys(rootNames(c.lang, c.code))), " ")
		if got != c.want {
			t.Errorf("%s %q: roots %q, want %q", c.lang, c.code, got, c.want)
		}
	}
	for _, c := range []struct {
		lang, src, want string
		all             bool
	}{
		{"python", "import os.path, json as j\nfrom hashlib import (md5,\n  sha1 as s1)\ndef f(): pass\nclass C: pass\nX = 1\n", "C X f j md5 os s1", false},
		{"python", "from hashlib import *\n", "", true},
		{"go", "package p\nimport (\n\t\"crypto/sha256\"\n\tm \"math/rand/v2\"\n\t\"github.com/mattn/go-sqlite3\"\n)\nfunc F() {}\nfunc (T) M() {}\ntype T int\nvar V, W = 1, 2\nconst K = 3\n", "F K T V W m sha256 sqlite3", false},
		{"javascript", "import a, {b as c, d} from 'm';\nimport * as ns from 'n';\nconst {e, f: g} = require('x');\nfunction h() { const local = 1 }\nclass K {}\nexport const L = 1;\n", "K L a c d e g h ns", false},
		{"java", "import java.util.Random;\nimport java.io.*;\nclass R {}\n", "R Random", true},
	} {
		names, all := definedNames(context.Background(), c.lang, []byte(c.src))
		got := strings.Join(sortedNames(keys(names)), " ")
		if got != c.want || all != c.all {
			t.Errorf("%s: defined %q (all %v), want %q (%v)", c.lang, got, all, c.want, c.all)
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestFixChecksBounded: each checked fix parses the file again, so a file
// checks at most maxFixChecks of them; the findings past it keep no fix.
func TestFixChecksBounded(t *testing.T) {
	s := newTestScanner(t)
	var b strings.Builder
	b.WriteString("import hashlib\n")
	for i := 0; i < maxFixChecks+8; i++ {
		b.WriteString("hashlib.md5(b'x')\n")
	}
	hits, _, err := s.scan(context.Background(), "m.py", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	fixed := 0
	for _, h := range hits {
		if h.Fix != nil {
			fixed++
		}
	}
	if len(hits) != maxFixChecks+8 || fixed != maxFixChecks {
		t.Errorf("%d findings, %d with a fix; want %d and %d", len(hits), fixed, maxFixChecks+8, maxFixChecks)
	}
}
