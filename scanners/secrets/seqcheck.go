package secrets

import (
	"regexp/syntax"
	"unicode"
)

// seqCheck is a necessary condition for an anchored pattern to match,
// checked on bytes before any regex runs. Most keyword hits in code are
// no assignment at all (key.String(), tokens[i], auth, err :=), and
// anchored.MatchString costs ~2µs a hit however early it fails, mostly in
// setting up the backtracker over the rest of the window.
//
// The pattern's top-level sequence (captures and nested concatenations
// flattened) becomes a list of elements, each reduced to the set of bytes
// it can consume and how many: [\t \w.-]{0,} stays as it is, an
// alternation such as (?:=|:{1,3}=|\|\||,) becomes "1 to 4 of [=:|,]".
// Each reduction only widens what an element accepts, so the sequence
// accepts a superset of the pattern's matches, and a small NFA over
// (element, count) pairs, a bit set per element, decides it in a few
// nanoseconds a byte: whenever the pattern matches a prefix of the text,
// possible returns true.
type seqCheck struct {
	elems []seqElem
}

// maxSeqElems bounds the sequence; a longer one is cut, which keeps it
// a necessary condition (a match of the whole has a prefix matching the
// first elements), its last element then accepting anything.
const maxSeqElems = 16

// seqElem is "min to max bytes, each in set"; max -1 is unbounded.
// Bytes 0x80-0xFF are in set when the element can consume any non-ASCII
// rune; since a rune then counts as several bytes, such an element is
// never bounded above.
type seqElem struct {
	set      [4]uint64
	min, max int
	// Derived for the NFA: counts are bits 0..cap of a uint64; geMin
	// masks the counts that satisfy min; saturate keeps the top count
	// when the element is unbounded.
	capMask, geMin, top uint64
	saturate            bool
}

func (e *seqElem) has(b byte) bool { return e.set[b>>6]&(1<<(b&63)) != 0 }

func (e *seqElem) add(b int) { e.set[b>>6] |= 1 << (b & 63) }

func (e *seqElem) union(o *seqElem) {
	for i := range e.set {
		e.set[i] |= o.set[i]
	}
}

// newSeqCheck builds the check for an anchored pattern's tail; nil when
// nothing useful can be said.
func newSeqCheck(t *syntax.Regexp) *seqCheck {
	var subs []*syntax.Regexp
	var flatten func(t *syntax.Regexp)
	flatten = func(t *syntax.Regexp) {
		switch t.Op {
		case syntax.OpCapture:
			flatten(t.Sub[0])
		case syntax.OpConcat:
			for _, s := range t.Sub {
				flatten(s)
			}
		default:
			subs = append(subs, t)
		}
	}
	flatten(t)
	c := &seqCheck{}
	for _, s := range subs {
		e := summarize(s)
		if e.min == 0 && e.max == 0 {
			continue // an assertion or empty: it decides nothing here
		}
		c.elems = append(c.elems, finishElem(e))
	}
	if len(c.elems) == 0 {
		return nil
	}
	if len(c.elems) > maxSeqElems {
		// Cut: the last element stands for the rest, any bytes, so that
		// extent still bounds where a match ends.
		all := seqElem{set: [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}, max: -1}
		c.elems = append(c.elems[:maxSeqElems-1], finishElem(all))
	}
	return c
}

const seqLimit = 1 << 20 // counts beyond this are treated as unbounded

func finishElem(e seqElem) seqElem {
	if e.set[2]|e.set[3] != 0 || e.max > 63 {
		e.max = -1
	}
	e.min = min(e.min, 63)
	capN := e.max
	if e.max < 0 {
		capN = e.min
		e.saturate = true
	}
	e.top = 1 << capN
	e.capMask = e.top | (e.top - 1)
	e.geMin = e.capMask &^ (1<<e.min - 1)
	return e
}

func addBound(a, b int) int {
	if a < 0 || b < 0 {
		return -1
	}
	return min(a+b, seqLimit)
}

func mulBound(a, b int) int {
	if a < 0 || b < 0 {
		return -1
	}
	return min(a*b, seqLimit)
}

