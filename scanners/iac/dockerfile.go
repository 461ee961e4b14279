package iac

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/shiftward/shiftward/scanners"
)

// fixUser is the unprivileged user a fix switches to. A numeric id needs no
// /etc/passwd entry, so it works on any base image.
const fixUser = "10001"

// instr is one Dockerfile instruction.
type instr struct {
	cmd        string // upper case: FROM, RUN, ...
	args       []string
	flags      []string
	json       bool
	start, end int
	node       *parser.Node
}

// stage is the instructions from one FROM to the next.
type stage struct {
	from  instr
	image string // the FROM image as written
	alias string // lower case, "" when unnamed
	body  []instr
	index int
}

// dockerfile is a parsed Dockerfile and its lines.
type dockerfile struct {
	lines  []string
	stages []*stage
	// pre holds the instructions before the first FROM (global ARGs).
	pre stage
}

func parseDockerfile(content []byte) (*dockerfile, error) {
	res, err := parser.Parse(bytes.NewReader(content))
	if err != nil {
		if strings.Contains(err.Error(), "file with no instructions") {
			return &dockerfile{}, nil
		}
		// Parser messages may quote the instruction; keep quoted text out
		// of errors, which are logged and shown.
		return nil, fmt.Errorf("parsing Dockerfile: %s", reQuoted.ReplaceAllString(err.Error(), `"…"`))
	}
	df := &dockerfile{lines: splitLines(content), pre: stage{index: -1, alias: "global"}}
	var cur *stage
	for _, n := range res.AST.Children {
		in := instr{
			cmd:   strings.ToUpper(n.Value),
			flags: n.Flags,
			json:  n.Attributes["json"],
			start: n.StartLine,
			end:   n.EndLine,
			node:  n,
		}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		if in.cmd == "FROM" {
			cur = &stage{from: in, index: len(df.stages)}
			if len(in.args) > 0 {
				cur.image = in.args[0]
			}
			if len(in.args) >= 3 && strings.EqualFold(in.args[1], "AS") {
				cur.alias = strings.ToLower(in.args[2])
			}
			df.stages = append(df.stages, cur)
			continue
		}
		if cur != nil {
			cur.body = append(cur.body, in)
		} else {
			df.pre.body = append(df.pre.body, in)
		}
	}
	return df, nil
}

// end is the last line of the stage.
func (s *stage) end() int {
	if len(s.body) == 0 {
		return s.from.end
	}
	return s.body[len(s.body)-1].end
}

// name is how findings name the stage: its alias or its position.
func (s *stage) name() string {
	if s.alias != "" {
		return s.alias
	}
	return "#" + strconv.Itoa(s.index)
}

// shellText is what a RUN runs: its command (JSON form joined by spaces)
// and any heredoc bodies.
func (in *instr) shellText() string {
	var b strings.Builder
	b.WriteString(strings.Join(in.args, " "))
	for _, h := range in.node.Heredocs {
		b.WriteString("\n")
		b.WriteString(h.Content)
	}
	return b.String()
}

// lineMatching returns the first physical line of the instruction that re
// matches, else its first line.
func (df *dockerfile) lineMatching(in *instr, re *regexp.Regexp) int {
	for l := in.start; l <= in.end && l <= len(df.lines); l++ {
		if re.MatchString(df.lines[l-1]) {
			return l
		}
	}
	return in.start
}

// lineContaining returns the first physical line of the instruction that
// contains sub, else its first line.
func (df *dockerfile) lineContaining(in *instr, sub string) int {
	for l := in.start; l <= in.end && l <= len(df.lines); l++ {
		if strings.Contains(df.lines[l-1], sub) {
			return l
		}
	}
	return in.start
}

// commandLine returns the physical line of the instruction where the
// install command words (with rest the words after its verb) is written:
// the first line holding the command name and, after it, its verb.
func (df *dockerfile) commandLine(in *instr, words, rest []string) int {
	name := words[0]
	verb := ""
	if i := len(words) - len(rest) - 1; i > 0 && i < len(words) {
		verb = words[i]
	}
	for l := in.start; l <= in.end && l <= len(df.lines); l++ {
		line := df.lines[l-1]
		if i := strings.Index(line, name); i >= 0 && strings.Contains(line[i+len(name):], verb) {
			return l
		}
	}
	return df.lineContaining(in, name)
}

