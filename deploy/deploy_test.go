// Package deploy_test checks the container deployment: deploy/Dockerfile
// (shiftward's own IaC rules, its shape, its build context, and the binary
// its build command makes), deploy/compose.yaml (loaded with the Compose
// spec's own loader) and deploy/shiftward.env.example (every setting the
// server reads, each with its true default), and the Makefile's image and
// compose targets. No container engine runs here: the image itself is not
// built.
package deploy_test

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/google/go-cmp/cmp"
	dfparser "github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/shiftward/shiftward/app/config"
	"github.com/shiftward/shiftward/app/queue"
	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// root is the module's root, where the image is built from.
const root = ".."

// The image's user: distroless' nonroot, the uid the compose file, the
// Kubernetes manifests and the secret's owner use too.
const imageUID = "65532"

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// iacFindings scans a file as the review of a change adding it whole would.
func iacFindings(t *testing.T, path string, content []byte) []scanners.Finding {
	t.Helper()
	in := &scanners.Input{Path: path, Content: content, New: true}
	for i, l := range strings.Split(strings.TrimSuffix(string(content), "\n"), "\n") {
		in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
	}
	findings, err := iac.New().Scan(context.Background(), in)
	if err != nil {
		t.Fatalf("iac scan of %s: %v", path, err)
	}
	return findings
}

func TestDockerfilePassesShiftwardsIaCRules(t *testing.T) {
	df := read(t, "deploy/Dockerfile")
	for _, f := range iacFindings(t, "deploy/Dockerfile", df) {
		t.Errorf("%s:%d %s (%s): %s", f.Location.Path, f.Location.StartLine, f.RuleID, f.Severity, f.Message)
	}
	// The same scan sees what the file avoids: the rules are live here.
	for _, tc := range []struct{ name, re, to, rule string }{
		{"a tag without a digest", `@sha256:[0-9a-f]{64}`, "", "iac/dockerfile-image-no-digest"},
		{"root", `(?m)^USER .*$`, "USER 0", "iac/dockerfile-root-user"},
	} {
		re := regexp.MustCompile(tc.re)
		loc := re.FindIndex(df)
		if loc == nil {
			t.Fatalf("%s: %s is not in the Dockerfile", tc.name, tc.re)
		}
		bad := slices.Concat(df[:loc[0]], []byte(tc.to), df[loc[1]:])
		var rules []string
		for _, f := range iacFindings(t, "deploy/Dockerfile", bad) {
			rules = append(rules, f.RuleID)
		}
		if !slices.Contains(rules, tc.rule) {
			t.Errorf("%s: the IaC scan reports %v, want %s", tc.name, rules, tc.rule)
		}
	}
}

// instr is one Dockerfile instruction.
type instr struct {
	cmd   string // upper case
	flags []string
	args  []string
	json  bool
	line  int
}

type stage struct {
	from, name string
	body       []instr
}

