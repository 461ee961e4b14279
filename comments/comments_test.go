package comments_test

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// hunks is a fake comments.Lines: the commentable line ranges per path.
type hunks map[string][][2]int

func (h hunks) Commentable(path string, line int) bool {
	for _, r := range h[path] {
		if line >= r[0] && line <= r[1] {
			return true
		}
	}
	return false
}

var _ comments.Lines = hunks(nil)

// secretIdentity stands for the digest a secrets scanner puts in Identity;
// no rendering may ever show it.
const secretIdentity = "IDENTITY-DIGEST-MUST-NOT-APPEAR"

func fixtureFindings() []scanners.Finding {
	return []scanners.Finding{
		{
			Scanner: "secrets", RuleID: "secrets/github-pat", Severity: scanners.SeverityCritical,
			Title:    "GitHub personal access token",
			Message:  "A GitHub token is committed in plain text. Rotate it now: anyone who can read the repository can use it.",
			Location: scanners.Location{Path: "config/app.go", StartLine: 12, EndLine: 12},
			Fix: &scanners.Fix{Description: "read the token from the environment", StartLine: 12, EndLine: 12,
				Replacement: "\ttoken := os.Getenv(\"GITHUB_TOKEN\")"},
			References: []string{"CWE-798", "https://docs.github.com/en/authentication"},
			Evidence:   "ghp_************************************abcd",
			Identity:   secretIdentity + "-1",
		},
		{
			Scanner: "code", RuleID: "code/markdown-in-docs", Severity: scanners.SeverityHigh,
			Title:    "Template injection",
			Message:  "The block renders user input:\n- unescaped\n# twice",
			Location: scanners.Location{Path: "docs/README.md", StartLine: 3, EndLine: 5},
			Fix: &scanners.Fix{Description: "escape the input", StartLine: 3, EndLine: 5,
				Replacement: "```go\nfmt.Println(html.EscapeString(s))\n```"},
			References: []string{"CWE-94", "GHSA-abcd-efgh-ijkl", "CVE-2024-1234", "GO-2024-2687", "see | docs"},
			Identity:   "tmpl",
		},
		{
			Scanner: "deps", RuleID: "deps/vulnerable", Severity: scanners.SeverityMedium,
			Title:    "Vulnerable dependency",
			Message:  "Ask @octocat | [click](http://evil.example) <!-- shiftward:fp=0000000000000000 --> *now*",
			Location: scanners.Location{Path: "go.mod", StartLine: 40, EndLine: 40},
			Fix:      &scanners.Fix{Description: "upgrade", StartLine: 40, EndLine: 40, Replacement: "require x v1.2.3"},
			Identity: "x@v1.2.2",
		},
		{
			Scanner: "iac", RuleID: "iac/privileged", Severity: scanners.SeverityLow,
			Title:    "Privileged container",
			Message:  "The container runs privileged.",
			Location: scanners.Location{Path: "deploy/pod|x.yaml", StartLine: 7, EndLine: 9},
			Fix:      &scanners.Fix{Description: "drop the flag", StartLine: 8, EndLine: 8},
			Identity: "priv",
		},
		{
			Scanner: "iac", RuleID: "iac/no-resources", Severity: scanners.SeverityInfo,
			Title:    "No resource limits",
			Message:  "Whole-file finding.",
			Location: scanners.Location{Path: "deploy/pod|x.yaml"},
			Identity: "limits",
		},
	}
}

func fixtureLines() hunks {
	return hunks{
		"config/app.go":     {{10, 14}},
		"docs/README.md":    {{1, 6}},
		"go.mod":            {{38, 39}}, // line 40 lies outside the diff
		"deploy/pod|x.yaml": {{1, 20}},
	}
}

func fixtureResult() *scanners.Result {
	fs := fixtureFindings()
	scanners.Sort(fs)
	return &scanners.Result{
		Findings: fs,
		Statuses: []scanners.Status{
			{Scanner: "secrets", Files: 4},
			{Scanner: "code", Files: 4, Errors: []error{errors.New("vendor/big.js: file larger than 1 MiB")}},
		},
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, d)
	}
}

func renderInline(r *comments.Review) string {
	var b strings.Builder
	for _, c := range r.Inline {
		fmt.Fprintf(&b, "===== %s:%d-%d %s %s\n%s\n", c.Path, c.StartLine, c.Line, c.Severity, c.Fingerprint, c.Body)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  comments.Options
	}{
		{"github", comments.Options{Flavor: comments.GitHub, HeadSHA: "0123456789abcdef0123456789abcdef01234567"}},
		{"gitlab", comments.Options{Flavor: comments.GitLab, HeadSHA: "0123456789abcdef0123456789abcdef01234567"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := comments.Build(fixtureResult(), fixtureLines(), tc.opt)
			checkGolden(t, tc.name+"-comments", renderInline(r))
			checkGolden(t, tc.name+"-summary", r.Summary())
			checkGolden(t, tc.name+"-text", r.Text())
			for _, out := range append([]string{r.Summary(), r.Text()}, strings.Split(renderInline(r), "=====")...) {
				if strings.Contains(out, secretIdentity) {
					t.Fatalf("rendering shows the finding's identity:\n%s", out)
				}
			}
		})
	}
}

