package comments

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Review is the platform-neutral result of a scan, ready to post.
type Review struct {
	Conclusion Conclusion
	// Title is one line for the check run title / status description
	// ("3 findings (1 critical, 2 high)", "No findings").
	Title string
	// Findings holds every finding of the change, sorted.
	Findings []scanners.Finding
	// Inline are the comments to place on lines of the diff.
	Inline []Comment
	// Unplaced are findings shown only in the summary, each with the reason.
	Unplaced []Unplaced
	// Incomplete lists what could not be scanned (a scanner's error, a file
	// too large); non-empty makes a passing review neutral, never success.
	Incomplete []string
	// Skipped says, per scanner, how many files it passed over as not
	// written by hand (vendored, minified, generated), and how many
	// pre-existing findings it left out (Status.Cut): in the summary's
	// notes, never part of the verdict.
	Skipped []string
	// Preexisting are findings already in the files the change touches,
	// not introduced by it: listed in the summary only, marked as such,
	// and never part of the verdict.
	Preexisting []scanners.Finding
	opt         Options
	// annotationCap, when set by Fit, is how many annotations the API
	// budget allows (the most severe findings'); nil: one per finding.
	annotationCap *int
}

// Unplaced is a finding that has no inline comment, and why.
type Unplaced struct {
	Finding scanners.Finding
	Reason  string
}

// DefaultMaxInline is the inline comment budget of one review when
// Options.MaxInline is zero: past it, a review buries the code it reviews.
const DefaultMaxInline = 50

// MaxBody is the longest comment body or check-run summary GitHub accepts
// (65,535 characters; we count bytes, which is never fewer).
const MaxBody = 65535

// Build turns a scan result into a review. lines may be nil (push scans):
// then nothing goes inline.
//
// Every finding ends up either inline or unplaced with a reason; none is
// dropped, except a second finding with the fingerprint of an earlier one
// (the same thing found twice). Inline comments go, up to the budget, to
// the most severe findings whose whole line range is commentable.
func Build(res *scanners.Result, lines Lines, opt Options) *Review {
	opt = opt.withDefaults()
	r := &Review{opt: opt}
	if res == nil {
		res = &scanners.Result{}
	}

	seen := make(map[string]bool, len(res.Findings))
	for _, f := range res.Findings {
		fp := f.Fingerprint()
		if seen[fp] {
			continue
		}
		seen[fp] = true
		if f.Preexisting {
			r.Preexisting = append(r.Preexisting, f)
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	scanners.Sort(r.Findings)
	scanners.Sort(r.Preexisting)

	for _, st := range res.Statuses {
		if st.Skipped > 0 {
			files := "files"
			if st.Skipped == 1 {
				files = "file"
			}
			r.Skipped = append(r.Skipped, fmt.Sprintf("%s: %d %s not reviewed: vendored, minified or generated (secrets and dependencies are still checked)",
				st.Scanner, st.Skipped, files))
		}
		for _, reason := range slices.Sorted(maps.Keys(st.PassedOver)) {
			n, files := st.PassedOver[reason], "files"
			if n == 1 {
				files = "file"
			}
			r.Skipped = append(r.Skipped, fmt.Sprintf("%s: %d %s not reviewed: %s", st.Scanner, n, files, reason))
		}
		for _, note := range slices.Sorted(maps.Keys(st.Notes)) {
			n, files := st.Notes[note], "files"
			if n == 1 {
				files = "file"
			}
			r.Skipped = append(r.Skipped, fmt.Sprintf("%s: %d %s reviewed in part: %s", st.Scanner, n, files, note))
		}
		if st.Cut > 0 {
			r.Skipped = append(r.Skipped, fmt.Sprintf("%s: %d more findings already in the touched files not listed (over %d per file; not introduced by this change)",
				st.Scanner, st.Cut, scanners.MaxPreexisting))
		}
		for _, err := range st.Errors {
			if err != nil {
				r.Incomplete = append(r.Incomplete, fmt.Sprintf("%s: %v", st.Scanner, err))
			}
		}
	}

	// Inline comments are given out most severe first, so the budget is
	// spent on what matters; output order stays the sorted finding order.
	order := make([]int, len(r.Findings))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(r.Findings[b].Severity, r.Findings[a].Severity)
	})
	reasons := make([]string, len(r.Findings))
	placed := make([]*Comment, len(r.Findings))
	n := 0
	for _, i := range order {
		f := &r.Findings[i]
		if opt.NoInline != "" {
			reasons[i] = opt.NoInline
			continue
		}
		if lines == nil {
			reasons[i] = "push scans have no inline comments"
			continue
		}
		if _, _, why := placement(lines, f); why != "" {
			reasons[i] = why
			continue
		}
		if n >= opt.MaxInline {
			reasons[i] = fmt.Sprintf("over the %d inline comments budget", opt.MaxInline)
			continue
		}
		placed[i] = r.comment(f, lines)
		n++
	}
	for i := range r.Findings {
		if placed[i] != nil {
			r.Inline = append(r.Inline, *placed[i])
		} else {
			r.Unplaced = append(r.Unplaced, Unplaced{Finding: r.Findings[i], Reason: reasons[i]})
		}
	}

	switch {
	case scanners.Max(r.Findings) >= opt.FailOn, len(opt.Problems) > 0:
		r.Conclusion = Failure
	case len(r.Incomplete) > 0:
		r.Conclusion = Neutral
	default:
		r.Conclusion = Success
	}
	r.Title = title(r.Findings, len(r.Incomplete) > 0)
	if n := len(opt.Problems); n == 1 {
		r.Title += "; 1 problem to fix"
	} else if n > 1 {
		r.Title += fmt.Sprintf("; %d problems to fix", n)
	}
	return r
}

