package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/comments"
	"github.com/shiftward/shiftward/scanners"
)

// helpText answers /shiftward help (and an unknown command).
const helpText = "shiftward commands, written on a line of their own in a comment on the pull request:\n\n" +
	"| command | what it does | who |\n|---|---|---|\n" +
	"| `/shiftward rescan` | reviews the pull request again at its head | write access |\n" +
	"| `/shiftward ignore <fingerprint-or-rule> <reason> [--until YYYY-MM-DD]` | proposes the `" + config.RepoFile +
	"` entry that accepts a finding (the 16-digit fingerprint shown with it) or a rule, with your reason and an optional expiry | write access |\n" +
	"| `/shiftward explain <rule>` | explains a rule: what it finds, why it matters, how to fix it | anyone |\n" +
	"| `/shiftward help` | this help | anyone |\n"

// fingerprintArg is a finding's fingerprint as comments show it.
var fingerprintArg = regexp.MustCompile(`^[0-9a-f]{16}$`)

// command answers a /shiftward command. Only users with write access may
// run the commands that change something; everyone else gets a polite
// refusal. An accepted command gets a +1 reaction on its comment.
func (w *Worker) command(ctx context.Context, j queue.Job, factory platform.Factory, log *slog.Logger) error {
	cmd := j.Command
	if cmd == nil {
		return &platform.PermanentError{Err: errors.New("command job without a command")}
	}
	client, err := factory.Client(ctx, j.Change.Installation)
	if err != nil {
		return fmt.Errorf("platform client: %w", err)
	}
	conv, ok := client.(platform.Conversation)
	if !ok {
		return &platform.PermanentError{Err: fmt.Errorf("%s does not answer comment commands", j.Change.Platform)}
	}
	if r, ok := client.(platform.CommandReader); ok {
		// The payload may be forged: act on the comment as the host has it.
		fresh, ok, err := r.ReadCommand(ctx, j.Change, cmd)
		if err != nil {
			return fmt.Errorf("reading the command's comment back: %w", err)
		}
		if !ok {
			log.Info("command dropped: its comment is gone, not on this pull request, the bot's own, or holds no command")
			return nil
		}
		cmd = &fresh
	}
	log = log.With("command", cmd.Name, "author", cmd.Author)
	c, err := conv.PullRequest(ctx, j.Change)
	if errors.Is(err, platform.ErrChangeClosed) {
		log.Info("command on a closed pull request ignored")
		return nil
	} else if err != nil {
		return fmt.Errorf("reading the pull request: %w", err)
	}
	reply := func(body string) error {
		if err := conv.Reply(ctx, c, cmd, body); err != nil {
			return fmt.Errorf("replying to /shiftward %s: %w", cmd.Name, err)
		}
		return nil
	}
	accept := func() error {
		if err := conv.React(ctx, c, cmd); err != nil {
			return fmt.Errorf("reacting to /shiftward %s: %w", cmd.Name, err)
		}
		return nil
	}

	if cmd.StateChanging() {
		ok, err := conv.CanWrite(ctx, c, cmd)
		if err != nil {
			return fmt.Errorf("checking %s's permission: %w", cmd.Author, err)
		}
		if !ok {
			log.Info("command refused: no write access")
			return reply(fmt.Sprintf("Thanks, @%s! `/shiftward %s` changes this pull request's review, so only people with "+
				"write access to the repository can run it. A maintainer can run it for you.", cmd.Author, cmd.Name))
		}
	}

	switch cmd.Name {
	case platform.CommandHelp:
		if err := accept(); err != nil {
			return err
		}
		return reply(helpText)
	case platform.CommandExplain:
		if len(cmd.Args) == 0 {
			return reply("`/shiftward explain` needs a rule id, as shown with each finding (for example `secrets/aws-access-token`).")
		}
		doc, ok, err := w.explain(ctx, client, c, cmd.Args[0])
		if err != nil {
			return err
		}
		if !ok {
			return reply(fmt.Sprintf("shiftward has no rule `%s`. Rule ids are shown with each finding (for example `secrets/aws-access-token`).", mdCode(cmd.Args[0])))
		}
		if err := accept(); err != nil {
			return err
		}
		return reply(explainText(doc))
	case platform.CommandRescan:
		if err := accept(); err != nil {
			return err
		}
		log.Info("rescan requested", "head_sha", c.HeadSHA)
		rj := queue.Job{ID: j.ID, Kind: platform.KindRescan, Change: c, Attempt: j.Attempt}
		err := w.review(ctx, rj, factory, log)
		if err != nil && w.lastAttempt(j, err) {
			w.giveUp(ctx, rj, factory, err, log)
		}
		return err
	case platform.CommandIgnore:
		return w.ignore(ctx, client, conv, c, cmd, accept, reply, log)
	}
	return reply(fmt.Sprintf("shiftward does not know `/shiftward %s`.\n\n%s", mdCode(cmd.Name), helpText))
}

