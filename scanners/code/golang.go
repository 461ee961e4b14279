package code

import (
	"context"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// goSources are qualified names whose values come from outside the
// program: the HTTP request ("$req" stands for any *http.Request
// parameter), the command line, the environment and standard input.
var goSources = []string{
	"$req.*", "os.Args*", "os.Getenv", "os.LookupEnv", "flag.Arg", "flag.Args", "os.Stdin",
	"github.com/gorilla/mux.Vars", "github.com/go-chi/chi.URLParam", "github.com/go-chi/chi/v5.URLParam",
	"github.com/go-chi/chi.URLParamFromCtx", "github.com/go-chi/chi/v5.URLParamFromCtx",
}

// goNotSources are request members that carry no input: the request's
// context and its clones.
var goNotSources = []string{"$req.Context", "$req.Context()*", "$req.WithContext*", "$req.Clone*", "$req.ProtoAtLeast*"}

// goRequestTypes are the parameter types that carry a request: net/http's
// and the common web frameworks' contexts.
var goRequestTypes = map[string]bool{
	"net/http.Request": true, "github.com/gin-gonic/gin.Context": true, "github.com/labstack/echo/v4.Context": true,
	"github.com/labstack/echo.Context": true, "github.com/gofiber/fiber/v2.Ctx": true,
	"github.com/aws/aws-lambda-go/events.APIGatewayProxyRequest": true,
}

// goSanitizers return values that cannot carry an injection.
var goSanitizers = []string{
	"strconv.Itoa", "strconv.Format*", "strconv.Atoi", "strconv.Parse*", "strconv.Quote*",
	"path/filepath.Base", "path.Base", "net/url.QueryEscape", "net/url.PathEscape", "html.EscapeString",
	"html/template.HTMLEscapeString", "html/template.JSEscapeString", "html/template.URLQueryEscaper",
	"text/template.HTMLEscapeString", "len", "github.com/google/uuid.*",
	// These print and return a byte count.
	"fmt.Println", "fmt.Print", "fmt.Fprint", "fmt.Fprintln",
}

// goSettingStructs are struct types whose zero value declared with var
// has its settings set field by field (var c http.Cookie; c.Name = ...).
var goSettingStructs = map[string]bool{"net/http.Cookie": true, "github.com/gofiber/fiber/v2.Cookie": true,
	"github.com/gorilla/sessions.Options": true, "github.com/gin-contrib/sessions.Options": true}

// goFileReads open or read a file by name: their result is the file's.
var goFileReads = []string{"os.ReadFile", "io/ioutil.ReadFile", "os.Open", "os.OpenFile", "os.ReadDir", "io/ioutil.ReadDir",
	"os.Stat", "os.Lstat"}

// goStringOps build a string from their arguments.
var goStringOps = []string{
	"fmt.Sprintf", "fmt.Sprint", "fmt.Sprintln", "strings.Join", "strings.Replace", "strings.ReplaceAll",
	"strings.ToLower", "strings.ToUpper", "strings.TrimSpace", "strings.Trim*", "strings.Title", "strings.Repeat",
	"string", "[]byte", "bytes.Join", "path/filepath.Join", "path.Join", "path/filepath.Clean", "path.Clean",
	"strings.Fields", "strings.Split*", "os/exec.LookPath",
}

type goFile struct {
	guard
	src     []byte
	fset    *token.FileSet
	file    *token.File
	imports map[string]string // local name → import path
	u       *unit
	module  *scope
	fn      string
	target  string
	// recvName and recvType are the receiver of the method being walked
	// (s and Server in func (s *Server) ...).
	recvName, recvType string
	// conds are the conditions of the if statements being walked
	// (site.cond).
	conds []string
	// fnStart, fnEnd span the body of the function being walked
	// (site.defStart, defEnd).
	fnStart, fnEnd int
	// bare is the call a statement consists of, whose result is unused.
	bare *ast.CallExpr
	// poss and ends remember positions found through long chains (see
	// pos).
	poss, ends map[ast.Expr]token.Pos
	// done, quals and building serve chain, as walker's do.
	chains   map[ast.Expr]string
	done     ast.Expr
	doneVal  value
	quals    map[ast.Expr]string
	building bool
	// nilFuncs are the file's functions whose every return is `return
	// nil` (an SSH host key callback that accepts any key).
	nilFuncs map[string]bool
	// randFuncs are the file's functions that return a value and draw
	// from math/rand (randString(n)): what they return is predictable.
	randFuncs map[string]bool
	// constFuncs are the file's functions without parameters whose every
	// return is the same string literal (func newState() string { return
	// "state" }): a call of one is that constant.
	constFuncs map[string]*ast.BasicLit
}

// returnsOneString reports whether fd takes no parameters and each of its
// return statements returns the same string literal, and which.
func returnsOneString(fd *ast.FuncDecl) (*ast.BasicLit, bool) {
	if fd.Body == nil || fd.Type.Params != nil && len(fd.Type.Params.List) > 0 || fd.Type.Results == nil || len(fd.Type.Results.List) != 1 {
		return nil, false
	}
	var lit *ast.BasicLit
	ok := true
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(x.Results) != 1 {
				ok = false
				break
			}
			l, isLit := x.Results[0].(*ast.BasicLit)
			if !isLit || l.Kind != token.STRING || lit != nil && lit.Value != l.Value {
				ok = false
				break
			}
			lit = l
		}
		return ok
	})
	return lit, ok && lit != nil
}

// drawsMathRand reports whether body calls a package-level function of
// math/rand or math/rand/v2 (not Seed, New or NewSource).
func (f *goFile) drawsMathRand(body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if ip := f.imports[id.Name]; (ip == "math/rand" || ip == "math/rand/v2") && !strings.HasPrefix(sel.Sel.Name, "New") && sel.Sel.Name != "Seed" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// goRandHelper prefixes the name of a second site made for a call of a
// function of the file that returns what math/rand drew (randFuncs).
const goRandHelper = "math/rand.(helper)."

// goNilFunc is the qual of a function (a literal, or a function of the
// file named) whose every return statement returns nil.
const goNilFunc = "func() nil"

// returnsOnlyNil reports whether a function of one result has at least
// one return statement and each (outside nested function literals) is
// `return nil`.
func returnsOnlyNil(typ *ast.FuncType, body *ast.BlockStmt) bool {
	if body == nil || typ.Results.NumFields() != 1 {
		return false
	}
	n, ok := 0, true
	ast.Inspect(body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			n++
			if len(x.Results) != 1 {
				ok = false
			} else if id, isID := x.Results[0].(*ast.Ident); !isID || id.Name != "nil" {
				ok = false
			}
		}
		return ok
	})
	return ok && n > 0
}

