package scanners_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
)

// at is a finding of path on lines start..end, with a fix and the given
// scope ranges.
func at(path string, start, end int, scope ...scanners.LineRange) scanners.Finding {
	return scanners.Finding{
		RuleID: "x/rule", Severity: scanners.SeverityHigh,
		Location: scanners.Location{Path: path, StartLine: start, EndLine: end},
		Fix:      &scanners.Fix{StartLine: start, EndLine: end, Replacement: "fixed"},
		Scope:    scope, Identity: fmt.Sprint(start),
	}
}

// touched is an input of path whose change adds the given lines.
func touched(path string, lines ...int) *scanners.Input {
	in := &scanners.Input{Path: path}
	for _, n := range lines {
		in.Added = append(in.Added, scanners.Line{Number: n, Text: "x"})
	}
	return in
}

func TestScope(t *testing.T) {
	newFile := touched("new.tf")
	newFile.New = true
	cases := []struct {
		name    string
		finding scanners.Finding
		ins     []*scanners.Input
		pre     bool
	}{
		{"added line inside span", at("a.tf", 4, 6), []*scanners.Input{touched("a.tf", 5)}, false},
		{"added first line of span", at("a.tf", 4, 6), []*scanners.Input{touched("a.tf", 4)}, false},
		{"added line inside a scope range only", at("a.tf", 4, 4, scanners.LineRange{Start: 1, End: 3}, scanners.LineRange{Start: 8, End: 12}),
			[]*scanners.Input{touched("a.tf", 10)}, false},
		{"one-line scope range", at("a.py", 20, 20, scanners.LineRange{Start: 7, End: 7}), []*scanners.Input{touched("a.py", 7)}, false},
		{"outside all", at("a.tf", 4, 6, scanners.LineRange{Start: 8, End: 9}),
			[]*scanners.Input{touched("a.tf", 1, 3, 7, 10)}, true},
		{"end before start is the start line alone", at("a.tf", 4, 0), []*scanners.Input{touched("a.tf", 4)}, false},
		{"new file", at("new.tf", 40, 40), []*scanners.Input{newFile}, false},
		{"batch: the finding's own file decides", at("b/go.mod", 3, 3),
			[]*scanners.Input{touched("a/go.mod", 3), touched("b/go.mod", 9)}, true},
		{"batch: introduced in its own file", at("a/go.mod", 3, 3),
			[]*scanners.Input{touched("b/go.mod", 9), touched("a/go.mod", 3)}, false},
		{"added lines out of order", at("a.tf", 4, 4), []*scanners.Input{touched("a.tf", 9, 4, 1)}, false},
		{"no input for its path: as reported", at("other.tf", 4, 4), []*scanners.Input{touched("a.tf", 1)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, cut := scanners.Scope([]scanners.Finding{c.finding}, c.ins)
			if len(got) != 1 || cut != 0 {
				t.Fatalf("Scope kept %d findings and cut %d; want 1 kept, none cut", len(got), cut)
			}
			if got[0].Preexisting != c.pre {
				t.Errorf("Preexisting = %v, want %v", got[0].Preexisting, c.pre)
			}
			if hasFix := got[0].Fix != nil; hasFix == c.pre {
				t.Errorf("fix kept = %v on a finding with Preexisting = %v: a pre-existing finding carries no fix", hasFix, c.pre)
			}
		})
	}
}

