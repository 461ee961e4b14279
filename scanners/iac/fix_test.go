package iac_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// proveFixes applies every fix of every finding in content, one at a time,
// as a platform applies a suggestion, then scans the result again: it must
// still parse and the finding must be gone. It returns how many fixes it
// proved.
func proveFixes(t *testing.T, s *iac.Scanner, path string, content []byte) int {
	t.Helper()
	fs, err := s.Scan(context.Background(), wholeFile(path, content))
	if err != nil && !isNote(err) {
		t.Errorf("%s: %v", path, err)
		return 0
	}
	n := 0
	for _, f := range fs {
		if f.Fix == nil {
			continue
		}
		fixed, err := iac.ApplyFix(content, f.Fix)
		if err != nil {
			t.Errorf("%s: %s: %v", path, f.RuleID, err)
			continue
		}
		again, err := rescanner.Scan(context.Background(), wholeFile(path, fixed))
		if err != nil && !isNote(err) {
			t.Errorf("%s: %s fix (lines %d-%d) leaves a file that does not parse: %v\n%s",
				path, f.RuleID, f.Fix.StartLine, f.Fix.EndLine, err, f.Fix.Replacement)
			continue
		}
		// Repeats of one identity in a file are numbered ("... #2"):
		// the fix must leave one fewer of them.
		if count(again, f) >= count(fs, f) {
			t.Errorf("%s: %s fix (lines %d-%d) does not remove the finding:\n%s", path, f.RuleID, f.Fix.StartLine, f.Fix.EndLine, f.Fix.Replacement)
		}
		if f.Fix.Description == "" {
			t.Errorf("%s: %s fix has no description", path, f.RuleID)
		}
		n++
	}
	return n
}

// TestFixesOnRuleCases proves the fixes of the hand-written cases.
func TestFixesOnRuleCases(t *testing.T) {
	s := iac.New()
	n := 0
	for _, c := range ruleCases(t) {
		n += proveFixes(t, s, c.path, []byte(c.content))
	}
	t.Logf("%d fixes applied, re-parsed and re-scanned", n)
	if n < 30 {
		t.Errorf("only %d fixes proved; the cases should exercise at least 30", n)
	}
}

// TestFixesOnCorpus proves every fix offered on every Dockerfile,
// Kubernetes manifest and Terraform file of the IaC corpus (the full one,
// or the subset in testdata/).
func TestFixesOnCorpus(t *testing.T) {
	corpus := scannertest.Data(t).Dir
	s := iac.New()
	n, files := 0, 0
	perType := map[string]int{}
	for _, dir := range []string{"kics/dockerfile", "kics/k8s", "kics/terraform", "trivy-checks/docker", "trivy-checks/kubernetes", "trivy-checks/terraform", "kube-linter"} {
		root := filepath.Join(corpus, "iac", dir)
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !s.Wants(p) || strings.HasSuffix(p, ".json") {
				return err
			}
			content, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			k := proveFixes(t, s, p, content)
			n += k
			perType[fileType(p)] += k
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d fixes on %d corpus files applied, re-parsed and re-scanned: %v", n, files, perType)
	for _, typ := range []string{"dockerfile", "kubernetes", "terraform"} {
		if perType[typ] == 0 {
			t.Errorf("no %s fix was exercised", typ)
		}
	}
}

// TestFixKeepsIndentation checks the exact text of the k8s insertions.
func TestFixKeepsIndentation(t *testing.T) {
	s := iac.New()
	src := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n"
	fs, err := s.Scan(context.Background(), wholeFile("web.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	hardening := "        - name: app\n          securityContext:\n            allowPrivilegeEscalation: false\n            runAsNonRoot: true\n" +
		"            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [\"ALL\"]"
	// The container's missing settings share one suggestion.
	want := map[string]string{
		"iac/k8s-privilege-escalation":     hardening,
		"iac/k8s-run-as-root":              hardening,
		"iac/k8s-writable-root-fs":         hardening,
		"iac/k8s-capabilities-not-dropped": hardening,
		"iac/k8s-sa-token-automount":       "    spec:\n      automountServiceAccountToken: false",
	}
	for _, f := range fs {
		w, ok := want[f.RuleID]
		if !ok {
			continue
		}
		delete(want, f.RuleID)
		if f.Fix == nil {
			t.Errorf("%s: no fix", f.RuleID)
			continue
		}
		if f.Fix.Replacement != w {
			t.Errorf("%s: replacement\n%s\nwant\n%s", f.RuleID, f.Fix.Replacement, w)
		}
	}
	for r := range want {
		t.Errorf("%s: no finding", r)
	}

	// Inside an existing securityContext, at its own indentation.
	src = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n        runAsUser: 1000\n"
	fs, err = s.Scan(context.Background(), wholeFile("p.yaml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	inside := "    securityContext:\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities:\n          drop: [\"ALL\"]"
	n := 0
	for _, f := range fs {
		switch f.RuleID {
		case "iac/k8s-privilege-escalation", "iac/k8s-writable-root-fs", "iac/k8s-capabilities-not-dropped":
			n++
			if f.Fix == nil || f.Fix.StartLine != 9 || f.Fix.Replacement != inside {
				t.Errorf("%s: fix %+v, want line 9:\n%s", f.RuleID, f.Fix, inside)
			}
		case "iac/k8s-run-as-root":
			t.Errorf("runAsUser 1000 reported as root")
		}
	}
	if n != 3 {
		t.Errorf("%d of 3 findings inside the securityContext", n)
	}
}

// TestUserFixPlacement checks where the USER line goes.
func TestUserFixPlacement(t *testing.T) {
	s := iac.New()
	for _, c := range []struct {
		src        string
		start      int
		replacment string
	}{
		{"FROM alpine:3.20\nRUN apk add --no-cache tini=0.19.0-r3\nENTRYPOINT [\"tini\"]\nCMD [\"app\"]\n", 3, "USER 10001\nENTRYPOINT [\"tini\"]"},
		{"FROM alpine:3.20\nCMD [\"app\"]\nRUN echo late\n", 3, "RUN echo late\nUSER 10001"},
	} {
		fs, err := s.Scan(context.Background(), wholeFile("Dockerfile", []byte(c.src)))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			if f.RuleID != "iac/dockerfile-root-user" {
				continue
			}
			found = true
			if f.Fix == nil || f.Fix.StartLine != c.start || f.Fix.Replacement != c.replacment {
				t.Errorf("%q: fix %+v, want line %d %q", c.src, f.Fix, c.start, c.replacment)
			}
		}
		if !found {
			t.Errorf("%q: no root-user finding", c.src)
		}
	}
}

// rescanner re-scans fixed files; their own fixes are not needed.
var rescanner = iac.New(iac.WithoutFixes())

var repeat = regexp.MustCompile(` #\d+$`)

// count counts the findings of f's rule and identity, repeats included.
func count(fs []scanners.Finding, f scanners.Finding) int {
	base := repeat.ReplaceAllString(f.Identity, "")
	n := 0
	for _, g := range fs {
		if g.RuleID == f.RuleID && repeat.ReplaceAllString(g.Identity, "") == base {
			n++
		}
	}
	return n
}
