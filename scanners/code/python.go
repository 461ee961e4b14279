package code

import (
	"context"
	"strings"
)

// pySources are the qualified names whose values come from the request or
// the user: Flask and Django request objects, FastAPI/Starlette requests,
// input() and the command line.
var pySources = []string{
	"flask.request.*", "request.args*", "request.form*", "request.values*", "request.json*",
	"request.data*", "request.files*", "request.cookies*", "request.headers*", "request.GET*",
	"request.POST*", "request.body*", "request.query_params*", "request.path_params*",
	"request.FILES*", "request.COOKIES*", "request.META*", "request.get_json*", "request.stream*",
	"request.get_data*", "request.query_string*", "request.url*", "request.path*", "request.get",
	"self.request.*", "input", "raw_input", "sys.argv*", "sys.stdin*",
	// Tornado's RequestHandler.
	"self.get_argument*", "self.get_arguments*", "self.get_query_argument*", "self.get_query_arguments*", "self.get_body_argument*",
	"self.get_body_arguments*", "self.get_cookie*", "self.path_args*", "self.path_kwargs*",
	// Falcon's Request.
	"req.get_param*", "req.params*", "req.media*", "req.get_media*",
}

// pySanitizers return a value that cannot carry an injection whatever goes
// in (a number, an escaped or quoted string).
var pySanitizers = []string{
	"int", "float", "bool", "len", "abs", "round", "hash", "shlex.quote", "pipes.quote",
	"html.escape", "cgi.escape", "markupsafe.escape", "flask.escape", "escape", "bleach.clean",
	"urllib.parse.quote*", "werkzeug.utils.secure_filename", "secure_filename", "os.path.basename",
	"re.escape", "uuid.*", "django.utils.html.escape", "json.dumps",
	// Templates that escape what they are given: Django's always, Flask's
	// for .html templates; format_html escapes its arguments.
	"django.template.loader.render_to_string", "django.shortcuts.render", "flask.render_template",
	"django.utils.html.format_html",
	// psycopg2.sql composes queries safely: identifiers and literals are quoted.
	"psycopg2.sql.*", "psycopg.sql.*", "sql.SQL", "sql.Identifier", "sql.Literal", "sql.Placeholder", "sql.Composed",
	// A file's content is not its name: a request that picks the file does
	// not write what is in it (the pick is path traversal, reported there).
	"open", "io.open", "codecs.open", "builtins.open", "*.read_text", "*.read_bytes",
}

// pyStringOps build a string from their receiver and arguments.
var pyStringOps = map[string]bool{
	"format": true, "join": true, "replace": true, "strip": true, "lstrip": true, "rstrip": true,
	"lower": true, "upper": true, "encode": true, "decode": true, "split": true, "get": true,
	"getlist": true, "title": true, "capitalize": true, "format_map": true, "casefold": true,
}

// pyBuilders are the expressions that can build a string.
var pyBuilders = map[string]bool{"binary_operator": true, "string": true, "call": true, "concatenated_string": true}

// pyStatements are walked as statements; everything else is an expression.
var pyStatements = map[string]bool{
	"module": true, "block": true, "if_statement": true, "elif_clause": true, "else_clause": true,
	"while_statement": true, "try_statement": true, "except_clause": true, "finally_clause": true,
	"return_statement": true, "expression_statement": true, "with_clause": true, "match_statement": true,
	"case_clause": true, "raise_statement": true, "assert_statement": true, "delete_statement": true,
	"print_statement": true, "exec_statement": true, "except_group_clause": true,
}

type pyFile struct {
	walker
	// classes are the classes whose body is being walked, outermost
	// first, each as "Name(base, ...)".
	classes []string
	// cls is the class whose body (inClass) or method is being walked.
	cls     string
	inClass bool
	// named are a module's other names for an imported callable or a
	// method: E = jinja2.Environment, run = app.run, put = requests.put.
	named map[string]string
	// view marks the body of a Flask (or Bottle) view being walked: what
	// it returns is the response's body, sent as text/html.
	view, nextView bool
}

// pyViewReturn names the site a view's returned body makes.
const pyViewReturn = "$view.return"

func parsePython(ctx context.Context, src []byte, wants func(*site) bool) (*unit, []int, error) {
	f := &pyFile{walker: newWalker(ctx, "python", src)}
	f.wants = wants
	f.evaluate, f.builders, f.sourceSet, f.sanitizerSet = f.eval, pyBuilders, pySourceSet.compiled(), pySanitizerSet.compiled()
	f.link, f.shape = f.chainLink, pyShape
	return f.walk(ctx, "python", f.stmt)
}