// TestBuildPlacementLongRange: a finding over a long block (a setting
// missing from a whole container) is commented on its first line, short
// ranges on all their lines.
func TestBuildPlacementLongRange(t *testing.T) {
	for _, tc := range []struct {
		end, wantStart, wantLine int
	}{
		{end: 14, wantStart: 7, wantLine: 14},
		{end: 15, wantStart: 7, wantLine: 7},
		{end: 40, wantStart: 7, wantLine: 7},
	} {
		t.Run(fmt.Sprint(tc.end), func(t *testing.T) {
			res := scanners.Result{Findings: []scanners.Finding{{Scanner: "iac", RuleID: "iac/x", Severity: scanners.SeverityMedium, Identity: "x",
				Location: scanners.Location{Path: "k.yaml", StartLine: 7, EndLine: tc.end}}}}
			r := comments.Build(&res, hunks{"k.yaml": {{1, 50}}}, comments.Options{})
			if len(r.Inline) != 1 {
				t.Fatalf("inline = %d, want 1 (unplaced %+v)", len(r.Inline), r.Unplaced)
			}
			if c := r.Inline[0]; c.StartLine != tc.wantStart || c.Line != tc.wantLine {
				t.Errorf("comment on %d-%d, want %d-%d", c.StartLine, c.Line, tc.wantStart, tc.wantLine)
			}
		})
	}
}

func TestBuildPlacement(t *testing.T) {
	tests := []struct {
		name       string
		lines      comments.Lines
		opt        comments.Options
		wantInline []string // path:start-line
		wantReason map[string]string
	}{
		{
			name:       "inline where the whole range is in the diff",
			lines:      fixtureLines(),
			wantInline: []string{"config/app.go:12-12", "deploy/pod|x.yaml:8-8", "docs/README.md:3-5"},
			wantReason: map[string]string{
				"go.mod":            "line 40 is outside the diff",
				"deploy/pod|x.yaml": "the finding has no line to comment on",
			},
		},
		{
			name: "push scans have no inline comments",
			wantReason: map[string]string{
				"config/app.go":     "push scans have no inline comments",
				"docs/README.md":    "push scans have no inline comments",
				"go.mod":            "push scans have no inline comments",
				"deploy/pod|x.yaml": "push scans have no inline comments",
			},
		},
		{
			name:       "budget spent on the most severe first",
			lines:      fixtureLines(),
			opt:        comments.Options{MaxInline: 2},
			wantInline: []string{"config/app.go:12-12", "docs/README.md:3-5"},
			wantReason: map[string]string{
				"go.mod":            "line 40 is outside the diff",
				"deploy/pod|x.yaml": "over the 2 inline comments budget",
			},
		},
		{
			// A range partly outside the diff is commented on its first
			// line (the fix's line when that is commentable).
			name:       "range partly outside the diff",
			lines:      hunks{"config/app.go": {{12, 12}}, "docs/README.md": {{3, 4}}, "go.mod": {{40, 40}}, "deploy/pod|x.yaml": {{1, 8}}},
			wantInline: []string{"config/app.go:12-12", "deploy/pod|x.yaml:8-8", "docs/README.md:3-3", "go.mod:40-40"},
		},
		{
			name:       "first line outside the diff",
			lines:      hunks{"config/app.go": {{12, 12}}, "docs/README.md": {{4, 5}}, "go.mod": {{40, 40}}, "deploy/pod|x.yaml": {{8, 9}}},
			wantInline: []string{"config/app.go:12-12", "go.mod:40-40"},
			wantReason: map[string]string{"docs/README.md": "line 3 is outside the diff", "deploy/pod|x.yaml": "line 7 is outside the diff"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := fixtureResult()
			r := comments.Build(res, tc.lines, tc.opt)
			if got, want := len(r.Inline)+len(r.Unplaced), len(res.Findings); got != want {
				t.Fatalf("inline+unplaced = %d, want every one of %d findings", got, want)
			}
			var inline []string
			for _, c := range r.Inline {
				inline = append(inline, fmt.Sprintf("%s:%d-%d", c.Path, c.StartLine, c.Line))
			}
			if d := cmp.Diff(tc.wantInline, inline); d != "" {
				t.Errorf("inline mismatch (-want +got):\n%s", d)
			}
			for _, u := range r.Unplaced {
				want, ok := tc.wantReason[u.Finding.Location.Path]
				if u.Finding.RuleID == "iac/no-resources" {
					want, ok = "the finding has no line to comment on", true
					if tc.lines == nil {
						want = "push scans have no inline comments"
					}
				}
				if !ok || u.Reason != want {
					t.Errorf("%s unplaced because %q, want %q", u.Finding.RuleID, u.Reason, want)
				}
			}
		})
	}
}

