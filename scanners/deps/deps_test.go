package deps_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
)

// testSource is the corpus advisories plus the hand-written records in
// testdata (ecosystems the corpus has no record for).
func testSource(t testing.TB) *memSource {
	t.Helper()
	vulns := slices.Clone(corpusAdvisories(t))
	b, err := os.ReadFile(filepath.Join("testdata", "RUSTSEC-2021-0003.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v deps.Vuln
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return newMemSource(append(vulns, v)...)
}

type fileCase struct {
	name string
	// file is below the corpus's osv/lockfiles ("osv-scanner/...") or, with
	// a "testdata/" prefix, in this package.
	file string
	// path is the repository path the scanner sees (its name picks the
	// format).
	path string
	// want maps each expected finding's identity to a fragment of the line
	// it must point at.
	want map[string]string
	// fix lists the identities whose finding must carry a suggestion.
	fix []string
}

var fileCases = []fileCase{
	{
		name: "go.mod", file: "osv-scanner/call-analysis-go-project/go.mod", path: "go.mod",
		want: map[string]string{
			"Go/github.com/gogo/protobuf@1.3.1":    "github.com/gogo/protobuf v1.3.1",
			"Go/github.com/ipfs/go-bitfield@1.0.0": "github.com/ipfs/go-bitfield v1.0.0",
			"Go/golang.org/x/image@0.4.0":          "golang.org/x/image v0.4.0",
		},
		fix: []string{"Go/github.com/gogo/protobuf@1.3.1", "Go/github.com/ipfs/go-bitfield@1.0.0", "Go/golang.org/x/image@0.4.0"},
	},
	{
		name: "package.json", file: "testdata/package.json", path: "web/package.json",
		want: map[string]string{
			"npm/lodash@4.17.15":  `"lodash": "^4.17.15"`,
			"npm/jquery@3.4.1":    `"jquery": "3.4.1"`,
			"npm/ansi-html@0.0.1": `"ansi-html": "~0.0.1"`,
		},
		fix: []string{"npm/lodash@4.17.15", "npm/jquery@3.4.1", "npm/ansi-html@0.0.1"},
	},
	{
		name: "package-lock v1", file: "osv-scanner/locks-insecure/my-package-lock.json", path: "package-lock.json",
		want: map[string]string{"npm/ansi-html@0.0.1": `"version": "0.0.1"`},
	},
	{
		name: "package-lock v3", file: "osv-scanner/locks-many-with-insecure/package-lock.json", path: "package-lock.json",
		want: map[string]string{"npm/ansi-html@0.0.1": `"version": "0.0.1"`},
	},
	{
		name: "package-lock clean", file: "osv-scanner/locks-many/package-lock.json", path: "package-lock.json",
		want: map[string]string{},
	},
	{
		name: "yarn.lock v1", file: "osv-scanner/locks-insecure/my-yarn.lock", path: "yarn.lock",
		want: map[string]string{"npm/ansi-html@0.0.1": `version "0.0.1"`},
	},
	{
		name: "yarn.lock berry", file: "testdata/yarn.berry.lock", path: "yarn.lock",
		want: map[string]string{"npm/lodash@4.17.15": "version: 4.17.15"},
	},
	{
		name: "pnpm-lock v6", file: "testdata/pnpm-lock.v6.yaml", path: "pnpm-lock.yaml",
		want: map[string]string{"npm/lodash@4.17.15": "/lodash@4.17.15:"},
	},
	{
		name: "pnpm-lock v9", file: "testdata/pnpm-lock.v9.yaml", path: "pnpm-lock.yaml",
		want: map[string]string{
			"npm/@babel/traverse@7.22.5": "'@babel/traverse@7.22.5':",
			"npm/jquery@3.4.1":           "jquery@3.4.1:",
		},
	},
	{
		name: "requirements.txt", file: "osv-scanner/locks-requirements/requirements.txt", path: "requirements.txt",
		want: map[string]string{
			"PyPI/flask@1.0.0":    "flask==1.0.0",
			"PyPI/django@1.11.29": "django==1.11.29",
		},
		fix: []string{"PyPI/flask@1.0.0", "PyPI/django@1.11.29"},
	},
	{
		name: "requirements, unresolvable", file: "osv-scanner/locks-requirements/unresolvable-requirements.txt", path: "unresolvable-requirements.txt",
		want: map[string]string{
			"PyPI/flask@1.0.0":   "flask==1.0.0",
			"PyPI/pandas@0.23.4": "pandas==0.23.4",
		},
		fix: []string{"PyPI/flask@1.0.0", "PyPI/pandas@0.23.4"},
	},
	{
		name: "requirements, not vulnerable", file: "osv-scanner/locks-requirements/the_requirements_for_test.txt", path: "the_requirements_for_test.txt",
		want: map[string]string{},
	},
	{
		name: "poetry.lock", file: "testdata/poetry.lock", path: "poetry.lock",
		want: map[string]string{"PyPI/django@1.11.29": `version = "1.11.29"`},
	},
	{
		name: "Pipfile.lock", file: "testdata/Pipfile.lock", path: "Pipfile.lock",
		want: map[string]string{
			"PyPI/flask@1.0.0": `"version": "==1.0.0"`,
		},
	},
	{
		name: "uv.lock", file: "testdata/uv.lock", path: "uv.lock",
		want: map[string]string{"PyPI/flask@1.0.0": `version = "1.0.0"`},
	},
	{
		name: "pom.xml", file: "osv-scanner/maven-transitive/encoding.xml", path: "pom.xml",
		want: map[string]string{"Maven/junit:junit@4.12": "<version>4.12</version>"},
		fix:  []string{"Maven/junit:junit@4.12"},
	},
	{
		name: "Cargo.lock", file: "testdata/Cargo.lock", path: "Cargo.lock",
		want: map[string]string{"crates.io/smallvec@1.6.0": `version = "1.6.0"`},
	},
	{
		name: "Gemfile.lock", file: "testdata/Gemfile.lock", path: "Gemfile.lock",
		want: map[string]string{"RubyGems/jquery-rails@4.3.3": "jquery-rails (4.3.3)"},
	},
	{
		name: "composer.lock", file: "testdata/composer.lock", path: "composer.lock",
		want: map[string]string{"Packagist/components/jquery@3.4.1": `"version": "v3.4.1"`},
	},
	{
		name: "composer.lock clean", file: "osv-scanner/locks-many/composer.lock", path: "composer.lock",
		want: map[string]string{},
	},
}

func readCase(t testing.TB, c fileCase) []byte {
	t.Helper()
	if rel, ok := strings.CutPrefix(c.file, "testdata/"); ok {
		b, err := os.ReadFile(filepath.Join("testdata", rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return readCorpus(t, c.file)
}

// TestFiles scans one real or realistic file of each supported format as
// a newly added file and checks each finding's package and line.
func TestFiles(t *testing.T) {
	src := testSource(t)
	s := deps.New(src)
	for _, c := range fileCases {
		t.Run(c.name, func(t *testing.T) {
			content := readCase(t, c)
			if !s.Wants(c.path) || !s.NeedsContent(c.path) {
				t.Fatalf("scanner does not want %s", c.path)
			}
			fs, err := scoped(context.Background(), s, []*scanners.Input{wholeFile(c.path, content)})
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(content), "\n")
			got := map[string]string{}
			for _, f := range fs {
				if f.RuleID != deps.RuleID || f.Scanner != deps.Name || f.Title == "" || f.Severity == scanners.SeverityUnknown {
					t.Errorf("malformed finding %+v", f)
				}
				if f.Location.Path != c.path || f.Location.StartLine < 1 || f.Location.StartLine > len(lines) {
					t.Fatalf("bad location %+v", f.Location)
				}
				line := lines[f.Location.StartLine-1]
				got[f.Identity] = line
				if frag, ok := c.want[f.Identity]; ok && !strings.Contains(line, frag) {
					t.Errorf("%s: points at line %d %q, want the line with %q", f.Identity, f.Location.StartLine, line, frag)
				}
				if !strings.Contains(f.Message, "https://osv.dev/vulnerability/") {
					t.Errorf("%s: message has no advisory link:\n%s", f.Identity, f.Message)
				}
				wantFix := slices.Contains(c.fix, f.Identity)
				if (f.Fix != nil) != wantFix {
					t.Errorf("%s: fix = %+v, want a fix: %v", f.Identity, f.Fix, wantFix)
				}
				if f.Fix == nil && !strings.Contains(f.Message, "No fixed version") && !strings.Contains(f.Message, "lowest version that fixes") {
					t.Errorf("%s: message says neither the fix nor that there is none:\n%s", f.Identity, f.Message)
				}
			}
			var gotIDs, wantIDs []string
			for id := range got {
				gotIDs = append(gotIDs, id)
			}
			for id := range c.want {
				wantIDs = append(wantIDs, id)
			}
			slices.Sort(gotIDs)
			slices.Sort(wantIDs)
			if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if n := src.queries.Load(); n < 1 {
				t.Errorf("no query made")
			}
		})
	}
}

// TestFixRemovesFinding applies every suggestion to the file, checks the
// file still parses, and re-scans: the finding must be gone.
func TestFixRemovesFinding(t *testing.T) {
	s := deps.New(testSource(t))
	for _, c := range fileCases {
		if len(c.fix) == 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			content := readCase(t, c)
			fs, err := scoped(context.Background(), s, []*scanners.Input{wholeFile(c.path, content)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.Fix == nil {
					continue
				}
				if f.Fix.StartLine != f.Location.StartLine || f.Fix.EndLine != f.Fix.StartLine {
					t.Errorf("%s: fix %+v is not on the finding's line %d", f.Identity, f.Fix, f.Location.StartLine)
				}
				fixed := applyFix(content, f.Fix)
				again, err := scoped(context.Background(), s, []*scanners.Input{withAdded(c.path, fixed, f.Fix.StartLine)})
				if err != nil {
					t.Fatalf("%s: fixed file does not scan: %v\n%s", f.Identity, err, fixed)
				}
				if again = introduced(again); len(again) != 0 {
					t.Errorf("%s: after %q still %d findings: %s", f.Identity, f.Fix.Replacement, len(again), again[0].Message)
				}
				// The fixed file still parses to the same packages, one bumped.
				if full, err := scoped(context.Background(), s, []*scanners.Input{wholeFile(c.path, fixed)}); err != nil {
					t.Errorf("%s: fixed file: %v", f.Identity, err)
				} else if len(full) != len(fs)-1 {
					t.Errorf("%s: fixed file has %d findings, want %d", f.Identity, len(full), len(fs)-1)
				}
			}
		})
	}
}

func applyFix(content []byte, fx *scanners.Fix) []byte {
	lines := strings.Split(string(content), "\n")
	out := append([]string{}, lines[:fx.StartLine-1]...)
	out = append(out, fx.Replacement)
	out = append(out, lines[fx.EndLine:]...)
	return []byte(strings.Join(out, "\n"))
}

// TestDiffScoped: only entries on lines the change adds are introduced, and
// an unchanged vulnerable entry is reported pre-existing, without a fix.
func TestDiffScoped(t *testing.T) {
	src := testSource(t)
	s := deps.New(src)
	content := readCorpus(t, "osv-scanner/locks-requirements/requirements.txt") // flask, django, requests
	all, err := scoped(context.Background(), s, []*scanners.Input{withAdded("requirements.txt", content, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if fs := introduced(all); len(fs) != 1 || fs[0].Identity != "PyPI/django@1.11.29" || fs[0].Location.StartLine != 2 || fs[0].Fix == nil {
		t.Fatalf("want only django on line 2, got %+v", fs)
	}
	// The vulnerable flask the file already pinned is listed apart: at its
	// own line, marked as not introduced, with no suggestion.
	var pre []string
	for _, f := range all {
		if f.Preexisting {
			pre = append(pre, fmt.Sprintf("%s:%d fix=%v", f.Identity, f.Location.StartLine, f.Fix != nil))
			if !strings.Contains(f.Message, "This change does not touch it") {
				t.Errorf("preexisting message %q does not say so", f.Message)
			}
		}
	}
	if fmt.Sprint(pre) != "[PyPI/flask@1.0.0:1 fix=false]" {
		t.Errorf("preexisting = %v, want flask on line 1 without a fix", pre)
	}
	// A package-lock entry whose "resolved" line alone changed is touched;
	// the finding points at that added line.
	lock := readCorpus(t, "osv-scanner/locks-many-with-insecure/package-lock.json")
	lines := strings.Split(string(lock), "\n")
	ver := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, `"version": "0.0.1"`) })
	fs, err := scoped(context.Background(), s, []*scanners.Input{withAdded("package-lock.json", lock, ver+2)})
	if err != nil {
		t.Fatal(err)
	}
	if fs = introduced(fs); len(fs) != 1 || fs[0].Location.StartLine != ver+2 {
		t.Fatalf("want one finding on added line %d, got %+v", ver+2, fs)
	}
	// Lines outside every entry: nothing introduced; what the file already
	// pins is listed apart, as in any touched file.
	fs, err = scoped(context.Background(), s, []*scanners.Input{withAdded("package-lock.json", lock, 1)})
	if err != nil || len(fs) == 0 || len(introduced(fs)) != 0 {
		t.Fatalf("got %v, %v; want only pre-existing findings", fs, err)
	}
}

// TestOneQueryPerChange: a change touching several manifests and lockfiles
// asks the source once, with each distinct package once.
func TestOneQueryPerChange(t *testing.T) {
	src := testSource(t)
	s := deps.New(src)
	var ins []*scanners.Input
	for _, c := range fileCases {
		ins = append(ins, wholeFile(c.name+"/"+c.path, readCase(t, c)))
	}
	fs, err := scoped(context.Background(), s, ins)
	if err != nil {
		t.Fatal(err)
	}
	if src.queries.Load() != 1 {
		t.Errorf("%d queries, want 1", src.queries.Load())
	}
	if len(fs) < 20 {
		t.Errorf("only %d findings over all files", len(fs))
	}
}

// TestSourceDown: when the source fails, the scan returns an error and no
// finding, never a silent pass.
func TestSourceDown(t *testing.T) {
	src := testSource(t)
	src.err = errors.Join(deps.ErrUnavailable, errors.New("connection refused"))
	s := deps.New(src)
	in := wholeFile("requirements.txt", []byte("flask==1.0.0\n"))
	fs, err := scoped(context.Background(), s, []*scanners.Input{in})
	if err == nil || !errors.Is(err, deps.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if len(fs) != 0 {
		t.Errorf("findings despite the outage: %v", fs)
	}
	if !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("error does not say the scan is incomplete: %v", err)
	}
	// Through scanners.Run the status records the failure.
	res, rerr := scanners.Run(context.Background(), []scanners.Scanner{s}, []*scanners.Input{in})
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !res.Incomplete() {
		t.Error("Run does not mark the scan incomplete")
	}
}

// TestBrokenFile: a file that does not parse is an error naming it; the
// other files of the change are still scanned.
func TestBrokenFile(t *testing.T) {
	s := deps.New(testSource(t))
	good := wholeFile("requirements.txt", []byte("flask==1.0.0\n"))
	for _, bad := range []*scanners.Input{
		wholeFile("package-lock.json", []byte(`{"packages": {`)),
		wholeFile("pom.xml", []byte(`<project><dependencies><dependency>`)),
		wholeFile("Cargo.lock", []byte("[[package]\nname = 1")),
		wholeFile("pnpm-lock.yaml", []byte("packages: [\n")),
		wholeFile("go.mod", []byte("module x\nrequire (\n")),
	} {
		fs, err := scoped(context.Background(), s, []*scanners.Input{bad, good})
		if err == nil || !strings.Contains(err.Error(), bad.Path) {
			t.Errorf("%s: err = %v, want one naming the file", bad.Path, err)
		}
		if len(fs) != 1 || fs[0].Identity != "PyPI/flask@1.0.0" {
			t.Errorf("%s: the good file's finding is lost: %+v", bad.Path, fs)
		}
	}
}

// TestNoContent: without the file's content a lockfile cannot be judged
// (an error, not a pass), while a requirements file is read from its added
// lines.
func TestNoContent(t *testing.T) {
	s := deps.New(testSource(t))
	lock := wholeFile("package-lock.json", readCorpus(t, "osv-scanner/locks-insecure/my-package-lock.json"))
	lock.Content = nil
	if _, err := scoped(context.Background(), s, []*scanners.Input{lock}); err == nil {
		t.Error("lockfile without content: no error")
	}
	req := &scanners.Input{Path: "requirements.txt", Added: []scanners.Line{{Number: 3, Text: "flask==1.0.0"}}}
	fs, err := scoped(context.Background(), s, []*scanners.Input{req})
	if err != nil || len(fs) != 1 || fs[0].Location.StartLine != 3 || fs[0].Fix == nil || fs[0].Fix.Replacement != "flask==2.2.5" {
		t.Fatalf("requirements without content: %+v, %v", fs, err)
	}
}

// TestMessage checks what the comment tells the reader: ids with aliases,
// severity, summary, range, fixed version, link; a lockfile entry names the
// command that upgrades it; no fix is said plainly.
func TestMessage(t *testing.T) {
	s := deps.New(testSource(t))
	lock := readCorpus(t, "osv-scanner/locks-insecure/my-yarn.lock")
	fs, err := scoped(context.Background(), s, []*scanners.Input{wholeFile("yarn.lock", lock)})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", fs, err)
	}
	f := fs[0]
	for _, want := range []string{"GHSA-whgm-jr23-g3j9", "CVE-2021-23424", "high", "CVSS 3.1 7.5", "Uncontrolled Resource Consumption", ">= 0, < 0.0.8", "Fixed in 0.0.8", "https://osv.dev/vulnerability/GHSA-whgm-jr23-g3j9", "yarn up ansi-html@0.0.8"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q:\n%s", want, f.Message)
		}
	}
	if f.Severity != scanners.SeverityHigh || !slices.Contains(f.References, "CVE-2021-23424") {
		t.Errorf("severity %v refs %v", f.Severity, f.References)
	}
	// flask-cors 1.0.0: one advisory (PYSEC-2024-271 upstream) has no fix.
	noFix := deps.Vuln{ID: "TEST-NOFIX", Summary: "Unfixed flaw", Affected: []deps.Affected{{
		Package: deps.AffectedPackage{Ecosystem: "PyPI", Name: "flask-cors"},
		Ranges:  []deps.Range{{Type: "ECOSYSTEM", Events: []deps.Event{{Introduced: "0"}}}},
	}}}
	s2 := deps.New(newMemSource(noFix))
	fs, err = scoped(context.Background(), s2, []*scanners.Input{wholeFile("requirements.txt", []byte("flask-cors==1.0.0\n"))})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", fs, err)
	}
	if fs[0].Fix != nil || !strings.Contains(fs[0].Message, "No fixed version") {
		t.Errorf("unfixable: fix %+v, message:\n%s", fs[0].Fix, fs[0].Message)
	}
}

