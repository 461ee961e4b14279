package code

import (
	"context"
	"strings"
	"testing"
)

// TestJSXBareAmpersand: valid JSX with a bare '&' in text or in an
// attribute string parses whole, and the code after it is scanned; '&&',
// '&=', intersection types and character references are left as they are.
func TestJSXBareAmpersand(t *testing.T) {
	sink := "export function B(props) {\n  return <div dangerouslySetInnerHTML={{__html: props.h}} />;\n}\n"
	cases := []struct{ name, path, src string }{
		{"text", "a.jsx", "export function A() {\n  return <p>Terms & Conditions</p>;\n}\n"},
		{"attribute", "a.tsx", "export function A() {\n  return <a href=\"/x?a=1&b=2\">x</a>;\n}\n"},
		{"text in tsx with types", "a.tsx", "type AB = {a: string} & {b: string};\nexport function A(p: AB) {\n  const ok = p.a && p.b;\n  let m = 1; m &= 3;\n  return <p>{ok} Privacy & Data &amp; more</p>;\n}\n"},
		{"text in js", "a.js", "export function A() {\n  return <span>R&D</span>;\n}\n"},
	}
	s := newTestScanner(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, errLines, err := s.scan(context.Background(), c.path, []byte(c.src+sink))
			if err != nil || len(errLines) != 0 {
				t.Fatalf("err %v, syntax errors on lines %v", err, errLines)
			}
			found := false
			for _, f := range fs {
				found = found || strings.HasSuffix(f.RuleID, "dangerously-set-inner-html")
			}
			if !found {
				t.Errorf("the sink after the '&' was not scanned: %v", fs)
			}
		})
	}
}

// TestBlankBareAmpersands checks which '&' are blanked, and that nothing
// else moves.
func TestBlankBareAmpersands(t *testing.T) {
	src := "a && b &= c & d &amp; &#39; &#x27; R&D\nx & y\n"
	got, ok := blankBareAmpersands([]byte(src), []int{1})
	want := "a && b &= c   d &amp; &#39; &#x27; R D\nx & y\n"
	if !ok || string(got) != want {
		t.Errorf("got %q, %v; want %q", got, ok, want)
	}
	if _, ok := blankBareAmpersands([]byte("a && b\n"), []int{1}); ok {
		t.Error("'&&' blanked")
	}
}

// TestJSXRealErrorKept: a file with a real syntax error keeps reporting it.
func TestJSXRealErrorKept(t *testing.T) {
	_, errLines, _ := newTestScanner(t).scan(context.Background(), "a.jsx", []byte("export function A() {\n  return <p>Tom & Jerry</p>;\n}\nconst x = ;\n"))
	if len(errLines) != 1 || errLines[0] != 4 {
		t.Errorf("syntax errors on lines %v, want [4]", errLines)
	}
}