func TestBuildDedupesByFingerprint(t *testing.T) {
	f := fixtureFindings()[0]
	moved := f
	moved.Location.StartLine, moved.Location.EndLine = 13, 13 // same secret, other line
	moved.Message = "second"
	r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f, moved}}, fixtureLines(), comments.Options{})
	if len(r.Findings) != 1 || r.Findings[0].Location.StartLine != 12 {
		t.Fatalf("findings = %+v, want only the first", r.Findings)
	}
	if len(r.Inline) != 1 {
		t.Errorf("inline = %d, want 1", len(r.Inline))
	}
}

func TestConclusionAndTitle(t *testing.T) {
	high := scanners.Finding{RuleID: "r/high", Severity: scanners.SeverityHigh, Identity: "h", Location: scanners.Location{Path: "a", StartLine: 1}}
	crit := scanners.Finding{RuleID: "r/crit", Severity: scanners.SeverityCritical, Identity: "c", Location: scanners.Location{Path: "a", StartLine: 2}}
	med := scanners.Finding{RuleID: "r/med", Severity: scanners.SeverityMedium, Identity: "m", Location: scanners.Location{Path: "a", StartLine: 3}}
	high2 := high
	high2.Identity = "h2"
	failed := []scanners.Status{{Scanner: "deps", Errors: []error{errors.New("go.sum: unreadable"), errors.New("b: x")}}}
	tests := []struct {
		name      string
		res       *scanners.Result
		opt       comments.Options
		want      comments.Conclusion
		wantTitle string
	}{
		{"nothing", &scanners.Result{}, comments.Options{}, comments.Success, "No findings"},
		{"nil result", nil, comments.Options{}, comments.Success, "No findings"},
		{"high fails by default", &scanners.Result{Findings: []scanners.Finding{crit, high, high2}}, comments.Options{},
			comments.Failure, "3 findings (1 critical, 2 high)"},
		{"medium passes by default", &scanners.Result{Findings: []scanners.Finding{med}}, comments.Options{},
			comments.Success, "1 finding (1 medium)"},
		{"medium fails at FailOn medium", &scanners.Result{Findings: []scanners.Finding{med}}, comments.Options{FailOn: scanners.SeverityMedium},
			comments.Failure, "1 finding (1 medium)"},
		{"high passes at FailOn critical", &scanners.Result{Findings: []scanners.Finding{high}}, comments.Options{FailOn: scanners.SeverityCritical},
			comments.Success, "1 finding (1 high)"},
		{"incomplete is never success", &scanners.Result{Statuses: failed}, comments.Options{},
			comments.Neutral, "No findings; scan incomplete"},
		{"failure beats incomplete", &scanners.Result{Findings: []scanners.Finding{high}, Statuses: failed}, comments.Options{},
			comments.Failure, "1 finding (1 high); scan incomplete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := comments.Build(tc.res, hunks{}, tc.opt)
			if r.Conclusion != tc.want || r.Title != tc.wantTitle {
				t.Errorf("got %s %q, want %s %q", r.Conclusion, r.Title, tc.want, tc.wantTitle)
			}
		})
	}
	r := comments.Build(&scanners.Result{Statuses: failed}, nil, comments.Options{})
	if d := cmp.Diff([]string{"deps: go.sum: unreadable", "deps: b: x"}, r.Incomplete); d != "" {
		t.Errorf("Incomplete mismatch (-want +got):\n%s", d)
	}
}

func TestSuggestionRanges(t *testing.T) {
	f := scanners.Finding{
		RuleID: "r/x", Severity: scanners.SeverityHigh, Title: "T", Identity: "x",
		Location: scanners.Location{Path: "a.go", StartLine: 11, EndLine: 11},
		Fix:      &scanners.Fix{StartLine: 10, EndLine: 13, Replacement: "a\nb"},
	}
	tests := []struct {
		name       string
		flavor     comments.Flavor
		lines      hunks
		wantStart  int
		wantLine   int
		wantFence  string
		wantNoSugg bool
	}{
		{"github covers the fix range", comments.GitHub, hunks{"a.go": {{1, 20}}}, 10, 13, "```suggestion\na\nb\n```\n", false},
		{"gitlab anchors on the last line", comments.GitLab, hunks{"a.go": {{1, 20}}}, 10, 13, "```suggestion:-3+0\na\nb\n```\n", false},
		{"fix outside the diff is plain text", comments.GitHub, hunks{"a.go": {{11, 12}}}, 11, 11, "Replace lines 10-13 with:\n\n```\na\nb\n```\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f}}, tc.lines, comments.Options{Flavor: tc.flavor})
			if len(r.Inline) != 1 {
				t.Fatalf("inline = %d", len(r.Inline))
			}
			c := r.Inline[0]
			if c.StartLine != tc.wantStart || c.Line != tc.wantLine {
				t.Errorf("range %d-%d, want %d-%d", c.StartLine, c.Line, tc.wantStart, tc.wantLine)
			}
			if !strings.Contains(c.Body, tc.wantFence) {
				t.Errorf("body lacks %q:\n%s", tc.wantFence, c.Body)
			}
			if tc.wantNoSugg && strings.Contains(c.Body, "suggestion") {
				t.Errorf("body has a suggestion for a fix outside the diff:\n%s", c.Body)
			}
		})
	}
}

