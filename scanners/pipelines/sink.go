package pipelines

import (
	"fmt"
	"regexp"
	"strings"
)

// sinkKind says what a shell script does with the text around a point: a
// plain word or an argument taken as data (sinkNone), or text that is
// evaluated or emitted as code. Moving an untrusted ${{ }} expression into
// env: and writing $VAR in its place is right only for sinkNone: anywhere
// else the shell expands $VAR into the same code the expression was pasted
// into, and the injection stays.
type sinkKind int

const (
	sinkNone sinkKind = iota
	// sinkEval: an argument of eval, sh -c, an interpreter's -c/-e, ssh's
	// remote command, a sed/awk/jq program, or text piped into a shell.
	sinkEval
	// sinkWorkflowCommand: a line printed as a workflow command
	// (echo "::set-output ...").
	sinkWorkflowCommand
	// sinkEnvFile: a line written to $GITHUB_ENV or $GITHUB_PATH, which the
	// runner reads as definitions for every later step.
	sinkEnvFile
	// sinkHeredoc: a heredoc body, expanded without word quoting and often
	// written to a script or a file read as code.
	sinkHeredoc
)

// sink is where an offset of a script sits; cmd names the command for
// sinkEval ("bash -c", "eval").
type sink struct {
	kind sinkKind
	cmd  string
}

// maxSinkScript bounds the script a view analyses; past it every offset is
// treated as evaluated (no fix), which costs a suggestion, never a wrong one.
const maxSinkScript = 64 << 10

// cmdLead is what may precede a command's name: a line start, a blank or an
// operator.
const cmdLead = `(?:^|[\s;&|({` + "`" + `])`

// evalCmdGH matches a command that parses one of its arguments as code.
var evalCmdGH = regexp.MustCompile(cmdLead + `(` +
	`eval|(?:ba|z|da|k|a)?sh(?:\s+-[A-Za-z]+)*\s+-c|python[0-9.]*(?:\s+-[A-Za-z]+)*\s+-c|` +
	`node(?:\s+-[A-Za-z-]+)*\s+(?:-e|--eval|-p|--print)|perl(?:\s+-[A-Za-z]+)*\s+-[A-Za-z]*[eE]|` +
	`ruby(?:\s+-[A-Za-z]+)*\s+-e|php\s+-r|(?:pwsh|powershell)(?:\.exe)?(?:\s+-[A-Za-z]+)*\s+-(?i:c(?:ommand)?)|` +
	`ssh|sed|g?awk|mawk|jq|yq)(?:\s|$)|` + cmdLead + `((?:source|\.)\s+<\()`)

// pipedToInterpreter matches the rest of a pipeline that feeds its input to
// a shell, an interpreter or xargs.
var pipedToInterpreter = regexp.MustCompile(`^\s*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr/bin/|/bin/)?` +
	`(?:xargs|(?:ba|z|da|k|a)?sh|python[0-9.]*|node|perl|ruby|php|pwsh|powershell)(?:\s|$)`)

// workflowCommand matches a print command whose text starts a workflow
// command ("::set-output", "::notice::").
var workflowCommand = regexp.MustCompile(`^\s*(?:sudo\s+)?(?:echo|printf)\b[^\n]*?(?:^|[\s"'])::[A-Za-z][A-Za-z-]*`)

// envFileName matches the runner files whose lines define later steps.
var envFileName = regexp.MustCompile(`\bGITHUB_(?:ENV|PATH)\b`)

// groupToEnvFile matches the end of a group or loop whose output goes to
// $GITHUB_ENV or $GITHUB_PATH ("} >> "$GITHUB_ENV"").
var groupToEnvFile = regexp.MustCompile(`(?m)^\s*(?:\}|\)|done)\s*[^\n]*>\s*"?\$\{?GITHUB_(?:ENV|PATH)\b`)

// heredocStart matches a heredoc operator and its delimiter (not "<<<").
var heredocStart = regexp.MustCompile(`<<(-?)\s*(?:'([^'\n]+)'|"([^"\n]+)"|\\?([A-Za-z0-9_.-]+))`)

// scriptView is a shell script (a run: value) read for what it does with
// each offset: its ${{ }} expressions masked as opaque words (GitHub pastes
// a value there; quotes inside an expression are not the shell's), heredoc
// bodies found and blanked, and the quote state of every byte of the rest.
type scriptView struct {
	masked   string
	q        []quoteState
	body     []bool // in a heredoc body, the delimiter line included
	groupEnv bool   // some group or loop writes to $GITHUB_ENV/$GITHUB_PATH
}

