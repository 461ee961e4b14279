package deps_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// snapRow is one advisory group of osv-scanner's expected output: the
// package and version it found in a file and the ids (an id and its
// aliases) it reported.
type snapRow struct {
	file, eco, name, version string
	ids                      []string
}

// readSnapshot parses the tables of osv-scanner's scan-source snapshot.
// Each table row starting with an OSV URL names the advisory; rows whose
// package cells are empty continue the group above (aliases).
func readSnapshot(t *testing.T) []snapRow {
	t.Helper()
	b := readCorpus(t, "osv-scanner/expected/scan-source.command_test.snap")
	var rows []snapRow
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if !strings.HasPrefix(l, "| https://osv.dev/") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) < 7 {
			continue
		}
		id := path.Base(cells[0])
		if cells[2] == "" {
			if len(rows) > 0 {
				rows[len(rows)-1].ids = append(rows[len(rows)-1].ids, id)
			}
			continue
		}
		rows = append(rows, snapRow{file: cells[6], eco: cells[2], name: cells[3], version: cells[4], ids: []string{id}})
	}
	return rows
}

// scanPath is the repository path a corpus file is scanned as: the name
// its package manager gives it (the corpus renames some to keep several in
// one directory).
func scanPath(rel string) string {
	base := path.Base(rel)
	switch {
	case strings.HasSuffix(base, "package-lock.json"):
		return "package-lock.json"
	case strings.HasSuffix(base, "yarn.lock"):
		return "yarn.lock"
	case strings.HasSuffix(base, ".xml") && strings.HasPrefix(rel, "osv-scanner/maven-transitive/"):
		return "pom.xml"
	}
	return base
}