func (f *pyFile) stmt(n *node, sc *scope) {
	if n == nil || !f.enter() {
		return
	}
	defer f.leave()
	switch n.kind {
	case "comment":
	case "import_statement":
		for _, c := range n.childrenOf("name") {
			switch c.kind {
			case "dotted_name":
				name := c.str(f.text)
				f.u.imports[name] = true
				root := rootName(name)
				f.aliases[root] = root
			case "aliased_import":
				name := c.child("name").str(f.text)
				f.u.imports[name] = true
				f.aliases[c.child("alias").str(f.text)] = name
			}
		}
	case "import_from_statement":
		mod := n.child("module_name").str(f.text)
		f.u.imports[mod] = true
		for _, c := range n.childrenOf("name") {
			switch c.kind {
			case "dotted_name":
				name := c.str(f.text)
				f.aliases[rootName(name)] = mod + "." + name
			case "aliased_import":
				f.aliases[c.child("alias").str(f.text)] = mod + "." + c.child("name").str(f.text)
			}
		}
	case "future_import_statement":
	case "decorated_definition":
		route := false
		for _, d := range n.childrenOf("") {
			if d.kind == "decorator" {
				t := d.str(f.text)
				for _, m := range []string{".route(", ".get(", ".post(", ".put(", ".delete(", ".patch(", "api_view"} {
					if strings.Contains(t, m) && !testDecorator(f.resolve(decoratorCallee(t))) {
						route = true
					}
				}
				f.expr(d, sc)
				f.decorator(d, n)
			}
		}
		def := n.child("definition")
		if def != nil && def.kind == "function_definition" {
			// FastAPI and the like send a returned str as JSON.
			f.nextView = route && (f.u.imports["flask"] || f.u.imports["bottle"] || f.u.imports["quart"])
			f.function(def, sc, route)
		} else {
			f.stmt(def, sc)
		}
	case "function_definition":
		f.function(n, sc, false)
	case "class_definition":
		savedCls, savedIn := f.cls, f.inClass
		if nn := n.child("name"); nn != nil {
			f.cls = nn.str(f.text)
		}
		f.inClass = true
		f.class(n, sc)
		f.cls, f.inClass = savedCls, savedIn
	case "return_statement":
		for _, c := range n.namedChildren() {
			if c.kind != "comment" {
				v := f.expr(c, sc)
				f.ip.returned(v)
				f.viewReturn(n, c, v, sc)
			}
		}
	case "assignment":
		f.assign(n, sc)
	case "augmented_assignment":
		left := n.child("left")
		saved := f.target
		f.target = left.str(f.text)
		rv := f.expr(n.child("right"), sc)
		f.target = saved
		if left.kind == "identifier" {
			old, _ := sc.lookup(left.str(f.text))
			v := combine(old, rv)
			if op := n.child("operator").str(f.text); op != "+=" && op != "%=" {
				// lookup |= Q(...), n *= 2: not a string being built.
				v.isStr = false
			}
			sc.set(left.str(f.text), v)
		}
	case "if_statement":
		conditional(n, sc, f.stmt)
	case "for_statement":
		rv := f.expr(n.child("right"), sc)
		f.bind(n.child("left"), rv, sc)
		f.stmt(n.child("body"), sc)
		f.stmt(n.child("alternative"), sc)
	case "with_statement":
		for _, c := range n.children {
			if c.kind == "with_clause" {
				for _, item := range c.namedChildren() {
					f.withItem(item, sc)
				}
			} else if c.field == "body" {
				f.stmt(c, sc)
			}
		}
	default:
		if pyStatements[n.kind] || strings.HasSuffix(n.kind, "_statement") {
			for _, c := range n.children {
				if c.named {
					f.stmt(c, sc)
				}
			}
			return
		}
		f.expr(n, sc)
	}
}

// class walks a class's body, its name and bases on f.classes meanwhile.
func (f *pyFile) class(n *node, sc *scope) {
	var bases []string
	if sup := n.child("superclasses"); sup != nil {
		for _, b := range sup.namedChildren() {
			if b.kind == "identifier" || b.kind == "attribute" {
				bases = append(bases, f.qual(b))
			}
		}
	}
	name := "?"
	if nn := n.child("name"); nn != nil {
		name = nn.str(f.text)
	}
	f.classes = append(f.classes, clipName(name+"("+strings.Join(bases, ", ")+")"))
	f.stmt(n.child("body"), sc)
	f.classes = f.classes[:len(f.classes)-1]
}

// decorator records a decorator of the decorated definition dd that is a
// plain name, not a call (@csrf_exempt), as a call site named "@" and its
// qualified name, in the decorated function and spanning it (defStart,
// defEnd): a decorator call (@app.route("/")) is a call site already.
func (f *pyFile) decorator(d, dd *node) {
	e := d.firstNamed("")
	if e == nil || (e.kind != "identifier" && e.kind != "attribute") {
		return
	}
	fn := f.fn
	if def := dd.child("definition"); def != nil && def.kind == "function_definition" {
		if nn := def.child("name"); nn != nil {
			fn = nn.str(f.text)
		}
	}
	f.add(site{kind: siteCall, name: "@" + f.qual(e), fn: fn, defStart: dd.s(), defEnd: dd.e()}, d, d, e)
}

