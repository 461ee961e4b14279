package deps

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

// finding builds the one finding of a vulnerable entry.
func finding(t touched, vulns []Vuln) scanners.Finding {
	p := t.e.pkg
	sev := scanners.SeverityUnknown
	var refs []string
	for _, g := range groupAliases(vulns) {
		sev = max(sev, g.grade.sev)
	}
	for i := range vulns {
		refs = append(refs, vulns[i].ID)
		refs = append(refs, vulns[i].Aliases...)
	}
	for i := range vulns {
		refs = append(refs, advisoryURL(vulns[i].ID))
	}
	fixVer, fixable := MinimalFix(p, vulns)

	var b strings.Builder
	subject := fmt.Sprintf("%s %s (%s)", p.Name, p.Version, p.Ecosystem)
	if t.e.spec != "" {
		subject = fmt.Sprintf("%s %s (%s) allows %s, which", p.Name, t.e.spec, p.Ecosystem, p.Version)
	}
	groups := groupAliases(vulns)
	if len(groups) == 1 {
		fmt.Fprintf(&b, "%s is affected by a known vulnerability:\n", subject)
	} else {
		fmt.Fprintf(&b, "%s is affected by %d known vulnerabilities:\n", subject, len(groups))
	}
	for _, g := range groups {
		b.WriteString(describe(g, p))
	}

	f := scanners.Finding{
		Scanner:    Name,
		RuleID:     RuleID,
		Severity:   sev,
		Title:      Title,
		Location:   scanners.Location{Path: t.in.Path, StartLine: t.at, EndLine: t.at},
		References: dedupe(refs),
		Evidence:   p.String(),
		Identity:   p.String(),
		Scope:      scopeOf(t.e),
	}
	if !scanners.Introduced(&f, t.added) {
		// Pre-existing (Run's Scope marks it so): no fix, nobody sees one.
		if fixable {
			fmt.Fprintf(&b, "\nThis change does not touch it; upgrading to %s fixes every advisory above.", fixVer)
		}
		f.Message = b.String()
		return f
	}
	switch {
	case !fixable:
		b.WriteString("\nNo fixed version is known for every advisory above, so there is no version to upgrade to: remove or replace the dependency, or apply the mitigations the advisories describe.")
	case t.e.fixLine > 0:
		if fx := makeFix(t, fixVer); fx != nil && fx.StartLine == t.at {
			f.Fix = fx
			fmt.Fprintf(&b, "\nUpgrade to %s, the lowest version that fixes all of them.%s", fixVer, afterFix(t.kind))
		} else {
			fmt.Fprintf(&b, "\nUpgrade to %s, the lowest version that fixes all of them: set it on line %d.%s", fixVer, t.e.fixLine, afterFix(t.kind))
		}
	default:
		fmt.Fprintf(&b, "\nThe lowest version that fixes all of them is %s. %s", fixVer, lockfileAdvice(t.kind, p, fixVer))
	}
	f.Message = b.String()
	return f
}

// advisory is one vulnerability as the reader sees it: the records of
// several databases that alias each other (GHSA, GO, PYSEC) merged, the
// most informative first.
type advisory struct {
	v       *Vuln // the primary record: graded by CVSS if any has it
	aliases []string
	grade   grade
}

