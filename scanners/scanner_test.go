package scanners_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
)

// fake reports one finding per added line containing its word, fails on
// paths containing "fail" and panics on paths containing "panic".
type fake struct {
	name, word string
}

func (f fake) Name() string           { return f.name }
func (f fake) Wants(path string) bool { return !strings.HasSuffix(path, ".png") }
func (f fake) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	if strings.Contains(in.Path, "fail") {
		return nil, errors.New("cannot parse")
	}
	if strings.Contains(in.Path, "panic") {
		panic("bug in rule")
	}
	var out []scanners.Finding
	for _, l := range in.Added {
		if strings.Contains(l.Text, f.word) {
			out = append(out, scanners.Finding{Scanner: f.name, RuleID: f.name + "/" + f.word, Severity: scanners.SeverityMedium,
				Location: scanners.Location{Path: in.Path, StartLine: l.Number, EndLine: l.Number}, Identity: l.Text})
		}
	}
	return out, nil
}

func TestRunCollectsSortsAndSurvivesFailures(t *testing.T) {
	inputs := []*scanners.Input{
		{Path: "z.go", Added: []scanners.Line{{Number: 9, Text: "bad"}, {Number: 2, Text: "bad ugly"}}},
		{Path: "a.go", Added: []scanners.Line{{Number: 5, Text: "ugly"}}},
		{Path: "fail.go", Added: []scanners.Line{{Number: 1, Text: "bad"}}},
		{Path: "panic.go", Added: []scanners.Line{{Number: 1, Text: "bad"}}},
		{Path: "logo.png", Added: []scanners.Line{{Number: 1, Text: "bad"}}},
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{fake{"one", "bad"}, fake{"two", "ugly"}}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	type loc struct {
		Path string
		Line int
		Rule string
	}
	var got []loc
	for _, f := range res.Findings {
		got = append(got, loc{f.Location.Path, f.Location.StartLine, f.RuleID})
	}
	want := []loc{{"a.go", 5, "two/ugly"}, {"z.go", 2, "one/bad"}, {"z.go", 2, "two/ugly"}, {"z.go", 9, "one/bad"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if !res.Incomplete() {
		t.Error("a scanner failed on a file, yet the result is complete")
	}
	for _, st := range res.Statuses {
		if st.Files != 4 || len(st.Errors) != 2 {
			t.Errorf("%s: files %d, errors %v; want 4 files (the .png is not wanted) and 2 errors", st.Scanner, st.Files, st.Errors)
		}
		for _, e := range st.Errors {
			if !strings.HasPrefix(e.Error(), "fail.go: ") && !strings.HasPrefix(e.Error(), "panic.go: ") {
				t.Errorf("error %q does not name its file", e)
			}
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := scanners.Run(ctx, []scanners.Scanner{fake{"one", "bad"}}, []*scanners.Input{{Path: "a.go"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	a := scanners.Finding{RuleID: "secrets/x", Location: scanners.Location{Path: "a.go", StartLine: 3}, Identity: "digest"}
	b := a
	b.Location.StartLine, b.Location.EndLine = 40, 41
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("moving a finding changed its fingerprint")
	}
	for _, change := range []func(*scanners.Finding){
		func(f *scanners.Finding) { f.RuleID = "secrets/y" },
		func(f *scanners.Finding) { f.Location.Path = "b.go" },
		func(f *scanners.Finding) { f.Identity = "other" },
	} {
		c := a
		change(&c)
		if c.Fingerprint() == a.Fingerprint() {
			t.Errorf("fingerprint unchanged by a change of identity: %+v", c)
		}
	}
	if len(a.Fingerprint()) != 16 {
		t.Errorf("fingerprint %q is not 16 hex digits", a.Fingerprint())
	}
}

func TestAddedBlocks(t *testing.T) {
	in := scanners.Input{Added: []scanners.Line{{Number: 1}, {Number: 2}, {Number: 5}, {Number: 6}, {Number: 7}, {Number: 9}}}
	var got [][]int
	for _, b := range in.AddedBlocks() {
		var nums []int
		for _, l := range b {
			nums = append(nums, l.Number)
		}
		got = append(got, nums)
	}
	if diff := cmp.Diff([][]int{{1, 2}, {5, 6, 7}, {9}}, got); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if (&scanners.Input{}).AddedBlocks() != nil {
		t.Error("no added lines should give no blocks")
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []scanners.Severity{scanners.SeverityInfo, scanners.SeverityLow, scanners.SeverityMedium, scanners.SeverityHigh, scanners.SeverityCritical} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back scanners.Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%s round-trips to %s (%v)", s, back, err)
		}
	}
	if _, err := scanners.ParseSeverity("unknown"); err == nil {
		t.Error("\"unknown\" parsed as a severity")
	}
	if s, err := scanners.ParseSeverity(" HIGH "); err != nil || s != scanners.SeverityHigh {
		t.Errorf("ParseSeverity(\" HIGH \") = %v, %v", s, err)
	}
	if scanners.Max(nil) != scanners.SeverityUnknown {
		t.Error("Max of nothing is not unknown")
	}
}

// batch counts its calls and reports one finding per wanted input; it fails
// (with partial findings) when told to.
type batch struct {
	fake
	calls int
	err   error
}

func (b *batch) NeedsContent(path string) bool { return strings.HasSuffix(path, ".lock") }
func (b *batch) ScanBatch(_ context.Context, ins []*scanners.Input) ([]scanners.Finding, error) {
	b.calls++
	var out []scanners.Finding
	for _, in := range ins {
		out = append(out, scanners.Finding{Scanner: b.name, RuleID: b.name + "/x", Location: scanners.Location{Path: in.Path, StartLine: 1, EndLine: 1}})
	}
	return out, b.err
}

func TestRunHandsBatchScannersTheWholeChangeOnce(t *testing.T) {
	inputs := []*scanners.Input{{Path: "a.lock"}, {Path: "logo.png"}, {Path: "b.lock"}}
	b := &batch{fake: fake{name: "deps"}, err: errors.New("advisories unreachable")}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{b, fake{"one", "bad"}}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if b.calls != 1 {
		t.Errorf("ScanBatch called %d times, want once per change", b.calls)
	}
	st := res.Statuses[0]
	if st.Files != 2 || st.Findings != 2 || len(st.Errors) != 1 || !res.Incomplete() {
		t.Errorf("status %+v, incomplete %v: want 2 files, 2 findings, the error kept", st, res.Incomplete())
	}
	if len(res.Findings) != 2 {
		t.Errorf("findings %d, want the 2 returned beside the error", len(res.Findings))
	}
	list := []scanners.Scanner{fake{"one", "bad"}, b}
	if !scanners.NeedsContent(list, "a.lock") || scanners.NeedsContent(list, "a.go") || scanners.NeedsContent(list, "b.txt") {
		t.Error("NeedsContent: want true only for a path a content scanner wants and needs")
	}
}

// hostile stands in for a scanner meeting hostile input: on a path naming a
// bound it returns what it found so far with a bound error; on "slow" it
// waits for its context, as a parser honouring ctx would; on "quote" its
// error quotes the file's text, as parser errors do.
type hostile struct{ needs bool }

func (hostile) Name() string               { return "h" }
func (hostile) Wants(string) bool          { return true }
func (h hostile) NeedsContent(string) bool { return h.needs }
func (hostile) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	partial := []scanners.Finding{{Scanner: "h", RuleID: "h/x", Location: scanners.Location{Path: in.Path, StartLine: 1, EndLine: 1}}}
	switch {
	case strings.Contains(in.Path, "deep"):
		return partial, scanners.TooDeep(scanners.MaxDepth)
	case strings.Contains(in.Path, "slow"):
		<-ctx.Done()
		return partial, ctx.Err()
	case strings.Contains(in.Path, "quote"):
		return nil, errors.New("unexpected token " + in.Added[0].Text)
	}
	return nil, nil
}

func TestRunKeepsWhatAFileOverABoundGave(t *testing.T) {
	res, err := scanners.Run(context.Background(), []scanners.Scanner{hostile{}}, []*scanners.Input{{Path: "deep.tf"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 {
		t.Errorf("findings %d, want the one returned beside the bound error", len(res.Findings))
	}
	if !res.Incomplete() || !errors.Is(res.Statuses[0].Errors[0], scanners.ErrBound) {
		t.Errorf("statuses %+v: want the file reported over a bound", res.Statuses)
	}
	if got := res.Statuses[0].Errors[0].Error(); got != "deep.tf: nesting depth over 512: not scanned" {
		t.Errorf("error %q", got)
	}
}

func TestRunBoundsTheTimeOfOneFile(t *testing.T) {
	start := time.Now()
	res, err := scanners.Run(context.Background(), []scanners.Scanner{hostile{}}, []*scanners.Input{{Path: "slow.js"}, {Path: "ok.js"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > scanners.FileTimeout+2*time.Second {
		t.Errorf("Run took %s with a file timeout of %s", d, scanners.FileTimeout)
	}
	st := res.Statuses[0]
	if st.Files != 2 || len(st.Errors) != 1 || !errors.Is(st.Errors[0], scanners.ErrBound) || !strings.HasPrefix(st.Errors[0].Error(), "slow.js: scan time") {
		t.Errorf("status %+v: want slow.js over the time bound and ok.js scanned", st)
	}
}

func TestRunReportsFilesItCouldNotRead(t *testing.T) {
	in := func() *scanners.Input {
		return &scanners.Input{Path: "big.yaml", Added: []scanners.Line{{Number: 3, Text: "x"}}, Unread: scanners.TooLarge(10 << 20)}
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{hostile{needs: true}}, []*scanners.Input{in()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Incomplete() || !strings.Contains(res.Statuses[0].Errors[0].Error(), "big.yaml: not read whole") {
		t.Errorf("statuses %+v: an unread file a scanner needed whole must make the scan incomplete", res.Statuses)
	}
	// A scanner that reads only added lines lost nothing.
	res, err = scanners.Run(context.Background(), []scanners.Scanner{hostile{needs: false}}, []*scanners.Input{in()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Incomplete() {
		t.Errorf("statuses %+v: a scanner that needs no content is not incomplete for an unread file", res.Statuses)
	}
}

// redactor masks the word "TOKEN" wherever it is, as the secrets scanner
// masks a secret it recognises.
type redactor struct{ fake }

func (redactor) Redact(s string) string { return strings.ReplaceAll(s, "TOKEN", "[redacted]") }

func TestRunNeverQuotesASecretInAStatus(t *testing.T) {
	in := &scanners.Input{Path: "quote.mod", Added: []scanners.Line{{Number: 1, Text: "v0.0.0-TOKEN"}}}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{hostile{}, redactor{fake{"secrets", "nothing"}}}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Statuses[0].Errors[0].Error()
	if strings.Contains(got, "TOKEN") || !strings.Contains(got, "[redacted]") {
		t.Errorf("status error %q quotes the secret", got)
	}

	// A secret another finding located is masked even with no redactor.
	sec := "sk_live_abcdefghijklmnop"
	in = &scanners.Input{Path: "quote.env", Added: []scanners.Line{{Number: 1, Text: sec}}}
	located := locating{start: 1, end: len(sec)}
	res, err = scanners.Run(context.Background(), []scanners.Scanner{hostile{}, located}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Statuses[0].Errors[0].Error(); strings.Contains(got, sec) {
		t.Errorf("status error %q quotes a secret a finding located", got)
	}
}

// locating reports one Sensitive finding spanning columns start..end of line 1.
type locating struct{ start, end int }

func (locating) Name() string      { return "secrets" }
func (locating) Wants(string) bool { return true }
func (l locating) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	return []scanners.Finding{{Scanner: "secrets", RuleID: "secrets/x", Sensitive: true,
		Location: scanners.Location{Path: in.Path, StartLine: 1, EndLine: 1, StartColumn: l.start, EndColumn: l.end}}}, nil
}

// parser records how many bytes of whole files it holds at once.
type parser struct {
	now, peak *atomic.Int64
}

func (parser) Name() string             { return "p" }
func (parser) Wants(string) bool        { return true }
func (parser) NeedsContent(string) bool { return true }
func (p parser) Scan(_ context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	n := p.now.Add(int64(len(in.Content)))
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	p.now.Add(-int64(len(in.Content)))
	return nil, nil
}

// However many jobs scan at once, large files are parsed a few at a time:
// the process's memory is bounded by what its parses hold, not by how many
// jobs it runs.
func TestRunBoundsTheParsesInFlight(t *testing.T) {
	p := parser{now: new(atomic.Int64), peak: new(atomic.Int64)}
	big := make([]byte, 3<<20)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := &scanners.Input{Path: fmt.Sprintf("f%d.yaml", i), Content: big}
			if _, err := scanners.Run(context.Background(), []scanners.Scanner{p}, []*scanners.Input{in}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak := p.peak.Load(); peak > 2*scanners.MaxParseBytes {
		t.Errorf("%d bytes parsed at once, want at most %d", peak, 2*scanners.MaxParseBytes)
	}
}

// handWritten is fake, wanting only files people wrote.
type handWritten struct{ fake }

func (handWritten) HandWrittenOnly() bool { return true }

// TestRunSkipsWhatNoOneWroteForHandWrittenOnly: vendored, minified and
// generated files are passed over, counted, and no error (the scan is not
// incomplete); a scanner without the capability still scans them.
func TestRunSkipsWhatNoOneWroteForHandWrittenOnly(t *testing.T) {
	code, secrets := handWritten{fake{"code", "TODO"}}, fake{"secrets", "TODO"}
	file := func(path, text string) *scanners.Input {
		in := &scanners.Input{Path: path, New: true, Content: []byte(text)}
		for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
		}
		return in
	}
	inputs := []*scanners.Input{
		file("main.go", "package main // TODO\n"),
		file("vendor/x/y.go", "package y // TODO\n"),
		file("api.pb.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api // TODO\n"),
		file("app.min.js", "var a=1 // TODO\n"),
	}
	res, err := scanners.Run(context.Background(), []scanners.Scanner{code, secrets}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Statuses[0]; st.Skipped != 3 || st.Files != 1 || len(st.Errors) != 0 {
		t.Errorf("code: skipped %d, scanned %d, errors %v; want 3, 1, none", st.Skipped, st.Files, st.Errors)
	}
	if st := res.Statuses[1]; st.Skipped != 0 || st.Files != 4 {
		t.Errorf("secrets: skipped %d, scanned %d; want 0, 4", st.Skipped, st.Files)
	}
	var code1 int
	for _, f := range res.Findings {
		if f.Scanner == "code" {
			code1++
			if f.Location.Path != "main.go" {
				t.Errorf("code finding in %s, which it should have skipped", f.Location.Path)
			}
		}
	}
	if code1 != 1 || res.Incomplete() {
		t.Errorf("%d code findings, incomplete %v; want 1, false", code1, res.Incomplete())
	}
}
