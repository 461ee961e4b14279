package code

import (
	"context"
	"encoding/base64"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// jsSources are the qualified names whose values come from the request, the
// URL or the command line: Express/Koa/Hapi requests, the browser location,
// AWS Lambda events and process.argv.
var jsSources = []string{
	"req.query*", "req.body*", "req.params*", "req.headers*", "req.cookies*", "req.url", "req.originalUrl",
	"req.path", "req.param", "req.get", "req.header", "req.files*", "req.file*",
	"request.query*", "request.body*", "request.params*", "request.payload*", "request.headers*", "request.url",
	"ctx.request.*", "ctx.query*", "ctx.params*", "ctx.req.*",
	"location.*", "window.location*", "document.location*", "document.URL", "document.documentURI",
	"document.referrer", "window.name", "document.cookie", "process.argv*",
	"event.body*", "event.queryStringParameters*", "event.pathParameters*", "event.headers*", "event.multiValueQueryStringParameters*",
	"*.searchParams.get", "*.getAttribute",
	// Angular: the route's parameters, query and fragment, and the router's URL.
	"ActivatedRoute.snapshot.params*", "ActivatedRoute.snapshot.queryParams*", "ActivatedRoute.snapshot.fragment*",
	"ActivatedRoute.snapshot.paramMap*", "ActivatedRoute.snapshot.queryParamMap*", "ActivatedRoute.snapshot.url*",
	"ActivatedRoute.params*", "ActivatedRoute.queryParams*", "ActivatedRoute.fragment*", "ActivatedRoute.paramMap*",
	"ActivatedRoute.queryParamMap*", "ActivatedRoute.url*", "Router.url*", "Router.routerState.snapshot.url*",
	"Router.routerState.snapshot.root.*", "Router.parseUrl*", "*getDOM().getLocation()*",
	// The page's address through the client-side routers (React Router,
	// Next.js, Vue Router) and the bare location object.
	"location", "document.baseURI", "react-router-dom.useParams", "react-router.useParams", "react-router-dom.useSearchParams",
	"react-router.useSearchParams", "react-router-dom.useLocation", "react-router.useLocation", "@reach/router.useLocation",
	"next/navigation.useSearchParams", "next/navigation.useParams", "vue-router.useRoute", "this.$route.query*", "this.$route.params*",
	"this.$route.hash*", "this.$route.fullPath*", "this.$route.path*", "*.props.match.params*", "*.props.location.search*",
	"*.props.location.hash*",
}

// jsSanitizers return values that cannot carry an injection.
var jsSanitizers = []string{
	"parseInt", "parseFloat", "Number", "encodeURIComponent", "encodeURI", "escape", "DOMPurify.sanitize",
	"dompurify.sanitize", "*.sanitize", "validator.escape", "*.escape", "Math.*", "path.basename", "Boolean",
	"sanitize-html", "xss", "he.encode", "lodash.escape", "_.escape", "*.escapeHtml", "escape-html", "serialize-javascript",
	// CSS escaping (a selector's special characters, '<' among them).
	"CSS.escape", "$.escapeSelector", "jQuery.escapeSelector",
	// HTML escapers and sanitizers by their usual names.
	"escapeHtml", "escapeHTML", "htmlEscape", "escape_html", "encodeHtml", "encodeHTML", "htmlEncode", "sanitizeHtml", "sanitizeHTML",
	"filterXSS", "xssFilters.*", "*.escapeHTML", "*.htmlEscape", "*.encodeHTML", "*.htmlEncode", "*.sanitizeHtml", "*.encodeForHTML",
	"he.escape", "entities.encode*", "html-entities.encode", "isomorphic-dompurify.sanitize", "xss.filterXSS",
}

// jsSanitizerName matches the names of escaping and sanitizing functions
// beyond jsSanitizers' libraries: the project's own (escapeHtml1,
// htmlEncode2, sanitizeInput, stripTags, encodeForHTMLAttribute).
var jsSanitizerName = newMemoRegexp(regexp.MustCompile(`(?i)^_*(` +
	`(escape|encode|sanitize|purify|strip|clean|filter)_?(html|xss|tags|markup|entities|special_?chars|for_?html)` +
	`|(html|xss|xml)_?(escape|encode|sanitize|purify|strip|clean|filter|entities|special_?chars)` +
	`|sanitize(_?(input|string|str|text|value|data|param|user_?input))?` +
	`)\w*$`))

// jsStringOps build a string from their receiver and arguments.
var jsStringOps = map[string]bool{
	"concat": true, "join": true, "replace": true, "replaceAll": true, "trim": true, "toLowerCase": true,
	"toUpperCase": true, "slice": true, "substring": true, "substr": true, "split": true, "toString": true,
	"padStart": true, "padEnd": true, "trimStart": true, "trimEnd": true, "normalize": true, "format": true,
}

// urlBeforeQuery reports whether the subscript n is the first part of the
// page's address split at '?' (or '#'): location.href.split('?')[0]
// (CodeQL's DomBasedXss QueryPrefixSanitizer).
func (f *jsFile) urlBeforeQuery(n *node) bool {
	idx, obj := n.child("index"), n.child("object")
	if idx == nil || idx.str(f.text) != "0" || obj == nil || obj.kind != "call_expression" {
		return false
	}
	fn := obj.child("function")
	al := obj.child("arguments")
	if fn == nil || fn.kind != "member_expression" || !fn.child("property").is(f.src, "split") || al == nil {
		return false
	}
	a := al.namedChildren()
	if len(a) < 1 || a[0].kind != "string" || unquote(a[0].str(f.text)) != "?" {
		return false
	}
	switch strings.TrimPrefix(strings.TrimPrefix(fn.child("object").str(f.text), "window."), "document.") {
	case "location", "location.href", "URL", "documentURI":
		return true
	}
	return false
}

// jsIndexOps take a part of a string or list by position: their arguments
// are numbers, none of which ends up in the result.
var jsIndexOps = map[string]bool{"slice": true, "substring": true, "substr": true, "charAt": true, "at": true}

// jsFormatters are printf-style formatting functions.
var jsFormatters = map[string]bool{
	"util.format": true, "node:util.format": true, "sprintf-js.sprintf": true, "sprintf-js.vsprintf": true,
	"sprintf": true, "printf.sprintf": true,
}

// jsBuilders are the expressions that can build a string.
var jsBuilders = map[string]bool{"binary_expression": true, "template_string": true, "call_expression": true}

type jsFile struct {
	walker
	// qualBuf is joinLinks's buffer, and qualNames the names it made.
	qualBuf   []byte
	qualNames map[string]string
	// cls is the class whose body (inClass) or method is being walked;
	// declName the variable a function expression being walked is
	// declared as (const helper = (x) => ...).
	cls      string
	inClass  bool
	declName string
	// message is set while the arguments of addEventListener('message',
	// ...) (or the value assigned to onmessage) are walked: the handler's
	// event is postMessage data, which any window can send.
	message bool
	// keys are the values of the keys from input of subscript
	// expressions walked (obj[key]), for the call that calls one.
	keys map[*node]value
	// thrown is the input passed, in the try block being walked, to a
	// call that may throw an error whose message holds it; errback the
	// input passed to the call whose callback is being walked, which may
	// hand the callback such an error first (err, result) => ...
	thrown, errback value
	// fnThrown is what the function walked last left in thrown: the input
	// a promise's executor may reject the promise with.
	fnThrown value
	// thisTypes are the injected services of the class being walked, by
	// field name (injectedFields); cbInput is the input a promise or
	// observable being subscribed to holds, handed to the callback being
	// walked as its first parameter.
	thisTypes map[string]string
	cbInput   value
	// cbNames is the file names a directory listing or glob hands the
	// callback being walked as its second parameter (err, files).
	cbNames value
	// cbEntry is the archive entry an 'entry' event hands the callback
	// being walked as its first parameter.
	cbEntry value
	// callNode is the call whose arguments are being walked (f.call is
	// its name).
	callNode *node
	// scriptVars are the variables holding a script element made here
	// (document.createElement('script')).
	scriptVars map[string]bool
	// root is the program; simple are the names of its function
	// declarations that call nothing and throw nothing (cannotThrow).
	root   *node
	simple map[string]bool
	// predicates are the file's one-statement test functions by name,
	// found when first asked (predicate).
	predicates map[string]jsPredicate
	// resolvers is set while the fields of a GraphQL root type's
	// resolver object are walked (see function).
	resolvers bool
	// narrowedMembers is set once a member chain (req.query.id) was
	// found in an allow-list somewhere: its scope then holds the chain.
	narrowedMembers bool
	// messageFns are the names of functions the file registers as message
	// handlers: addEventListener('message', handle), onmessage = handle.
	messageFns map[string]bool
	// rejected are the random numbers compared (rejectSampled).
	rejected map[string]bool
	// constFns are the file's function declarations whose body only
	// returns a string literal, by name (constReturn).
	constFns map[string]*node
	// stored is the input the file saved in web storage, by storage and
	// key ("sessionStorage\x00draft").
	stored map[string]value
}

func parseJS(ctx context.Context, lang, p string, src []byte, wants func(*site) bool) (*unit, []int, error) {
	grammar := "javascript"
	if lang == "typescript" {
		grammar = "typescript"
		if strings.EqualFold(path.Ext(p), ".tsx") {
			grammar = "tsx"
		}
	}
	f := newJSFile(ctx, lang, src)
	f.wants = wants
	return f.walk(ctx, grammar, f.stmt)
}

func newJSFile(ctx context.Context, lang string, src []byte) *jsFile {
	f := &jsFile{walker: newWalker(ctx, lang, src), keys: map[*node]value{}}
	f.evaluate, f.builders, f.sourceSet, f.sanitizerSet = f.eval, jsBuilders, jsSourceSet.compiled(), jsSanitizerSet.compiled()
	f.sanitizerName = jsSanitizerName
	f.link, f.shape = f.chainLink, jsShape
	return f
}

func (f *jsFile) stmt(n *node, sc *scope) {
	if n == nil || !f.enter() {
		return
	}
	defer f.leave()
	if n.kind == "program" && f.root == nil {
		f.root = n
	}
	switch n.kind {
	case "comment":
	case "import_statement":
		mod := unquote(n.child("source").str(f.text))
		f.u.imports[mod] = true
		for _, c := range n.namedChildren() {
			if c.kind != "import_clause" {
				continue
			}
			for _, ic := range c.namedChildren() {
				switch ic.kind {
				case "identifier":
					f.aliases[ic.str(f.text)] = mod
				case "namespace_import":
					if id := ic.firstNamed("identifier"); id != nil {
						f.aliases[id.str(f.text)] = mod
					}
				case "named_imports":
					for _, sp := range ic.namedChildren() {
						if sp.kind != "import_specifier" {
							continue
						}
						name := sp.child("name").str(f.text)
						local := name
						if a := sp.child("alias"); a != nil {
							local = a.str(f.text)
						}
						f.aliases[local] = mod + "." + name
					}
				}
			}
		}
	case "lexical_declaration", "variable_declaration":
		for _, d := range n.namedChildren() {
			if d.kind == "variable_declarator" {
				f.declarator(d, sc)
			}
		}
	case "function_declaration", "generator_function_declaration", "method_definition", "function_signature":
		f.function(n, sc)
	case "class_declaration", "class", "abstract_class_declaration":
		f.class(n, sc)
	case "return_statement":
		for _, c := range n.namedChildren() {
			if c.kind != "comment" {
				f.ip.returned(f.expr(c, sc))
			}
		}
	case "for_in_statement":
		f.bind(n.child("left"), elementOf(f.expr(n.child("right"), sc)), sc)
		f.stmt(n.child("body"), sc)
	case "expression_statement":
		for _, c := range n.namedChildren() {
			f.expr(c, sc)
		}
	case "if_statement":
		conditional(n, sc, f.narrowed(n, sc))
		f.exitsUnlessAllowed(n, sc)
	case "try_statement":
		f.try(n, sc)
	case "switch_statement":
		f.switchStmt(n, sc)
	case "program", "statement_block", "else_clause", "for_statement", "while_statement",
		"do_statement", "catch_clause", "finally_clause",
		"switch_body", "switch_case", "switch_default", "export_statement", "class_body", "labeled_statement",
		"throw_statement", "with_statement", "parenthesized_expression_statement", "module", "internal_module",
		"ambient_declaration":
		for _, c := range n.children {
			if c.named {
				f.stmt(c, sc)
			}
		}
	case "field_definition", "public_field_definition":
		if v := n.child("value"); v != nil {
			f.expr(v, sc)
		}
	default:
		if strings.HasSuffix(n.kind, "_statement") || strings.HasSuffix(n.kind, "_declaration") && n.kind != "lexical_declaration" {
			if strings.Contains(n.kind, "type") || strings.Contains(n.kind, "interface") || strings.Contains(n.kind, "enum") {
				return
			}
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

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') {
		return s[1 : len(s)-1]
	}
	return s
}

func (f *jsFile) declarator(d *node, sc *scope) {
	name := d.child("name")
	val := d.child("value")
	if val == nil {
		f.bind(name, value{t: unknown}, sc)
		return
	}
	// const cp = require('child_process'); const {exec} = require('child_process')
	if mod, ok := f.requireOf(val); ok {
		f.u.imports[mod] = true
		switch name.kind {
		case "identifier":
			f.aliases[name.str(f.text)] = mod
		case "object_pattern":
			f.aliasMembers(name, mod)
		}
		return
	}
	// const { JWK, JWT } = jose, where jose is a module.
	if name.kind == "object_pattern" && (val.kind == "identifier" || val.kind == "member_expression") {
		if q := f.qual(val); f.isModuleName(q) {
			f.aliasMembers(name, q)
			return
		}
	}
	if name.kind == "identifier" && f.createsScript(val) {
		if f.scriptVars == nil {
			f.scriptVars = map[string]bool{}
		}
		f.scriptVars[name.str(f.text)] = true
	}
	saved := f.target
	f.target = name.str(f.text)
	if name.kind == "identifier" && jsFunctionKinds[val.kind] {
		f.declName = name.str(f.text)
	}
	v := f.expr(val, sc)
	f.declName = ""
	f.target = saved
	if name.kind == "identifier" {
		f.randomCopy(name.str(f.text), v, name, val)
	}
	// const x = require('a').b
	if val.kind == "member_expression" {
		if mod, ok := f.requireOf(val.child("object")); ok && name.kind == "identifier" {
			f.aliases[name.str(f.text)] = mod + "." + val.child("property").str(f.text)
			return
		}
	}
	f.bind(name, v, sc)
}

// aliasMembers records the names an object pattern destructures from the
// module mod ({exec, spawn: run}) as aliases of its members.
func (f *jsFile) aliasMembers(pattern *node, mod string) {
	for _, p := range pattern.namedChildren() {
		switch p.kind {
		case "shorthand_property_identifier_pattern":
			f.aliases[p.str(f.text)] = mod + "." + p.str(f.text)
		case "pair_pattern":
			f.aliases[p.child("value").str(f.text)] = mod + "." + p.child("key").str(f.text)
		}
	}
}

// requireOf reports the module of require('mod') (or await import('mod')).
func (f *jsFile) requireOf(n *node) (string, bool) {
	for n != nil && (n.kind == "await_expression" || n.kind == "parenthesized_expression") {
		n = n.firstNamed("")
	}
	if n == nil || n.kind != "call_expression" {
		return "", false
	}
	fn := n.child("function")
	if fn == nil || (!fn.is(f.src, "require") && fn.kind != "import") {
		return "", false
	}
	args := n.child("arguments").namedChildren()
	if len(args) == 0 || args[0].kind != "string" {
		return "", false
	}
	return unquote(args[0].str(f.text)), true
}

func (f *jsFile) bind(left *node, v value, sc *scope) {
	if left == nil || !f.enter() {
		return
	}
	defer f.leave()
	switch left.kind {
	case "identifier", "shorthand_property_identifier_pattern":
		sc.set(left.str(f.text), v)
	case "object_pattern", "array_pattern":
		el := elementOf(v)
		if v.t == constant {
			el = value{t: constant}
		}
		// function V({ html }): a parameter's parts are parameters too.
		el.param = v.param
		for _, c := range left.namedChildren() {
			switch c.kind {
			case "pair_pattern":
				f.bind(c.child("value"), el, sc)
			case "assignment_pattern", "object_assignment_pattern":
				f.bind(c.child("left"), el, sc)
			case "rest_pattern":
				f.bind(c.firstNamed(""), el, sc)
			default:
				f.bind(c, el, sc)
			}
		}
	}
}

// jsFunctionKinds are the expressions that make a function.
var jsFunctionKinds = map[string]bool{"arrow_function": true, "function_expression": true, "function": true, "generator_function": true}

// class walks a class's body, its methods keyed by its name.
func (f *jsFile) class(n *node, sc *scope) {
	savedCls, savedIn := f.cls, f.inClass
	f.cls, f.inClass = "", true
	if nn := n.child("name"); nn != nil {
		f.cls = nn.str(f.text)
	}
	savedFields := f.thisTypes
	f.thisTypes = f.injectedFields(n.child("body"))
	f.stmt(n.child("body"), sc)
	f.cls, f.inClass, f.thisTypes = savedCls, savedIn, savedFields
}

// injectedTypes are the framework services (Angular's, by their class
// names) a class gets injected, and the name their members are read as:
// this.route.snapshot.params is ActivatedRoute.snapshot.params, an input
// source; this.document is the page's document.
var injectedTypes = map[string]string{
	"ActivatedRoute": "ActivatedRoute", "ActivatedRouteSnapshot": "ActivatedRoute.snapshot", "Router": "Router",
	"RouterStateSnapshot": "Router.routerState.snapshot", "DomSanitizer": "DomSanitizer", "Sanitizer": "DomSanitizer",
	"Renderer2": "Renderer2", "Renderer": "Renderer2", "ElementRef": "ElementRef", "Document": "document",
}

// injectedType is the name a parameter or field's type annotation (or an
// @Inject(DOCUMENT) decorator) makes its value known as, or "".
func (f *jsFile) injectedType(p *node) string {
	for _, d := range p.children {
		if d.kind == "decorator" && decoratorName(d, f.src) == "Inject" && strings.Contains(d.str(f.text), "DOCUMENT") {
			return "document"
		}
	}
	t := p.child("type")
	if t == nil {
		return ""
	}
	name := strings.TrimSpace(strings.TrimPrefix(t.str(f.text), ":"))
	if i := strings.IndexByte(name, '<'); i > 0 {
		name = name[:i]
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return injectedTypes[name]
}

// injectedFields reads a class body for the services its constructor's
// parameter properties (constructor(private route: ActivatedRoute)) and
// its typed or inject()ed fields hold, by field name.
func (f *jsFile) injectedFields(body *node) map[string]string {
	if body == nil {
		return nil
	}
	var out map[string]string
	set := func(field, typ string) {
		if typ == "" || field == "" {
			return
		}
		if out == nil {
			out = map[string]string{}
		}
		out[field] = typ
	}
	for _, m := range body.namedChildren() {
		switch m.kind {
		case "method_definition":
			if nn := m.child("name"); nn == nil || !nn.is(f.src, "constructor") {
				continue
			}
			ps := m.child("parameters")
			if ps == nil {
				continue
			}
			for _, p := range ps.namedChildren() {
				if p.kind != "required_parameter" && p.kind != "optional_parameter" {
					continue
				}
				prop := false
				for _, c := range p.children {
					if c.kind == "accessibility_modifier" || c.kind == "readonly" || c.kind == "override_modifier" {
						prop = true
					}
				}
				if pat := p.child("pattern"); prop && pat != nil && pat.kind == "identifier" {
					set(pat.str(f.text), f.injectedType(p))
				}
			}
		case "public_field_definition", "field_definition":
			nn := m.child("name")
			if nn == nil {
				nn = m.child("property")
			}
			if nn == nil {
				continue
			}
			typ := f.injectedType(m)
			if v := m.child("value"); typ == "" && v != nil && v.kind == "call_expression" {
				// route = inject(ActivatedRoute)
				if fn := v.child("function"); fn != nil && fn.is(f.src, "inject") {
					if a := v.child("arguments").namedChildren(); len(a) == 1 && a[0].kind == "identifier" {
						typ = injectedTypes[a[0].str(f.text)]
						if a[0].is(f.src, "DOCUMENT") {
							typ = "document"
						}
					}
				}
			}
			set(nn.str(f.text), typ)
		}
	}
	return out
}

// localKey returns the key a call of fn names a function of the file by
// (summary.go): a plain name that is not imported, or this.m in a method.
func (f *jsFile) localKey(fn *node) string {
	switch {
	case fn == nil:
	case fn.kind == "identifier" || fn.kind == "member_expression" && fn.child("object") != nil && fn.child("object").kind == "identifier":
		// run(x) or h.run(x), imported from a file of the change
		// (crossfile.go): require('./helpers'), import { run } from
		// './helpers'.
		q := f.qual(fn)
		if strings.HasPrefix(q, "./") || strings.HasPrefix(q, "../") {
			if i := strings.LastIndexByte(q, '.'); i > strings.LastIndexByte(q, '/') && i < len(q)-1 {
				return importKey(q[:i], q[i+1:])
			}
			return ""
		}
		if fn.kind != "identifier" {
			break
		}
		name := fn.str(f.text)
		if _, imported := f.aliases[name]; imported {
			return ""
		}
		return name
	case fn.kind == "member_expression" && f.cls != "":
		obj, prop := fn.child("object"), fn.child("property")
		if obj != nil && obj.kind == "this" && prop != nil {
			return f.cls + "." + prop.str(f.text)
		}
	}
	return ""
}

func (f *jsFile) function(n *node, outer *scope) {
	message, errback, thrown, cbInput, cbNames, cbEntry := f.message, f.errback, f.thrown, f.cbInput, f.cbNames, f.cbEntry
	f.message, f.errback, f.thrown, f.cbInput, f.cbNames, f.cbEntry = false, value{}, value{}, value{}, value{}, value{}
	// A GraphQL resolver (a field of a Query, Mutation or Subscription
	// object): its second parameter holds the query's arguments, which the
	// client writes. Functions inside it are not resolvers.
	resolver := f.resolvers
	f.resolvers = false
	defer func() { f.resolvers = resolver }()
	defer func() { f.fnThrown, f.thrown = f.thrown, thrown }()
	sc := newScope(outer)
	name := ""
	if nn := n.child("name"); nn != nil {
		name = nn.str(f.text)
	}
	key := name
	if jsFunctionKinds[n.kind] && f.declName != "" {
		key = f.declName
	}
	f.declName = ""
	cls, inClass := f.cls, f.inClass
	if n.kind == "method_definition" {
		// A method of a class is called as this.name; one of an object
		// literal is not followed.
		key = ""
		if inClass && cls != "" {
			key = cls + "." + name
		}
	}
	var params []*node
	if p := n.child("parameters"); p != nil {
		params = p.namedChildren()
	} else if p := n.child("parameter"); p != nil {
		params = []*node{p}
	}
	var names []*node
	var pnames []string
	requestTyped := map[*node]bool{}
	decorated := map[*node]string{}
	for _, p := range params {
		switch p.kind {
		case "required_parameter", "optional_parameter":
			names = append(names, p.child("pattern"))
			// NestJS: find(@Query('q') q: string, @Req() req: Request).
			for _, d := range p.children {
				if d.kind != "decorator" {
					continue
				}
				if src, ok := nestParamSources[decoratorName(d, f.src)]; ok {
					if src == "req" {
						requestTyped[p.child("pattern")] = true
					} else {
						decorated[p.child("pattern")] = src
					}
				}
			}
			// constructor(route: ActivatedRoute): an injected service.
			if typ := f.injectedType(p); typ != "" && p.child("pattern") != nil && p.child("pattern").kind == "identifier" {
				f.aliases[p.child("pattern").str(f.text)] = typ
			}
			// (req: Request) or ({ body }: Request) in an Express/Koa handler.
			if t := p.child("type"); t != nil && f.isRequestType(strings.TrimSpace(strings.TrimPrefix(t.str(f.text), ":"))) {
				requestTyped[p.child("pattern")] = true
			}
		case "assignment_pattern":
			names = append(names, p.child("left"))
		default:
			names = append(names, p)
		}
	}
	if len(names) > 0 {
		pnames = make([]string, 0, len(names))
	}
	for _, p := range names {
		pn := ""
		if p != nil {
			pn = p.str(f.text)
		}
		pnames = append(pnames, pn)
	}
	leave := f.ip.enterFn(n, key, pnames, 0, func() {
		savedCls, savedIn, savedTarget := f.cls, f.inClass, f.target
		f.cls, f.inClass, f.target = cls, inClass, ""
		f.function(n, f.module)
		f.cls, f.inClass, f.target = savedCls, savedIn, savedTarget
	})
	defer leave()
	for i, p := range names {
		if p == nil {
			continue
		}
		pn := p.str(f.text)
		v := f.ip.param(i, value{t: unknown, qual: pn, param: true})
		// A Lambda handler's event: (event, context), or the first
		// parameter of a function exported as the handler.
		if pn == "event" && (i+1 < len(names) && names[i+1] != nil && names[i+1].str(f.text) == "context" || i == 0 && (name == "handler" || f.target == "handler")) {
			v = value{t: tainted, source: "event", srcLine: p.line()}
		}
		if resolver && i == 1 {
			v = value{t: tainted, source: "GraphQL arguments", srcLine: p.line()}
		}
		if errback.t == tainted && i == 0 && errorName.MatchString(pn) {
			v = fromInput(errback)
		}
		if src, ok := decorated[p]; ok {
			v = value{t: tainted, source: src, srcLine: p.line()}
		}
		if (message || name != "" && f.messageHandler(name)) && i == 0 {
			v = value{t: tainted, source: "message event", srcLine: p.line()}
		}
		if cbInput.t == tainted && i == 0 {
			v = fromInput(cbInput)
		}
		if cbNames.t == tainted && i == 1 {
			v = cbNames
		}
		if cbEntry.t == tainted && i == 0 {
			v = cbEntry
		}
		if requestTyped[p] {
			switch p.kind {
			case "identifier":
				// Members of a typed request are read as req.body, req.query...
				f.aliases[pn] = "req"
				continue
			case "object_pattern":
				for _, c := range p.namedChildren() {
					field := c.str(f.text)
					local := field
					if c.kind == "pair_pattern" {
						field, local = c.child("key").str(f.text), c.child("value").str(f.text)
					}
					fv := value{t: unknown, qual: local, param: true}
					if anyGlob(jsSources, "req."+field) {
						fv = value{t: tainted, source: "req." + field, srcLine: c.line()}
					}
					sc.set(local, fv)
				}
				continue
			}
		}
		if p.kind == "identifier" {
			sc.set(pn, v)
		} else {
			f.bind(p, v, sc)
		}
	}
	saved := f.fn
	switch {
	case name != "":
		f.fn = name
	case key != "":
		f.fn = key // const helper = (x) => ...
	default:
		// app.get('/', (req, res) => ...): a function of its own.
		f.fn = anonFn(f.fn, n.line())
	}
	f.inClass = false
	body := n.child("body")
	if body != nil && body.kind != "statement_block" {
		f.ip.returned(f.expr(body, sc))
	} else {
		f.stmt(body, sc)
	}
	f.fn = saved
	f.inClass = inClass
}

// qual returns the qualified name of an expression used as a callee or a
// member chain, with imports resolved: child_process.exec, req.query.x. It
// follows the chain down in a loop and builds the name back up.
func (f *jsFile) qual(n *node) string {
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
		case "identifier", "property_identifier", "shorthand_property_identifier":
			q = f.resolve(n.str(f.text))
		case "this":
			q = "this"
		case "member_expression", "subscript_expression":
			if obj := n.child("object"); obj != nil && obj.kind == "this" && n.kind == "member_expression" && f.thisTypes != nil {
				if typ, ok := f.thisTypes[n.child("property").str(f.text)]; ok {
					// this.route, an injected ActivatedRoute.
					q = typ
					break
				}
			}
			next, terminal = n.child("object"), false
		case "call_expression":
			if mod, ok := f.requireOf(n); ok {
				// require('sqlite3').verbose(): the module is imported.
				f.u.imports[mod] = true
				q = mod
			} else {
				next, terminal = n.child("function"), false
			}
		case "new_expression":
			next, terminal = n.child("constructor"), false
		case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression":
			next, terminal = n.firstNamed(""), false
		}
		if terminal {
			break
		}
		links = append(links, n)
		n = next
	}
	if !f.building && len(links) > 0 {
		if joined, ok := f.joinLinks(q, links); ok {
			return joined
		}
	}
	for i := len(links) - 1; i >= 0; i-- {
		m := links[i]
		switch m.kind {
		case "member_expression":
			q += "." + m.child("property").str(f.text)
		case "subscript_expression":
			if idx := m.child("index"); idx != nil && idx.kind == "string" {
				q += "." + unquote(idx.str(f.text))
			} else {
				q += "[]"
			}
		case "call_expression", "new_expression":
			q += "()"
		}
		q = clipName(q)
		if f.building {
			f.quals[m] = q
		}
	}
	return q
}

// joinLinks is qual's loop over links, building the name in one buffer
// rather than a string per link, when no link is kept apart (not
// building) and the whole name is within maxName: then no clipName of the
// loop would have clipped (the name only grows), and the name is the
// loop's. ok is false past maxName: the loop then clips as it goes.
func (f *jsFile) joinLinks(q string, links []*node) (string, bool) {
	b := append(f.qualBuf[:0], q...)
	for i := len(links) - 1; i >= 0 && len(b) <= maxName; i-- {
		m := links[i]
		switch m.kind {
		case "member_expression":
			b = append(b, '.')
			b = append(b, m.child("property").str(f.text)...)
		case "subscript_expression":
			if idx := m.child("index"); idx != nil && idx.kind == "string" {
				b = append(b, '.')
				b = append(b, unquote(idx.str(f.text))...)
			} else {
				b = append(b, "[]"...)
			}
		case "call_expression", "new_expression":
			b = append(b, "()"...)
		}
	}
	f.qualBuf = b
	if len(b) > maxName {
		return "", false
	}
	// A file names the same chains again and again (req.body, res.send):
	// each name is made once per file.
	if q, ok := f.qualNames[string(b)]; ok {
		return q, true
	}
	if f.qualNames == nil {
		f.qualNames = map[string]string{}
	}
	q = string(b)
	f.qualNames[q] = q
	return q, true
}

// chainLink is the walker's link for JavaScript: what eval evaluates first
// in a binary expression, a member access, a call or a parenthesized
// expression, unless it stops before (an input source, a remembered field,
// a require).
func (f *jsFile) chainLink(n *node, sc *scope) *node {
	switch n.kind {
	case "binary_expression":
		return n.child("left")
	case "member_expression", "subscript_expression":
		if _, ok := f.source(f.qual(n), n); ok {
			return nil
		}
		if key := f.fieldKey(n, sc); key != "" {
			if _, ok := sc.lookup(key); ok {
				return nil
			}
		}
		return n.child("object")
	case "call_expression", "new_expression":
		f.qual(jsCallee(n))
		if _, ok := f.requireOf(n); ok {
			return nil
		}
	case "parenthesized_expression":
		if kids := n.namedChildren(); len(kids) != 1 || kids[0].kind == "type_annotation" || strings.HasSuffix(kids[0].kind, "_type") || kids[0].kind == "type_identifier" {
			return nil
		}
	}
	return jsShape(n)
}

// jsShape is chainLink by kind alone.
func jsShape(n *node) *node {
	switch n.kind {
	case "binary_expression":
		return n.child("left")
	case "member_expression", "subscript_expression":
		return n.child("object")
	case "call_expression", "new_expression":
		fn := jsCallee(n)
		switch {
		case fn == nil || fn.kind == "identifier":
			return nil
		case fn.kind == "member_expression":
			return fn.child("object")
		}
		return fn
	case "parenthesized_expression":
		if kids := n.namedChildren(); len(kids) == 1 {
			return kids[0]
		}
	}
	return nil
}

// jsCallee is the function a call or new expression calls.
func jsCallee(n *node) *node {
	if n.kind == "new_expression" {
		return n.child("constructor")
	}
	return n.child("function")
}

func (f *jsFile) eval(n *node, sc *scope) value {
	switch n.kind {
	case "string":
		var b strings.Builder
		for _, c := range n.children {
			if c.kind == "string_fragment" || c.kind == "escape_sequence" {
				b.WriteString(c.str(f.text))
			}
		}
		return value{t: constant, isStr: true, lit: b.String(), origin: n.s() + 1}
	case "template_string":
		var parts []value
		for _, c := range n.children {
			switch c.kind {
			case "string_fragment", "escape_sequence":
				parts = append(parts, value{t: constant, isStr: true, lit: c.str(f.text)})
			case "template_substitution":
				parts = append(parts, f.expr(c.firstNamed(""), sc))
			}
		}
		if len(parts) == 0 {
			return value{t: constant, isStr: true}
		}
		if len(parts) == 1 && parts[0].t != constant {
			// `${x}`: x as a string, nothing before it (a selector
			// from location.hash still starts with '#').
			v := parts[0]
			v.scalar, v.elems, v.fields = true, nil, nil
			return v
		}
		return withOrigins(combine(parts...), parts...)
	case "number":
		return value{t: constant, lit: n.str(f.text)}
	case "true", "false", "null", "undefined":
		return value{t: constant, lit: n.kind}
	case "regex":
		// A regular expression literal is a site of its own, as if it
		// were new RegExp('...'), for rules on the pattern (ReDoS).
		if pat := n.child("pattern"); pat != nil {
			f.add(site{kind: siteCall, name: "regex-literal", args: []value{{t: constant, isStr: true, lit: pat.str(f.text)}}, fn: f.fn}, n, n, n)
		}
		return value{t: constant}
	case "identifier", "shorthand_property_identifier":
		return f.identifier(n, sc)
	case "member_expression", "subscript_expression":
		q := f.qual(n)
		if f.narrowedMembers {
			if v, ok := sc.lookup("\x00" + q); ok {
				return v
			}
		}
		if n.kind == "member_expression" && n.child("property").is(f.src, "length") {
			// x.length is a number, whatever x holds (req.query.q.length).
			f.expr(n.child("object"), sc)
			return value{t: constant, qual: q, scalar: true}
		}
		if n.kind == "subscript_expression" && f.urlBeforeQuery(n) {
			// location.href.split('?')[0]: the page's address up to its
			// query, which no one but the site chooses.
			f.expr(n.child("index"), sc)
			return value{t: constant, isStr: true, qual: q}
		}
		if pageOwnLocationSet.compiled().match(q) {
			// location.host, location.pathname: the page's own origin, and
			// a path the browser percent-encodes; not text anyone writes.
			f.expr(n.child("object"), sc)
			return value{t: constant, isStr: true, qual: q}
		}
		if v, ok := f.source(q, n); ok {
			if refererHeader(q) {
				v.source = jsRefererSource + " (" + q + ")"
			}
			return v
		}
		if key := f.fieldKey(n, sc); key != "" {
			if v, ok := sc.lookup(key); ok {
				return v
			}
		}
		obj := f.expr(n.child("object"), sc)
		if v, ok := f.domText(n, q, obj); ok {
			return v
		}
		if prop := n.child("property"); prop != nil && n.kind == "member_expression" && domOwnProps[prop.str(f.text)] &&
			(domElementQualsSet.compiled().match(strings.TrimSuffix(q, "."+prop.str(f.text))) || obj.qual != "" && domElementQualsSet.compiled().match(obj.qual)) {
			// el.id, el.className, el.checked: the page's own markup and
			// state, not text from a user.
			return value{t: constant, qual: q, scalar: true}
		}
		if prop := n.child("property"); prop != nil && n.kind == "member_expression" && (obj.qual == "next/router.useRouter()" || obj.qual == "next/router.withRouter()") &&
			(prop.is(f.src, "query") || prop.is(f.src, "asPath")) {
			// const router = useRouter(); router.query: the URL's query.
			return value{t: tainted, source: "router." + prop.str(f.text), qual: q, srcLine: n.line()}
		}
		if n.kind == "subscript_expression" && obj.secRand == secBytes {
			// crypto.randomBytes(4)[0]: one uniformly random byte.
			f.expr(n.child("index"), sc)
			return value{t: unknown, qual: q, secRand: secNumber, start: n.s(), end: n.e()}
		}
		if n.kind == "subscript_expression" {
			// Only a key from input is kept: what a rule on a method
			// chosen by name needs, without a copy per subscript.
			k := f.expr(n.child("index"), sc)
			if k.t == tainted && len(f.keys) < maxSites {
				f.keys[n] = k
			}
			if o := n.child("object"); k.t == tainted && f.thrown.t != tainted && o != nil && (o.kind == "null" || o.kind == "undefined") {
				// null[x] throws a TypeError that names x.
				f.thrown = fromInput(k)
			}
		}
		if obj.t == tainted {
			v := fromInput(obj)
			if prop := n.child("property"); prop != nil && (prop.is(f.src, "query") || prop.is(f.src, "searchParams") || prop.is(f.src, "search")) &&
				(obj.source == "req.url" || obj.source == "req.originalUrl" || obj.source == "request.url") {
				// url.parse(req.url, true).query: the query, not the
				// request's own path.
				v.source = "req.query"
			}
			v.qual = q
			return v
		}
		if prop := n.child("property"); prop != nil && isConstName(prop.str(f.text)) {
			return value{t: constant, lit: q, qual: q}
		}
		return value{t: unknown, qual: q, param: obj.param}
	case "call_expression":
		return f.callExpr(n, sc, false)
	case "new_expression":
		return f.callExpr(n, sc, true)
	case "binary_expression":
		l := f.expr(n.child("left"), sc)
		r := f.expr(n.child("right"), sc)
		op := n.child("operator")
		var v value
		switch {
		case op != nil && op.str(f.text) == "+":
			v = withOrigins(combine(l, r), l, r)
		case op != nil && (op.str(f.text) == "||" || op.str(f.text) == "??"):
			v = worst(l, r)
		default:
			v = arithmetic(op.str(f.text), l, r)
		}
		if op != nil && (l.secRand != 0 || r.secRand != 0) {
			if v.secRand = f.biasedRandom(n, op.str(f.text), l, r); v.secRand == secNumber {
				v.isStr = false // 5 + byte is a number
			}
		}
		return v
	case "parenthesized_expression", "await_expression", "non_null_expression", "as_expression",
		"satisfies_expression", "type_assertion", "spread_element", "sequence_expression":
		var last value
		for _, c := range n.namedChildren() {
			if c.kind == "type_annotation" || strings.HasSuffix(c.kind, "_type") || c.kind == "type_identifier" {
				continue
			}
			last = f.expr(c, sc)
		}
		if n.kind == "await_expression" && last.opaque {
			// await users.create(req.body), await api.get(url): what the
			// work resolves to (a record, a response), not the input
			// that went in.
			return value{t: unknown, qual: last.qual}
		}
		return last
	case "ternary_expression":
		cond, cons, alt := n.child("condition"), n.child("consequence"), n.child("alternative")
		f.expr(cond, sc)
		if subject, negated := f.allowed(cond, sc); subject != nil {
			// ALLOWED.includes(x) ? x : 'en': the arm taken when x is
			// in the allow-list sees it as one of them (narrowed).
			inner := newScope(sc)
			f.narrow(subject, inner)
			if negated {
				return worst(f.expr(cons, sc), f.expr(alt, inner))
			}
			return worst(f.expr(cons, inner), f.expr(alt, sc))
		}
		return worst(f.expr(cons, sc), f.expr(alt, sc))
	case "array":
		return f.list(n.namedChildren(), sc)
	case "object":
		return f.object(n, sc)
	case "assignment_expression", "augmented_assignment_expression":
		return f.assign(n, sc)
	case "arrow_function", "function_expression", "function", "generator_function":
		f.function(n, sc)
		return value{t: unknown}
	case "jsx_element", "jsx_self_closing_element", "jsx_opening_element", "jsx_fragment":
		f.jsx(n, sc)
		return value{t: unknown}
	case "unary_expression", "update_expression":
		var arg value
		for _, c := range n.namedChildren() {
			arg = f.expr(c, sc)
		}
		if n.kind == "unary_expression" && n.child("operator").is(f.src, "!") && arg.t == constant && !arg.isStr {
			// !true, !!false, !0: the boolean is known.
			switch arg.lit {
			case "true", "1":
				return value{t: constant, lit: "false"}
			case "false", "0", "null", "undefined":
				return value{t: constant, lit: "true"}
			}
		}
		if op := n.child("operator").str(f.text); op == "-" || op == "+" || op == "~" {
			// -x, +x: a number, as predictable as x.
			return value{t: constant, weakRand: arg.weakRand}
		}
		return value{t: constant}
	case "comment":
		return value{t: constant}
	case "class":
		f.class(n, sc)
		return value{t: unknown}
	}
	return f.anyInput(n.namedChildren(), sc)
}

func (f *jsFile) object(n *node, sc *scope) value {
	out := value{t: constant, fields: map[string]string{}}
	for _, p := range n.namedChildren() {
		if p.kind == "shorthand_property_identifier" {
			// {username, password}: a pair whose key names the variable.
			pv := f.expr(p, sc)
			out.worsen(pv)
			out.param = out.param || pv.param
			f.addValue(site{kind: sitePair, name: p.str(f.text), container: f.call, fn: f.fn, target: f.target}, pv, p, p, p)
			continue
		}
		if p.kind == "method_definition" {
			// { user(parent, args) {...} }: a function of its own, its
			// parameters bound (a GraphQL resolver's arguments are input).
			inClass := f.inClass
			f.inClass = false
			f.function(p, sc)
			f.inClass = inClass
			continue
		}
		if p.kind != "pair" {
			out.worsen(f.expr(p, sc))
			continue
		}
		kn := p.child("key")
		key := unquote(kn.str(f.text))
		// The value is made for the key: {secret: Math.random()}. A
		// React list's key is an identity, not a secret.
		saved := f.target
		if key != "key" {
			f.target = key
		}
		savedResolvers := f.resolvers
		if jsResolverTypes[key] && p.child("value") != nil && p.child("value").kind == "object" {
			f.resolvers = true
		}
		pv := f.expr(p.child("value"), sc)
		f.resolvers = savedResolvers
		f.target = saved
		out.worsen(pv)
		out.param = out.param || pv.param
		if pv.t == constant && len(out.fields) < maxElems {
			out.fields[strings.ToLower(key)] = pv.lit
		}
		f.addValue(site{kind: sitePair, name: key, container: f.call, fn: f.fn, target: f.target}, pv, p, p, kn)
		if key != "key" {
			f.randomCopy(key, pv, kn, p.child("value"))
		}
		if lk := strings.ToLower(key); (lk == "secure" || lk == "httponly") && pv.t == constant && pv.lit == "false" && f.callNode != nil &&
			f.callNode.line() != p.line() && jsCookieCallsSet.compiled().match(f.call) {
			// session({ ... cookie: { secure: false } ... }) over several
			// lines: the call is the site, as a cookie set without Secure.
			f.add(site{kind: siteCall, name: "insecure-cookie-options", args: []value{pv}, fn: f.fn}, f.callNode, f.callNode, kn)
		}
		if key == "checkServerIdentity" && f.acceptsAnyIdentity(p.child("value")) {
			f.add(site{kind: siteCall, name: "no-server-identity-check", fn: f.fn}, p, p, kn)
		}
	}
	return out
}

// jsx records JSX attributes as pairs (dangerouslySetInnerHTML={...},
// href={...}) whose container is the element name.
func (f *jsFile) jsx(n *node, sc *scope) {
	if !f.enter() {
		return
	}
	defer f.leave()
	for _, c := range n.namedChildren() {
		switch c.kind {
		case "jsx_attribute":
			var nameNode, valNode *node
			for _, a := range c.namedChildren() {
				if nameNode == nil {
					nameNode = a
				} else {
					valNode = a
				}
			}
			if nameNode == nil {
				continue
			}
			v := value{t: constant, lit: "true"}
			if valNode != nil {
				if valNode.kind == "jsx_expression" {
					v = f.expr(valNode.firstNamed(""), sc)
				} else {
					v = f.expr(valNode, sc)
				}
			}
			f.addValue(site{kind: sitePair, name: nameNode.str(f.text), container: "jsx", fn: f.fn}, v, c, c, nameNode)
		case "jsx_expression":
			if e := c.firstNamed(""); e != nil {
				f.expr(e, sc)
			}
		default:
			if strings.HasPrefix(c.kind, "jsx_") {
				f.jsx(c, sc)
			}
		}
	}
}

func (f *jsFile) assign(n *node, sc *scope) value {
	left := n.child("left")
	right := n.child("right")
	saved := f.target
	if left != nil {
		f.target = left.str(f.text)
		if left.kind == "member_expression" {
			f.target = left.child("property").str(f.text)
		}
	}
	op := ""
	if o := n.child("operator"); o != nil {
		op = o.str(f.text)
	}
	rsc := sc
	if op == "||=" && left != nil && left.kind == "identifier" {
		// x ||= e: e is evaluated where x is falsy.
		rsc = newScope(sc)
		rsc.set(left.str(f.text), value{t: constant})
	}
	// exports.run = function (cmd) {...}: a function other files call
	// as run (crossfile.go).
	if left != nil && left.kind == "member_expression" && right != nil && jsFunctionKinds[right.kind] {
		if obj := f.qual(left.child("object")); obj == "exports" || obj == "module.exports" {
			f.declName = left.child("property").str(f.text)
		}
	}
	f.message = left != nil && left.kind == "member_expression" && left.child("property").is(f.src, "onmessage")
	rv := f.expr(right, rsc)
	f.message = false
	f.declName = ""
	f.target = saved
	if left == nil {
		return rv
	}
	if n.kind == "augmented_assignment_expression" && left.kind == "identifier" {
		old, _ := sc.lookup(left.str(f.text))
		switch op {
		case "&&=":
			// x &&= e: x is e, or stays falsy.
		case "||=", "??=":
			rv = worst(old, rv)
		default:
			rv = combine(old, rv)
		}
	}
	switch left.kind {
	case "identifier":
		// module.exports.handler = ... and plain reassignments.
		sc.assign(left.str(f.text), rv)
		f.randomCopy(left.str(f.text), rv, left, right)
	case "member_expression", "subscript_expression":
		var nameNode *node
		name := ""
		if left.kind == "member_expression" {
			nameNode = left.child("property")
			name = nameNode.str(f.text)
		} else if idx := left.child("index"); idx != nil && idx.kind == "string" {
			nameNode = idx
			name = unquote(idx.str(f.text))
		}
		if key := f.fieldKey(left, sc); key != "" {
			sc.assign(key, rv)
		}
		if obj := left.child("object"); obj != nil && obj.kind == "identifier" && name != "" {
			// options.url = input; request(options): the object holds
			// input now, or a constant under that key.
			if ov, ok := sc.lookup(obj.str(f.text)); ok && ov.fields != nil && !ov.isStr {
				if rv.t == constant && len(ov.fields) < maxElems {
					fields := make(map[string]string, len(ov.fields)+1)
					for k, v := range ov.fields {
						fields[k] = v
					}
					fields[strings.ToLower(name)] = rv.lit
					ov.fields = fields
				}
				ov.worsen(rv)
				sc.assign(obj.str(f.text), ov)
			}
		}
		if name != "" && right != nil {
			container := f.qual(left.child("object"))
			if f.scriptVars[container] {
				// s = document.createElement('script'); s.src = ...
				container = "script"
			}
			f.addValue(site{kind: siteAssign, name: name, container: container, fn: f.fn}, rv, left, right, nameNode)
			if name == "cookie" && (container == "document" || container == "window.document") && cookieWithoutSecure(rv) {
				f.add(site{kind: siteCall, name: "cookie-without-secure", args: []value{rv}, fn: f.fn}, n, n, nameNode)
			}
		}
	default:
		f.bind(left, rv, sc)
	}
	return rv
}

func (f *jsFile) callExpr(n *node, sc *scope, isNew bool) value {
	fnNode := n.child("function")
	if isNew {
		fnNode = n.child("constructor")
	}
	q := f.qual(fnNode)
	if mod, ok := f.requireOf(n); ok {
		return value{t: constant, qual: mod}
	}
	var recv value
	nameNode := fnNode
	if fnNode != nil && fnNode.kind == "member_expression" {
		recv = f.expr(fnNode.child("object"), sc)
		nameNode = fnNode.child("property")
	} else if fnNode != nil && fnNode.kind != "identifier" {
		recv = f.expr(fnNode, sc)
	}
	var args []value
	if lastName(q) == "addEventListener" {
		if al := n.child("arguments").namedChildren(); len(al) > 1 && al[0].kind == "string" && unquote(al[0].str(f.text)) == "message" {
			f.message = true
		}
	}
	if m := lastName(q); (m == "subscribe" || m == "then") && recv.t == tainted && !recv.opaque {
		// route.paramMap.subscribe(map => ...), p.then(v => ...): the
		// callback is handed what the observable or promise holds (not
		// what a call of no known purpose given input resolves to:
		// api.get(url).then(data => ...) gets a response, as await does).
		f.cbInput = recv
	}
	if m := lastName(q); jsElementCallbacks[m] && recv.t == tainted && fnNode != nil && fnNode.kind == "member_expression" {
		// names.forEach(name => ...), items.map(i => ...): the callback
		// is handed each element.
		f.cbInput = elementOf(recv)
	}
	if m := lastName(q); m == "catch" && recv.rejects != nil && recv.rejects.t == tainted {
		// new Promise(r => load(x, r)).catch(e => ...): the callback is
		// handed the error the executor's call may reject with.
		f.cbInput = *recv.rejects
	} else if m == "catch" && recv.t == tainted && fnNode != nil && fnNode.kind == "member_expression" && jsCallee(fnNode.child("object")) != nil {
		// load(x).then(...).catch(e => ...): a promise a call given input
		// made rejects with an error that may quote it (a driver's
		// "invalid input syntax: ..." or a cast error).
		e := fromInput(recv)
		e.source += " (in a promise rejection)"
		f.cbInput = e
	}
	savedCallNode := f.callNode
	f.callNode = n
	f.fnThrown = value{}
	if al := n.child("arguments"); al != nil && al.kind == "template_string" {
		// tag`a${x}b`: the tag gets the constant strings apart from the
		// values (sql`...`, a parameterized query), not one string.
		args = f.tagArgs(q, al, sc)
	} else {
		args = f.callArgs(q, al.namedChildren(), sc)
	}
	f.callNode = savedCallNode
	executorThrown := f.fnThrown
	f.fnThrown = value{}
	if f.thrown.t != tainted && !jsQuietCallsSet.compiled().match(q) && !f.sanitizerSet.match(q) && !f.cannotThrow(fnNode) {
		// recv, then args, without a slice of both (a copy per call).
		if recv.t == tainted {
			f.thrown = fromInput(recv)
		} else {
			for _, a := range args {
				if a.t == tainted {
					f.thrown = fromInput(a)
					break
				}
			}
		}
	}
	f.message, f.cbInput = false, value{}
	if nameNode == nil {
		nameNode = n
	}
	if m := lastName(q); (m == "sendFile" || m == "download") && len(args) > 1 && f.hasRootOption(n) {
		// res.sendFile(name, { root }): send refuses a path that climbs
		// out of root (403), so the name only picks a file in it.
		args = append([]value{{t: constant, isStr: true}}, args[1:]...)
	}
	if (q == "$" || q == "jQuery") && len(args) > 0 && args[0].t == tainted && !args[0].hasVar && jsAnchoredSources[args[0].qual] {
		// $(location.hash): the fragment as it is starts with '#' (the
		// query with '?', the URL with its scheme), so jQuery reads a
		// selector, never markup.
		args = append([]value{{t: constant, isStr: true}}, args[1:]...)
	}
	if ct, ok := responseContentType(q, args); ok {
		// Kept as a value the arms of an if join: constant for text or
		// data, unknown for a page. Not set is a page: the module holds
		// that, so an arm that sets nothing joins as one.
		if _, ok := sc.lookup(jsContentType); !ok {
			f.module.set(jsContentType, value{t: unknown})
		}
		if htmlContentType(ct) {
			sc.set(jsContentType, value{t: unknown})
		} else {
			sc.set(jsContentType, value{t: constant})
		}
	} else if len(args) > 0 && (jsResponseWrites[q] || jsChainedWritesSet.compiled().match(q)) {
		ct, set := sc.lookup(jsContentType)
		dataType := set && ct.t == constant
		if c, ok := f.chainContentType(fnNode); ok {
			dataType = !htmlContentType(c)
		}
		if dataType || args[0].elems != nil && !args[0].isStr || jsStructuredArg(n.child("arguments").namedChildren(), f.src) {
			// res.type('json'); res.send(x), res.send([x]): text or JSON,
			// which a browser does not render as a page.
			args = append([]value{{t: constant, isStr: true}}, args[1:]...)
		}
	}
	// pkg: a function called by its name (query(...) imported from the
	// project's helpers), not a method called on a value (pool.query).
	f.add(site{kind: siteCall, name: q, args: args, fn: f.fn, target: f.target, recv: receiverOf(recv),
		pkg: fnNode != nil && fnNode.kind == "identifier"}, n, n, nameNode)
	if v, ok := f.secureRandomCall(q, n, recv, args); ok {
		return v
	}
	if v, ok := f.webStorage(q, args); ok {
		return v
	}
	if jsFileNameCallsSet.compiled().match(q) || jsArchiveMetadataSet.compiled().match(q) {
		// fs.readdirSync(dir), await glob(pattern), parseTorrent(buf):
		// names whoever wrote the files or the archive chose.
		return fileNames(q, n)
	}
	if isNew && q == "Promise" && executorThrown.t == tainted {
		// new Promise((resolve, reject) => load(x, resolve)): the promise
		// may be rejected with an error that holds x.
		rej := fromInput(executorThrown)
		rej.source += " (in a promise rejection)"
		return value{t: unknown, qual: "Promise()", rejects: &rej}
	}
	if v, ok := f.validationErrors(q, fnNode, args, recv, sc); ok {
		return v
	}
	if fnNode != nil && fnNode.kind == "subscript_expression" {
		// obj[key](...), new obj[key](...): a site of its own whose
		// argument is the key, for rules on methods chosen by name (unsafe
		// reflection). The key's value is the one walked with the callee;
		// else only a key that is a name or a member chain is read again:
		// it has no calls, so reading it twice records nothing twice.
		if obj := fnNode.child("object"); obj != nil && obj.kind == "identifier" && f.objectLiteral(obj, sc) {
			// handlers[name](...): a table of the program's own functions.
		} else if k, ok := f.keys[fnNode]; ok {
			f.add(site{kind: siteCall, name: "computed-call", args: []value{k}, fn: f.fn, target: f.target}, n, n, fnNode)
		} else if idx := fnNode.child("index"); idx != nil && (idx.kind == "identifier" || idx.kind == "member_expression") &&
			!strings.ContainsAny(idx.str(f.text), "([`") {
			f.add(site{kind: siteCall, name: "computed-call", args: []value{f.expr(idx, sc)}, fn: f.fn, target: f.target}, n, n, fnNode)
		}
	}
	if m := lastName(q); (m == "setHeader" || m == "header" || m == "set" || m == "append" || m == "setRequestHeader") && len(args) > 1 &&
		args[0].t == constant && strings.EqualFold(args[0].lit, "Set-Cookie") && (cookieWithoutSecure(args[1]) || sessionCookieWithoutHTTPOnly(args[1])) {
		f.add(site{kind: siteCall, name: "cookie-without-secure", args: args[1:2], fn: f.fn}, n, n, nameNode)
	}
	if escapingTemplate(q, args) {
		// ejs.render('<p><%= name %></p>', { name }): the engine
		// escapes what it interpolates; a compiled one's calls do too.
		if jsTemplateCompilers[strings.ToLower(q)] {
			return value{t: unknown, qual: jsEscapingTemplate}
		}
		return value{t: unknown, qual: q + "()"}
	}
	if fnNode != nil && fnNode.kind == "identifier" {
		if v, ok := sc.lookup(fnNode.str(f.text)); ok && v.qual == jsEscapingTemplate {
			return value{t: unknown, qual: q + "()"}
		}
	}
	if markupFreeEncoding(q, isNew, recv, args) {
		// buf.toString('base64'), hash.digest('hex'), btoa(x), new
		// Date(x): text in an alphabet with no markup, quote or path in
		// it, whatever went in.
		return value{t: constant, isStr: true, qual: q + "()"}
	}
	if m := lastName(q); (m == "replace" || m == "replaceAll") && recv.t == tainted && len(args) > 1 && f.escapesMarkup(n) {
		// x.replace(/</g, '&lt;'): markup escaped by hand.
		return value{t: constant, isStr: true, qual: q + "()"}
	}
	if m := lastName(q); (m == "replace" || m == "replaceAll") && recv.t == tainted && len(args) > 1 && f.escapesRegExp(n) {
		// x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'): every regular
		// expression metacharacter escaped; the pattern matches x literally.
		return value{t: constant, isStr: true, qual: q + "()"}
	}
	if m := lastName(q); (m == "replace" || m == "replaceAll") && recv.t == tainted && len(args) > 0 && f.stripsLineBreaks(n) {
		// x.replace(/\n|\r/g, ''): no line break forges a log entry.
		v := combine(append([]value{recv}, args...)...)
		if v.t == tainted {
			v.source += " (line breaks removed)"
		}
		return v
	}
	if (q == "JSON.stringify" || q == "util.inspect" || q == "node:util.inspect") && len(args) > 0 && args[0].t == tainted {
		v := fromInput(args[0])
		v.source += " (JSON-encoded)"
		return v
	}
	if m := lastName(q); (m == "post" || m == "put" || m == "delete" || m == "patch") && len(args) >= 2 && reRouter.MatchString(q) && !csrfGuarded(args) {
		// app.post('/email', handler): a state-changing route with no CSRF
		// middleware among its handlers, for the CSRF rule's IfCalled.
		f.add(site{kind: siteCall, name: "state-changing-route-without-csrf", fn: f.fn}, n, n, nameNode)
	}
	if len(args) >= 2 && jsCookieSettersSet.compiled().match(q) && args[0].t == constant && args[0].isStr && reSessionCookie.MatchString(args[0].lit) &&
		!f.optionGiven(n, 2, "secure") {
		// res.cookie('session', id): a session cookie without Secure.
		f.add(site{kind: siteCall, name: "cookie-without-secure", args: args[:1], fn: f.fn}, n, n, nameNode)
	}
	if (q == "js-yaml.load" || q == "js-yaml.loadAll") && len(args) > 0 && !yamlSafeSchema(args) {
		// js-yaml before 4 loads !!js/function and other code-running tags
		// unless given a safe schema.
		f.add(site{kind: siteCall, name: "js-yaml-unsafe-load", args: args[:1], fn: f.fn, target: f.target}, n, n, nameNode)
	}
	if v, ok := f.domTextCall(q, n, args); ok {
		return v
	}
	if jsHeaderGetters[q] && len(args) > 0 && args[0].t == constant && args[0].isStr {
		// req.get('User-Agent'): the header named, as req.headers reads it.
		h := strings.Split(q, ".")[0] + ".headers." + strings.ToLower(args[0].lit)
		src := h
		if refererHeader(h) {
			src = jsRefererSource + " (" + h + ")"
		}
		return value{t: tainted, source: src, srcLine: n.line()}
	}
	if jsElementGettersSet.compiled().match(q) {
		// document.getElementById(id): an element (or none), whatever
		// the id; $(el) wraps it, never parses it.
		return value{t: unknown, qual: q + "()"}
	}
	if jsURLDecoders[q] && len(args) > 0 && args[0].t == tainted && !args[0].hasVar && jsAnchoredSources[args[0].qual] {
		// decodeURIComponent(location.hash) still starts with '#'.
		return args[0]
	}
	if jsMarkdownEscapingSet.compiled().match(q) {
		// new Remarkable(), markdownit(): raw HTML in the markdown is
		// escaped unless the options turn it on ({ html: true }).
		for _, a := range args {
			if a.fields["html"] == "true" {
				return value{t: unknown, qual: q + "(html)"}
			}
		}
		return value{t: unknown, qual: q + "()"}
	}
	if m := lastName(q); (m == "render" || m == "renderInline") && jsMarkdownEscapingMadeSet.compiled().match(recv.qual) {
		// md.render(text): markup with the text's HTML escaped and its
		// links checked (no javascript: URL).
		return value{t: constant, isStr: true, qual: q + "()"}
	}
	if m := lastName(q); (m == "getAttribute" || m == "getAttributeNS") && len(args) > 0 && args[len(args)-1].t == constant &&
		args[len(args)-1].isStr && pageOwnAttribute(args[len(args)-1].lit) {
		// el.getAttribute('id'): the page's own markup.
		return value{t: constant, isStr: true, qual: q + "()"}
	}
	if m := lastName(q); len(args) > 0 && (strings.HasPrefix(q, "$(") || strings.HasPrefix(q, "jQuery(")) && jqueryObjectMethods[m] &&
		!(m == "css" && len(args) == 1 && args[0].isStr) {
		// $('<span>').text(x): a selection, not markup.
		return value{t: unknown, qual: q + "()"}
	}
	if jsFileReadsSet.compiled().match(q) || jsRecordReadsSet.compiled().match(q) {
		// fs.readFileSync(path): the file's content, which whoever
		// named the path did not write; Model.findAll({where: {id}}):
		// the records found, not the id that chose them. Its error (a
		// thrown one, or the promise's rejection) may quote the input.
		out := value{t: unknown, qual: q + "()"}
		for _, a := range args {
			if a.t == tainted {
				rej := fromInput(a)
				rej.source += " (in a promise rejection)"
				out.rejects = &rej
				break
			}
		}
		return out
	}
	if len(args) == 0 && (strings.HasPrefix(q, "$(") || strings.HasPrefix(q, "jQuery(")) && lastName(q) == "html" {
		// $('<div>').text(x).html(): the markup of text set as text, the
		// escaping idiom; a selection's markup is what the page already
		// holds.
		return value{t: unknown, qual: q + "()"}
	}
	if v, ok := f.knownCall(q, n); ok && !(v.t == tainted && fnNode.kind == "member_expression" && recv.t == constant) {
		// (A method of a receiver shown constant, an escaped or allow-listed
		// req.query.name, is no input read by name: its value is the
		// receiver's, whatever its qualified name says.)
		if v.t == constant && v.qual == "" {
			// Math.random(), parseInt(x): which call made it.
			v.qual = q + "()"
		}
		v.weakRand = v.weakRand || randomCarried(q, recv, args)
		return v
	}
	if strings.HasPrefix(q, "console.") {
		// console.log(...) returns undefined.
		return value{t: constant, lit: "undefined"}
	}
	if !isNew && len(args) == 0 {
		if v, ok := f.constReturn(fnNode); ok {
			return v
		}
	}
	if !isNew {
		if v, ok := f.ip.call(f.localKey(fnNode), args, nil, f.fn, n.line(), n.s(), n.e()); ok {
			return v
		}
	}
	method := lastName(q)
	if fnNode != nil && fnNode.kind == "member_expression" {
		f.addsTo(fnNode.child("object"), method, args, sc)
	}
	if v, ok := base64Constant(q, recv, args); ok {
		return v
	}
	// util.format('<b>%s</b>', name), sprintf('%s', name): printf-style
	// formatting (before the string methods: util.format is not String's format).
	if jsFormatters[q] && len(args) > 0 && args[0].t == constant && args[0].isStr {
		return formattedStrict(args[0], args[1:], percentVerb, numericVerbsJS)
	}
	if fnNode != nil && fnNode.kind == "member_expression" && jsIndexOps[method] && recv.t != tainted {
		// names.slice(from, to), 'abc'.charAt(i): a part of a string or
		// list that is not input; the arguments only count positions.
		v := value{t: recv.t, isStr: recv.isStr, qual: q + "()", param: recv.param, weakRand: recv.weakRand, secRand: recv.secRand}
		if v.t == constant && !v.isStr && recv.elems == nil && recv.strs == nil {
			// A number's or an unknown object's: not known to be constant.
			v.t = unknown
		}
		return v
	}
	if fnNode != nil && fnNode.kind == "member_expression" && jsStringOps[method] {
		return combine(append([]value{recv}, args...)...)
	}
	if q == "String" && len(args) == 1 {
		v := args[0]
		v.scalar = true
		return v
	}
	if q == "Promise.resolve" && len(args) == 1 {
		// Awaited or handed to then, it is its argument.
		return args[0]
	}
	out := opaqueCall(q, recv, args)
	if m := lastName(q); (m == "then" || m == "finally") && recv.rejects != nil {
		// find(x).then(...).catch(e => ...): the chain still rejects
		// with the first call's error.
		out.rejects = recv.rejects
	}
	out.param, out.constArgs = recv.param, len(args) > 0
	for _, a := range args {
		if a.t != constant {
			out.constArgs = false
		}
	}
	return out
}

// jsContentType is the scope's name for the content type the handler set
// on its response (no variable can be called so).
const jsContentType = "\x00content-type"

// jsResponseWrites write a response's body.
var jsResponseWrites = map[string]bool{"res.send": true, "res.write": true, "res.end": true, "response.send": true,
	"response.write": true, "response.end": true}

// jsFileReads return a file's content (not its name): input only if the
// file is, which the code reading it cannot tell.
var jsFileReads = []string{"fs.readFileSync", "fs.promises.readFile", "node:fs.readFileSync", "node:fs.promises.readFile",
	"fs/promises.readFile", "node:fs/promises.readFile", "fs-extra.readFile*", "fs-extra.readJson*", "fs.readJsonSync",
	"jsonfile.readFile*"}

// jsRecordReads are ORM and database reads (Sequelize, Mongoose, Prisma,
// TypeORM) whose results are the records found, not the input that chose
// them.
var jsRecordReads = []string{"*.findAll", "*.findOne", "*.findByPk", "*.findById", "*.findAndCountAll", "*.findMany",
	"*.findUnique", "*.findUniqueOrThrow", "*.findFirst", "*.findFirstOrThrow", "*.findOneBy", "*.findBy", "*.countDocuments"}

// jsResolverTypes are the GraphQL root types whose resolvers, written as
// an object of functions, receive the client's arguments.
var jsResolverTypes = map[string]bool{"Query": true, "Mutation": true, "Subscription": true}

// hasRootOption reports whether the call n passes an options object
// literal with a root key as its second argument (res.sendFile(name,
// { root: dir })).
func (f *jsFile) hasRootOption(n *node) bool {
	al := n.child("arguments")
	if al == nil {
		return false
	}
	args := al.namedChildren()
	if len(args) < 2 || args[1].kind != "object" {
		return false
	}
	for _, p := range args[1].namedChildren() {
		k := p
		if p.kind == "pair" {
			k = p.child("key")
		}
		if unquote(k.str(f.text)) == "root" {
			return true
		}
	}
	return false
}

// jsAnchoredSources are browser inputs whose value always starts with a
// fixed character: '#', '?' or the URL's scheme.
var jsAnchoredSources = map[string]bool{
	"location.hash": true, "window.location.hash": true, "document.location.hash": true,
	"location.search": true, "window.location.search": true, "document.location.search": true,
	"location.href": true, "window.location.href": true, "document.location.href": true, "document.URL": true,
	"document.documentURI": true, "location.origin": true, "window.location.origin": true,
	"document.referrer": true, "window.document.referrer": true, "document.baseURI": true, "window.document.URL": true,
}

// jsHeaderGetters read a request header by name.
var jsHeaderGetters = map[string]bool{"req.get": true, "req.header": true, "request.get": true, "request.header": true, "ctx.get": true}

// jsRefererSource names the Referer header as a source: the one header a
// page elsewhere sets in the victim's request (its own address), which the
// rules that leave other headers out (reflected XSS) keep.
const jsRefererSource = "the Referer header"

// refererHeader reports whether q reads the Referer header.
func refererHeader(q string) bool {
	l := strings.ToLower(q)
	return strings.HasSuffix(l, "headers.referer") || strings.HasSuffix(l, "headers.referrer")
}

// jsTemplateRaw are the template engines that escape what they
// interpolate by default, each with the syntax that writes a value raw;
// jsTemplateCompilers those of them that return a function to call with
// the data. (lodash's _.template is not among them: its <%= does not
// escape.)
var jsTemplateRaw = map[string][]string{
	"ejs.render": {"<%-"}, "ejs.compile": {"<%-"},
	"pug.render": {"!=", "!{"}, "pug.compile": {"!=", "!{"}, "jade.render": {"!=", "!{"}, "jade.compile": {"!=", "!{"},
	"nunjucks.renderstring": {"safe", "autoescape"},
	"handlebars.compile":    {"{{{", "{{&"}, "hbs.compile": {"{{{", "{{&"}, "handlebars.default.compile": {"{{{", "{{&"},
	"mustache.render": {"{{{", "{{&"}, "mustache.default.render": {"{{{", "{{&"},
	"eta.render": {"<%~"}, "eta.renderstring": {"<%~"},
}
var jsTemplateCompilers = map[string]bool{"ejs.compile": true, "pug.compile": true, "jade.compile": true, "handlebars.compile": true,
	"hbs.compile": true, "handlebars.default.compile": true}

// jsEscapingTemplate is the qualified name of a template function compiled
// from a fixed escaping template.
const jsEscapingTemplate = "escaping-template()"

// escapingTemplate reports whether the call of q renders or compiles a
// template written here (a constant) with an engine that escapes what it
// interpolates, the template writing nothing raw (the keys above are in
// lower case).
func escapingTemplate(q string, args []value) bool {
	raw, ok := jsTemplateRaw[strings.ToLower(q)]
	if !ok || len(args) == 0 || args[0].t != constant || !args[0].isStr {
		return false
	}
	for _, r := range raw {
		if strings.Contains(args[0].lit, r) {
			return false
		}
	}
	return true
}

// markupFreeEncoding reports whether the call of q makes text of input in
// an alphabet without markup, quotes, path separators or spaces: base64 or
// hex (Buffer#toString, Hash#digest, btoa), or a Date (whose string forms
// are the date's, not the text it was parsed from).
func markupFreeEncoding(q string, isNew bool, recv value, args []value) bool {
	// Only input's encoding matters here: a constant's keeps what the
	// front-end knows of it (Basic credentials spelled out).
	input := recv.t == tainted
	for _, a := range args {
		input = input || a.t == tainted
	}
	if !input {
		return false
	}
	switch m := lastName(q); {
	case (m == "toString" || m == "digest") && len(args) == 1 && args[0].t == constant && recv.t == tainted:
		switch args[0].lit {
		case "base64", "hex", "base64url":
			return true
		}
	case q == "btoa" || q == "window.btoa":
		return true
	case q == "Date" && isNew:
		return true
	}
	return false
}

// jsElementGetters return DOM elements found by the argument, not text.
var jsElementGetters = []string{"document.getElementById", "document.querySelector", "document.querySelectorAll",
	"document.getElementsByClassName", "document.getElementsByName", "document.getElementsByTagName", "*.getElementById",
	"*.querySelector", "*.querySelectorAll", "*.getElementsByClassName", "*.getElementsByTagName", "*.closest",
	// Nodes made here: a text node's data is never parsed as markup.
	"document.createTextNode", "*.createTextNode"}

// jsURLDecoders decode percent escapes: '#', '?' and a scheme's letters are
// not escaped, so what an anchored source starts with stays first.
var jsURLDecoders = map[string]bool{"decodeURIComponent": true, "decodeURI": true, "unescape": true, "window.decodeURIComponent": true,
	"window.decodeURI": true, "window.unescape": true}

// jsStructuredArg reports whether the first of a response write's
// argument nodes is an object or array by its form: the whole of a request's
// parameter bags (req.query, req.params, req.headers, req.cookies), or what
// an array method or Object.keys/values/entries returns. res.send sends
// either as JSON (application/json), which a browser does not render as a
// page, and res.write/res.end refuse them.
func jsStructuredArg(args []*node, src []byte) bool {
	if len(args) == 0 {
		return false
	}
	a := args[0]
	for depth := 0; depth < 8 && a != nil && (a.kind == "parenthesized_expression" || a.kind == "await_expression"); depth++ {
		kids := a.namedChildren()
		if len(kids) != 1 {
			return false
		}
		a = kids[0]
	}
	switch {
	case a == nil:
		return false
	case a.kind == "member_expression":
		obj, prop := a.child("object"), a.child("property")
		if obj == nil || prop == nil || obj.kind != "identifier" {
			return false
		}
		switch obj.text(src) {
		case "req", "request":
			return jsRequestBags[prop.text(src)]
		}
	case a.kind == "call_expression":
		fn := a.child("function")
		if fn == nil || fn.kind != "member_expression" || fn.child("property") == nil {
			return false
		}
		m := fn.child("property").text(src)
		if obj := fn.child("object"); obj != nil && obj.kind == "identifier" && obj.text(src) == "Object" {
			return m == "keys" || m == "values" || m == "entries"
		}
		return m == "map" || m == "filter" || m == "flatMap" || m == "split"
	}
	return false
}

// jsRequestBags are the request's properties that are always objects
// (Express parses the query string with qs into one).
var jsRequestBags = map[string]bool{"query": true, "params": true, "headers": true, "cookies": true, "signedCookies": true}

// jsChainedWrites write a response's body at the end of a chain of its
// setters: res.status(404).send(x).
var jsChainedWrites = []string{"res.*.send", "res.*.write", "res.*.end", "response.*.send", "response.*.write", "response.*.end"}

// chainContentType returns the content type set by a call earlier in the
// chain whose last callee is fn: res.type('json').send(x),
// res.status(200).set('Content-Type', 'text/plain').send(x).
func (f *jsFile) chainContentType(fn *node) (string, bool) {
	for depth := 0; fn != nil && fn.kind == "member_expression" && depth < 16; depth++ {
		call := fn.child("object")
		if call == nil || call.kind != "call_expression" {
			return "", false
		}
		inner := call.child("function")
		if inner == nil || inner.kind != "member_expression" {
			return "", false
		}
		var lits []value
		for _, a := range call.child("arguments").namedChildren() {
			v := value{t: unknown}
			if a.kind == "string" {
				v = value{t: constant, isStr: true, lit: unquote(a.str(f.text))}
			}
			lits = append(lits, v)
		}
		if ct, ok := responseContentType("res."+inner.child("property").str(f.text), lits); ok {
			return ct, true
		}
		fn = inner
	}
	return "", false
}

// responseContentType returns the content type a call of q with args sets
// on the response: res.type('json'), res.set('Content-Type', 'text/plain'),
// res.writeHead(200, {'Content-Type': ...}).
func responseContentType(q string, args []value) (string, bool) {
	if !strings.HasPrefix(q, "res.") && !strings.HasPrefix(q, "response.") || strings.Count(q, ".") != 1 {
		return "", false
	}
	// typeOf is a type argument's text, or "?" for one chosen at run time
	// (res.contentType(logo.type)): what the code sends, not a page it
	// builds, and no rule here can say which.
	typeOf := func(v value) string {
		if v.t == constant && v.isStr {
			return v.lit
		}
		return "?"
	}
	switch lastName(q) {
	case "type", "contentType":
		if len(args) == 1 {
			return typeOf(args[0]), true
		}
	case "set", "setHeader", "header":
		if len(args) == 2 && args[0].t == constant && strings.EqualFold(args[0].lit, "Content-Type") {
			return typeOf(args[1]), true
		}
		if len(args) == 1 {
			// res.set({ 'Content-Type': 'text/plain', ... })
			if ct, ok := args[0].fields["content-type"]; ok {
				return ct, true
			}
		}
	case "writeHead":
		for _, a := range args[min(1, len(args)):] {
			if ct, ok := a.fields["content-type"]; ok {
				return ct, true
			}
		}
	}
	return "", false
}

// htmlContentType reports whether a response of content type ct (a MIME
// type or Express's short name: json, text, html) can be rendered as a page
// that runs script: HTML, XML and SVG, and any type not known to be text or
// data.
func htmlContentType(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	ct = strings.TrimPrefix(ct, ".") // res.type('.txt'): by extension
	switch ct {
	case "?", "json", "text", "txt", "csv", "text/plain", "text/csv", "application/json", "text/event-stream", "application/x-ndjson",
		"application/octet-stream", "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "png", "jpg", "gif":
		return false
	}
	// application/problem+json, application/ld+json: JSON by its suffix.
	return !strings.HasPrefix(ct, "application/") || !strings.HasSuffix(ct, "+json")
}

// nestParamSources are NestJS's parameter decorators and the request part
// each hands the handler ("req": the request itself).
var nestParamSources = map[string]string{"Query": "req.query", "Body": "req.body", "Param": "req.params", "Headers": "req.headers",
	"Req": "req", "Request": "req", "UploadedFile": "req.file", "UploadedFiles": "req.files", "Cookies": "req.cookies",
	"HostParam": "req.hostname", "MessageBody": "message body", "Payload": "message body", "Args": "req.body"}

// decoratorName is the name a decorator calls or names: @Query('q') is
// "Query".
func decoratorName(d *node, src []byte) string {
	e := d.firstNamed("")
	if e != nil && e.kind == "call_expression" {
		e = e.child("function")
	}
	if e != nil && e.kind == "member_expression" {
		e = e.child("property")
	}
	if e == nil {
		return ""
	}
	return e.text(src)
}

// jsElementCallbacks are the array methods that hand their callback each
// element as its first parameter.
var jsElementCallbacks = map[string]bool{"forEach": true, "map": true, "filter": true, "find": true, "findLast": true,
	"some": true, "every": true, "flatMap": true}

// jsFileNameCalls list the files of a directory or a pattern: their
// names are whatever whoever wrote the files chose, markup included.
// They return the names (or a promise of them), or hand them to the
// callback (err, files).
var jsFileNameCalls = []string{
	"fs.readdir", "fs.readdirSync", "fs.promises.readdir", "fs/promises.readdir", "node:fs.readdir", "node:fs.readdirSync",
	"node:fs.promises.readdir", "node:fs/promises.readdir", "fs-extra.readdir", "fs-extra.readdirSync", "graceful-fs.readdir",
	"graceful-fs.readdirSync", "glob", "glob.sync", "glob.glob", "glob.globSync", "glob.globby", "globby", "globby.sync",
	"globby.globby", "globby.globbySync", "fast-glob", "fast-glob.sync", "fast-glob.glob", "fast-glob.async", "readdirp",
	"readdirp.promise", "recursive-readdir",
}

// jsArchiveMetadata parse an archive's or torrent's metadata: its name,
// comment and entries' names are the author's.
var jsArchiveMetadata = []string{"parse-torrent", "parse-torrent.remote"}

// fileNames is the value a file listing or archive's metadata gives:
// stored input, which XSS rules count (storedSources).
func fileNames(q string, n *node) value {
	return value{t: tainted, source: "file names (" + q + ")", srcLine: n.line()}
}

// jsArchiveModules read archives whose entries name their own paths.
var jsArchiveModules = []string{"unzip", "unzipper", "unzip-stream", "unzip2", "yauzl", "yauzl-promise", "tar-stream", "tar", "adm-zip",
	"node-stream-zip", "extract-zip", "decompress-zip"}

// jsArchiveOpens open an archive and resolve to its directory of entries.
var jsArchiveOpens = []string{"unzipper.Open.*", "yauzl-promise.open", "yauzl-promise.fromBuffer", "yauzl-promise.fromRandomAccessReader"}

// importsArchive reports whether the file imports an archive reader.
func (f *jsFile) importsArchive() bool {
	for _, q := range f.aliases {
		mod, _, _ := strings.Cut(q, ".")
		if slices.Contains(jsArchiveModules, mod) {
			return true
		}
	}
	return false
}

// archiveEntry is an archive's entry (or the entries): stored input, its
// name a path whoever made the archive chose, which zip-slip and XSS rules
// count (storedSources).
func archiveEntry(q string, n *node) value {
	return value{t: tainted, source: "archive entry names (" + q + ")", srcLine: n.line()}
}

// errorName matches the names an error parameter is given.
var errorName = regexp.MustCompile(`^(e|er|err|error|ex|exc|exception|reason)$`)

// jsQuietCalls are calls that do not throw an error holding their
// arguments: logging, storage, response writes, object and array helpers.
var jsQuietCalls = []string{"console.*", "log.*", "logger.*", "*.log", "*.info", "*.debug", "*.warn", "res.*", "response.*",
	"ctx.*", "reply.*", "Object.*", "Array.*", "JSON.stringify", "*.push", "*.join", "*.test", "*.setItem", "*.getItem",
	"_.*", "lodash.*", "underscore.*", "$.val", "*.val", "*.text", "*.bind", "String", "Boolean",
	// JSON.parse's SyntaxError names a character and a position, not the
	// text; decodeURIComponent's URIError says only "URI malformed"; the
	// string methods throw nothing.
	"JSON.parse", "decodeURIComponent", "decodeURI", "*.slice", "*.substr", "*.substring", "*.toLowerCase", "*.toUpperCase", "*.trim",
	"*.indexOf", "*.startsWith", "*.endsWith", "*.includes", "*.charAt", "*.split", "*.concat", "*.padStart", "*.padEnd", "*.toString"}

// callArgs is walker.args, and walks a function argument that follows
// input as a callback that may be handed an error holding it.
func (f *jsFile) callArgs(q string, ns []*node, sc *scope) []value {
	saved, savedErr := f.call, f.errback
	f.call = q
	defer func() { f.call, f.errback = saved, savedErr }()
	out := make([]value, 0, min(len(ns), maxElems))
	in := value{}
	// Whether q is quiet or names files, asked once per call, and only
	// when a callback is passed.
	quiet, names, known := false, false, false
	for _, a := range ns {
		if a.kind == "comment" || strings.HasSuffix(a.kind, "_comment") {
			continue
		}
		f.errback, f.cbNames, f.cbEntry = value{}, value{}, value{}
		fnArg := a.kind == "arrow_function" || a.kind == "function_expression" || a.kind == "function"
		if fnArg && !known {
			quiet, names, known = jsQuietCallsSet.compiled().match(q), jsFileNameCallsSet.compiled().match(q), true
		}
		if in.t == tainted && fnArg && !quiet {
			f.errback = in
		}
		if fnArg && names {
			f.cbNames = fileNames(q, a)
		}
		if len(out) == 1 && out[0].t == constant && out[0].lit == "entry" && lastName(q) == "on" && f.importsArchive() &&
			(a.kind == "arrow_function" || a.kind == "function_expression" || a.kind == "function") {
			// unzip.Parse(buf).on('entry', entry => ...), yauzl's and
			// tar-stream's entry events: the entry (or its header) names
			// a path the archive's author chose.
			f.cbEntry = archiveEntry(q, a)
		}
		v := f.expr(a, sc)
		if v.t == tainted && in.t != tainted {
			in = v
		}
		out = addElem(out, v)
	}
	return out
}

// try walks a try statement: its catch clause's parameter is the input
// the block passed to a call that may have thrown it back in an error
// (unknown(x) throws new Error('bad ' + x)). A try with only finally lets
// what it throws reach the enclosing one.
func (f *jsFile) try(n *node, sc *scope) {
	outer := f.thrown
	f.thrown = value{}
	f.stmt(n.child("body"), sc)
	got := f.thrown
	f.thrown = outer
	h := n.child("handler")
	if h == nil {
		if f.thrown.t != tainted {
			f.thrown = got
		}
	} else {
		csc := newScope(sc)
		if p := h.child("parameter"); p != nil && p.kind == "identifier" {
			v := value{t: unknown, qual: p.str(f.text)}
			if got.t == tainted {
				v = fromInput(got)
			}
			csc.set(p.str(f.text), v)
		}
		f.stmt(h.child("body"), csc)
	}
	f.stmt(n.child("finalizer"), sc)
}

// tagArgs evaluates a tagged template's parts as the tag receives them:
// the array of its constant strings, then each substituted value.
func (f *jsFile) tagArgs(q string, tpl *node, sc *scope) []value {
	saved := f.call
	f.call = q
	defer func() { f.call = saved }()
	strs := value{t: constant, elems: []value{}}
	var vals []value
	for _, c := range tpl.children {
		switch c.kind {
		case "string_fragment", "escape_sequence":
			strs.addElem(value{t: constant, isStr: true, lit: c.str(f.text)})
		case "template_substitution":
			if e := c.firstNamed(""); e != nil {
				vals = append(vals, f.expr(e, sc))
			}
		}
	}
	return append([]value{strs}, vals...)
}

// isModuleName reports whether a qualified name starts with an imported
// module.
// objectLiteral reports whether the variable n holds an object literal.
func (f *jsFile) objectLiteral(n *node, sc *scope) bool {
	v, ok := sc.lookup(n.str(f.text))
	return ok && v.fields != nil && !v.isStr
}

// narrowed is the statement walk of an if statement's arms in which the
// arm taken when the condition compares x with an allow-list (allowed)
// sees x as a constant: the consequence when the condition holds, the
// alternative when it is negated (if (!ALLOWED.includes(x)) {...} else {...}).
func (f *jsFile) narrowed(ifn *node, sc *scope) func(*node, *scope) {
	subject, negated := f.allowed(ifn.child("condition"), sc)
	arm := ifn.child("consequence")
	if negated {
		arm = ifn.child("alternative")
	}
	if subject == nil || arm == nil {
		return f.stmt
	}
	// An else clause's arm is walked as its statements.
	first := arm
	if arm.kind == "else_clause" {
		first = arm.firstNamed("")
	}
	return func(b *node, sc *scope) {
		if b == first {
			f.narrow(subject, sc)
		}
		f.stmt(b, sc)
	}
}

// narrow makes the variable or member subject a constant in sc: it was
// found in an allow-list.
func (f *jsFile) narrow(subject *node, sc *scope) {
	name := subject.str(f.text)
	if subject.kind != "identifier" {
		// req.query.id: input read by its name, not a variable.
		sc.set("\x00"+f.qual(subject), value{t: constant, isStr: true})
		f.narrowedMembers = true
		name = f.fieldKey(subject, sc)
	}
	if name != "" {
		sc.set(name, value{t: constant, isStr: true})
	}
}

// switchStmt walks a switch statement. Where its subject is a variable
// or member, a case reached only for constant values (its own test a
// literal, and falling in from no case but such) sees the subject as a
// constant: switch (x) { case 'a': case 'b': el.innerHTML = x; }.
func (f *jsFile) switchStmt(n *node, sc *scope) {
	subject := n.child("value")
	for subject != nil && subject.kind == "parenthesized_expression" && len(subject.namedChildren()) == 1 {
		subject = subject.namedChildren()[0]
	}
	f.expr(n.child("value"), sc)
	if subject != nil && subject.kind != "identifier" && subject.kind != "member_expression" {
		subject = nil
	}
	fallIn := true // what falls into the next case holds a constant subject
	for _, c := range n.child("body").namedChildren() {
		if c.kind != "switch_case" && c.kind != "switch_default" {
			f.stmt(c, sc)
			continue
		}
		v := c.child("value")
		constCase := c.kind == "switch_case" && v != nil && (v.kind == "string" || v.kind == "number")
		narrowed := subject != nil && constCase && fallIn
		var body []*node
		for _, b := range c.namedChildren() {
			if b.field == "body" {
				body = append(body, b)
			} else if b != v {
				f.stmt(b, sc)
			}
		}
		if v != nil {
			f.expr(v, sc)
		}
		walkIn := sc
		if narrowed {
			walkIn = sc.branch()
			f.narrow(subject, walkIn)
		}
		var last *node
		for _, b := range body {
			f.stmt(b, walkIn)
			if b.kind != "comment" {
				last = b
			}
		}
		if narrowed {
			sc.join([]*scope{walkIn}, false)
		}
		// After an exit nothing falls through; else what this case
		// held does.
		fallIn = jsExits(last) || narrowed
	}
}

// exitsUnlessAllowed narrows, after the if statement ifn, the value its
// condition found missing from an allow-list when the arm taken then
// leaves the block: if (!ALLOWED.includes(x)) return; and on, x is one of
// them.
func (f *jsFile) exitsUnlessAllowed(ifn *node, sc *scope) {
	if ifn.child("alternative") != nil || !jsExits(ifn.child("consequence")) {
		return
	}
	if subject, negated := f.allowed(ifn.child("condition"), sc); subject != nil && negated {
		f.narrow(subject, sc)
	}
}

// predicate returns, for fn naming a function the file declares with one
// statement, a return of an expression (function isSafe(s) { return
// /^\w+$/.test(s); }, or const isSafe = (s) => ...), that expression and
// the name of the function's first parameter; nil otherwise.
func (f *jsFile) predicate(fn *node) (*node, string) {
	if fn == nil || fn.kind != "identifier" || f.root == nil {
		return nil, ""
	}
	if f.predicates == nil {
		f.predicates = map[string]jsPredicate{}
		budget := 20000
		var visit func(n *node, depth int)
		visit = func(n *node, depth int) {
			if budget--; depth > 40 || budget < 0 {
				return
			}
			var name, fun *node
			switch n.kind {
			case "function_declaration":
				name, fun = n.child("name"), n
			case "variable_declarator":
				if v := n.child("value"); v != nil && jsFunctionKinds[v.kind] {
					name, fun = n.child("name"), v
				}
			}
			if name != nil && name.kind == "identifier" {
				if test, param := predicateBody(fun, f.src); test != nil {
					f.predicates[name.str(f.text)] = jsPredicate{test, param}
				}
			}
			for _, c := range n.children {
				if c.named {
					visit(c, depth+1)
				}
			}
		}
		visit(f.root, 0)
	}
	p := f.predicates[fn.str(f.text)]
	return p.test, p.param
}

// jsPredicate is a one-statement function returning a test of its first
// parameter (see predicate).
type jsPredicate struct {
	test  *node
	param string
}

// predicateBody returns the expression fun returns as its only statement
// (or its expression body) and its first parameter's name.
func predicateBody(fun *node, src []byte) (*node, string) {
	var first *node
	if ps := fun.child("parameters"); ps != nil {
		first = ps.firstNamed("")
	} else {
		first = fun.child("parameter") // s => ...
	}
	if first != nil && first.kind == "required_parameter" {
		first = first.child("pattern")
	}
	if first == nil || first.kind != "identifier" {
		return nil, ""
	}
	body := fun.child("body")
	if body != nil && body.kind == "statement_block" {
		var stmts []*node
		for _, c := range body.namedChildren() {
			if c.kind != "comment" {
				stmts = append(stmts, c)
			}
		}
		if len(stmts) != 1 || stmts[0].kind != "return_statement" {
			return nil, ""
		}
		body = stmts[0].firstNamed("")
	}
	if body == nil || body.kind == "statement_block" {
		return nil, ""
	}
	return body, first.text(src)
}

// jsExits reports whether the statement n always leaves the enclosing
// block: a return, throw, break or continue, or a block ending in one.
func jsExits(n *node) bool {
	for n != nil && n.kind == "statement_block" {
		var last *node
		for _, c := range n.namedChildren() {
			if c.kind != "comment" {
				last = c
			}
		}
		n = last
	}
	if n == nil {
		return false
	}
	switch n.kind {
	case "return_statement", "throw_statement", "break_statement", "continue_statement":
		return true
	}
	return false
}

// allowed reads cond as a test of a variable or member against an
// allow-list and returns it, with negated set when cond holds for a value
// not in the list: x === 'a' or CONST (!== negated), x in ALLOWED,
// list.includes(x), set.has(x), obj.hasOwnProperty(x), list.indexOf(x) !==
// -1 (=== -1 negated), a lookup ALLOWED[x], and the negation of any of
// them. A list that is input itself (req.query.list.includes(x)) is none.
func (f *jsFile) allowed(cond *node, sc *scope) (subject *node, negated bool) {
	return f.allowedAt(cond, sc, 0)
}

// allowedAt is allowed at a depth of nested conditions and predicates,
// bounded.
func (f *jsFile) allowedAt(cond *node, sc *scope, level int) (subject *node, negated bool) {
	if level > 4 {
		return nil, false
	}
	for depth := 0; cond != nil && depth < 8; depth++ {
		switch {
		case cond.kind == "parenthesized_expression" && len(cond.namedChildren()) == 1:
			cond = cond.namedChildren()[0]
			continue
		case cond.kind == "unary_expression" && cond.child("operator").is(f.src, "!"):
			cond = cond.child("argument")
			negated = !negated
			continue
		}
		break
	}
	if cond == nil {
		return nil, false
	}
	variable := func(x *node) bool { return x != nil && (x.kind == "identifier" || x.kind == "member_expression") }
	constant := func(x *node) bool {
		// 'literal', 42, or a name written as a constant
		// (VALID_REDIRECT, Config.HOME_URL).
		return x != nil && (x.kind == "string" || x.kind == "number" ||
			variable(x) && isConstName(lastName(x.str(f.text))))
	}
	switch cond.kind {
	case "binary_expression":
		op := cond.child("operator").str(f.text)
		l, r := cond.child("left"), cond.child("right")
		switch op {
		case "&&", "||":
			// a && isSafe(x): where it holds, x passed; !isSafe(x) || b:
			// where it does not, x passed.
			lx, lneg := f.allowedAt(l, sc, level+1)
			rx, rneg := f.allowedAt(r, sc, level+1)
			for _, side := range []struct {
				x   *node
				neg bool
			}{{lx, lneg}, {rx, rneg}} {
				if side.x != nil && side.neg == (op == "||") {
					return side.x, side.neg != negated
				}
			}
			// x === 'a' || x === 'b': where it holds, x is one of them;
			// x !== 'a' && x !== 'b': where it does not.
			if lx != nil && rx != nil && lneg == rneg && lneg == (op == "&&") && lx.text(f.src) == rx.text(f.src) {
				return lx, lneg != negated
			}
			return nil, false
		case "===", "==", "!==", "!=":
			// typeof x === 'number': a number or a boolean carries no
			// markup, path or query.
			if x := typeofSubject(l, r, f.src); x != nil && variable(x) {
				return x, negated != (op == "!==" || op == "!=")
			}
			// x.indexOf('<') === -1: no markup in x.
			if x, other := markupIndexOf(l, f.src), r; x != nil || markupIndexOf(r, f.src) != nil {
				if x == nil {
					x, other = markupIndexOf(r, f.src), l
				}
				if variable(x) && minusOne(other, f.src) {
					return x, negated != (op == "!==" || op == "!=")
				}
				return nil, false
			}
			if call, other := l, r; f.indexOfCall(call, sc) != nil || f.indexOfCall(other, sc) != nil {
				if f.indexOfCall(call, sc) == nil {
					call, other = other, call
				}
				if !minusOne(other, f.src) {
					return nil, false
				}
				// indexOf(x) === -1: not in the list.
				return f.indexOfCall(call, sc), negated != (op == "===" || op == "==")
			}
			if constant(l) && !constant(r) {
				l, r = r, l
			}
			if variable(l) && constant(r) && !constant(l) {
				return l, negated != (op == "!==" || op == "!=")
			}
		case ">", ">=", "<":
			// indexOf(x) > -1, >= 0; < 0 negated.
			if x := f.indexOfCall(l, sc); x != nil {
				rt := r.str(f.text)
				switch {
				case op == ">" && minusOne(r, f.src), op == ">=" && rt == "0":
					return x, negated
				case op == "<" && rt == "0":
					return x, !negated
				}
			}
		case "in":
			if variable(l) && f.allowList(r, sc) {
				return l, negated
			}
		}
	case "call_expression":
		fn := cond.child("function")
		args := cond.child("arguments").namedChildren()
		// isVarName(x), where function isVarName(s) { return /^\w+$/.test(s); }
		if len(args) >= 1 && variable(args[0]) {
			if test, param := f.predicate(fn); test != nil {
				if x, neg := f.allowedAt(test, sc, level+1); x != nil && x.kind == "identifier" && x.str(f.text) == param {
					return args[0], neg != negated
				}
			}
		}
		// isNaN(x): where it fails, x reads as a number (isNaN converts
		// its argument; Number.isNaN does not, and is false for any
		// string).
		if fn != nil && len(args) == 1 && variable(args[0]) {
			if q := f.qual(fn); q == "isNaN" || q == "window.isNaN" {
				return args[0], !negated
			}
		}
		// x.match(/^\w+$/)
		if fn != nil && fn.kind == "member_expression" && fn.child("property").is(f.src, "match") && len(args) == 1 &&
			variable(fn.child("object")) && wordOnlyRegex(args[0], f.src) {
			return fn.child("object"), negated
		}
		// /[<>]/.test(x), x.match(/[<>]/), x.includes('<'): where it
		// fails, x holds no markup.
		if fn != nil && fn.kind == "member_expression" && len(args) == 1 {
			obj, prop := fn.child("object"), fn.child("property").str(f.text)
			switch {
			case prop == "test" && variable(args[0]) && markupRegex(obj, f.src):
				return args[0], !negated
			case (prop == "match" || prop == "includes") && variable(obj) && (markupRegex(args[0], f.src) || markupChar(args[0], f.src)):
				return obj, !negated
			}
		}
		if fn == nil || fn.kind != "member_expression" || len(args) != 1 || !variable(args[0]) {
			return nil, false
		}
		obj := fn.child("object")
		switch fn.child("property").str(f.text) {
		case "includes", "has", "hasOwnProperty":
			if f.allowList(obj, sc) && obj.str(f.text) != args[0].str(f.text) {
				return args[0], negated
			}
		case "test":
			// /^[a-z0-9_-]+$/.test(x): nothing but word characters.
			if wordOnlyRegex(obj, f.src) {
				return args[0], negated
			}
		}
		if jsValidatorsSet.compiled().match(f.qual(fn)) {
			return args[0], negated
		}
	case "subscript_expression":
		if idx := cond.child("index"); variable(idx) && f.allowList(cond.child("object"), sc) {
			return idx, negated
		}
	}
	return nil, false
}

// jsValidators are checks that pass only values made of digits, letters or
// a fixed set (validator.js; Number.isInteger): none is a URL check, as a
// valid URL can go anywhere.
var jsValidators = []string{
	"validator.isInt", "validator.isNumeric", "validator.isFloat", "validator.isDecimal", "validator.isAlpha",
	"validator.isAlphanumeric", "validator.isUUID", "validator.isHexadecimal", "validator.isBoolean", "validator.isMongoId",
	"validator.isIn", "Number.isInteger", "Number.isSafeInteger", "Number.isFinite", "isUUID", "uuid.validate", "uuid-validate",
}

// typeofSubject returns x when one side of a comparison is typeof x and the
// other the string 'number' or 'boolean'.
func typeofSubject(l, r *node, src []byte) *node {
	if r != nil && r.kind == "unary_expression" {
		l, r = r, l
	}
	if l == nil || l.kind != "unary_expression" || !l.child("operator").is(src, "typeof") || r == nil || r.kind != "string" {
		return nil
	}
	if t := unquote(r.text(src)); t != "number" && t != "boolean" && t != "bigint" {
		return nil
	}
	return l.child("argument")
}

// wordOnlyRegex reports whether n is a regular expression literal anchored
// at both ends whose every character is a letter, digit, underscore,
// hyphen or (in a class) dollar sign (/^[a-z0-9_-]+$/i, /^\d{1,6}$/,
// /^[a-z_$][a-z0-9_$]*$/i, /^(asc|desc)$/): a value it matches holds no
// markup, quote, dot or slash.
func wordOnlyRegex(n *node, src []byte) bool {
	if n == nil || n.kind != "regex" {
		return false
	}
	p := n.child("pattern").text(src)
	if len(p) < 3 || p[0] != '^' || p[len(p)-1] != '$' || strings.HasSuffix(p, "\\$") {
		return false
	}
	body := p[1 : len(p)-1]
	inClass := false
	depth := 0 // of groups: an alternative within one keeps both anchors
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\':
			if i+1 >= len(body) || !strings.ContainsRune("dw-_$", rune(body[i+1])) {
				return false
			}
			i++
		case c == '[' && !inClass, c == ']' && inClass:
			inClass = c == '['
			if inClass && i+1 < len(body) && body[i+1] == '^' {
				return false // [^...]: anything but
			}
		case c == '$' && inClass:
			// [a-z_$]: an identifier's characters.
		case c == '(' && !inClass:
			depth++
			if strings.HasPrefix(body[i:], "(?:") {
				i += 2
			}
		case c == ')' && !inClass:
			if depth--; depth < 0 {
				return false
			}
		case c == '|' && !inClass:
			// /^(asc|desc)$/; not /^a|b$/, whose alternatives are
			// anchored at one end each.
			if depth == 0 {
				return false
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.ContainsRune("_-+*?{},()", rune(c)):
		default:
			return false
		}
	}
	return !inClass && depth == 0
}

