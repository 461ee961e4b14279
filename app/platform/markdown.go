package platform

import "strings"

// This file follows a comment's block structure as CommonMark renders it
// (spec 0.31.2, appendix "A parsing strategy", ported from cmark's
// blocks.c, the parser GitHub's cmark-gfm builds on), far enough to tell the
// lines that are text of a top-level paragraph from those inside fenced or
// indented code, HTML blocks (comments included), block quotes and list
// items. Only the former can hold a command: a command pasted inside a code
// block, or quoted back in a reply, must never run.
//
// GitLab renders notes with a few more block rules (its ">>>" multi-line
// block quote, front matter); mdLines runs a second tracker with those and a
// line counts only when both agree it is top-level text, so a note means the
// same on either host or is not a command.

// tabStop is CommonMark's tab width for indentation.
const tabStop = 4

// maxBlockDepth bounds how many blocks may be open at once (nested quotes
// and lists). Each line is matched against every open block, so the bound
// keeps a hostile comment linear; past it no later line is a command.
const maxBlockDepth = 64

type blockType uint8

const (
	bDocument blockType = iota
	bQuote
	bMultiQuote // GitLab's ">>>" ... ">>>" block quote
	bList
	bItem
	bFence
	bIndented
	bHTML
	bParagraph
	bHeading
	bBreak
)

// block is one open block.
type block struct {
	typ blockType
	// list and item: the marker (bullet char, or '.' / ')' for an ordered
	// list) and the item's content indentation.
	ordered               bool
	marker                byte
	markerOffset, padding int
	hasChild              bool
	// fence and multi-line quote
	fenceChar   byte
	fenceLen    int
	fenceOffset int
	// HTML block type, 1 to 7 (spec 4.6)
	htmlType int
	// paragraph: inline constructs that may span its lines
	inline inlineState
}

// mdTracker is CommonMark's block parser reduced to the block tree's open
// spine; gitlab adds GitLab's block rules.
type mdTracker struct {
	gitlab bool
	stack  []*block // stack[0] is the document
	dead   bool     // the depth bound was hit
	lines  int
	// frontMatter is the delimiter of GitLab front matter still open.
	frontMatter string

	line                       string
	offset, column             int
	firstNonspace, firstNonCol int
	indent                     int
	blank                      bool
}

func newMDTracker(gitlab bool) *mdTracker {
	return &mdTracker{gitlab: gitlab, stack: []*block{{typ: bDocument}}}
}

// mdLines calls yield with every line of body (line endings \n, \r\n or \r,
// as CommonMark has them) and whether it is text of a paragraph at the top
// level of the document on both GitHub and GitLab, outside any inline
// construct an earlier line of the paragraph left open. yield returns false
// to stop.
func mdLines(body string, yield func(line string, topLevel bool) bool) {
	cm, glfm := newMDTracker(false), newMDTracker(true)
	for len(body) > 0 {
		i := strings.IndexAny(body, "\r\n")
		line, rest := body, ""
		if i >= 0 {
			line, rest = body[:i], body[i+1:]
			if body[i] == '\r' && strings.HasPrefix(rest, "\n") {
				rest = rest[1:]
			}
		}
		body = rest
		a := cm.process(line)
		b := glfm.process(line)
		if !yield(line, a && b) {
			return
		}
	}
}

func (p *mdTracker) peek(i int) byte {
	if i < len(p.line) {
		return p.line[i]
	}
	return '\n'
}

func (p *mdTracker) tip() *block { return p.stack[len(p.stack)-1] }

// findFirstNonspace sets firstNonspace, its column, indent and blank from
// the current offset (cmark's S_find_first_nonspace).
func (p *mdTracker) findFirstNonspace() {
	toTab := tabStop - p.column%tabStop
	i, col := p.offset, p.column
	for i < len(p.line) {
		c := p.line[i]
		if c == ' ' {
			i++
			col++
			if toTab--; toTab == 0 {
				toTab = tabStop
			}
		} else if c == '\t' {
			i++
			col += toTab
			toTab = tabStop
		} else {
			break
		}
	}
	p.firstNonspace, p.firstNonCol = i, col
	p.indent = col - p.column
	p.blank = i >= len(p.line)
}

