package secrets

import (
	"regexp"
	"strings"
	"testing"
)

// TestRegexSetSameAsJoined: an allowlist's regexes, gated by their
// literals, match exactly where gitleaks' single alternation does, on
// every line and token of the corpus and on targets that fold case
// outside ASCII.
func TestRegexSetSameAsJoined(t *testing.T) {
	raw, err := defaultRaw()
	if err != nil {
		t.Fatal(err)
	}
	lists := globalAllowlists(raw)
	for _, r := range raw.Rules {
		lists = append(lists, ruleAllowlists(r)...)
	}
	var targets []string
	step := 4
	if raceEnabled {
		step = 32
	}
	for i, text := range seqCheckTexts(t) {
		if i%step != 0 {
			continue
		}
		for _, line := range strings.Split(text, "\n") {
			targets = append(targets, line)
			targets = append(targets, strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t=:'\"`,;()", r) })...)
		}
	}
	targets = append(targets, "ſecret", "CHANGEME", "chanGeMe", "KEY=EXAMPLE", "tRuE", "s.abcdefghijklmnopqrstuvwx", "${FOO}", "AUTHOR", "aiza")
	gatedSeen, matched := 0, 0
	for _, a := range lists {
		if len(a.Regexes) == 0 {
			continue
		}
		set, err := joinPatterns(a.Regexes)
		if err != nil {
			t.Fatal(err)
		}
		gatedSeen += len(set.gated)
		parts := make([]string, len(a.Regexes))
		for i, p := range a.Regexes {
			parts[i] = "(?:" + p + ")"
		}
		joined := regexp.MustCompile(strings.Join(parts, "|"))
		for _, s := range targets {
			want := joined.MatchString(s)
			if got := set.MatchString(s); got != want {
				t.Fatalf("allowlist %q on %q: set says %v, joined regex %v", a.Regexes, s, got, want)
			}
			if want {
				matched++
			}
		}
	}
	t.Logf("%d targets, %d gated patterns, %d matches", len(targets), gatedSeen, matched)
	if gatedSeen < 5 || matched < 100 {
		t.Errorf("comparison too weak: %d gated patterns, %d matches", gatedSeen, matched)
	}
}
