package scanners_test

import (
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

func TestScrubKeepsSecretsOutOfOtherFindings(t *testing.T) {
	const a, b = "AKIAABCDEFGHIJKLMNOP", "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzd"
	line := `client(key_id="` + a + `", secret="` + b + `")`
	col := func(s string) (int, int) { i := strings.Index(line, s); return i + 1, i + len(s) }
	as, ae := col(a)
	bs, be := col(b)
	in := &scanners.Input{Path: "app.py", Added: []scanners.Line{{Number: 3, Text: line}}}
	fs := []scanners.Finding{
		{Scanner: "secrets", RuleID: "secrets/aws-key-id", Sensitive: true, Location: scanners.Location{Path: "app.py", StartLine: 3, EndLine: 3, StartColumn: as, EndColumn: ae},
			Fix: &scanners.Fix{StartLine: 3, EndLine: 3, Replacement: strings.Replace(line, a, "os.environ['ID']", 1)}},
		{Scanner: "secrets", RuleID: "secrets/aws-secret", Sensitive: true, Location: scanners.Location{Path: "app.py", StartLine: 3, EndLine: 3, StartColumn: bs, EndColumn: be},
			Fix: &scanners.Fix{StartLine: 3, EndLine: 3, Replacement: strings.Replace(line, b, "os.environ['SECRET']", 1)}},
		{Scanner: "code", RuleID: "code/cloud-key", Evidence: line, Message: "the call `" + line + "` holds a key",
			Location: scanners.Location{Path: "app.py", StartLine: 3, EndLine: 3}},
		{Scanner: "code", RuleID: "code/other", Evidence: "no secret here", Location: scanners.Location{Path: "other.py", StartLine: 1, EndLine: 1},
			Fix: &scanners.Fix{StartLine: 1, EndLine: 1, Replacement: "safe()"}},
		// A fix whose other edit (not its own line) repeats the secret.
		{Scanner: "code", RuleID: "code/also", Location: scanners.Location{Path: "app.py", StartLine: 4, EndLine: 4},
			Fix: &scanners.Fix{StartLine: 4, EndLine: 4, Replacement: "safe()", Also: []scanners.Edit{{StartLine: 3, EndLine: 3, Replacement: line}}}},
	}
	scanners.Scrub(fs, []*scanners.Input{in})
	for _, f := range fs {
		all := f.Evidence + f.Message
		if f.Fix != nil {
			for _, e := range f.Fix.Edits() {
				all += e.Replacement
			}
		}
		if strings.Contains(all, a) || strings.Contains(all, b) {
			t.Errorf("%s still quotes a secret: %q", f.RuleID, all)
		}
	}
	if fs[0].Fix != nil || fs[1].Fix != nil || !strings.Contains(fs[0].Message, "holds another secret") {
		t.Errorf("fixes that repeat the other secret were kept: %+v / %+v", fs[0].Fix, fs[1].Fix)
	}
	if fs[4].Fix != nil {
		t.Errorf("a fix whose Also edit repeats a secret was kept: %+v", fs[4].Fix)
	}
	if fs[3].Fix == nil || fs[3].Evidence != "no secret here" {
		t.Errorf("an unrelated finding was changed: %+v", fs[3])
	}
	if !strings.Contains(fs[2].Evidence, "[redacted]") {
		t.Errorf("evidence not masked: %q", fs[2].Evidence)
	}
}
