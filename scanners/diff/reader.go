package diff

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DefaultMaxFileBytes bounds one file's part of a diff unless
// Reader.MaxFileBytes says otherwise. It is what a Reader may hold in
// memory at once.
const DefaultMaxFileBytes = 64 << 20

// MaxFileLines bounds the lines of one file's part of a diff, whatever its
// size in bytes: each line read costs a Line (about 50 bytes) besides its
// text, so 64 MiB of one-character lines would take over a gigabyte.
const MaxFileLines = 1 << 20

// ErrFileTooLarge is wrapped by the error Next returns for a file whose part
// of the diff exceeds the Reader's MaxFileBytes or MaxFileLines. The Reader skips that file:
// Next may be called again to read on.
var ErrFileTooLarge = errors.New("file diff too large")

// slabBytes is the least the Reader's buffer grows by. Each file's part of
// the diff is collected into the buffer and handed over to its File as it
// is (no copy); the next part is collected behind it, in the same array
// while there is room, so small files share one allocation of slabBytes
// rather than each taking two (its part's bytes, then their copy).
const slabBytes = 256 << 10

// Reader streams a multi-file diff one file at a time, so memory is bounded
// by the largest file, not the whole diff.
//
// It splits the stream itself, cheaply, at file boundaries (a `diff --git `
// line, or a `--- `/`+++ ` pair outside a hunk, so that a removed "-- x"
// line inside a hunk is never taken for a header), and reads each file's
// bytes as go-gitdiff would (see parseChunk). An error in one file's part does not poison the
// stream: Next returns it, and the next call goes on with the next file.
type Reader struct {
	// MaxFileBytes caps one file's part of the diff; zero means
	// DefaultMaxFileBytes.
	MaxFileBytes int

	br    *bufio.Reader
	buf   []byte // the current chunk
	carry []byte // the boundary line that starts the next chunk
	queue []*File
	line  int // lines read so far
	eof   bool
	err   error // sticky read error

	one     [1]*File // the queue of a one-file chunk
	gitLine []byte   // the current chunk's "diff --git " line
	carried []byte   // backs carry
	ahead   []byte   // backs a line nextIs looked past

	// ref makes every chunk go to go-gitdiff alone; tests compare the
	// fast path with it.
	ref bool
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// chunk describes the file part being collected.
type chunk struct {
	start    int  // line number of its first line
	hasFile  bool // a file header was seen
	git      bool // it began with "diff --git "
	sawMinus bool // its "--- " header line was seen
	sawHunk  bool
	tooLarge bool
	lines    int    // lines in the chunk
	minus    string // plain diffs: the "--- " and "+++ " lines, for names
	plus     string
	gitLine  []byte // the "diff --git " line, for error messages
}

// Next returns the next file, or io.EOF after the last.
func (r *Reader) Next() (*File, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return nil, r.err
		}
		if r.eof && r.carry == nil {
			return nil, io.EOF
		}
		c, err := r.collect()
		if err != nil {
			r.err = fmt.Errorf("diff: reading: %w", err)
			return nil, r.err
		}
		if c.tooLarge {
			return nil, fmt.Errorf("diff: %s (starting at line %d) exceeds %d bytes or %d lines: %w",
				c.name(), c.start, r.limit(), MaxFileLines, ErrFileTooLarge)
		}
		if len(r.buf) == 0 {
			continue
		}
		var files []*File
		if !r.ref {
			// The chunk is handed over to its file rather than copied; the
			// next one is collected behind it, in the rest of the array
			// (see reserve), never over it. A rest of a slab or more (after
			// a large file) is let go with the file: kept, it would keep
			// that file's whole array alive for the files after it.
			if f := parseChunkFast(r.buf, c.lines, true); f != nil {
				r.one[0] = f
				files = r.one[:]
				if r.buf = r.buf[len(r.buf):]; cap(r.buf) >= slabBytes {
					r.buf = nil
				}
			}
		}
		if files == nil {
			if c.lines > MaxSlowLines {
				err = slowTooLarge(c.lines)
			} else {
				files, err = parseChunkRef(r.buf)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("diff: %s (starting at line %d): %w", c.name(), c.start, err)
		}
		if !c.git && len(files) == 1 && c.minus != "" {
			nameFromHeaders(files[0], c.minus, c.plus)
		}
		r.queue = files
	}
	f := r.queue[0]
	r.queue[0] = nil
	r.queue = r.queue[1:]
	return f, nil
}

