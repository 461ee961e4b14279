package scanners

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
)

// ApplyFixes applies fixes (whole-line replacements of the new file) to
// content and returns the result. Fixes may come in any order; two that
// touch the same line are an error (they were written against the same
// text, and applying both would garble it), as is a fix past the end of
// the file. The file's final newline, or its absence, is kept.
func ApplyFixes(content []byte, fixes []Fix) ([]byte, error) {
	lines := bytes.SplitAfter(content, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	fs := slices.Clone(fixes)
	slices.SortFunc(fs, func(a, b Fix) int { return cmp.Compare(a.StartLine, b.StartLine) })
	for i, f := range fs {
		if f.StartLine < 1 || f.EndLine < f.StartLine || f.EndLine > len(lines) {
			return nil, fmt.Errorf("fix of lines %d-%d does not fit a file of %d lines", f.StartLine, f.EndLine, len(lines))
		}
		if i > 0 && f.StartLine <= fs[i-1].EndLine {
			if f == fs[i-1] {
				continue
			}
			return nil, fmt.Errorf("fixes of lines %d-%d and %d-%d overlap", fs[i-1].StartLine, fs[i-1].EndLine, f.StartLine, f.EndLine)
		}
	}
	fs = slices.Compact(fs)
	var out bytes.Buffer
	next := 1 // next original line to copy
	for _, f := range fs {
		for ; next < f.StartLine; next++ {
			out.Write(lines[next-1])
		}
		last := lines[f.EndLine-1]
		if f.Replacement != "" {
			out.WriteString(f.Replacement)
			if bytes.HasSuffix(last, []byte("\n")) {
				out.WriteByte('\n')
			}
		}
		next = f.EndLine + 1
	}
	for ; next <= len(lines); next++ {
		out.Write(lines[next-1])
	}
	return out.Bytes(), nil
}
