package code

import "strings"

// scope maps variable names to what is known of their values within one
// function (or the module). Lookups fall back to the enclosing scope. The
// analysis is flow-sensitive only in statement order: an assignment
// replaces what was known, which is enough to see a request parameter reach
// a sink through a few assignments and string building.
type scope struct {
	vars   map[string]value
	parent *scope
}

func newScope(parent *scope) *scope { return &scope{vars: map[string]value{}, parent: parent} }

func (s *scope) lookup(name string) (value, bool) {
	for c := s; c != nil; c = c.parent {
		if v, ok := c.vars[name]; ok {
			return v, true
		}
	}
	return value{}, false
}

func (s *scope) set(name string, v value) {
	if name != "" {
		s.vars[name] = v
	}
}

// assign updates name in the nearest scope that declares it (a = x), or
// the current one when none does.
func (s *scope) assign(name string, v value) {
	for c := s; c != nil; c = c.parent {
		if _, ok := c.vars[name]; ok {
			c.vars[name] = v
			return
		}
	}
	s.set(name, v)
}

// sourceMatch reports whether a qualified name is a request/input source in
// the given list of globs and returns the name.
func sourceMatch(globs []string, qual string) bool {
	if qual == "" {
		return false
	}
	return anyGlob(globs, qual)
}

// formatPrefix cuts a constant format string at its first placeholder, so
// "https://%s/x" keeps "https://" and "https://api.example.com/{}" keeps the
// host.
func formatPrefix(s string) string {
	if i := strings.IndexAny(s, "%{"); i >= 0 {
		return s[:i]
	}
	return s
}

// rootName returns the first segment of a dotted name.
func rootName(q string) string {
	if i := strings.IndexAny(q, ".[("); i >= 0 {
		return q[:i]
	}
	return q
}

// lastName returns the last dotted segment of a name.
func lastName(q string) string {
	q = strings.TrimSuffix(q, "()")
	if i := strings.LastIndexAny(q, "./"); i >= 0 {
		return q[i+1:]
	}
	return q
}

// credentialName matches the names of parameters and fields that hold
// credentials.
func credentialName(name string) bool {
	n := strings.ToLower(strings.Trim(name, `"'`))
	for _, w := range []string{"password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "access_key", "credential"} {
		if strings.Contains(n, w) {
			return !strings.Contains(n, "file") && !strings.Contains(n, "path") && !strings.HasSuffix(n, "_name")
		}
	}
	return n == "pwd" || n == "pass"
}

// isConstName reports whether a name is written as a constant
// (UPPER_CASE, at least two characters).
func isConstName(name string) bool {
	if len(name) < 2 {
		return false
	}
	upper := false
	for _, c := range name {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c == '_' || (c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return upper
}
