// Package diff reads unified diffs (git's format, and the per-file patches
// of GitHub's and GitLab's APIs) into files, hunks and added lines.
//
// What a diff means is github.com/bluekeyes/go-gitdiff's reading of it; this
// package adds what a reviewer needs on top: a streaming Reader that splits
// a huge diff into one file at a time, the synthesis of headers for the
// hunks-only patches the code hosts return, new-side line numbers on every
// line, and the question GitHub and GitLab ask of an inline comment: is this
// line inside a hunk? For speed, the common shapes (plain git headers,
// well-formed hunks) are read here without go-gitdiff's per-line
// allocations, and everything else by go-gitdiff itself; differential tests
// and a fuzz target hold the two readings to the same files, lines and
// errors.
package diff

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// Op is what a diff line does.
type Op int

// Line operations.
const (
	Context Op = iota
	Add
	Delete
)

// String returns " ", "+" or "-", as the op is written in a diff.
func (o Op) String() string {
	switch o {
	case Add:
		return "+"
	case Delete:
		return "-"
	default:
		return " "
	}
}

// Line is one line of a hunk. OldNumber is 0 for added lines, NewNumber 0
// for deleted ones. Text has no trailing newline (nor the carriage return of
// a CRLF line), so scanners see the same text whatever the line ending.
// The Texts of a file's lines are substrings of one string holding that
// file's part of the diff, so keeping one line keeps that part in memory.
type Line struct {
	Op        Op
	OldNumber int
	NewNumber int
	Text      string
}

// Hunk is one @@ section.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// File is one file's part of a diff.
type File struct {
	// OldPath is empty for a new file, NewPath empty for a deleted one.
	OldPath, NewPath string
	IsNew, IsDelete  bool
	IsRename         bool
	IsBinary         bool
	Hunks            []Hunk
	// IsCopy marks git's "copy from/to" headers; NewPath is the copy.
	IsCopy bool
	// OldMode and NewMode are the git file modes when the diff names them
	// (0 otherwise); a mode change alone gives a file with no hunks.
	OldMode, NewMode os.FileMode
}

// Path is the file's new path, or its old path when deleted.
func (f *File) Path() string {
	if f.IsDelete {
		return f.OldPath
	}
	return f.NewPath
}

