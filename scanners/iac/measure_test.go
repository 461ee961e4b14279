package iac_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// The measurement harness of issue 14 (see MEASURE.md): every labeled IaC
// query of the corpus is put in the "build" or the "held-out" split by its
// id alone, so rules are written from build queries and judged on queries
// no one looked at while writing them.

const (
	splitBuild   = "build"
	splitHeldOut = "held-out"

	// buildPercent is the share of queries, in percent, the split puts in
	// the build part. Changing it reshuffles every figure: don't.
	buildPercent = 60

	// anchorSlack is how far (in lines) a finding may start from the
	// expected line and still count as anchored on it (issue 14's "within
	// two lines").
	anchorSlack = 2
)

// The formats measured, in the order of the table. The shared corpus's KICS
// copy holds no CloudFormation query: KICS's CloudFormation queries are in
// testdata/iac/kics-cfn and measured in both runs (measureCorpus).
var measureFormats = []string{"dockerfile", "kubernetes", "terraform", "cloudformation", "compose"}

// splitOf puts a query in the build or the held-out split: the first eight
// bytes of sha256(id), read big-endian, modulo 100, below buildPercent is
// build. id is the KICS query id (a UUID), the trivy-checks check id
// ("AWS-0086") or the kube-linter check name, as the corpus indexes spell
// them. The rule reads nothing but the id, so a query never straddles the
// split and adding queries moves none.
func splitOf(id string) string {
	sum := sha256.Sum256([]byte(id))
	if binary.BigEndian.Uint64(sum[:8])%100 < buildPercent {
		return splitBuild
	}
	return splitHeldOut
}

// measured is one query (or check) with what the corpus expects of it and
// what the scanner did.
type measured struct {
	source  string // kics, trivy-checks, kube-linter
	id      string
	format  string
	family  string // the unit "claimed" is decided over (claimedFamilies)
	split   string
	mapped  bool // corpus_test.go maps it to a rule
	claimed bool

	// Line-labeled (KICS): expected lines, and those a finding covers or
	// is anchored on.
	lines, covered, anchored int
	// Not line-labeled (trivy-checks files, kube-linter documents):
	// positives expected and positives with any finding.
	pos, posFlagged int
	// Negatives (clean by label) and those flagged: for kube-linter, with
	// any finding; for KICS and trivy-checks, with a finding of a rule that
	// none of the query's positive files raises (negRules, posRules; see
	// settleNoise). A negative is clean for its own query only: the rules
	// it shares with the positives are about something else.
	neg, negNoisy int
	posRules      map[string]bool
	negRules      []map[string]bool
}

// settleNoise counts the negatives (KICS, trivy-checks) flagged by a rule
// none of the query's positives raises: the scanner objecting to the
// fixed form rather than to what the files have in common.
func (u *measured) settleNoise() {
	for _, rules := range u.negRules {
		for id := range rules {
			if !u.posRules[id] {
				u.negNoisy++
				break
			}
		}
	}
	u.negRules = nil
}

// notePositive adds a positive file's rules to u's.
func (u *measured) notePositive(rules map[string]bool) {
	if u.posRules == nil {
		u.posRules = map[string]bool{}
	}
	for id := range rules {
		u.posRules[id] = true
	}
}

// measureScan scans each file once, as a wholly added file, and only if the
// scanner wants its path (as the review would).
type measureScan struct {
	tb      testing.TB
	dir     string
	s       *iac.Scanner
	byFile  map[string][]scanners.Location
	ruleSet map[string]map[string]bool
}

func newMeasureScan(tb testing.TB, dir string) *measureScan {
	return &measureScan{tb: tb, dir: dir, s: iac.New(), byFile: map[string][]scanners.Location{}, ruleSet: map[string]map[string]bool{}}
}

// rules returns the rule ids of the findings in file.
func (m *measureScan) rules(file string) map[string]bool {
	m.findings(file)
	return m.ruleSet[file]
}

