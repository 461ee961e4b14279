package deps_test

import (
	"testing"

	"github.com/shiftward/shiftward/scanners/deps"
)

// TestVersionOrdering: each ecosystem's own rules, at their edge cases.
// Each row says a < b (or a == b when eq).
func TestVersionOrdering(t *testing.T) {
	cases := []struct {
		eco  string
		a, b string
		eq   bool
	}{
		// SemVer 2.0 (npm, crates.io): prerelease precedence, build ignored.
		{"npm", "1.0.0-alpha", "1.0.0-alpha.1", false},
		{"npm", "1.0.0-alpha.1", "1.0.0-alpha.beta", false},
		{"npm", "1.0.0-alpha.beta", "1.0.0-beta", false},
		{"npm", "1.0.0-beta.2", "1.0.0-beta.11", false},
		{"npm", "1.0.0-rc.1", "1.0.0", false},
		{"npm", "1.0.0", "1.0.0+build.5", true},
		{"npm", "4.17.9", "4.17.21", false},
		{"crates.io", "1.6.0", "1.6.1", false},
		{"crates.io", "0.6.14", "1.0.0-alpha.1", false},
		// Go: versions without "v"; pseudo-versions are prereleases.
		{"Go", "0.0.0-20210101000000-abcdefabcdef", "0.0.1", false},
		{"Go", "0.0.0-20210101000000-abcdefabcdef", "0.0.0-20220101000000-abcdefabcdef", false},
		{"Go", "1.2.3", "1.2.4-0.20210101000000-abcdefabcdef", false},
		{"Go", "1.2.4-0.20210101000000-abcdefabcdef", "1.2.4", false},
		{"Go", "1.3.1", "1.3.2", false},
		{"Go", "0.4.0", "0.18.0", false},
		// PEP 440: dev < pre (a, b, rc) < release < post; epochs first.
		{"PyPI", "1.0.dev1", "1.0a1", false},
		{"PyPI", "1.0a1", "1.0b1", false},
		{"PyPI", "1.0b2", "1.0rc1", false},
		{"PyPI", "1.0rc1", "1.0", false},
		{"PyPI", "1.0", "1.0.post1", false},
		{"PyPI", "1.0", "1.0+local.1", false},
		{"PyPI", "2.0", "1!0.1", false},
		{"PyPI", "1.0", "1.0.0", true},
		{"PyPI", "1.11.29", "2.2.24", false},
		{"PyPI", "1.0.0", "2.2.5", false},
		{"PyPI", "1.0RC1", "1.0rc1", true},
		// Maven ComparableVersion: alpha < beta < milestone < rc < snapshot
		// < release < sp; "final"/"ga" are the release.
		{"Maven", "1.0-alpha-1", "1.0-beta-1", false},
		{"Maven", "1.0-beta-1", "1.0-milestone-1", false},
		{"Maven", "1.0-milestone-1", "1.0-rc-1", false},
		{"Maven", "1.0-rc-1", "1.0-SNAPSHOT", false},
		{"Maven", "1.0-SNAPSHOT", "1.0", false},
		{"Maven", "1.0", "1.0-sp-1", false},
		{"Maven", "1.0", "1.0.Final", true},
		{"Maven", "1.0", "1.0-ga", true},
		{"Maven", "4.1.9", "4.1.42.Final", false},
		{"Maven", "2.14.1", "2.15.0", false},
		{"Maven", "9.4.35.v20201120", "9.4.36.v20210114", false},
		// RubyGems: a letter makes a prerelease.
		{"RubyGems", "4.3.3", "4.3.4", false},
		{"RubyGems", "4.0.0.rc.1", "4.0.0", false},
		{"RubyGems", "1.0.0.pre", "1.0.0", false},
		// Composer (Packagist).
		{"Packagist", "1.0.0-beta", "1.0.0-RC1", false},
		{"Packagist", "1.0.0-RC1", "1.0.0", false},
		{"Packagist", "3.4.1", "3.5.0", false},
	}
	for _, c := range cases {
		got, err := deps.Compare(c.eco, c.a, c.b)
		if err != nil {
			t.Errorf("%s %s vs %s: %v", c.eco, c.a, c.b, err)
			continue
		}
		want := -1
		if c.eq {
			want = 0
		}
		if got != want {
			t.Errorf("%s: Compare(%s, %s) = %d, want %d", c.eco, c.a, c.b, got, want)
		}
		if back, _ := deps.Compare(c.eco, c.b, c.a); back != -want {
			t.Errorf("%s: Compare(%s, %s) = %d, want %d", c.eco, c.b, c.a, back, -want)
		}
	}
	if _, err := deps.Compare("NoSuchEcosystem", "1", "2"); err == nil {
		t.Error("unknown ecosystem accepted")
	}
}

func rangeVuln(eco, name, typ string, evs ...deps.Event) deps.Vuln {
	return deps.Vuln{ID: "TEST-1", Affected: []deps.Affected{{
		Package: deps.AffectedPackage{Ecosystem: eco, Name: name},
		Ranges:  []deps.Range{{Type: typ, Events: evs}},
	}}}
}

