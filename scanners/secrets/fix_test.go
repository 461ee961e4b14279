package secrets_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
)

// TestFix checks the one-click suggestion per language, and that none is
// offered where the lookup would not compile or the file is config.
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
		{"go const block", "main.go", `	ghToken = "` + tok + `"`, "package x\n\nconst (\n\tghToken = \"" + tok + "\"\n)\n", "", ""},
		{"go var block", "main.go", `	ghToken = "` + tok + `"`, "package x\n\nvar (\n\tghToken = \"" + tok + "\"\n)\n", `	ghToken = os.Getenv("GH_TOKEN")`, ""},
		{"go no content", "main.go", `	ghToken = "` + tok + `"`, "", "", ""},
		{"go rule name", "main.go", `	call("` + tok + `")`, "", `	call(os.Getenv("GITHUB_TOKEN"))`, ""},
		{"python", "app.py", `GITHUB_TOKEN = '` + tok + `'`, "", `GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]`, "import os"},
		{"python dict", "app.py", `    "auth_token": "` + tok + `",`, "", `    "auth_token": os.environ["AUTH_TOKEN"],`, ""},
		{"python bytes", "app.py", `token = b"` + tok + `"`, "", "", ""},
		{"js", "index.js", `const token = "` + tok + `";`, "", `const token = process.env.TOKEN;`, ""},
		{"ts", "index.ts", "const ghToken: string = `" + tok + "`;", "", `const ghToken: string = process.env.GH_TOKEN;`, "string | undefined"},
		{"java", "App.java", `    private static final String TOKEN = "` + tok + `";`, "", `    private static final String TOKEN = System.getenv("TOKEN");`, ""},
		{"java annotation", "App.java", `@Token(value = "` + tok + `")`, "", "", ""},
		{"kotlin const", "App.kt", `const val token = "` + tok + `"`, "", `val token = System.getenv("TOKEN")`, "String?"},
		{"ruby", "app.rb", `token = '` + tok + `'`, "", `token = ENV.fetch("TOKEN")`, ""},
		{"csharp", "App.cs", `var token = "` + tok + `";`, "", `var token = Environment.GetEnvironmentVariable("TOKEN");`, "using System"},
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
			in := &scanners.Input{Path: tc.path, Added: []scanners.Line{{Number: 7, Text: tc.line}}}
			if tc.content != "" {
				in.Content = []byte(tc.content)
				in.Added[0].Number = strings.Count(tc.content[:strings.Index(tc.content, tc.line)], "\n") + 1
			}
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
