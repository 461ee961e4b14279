package code

import (
	"strconv"
	"strings"
)

// anyFunction keys the calls of the whole file in unit.calls.
const anyFunction = "\x00file"

// callKey is a function and the last segment of a callee's name.
type callKey struct{ fn, last string }

// maxCalledNames bounds the distinct callee names of one function and last
// name that called compares a glob with: a file of a million x.setFeature
// calls costs no more than a few thousand comparisons per question.
const maxCalledNames = 1024

// called reports whether function fn makes a call whose qualified name
// matches the glob pattern (Match.UnlessCalled), whose last segment is a
// plain name; for fn "" (code outside any function), whether the file
// does anywhere. The index is built on the first question.
func (u *unit) called(fn, pattern string) bool {
	if u.calls == nil {
		u.calls = map[callKey][]string{}
		seen := map[callKey]bool{} // function and whole name
		for i := range u.sites {
			s := &u.sites[i]
			if s.kind != siteCall {
				continue
			}
			for _, in := range [2]string{s.fn, anyFunction} {
				k := callKey{fn: in, last: lastName(s.name)}
				id := callKey{fn: in, last: s.name}
				if seen[id] || len(u.calls[k]) >= maxCalledNames {
					continue
				}
				seen[id] = true
				u.calls[k] = append(u.calls[k], s.name)
			}
		}
	}
	if fn == "" {
		// Outside any function (a field or module-level variable): it is
		// set up wherever the file does it (a constructor, a static block).
		fn = anyFunction
	}
	for f := fn; f != ""; f = enclosingFn(f) {
		for _, name := range u.calls[callKey{fn: f, last: lastName(pattern)}] {
			if glob(pattern, name) {
				return true
			}
		}
	}
	return false
}

// anonMark starts the name the JavaScript front-end gives a function
// without one: "λ12" (line 12) at the top level, "handler/λ12" inside
// handler. Each is a function of its own for UnlessCalled and Guards, which
// also read the functions around it.
const anonMark = "λ"

// anonFn names the function without a name that starts on line, inside
// the function outer ("" at the top level).
func anonFn(outer string, line int) string {
	if outer == "" {
		return anonMark + strconv.Itoa(line)
	}
	return outer + "/" + anonMark + strconv.Itoa(line)
}

// enclosingFn returns the function around the function without a name fn
// ("handler" for "handler/λ12"), or "" when fn has a name or is at the top
// level (whose surroundings are the module, not the file's every function).
func enclosingFn(fn string) string {
	i := strings.LastIndex(fn, "/"+anonMark)
	if i < 0 {
		return ""
	}
	return fn[:i]
}

// withinFn reports whether the function inner is fn or inside it.
func withinFn(inner, fn string) bool {
	for f := inner; f != ""; f = enclosingFn(f) {
		if f == fn {
			return true
		}
	}
	return false
}
