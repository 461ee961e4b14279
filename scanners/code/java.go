package code

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// javaSources are the qualified names whose values come from the request
// (Servlet API) or the command line.
var javaSources = []string{
	"*.getParameter", "*.getParameterValues", "*.getParameterMap", "*.getHeader", "*.getHeaders", "*.getQueryString",
	"*.getCookies", "*.getRequestURI", "*.getRequestURL", "*.getInputStream", "*.getReader", "*.getPathInfo",
	"*.getServletPath", "*.getRemoteUser", "*.getPart", "*.getParts",
	// Servlet names, JAX-RS UriInfo and HttpHeaders, Play's request.
	"*.getParameterNames", "*.getHeaderNames", "*.getQueryParameters", "*.getPathParameters", "*.getRequestHeaders",
	"*.getRequestHeader", "*.getHeaderString", "*.queryString",
	// A peer's name by reverse DNS: whoever controls the address's PTR
	// record writes it (InetAddress, a socket's address, the servlet
	// client's host).
	"*.getHostName", "*.getCanonicalHostName", "*.getRemoteHost",
}

// javaNotSources are names javaSources' globs take that are not input:
// this machine's own name.
var javaNotSources = []string{"*getLocalHost().*", "*getLoopbackAddress().*"}

// javaSanitizers return values that cannot carry an injection.
var javaSanitizers = []string{
	"Integer.parseInt", "Integer.valueOf", "Long.parseLong", "Long.valueOf", "Double.parseDouble", "Boolean.parseBoolean",
	"java.util.UUID.fromString", "UUID.fromString", "*.escapeHtml*", "*.escapeSql", "*.encodeForHTML", "*.encodeForSQL",
	"org.apache.commons.io.FilenameUtils.getName", "FilenameUtils.getName", "java.net.URLEncoder.encode", "URLEncoder.encode",
	"*.htmlEscape",
}

// javaStringOps build a string from their receiver and arguments.
var javaStringOps = map[string]bool{
	"concat": true, "format": true, "formatted": true, "join": true, "replace": true, "replaceAll": true, "trim": true,
	"strip": true, "toLowerCase": true, "toUpperCase": true, "substring": true, "toString": true, "append": true,
	"valueOf": true, "getBytes": true, "split": true, "toCharArray": true,
}

// javaAdds are the methods that put their arguments into the collection
// (or name, or builder) they are called on, as addsTo spells them.
var javaAdds = map[string]string{"add": "add", "addLast": "add", "addFirst": "add", "offer": "add", "push": "add", "addElement": "add",
	"addAll": "extend", "put": "set", "putAll": "extend", "putIfAbsent": "set", "set": "set"}

// javaReadInto are the methods of a stream or reader that read into the
// buffer they are given.
var javaReadInto = map[string]bool{"read": true, "readFully": true, "readNBytes": true}

// javaInputAnnotations mark Spring handler parameters bound from the request.
var javaInputAnnotations = map[string]bool{
	"RequestParam": true, "PathVariable": true, "RequestBody": true, "RequestHeader": true, "CookieValue": true,
	"ModelAttribute": true, "QueryParam": true, "PathParam": true, "FormParam": true, "HeaderParam": true,
	"CookieParam": true, "MatrixParam": true, "BeanParam": true, "RequestPart": true, "MatrixVariable": true,
}

// javaScalarTypes are parameter types a framework converts request text
// to, or refuses the request: their values carry no text of the sender's.
var javaScalarTypes = map[string]bool{"int": true, "long": true, "short": true, "byte": true, "double": true, "float": true,
	"boolean": true, "Integer": true, "Long": true, "Short": true, "Byte": true, "Double": true, "Float": true, "Boolean": true,
	"BigInteger": true, "BigDecimal": true, "UUID": true, "java.util.UUID": true, "LocalDate": true, "LocalDateTime": true,
	"Instant": true, "Date": true}

// javaBoundTypes are the parameter types Spring binds from a request
// parameter when a handler's parameter has no annotation.
var javaBoundTypes = map[string]bool{"String": true, "String[]": true, "List<String>": true, "Optional<String>": true}

// javaAnnotated reports whether the parameter p carries an annotation.
func javaAnnotated(p *node) bool {
	for _, c := range p.children {
		if c.kind != "modifiers" {
			continue
		}
		for _, a := range c.namedChildren() {
			if a.kind == "annotation" || a.kind == "marker_annotation" {
				return true
			}
		}
	}
	return false
}

// javaBuilders are the expressions that can build a string.
var javaBuilders = map[string]bool{"binary_expression": true, "method_invocation": true}

type javaFile struct {
	walker
	// cls is the class whose body or method is being walked; types the
	// declared type of each field, variable and parameter by name (the
	// latest declaration walked), for calls of methods of the file's
	// other classes (helper.fetch(url) on a field Helper helper).
	cls   string
	types map[string]string
	// trusting are the file's classes that trust every certificate (an
	// empty checkServerTrusted) or accept every host (verify returns
	// true), by simple name, found before the walk: `new TrustAll()`
	// may come before the class; scanned marks the search done.
	trusting map[string]string
	scanned  bool
	// credParams are the file's methods and constructors (by simple
	// name, a constructor by its class's) that take a parameter named
	// for a credential, found before the walk: a literal passed there
	// is a hard-coded credential (new User("alice", "s3cret")).
	credParams map[string][][]string
	// fieldInput are the fields (by class and name) a method walked
	// earlier assigned input to (this.filter = "(uid=" + name + ")"):
	// methods walked later read it there.
	fieldInput map[string]value
	// constCalls are the constants the calls walked so far passed to
	// the file's own methods, by name and arity (constArgs).
	constCalls map[string]*constCall
	// constReturns are the file's methods without parameters that return
	// a constant spelled out (getSeed() { return "1234".getBytes(); }),
	// found before the walk.
	constReturns map[string]value
	// mvc: the class is a Spring MVC @Controller whose handlers return
	// view names (not a @RestController nor @ResponseBody); view: the
	// method being walked is such a handler returning a String.
	mvc, view bool
	// conds are the conditions of the if statements being walked
	// (site.cond of calls).
	conds []string
}

