package diff

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// parseChunk turns one file's bytes (rarely more, when a split was missed)
// into files. The common case, a file header followed by well-formed hunks,
// takes the fast path; anything else (errors included) goes to
// parseChunkRef, which is go-gitdiff's reading of the whole chunk, so both
// paths give the same files and the same errors.
func parseChunk(b []byte) ([]*File, error) {
	if f := parseChunkFast(b, -1, false); f != nil {
		return []*File{f}, nil
	}
	if n := bytes.Count(b, []byte{'\n'}); n > MaxSlowLines {
		return nil, slowTooLarge(n)
	}
	return parseChunkRef(b)
}

// MaxSlowLines bounds the lines of one file's part of a diff that goes to
// go-gitdiff (what parseChunkFast declines: malformed hunks, binary
// patches, odd headers). go-gitdiff allocates about 500 bytes per line: a
// 4 MB hunk of short lines whose header miscounts them took 1.7 s and
// 400 MB to refuse, and the 64 MiB a file may hold would take gigabytes.
// Well-formed hunks take the fast path, which has no such bound.
const MaxSlowLines = 200_000

// slowTooLarge is the error of a part over MaxSlowLines. It wraps
// ErrFileTooLarge: the file is not read, and a Reader goes on.
func slowTooLarge(lines int) error {
	return fmt.Errorf("%d lines the fast reader declined, over the %d read by go-gitdiff: %w", lines, MaxSlowLines, ErrFileTooLarge)
}

// parseChunkFast reads a chunk the way go-gitdiff would, but without its
// per-line allocations: go-gitdiff reads the file header (everything before
// the first "@@ -" line, followed by a stand-in hunk of the same shape, so
// its look-ahead and its new/deleted-file checks see what they would see in
// the real chunk), and the hunks are read here from one string holding the
// body, each line's text a substring of it.
//
// It returns nil whenever it is not sure go-gitdiff would accept the chunk
// and read it as one file with these hunks: the caller then asks
// go-gitdiff, for the result or for the error. lines, when not negative,
// is how many lines b holds (the Reader counts them as it reads).
func parseChunkFast(b []byte, lines int, owned bool) (f *File) {
	var ok bool
	defer func() {
		if recover() != nil {
			f = nil
		}
	}()
	at := 0
	if !bytes.HasPrefix(b, hunkHeader) {
		i := bytes.Index(b, nlHunkHeader)
		if i < 0 {
			return nil
		}
		at = i + 1
	}
	first := b[at:]
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i+1]
	}
	// go-gitdiff takes "--- "/"+++ " for a file header only when the line
	// after them is at least as long as "@@ -1 +1 @@\n"; the stand-ins are.
	if len(first) < len("@@ -1 +1 @@\n") {
		return nil
	}
	_, oldLines, _, newLines, ok := parseHunkHeaderStrict(first)
	if !ok {
		return nil
	}
	// One string holds the chunk: paths and lines are substrings of it.
	// A chunk the caller hands over (owned) becomes that string as it is:
	// no copy, and nothing writes to it again.
	var str string
	if owned {
		str = unsafe.String(unsafe.SliceData(b), len(b))
	} else {
		str = string(b)
	}
	isNew, isDelete := false, false
	if f, ok = readGitHeader(str[:at]); ok {
		isNew, isDelete = f.IsNew, f.IsDelete
	} else {
		var g *gitdiff.File
		if g = goGitdiffHeader(b[:at], oldLines, newLines); g == nil {
			return nil
		}
		f, isNew, isDelete = convertHeader(g), g.IsNew, g.IsDelete
	}
	if lines < 0 {
		lines = bytes.Count(b[at:], []byte{'\n'}) + 1
	}
	if !parseHunks(f, str[at:], isNew, isDelete, lines) {
		return nil
	}
	return f
}

// goGitdiffHeader has go-gitdiff read a file header, followed by a stand-in
// hunk of the real first hunk's shape, so that its look-ahead and its
// new/deleted-file checks see what they would see in the real chunk. It
// returns nil unless that makes exactly one file of one hunk.
func goGitdiffHeader(hdr []byte, oldLines, newLines int) *gitdiff.File {
	var stand string
	switch {
	case oldLines > 0 && newLines > 0:
		stand = "@@ -1 +1 @@\n-\n+\n"
	case oldLines > 0:
		stand = "@@ -1 +0,0 @@\n-\n"
	case newLines > 0:
		stand = "@@ -0,0 +1 @@\n+\n"
	default:
		return nil // go-gitdiff refuses a hunk without changes
	}
	src := make([]byte, 0, len(hdr)+len(stand))
	src = append(append(src, hdr...), stand...)
	gfs, _, err := gitdiff.Parse(bytes.NewBuffer(src))
	if err != nil || len(gfs) != 1 || len(gfs[0].TextFragments) != 1 || gfs[0].IsBinary {
		return nil
	}
	return gfs[0]
}

