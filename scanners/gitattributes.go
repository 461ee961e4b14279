package scanners

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// GitAttributes holds what a repository's .gitattributes files say of the
// linguist-vendored and linguist-generated attributes, the markers GitHub
// Linguist reads to leave files out of language statistics and collapse
// them in diffs (https://github.com/github-linguist/linguist/blob/main/docs/overrides.md).
// Other attributes are ignored. The zero value (and nil) holds no rules.
//
// Patterns follow gitattributes(5): gitignore's rules, except that negative
// patterns are forbidden and a pattern naming a directory ("vendor/") does
// not match the files inside it ("vendor/**" does). A later line overrides
// an earlier one; a file in a deeper directory overrides one above it.
type GitAttributes struct {
	rules []attrRule
	seq   int
	steps int // the steps of all rules' patterns
}

// AttrState is what the lines matching a path set an attribute to.
type AttrState int8

// Attribute states (gitattributes(5) "Set", "Unset", "Unspecified"). For
// the linguist attributes a value other than "false" counts as set, as
// Linguist reads it.
const (
	AttrUnspecified AttrState = iota
	AttrSet
	AttrUnset
)

// Bounds of what Parse reads: a repository controls its .gitattributes, so
// a hostile one must cost a known amount. Real files are a few kilobytes
// with a handful of linguist lines.
const (
	// MaxGitAttributesBytes is the most of one file Parse reads.
	MaxGitAttributesBytes = 256 << 10
	// MaxGitAttributesRules is the most linguist lines a GitAttributes
	// keeps, over all its files: each path is matched against every one.
	MaxGitAttributesRules = 256
	// MaxGitAttributesSteps bounds the matching steps of all the rules of
	// a GitAttributes together (about one per byte of pattern): a path is
	// matched against every rule in at most steps times its length. Real
	// files use a few hundred.
	MaxGitAttributesSteps = 2048
	// maxPatternBytes bounds one pattern; a longer one is skipped.
	maxPatternBytes = 256
)

// attrRule is one line that sets a linguist attribute.
type attrRule struct {
	dir       string // the directory of its .gitattributes, "" at the root
	depth     int
	seq       int
	pat       pattern
	base      bool // match the base name only (a pattern without a slash)
	vendored  attrOp
	generated attrOp
}

// attrOp is what one line does to an attribute: nothing, or set it to a
// state (AttrUnspecified for "!attr").
type attrOp struct {
	set   bool
	state AttrState
}

// Parse reads one .gitattributes file found in dir (a repository-relative
// directory, "" at the root) and adds its linguist lines; it may be called
// for several files, in any order. Lines git ignores (a negative pattern, a
// directory pattern, a macro definition) are skipped, and so are those it
// cannot read (an unterminated quote, a class of non-ASCII bytes, a
// pattern over 256 bytes): their files are then judged without them. The
// error, wrapping ErrBound, says the file or the rules were over a bound:
// the lines within it are still kept.
func (a *GitAttributes) Parse(dir string, data []byte) error {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	var bound error
	if len(data) > MaxGitAttributesBytes {
		data = data[:MaxGitAttributesBytes]
		if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
			data = data[:i]
		}
		bound = TooLarge(MaxGitAttributesBytes)
	}
	depth := 0
	if dir != "" {
		depth = strings.Count(dir, "/") + 1
	}
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		r, ok := parseAttrLine(strings.TrimRight(string(line), "\r"))
		if !ok {
			continue
		}
		if len(a.rules) >= MaxGitAttributesRules {
			bound = &BoundError{What: "linguist lines in .gitattributes", Limit: MaxGitAttributesRules}
			break
		}
		if a.steps+len(r.pat) > MaxGitAttributesSteps {
			bound = &BoundError{What: "pattern steps of linguist lines in .gitattributes", Limit: MaxGitAttributesSteps}
			break
		}
		a.steps += len(r.pat)
		a.seq++
		r.dir, r.depth, r.seq = dir, depth, a.seq
		a.rules = append(a.rules, r)
	}
	// Precedence is depth, then order: sorted once, so Lookup applies the
	// matching lines in order and the last one wins.
	slices.SortStableFunc(a.rules, func(x, y attrRule) int {
		if x.depth != y.depth {
			return x.depth - y.depth
		}
		return x.seq - y.seq
	})
	return bound
}

