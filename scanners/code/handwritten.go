package code

import "github.com/shiftward/shiftward/scanners"

var _ scanners.HandWrittenOnly = (*Scanner)(nil)

// HandWrittenOnly: code findings are about code people write, so Run passes
// vendored, minified and generated files over (scanners.Generated), and
// the review says how many.
func (*Scanner) HandWrittenOnly() bool { return true }