// hasAnnotation reports whether a declaration carries an annotation whose
// simple name is one of names.
func (f *javaFile) hasAnnotation(n *node, names ...string) bool {
	for _, c := range n.children {
		if c.kind != "modifiers" {
			continue
		}
		for _, a := range c.namedChildren() {
			if a.kind != "annotation" && a.kind != "marker_annotation" {
				continue
			}
			an := lastName(a.child("name").str(f.text))
			for _, want := range names {
				if an == want || strings.HasPrefix(want, "*") && strings.HasSuffix(an, want[1:]) {
					return true
				}
			}
		}
	}
	return false
}

// declType records the simple name of the type declared for name.
func (f *javaFile) declType(name string, typ *node) {
	if typ != nil && typ.kind == "generic_type" {
		typ = typ.firstNamed("")
	}
	if typ == nil || typ.kind != "type_identifier" {
		return
	}
	if f.types == nil {
		f.types = map[string]string{}
	}
	f.types[name] = typ.str(f.text)
}

func parseJava(ctx context.Context, src []byte, wants func(*site) bool) (*unit, []int, error) {
	f := &javaFile{walker: newWalker(ctx, "java", src)}
	f.wants = wants
	f.evaluate, f.builders, f.sourceSet, f.sanitizerSet = f.eval, javaBuilders, javaSourceSet.compiled(), javaSanitizerSet.compiled()
	f.notSources = javaNotSources
	f.link, f.shape = f.chainLink, javaShape
	u, errLines, err := f.walk(ctx, "java", f.stmt)
	if u != nil {
		javaQualifiedImports(u, src)
	}
	return u, errLines, err
}

