// Package helm_test checks the Helm chart in shiftward/ and the plain
// manifests in ../kubernetes rendered from it: the chart lints, every value
// set renders into objects that decode strictly as their Kubernetes (or KEDA)
// types, pass shiftward's own IaC rules with zero findings and have the
// security properties the chart promises, and the committed manifests equal
// a fresh render.
//
// The helm binary is SHIFTWARD_TEST_HELM (make test installs a pinned one in
// bin/ and sets it); when that is set but cannot run, the tests fail. Unset,
// helm is looked up on PATH and the tests skip without it.
package helm_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

const (
	chartDir = "shiftward"
	// manifests is what `make manifests` writes: the chart rendered with
	// its default values, after a comment header.
	manifests = "../kubernetes/shiftward.yaml"
	// release and namespace the value sets are rendered with (the
	// manifests: release "shiftward", no namespace, as `make manifests`).
	release   = "shiftward"
	namespace = "shiftward"
	// maxRender bounds what is read from helm and from the manifests.
	maxRender = 4 << 20
	// uid is the image's non-root user (distroless nonroot).
	uid = 65532
)

// helm returns the helm binary to test with, failing when
// SHIFTWARD_TEST_HELM names one that does not run and skipping when it is
// unset and no helm is on PATH.
func helm(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("SHIFTWARD_TEST_HELM")
	if bin == "" {
		p, err := exec.LookPath("helm")
		if err != nil {
			t.Skip("no helm: SHIFTWARD_TEST_HELM is unset and helm is not on PATH (make test installs bin/helm)")
		}
		bin = p
	}
	if _, stderr, err := runHelm(t, bin, "version", "--short"); err != nil {
		t.Fatalf("helm %s does not run (SHIFTWARD_TEST_HELM=%q): %v %s", bin, os.Getenv("SHIFTWARD_TEST_HELM"), err, stderr)
	}
	return bin
}

// runHelm runs helm with its cache, config and data kept in a temporary
// directory, killed after a minute whatever happens.
func runHelm(t *testing.T, bin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	home := t.TempDir()
	// shiftward:ignore code/go-command-context the binary is the test's own setting (SHIFTWARD_TEST_HELM or helm on PATH)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
	)
	var out, errb limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if err == nil && (out.over || errb.over) {
		err = fmt.Errorf("helm wrote more than %d bytes", maxRender)
	}
	return out.String(), errb.String(), err
}

// limitedBuffer keeps the first maxRender bytes written to it.
type limitedBuffer struct {
	bytes.Buffer
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxRender - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

// valueSet is one way to install the chart, and what its render must show
// beyond what every render must.
type valueSet struct {
	name  string
	args  func(t *testing.T) []string
	check func(t *testing.T, r *rendered)
}

// secretValues writes a values file with random placeholders for
// credentials (no literal credential in this source) and returns the
// --values flag.
func secretValues(t *testing.T, yamlFmt string) []string {
	t.Helper()
	return valuesFile(t, fmt.Sprintf(yamlFmt, rand.Text(), rand.Text()))
}

func valuesFile(t *testing.T, content string) []string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--values", p}
}

func set(kv ...string) func(*testing.T) []string {
	return func(*testing.T) []string {
		var args []string
		for _, s := range kv {
			args = append(args, "--set", s)
		}
		return args
	}
}

var valueSets = []valueSet{
	{name: "defaults", args: set(), check: func(t *testing.T, r *rendered) {
		r.wantKinds(t, "ConfigMap", "Deployment", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "PodDisruptionBudget",
			"Service", "Service", "Service", "ServiceAccount", "StatefulSet")
		// No credentials given: the pods read Secret "shiftward", which the
		// operator creates (NOTES.txt says how).
		r.wantGitHubApp(t, "shiftward")
		r.wantRedisURL(t, corev1.EnvVar{Name: "SHIFTWARD_REDIS_URL", Value: "redis://shiftward-redis:6379/0"})
		r.wantReplicas(t, 2)
		np := one(t, r.networkPolicies)
		if len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].From) != 1 {
			t.Errorf("NetworkPolicy: want one rule letting only shiftward's pods in, got %+v", np.Spec.Ingress)
		}
	}},
	{name: "external-redis-url", args: set("redis.url=redis://redis.example.internal:6379/2"), check: func(t *testing.T, r *rendered) {
		if len(r.statefulSets) != 0 || len(r.networkPolicies) != 0 {
			t.Error("an external Redis still renders the bundled one")
		}
		r.wantRedisURL(t, corev1.EnvVar{Name: "SHIFTWARD_REDIS_URL", Value: "redis://redis.example.internal:6379/2"})
	}},
	{name: "existing-secret", args: set("existingSecret=shiftward-creds", "gitlab.enabled=true",
		"redis.existingSecret=redis-creds", "redis.existingSecretKey=url"), check: func(t *testing.T, r *rendered) {
		if len(r.secrets) != 0 {
			t.Errorf("existingSecret: the chart still writes %d Secret(s)", len(r.secrets))
		}
		r.wantGitHubApp(t, "shiftward-creds")
		r.wantGitLab(t, "shiftward-creds")
		r.wantRedisURL(t, corev1.EnvVar{Name: "SHIFTWARD_REDIS_URL", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "redis-creds"}, Key: "url"}}})
	}},
	{name: "github-app-in-values", args: func(t *testing.T) []string {
		p := filepath.Join(t.TempDir(), "github-app.json")
		if err := os.WriteFile(p, []byte(`{"id": 1, "pem": "placeholder", "webhook_secret": "`+rand.Text()+`"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		return []string{"--set-file", "github.app=" + p}
	}, check: func(t *testing.T, r *rendered) {
		s := one(t, r.secrets)
		if _, ok := s.Data["github-app.json"]; !ok || len(s.Data) != 1 {
			t.Errorf("Secret %s: want exactly key github-app.json, got %v", s.Name, keys(s.Data))
		}
		r.wantGitHubApp(t, s.Name)
	}},
	{name: "keda", args: set("autoscaling.keda.enabled=true", "redis.bundled.passwordSecret.name=redis-auth"), check: func(t *testing.T, r *rendered) {
		so := one(t, r.scaledObjects)
		r.wantKEDA(t, so, map[string]string{
			"address":       "shiftward-redis." + namespace + ".svc:6379",
			"databaseIndex": "0",
			"enableTLS":     "false",
			"stream":        "{shiftward}:jobs",
			"consumerGroup": "workers",
		}, "3", "5")
		ta := one(t, r.triggerAuths)
		for _, tr := range so.Spec.Triggers {
			if tr.AuthenticationRef == nil || tr.AuthenticationRef.Name != ta.Metadata.Name {
				t.Errorf("trigger's authenticationRef %+v does not name TriggerAuthentication %s", tr.AuthenticationRef, ta.Metadata.Name)
			}
		}
		if ref := one(t, ta.Spec.SecretTargetRef); ref != (kedaSecretRef{Parameter: "password", Name: "redis-auth", Key: "redis-password"}) {
			t.Errorf("TriggerAuthentication secretTargetRef = %+v", ref)
		}
		// KEDA's operator must get through the bundled Redis' policy.
		np := one(t, r.networkPolicies)
		found := false
		for _, p := range one(t, np.Spec.Ingress).From {
			if p.NamespaceSelector != nil && p.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "keda" {
				found = true
			}
		}
		if !found {
			t.Error("NetworkPolicy does not let KEDA's namespace reach Redis")
		}
		// Redis requires the password, and shiftward sends it.
		redis := one(t, r.statefulSets)
		if args := one(t, redis.Spec.Template.Spec.Containers).Args; !containsSeq(args, "--requirepass", "$(REDIS_PASSWORD)") {
			t.Errorf("Redis args %q: no --requirepass", args)
		}
		r.wantRedisURL(t, corev1.EnvVar{Name: "SHIFTWARD_REDIS_URL", Value: "redis://:$(REDIS_PASSWORD)@shiftward-redis:6379/0"})
	}},
	{name: "keda-external-redis", args: func(t *testing.T) []string {
		return append(set("redis.existingSecret=redis-creds", "autoscaling.keda.enabled=true",
			"autoscaling.keda.address=redis.example.internal:6380", "autoscaling.keda.enableTLS=true",
			"autoscaling.keda.databaseIndex=3", "autoscaling.keda.passwordSecret.name=redis-creds",
			"autoscaling.keda.passwordSecret.key=password", "config.SHIFTWARD_WORKERS=8",
			"autoscaling.keda.pendingEntriesCount=6", "autoscaling.keda.lagCount=0")(t),
			// --set would read {acme} as a list.
			valuesFile(t, "config:\n  SHIFTWARD_REDIS_PREFIX: \"{acme}\"\n")...)
	}, check: func(t *testing.T, r *rendered) {
		so := one(t, r.scaledObjects)
		r.wantKEDA(t, so, map[string]string{
			"address":       "redis.example.internal:6380",
			"databaseIndex": "3",
			"enableTLS":     "true",
			"stream":        "{acme}:jobs",
			"consumerGroup": "workers",
		}, "6", "") // lagCount 0: no backlog trigger
		if ref := one(t, one(t, r.triggerAuths).Spec.SecretTargetRef); ref != (kedaSecretRef{Parameter: "password", Name: "redis-creds", Key: "password"}) {
			t.Errorf("TriggerAuthentication secretTargetRef = %+v", ref)
		}
	}},
	{name: "hpa", args: set("autoscaling.hpa.enabled=true"), check: func(t *testing.T, r *rendered) {
		h := one(t, r.hpas)
		w := r.deployment(t, "worker")
		if h.Spec.ScaleTargetRef != (autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: w.Name}) {
			t.Errorf("HPA targets %+v, want the worker Deployment %s", h.Spec.ScaleTargetRef, w.Name)
		}
		m := one(t, h.Spec.Metrics)
		if m.Resource == nil || m.Resource.Name != corev1.ResourceCPU || m.Resource.Target.AverageUtilization == nil {
			t.Errorf("HPA metric %+v: want CPU utilization", m)
		}
		if w.Spec.Replicas != nil {
			t.Errorf("worker Deployment sets replicas %d: the HPA owns the count", *w.Spec.Replicas)
		}
		if r.deployment(t, "serve").Spec.Replicas == nil {
			t.Error("serve Deployment lost its replicas: only workers are autoscaled")
		}
	}},
	{name: "ingress-tls", args: set("ingress.enabled=true", "ingress.className=nginx", "ingress.host=review.example.com",
		"ingress.tls.enabled=true", "ingress.tls.secretName=review-tls"), check: func(t *testing.T, r *rendered) {
		ing := one(t, r.ingresses)
		if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "nginx" {
			t.Errorf("ingressClassName = %v, want nginx", ing.Spec.IngressClassName)
		}
		tls := one(t, ing.Spec.TLS)
		if tls.SecretName != "review-tls" || !slices.Equal(tls.Hosts, []string{"review.example.com"}) {
			t.Errorf("TLS = %+v", tls)
		}
		rule := one(t, ing.Spec.Rules)
		if rule.Host != "review.example.com" || rule.HTTP == nil {
			t.Fatalf("rule = %+v", rule)
		}
		svc := r.service(t, "shiftward")
		var paths []string
		for _, p := range rule.HTTP.Paths {
			paths = append(paths, p.Path)
			if b := p.Backend.Service; b == nil || b.Name != svc.Name || b.Port.Name != one(t, svc.Spec.Ports).Name {
				t.Errorf("path %s goes to %+v, not Service %s's port", p.Path, p.Backend.Service, svc.Name)
			}
		}
		// Only the webhooks are published; /metrics stays inside.
		if !slices.Equal(paths, []string{"/webhooks/github", "/webhooks/gitlab"}) {
			t.Errorf("Ingress paths %q, want only the webhook routes", paths)
		}
	}},
	{name: "gitlab-only", args: func(t *testing.T) []string {
		return append(set("github.enabled=false", "gitlab.enabled=true")(t),
			secretValues(t, "gitlab:\n  token: %q\n  webhookSecret: %q\n")...)
	}, check: func(t *testing.T, r *rendered) {
		s := one(t, r.secrets)
		if !slices.Equal(keys(s.Data), []string{"gitlab-token", "gitlab-webhook-secret"}) {
			t.Errorf("Secret keys %v", keys(s.Data))
		}
		r.wantGitLab(t, s.Name)
		for k, v := range s.Data {
			if len(v) < 16 || strings.Contains(r.raw, string(v)) {
				t.Errorf("Secret key %s: the value is in the render in clear (or is no random placeholder)", k)
			}
		}
		for _, d := range r.deployments {
			pod := d.Spec.Template.Spec
			for _, e := range one(t, pod.Containers).Env {
				if e.Name == "SHIFTWARD_GITHUB_APP_FILE" {
					t.Errorf("%s: GitHub is off but SHIFTWARD_GITHUB_APP_FILE is set", d.Name)
				}
			}
			if len(pod.Volumes) != 1 {
				t.Errorf("%s: volumes %v, want /tmp only", d.Name, pod.Volumes)
			}
		}
	}},
}

func TestChartValueSets(t *testing.T) {
	bin := helm(t)
	for _, vs := range valueSets {
		t.Run(vs.name, func(t *testing.T) {
			args := vs.args(t)
			if out, stderr, err := runHelm(t, bin, append([]string{"lint", "--strict", chartDir}, args...)...); err != nil {
				t.Fatalf("helm lint --strict: %v\n%s%s", err, out, stderr)
			}
			out, stderr, err := runHelm(t, bin, append([]string{"template", release, chartDir, "--namespace", namespace}, args...)...)
			if err != nil {
				t.Fatalf("helm template: %v\n%s", err, stderr)
			}
			r := decode(t, out)
			r.checkCommon(t)
			vs.check(t, r)
			scanIaC(t, "rendered/"+vs.name, r.files)
		})
	}
}

// TestChartRefuses: combinations that cannot work, and values that would
// store a secret in clear, fail the render with a reason.
func TestChartRefuses(t *testing.T) {
	bin := helm(t)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"both autoscalers", []string{"--set", "autoscaling.keda.enabled=true", "--set", "autoscaling.hpa.enabled=true"}, "not both"},
		{"KEDA target never reached", []string{"--set", "autoscaling.keda.enabled=true", "--set", "autoscaling.keda.pendingEntriesCount=4"}, "must be below SHIFTWARD_WORKERS (4)"},
		{"KEDA external Redis without address", []string{"--set", "autoscaling.keda.enabled=true", "--set", "redis.url=redis://r:6379/0"}, "autoscaling.keda.address"},
		{"KEDA on a Cluster URL", []string{"--set", "autoscaling.keda.enabled=true", "--set", "autoscaling.keda.address=r:7000",
			"--set", "redis.url=redis+cluster://r:7000?addr=r2:7001"}, "redis-cluster-streams"},
		{"password in redis.url", []string{"--set", "redis.url=redis://:hunter2@r:6379/0"}, "redis.url holds credentials"},
		{"password in a Sentinel URL's query", []string{"--set", "redis.url=redis+sentinel://s:26379/0?master_name=m&password=hunter2"}, "redis.url holds credentials"},
		{"secret in the ConfigMap", []string{"--set", "config.SHIFTWARD_GITHUB_WEBHOOK_SECRET=x"}, "SHIFTWARD_GITHUB_WEBHOOK_SECRET"},
		{"variable the chart sets", []string{"--set", "config.SHIFTWARD_ADDR=:9090"}, "SHIFTWARD_ADDR"},
		{"misspelt value", []string{"--set", "redis.ulr=redis://r:6379"}, "ulr"},
		{"latest tag", []string{"--set", "image.tag=latest"}, "image"},
		{"grace period under the job timeout", []string{"--set", "config.SHIFTWARD_JOB_TIMEOUT=15m"}, "must exceed SHIFTWARD_JOB_TIMEOUT (900s)"},
		{"no platform", []string{"--set", "github.enabled=false"}, "enable github, gitlab or both"},
		{"GitLab half given", []string{"--set", "github.enabled=false", "--set", "gitlab.enabled=true", "--set", "gitlab.token=x"}, "both gitlab.token and gitlab.webhookSecret"},
		{"TLS without a certificate", []string{"--set", "ingress.enabled=true", "--set", "ingress.tls.enabled=true"}, "ingress.tls.secretName"},
		{"KEDA from zero", []string{"--set", "autoscaling.keda.enabled=true", "--set", "autoscaling.keda.minReplicas=0"}, "minReplicas"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, err := runHelm(t, bin, append([]string{"template", release, chartDir}, c.args...)...)
			if err == nil {
				t.Fatalf("rendered without error; want one naming %q\n%.2000s", c.want, out)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("error does not say %q:\n%s", c.want, stderr)
			}
			if strings.Contains(stderr, "hunter2") {
				t.Error("the error repeats the password")
			}
		})
	}
}

// TestNotes: what `helm install` prints names the next steps for the
// values given: the Secret to create and the webhook URLs.
func TestNotes(t *testing.T) {
	bin := helm(t)
	for _, c := range []struct {
		name      string
		args      []string
		want, not []string
	}{
		{"defaults", nil,
			[]string{"kubectl -n shiftward create secret generic shiftward", "--from-file=github-app.json=./github-app.json",
				"port-forward svc/shiftward 8080:80", "bundled Redis (shiftward-redis)"},
			[]string{"gitlab-token", "/webhooks/gitlab"}},
		{"gitlab with ingress", []string{"--set", "github.enabled=false", "--set", "gitlab.enabled=true", "--set", "ingress.enabled=true",
			"--set", "ingress.tls.enabled=true", "--set", "ingress.tls.secretName=tls", "--set", "ingress.host=review.example.com"},
			[]string{"--from-literal=gitlab-token=", "GitLab webhook URL:       https://review.example.com/webhooks/gitlab"},
			[]string{"github-app.json", "/webhooks/github", "port-forward"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, err := runHelm(t, bin, append([]string{"install", release, chartDir, "--namespace", namespace, "--dry-run=client"}, c.args...)...)
			if err != nil {
				t.Fatalf("helm install --dry-run=client: %v\n%s", err, stderr)
			}
			_, notes, ok := strings.Cut(out, "\nNOTES:\n")
			if !ok {
				t.Fatalf("no NOTES in:\n%.3000s", out)
			}
			for _, w := range c.want {
				if !strings.Contains(notes, w) {
					t.Errorf("NOTES lack %q:\n%s", w, notes)
				}
			}
			for _, w := range c.not {
				if strings.Contains(notes, w) {
					t.Errorf("NOTES mention %q:\n%s", w, notes)
				}
			}
		})
	}
}

// TestManifestsFresh: deploy/kubernetes holds the chart rendered with its
// default values under manifests-header.txt, as `make manifests` writes it,
// and it passes the same checks as any render.
func TestManifestsFresh(t *testing.T) {
	bin := helm(t)
	committed, err := os.ReadFile(manifests)
	if err != nil {
		t.Fatal(err)
	}
	if len(committed) > maxRender {
		t.Fatalf("%s: over %d bytes", manifests, maxRender)
	}
	header, err := os.ReadFile("manifests-header.txt")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(string(header)) {
		if !strings.HasPrefix(l, "#") {
			t.Fatalf("manifests-header.txt: line %q is not a comment", l)
		}
	}
	if !strings.Contains(string(header), "GENERATED by `make manifests`") {
		t.Errorf("manifests-header.txt does not say the file is generated by make manifests")
	}
	fresh, stderr, err := runHelm(t, bin, "template", release, chartDir)
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr)
	}
	if want := string(header) + fresh; string(committed) != want {
		t.Errorf("%s is stale: run `make manifests` (first difference at line %d)", manifests, firstDiffLine(string(committed), want))
	}
	r := decode(t, string(committed))
	r.checkCommon(t)
	valueSets[0].check(t, r)
	scanIaC(t, "deploy/kubernetes", map[string]string{"shiftward.yaml": string(committed)})
}

func firstDiffLine(a, b string) int {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// scanIaC runs shiftward's IaC scanner over each file as if a change added
// it whole: no finding at any severity, and nothing left unscanned.
func scanIaC(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	s := iac.New()
	for name, content := range files {
		p := dir + "/" + name
		in := &scanners.Input{Path: p, New: true, Content: []byte(content)}
		for i, l := range strings.Split(strings.TrimSuffix(content, "\n"), "\n") {
			in.Added = append(in.Added, scanners.Line{Number: i + 1, Text: l})
		}
		if !s.Wants(p) {
			t.Fatalf("the IaC scanner does not want %s", p)
		}
		fs, err := s.Scan(t.Context(), in)
		if err != nil {
			t.Errorf("%s: not scanned whole: %v", p, err)
		}
		for _, f := range fs {
			if why, ok := acceptedIaC[f.RuleID]; ok {
				t.Logf("%s:%d: %s accepted: %s", p, f.Location.StartLine, f.RuleID, why)
				continue
			}
			t.Errorf("%s:%d: %s %s: %s", p, f.Location.StartLine, f.Severity, f.RuleID, f.Message)
		}
	}
}

// acceptedIaC are the IaC rules the chart's renders may raise, each with
// the reason it does: every other finding fails the test.
var acceptedIaC = map[string]string{
	"iac/k8s-image-without-digest": "the chart pins images by tag by default (the app's tag is its appVersion); " +
		"redis.image.digest pins Redis by digest, and a release process that knows the app image's digest sets image.tag to tag@digest",
	"iac/k8s-secret-in-manifest": "only the value sets that put credentials in values render a Secret with data; " +
		"the README tells production installs to use existingSecret, which renders none",
	"iac/k8s-pod-not-isolated": "the chart's NetworkPolicy guards Redis, the one component holding data; serve takes webhooks " +
		"from whatever ingress the cluster runs and workers listen only for metrics, so a default-deny policy is the cluster's to add",
}

// rendered is one render, decoded strictly by kind.
type rendered struct {
	raw             string
	files           map[string]string // template path -> its documents
	configMaps      []*corev1.ConfigMap
	secrets         []*corev1.Secret
	services        []*corev1.Service
	serviceAccounts []*corev1.ServiceAccount
	deployments     []*appsv1.Deployment
	statefulSets    []*appsv1.StatefulSet
	pdbs            []*policyv1.PodDisruptionBudget
	ingresses       []*networkingv1.Ingress
	networkPolicies []*networkingv1.NetworkPolicy
	hpas            []*autoscalingv2.HorizontalPodAutoscaler
	scaledObjects   []*kedaScaledObject
	triggerAuths    []*kedaTriggerAuthentication
	kinds           []string
}

// decode splits a render into its documents and decodes each strictly (an
// unknown or duplicate field is an error) as the type its apiVersion and
// kind name; a kind the chart is not known to render is an error too.
func decode(t *testing.T, out string) *rendered {
	t.Helper()
	r := &rendered{raw: out, files: map[string]string{}}
	source := "(no source)"
	var doc strings.Builder
	flush := func() {
		d := doc.String()
		doc.Reset()
		if strings.TrimSpace(stripComments(d)) == "" {
			return
		}
		r.files[filepath.Base(source)] += "---\n" + d
		r.add(t, source, []byte(d))
	}
	for l := range strings.Lines(out) {
		switch {
		case strings.TrimRight(l, "\n") == "---":
			flush()
		case strings.HasPrefix(l, "# Source: "):
			source = strings.TrimSpace(strings.TrimPrefix(l, "# Source: "))
			doc.WriteString(l)
		default:
			doc.WriteString(l)
		}
	}
	flush()
	if len(r.kinds) == 0 {
		t.Fatal("the render holds no object")
	}
	slices.Sort(r.kinds)
	return r
}

func stripComments(d string) string {
	var b strings.Builder
	for l := range strings.Lines(d) {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l)
		}
	}
	return b.String()
}

func (r *rendered) add(t *testing.T, source string, d []byte) {
	t.Helper()
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(d, &tm); err != nil {
		t.Fatalf("%s: not YAML: %v", source, err)
	}
	strict := func(v any) {
		if err := yaml.UnmarshalStrict(d, v); err != nil {
			t.Errorf("%s: %s %s does not decode strictly: %v", source, tm.APIVersion, tm.Kind, err)
		}
	}
	r.kinds = append(r.kinds, tm.Kind)
	switch tm.APIVersion + " " + tm.Kind {
	case "v1 ConfigMap":
		r.configMaps = append(r.configMaps, decodeAs[corev1.ConfigMap](strict))
	case "v1 Secret":
		r.secrets = append(r.secrets, decodeAs[corev1.Secret](strict))
	case "v1 Service":
		r.services = append(r.services, decodeAs[corev1.Service](strict))
	case "v1 ServiceAccount":
		r.serviceAccounts = append(r.serviceAccounts, decodeAs[corev1.ServiceAccount](strict))
	case "apps/v1 Deployment":
		r.deployments = append(r.deployments, decodeAs[appsv1.Deployment](strict))
	case "apps/v1 StatefulSet":
		r.statefulSets = append(r.statefulSets, decodeAs[appsv1.StatefulSet](strict))
	case "policy/v1 PodDisruptionBudget":
		r.pdbs = append(r.pdbs, decodeAs[policyv1.PodDisruptionBudget](strict))
	case "networking.k8s.io/v1 Ingress":
		r.ingresses = append(r.ingresses, decodeAs[networkingv1.Ingress](strict))
	case "networking.k8s.io/v1 NetworkPolicy":
		r.networkPolicies = append(r.networkPolicies, decodeAs[networkingv1.NetworkPolicy](strict))
	case "autoscaling/v2 HorizontalPodAutoscaler":
		r.hpas = append(r.hpas, decodeAs[autoscalingv2.HorizontalPodAutoscaler](strict))
	case "keda.sh/v1alpha1 ScaledObject":
		r.scaledObjects = append(r.scaledObjects, decodeAs[kedaScaledObject](strict))
	case "keda.sh/v1alpha1 TriggerAuthentication":
		r.triggerAuths = append(r.triggerAuths, decodeAs[kedaTriggerAuthentication](strict))
	default:
		t.Errorf("%s: unexpected %s %s", source, tm.APIVersion, tm.Kind)
	}
}

func decodeAs[T any](strict func(any)) *T {
	v := new(T)
	strict(v)
	return v
}

// KEDA's objects, by the fields its documentation gives
// (https://keda.sh/docs/latest/reference/scaledobject-spec/,
// .../concepts/authentication/, .../scalers/redis-streams/): a field the
// chart renders that is not listed here fails the strict decode.
type kedaMeta struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}

type kedaScaledObject struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   kedaMeta `json:"metadata"`
	Spec       struct {
		ScaleTargetRef struct {
			APIVersion             string `json:"apiVersion,omitempty"`
			Kind                   string `json:"kind,omitempty"`
			Name                   string `json:"name"`
			EnvSourceContainerName string `json:"envSourceContainerName,omitempty"`
		} `json:"scaleTargetRef"`
		PollingInterval  *int32        `json:"pollingInterval,omitempty"`
		CooldownPeriod   *int32        `json:"cooldownPeriod,omitempty"`
		IdleReplicaCount *int32        `json:"idleReplicaCount,omitempty"`
		MinReplicaCount  *int32        `json:"minReplicaCount,omitempty"`
		MaxReplicaCount  *int32        `json:"maxReplicaCount,omitempty"`
		Triggers         []kedaTrigger `json:"triggers"`
	} `json:"spec"`
}

type kedaTrigger struct {
	Type              string            `json:"type"`
	Name              string            `json:"name,omitempty"`
	MetricType        string            `json:"metricType,omitempty"`
	UseCachedMetrics  bool              `json:"useCachedMetrics,omitempty"`
	Metadata          map[string]string `json:"metadata"`
	AuthenticationRef *struct {
		Name string `json:"name"`
		Kind string `json:"kind,omitempty"`
	} `json:"authenticationRef,omitempty"`
}

type kedaSecretRef struct {
	Parameter string `json:"parameter"`
	Name      string `json:"name"`
	Key       string `json:"key"`
}

type kedaTriggerAuthentication struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   kedaMeta `json:"metadata"`
	Spec       struct {
		SecretTargetRef []kedaSecretRef `json:"secretTargetRef,omitempty"`
	} `json:"spec"`
}

// kedaRedisStreamsMetadata is every metadata key the redis-streams scaler
// documents; the chart may use no other.
var kedaRedisStreamsMetadata = []string{
	"address", "host", "port", "addressFromEnv", "hostFromEnv", "portFromEnv", "usernameFromEnv", "passwordFromEnv",
	"stream", "consumerGroup", "pendingEntriesCount", "streamLength", "lagCount", "activationTargetLag",
	"enableTLS", "unsafeSsl", "databaseIndex",
}

func (r *rendered) wantKinds(t *testing.T, kinds ...string) {
	t.Helper()
	if !slices.Equal(r.kinds, kinds) {
		t.Errorf("kinds %v, want %v", r.kinds, kinds)
	}
}

func (r *rendered) deployment(t *testing.T, component string) *appsv1.Deployment {
	t.Helper()
	for _, d := range r.deployments {
		if d.Spec.Template.Labels["app.kubernetes.io/component"] == component {
			return d
		}
	}
	t.Fatalf("no %s Deployment", component)
	return nil
}

func (r *rendered) service(t *testing.T, name string) *corev1.Service {
	t.Helper()
	for _, s := range r.services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no Service %s", name)
	return nil
}

// checkCommon asserts what every render must hold.
func (r *rendered) checkCommon(t *testing.T) {
	t.Helper()
	serve, worker := r.deployment(t, "serve"), r.deployment(t, "worker")
	for _, d := range []*appsv1.Deployment{serve, worker} {
		component := d.Spec.Template.Labels["app.kubernetes.io/component"]
		if !selects(d.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
			t.Errorf("%s: selector %v does not select its pods %v", d.Name, d.Spec.Selector.MatchLabels, d.Spec.Template.Labels)
		}
		pod := d.Spec.Template.Spec
		checkPod(t, d.Name, &pod, uid)
		c := one(t, pod.Containers)
		if !slices.Equal(c.Args, []string{component}) {
			t.Errorf("%s: args %q, want [%s]", d.Name, c.Args, component)
		}
		if p := one(t, c.Ports); p.Name != "http" || p.ContainerPort != 8080 {
			t.Errorf("%s: port %+v, want http 8080", d.Name, p)
		}
		if env(c, "SHIFTWARD_ADDR").Value != ":8080" {
			t.Errorf("%s: SHIFTWARD_ADDR is not :8080", d.Name)
		}
		wantProbe(t, d.Name+" liveness", c.LivenessProbe, "/healthz")
		wantProbe(t, d.Name+" readiness", c.ReadinessProbe, "/readyz")
		if g := pod.TerminationGracePeriodSeconds; g == nil || *g <= 600 {
			t.Errorf("%s: terminationGracePeriodSeconds %v, want above the 10 min job timeout", d.Name, g)
		}
		if !mountsEmptyDir(&pod, c, "/tmp") {
			t.Errorf("%s: no emptyDir at /tmp", d.Name)
		}
		if lim, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
			want := fmt.Sprintf("%dMiB", lim.Value()*8/10>>20)
			if got := env(c, "GOMEMLIMIT").Value; got != want {
				t.Errorf("%s: GOMEMLIMIT %q, want %q (80%% of %s)", d.Name, got, want, lim.String())
			}
		}
		if len(c.EnvFrom) != 1 || c.EnvFrom[0].ConfigMapRef == nil || !r.hasConfigMap(c.EnvFrom[0].ConfigMapRef.Name) {
			t.Errorf("%s: envFrom %+v does not name the chart's ConfigMap", d.Name, c.EnvFrom)
		}
		if pod.ServiceAccountName != "" && pod.ServiceAccountName != "default" && !r.hasServiceAccount(pod.ServiceAccountName) {
			t.Errorf("%s: service account %s is not rendered", d.Name, pod.ServiceAccountName)
		}
	}
	for _, sa := range r.serviceAccounts {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			t.Errorf("ServiceAccount %s mounts its token", sa.Name)
		}
	}
	for _, s := range r.statefulSets {
		pod := s.Spec.Template.Spec
		checkPod(t, s.Name, &pod, -1)
		c := one(t, pod.Containers)
		for _, want := range [][]string{{"--maxmemory-policy", "noeviction"}, {"--appendonly", "yes"}} {
			if !containsSeq(c.Args, want...) {
				t.Errorf("%s: args %q lack %q", s.Name, c.Args, want)
			}
		}
		if c.ReadinessProbe == nil || c.LivenessProbe == nil {
			t.Errorf("%s: probes missing", s.Name)
		}
		if len(s.Spec.VolumeClaimTemplates) != 1 || len(c.VolumeMounts) != 1 ||
			c.VolumeMounts[0].Name != s.Spec.VolumeClaimTemplates[0].Name || c.VolumeMounts[0].MountPath != "/data" {
			t.Errorf("%s: no persistent volume at /data", s.Name)
		}
		svc := r.service(t, s.Spec.ServiceName)
		if !selects(svc.Spec.Selector, s.Spec.Template.Labels) {
			t.Errorf("Service %s does not select %s's pod", svc.Name, s.Name)
		}
	}
	// The webhook Service reaches serve pods only.
	svc := r.service(t, serve.Name[:len(serve.Name)-len("-serve")])
	if !selects(svc.Spec.Selector, serve.Spec.Template.Labels) || selects(svc.Spec.Selector, worker.Spec.Template.Labels) {
		t.Errorf("Service %s selector %v: want serve pods only", svc.Name, svc.Spec.Selector)
	}
	if p := one(t, svc.Spec.Ports); p.TargetPort.StrVal != "http" {
		t.Errorf("Service %s targets %v, want port http", svc.Name, p.TargetPort)
	}
	// One PodDisruptionBudget each, selecting exactly that component.
	for _, d := range []*appsv1.Deployment{serve, worker} {
		n := 0
		for _, p := range r.pdbs {
			if selects(p.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
				n++
				if p.Spec.MinAvailable == nil && p.Spec.MaxUnavailable == nil {
					t.Errorf("PodDisruptionBudget %s sets no budget", p.Name)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d PodDisruptionBudgets select it, want 1", d.Name, n)
		}
	}
	// No credential in a ConfigMap or as a literal environment value.
	for _, cm := range r.configMaps {
		for k := range cm.Data {
			if secretName(k) {
				t.Errorf("ConfigMap %s holds %s", cm.Name, k)
			}
		}
	}
	for _, d := range r.deployments {
		for _, e := range one(t, d.Spec.Template.Spec.Containers).Env {
			if secretName(e.Name) && e.ValueFrom == nil {
				t.Errorf("%s: %s is a literal", d.Name, e.Name)
			}
		}
	}
	for _, so := range r.scaledObjects {
		if so.Spec.ScaleTargetRef.Name != worker.Name {
			t.Errorf("ScaledObject targets %s, want the worker Deployment %s", so.Spec.ScaleTargetRef.Name, worker.Name)
		}
	}
}

// checkPod asserts the pod-level and container-level security settings;
// wantUID < 0 accepts any non-root uid.
func checkPod(t *testing.T, name string, pod *corev1.PodSpec, wantUID int64) {
	t.Helper()
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("%s: automountServiceAccountToken is not false", name)
	}
	if pod.HostNetwork || pod.HostPID || pod.HostIPC {
		t.Errorf("%s: shares a host namespace", name)
	}
	sc := pod.SecurityContext
	if sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser == 0 ||
		(wantUID >= 0 && *sc.RunAsUser != wantUID) {
		t.Errorf("%s: pod securityContext: want runAsNonRoot and a non-root uid (%d; -1: any)", name, wantUID)
	} else if sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: seccomp profile %+v, want RuntimeDefault", name, sc.SeccompProfile)
	}
	for _, v := range pod.Volumes {
		if v.HostPath != nil {
			t.Errorf("%s: hostPath volume %s", name, v.Name)
		}
	}
	for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
		csc := c.SecurityContext
		if csc == nil {
			t.Errorf("%s/%s: no container securityContext", name, c.Name)
			continue
		}
		if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
			t.Errorf("%s/%s: allowPrivilegeEscalation is not false", name, c.Name)
		}
		if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
			t.Errorf("%s/%s: readOnlyRootFilesystem is not true", name, c.Name)
		}
		if csc.Privileged != nil && *csc.Privileged {
			t.Errorf("%s/%s: privileged", name, c.Name)
		}
		if csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(csc.Capabilities.Add) != 0 {
			t.Errorf("%s/%s: capabilities %+v, want drop [ALL] and none added", name, c.Name, csc.Capabilities)
		}
		if c.Resources.Limits.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
			t.Errorf("%s/%s: no cpu and memory limits", name, c.Name)
		}
		if ref := c.Image; strings.HasSuffix(ref, ":latest") || (!strings.Contains(ref, ":") && !strings.Contains(ref, "@")) {
			t.Errorf("%s/%s: image %q is not pinned", name, c.Name, ref)
		}
	}
}

func wantProbe(t *testing.T, what string, p *corev1.Probe, path string) {
	t.Helper()
	if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port.StrVal != "http" {
		t.Errorf("%s probe %+v, want GET %s on port http", what, p, path)
	}
}

func mountsEmptyDir(pod *corev1.PodSpec, c corev1.Container, path string) bool {
	for _, m := range c.VolumeMounts {
		if m.MountPath != path {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.EmptyDir != nil {
				return true
			}
		}
	}
	return false
}

// wantGitHubApp: SHIFTWARD_GITHUB_APP_FILE names github-app.json of secret,
// mounted read-only, readable by the pod's group only.
func (r *rendered) wantGitHubApp(t *testing.T, secret string) {
	t.Helper()
	for _, d := range r.deployments {
		pod := d.Spec.Template.Spec
		c := one(t, pod.Containers)
		file := env(c, "SHIFTWARD_GITHUB_APP_FILE").Value
		ok := false
		for _, m := range c.VolumeMounts {
			if file != m.MountPath+"/github-app.json" || !m.ReadOnly {
				continue
			}
			for _, v := range pod.Volumes {
				s := v.Secret
				if v.Name == m.Name && s != nil && s.SecretName == secret && s.DefaultMode != nil && *s.DefaultMode&0o027 == 0 &&
					len(s.Items) == 1 && s.Items[0] == (corev1.KeyToPath{Key: "github-app.json", Path: "github-app.json"}) {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("%s: SHIFTWARD_GITHUB_APP_FILE=%q is not github-app.json of Secret %s mounted read-only (volumes %+v)", d.Name, file, secret, pod.Volumes)
		}
	}
}

func (r *rendered) wantGitLab(t *testing.T, secret string) {
	t.Helper()
	for _, d := range r.deployments {
		c := one(t, d.Spec.Template.Spec.Containers)
		for name, key := range map[string]string{"SHIFTWARD_GITLAB_TOKEN": "gitlab-token", "SHIFTWARD_GITLAB_WEBHOOK_SECRET": "gitlab-webhook-secret"} {
			ref := env(c, name).ValueFrom
			if ref == nil || ref.SecretKeyRef == nil || ref.SecretKeyRef.Name != secret || ref.SecretKeyRef.Key != key {
				t.Errorf("%s: %s is not key %s of Secret %s", d.Name, name, key, secret)
			}
		}
	}
}

func (r *rendered) wantRedisURL(t *testing.T, want corev1.EnvVar) {
	t.Helper()
	for _, d := range r.deployments {
		got := env(one(t, d.Spec.Template.Spec.Containers), want.Name)
		if got.Value != want.Value || (got.ValueFrom == nil) != (want.ValueFrom == nil) ||
			(want.ValueFrom != nil && *got.ValueFrom.SecretKeyRef != *want.ValueFrom.SecretKeyRef) {
			t.Errorf("%s: %s = %+v, want %+v", d.Name, want.Name, got, want)
		}
	}
	// A bundled Redis is reached through its Service (the StatefulSet's
	// governing one is that name + "-headless").
	for _, s := range r.statefulSets {
		svc := strings.TrimSuffix(s.Spec.ServiceName, "-headless")
		if want.Value != "" && !strings.Contains(want.Value, "@"+svc+":6379/") && !strings.Contains(want.Value, "//"+svc+":6379/") {
			t.Errorf("%s does not point at the bundled Redis' Service %s", want.Value, svc)
		}
	}
}

func (r *rendered) wantReplicas(t *testing.T, n int32) {
	t.Helper()
	for _, d := range r.deployments {
		if d.Spec.Replicas == nil || *d.Spec.Replicas != n {
			t.Errorf("%s: replicas %v, want %d", d.Name, d.Spec.Replicas, n)
		}
	}
}

// wantKEDA checks the ScaledObject's triggers: each a redis-streams trigger
// on the stream and group in want, the first on busy slots (pending entries,
// pending), the second, when lag is not "", on the backlog (the group's lag).
func (r *rendered) wantKEDA(t *testing.T, so *kedaScaledObject, want map[string]string, pending, lag string) {
	t.Helper()
	targets := []map[string]string{{"pendingEntriesCount": pending}}
	if lag != "" {
		targets = append(targets, map[string]string{"lagCount": lag})
	}
	if len(so.Spec.Triggers) != len(targets) {
		t.Fatalf("%d triggers, want %d", len(so.Spec.Triggers), len(targets))
	}
	for i, tr := range so.Spec.Triggers {
		if tr.Type != "redis-streams" {
			t.Errorf("trigger type %q, want redis-streams", tr.Type)
		}
		for k := range tr.Metadata {
			if !slices.Contains(kedaRedisStreamsMetadata, k) {
				t.Errorf("trigger metadata %q is not a documented redis-streams parameter", k)
			}
		}
		for k, v := range want {
			if tr.Metadata[k] != v {
				t.Errorf("trigger %d metadata %s = %q, want %q", i, k, tr.Metadata[k], v)
			}
		}
		// Exactly one target per trigger, the one wanted.
		got := 0
		for _, k := range []string{"pendingEntriesCount", "lagCount", "streamLength"} {
			if _, ok := tr.Metadata[k]; ok {
				got++
			}
		}
		for k, v := range targets[i] {
			if tr.Metadata[k] != v || got != 1 {
				t.Errorf("trigger %d: %s = %q among %d targets, want %q alone", i, k, tr.Metadata[k], got, v)
			}
		}
	}
	if so.Spec.MinReplicaCount == nil || *so.Spec.MinReplicaCount < 1 {
		t.Error("ScaledObject may scale workers to zero: pending entries would then never rise")
	}
	if w := r.deployment(t, "worker"); w.Spec.Replicas != nil {
		t.Errorf("worker Deployment sets replicas %d: KEDA owns the count", *w.Spec.Replicas)
	}
	if len(r.hpas) != 0 {
		t.Error("an HPA is rendered beside KEDA's")
	}
}

func (r *rendered) hasConfigMap(name string) bool {
	return slices.ContainsFunc(r.configMaps, func(c *corev1.ConfigMap) bool { return c.Name == name })
}

func (r *rendered) hasServiceAccount(name string) bool {
	return slices.ContainsFunc(r.serviceAccounts, func(s *corev1.ServiceAccount) bool { return s.Name == name })
}

func env(c corev1.Container, name string) corev1.EnvVar {
	for _, e := range c.Env {
		if e.Name == name {
			return e
		}
	}
	return corev1.EnvVar{}
}

func secretName(n string) bool {
	n = strings.ToUpper(n)
	for _, w := range []string{"SECRET", "TOKEN", "PASSWORD", "PRIVATE_KEY"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// selects reports whether every label of sel is on labels.
func selects(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func containsSeq(s []string, seq ...string) bool {
	for i := 0; i+len(seq) <= len(s); i++ {
		if slices.Equal(s[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

func one[T any](t *testing.T, s []T) T {
	t.Helper()
	if len(s) != 1 {
		t.Fatalf("want exactly one %T, got %d", *new(T), len(s))
	}
	return s[0]
}

func keys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
