package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shiftward/shiftward/scanners"
)

// The JUnit XML shapes GitLab's test reports and Jenkins' JUnit plugin
// read: testsuites > testsuite > testcase, a testcase failing with
// <failure>, erring with <error>, or <skipped>.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes r as JUnit XML: a testsuite per scanner, in the order they
// ran; a failing testcase per finding the change introduces (its type the
// severity, its text the rule, location, fingerprint, message and fix); a
// skipped one per pre-existing finding (the review never fails on those);
// an erring one per part of the scan that could not be done; and one
// passing testcase for a scanner that found nothing and could scan
// everything. What could not be listed or read at all, and configuration
// problems, are errors of the suites "files" and "config".
func JUnit(w io.Writer, r *Run) error {
	suites := map[string]*junitSuite{}
	var order []string
	suite := func(name string) *junitSuite {
		s, ok := suites[name]
		if !ok {
			s = &junitSuite{Name: name}
			suites[name] = s
			order = append(order, name)
		}
		return s
	}
	durations := map[string]time.Duration{}
	for _, st := range r.Statuses {
		suite(st.Scanner)
		durations[st.Scanner] += st.Duration
	}
	for _, f := range r.Findings {
		s := suite(scannerOf(&f))
		s.Cases = append(s.Cases, findingCase(&f))
	}
	for _, f := range r.Preexisting {
		s := suite(scannerOf(&f))
		c := findingCase(&f)
		c.Failure = nil
		c.Skipped = &junitSkipped{Message: "pre-existing: already in the file before this change, not part of the verdict"}
		s.Cases = append(s.Cases, c)
	}
	for _, g := range r.Gaps() {
		s := suite(g.Scanner)
		s.Cases = append(s.Cases, junitCase{
			Name: "not scanned: " + clip(g.Text, 200), Classname: "shiftward." + g.Scanner, Time: "0",
			Error: &junitProblem{Message: clip(g.Text, 1000), Type: "not-scanned", Text: g.Text},
		})
	}
	for _, p := range r.Problems {
		s := suite("config")
		s.Cases = append(s.Cases, junitCase{
			Name: "configuration: " + clip(p, 200), Classname: "shiftward.config", Time: "0",
			Error: &junitProblem{Message: clip(p, 1000), Type: "configuration", Text: p},
		})
	}

	out := junitSuites{Name: "shiftward"}
	var total time.Duration
	stamp := ""
	if !r.Start.IsZero() {
		stamp = r.Start.UTC().Format("2006-01-02T15:04:05")
	}
	for _, name := range order {
		s := suites[name]
		failing := false
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				s.Failures++
				failing = true
			case c.Error != nil:
				s.Errors++
				failing = true
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		if !failing {
			what := "no findings"
			if s.Skipped > 0 {
				what = "no findings introduced"
			}
			s.Cases = append(s.Cases, junitCase{Name: name + ": " + what, Classname: "shiftward." + name, Time: seconds(durations[name])})
		}
		s.Tests = len(s.Cases)
		s.Time = seconds(durations[name])
		s.Timestamp = stamp
		total += durations[name]
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, *s)
	}
	if !r.Start.IsZero() && r.End.After(r.Start) {
		total = r.End.Sub(r.Start)
	}
	out.Time = seconds(total)

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// findingCase is a failing testcase for one finding.
func findingCase(f *scanners.Finding) junitCase {
	l := f.Location
	var text strings.Builder
	fmt.Fprintf(&text, "rule: %s\nseverity: %s\nlocation: %s\nfingerprint: %s\n", f.RuleID, f.Severity, location(l), f.Fingerprint())
	if f.Evidence != "" {
		fmt.Fprintf(&text, "evidence: %s\n", f.Evidence)
	}
	if f.Message != "" {
		fmt.Fprintf(&text, "\n%s\n", f.Message)
	}
	if f.Fix != nil && !f.Preexisting {
		fmt.Fprintf(&text, "\nfix: %s\n", cmp.Or(f.Fix.Description, "a suggested change"))
	}
	if len(f.References) > 0 {
		fmt.Fprintf(&text, "\nreferences: %s\n", strings.Join(f.References, ", "))
	}
	return junitCase{
		Name:      fmt.Sprintf("%s at %s", f.RuleID, location(l)),
		Classname: "shiftward." + scannerOf(f),
		File:      l.Path,
		Line:      l.StartLine,
		Time:      "0",
		Failure: &junitProblem{
			Message: fmt.Sprintf("%s: %s", f.Severity, cmp.Or(f.Title, f.RuleID)),
			Type:    f.Severity.String(),
			Text:    text.String(),
		},
	}
}

// seconds is a duration as JUnit's time attribute.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