// setField remembers field key of a struct literal set to v, written e:
// its text (fieldText) and, for a constant read from a name
// (Name: sessionCookieName), the name as key "$name".
func setField(fields map[string]string, key string, v value, e ast.Expr) {
	k := strings.ToLower(key)
	fields[k] = fieldText(v, e)
	delete(fields, k+"$name")
	if v.t == constant {
		switch e.(type) {
		case *ast.Ident, *ast.SelectorExpr:
			fields[k+"$name"] = exprName(e)
		}
	}
}

// fieldText is how a struct literal's field value e is remembered
// (value.fields): a constant's text, else "$", the name it is read from
// (sessionID), and what it holds.
func fieldText(v value, e ast.Expr) string {
	if v.t == constant && v.elems == nil {
		return v.lit
	}
	return "$" + exprName(e) + " " + v.qual
}

// goMaxNest is go/parser's own nesting bound (maxNestLev in
// go/parser/parser.go): past it the parser gives up on the whole file.
const goMaxNest = 100_000

func parseGo(ctx context.Context, p string, src []byte, wants func(*site) bool) (*unit, []int, error) {
	if len(src) > scanners.MaxParseBytes {
		return nil, nil, scanners.TooLarge(scanners.MaxParseBytes)
	}
	fset := token.NewFileSet()
	// go/parser recurses, but counts its nesting (binary operands and
	// selector chains included) and stops at goMaxNest, well within the
	// goroutine stack. It returns what it parsed beside its errors: bad
	// nodes where the syntax is broken, nothing after ten errors.
	af, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
	var errLines []int
	if err != nil {
		list, ok := err.(scanner.ErrorList)
		if !ok {
			return nil, nil, err
		}
		for _, e := range list {
			if strings.Contains(e.Msg, "exceeded max nesting depth") {
				return nil, nil, scanners.TooDeep(goMaxNest)
			}
			errLines = append(errLines, e.Pos.Line)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if af == nil {
		return &unit{lang: "go"}, errLines, nil
	}
	f := &goFile{guard: guard{ctx: ctx, wants: wants, ip: newInterproc()}, src: src, fset: fset, imports: map[string]string{}, u: &unit{lang: "go", imports: map[string]bool{}},
		poss: map[ast.Expr]token.Pos{}, ends: map[ast.Expr]token.Pos{}}
	fset.Iterate(func(tf *token.File) bool { f.file = tf; return false })
	f.walkFile(af)
	f.acrossFunctions(f.u, func() { f.walkFile(af) })
	return f.u, errLines, f.err
}

// walkFile walks the parsed file: its imports, package-level constants
// and variables, then its functions.
func (f *goFile) walkFile(af *ast.File) {
	f.module = newScope(nil)
	for _, imp := range af.Imports {
		ip, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		f.u.imports[ip] = true
		name := goPackageName(ip)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name != "_" && name != "." {
			f.imports[name] = ip
		}
		f.addSite(site{kind: siteImport, name: ip}, imp, imp.Pos(), imp.End())
	}
	// Package-level constants and variables first: functions may use them
	// before their declaration in the file.
	for _, d := range af.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && (gd.Tok == token.CONST || gd.Tok == token.VAR) {
			f.genDecl(gd, f.module)
		}
	}
	for _, d := range af.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		if returnsOnlyNil(fd.Type, fd.Body) {
			if f.nilFuncs == nil {
				f.nilFuncs = map[string]bool{}
			}
			f.nilFuncs[fd.Name.Name] = true
		}
		if lit, ok := returnsOneString(fd); ok {
			if f.constFuncs == nil {
				f.constFuncs = map[string]*ast.BasicLit{}
			}
			f.constFuncs[fd.Name.Name] = lit
		}
		if fd.Type.Results != nil && f.drawsMathRand(fd.Body) {
			if f.randFuncs == nil {
				f.randFuncs = map[string]bool{}
			}
			f.randFuncs[fd.Name.Name] = true
		}
	}
	for _, d := range af.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			f.function(fd.Name.Name, fd.Recv, fd.Type, fd.Body, f.module)
		}
	}
}