// ignore answers /shiftward ignore with the .shiftward.yml that accepts the
// finding: the whole file as it would read on the pull request's branch,
// ready to commit. The entry applies once merged, like any configuration.
func (w *Worker) ignore(ctx context.Context, client platform.Client, conv platform.Conversation, c platform.Change,
	cmd *platform.Command, accept func() error, reply func(string) error, log *slog.Logger) error {
	usage := "Usage: `/shiftward ignore <fingerprint-or-rule> <reason> [--until YYYY-MM-DD]`, for example " +
		"`/shiftward ignore 0123456789abcdef revoked test token --until 2027-01-31`."
	var ig config.Ignore
	var reason []string
	args := cmd.Args
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--until" && i+1 < len(args):
			t, err := time.Parse(time.DateOnly, args[i+1])
			if err != nil {
				return reply(fmt.Sprintf("`--until %s` is not a date (YYYY-MM-DD). %s", mdCode(args[i+1]), usage))
			}
			if !t.After(time.Now()) {
				return reply(fmt.Sprintf("`--until %s` is not in the future: the entry would never apply.", mdCode(args[i+1])))
			}
			ig.Expires = t
			i++
		case i == 0 && fingerprintArg.MatchString(a):
			ig.Fingerprint = a
		case i == 0:
			ig.Rule = a
		default:
			reason = append(reason, a)
		}
	}
	ig.Reason = strings.Join(reason, " ")
	if ig.Fingerprint == "" && ig.Rule == "" || ig.Reason == "" {
		return reply("An ignore entry needs what to ignore and a reason. " + usage)
	}
	current, err := client.FileContent(ctx, c, config.RepoFile, c.HeadSHA)
	if err != nil && !errors.Is(err, platform.ErrNotFound) {
		return fmt.Errorf("reading %s: %w", config.RepoFile, err)
	}
	if cur, _ := config.ParseSettings(config.RepoFile, current); slices.ContainsFunc(cur.Ignores, func(x config.Ignore) bool {
		return x.Fingerprint == ig.Fingerprint && x.Rule == ig.Rule && x.Path == ig.Path && x.Reason == ig.Reason
	}) {
		// Already there: the command ran before (a retried job after its
		// commit landed), or someone added it by hand.
		return reply(fmt.Sprintf("`%s` on this branch already has that entry.", config.RepoFile))
	}
	updated, err := config.AppendIgnore(current, ig)
	if err != nil {
		return reply(fmt.Sprintf("shiftward could not add that entry: %s. %s", mdCode(err.Error()), usage))
	}
	what := "the finding `" + ig.Fingerprint + "`"
	if ig.Fingerprint == "" {
		what = "rule `" + mdCode(ig.Rule) + "`"
	}
	base, err := w.policy(ctx, client, c, nil)
	if err != nil {
		return err
	}
	if committer, ok := client.(platform.Committer); ok && base.Settings.Commands.Ignore == "commit" && !c.Fork {
		msg := fmt.Sprintf("shiftward: accept %s\n\nRequested by @%s with /shiftward ignore.\nReason: %s\n", strings.ReplaceAll(what, "`", ""), cmd.Author, ig.Reason)
		sha, err := committer.Commit(ctx, c, msg, map[string][]byte{config.RepoFile: updated})
		switch {
		case errors.Is(err, platform.ErrStale):
			return reply("The branch moved while shiftward was adding the entry; run the command again on the new head.")
		case err != nil:
			return fmt.Errorf("committing %s: %w", config.RepoFile, err)
		}
		if err := accept(); err != nil {
			return err
		}
		log.Info("ignore entry committed", "commit", sha, "fingerprint", ig.Fingerprint, "rule", ig.Rule)
		return reply(fmt.Sprintf("Committed %s to `%s` accepting %s. Reviewers see the entry in the diff; it applies once merged "+
			"(shiftward reads its configuration from the base branch).", sha, config.RepoFile, what))
	}
	if err := accept(); err != nil {
		return err
	}
	log.Info("ignore entry proposed", "fingerprint", ig.Fingerprint, "rule", ig.Rule)
	// The file is the branch's own, written by whoever pushed to it: it is
	// quoted in a fence longer than any run of backticks inside, so no line
	// of it can end the block and stand as text (or a command) of the reply.
	return reply(fmt.Sprintf("To accept %s, commit this `%s` to the branch. Reviewers will see the entry in the diff, "+
		"and it applies once merged (shiftward reads its configuration from the base branch).\n\n<details><summary>%s</summary>\n\n"+
		"%s\n</details>", what, config.RepoFile, config.RepoFile, comments.CodeBlock("yaml", string(updated))))
}

// explain describes a rule of the server's scanners or, failing that, one
// of the repository's own (its policy at the change's base, customized as
// a review would be).
func (w *Worker) explain(ctx context.Context, client platform.Client, c platform.Change, id string) (scanners.RuleDoc, bool, error) {
	if doc, ok := scanners.Explain(w.Scanners, id); ok || w.Customize == nil {
		return doc, ok, nil
	}
	p, err := w.policy(ctx, client, c, nil)
	if err != nil {
		return scanners.RuleDoc{}, false, err
	}
	list, _ := w.Customize(w.Scanners, p, client)
	doc, ok := scanners.Explain(list, id)
	return doc, ok, nil
}

func explainText(d scanners.RuleDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** `%s` (%s)\n\n%s\n", d.Title, d.ID, d.Severity, d.Description)
	if d.Fix != "" {
		fmt.Fprintf(&b, "\n**Fix:** %s\n", d.Fix)
	}
	if len(d.References) > 0 {
		b.WriteString("\n**References:** " + strings.Join(d.References, ", ") + "\n")
	}
	return b.String()
}

// mdCode keeps user text from closing an inline code span.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }
