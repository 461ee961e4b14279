package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/deps"
)

// GitLabKind names one of GitLab's security reports by its scan type.
type GitLabKind string

// The GitLab reports shiftward writes: secrets go to secret detection,
// vulnerable dependencies to dependency scanning, and what the code, IaC
// and pipeline scanners find to SAST.
const (
	GitLabSAST    GitLabKind = "sast"
	GitLabSecrets GitLabKind = "secret_detection"
	GitLabDeps    GitLabKind = "dependency_scanning"
)

// GitLabKinds lists the kinds in the order they are written.
var GitLabKinds = []GitLabKind{GitLabSAST, GitLabSecrets, GitLabDeps}

// GitLabSchemaVersion is the version of GitLab's security report schemas
// the reports declare (gitlab-org/security-products/security-report-schemas).
const GitLabSchemaVersion = "15.2.1"

// File is the report's conventional file name, which GitLab's templates
// and documentation use under artifacts:reports.
func (k GitLabKind) File() string {
	switch k {
	case GitLabSecrets:
		return "gl-secret-detection-report.json"
	case GitLabDeps:
		return "gl-dependency-scanning-report.json"
	}
	return "gl-sast-report.json"
}

// schemaURL is the published schema the report declares.
func (k GitLabKind) schemaURL() string {
	name := "sast-report-format.json"
	switch k {
	case GitLabSecrets:
		name = "secret-detection-report-format.json"
	case GitLabDeps:
		name = "dependency-scanning-report-format.json"
	}
	return "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v" + GitLabSchemaVersion + "/dist/" + name
}

// gitlabKindOf is the report a scanner's findings and gaps belong to.
func gitlabKindOf(scanner string) GitLabKind {
	switch scanner {
	case "secrets":
		return GitLabSecrets
	case deps.Name:
		return GitLabDeps
	}
	return GitLabSAST
}

// Limits of the schema's fields (15.2.1).
const (
	glMaxName        = 255
	glMaxDescription = 1 << 20
	glMaxSolution    = 7000
)

type glReport struct {
	Schema          string   `json:"schema"`
	Version         string   `json:"version"`
	Scan            glScan   `json:"scan"`
	Vulnerabilities []glVuln `json:"vulnerabilities"`
}

type glScan struct {
	Analyzer  glTool      `json:"analyzer"`
	Scanner   glTool      `json:"scanner"`
	Type      GitLabKind  `json:"type"`
	StartTime string      `json:"start_time"`
	EndTime   string      `json:"end_time"`
	Status    string      `json:"status"`
	Messages  []glMessage `json:"messages,omitempty"`
}

type glTool struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Version string   `json:"version"`
	Vendor  glVendor `json:"vendor"`
}

type glVendor struct {
	Name string `json:"name"`
}

type glMessage struct {
	Level string `json:"level"`
	Value string `json:"value"`
}

type glVuln struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Severity    string         `json:"severity"`
	Solution    string         `json:"solution,omitempty"`
	Identifiers []glIdentifier `json:"identifiers"`
	Links       []glLink       `json:"links,omitempty"`
	Location    glLocation     `json:"location"`
	Tracking    *glTracking    `json:"tracking,omitempty"`
}

// glTracking is how GitLab tracks a vulnerability as the project changes:
// by signatures of the thing found rather than by its line, which is what
// shiftward's fingerprint is.
type glTracking struct {
	Type  string           `json:"type"`
	Items []glTrackingItem `json:"items"`
}

type glTrackingItem struct {
	File       string        `json:"file"`
	StartLine  int           `json:"start_line,omitempty"`
	EndLine    int           `json:"end_line,omitempty"`
	Signatures []glSignature `json:"signatures"`
}

type glSignature struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

type glIdentifier struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type glLink struct {
	URL string `json:"url"`
}

type glLocation struct {
	File       string        `json:"file,omitempty"`
	StartLine  int           `json:"start_line,omitempty"`
	EndLine    int           `json:"end_line,omitempty"`
	Commit     *glCommit     `json:"commit,omitempty"`
	Dependency *glDependency `json:"dependency,omitempty"`
}

type glCommit struct {
	SHA string `json:"sha"`
}

type glDependency struct {
	Package glPackage `json:"package"`
	Version string    `json:"version"`
}

type glPackage struct {
	Name string `json:"name"`
}

// unknownCommit stands for the revision of a scan outside git: secret
// detection reports require one, and GitLab's own analyzer writes this.
const unknownCommit = "0000000"

