package pipelines

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

func TestValidActionRef(t *testing.T) {
	tests := []struct {
		owner, repo, ref string
		want             bool
	}{
		{"actions", "checkout", "v4", true},
		{"github", "codeql-action", "v3.1.0", true},
		{"Octo-Cat9", "repo.js_x-y", "releases/v1", true},
		{"a", "b", "feature/x-y@2", true},
		{"a", "b", strings.Repeat("x", 255), true},
		{strings.Repeat("a", 39), "b", "v1", true},
		{"a", strings.Repeat("b", 100), "v1", true},

		// Owners.
		{"", "b", "v1", false},
		{"-a", "b", "v1", false},
		{"a-", "b", "v1", false},
		{"a--b", "b", "v1", false},
		{"a_b", "b", "v1", false},
		{"a.b", "b", "v1", false},
		{"..", "b", "v1", false},
		{strings.Repeat("a", 40), "b", "v1", false},
		// Repositories.
		{"a", "", "v1", false},
		{"a", ".", "v1", false},
		{"a", "..", "v1", false},
		{"a", "b/c", "v1", false},
		{"a", "b c", "v1", false},
		{"a", "b%2f", "v1", false},
		{"a", strings.Repeat("b", 101), "v1", false},
		// Refs (git check-ref-format, and nothing that shapes a URL).
		{"a", "b", "", false},
		{"a", "b", "..", false},
		{"a", "b", "../../..", false},
		{"a", "b", "v1/../../../../user", false},
		{"a", "b", "a..b", false},
		{"a", "b", "/v1", false},
		{"a", "b", "v1/", false},
		{"a", "b", "a//b", false},
		{"a", "b", "v1.", false},
		{"a", "b", ".v1", false},
		{"a", "b", "a/.b", false},
		{"a", "b", "v1.lock", false},
		{"a", "b", "a.lock/b", false},
		{"a", "b", "@", false},
		{"a", "b", "main@{1}", false},
		{"a", "b", "v1?per_page=1", false},
		{"a", "b", "v1#x", false},
		{"a", "b", "%2e%2e", false},
		{"a", "b", "a\\b", false},
		{"a", "b", "a b", false},
		{"a", "b", "a\x00b", false},
		{"a", "b", "a\nb", false},
		{"a", "b", "a\x7fb", false},
		{"a", "b", "v1~1", false},
		{"a", "b", "v1^", false},
		{"a", "b", "a:b", false},
		{"a", "b", "v*", false},
		{"a", "b", "v[1]", false},
		{"a", "b", strings.Repeat("x", 256), false},
	}
	for _, tt := range tests {
		if got := validActionRef(tt.owner, tt.repo, tt.ref); got != tt.want {
			t.Errorf("validActionRef(%q, %q, %q) = %v, want %v", tt.owner, tt.repo, tt.ref, got, tt.want)
		}
	}
}

// recorder is a resolver that records what it was asked.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) ResolveAction(_ context.Context, owner, repo, ref string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, owner+"/"+repo+"@"+ref)
	return strings.Repeat("a", 40), nil
}

// TestHostileUsesNeverResolved: a workflow's uses: values are a stranger's
// text. Only valid owner/repo@ref reach the resolver (a sub-path action as
// its repository); local, docker and malformed references never do, and
// are still reported as unpinned where they are.
func TestHostileUsesNeverResolved(t *testing.T) {
	hostile := []string{
		"owner/repo@../../..",
		"owner/repo@../../../../user",
		"owner/..@v1",
		"../..@v1",
		"owner/repo@v1?x=1",
		"owner/repo@v1#frag",
		"owner/repo@a//b",
		"owner/repo@/abs",
		"owner/repo@main@{1}",
		"own_er/repo@v1",
		"-owner/repo@v1",
		"owner/repo@%2e%2e",
		"owner/repo@v1.lock",
		"docker://alpine:3",
		"./local/action",
	}
	valid := []string{"actions/checkout@v4", "github/codeql-action/init@v3"}
	var b strings.Builder
	b.WriteString("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n")
	for _, u := range append(hostile, valid...) {
		b.WriteString("      - uses: \"" + u + "\"\n")
	}
	src := b.String()
	in := &scanners.Input{Path: ".github/workflows/ci.yml", New: true}
	for i, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	in.Content = []byte(src)
	r := &recorder{}
	fs, err := New(WithResolver(r)).Scan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(r.calls)
	want := []string{"actions/checkout@v4", "github/codeql-action@v3"}
	if !slices.Equal(r.calls, want) {
		t.Errorf("resolver asked for %q, want only %q", r.calls, want)
	}
	unpinned := 0
	for _, f := range fs {
		if f.RuleID == "pipelines/unpinned-action" {
			unpinned++
		}
	}
	// Every reference but the local one and the two the parser does not
	// take as actions (an owner of "..", and "../.." which is local) is
	// unpinned.
	if unpinned < len(hostile)-2 {
		t.Errorf("%d unpinned-action findings, want at least %d", unpinned, len(hostile)-2)
	}
}

// FuzzParseUses: whatever a uses: value holds, parsing does not panic, and a
// reference it calls resolvable cannot leave the action's repository once
// put in an API path the way the GitHub adapter builds it.
func FuzzParseUses(f *testing.F) {
	for _, s := range []string{
		"actions/checkout@v4", "owner/repo/path/to@v1", "owner/repo@../../..", "docker://x@sha256:ab",
		"./local", "a/b@c/d", "a/b@%2e%2e/x", "a/b@v1?x", "${{ matrix.x }}", "a/b@@", "a/b/../../c@v1",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("https://api.github.com/")
	f.Fuzz(func(t *testing.T, s string) {
		u, ok := parseUses(s)
		if !ok || !u.resolvable() {
			return
		}
		if u.local || u.docker || u.owner == "" || u.repo == "" || u.ref == "" {
			t.Fatalf("resolvable %+v", u)
		}
		segs := strings.Split(u.ref, "/")
		for i, p := range segs {
			segs[i] = url.PathEscape(p)
		}
		prefix := "/repos/" + url.PathEscape(u.owner) + "/" + url.PathEscape(u.repo) + "/commits/"
		got, err := base.Parse(strings.TrimPrefix(prefix, "/") + strings.Join(segs, "/"))
		if err != nil {
			return // no request can be made of it
		}
		if !strings.HasPrefix(got.Path, prefix) || got.RawQuery != "" || got.Fragment != "" || got.Host != base.Host {
			t.Fatalf("%q resolves to %s", s, got)
		}
	})
}