func (o Options) withDefaults() Options {
	if o.FailOn <= scanners.SeverityUnknown {
		o.FailOn = scanners.SeverityHigh
	}
	if o.MaxInline <= 0 {
		o.MaxInline = DefaultMaxInline
	}
	return o
}

// startEnd normalises a line range: an end before the start (or unset)
// means the start line alone.
func startEnd(start, end int) (int, int) {
	if end < start {
		end = start
	}
	return start, end
}

// uncommentable says why start..end cannot carry an inline comment, or ""
// when every line of it can.
func uncommentable(lines Lines, path string, start, end int) string {
	if start <= 0 {
		return "the finding has no line to comment on"
	}
	for l := start; l <= end; l++ {
		if !lines.Commentable(path, l) {
			return fmt.Sprintf("line %d is outside the diff", l)
		}
	}
	return ""
}

// maxCommentSpan is the longest finding range an inline comment spans;
// a longer one (a setting missing from a whole container or service) is
// commented on its first line, as a reader expects a note on the block's
// header, not under its last line (where GitLab, which comments on one
// line, would put it).
const maxCommentSpan = 8

// placement is where a finding's inline comment goes: its whole range
// when every line of it is commentable and it is short, else its first
// line alone when that is commentable (a block partly outside the diff);
// why says why neither is.
func placement(lines Lines, f *scanners.Finding) (start, end int, why string) {
	start, end = startEnd(f.Location.StartLine, f.Location.EndLine)
	if end-start < maxCommentSpan && uncommentable(lines, f.Location.Path, start, end) == "" {
		return start, end, ""
	}
	if why := uncommentable(lines, f.Location.Path, start, start); why != "" {
		return 0, 0, why
	}
	return start, start, ""
}

// comment makes the inline comment of a finding whose range is
// commentable (see placement). When the fix's range is commentable too, the comment spans
// exactly the fix's lines so a one-click suggestion replaces those lines.
// A fix of several edits is no suggestion (it would change only the
// comment's lines): the comment describes it.
func (r *Review) comment(f *scanners.Finding, lines Lines) *Comment {
	start, end, _ := placement(lines, f)
	suggest := false
	if fx := f.Fix; fx != nil && fx.Inline() {
		fs, fe := startEnd(fx.StartLine, fx.EndLine)
		if uncommentable(lines, f.Location.Path, fs, fe) == "" {
			start, end, suggest = fs, fe, true
		}
	}
	return &Comment{
		Path:        f.Location.Path,
		StartLine:   start,
		Line:        end,
		Body:        commentBody(f, r.opt.Flavor, suggest, end-start),
		Fingerprint: f.Fingerprint(),
		Severity:    f.Severity,
	}
}