func analyzeDockerfile(content []byte) ([]hit, error) {
	df, err := parseDockerfile(content)
	if err != nil {
		return nil, err
	}
	var hits []hit
	aliases := map[string]*stage{}
	inImage := df.imageStages()
	for _, st := range df.stages {
		hits = append(hits, df.checkBaseImage(st, aliases)...)
		for i := range st.body {
			in := &st.body[i]
			switch in.cmd {
			case "RUN":
				hits = append(hits, df.checkRun(st, in, inImage[st])...)
			case "ADD":
				hits = append(hits, df.checkAdd(st, in)...)
			case "ENV", "ARG":
				hits = append(hits, df.checkSecretVars(st, in)...)
			case "EXPOSE":
				hits = append(hits, df.checkExpose(st, in)...)
			}
		}
		if st.alias != "" {
			aliases[st.alias] = st
		}
	}
	// ARGs before the first FROM can hold secrets too.
	for i := range df.pre.body {
		if df.pre.body[i].cmd == "ARG" {
			hits = append(hits, df.checkSecretVars(&df.pre, &df.pre.body[i])...)
		}
	}
	if len(df.stages) > 0 {
		hits = append(hits, df.checkUser(df.stages[len(df.stages)-1], aliases)...)
	}
	return hits, nil
}

// imageStages returns the stages whose layers end up in the built image:
// the final stage and the stages it is built FROM, through aliases. A
// builder stage whose output is only copied from leaves its layers behind.
func (df *dockerfile) imageStages() map[*stage]bool {
	out := map[*stage]bool{}
	if len(df.stages) == 0 {
		return out
	}
	byAlias := map[string]*stage{}
	for _, st := range df.stages {
		if st.alias != "" {
			if _, dup := byAlias[st.alias]; !dup {
				byAlias[st.alias] = st
			}
		}
	}
	for st := df.stages[len(df.stages)-1]; st != nil && !out[st]; {
		out[st] = true
		base := byAlias[strings.ToLower(st.image)]
		if base != nil && base.index >= st.index {
			base = nil
		}
		st = base
	}
	return out
}

// imageRef splits an image reference into name, tag and digest.
func imageRef(ref string) (name, tag, digest string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	slash := strings.LastIndex(ref, "/")
	if c := strings.LastIndex(ref, ":"); c > slash {
		return ref[:c], ref[c+1:], digest
	}
	return ref, "", digest
}

// reQuoted is quoted text in an error message.
var reQuoted = regexp.MustCompile(`"[^"]*"|'[^']*'`)

// reArgRef is a reference to a build argument: $NAME or ${NAME}.
var reArgRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// resolveArgs substitutes the defaults of the ARGs declared before the
// first FROM, as the builder does for FROM lines. It returns "" when a
// reference has no default (the image is chosen at build time).
func (df *dockerfile) resolveArgs(img string) string {
	if !strings.Contains(img, "$") {
		return img
	}
	defaults := map[string]string{}
	for _, in := range df.pre.body {
		if in.cmd != "ARG" {
			continue
		}
		for _, a := range in.args {
			if k, v, ok := strings.Cut(a, "="); ok {
				defaults[k] = strings.Trim(v, `"'`)
			}
		}
	}
	unresolved := false
	out := reArgRef.ReplaceAllStringFunc(img, func(ref string) string {
		v, ok := defaults[reArgRef.FindStringSubmatch(ref)[1]]
		if !ok || strings.Contains(v, "$") {
			unresolved = true
		}
		return v
	})
	if unresolved || strings.ContainsAny(out, "${}") {
		return ""
	}
	return out
}

func (df *dockerfile) checkBaseImage(st *stage, aliases map[string]*stage) []hit {
	img := df.resolveArgs(st.image)
	if img == "" || strings.EqualFold(img, "scratch") {
		return nil
	}
	if _, ok := aliases[strings.ToLower(img)]; ok {
		return nil
	}
	_, tag, digest := imageRef(img)
	if digest != "" {
		return nil
	}
	id := "stage " + st.name() + " " + img
	if tag == "" || strings.EqualFold(tag, "latest") {
		what := "has no tag, so it means `latest`"
		if tag != "" {
			what = "uses the `latest` tag"
		}
		return []hit{{
			rule: ruleDockerLatest, line: st.from.start, endLine: st.from.end,
			msg:      fmt.Sprintf("The base image `%s` %s.", clip(img), what),
			identity: id, evidence: clip(df.text(st.from)),
		}}
	}
	return []hit{{
		rule: ruleDockerDigest, line: st.from.start, endLine: st.from.end,
		msg:      fmt.Sprintf("The base image `%s` is pinned by tag but not by digest.", clip(img)),
		identity: id, evidence: clip(df.text(st.from)),
	}}
}

