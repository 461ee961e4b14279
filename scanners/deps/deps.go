// Package deps finds vulnerable dependencies a change adds: it reads the
// manifests and lockfiles the change touches (go.mod, package.json,
// package-lock.json, yarn.lock, pnpm-lock.yaml, requirements*.txt,
// poetry.lock, Pipfile.lock, uv.lock, pom.xml, Cargo.lock, Gemfile.lock,
// composer.lock), asks an advisory source (OSV) about their packages in one
// query per change, and reports each vulnerable one with its advisories:
// those whose entry the change adds or edits on the line it touches with, on
// a manifest, a suggestion that bumps the version to the lowest one that
// fixes every advisory; the others (scanners.Run marks them pre-existing)
// at their version line, listed apart.
//
// The package parses and matches only: the advisory source is the
// Advisories interface, implemented against OSV's API and its offline
// exports in app/osv.
package deps

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// Name is the scanner's name and the prefix of its rule ids.
const Name = "deps"

// RuleID is the rule of every finding: a dependency with known
// vulnerabilities. One finding per package entry lists all its advisories,
// so one suggestion bumps past all of them.
const RuleID = Name + "/vulnerable-dependency"

// Title is the static title of RuleID.
const Title = "Dependency with known vulnerabilities"

// maxFileBytes bounds the manifests and lockfiles the scanner parses; a
// larger one is reported as not scanned (scanners.ErrBound).
const maxFileBytes = scanners.MaxParseBytes

// Scanner reports vulnerable dependencies in the manifests and lockfiles a
// change touches. It is safe for concurrent use.
type Scanner struct {
	src Advisories
}

var (
	_ scanners.Scanner        = (*Scanner)(nil)
	_ scanners.ContentScanner = (*Scanner)(nil)
	_ scanners.BatchScanner   = (*Scanner)(nil)
)

// New returns a scanner that asks src about the packages a change adds.
func New(src Advisories) *Scanner { return &Scanner{src: src} }

// Name returns "deps".
func (s *Scanner) Name() string { return Name }

// kind is a supported file format.
type kind int

const (
	kindNone kind = iota
	kindGoMod
	kindPackageJSON
	kindPackageLock
	kindYarnLock
	kindPnpmLock
	kindRequirements
	kindPoetryLock
	kindPipfileLock
	kindUVLock
	kindPom
	kindCargoLock
	kindGemfileLock
	kindComposerLock
)

// manifests are the files the scanner reads, by the exact name their
// package managers give them; requirements files (*requirements*.txt) are
// matched by pattern in fileKind.
var manifests = []struct {
	name string
	kind kind
}{
	{"go.mod", kindGoMod},
	{"package.json", kindPackageJSON},
	{"package-lock.json", kindPackageLock},
	{"npm-shrinkwrap.json", kindPackageLock},
	{"yarn.lock", kindYarnLock},
	{"pnpm-lock.yaml", kindPnpmLock},
	{"poetry.lock", kindPoetryLock},
	{"Pipfile.lock", kindPipfileLock},
	{"uv.lock", kindUVLock},
	{"pom.xml", kindPom},
	{"Cargo.lock", kindCargoLock},
	{"Gemfile.lock", kindGemfileLock},
	{"gems.locked", kindGemfileLock},
	{"composer.lock", kindComposerLock},
}

// requirementsFiles is how Rules names the requirements files fileKind
// matches by pattern.
const requirementsFiles = "*requirements*.txt"

// fileKind tells the format of a path by its name, as the package managers
// name their files.
func fileKind(p string) kind {
	for _, dir := range strings.Split(path.Dir(p), "/") {
		if dir == "node_modules" || dir == "vendor" {
			return kindNone // installed copies, not the project's own
		}
	}
	base := path.Base(p)
	for _, m := range manifests {
		if m.name == base {
			return m.kind
		}
	}
	if strings.HasSuffix(base, ".txt") && strings.Contains(strings.ToLower(base), "requirements") {
		return kindRequirements
	}
	return kindNone
}

// Wants reports whether path is a manifest or lockfile the scanner reads.
func (s *Scanner) Wants(p string) bool { return fileKind(p) != kindNone }

// NeedsContent is true for every wanted file: a lockfile entry's package
// and version are spread over lines the change may not add.
func (s *Scanner) NeedsContent(p string) bool { return s.Wants(p) }

// Scan scans one file; a change's files should go through ScanBatch, which
// asks the advisory source once for all of them.
func (s *Scanner) Scan(ctx context.Context, in *Input) ([]scanners.Finding, error) {
	return s.ScanBatch(ctx, []*Input{in})
}

// Input is scanners.Input, named here for brevity.
type Input = scanners.Input

