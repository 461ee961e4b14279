package secrets

import (
	"cmp"
	"context"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"slices"
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
	// grammar tells code from comments, strings and heredocs.
	grammar *grammar
	// missing, when set, says what the fixed file lacks for the lookup
	// to resolve (an import), or "" when it has it.
	missing func(path string, fixed []byte) string
}

var langs = map[string]*lang{
	".go": {
		expr:        func(n string) string { return `os.Getenv("` + n + `")` },
		quotes:      "\"`",
		note:        `The file imports "os".`,
		constToVar:  regexp.MustCompile(`^(\s*)const\b`),
		constRepl:   "${1}var",
		ambiguousGo: true,
		grammar:     goGrammar,
		missing:     goMissingOS,
	},
	".py": {
		expr:    func(n string) string { return `os.environ["` + n + `"]` },
		quotes:  `"'`,
		note:    "The lookup raises KeyError when the variable is unset.",
		grammar: pyGrammar,
		missing: pyMissingOS,
	},
	".js": jsLang, ".mjs": jsLang, ".cjs": jsLang, ".jsx": jsLang,
	".ts": tsLang, ".tsx": tsLang, ".mts": tsLang, ".cts": tsLang,
	".java": {
		expr:    func(n string) string { return `System.getenv("` + n + `")` },
		quotes:  `"`,
		note:    "The value is no longer a compile-time constant, so it cannot be used in annotations or switch labels.",
		refuse:  regexp.MustCompile(`@\w+\s*\(`),
		grammar: jvmGrammar,
	},
	".kt": ktLang, ".kts": ktLang,
	".rb": {
		expr:    func(n string) string { return `ENV.fetch("` + n + `")` },
		quotes:  `"'`,
		note:    "ENV.fetch raises KeyError when the variable is unset.",
		grammar: rbGrammar,
	},
	".cs": {
		expr:    func(n string) string { return `Environment.GetEnvironmentVariable("` + n + `")` },
		quotes:  `"`,
		note:    "The result is null when the variable is unset (without `using System;` the lookup is written System.Environment).",
		refuse:  regexp.MustCompile(`\bconst\b|^\s*\[`),
		grammar: cGrammar,
	},
	".php": {
		expr:   func(n string) string { return `getenv('` + n + `')` },
		quotes: `"'`,
		note:   "getenv returns false when the variable is unset.",
		// Property and constant initialisers must be constant expressions.
		refuse:  regexp.MustCompile(`^\s*(?:(?:public|private|protected|var|static|readonly|final)\s+)+(?:\??[\w\\]+\s+)?\$|\bconst\b`),
		grammar: phpGrammar,
	},
	".rs": {
		expr:    func(n string) string { return `std::env::var("` + n + `").expect("` + n + ` must be set")` },
		quotes:  `"`,
		note:    "std::env::var returns a String, not a &'static str: where a &str is expected, borrow it (&value or value.as_str()).",
		refuse:  regexp.MustCompile(`^\s*(?:pub(?:\([\w:]+\))?\s+)?(?:const|static)\b`),
		grammar: cGrammar,
	},
	".sh": shLang, ".bash": shLang, ".zsh": shLang, ".ksh": shLang,
}

var jsLang = &lang{
	expr:    func(n string) string { return "process.env." + n },
	quotes:  "\"'`",
	note:    "In browser bundles process.env is only filled in at build time; keep secrets out of client code entirely.",
	grammar: jsGrammar,
}

var tsLang = &lang{
	expr:    func(n string) string { return "process.env." + n },
	quotes:  "\"'`",
	note:    "process.env values are typed string | undefined: where a string is required, check the value or add a non-null assertion.",
	grammar: jsGrammar,
}

var ktLang = &lang{
	expr:       func(n string) string { return `System.getenv("` + n + `")` },
	quotes:     `"`,
	note:       "System.getenv returns String? (null when unset): add `!!` or a default where a String is required.",
	constToVar: regexp.MustCompile(`\bconst\s+val\b`),
	constRepl:  "val",
	refuse:     regexp.MustCompile(`@\w+\s*\(`),
	grammar:    jvmGrammar,
}

