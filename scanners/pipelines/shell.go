package pipelines

import (
	"regexp"
	"strings"
)

// quoteState is where a byte of a shell script sits: outside quotes, in
// single quotes or in double quotes.
type quoteState int

const (
	unquoted quoteState = iota
	inSingle
	inDouble
)

// shellQuotes returns the quote state at each byte offset of script. It
// follows POSIX quoting (backslash escapes outside single quotes) and no
// more: command substitutions inside double quotes are treated as quoted
// text, which errs on the side of adding quotes.
func shellQuotes(script string) []quoteState {
	st := make([]quoteState, len(script)+1)
	s := unquoted
	for i := 0; i < len(script); i++ {
		st[i] = s
		c := script[i]
		switch s {
		case unquoted:
			switch c {
			case '\\':
				if i+1 < len(script) {
					i++
					st[i] = s
				}
			case '\'':
				s = inSingle
			case '"':
				s = inDouble
			}
		case inSingle:
			if c == '\'' {
				s = unquoted
			}
		case inDouble:
			switch c {
			case '\\':
				if i+1 < len(script) {
					i++
					st[i] = s
				}
			case '"':
				s = unquoted
			}
		}
	}
	st[len(script)] = s
	return st
}

// shellRef is how to reference variable name at a point in a shell script
// with quote state q, so its value is one word and never re-parsed.
func shellRef(name string, q quoteState) string {
	switch q {
	case inDouble:
		return "${" + name + "}"
	case inSingle:
		return `'"${` + name + `}"'`
	}
	return `"${` + name + `}"`
}

// curlPipeShell matches a download piped into an interpreter, or an
// interpreter running a downloaded script through process substitution.
var curlPipeShell = regexp.MustCompile(
	`(?i)\b(?:curl|wget|iwr|invoke-webrequest)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+\S+=\S*\s+)*` +
		`(?:/usr/bin/|/bin/|/usr/local/bin/)?(?:ba|z|da|k|fi)?sh\b|` +
		`(?i)\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:python[23]?|perl|ruby|node|iex|invoke-expression)\b|` +
		`(?i)\b(?:ba|z)?sh\s+(?:-s\s+)?<\(\s*(?:curl|wget)\b|` +
		`(?i)\b(?:ba|z)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b`)