func (f *pyFile) withItem(item *node, sc *scope) {
	v := item.child("value")
	if v == nil {
		return
	}
	if v.kind == "as_pattern" {
		var inner *node
		for _, c := range v.children {
			if c.named && c.kind != "as_pattern_target" && c.field != "alias" {
				inner = c
				break
			}
		}
		val := f.expr(inner, sc)
		if alias := v.child("alias"); alias != nil {
			f.bind(alias.firstNamed(""), val, sc)
			if alias.kind == "identifier" {
				f.bind(alias, val, sc)
			}
		}
		return
	}
	f.expr(v, sc)
}

func (f *pyFile) function(n *node, outer *scope, route bool) {
	sc := newScope(f.module)
	if outer != f.module {
		sc.parent = outer
	}
	name := n.child("name").str(f.text)
	params := n.child("parameters")
	var names []string
	for _, p := range params.namedChildren() {
		var id *node
		switch p.kind {
		case "identifier":
			id = p
		case "typed_parameter":
			id = p.firstNamed("identifier")
		case "default_parameter", "typed_default_parameter":
			id = p.child("name")
			f.expr(p.child("value"), sc)
		case "list_splat_pattern", "dictionary_splat_pattern":
			id = p.firstNamed("identifier")
		}
		if id != nil {
			names = append(names, id.str(f.text))
		}
	}
	// A test (test_orders(request, client)) is no view, whatever its
	// parameters are called: pytest hands them fixtures.
	route = (route || f.djangoView(name, names)) && !strings.HasPrefix(name, "test")
	key, skip := name, 0
	cls, inClass := f.cls, f.inClass
	if inClass && cls != "" {
		key = cls + "." + name
		if len(names) > 0 && (names[0] == "self" || names[0] == "cls") {
			skip = 1
		}
	}
	leave := f.ip.enterFn(n, key, names, skip, func() {
		savedCls, savedIn := f.cls, f.inClass
		f.cls, f.inClass = cls, inClass
		f.function(n, f.module, route)
		f.cls, f.inClass = savedCls, savedIn
	})
	defer leave()
	for i, pn := range names {
		v := value{t: unknown, qual: pn}
		if route && pn != "self" && pn != "request" {
			v = value{t: tainted, source: "route parameter " + pn}
		}
		if pn == "event" && i+1 < len(names) && names[i+1] == "context" {
			v = value{t: tainted, source: "event"}
		}
		sc.set(pn, f.ip.param(i, v))
	}
	savedFn, savedView := f.fn, f.view
	f.fn, f.view, f.nextView = name, f.nextView, false
	f.inClass = false
	f.stmt(n.child("body"), sc)
	f.fn, f.view = savedFn, savedView
	f.inClass = inClass
}

// viewReturn records what a Flask view returns (e, worth v) as a call site
// named pyViewReturn whose argument is the response's body: the value
// itself, or the first of (body, status); a tuple that also gives headers
// may set another content type and is left alone.
func (f *pyFile) viewReturn(ret, e *node, v value, sc *scope) {
	if !f.view {
		return
	}
	if e.kind == "expression_list" || e.kind == "tuple" {
		items := e.namedChildren()
		if len(items) != 2 {
			return
		}
		v = f.expr(items[0], sc)
	}
	f.add(site{kind: siteCall, name: pyViewReturn, args: []value{v}, fn: f.fn, target: f.target}, ret, ret, ret)
}

// localKey returns the key a call of fn names a function of the file by
// (summary.go): a plain name that is neither imported nor a variable, or
// self.m / cls.m in a method of a class.
func (f *pyFile) localKey(fn *node, sc *scope) string {
	switch {
	case fn == nil:
	case fn.kind == "identifier":
		name := fn.str(f.text)
		if q, imported := f.aliases[name]; imported {
			// from .helpers import fetch: a function of another file
			// of the change, maybe (crossfile.go).
			if i := strings.LastIndexByte(q, '.'); i > 0 && i < len(q)-1 {
				return importKey(q[:i], q[i+1:])
			}
			return ""
		}
		if _, local := sc.lookup(name); local {
			return ""
		}
		return name
	case fn.kind == "attribute" && f.isModule(fn):
		// import helpers; helpers.fetch(x).
		if q := f.qual(fn); strings.Count(q, ".") >= 1 {
			i := strings.LastIndexByte(q, '.')
			return importKey(q[:i], q[i+1:])
		}
	case fn.kind == "attribute" && f.cls != "":
		obj := fn.child("object")
		if obj != nil && obj.kind == "identifier" && (obj.str(f.text) == "self" || obj.str(f.text) == "cls") {
			return f.cls + "." + fn.child("attribute").str(f.text)
		}
	}
	return ""
}

