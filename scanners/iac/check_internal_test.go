package iac

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// TestChecks runs every embedded check's samples: each positive raises the
// check, each negative does not, and a check's one-click fix, where it has
// one, is offered on the positive and leaves the finding gone.
func TestChecks(t *testing.T) {
	s := New()
	seen := map[*dataCheck]bool{}
	for _, list := range dataChecks() {
		for _, c := range list {
			if seen[c] {
				continue
			}
			seen[c] = true
			for i, smp := range c.Samples {
				fs := scanSampleAs(t, s, sampleFile[c.Format], smp.Content)
				f := findRule(fs, c.rule.ID)
				switch {
				case smp.Hit && f == nil:
					t.Errorf("%s sample %d: no finding, want one:\n%s", c.rule.ID, i, smp.Content)
				case !smp.Hit && f != nil:
					t.Errorf("%s sample %d: finding at line %d, want none:\n%s", c.rule.ID, i, f.Location.StartLine, smp.Content)
				case smp.Hit && c.Set != nil:
					checkSetFix(t, s, c, smp.Content, f)
				}
			}
		}
	}
}

func checkSetFix(t *testing.T, s *Scanner, c *dataCheck, content string, f *scanners.Finding) {
	t.Helper()
	if f.Fix == nil {
		t.Errorf("%s: no fix offered on its positive sample (set %s)", c.rule.ID, c.Set.Path)
		return
	}
	fixed, err := scanners.ApplyFixes([]byte(content), []scanners.Fix{*f.Fix})
	if err != nil {
		t.Errorf("%s: fix does not apply: %v", c.rule.ID, err)
		return
	}
	if g := findRule(scanSample(t, s, string(fixed)), c.rule.ID); g != nil {
		t.Errorf("%s: still found after its fix:\n%s", c.rule.ID, fixed)
	}
}

func scanSample(t *testing.T, s *Scanner, content string) []scanners.Finding {
	t.Helper()
	return scanSampleAs(t, s, "main.tf", content)
}

func scanSampleAs(t *testing.T, s *Scanner, path, content string) []scanners.Finding {
	t.Helper()
	fs, err := s.Scan(context.Background(), scannertest.Added(path, []byte(content)))
	if !onlyNote(err) { // a note (a registry module not fetched) leaves the file analysed whole
		t.Fatalf("scan: %v\n%s", err, content)
	}
	return fs
}

func findRule(fs []scanners.Finding, id string) *scanners.Finding {
	for i := range fs {
		if fs[i].RuleID == id {
			return &fs[i]
		}
	}
	return nil
}