// text is the instruction's source lines.
func (df *dockerfile) text(in instr) string {
	if in.start < 1 || in.end > len(df.lines) || in.end < in.start {
		return ""
	}
	return strings.Join(df.lines[in.start-1:in.end], "\n")
}

// rootUser reports whether a USER value names root.
func rootUser(v string) bool {
	u, _, _ := strings.Cut(strings.TrimSpace(v), ":")
	return u == "root" || u == "0"
}

// nonRootBase reports whether a base image is known to default to an
// unprivileged user (distroless and Chainguard "nonroot" variants).
func nonRootBase(img string) bool {
	_, tag, _ := imageRef(strings.ToLower(img))
	return strings.Contains(tag, "nonroot") || strings.Contains(tag, "rootless")
}

// checkUser looks at the final stage, the one that becomes the image: its
// last USER (or the one inherited from the stage it builds on) must not be
// root.
func (df *dockerfile) checkUser(final *stage, aliases map[string]*stage) []hit {
	var lastUser *instr
	seen := map[*stage]bool{}
	for st := final; st != nil && !seen[st]; {
		seen[st] = true
		for i := len(st.body) - 1; i >= 0; i-- {
			if st.body[i].cmd == "USER" && len(st.body[i].args) > 0 {
				lastUser = &st.body[i]
				break
			}
		}
		if lastUser != nil {
			break
		}
		img := strings.ToLower(st.image)
		if img == "scratch" || strings.Contains(img, "$") || nonRootBase(img) {
			return nil
		}
		st = aliases[img]
		if st != nil && st.index >= final.index {
			st = nil
		}
	}
	if lastUser != nil && !rootUser(lastUser.args[0]) {
		return nil
	}
	fix := df.userFix(final)
	if lastUser != nil {
		return []hit{{
			rule: ruleDockerRootUser, line: lastUser.start, endLine: lastUser.end,
			msg:      fmt.Sprintf("The last USER of the final stage is `%s`, so the container runs as root.", clip(lastUser.args[0])),
			identity: "user " + lastUser.args[0], evidence: clip(df.text(*lastUser)), fix: fix,
		}}
	}
	return []hit{{
		rule: ruleDockerRootUser, line: final.from.start, endLine: final.from.end,
		blockStart: final.from.start, blockEnd: final.end(),
		msg:      fmt.Sprintf("The final stage (FROM `%s`) never sets USER, so the container runs as root.", clip(final.image)),
		identity: "no user", evidence: clip(df.text(final.from)), fix: fix,
	}}
}

// userFix adds `USER 10001` to the final stage: before its CMD or
// ENTRYPOINT when nothing that runs commands follows them, else after the
// stage's last instruction.
func (df *dockerfile) userFix(st *stage) *scanners.Fix {
	if len(df.lines) == 0 {
		return nil
	}
	user := "USER " + fixUser
	first := -1
	for i, in := range st.body {
		if in.cmd == "CMD" || in.cmd == "ENTRYPOINT" {
			if first < 0 {
				first = i
			}
		}
	}
	safeBefore := first >= 0
	if safeBefore {
		for _, in := range st.body[first:] {
			if in.cmd == "RUN" || in.cmd == "COPY" || in.cmd == "ADD" || in.cmd == "USER" {
				safeBefore = false
			}
		}
	}
	if safeBefore {
		in := st.body[first]
		if in.start < 1 || in.start > len(df.lines) {
			return nil
		}
		line := df.lines[in.start-1]
		return &scanners.Fix{
			Description: "switch to an unprivileged user (uid " + fixUser + ") before the command runs",
			StartLine:   in.start, EndLine: in.start,
			Replacement: leadingSpace(line) + user + "\n" + line,
		}
	}
	last := st.end()
	if last < 1 || last > len(df.lines) {
		return nil
	}
	line := df.lines[last-1]
	if strings.HasSuffix(strings.TrimSpace(line), "\\") {
		return nil
	}
	return &scanners.Fix{
		Description: "switch to an unprivileged user (uid " + fixUser + ") at the end of the final stage",
		StartLine:   last, EndLine: last,
		Replacement: line + "\n" + user,
	}
}