func (f *javaFile) stmt(n *node, sc *scope) {
	if n == nil || !f.enter() {
		return
	}
	defer f.leave()
	if !f.scanned {
		f.scanned = true
		f.findTrusting(n, sc, 0)
		f.findCredParams(n, 0)
		f.findConstReturns(n, 0)
	}
	switch n.kind {
	case "line_comment", "block_comment", "package_declaration":
	case "import_declaration":
		var name string
		wildcard := false
		for _, c := range n.children {
			if c.kind == "scoped_identifier" || c.kind == "identifier" {
				name = c.str(f.text)
			}
			if c.kind == "asterisk" {
				wildcard = true
			}
		}
		if name != "" {
			f.u.imports[name] = true
			// import a.b.*; names a package, not a class called b: a
			// variable b is not it.
			if !wildcard {
				f.aliases[lastName(name)] = name
			}
		}
	case "class_declaration", "interface_declaration", "enum_declaration", "record_declaration":
		f.annotations(n, sc)
		saved, savedMVC := f.cls, f.mvc
		if nn := n.child("name"); nn != nil {
			f.cls = nn.str(f.text)
		}
		f.mvc = f.hasAnnotation(n, "Controller") && !f.hasAnnotation(n, "RestController", "ResponseBody")
		f.stmt(n.child("body"), sc)
		f.cls, f.mvc = saved, savedMVC
	case "return_statement":
		// What a method returns goes to its caller under the method's
		// name: `return RandomStringUtils.random(20)` in generateResetKey.
		saved := f.target
		if f.target == "" {
			f.target = f.fn
		}
		for _, c := range n.namedChildren() {
			if !strings.HasSuffix(c.kind, "comment") {
				v := f.expr(c, sc)
				f.ip.returned(v)
				if f.view {
					// A Spring MVC handler's String result names the view.
					f.addValue(site{kind: sitePair, name: "view", container: "spring-mvc", fn: f.fn}, v, c, c, nil)
				}
			}
		}
		f.target = saved
	case "class_body", "interface_body", "enum_body", "enum_body_declarations", "program", "block", "constructor_body",
		"switch_block", "switch_block_statement_group", "switch_rule", "static_initializer", "labeled_statement",
		"synchronized_statement", "do_statement", "while_statement", "for_statement", "try_statement",
		"catch_clause", "finally_clause", "throw_statement", "yield_statement":
		for _, c := range n.children {
			if c.named {
				f.stmt(c, sc)
			}
		}
	case "if_statement":
		saved := len(f.conds)
		if c := n.child("condition"); c != nil && len(f.conds) < 8 {
			f.conds = append(f.conds, c.str(f.text))
		}
		conditional(n, sc, f.stmt)
		f.conds = f.conds[:saved]
	case "try_with_resources_statement":
		for _, c := range n.children {
			if c.kind == "resource_specification" {
				for _, r := range c.namedChildren() {
					if r.kind == "resource" && r.child("value") != nil {
						v := f.expr(r.child("value"), sc)
						sc.set(r.child("name").str(f.text), v)
					}
				}
			} else if c.named {
				f.stmt(c, sc)
			}
		}
	case "method_declaration", "constructor_declaration", "compact_constructor_declaration":
		f.method(n, sc)
	case "field_declaration", "local_variable_declaration", "constant_declaration":
		for _, d := range n.childrenOf("declarator") {
			name := d.child("name").str(f.text)
			f.declType(name, n.child("type"))
			if val := d.child("value"); val != nil {
				saved := f.target
				f.target = name
				v := f.expr(val, sc)
				f.target = saved
				sc.set(name, v)
				f.randomCopy(name, v, d.child("name"), val)
				if n.kind != "local_variable_declaration" {
					// A field's initializer is an assignment to the
					// field (private String password = "...").
					f.addValue(site{kind: siteAssign, name: name, container: f.cls, fn: f.fn}, v, d, d, d.child("name"))
				}
			} else {
				sc.set(name, value{t: unknown, qual: name})
			}
		}
	case "enhanced_for_statement":
		sc.set(n.child("name").str(f.text), elementOf(f.expr(n.child("value"), sc)))
		f.stmt(n.child("body"), sc)
	case "expression_statement":
		for _, c := range n.namedChildren() {
			f.expr(c, sc)
			if c.kind == "method_invocation" && c.child("name").is(f.src, "verify") && len(c.child("arguments").namedChildren()) == 2 {
				// hv.verify(host, session); as a statement: the
				// verdict is thrown away.
				f.add(site{kind: siteCall, name: "hostname-verify-ignored", fn: f.fn}, c, c, c.child("name"))
			}
		}
	default:
		if strings.HasSuffix(n.kind, "_statement") {
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

// annotations records a declaration's annotations as call sites
// (@CrossOrigin(origins = "*")).
func (f *javaFile) annotations(n *node, sc *scope) {
	for _, c := range n.children {
		if c.kind != "modifiers" {
			continue
		}
		for _, a := range c.namedChildren() {
			f.annotation(a, sc)
		}
	}
}

func (f *javaFile) annotation(a *node, sc *scope) {
	if a.kind != "annotation" && a.kind != "marker_annotation" {
		return
	}
	nameNode := a.child("name")
	q := f.typeQual(nameNode)
	var args []value
	kwargs := map[string]value{}
	if al := a.child("arguments"); al != nil {
		for _, e := range al.namedChildren() {
			if e.kind == "element_value_pair" {
				kwargs[e.child("key").str(f.text)] = f.expr(e.child("value"), sc)
			} else {
				args = append(args, f.expr(e, sc))
			}
		}
	}
	f.add(site{kind: siteCall, name: "@" + q, args: args, kwargs: kwargs, fn: f.fn}, a, a, nameNode)
}

func (f *javaFile) method(n *node, outer *scope) {
	sc := newScope(outer)
	f.annotations(n, sc)
	name := n.child("name").str(f.text)
	var plist []*node
	if params := n.child("parameters"); params != nil {
		for _, p := range params.namedChildren() {
			if p.kind == "formal_parameter" || p.kind == "spread_parameter" {
				plist = append(plist, p)
			}
		}
	}
	var pnames []string
	for _, p := range plist {
		pn := p.child("name")
		if pn == nil {
			if d := p.firstNamed("variable_declarator"); d != nil {
				pn = d.child("name")
			}
		}
		if pn == nil {
			pnames = append(pnames, "")
		} else {
			pnames = append(pnames, pn.str(f.text))
		}
	}
	key, cls := "", f.cls
	if cls != "" && n.kind == "method_declaration" {
		key = cls + "." + name
	}
	leave := f.ip.enterFn(n, key, pnames, 0, func() {
		saved := f.cls
		f.cls = cls
		f.method(n, f.module)
		f.cls = saved
	})
	defer leave()
	// A static or private method's parameters hold the constants every
	// call walked before it passed (test(url, "admin", "s3cret")).
	closed := n.kind == "method_declaration" && (f.hasModifier(n, "static") || f.hasModifier(n, "private"))
	{
		handler := n.kind == "method_declaration" && n.child("body") != nil &&
			f.hasAnnotation(n, "RequestMapping", "GetMapping", "PostMapping", "PutMapping", "DeleteMapping", "PatchMapping")
		for i, p := range plist {
			if pnames[i] == "" {
				continue
			}
			pn := p.child("name")
			if pn == nil {
				pn = p.firstNamed("variable_declarator").child("name")
			}
			f.declType(pn.str(f.text), p.child("type"))
			v := value{t: unknown, qual: pn.str(f.text), param: true}
			for _, c := range p.children {
				if c.kind != "modifiers" {
					continue
				}
				for _, a := range c.namedChildren() {
					if (a.kind == "annotation" || a.kind == "marker_annotation") && javaInputAnnotations[lastName(a.child("name").str(f.text))] {
						v = value{t: tainted, source: "@" + lastName(a.child("name").str(f.text)) + " " + pn.str(f.text), srcLine: p.line()}
						if t := p.child("type"); t != nil && javaScalarTypes[t.str(f.text)] {
							// @PathVariable Long id: Spring converts it or
							// refuses the request; no text of the sender's.
							v = value{t: unknown, qual: pn.str(f.text), scalar: true}
						}
					}
				}
			}
			// Spring binds a handler's plain String parameter from the
			// request parameter of its name (an implicit @RequestParam).
			if v.t != tainted && handler && !javaAnnotated(p) {
				if t := p.child("type"); t != nil && javaBoundTypes[t.str(f.text)] {
					v = value{t: tainted, source: "request parameter " + pn.str(f.text), srcLine: p.line()}
				}
			}
			if name == "main" && strings.Contains(p.str(f.text), "String") && strings.Contains(p.str(f.text), "[]") {
				v = value{t: tainted, source: "command-line arguments", srcLine: p.line()}
			}
			if v.t == unknown && !v.scalar && closed {
				if c, ok := f.constArg(name, len(plist), i); ok {
					v = c
				}
			}
			sc.set(pn.str(f.text), f.ip.param(i, v))
		}
	}
	saved, savedView := f.fn, f.view
	f.fn = name
	f.view = f.mvc && n.kind == "method_declaration" && n.child("type") != nil && n.child("type").str(f.text) == "String" &&
		f.hasAnnotation(n, "*Mapping") && !f.hasAnnotation(n, "ResponseBody")
	defer func() { f.view = savedView }()
	body := n.child("body")
	// An empty checkServerTrusted/verify body accepts every certificate.
	if body != nil {
		empty := "no"
		var stmts []*node
		for _, c := range body.namedChildren() {
			if c.kind != "line_comment" && c.kind != "block_comment" {
				stmts = append(stmts, c)
			}
		}
		if len(stmts) == 0 {
			empty = "empty"
		} else if st := stmts; len(st) == 1 && st[0].kind == "return_statement" {
			if r := st[0].firstNamed(""); r != nil && r.kind == "true" {
				empty = "true"
			}
		}
		st := site{
			kind: sitePair, name: name, container: "method", val: &value{t: constant, lit: empty}, fn: name,
			line: n.line(), endLine: n.line(), col: f.column(n), start: n.s(), end: n.s(),
		}
		if f.keep(&st) {
			f.u.sites = append(f.u.sites, st)
		}
		// A method that only returns a call's result names that result
		// (generateResetKey returning RandomStringUtils.randomNumeric(20)):
		// the call is the method's "returns" pair, at the method's name.
		if st := stmts; len(st) == 1 && st[0].kind == "return_statement" {
			if r := st[0].firstNamed(""); r != nil && r.kind == "string_literal" {
				// String getPassword() { return "..."; }: the literal is
				// what the method's name says it is.
				lv := f.eval(r, sc)
				ls := site{kind: sitePair, name: name, container: "returns-literal", target: name, fn: name, val: &lv,
					line: r.line(), endLine: r.line(), col: f.column(r), start: r.s(), end: r.e()}
				if f.keep(&ls) {
					f.u.sites = append(f.u.sites, ls)
				}
			}
			if r := st[0].firstNamed(""); r != nil && r.kind == "method_invocation" && r.child("name") != nil {
				callee := r.child("name").str(f.text)
				if obj := r.child("object"); obj != nil {
					callee = f.qual(obj) + "." + callee
				}
				nn := n.child("name")
				rs := site{kind: sitePair, name: name, container: "returns", target: name, fn: name,
					val:  &value{t: constant, isStr: true, lit: callee, start: r.s(), end: r.e()},
					line: nn.line(), endLine: max(nn.line(), r.line()), col: f.column(nn), start: nn.s(), end: nn.s()}
				if f.keep(&rs) {
					f.u.sites = append(f.u.sites, rs)
				}
			}
		}
	}
	f.stmt(body, sc)
	f.fn = saved
}

// javaLang are classes of java.lang (never imported) whose static methods
// a call names.
var javaLang = map[string]bool{
	"String": true, "Integer": true, "Long": true, "Double": true, "Float": true, "Boolean": true, "Short": true,
	"Byte": true, "Character": true, "Math": true, "System": true, "Objects": true, "Thread": true, "Class": true,
	"Runtime": true, "StringBuilder": true, "Enum": true, "Process": true, "ProcessBuilder": true,
}

// localKey returns the key a method invocation names a method of the
// class being walked by (summary.go): m(x) or this.m(x).
func (f *javaFile) localKey(n *node) string {
	obj, name := n.child("object"), n.child("name")
	if name == nil {
		return ""
	}
	if obj != nil && obj.kind == "identifier" {
		// helper.fetch(u) on a variable of a type, or Helper.fetch(u):
		// a method of that class if the file defines it.
		o := obj.str(f.text)
		if t, ok := f.types[o]; ok {
			return t + "." + name.str(f.text)
		}
		if _, imported := f.aliases[o]; !imported && !javaLang[o] && o != "" && o[0] >= 'A' && o[0] <= 'Z' {
			return o + "." + name.str(f.text)
		}
		return ""
	}
	if f.cls == "" || obj != nil && obj.kind != "this" {
		return ""
	}
	if _, imported := f.aliases[name.str(f.text)]; imported && obj == nil {
		return ""
	}
	return f.cls + "." + name.str(f.text)
}

func (f *javaFile) typeQual(n *node) string {
	if n == nil {
		return "?"
	}
	switch n.kind {
	case "generic_type":
		return f.typeQual(n.firstNamed(""))
	case "identifier", "type_identifier":
		return f.resolve(n.str(f.text))
	}
	return n.str(f.text)
}

// qual returns the qualified name of an expression used as a callee or a
// field chain. It follows the chain down in a loop and builds the name back
// up.
func (f *javaFile) qual(n *node) string {
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
		case "identifier", "type_identifier":
			q = f.typeQual(n)
		case "field_access":
			next, terminal = n.child("object"), false
		case "scoped_identifier":
			q = n.str(f.text)
		case "method_invocation":
			if obj := n.child("object"); obj != nil {
				next, terminal = obj, false
			} else {
				q = n.child("name").str(f.text) + "()"
			}
		case "object_creation_expression":
			q = f.typeQual(n.child("type")) + "()"
		case "parenthesized_expression", "cast_expression":
			if kids := n.namedChildren(); len(kids) > 0 {
				next, terminal = kids[len(kids)-1], false
			}
		case "this":
			q = "this"
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
		case "field_access":
			q += "." + m.child("field").str(f.text)
		case "method_invocation":
			q += "." + m.child("name").str(f.text) + "()"
		}
		q = clipName(q)
		if f.building {
			f.quals[m] = q
		}
	}
	return q
}

// chainLink is the walker's link for Java: what eval evaluates first in a
// binary expression, a field access, an array access, a method call on an
// object or parentheses.
func (f *javaFile) chainLink(n *node, _ *scope) *node {
	switch n.kind {
	case "field_access":
		f.qual(n)
	case "method_invocation":
		if obj := n.child("object"); obj != nil {
			f.qual(obj)
		}
	}
	return javaShape(n)
}

// javaShape is chainLink by kind alone.
func javaShape(n *node) *node {
	switch n.kind {
	case "binary_expression":
		return n.child("left")
	case "field_access":
		return n.child("object")
	case "array_access":
		return n.child("array")
	case "method_invocation":
		return n.child("object")
	case "parenthesized_expression":
		return n.firstNamed("")
	}
	return nil
}

func (f *javaFile) eval(n *node, sc *scope) value {
	switch n.kind {
	case "string_literal", "text_block":
		var b strings.Builder
		for _, c := range n.children {
			if c.kind == "string_fragment" || c.kind == "escape_sequence" || c.kind == "multiline_string_fragment" {
				b.WriteString(c.str(f.text))
			}
		}
		return value{t: constant, isStr: true, lit: b.String(), origin: n.s() + 1}
	case "decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal",
		"decimal_floating_point_literal", "hex_floating_point_literal", "character_literal":
		return value{t: constant, lit: n.str(f.text)}
	case "true", "false", "null_literal":
		return value{t: constant, lit: n.str(f.text)}
	case "identifier":
		name := n.str(f.text)
		if v, ok := sc.lookup(name); ok {
			if fv, ok := f.fieldInput[f.cls+"."+name]; ok && v.t == unknown && v.qual == name && !v.param {
				// A field declared without a value, assigned input by
				// a method walked before.
				return fv
			}
			return v
		}
		if v, ok := f.fieldInput[f.cls+"."+name]; ok {
			return v
		}
		q := f.qual(n)
		if isConstName(name) {
			return value{t: constant, lit: q, qual: q}
		}
		return value{t: unknown, qual: q}
	case "field_access":
		q := f.qual(n)
		if o, fld := n.child("object"), n.child("field"); o != nil && fld != nil && (o.kind == "this" || o.kind == "identifier" && f.cls != "" && o.str(f.text) == f.cls) {
			// this.password, Config.PASSWORD inside Config: the field's
			// value as the walk knows it, when constant (a local of the
			// same name may shadow the field: taint is not taken from it).
			if v, ok := sc.lookup(fld.str(f.text)); ok && v.t == constant {
				return v
			}
			if v, ok := f.fieldInput[f.cls+"."+fld.str(f.text)]; ok {
				return v
			}
		}
		obj := f.expr(n.child("object"), sc)
		if obj.t == tainted {
			v := fromInput(obj)
			v.qual = q
			return v
		}
		if isConstName(n.child("field").str(f.text)) {
			return value{t: constant, lit: q, qual: q}
		}
		return value{t: unknown, qual: q}
	case "array_access":
		obj := f.expr(n.child("array"), sc)
		f.expr(n.child("index"), sc)
		return elementOf(obj)
	case "method_invocation":
		return f.invocation(n, sc, false)
	case "object_creation_expression":
		return f.invocation(n, sc, true)
	case "binary_expression":
		l := f.expr(n.child("left"), sc)
		r := f.expr(n.child("right"), sc)
		op := n.child("operator")
		if t, ok := javaClockArith(op, f.src, l, r); ok {
			return t
		}
		if op != nil && op.str(f.text) == "+" {
			return combine(l, r)
		}
		return arithmetic(op.str(f.text), l, r)
	case "parenthesized_expression":
		return f.expr(n.firstNamed(""), sc)
	case "cast_expression":
		return f.expr(n.child("value"), sc)
	case "ternary_expression":
		f.expr(n.child("condition"), sc)
		return worst(f.expr(n.child("consequence"), sc), f.expr(n.child("alternative"), sc))
	case "array_creation_expression", "array_initializer":
		out := value{t: constant, elems: []value{}}
		for _, c := range n.namedChildren() {
			if c.kind == "array_initializer" {
				return f.expr(c, sc)
			}
			if strings.HasSuffix(c.kind, "type") || c.kind == "dimensions" || c.kind == "dimensions_expr" {
				continue
			}
			out.addElem(f.expr(c, sc))
		}
		return out
	case "assignment_expression":
		left := n.child("left")
		saved := f.target
		f.target = left.str(f.text)
		rv := f.expr(n.child("right"), sc)
		f.target = saved
		if op := n.child("operator"); op != nil && op.str(f.text) == "+=" {
			old, _ := sc.lookup(left.str(f.text))
			rv = combine(old, rv)
		}
		if left.kind == "identifier" {
			if _, local := sc.lookup(left.str(f.text)); !local {
				f.storeField(left.str(f.text), rv)
			}
			sc.assign(left.str(f.text), rv)
			f.randomCopy(left.str(f.text), rv, left, n.child("right"))
		} else if left.kind == "field_access" {
			fld := left.child("field")
			if o := left.child("object"); o != nil && o.kind == "this" {
				f.storeField(fld.str(f.text), rv)
			}
			f.addValue(site{kind: siteAssign, name: fld.str(f.text), container: f.qual(left.child("object")), fn: f.fn}, rv, n, n, fld)
		}
		return rv
	case "lambda_expression":
		inner := newScope(sc)
		body := n.child("body")
		if body != nil && body.kind == "true" {
			// (host, session) -> true: a callback that accepts everything.
			return value{t: constant, lit: acceptsAll}
		}
		if body != nil && body.kind == "block" {
			f.stmt(body, inner)
		} else {
			f.expr(body, inner)
		}
		return value{t: unknown}
	case "line_comment", "block_comment":
		return value{t: constant}
	case "method_reference":
		// AbstractHttpConfigurer::disable: named by its text.
		v := f.anyInput(n.namedChildren(), sc)
		if v.t != tainted {
			v.qual = clipName(strings.Join(strings.Fields(n.str(f.text)), ""))
		}
		return v
	}
	return f.anyInput(n.namedChildren(), sc)
}

func (f *javaFile) invocation(n *node, sc *scope, isNew bool) value {
	var q string
	var recv value
	nameNode := n.child("name")
	if isNew {
		q = f.typeQual(n.child("type"))
		nameNode = n.child("type")
		// An anonymous class's body (tree-sitter gives it no field name):
		// its methods are walked as the file's others are.
		body := n.child("body")
		if body == nil {
			body = n.firstNamed("class_body")
		}
		if body != nil {
			defer f.stmt(body, sc)
		}
	} else {
		obj := n.child("object")
		name := nameNode.str(f.text)
		if obj == nil {
			q = name
		} else {
			q = f.qual(obj) + "." + name
			recv = f.expr(obj, sc)
		}
	}
	argNodes := n.child("arguments").namedChildren()
	args := f.args(q, argNodes, sc)
	if !isNew && recv.t == tainted && len(argNodes) > 0 && argNodes[0].kind == "identifier" && javaReadInto[lastName(q)] {
		// in.read(buf): the buffer now holds the input.
		sc.assign(argNodes[0].str(f.text), fromInput(recv))
	}
	if obj := n.child("object"); !isNew && obj != nil && obj.kind == "identifier" && len(args) == 2 && args[0].t == constant && args[0].isStr &&
		(lastName(q) == "put" || lastName(q) == "setProperty") {
		// props.put("mail.smtp.ssl.enable", "true"): a settings map
		// built here keeps its constant entries.
		if old, ok := sc.lookup(obj.str(f.text)); ok && old.fields != nil && !old.isStr && len(old.fields) < maxElems {
			nv := old
			nv.fields = make(map[string]string, len(old.fields)+1)
			for k, v := range old.fields {
				nv.fields[k] = v
			}
			nv.fields[strings.ToLower(args[0].lit)] = "?"
			if args[1].t == constant {
				nv.fields[strings.ToLower(args[0].lit)] = args[1].lit
			}
			sc.assign(obj.str(f.text), nv)
		}
	}
	if obj := n.child("object"); !isNew && obj != nil && obj.kind == "identifier" && javaAdds[lastName(q)] != "" {
		// list.add(x), map.put(k, x), name.addAll(other): the collection
		// (or name) now holds input. (Not a Properties map, whose entries
		// are kept one by one above.)
		if old, ok := sc.lookup(obj.str(f.text)); ok && old.fields == nil {
			f.addsTo(obj, javaAdds[lastName(q)], args, sc)
		}
	}
	if !isNew && len(argNodes) > 0 && argNodes[0].kind == "identifier" && lastName(q) == "nextBytes" && randomCarried(q, recv, nil) {
		// r.nextBytes(buf): the buffer now holds predictable bytes.
		sc.assign(argNodes[0].str(f.text), value{t: unknown, weakRand: true})
	}
	if nameNode == nil {
		nameNode = n
	}
	f.add(site{kind: siteCall, name: q, args: args, fn: f.fn, target: f.target, container: f.call, recv: receiverOf(recv),
		cond: strings.Join(f.conds, "\n")}, n, n, nameNode)
	f.credentialArgs(n, q, isNew, argNodes, args)
	if obj := n.child("object"); !isNew && (obj == nil || obj.kind == "this") {
		f.recordConstArgs(lastName(q), args)
		if v, ok := f.constReturns[lastName(q)]; ok && len(args) == 0 {
			return v
		}
	}
	if obj := n.child("object"); !isNew && obj != nil && obj.kind == "string_literal" && len(args) == 1 && len(argNodes) == 1 &&
		(lastName(q) == "equals" || lastName(q) == "equalsIgnoreCase" || lastName(q) == "contentEquals") {
		// "s3cret".equals(password): the literal compared, as a pair
		// named for the value it is compared with.
		lit := f.eval(obj, sc)
		an := argNodes[0]
		st := site{kind: sitePair, name: lastName(f.qual(an)), container: "compared-literal", val: &lit, fn: f.fn,
			line: n.line(), endLine: n.line(), col: f.column(n), start: n.s(), end: n.e()}
		if f.keep(&st) {
			f.u.sites = append(f.u.sites, st)
		}
	}
	if v, ok := f.knownCall(q, n); ok {
		v.weakRand = v.weakRand || randomCarried(q, recv, args)
		return v
	}
	if !isNew && lastName(q) == "filter" && len(args) >= 2 && args[0].t == constant && args[0].isStr && strings.Contains(args[0].lit, "{0}") {
		// Spring LDAP's query().filter("(uid={0})", name) encodes its
		// parameters into the filter.
		return value{t: constant, qual: q + "()"}
	}
	if !isNew && lastName(q) == "add" && len(args) == 2 && strings.Contains(q, "LdapNameBuilder") {
		// LdapNameBuilder's add("uid", name) escapes the value.
		return value{t: recv.t, source: recv.source, srcLine: recv.srcLine, qual: q + "()"}
	}
	if isNew && len(args) == 0 && (q == "Properties" || q == "java.util.Properties") || q == "System.getProperties" || q == "java.lang.System.getProperties" {
		// A settings map whose entries put(...) records (see above).
		return value{t: unknown, qual: q + "()", fields: map[string]string{}}
	}
	if !isNew {
		if v, ok := f.ip.call(f.localKey(n), args, nil, f.fn, n.line(), n.s(), n.e()); ok {
			return v
		}
	}
	method := lastName(q)
	if !isNew && javaStringOps[method] {
		parts := args
		if n.child("object") != nil && !strings.HasPrefix(q, "String.") && !javaStaticConv(q) {
			parts = append([]value{recv}, args...)
		}
		if q == "String.format" && len(args) > 0 && args[0].t == constant {
			return formattedStrict(args[0], args[1:], percentVerb, numericVerbsStrict)
		}
		if method == "formatted" && recv.t == constant {
			return formattedStrict(recv, args, percentVerb, numericVerbsStrict)
		}
		out := combine(parts...)
		obj := n.child("object")
		for depth := 0; (method == "append" || method == "insert") && obj != nil && obj.kind == "method_invocation" && depth < 64; depth++ {
			// sb.append("(uid=").append(x): the chain's root builder.
			if nm := obj.child("name"); nm == nil || (nm.str(f.text) != "append" && nm.str(f.text) != "insert") {
				break
			}
			obj = obj.child("object")
		}
		if (method == "append" || method == "insert") && obj != nil && obj.kind == "identifier" {
			// sb.append(x) changes sb: a StringBuilder built up statement
			// by statement.
			if _, ok := sc.lookup(obj.str(f.text)); ok {
				sc.assign(obj.str(f.text), out)
			}
		}
		return out
	}
	if isNew && f.acceptsAll(n.firstNamed("class_body")) {
		return value{t: constant, lit: acceptsAll, qual: q + "()"}
	}
	if isNew && f.trustsAll(n.firstNamed("class_body")) {
		return value{t: constant, lit: acceptsAll, qual: trustAllManager}
	}
	if isNew && n.firstNamed("class_body") == nil {
		// new TrustAll() of a class of this file that trusts everything.
		switch f.trusting[lastName(q)] {
		case trustAllManager:
			return value{t: constant, lit: acceptsAll, qual: trustAllManager}
		case acceptsAll:
			return value{t: constant, lit: acceptsAll, qual: q + "()"}
		}
	}
	if isNew && (q == "StringBuilder" || q == "StringBuffer" || q == "String") {
		return combine(args...)
	}
	if v, ok := javaConstBytes(q, n.child("object") != nil, recv, args); ok {
		return v
	}
	out := opaqueCall(q, recv, args)
	// Base64.decode("...") of constants: a constant the code decodes
	// (match.when constcall).
	out.constArgs = len(args) > 0
	for _, a := range args {
		if a.t != constant {
			out.constArgs = false
		}
	}
	return out
}

// acceptsAll is the constant text of a callback that accepts everything: a
// lambda returning true, or an anonymous class whose verify (a
// HostnameVerifier) only returns true.
const acceptsAll = "->true"

// findTrusting records, before the walk, the classes declared in the file
// that trust every certificate or host, and the fields initialized with
// such an anonymous class (a TRUST_ALL field declared after the method
// that uses it), so that uses before the declaration see them.
func (f *javaFile) findTrusting(n *node, sc *scope, depth int) {
	if n == nil || depth > 12 {
		return
	}
	switch n.kind {
	case "class_declaration":
		if nn, body := n.child("name"), n.child("body"); nn != nil && body != nil {
			if f.trustsAll(body) {
				f.setTrusting(nn.str(f.text), trustAllManager)
			} else if f.acceptsAll(body) {
				f.setTrusting(nn.str(f.text), acceptsAll)
			}
		}
	case "field_declaration":
		for _, d := range n.childrenOf("declarator") {
			val := d.child("value")
			if val == nil || val.kind != "object_creation_expression" || d.child("name") == nil {
				continue
			}
			body := val.firstNamed("class_body")
			if f.trustsAll(body) {
				sc.set(d.child("name").str(f.text), value{t: constant, lit: acceptsAll, qual: trustAllManager})
			} else if f.acceptsAll(body) {
				sc.set(d.child("name").str(f.text), value{t: constant, lit: acceptsAll, qual: f.typeQual(val.child("type")) + "()"})
			}
		}
		return
	case "method_declaration", "constructor_declaration":
		return
	}
	for _, c := range n.namedChildren() {
		f.findTrusting(c, sc, depth+1)
	}
}

func (f *javaFile) setTrusting(name, how string) {
	if f.trusting == nil {
		f.trusting = map[string]string{}
	}
	f.trusting[name] = how
}

// trustAllManager is the qualified name given to an anonymous
// X509TrustManager whose checkServerTrusted is empty: it trusts every
// certificate.
const trustAllManager = "(trust-all X509TrustManager)"

// trustsAll reports whether an anonymous class body declares
// checkServerTrusted with an empty body (comments aside).
func (f *javaFile) trustsAll(body *node) bool {
	if body == nil {
		return false
	}
	for _, m := range body.namedChildren() {
		if m.kind != "method_declaration" {
			continue
		}
		if name := m.child("name"); name == nil || name.str(f.text) != "checkServerTrusted" {
			continue
		}
		b := m.child("body")
		if b == nil {
			return false
		}
		for _, c := range b.namedChildren() {
			if c.kind != "line_comment" && c.kind != "block_comment" {
				return false
			}
		}
		return true
	}
	return false
}

// acceptsAll reports whether an anonymous class body declares verify or
// isTrusted as a method that only returns true.
func (f *javaFile) acceptsAll(body *node) bool {
	if body == nil {
		return false
	}
	for _, m := range body.namedChildren() {
		if m.kind != "method_declaration" {
			continue
		}
		if name := m.child("name"); name == nil || (name.str(f.text) != "verify" && name.str(f.text) != "isTrusted") {
			continue
		}
		if b := m.child("body"); b != nil {
			var st []*node
			for _, c := range b.namedChildren() {
				if c.kind != "line_comment" && c.kind != "block_comment" {
					st = append(st, c)
				}
			}
			if len(st) == 1 && st[0].kind == "return_statement" {
				if r := st[0].firstNamed(""); r != nil && r.kind == "true" {
					return true
				}
			}
		}
	}
	return false
}

// javaCredParam matches a parameter name that stands for a credential.
var javaCredParam = regexp.MustCompile(`(?i)(passw(or)?d|passphrase|passcode|^pwd$|pwd$|secret(key)?$|^(api|access|private)_?key$|credential$)`)

// findCredParams records, before the walk, the parameter lists of the
// file's methods and constructors that take a credential-named parameter.
func (f *javaFile) findCredParams(n *node, depth int) {
	if n == nil || depth > 16 {
		return
	}
	switch n.kind {
	case "method_declaration", "constructor_declaration":
		nn, params := n.child("name"), n.child("parameters")
		if nn == nil || params == nil {
			return
		}
		var names []string
		cred := false
		for _, p := range params.namedChildren() {
			if p.kind != "formal_parameter" && p.kind != "spread_parameter" {
				continue
			}
			pn := p.child("name")
			if pn == nil {
				if d := p.firstNamed("variable_declarator"); d != nil {
					pn = d.child("name")
				}
			}
			name := ""
			if pn != nil {
				name = pn.str(f.text)
			}
			if p.kind == "spread_parameter" {
				name = "" // varargs: positions do not line up
			}
			cred = cred || javaCredParam.MatchString(name)
			names = append(names, name)
		}
		if cred {
			if f.credParams == nil {
				f.credParams = map[string][][]string{}
			}
			k := nn.str(f.text)
			if len(f.credParams[k]) < 8 {
				f.credParams[k] = append(f.credParams[k], names)
			}
		}
		return
	}
	for _, c := range n.namedChildren() {
		f.findCredParams(c, depth+1)
	}
}

// credentialArgs records, for a call of one of the file's own methods or
// constructors (credParams), each string literal passed to a parameter
// named for a credential: a "param-literal" pair named for the parameter.
func (f *javaFile) credentialArgs(n *node, q string, isNew bool, argNodes []*node, args []value) {
	if len(f.credParams) == 0 {
		return
	}
	key := lastName(q)
	if isNew {
		if t := n.child("type"); t != nil {
			if t.kind == "generic_type" {
				t = t.firstNamed("")
			}
			if t == nil {
				return
			}
			key = lastName(t.str(f.text))
		}
	} else if obj := n.child("object"); obj != nil && obj.kind != "this" {
		return
	}
	for _, names := range f.credParams[key] {
		if len(names) != len(args) || len(argNodes) != len(args) {
			continue
		}
		for i, name := range names {
			a := args[i]
			if name == "" || !javaCredParam.MatchString(name) || a.t != constant || !a.isStr || a.lit == "" {
				continue
			}
			an := argNodes[i]
			st := site{kind: sitePair, name: name, container: "param-literal", val: &a, fn: f.fn,
				line: an.line(), endLine: an.line(), col: f.column(an), start: an.s(), end: an.e()}
			if f.keep(&st) {
				f.u.sites = append(f.u.sites, st)
			}
		}
		return
	}
}

// javaStaticConv reports whether q is a static conversion of a boxed
// type (Long.toString(n), Integer.valueOf(n)): its receiver is a class,
// not a value.
func javaStaticConv(q string) bool {
	for _, c := range []string{"Long.", "Integer.", "Short.", "Byte.", "Double.", "Float.", "Boolean.", "Character.", "java.lang.Long.",
		"java.lang.Integer.", "java.lang.String."} {
		if strings.HasPrefix(q, c) && !strings.Contains(q[len(c):], ".") {
			return true
		}
	}
	return false
}

// javaConstBytes is the value of a conversion of constants to bytes
// (ByteBuffer.allocate(8).putLong(42L).array(),
// BigInteger.valueOf(42).toByteArray()): a constant, spelled out by its
// parts, when every argument (and the receiver of a chained call) is.
func javaConstBytes(q string, hasObj bool, recv value, args []value) (value, bool) {
	if !strings.Contains(q, "ByteBuffer.") && !strings.Contains(q, "BigInteger.") {
		return value{}, false
	}
	switch lastName(q) {
	case "allocate", "wrap", "valueOf":
		if strings.Count(q, ".") > 1 && !strings.HasPrefix(q, "java.") {
			return value{}, false
		}
	case "putLong", "putInt", "putShort", "put", "array", "toByteArray":
		if !hasObj || recv.t != constant {
			return value{}, false
		}
	default:
		return value{}, false
	}
	lit := recv.lit
	for _, a := range args {
		if a.t != constant || a.lit == "" && !a.isStr {
			return value{}, false
		}
		lit += a.lit
	}
	if lit == "" {
		lit = "0"
	}
	return value{t: constant, lit: lit, qual: q + "()"}, true
}

// storeField records that a method assigned input to a field of its
// class (fieldInput); a later assignment of anything else forgets it.
func (f *javaFile) storeField(name string, v value) {
	if f.cls == "" || f.fn == "" {
		return
	}
	k := f.cls + "." + name
	if v.t != tainted {
		delete(f.fieldInput, k)
		return
	}
	if f.fieldInput == nil {
		f.fieldInput = map[string]value{}
	}
	if _, ok := f.fieldInput[k]; ok || len(f.fieldInput) < 256 {
		f.fieldInput[k] = v
	}
}

// constCall is what the calls of one method (by name and arity) passed:
// per position, the constant every call passed, or nothing once two
// differed or one was not constant.
type constCall struct {
	vals []value
	ok   []bool
}

// recordConstArgs records the arguments of a call of the file's own method
// name (constCalls).
func (f *javaFile) recordConstArgs(name string, args []value) {
	if len(args) == 0 || len(args) > 16 {
		return
	}
	k := name + "/" + strconv.Itoa(len(args))
	c, seen := f.constCalls[k]
	if !seen {
		if f.constCalls == nil {
			f.constCalls = map[string]*constCall{}
		}
		if len(f.constCalls) >= 512 {
			return
		}
		c = &constCall{vals: make([]value, len(args)), ok: make([]bool, len(args))}
		f.constCalls[k] = c
	}
	for i, a := range args {
		spelled := a.t == constant && (a.lit != "" || a.isStr || len(a.elems) > 0)
		switch {
		case !seen:
			c.vals[i], c.ok[i] = a, spelled
		case c.ok[i] && (!spelled || a.lit != c.vals[i].lit || a.isStr != c.vals[i].isStr || len(a.elems) != len(c.vals[i].elems)):
			c.ok[i] = false
		}
	}
}

// constArg is the constant every call walked so far passed to parameter i
// of method name with arity n.
func (f *javaFile) constArg(name string, n, i int) (value, bool) {
	c, ok := f.constCalls[name+"/"+strconv.Itoa(n)]
	if !ok || i >= len(c.ok) || !c.ok[i] {
		return value{}, false
	}
	return c.vals[i], true
}

// hasModifier reports whether a declaration carries the modifier word.
func (f *javaFile) hasModifier(n *node, word string) bool {
	for _, c := range n.children {
		if c.kind != "modifiers" {
			continue
		}
		for _, m := range strings.Fields(c.str(f.text)) {
			if m == word {
				return true
			}
		}
	}
	return false
}

// findConstReturns records, before the walk, the file's methods without
// parameters whose body returns a constant spelled out: a literal, a
// literal's getBytes()/toCharArray(), an array of literals, or a local
// initialized so and returned.
func (f *javaFile) findConstReturns(n *node, depth int) {
	if n == nil || depth > 16 {
		return
	}
	if n.kind == "method_declaration" {
		nn, params, body := n.child("name"), n.child("parameters"), n.child("body")
		if nn == nil || params == nil || body == nil || len(params.namedChildren()) > 0 {
			return
		}
		var stmts []*node
		for _, c := range body.namedChildren() {
			if !strings.HasSuffix(c.kind, "comment") {
				stmts = append(stmts, c)
			}
		}
		if len(stmts) == 0 || len(stmts) > 2 || stmts[len(stmts)-1].kind != "return_statement" {
			return
		}
		ret := stmts[len(stmts)-1].firstNamed("")
		if ret != nil && ret.kind == "identifier" && len(stmts) == 2 && stmts[0].kind == "local_variable_declaration" {
			d := stmts[0].child("declarator")
			if d == nil || d.child("name") == nil || d.child("name").str(f.text) != ret.str(f.text) {
				return
			}
			ret = d.child("value")
		} else if len(stmts) != 1 {
			return
		}
		if v, ok := javaSpelledConst(ret, f.src, 0); ok {
			if f.constReturns == nil {
				f.constReturns = map[string]value{}
			}
			if len(f.constReturns) < 256 {
				f.constReturns[nn.str(f.text)] = v
			}
		}
		return
	}
	for _, c := range n.namedChildren() {
		f.findConstReturns(c, depth+1)
	}
}

// javaSpelledConst is the value of an expression that is a constant
// spelled out, read from the syntax alone.
func javaSpelledConst(n *node, src []byte, depth int) (value, bool) {
	if n == nil || depth > 4 {
		return value{}, false
	}
	switch n.kind {
	case "string_literal":
		t := n.text(src)
		return value{t: constant, isStr: true, lit: strings.Trim(t, `"`)}, true
	case "decimal_integer_literal", "hex_integer_literal", "decimal_floating_point_literal":
		return value{t: constant, lit: n.text(src)}, true
	case "array_creation_expression", "array_initializer":
		init := n
		if n.kind == "array_creation_expression" {
			init = n.child("value")
			if init == nil {
				return value{}, false
			}
		}
		var elems []value
		for _, e := range init.namedChildren() {
			v, ok := javaSpelledConst(e, src, depth+1)
			if !ok || len(elems) >= 64 {
				return value{}, false
			}
			elems = append(elems, v)
		}
		if len(elems) == 0 {
			return value{}, false
		}
		return value{t: constant, lit: init.text(src), elems: elems}, true
	case "character_literal":
		return value{t: constant, lit: n.text(src)}, true
	case "method_invocation":
		name := n.child("name")
		obj := n.child("object")
		if name == nil || obj == nil || obj.kind != "string_literal" {
			return value{}, false
		}
		switch name.text(src) {
		case "getBytes", "toCharArray":
			v, _ := javaSpelledConst(obj, src, depth+1)
			return v, true
		}
	}
	return value{}, false
}

// javaClockArith is the value of arithmetic on the clock and a constant
// (System.nanoTime() + 17, currentTimeMillis() ^ 0x5DEECE66DL): still the
// clock, as guessable as it (a seed made so is predictable).
func javaClockArith(op *node, src []byte, l, r value) (value, bool) {
	if op == nil {
		return value{}, false
	}
	switch op.text(src) {
	case "+", "-", "*", "^", "|", "&", "<<", ">>", ">>>", "%", "/":
	default:
		return value{}, false
	}
	clock := func(v value) bool {
		return v.t != tainted && (strings.HasSuffix(v.qual, "currentTimeMillis()") || strings.HasSuffix(v.qual, "nanoTime()") ||
			strings.HasSuffix(v.qual, "Date().getTime()") || strings.HasSuffix(v.qual, ".toEpochMilli()"))
	}
	switch {
	case clock(l) && r.t == constant && !r.isStr:
		return value{t: constant, qual: l.qual}, true
	case clock(r) && l.t == constant && !l.isStr:
		return value{t: constant, qual: r.qual}, true
	}
	return value{}, false
}
