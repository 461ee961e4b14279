package code

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// appsDir holds, per deliberately vulnerable application, the
// vulnerabilities its authors documented (testdata/code-apps/README.md).
// The applications themselves are not vendored: SHIFTWARD_APPS_DIR names a
// directory with one git directory or checkout per application.
const appsDir = "../../testdata/code-apps"

// realApp is one application: the repository its expectations were read
// from, the commit they were read at, and the folders scanned (all when
// empty).
type realApp struct {
	name, repo, commit string
	under              []string
}

var realApps = []realApp{
	{name: "govwa", repo: "0c34/govwa", commit: "4058f79f31eeb4a36d8f1e64bba1f0c899646e6f"},
	{name: "dvpwa", repo: "anxolerd/dvpwa", commit: "a1d8f89fac2e57093189853c6527c2b01fc1d9c1"},
	{name: "dvna", repo: "appsecco/dvna", commit: "9ba473add536f66ac9007966acb2a775dd31277a"},
	{name: "vulnado", repo: "ScaleSec/vulnado", commit: "53336e14a40a0b25acdb8edd8b65a813e5f61bda"},
	{name: "juice-shop", repo: "juice-shop/juice-shop", commit: "33518f5a0911e25d9df747b1e70fb7af279a755c",
		under: []string{"routes/", "lib/"}},
}

// appExpectation is one documented vulnerability: its sink spans
// Line..End of Path, and Class is the family of ours it belongs to.
type appExpectation struct {
	Path   string `json:"path"`
	Line   int    `json:"line"`
	End    int    `json:"end"`
	Class  string `json:"class"`
	Issue  string `json:"issue"`
	Source string `json:"source"`
}

func loadAppExpectations(t *testing.T, app string) []appExpectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(appsDir, app, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []appExpectation
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var e appExpectation
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", app, err)
		}
		if e.Path == "" || e.Line < 1 || e.Class == "" || e.Source == "" {
			t.Fatalf("%s: incomplete expectation %+v", app, e)
		}
		e.End = max(e.End, e.Line)
		out = append(out, e)
	}
	return out
}

// locateApp finds the application's git directory or checkout under root:
// root/<name>, root/<owner>+<repo>/repo (the fetch tool's layout) or
// root/<owner>+<repo>.
func locateApp(root string, a realApp) string {
	flat := strings.ReplaceAll(a.repo, "/", "+")
	for _, c := range []string{filepath.Join(root, a.name), filepath.Join(root, flat, "repo"), filepath.Join(root, flat)} {
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
	}
	return ""
}

// materialize returns a directory holding the application's files at its
// commit (at HEAD when the mirror lacks that commit, with a note), or the
// directory itself when it is not a git repository.
func materialize(t *testing.T, dir string, a realApp) string {
	t.Helper()
	gitDir := ""
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		gitDir = filepath.Join(dir, ".git")
	} else if _, err := os.Stat(filepath.Join(dir, "objects")); err == nil {
		gitDir = dir
	}
	if gitDir == "" {
		t.Logf("%s: %s is not a git repository; scanning its files as they are", a.name, dir)
		return dir
	}
	git := func(args ...string) ([]byte, error) {
		return exec.Command("git", append([]string{"--git-dir=" + gitDir}, args...)...).Output()
	}
	rev := a.commit
	if _, err := git("cat-file", "-e", rev+"^{commit}"); err != nil {
		head, herr := git("rev-parse", "HEAD")
		if herr != nil {
			t.Fatalf("%s: no commit %s and no HEAD: %v", a.name, rev, herr)
		}
		rev = strings.TrimSpace(string(head))
		t.Logf("%s: the mirror lacks %s; scanning HEAD %s (lines may differ)", a.name, a.commit, rev)
	}
	out := t.TempDir()
	args := append([]string{"archive", "--format=tar", rev}, a.under...)
	archive := exec.Command("git", append([]string{"--git-dir=" + gitDir}, args...)...)
	untar := exec.Command("tar", "-x", "-C", out)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	untar.Stdin = pipe
	if err := untar.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("%s: git archive: %v", a.name, err)
	}
	if err := untar.Wait(); err != nil {
		t.Fatalf("%s: tar: %v", a.name, err)
	}
	return out
}

// scanApp scans every file the scanner wants under dir (within the app's
// folders), keyed by slash path relative to dir.
func scanApp(t *testing.T, s *Scanner, dir string, a realApp) map[string][]scanners.Finding {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !s.Wants(rel) || !appScans(a, rel) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, skip := scanners.Generated(rel, src); skip {
			// What a review passes over (a vendored or minified
			// jquery-3.2.1-min.js), as the pipeline does.
			return nil
		}
		files[rel] = src
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each file is scanned as a wholly added file of one change holding
	// them all, as `shiftward scan --base empty` would: taint that crosses
	// files (crossfile.go) counts.
	ctx := withTree(context.Background(), scanners.NewMemTree(files))
	byPath := map[string][]scanners.Finding{}
	for rel, src := range files {
		got, _, err := s.scan(ctx, rel, src)
		if err != nil {
			t.Logf("%s: %s: %v", a.name, rel, err)
		}
		byPath[rel] = got
	}
	return byPath
}