// findings returns the locations of every finding in file (a path below the
// corpus root), whatever its rule: held-out queries are mapped to none.
func (m *measureScan) findings(file string) []scanners.Location {
	if locs, ok := m.byFile[file]; ok {
		return locs
	}
	var locs []scanners.Location
	if m.s.Wants(file) {
		content, err := os.ReadFile(filepath.Join(m.dir, file))
		if err != nil {
			m.tb.Fatalf("reading corpus file: %v", err)
		}
		fs, err := m.s.Scan(context.Background(), wholeFile(file, content))
		if err != nil && !isNote(err) {
			m.tb.Errorf("%s: %v", file, err)
		}
		rules := map[string]bool{}
		for _, f := range fs {
			locs = append(locs, f.Location)
			rules[f.RuleID] = true
		}
		m.ruleSet[file] = rules
	}
	m.byFile[file] = locs
	return locs
}

// coversLine is true when a finding's lines hold line.
func coversLine(locs []scanners.Location, line int) bool {
	for _, l := range locs {
		if l.StartLine <= line && line <= max(l.EndLine, l.StartLine) {
			return true
		}
	}
	return false
}

// anchoredOn is true when a finding starts within anchorSlack lines of line.
func anchoredOn(locs []scanners.Location, line int) bool {
	for _, l := range locs {
		if l.StartLine >= line-anchorSlack && l.StartLine <= line+anchorSlack {
			return true
		}
	}
	return false
}

// kicsFormats maps KICS platform directories to measured formats; cicd is
// the pipelines scanner's.
var kicsFormats = map[string]string{
	"dockerfile":     "dockerfile",
	"k8s":            "kubernetes",
	"terraform":      "terraform",
	"cloudFormation": "cloudformation",
	"dockerCompose":  "compose",
}

type kicsIndex struct {
	Queries map[string]struct {
		QueryDir string `json:"query_dir"`
		Category string
	}
	Cases []struct {
		File            string
		QueryID         string `json:"query_id"`
		Label           string
		ExpectedResults []kicsResult `json:"expected_results"`
	}
}

// kicsResult is one expected result: the file is named under either
// spelling, or not at all where the query has one positive file.
type kicsResult struct {
	Line     int
	FileName string `json:"fileName"`
	Filename string `json:"filename"`
}

// expectedLines returns the distinct lines expected in file. Results that
// name another file are left out: the corpus copies old single-list result
// files to every positive file of their query (_ambiguous_file).
func expectedLines(file string, results []kicsResult) []int {
	base := path.Base(file)
	seen := map[int]bool{}
	var lines []int
	for _, r := range results {
		name := r.FileName
		if name == "" {
			name = r.Filename
		}
		if (name != "" && name != base) || r.Line <= 0 || seen[r.Line] {
			continue
		}
		seen[r.Line] = true
		lines = append(lines, r.Line)
	}
	return lines
}

// measureKICS scores every KICS query of a measured format on its expected
// lines and its negative files.
func measureKICS(tb testing.TB, index string, m *measureScan) []*measured {
	var idx kicsIndex
	scannertest.ReadJSON(tb, index, &idx)
	byID := map[string]*measured{}
	var out []*measured
	for _, c := range idx.Cases {
		q := idx.Queries[c.QueryID]
		format, ok := kicsFormats[strings.SplitN(q.QueryDir, "/", 2)[0]]
		if !ok {
			continue
		}
		u := byID[c.QueryID]
		if u == nil {
			_, mapped := kicsMap[q.QueryDir]
			u = &measured{source: "kics", id: c.QueryID, format: format, family: format + "/" + q.Category,
				split: splitOf(c.QueryID), mapped: mapped}
			byID[c.QueryID] = u
			out = append(out, u)
		}
		locs := m.findings(c.File)
		if c.Label != "positive" {
			u.neg++
			u.negRules = append(u.negRules, m.rules(c.File))
			continue
		}
		u.notePositive(m.rules(c.File))
		for _, l := range expectedLines(c.File, c.ExpectedResults) {
			u.lines++
			if coversLine(locs, l) {
				u.covered++
			}
			if anchoredOn(locs, l) {
				u.anchored++
			}
		}
	}
	for _, u := range out {
		u.settleNoise()
	}
	return out
}

