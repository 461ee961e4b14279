// Package nest checks how deep a data file nests before a scanner parses or
// walks it, so that a small hostile file (tens of thousands of brackets, an
// alias bomb) is reported as not scanned instead of exhausting the goroutine
// stack (which Go cannot recover from: the whole process dies) or the CPU.
//
// What the libraries bound themselves, measured with Go 1.26 on the
// development machine (2 cores):
//
//   - gopkg.in/yaml.v3 refuses more than 10000 flow levels and 10000
//     indentation levels ("exceeded max depth of 10000"); its recursive
//     composer then reaches at most 20000 levels: 4 MiB of stack and 35 ms
//     for a file nested that deep. Safe, but far past scanners.MaxDepth,
//     so DecodeYAML measures the tree it returns (with aliases expanded)
//     before any scanner walks it.
//   - encoding/json stops at 10000 levels (2 MiB of stack, 4 ms when
//     unmarshalling into any); encoding/xml's Unmarshal at 10000 (16 MiB of
//     stack, 27 ms). Decoder.Token in both is iterative. Scanners that walk
//     the result still bound their own depth at scanners.MaxDepth.
//   - github.com/pelletier/go-toml/v2 stops at 10000 levels of arrays and
//     inline tables and runs in linear time. BurntSushi/toml has no bound
//     and is quadratic in nesting depth (4 MiB of inline tables 512 deep:
//     over 100 s and 6 GiB), which is why the scanners use go-toml.
package nest

import (
	"github.com/shiftward/shiftward/scanners"
)

// TOML checks src against scanners.MaxParseBytes and scanners.MaxDepth
// before it is decoded. Depth counts arrays and inline tables, the segments
// of a dotted key (which nest tables without a bracket), and the table a
// [header] or [[header]] opens for the keys below it. Brackets and dots
// inside strings and comments do not count: the scan follows TOML's four
// string forms and its comments, so a closer hidden in a string cannot make
// a deep file look shallow. The count is exact for brackets and at most one
// level high for a dotted key holding a float.
func TOML(src []byte) error {
	if len(src) > scanners.MaxParseBytes {
		return scanners.TooLarge(scanners.MaxParseBytes)
	}
	// table is the depth of the current [header]; inHeader is set while one
	// is read, header counting its opening brackets.
	depth, dots, table := 0, 0, 0
	inHeader, header, lineStart := false, 0, true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			dots = 0
			lineStart = true
			continue
		case '"', '\'':
			i = skipTOMLString(src, i)
		case '[', '{':
			if c == '[' && depth == 0 && lineStart {
				inHeader, header, table = true, 0, 0
			}
			if inHeader && c == '[' {
				header++
			}
			depth++
		case ']', '}':
			depth = max(depth-1, 0)
			if inHeader && depth == 0 {
				// [a.b] nests two tables; [[a.b]] an array's table too.
				table, inHeader = header+dots, false
			}
			dots = 0
		case '.':
			dots++
		case '=', ',', '\n':
			dots = 0
		}
		if table+depth+dots > scanners.MaxDepth {
			return scanners.TooDeep(scanners.MaxDepth)
		}
		switch c {
		case ' ', '\t', '\r':
		case '\n':
			lineStart = true
		default:
			lineStart = false
		}
	}
	return nil
}

// skipTOMLString returns the index of the last byte of the string that
// starts at src[i] (a quote): basic "..." with backslash escapes, literal
// '...', and the multi-line forms of both, between three quotes (which may
// end with up to two more quotes). A one-line string also ends at a newline,
// where the decoder will report it.
func skipTOMLString(src []byte, i int) int {
	q := src[i]
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		j := i + 3
		for j < len(src) {
			if q == '"' && src[j] == '\\' {
				j += 2
				continue
			}
			if src[j] == q && j+2 < len(src) && src[j+1] == q && src[j+2] == q {
				j += 3
				for k := 0; k < 2 && j < len(src) && src[j] == q; k++ {
					j++
				}
				return j - 1
			}
			j++
		}
		return len(src) - 1
	}
	j := i + 1
	for j < len(src) {
		switch {
		case q == '"' && src[j] == '\\':
			j += 2
			continue
		case src[j] == q:
			return j
		case src[j] == '\n':
			return j - 1
		}
		j++
	}
	return len(src) - 1
}
