package iac

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/shiftward/shiftward/scanners"
)

// maxTerraformBytes bounds the Terraform files the scanner parses, below
// scanners.MaxParseBytes: hclsyntax allocates about 600 bytes per byte of
// source (its tokens carry whole ranges), so a 1 MiB file of brackets took
// 5 s and 460 MiB to parse on a 2-core machine, and a scan of 512 KiB of
// tuples nested 500 deep (depth check, parse, rules) 2 s and 500 MiB.
// Real Terraform files are tens of kilobytes.
const maxTerraformBytes = 256 << 10

// hclDepth checks src against maxTerraformBytes and scanners.MaxDepth
// before hclsyntax parses it: its parser recurses once (a dozen frames) per
// level of nesting, and 100000 brackets overflow the goroutine stack, which
// kills the process. Expressions it parses in a loop still come out nested
// (a+b+c is ((a+b)+c)), and evaluating or walking them recurses as deep.
// The count is made on HCL's own tokens (LexConfig is an iterative state
// machine), so brackets in strings, comments and heredocs are not counted
// and template sequences in strings are.
//
// Each of these counts one level: an opening bracket, brace or parenthesis,
// a string or heredoc template and each ${ or %{ sequence in it, an %{ if }
// or %{ for } directive until its end; and, until the expression ends (a
// comma, the closing bracket, or a newline where newlines end expressions:
// at the top level and in braces), every operator, conditional ?, dot and
// index. The last are counted generously: a real expression has a few
// dozen at most, far below MaxDepth.
func hclDepth(src []byte) error {
	if len(src) > maxTerraformBytes {
		return scanners.TooLarge(maxTerraformBytes)
	}
	toks, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	type frame struct {
		open    hclsyntax.TokenType
		pending int // operators and the like since the expression began
	}
	frames := []frame{{open: hclsyntax.TokenOBrace}}
	depth, pending, directives := 0, 0, 0
	prev := hclsyntax.TokenNewline
	endExpr := func() {
		top := &frames[len(frames)-1]
		pending -= top.pending
		top.pending = 0
	}
	for i, t := range toks {
		top := &frames[len(frames)-1]
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if t.Type == hclsyntax.TokenOBrack && endsOperand(prev) {
				top.pending++ // an index: a[b][c] nests like a traversal
				pending++
			}
			depth++
			frames = append(frames, frame{open: t.Type})
			if t.Type == hclsyntax.TokenTemplateControl && i+1 < len(toks) && toks[i+1].Type == hclsyntax.TokenIdent {
				switch string(toks[i+1].Bytes) {
				case "if", "for":
					directives++
				case "endif", "endfor":
					directives = max(directives-1, 0)
				}
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			if len(frames) > 1 {
				endExpr()
				frames = frames[:len(frames)-1]
				depth--
			}
		case hclsyntax.TokenComma:
			endExpr()
		case hclsyntax.TokenNewline, hclsyntax.TokenComment:
			// A # or // comment takes the newline that ends its line.
			nl := t.Type == hclsyntax.TokenNewline || (len(t.Bytes) > 0 && t.Bytes[len(t.Bytes)-1] == '\n')
			if nl && top.open == hclsyntax.TokenOBrace {
				endExpr()
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenStar, hclsyntax.TokenSlash,
			hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
			hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan,
			hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang,
			hclsyntax.TokenQuestion, hclsyntax.TokenDot:
			top.pending++
			pending++
		}
		if depth+pending+directives > scanners.MaxDepth {
			return scanners.TooDeep(scanners.MaxDepth)
		}
		if t.Type != hclsyntax.TokenComment {
			prev = t.Type
		}
	}
	return nil
}

// endsOperand reports whether a token can end an operand, so that a [
// after it is an index rather than a tuple.
func endsOperand(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCQuote,
		hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
		hclsyntax.TokenCHeredoc, hclsyntax.TokenStar:
		return true
	}
	return false
}
