package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/report"
	"github.com/shiftward/shiftward/app/report/reporttest"
	"github.com/shiftward/shiftward/scanners"
)

var (
	start = time.Date(2026, 12, 8, 1, 2, 3, 0, time.UTC)
	end   = start.Add(1500 * time.Millisecond)
)

// The rules the findings below name, as the rule model has them.
var rules = []scanners.Rule{
	{ID: "secrets/github-pat", Severity: scanners.SeverityHigh, Title: "GitHub personal access token",
		Why: "A token in git is readable by everyone with the repository.", Fix: "Revoke it, then read it from the environment.",
		References: []string{"CWE-798", "https://docs.github.com/en/authentication"}},
	{ID: "secrets/unused-rule", Severity: scanners.SeverityLow, Title: "Not found by anything"},
	{ID: "deps/vulnerable-dependency", Severity: scanners.SeverityHigh, Title: "Dependency with a known vulnerability",
		Why: "A dependency has published advisories.", Fix: "Upgrade it.", References: []string{"CWE-1395"}},
	{ID: "iac/k8s-privileged", Severity: scanners.SeverityCritical, Title: "Privileged container",
		Why: "A privileged container is root on the node.", References: []string{"CWE-250", "CIS Kubernetes 5.2.1"}},
	{ID: "code/py-weak-hash", Severity: scanners.SeverityMedium, Title: "Weak hash",
		Why: "MD5 is broken.", Fix: "Use SHA-256.", References: []string{"CWE-328", "CWE-327"}},
}

// secretFinding is what the secrets scanner reports: the token's span,
// redacted evidence, a digest for identity.
func secretFinding(line int) scanners.Finding {
	return scanners.Finding{
		Scanner: "secrets", RuleID: "secrets/github-pat", Severity: scanners.SeverityHigh, Title: "GitHub personal access token",
		Message:  "A GitHub personal access token was added (ghp_…AbCd). Revoke it.",
		Location: scanners.Location{Path: "config/app.go", StartLine: line, EndLine: line, StartColumn: 13, EndColumn: 52},
		Evidence: "ghp_…AbCd", Identity: "sha256:0f1e2d", Sensitive: true,
		References: []string{"CWE-798"},
	}
}

func fixture() *report.Run {
	depFix := &scanners.Fix{Description: "Upgrade left-pad to 1.3.0", StartLine: 4, EndLine: 4, Replacement: `    "left-pad": "1.3.0"`}
	codeFix := &scanners.Fix{Description: "Use hashlib.sha256", StartLine: 5, EndLine: 5, Replacement: "    return sha256(data).hexdigest()",
		Also: []scanners.Edit{scanners.InsertAfter(1, "from hashlib import sha256")}}
	return &report.Run{
		Version: "1.2.3-test",
		Rules:   rules,
		Findings: []scanners.Finding{
			secretFinding(4),
			{Scanner: "deps", RuleID: "deps/vulnerable-dependency", Severity: scanners.SeverityHigh, Title: "Dependency with a known vulnerability",
				Message:  "left-pad 1.2.0 (npm) is affected by a known vulnerability.",
				Location: scanners.Location{Path: "package.json", StartLine: 4, EndLine: 4}, Fix: depFix,
				References: []string{"GHSA-aaaa-bbbb-cccc", "CVE-2099-0001", "SWTEST-0001", "https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc"},
				Evidence:   "npm/left-pad@1.2.0", Identity: "npm/left-pad@1.2.0"},
			{Scanner: "iac", RuleID: "iac/k8s-privileged", Severity: scanners.SeverityCritical, Title: "Privileged container",
				Message: "Container x runs privileged.", Location: scanners.Location{Path: "deploy/pod.yaml", StartLine: 10, EndLine: 10}, Identity: "x"},
			{Scanner: "code", RuleID: "code/py-weak-hash", Severity: scanners.SeverityMedium, Title: "Weak hash",
				Message: "md5 is a weak hash.", Location: scanners.Location{Path: "hash.py", StartLine: 5, EndLine: 5}, Fix: codeFix, Identity: "md5"},
			// A repository's own rule: no description in the model.
			{Scanner: "secrets", RuleID: "secrets/custom-acme-key", Severity: scanners.SeverityMedium, Title: "ACME key",
				Message: "An ACME key was added (acme_…9f).", Location: scanners.Location{Path: "a b/c#d.txt", StartLine: 1, EndLine: 1},
				Evidence: "acme_…9f", Identity: "sha256:77", Sensitive: true},
		},
		Preexisting: []scanners.Finding{
			{Scanner: "iac", RuleID: "iac/k8s-privileged", Severity: scanners.SeverityCritical, Title: "Privileged container",
				Message: "Container y runs privileged.", Location: scanners.Location{Path: "deploy/old.yaml", StartLine: 3, EndLine: 3}, Identity: "y", Preexisting: true},
		},
		Statuses: []scanners.Status{
			{Scanner: "secrets", Files: 4, Findings: 2, Duration: 20 * time.Millisecond},
			{Scanner: "deps", Files: 1, Findings: 1, Duration: 30 * time.Millisecond, Errors: []error{errors.New("requirements.txt: advisories unreachable")}},
			{Scanner: "iac", Files: 2, Findings: 2},
			{Scanner: "pipelines"},
			{Scanner: "code", Files: 1, Findings: 1},
			{Scanner: "files", Errors: []error{errors.New("big.bin: over 10 MiB, the most one file read may hold")}},
		},
		Commit: "0123456789abcdef0123456789abcdef01234567",
		Start:  start, End: end,
	}
}