// TestCorpusQuality checks the scanner against osv-scanner's expected scan
// of the corpus manifests and lockfiles, with the corpus's advisories:
//
//   - recall: every (file, package, version, advisory) osv-scanner reports
//     for a package the file itself declares, whose advisory is in the
//     corpus, is found (an advisory matches by id or alias);
//   - precision: every finding's advisory is one osv-scanner reports for
//     that file, package and version (nothing outside the affected ranges),
//     and the files osv-scanner finds clean give no finding.
//
// Packages osv-scanner reports through resolution (a -r include, Maven
// transitive dependencies) are not declared in the file and are out of
// the scanner's scope; they are counted and listed, not scored.
//
// It runs on the full corpus or on the sample in testdata/, which has all
// 21 files in scope and every record their expected output names (see
// testdata/osv/README.md). Measured on both: 21 files, recall 27/27, 12
// findings, none outside the expected ranges. The bars are the same for
// both: every label found, nothing outside the ranges, at least 12 files
// and 12 labels scored.
func TestCorpusQuality(t *testing.T) {
	corpus := scannertest.Data(t).Dir
	inCorpus := map[string]bool{}
	for _, v := range corpusAdvisories(t) {
		inCorpus[v.ID] = true
	}
	s := deps.New(testSource(t))
	rows := readSnapshot(t)

	// The files in scope: those osv-scanner scanned that the corpus has and
	// the scanner reads, plus the ones it found clean.
	files := map[string]bool{}
	for _, r := range rows {
		rel := strings.Replace(r.file, "testdata/", "osv-scanner/", 1)
		if _, err := os.Stat(filepath.Join(corpus, "osv", "lockfiles", rel)); err != nil {
			continue
		}
		if !s.Wants(scanPath(rel)) {
			continue
		}
		files[rel] = true
	}
	clean := []string{"osv-scanner/locks-many/Gemfile.lock", "osv-scanner/locks-many/composer.lock", "osv-scanner/locks-many/package-lock.json", "osv-scanner/locks-many/yarn.lock", "osv-scanner/locks-requirements/the_requirements_for_test.txt"}
	for _, f := range clean {
		files[f] = true
	}
	if len(files) < 12 {
		t.Fatalf("only %d corpus files in scope", len(files))
	}

	type key struct{ file, pkg string }
	expected := map[key][][]string{} // osv-scanner's advisory groups per file and package@version
	for _, r := range rows {
		rel := strings.Replace(r.file, "testdata/", "osv-scanner/", 1)
		if !files[rel] {
			continue
		}
		p := deps.Package{Ecosystem: r.eco, Name: deps.NormalizeName(r.eco, r.name), Version: r.version}
		expected[key{rel, p.String()}] = append(expected[key{rel, p.String()}], r.ids)
	}
	// Snapshot sections that ran with other fixture versions name a version
	// by another spelling of the same one (PEP 440 "1.0" is "1.0.0"): a
	// finding matches an expected key when the versions compare equal.
	sameKey := func(a, b key) bool {
		if a.file != b.file {
			return false
		}
		pa, pb := splitIdentity(a.pkg), splitIdentity(b.pkg)
		if pa.Ecosystem != pb.Ecosystem || pa.Name != pb.Name {
			return false
		}
		c, err := deps.Compare(pa.Ecosystem, pa.Version, pb.Version)
		return err == nil && c == 0
	}
	// osv-scanner's scan of the call-analysis project hides advisories
	// govulncheck finds unreachable; it lists only some of the affected
	// ones, so it scores recall but not precision.
	reachabilityFiltered := map[string]bool{"osv-scanner/call-analysis-go-project/go.mod": true}

	found := map[key][]string{} // references of each finding
	var sorted []string
	for f := range files {
		sorted = append(sorted, f)
	}
	slices.Sort(sorted)
	for _, rel := range sorted {
		content := readCorpus(t, rel)
		fs, err := s.ScanBatch(context.Background(), []*scanners.Input{wholeFile(scanPath(rel), content)})
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for _, f := range fs {
			found[key{rel, f.Identity}] = f.References
		}
	}

	// Recall over the labeled, declared, in-corpus advisories.
	labeled, hit, transitive := 0, 0, 0
	var misses, outOfScope []string
	for k, groups := range expected {
		content := string(readCorpus(t, k.file))
		name := k.pkg[strings.IndexByte(k.pkg, '/')+1 : strings.LastIndexByte(k.pkg, '@')]
		declared := strings.Contains(strings.ToLower(content), strings.ToLower(name)) ||
			strings.Contains(content, name[strings.LastIndexByte(name, ':')+1:]) && strings.Contains(content, name[:max(0, strings.IndexByte(name, ':'))])
		for _, g := range groups {
			if !slices.ContainsFunc(g, func(id string) bool { return inCorpus[id] }) {
				continue
			}
			if !declared {
				transitive++
				outOfScope = append(outOfScope, fmt.Sprintf("%s %s %v", k.file, k.pkg, g))
				continue
			}
			labeled++
			var refs []string
			for fk, r := range found {
				if sameKey(fk, k) {
					refs = append(refs, r...)
				}
			}
			if slices.ContainsFunc(g, func(id string) bool { return slices.Contains(refs, id) }) {
				hit++
			} else {
				misses = append(misses, fmt.Sprintf("%s %s %v", k.file, k.pkg, g))
			}
		}
	}

	// Precision: each finding's advisories are among osv-scanner's for it.
	findings, unexpected := 0, 0
	var extra []string
	for k, refs := range found {
		findings++
		if reachabilityFiltered[k.file] {
			continue
		}
		var groups [][]string
		for ek, g := range expected {
			if sameKey(ek, k) {
				groups = append(groups, g...)
			}
		}
		for _, ref := range refs {
			if !inCorpus[ref] {
				continue // aliases and links
			}
			if !slices.ContainsFunc(groups, func(g []string) bool { return slices.Contains(g, ref) }) {
				unexpected++
				extra = append(extra, fmt.Sprintf("%s %s %s", k.file, k.pkg, ref))
			}
		}
	}
	slices.Sort(misses)
	slices.Sort(extra)
	slices.Sort(outOfScope)
	t.Logf("deps corpus quality: %d files; recall %d/%d labeled vulnerable package/version/advisory found (%.3f); %d findings, %d advisories reported outside osv-scanner's expected ranges (precision scored on all files but the reachability-filtered go.mod); %d labels via resolution (out of scope)",
		len(files), hit, labeled, float64(hit)/float64(max(labeled, 1)), findings, unexpected, transitive)
	for _, o := range outOfScope {
		t.Logf("out of scope (not declared in the file): %s", o)
	}
	for _, m := range misses {
		t.Errorf("missed: %s", m)
	}
	for _, e := range extra {
		t.Errorf("outside the expected ranges: %s", e)
	}
	if labeled < 12 {
		t.Errorf("only %d labels scored; the snapshot or corpus changed", labeled)
	}
	for _, f := range clean {
		for k := range found {
			if k.file == f {
				t.Errorf("%s is clean for osv-scanner, but %s was reported", f, k.pkg)
			}
		}
	}
}

// splitIdentity reads "ecosystem/name@version" back.
func splitIdentity(id string) deps.Package {
	slash := strings.IndexByte(id, '/')
	at := strings.LastIndexByte(id, '@')
	if slash < 0 || at < slash {
		return deps.Package{}
	}
	return deps.Package{Ecosystem: id[:slash], Name: id[slash+1 : at], Version: id[at+1:]}
}

