package code

import "regexp"

// javaQualifiedName is a class named by its package in code
// (javax.xml.xpath.XPathFactory.newInstance()): a package of lower-case
// segments under a common root, then a capitalized class name.
var javaQualifiedName = regexp.MustCompile(`\b((?:java|javax|jakarta|org|com|net|io|android|dev)(?:\.[a-z_][a-z0-9_]*)+)\.([A-Z][A-Za-z0-9_]*)\b`)

// maxQualifiedNames bounds the qualified names taken from one file.
const maxQualifiedNames = 4096

// javaQualifiedImports records the classes a Java file names by their
// package, as an import of the class and of its package would: code that
// writes javax.naming.directory.DirContext in full uses the class as
// surely as code that imports it, and rules that ask for an import
// (Match.Imports) must see it.
func javaQualifiedImports(u *unit, src []byte) {
	for _, m := range javaQualifiedName.FindAllSubmatchIndex(src, maxQualifiedNames) {
		pkg := string(src[m[2]:m[3]])
		u.imports[pkg] = true
		u.imports[pkg+"."+string(src[m[4]:m[5]])] = true
	}
}
