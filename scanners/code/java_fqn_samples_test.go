package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// javaQualifiedSamples are samples of rules that ask for an import, in code
// that names the classes by their package instead (java_fqn.go).
func javaQualifiedSamples() map[string][]scannertest.Sample {
	return map[string][]scannertest.Sample{
		"code/java-xpathi": {
			pos("A.java", javaReq("", "javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();\nString r = xp.evaluate(\"/users/user[@name='\" + x + \"']\", doc);\n")),
		},
		"code/java-ldapi": {
			pos("A.java", javaReq("", "javax.naming.directory.DirContext ctx = new javax.naming.directory.InitialDirContext(env);\nctx.search(\"ou=users\", \"(uid=\" + x + \")\", new javax.naming.directory.SearchControls());\n")),
		},
		"code/java-cookie-insecure": {
			pos("A.java", javaReq("", "javax.servlet.http.Cookie c = new javax.servlet.http.Cookie(\"sid\", \"v\");\nc.setSecure(false);\nresponse.addCookie(c);\n")),
			// A class of another package named like a cookie.
			neg("A.java", javaReq("", "com.example.Cookie c = new com.example.Cookie();\nc.setSecure(false);\n")),
		},
	}
}