var shLang = &lang{
	expr:    func(n string) string { return `"${` + n + `}"` },
	quotes:  `"'`,
	note:    "Export the variable from the environment or a secret store before the script runs.",
	grammar: shGrammar,
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
// secret (text[cs:ce] of line) with the language's environment lookup, and
// returns the variable it reads. It returns nil when the file is not a
// known source language or the replacement could break the line; addFixes
// then checks the fix against the whole file.
func fixFor(in *scanners.Input, content []byte, lg *lang, r *rule, line scanners.Line, cs, ce int) (*scanners.Fix, string) {
	text := line.Text
	if lg == nil || cs < 1 || ce >= len(text) {
		return nil, ""
	}
	q := text[cs-1]
	if text[ce] != q || !strings.ContainsRune(lg.quotes, rune(q)) {
		return nil, ""
	}
	secret := text[cs:ce]
	if strings.ContainsAny(secret, "\\"+string(q)) || strings.ContainsAny(secret, "${}") && lg == shLang {
		return nil, ""
	}
	// The opening quote must really open a literal: an even number of
	// such quotes before it.
	if strings.Count(text[:cs-1], string(q))%2 != 0 {
		return nil, ""
	}
	litStart, litEnd := cs-1, ce+1
	if litStart > 0 {
		switch p := text[litStart-1]; {
		case p == 'b' || p == 'B':
			return nil, "" // a bytes literal; the environment gives a str
		case unicode.IsLetter(rune(p)) || p == '@' || p == '$':
			if litStart > 1 && (isIdent(text[litStart-2])) {
				return nil, ""
			}
			litStart--
		}
	}
	if lg.refuse != nil && lg.refuse.MatchString(text) {
		return nil, ""
	}
	prefix, suffix := text[:litStart], text[litEnd:]
	if lg.constToVar != nil {
		prefix = lg.constToVar.ReplaceAllString(prefix, lg.constRepl)
	}
	if lg.ambiguousGo && !strings.Contains(prefix, ":=") && goBareAssign.MatchString(prefix) &&
		!strings.HasPrefix(strings.TrimSpace(prefix), "var ") && inGoConstBlock(content, line.Number) {
		return nil, ""
	}
	name := envNameFor(prefix, r)
	expr := lg.expr(name)
	if lg == langs[".cs"] && !csUsingSystem.Match(content) {
		expr = "System." + expr
	}
	return &scanners.Fix{
		Description: "Read the value from the " + name + " environment variable instead of hard-coding it. " + lg.note +
			" Removing the literal does not remove it from git history: rotate the secret as well.",
		StartLine:   line.Number,
		EndLine:     line.Number,
		Replacement: prefix + expr + suffix,
	}, name
}

// csUsingSystem finds `using System;`, which lets C# name Environment
// unqualified.
var csUsingSystem = regexp.MustCompile(`(?m)^[ \t]*(?:global[ \t]+)?using[ \t]+System[ \t]*;`)

// maxFixChecks bounds the fixes checked (each costs a scan of the fixed
// line and a pass over the file) per file; findings past it get none.
const maxFixChecks = 16

// addFixes offers a fix on each finding of out that one can remove, and
// only where it is right: the literal is code (not in a comment, string or
// heredoc), no other secret in the file would be read from the same
// variable, and in the fixed file every name the lookup uses resolves
// (lang.missing) and the secret is no longer found. A finding whose fix
// fails a check other than the first says why in its message. Without
// the whole file (in.Content, or Added for a new file) nothing can be
// checked, so nothing is offered.
func (s *Scanner) addFixes(ctx context.Context, in *scanners.Input, out []scanners.Finding) {
	if len(out) == 0 {
		return
	}
	lg := langs[strings.ToLower(path.Ext(in.Path))]
	if lg == nil {
		return
	}
	content := in.Content
	if content == nil {
		content = in.ContentFromAdded()
	}
	if content == nil {
		return
	}
	type candidate struct {
		i    int
		fix  *scanners.Fix
		name string
		at   pos // the literal's opening quote
	}
	var cands []candidate
	for i := range out {
		f := &out[i]
		l := f.Location
		if l.StartLine != l.EndLine || l.StartColumn < 2 {
			continue
		}
		r := s.eng.rule(strings.TrimPrefix(f.RuleID, Name+"/"))
		line, ok := addedLine(in, l.StartLine)
		if r == nil || !ok || l.EndColumn > len(line.Text) {
			continue
		}
		if fix, name := fixFor(in, content, lg, r, line, l.StartColumn-1, l.EndColumn); fix != nil {
			cands = append(cands, candidate{i, fix, name, pos{line.Number, l.StartColumn - 2}})
		}
	}
	ps := make([]pos, len(cands))
	for k, c := range cands {
		ps[k] = c.at
	}
	slices.SortFunc(ps, func(a, b pos) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col)) })
	code := codeAt(lg.grammar, content, ps)
	isCode := func(p pos) bool {
		k, ok := slices.BinarySearchFunc(ps, p, func(a, b pos) int { return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col)) })
		return ok && code[k]
	}
	// The literals in code, and which secrets each variable would read.
	secretsOf := map[string]map[string]bool{}
	cands = slices.DeleteFunc(cands, func(c candidate) bool { return !isCode(c.at) })
	for _, c := range cands {
		if secretsOf[c.name] == nil {
			secretsOf[c.name] = map[string]bool{}
		}
		secretsOf[c.name][out[c.i].Identity] = true
	}
	for k, c := range cands {
		f := &out[c.i]
		if len(secretsOf[c.name]) > 1 {
			f.Message += " No one-click fix: another secret in this file would be read from " + c.name +
				" as well; give each its own variable."
			continue
		}
		if k >= maxFixChecks {
			continue
		}
		why := s.checkFix(ctx, in, content, lg, f, c.fix)
		if why != "" && lg == langs[".py"] && pyImportOS(lg, content, c.fix) {
			// The file lacks `import os`: the fix adds it (a fix of two
			// edits, described and committed by Apply fixes) if that
			// makes it right.
			if why = s.checkFix(ctx, in, content, lg, f, c.fix); why != "" {
				c.fix.Also = nil
			} else {
				c.fix.Description += " The fix also adds `import os` to the imports."
			}
		}
		if why != "" {
			f.Message += " No one-click fix: " + why
			continue
		}
		f.Fix = c.fix
	}
}