// goPackageName guesses the package name of an import path: its last
// element, without a major-version suffix or a "go-" prefix.
func goPackageName(ip string) string {
	base := path.Base(ip)
	if strings.HasPrefix(base, "v") && len(base) > 1 {
		if _, err := strconv.Atoi(base[1:]); err == nil {
			base = path.Base(path.Dir(ip))
		}
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexAny(base, ".-"); i > 0 {
		base = base[:i]
	}
	return base
}

func (f *goFile) offset(p token.Pos) int {
	if f.file == nil || !p.IsValid() {
		return 0
	}
	o := f.file.Offset(p)
	if o < 0 || o > len(f.src) {
		return 0
	}
	return o
}

// addSiteValue is addSite for a site of an assigned or paired value: the
// value gets its own copy only when the site is kept.
func (f *goFile) addSiteValue(s site, v value, n ast.Node, start, end token.Pos) {
	s.valWeak = v.weakRand
	f.probe = s
	if f.keepSite(&f.probe) {
		s = f.probe
		c := v
		s.val = &c
		f.record(s, start, end)
	}
}

// addSite keeps s if a rule could match it. The site is asked about in
// the guard's probe (see guard.probe).
func (f *goFile) addSite(s site, n ast.Node, start, end token.Pos) {
	f.probe = s
	if f.keepSite(&f.probe) {
		f.record(f.probe, start, end)
	}
}

// keepSite names the function and target of s, and says whether to keep
// it (guard.keep).
func (f *goFile) keepSite(s *site) bool {
	s.fn = f.fn
	if s.defEnd == 0 {
		s.defStart, s.defEnd = f.fnStart, f.fnEnd
	}
	if s.target == "" {
		s.target = f.target
	}
	if !f.keep(s) {
		return false
	}
	// The conditions are read by match alone (Match.OptIn), never by
	// wants: joined for kept sites only.
	if len(f.conds) > 0 {
		s.cond = strings.Join(f.conds[max(0, len(f.conds)-goMaxConds):], "\n")
	}
	return true
}

// record keeps a site spanning start..end.
func (f *goFile) record(s site, start, end token.Pos) {
	sp := f.fset.Position(start)
	ep := f.fset.Position(end)
	s.line, s.col, s.endLine, s.endCol = sp.Line, sp.Column, ep.Line, ep.Column
	s.start, s.end = f.offset(start), f.offset(end)
	f.u.sites = append(f.u.sites, s)
}

func (f *goFile) function(name string, recv *ast.FieldList, typ *ast.FuncType, body *ast.BlockStmt, outer *scope) {
	sc := newScope(outer)
	// The key calls name it by (summary.go): its name, or for a method
	// Type.name, called on the receiver as r.name(...). A function
	// literal has none.
	key, recvName, recvType := "", "", ""
	if outer == f.module {
		key = name
	}
	if recv != nil && len(recv.List) == 1 {
		rt := recv.List[0].Type
		if st, ok := rt.(*ast.StarExpr); ok {
			rt = st.X
		}
		if ix, ok := rt.(*ast.IndexExpr); ok {
			rt = ix.X
		}
		if id, ok := rt.(*ast.Ident); ok && key != "" {
			recvType, key = id.Name, id.Name+"."+name
			if len(recv.List[0].Names) == 1 {
				recvName = recv.List[0].Names[0].Name
			}
		}
	}
	var pnames []string
	if typ.Params != nil {
		for _, field := range typ.Params.List {
			if len(field.Names) == 0 {
				pnames = append(pnames, "")
			}
			for _, n := range field.Names {
				pnames = append(pnames, n.Name)
			}
		}
	}
	id := any(body)
	if body == nil {
		id = any(typ)
	}
	leave := f.ip.enterFn(id, key, pnames, 0, func() {
		f.function(name, recv, typ, body, f.module)
	})
	defer leave()
	savedRecv, savedType := f.recvName, f.recvType
	if key != "" {
		f.recvName, f.recvType = recvName, recvType
	}
	for k, fl := range []*ast.FieldList{recv, typ.Params} {
		if fl == nil {
			continue
		}
		i := 0
		for _, field := range fl.List {
			typ := f.typeName(field.Type)
			if len(field.Names) == 0 {
				i++
			}
			for _, n := range field.Names {
				var v value
				switch {
				case goRequestTypes[typ]:
					v = value{t: unknown, qual: "$req"}
				case typ == "net/http.ResponseWriter":
					v = value{t: unknown, qual: "$w"}
				default:
					v = value{t: unknown, qual: n.Name}
				}
				if k == 1 {
					v = f.ip.param(i, v)
				}
				sc.set(n.Name, v)
				i++
			}
		}
	}
	saved, savedStart, savedEnd := f.fn, f.fnStart, f.fnEnd
	f.fn = name
	if body != nil {
		f.fnStart, f.fnEnd = f.offset(body.Pos()), f.offset(body.End())
		f.block(body.List, sc)
	}
	f.fn, f.fnStart, f.fnEnd = saved, savedStart, savedEnd
	f.recvName, f.recvType = savedRecv, savedType
}

// goPredeclared are the builtin functions and types a call can name.
var goPredeclared = map[string]bool{
	"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true, "delete": true,
	"imag": true, "len": true, "make": true, "max": true, "min": true, "new": true, "panic": true, "print": true,
	"println": true, "real": true, "recover": true, "string": true, "byte": true, "rune": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "uint": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "uintptr": true, "float32": true, "float64": true, "bool": true,
	"error": true, "any": true, "complex64": true, "complex128": true,
}

// localKey returns the key a call names a function of the file by
// (summary.go): a plain name that is not a variable, or recv.m on the
// receiver of the method being walked.
func (f *goFile) localKey(e *ast.CallExpr, sc *scope) string {
	switch fn := e.Fun.(type) {
	case *ast.Ident:
		if _, local := sc.lookup(fn.Name); local || goPredeclared[fn.Name] {
			return ""
		}
		return fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok && f.recvName != "" && x.Name == f.recvName {
			return f.recvType + "." + fn.Sel.Name
		}
	}
	return ""
}

// typeName returns the qualified name of a type from an imported package,
// or of a pointer to it ("net/http.Request" for *http.Request), else "".
func (f *goFile) typeName(t ast.Expr) string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if sel, ok := t.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			return f.imports[id.Name] + "." + sel.Sel.Name
		}
	}
	return ""
}

func (f *goFile) genDecl(gd *ast.GenDecl, sc *scope) {
	for _, sp := range gd.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, n := range vs.Names {
			saved := f.target
			f.target = n.Name
			var v value
			if i < len(vs.Values) {
				v = f.expr(vs.Values[i], sc)
			} else if len(vs.Values) == 0 {
				v = value{t: unknown, qual: n.Name}
				typ := f.typeName(vs.Type)
				if goRequestTypes[typ] {
					v.qual = "$req"
				}
				if typ == "strings.Builder" || typ == "bytes.Buffer" {
					// An empty builder: what is written to it decides.
					v = value{t: constant, isStr: true}
				}
				if goSettingStructs[typ] {
					// var c http.Cookie: a struct whose fields are set
					// one by one (value.fields).
					v = value{t: constant, elems: []value{}, fields: map[string]string{}, qual: typ + "{}"}
				}
			} else {
				v = value{t: unknown}
			}
			f.target = saved
			sc.set(n.Name, v)
		}
	}
}

func (f *goFile) block(list []ast.Stmt, sc *scope) {
	for _, s := range list {
		f.stmt(s, sc)
	}
}

func (f *goFile) stmt(s ast.Stmt, sc *scope) {
	if s == nil || !f.enter() {
		return
	}
	defer f.leave()
	switch s := s.(type) {
	case *ast.BlockStmt:
		f.block(s.List, newScope(sc))
	case *ast.ExprStmt:
		if c, ok := s.X.(*ast.CallExpr); ok {
			f.bare = c
		}
		f.expr(s.X, sc)
		f.bare = nil
	case *ast.AssignStmt:
		f.assign(s, sc)
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			f.genDecl(gd, sc)
		}
	case *ast.ReturnStmt:
		for _, r := range s.Results {
			f.ip.returned(f.expr(r, sc))
		}
	case *ast.IfStmt:
		f.ifStmt(s, sc)
	case *ast.ForStmt:
		f.stmt(s.Init, sc)
		f.expr(s.Cond, sc)
		f.stmt(s.Post, sc)
		f.stmt(s.Body, sc)
	case *ast.RangeStmt:
		el := elementOf(f.expr(s.X, sc))
		if id, ok := s.Key.(*ast.Ident); ok {
			sc.set(id.Name, value{t: unknown})
		}
		if id, ok := s.Value.(*ast.Ident); ok {
			sc.set(id.Name, el)
		}
		f.stmt(s.Body, sc)
	case *ast.SwitchStmt:
		f.stmt(s.Init, sc)
		f.expr(s.Tag, sc)
		f.cases(s.Body, sc)
	case *ast.TypeSwitchStmt:
		f.stmt(s.Init, sc)
		f.stmt(s.Assign, sc)
		f.cases(s.Body, sc)
	case *ast.CaseClause:
		for _, e := range s.List {
			f.expr(e, sc)
		}
		f.block(s.Body, sc)
	case *ast.SelectStmt:
		f.cases(s.Body, sc)
	case *ast.CommClause:
		f.stmt(s.Comm, sc)
		f.block(s.Body, sc)
	case *ast.GoStmt:
		f.expr(s.Call, sc)
	case *ast.DeferStmt:
		f.expr(s.Call, sc)
	case *ast.LabeledStmt:
		f.stmt(s.Stmt, sc)
	case *ast.SendStmt:
		f.expr(s.Chan, sc)
		f.expr(s.Value, sc)
	case *ast.IncDecStmt:
		f.expr(s.X, sc)
	}
}