// readGitHeader reads a git file header as go-gitdiff's ParseGitFileHeader
// does, line by line with the same effects, when it is made only of the
// lines git writes ("diff --git a/P b/Q", old/new/deleted/new file mode,
// similarity index, rename and copy from/to, index, "--- ", "+++ ") in
// their plain forms: names without quotes, spaces, control characters,
// doubled or leading slashes, and with git's a/ and b/ prefixes; modes and
// scores as plain digits. Anything else (mail preambles, odd names, CRLF,
// headers go-gitdiff would refuse) is left to go-gitdiff.
func readGitHeader(h string) (f *File, ok bool) {
	line, rest, _ := strings.Cut(h, "\n")
	oldName, newName, ok := diffGitNames(line)
	if !ok {
		return nil, false
	}
	// go-gitdiff's default name, for the mode lines of added and deleted
	// files: the path when both sides name the same one.
	defaultName := ""
	if oldName == newName {
		defaultName = oldName
	}
	var g gitdiff.File
	for rest != "" {
		var found bool
		line, rest, found = strings.Cut(rest, "\n")
		if !found || !readHeaderLine(&g, line, defaultName) {
			return nil, false
		}
	}
	if !completeNames(&g, defaultName) {
		return nil, false
	}
	return convertHeader(&g), true
}

// diffGitNames reads the two plain paths of a "diff --git a/P b/Q" line.
func diffGitNames(line string) (oldName, newName string, ok bool) {
	names, found := strings.CutPrefix(line, "diff --git a/")
	if !found {
		return "", "", false
	}
	// Plain paths hold no space: the first one separates them.
	sp := strings.IndexByte(names, ' ')
	if sp < 0 || !strings.HasPrefix(names[sp:], " b/") {
		return "", "", false
	}
	oldName, newName = names[:sp], names[sp+len(" b/"):]
	if !plainPath(oldName) || !plainPath(newName) {
		return "", "", false
	}
	return oldName, newName, true
}

// readHeaderLine applies one extended header line to g as go-gitdiff
// does; false for a line it does not know or would read otherwise.
func readHeaderLine(g *gitdiff.File, line, defaultName string) bool {
	switch {
	case strings.HasPrefix(line, "--- "):
		return readOldName(g, line[len("--- "):])
	case strings.HasPrefix(line, "+++ "):
		return readNewName(g, line[len("+++ "):])
	case strings.HasPrefix(line, "old mode "):
		return setMode(&g.OldMode, line[len("old mode "):])
	case strings.HasPrefix(line, "new mode "):
		return setMode(&g.NewMode, line[len("new mode "):])
	case strings.HasPrefix(line, "deleted file mode "):
		g.IsDelete, g.OldName = true, defaultName
		return setMode(&g.OldMode, line[len("deleted file mode "):])
	case strings.HasPrefix(line, "new file mode "):
		g.IsNew, g.NewName = true, defaultName
		return setMode(&g.NewMode, line[len("new file mode "):])
	case strings.HasPrefix(line, "copy from "):
		g.IsCopy, g.OldName = true, line[len("copy from "):]
		return plainPath(g.OldName)
	case strings.HasPrefix(line, "copy to "):
		g.IsCopy, g.NewName = true, line[len("copy to "):]
		return plainPath(g.NewName)
	case strings.HasPrefix(line, "rename from "):
		g.IsRename, g.OldName = true, line[len("rename from "):]
		return plainPath(g.OldName)
	case strings.HasPrefix(line, "rename to "):
		g.IsRename, g.NewName = true, line[len("rename to "):]
		return plainPath(g.NewName)
	case strings.HasPrefix(line, "similarity index "):
		return isScore(line[len("similarity index "):])
	case strings.HasPrefix(line, "index "):
		return readIndexLine(g, line[len("index "):])
	}
	return false
}

// readOldName reads the name of a "--- " line: the old file's name unless
// an earlier line set it (or the file is new), when the two must agree.
func readOldName(g *gitdiff.File, s string) bool {
	name, ok := diffName(s, "a/")
	if !ok {
		return false
	}
	if g.OldName != "" || g.IsNew {
		return verifyName(name, g.OldName, g.IsNew)
	}
	if name == devNull {
		return false // go-gitdiff would name the file /dev/null
	}
	g.OldName = name
	return true
}

