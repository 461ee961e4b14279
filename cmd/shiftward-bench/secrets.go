package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/diff"
	"github.com/shiftward/shiftward/scanners/secrets"
)

// secretsChildCmd is the hidden subcommand the secrets benchmark runs as a
// child process, so its peak RSS is measured apart from the harness's.
const secretsChildCmd = "_secrets-child"

// gitleaksVersion is the release compared against, built as its release
// binaries are (with the go-re2 regex engine).
const gitleaksVersion = "v8.30.1"

// planted is one secret put into the benchmark diff, with where it lands
// both in the new file (what shiftward reports) and in the diff stream
// (what `gitleaks stdin` reports).
type planted struct {
	Kind              string
	Path              string
	NewLine, NewEnd   int
	DiffLine, DiffEnd int
}

// plantKinds are the secrets planted, round robin: provider tokens gitleaks
// knows, a multi-line private key, a generic API key, and the credential
// shapes shiftward adds rules for (a low-entropy password, a connection
// string). Values come from a seeded generator: random, so entropy checks
// pass, and the same on every run.
var plantKinds = []struct {
	name string
	make func(r *rand.Rand, i int) []string
}{
	{"github-pat", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "ghp_"+rnd(r, alnum, 36))}
	}},
	{"gitlab-pat", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "glpat-"+rnd(r, alnum, 20))}
	}},
	{"aws-access-token", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "AKIA"+rnd(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))}
	}},
	{"slack-bot-token", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "xoxb-"+rnd(r, digits, 12)+"-"+rnd(r, digits, 13)+"-"+rnd(r, alnum, 24))}
	}},
	{"stripe-access-token", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "sk_live_"+rnd(r, alnum, 24))}
	}},
	{"npm-access-token", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "npm_"+rnd(r, "abcdefghijklmnopqrstuvwxyz0123456789", 36))}
	}},
	{"gcp-api-key", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "AIza"+rnd(r, alnum+"_-", 35))}
	}},
	{"sendgrid-api-token", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tbenchValue%d := %q", i, "SG."+rnd(r, alnum, 22)+"."+rnd(r, alnum, 43))}
	}},
	{"private-key", func(r *rand.Rand, i int) []string {
		lines := []string{fmt.Sprintf("\tbenchKey%d := `-----BEGIN RSA PRIVATE KEY-----", i), "MIIEpAIBAAKCAQEA" + rnd(r, b64chars, 48)}
		for range 8 {
			lines = append(lines, rnd(r, b64chars, 64))
		}
		return append(lines, rnd(r, b64chars, 20)+"==", "-----END RSA PRIVATE KEY-----`")
	}},
	{"generic-api-key", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tapiKey%d := %q", i, rnd(r, alnum, 32))}
	}},
	{"password", func(r *rand.Rand, i int) []string {
		words := []string{"summer", "dragon", "falcon", "cobalt", "meadow", "harbor"}
		return []string{fmt.Sprintf("\tdbPassword := %q", words[r.IntN(len(words))]+rnd(r, digits, 3)+"!")}
	}},
	{"connection-string", func(r *rand.Rand, i int) []string {
		return []string{fmt.Sprintf("\tdsn%d := %q", i, "postgres://app:"+rnd(r, alnum, 12)+"@db.internal:5432/app")}
	}},
}

const (
	alnum    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits   = "0123456789"
	b64chars = alnum + "+/"
)

func rnd(r *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}

// childResult is what one tool's run measured.
type childResult struct {
	wall   time.Duration
	cpu    time.Duration // user + system, the tool's and its git's
	maxRSS int64         // bytes: rusage maxrss, the most of the tool and the git it ran
	// peakAnon and peakHWM are sampled from the tool's own
	// /proc/<pid>/status (RssAnon, VmHWM) every sampleEvery: the tool
	// process alone, without the git it runs; 0 when not sampled.
	peakAnon, peakHWM int64
	found             int
}

// sampleEvery is how often the tool's /proc/<pid>/status is read: often
// enough to catch a heap peak that lasts a garbage-collection cycle, seldom
// enough (one small read) not to steal the tool's core.
const sampleEvery = 5 * time.Millisecond