// ifStmt walks an if statement: its body and its else as arms joined into
// sc. An else-if ladder (thousands of rungs in generated code) is walked in
// a loop, each rung in the else arm's scope of the one before, as the
// recursive walk would, and the arms joined from the innermost out.
func (f *goFile) ifStmt(s *ast.IfStmt, sc *scope) {
	type rung struct {
		sc   *scope
		arms []*scope
	}
	var ladder []rung
	saved := len(f.conds)
	defer func() { f.conds = f.conds[:saved] }()
	for s != nil {
		f.stmt(s.Init, sc)
		f.expr(s.Cond, sc)
		// The condition holds in the body only: an else arm runs where it
		// failed (if allowed(u) {...} else { http.Get(u) } is unchecked).
		f.conds = append(f.conds, f.condText(s.Init, s.Cond))
		r := rung{sc: sc, arms: []*scope{sc.branch()}}
		f.stmt(s.Body, r.arms[0])
		f.conds = f.conds[:len(f.conds)-1]
		next, _ := s.Else.(*ast.IfStmt)
		if s.Else != nil {
			r.arms = append(r.arms, sc.branch())
			if next == nil {
				f.stmt(s.Else, r.arms[1])
			}
		}
		ladder = append(ladder, r)
		if next != nil {
			sc = r.arms[1]
		}
		s = next
	}
	for i := len(ladder) - 1; i >= 0; i-- {
		ladder[i].sc.join(ladder[i].arms, len(ladder[i].arms) > 1)
	}
}

// goMaxConds bounds the conditions a site keeps (the innermost), and
// goMaxCondLen each one's length: an else-if ladder of generated code has
// thousands of rungs.
const (
	goMaxConds   = 8
	goMaxCondLen = 200
)

// condText is the source of an if statement's init and condition,
// clipped, on one line.
func (f *goFile) condText(init ast.Stmt, e ast.Expr) string {
	if e == nil {
		return ""
	}
	a, b := f.offset(f.pos(e)), f.offset(f.end(e))
	if init != nil {
		a = min(a, f.offset(init.Pos()))
	}
	if b <= a || b > len(f.src) {
		return ""
	}
	t := f.src[a:b]
	if len(t) > goMaxCondLen {
		t = t[:goMaxCondLen]
	}
	return strings.ReplaceAll(string(t), "\n", " ")
}

// cases walks each clause of a switch or select as an arm of a
// conditional; a default clause makes them exhaustive.
func (f *goFile) cases(body *ast.BlockStmt, sc *scope) {
	if body == nil {
		return
	}
	var arms []*scope
	exhaustive := false
	for _, c := range body.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			exhaustive = exhaustive || c.List == nil
		case *ast.CommClause:
			exhaustive = exhaustive || c.Comm == nil
		}
		arm := sc.branch()
		n := len(f.conds)
		if cc, ok := c.(*ast.CaseClause); ok && len(cc.List) > 0 {
			// A case names its condition as an if does (case insecure:).
			f.conds = append(f.conds, f.condText(nil, &ast.BinaryExpr{X: cc.List[0], OpPos: cc.List[0].Pos(), Y: cc.List[len(cc.List)-1]}))
		}
		f.stmt(c, arm)
		f.conds = f.conds[:n]
		arms = append(arms, arm)
	}
	sc.join(arms, exhaustive)
}

func (f *goFile) assign(s *ast.AssignStmt, sc *scope) {
	var rvals []value
	saved := f.target
	if len(s.Lhs) > 0 {
		f.target = exprName(s.Lhs[0])
	}
	for _, r := range s.Rhs {
		rvals = append(rvals, f.expr(r, sc))
	}
	f.target = saved
	for i, l := range s.Lhs {
		var v value
		switch {
		case len(s.Rhs) == len(s.Lhs):
			v = rvals[i]
		case len(rvals) == 1:
			// a, err := f(x): the first result carries the call's grade,
			// and with three or more so do all but the error
			// (file, header, err := r.FormFile("f")).
			v = rvals[0]
			if i > 0 && (i == len(s.Lhs)-1 || v.t != tainted) {
				v = value{t: unknown}
			}
		default:
			v = value{t: unknown}
		}
		switch l := l.(type) {
		case *ast.Ident:
			if s.Tok == token.ADD_ASSIGN {
				old, _ := sc.lookup(l.Name)
				v = combine(old, v)
			}
			if l.Name == "_" {
				break
			}
			if s.Tok == token.DEFINE {
				sc.set(l.Name, v)
			} else {
				sc.assign(l.Name, v)
			}
		case *ast.SelectorExpr:
			f.expr(l.X, sc)
			// d.Value = r.FormValue("x"): remember the field of a local.
			if chain := f.selectorChain(l); chain != "" {
				if old, local := sc.lookup(rootName(chain)); local {
					sc.assign(chain, v)
					// c.HttpOnly = true on a struct literal known here:
					// the literal's settings change.
					if id, ok := l.X.(*ast.Ident); ok && id.Name == chain[:strings.IndexByte(chain, '.')] && old.fields != nil {
						fields := make(map[string]string, len(old.fields)+1)
						for k, x := range old.fields {
							fields[k] = x
						}
						setField(fields, l.Sel.Name, v, s.Rhs[min(i, len(s.Rhs)-1)])
						old.fields = fields
						sc.assign(id.Name, old)
					}
				}
			}
			if len(s.Rhs) > 0 {
				r := s.Rhs[min(i, len(s.Rhs)-1)]
				v.start, v.end = f.offset(f.pos(r)), f.offset(f.end(r))
			}
			f.addSiteValue(site{kind: siteAssign, name: l.Sel.Name, container: f.qual(l.X, sc), nameStart: f.offset(l.Sel.Pos()), nameEnd: f.offset(l.Sel.End())}, v, s, f.pos(s.Lhs[0]), f.end(s.Rhs[len(s.Rhs)-1]))
		case *ast.IndexExpr:
			f.expr(l, sc)
			// inputs[0] = r.FormValue("x"): the collection now holds input.
			if id, ok := l.X.(*ast.Ident); ok && v.t == tainted {
				sc.assign(id.Name, fromInput(v))
			}
		default:
			f.expr(l, sc)
		}
	}
}

// selectorChain returns "a.b.c" for a selector chain rooted at an
// identifier, else "" (clipped as qual's names are). Along a chain being
// walked it remembers what it found, as fieldKey does.
func (f *goFile) selectorChain(e ast.Expr) string {
	var links []*ast.SelectorExpr
	key := ""
	for e != nil {
		if k, ok := f.chains[e]; ok {
			key = k
			break
		}
		if x, ok := e.(*ast.SelectorExpr); ok {
			links = append(links, x)
			e = x.X
			continue
		}
		if x, ok := e.(*ast.Ident); ok {
			key = x.Name
		}
		break
	}
	for i := len(links) - 1; i >= 0; i-- {
		if key != "" {
			key = clipName(key + "." + links[i].Sel.Name)
		}
		if f.building {
			f.chains[links[i]] = key
		}
	}
	return key
}