// touched is an entry of a file the change touches.
type touched struct {
	in   *Input
	kind kind
	e    entry
	// at is the line the finding points at: the line of the entry the
	// change adds (see entriesOf), else the version line.
	at    int
	lines *lineIndex
	// added is the file's added lines: only a finding the change
	// introduces (scanners.Introduced) gets a fix.
	added scanners.AddedSet
}

// ScanBatch parses every wanted file, queries the advisory source once for
// the distinct packages of its entries, and returns one finding per
// vulnerable package of a file, each with the lines whose change introduces
// it (scanners.Run's Scope marks the others pre-existing). A file that cannot be parsed is reported
// in the error (the scan is incomplete) while the others are still scanned;
// when the source cannot answer, the error says so and no finding claims
// the packages are safe.
func (s *Scanner) ScanBatch(ctx context.Context, ins []*Input) ([]scanners.Finding, error) {
	var errs []error
	var all []touched
	for _, in := range ins {
		k := fileKind(in.Path)
		if k == kindNone || len(in.Added) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		es, x, err := parseInput(ctx, k, in)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", in.Path, err))
			continue
		}
		all = append(all, entriesOf(in, k, es, x)...)
	}
	if len(all) == 0 {
		return nil, errors.Join(errs...)
	}
	index := map[Package]int{}
	var pkgs []Package
	for _, t := range all {
		if _, ok := index[t.e.pkg]; !ok {
			index[t.e.pkg] = len(pkgs)
			pkgs = append(pkgs, t.e.pkg)
		}
	}
	if s.src == nil {
		return nil, errors.Join(append(errs, errors.New("no advisory source configured"))...)
	}
	res, err := s.src.Query(ctx, pkgs)
	if err == nil && len(res) != len(pkgs) {
		err = fmt.Errorf("advisory source answered %d of %d packages", len(res), len(pkgs))
	}
	if err != nil {
		return nil, errors.Join(append(errs, fmt.Errorf("dependency scan incomplete: %d packages could not be checked: %w", len(pkgs), err))...)
	}
	var out []scanners.Finding
	for _, t := range all {
		vulns := relevant(t.e.pkg, res[index[t.e.pkg]])
		if len(vulns) == 0 {
			continue
		}
		out = append(out, finding(t, vulns))
	}
	return shareFixes(out), errors.Join(errs...)
}

