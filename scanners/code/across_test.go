package code

import (
	"context"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// acrossCase is a file where input crosses (or does not cross) functions.
type acrossCase struct {
	name, path, src string
	// family is the family of the finding wanted at line (at least
	// severity high, graded by input, its message naming via), or "" for
	// no finding graded by input in the file.
	family string
	line   int
	via    string
	// scope is a line the finding's scope must hold (the source's).
	scope int
}

// byInput reports whether a finding says its value comes from input.
func byInput(f scanners.Finding) bool {
	return strings.Contains(f.Message, "(from `") || strings.Contains(f.Message, "which the caller controls")
}

func runAcross(t *testing.T, cases []acrossCase) {
	t.Helper()
	s := newTestScanner(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, _, err := s.scan(context.Background(), c.path, []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			var high []scanners.Finding
			for _, f := range fs {
				if f.Severity >= scanners.SeverityHigh && byInput(f) {
					high = append(high, f)
				}
			}
			if c.family == "" {
				for _, f := range high {
					t.Errorf("unwanted %s at %d (%s): %s", f.RuleID, f.Location.StartLine, f.Severity, f.Message)
				}
				return
			}
			for _, f := range high {
				r := s.byID[f.RuleID]
				if r.Family != c.family || f.Location.StartLine != c.line {
					continue
				}
				if c.via != "" && !strings.Contains(f.Message, "via "+c.via) {
					t.Errorf("message lacks via %s: %s", c.via, f.Message)
				}
				if c.scope > 0 {
					ok := false
					for _, r := range f.Scope {
						ok = ok || r.Start <= c.scope && c.scope <= r.End
					}
					if !ok {
						t.Errorf("scope %v lacks line %d", f.Scope, c.scope)
					}
				}
				return
			}
			for _, f := range fs {
				t.Logf("got %s at %d (%s): %s", f.RuleID, f.Location.StartLine, f.Severity, f.Message)
			}
			t.Errorf("no %s finding at line %d", c.family, c.line)
		})
	}
}

func TestAcrossPython(t *testing.T) {
	runAcross(t, []acrossCase{
		{name: "caller to helper sink", path: "app.py", src: `from flask import request
import sqlite3

def lookup(cur, q):
    cur.execute("SELECT * FROM t WHERE name = '" + q + "'")

@app.route('/s')
def search():
    q = request.args['q']
    lookup(db.cursor(), q)
    return 'ok'
`, family: "sqli", line: 5, via: "search:10", scope: 9},
		{name: "helper defined after", path: "app.py", src: `from flask import request

@app.route('/s')
def search():
    lookup(db.cursor(), request.args.get('q'))

def lookup(cur, q):
    sql = "SELECT * FROM t WHERE name = '%s'" % q
    cur.execute(sql)
`, family: "sqli", line: 9, via: "search:5"},
		{name: "keyword argument", path: "app.py", src: `from flask import request

def lookup(cur, q=None):
    cur.execute("SELECT * FROM t WHERE name = '" + q + "'")

@app.route('/s')
def search():
    lookup(db.cursor(), q=request.args['q'])
`, family: "sqli", line: 4, via: "search:8"},
		{name: "method on self", path: "app.py", src: `from flask import request
import subprocess

class View:
    def run(self, cmd):
        subprocess.call("ls " + cmd, shell=True)

    def get(self):
        self.run(request.args['d'])
`, family: "cmdi", line: 6, via: "get:9"},
		{name: "helper returns input", path: "app.py", src: `from flask import request
import os

def param(name):
    return request.args.get(name)

def view():
    d = param('d')
    os.system("ls " + d)
`, family: "cmdi", line: 9},
		{name: "helper returns input, defined after", path: "app.py", src: `from flask import request
import os

def view():
    os.system("ls " + param('d'))

def param(name):
    v = request.args.get(name)
    return v
`, family: "cmdi", line: 5},
		{name: "chain of helpers", path: "app.py", src: `from flask import request

def a(cur, q):
    b(cur, "x" + q)

def b(cur, q):
    c(cur, q)

def c(cur, q):
    cur.execute("SELECT " + q)

@app.route('/s')
def search():
    a(db.cursor(), request.args['q'])
`, family: "sqli", line: 10, via: "search:14"},
		{name: "constant-only callers", path: "app.py", src: `from flask import request

def lookup(cur, q):
    cur.execute("SELECT * FROM t WHERE name = '" + q + "'")

@app.route('/s')
def search():
    x = request.args['q']
    lookup(db.cursor(), 'fixed')
    return x
`},
		{name: "input to another parameter", path: "app.py", src: `from flask import request

def lookup(cur, q, label):
    cur.execute("SELECT * FROM t WHERE name = '" + q + "'")
    print(label)

@app.route('/s')
def search():
    lookup(db.cursor(), 'fixed', request.args['q'])
`},
		{name: "recursion", path: "app.py", src: `from flask import request

def walk(cur, q, n):
    if n > 0:
        walk(cur, q, n - 1)
        odd(cur, q, n)
    cur.execute("SELECT " + q)

def odd(cur, q, n):
    walk(cur, q, n - 1)

@app.route('/s')
def search():
    walk(db.cursor(), request.args['q'], 3)
`, family: "sqli", line: 7, via: "search:14"},
		{name: "recursion with constants", path: "app.py", src: `def walk(cur, q, n):
    if n > 0:
        walk(cur, q, n - 1)
    cur.execute("SELECT " + q)

def main():
    walk(db.cursor(), "x", 3)
`},
	})
}