func TestFenceSizing(t *testing.T) {
	tests := []struct {
		replacement string
		wantFence   string
	}{
		{"plain", "```"},
		{"a `tick` here", "```"},
		{"```\ncode\n```", "````"},
		{"x ```` y", "`````"},
		{"", "```"},
	}
	for _, tc := range tests {
		t.Run(tc.replacement, func(t *testing.T) {
			f := scanners.Finding{RuleID: "r/x", Identity: "x", Location: scanners.Location{Path: "a", StartLine: 1},
				Fix: &scanners.Fix{StartLine: 1, EndLine: 1, Replacement: tc.replacement}}
			r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f}}, hunks{"a": {{1, 1}}}, comments.Options{})
			body := r.Inline[0].Body
			open := tc.wantFence + "suggestion\n"
			i := strings.Index(body, open)
			if i < 0 || (i > 0 && body[i-1] == '`') {
				t.Fatalf("no %q fence opening in:\n%s", open, body)
			}
			rest := body[i+len(open):]
			want := tc.replacement
			if want != "" {
				want += "\n"
			}
			if !strings.HasPrefix(rest, want+tc.wantFence+"\n") {
				t.Errorf("suggestion block is not exactly the replacement:\n%s", body)
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	r := comments.Build(fixtureResult(), fixtureLines(), comments.Options{})
	sum := r.Summary()
	// The medium finding's message tries to spoof a marker, a link and a mention.
	for _, bad := range []string{"<!-- shiftward:fp=0000000000000000 -->", "[click](http://evil", "@octocat"} {
		if strings.Contains(sum, bad) {
			t.Errorf("summary carries %q unescaped", bad)
		}
	}
	for _, c := range r.Inline {
		fp, _, ok := comments.ParseMarker(c.Body)
		if !ok || fp != c.Fingerprint {
			t.Errorf("marker of %s reads %q, %v", c.Path, fp, ok)
		}
		if n := strings.Count(c.Body, "<!-- shiftward:fp="); n != 1 {
			t.Errorf("%s body has %d markers", c.Path, n)
		}
	}
	// Every table row keeps exactly its four cells despite the pipe in the path.
	for _, l := range strings.Split(sum, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Contains(l, "pod") {
			if cells := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); cells != 5 {
				t.Errorf("row %q has %d unescaped pipes, want 5", l, cells)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	base := comments.Build(fixtureResult(), fixtureLines(), comments.Options{})
	for i := range 20 {
		res := fixtureResult()
		rng := rand.New(rand.NewPCG(uint64(i), 1))
		rng.Shuffle(len(res.Findings), func(a, b int) { res.Findings[a], res.Findings[b] = res.Findings[b], res.Findings[a] })
		r := comments.Build(res, fixtureLines(), comments.Options{})
		if r.Summary() != base.Summary() || renderInline(r) != renderInline(base) || r.Text() != base.Text() {
			t.Fatalf("shuffle %d changed the output", i)
		}
	}
}

func manyFindings(n int, msgLen int) *scanners.Result {
	var fs []scanners.Finding
	for i := range n {
		fs = append(fs, scanners.Finding{
			RuleID: "code/rule-" + fmt.Sprint(i%7), Severity: scanners.Severity(1 + i%5), Title: "A | title",
			Message:  strings.Repeat("word ", msgLen/5),
			Location: scanners.Location{Path: fmt.Sprintf("dir/file%04d.go", i), StartLine: i + 1, EndLine: i + 1},
			Fix:      &scanners.Fix{Description: "fix it", StartLine: i + 1, EndLine: i + 1, Replacement: strings.Repeat("x", 100)},
			Identity: fmt.Sprint(i),
		})
	}
	scanners.Sort(fs)
	return &scanners.Result{Findings: fs}
}

func TestSummaryBudget(t *testing.T) {
	for _, n := range []int{10, 300, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := comments.Build(manyFindings(n, 2000), nil, comments.Options{})
			s := r.Summary()
			if len(s) > comments.MaxBody {
				t.Fatalf("summary is %d bytes, over %d", len(s), comments.MaxBody)
			}
			if !strings.HasSuffix(s, "<sub>shiftward</sub>\n") {
				t.Errorf("summary lost its end")
			}
			rows := 0
			for _, l := range strings.Split(s, "\n") {
				if strings.HasPrefix(l, "| ") && strings.Contains(l, "`code/rule-") {
					rows++
					if !strings.HasSuffix(l, " |") {
						t.Errorf("row cut mid-way: %q", l)
					}
				}
			}
			details := strings.Count(s, "\n#### ")
			more := 0
			table, _, _ := strings.Cut(s, "### Not commented inline")
			if i := strings.Index(table, "… and "); i >= 0 {
				fmt.Sscanf(table[i+len("… and "):], "%d", &more)
			}
			if rows+more != n {
				t.Errorf("%d rows + %d more = %d, want %d", rows, more, rows+more, n)
			}
			if n == 10 && (more != 0 || details != 10) {
				t.Errorf("small review truncated: %d more, %d details", more, details)
			}
			if n == 5000 && more == 0 {
				t.Error("no '… and N more' on a huge review")
			}
		})
	}
}

func TestCommentBodyBudget(t *testing.T) {
	f := scanners.Finding{RuleID: "r/x", Severity: scanners.SeverityHigh, Title: "T", Identity: "x",
		Message:  strings.Repeat("é", 100000),
		Evidence: strings.Repeat("e", 100000),
		Location: scanners.Location{Path: "a", StartLine: 1},
		Fix:      &scanners.Fix{StartLine: 1, EndLine: 1, Replacement: strings.Repeat("r\n", 100000)}}
	r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f}}, hunks{"a": {{1, 1}}}, comments.Options{})
	body := r.Inline[0].Body
	if len(body) > comments.MaxBody {
		t.Fatalf("body is %d bytes", len(body))
	}
	if fp, _, ok := comments.ParseMarker(body); !ok || fp != f.Fingerprint() {
		t.Errorf("marker lost from a long body")
	}
	if got := comments.ResolvedBody(body, "abc"); len(got) > comments.MaxBody {
		t.Errorf("resolved body is %d bytes", len(got))
	}
}