// djangoView reports whether the function name with parameters names is a
// view whose parameters after the request are captured from the URL: in a
// file that imports Django, a module's function whose first parameter is
// request, or a handler method (get, post...) of a class based on a Django
// view; in one that imports Tornado, a handler method of a RequestHandler.
// decoratorCallee is the dotted name a decorator's text calls or names:
// "mock.patch" for @mock.patch("a.b").
func decoratorCallee(t string) string {
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "@"))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	return strings.TrimSpace(t)
}

// testDecorator reports whether the decorator q (resolved) comes from a
// test library: @mock.patch(...) replaces a name for a test, it routes
// nothing, and a test function's parameters are fixtures.
func testDecorator(q string) bool {
	switch rootName(q) {
	case "mock", "unittest", "pytest", "pytest_mock", "responses", "freezegun", "hypothesis":
		return true
	}
	return false
}

func (f *pyFile) djangoView(name string, names []string) bool {
	django, tornado := false, false
	for imp := range f.u.imports {
		switch root := rootName(imp); root {
		case "django", "rest_framework":
			django = true
		case "tornado":
			tornado = true
		}
	}
	handler := false
	switch name {
	case "get", "post", "put", "patch", "delete", "head":
		handler = true
	}
	switch {
	case !django && !tornado:
		return false
	case len(f.classes) == 0 && f.fn == "":
		return django && len(names) >= 2 && names[0] == "request"
	case len(f.classes) > 0 && f.fn == "" && handler:
		cls := f.classes[len(f.classes)-1]
		if tornado && len(names) >= 2 && names[0] == "self" && strings.Contains(cls, "tornado.") && strings.Contains(cls, "Handler") {
			return true
		}
		return django && len(names) >= 3 && names[0] == "self" && names[1] == "request" &&
			(strings.Contains(cls, "django.") || strings.Contains(cls, "rest_framework.")) && strings.Contains(cls, "View")
	}
	return false
}

func (f *pyFile) assign(n *node, sc *scope) {
	// a = b = c: each target is an assignment of its own, one level down.
	if !f.enter() {
		return
	}
	defer f.leave()
	left := n.child("left")
	right := n.child("right")
	saved := f.target
	if left != nil {
		f.target = left.str(f.text)
	}
	if right == nil {
		f.target = saved
		return
	}
	var rv value
	if right.kind == "assignment" {
		f.assign(right, sc)
		rv = f.expr(right.child("left"), sc)
	} else {
		rv = f.expr(right, sc)
	}
	f.target = saved
	// dynamic_os = __import__("os"); run = getattr(os, "system")
	if left != nil && left.kind == "identifier" && right.kind == "call" {
		if q, ok := f.dynamicName(right); ok {
			f.aliases[left.str(f.text)] = q
		}
	}
	// E = Environment, runapp = app.run, f = eval: a call of E is one of
	// jinja2.Environment. Only a name or an attribute of one, never
	// input, and only where the name is not imported itself; a function's
	// names are its own, and an assignment of anything else forgets one.
	if left != nil && left.kind == "identifier" && len(f.classes) == 0 {
		name := left.str(f.text)
		key := f.fn + "\x00" + name
		delete(f.named, key)
		if f.namesCallable(right) {
			if q := f.qual(right); q != "?" && q != name && !strings.ContainsAny(q, "()[]\"") {
				if _, src := f.source(q, right); !src {
					if _, imported := f.aliases[name]; !imported {
						if f.named == nil {
							f.named = map[string]string{}
						}
						f.named[key] = q
					}
				}
			}
		}
	}
	if left != nil && left.kind == "attribute" {
		if key := f.fieldKey(left, sc); key != "" {
			sc.assign(key, rv)
		}
		attr := left.child("attribute")
		f.addValue(site{kind: siteAssign, name: attr.str(f.text), container: f.qual(left.child("object")), fn: f.fn}, rv,
			left, right, attr)
	}
	// app.config["DEBUG"] = True: an assignment to a constant key.
	if left != nil && left.kind == "subscript" {
		if keys := left.childrenOf("subscript"); len(keys) == 1 && keys[0].kind == "string" {
			if k := f.str(keys[0], sc); k.t == constant {
				f.addValue(site{kind: siteAssign, name: k.lit, container: f.qual(left.child("value")), fn: f.fn}, rv, left, right, keys[0])
			}
		}
	}
	// DEBUG = True in a module, fields = "__all__" in a class: settings.
	if left != nil && left.kind == "identifier" && f.fn == "" {
		f.addValue(site{kind: siteAssign, name: left.str(f.text), container: strings.Join(f.classes, "."), fn: f.fn}, rv, left, right, left)
	}
	if left != nil && left.kind == "identifier" {
		f.randomCopy(left.str(f.text), rv, left, right)
	}
	f.bind(left, rv, sc)
}

// bind records what a target of an assignment now holds.
func (f *pyFile) bind(left *node, v value, sc *scope) {
	if left == nil || !f.enter() {
		return
	}
	defer f.leave()
	switch left.kind {
	case "identifier":
		sc.set(left.str(f.text), v)
	case "pattern_list", "tuple_pattern", "list_pattern", "tuple", "list":
		for _, c := range left.namedChildren() {
			el := v
			el.lit, el.strs, el.isStr = "", nil, false
			if el.t == constant {
				el.t = unknown
			}
			f.bind(c, el, sc)
		}
	}
}

