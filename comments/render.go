package comments

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// Limits on the parts of a body, so one huge message or fix cannot crowd
// out the rest (and the marker) of a 65,535-character body.
const (
	maxMessage     = 16 << 10
	maxEvidence    = 2 << 10
	maxReplacement = 32 << 10
	// bodyReserve leaves room for ResolvedBody's additions.
	bodyReserve = 256
	// summaryItemMax caps one finding's detail in the summary.
	summaryItemMax = 8 << 10
)

var badges = map[scanners.Severity]string{
	scanners.SeverityCritical: "🔴",
	scanners.SeverityHigh:     "🟠",
	scanners.SeverityMedium:   "🟡",
	scanners.SeverityLow:      "🔵",
	scanners.SeverityInfo:     "⚪",
}

// badge is "🔴 Critical".
func badge(s scanners.Severity) string {
	name := s.String()
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	if b, ok := badges[s]; ok {
		return b + " " + name
	}
	return "⚫ " + name
}

// verificationNote says what the secret's provider answered, for a
// finding whose secret was checked (scanners.Finding.Verification); "" when
// none was. Every answer keeps the finding and its severity: a refused
// secret may still work elsewhere (another instance, a restored account),
// and an unanswered check proves nothing.
func verificationNote(v scanners.Verification) string {
	switch v {
	case scanners.Verified:
		return "**Verified live:** the provider accepted this secret just now (one read-only check). Revoke it first, then remove it."
	case scanners.Invalid:
		return "**Checked, refused:** the provider did not accept this secret (revoked, expired or never valid). Remove it all the same: it may still work elsewhere."
	case scanners.Unverified:
		return "**Could not be verified:** the provider gave no clear answer (a time, rate or budget limit, an error). Treat it as live."
	}
	return ""
}

// verificationTag is the short form of the answer for a table cell.
func verificationTag(v scanners.Verification) string {
	switch v {
	case scanners.Verified:
		return " (verified live)"
	case scanners.Invalid:
		return " (refused by the provider)"
	case scanners.Unverified:
		return " (could not be verified)"
	}
	return ""
}

// commentBody renders one inline comment: badge and title, the message,
// the redacted evidence, references, the fix (a one-click suggestion when
// suggest is set, span being Line-StartLine of the comment), and the rule
// id with the hidden fingerprint marker last.
func commentBody(f *scanners.Finding, fl Flavor, suggest bool, span int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** · **%s**\n\n", badge(f.Severity), escapeInline(f.Title))
	if f.Message != "" {
		b.WriteString(escapeText(truncateUTF8(f.Message, maxMessage)))
		b.WriteString("\n\n")
	}
	if n := verificationNote(f.Verification); n != "" {
		b.WriteString(n + "\n\n")
	}
	if f.Evidence != "" {
		b.WriteString("Evidence (redacted):\n\n")
		b.WriteString(codeBlock("", truncateUTF8(f.Evidence, maxEvidence)))
		b.WriteString("\n")
	}
	if refs := references(f.References); refs != "" {
		b.WriteString("References: " + refs + "\n\n")
	}
	if fx := f.Fix; fx != nil {
		desc := "Suggested fix"
		if fx.Description != "" {
			desc += ": " + escapeInline(fx.Description)
		}
		b.WriteString("**" + desc + "**\n\n")
		repl := fx.Replacement
		if fixTextLen(fx) > maxReplacement {
			b.WriteString("_The replacement is too long to show here._\n\n")
		} else if !fx.Inline() {
			b.WriteString(fixAsText(fx))
			b.WriteString(notInline(fl))
		} else if suggest {
			info := "suggestion"
			if fl == GitLab {
				// GitLab anchors a suggestion on the comment's line and
				// counts the lines it replaces above it.
				info = fmt.Sprintf("suggestion:-%d+0", span)
			}
			b.WriteString(codeBlock(info, repl))
			b.WriteString("\n")
		} else {
			b.WriteString(fixAsText(fx))
		}
	}
	fmt.Fprintf(&b, "<sub>shiftward · rule `%s`</sub>\n", codeSpanSafe(f.RuleID))
	b.WriteString(Marker(f.Fingerprint()))
	return capBody(b.String(), f.Fingerprint(), MaxBody-bodyReserve)
}