// TestAliasesMerged: the Go database's record and GitHub's of one flaw are
// one advisory in the comment, graded by the one that has a CVSS score.
func TestAliasesMerged(t *testing.T) {
	s := deps.New(testSource(t))
	fs, err := scoped(context.Background(), s, []*scanners.Input{wholeFile("go.mod", []byte("module x\n\nrequire github.com/gogo/protobuf v1.3.1\n"))})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", fs, err)
	}
	m := fs[0].Message
	if !strings.Contains(m, "is affected by a known vulnerability:") || strings.Count(m, "\n- ") != 1 {
		t.Errorf("GO-2021-0053 and GHSA-c3h9-896r-86jm not merged:\n%s", m)
	}
	if !strings.Contains(m, "GHSA-c3h9-896r-86jm (") || !strings.Contains(m, "GO-2021-0053") || !strings.Contains(m, "CVSS 3.1 8.6") {
		t.Errorf("merged line lacks ids or score:\n%s", m)
	}
	if fs[0].Severity != scanners.SeverityHigh {
		t.Errorf("severity %v, want high (CVSS 8.6)", fs[0].Severity)
	}
	if fs[0].Fix == nil || fs[0].Fix.Replacement != "require github.com/gogo/protobuf v1.3.2" {
		t.Errorf("fix %+v", fs[0].Fix)
	}
}

