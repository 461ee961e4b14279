package secrets

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
)

// lockfileName picks the files TestLockfileSurvey reads: lockfiles,
// go.mod/go.sum and checksum manifests, under their usual names and the
// variants test fixtures give them (my-yarn.lock, pnpm-lock.v9.yaml).
var lockfileName = regexp.MustCompile(`(?i)(?:^go\.(?:mod|sum|work\.sum)$|\.lock$|lock(?:file)?(?:\.[\w-]+)?\.(?:json|ya?ml|toml|hcl)$|^verification-metadata\.xml$|^npm-shrinkwrap\.json$)`)

// TestLockfileSurvey measures the lockfile-hash filter on real lockfiles:
// for every lockfile under the directories in SHIFTWARD_LOCKFILE_DIRS
// (colon-separated), the candidates the rules report with digests kept
// (keepHashes) and dropped, and those the scanner reported before it
// scanned lockfiles (files the old skip list or gitleaks' allowlist named
// reported nothing). Figures only: it is skipped without the variable.
//
//	SHIFTWARD_LOCKFILE_DIRS=/work/shared/corpus:/root/go/pkg/mod go test -run LockfileSurvey -v ./scanners/secrets/
func TestLockfileSurvey(t *testing.T) {
	dirs := os.Getenv("SHIFTWARD_LOCKFILE_DIRS")
	if dirs == "" {
		t.Skip("figures only: set SHIFTWARD_LOCKFILE_DIRS to the directories to survey")
	}
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	after, err := New(WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := New(WithConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	raw.eng.keepHashes = true
	oldSkip := map[string]bool{
		"package-lock.json": true, "npm-shrinkwrap.json": true, "yarn.lock": true, "pnpm-lock.yaml": true,
		"go.sum": true, "Cargo.lock": true, "poetry.lock": true, "Pipfile.lock": true, "composer.lock": true,
		"Gemfile.lock": true, "deno.lock": true, "bun.lockb": true, "packages.lock.json": true,
		"gradle.lockfile": true, "uv.lock": true, "mix.lock": true, "pubspec.lock": true, "flake.lock": true,
	}
	oldWants := func(p string) bool {
		if oldSkip[path.Base(p)] || strings.HasSuffix(p, ".sum") {
			return false
		}
		for _, a := range cfg.allowlists {
			if a.builtin && a.paths != nil && a.paths.MatchString(p) {
				return false
			}
		}
		return true
	}
	var files, wantedBefore, rawN, afterN, beforeN int
	var bytes int64
	byRule := map[string]int{}
	for _, dir := range filepath.SplitList(dirs) {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() || !lockfileName.MatchString(d.Name()) || !after.Wants(p) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil || len(data) > 64<<20 {
				return nil
			}
			files++
			bytes += int64(len(data))
			in := &scanners.Input{Path: p, Content: data}
			for i, l := range strings.Split(string(data), "\n") {
				in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
			}
			rf, _ := raw.Scan(context.Background(), in)
			af, _ := after.Scan(context.Background(), in)
			rawN += len(rf)
			afterN += len(af)
			if oldWants(p) {
				wantedBefore++
				beforeN += len(rf)
			}
			for _, f := range rf {
				t.Logf("raw: %s:%d %s %s", p, f.Location.StartLine, f.RuleID, f.Evidence)
			}
			for _, f := range af {
				byRule[f.RuleID]++
				t.Logf("after: %s:%d %s %s", p, f.Location.StartLine, f.RuleID, f.Evidence)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d lockfiles (%d KiB): %d scanned before; candidates: %d as scanned before, %d without the hash filter, %d with it; by rule %v",
		files, bytes>>10, wantedBefore, beforeN, rawN, afterN, byRule)
}
