package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
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

// buildBenchDiff writes a unified diff presenting the .go files under src
// (sorted, so the diff is the same on every run) as added files, until it
// holds size bytes, with n secrets planted at spread-out lines.
func buildBenchDiff(w io.Writer, src string, size int64, n int) ([]planted, int64, error) {
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// vendor/ is skipped: gitleaks' default allowlist drops vendored
		// paths, which would leave secrets planted there unscannable.
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("no .go files under %s", src)
	}
	// Estimate how many files fill size, to spread the plants evenly.
	var all int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, 0, err
		}
		all += st.Size() + st.Size()/30 // + one "+" per line, roughly
	}
	count := int(size * int64(len(files)) / max(1, all))
	every := max(1, count/max(1, n))
	r := rand.New(rand.NewPCG(1, 2))
	bw := bufio.NewWriterSize(w, 1<<20)
	var written int64
	diffLine := 0
	var plants []planted
	emit := func(s string) {
		bw.WriteString(s)
		bw.WriteByte('\n')
		written += int64(len(s)) + 1
		diffLine++
	}
	// Past the end of the tree, go round again under a new top directory,
	// so any size can be built from the same source.
	for fi := 0; written < size; fi++ {
		f := files[fi%len(files)]
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		rel, _ := filepath.Rel(src, f)
		rel = filepath.ToSlash(rel)
		if round := fi / len(files); round > 0 {
			rel = fmt.Sprintf("round%d/%s", round, rel)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		var plant []string
		at := -1
		var p planted
		if fi%every == 0 && len(plants) < n && len(lines) > 4 {
			k := plantKinds[len(plants)%len(plantKinds)]
			plant = k.make(r, len(plants))
			at = 1 + r.IntN(len(lines)-2)
			p = planted{Kind: k.name, Path: rel, NewLine: at + 1, NewEnd: at + len(plant)}
		}
		emit("diff --git a/" + rel + " b/" + rel)
		emit("new file mode 100644")
		emit("index 0000000..1111111")
		emit("--- /dev/null")
		emit("+++ b/" + rel)
		emit(fmt.Sprintf("@@ -0,0 +1,%d @@", len(lines)+len(plant)))
		for i, l := range lines {
			if i == at {
				p.DiffLine = diffLine + 1
				for _, pl := range plant {
					emit("+" + pl)
				}
				p.DiffEnd = diffLine
				plants = append(plants, p)
			}
			emit("+" + l)
		}
	}
	return plants, written, bw.Flush()
}

// childResult is what one tool's run measured.
type childResult struct {
	wall   time.Duration
	cpu    time.Duration // user + system
	maxRSS int64         // bytes
	found  int
}

