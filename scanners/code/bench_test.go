package code_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// treeInputs reads up to limit bytes of files with the given extensions
// under root as wholly added files.
func treeInputs(b *testing.B, root string, exts []string, limit int) ([]*scanners.Input, int, int) {
	b.Helper()
	var ins []*scanners.Input
	total, nlines := 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return filepath.SkipAll
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		ok := false
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				ok = true
			}
		}
		if !ok {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 1<<20 {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		ls := lines(string(data))
		ins = append(ins, &scanners.Input{Path: filepath.ToSlash(rel), Added: ls, Content: data})
		total += len(data)
		nlines += len(ls)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if total == 0 {
		b.Skipf("no source under %s", root)
	}
	return ins, total, nlines
}

func benchScan(b *testing.B, ins []*scanners.Input, total, nlines int) {
	s, err := code.New()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range ins {
			if _, err := s.Scan(ctx, in); err != nil && !strings.Contains(err.Error(), "syntax error") {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(nlines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkScanGo measures the Go front-end and rules on 4 MB of Go's own
// standard library (real code, every line added).
func BenchmarkScanGo(b *testing.B) {
	//lint:ignore SA1019 Go's own source, read as a corpus on the machine the test was built on
	ins, total, n := treeInputs(b, filepath.Join(runtime.GOROOT(), "src"), []string{".go"}, 4<<20)
	benchScan(b, ins, total, n)
}

// BenchmarkScanPython and BenchmarkScanJavaScript measure the tree-sitter
// front-ends on the corpus's Python and JavaScript/TypeScript files
// (semgrep-rules' test targets: full corpus only, never copied).
func BenchmarkScanPython(b *testing.B) {
	ins, total, n := treeInputs(b, filepath.Join(scannertest.CorpusDir(b), "code", "semgrep-rules", "python"), []string{".py"}, 8<<20)
	benchScan(b, ins, total, n)
}

func BenchmarkScanJavaScript(b *testing.B) {
	ins, total, n := treeInputs(b, filepath.Join(scannertest.CorpusDir(b), "code", "semgrep-rules"),
		[]string{".js", ".jsx", ".ts", ".tsx"}, 8<<20)
	benchScan(b, ins, total, n)
}

// synthInputs makes files of typical request-handling code in a language:
// handlers that read input, build strings, call helpers and sinks, with
// enough distinct names that nothing is cached by repetition. For the
// languages the machine holds no real corpus of (Java, TypeScript), and
// where the corpus is absent.
func synthInputs(ext string, files, funcsPerFile int) ([]*scanners.Input, int, int) {
	var ins []*scanners.Input
	total, nlines := 0, 0
	for f := range files {
		var sb strings.Builder
		sb.WriteString(synthHead[ext])
		for i := range funcsPerFile {
			r := strings.NewReplacer("{F}", strconv.Itoa(f), "{I}", strconv.Itoa(i))
			sb.WriteString(r.Replace(synthFunc[ext]))
		}
		sb.WriteString(synthTail[ext])
		src := sb.String()
		name := "src/f" + strconv.Itoa(f) + ext
		if ext == ".java" {
			name = "src/F" + strconv.Itoa(f) + ".java"
			src = strings.ReplaceAll(src, "{F}", strconv.Itoa(f))
		}
		ls := lines(src)
		ins = append(ins, &scanners.Input{Path: name, Added: ls, Content: []byte(src)})
		total += len(src)
		nlines += len(ls)
	}
	return ins, total, nlines
}

var synthHead = map[string]string{
	".java": "package app;\n\nimport java.io.*;\nimport java.sql.*;\nimport java.util.*;\nimport javax.servlet.http.*;\nimport org.springframework.web.bind.annotation.*;\n\n@RestController\npublic class F{F} {\n  private final Connection db;\n  F{F}(Connection db) { this.db = db; }\n\n",
	".ts":   "import express, { Request, Response } from 'express';\nimport { exec } from 'child_process';\nimport * as fs from 'fs';\n\nconst router = express.Router();\ninterface Item { id: number; name: string; tags: string[] }\n\n",
}

var synthTail = map[string]string{".java": "}\n", ".ts": "export default router;\n"}

var synthFunc = map[string]string{
	".java": `  @GetMapping("/items/{I}")
  public String item{I}(@RequestParam String q, @RequestParam(defaultValue = "10") int limit) throws Exception {
    StringBuilder sb = new StringBuilder();
    List<String> names = new ArrayList<>();
    String sql = "SELECT id, name FROM items_{I} WHERE name LIKE ? LIMIT " + limit;
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, "%" + q + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString("name"));
        }
      }
    }
    for (String n : names) {
      if (n.length() > {I} % 7 + 3) {
        sb.append(n.trim()).append(',');
      } else {
        sb.append(n.toUpperCase());
      }
    }
    String report = helper{I}(q, names.size());
    Map<String, Object> m = new HashMap<>();
    m.put("count", names.size());
    m.put("report", report);
    return sb.toString() + m;
  }

  private String helper{I}(String label, int n) {
    String out = String.format("%s: %d items", label, n);
    if (n == 0) {
      return "none";
    }
    return out.replace("\n", " ");
  }

`,
	".ts": `router.get('/items/{I}', async (req: Request, res: Response) => {
  const q = String(req.query.q ?? '');
  const limit: number = Number(req.query.limit) || 10;
  const items: Item[] = [];
  for (let i = 0; i < limit; i++) {
    items.push({ id: i + {I}, name: q + '-' + i, tags: ['a', 'b'] });
  }
  const names = items.filter((it) => it.name.length > {I} % 5).map((it) => it.name.toUpperCase());
  const summary = summarize{I}(names, q);
  if (summary.length > 100) {
    res.status(413).json({ error: 'too long' });
    return;
  }
  exec('ls /srv/data', (err, out) => {
    res.json({ summary, out, count: names.length });
  });
});

function summarize{I}(names: string[], label: string): string {
  const parts = names.slice(0, 10).map((n, i) => ` + "`${i}:${n}`" + `);
  const text = fs.existsSync('/tmp/x{I}') ? 'cached' : parts.join(',');
  return label + ': ' + text;
}

`,
}

// BenchmarkScanJava and BenchmarkScanTypeScript measure the Java and
// TypeScript front-ends and rules on 4 MB of generated handler code
// (synthInputs).
func BenchmarkScanJava(b *testing.B) {
	ins, total, n := synthInputs(".java", 200, 12)
	benchScan(b, ins, total, n)
}

func BenchmarkScanTypeScript(b *testing.B) {
	ins, total, n := synthInputs(".ts", 200, 16)
	benchScan(b, ins, total, n)
}