func TestAcrossJavaScript(t *testing.T) {
	runAcross(t, []acrossCase{
		{name: "caller to helper sink", path: "app.js", src: `const cp = require('child_process');

function run(cmd) {
  return cp.exec('ls ' + cmd);
}

app.get('/x', function list(req, res) {
  const c = req.query.cmd;
  run(c);
});
`, family: "cmdi", line: 4, via: "list:9", scope: 8},
		{name: "arrow helper after handler", path: "app.js", src: `const child_process = require('child_process');

app.get('/x', (req, res) => {
  go(req.query.cmd);
});

const go = (cmd) => child_process.exec(cmd);
`, family: "cmdi", line: 7, via: "line 4"},
		{name: "method on this", path: "svc.ts", src: `import { exec } from 'child_process';

class Svc {
  run(cmd: string) {
    exec(cmd);
  }
  handle(req, res) {
    this.run(req.query.cmd);
  }
}
`, family: "cmdi", line: 5, via: "handle:8"},
		{name: "helper returns input", path: "app.js", src: `const cp = require('child_process');

function cmdOf(req) {
  return req.query.cmd;
}

function h(req, res) {
  cp.exec(cmdOf(null));
}
`, family: "cmdi", line: 8},
		{name: "constant-only callers", path: "app.js", src: `const cp = require('child_process');

function run(cmd) {
  return cp.exec('ls ' + cmd);
}

app.get('/x', (req, res) => {
  run('/tmp');
  res.send(req.query.cmd);
});
`},
		{name: "mutual recursion", path: "app.js", src: `const cp = require('child_process');

function a(cmd, n) {
  if (n) b(cmd, n - 1);
}

function b(cmd, n) {
  a(cmd, n);
  cp.exec(cmd);
}

app.get('/x', (req, res) => {
  a(req.query.cmd, 3);
});
`, family: "cmdi", line: 9, via: "line 13"},
	})
}

