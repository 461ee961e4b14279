package code

import (
	"context"
	"regexp"
	"slices"
)

// JSX allows a bare '&' in element text and attribute strings (React
// renders it as text: "Terms & Conditions", href="/x?a=1&b=2"), but the
// JavaScript and TSX grammars take every '&' there for the start of a
// character reference and fail when none follows
// (tree-sitter/tree-sitter-javascript#366, tree-sitter-typescript#366).
// Such a file would be scanned only where it parses. When the first parse
// of a JSX grammar meets errors on lines holding a bare '&', those '&' are
// read as spaces (same length: every offset and line stays) and the file
// is parsed again; the second tree is kept when it has fewer errors.

// reCharRef is a complete character reference, as the grammars lex one.
var reCharRef = regexp.MustCompile(`^&(#([xX][0-9a-fA-F]{1,6}|[0-9]{1,5})|[A-Za-z]{1,30});`)

// jsxGrammar reports a grammar whose files may hold JSX.
func jsxGrammar(grammar string) bool { return grammar == "javascript" || grammar == "tsx" }

// parseSource is tsParse, retried for JSX grammars as above; it returns the
// source the tree was built from (src, or src with bare '&' blanked).
func parseSource(ctx context.Context, grammar string, src []byte) (*node, []byte, []int, error) {
	root, errLines, err := tsParse(ctx, grammar, src)
	if err != nil || len(errLines) == 0 || !jsxGrammar(grammar) {
		return root, src, errLines, err
	}
	fixed, ok := blankBareAmpersands(src, errLines)
	if !ok {
		return root, src, errLines, nil
	}
	root2, errLines2, err2 := tsParse(ctx, grammar, fixed)
	if err2 != nil || len(errLines2) >= len(errLines) {
		return root, src, errLines, nil
	}
	return root2, fixed, errLines2, nil
}

// blankBareAmpersands returns a copy of src with each bare '&' on the given
// lines (1-based) replaced by a space: an '&' that is not part of '&&' or
// '&=' and does not open a complete character reference. ok is false when
// there is none.
func blankBareAmpersands(src []byte, lines []int) ([]byte, bool) {
	on := make(map[int]bool, len(lines))
	for _, l := range lines {
		on[l] = true
	}
	var out []byte
	line := 1
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			line++
			continue
		}
		if src[i] != '&' || !on[line] {
			continue
		}
		if (i > 0 && src[i-1] == '&') || (i+1 < len(src) && (src[i+1] == '&' || src[i+1] == '=')) ||
			reCharRef.Match(src[i:min(len(src), i+40)]) {
			continue
		}
		if out == nil {
			out = slices.Clone(src)
		}
		out[i] = ' '
	}
	return out, out != nil
}