// markupRegex reports whether n is a regular expression literal that
// matches any string holding '<': /</, /[<>]/, /[<>"'&]/g, /<|>/.
func markupRegex(n *node, src []byte) bool {
	if n == nil || n.kind != "regex" {
		return false
	}
	p := n.child("pattern").text(src)
	if len(p) > 2 && p[0] == '[' && p[len(p)-1] == ']' && p[1] != '^' && !strings.Contains(p[1:len(p)-1], "]") {
		return strings.Contains(p, "<")
	}
	has := false
	for _, alt := range strings.Split(p, "|") {
		switch {
		case alt == "<":
			has = true
		case len(alt) == 1 && alt != "." && alt != "^" && alt != "$", len(alt) == 2 && alt[0] == '\\' && !strings.ContainsRune("dDwWsSbB", rune(alt[1])):
		default:
			return false
		}
	}
	return has
}

// markupChar reports whether n is the string literal '<'.
func markupChar(n *node, src []byte) bool {
	return n != nil && n.kind == "string" && unquote(n.text(src)) == "<"
}

// markupIndexOf returns x when n is x.indexOf('<').
func markupIndexOf(n *node, src []byte) *node {
	if n == nil || n.kind != "call_expression" {
		return nil
	}
	fn := n.child("function")
	args := n.child("arguments").namedChildren()
	if fn == nil || fn.kind != "member_expression" || !fn.child("property").is(src, "indexOf") || len(args) != 1 || !markupChar(args[0], src) {
		return nil
	}
	return fn.child("object")
}

