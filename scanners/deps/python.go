package deps

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/osv-scalibr/semantic"
	"github.com/pelletier/go-toml/v2"

	"github.com/shiftward/shiftward/scanners/nest"
)

const ecoPyPI = "PyPI"

// parseRequirements reads a pip requirements file (pip's own line format:
// "\" continuations, "#" comments, options). Only pinned requirements
// ("name==version", "name===version") name a version the scanner can
// judge; ranges, URLs, paths and -r/-c includes are skipped (an included
// file is scanned as itself when the change touches it).
func parseRequirements(data []byte) ([]entry, error) {
	x := newLineIndex(data)
	var out []entry
	for n := 1; n <= x.count(); n++ {
		// A logical line: physical lines joined at trailing backslashes.
		first := n
		var segs []reqSeg
		var b strings.Builder
		for {
			l := x.text(n)
			cont := strings.HasSuffix(l, `\`)
			if cont {
				l = l[:len(l)-1]
			}
			segs = append(segs, reqSeg{line: n, at: b.Len()})
			b.WriteString(l)
			if !cont || n == x.count() {
				break
			}
			b.WriteByte(' ')
			n++
		}
		e, ok := parseRequirement(b.String(), segs)
		if ok {
			e.start, e.end = first, n
			out = append(out, e)
		}
	}
	return out, nil
}

type reqSeg struct{ line, at int }

func parseRequirement(s string, segs []reqSeg) (entry, bool) {
	// Comments start at "#" at the line start or after whitespace.
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			s = s[:i]
			break
		}
	}
	t := strings.TrimLeft(s, " \t")
	if t == "" || t[0] == '-' || t[0] == '.' || t[0] == '/' || strings.Contains(t, "://") || strings.Contains(t, "@") {
		return entry{}, false
	}
	off := len(s) - len(t)
	// The name: letters, digits, ".", "_", "-".
	i := 0
	for i < len(t) && (isAlnum(t[i]) || t[i] == '.' || t[i] == '_' || t[i] == '-') {
		i++
	}
	name := t[:i]
	if name == "" {
		return entry{}, false
	}
	rest := t[i:]
	// Drop environment markers and per-requirement options.
	if j := strings.IndexByte(rest, ';'); j >= 0 {
		rest = rest[:j]
	}
	for j := 1; j < len(rest); j++ {
		if rest[j] == '-' && (rest[j-1] == ' ' || rest[j-1] == '\t') {
			rest = rest[:j]
			break
		}
	}
	// Extras.
	k := 0
	for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
		k++
	}
	if k < len(rest) && rest[k] == '[' {
		end := strings.IndexByte(rest[k:], ']')
		if end < 0 {
			return entry{}, false
		}
		k += end + 1
	}
	// Specifiers, comma-separated; the first exact pin wins.
	base := off + i
	for _, spec := range splitKeep(rest, k, ',') {
		txt := strings.TrimSpace(spec.s)
		var op string
		switch {
		case strings.HasPrefix(txt, "==="):
			op = "==="
		case strings.HasPrefix(txt, "=="):
			op = "=="
		default:
			continue
		}
		ver := strings.TrimSpace(txt[len(op):])
		if ver == "" || strings.ContainsAny(ver, "* \t") {
			continue
		}
		if _, err := semantic.ParsePyPIVersion(ver); err != nil {
			continue
		}
		verAt := base + spec.at + strings.Index(spec.s, ver)
		e := entry{pkg: Package{Ecosystem: ecoPyPI, Name: NormalizeName(ecoPyPI, name), Version: ver}}
		line, col := segAt(segs, verAt)
		e.line = line
		e.fixLine, e.fixStart, e.fixEnd = line, col, col+len(ver)
		return e, true
	}
	return entry{}, false
}

type piece struct {
	s  string
	at int
}

// splitKeep splits s[from:] at sep, keeping each piece's offset in s.
func splitKeep(s string, from int, sep byte) []piece {
	var out []piece
	start := from
	for i := from; i <= len(s); i++ {
		if i == len(s) || s[i] == sep {
			out = append(out, piece{s: s[start:i], at: start})
			start = i + 1
		}
	}
	return out
}

// segAt maps an offset in a joined logical line to its physical line and
// column.
func segAt(segs []reqSeg, off int) (line, col int) {
	for i := len(segs) - 1; i >= 0; i-- {
		if off >= segs[i].at {
			return segs[i].line, off - segs[i].at
		}
	}
	return segs[0].line, off
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tomlPackage is a [[package]] entry of poetry.lock, uv.lock or Cargo.lock.
type tomlPackage struct {
	Name    string `toml:"name"`
	Version string `toml:"version"`
	Source  any    `toml:"source"`
}

// parseTOMLLock decodes the [[package]] array of a TOML lockfile with
// go-toml, then finds each entry's lines: the decoder keeps no positions, so
// a position pass pairs the n-th "[[package]]" header with the n-th decoded
// package and refuses the file when the counts differ.
//
// The file's size and nesting are checked first (nest.TOML). go-toml runs
// in linear time; BurntSushi/toml, used before, is quadratic in nesting
// depth: 4 MiB of inline tables 512 deep took it over 100 s and 6 GiB, and
// go-toml 0.1 s and 14 MiB (see nest's package comment).
func parseTOMLLock(kind string, data []byte) ([]tomlPackage, []tomlSpan, error) {
	if err := nest.TOML(data); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", kind, err)
	}
	var doc struct {
		Package []tomlPackage `toml:"package"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", kind, err)
	}
	x := newLineIndex(data)
	var spans []tomlSpan
	for n := 1; n <= x.count(); n++ {
		t := strings.TrimSpace(x.text(n))
		switch {
		case t == "[[package]]":
			if len(spans) > 0 && spans[len(spans)-1].end == 0 {
				spans[len(spans)-1].end = n - 1
			}
			spans = append(spans, tomlSpan{start: n})
		case strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "[package.") && !strings.HasPrefix(t, "[[package."):
			if len(spans) > 0 && spans[len(spans)-1].end == 0 {
				spans[len(spans)-1].end = n - 1
			}
		case len(spans) > 0 && spans[len(spans)-1].end == 0 && spans[len(spans)-1].version == 0 && strings.HasPrefix(t, "version") && strings.HasPrefix(strings.TrimLeft(t[len("version"):], " \t"), "="):
			spans[len(spans)-1].version = n
		case strings.HasPrefix(t, "[package.") || strings.HasPrefix(t, "[[package."):
			// a sub-table: the entry's own version line is above it
			if len(spans) > 0 && spans[len(spans)-1].version == 0 {
				spans[len(spans)-1].version = -1
			}
		}
	}
	if len(spans) > 0 && spans[len(spans)-1].end == 0 {
		spans[len(spans)-1].end = x.count()
	}
	if len(spans) != len(doc.Package) {
		return nil, nil, fmt.Errorf("%s: found %d [[package]] headers for %d packages; the file's layout is not one the scanner can place", kind, len(spans), len(doc.Package))
	}
	for i := range spans {
		if spans[i].version <= 0 {
			spans[i].version = spans[i].start
		}
	}
	return doc.Package, spans, nil
}

type tomlSpan struct{ start, end, version int }

// sourceKind returns the keys of a package's source table, or the source
// string (Cargo: "registry+https://..."), for deciding whether it came from
// the registry.
func sourceKind(src any) string {
	switch s := src.(type) {
	case string:
		return s
	case map[string]any:
		for _, k := range []string{"editable", "virtual", "directory", "path", "git", "url"} {
			if _, ok := s[k]; ok {
				return k
			}
		}
		if t, ok := s["type"].(string); ok {
			return t
		}
		return "registry"
	}
	return ""
}

// parsePoetryLock reads poetry.lock; packages from git, a directory or a
// file are not on PyPI and are skipped.
func parsePoetryLock(data []byte) ([]entry, error) {
	pkgs, spans, err := parseTOMLLock("poetry.lock", data)
	if err != nil {
		return nil, err
	}
	var out []entry
	for i, p := range pkgs {
		if k := sourceKind(p.Source); k != "" && k != "legacy" && k != "registry" {
			continue
		}
		if p.Name == "" || p.Version == "" {
			continue
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoPyPI, Name: NormalizeName(ecoPyPI, p.Name), Version: p.Version}, line: spans[i].version, start: spans[i].start, end: spans[i].end})
	}
	return out, nil
}

