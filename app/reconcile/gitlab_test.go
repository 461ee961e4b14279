package reconcile_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shiftward/shiftward/app/platform"
	"github.com/shiftward/shiftward/app/platform/gitlab"
	"github.com/shiftward/shiftward/app/platform/gitlab/gitlabtest"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/app/reconcile"
	"github.com/shiftward/shiftward/app/webhook"
)

const glToken = "glpat-test"

func newGitLab(t *testing.T) (*gitlabtest.Server, *gitlab.Factory) {
	t.Helper()
	srv := gitlabtest.New(t, glToken)
	f, err := gitlab.NewFactory(gitlab.Config{BaseURL: srv.URL, Token: glToken, RetryBackoff: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, f
}

func addMR(srv *gitlabtest.Server, project int64, iid int, state string) {
	srv.AddMR(project, gitlabtest.MergeRequest{IID: iid, SourceBranch: "feature", TargetBranch: "main", State: state,
		UpdatedAt: time.Now().Add(-time.Duration(iid) * time.Hour),
		Versions:  []gitlabtest.Version{{BaseSHA: sha(900), StartSHA: sha(900), HeadSHA: sha(iid)}}})
}

// GitLab: a merge request whose head has no shiftward status gets a job
// under the dedupe key its merge request hook uses, so a late hook queues
// nothing more; a head with a final status does not; a status stuck
// running does. Projects come from the configuration (by id) and from
// recent jobs (with their paths).
func TestSweepGitLab(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitLab(t)
	ctx := context.Background()
	srv.AddProject(gitlabtest.Project{ID: 42, PathWithNamespace: "acme/backend", DefaultBranch: "main"})
	srv.AddProject(gitlabtest.Project{ID: 43, PathWithNamespace: "acme/group/site", DefaultBranch: "main"})
	srv.AddProject(gitlabtest.Project{ID: 44, PathWithNamespace: "acme/unknown", DefaultBranch: "main"})
	addMR(srv, 42, 1, "")       // no status
	addMR(srv, 42, 2, "")       // success
	addMR(srv, 42, 3, "")       // running for an hour
	addMR(srv, 42, 4, "merged") // merged
	addMR(srv, 43, 5, "")       // no status, project seen in a job
	addMR(srv, 44, 6, "")       // a project nobody told us of
	srv.AddStatus(42, gitlabtest.Status{SHA: sha(2), Ref: "feature", Name: gitlab.StatusName, State: "success"})
	srv.AddStatus(42, gitlabtest.Status{SHA: sha(3), Ref: "feature", Name: gitlab.StatusName, State: "running", CreatedAt: time.Now().Add(-time.Hour)})
	// Another tool's status does not count.
	srv.AddStatus(42, gitlabtest.Status{SHA: sha(1), Ref: "feature", Name: "ci/build", State: "success"})

	projects := reconcile.NewProjects(e.rdb, e.prefix)
	if err := projects.Record(ctx, platform.Repo{ID: 43, Owner: "acme/group", Name: "site"}); err != nil {
		t.Fatal(err)
	}
	obs := newCounts()
	r := newReconciler(e, nil, obs, nil)
	r.GitLab, r.GitLabProjects, r.Projects = f, []int64{42}, projects

	r.Pass(ctx)
	got := e.q.queued()
	if h, want := heads(got), []string{"backend#1@0001", "backend#3@0003", "site#5@0005"}; !slices.Equal(h, want) {
		t.Fatalf("queued %v, want %v", h, want)
	}
	for _, j := range got {
		if j.Change.Platform != platform.GitLab || j.Change.Ref != "feature" || j.Change.BaseSHA != "main" || j.Change.Repo.ID == 0 {
			t.Errorf("job %+v lacks what the hook's would hold", j)
		}
	}
	if obs.swept["gitlab"] != 3 {
		t.Errorf("swept %v, want 3 on gitlab", obs.swept)
	}
	// Configured by id only: its path was read once (GET /projects/:id).
	if n := len(srv.CallsTo(gitlabtest.RouteGetProject)); n != 1 {
		t.Errorf("%d project reads, want 1", n)
	}

	// The merge request hook of the same head, arriving late, is a
	// duplicate of the sweep's job: one review, not two.
	hookJobs := webhookJobs(t, 42, "acme/backend", 1, sha(1))
	res, err := e.q.Redis.Enqueue(ctx, hookJobs)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Duplicate {
		t.Errorf("the hook's job of a swept head was queued again: %+v", res)
	}
}

// webhookJobs is the job the GitLab webhook makes of a merge request hook
// (through webhook.Jobs and the same key the GitLab source uses).
func webhookJobs(t *testing.T, project int64, path string, iid int, head string) queue.Job {
	t.Helper()
	body := `{"object_kind":"merge_request","event_type":"merge_request","user":{"id":1,"username":"dev"},` +
		`"project":{"id":` + itoa(project) + `,"path_with_namespace":"` + path + `","default_branch":"main"},` +
		`"object_attributes":{"iid":` + itoa(int64(iid)) + `,"action":"open","state":"opened","source_branch":"feature",` +
		`"target_branch":"main","target_project_id":` + itoa(project) + `,"source_project_id":` + itoa(project) + `,` +
		`"last_commit":{"id":"` + head + `"}}}`
	h := http.Header{}
	h.Set("X-Gitlab-Token", "hook-secret-0123456789")
	h.Set("X-Gitlab-Event", "Merge Request Hook")
	h.Set("Content-Type", "application/json")
	src := webhook.GitLab{Secrets: [][]byte{[]byte("hook-secret-0123456789")}}
	chk, err := src.Precheck(h)
	if err != nil {
		t.Fatal(err)
	}
	chk.Write([]byte(body))
	if err := chk.Verify(); err != nil {
		t.Fatal(err)
	}
	d, err := chk.Parse([]byte(body))
	if err != nil || len(d.Jobs) != 1 {
		t.Fatalf("parsing the hook: %v, %d jobs", err, len(d.Jobs))
	}
	return d.Jobs[0]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A GitLab hook to shiftward that GitLab disabled is counted and logged
// with how to re-enable it; an enabled one, another service's disabled
// hook, and a project whose hooks the token may not read are not.
func TestGitLabDisabledHooks(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitLab(t)
	srv.AddProject(gitlabtest.Project{ID: 42, PathWithNamespace: "acme/backend", DefaultBranch: "main"})
	srv.AddProject(gitlabtest.Project{ID: 43, PathWithNamespace: "acme/site", DefaultBranch: "main"})
	srv.AddProject(gitlabtest.Project{ID: 44, PathWithNamespace: "acme/locked", DefaultBranch: "main"})
	srv.AddHook(42, gitlabtest.Hook{URL: "https://shiftward.example.com/webhooks/gitlab", AlertStatus: "disabled"})
	srv.AddHook(42, gitlabtest.Hook{URL: "https://ci.example.com/hook", AlertStatus: "disabled"})
	srv.AddHook(43, gitlabtest.Hook{URL: "https://shiftward.example.com/webhooks/gitlab", AlertStatus: "temporarily_disabled",
		DisabledUntil: time.Now().Add(10 * time.Minute)})
	srv.AddHook(43, gitlabtest.Hook{URL: "https://shiftward.example.com/webhooks/gitlab/", AlertStatus: "executable"})
	logs := &logBuf{}
	obs := newCounts()
	r := newReconciler(e, nil, obs, logs)
	r.GitLab, r.GitLabProjects = f, []int64{44, 42, 43}
	// The bot is a Developer on 44, the first project: GitLab shows hooks
	// to Maintainers.
	srv.FailNext(gitlabtest.RouteListHooks, 1, http.StatusForbidden)

	rep := r.Pass(context.Background())
	if obs.disabled != 2 || rep.HooksDisabled != 2 {
		t.Errorf("disabled hooks %d (report %d), want 2", obs.disabled, rep.HooksDisabled)
	}
	if rep.Errors != 0 {
		t.Errorf("%d errors, want none (a 403 on hooks is the bot's role, not an error)", rep.Errors)
	}
	out := logs.String()
	if !strings.Contains(out, "send a test event") || !strings.Contains(out, `"project_id":42`) || !strings.Contains(out, `"disabled_until"`) {
		t.Errorf("logs do not say which hook is disabled and how to re-enable it:\n%s", out)
	}
	if strings.Contains(out, "ci.example.com") {
		t.Errorf("logs name another service's hook:\n%s", out)
	}
}

// Projects keeps the most recent first, one member per project id, and
// its path with it.
func TestProjects(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p := reconcile.NewProjects(e.rdb, e.prefix)
	for _, r := range []platform.Repo{{ID: 1, Owner: "a", Name: "one"}, {ID: 2, Owner: "a", Name: "two"}, {Owner: "b", Name: "by-path"}, {ID: 1, Owner: "a", Name: "renamed"}} {
		if err := p.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.Recent(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got {
		names = append(names, r.FullName())
	}
	if len(got) != 3 || !slices.Contains(names, "a/renamed") || slices.Contains(names, "a/one") {
		t.Errorf("recent projects %v, want 3 with project 1 under its new path", names)
	}
	if got, _ := p.Recent(ctx, 1); len(got) != 1 {
		t.Errorf("Recent(1) = %d projects", len(got))
	}
}

// A webhook secret that names project paths (globs): the bot's member
// projects a glob accepts are swept, others not, before any of their
// hooks has arrived.
func TestSweepGitLabMemberProjectsByPath(t *testing.T) {
	e := newEnv(t)
	srv, f := newGitLab(t)
	srv.AddProject(gitlabtest.Project{ID: 50, PathWithNamespace: "platform/api", DefaultBranch: "main"})
	srv.AddProject(gitlabtest.Project{ID: 51, PathWithNamespace: "other/app", DefaultBranch: "main"})
	addMR(srv, 50, 1, "")
	addMR(srv, 51, 2, "")
	r := newReconciler(e, nil, nil, nil)
	r.GitLab = f
	r.GitLabPaths = func(p string) bool { return strings.HasPrefix(p, "platform/") }
	r.Pass(context.Background())
	if h := heads(e.q.queued()); !slices.Equal(h, []string{"api#1@0001"}) {
		t.Errorf("queued %v, want the matching project's merge request only", h)
	}
	if n := len(srv.CallsTo(gitlabtest.RouteGetProject)); n != 0 {
		t.Errorf("%d project reads, want none (the listing names the paths)", n)
	}
	ls := srv.CallsTo(gitlabtest.RouteListProjects)
	if len(ls) != 1 || !strings.Contains(ls[0].Query, "membership=true") || !strings.Contains(ls[0].Query, "min_access_level=30") {
		t.Errorf("member listings %+v, want one of the projects the bot is a Developer of", ls)
	}
}