// indexOfCall returns x when n is list.indexOf(x) on an allow-list.
func (f *jsFile) indexOfCall(n *node, sc *scope) *node {
	if n == nil || n.kind != "call_expression" {
		return nil
	}
	fn := n.child("function")
	args := n.child("arguments").namedChildren()
	if fn == nil || fn.kind != "member_expression" || !fn.child("property").is(f.src, "indexOf") || len(args) != 1 ||
		args[0].kind != "identifier" && args[0].kind != "member_expression" || !f.allowList(fn.child("object"), sc) {
		return nil
	}
	return args[0]
}

// minusOne reports whether n is the literal -1.
func minusOne(n *node, src []byte) bool {
	return n != nil && strings.ReplaceAll(n.text(src), " ", "") == "-1"
}

// allowList reports whether n can be an allow-list: an array or object
// literal, or a variable or member that is not input (a string is not:
// "a,b".includes(x) matches any part of it).
func (f *jsFile) allowList(n *node, sc *scope) bool {
	// (LIST as readonly string[]), LIST!: TypeScript's wrappers.
	for depth := 0; n != nil && depth < 8; depth++ {
		switch n.kind {
		case "parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion":
			n = n.firstNamed("")
			continue
		}
		break
	}
	if n == nil {
		return false
	}
	switch n.kind {
	case "array", "object":
		return true
	case "identifier":
		v, ok := sc.lookup(n.str(f.text))
		return !ok || v.t != tainted && !v.isStr
	case "member_expression":
		if _, src := f.source(f.qual(n), n); src {
			return false
		}
		if key := f.fieldKey(n, sc); key != "" {
			if v, ok := sc.lookup(key); ok {
				return v.t != tainted && !v.isStr
			}
		}
		return !f.fromInput(n, sc)
	}
	return false
}