// qual returns the qualified name of an expression used as a callee or an
// attribute chain, with imports resolved. It follows the chain down in a
// loop and builds the name back up.
func (f *pyFile) qual(n *node) string {
	var links []*node
	q := "?"
	for n != nil {
		if m, ok := f.quals[n]; ok {
			q = m
			break
		}
		var next *node
		terminal := true
		switch n.kind {
		case "identifier":
			name := n.str(f.text)
			q = f.resolve(name)
			if q == name {
				if m, ok := f.named[f.fn+"\x00"+name]; ok {
					q = m
				} else if m, ok := f.named["\x00"+name]; ok {
					q = m
				}
			}
		case "attribute":
			next, terminal = n.child("object"), false
		case "call":
			if dq, ok := f.dynamicName(n); ok {
				q = dq
			} else {
				next, terminal = n.child("function"), false
			}
		case "subscript":
			next, terminal = n.child("value"), false
		case "parenthesized_expression":
			next, terminal = n.firstNamed(""), false
		case "string":
			q = "\"\""
		}
		if terminal {
			break
		}
		links = append(links, n)
		n = next
	}
	for i := len(links) - 1; i >= 0; i-- {
		m := links[i]
		switch m.kind {
		case "attribute":
			q += "." + m.child("attribute").str(f.text)
		case "call":
			q += "()"
		case "subscript":
			q += "[]"
		}
		q = clipName(q)
		if f.building {
			f.quals[m] = q
		}
	}
	return q
}

// chainLink is the walker's link for Python: what eval evaluates first in a
// binary operator, an attribute, a subscript, a call or parentheses, unless
// it stops before (an input source, a module constant, a remembered field).
func (f *pyFile) chainLink(n *node, sc *scope) *node {
	switch n.kind {
	case "attribute":
		q := f.qual(n)
		if _, ok := f.source(q, n); ok && !f.shadowed(n, sc) {
			return nil
		}
		if attr := n.child("attribute").str(f.text); isConstName(attr) && f.isModule(n.child("object")) {
			return nil
		}
		if q == "os.environ" {
			return nil
		}
		if key := f.fieldKey(n, sc); key != "" {
			if _, ok := sc.lookup(key); ok {
				return nil
			}
		}
	case "call":
		f.qual(n.child("function"))
	}
	return pyShape(n)
}

// shadowed reports whether the name an attribute chain starts from is a
// local variable holding something else than the input source of the same
// name: `request = http.request("GET", url)` makes request.data a response
// body, not Django's or Flask's request. A parameter named request keeps
// its name as its value, and stays the source.
func (f *pyFile) shadowed(n *node, sc *scope) bool {
	for n != nil && n.kind == "attribute" {
		n = n.child("object")
	}
	if n == nil || n.kind != "identifier" {
		return false
	}
	name := n.str(f.text)
	v, ok := sc.lookup(name)
	return ok && v.t != tainted && v.qual != name
}

// pyShape is chainLink by kind alone.
func pyShape(n *node) *node {
	switch n.kind {
	case "binary_operator":
		return n.child("left")
	case "attribute":
		return n.child("object")
	case "subscript":
		return n.child("value")
	case "parenthesized_expression":
		return n.firstNamed("")
	case "call":
		fn := n.child("function")
		switch {
		case fn == nil || fn.kind == "identifier":
			return nil
		case fn.kind == "attribute":
			return fn.child("object")
		}
		return fn
	}
	return nil
}

// eval evaluates an expression node, one family of node kinds per helper.
func (f *pyFile) eval(n *node, sc *scope) value {
	switch n.kind {
	case "string", "concatenated_string", "integer", "float", "true", "false", "none", "comment":
		return f.literal(n, sc)
	case "identifier":
		return f.identifier(n, sc)
	case "attribute":
		return f.attribute(n, sc)
	case "subscript":
		return f.subscript(n, sc)
	case "call":
		return f.callExpr(n, sc)
	case "binary_operator":
		return f.binaryOperator(n, sc)
	case "await", "not_operator", "unary_operator", "boolean_operator", "comparison_operator":
		return f.operator(n, sc)
	case "list", "tuple", "set", "expression_list":
		return f.list(n.namedChildren(), sc)
	case "dictionary":
		return f.dictionary(n, sc)
	case "list_comprehension", "generator_expression", "set_comprehension", "dictionary_comprehension":
		return f.anyInput(n.namedChildren(), sc)
	case "assignment", "named_expression", "keyword_argument", "parenthesized_expression", "conditional_expression", "lambda":
		return f.passThrough(n, sc)
	}
	return f.anyInput(n.namedChildren(), sc)
}