// exprName names an assignment target for rules that look at it.
func exprName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			return x.Sel.Name
		case *ast.IndexExpr:
			e = x.X
			continue
		}
		return ""
	}
}

// qual returns the qualified name of an expression used as a callee:
// package selectors become import paths ("crypto/md5.New"), selectors on a
// *http.Request parameter start with "$req". It follows the expression down
// in a loop and builds the name back up.
func (f *goFile) qual(e ast.Expr, sc *scope) string {
	var links []ast.Expr
	q := "?"
	for e != nil {
		if m, ok := f.quals[e]; ok {
			q = m
			break
		}
		var next ast.Expr
		switch x := e.(type) {
		case *ast.Ident:
			q = x.Name
			if v, ok := sc.lookup(x.Name); ok && strings.HasPrefix(v.qual, "$") {
				q = v.qual
			} else if _, local := sc.lookup(x.Name); !local {
				if ip, ok := f.imports[x.Name]; ok {
					q = ip
				}
			}
		case *ast.SelectorExpr:
			next = x.X
		case *ast.CallExpr:
			next = x.Fun
		case *ast.IndexExpr:
			next = x.X
		case *ast.ParenExpr:
			next = x.X
		case *ast.StarExpr:
			next = x.X
		case *ast.ArrayType:
			next = x.Elt
		case *ast.UnaryExpr:
			next = x.X
		case *ast.CompositeLit:
			next = x.Type
		}
		if next == nil {
			if _, ok := e.(*ast.Ident); !ok && isQualLink(e) {
				// A link without its operand: "?" below it.
				links = append(links, e)
			}
			break
		}
		links = append(links, e)
		e = next
	}
	for i := len(links) - 1; i >= 0; i-- {
		m := links[i]
		switch x := m.(type) {
		case *ast.SelectorExpr:
			q += "." + x.Sel.Name
		case *ast.CallExpr:
			q += "()"
		case *ast.IndexExpr:
			q += "[]"
		case *ast.ArrayType:
			q = "[]" + q
		case *ast.CompositeLit:
			q += "{}"
		}
		q = clipName(q)
		if f.building {
			f.quals[m] = q
		}
	}
	return q
}

// isQualLink reports whether qual builds e's name from an operand's.
func isQualLink(e ast.Expr) bool {
	switch e.(type) {
	case *ast.SelectorExpr, *ast.CallExpr, *ast.IndexExpr, *ast.ParenExpr, *ast.StarExpr, *ast.ArrayType, *ast.UnaryExpr, *ast.CompositeLit:
		return true
	}
	return false
}

func (f *goFile) expr(e ast.Expr, sc *scope) value {
	if e == nil {
		return value{t: unknown}
	}
	if e == f.done {
		f.done = nil
		return f.doneVal
	}
	if f.long(e) {
		return f.chain(e, sc)
	}
	return f.plain(e, sc)
}

// plain evaluates e one level deeper.
func (f *goFile) plain(e ast.Expr, sc *scope) value {
	if !f.enter() {
		return value{t: unknown}
	}
	defer f.leave()
	return f.finish(e, f.eval(e, sc), true)
}

// finish completes the value of e: its span, where a string was built, and
// a string site when it builds markup or a URL from variables (and strSite
// says string sites are wanted).
func (f *goFile) finish(e ast.Expr, v value, strSite bool) value {
	v.start, v.end = f.offset(f.pos(e)), f.offset(f.end(e))
	if v.isStr && v.t != constant && v.buildLine == 0 {
		v.buildLine = f.line(f.pos(e))
	}
	if strSite && goBuilder(e) && builtString(v) {
		sv := v
		f.addSiteValue(site{kind: siteString}, sv, e, f.pos(e), f.end(e))
	}
	return v
}

// long reports whether e heads a left-nested chain of at least chainMin
// links.
func (f *goFile) long(e ast.Expr) bool {
	for i := 1; i < chainMin; i++ {
		if e = goShape(e); e == nil {
			return false
		}
	}
	return true
}

// chain is walker.chain for Go.
func (f *goFile) chain(e ast.Expr, sc *scope) value {
	savedQ, savedC := f.quals, f.chains
	f.quals, f.chains = map[ast.Expr]string{}, map[ast.Expr]string{}
	spine := []ast.Expr{e}
	f.building = true
	for next := f.link(e, sc); next != nil; next = f.link(next, sc) {
		spine = append(spine, next)
	}
	f.building = false
	foot := len(spine) - 1
	v := f.plain(spine[foot], sc)
	var last *value
	strs := 0
	for i := foot - 1; i >= 0; i-- {
		below, m := spine[i+1], spine[i]
		if !f.enter() {
			v = value{t: unknown}
			continue
		}
		f.done, f.doneVal = below, v
		v = f.eval(m, sc)
		f.done = nil
		f.leave()
		record := i == 0 || strs < maxChainStrings && (last == nil || !sameGrade(*last, v))
		v = f.finish(m, v, record)
		if record && goBuilder(m) && builtString(v) {
			strs++
			lv := v
			last = &lv
		}
	}
	f.quals, f.chains = savedQ, savedC
	return v
}

// goBuilder reports whether e is an expression that can build a string
// worth a string site.
func goBuilder(e ast.Expr) bool {
	switch e.(type) {
	case *ast.BinaryExpr, *ast.CallExpr:
		return true
	}
	return false
}

// link returns the operand eval(e) evaluates first when e is a link of a
// left-nested chain and eval will descend into it, else nil (see
// walker.link).
func (f *goFile) link(e ast.Expr, sc *scope) ast.Expr {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		if chain := f.selectorChain(x); chain != "" {
			if _, ok := sc.lookup(chain); ok {
				return nil
			}
		}
		q := f.qual(x, sc)
		if sourceMatch(goSourceSet.compiled(), q) && !goNotSourcesSet.compiled().match(q) {
			return nil
		}
		if f.isPackage(x.X, sc) {
			return nil
		}
	case *ast.CallExpr:
		f.qual(x.Fun, sc)
	}
	return goShape(e)
}

// goShape is link by kind alone.
func goShape(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.BinaryExpr:
		return x.X
	case *ast.SelectorExpr:
		return x.X
	case *ast.IndexExpr:
		return x.X
	case *ast.SliceExpr:
		return x.X
	case *ast.TypeAssertExpr:
		return x.X
	case *ast.ParenExpr:
		return x.X
	case *ast.StarExpr:
		return x.X
	case *ast.UnaryExpr:
		return x.X
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			return sel.X
		}
	}
	return nil
}

func (f *goFile) line(p token.Pos) int { return f.fset.Position(p).Line }

