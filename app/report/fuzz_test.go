package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"testing"

	"github.com/shiftward/shiftward/app/report"
	"github.com/shiftward/shiftward/scanners"
)

// FuzzReports: whatever a finding, a rule or a gap says (a path from a
// hostile diff, a message quoting odd bytes), every format is written
// without a panic and reads back as JSON or XML.
func FuzzReports(f *testing.F) {
	f.Add("config/app.go", "secrets/github-pat", "a token was added", "deps: unreachable", 3, 2, 7)
	f.Add("a b/c#d?.txt", "x", "]]></failure>\x00<", "\xff\xfe", 0, -1, 0)
	f.Add("c:/x", "", "", "", 1, 1, 1)
	f.Fuzz(func(t *testing.T, path, rule, msg, gap string, line, col, fixLine int) {
		fd := scanners.Finding{
			Scanner: "code", RuleID: rule, Severity: scanners.Severity(line % 7), Title: msg, Message: msg,
			Location: scanners.Location{Path: path, StartLine: line, EndLine: line + col, StartColumn: col, EndColumn: col + 3},
			Evidence: msg, Identity: gap, References: []string{msg, "CWE-" + gap, "https://" + path},
		}
		if fixLine != 0 {
			fd.Fix = &scanners.Fix{Description: msg, StartLine: fixLine, EndLine: fixLine, Replacement: msg,
				Also: []scanners.Edit{scanners.InsertAfter(fixLine-1, gap)}}
		}
		r := &report.Run{
			Rules:       []scanners.Rule{{ID: rule, Title: msg, Why: gap, References: []string{gap}}},
			Findings:    []scanners.Finding{fd},
			Preexisting: []scanners.Finding{fd},
			Statuses:    []scanners.Status{{Scanner: path, Errors: []error{errors.New(gap)}}},
			Problems:    []string{gap},
		}
		var b bytes.Buffer
		if err := report.SARIF(&b, r); err != nil || !json.Valid(b.Bytes()) {
			t.Fatalf("SARIF: %v, valid %v", err, json.Valid(b.Bytes()))
		}
		for _, k := range report.GitLabKinds {
			b.Reset()
			if err := report.GitLab(&b, r, k); err != nil || !json.Valid(b.Bytes()) {
				t.Fatalf("GitLab %s: %v", k, err)
			}
		}
		b.Reset()
		if err := report.JUnit(&b, r); err != nil {
			t.Fatal(err)
		}
		var doc struct{}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("JUnit is not XML: %v\n%s", err, b.String())
		}
	})
}