// parseAttrLine reads one line: a pattern, then attributes. It keeps the
// line only if it names a linguist attribute and its pattern can match a
// file.
func parseAttrLine(line string) (attrRule, bool) {
	var r attrRule
	t := strings.TrimLeft(line, " \t")
	if t == "" || t[0] == '#' || strings.HasPrefix(t, "[attr]") {
		return r, false
	}
	var pat, rest string
	if t[0] == '"' {
		// A C-style quoted pattern (gitattributes(5)).
		end := 1
		for end < len(t) && t[end] != '"' {
			if t[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(t) {
			return r, false
		}
		p, err := strconv.Unquote(t[:end+1])
		if err != nil {
			return r, false
		}
		pat, rest = p, t[end+1:]
	} else {
		i := strings.IndexAny(t, " \t")
		if i < 0 {
			return r, false // a pattern with no attributes
		}
		pat, rest = t[:i], t[i:]
	}
	for _, f := range strings.Fields(rest) {
		name, op := f, attrOp{set: true, state: AttrSet}
		switch {
		case strings.HasPrefix(f, "-"):
			name, op.state = f[1:], AttrUnset
		case strings.HasPrefix(f, "!"):
			name, op.state = f[1:], AttrUnspecified
		default:
			if n, v, ok := strings.Cut(f, "="); ok {
				name = n
				if v == "false" {
					op.state = AttrUnset
				}
			}
		}
		switch name {
		case "linguist-vendored":
			r.vendored = op
		case "linguist-generated":
			r.generated = op
		}
	}
	if !r.vendored.set && !r.generated.set {
		return r, false
	}
	pt, base, ok := compileAttrPattern(pat)
	if !ok {
		return r, false
	}
	r.pat, r.base = pt, base
	return r, true
}

// compileAttrPattern turns a gitignore-style pattern into the steps of a
// matcher whose cost is linear in the path (whatever the pattern: no
// backtracking), and says whether it matches base names. A pattern that
// can only match a directory, a negative one or an overlong one is
// refused.
func compileAttrPattern(pat string) (pattern, bool, bool) {
	if pat == "" || len(pat) > maxPatternBytes || pat[0] == '!' || strings.HasSuffix(pat, "/") {
		return nil, false, false
	}
	base := !strings.Contains(pat, "/")
	pat = strings.TrimPrefix(pat, "/")
	var out pattern
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch c {
		case '*':
			j := i
			for j < len(pat) && pat[j] == '*' {
				j++
			}
			leading := i == 0 || pat[i-1] == '/'
			switch {
			case j-i >= 2 && leading && j == len(pat):
				// "dir/**": everything inside; a lone "**": everything.
				out = append(out, step{kind: stepAnything})
			case j-i >= 2 && leading && pat[j] == '/':
				// "**/" at the start or "/**/": zero or more directories.
				out = append(out, step{kind: stepOptional}, step{kind: stepAnything}, step{kind: stepByte, b: '/'})
				j++
			default:
				// "*", and other runs of asterisks, are one "*".
				out = append(out, step{kind: stepStar})
			}
			i = j - 1
		case '?':
			out = append(out, step{kind: stepClass, class: anyButSlash()})
		case '[':
			end, class, ok := bracket(pat, i)
			if !ok {
				out = append(out, step{kind: stepByte, b: '['})
				continue
			}
			out = append(out, step{kind: stepClass, class: class})
			i = end
		case '\\':
			if i+1 < len(pat) {
				i++
			}
			out = append(out, step{kind: stepByte, b: pat[i]})
		default:
			out = append(out, step{kind: stepByte, b: c})
		}
	}
	return out, base, true
}

// pattern is a compiled gitattributes pattern: steps matched in order.
type pattern []step

// step is one element of a pattern.
type step struct {
	kind  stepKind
	b     byte       // stepByte
	class *[256]bool // stepClass: the bytes it matches (never '/')
}

type stepKind uint8

const (
	stepByte     stepKind = iota // one given byte
	stepClass                    // one byte of a class ("?", "[a-z]")
	stepStar                     // any run of bytes but '/' ("*")
	stepAnything                 // any run of bytes ("**")
	// stepOptional reads nothing: the two steps after it ("**" and "/" of
	// a "**/") may be skipped, as "**/" also matches no directory.
	stepOptional
)

func anyButSlash() *[256]bool {
	var set [256]bool
	for i := range set {
		set[i] = i != '/'
	}
	return &set
}

// match runs the pattern over s as a set of states, one per step (an
// NFA): at most len(p)+1 states per byte of s, never backtracking.
func (p pattern) match(s string) bool {
	n := len(p)
	cur := make([]bool, n+1)
	next := make([]bool, n+1)
	stack := make([]int, 0, 2*n+2)
	// closure adds to set state i and those reachable from it without
	// reading a byte: past a "*" or "**" (which may match nothing), and
	// past a whole "**/".
	closure := func(set []bool, i int) {
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if j > n || set[j] {
				continue
			}
			set[j] = true
			if j == n {
				continue
			}
			switch p[j].kind {
			case stepStar, stepAnything:
				stack = append(stack, j+1)
			case stepOptional:
				stack = append(stack, j+1, j+3)
			}
		}
	}
	closure(cur, 0)
	for k := 0; k < len(s); k++ {
		c := s[k]
		clear(next)
		alive := false
		for i, on := range cur[:n] {
			if !on {
				continue
			}
			st := &p[i]
			switch {
			case st.kind == stepByte && c == st.b,
				st.kind == stepClass && st.class[c]:
				closure(next, i+1)
			case st.kind == stepStar && c != '/',
				st.kind == stepAnything:
				closure(next, i)
			default:
				continue
			}
			alive = true
		}
		if !alive {
			return false
		}
		cur, next = next, cur
	}
	return cur[n]
}

