package code

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// A fixer's suggestion is offered only once it is checked on the file it
// fixes (checkFix): applied as a reviewer would apply it, the file still
// parses (no more syntax errors than before), every name the replacement
// brings in is defined or imported in the result, and scanning the result
// again finds the finding gone from the fixed lines. A fixer works on one
// site and cannot see the rest of the file: md5(x) → sha256(x) is right
// after `from hashlib import md5, sha256`, a NameError after `from hashlib
// import md5` alone. There the fix gains a second edit, `from hashlib
// import sha256` inserted after that import (importEdit), and is checked
// again with both: a fix of two edits, described rather than offered as a
// one-click suggestion, and committed whole by Apply fixes.

// maxFixChecks bounds the fixes checked per file: each check parses the
// file again. Findings past it are reported without a suggestion.
const maxFixChecks = 32

// checkFix reports whether fx, applied to src with all its edits, is right
// (see above). A renaming fix whose new name the file lacks gets the import
// as an Also edit of fx when that makes it right; otherwise need names the
// missing name, for the message.
func (s *Scanner) checkFix(ctx context.Context, lang, p string, src []byte, errLines int, fx *scanners.Fix, r *Rule) (ok bool, need string) {
	if r == nil {
		return false, ""
	}
	fixed, err := scanners.ApplyFixes(src, []scanners.Fix{*fx})
	if err != nil {
		return false, ""
	}
	before, _ := newLineIndex(src).span(src, fx.StartLine, fx.EndLine)
	// The edit must be code: never inside a comment, nor inside a string
	// but for a fixer whose job is a string's content (createHash('md5')
	// → 'sha256') or that rebuilds a string expression (a query, a
	// command line).
	name, _, _ := strings.Cut(r.Fix, ":")
	if !editInCode(lang, before, fx.Replacement, stringFixers[name]) {
		return false, ""
	}
	used := rootNames(lang, fx.Replacement)
	had := rootNames(lang, before)
	var fresh []string
	for n := range used {
		if !had[n] && !builtinName(lang, n) {
			fresh = append(fresh, n)
		}
	}
	if len(fresh) > 0 {
		defined, all := definedNames(ctx, lang, fixed)
		if !all {
			for _, n := range sortedNames(fresh) {
				if !defined[n] {
					if len(fx.Also) == 0 && s.importEdit(ctx, lang, src, fx, r, had, used, n) {
						// Checked again, whole, with the import.
						if ok, _ := s.checkFix(ctx, lang, p, src, errLines, fx, r); ok {
							return true, ""
						}
						fx.Also = nil
					}
					return false, n
				}
			}
		}
	}
	hits, errs, err := s.scanWith(ctx, p, fixed, false)
	if err != nil || len(errs) > errLines {
		return false, ""
	}
	first := fx.StartLine + linesAbove(fx)
	n := strings.Count(fx.Replacement, "\n") + 1
	for _, h2 := range hits {
		if r2 := s.byID[h2.RuleID]; r2 != nil && r2.Family == r.Family && h2.Location.StartLine >= first && h2.Location.StartLine < first+n {
			return false, ""
		}
	}
	return true, ""
}

// linesAbove is how far the fix's Also edits above its own lines move them
// (an import inserted above moves them down by one).
func linesAbove(fx *scanners.Fix) int {
	d := 0
	for _, e := range fx.Also {
		added := 0
		if e.Replacement != "" {
			added = strings.Count(e.Replacement, "\n") + 1
		}
		switch {
		case e.Insert && e.StartLine < fx.StartLine:
			d += added
		case !e.Insert && e.EndLine < fx.StartLine:
			d += added - (e.EndLine - e.StartLine + 1)
		}
	}
	return d
}

