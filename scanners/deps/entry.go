package deps

import (
	"bytes"
	"sort"
)

// entry is one dependency declared in a manifest or lockfile, with where it
// sits in the file.
type entry struct {
	pkg Package
	// line is the line that states the version (a lockfile's "version"
	// field, a manifest's dependency line, a pom's <version>).
	line int
	// start and end bound the entry's block (a lockfile object, a pom
	// <dependency>); a change to any line of it touches the entry.
	start, end int
	// defLine, when not 0, is a line elsewhere that defines the version
	// (a Maven property); adding it touches the entry too.
	defLine int

	// A manifest entry can be fixed in place: the bytes fixStart..fixEnd of
	// line fixLine are the version, and fixFormat renders the new one (a Go
	// "v" prefix). fixLine is 0 for lockfiles.
	fixLine          int
	fixStart, fixEnd int
	fixFormat        func(string) string
	// spec is the version as declared when it differs from pkg.Version
	// (an npm range "^4.17.0" whose floor is queried).
	spec string
}

// lineIndex maps byte offsets of a file to 1-based line numbers.
type lineIndex struct {
	starts []int // byte offset of each line's first byte
	data   []byte
}

func newLineIndex(data []byte) *lineIndex {
	starts := make([]int, 1, bytes.Count(data, []byte{'\n'})+1)
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{starts: starts, data: data}
}

// line returns the 1-based line of byte offset off.
func (x *lineIndex) line(off int) int {
	return sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off })
}

// col returns the 0-based byte column of off within its line.
func (x *lineIndex) col(off int) int {
	return off - x.starts[x.line(off)-1]
}

// text returns line n (1-based) without its newline or carriage return.
func (x *lineIndex) text(n int) string {
	if n < 1 || n > len(x.starts) {
		return ""
	}
	s := x.starts[n-1]
	e := len(x.data)
	if n < len(x.starts) {
		e = x.starts[n] - 1
	}
	if e > s && x.data[e-1] == '\r' {
		e--
	}
	if e < s {
		e = s
	}
	return string(x.data[s:e])
}

// count is the number of lines.
func (x *lineIndex) count() int { return len(x.starts) }

// spanOn sets e's fix to the bytes [from, to) of the file, which must lie on
// one line.
func (e *entry) spanOn(x *lineIndex, from, to int) {
	if from < 0 || to > len(x.data) || from >= to {
		return
	}
	l := x.line(from)
	if x.line(to-1) != l {
		return
	}
	e.fixLine = l
	e.fixStart = x.col(from)
	e.fixEnd = e.fixStart + (to - from)
}