func TestAcrossJava(t *testing.T) {
	runAcross(t, []acrossCase{
		{name: "controller to helper URL", path: "C.java", src: `import java.net.URL;
import org.springframework.web.bind.annotation.*;

@RestController
class C {
  @GetMapping("/f")
  String fetch(@RequestParam String url) throws Exception {
    return load(url);
  }

  private String load(String u) throws Exception {
    URL target = new URL(u);
    return target.openConnection().getContentType();
  }
}
`, family: "ssrf", line: 12, via: "fetch:8", scope: 7},
		{name: "this.helper with RestTemplate", path: "C.java", src: `import org.springframework.web.client.RestTemplate;
import org.springframework.web.bind.annotation.*;

@RestController
class C {
  private RestTemplate restTemplate = new RestTemplate();

  @GetMapping("/f")
  String fetch(@RequestParam("u") String u) {
    String base = "http://" + u + "/api";
    return this.get(base);
  }

  String get(String where) {
    return restTemplate.getForObject(where, String.class);
  }
}
`, family: "ssrf", line: 15, via: "fetch:11"},
		{name: "helper returns input", path: "C.java", src: `import javax.servlet.http.*;

class C {
  HttpServletRequest request;

  String param() {
    return request.getParameter("c");
  }

  void run() throws Exception {
    Runtime.getRuntime().exec(param());
  }
}
`, family: "cmdi", line: 11},
		{name: "constant-only callers", path: "C.java", src: `import java.net.URL;
import org.springframework.web.bind.annotation.*;

@RestController
class C {
  @GetMapping("/f")
  String fetch(@RequestParam String url) throws Exception {
    return load("https://example.com/" + 1);
  }

  private String load(String u) throws Exception {
    return new URL(u).openConnection().getContentType();
  }
}
`},
		{name: "overloads by arity", path: "C.java", src: `import java.net.URL;
import org.springframework.web.bind.annotation.*;

@RestController
class C {
  @GetMapping("/f")
  String fetch(@RequestParam String url) throws Exception {
    return load(url, 1);
  }

  private String load(String u) throws Exception {
    return new URL(u).openConnection().getContentType();
  }

  private String load(String u, int n) throws Exception {
    return new URL("https://example.com/").openConnection().getContentType() + u;
  }
}
`},
		{name: "field of another class of the file", path: "C.java", src: `import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

@RestController
class C {
  @Autowired
  private Fetcher fetcher;

  @GetMapping("/f")
  String fetch(@RequestParam String url) {
    return fetcher.get(url);
  }
}

class Fetcher {
  private final RestTemplate rest = new RestTemplate();

  String get(String url) {
    return rest.getForObject(url, String.class);
  }
}
`, family: "ssrf", line: 20, via: "fetch:12"},
		{name: "static method of another class", path: "C.java", src: `import java.net.URL;

class C {
  void h(javax.servlet.http.HttpServletRequest r) throws Exception {
    Urls.open(r.getParameter("u"));
  }
}

class Urls {
  static void open(String u) throws Exception {
    new URL(u).openStream();
  }
}
`, family: "ssrf", line: 11, via: "h:5"},
		{name: "recursion", path: "C.java", src: `import java.net.URL;
import org.springframework.web.bind.annotation.*;

@RestController
class C {
  @GetMapping("/f")
  String fetch(@RequestParam String url) throws Exception {
    return load(url, 3);
  }

  private String load(String u, int n) throws Exception {
    if (n > 0) {
      return load(u, n - 1);
    }
    return new URL(u).openConnection().getContentType();
  }
}
`, family: "ssrf", line: 15, via: "fetch:8"},
	})
}

func TestAcrossGo(t *testing.T) {
	runAcross(t, []acrossCase{
		{name: "handler to helper fetch", path: "h.go", src: `package p

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("u")
	fetch(u)
}

func fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
`, family: "ssrf", line: 11, via: "proxy:7", scope: 6},
		{name: "method on receiver", path: "h.go", src: `package p

import (
	"database/sql"
	"net/http"
)

type S struct{ db *sql.DB }

func (s *S) find(name string) {
	s.db.Query("SELECT * FROM t WHERE n = '" + name + "'")
}

func (s *S) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.find(r.FormValue("n"))
}
`, family: "sqli", line: 11, via: "ServeHTTP:15"},
		{name: "helper returns input", path: "h.go", src: `package p

import (
	"net/http"
	"os"
	"os/exec"
)

func target() string {
	return os.Getenv("X") + os.Args[1]
}

func run() {
	exec.Command("sh", "-c", target()).Run()
}
`, family: "cmdi", line: 14},
		{name: "constant-only callers", path: "h.go", src: `package p

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	_ = r.URL.Query().Get("u")
	fetch("https://example.com/")
}

func fetch(u string) {
	http.Get(u)
}
`},
		{name: "recursion", path: "h.go", src: `package p

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	fetch(r.URL.Query().Get("u"), 3)
}

func fetch(u string, n int) {
	if n > 0 {
		fetch(u, n-1)
		return
	}
	http.Get(u)
}
`, family: "ssrf", line: 14, via: "proxy:6"},
	})
}