// fromInput reports whether the member chain n starts at a variable that
// holds input (req.query.list).
func (f *jsFile) fromInput(n *node, sc *scope) bool {
	for n != nil && (n.kind == "member_expression" || n.kind == "subscript_expression") {
		n = n.child("object")
	}
	if n == nil || n.kind != "identifier" {
		return true
	}
	if v, ok := sc.lookup(n.str(f.text)); ok {
		return v.t == tainted || v.param
	}
	_, src := f.source(f.resolve(n.str(f.text)), n)
	return src
}

func (f *jsFile) isModuleName(q string) bool {
	root := rootName(q)
	for m := range f.u.imports {
		if root == m || strings.HasPrefix(q, m+".") || q == m {
			return true
		}
	}
	return false
}

// isRequestType reports whether a TypeScript parameter type names a web
// framework's request (Express, Koa, Next.js, Fastify).
func (f *jsFile) isRequestType(t string) bool {
	switch t {
	case "Request", "express.Request", "Express.Request", "NextApiRequest", "FastifyRequest", "Koa.Request", "IncomingMessage", "http.IncomingMessage":
		return true
	}
	return strings.HasPrefix(t, "Request<") || strings.HasPrefix(t, "express.Request<") || strings.HasPrefix(t, "FastifyRequest<")
}

