package secrets

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners/scannertest"
)

// ruleCaseTexts reads gitleaks' rule cases, grouped by rule id: every case
// of the full corpus when it is beside the repository (full says so), else
// the sample of them in testdata/.
func ruleCaseTexts(t *testing.T) (cases map[string][]string, full bool) {
	t.Helper()
	c := scannertest.Data(t)
	var doc struct {
		Cases []struct {
			RuleID string `json:"rule_id"`
			Text   string `json:"text"`
		} `json:"cases"`
	}
	scannertest.ReadJSON(t, c.Path("secrets", "gitleaks", "gitleaks-rule-cases.json"), &doc)
	cases = map[string][]string{}
	for _, rc := range doc.Cases {
		cases[rc.RuleID] = append(cases[rc.RuleID], rc.Text)
	}
	return cases, c.Full
}

// TestPatternStringSameLanguage checks that patternString writes every
// default rule's regex, exact and relaxed, as a pattern that matches what
// the library's String does, capture groups included, on the rule's
// corpus cases and on texts built to exercise flags and escapes.
func TestPatternStringSameLanguage(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cases, full := ruleCaseTexts(t)
	shared := []string{
		"", "\n", "KEY = 'abc'\n", "api_key: \"AbCdEf0123456789xyz\"\n\n", "token=\t\"x.y-z/+==\"",
		"password\n  - hunter2hunter2\n", "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----",
		"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "é\u2028\x00[]^-\\", "Authorization: Bearer abc.def.ghi\r\n",
	}
	extra := []string{`(?i)a[^\s]b`, `(?s:.)x(?-s:.)`, `(?m)^k$`, `\Aa\z|$`, `[\-\]\[^\\]{2,}?`, `x{3}\b\B`, `(?:)|[^\x00-\x{10FFFF}]`, `(?P<n>é+)`}
	var pats []string
	texts := map[string][]string{}
	for _, r := range cfg.rules {
		r.compile()
		if r.re != nil {
			pats = append(pats, r.re.String())
			texts[r.re.String()] = cases[r.id]
		}
	}
	pats = append(pats, extra...)
	n := 0
	for _, p := range pats {
		for _, relaxed := range []bool{false, true} {
			tr, err := syntax.Parse(p, syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			if relaxed {
				tr, _ = relaxTree(tr)
			}
			want, err := regexp.Compile(tr.String())
			if err != nil {
				t.Fatal(err)
			}
			got, err := regexp.Compile(patternString(tr))
			if err != nil {
				t.Fatalf("%q: patternString %q does not compile: %v", p, patternString(tr), err)
			}
			if got.NumSubexp() != want.NumSubexp() {
				t.Errorf("%q: %d groups, want %d", p, got.NumSubexp(), want.NumSubexp())
			}
			for _, s := range slices.Concat(texts[p], shared) {
				n++
				if d := cmp.Diff(want.FindAllStringSubmatchIndex(s, -1), got.FindAllStringSubmatchIndex(s, -1)); d != "" {
					t.Fatalf("%q (relaxed %v) on %q (-String +patternString):\n%s", p, relaxed, s, d)
				}
			}
		}
	}
	// The samples in testdata alone give about 6,000 comparisons.
	if least := map[bool]int{false: 5000, true: 8000}[full]; n < least {
		t.Errorf("compared only %d texts", n)
	}
}

// TestLazyCompileAll: every default rule's deferred regexes compile, so
// compiling on first use never leaves a rule silently without its regex.
func TestLazyCompileAll(t *testing.T) {
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cfg.rules {
		r.compile()
		if (r.reSrc != "") != (r.re != nil) || (r.anchSrc != "") != (r.anchored != nil) || (r.preSrc != "") != (r.pre != nil) {
			t.Errorf("rule %s: a deferred regex did not compile", r.id)
		}
	}
}