// literal evaluates a literal: a string (built from its parts), a number,
// True, False, None; a comment is a constant with nothing in it.
func (f *pyFile) literal(n *node, sc *scope) value {
	switch n.kind {
	case "string":
		return f.str(n, sc)
	case "concatenated_string":
		return f.concatenated(n, sc)
	case "integer", "float":
		return value{t: constant, lit: n.str(f.text)}
	case "true":
		return value{t: constant, lit: "True"}
	case "false":
		return value{t: constant, lit: "False"}
	case "none":
		return value{t: constant, lit: "None"}
	}
	return value{t: constant}
}

// concatenated evaluates "a" "b" "c"...: built one part at a time, as
// a + b + c is.
func (f *pyFile) concatenated(n *node, sc *scope) value {
	var out value
	for i, c := range n.namedChildren() {
		if i == 0 {
			out = combine(f.expr(c, sc))
		} else {
			out = combine(out, f.expr(c, sc))
		}
	}
	if out.parts == nil {
		return combine()
	}
	return out
}

// attribute evaluates obj.attr: a known source, a module's constant,
// os.environ itself, a field assigned earlier, or what obj carries.
func (f *pyFile) attribute(n *node, sc *scope) value {
	q := f.qual(n)
	if v, ok := f.source(q, n); ok && !f.shadowed(n, sc) {
		return v
	}
	if attr := n.child("attribute").str(f.text); isConstName(attr) && f.isModule(n.child("object")) {
		return value{t: constant, lit: q, qual: q}
	}
	if q == "os.environ" {
		return value{t: constant, qual: q}
	}
	if key := f.fieldKey(n, sc); key != "" {
		if v, ok := sc.lookup(key); ok {
			return v
		}
	}
	obj := f.expr(n.child("object"), sc)
	if obj.t == tainted {
		v := fromInput(obj)
		v.qual = q
		return v
	}
	return value{t: unknown, qual: q}
}

// subscript evaluates obj[i]: input when obj is input. The index is
// evaluated for the sinks inside it.
func (f *pyFile) subscript(n *node, sc *scope) value {
	obj := f.expr(n.child("value"), sc)
	for _, c := range n.childrenOf("subscript") {
		f.expr(c, sc)
	}
	if obj.t == tainted {
		return fromInput(obj)
	}
	return value{t: unknown, qual: f.qual(n), weakRand: obj.weakRand}
}

// binaryOperator evaluates l op r: "fmt" % args formats, + and % combine
// strings, any other operator combines into a non-string.
func (f *pyFile) binaryOperator(n *node, sc *scope) value {
	l := f.expr(n.child("left"), sc)
	r := f.expr(n.child("right"), sc)
	op := n.child("operator").str(f.text)
	if op == "%" && l.t == constant && l.isStr {
		args := []value{r}
		if rn := n.child("right"); rn != nil && rn.kind == "tuple" && r.elems != nil {
			args = r.elems
		}
		return formattedStrict(l, args, percentVerb, numericVerbsStrict)
	}
	if op == "+" || op == "%" {
		return combine(l, r)
	}
	out := combine(l, r)
	out.isStr = false
	return out
}

// operator evaluates a unary, boolean or comparison operator: the worst of
// its operands. await x is x, evaluated once: evaluating it again for its
// value would double the work with each nested await (a hostile file of
// forty of them would never finish).
func (f *pyFile) operator(n *node, sc *scope) value {
	if n.kind == "await" {
		if c := n.firstNamed(""); c != nil {
			return f.expr(c, sc)
		}
	}
	out := value{t: constant}
	for _, c := range n.namedChildren() {
		if cv := f.expr(c, sc); cv.t > out.t {
			out = value{t: cv.t, source: cv.source}
		}
	}
	return out
}

// dictionary evaluates {k: v, ...}: its string keys with constant values
// become fields, and each pair is a site rules can match by key name.
func (f *pyFile) dictionary(n *node, sc *scope) value {
	out := value{t: constant, fields: map[string]string{}}
	for _, p := range n.namedChildren() {
		if p.kind != "pair" {
			f.expr(p, sc)
			continue
		}
		k := f.expr(p.child("key"), sc)
		pv := f.expr(p.child("value"), sc)
		out.worsen(pv)
		if k.t == constant && k.isStr {
			if pv.t == constant && len(out.fields) < maxElems {
				out.fields[strings.ToLower(k.lit)] = pv.lit
			}
			f.addValue(site{kind: sitePair, name: k.lit, container: f.call, fn: f.fn, target: f.target}, pv, p, p, p.child("key"))
		}
	}
	return out
}