// fixAsText shows a fix that cannot be a suggestion: the lines it replaces
// and the replacement as a plain code block, then each of its other edits
// (an import it adds) the same way.
func fixAsText(fx *scanners.Fix) string {
	var b strings.Builder
	edits := fx.Edits()
	for i, e := range edits {
		if i == maxEditsShown {
			fmt.Fprintf(&b, "_and %d more changes._\n\n", len(edits)-i)
			break
		}
		if i == 1 {
			b.WriteString("Also:\n\n")
		}
		b.WriteString(editAsText(e))
	}
	return b.String()
}

// fixTextLen is the length of all the text a fix's edits write.
func fixTextLen(fx *scanners.Fix) int {
	n := 0
	for _, e := range fx.Edits() {
		n += len(e.Replacement)
	}
	return n
}

// maxEditsShown bounds the edits of one fix a body lists.
const maxEditsShown = 8

// editAsText is one edit of a fix: "Replace line 3 with:", "Insert after
// line 1:", with its text in a code block.
func editAsText(e scanners.Edit) string {
	if e.Insert {
		where := fmt.Sprintf("Insert after line %d:", e.StartLine)
		if e.StartLine <= 0 {
			where = "Insert at the top of the file:"
		}
		return where + "\n\n" + codeBlock("", truncateUTF8(e.Replacement, maxReplacement)) + "\n"
	}
	s, end := startEnd(e.StartLine, e.EndLine)
	where := fmt.Sprintf("line %d", s)
	if end > s {
		where = fmt.Sprintf("lines %d-%d", s, end)
	}
	if e.Replacement == "" {
		return "Delete " + where + ".\n\n"
	}
	return "Replace " + where + " with:\n\n" + codeBlock("", truncateUTF8(e.Replacement, maxReplacement)) + "\n"
}

// notInline says why a fix of several edits is no one-click suggestion (a
// suggestion replaces the comment's lines only) and how it gets made:
// GitHub's Apply fixes commits it with the others; GitLab has no such
// button, so the reader makes the changes.
func notInline(fl Flavor) string {
	if fl == GitLab {
		return "_This fix changes more than one place in the file, so it is no one-click suggestion: make all of the changes above._\n\n"
	}
	return "_This fix changes more than one place in the file, so it is no one-click suggestion: **Apply fixes** on the shiftward check run " +
		"commits it (all of the changes above) with the other fixes, or make the changes by hand._\n\n"
}

// editAsDiff is an Also edit of a fix for the terminal, as the primary
// edit is shown.
func editAsDiff(e scanners.Edit) string {
	var b strings.Builder
	s, end := startEnd(e.StartLine, e.EndLine)
	switch {
	case e.Insert:
		fmt.Fprintf(&b, "    @@ insert after line %d @@\n", e.StartLine)
	case e.Replacement == "":
		fmt.Fprintf(&b, "    @@ delete lines %d-%d @@\n", s, end)
		return b.String()
	default:
		fmt.Fprintf(&b, "    @@ replace lines %d-%d @@\n", s, end)
	}
	for _, l := range strings.Split(e.Replacement, "\n") {
		b.WriteString("    +" + clean(l) + "\n")
	}
	return b.String()
}

// capBody keeps a body under limit, cutting its text and keeping the
// marker, which must always end a posted body.
func capBody(body, fp string, limit int) string {
	if len(body) <= limit {
		return body
	}
	m := "\n\n_(truncated)_\n" + Marker(fp)
	return truncateUTF8(body, limit-len(m)) + m
}

