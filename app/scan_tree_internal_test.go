package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/review"
	"github.com/shiftward/shiftward/scanners"
)

// gitIn runs git in dir, failing the test on an error.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// writeFiles writes files (path: content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// terraformRepo is a git work tree with a Terraform module, files git
// ignores (a local tfvars, downloaded modules), a tracked tfvars that the
// ignore rules would match, symbolic links and a FIFO.
func terraformRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q", "-b", "main")
	writeFiles(t, dir, map[string]string{
		".gitignore":              "*.tfvars\n.terraform/\n",
		"main.tf":                 "module \"net\" { source = \"./modules/net\" }\n",
		"variables.tf":            "variable \"x\" {}\n",
		"terraform.tfvars":        "x = \"local\"\n",
		"keep.tfvars":             "x = \"tracked\"\n",
		".terraform/modules/m.tf": "downloaded\n",
		"modules/net/main.tf":     "resource \"x\" \"y\" {}\n",
	})
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "add", "-f", "keep.tfvars")
	gitIn(t, dir, "commit", "-q", "-m", "base")
	for link, target := range map[string]string{"link.tf": "main.tf", "linkdir": "modules", "out": t.TempDir()} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "modules", "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The work tree is listed as git would commit it; a path that leaves it
// (or goes through a symbolic link, or into .git) lists nothing.
func TestListWorkTree(t *testing.T) {
	dir := terraformRepo(t)
	ctx := context.Background()
	root := []string{".gitignore", "keep.tfvars", "link.tf", "linkdir", "main.tf", "modules/", "out", "variables.tf"}
	tests := []struct {
		dir  string
		want []string
	}{
		{"", root},
		{".", root},
		{"/", root},
		{"modules", []string{"net/"}},
		{"modules/net", []string{"main.tf"}},
		{"modules/net/", []string{"main.tf"}},
		{"linkdir", nil},
		{"linkdir/net", nil},
		{"out", nil},
		{"..", nil},
		{"../" + filepath.Base(dir), nil},
		{"modules/../..", nil},
		{"/etc", nil},
		{".git", nil},
		{".git/refs", nil},
		{".terraform", nil},
		{"missing", nil},
		{"main.tf", nil},
	}
	for _, tt := range tests {
		got, err := listWorkTree(ctx, dir, tt.dir)
		if err != nil {
			t.Errorf("List(%q): %v", tt.dir, err)
			continue
		}
		if d := cmp.Diff(tt.want, got, cmpEmpty); d != "" {
			t.Errorf("List(%q) (-want +got):\n%s", tt.dir, d)
		}
	}
}

// cmpEmpty makes nil and empty listings equal.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b)
})

func TestListWorkTreeBound(t *testing.T) {
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	files := map[string]string{}
	for i := range maxDirEntries + 1 {
		files[fmt.Sprintf("big/f%04d.tf", i)] = ""
	}
	writeFiles(t, dir, files)
	got, err := listWorkTree(context.Background(), dir, "big")
	if !errors.Is(err, scanners.ErrBound) || len(got) != maxDirEntries {
		t.Errorf("a directory past the bound: %d entries, %v; want %d and ErrBound", len(got), err, maxDirEntries)
	}
}

// siblingProbe reads, for each .tf input, the other Terraform files of its
// directory (.tf, .tfvars) through in.Tree, skipping those that cannot be
// read as files (a symbolic link), and reports them in one finding on the
// input's first added line; without a tree it says so.
type siblingProbe struct{}

func (siblingProbe) Name() string        { return "probe" }
func (siblingProbe) Wants(p string) bool { return strings.HasSuffix(p, ".tf") }
func (siblingProbe) Scan(ctx context.Context, in *scanners.Input) ([]scanners.Finding, error) {
	msg := "no tree"
	if in.Tree != nil {
		dir := filepath.ToSlash(filepath.Dir(in.Path))
		names, err := in.Tree.List(ctx, dir)
		if err != nil {
			return nil, err
		}
		var read []string
		for _, n := range names {
			p := strings.TrimPrefix(dir+"/"+n, "./")
			if !strings.HasSuffix(n, ".tf") && !strings.HasSuffix(n, ".tfvars") || p == in.Path {
				continue
			}
			b, err := in.Tree.Read(ctx, p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			read = append(read, p+": "+strings.TrimSpace(string(b)))
		}
		msg = strings.Join(read, "; ")
	}
	l := in.Added[0].Number
	return []scanners.Finding{{Scanner: "probe", RuleID: "probe/siblings", Severity: scanners.SeverityLow, Title: "siblings",
		Message: msg, Identity: in.Path, Location: scanners.Location{Path: in.Path, StartLine: l, EndLine: l}}}, nil
}

// A local scan of the work tree gives scanners its tree: a changed
// Terraform file's untouched sibling is read, as the work tree has it; a
// diff handed in gives none.
func TestScanGivesScannersTheWorkTree(t *testing.T) {
	dir := terraformRepo(t)
	gitIn(t, dir, "checkout", "-q", "-b", "feature")
	writeFiles(t, dir, map[string]string{"modules/net/main.tf": "resource \"x\" \"y\" {}\nresource \"x\" \"z\" {}\n", "modules/net/outputs.tf": "output \"o\" {}\n"})
	gitIn(t, dir, "add", "modules/net/main.tf")
	gitIn(t, dir, "commit", "-q", "-m", "change")
	writeFiles(t, dir, map[string]string{"modules/net/variables.tf": "variable \"v\" {}\n"}) // untracked, not ignored

	probe := func(opt ScanOptions) map[string]string {
		t.Helper()
		ctx := context.Background()
		src, err := openDiff(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		out, err := review.Run(ctx, src.reviewed(), review.Options{Scanners: []scanners.Scanner{siblingProbe{}}, Verify: src.verify})
		if cerr := src.close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range out.Result.Findings {
			got[f.Location.Path] = f.Message
		}
		return got
	}
	want := map[string]string{
		"modules/net/main.tf":      `modules/net/outputs.tf: output "o" {}; modules/net/variables.tf: variable "v" {}`,
		"modules/net/outputs.tf":   `modules/net/main.tf: resource "x" "y" {}` + "\n" + `resource "x" "z" {}; modules/net/variables.tf: variable "v" {}`,
		"modules/net/variables.tf": `modules/net/main.tf: resource "x" "y" {}` + "\n" + `resource "x" "z" {}; modules/net/outputs.tf: output "o" {}`,
	}
	if d := cmp.Diff(want, probe(ScanOptions{Dir: dir, Base: "main"})); d != "" {
		t.Errorf("work tree against main (-want +got):\n%s", d)
	}
	if got := probe(ScanOptions{Dir: dir, All: true})["main.tf"]; got != `keep.tfvars: x = "tracked"; variables.tf: variable "x" {}` {
		t.Errorf("baseline: main.tf's siblings %q, want the tracked tfvars and variables.tf (not the ignored tfvars, not a link)", got)
	}

	d, err := exec.Command("git", "-C", dir, "diff", "main", "--", "modules/net/main.tf").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := probe(ScanOptions{Dir: dir, DiffFile: "-", Stdin: bytes.NewReader(d)})
	if got["modules/net/main.tf"] != "no tree" {
		t.Errorf("a diff handed in: %q, want no tree (the work tree may not be its new version)", got)
	}
}