// advance moves the offset by count bytes, or count columns (a tab may be
// consumed in part), as cmark's S_advance_offset.
func (p *mdTracker) advance(count int, columns bool) {
	for count > 0 && p.offset < len(p.line) {
		if p.line[p.offset] == '\t' {
			toTab := tabStop - p.column%tabStop
			if columns {
				n := min(count, toTab)
				p.column += n
				if toTab <= count {
					p.offset++
				}
				count -= n
			} else {
				p.column += toTab
				p.offset++
				count--
			}
			continue
		}
		p.offset++
		p.column++
		count--
	}
}

// process takes the next line and reports whether it is top-level
// paragraph text outside any open inline construct.
func (p *mdTracker) process(line string) bool {
	p.lines++
	if p.dead {
		return false
	}
	if p.gitlab && p.frontMatterLine(line) {
		return false
	}
	p.line, p.offset, p.column = line, 0, 0
	oldTip := p.tip()
	last, all, cont := p.checkOpenBlocks()
	if !cont {
		return false
	}
	container, added := p.openNewBlocks(last, all)
	if p.dead {
		return false
	}
	return p.addText(container, last, all, added, oldTip)
}

// frontMatterLine keeps GitLab front matter (a first line opening with
// ---, +++ or ;;;, up to a line of the same delimiter) out of the document:
// GitLab shows it as a code block. Any such first line counts, closed or
// not, which hides more than GitLab does, never less.
func (p *mdTracker) frontMatterLine(line string) bool {
	t := strings.TrimRight(line, " \t")
	if p.lines == 1 {
		for _, d := range []string{"---", "+++", ";;;"} {
			if strings.HasPrefix(strings.TrimLeft(t, " \t"), d) {
				p.frontMatter = d
				return true
			}
		}
		return false
	}
	if p.frontMatter == "" {
		return false
	}
	if t == p.frontMatter {
		p.frontMatter = ""
	}
	return true
}

// checkOpenBlocks matches the line against each open block's continuation
// (cmark's check_open_blocks). It returns the index of the last block
// matched, whether all matched, and false when the line closed a fence and
// holds nothing more.
func (p *mdTracker) checkOpenBlocks() (last int, all, cont bool) {
	for i := 1; i < len(p.stack); i++ {
		b := p.stack[i]
		p.findFirstNonspace()
		ok := true
		switch b.typ {
		case bQuote:
			ok = p.indent <= 3 && p.peek(p.firstNonspace) == '>'
			if ok {
				p.advance(p.indent+1, true)
				if isSpaceOrTab(p.peek(p.offset)) {
					p.advance(1, true)
				}
			}
		case bMultiQuote, bFence:
			if p.indent <= 3 && p.peek(p.firstNonspace) == b.fenceChar && closingFence(p.line[p.firstNonspace:], b.fenceChar) >= b.fenceLen {
				// The closing fence ends the block (and, for a quote,
				// everything open inside it); the line holds nothing else.
				p.stack = p.stack[:i]
				return i - 1, false, false
			}
			for n := b.fenceOffset; n > 0 && isSpaceOrTab(p.peek(p.offset)); n-- {
				p.advance(1, true)
			}
		case bList:
		case bItem:
			switch {
			case p.indent >= b.markerOffset+b.padding:
				p.advance(b.markerOffset+b.padding, true)
			case p.blank && b.hasChild:
				p.advance(p.firstNonspace-p.offset, false)
			default:
				// An item that began with a blank line ends at the next
				// blank line.
				ok = false
			}
		case bIndented:
			switch {
			case p.indent >= 4:
				p.advance(4, true)
			case p.blank:
				p.advance(p.firstNonspace-p.offset, false)
			default:
				ok = false
			}
		case bHeading, bBreak:
			ok = false
		case bHTML:
			ok = b.htmlType <= 5 || !p.blank
		case bParagraph:
			ok = !p.blank
		}
		if !ok {
			return i - 1, false, true
		}
	}
	return len(p.stack) - 1, true, true
}

