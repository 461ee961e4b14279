package suppress

import (
	"strings"
	"unicode"
)

// Directive is the word that starts an inline suppression.
const Directive = "shiftward:ignore"

// Inline is one `shiftward:ignore <rule-id> <reason>` comment.
type Inline struct {
	Path   string
	Line   int
	RuleID string
	// Reason is empty when the comment gives none; such a comment does not
	// suppress anything (Apply reports it).
	Reason string
}

// commentMarkers open a comment in the languages shiftward reviews: C-like
// and Go (//, /* */), shell, Python, YAML, TOML, Ruby (#), SQL, Lua, Haskell
// (--), HTML, XML, Markdown (<!-- -->), INI, Lisp, assembly (;).
var commentMarkers = []string{"//", "#", "--", "/*", "<!--", ";"}

// ParseInline reads an inline suppression from one line of source. ok is
// false when the line holds none: the directive must directly follow a
// comment marker (spaces between are fine), or a `*` that continues a block
// comment, so the word inside a string or prose does not count.
func ParseInline(line string) (c Inline, ok bool) {
	i := strings.Index(line, Directive)
	if i < 0 {
		return Inline{}, false
	}
	before := strings.TrimRightFunc(line[:i], unicode.IsSpace)
	if !opensComment(before) {
		return Inline{}, false
	}
	after := line[i+len(Directive):]
	if after != "" && !unicode.IsSpace(rune(after[0])) {
		return Inline{}, false // "shiftward:ignored", "shiftward:ignore-next"
	}
	after = strings.TrimSpace(after)
	for _, end := range []string{"*/", "-->"} {
		after = strings.TrimSpace(strings.TrimSuffix(after, end))
	}
	rule, reason := after, ""
	if j := strings.IndexFunc(after, unicode.IsSpace); j >= 0 {
		rule, reason = after[:j], after[j:]
	}
	return Inline{RuleID: rule, Reason: strings.TrimSpace(reason)}, true
}

func opensComment(before string) bool {
	for _, m := range commentMarkers {
		if strings.HasSuffix(before, m) {
			return true
		}
	}
	// " * shiftward:ignore ..." inside a /* ... */ or /** ... */ block.
	if strings.HasSuffix(before, "*") {
		t := strings.TrimSpace(before)
		return t == "*" || strings.Contains(before, "/*")
	}
	return false
}