// shellVar is a variable reference: $NAME, ${NAME}, %NAME% or $env:NAME.
var shellVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|%([A-Za-z_][A-Za-z0-9_]*)%|\$env:([A-Za-z_][A-Za-z0-9_]*)`)

// printCmd matches a command that writes its arguments to the log.
var printCmd = regexp.MustCompile(`(?i)^\s*(?:sudo\s+)?(?:echo|printf|print|write-host|write-output|cat\s+<<<)\b`)

// secretVarNames are GitLab's predefined secret variables.
var secretVarNames = map[string]bool{
	"CI_JOB_TOKEN": true, "CI_JOB_JWT": true, "CI_JOB_JWT_V1": true, "CI_JOB_JWT_V2": true,
	"CI_REGISTRY_PASSWORD": true, "CI_DEPLOY_PASSWORD": true, "CI_BUILD_TOKEN": true,
	"CI_DEPENDENCY_PROXY_PASSWORD": true, "CI_REPOSITORY_URL": true,
}

// secretish reports whether a variable name reads like a credential.
func secretish(name string) bool {
	u := strings.ToUpper(name)
	if secretVarNames[u] {
		return true
	}
	for _, suf := range []string{"_ID", "_USER", "_USERNAME", "_NAME", "_FILE", "_PATH", "_URL", "_HOST", "_TYPE", "_EXPIRES_AT"} {
		if strings.HasSuffix(u, suf) {
			return false
		}
	}
	for _, w := range []string{"TOKEN", "SECRET", "PASSWORD", "PASSWD", "PRIVATE_KEY", "API_KEY", "APIKEY", "ACCESS_KEY", "CREDENTIAL"} {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

// splitCommands cuts a shell line into simple commands at ;, && and || (a
// pipe stays inside its command: what is piped is not printed).
func splitCommands(line string) []string {
	var out []string
	q := shellQuotes(line)
	start := 0
	for i := 0; i < len(line); i++ {
		if q[i] != unquoted {
			continue
		}
		c := line[i]
		if c == ';' || (c == '&' && i+1 < len(line) && line[i+1] == '&') || (c == '|' && i+1 < len(line) && line[i+1] == '|') {
			out = append(out, line[start:i])
			if c != ';' {
				i++
			}
			start = i + 1
		}
	}
	return append(out, line[start:])
}

// printedSecrets returns the secret-looking variables a shell line prints
// to the log: an echo/printf whose output is neither piped nor redirected.
func printedSecrets(line string) []string {
	var out []string
	for _, cmd := range splitCommands(line) {
		if !printCmd.MatchString(cmd) {
			continue
		}
		q := shellQuotes(cmd)
		redirected := false
		for i := 0; i < len(cmd); i++ {
			if q[i] == unquoted && (cmd[i] == '|' || cmd[i] == '>') {
				redirected = true
				break
			}
		}
		if redirected {
			continue
		}
		for _, m := range shellVar.FindAllStringSubmatchIndex(cmd, -1) {
			if q[m[0]] == inSingle {
				continue
			}
			name := ""
			for g := 2; g < len(m); g += 2 {
				if m[g] >= 0 {
					name = cmd[m[g]:m[g+1]]
				}
			}
			if secretish(name) {
				out = appendUnique(out, name)
			}
		}
	}
	return out
}

// untrustedGitLabVars are predefined variables whose value a merge request
// author or committer chooses: free text and branch names.
var untrustedGitLabVars = map[string]bool{
	"CI_MERGE_REQUEST_TITLE":                      true,
	"CI_MERGE_REQUEST_DESCRIPTION":                true,
	"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME":         true,
	"CI_COMMIT_MESSAGE":                           true,
	"CI_COMMIT_TITLE":                             true,
	"CI_COMMIT_DESCRIPTION":                       true,
	"CI_COMMIT_TAG_MESSAGE":                       true,
	"CI_COMMIT_BRANCH":                            true,
	"CI_COMMIT_REF_NAME":                          true,
	"CI_COMMIT_AUTHOR":                            true,
	"CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME": true,
}

// evalCmd matches a command that parses a string as code: eval, an
// interpreter's -c/-e, or source of a process substitution.
var evalCmd = regexp.MustCompile(`(?i)(?:^|[\s;&|(])(?:eval|(?:ba|z|da|k)?sh\s+(?:-\w+\s+)*-c|python[23]?\s+-c|node\s+(?:-e|--eval|-p)|perl\s+-e|ruby\s+-e|php\s+-r|pwsh\s+-c(?:ommand)?|powershell\s+-c(?:ommand)?)\b`)

// varUse is one use of an untrusted variable in a script line.
type varUse struct {
	name       string
	start, end int  // byte offsets of the reference ($NAME or ${NAME})
	evaluated  bool // inside a string that is run as code
	quoted     bool // inside double quotes (single quotes do not expand)
}

// untrustedUses finds the untrusted GitLab variables a shell line expands.
func untrustedUses(line string) []varUse {
	var out []varUse
	q := shellQuotes(line)
	for _, m := range shellVar.FindAllStringSubmatchIndex(line, -1) {
		name := ""
		for g := 2; g < 6; g += 2 { // $NAME and ${NAME} only: sh syntax
			if m[g] >= 0 {
				name = line[m[g]:m[g+1]]
			}
		}
		if !untrustedGitLabVars[name] {
			continue
		}
		if q[m[0]] == inSingle {
			// Literal text, unless the single-quoted string is itself
			// evaluated (sh -c '... $X'), where it expands then.
			if evalCmd.MatchString(line[:m[0]]) {
				out = append(out, varUse{name: name, start: m[0], end: m[1], evaluated: true, quoted: true})
			}
			continue
		}
		u := varUse{name: name, start: m[0], end: m[1], quoted: q[m[0]] == inDouble}
		u.evaluated = evalCmd.MatchString(line[:m[0]])
		out = append(out, u)
	}
	return out
}
