package scanners_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// parsed is a GitAttributes from files by directory, parents first.
func parsed(t *testing.T, files ...[2]string) *scanners.GitAttributes {
	t.Helper()
	var a scanners.GitAttributes
	for _, f := range files {
		if err := a.Parse(f[0], []byte(f[1])); err != nil {
			t.Fatalf("Parse(%q): %v", f[0], err)
		}
	}
	return &a
}

// TestGitAttributesPatterns: gitattributes(5) pattern rules, as git
// applies them (each case checked with `git check-attr linguist-vendored`).
func TestGitAttributesPatterns(t *testing.T) {
	cases := []struct {
		pattern string
		match   []string
		miss    []string
	}{
		// No slash: the base name, at any depth.
		{"*.pb.go", []string{"a.pb.go", "api/v1/a.pb.go"}, []string{"a.pb.go.txt", "a.pbxgo"}},
		{"jquery.js", []string{"jquery.js", "static/js/jquery.js"}, []string{"jquery.jsx", "myjquery.js"}},
		// A slash in the middle or at the start: anchored at the file's directory.
		{"docs/api/*.md", []string{"docs/api/x.md"}, []string{"docs/api/v1/x.md", "src/docs/api/x.md"}},
		{"/gen.go", []string{"gen.go"}, []string{"cmd/gen.go"}},
		// "**" forms.
		{"vendor/**", []string{"vendor/a.go", "vendor/a/b/c.go"}, []string{"vendor", "src/vendor/a.go"}},
		{"**/generated/**", []string{"generated/a.ts", "web/src/generated/b/c.ts"}, []string{"generated.ts", "web/generatedx/a.ts"}},
		{"**/*.min.js", []string{"a.min.js", "x/y/a.min.js"}, []string{"a.min.jsx"}},
		{"a/**/b.txt", []string{"a/b.txt", "a/x/b.txt", "a/x/y/b.txt"}, []string{"a/xb.txt", "c/a/b.txt"}},
		{"a**b", []string{"ab", "axxb"}, []string{"ax/b"}},
		// "*" and "?" stop at a slash.
		{"src/*.js", []string{"src/a.js"}, []string{"src/x/a.js"}},
		{"file?.txt", []string{"file1.txt", "d/fileA.txt"}, []string{"file10.txt", "file.txt"}},
		// Classes.
		{"file[0-9].txt", []string{"file3.txt"}, []string{"filex.txt"}},
		{"file[!0-9].txt", []string{"filex.txt"}, []string{"file3.txt"}},
		{"a[]]b", []string{"a]b"}, []string{"ab"}},
		{"x[.-/]y/z", []string{"x.y/z"}, []string{"x-y/z", "x/y/z"}},
		{"file[[:alpha:]].go", []string{"filea.go"}, []string{"file1.go"}},
		{"f[[:digit:][:upper:]]", []string{"f1", "fA"}, []string{"fa"}},
		// Escapes and quoting.
		{`\#notes.md`, []string{"#notes.md"}, []string{"notes.md"}},
		{`"with space.js"`, []string{"with space.js", "d/with space.js"}, []string{"with"}},
		{`"tab\there.js"`, []string{"tab\there.js"}, []string{"tabthere.js"}},
		{`lit\*.js`, []string{"lit*.js"}, []string{"litx.js"}},
	}
	for _, c := range cases {
		a := parsed(t, [2]string{"", c.pattern + " linguist-vendored\n"})
		for _, p := range c.match {
			if v, _ := a.Lookup(p); v != scanners.AttrSet {
				t.Errorf("%q does not match %q", c.pattern, p)
			}
		}
		for _, p := range c.miss {
			if v, _ := a.Lookup(p); v != scanners.AttrUnspecified {
				t.Errorf("%q matches %q", c.pattern, p)
			}
		}
	}
}

// TestGitAttributesRefused: lines git ignores, or that cannot match a file,
// add nothing.
func TestGitAttributesRefused(t *testing.T) {
	for _, line := range []string{
		"vendor/ linguist-vendored",    // a directory pattern matches no file inside it
		"!*.go linguist-vendored",      // negative patterns are forbidden
		"[attr]gen linguist-generated", // a macro definition
		"# *.go linguist-vendored",     // a comment
		"*.go",                         // no attributes
		"*.go text eol=lf diff=golang", // no linguist attribute
		`"unterminated linguist-vendored`,
		"file[[:nope:]].go linguist-vendored",
		"file[é].go linguist-vendored",
		strings.Repeat("a", 300) + " linguist-vendored",
	} {
		a := parsed(t, [2]string{"", line + "\n"})
		for _, p := range []string{"vendor/a.go", "a.go", "x/a.go", "filea.go", "unterminated"} {
			if v, g := a.Lookup(p); v != scanners.AttrUnspecified || g != scanners.AttrUnspecified {
				t.Errorf("line %.40q: %s is vendored %s, generated %s", line, p, v, g)
			}
		}
	}
}

