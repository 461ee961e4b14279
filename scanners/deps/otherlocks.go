package deps

import (
	"errors"
	"fmt"
	"strings"
)

const (
	ecoCrates    = "crates.io"
	ecoRubyGems  = "RubyGems"
	ecoPackagist = "Packagist"
)

// parseCargoLock reads Cargo.lock; only packages from a registry (a
// "registry+" or "sparse+" source) are judged: workspace members have no
// source and git dependencies are not crates.io releases.
func parseCargoLock(data []byte) ([]entry, error) {
	pkgs, spans, err := parseTOMLLock("Cargo.lock", data)
	if err != nil {
		return nil, err
	}
	var out []entry
	for i, p := range pkgs {
		src, _ := p.Source.(string)
		if !strings.HasPrefix(src, "registry+") && !strings.HasPrefix(src, "sparse+") {
			continue
		}
		if p.Name == "" || !isSemver(p.Version) {
			continue
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoCrates, Name: p.Name, Version: p.Version}, line: spans[i].version, start: spans[i].start, end: spans[i].end})
	}
	return out, nil
}

// parseGemfileLock reads Bundler's Gemfile.lock (its own indented format):
// the gems under a GEM section's "specs:", four spaces in, as
// "name (version)" or "name (version-platform)". GIT and PATH sections are
// not RubyGems releases and are skipped.
func parseGemfileLock(data []byte) ([]entry, error) {
	x := newLineIndex(data)
	var out []entry
	section := ""
	inSpecs := false
	for n := 1; n <= x.count(); n++ {
		l := x.text(n)
		if strings.TrimSpace(l) == "" {
			continue
		}
		if l[0] != ' ' {
			section = strings.TrimSpace(l)
			inSpecs = false
			continue
		}
		if section != "GEM" {
			continue
		}
		if strings.TrimSpace(l) == "specs:" && strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
			inSpecs = true
			continue
		}
		if !inSpecs || !strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "     ") {
			continue // a gem's own dependency constraints are six spaces in
		}
		t := strings.TrimSpace(l)
		open := strings.IndexByte(t, '(')
		if open <= 0 || !strings.HasSuffix(t, ")") {
			return nil, fmt.Errorf("Gemfile.lock:%d: expected \"name (version)\"", n)
		}
		name := strings.TrimSpace(t[:open])
		ver := t[open+1 : len(t)-1]
		if i := strings.IndexByte(ver, '-'); i > 0 {
			ver = ver[:i] // platform: 1.13.10-x86_64-linux
		}
		if name == "" || ver == "" {
			continue
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoRubyGems, Name: name, Version: ver}, line: n, start: n, end: n})
	}
	return out, nil
}

// parseComposerLock reads composer.lock's "packages" and "packages-dev".
// Branch versions ("dev-main") are not releases and are skipped.
func parseComposerLock(data []byte) ([]entry, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if root.kind != 'o' {
		return nil, errors.New("composer.lock: not a JSON object")
	}
	x := newLineIndex(data)
	var out []entry
	for _, sec := range []string{"packages", "packages-dev"} {
		arr := root.get(sec)
		if arr == nil || arr.kind != 'a' {
			continue
		}
		for _, obj := range arr.items {
			name := obj.getStr("name")
			vn := obj.get("version")
			if name == "" || vn == nil || vn.kind != 's' {
				continue
			}
			ver := strings.TrimPrefix(vn.str, "v")
			if ver == "" || strings.HasPrefix(ver, "dev-") || strings.HasSuffix(ver, "-dev") {
				continue
			}
			out = append(out, entry{pkg: Package{Ecosystem: ecoPackagist, Name: name, Version: ver}, line: x.line(vn.start), start: x.line(obj.start), end: x.line(max(obj.end-1, obj.start))})
		}
	}
	return out, nil
}
