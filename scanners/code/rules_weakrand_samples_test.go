package code

import "github.com/shiftward/shiftward/scanners/scannertest"

// weakRandomSamples are the samples of weakRandomRules (rules_weakrand.go).
func weakRandomSamples() map[string][]scannertest.Sample {
	const cookieImports = "import javax.servlet.http.Cookie;\n"
	return map[string][]scannertest.Sample{
		"code/weak-random-secret-copy": {
			pos("a.js", jsFn("", "const n = Math.random() % 255;\nconst password = 'prefix' + n;\n")),
			pos("a.js", jsFn("", "const pw = Math.floor(Math.random() * 1e6);\nres.send({ secret: pw });\n")),
			pos("A.java", javaFn("import java.util.Random;\n", "Random r = new Random();\nlong v = r.nextLong();\nString password = \"p\" + v;\n")),
			pos("a.py", pyFn("import random", "n = random.randint(0, 10**6)\notp = n\n")),
			// A copy of what was already reported as a secret, a value
			// that is no secret, and the cryptographic generator.
			neg("a.js", jsFn("", "const secret1 = Math.random();\nconst secret2 = secret1;\n")),
			neg("a.js", jsFn("", "const n = Math.random() * 6;\nconst face = 1 + n;\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;\n", "SecureRandom r = new SecureRandom();\nlong v = r.nextLong();\nString password = \"p\" + v;\n")),
			neg("a.js", jsFn("", "const n = Math.random() > 0.5;\nconst token = n ? 'a' : 'b';\n")),
		},
		"code/weak-random-secret": {
			pos("a.py", pyFn("import random\nimport hashlib", "seed = random.getrandbits(64)\nreset_token = hashlib.sha256(str(seed).encode()).hexdigest()\n")),
			pos("A.java", javaFn("", "double value = Math.random();\nString rememberMeKey = Double.toString(value).substring(2);\n")),
			// The cryptographic generators.
			neg("a.py", pyFn("import secrets\nimport hashlib", "seed = secrets.randbits(64)\nreset_token = hashlib.sha256(str(seed).encode()).hexdigest()\n")),
			neg("A.java", javaFn("import java.security.SecureRandom;\n", "SecureRandom rnd = new SecureRandom();\nlong value = rnd.nextLong();\nString rememberMeKey = Long.toString(value);\n")),
			// A random value that is no secret.
			neg("a.py", pyFn("import random", "roll = random.randint(1, 6)\nlabel = str(roll)\n")),
		},
		"code/weak-random-secret-method": {
			pos("a.js", jsFn("", "const r = Math.random();\nconst apiKey = r.toString(36).slice(2);\n")),
			neg("a.js", jsFn("const crypto = require('crypto');", "const r = crypto.randomBytes(16);\nconst apiKey = r.toString('hex');\n")),
		},
		"code/weak-random-cookie": {
			pos("A.java", javaReq(cookieImports, "String v = Integer.toString(new java.util.Random().nextInt());\nresponse.addCookie(new Cookie(\"remember\", v));\n")),
			pos("a.py", pyFn("import random\nfrom flask import make_response", "resp = make_response('ok')\nsid = '%x' % random.getrandbits(128)\nresp.set_cookie('sid', sid)\nreturn resp\n")),
			pos("a.js", jsReq("", "const sid = Math.random().toString(36).substring(2);\nres.cookie('sid', sid, { httpOnly: true, secure: true });\n")),
			neg("A.java", javaReq(cookieImports+"import java.util.UUID;\n", "String v = UUID.randomUUID().toString();\nresponse.addCookie(new Cookie(\"remember\", v));\n")),
			neg("a.js", jsReq("const crypto = require('crypto');", "const sid = crypto.randomBytes(16).toString('hex');\nres.cookie('sid', sid, { httpOnly: true, secure: true });\n")),
			// A cookie whose value is no secret.
			neg("a.js", jsReq("", "res.cookie('theme', x, { httpOnly: true, secure: true });\n")),
		},
		"code/weak-random-session-store": {
			pos("a.py", pyFn("import random\nfrom flask import session", "session['remember'] = str(random.randint(100000, 999999))\n")),
			pos("a.js", jsReq("", "req.session.remember = Math.random().toString(36).slice(2);\n")),
			neg("a.py", pyFn("import secrets\nfrom flask import session", "session['otp'] = str(secrets.randbelow(1000000))\n")),
			neg("a.js", jsReq("", "req.session.theme = x;\n")),
		},
		"code/weak-random-session": {
			pos("A.java", javaReq("import java.util.Random;\n", "int code = new Random().nextInt(1000000);\nrequest.getSession().setAttribute(\"otp\", Integer.toString(code));\n")),
			neg("A.java", javaReq("import java.security.SecureRandom;\n", "int code = new SecureRandom().nextInt(1000000);\nrequest.getSession().setAttribute(\"otp\", Integer.toString(code));\n")),
		},
	}
}