func parseDockerfile(t *testing.T, content []byte) []stage {
	t.Helper()
	res, err := dfparser.Parse(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	var stages []stage
	for _, n := range res.AST.Children {
		in := instr{cmd: strings.ToUpper(n.Value), flags: n.Flags, json: n.Attributes["json"], line: n.StartLine}
		for a := n.Next; a != nil; a = a.Next {
			in.args = append(in.args, a.Value)
		}
		if in.cmd == "FROM" {
			st := stage{from: in.args[0]}
			if len(in.args) == 3 && strings.EqualFold(in.args[1], "AS") {
				st.name = in.args[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			continue // ARGs before the first FROM
		}
		stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
	}
	return stages
}

func (s stage) all(cmd string) []instr {
	var out []instr
	for _, in := range s.body {
		if in.cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// reDigest is an image pinned by tag and digest.
var reDigest = regexp.MustCompile(`^[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$`)

func TestDockerfileShape(t *testing.T) {
	stages := parseDockerfile(t, read(t, "deploy/Dockerfile"))
	if len(stages) < 2 {
		t.Fatalf("%d stage(s), want a build stage and a run stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	for _, st := range stages {
		if !reDigest.MatchString(st.from) {
			t.Errorf("FROM %s: want image:tag@sha256:digest", st.from)
		}
	}
	if build.name == "" || !strings.HasPrefix(build.from, "golang:") {
		t.Errorf("build stage FROM %s AS %q: want the Go image, named", build.from, build.name)
	}
	// The build stage's Go is the release go.mod names.
	gomod := string(read(t, "go.mod"))
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(gomod)
	if goVersion == nil || !strings.HasPrefix(build.from, "golang:"+goVersion[1]+"-") {
		t.Errorf("build stage FROM %s, go.mod says %v", build.from, goVersion)
	}

	// cgo on in the build stage (the tree-sitter grammars are C).
	cgo := false
	for _, in := range build.all("ENV") {
		for i := 0; i+1 < len(in.args); i += 3 {
			cgo = cgo || in.args[i] == "CGO_ENABLED" && in.args[i+1] == "1"
		}
	}
	if !cgo {
		t.Error("the build stage does not set CGO_ENABLED=1")
	}

	// The modules come in their own layer: go.mod and go.sum copied, then
	// downloaded, before any source is copied; the build comes last.
	var order []string
	for _, in := range build.body {
		switch {
		case in.cmd == "COPY" && slices.Equal(in.args, []string{"go.mod", "go.sum", "./"}):
			order = append(order, "copy go.mod")
		case in.cmd == "COPY":
			order = append(order, "copy source")
		case in.cmd == "RUN" && strings.Contains(strings.Join(in.args, " "), "go mod download"):
			order = append(order, "download")
		case in.cmd == "RUN" && strings.Contains(strings.Join(in.args, " "), "go build"):
			order = append(order, "build")
		}
	}
	order = slices.Compact(order)
	if want := []string{"copy go.mod", "download", "copy source", "build"}; !slices.Equal(order, want) {
		t.Errorf("build stage steps %v, want %v", order, want)
	}

	cmd := goBuildCommand(t)
	for _, flag := range []string{"-trimpath", "-X github.com/shiftward/shiftward/app.Version=${VERSION}", " ./cmd/shiftward"} {
		if !strings.Contains(cmd, flag) {
			t.Errorf("the go build command lacks %q: %s", flag, cmd)
		}
	}
	if len(build.all("ARG")) == 0 || build.all("ARG")[0].args[0] != "VERSION=dev" {
		t.Errorf("the build stage does not take ARG VERSION (default dev)")
	}

	// The run stage: a numeric non-root user, exec-form entrypoint.
	users := final.all("USER")
	if len(users) == 0 {
		t.Fatal("the final stage sets no USER")
	}
	user := users[len(users)-1].args[0]
	uid, gid, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 || uid != imageUID {
		t.Errorf("USER %s: want the numeric non-root %s", user, imageUID)
	}
	if n, err := strconv.Atoi(gid); gid != "" && (err != nil || n == 0) {
		t.Errorf("USER %s: the group is root or not numeric", user)
	}
	checkExec := func(cmd string, want ...string) {
		ins := final.all(cmd)
		if len(ins) != 1 || !ins[0].json || !slices.Equal(ins[0].args, want) {
			t.Errorf("%s: %+v, want exec form %q", cmd, ins, want)
		}
	}
	checkExec("ENTRYPOINT", "/usr/local/bin/shiftward")
	checkExec("CMD", "serve")
	if ex := final.all("EXPOSE"); len(ex) != 1 || !slices.Equal(ex[0].args, []string{"8080"}) {
		t.Errorf("EXPOSE: %+v, want 8080", ex)
	}
	copies := final.all("COPY")
	if len(copies) != 1 || !slices.Contains(copies[0].flags, "--from="+build.name) || copies[0].args[len(copies[0].args)-1] != "/usr/local/bin/shiftward" {
		t.Errorf("final stage COPY: %+v, want the binary only, from %s", copies, build.name)
	}
	hc := final.all("HEALTHCHECK")
	if len(hc) != 1 || !strings.Contains(strings.Join(hc[0].args, " "), "/usr/local/bin/shiftward healthcheck") {
		t.Errorf("HEALTHCHECK: %+v, want shiftward healthcheck", hc)
	}
	labels := map[string]string{}
	for _, in := range final.all("LABEL") {
		for i := 0; i+1 < len(in.args); i += 3 {
			labels[in.args[i]] = strings.Trim(in.args[i+1], `"`)
		}
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.source":   "https://github.com/shiftward/shiftward",
		"org.opencontainers.image.version":  "${VERSION}",
		"org.opencontainers.image.licenses": "",
	} {
		got, ok := labels[k]
		if !ok || v != "" && got != v {
			t.Errorf("LABEL %s = %q, want %q", k, got, v)
		}
	}
}

// goBuildCommand is the build stage's `go build ...` command, as the shell
// would run it (continuation lines joined), up to the next &&.
func goBuildCommand(t *testing.T) string {
	t.Helper()
	for _, st := range parseDockerfile(t, read(t, "deploy/Dockerfile")) {
		for _, in := range st.all("RUN") {
			text := strings.Join(in.args, " ")
			i := strings.Index(text, "go build ")
			if i < 0 {
				continue
			}
			cmd, _, _ := strings.Cut(text[i:], "&&")
			return strings.TrimSpace(cmd)
		}
	}
	t.Fatal("no go build in deploy/Dockerfile")
	return ""
}

// The image's build runs `go build` with the Dockerfile's own flags; this
// runs the same command here and checks what the image would hold: a
// static binary (distroless/static has no libc) that starts and whose
// tree-sitter scanners work. It takes minutes on a cold build cache.
func TestDockerfileBuildsAStaticBinaryThatScans(t *testing.T) {
	if testing.Short() {
		t.Skip("builds shiftward with the image's flags (minutes on a cold cache); not in -short")
	}
	for _, tool := range []string{"go", "gcc", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: %v", tool, err)
		}
	}
	cmd := goBuildCommand(t)
	out := filepath.Join(t.TempDir(), "shiftward")
	if !strings.Contains(cmd, "-o /out/shiftward ") {
		t.Fatalf("the build command does not write /out/shiftward: %s", cmd)
	}
	cmd = strings.Replace(cmd, "-o /out/shiftward ", "-o "+out+" ", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	// shiftward:ignore code/go-command-context the command is deploy/Dockerfile's own go build line
	build := exec.CommandContext(ctx, "sh", "-c", cmd)
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=1", "VERSION=9.9.9-test")
	start := time.Now()
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
	t.Logf("built in %s: %s", time.Since(start).Round(time.Second), cmd)

	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	libs, _ := f.ImportedLibraries()
	interp := false
	for _, p := range f.Progs {
		interp = interp || p.Type == elf.PT_INTERP
	}
	f.Close()
	if interp || len(libs) > 0 {
		t.Errorf("the binary is dynamic (interpreter %v, libraries %v): it cannot run on distroless/static", interp, libs)
	}
	if st, err := os.Stat(out); err == nil {
		t.Logf("binary: %d bytes", st.Size())
	}

	// shiftward:ignore code/go-command-context out is the binary this test just built
	v, err := exec.CommandContext(ctx, out, "version").Output()
	if err != nil || strings.TrimSpace(string(v)) != "shiftward 9.9.9-test" {
		t.Errorf("version: %q, %v", v, err)
	}

	// A change adding Python and JavaScript: only tree-sitter finds these.
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		c := exec.CommandContext(ctx, "git", append([]string{"-C", repo, "-c", "user.email=t@example.com", "-c", "user.name=t"}, args...)...)
		if b, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
	}
	git("init", "-q", "-b", "main")
	write := func(name, body string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(repo, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("README.md", "# x\n")
	git("add", ".")
	git("commit", "-q", "-m", "init")
	git("checkout", "-q", "-b", "change")
	write("app.py", "from flask import request\n\ndef run():\n    return eval(request.args.get(\"expr\"))\n")
	write("web/index.js", "app.get(\"/\", (req, res) => {\n  eval(req.query.code);\n});\n")
	git("add", ".")
	git("commit", "-q", "-m", "change")
	// shiftward:ignore code/go-command-context out is the binary this test just built
	scan := exec.CommandContext(ctx, out, "scan", "--format", "json", "--base", "main", repo)
	var stdout, stderr bytes.Buffer
	scan.Stdout, scan.Stderr = &stdout, &stderr
	err = scan.Run()
	if code := scan.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("scan exit %d (%v), want 1 (findings); stderr:\n%s", code, err, stderr.String())
	}
	var res struct {
		Findings []struct {
			RuleID string `json:"rule_id"`
			Path   string `json:"path"`
		} `json:"findings"`
		Incomplete []any `json:"incomplete"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("scan output: %v\n%s", err, stdout.String())
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Path+" "+f.RuleID)
	}
	for _, want := range []string{"app.py code/py-code-eval", "web/index.js code/js-code-eval"} {
		if !slices.Contains(got, want) {
			t.Errorf("the static binary's scan found %v, want %s", got, want)
		}
	}
	if len(res.Incomplete) > 0 {
		t.Errorf("incomplete: %v", res.Incomplete)
	}
}

// contextFiles are the files of the module root that deploy/Dockerfile's
// build context holds, under deploy/Dockerfile.dockerignore.
func contextMatcher(t *testing.T) *patternmatcher.PatternMatcher {
	t.Helper()
	patterns, err := ignorefile.ReadAll(bytes.NewReader(read(t, "deploy/Dockerfile.dockerignore")))
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	return pm
}

func inContext(t *testing.T, pm *patternmatcher.PatternMatcher, name string) bool {
	t.Helper()
	excluded, err := pm.MatchesOrParentMatches(name)
	if err != nil {
		t.Fatal(err)
	}
	return !excluded
}

func TestBuildContextHoldsWhatTheBuildReadsAndNoSecrets(t *testing.T) {
	pm := contextMatcher(t)
	// Every file of this module the binary is built from: go list says
	// which, for every package cmd/shiftward imports.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	list := exec.CommandContext(ctx, "go", "list", "-deps", "-json=Dir,GoFiles,CgoFiles,CFiles,HFiles,SFiles,EmbedFiles,Module", "./cmd/shiftward")
	list.Dir = root
	list.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	need := []string{"go.mod", "go.sum"}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			Dir                                                   string
			GoFiles, CgoFiles, CFiles, HFiles, SFiles, EmbedFiles []string
			Module                                                *struct{ Main bool }
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || !p.Module.Main {
			continue
		}
		rel, err := filepath.Rel(abs, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, files := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.HFiles, p.SFiles, p.EmbedFiles} {
			for _, f := range files {
				need = append(need, filepath.ToSlash(filepath.Join(rel, f)))
			}
		}
	}
	if len(need) < 50 {
		t.Fatalf("go list named only %d files", len(need))
	}
	for _, f := range need {
		if !inContext(t, pm, f) {
			t.Errorf("the build needs %s, which the build context leaves out", f)
		}
	}
	// What must never be sent: the operator's settings and secrets, the git
	// history, built binaries.
	for _, f := range []string{"deploy/shiftward.env", "deploy/github-app.json", "github-app.json", ".git/config", "bin/shiftward",
		".bench/x", "testdata/secrets/x.txt", "scanners/iac/testdata/x.tf", "app/app_test.go", "README.md", "deploy/helm/shiftward/values.yaml"} {
		if inContext(t, pm, f) {
			t.Errorf("the build context holds %s", f)
		}
	}
	// The Dockerfile copies only what the context holds.
	for _, st := range parseDockerfile(t, read(t, "deploy/Dockerfile")) {
		for _, in := range st.all("COPY") {
			if slices.ContainsFunc(in.flags, func(f string) bool { return strings.HasPrefix(f, "--from=") }) {
				continue
			}
			for _, src := range in.args[:len(in.args)-1] {
				src = strings.TrimSuffix(src, "/")
				if _, err := os.Stat(filepath.Join(root, src)); err != nil || !inContext(t, pm, src) {
					t.Errorf("COPY %s: not in the build context (%v)", src, err)
				}
			}
		}
	}
}

// loadCompose loads deploy/compose.yaml as `docker compose` would, from a
// copy beside the env example (as deploy/shiftward.env) and a stand-in
// github-app.json, with no variable from the environment.
func loadCompose(t *testing.T, withEnvFile bool, env ...string) (*types.Project, error) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "deploy")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"compose.yaml": read(t, "deploy/compose.yaml"), "github-app.json": []byte("{}")}
	if withEnvFile {
		files["shiftward.env"] = read(t, "deploy/shiftward.env.example")
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(dir, "compose.yaml")},
		cli.WithWorkingDirectory(dir), cli.WithEnv(env), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func TestComposeFile(t *testing.T) {
	p, err := loadCompose(t, true)
	if err != nil {
		t.Fatalf("compose.yaml does not load with the env example in place: %v", err)
	}
	names := p.ServiceNames()
	slices.Sort(names)
	if want := []string{"redis", "serve", "worker"}; !slices.Equal(names, want) {
		t.Fatalf("services %v, want %v", names, want)
	}
	for _, name := range names {
		s := p.Services[name]
		t.Run(name, func(t *testing.T) {
			if hc := s.HealthCheck; hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Interval == nil || hc.Timeout == nil {
				t.Errorf("health check: %+v", hc)
			}
			if !s.ReadOnly || !slices.Contains([]string(s.Tmpfs), "/tmp") {
				t.Errorf("read_only %v, tmpfs %v: want a read-only root and a tmpfs /tmp", s.ReadOnly, s.Tmpfs)
			}
			if !slices.Equal(s.CapDrop, []string{"ALL"}) || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
				t.Errorf("cap_drop %v, security_opt %v", s.CapDrop, s.SecurityOpt)
			}
			if s.Restart != types.RestartPolicyUnlessStopped {
				t.Errorf("restart %q", s.Restart)
			}
			if uid, _, _ := strings.Cut(s.User, ":"); uid == "" || uid == "0" || uid == "root" {
				t.Errorf("user %q: want a numeric non-root user", s.User)
			}
			if s.ContainerName != "" {
				t.Errorf("container_name %q: a fixed name cannot scale", s.ContainerName)
			}
		})
	}

	for _, name := range []string{"serve", "worker"} {
		s := p.Services[name]
		t.Run(name, func(t *testing.T) {
			if !slices.Equal(s.Command, types.ShellCommand{name}) {
				t.Errorf("command %q, want [%s]", s.Command, name)
			}
			if s.User != imageUID+":"+imageUID {
				t.Errorf("user %q, want the image's %s", s.User, imageUID)
			}
			if s.Build == nil || s.Build.Dockerfile != "deploy/Dockerfile" || s.Build.Context != filepath.Dir(p.WorkingDir) {
				t.Errorf("build %+v: want deploy/Dockerfile from the repository root", s.Build)
			}
			if want := []string{"CMD", "/usr/local/bin/shiftward", "healthcheck"}; !slices.Equal([]string(s.HealthCheck.Test), want) {
				t.Errorf("health check %q, want %q", s.HealthCheck.Test, want)
			}
			if d, ok := s.DependsOn["redis"]; !ok || d.Condition != types.ServiceConditionHealthy {
				t.Errorf("depends_on %+v: want redis, service_healthy", s.DependsOn)
			}
			if len(s.Secrets) != 1 || s.Secrets[0].Source != "github-app" || s.Secrets[0].Target != "github-app.json" {
				t.Errorf("secrets %+v: want github-app at /run/secrets/github-app.json", s.Secrets)
			}
			env := map[string]string{}
			var environ []string
			for k, v := range s.Environment {
				if v != nil {
					env[k] = *v
					environ = append(environ, k+"="+*v)
				}
			}
			if env[config.EnvRedisURL] != "redis://redis:6379/0" {
				t.Errorf("%s = %q", config.EnvRedisURL, env[config.EnvRedisURL])
			}
			if env[config.EnvGitHubAppFile] != "/run/secrets/github-app.json" {
				t.Errorf("%s = %q: want the secret's path, from the env file", config.EnvGitHubAppFile, env[config.EnvGitHubAppFile])
			}
			if w := config.Unknown(environ); len(w) > 0 {
				t.Errorf("settings shiftward does not know: %v", w)
			}
			// The health check follows SHIFTWARD_ADDR; the published port
			// and the image's EXPOSE assume its default.
			if a, ok := env[config.EnvAddr]; ok && a != ":8080" {
				t.Errorf("%s = %q: the ports and checks assume :8080", config.EnvAddr, a)
			}
			if s.StopGracePeriod == nil || time.Duration(*s.StopGracePeriod) <= 10*time.Minute {
				t.Errorf("stop_grace_period %v: want longer than the 10m job timeout", s.StopGracePeriod)
			}
			if _, ok := s.Networks["queue"]; !ok {
				t.Errorf("networks %v: want the queue network, where Redis is", slices.Collect(maps.Keys(s.Networks)))
			}
		})
	}
	if ports := p.Services["serve"].Ports; len(ports) != 1 || ports[0].Target != 8080 || ports[0].Published != "8080" {
		t.Errorf("serve ports %+v, want 8080:8080", ports)
	}
	if ports := p.Services["worker"].Ports; len(ports) != 0 {
		t.Errorf("worker ports %+v: a published port cannot scale", ports)
	}

	redis := p.Services["redis"]
	args := strings.Join(redis.Command, " ")
	for _, want := range []string{"--maxmemory-policy noeviction", "--appendonly yes"} {
		if !strings.Contains(args, want) {
			t.Errorf("redis command %q lacks %s", args, want)
		}
	}
	if !reDigest.MatchString(redis.Image) || !strings.HasPrefix(redis.Image, "redis:") {
		t.Errorf("redis image %q: want the official image, pinned by tag and digest", redis.Image)
	}
	if len(redis.Volumes) != 1 || redis.Volumes[0].Type != types.VolumeTypeVolume || redis.Volumes[0].Source != "redis-data" || redis.Volumes[0].Target != "/data" {
		t.Errorf("redis volumes %+v: want the named volume redis-data at /data", redis.Volumes)
	}
	if _, ok := p.Volumes["redis-data"]; !ok {
		t.Errorf("volumes %v: want redis-data", p.Volumes)
	}
	if hc := strings.Join(redis.HealthCheck.Test, " "); !strings.Contains(hc, "redis-cli ping") {
		t.Errorf("redis health check %q: want redis-cli ping", hc)
	}
	if len(redis.Ports) != 0 {
		t.Errorf("redis publishes %+v", redis.Ports)
	}
	if n, ok := p.Networks["queue"]; !ok || !n.Internal {
		t.Errorf("the queue network %+v: want internal", n)
	}
	if sec, ok := p.Secrets["github-app"]; !ok || filepath.Base(sec.File) != "github-app.json" || filepath.Dir(sec.File) != p.WorkingDir {
		t.Errorf("secret github-app %+v: want deploy/github-app.json", sec)
	}
}

func TestComposeWantsTheEnvFile(t *testing.T) {
	_, err := loadCompose(t, false)
	if err == nil || !strings.Contains(err.Error(), "shiftward.env") {
		t.Errorf("compose.yaml without deploy/shiftward.env: %v; want an error naming it", err)
	}
}

func TestComposeVersionFromMake(t *testing.T) {
	p, err := loadCompose(t, true, "SHIFTWARD_VERSION=1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	s := p.Services["serve"]
	// The tag stays latest, as make image's, so a later `docker compose up`
	// without the variable finds the image make compose built.
	if s.Image != "shiftward:latest" || s.Build == nil || s.Build.Args["VERSION"] == nil || *s.Build.Args["VERSION"] != "1.2.3" {
		t.Errorf("image %q, build args %v: want shiftward:latest built with VERSION=1.2.3", s.Image, s.Build.Args)
	}
	p, err = loadCompose(t, true)
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Services["worker"].Build.Args["VERSION"]; v == nil || *v != "dev" {
		t.Errorf("without SHIFTWARD_VERSION the build's VERSION is %v, want dev", v)
	}
}

// settings are the SHIFTWARD_* names the server reads: config.Known, which
// app/config's TestKnownListsEveryEnvConstant keeps equal to its Env*
// constants.
func settings(t *testing.T) []string {
	t.Helper()
	if len(config.Known) < 20 {
		t.Fatalf("config.Known has %d names: too few to be the settings", len(config.Known))
	}
	return slices.Sorted(slices.Values(config.Known))
}

// envEntry is one variable of the env example.
type envEntry struct {
	name, value string
	set         bool   // not commented out
	def         string // after "Default:" in its comment, "" for none
	line        int
}

var reEnvLine = regexp.MustCompile(`^(#?)(SHIFTWARD_[A-Z0-9_]+)=(.*)$`)

// parseEnvExample reads NAME=value and #NAME=value lines, each with the
// comment block right above it, and reports lines of neither kind that
// look like settings, and entries without a comment or a Default.
func parseEnvExample(text string) (map[string]envEntry, []string) {
	entries := map[string]envEntry{}
	var problems, comment []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		m := reEnvLine.FindStringSubmatch(l)
		switch {
		case m != nil:
			e := envEntry{name: m[2], value: m[3], set: m[1] == "", line: n}
			block := strings.Join(comment, " ")
			if _, def, ok := strings.Cut(block, "Default:"); ok {
				e.def = strings.TrimSuffix(strings.Fields(def + " .")[0], ".")
			} else {
				problems = append(problems, fmt.Sprintf("line %d: %s has no comment saying its default (Default: ...)", n, e.name))
			}
			if _, dup := entries[e.name]; dup {
				problems = append(problems, fmt.Sprintf("line %d: %s listed twice", n, e.name))
			}
			entries[e.name] = e
			comment = nil
		case strings.HasPrefix(l, "#"):
			if strings.Contains(l, "SHIFTWARD_") && strings.Contains(l, "=") && !strings.HasPrefix(l, "# ") {
				problems = append(problems, fmt.Sprintf("line %d: %q is neither NAME=value nor #NAME=value", n, l))
			}
			comment = append(comment, strings.TrimSpace(strings.TrimLeft(l, "#")))
		case strings.TrimSpace(l) == "":
			comment = nil
		default:
			problems = append(problems, fmt.Sprintf("line %d: %q is not a setting or a comment", n, l))
		}
	}
	return entries, problems
}

// missing names the settings the example does not list.
func missing(entries map[string]envEntry, names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := entries[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

func TestEnvExampleListsEverySetting(t *testing.T) {
	text := string(read(t, "deploy/shiftward.env.example"))
	entries, problems := parseEnvExample(text)
	for _, p := range problems {
		t.Error(p)
	}
	names := settings(t)
	for _, n := range missing(entries, names) {
		t.Errorf("deploy/shiftward.env.example does not list %s (add it, with what it does and its default)", n)
	}
	// And the check catches a setting left out.
	cut := regexp.MustCompile(`(?m)^#?`+config.EnvWorkers+`=.*\n`).ReplaceAllString(text, "")
	if e, _ := parseEnvExample(cut); !slices.Equal(missing(e, names), []string{config.EnvWorkers}) {
		t.Errorf("an example without %s: missing %v", config.EnvWorkers, missing(e, names))
	}
	var environ []string
	for _, e := range entries {
		if !slices.Contains(names, e.name) {
			t.Errorf("line %d: %s is not a setting app/config declares", e.line, e.name)
		}
		environ = append(environ, e.name+"="+e.value)
	}
	if w := config.Unknown(environ); len(w) > 0 {
		t.Errorf("config.Unknown: %v", w)
	}
}

// A commented-out setting shows its default, and that default is true:
// setting it changes nothing in the configuration the server reads.
func TestEnvExampleDefaultsAreTheServers(t *testing.T) {
	entries, _ := parseEnvExample(string(read(t, "deploy/shiftward.env.example")))
	base, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	norm := func(c *config.Config) *config.Config {
		if c.RedisPrefix == "" {
			c.RedisPrefix = queue.DefaultPrefix // empty means the queue's default
		}
		return c
	}
	checked := 0
	for _, e := range entries {
		if e.def == "" || e.def == "unset" {
			continue
		}
		if e.set {
			t.Errorf("line %d: %s is set; an optional setting is shown commented out", e.line, e.name)
			continue
		}
		if e.value != e.def {
			t.Errorf("line %d: #%s=%s, but its comment says the default is %s", e.line, e.name, e.value, e.def)
			continue
		}
		got, err := config.FromEnv(func(k string) string {
			if k == e.name {
				return e.value
			}
			return ""
		})
		if err != nil {
			t.Errorf("%s=%s: %v", e.name, e.value, err)
			continue
		}
		if diff := cmp.Diff(norm(base), norm(got)); diff != "" {
			t.Errorf("%s=%s is not the default (-unset +set):\n%s", e.name, e.value, diff)
		}
		checked++
	}
	if checked < 15 {
		t.Errorf("only %d defaults checked", checked)
	}
}

// runMake runs a Makefile target in a directory holding a copy of the
// Makefile, with PATH holding only the given fake programs (each records
// its arguments in calls.log) and sh's own.
func runMake(t *testing.T, dir string, fakes []string, args ...string) (string, string, error) {
	t.Helper()
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	bin := filepath.Join(dir, "fakebin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range fakes {
		script := "#!/bin/sh\necho \"" + f + " $* SHIFTWARD_VERSION=${SHIFTWARD_VERSION:-}\" >> \"" + filepath.Join(dir, "calls.log") + "\"\n"
		if err := os.WriteFile(filepath.Join(bin, f), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), read(t, "Makefile"), 0o644); err != nil {
		t.Fatal(err)
	}
	// sh and the few tools a recipe's shell needs, but no container engine.
	sys := filepath.Join(dir, "sysbin")
	if err := os.MkdirAll(sys, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"sh", "cat", "echo", "test", "["} {
		if p, err := exec.LookPath(tool); err == nil {
			_ = os.Symlink(p, filepath.Join(sys, tool))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, makeBin, append([]string{"--no-print-directory", "VERSION=1.2.3"}, args...)...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + bin + ":" + sys, "HOME=" + dir}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	calls, _ := os.ReadFile(filepath.Join(dir, "calls.log"))
	return string(calls), stderr.String(), err
}

func TestMakeImage(t *testing.T) {
	for _, engine := range []string{"docker", "podman", "nerdctl", "buildah"} {
		calls, stderr, err := runMake(t, t.TempDir(), []string{engine}, "image")
		if err != nil {
			t.Errorf("make image with %s: %v\n%s", engine, err, stderr)
			continue
		}
		want := engine + " build -f deploy/Dockerfile --build-arg VERSION=1.2.3 -t shiftward:1.2.3 -t shiftward:latest . SHIFTWARD_VERSION=\n"
		if calls != want {
			t.Errorf("make image with %s ran:\n%s\nwant:\n%s", engine, calls, want)
		}
	}
	// docker wins when several are there.
	if calls, _, _ := runMake(t, t.TempDir(), []string{"podman", "docker"}, "image"); !strings.HasPrefix(calls, "docker build") {
		t.Errorf("with docker and podman: %q", calls)
	}
	calls, stderr, err := runMake(t, t.TempDir(), nil, "image")
	if err == nil || calls != "" {
		t.Errorf("make image with no engine: err %v, ran %q", err, calls)
	}
	for _, name := range []string{"docker", "podman", "nerdctl", "buildah"} {
		if !strings.Contains(stderr, name) {
			t.Errorf("make image with no engine says %q; want it to name %s", stderr, name)
		}
	}
}

func TestMakeCompose(t *testing.T) {
	dir := t.TempDir()
	calls, stderr, err := runMake(t, dir, []string{"docker"}, "compose")
	if err == nil || calls != "" || !strings.Contains(stderr, "deploy/shiftward.env") || !strings.Contains(stderr, "deploy/shiftward.env.example") {
		t.Errorf("make compose without deploy/shiftward.env: err %v, ran %q, said %q", err, calls, stderr)
	}
	if err := os.MkdirAll(filepath.Join(dir, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "deploy", "shiftward.env"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	calls, stderr, err = runMake(t, dir, []string{"docker"}, "compose")
	if err == nil || calls != "" || !strings.Contains(stderr, "deploy/github-app.json") {
		t.Errorf("make compose without deploy/github-app.json: err %v, ran %q, said %q", err, calls, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "deploy", "github-app.json"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, engine := range []string{"docker", "podman"} {
		d := t.TempDir()
		if err := os.CopyFS(filepath.Join(d, "deploy"), os.DirFS(filepath.Join(dir, "deploy"))); err != nil {
			t.Fatal(err)
		}
		calls, stderr, err := runMake(t, d, []string{engine}, "compose")
		want := engine + " compose -f deploy/compose.yaml up -d --build SHIFTWARD_VERSION=1.2.3\n"
		if err != nil || calls != want {
			t.Errorf("make compose with %s: err %v (%s), ran %q, want %q", engine, err, stderr, calls, want)
		}
	}
	d := t.TempDir()
	if err := os.CopyFS(filepath.Join(d, "deploy"), os.DirFS(filepath.Join(dir, "deploy"))); err != nil {
		t.Fatal(err)
	}
	calls, stderr, err = runMake(t, d, nil, "compose")
	if err == nil || calls != "" || !strings.Contains(stderr, "docker") || !strings.Contains(stderr, "podman") {
		t.Errorf("make compose with neither docker nor podman: err %v, ran %q, said %q", err, calls, stderr)
	}
}

// The operator's copies hold secrets: git must never take them.
func TestGitIgnoresTheOperatorsFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not a git checkout")
	}
	for _, f := range []string{"deploy/shiftward.env", "deploy/github-app.json"} {
		cmd := exec.Command("git", "check-ignore", "-q", "--no-index", f)
		cmd.Dir = root
		if err := cmd.Run(); err != nil {
			t.Errorf("git does not ignore %s: %v", f, err)
		}
	}
	// And the example is not ignored.
	cmd := exec.Command("git", "check-ignore", "-q", "--no-index", "deploy/shiftward.env.example")
	cmd.Dir = root
	if err := cmd.Run(); err == nil {
		t.Error("git ignores deploy/shiftward.env.example")
	}
}