// TestAcrossFiles: input a handler hands to a function of another file of
// its package (read through the change's tree) is reported at the call.
func TestAcrossFiles(t *testing.T) {
	s := newTestScanner(t)
	javaHelper := `package app;

import org.springframework.web.client.RestTemplate;

class Fetcher {
  private final RestTemplate rest = new RestTemplate();

  String get(String url) {
    return rest.getForObject(url, String.class);
  }
}
`
	goHelper := `package p

import "net/http"

func fetch(u string) (*http.Response, error) {
	return http.Get(u)
}
`
	tests := []struct {
		name, path, src string
		files           map[string]string
		line            int // 0: no finding from input
		via             string
	}{
		{name: "java field of a class of another file", path: "app/C.java", src: `package app;

import org.springframework.web.bind.annotation.*;

@RestController
class C {
  private Fetcher fetcher;

  @GetMapping("/f")
  String fetch(@RequestParam String url) {
    return fetcher.get(url);
  }
}
`, files: map[string]string{"app/Fetcher.java": javaHelper}, line: 11, via: "reaching app/Fetcher.java:9"},
		{name: "java constant argument", path: "app/C.java", src: `package app;

class C {
  private Fetcher fetcher;

  String fetch(String url) {
    return fetcher.get("https://example.com/");
  }
}
`, files: map[string]string{"app/Fetcher.java": javaHelper}},
		{name: "java class of another directory", path: "web/C.java", src: `package web;

import org.springframework.web.bind.annotation.*;

@RestController
class C {
  private Fetcher fetcher;

  @GetMapping("/f")
  String fetch(@RequestParam String url) {
    return fetcher.get(url);
  }
}
`, files: map[string]string{"app/Fetcher.java": javaHelper}},
		{name: "go function of another file", path: "p/h.go", src: `package p

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	fetch(r.URL.Query().Get("u"))
}
`, files: map[string]string{"p/fetch.go": goHelper}, line: 6, via: "reaching p/fetch.go:6"},
		{name: "go constant argument", path: "p/h.go", src: `package p

import "net/http"

func proxy(w http.ResponseWriter, r *http.Request) {
	fetch("https://example.com/")
}
`, files: map[string]string{"p/fetch.go": goHelper}},
	}
	pyHelper := `import sqlite3

def lookup(cur, q):
    cur.execute("SELECT * FROM t WHERE name = '" + q + "'")
`
	jsHelper := `const cp = require('child_process');

function run(cmd) {
  return cp.exec('ls ' + cmd);
}

exports.list = function (dir) {
  return cp.execSync('ls ' + dir);
};

module.exports.run = run;
`
	tests = append(tests, []struct {
		name, path, src string
		files           map[string]string
		line            int
		via             string
	}{
		{name: "python relative import", path: "app/views.py", src: `from flask import request
from .db import lookup

@app.route('/s')
def search():
    lookup(db.cursor(), request.args['q'])
`, files: map[string]string{"app/db.py": pyHelper}, line: 6, via: "reaching app/db.py:4"},
		{name: "python module of the same directory", path: "app/views.py", src: `from flask import request
import db

@app.route('/s')
def search():
    q = request.args['q']
    db.lookup(conn.cursor(), q)
`, files: map[string]string{"app/db.py": pyHelper}, line: 7, via: "reaching app/db.py:4"},
		{name: "python constant argument", path: "app/views.py", src: `from flask import request
from .db import lookup

@app.route('/s')
def search():
    lookup(db.cursor(), 'x')
`, files: map[string]string{"app/db.py": pyHelper}},
		{name: "javascript require destructured", path: "src/routes.js", src: `const { run } = require('./helpers');

app.get('/x', (req, res) => {
  run(req.query.cmd);
});
`, files: map[string]string{"src/helpers.js": jsHelper}, line: 4, via: "reaching src/helpers.js:4"},
		{name: "javascript exports.name function", path: "src/routes.js", src: `const helpers = require('./helpers');

app.get('/x', (req, res) => {
  helpers.list(req.query.dir);
});
`, files: map[string]string{"src/helpers.js": jsHelper}, line: 4, via: "reaching src/helpers.js:8"},
		{name: "typescript import", path: "src/routes.ts", src: `import { run } from './helpers';

export function handle(req, res) {
  run(req.query.cmd);
}
`, files: map[string]string{"src/helpers.js": jsHelper}, line: 4, via: "reaching src/helpers.js:4"},
		{name: "javascript constant argument", path: "src/routes.js", src: `const { run } = require('./helpers');

app.get('/x', (req, res) => {
  run('/tmp');
  res.send(req.query.cmd);
});
`, files: map[string]string{"src/helpers.js": jsHelper}},
	}...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{tc.path: []byte(tc.src)}
			for p, c := range tc.files {
				files[p] = []byte(c)
			}
			var added []scanners.Line
			for i, l := range strings.SplitAfter(tc.src, "\n") {
				added = append(added, scanners.Line{Number: i + 1, Text: strings.TrimSuffix(l, "\n")})
			}
			fs, err := s.Scan(context.Background(), &scanners.Input{Path: tc.path, Content: []byte(tc.src), New: true,
				Added: added, Tree: scanners.NewMemTree(files)})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range fs {
				if !strings.Contains(f.Message, "reaching ") {
					continue
				}
				if tc.line == 0 || f.Location.StartLine != tc.line || f.Location.Path != tc.path {
					t.Errorf("unwanted %s at %s:%d: %s", f.RuleID, f.Location.Path, f.Location.StartLine, f.Message)
					continue
				}
				if !strings.Contains(f.Message, tc.via) || f.Severity < scanners.SeverityHigh {
					t.Errorf("%s (%s): want via %q", f.Message, f.Severity, tc.via)
				}
				found = true
			}
			if tc.line > 0 && !found {
				for _, f := range fs {
					t.Logf("got %s at %d: %s", f.RuleID, f.Location.StartLine, f.Message)
				}
				t.Errorf("no finding at line %d", tc.line)
			}
		})
	}
}

