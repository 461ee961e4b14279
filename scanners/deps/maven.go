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
	r := &pomReader{src: src, dec: xml.NewDecoder(bytes.NewReader(src)), props: map[string]xmlText{}}
	r.dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil } // already UTF-8
	if err := r.read(); err != nil {
		return nil, err
	}
	x := newLineIndex(src)
	orig := newLineIndex(data)
	var out []entry
	for _, d := range r.deps {
		if e, ok := pomEntry(d, r.props, x, orig); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// pomReader walks a pom.xml's tokens, keeping the project's properties and
// every dependency.
type pomReader struct {
	src   []byte // the file, in UTF-8
	dec   *xml.Decoder
	stack []string // the open elements' names
	props map[string]xmlText
	deps  []pomDep
	cur   *pomDep         // the <dependency> open, if any
	text  strings.Builder // the open element's text since its last child
	from  int             // where that text starts
}

// read walks the file to its end.
func (r *pomReader) read() error {
	for {
		before := int(r.dec.InputOffset())
		tok, err := r.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("pom.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.start(t, before); err != nil {
				return err
			}
		case xml.CharData:
			r.text.Write(t)
		case xml.EndElement:
			if err := r.end(before); err != nil {
				return err
			}
		}
	}
}

// start opens an element that began at offset before; a <dependency> in
// <dependencies> starts a new dependency.
func (r *pomReader) start(t xml.StartElement, before int) error {
	r.stack = append(r.stack, t.Name.Local)
	// The walk is iterative (encoding/xml's Token and this stack); the
	// bound keeps a hostile file from being scanned as if it were read
	// whole.
	if len(r.stack) > scanners.MaxDepth {
		return fmt.Errorf("pom.xml: %w", scanners.TooDeep(scanners.MaxDepth))
	}
	r.text.Reset()
	r.from = int(r.dec.InputOffset())
	if t.Name.Local == "dependency" && len(r.stack) >= 2 && r.stack[len(r.stack)-2] == "dependencies" {
		r.cur = &pomDep{start: before}
	}
	return nil
}

// end closes the innermost element, whose end tag begins at offset before,
// keeping its text where it is a property or a dependency's field.
func (r *pomReader) end(before int) error {
	if len(r.stack) == 0 {
		return errors.New("pom.xml: unbalanced elements")
	}
	name := r.stack[len(r.stack)-1]
	val := r.elementText(before)
	switch {
	case len(r.stack) == 3 && r.stack[0] == "project" && r.stack[1] == "properties":
		r.props[name] = val
	case len(r.stack) == 2 && r.stack[0] == "project" && name == "version":
		r.props["project.version"] = val
	case r.cur != nil && len(r.stack) >= 2 && r.stack[len(r.stack)-2] == "dependency":
		r.cur.setField(name, val)
	case r.cur != nil && name == "dependency":
		r.cur.end = int(r.dec.InputOffset())
		r.deps = append(r.deps, *r.cur)
		r.cur = nil
	}
	r.stack = r.stack[:len(r.stack)-1]
	r.text.Reset()
	return nil
}

// elementText is the closing element's text, trimmed, with its span in the
// file; no span when the text is not written as is (entities or CDATA).
func (r *pomReader) elementText(before int) xmlText {
	raw := r.src[r.from:min(before, len(r.src))]
	val := xmlText{value: strings.TrimSpace(r.text.String())}
	lead := len(raw) - len(bytes.TrimLeft(raw, " \t\r\n"))
	val.start = r.from + lead
	val.end = val.start + len(bytes.TrimSpace(raw))
	if string(bytes.TrimSpace(raw)) != val.value {
		val.start, val.end = 0, 0 // entities or CDATA: no editable span
	}
	return val
}

// setField keeps a dependency's groupId, artifactId or version.
func (d *pomDep) setField(name string, val xmlText) {
	switch name {
	case "groupId":
		d.group = val
	case "artifactId":
		d.artifact = val
	case "version":
		d.version = val
	}
}

// pomEntry makes the entry of a dependency with its coordinates and a
// version, resolved through props; false for one without, or with a
// version range or an expression this file does not resolve. x indexes the
// file in UTF-8, orig as it is encoded.
func pomEntry(d pomDep, props map[string]xmlText, x, orig *lineIndex) (entry, bool) {
	if d.group.value == "" || d.artifact.value == "" || d.version.value == "" {
		return entry{}, false
	}
	ver, defLine, ok := pomVersion(d.version, props, x)
	if !ok {
		return entry{}, false
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
	return e, true
}

// pomVersion resolves a dependency's version: a literal, or a ${property}
// defined in the file, then with the line of its definition. False for a
// property not defined (or defined by another), a range or an unresolved
// expression.
func pomVersion(v xmlText, props map[string]xmlText, x *lineIndex) (ver xmlText, defLine int, ok bool) {
	ver = v
	if name, ok := strings.CutPrefix(v.value, "${"); ok && strings.HasSuffix(name, "}") {
		p, ok := props[strings.TrimSuffix(name, "}")]
		if !ok || strings.Contains(p.value, "${") {
			return xmlText{}, 0, false
		}
		ver = p
		if ver.end > ver.start {
			defLine = x.line(ver.start)
		}
	}
	if ver.value == "" || strings.ContainsAny(ver.value, "[](),${}") {
		return xmlText{}, 0, false // a range or an unresolved expression
	}
	return ver, defLine, true
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