// trivyFormats maps trivy-checks input types to measured formats.
var trivyFormats = map[string]string{
	"dockerfile":     "dockerfile",
	"kubernetes":     "kubernetes",
	"terraform":      "terraform",
	"cloudformation": "cloudformation",
}

// measureTrivy scores trivy-checks' good and bad examples by file: they
// carry no line numbers. A check is one unit per input type (one split for
// all its input types, as splitOf reads only the id).
func measureTrivy(tb testing.TB, corpus string, m *measureScan) []*measured {
	var idx struct {
		Checks map[string]struct{ Provider, Service string }
		Cases  []struct {
			File, Label string
			CheckID     string `json:"check_id"`
			InputType   string `json:"input_type"`
		}
	}
	scannertest.ReadJSON(tb, filepath.Join(corpus, "iac", "trivy-checks", "index.json"), &idx)
	byKey := map[string]*measured{}
	var out []*measured
	for _, c := range idx.Cases {
		format, ok := trivyFormats[c.InputType]
		if !ok {
			continue
		}
		u := byKey[c.CheckID+" "+format]
		if u == nil {
			// corpus_test.go maps checks, not input types: a rule maps
			// a CloudFormation example only once the scanner reads it.
			_, mapped := trivyMap[c.CheckID]
			mapped = mapped && format != "cloudformation"
			u = &measured{source: "trivy-checks", id: c.CheckID, format: format,
				family: format + "/" + trivyFamily(c.CheckID, idx.Checks[c.CheckID].Provider, idx.Checks[c.CheckID].Service),
				split:  splitOf(c.CheckID), mapped: mapped}
			byKey[c.CheckID+" "+format] = u
			out = append(out, u)
		}
		flagged := len(m.findings(c.File)) > 0
		if c.Label == "positive" {
			u.pos++
			if flagged {
				u.posFlagged++
			}
			u.notePositive(m.rules(c.File))
			continue
		}
		u.neg++
		u.negRules = append(u.negRules, m.rules(c.File))
	}
	for _, u := range out {
		u.settleNoise()
	}
	return out
}

// trivyFamily is a check's provider and service ("aws/s3"), or its id's
// prefix for the checks that have none (DS, KSV).
func trivyFamily(id, provider, service string) string {
	if provider == "" {
		prefix, _, _ := strings.Cut(id, "-")
		return prefix
	}
	return provider + "/" + service
}

// measureKubeLinter scores kube-linter's test files by document: a document
// named dont-fire* is a negative; a check is credited with
// min(documents flagged, the report count its upstream test expects), as
// TestCorpusQuality does.
func measureKubeLinter(tb testing.TB, corpus string, m *measureScan) []*measured {
	var idx struct {
		Cases []struct {
			File      string
			Check     string
			Expected  *int `json:"expected_report_count"`
			Documents []struct {
				Fire *bool `json:"expected_fire_by_naming"`
			}
		}
	}
	scannertest.ReadJSON(tb, filepath.Join(corpus, "iac", "kube-linter", "index.json"), &idx)
	var out []*measured
	for _, c := range idx.Cases {
		if c.Expected == nil {
			continue
		}
		_, mapped := kubeLinterMap[c.Check]
		u := &measured{source: "kube-linter", id: c.Check, format: "kubernetes", family: "kubernetes/kube-linter",
			split: splitOf(c.Check), mapped: mapped, pos: *c.Expected}
		content, err := os.ReadFile(filepath.Join(corpus, c.File))
		if err != nil {
			tb.Fatalf("reading corpus file: %v", err)
		}
		starts := docStarts(string(content))
		locs := m.findings(c.File)
		flagged := 0
		for i, d := range c.Documents {
			if d.Fire == nil || i >= len(starts) {
				continue
			}
			hit := docFlagged(locs, starts, i)
			switch {
			case *d.Fire && hit:
				flagged++
			case !*d.Fire:
				u.neg++
				if hit {
					u.negNoisy++
				}
			}
		}
		u.posFlagged = min(flagged, u.pos)
		out = append(out, u)
	}
	return out
}

