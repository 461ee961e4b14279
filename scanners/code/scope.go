package code

import (
	"regexp"
	"strings"
)

// scope maps variable names to what is known of their values within one
// function (or the module). Lookups fall back to the enclosing scope. The
// analysis is flow-sensitive only in statement order: an assignment
// replaces what was known, which is enough to see a request parameter reach
// a sink through a few assignments and string building.
type scope struct {
	// vars hold each value in a copy of its own (a map of values as large
	// as value would take kilobytes per scope); nil until one is set.
	vars map[string]*value
	// slab holds the copies vars point to (see put), shared with the
	// scopes made within this one.
	slab   *valueSlab
	parent *scope
	// arm marks the scope of one arm of a conditional (an if's body, an
	// else, a case): assignments to variables of the enclosing scopes stop
	// here, so that join can merge what each arm left.
	arm bool
}

func newScope(parent *scope) *scope {
	if parent == nil {
		return &scope{slab: &valueSlab{}}
	}
	return &scope{parent: parent, slab: parent.slab}
}

func (s *scope) lookup(name string) (value, bool) {
	for c := s; c != nil; c = c.parent {
		if v, ok := c.vars[name]; ok {
			return *v, true
		}
	}
	return value{}, false
}

func (s *scope) set(name string, v value) {
	if name != "" {
		s.put(name, v)
	}
}

// put stores a copy of v under name in s itself. The copy a name already
// holds is overwritten in place (no one else holds it: lookup and join
// copy out), and new copies come from the chunks of the walk's slab, so
// that a value is not an allocation of its own.
func (s *scope) put(name string, v value) {
	if s.vars == nil {
		s.vars = make(map[string]*value, 4)
	} else if p := s.vars[name]; p != nil {
		*p = v
		return
	}
	if s.slab == nil { // a scope not made by newScope
		s.slab = &valueSlab{}
	}
	s.vars[name] = s.slab.hold(v)
}

// valueSlab hands out the copies of values the scopes of one walk hold,
// from chunks shared by a scope and those made within it.
type valueSlab struct{ free []value }

// slabChunk is the values a chunk holds (about 9 KB).
const slabChunk = 32

func (b *valueSlab) hold(v value) *value {
	if len(b.free) == 0 {
		// Earlier chunks stay where the scopes point into them.
		b.free = make([]value, slabChunk)
	}
	p := &b.free[0]
	*p = v
	b.free = b.free[1:]
	return p
}

// assign updates name in the nearest scope that declares it (a = x), or
// the current one when none does. Within an arm of a conditional, the arm
// holds the new value until join.
func (s *scope) assign(name string, v value) {
	for c := s; c != nil; c = c.parent {
		if _, ok := c.vars[name]; ok || c.arm {
			c.put(name, v)
			return
		}
	}
	s.set(name, v)
}

// branch returns the scope of one arm of a conditional within s.
//
// Its parent is s, or, when s is an arm that holds nothing yet, the
// nearest enclosing scope that does: an else-if ladder nests each rung in
// the else arm of the one before, and lookups through thousands of empty
// arms would make the walk quadratic. It is the same scope to lookups: an
// arm is written only by what runs in it (before its own arms exist) and by
// the join of its arms (after they are done), and a write from the new arm
// stops at the new arm.
func (s *scope) branch() *scope {
	p := s
	for flatArms && p.arm && len(p.vars) == 0 && p.parent != nil {
		p = p.parent
	}
	return &scope{parent: p, arm: true, slab: s.slab}
}

// flatArms turns on branch's shortcut; a variable so that a test can
// compare with the walk without it.
var flatArms = true

