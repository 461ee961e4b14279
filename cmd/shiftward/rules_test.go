package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/scanners"
)

// TestRulesCatalogueIsCurrent: scanners/RULES.md is what the scanners list
// (regenerate with make rules).
func TestRulesCatalogueIsCurrent(t *testing.T) {
	list, err := app.DefaultScanners()
	if err != nil {
		t.Fatal(err)
	}
	want := Catalogue(scanners.Rules(list))
	got, err := os.ReadFile(filepath.Join("..", "..", "scanners", "RULES.md"))
	if err != nil || string(got) != want {
		t.Errorf("scanners/RULES.md is stale (%v): run make rules", err)
	}
}

// TestEveryScannerListsItsRules: each of the scanners a review runs lists
// its rules, and every listed rule is explained by `explain`, on the CLI
// and in /shiftward explain (both use scanners.Explain).
func TestEveryScannerListsItsRules(t *testing.T) {
	list, err := app.DefaultScanners()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		l, ok := s.(scanners.RuleLister)
		if !ok || len(l.Rules()) == 0 {
			t.Errorf("scanner %s lists no rules", s.Name())
		}
	}
	for _, r := range scanners.Rules(list) {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"explain", r.ID}, nil, &stdout, &stderr); code != 0 ||
			!strings.Contains(stdout.String(), r.Title) || !strings.Contains(stdout.String(), r.Why) {
			t.Errorf("explain %s: exit %d, stdout %q, stderr %q", r.ID, code, stdout.String(), stderr.String())
		}
	}
}

func TestRulesCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"rules", "--format", "json"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("rules: exit %d, stderr %q", code, stderr.String())
	}
	var rules []scanners.Rule
	if err := json.Unmarshal(stdout.Bytes(), &rules); err != nil || len(rules) == 0 {
		t.Fatalf("rules --format json: %v, %d rules", err, len(rules))
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"explain", "nope/no-such-rule"}, nil, &stdout, &stderr); code != 2 {
		t.Errorf("explain of an unknown rule: exit %d, want 2", code)
	}
	if code := run(context.Background(), []string{"rules", "--format", "yaml"}, nil, &stdout, &stderr); code != 2 {
		t.Errorf("rules --format yaml: exit %d, want 2", code)
	}
}