// importEdit gives a renaming fix the import of the new name it needs, as
// an Also edit (so the fix is no one-click suggestion): a Python name the
// file imported with `from M import old` (or `old as alias`) is renamed to
// one from the same module, which the rename fixers' rules name
// (hashlib.md5 → sha256, ssl._create_unverified_context →
// create_default_context), so `from M import need` goes on a line of its
// own after that import, at its indentation. It reports whether it added
// one; the caller checks the fix again, whole.
func (s *Scanner) importEdit(ctx context.Context, lang string, src []byte, fx *scanners.Fix, r *Rule, had, used map[string]bool, need string) bool {
	if lang != "python" || !strings.HasPrefix(r.Fix, "rename:") {
		return false
	}
	var old []string
	for n := range had {
		if !used[n] {
			old = append(old, n)
		}
	}
	if len(old) != 1 {
		return false
	}
	root, _, err := tsParse(ctx, lang, src)
	if err != nil || root == nil {
		return false
	}
	module, line, indent := pyFromImportOf(root, src, old[0])
	if module == "" {
		return false
	}
	fx.Also = []scanners.Edit{scanners.InsertAfter(line, indent+"from "+module+" import "+need)}
	return true
}

// pyFromImportOf finds the `from M import ...` statement that binds name
// (as `name` or `x as name`) and returns M, the statement's last line and
// its indentation. A
// statement that shares a line with other code (`if x: from m import a`,
// `from m import a; b()`) gives none: a line inserted after it would not
// sit beside it.
func pyFromImportOf(root *node, src []byte, name string) (module string, line int, indent string) {
	visit(root, func(n *node) bool {
		if module != "" {
			return false
		}
		if n.kind != "import_from_statement" {
			return true
		}
		mod := n.child("module_name")
		if mod == nil {
			return false
		}
		for _, c := range n.children {
			bound := ""
			switch {
			case c.field != "name":
			case c.kind == "aliased_import":
				bound = c.child("alias").text(src)
			default:
				bound = c.text(src)
			}
			if bound != name || bound == "" {
				continue
			}
			start, end := n.s(), n.e()
			ls := bytes.LastIndexByte(src[:start], '\n') + 1
			le := len(src)
			if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
				le = end + i
			}
			rest := strings.TrimSpace(string(src[end:le]))
			if strings.TrimSpace(string(src[ls:start])) != "" || rest != "" && !strings.HasPrefix(rest, "#") {
				return false
			}
			module, line, indent = mod.text(src), 1+bytes.Count(src[:end-1], []byte("\n")), string(src[ls:start])
			return false
		}
		return false
	})
	return module, line, indent
}

// stringFixers are the fixers that edit inside string literals: must (only
// there) or may (and in code around them).
var stringFixers = map[string]int{"set-string": mustString, "py-param-query": mayString, "go-param-query": mayString,
	"go-exec-args": mayString, "py-exec-args": mayString}

const (
	codeOnly = iota
	mustString
	mayString
)

// editInCode reports whether the edit that turns before into after starts
// in code: never inside a comment; inside a string only for a fixer that
// may edit one (strings, from stringFixers), and always inside one for a
// fixer that must. The edit is what lies between the two
// texts' common prefix and suffix; both texts are read from the start of
// their first line, where code is assumed.
func editInCode(lang, before, after string, mode int) bool {
	p := 0
	for p < len(before) && p < len(after) && before[p] == after[p] {
		p++
	}
	for _, t := range []string{before, after} {
		switch lexContext(lang, t, p) {
		case inComment:
			return false
		case inStr:
			if mode == codeOnly {
				return false
			}
		default:
			if mode == mustString {
				return false
			}
		}
	}
	return true
}

const (
	inCode = iota
	inStr
	inComment
)

// lexContext says whether offset off of code lies in code, a string
// literal (its quotes included) or a comment.
func lexContext(lang, code string, off int) int {
	hash := lang == "python"
	for i := 0; i < len(code) && i <= off; {
		c := code[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := skipQuoted(code, i)
			if off < j {
				return inStr
			}
			i = j
		case hash && c == '#', !hash && c == '/' && i+1 < len(code) && code[i+1] == '/':
			return inComment
		case !hash && c == '/' && i+1 < len(code) && code[i+1] == '*':
			j := len(code)
			if k := strings.Index(code[i+2:], "*/"); k >= 0 {
				j = i + k + 4
			}
			if off < j {
				return inComment
			}
			i = j
		default:
			i++
		}
	}
	return inCode
}

// span returns the text of lines first..last of src (joined by newlines).
func (li lineIndex) span(src []byte, first, last int) (string, bool) {
	s, _ := li.bounds(src, first)
	_, e := li.bounds(src, last)
	if first < 1 || last < first || e < s {
		return "", false
	}
	return string(src[s:e]), true
}

