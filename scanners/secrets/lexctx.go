package secrets

import (
	"regexp"
	"strings"
)

// grammar is what codeAt needs to know of a language to tell code from
// comments, strings and heredocs: enough to never offer a fix inside one,
// not a parser.
type grammar struct {
	lineComments []string    // "//", "#"
	hashWord     bool        // # starts a comment only at a word start (shell)
	blocks       [][2]string // block comments: open, close
	lineBlocks   [][2]string // block comments whose delimiters start a line (Ruby =begin/=end)
	quotes       string      // string quotes that end at the line's end at the latest
	multi        [][2]string // strings that may span lines: open, close (longest first)
	rawMulti     bool        // backslash does not escape in multi (Go raw strings)
	charQuote    bool        // ' opens a character literal ('x', '\n'), not a string
	heredoc      *regexp.Regexp
}

var (
	cGrammar  = &grammar{lineComments: []string{"//"}, blocks: [][2]string{{"/*", "*/"}}, quotes: `"`, charQuote: true}
	goGrammar = &grammar{lineComments: []string{"//"}, blocks: [][2]string{{"/*", "*/"}}, quotes: `"`, charQuote: true,
		multi: [][2]string{{"`", "`"}}, rawMulti: true}
	jsGrammar = &grammar{lineComments: []string{"//"}, blocks: [][2]string{{"/*", "*/"}}, quotes: `"'`,
		multi: [][2]string{{"`", "`"}}}
	jvmGrammar = &grammar{lineComments: []string{"//"}, blocks: [][2]string{{"/*", "*/"}}, quotes: `"`, charQuote: true,
		multi: [][2]string{{`"""`, `"""`}}}
	pyGrammar = &grammar{lineComments: []string{"#"}, quotes: `"'`,
		multi: [][2]string{{`"""`, `"""`}, {`'''`, `'''`}}}
	rbGrammar = &grammar{lineComments: []string{"#"}, lineBlocks: [][2]string{{"=begin", "=end"}}, quotes: `"'`,
		heredoc: regexp.MustCompile(`^<<[~-]?(["'` + "`" + `]?)([A-Z_][A-Z0-9_]*)(["'` + "`" + `]?)`)}
	phpGrammar = &grammar{lineComments: []string{"//", "#"}, blocks: [][2]string{{"/*", "*/"}}, quotes: `"'`,
		heredoc: regexp.MustCompile(`^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)}
	shGrammar = &grammar{lineComments: []string{"#"}, hashWord: true, quotes: `"'`,
		heredoc: regexp.MustCompile(`^<<-?[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)}
)

// maxLexBytes bounds how much of a file codeAt reads: past it, the answer
// is "not known to be code", so no fix.
const maxLexBytes = 4 << 20

type lexState int

const (
	inCode lexState = iota
	inLineComment
	inBlock
	inString
	inMulti
	inHeredoc
)

// pos is a byte of a file: its 1-based line and 0-based column.
type pos struct{ line, col int }

// codeAt reports, for each of ps (sorted by line, then column), whether
// that byte of content is in code: not in a comment, a string or a
// heredoc. One pass over the file answers them all.
func codeAt(g *grammar, content []byte, ps []pos) []bool {
	res := make([]bool, len(ps))
	if g == nil || len(content) > maxLexBytes || len(ps) == 0 {
		return res
	}
	q := 0 // the next query
	// skipLine answers every query on line n "not code".
	skipLine := func(n int) {
		for q < len(ps) && ps[q].line <= n {
			q++
		}
	}
	state := inCode
	var end string // what closes the block, multi-line string or heredoc
	var quote byte
	pending := "" // a heredoc opened on this line starts on the next
	n := 0
	for text := range strings.Lines(string(content)) {
		if q >= len(ps) {
			break
		}
		n++
		text = strings.TrimRight(text, "\r\n")
		if state == inLineComment || state == inString {
			state = inCode
		}
		if pending != "" {
			state, end, pending = inHeredoc, pending, ""
		}
		if state == inHeredoc {
			if t := strings.TrimSpace(text); t == end || strings.HasPrefix(t, end) && len(t) > len(end) && !isIdent(t[len(end)]) {
				state = inCode
			}
			skipLine(n)
			continue
		}
		for _, b := range g.lineBlocks {
			if state == inCode && strings.HasPrefix(text, b[0]) {
				state, end = inBlock, b[1]
			} else if state == inBlock && end == b[1] && strings.HasPrefix(text, b[1]) {
				state = inCode
				skipLine(n) // the rest of the =end line is a comment too
				text = ""
			}
		}
		for j := 0; j <= len(text); j++ {
			for q < len(ps) && (ps[q].line < n || ps[q].line == n && ps[q].col <= j) {
				res[q] = ps[q].line == n && ps[q].col == j && state == inCode
				q++
			}
			if j == len(text) {
				break
			}
			rest := text[j:]
			switch state {
			case inCode:
				if k, ok := g.open(text, j); ok {
					state, end, quote = k.state, k.end, k.quote
					j += k.skip - 1
				}
			case inBlock:
				if end != "" && strings.HasPrefix(rest, end) && g.isBlockEnd(end) {
					state = inCode
					j += len(end) - 1
				}
			case inString:
				switch text[j] {
				case '\\':
					j++
				case quote:
					state = inCode
				}
			case inMulti:
				if text[j] == '\\' && !g.rawMulti {
					j++
				} else if strings.HasPrefix(rest, end) {
					state = inCode
					j += len(end) - 1
				}
			case inLineComment:
				j = len(text) - 1
			}
			if state == inCode && g.heredoc != nil && strings.HasPrefix(rest, "<<") {
				if m := g.heredoc.FindStringSubmatch(rest); m != nil && m[1] == m[3] {
					pending = m[2]
					j += len(m[0]) - 1
				}
			}
		}
		skipLine(n)
	}
	return res
}

// opening is what a token at a code position opens.
type opening struct {
	state lexState
	end   string
	quote byte
	skip  int // bytes the opening token takes
}

// isBlockEnd reports whether end closes a block comment (not a line block).
func (g *grammar) isBlockEnd(end string) bool {
	for _, b := range g.blocks {
		if b[1] == end {
			return true
		}
	}
	return false
}

// open reports what text[j:] opens when j is in code.
func (g *grammar) open(text string, j int) (opening, bool) {
	rest := text[j:]
	for _, c := range g.lineComments {
		if strings.HasPrefix(rest, c) {
			if g.hashWord && c == "#" && j > 0 && !strings.ContainsRune(" \t;|&(", rune(text[j-1])) {
				continue
			}
			return opening{state: inLineComment, skip: len(c)}, true
		}
	}
	for _, b := range g.blocks {
		if strings.HasPrefix(rest, b[0]) {
			return opening{state: inBlock, end: b[1], skip: len(b[0])}, true
		}
	}
	for _, m := range g.multi {
		if strings.HasPrefix(rest, m[0]) {
			return opening{state: inMulti, end: m[1], skip: len(m[0])}, true
		}
	}
	c := rest[0]
	if c == '\'' && g.charQuote {
		// 'x', '\n', '\u00e9': skip the character literal whole; a
		// lone ' (a Rust lifetime) opens nothing.
		if k := strings.IndexByte(rest[1:min(len(rest), 12)], '\''); k >= 1 && (k == 1 || rest[1] == '\\') {
			return opening{state: inCode, skip: k + 2}, true
		}
		return opening{}, false
	}
	if strings.IndexByte(g.quotes, c) >= 0 {
		return opening{state: inString, quote: c, skip: 1}, true
	}
	return opening{}, false
}
