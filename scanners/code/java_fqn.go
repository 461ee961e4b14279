package code

import (
	"bytes"
	"regexp"
)

// javaPackageRoots are the first segments of the packages a class named by
// its package in code usually has (javax.xml.xpath.XPathFactory).
var javaPackageRoots = [][]byte{[]byte("java."), []byte("javax."), []byte("jakarta."), []byte("org."), []byte("com."),
	[]byte("net."), []byte("io."), []byte("android."), []byte("dev.")}

// javaQualifiedRest reads the rest of a qualified class name after its
// root: lower-case package segments, then a capitalized class name.
var javaQualifiedRest = regexp.MustCompile(`^((?:[a-z_][a-z0-9_]*\.)*)([A-Z][A-Za-z0-9_]*)`)

// maxQualifiedNames bounds the qualified names taken from one file, and
// maxQualifiedLen the length of one.
const (
	maxQualifiedNames = 4096
	maxQualifiedLen   = 256
)

// javaQualifiedImports records the classes a Java file names by their
// package, as an import of the class and of its package would: code that
// writes javax.naming.directory.DirContext in full uses the class as
// surely as code that imports it, and rules that ask for an import
// (Match.Imports) must see it. Each root is found with a byte search and
// only the text after it is matched, which keeps this linear in the file.
func javaQualifiedImports(u *unit, src []byte) {
	n := 0
	for _, root := range javaPackageRoots {
		for off := 0; n < maxQualifiedNames; {
			i := bytes.Index(src[off:], root)
			if i < 0 {
				break
			}
			at := off + i
			off = at + len(root)
			if at > 0 && isJavaIdentByte(src[at-1]) || at > 0 && src[at-1] == '.' {
				continue
			}
			rest := src[off:min(len(src), off+maxQualifiedLen)]
			m := javaQualifiedRest.FindSubmatchIndex(rest)
			if m == nil {
				continue
			}
			end := m[5]
			if end < len(rest) && isJavaIdentByte(rest[end]) {
				continue
			}
			pkg := string(root) + string(rest[:m[3]])
			pkg = pkg[:len(pkg)-1]
			u.imports[pkg] = true
			u.imports[pkg+"."+string(rest[m[4]:m[5]])] = true
			n++
		}
	}
}

func isJavaIdentByte(b byte) bool {
	return b == '_' || b == '$' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