// checkFix applies fix to content and says what is wrong with the result,
// or "" when nothing is: the names the lookup uses resolve, and the
// secret of f is no longer found on the fixed line.
func (s *Scanner) checkFix(ctx context.Context, in *scanners.Input, content []byte, lg *lang, f *scanners.Finding, fix *scanners.Fix) string {
	fixed, err := scanners.ApplyFixes(content, []scanners.Fix{*fix})
	if err != nil {
		return "the change does not fit the file."
	}
	if lg.missing != nil {
		if why := lg.missing(in.Path, fixed); why != "" {
			return why
		}
	}
	moved := 0 // lines the fix's other edits insert above its own
	for _, e := range fix.Also {
		if e.Insert && e.StartLine < fix.StartLine {
			moved += strings.Count(e.Replacement, "\n") + 1
		}
	}
	again, err := s.scan(ctx, &scanners.Input{Path: in.Path, Content: fixed,
		Added: []scanners.Line{{Number: fix.StartLine + moved, Text: fix.Replacement}}})
	if err != nil {
		return "it could not be checked."
	}
	for _, g := range again {
		if g.Identity == f.Identity {
			return "the secret would still be in the line after the change."
		}
	}
	return ""
}

// addedLine is the added line number n of in.
func addedLine(in *scanners.Input, n int) (scanners.Line, bool) {
	i, ok := slices.BinarySearchFunc(in.Added, n, func(l scanners.Line, n int) int { return l.Number - n })
	if !ok {
		return scanners.Line{}, false
	}
	return in.Added[i], true
}

// goMissingOS says what a fixed Go file lacks for os.Getenv: an import of
// "os" under its own name (parsed with go/parser, imports only).
func goMissingOS(name string, fixed []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), name, fixed, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		return "the file's imports do not parse."
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"os"` && (imp.Name == nil || imp.Name.Name == "os") {
			return ""
		}
	}
	return `the file does not import "os": add it to the imports and read the value with os.Getenv.`
}

// pyImportOS gives a Python fix the `import os` its lookup needs, as an
// Also edit inserted on a line of its own: before the file's first
// module-level import (after any `from __future__` import, which must come
// first) or, in a file without imports, after its leading comments and
// blank lines (a shebang, an encoding line) unless a docstring starts
// there. The place must be code (not inside a string) and no lower than
// the line fixed, so os is bound before the lookup runs. It reports
// whether it added the edit; the caller checks the fix again, whole.
func pyImportOS(lg *lang, content []byte, fix *scanners.Fix) bool {
	lines := strings.SplitAfter(string(content), "\n")
	at := 0 // the line the import goes before
	for i, l := range lines {
		if i+1 >= fix.StartLine {
			break
		}
		if pyFirstImport.MatchString(l) && !pyFuture.MatchString(l) {
			at = i + 1
			break
		}
	}
	if at == 0 {
		if pyImport.Match(content) || pyFromImport.Match(content) {
			return false // the first import is not above the fixed line
		}
		at = 1
		for at < fix.StartLine {
			t := strings.TrimSpace(lines[at-1])
			if t != "" && !strings.HasPrefix(t, "#") {
				break
			}
			at++
		}
		if pyStringStart.MatchString(strings.TrimSpace(lines[at-1])) {
			return false
		}
	}
	if code := codeAt(lg.grammar, content, []pos{{at, 0}}); !code[0] {
		return false
	}
	fix.Also = []scanners.Edit{scanners.InsertAfter(at-1, "import os")}
	return true
}

var (
	pyFirstImport = regexp.MustCompile(`^(?:import|from)[ \t]`)
	pyFuture      = regexp.MustCompile(`^from[ \t]+__future__[ \t]`)
	pyFromImport  = regexp.MustCompile(`(?m)^from[ \t]`)
	// pyStringStart is a line that opens a string (a docstring).
	pyStringStart = regexp.MustCompile(`^[rRbBuUfF]{0,2}["']`)
)

// pyImport finds a module-level import statement's list of modules.
var pyImport = regexp.MustCompile(`(?m)^import[ \t]+([^#\n;]+)`)

// pyMissingOS says what a fixed Python file lacks for os.environ: a
// module-level `import os` (or `import os.path`, which binds os too).
func pyMissingOS(_ string, fixed []byte) string {
	for _, m := range pyImport.FindAllSubmatch(fixed, -1) {
		for part := range strings.SplitSeq(string(m[1]), ",") {
			f := strings.Fields(part)
			if len(f) == 1 && (f[0] == "os" || strings.HasPrefix(f[0], "os.")) || len(f) == 3 && f[0] == "os" && f[1] == "as" && f[2] == "os" {
				return ""
			}
		}
	}
	return "the module does not `import os`: add it at the top, then read the value with os.environ[\"NAME\"]."
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
