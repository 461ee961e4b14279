package deps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shiftward/shiftward/scanners/nest"
)

const ecoNPM = "npm"

// isSemver reports whether s is a full SemVer 2.0 version
// (major.minor.patch, optional -prerelease and +build).
func isSemver(s string) bool {
	core := s
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		if i == len(core)-1 {
			return false
		}
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// npmSpecFloor reads a package.json version spec: an exact version, or a
// "^", "~", ">=" or "=" range whose floor is a full version. It returns the
// version and the operator's length. Anything else (unions, x-ranges, tags,
// URLs, aliases, workspaces) is not a version the scanner can judge.
func npmSpecFloor(spec string) (version string, prefix int, ok bool) {
	s := spec
	for _, op := range []string{">=", "^", "~", "="} {
		if strings.HasPrefix(s, op) {
			prefix = len(op)
			s = s[len(op):]
			break
		}
	}
	if strings.HasPrefix(s, "v") {
		prefix++
		s = s[1:]
	}
	if !isSemver(s) {
		return "", 0, false
	}
	return s, prefix, true
}

// parsePackageJSON reads the dependency sections of a package.json.
func parsePackageJSON(data []byte) ([]entry, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if root.kind != 'o' {
		return nil, errors.New("package.json: not a JSON object")
	}
	x := newLineIndex(data)
	var out []entry
	for _, sec := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
		deps := root.get(sec)
		if deps == nil || deps.kind != 'o' {
			continue
		}
		for i, name := range deps.keys {
			v := deps.vals[i]
			if v.kind != 's' {
				continue
			}
			ver, prefix, ok := npmSpecFloor(v.str)
			if !ok {
				continue
			}
			e := entry{pkg: Package{Ecosystem: ecoNPM, Name: name, Version: ver}, line: x.line(v.start)}
			e.start, e.end = e.line, e.line
			if ver != v.str {
				e.spec = v.str
			}
			// Only an escape-free literal can be edited in place.
			if v.end-v.start == len(v.str)+2 && string(data[v.start+1:v.end-1]) == v.str {
				e.spanOn(x, v.start+1+prefix, v.end-1)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// parsePackageLock reads package-lock.json or npm-shrinkwrap.json, lockfile
// versions 1 ("dependencies", nested) to 3 ("packages" keyed by
// node_modules path).
func parsePackageLock(data []byte) ([]entry, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if root.kind != 'o' {
		return nil, errors.New("package-lock.json: not a JSON object")
	}
	x := newLineIndex(data)
	var out []entry
	add := func(name, version string, obj *jnode) {
		if name == "" || version == "" {
			return
		}
		if strings.HasPrefix(version, "npm:") { // v1 alias: "npm:real@1.2.3"
			spec := version[4:]
			at := strings.LastIndexByte(spec, '@')
			if at <= 0 {
				return
			}
			name, version = spec[:at], spec[at+1:]
		}
		if !isSemver(version) {
			return // git, file, tarball URLs
		}
		e := entry{pkg: Package{Ecosystem: ecoNPM, Name: name, Version: version}, start: x.line(obj.start), end: x.line(max(obj.end-1, obj.start))}
		if vn := obj.get("version"); vn != nil {
			e.line = x.line(vn.start)
		} else {
			e.line = e.start
		}
		out = append(out, e)
	}
	if pkgs := root.get("packages"); pkgs != nil && pkgs.kind == 'o' {
		for i, key := range pkgs.keys {
			obj := pkgs.vals[i]
			if obj.kind != 'o' || key == "" {
				continue
			}
			at := strings.LastIndex(key, "node_modules/")
			if at < 0 {
				continue // a workspace package, not from the registry
			}
			if b := obj.get("link"); b != nil && b.kind == 'b' && string(data[b.start:b.end]) == "true" {
				continue
			}
			name := key[at+len("node_modules/"):]
			if n := obj.getStr("name"); n != "" {
				name = n // an alias installs another package under this path
			}
			add(name, obj.getStr("version"), obj)
		}
		return out, nil
	}
	// Every level is read (a cap would hide what is nested below it); the
	// recursion is bounded by the JSON's depth, which parseJSON checked.
	var walk func(deps *jnode, depth int)
	walk = func(deps *jnode, depth int) {
		if deps == nil || deps.kind != 'o' {
			return
		}
		for i, name := range deps.keys {
			obj := deps.vals[i]
			if obj.kind != 'o' {
				continue
			}
			add(name, obj.getStr("version"), obj)
			walk(obj.get("dependencies"), depth+1)
		}
	}
	walk(root.get("dependencies"), 0)
	return out, nil
}

// yarnDescriptorName returns the package a yarn.lock descriptor resolves:
// "lodash@^4.17.0" → lodash, "@babel/core@npm:^7" → @babel/core,
// "alias@npm:real@^1" → real.
func yarnDescriptorName(desc string) string {
	desc = strings.Trim(strings.TrimSpace(desc), `"`)
	at := strings.IndexByte(desc[min(1, len(desc)):], '@')
	if at < 0 {
		return ""
	}
	at++
	name, rng := desc[:at], desc[at+1:]
	if real, ok := strings.CutPrefix(rng, "npm:"); ok {
		if i := strings.LastIndexByte(real, '@'); i > 0 {
			return real[:i]
		}
	}
	return name
}

// parseYarnLock reads yarn.lock: Yarn 2+ files are YAML (with
// "__metadata"); Yarn 1 files are Yarn's own indented format, read line by
// line as Yarn's parser does.
func parseYarnLock(ctx context.Context, data []byte) ([]entry, error) {
	if strings.Contains(string(data), "\n__metadata:") || strings.HasPrefix(string(data), "__metadata:") {
		return parseYarnBerry(ctx, data)
	}
	x := newLineIndex(data)
	var out []entry
	var cur *entry
	flush := func(last int) {
		if cur != nil && cur.pkg.Version != "" && isSemver(cur.pkg.Version) && cur.pkg.Name != "" {
			cur.end = last
			out = append(out, *cur)
		}
		cur = nil
	}
	for n := 1; n <= x.count(); n++ {
		l := x.text(n)
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if l[0] != ' ' && l[0] != '\t' {
			flush(n - 1)
			if !strings.HasSuffix(t, ":") {
				return nil, fmt.Errorf("yarn.lock:%d: expected an entry header ending in ':'", n)
			}
			first, _, _ := strings.Cut(strings.TrimSuffix(t, ":"), ",")
			cur = &entry{pkg: Package{Ecosystem: ecoNPM, Name: yarnDescriptorName(first)}, start: n, line: n}
			continue
		}
		if cur == nil {
			continue
		}
		// Only the entry's own two-space fields, not nested dependencies.
		if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
			if v, ok := strings.CutPrefix(t, "version "); ok {
				cur.pkg.Version = strings.Trim(strings.TrimSpace(v), `"`)
				cur.line = n
			}
		}
	}
	flush(x.count())
	return out, nil
}

func parseYarnBerry(ctx context.Context, data []byte) ([]entry, error) {
	docs, err := nest.DecodeYAML(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("yarn.lock: %w", err)
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 || docs[0].Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("yarn.lock: not a YAML mapping")
	}
	m := docs[0].Content[0]
	var out []entry
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value == "__metadata" || v.Kind != yaml.MappingNode {
			continue
		}
		first, _, _ := strings.Cut(k.Value, ",")
		name := yarnDescriptorName(first)
		if strings.Contains(k.Value, "@workspace:") || strings.Contains(k.Value, "@link:") || strings.Contains(k.Value, "@portal:") {
			continue
		}
		ver := yamlGet(v, "version")
		if name == "" || ver == nil || !isSemver(ver.Value) {
			continue
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoNPM, Name: name, Version: ver.Value}, line: ver.Line, start: k.Line, end: yamlLastLine(v)})
	}
	return out, nil
}

