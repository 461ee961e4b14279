// Package diff reads unified diffs (git's format, and the per-file patches
// of GitHub's and GitLab's APIs) into files, hunks and added lines.
//
// STUB: signatures fixed, implementation pending.
package diff

import (
	"errors"
	"io"
)

// Op is what a diff line does.
type Op int

// Line operations.
const (
	Context Op = iota
	Add
	Delete
)

// Line is one line of a hunk. OldNumber is 0 for added lines, NewNumber 0
// for deleted ones.
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
	OldPath, NewPath string
	IsNew, IsDelete  bool
	IsRename         bool
	IsBinary         bool
	Hunks            []Hunk
}

// Path is the file's new path, or its old path when deleted.
func (f *File) Path() string {
	if f.IsDelete {
		return f.OldPath
	}
	return f.NewPath
}

// Added returns the added lines in order.
func (f *File) Added() []Line { return nil }

// Commentable reports whether line of the new file lies inside a hunk
// (added or context), where GitHub and GitLab accept inline comments.
func (f *File) Commentable(line int) bool { return false }

// Index finds files by new path.
type Index map[string]*File

// Commentable reports whether path:line lies inside a hunk of the diff.
func (x Index) Commentable(path string, line int) bool {
	f := x[path]
	return f != nil && f.Commentable(line)
}

// Parse reads a whole multi-file diff.
func Parse(r io.Reader) ([]*File, error) { return nil, errors.New("unimplemented") }

// ParsePatch reads the hunks-only patch that GitHub's files API and GitLab's
// diffs API return for one file.
func ParsePatch(oldPath, newPath, patch string) (*File, error) {
	return nil, errors.New("unimplemented")
}

// Reader streams a multi-file diff one file at a time, so memory is bounded
// by the largest file, not the whole diff.
type Reader struct{}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader { return &Reader{} }

// Next returns the next file, or io.EOF after the last.
func (r *Reader) Next() (*File, error) { return nil, io.EOF }
