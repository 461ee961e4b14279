package code

import (
	"slices"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// TestIndexTriesEveryRuleThatCanMatch checks the rule index (Scanner.index
// and its wildcard buckets) against trying every rule of the language, on
// site names made from every rule's own patterns: Scanner.possible is true
// exactly when some rule's Rule.possible is (or the call is one an
// UnlessCalled asks about), and candidates are the rules indexed under
// the site's last name followed by every other rule whose kind and Names
// take the site, in rule order: the rules, in the order, that the index
// tried before it kept only their wildcard patterns for the rest.
func TestIndexTriesEveryRuleThatCanMatch(t *testing.T) {
	custom := []Rule{
		testRule("zz-call-paren", "call", []string{"foo()", "*.bar()", "a/b.*"}, nil),
		testRule("zz-call-mid", "call", []string{"x.*y", "*Mid*", "plain"}, []string{"*check", "validate", "v.*"}),
		testRule("zz-assign-guard", "assign", []string{"*.innerHTML", "*"}, []string{"*isSafe*", "ok"}),
		testRule("zz-pair", "pair", []string{"*Config.*", "secret"}, nil),
	}
	s, err := New(WithRules(custom...))
	if err != nil {
		t.Fatal(err)
	}
	names := indexTestNames(s.rules)
	kinds := []siteKind{siteCall, siteAssign, sitePair, siteImport, siteString}
	keywords := map[string]value{}
	for _, r := range s.rules {
		for kw := range r.Match.Require {
			keywords[kw] = value{t: tainted}
		}
		if r.Match.Keyword != "" {
			keywords[r.Match.Keyword] = value{t: tainted}
		}
	}
	args := []value{{t: tainted, source: "req.query"}, {t: unknown}, {t: constant, lit: "x", isStr: true}, {t: tainted}}
	var buf []*Rule
	tried, kept := 0, 0
	for _, lang := range languages {
		var rules []*Rule
		for _, r := range s.rules {
			if slices.Contains(r.Languages, lang) {
				rules = append(rules, r)
			}
		}
		for _, kind := range kinds {
			for _, name := range names {
				sites := []site{
					{kind: kind, name: name},
					{kind: kind, name: name, args: args, kwargs: keywords, recv: &value{t: tainted, weakRand: true},
						val: &value{t: tainted, weakRand: true}, target: "token", container: "="},
				}
				for i := range sites {
					st := &sites[i]
					tried++
					want := kind == siteCall && s.called[indexKey{lang: lang, kind: siteCall, last: lastName(name)}]
					for _, r := range rules {
						want = want || r.possible(st)
					}
					if got := s.possible(lang, st); got != want {
						t.Fatalf("%s %v site %q: possible = %v, trying every rule: %v", lang, kind, name, got, want)
					}
					if want {
						kept++
					}
					a := s.index[indexKey{lang: lang, kind: kind, last: lastName(name)}]
					expect := slices.Clone(a)
					for _, r := range rules {
						if r.Match.kind() == kind && anyGlob(r.Match.Names, name) && !slices.Contains(a, r) {
							expect = append(expect, r)
						}
					}
					if got := s.candidates(lang, st); !slices.Equal(got, expect) {
						t.Fatalf("%s %v site %q: candidates %v, want %v", lang, kind, name, ruleIDs(got), ruleIDs(expect))
					}
					buf = s.appendCandidates(buf[:0], lang, st)
					if !slices.Equal(buf, expect) {
						t.Fatalf("%s %v site %q: appendCandidates %v, want %v", lang, kind, name, ruleIDs(buf), ruleIDs(expect))
					}
				}
			}
		}
	}
	if kept == 0 || kept == tried {
		t.Fatalf("%d of %d sites possible: the names do not exercise the index", kept, tried)
	}
}

// testRule is a rule of every language matching any value at sites of
// kind with the given names and guards.
func testRule(id, kind string, names, guards []string) Rule {
	return Rule{ID: id, Family: "test", Languages: languages, Severity: scanners.SeverityLow, Title: id,
		Match: Match{Kind: kind, Names: names, Guards: guards, Arg: -1, When: "any"}}
}

// indexTestNames makes site names from the rules' Names, NotNames and
// Guards: each pattern with its stars replaced by nothing, a letter, a
// dotted name and a path, alone and after a receiver or package, with its
// last segment alone and changed, and a few names of no rule.
func indexTestNames(rules []*Rule) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range []string{"", "x", "sb.append", "eval", "a.eval()", "a/b.c", "Foo", "new", "*", "."} {
		add(n)
	}
	for _, r := range rules {
		pats := slices.Concat(r.Match.Names, r.Match.NotNames, r.Match.Guards)
		for _, p := range pats {
			for _, fill := range []string{"", "q", "Obj.get", "pkg/sub"} {
				n := strings.ReplaceAll(p, "*", fill)
				add(n)
				add("recv." + n)
				add(n + "()")
				add(lastName(n))
				add(strings.TrimSuffix(n, lastName(n)) + "other")
				add(n + "x")
			}
		}
	}
	return out
}

func ruleIDs(rs []*Rule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