// fenceFor sizes a code fence to its content: one backtick longer than the
// longest run of backticks inside, at least three, so the content cannot
// close the block early.
func fenceFor(content string) string {
	longest, run := 0, 0
	for i := 0; i < len(content); i++ {
		if content[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// codeBlock fences content, sized to it, with an info string.
func codeBlock(info, content string) string {
	fence := fenceFor(content)
	var b strings.Builder
	b.WriteString(fence + info + "\n")
	if content != "" {
		b.WriteString(content)
		if !strings.HasSuffix(content, "\n") {
			b.WriteByte('\n')
		}
	}
	b.WriteString(fence + "\n")
	return b.String()
}

// codeSpanSafe makes text fit a single-backtick code span (rule ids are
// plain, but nothing is trusted to be).
func codeSpanSafe(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	return strings.Join(strings.Fields(s), " ")
}

// references renders CWE, CVE, GHSA, GO and PYSEC ids as links and URLs
// as themselves; anything else as escaped text.
func references(refs []string) string {
	var parts []string
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		if ref == "" {
			continue
		}
		if u := refURL(ref); u != "" {
			parts = append(parts, "["+escapeInline(ref)+"]("+u+")")
			continue
		}
		parts = append(parts, escapeInline(ref))
	}
	return strings.Join(parts, ", ")
}

func refURL(ref string) string {
	up := strings.ToUpper(ref)
	switch {
	case strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://"):
		u, err := url.Parse(ref)
		if err != nil || u.Host == "" {
			return ""
		}
		// Parentheses and spaces would end the link target early.
		return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u.String())
	case strings.HasPrefix(up, "CWE-") && isDigits(ref[4:]):
		return "https://cwe.mitre.org/data/definitions/" + ref[4:] + ".html"
	case strings.HasPrefix(up, "CVE-") && isIDTail(ref[4:]):
		return "https://nvd.nist.gov/vuln/detail/" + up
	case strings.HasPrefix(up, "GHSA-") && isIDTail(ref[5:]):
		return "https://github.com/advisories/" + ref
	case (strings.HasPrefix(up, "GO-") || strings.HasPrefix(up, "PYSEC-")) && isIDTail(ref[strings.IndexByte(ref, '-')+1:]):
		return "https://osv.dev/vulnerability/" + up
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isIDTail accepts the tail of an advisory id: letters, digits and dashes.
func isIDTail(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

// mdEscaper backslash-escapes the characters that make markdown or HTML
// out of plain text, so a message cannot open a link, an image, a tag or
// a fake fingerprint marker; "@" gets a zero-width space so a message
// naming a user does not mention (notify) them.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "~", `\~`, "!", `\!`, "#", `\#`,
	"&", "&amp;", "@", "@\u200b",
)

// escapeInline escapes text for one markdown line (a title, a table cell):
// line breaks become spaces.
func escapeInline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mdEscaper.Replace(s)
}

// escapeText escapes multi-line text (a message), keeping its line breaks
// as hard breaks and stopping a line from starting a list, quote or
// heading.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		l = mdEscaper.Replace(strings.TrimRight(l, " \t"))
		trimmed := strings.TrimLeft(l, " \t")
		indent := l[:len(l)-len(trimmed)]
		// Leading whitespace would make an indented code block.
		if indent != "" {
			l = trimmed
		}
		if trimmed != "" && strings.ContainsRune("-+=", rune(trimmed[0])) {
			l = `\` + l
		}
		if n := leadingDigits(l); n > 0 && n < len(l) && (l[n] == '.' || l[n] == ')') {
			l = l[:n] + `\` + l[n:]
		}
		lines[i] = l
	}
	return strings.Join(lines, "  \n")
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// location is "path:12" or "path:12-14".
func location(l scanners.Location) string {
	s, e := startEnd(l.StartLine, l.EndLine)
	switch {
	case s <= 0:
		return l.Path
	case e > s:
		return fmt.Sprintf("%s:%d-%d", l.Path, s, e)
	default:
		return fmt.Sprintf("%s:%d", l.Path, s)
	}
}

// bySeverity returns indexes of fs, most severe first, then in fs's order.
func bySeverity(fs []scanners.Finding) []int {
	order := make([]int, len(fs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(fs[b].Severity, fs[a].Severity) })
	return order
}

// summary renders the check summary within limit bytes. Sections are built
// from whole elements (a table row, one finding's detail, one error): when
// the next does not fit, the section ends with "… and N more".
func (r *Review) summary(limit int) string {
	opt := r.opt.withDefaults()
	const footer = "<sub>shiftward</sub>\n"
	var out strings.Builder
	out.WriteString(r.summaryHead(opt))
	budget := limit - out.Len() - len(footer)

	// Problems fail the check on their own: they come first.
	if len(opt.Problems) > 0 {
		problems := section("### Problems to fix\n\n", listItems(opt.Problems), min(budget, 16<<10), "\n")
		out.WriteString(problems)
		budget -= len(problems)
	}
	var notes string
	if all := slices.Concat(opt.Notes, r.Skipped); len(all) > 0 {
		notes = section("### Notes\n\n", listItems(all), min(budget, 16<<10), "\n")
		budget -= len(notes)
	}
	// Incomplete goes last but is budgeted first: it explains a neutral verdict.
	var incomplete string
	if len(r.Incomplete) > 0 {
		incomplete = section("### Incomplete scan\n\n", listItems(r.Incomplete), min(budget, 16<<10), "\n")
		budget -= len(incomplete)
	}
	if len(r.Findings) > 0 {
		table := r.findingsTable(budget)
		out.WriteString(table)
		budget -= len(table)
	}
	if len(r.Unplaced) > 0 {
		unplaced := section("### Not commented inline\n\n", r.unplacedItems(), budget, "")
		out.WriteString(unplaced)
		budget -= len(unplaced)
	}
	if len(r.Preexisting) > 0 {
		out.WriteString(section(preexistingHeading, preexistingRows(r.Preexisting), min(budget, 16<<10), "\n"))
	}
	out.WriteString(notes)
	out.WriteString(incomplete)
	out.WriteString(footer)
	return out.String()
}

// summaryHead renders the summary's heading, its verdict line and, when
// there are findings, their count by severity.
func (r *Review) summaryHead(opt Options) string {
	var head strings.Builder
	verdict := map[Conclusion]string{Failure: "❌", Neutral: "⚠️", Success: "✅"}[r.Conclusion]
	if verdict == "" {
		verdict = "⚠️"
	}
	fmt.Fprintf(&head, "## %s shiftward: %s\n\n", verdict, escapeInline(r.Title))
	head.WriteString(r.verdictLine(opt))
	if sha := shortSHA(opt.HeadSHA); sha != "" {
		fmt.Fprintf(&head, " Reviewed commit %s.", sha)
	}
	head.WriteString("\n\n")
	if len(r.Findings) > 0 {
		head.WriteString(severityTable(r.Findings))
		fmt.Fprintf(&head, "\nInline comments: %d. Only in this summary: %d.\n\n", len(r.Inline), len(r.Unplaced))
	}
	return head.String()
}

// verdictLine says in a sentence why the check concluded as it did.
func (r *Review) verdictLine(opt Options) string {
	switch r.Conclusion {
	case Failure:
		if scanners.Max(r.Findings) >= opt.FailOn {
			return fmt.Sprintf("**Failed**: findings of severity %s or above.", opt.FailOn)
		}
		return "**Failed**: see the problems below."
	case Neutral:
		return "**Incomplete**: some files could not be scanned, so this result is not a pass."
	case Success:
		return fmt.Sprintf("**Passed**: no finding of severity %s or above.", opt.FailOn)
	}
	return "**" + escapeInline(string(r.Conclusion)) + "**"
}

// severityTable renders a table of how many of fs have each severity, most
// severe first, leaving out the severities none has.
func severityTable(fs []scanners.Finding) string {
	var b strings.Builder
	b.WriteString("| Severity | Findings |\n|---|---:|\n")
	for s := scanners.SeverityCritical; s >= scanners.SeverityUnknown; s-- {
		n := 0
		for i := range fs {
			if fs[i].Severity == s {
				n++
			}
		}
		if n > 0 {
			fmt.Fprintf(&b, "| %s | %d |\n", badge(s), n)
		}
	}
	return b.String()
}

// listItems makes each message a markdown list item, escaped and cut at
// 1,000 bytes.
func listItems(msgs []string) []string {
	items := make([]string, len(msgs))
	for i, m := range msgs {
		items[i] = "- " + escapeInline(truncateUTF8(m, 1000)) + "\n"
	}
	return items
}

// findingsTable renders the findings, most severe first, one table row
// each, within budget bytes.
func (r *Review) findingsTable(budget int) string {
	order := bySeverity(r.Findings)
	rows := make([]string, len(order))
	for k, i := range order {
		f := &r.Findings[i]
		rows[k] = fmt.Sprintf("| %s | `%s` | %s | %s |\n",
			badge(f.Severity), codeSpanSafe(f.RuleID), escapeInline(location(f.Location)), escapeInline(f.Title+verificationTag(f.Verification)))
	}
	// Leave the details at least a heading and a "more" line.
	reserve := 0
	if len(r.Unplaced) > 0 {
		reserve = 200
	}
	return section("### Findings\n\n| Severity | Rule | Location | Title |\n|---|---|---|---|\n", rows, budget-reserve, "\n")
}

// unplacedItems renders the detail of each finding not commented inline,
// most severe first, then in their order.
func (r *Review) unplacedItems() []string {
	order := make([]int, len(r.Unplaced))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(r.Unplaced[b].Finding.Severity, r.Unplaced[a].Finding.Severity)
	})
	items := make([]string, len(order))
	for k, i := range order {
		items[k] = unplacedDetail(&r.Unplaced[i], r.opt.Flavor)
	}
	return items
}

const preexistingHeading = "### Already in the files this change touches\n\nNot introduced by this change and not part of the verdict; worth fixing while you are here.\n\n" +
	"| Severity | Rule | Location | Title |\n|---|---|---|---|\n"

// preexistingRows renders the findings already in the touched files, most
// severe first, one table row each with its evidence (already redacted)
// beside the title.
func preexistingRows(fs []scanners.Finding) []string {
	order := bySeverity(fs)
	rows := make([]string, len(order))
	for k, i := range order {
		f := &fs[i]
		what := f.Title
		if f.Evidence != "" {
			what += ": " + f.Evidence
		}
		rows[k] = fmt.Sprintf("| %s | `%s` | %s | %s |\n",
			badge(f.Severity), codeSpanSafe(f.RuleID), escapeInline(location(f.Location)), escapeInline(oneLine(truncateUTF8(what, 300))))
	}
	return rows
}

// section writes a heading and as many whole items as fit in limit bytes,
// then "… and N more" for the rest; nothing at all when not even the
// heading fits.
func section(heading string, items []string, limit int, trailer string) string {
	const moreMax = len("… and 1000000000 more\n\n")
	var b strings.Builder
	if len(heading)+moreMax+len(trailer) > limit {
		return ""
	}
	b.WriteString(heading)
	for i, it := range items {
		rest := len(items) - i - 1
		need := len(it) + len(trailer)
		if rest > 0 {
			need += moreMax
		}
		if b.Len()+need > limit {
			fmt.Fprintf(&b, "%s… and %d more\n", trailer, len(items)-i)
			return b.String() + "\n"
		}
		b.WriteString(it)
	}
	b.WriteString(trailer)
	return b.String()
}

// unplacedDetail is one finding of the summary in full: why it is not
// inline, its message, evidence, references and fix as plain text.
func unplacedDetail(u *Unplaced, fl Flavor) string {
	f := &u.Finding
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s · %s\n\n", badge(f.Severity), escapeInline(f.Title))
	fmt.Fprintf(&b, "`%s` at %s. Not inline: %s.\n\n",
		codeSpanSafe(f.RuleID), escapeInline(location(f.Location)), escapeInline(u.Reason))
	if f.Message != "" {
		b.WriteString(escapeText(truncateUTF8(f.Message, 4<<10)) + "\n\n")
	}
	if n := verificationNote(f.Verification); n != "" {
		b.WriteString(n + "\n\n")
	}
	if f.Evidence != "" {
		b.WriteString("Evidence (redacted):\n\n" + codeBlock("", truncateUTF8(f.Evidence, 1<<10)) + "\n")
	}
	if refs := references(f.References); refs != "" {
		b.WriteString("References: " + refs + "\n\n")
	}
	if fx := f.Fix; fx != nil {
		desc := "Fix"
		if fx.Description != "" {
			desc += ": " + escapeInline(fx.Description)
		}
		b.WriteString("**" + desc + "**\n\n")
		if fixTextLen(fx) > 4<<10 {
			b.WriteString("_The replacement is too long to show here._\n\n")
		} else {
			b.WriteString(fixAsText(fx))
			if !fx.Inline() {
				b.WriteString(notInline(fl))
			}
		}
	}
	s := b.String()
	if len(s) > summaryItemMax {
		// Cut at a line break outside any code block is not knowable
		// cheaply; drop the tail after the header instead.
		head, _, _ := strings.Cut(s, "\n\n")
		s = head + "\n\n_Details too long to show here._\n\n"
	}
	return s
}

// text renders the review for a terminal: one block per finding, most
// severe first, the fix as a diff of the replacement.
func (r *Review) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "shiftward: %s (%s)\n", r.Title, r.Conclusion)
	reasons := make(map[string]string, len(r.Unplaced))
	for _, u := range r.Unplaced {
		reasons[u.Finding.Fingerprint()] = u.Reason
	}
	for _, i := range bySeverity(r.Findings) {
		f := &r.Findings[i]
		fmt.Fprintf(&b, "\n%s: %s %s %s\n", location(f.Location), f.Severity, f.RuleID, oneLine(f.Title))
		if f.Message != "" {
			for _, l := range strings.Split(strings.TrimRight(f.Message, "\n"), "\n") {
				b.WriteString("    " + clean(l) + "\n")
			}
		}
		if f.Evidence != "" {
			b.WriteString("    evidence: " + oneLine(f.Evidence) + "\n")
		}
		if f.Verification != "" {
			b.WriteString("    verification: " + oneLine(string(f.Verification)) + "\n")
		}
		if len(f.References) > 0 {
			b.WriteString("    references: " + oneLine(strings.Join(f.References, ", ")) + "\n")
		}
		if fx := f.Fix; fx != nil {
			s, e := startEnd(fx.StartLine, fx.EndLine)
			desc := "fix"
			if fx.Description != "" {
				desc += ": " + oneLine(fx.Description)
			}
			b.WriteString("    " + desc + "\n")
			if fx.Replacement == "" {
				fmt.Fprintf(&b, "    @@ delete lines %d-%d @@\n", s, e)
			} else {
				fmt.Fprintf(&b, "    @@ replace lines %d-%d @@\n", s, e)
				for _, l := range strings.Split(fx.Replacement, "\n") {
					b.WriteString("    +" + clean(l) + "\n")
				}
			}
			for _, ed := range fx.Also {
				b.WriteString(editAsDiff(ed))
			}
		}
	}
	if len(r.Preexisting) > 0 {
		b.WriteString("\nalready in the files this change touches (not introduced by it, not part of the verdict):\n")
		for _, i := range bySeverity(r.Preexisting) {
			f := &r.Preexisting[i]
			fmt.Fprintf(&b, "    %s: %s %s %s\n", location(f.Location), f.Severity, f.RuleID, oneLine(f.Title))
		}
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\nskipped:\n")
		for _, s := range r.Skipped {
			b.WriteString("    " + oneLine(s) + "\n")
		}
	}
	if len(r.Incomplete) > 0 {
		b.WriteString("\nincomplete:\n")
		for _, s := range r.Incomplete {
			b.WriteString("    " + oneLine(s) + "\n")
		}
	}
	return b.String()
}

// oneLine folds whitespace and drops control characters.
func oneLine(s string) string { return clean(strings.Join(strings.Fields(s), " ")) }

// clean drops control characters (terminal escapes above all) from a line.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
