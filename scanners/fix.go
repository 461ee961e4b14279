package scanners

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// Edit is one change to the new version of a file, in whole lines. It
// replaces lines StartLine..EndLine with Replacement (no trailing newline;
// empty deletes them) or, when Insert is set, adds Replacement as new lines
// after line StartLine (0: before the first line) and replaces nothing, so
// an import added below another import leaves that line to any other fix
// that edits it. An insertion has EndLine equal to StartLine.
type Edit struct {
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	Replacement string `json:"replacement"`
	Insert      bool   `json:"insert,omitempty"`
}

// InsertAfter is an Edit that adds text as new lines after line n (0:
// at the top of the file).
func InsertAfter(n int, text string) Edit {
	return Edit{StartLine: n, EndLine: n, Replacement: text, Insert: true}
}

// Inline reports whether the fix is one contiguous edit, which a review can
// offer as a one-click suggestion on its lines. A fix with Also edits (an
// import plus the line) is described instead, and committed whole by Apply
// fixes.
func (f *Fix) Inline() bool { return len(f.Also) == 0 }

// Edits returns the fix's primary edit (its own lines) followed by its Also
// edits.
func (f *Fix) Edits() []Edit {
	out := make([]Edit, 0, 1+len(f.Also))
	out = append(out, Edit{StartLine: f.StartLine, EndLine: f.EndLine, Replacement: f.Replacement})
	return append(out, f.Also...)
}

// Equal reports whether two fixes make the same edits with the same
// description (two nil fixes are equal). go-cmp uses it too.
func (f *Fix) Equal(g *Fix) bool {
	if f == nil || g == nil {
		return f == g
	}
	return f.Description == g.Description && f.StartLine == g.StartLine && f.EndLine == g.EndLine &&
		f.Replacement == g.Replacement && slices.Equal(f.Also, g.Also)
}

// Overlaps reports whether some edit of f and some edit of g touch the same
// lines (or one inserts inside lines the other replaces) and differ: fixes
// that overlap cannot both be applied to the text they were written for.
// Identical edits (two fixes adding the same import) do not overlap.
func (f *Fix) Overlaps(g *Fix) bool {
	for _, a := range f.Edits() {
		for _, b := range g.Edits() {
			if a != b && a.conflicts(b) {
				return true
			}
		}
	}
	return false
}

// conflicts reports whether two different edits cannot both apply. Two
// insertions at the same place do not conflict: they go in one after the
// other, in the order of their text.
func (e Edit) conflicts(o Edit) bool {
	switch {
	case e.Insert && o.Insert:
		return false
	case e.Insert:
		return o.StartLine <= e.StartLine && e.StartLine < o.EndLine
	case o.Insert:
		return e.StartLine <= o.StartLine && o.StartLine < e.EndLine
	}
	return e.StartLine <= o.EndLine && o.StartLine <= e.EndLine
}

// ApplyFixes applies fixes (each its primary edit and its Also edits, in
// whole lines of the new file) to content and returns the result. Fixes may
// come in any order. An edit made by several fixes (two adding the same
// import) is applied once. Two different edits of the same line are an
// error (they were written against the same text, and applying both would
// garble it), as is an insertion inside lines another edit replaces and an
// edit past the end of the file; insertions at one place go in the order of
// their text. The file's final newline, or its absence, is kept.
func ApplyFixes(content []byte, fixes []Fix) ([]byte, error) {
	lines := bytes.SplitAfter(content, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	var edits []Edit
	for i := range fixes {
		edits = append(edits, fixes[i].Edits()...)
	}
	for _, e := range edits {
		if e.Insert {
			if e.StartLine < 0 || e.StartLine > len(lines) || e.EndLine != e.StartLine {
				return nil, fmt.Errorf("insertion after line %d does not fit a file of %d lines", e.StartLine, len(lines))
			}
			if e.Replacement == "" {
				return nil, fmt.Errorf("insertion after line %d inserts nothing", e.StartLine)
			}
		} else if e.StartLine < 1 || e.EndLine < e.StartLine || e.EndLine > len(lines) {
			return nil, fmt.Errorf("fix of lines %d-%d does not fit a file of %d lines", e.StartLine, e.EndLine, len(lines))
		}
	}
	// Order by place: an insertion after line n sits between lines n and
	// n+1, before a replacement that starts at n+1.
	pos := func(e Edit) int {
		if e.Insert {
			return 2*e.StartLine + 1
		}
		return 2 * e.StartLine
	}
	slices.SortFunc(edits, func(a, b Edit) int {
		return cmp.Or(cmp.Compare(pos(a), pos(b)), cmp.Compare(a.EndLine, b.EndLine), cmp.Compare(a.Replacement, b.Replacement))
	})
	edits = slices.Compact(edits)
	for i := range edits {
		for j := i + 1; j < len(edits) && pos(edits[j]) <= 2*edits[i].EndLine+1; j++ {
			if edits[i].conflicts(edits[j]) {
				return nil, fmt.Errorf("fixes of %s and %s overlap", edits[i].lines(), edits[j].lines())
			}
		}
	}
	var out bytes.Buffer
	next := 1 // next original line to copy
	for _, e := range edits {
		if e.Insert {
			for ; next <= e.StartLine; next++ {
				out.Write(lines[next-1])
			}
			if next > 1 && !bytes.HasSuffix(lines[next-2], []byte("\n")) {
				// After a last line without a newline: the
				// inserted text becomes the last line, without one.
				out.WriteByte('\n')
				out.WriteString(e.Replacement)
				continue
			}
			out.WriteString(e.Replacement)
			out.WriteByte('\n')
			continue
		}
		for ; next < e.StartLine; next++ {
			out.Write(lines[next-1])
		}
		last := lines[e.EndLine-1]
		if e.Replacement != "" {
			out.WriteString(e.Replacement)
			if bytes.HasSuffix(last, []byte("\n")) {
				out.WriteByte('\n')
			}
		}
		next = e.EndLine + 1
	}
	for ; next <= len(lines); next++ {
		out.Write(lines[next-1])
	}
	return out.Bytes(), nil
}

// lines names an edit's place for an error.
func (e Edit) lines() string {
	if e.Insert {
		return fmt.Sprintf("the insertion after line %d", e.StartLine)
	}
	return fmt.Sprintf("lines %d-%d", e.StartLine, e.EndLine)
}