func TestScopeCutsPreexistingPerFile(t *testing.T) {
	var fs []scanners.Finding
	for i := range scanners.MaxPreexisting + 7 {
		f := at("big.tf", 100+i, 100+i)
		f.Severity = scanners.SeverityLow
		fs = append(fs, f)
	}
	// The one critical finding, last in the file, is kept; the lowest of
	// the low ones are cut.
	crit := at("big.tf", 100000, 100000)
	crit.Severity = scanners.SeverityCritical
	fs = append(fs, crit, at("big.tf", 1, 1), at("small.tf", 50, 50))
	got, cut := scanners.Scope(fs, []*scanners.Input{touched("big.tf", 1), touched("small.tf", 2)})
	if cut != 8 {
		t.Errorf("cut %d; want 8 (the pre-existing findings of big.tf over %d)", cut, scanners.MaxPreexisting)
	}
	counts := map[string]int{}
	var sawCrit, sawIntroduced bool
	for _, f := range got {
		if f.Preexisting {
			counts[f.Location.Path]++
		}
		sawCrit = sawCrit || f.Severity == scanners.SeverityCritical
		sawIntroduced = sawIntroduced || (!f.Preexisting && f.Location.StartLine == 1)
		if f.Location.Path == "big.tf" && f.Preexisting && f.Location.StartLine >= 100+scanners.MaxPreexisting-1 && f.Severity == scanners.SeverityLow {
			t.Errorf("kept the low finding on line %d over the bound; want the first ones in the file kept", f.Location.StartLine)
		}
	}
	if want := map[string]int{"big.tf": scanners.MaxPreexisting, "small.tf": 1}; !cmp.Equal(counts, want) {
		t.Errorf("pre-existing per file %v, want %v", counts, want)
	}
	if !sawCrit || !sawIntroduced {
		t.Errorf("critical kept %v, introduced kept %v; want both (only pre-existing findings are cut, least severe first)", sawCrit, sawIntroduced)
	}
}

// everywhere reports one finding on every line of the file its input
// names, as a scanner of whole files does.
type everywhere struct{ lines int }

func (everywhere) Name() string      { return "all" }
func (everywhere) Wants(string) bool { return true }
func (e everywhere) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for n := 1; n <= e.lines; n++ {
		out = append(out, at(in.Path, n, n))
	}
	return out, nil
}

// batchEverywhere is everywhere as a batch scanner.
type batchEverywhere struct{ everywhere }

func (b batchEverywhere) ScanBatch(ctx context.Context, ins []*scanners.Input) ([]scanners.Finding, error) {
	var out []scanners.Finding
	for _, in := range ins {
		fs, _ := b.Scan(ctx, in)
		out = append(out, fs...)
	}
	return out, nil
}

func TestRunScopesEveryScanner(t *testing.T) {
	for _, s := range []scanners.Scanner{everywhere{lines: 4}, batchEverywhere{everywhere{lines: 4}}} {
		inputs := []*scanners.Input{touched("a.tf", 2), touched("b.tf", 4)}
		res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, inputs)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			mark := "introduced"
			if f.Preexisting {
				mark = "pre-existing"
			}
			got = append(got, fmt.Sprintf("%s:%d %s fix=%v", f.Location.Path, f.Location.StartLine, mark, f.Fix != nil))
		}
		want := []string{
			"a.tf:1 pre-existing fix=false", "a.tf:2 introduced fix=true", "a.tf:3 pre-existing fix=false", "a.tf:4 pre-existing fix=false",
			"b.tf:1 pre-existing fix=false", "b.tf:2 pre-existing fix=false", "b.tf:3 pre-existing fix=false", "b.tf:4 introduced fix=true",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%T: findings (-want +got):\n%s", s, diff)
		}
		if res.Statuses[0].Findings != 8 || res.Statuses[0].Cut != 0 {
			t.Errorf("%T: status %+v; want 8 findings, none cut", s, res.Statuses[0])
		}
	}
}

func TestRunCountsCutPreexisting(t *testing.T) {
	for _, s := range []scanners.Scanner{everywhere{lines: scanners.MaxPreexisting + 3}, batchEverywhere{everywhere{lines: scanners.MaxPreexisting + 3}}} {
		res, err := scanners.Run(context.Background(), []scanners.Scanner{s}, []*scanners.Input{touched("a.tf", 1)})
		if err != nil {
			t.Fatal(err)
		}
		st := res.Statuses[0]
		if st.Cut != 2 || st.Findings != scanners.MaxPreexisting+1 || len(res.Findings) != scanners.MaxPreexisting+1 {
			t.Errorf("%T: cut %d, status findings %d, findings %d; want 2 cut and %d kept", s, st.Cut, st.Findings, len(res.Findings), scanners.MaxPreexisting+1)
		}
		if res.Incomplete() {
			t.Errorf("%T: cutting pre-existing findings made the scan incomplete: %v", s, st.Errors)
		}
	}
}