// runMeasured runs cmd with stdin from path and returns its wall time, CPU
// time and peak RSS (rusage maxrss, which Linux reports in KiB). CPU time
// is reported beside wall time because the machine is shared: other
// processes stretch wall time, not CPU time.
func runMeasured(cmd *exec.Cmd, path string) (childResult, error) {
	in, err := os.Open(path)
	if err != nil {
		return childResult{}, err
	}
	defer in.Close()
	cmd.Stdin = in
	start := time.Now()
	err = cmd.Run()
	r := childResult{wall: time.Since(start)}
	if err != nil {
		return r, err
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r, nil
}

// bestOf runs run n times and keeps the lowest wall and CPU time and the
// highest peak RSS: on a shared machine the fastest run is the one least
// disturbed by other work, while memory does not benefit from luck.
func bestOf(n int, run func() (childResult, error)) (childResult, error) {
	var best childResult
	for i := range max(1, n) {
		r, err := run()
		if err != nil {
			return r, err
		}
		if i == 0 {
			best = r
			continue
		}
		best.wall, best.cpu = min(best.wall, r.wall), min(best.cpu, r.cpu)
		best.maxRSS = max(best.maxRSS, r.maxRSS)
	}
	return best, nil
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

func ensureGitleaks(ctx context.Context, bin, binDir string) error {
	if _, err := os.Stat(bin); err == nil {
		return nil
	}
	fmt.Fprintf(os.Stderr, "building gitleaks %s into %s ...\n", gitleaksVersion, binDir)
	cmd := exec.CommandContext(ctx, "go", "install", "-tags", "gore2regex", "github.com/zricethezav/gitleaks/v8@"+gitleaksVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+binDir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// runSecrets is `shiftward-bench secrets`.
func runSecrets(ctx context.Context, args []string) error {
	b, err := parseSecretsFlags(args)
	if err != nil {
		return err
	}
	if err := b.writeDiff(ctx); err != nil {
		return err
	}
	b.env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(b.procs))
	sw, swTotal, err := b.measureShiftward(ctx)
	if err != nil {
		return err
	}
	if err := b.engineBreakdown(ctx); err != nil {
		return err
	}
	var gl *childResult
	glTotal := 0
	if !b.skipGitleaks {
		if gl, glTotal, err = b.measureGitleaks(ctx); err != nil {
			return err
		}
	}
	b.report(sw, swTotal, gl, glTotal)
	return nil
}

// secretsBench is one run of the secrets benchmark: its flags, where its
// files go, and the diff it scans.
type secretsBench struct {
	sizeMB, n, procs, runs int
	glBin                  string
	skipGitleaks           bool

	root, dir string   // the repository and its .bench directory
	env       []string // both tools' environment: GOMAXPROCS set
	diffPath  string
	plants    []planted
	size      int64 // bytes of the diff
}

// parseSecretsFlags parses the secrets benchmark's flags.
func parseSecretsFlags(args []string) (*secretsBench, error) {
	fl := flag.NewFlagSet("secrets", flag.ContinueOnError)
	sizeMB := fl.Int("size", 50, "size of the generated diff in MB")
	n := fl.Int("secrets", 240, "number of secrets to plant")
	procs := fl.Int("procs", 1, "GOMAXPROCS for both tools (1 = single-threaded)")
	glBin := fl.String("gitleaks", "", "gitleaks binary (default .bench/bin/gitleaks, built with go install if missing)")
	skipGitleaks := fl.Bool("skip-gitleaks", false, "measure shiftward only")
	runs := fl.Int("runs", 3, "runs per tool; the table shows the fastest (the machine may be shared)")
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	return &secretsBench{sizeMB: *sizeMB, n: *n, procs: *procs, runs: *runs, glBin: *glBin, skipGitleaks: *skipGitleaks}, nil
}

// path names a file in the .bench directory.
func (b *secretsBench) path(elem ...string) string {
	return filepath.Join(append([]string{b.dir}, elem...)...)
}

// writeDiff generates the benchmark diff, Go's own source as added files
// with secrets planted, into .bench, and prints what it holds.
func (b *secretsBench) writeDiff(ctx context.Context) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	b.root, b.dir = root, filepath.Join(root, ".bench")
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	goroot, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	b.diffPath = b.path(fmt.Sprintf("secrets-%dmb.diff", b.sizeMB))
	df, err := os.Create(b.diffPath)
	if err != nil {
		return err
	}
	b.plants, b.size, err = buildBenchDiff(df, src, int64(b.sizeMB)<<20, b.n)
	if cerr := df.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("building diff: %w", err)
	}
	fmt.Printf("diff: %s, %.1f MB of Go source as added files, %d planted secrets (%d kinds), GOMAXPROCS=%d, best of %d runs\n\n",
		b.diffPath, float64(b.size)/1e6, len(b.plants), len(plantKinds), b.procs, max(1, b.runs))
	return nil
}

// measureShiftward builds shiftward and runs it as users do: `shiftward
// scan --scanners secrets --diff - --format json` (the secret scanner
// alone, like gitleaks), streaming the diff from stdin. It returns the
// best run, with the planted secrets found, and how many findings it made.
func (b *secretsBench) measureShiftward(ctx context.Context) (childResult, int, error) {
	swBin := b.path("bin", "shiftward")
	build := exec.CommandContext(ctx, "go", "build", "-o", swBin, "./cmd/shiftward")
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return childResult{}, 0, fmt.Errorf("building shiftward: %w", err)
	}
	outPath := b.path("shiftward-findings.json")
	sw, err := bestOf(b.runs, func() (childResult, error) { return b.runShiftward(ctx, swBin, outPath) })
	if err != nil {
		return childResult{}, 0, fmt.Errorf("shiftward scan: %w", err)
	}
	var total int
	sw.found, total, err = shiftwardRecall(outPath, b.plants)
	if err != nil {
		return childResult{}, 0, err
	}
	return sw, total, nil
}

