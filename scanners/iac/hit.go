package iac

import (
	"fmt"
	"unicode/utf8"

	"github.com/shiftward/shiftward/scanners"
)

// hit is one rule firing somewhere in a file, with what its fix check needs.
type hit struct {
	rule *scanners.Rule
	// severity overrides the rule's when set (a SYS_ADMIN capability is
	// worse than NET_BIND_SERVICE).
	severity scanners.Severity
	// line..endLine is where the finding is reported: the offending
	// setting (key to the value's last line). A finding on a block's
	// header line (line == blockStart: a missing setting) spans the
	// block (finding).
	line, endLine int
	// blockStart..blockEnd is the block a missing setting belongs to (the
	// finding's Scope): a change to any line of it introduces the finding.
	blockStart, blockEnd int
	// missing marks a finding on a setting that is not written: a
	// Kustomize patch leaves such settings to its base (kustomize.go).
	missing bool
	// msg explains this instance (never secret material).
	msg string
	// identity names what was found independently of its line; base is
	// the identity before repeats in one file were numbered.
	identity, base string
	evidence       string
	fix            *scanners.Fix
	// scope are more lines whose change introduces the finding: where a
	// Terraform value it reads is defined in the same file.
	scope []scanners.LineRange
	// via marks a finding reported on the line that supplies a value to
	// a resource in another file; Scan keeps it only when the change adds
	// that line.
	via bool
}

func (h *hit) finding(p string) scanners.Finding {
	sev := h.rule.Severity
	if h.severity != scanners.SeverityUnknown {
		sev = h.severity
	}
	end := max(h.line, h.endLine)
	if h.blockStart == h.line && h.blockEnd > end {
		// A setting missing from a block (a resource, a stage, a
		// container) is about the whole block, from its header line.
		end = h.blockEnd
	}
	var scope []scanners.LineRange
	if h.blockStart > 0 {
		scope = []scanners.LineRange{{Start: h.blockStart, End: max(h.blockStart, h.blockEnd)}}
	}
	scope = append(scope, h.scope...)
	return scanners.Finding{
		Scanner:    Name,
		RuleID:     h.rule.ID,
		Severity:   sev,
		Title:      h.rule.Title,
		Message:    h.msg + " " + h.rule.Why,
		Location:   scanners.Location{Path: p, StartLine: h.line, EndLine: end},
		References: h.rule.References,
		Evidence:   h.evidence,
		Identity:   h.identity,
		Scope:      scope,
	}
}

// redact shows a secret value as its first two characters and its length,
// never the value itself.
func redact(v string) string {
	n := utf8.RuneCountInString(v)
	if n <= 4 {
		return fmt.Sprintf("*** (%d chars)", n)
	}
	r := []rune(v)
	return fmt.Sprintf("%s*** (%d chars)", string(r[:2]), n)
}

// clip shortens evidence that is not secret to a readable length.
func clip(s string) string {
	const n = 160
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
