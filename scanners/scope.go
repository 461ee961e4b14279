package scanners

import (
	"cmp"
	"slices"
	"sort"
)

// LineRange is lines Start..End of a file's new version, 1-based and
// inclusive (End below Start means Start alone).
type LineRange struct {
	Start, End int
}

// MaxPreexisting bounds the pre-existing findings one scanner lists in one
// file: a touched file full of old problems must not bury the review. The
// most severe are kept; Scope counts the rest (Status.Cut), so the summary
// says how many were left out.
const MaxPreexisting = 5000

// AddedSet answers "does the change add a line in this range" for one file.
// The zero value adds nothing.
type AddedSet struct {
	lines []int // sorted
	all   bool  // a new file: every line is added
}

// AddedSet returns the set of in's added lines. Every line of a new file
// is added, whatever Added holds.
func (in *Input) AddedSet() AddedSet {
	if in.New {
		return AddedSet{all: true}
	}
	lines := make([]int, len(in.Added))
	for i, l := range in.Added {
		lines[i] = l.Number
	}
	// Added is documented ascending; a caller's hand-made Input may not be.
	if !sort.IntsAreSorted(lines) {
		sort.Ints(lines)
	}
	return AddedSet{lines: lines}
}

// Any reports whether a line within from..to (inclusive) is added.
func (a AddedSet) Any(from, to int) bool {
	_, ok := a.First(from, to)
	return ok
}

// First returns the first added line within from..to (inclusive). A
// scanner that can report a finding at several places uses it to point at
// the one the change adds.
func (a AddedSet) First(from, to int) (int, bool) {
	to = max(from, to)
	if a.all {
		return max(from, 1), true
	}
	i := sort.SearchInts(a.lines, from)
	if i < len(a.lines) && a.lines[i] <= to {
		return a.lines[i], true
	}
	return 0, false
}

// Introduced reports whether the change introduced f: whether it adds a
// line of f's span (Location) or of one of its Scope ranges. It is the one
// rule of diff scoping: Scope applies it to every finding, and a scanner
// may ask it first to skip work on a finding that will be pre-existing (a
// fix nobody will see).
func Introduced(f *Finding, added AddedSet) bool {
	if added.Any(f.Location.StartLine, f.Location.EndLine) {
		return true
	}
	for _, r := range f.Scope {
		if added.Any(r.Start, r.End) {
			return true
		}
	}
	return false
}

// Scope decides, for every finding in fs, whether the change introduced it
// (Introduced, against the input of its path in ins) and marks every other
// one Preexisting, without its fix: a finding is never dropped for being
// outside the change. A finding whose path is no input's is left as the
// scanner reported it. Pre-existing findings over MaxPreexisting in one
// file are cut, the least severe first; Scope returns what it keeps (fs's
// order) and how many it cut.
func Scope(fs []Finding, ins []*Input) ([]Finding, int) {
	if len(fs) == 0 {
		return fs, 0
	}
	byPath := make(map[string]*Input, len(ins))
	for _, in := range ins {
		if _, ok := byPath[in.Path]; !ok {
			byPath[in.Path] = in
		}
	}
	// Built for the files with findings only: a batch may hold hundreds.
	sets := map[string]AddedSet{}
	pre := map[string]int{}
	for i := range fs {
		f := &fs[i]
		in, ok := byPath[f.Location.Path]
		if !ok {
			continue
		}
		added, ok := sets[in.Path]
		if !ok {
			added = in.AddedSet()
			sets[in.Path] = added
		}
		f.Preexisting = !Introduced(f, added)
		if f.Preexisting {
			f.Fix = nil
			pre[f.Location.Path]++
		}
	}
	cut := 0
	for path, n := range pre {
		if n > MaxPreexisting {
			fs = cutPreexisting(fs, path)
			cut += n - MaxPreexisting
		}
	}
	return fs, cut
}

// cutPreexisting keeps MaxPreexisting of the pre-existing findings of path
// in fs, the most severe (then the first in the file), and every other
// finding, in fs's order.
func cutPreexisting(fs []Finding, path string) []Finding {
	var idx []int
	for i := range fs {
		if fs[i].Preexisting && fs[i].Location.Path == path {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(
			cmp.Compare(fs[b].Severity, fs[a].Severity),
			cmp.Compare(fs[a].Location.StartLine, fs[b].Location.StartLine),
		)
	})
	drop := make(map[int]bool, len(idx)-MaxPreexisting)
	for _, i := range idx[MaxPreexisting:] {
		drop[i] = true
	}
	kept := fs[:0]
	for i := range fs {
		if !drop[i] {
			kept = append(kept, fs[i])
		}
	}
	return kept
}