var (
	// reCurlPipe is a download run as a script: piped into a shell or an
	// interpreter reading its program from stdin, or run from a command
	// or process substitution.
	reCurlPipe = regexp.MustCompile(`(?im)\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+)?(\S*/)?(ba|z|da|k|a|fi)?sh\b|` +
		`\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+)?(\S*/)?(python[0-9.]*|perl|ruby|node|php)(\s+-)?\s*($|[;&|)"'\\])|` +
		`\b((ba|z|da|k|a)?sh|eval)\s+(-c\s+)?["']?(\$\(|` + "`" + `)\s*(curl|wget)\b|` +
		`(\b(ba|z|da|k|a)?sh|\bsource|(^|[\s;&|(])\.)\s+<\(\s*(curl|wget)\b`)
	reCurlLine   = regexp.MustCompile(`(?i)\b(curl|wget)\b`)
	reSudo       = regexp.MustCompile(`(^|[;&|(]|\s)sudo(\s|$)`)
	reChmodLine  = regexp.MustCompile(`\bchmod\b`)
	reAptClean   = regexp.MustCompile(`rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/lib/apt/lists|apt-get\s+clean|apt\s+clean`)
	reYumClean   = regexp.MustCompile(`yum\s+clean\s+all|rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/cache/yum`)
	reDnfClean   = regexp.MustCompile(`(dnf|microdnf|tdnf)\s+clean\s+all|rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/cache/(dnf|yum|tdnf)`)
	reZypClean   = regexp.MustCompile(`zypper\s+(-[a-zA-Z-]+\s+)*(clean|cc)\b|rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/cache/zypp`)
	reApkClean   = regexp.MustCompile(`rm\s+(-[a-zA-Z]+\s+)*[^;&|]*/var/cache/apk`)
	reShellSplit = regexp.MustCompile(`&&|\|\||[;|&\n()]`)
	reRPMVersion = regexp.MustCompile(`-\d`)
)

// worldWritable reports whether a chmod in the shell text gives others
// write access: an octal mode whose last digit has the write bit (777, 0666),
// or a symbolic mode that adds or sets w for o or a (o+w, a=rwx,
// ugo+rwx). A mode with the sticky bit (1777, +t: a shared directory such
// as /tmp, where no one can replace another's file) is not reported, nor a
// bare +w, which the umask filters. Only a chmod that is run counts (the
// command's first word, or after sudo, xargs or find's -exec), not one
// in an echo.
func worldWritable(text string) bool {
	for _, cmd := range reShellSplit.Split(text, -1) {
		words := strings.Fields(cmd)
		for i, w := range words {
			if w != "chmod" && !strings.HasSuffix(w, "/chmod") {
				continue
			}
			if i > 0 && !chmodRunners[words[i-1]] && !strings.Contains(words[i-1], "=") {
				continue
			}
			for _, m := range words[i+1:] {
				if strings.HasPrefix(m, "-") && strings.Trim(m, "-rwxXst") != "" || strings.HasPrefix(m, "--") {
					continue // -R, -v, --recursive (not a mode such as -w)
				}
				if modeWorldWritable(strings.Trim(m, `"'`)) {
					return true
				}
				break
			}
		}
	}
	return false
}

// chmodRunners are the words after which a chmod is run, not quoted.
var chmodRunners = map[string]bool{"sudo": true, "xargs": true, "-exec": true, "-execdir": true, "exec": true, "command": true, "busybox": true}

// modeWorldWritable reports whether a chmod mode grants others write
// access without the sticky bit.
func modeWorldWritable(mode string) bool {
	if isOctalMode(mode) {
		last := mode[len(mode)-1] - '0'
		sticky := len(mode) == 4 && (mode[0]-'0')&1 != 0
		return last&2 != 0 && !sticky
	}
	others, sticky := false, false
	for _, clause := range strings.Split(mode, ",") {
		i := strings.IndexAny(clause, "+=-")
		if i < 0 {
			continue
		}
		who, op, perms := clause[:i], clause[i], clause[i+1:]
		if op == '-' || strings.Trim(who, "ugoa") != "" {
			continue
		}
		if strings.Contains(perms, "t") {
			sticky = true
		}
		if strings.ContainsAny(who, "oa") && strings.Contains(perms, "w") {
			others = true
		}
	}
	return others && !sticky
}

func isOctalMode(m string) bool {
	if len(m) < 3 || len(m) > 4 {
		return false
	}
	for _, c := range m {
		if c < '0' || c > '7' {
			return false
		}
	}
	return true
}