// domSource is the source of text read from the page's DOM (a form
// field's value, an element's text or attribute): what the user or the
// page's own content holds, which becomes markup when written back as HTML
// (XSS through the DOM). Rules about requests from elsewhere (SSRF, client
// redirects, logs) leave it out with NotSources: domSources.
const domSource = "the page's DOM"

// domSources are the NotSources that leave DOM text out, an element's
// attribute read by name included.
var domSources = []string{domSource + "*", "*.getAttribute()", "*.getAttributeNS()"}

// domElementQuals are the qualified names of values known to be DOM
// elements (or jQuery selections): what document.getElementById returns,
// an event's target.
var domElementQuals = []string{"document.getElementById()", "document.querySelector()", "*.querySelector()", "document.querySelectorAll()[]",
	"*.querySelectorAll()[]", "document.getElementsBy*()[]", "*.getElementsBy*()[]", "document.forms*", "*.elements.*", "*.elements[]",
	"*.target", "*.currentTarget", "*.srcElement", "$().get()", "$()[]", "jQuery().get()", "jQuery()[]", "document.activeElement",
	"*.nativeElement", "document.body", "document.documentElement", "document.createTextNode()", "*.createTextNode()"}

// jsMarkdownEscaping are the markdown renderers that escape raw HTML in
// their input unless told otherwise (remarkable, markdown-it: html is off
// by default), and jsMarkdownEscapingMade what making one returns.
var jsMarkdownEscaping = []string{"remarkable.Remarkable", "remarkable", "markdown-it", "markdown-it.default", "markdown-it.MarkdownIt"}
var jsMarkdownEscapingMade = []string{"remarkable.Remarkable()", "remarkable()", "markdown-it()", "markdown-it.default()",
	"markdown-it.MarkdownIt()"}