func TestAnnotations(t *testing.T) {
	r := comments.Build(fixtureResult(), fixtureLines(), comments.Options{})
	var got []string
	for _, a := range r.Annotations() {
		got = append(got, fmt.Sprintf("%s:%d-%d %s %s", a.Path, a.StartLine, a.EndLine, a.Level, a.Title))
		if !strings.Contains(a.Message, "Rule: ") {
			t.Errorf("annotation %s lacks the rule", a.Title)
		}
	}
	want := []string{
		"config/app.go:12-12 failure critical: GitHub personal access token",
		"deploy/pod|x.yaml:1-1 notice info: No resource limits",
		"deploy/pod|x.yaml:7-9 notice low: Privileged container",
		"docs/README.md:3-5 failure high: Template injection",
		"go.mod:40-40 warning medium: Vulnerable dependency",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("annotations mismatch (-want +got):\n%s", d)
	}
}

func TestDemote(t *testing.T) {
	r := comments.Build(fixtureResult(), fixtureLines(), comments.Options{})
	before := len(r.Inline)
	fp := r.Inline[0].Fingerprint
	r.Demote(fp, "GitHub refused the position (422)")
	r.Demote("ffffffffffffffff", "unknown")
	if len(r.Inline) != before-1 || slices.ContainsFunc(r.Inline, func(c comments.Comment) bool { return c.Fingerprint == fp }) {
		t.Fatalf("inline still has %s", fp)
	}
	i := slices.IndexFunc(r.Unplaced, func(u comments.Unplaced) bool { return u.Finding.Fingerprint() == fp })
	if i < 0 || r.Unplaced[i].Reason != "GitHub refused the position (422)" {
		t.Fatalf("demoted finding not unplaced with its reason: %+v", r.Unplaced)
	}
	if !strings.Contains(r.Summary(), "GitHub refused the position (422)") {
		t.Error("summary does not show the demotion reason")
	}
	// Unplaced stays in finding order.
	var order []string
	for _, u := range r.Unplaced {
		order = append(order, u.Finding.Location.Path)
	}
	if !slices.IsSorted(order) {
		t.Errorf("unplaced out of order: %v", order)
	}
}