// readNewName reads the name of a "+++ " line: the new file's name unless
// an earlier line set it (or the file is deleted), when the two must agree.
func readNewName(g *gitdiff.File, s string) bool {
	name, ok := diffName(s, "b/")
	if !ok {
		return false
	}
	if g.NewName != "" || g.IsDelete {
		return verifyName(name, g.NewName, g.IsDelete)
	}
	if name == devNull {
		return false
	}
	g.NewName = name
	return true
}

// setMode reads a mode of plain octal digits into m.
func setMode(m *os.FileMode, s string) bool {
	var ok bool
	*m, ok = parseModeStrict(s)
	return ok
}

// readIndexLine reads "index OLD..NEW [MODE]": two hex object ids and, for
// a file whose mode did not change, its mode.
func readIndexLine(g *gitdiff.File, s string) bool {
	oids, m, hasMode := strings.Cut(s, " ")
	dot := strings.IndexByte(oids, '.')
	if dot < 0 || !strings.HasPrefix(oids[dot:], "..") || !isHex(oids[:dot]) || !isHex(oids[dot+2:]) {
		return false
	}
	return !hasMode || setMode(&g.OldMode, m)
}

// completeNames gives a header that named neither side the "diff --git"
// line's one path, and checks each side has a name unless the file is new
// (no old name) or deleted (no new name).
func completeNames(g *gitdiff.File, defaultName string) bool {
	if g.OldName == "" && g.NewName == "" {
		if defaultName == "" {
			return false
		}
		g.OldName, g.NewName = defaultName, defaultName
	}
	return (g.NewName != "" || g.IsDelete) && (g.OldName != "" || g.IsNew)
}

// diffName reads the name of a "--- " or "+++ " line of a git header: git's
// prefix and a plain path, or /dev/null.
func diffName(s, prefix string) (string, bool) {
	if s == devNull {
		return s, true
	}
	name, found := strings.CutPrefix(s, prefix)
	return name, found && plainPath(name)
}

// verifyName is go-gitdiff's check of a "--- "/"+++ " name against what
// earlier lines set.
func verifyName(parsed, existing string, isNull bool) bool {
	if existing != "" && (isNull || existing != parsed) {
		return false
	}
	return !isNull || parsed == devNull
}