// pageOwnLocation are the parts of the page's address no one but the site
// chooses (its origin), and its path, which the browser percent-encodes
// (CodeQL's DomBasedXss takes only href, hash and search as input).
var pageOwnLocation = []string{"location.host", "location.hostname", "location.origin", "location.protocol", "location.port",
	"location.pathname", "*.location.host", "*.location.hostname", "*.location.origin", "*.location.protocol", "*.location.port",
	"*.location.pathname"}

// domOwnProps are properties of an element that hold the page's own markup
// or state (its id and classes, its tag, whether it is checked), not text.
var domOwnProps = map[string]bool{"id": true, "className": true, "tagName": true, "nodeName": true, "localName": true, "checked": true,
	"disabled": true, "selectedIndex": true, "childElementCount": true, "offsetWidth": true, "offsetHeight": true, "clientWidth": true,
	"clientHeight": true, "scrollTop": true, "scrollLeft": true, "scrollHeight": true, "scrollWidth": true, "nodeType": true}

// domTextProps are the properties that read an element's text or value
// (innerHTML is not one: it only repeats markup already there).
var domTextProps = map[string]bool{"value": true, "innerText": true, "textContent": true, "outerText": true, "defaultValue": true}

// domText is the value of the member read n (qualified q, its object
// obj) when it reads a DOM element's text.
func (f *jsFile) domText(n *node, q string, obj value) (value, bool) {
	if n.kind != "member_expression" {
		return value{}, false
	}
	prop := n.child("property")
	if prop == nil || !domTextProps[prop.str(f.text)] {
		return value{}, false
	}
	base := strings.TrimSuffix(q, "."+prop.str(f.text))
	if domElementQualsSet.compiled().match(base) || obj.qual != "" && domElementQualsSet.compiled().match(obj.qual) {
		return value{t: tainted, source: domSource + " (" + q + ")", qual: q, srcLine: n.line()}, true
	}
	return value{}, false
}

