package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/platform/github/githubtest"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
)

// newReconcileEnv is newEnv with the reconciler configured (its passes are
// run by the test, not by a timer).
func newReconcileEnv(t *testing.T) *env {
	t.Helper()
	key, err := githubtest.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	fake := githubtest.New(t, appID, key)
	fake.AddRepo(githubtest.Repo{ID: 186853002, Owner: owner, Name: repo, DefaultBranch: "master", Installation: 1})
	l := newLeak()
	fake.AddPull(owner, repo, githubtest.PullRequest{
		Number: prNumber, BaseSHA: baseSHA, HeadSHA: headSHA, BaseRef: "master", HeadRef: "changes",
		Files: l.pullFiles(), UpdatedAt: time.Now().Add(-time.Hour),
	})
	e := startApp(t, l, func(cfg *config.Config) {
		cfg.GitHub = config.GitHub{AppID: appID, PrivateKey: key, APIURL: fake.URL, WebhookSecrets: [][]byte{[]byte(webhookSecret)}}
		cfg.ReconcileInterval = time.Hour
	})
	e.fake = fake
	e.seedHead()
	return e
}

// A pull request whose opened delivery never arrived (the server was down)
// is reviewed after a reconciler pass: the sweep queues the job the
// webhook would have, a worker publishes the review, and the next pass
// finds the head reviewed and queues nothing.
func TestEndToEndLostDeliveryReviewedBySweep(t *testing.T) {
	e := newReconcileEnv(t)
	if e.comps.Reconciler == nil {
		t.Fatal("no reconciler built with an interval and Redis")
	}
	e.startWorkers()
	rep := e.comps.Reconciler.Pass(context.Background())
	if rep.Queued != 1 {
		t.Fatalf("first pass: %+v, want one job queued", rep)
	}
	run := e.waitCompleted(headSHA)
	if run.Conclusion != "failure" {
		t.Errorf("check run %+v, want the review's failure (two planted secrets)", run)
	}
	e.waitIdle()
	if n := len(e.fake.Reviews()); n != 1 {
		t.Errorf("%d reviews posted, want 1", n)
	}
	if rep := e.comps.Reconciler.Pass(context.Background()); rep.Queued != 0 || rep.Unreviewed != 0 {
		t.Errorf("second pass: %+v, want nothing left to review", rep)
	}
	metrics := e.get("/metrics")
	for _, want := range []string{`shiftward_reconcile_swept_total{platform="github"} 1`, `shiftward_reconcile_oldest_unreviewed_seconds{platform="github"} 0`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.assertNoSecretSent()
}

// SHIFTWARD_RECONCILE_INTERVAL=0 builds no reconciler.
func TestReconcilerOff(t *testing.T) {
	e := newEnv(t) // the reconciler's interval left at 0
	if e.comps.Reconciler != nil {
		t.Error("a reconciler was built with interval 0")
	}
}

// GitLab: the project of a merge request the webhook queued is noted, so
// when a later push's hook is lost, a pass finds that project and reviews
// the new head.
func TestEndToEndGitLabLostPushReviewedBySweep(t *testing.T) {
	fake := gitlabtest.New(t, glToken)
	fake.AddProject(gitlabtest.Project{ID: glProject, PathWithNamespace: glProjPath, DefaultBranch: "master"})
	l := newLeak()
	fake.AddMR(glProject, gitlabtest.MergeRequest{IID: glIID, SourceBranch: "ms-viewport", TargetBranch: "master",
		Versions: []gitlabtest.Version{{ID: 10, BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: glHeadSHA, Diffs: l.mrDiffs()}}})
	ge := startApp(t, l, func(cfg *config.Config) {
		cfg.GitLab = config.GitLab{URL: fake.URL, Token: glToken, WebhookSecrets: [][]byte{[]byte(glSecret)}}
		cfg.ReconcileInterval = time.Hour
	})
	e := &glEnv{env: ge, gl: fake}
	e.startWorkers()
	if code := e.deliverGitLab("Merge Request Hook", "idem-1", glSecret, glPayload(t, "go-gitlab/merge_request.json")); code != http.StatusAccepted {
		t.Fatalf("delivery answered %d, want 202", code)
	}
	e.waitStatus(glHeadSHA)
	e.waitIdle()

	// A push whose hook never arrives.
	newHead := "0123456789abcdef0123456789abcdef01234567"
	fake.AddVersion(glProject, glIID, gitlabtest.Version{BaseSHA: glBaseSHA, StartSHA: glBaseSHA, HeadSHA: newHead, Diffs: l.mrDiffs()})
	rep := e.comps.Reconciler.Pass(context.Background())
	if rep.Queued != 1 {
		t.Fatalf("pass: %+v, want one job for the new head", rep)
	}
	sts := e.waitStatus(newHead)
	if last := sts[len(sts)-1]; last.Name != "shiftward" || last.State == "running" {
		t.Errorf("new head's status %+v, want shiftward's final one", last)
	}
	e.waitIdle()
}

// A pull_request delivery lost while the server was down (GitHub lists it
// as timed out) is redelivered by a pass; the redelivery reaches the
// webhook and the review is published once: the pass's sweep finds the
// head pending (or reviewed) and queues nothing of its own, and the next
// pass finds the delivery delivered.
func TestEndToEndLostDeliveryRedelivered(t *testing.T) {
	e := newReconcileEnv(t)
	e.startWorkers()
	opened := corpusPayload(t, "pull_request/opened.payload.json")
	e.fake.AddDelivery(githubtest.Delivery{GUID: "guid-lost", At: time.Now().Add(-10 * time.Minute), StatusCode: 0,
		Event: "pull_request", Action: "opened", InstallationID: 1, Payload: opened})
	// GitHub sends a redelivery within seconds, not at once.
	e.fake.SetRedeliverer(func(d githubtest.Delivery) int {
		time.Sleep(500 * time.Millisecond)
		return e.deliver(d.Event, d.GUID, d.Payload)
	})
	e.comps.Reconciler.Grace = 2 * time.Second

	rep := e.comps.Reconciler.Pass(context.Background())
	if rep.Redelivered != 1 || rep.Queued != 0 {
		t.Fatalf("pass: %+v, want one redelivery and no job of the sweep's", rep)
	}
	e.waitCompleted(headSHA)
	e.waitIdle()
	runs := 0
	for _, c := range e.fake.CheckRuns() {
		if c.HeadSHA == headSHA {
			runs++
		}
	}
	if n := len(e.fake.Reviews()); n != 1 || runs != 1 {
		t.Errorf("%d reviews and %d check runs, want one of each", n, runs)
	}
	if rep := e.comps.Reconciler.Pass(context.Background()); rep.Redelivered != 0 || rep.Queued != 0 {
		t.Errorf("second pass: %+v, want nothing to do", rep)
	}
	if n := len(e.fake.CallsTo(githubtest.RouteRedeliverHook)); n != 1 {
		t.Errorf("%d redeliveries asked, want 1", n)
	}
	e.assertNoSecretSent()
}