// pos is e.Pos() without its recursion: go/ast finds where a+b or a.b
// starts by asking a, so along a chain of a million links each Pos() walks
// to the chain's foot. Positions found through more than a few links are
// remembered.
func (f *goFile) pos(e ast.Expr) token.Pos {
	var path []ast.Expr
	var p token.Pos
	for {
		if len(f.poss) > 0 { // filled for long chains only
			if m, ok := f.poss[e]; ok {
				p = m
				break
			}
		}
		var next ast.Expr
		switch x := e.(type) {
		case *ast.BinaryExpr:
			next = x.X
		case *ast.SelectorExpr:
			next = x.X
		case *ast.CallExpr:
			next = x.Fun
		case *ast.IndexExpr:
			next = x.X
		case *ast.IndexListExpr:
			next = x.X
		case *ast.SliceExpr:
			next = x.X
		case *ast.TypeAssertExpr:
			next = x.X
		case *ast.KeyValueExpr:
			next = x.Key
		}
		if next == nil {
			p = e.Pos()
			break
		}
		path = append(path, e)
		e = next
	}
	if len(path) > 8 {
		for _, m := range path {
			f.poss[m] = p
		}
	}
	return p
}

// end is e.End() without its recursion, as pos is e.Pos().
func (f *goFile) end(e ast.Expr) token.Pos {
	var path []ast.Expr
	var p token.Pos
	for {
		if len(f.ends) > 0 { // filled for long chains only
			if m, ok := f.ends[e]; ok {
				p = m
				break
			}
		}
		var next ast.Expr
		switch x := e.(type) {
		case *ast.BinaryExpr:
			next = x.Y
		case *ast.StarExpr:
			next = x.X
		case *ast.UnaryExpr:
			next = x.X
		case *ast.KeyValueExpr:
			next = x.Value
		}
		if next == nil {
			p = e.End()
			break
		}
		path = append(path, e)
		e = next
	}
	if len(path) > 8 {
		for _, m := range path {
			f.ends[m] = p
		}
	}
	return p
}

func (f *goFile) eval(e ast.Expr, sc *scope) value {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			if err != nil {
				s = strings.Trim(e.Value, "`\"")
			}
			v := value{t: constant, isStr: true, lit: s, origin: f.offset(e.Pos()) + 1}
			if len(e.Value) >= 2 && e.Value[0] == '"' {
				v.raw, v.rawOK = e.Value[1:len(e.Value)-1], true
			}
			return v
		}
		return value{t: constant, lit: e.Value}
	case *ast.Ident:
		switch e.Name {
		case "true", "false", "nil":
			return value{t: constant, lit: e.Name}
		}
		if v, ok := sc.lookup(e.Name); ok {
			return v
		}
		if f.nilFuncs[e.Name] {
			return value{t: unknown, qual: goNilFunc}
		}
		return value{t: unknown, qual: e.Name}
	case *ast.SelectorExpr:
		if chain := f.selectorChain(e); chain != "" {
			if v, ok := sc.lookup(chain); ok {
				return v
			}
		}
		q := f.qual(e, sc)
		if sourceMatch(goSourceSet.compiled(), q) && !goNotSourcesSet.compiled().match(q) {
			return value{t: tainted, source: strings.Replace(q, "$req", "r", 1), qual: q, srcLine: f.line(f.pos(e))}
		}
		if f.isPackage(e.X, sc) {
			// A package-level name (tls.VersionTLS10, http.MethodGet).
			return value{t: constant, lit: q, qual: q}
		}
		x := f.expr(e.X, sc)
		if x.t == tainted {
			v := fromInput(x)
			v.qual = q
			return v
		}
		return value{t: unknown, qual: q}
	case *ast.IndexExpr:
		x := f.expr(e.X, sc)
		f.expr(e.Index, sc)
		// parts[1] of a slice whose elements are known.
		if lit, ok := e.Index.(*ast.BasicLit); ok && lit.Kind == token.INT && x.elems != nil {
			if i, err := strconv.Atoi(lit.Value); err == nil && i >= 0 && i < len(x.elems) {
				return x.elems[i]
			}
		}
		switch x.t {
		case tainted:
			return fromInput(x)
		case constant:
			// An element of a constant literal (a table of commands).
			return value{t: constant}
		}
		return value{t: unknown}
	case *ast.SliceExpr:
		x := f.expr(e.X, sc)
		if x.t == constant && x.elems != nil {
			return value{t: constant, elems: []value{}}
		}
		return x
	case *ast.BinaryExpr:
		l := f.expr(e.X, sc)
		r := f.expr(e.Y, sc)
		out := combine(l, r)
		if e.Op != token.ADD {
			out.isStr = false
			if e.Op == token.EQL || e.Op == token.NEQ || e.Op == token.LSS || e.Op == token.GTR ||
				e.Op == token.LEQ || e.Op == token.GEQ || e.Op == token.LAND || e.Op == token.LOR {
				return value{t: constant, lit: "bool"}
			}
		}
		return out
	case *ast.ParenExpr:
		return f.expr(e.X, sc)
	case *ast.StarExpr:
		return f.expr(e.X, sc)
	case *ast.UnaryExpr:
		x := f.expr(e.X, sc)
		if e.Op == token.NOT && x.t == constant {
			switch x.lit {
			case "true":
				return value{t: constant, lit: "false"}
			case "false":
				return value{t: constant, lit: "true"}
			}
		}
		return x
	case *ast.CallExpr:
		return f.call(e, sc)
	case *ast.CompositeLit:
		return f.composite(e, sc)
	case *ast.FuncLit:
		// A function of its own (an HTTP handler registered in main),
		// inside the one around it.
		f.function(anonFn(f.fn, f.fset.Position(e.Pos()).Line), nil, e.Type, e.Body, sc)
		if returnsOnlyNil(e.Type, e.Body) {
			return value{t: unknown, qual: goNilFunc}
		}
		return value{t: unknown}
	case *ast.TypeAssertExpr:
		return f.expr(e.X, sc)
	case *ast.KeyValueExpr:
		return f.expr(e.Value, sc)
	}
	return value{t: unknown}
}

// isPackage reports whether e names an imported package (not shadowed by a
// local variable).
func (f *goFile) isPackage(e ast.Expr, sc *scope) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	if _, local := sc.lookup(id.Name); local {
		return false
	}
	_, pkg := f.imports[id.Name]
	return pkg
}