// docFlagged is true when a finding starts in document i.
func docFlagged(locs []scanners.Location, starts []int, i int) bool {
	from, to := starts[i], 1<<30
	if i+1 < len(starts) {
		to = starts[i+1] - 1
	}
	for _, l := range locs {
		if l.StartLine >= from && l.StartLine <= to {
			return true
		}
	}
	return false
}

// markClaimed decides which queries belong to a family shiftward claims: a
// family (KICS: format and category, "terraform/Encryption"; trivy-checks:
// format, provider and service, "terraform/aws/s3"; kube-linter: all its
// checks) is claimed when at least one of its BUILD queries is mapped to a
// rule in corpus_test.go. Held-out mappings never widen the claim.
func markClaimed(us []*measured) {
	claimed := map[string]bool{}
	for _, u := range us {
		if u.split == splitBuild && u.mapped {
			claimed[u.source+" "+u.family] = true
		}
	}
	for _, u := range us {
		u.claimed = claimed[u.source+" "+u.family]
	}
}

// measureRow sums the queries of one table line.
type measureRow struct {
	queries, withPos, mapped int
	covering, anchored       float64 // sums of per-query recall
	neg, noisy               int
}

func (r *measureRow) add(u *measured) {
	r.queries++
	if u.mapped {
		r.mapped++
	}
	r.neg += u.neg
	r.noisy += u.negNoisy
	switch {
	case u.lines > 0:
		r.withPos++
		r.covering += float64(u.covered) / float64(u.lines)
		r.anchored += float64(u.anchored) / float64(u.lines)
	case u.pos > 0:
		r.withPos++
		r.covering += float64(u.posFlagged) / float64(u.pos)
	}
}

// measureRatio is n/d, 0 for an empty row.
func measureRatio(n float64, d int) float64 {
	if d == 0 {
		return 0
	}
	return n / float64(d)
}

// recallCovering is the per-query recall averaged over queries with
// positives (for trivy-checks and kube-linter: positives with any finding).
func (r *measureRow) recallCovering() float64 { return measureRatio(r.covering, r.withPos) }
func (r *measureRow) recallAnchored() float64 { return measureRatio(r.anchored, r.withPos) }
func (r *measureRow) noise() float64          { return measureRatio(float64(r.noisy), r.neg) }

// measureKey names a table line: "kics terraform held-out claimed".
func measureKey(source, format, split, scope string) string {
	return source + " " + format + " " + split + " " + scope
}

// tabulateMeasured sums queries into rows, each query in its "all" row and, if
// claimed, its "claimed" row.
func tabulateMeasured(us []*measured) map[string]*measureRow {
	rows := map[string]*measureRow{}
	get := func(k string) *measureRow {
		if rows[k] == nil {
			rows[k] = &measureRow{}
		}
		return rows[k]
	}
	for _, u := range us {
		get(measureKey(u.source, u.format, u.split, "all")).add(u)
		if u.claimed {
			get(measureKey(u.source, u.format, u.split, "claimed")).add(u)
		}
	}
	return rows
}