// groupAliases merges records that name each other as aliases, keeping
// the input order of each group's first record. A group's grade is the best
// any of its records has (the Go and PyPI databases rate nothing; GitHub's
// record of the same flaw does).
func groupAliases(vulns []Vuln) []*advisory {
	parent := make([]int, len(vulns))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i := range vulns {
		for _, id := range append([]string{vulns[i].ID}, vulns[i].Aliases...) {
			if j, ok := owner[id]; ok {
				a, b := find(i), find(j)
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
			} else {
				owner[id] = i
			}
		}
	}
	var out []*advisory
	byRoot := map[int]*advisory{}
	for i := range vulns {
		r := find(i)
		g := vulnGrade(&vulns[i])
		a, ok := byRoot[r]
		if !ok {
			a = &advisory{v: &vulns[i], grade: g}
			byRoot[r] = a
			out = append(out, a)
			continue
		}
		if g.score > a.grade.score || a.grade.score == 0 && g.source != "" && strings.HasPrefix(a.grade.source, "not rated") {
			a.v, a.grade = &vulns[i], g
		}
	}
	for i := range vulns {
		a := byRoot[find(i)]
		for _, id := range append([]string{vulns[i].ID}, vulns[i].Aliases...) {
			if id != a.v.ID && !slices.Contains(a.aliases, id) {
				a.aliases = append(a.aliases, id)
			}
		}
	}
	return out
}

// describe is one advisory's line in the message: ids, severity, summary,
// affected range, fixed version, link.
func describe(a *advisory, p Package) string {
	v := a.v
	var b strings.Builder
	b.WriteString("- ")
	b.WriteString(v.ID)
	if len(a.aliases) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(a.aliases, ", "))
	}
	g := a.grade
	fmt.Fprintf(&b, ", %s (%s)", g.sev, g.source)
	sum := strings.TrimSpace(v.Summary)
	if sum == "" {
		sum = firstSentence(v.Details)
	}
	if sum != "" {
		b.WriteString(": ")
		b.WriteString(sum)
	}
	if !strings.HasSuffix(sum, ".") {
		b.WriteString(".")
	}
	if r := affectedRanges(v, p); r != "" {
		fmt.Fprintf(&b, " Affected: %s.", r)
	}
	m, err := newMatcher(p)
	if err == nil {
		if e := m.eval(v); e.nextFix != "" {
			fmt.Fprintf(&b, " Fixed in %s.", e.nextFix)
		} else if e.known {
			b.WriteString(" No fixed version.")
		}
	}
	fmt.Fprintf(&b, " %s\n", advisoryURL(v.ID))
	return b.String()
}

func advisoryURL(id string) string { return "https://osv.dev/vulnerability/" + id }

