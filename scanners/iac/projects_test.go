package iac_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// projectsDir holds deliberately insecure projects copied with the issues
// their authors documented (testdata/iac-projects/README.md).
const projectsDir = "../../testdata/iac-projects"

// projectFloor is today's figure per project: a change that finds fewer
// documented issues, or anchors fewer, is a regression.
var projectFloor = map[string]struct{ found, anchored int }{
	"terragoat":       {found: 30, anchored: 17},
	"kubernetes-goat": {found: 133, anchored: 27},
}

// checkovMap maps the Checkov checks the projects document to the rules
// whose meaning covers them. A check no rule covers is absent, so its
// issues count as missed.
var checkovMap = map[string][]string{
	// Terraform: encryption at rest
	"CKV_AWS_3": {"tf-unencrypted-storage"}, "CKV_AWS_8": {"tf-unencrypted-storage"},
	"CKV2_AWS_2": {"tf-unencrypted-storage"}, "CKV_AWS_16": {"tf-unencrypted-storage"},
	"CKV_AWS_96": {"tf-unencrypted-storage"}, "CKV_AWS_44": {"tf-unencrypted-storage"},
	"CKV_AWS_5": {"tf-unencrypted-storage"}, "CKV_AWS_19": {"tf-unencrypted-storage"},
	"CKV_AZURE_2": {"tf-unencrypted-storage"}, "CKV_AZURE_151": {"tf-unencrypted-storage"},
	// Terraform: public databases and storage
	"CKV_AWS_17": {"tf-public-database"}, "CKV_ALI_9": {"tf-public-database"},
	"CKV_GCP_11": {"tf-public-database"}, "CKV_GCP_60": {"tf-public-database"},
	"CKV_AZURE_113": {"tf-public-database"}, "CKV_AZURE_53": {"tf-public-database"},
	"CKV_AZURE_68": {"tf-public-database"},
	"CKV2_AWS_6":   {"tf-s3-public-access-block"},
	"CKV_ALI_1":    {"tf-public-storage"}, "CKV_OCI_10": {"tf-public-storage"},
	"CKV_GCP_28": {"tf-public-storage"}, "CKV_GCP_15": {"tf-public-storage"},
	"CKV_AZURE_35": {"tf-public-storage"},
	// Terraform: network, IAM, credentials, logging, versioning
	"CKV_AWS_24": {"tf-open-admin-port"}, "CKV_AZURE_10": {"tf-open-admin-port"},
	"CKV_AZURE_9": {"tf-open-admin-port"}, "CKV_GCP_2": {"tf-open-admin-port"},
	"CKV_GCP_3":   {"tf-open-admin-port"},
	"CKV_AWS_109": {"tf-iam-wildcard"}, "CKV_AWS_111": {"tf-iam-wildcard"},
	"CKV_AWS_41": {"tf-provider-credentials"}, "CKV_SECRET_2": {"tf-provider-credentials"},
	"CKV_AWS_18": {"tf-logging-disabled"}, "CKV_AWS_92": {"tf-logging-disabled"},
	"CKV_AWS_84": {"tf-logging-disabled"}, "CKV_AWS_37": {"tf-logging-disabled"},
	"CKV_GCP_62": {"tf-logging-disabled"}, "CKV_ALI_12": {"tf-logging-disabled"},
	"CKV_AWS_21": {"tf-versioning-disabled"}, "CKV_GCP_78": {"tf-versioning-disabled"},
	"CKV_ALI_10": {"tf-versioning-disabled"}, "CKV_OCI_8": {"tf-versioning-disabled"},
	// Kubernetes
	"CKV_K8S_16": {"k8s-privileged"}, "CKV_K8S_17": {"k8s-host-namespace"},
	"CKV_K8S_18": {"k8s-host-namespace"}, "CKV_K8S_19": {"k8s-host-namespace"},
	"CKV_K8S_20": {"k8s-privilege-escalation"}, "CKV_K8S_22": {"k8s-writable-root-fs"},
	"CKV_K8S_23": {"k8s-run-as-root"}, "CKV_K8S_25": {"k8s-capabilities-added"},
	"CKV_K8S_37": {"k8s-capabilities-not-dropped"}, "CKV_K8S_28": {"k8s-capabilities-not-dropped"},
	"CKV_K8S_27": {"k8s-host-path"}, "CKV_K8S_11": {"k8s-missing-limits"},
	"CKV_K8S_13": {"k8s-missing-limits"}, "CKV_K8S_14": {"k8s-latest-tag"},
	"CKV_K8S_38": {"k8s-sa-token-automount"}, "CKV_K8S_49": {"k8s-rbac-wildcard"},
	// Dockerfile
	"CKV_DOCKER_3": {"dockerfile-root-user"}, "CKV_DOCKER_7": {"dockerfile-latest-tag"},
}

// expectation is one documented issue: the resource it is about spans
// Line..End (a whole file for a Dockerfile check without an instruction).
type expectation struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	End      int    `json:"end"`
	Resource string `json:"resource"`
	Issue    string `json:"issue"`
	Source   string `json:"source"`
}

// check is the Checkov id the issue starts with ("CKV_AWS_19").
func (e expectation) check() string {
	id, _, _ := strings.Cut(e.Issue, ":")
	return id
}

