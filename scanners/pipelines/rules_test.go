package pipelines_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
)

// fakeResolver answers every tag with a commit derived from it and records
// what it was asked.
type fakeResolver struct {
	mu    sync.Mutex
	calls []string
	err   error
	sha   string // when set, returned instead of the derived commit
}

func (r *fakeResolver) ResolveAction(_ context.Context, owner, repo, ref string) (string, error) {
	r.mu.Lock()
	r.calls = append(r.calls, owner+"/"+repo+"@"+ref)
	r.mu.Unlock()
	if r.err != nil {
		return "", r.err
	}
	if r.sha != "" {
		return r.sha, nil
	}
	h := sha1.Sum([]byte(owner + "/" + repo + "@" + ref))
	return hex.EncodeToString(h[:]), nil
}

var wantMarker = regexp.MustCompile(`(?:#|//) want: ([a-z0-9, -]+)$`)

// fixture is a testdata file with the findings its "# want:" markers
// expect, as "line rule" strings.
type fixture struct {
	file, scanPath string
	src            []byte
	want           []string
}

func fixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(p, ".yml") && !strings.HasSuffix(p, ".yaml")) {
			return err
		}
		if strings.Contains(p, "testdata/fuzz") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := fixture{file: p, src: src}
		switch {
		case strings.HasPrefix(p, "testdata/github/action"):
			f.scanPath = "actions/greet/action.yml"
		case strings.HasPrefix(p, "testdata/github/"):
			f.scanPath = ".github/workflows/" + filepath.Base(p)
		default:
			f.scanPath = "ci/" + filepath.Base(p)
		}
		for i, l := range strings.Split(string(src), "\n") {
			if m := wantMarker.FindStringSubmatch(strings.TrimRight(l, " ")); m != nil {
				for _, r := range strings.Split(m[1], ",") {
					f.want = append(f.want, fmt.Sprintf("%d %s", i+1, "pipelines/"+strings.TrimSpace(r)))
				}
			}
		}
		sort.Strings(f.want)
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

