package code_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCrossFunctionsCost compares the CPU time of scans with and without
// the taint across functions, interleaved so that a loaded machine slows
// both alike: lines per CPU second for Go's standard library and the
// synthetic files. Set SHIFTWARD_CROSS_COST=1 to run it
// (SHIFTWARD_NO_SUMMARIES=1 as well measures the walk's bookkeeping alone).
func TestCrossFunctionsCost(t *testing.T) {
	if os.Getenv("SHIFTWARD_CROSS_COST") == "" {
		t.Skip("set SHIFTWARD_CROSS_COST=1")
	}
	s, err := code.New()
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string][]*scanners.Input{}
	nlines := map[string]int{}
	//lint:ignore SA1019 Go's own source
	root := filepath.Join(runtime.GOROOT(), "src")
	var goIns []*scanners.Input
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || n > 4<<20 {
			return filepath.SkipAll
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, _ := os.ReadFile(p)
		ls := lines(string(data))
		goIns = append(goIns, &scanners.Input{Path: p, Added: ls, Content: data})
		n += len(data)
		nlines["go"] += len(ls)
		return nil
	})
	sets["go"] = goIns
	for _, lang := range []string{"python", "javascript", "java"} {
		p, src := synthFile(lang, 400)
		ls := lines(src)
		sets[lang] = []*scanners.Input{{Path: p, Added: ls, Content: []byte(src)}}
		nlines[lang] = len(ls)
	}
	ctx := context.Background()
	for _, lang := range []string{"go", "python", "javascript", "java"} {
		var cpu [2]time.Duration
		rounds := 30
		if lang == "go" {
			rounds = 4
		}
		for r := 0; r < rounds; r++ {
			for k, on := range []bool{false, true} {
				code.SetCrossFunctions(on)
				code.SetNoSummaries(os.Getenv("SHIFTWARD_NO_SUMMARIES") != "")
				runtime.GC()
				start := cpuTime()
				for _, in := range sets[lang] {
					s.Scan(ctx, in)
				}
				cpu[k] += cpuTime() - start
			}
		}
		code.SetCrossFunctions(true)
		off := float64(nlines[lang]*rounds) / cpu[0].Seconds()
		on := float64(nlines[lang]*rounds) / cpu[1].Seconds()
		t.Logf("%-10s %9.0f lines/CPU-s without, %9.0f with the taint across functions (%+.1f%%)", lang, off, on, 100*(on-off)/off)
	}
}
