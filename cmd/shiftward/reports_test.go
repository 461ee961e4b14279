package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/report"
	"github.com/shiftward/shiftward/app/report/reporttest"
)

var updateReports = flag.Bool("update", false, "rewrite testdata/reports/* from the current output")

// fixtureAdvisory is a made-up OSV record (no real package has it): the
// dependency finding of the report tests, the same wherever they run.
const fixtureAdvisory = `{
  "schema_version": "1.6.0",
  "id": "SWTEST-2026-0001",
  "modified": "2026-12-01T00:00:00Z",
  "published": "2026-12-01T00:00:00Z",
  "aliases": ["GHSA-swtt-0000-0001"],
  "summary": "Prototype pollution in shiftward-fixture-pkg",
  "details": "A made-up advisory for shiftward's tests.",
  "affected": [{
    "package": {"ecosystem": "npm", "name": "shiftward-fixture-pkg"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.4"}]}]
  }],
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"}],
  "references": [{"type": "ADVISORY", "url": "https://example.com/advisories/SWTEST-2026-0001"}]
}
`

// reportRepo makes a repository whose feature branch adds a secret
// (config.go), a vulnerable dependency (package.json), SSH open to the
// internet (infra/main.tf) and a weak hash with a fix (hash.py), with advisories read
// offline from a directory holding fixtureAdvisory only. pad lines are
// put above the secret, to move it.
func reportRepo(t *testing.T, pad int) (dir, token string) {
	t.Helper()
	advisories := t.TempDir()
	if err := os.WriteFile(filepath.Join(advisories, "SWTEST-2026-0001.json"), []byte(fixtureAdvisory), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHIFTWARD_OSV_DIR", advisories)
	t.Setenv("SHIFTWARD_OSV_URL", "")
	dir, token = t.TempDir(), fakeToken(7)
	write := writer(t, dir)
	gitRun(t, dir, "init", "-q", "-b", "main")
	write("README.md", "# fixture\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	gitRun(t, dir, "checkout", "-q", "-b", "feature")
	write("config.go", "package config\n\n"+strings.Repeat("// padding\n", pad)+"var token = \""+token+"\"\n")
	write("package.json", "{\n  \"name\": \"web\",\n  \"dependencies\": {\n    \"shiftward-fixture-pkg\": \"1.2.3\"\n  }\n}\n")
	write("infra/main.tf", "resource \"aws_security_group_rule\" \"ssh\" {\n  type              = \"ingress\"\n  from_port         = 22\n  to_port           = 22\n  protocol          = \"tcp\"\n  cidr_blocks       = [\"0.0.0.0/0\"]\n  security_group_id = \"sg-123\"\n  description       = \"ssh\"\n}\n")
	write("hash.py", "from hashlib import md5\n\n\ndef digest(data):\n    return md5(data).hexdigest()\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "feature")
	return dir, token
}

// scanFormat runs `shiftward scan --base main --format F` on dir.
func scanFormat(t *testing.T, dir string, args ...string) (stdout string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"scan", "--base", "main"}, append(args, dir)...), nil, &out, &errb)
	if code != 1 {
		t.Fatalf("scan %v: exit %d, want 1 (findings)\nstdout: %s\nstderr: %s", args, code, out.String(), errb.String())
	}
	return out.String(), code
}

// normalize blanks what changes from run to run: times, durations, the
// head commit.
func normalize(t *testing.T, dir, s string) string {
	t.Helper()
	head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	s = strings.ReplaceAll(s, strings.TrimSpace(string(head)), "<head>")
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`("(?:startTimeUtc|endTimeUtc|start_time|end_time)": ")[^"]*(")`),
		regexp.MustCompile(`( (?:time|timestamp)=")[^"]*(")`),
	} {
		s = re.ReplaceAllString(s, "${1}<t>${2}")
	}
	return s
}

// golden compares got with testdata/reports/name, or rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "reports", name)
	if *updateReports {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; -update rewrites it):\n%s", name, diff)
	}
}

