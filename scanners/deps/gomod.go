package deps

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
)

const ecoGo = "Go"

// parseGoMod reads go.mod's require directives with golang.org/x/mod's
// parser. A replace with a module version stands in for what it replaces
// (the finding and its fix are then on the replace line); a replace with a
// local directory removes the module from the scan.
func parseGoMod(path string, data []byte) ([]entry, error) {
	f, err := modfile.ParseLax(path, data, nil)
	if err != nil {
		return nil, err
	}
	x := newLineIndex(data)
	type key struct{ path, version string }
	repl := map[key]*modfile.Replace{}
	for _, r := range f.Replace {
		repl[key{r.Old.Path, r.Old.Version}] = r
	}
	var out []entry
	for _, r := range f.Require {
		mod, line := r.Mod, r.Syntax
		if rp := repl[key{mod.Path, mod.Version}]; rp != nil {
			mod, line = rp.New, rp.Syntax
		} else if rp := repl[key{mod.Path, ""}]; rp != nil {
			mod, line = rp.New, rp.Syntax
		}
		if mod.Version == "" || line == nil {
			continue // replaced by a directory
		}
		e := entry{pkg: Package{Ecosystem: ecoGo, Name: mod.Path, Version: strings.TrimPrefix(mod.Version, "v")}}
		e.line = line.Start.Line
		e.start, e.end = line.Start.Line, line.End.Line
		if s, t := line.Start.Byte, line.End.Byte; s >= 0 && t <= len(data) && s < t {
			if i := bytes.LastIndex(data[s:t], []byte(mod.Version)); i >= 0 {
				e.spanOn(x, s+i, s+i+len(mod.Version))
				modPath := mod.Path
				e.fixFormat = func(v string) string { return goModuleVersion(modPath, v) }
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// goModuleVersion renders a fixed Go version as go.mod writes it. Modules at
// major version 2 and above without a go.mod carry "+incompatible".
func goModuleVersion(path, v string) string {
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if !strings.Contains(v, "+") && !hasMajorSuffix(path) && !strings.HasPrefix(v, "v0.") && !strings.HasPrefix(v, "v1.") {
		return v + "+incompatible"
	}
	return v
}

func hasMajorSuffix(path string) bool {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return false
	}
	last := path[i+1:]
	if strings.HasPrefix(path, "gopkg.in/") {
		return strings.Contains(last, ".v")
	}
	var n int
	_, err := fmt.Sscanf(last, "v%d", &n)
	return err == nil && fmt.Sprintf("v%d", n) == last && n >= 2
}
