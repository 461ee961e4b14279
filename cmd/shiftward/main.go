// Command shiftward reviews pull requests for security problems: as a GitHub
// App webhook server (serve), as queue workers (worker), or locally against
// a git checkout (scan).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners"
)

const usage = `shiftward reviews pull requests for leaked secrets, vulnerable dependencies, risky
infrastructure, CI pipelines and application code.

Usage:
  shiftward serve                 webhook server plus in-process workers
  shiftward worker                workers only (needs SHIFTWARD_REDIS_URL)
  shiftward scan [flags] [PATH]   review a local repository's changes (--all: every file;
                                  --format sarif|junit|gitlab: reports for CI)
  shiftward rules [--format F]    list every rule (text, json, markdown)
  shiftward explain RULE          what a rule finds, why, and how to fix it
  shiftward dead [--requeue]      list the jobs the queue gave up on, or put them back
  shiftward setup github|gitlab   register the GitHub App, or the GitLab webhook, in one step
  shiftward healthcheck [URL]     exit 0 when URL (default: this host's /readyz) answers 2xx
  shiftward version               print the version

Configuration is read from SHIFTWARD_* environment variables; see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one subcommand and returns the process exit code: 0 fine,
// 2 error; scan's code is a bit set, 1 for findings at or above the
// threshold plus 2 when part of the change could not be scanned (3: both).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve", "worker":
		return serve(ctx, args[0], args[1:], stderr)
	case "scan":
		return scan(ctx, args[1:], stdin, stdout, stderr)
	case "rules":
		return rulesCmd(args[1:], stdout, stderr)
	case "explain":
		return explainCmd(args[1:], stdout, stderr)
	case "dead":
		return dead(ctx, args[1:], stdout, stderr)
	case "setup":
		return setupCommand(ctx, args[1:], stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, args[1:], os.Getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "shiftward", app.Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "shiftward: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

func serve(ctx context.Context, mode string, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "listen address (overrides "+config.EnvAddr+")")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err == nil {
		err = cfg.RequirePlatform()
	}
	if err == nil && mode == "worker" && cfg.RedisURL == "" {
		err = &config.Error{Var: config.EnvRedisURL, Msg: "not set: `shiftward worker` takes jobs from Redis"}
	}
	// Every line the server writes is JSON, a configuration error included;
	// a misspelt variable is named even when it is why start-up fails.
	log := app.NewLogger(stderr, os.Getenv(config.EnvLogLevel))
	unknown := config.Unknown(os.Environ())
	if err != nil {
		for _, w := range unknown {
			log.Warn(w)
		}
		log.Error("configuration", "err", err.Error())
		return 2
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	cfg.Warnings = append(cfg.Warnings, unknown...)
	if mode == "worker" {
		err = app.Work(ctx, cfg, log)
	} else {
		err = app.Serve(ctx, cfg, log)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error("shiftward stopped", "err", err)
		return 2
	}
	return 0
}

func scan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: shiftward scan [--base REF | --all] [--diff FILE] [--format text|json|sarif|junit|gitlab] [--output-dir DIR] [--fail-on SEVERITY] [--scanners LIST] [PATH]\n\n"+
			"Reviews the changes of the git repository at PATH (default .) against REF\n"+
			"(default: the merge-base with the default branch), including uncommitted edits\n"+
			"and untracked files. REF is any commit or tree; \"empty\" (the empty tree) makes\n"+
			"every committed file added. --all reviews every file git tracks, and the untracked\n"+
			"ones it does not ignore, as if added: a baseline of the whole repository.\n"+
			"--format sarif and junit write SARIF 2.1.0 or JUnit XML to standard output;\n"+
			"--format gitlab writes GitLab's security reports (gl-sast-report.json,\n"+
			"gl-secret-detection-report.json, gl-dependency-scanning-report.json) into DIR.\n"+
			"Exit status: 0 pass; 1 a finding fails the review; 2 part of the change could not\n"+
			"be scanned, or an error; 3 both 1 and 2.\n\n")
		fs.PrintDefaults()
	}
	base := fs.String("base", "", "commit or tree to compare against, \"empty\" for the empty tree (default: merge-base with the default branch)")
	all := fs.Bool("all", false, "review every tracked file (and untracked, not ignored) as if added: a whole-repository baseline")
	diffFile := fs.String("diff", "", "scan this unified diff instead of running git (- for stdin)")
	allowEmpty := fs.Bool("allow-empty", false, "with --diff: an empty diff means nothing changed (exit 0), not an error")
	format := fs.String("format", "text", "output: text (the review), json (the findings), sarif (SARIF 2.1.0), junit (JUnit XML), or gitlab (GitLab's SAST, secret detection and dependency scanning reports, as files in --output-dir)")
	outDir := fs.String("output-dir", "", "with --format gitlab: the directory the reports are written to (default: the current directory)")
	failOn := fs.String("fail-on", "high", "exit 1 when a finding is at least this severe (2 is added when part of the change could not be scanned)")
	only := fs.String("scanners", "", "comma-separated scanners to run (secrets,deps,iac,pipelines,code); default all")
	// Go's flag package stops at the first non-flag; accept PATH anywhere.
	var path string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		if path != "" {
			fmt.Fprintln(stderr, "shiftward scan: more than one PATH given")
			return 2
		}
		path, args = fs.Arg(0), fs.Args()[1:]
	}
	if path == "" {
		path = "."
	}
	sev, err := scanners.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "shiftward scan: --fail-on:", err)
		return 2
	}
	if !slices.Contains(app.Formats, *format) {
		fmt.Fprintf(stderr, "shiftward scan: --format %q: want one of %s\n", *format, strings.Join(app.Formats, ", "))
		return 2
	}
	if *outDir != "" && *format != "gitlab" {
		fmt.Fprintln(stderr, "shiftward scan: --output-dir is for --format gitlab (the other formats write to standard output)")
		return 2
	}
	// A local scan streams the diff, so its live heap is the compiled rules
	// plus a few files in flight. A soft limit makes the collector keep the
	// process near that instead of letting a 50 MB diff's garbage pile up to
	// twice the heap. GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
	if *all && (*base != "" || *diffFile != "") {
		fmt.Fprintln(stderr, "shiftward scan: --all reviews every file; it takes no --base or --diff")
		return 2
	}
	failOnSet := false
	fs.Visit(func(f *flag.Flag) { failOnSet = failOnSet || f.Name == "fail-on" })
	code, err := app.Scan(ctx, app.ScanOptions{
		Dir: path, Base: *base, All: *all, DiffFile: *diffFile, AllowEmpty: *allowEmpty, Format: *format, OutputDir: *outDir, FailOn: sev, FailOnSet: failOnSet, Stdin: stdin,
		Scanners: splitList(*only),
	}, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "shiftward scan:", err)
		if errors.Is(err, app.ErrIncomplete) {
			return code // the review was made: its code says what it found
		}
		return 2
	}
	return code
}

// splitList reads "a, b,c" as [a b c]; empty gives nil.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// dead lists the jobs the queue gave up on (SHIFTWARD_REDIS_URL), and with
// --requeue puts them back as first attempts, once what failed them (an
// outage, a revoked installation since restored) is fixed.
func dead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dead", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requeue := fs.Bool("requeue", false, "put the dead jobs back in the queue")
	limit := fs.Int("limit", 0, "at most this many, oldest first (0: all)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	url, prefix, _, err := config.RedisFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "shiftward dead: configuration:", err)
		return 2
	}
	if url == "" {
		fmt.Fprintf(stderr, "shiftward dead: %s is not set (dead letters live in Redis)\n", config.EnvRedisURL)
		return 2
	}
	// Any form of the URL: one server, Sentinel or Cluster.
	q, err := queue.OpenRedis(url, queue.Options{Prefix: prefix})
	if err != nil {
		fmt.Fprintln(stderr, "shiftward dead:", err)
		return 2
	}
	defer q.Close()
	if *requeue {
		n, err := q.Requeue(ctx, *limit)
		fmt.Fprintf(stdout, "requeued %d job(s)\n", n)
		if err != nil {
			fmt.Fprintln(stderr, "shiftward dead:", err)
			return 2
		}
		return 0
	}
	letters, err := q.Dead(ctx, *limit)
	if err != nil {
		fmt.Fprintln(stderr, "shiftward dead:", err)
		return 2
	}
	for _, d := range letters {
		c := d.Job.Change
		fmt.Fprintf(stdout, "%s  %s  %s %s#%d @%.7s  attempts %d: %s\n", d.At.Format(time.RFC3339), d.Job.ID, d.Job.Kind,
			c.Repo.FullName(), c.Number, c.HeadSHA, d.Job.Attempt, d.Job.LastError)
	}
	fmt.Fprintf(stdout, "%d dead job(s)\n", len(letters))
	return 0
}