func (f *goFile) composite(e *ast.CompositeLit, sc *scope) value {
	typ := f.qual(e.Type, sc)
	out := value{t: constant, elems: []value{}, qual: typ + "{}"}
	for _, el := range e.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			v := f.expr(el, sc)
			out.elems = addElem(out.elems, v)
			out.worsen(v)
			if v.t == constant && v.isStr {
				out.strs = append(out.strs, v.lit)
			}
			continue
		}
		v := f.expr(kv.Value, sc)
		out.worsen(v)
		if key, ok := kv.Key.(*ast.Ident); ok && e.Type != nil && len(out.fields) < maxElems {
			// A struct's settings (http.Cookie{HttpOnly: true}): a
			// constant by its text, anything else as "$" and its name.
			if out.fields == nil {
				out.fields = map[string]string{}
			}
			setField(out.fields, key.Name, v, kv.Value)
		}
		if key, ok := kv.Key.(*ast.Ident); ok && e.Type != nil {
			f.addSiteValue(site{kind: sitePair, name: key.Name, container: typ, nameStart: f.offset(key.Pos()), nameEnd: f.offset(key.End())}, v, kv, kv.Pos(), f.end(kv.Value))
		} else if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING && e.Type != nil {
			// A query document's operator keys (bson.M{"$where": js}) are
			// pairs too; other string keys are data, not settings.
			if key, err := strconv.Unquote(lit.Value); err == nil && strings.HasPrefix(key, "$") {
				f.addSiteValue(site{kind: sitePair, name: key, container: typ, nameStart: f.offset(lit.Pos()), nameEnd: f.offset(lit.End())}, v, kv, kv.Pos(), f.end(kv.Value))
			}
		}
	}
	return out
}

// call evaluates a call: its function part and arguments, what it writes
// to a local builder, its site for the rules, and its value.
func (f *goFile) call(e *ast.CallExpr, sc *scope) value {
	c := f.callee(e, sc)
	if c.sel != nil && (c.recv.qual == "math/rand.New()" || c.recv.qual == "math/rand/v2.New()") {
		// r := rand.New(src); r.Intn(n): math/rand's generator.
		c.q = strings.TrimSuffix(c.recv.qual, "New()") + "Rand." + c.sel.Sel.Name
	}
	args := make([]value, 0, len(e.Args))
	for _, a := range e.Args {
		args = addElem(args, f.expr(a, sc))
	}
	fprintToBuilder(e, c.q, args, sc)
	if v, ok := f.builderMethod(e, c, args, sc); ok {
		return v
	}
	spreadLast(e, args)
	pkg := c.sel != nil && f.isPackage(c.sel.X, sc)
	f.addSite(site{kind: siteCall, name: c.q, args: args, pkg: pkg, nameStart: c.nameStart, nameEnd: c.nameEnd}, e, f.pos(e), f.end(e))
	if id, ok := e.Fun.(*ast.Ident); ok && f.constFuncs[id.Name] != nil && len(e.Args) == 0 {
		if _, local := sc.lookup(id.Name); !local {
			return f.eval(f.constFuncs[id.Name], sc)
		}
	}
	if id, ok := e.Fun.(*ast.Ident); ok && f.randFuncs[id.Name] {
		// randString(32) draws from math/rand: a site of its own, named
		// so (goRandHelper), for the rules on predictable secrets.
		if _, local := sc.lookup(id.Name); !local {
			f.addSite(site{kind: siteCall, name: goRandHelper + id.Name, args: args, pkg: true, nameStart: c.nameStart, nameEnd: c.nameEnd}, e, f.pos(e), f.end(e))
		}
	}
	f.fillArgs(e, c, args, sc)
	if v, ok := f.callByName(e, c.q, args, sc); ok {
		return v
	}
	if v, ok := f.ip.call(f.localKey(e, sc), args, nil, f.fn, f.line(f.pos(e)), f.offset(f.pos(e)), f.offset(f.end(e))); ok {
		return v
	}
	return f.callResult(e, c.q, c.recv, args)
}

// goFillers are the calls that read into a buffer or value they are handed
// (r.Read(buf), json.Unmarshal(data, &v), dec.Decode(&v), conn.ReadJSON(&v),
// c.ShouldBindJSON(&v)): what they read from is what the buffer then holds.
var goFillers = map[string]bool{"Read": true, "ReadFull": true, "ReadAtLeast": true, "ReadJSON": true, "Receive": true,
	"Unmarshal": true, "Decode": true, "DecodeElement": true, "Bind": true, "BindJSON": true, "BindQuery": true, "BindXML": true,
	"BindYAML": true, "BindUri": true, "BindHeader": true, "BindWith": true, "ShouldBind": true, "ShouldBindJSON": true,
	"ShouldBindQuery": true, "ShouldBindXML": true, "ShouldBindYAML": true, "ShouldBindUri": true, "ShouldBindHeader": true,
	"ShouldBindWith": true, "ShouldBindBodyWith": true, "BodyParser": true, "QueryParser": true, "ParamsParser": true,
	"ReqHeaderParser": true, "CookieParser": true}

// fillArgs taints the local variables a goFillers call fills (a plain
// name, or &name) when what it reads from is input: its receiver, an
// argument, or a request (a framework context's Bind).
func (f *goFile) fillArgs(e *ast.CallExpr, c goCallee, args []value, sc *scope) {
	if !goFillers[lastName(c.q)] || len(e.Args) == 0 {
		return
	}
	from := value{}
	switch {
	case c.recv.t == tainted:
		from = c.recv
	case c.recv.qual == "$req":
		from = value{t: tainted, source: "r (through " + c.q + ")", srcLine: f.line(f.pos(e))}
	default:
		for _, a := range args {
			if a.t == tainted {
				from = a
				break
			}
		}
	}
	if from.t != tainted {
		return
	}
	for _, a := range e.Args {
		if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
			a = u.X
		}
		id, ok := a.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		old, local := sc.lookup(id.Name)
		if !local || old.t == tainted {
			continue
		}
		sc.assign(id.Name, value{t: tainted, source: from.source, srcLine: from.srcLine, qual: id.Name})
	}
}

// goCallee is what a call's function part says: its qualified name, for a
// call of x.f the selector and x's value, and the span of the name.
type goCallee struct {
	q                  string
	sel                *ast.SelectorExpr // nil unless the function is x.f
	recv               value
	nameStart, nameEnd int
}

// callee evaluates a call's function part: the receiver of a method call,
// the body of a function literal called in place.
func (f *goFile) callee(e *ast.CallExpr, sc *scope) goCallee {
	c := goCallee{q: f.qual(e.Fun, sc), nameStart: f.offset(f.pos(e.Fun)), nameEnd: f.offset(f.end(e.Fun))}
	if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
		c.sel = sel
		c.recv = f.expr(sel.X, sc)
		c.nameStart, c.nameEnd = f.offset(sel.Sel.Pos()), f.offset(sel.Sel.End())
	} else if _, ok := e.Fun.(*ast.FuncLit); ok {
		f.expr(e.Fun, sc)
	}
	return c
}

// fprintToBuilder makes fmt.Fprint*(&b, ...) append what it writes to a
// local builder b.
func fprintToBuilder(e *ast.CallExpr, q string, args []value, sc *scope) {
	if !strings.HasPrefix(q, "fmt.Fprint") || len(e.Args) == 0 {
		return
	}
	u, ok := e.Args[0].(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return
	}
	name, old, ok := localString(u.X, sc)
	if !ok {
		return
	}
	rest := args[1:]
	if q == "fmt.Fprintf" && len(rest) > 0 && rest[0].t == constant {
		rest = numericVerbs(rest)
		sc.assign(name, combine(old, formatted(rest[0], rest[1:], percentVerb)))
	} else {
		sc.assign(name, combine(append([]value{old}, rest...)...))
	}
}