// viewScript reads script; nil when it is too long to follow.
func viewScript(script string) *scriptView {
	if len(script) > maxSinkScript {
		return nil
	}
	b := []byte(script)
	for _, e := range findExprs(script) {
		for i := e.start; i < e.end; i++ {
			if b[i] != '\n' {
				b[i] = 'x'
			}
		}
	}
	body := heredocBodies(string(b))
	for i, in := range body {
		if in && b[i] != '\n' {
			b[i] = ' '
		}
	}
	ms := string(b)
	return &scriptView{masked: ms, q: shellQuotes(ms), body: body, groupEnv: groupToEnvFile.MatchString(ms)}
}

// heredocBodies returns, for each byte of script, whether it lies in a
// heredoc body (the delimiter line included). An unterminated body runs to
// the end of the script.
func heredocBodies(script string) []bool {
	body := make([]bool, len(script))
	var pending []heredoc
	state := unquoted
	for off := 0; off < len(script); {
		end := strings.IndexByte(script[off:], '\n')
		if end < 0 {
			end = len(script)
		} else {
			end += off
		}
		line := script[off:end]
		if len(pending) > 0 {
			for i := off; i < min(end+1, len(script)); i++ {
				body[i] = true
			}
			if strings.TrimSpace(line) == pending[0].delim {
				pending = pending[1:]
			}
			off = end + 1
			continue
		}
		q := quoteScan(line, state)
		for _, m := range heredocStart.FindAllStringSubmatchIndex(line, -1) {
			if q[m[0]] != unquoted || (m[0] > 0 && line[m[0]-1] == '<') || line[m[0]+2] == '<' {
				continue
			}
			d := ""
			for g := 4; g < 10; g += 2 {
				if m[g] >= 0 {
					d = line[m[g]:m[g+1]]
				}
			}
			pending = append(pending, heredoc{delim: d})
		}
		state = q[len(line)]
		off = end + 1
	}
	return body
}

type heredoc struct{ delim string }

// sinkAt says what the script does with the text at offset o; a nil view
// (a script too long to follow) evaluates everything.
func (v *scriptView) sinkAt(o int) sink {
	if v == nil || o < 0 || o >= len(v.masked) {
		return sink{kind: sinkEval, cmd: "a script too long to follow"}
	}
	if v.body[o] {
		return sink{kind: sinkHeredoc}
	}
	ms := v.masked
	ps, pe := commandBounds(ms, v.q, o, false)
	cs, ce := commandBounds(ms, v.q, o, true)
	join := func(s string) string { return strings.ReplaceAll(s, "\\\n", "  ") }
	cmdText := join(ms[cs:ce])
	if c := lastEval(join(ms[cs:o])); c != "" {
		return sink{kind: sinkEval, cmd: c}
	}
	if rest := join(ms[ce:pe]); pipedToInterpreter.MatchString(rest) {
		return sink{kind: sinkEval, cmd: "a pipe into " + strings.Fields(strings.TrimLeft(rest, " \t|"))[0]}
	}
	switch {
	case envFileName.MatchString(ms[ps:pe]):
		return sink{kind: sinkEnvFile}
	case workflowCommand.MatchString(cmdText):
		return sink{kind: sinkWorkflowCommand}
	case v.groupEnv && printCmd.MatchString(cmdText):
		return sink{kind: sinkEnvFile}
	}
	return sink{}
}

// lastEval names the last evaluating command in prefix, "" when none.
func lastEval(prefix string) string {
	ms := evalCmdGH.FindAllStringSubmatch(prefix, -1)
	if len(ms) == 0 {
		return ""
	}
	m := ms[len(ms)-1]
	name := m[1]
	if name == "" {
		name = strings.TrimSuffix(strings.Join(strings.Fields(m[2]), " "), " <(")
	}
	return strings.Join(strings.Fields(name), " ")
}

// commandBounds finds the command around offset o of script (q its quote
// states): the pipeline, cut at unquoted newlines (not escaped), ";", "&",
// "&&", "||", "(", ")", backquotes and braces that stand as words; with
// simple, also at "|". "$(" opens a command of its own even inside double
// quotes.
func commandBounds(script string, q []quoteState, o int, simple bool) (start, end int) {
	sep := func(i int) bool {
		c := script[i]
		if c == '(' && i > 0 && script[i-1] == '$' && q[i] != inSingle {
			return true
		}
		if q[i] != unquoted {
			return false
		}
		switch c {
		case '\n':
			return i == 0 || script[i-1] != '\\'
		case ';', '&', '(', ')', '`':
			return true
		case '{', '}':
			return i == 0 || strings.IndexByte(" \t\n;", script[i-1]) >= 0
		case '|':
			return simple || (i+1 < len(script) && script[i+1] == '|') || (i > 0 && script[i-1] == '|')
		}
		return false
	}
	start = o
	for start > 0 && !sep(start-1) {
		start--
	}
	end = o
	for end < len(script) && !sep(end) {
		end++
	}
	return start, end
}

