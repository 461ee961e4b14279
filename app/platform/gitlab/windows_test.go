package gitlab_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

// windows is a shared window store in memory, standing for Redis; it
// records the keys it was given.
type windows struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func (w *windows) Remaining(_ context.Context, key string) (time.Duration, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return max(time.Until(w.until[key]), 0), nil
}

func (w *windows) Open(_ context.Context, key string, d time.Duration) (time.Duration, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t := time.Now().Add(d); t.After(w.until[key]) {
		w.until[key] = t
	}
	return time.Until(w.until[key]), nil
}

// TestRateLimitWindowShared: two factories on one store stand for two
// processes with the same token. After a 429 to one, the other sends
// nothing until the window ends; a process with another token is not held
// up. The store never sees the token.
func TestRateLimitWindowShared(t *testing.T) {
	srv := gitlabtest.New(t, token)
	srv.AddProject(gitlabtest.Project{ID: projectID, PathWithNamespace: "acme/widgets", DefaultBranch: "main"})
	srv.AddMR(projectID, gitlabtest.MergeRequest{IID: 7, SourceBranch: "feature", TargetBranch: "main", Versions: []gitlabtest.Version{
		{BaseSHA: baseSHA, StartSHA: startSHA, HeadSHA: headSHA, Diffs: []gitlabtest.Diff{{OldPath: "a.go", NewPath: "a.go", NewFile: true, Diff: diff5}}},
	}})
	store := &windows{until: map[string]time.Time{}}
	client := func(tok string) platform.Client {
		f, err := gitlab.NewFactory(gitlab.Config{BaseURL: srv.URL, Token: tok, Windows: store, RetryBackoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Client(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	a, b, other := client(token), client(token), client("glpat-another-bot")

	srv.RateLimitNext(gitlabtest.RouteListVersions, 30*time.Second)
	_, err := a.Files(ctx, mrChange())
	var rl *platform.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("429: err = %v, want RateLimitError", err)
	}
	before := len(srv.Calls())
	_, err = b.Files(ctx, mrChange())
	if !errors.As(err, &rl) || rl.After < 25*time.Second {
		t.Errorf("the other process inside the window: err = %v, want RateLimitError", err)
	}
	if n := len(srv.Calls()) - before; n != 0 {
		t.Errorf("the other process sent %d requests inside the window", n)
	}
	other.Files(ctx, mrChange()) // refused by the fake (unknown token), but sent
	if n := len(srv.Calls()) - before; n == 0 {
		t.Error("a client with another token was held up by this token's window")
	}
	for k := range store.until {
		if strings.Contains(k, token) || !strings.HasPrefix(k, "gitlab:token:") {
			t.Errorf("store key %q: want gitlab:token:<hash>, never the token", k)
		}
	}
}