// TestAcrossFilesConcurrent: files of one change scanned at once share the
// package's index (run it with -race).
func TestAcrossFilesConcurrent(t *testing.T) {
	s := newTestScanner(t)
	files := map[string][]byte{"p/fetch.go": []byte("package p\n\nimport \"net/http\"\n\nfunc fetch(u string) { http.Get(u) }\n")}
	var paths []string
	for i := range 8 {
		p := "p/h" + string(rune('a'+i)) + ".go"
		files[p] = []byte("package p\n\nimport \"net/http\"\n\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tfetch(r.FormValue(\"u\"))\n}\n")
		paths = append(paths, p)
	}
	tree := scanners.NewMemTree(files)
	done := make(chan int)
	for _, p := range paths {
		go func() {
			src := files[p]
			fs, _ := s.Scan(context.Background(), &scanners.Input{Path: p, Content: src, New: true,
				Added: []scanners.Line{{Number: 6, Text: "\tfetch(r.FormValue(\"u\"))"}}, Tree: tree})
			n := 0
			for _, f := range fs {
				if strings.Contains(f.Message, "reaching p/fetch.go:5") {
					n++
				}
			}
			done <- n
		}()
	}
	for range paths {
		if n := <-done; n != 1 {
			t.Errorf("%d findings across files; want 1", n)
		}
	}
}