// measureCorpus scores every source of one corpus.
func measureCorpus(tb testing.TB, corpus string) map[string]*measureRow {
	m := newMeasureScan(tb, corpus)
	var us []*measured
	us = append(us, measureKICS(tb, filepath.Join(corpus, "iac", "kics", "index.json"), m)...)
	// KICS's CloudFormation queries are not in the shared corpus: testdata
	// holds all of them (testdata/iac/README.md, kics-cfn/), measured in
	// both runs.
	fixtures, mf := scannertest.Fixtures(tb).Dir, m
	if fixtures != corpus {
		mf = newMeasureScan(tb, fixtures)
	}
	us = append(us, measureKICS(tb, filepath.Join(fixtures, "iac", "kics-cfn", "index.json"), mf)...)
	us = append(us, measureTrivy(tb, corpus, m)...)
	us = append(us, measureKubeLinter(tb, corpus, m)...)
	markClaimed(us)
	if os.Getenv("SHIFTWARD_MEASURE") == "misses" {
		tb.Log("\n" + buildMisses(us))
	}
	return tabulateMeasured(us)
}

// buildMisses lists the build-split queries that are not fully found, by
// format: the work list for new checks. Held-out queries are never listed
// (MEASURE.md, "The split").
func buildMisses(us []*measured) string {
	var lines []string
	for _, u := range us {
		if u.split != "build" {
			continue
		}
		got, want := u.covered, u.lines
		if u.lines == 0 {
			got, want = u.posFlagged, u.pos
		}
		if want == 0 || (got == want && (u.lines == 0 || u.anchored == want)) {
			continue
		}
		line := fmt.Sprintf("%s %s %s %s: %d/%d", u.format, u.source, u.family, u.id, got, want)
		if u.lines > 0 && u.anchored != got {
			line += fmt.Sprintf(" (anchored %d)", u.anchored)
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return "build-split queries not fully found or not anchored (format source family id: found/expected, anchored when fewer):\n" + strings.Join(lines, "\n")
}

// renderMeasure writes the rows held-out first, as MEASURE.md shows them.
func renderMeasure(rows map[string]*measureRow) string {
	var b strings.Builder
	b.WriteString("| split | scope | source | format | queries | with positives | mapped | recall covering | recall anchored | negatives | noise |\n")
	b.WriteString("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, split := range []string{splitHeldOut, splitBuild} {
		for _, scope := range []string{"claimed", "all"} {
			for _, source := range []string{"kics", "trivy-checks", "kube-linter"} {
				for _, format := range measureFormats {
					r := rows[measureKey(source, format, split, scope)]
					if r == nil && source == "kics" && format != "compose" {
						r = &measureRow{} // shown as 0: no query of the format here
					}
					if r == nil {
						continue
					}
					anchored := fmt.Sprintf("%.3f", r.recallAnchored())
					if source != "kics" {
						anchored = "n/a" // no expected lines
					}
					fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %d | %d | %.3f | %s | %d | %.3f |\n",
						split, scope, source, format, r.queries, r.withPos, r.mapped, r.recallCovering(), anchored, r.neg, r.noise())
				}
			}
		}
	}
	return b.String()
}

// measureFloor is the least a row must keep: recall floors just under
// today's figures and a noise ceiling 0.05 over (see floorLines).
type measureFloor struct{ covering, anchored, noiseMax float64 }

// checkFloors fails the test on every floor a row breaks.
func checkFloors(t *testing.T, rows map[string]*measureRow, floors map[string]measureFloor) {
	for _, p := range floorProblems(rows, floors) {
		t.Error(p)
	}
}

// floorProblems lists the rows under their floors, and the floored rows that
// are gone (a query set that vanished is a broken ruler, not a pass).
func floorProblems(rows map[string]*measureRow, floors map[string]measureFloor) []string {
	keys := make([]string, 0, len(floors))
	for k := range floors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		f, r := floors[k], rows[k]
		if r == nil || r.withPos == 0 {
			out = append(out, fmt.Sprintf("%s: no query with positives to measure", k))
			continue
		}
		if got := r.recallCovering(); got < f.covering {
			out = append(out, fmt.Sprintf("%s: recall covering %.3f below its floor %.2f", k, got, f.covering))
		}
		if got := r.recallAnchored(); got < f.anchored {
			out = append(out, fmt.Sprintf("%s: recall anchored %.3f below its floor %.2f", k, got, f.anchored))
		}
		if got := r.noise(); got > f.noiseMax {
			out = append(out, fmt.Sprintf("%s: noise %.3f above its ceiling %.2f", k, got, f.noiseMax))
		}
	}
	return out
}

