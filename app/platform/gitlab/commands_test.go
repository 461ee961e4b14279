package gitlab_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

// commandFixture is a fake GitLab with a merge request (!7) whose threads
// hold notes by a developer, the bot and GitLab itself, and a second merge
// request (!8) with a note of its own.
type commandFixture struct {
	srv     *gitlabtest.Server
	factory *gitlab.Factory
	client  platform.Client
	thread  string
}

const (
	devID       = 7
	devNote     = 501
	botNote     = 502
	systemNote  = 503
	plainNote   = 504
	botFenced   = 505
	otherMRNote = 601
)

func newCommandFixture(t *testing.T) *commandFixture {
	t.Helper()
	fx := newFixture(t)
	fx.srv.AddMR(projectID, gitlabtest.MergeRequest{IID: 8, SourceBranch: "other", TargetBranch: "main"})
	thread := fx.srv.AddDiscussion(projectID, 7, gitlabtest.Discussion{Notes: []gitlabtest.Note{
		{ID: devNote, Body: "LGTM\n/shiftward explain secrets/aws-access-token", AuthorID: devID, AuthorUsername: "dev"},
		{ID: botNote, Body: "Thanks!\n/shiftward rescan", AuthorID: fx.srv.BotID, AuthorUsername: fx.srv.BotUsername},
		{ID: botFenced, Body: "```yaml\nx: |\n  ~~~\n  /shiftward rescan\n  ~~~\n```\n", AuthorID: fx.srv.BotID, AuthorUsername: fx.srv.BotUsername},
		{ID: systemNote, Body: "/shiftward rescan", AuthorID: devID, AuthorUsername: "dev", System: true},
		{ID: plainNote, Body: "```\n/shiftward rescan\n```", AuthorID: devID, AuthorUsername: "dev"},
	}})
	fx.srv.AddDiscussion(projectID, 8, gitlabtest.Discussion{IndividualNote: true, Notes: []gitlabtest.Note{
		{ID: otherMRNote, Body: "/shiftward rescan", AuthorID: devID, AuthorUsername: "dev"},
	}})
	f, err := gitlab.NewFactory(gitlab.Config{BaseURL: fx.srv.URL, Token: token, RetryBackoff: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Client(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return &commandFixture{srv: fx.srv, factory: f, client: c, thread: thread}
}

// TestReadCommand: what a command job acts on is the note as GitLab has
// it, whatever the Note Hook claimed.
func TestReadCommand(t *testing.T) {
	fx := newCommandFixture(t)
	// A forged payload: a Maintainer's name and a rescan the note never held.
	forged := func(id int64, discussion string) *platform.Command {
		return &platform.Command{Name: "rescan", Line: "/shiftward rescan", Author: "maintainer", AuthorID: 99,
			CommentID: id, Comment: platform.CommentNote, DiscussionID: discussion}
	}
	tests := []struct {
		name string
		cmd  *platform.Command
		want *platform.Command
	}{
		{"body and author from the API", forged(devNote, fx.thread), &platform.Command{Name: "explain", Args: []string{"secrets/aws-access-token"},
			Line: "/shiftward explain secrets/aws-access-token", Author: "dev", AuthorID: devID, CommentID: devNote,
			Comment: platform.CommentNote, DiscussionID: fx.thread}},
		{"a thread that does not hold the note is not replied in", forged(devNote, "deadbeef"), &platform.Command{Name: "explain",
			Args: []string{"secrets/aws-access-token"}, Line: "/shiftward explain secrets/aws-access-token", Author: "dev", AuthorID: devID,
			CommentID: devNote, Comment: platform.CommentNote}},
		{"the bot's own note", forged(botNote, fx.thread), nil},
		{"the bot's own reply quoting a file", forged(botFenced, fx.thread), nil},
		{"a system note", forged(systemNote, fx.thread), nil},
		{"the command is only in a code block", forged(plainNote, fx.thread), nil},
		{"a note of another merge request", forged(otherMRNote, ""), nil},
		{"no such note", forged(999999, fx.thread), nil},
	}
	r := fx.client.(platform.CommandReader)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := r.ReadCommand(context.Background(), mrChange(), tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tt.want != nil) {
				t.Fatalf("ok = %v (%+v), want %v", ok, got, tt.want != nil)
			}
			if ok {
				if diff := cmp.Diff(*tt.want, got); diff != "" {
					t.Errorf("command (-want +got):\n%s", diff)
				}
			}
		})
	}

	// A note deleted after its hook was sent is not acted on.
	fx.srv.DeleteNote(projectID, 7, devNote)
	if got, ok, err := r.ReadCommand(context.Background(), mrChange(), forged(devNote, fx.thread)); ok || err != nil {
		t.Errorf("deleted note read as %+v, %v, %v", got, ok, err)
	}
}

// TestBotUserLearntOnce: GET /user is asked once per factory however many
// notes are read, concurrently or not; a failure is asked again later.
func TestBotUserLearntOnce(t *testing.T) {
	fx := newCommandFixture(t)
	if fx.factory.IsBot(fx.srv.BotID) {
		t.Fatal("IsBot true before the bot user was learnt")
	}
	r := fx.client.(platform.CommandReader)
	cmd := &platform.Command{CommentID: devNote, Comment: platform.CommentNote}

	// Every attempt of the first read fails (GETs are tried 3 times).
	fx.srv.FailNext(gitlabtest.RouteCurrentUser, 3, http.StatusBadGateway)
	if _, ok, err := r.ReadCommand(context.Background(), mrChange(), cmd); err == nil || ok {
		t.Fatalf("ReadCommand with GET /user failing = %v, %v; want an error", ok, err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok, err := r.ReadCommand(context.Background(), mrChange(), cmd); err != nil || !ok {
				t.Errorf("ReadCommand = %v, %v", ok, err)
			}
		}()
	}
	wg.Wait()
	if n := len(fx.srv.CallsTo(gitlabtest.RouteCurrentUser)); n != 4 {
		t.Errorf("GET /user asked %d times, want 4 (3 failed attempts, then once)", n)
	}
	if !fx.factory.IsBot(fx.srv.BotID) || fx.factory.IsBot(devID) {
		t.Error("IsBot does not tell the bot from a developer once learnt")
	}
}