// sampleEvery and samplePackages are the rule that drew the OSV records in
// testdata/ from the full corpus (testdata/osv/README.md): every
// sampleEvery-th record by id, every record whose id or alias osv-scanner's
// expected output names for a copied lockfile, and every record for a
// package these tests (and app/osv's, the end-to-end tests and
// cmd/shiftward's) name or read in a file of their own. None of it depends
// on what shiftward finds.
const sampleEvery = 10

var samplePackages = []deps.Package{
	{Ecosystem: "PyPI", Name: "flask"}, {Ecosystem: "PyPI", Name: "django"}, {Ecosystem: "PyPI", Name: "numpy"},
	{Ecosystem: "PyPI", Name: "requests"}, {Ecosystem: "PyPI", Name: "pandas"},
	{Ecosystem: "npm", Name: "ansi-html"}, {Ecosystem: "npm", Name: "lodash"}, {Ecosystem: "npm", Name: "jquery"},
	{Ecosystem: "npm", Name: "debug"}, {Ecosystem: "npm", Name: "express"}, {Ecosystem: "npm", Name: "@babel/traverse"},
	{Ecosystem: "Go", Name: "github.com/gogo/protobuf"}, {Ecosystem: "Go", Name: "github.com/ipfs/go-bitfield"},
	{Ecosystem: "Go", Name: "golang.org/x/image"},
	{Ecosystem: "Maven", Name: "junit:junit"}, {Ecosystem: "RubyGems", Name: "jquery-rails"},
	{Ecosystem: "Packagist", Name: "components/jquery"}, {Ecosystem: "crates.io", Name: "smallvec"},
}

// TestSampleAsDocumented checks, with the full corpus beside the
// repository, that testdata/osv holds exactly the records the rule above
// draws, and that every copied file is the corpus's byte for byte.
func TestSampleAsDocumented(t *testing.T) {
	corpus := scannertest.Data(t)
	if !corpus.Full {
		t.Skip("compares testdata/ with the full corpus, which is not at ../shared/corpus")
	}
	full, sample := corpus.Dir, scannertest.Fixtures(t)
	type entry struct {
		ID   string `json:"id"`
		File string `json:"file"`
	}
	var fullIdx, sampleIdx struct {
		Records []entry `json:"records"`
	}
	scannertest.ReadJSON(t, filepath.Join(full, "osv", "advisories", "index.json"), &fullIdx)
	scannertest.ReadJSON(t, sample.Path("osv", "advisories", "index.json"), &sampleIdx)

	want := map[string]bool{}
	var ids []string
	for _, r := range fullIdx.Records {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	for i := 0; i < len(ids); i += sampleEvery {
		want[ids[i]] = true
	}
	named := map[string]bool{}
	for _, r := range readSnapshot(t) {
		rel := strings.Replace(r.file, "testdata/", "osv-scanner/", 1)
		if _, err := os.Stat(sample.Path("osv", "lockfiles", rel)); err == nil {
			for _, id := range r.ids {
				named[id] = true
			}
		}
	}
	pkgs := map[string]bool{}
	for _, p := range samplePackages {
		pkgs[pkgKey(p.Ecosystem, p.Name)] = true
	}
	for _, v := range corpusAdvisories(t) {
		if named[v.ID] || slices.ContainsFunc(v.Aliases, func(a string) bool { return named[a] }) {
			want[v.ID] = true
		}
		for _, a := range v.Affected {
			if pkgs[pkgKey(a.Package.Ecosystem, a.Package.Name)] {
				want[v.ID] = true
			}
		}
	}
	var got, wanted []string
	for _, r := range sampleIdx.Records {
		got = append(got, r.ID)
	}
	for id := range want {
		wanted = append(wanted, id)
	}
	slices.Sort(got)
	slices.Sort(wanted)
	if diff := cmp.Diff(wanted, got); diff != "" {
		t.Errorf("testdata/osv/advisories is not the documented sample (-rule +testdata):\n%s", diff)
	}

	// Every copied file, records and lockfiles, is the corpus's own.
	n := 0
	err := filepath.WalkDir(sample.Path("osv"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(sample.Dir, p)
		if rel == filepath.Join("osv", "advisories", "index.json") || rel == filepath.Join("osv", "SOURCES.jsonl") || filepath.Base(rel) == "README.md" {
			return nil // the sample's own
		}
		a, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(full, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the corpus's (%v)", rel, err)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(got)+22 { // the records, 21 files in scope and the snapshot
		t.Errorf("%d files compared, want %d", n, len(got)+22)
	}
	t.Logf("testdata/osv: %d of %d records, %d lockfiles, all identical to the corpus's", len(got), len(ids), n-len(got))
}
