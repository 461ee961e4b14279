package suppress_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/comments/suppress"
	"github.com/shiftward/shiftward/scanners"
)

func finding(rule, path string, line int, sev scanners.Severity) scanners.Finding {
	scanner := rule[:len(rule)-len(rule[indexSlash(rule):])]
	return scanners.Finding{Scanner: scanner, RuleID: rule, Severity: sev, Identity: "id-" + path,
		Location: scanners.Location{Path: path, StartLine: line, EndLine: line}}
}

func indexSlash(s string) int {
	for i := range s {
		if s[i] == '/' {
			return i
		}
	}
	return len(s)
}

var now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func TestApply(t *testing.T) {
	fpFinding := finding("secrets/jwt", "app/token.go", 3, scanners.SeverityHigh)
	policy := &suppress.Policy{
		IgnorePaths: []suppress.PathIgnore{
			{Pattern: "vendor", Source: ".shiftward.yml:2"},
			{Scanner: "secrets", Pattern: "**/testdata/**", Source: ".shiftward.yml:3"},
		},
		Scanners: []suppress.ScannerSwitch{
			{Scanner: "iac", Enabled: false, Source: ".shiftward.yml:4"},
			{Dir: "infra", Scanner: "iac", Enabled: true, Source: "infra/.shiftward.yml:1"},
		},
		Rules: []suppress.RuleSetting{
			{RuleID: "secrets/generic-password", Severity: scanners.SeverityLow, Source: ".shiftward.yml:6"},
			{RuleID: "code/eval", Off: true, Source: ".shiftward.yml:7"},
			{Dir: "svc", RuleID: "secrets/generic-password", Severity: scanners.SeverityCritical, Source: "svc/.shiftward.yml:2"},
			{Dir: "svc/old", RuleID: "secrets/generic-password", Off: true, Source: "svc/old/.shiftward.yml:2"},
		},
		Ignores: []suppress.Ignore{
			{Fingerprint: fpFinding.Fingerprint(), Reason: "revoked", Source: ".shiftward.yml:10"},
			{RuleID: "secrets/aws", Path: "test/**", Reason: "fixtures", Expires: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), Source: ".shiftward.yml:12"},
			{RuleID: "secrets/aws", Path: "old/**", Reason: "legacy", Expires: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Source: ".shiftward.yml:15"},
		},
	}
	in := []scanners.Finding{
		finding("secrets/aws", "vendor/x/y.go", 1, scanners.SeverityHigh),             // path
		finding("secrets/aws", "pkg/testdata/k.txt", 1, scanners.SeverityHigh),        // secrets-only path
		finding("code/sqli", "pkg/testdata/q.go", 1, scanners.SeverityHigh),           // kept: the glob is for secrets
		finding("iac/open-sg", "main.tf", 1, scanners.SeverityMedium),                 // scanner off
		finding("iac/open-sg", "infra/main.tf", 1, scanners.SeverityMedium),           // kept: on below infra
		finding("code/eval", "a.js", 1, scanners.SeverityMedium),                      // rule off
		finding("secrets/generic-password", "a.py", 1, scanners.SeverityHigh),         // re-graded low
		finding("secrets/generic-password", "svc/a.py", 1, scanners.SeverityHigh),     // re-graded critical
		finding("secrets/generic-password", "svc/old/a.py", 1, scanners.SeverityHigh), // off below svc/old
		fpFinding, // fingerprint
		finding("secrets/aws", "test/a.go", 1, scanners.SeverityHigh),       // entry applies through its day
		finding("secrets/aws", "old/a.go", 1, scanners.SeverityHigh),        // entry expired: kept
		finding("secrets/slack", "web/a.html", 5, scanners.SeverityHigh),    // inline on the line above
		finding("secrets/slack", "web/b.sql", 2, scanners.SeverityHigh),     // inline on the same line
		finding("secrets/slack", "web/c.sh", 3, scanners.SeverityHigh),      // inline two lines above: kept
		finding("secrets/github-pat", "web/d.go", 2, scanners.SeverityHigh), // inline names another rule: kept
		finding("secrets/github-pat", "web/e.go", 2, scanners.SeverityHigh), // inline without reason: kept
	}
	added := map[string][]scanners.Line{
		"web/a.html": {{Number: 4, Text: `<!-- shiftward:ignore secrets/slack demo workspace, revoked -->`}, {Number: 5, Text: `<a href="xoxb-...">`}},
		"web/b.sql":  {{Number: 2, Text: `SELECT 'xoxb' -- shiftward:ignore secrets/slack test data`}},
		"web/c.sh":   {{Number: 1, Text: `# shiftward:ignore secrets/slack too far away`}},
		"web/d.go":   {{Number: 1, Text: `// shiftward:ignore secrets/slack wrong rule`}},
		"web/e.go":   {{Number: 2, Text: `tok := "ghp_..." /* shiftward:ignore secrets/github-pat */`}},
	}
	res := suppress.Apply(in, policy, now, added)

	type kept struct {
		Rule, Path string
		Sev        scanners.Severity
	}
	var gotKept []kept
	for _, f := range res.Kept {
		gotKept = append(gotKept, kept{f.RuleID, f.Location.Path, f.Severity})
	}
	wantKept := []kept{
		{"code/sqli", "pkg/testdata/q.go", scanners.SeverityHigh},
		{"iac/open-sg", "infra/main.tf", scanners.SeverityMedium},
		{"secrets/generic-password", "a.py", scanners.SeverityLow},
		{"secrets/generic-password", "svc/a.py", scanners.SeverityCritical},
		{"secrets/aws", "old/a.go", scanners.SeverityHigh},
		{"secrets/slack", "web/c.sh", scanners.SeverityHigh},
		{"secrets/github-pat", "web/d.go", scanners.SeverityHigh},
		{"secrets/github-pat", "web/e.go", scanners.SeverityHigh},
	}
	if diff := cmp.Diff(wantKept, gotKept); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}

	type supp struct {
		Path           string
		Kind           suppress.Kind
		Reason, Source string
	}
	var gotSupp []supp
	for _, s := range res.Suppressed {
		gotSupp = append(gotSupp, supp{s.Finding.Location.Path, s.Kind, s.Reason, s.Source})
	}
	wantSupp := []supp{
		{"vendor/x/y.go", suppress.ByPath, "vendor/x/y.go matches ignore_paths vendor", ".shiftward.yml:2"},
		{"pkg/testdata/k.txt", suppress.ByPath, "pkg/testdata/k.txt matches scanners.secrets.ignore_paths **/testdata/**", ".shiftward.yml:3"},
		{"main.tf", suppress.ByScanner, "the iac scanner is off", ".shiftward.yml:4"},
		{"a.js", suppress.ByRuleOff, "rule code/eval is off", ".shiftward.yml:7"},
		{"svc/old/a.py", suppress.ByRuleOff, "rule secrets/generic-password is off below svc/old/", "svc/old/.shiftward.yml:2"},
		{"app/token.go", suppress.ByConfig, "revoked", ".shiftward.yml:10"},
		{"test/a.go", suppress.ByConfig, "fixtures", ".shiftward.yml:12"},
		{"web/a.html", suppress.ByInline, "demo workspace, revoked", "web/a.html:4"},
		{"web/b.sql", suppress.ByInline, "test data", "web/b.sql:2"},
	}
	if diff := cmp.Diff(wantSupp, gotSupp); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}

	wantNotes := []suppress.Note{
		{Kind: suppress.NoteInvalid, Source: "web/e.go:2", Text: "shiftward:ignore secrets/github-pat has no reason, so it suppresses nothing; write shiftward:ignore secrets/github-pat <reason>"},
		{Kind: suppress.NoteExpired, Source: ".shiftward.yml:15", Text: "ignore entry for secrets/aws in old/** expired on 2026-03-14 and no longer applies (reason was: legacy)"},
		{Kind: suppress.NoteAdded, Source: "web/a.html:4", Text: "this change suppresses secrets/slack: demo workspace, revoked"},
		{Kind: suppress.NoteAdded, Source: "web/b.sql:2", Text: "this change suppresses secrets/slack: test data"},
		{Kind: suppress.NoteAdded, Source: "web/c.sh:1", Text: "this change suppresses secrets/slack: too far away"},
		{Kind: suppress.NoteAdded, Source: "web/d.go:1", Text: "this change suppresses secrets/slack: wrong rule"},
	}
	if diff := cmp.Diff(wantNotes, res.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if len(res.Added) != 4 || res.NeedsReview {
		t.Errorf("added %d, needs review %v; want 4 and false (review not required)", len(res.Added), res.NeedsReview)
	}
	if len(res.Kept)+len(res.Suppressed) != len(in) {
		t.Errorf("%d kept + %d suppressed != %d findings: one vanished", len(res.Kept), len(res.Suppressed), len(in))
	}
}