func TestExplain(t *testing.T) {
	s := deps.New(nil)
	for _, id := range []string{deps.RuleID, "vulnerable-dependency"} {
		d, ok := scanners.Explain([]scanners.Scanner{s}, id)
		if !ok || d.ID != deps.RuleID || d.Description == "" || d.Fix == "" {
			t.Errorf("Explain(%q) = %+v, %v", id, d, ok)
		}
	}
	if _, ok := s.Explain("deps/other"); ok {
		t.Error("explained an unknown rule")
	}
}

// TestSharedPropertyFix: two artifacts versioned by one Maven property get
// one suggestion on the property line, the version both need, and applying
// it clears both.
func TestSharedPropertyFix(t *testing.T) {
	mk := func(id, name, fix string) deps.Vuln {
		return deps.Vuln{ID: id, Summary: "flaw in " + name, Affected: []deps.Affected{{
			Package: deps.AffectedPackage{Ecosystem: "Maven", Name: name},
			Ranges:  []deps.Range{{Type: "ECOSYSTEM", Events: []deps.Event{{Introduced: "0"}, {Fixed: fix}}}},
		}}}
	}
	s := deps.New(newMemSource(mk("TEST-A", "org.example:core", "1.2.0"), mk("TEST-B", "org.example:web", "1.3.0")))
	pom := []byte(`<project>
  <properties>
    <example.version>1.0.0</example.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>core</artifactId>
      <version>${example.version}</version>
    </dependency>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>web</artifactId>
      <version>${example.version}</version>
    </dependency>
  </dependencies>
</project>
`)
	fs, err := scoped(context.Background(), s, []*scanners.Input{withAdded("pom.xml", pom, 3)})
	if err != nil || len(fs) != 2 {
		t.Fatalf("%+v %v", fs, err)
	}
	var fixes []*scanners.Fix
	for _, f := range fs {
		if f.Location.StartLine != 3 {
			t.Errorf("%s at line %d, want the property's line 3", f.Identity, f.Location.StartLine)
		}
		if f.Fix != nil {
			fixes = append(fixes, f.Fix)
		}
	}
	if len(fixes) != 1 || fixes[0].Replacement != "    <example.version>1.3.0</example.version>" {
		t.Fatalf("fixes %+v", fixes)
	}
	again, err := scoped(context.Background(), s, []*scanners.Input{withAdded("pom.xml", applyFix(pom, fixes[0]), 3)})
	if err != nil || len(again) != 0 {
		t.Errorf("after the fix: %+v %v", again, err)
	}
}

// introduced drops the findings a change did not introduce.
func introduced(fs []scanners.Finding) []scanners.Finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f scanners.Finding) bool { return f.Preexisting })
}

// TestRunScopesBatch checks the batch path a review takes (scanners.Run):
// the entry on the added line is introduced with its fix, the vulnerable
// entry the file already pinned comes back pre-existing, without one.
func TestRunScopesBatch(t *testing.T) {
	content := readCorpus(t, "osv-scanner/locks-requirements/requirements.txt") // flask, django, requests
	res, err := scanners.Run(context.Background(), []scanners.Scanner{deps.New(testSource(t))},
		[]*scanners.Input{withAdded("requirements.txt", content, 2)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d pre=%v fix=%v", f.Identity, f.Location.StartLine, f.Preexisting, f.Fix != nil))
	}
	want := "[PyPI/flask@1.0.0:1 pre=true fix=false PyPI/django@1.11.29:2 pre=false fix=true]"
	if fmt.Sprint(got) != want {
		t.Errorf("findings %v, want %v", got, want)
	}
}