// passThrough evaluates the nodes whose value is one of their children's
// (or unknown): assignments, keyword arguments, parentheses, x if c else y,
// lambdas.
func (f *pyFile) passThrough(n *node, sc *scope) value {
	switch n.kind {
	case "assignment":
		f.assign(n, sc)
		return value{t: unknown}
	case "named_expression":
		v := f.expr(n.child("value"), sc)
		f.bind(n.child("name"), v, sc)
		return v
	case "keyword_argument":
		return f.expr(n.child("value"), sc)
	case "parenthesized_expression":
		return f.expr(n.firstNamed(""), sc)
	case "conditional_expression":
		if vals := f.exprs(n.namedChildren(), sc); len(vals) == 3 {
			return worst(vals[0], vals[2])
		}
	}
	return value{t: unknown}
}

// str evaluates a string literal; an f-string is built from its parts.
func (f *pyFile) str(n *node, sc *scope) value {
	var parts []value
	interp := false
	for _, c := range n.children {
		switch c.kind {
		case "string_content", "escape_sequence":
			parts = append(parts, value{t: constant, isStr: true, lit: c.str(f.text), raw: c.str(f.text), rawOK: true, start: c.s(), end: c.e()})
		case "interpolation":
			interp = true
			parts = append(parts, f.expr(c.child("expression"), sc))
		}
	}
	if !interp {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(p.lit)
		}
		v := value{t: constant, isStr: true, lit: b.String(), raw: b.String(), origin: n.s() + 1}
		// A plain '...' or "..." literal (no prefix, not triple-quoted) can be
		// rewritten by a fix.
		if t := n.str(f.text); len(t) >= 2 && (t[0] == '\'' || t[0] == '"') && !strings.HasPrefix(t, `"""`) && !strings.HasPrefix(t, "'''") {
			v.rawOK = true
		}
		return v
	}
	if t := n.str(f.text); !strings.HasPrefix(t, "f'") && !strings.HasPrefix(t, `f"`) {
		// rf'', f'''...''': leave them alone.
		for i := range parts {
			parts[i].rawOK = false
		}
	}
	return combine(parts...)
}

func (f *pyFile) callExpr(n *node, sc *scope) value {
	fn := n.child("function")
	q := f.qual(fn)
	var recv value
	nameNode := fn
	if fn != nil && fn.kind == "attribute" {
		recv = f.expr(fn.child("object"), sc)
		nameNode = fn.child("attribute")
	} else if fn != nil && fn.kind != "identifier" {
		recv = f.expr(fn, sc)
	}
	savedCall := f.call
	f.call = q
	var args []value
	var kwargs map[string]value // made at the first keyword: most calls have none
	if al := n.child("arguments"); al != nil {
		for _, a := range al.namedChildren() {
			switch a.kind {
			case "keyword_argument":
				if kwargs == nil {
					kwargs = map[string]value{}
				}
				kwargs[a.child("name").str(f.text)] = f.expr(a.child("value"), sc)
			case "comment":
			case "dictionary_splat":
				// f(**data): kept as the keyword "**", but not as an
				// argument the call's result is derived from.
				// A dict literal or comprehension picks its keys here.
				inner := a.firstNamed("")
				v := f.expr(inner, sc)
				if inner != nil && inner.kind != "dictionary" && inner.kind != "dictionary_comprehension" {
					if kwargs == nil {
						kwargs = map[string]value{}
					}
					kwargs["**"] = v
				}
			case "list_splat":
				args = addElem(args, f.expr(a.firstNamed(""), sc))
			default:
				args = addElem(args, f.expr(a, sc))
			}
		}
	}
	f.call = savedCall
	call := site{kind: siteCall, name: q, args: args, kwargs: kwargs, fn: f.fn, target: f.target}
	if fn != nil && fn.kind == "attribute" {
		call.recv = receiverOf(recv)
	}
	f.add(call, n, n, nameNode)
	if v, ok := f.knownCall(q, n); ok && (v.t != tainted || !f.shadowed(fn, sc)) {
		v.weakRand = v.weakRand || randomCarried(q, recv, args)
		return v
	}
	if v, ok := f.ip.call(f.localKey(fn, sc), args, kwargs, f.fn, n.line(), n.s(), n.e()); ok {
		return v
	}
	if msg, ok := pyTranslated(q, args); ok {
		// _("<a href='{}'>help</a>"): a translation of the program's own
		// text, as constant as the text.
		return msg
	}
	if pyRecordReadsSet.compiled().match(q) {
		// get_object_or_404(Document, id=doc_id): the record found, not
		// the id that chose it (doc.file is the site's own file).
		return value{t: unknown, qual: q + "()"}
	}
	method := lastName(q)
	all := append([]value{}, args...)
	for k, v := range kwargs {
		if k != "**" {
			all = append(all, v)
		}
	}
	if fn != nil && fn.kind == "attribute" {
		f.addsTo(fn.child("object"), method, all, sc)
	}
	if fn != nil && fn.kind == "attribute" && pyStringOps[method] {
		if recv.t == constant && recv.isStr && method == "format" {
			if len(kwargs) > 0 {
				// Named placeholders do not pair with arguments by position.
				return formatted(recv, all, namedVerb)
			}
			return formattedStrict(recv, args, braceVerb, numericVerbsStrict)
		}
		out := combine(append([]value{recv}, all...)...)
		if method == "get" || method == "getlist" {
			if recv.t == tainted {
				return fromInput(recv)
			}
			return value{t: unknown, qual: q}
		}
		return out
	}
	if q == "str" && len(args) == 1 {
		v := args[0]
		v.scalar = true
		return v
	}
	return opaqueCall(q, recv, all)
}