// TestGitAttributesStates: set, unset, "=false", "!" and other values, and
// which line wins.
func TestGitAttributesStates(t *testing.T) {
	a := parsed(t,
		[2]string{"", strings.Join([]string{
			"# Linguist overrides",
			"*.js linguist-vendored",
			"src/*.js -linguist-vendored",
			"src/gen/*.js linguist-generated=true linguist-vendored=false",
			"src/gen/keep.js !linguist-generated",
			"api/*.go linguist-generated=false",
			"api/x.go linguist-generated=yes",
			"docs/**\tlinguist-documentation linguist-vendored",
			"crlf.js linguist-generated\r",
		}, "\n")},
		[2]string{"web", "*.js linguist-vendored=false\nbuild/** linguist-generated\n"},
		[2]string{"web/legacy", "*.js linguist-vendored\n"},
	)
	set, unset, none := scanners.AttrSet, scanners.AttrUnset, scanners.AttrUnspecified
	cases := []struct {
		path                string
		vendored, generated scanners.AttrState
	}{
		{"lib/a.js", set, none},
		{"src/a.js", unset, none},
		{"src/gen/a.js", unset, set},
		{"src/gen/keep.js", unset, none},
		{"api/y.go", none, unset},
		{"api/x.go", none, set},
		{"docs/x/y.md", set, none},
		{"crlf.js", set, set},
		// A deeper file overrides the root's, whatever their order of lines.
		{"web/a.js", unset, none},
		{"web/build/b.js", unset, set},
		{"web/legacy/old.js", set, none},
		{"webx/a.js", set, none},
		{"README.md", none, none},
	}
	for _, c := range cases {
		v, g := a.Lookup(c.path)
		if v != c.vendored || g != c.generated {
			t.Errorf("%s: vendored %s, generated %s; want %s, %s", c.path, v, g, c.vendored, c.generated)
		}
	}
	var nilAttrs *scanners.GitAttributes
	if v, g := nilAttrs.Lookup("a.js"); v != none || g != none {
		t.Error("nil GitAttributes specifies something")
	}
}

// TestGitAttributesPrecedenceIsByDepth: parsing a child's file before its
// parent's does not let the parent win.
func TestGitAttributesPrecedenceIsByDepth(t *testing.T) {
	a := parsed(t,
		[2]string{"web/", "*.js -linguist-vendored\n"},
		[2]string{"", "*.js linguist-vendored\n"},
	)
	if v, _ := a.Lookup("web/a.js"); v != scanners.AttrUnset {
		t.Errorf("web/a.js vendored %s; want unset (web/.gitattributes is deeper)", v)
	}
	if v, _ := a.Lookup("a.js"); v != scanners.AttrSet {
		t.Errorf("a.js vendored %s; want set", v)
	}
}

// TestGitAttributesGenerated: the attributes come first, as Linguist reads
// them, then Generated's own judgement.
func TestGitAttributesGenerated(t *testing.T) {
	a := parsed(t, [2]string{"", strings.Join([]string{
		"deps/** linguist-vendored",
		"schema/*.ts linguist-generated",
		"vendor/ours/** linguist-vendored=false",
		"static/app.min.js -linguist-generated",
		"proto/*.go linguist-generated=false",
	}, "\n")})
	header := []byte("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage p\n")
	cases := []struct {
		path    string
		content []byte
		want    string
	}{
		{"deps/lib/a.c", nil, scanners.KindVendored + ": linguist-vendored"},
		{"schema/types.ts", nil, scanners.KindGenerated + ": linguist-generated"},
		{"vendor/ours/a.go", nil, ""},
		{"vendor/theirs/a.go", nil, scanners.KindVendored + ": under vendor/"},
		{"static/app.min.js", nil, ""},
		{"static/other.min.js", nil, scanners.KindMinified},
		{"proto/a.pb.go", header, ""},
		{"api/a.pb.go", header, scanners.KindGenerated + ": Go's"},
		{"src/main.go", []byte("package main\n"), ""},
	}
	for _, c := range cases {
		r, ok := a.Generated(c.path, c.content)
		if ok != (c.want != "") || ok && !strings.HasPrefix(r, c.want) {
			t.Errorf("Generated(%q) = %q, %v; want %q", c.path, r, ok, c.want)
		}
	}
	var nilAttrs *scanners.GitAttributes
	if r, ok := nilAttrs.Generated("node_modules/x/index.js", nil); !ok || !strings.HasPrefix(r, scanners.KindVendored) {
		t.Errorf("nil GitAttributes: %q, %v", r, ok)
	}
}