// TestScanReportFormats: on a fixed repository with a secret, a vulnerable
// dependency, SSH open to the internet and a weak hash with a fix, each report
// format says the same four findings, matches its golden file (times and
// the commit blanked), validates against its published schema, and never
// holds the secret.
func TestScanReportFormats(t *testing.T) {
	dir, token := reportRepo(t, 0)
	schemas := func() *reporttest.Schemas { return nil }
	if _, err := reporttest.Dir(); err == nil {
		s := reporttest.Load(t)
		schemas = func() *reporttest.Schemas { return s }
	} else {
		t.Logf("schema validation skipped: %v", err)
	}

	sarif, _ := scanFormat(t, dir, "--format", "sarif")
	golden(t, "scan.sarif", normalize(t, dir, sarif))
	if s := schemas(); s != nil {
		if err := s.SARIF([]byte(sarif)); err != nil {
			t.Errorf("SARIF: %v", err)
		}
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID string
				Fixes  []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range log.Runs[0].Results {
		got[r.RuleID] = len(r.Fixes)
	}
	want := map[string]int{"secrets/github-pat": 0, "deps/vulnerable-dependency": 1, "iac/tf-open-admin-port": 0, "code/py-weak-hash": 1}
	for id, fixes := range want {
		if n, ok := got[id]; !ok || n != fixes {
			t.Errorf("SARIF result %s: present %v with %d fixes, want %d (results %v)", id, ok, n, fixes, got)
		}
	}

	junit, _ := scanFormat(t, dir, "--format", "junit")
	golden(t, "junit.xml", normalize(t, dir, junit))
	var suites struct {
		Suites []struct {
			Name     string `xml:"name,attr"`
			Failures int    `xml:"failures,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(junit), &suites); err != nil {
		t.Fatalf("JUnit is not XML: %v", err)
	}
	failures := map[string]int{}
	for _, s := range suites.Suites {
		failures[s.Name] = s.Failures
	}
	if diff := cmp.Diff(map[string]int{"secrets": 1, "deps": 1, "iac": 1, "pipelines": 0, "code": 1}, failures); diff != "" {
		t.Errorf("JUnit failures per suite (-want +got):\n%s", diff)
	}

	outDir := filepath.Join(t.TempDir(), "reports")
	stdout, _ := scanFormat(t, dir, "--format", "gitlab", "--output-dir", outDir)
	all := sarif + junit + stdout
	for _, k := range report.GitLabKinds {
		b, err := os.ReadFile(filepath.Join(outDir, k.File()))
		if err != nil {
			t.Fatalf("%s not written: %v (stdout %q)", k.File(), err, stdout)
		}
		if !strings.Contains(stdout, k.File()) {
			t.Errorf("stdout %q does not name %s", stdout, k.File())
		}
		golden(t, k.File(), normalize(t, dir, string(b)))
		if s := schemas(); s != nil {
			if err := s.GitLab(report.GitLabSchemaVersion, schemaName(k), b); err != nil {
				t.Errorf("%s: %v", k.File(), err)
			}
		}
		all += string(b)
	}
	if strings.Contains(all, token) || strings.Contains(all, token[4:20]) {
		t.Error("a report holds the secret (or a long piece of it)")
	}
}

func schemaName(k report.GitLabKind) string {
	switch k {
	case report.GitLabSecrets:
		return "secret-detection-report-format.json"
	case report.GitLabDeps:
		return "dependency-scanning-report-format.json"
	}
	return "sast-report-format.json"
}

// TestScanSARIFFingerprintsSurviveLineMoves: the same findings two lines
// further down keep the fingerprints GitHub matches alerts on.
func TestScanSARIFFingerprintsSurviveLineMoves(t *testing.T) {
	fingerprints := func(pad int) map[string]string {
		dir, _ := reportRepo(t, pad)
		out, _ := scanFormat(t, dir, "--format", "sarif")
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID              string
					PartialFingerprints map[string]string
					Locations           []struct {
						PhysicalLocation struct{ Region struct{ StartLine int } }
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		fps := map[string]string{}
		for _, r := range log.Runs[0].Results {
			if r.RuleID == "secrets/github-pat" {
				fps["line"] = string(rune('0' + r.Locations[0].PhysicalLocation.Region.StartLine))
			}
			fps[r.RuleID] = r.PartialFingerprints["primaryLocationLineHash"]
		}
		return fps
	}
	a, b := fingerprints(0), fingerprints(2)
	if a["line"] == b["line"] {
		t.Fatalf("the secret did not move (line %s)", a["line"])
	}
	delete(a, "line")
	delete(b, "line")
	if diff := cmp.Diff(a, b); diff != "" || a["secrets/github-pat"] == "" {
		t.Errorf("fingerprints changed when the code moved (-before +after):\n%s", diff)
	}
}

// TestScanReportFormatErrors: --output-dir belongs to --format gitlab; an
// unknown format names the ones there are.
func TestScanReportFormatErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--format", "sarif", "--output-dir", "x", "--diff", os.DevNull}, "--output-dir is for --format gitlab"},
		{[]string{"scan", "--format", "xml", "--diff", os.DevNull}, "sarif, junit, gitlab"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tt.args, nil, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// TestScanReportsSayWhatWasNotScanned: a diff scanned away from its work
// tree leaves files the code scanner needs whole unread: SARIF says the
// execution was not successful and names them, JUnit has an error case,
// and the exit code still says both (3).
func TestScanReportsSayWhatWasNotScanned(t *testing.T) {
	dir, _, _ := repoWithLeak(t)
	d, err := exec.Command("git", "-C", dir, "diff", "main", "feature").Output()
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	scan := func(format string) string {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"scan", "--diff", "-", "--format", format, elsewhere}, bytes.NewReader(d), &stdout, &stderr)
		if code != 3 {
			t.Fatalf("%s: exit %d, want 3 (a failing finding and a gap)\n%s", format, code, stderr.String())
		}
		return stdout.String()
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(scan("sarif")), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	named := false
	for _, n := range inv.ToolExecutionNotifications {
		named = named || strings.Contains(n.Message.Text, "config.go: not read whole")
	}
	if inv.ExecutionSuccessful || !named {
		t.Errorf("invocation = %+v, want unsuccessful, naming config.go", inv)
	}
	var suites struct {
		Errors int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal([]byte(scan("junit")), &suites); err != nil || suites.Errors == 0 {
		t.Errorf("JUnit errors = %d (%v), want the gap as an error", suites.Errors, err)
	}
}