func (e expectation) end() int { return max(e.End, e.Line) }

// projectResult counts one project's expectations against its findings.
type projectResult struct {
	expected, found, anchored int
	// anyFinding counts the issues whose resource holds a finding of any
	// rule: the measure a tool without Checkov's meanings is compared by.
	anyFinding int
	missed     []expectation
	unexpected []scanners.Finding
	findings   int
}

func loadExpectations(t *testing.T, dir string) []expectation {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e expectation
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if e.Path == "" || e.Line < 1 || e.Issue == "" || e.Source == "" {
			t.Fatalf("%s: incomplete expectation %+v", dir, e)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// scanProject scans every file the scanner wants under dir as wholly
// added, with the project as the change's tree (a Terraform file is
// evaluated in its module).
func scanProject(t *testing.T, dir string) map[string][]scanners.Finding {
	t.Helper()
	s := iac.New()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		content, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = content
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tree := scanners.NewMemTree(files)
	byPath := map[string][]scanners.Finding{}
	for rel, content := range files {
		if !s.Wants(rel) {
			continue
		}
		in := wholeFile(rel, content)
		in.Tree = tree
		fs, err := s.Scan(context.Background(), in)
		if err != nil && !isNote(err) {
			t.Errorf("%s: %v", rel, err)
		}
		byPath[rel] = fs
	}
	return byPath
}

// coversIssue reports whether f is a finding of a rule the expectation's check
// maps to and lies within the expectation's resource.
func coversIssue(f scanners.Finding, e expectation) bool {
	if f.Location.Path != e.Path || f.Location.StartLine > e.end() || max(f.Location.EndLine, f.Location.StartLine) < e.Line {
		return false
	}
	for _, r := range checkovMap[e.check()] {
		if f.RuleID == "iac/"+r {
			return true
		}
	}
	return false
}

func anchoredAt(f scanners.Finding, e expectation) bool {
	d := f.Location.StartLine - e.Line
	return coversIssue(f, e) && d >= -2 && d <= 2
}

func evaluateProject(exps []expectation, byPath map[string][]scanners.Finding) projectResult {
	r := projectResult{expected: len(exps)}
	explained := map[*scanners.Finding]bool{}
	for _, e := range exps {
		hit, anch, near := false, false, false
		fs := byPath[e.Path]
		for i := range fs {
			l := fs[i].Location
			near = near || l.StartLine <= e.end() && max(l.EndLine, l.StartLine) >= e.Line
			if coversIssue(fs[i], e) {
				hit = true
				explained[&fs[i]] = true
				anch = anch || anchoredAt(fs[i], e)
			}
		}
		if hit {
			r.found++
		} else {
			r.missed = append(r.missed, e)
		}
		if anch {
			r.anchored++
		}
		if near {
			r.anyFinding++
		}
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fs := byPath[p]
		r.findings += len(fs)
		for i := range fs {
			if !explained[&fs[i]] {
				r.unexpected = append(r.unexpected, fs[i])
			}
		}
	}
	return r
}

// missedByCheck counts missed expectations per Checkov check, most first.
func missedByCheck(missed []expectation) []string {
	n := map[string]int{}
	name := map[string]string{}
	for _, e := range missed {
		n[e.check()]++
		name[e.check()] = e.Issue
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if n[keys[i]] != n[keys[j]] {
			return n[keys[i]] > n[keys[j]]
		}
		return keys[i] < keys[j]
	})
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%3d %s", n[k], name[k]))
	}
	return out
}

// TestRealProjects scans the insecure projects' files as new and compares
// the findings with the issues the projects document.
func TestRealProjects(t *testing.T) {
	for project, floor := range projectFloor {
		t.Run(project, func(t *testing.T) {
			dir := filepath.Join(projectsDir, project)
			exps := loadExpectations(t, dir)
			r := evaluateProject(exps, scanProject(t, dir))
			t.Logf("%s: %d documented issues, found %d, anchored %d, missed %d; %d findings, %d not in the expectations; %d issues have a finding of any rule in their resource",
				project, r.expected, r.found, r.anchored, len(r.missed), r.findings, len(r.unexpected), r.anyFinding)
			var ruled, unruled []expectation
			for _, e := range r.missed {
				if _, ok := checkovMap[e.check()]; ok {
					ruled = append(ruled, e)
				} else {
					unruled = append(unruled, e)
				}
			}
			t.Logf("missed with a rule of that meaning: %d; with none: %d", len(ruled), len(unruled))
			for _, m := range missedByCheck(ruled) {
				t.Logf("missed, rule did not fire: %s", m)
			}
			for _, m := range missedByCheck(unruled) {
				t.Logf("missed, no rule: %s", m)
			}
			for i, f := range r.unexpected {
				if i == 10 {
					break
				}
				t.Logf("not expected: %s:%d %s %s", f.Location.Path, f.Location.StartLine, f.RuleID, f.Identity)
			}
			if r.found < floor.found || r.anchored < floor.anchored {
				t.Errorf("%s: found %d anchored %d, floor is %d and %d", project, r.found, r.anchored, floor.found, floor.anchored)
			}
		})
	}
}
