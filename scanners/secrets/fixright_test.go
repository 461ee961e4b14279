package secrets_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestFixesAreRight: a fix is offered only when, applied to the file, every
// name it uses is defined or imported and the finding is gone when the
// result is scanned again; never inside a comment, string or heredoc; and
// never two different secrets onto one variable. Each case is a whole
// file added; want is the fixed file, or "" for no fix (then the finding's
// message must contain note).
func TestFixesAreRight(t *testing.T) {
	tok := ghToken
	tests := []struct {
		name, path, content, want, note string
	}{
		// Names the fix uses must be imported.
		// Without `import os`, the fix adds it (a second edit: no
		// one-click suggestion, see TestPythonFixAddsImportOS).
		{"python without import os", "app.py", "import sys\nGITHUB_TOKEN = '" + tok + "'\n", "import os\nimport sys\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n", ""},
		{"python with import os", "app.py", "import os\nGITHUB_TOKEN = '" + tok + "'\n", "import os\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n", ""},
		{"python import os.path", "app.py", "import os.path, sys\nGITHUB_TOKEN = '" + tok + "'\n", "import os.path, sys\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n", ""},
		{"python os imported under another name", "app.py", "import os as o\nGITHUB_TOKEN = '" + tok + "'\n", "import os\nimport os as o\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n", ""},
		{"python from os import", "app.py", "from os import environ\nGITHUB_TOKEN = '" + tok + "'\n", "import os\nfrom os import environ\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n", ""},
		{"go without os", "main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\ttoken := \"" + tok + "\"\n\tfmt.Println(token)\n}\n", "", `"os"`},
		{"go with os", "main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\ttoken := \"" + tok + "\"\n\tfmt.Println(token, os.Args)\n}\n",
			"package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\ttoken := os.Getenv(\"TOKEN\")\n\tfmt.Println(token, os.Args)\n}\n", ""},
		{"csharp without using System", "App.cs", "class A {\n    void F() { var token = \"" + tok + "\"; }\n}\n",
			"class A {\n    void F() { var token = System.Environment.GetEnvironmentVariable(\"TOKEN\"); }\n}\n", ""},
		{"csharp with using System", "App.cs", "using System;\nclass A {\n    void F() { var token = \"" + tok + "\"; }\n}\n",
			"using System;\nclass A {\n    void F() { var token = Environment.GetEnvironmentVariable(\"TOKEN\"); }\n}\n", ""},
		{"java needs nothing", "App.java", "class A {\n    String token = \"" + tok + "\";\n}\n", "class A {\n    String token = System.getenv(\"TOKEN\");\n}\n", ""},
		{"ruby needs nothing", "app.rb", "token = '" + tok + "'\n", "token = ENV.fetch(\"TOKEN\")\n", ""},

		// Never inside a comment, string or heredoc.
		{"python comment", "app.py", "import os\n# GITHUB_TOKEN = '" + tok + "'\n", "", ""},
		{"python docstring", "app.py", "import os\n\"\"\"Example:\nGITHUB_TOKEN = '" + tok + "'\n\"\"\"\n", "", ""},
		{"go line comment", "main.go", "package main\n\nimport \"os\"\n\n// token := \"" + tok + "\"\nvar _ = os.Args\n", "", ""},
		{"go block comment", "main.go", "package main\n\nimport \"os\"\n\n/*\n\ttoken := \"" + tok + "\"\n*/\nvar _ = os.Args\n", "", ""},
		{"go raw string", "main.go", "package main\n\nimport \"os\"\n\nvar doc = `\ntoken := \"" + tok + "\"\n`\nvar _ = os.Args\n", "", ""},
		{"js comment after code", "index.js", "const a = 1; // const token = '" + tok + "';\n", "", ""},
		{"js template literal", "index.js", "const doc = `\nconst token = '" + tok + "';\n`;\n", "", ""},
		{"shell comment", "deploy.sh", "#!/bin/sh\n# TOKEN='" + tok + "'\n", "", ""},
		{"shell heredoc", "deploy.sh", "#!/bin/sh\ncat > .env <<EOF\nTOKEN='" + tok + "'\nEOF\n", "", ""},
		{"ruby heredoc", "app.rb", "doc = <<~EOS\n  token = '" + tok + "'\nEOS\n", "", ""},
		{"php heredoc", "app.php", "<?php\n$doc = <<<EOT\n$token = '" + tok + "';\nEOT;\n", "", ""},
		{"php hash comment", "app.php", "<?php\n# $token = '" + tok + "';\n", "", ""},
		{"shell code after heredoc", "deploy.sh", "#!/bin/sh\ncat <<'EOF'\nhello\nEOF\nTOKEN='" + tok + "'\n", "#!/bin/sh\ncat <<'EOF'\nhello\nEOF\nTOKEN=\"${TOKEN}\"\n", ""},
	}
	s := newScanner(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := scan(t, s, scannertest.Added(tc.path, []byte(tc.content)))
			if len(fs) != 1 {
				t.Fatalf("want 1 finding, got %v", ids(fs))
			}
			f := fs[0]
			got := ""
			if f.Fix != nil {
				b, err := scanners.ApplyFixes([]byte(tc.content), []scanners.Fix{*f.Fix})
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if got != tc.want {
				t.Errorf("fixed file:\n%s\nwant:\n%s", got, tc.want)
			}
			if tc.want == "" && !strings.Contains(f.Message, tc.note) {
				t.Errorf("message %q lacks %q", f.Message, tc.note)
			}
		})
	}
}

