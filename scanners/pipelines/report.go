package pipelines

import (
	"context"
	"sort"
	"strconv"

	"github.com/shiftward/shiftward/scanners"
)

// anchor is one place a finding can be reported: its location and the lines
// whose addition makes it the change's doing (scope).
type anchor struct {
	line, col, endLine, endCol int
	scopeStart, scopeEnd       int
}

// at is an anchor on lines line..endLine, in scope when one of them is added.
func at(line, col, endLine, endCol int) anchor {
	if endLine < line {
		endLine = line
	}
	return anchor{line: line, col: col, endLine: endLine, endCol: endCol, scopeStart: line, scopeEnd: endLine}
}

// hit is a finding before diff scoping.
type hit struct {
	rule     *rule
	severity scanners.Severity // 0: the rule's
	msg      string
	evidence string
	identity string
	// anchors are tried in order; the first in scope places the finding.
	anchors []anchor
	// fix builds the suggestion for the finding once it is known to be
	// reported (building one may re-parse the file or call the resolver).
	fix func(ctx context.Context, pins *pinCache) *scanners.Fix
	// fixGroup names findings one fix removes together: only the first
	// reported one carries it, so a review does not repeat a suggestion.
	fixGroup string
}

// addedSet is the set of added line numbers.
type addedSet map[int]bool

func (a addedSet) any(from, to int) bool {
	for l := from; l <= to; l++ {
		if a[l] {
			return true
		}
	}
	return false
}

// finish keeps the hits whose scope the change adds, builds their fixes and
// turns them into findings.
func finish(ctx context.Context, in *scanners.Input, hits []hit, pins *pinCache) []scanners.Finding {
	added := make(addedSet, len(in.Added))
	for _, l := range in.Added {
		added[l.Number] = true
	}
	var out []scanners.Finding
	fixed := map[string]bool{}
	seen := map[string]bool{}
	for i := range hits {
		h := &hits[i]
		var a *anchor
		for j := range h.anchors {
			if added.any(h.anchors[j].scopeStart, h.anchors[j].scopeEnd) {
				a = &h.anchors[j]
				break
			}
		}
		if a == nil {
			continue
		}
		// Aliases can make one source position appear twice in the tree.
		key := h.rule.id + "\x00" + h.identity + "\x00" + strconv.Itoa(a.line) + ":" + strconv.Itoa(a.col)
		if seen[key] {
			continue
		}
		seen[key] = true
		sev := h.severity
		if sev == scanners.SeverityUnknown {
			sev = h.rule.severity
		}
		f := scanners.Finding{
			Scanner:  Name,
			RuleID:   Name + "/" + h.rule.id,
			Severity: sev,
			Title:    h.rule.title,
			Message:  h.msg,
			Location: scanners.Location{
				Path: in.Path, StartLine: a.line, EndLine: max(a.line, a.endLine),
				StartColumn: a.col, EndColumn: a.endCol,
			},
			References: append([]string(nil), h.rule.refs...),
			Evidence:   h.evidence,
			Identity:   h.identity,
		}
		if h.fix != nil && (h.fixGroup == "" || !fixed[h.fixGroup]) {
			if fx := h.fix(ctx, pins); fx != nil {
				f.Fix = fx
				if h.fixGroup != "" {
					fixed[h.fixGroup] = true
				}
			}
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Location.StartLine != out[j].Location.StartLine {
			return out[i].Location.StartLine < out[j].Location.StartLine
		}
		return out[i].Location.StartColumn < out[j].Location.StartColumn
	})
	return out
}
