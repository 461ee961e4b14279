package code

import "strings"

// The language front-ends (golang.go, python.go, javascript.go, java.go)
// parse a file with a real parser and reduce it to the few facts the rules
// are written against: sites (calls, constructions, member assignments,
// key/value pairs) whose arguments are values graded by where they come
// from. The rule engine (engine.go) never sees a syntax tree, which is what
// lets rules be plain data.

// taint grades where a value comes from. Higher is worse.
type taint uint8

const (
	// constant: literals, named constants, and values built only from them
	// (or passed through a sanitizer such as int() or shlex.quote).
	constant taint = iota
	// unknown: a parameter, a field, a call result: not provably constant.
	unknown
	// tainted: derived, within the function, from a request/input source.
	tainted
)

// value is what the front-end knows about one expression.
type value struct {
	// Fields are laid out by size (strings, slices and pointers, then
	// ints, then bytes), so that the struct every expression returns has
	// no padding between small fields.
	// lit is the literal text of a constant scalar: a string's content, or
	// "true"/"false"/"None"/"nil"/a number.
	lit string
	// strs are the constant strings of a list/tuple/array literal.
	strs []string
	// qual is the qualified name of an identifier or attribute chain after
	// import resolution ("ssl.CERT_NONE", "yaml.SafeLoader").
	qual string
	// prefix is the constant text the value starts with when it is built by
	// concatenation or formatting ("https://api.example.com/" + id).
	prefix string
	// source names the input the value is derived from when tainted.
	source string
	// fields are the constant-valued keys of an object/dict literal
	// ({verify_signature: false}), lower-cased key → literal.
	fields map[string]string
	// elems are the values of a list/tuple/array literal's elements.
	elems     []value
	varPrefix string
	// consts is the constant text of a built string, its variable parts left
	// out: what a rule can read of the query or command's shape.
	consts string
	// raw is a string literal's source text between its quotes, and rawOK
	// says raw is known (the value is a literal written right here).
	raw string
	// parts are the pieces of a built string in order, for fixes that
	// rewrite it (a parameterized query); nil when it was not built.
	parts []part
	// build is the builder the value was made with, and gen which of its
	// values it is (see combine).
	build *build
	// origins are the offsets (plus one) of every literal a constant built
	// of several was written as (JavaScript), origin the first.
	origins []int
	// rejects is the input a promise may be rejected with, in an error
	// its executor's call throws (JavaScript).
	rejects *value
	// srcLine is the line where tainted input entered (0 when not tainted).
	srcLine int
	// buildLine is the line where a non-constant string was built by
	// concatenation or formatting (query := "..." + id).
	buildLine int
	// gen: see build.
	gen int
	// origin is the byte offset of the literal a constant was written as,
	// wherever it is used (a secret assigned to a variable above), plus one;
	// 0 when unknown.
	origin int
	// start and end are byte offsets of the expression in the file.
	start, end int
	// t is the value's taint; isStr says lit is a string's content.
	t     taint
	isStr bool
	// param marks a value derived from a parameter of the enclosing function
	// (React props, a handler's arguments): input, though not provably so.
	param bool
	// varTaint is the taint of the first non-constant part of a built
	// string, and varPrefix the constant text before it: the part that picks
	// a URL's host.
	varTaint taint
	// hasVar: see varTaint.
	hasVar bool
	// scalar marks a value converted to a string (String(x), str(x)): whatever
	// input it holds, it is not a structured value.
	scalar bool
	// constArgs marks the result of a call whose arguments are all constant
	// (JWK.asKey('secret')): derived from constants only.
	constArgs bool
	// weakRand marks a value derived from a predictable random generator
	// (Math.random, java.util.Random, Python's random, math/rand): what
	// it makes is guessable, which matters where it becomes a secret.
	weakRand bool
	// opaque marks what a call of no known purpose returned, tainted only
	// because input went into it (opaqueCall): awaited, it is the result
	// of the work the call did (a record, a response), not the input.
	opaque bool
	// rawOK: see raw.
	rawOK bool
	// markup and url say consts holds "<" or "://": the test builtString
	// makes at every link of a chain, kept as the text grows.
	markup, url bool
	// secRand says the value is cryptographically random bytes or a number
	// read from them, which arithmetic may skew (JavaScript, biasedRandom).
	secRand uint8
}