// checkRun checks one RUN step; inImage says whether the stage's layers
// end up in the built image (only then does a package cache left behind
// matter).
func (df *dockerfile) checkRun(st *stage, in *instr, inImage bool) []hit {
	text := in.shellText()
	var hits []hit
	block := func(r *scanners.Rule, line int, msg, id string, fix *scanners.Fix) hit {
		return hit{rule: r, line: line, endLine: line, blockStart: in.start, blockEnd: in.end,
			msg: msg, identity: "stage " + st.name() + " " + id, evidence: clip(strings.TrimSpace(df.lineText(line))), fix: fix}
	}
	if reCurlPipe.MatchString(text) {
		line := df.lineMatching(in, reCurlPipe)
		if line == in.start {
			line = df.lineMatching(in, reCurlLine)
		}
		hits = append(hits, block(ruleDockerCurlPipe, line,
			"This RUN step downloads a script and pipes it straight into a shell.", "curl|sh "+norm(text), nil))
	}
	if usesSudo(text) {
		hits = append(hits, block(ruleDockerSudo, df.lineMatching(in, reSudo),
			"This RUN step calls sudo.", "sudo "+norm(text), nil))
	}
	if worldWritable(text) {
		hits = append(hits, block(ruleDockerChmod777, df.lineMatching(in, reChmodLine),
			"This RUN step makes files world-writable.", "chmod "+norm(text), nil))
	}
	cacheMount := false
	for _, f := range in.flags {
		if strings.Contains(f, "type=cache") {
			cacheMount = true
		}
	}
	var unpinned, unpinnedIDs []string
	var unpinnedLine int
	for _, cmd := range simpleCommands(text) {
		words := strings.Fields(cmd)
		mgr, pkgs := installCommand(words)
		if mgr == "" {
			continue
		}
		if bad := unpinnedPackages(mgr, pkgs); len(bad) > 0 {
			if unpinnedLine == 0 {
				unpinnedLine = df.commandLine(in, words, pkgs)
			}
			unpinned = append(unpinned, bad...)
			for _, b := range bad {
				unpinnedIDs = append(unpinnedIDs, mgr+":"+b)
			}
		}
		if cacheMount || !inImage {
			continue
		}
		var clean *regexp.Regexp
		var how, cleanCmd string
		switch mgr {
		case "apt":
			clean, how, cleanCmd = reAptClean, "rm -rf /var/lib/apt/lists/*", "apt-get clean && rm -rf /var/lib/apt/lists/*"
		case "yum":
			clean, how, cleanCmd = reYumClean, "yum clean all", "yum clean all"
		case "dnf":
			clean, how, cleanCmd = reDnfClean, "dnf clean all", "dnf clean all"
		case "zypper":
			clean, how, cleanCmd = reZypClean, "zypper clean", "zypper clean"
		case "apk":
			if hasWord(words, "--no-cache") || reApkClean.MatchString(text) {
				continue
			}
			hits = append(hits, block(rulePkgCleanup, df.lineContaining(in, "apk"),
				"`apk add` runs without `--no-cache`, so the package index stays in the layer.", "cache apk "+norm(cmd), nil))
			continue
		default:
			continue
		}
		// The cleanup must come after the install to remove its cache.
		after := text
		if i := strings.Index(text, cmd); i >= 0 {
			after = text[i+len(cmd):]
		}
		if clean.MatchString(after) {
			continue
		}
		line := df.commandLine(in, words, pkgs)
		hits = append(hits, block(rulePkgCleanup, line,
			fmt.Sprintf("`%s` installs packages but this RUN step never runs `%s`.", clip(strings.Join(words, " ")), how),
			"cache "+mgr+" "+norm(cmd), df.appendToRun(in, cleanCmd)))
	}
	if len(unpinned) > 0 {
		shown := unpinned
		if len(shown) > 8 {
			shown = append(shown[:8:8], "…")
		}
		hits = append(hits, block(rulePkgUnpinned, unpinnedLine,
			fmt.Sprintf("This RUN step installs %s without a version.", "`"+strings.Join(shown, "`, `")+"`"),
			"unpinned "+strings.Join(unpinnedIDs, " "), nil))
	}
	return hits
}

// usesSudo reports whether a simple command of the script runs sudo (not
// a package named sudo).
func usesSudo(text string) bool {
	for _, cmd := range reShellSplit.Split(text, -1) {
		words := strings.Fields(cmd)
		for len(words) > 0 && strings.Contains(words[0], "=") {
			words = words[1:]
		}
		if len(words) > 0 && (words[0] == "sudo" || strings.HasSuffix(words[0], "/sudo")) {
			return true
		}
	}
	return false
}

// simpleCommands splits a script into simple commands. A package manager
// call that follows another command on the same line without a separator
// (a continuation line that lost its `&&`, as in `yum clean all \ yum
// install`) is split off as a command of its own, so its install is seen
// and a cleanup written before it does not count.
func simpleCommands(text string) []string {
	var out []string
	for _, cmd := range reShellSplit.Split(text, -1) {
		words := strings.Fields(cmd)
		cut := 0
		for i := 1; i < len(words); i++ {
			if mgr, _ := installCommand(words[i:]); mgr == "" || !packageManagers[baseName(words[i])] {
				continue
			}
			if m, _ := installCommand(words[cut:i]); m == "" && i-cut < 2 {
				continue // "sudo apt-get install", "env apt-get install"
			}
			out = append(out, strings.Join(words[cut:i], " "))
			cut = i
		}
		if cut == 0 {
			out = append(out, cmd)
			continue
		}
		out = append(out, strings.Join(words[cut:], " "))
	}
	return out
}