// title is "3 findings (1 critical, 2 high)" or "No findings".
func title(fs []scanners.Finding, incomplete bool) string {
	var t string
	switch len(fs) {
	case 0:
		t = "No findings"
	case 1:
		t = "1 finding (" + severityCounts(fs) + ")"
	default:
		t = fmt.Sprintf("%d findings (%s)", len(fs), severityCounts(fs))
	}
	if incomplete {
		t += "; scan incomplete"
	}
	return t
}

// severityCounts is "1 critical, 2 high", most severe first.
func severityCounts(fs []scanners.Finding) string {
	var parts []string
	for s := scanners.SeverityCritical; s >= scanners.SeverityUnknown; s-- {
		n := 0
		for i := range fs {
			if fs[i].Severity == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

// Summary renders the check-run summary / GitLab summary note (markdown, at
// most 65,535 characters).
func (r *Review) Summary() string { return r.summary(MaxBody) }

// Text renders the review for a terminal (shiftward scan --format text).
func (r *Review) Text() string { return r.text() }

// Annotations are the check-run annotations, one per finding: level
// "failure" at or above Options.FailOn, "warning" from medium, "notice"
// below. GitHub takes at most 50 per request; the adapter batches them.
// After Fit cut them, only the most severe findings get one.
func (r *Review) Annotations() []Annotation {
	opt := r.opt.withDefaults()
	out := make([]Annotation, 0, len(r.Findings))
	var keep []bool
	if r.annotationCap != nil {
		// The most severe first, output still in finding order.
		keep = make([]bool, len(r.Findings))
		for k, i := range bySeverity(r.Findings) {
			keep[i] = k < *r.annotationCap
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		level := "notice"
		switch {
		case f.Severity >= opt.FailOn:
			level = "failure"
		case f.Severity >= scanners.SeverityMedium:
			level = "warning"
		}
		start, end := startEnd(f.Location.StartLine, f.Location.EndLine)
		if start <= 0 {
			// The checks API wants a line; a whole-file finding points at the first.
			start, end = 1, 1
		}
		msg := f.Message
		if n := verificationNote(f.Verification); n != "" {
			msg += "\n\n" + strings.NewReplacer("**", "").Replace(n)
		}
		if f.Fix != nil && f.Fix.Description != "" {
			msg += "\n\nFix: " + f.Fix.Description
		}
		msg += "\n\nRule: " + f.RuleID
		if keep != nil && !keep[i] {
			continue
		}
		out = append(out, Annotation{
			Path:      f.Location.Path,
			StartLine: start,
			EndLine:   end,
			Level:     level,
			Title:     fmt.Sprintf("%s: %s", f.Severity, f.Title),
			Message:   truncateUTF8(msg, maxAnnotationMessage),
		})
	}
	return out
}

// maxAnnotationMessage is the checks API's limit on an annotation message
// (64 KB); titles are short static text.
const maxAnnotationMessage = 64 << 10

// Demote moves the inline comment with this fingerprint to the summary with
// the reason (the platform refused its position).
func (r *Review) Demote(fingerprint, reason string) {
	i := slices.IndexFunc(r.Inline, func(c Comment) bool { return c.Fingerprint == fingerprint })
	if i < 0 {
		return
	}
	r.Inline = slices.Delete(r.Inline, i, i+1)
	j := slices.IndexFunc(r.Findings, func(f scanners.Finding) bool { return f.Fingerprint() == fingerprint })
	if j < 0 {
		return
	}
	r.Unplaced = append(r.Unplaced, Unplaced{Finding: r.Findings[j], Reason: reason})
	// Keep Unplaced in finding order, so the summary does not depend on
	// the order positions were refused in.
	pos := make(map[string]int, len(r.Findings))
	for k := range r.Findings {
		pos[r.Findings[k].Fingerprint()] = k
	}
	slices.SortStableFunc(r.Unplaced, func(a, b Unplaced) int {
		return cmp.Compare(pos[a.Finding.Fingerprint()], pos[b.Finding.Fingerprint()])
	})
}

// Marker is the hidden HTML comment that names a finding in a posted body.
func Marker(fingerprint string) string { return "<!-- shiftward:fp=" + fingerprint + " -->" }

// ResolvedMarker is the hidden HTML comment ResolvedBody adds to a posted
// body once its finding is gone.
const ResolvedMarker = "<!-- shiftward:resolved -->"

const markerPrefix = "<!-- shiftward:fp="

// ParseMarker finds the fingerprint in a posted body and whether it was
// marked resolved.
//
// Only a well-formed marker counts (16 lower-case hex digits); the last one
// wins, since shiftward writes its marker at the end and a quoted reply may
// carry another's earlier.
func ParseMarker(body string) (fingerprint string, resolved bool, ok bool) {
	rest := body
	for {
		i := strings.LastIndex(rest, markerPrefix)
		if i < 0 {
			return "", false, false
		}
		cand := rest[i+len(markerPrefix):]
		if len(cand) >= 16+len(" -->") && isHex16(cand[:16]) && strings.HasPrefix(cand[16:], " -->") {
			return cand[:16], strings.Contains(body, ResolvedMarker), true
		}
		rest = rest[:i]
	}
}

func isHex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Reconcile compares the review with what earlier runs posted: comments to
// post (their fingerprint is not yet posted) and posted ones to mark resolved
// (their finding is gone).
//
// A finding counts as present wherever it sits, inline or in the summary,
// so a finding that merely moved out of the diff is not called fixed. A
// posted comment already resolved does not count as posted: if its finding
// comes back, it is commented again. When the scan was incomplete nothing
// is resolved, since a finding may be missing only because a scanner failed.
func Reconcile(r *Review, posted []Posted) (post []Comment, resolve []Posted) {
	if r == nil {
		return nil, nil
	}
	open := make(map[string]bool, len(posted))
	for _, p := range posted {
		fp, resolved := postedState(p)
		if fp != "" && !resolved {
			open[fp] = true
		}
	}
	for _, c := range r.Inline {
		if !open[c.Fingerprint] {
			post = append(post, c)
		}
	}
	if len(r.Incomplete) > 0 {
		return post, nil
	}
	present := make(map[string]bool, len(r.Findings))
	for i := range r.Findings {
		present[r.Findings[i].Fingerprint()] = true
	}
	for _, u := range r.Unplaced {
		present[u.Finding.Fingerprint()] = true
	}
	for _, p := range posted {
		fp, resolved := postedState(p)
		if fp != "" && !resolved && !present[fp] {
			resolve = append(resolve, p)
		}
	}
	return post, resolve
}

// postedState reads a posted comment's fingerprint and resolution from its
// fields, falling back on the markers in its body.
func postedState(p Posted) (fp string, resolved bool) {
	bfp, bres, ok := ParseMarker(p.Body)
	fp = p.Fingerprint
	if fp == "" && ok {
		fp = bfp
	}
	return fp, p.Resolved || bres
}

// ResolvedBody is the body of a posted comment edited to say it was fixed in sha.
// It is idempotent: a body already marked resolved comes back unchanged.
func ResolvedBody(body, sha string) string {
	if strings.Contains(body, ResolvedMarker) {
		return body
	}
	short := shortSHA(sha)
	head := "✅ **Fixed**"
	if short != "" {
		head = "✅ **Fixed in " + short + "**"
	}
	head += "\n\n"
	tail := "\n" + ResolvedMarker
	if len(head)+len(body)+len(tail) > MaxBody {
		// Keep the fingerprint marker (at the end) and cut the text before it.
		fp, _, ok := ParseMarker(body)
		keep := MaxBody - len(head) - len(tail)
		if ok {
			m := "\n" + Marker(fp)
			body = truncateUTF8(body, keep-len(m)-len("…")) + "…" + m
		} else {
			body = truncateUTF8(body, keep)
		}
	}
	return head + body + tail
}

// shortSHA is the first 7 characters of a commit sha, keeping only hex
// digits so nothing odd reaches the markdown.
func shortSHA(sha string) string {
	var b strings.Builder
	for i := 0; i < len(sha) && b.Len() < 7; i++ {
		c := sha[i]
		if (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') {
			b.WriteByte(c)
		}
	}
	return b.String()
}
