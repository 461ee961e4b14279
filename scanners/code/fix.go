package code

import (
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
}

// A fixer returns a whole-line replacement that removes the finding, or nil
// when no deterministic fix applies to this instance. Rules name fixers as
// "name" or "name:argument" ("rename:sha256").
type fixer func(fc *fixCtx) *scanners.Fix

var fixers = map[string]fixer{
	"rename":         fixRename,
	"drop-pair":      fixDropPair,
	"drop-kwarg":     fixDropKwarg,
	"set-literal":    fixSetLiteral,
	"set-string":     fixSetString,
	"py-param-query": func(*fixCtx) *scanners.Fix { return nil },
	"py-yaml-safe":   func(*fixCtx) *scanners.Fix { return nil },
	"go-param-query": func(*fixCtx) *scanners.Fix { return nil },
	"py-secrets":     func(*fixCtx) *scanners.Fix { return nil },
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
