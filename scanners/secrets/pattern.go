package secrets

import (
	"regexp/syntax"
	"strconv"
	"strings"
)

// patternString writes a parsed regexp back as a pattern that parses to
// the same language. syntax.Regexp.String does too, but it works out the
// fewest (?i) and (?s) groups by folding every rune of every character
// class (all of [^\s] is ~120,000 runes), which was half of compiling the
// rules. This writer spells the flags out locally instead: a fold-case
// literal in its own (?i:...), any-char as (?s:.) or (?-s:.), every
// operand of a repeat or concatenation in (?:...). The output is longer
// and uglier, and regexp.Compile does not care.
func patternString(t *syntax.Regexp) string {
	var b strings.Builder
	writePattern(&b, t)
	return b.String()
}

func writePattern(b *strings.Builder, t *syntax.Regexp) {
	switch t.Op {
	case syntax.OpNoMatch:
		b.WriteString(`[^\x00-\x{10FFFF}]`)
	case syntax.OpEmptyMatch:
		b.WriteString(`(?:)`)
	case syntax.OpLiteral:
		fold := t.Flags&syntax.FoldCase != 0
		if fold {
			b.WriteString(`(?i:`)
		} else {
			b.WriteString(`(?:`)
		}
		for _, r := range t.Rune {
			writeRune(b, r)
		}
		b.WriteByte(')')
	case syntax.OpCharClass:
		if len(t.Rune) == 0 {
			b.WriteString(`[^\x00-\x{10FFFF}]`)
			return
		}
		// Case folding was compiled into the ranges by the parser.
		b.WriteByte('[')
		for i := 0; i+1 < len(t.Rune); i += 2 {
			writeRune(b, t.Rune[i])
			if t.Rune[i+1] != t.Rune[i] {
				b.WriteByte('-')
				writeRune(b, t.Rune[i+1])
			}
		}
		b.WriteByte(']')
	case syntax.OpAnyCharNotNL:
		b.WriteString(`(?-s:.)`)
	case syntax.OpAnyChar:
		b.WriteString(`(?s:.)`)
	case syntax.OpBeginLine:
		b.WriteString(`(?m:^)`)
	case syntax.OpEndLine:
		b.WriteString(`(?m:$)`)
	case syntax.OpBeginText:
		b.WriteString(`\A`)
	case syntax.OpEndText:
		// Without (?m), $ matches only at the end of the text, as \z.
		b.WriteString(`\z`)
	case syntax.OpWordBoundary:
		b.WriteString(`\b`)
	case syntax.OpNoWordBoundary:
		b.WriteString(`\B`)
	case syntax.OpCapture:
		b.WriteByte('(')
		if t.Name != "" {
			b.WriteString(`?P<`)
			b.WriteString(t.Name)
			b.WriteByte('>')
		}
		writePattern(b, t.Sub[0])
		b.WriteByte(')')
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		b.WriteString(`(?:`)
		writePattern(b, t.Sub[0])
		b.WriteByte(')')
		switch t.Op {
		case syntax.OpStar:
			b.WriteByte('*')
		case syntax.OpPlus:
			b.WriteByte('+')
		case syntax.OpQuest:
			b.WriteByte('?')
		default:
			b.WriteByte('{')
			b.WriteString(strconv.Itoa(t.Min))
			if t.Max != t.Min {
				b.WriteByte(',')
				if t.Max >= 0 {
					b.WriteString(strconv.Itoa(t.Max))
				}
			}
			b.WriteByte('}')
		}
		if t.Flags&syntax.NonGreedy != 0 {
			b.WriteByte('?')
		}
	case syntax.OpConcat:
		b.WriteString(`(?:`)
		for _, sub := range t.Sub {
			writePattern(b, sub)
		}
		b.WriteByte(')')
	case syntax.OpAlternate:
		b.WriteString(`(?:`)
		for i, sub := range t.Sub {
			if i > 0 {
				b.WriteByte('|')
			}
			writePattern(b, sub)
		}
		b.WriteByte(')')
	default:
		// Unknown to this writer: fall back on the library's, which is
		// slow but correct.
		b.WriteString(`(?:`)
		b.WriteString(t.String())
		b.WriteByte(')')
	}
}

// writeRune writes r so that it means itself both in and outside a
// character class: letters and digits as they are, everything else
// escaped as \x{...}.
func writeRune(b *strings.Builder, r rune) {
	if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
		b.WriteByte(byte(r))
		return
	}
	b.WriteString(`\x{`)
	b.WriteString(strconv.FormatInt(int64(r), 16))
	b.WriteByte('}')
}