// join merges the arms of a conditional into s: a variable an arm assigned
// holds, after the conditional, the worst of what the paths through it
// leave (the value before counts for an arm that does not assign it, and,
// when no arm is sure to run (no else), for the path that skips them all).
// The analysis is not path-sensitive, so `if x == "": x = r.Form["x"]`
// leaves x as input whatever else assigned it.
func (s *scope) join(arms []*scope, exhaustive bool) {
	var names []string
	seen := map[string]bool{}
	for _, a := range arms {
		for n := range a.vars {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	for _, n := range names {
		before, had := s.lookup(n)
		var out value
		first := true
		pick := func(v value) {
			if first {
				out, first = v, false
			} else {
				out = worst(out, v)
			}
		}
		for _, a := range arms {
			if v, ok := a.vars[n]; ok {
				pick(*v)
			} else if had {
				pick(before)
			}
		}
		if !exhaustive && had {
			pick(before)
		}
		s.assign(n, out)
	}
}

// sourceMatch reports whether a qualified name is a request/input source of
// the compiled list g (a name that is not known never is).
func sourceMatch(g *globSet, qual string) bool {
	return qual != "" && g.match(qual)
}

// formatPrefix cuts a constant format string at its first placeholder, so
// "https://%s/x" keeps "https://" and "https://api.example.com/{}" keeps the
// host.
func formatPrefix(s string) string {
	if i := strings.IndexAny(s, "%{"); i >= 0 {
		return s[:i]
	}
	return s
}

// rootName returns the first segment of a dotted name.
func rootName(q string) string {
	if i := strings.IndexAny(q, ".[("); i >= 0 {
		return q[:i]
	}
	return q
}

// lastName returns the last dotted segment of a name.
func lastName(q string) string {
	q = strings.TrimSuffix(q, "()")
	// A byte loop: strings.LastIndexAny builds a set per call, and this
	// runs for most sites of a walk ('.' and '/' are never part of a
	// multi-byte character).
	for i := len(q) - 1; i >= 0; i-- {
		if c := q[i]; c == '.' || c == '/' {
			return q[i+1:]
		}
	}
	return q
}

// isConstName reports whether a name is written as a constant
// (UPPER_CASE, at least two characters).
func isConstName(name string) bool {
	if len(name) < 2 {
		return false
	}
	upper := false
	for _, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c == '_' || (c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return upper
}

// Placeholder syntaxes of format strings: printf-style (Python %, Go, Java)
// and Python's str.format braces. Escapes (%% and {{ }}) are matched so they
// are not taken for placeholders.
var (
	percentVerb = regexp.MustCompile(`%%|%(\([^)]*\))?[-+ #0]*(\d+|\*)?(\.\d+)?[a-zA-Z]`)
	braceVerb   = regexp.MustCompile(`\{\{|\}\}|\{[^{}]*\}`)
	// namedVerb finds str.format's named placeholders, which never pair
	// with arguments by position (the count check fails on purpose).
	namedVerb = regexp.MustCompile(`\{\{|\}\}|\{[^{}]*\}|$`)
)

// formatted evaluates a format string applied to arguments: the pieces of
// the format between placeholders interleaved with the arguments, so a
// rewrite (a parameterized query) can see each piece. When the placeholders
// and arguments do not pair up, only the constant prefix is kept.
func formatted(format value, args []value, verb *regexp.Regexp) value {
	return formatValues(format, args, verb, "")
}

// formattedStrict is formatted for a language whose formatting fails on,
// or converts, anything but a number at a numeric placeholder (Python's %
// and str.format, Java's String.format, JavaScript's util.format and
// sprintf): what fills one of the verbs (letters) given, or a {:d}-style
// spec, is a number, not the text that came in. Go's fmt is not such: it
// prints %!d(string=...) with the text.
func formattedStrict(format value, args []value, verb *regexp.Regexp, letters string) value {
	return formatValues(format, args, verb, letters)
}

// Numeric placeholder letters: Python's and Java's (both raise on a
// string), and JavaScript's util.format (which converts with Number,
// parseInt, parseFloat; %o there prints the text).
const (
	numericVerbsStrict = "dioxXeEfFgGb"
	numericVerbsJS     = "dif"
)

// numericPlaceholder reports whether the placeholder m formats a number:
// its letter is one of letters (%d, %5.2f, %(n)x), or a str.format spec
// with a numeric type ({:d}, {0:>8.3f}).
func numericPlaceholder(m, letters string) bool {
	if strings.HasPrefix(m, "{") {
		i := strings.IndexByte(m, ':')
		return i >= 0 && len(m) > i+2 && strings.ContainsRune("bdoxXneEfFgG%", rune(m[len(m)-2]))
	}
	return strings.HasPrefix(m, "%") && len(m) > 1 && strings.ContainsRune(letters, rune(m[len(m)-1]))
}

// formatValues is formatted, with the numeric placeholder letters that
// make their argument a number ("" for none).
func formatValues(format value, args []value, verb *regexp.Regexp, letters string) value {
	var verbs []string
	split := func(s string) ([]string, int) {
		var segs []string
		last, n := 0, 0
		var cur strings.Builder
		verbs = verbs[:0]
		for _, loc := range verb.FindAllStringIndex(s, -1) {
			m := s[loc[0]:loc[1]]
			if m == "%%" || m == "{{" || m == "}}" {
				continue
			}
			verbs = append(verbs, m)
			cur.WriteString(s[last:loc[0]])
			segs = append(segs, cur.String())
			cur.Reset()
			last = loc[1]
			n++
		}
		cur.WriteString(s[last:])
		segs = append(segs, cur.String())
		return segs, n
	}
	litSegs, n := split(format.lit)
	litVerbs := append([]string(nil), verbs...)
	if n != len(args) || format.t != constant {
		parts := []value{{t: constant, isStr: true, lit: formatPrefix(format.lit)}}
		out := combine(append(parts, args...)...)
		if out.t == constant {
			out.lit = format.lit
		}
		out.parts = nil
		return out
	}
	rawSegs, rn := split(format.raw)
	rawOK := format.rawOK && rn == n && len(rawSegs) == len(litSegs)
	var pieces []value
	for i, seg := range litSegs {
		p := value{t: constant, isStr: true, lit: seg, rawOK: rawOK}
		if rawOK {
			p.raw = rawSegs[i]
		}
		pieces = append(pieces, p)
		if i < len(args) {
			a := args[i]
			if letters != "" && a.t != constant && i < len(litVerbs) && numericPlaceholder(litVerbs[i], letters) {
				// '%d' % x: a number, or an exception.
				a = value{t: constant, isStr: true, lit: "0", weakRand: a.weakRand, start: a.start, end: a.end}
			}
			pieces = append(pieces, a)
		}
	}
	out := combine(pieces...)
	if out.t == constant {
		out.lit = format.lit
	}
	return out
}
