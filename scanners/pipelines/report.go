package pipelines

import (
	"context"
	"sort"
	"strconv"

	"github.com/shiftward/shiftward/scanners"
)

// anchor is one place a finding can be reported: its location and the lines
// whose change introduces it (scope).
type anchor struct {
	line, col, endLine, endCol int
	scopeStart, scopeEnd       int
}

// at is an anchor on lines line..endLine, introduced by a change to one of
// them.
func at(line, col, endLine, endCol int) anchor {
	if endLine < line {
		endLine = line
	}
	return anchor{line: line, col: col, endLine: endLine, endCol: endCol, scopeStart: line, scopeEnd: endLine}
}

// hit is a finding before it is placed (at one of its anchors) and its fix
// built.
type hit struct {
	rule     *rule
	severity scanners.Severity // 0: the rule's
	msg      string
	evidence string
	identity string
	// anchors are where the finding can be reported; a change to any of
	// them introduces it (Finding.Scope). It is reported at the first one
	// the change adds a line of, else at the first.
	anchors []anchor
	// fix builds the suggestion for the finding once it is known to be
	// introduced (building one may re-parse the file or call the resolver).
	fix func(ctx context.Context, pins *pinCache) *scanners.Fix
	// fixGroup names findings one fix removes together: only the first
	// reported one carries it, so a review does not repeat a suggestion.
	fixGroup string
}

// place picks the anchor h is reported at: the first the change adds a
// line of, else the first (a pre-existing finding).
func (h *hit) place(added scanners.AddedSet) *anchor {
	for j := range h.anchors {
		if added.Any(h.anchors[j].scopeStart, h.anchors[j].scopeEnd) {
			return &h.anchors[j]
		}
	}
	if len(h.anchors) == 0 {
		return nil
	}
	return &h.anchors[0]
}

// scope is the lines of every anchor of h: a change to any introduces it.
func (h *hit) scope() []scanners.LineRange {
	out := make([]scanners.LineRange, len(h.anchors))
	for i, a := range h.anchors {
		out[i] = scanners.LineRange{Start: a.scopeStart, End: a.scopeEnd}
	}
	return out
}

// finding is h reported at a, without a fix.
func (h *hit) finding(p string, a *anchor) scanners.Finding {
	sev := h.severity
	if sev == scanners.SeverityUnknown {
		sev = h.rule.severity
	}
	return scanners.Finding{
		Scanner:  Name,
		RuleID:   Name + "/" + h.rule.id,
		Severity: sev,
		Title:    h.rule.title,
		Message:  h.msg,
		Location: scanners.Location{
			Path: p, StartLine: a.line, EndLine: max(a.line, a.endLine),
			StartColumn: a.col, EndColumn: a.endCol,
		},
		References: append([]string(nil), h.rule.refs...),
		Evidence:   h.evidence,
		Identity:   h.identity,
		Scope:      h.scope(),
	}
}

// finish turns every hit into a finding, placed where the change touches
// it if it does, and builds the fixes of those the change introduces
// (scanners.Introduced; Run's Scope marks the others pre-existing).
func finish(ctx context.Context, in *scanners.Input, hits []hit, pins *pinCache) []scanners.Finding {
	added := in.AddedSet()
	var out []scanners.Finding
	fixed := map[string]bool{}
	seen := map[string]bool{}
	for i := range hits {
		h := &hits[i]
		a := h.place(added)
		if a == nil {
			continue
		}
		// Aliases can make one source position appear twice in the tree.
		key := h.rule.id + "\x00" + h.identity + "\x00" + strconv.Itoa(a.line) + ":" + strconv.Itoa(a.col)
		if seen[key] {
			continue
		}
		seen[key] = true
		f := h.finding(in.Path, a)
		if h.fix != nil && (h.fixGroup == "" || !fixed[h.fixGroup]) && scanners.Introduced(&f, added) {
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