// runShiftward runs the shiftward binary once, its findings written to
// outPath. Exit code 1 means findings, which there are: not an error.
func (b *secretsBench) runShiftward(ctx context.Context, swBin, outPath string) (childResult, error) {
	out, err := os.Create(outPath)
	if err != nil {
		return childResult{}, err
	}
	defer out.Close()
	// shiftward:ignore code/go-command-context swBin is the shiftward binary this bench built
	cmd := exec.CommandContext(ctx, swBin, "scan", "--scanners", "secrets", "--diff", "-", "--format", "json")
	cmd.Env, cmd.Stdout, cmd.Stderr = b.env, out, os.Stderr
	r, err := runMeasured(cmd, b.diffPath)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		err = nil
		r.cpu = exit.UserTime() + exit.SystemTime()
		if ru, ok := exit.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss * 1024
		}
	}
	return r, err
}

// engineBreakdown runs the secret scanner alone once, in a child of this
// binary, which writes where its time went to shiftward-stats.json.
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

// measureGitleaks runs `gitleaks stdin` on the diff, building gitleaks
// first when no binary was given and none is in .bench/bin. It returns the
// best run, with the planted secrets found, and how many findings it made.
func (b *secretsBench) measureGitleaks(ctx context.Context) (*childResult, int, error) {
	bin := b.glBin
	if bin == "" {
		bin = b.path("bin", "gitleaks")
		if err := ensureGitleaks(ctx, bin, filepath.Dir(bin)); err != nil {
			return nil, 0, fmt.Errorf("building gitleaks: %w", err)
		}
	}
	report := b.path("gitleaks-report.json")
	r, err := bestOf(b.runs, func() (childResult, error) { return b.runGitleaks(ctx, bin, report) })
	if err != nil {
		return nil, 0, fmt.Errorf("gitleaks: %w", err)
	}
	var total int
	r.found, total, err = gitleaksRecall(report, b.plants)
	if err != nil {
		return nil, 0, err
	}
	return &r, total, nil
}

// runGitleaks runs gitleaks once, its report written to report.
func (b *secretsBench) runGitleaks(ctx context.Context, bin, report string) (childResult, error) {
	// shiftward:ignore code/go-command-context bin is the gitleaks the operator of the bench points it at
	cmd := exec.CommandContext(ctx, bin, "stdin", "--report-format", "json", "--report-path", report,
		"--no-banner", "--exit-code", "0", "--log-level", "error", "--redact")
	cmd.Env, cmd.Stdout, cmd.Stderr = b.env, io.Discard, os.Stderr
	return runMeasured(cmd, b.diffPath)
}

// report prints the comparison table, the throughput ratio, the engine's
// breakdown and the recall by kind; gl is nil when gitleaks was skipped.
func (b *secretsBench) report(sw childResult, swTotal int, gl *childResult, glTotal int) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tool\tMB/s (wall)\tMB/s (CPU)\twall\tCPU\trecall (planted)\tfindings\tpeak RSS\t")
	b.row(tw, "shiftward", sw, swTotal)
	if gl != nil {
		b.row(tw, "gitleaks "+gitleaksVersion, *gl, glTotal)
	}
	tw.Flush()
	if gl != nil {
		fmt.Printf("\nthroughput ratio shiftward/gitleaks: %.1fx by wall time, %.1fx by CPU time\n",
			gl.wall.Seconds()/sw.wall.Seconds(), gl.cpu.Seconds()/sw.cpu.Seconds())
	}
	printEngineStats(b.path("shiftward-stats.json"))
	fmt.Println("\nrecall by kind (shiftward / gitleaks):")
	byKind(b.plants, b.path("shiftward-findings.json"), b.path("gitleaks-report.json"), gl != nil)
}

// row writes one tool's line of the comparison table.
func (b *secretsBench) row(tw io.Writer, name string, r childResult, findings int) {
	fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.2fs\t%.2fs\t%.3f (%d/%d)\t%d\t%.1f MiB\t\n", name, b.mbps(r.wall), b.mbps(r.cpu),
		r.wall.Seconds(), r.cpu.Seconds(),
		float64(r.found)/float64(len(b.plants)), r.found, len(b.plants), findings, float64(r.maxRSS)/(1<<20))
}

// mbps is the diff's throughput, in MB/s, when scanned in d.
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

type glFinding struct {
	RuleID    string
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

func glHits(fs []glFinding, plants []planted) []bool {
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

func gitleaksRecall(path string, plants []planted) (found, total int, err error) {
	fs, err := readGitleaks(path)
	if err != nil {
		return 0, 0, err
	}
	return count(glHits(fs, plants)), len(fs), nil
}

func byKind(plants []planted, swPath, glPath string, withGitleaks bool) {
	sw, _ := readShiftward(swPath)
	swh := swHits(sw, plants)
	var glh []bool
	if withGitleaks {
		gl, _ := readGitleaks(glPath)
		glh = glHits(gl, plants)
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
