package code

import (
	"context"
	"strings"
)

// depthGuard bounds the recursion of a front-end's walk over pathological
// input (a file of 100k nested parentheses): deeper subtrees are not
// analysed.
type depthGuard struct{ depth int }

// enter goes one level deeper and reports whether the walk may go on there;
// each enter that returns true is paired with a leave.
func (g *depthGuard) enter() bool {
	g.depth++
	if g.depth > maxDepth {
		g.depth--
		return false
	}
	return true
}

func (g *depthGuard) leave() { g.depth-- }

// walker is what the tree-sitter front-ends (python.go, javascript.go,
// java.go) share while they walk one file: the unit being built, import
// aliases, where the walk is, and the language's input sources and
// sanitizers. The grammars differ, so each front-end walks its own
// statements and expressions; the walker holds what is the same.
type walker struct {
	depthGuard
	src []byte
	// aliases maps a local name to the qualified name it was imported as.
	aliases map[string]string
	u       *unit
	module  *scope
	// fn is the enclosing function's name, target the variable the current
	// expression is assigned to, call the qualified name of the call whose
	// arguments are being evaluated.
	fn, target, call string

	// evaluate is the language's evaluation of one expression node.
	evaluate func(*node, *scope) value
	// builders are the node kinds that can build a string worth a string
	// site (concatenation, interpolation, formatting calls).
	builders map[string]bool
	// sources are the qualified names whose values are input; sanitizers
	// the calls whose results cannot carry an injection.
	sources, sanitizers []string
}

func newWalker(lang string, src []byte) walker {
	return walker{src: src, aliases: map[string]string{}, u: &unit{lang: lang, imports: map[string]bool{}}, module: newScope(nil)}
}

// walk parses the file with grammar and walks it from the root with stmt,
// the front-end's statement walk.
func (w *walker) walk(ctx context.Context, grammar string, stmt func(*node, *scope)) (*unit, []int, error) {
	root, errLines, err := tsParse(ctx, grammar, w.src)
	if err != nil {
		return nil, nil, err
	}
	stmt(root, w.module)
	return w.u, errLines, nil
}

// expr evaluates an expression with the language's evaluate, recording a
// site for every call in it and for a string built from variables.
func (w *walker) expr(n *node, sc *scope) value {
	if n == nil || !w.enter() {
		return value{t: unknown}
	}
	defer w.leave()
	v := w.evaluate(n, sc)
	v.start, v.end = n.start, n.end
	if v.isStr && v.t != constant && v.buildLine == 0 {
		v.buildLine = n.row + 1
	}
	if w.builders[n.kind] && builtString(v) && !logCall(w.call) {
		w.add(site{kind: siteString, val: v, fn: w.fn, target: w.target}, n, n, nil)
	}
	return v
}

// conditional walks an if statement (Python, JavaScript, Java) with stmt:
// its consequence and each elif/else alternative as an arm of their own,
// joined into sc afterwards, so that an assignment in one arm does not hide
// what another arm (or the path that skips them) left in a variable.
func conditional(n *node, sc *scope, stmt func(*node, *scope)) {
	var arms []*scope
	exhaustive := false
	arm := func(body ...*node) {
		a := sc.branch()
		for _, b := range body {
			stmt(b, a)
		}
		arms = append(arms, a)
	}
	for _, c := range n.children {
		if !c.named {
			continue
		}
		switch {
		case c.field == "consequence":
			arm(c)
		case c.field == "alternative" && c.kind == "elif_clause":
			stmt(c.child("condition"), sc)
			arm(c.child("consequence"))
		case c.field == "alternative" && c.kind == "else_clause":
			arm(c.namedChildren()...)
			exhaustive = true
		case c.field == "alternative":
			arm(c)
			exhaustive = true
		default:
			stmt(c, sc)
		}
	}
	sc.join(arms, exhaustive)
}

// containerAdds are the methods that put their arguments into the
// collection they are called on (parts.append(x), items.push(x)).
var containerAdds = map[string]bool{
	"append": true, "extend": true, "insert": true, "add": true, "appendleft": true, "extendleft": true,
	"setdefault": true, "push": true, "unshift": true, "set": true,
}

// addsTo records that a method call on a local collection (obj, a plain
// identifier) put input into it: parts.append(r.args["x"]) leaves parts
// holding input.
func (w *walker) addsTo(obj *node, method string, args []value, sc *scope) {
	if obj == nil || obj.kind != "identifier" || !containerAdds[method] {
		return
	}
	name := obj.text(w.src)
	if _, local := sc.lookup(name); !local {
		return
	}
	for _, a := range args {
		if a.t == tainted {
			sc.assign(name, fromInput(a))
			return
		}
	}
}

// fieldKey returns "opts.file" for a member chain (JavaScript
// member_expression, Python attribute) of plain names rooted at a local
// variable, else "": the key under which what was assigned to the field is
// remembered (opts.file = req.query.f; fs.readFileSync(opts.file)).
func (w *walker) fieldKey(n *node, sc *scope) string {
	switch {
	case n == nil:
		return ""
	case n.kind == "identifier":
		name := n.text(w.src)
		if _, local := sc.lookup(name); local {
			return name
		}
		return ""
	case n.kind == "member_expression" || n.kind == "attribute":
		prop := n.child("property")
		if prop == nil {
			prop = n.child("attribute")
		}
		if prop == nil || (prop.kind != "property_identifier" && prop.kind != "identifier") {
			return ""
		}
		if root := w.fieldKey(n.child("object"), sc); root != "" {
			return root + "." + prop.text(w.src)
		}
	}
	return ""
}