func TestParseMarker(t *testing.T) {
	tests := []struct {
		body         string
		fp           string
		resolved, ok bool
	}{
		{"text\n" + comments.Marker("0123456789abcdef"), "0123456789abcdef", false, true},
		{comments.ResolvedBody("x\n"+comments.Marker("0123456789abcdef"), "abcdef1234"), "0123456789abcdef", true, true},
		{"> quoted " + comments.Marker("1111111111111111") + "\nreply " + comments.Marker("2222222222222222"), "2222222222222222", false, true},
		{comments.Marker("2222222222222222") + " then " + comments.Marker("XYZ"), "2222222222222222", false, true},
		{"<!-- shiftward:fp=0123 -->", "", false, false},
		{"<!-- shiftward:fp=0123456789ABCDEF -->", "", false, false},
		{"no marker", "", false, false},
		{"", "", false, false},
	}
	for _, tc := range tests {
		fp, resolved, ok := comments.ParseMarker(tc.body)
		if fp != tc.fp || resolved != tc.resolved || ok != tc.ok {
			t.Errorf("ParseMarker(%q) = %q, %v, %v; want %q, %v, %v", tc.body, fp, resolved, ok, tc.fp, tc.resolved, tc.ok)
		}
	}
}

func TestResolvedBody(t *testing.T) {
	body := "**🔴 Critical**\n" + comments.Marker("0123456789abcdef")
	once := comments.ResolvedBody(body, "0123456789abcdef0123")
	want := "✅ **Fixed in 0123456**\n\n" + body + "\n<!-- shiftward:resolved -->"
	if once != want {
		t.Errorf("ResolvedBody = %q, want %q", once, want)
	}
	if twice := comments.ResolvedBody(once, "fedcba9876543210"); twice != once {
		t.Errorf("resolving twice changed the body:\n%s", twice)
	}
	if got := comments.ResolvedBody(body, "<b>x</b>"); strings.Contains(got, "<b>") {
		t.Errorf("sha not sanitised: %q", got)
	}
}

