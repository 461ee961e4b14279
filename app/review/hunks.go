package review

import (
	"strings"

	"github.com/shiftward/shiftward/scanners/diff"
)

// hunkIndex keeps only the new-side line ranges of each file's hunks: what
// inline placement needs, without holding the diff text.
type hunkIndex map[string][][2]int

func (x hunkIndex) add(f *diff.File) {
	// The path is cloned: a diff.File's strings share its part of the diff,
	// and a map key that is a substring would keep every file's text alive.
	path := strings.Clone(f.NewPath)
	for _, h := range f.Hunks {
		if h.NewLines > 0 {
			x[path] = append(x[path], [2]int{h.NewStart, h.NewStart + h.NewLines - 1})
		}
	}
}

// Commentable reports whether path:line lies in a hunk.
func (x hunkIndex) Commentable(path string, line int) bool {
	for _, r := range x[path] {
		if line >= r[0] && line <= r[1] {
			return true
		}
	}
	return false
}