// TestIaCMeasure prints the held-out/build table (with -v or
// SHIFTWARD_MEASURE=1) and holds today's figures as floors, on the full
// corpus when it is beside the repository and always on testdata/.
func TestIaCMeasure(t *testing.T) {
	show := testing.Verbose() || os.Getenv("SHIFTWARD_MEASURE") == "1"
	t.Run("full", func(t *testing.T) {
		c := scannertest.Data(t)
		if !c.Full {
			t.Skip("the full corpus is not at ../shared/corpus; testdata/ is measured below")
		}
		rows := measureCorpus(t, c.Dir)
		reportMeasure(t, rows, show)
		checkFloors(t, rows, fullFloors)
	})
	t.Run("testdata", func(t *testing.T) {
		rows := measureCorpus(t, scannertest.Fixtures(t).Dir)
		reportMeasure(t, rows, show)
		checkFloors(t, rows, testdataFloors)
	})
}

// reportMeasure logs the table, and with SHIFTWARD_MEASURE=floors the floor lines
// today's figures call for (to paste below when a change raises them).
func reportMeasure(t *testing.T, rows map[string]*measureRow, show bool) {
	if show {
		t.Log("\n" + renderMeasure(rows))
	}
	if os.Getenv("SHIFTWARD_MEASURE") == "floors" {
		t.Log("\n" + floorLines(rows))
	}
}

// floorLines proposes a floor for every row with a recall above zero: the
// figure rounded down to two decimals, strictly under it, and a noise
// ceiling 0.05 over it (a new check may fire on another query's negative
// file; more than that is a regression to look at).
func floorLines(rows map[string]*measureRow) string {
	keys := make([]string, 0, len(rows))
	for k, r := range rows {
		if r.recallCovering() > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		r := rows[k]
		fmt.Fprintf(&b, "\t%q: {%.2f, %.2f, %.2f}, // %.3f, %.3f, %.3f\n", k,
			floorUnder(r.recallCovering()), floorUnder(r.recallAnchored()), min(1, math.Ceil((r.noise()+0.05)*100)/100),
			r.recallCovering(), r.recallAnchored(), r.noise())
	}
	return b.String()
}

// floorUnder is x rounded down to two decimals and strictly below it (0 stays 0).
func floorUnder(x float64) float64 {
	return max(0, math.Floor((x-0.001)*100)/100)
}

