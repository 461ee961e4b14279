package iac_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// hostileIaC are the hostile files the iac scanner wants, less the ones
// filled to the size bounds (those are for the benchmark: slow under -race).
func hostileIaC() map[string][]byte {
	s := iac.New()
	out := map[string][]byte{}
	for p, b := range scannertest.HostileFiles() {
		if strings.Contains(p, "/wide/") || strings.Contains(p, "/stages/") {
			continue
		}
		if rel := relPath(p); s.Wants(rel) {
			out[p] = b
		}
	}
	return out
}

// relPath drops "hostile/<format>/" so the scanner sees the file's own name.
func relPath(p string) string {
	p = strings.TrimPrefix(p, "hostile/")
	return p[strings.IndexByte(p, '/')+1:]
}

const childEnv = "SHIFTWARD_IAC_HOSTILE_CHILD"

// TestHostileFiles scans every hostile file in a child process: before the
// bounds, a deep Terraform file overflowed the goroutine stack ("fatal
// error: stack overflow"), which no recover catches, so in-process it
// would kill the test binary rather than fail the test. Each file must
// come back quickly, and a deep one as not scanned (a bound error).
func TestHostileFiles(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		hostileChild()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	// shiftward:ignore code/go-command-context the test binary runs itself again in a child process
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileFiles$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	t.Cleanup(func() {
		cancel()
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	out, err := cmd.CombinedOutput()
	if err != nil {
		s := string(out)
		if len(s) > 2000 {
			s = s[:2000]
		}
		t.Fatalf("the child scanning hostile files died: %v\n%s", err, s)
	}
	got := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "RESULT" {
			got[f[1]] = f[2]
		}
	}
	for p := range hostileIaC() {
		want := "bound"
		if strings.Contains(p, "/docker/") || strings.HasSuffix(p, "pnpm-lock.yaml") || strings.HasSuffix(p, "package-lock.json") {
			// A Dockerfile does not nest: it is read line by line, within
			// the size bound. A lockfile is not a manifest, nor a
			// CloudFormation template (not parsed at all).
			want = "scanned"
		}
		if got[p] != want {
			t.Errorf("%s: %q, want %q", p, got[p], want)
		}
	}
}

// hostileChild scans each file and prints "RESULT path outcome seconds".
func hostileChild() {
	s := iac.New()
	// The built-in checks load on first use: that is no file's time.
	_ = s.Rules()
	files := hostileIaC()
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		start := time.Now()
		_, err := s.Scan(context.Background(), wholeFile(relPath(p), files[p]))
		outcome := "scanned"
		switch {
		case errors.Is(err, scanners.ErrBound):
			outcome = "bound"
		case err != nil:
			outcome = "error:" + strings.ReplaceAll(err.Error(), " ", "_")
		}
		if d := time.Since(start); d > 20*time.Second {
			outcome = "slow"
		}
		fmt.Printf("RESULT %s %s %.2f\n", p, outcome, time.Since(start).Seconds())
	}
}

func TestDeepButLegitFilesAreScanned(t *testing.T) {
	nested := func(n int) string { return strings.Repeat("[", n) + "1" + strings.Repeat("]", n) }
	tests := []struct {
		name, path, content string
		rule                string // a rule that must still fire
	}{
		{"terraform list nested 400 deep", "main.tf",
			"locals {\n  x = " + nested(400) + "\n}\n" +
				"resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n", "iac/tf-s3-public-acl"},
		{"terraform templates and heredocs", "main.tf",
			"resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = \"${var.a}-${var.b[\"}\"]}\"\n  acl    = \"public-read\"\n" +
				"  x = <<EOT\n%{ for a in b }${a}%{ endfor }}}}]]]]\nEOT\n}\n", "iac/tf-s3-public-acl"},
		{"manifest nested 300 deep", "deploy.yaml",
			"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {x: '" + nested(300) + "'}\n  labels: {a: b}\nspec:\n  x: " + nested(300) +
				"\n  containers:\n  - name: c\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n", "iac/k8s-privileged"},
	}
	s := iac.New(iac.WithoutFixes())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := s.Scan(context.Background(), wholeFile(tc.path, []byte(tc.content)))
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if !hasRule(fs, tc.rule) {
				t.Fatalf("no %s among %d findings", tc.rule, len(fs))
			}
		})
	}
}

func hasRule(fs []scanners.Finding, id string) bool {
	for _, f := range fs {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestManifestPartlyParsed: the documents before a broken one are still
// checked, and the file is reported as not scanned whole. Before, the
// error dropped every finding of the file.
func TestManifestPartlyParsed(t *testing.T) {
	src := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n" +
		"    securityContext:\n      privileged: true\n---\napiVersion: v1\nkind: Pod\nspec: [\n"
	fs, err := iac.New(iac.WithoutFixes()).Scan(context.Background(), wholeFile("deploy.yaml", []byte(src)))
	if err == nil {
		t.Fatal("no error for a manifest whose second document does not parse")
	}
	if !hasRule(fs, "iac/k8s-privileged") {
		t.Fatalf("the first document's findings were dropped: %d findings", len(fs))
	}
}

// TestTemplatedButDeep: a file that looks like a Helm template is skipped
// when it does not parse, but never when it is over a bound: "{{" in a
// comment must not hide a hostile file.
func TestTemplatedButDeep(t *testing.T) {
	src := "# {{ .Values.x }}\napiVersion: v1\nkind: Pod\nspec: " + strings.Repeat("[", 20000) + "\n"
	_, err := iac.New().Scan(context.Background(), wholeFile("deploy.yaml", []byte(src)))
	if !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("Scan: %v, want a bound error", err)
	}
}

func TestTerraformTooLarge(t *testing.T) {
	src := "locals {\n" + strings.Repeat("  # padding padding padding padding padding padding\n", 6000) + "}\n"
	_, err := iac.New().Scan(context.Background(), wholeFile("main.tf", []byte(src)))
	if !errors.Is(err, scanners.ErrBound) {
		t.Fatalf("Scan of a %d-byte Terraform file: %v, want a bound error", len(src), err)
	}
}
