package code

import "testing"

// TestGlobSetIsAnyGlob checks that a compiled list answers as anyGlob does
// over every list it is used for, on names those lists hold, near-misses of
// them and edge cases.
func TestGlobSetIsAnyGlob(t *testing.T) {
	lists := map[string][]string{"js": jsSources, "jsSan": jsSanitizers, "py": pySources, "pySan": pySanitizers, "java": javaSources,
		"javaSan": javaSanitizers, "go": goSources,
		"edge": {"*", "", "a*", "*b", "*c*", "x.y", "ab*cd", "*.get*()"}}
	for _, l := range compiledLists {
		lists[l.name] = *l.list.list
	}
	var names []string
	for _, l := range lists {
		for _, p := range l {
			for _, n := range []string{p, p + "x", "x" + p, p[:len(p)/2], p[len(p)/2:]} {
				names = append(names, n, stripStars(n))
			}
		}
	}
	names = append(names, "", "a", "b", "req", "req.query", "req.query.id", "location.hash", "os.Getenv", "x.y", "abcd", "abxcd")
	for ln, l := range lists {
		g := newGlobSet(l)
		for _, n := range names {
			if got, want := g.match(n), anyGlob(l, n); got != want {
				t.Errorf("%s: match(%q) = %v, anyGlob says %v", ln, n, got, want)
			}
		}
	}
}

func stripStars(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '*' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// compiledLists are the package-level lists matched through a globList.
var compiledLists = []struct {
	name string
	list *globList
}{
	{"jsQuietCalls", jsQuietCallsSet},
	{"jsFileNameCalls", jsFileNameCallsSet},
	{"jsArchiveMetadata", jsArchiveMetadataSet},
	{"jsChainedWrites", jsChainedWritesSet},
	{"jsElementGetters", jsElementGettersSet},
	{"jsMarkdownEscaping", jsMarkdownEscapingSet},
	{"jsMarkdownEscapingMade", jsMarkdownEscapingMadeSet},
	{"jsFileReads", jsFileReadsSet},
	{"jsRecordReads", jsRecordReadsSet},
	{"jsCookieCalls", jsCookieCallsSet},
	{"jsCookieSetters", jsCookieSettersSet},
	{"weakRandoms", weakRandomsSet},
	{"jsValidators", jsValidatorsSet},
	{"jsSecureBytes", jsSecureBytesSet},
	{"domElementQuals", domElementQualsSet},
	{"pageOwnLocation", pageOwnLocationSet},
	{"goNotSources", goNotSourcesSet},
	{"goStringOps", goStringOpsSet},
	{"goSanitizers", goSanitizersSet},
	{"goFileReads", goFileReadsSet},
	{"localSources", localSourcesSet},
	{"storedSources", storedSourcesSet},
	{"scalarCalls", scalarCallsSet},
	{"rootedPathSources", rootedPathSourcesSet},
	{"logCalls", logCallsSet},
	{"pyRecordReads", pyRecordReadsSet},
}
