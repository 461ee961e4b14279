package diff_test

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// heapGrowth runs f and returns how many bytes it allocated.
func heapGrowth(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestLineBounds: a file's part with more lines than the bounds is refused
// as too large (the reader goes on with the next file) without costing
// memory in proportion to its lines. Before, a hunk whose header miscounts
// 2M short lines went whole to go-gitdiff: about 1 GB allocated.
func TestLineBounds(t *testing.T) {
	next := "diff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n"
	tests := []struct {
		name string
		src  string
	}{
		{"miscounted hunk", string(scannertest.HostileFiles()["hostile/diff/counts.diff"]) + next},
		{"well-formed hunk over the line bound", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,1100000 @@\n" + strings.Repeat("+\n", 1100000) + next},
		{"malformed part over the slow bound", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,300000 +1,300000 @@\n" + strings.Repeat("+a\n", 300000) + "junk\n" + next},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var files []*diff.File
			var errs []error
			alloc := heapGrowth(func() {
				r := diff.NewReader(strings.NewReader(tc.src))
				for {
					f, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						errs = append(errs, err)
						continue
					}
					files = append(files, f)
				}
			})
			if len(errs) != 1 || !errors.Is(errs[0], diff.ErrFileTooLarge) {
				t.Fatalf("errors %v, want one saying the file is too large", errs)
			}
			if len(files) != 1 || files[0].Path() != "y" {
				t.Fatalf("read %d files after the large one, want y", len(files))
			}
			// The fast reader's lines cost ~50 bytes each, up to the bound.
			if limit := uint64(128 << 20); alloc > limit {
				t.Fatalf("allocated %d MiB for a %d MiB diff", alloc>>20, len(tc.src)>>20)
			}
		})
	}
}

func TestHugeLineIsRead(t *testing.T) {
	src := scannertest.HostileFiles()["hostile/diff/huge-line.diff"]
	files, err := diff.Parse(bytes.NewReader(src))
	if err != nil || len(files) != 1 || len(files[0].Added()) != 1 || len(files[0].Added()[0].Text) < 3<<20 {
		t.Fatalf("Parse: %d files, %v; want the one huge added line", len(files), err)
	}
}

// TestPatchLineBound: a host's patch for one file goes through the same
// bound when the fast reader declines it.
func TestPatchLineBound(t *testing.T) {
	patch := "@@ -1,300000 +1,300000 @@\n" + strings.Repeat("+a\n", 300000) + "junk\n"
	if _, err := diff.ParsePatch("x", "x", patch); !errors.Is(err, diff.ErrFileTooLarge) {
		t.Fatalf("ParsePatch: %v, want too large", err)
	}
}