func (r *Reader) limit() int {
	if r.MaxFileBytes > 0 {
		return r.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// name says which file a chunk holds, for error messages, without trusting
// it to be well formed.
func (c *chunk) name() string {
	switch {
	case c.gitLine != nil:
		return strconv.Quote(truncate(strings.TrimRight(string(c.gitLine), "\r\n"), 200))
	case c.plus != "":
		return strconv.Quote(truncate(strings.TrimRight(c.plus, "\r\n"), 200))
	case c.hasFile:
		return "file"
	default:
		return "text"
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// collect reads one chunk into r.buf: everything up to, not including, the
// line that starts the next file, which it keeps in r.carry.
func (r *Reader) collect() (chunk, error) {
	r.buf = r.buf[:0]
	c := chunk{start: r.line + 1}
	var oldLeft, newLeft int
	inHunk := false
	add := func(line []byte) {
		if c.tooLarge {
			return
		}
		if len(r.buf)+len(line) > r.limit() || c.lines >= MaxFileLines {
			c.tooLarge = true
			r.buf = r.buf[:0]
			return
		}
		r.reserve(len(line))
		r.buf = append(r.buf, line...)
		c.lines++
	}
	for {
		if inHunk && r.carry == nil && !c.tooLarge {
			// The bulk of a diff: take the hunk lines already buffered in
			// one go, classified as below, line by line.
			inHunk, oldLeft, newLeft = r.takeHunkLines(&c, oldLeft, newLeft)
			if !inHunk {
				continue
			}
		}
		var line []byte
		if r.carry != nil {
			line, r.carry = r.carry, nil
			// carry's line was counted when it was read.
			c.start = r.line
		} else {
			if r.eof {
				return c, nil
			}
			var err error
			line, err = r.readLine()
			if err == io.EOF {
				r.eof = true
				if len(line) == 0 {
					return c, nil
				}
			} else if err != nil {
				return c, err
			}
			r.line++
		}

		if inHunk {
			switch {
			case len(line) == 0:
			case line[0] == ' ' || line[0] == '\n' || (line[0] == '\r' && len(line) > 1 && line[1] == '\n'):
				oldLeft--
				newLeft--
			case line[0] == '-':
				oldLeft--
			case line[0] == '+':
				newLeft--
			case line[0] == '\\':
			default:
				inHunk = false // a malformed hunk; look at the line afresh
			}
			if inHunk {
				add(line)
				if oldLeft <= 0 && newLeft <= 0 {
					inHunk = false
				}
				continue
			}
		}

		switch {
		case bytes.HasPrefix(line, gitHeader):
			if c.hasFile {
				r.keep(line)
				return c, nil
			}
			c.hasFile, c.git = true, true
			r.gitLine = append(r.gitLine[:0], line...)
			c.gitLine = r.gitLine
		case bytes.HasPrefix(line, minusHeader) && r.nextIs(&line, plusHeader):
			if c.hasFile && (!c.git || c.sawMinus || c.sawHunk) {
				r.keep(line)
				return c, nil
			}
			if !c.git {
				c.hasFile = true
				c.minus = string(line)
			}
			c.sawMinus = true
		case bytes.HasPrefix(line, plusHeader) && c.sawMinus && !c.sawHunk && c.plus == "" && !c.git:
			c.plus = string(line)
		case bytes.HasPrefix(line, hunkHeader):
			_, ol, _, nl, ok := parseHunkHeaderStrict(line)
			if !ok {
				// Signs and the like, which go-gitdiff reads too.
				_, ol, _, nl, ok = parseHunkHeader(string(line))
			}
			if ok {
				inHunk, oldLeft, newLeft = true, ol, nl
				c.sawHunk = true
				if oldLeft <= 0 && newLeft <= 0 {
					inHunk = false
				}
			}
		}
		add(line)
	}
}

// takeHunkLines appends to the chunk the whole lines bufio holds that
// continue the current hunk, as collect would one by one, and returns the
// hunk's state after them. It stops before a line that is not a hunk line
// (collect looks at it afresh), a line not yet wholly buffered, or one that
// would make the chunk too large, all left to collect.
func (r *Reader) takeHunkLines(c *chunk, oldLeft, newLeft int) (inHunk bool, _, _ int) {
	buf, _ := r.br.Peek(r.br.Buffered())
	room := r.limit() - len(r.buf)
	n, k := 0, 0
	inHunk = true
	for inHunk {
		i := bytes.IndexByte(buf[n:], '\n')
		if i < 0 || n+i+1 > room {
			break
		}
		line := buf[n : n+i+1]
		switch {
		case line[0] == ' ' || line[0] == '\n' || (line[0] == '\r' && len(line) > 1 && line[1] == '\n'):
			oldLeft--
			newLeft--
		case line[0] == '-':
			oldLeft--
		case line[0] == '+':
			newLeft--
		case line[0] == '\\':
		default:
			// Not taken: collect ends the hunk and reads the line afresh.
			r.take(c, n, k)
			return true, oldLeft, newLeft
		}
		n += len(line)
		k++
		if oldLeft <= 0 && newLeft <= 0 {
			inHunk = false
		}
	}
	r.take(c, n, k)
	return inHunk, oldLeft, newLeft
}

// take moves n buffered bytes, k lines, into the chunk.
func (r *Reader) take(c *chunk, n, k int) {
	if n == 0 {
		return
	}
	b, _ := r.br.Peek(n)
	r.reserve(n)
	r.buf = append(r.buf, b...)
	_, _ = r.br.Discard(n)
	c.lines += k
	r.line += k
}

// reserve makes room in the buffer for n more bytes. A new array holds at
// least slabBytes, so that the small chunks after it share it, and twice
// what the chunk needs, up to the Reader's limit: a large file's part is
// copied a few times as it grows (the bytes copied add up to about twice
// its size), not a dozen times; past 8 MiB it grows by a quarter.
func (r *Reader) reserve(n int) {
	need := len(r.buf) + n
	if need <= cap(r.buf) {
		return
	}
	grow := 2 * need
	if need > 8<<20 {
		grow = need + need/4 // as append grows: less held beside a huge part
	}
	c := max(slabBytes, min(grow, r.limit()), need)
	b := make([]byte, len(r.buf), c)
	copy(b, r.buf)
	r.buf = b
}

var (
	gitHeader   = []byte("diff --git ")
	minusHeader = []byte("--- ")
	plusHeader  = []byte("+++ ")
	hunkHeader  = []byte("@@ -")
)

// keep saves a boundary line for the next chunk. It must be copied: it may
// point into bufio's buffer, which the next read reuses.
func (r *Reader) keep(line []byte) {
	r.carried = append(r.carried[:0], line...)
	r.carry = r.carried
}

// nextIs peeks at the start of the line after *line. The peek may refill
// bufio's buffer, where *line (read with ReadSlice) may lie: when the next
// line's start is not yet buffered, *line is first copied out (to r.ahead),
// so it survives the refill. A pipe's short reads make that case common.
func (r *Reader) nextIs(line *[]byte, prefix []byte) bool {
	if r.eof {
		return false
	}
	if r.br.Buffered() < len(prefix) {
		r.ahead = append(r.ahead[:0], *line...)
		*line = r.ahead
	}
	b, _ := r.br.Peek(len(prefix))
	return bytes.Equal(b, prefix)
}

// readLine returns the next line with its newline. The slice is valid until
// the next read; lines longer than bufio's buffer are gathered in a scratch
// buffer.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = r.br.ReadSlice('\n')
		long = append(long, line...)
		if len(long) > r.limit() {
			// Keep reading (the caller will flag the chunk too large) but
			// hold no more than the limit.
			long = long[:r.limit()+1]
		}
	}
	return long, err
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@...".
func parseHunkHeader(s string) (oldStart, oldLines, newStart, newLines int, ok bool) {
	rest, found := strings.CutPrefix(s, "@@ -")
	if !found {
		return 0, 0, 0, 0, false
	}
	ranges, _, found := strings.Cut(rest, " @@")
	if !found {
		return 0, 0, 0, 0, false
	}
	oldR, newR, found := strings.Cut(ranges, " +")
	if !found {
		return 0, 0, 0, 0, false
	}
	var ok1, ok2 bool
	oldStart, oldLines, ok1 = parseRange(oldR)
	newStart, newLines, ok2 = parseRange(newR)
	return oldStart, oldLines, newStart, newLines, ok1 && ok2
}

func parseRange(s string) (start, n int, ok bool) {
	a, b, hasLen := strings.Cut(s, ",")
	start, err := strconv.Atoi(a)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	n = 1
	if hasLen {
		if n, err = strconv.Atoi(b); err != nil || n < 0 {
			return 0, 0, false
		}
	}
	return start, n, true
}

// nameFromHeaders names a file of a plain unified diff from its "--- " and
// "+++ " lines, which go-gitdiff reads with their "a/" and "b/" prefixes
// and collapses to one name. The prefixes are dropped as `patch -p1` would:
// when they are git's a/ and b/, or when both names share everything after
// their first component (`diff -ru old/ new/`).
func nameFromHeaders(f *File, minus, plus string) {
	oldName, ok1 := headerName(strings.TrimPrefix(minus, "--- "))
	newName, ok2 := headerName(strings.TrimPrefix(plus, "+++ "))
	if !ok1 || !ok2 {
		return
	}
	oldStrip, newStrip := stripFirst(oldName), stripFirst(newName)
	switch {
	case oldName == devNull && newName == devNull:
		return
	case oldName == devNull:
		if strings.HasPrefix(newName, "b/") {
			newName = newStrip
		}
	case newName == devNull:
		if strings.HasPrefix(oldName, "a/") {
			oldName = oldStrip
		}
	case strings.HasPrefix(oldName, "a/") && strings.HasPrefix(newName, "b/"),
		oldStrip != "" && oldStrip == newStrip && oldName != newName:
		oldName, newName = oldStrip, newStrip
	}
	if f.IsNew {
		f.OldPath, f.NewPath = "", newName
		return
	}
	if f.IsDelete {
		f.OldPath, f.NewPath = oldName, ""
		return
	}
	f.OldPath, f.NewPath = oldName, newName
	f.IsRename = oldName != newName
}

// headerName reads the name of a "--- "/"+++ " line: a C-quoted string, or
// everything up to a tab (the timestamp) or the end of the line.
func headerName(s string) (string, bool) {
	s = strings.TrimRight(s, "\r\n")
	if strings.HasPrefix(s, `"`) {
		for i := 1; i < len(s); i++ {
			if s[i] == '"' && s[i-1] != '\\' {
				name, err := strconv.Unquote(s[:i+1])
				return name, err == nil && name != ""
			}
		}
		return "", false
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return s, s != ""
}

func stripFirst(name string) string {
	_, rest, found := strings.Cut(name, "/")
	if !found {
		return ""
	}
	return rest
}