// TestFixtures checks each fixture reports exactly the findings its
// markers name: every marked line is a positive case, every other line a
// negative one.
func TestFixtures(t *testing.T) {
	positives := map[string]int{}
	for _, f := range fixtures(t) {
		t.Run(f.file, func(t *testing.T) {
			fs, err := scanWhole(t, f.scanPath, f.src, &fakeResolver{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range fs {
				got = append(got, fmt.Sprintf("%d %s", x.Location.StartLine, x.RuleID))
				checkFinding(t, x)
			}
			sort.Strings(got)
			if diff := cmp.Diff(f.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
				for _, x := range fs {
					t.Logf("%d:%d %s %s", x.Location.StartLine, x.Location.StartColumn, x.RuleID, x.Message)
				}
			}
		})
		for _, w := range f.want {
			positives[strings.Fields(w)[1]]++
		}
	}
	for _, r := range pipelines.New().Rules() {
		id := r.ID
		if positives[id] == 0 {
			t.Errorf("rule %s has no positive fixture", id)
		}
		t.Logf("%-45s %d positive lines in the fixtures; every other fixture line is a negative", id, positives[id])
	}
}

// checkFinding asserts what every finding must carry.
func checkFinding(t *testing.T, f scanners.Finding) {
	t.Helper()
	if f.Scanner != pipelines.Name || !strings.HasPrefix(f.RuleID, "pipelines/") || f.Title == "" || f.Message == "" ||
		f.Severity == scanners.SeverityUnknown || f.Identity == "" || f.Location.StartLine < 1 ||
		f.Location.EndLine < f.Location.StartLine {
		t.Errorf("incomplete finding: %+v", f)
	}
	cwe := false
	for _, r := range f.References {
		if strings.HasPrefix(r, "CWE-") {
			cwe = true
		}
	}
	if !cwe {
		t.Errorf("%s: no CWE reference", f.RuleID)
	}
}

func TestRulesAreUniqueAndPrefixed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range pipelines.New().Rules() {
		id := r.ID
		if seen[id] || !strings.HasPrefix(id, "pipelines/") {
			t.Errorf("bad or duplicate rule id %q", id)
		}
		seen[id] = true
	}
}

func TestWants(t *testing.T) {
	s := pipelines.New()
	for p, want := range map[string]bool{
		".github/workflows/ci.yml":       true,
		".github/workflows/release.yaml": true,
		"sub/.github/workflows/ci.yml":   true,
		".github/workflows/README.md":    false,
		".github/dependabot.yml":         false,
		"action.yml":                     true,
		"actions/setup/action.yaml":      true,
		".gitlab-ci.yml":                 true,
		"ci/deploy.gitlab-ci.yml":        true,
		".gitlab/ci/build.yml":           true,
		".gitlab/issue_templates/bug.md": false,
		"deploy/k8s/deployment.yaml":     false,
		"docker-compose.yml":             false,
		".github/workflows/nested/x.yml": false,
	} {
		if got := s.Wants(p); got != want {
			t.Errorf("Wants(%q) = %v, want %v", p, got, want)
		}
		if got := s.NeedsContent(p); got != want {
			t.Errorf("NeedsContent(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestResolverErrorGivesNoPinFix(t *testing.T) {
	src := []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some/action@v1\n")
	for name, r := range map[string]*fakeResolver{
		"error":   {err: errors.New("rate limited")},
		"not sha": {sha: "v1"},
	} {
		fs, err := scanWhole(t, ".github/workflows/a.yml", src, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].RuleID != "pipelines/unpinned-action" {
			t.Fatalf("%s: got %+v", name, fs)
		}
		if fs[0].Fix != nil {
			t.Errorf("%s: fix without a resolved commit: %+v", name, fs[0].Fix)
		}
		if !strings.Contains(fs[0].Message, "Pin it to the full commit SHA") {
			t.Errorf("%s: message does not say how to pin: %s", name, fs[0].Message)
		}
	}
	// No resolver at all.
	fs, err := scanWhole(t, ".github/workflows/a.yml", src, nil)
	if err != nil || len(fs) != 1 || fs[0].Fix != nil {
		t.Fatalf("without resolver: %+v, %v", fs, err)
	}
}

func TestPinFixKeepsTagAsComment(t *testing.T) {
	src := []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: some/action@v1.2.3\n      - uses: 'other/action@main' # tracks main\n")
	r := &fakeResolver{sha: strings.Repeat("ab", 20)}
	fs, err := scanWhole(t, ".github/workflows/a.yml", src, r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Fix == nil {
			t.Fatalf("no fix for %s at %d", f.RuleID, f.Location.StartLine)
		}
		got = append(got, f.Fix.Replacement)
	}
	want := []string{
		"      - uses: some/action@" + strings.Repeat("ab", 20) + " # v1.2.3",
		"      - uses: 'other/action@" + strings.Repeat("ab", 20) + "' # main tracks main",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fix (-want +got):\n%s", diff)
	}
}

func TestBatchResolvesEachRefOnce(t *testing.T) {
	src := []byte("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some/action@v1\n")
	var ins []*scanners.Input
	for i := range 5 {
		ins = append(ins, wholeInput(fmt.Sprintf(".github/workflows/w%d.yml", i), src))
	}
	r := &fakeResolver{}
	fs, err := pipelines.New(pipelines.WithResolver(r)).ScanBatch(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 5 {
		t.Fatalf("got %d findings, want 5", len(fs))
	}
	for _, f := range fs {
		if f.Fix == nil {
			t.Errorf("%s: no fix", f.Location.Path)
		}
	}
	if len(r.calls) != 1 {
		t.Errorf("resolver called %d times (%v), want once per change", len(r.calls), r.calls)
	}
}