// parseUVLock reads uv.lock; the project itself (editable, virtual) and
// packages from git, paths or URLs are skipped.
func parseUVLock(data []byte) ([]entry, error) {
	pkgs, spans, err := parseTOMLLock("uv.lock", data)
	if err != nil {
		return nil, err
	}
	var out []entry
	for i, p := range pkgs {
		if k := sourceKind(p.Source); k != "registry" {
			continue
		}
		if p.Name == "" || p.Version == "" {
			continue
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoPyPI, Name: NormalizeName(ecoPyPI, p.Name), Version: p.Version}, line: spans[i].version, start: spans[i].start, end: spans[i].end})
	}
	return out, nil
}

// parsePipfileLock reads Pipfile.lock's "default" and "develop" sections;
// entries pinned with "==" are judged.
func parsePipfileLock(data []byte) ([]entry, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if root.kind != 'o' {
		return nil, errors.New("Pipfile.lock: not a JSON object")
	}
	x := newLineIndex(data)
	var out []entry
	for _, sec := range []string{"default", "develop"} {
		deps := root.get(sec)
		if deps == nil || deps.kind != 'o' {
			continue
		}
		for i, name := range deps.keys {
			obj := deps.vals[i]
			vn := obj.get("version")
			if vn == nil || vn.kind != 's' {
				continue
			}
			ver, ok := strings.CutPrefix(vn.str, "==")
			if !ok || ver == "" {
				continue
			}
			if _, err := semantic.ParsePyPIVersion(ver); err != nil {
				continue
			}
			out = append(out, entry{pkg: Package{Ecosystem: ecoPyPI, Name: NormalizeName(ecoPyPI, name), Version: ver}, line: x.line(vn.start), start: x.line(obj.start), end: x.line(max(obj.end-1, obj.start))})
		}
	}
	return out, nil
}
