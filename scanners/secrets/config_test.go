package secrets_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/secrets"
)

func scanWith(t *testing.T, toml, path, text string) []string {
	t.Helper()
	cfg, err := secrets.ParseGitleaksConfig([]byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	s := newScanner(t, secrets.WithConfig(cfg))
	return ids(scan(t, s, textInput(path, text)))
}

func TestParseGitleaksConfig(t *testing.T) {
	const corpRule = `
[[rules]]
id = "corp-token"
description = "Corp internal token"
regex = '''\b(corp_[a-z0-9]{20})\b'''
keywords = ["corp_"]
`
	tok := "corp_a1b2c3d4e5f6g7h8i9j0"
	tests := []struct {
		name, toml, path, text string
		want                   []string
	}{
		{"own rule only", corpRule, "a.txt", "x = " + tok + "\ny = \"" + ghToken + "\"", []string{"secrets/corp-token 1-1"}},
		{"extend default", "[extend]\nuseDefault = true\n" + corpRule, "a.txt", "x = " + tok + "\ny = \"" + ghToken + "\"",
			[]string{"secrets/corp-token 1-1", "secrets/github-pat 2-2"}},
		{"disabled rule", "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\"]\n", "a.txt", "token = \"" + ghToken + "\"",
			[]string{"secrets/generic-api-key 1-1"}},
		{"no keywords: literal prefilter", `
[[rules]]
id = "corp-token"
regex = '''corp_[a-z0-9]{20}'''
`, "a.txt", "a\nx = " + tok, []string{"secrets/corp-token 2-2"}},
		{"no literal at all: whole-block rule", `
[[rules]]
id = "digits"
regex = '''\b[0-9]{12}\b'''
`, "a.txt", "a\nb 123456789012", []string{"secrets/digits 2-2"}},
		{"rule allowlist stopword", corpRule + `
[[rules.allowlists]]
stopwords = ["a1b2"]
`, "a.txt", "x = " + tok, []string{}},
		{"rule allowlist path", corpRule + `
[[rules.allowlists]]
paths = ['''^fixtures/''']
`, "fixtures/a.txt", "x = " + tok, []string{}},
		{"AND allowlist needs both", corpRule + `
[[rules.allowlists]]
condition = "AND"
paths = ['''^fixtures/''']
regexTarget = "line"
regexes = ['''EXAMPLE''']
`, "fixtures/a.txt", "x = " + tok + "\ny = " + strings.Replace(tok, "a1", "b1", 1) + " # EXAMPLE", []string{"secrets/corp-token 1-1"}},
		{"global allowlist targetRules", corpRule + `
[[allowlists]]
targetRules = ["corp-token"]
regexes = ['''a1b2''']
`, "a.txt", "x = " + tok, []string{}},
		{"global allowlist path", corpRule + `
[allowlist]
paths = ['''\.snap$''']
`, "x.snap", "x = " + tok, []string{}},
		{"path rule", `
[[rules]]
id = "keystore"
path = '''\.jks$'''
`, "certs/app.jks", "", []string{"secrets/keystore 1-1"}},
		{"path and regex", corpRule + `path = '''\.env$'''` + "\n", "prod.env", "x = " + tok, []string{"secrets/corp-token 1-1"}},
		{"path and regex, other path", corpRule + `path = '''\.env$'''` + "\n", "prod.txt", "x = " + tok, []string{}},
		{"secretGroup and entropy", `
[[rules]]
id = "kv"
regex = '''(key)=([a-z0-9]{8})'''
secretGroup = 2
entropy = 2.5
keywords = ["key="]
`, "a.txt", "key=aaaabbbb\nkey=a1b2c3d4", []string{"secrets/kv 2-2"}},
		{"gitleaks:allow", corpRule, "a.txt", "x = " + tok + " # gitleaks:allow", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := scanWith(t, tc.toml, tc.path, tc.text)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseGitleaksConfigErrors(t *testing.T) {
	bad := map[string]string{
		"toml syntax":      "[[rules]\nid=",
		"bad regex":        "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''",
		"no regex or path": "[[rules]]\nid = \"x\"",
		"no id":            "[[rules]]\nregex = 'x'",
		"secretGroup":      "[[rules]]\nid = \"x\"\nregex = '(a)'\nsecretGroup = 3",
		"extend path":      "[extend]\npath = \"/etc/passwd\"",
		"unknown target":   "[[rules]]\nid = \"x\"\nregex = 'x'\n[[allowlists]]\ntargetRules = [\"y\"]\nregexes = ['x']",
		"empty allowlist":  "[[rules]]\nid = \"x\"\nregex = 'x'\n[[rules.allowlists]]\ndescription = \"nothing\"",
		"bad condition":    "[[rules]]\nid = \"x\"\nregex = 'x'\n[[rules.allowlists]]\ncondition = \"XOR\"\nregexes = ['x']",
		"duplicate rule":   "[[rules]]\nid = \"x\"\nregex = 'x'\n[[rules]]\nid = \"x\"\nregex = 'y'",
		"huge regex":       "[[rules]]\nid = \"x\"\nregex = '" + strings.Repeat("a", 9000) + "'",
		"too large":        strings.Repeat("#", 1<<20+1),
	}
	for name, toml := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := secrets.ParseGitleaksConfig([]byte(toml))
			if !errors.Is(err, secrets.ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
		})
	}
}

func TestDefaultConfigRules(t *testing.T) {
	cfg, err := secrets.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	ids := cfg.Rules()
	if len(ids) < 222 {
		t.Errorf("%d rules, want gitleaks' 222 plus shiftward's", len(ids))
	}
	for _, id := range []string{"github-pat", "private-key", "generic-api-key", "password-assignment", "connection-string-password", "private-key-base64"} {
		if !slices.Contains(ids, id) {
			t.Errorf("rule %s missing", id)
		}
	}
}

func FuzzParseGitleaksConfig(f *testing.F) {
	f.Add("[extend]\nuseDefault = true\n[[rules]]\nid = \"x\"\nregex = '''x_[a-z]{4}'''\nkeywords = [\"x_\"]\n")
	f.Add("[[rules]]\nid = \"p\"\npath = '''\\.p12$'''\n[[allowlists]]\nregexes = ['a']\n")
	f.Fuzz(func(t *testing.T, toml string) {
		cfg, err := secrets.ParseGitleaksConfig([]byte(toml))
		if err != nil {
			return
		}
		s, err := secrets.New(secrets.WithConfig(cfg))
		if err != nil {
			t.Fatal(err)
		}
		in := textInput("a.txt", "x_abcd token = \"ghp_Zq8Lm3Xv7Rt2Kp9Wn4Bs6Jd1Fh5Gc0Ya2Ue7\"")
		if _, err := s.Scan(t.Context(), in); err != nil {
			t.Fatal(err)
		}
	})
}
