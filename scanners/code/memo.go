package code

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// memoRegexp is a regexp matched against names that repeat across sites and
// files (callees, function names): each answer is kept, up to memoLimit
// names, so that a name is matched once rather than once per site and
// rule. The answers are the regexp's own; past the limit it is matched
// each time. Safe for concurrent use.
type memoRegexp struct {
	re   *regexp.Regexp
	seen sync.Map // string → bool
	n    atomic.Int32
}

// memoLimit bounds the names each memoRegexp keeps (a long-running server
// scans many repositories).
const memoLimit = 4096

func newMemoRegexp(re *regexp.Regexp) *memoRegexp { return &memoRegexp{re: re} }

func (m *memoRegexp) match(s string) bool {
	if v, ok := m.seen.Load(s); ok {
		return v.(bool)
	}
	ok := m.re.MatchString(s)
	if m.n.Load() < memoLimit {
		// A clone: the name may be a slice of a whole file's text.
		if _, loaded := m.seen.LoadOrStore(strings.Clone(s), ok); !loaded {
			m.n.Add(1)
		}
	}
	return ok
}