// pyTranslated returns the message a gettext-family call translates when
// it is a constant (gettext, gettext_lazy, pgettext's message after its
// context, ngettext's singular when both forms are constant): the
// program's own text in another language.
func pyTranslated(q string, args []value) (value, bool) {
	name := q
	if i := strings.LastIndexByte(q, '.'); i >= 0 {
		if mod := q[:i]; mod != "django.utils.translation" && mod != "gettext" && mod != "flask_babel" && mod != "babel" {
			return value{}, false
		}
		name = q[i+1:]
	}
	first := 0
	switch name {
	case "_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "lazy_gettext", "gettext_noop", "ugettext_noop":
	case "pgettext", "pgettext_lazy":
		first = 1
	case "ngettext", "ngettext_lazy", "ungettext", "ungettext_lazy":
		if len(args) < 2 || args[1].t != constant || !args[1].isStr {
			return value{}, false
		}
	default:
		return value{}, false
	}
	if len(args) <= first || args[first].t != constant || !args[first].isStr {
		return value{}, false
	}
	return value{t: constant, isStr: true, lit: args[first].lit, qual: q + "()"}, true
}

// pyRecordReads are Django's and SQLAlchemy's reads of records, whose
// results are the records found, not the input that chose them: any
// method of a Django manager or a queryset made from one (a custom
// manager's Release.objects.current(lang) too).
var pyRecordReads = []string{"django.shortcuts.get_object_or_404", "django.shortcuts.get_list_or_404", "get_object_or_404",
	"get_list_or_404", "*.objects.*", "*.query.get", "*.query.get_or_404", "*.query.filter_by().first",
	"*.query.filter_by().first_or_404", "*.query.filter().first", "*.query.filter().first_or_404", "*.get_or_404", "*.first_or_404"}

// pyCodeBuiltins are builtins that run or load code, whose other names
// (f = eval) matter.
var pyCodeBuiltins = map[string]bool{"eval": true, "exec": true, "compile": true, "__import__": true, "execfile": true}

// namesCallable reports whether n, the right side of an assignment, may
// name a callable by another name: an imported name (Environment), a
// builtin that runs code (eval) or a module's or object's attribute
// (app.run), not a constant, a call or a plain variable.
func (f *pyFile) namesCallable(n *node) bool {
	switch n.kind {
	case "identifier":
		name := n.str(f.text)
		_, ok := f.aliases[name]
		return ok || pyCodeBuiltins[name]
	case "attribute":
		for n != nil && n.kind == "attribute" {
			n = n.child("object")
		}
		return n != nil && n.kind == "identifier"
	}
	return false
}

// isModule reports whether n names an imported module (or an attribute of
// one): os in os.P_WAIT.
func (f *pyFile) isModule(n *node) bool {
	for n != nil && n.kind == "attribute" {
		n = n.child("object")
	}
	if n == nil || n.kind != "identifier" {
		return false
	}
	_, ok := f.aliases[n.str(f.text)]
	return ok
}

// dynamicName resolves the dynamic spellings of a module or attribute:
// __import__("os"), importlib.import_module("os"), getattr(os, "system").
func (f *pyFile) dynamicName(call *node) (string, bool) {
	fn := call.child("function")
	al := call.child("arguments")
	if fn == nil || al == nil {
		return "", false
	}
	args := al.namedChildren()
	lit := func(n *node) (string, bool) {
		if n == nil || n.kind != "string" || len(n.namedChildren()) > 3 {
			return "", false
		}
		for _, c := range n.children {
			if c.kind == "interpolation" {
				return "", false
			}
		}
		t := n.str(f.text)
		if len(t) < 2 || (t[0] != '"' && t[0] != '\'') {
			return "", false
		}
		return t[1 : len(t)-1], true
	}
	// Only a name or a module's member can be one of these: a longer
	// callee (a.b().c) is not asked its name, which would walk it again
	// for every call along it.
	if fn.kind != "identifier" && (fn.kind != "attribute" || fn.child("object") == nil || fn.child("object").kind != "identifier") {
		return "", false
	}
	switch f.qual(fn) {
	case "__import__", "importlib.import_module":
		if len(args) >= 1 {
			return lit(args[0])
		}
	case "getattr":
		if len(args) >= 2 {
			if name, ok := lit(args[1]); ok {
				// getattr(getattr(getattr(... nests: each level is
				// one level deeper.
				if !f.enter() {
					return "", false
				}
				defer f.leave()
				return f.qual(args[0]) + "." + name, true
			}
		}
	}
	return "", false
}