// clean is fixture without gaps: every scanner scanned everything.
func clean() *report.Run {
	r := fixture()
	for i := range r.Statuses {
		r.Statuses[i].Errors = nil
	}
	return r
}

func sarifOf(t *testing.T, r *report.Run) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.SARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSARIFValidates: the log is valid SARIF 2.1.0 by the OASIS schema,
// with and without gaps, with and without findings; and the validator
// bites (a log without a version, a region with line 0, are refused).
func TestSARIFValidates(t *testing.T) {
	s := reporttest.Load(t)
	for name, r := range map[string]*report.Run{"fixture": fixture(), "clean": clean(), "empty": {Version: "dev"}} {
		if err := s.SARIF(sarifOf(t, r)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	doc := sarifOf(t, fixture())
	for name, broken := range map[string][]byte{
		"no version":  bytes.Replace(doc, []byte(`"version": "2.1.0",`), nil, 1),
		"line 0":      bytes.Replace(doc, []byte(`"startLine": 4,`), []byte(`"startLine": 0,`), 1),
		"bad level":   bytes.Replace(doc, []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1),
		"bad baseURI": bytes.Replace(doc, []byte(`"uri": "config/app.go"`), []byte(`"uri": "config app.go\u0000"`), 1),
	} {
		if bytes.Equal(broken, doc) {
			t.Fatalf("%s: the mutation matched nothing", name)
		}
		if err := s.SARIF(broken); err == nil {
			t.Errorf("%s: the schema accepted a broken log", name)
		}
	}
}

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID, Name             string
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					HelpURI              string
					DefaultConfiguration struct{ Level string }
					Properties           struct {
						SecuritySeverity string `json:"security-severity"`
						Tags             []string
					}
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
			ToolConfigurationNotifications []json.RawMessage
		}
		Results []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           map[string]int
				}
			}
			PartialFingerprints map[string]string
			Fixes               []struct {
				Description     struct{ Text string }
				ArtifactChanges []struct {
					ArtifactLocation struct{ URI string }
					Replacements     []struct {
						DeletedRegion   map[string]int
						InsertedContent *struct{ Text string }
					}
				}
			}
			Properties map[string]any
		}
	}
}

func decodeSARIF(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(d.Runs))
	}
	return d
}