// TestGitAttributesBounded: a hostile .gitattributes costs a known amount:
// its size and its linguist lines are bounded (the lines within the bound
// still count), and matching is linear whatever the patterns.
func TestGitAttributesBounded(t *testing.T) {
	var a scanners.GitAttributes
	big := strings.Repeat("# padding padding padding padding padding padding\n", scanners.MaxGitAttributesBytes/50) + "late.js linguist-vendored\n"
	err := a.Parse("", []byte("early.js linguist-vendored\n"+big))
	if !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("oversized file: err = %v, want ErrBound", err)
	}
	if v, _ := a.Lookup("early.js"); v != scanners.AttrSet {
		t.Error("the lines within the size bound were dropped")
	}
	if v, _ := a.Lookup("late.js"); v != scanners.AttrUnspecified {
		t.Error("a line past the size bound was read")
	}

	var many strings.Builder
	for i := range scanners.MaxGitAttributesRules + 10 {
		fmt.Fprintf(&many, "f%d.js linguist-generated\n", i)
	}
	var b scanners.GitAttributes
	if err := b.Parse("", []byte(many.String())); !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("too many rules: err = %v, want ErrBound", err)
	}
	if _, g := b.Lookup("f0.js"); g != scanners.AttrSet {
		t.Error("rules within the bound were dropped")
	}
	if _, g := b.Lookup(fmt.Sprintf("f%d.js", scanners.MaxGitAttributesRules+5)); g != scanners.AttrUnspecified {
		t.Error("a rule past the bound was kept")
	}

	// Patterns that make a backtracking matcher exponential cost, within
	// the bounds, steps times path length.
	var c scanners.GitAttributes
	within := strings.Repeat("*a", 7) + "*b linguist-vendored\n" + strings.Repeat("**/a", 7) + "/b linguist-vendored\n"
	err = nil
	for err == nil {
		err = c.Parse("", []byte(within))
	}
	if !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("err = %v, want ErrBound", err)
	}
	paths := []string{strings.Repeat("a", 200), strings.Repeat("a/", 100) + "c"}
	start := time.Now()
	for range 5 {
		for _, p := range paths {
			if v, _ := c.Lookup(p); v != scanners.AttrUnspecified {
				t.Errorf("%.20q… matched", p)
			}
		}
	}
	// 10 lookups of 200-byte paths against the most steps allowed: a few
	// ms each (150 under -race on a loaded machine); a backtracking
	// matcher would take some 10^12 steps on "*a*a*a*a*a*a*a*b" alone.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("10 lookups against hostile patterns took %v", d)
	}
	var w scanners.GitAttributes
	if err := w.Parse("", []byte(strings.Repeat("a", 257)+"* linguist-vendored\n")); err != nil {
		t.Fatal(err)
	}
	if v, _ := w.Lookup(strings.Repeat("a", 300)); v != scanners.AttrUnspecified {
		t.Error("a pattern longer than the bound was kept")
	}
}

func FuzzGitAttributes(f *testing.F) {
	f.Add("*.js linguist-vendored\n**/gen/** -linguist-generated\n", "a/gen/b.js")
	f.Add(`"a\"b" linguist-generated=false`, `a"b`)
	f.Add("x[!a-]]y linguist-vendored", "x]]y")
	f.Fuzz(func(t *testing.T, data, p string) {
		var a scanners.GitAttributes
		_ = a.Parse("sub", []byte(data))
		_ = a.Parse("", []byte(data))
		v, g := a.Lookup(p)
		if v < scanners.AttrUnspecified || v > scanners.AttrUnset || g < scanners.AttrUnspecified || g > scanners.AttrUnset {
			t.Fatalf("states %d, %d", v, g)
		}
		a.Generated(p, []byte(data))
	})
}
