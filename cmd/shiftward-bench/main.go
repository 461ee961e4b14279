// Command shiftward-bench runs shiftward's development benchmarks, one
// subcommand each: `shiftward-bench secrets` compares the secret scanner
// with gitleaks on a large generated change (a git repository's
// base..head). It is a developer tool, not part of the product.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
)

// command is one benchmark: it parses its own flags from args and writes
// its report to stdout.
type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

// commands lists the subcommands. Add new benchmarks here.
var commands = map[string]command{
	"secrets":       {summary: "secret scanner vs gitleaks on ~50 MB of added files, git mode (-mode stdin: a diff): MB/s, recall, peak RSS", run: runSecrets},
	"webhook":       {summary: "webhook acknowledge latency (p50/p99) at a fixed delivery rate, Redis queue", run: runWebhook},
	"flood":         {summary: "server peak RSS under a flood of unauthenticated 24 MB posts, and small signed deliveries queued meanwhile", run: runFlood},
	floodServerCmd:  {summary: "(internal) the webhook server the flood benchmark measures", run: runFloodServer},
	secretsChildCmd: {summary: "(internal) scan a diff on stdin with the secret scanner", run: runSecretsChild},
	"hostile":       {summary: "worst-case scan time and peak RSS over hostile files, each scanned or reported not scanned", run: runHostile},
	hostileChildCmd: {summary: "(internal) scan one hostile file", run: runHostileOne},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown benchmark %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := cmd.run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	names := make([]string, 0, len(commands))
	for n := range commands {
		if !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	fmt.Fprintln(os.Stderr, "usage: shiftward-bench <benchmark> [flags]")
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
}
