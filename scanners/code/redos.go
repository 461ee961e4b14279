package code

import "strings"

// maxRedosPattern bounds the regular expressions redos reads: a longer
// constant is not looked at (it is read once, left to right, but a rule
// should not spend time on a megabyte literal).
const maxRedosPattern = 8 << 10

// maxRedosDepth bounds the group nesting redos follows.
const maxRedosDepth = 64

// redos reports whether the regular expression pat (backtracking syntax:
// Python re, JavaScript, Java) repeats without bound a group that can
// itself match the same text in more than one way: a group whose body is
// an unbounded repetition with nothing else required ((a+)+, (\w+\s?)*,
// (.*)*), or whose alternatives start alike ((a|a)*, (a|ab)+). A
// backtracking engine takes exponential time on a near-miss input to such
// a pattern. One pass over the text; possessive quantifiers (a++) and
// atomic groups (?>...) do not backtrack and do not count.
func redos(pat string) bool {
	if len(pat) > maxRedosPattern {
		return false
	}
	// A pattern written in a string literal that is not raw keeps its
	// escapes as written ("\\w+"): read \\ as the one backslash it is.
	p := &reParser{s: strings.ReplaceAll(pat, `\\`, `\`)}
	p.alternatives(0)
	return p.hit
}

type reParser struct {
	s   string
	i   int
	hit bool
}

// alternatives reads a|b|... up to a ')' or the end: whether some
// alternative pumps (see sequence), and each alternative's text, or its
// one atom when it is a single unquantified atom.
func (p *reParser) alternatives(depth int) (pumps bool, alts []reAlt) {
	for {
		start := p.i
		ps, first, n := p.sequence(depth)
		pumps = pumps || ps
		text := p.s[start:p.i]
		alts = append(alts, reAlt{text: text, atom: n == 1 && text == first})
		if p.i < len(p.s) && p.s[p.i] == '|' {
			p.i++
			continue
		}
		return pumps, alts
	}
}

// sequence reads one alternative. It pumps when it holds an element that
// matches an unbounded run (x+, x*, x{2,}, or a group whose body pumps)
// and every other element may match nothing: repeated, such a sequence
// splits one run of text in exponentially many ways.
func (p *reParser) sequence(depth int) (pumps bool, first string, atoms int) {
	pumping, required := 0, 0
	for p.i < len(p.s) && p.s[p.i] != '|' && p.s[p.i] != ')' {
		start := p.i
		atom, zeroWidth, innerPumps, overlap, atomic, isGroup := "", false, false, false, false, false
		switch c := p.s[p.i]; c {
		case '(':
			isGroup = true
			p.i++
			if p.i < len(p.s) && p.s[p.i] == '?' {
				// (?:...), (?=...), (?!...), (?<=...), (?<!...), (?>...),
				// (?P<name>...), (?<name>...), (?'name'...), (?i) flags.
				p.i++
				if p.i < len(p.s) {
					switch p.s[p.i] {
					case '=', '!':
						zeroWidth = true
						p.i++
					case '>':
						atomic = true
						p.i++
					case ':':
						p.i++
					case '<':
						if p.i+1 < len(p.s) && (p.s[p.i+1] == '=' || p.s[p.i+1] == '!') {
							zeroWidth = true
							p.i += 2
						} else {
							p.skipName('>')
						}
					case 'P':
						if p.i+1 < len(p.s) && p.s[p.i+1] == '<' {
							p.i++
							p.skipName('>')
						} else {
							zeroWidth = true // (?P=name): a back-reference
							p.skipName(')')
							p.i--
						}
					case '\'':
						p.skipName('\'')
					default:
						// Inline flags: (?i) or (?i:...).
						for p.i < len(p.s) && p.s[p.i] != ')' && p.s[p.i] != ':' {
							p.i++
						}
						if p.i < len(p.s) && p.s[p.i] == ')' {
							zeroWidth = true
						} else if p.i < len(p.s) {
							p.i++
						}
					}
				}
			}
			if depth >= maxRedosDepth {
				p.i = len(p.s)
				return false, "", 0
			}
			var alts []reAlt
			innerPumps, alts = p.alternatives(depth + 1)
			overlap = overlapping(alts)
			if p.i < len(p.s) && p.s[p.i] == ')' {
				p.i++
			}
			if atomic {
				innerPumps, overlap = false, false
			}
			atom = "("
		case '[':
			p.i++
			if p.i < len(p.s) && p.s[p.i] == '^' {
				p.i++
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
			}
			for p.i < len(p.s) && p.s[p.i] != ']' {
				if p.s[p.i] == '\\' {
					p.i++
				}
				p.i++
			}
			p.i = min(p.i+1, len(p.s))
			atom = p.s[start:p.i]
		case '\\':
			p.i = min(p.i+2, len(p.s))
			atom = p.s[start:p.i]
			switch atom {
			case `\b`, `\B`, `\A`, `\Z`, `\z`, `\G`:
				zeroWidth = true
			}
		case '^', '$':
			p.i++
			zeroWidth = true
		default:
			p.i++
			atom = p.s[start:p.i]
		}
		unbounded, optional, possessive := p.quantifier()
		if possessive {
			unbounded, innerPumps, overlap = false, false, false
		}
		if isGroup && !zeroWidth && unbounded && (innerPumps || overlap) {
			p.hit = true
		}
		switch {
		case zeroWidth:
		case unbounded || (isGroup && innerPumps):
			pumping++
		case !optional:
			required++
		}
		if !zeroWidth {
			atoms++
			if first == "" {
				first = atom
			}
		}
	}
	return pumping > 0 && required == 0, first, atoms
}

// reAlt is one alternative of a group: its text, and whether it is a
// single atom (a, \d, [a-z], .) with no quantifier.
type reAlt struct {
	text string
	atom bool
}

// skipName moves past a group name ending in end.
func (p *reParser) skipName(end byte) {
	for p.i < len(p.s) && p.s[p.i] != end {
		p.i++
	}
	if p.i < len(p.s) {
		p.i++
	}
}

// quantifier reads a quantifier after an atom: whether it repeats without
// bound (*, +, {n,}), whether it may match nothing (*, ?, {0,...}), and
// whether it is possessive (*+, ++: no backtracking).
func (p *reParser) quantifier() (unbounded, optional, possessive bool) {
	if p.i >= len(p.s) {
		return
	}
	switch p.s[p.i] {
	case '*':
		unbounded, optional = true, true
		p.i++
	case '+':
		unbounded = true
		p.i++
	case '?':
		optional = true
		p.i++
	case '{':
		j := p.i + 1
		lo := j
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == lo || j >= len(p.s) {
			return // a literal '{'
		}
		zero := p.s[lo:j] == "0" || (j-lo > 1 && trimZeros(p.s[lo:j]) == "")
		switch {
		case p.s[j] == '}':
			p.i = j + 1
			optional = zero
		case p.s[j] == ',':
			k := j + 1
			for k < len(p.s) && p.s[k] >= '0' && p.s[k] <= '9' {
				k++
			}
			if k >= len(p.s) || p.s[k] != '}' {
				return
			}
			unbounded, optional = k == j+1, zero
			p.i = k + 1
		default:
			return
		}
	default:
		return
	}
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '?':
			p.i++
		case '+':
			possessive = true
			p.i++
		}
	}
	return
}

func trimZeros(s string) string {
	for len(s) > 0 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// overlapping reports whether two alternatives can match the same text:
// they are written alike, or both are single characters of which one is
// any character, or a word character beside a digit or letter. ((a|ab)*
// is not ambiguous: only the first atoms agree.)
func overlapping(alts []reAlt) bool {
	if len(alts) < 2 {
		return false
	}
	for i, a := range alts {
		for _, b := range alts[i+1:] {
			if a.text == "" || b.text == "" {
				continue
			}
			if a.text == b.text {
				return true
			}
			if a.atom && b.atom && (a.text == "." || b.text == "." || wordOverlap(a.text, b.text) || wordOverlap(b.text, a.text)) {
				return true
			}
		}
	}
	return false
}

// wordOverlap reports whether a is \w and b a digit class or a single word
// character.
func wordOverlap(a, b string) bool {
	if a != `\w` {
		return false
	}
	if b == `\d` {
		return true
	}
	if len(b) == 1 {
		c := b[0]
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	return false
}