// TestSARIFContent: rules come from the rule model (only those a result
// names, a repository's own rule described from its finding), each result
// points at its rule, levels and GitHub's security-severity follow the
// severity, locations are relative to %SRCROOT% with exclusive end
// columns, fixes appear only where a finding has one, and gaps are tool
// execution notifications that make the execution unsuccessful.
func TestSARIFContent(t *testing.T) {
	d := decodeSARIF(t, sarifOf(t, fixture()))
	run := d.Runs[0]
	drv := run.Tool.Driver
	if drv.Name != "shiftward" || drv.Version != "1.2.3-test" || drv.InformationURI != report.InformationURI {
		t.Errorf("driver = %s %s %s", drv.Name, drv.Version, drv.InformationURI)
	}
	var ids []string
	for _, r := range drv.Rules {
		ids = append(ids, r.ID)
	}
	wantIDs := []string{"secrets/github-pat", "deps/vulnerable-dependency", "iac/k8s-privileged", "code/py-weak-hash", "secrets/custom-acme-key"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	pat := drv.Rules[0]
	if pat.Name != "SecretsGithubPat" || pat.ShortDescription.Text != "GitHub personal access token" ||
		pat.FullDescription.Text != rules[0].Why || !strings.Contains(pat.Help.Text, "How to fix: Revoke it") ||
		!strings.Contains(pat.Help.Markdown, "<https://docs.github.com/en/authentication>") || pat.HelpURI != "https://docs.github.com/en/authentication" ||
		pat.DefaultConfiguration.Level != "error" || pat.Properties.SecuritySeverity != "8.0" {
		t.Errorf("secrets/github-pat rule = %+v", pat)
	}
	if diff := cmp.Diff([]string{"security", "secrets", "external/cwe/cwe-798"}, pat.Properties.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if got := drv.Rules[3].Properties.Tags; !cmp.Equal(got, []string{"security", "code", "external/cwe/cwe-327", "external/cwe/cwe-328"}) {
		t.Errorf("code rule tags = %v", got)
	}
	if r := drv.Rules[2]; r.Properties.SecuritySeverity != "9.5" || r.DefaultConfiguration.Level != "error" {
		t.Errorf("critical rule = %+v", r)
	}
	if r := drv.Rules[4]; r.ShortDescription.Text != "ACME key" || r.FullDescription.Text == "" || r.DefaultConfiguration.Level != "warning" {
		t.Errorf("custom rule = %+v", r)
	}

	if len(run.Results) != 6 {
		t.Fatalf("%d results, want 6 (5 introduced, 1 pre-existing)", len(run.Results))
	}
	for i, res := range run.Results {
		if drv.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d names %s, not %s", i, res.RuleIndex, drv.Rules[res.RuleIndex].ID, res.RuleID)
		}
		if fp := res.PartialFingerprints[report.FingerprintKey]; len(fp) != 16 || res.PartialFingerprints["primaryLocationLineHash"] != fp {
			t.Errorf("result %d: partialFingerprints = %v", i, res.PartialFingerprints)
		}
		if res.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != report.SRCROOT {
			t.Errorf("result %d: uriBaseId = %q", i, res.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID)
		}
	}
	sec := run.Results[0]
	if sec.Level != "error" || sec.Message.Text != fixture().Findings[0].Message || len(sec.Fixes) != 0 {
		t.Errorf("secret result = %+v", sec)
	}
	if diff := cmp.Diff(map[string]int{"startLine": 4, "endLine": 4, "startColumn": 13, "endColumn": 53}, sec.Locations[0].PhysicalLocation.Region); diff != "" {
		t.Errorf("secret region (-want +got):\n%s", diff)
	}
	if u := run.Results[4].Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "a%20b/c%23d.txt" {
		t.Errorf("escaped uri = %q", u)
	}
	if p := run.Results[5].Properties; p["preexisting"] != true || len(run.Results[5].Fixes) != 0 {
		t.Errorf("pre-existing result properties = %v", p)
	}
	if run.Results[2].Level != "error" || run.Results[3].Level != "warning" || len(run.Results[2].Fixes) != 0 {
		t.Errorf("levels: iac %s, code %s", run.Results[2].Level, run.Results[3].Level)
	}

	// The code fix: the import inserted after line 1, line 5 replaced,
	// both relative to the file as scanned, in file order.
	code := run.Results[3]
	if len(code.Fixes) != 1 || code.Fixes[0].Description.Text != "Use hashlib.sha256" || len(code.Fixes[0].ArtifactChanges) != 1 {
		t.Fatalf("code fixes = %+v", code.Fixes)
	}
	reps := code.Fixes[0].ArtifactChanges[0].Replacements
	if code.Fixes[0].ArtifactChanges[0].ArtifactLocation.URI != "hash.py" || len(reps) != 2 {
		t.Fatalf("code fix change = %+v", code.Fixes[0].ArtifactChanges[0])
	}
	if diff := cmp.Diff(map[string]int{"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 1}, reps[0].DeletedRegion); diff != "" || reps[0].InsertedContent.Text != "from hashlib import sha256\n" {
		t.Errorf("insertion (-want +got):\n%s%q", diff, reps[0].InsertedContent.Text)
	}
	if diff := cmp.Diff(map[string]int{"startLine": 5, "startColumn": 1, "endLine": 6, "endColumn": 1}, reps[1].DeletedRegion); diff != "" || reps[1].InsertedContent.Text != "    return sha256(data).hexdigest()\n" {
		t.Errorf("replacement (-want +got):\n%s", diff)
	}
	if dep := run.Results[1]; len(dep.Fixes) != 1 || dep.Fixes[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text != "    \"left-pad\": \"1.3.0\"\n" {
		t.Errorf("dependency fix = %+v", dep.Fixes)
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 2 {
		t.Fatalf("invocations = %+v, want one, unsuccessful, with the 2 gaps", inv)
	}
	if n := inv[0].ToolExecutionNotifications[0]; n.Level != "error" || !strings.Contains(n.Message.Text, "requirements.txt: advisories unreachable") {
		t.Errorf("notification = %+v", n)
	}
	// Without gaps, the execution succeeded and says nothing.
	ok := decodeSARIF(t, sarifOf(t, clean())).Runs[0].Invocations[0]
	if !ok.ExecutionSuccessful || len(ok.ToolExecutionNotifications) != 0 {
		t.Errorf("clean invocation = %+v", ok)
	}
	// A configuration problem is a configuration notification.
	withProblem := clean()
	withProblem.Problems = []string{".shiftward.yml: fail_on: unknown severity"}
	if n := decodeSARIF(t, sarifOf(t, withProblem)).Runs[0].Invocations[0].ToolConfigurationNotifications; len(n) != 1 {
		t.Errorf("configuration notifications = %s", n)
	}
}

// TestSARIFFingerprintSurvivesLineMoves: the same secret two lines further
// down keeps its fingerprints; another secret does not share them.
func TestSARIFFingerprintSurvivesLineMoves(t *testing.T) {
	fps := func(f scanners.Finding) map[string]string {
		r := &report.Run{Rules: rules, Findings: []scanners.Finding{f}}
		return decodeSARIF(t, sarifOf(t, r)).Runs[0].Results[0].PartialFingerprints
	}
	before, after := fps(secretFinding(4)), fps(secretFinding(6))
	if !cmp.Equal(before, after) {
		t.Errorf("fingerprints moved with the line: %v, then %v", before, after)
	}
	other := secretFinding(4)
	other.Identity = "sha256:another"
	if cmp.Equal(before, fps(other)) {
		t.Errorf("two different secrets share fingerprints %v", before)
	}
}

// TestSARIFIsDeterministic: the same run gives the same bytes.
func TestSARIFIsDeterministic(t *testing.T) {
	if a, b := sarifOf(t, fixture()), sarifOf(t, fixture()); !bytes.Equal(a, b) {
		t.Error("two renderings of one run differ")
	}
}

func gitlabOf(t *testing.T, r *report.Run, k report.GitLabKind) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.GitLab(&b, r, k); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var schemaFiles = map[report.GitLabKind]string{
	report.GitLabSAST:    "sast-report-format.json",
	report.GitLabSecrets: "secret-detection-report-format.json",
	report.GitLabDeps:    "dependency-scanning-report-format.json",
}

// TestGitLabValidates: each report is valid by its GitLab schema (15.2.1)
// and the validator bites: a SAST report whose scan type is not "sast",
// a secret without its commit, a dependency without its package.
func TestGitLabValidates(t *testing.T) {
	s := reporttest.Load(t)
	for _, k := range report.GitLabKinds {
		for name, r := range map[string]*report.Run{"fixture": fixture(), "clean": clean(), "empty": {}} {
			if err := s.GitLab(report.GitLabSchemaVersion, schemaFiles[k], gitlabOf(t, r, k)); err != nil {
				t.Errorf("%s %s: %v", k, name, err)
			}
		}
	}
	broken := map[report.GitLabKind][]byte{
		report.GitLabSAST:    bytes.Replace(gitlabOf(t, fixture(), report.GitLabSAST), []byte(`"type": "sast"`), []byte(`"type": "dast"`), 1),
		report.GitLabSecrets: regexp.MustCompile(`"commit": \{\s*"sha": "[0-9a-f]+"\s*\}`).ReplaceAll(gitlabOf(t, fixture(), report.GitLabSecrets), []byte(`"commit": {}`)),
		report.GitLabDeps:    regexp.MustCompile(`"package": \{\s*"name": "[^"]+"\s*\},`).ReplaceAll(gitlabOf(t, fixture(), report.GitLabDeps), nil),
	}
	for k, doc := range broken {
		if bytes.Equal(doc, gitlabOf(t, fixture(), k)) {
			t.Fatalf("%s: the mutation matched nothing", k)
		}
		if err := s.GitLab(report.GitLabSchemaVersion, schemaFiles[k], doc); err == nil {
			t.Errorf("%s: the schema accepted a broken report", k)
		}
	}
}

type glDoc struct {
	Schema, Version string
	Scan            struct {
		Type, Status string
		StartTime    string `json:"start_time"`
		Analyzer     struct{ ID, Version string }
		Messages     []struct{ Level, Value string }
	}
	Vulnerabilities []struct {
		ID, Name, Description, Severity, Solution string
		Identifiers                               []struct{ Type, Name, Value, URL string }
		Links                                     []struct{ URL string }
		Tracking                                  *struct {
			Type  string
			Items []struct {
				File       string
				Signatures []struct{ Algorithm, Value string }
			}
		}
		Location struct {
			File       string
			StartLine  int `json:"start_line"`
			EndLine    int `json:"end_line"`
			Commit     *struct{ SHA string }
			Dependency *struct {
				Package struct{ Name string }
				Version string
			}
		}
	}
}

func decodeGitLab(t *testing.T, b []byte) glDoc {
	t.Helper()
	var d glDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGitLabContent: findings go to the report of their kind (secrets,
// dependencies, the rest SAST), pre-existing ones too; a secret names the
// commit, a dependency its package and version; identifiers start with
// the rule and carry CWE, CVE, GHSA and other advisory ids; gaps are
// "warn" messages of the report they concern (files and config: all).
func TestGitLabContent(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	sast := decodeGitLab(t, gitlabOf(t, fixture(), report.GitLabSAST))
	if sast.Version != "15.2.1" || !strings.HasSuffix(sast.Schema, "/v15.2.1/dist/sast-report-format.json") || sast.Scan.Type != "sast" ||
		sast.Scan.Status != "success" || sast.Scan.StartTime != "2026-12-08T01:02:03" || sast.Scan.Analyzer.Version != "1.2.3-test" {
		t.Errorf("sast header = %+v %+v", sast.Schema, sast.Scan)
	}
	var files []string
	for _, v := range sast.Vulnerabilities {
		files = append(files, v.Location.File)
		if !uuid.MatchString(v.ID) {
			t.Errorf("id %q is not UUID-shaped", v.ID)
		}
	}
	if diff := cmp.Diff([]string{"deploy/pod.yaml", "hash.py", "deploy/old.yaml"}, files); diff != "" {
		t.Errorf("sast vulnerabilities (-want +got):\n%s", diff)
	}
	code := sast.Vulnerabilities[1]
	if code.Severity != "Medium" || code.Solution != "Use hashlib.sha256" || code.Location.StartLine != 5 || code.Identifiers[0].Value != "code/py-weak-hash" {
		t.Errorf("code vulnerability = %+v", code)
	}
	if got := code.Identifiers[1:]; len(got) != 2 || got[0].Type != "cwe" || got[0].Value != "328" || got[1].Value != "327" {
		t.Errorf("code identifiers = %+v", got)
	}
	if pod := sast.Vulnerabilities[0]; pod.Severity != "Critical" || pod.Solution != "" || len(pod.Identifiers) != 2 {
		t.Errorf("pod vulnerability = %+v (the CIS benchmark is no identifier)", pod)
	}
	if len(sast.Scan.Messages) != 1 || sast.Scan.Messages[0].Level != "warn" || !strings.Contains(sast.Scan.Messages[0].Value, "big.bin") {
		t.Errorf("sast messages = %+v, want the unread file only", sast.Scan.Messages)
	}

	sec := decodeGitLab(t, gitlabOf(t, fixture(), report.GitLabSecrets))
	if sec.Scan.Type != "secret_detection" || len(sec.Vulnerabilities) != 2 {
		t.Fatalf("secret report = %+v", sec)
	}
	pat := sec.Vulnerabilities[0]
	if pat.Location.Commit == nil || pat.Location.Commit.SHA != fixture().Commit || pat.Location.File != "config/app.go" || pat.Location.StartLine != 4 ||
		pat.Severity != "High" || !strings.Contains(pat.Description, "ghp_…AbCd") || pat.Solution != rules[0].Fix {
		t.Errorf("secret vulnerability = %+v", pat)
	}
	want := secretFinding(4)
	if tr := pat.Tracking; tr == nil || tr.Type != "source" || len(tr.Items) != 1 || tr.Items[0].File != "config/app.go" ||
		len(tr.Items[0].Signatures) != 1 || tr.Items[0].Signatures[0].Value != want.Fingerprint() {
		t.Errorf("secret tracking = %+v, want the fingerprint as its signature", tr)
	}
	moved := fixture()
	moved.Findings[0] = secretFinding(9)
	if a, b := decodeGitLab(t, gitlabOf(t, moved, report.GitLabSecrets)).Vulnerabilities[0], pat; a.ID != b.ID || a.Tracking.Items[0].Signatures[0] != b.Tracking.Items[0].Signatures[0] {
		t.Errorf("a secret moved down kept neither its id nor its signature")
	}
	noCommit := fixture()
	noCommit.Commit = ""
	if c := decodeGitLab(t, gitlabOf(t, noCommit, report.GitLabSecrets)).Vulnerabilities[0].Location.Commit; c == nil || c.SHA != "0000000" {
		t.Errorf("commit of a scan outside git = %+v", c)
	}

	dep := decodeGitLab(t, gitlabOf(t, fixture(), report.GitLabDeps))
	if dep.Scan.Type != "dependency_scanning" || len(dep.Vulnerabilities) != 1 {
		t.Fatalf("dependency report = %+v", dep)
	}
	v := dep.Vulnerabilities[0]
	if v.Tracking != nil {
		t.Errorf("dependency tracking = %+v, want none (GitLab tracks dependencies by package)", v.Tracking)
	}
	if v.Location.Dependency == nil || v.Location.Dependency.Package.Name != "left-pad" || v.Location.Dependency.Version != "1.2.0" || v.Location.File != "package.json" {
		t.Errorf("dependency location = %+v", v.Location)
	}
	var types []string
	for _, id := range v.Identifiers {
		types = append(types, id.Type+":"+id.Value)
	}
	if diff := cmp.Diff([]string{"shiftward_rule:deps/vulnerable-dependency", "ghsa:GHSA-aaaa-bbbb-cccc", "cve:CVE-2099-0001", "osv:SWTEST-0001", "cwe:1395"}, types); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
	if len(v.Links) != 1 || len(dep.Scan.Messages) != 2 {
		t.Errorf("links %+v, messages %+v (want the advisories gap and the unread file)", v.Links, dep.Scan.Messages)
	}
	// The same finding has the same id in every report.
	if again := decodeGitLab(t, gitlabOf(t, fixture(), report.GitLabDeps)); again.Vulnerabilities[0].ID != v.ID {
		t.Error("the vulnerability id changed between renderings")
	}
}

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func junitOf(t *testing.T, r *report.Run) junitDoc {
	t.Helper()
	var b bytes.Buffer
	if err := report.JUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var d junitDoc
	if err := xml.Unmarshal(b.Bytes(), &d); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	return d
}

// TestJUnitStructure: a suite per scanner in run order, a failure per
// introduced finding with severity, rule and location, a skipped case per
// pre-existing finding, an error per gap, one passing case for a scanner
// that found nothing, and counts that add up.
func TestJUnitStructure(t *testing.T) {
	d := junitOf(t, fixture())
	var names []string
	for _, s := range d.Suites {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"secrets", "deps", "iac", "pipelines", "code", "files"}, names); diff != "" {
		t.Fatalf("suites (-want +got):\n%s", diff)
	}
	if d.Name != "shiftward" || d.Failures != 5 || d.Errors != 2 || d.Skipped != 1 || d.Tests != 9 {
		t.Errorf("totals: tests %d failures %d errors %d skipped %d", d.Tests, d.Failures, d.Errors, d.Skipped)
	}
	secrets := d.Suites[0]
	if secrets.Tests != 2 || secrets.Failures != 2 {
		t.Errorf("secrets suite = %+v", secrets)
	}
	c := secrets.Cases[0]
	if c.Name != "secrets/github-pat at config/app.go:4" || c.Classname != "shiftward.secrets" || c.File != "config/app.go" || c.Line != 4 ||
		c.Failure == nil || c.Failure.Type != "high" || c.Failure.Message != "high: GitHub personal access token" ||
		!strings.Contains(c.Failure.Text, "rule: secrets/github-pat\nseverity: high\nlocation: config/app.go:4\n") {
		t.Errorf("secret case = %+v", c)
	}
	deps := d.Suites[1]
	if deps.Failures != 1 || deps.Errors != 1 || deps.Cases[1].Error == nil || !strings.Contains(deps.Cases[1].Error.Message, "advisories unreachable") {
		t.Errorf("deps suite = %+v", deps)
	}
	if fx := deps.Cases[0].Failure; fx == nil || !strings.Contains(fx.Text, "fix: Upgrade left-pad to 1.3.0") {
		t.Errorf("deps failure = %+v", fx)
	}
	iac := d.Suites[2]
	if iac.Failures != 1 || iac.Skipped != 1 || iac.Cases[1].Skipped == nil || iac.Cases[1].Failure != nil {
		t.Errorf("iac suite = %+v", iac)
	}
	pipelines := d.Suites[3]
	if pipelines.Tests != 1 || pipelines.Failures+pipelines.Errors != 0 || pipelines.Cases[0].Name != "pipelines: no findings" {
		t.Errorf("pipelines suite = %+v, want one passing case", pipelines)
	}
	if files := d.Suites[5]; files.Errors != 1 || files.Tests != 1 {
		t.Errorf("files suite = %+v", files)
	}
	// With nothing found anywhere, every suite passes once.
	none := junitOf(t, &report.Run{Statuses: []scanners.Status{{Scanner: "secrets"}, {Scanner: "code"}}})
	if none.Tests != 2 || none.Failures != 0 || none.Errors != 0 || len(none.Suites) != 2 {
		t.Errorf("empty run = %+v", none)
	}
}

// TestJUnitEscapesHostileText: a message with markup and control
// characters stays well-formed XML.
func TestJUnitEscapesHostileText(t *testing.T) {
	r := clean()
	r.Findings[2].Message = "]]></failure><x a=\"\x00\x1b\">&amp;</x>"
	r.Statuses[2].Errors = []error{errors.New("pod.yaml: <!-- \x07 -->")}
	d := junitOf(t, r)
	if d.Suites[2].Cases[0].Failure == nil || !strings.Contains(d.Suites[2].Cases[0].Failure.Text, "</failure>") {
		t.Errorf("hostile message lost: %+v", d.Suites[2].Cases[0])
	}
}