// Added returns the added lines in order.
func (f *File) Added() []Line {
	n := 0
	for i := range f.Hunks {
		for _, l := range f.Hunks[i].Lines {
			if l.Op == Add {
				n++
			}
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Line, 0, n)
	for i := range f.Hunks {
		for _, l := range f.Hunks[i].Lines {
			if l.Op == Add {
				out = append(out, l)
			}
		}
	}
	return out
}

// Commentable reports whether line of the new file lies inside a hunk
// (added or context), where GitHub and GitLab accept inline comments.
func (f *File) Commentable(line int) bool {
	if line <= 0 {
		return false
	}
	// Hunks come in ascending order of NewStart: find the last hunk that
	// starts at or before line.
	i := sort.Search(len(f.Hunks), func(i int) bool { return f.Hunks[i].NewStart > line })
	if i == 0 {
		return false
	}
	h := &f.Hunks[i-1]
	return line < h.NewStart+h.NewLines
}

// Index finds files by new path.
type Index map[string]*File

// NewIndex indexes files by Path (the old path of a deleted file, which has
// no commentable line anyway).
func NewIndex(files []*File) Index {
	x := make(Index, len(files))
	for _, f := range files {
		x[f.Path()] = f
	}
	return x
}

// Commentable reports whether path:line lies inside a hunk of the diff.
func (x Index) Commentable(path string, line int) bool {
	f := x[path]
	return f != nil && f.Commentable(line)
}

// Parse reads a whole multi-file diff: git's (renames, copies, modes,
// binary files, quoted names), a `git format-patch` mail, or a plain
// unified diff of `--- a/x` / `+++ b/x` sections. Text before the first
// file (a mail header) is skipped. The first malformed file stops it with
// an error naming the line where that file starts.
func Parse(r io.Reader) ([]*File, error) {
	rd := NewReader(r)
	var files []*File
	for {
		f, err := rd.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
}

// ParsePatch reads the hunks-only patch that GitHub's files API (`patch`)
// and GitLab's diffs API (`diff`) return for one file. oldPath is empty (or
// "/dev/null") for an added file and newPath for a deleted one; when both
// are given, a patch made only of "@@ -0,0 +1,N @@" (or "+0,0") still marks
// the file new (deleted). An empty patch is a file without hunks (a pure
// rename, a mode change, a file too large for the host to diff). A patch
// that already carries its own `diff --git` or `---`/`+++` header is parsed
// as it stands, but keeps the paths given here.
func ParsePatch(oldPath, newPath, patch string) (*File, error) {
	if oldPath == devNull {
		oldPath = ""
	}
	if newPath == devNull {
		newPath = ""
	}
	if oldPath == "" && newPath == "" {
		return nil, errors.New("diff: patch without a path")
	}
	f := &File{OldPath: oldPath, NewPath: newPath, IsNew: oldPath == "", IsDelete: newPath == ""}
	f.IsRename = !f.IsNew && !f.IsDelete && oldPath != newPath

	body := strings.TrimLeft(patch, "\r\n")
	switch {
	case strings.TrimSpace(body) == "":
		return f, nil
	case strings.HasPrefix(body, "Binary files ") || strings.HasPrefix(body, "GIT binary patch"):
		// GitLab writes "Binary files a/x and b/x differ" for a binary file.
		f.IsBinary = true
		return f, nil
	}

	var src bytes.Buffer
	if !strings.HasPrefix(body, "diff --git ") && !strings.HasPrefix(body, "--- ") {
		// Synthesize the header go-gitdiff needs. The names in it are
		// placeholders (the given paths replace them), so no path, however
		// odd its characters, needs quoting here.
		isNew, isDelete := f.IsNew, f.IsDelete
		if !isNew && !isDelete {
			isNew, isDelete = creationHunks(body)
		}
		switch {
		case isNew:
			src.WriteString("--- /dev/null\n+++ b/file\n")
		case isDelete:
			src.WriteString("--- a/file\n+++ /dev/null\n")
		default:
			src.WriteString("--- a/file\n+++ b/file\n")
		}
		f.IsNew, f.IsDelete = isNew, isDelete
	}
	src.WriteString(body)
	if !strings.HasSuffix(body, "\n") {
		// GitHub's patch field has no final newline.
		src.WriteByte('\n')
	}

	files, err := parseChunk(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("diff: patch of %s: %w", f.Path(), err)
	}
	switch len(files) {
	case 0:
		return nil, fmt.Errorf("diff: patch of %s: no hunk found", f.Path())
	case 1:
	default:
		return nil, fmt.Errorf("diff: patch of %s: holds %d files, want 1", f.Path(), len(files))
	}
	g := files[0]
	f.Hunks = g.Hunks
	f.IsBinary = f.IsBinary || g.IsBinary
	f.IsNew = f.IsNew || g.IsNew
	f.IsDelete = f.IsDelete || g.IsDelete
	if f.IsNew {
		f.OldPath = ""
		if f.NewPath == "" {
			f.NewPath = oldPath
		}
	}
	if f.IsDelete {
		f.NewPath = ""
		if f.OldPath == "" {
			f.OldPath = newPath
		}
	}
	f.IsRename = !f.IsNew && !f.IsDelete && f.OldPath != f.NewPath
	f.OldMode, f.NewMode = g.OldMode, g.NewMode
	return f, nil
}

// creationHunks reports whether a hunks-only patch creates (one hunk
// "@@ -0,0 +...") or deletes (one hunk "@@ ... +0,0 @@") its file.
func creationHunks(body string) (isNew, isDelete bool) {
	first, rest, _ := strings.Cut(body, "\n")
	if strings.Contains(rest, "\n@@ -") {
		return false, false
	}
	oldStart, oldLines, newStart, newLines, ok := parseHunkHeader(first)
	if !ok {
		return false, false
	}
	return oldStart == 0 && oldLines == 0, newStart == 0 && newLines == 0
}

const devNull = "/dev/null"

// parseChunkRef hands one file's bytes (rarely more, when a split was
// missed) to go-gitdiff and converts what it returns. A panic in the library
// on hostile input becomes an error. It is the reference parseChunkFast must
// agree with, and the path for whatever that declines: errors, binary
// files, files without hunks, chunks holding more than one file.
func parseChunkRef(b []byte) (files []*File, err error) {
	defer func() {
		if p := recover(); p != nil {
			files, err = nil, fmt.Errorf("malformed diff (parser panicked: %v)", p)
		}
	}()
	gfs, _, err := gitdiff.Parse(bytes.NewBuffer(b))
	if err != nil {
		return nil, err
	}
	files = make([]*File, 0, len(gfs))
	for _, g := range gfs {
		f, err := convert(g)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// convert turns go-gitdiff's file into ours, numbering every line and
// dropping binary payloads, which no scanner reads. It refuses hunks that
// go-gitdiff lets through but no line numbering can make sense of: lines
// numbered from 0, hunks out of order or overlapping.
func convert(g *gitdiff.File) (*File, error) {
	f := convertHeader(g)
	if len(g.TextFragments) > 0 {
		f.Hunks = make([]Hunk, len(g.TextFragments))
	}
	for i, frag := range g.TextFragments {
		h := &f.Hunks[i]
		h.OldStart, h.OldLines = int(frag.OldPosition), int(frag.OldLines)
		h.NewStart, h.NewLines = int(frag.NewPosition), int(frag.NewLines)
		if (h.OldLines > 0 && h.OldStart <= 0) || (h.NewLines > 0 && h.NewStart <= 0) {
			return nil, fmt.Errorf("hunk %q numbers lines from 0", strings.TrimSpace(frag.Header()))
		}
		if i > 0 {
			p := &f.Hunks[i-1]
			if h.NewStart < p.NewStart+p.NewLines || h.OldStart < p.OldStart+p.OldLines {
				return nil, fmt.Errorf("hunk %q overlaps or precedes the one before it", strings.TrimSpace(frag.Header()))
			}
		}
		h.Lines = make([]Line, len(frag.Lines))
		oldN, newN := h.OldStart, h.NewStart
		for j, gl := range frag.Lines {
			l := &h.Lines[j]
			l.Text = trimEOL(gl.Line)
			switch gl.Op {
			case gitdiff.OpAdd:
				l.Op, l.NewNumber = Add, newN
				newN++
			case gitdiff.OpDelete:
				l.Op, l.OldNumber = Delete, oldN
				oldN++
			default:
				l.Op, l.OldNumber, l.NewNumber = Context, oldN, newN
				oldN++
				newN++
			}
		}
	}
	return f, nil
}

// convertHeader takes what go-gitdiff read from a file's header: paths,
// status, modes.
func convertHeader(g *gitdiff.File) *File {
	f := &File{
		OldPath:  g.OldName,
		NewPath:  g.NewName,
		IsNew:    g.IsNew,
		IsDelete: g.IsDelete,
		IsRename: g.IsRename,
		IsCopy:   g.IsCopy,
		IsBinary: g.IsBinary,
		OldMode:  g.OldMode,
		NewMode:  g.NewMode,
	}
	if f.IsNew {
		f.OldPath = ""
	}
	if f.IsDelete {
		f.NewPath = ""
	}
	if f.NewMode == 0 && !f.IsDelete {
		// An "index a..b 100644" line names one mode: the file kept it.
		f.NewMode = f.OldMode
	}
	return f
}

func trimEOL(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}
