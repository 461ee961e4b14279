package scanners

import (
	"errors"
	"fmt"
	"time"
)

// Bounds every scanner keeps to, so that one hostile file costs a known
// amount of time and memory. A file over a bound is reported as not scanned
// (the review is then incomplete), never as clean.
const (
	// MaxDepth is the deepest nesting a parser may reach (brackets, blocks,
	// syntax tree levels). It is checked before recursing: a parser that
	// recursed without one could exhaust the goroutine stack, which Go
	// cannot recover from, and kill every job in the process with it. Real
	// configuration and lockfiles nest a few dozen levels; generated code a
	// few hundred at most.
	MaxDepth = 512
	// MaxParseBytes is the largest file a scanner parses into a structure
	// (a syntax tree, a YAML or HCL document, a lockfile). Larger files are
	// still scanned line by line where a scanner can (secrets), and
	// reported as not scanned by those that need structure.
	MaxParseBytes = 4 << 20
	// FileTimeout bounds one scanner's time on one file. Scanners check
	// their context between steps; past it the file is not scanned.
	FileTimeout = 5 * time.Second
)

// ErrBound is wrapped by every error saying an input is over a bound (too
// large, nested too deep, too slow): the input was not scanned, or not
// whole.
var ErrBound = errors.New("over a scan bound")

// BoundError says which bound an input is over.
type BoundError struct {
	// What names the bound ("nesting depth", "size in bytes").
	What string
	// Limit is the bound's value, in the unit What names.
	Limit int64
}

// Error reads "nesting depth over 512: not scanned".
func (e *BoundError) Error() string {
	return fmt.Sprintf("%s over %d: not scanned", e.What, e.Limit)
}

// Is makes errors.Is(err, ErrBound) true for every BoundError.
func (e *BoundError) Is(target error) bool { return target == ErrBound }

// TooDeep is the error of an input nested deeper than limit.
func TooDeep(limit int) error { return &BoundError{What: "nesting depth", Limit: int64(limit)} }

// TooLarge is the error of an input larger than limit bytes.
func TooLarge(limit int) error { return &BoundError{What: "size in bytes", Limit: int64(limit)} }
