package secrets_test

import (
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// fileFor is the start of a file of path's language that has what the
// environment lookup needs: Go and Python import os, C# (App.cs) uses
// System.
func fileFor(p string) string {
	switch {
	case path.Ext(p) == ".go":
		return "package x\n\nimport \"os\"\n\n"
	case path.Ext(p) == ".py":
		return "import os\n\n"
	case p == "App.cs":
		return "using System;\n\n"
	}
	return ""
}

// TestFix checks the one-click suggestion per language, and that none is
// offered where the lookup would not compile or the file is config. The
// line is added to a file holding what the lookup needs (fileFor), or to
// content when the case gives it ("-": no content at all, so nothing can
// be checked and no fix is offered).
func TestFix(t *testing.T) {
	tok := ghToken
	tests := []struct {
		name, path, line string
		content          string // whole file, when the test needs it
		want             string // "" = no fix
		note             string // must appear in the description
	}{
		{"go short var", "main.go", `	token := "` + tok + `"`, "", `	token := os.Getenv("TOKEN")`, `"os"`},
		{"go const to var", "main.go", `const apiToken = "` + tok + `"`, "", `var apiToken = os.Getenv("API_TOKEN")`, ""},
		{"go typed var", "main.go", `var authToken string = "` + tok + `"`, "", `var authToken string = os.Getenv("AUTH_TOKEN")`, ""},
		{"go struct field", "main.go", `	cfg := Config{GitHubToken: "` + tok + `"}`, "", `	cfg := Config{GitHubToken: os.Getenv("GIT_HUB_TOKEN")}`, ""},
		{"go const block", "main.go", `	ghToken = "` + tok + `"`, "package x\n\nimport \"os\"\n\nconst (\n\tghToken = \"" + tok + "\"\n)\n", "", ""},
		{"go var block", "main.go", `	ghToken = "` + tok + `"`, "package x\n\nimport \"os\"\n\nvar (\n\tghToken = \"" + tok + "\"\n)\n", `	ghToken = os.Getenv("GH_TOKEN")`, ""},
		{"go no content", "main.go", `	ghToken = "` + tok + `"`, "-", "", ""},
		{"python no content", "app.py", `GITHUB_TOKEN = '` + tok + `'`, "-", "", ""},
		{"go rule name", "main.go", `	call("` + tok + `")`, "", `	call(os.Getenv("GITHUB_TOKEN"))`, ""},
		{"python", "app.py", `GITHUB_TOKEN = '` + tok + `'`, "", `GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]`, "KeyError"},
		{"python dict", "app.py", `    "auth_token": "` + tok + `",`, "", `    "auth_token": os.environ["AUTH_TOKEN"],`, ""},
		{"python bytes", "app.py", `token = b"` + tok + `"`, "", "", ""},
		{"js", "index.js", `const token = "` + tok + `";`, "", `const token = process.env.TOKEN;`, ""},
		{"ts", "index.ts", "const ghToken: string = `" + tok + "`;", "", `const ghToken: string = process.env.GH_TOKEN;`, "string | undefined"},
		{"java", "App.java", `    private static final String TOKEN = "` + tok + `";`, "", `    private static final String TOKEN = System.getenv("TOKEN");`, ""},
		{"java annotation", "App.java", `@Token(value = "` + tok + `")`, "", "", ""},
		{"kotlin const", "App.kt", `const val token = "` + tok + `"`, "", `val token = System.getenv("TOKEN")`, "String?"},
		{"ruby", "app.rb", `token = '` + tok + `'`, "", `token = ENV.fetch("TOKEN")`, ""},
		{"csharp", "App.cs", `var token = "` + tok + `";`, "", `var token = Environment.GetEnvironmentVariable("TOKEN");`, "using System"},
		{"csharp qualified", "Main.cs", `var token = "` + tok + `";`, "", `var token = System.Environment.GetEnvironmentVariable("TOKEN");`, ""},
		{"csharp const", "App.cs", `const string Token = "` + tok + `";`, "", "", ""},
		{"php", "app.php", `$token = '` + tok + `';`, "", `$token = getenv('TOKEN');`, ""},
		{"php property", "app.php", `    private $token = '` + tok + `';`, "", "", ""},
		{"rust", "main.rs", `    let token = "` + tok + `";`, "", `    let token = std::env::var("TOKEN").expect("TOKEN must be set");`, "&str"},
		{"rust const", "main.rs", `const TOKEN: &str = "` + tok + `";`, "", "", ""},
		{"shell", "deploy.sh", `TOKEN='` + tok + `'`, "", `TOKEN="${TOKEN}"`, ""},
		{"yaml", "ci.yml", `token: "` + tok + `"`, "", "", ""},
		{"json", "config.json", `{"token": "` + tok + `"}`, "", "", ""},
		{"literal holds more", "main.go", `	h := "Bearer ` + tok + `"`, "", "", ""},
		{"unquoted", "main.go", `	// token ` + tok, "", "", ""},
	}
	s := newScanner(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in *scanners.Input
			switch tc.content {
			case "-":
				in = &scanners.Input{Path: tc.path, Added: []scanners.Line{{Number: 7, Text: tc.line}}}
			case "":
				in = scannertest.Added(tc.path, []byte(fileFor(tc.path)+tc.line+"\n"))
			default:
				in = scannertest.Added(tc.path, []byte(tc.content))
			}
			in.Added = slices.DeleteFunc(in.Added, func(l scanners.Line) bool { return l.Text != tc.line })
			fs := scan(t, s, in)
			if len(fs) != 1 {
				t.Fatalf("want 1 finding, got %v", ids(fs))
			}
			f := fs[0]
			got := ""
			if f.Fix != nil {
				got = f.Fix.Replacement
				if f.Fix.StartLine != in.Added[0].Number || f.Fix.EndLine != in.Added[0].Number {
					t.Errorf("fix lines %d-%d, want %d", f.Fix.StartLine, f.Fix.EndLine, in.Added[0].Number)
				}
				if !strings.Contains(f.Fix.Description, tc.note) {
					t.Errorf("description %q lacks %q", f.Fix.Description, tc.note)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("replacement (-want +got):\n%s", d)
			}
		})
	}
}
