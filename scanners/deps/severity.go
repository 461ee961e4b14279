package deps

import (
	"encoding/json"
	"fmt"
	"strings"

	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/shiftward/shiftward/scanners"
)

// grade is an advisory's severity and where it came from.
type grade struct {
	sev scanners.Severity
	// score is the CVSS base score (0 when not computed from a vector).
	score float64
	// source says how the grade was reached: "CVSS 3.1 9.8",
	// "database: HIGH", "not rated".
	source string
}

// vulnGrade grades a record: the highest CVSS base score among its vectors
// (v4.0, v3.1, v3.0), else the database's own severity (GitHub's
// database_specific.severity), else medium, marked as not rated (the Go
// vulnerability database deliberately assigns none).
func vulnGrade(v *Vuln) grade {
	best := grade{}
	for _, s := range v.Severity {
		score, label, ok := cvssScore(s)
		if !ok {
			continue
		}
		if best.source == "" || score > best.score {
			best = grade{sev: severityForScore(score), score: score, source: fmt.Sprintf("%s %.1f", label, score)}
		}
	}
	if best.source != "" {
		return best
	}
	if db := databaseSeverity(v.DatabaseSpecific); db != "" {
		if sev, ok := severityForWord(db); ok {
			return grade{sev: sev, source: "database: " + db}
		}
	}
	for i := range v.Affected {
		if db := databaseSeverity(v.Affected[i].DatabaseSpecific); db != "" {
			if sev, ok := severityForWord(db); ok {
				return grade{sev: sev, source: "database: " + db}
			}
		}
	}
	return grade{sev: scanners.SeverityMedium, source: "not rated by its database; treated as medium"}
}

// cvssScore computes the base score of one OSV severity entry.
func cvssScore(s Severity) (score float64, label string, ok bool) {
	vec := strings.TrimSpace(s.Score)
	switch {
	case strings.HasPrefix(vec, "CVSS:4.0/"):
		c, err := gocvss40.ParseVector(vec)
		if err != nil {
			return 0, "", false
		}
		return c.Score(), "CVSS 4.0", true
	case strings.HasPrefix(vec, "CVSS:3.1/"):
		c, err := gocvss31.ParseVector(vec)
		if err != nil {
			return 0, "", false
		}
		return c.BaseScore(), "CVSS 3.1", true
	case strings.HasPrefix(vec, "CVSS:3.0/"):
		c, err := gocvss30.ParseVector(vec)
		if err != nil {
			return 0, "", false
		}
		return c.BaseScore(), "CVSS 3.0", true
	}
	return 0, "", false
}

// severityForScore maps a CVSS base score to its qualitative rating
// (CVSS v3.1 specification, section 5: 0.1-3.9 low, 4.0-6.9 medium,
// 7.0-8.9 high, 9.0-10.0 critical; 0 none).
func severityForScore(s float64) scanners.Severity {
	switch {
	case s >= 9.0:
		return scanners.SeverityCritical
	case s >= 7.0:
		return scanners.SeverityHigh
	case s >= 4.0:
		return scanners.SeverityMedium
	case s > 0:
		return scanners.SeverityLow
	}
	return scanners.SeverityInfo
}

// severityForWord reads GitHub's and other databases' severity words.
func severityForWord(w string) (scanners.Severity, bool) {
	switch strings.ToUpper(strings.TrimSpace(w)) {
	case "CRITICAL":
		return scanners.SeverityCritical, true
	case "HIGH", "IMPORTANT":
		return scanners.SeverityHigh, true
	case "MODERATE", "MEDIUM":
		return scanners.SeverityMedium, true
	case "LOW":
		return scanners.SeverityLow, true
	}
	return scanners.SeverityUnknown, false
}

func databaseSeverity(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var ds struct {
		Severity any `json:"severity"`
	}
	if json.Unmarshal(raw, &ds) != nil {
		return ""
	}
	if s, ok := ds.Severity.(string); ok {
		return s
	}
	return ""
}