// summarize reduces t to one element accepting a superset of its matches.
func summarize(t *syntax.Regexp) seqElem {
	var e seqElem
	switch t.Op {
	case syntax.OpLiteral:
		for _, r := range t.Rune {
			addRune(&e, r)
			if t.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					addRune(&e, f)
				}
			}
		}
		e.min, e.max = len(t.Rune), len(t.Rune)
	case syntax.OpCharClass:
		for i := 0; i+1 < len(t.Rune); i += 2 {
			lo, hi := t.Rune[i], t.Rune[i+1]
			for r := lo; r <= hi && r < 0x80; r++ {
				e.add(int(r))
			}
			if hi >= 0x80 {
				addRune(&e, 0x80)
			}
		}
		e.min, e.max = 1, 1
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		e.set = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		if t.Op == syntax.OpAnyCharNotNL {
			e.set[0] &^= 1 << '\n'
		}
		e.min, e.max = 1, 1
	case syntax.OpCapture:
		return summarize(t.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		s := summarize(t.Sub[0])
		e.set = s.set
		lo, hi := 0, -1
		switch t.Op {
		case syntax.OpPlus:
			lo = 1
		case syntax.OpQuest:
			hi = 1
		case syntax.OpRepeat:
			lo, hi = t.Min, t.Max
		}
		e.min, e.max = mulBound(s.min, lo), mulBound(s.max, hi)
		if s.max == 0 || hi == 0 {
			e.max = 0
		}
	case syntax.OpConcat:
		for _, sub := range t.Sub {
			s := summarize(sub)
			e.union(&s)
			e.min, e.max = addBound(e.min, s.min), addBound(e.max, s.max)
		}
	case syntax.OpAlternate:
		for i, sub := range t.Sub {
			s := summarize(sub)
			e.union(&s)
			if i == 0 {
				e.min, e.max = s.min, s.max
				continue
			}
			e.min = min(e.min, s.min)
			if e.max >= 0 && (s.max < 0 || s.max > e.max) {
				e.max = s.max
			}
		}
	default:
		// Empty-width assertions, empty match; NoMatch never matches,
		// so "nothing" is a superset too.
	}
	return e
}

// addRune adds r to e's set; any non-ASCII rune stands for every byte
// 0x80-0xFF, which is all the check sees of it.
func addRune(e *seqElem, r rune) {
	if r < 0x80 {
		e.add(int(r))
		return
	}
	e.set[2], e.set[3] = ^uint64(0), ^uint64(0)
}

// possible reports whether the sequence can match a prefix of text; it is
// true whenever the pattern it came from matches at the start of text.
func (c *seqCheck) possible(text string) bool {
	ok, _ := c.extent(text)
	return ok
}

// extent runs the NFA over text until no state is left: ok reports
// whether the sequence can match a prefix of text, and every match of
// the pattern from the start of text lies within text[:n] (n is the
// offset of the first byte no path can consume, or len(text)).
func (c *seqCheck) extent(text string) (ok bool, n int) {
	ne := len(c.elems)
	var st [maxSeqElems + 1]uint64
	st[0] = 1
	// Elements lo..hi may hold counts; the rest are empty.
	lo, hi := 0, c.close(&st, 0, 0)
	ok = hi == ne
	for i := 0; i < len(text); i++ {
		b := text[i]
		nlo, nhi := -1, -1
		for j := lo; j <= min(hi, ne-1); j++ {
			cur := st[j]
			st[j] = 0
			if cur == 0 {
				continue
			}
			e := &c.elems[j]
			if !e.has(b) {
				continue
			}
			adv := cur << 1
			if e.saturate {
				adv |= cur & e.top
			}
			adv &= e.capMask
			if adv != 0 {
				st[j] = adv
				if nlo < 0 {
					nlo = j
				}
				nhi = j
			}
		}
		st[ne] = 0
		if nlo < 0 {
			return ok, i
		}
		lo, hi = nlo, c.close(&st, nlo, nhi)
		if hi == ne {
			ok = true
		}
	}
	return ok, len(text)
}

// close lets every element from lo whose count satisfies its minimum hand
// over to the next, and returns the last element holding a count (the
// length of the sequence when its end is reached).
func (c *seqCheck) close(st *[maxSeqElems + 1]uint64, lo, hi int) int {
	for j := lo; j < len(c.elems); j++ {
		if st[j]&c.elems[j].geMin != 0 {
			st[j+1] |= 1
			hi = max(hi, j+1)
		} else if j >= hi {
			break
		}
	}
	return hi
}