// TestAffects: OSV's range semantics at the boundaries.
func TestAffects(t *testing.T) {
	intro := func(v string) deps.Event { return deps.Event{Introduced: v} }
	fixed := func(v string) deps.Event { return deps.Event{Fixed: v} }
	last := func(v string) deps.Event { return deps.Event{LastAffected: v} }
	two := rangeVuln("npm", "lodash", "SEMVER", intro("0"), fixed("4.17.21"), intro("5.0.0"), fixed("5.0.2"))
	lastAff := rangeVuln("Maven", "g:a", "ECOSYSTEM", intro("2.0-beta9"), last("2.14.1"))
	pypi := rangeVuln("PyPI", "Django", "ECOSYSTEM", intro("3.0"), fixed("3.1.12"))
	gov := rangeVuln("Go", "golang.org/x/image", "SEMVER", intro("0"), fixed("0.18.0"))
	listed := deps.Vuln{ID: "TEST-2", Affected: []deps.Affected{{Package: deps.AffectedPackage{Ecosystem: "PyPI", Name: "pandas"}, Versions: []string{"0.23.4", "0.24.0"}}}}
	gitOnly := rangeVuln("npm", "x", "GIT", intro("abc"), fixed("def"))
	unsorted := rangeVuln("npm", "y", "ECOSYSTEM", fixed("2.0.0"), intro("1.0.0"))
	cases := []struct {
		v               deps.Vuln
		eco, name, ver  string
		affected, known bool
	}{
		{two, "npm", "lodash", "0.0.1", true, true},
		{two, "npm", "lodash", "4.17.20", true, true},
		{two, "npm", "lodash", "4.17.21", false, true},
		{two, "npm", "lodash", "4.99.0", false, true},
		{two, "npm", "lodash", "5.0.0", true, true},
		{two, "npm", "lodash", "5.0.2", false, true},
		{two, "npm", "lodash", "5.0.2-rc.1", true, true},
		{two, "npm", "other", "1.0.0", false, false},
		{lastAff, "Maven", "g:a", "2.14.1", true, true},
		{lastAff, "Maven", "g:a", "2.14.2", false, true},
		{lastAff, "Maven", "g:a", "2.0-beta8", false, true},
		{lastAff, "Maven", "g:a", "2.0", true, true},
		{pypi, "PyPI", "django", "3.1.11", true, true}, // names compare normalized
		{pypi, "PyPI", "DJANGO", "3.1.12", false, true},
		{pypi, "PyPI", "django", "3.0rc1", false, true},
		{pypi, "PyPI", "django", "2.2.24", false, true},
		{gov, "Go", "golang.org/x/image", "0.0.0-20210101000000-abcdefabcdef", true, true},
		{gov, "Go", "golang.org/x/image", "0.18.0", false, true},
		{listed, "PyPI", "pandas", "0.23.4", true, true},
		{listed, "PyPI", "pandas", "0.23.5", false, true},
		{gitOnly, "npm", "x", "1.0.0", false, false},
		{unsorted, "npm", "y", "1.5.0", true, true},
		{unsorted, "npm", "y", "2.0.0", false, true},
	}
	for _, c := range cases {
		p := deps.Package{Ecosystem: c.eco, Name: c.name, Version: c.ver}
		a, k := deps.Affects(&c.v, p)
		if a != c.affected || k != c.known {
			t.Errorf("%s vs %v: affected %v known %v, want %v %v", p, c.v.Affected[0].Ranges, a, k, c.affected, c.known)
		}
	}
}

// TestMinimalFix: the lowest version that fixes every advisory, moving past
// a fix that another advisory still affects; none when one has no fix.
func TestMinimalFix(t *testing.T) {
	mk := func(id string, evs ...deps.Event) deps.Vuln {
		v := rangeVuln("npm", "pkg", "SEMVER", evs...)
		v.ID = id
		return v
	}
	a := mk("A", deps.Event{Introduced: "0"}, deps.Event{Fixed: "1.2.0"})
	b := mk("B", deps.Event{Introduced: "1.1.0"}, deps.Event{Fixed: "1.1.5"}, deps.Event{Introduced: "1.2.0"}, deps.Event{Fixed: "1.2.3"})
	c := mk("C", deps.Event{Introduced: "0"}, deps.Event{Fixed: "1.0.5"})
	none := mk("N", deps.Event{Introduced: "1.0.0"})
	p := deps.Package{Ecosystem: "npm", Name: "pkg", Version: "1.0.0"}
	for _, tc := range []struct {
		vulns []deps.Vuln
		want  string
		ok    bool
	}{
		{[]deps.Vuln{a}, "1.2.0", true},
		{[]deps.Vuln{c}, "1.0.5", true},
		{[]deps.Vuln{a, c}, "1.2.0", true},
		{[]deps.Vuln{a, b}, "1.2.3", true}, // 1.2.0 fixes A but is in B's second range
		{[]deps.Vuln{a, none}, "", false},
		{nil, "", false},
	} {
		got, ok := deps.MinimalFix(p, tc.vulns)
		if got != tc.want || ok != tc.ok {
			t.Errorf("MinimalFix(%d vulns) = %q %v, want %q %v", len(tc.vulns), got, ok, tc.want, tc.ok)
		}
	}
}