// fullFloors hold the full corpus's figures: {recall covering, recall
// anchored, noise ceiling}, then the figures measured (covering, anchored,
// noise), as floorLines wrote them. Anchored is 0 where the source has no
// expected lines.
var fullFloors = map[string]measureFloor{
	"kics cloudformation build all":            {0.84, 0.77, 0.17}, // 0.844, 0.780, 0.116
	"kics cloudformation held-out all":         {0.80, 0.73, 0.18}, // 0.803, 0.739, 0.122
	"kics compose build all":                   {0.99, 0.89, 0.29}, // 1.000, 0.900, 0.238
	"kics compose held-out all":                {0.93, 0.65, 0.05}, // 0.938, 0.656, 0.000
	"kics dockerfile build all":                {0.93, 0.81, 0.30}, // 0.938, 0.812, 0.250
	"kics dockerfile build claimed":            {0.93, 0.81, 0.30}, // 0.938, 0.812, 0.250
	"kics dockerfile held-out all":             {0.97, 0.97, 0.61}, // 0.974, 0.974, 0.559
	"kics dockerfile held-out claimed":         {0.97, 0.97, 0.61}, // 0.974, 0.974, 0.559
	"kics kubernetes build all":                {0.96, 0.91, 0.32}, // 0.961, 0.912, 0.267
	"kics kubernetes build claimed":            {0.96, 0.90, 0.30}, // 0.968, 0.910, 0.243
	"kics kubernetes held-out all":             {0.84, 0.74, 0.30}, // 0.841, 0.750, 0.244
	"kics kubernetes held-out claimed":         {0.86, 0.74, 0.31}, // 0.868, 0.750, 0.258
	"kics terraform build all":                 {0.92, 0.88, 0.24}, // 0.925, 0.881, 0.181
	"kics terraform build claimed":             {0.94, 0.89, 0.22}, // 0.942, 0.899, 0.162
	"kics terraform held-out all":              {0.82, 0.74, 0.23}, // 0.822, 0.743, 0.176
	"kics terraform held-out claimed":          {0.81, 0.77, 0.27}, // 0.821, 0.775, 0.216
	"kube-linter kubernetes build all":         {0.81, 0.00, 0.62}, // 0.821, 0.000, 0.568
	"kube-linter kubernetes build claimed":     {0.81, 0.00, 0.62}, // 0.821, 0.000, 0.568
	"kube-linter kubernetes held-out all":      {0.74, 0.00, 0.90}, // 0.749, 0.000, 0.844
	"kube-linter kubernetes held-out claimed":  {0.74, 0.00, 0.90}, // 0.749, 0.000, 0.844
	"trivy-checks cloudformation build all":    {0.99, 0.00, 0.35}, // 1.000, 0.000, 0.296
	"trivy-checks cloudformation held-out all": {0.96, 0.00, 0.34}, // 0.970, 0.000, 0.281
	"trivy-checks dockerfile build all":        {0.99, 0.00, 0.39}, // 1.000, 0.000, 0.333
	"trivy-checks dockerfile build claimed":    {0.99, 0.00, 0.39}, // 1.000, 0.000, 0.333
	"trivy-checks dockerfile held-out all":     {0.99, 0.00, 0.56}, // 1.000, 0.000, 0.500
	"trivy-checks dockerfile held-out claimed": {0.99, 0.00, 0.56}, // 1.000, 0.000, 0.500
	"trivy-checks kubernetes build all":        {0.99, 0.00, 0.45}, // 1.000, 0.000, 0.400
	"trivy-checks kubernetes build claimed":    {0.99, 0.00, 0.56}, // 1.000, 0.000, 0.500
	"trivy-checks kubernetes held-out all":     {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks kubernetes held-out claimed": {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks terraform build all":         {0.97, 0.00, 0.30}, // 0.980, 0.000, 0.250
	"trivy-checks terraform build claimed":     {0.99, 0.00, 0.26}, // 1.000, 0.000, 0.209
	"trivy-checks terraform held-out all":      {0.84, 0.00, 0.23}, // 0.843, 0.000, 0.171
	"trivy-checks terraform held-out claimed":  {0.82, 0.00, 0.22}, // 0.826, 0.000, 0.161
}

// testdataFloors hold testdata/'s figures, as fullFloors. testdata/ holds
// only the queries corpus_test.go maps (and a first positive and negative
// file of each), so its figures are far above the full corpus's.
var testdataFloors = map[string]measureFloor{
	"kics cloudformation build all":            {0.84, 0.77, 0.17}, // 0.844, 0.780, 0.116
	"kics cloudformation held-out all":         {0.80, 0.73, 0.18}, // 0.803, 0.739, 0.122
	"kics dockerfile build all":                {0.99, 0.99, 0.28}, // 1.000, 1.000, 0.222
	"kics dockerfile build claimed":            {0.99, 0.99, 0.28}, // 1.000, 1.000, 0.222
	"kics dockerfile held-out all":             {0.99, 0.99, 0.48}, // 1.000, 1.000, 0.429
	"kics dockerfile held-out claimed":         {0.99, 0.99, 0.48}, // 1.000, 1.000, 0.429
	"kics kubernetes build all":                {0.99, 0.99, 0.20}, // 1.000, 1.000, 0.143
	"kics kubernetes build claimed":            {0.99, 0.99, 0.20}, // 1.000, 1.000, 0.143
	"kics kubernetes held-out all":             {0.99, 0.99, 0.05}, // 1.000, 1.000, 0.000
	"kics kubernetes held-out claimed":         {0.99, 0.99, 0.05}, // 1.000, 1.000, 0.000
	"kics terraform build all":                 {0.92, 0.92, 0.33}, // 0.929, 0.929, 0.278
	"kics terraform build claimed":             {0.92, 0.92, 0.33}, // 0.929, 0.929, 0.278
	"kics terraform held-out all":              {0.74, 0.74, 0.05}, // 0.750, 0.750, 0.000
	"kics terraform held-out claimed":          {0.99, 0.99, 0.05}, // 1.000, 1.000, 0.000
	"kube-linter kubernetes build all":         {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"kube-linter kubernetes build claimed":     {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"kube-linter kubernetes held-out all":      {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"kube-linter kubernetes held-out claimed":  {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"trivy-checks dockerfile build all":        {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks dockerfile build claimed":    {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks dockerfile held-out all":     {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"trivy-checks dockerfile held-out claimed": {0.99, 0.00, 1.00}, // 1.000, 0.000, 1.000
	"trivy-checks kubernetes build all":        {0.99, 0.00, 0.72}, // 1.000, 0.000, 0.667
	"trivy-checks kubernetes build claimed":    {0.99, 0.00, 0.72}, // 1.000, 0.000, 0.667
	"trivy-checks kubernetes held-out all":     {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks kubernetes held-out claimed": {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks terraform build all":         {0.99, 0.00, 0.15}, // 1.000, 0.000, 0.091
	"trivy-checks terraform build claimed":     {0.99, 0.00, 0.15}, // 1.000, 0.000, 0.091
	"trivy-checks terraform held-out all":      {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
	"trivy-checks terraform held-out claimed":  {0.99, 0.00, 0.05}, // 1.000, 0.000, 0.000
}

// TestSplitOf pins the split rule MEASURE.md records: the values were
// computed apart from this code, in Python, with
// int.from_bytes(sha256(id).digest()[:8], "big") % 100 (48, 75, 46, 3).
// If it fails, the split moved and every held-out figure is void.
func TestSplitOf(t *testing.T) {
	for id, want := range map[string]string{
		"20f14e1a-a899-4e79-9f09-b6a84cd4649b": splitBuild, // KICS Run Block Injection
		"AWS-0086":                             splitHeldOut,
		"privileged-container":                 splitBuild,
		"KSV-0017":                             splitBuild,
	} {
		if got := splitOf(id); got != want {
			t.Errorf("splitOf(%q) = %s, want %s", id, got, want)
		}
	}
}

// TestFloorProblems shows the floors bite: a row under a recall floor, over
// its noise ceiling, or gone is a problem.
func TestFloorProblems(t *testing.T) {
	low := &measureRow{queries: 2, withPos: 2, covering: 1, anchored: 1, neg: 4, noisy: 3} // 0.5, 0.5, 0.75
	rows := map[string]*measureRow{"a": low, "b": low, "c": low, "d": low}
	floors := map[string]measureFloor{
		"a": {covering: 0.49, anchored: 0.49, noiseMax: 0.80}, // holds
		"b": {covering: 0.51, anchored: 0.49, noiseMax: 0.80}, // covering under
		"c": {covering: 0.49, anchored: 0.51, noiseMax: 0.80}, // anchored under
		"d": {covering: 0.49, anchored: 0.49, noiseMax: 0.70}, // noise over
		"e": {},                                               // row gone
	}
	got := floorProblems(rows, floors)
	want := []string{
		"b: recall covering 0.500 below its floor 0.51",
		"c: recall anchored 0.500 below its floor 0.51",
		"d: noise 0.750 above its ceiling 0.70",
		"e: no query with positives to measure",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("floorProblems (-want +got):\n%s", diff)
	}
}