// jqueryReads are the jQuery methods that read a selection's value, text
// or an attribute or property (with one argument: with two they set it).
var jqueryReads = map[string]int{"val": 0, "text": 0, "attr": 1, "prop": 1, "data": 1}

// domTextCall is the value of the call n of q (with args) when it reads
// DOM text: $('textarea').val(), $(el).attr('data-x'), el.getAttribute('x')
// is a source of its own.
func (f *jsFile) domTextCall(q string, n *node, args []value) (value, bool) {
	if !strings.HasPrefix(q, "$(") && !strings.HasPrefix(q, "jQuery(") {
		return value{}, false
	}
	m := lastName(q)
	want, ok := jqueryReads[m]
	if !ok || len(args) != want {
		return value{}, false
	}
	if want == 1 && !(args[0].t == constant && args[0].isStr) {
		// .attr({...}) sets; .attr(name) with a name that is not a string
		// is not known to read.
		return value{}, false
	}
	if m == "attr" && pageOwnAttribute(args[0].lit) {
		// .attr('id'), .attr('href'): the page's own markup, not text a
		// user typed.
		return value{t: constant, isStr: true, qual: q + "()"}, true
	}
	if m == "prop" && !domTextProps[args[0].lit] {
		return value{}, false
	}
	if f.jqueryMadeFromMarkup(n) {
		// $('<p>' + x + '</p>').text(): text of an element this code made
		// from its own string, not the page's (CodeQL's XssThroughDom
		// leaves it out).
		return value{}, false
	}
	return value{t: tainted, source: domSource + " (" + q + "())", srcLine: n.line()}, true
}

// pageOwnAttributes are attributes whose values the page's author writes
// (ids, classes, links, styles, types and states), not text from a user:
// read back and written as HTML they carry no one else's markup (CodeQL's
// XssThroughDom reads only data-*, aria-*, name, value, title and alt).
var pageOwnAttributes = map[string]bool{"id": true, "class": true, "classname": true, "href": true, "src": true, "style": true,
	"type": true, "role": true, "rel": true, "target": true, "for": true, "lang": true, "dir": true, "width": true, "height": true,
	"tabindex": true, "hidden": true, "disabled": true, "checked": true, "selected": true, "readonly": true, "action": true,
	"method": true, "colspan": true, "rowspan": true, "tagname": true, "nodename": true}

// pageOwnAttribute reports whether name is one of pageOwnAttributes.
func pageOwnAttribute(name string) bool { return pageOwnAttributes[strings.ToLower(name)] }

// jqueryObjectMethods return the selection they are called on (or another
// selection), not a string, when given arguments: $('<span>').text(x)
// is an element holding x as text, which .append() inserts as a node.
var jqueryObjectMethods = map[string]bool{"text": true, "html": true, "val": true, "addClass": true, "removeClass": true,
	"toggleClass": true, "css": true, "append": true, "prepend": true, "appendTo": true, "prependTo": true, "after": true,
	"before": true, "insertAfter": true, "insertBefore": true, "find": true, "filter": true, "children": true, "closest": true,
	"eq": true, "not": true, "on": true, "off": true, "hide": true, "show": true, "empty": true, "remove": true, "removeAttr": true}

// jqueryMadeFromMarkup reports whether the call n is made on a jQuery
// selection created from markup written here: its chain starts with
// $('<p>...') or $('<p>' + x), not a selector.
func (f *jsFile) jqueryMadeFromMarkup(n *node) bool {
	for depth := 0; n != nil && depth < 32; depth++ {
		switch n.kind {
		case "call_expression":
			fn := n.child("function")
			if fn != nil && fn.kind == "identifier" && (fn.is(f.src, "$") || fn.is(f.src, "jQuery")) {
				al := n.child("arguments")
				if al == nil {
					return false
				}
				a := al.namedChildren()
				for len(a) > 0 && a[0].kind == "binary_expression" {
					a = []*node{a[0].child("left")}
				}
				if len(a) == 0 || a[0] == nil || (a[0].kind != "string" && a[0].kind != "template_string") {
					return false
				}
				return strings.HasPrefix(strings.TrimSpace(strings.Trim(a[0].str(f.text), "'\"`")), "<")
			}
			n = fn
		case "member_expression":
			n = n.child("object")
		case "parenthesized_expression":
			n = n.firstNamed("")
		default:
			return false
		}
	}
	return false
}

// cookieTexts are the constant texts of a cookie string, or of each of a
// list of them (the constant parts of one built from variables).
func cookieTexts(v value) []string {
	var texts []string
	switch {
	case v.t == constant && v.isStr:
		texts = []string{v.lit}
	case v.elems != nil:
		for _, e := range v.elems {
			if e.t == constant && e.isStr {
				texts = append(texts, e.lit)
			} else if e.consts != "" {
				texts = append(texts, e.consts)
			}
		}
	case v.consts != "":
		texts = []string{v.consts}
	}
	return texts
}

// cookieWithoutSecure reports whether a cookie string (or each of a list
// of them) is known by its constant text and lacks the Secure attribute; a
// cookie being deleted (expired, max-age=0) does not count.
func cookieWithoutSecure(v value) bool {
	for _, t := range cookieTexts(v) {
		l := strings.ToLower(t)
		if !strings.Contains(l, "=") || strings.Contains(l, "secure") || strings.Contains(l, "max-age=0") || strings.Contains(l, "1970") {
			continue
		}
		return true
	}
	return false
}

var reLineBreakClass = regexp.MustCompile(`\\[nr]|\\s|\\v|\\u000[ad]|\\x0[ad]|\\R`)

// stripsLineBreaks reports whether the replace call n's first argument is
// a regular expression that matches CR or LF.
func (f *jsFile) stripsLineBreaks(n *node) bool {
	al := n.child("arguments")
	if al == nil {
		return false
	}
	a := al.namedChildren()
	if len(a) == 0 || a[0].kind != "regex" {
		return false
	}
	pat := a[0].child("pattern")
	return pat != nil && reLineBreakClass.MatchString(pat.str(f.text))
}

// acceptsAnyIdentity reports whether a checkServerIdentity function never
// reports a mismatch: it returns nothing (or undefined/null) and throws
// nothing.
func (f *jsFile) acceptsAnyIdentity(fn *node) bool {
	if fn == nil || !jsFunctionKinds[fn.kind] {
		return false
	}
	body := fn.child("body")
	if body == nil {
		return false
	}
	if body.kind != "statement_block" {
		t := strings.TrimSpace(body.str(f.text))
		return t == "undefined" || t == "null" || t == "void 0"
	}
	t := body.str(f.text)
	return !reReturnsValue.MatchString(t) && !strings.Contains(t, "throw") && !strings.Contains(t, "checkServerIdentity")
}

var reReturnsValue = regexp.MustCompile(`\breturn\s+[^;\s}]`)

// jsCookieCalls are the calls that set cookies (or configure session
// cookies) from an options object.
var jsCookieCalls = []string{"*.cookie", "*.cookies.set", "cookies.set", "*Cookies.set", "*cookies.set", "express-session", "cookie-session",
	"koa-session", "*.setCookie", "cookie.serialize", "js-cookie.set", "js-cookie.*.set", "*Cookies().set", "*.cookies().set", "@fastify/cookie*",
	"express-session.session", "cookie-session.session"}

// reRouter matches the routes' registrations of Express apps and routers.
var reRouter = regexp.MustCompile(`(?i)(^|\.)(app|router|api|apirouter|routes?|server|admin|\w*router|\w*app|express\(\)|express\.Router\(\))\.(post|put|delete|patch)$`)

// csrfGuarded reports whether one of a route's handlers is CSRF middleware
// (csurf(), lusca.csrf(), a variable holding one).
func csrfGuarded(args []value) bool {
	for _, a := range args {
		q := strings.ToLower(a.qual)
		if strings.Contains(q, "csrf") || strings.Contains(q, "csurf") || q == "lusca()" {
			return true
		}
	}
	return false
}

// jsCookieSetters set a cookie by name, value and options.
var jsCookieSetters = []string{"res.cookie", "response.cookie", "*.res.cookie", "reply.setCookie", "ctx.cookies.set", "*.cookies.set", "cookies.set",
	"js-cookie.set", "$.cookie", "jQuery.cookie"}

// reSessionCookie names the cookies that carry a session or a credential.
var reSessionCookie = regexp.MustCompile(`(?i)(sess|token|auth($|[^o])|jwt|(^|[^a-z])sid|login|remember|credential|api_?key|secret)`)

// optionGiven reports whether the call n's argument i is an object
// literal that names the option key (whatever its value), or is not an
// object literal (options built elsewhere, which may set it).
func (f *jsFile) optionGiven(n *node, i int, key string) bool {
	al := n.child("arguments")
	if al == nil {
		return true
	}
	var args []*node
	for _, a := range al.namedChildren() {
		if a.kind != "comment" {
			args = append(args, a)
		}
	}
	if len(args) <= i {
		return false
	}
	if args[i].kind != "object" {
		return true
	}
	for _, p := range args[i].namedChildren() {
		switch p.kind {
		case "pair":
			if k := p.child("key"); k != nil && strings.EqualFold(unquote(k.str(f.text)), key) {
				return true
			}
		case "shorthand_property_identifier":
			if strings.EqualFold(p.str(f.text), key) {
				return true
			}
		case "spread_element":
			return true
		}
	}
	return false
}

// createsScript reports whether n is document.createElement('script').
func (f *jsFile) createsScript(n *node) bool {
	if n == nil || n.kind != "call_expression" {
		return false
	}
	fn := n.child("function")
	if fn == nil || fn.kind != "member_expression" || !fn.child("property").is(f.src, "createElement") {
		return false
	}
	a := n.child("arguments").namedChildren()
	return len(a) > 0 && a[0].kind == "string" && strings.EqualFold(unquote(a[0].str(f.text)), "script")
}

// escapesMarkup reports whether the replace call n replaces '<' (a regular
// expression that matches it) with an HTML entity, or with nothing.
func (f *jsFile) escapesMarkup(n *node) bool {
	al := n.child("arguments")
	if al == nil {
		return false
	}
	a := al.namedChildren()
	if len(a) < 2 || a[0].kind != "regex" {
		return false
	}
	pat := a[0].child("pattern")
	if flags := a[0].child("flags"); pat == nil || flags == nil || !strings.Contains(flags.str(f.text), "g") {
		return false
	}
	if keepsOnlyWords(pat.str(f.text)) && a[1].kind == "string" {
		// x.replace(/[^a-z0-9]/gi, ''): everything but letters and
		// digits removed.
		r := unquote(a[1].str(f.text))
		return !strings.ContainsAny(r, "<>\"'`&/\\.;")
	}
	if !strings.Contains(pat.str(f.text), "<") || strings.HasPrefix(pat.str(f.text), "[^") {
		// [^a-z<>]: a class of what is kept, '<' among it.
		return false
	}
	if a[1].kind != "string" {
		// A function of the match: an entity table lookup.
		return jsFunctionKinds[a[1].kind]
	}
	r := unquote(a[1].str(f.text))
	return r == "" || strings.HasPrefix(r, "&")
}

// escapesRegExp reports whether the replace call n escapes regular
// expression metacharacters: a global character class holding them (at
// least . * + ? ( ) [ and the backslash) replaced by a backslash and the
// match ('\\$&'), as MDN's escapeRegExp and lodash's escapeRegExp do.
func (f *jsFile) escapesRegExp(n *node) bool {
	al := n.child("arguments")
	if al == nil {
		return false
	}
	a := al.namedChildren()
	if len(a) < 2 || a[0].kind != "regex" || a[1].kind != "string" {
		return false
	}
	pat, flags := a[0].child("pattern"), a[0].child("flags")
	if pat == nil || flags == nil || !strings.Contains(flags.str(f.text), "g") {
		return false
	}
	p := pat.str(f.text)
	if !strings.HasPrefix(p, "[") || strings.HasPrefix(p, "[^") || !strings.HasSuffix(p, "]") {
		return false
	}
	for _, c := range []string{".", "*", "+", "?", "(", ")", "[", `\\`} {
		if !strings.Contains(p, c) {
			return false
		}
	}
	r := a[1].str(f.text)
	return len(r) >= 2 && r[1:len(r)-1] == `\\$&`
}