// firstSentence shortens advisory details for a record without a summary.
func firstSentence(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", " "))
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) > 200 {
		cut := 200
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// affectedRanges renders the record's ranges for p's package
// (">= 2.0.0, < 2.17.1; >= 3.0.0, < 3.0.2"), at most four.
func affectedRanges(v *Vuln, p Package) string {
	eco, name := baseEcosystem(p.Ecosystem), NormalizeName(p.Ecosystem, p.Name)
	var parts []string
	for i := range v.Affected {
		a := &v.Affected[i]
		if baseEcosystem(a.Package.Ecosystem) != eco || NormalizeName(eco, a.Package.Name) != name {
			continue
		}
		for _, r := range a.Ranges {
			if r.Type != "ECOSYSTEM" && r.Type != "SEMVER" {
				continue
			}
			open := ""
			for _, e := range r.Events {
				switch {
				case e.Introduced != "":
					if open != "" {
						parts = append(parts, open)
					}
					open = ">= " + e.Introduced
				case e.Fixed != "" && open != "":
					parts = append(parts, open+", < "+e.Fixed)
					open = ""
				case e.LastAffected != "" && open != "":
					parts = append(parts, open+", <= "+e.LastAffected)
					open = ""
				}
			}
			if open != "" {
				parts = append(parts, open)
			}
		}
		if len(parts) == 0 && len(a.Versions) > 0 {
			parts = append(parts, fmt.Sprintf("%d listed versions", len(a.Versions)))
		}
	}
	if len(parts) > 4 {
		parts = append(parts[:4], fmt.Sprintf("and %d more ranges", len(parts)-4))
	}
	return strings.Join(parts, "; ")
}

// makeFix replaces the version on the entry's manifest line. The line is
// read from the file as committed (or, for a requirements file without
// content, from its added line).
func makeFix(t touched, version string) *scanners.Fix {
	e := t.e
	text := t.lines.text(e.fixLine)
	if e.fixStart < 0 || e.fixEnd > len(text) || e.fixStart >= e.fixEnd {
		return nil
	}
	nv := version
	if e.fixFormat != nil {
		nv = e.fixFormat(version)
	}
	return &scanners.Fix{
		Description: fmt.Sprintf("Upgrade %s to %s", e.pkg.Name, nv),
		StartLine:   e.fixLine,
		EndLine:     e.fixLine,
		Replacement: text[:e.fixStart] + nv + text[e.fixEnd:],
	}
}

// afterFix is what else the author must do once the manifest line changes.
func afterFix(k kind) string {
	switch k {
	case kindGoMod:
		return " Then run `go mod tidy` to update go.sum."
	case kindPackageJSON:
		return " Then run `npm install` (or yarn/pnpm) so the lockfile follows."
	case kindPom:
		return ""
	case kindRequirements:
		return ""
	}
	return ""
}

// lockfileAdvice says which manifest entry or command upgrades a package
// that only a lockfile names.
func lockfileAdvice(k kind, p Package, v string) string {
	n := p.Name
	switch k {
	case kindPackageLock:
		return fmt.Sprintf("This is a lockfile entry: for a direct dependency run `npm install %s@%s` (which updates package.json); for a transitive one add \"overrides\": {\"%s\": \"%s\"} to package.json and run `npm install`.", n, v, n, v)
	case kindYarnLock:
		return fmt.Sprintf("This is a lockfile entry: for a direct dependency run `yarn up %s@%s` (Yarn 2+) or `yarn upgrade %s@%s` (Yarn 1); for a transitive one add \"resolutions\": {\"%s\": \"%s\"} to package.json.", n, v, n, v, n, v)
	case kindPnpmLock:
		return fmt.Sprintf("This is a lockfile entry: for a direct dependency run `pnpm update %s@%s`; for a transitive one add it to \"pnpm\": {\"overrides\": {\"%s\": \"%s\"}} in package.json.", n, v, n, v)
	case kindPoetryLock:
		return fmt.Sprintf("This is a lockfile entry: raise the constraint in pyproject.toml with `poetry add %s@^%s`, or for a transitive dependency run `poetry update %s`.", n, v, n)
	case kindPipfileLock:
		return fmt.Sprintf("This is a lockfile entry: run `pipenv install %s==%s` (or raise its entry in Pipfile and run `pipenv lock`).", n, v)
	case kindUVLock:
		return fmt.Sprintf("This is a lockfile entry: run `uv lock --upgrade-package %s==%s` (and raise the bound in pyproject.toml if it forbids that version).", n, v)
	case kindCargoLock:
		return fmt.Sprintf("This is a lockfile entry: run `cargo update -p %s --precise %s` (and raise the requirement in Cargo.toml if it forbids that version).", n, v)
	case kindGemfileLock:
		return fmt.Sprintf("This is a lockfile entry: require `gem \"%s\", \">= %s\"` in the Gemfile if it pins an older version, then run `bundle update %s`.", n, v, n)
	case kindComposerLock:
		return fmt.Sprintf("This is a lockfile entry: run `composer require %s:^%s` for a direct dependency, or `composer update %s --with %s:%s` for a transitive one.", n, v, n, n, v)
	case kindGoMod:
		return fmt.Sprintf("Run `go get %s@%s`.", n, goModuleVersion(n, v))
	case kindPom:
		return fmt.Sprintf("Set the version of %s to %s in this pom.xml (or in the parent or BOM that manages it).", n, v)
	case kindPackageJSON:
		return fmt.Sprintf("Run `npm install %s@%s`.", n, v)
	case kindRequirements:
		return fmt.Sprintf("Pin `%s==%s`.", n, v)
	}
	return ""
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	return out
}
