package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/setup"
)

const setupUsage = `Usage:
  shiftward setup github --url https://shiftward.example.com [--org ORG] [--github-url URL]
                         [--out github-app.json] [--name NAME] [--force] [--manifest app.yml]
  shiftward setup gitlab --project GROUP/PROJECT | --group GROUP --url https://shiftward.example.com
                         [--gitlab-url URL] [--out hooks.yml]

github registers the GitHub App with GitHub's manifest flow: open the local
address it prints, confirm on GitHub, and the app's id, private key and
webhook secret are written to --out (mode 0600) for SHIFTWARD_GITHUB_APP_FILE.

gitlab checks SHIFTWARD_GITLAB_TOKEN (api scope, Developer or above) and
creates or updates the webhook; its secret token goes to --out (a hooks file
for SHIFTWARD_GITLAB_WEBHOOK_SECRETS_FILE) or is SHIFTWARD_GITLAB_WEBHOOK_SECRET.
SHIFTWARD_GITLAB_SETUP_TOKEN, when set, manages the webhook instead of the bot
(a Maintainer's token for a project, an Owner's for a group).
`

// setupCommand runs `shiftward setup github|gitlab`.
func setupCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, setupUsage)
		return 2
	}
	var err error
	switch args[0] {
	case "github":
		err = setupGitHub(ctx, args[1:], stdout, stderr)
	case "gitlab":
		err = setupGitLab(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, setupUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "shiftward setup: unknown platform %q (github or gitlab)\n\n%s", args[0], setupUsage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "shiftward setup %s: %v\n", args[0], err)
		}
		return 2
	}
	return 0
}

// errUsage is a flag error the flag package has already printed.
var errUsage = errors.New("usage")

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func setupGitHub(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("setup github", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o setup.GitHubOptions
	fs.StringVar(&o.URL, "url", "", "shiftward's public address; the webhook is URL/webhooks/github (required)")
	fs.StringVar(&o.Org, "org", "", "register the app under this organisation (default: your account)")
	fs.StringVar(&o.GitHubURL, "github-url", setup.DefaultGitHubURL, "github.com, or a GitHub Enterprise Server's address")
	fs.StringVar(&o.Out, "out", "github-app.json", "file for the app's id, private key and webhook secret (mode 0600)")
	fs.StringVar(&o.Name, "name", "", "the app's name (default: app.yml's; GitHub wants it unique)")
	fs.BoolVar(&o.Force, "force", false, "replace --out if it exists")
	manifest := fs.String("manifest", "", "register this app.yml instead of the built-in one")
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:0", "address of the local page (a fixed port suits an SSH tunnel)")
	fs.DurationVar(&o.Timeout, "timeout", setup.DefaultGitHubTimeout, "how long to wait for GitHub")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.URL == "" {
		return errors.New("--url is required: shiftward's public address, where GitHub sends webhooks")
	}
	if *manifest != "" {
		b, err := readBounded(*manifest, 64<<10)
		if err != nil {
			return fmt.Errorf("--manifest: %w", err)
		}
		o.Manifest = b
	}
	return setup.GitHub(ctx, o, stdout)
}

func setupGitLab(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("setup gitlab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := setup.GitLabOptions{
		Token:      os.Getenv(config.EnvGitLabToken),
		SetupToken: os.Getenv(config.EnvGitLabSetupToken),
		Secret:     os.Getenv(config.EnvGitLabWebhookSecret),
	}
	gitlabURL := os.Getenv(config.EnvGitLabURL)
	if gitlabURL == "" {
		gitlabURL = config.DefaultGitLabURL
	}
	fs.StringVar(&o.Project, "project", "", "the project to review, GROUP/PROJECT or its id")
	fs.StringVar(&o.Group, "group", "", "a group whose projects to review (a group webhook: GitLab Premium)")
	fs.StringVar(&o.URL, "url", "", "shiftward's public address; the webhook is URL/webhooks/gitlab (required)")
	fs.StringVar(&o.GitLabURL, "gitlab-url", gitlabURL, "the GitLab instance (default: "+config.EnvGitLabURL+", else gitlab.com)")
	fs.StringVar(&o.Out, "out", "", "hooks file (YAML, mode 0600) that gets the webhook's own secret token; without it, "+config.EnvGitLabWebhookSecret+" is used")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if o.URL == "" {
		return errors.New("--url is required: shiftward's public address, where GitLab sends webhooks")
	}
	return setup.GitLab(ctx, o, stdout)
}

// readBounded reads a file of at most n bytes.
func readBounded(name string, n int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, n+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > n {
		return nil, fmt.Errorf("%s is over %d bytes", name, n)
	}
	return b, nil
}
