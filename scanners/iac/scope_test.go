package iac_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// partial is an input whose Added lines are only the given line numbers.
func partial(path, content string, added ...int) *scanners.Input {
	lines := strings.Split(strings.TrimSuffix(content, "\n"), "\n")
	in := &scanners.Input{Path: path, Content: []byte(content)}
	for _, n := range added {
		in.Added = append(in.Added, scanners.Line{Number: n, Text: lines[n-1]})
	}
	return in
}

// scanRules runs the scanner on in as a review does (scanners.Run, which
// scopes) and returns the start lines of the findings the change
// introduces, by rule.
func scanRules(t *testing.T, in *scanners.Input) map[string][]int {
	t.Helper()
	introduced, _ := scoped(t, in)
	return introduced
}

// scoped is scanRules for both kinds: the findings the change introduces,
// and those it marks pre-existing.
func scoped(t *testing.T, in *scanners.Input) (introduced, pre map[string][]int) {
	t.Helper()
	res, err := scanners.Run(context.Background(), []scanners.Scanner{iac.New()}, []*scanners.Input{in})
	if err != nil {
		t.Fatal(err)
	}
	if res.Incomplete() {
		t.Fatalf("scan incomplete: %v", res.Statuses[0].Errors)
	}
	introduced, pre = map[string][]int{}, map[string][]int{}
	for _, f := range res.Findings {
		if f.Preexisting {
			if f.Fix != nil {
				t.Errorf("%s on line %d: pre-existing with a fix", f.RuleID, f.Location.StartLine)
			}
			pre[f.RuleID] = append(pre[f.RuleID], f.Location.StartLine)
		} else {
			introduced[f.RuleID] = append(introduced[f.RuleID], f.Location.StartLine)
		}
	}
	return introduced, pre
}

// TestUntouchedFindingsArePreexisting checks that what a touched file
// already had is reported pre-existing, not dropped, and what the change
// adds stays introduced.
func TestUntouchedFindingsArePreexisting(t *testing.T) {
	// The sidecar's image line (15) is added; the app container's
	// privileged line (13) and its missing settings are not.
	introduced, pre := scoped(t, partial("web.yaml", twoContainers, 15))
	if want := []int{13}; !slices.Equal(pre["iac/k8s-privileged"], want) {
		t.Errorf("pre-existing privileged at %v, want %v", pre["iac/k8s-privileged"], want)
	}
	if want := []int{10}; !slices.Equal(pre["iac/k8s-privilege-escalation"], want) {
		t.Errorf("pre-existing escalation at %v, want %v (the untouched app container)", pre["iac/k8s-privilege-escalation"], want)
	}
	if want := []int{14}; !slices.Equal(introduced["iac/k8s-privilege-escalation"], want) {
		t.Errorf("introduced escalation at %v, want %v (the touched sidecar)", introduced["iac/k8s-privilege-escalation"], want)
	}

	tf := "resource \"aws_ebs_volume\" \"a\" {\n  size = 10\n}\n\nresource \"aws_ebs_volume\" \"b\" {\n  size = 20\n}\n"
	introduced, pre = scoped(t, partial("main.tf", tf, 6))
	if !slices.Equal(pre["iac/tf-unencrypted-storage"], []int{1}) || !slices.Equal(introduced["iac/tf-unencrypted-storage"], []int{5}) {
		t.Errorf("unencrypted: pre-existing at %v, introduced at %v; want [1] and [5]", pre["iac/tf-unencrypted-storage"], introduced["iac/tf-unencrypted-storage"])
	}

	df := "FROM golang:1.23 AS build\nRUN go build -o /app\n\nFROM alpine:3.20\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"
	introduced, pre = scoped(t, partial("Dockerfile", df, 2))
	if !slices.Equal(pre["iac/dockerfile-root-user"], []int{4}) || len(introduced["iac/dockerfile-root-user"]) != 0 {
		t.Errorf("root user: pre-existing at %v, introduced at %v; want [4] and none (the final stage is untouched)",
			pre["iac/dockerfile-root-user"], introduced["iac/dockerfile-root-user"])
	}
}

// TestPreexistingFixNotVerified checks that the scanner spends no fix check
// on a finding the change does not introduce: the untouched container's
// fixable findings come back without fixes, the touched one's with.
func TestPreexistingFixNotVerified(t *testing.T) {
	fs, err := iac.New().Scan(context.Background(), partial("web.yaml", twoContainers, 15))
	if err != nil {
		t.Fatal(err)
	}
	var fixedLines []int
	for _, f := range fs {
		if f.Fix != nil {
			fixedLines = append(fixedLines, f.Location.StartLine)
		}
	}
	if len(fixedLines) == 0 {
		t.Fatal("no fix for the touched sidecar's missing settings")
	}
	for _, l := range fixedLines {
		if l != 14 {
			t.Errorf("a fix on line %d, outside the touched sidecar (14)", l)
		}
	}
}

const twoContainers = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          privileged: true
      - name: sidecar
        image: envoy:1.31
`

func TestOffendingLineOnlyWhenAdded(t *testing.T) {
	// Line 13 (privileged: true) is not added: no finding for it.
	got := scanRules(t, partial("web.yaml", twoContainers, 15))
	if len(got["iac/k8s-privileged"]) != 0 {
		t.Errorf("privileged reported though its line was not added: %v", got)
	}
	got = scanRules(t, partial("web.yaml", twoContainers, 13))
	if want := []int{13}; !slices.Equal(got["iac/k8s-privileged"], want) {
		t.Errorf("privileged at %v, want %v", got["iac/k8s-privileged"], want)
	}
}

func TestMissingSettingOnTouchedBlockHeader(t *testing.T) {
	// Only the sidecar's image line is added: the sidecar's missing
	// settings are reported on its first line (14), the app's are not.
	got := scanRules(t, partial("web.yaml", twoContainers, 15))
	if want := []int{14}; !slices.Equal(got["iac/k8s-privilege-escalation"], want) {
		t.Errorf("escalation at %v, want %v", got["iac/k8s-privilege-escalation"], want)
	}
	if len(got["iac/k8s-sa-token-automount"]) != 0 {
		t.Errorf("automount reported though it is set: %v", got)
	}

	df := "FROM golang:1.23 AS build\nRUN go build -o /app\n\nFROM alpine:3.20\nCOPY --from=build /app /app\nCMD [\"/app\"]\n"
	if got := scanRules(t, partial("Dockerfile", df, 2)); len(got["iac/dockerfile-root-user"]) != 0 {
		t.Errorf("root user reported though the final stage is untouched: %v", got)
	}
	if got := scanRules(t, partial("Dockerfile", df, 5)); !slices.Equal(got["iac/dockerfile-root-user"], []int{4}) {
		t.Errorf("root user at %v, want [4] (the final FROM)", got["iac/dockerfile-root-user"])
	}

	tf := "resource \"aws_ebs_volume\" \"a\" {\n  size = 10\n}\n\nresource \"aws_ebs_volume\" \"b\" {\n  size = 20\n}\n"
	if got := scanRules(t, partial("main.tf", tf, 6)); !slices.Equal(got["iac/tf-unencrypted-storage"], []int{5}) {
		t.Errorf("unencrypted at %v, want [5] (only the touched resource)", got["iac/tf-unencrypted-storage"])
	}
}

// TestKustomizePatch checks that a strategic-merge patch is judged on what
// it sets, not on what it leaves to its base.
func TestKustomizePatch(t *testing.T) {
	patch := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        securityContext:\n          privileged: true\n"
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	got := scanRules(t, partial("overlays/prod/patch-app.yaml", patch, all...))
	// seccomp is a data check whose missing setting points into the
	// securityContext the patch writes: still the base's to set.
	if len(got["iac/k8s-privilege-escalation"]) != 0 || len(got["iac/k8s-missing-limits"]) != 0 || len(got["iac/k8s-seccomp-not-set"]) != 0 {
		t.Errorf("missing settings reported on a patch: %v", got)
	}
	if !slices.Equal(got["iac/k8s-privileged"], []int{11}) {
		t.Errorf("privileged at %v, want [11]", got["iac/k8s-privileged"])
	}
	// The same document outside a patch path is a manifest of its own.
	got = scanRules(t, partial("deploy/app.yaml", patch, all...))
	if len(got["iac/k8s-privilege-escalation"]) == 0 || len(got["iac/k8s-seccomp-not-set"]) == 0 {
		t.Errorf("missing settings not reported on a manifest: %v", got)
	}
}

// TestKustomizeTree checks that, with the change's tree, the kustomization
// beside a file decides whether it is a patch, whatever its path; and that
// a kustomization is no manifest.
func TestKustomizeTree(t *testing.T) {
	patch := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: example/web:1.2\n        securityContext:\n          privileged: true\n"
	kust := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\npatches:\n- path: web.yaml\npatchesStrategicMerge:\n- extra.yaml\n"
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	tests := []struct {
		name, path string
		tree       map[string][]byte
		wantMiss   bool // missing settings reported
	}{
		{"listed under patches", "deploy/prod/web.yaml", map[string][]byte{"deploy/prod/kustomization.yaml": []byte(kust)}, false},
		{"listed under patchesStrategicMerge", "deploy/prod/extra.yaml", map[string][]byte{"deploy/prod/kustomization.yaml": []byte(kust)}, false},
		{"not listed", "deploy/prod/other.yaml", map[string][]byte{"deploy/prod/kustomization.yaml": []byte(kust)}, true},
		{"no kustomization", "deploy/prod/web.yaml", map[string][]byte{}, true},
		{"kustomization elsewhere", "deploy/prod/web.yaml", map[string][]byte{"deploy/kustomization.yaml": []byte(kust)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := partial(tc.path, patch, all...)
			in.Tree = scanners.NewMemTree(tc.tree)
			got := scanRules(t, in)
			if miss := len(got["iac/k8s-privilege-escalation"]) > 0; miss != tc.wantMiss {
				t.Errorf("missing settings reported %v, want %v: %v", miss, tc.wantMiss, got)
			}
			if !slices.Equal(got["iac/k8s-privileged"], []int{12}) {
				t.Errorf("privileged at %v, want [12] (a value a patch writes is judged)", got["iac/k8s-privileged"])
			}
		})
	}
	if got := scanRules(t, partial("deploy/prod/kustomization.yaml", kust, 1, 2, 3, 4, 5, 6, 7, 8)); len(got) != 0 {
		t.Errorf("findings on a kustomization: %v", got)
	}
}

func TestContentFallback(t *testing.T) {
	s := iac.New()
	in := wholeFile("Dockerfile", []byte("FROM ubuntu\nUSER 1000\n"))
	in.Content = nil
	fs, err := s.Scan(context.Background(), in)
	if err != nil || len(fs) == 0 {
		t.Fatalf("whole file added without content: %v, %d findings", err, len(fs))
	}
	// Lines 1..n added at the top of an existing file are not the file.
	in = wholeFile("Dockerfile", []byte("FROM ubuntu\nUSER 1000\n"))
	in.Content, in.New = nil, false
	if _, err := s.Scan(context.Background(), in); !errors.Is(err, iac.ErrNoContent) {
		t.Errorf("top of an existing file without content: err %v, want ErrNoContent", err)
	}
	in = partial("Dockerfile", "FROM ubuntu\nUSER 1000\n", 2)
	in.Content = nil
	if _, err := s.Scan(context.Background(), in); !errors.Is(err, iac.ErrNoContent) {
		t.Errorf("partial change without content: err %v, want ErrNoContent", err)
	}
}

// TestTemplatesPassedOver: a Helm template that is not YAML is passed over
// on purpose: counted by reason, said in the review, not an incomplete
// scan.
func TestTemplatesPassedOver(t *testing.T) {
	tmpl := wholeFile("chart/templates/deploy.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  {{- if .Values.x }}\n"))
	res, err := scanners.Run(context.Background(), []scanners.Scanner{iac.New()}, []*scanners.Input{tmpl})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Statuses[0]
	if res.Incomplete() || len(st.PassedOver) != 1 {
		t.Fatalf("status %+v: want one file passed over and a complete scan", st)
	}
	for reason, n := range st.PassedOver {
		if n != 1 || !strings.Contains(reason, "Helm") {
			t.Errorf("passed over %d for %q", n, reason)
		}
	}
}

func TestBadInput(t *testing.T) {
	s := iac.New()
	for _, c := range []struct {
		path, content string
		wantErr       bool
	}{
		{"k8s/app.yaml", "apiVersion: v1\nkind: Pod\nspec: [unclosed\n", true},
		{"main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  acl = \n", true},
		{"chart/templates/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicas }}\n  {{- if .Values.x }}\n", true},
		{"config/app.yaml", "just: [a config file\n", false},
		{"config/settings.yaml", "server:\n  port: 8080\n", false},
		{"Dockerfile", "", false},
	} {
		fs, err := s.Scan(context.Background(), wholeFile(c.path, []byte(c.content)))
		if (err != nil) != c.wantErr {
			t.Errorf("%s: err %v, want error %v", c.path, err, c.wantErr)
		}
		var passed *scanners.PassedOverError
		if isTemplate := strings.Contains(c.path, "templates/"); errors.As(err, &passed) != isTemplate {
			t.Errorf("%s: err %v: a template, and only a template, is passed over", c.path, err)
		}
		if len(fs) != 0 {
			t.Errorf("%s: %d findings from a file that is not a manifest", c.path, len(fs))
		}
	}
	big := wholeFile("Dockerfile", []byte(strings.Repeat("RUN echo aaaaaaaaaaaaaaaa\n", iac.MaxFileBytes/20)))
	if _, err := s.Scan(context.Background(), big); err == nil {
		t.Error("no error for a file over MaxFileBytes")
	}
}

func TestWants(t *testing.T) {
	s := iac.New()
	for p, want := range map[string]bool{
		"Dockerfile": true, "build/Dockerfile.prod": true, "api.dockerfile": true, "Containerfile": true, "Dockerfile-dev": true,
		"deploy/app.yaml": true, "k8s/svc.yml": true, "infra/main.tf": true,
		".github/workflows/ci.yml": false, ".gitlab-ci.yml": false, "docker-compose.yml": true, "compose.yaml": true,
		"main.go": false, "infra/main.tf.json": false,
		// A chart's files are reviewed through its render (helm.go).
		"chart/values.yaml": true, "chart/Chart.yaml": true, "chart/templates/_helpers.tpl": true, "chart/values-prod.yaml": false,
		"web/templates/index.html": false,
	} {
		if s.Wants(p) != want || s.NeedsContent(p) != want {
			t.Errorf("Wants(%q) = %v, want %v", p, s.Wants(p), want)
		}
	}
}

// TestSecretsNeverWhole checks that a secret value never appears whole in
// what a finding carries.
func TestSecretsNeverWhole(t *testing.T) {
	secrets := map[string]string{
		"Dockerfile":  "FROM alpine:3.20\nENV API_TOKEN=tok_9f8e7d6c5b4a39281706\nUSER 1\n",
		"deploy.yaml": strings.Replace(pod, "    resources:\n", "    env:\n    - name: API_TOKEN\n      value: tok_9f8e7d6c5b4a39281706\n    resources:\n", 1),
		"main.tf":     "provider \"aws\" {\n  secret_key = \"tok_9f8e7d6c5b4a39281706\"\n}\n",
	}
	for path, content := range secrets {
		fs, err := iac.New().Scan(context.Background(), wholeFile(path, []byte(content)))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fs {
			if !strings.Contains(f.RuleID, "secret") && !strings.Contains(f.RuleID, "credentials") {
				continue
			}
			n++
			for _, s := range []string{f.Message, f.Evidence, f.Identity, f.Title} {
				if strings.Contains(s, "9f8e7d6c5b4a39281706") {
					t.Errorf("%s: %s leaks the secret: %q", path, f.RuleID, s)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: secret not reported", path)
		}
	}
}

// TestFingerprintIgnoresLines checks that moving a finding down keeps its
// fingerprint, and that two repeats get two fingerprints.
func TestFingerprintIgnoresLines(t *testing.T) {
	s := iac.New()
	src := "FROM alpine:3.20\nRUN sudo ls\nRUN sudo ls\nUSER 1\n"
	a, _ := s.Scan(context.Background(), wholeFile("Dockerfile", []byte(src)))
	b, _ := s.Scan(context.Background(), wholeFile("Dockerfile", []byte("# moved\n\n"+src)))
	fa, fb := fingerprints(a, "iac/dockerfile-sudo"), fingerprints(b, "iac/dockerfile-sudo")
	if len(fa) != 2 || fa[0] == fa[1] {
		t.Fatalf("repeats should have two fingerprints, got %v", fa)
	}
	if !slices.Equal(fa, fb) {
		t.Errorf("fingerprints changed when lines moved: %v vs %v", fa, fb)
	}
}

func TestConcurrentScans(t *testing.T) {
	s := iac.New()
	cases := ruleCases(t)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range cases {
				var note *scanners.NoteError
				if _, err := s.Scan(context.Background(), wholeFile(c.path, []byte(c.content))); err != nil && !errors.As(err, &note) {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

func fingerprints(fs []scanners.Finding, rule string) []string {
	var out []string
	for i := range fs {
		if fs[i].RuleID == rule {
			out = append(out, fs[i].Fingerprint())
		}
	}
	return out
}