// GitLab writes r's findings of one kind as that GitLab security report
// (schema 15.2.1), introduced and pre-existing alike: GitLab compares the
// report with the target branch's itself. What could not be scanned, by a
// scanner of this kind or for every scanner (files not listed or read,
// configuration), is a "warn" message of the scan, GitLab's place for a
// partial error.
func GitLab(w io.Writer, r *Run, kind GitLabKind) error {
	tool := glTool{ID: "shiftward", Name: "shiftward", URL: InformationURI, Version: cmp.Or(r.Version, "dev"), Vendor: glVendor{Name: "shiftward"}}
	start, end := r.Start, r.End
	if start.IsZero() {
		start = time.Now()
	}
	if end.Before(start) {
		end = start
	}
	rep := glReport{
		Schema:  kind.schemaURL(),
		Version: GitLabSchemaVersion,
		Scan: glScan{
			Analyzer: tool, Scanner: tool, Type: kind,
			StartTime: start.UTC().Format("2006-01-02T15:04:05"),
			EndTime:   end.UTC().Format("2006-01-02T15:04:05"),
			Status:    "success",
		},
		Vulnerabilities: []glVuln{},
	}
	for _, g := range r.Gaps() {
		if g.Scanner == "files" || g.Scanner == "config" || gitlabKindOf(g.Scanner) == kind {
			rep.Scan.Messages = append(rep.Scan.Messages, glMessage{Level: "warn", Value: fmt.Sprintf("not scanned (%s): %s", g.Scanner, g.Text)})
		}
	}
	for _, p := range r.Problems {
		rep.Scan.Messages = append(rep.Scan.Messages, glMessage{Level: "warn", Value: "configuration: " + p})
	}
	rs := r.usedRules()
	for _, f := range r.all() {
		if gitlabKindOf(scannerOf(&f)) != kind {
			continue
		}
		rep.Vulnerabilities = append(rep.Vulnerabilities, glVulnOf(&f, rs.rule(&f), kind, r.Commit))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// gitlabSeverity is a severity in GitLab's words.
func gitlabSeverity(s scanners.Severity) string {
	switch s {
	case scanners.SeverityCritical:
		return "Critical"
	case scanners.SeverityHigh:
		return "High"
	case scanners.SeverityMedium:
		return "Medium"
	case scanners.SeverityLow:
		return "Low"
	case scanners.SeverityInfo:
		return "Info"
	}
	return "Unknown"
}

func glVulnOf(f *scanners.Finding, rule scanners.Rule, kind GitLabKind, commit string) glVuln {
	v := glVuln{
		ID:       stableID(f.Fingerprint()),
		Name:     clip(cmp.Or(f.Title, title(rule)), glMaxName),
		Severity: gitlabSeverity(f.Severity),
		// The rule id is the primary identifier: with the location it is
		// what GitLab tracks a vulnerability by.
		Identifiers: []glIdentifier{{Type: "shiftward_rule", Name: "shiftward " + f.RuleID, Value: f.RuleID}},
	}
	desc := cmp.Or(f.Message, why(rule))
	if f.Message != "" && rule.Why != "" {
		desc += "\n\n" + rule.Why
	}
	if f.Preexisting {
		desc += "\n\n(Already in the file before this change.)"
	}
	v.Description = clip(desc, glMaxDescription)
	solution := rule.Fix
	if f.Fix != nil && f.Fix.Description != "" && !f.Preexisting {
		solution = f.Fix.Description
	}
	v.Solution = clip(solution, glMaxSolution)
	seen := map[string]bool{}
	for _, ref := range append(copyRefs(f.References), rule.References...) {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		if isURL(ref) {
			v.Links = append(v.Links, glLink{URL: ref})
			continue
		}
		if id, ok := identifier(ref, kind); ok {
			v.Identifiers = append(v.Identifiers, id)
		}
	}
	l := f.Location
	switch kind {
	case GitLabDeps:
		v.Location = glLocation{File: l.Path}
		if p, ok := deps.ParsePackage(cmp.Or(f.Identity, f.Evidence)); ok {
			v.Location.Dependency = &glDependency{Package: glPackage{Name: p.Name}, Version: p.Version}
		} else {
			// The schema requires a dependency; a finding that names
			// none (it should not happen) still says where it is.
			v.Location.Dependency = &glDependency{Package: glPackage{Name: l.Path}, Version: "unknown"}
		}
	case GitLabSecrets:
		v.Location = glLocation{File: l.Path, StartLine: l.StartLine, EndLine: max(l.EndLine, l.StartLine), Commit: &glCommit{SHA: cmp.Or(commit, unknownCommit)}}
	default:
		v.Location = glLocation{File: l.Path, StartLine: l.StartLine, EndLine: max(l.EndLine, l.StartLine)}
	}
	if kind != GitLabDeps {
		// GitLab's "hash" signature is opaque to it: the fingerprint
		// (rule, path, the thing found) keeps a vulnerability's identity
		// when code above it moves, as partialFingerprints do in SARIF.
		v.Tracking = &glTracking{Type: "source", Items: []glTrackingItem{{
			File: l.Path, StartLine: v.Location.StartLine, EndLine: v.Location.EndLine,
			Signatures: []glSignature{{Algorithm: "hash", Value: f.Fingerprint()}},
		}}}
	}
	return v
}

// copyRefs copies a reference list so appending to it never writes into a
// finding's backing array.
func copyRefs(refs []string) []string { return append([]string(nil), refs...) }

// identifier reads a reference as a GitLab identifier: CWE, CVE and GHSA
// ids by their type; other advisory ids (GO-, PYSEC-, RUSTSEC-, OSV-) of a
// dependency finding as OSV ids. Anything else (a benchmark's name) is no
// identifier.
func identifier(ref string, kind GitLabKind) (glIdentifier, bool) {
	switch up := strings.ToUpper(ref); {
	case cweNumber(ref) != "":
		n := cweNumber(ref)
		return glIdentifier{Type: "cwe", Name: "CWE-" + n, Value: n, URL: "https://cwe.mitre.org/data/definitions/" + n + ".html"}, true
	case strings.HasPrefix(up, "CVE-"):
		return glIdentifier{Type: "cve", Name: ref, Value: ref, URL: "https://nvd.nist.gov/vuln/detail/" + ref}, true
	case strings.HasPrefix(up, "GHSA-"):
		return glIdentifier{Type: "ghsa", Name: ref, Value: ref, URL: "https://github.com/advisories/" + ref}, true
	case kind == GitLabDeps && !strings.ContainsAny(ref, " \t/"):
		return glIdentifier{Type: "osv", Name: ref, Value: ref, URL: "https://osv.dev/vulnerability/" + ref}, true
	}
	return glIdentifier{}, false
}