// engineChecks loads checks from YAML text and indexes them, as the
// embedded ones are (without registering their rules).
func engineChecks(t *testing.T, text string) map[string][]*dataCheck {
	t.Helper()
	byType, err := loadChecks(fstest.MapFS{"checks/t.yaml": {Data: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	return byType
}

// engineCase is a file and the test checks' findings on it ("rule@line").
type engineCase struct {
	name, src string
	want      []string
}

// runEngineCases analyzes each case's src as a file at path of kind k,
// with checks in place of the embedded ones, and compares the test
// checks' findings (ids "…-t-…") with the case's.
func runEngineCases(t *testing.T, checks checkSet, k kind, path string, cases []engineCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, h := range analyzeWith(t, checks, k, path, tc.src) {
				got = append(got, h.rule.ID+"@"+strconv.Itoa(h.line))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// analyzeWith is analyze with checks, keeping the test checks' hits.
func analyzeWith(t *testing.T, checks checkSet, k kind, path, src string) []hit {
	t.Helper()
	hits, err := analyze(context.Background(), k, path, []byte(src), nil, false, checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []hit
	for _, h := range hits {
		if strings.Contains(h.rule.ID, "-t-") {
			out = append(out, h)
		}
	}
	return out
}

// runChecks analyzes a Terraform src with checks in place of the embedded
// ones.
func runChecks(t *testing.T, checks checkSet, src string) []hit {
	t.Helper()
	return analyzeWith(t, checks, kindTerraform, "main.tf", src)
}

const engineYAML = `
- id: t-prefer-written
  title: Volumes
  severity: low
  why: w
  fix: f
  resources: [z_disk]
  fail:
    - {path: root_encrypted, missing: true}
    - {path: user_encrypted, equals: false}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-flag
  title: Flag off
  severity: medium
  why: w
  fix: f
  resources: [x_thing]
  fail:
    - {path: enabled, missing: true}
    - {path: enabled, equals: false}
  set: {path: enabled, value: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-nested
  title: Open rule
  severity: high
  why: w
  fix: f
  resources: [x_thing]
  fail:
    - {path: rule.cidrs, cidr_public: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-tls
  title: Old TLS
  severity: medium
  why: w
  fix: f
  resources: [x_thing]
  when:
    - {path: kind, not_equals: internal, or_missing: true}
  fail:
    - {path: tls, not_in: ["1.2", "1.3"], or_missing: true}
  unless_referenced_by: [x_tls_policy]
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-present
  title: Site on
  severity: low
  why: w
  fix: f
  resources: [y_site]
  fail:
    - {path: website, present: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

func TestCheckEngine(t *testing.T) {
	checks := engineChecks(t, engineYAML)
	tests := []engineCase{
		{"missing flag", "resource \"x_thing\" \"a\" {\n  tls = \"1.2\"\n}\n", []string{"iac/tf-t-flag@1"}},
		{"flag false points at it", "resource \"x_thing\" \"a\" {\n  tls = \"1.2\"\n  enabled = false\n}\n", []string{"iac/tf-t-flag@3"}},
		{"flag as a string", "resource \"x_thing\" \"a\" {\n  tls = \"1.2\"\n  enabled = \"false\"\n}\n", []string{"iac/tf-t-flag@3"}},
		{"unknown value is not judged", "resource \"x_thing\" \"a\" {\n  tls = var.tls\n  enabled = var.on\n}\n", nil},
		{"nested block list", "resource \"x_thing\" \"a\" {\n  enabled = true\n  tls = \"1.3\"\n  rule {\n    cidrs = [\"10.0.0.0/8\"]\n  }\n  rule {\n    cidrs = [\"0.0.0.0/0\"]\n  }\n}\n",
			[]string{"iac/tf-t-nested@8"}},
		{"each bad element of a list is its own finding", "resource \"x_thing\" \"a\" {\n  enabled = true\n  tls = \"1.3\"\n  rule {\n    cidrs = [\"0.0.0.0/0\"]\n  }\n  rule {\n    cidrs = [\"10.0.0.0/8\"]\n  }\n  rule {\n    cidrs = [\"::/0\"]\n  }\n}\n",
			[]string{"iac/tf-t-nested@5", "iac/tf-t-nested@11"}},
		{"a wrong setting written is pointed at before a missing one", "resource \"z_disk\" \"d\" {\n  size = 1\n  user_encrypted = false\n}\n", []string{"iac/tf-t-prefer-written@3"}},
		{"only a missing setting: the block", "resource \"z_disk\" \"d\" {\n  size = 1\n}\n", []string{"iac/tf-t-prefer-written@1"}},
		{"list of objects", "resource \"x_thing\" \"a\" {\n  enabled = true\n  tls = \"1.3\"\n  rule = [{ cidrs = [\"::/0\"] }]\n}\n", []string{"iac/tf-t-nested@4"}},
		{"dynamic block", "resource \"x_thing\" \"a\" {\n  enabled = true\n  tls = \"1.3\"\n  dynamic \"rule\" {\n    for_each = var.r\n    content {\n      cidrs = [\"0.0.0.0/0\"]\n    }\n  }\n}\n",
			[]string{"iac/tf-t-nested@7"}},
		{"or_missing", "resource \"x_thing\" \"a\" {\n  enabled = true\n}\n", []string{"iac/tf-t-tls@1"}},
		{"not_in", "resource \"x_thing\" \"a\" {\n  enabled = true\n  tls = \"1.0\"\n}\n", []string{"iac/tf-t-tls@3"}},
		{"when not met", "resource \"x_thing\" \"a\" {\n  enabled = true\n  kind = \"internal\"\n}\n", nil},
		{"settled by a referring resource", "resource \"x_thing\" \"a\" {\n  enabled = true\n}\nresource \"x_tls_policy\" \"p\" {\n  thing = x_thing.a.id\n}\n", nil},
		{"other types untouched", "resource \"y_thing\" \"a\" {\n  enabled = false\n}\n", nil},
		{"present points at the block", "resource \"y_site\" \"a\" {\n  name = \"s\"\n  website {\n    index = \"i\"\n  }\n}\n", []string{"iac/tf-t-present@3"}},
		{"present points at the attribute", "resource \"y_site\" \"a\" {\n  name = \"s\"\n\n  website = var.w\n}\n", []string{"iac/tf-t-present@4"}},
		{"present, not written", "resource \"y_site\" \"a\" {\n  name = \"s\"\n}\n", nil},
	}
	runEngineCases(t, checks, kindTerraform, "main.tf", tests)
}

// TestCheckFix: the set fix inserts a missing attribute or replaces a
// wrong one, and the finding is gone after it.
func TestCheckFix(t *testing.T) {
	checks := engineChecks(t, engineYAML)
	for _, src := range []string{
		"resource \"x_thing\" \"a\" {\n  tls = \"1.2\"\n}\n",
		"resource \"x_thing\" \"a\" {\n  tls = \"1.2\"\n  enabled = false\n}\n",
	} {
		hits := runChecks(t, checks, src)
		if len(hits) != 1 || hits[0].fix == nil {
			t.Fatalf("%q: hits %+v, want one with a fix", src, hits)
		}
		fixed, err := scanners.ApplyFixes([]byte(src), []scanners.Fix{*hits[0].fix})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(fixed), "enabled = true") || len(runChecks(t, checks, string(fixed))) != 0 {
			t.Errorf("fixed:\n%s\nstill found, or not set", fixed)
		}
	}
}

// TestCheckValidation: a malformed check is refused with a reason, never
// loaded half-understood.
func TestCheckValidation(t *testing.T) {
	const good = "  title: T\n  severity: low\n  why: w\n  fix: f\n  resources: [x]\n  samples: [{hit: true, content: a}, {hit: false, content: b}]\n"
	tests := map[string]string{
		"unknown key":             "- id: a\n  fial: [{path: p, missing: true}]\n" + good,
		"two operators":           "- id: a\n  fail: [{path: p, missing: true, equals: 1}]\n" + good,
		"no operator":             "- id: a\n  fail: [{path: p}]\n" + good,
		"bad regexp":              "- id: a\n  fail: [{path: p, matches: '('}]\n" + good,
		"bad severity":            "- id: a\n  fail: [{path: p, missing: true}]\n" + strings.Replace(good, "low", "urgent", 1),
		"bad id":                  "- id: A_b\n  fail: [{path: p, missing: true}]\n" + good,
		"no negative":             "- id: a\n  fail: [{path: p, missing: true}]\n" + strings.Replace(good, "hit: false", "hit: true", 1),
		"defined twice":           "- id: a\n  fail: [{path: p, missing: true}]\n" + good + "- id: a\n  fail: [{path: p, missing: true}]\n" + good,
		"nested set path":         "- id: a\n  fail: [{path: p, missing: true}]\n  set: {path: a.b, value: true}\n" + good,
		"combo and path":          "- id: a\n  fail: [{path: p, any: [{path: q, missing: true}]}]\n" + good,
		"link, no types":          "- id: a\n  fail: [{referenced_by: {where: [{path: q, missing: true}]}}]\n" + good,
		"link bad where":          "- id: a\n  fail: [{refers_to: {resources: [y], where: [{path: q}]}}]\n" + good,
		"link and path":           "- id: a\n  fail: [{path: p, refers_to: {resources: [y]}}]\n" + good,
		"port_range, no ports":    "- id: a\n  fail: [{port_range: {from: f, to: t}}]\n" + good,
		"no path, not port_range": "- id: a\n  fail: [{equals: 1}]\n" + good,
		"present and or_missing":  "- id: a\n  fail: [{path: p, present: true, or_missing: true}]\n" + good,
		"present and missing":     "- id: a\n  fail: [{path: p, present: true, missing: false}]\n" + good,
	}
	for name, text := range tests {
		if _, err := loadChecks(fstest.MapFS{"checks/t.yaml": {Data: []byte(text)}}); err == nil {
			t.Errorf("%s: loaded, want an error", name)
		}
	}
}

// TestRepositoryChecks: a repository's own checks run beside the built-in
// ones; their samples, when given, must behave; ids may not repeat.
func TestRepositoryChecks(t *testing.T) {
	own := `
- id: acme-tags
  title: Resource has no owner tag
  severity: low
  why: Untagged resources have no one to page.
  fix: Add tags.owner.
  resources: [aws_instance]
  fail: [{path: tags.owner, missing: true}]
  samples:
    - {hit: true, content: "resource \"aws_instance\" \"a\" {\n  ami = \"x\"\n}\n"}
    - {hit: false, content: "resource \"aws_instance\" \"a\" {\n  tags = { owner = \"me\" }\n}\n"}
`
	checks, err := ParseChecks([]byte(own))
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 1 || checks[0].ID() != "iac/tf-acme-tags" {
		t.Fatalf("checks %v", checks)
	}
	src := "resource \"aws_instance\" \"a\" {\n  ami = \"x\"\n}\n"
	if f := findRule(scanSample(t, New(WithChecks(checks...)), src), "iac/tf-acme-tags"); f == nil || f.Location.StartLine != 1 {
		t.Errorf("the repository's check did not fire at line 1: %+v", f)
	}
	if f := findRule(scanSample(t, New(), src), "iac/tf-acme-tags"); f != nil {
		t.Error("a repository's check leaked into the default scanner")
	}
	if d, ok := New(WithChecks(checks...)).Explain("iac/tf-acme-tags"); !ok || d.Title != "Resource has no owner tag" {
		t.Errorf("the repository's check is not explained: %+v %v", d, ok)
	}
	if _, ok := New().Explain("iac/tf-acme-tags"); ok {
		t.Error("the default scanner explains a repository's check")
	}

	bad := map[string]string{
		"sample that does not behave": strings.Replace(own, "hit: false", "hit: true", 1),
		"twice":                       own + strings.TrimPrefix(own, "\n"),
		"unknown key":                 strings.Replace(own, "fail:", "failing:", 1),
	}
	for name, text := range bad {
		if _, err := ParseChecks([]byte(text)); err == nil {
			t.Errorf("%s: parsed, want an error", name)
		}
	}
	for _, list := range dataChecks() {
		builtin := strings.Replace(own, "id: acme-tags", "id: "+list[0].ID, 1)
		if _, err := ParseChecks([]byte(builtin)); err == nil {
			t.Errorf("a repository check took the built-in id %q", list[0].ID)
		}
		break
	}
}

const k8sEngineYAML = `
- id: t-host-process
  format: kubernetes
  title: Host process
  severity: high
  why: w
  fix: f
  resources: [Pod, CronJob, Deployment]
  fail:
    - {path: $pod.containers.securityContext.windowsOptions.hostProcess, equals: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-no-owner
  format: kubernetes
  title: No owner label
  severity: low
  why: w
  fix: f
  resources: [Deployment]
  fail:
    - {path: metadata.labels.owner, missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineKubernetes: $pod finds the pod spec of each kind, every
// container is looked at, YAML 1.1 booleans compare as booleans, and a
// finding points at the key that fails, or at the object's kind.
func TestCheckEngineKubernetes(t *testing.T) {
	checks := engineChecks(t, k8sEngineYAML)
	tests := []engineCase{
		{"cronjob pod spec, second container, yes", `apiVersion: batch/v1
kind: CronJob
metadata:
  name: j
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: a
              image: a:1
            - name: b
              image: b:1
              securityContext:
                windowsOptions:
                  hostProcess: yes
`, []string{"iac/k8s-t-host-process@18"}},
		{"string true is not a boolean", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: a:1\n      securityContext:\n        windowsOptions:\n          hostProcess: \"no\"\n", nil},
		{"missing points at the mapping that lacks it", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: a:1\n", []string{"iac/k8s-t-no-owner@3"}},
		{"other kinds untouched", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 80\n", nil},
	}
	runEngineCases(t, checks, kindKubernetes, "m.yaml", tests)
	if _, err := loadChecks(fstest.MapFS{"checks/t.yaml": {Data: []byte(strings.Replace(k8sEngineYAML, "  fail:\n    - {path: metadata", "  set: {path: x, value: 1}\n  fail:\n    - {path: metadata", 1))}}); err == nil {
		t.Error("a Kubernetes check with a set fix loaded; want it refused")
	}
}

const moreEngineYAML = `
- id: t-ssh-keys
  title: Project SSH keys
  severity: medium
  why: w
  fix: f
  resources: [x_vm]
  fail:
    - {path: metadata.block-project-ssh-keys, missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-flag-pair
  title: Flag off
  severity: medium
  why: w
  fix: f
  resources: [x_db]
  fail:
    - path: database_flags
      some:
        - {path: name, equals: log_connections}
        - {path: value, equals: "off"}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-bypass
  title: No bypass
  severity: low
  why: w
  fix: f
  resources: [x_net]
  fail:
    - {path: bypass, not_contains: AzureServices}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-stage-logging
  title: Logging off
  severity: low
  why: w
  fix: f
  resources: [x_stage]
  fail:
    - {path: settings.logging.level, in: ["OFF"], or_missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-open-unlogged
  title: Open and unlogged
  severity: low
  why: w
  fix: f
  resources: [x_gate]
  fail:
    - all:
        - {path: settings.logging, missing: true}
        - {path: settings.mode, equals: open}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineMore: a path through a value that cannot be seen is
// neither present nor missing; some judges one element of a repeated
// block as a whole; not_contains wants a known list.
func TestCheckEngineMore(t *testing.T) {
	checks := engineChecks(t, moreEngineYAML)
	tests := []engineCase{
		{"object without the key", "resource \"x_vm\" \"a\" {\n  metadata = { other = \"x\" }\n}\n", []string{"iac/tf-t-ssh-keys@2"}},
		{"no object", "resource \"x_vm\" \"a\" {\n  name = \"a\"\n}\n", []string{"iac/tf-t-ssh-keys@1"}},
		{"metadata from a variable", "resource \"x_vm\" \"a\" {\n  metadata = var.m\n}\n", nil},
		{"metadata from a function", "resource \"x_vm\" \"a\" {\n  metadata = merge(var.m, { a = 1 })\n}\n", nil},
		{"key set", "resource \"x_vm\" \"a\" {\n  metadata = { block-project-ssh-keys = true }\n}\n", nil},
		{"one flag off", "resource \"x_db\" \"a\" {\n  database_flags {\n    name  = \"log_checkpoints\"\n    value = \"off\"\n  }\n  database_flags {\n    name  = \"log_connections\"\n    value = \"off\"\n  }\n}\n",
			[]string{"iac/tf-t-flag-pair@6"}},
		{"flags split across elements", "resource \"x_db\" \"a\" {\n  database_flags {\n    name  = \"log_connections\"\n    value = \"on\"\n  }\n  database_flags {\n    name  = \"other\"\n    value = \"off\"\n  }\n}\n", nil},
		{"list without it", "resource \"x_net\" \"a\" {\n  bypass = [\"Logging\"]\n}\n", []string{"iac/tf-t-bypass@2"}},
		{"list with it", "resource \"x_net\" \"a\" {\n  bypass = [\"Logging\", \"AzureServices\"]\n}\n", nil},
		{"list unknown", "resource \"x_net\" \"a\" {\n  bypass = var.b\n}\n", nil},
		{"or_missing points at the deepest block written", "resource \"x_stage\" \"a\" {\n  name = \"a\"\n  settings {\n    logging {\n      other = 1\n    }\n  }\n}\n",
			[]string{"iac/tf-t-stage-logging@4"}},
		{"or_missing with no block at the header", "resource \"x_stage\" \"a\" {\n  name = \"a\"\n}\n", []string{"iac/tf-t-stage-logging@1"}},
		{"a written value before the block that lacks one", "resource \"x_gate\" \"a\" {\n  settings {\n    other = 1\n    mode  = \"open\"\n  }\n}\n",
			[]string{"iac/tf-t-open-unlogged@4"}},
		{"or_missing set", "resource \"x_stage\" \"a\" {\n  settings {\n    logging {\n      level = \"INFO\"\n    }\n  }\n}\n", nil},
	}
	runEngineCases(t, checks, kindTerraform, "main.tf", tests)
}

const cfnEngineYAML = `
- id: t-bucket-encryption
  format: cloudformation
  title: Bucket not encrypted
  severity: medium
  why: w
  fix: f
  resources: ["AWS::S3::Bucket"]
  fail:
    - {path: BucketEncryption, missing: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-open-ingress
  format: cloudformation
  title: Open ingress
  severity: high
  why: w
  fix: f
  resources: ["AWS::EC2::SecurityGroup"]
  fail:
    - {path: SecurityGroupIngress.CidrIp, cidr_public: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-ssh-open
  format: cloudformation
  title: SSH open
  severity: high
  why: w
  fix: f
  resources: ["AWS::EC2::SecurityGroup"]
  fail:
    - path: SecurityGroupIngress
      some:
        - {path: FromPort, equals: 22}
        - {path: CidrIp, cidr_public: true}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-policy-star
  format: cloudformation
  title: Star
  severity: high
  why: w
  fix: f
  resources: ["AWS::IAM::Policy"]
  fail:
    - {path: PolicyDocument.Statement, some: [{path: Effect, equals: Allow}, {path: Action, contains: "*"}]}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineCloudFormation: checks read a resource's Properties by its
// Type; intrinsic functions (short and long form) are never judged; a
// template is told from a manifest by its content.
func TestCheckEngineCloudFormation(t *testing.T) {
	checks := engineChecks(t, cfnEngineYAML)
	tests := []engineCase{
		{"bucket without encryption", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: logs\n", []string{"iac/cfn-t-bucket-encryption@3"}},
		{"bucket without properties", "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n", []string{"iac/cfn-t-bucket-encryption@2"}},
		{"open ingress", "Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n          CidrIp: 0.0.0.0/0\n", []string{"iac/cfn-t-open-ingress@10", "iac/cfn-t-ssh-open@6"}}, // a first element starts at its list's key
		{"ssh open, one element", "Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - FromPort: 443\n          CidrIp: 10.0.0.0/8\n        - FromPort: 22\n          CidrIp: 0.0.0.0/0\n",
			[]string{"iac/cfn-t-open-ingress@9", "iac/cfn-t-ssh-open@8"}},
		{"ssh and the world in different elements", "Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - FromPort: 443\n          CidrIp: 0.0.0.0/0\n        - FromPort: 22\n          CidrIp: 10.0.0.0/8\n",
			[]string{"iac/cfn-t-open-ingress@7"}},
		{"ingress from a parameter", "Resources:\n  SG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - CidrIp: !Ref AllowedCidr\n        - CidrIp: {\"Fn::ImportValue\": cidr}\n", nil},
		{"policy as a JSON string", "Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: >\n        {\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"*\"], \"Resource\": \"*\"}]}\n",
			[]string{"iac/cfn-t-policy-star@5"}},
		{"policy as an Fn::Sub of a JSON string", "Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !Sub |\n        {\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"arn:aws:s3:::${Bucket}/*\"}}\n",
			[]string{"iac/cfn-t-policy-star@5"}},
		{"policy with Sub variables only where it is unknown", "Resources:\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument: !Sub '{\"Statement\": {\"Effect\": \"${Effect}\", \"Action\": \"*\"}}'\n", nil},
		{"properties from a condition", "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties: !If [Enc, {BucketEncryption: x}, {}]\n", nil},
	}
	runEngineCases(t, checks, kindKubernetes, "template.yaml", tests)
	if looksCloudFormation([]byte("apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    Resources: AWS::S3::Bucket\n")) {
		t.Error("a manifest quoting a template is taken for a template")
	}
}

// TestComposeFiles: a Compose file is told by its content, whatever its
// name; services without image or build are not containers; a broken file
// is an error only when it is named as a Compose file.
func TestComposeFiles(t *testing.T) {
	s := New()
	const privileged = "services:\n  a:\n    image: x:1\n    privileged: true\n"
	for _, p := range []string{"docker-compose.yml", "deploy/compose.prod.yaml", "stack.yaml"} {
		if f := findRule(scanSampleAs(t, s, p, privileged), "iac/compose-privileged"); f == nil || f.Location.StartLine != 4 {
			t.Errorf("%s: privileged service not found at line 4: %+v", p, f)
		}
	}
	if fs := scanSampleAs(t, s, "config.yaml", "services:\n  billing:\n    url: https://billing\n    privileged: true\n"); len(fs) != 0 {
		t.Errorf("a config listing services (no image, no build) got findings: %+v", fs)
	}
	broken := "services:\n  a:\n    image: [x\n"
	if _, err := s.Scan(context.Background(), scannertest.Added("docker-compose.yml", []byte(broken))); err == nil {
		t.Error("a broken docker-compose.yml scanned clean; want it reported not scanned")
	}
	if _, err := s.Scan(context.Background(), scannertest.Added("templates/svc.yaml", []byte("services:\n  {{ .Values.x }}\n"))); err != nil {
		t.Errorf("a template with a services key is reported not scanned: %v", err)
	}
}

const docEngineYAML = `
- id: t-public-statement
  title: Public statement
  severity: high
  why: w
  fix: f
  resources: [x_policy]
  fail:
    - path: policy.Statement
      some:
        - {path: Effect, equals: Allow}
        - any:
            - {path: Principal, equals: "*"}
            - {path: Principal.AWS, contains: "*"}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineDocuments: a path steps into the JSON an attribute
// writes (a heredoc, a string, jsonencode), a statement given as one
// object or a list; what a template interpolates or jsonencode reads from
// a variable is unknown, never judged; a finding points at the attribute.
func TestCheckEngineDocuments(t *testing.T) {
	checks := engineChecks(t, docEngineYAML)
	const want = "iac/tf-t-public-statement@2"
	tests := []engineCase{
		{"heredoc", "resource \"x_policy\" \"a\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\"}]}\nEOF\n}\n", []string{want}},
		{"heredoc, one statement, AWS principal list", "resource \"x_policy\" \"a\" {\n  policy = <<EOF\n{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"*\"]}}}\nEOF\n}\n", []string{want}},
		{"heredoc denying", "resource \"x_policy\" \"a\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\"}]}\nEOF\n}\n", nil},
		{"heredoc interpolating elsewhere", "resource \"x_policy\" \"a\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Resource\": \"${aws_s3_bucket.b.arn}/*\"}]}\nEOF\n}\n", []string{want}},
		{"heredoc interpolating the principal", "resource \"x_policy\" \"a\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"${var.p}\"}]}\nEOF\n}\n", nil},
		{"jsonencode", "resource \"x_policy\" \"a\" {\n  policy = jsonencode({\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { AWS = \"*\" }\n      Resource  = aws_s3_bucket.b.arn\n    }]\n  })\n}\n", []string{want}},
		{"jsonencode, principal from a variable", "resource \"x_policy\" \"a\" {\n  policy = jsonencode({\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = var.p\n    }]\n  })\n}\n", nil},
		{"a plain string", "resource \"x_policy\" \"a\" {\n  policy = \"Allow *\"\n}\n", nil},
		{"a file", "resource \"x_policy\" \"a\" {\n  policy = file(\"p.json\")\n}\n", nil},
	}
	runEngineCases(t, checks, kindTerraform, "main.tf", tests)
}

// TestPlaintextKeyNotQuoted: a check on a raw encryption key reports the
// resource's header line, so neither the evidence nor the message carries
// the key it found.
func TestPlaintextKeyNotQuoted(t *testing.T) {
	s := New()
	// shiftward:ignore secrets/generic-api-key made up: base64 of "sample-key-not-real-12345678"
	const key = "c2FtcGxlLWtleS1ub3QtcmVhbC0xMjM0NTY3OA=="
	tests := []struct{ name, content string }{
		{"instance boot disk", "resource \"google_compute_instance\" \"vm\" {\n  name = \"vm\"\n  boot_disk {\n    disk_encryption_key_raw = \"" + key + "\"\n  }\n}\n"},
		{"disk", "resource \"google_compute_disk\" \"d\" {\n  name = \"d\"\n  disk_encryption_key {\n    raw_key = \"" + key + "\"\n  }\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := findRule(scanSampleAs(t, s, "main.tf", tt.content), "iac/tf-gcp-compute-plaintext-disk-key")
			switch {
			case f == nil:
				t.Fatal("no finding for a raw key")
			case f.Location.StartLine != 1:
				t.Errorf("finding at line %d, want the header line 1", f.Location.StartLine)
			case strings.Contains(f.Evidence+f.Message, key[:12]):
				t.Errorf("the finding quotes the key: %q / %q", f.Evidence, f.Message)
			}
		})
	}
}

const linkEngineYAML = `
- id: t-data-open
  title: Document allows everything
  severity: high
  why: w
  fix: f
  resources: [data.x_doc]
  fail:
    - {path: statement, some: [{path: actions, contains: "*"}]}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-granted
  title: Role is granted everything
  severity: high
  why: w
  fix: f
  resources: [x_role]
  fail:
    - referenced_by:
        resources: [x_role_policy]
        where:
          - any:
              - {path: action, equals: "*"}
              - refers_to:
                  resources: [data.x_doc]
                  where: [{path: statement, some: [{path: actions, contains: "*"}]}]
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-uses-open
  title: Policy uses an open document
  severity: high
  why: w
  fix: f
  resources: [x_role_policy]
  fail:
    - refers_to: {resources: [data.x_doc], where: [{path: statement.actions, contains: "*"}]}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
- id: t-unused
  title: Group is used by nothing
  severity: low
  why: w
  fix: f
  resources: [x_group]
  fail:
    - not: {referenced_by: {resources: [x_instance, x_role]}}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEngineLinks: checks apply to data sources (data.TYPE), and
// referenced_by / refers_to read the resources a resource refers to or
// that refer to it, through the module's files, a finding pointing at the
// resource checked.
func TestCheckEngineLinks(t *testing.T) {
	checks := engineChecks(t, linkEngineYAML)
	const (
		doc      = "data \"x_doc\" \"d\" {\n  statement {\n    actions = [\"*\"]\n  }\n}\n"
		narrow   = "data \"x_doc\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n  }\n}\n"
		role     = "resource \"x_role\" \"r\" {\n  name = \"r\"\n}\n"
		grantDoc = "resource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  policy = data.x_doc.d.json\n}\n"
	)
	tests := []engineCase{
		{"data source", doc, []string{"iac/tf-t-data-open@2"}},
		{"data source, narrow", narrow, nil},
		{"resource of the data type untouched", "resource \"x_doc\" \"d\" {\n  statement {\n    actions = [\"*\"]\n  }\n}\n", nil},
		{"referrer holds", role + "resource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  action = \"*\"\n}\n", []string{"iac/tf-t-granted@1"}},
		{"referrer narrow", role + "resource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  action = \"s3:GetObject\"\n}\n", nil},
		{"referrer of another role", role + "resource \"x_role_policy\" \"p\" {\n  role   = x_role.other.name\n  action = \"*\"\n}\n", nil},
		{"referrer's value unknown", role + "resource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  action = var.a\n}\n", nil},
		{"two steps: referrer refers to a data source", role + grantDoc + doc, []string{"iac/tf-t-granted@1", "iac/tf-t-uses-open@6", "iac/tf-t-data-open@9"}},
		{"two steps, narrow document", role + grantDoc + narrow, nil},
		{"in a template", role + "resource \"x_role_policy\" \"p\" {\n  role   = \"${x_role.r.name}\"\n  action = \"*\"\n}\n", []string{"iac/tf-t-granted@1"}},
		{"referrers cycle", "resource \"x_role\" \"r\" {\n  name = x_role_policy.p.name\n}\nresource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  policy = data.x_doc.d.json\n}\ndata \"x_doc\" \"d\" {\n  statement {\n    actions = [x_role.r.arn]\n  }\n}\n", nil},
		{"not referenced", "resource \"x_group\" \"g\" {\n  name = \"g\"\n}\n", []string{"iac/tf-t-unused@1"}},
		{"referenced", "resource \"x_group\" \"g\" {\n  name = \"g\"\n}\nresource \"x_instance\" \"i\" {\n  groups = [x_group.g.id]\n}\n", nil},
	}
	runEngineCases(t, checks, kindTerraform, "main.tf", tests)
}

// TestCheckEngineLinksAcrossFiles: the resource that refers to the one
// checked may be in another file of the module; the finding stays on the
// resource checked.
func TestCheckEngineLinksAcrossFiles(t *testing.T) {
	checks := engineChecks(t, linkEngineYAML)
	tree := scanners.NewMemTree(map[string][]byte{
		"iam/role.tf":   []byte("resource \"x_role\" \"r\" {\n  name = \"r\"\n}\n"),
		"iam/policy.tf": []byte("resource \"x_role_policy\" \"p\" {\n  role   = x_role.r.name\n  action = \"*\"\n}\n"),
	})
	hits, err := analyzeTerraform(context.Background(), tree, "iam/role.tf", []byte("resource \"x_role\" \"r\" {\n  name = \"r\"\n}\n"), checks)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hits {
		got = append(got, h.rule.ID+"@"+strconv.Itoa(h.line))
	}
	if strings.Join(got, " ") != "iac/tf-t-granted@1" {
		t.Errorf("got %v, want the role's finding on its header", got)
	}
}

const portEngineYAML = `
- id: t-ports
  title: Database port open
  severity: high
  why: w
  fix: f
  resources: [x_sg, x_sg_rule]
  fail:
    - {path: rule, some: [{port_range: {from: from_port, to: to_port, ports: [3306, 5432]}}]}
    - {port_range: {from: from_port, to: to_port, ports: [3306, 5432]}}
  samples: [{hit: true, content: "x"}, {hit: false, content: "y"}]
`

// TestCheckEnginePortRange: port_range holds when a rule's known from..to
// ports take in a listed port, on a nested rule or the resource itself.
func TestCheckEnginePortRange(t *testing.T) {
	checks := engineChecks(t, portEngineYAML)
	rule := func(from, to string) string {
		return "resource \"x_sg\" \"a\" {\n  name = \"a\"\n  rule {\n    from_port = " + from + "\n    to_port = " + to + "\n  }\n}\n"
	}
	tests := []engineCase{
		{"range takes in a port", rule("3000", "4000"), []string{"iac/tf-t-ports@3"}},
		{"exact port", rule("5432", "5432"), []string{"iac/tf-t-ports@3"}},
		{"ends of the range", rule("3306", "3306"), []string{"iac/tf-t-ports@3"}},
		{"range below", rule("22", "3305"), nil},
		{"range above", rule("3307", "5431"), nil},
		{"port as a string", rule("\"3306\"", "\"3306\""), []string{"iac/tf-t-ports@3"}},
		{"unknown port", rule("var.p", "var.p"), nil},
		{"no to_port", "resource \"x_sg\" \"a\" {\n  rule {\n    from_port = 3306\n  }\n}\n", nil},
		{"the resource itself", "resource \"x_sg_rule\" \"a\" {\n  from_port = 0\n  to_port = 65535\n}\n", []string{"iac/tf-t-ports@1"}},
	}
	runEngineCases(t, checks, kindTerraform, "main.tf", tests)
}

// TestModuleChecks: a check naming module:SOURCE reads the inputs of a
// call of that registry module; a local or git source, or another
// module, is not that module.
func TestModuleChecks(t *testing.T) {
	const rule = "iac/tf-aws-db-iam-auth"
	cases := []struct {
		name, src string
		want      bool
	}{
		{"registry input false", `module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"
  engine  = "mysql"
  iam_database_authentication_enabled = false
}`, true},
		{"registry host spelled out, input missing", `module "db" {
  source = "registry.terraform.io/terraform-aws-modules/rds/aws"
  engine = "postgres"
}`, true},
		{"input true", `module "db" {
  source = "terraform-aws-modules/rds/aws"
  iam_database_authentication_enabled = true
}`, false},
		{"local path", `module "db" {
  source = "./modules/rds"
  engine = "postgres"
}`, false},
		{"git source", `module "db" {
  source = "git::https://example.com/terraform-aws-modules/rds/aws.git?ref=v6"
  engine = "postgres"
}`, false},
		{"source not literal", `module "db" {
  source = var.src
  engine = "postgres"
}`, false},
		{"another module", `module "db" {
  source = "terraform-aws-modules/ec2-instance/aws"
}`, false},
	}
	s := New()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs, err := s.Scan(context.Background(), scannertest.Added("main.tf", []byte(c.src)))
			if !onlyNote(err) {
				t.Fatalf("scan: %v", err)
			}
			f := findRule(fs, rule)
			if got := f != nil; got != c.want {
				t.Fatalf("finding %v, want %v", got, c.want)
			}
			if f != nil && strings.Contains(c.src, "= false") && f.Location.StartLine != 5 {
				t.Errorf("finding on line %d, want the input's line 5", f.Location.StartLine)
			}
		})
	}
}

// TestSecretEvidenceTerraform: a Terraform check marked secret shows the
// attribute's name, never the line that holds the value.
func TestSecretEvidenceTerraform(t *testing.T) {
	src := `resource "openstack_compute_instance_v2" "vm" {
  name       = "vm"
  admin_pass = "plain-text-sample-value"
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = <<EOF
[{"name": "app", "environment": [{"name": "API_TOKEN", "value": "plain-text-sample-value"}]}]
EOF
}
`
	fs := scanSample(t, New(), src)
	for _, rule := range []string{"iac/tf-openstack-compute-admin-password", "iac/tf-aws-ecs-task-env-secret"} {
		f := findRule(fs, rule)
		if f == nil {
			t.Errorf("%s: no finding", rule)
			continue
		}
		if strings.Contains(f.Evidence, "plain-text") || strings.Contains(f.Message, "plain-text") {
			t.Errorf("%s shows the value: %q / %q", rule, f.Evidence, f.Message)
		}
		if !strings.HasSuffix(f.Evidence, "= …") {
			t.Errorf("%s evidence %q, want the attribute's name alone", rule, f.Evidence)
		}
	}
}

// TestChecksNoTwins: no two embedded checks of a format judge a resource
// type by the same conditions: one finding said twice under two ids is
// noise (two such pairs crept in while checks were written in parallel).
func TestChecksNoTwins(t *testing.T) {
	byType, err := loadChecks(checkFiles)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for key, cs := range byType {
		for _, c := range cs {
			conds, err := json.Marshal([]any{c.When, c.Fail})
			if err != nil {
				t.Fatal(err)
			}
			sig := key + " " + string(conds)
			if other, ok := seen[sig]; ok && other != c.ID {
				t.Errorf("%s: checks %q and %q have the same conditions", key, other, c.ID)
			}
			seen[sig] = c.ID
		}
	}
}

// TestSplitPath: steps split at dots; a quoted step keeps its dots; a
// malformed quote is refused.
func TestSplitPath(t *testing.T) {
	for p, want := range map[string]string{
		"a.b.c": "a|b|c",
		`Condition.StringLike."token.actions.githubusercontent.com:sub"`: "Condition|StringLike|token.actions.githubusercontent.com:sub",
		`Parameters."rds.force_ssl"`:                                     "Parameters|rds.force_ssl",
		`"a.b".c`:                                                        "a.b|c",
		"single":                                                         "single",
	} {
		got, err := splitPath(p)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("splitPath(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
	for _, p := range []string{`a."b`, `a."b"c`, `"x"y.z`} {
		if got, err := splitPath(p); err == nil {
			t.Errorf("splitPath(%q) = %q, want an error", p, got)
		}
	}
}