// keepsOnlyWords reports whether a regular expression pattern is one
// negated character class (repeated or not) of letters, digits,
// underscores, hyphens and spaces: replacing its matches leaves nothing
// else ([^a-z0-9_-]+, [^\w\s]).
func keepsOnlyWords(p string) bool {
	p = strings.TrimSuffix(strings.TrimSuffix(p, "+"), "*")
	if !strings.HasPrefix(p, "[^") || !strings.HasSuffix(p, "]") || len(p) < 4 {
		return false
	}
	body := p[2 : len(p)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\':
			if i+1 >= len(body) || !strings.ContainsRune("dws-_ ", rune(body[i+1])) {
				return false
			}
			i++
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == ' ':
		default:
			return false
		}
	}
	return true
}

// yamlSafeSchema reports whether js-yaml's load is given a schema that
// runs no code: as its second argument, or its options' schema.
func yamlSafeSchema(args []value) bool {
	safe := []string{"*SAFE_SCHEMA*", "*JSON_SCHEMA*", "*CORE_SCHEMA*", "*FAILSAFE_SCHEMA*"}
	for _, a := range args[1:] {
		if anyGlob(safe, a.qual) || a.t == constant && anyGlob(safe, a.lit) {
			return true
		}
		if sch, ok := a.fields["schema"]; ok && anyGlob(safe, sch) {
			return true
		}
	}
	return false
}

// cannotThrow reports whether the callee fn (f or f.call/f.apply) names a
// function declared in the file whose body calls nothing and throws
// nothing: no error of its can hold its arguments.
func (f *jsFile) cannotThrow(fn *node) bool {
	if fn != nil && fn.kind == "member_expression" {
		if p := fn.child("property"); p != nil && (p.is(f.src, "call") || p.is(f.src, "apply")) {
			fn = fn.child("object")
		}
	}
	if fn == nil || fn.kind != "identifier" || f.root == nil {
		return false
	}
	if f.simple == nil {
		f.simple = map[string]bool{}
		budget := 20000
		var calls func(n *node) bool
		calls = func(n *node) bool {
			if budget--; budget < 0 {
				return true
			}
			switch n.kind {
			case "call_expression", "new_expression", "throw_statement", "await_expression", "yield_expression", "tagged_template_expression":
				return true
			}
			for _, c := range n.children {
				if calls(c) {
					return true
				}
			}
			return false
		}
		var visit func(n *node, depth int)
		visit = func(n *node, depth int) {
			if depth > 40 || budget < 0 {
				return
			}
			if n.kind == "function_declaration" {
				if nn, body := n.child("name"), n.child("body"); nn != nil && body != nil && !calls(body) {
					f.simple[nn.str(f.text)] = true
				}
			}
			for _, c := range n.children {
				if c.named {
					visit(c, depth+1)
				}
			}
		}
		visit(f.root, 0)
	}
	return f.simple[fn.str(f.text)]
}

// sessionCookieWithoutHTTPOnly reports whether a Set-Cookie value (or one
// of a list) sets a session or credential cookie, known by its constant
// text, without HttpOnly: script on the page (an XSS) can read it.
func sessionCookieWithoutHTTPOnly(v value) bool {
	for _, t := range cookieTexts(v) {
		name, _, ok := strings.Cut(t, "=")
		l := strings.ToLower(t)
		if ok && reSessionCookie.MatchString(strings.TrimSpace(name)) && !strings.Contains(l, "httponly") && !strings.Contains(l, "max-age=0") {
			return true
		}
	}
	return false
}

// messageHandler reports whether the file registers the function named
// name as a handler of postMessage events.
func (f *jsFile) messageHandler(name string) bool {
	if f.root == nil {
		return false
	}
	if f.messageFns == nil {
		f.messageFns = map[string]bool{}
		budget := 50000
		var visit func(n *node, depth int)
		visit = func(n *node, depth int) {
			if budget--; budget < 0 || depth > 60 {
				return
			}
			switch n.kind {
			case "call_expression":
				if fn := n.child("function"); fn != nil && fn.kind == "member_expression" && fn.child("property").is(f.src, "addEventListener") {
					if a := n.child("arguments").namedChildren(); len(a) > 1 && a[0].kind == "string" && unquote(a[0].str(f.text)) == "message" &&
						a[1].kind == "identifier" {
						f.messageFns[a[1].str(f.text)] = true
					}
				}
			case "assignment_expression":
				if l, r := n.child("left"), n.child("right"); l != nil && r != nil && l.kind == "member_expression" &&
					l.child("property").is(f.src, "onmessage") && r.kind == "identifier" {
					f.messageFns[r.str(f.text)] = true
				}
			}
			for _, c := range n.children {
				if c.named {
					visit(c, depth+1)
				}
			}
		}
		visit(f.root, 0)
	}
	return f.messageFns[name]
}

// validationErrors follows the errors a JSON-schema validator reports on
// input (ajv): they quote the value that failed, so markup in it reaches
// whatever shows them. ajv.validate(schema, x) and a compiled validate(x)
// leave them in ajv.errors / validate.errors, and ajv.errorsText() words
// them; the call's own result is a boolean.
func (f *jsFile) validationErrors(q string, fnNode *node, args []value, recv value, sc *scope) (value, bool) {
	if fnNode == nil {
		return value{}, false
	}
	m := lastName(q)
	holder := fnNode
	switch {
	case fnNode.kind == "member_expression" && isAjv(recv.qual) && (m == "compile" || m == "getSchema"):
		return value{t: unknown, qual: "ajv." + m + "()"}, true
	case fnNode.kind == "member_expression" && isAjv(recv.qual) && m == "validate":
		holder = fnNode.child("object")
	case fnNode.kind == "identifier" && f.ajvValidator(fnNode, sc):
	case fnNode.kind == "member_expression" && isAjv(recv.qual) && m == "errorsText":
		if len(args) > 0 && args[0].t == tainted {
			return fromInput(args[0]), true
		}
		if key := f.fieldKey(fnNode.child("object"), sc); key != "" {
			if v, ok := sc.lookup(key + ".errors"); ok && v.t == tainted {
				return fromInput(v), true
			}
		}
		return value{}, false
	default:
		return value{}, false
	}
	in := value{}
	for _, a := range args {
		if a.t == tainted {
			in = a
			break
		}
	}
	key := f.fieldKey(holder, sc)
	if key == "" {
		return value{}, false
	}
	// Each call replaces the errors the last one left.
	errs := value{t: unknown, qual: key + ".errors"}
	if in.t == tainted {
		// An array of error objects: sent as it is, it is JSON.
		e := fromInput(in)
		e.source += " (in validation errors)"
		errs = e
		errs.elems = []value{e}
	}
	sc.assign(key+".errors", errs)
	return value{t: constant, qual: q + "()"}, true
}

// ajvValidator reports whether the variable called is a validate function
// ajv compiled (ajv.compile(schema), ajv.getSchema(name)).
func (f *jsFile) ajvValidator(fn *node, sc *scope) bool {
	v, ok := sc.lookup(fn.str(f.text))
	return ok && (v.qual == "ajv.compile()" || v.qual == "ajv.getSchema()")
}

// isAjv reports whether a qualified name is ajv's or an instance of it
// (ajv, ajv/dist/2020, ajv()).
func isAjv(q string) bool {
	q = strings.TrimSuffix(q, "()")
	return q == "ajv" || strings.HasPrefix(q, "ajv.") || strings.HasPrefix(q, "ajv/")
}

// withOrigins keeps, on a constant string built of constants, where each
// literal it holds was written: a credential joined from a user name and a
// password written on two lines is on both.
func withOrigins(v value, parts ...value) value {
	if v.t != constant {
		return v
	}
	var o []int
	for _, p := range parts {
		if !p.isStr {
			// process.env.USER: a name taken for a constant, not text
			// written here.
			return v
		}
		if p.origin > 0 {
			o = append(o, p.origin)
		}
		o = append(o, p.origins...)
	}
	if len(o) > maxOrigins {
		o = o[:maxOrigins]
	}
	if len(o) > 0 {
		if v.origin == 0 {
			v.origin = o[0]
		}
		v.origins = o
	}
	return v
}

// maxOrigins bounds the literals a built constant remembers.
const maxOrigins = 8

// jsBase64Encoders encode their string argument as base64.
var jsBase64Encoders = []string{"btoa", "window.btoa", "base-64.encode", "base64.encode", "js-base64.Base64.encode",
	"js-base64.encode", "js-base64.Base64.btoa", "base64-js.fromByteArray"}

// base64Constant evaluates base64 encodings of constant strings (btoa(c),
// Buffer.from(c).toString('base64')) written here: what an Authorization
// header built of them holds, for the credential rules. Buffer.from(c)
// keeps c's text.
func base64Constant(q string, recv value, args []value) (value, bool) {
	enc := func(c value) value {
		v := value{t: constant, isStr: true, lit: base64.StdEncoding.EncodeToString([]byte(c.lit)), origin: c.origin, origins: c.origins}
		return v
	}
	switch {
	case anyGlob(jsBase64Encoders, q) && len(args) == 1 && args[0].t == constant && args[0].isStr && args[0].origin > 0:
		return enc(args[0]), true
	case (q == "Buffer.from" || q == "buffer.Buffer.from") && len(args) >= 1 && args[0].t == constant && args[0].isStr && args[0].origin > 0 &&
		(len(args) == 1 || args[1].t == constant && (args[1].lit == "utf8" || args[1].lit == "utf-8")):
		// Still a buffer, not text: only its base64 is worked out.
		c := args[0]
		return value{t: unknown, qual: "Buffer.from()", constArgs: true, lit: c.lit, origin: c.origin, origins: c.origins}, true
	case lastName(q) == "toString" && recv.qual == "Buffer.from()" && recv.constArgs && recv.origin > 0 && len(args) == 1 && args[0].t == constant && args[0].lit == "base64":
		return enc(recv), true
	}
	return value{}, false
}

// The secure random values biasedRandom follows (value.secRand): a buffer
// of random bytes, one uniformly random number read from it, a decimal
// fraction's text made of one ("0." + n), and a fraction whose division
// skews it (n / 10).
const (
	secBytes uint8 = iota + 1
	secNumber
	secDecimal
	secFraction
)

// jsSecureBytes return (or fill) a buffer of cryptographically random
// bytes.
var jsSecureBytes = []string{"crypto.randomBytes", "node:crypto.randomBytes", "crypto.randomFillSync", "node:crypto.randomFillSync",
	"crypto.getRandomValues", "window.crypto.getRandomValues", "self.crypto.getRandomValues", "crypto.webcrypto.getRandomValues",
	"secure-random", "secure-random.randomArray", "secure-random.randomBuffer", "secure-random.randomUint8Array"}

// secureRandomCall follows secure random bytes through the calls that
// make, read or skew them, and reports rounding or parsing a skewed value
// (Math.floor(byte / 25.6), Number('0.' + n)) as a biased-random site.
func (f *jsFile) secureRandomCall(q string, n *node, recv value, args []value) (value, bool) {
	m := lastName(q)
	switch {
	case m == "getEntries" && (recv.qual == "adm-zip()" || strings.HasPrefix(q, "adm-zip")),
		anyGlob(jsArchiveOpens, q):
		// new AdmZip(buf).getEntries(), await unzipper.Open.buffer(buf):
		// entries named by the archive.
		return archiveEntry(q, n), true
	case jsSecureBytesSet.compiled().match(q):
		return value{t: unknown, qual: q + "()", secRand: secBytes}, true
	case recv.secRand == secBytes && (strings.HasPrefix(m, "readUInt") || strings.HasPrefix(m, "readInt") || strings.HasPrefix(m, "readBigUInt")):
		return value{t: unknown, qual: q + "()", secRand: secNumber}, true
	case recv.secRand == secBytes && (m == "values" || m == "slice" || m == "subarray"):
		return value{t: unknown, qual: q + "()", secRand: secBytes}, true
	case len(args) == 1 && args[0].secRand == secFraction && (q == "Math.floor" || q == "Math.ceil" || q == "Math.round" || q == "Math.trunc"),
		len(args) >= 1 && args[0].secRand == secDecimal && (q == "Number" || q == "parseFloat" || q == "Number.parseFloat"):
		f.add(site{kind: siteCall, name: "biased-random", fn: f.fn}, n, n, n)
	}
	return value{}, false
}

// biasedRandom is what a binary operation on secure random numbers makes
// (value.secRand), reporting the ones that skew them: the remainder by a
// number that is not a power of two; the sum or product of two random
// numbers; a division by anything but a power of two (or one less), which
// skews the number once rounded. Shifts, masks and products with a
// constant build larger numbers from bytes; a number compared before
// (rejection sampling: if (byte < 250)) is not skewed by a remainder.
func (f *jsFile) biasedRandom(n *node, op string, l, r value) uint8 {
	ln := n.child("left")
	switch op {
	case "<", "<=", ">", ">=":
		if l.secRand == secNumber && ln != nil {
			f.rejectSampled()[ln.str(f.text)] = true
		}
		if rn := n.child("right"); r.secRand == secNumber && rn != nil {
			f.rejectSampled()[rn.str(f.text)] = true
		}
		return 0
	case "%":
		if l.secRand == secNumber && isNumber(r) && !powerOfTwo(r.lit, false) && !f.rejectSampled()[ln.str(f.text)] {
			f.add(site{kind: siteCall, name: "biased-random", fn: f.fn}, n, n, n)
		}
		return 0
	case "/":
		if l.secRand == secNumber && isNumber(r) && !powerOfTwo(r.lit, true) {
			return secFraction
		}
		return 0
	case "+", "*":
		if l.isStr || r.isStr {
			if op == "+" && l.t == constant && l.isStr && strings.HasSuffix(l.lit, ".") && r.secRand == secNumber {
				return secDecimal
			}
			return 0
		}
		if l.secRand == secNumber && r.secRand == secNumber {
			// Still random, and skewed again by more of the same.
			f.add(site{kind: siteCall, name: "biased-random", fn: f.fn}, n, n, n)
			return secNumber
		}
		if op == "+" && (l.secRand == secNumber && r.t == constant || r.secRand == secNumber && l.t == constant) {
			// 5 + byte: still one random number, shifted.
			return secNumber
		}
	}
	if op == "+" || op == "-" || op == "*" {
		if l.secRand == secFraction || r.secRand == secFraction {
			// max * (byte / 100): still skewed once rounded.
			return secFraction
		}
	}
	return 0
}

// rejectSampled are the expressions holding a random number the code
// compared (if (byte >= 250) continue): it rejects the values that skew a
// remainder.
func (f *jsFile) rejectSampled() map[string]bool {
	if f.rejected == nil {
		f.rejected = map[string]bool{}
	}
	return f.rejected
}

// isNumber reports whether v is a number written in the source.
func isNumber(v value) bool {
	if v.t != constant || v.isStr {
		return false
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(v.lit, "_", ""), 64); err == nil {
		return true
	}
	_, err := strconv.ParseInt(strings.ReplaceAll(v.lit, "_", ""), 0, 64)
	return err == nil
}

// powerOfTwo reports whether a number literal is a power of two, or with
// minusOne also one less (0xff): a remainder by it, or a division by it,
// keeps random bytes uniform.
func powerOfTwo(lit string, minusOne bool) bool {
	x, err := strconv.ParseInt(strings.ReplaceAll(lit, "_", ""), 0, 64)
	if err != nil {
		return false
	}
	return x > 0 && (x&(x-1) == 0 || minusOne && (x+1)&x == 0)
}

// webStorage follows input the page saves in localStorage or
// sessionStorage under a constant key to where it reads that key back:
// what it reads is the input (stored DOM XSS).
func (f *jsFile) webStorage(q string, args []value) (value, bool) {
	q = strings.TrimPrefix(strings.TrimPrefix(q, "window."), "self.")
	store, m, ok := strings.Cut(q, ".")
	if !ok || store != "localStorage" && store != "sessionStorage" || len(args) == 0 || args[0].t != constant || !args[0].isStr {
		return value{}, false
	}
	key := store + "\x00" + args[0].lit
	switch {
	case m == "setItem" && len(args) > 1 && args[1].t == tainted:
		if f.stored == nil {
			f.stored = map[string]value{}
		}
		v := fromInput(args[1])
		v.source += " (stored in " + store + ")"
		f.stored[key] = v
	case m == "getItem":
		if v, ok := f.stored[key]; ok {
			return v, true
		}
	}
	return value{}, false
}

// constReturn is the string a call of one of the file's functions returns
// when its whole body is return 'literal' (function getCredentials() {
// return 'user:pass'; }): the literal, where it was written.
func (f *jsFile) constReturn(fn *node) (value, bool) {
	if fn == nil || fn.kind != "identifier" || f.root == nil {
		return value{}, false
	}
	if f.constFns == nil {
		f.constFns = map[string]*node{}
		budget := 20000
		var visit func(n *node, depth int)
		visit = func(n *node, depth int) {
			if depth > 40 || budget < 0 {
				return
			}
			budget--
			if n.kind == "function_declaration" {
				if nn, body := n.child("name"), n.child("body"); nn != nil && body != nil {
					if st := body.namedChildren(); len(st) == 1 && st[0].kind == "return_statement" {
						if r := st[0].firstNamed(""); r != nil && r.kind == "string" {
							f.constFns[nn.str(f.text)] = r
						}
					}
				}
			}
			for _, c := range n.children {
				if c.named {
					visit(c, depth+1)
				}
			}
		}
		visit(f.root, 0)
	}
	lit, ok := f.constFns[fn.str(f.text)]
	if !ok {
		return value{}, false
	}
	return f.expr(lit, newScope(nil)), true
}