// runMeasured runs cmd, with stdin from stdinPath unless it is empty, and
// returns its wall time, CPU time and peak RSS (rusage maxrss, which Linux
// reports in KiB, and which covers the children the tool waited for: its
// git), and the tool's own peak anonymous memory, sampled. CPU time is
// reported beside wall time because the machine is shared: other processes
// stretch wall time, not CPU time. The measures are filled in even when the
// tool exits non-zero; okExit lists the exit codes that are no error.
func runMeasured(cmd *exec.Cmd, stdinPath string, okExit ...int) (childResult, error) {
	if stdinPath != "" {
		in, err := os.Open(stdinPath)
		if err != nil {
			return childResult{}, err
		}
		defer in.Close()
		cmd.Stdin = in
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return childResult{}, err
	}
	done := make(chan struct{})
	peaks := sampleStatus(cmd.Process.Pid, done)
	err := cmd.Wait()
	r := childResult{wall: time.Since(start)}
	close(done)
	pk := <-peaks
	r.peakAnon, r.peakHWM = pk.anon, pk.hwm
	if st := cmd.ProcessState; st != nil {
		r.cpu = st.UserTime() + st.SystemTime()
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && slices.Contains(okExit, exit.ExitCode()) {
		err = nil
	}
	return r, err
}

// statusPeaks are the highest RssAnon and VmHWM read from a process's
// /proc/<pid>/status, in bytes.
type statusPeaks struct{ anon, hwm int64 }

// sampleStatus reads /proc/<pid>/status every sampleEvery until done is
// closed, then sends the peaks. A process that has exited (or a system
// without /proc) reads as nothing: the peaks are then 0, never a guess.
func sampleStatus(pid int, done <-chan struct{}) <-chan statusPeaks {
	out := make(chan statusPeaks, 1)
	go func() {
		var pk statusPeaks
		path := "/proc/" + strconv.Itoa(pid) + "/status"
		buf := make([]byte, 8192)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			if a, h, ok := readStatus(path, buf); ok {
				pk.anon, pk.hwm = max(pk.anon, a), max(pk.hwm, h)
			}
			select {
			case <-done:
				out <- pk
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// readStatus reads RssAnon and VmHWM (in bytes) from a /proc status file.
func readStatus(path string, buf []byte) (anon, hwm int64, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	n, _ := io.ReadFull(f, buf)
	f.Close()
	for _, line := range strings.Split(string(buf[:n]), "\n") {
		name, val, found := strings.Cut(line, ":")
		if !found || (name != "RssAnon" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			continue
		}
		if name == "RssAnon" {
			anon, ok = kb*1024, true
		} else {
			hwm = kb * 1024
		}
	}
	return anon, hwm, ok
}

// keepBest folds run r into best: the lowest wall and CPU time and the
// highest memory figures. On a shared machine the fastest run is the one
// least disturbed by other work, while memory does not benefit from luck.
func keepBest(best *childResult, r childResult, first bool) {
	if first {
		*best = r
		return
	}
	best.wall, best.cpu = min(best.wall, r.wall), min(best.cpu, r.cpu)
	best.maxRSS = max(best.maxRSS, r.maxRSS)
	best.peakAnon, best.peakHWM = max(best.peakAnon, r.peakAnon), max(best.peakHWM, r.peakHWM)
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found: run from inside the repository")
		}
		dir = parent
	}
}

// ensureGitleaks builds gitleaks into binDir unless bin is there: with go
// install as configured, and when that fails (no network), again from the
// module cache alone (GOPROXY pointed at its download directory; no
// checksum database to ask, so GOSUMDB is off for that one build).
func ensureGitleaks(ctx context.Context, bin, binDir string) error {
	if _, err := os.Stat(bin); err == nil {
		return nil
	}
	fmt.Fprintf(os.Stderr, "building gitleaks %s into %s ...\n", gitleaksVersion, binDir)
	install := func(env ...string) error {
		cmd := exec.CommandContext(ctx, "go", "install", "-tags", "gore2regex", "github.com/zricethezav/gitleaks/v8@"+gitleaksVersion)
		cmd.Env = append(append(os.Environ(), "GOBIN="+binDir), env...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		return cmd.Run()
	}
	err := install()
	if err == nil {
		return nil
	}
	modcache, merr := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	if merr != nil {
		return err
	}
	dl := filepath.Join(strings.TrimSpace(string(modcache)), "cache", "download")
	fmt.Fprintf(os.Stderr, "go install failed (%v); trying the module cache alone (%s)\n", err, dl)
	return install("GOPROXY=file://"+filepath.ToSlash(dl), "GOSUMDB=off", "GOFLAGS=-mod=mod")
}

// copyBinary copies the executable src to dst. Each tool runs from a copy
// in the bench directory: a freshly linked binary can sit in the page cache
// as huge pages (FilePmdMapped), which count tens of MiB of file-backed
// pages into its RSS; copied alike, both tools are measured alike.
func copyBinary(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// runSecrets is `shiftward-bench secrets`.
func runSecrets(ctx context.Context, args []string) error {
	b, err := parseSecretsFlags(args)
	if err != nil {
		return err
	}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	b.env = append(gitEnv(), "GOMAXPROCS="+strconv.Itoa(b.procs))
	if err := b.buildTools(ctx); err != nil {
		return err
	}
	// The tools run alternately, round after round, so a burst of other
	// work on the shared machine slows both rather than one.
	var sw, gl childResult
	for i := range max(1, b.runs) {
		r, err := b.runShiftward(ctx)
		if err != nil {
			return fmt.Errorf("shiftward scan: %w", err)
		}
		keepBest(&sw, r, i == 0)
		if b.skipGitleaks {
			continue
		}
		if r, err = b.runGitleaks(ctx); err != nil {
			return fmt.Errorf("gitleaks: %w", err)
		}
		keepBest(&gl, r, i == 0)
	}
	var swTotal, glTotal int
	if sw.found, swTotal, err = shiftwardRecall(b.path("shiftward-findings.json"), b.plants); err != nil {
		return err
	}
	if !b.skipGitleaks {
		if gl.found, glTotal, err = gitleaksRecall(b.path("gitleaks-report.json"), b.plants, b.gitMode()); err != nil {
			return err
		}
	}
	if err := b.engineBreakdown(ctx); err != nil {
		return err
	}
	var glp *childResult
	if !b.skipGitleaks {
		glp = &gl
	}
	b.report(sw, swTotal, glp, glTotal)
	return nil
}

// secretsBench is one run of the secrets benchmark: its flags, where its
// files go, and what it scans.
type secretsBench struct {
	sizeMB, n, procs, runs int
	mode                   string // "git" or "stdin"
	glBin                  string
	skipGitleaks           bool

	root, dir string   // the repository and its .bench directory
	env       []string // both tools' environment: GOMAXPROCS set
	swBin     string   // the copies the tools run from
	glRun     string
	diffPath  string // the diff (stdin mode; git mode: the head's diff, for the breakdown)
	repo      *gitBench
	repoDir   string
	plants    []planted
	size      int64 // bytes scanned: of the diff (stdin), of the added files (git)
	files     int
	diffBytes int64
}

func (b *secretsBench) gitMode() bool { return b.mode == "git" }

// parseSecretsFlags parses the secrets benchmark's flags.
func parseSecretsFlags(args []string) (*secretsBench, error) {
	fl := flag.NewFlagSet("secrets", flag.ContinueOnError)
	sizeMB := fl.Int("size", 50, "size of the generated change in MB (as a unified diff)")
	n := fl.Int("secrets", 240, "number of secrets to plant")
	procs := fl.Int("procs", 1, "GOMAXPROCS for both tools (1 = single-threaded)")
	mode := fl.String("mode", "git", "git: a generated repository, `shiftward scan --base` vs `gitleaks git --log-opts base..head` (issue 16); "+
		"stdin: a generated diff, `shiftward scan --diff -` vs `gitleaks stdin`")
	glBin := fl.String("gitleaks", "", "gitleaks binary (default .bench/bin/gitleaks, built with go install if missing)")
	skipGitleaks := fl.Bool("skip-gitleaks", false, "measure shiftward only")
	runs := fl.Int("runs", 3, "runs per tool, alternating; the table shows the fastest (the machine may be shared)")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if *mode != "git" && *mode != "stdin" {
		return nil, fmt.Errorf("-mode %q: want git or stdin", *mode)
	}
	return &secretsBench{sizeMB: *sizeMB, n: *n, procs: *procs, runs: *runs, mode: *mode, glBin: *glBin, skipGitleaks: *skipGitleaks}, nil
}

// path names a file in the .bench directory.
func (b *secretsBench) path(elem ...string) string {
	return filepath.Join(append([]string{b.dir}, elem...)...)
}

// prepare generates what the tools scan, Go's own source as added files
// with secrets planted, into .bench (a diff, or a git repository reused
// from an earlier run with the same inputs), and prints what it holds.
func (b *secretsBench) prepare(ctx context.Context) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	b.root, b.dir = root, filepath.Join(root, ".bench")
	if err := os.MkdirAll(b.path("run"), 0o755); err != nil {
		return err
	}
	goenv, err := exec.CommandContext(ctx, "go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	gorootLine, goVersion, _ := strings.Cut(strings.TrimSpace(string(goenv)), "\n")
	src := filepath.Join(gorootLine, "src")
	size := int64(b.sizeMB) << 20
	if b.gitMode() {
		t := time.Now()
		b.repoDir = b.path(fmt.Sprintf("secrets-git-%dmb-%d", b.sizeMB, b.n))
		// The key names every input of the repository: the generator's
		// version (bump it when genBench or the plants change), the Go
		// source it copies, the size and the plants' count and seed.
		key := fmt.Sprintf("gen1 %s %s size=%d secrets=%d seed=1,2", goVersion, src, size, b.n)
		if b.repo, err = buildGitBench(ctx, b.repoDir, src, key, size, b.n); err != nil {
			return fmt.Errorf("building the bench repository: %w", err)
		}
		b.plants, b.size, b.files, b.diffBytes = b.repo.Plants, b.repo.Bytes, b.repo.Files, b.repo.DiffBytes
		b.diffPath = b.repoDir + ".diff"
		if err := b.writeHeadDiff(ctx); err != nil {
			return err
		}
		fmt.Printf("git mode: %s, base %.7s, head %.7s adds %d files (%.1f MB of Go source; %.1f MB as a diff), %d planted secrets (%d kinds), ready in %.1fs\n",
			b.repoDir, b.repo.Base, b.repo.Head, b.files, float64(b.size)/1e6, float64(b.diffBytes)/1e6, len(b.plants), len(plantKinds), time.Since(t).Seconds())
	} else {
		b.diffPath = b.path(fmt.Sprintf("secrets-%dmb.diff", b.sizeMB))
		df, err := os.Create(b.diffPath)
		if err != nil {
			return err
		}
		b.plants, b.size, err = buildBenchDiff(df, src, size, b.n)
		if cerr := df.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("building diff: %w", err)
		}
		b.diffBytes = b.size
		fmt.Printf("stdin mode: diff %s, %.1f MB of Go source as added files, %d planted secrets (%d kinds)\n",
			b.diffPath, float64(b.size)/1e6, len(b.plants), len(plantKinds))
	}
	fmt.Printf("GOMAXPROCS=%d, best of %d alternating runs\n\n", b.procs, max(1, b.runs))
	return nil
}

// writeHeadDiff writes the diff of base..head next to the repository (once:
// it is kept while the repository is), which the engine breakdown streams.
func (b *secretsBench) writeHeadDiff(ctx context.Context) error {
	if st, err := os.Stat(b.diffPath); err == nil && st.ModTime().After(modTime(b.repoDir+".json")) {
		return nil
	}
	f, err := os.Create(b.diffPath)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "git", "-C", b.repoDir, "diff", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", b.repo.Base, b.repo.Head, "--")
	cmd.Env, cmd.Stdout, cmd.Stderr = gitEnv(), f, os.Stderr
	err = cmd.Run()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(b.diffPath)
		return fmt.Errorf("git diff of the bench repository: %w", err)
	}
	return nil
}

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// buildTools builds shiftward (and gitleaks when no binary was given and
// none is in .bench/bin), and copies both to .bench/run, where they run
// from (see copyBinary).
func (b *secretsBench) buildTools(ctx context.Context) error {
	built := b.path("bin", "shiftward")
	build := exec.CommandContext(ctx, "go", "build", "-o", built, "./cmd/shiftward")
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building shiftward: %w", err)
	}
	b.swBin = b.path("run", "shiftward")
	if err := copyBinary(built, b.swBin); err != nil {
		return err
	}
	if b.skipGitleaks {
		return nil
	}
	gl := b.glBin
	if gl == "" {
		gl = b.path("bin", "gitleaks")
		if err := ensureGitleaks(ctx, gl, filepath.Dir(gl)); err != nil {
			return fmt.Errorf("building gitleaks: %w", err)
		}
	}
	b.glRun = b.path("run", "gitleaks")
	return copyBinary(gl, b.glRun)
}

// runShiftward runs shiftward once as users do, the secret scanner alone
// like gitleaks, its findings written to shiftward-findings.json: git mode
// `shiftward scan --scanners secrets --base BASE --format json REPO`,
// stdin mode `... --diff - --format json` with the diff streamed in. Exit
// code 1 means findings, which there are: not an error.
func (b *secretsBench) runShiftward(ctx context.Context) (childResult, error) {
	out, err := os.Create(b.path("shiftward-findings.json"))
	if err != nil {
		return childResult{}, err
	}
	defer out.Close()
	args := []string{"scan", "--scanners", "secrets", "--diff", "-", "--format", "json"}
	stdin := b.diffPath
	if b.gitMode() {
		args = []string{"scan", "--scanners", "secrets", "--base", b.repo.Base, "--format", "json", b.repoDir}
		stdin = ""
	}
	// shiftward:ignore code/go-command-context swBin is the copy of the shiftward binary this bench built
	cmd := exec.CommandContext(ctx, b.swBin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = b.env, out, os.Stderr
	return runMeasured(cmd, stdin, 1)
}

// runGitleaks runs gitleaks once, its report written to
// gitleaks-report.json: git mode `gitleaks git --log-opts=BASE..HEAD REPO`,
// stdin mode `gitleaks stdin` with the diff streamed in.
func (b *secretsBench) runGitleaks(ctx context.Context) (childResult, error) {
	args := []string{"stdin"}
	stdin := b.diffPath
	if b.gitMode() {
		args = []string{"git", "--log-opts=" + b.repo.Base + ".." + b.repo.Head}
		stdin = ""
	}
	args = append(args, "--report-format", "json", "--report-path", b.path("gitleaks-report.json"),
		"--no-banner", "--exit-code", "0", "--log-level", "error", "--redact")
	if b.gitMode() {
		args = append(args, b.repoDir)
	}
	// shiftward:ignore code/go-command-context glRun is a copy of the gitleaks the operator of the bench points it at
	cmd := exec.CommandContext(ctx, b.glRun, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = b.env, io.Discard, os.Stderr
	return runMeasured(cmd, stdin)
}

// engineBreakdown runs the secret scanner alone once, in a child of this
// binary, on the diff (git mode: the head's diff), which writes where its
// time went to shiftward-stats.json.
func (b *secretsBench) engineBreakdown(ctx context.Context) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	// shiftward:ignore code/go-command-context self is this bench's own executable
	child := exec.CommandContext(ctx, self, secretsChildCmd)
	child.Env, child.Stdout, child.Stderr = append(b.env, "SHIFTWARD_BENCH_STATS="+b.path("shiftward-stats.json")), io.Discard, os.Stderr
	if _, err := runMeasured(child, b.diffPath); err != nil {
		return fmt.Errorf("engine breakdown: %w", err)
	}
	return nil
}

// report prints the comparison table, the throughput ratio, the memory
// goal, the engine's breakdown and the recall by kind; gl is nil when
// gitleaks was skipped.
func (b *secretsBench) report(sw childResult, swTotal int, gl *childResult, glTotal int) {
	mode := "stdin mode (diff on standard input)"
	if b.gitMode() {
		mode = "git mode (base..head of a repository)"
	}
	fmt.Printf("secret scan, %s:\n", mode)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tool\tMB/s (wall)\tMB/s (CPU)\twall\tCPU\trecall (planted)\tfindings\tpeak RSS\tpeak anon\t")
	b.row(tw, "shiftward", sw, swTotal)
	if gl != nil {
		b.row(tw, "gitleaks "+gitleaksVersion, *gl, glTotal)
	}
	tw.Flush()
	fmt.Printf("(MB: %.1f MB of %s; peak RSS: rusage maxrss, the most of the tool and the git it runs; "+
		"peak anon: the tool process's RssAnon, sampled every %v; each tool runs from a copy of its binary)\n",
		float64(b.size)/1e6, map[bool]string{true: "added files", false: "diff"}[b.gitMode()], sampleEvery)
	fmt.Printf("tool process alone, VmHWM sampled: shiftward %.1f MiB", mibf(sw.peakHWM))
	if gl != nil {
		fmt.Printf(", gitleaks %.1f MiB", mibf(gl.peakHWM))
	}
	fmt.Println()
	if gl != nil {
		wr, cr := gl.wall.Seconds()/sw.wall.Seconds(), gl.cpu.Seconds()/sw.cpu.Seconds()
		fmt.Printf("\nthroughput ratio shiftward/gitleaks: %.1fx by wall time, %.1fx by CPU time\n", wr, cr)
		fmt.Printf("issue 16 goal (>= 5x gitleaks at >= its recall, peak RSS <= 64 MiB): speed %s (%.1fx wall, %.1fx CPU), recall %s (%d vs %d), peak RSS %s (%.1f MiB)\n",
			verdict(wr >= 5 && cr >= 5), wr, cr, verdict(sw.found >= gl.found), sw.found, gl.found, verdict(sw.maxRSS <= 64<<20), mibf(sw.maxRSS))
	}
	printEngineStats(b.path("shiftward-stats.json"))
	fmt.Println("\nrecall by kind (shiftward / gitleaks):")
	byKind(b.plants, b.path("shiftward-findings.json"), b.path("gitleaks-report.json"), gl != nil, b.gitMode())
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// row writes one tool's line of the comparison table.
func (b *secretsBench) row(tw io.Writer, name string, r childResult, findings int) {
	fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.2fs\t%.2fs\t%.3f (%d/%d)\t%d\t%.1f MiB\t%.1f MiB\t\n", name, b.mbps(r.wall), b.mbps(r.cpu),
		r.wall.Seconds(), r.cpu.Seconds(),
		float64(r.found)/float64(len(b.plants)), r.found, len(b.plants), findings, mibf(r.maxRSS), mibf(r.peakAnon))
}

// mbps is the throughput, in MB/s, when what is scanned is scanned in d.
func (b *secretsBench) mbps(d time.Duration) float64 { return float64(b.size) / 1e6 / d.Seconds() }

// printEngineStats prints where the engine's time went, from the stats file
// the child wrote; nothing when it is missing or unreadable.
func printEngineStats(statsPath string) {
	data, err := os.ReadFile(statsPath)
	if err != nil {
		return
	}
	var st childStats
	if json.Unmarshal(data, &st) == nil && st.ScanNS > 0 {
		fmt.Printf("\nshiftward's time (last run): compiling rules %.0f ms, diff parsing %.2fs, Scan %.2fs "+
			"(%.1f MB of added lines: %.0f MB/s for the scanner alone)\n",
			float64(st.CompileNS)/1e6, float64(st.ParseNS)/1e9, float64(st.ScanNS)/1e9,
			float64(st.AddedBytes)/1e6, float64(st.AddedBytes)/1e6/(float64(st.ScanNS)/1e9))
	}
}

// swFinding is the part of a `shiftward scan --format json` finding the
// benchmark reads.
type swFinding struct {
	Path  string `json:"path"`
	Start int    `json:"start_line"`
	End   int    `json:"end_line"`
	Rule  string `json:"rule_id"`
}

// readShiftward reads the findings of `shiftward scan --format json`.
func readShiftward(path string) ([]swFinding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out struct {
		Findings []swFinding `json:"findings"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("shiftward output: %w", err)
	}
	return out.Findings, nil
}

// glFinding is the part of a gitleaks JSON report finding the benchmark
// reads. `gitleaks git` gives the new file's path and lines; `gitleaks
// stdin` gives lines of the diff stream and no file.
type glFinding struct {
	RuleID    string
	File      string
	StartLine int
	EndLine   int
}

func readGitleaks(path string) ([]glFinding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []glFinding
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("gitleaks report: %w", err)
	}
	return out, nil
}

// swHits says which plants a shiftward finding covers: same path,
// overlapping new-file lines.
func swHits(fs []swFinding, plants []planted) []bool {
	byPath := map[string][]swFinding{}
	for _, f := range fs {
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	hit := make([]bool, len(plants))
	for i, p := range plants {
		for _, f := range byPath[p.Path] {
			if f.Start <= p.NewEnd && f.End >= p.NewLine {
				hit[i] = true
			}
		}
	}
	return hit
}

// glHits says which plants a gitleaks finding covers: in git mode by path
// and new-file lines, in stdin mode by lines of the diff.
func glHits(fs []glFinding, plants []planted, gitMode bool) []bool {
	if gitMode {
		sw := make([]swFinding, len(fs))
		for i, f := range fs {
			sw[i] = swFinding{Path: f.File, Start: f.StartLine, End: f.EndLine, Rule: f.RuleID}
		}
		return swHits(sw, plants)
	}
	hit := make([]bool, len(plants))
	for i, p := range plants {
		for _, f := range fs {
			if f.StartLine <= p.DiffEnd && f.EndLine >= p.DiffLine {
				hit[i] = true
			}
		}
	}
	return hit
}

func count(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

func shiftwardRecall(path string, plants []planted) (found, total int, err error) {
	fs, err := readShiftward(path)
	if err != nil {
		return 0, 0, err
	}
	return count(swHits(fs, plants)), len(fs), nil
}

func gitleaksRecall(path string, plants []planted, gitMode bool) (found, total int, err error) {
	fs, err := readGitleaks(path)
	if err != nil {
		return 0, 0, err
	}
	return count(glHits(fs, plants, gitMode)), len(fs), nil
}

func byKind(plants []planted, swPath, glPath string, withGitleaks, gitMode bool) {
	sw, _ := readShiftward(swPath)
	swh := swHits(sw, plants)
	var glh []bool
	if withGitleaks {
		gl, _ := readGitleaks(glPath)
		glh = glHits(gl, plants, gitMode)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, k := range plantKinds {
		var n, a, b int
		for i, p := range plants {
			if p.Kind != k.name {
				continue
			}
			n++
			if swh[i] {
				a++
			}
			if glh != nil && glh[i] {
				b++
			}
		}
		if glh != nil {
			fmt.Fprintf(tw, "  %s\t%d/%d\t%d/%d\n", k.name, a, n, b, n)
		} else {
			fmt.Fprintf(tw, "  %s\t%d/%d\n", k.name, a, n)
		}
	}
	tw.Flush()
}

// runSecretsChild streams the diff on stdin through diff.NewReader one
// file at a time and writes one JSON line per finding. Workers scan files
// concurrently when GOMAXPROCS > 1. Memory stays bounded by the largest
// file, whatever the size of the diff.
func runSecretsChild(ctx context.Context, _ []string) error {
	// The live heap is the compiled rules plus one file; a soft memory
	// limit keeps RSS under the 64 MiB budget even for a large file.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
	if p := os.Getenv("SHIFTWARD_BENCH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var st childStats
	t0 := time.Now()
	s, err := secrets.New()
	if err != nil {
		return err
	}
	st.CompileNS = time.Since(t0).Nanoseconds()
	workers := runtime.GOMAXPROCS(0)
	inputs := make(chan *scanners.Input, workers)
	var mu sync.Mutex
	bw := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(bw)
	var wg sync.WaitGroup
	var scanErr error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range inputs {
				t := time.Now()
				fs, err := s.Scan(ctx, in)
				d := time.Since(t)
				mu.Lock()
				st.ScanNS += d.Nanoseconds()
				if err != nil && scanErr == nil {
					scanErr = err
				}
				for _, f := range fs {
					enc.Encode(swFinding{Path: f.Location.Path, Start: f.Location.StartLine, End: f.Location.EndLine, Rule: f.RuleID})
				}
				mu.Unlock()
			}
		}()
	}
	rd := diff.NewReader(bufio.NewReaderSize(os.Stdin, 1<<20))
	var readErr error
	for {
		t := time.Now()
		f, err := rd.Next()
		st.ParseNS += time.Since(t).Nanoseconds()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, diff.ErrFileTooLarge) {
				continue
			}
			readErr = err
			break
		}
		if f.IsDelete || f.IsBinary || !s.Wants(f.Path()) {
			continue
		}
		in := &scanners.Input{Path: f.Path()}
		added := f.Added()
		in.Added = make([]scanners.Line, len(added))
		for i, l := range added {
			in.Added[i] = scanners.Line{Number: l.NewNumber, Text: l.Text}
			st.AddedBytes += int64(len(l.Text)) + 1
		}
		inputs <- in
	}
	close(inputs)
	wg.Wait()
	if err := bw.Flush(); err != nil {
		return err
	}
	if p := os.Getenv("SHIFTWARD_BENCH_STATS"); p != "" {
		data, _ := json.Marshal(st)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return errors.Join(readErr, scanErr)
}

// childStats is where the child's time went: compiling the rules once,
// parsing the diff (scanners/diff on go-gitdiff), and inside Scan.
type childStats struct {
	CompileNS  int64 `json:"compile_ns"`
	ParseNS    int64 `json:"parse_ns"`
	ScanNS     int64 `json:"scan_ns"`
	AddedBytes int64 `json:"added_bytes"`
}

// mibf is n bytes in MiB.
func mibf(n int64) float64 { return float64(n) / (1 << 20) }