// quoteScan is shellQuotes from a given starting state (a line that
// continues a quoted string).
func quoteScan(s string, from quoteState) []quoteState {
	switch from {
	case inSingle:
		return shellQuotes("'" + s)[1:]
	case inDouble:
		return shellQuotes(`"` + s)[1:]
	}
	return shellQuotes(s)
}

// sinkAdvice says how to fix an untrusted value (its env: variable name)
// that sits where the shell evaluates or emits it as code.
func sinkAdvice(s sink, name string) string {
	switch s.kind {
	case sinkWorkflowCommand:
		return fmt.Sprintf("It is printed as a workflow command, which the runner reads line by line: a newline in "+
			"the value starts a command of the attacker's choosing, and moving the value to `$%s` keeps that. "+
			"Write outputs to `$GITHUB_OUTPUT` instead (set-output is deprecated), and pass the value through "+
			"`env:` (`%s: ${{ ... }}`) to the steps that need it rather than through a workflow command.", name, name)
	case sinkEnvFile:
		return fmt.Sprintf("It is written to `$GITHUB_ENV` or `$GITHUB_PATH`, which the runner reads as definitions "+
			"for every later step: a newline in the value defines any variable (`BASH_ENV`, `LD_PRELOAD`, "+
			"`NODE_OPTIONS`) and so runs code, and moving the value to `$%s` keeps that. Do not export untrusted "+
			"text this way: pass it through `env:` (`%s: ${{ ... }}`) to each step that needs it, or validate it "+
			"(one line, an expected pattern) before writing it.", name, name)
	case sinkHeredoc:
		return fmt.Sprintf("It sits in a heredoc body, which is expanded as text into what the heredoc feeds (often a "+
			"script, a config or `$GITHUB_ENV`), so no one-click fix is offered. Pass it through `env:` (`%s: ${{ ... }}`) "+
			"and read `$%s` where the generated file is used, or write the heredoc with a quoted delimiter (`<<'EOF'`) "+
			"so nothing in it expands.", name, name)
	}
	how := ""
	switch c := s.cmd; {
	case strings.HasPrefix(c, "python"):
		how = fmt.Sprintf("read `os.environ[\"%s\"]` in the Python code", name)
	case strings.HasPrefix(c, "node"):
		how = fmt.Sprintf("read `process.env.%s` in the JavaScript", name)
	case strings.HasPrefix(c, "perl"):
		how = fmt.Sprintf("read `$ENV{%s}` in the Perl code", name)
	case strings.HasPrefix(c, "ruby"):
		how = fmt.Sprintf("read `ENV[\"%s\"]` in the Ruby code", name)
	case strings.HasPrefix(c, "php"):
		how = fmt.Sprintf("read `getenv(\"%s\")` in the PHP code", name)
	case strings.HasPrefix(c, "pwsh"), strings.HasPrefix(c, "powershell"):
		how = fmt.Sprintf("read `$env:%s` in the PowerShell code, inside single quotes", name)
	case c == "ssh":
		how = fmt.Sprintf("quote it for the remote shell (`printf '%%q' \"$%s\"`) or send it on standard input", name)
	case c == "sed":
		how = "escape it for the sed expression first, or do the substitution with a tool that takes the value as data"
	case strings.HasSuffix(c, "awk"):
		how = fmt.Sprintf("pass it as data (`awk -v v=\"$%s\"` or `ENVIRON[\"%s\"]`)", name, name)
	case c == "jq", c == "yq":
		how = fmt.Sprintf("pass it as data (`%s --arg v \"$%s\"` and `$v` in the filter)", c, name)
	case strings.HasSuffix(c, "-c"):
		how = fmt.Sprintf("keep the code in single quotes so the inner shell expands the variable (`%s 'echo \"$%s\"'`)", c, name)
	default:
		how = fmt.Sprintf("let the code read `$%s` from its environment instead of splicing it in, and never `eval` it", name)
	}
	return fmt.Sprintf("It sits in text that `%s` runs as code, so replacing it by `$%s` would still splice the "+
		"value into that code, and no one-click fix is offered. Pass it through `env:` (`%s: ${{ ... }}`) and %s.",
		s.cmd, name, name, how)
}
