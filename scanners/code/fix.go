package code

import (
	"strconv"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// fixCtx is what a fixer sees: the file, the site and the value that made
// the rule match.
type fixCtx struct {
	src  []byte
	li   lineIndex
	site *site
	val  value
	rule *Rule
	arg  string
	unit *unit
	// note, set by a fixer that declines, says why no fix is offered
	// (for the finding's message).
	note string
}

// A fixer returns a whole-line replacement that removes the finding, or nil
// when no deterministic fix applies to this instance. Rules name fixers as
// "name" or "name:argument" ("rename:sha256").
type fixer func(fc *fixCtx) *scanners.Fix

var fixers = map[string]fixer{
	"rename":            fixRename,
	"drop-pair":         fixDropPair,
	"drop-kwarg":        fixDropKwarg,
	"set-literal":       fixSetLiteral,
	"set-string":        fixSetString,
	"py-param-query":    fixPyParamQuery,
	"py-yaml-safe":      fixPyYAML,
	"go-param-query":    fixGoParamQuery,
	"go-exec-args":      fixGoExecArgs,
	"py-exec-args":      fixPyExecArgs,
	"py-sysrandom":      fixPySystemRandom,
	"js-crypto-random":  fixJSCryptoRandom,
	"java-securerandom": fixJavaSecureRandom,
	"py-secrets":        func(*fixCtx) *scanners.Fix { return nil },
}

// lookupFixer splits "name:arg".
func lookupFixer(spec string) (fixer, string) {
	name, arg, _ := strings.Cut(spec, ":")
	return fixers[name], arg
}

// replace builds a Fix that replaces src[start:end] with repl, as whole
// lines.
func (fc *fixCtx) replace(start, end int, repl, desc string) *scanners.Fix {
	if start < 0 || end > len(fc.src) || start > end {
		return nil
	}
	sl := fc.li.line(start)
	el := fc.li.line(max(start, end-1))
	if end > start && fc.src[end-1] == '\n' {
		el = fc.li.line(end - 1)
	}
	ls, _ := fc.li.bounds(fc.src, sl)
	_, le := fc.li.bounds(fc.src, el)
	if end > le {
		le = end
	}
	text := string(fc.src[ls:start]) + repl + string(fc.src[end:le])
	return &scanners.Fix{Description: desc, StartLine: sl, EndLine: el, Replacement: text}
}

// fixRename replaces the callee's (or member's) last name with the argument:
// hashlib.md5 → hashlib.sha256, yaml.load → yaml.safe_load, innerHTML →
// textContent.
func fixRename(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if s.nameEnd <= s.nameStart || fc.arg == "" {
		return nil
	}
	old := string(fc.src[s.nameStart:s.nameEnd])
	return fc.replace(s.nameStart, s.nameEnd, fc.arg, "Use `"+fc.arg+"` instead of `"+old+"`.")
}

// fixDropPair deletes a key/value pair that turns a protection off
// (InsecureSkipVerify: true), with its trailing comma.
func fixDropPair(fc *fixCtx) *scanners.Fix {
	s := fc.site
	start, end := s.start, s.end
	// Take a trailing comma and the spaces before the next token.
	for end < len(fc.src) && (fc.src[end] == ' ' || fc.src[end] == '\t') {
		end++
	}
	if end < len(fc.src) && fc.src[end] == ',' {
		end++
		for end < len(fc.src) && (fc.src[end] == ' ' || fc.src[end] == '\t') {
			end++
		}
	} else {
		// No trailing comma: take a leading one instead.
		j := start
		for j > 0 && (fc.src[j-1] == ' ' || fc.src[j-1] == '\t') {
			j--
		}
		if j > 0 && fc.src[j-1] == ',' {
			start = j - 1
		}
	}
	sl := fc.li.line(start)
	el := fc.li.line(max(start, end-1))
	ls, _ := fc.li.bounds(fc.src, sl)
	_, le := fc.li.bounds(fc.src, el)
	before := string(fc.src[ls:start])
	after := ""
	if end < le {
		after = string(fc.src[end:le])
	}
	desc := "Remove `" + snippet(fc.src, s.start, s.end) + "`: the default keeps the protection on."
	if rest := strings.TrimSpace(after); strings.HasPrefix(rest, "//") || strings.HasPrefix(rest, "#") {
		// A trailing comment explains the pair being removed: it goes too.
		after = ""
	}
	if strings.TrimSpace(before) == "" && strings.TrimSpace(after) == "" {
		// The pair has its own line(s): delete them.
		return &scanners.Fix{Description: desc, StartLine: sl, EndLine: el, Replacement: ""}
	}
	if strings.TrimSpace(after) == "" {
		before = strings.TrimRight(before, " \t")
	}
	return &scanners.Fix{Description: desc, StartLine: sl, EndLine: el, Replacement: before + after}
}

// fixDropKwarg deletes the keyword argument named by the fixer's argument
// (verify=False) from the call.
func fixDropKwarg(fc *fixCtx) *scanners.Fix {
	v, ok := fc.site.kwargs[fc.arg]
	if !ok || v.end <= v.start {
		return nil
	}
	// Find "name" "=" before the value.
	i := v.start
	for i > 0 && (fc.src[i-1] == ' ' || fc.src[i-1] == '=' || fc.src[i-1] == '\t') {
		i--
	}
	if i < len(fc.arg) || string(fc.src[i-len(fc.arg):i]) != fc.arg {
		return nil
	}
	sub := &site{start: i - len(fc.arg), end: v.end}
	return fixDropPair(&fixCtx{src: fc.src, li: fc.li, site: sub, val: v, rule: fc.rule})
}

// fixSetLiteral replaces the matched value with the fixer's argument
// (MinVersion: tls.VersionTLS12).
func fixSetLiteral(fc *fixCtx) *scanners.Fix {
	v := fc.val
	if v.end <= v.start || fc.arg == "" {
		return nil
	}
	repl := fc.arg
	if strings.HasPrefix(repl, ".") {
		// Keep the file's own qualifier: tls.VersionTLS10 → tls.VersionTLS12.
		old := string(fc.src[v.start:v.end])
		i := strings.LastIndexByte(old, '.')
		if i < 0 {
			return nil
		}
		repl = old[:i] + repl
	}
	return fc.replace(v.start, v.end, repl, "Use `"+repl+"`.")
}

// fixSetString replaces the content of the matched string literal, keeping
// its quotes: createHash('md5') → createHash('sha256').
func fixSetString(fc *fixCtx) *scanners.Fix {
	v := fc.val
	if v.end-v.start < 2 || fc.arg == "" || !v.isStr || v.t != constant {
		return nil
	}
	q := fc.src[v.start]
	if (q != '\'' && q != '"' && q != '`') || fc.src[v.end-1] != q {
		return nil
	}
	return fc.replace(v.start+1, v.end-1, fc.arg, "Use `"+fc.arg+"`.")
}

// fixPyYAML makes a PyYAML load safe: yaml.load(x) → yaml.safe_load(x), and
// an explicit unsafe Loader= → yaml.SafeLoader.
func fixPyYAML(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if l, ok := s.kwargs["Loader"]; ok {
		if l.end <= l.start {
			return nil
		}
		old := string(fc.src[l.start:l.end])
		i := strings.LastIndexByte(old, '.')
		if i < 0 {
			return nil
		}
		repl := old[:i] + ".SafeLoader"
		return fc.replace(l.start, l.end, repl, "Load with `"+repl+"`: it builds only plain data (dicts, lists, strings, numbers).")
	}
	if len(s.args) != 1 || len(s.kwargs) != 0 || s.nameEnd <= s.nameStart {
		return nil
	}
	name := string(fc.src[s.nameStart:s.nameEnd])
	var repl string
	switch name {
	case "load":
		repl = "safe_load"
	case "load_all":
		repl = "safe_load_all"
	default:
		return nil
	}
	return fc.replace(s.nameStart, s.nameEnd, repl, "Use `yaml."+repl+"`: it builds only plain data (dicts, lists, strings, numbers).")
}

// paramQuery rebuilds a query built by concatenation or formatting as a
// constant query with placeholders and the variable parts as parameters.
// It returns the new query literal (with quote) and the parameter
// expressions, or ok=false when the query cannot be rewritten safely: a
// constant that is not a literal written here, a literal with the quote
// character or (for %s placeholders) a percent sign in it.
func paramQuery(fc *fixCtx, v value, placeholder func(i int) string, quote byte) (string, []string, bool) {
	if v.parts == nil || v.t == constant {
		return "", nil, false
	}
	var b strings.Builder
	var params []string
	stripNext := false // an opening quote before the last value was dropped
	glue := false      // the last value was unquoted: the next text must not extend it
	for _, p := range v.parts {
		if p.expr {
			if p.start < v.start || p.end > v.end || p.end <= p.start || stripNext {
				return "", nil, false
			}
			// Drop the quotes the query put around the value: '" + x + "'.
			// Unquoted, it must stand where SQL wants a value: a
			// placeholder binds a value, never a table, column or
			// database name.
			if q := b.String(); strings.HasSuffix(q, "'") {
				b.Reset()
				b.WriteString(strings.TrimSuffix(q, "'"))
				stripNext = true
			} else if !sqlValueSlot(q) {
				fc.note = identifierNote
				return "", nil, false
			} else {
				glue = true
			}
			params = append(params, strings.TrimSpace(string(fc.src[p.start:p.end])))
			b.WriteString(placeholder(len(params)))
			continue
		}
		if !p.rawOK || strings.IndexByte(p.raw, quote) >= 0 || strings.ContainsAny(p.raw, "\n\r") ||
			strings.Contains(p.raw, "{{") || strings.Contains(p.raw, "}}") {
			return "", nil, false
		}
		if (p.start != 0 || p.end != 0) && (p.start < v.start || p.end > v.end) {
			return "", nil, false
		}
		raw := p.raw
		if glue && raw != "" && (isIdentPart(raw[0]) || raw[0] == '.') {
			// "... = " + x + "_old": the value is glued into a name.
			fc.note = identifierNote
			return "", nil, false
		}
		glue = false
		if stripNext {
			if !strings.HasPrefix(raw, "'") {
				return "", nil, false
			}
			raw = raw[1:]
			stripNext = false
		}
		if placeholder(1) == "%s" && strings.Contains(raw, "%") {
			return "", nil, false
		}
		b.WriteString(raw)
	}
	if stripNext {
		return "", nil, false
	}
	if len(params) == 0 {
		return "", nil, false
	}
	return string(quote) + b.String() + string(quote), params, true
}

// identifierNote says why a query built from strings gets no
// query-parameter fix.
const identifierNote = "No query-parameter fix is offered: placeholders bind values only, and here the value stands where SQL wants a name (a table, column or database) or a keyword. Check it against a fixed list of allowed names."

// sqlValueSlot reports whether a value placed right after the SQL text
// before stands where the grammar wants a value, so a placeholder may take
// its place: after a comparison (= <> < > <= >=), LIKE, LIMIT, OFFSET or
// BETWEEN, or in a VALUES (...) or IN (...) list. Anywhere else (after
// FROM, INTO, USE, SELECT, ORDER BY, a dot) it names something, and a
// placeholder there is a syntax error or, worse, a constant string.
func sqlValueSlot(before string) bool {
	t := strings.TrimRight(before, " \t\r\n")
	if t == "" {
		return false
	}
	switch t[len(t)-1] {
	case '=', '<', '>':
		return true
	case '(', ',':
		depth := 0
		for i := len(t) - 1; i >= 0; i-- {
			switch t[i] {
			case ')':
				depth++
			case '(':
				if depth == 0 {
					w := strings.ToUpper(lastSQLWord(t[:i]))
					return w == "VALUES" || w == "IN"
				}
				depth--
			}
		}
		return false
	}
	switch strings.ToUpper(lastSQLWord(t)) {
	case "LIKE", "ILIKE", "LIMIT", "OFFSET", "BETWEEN":
		return true
	}
	return false
}

// lastSQLWord is the last word of s (letters, digits, underscores), after
// trailing spaces.
func lastSQLWord(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	i := len(s)
	for i > 0 && isIdentPart(s[i-1]) {
		i--
	}
	return s[i:]
}

// fixPyParamQuery turns cursor.execute("..." + x) (or an f-string, % or
// .format query) into cursor.execute("... %s", (x,)), with the DB-API
// placeholder of the driver the file imports.
func fixPyParamQuery(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if len(s.args) != 1 || len(s.kwargs) != 0 || fc.unit == nil {
		return nil
	}
	ph := ""
	switch {
	case fc.unit.imports["sqlite3"]:
		ph = "?"
	case fc.unit.imports["psycopg2"], fc.unit.imports["psycopg"], fc.unit.imports["pymysql"], fc.unit.imports["MySQLdb"],
		fc.unit.imports["mysql.connector"], fc.unit.imports["pymssql"]:
		ph = "%s"
	default:
		return nil
	}
	v := s.args[0]
	q, params, ok := paramQuery(fc, v, func(int) string { return ph }, '"')
	if !ok {
		return nil
	}
	tuple := "(" + strings.Join(params, ", ") + ")"
	if len(params) == 1 {
		tuple = "(" + params[0] + ",)"
	}
	return fc.replace(v.start, v.end, q+", "+tuple,
		"Pass the values as query parameters: the driver sends them apart from the SQL, so they cannot change it.")
}

// fixGoParamQuery turns db.Query("..." + id) into db.Query("... ?", id),
// with the placeholder style of the driver the file imports ($1 for
// PostgreSQL drivers, ? for MySQL and SQLite).
func fixGoParamQuery(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if fc.unit == nil {
		return nil
	}
	var ph func(int) string
	for imp := range fc.unit.imports {
		switch {
		case strings.HasPrefix(imp, "github.com/lib/pq"), strings.HasPrefix(imp, "github.com/jackc/pgx"):
			ph = func(i int) string { return "$" + strconv.Itoa(i) }
		case strings.HasPrefix(imp, "github.com/go-sql-driver/mysql"), strings.HasPrefix(imp, "github.com/mattn/go-sqlite3"),
			strings.HasPrefix(imp, "modernc.org/sqlite"):
			ph = func(int) string { return "?" }
		}
	}
	if ph == nil {
		return nil
	}
	// The query must be the last argument: no parameters are passed yet.
	qi := -1
	for i, a := range s.args {
		if a.start == fc.val.start && a.end == fc.val.end {
			qi = i
		}
	}
	if qi < 0 || qi != len(s.args)-1 {
		return nil
	}
	q, params, ok := paramQuery(fc, fc.val, ph, '"')
	if !ok {
		return nil
	}
	return fc.replace(fc.val.start, fc.val.end, q+", "+strings.Join(params, ", "),
		"Pass the values as query parameters: the driver sends them apart from the SQL, so they cannot change it.")
}

// shellMeta are characters that make a shell command line more than a
// program and its words: with any of them the command cannot be rewritten as
// an argument list without changing what it does.
const shellMeta = "|&;<>()$`\\\"'*?[]#~=%{}!\n\r\t"

// argList splits a command line built from constant words and variables
// into argument expressions: "ping -c 1 " + host → "ping", "-c", "1", host.
// Each variable must be a whole word. quote renders a constant word.
func argList(fc *fixCtx, v value, quote func(string) string) ([]string, bool) {
	if v.parts == nil {
		return nil, false
	}
	var out []string
	glued := false // the previous piece ended inside a word
	for _, p := range v.parts {
		if p.expr {
			if glued || p.start < v.start || p.end > v.end || p.end <= p.start {
				return nil, false
			}
			out = append(out, strings.TrimSpace(string(fc.src[p.start:p.end])))
			glued = true
			continue
		}
		if !p.rawOK || strings.ContainsAny(p.raw, shellMeta) {
			return nil, false
		}
		if p.raw == "" {
			continue
		}
		if glued && p.raw[0] != ' ' {
			return nil, false
		}
		for _, w := range strings.Fields(p.raw) {
			out = append(out, quote(w))
		}
		glued = p.raw[len(p.raw)-1] != ' '
	}
	if len(out) < 2 {
		return nil, false
	}
	return out, true
}

// fixGoExecArgs turns exec.Command("sh", "-c", "ping -c 1 "+host) into
// exec.Command("ping", "-c", "1", host): no shell parses the input.
func fixGoExecArgs(fc *fixCtx) *scanners.Fix {
	s := fc.site
	first := 0
	if strings.HasSuffix(s.name, "CommandContext") {
		first = 1
	}
	if len(s.args) != first+3 || !shells[s.args[first].lit] || s.args[first+1].lit != "-c" {
		return nil
	}
	script := s.args[first+2]
	args, ok := argList(fc, script, strconv.Quote)
	if !ok {
		return nil
	}
	start := s.args[first].start
	return fc.replace(start, script.end, strings.Join(args, ", "),
		"Run the program directly with its arguments: no shell parses the input, so `;`, `|` or `$()` in it stay plain text.")
}

// fixPyExecArgs turns subprocess.run("ping -c 1 " + host, shell=True) into
// subprocess.run(["ping", "-c", "1", host]).
func fixPyExecArgs(fc *fixCtx) *scanners.Fix {
	s := fc.site
	sh, ok := s.kwargs["shell"]
	if !ok || len(s.args) != 1 || sh.end <= sh.start {
		return nil
	}
	cmd := s.args[0]
	args, ok := argList(fc, cmd, strconv.Quote)
	if !ok {
		return nil
	}
	// Replace the command, then drop ", shell=True".
	text := string(fc.src[s.start:s.end])
	rel := func(o int) int { return o - s.start }
	kwStart := strings.LastIndex(text[:rel(sh.start)], "shell")
	if kwStart < 0 || rel(cmd.end) > kwStart {
		return nil
	}
	between := text[rel(cmd.end):kwStart]
	if strings.TrimSpace(between) != "," {
		return nil
	}
	after := text[rel(sh.end):]
	newCall := text[:rel(cmd.start)] + "[" + strings.Join(args, ", ") + "]" + after
	return fc.replace(s.start, s.end, newCall,
		"Pass the program and its arguments as a list without `shell=True`: no shell parses the input.")
}

// fixPySystemRandom turns random.choice(x) into random.SystemRandom().choice(x):
// the same API backed by os.urandom, with no new import.
func fixPySystemRandom(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if s.nameStart <= s.start || s.nameEnd > s.end {
		return nil
	}
	recv := strings.TrimSuffix(string(fc.src[s.start:s.nameStart]), ".")
	if recv == "" || strings.ContainsAny(recv, "()[] ") || !strings.HasPrefix(s.name, "random.") {
		return nil
	}
	return fc.replace(s.start, s.nameStart, recv+".SystemRandom().",
		"Use `random.SystemRandom()`: the same methods, drawn from the operating system's secure generator.")
}

// fixJSCryptoRandom turns Math.random() into a float from the Web Crypto
// API (browsers and Node 19+).
func fixJSCryptoRandom(fc *fixCtx) *scanners.Fix {
	s := fc.site
	if strings.TrimSpace(string(fc.src[s.start:s.end])) != "Math.random()" {
		return nil
	}
	return fc.replace(s.start, s.end, "(crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32)",
		"Use the Web Crypto generator (`crypto.getRandomValues`), which is unpredictable.")
}

// fixJavaSecureRandom turns new Random() into new java.security.SecureRandom(),
// a drop-in subclass.
func fixJavaSecureRandom(fc *fixCtx) *scanners.Fix {
	s := fc.site
	text := string(fc.src[s.start:s.end])
	if !strings.HasPrefix(text, "new ") || (s.name != "java.util.Random" && s.name != "Random") {
		return nil
	}
	if s.nameEnd <= s.nameStart {
		return nil
	}
	return fc.replace(s.nameStart, s.nameEnd, "java.security.SecureRandom",
		"Use `java.security.SecureRandom`, a drop-in subclass of Random that cannot be predicted.")
}