// canContain is cmark's can_contain.
func canContain(parent, child blockType) bool {
	switch parent {
	case bDocument, bQuote, bMultiQuote, bItem:
		return child != bItem
	case bList:
		return child == bItem
	}
	return false
}

// acceptsLines is cmark's accepts_lines, plus the two leaf blocks whose
// lines are checked in addText.
func acceptsLines(t blockType) bool {
	return t == bParagraph || t == bHeading || t == bFence || t == bIndented
}

// add opens a block of type t as a child of stack[parent], closing blocks
// that cannot hold it (and every block below parent, which the line did not
// match), and returns its index.
func (p *mdTracker) add(parent int, b *block) int {
	for !canContain(p.stack[parent].typ, b.typ) {
		parent--
	}
	if parent+2 > maxBlockDepth {
		p.dead = true
		return parent
	}
	if p.stack[parent].typ == bItem {
		p.stack[parent].hasChild = true
	}
	p.stack = append(p.stack[:parent+1], b)
	return parent + 1
}

// openNewBlocks looks for block starts on the rest of the line (cmark's
// open_new_blocks) and returns the container the line's text goes to and
// whether any block was opened.
func (p *mdTracker) openNewBlocks(ci int, allMatched bool) (int, bool) {
	maybeLazy := p.tip().typ == bParagraph
	added := false
	ct := p.stack[ci].typ
	for ct != bFence && ct != bIndented && ct != bHTML {
		p.findFirstNonspace()
		indented := p.indent >= 4
		rest := p.line[p.firstNonspace:]
		c := p.peek(p.firstNonspace)
		// Each start is tried in cmark's order; the first that fits wins.
		fence := openingFence(rest)
		ht := htmlBlockStart(rest)
		if ht == 0 && ct != bParagraph && !maybeLazy && htmlBlockStart7(rest) {
			ht = 7 // an HTML block of type 7 cannot interrupt a paragraph
		}
		switch {
		case !indented && c == '>' && p.gitlab && multiQuoteFence(rest) > 0:
			b := &block{typ: bMultiQuote, fenceChar: '>', fenceLen: multiQuoteFence(rest), fenceOffset: p.firstNonspace - p.offset}
			ci = p.add(ci, b)
			p.advance(len(p.line)-p.offset, false)
		case !indented && c == '>':
			p.advance(p.firstNonspace+1-p.offset, false)
			if isSpaceOrTab(p.peek(p.offset)) {
				p.advance(1, true)
			}
			ci = p.add(ci, &block{typ: bQuote})
		case !indented && atxHeading(rest) > 0:
			p.advance(p.firstNonspace+atxHeading(rest)-p.offset, false)
			ci = p.add(ci, &block{typ: bHeading})
		case !indented && fence > 0:
			ci = p.add(ci, &block{typ: bFence, fenceChar: c, fenceLen: fence, fenceOffset: p.firstNonspace - p.offset})
			p.advance(p.firstNonspace+fence-p.offset, false)
		case !indented && ht > 0:
			ci = p.add(ci, &block{typ: bHTML, htmlType: ht})
		case !indented && ct == bParagraph && setextUnderline(rest):
			p.stack[ci].typ = bHeading
			p.advance(len(p.line)-p.offset, false)
		case !indented && !(ct == bParagraph && !allMatched) && thematicBreak(rest):
			ci = p.add(ci, &block{typ: bBreak})
			p.advance(len(p.line)-p.offset, false)
		case (!indented || ct == bList) && p.indent < 4 && listMarker(rest, ct == bParagraph) > 0:
			ci = p.openItem(ci, listMarker(rest, ct == bParagraph))
		case indented && !maybeLazy && !p.blank:
			p.advance(4, true)
			ci = p.add(ci, &block{typ: bIndented})
		default:
			return ci, added
		}
		added = true
		if p.dead || acceptsLines(p.stack[ci].typ) {
			break
		}
		ct = p.stack[ci].typ
		maybeLazy = false
	}
	return ci, added
}