func sortedNames(ns []string) []string {
	out := append([]string(nil), ns...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// rootNames returns the names code uses at its roots: identifiers that are
// not a member (after a dot), not a keyword argument or object key (before
// `=` or `:`), outside strings and comments. hashlib.sha256(x) uses hashlib
// and x; sha256(x) uses sha256 and x.
func rootNames(lang, code string) map[string]bool {
	out := map[string]bool{}
	hash := lang == "python"
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipQuoted(code, i)
		case hash && c == '#', !hash && c == '/' && i+1 < len(code) && code[i+1] == '/':
			for i < len(code) && code[i] != '\n' {
				i++
			}
		case !hash && c == '/' && i+1 < len(code) && code[i+1] == '*':
			if j := strings.Index(code[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(code)
			}
		case isIdentStart(c):
			j := i
			for j < len(code) && isIdentPart(code[j]) {
				j++
			}
			name := code[i:j]
			prev := strings.TrimRight(code[:i], " \t")
			next := strings.TrimLeft(code[j:], " \t")
			member := strings.HasSuffix(prev, ".") && !strings.HasSuffix(prev, "..")
			kwarg := strings.HasPrefix(next, "=") && !strings.HasPrefix(next, "==") && !strings.HasPrefix(next, "=>")
			key := !hash && strings.HasPrefix(next, ":") && !strings.HasPrefix(next, "::") && !strings.HasPrefix(next, ":=")
			if !member && !kwarg && !key && !keywords[lang][name] {
				out[name] = true
			}
			i = j
		case c >= '0' && c <= '9':
			for i < len(code) && (isIdentPart(code[i]) || code[i] == '.') {
				i++
			}
		default:
			i++
		}
	}
	return out
}

// skipQuoted returns the offset just past the string literal that starts at
// i (or the end of code if it does not end).
func skipQuoted(code string, i int) int {
	q := code[i]
	for j := i + 1; j < len(code); j++ {
		switch code[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(code)
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// keywords are the words of each language that are no names.
var keywords = map[string]map[string]bool{
	"python":     setOf("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case"),
	"go":         setOf("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var"),
	"javascript": setOf("await break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null of return super switch this throw true try typeof undefined var void while with yield async static get set"),
	"typescript": setOf("await break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null of return super switch this throw true try typeof undefined var void while with yield async static get set as any number string boolean"),
	"java":       setOf("abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new null package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false var"),
}

// builtins are the names each language defines everywhere.
var builtins = map[string]map[string]bool{
	"python": setOf("abs all any bin bool bytearray bytes callable chr dict dir divmod enumerate filter float format frozenset getattr globals hasattr hash hex id int isinstance issubclass iter len list locals map max min next object oct open ord pow print range repr reversed round set setattr slice sorted str sum super tuple type vars zip Exception ValueError TypeError KeyError self cls"),
	"go":     setOf("append cap clear close complex copy delete imag len make max min new panic print println real recover bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any iota nil true false"),
	"javascript": setOf("crypto Math JSON Object Array Number String Boolean Symbol BigInt Date Error TypeError RegExp Map Set WeakMap WeakSet Promise Proxy Reflect " +
		"Uint8Array Uint16Array Uint32Array Int8Array Int16Array Int32Array Float32Array Float64Array ArrayBuffer DataView TextEncoder TextDecoder " +
		"URL URLSearchParams encodeURIComponent decodeURIComponent encodeURI decodeURI parseInt parseFloat isNaN isFinite NaN Infinity " +
		"globalThis window document console setTimeout clearTimeout setInterval clearInterval queueMicrotask structuredClone fetch " +
		"require module exports process Buffer __dirname __filename"),
	"java": setOf("java javax String Object Integer Long Short Byte Double Float Boolean Character Math System StringBuilder Exception RuntimeException Thread"),
}

func init() { builtins["typescript"] = builtins["javascript"] }

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func builtinName(lang, n string) bool { return builtins[lang][n] }

// definedNames returns the names src defines or imports where a fix may use
// them: Python's imports (the local name: `import a.b` binds a, `from m
// import x as y` binds y), defs, classes and module-level assignments; Go's
// imports (by their local name) and package-level declarations, read with
// go/parser; JavaScript's and TypeScript's top-level imports, declarations
// and require bindings; Java's imported and declared type names. all says
// the file imports names it does not list (from m import *, import
// pkg.*), so any name may be defined.
func definedNames(ctx context.Context, lang string, src []byte) (map[string]bool, bool) {
	switch lang {
	case "go":
		return goNames(src)
	case "java":
		return javaNames(src)
	}
	root, _, err := tsParse(ctx, lang, src)
	if err != nil || root == nil {
		return nil, false
	}
	if lang == "python" {
		return pyNames(root, src)
	}
	return jsNames(root, src), false
}

func goNames(src []byte) (map[string]bool, bool) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if f == nil {
		return nil, false
	}
	_ = err // a partial file still lists what it declares
	out := map[string]bool{}
	for _, imp := range f.Imports {
		ip, _ := strconv.Unquote(imp.Path.Value)
		switch {
		case imp.Name != nil && imp.Name.Name == ".":
			return out, true
		case imp.Name != nil:
			out[imp.Name.Name] = true
		default:
			out[goPackageName(ip)] = true
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					out[sp.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						out[n.Name] = true
					}
				}
			}
		}
	}
	return out, false
}

// visit calls fn on every node of the tree under root, with an explicit
// stack (a tree can be deep).
func visit(root *node, fn func(*node) bool) {
	stack := []*node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil || !fn(n) {
			continue
		}
		for i := len(n.children) - 1; i >= 0; i-- {
			stack = append(stack, n.children[i])
		}
	}
}

