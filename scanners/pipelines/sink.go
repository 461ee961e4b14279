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

// maxSinkScript bounds the script a view analyses, and maxSinkSites the
// offsets it is asked about (each costs a walk of its command); past them
// every offset is treated as evaluated (no fix), which costs a suggestion,
// never a wrong one.
const (
	maxSinkScript = 64 << 10
	maxSinkSites  = 256
)

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
	`(xargs|(?:ba|z|da|k|a)?sh|python[0-9.]*|node|perl|ruby|php|pwsh|powershell)(?:\s|$)`)

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
	asked    int    // sinkAt calls so far
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
// (a script too long to follow) evaluates everything. It looks at the
// command around o, then, when that command is a substitution ("$(...)",
// "<(...)"), at the command holding it, and so on outwards: eval "$(echo
// X)" evaluates X too.
func (v *scriptView) sinkAt(o int) sink {
	if v == nil || o < 0 || o >= len(v.masked) {
		return sink{kind: sinkEval, cmd: "a script too long to follow"}
	}
	if v.asked++; v.asked > maxSinkSites {
		return sink{kind: sinkEval, cmd: "a script with too many expressions to follow"}
	}
	if v.body[o] {
		return sink{kind: sinkHeredoc}
	}
	ms := v.masked
	join := func(s string) string { return strings.ReplaceAll(s, "\\\n", "  ") }
	var found sink
	// from..to is the text the current level's command holds: o itself,
	// then a whole substitution.
	// (pfx ends the text before it that may name an evaluating command:
	// o, then the end of the "$(" or "<(" opening a substitution.)
	from, to, pfx := o, o, o
	for level := 0; level < 16; level++ {
		cs, ce := v.bounds(from, to, true)
		ps, pe := v.bounds(from, to, false)
		if c := lastEval(join(ms[cs:pfx])); c != "" {
			return sink{kind: sinkEval, cmd: c}
		}
		if m := pipedToInterpreter.FindStringSubmatch(join(ms[ce:pe])); m != nil {
			return sink{kind: sinkEval, cmd: "a pipe into " + m[1]}
		}
		cmdText := join(ms[cs:ce])
		switch {
		case found.kind != sinkNone:
		case envFileName.MatchString(ms[ps:pe]):
			found = sink{kind: sinkEnvFile}
		case workflowCommand.MatchString(cmdText):
			found = sink{kind: sinkWorkflowCommand}
		case v.groupEnv && printCmd.MatchString(cmdText):
			found = sink{kind: sinkEnvFile}
		}
		if cs == 0 || ms[cs-1] != '(' {
			break
		}
		// The command is a substitution: the next level is the command
		// holding it, from its "(" (with what opens it, "$(" or "<(")
		// past its ")".
		from, to, pfx = cs, ce, cs
		if to < len(ms) && ms[to] == ')' {
			to++
		}
		from--
		if from > 0 && (ms[from-1] == '$' || ms[from-1] == '<') {
			from--
		}
	}
	return found
}

// bounds finds the command that holds the text from..to of the masked
// script: back from from to the last separator (an unquoted newline not
// escaped, ";", "&", "&&", "||", "(", "$(" even in double quotes, "{" or
// "}" standing as words, a backquote; with simple, also "|"), and on from
// to to the next one at the same nesting (a ")" closing the substitution
// the command is in ends it too).
func (v *scriptView) bounds(from, to int, simple bool) (start, end int) {
	ms, q := v.masked, v.q
	opens := func(i int) bool {
		return ms[i] == '(' && (q[i] == unquoted || (i > 0 && ms[i-1] == '$' && q[i] != inSingle))
	}
	sep := func(i int) bool {
		if opens(i) {
			return true
		}
		if q[i] != unquoted {
			return false
		}
		switch c := ms[i]; c {
		case '\n':
			return i == 0 || ms[i-1] != '\\'
		case ';', '&', ')', '`':
			return true
		case '{', '}':
			return i == 0 || strings.IndexByte(" \t\n;", ms[i-1]) >= 0
		case '|':
			return simple || (i+1 < len(ms) && ms[i+1] == '|') || (i > 0 && ms[i-1] == '|')
		}
		return false
	}
	start = from
	for start > 0 && !sep(start-1) {
		start--
	}
	inSub := start > 0 && ms[start-1] == '('
	depth := 0
	for end = to; end < len(ms); end++ {
		switch {
		case opens(end):
			depth++
		case ms[end] == ')' && q[end] != inSingle && depth > 0:
			depth--
		case ms[end] == ')' && q[end] != inSingle && inSub:
			return start, end
		case depth == 0 && sep(end):
			return start, end
		}
	}
	return start, end
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
