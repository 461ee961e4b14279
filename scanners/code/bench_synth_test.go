package code_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// synthFile writes n handler/helper pairs in lang: each handler reads
// input and hands it to a helper that builds a query or command, the
// shape the interprocedural analysis follows, plus constant-only callers.
func synthFile(lang string, n int) (string, string) {
	var b strings.Builder
	switch lang {
	case "python":
		b.WriteString("from flask import request\nimport os\n\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "def helper%d(cur, q):\n    s = \"SELECT * FROM t WHERE a = '\" + q + \"'\"\n    cur.execute(s)\n    return len(s)\n\n", i)
			fmt.Fprintf(&b, "@app.route('/r%d')\ndef view%d():\n    q = request.args.get('q')\n    x = q.strip().lower()\n    helper%d(db.cursor(), x)\n    helper%d(db.cursor(), 'const')\n    return 'ok'\n\n", i, i, i, i)
		}
		return "app.py", b.String()
	case "javascript":
		b.WriteString("const cp = require('child_process');\n\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "function helper%d(cmd) {\n  const c = 'ls ' + cmd;\n  return cp.exec(c);\n}\n\n", i)
			fmt.Fprintf(&b, "app.get('/r%d', (req, res) => {\n  const q = req.query.cmd;\n  helper%d(q);\n  helper%d('x');\n  res.send('ok');\n});\n\n", i, i, i)
		}
		return "app.js", b.String()
	case "java":
		b.WriteString("import java.net.URL;\n\nclass C {\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  String helper%d(String u) throws Exception {\n    URL url = new URL(\"http://\" + u);\n    return url.openConnection().toString();\n  }\n\n", i)
			fmt.Fprintf(&b, "  @GetMapping(\"/r%d\")\n  String view%d(@RequestParam String u) throws Exception {\n    String v = u.trim();\n    helper%d(v);\n    return helper%d(\"x\");\n  }\n\n", i, i, i, i)
		}
		b.WriteString("}\n")
		return "C.java", b.String()
	}
	return "", ""
}

func BenchmarkScanSynth(b *testing.B) {
	for _, lang := range []string{"python", "javascript", "java"} {
		b.Run(lang, func(b *testing.B) {
			p, src := synthFile(lang, 400)
			ls := lines(src)
			ins := []*scanners.Input{{Path: p, Added: ls, Content: []byte(src)}}
			benchScan(b, ins, len(src), len(ls))
		})
	}
}
