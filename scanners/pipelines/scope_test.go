package pipelines_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
)

const scopeWorkflow = `name: ci
on:
  pull_request_target:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - uses: some/action@v1
`

// partial is the workflow with only the given lines added.
func partial(path, src string, added ...int) *scanners.Input {
	in := &scanners.Input{Path: path, Content: []byte(src)}
	lines := strings.Split(src, "\n")
	for _, n := range added {
		in.Added = append(in.Added, scanners.Line{Number: n, Text: lines[n-1]})
	}
	return in
}

func rulesAt(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d %s", f.Location.StartLine, strings.TrimPrefix(f.RuleID, "pipelines/")))
	}
	return out
}

// TestScopeOfFindings runs the scanner as a review does (scanners.Run,
// which scopes): what the added lines introduce is reported as such, at
// the anchor the change adds, and every other finding of the file comes
// back pre-existing, without a fix.
func TestScopeOfFindings(t *testing.T) {
	for _, tc := range []struct {
		name       string
		added      []int
		introduced string
		pre        string
	}{
		{"nothing relevant added", []int{1}, "", "2 missing-permissions,10 untrusted-checkout,11 script-injection,12 unpinned-action"},
		{"the run line", []int{11}, "11 script-injection", "2 missing-permissions,10 untrusted-checkout,12 unpinned-action"},
		{"the uses line", []int{12}, "12 unpinned-action", "2 missing-permissions,10 untrusted-checkout,11 script-injection"},
		{"the checkout ref", []int{10}, "10 untrusted-checkout", "2 missing-permissions,11 script-injection,12 unpinned-action"},
		// Adding the trigger makes an existing head checkout a pwn request:
		// the finding goes to the trigger line the change added.
		{"the trigger", []int{3}, "3 untrusted-checkout", "2 missing-permissions,11 script-injection,12 unpinned-action"},
		// The on: block is added: the missing permissions are the change's.
		{"the on block", []int{2, 3}, "2 missing-permissions,3 untrusted-checkout", "11 script-injection,12 unpinned-action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := partial(".github/workflows/ci.yml", scopeWorkflow, tc.added...)
			res, err := scanners.Run(context.Background(), []scanners.Scanner{pipelines.New()}, []*scanners.Input{in})
			if err != nil {
				t.Fatal(err)
			}
			var introduced, pre []scanners.Finding
			for _, f := range res.Findings {
				if f.Preexisting {
					pre = append(pre, f)
				} else {
					introduced = append(introduced, f)
				}
				if f.Preexisting && f.Fix != nil {
					t.Errorf("pre-existing %s carries a fix", f.RuleID)
				}
			}
			if got := strings.Join(rulesAt(introduced), ","); got != tc.introduced {
				t.Errorf("introduced %q, want %q", got, tc.introduced)
			}
			if got := strings.Join(rulesAt(pre), ","); got != tc.pre {
				t.Errorf("pre-existing %q, want %q", got, tc.pre)
			}
		})
	}
}

// TestPreexistingFixNotBuilt checks that the scanner builds no fix for a
// finding the change does not introduce (a pin would cost a lookup), and
// still builds the introduced one's.
func TestPreexistingFixNotBuilt(t *testing.T) {
	for _, c := range []struct {
		added   int
		wantFix bool
	}{{11, true}, {12, false}} {
		fs, err := pipelines.New().Scan(context.Background(), partial(".github/workflows/ci.yml", scopeWorkflow, c.added))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleID == "pipelines/script-injection" && (f.Fix != nil) != c.wantFix {
				t.Errorf("line %d added: script injection fix %v, want a fix %v", c.added, f.Fix, c.wantFix)
			}
		}
	}
}

func TestWithoutContent(t *testing.T) {
	s := pipelines.New()
	// A new file: its added lines are the whole file.
	in := wholeInput(".github/workflows/ci.yml", []byte(scopeWorkflow))
	in.Content = nil
	fs, err := s.Scan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Error("no findings from a new file scanned through its added lines")
	}
	// An edited file without content cannot be judged: a clear error, not
	// a silent pass.
	in = partial(".github/workflows/ci.yml", scopeWorkflow, 11)
	in.Content = nil
	if _, err := s.Scan(context.Background(), in); err == nil || !strings.Contains(err.Error(), "content unavailable") {
		t.Errorf("err = %v, want a content-unavailable error", err)
	}
}

func TestInvalidYAMLIsAnError(t *testing.T) {
	for _, src := range []string{"on: [push\njobs: {", "", "- just\n- a list\n", "\t\tbad: indent\n"} {
		in := wholeInput(".gitlab-ci.yml", []byte(src))
		if len(in.Added) == 0 {
			in.Added = []scanners.Line{{Number: 1}}
		}
		if _, err := pipelines.New().Scan(context.Background(), in); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

func TestBatchKeepsFindingsBesideErrors(t *testing.T) {
	good := wholeInput(".github/workflows/a.yml", []byte(scopeWorkflow))
	bad := wholeInput(".github/workflows/b.yml", []byte("on: [push\n"))
	fs, err := pipelines.New().ScanBatch(context.Background(), []*scanners.Input{bad, good})
	if err == nil || !strings.Contains(err.Error(), "b.yml") {
		t.Errorf("err = %v, want one naming b.yml", err)
	}
	if len(fs) == 0 {
		t.Error("the good file's findings were lost")
	}
}

func TestConcurrentScans(t *testing.T) {
	s := pipelines.New()
	fx := fixtures(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range fx {
				r := &fakeResolver{}
				if i%2 == 0 {
					r = nil
				}
				s := s
				if r != nil {
					s = pipelines.New(pipelines.WithResolver(r))
				}
				if _, err := s.Scan(context.Background(), wholeInput(f.scanPath, f.src)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestSecretValuesNeverReported(t *testing.T) {
	const value = "glpat-abcdefghijklmnopqrst"
	src := "variables:\n  DEPLOY_TOKEN: " + value + "\njob:\n  image: alpine:latest\n  script:\n    - echo $DEPLOY_TOKEN\n"
	fs, err := scanWhole(t, ".gitlab-ci.yml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		blob := fmt.Sprintf("%+v %+v", f, f.Fix)
		if strings.Contains(blob, value) {
			t.Errorf("%s carries the secret value", f.RuleID)
		}
	}
}

func TestAliasBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("job:\n  script: *a11\n  image: *a11\n")
	for _, p := range []string{".gitlab-ci.yml", ".github/workflows/x.yml"} {
		if _, err := scanWhole(t, p, []byte(b.String()), nil); err == nil || !strings.Contains(err.Error(), "aliases") {
			t.Errorf("%s: err = %v, want an aliasing error", p, err)
		}
	}
}