// builderMethod handles a method of a local strings.Builder or
// bytes.Buffer: b.WriteString(x) appends to it; b.String() reads it, and
// is then the call's value (true).
func (f *goFile) builderMethod(e *ast.CallExpr, c goCallee, args []value, sc *scope) (value, bool) {
	if c.sel == nil {
		return value{}, false
	}
	name, old, ok := localString(c.sel.X, sc)
	if !ok {
		return value{}, false
	}
	switch c.sel.Sel.Name {
	case "WriteString", "WriteByte", "WriteRune", "Write":
		sc.assign(name, combine(append([]value{old}, args...)...))
	case "String", "Bytes", "Len":
		f.addSite(site{kind: siteCall, name: c.q, args: args, nameStart: c.nameStart, nameEnd: c.nameEnd}, e, f.pos(e), f.end(e))
		return old, true
	}
	return value{}, false
}

// spreadLast marks the last argument of f(x...) as not a string unless it
// is known: the spread slice stands for every remaining argument.
func spreadLast(e *ast.CallExpr, args []value) {
	if !e.Ellipsis.IsValid() || len(args) == 0 {
		return
	}
	last := args[len(args)-1]
	if last.elems == nil && last.t != constant {
		last.isStr = false
	}
	args[len(args)-1] = last
}

// callByName gives the value of a call whose name says it: a source of
// input, a sanitizer, fmt's formatting functions, append, a string
// operation. False for any other call.
func (f *goFile) callByName(e *ast.CallExpr, q string, args []value, sc *scope) (value, bool) {
	switch {
	case sourceMatch(goSourceSet.compiled(), q) && !goNotSourcesSet.compiled().match(q):
		return value{t: tainted, source: strings.Replace(q, "$req", "r", 1) + "()", srcLine: f.line(f.pos(e))}, true
	case goSanitizersSet.compiled().match(q):
		return value{t: constant}, true
	case q == "fmt.Sprintf" && len(args) > 0 && args[0].t == constant:
		args = numericVerbs(args)
		return formatted(args[0], args[1:], percentVerb), true
	case q == "fmt.Printf" || q == "fmt.Fprintf":
		return f.printfValue(e, q, args), true
	case (q == "net/http.NewRequest" || q == "net/http.NewRequestWithContext" || q == "golang.org/x/net/websocket.NewConfig") && len(args) > 0:
		// The request (or websocket config) made is its URL's: input in
		// the body does not choose where it goes, and a fixed host
		// prefix still says it goes there.
		i := 0
		switch q {
		case "net/http.NewRequest":
			i = 1
		case "net/http.NewRequestWithContext":
			i = 2
		}
		if i < len(args) {
			v := args[i]
			v.qual = q + "()"
			return v, true
		}
	case q == "golang.org/x/crypto/ssh.HostKeyCallback" && len(args) == 1:
		// A conversion: the callback is the function converted.
		return args[0], true
	case goFileReadsSet.compiled().match(q):
		// What a file holds is not the input that named it: a path from
		// the request is the path-traversal rules' business, and the
		// contents are the file's (not reflected XSS when written out).
		return value{t: unknown, qual: q + "()"}, true
	case q == "new" && len(e.Args) == 1 && !goPredeclared[exprName(e.Args[0])]:
		// new(http.Cookie): a struct whose fields are set one by one.
		if _, local := sc.lookup("new"); !local {
			return value{t: constant, elems: []value{}, fields: map[string]string{}, qual: f.qual(e.Args[0], sc) + "{}"}, true
		}
	case q == "append" && len(args) > 0:
		if _, local := sc.lookup("append"); !local {
			return appendValue(args), true
		}
	}
	if goStringOpsSet.compiled().match(q) {
		out := combine(args...)
		if len(args) == 1 {
			out.elems = args[0].elems
		}
		return out, true
	}
	return value{}, false
}

// printfValue is the value of fmt.Printf(format, id) or fmt.Fprintf(w,
// format, id) used as an expression: the result is a byte count, but code
// that uses it as a string meant Sprintf (it does not compile as written,
// or is being written): the value is taken for the text it formats. As a
// statement of its own, it is a constant.
func (f *goFile) printfValue(e *ast.CallExpr, q string, args []value) value {
	if e == f.bare {
		return value{t: constant}
	}
	fa := args
	if q == "fmt.Fprintf" {
		fa = args[min(1, len(args)):]
	}
	if len(fa) > 0 && fa[0].t == constant {
		fa = numericVerbs(fa)
		return formatted(fa[0], fa[1:], percentVerb)
	}
	return value{t: constant}
}

// appendValue is append(parts, x...): the slice now also holds x.
func appendValue(args []value) value {
	out := args[0]
	out.elems = append([]value{}, args[0].elems...)
	for _, a := range args[1:] {
		out.elems = addElem(out.elems, a)
	}
	out.strs = nil
	for _, a := range args[1:] {
		out.worsen(a)
	}
	return out
}

// callResult is the value of any other call: input when its receiver or
// an argument is, or when it is handed the request (getInput(r): a helper
// handed the request returns what it read from it).
func (f *goFile) callResult(e *ast.CallExpr, q string, recv value, args []value) value {
	out := value{t: unknown, qual: q + "()"}
	if recv.t == tainted {
		out.t, out.source, out.srcLine = tainted, recv.source, recv.srcLine
	}
	for i, a := range args {
		if a.t == tainted {
			out.t, out.source, out.srcLine = tainted, a.source, a.srcLine
			break
		}
		if a.qual == "$req" {
			out.t, out.source, out.srcLine = tainted, "r (through "+q+")", f.line(f.pos(e.Args[i]))
		}
	}
	return out
}

// localString reports whether e names a local variable that holds a string
// being built (a strings.Builder or bytes.Buffer), and what it holds.
func localString(e ast.Expr, sc *scope) (string, value, bool) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return "", value{}, false
	}
	v, local := sc.lookup(id.Name)
	return id.Name, v, local && v.isStr
}

// numericVerbs marks as constant the Sprintf arguments formatted with a
// numeric or boolean verb (%d, %x, %f, %t...): the output is digits, which
// cannot change the structure of a query or command.
func numericVerbs(args []value) []value {
	format := args[0].lit
	out := append([]value{}, args...)
	n := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.*[]", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			break
		}
		verb := format[i]
		if verb == '%' {
			continue
		}
		if n < len(out) && strings.IndexByte("dboxXeEfFgGtcU", verb) >= 0 {
			out[n] = value{t: constant, start: out[n].start, end: out[n].end}
		}
		n++
	}
	return out
}
