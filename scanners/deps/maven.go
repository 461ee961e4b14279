package deps

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

const ecoMaven = "Maven"

// xmlText is an element's text with its byte span in the file.
type xmlText struct {
	value      string
	start, end int // span of the trimmed text
}

type pomDep struct {
	group, artifact xmlText
	version         xmlText
	start, end      int // byte span of <dependency>…</dependency>
}

// parsePom reads a pom.xml with encoding/xml: every <dependency> (project,
// dependencyManagement, profiles, plugins) with a literal version or a
// ${property} defined in the same file; the fix then edits the property.
// Versions inherited from a parent or a BOM are not in the file and are not
// judged; nor are version ranges.
func parsePom(data []byte) ([]entry, error) {
	src := data
	if enc := xmlDeclaredEncoding(data); enc != "" && enc != "utf-8" && enc != "utf8" {
		if !isLatin1(enc) {
			return nil, fmt.Errorf("pom.xml: unsupported encoding %q", enc)
		}
		src = latin1ToUTF8(data)
	}
	dec := xml.NewDecoder(bytes.NewReader(src))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var (
		stack []string
		props = map[string]xmlText{}
		deps  []pomDep
		cur   *pomDep
		text  strings.Builder
		from  int
	)
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("pom.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			// The walk is iterative (encoding/xml's Token and this
			// stack); the bound keeps a hostile file from being scanned as
			// if it were read whole.
			if len(stack) > scanners.MaxDepth {
				return nil, fmt.Errorf("pom.xml: %w", scanners.TooDeep(scanners.MaxDepth))
			}
			text.Reset()
			from = int(dec.InputOffset())
			if t.Name.Local == "dependency" && len(stack) >= 2 && stack[len(stack)-2] == "dependencies" {
				cur = &pomDep{start: before}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("pom.xml: unbalanced elements")
			}
			name := stack[len(stack)-1]
			raw := src[from:min(before, len(src))]
			val := xmlText{value: strings.TrimSpace(text.String())}
			lead := len(raw) - len(bytes.TrimLeft(raw, " \t\r\n"))
			val.start = from + lead
			val.end = val.start + len(bytes.TrimSpace(raw))
			if string(bytes.TrimSpace(raw)) != val.value {
				val.start, val.end = 0, 0 // entities or CDATA: no editable span
			}
			switch {
			case len(stack) == 3 && stack[0] == "project" && stack[1] == "properties":
				props[name] = val
			case len(stack) == 2 && stack[0] == "project" && name == "version":
				props["project.version"] = val
			case cur != nil && len(stack) >= 2 && stack[len(stack)-2] == "dependency":
				switch name {
				case "groupId":
					cur.group = val
				case "artifactId":
					cur.artifact = val
				case "version":
					cur.version = val
				}
			case cur != nil && name == "dependency":
				cur.end = int(dec.InputOffset())
				deps = append(deps, *cur)
				cur = nil
			}
			stack = stack[:len(stack)-1]
			text.Reset()
		}
	}
	x := newLineIndex(src)
	orig := newLineIndex(data)
	var out []entry
	for _, d := range deps {
		if d.group.value == "" || d.artifact.value == "" || d.version.value == "" {
			continue
		}
		ver := d.version
		defLine := 0
		if name, ok := strings.CutPrefix(ver.value, "${"); ok && strings.HasSuffix(name, "}") {
			p, ok := props[strings.TrimSuffix(name, "}")]
			if !ok || strings.Contains(p.value, "${") {
				continue
			}
			ver = p
			if ver.end > ver.start {
				defLine = x.line(ver.start)
			}
		}
		if ver.value == "" || strings.ContainsAny(ver.value, "[](),${}") {
			continue // a range or an unresolved expression
		}
		e := entry{
			pkg:   Package{Ecosystem: ecoMaven, Name: d.group.value + ":" + d.artifact.value, Version: ver.value},
			start: x.line(d.start), end: x.line(max(d.end-1, d.start)),
		}
		e.line = x.line(d.version.start)
		if d.version.end <= d.version.start {
			e.line = e.start
		}
		e.defLine = defLine
		if ver.end > ver.start {
			l := x.line(ver.start)
			if x.text(l) == orig.text(l) { // the fix edits the file as it is encoded
				e.spanOn(x, ver.start, ver.end)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// xmlDeclaredEncoding returns the lower-cased encoding of the XML
// declaration, if any.
func xmlDeclaredEncoding(data []byte) string {
	if !bytes.HasPrefix(bytes.TrimLeft(data, "\ufeff \t\r\n"), []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(data[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t=")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := strings.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return strings.ToLower(rest[1 : j+1])
}

func isLatin1(enc string) bool {
	switch enc {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252":
		return true
	}
	return false
}

// latin1ToUTF8 converts ISO-8859-1 bytes to UTF-8 (windows-1252's extra
// characters in 0x80-0x9F become the C1 controls, which do not matter for
// the element names and versions the parser reads).
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