// packageManagers are the commands installCommand recognises.
var packageManagers = map[string]bool{
	"apt-get": true, "apt": true, "aptitude": true, "yum": true, "dnf": true, "microdnf": true, "tdnf": true,
	"zypper": true, "apk": true, "pip": true, "pip3": true, "pip2": true, "npm": true, "yarn": true, "pnpm": true,
}

func baseName(cmd string) string {
	if i := strings.LastIndex(cmd, "/"); i >= 0 {
		cmd = cmd[i+1:]
	}
	return strings.Trim(cmd, `"'`)
}

// appendToRun appends `&& cmd` to the last line of a shell-form RUN.
func (df *dockerfile) appendToRun(in *instr, cmd string) *scanners.Fix {
	if in.json || len(in.node.Heredocs) > 0 || in.end < 1 || in.end > len(df.lines) {
		return nil
	}
	line := df.lines[in.end-1]
	t := strings.TrimSpace(line)
	if t == "" || strings.HasSuffix(t, "\\") || strings.ContainsAny(t[len(t)-1:], ";&|(") || strings.Contains(t, "#") {
		return nil
	}
	return &scanners.Fix{
		Description: "clean the package cache in the same RUN step",
		StartLine:   in.end, EndLine: in.end,
		Replacement: strings.TrimRight(line, " \t") + " && " + cmd,
	}
}

func (df *dockerfile) lineText(l int) string {
	if l < 1 || l > len(df.lines) {
		return ""
	}
	return df.lines[l-1]
}

// norm collapses whitespace so an identity survives reformatting.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// installCommand recognises a package install in one simple command and
// returns the manager and the words after the install verb.
func installCommand(words []string) (string, []string) {
	// Skip env assignments and sudo in front of the command.
	for len(words) > 0 && (strings.Contains(words[0], "=") || words[0] == "sudo" || words[0] == "-E") {
		words = words[1:]
	}
	if len(words) < 2 {
		return "", nil
	}
	cmd := words[0]
	if i := strings.LastIndex(cmd, "/"); i >= 0 {
		cmd = cmd[i+1:]
	}
	cmd = strings.Trim(cmd, `"'`)
	verbIdx := -1
	for i := 1; i < len(words); i++ {
		if !strings.HasPrefix(words[i], "-") {
			verbIdx = i
			break
		}
	}
	if verbIdx < 0 {
		return "", nil
	}
	verb := strings.Trim(words[verbIdx], `"'`)
	rest := words[verbIdx+1:]
	switch cmd {
	case "apt-get", "apt", "aptitude":
		if verb == "install" {
			return "apt", rest
		}
	case "yum":
		if verb == "install" {
			return "yum", rest
		}
	case "dnf", "microdnf", "tdnf":
		if verb == "install" {
			return "dnf", rest
		}
	case "zypper":
		if verb == "install" || verb == "in" {
			return "zypper", rest
		}
	case "apk":
		if verb == "add" {
			return "apk", rest
		}
	case "pip", "pip3", "pip2":
		if verb == "install" {
			return "pip", rest
		}
	case "python", "python3":
		// python -m pip install
		if len(words) > 3 && words[1] == "-m" && strings.HasPrefix(words[2], "pip") && words[3] == "install" {
			return "pip", words[4:]
		}
	case "npm":
		if verb == "install" || verb == "i" || verb == "add" {
			return "npm", rest
		}
	case "gem":
		if verb == "install" || verb == "i" {
			return "gem", rest
		}
	case "go":
		if verb == "install" {
			return "go", rest
		}
	case "yarn", "pnpm":
		// yarn add x, yarn global add x, pnpm add x; a bare `yarn install`
		// installs the lockfile.
		if verb == "global" && len(rest) > 0 && rest[0] == "add" {
			return "npm", rest[1:]
		}
		if verb == "add" {
			return "npm", rest
		}
	}
	return "", nil
}