func TestReconcile(t *testing.T) {
	res := fixtureResult()
	res.Statuses = nil // a complete scan
	r := comments.Build(res, fixtureLines(), comments.Options{})
	inlineFP := func(path string) string {
		for _, c := range r.Inline {
			if c.Path == path {
				return c.Fingerprint
			}
		}
		t.Fatalf("no inline comment on %s", path)
		return ""
	}
	unplacedFP := r.Unplaced[0].Finding.Fingerprint()
	app, docs := inlineFP("config/app.go"), inlineFP("docs/README.md")
	const gone = "00000000000000aa"
	tests := []struct {
		name        string
		review      *comments.Review
		posted      []comments.Posted
		wantPost    []string // paths
		wantResolve []int64
	}{
		{
			name:     "first run posts everything",
			review:   r,
			wantPost: []string{"config/app.go", "deploy/pod|x.yaml", "docs/README.md"},
		},
		{
			name:   "already posted, by field or by body marker",
			review: r,
			posted: []comments.Posted{
				{ID: 1, Fingerprint: app},
				{ID: 2, Body: "x " + comments.Marker(docs)},
			},
			wantPost: []string{"deploy/pod|x.yaml"},
		},
		{
			name:   "gone findings resolved, still-present ones kept (inline or unplaced)",
			review: r,
			posted: []comments.Posted{
				{ID: 1, Fingerprint: app},
				{ID: 2, Fingerprint: gone},
				{ID: 3, Fingerprint: unplacedFP},
				{ID: 4, Body: "not ours"},
			},
			wantPost:    []string{"deploy/pod|x.yaml", "docs/README.md"},
			wantResolve: []int64{2},
		},
		{
			name:   "resolved comments are not resolved again, and a regression is posted again",
			review: r,
			posted: []comments.Posted{
				{ID: 2, Fingerprint: gone, Resolved: true},
				{ID: 5, Body: comments.ResolvedBody(comments.Marker(gone), "abc")},
				{ID: 6, Fingerprint: app, Resolved: true},
			},
			wantPost: []string{"config/app.go", "deploy/pod|x.yaml", "docs/README.md"},
		},
		{
			name:     "an incomplete scan resolves nothing",
			review:   comments.Build(&scanners.Result{Statuses: []scanners.Status{{Scanner: "s", Errors: []error{errors.New("x")}}}}, fixtureLines(), comments.Options{}),
			posted:   []comments.Posted{{ID: 2, Fingerprint: gone}},
			wantPost: nil,
		},
		{
			name:   "nil review",
			posted: []comments.Posted{{ID: 2, Fingerprint: gone}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			post, resolve := comments.Reconcile(tc.review, tc.posted)
			var paths []string
			for _, c := range post {
				paths = append(paths, c.Path)
			}
			var ids []int64
			for _, p := range resolve {
				ids = append(ids, p.ID)
			}
			if d := cmp.Diff(tc.wantPost, paths); d != "" {
				t.Errorf("post mismatch (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantResolve, ids); d != "" {
				t.Errorf("resolve mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// FuzzMarkers checks that reading markers never panics, that resolving is
// idempotent, and that it keeps the fingerprint a body carried.
func FuzzMarkers(f *testing.F) {
	f.Add("body\n"+comments.Marker("0123456789abcdef"), "abcdef0")
	f.Add("<!-- shiftward:fp=", "")
	f.Add(comments.ResolvedMarker, "zz")
	f.Fuzz(func(t *testing.T, body, sha string) {
		fp, _, ok := comments.ParseMarker(body)
		once := comments.ResolvedBody(body, sha)
		if comments.ResolvedBody(once, sha) != once {
			t.Fatal("ResolvedBody is not idempotent")
		}
		fp2, resolved, ok2 := comments.ParseMarker(once)
		if !resolved && ok2 {
			t.Fatal("resolved body not read as resolved")
		}
		if ok && len(body) < comments.MaxBody-300 && (!ok2 || fp2 != fp) {
			t.Fatalf("fingerprint %q became %q, %v", fp, fp2, ok2)
		}
	})
}

func TestProblemsNotesAndNoInline(t *testing.T) {
	low := scanners.Finding{Scanner: "iac", RuleID: "iac/x", Severity: scanners.SeverityLow, Title: "X",
		Location: scanners.Location{Path: "a.yaml", StartLine: 2, EndLine: 2}, Identity: "x"}
	res := &scanners.Result{Findings: []scanners.Finding{low}}
	lines := hunks{"a.yaml": {{1, 5}}}

	plain := comments.Build(res, lines, comments.Options{})
	if plain.Conclusion != comments.Success || len(plain.Inline) != 1 {
		t.Fatalf("without options: %s, %d inline", plain.Conclusion, len(plain.Inline))
	}

	r := comments.Build(res, lines, comments.Options{
		NoInline: "inline comments are off (comments.mode: check-only)",
		Problems: []string{".shiftward.yml:3:5: unknown key \"fail_onn\" (did you mean \"fail_on\"?)"},
		Notes:    []string{"suppression added by this change: iac/y at b.yaml:4 (reason: test fixture)"},
	})
	if r.Conclusion != comments.Failure {
		t.Errorf("a configuration problem must fail the review, got %s", r.Conclusion)
	}
	if len(r.Inline) != 0 || len(r.Unplaced) != 1 || r.Unplaced[0].Reason != "inline comments are off (comments.mode: check-only)" {
		t.Errorf("inline %d, unplaced %+v", len(r.Inline), r.Unplaced)
	}
	if !strings.Contains(r.Title, "1 problem to fix") {
		t.Errorf("title %q does not mention the problem", r.Title)
	}
	sum := r.Summary()
	for _, want := range []string{"### Problems to fix", "fail\\_onn", "### Notes", "suppression added by this change", "see the problems below"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}

// TestPreexistingListedApart: what a touched file already had is listed in
// its own summary section, marked as not introduced; it is never inline,
// never annotated and never part of the verdict or the title.
func TestPreexistingListedApart(t *testing.T) {
	old := scanners.Finding{RuleID: "deps/vulnerable-dependency", Severity: scanners.SeverityCritical, Title: "lodash@4.17.4: 3 advisories",
		Identity: "npm/lodash@4.17.4", Location: scanners.Location{Path: "a", StartLine: 1, EndLine: 1}, Preexisting: true}
	med := scanners.Finding{RuleID: "r/med", Severity: scanners.SeverityMedium, Identity: "m", Location: scanners.Location{Path: "a", StartLine: 3, EndLine: 3}}
	r := comments.Build(&scanners.Result{Findings: []scanners.Finding{old, med}}, hunks{"a": {{1, 10}}}, comments.Options{})
	if r.Conclusion != comments.Success || r.Title != "1 finding (1 medium)" || len(r.Inline) != 1 || len(r.Unplaced) != 0 {
		t.Errorf("conclusion %s %q, inline %d, unplaced %d: want a pass on the medium alone", r.Conclusion, r.Title, len(r.Inline), len(r.Unplaced))
	}
	if len(r.Preexisting) != 1 || len(r.Annotations()) != 1 {
		t.Errorf("preexisting %d, annotations %d: want 1 and 1", len(r.Preexisting), len(r.Annotations()))
	}
	s := r.Summary()
	if !strings.Contains(s, "### Already in the files this change touches") || !strings.Contains(s, "Not introduced by this change") ||
		!strings.Contains(s, "lodash") || !strings.Contains(s, "a:1") {
		t.Errorf("summary lacks the section:\n%s", s)
	}
	if txt := r.Text(); !strings.Contains(txt, "not introduced by it") || !strings.Contains(txt, "a:1: critical deps/vulnerable-dependency") {
		t.Errorf("text lacks the section:\n%s", txt)
	}
}

// TestSkippedFilesAreANoteNotAVerdict: files a scanner passed over as not
// written by hand are said in the summary and the text, and a review with
// nothing else passes.
func TestSkippedFilesAreANoteNotAVerdict(t *testing.T) {
	res := &scanners.Result{Statuses: []scanners.Status{{Scanner: "code", Skipped: 2}, {Scanner: "secrets", Files: 3},
		{Scanner: "iac", PassedOver: map[string]int{"Helm templates": 1}}}}
	r := comments.Build(res, fixtureLines(), comments.Options{})
	if r.Conclusion != comments.Success || len(r.Incomplete) != 0 {
		t.Errorf("conclusion %s, incomplete %q; want success and nothing incomplete", r.Conclusion, r.Incomplete)
	}
	for _, want := range []string{"code: 2 files not reviewed: vendored, minified or generated", "iac: 1 file not reviewed: Helm templates"} {
		if !strings.Contains(r.Summary(), "### Notes") || !strings.Contains(r.Summary(), want) || !strings.Contains(r.Text(), want) {
			t.Errorf("summary or text does not say %q:\n%s\n%s", want, r.Summary(), r.Text())
		}
	}
}

// TestFixOfSeveralEdits: a fix that also adds an import is no one-click
// suggestion (a suggestion replaces only the comment's lines): the comment
// describes every change, says Apply fixes commits it on GitHub and tells
// the reader to make the changes on GitLab; the summary's detail and the
// terminal text list the added import too.
func TestFixOfSeveralEdits(t *testing.T) {
	f := scanners.Finding{
		RuleID: "code/py-weak-hash", Severity: scanners.SeverityHigh, Title: "Weak hash", Identity: "x",
		Location: scanners.Location{Path: "h.py", StartLine: 3, EndLine: 3},
		Fix: &scanners.Fix{Description: "Use `sha256` instead of `md5`.", StartLine: 3, EndLine: 3,
			Replacement: "    return sha256(data).hexdigest()",
			Also:        []scanners.Edit{scanners.InsertAfter(1, "from hashlib import sha256")}},
	}
	changes := "Replace line 3 with:\n\n```\n    return sha256(data).hexdigest()\n```\n\nAlso:\n\nInsert after line 1:\n\n```\nfrom hashlib import sha256\n```\n"
	for _, tc := range []struct {
		name   string
		flavor comments.Flavor
		want   string
		not    string
	}{
		{"github", comments.GitHub, "**Apply fixes** on the shiftward check run commits it", ""},
		{"gitlab", comments.GitLab, "make all of the changes above", "Apply fixes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f}}, hunks{"h.py": {{1, 3}}}, comments.Options{Flavor: tc.flavor})
			if len(r.Inline) != 1 {
				t.Fatalf("inline = %d", len(r.Inline))
			}
			body := r.Inline[0].Body
			if strings.Contains(body, "suggestion\n") || strings.Contains(body, "```suggestion") {
				t.Errorf("a fix of two edits is offered as a suggestion:\n%s", body)
			}
			for _, w := range []string{changes, "no one-click suggestion", tc.want} {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			if tc.not != "" && strings.Contains(body, tc.not) {
				t.Errorf("body has %q:\n%s", tc.not, body)
			}
			if r.Inline[0].StartLine != 3 || r.Inline[0].Line != 3 {
				t.Errorf("comment on lines %d-%d, want the finding's 3-3", r.Inline[0].StartLine, r.Inline[0].Line)
			}
			if r.Fixable() != 1 {
				t.Errorf("Fixable = %d, want 1 (Apply fixes commits it)", r.Fixable())
			}
		})
	}
	// Outside the diff: the summary's detail lists both changes.
	r := comments.Build(&scanners.Result{Findings: []scanners.Finding{f}}, hunks{}, comments.Options{})
	if s := r.Summary(); !strings.Contains(s, changes) || !strings.Contains(s, "**Apply fixes**") {
		t.Errorf("summary lacks the changes or Apply fixes:\n%s", s)
	}
	if txt := r.Text(); !strings.Contains(txt, "    @@ insert after line 1 @@\n    +from hashlib import sha256\n") {
		t.Errorf("text lacks the inserted import:\n%s", txt)
	}
	// The inline fix beside it keeps its suggestion.
	one := f
	one.Fix = &scanners.Fix{StartLine: 3, EndLine: 3, Replacement: "    return hashlib.sha256(data).hexdigest()"}
	r = comments.Build(&scanners.Result{Findings: []scanners.Finding{one}}, hunks{"h.py": {{1, 3}}}, comments.Options{})
	if body := r.Inline[0].Body; !strings.Contains(body, "```suggestion\n") || strings.Contains(body, "no one-click") {
		t.Errorf("an inline fix lost its suggestion:\n%s", body)
	}
}