func TestApplyRequireSuppressionReview(t *testing.T) {
	p := &suppress.Policy{RequireSuppressionReview: true}
	added := map[string][]scanners.Line{"a.py": {{Number: 1, Text: "# shiftward:ignore secrets/x fixture"}}}
	if res := suppress.Apply(nil, p, now, added); !res.NeedsReview {
		t.Error("NeedsReview = false for a change adding a suppression under require_suppression_review")
	}
	if res := suppress.Apply(nil, p, now, nil); res.NeedsReview {
		t.Error("NeedsReview = true for a change adding none")
	}
}

func TestApplyNilPolicy(t *testing.T) {
	in := []scanners.Finding{finding("secrets/aws", "a.go", 1, scanners.SeverityHigh)}
	res := suppress.Apply(in, nil, now, nil)
	if len(res.Kept) != 1 || len(res.Suppressed) != 0 {
		t.Errorf("nil policy: kept %d suppressed %d", len(res.Kept), len(res.Suppressed))
	}
}

func TestIgnoreExpired(t *testing.T) {
	day := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	ig := suppress.Ignore{Expires: day}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{day, false},
		{day.Add(23*time.Hour + 59*time.Minute), false},
		{day.AddDate(0, 0, 1), true},
		{day.AddDate(0, 0, -1), false},
	} {
		if got := ig.Expired(tc.at); got != tc.want {
			t.Errorf("Expired(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if (&suppress.Ignore{}).Expired(now.AddDate(100, 0, 0)) {
		t.Error("an entry without a date expired")
	}
}

func TestMatchPath(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"docs/**", "docs/a/b.md", true},
		{"docs/**", "docsx/a.md", false},
		{"docs", "docs/a/b.md", true},
		{"docs/*", "docs/a/b.md", true}, // docs/a is matched, so below it is too
		{"*.md", "README.md", true},
		{"*.md", "docs/README.md", false},
		{"**/*.md", "docs/README.md", true},
		{"**/*.md", "README.md", true},
		{"**/testdata/**", "a/b/testdata/c/d.txt", true},
		{"**/testdata/**", "testdata/x", true},
		{"{a,b}/*.go", "b/x.go", true},
		{"{a,b}/*.go", "c/x.go", false},
		{"/vendor", "vendor/x.go", true},
		{"src/[a-c]*.go", "src/b1.go", true},
		{"src/[a-c]*.go", "src/d1.go", false},
		{"docs/[abc", "docs/[abc", false}, // invalid: matches nothing
		{"", "a.go", false},
	}
	for _, tt := range tests {
		if got := suppress.MatchPath(tt.pattern, tt.path); got != tt.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestParseInline(t *testing.T) {
	tests := []struct {
		line   string
		want   suppress.Inline
		wantOK bool
	}{
		{`x := f() // shiftward:ignore secrets/jwt test token`, suppress.Inline{RuleID: "secrets/jwt", Reason: "test token"}, true},
		{`# shiftward:ignore secrets/jwt  spaced   reason `, suppress.Inline{RuleID: "secrets/jwt", Reason: "spaced   reason"}, true},
		{`SELECT 1; -- shiftward:ignore code/sqli constant`, suppress.Inline{RuleID: "code/sqli", Reason: "constant"}, true},
		{`/* shiftward:ignore secrets/jwt fixture */`, suppress.Inline{RuleID: "secrets/jwt", Reason: "fixture"}, true},
		{`<!-- shiftward:ignore secrets/jwt docs example -->`, suppress.Inline{RuleID: "secrets/jwt", Reason: "docs example"}, true},
		{`key = x ; shiftward:ignore secrets/ini sample`, suppress.Inline{RuleID: "secrets/ini", Reason: "sample"}, true},
		{` * shiftward:ignore secrets/jwt in a block`, suppress.Inline{RuleID: "secrets/jwt", Reason: "in a block"}, true},
		{`// shiftward:ignore secrets/jwt`, suppress.Inline{RuleID: "secrets/jwt"}, true},
		{`/* shiftward:ignore secrets/jwt*/`, suppress.Inline{RuleID: "secrets/jwt"}, true},
		{`// shiftward:ignore`, suppress.Inline{}, true},
		{`msg := "shiftward:ignore secrets/jwt no"`, suppress.Inline{}, false},
		{`// shiftward:ignored secrets/jwt no`, suppress.Inline{}, false},
		{`// nothing here`, suppress.Inline{}, false},
		{`a * shiftward:ignore secrets/jwt multiplication`, suppress.Inline{}, false},
	}
	for _, tt := range tests {
		got, ok := suppress.ParseInline(tt.line)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("ParseInline(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.wantOK)
		}
	}
}
