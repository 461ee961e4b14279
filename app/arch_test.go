package app_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInward fails when an inner package depends, even
// transitively, on something only the outer ring may know: scanners/ and
// comments/ know nothing of code hosts, Redis, echo, metrics or the app;
// app/platform knows no platform library.
func TestDependenciesPointInward(t *testing.T) {
	forbiddenEverywhereInside := []string{
		"github.com/shiftward/shiftward/app",
		"github.com/google/go-github",
		"github.com/bradleyfalzon/ghinstallation",
		"gitlab.com/gitlab-org/api/client-go",
		"github.com/xanzy/go-gitlab",
		"github.com/redis/go-redis",
		"github.com/labstack/echo",
		"github.com/prometheus/",
	}
	rules := []struct {
		pkgs      string
		forbidden []string
	}{
		{"github.com/shiftward/shiftward/scanners/...", append(forbiddenEverywhereInside, "github.com/shiftward/shiftward/comments")},
		{"github.com/shiftward/shiftward/comments/...", forbiddenEverywhereInside},
		// The report formats read the scanners' neutral types only: the
		// server may write them too, and no format knows a host's API.
		{"github.com/shiftward/shiftward/app/report/...", forbiddenEverywhereInside},
		{"github.com/shiftward/shiftward/app/platform", forbiddenEverywhereInside[1:]},
		// The platform adapters know their own libraries, never Redis:
		// shared state (rate-limit windows) reaches them through an
		// interface.
		{"github.com/shiftward/shiftward/app/platform/...", []string{"github.com/redis/go-redis"}},
		// The worker reaches hosts through platform interfaces only (the
		// queue, and so Redis, it may know through queue.Job).
		{"github.com/shiftward/shiftward/app/worker", []string{
			"github.com/google/go-github", "github.com/bradleyfalzon/ghinstallation",
			"gitlab.com/gitlab-org/api/client-go", "github.com/labstack/echo",
			"github.com/shiftward/shiftward/app/platform/",
		}},
		// The reconciler reaches hosts through interfaces it declares
		// (found by type assertion on platform clients).
		{"github.com/shiftward/shiftward/app/reconcile", []string{
			"github.com/google/go-github", "github.com/bradleyfalzon/ghinstallation",
			"gitlab.com/gitlab-org/api/client-go", "github.com/labstack/echo",
			"github.com/shiftward/shiftward/app/platform/",
		}},
		{"github.com/shiftward/shiftward/app/queue", []string{
			"github.com/google/go-github", "gitlab.com/gitlab-org/api/client-go", "github.com/labstack/echo",
			"github.com/shiftward/shiftward/app/platform/",
		}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Deps", r.pkgs).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkgs, err)
		}
		dec := json.NewDecoder(strings.NewReader(string(out)))
		n := 0
		for dec.More() {
			var p struct {
				ImportPath string
				Deps       []string
			}
			if err := dec.Decode(&p); err != nil {
				t.Fatal(err)
			}
			n++
			for _, d := range p.Deps {
				for _, f := range r.forbidden {
					if forbids(f, d) {
						t.Errorf("%s depends on %s, which it must not", p.ImportPath, d)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("go list %s matched no package", r.pkgs)
		}
	}
}

// forbids reports whether the forbidden entry f matches the dependency d: f
// itself and the packages below it, or only those below when f ends in "/".
func forbids(f, d string) bool {
	if strings.HasSuffix(f, "/") {
		return strings.HasPrefix(d, f)
	}
	return d == f || strings.HasPrefix(d, f+"/")
}