// part is one piece of a built string: literal source text, or an
// expression (its byte span).
type part struct {
	expr       bool
	raw        string
	rawOK      bool
	start, end int
}

// appendPiece appends v as parts of a built string to dst.
func (v *value) appendPiece(dst []part) []part {
	if v.parts != nil {
		return append(dst, v.parts...)
	}
	if v.t == constant {
		return append(dst, part{raw: v.raw, rawOK: v.rawOK && v.isStr, start: v.start, end: v.end})
	}
	return append(dst, part{expr: true, start: v.start, end: v.end})
}

// combine joins the values of the parts of a string built by concatenation
// or formatting: the worst taint wins, and the constant prefix is kept.
// combine(combine(a, b), c) is combine(a, b, c), which is how a chain
// a + b + c + ... is evaluated, one link at a time.
//
// A chain of a million links would copy its growing constant text and
// pieces at every link, a quadratic cost: so the value of a string built
// here carries the builder it was made with (build), and combining it
// first with more parts appends to that builder in place, as append does to
// a slice, when nothing has been appended since it was made (it is the
// builder's newest value); otherwise the builder is copied.
func combine(parts ...value) value {
	out := value{t: constant, isStr: true}
	var b *build
	prefixOpen := true
	if len(parts) > 0 && parts[0].build.newest(parts[0]) {
		p := parts[0]
		b = p.build
		out.t, out.source, out.srcLine, out.param = p.t, p.source, p.srcLine, p.param
		out.hasVar, out.varTaint, out.varPrefix = p.hasVar, p.varTaint, p.varPrefix
		out.consts, out.parts, out.buildLine = p.consts, p.parts, p.buildLine
		out.markup, out.url = p.markup, p.url
		out.start, out.end = p.start, p.end
		out.weakRand = p.weakRand
		if p.t == constant {
			out.prefix = p.consts
		} else {
			out.prefix, prefixOpen = p.prefix, false
		}
		parts = parts[1:]
	} else {
		b = &build{}
	}
	first := b.n == 0 && len(b.parts) == 0
	for i, p := range parts {
		b.parts = p.appendPiece(b.parts)
		if p.t > out.t {
			out.t = p.t
			out.source, out.srcLine = p.source, p.srcLine
		} else if p.t == tainted && out.source == "" {
			out.source, out.srcLine = p.source, p.srcLine
		}
		if p.param {
			out.param = true
		}
		if p.weakRand {
			out.weakRand = true
		}
		before := out.consts
		if !out.hasVar && p.t != constant {
			out.hasVar = true
			if p.hasVar {
				out.varTaint, out.varPrefix = p.varTaint, before+p.varPrefix
			} else {
				out.varTaint, out.varPrefix = p.t, before
			}
		}
		add := p.lit
		if p.t != constant {
			add = p.consts
			if out.buildLine == 0 {
				out.buildLine = p.buildLine
			}
		}
		b.text.WriteString(add)
		out.consts = b.text.String()
		out.markup = out.markup || strings.Contains(add, "<")
		out.url = out.url || strings.Contains(out.consts[max(0, len(before)-2):], "://")
		if prefixOpen {
			if p.t == constant {
				out.prefix = out.consts
			} else {
				// Before the first variable part: what the text held,
				// then that part's own constant prefix.
				out.prefix = before + p.prefix
				prefixOpen = false
			}
		}
		if p.start != 0 || p.end != 0 {
			if (first && i == 0) || p.start < out.start {
				out.start = p.start
			}
			if p.end > out.end {
				out.end = p.end
			}
		}
	}
	out.parts = b.parts
	if out.t == constant {
		out.lit = out.consts
		out.prefix = ""
	}
	if len(parts) == 1 {
		// "secret".toCharArray(), PASSWORD.trim(): still the literal
		// written there.
		out.origin = parts[0].origin
	}
	b.n++
	out.build, out.gen = b, b.n
	return out
}

// build is the growing text and pieces of the strings one chain of
// combine calls makes (see combine).
type build struct {
	text  strings.Builder
	parts []part
	// n counts the values made: a value is the newest when its gen is n.
	n int
}

// newest reports whether v is the value b made last, unchanged in what
// combine reads of it: then b's text and pieces end where v's do.
func (b *build) newest(v value) bool {
	return b != nil && v.build == b && v.gen == b.n && len(v.parts) == len(b.parts) &&
		len(v.consts) == b.text.Len() && (v.t != constant || v.lit == v.consts)
}

