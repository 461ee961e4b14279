package diff

import "io"

// Hooks for the differential tests: the fast chunk parser, and the pure
// go-gitdiff reading it must agree with.
var (
	ParseChunk     = parseChunk
	ParseChunkRef  = parseChunkRef
	ParseChunkFast = func(b []byte) bool { return parseChunkFast(b, -1, false) != nil }
	ReadGitHeader  = func(h string) bool { _, ok := readGitHeader(h); return ok }
)

// NewReferenceReader returns a Reader that parses every chunk with
// go-gitdiff alone, as the package did before its fast path.
func NewReferenceReader(r io.Reader) *Reader {
	rd := NewReader(r)
	rd.ref = true
	return rd
}

// BufferCap is the capacity of the buffer a Reader keeps between files.
func BufferCap(r *Reader) int { return cap(r.buf) }