// optsWithValue are package-manager options whose next word is a value,
// not a package.
var optsWithValue = map[string]bool{
	"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-t": true, "--target-release": true,
	"--index-url": true, "-i": true, "--extra-index-url": true, "-f": true, "--find-links": true,
	"--repository": true, "-X": true, "--repo": true, "--enablerepo": true, "--disablerepo": true,
	"--prefix": true, "--root": true, "--registry": true, "-e": true, "--editable": true, "--virtual": true,
	"-o": true, "--installroot": true, "--releasever": true, "--setopt": true,
}

// gemOptsWithValue are gem install options whose next word is a value.
var gemOptsWithValue = map[string]bool{
	"-i": true, "--install-dir": true, "-n": true, "--bindir": true, "-s": true, "--source": true, "--platform": true,
}

// unpinnedPackages returns the packages among words that carry no version.
func unpinnedPackages(mgr string, words []string) []string {
	var bad []string
	skipNext := false
	if mgr == "gem" && slices.ContainsFunc(words, func(w string) bool {
		return w == "-v" || w == "--version" || strings.HasPrefix(w, "--version=")
	}) {
		return nil // gem install -v 7.1.3 rails
	}
	for _, w := range words {
		w = strings.Trim(w, `"',[]`)
		if skipNext {
			skipNext = false
			continue
		}
		if w == "" || w == "\\" {
			continue
		}
		if mgr == "go" {
			// go install tool@version; without @ it builds the local
			// module, pinned by its go.mod.
			if !strings.HasPrefix(w, "-") && strings.HasSuffix(strings.ToLower(w), "@latest") {
				bad = append(bad, w)
			}
			continue
		}
		if mgr == "gem" && gemOptsWithValue[w] {
			skipNext = true
			continue
		}
		if strings.HasPrefix(w, "-") {
			if optsWithValue[w] && mgr != "apt" {
				skipNext = true
			}
			if w == "-t" && mgr == "apt" {
				continue
			}
			continue
		}
		scoped := mgr == "npm" && strings.HasPrefix(w, "@") && strings.Count(w, "/") == 1 // @scope/name
		if (strings.ContainsAny(w, "$/*<>") && !scoped) || strings.HasPrefix(w, ".") || strings.Contains(w, "://") {
			continue
		}
		pinned := false
		switch mgr {
		case "apt", "zypper":
			pinned = strings.Contains(w, "=")
		case "apk":
			pinned = strings.ContainsAny(w, "=~<>")
		case "pip":
			pinned = strings.ContainsAny(w, "=<>~!@") || strings.HasSuffix(w, ".whl") || strings.HasSuffix(w, ".tar.gz")
		case "npm":
			at := strings.LastIndex(w, "@")
			pinned = at > 0 && !strings.EqualFold(w[at+1:], "latest")
			if strings.HasSuffix(w, ".tgz") {
				pinned = true
			}
		case "gem":
			pinned = strings.Contains(w, ":") || strings.HasSuffix(w, ".gem") // name:version
		case "yum", "dnf":
			pinned = reRPMVersion.MatchString(w) || strings.ContainsAny(w, "=") || strings.HasSuffix(w, ".rpm")
		}
		if !pinned {
			bad = append(bad, w)
		}
	}
	return bad
}

func (df *dockerfile) checkAdd(st *stage, in *instr) []hit {
	for _, f := range in.flags {
		if strings.HasPrefix(f, "--checksum") {
			return nil
		}
	}
	if len(in.args) < 2 {
		return nil
	}
	for _, src := range in.args[:len(in.args)-1] {
		l := strings.ToLower(src)
		if gitSource(l) {
			if _, ref, _ := strings.Cut(l, "#"); reCommit.MatchString(strings.Split(ref, ":")[0]) {
				continue // pinned to a commit: the content is fixed
			}
			return []hit{{
				rule: ruleDockerAddRemote, line: in.start, endLine: in.end,
				msg:      fmt.Sprintf("`ADD %s` clones a git repository at build time at a ref that can move (pin a commit).", clip(src)),
				identity: "stage " + st.name() + " add " + src, evidence: clip(df.text(*in)),
			}}
		}
		if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://") {
			return []hit{{
				rule: ruleDockerAddRemote, line: in.start, endLine: in.end,
				msg:      fmt.Sprintf("`ADD %s` downloads at build time without a checksum.", clip(src)),
				identity: "stage " + st.name() + " add " + src, evidence: clip(df.text(*in)),
			}}
		}
	}
	return nil
}

