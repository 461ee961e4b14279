package code

import (
	"slices"
	"testing"
)

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

// TestWildBucketCompiled checks that every compiled wildcard bucket of
// the scanner answers as matching each rule's names and each guard list
// one by one, on names its patterns hold and near-misses of them.
func TestWildBucketCompiled(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for k, b := range s.wild {
		var names []string
		var pats []string
		for _, r := range b.rules {
			pats = append(pats, r.names...)
		}
		for _, g := range b.guards {
			pats = append(pats, g...)
		}
		for _, p := range pats {
			for _, n := range []string{p, p + "x", "x" + p, p[:len(p)/2], p[len(p)/2:]} {
				names = append(names, n, stripStars(n))
			}
		}
		names = append(names, "", "a", "req.query", "exec", "os.system", "x.y.z")
		for _, n := range names {
			var want []int32
			for i := range b.rules {
				if anyGlob(b.rules[i].names, n) {
					want = append(want, int32(i))
				}
			}
			if got := b.ruleHits(n); !slices.Equal(got, want) {
				t.Errorf("%v: ruleHits(%q) = %v, want %v", k, n, got, want)
			}
			wantGuard := false
			for _, g := range b.guards {
				wantGuard = wantGuard || anyGlob(g, n)
			}
			if got := b.guardSet.match(n); got != wantGuard {
				t.Errorf("%v: guard match(%q) = %v, want %v", k, n, got, wantGuard)
			}
		}
	}
}