// logCall reports whether q writes a log or the console: markup built in
// its arguments reaches no page.
func logCall(q string) bool {
	return anyGlob(logCalls, q)
}

var logCalls = []string{"console.*", "logging.*", "logger.*", "log.*", "*.logger.*", "*.log.*", "*.log", "print",
	"*.Logger.*", "LOG.*", "LOGGER.*", "*.LOG.*", "*.LOGGER.*", "System.out.*", "System.err.*"}

// exprs evaluates each node in turn.
func (w *walker) exprs(ns []*node, sc *scope) []value {
	var out []value
	for _, c := range ns {
		out = append(out, w.expr(c, sc))
	}
	return out
}

// args evaluates the arguments of a call of q, comments left out; a pair in
// them (an options object) records q as its container.
func (w *walker) args(q string, ns []*node, sc *scope) []value {
	saved := w.call
	w.call = q
	defer func() { w.call = saved }()
	var out []value
	for _, a := range ns {
		if a.kind != "comment" && !strings.HasSuffix(a.kind, "_comment") {
			out = append(out, w.expr(a, sc))
		}
	}
	return out
}

// anyInput evaluates each node and returns the input the last tainted one
// carries, or unknown: the value of an expression the front-end does not
// model.
func (w *walker) anyInput(ns []*node, sc *scope) value {
	out := value{t: unknown}
	for _, c := range ns {
		if cv := w.expr(c, sc); cv.t == tainted {
			out = fromInput(cv)
		}
	}
	return out
}

// add records a site spanning the nodes from..to, its name (for fixes) at
// name, which may be nil.
func (w *walker) add(s site, from, to, name *node) {
	s.line, s.col, s.start = from.row+1, from.col+1, from.start
	s.endLine, s.end = to.endRow+1, to.end
	s.nameStart, s.nameEnd = name.s(), name.e()
	w.u.sites = append(w.u.sites, s)
}

// resolve returns the qualified name a local name was imported as, or the
// name itself.
func (w *walker) resolve(name string) string {
	if q, ok := w.aliases[name]; ok {
		return q
	}
	return name
}

// identifier is the value of a name read at n: a variable's value, else
// input or unknown by its qualified name.
func (w *walker) identifier(n *node, sc *scope) value {
	name := n.text(w.src)
	if v, ok := sc.lookup(name); ok {
		return v
	}
	q := w.resolve(name)
	if v, ok := w.source(q, n); ok {
		return v
	}
	return value{t: unknown, qual: q}
}

// source returns the value of a name read at n when q, its qualified name,
// is an input source.
func (w *walker) source(q string, n *node) (value, bool) {
	if sourceMatch(w.sources, q) {
		return value{t: tainted, source: q, qual: q, srcLine: n.row + 1}, true
	}
	return value{}, false
}

// knownCall returns the value of the call n of q when q is an input source
// or a sanitizer.
func (w *walker) knownCall(q string, n *node) (value, bool) {
	if sourceMatch(w.sources, q) {
		return value{t: tainted, source: q + "()", srcLine: n.row + 1}, true
	}
	if anyGlob(w.sanitizers, q) {
		return value{t: constant}, true
	}
	return value{}, false
}

// opaqueCall is the value of a call of q the front-end knows nothing about:
// unknown, or tainted by its receiver or its first tainted argument.
func opaqueCall(q string, recv value, args []value) value {
	out := value{t: unknown, qual: q + "()"}
	if recv.t == tainted {
		out.t, out.source, out.srcLine = tainted, recv.source, recv.srcLine
	}
	for _, a := range args {
		if a.t == tainted {
			out.t, out.source, out.srcLine = tainted, a.source, a.srcLine
			break
		}
	}
	return out
}

// fromInput is the value of something derived from the tainted v (a member,
// an element, a call's result): tainted by the same input.
func fromInput(v value) value {
	return value{t: tainted, source: v.source, srcLine: v.srcLine}
}

// elementOf is what a loop variable or a destructured element of v holds:
// v's input when v is tainted, else unknown.
func elementOf(v value) value {
	if v.t == tainted {
		return fromInput(v)
	}
	return value{t: unknown}
}

// worsen gives v the taint of o, and where its input came from, when o's
// is worse: a literal is as bad as its worst part.
func (v *value) worsen(o value) {
	if o.t > v.t {
		v.t, v.source, v.srcLine = o.t, o.source, o.srcLine
	}
}

// list is the value of a list or array literal of these elements: the worst
// element's taint, the constant strings, and the elements.
func list(elems []value) value {
	out := value{t: constant, elems: []value{}}
	for _, cv := range elems {
		out.worsen(cv)
		if cv.t == constant && cv.isStr {
			out.strs = append(out.strs, cv.lit)
		}
		out.elems = append(out.elems, cv)
	}
	return out
}