// worst returns the worse of two alternatives (a conditional expression).
func worst(a, b value) value {
	if b.t > a.t {
		return b
	}
	return a
}

// siteKind says what a site is.
type siteKind uint8

const (
	siteCall   siteKind = iota // f(x), obj.m(x), new T(x)
	siteAssign                 // obj.prop = x
	sitePair                   // {key: x} in an object/struct/dict literal, or key=x JSX attribute
	siteImport                 // import "crypto/md5"
	siteString                 // a string built from variables: "<p>" + name, f"https://{host}/"
)

// builtString reports whether v is worth a string site: built from a
// variable, and shaped like markup, a URL or a Spring redirect view name
// ("redirect:" + url) (the only built strings rules look at), which keeps
// the number of sites small.
func builtString(v value) bool {
	return v.isStr && v.t != constant && v.hasVar && (v.markup || v.url || strings.HasPrefix(v.prefix, "redirect:"))
}

// site is one place a rule can match.
type site struct {
	// name is the qualified callee ("hashlib.md5", "crypto/md5.New",
	// "cur.execute"), the assigned member ("innerHTML"), the pair's key, or
	// the imported module.
	name   string
	args   []value
	kwargs map[string]value
	// recv is the receiver of a method call when it is input or
	// predictable randomness (path.read_text() on a path built from a
	// request; r.toString(36) of Math.random()), else nil (receiverOf).
	recv *value
	// val is the assigned or paired value (nil for calls and imports: a
	// file can have a million call sites, and a value is large).
	val *value
	// container is the qualified type or callee of the literal a pair sits in
	// ("crypto/tls.Config", "cors"); for a member or subscript assignment the
	// object assigned into ("app", "app.config"); for a Python assignment to
	// a plain name outside functions the enclosing classes, each as
	// "Name(base, ...)" joined by "." ("UserForm(django.forms.ModelForm).Meta"),
	// or "" at module level; for a Java call the call it is an argument of
	// (c.disable() in http.csrf(c -> c.disable()): "http.csrf").
	container string
	// target is the variable (or, failing that, the function) the site's
	// result is assigned to; rules about tokens look at it.
	target string
	// fn is the enclosing function's name.
	fn string
	// cond is, in Go, the source of the conditions of the if statements
	// the site sits in (innermost last, one a line): Match.OptIn reads it.
	cond string
	// line..endLine is the site's span (1-based); col is 1-based.
	line, endLine, col, endCol int
	// start, end are the site's byte offsets; nameStart, nameEnd those of
	// the callee's last name segment (md5 in hashlib.md5), for fixes.
	start, end         int
	nameStart, nameEnd int
	// defStart, defEnd are, for a decorator site (Python @csrf_exempt), the
	// byte span of the decorated definition, decorators included; in Go,
	// the body of the function the site is in; zero otherwise.
	defStart, defEnd int
	kind             siteKind
	// valWeak says the assigned or paired value is predictable randomness:
	// known before val is set, which happens only once the site is kept.
	valWeak bool
	// pkg marks a call of a package-level function (syscall.Exec), as
	// opposed to a method on a value.
	pkg bool
}

// arg returns positional argument i, or the keyword argument kw.
func (s *site) arg(i int, kw string) (value, bool) {
	if i == receiver {
		if s.recv != nil {
			return *s.recv, true
		}
		return value{}, false
	}
	if kw != "" {
		if v, ok := s.kwargs[kw]; ok {
			return v, true
		}
	}
	if i >= 0 && i < len(s.args) {
		return s.args[i], true
	}
	return value{}, false
}

// unit is one parsed file reduced to sites.
type unit struct {
	lang string
	// path is the file's path, for rules about particular files (Django
	// settings modules), and src its content.
	path string
	src  []byte
	// lines is the line index of the content scanned, when the front-end
	// made one (the scan needs it too).
	lines lineIndex
	sites []site
	// imports lists the modules the file imports (resolved paths).
	imports map[string]bool
	// calls indexes the call sites by function and last name, made when a
	// rule first asks (see called).
	calls map[callKey][]string
	// ip is what the walk learned of taint across the file's functions.
	ip *interproc
}
