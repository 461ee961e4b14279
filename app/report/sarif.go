package report

import (
	"cmp"
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// SARIFSchema is the JSON schema the SARIF log names: the OASIS standard's,
// with its errata.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// SRCROOT is the uriBaseId every artifact location is relative to: the
// root of the repository scanned. GitHub code scanning and most viewers
// resolve it to their checkout.
const SRCROOT = "%SRCROOT%"

// FingerprintKey names shiftward's own fingerprint in partialFingerprints.
const FingerprintKey = "shiftward/v1"

// The shapes below are the part of SARIF 2.1.0 shiftward writes, in the
// spec's names (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// ColumnKind says how columns count. shiftward's are byte offsets,
	// which equal UTF-16 code units on ASCII lines, by far the most.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifText          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	// SecuritySeverity is the score GitHub code scanning reads to grade
	// a security alert (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium,
	// below low), a number written as a string as CodeQL writes it.
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Severity    string `json:"severity"`
	Evidence    string `json:"evidence,omitempty"`
	Preexisting bool   `json:"preexisting,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful            bool                `json:"executionSuccessful"`
	StartTimeUTC                   string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC                     string              `json:"endTimeUtc,omitempty"`
	ToolExecutionNotifications     []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string           `json:"level"`
	Message    sarifText        `json:"message"`
	Descriptor *sarifDescriptor `json:"descriptor,omitempty"`
	Properties map[string]any   `json:"properties,omitempty"`
}

type sarifDescriptor struct {
	ID string `json:"id"`
}

// SARIF writes r as a SARIF 2.1.0 log of one run.
//
// tool.driver.rules describes the rules the results name, from the rule
// model. Each result carries shiftward's fingerprint (rule, path and the
// thing found, never its line) in partialFingerprints, under its own key
// and under primaryLocationLineHash, the key GitHub code scanning matches
// alerts on (and computes from the line's text when it is absent), so an
// alert keeps its identity when code above it moves. A fix is a SARIF fix
// of whole-line replacements. What could not be scanned is a
// toolExecutionNotification, and executionSuccessful is false then.
func SARIF(w io.Writer, r *Run) error {
	rs := r.usedRules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "shiftward", Version: r.Version, InformationURI: InformationURI,
			Rules: make([]sarifRule, 0, len(rs.list)),
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    make([]sarifResult, 0, len(r.Findings)+len(r.Preexisting)),
	}
	for _, rule := range rs.list {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule))
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResultOf(&f, rs))
	}
	for _, f := range r.Preexisting {
		run.Results = append(run.Results, sarifResultOf(&f, rs))
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	if !r.Start.IsZero() {
		inv.StartTimeUTC = r.Start.UTC().Format(time.RFC3339)
	}
	if !r.End.IsZero() {
		inv.EndTimeUTC = r.End.UTC().Format(time.RFC3339)
	}
	for _, g := range r.Gaps() {
		inv.ExecutionSuccessful = false
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:      "error",
			Message:    sarifText{Text: "Not scanned: " + g.Text},
			Descriptor: &sarifDescriptor{ID: "not-scanned"},
			Properties: map[string]any{"scanner": g.Scanner},
		})
	}
	for _, p := range r.Problems {
		inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{
			Level:      "error",
			Message:    sarifText{Text: p},
			Descriptor: &sarifDescriptor{ID: "configuration"},
		})
	}
	run.Invocations = []sarifInvocation{inv}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifLevel maps a severity to SARIF's levels: what fails a review by
// default (high, critical) is an error.
func sarifLevel(s scanners.Severity) string {
	switch {
	case s >= scanners.SeverityHigh:
		return "error"
	case s == scanners.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the score GitHub grades a security alert by: the
// middle of each grade's band (critical over 9.0, high 7.0-8.9, medium
// 4.0-6.9, low below).
func securitySeverity(s scanners.Severity) string {
	switch s {
	case scanners.SeverityCritical:
		return "9.5"
	case scanners.SeverityHigh:
		return "8.0"
	case scanners.SeverityMedium:
		return "5.5"
	case scanners.SeverityLow:
		return "3.0"
	}
	return "1.0"
}

// maxTags is the most tags GitHub code scanning keeps on a rule.
const maxTags = 20

func sarifRuleOf(rule scanners.Rule) sarifRule {
	scanner, _, _ := strings.Cut(rule.ID, "/")
	tags := []string{"security", scanner}
	var cwes []string
	for _, ref := range rule.References {
		if n := cweNumber(ref); n != "" {
			// CodeQL's form, which GitHub turns into CWE links.
			cwes = append(cwes, "external/cwe/cwe-"+n)
		}
	}
	slices.Sort(cwes)
	tags = append(tags, slices.Compact(cwes)...)
	if len(tags) > maxTags {
		tags = tags[:maxTags]
	}
	out := sarifRule{
		ID:                   rule.ID,
		Name:                 ruleName(rule.ID),
		ShortDescription:     sarifText{Text: title(rule)},
		FullDescription:      sarifText{Text: why(rule)},
		Help:                 ruleHelp(rule),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties:           sarifRuleProps{SecuritySeverity: securitySeverity(rule.Severity), Tags: tags},
	}
	for _, ref := range rule.References {
		if isURL(ref) {
			if _, err := url.Parse(ref); err == nil {
				out.HelpURI = ref
				break
			}
		}
	}
	return out
}

// ruleName is a rule id as SARIF's identifier-like name:
// "secrets/github-pat" is "SecretsGithubPat".
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			if up && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteRune(c)
			up = false
		default:
			up = true
		}
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

// ruleHelp is the rule's why, how to fix it and its references, as plain
// text and Markdown.
func ruleHelp(rule scanners.Rule) sarifText {
	var text, md strings.Builder
	text.WriteString(why(rule))
	md.WriteString(why(rule))
	if rule.Fix != "" {
		text.WriteString("\n\nHow to fix: " + rule.Fix)
		md.WriteString("\n\n**How to fix:** " + rule.Fix)
	}
	if len(rule.References) > 0 {
		text.WriteString("\n\nReferences: " + strings.Join(rule.References, ", "))
		md.WriteString("\n\n**References:**\n")
		for _, ref := range rule.References {
			if isURL(ref) {
				md.WriteString("\n- <" + ref + ">")
			} else {
				md.WriteString("\n- " + ref)
			}
		}
	}
	return sarifText{Text: text.String(), Markdown: md.String()}
}

// sarifResultOf is one result. A pre-existing finding (already in a file
// the change touches) says so in its properties, and offers no fix, as
// the review does; SARIF's baselineState is left to comparisons of runs.
func sarifResultOf(f *scanners.Finding, rs ruleSet) sarifResult {
	fp := f.Fingerprint()
	res := sarifResult{
		RuleID:    f.RuleID,
		RuleIndex: rs.index[f.RuleID],
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: cmp.Or(f.Message, f.Title, f.RuleID)},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: artifact(f.Location.Path),
			Region:           region(f.Location),
		}}},
		PartialFingerprints: map[string]string{FingerprintKey: fp, "primaryLocationLineHash": fp},
		Properties:          &sarifResultProps{Severity: f.Severity.String(), Evidence: f.Evidence, Preexisting: f.Preexisting},
	}
	if f.Fix != nil && !f.Preexisting {
		res.Fixes = []sarifFix{sarifFixOf(f.Location.Path, f.Fix)}
	}
	return res
}

// artifact is a repository-relative path as a URI reference below SRCROOT.
func artifact(path string) sarifArtifact {
	// url.URL escapes what a URI cannot hold (spaces, %, #) and keeps a
	// first segment with a colon from reading as a scheme.
	return sarifArtifact{URI: (&url.URL{Path: path}).String(), URIBaseID: SRCROOT}
}

// region is a finding's lines and, when known, columns. shiftward's end
// column is the last byte of the span; SARIF's is the one after it.
func region(l scanners.Location) *sarifRegion {
	if l.StartLine <= 0 {
		return nil
	}
	r := &sarifRegion{StartLine: l.StartLine, EndLine: max(l.EndLine, l.StartLine)}
	if l.StartColumn > 0 && l.EndColumn > 0 {
		r.StartColumn, r.EndColumn = l.StartColumn, l.EndColumn+1
	}
	return r
}

// sarifFixOf writes a fix's whole-line edits as SARIF replacements, each
// relative to the file as scanned. Replacing lines s..e deletes from the
// start of line s to the start of line e+1 and inserts the new lines; an
// insertion after line n is an empty region at the start of line n+1.
func sarifFixOf(path string, fx *scanners.Fix) sarifFix {
	edits := fx.Edits()
	slices.SortStableFunc(edits, func(a, b scanners.Edit) int {
		return cmp.Or(cmp.Compare(editStart(a), editStart(b)), -boolCmp(a.Insert, b.Insert))
	})
	change := sarifArtifactChange{ArtifactLocation: artifact(path)}
	for _, e := range edits {
		rep := sarifReplacement{}
		if e.Insert {
			rep.DeletedRegion = sarifRegion{StartLine: e.StartLine + 1, StartColumn: 1, EndLine: e.StartLine + 1, EndColumn: 1}
		} else {
			rep.DeletedRegion = sarifRegion{StartLine: e.StartLine, StartColumn: 1, EndLine: e.EndLine + 1, EndColumn: 1}
		}
		if e.Replacement != "" {
			rep.InsertedContent = &sarifText{Text: e.Replacement + "\n"}
		}
		change.Replacements = append(change.Replacements, rep)
	}
	return sarifFix{
		Description:     sarifText{Text: cmp.Or(fx.Description, "Suggested fix")},
		ArtifactChanges: []sarifArtifactChange{change},
	}
}

// editStart is the line an edit's region starts on.
func editStart(e scanners.Edit) int {
	if e.Insert {
		return e.StartLine + 1
	}
	return e.StartLine
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
