package code_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
)

func lines(src string) []scanners.Line {
	var out []scanners.Line
	for i, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		out = append(out, scanners.Line{Number: i + 1, Text: l})
	}
	return out
}

func pick(all []scanners.Line, numbers ...int) []scanners.Line {
	var out []scanners.Line
	for _, n := range numbers {
		out = append(out, all[n-1])
	}
	return out
}

func newScanner(t testing.TB, opts ...code.Option) *code.Scanner {
	t.Helper()
	s, err := code.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const pySrc = `import hashlib as h
from flask import request
import os


def handler():
    name = request.args.get("name")
    cmd = "ls " + name
    os.system(cmd)
    return h.md5(name.encode()).hexdigest()
`

// TestScopeOfFindings runs the scanner as a review does (scanners.Run,
// which scopes): what the added lines introduce is reported as such, and
// every other finding of the file comes back pre-existing, without a fix.
func TestScopeOfFindings(t *testing.T) {
	s := newScanner(t)
	all := lines(pySrc)
	tests := []struct {
		name       string
		added      []int
		introduced []string // rule ids
		pre        []string
	}{
		{"whole file", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []string{"code/py-shell-injection", "code/py-weak-hash"}, nil},
		{"only the hash line", []int{10}, []string{"code/py-weak-hash"}, []string{"code/py-shell-injection"}},
		// Adding the source or the string building makes the existing sink
		// exploitable: the finding is introduced (at the sink).
		{"only the source line", []int{7}, []string{"code/py-shell-injection"}, []string{"code/py-weak-hash"}},
		{"only the building line", []int{8}, []string{"code/py-shell-injection"}, []string{"code/py-weak-hash"}},
		{"an unrelated line", []int{5}, nil, []string{"code/py-shell-injection", "code/py-weak-hash"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &scanners.Input{Path: "app/views.py", Added: pick(all, tc.added...), Content: []byte(pySrc)}
			res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, []*scanners.Input{in})
			if err != nil {
				t.Fatal(err)
			}
			var introduced, pre []string
			for _, f := range res.Findings {
				if !f.Preexisting {
					introduced = append(introduced, f.RuleID)
					continue
				}
				pre = append(pre, f.RuleID)
				if f.Fix != nil {
					t.Errorf("pre-existing %s carries a fix", f.RuleID)
				}
			}
			if diff := cmp.Diff(tc.introduced, introduced); diff != "" {
				t.Errorf("introduced rule ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.pre, pre); diff != "" {
				t.Errorf("pre-existing rule ids (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPreexistingFixNotChecked checks that the scanner spends no fix check
// on a finding the change does not introduce, and still checks the
// introduced one's.
func TestPreexistingFixNotChecked(t *testing.T) {
	s := newScanner(t)
	all := lines(pySrc)
	for _, c := range []struct {
		added   []int
		wantFix bool
	}{{[]int{10}, true}, {[]int{5}, false}} {
		fs, err := s.Scan(context.Background(), &scanners.Input{Path: "app/views.py", Added: pick(all, c.added...), Content: []byte(pySrc)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleID == "code/py-weak-hash" && (f.Fix != nil) != c.wantFix {
				t.Errorf("added %v: weak hash fix %v, want a fix %v", c.added, f.Fix, c.wantFix)
			}
		}
	}
}

func TestScanFindingShape(t *testing.T) {
	s := newScanner(t)
	all := lines(pySrc)
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: "app/views.py", Added: all, Content: []byte(pySrc)})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(fs), fs)
	}
	shell := fs[0]
	if shell.RuleID != "code/py-shell-injection" || shell.Location.StartLine != 9 || shell.Scanner != "code" {
		t.Errorf("unexpected finding %+v", shell)
	}
	// Tainted input raises the grade and the message names the source.
	if shell.Severity != scanners.SeverityCritical {
		t.Errorf("severity %v, want critical (high raised by request input)", shell.Severity)
	}
	for _, want := range []string{"os.system(cmd)", "request.args.get", "shell"} {
		if !strings.Contains(shell.Message, want) {
			t.Errorf("message %q lacks %q", shell.Message, want)
		}
	}
	if !cmp.Equal(shell.References[:1], []string{"CWE-78"}) {
		t.Errorf("references %v, want CWE-78 first", shell.References)
	}
	hash := fs[1]
	if hash.Fix == nil || hash.Fix.StartLine != 10 || !strings.Contains(hash.Fix.Replacement, "h.sha256(name.encode())") {
		t.Errorf("hash fix %+v", hash.Fix)
	}
	if shell.Fingerprint() == hash.Fingerprint() {
		t.Error("two findings share a fingerprint")
	}
}

func TestFingerprintIgnoresLineMoves(t *testing.T) {
	s := newScanner(t)
	moved := "\n\n\n" + pySrc
	a, err := s.Scan(context.Background(), &scanners.Input{Path: "v.py", Added: lines(pySrc), Content: []byte(pySrc)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Scan(context.Background(), &scanners.Input{Path: "v.py", Added: lines(moved), Content: []byte(moved)})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d findings", len(a), len(b))
	}
	for i := range a {
		if a[i].Fingerprint() != b[i].Fingerprint() {
			t.Errorf("%s: fingerprint changed when the code moved down", a[i].RuleID)
		}
	}
}

func TestScanWithoutContent(t *testing.T) {
	s := newScanner(t)
	all := lines(pySrc)
	// A new file: the added lines are the file.
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: "new.py", Added: all, New: true})
	if err != nil || len(fs) != 2 {
		t.Fatalf("new file without content: %d findings, err %v", len(fs), err)
	}
	// A modified file without content cannot be analysed: an error, not a
	// silent pass.
	_, err = s.Scan(context.Background(), &scanners.Input{Path: "old.py", Added: pick(all, 9, 10)})
	if !errors.Is(err, code.ErrNoContent) {
		t.Fatalf("got %v, want ErrNoContent", err)
	}
}

func TestScanSyntaxErrorOnAddedLine(t *testing.T) {
	s := newScanner(t)
	src := "import os\ndef f(x:\n    os.system(x)\n"
	_, err := s.Scan(context.Background(), &scanners.Input{Path: "broken.py", Added: lines(src), Content: []byte(src)})
	if !errors.Is(err, code.ErrSyntax) {
		t.Fatalf("got %v, want ErrSyntax", err)
	}
	goSrc := "package p\nfunc f( {\n"
	_, err = s.Scan(context.Background(), &scanners.Input{Path: "broken.go", Added: lines(goSrc), Content: []byte(goSrc)})
	if !errors.Is(err, code.ErrSyntax) {
		t.Fatalf("go: got %v, want ErrSyntax", err)
	}
}

func TestWants(t *testing.T) {
	s := newScanner(t)
	for p, want := range map[string]bool{
		"a.go": true, "a.py": true, "a.js": true, "a.jsx": true, "a.mjs": true, "a.ts": true, "a.tsx": true,
		"A.java": true, "a.rb": false, "README.md": false, "go.mod": false,
	} {
		if got := s.Wants(p); got != want {
			t.Errorf("Wants(%q) = %v, want %v", p, got, want)
		}
		if got := s.NeedsContent(p); got != want {
			t.Errorf("NeedsContent(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestCustomRule(t *testing.T) {
	// A maintainer's own rule, as it could come from .shiftward.yml.
	r := code.Rule{
		ID: "acme-legacy-crypto", Family: "weak-crypto", Languages: []string{"python"}, Severity: scanners.SeverityHigh,
		Title: "Legacy crypto helper", Why: "{call} uses the retired acme cipher.", References: []string{"CWE-327"},
		Match: code.Match{Names: []string{"acme.crypto.legacy_encrypt"}, Arg: -1, When: "any"},
	}
	s := newScanner(t, code.WithoutBuiltins(), code.WithRules(r))
	src := "from acme.crypto import legacy_encrypt as enc\n# enc(b'x') in a comment\nenc(b'secret data')\n"
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: "x.py", Added: lines(src), Content: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "code/acme-legacy-crypto" || fs[0].Location.StartLine != 3 {
		t.Fatalf("got %+v", fs)
	}
}

func TestBadRulesAreErrors(t *testing.T) {
	base := code.Rule{ID: "x", Family: "f", Languages: []string{"go"}, Severity: scanners.SeverityLow,
		Match: code.Match{Names: []string{"a.b"}, Arg: -1, When: "any"}}
	for name, mutate := range map[string]func(*code.Rule){
		"no id":         func(r *code.Rule) { r.ID = "" },
		"bad language":  func(r *code.Rule) { r.Languages = []string{"cobol"} },
		"no names":      func(r *code.Rule) { r.Match.Names = nil },
		"bad when":      func(r *code.Rule) { r.Match.When = "sometimes" },
		"bad pattern":   func(r *code.Rule) { r.Match.When = "matches"; r.Match.Pattern = "(" },
		"unknown fix":   func(r *code.Rule) { r.Fix = "magic" },
		"no severity":   func(r *code.Rule) { r.Severity = scanners.SeverityUnknown },
		"bad kind":      func(r *code.Rule) { r.Match.Kind = "macro" },
		"duplicate ids": nil,
	} {
		t.Run(name, func(t *testing.T) {
			r := base
			rules := []code.Rule{r}
			if mutate != nil {
				mutate(&rules[0])
			} else {
				rules = append(rules, r)
			}
			if _, err := code.New(code.WithoutBuiltins(), code.WithRules(rules...)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestBuiltinRulesAreWellFormed(t *testing.T) {
	s := newScanner(t)
	seen := map[string]bool{}
	for _, r := range s.Definitions() {
		if r.Title == "" || r.Why == "" || len(r.References) == 0 || !strings.HasPrefix(r.References[0], "CWE-") {
			t.Errorf("%s: needs a title, an explanation and a CWE reference first", r.ID)
		}
		seen[r.Family] = true
	}
	for _, fam := range []string{"sqli", "cmdi", "path-traversal", "ssrf", "xss", "deserialization", "weak-crypto", "tls",
		"weak-random", "hardcoded-credential", "code-injection", "cors", "jwt"} {
		if !seen[fam] {
			t.Errorf("no rule for family %s", fam)
		}
	}
}

func TestCredentialNeverInOutput(t *testing.T) {
	s := newScanner(t)
	secret := "Zq8vR3kLm2Xw9TbN4pYs"
	src := "import jwt\ntoken = jwt.encode({'a': 1}, '" + secret + "', algorithm='HS256')\n"
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: "t.py", Added: lines(src), Content: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("hard-coded JWT key not reported")
	}
	for _, f := range fs {
		for _, field := range []string{f.Message, f.Evidence, f.Title, f.Identity} {
			if strings.Contains(field, secret) || strings.Contains(field, secret[4:16]) {
				t.Errorf("%s: the credential appears in the finding: %q", f.RuleID, field)
			}
		}
		if f.Fix != nil && strings.Contains(f.Fix.Replacement, secret) {
			t.Errorf("%s: fix keeps the credential", f.RuleID)
		}
	}
}

func TestExplain(t *testing.T) {
	s := newScanner(t)
	d, ok := s.Explain("code/py-yaml-load")
	if !ok || d.ID != "code/py-yaml-load" || d.Title == "" || d.Fix == "" || !strings.Contains(d.Description, "safe_load") {
		t.Fatalf("Explain: %+v, %v", d, ok)
	}
	if strings.Contains(d.Description, "{call}") {
		t.Errorf("placeholder left in %q", d.Description)
	}
	if _, ok := s.Explain("code/no-such-rule"); ok {
		t.Error("an unknown rule was explained")
	}
	if _, ok := s.Explain("secrets/py-yaml-load"); ok {
		t.Error("another scanner's rule id was explained")
	}
}

func TestLineSecretsMaskedInEvidence(t *testing.T) {
	s := newScanner(t)
	key := "AKIAQ7ZL2M4N6P8R0T2V"
	src := "import requests\nrequests.get('https://api.example.com', verify=False, headers={'X-Key': '" + key + "'})\n"
	fs, err := s.Scan(context.Background(), &scanners.Input{Path: "c.py", Added: lines(src), Content: []byte(src)})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%d findings, err %v", len(fs), err)
	}
	if strings.Contains(fs[0].Evidence, key) || strings.Contains(fs[0].Message, key) {
		t.Errorf("key in evidence %q or message %q", fs[0].Evidence, fs[0].Message)
	}
	if !strings.Contains(fs[0].Evidence, "verify=False") {
		t.Errorf("evidence %q lost the code at fault", fs[0].Evidence)
	}
}

// TestLocalInputIsNotRaised: a command built from the process's own
// arguments keeps its rule's grade; the same command built from a request
// is raised.
func TestLocalInputIsNotRaised(t *testing.T) {
	s := newScanner(t)
	for _, c := range []struct {
		src  string
		want scanners.Severity
	}{
		{"const { execSync } = require('child_process');\nexecSync(`git tag v${process.argv[2]}`);\n", scanners.SeverityHigh},
		{"const { execSync } = require('child_process');\napp.get('/', (req, res) => {\n  execSync(`git tag v${req.query.v}`);\n});\n", scanners.SeverityCritical},
	} {
		fs, err := scanAll(t, s, "release.js", c.src)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		found := false
		for _, f := range fs {
			got = append(got, f.RuleID+" "+f.Severity.String())
			if f.RuleID == "code/js-shell-injection" && f.Severity == c.want {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: want code/js-shell-injection at %s, got %v", c.src, c.want, got)
		}
	}
}

// TestCredentialInTestIsLow: a password written in a test is a fixture's:
// reported low, where the same line elsewhere is high.
func TestCredentialInTestIsLow(t *testing.T) {
	s := newScanner(t)
	src := "class A {\n  void a(javax.sql.DataSource ds) {\n    ds.setPassword(\"s3cr3t-pw\");\n  }\n}\n"
	for path, want := range map[string]scanners.Severity{
		"src/main/java/A.java":     scanners.SeverityHigh,
		"src/test/java/ATest.java": scanners.SeverityLow,
	} {
		fs, err := scanAll(t, s, path, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Severity != want {
			t.Errorf("%s: %v, want one finding at %s", path, fs, want)
		}
	}
}

// TestBuiltSQLGrades: SQL text built from a value that is not input is an
// audit finding (medium, as gosec's G201 and bandit's B608 grade it); built
// from a request it is critical.
func TestBuiltSQLGrades(t *testing.T) {
	s := newScanner(t)
	for src, want := range map[string]scanners.Severity{
		"import sqlite3\n\ndef drop(table):\n    sqlite3.connect('d').execute('DROP TABLE ' + table)\n":                                   scanners.SeverityMedium,
		"import sqlite3\nfrom flask import request\n\ndef view():\n    sqlite3.connect('d').execute('DROP TABLE ' + request.args['t'])\n": scanners.SeverityCritical,
	} {
		fs, err := scanAll(t, s, "db.py", src)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].RuleID != "code/py-sqli" || fs[0].Severity != want {
			t.Errorf("%q: %v, want one code/py-sqli at %s", src, fs, want)
		}
	}
}

// TestTestOnlyFilesAreLow: a file only tests build (a Go _test.go, a
// *.spec.ts) reports its findings low; the same code elsewhere keeps its
// grade.
func TestTestOnlyFilesAreLow(t *testing.T) {
	s := newScanner(t)
	src := "package p\n\nimport \"crypto/tls\"\n\nvar c = &tls.Config{InsecureSkipVerify: true}\n"
	for path, want := range map[string]scanners.Severity{"client.go": scanners.SeverityHigh, "client_test.go": scanners.SeverityLow} {
		fs, err := scanAll(t, s, path, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Fatalf("%s: no finding", path)
		}
		for _, f := range fs {
			if f.Severity != want {
				t.Errorf("%s: %s at %s, want %s", path, f.RuleID, f.Severity, want)
			}
		}
	}
}