// posixClass are the character classes wildmatch knows ("[[:alpha:]]").
var posixClass = map[string]func(byte) bool{
	"alnum":  func(c byte) bool { return isAlpha(c) || isDigit(c) },
	"alpha":  isAlpha,
	"blank":  func(c byte) bool { return c == ' ' || c == '\t' },
	"cntrl":  func(c byte) bool { return c < 0x20 || c == 0x7f },
	"digit":  isDigit,
	"graph":  func(c byte) bool { return c > 0x20 && c < 0x7f },
	"lower":  func(c byte) bool { return c >= 'a' && c <= 'z' },
	"print":  func(c byte) bool { return c >= 0x20 && c < 0x7f },
	"punct":  func(c byte) bool { return c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c) },
	"space":  func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' },
	"upper":  func(c byte) bool { return c >= 'A' && c <= 'Z' },
	"xdigit": func(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' },
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// bracket reads a "[...]" class starting at pat[i] and returns the index
// of its closing bracket and the bytes the class matches, never '/' (git
// matches a path's segments). Classes of ASCII characters,
// ranges and POSIX classes ("[:alpha:]") are read; one with other bytes, an
// unknown class or no member is refused, and its line skipped.
func bracket(pat string, i int) (int, *[256]bool, bool) {
	j := i + 1
	neg := false
	if j < len(pat) && (pat[j] == '!' || pat[j] == '^') {
		neg = true
		j++
	}
	var set [128]bool
	first := true
	for ; j < len(pat) && (pat[j] != ']' || first); j++ {
		first = false
		c := pat[j]
		if c == '\\' && j+1 < len(pat) {
			j++
			c = pat[j]
		} else if c == '[' && j+1 < len(pat) && pat[j+1] == ':' {
			end := strings.Index(pat[j+2:], ":]")
			if end < 0 {
				return 0, nil, false
			}
			name := pat[j+2 : j+2+end]
			in, ok := posixClass[name]
			if !ok {
				return 0, nil, false
			}
			for x := range set {
				if in(byte(x)) {
					set[x] = true
				}
			}
			j += 2 + end + 1
			continue
		}
		if c >= 128 {
			return 0, nil, false
		}
		hi := c
		if j+2 < len(pat) && pat[j+1] == '-' && pat[j+2] != ']' {
			hi = pat[j+2]
			j += 2
			if hi == '\\' && j+1 < len(pat) {
				j++
				hi = pat[j]
			}
			if hi >= 128 || hi < c {
				return 0, nil, false
			}
		}
		for x := c; ; x++ {
			set[x] = true
			if x == hi {
				break
			}
		}
	}
	if j >= len(pat) {
		return 0, nil, false
	}
	var class [256]bool
	for x := range class {
		in := x < 128 && set[x]
		class[x] = in != neg && x != '/'
	}
	if class == [256]bool{} {
		return 0, nil, false
	}
	return j, &class, true
}

// Lookup returns what the lines matching p (a repository-relative path)
// set linguist-vendored and linguist-generated to.
func (a *GitAttributes) Lookup(p string) (vendored, generated AttrState) {
	if a == nil {
		return AttrUnspecified, AttrUnspecified
	}
	p = strings.TrimPrefix(p, "/")
	for i := range a.rules {
		r := &a.rules[i]
		rel := p
		if r.dir != "" {
			var ok bool
			if rel, ok = strings.CutPrefix(p, r.dir+"/"); !ok {
				continue
			}
		}
		if r.base {
			rel = path.Base(rel)
		}
		if !r.pat.match(rel) {
			continue
		}
		if r.vendored.set {
			vendored = r.vendored.state
		}
		if r.generated.set {
			generated = r.generated.state
		}
	}
	return vendored, generated
}

// Generated is the package function Generated with the repository's
// .gitattributes applied first, as Linguist applies them: a path marked
// linguist-vendored or linguist-generated is skipped whatever it holds;
// one marked linguist-vendored=false is not judged vendored by its path,
// and one marked linguist-generated=false not judged minified or
// generated by its content. a may be nil.
func (a *GitAttributes) Generated(p string, content []byte) (reason string, ok bool) {
	vendored, generated := a.Lookup(p)
	switch {
	case vendored == AttrSet:
		return KindVendored + ": linguist-vendored in .gitattributes", true
	case generated == AttrSet:
		return KindGenerated + ": linguist-generated in .gitattributes", true
	}
	if vendored != AttrUnset {
		if r, ok := vendoredPath(p); ok {
			return r, true
		}
	}
	if generated != AttrUnset {
		if r, ok := minified(p, content); ok {
			return r, true
		}
		return generatedCode(p, content)
	}
	return "", false
}

// String reads "set", "unset" or "unspecified".
func (s AttrState) String() string {
	switch s {
	case AttrSet:
		return "set"
	case AttrUnset:
		return "unset"
	case AttrUnspecified:
		return "unspecified"
	}
	return fmt.Sprintf("AttrState(%d)", int(s))
}
