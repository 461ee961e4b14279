package iac_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestEveryFindingListed scans every file the scanner wants in the corpus
// (scannertest.Data: the full corpus beside the repository, else the
// subset in testdata/), the repository's own testdata/ and the rule cases
// and samples, and checks that every rule id it reports
// is one Rules lists, and that every listed rule is reported somewhere.
func TestEveryFindingListed(t *testing.T) {
	s := iac.New(iac.WithoutFixes())
	var all []scanners.Finding
	scan := func(path string, content []byte) {
		if !s.Wants(path) {
			return
		}
		// Errors are expected here (Helm templates, upstream negatives
		// that do not parse, other tools' YAML); only the findings matter.
		// Hostile files are scanned in a child process (bound_test.go).
		fs, _ := s.Scan(context.Background(), scannertest.Added(path, content))
		all = append(all, fs...)
	}
	files := 0
	roots := []string{scannertest.Data(t).Dir, scannertest.Fixtures(t).Dir}
	if roots[0] == roots[1] {
		roots = roots[:1]
	}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if !s.Wants(rel) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			scan(rel, b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range ruleCases(t) {
		scan(c.path, []byte(c.content))
	}
	for _, samples := range []map[string][]scannertest.Sample{ruleSamples, iac.DataCheckSamples()} {
		for _, smps := range samples {
			for _, smp := range smps {
				scan(smp.Path, []byte(smp.Content))
			}
		}
	}
	t.Logf("%d corpus and fixture files, %d findings", files, len(all))
	if files < 100 {
		t.Errorf("only %d corpus files the scanner wants: is the corpus there?", files)
	}
	scannertest.CheckListed(t, s, all)
	seen := map[string]bool{}
	for _, f := range all {
		seen[f.RuleID] = true
	}
	for _, r := range s.Rules() {
		if !seen[r.ID] {
			t.Errorf("%s is listed but never reported", r.ID)
		}
	}
}

// TestExplain answers for every listed rule from Rules and for no other id.
func TestExplain(t *testing.T) {
	s := iac.New()
	for _, r := range s.Rules() {
		d, ok := s.Explain(r.ID)
		if !ok || d.ID != r.ID || d.Title != r.Title || d.Description != r.Why || d.Fix != r.Fix || d.Severity != r.Severity {
			t.Errorf("Explain(%q) = %+v, %v; want the rule %+v", r.ID, d, ok, r)
		}
		if r.Fix == "" || len(r.References) == 0 || len(r.FileTypes) != 1 {
			t.Errorf("%s: no fix text, references or file type", r.ID)
		}
		if d, ok := scanners.Explain([]scanners.Scanner{s}, r.ID); !ok || d.ID != r.ID {
			t.Errorf("scanners.Explain(%q) = %+v, %v", r.ID, d, ok)
		}
	}
	for _, id := range []string{"", "iac/", "iac/no-such-rule", "k8s-privileged", "code/py-sqli"} {
		if d, ok := s.Explain(id); ok {
			t.Errorf("Explain(%q) = %+v, want no rule", id, d)
		}
	}
}
