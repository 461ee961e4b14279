package secrets

import (
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/shiftward/shiftward/scanners"
)

// lang is what the fix needs to know about a source language: how to read
// an environment variable, which quotes delimit a string, and what else the
// author may need to change.
type lang struct {
	expr   func(name string) string
	quotes string
	note   string
	// refuse, when it matches the line, means the lookup would not compile
	// there (constant or property initialisers need constant expressions).
	refuse *regexp.Regexp
	// constToVar, when it matches, is replaced by its $1 + "var"-like
	// keyword so a single-line constant becomes a variable.
	constToVar  *regexp.Regexp
	constRepl   string
	ambiguousGo bool
}

var langs = map[string]*lang{
	".go": {
		expr:        func(n string) string { return `os.Getenv("` + n + `")` },
		quotes:      "\"`",
		note:        `Add "os" to the imports if it is not there.`,
		constToVar:  regexp.MustCompile(`^(\s*)const\b`),
		constRepl:   "${1}var",
		ambiguousGo: true,
	},
	".py": {
		expr:   func(n string) string { return `os.environ["` + n + `"]` },
		quotes: `"'`,
		note:   "Add `import os` at the top of the module if it is not there; the lookup raises KeyError when the variable is unset.",
	},
	".js": jsLang, ".mjs": jsLang, ".cjs": jsLang, ".jsx": jsLang,
	".ts": tsLang, ".tsx": tsLang, ".mts": tsLang, ".cts": tsLang,
	".java": {
		expr:   func(n string) string { return `System.getenv("` + n + `")` },
		quotes: `"`,
		note:   "The value is no longer a compile-time constant, so it cannot be used in annotations or switch labels.",
		refuse: regexp.MustCompile(`@\w+\s*\(`),
	},
	".kt": ktLang, ".kts": ktLang,
	".rb": {
		expr:   func(n string) string { return `ENV.fetch("` + n + `")` },
		quotes: `"'`,
		note:   "ENV.fetch raises KeyError when the variable is unset.",
	},
	".cs": {
		expr:   func(n string) string { return `Environment.GetEnvironmentVariable("` + n + `")` },
		quotes: `"`,
		note:   "Add `using System;` if it is not there; the result is null when the variable is unset.",
		refuse: regexp.MustCompile(`\bconst\b|^\s*\[`),
	},
	".php": {
		expr:   func(n string) string { return `getenv('` + n + `')` },
		quotes: `"'`,
		note:   "getenv returns false when the variable is unset.",
		// Property and constant initialisers must be constant expressions.
		refuse: regexp.MustCompile(`^\s*(?:(?:public|private|protected|var|static|readonly|final)\s+)+(?:\??[\w\\]+\s+)?\$|\bconst\b`),
	},
	".rs": {
		expr:   func(n string) string { return `std::env::var("` + n + `").expect("` + n + ` must be set")` },
		quotes: `"`,
		note:   "std::env::var returns a String, not a &'static str: where a &str is expected, borrow it (&value or value.as_str()).",
		refuse: regexp.MustCompile(`^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:const|static)\b`),
	},
	".sh": shLang, ".bash": shLang, ".zsh": shLang, ".ksh": shLang,
}

var jsLang = &lang{
	expr:   func(n string) string { return "process.env." + n },
	quotes: "\"'`",
	note:   "In browser bundles process.env is only filled in at build time; keep secrets out of client code entirely.",
}

var tsLang = &lang{
	expr:   func(n string) string { return "process.env." + n },
	quotes: "\"'`",
	note:   "process.env values are typed string | undefined: where a string is required, check the value or add a non-null assertion.",
}

var ktLang = &lang{
	expr:       func(n string) string { return `System.getenv("` + n + `")` },
	quotes:     `"`,
	note:       "System.getenv returns String? (null when unset): add `!!` or a default where a String is required.",
	constToVar: regexp.MustCompile(`\bconst\s+val\b`),
	constRepl:  "val",
	refuse:     regexp.MustCompile(`@\w+\s*\(`),
}

var shLang = &lang{
	expr:   func(n string) string { return `"${` + n + `}"` },
	quotes: `"'`,
	note:   "Export the variable from the environment or a secret store before the script runs.",
}

// goBareAssign matches a Go line `name = "..."` that may sit inside a
// const ( ... ) block, where os.Getenv would not compile.
var goBareAssign = regexp.MustCompile(`^\s*[A-Za-z_]\w*(?:\s+[\w.*\[\]]+)?\s*=\s*`)

// assignTails find the name assigned to by what precedes a literal:
// `token := `, `"api_key": `, `headers["X-Token"] = `, `cfg.Password = `,
// `password => `.
// Typed declarations are tried first so the type is not taken for the
// name: `token: string = ` (TypeScript, Kotlin, Rust), `var token string = ` (Go).
var assignTails = []*regexp.Regexp{
	regexp.MustCompile(`([A-Za-z_$][\w$]*)\??\s*:\s*[\w.<>\[\]|&' ]+?\s*=\s*$`),
	regexp.MustCompile(`\b(?:var|let|const|val)\s+([A-Za-z_][\w]*)\s+[\w.*\[\]]+\s*=\s*$`),
	regexp.MustCompile(`([A-Za-z_$][\w$\-]*)["'\]]*\s*(?::=|=>|=|:)\s*(?:[rRuUfF]?)$`),
}