func pyNames(root *node, src []byte) (map[string]bool, bool) {
	out := map[string]bool{}
	all := false
	visit(root, func(n *node) bool {
		switch n.kind {
		case "import_statement", "import_from_statement":
			from := n.kind == "import_from_statement"
			for _, c := range n.children {
				switch {
				case c.kind == "wildcard_import":
					all = true
				case c.field != "name":
				case c.kind == "aliased_import":
					out[c.child("alias").text(src)] = true
				case from:
					out[c.text(src)] = true
				default:
					out[rootName(c.text(src))] = true
				}
			}
			return false
		case "function_definition", "class_definition":
			out[n.child("name").text(src)] = true
		case "assignment":
			if l := n.child("left"); l != nil && l.kind == "identifier" {
				out[l.text(src)] = true
			}
		}
		return true
	})
	return out, all
}

func jsNames(root *node, src []byte) map[string]bool {
	out := map[string]bool{}
	var top func(n *node)
	bind := func(pat *node) {
		visit(pat, func(c *node) bool {
			switch c.kind {
			case "identifier", "shorthand_property_identifier_pattern":
				out[c.text(src)] = true
			case "pair_pattern":
				visit(c.child("value"), func(v *node) bool {
					if v.kind == "identifier" {
						out[v.text(src)] = true
					}
					return true
				})
				return false
			}
			return true
		})
	}
	top = func(n *node) {
		switch n.kind {
		case "import_statement":
			visit(n, func(c *node) bool {
				switch c.kind {
				case "import_specifier":
					if a := c.child("alias"); a != nil {
						out[a.text(src)] = true
					} else {
						out[c.child("name").text(src)] = true
					}
					return false
				case "identifier":
					out[c.text(src)] = true
				case "string":
					return false
				}
				return true
			})
		case "lexical_declaration", "variable_declaration":
			for _, d := range n.children {
				if d.kind == "variable_declarator" {
					bind(d.child("name"))
				}
			}
		case "function_declaration", "generator_function_declaration", "class_declaration", "abstract_class_declaration":
			out[n.child("name").text(src)] = true
		case "export_statement":
			for _, c := range n.children {
				top(c)
			}
		}
	}
	for _, c := range root.children {
		top(c)
	}
	return out
}

var (
	javaImport = regexp.MustCompile(`(?m)^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;`)
	javaDecl   = regexp.MustCompile(`\b(class|interface|enum|record)\s+([A-Za-z_$][\w$]*)`)
)

func javaNames(src []byte) (map[string]bool, bool) {
	out := map[string]bool{}
	all := false
	for _, m := range javaImport.FindAllSubmatch(src, 10000) {
		if len(m[3]) > 0 {
			all = true
			continue
		}
		name := string(m[2])
		out[name[strings.LastIndexByte(name, '.')+1:]] = true
	}
	for _, m := range javaDecl.FindAllSubmatch(src, 10000) {
		out[string(m[2])] = true
	}
	return out, all
}
