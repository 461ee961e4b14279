package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/code"
	"github.com/shiftward/shiftward/scanners/deps"
	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/pipelines"
	"github.com/shiftward/shiftward/scanners/scannertest"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// hostileChildCmd scans one hostile file in a process of its own, so that
// its peak memory is its own and a crash takes only it down.
const hostileChildCmd = "_hostile-one"

// Goals of the hostile-input benchmark (issue 11): every file either
// scanned or reported as not scanned, each within these.
const (
	hostileTimeGoal = 10 * time.Second
	hostileRSSGoal  = 512 << 20
)

// hostileOutcome is what the child reports of one file.
type hostileOutcome struct {
	Findings   int      `json:"findings"`
	NotScanned []string `json:"not_scanned,omitempty"`
	// Skipped names the scanners that passed the file over as not written
	// by hand (minified, generated): by design, and said in a review.
	Skipped []string `json:"skipped,omitempty"`
	Elapsed float64  `json:"elapsed_s"`
}

// runHostile scans every file of scannertest.HostileFiles with all five
// scanners, each in a child process, and prints time and peak RSS per file
// beside the goals. A child that crashes, or exceeds a goal, fails the run.
func runHostile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("hostile", flag.ContinueOnError)
	only := fs.String("only", "", "scan only the hostile files whose path contains this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	files := scannertest.HostileFiles()
	paths := make([]string, 0, len(files))
	for p := range files {
		if strings.Contains(p, *only) {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	type row struct {
		path    string
		size    int
		out     hostileOutcome
		rss     int64
		crashed string
	}
	// Each file is handed over on disk: the child then holds that file
	// only, not the whole generated set.
	dir, err := os.MkdirTemp("", "shiftward-hostile")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var rows []row
	for i, p := range append([]string{""}, paths...) {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := p
		if p == "" {
			name = "baseline/empty.txt" // the scanners loaded, nothing to scan
		}
		file := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(file, files[p], 0o600); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, self, hostileChildCmd, name, file)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		os.Remove(file)
		r := row{path: name, size: len(files[p])}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.rss = ru.Maxrss * 1024
		}
		if err != nil {
			r.crashed = firstLine(stderr.String())
			if r.crashed == "" {
				r.crashed = err.Error()
			}
		} else if err := json.Unmarshal(stdout, &r.out); err != nil {
			r.crashed = "unreadable report: " + err.Error()
		}
		rows = append(rows, r)
	}

	var worstTime float64
	var worstRSS int64
	failed := 0
	scanned, refused := 0, 0
	baseline := rows[0]
	rows = rows[1:]
	fmt.Printf("baseline (scanners loaded, an empty file scanned): peak RSS %d MiB\n\n", baseline.rss>>20)
	fmt.Printf("%-58s %9s %8s %9s  %s\n", "hostile file", "bytes", "time", "peak RSS", "outcome")
	for _, r := range rows {
		outcome := fmt.Sprintf("scanned, %d finding(s)", r.out.Findings)
		switch {
		case r.crashed != "":
			outcome = "CRASHED: " + r.crashed
			failed++
		case len(r.out.NotScanned) > 0:
			outcome = "not scanned: " + r.out.NotScanned[0]
			refused++
		case len(r.out.Skipped) > 0:
			outcome = fmt.Sprintf("scanned, %d finding(s); not hand-written, passed over by %s", r.out.Findings, strings.Join(r.out.Skipped, ", "))
			scanned++
		default:
			scanned++
		}
		over := ""
		if r.out.Elapsed > hostileTimeGoal.Seconds() || r.rss > hostileRSSGoal {
			over = "  OVER GOAL"
			failed++
		}
		worstTime = max(worstTime, r.out.Elapsed)
		worstRSS = max(worstRSS, r.rss)
		fmt.Printf("%-58s %9d %7.2fs %6d MiB  %s%s\n", r.path, r.size, r.out.Elapsed, r.rss>>20, truncate(outcome, 90), over)
	}
	fmt.Printf("\n%d hostile files: %d scanned, %d reported not scanned, %d crashed or over a goal\n", len(rows), scanned, refused, failed)
	fmt.Printf("worst scan time %.2fs (goal < %s), worst peak RSS %d MiB (goal < %d MiB; %d MiB of it is the scanners loaded)\n",
		worstTime, hostileTimeGoal, worstRSS>>20, hostileRSSGoal>>20, baseline.rss>>20)
	if failed > 0 {
		return fmt.Errorf("%d hostile file(s) crashed or went over a goal", failed)
	}
	return nil
}

// runHostileOne is the child: it scans FILE as PATH, a change that
// adds it whole (a .diff path is read as a diff, file by file, as
// `shiftward scan --diff` does) and prints a hostileOutcome.
func runHostileOne(ctx context.Context, args []string) error {
	if len(args) != 2 {
		return errors.New("usage: " + hostileChildCmd + " PATH FILE")
	}
	content, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	list, err := benchScanners()
	if err != nil {
		return err
	}
	start := time.Now()
	var inputs []*scanners.Input
	var notScanned []string
	if strings.HasSuffix(args[0], ".diff") {
		r := diff.NewReader(strings.NewReader(string(content)))
		for {
			f, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				notScanned = append(notScanned, err.Error())
				if errors.Is(err, diff.ErrFileTooLarge) {
					continue
				}
				break
			}
			if f.IsDelete || f.IsBinary {
				continue
			}
			in := &scanners.Input{Path: f.NewPath, New: f.IsNew}
			for _, l := range f.Added() {
				in.Added = append(in.Added, scanners.Line{Number: l.NewNumber, Text: l.Text})
			}
			inputs = append(inputs, in)
		}
	} else {
		in := &scanners.Input{Path: args[0], New: true}
		for i, l := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
			in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
		}
		in.Content = content
		inputs = append(inputs, in)
	}
	res, err := scanners.Run(ctx, list, inputs)
	if err != nil {
		return err
	}
	var skipped []string
	for _, st := range res.Statuses {
		for _, e := range st.Errors {
			notScanned = append(notScanned, st.Scanner+": "+e.Error())
		}
		if st.Skipped > 0 {
			skipped = append(skipped, st.Scanner)
		}
	}
	return json.NewEncoder(os.Stdout).Encode(hostileOutcome{
		Findings: len(res.Findings), NotScanned: notScanned, Skipped: skipped, Elapsed: time.Since(start).Seconds(),
	})
}

// benchScanners is the product's scanner list with an advisory source that
// answers "nothing known" at once: the benchmark measures parsing, not OSV.
func benchScanners() ([]scanners.Scanner, error) {
	s, err := secrets.New()
	if err != nil {
		return nil, err
	}
	c, err := code.New()
	if err != nil {
		return nil, err
	}
	return []scanners.Scanner{s, deps.New(noAdvisories{}), iac.New(), pipelines.New(), c}, nil
}

type noAdvisories struct{}

func (noAdvisories) Query(_ context.Context, pkgs []deps.Package) ([][]deps.Vuln, error) {
	return make([][]deps.Vuln, len(pkgs)), nil
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