// openItem opens a list item whose marker (n bytes) starts at
// firstNonspace, and the list around it unless the container is a list of
// the same kind.
func (p *mdTracker) openItem(ci, n int) int {
	marker := p.line[p.firstNonspace+n-1]
	item := &block{typ: bItem, ordered: marker == '.' || marker == ')', marker: marker, markerOffset: p.indent}
	p.advance(p.firstNonspace+n-p.offset, false)
	saveOffset, saveColumn := p.offset, p.column
	for p.column-saveColumn <= 5 && isSpaceOrTab(p.peek(p.offset)) {
		p.advance(1, true)
	}
	i := p.column - saveColumn
	if i >= 5 || i < 1 || p.offset >= len(p.line) {
		item.padding = n + 1
		p.offset, p.column = saveOffset, saveColumn
		if i > 0 {
			p.advance(1, true)
		}
	} else {
		item.padding = n + i
	}
	if c := p.stack[ci]; c.typ != bList || c.ordered != item.ordered || c.marker != item.marker {
		ci = p.add(ci, &block{typ: bList, ordered: item.ordered, marker: item.marker})
		if p.dead {
			return ci
		}
	}
	return p.add(ci, item)
}

// addText files the rest of the line (cmark's add_text_to_container) and
// reports whether it is top-level paragraph text.
func (p *mdTracker) addText(ci, last int, allMatched, added bool, oldTip *block) bool {
	p.findFirstNonspace()
	if !allMatched && !added && !p.blank && oldTip.typ == bParagraph {
		// A lazy continuation line: text of a paragraph inside a quote
		// or list item, whatever it looks like.
		return false
	}
	if !added {
		p.stack = p.stack[:last+1]
	}
	c := p.stack[ci]
	text := p.line[p.firstNonspace:]
	switch {
	case c.typ == bFence || c.typ == bIndented:
		return false
	case c.typ == bHTML:
		if htmlBlockEnds(c.htmlType, text) {
			p.stack = p.stack[:ci]
		}
		return false
	case p.blank:
		return false
	case c.typ == bParagraph:
		top := ci == 1 && !c.inline.open()
		c.inline.add(text)
		return top
	case c.typ == bHeading:
		return false
	}
	ci = p.add(ci, &block{typ: bParagraph})
	if p.dead {
		return false
	}
	para := p.stack[ci]
	// A paragraph opening with "[" may be link reference definitions,
	// whose titles span lines and are never shown.
	para.inline.refDef = strings.HasPrefix(text, "[")
	para.inline.add(text)
	return ci == 1
}

func isSpaceOrTab(c byte) bool { return c == ' ' || c == '\t' }

// isSpacechar is cmark's spacechar; the end of the line counts (cmark's
// lines end in '\n').
func isSpacechar(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return '\n'
}

