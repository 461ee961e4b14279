package deps

import (
	"fmt"
	"slices"

	"github.com/google/osv-scalibr/semantic"
)

// Compare orders two versions by the rules of ecosystem: semver with
// prereleases for npm, Go (pseudo-versions are prereleases of their base),
// crates.io; PEP 440 for PyPI (epochs, pre, post, dev, local); Maven's
// ComparableVersion (qualifiers alpha < beta < milestone < rc < snapshot <
// release < sp); RubyGems; Composer for Packagist. It returns -1, 0 or +1,
// or an error when a version cannot be read in that ecosystem.
//
// The ordering is osv-scalibr's semantic package, which is what OSV itself
// uses to evaluate ECOSYSTEM ranges.
func Compare(ecosystem, a, b string) (int, error) {
	va, err := parseVersion(ecosystem, a)
	if err != nil {
		return 0, err
	}
	return va.CompareStr(b)
}

func parseVersion(ecosystem, s string) (semantic.Version, error) {
	if s == "" {
		return nil, fmt.Errorf("empty %s version", ecosystem)
	}
	return semantic.Parse(s, baseEcosystem(ecosystem))
}

// matcher evaluates one package's version against records, parsing each
// event version once per call.
type matcher struct {
	eco  string
	name string
	ver  semantic.Version
	raw  string
}

func newMatcher(p Package) (*matcher, error) {
	v, err := parseVersion(p.Ecosystem, p.Version)
	if err != nil {
		return nil, err
	}
	return &matcher{eco: baseEcosystem(p.Ecosystem), name: NormalizeName(p.Ecosystem, p.Name), ver: v, raw: p.Version}, nil
}

// rangeEval is how one record's ranges judge a version.
type rangeEval struct {
	// known is true when the record has a range or version list for the
	// package that the scanner can evaluate (ECOSYSTEM, SEMVER, versions).
	known    bool
	affected bool
	// nextFix is the lowest "fixed" version above the version in a range
	// that affects it ("" when none).
	nextFix string
}

// Affects reports whether record v affects package p by OSV's rules: p's
// version is listed in versions, or lies in an ECOSYSTEM or SEMVER range
// (introduced ≤ version < fixed, or ≤ last_affected). GIT ranges are not
// evaluated. known is false when the record has nothing evaluable for p
// (then the caller should trust its source).
func Affects(v *Vuln, p Package) (affected, known bool) {
	m, err := newMatcher(p)
	if err != nil {
		return false, false
	}
	e := m.eval(v)
	return e.affected, e.known
}

func (m *matcher) eval(v *Vuln) rangeEval {
	var out rangeEval
	for i := range v.Affected {
		a := &v.Affected[i]
		if baseEcosystem(a.Package.Ecosystem) != m.eco || NormalizeName(m.eco, a.Package.Name) != m.name {
			continue
		}
		if len(a.Versions) > 0 {
			out.known = true
			for _, s := range a.Versions {
				if s == m.raw {
					out.affected = true
					break
				}
				if c, err := m.ver.CompareStr(s); err == nil && c == 0 {
					out.affected = true
					break
				}
			}
		}
		for j := range a.Ranges {
			r := &a.Ranges[j]
			var eco string
			switch r.Type {
			case "ECOSYSTEM":
				eco = m.eco
			case "SEMVER":
				eco = "npm" // plain SemVer 2.0 ordering
			default:
				continue
			}
			ver := m.ver
			if eco != m.eco {
				sv, err := parseVersion(eco, m.raw)
				if err != nil {
					continue
				}
				ver = sv
			}
			hit, fix, ok := evalRange(eco, ver, r.Events)
			if !ok {
				continue
			}
			out.known = true
			if hit {
				out.affected = true
				if fix != "" && (out.nextFix == "" || lessIn(eco, fix, out.nextFix)) {
					out.nextFix = fix
				}
			}
		}
	}
	return out
}

// event is a parsed range event.
type event struct {
	kind string // introduced, fixed, last_affected
	raw  string
	zero bool // introduced "0": below every version
	v    semantic.Version
}

// evalRange applies OSV's range algorithm to one range: events sorted by
// version; an introduced at or below ver makes it affected, a fixed at or
// below it (or a last_affected below it) unaffected again. It returns the
// lowest fixed event above ver when ver is affected, and ok=false when an
// event cannot be parsed.
func evalRange(eco string, ver semantic.Version, evs []Event) (affected bool, nextFix string, ok bool) {
	parsed := make([]event, 0, len(evs))
	for _, e := range evs {
		var ev event
		switch {
		case e.Introduced != "":
			ev = event{kind: "introduced", raw: e.Introduced, zero: e.Introduced == "0"}
		case e.Fixed != "":
			ev = event{kind: "fixed", raw: e.Fixed}
		case e.LastAffected != "":
			ev = event{kind: "last_affected", raw: e.LastAffected}
		default:
			continue // limit: only bounds GIT ranges
		}
		if !ev.zero {
			pv, err := parseVersion(eco, ev.raw)
			if err != nil {
				return false, "", false
			}
			ev.v = pv
		}
		parsed = append(parsed, ev)
	}
	if len(parsed) == 0 {
		return false, "", false
	}
	slices.SortStableFunc(parsed, func(a, b event) int {
		switch {
		case a.zero && b.zero:
			return 0
		case a.zero:
			return -1
		case b.zero:
			return 1
		}
		c, err := a.v.Compare(b.v)
		if err != nil {
			return 0
		}
		return c
	})
	for i, e := range parsed {
		if e.zero {
			affected = true
			continue
		}
		c, err := ver.Compare(e.v) // ver vs event
		if err != nil {
			return false, "", false
		}
		switch e.kind {
		case "introduced":
			if c >= 0 {
				affected = true
			}
		case "fixed":
			if c >= 0 {
				affected = false
			}
		case "last_affected":
			if c > 0 {
				affected = false
			}
		}
		if c < 0 {
			// Events are sorted: nothing after this one is at or below ver.
			if affected {
				for _, f := range parsed[i:] {
					if f.kind == "fixed" {
						nextFix = f.raw
						break
					}
					if f.kind == "last_affected" {
						break
					}
				}
			}
			return affected, nextFix, true
		}
	}
	return affected, "", true
}

func lessIn(eco, a, b string) bool {
	c, err := Compare(eco, a, b)
	return err == nil && c < 0
}

// MinimalFix returns the lowest version of p's package that none of vulns
// affects and that is a "fixed" version of one of them: starting from p's
// version, it moves to the highest next fix among the records that still
// affect the candidate, until none does. ok is false when some record
// affecting a candidate names no fix (there is no fixed version to offer).
func MinimalFix(p Package, vulns []Vuln) (version string, ok bool) {
	cand := p
	for range 32 {
		m, err := newMatcher(cand)
		if err != nil {
			return "", false
		}
		next := ""
		for i := range vulns {
			e := m.eval(&vulns[i])
			if !e.affected {
				continue
			}
			if e.nextFix == "" {
				return "", false
			}
			if next == "" || lessIn(m.eco, next, e.nextFix) {
				next = e.nextFix
			}
		}
		if next == "" {
			if cand.Version == p.Version {
				return "", false
			}
			return cand.Version, true
		}
		if c, err := Compare(m.eco, next, cand.Version); err != nil || c <= 0 {
			return "", false // a fix at or below the candidate: inconsistent record
		}
		cand.Version = next
	}
	return "", false
}
