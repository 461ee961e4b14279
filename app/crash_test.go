package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app"
	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// childEnv marks a re-executed test binary that is to run `shiftward worker`.
const childEnv = "SHIFTWARD_E2E_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "worker" {
		os.Exit(childWorker())
	}
	os.Exit(m.Run())
}

// childWorker is `shiftward worker` configured from the environment. It
// stops when its standard input closes: the test that started it holds the
// other end, so a test binary that dies (a timeout, a panic) takes its
// workers with it instead of leaving them to consume the test Redis.
func childWorker() int {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() {
		io.Copy(io.Discard, os.Stdin)
		stop()
		time.Sleep(5 * time.Second) // jobs in flight get this long
		os.Exit(3)
	}()
	if err := app.Work(ctx, cfg, slog.New(slog.NewTextHandler(os.Stderr, nil))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// child is a worker process a test started. Its output goes to a buffer,
// never to the test's own stdout or stderr: a process still holding those
// keeps `go test` waiting ("Test I/O incomplete").
type child struct {
	cmd   *exec.Cmd
	stdin io.Closer
	out   *scannertest.LogBuffer
	once  sync.Once
}

// kill stops the process and waits for it; later calls do nothing.
func (c *child) kill() {
	c.once.Do(func() {
		c.cmd.Process.Kill()
		c.stdin.Close()
		c.cmd.Wait()
	})
}

// started reports whether the worker has begun taking jobs.
func (c *child) started() bool { return strings.Contains(c.out.String(), "workers started") }

// startChildWorker runs a worker process against the env's Redis and fake
// host, with extra settings (NAME=value) after the env's. Whatever the
// test's outcome, the process is killed and waited for when the test ends,
// and its output is logged if the test failed.
func (e *env) startChildWorker(extra ...string) *child {
	e.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		childEnv+"=worker",
		config.EnvRedisURL+"="+e.cfg.RedisURL,
		config.EnvRedisPrefix+"="+e.cfg.RedisPrefix,
		config.EnvVisibilityTimeout+"="+e.cfg.VisibilityTimeout.String(),
		config.EnvRetryBackoff+"="+e.cfg.RetryBackoff.String(),
		config.EnvWorkers+"=1",
		config.EnvAddr+"=127.0.0.1:0", // a worker serves its probes: each on a port of its own
	)
	if g := e.cfg.GitHub; g.Enabled() {
		cmd.Env = append(cmd.Env,
			config.EnvGitHubAppID+"="+fmt.Sprint(g.AppID),
			config.EnvGitHubPrivateKey+"="+string(g.PrivateKey),
			config.EnvGitHubWebhookSecret+"="+string(g.WebhookSecrets[0]),
			config.EnvGitHubAPIURL+"="+g.APIURL)
	}
	if g := e.cfg.GitLab; g.Enabled() {
		cmd.Env = append(cmd.Env,
			config.EnvGitLabURL+"="+g.URL,
			config.EnvGitLabToken+"="+g.Token,
			config.EnvGitLabWebhookSecret+"="+string(g.WebhookSecrets[0]))
	}
	cmd.Env = append(cmd.Env, extra...)
	c := &child{cmd: cmd, out: &scannertest.LogBuffer{}}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	// Wait returns this long after the process ended even if something
	// still holds its output pipe.
	cmd.WaitDelay = 5 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	c.stdin = stdin
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		c.kill()
		if e.t.Failed() {
			e.t.Logf("worker process %d output:\n%s", cmd.Process.Pid, c.out.String())
		}
	})
	return c
}

// TestEndToEndCrashWorkerKilledMidJob kills a worker process (SIGKILL) after it
// posted the review but before it completed the check run. Another worker
// takes the job over once the visibility timeout passes and finishes it:
// one check run, one review, no duplicate comment.
func TestEndToEndCrashWorkerKilledMidJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a worker process")
	}
	e := newEnv(t)
	hold := make(chan struct{})
	defer close(hold)
	e.fake.HoldNext(githubtest.RouteUpdateCheckRun, hold)

	child := e.startChildWorker()
	if code := e.deliver("pull_request", "delivery-crash", corpusPayload(t, "pull_request/opened.payload.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(e.fake.Reviews()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the worker process never posted its review")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // let it reach the parked check-run update
	child.kill()
	if n, _ := e.comps.Queue.Depth(context.Background()); n != 1 {
		t.Fatalf("depth after the crash = %d, want the unfinished job", n)
	}

	e.startWorkers()
	run := e.waitCompleted(headSHA)
	e.waitIdle()
	if run.Conclusion != "failure" || len(run.Annotations()) != 2 {
		t.Errorf("check run %s with %d annotations, want failure with 2", run.Conclusion, len(run.Annotations()))
	}
	if n := len(e.fake.CheckRuns()); n != 1 {
		t.Errorf("%d check runs, want 1 (the crashed worker's run is reused)", n)
	}
	if n := len(e.fake.Reviews()); n != 1 {
		t.Errorf("%d reviews, want 1", n)
	}
	if n := len(e.fake.Comments(owner, repo, prNumber)); n != 2 {
		t.Errorf("%d comments, want 2", n)
		for _, c := range e.fake.Comments(owner, repo, prNumber) {
			t.Logf("comment %s:%d review %d %.80s", c.Path, c.Line, c.ReviewID, c.Body)
		}
	}
}

// TestEndToEndCrashGitLabWorkerKilledMidJob is the GitLab twin: the worker dies
// after posting its threads, before the final status.
func TestEndToEndCrashGitLabWorkerKilledMidJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a worker process")
	}
	e := newGitLabEnv(t)
	hold := make(chan struct{})
	defer close(hold)
	// The first status call marks the run; park the second, the final one.
	passThrough := make(chan struct{})
	close(passThrough)
	e.gl.HoldNext(gitlabtest.RouteSetStatus, passThrough)
	e.gl.HoldNext(gitlabtest.RouteSetStatus, hold)
	child := e.startChildWorker()
	if code := e.deliverGitLab("Merge Request Hook", "idem-crash", glSecret, glPayload(t, "go-gitlab/merge_request.json")); code != http.StatusAccepted {
		t.Fatal(code)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		inline, summaries := e.threads()
		if len(inline) == 2 && len(summaries) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker process never posted its threads")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	child.kill()

	e.startWorkers()
	sts := e.waitStatus(glHeadSHA)
	e.waitIdle()
	if last := sts[len(sts)-1]; last.State != "failed" {
		t.Errorf("final status %+v", last)
	}
	inline, summaries := e.threads()
	if len(inline) != 2 || len(summaries) != 1 {
		t.Errorf("%d threads, %d summary notes after the take-over; want 2 and 1", len(inline), len(summaries))
	}
}