// run is the length of the run of c at the start of s.
func run(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// onlySpaceOrTab reports whether s holds nothing but spaces and tabs.
func onlySpaceOrTab(s string) bool { return strings.Trim(s, " \t") == "" }

// openingFence is the length of the code fence s opens with: 3 or more
// backticks (and no backtick in the info string) or tildes; 0 when none.
func openingFence(s string) int {
	c := at(s, 0)
	if c != '`' && c != '~' {
		return 0
	}
	n := run(s, c)
	if n < 3 || (c == '`' && strings.IndexByte(s[n:], '`') >= 0) {
		return 0
	}
	return n
}

// closingFence is the length of the run of c that makes s a closing fence
// (only spaces and tabs after it), 0 when s is none.
func closingFence(s string, c byte) int {
	n := run(s, c)
	if n < 3 || !onlySpaceOrTab(s[n:]) {
		return 0
	}
	return n
}

// multiQuoteFence is the length of GitLab's multi-line block quote fence
// (">>>" or longer, alone on its line) s is, 0 when none.
func multiQuoteFence(s string) int { return closingFence(s, '>') }

// atxHeading is the length of an ATX heading's opening #s, 0 when s does
// not open one.
func atxHeading(s string) int {
	n := run(s, '#')
	if n < 1 || n > 6 {
		return 0
	}
	if c := at(s, n); c == ' ' || c == '\t' || c == '\n' {
		return n
	}
	return 0
}

func setextUnderline(s string) bool {
	for _, c := range []byte{'=', '-'} {
		if n := run(s, c); n > 0 && onlySpaceOrTab(s[n:]) {
			return true
		}
	}
	return false
}

func thematicBreak(s string) bool {
	c := at(s, 0)
	if c != '*' && c != '_' && c != '-' {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// listMarker is the length of the list marker s starts with (a bullet, or
// up to 9 digits and "." or ")"), 0 when none. A marker that would
// interrupt a paragraph needs content after it, and an ordered one must
// start at 1.
func listMarker(s string, interruptsParagraph bool) int {
	c := at(s, 0)
	n := 0
	switch {
	case c == '*' || c == '-' || c == '+':
		n = 1
	case c >= '0' && c <= '9':
		d := 0
		for d < 9 && at(s, d) >= '0' && at(s, d) <= '9' {
			d++
		}
		if interruptsParagraph && strings.TrimLeft(s[:d], "0") != "1" {
			return 0
		}
		if c := at(s, d); c != '.' && c != ')' {
			return 0
		}
		n = d + 1
	default:
		return 0
	}
	if !isSpacechar(at(s, n)) {
		return 0
	}
	if interruptsParagraph && onlySpaceOrTab(s[n:]) {
		return 0
	}
	return n
}

// blockTags are the tag names that start an HTML block of type 6.
var blockTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields("address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param section search title summary table tbody td tfoot th thead tr track ul") {
		blockTags[t] = true
	}
}

// htmlBlockStart is the type (1-6) of the HTML block s starts, 0 when none.
func htmlBlockStart(s string) int {
	if at(s, 0) != '<' {
		return 0
	}
	r := s[1:]
	for _, tag := range []string{"script", "pre", "textarea", "style"} {
		if len(r) >= len(tag) && strings.EqualFold(r[:len(tag)], tag) {
			if c := at(r, len(tag)); isSpacechar(c) || c == '>' {
				return 1
			}
		}
	}
	switch {
	case strings.HasPrefix(r, "!--"):
		return 2
	case strings.HasPrefix(r, "?"):
		return 3
	case len(r) >= 2 && r[0] == '!' && isLetter(r[1]):
		return 4
	case strings.HasPrefix(r, "![CDATA["):
		return 5
	}
	r = strings.TrimPrefix(r, "/")
	n := 0
	for n < len(r) && (isLetter(r[n]) || isDigit(r[n])) {
		n++
	}
	if n == 0 || !blockTags[strings.ToLower(r[:n])] {
		return 0
	}
	if c := at(r, n); isSpacechar(c) || c == '>' || (c == '/' && at(r, n+1) == '>') {
		return 6
	}
	return 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// htmlBlockStart7 reports whether s is one whole open or closing tag and
// nothing else (an HTML block of type 7).
func htmlBlockStart7(s string) bool {
	if at(s, 0) != '<' {
		return false
	}
	i := 1
	closing := at(s, i) == '/'
	if closing {
		i++
	}
	tagName := func() bool {
		if !isLetter(at(s, i)) {
			return false
		}
		for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '-') {
			i++
		}
		return true
	}
	spaces := func() int {
		j := i
		for i < len(s) && isSpacechar(s[i]) {
			i++
		}
		return i - j
	}
	if !tagName() {
		return false
	}
	if !closing {
		for {
			save := i
			if spaces() == 0 || !(isLetter(at(s, i)) || at(s, i) == '_' || at(s, i) == ':') {
				i = save
				break
			}
			for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || strings.IndexByte(":._-", s[i]) >= 0) {
				i++
			}
			save = i
			spaces()
			if at(s, i) != '=' {
				i = save
				continue
			}
			i++
			spaces()
			switch q := at(s, i); q {
			case '"', '\'':
				end := strings.IndexByte(s[i+1:], q)
				if end < 0 {
					return false
				}
				i += end + 2
			default:
				j := i
				for i < len(s) && !isSpacechar(s[i]) && strings.IndexByte("\"'=<>`", s[i]) < 0 {
					i++
				}
				if i == j {
					return false
				}
			}
		}
	}
	spaces()
	if !closing && at(s, i) == '/' {
		i++
	}
	if at(s, i) != '>' {
		return false
	}
	return strings.Trim(s[i+1:], " \t\f") == ""
}

// htmlBlockEnds reports whether line ends an HTML block of type t (types 6
// and 7 end at a blank line instead).
func htmlBlockEnds(t int, line string) bool {
	switch t {
	case 1:
		l := strings.ToLower(line)
		return strings.Contains(l, "</script>") || strings.Contains(l, "</pre>") ||
			strings.Contains(l, "</textarea>") || strings.Contains(l, "</style>")
	case 2:
		return strings.Contains(line, "-->")
	case 3:
		return strings.Contains(line, "?>")
	case 4:
		return strings.Contains(line, ">")
	case 5:
		return strings.Contains(line, "]]>")
	}
	return false
}

// inlineState tracks, over a paragraph's lines, the inline constructs that
// can span lines and hide or quote what they hold: code spans, HTML
// comments and tags, link destinations and titles, GitLab's $$ math, and
// link reference definitions. It over-approximates: a line after anything
// that may still be open is never a command.
type inlineState struct {
	refDef  bool
	comment bool
	tag     bool
	parens  int
	math    bool
	// ticks are the lengths of the backtick runs so far, in order; escaped
	// is set by a backslash before a run, which this does not model.
	ticks      []int
	escaped    bool
	ticksOpen  bool
	ticksStale bool
}

// maxTickRuns bounds the backtick runs a paragraph is followed through;
// past it the paragraph counts as open.
const maxTickRuns = 1000

func (s *inlineState) open() bool {
	if s.refDef || s.comment || s.tag || s.parens > 0 || s.math || s.escaped || len(s.ticks) > maxTickRuns {
		return true
	}
	if s.ticksStale {
		s.ticksOpen, s.ticksStale = codeSpanOpen(s.ticks), false
	}
	return s.ticksOpen
}

// codeSpanOpen pairs backtick runs as CommonMark does (a run opens a code
// span that the next run of the same length closes; a run with none after
// it is literal) and reports whether a run was left unpaired: text after it
// may yet be code, if a run of that length follows.
func codeSpanOpen(ticks []int) bool {
	next := make([]int, len(ticks))
	last := map[int]int{}
	for i := len(ticks) - 1; i >= 0; i-- {
		next[i] = -1
		if j, ok := last[ticks[i]]; ok {
			next[i] = j
		}
		last[ticks[i]] = i
	}
	for i := 0; i < len(ticks); {
		if next[i] < 0 {
			return true
		}
		i = next[i] + 1
	}
	return false
}

func (s *inlineState) add(text string) {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case s.comment:
			if strings.HasPrefix(text[i:], "-->") {
				s.comment = false
				i += 2
			}
		case strings.HasPrefix(text[i:], "<!--"):
			s.comment, s.tag = true, false
			i += 3
		case c == '<' && i+1 < len(text) && (isLetter(text[i+1]) || strings.IndexByte("/!?", text[i+1]) >= 0):
			s.tag = true
		case c == '>':
			s.tag = false
		case c == ']' && strings.HasPrefix(text[i:], "]("):
			s.parens++
			i++
		case c == '(' && s.parens > 0:
			s.parens++
		case c == ')' && s.parens > 0:
			s.parens--
		case c == '$' && strings.HasPrefix(text[i:], "$$"):
			s.math = !s.math
			i++
		case c == '`':
			n := run(text[i:], '`')
			if i > 0 && text[i-1] == '\\' {
				s.escaped = true
			}
			if len(s.ticks) <= maxTickRuns {
				s.ticks = append(s.ticks, n)
			}
			s.ticksStale = true
			i += n - 1
		}
	}
}