// isScore reads "N%" with N of 1 to 3 digits.
func isScore(s string) bool {
	n, found := strings.CutSuffix(s, "%")
	if !found || n == "" || len(n) > 3 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// plainPath reports whether a path needs none of go-gitdiff's cleaning.
func plainPath(p string) bool {
	if p == "" || p[0] == '/' || strings.Contains(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c == 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// parseModeStrict reads 1 to 7 octal digits.
func parseModeStrict(s string) (os.FileMode, bool) {
	if s == "" || len(s) > 7 {
		return 0, false
	}
	var m os.FileMode
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '7' {
			return 0, false
		}
		m = m*8 + os.FileMode(c-'0')
	}
	return m, true
}

var nlHunkHeader = []byte("\n@@ -")

// parseHunks reads body, which starts with a "@@ -" line, into f.Hunks, as
// go-gitdiff's ParseTextFragments and then convert would. It reports false
// where either would fail, and where what follows the hunks might be read by
// go-gitdiff as something more than text to skip.
// maxLines bounds the number of lines in body.
func parseHunks(f *File, body string, isNew, isDelete bool, maxLines int) bool {
	// One backing array for every line of the file.
	lines := make([]Line, 0, maxLines)
	p := 0
	for p < len(body) && strings.HasPrefix(body[p:], "@@ -") {
		line, next := lineAt(body, p)
		oldStart, oldLines, newStart, newLines, ok := parseHunkHeaderStrict(line)
		if !ok || (isNew && oldLines > 0) || (isDelete && newLines > 0) {
			return false
		}
		if (oldLines > 0 && oldStart <= 0) || (newLines > 0 && newStart <= 0) {
			return false
		}
		if n := len(f.Hunks); n > 0 {
			q := &f.Hunks[n-1]
			if newStart < q.NewStart+q.NewLines || oldStart < q.OldStart+q.OldLines {
				return false
			}
		}
		p = next
		if p >= len(body) {
			return false // no content following the header
		}
		first := len(lines)
		oldLeft, newLeft := oldLines, newLines
		oldN, newN := oldStart, newStart
		changes := 0
		for (oldLeft > 0 || newLeft > 0) && p < len(body) {
			line, next := lineAt(body, p)
			p = next
			switch line[0] {
			case '\n':
				lines = append(lines, Line{Op: Context, OldNumber: oldN, NewNumber: newN})
				oldN++
				newN++
				oldLeft--
				newLeft--
			case ' ':
				lines = append(lines, Line{Op: Context, OldNumber: oldN, NewNumber: newN, Text: trimEOL(line[1:])})
				oldN++
				newN++
				oldLeft--
				newLeft--
			case '-':
				lines = append(lines, Line{Op: Delete, OldNumber: oldN, Text: trimEOL(line[1:])})
				oldN++
				oldLeft--
				changes++
			case '+':
				lines = append(lines, Line{Op: Add, NewNumber: newN, Text: trimEOL(line[1:])})
				newN++
				newLeft--
				changes++
			default:
				// A "\ No newline at end of file" marker only ends the
				// line before it, which trimEOL trims anyway.
				if !isNoNewlineMarker(line) {
					return false
				}
			}
		}
		if oldLeft != 0 || newLeft != 0 || changes == 0 {
			return false
		}
		if p < len(body) {
			if line, next := lineAt(body, p); isNoNewlineMarker(line) {
				p = next
			}
		}
		if f.Hunks == nil {
			f.Hunks = make([]Hunk, 0, 4)
		}
		f.Hunks = append(f.Hunks, Hunk{
			OldStart: oldStart, OldLines: oldLines,
			NewStart: newStart, NewLines: newLines,
			Lines: lines[first:len(lines):len(lines)],
		})
	}
	return ignorable(body[p:])
}

// ignorable reports whether go-gitdiff, reading rest after a file's last
// hunk, would skip it all as the preamble of a next file that never comes:
// no line of it may start a hunk or a file header.
func ignorable(rest string) bool {
	for p := 0; p < len(rest); {
		line, next := lineAt(rest, p)
		if strings.HasPrefix(line, "@@ -") || strings.HasPrefix(line, "diff --git ") || strings.HasPrefix(line, "--- ") {
			return false
		}
		p = next
	}
	return true
}

// lineAt returns the line of s starting at p, with its newline, and where
// the next line starts.
func lineAt(s string, p int) (line string, next int) {
	i := strings.IndexByte(s[p:], '\n')
	if i < 0 {
		return s[p:], len(s)
	}
	return s[p : p+i+1], p + i + 1
}

// isNoNewlineMarker is go-gitdiff's test for "\ No newline at end of file",
// whose wording depends on the locale.
func isNoNewlineMarker(line string) bool {
	return len(line) >= 12 && line[0] == '\\' && line[1] == ' '
}

// parseHunkHeaderStrict reads a "@@ -a[,b] +c[,d] @@..." line as go-gitdiff
// does, but accepts only plain decimal numbers of a sane size, so that it
// never accepts what go-gitdiff refuses (signs, overflow) nor reads a number
// differently.
func parseHunkHeaderStrict[S string | []byte](line S) (oldStart, oldLines, newStart, newLines int, ok bool) {
	if len(line) < 4 || string(line[:4]) != "@@ -" {
		return
	}
	rest := line[4:]
	end := -1
	for i := 0; i+3 <= len(rest); i++ {
		if rest[i] == ' ' && rest[i+1] == '@' && rest[i+2] == '@' {
			end = i
			break
		}
	}
	if end < 0 {
		return
	}
	ranges := rest[:end]
	sep := -1
	for i := 0; i+1 < len(ranges); i++ {
		if ranges[i] == ' ' && ranges[i+1] == '+' {
			if sep >= 0 {
				return // go-gitdiff wants exactly two ranges
			}
			sep = i
		}
	}
	if sep < 0 {
		return
	}
	var ok1, ok2 bool
	oldStart, oldLines, ok1 = parseRangeStrict(ranges[:sep])
	newStart, newLines, ok2 = parseRangeStrict(ranges[sep+2:])
	return oldStart, oldLines, newStart, newLines, ok1 && ok2
}

func parseRangeStrict[S string | []byte](s S) (start, n int, ok bool) {
	comma := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			comma = i
			break
		}
	}
	if comma < 0 {
		start, ok = atoiStrict(s)
		return start, 1, ok
	}
	var ok1, ok2 bool
	start, ok1 = atoiStrict(s[:comma])
	n, ok2 = atoiStrict(s[comma+1:])
	return start, n, ok1 && ok2
}

// atoiStrict reads 1 to 9 decimal digits.
func atoiStrict[S string | []byte](s S) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