// yamlGet returns the value of key in a mapping node.
func yamlGet(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// yamlLastLine is the last line a node's content starts on.
func yamlLastLine(n *yaml.Node) int {
	last := n.Line
	for len(n.Content) > 0 {
		n = n.Content[len(n.Content)-1]
		last = max(last, n.Line)
	}
	return last
}

// parsePnpmLock reads pnpm-lock.yaml, lockfile versions 5 ("/name/1.2.3"),
// 6 ("/name@1.2.3(peer@1)") and 9 ("name@1.2.3").
func parsePnpmLock(ctx context.Context, data []byte) ([]entry, error) {
	docs, err := nest.DecodeYAML(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("pnpm-lock.yaml: %w", err)
	}
	if len(docs) == 0 || len(docs[0].Content) == 0 {
		return nil, nil
	}
	root := docs[0].Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, errors.New("pnpm-lock.yaml: not a YAML mapping")
	}
	v5 := false
	if lv := yamlGet(root, "lockfileVersion"); lv != nil && strings.HasPrefix(strings.Trim(lv.Value, "'\""), "5") {
		v5 = true
	}
	pkgs := yamlGet(root, "packages")
	if pkgs == nil || pkgs.Kind != yaml.MappingNode {
		return nil, nil
	}
	var out []entry
	for i := 0; i+1 < len(pkgs.Content); i += 2 {
		k, v := pkgs.Content[i], pkgs.Content[i+1]
		name, ver := pnpmKey(k.Value, v5)
		if name == "" || !isSemver(ver) {
			continue
		}
		if n := yamlGet(v, "name"); n != nil && n.Value != "" { // v5 entries of aliases and git packages
			name = n.Value
		}
		out = append(out, entry{pkg: Package{Ecosystem: ecoNPM, Name: name, Version: ver}, line: k.Line, start: k.Line, end: yamlLastLine(v)})
	}
	return out, nil
}

// pnpmKey splits a pnpm packages key into name and version.
func pnpmKey(key string, v5 bool) (name, version string) {
	key = strings.TrimPrefix(key, "/")
	if i := strings.IndexByte(key, '('); i >= 0 {
		key = key[:i]
	}
	if v5 || !strings.Contains(key[min(1, len(key)):], "@") {
		i := strings.LastIndexByte(key, '/')
		if i <= 0 {
			return "", ""
		}
		name, version = key[:i], key[i+1:]
		if j := strings.IndexByte(version, '_'); j >= 0 {
			version = version[:j] // peer-dependency suffix
		}
		return name, version
	}
	i := strings.LastIndexByte(key, '@')
	if i <= 0 {
		return "", ""
	}
	return key[:i], key[i+1:]
}