// fixFor proposes replacing a quoted string literal that is exactly the
// secret with the language's environment lookup. It returns nil when the
// file is not a known source language or the replacement could break the
// code.
func fixFor(in *scanners.Input, r *rule, line scanners.Line, cs, ce int) *scanners.Fix {
	lg := langs[strings.ToLower(path.Ext(in.Path))]
	text := line.Text
	if lg == nil || cs < 1 || ce >= len(text) {
		return nil
	}
	q := text[cs-1]
	if text[ce] != q || !strings.ContainsRune(lg.quotes, rune(q)) {
		return nil
	}
	secret := text[cs:ce]
	if strings.ContainsAny(secret, "\\"+string(q)) || strings.ContainsAny(secret, "${}") && lg == shLang {
		return nil
	}
	// The opening quote must really open a literal: an even number of
	// such quotes before it.
	if strings.Count(text[:cs-1], string(q))%2 != 0 {
		return nil
	}
	litStart, litEnd := cs-1, ce+1
	if litStart > 0 {
		switch p := text[litStart-1]; {
		case p == 'b' || p == 'B':
			return nil // a bytes literal; the environment gives a str
		case unicode.IsLetter(rune(p)) || p == '@' || p == '$':
			if litStart > 1 && (isIdent(text[litStart-2])) {
				return nil
			}
			litStart--
		}
	}
	if lg.refuse != nil && lg.refuse.MatchString(text) {
		return nil
	}
	prefix, suffix := text[:litStart], text[litEnd:]
	if lg.constToVar != nil {
		prefix = lg.constToVar.ReplaceAllString(prefix, lg.constRepl)
	}
	if lg.ambiguousGo && !strings.Contains(prefix, ":=") && goBareAssign.MatchString(prefix) &&
		!strings.HasPrefix(strings.TrimSpace(prefix), "var ") && inGoConstBlock(in.Content, line.Number) {
		return nil
	}
	name := envNameFor(prefix, r)
	return &scanners.Fix{
		Description: "Read the value from the " + name + " environment variable instead of hard-coding it. " + lg.note +
			" Removing the literal does not remove it from git history: rotate the secret as well.",
		StartLine:   line.Number,
		EndLine:     line.Number,
		Replacement: prefix + lg.expr(name) + suffix,
	}
}

func isIdent(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// inGoConstBlock reports whether line lies inside a `const (` block of
// content. Without the file's content the answer is "maybe", so true.
func inGoConstBlock(content []byte, line int) bool {
	if content == nil {
		return true
	}
	lines := strings.Split(string(content), "\n")
	for i := min(line-2, len(lines)-1); i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(l, "const ("), strings.HasPrefix(l, "const("):
			return true
		case strings.HasPrefix(l, "var ("), strings.HasPrefix(l, "var("), l == ")", strings.HasPrefix(l, "func "):
			return false
		}
	}
	return false
}

// genericNames are assigned-to names too vague to name a variable after.
var genericNames = map[string]bool{"VALUE": true, "KEY": true, "DEFAULT": true, "DATA": true, "X": true, "S": true, "V": true}

// envNameFor derives an UPPER_SNAKE variable name from the assigned name
// before the literal, else from the rule.
func envNameFor(prefix string, r *rule) string {
	for _, re := range assignTails {
		if m := re.FindStringSubmatch(strings.TrimRight(prefix, " \t")); m != nil {
			if n := upperSnake(m[1]); len(n) >= 4 && !genericNames[n] {
				return n
			}
			break
		}
	}
	if r.envName != "" {
		return r.envName
	}
	for p, n := range ruleEnvNames {
		if strings.HasPrefix(r.id, p) {
			return n
		}
	}
	return upperSnake(r.id)
}

var ruleEnvNames = map[string]string{
	"github-": "GITHUB_TOKEN", "gitlab-": "GITLAB_TOKEN", "slack-": "SLACK_TOKEN", "aws-": "AWS_ACCESS_KEY_ID",
	"openai-": "OPENAI_API_KEY", "stripe-": "STRIPE_SECRET_KEY", "npm-": "NPM_TOKEN", "pypi-": "PYPI_TOKEN",
}

// upperSnake turns apiKey, api-key, X.Api.Key into API_KEY-style names.
func upperSnake(s string) string {
	var b strings.Builder
	prevLower := false
	for _, c := range s {
		switch {
		case unicode.IsUpper(c):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(c)
			prevLower = false
		case unicode.IsLower(c) || unicode.IsDigit(c):
			b.WriteRune(unicode.ToUpper(c))
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "_")
}