// TestFixNamesDistinct: two different secrets that would be read from one
// environment variable get no fix; the same secret twice may.
func TestFixNamesDistinct(t *testing.T) {
	s := newScanner(t)
	two := "import os\ndb = connect(password=\"Xk9#mm2qz\")\ncache = connect(password=\"Zq8!xp2Lw\")\n"
	fs := scan(t, s, scannertest.Added("app.py", []byte(two)))
	if len(fs) != 2 {
		t.Fatalf("want 2 findings, got %v", ids(fs))
	}
	for _, f := range fs {
		if f.Fix != nil {
			t.Errorf("line %d: fix %q offered, but the other password would read the same variable", f.Location.StartLine, f.Fix.Replacement)
		}
		if !strings.Contains(f.Message, "PASSWORD") {
			t.Errorf("line %d: message %q does not say which name collides", f.Location.StartLine, f.Message)
		}
	}
	same := "import os\ndb = connect(password=\"Xk9#mm2qz\")\nreplica = connect(password=\"Xk9#mm2qz\")\n"
	fs = scan(t, s, scannertest.Added("app.py", []byte(same)))
	if len(fs) != 2 {
		t.Fatalf("want 2 findings, got %v", ids(fs))
	}
	var fixes []scanners.Fix
	for _, f := range fs {
		if f.Fix == nil {
			t.Fatalf("line %d: no fix for the one password read from one variable", f.Location.StartLine)
		}
		fixes = append(fixes, *f.Fix)
	}
	b, err := scanners.ApplyFixes([]byte(same), fixes)
	if err != nil {
		t.Fatal(err)
	}
	if want := "import os\ndb = connect(password=os.environ[\"PASSWORD\"])\nreplica = connect(password=os.environ[\"PASSWORD\"])\n"; string(b) != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", b, want)
	}
}

// TestPythonFixAddsImportOS: a Python file without `import os` gets a fix
// of two edits, the lookup and `import os` on a line of its own where it is
// bound before the lookup runs: before the first import (after `from
// __future__`), or after a file's leading comments. Where no such place is
// sure (a docstring first, the import below the secret, a docstring that
// reads like an import), no fix is offered and the message says to import
// os.
func TestPythonFixAddsImportOS(t *testing.T) {
	tok := ghToken
	lookup := "GITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\n"
	tests := []struct {
		name, content, want string
	}{
		{"before the first import", "import sys\nimport json\nGITHUB_TOKEN = '" + tok + "'\n", "import os\nimport sys\nimport json\n" + lookup},
		{"after from __future__", "from __future__ import annotations\nimport sys\nGITHUB_TOKEN = '" + tok + "'\n",
			"from __future__ import annotations\nimport os\nimport sys\n" + lookup},
		{"no imports: after the shebang and encoding", "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n\nGITHUB_TOKEN = '" + tok + "'\n",
			"#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n\nimport os\n" + lookup},
		{"no imports at all", "GITHUB_TOKEN = '" + tok + "'\n", "import os\n" + lookup},
		{"no imports, a docstring first", "\"\"\"Settings.\"\"\"\nGITHUB_TOKEN = '" + tok + "'\n", ""},
		{"the only import below the secret", "GITHUB_TOKEN = '" + tok + "'\nimport sys\n", ""},
		{"an import-like line in a docstring", "\"\"\"\nimport this\n\"\"\"\nGITHUB_TOKEN = '" + tok + "'\n", ""},
	}
	s := newScanner(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := scan(t, s, scannertest.Added("app.py", []byte(tc.content)))
			if len(fs) != 1 {
				t.Fatalf("want 1 finding, got %v", ids(fs))
			}
			f := fs[0]
			if tc.want == "" {
				if f.Fix != nil {
					t.Errorf("fix offered: %+v", f.Fix)
				}
				if !strings.Contains(f.Message, "import os") {
					t.Errorf("message %q does not say to import os", f.Message)
				}
				return
			}
			if f.Fix == nil {
				t.Fatalf("no fix; message %q", f.Message)
			}
			if f.Fix.Inline() || !strings.Contains(f.Fix.Description, "adds `import os`") {
				t.Errorf("fix %+v: want two edits, described as adding import os", f.Fix)
			}
			b, err := scanners.ApplyFixes([]byte(tc.content), []scanners.Fix{*f.Fix})
			if err != nil || string(b) != tc.want {
				t.Errorf("fixed file %v:\n%s\nwant:\n%s", err, b, tc.want)
			}
		})
	}
}