func appScans(a realApp, rel string) bool {
	if len(a.under) == 0 {
		return true
	}
	for _, u := range a.under {
		if strings.HasPrefix(rel, u) {
			return true
		}
	}
	return false
}

// appResult counts one application's documented vulnerabilities found (a
// finding of the same family whose lines reach the sink's lines, give or
// take 2) and missed, and its other findings.
type appResult struct {
	expected, found int
	missed          []appExpectation
	byClass         map[string][2]int // class -> documented, found
	findings, other int
	otherByFamily   map[string]int
}

// reachingSink reads the sink a finding of taint across files names.
var reachingSink = regexp.MustCompile(`reaching ([^\s:]+):(\d+)\)$`)

func evaluateApp(exps []appExpectation, byPath map[string][]scanners.Finding, family map[string]string) appResult {
	r := appResult{expected: len(exps), byClass: map[string][2]int{}, otherByFamily: map[string]int{}}
	explained := map[*scanners.Finding]bool{}
	// A finding of taint across files is reported at the call that hands
	// the input over and names the sink it reaches ("reaching
	// LinkLister.java:16"): it counts at that sink too.
	reaching := map[string][]*scanners.Finding{}
	for _, fs := range byPath {
		for i := range fs {
			if m := reachingSink.FindStringSubmatch(fs[i].Message); m != nil {
				reaching[m[1]] = append(reaching[m[1]], &fs[i])
			}
		}
	}
	for _, e := range exps {
		hit := false
		fs := byPath[e.Path]
		for i := range fs {
			l := fs[i].Location
			if family[fs[i].RuleID] == e.Class && l.StartLine <= e.End+2 && max(l.EndLine, l.StartLine) >= e.Line-2 {
				hit = true
				explained[&fs[i]] = true
			}
		}
		for _, f := range reaching[e.Path] {
			m := reachingSink.FindStringSubmatch(f.Message)
			if line, _ := strconv.Atoi(m[2]); family[f.RuleID] == e.Class && line <= e.End+2 && line >= e.Line-2 {
				hit = true
				explained[f] = true
			}
		}
		c := r.byClass[e.Class]
		c[0]++
		if hit {
			r.found++
			c[1]++
		} else {
			r.missed = append(r.missed, e)
		}
		r.byClass[e.Class] = c
	}
	for _, fs := range byPath {
		r.findings += len(fs)
		for i := range fs {
			if !explained[&fs[i]] {
				r.other++
				r.otherByFamily[family[fs[i].RuleID]]++
			}
		}
	}
	return r
}

func countsLine(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// TestRealApps scans deliberately vulnerable applications (not vendored:
// SHIFTWARD_APPS_DIR) and logs how many of the vulnerabilities their
// authors document this scanner finds. It has no floor: the figures are
// recorded in testdata/code-apps/README.md.
func TestRealApps(t *testing.T) {
	root := os.Getenv("SHIFTWARD_APPS_DIR")
	if root == "" {
		t.Skip("real apps are not vendored; see testdata/code-apps/README.md")
	}
	s := newTestScanner(t)
	family := ruleFamilies(s)
	for _, a := range realApps {
		t.Run(a.name, func(t *testing.T) {
			exps := loadAppExpectations(t, a.name)
			dir := locateApp(root, a)
			if dir == "" {
				t.Skipf("%s (%s) is not under %s", a.name, a.repo, root)
			}
			files := materialize(t, dir, a)
			byPath := scanApp(t, s, files, a)
			r := evaluateApp(exps, byPath, family)
			t.Logf("%s: %d files scanned, %d documented, found %d, missed %d; %d findings, %d not documented",
				a.name, len(byPath), r.expected, r.found, len(r.missed), r.findings, r.other)
			classes := make([]string, 0, len(r.byClass))
			for c := range r.byClass {
				classes = append(classes, c)
			}
			sort.Strings(classes)
			for _, c := range classes {
				t.Logf("class %-20s documented %d found %d", c, r.byClass[c][0], r.byClass[c][1])
			}
			for _, m := range r.missed {
				t.Logf("missed: %s:%d %s (%s)", m.Path, m.Line, m.Class, m.Issue)
			}
			if r.other > 0 {
				t.Logf("not documented, by family: %s", countsLine(r.otherByFamily))
			}
			if testing.Verbose() && os.Getenv("CODE_MISSES") != "" {
				paths := make([]string, 0, len(byPath))
				for p := range byPath {
					paths = append(paths, p)
				}
				sort.Strings(paths)
				for _, p := range paths {
					for _, f := range byPath[p] {
						t.Logf("finding: %s:%d-%d %s", p, f.Location.StartLine, f.Location.EndLine, f.RuleID)
					}
				}
			}
		})
	}
}
