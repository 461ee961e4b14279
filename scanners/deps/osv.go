package deps

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
)

// Package is one dependency at one version, named as OSV names it.
type Package struct {
	// Ecosystem is OSV's ecosystem name: "Go", "npm", "PyPI", "Maven",
	// "crates.io", "RubyGems", "Packagist".
	Ecosystem string `json:"ecosystem"`
	// Name is the package name in that ecosystem ("lodash",
	// "org.apache.logging.log4j:log4j-core", "github.com/gin-gonic/gin").
	Name string `json:"name"`
	// Version is the exact version, without a Go "v" prefix
	// ("1.9.1", "0.0.0-20210101000000-abcdef012345").
	Version string `json:"version"`
}

// String is "ecosystem/name@version", the package's identity in findings.
func (p Package) String() string { return p.Ecosystem + "/" + p.Name + "@" + p.Version }

// ParsePackage reads a package back from its String form, the identity
// (and evidence) of a dependency finding. OSV's ecosystem names hold no
// "/" and versions no "@", while names may hold both ("@types/node",
// "github.com/gin-gonic/gin"): the first "/" and the last "@" split it.
func ParsePackage(s string) (Package, bool) {
	eco, rest, ok := strings.Cut(s, "/")
	at := strings.LastIndexByte(rest, '@')
	if !ok || eco == "" || at <= 0 || at == len(rest)-1 {
		return Package{}, false
	}
	return Package{Ecosystem: eco, Name: rest[:at], Version: rest[at+1:]}, true
}

// Advisories is where the scanner learns which advisories affect a
// package: OSV's API (app/osv.New) or an offline copy of its exports
// (app/osv.Offline). The scanner makes one Query call per change.
type Advisories interface {
	// Query returns, for each package (same order, same length), the
	// advisories that affect it. An error means the answer is unknown (OSV
	// unreachable): the scanner then reports the scan incomplete, never
	// "no vulnerabilities".
	Query(ctx context.Context, pkgs []Package) ([][]Vuln, error)
}

// ErrUnavailable is wrapped by Advisories implementations when the advisory
// source cannot be reached or did not answer in time.
var ErrUnavailable = errors.New("advisory source unavailable")

// Vuln is the part of an OSV record (https://ossf.github.io/osv-schema/)
// the scanner uses. It decodes OSV's JSON as served by api.osv.dev and in
// the per-ecosystem exports.
type Vuln struct {
	ID               string          `json:"id"`
	Modified         string          `json:"modified,omitempty"`
	Published        string          `json:"published,omitempty"`
	Withdrawn        string          `json:"withdrawn,omitempty"`
	Aliases          []string        `json:"aliases,omitempty"`
	Summary          string          `json:"summary,omitempty"`
	Details          string          `json:"details,omitempty"`
	Severity         []Severity      `json:"severity,omitempty"`
	Affected         []Affected      `json:"affected,omitempty"`
	References       []Reference     `json:"references,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// Severity is one OSV severity entry: a CVSS vector with its type.
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected is one affected package of a record with its version ranges.
type Affected struct {
	Package          AffectedPackage `json:"package"`
	Ranges           []Range         `json:"ranges,omitempty"`
	Versions         []string        `json:"versions,omitempty"`
	DatabaseSpecific json.RawMessage `json:"database_specific,omitempty"`
}

// AffectedPackage names the package an Affected entry is about.
type AffectedPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Purl      string `json:"purl,omitempty"`
}

// Range is a version range: events ordered by version, introduced opening
// and fixed / last_affected closing an affected interval.
type Range struct {
	Type   string  `json:"type"`
	Repo   string  `json:"repo,omitempty"`
	Events []Event `json:"events"`
}

// Event is one range event; exactly one field is set.
type Event struct {
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	Limit        string `json:"limit,omitempty"`
}

// Reference is a link from a record.
type Reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// NormalizeName returns the form of a package name OSV compares: PyPI names
// per PEP 503 (lower case, runs of "-", "_", "." as one "-"); other
// ecosystems as they are.
func NormalizeName(ecosystem, name string) string {
	if baseEcosystem(ecosystem) != "PyPI" {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// baseEcosystem drops an ecosystem's ":suffix" ("Debian:12" → "Debian").
func baseEcosystem(e string) string {
	if i := strings.IndexByte(e, ':'); i >= 0 {
		return e[:i]
	}
	return e
}