// reCommit is a full git commit id.
var reCommit = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// gitSource reports whether an ADD source (lower case) is a git
// repository: git@host:path, git:// or ssh:// URLs, or an http(s) URL of a
// .git repository.
func gitSource(l string) bool {
	u, _, _ := strings.Cut(l, "#")
	return strings.HasPrefix(l, "git@") || strings.HasPrefix(l, "git://") || strings.HasPrefix(l, "ssh://") ||
		((strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && strings.HasSuffix(u, ".git"))
}

var (
	reSecretName    = regexp.MustCompile(`(?i)(passw(or)?d|passwd|pwd$|^pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth[_-]?key|client[_-]?secret|session[_-]?key|signing[_-]?key|encryption[_-]?key)`)
	reNotSecretName = regexp.MustCompile(`(?i)(_file|_path|_dir|_url|_uri|_host|_port|_user|_username|_name|_id|_ttl|_timeout|_expiry|_expires|_length|_len|_size|_type|_header|_enabled|_enable|_version|_endpoint|_location|_env|_mode|_policy|_algorithm|_alg|_ref|_secret_name)$`)
	reVarRef        = regexp.MustCompile(`^\$\{?[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}?$`)
)

// secretValue reports whether an ENV/ARG pair looks like a literal secret.
func secretValue(name, value string) bool {
	if !reSecretName.MatchString(name) || reNotSecretName.MatchString(name) {
		return false
	}
	v := strings.Trim(value, `"'`)
	if len(v) < 4 || reVarRef.MatchString(v) || strings.HasPrefix(v, "/") {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "none", "null", "changeme", "change_me", "xxx", "xxxx", "<secret>", "secret", "password", "token":
		return false
	}
	return !strings.HasPrefix(v, "$")
}

func (df *dockerfile) checkSecretVars(st *stage, in *instr) []hit {
	type kv struct{ k, v string }
	var pairs []kv
	if in.cmd == "ARG" {
		for _, a := range in.args {
			if k, v, ok := strings.Cut(a, "="); ok {
				pairs = append(pairs, kv{k, v})
			}
		}
	} else {
		// ENV nodes come as key, value, separator triples.
		for i := 0; i+1 < len(in.args); i += 3 {
			pairs = append(pairs, kv{in.args[i], in.args[i+1]})
		}
	}
	var hits []hit
	for _, p := range pairs {
		if !secretValue(p.k, p.v) {
			continue
		}
		v := strings.Trim(p.v, `"'`)
		var fix *scanners.Fix
		if in.cmd == "ARG" && len(in.args) == 1 && in.start == in.end && in.start <= len(df.lines) {
			line := df.lines[in.start-1]
			fix = &scanners.Fix{
				Description: "declare the build argument without a default; pass the value with a build secret",
				StartLine:   in.start, EndLine: in.end,
				Replacement: leadingSpace(line) + "ARG " + p.k,
			}
		}
		hits = append(hits, hit{
			rule: ruleDockerSecret, line: in.start, endLine: in.end,
			msg:      fmt.Sprintf("`%s %s` sets a literal value (%s) for a credential-named variable.", in.cmd, p.k, redact(v)),
			identity: "stage " + st.name() + " " + in.cmd + " " + p.k,
			evidence: p.k + "=" + redact(v),
			fix:      fix,
		})
	}
	return hits
}

func (df *dockerfile) checkExpose(st *stage, in *instr) []hit {
	var keep []string
	found := false
	for _, a := range in.args {
		port, _, _ := strings.Cut(a, "/")
		lo, hi, isRange := strings.Cut(port, "-")
		if isRange {
			l, err1 := strconv.Atoi(lo)
			h, err2 := strconv.Atoi(hi)
			if err1 == nil && err2 == nil && l <= 22 && 22 <= h {
				found = true
			}
			keep = append(keep, a)
			continue
		}
		if port == "22" {
			found = true
			continue
		}
		keep = append(keep, a)
	}
	if !found {
		return nil
	}
	var fix *scanners.Fix
	if in.start == in.end && in.start <= len(df.lines) && !in.json {
		line := df.lines[in.start-1]
		if len(keep) == len(in.args) {
			fix = nil // a range covering 22: no mechanical edit
		} else if len(keep) == 0 {
			fix = &scanners.Fix{Description: "do not expose SSH", StartLine: in.start, EndLine: in.end, Replacement: ""}
		} else {
			fix = &scanners.Fix{Description: "do not expose SSH", StartLine: in.start, EndLine: in.end,
				Replacement: leadingSpace(line) + "EXPOSE " + strings.Join(keep, " ")}
		}
	}
	return []hit{{
		rule: ruleDockerSSH, line: in.start, endLine: in.end,
		msg:      "The image declares port 22 (SSH).",
		identity: "stage " + st.name() + " expose 22", evidence: clip(df.text(*in)), fix: fix,
	}}
}