// shareFixes keeps one suggestion per line: entries that take their
// version from one line (a Maven property used by several artifacts) would
// otherwise each suggest their own version for it. The finding whose
// suggestion sets the highest version keeps it (it is the one every
// artifact needs, as they move together); the others point at it.
func shareFixes(fs []scanners.Finding) []scanners.Finding {
	type key struct {
		path string
		line int
	}
	best := map[key]int{}
	for i, f := range fs {
		if f.Fix == nil {
			continue
		}
		k := key{f.Location.Path, f.Fix.StartLine}
		j, ok := best[k]
		if !ok {
			best[k] = i
			continue
		}
		a, b := fixVersion(fs[j]), fixVersion(fs[i])
		eco := splitPkg(fs[i].Identity).Ecosystem
		if c, err := Compare(eco, b, a); err == nil && c > 0 {
			best[k] = i
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.Fix == nil {
			continue
		}
		if j := best[key{f.Location.Path, f.Fix.StartLine}]; j != i {
			f.Message += fmt.Sprintf("\nThe version on line %d is shared with %s, whose suggestion sets %s.", f.Fix.StartLine, splitPkg(fs[j].Identity).Name, fixVersion(fs[j]))
			f.Fix = nil
		}
	}
	return fs
}

// fixVersion is the version a finding's suggestion sets.
func fixVersion(f scanners.Finding) string {
	if f.Fix == nil {
		return ""
	}
	_, v, _ := strings.Cut(f.Fix.Description, " to ")
	return v
}

// splitPkg reads an identity "ecosystem/name@version" back.
func splitPkg(id string) Package {
	slash := strings.IndexByte(id, '/')
	at := strings.LastIndexByte(id, '@')
	if slash < 0 || at < slash {
		return Package{}
	}
	return Package{Ecosystem: id[:slash], Name: id[slash+1 : at], Version: id[at+1:]}
}

// parseInput parses one file. Without its content only a requirements file
// (one requirement per line) can be read, from its added lines; any other
// format needs the whole file.
func parseInput(ctx context.Context, k kind, in *Input) ([]entry, *lineIndex, error) {
	data := in.Content
	if data == nil {
		if k != kindRequirements {
			return nil, nil, errors.New("the file's content could not be read, and a lockfile or manifest cannot be judged from its added lines alone")
		}
		data = contentFromAdded(in.Added)
	}
	if len(data) > maxFileBytes {
		return nil, nil, scanners.TooLarge(maxFileBytes)
	}
	es, err := parse(ctx, k, in.Path, data)
	if err != nil {
		return nil, nil, err
	}
	return es, newLineIndex(data), nil
}

// contentFromAdded lays the added lines out at their line numbers, blank
// lines between.
func contentFromAdded(added []scanners.Line) []byte {
	var b strings.Builder
	n := 1
	for _, l := range added {
		for ; n < l.Number; n++ {
			b.WriteByte('\n')
		}
		b.WriteString(l.Text)
		b.WriteByte('\n')
		n++
	}
	return []byte(b.String())
}

func parse(ctx context.Context, k kind, p string, data []byte) ([]entry, error) {
	switch k {
	case kindGoMod:
		return parseGoMod(p, data)
	case kindPackageJSON:
		return parsePackageJSON(data)
	case kindPackageLock:
		return parsePackageLock(data)
	case kindYarnLock:
		return parseYarnLock(ctx, data)
	case kindPnpmLock:
		return parsePnpmLock(ctx, data)
	case kindRequirements:
		return parseRequirements(data)
	case kindPoetryLock:
		return parsePoetryLock(data)
	case kindPipfileLock:
		return parsePipfileLock(data)
	case kindUVLock:
		return parseUVLock(data)
	case kindPom:
		return parsePom(data)
	case kindCargoLock:
		return parseCargoLock(data)
	case kindGemfileLock:
		return parseGemfileLock(data)
	case kindComposerLock:
		return parseComposerLock(data)
	}
	return nil, nil
}

// entriesOf lists the entries of one file, once per package: first those
// whose version line, defining line or block the change adds a line of,
// each pointing at that line (the version line when added, else the
// defining line, else the block's first added line); then, up to
// maxUnchanged, the others, at their version line. Whether the change
// introduced each is Scope's to decide; the order only picks, for a
// package listed twice, the entry the change touched.
func entriesOf(in *Input, k kind, es []entry, x *lineIndex) []touched {
	added := in.AddedSet()
	seen := map[Package]bool{}
	var out, unchanged []touched
	for _, e := range es {
		at := addedLineOf(e, added)
		if at == 0 {
			if e.line > 0 && len(unchanged) < maxUnchanged {
				unchanged = append(unchanged, touched{in: in, kind: k, e: e, at: e.line, lines: x, added: added})
			}
			continue
		}
		if seen[e.pkg] {
			continue
		}
		seen[e.pkg] = true
		out = append(out, touched{in: in, kind: k, e: e, at: at, lines: x, added: added})
	}
	for _, t := range unchanged {
		if !seen[t.e.pkg] {
			seen[t.e.pkg] = true
			out = append(out, t)
		}
	}
	return out
}

// addedLineOf is the line of e the change adds that its finding points at:
// the version line, else the defining line, else the block's first added
// line; 0 when the change adds none of them.
func addedLineOf(e entry, added scanners.AddedSet) int {
	switch {
	case e.line > 0 && added.Any(e.line, e.line):
		return e.line
	case e.defLine > 0 && added.Any(e.defLine, e.defLine):
		return e.defLine
	}
	if e.start > 0 {
		if l, ok := added.First(e.start, e.end); ok {
			return l
		}
	}
	return 0
}

// scopeOf is the lines of e whose change introduces its finding: its
// version line, its defining line and its block.
func scopeOf(e entry) []scanners.LineRange {
	var out []scanners.LineRange
	for _, r := range []scanners.LineRange{{Start: e.line, End: e.line}, {Start: e.defLine, End: e.defLine}, {Start: e.start, End: e.end}} {
		if r.Start > 0 && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// maxUnchanged bounds the entries of one file that the change does not
// touch and that are checked for the summary's "already there" list: a
// huge lockfile costs one advisory query per distinct package.
const maxUnchanged = scanners.MaxPreexisting

// relevant drops withdrawn records and records that, by their own ranges,
// do not affect p (a source may be stale or match loosely); a record whose
// ranges the scanner cannot evaluate is trusted to the source. The result
// is sorted by severity, then id.
func relevant(p Package, vs []Vuln) []Vuln {
	var out []Vuln
	seen := map[string]bool{}
	for _, v := range vs {
		if v.Withdrawn != "" || v.ID == "" || seen[v.ID] {
			continue
		}
		if affected, known := Affects(&v, p); known && !affected {
			continue
		}
		seen[v.ID] = true
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Vuln) int {
		ga, gb := vulnGrade(&a), vulnGrade(&b)
		if ga.sev != gb.sev {
			return int(gb.sev) - int(ga.sev)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
