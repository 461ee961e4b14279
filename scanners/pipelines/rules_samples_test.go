package pipelines_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/pipelines"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// Paths the samples are scanned at.
const (
	wfPath     = ".github/workflows/ci.yml"
	actionPath = "actions/greet/action.yml"
	glPath     = ".gitlab-ci.yml"
	// sha is a full commit SHA, as a pinned action names.
	sha = "0123456789abcdef0123456789abcdef01234567"
)

// job is a workflow on trigger with a top-level read-only grant and one
// job whose steps are steps (indented by six spaces).
func job(trigger, steps string) string {
	return "on: " + trigger + "\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + steps
}

// composite is a composite action with the given steps.
func composite(steps string) string {
	return "name: greet\nruns:\n  using: composite\n  steps:\n" + steps
}

func wf(content string) scannertest.Sample {
	return scannertest.Sample{Path: wfPath, Content: content, Hit: true}
}
func wfNot(content string) scannertest.Sample {
	return scannertest.Sample{Path: wfPath, Content: content}
}
func gl(content string) scannertest.Sample {
	return scannertest.Sample{Path: glPath, Content: content, Hit: true}
}
func glNot(content string) scannertest.Sample {
	return scannertest.Sample{Path: glPath, Content: content}
}
func act(content string) scannertest.Sample {
	return scannertest.Sample{Path: actionPath, Content: content, Hit: true}
}
func actNot(content string) scannertest.Sample {
	return scannertest.Sample{Path: actionPath, Content: content}
}

// ruleSamples are a positive and a negative case (at least) of every rule.
var ruleSamples = map[string][]scannertest.Sample{
	"pipelines/script-injection": {
		wf(job("issues", "      - run: echo \"${{ github.event.issue.title }}\"\n")),
		wf(job("issues", "      - run: eval \"${{ github.event.issue.body }}\"\n")),
		wf(job("issue_comment", "      - uses: actions/github-script@"+sha+"\n        with:\n          script: |\n"+
			"            console.log(\"${{ github.event.comment.body }}\")\n")),
		act(composite("    - run: echo ${{ github.event.pull_request.title }}\n      shell: bash\n")),
		wfNot(job("issues", "      - env:\n          TITLE: ${{ github.event.issue.title }}\n        run: echo \"$TITLE\"\n")),
		wfNot(job("issues", "      - run: echo \"${{ github.sha }} ${{ github.event.issue.number }}\"\n")),
		actNot(composite("    - run: echo \"$GITHUB_SHA\"\n      shell: bash\n")),
	},
	"pipelines/untrusted-checkout": {
		wf(job("pull_request_target", "      - uses: actions/checkout@"+sha+"\n        with:\n"+
			"          ref: ${{ github.event.pull_request.head.sha }}\n      - run: make test\n")),
		wf(job("pull_request_target", "      - run: gh pr checkout ${{ github.event.number }}\n")),
		wfNot(job("pull_request", "      - uses: actions/checkout@"+sha+"\n        with:\n"+
			"          ref: ${{ github.event.pull_request.head.sha }}\n")),
		wfNot(job("pull_request_target", "      - uses: actions/checkout@"+sha+"\n")),
	},
	"pipelines/unpinned-action": {
		wf(job("push", "      - uses: some-owner/deploy-action@v2\n")),
		wf(job("push", "      - uses: actions/checkout@v4\n")),
		act(composite("    - uses: some-owner/setup-tool@main\n")),
		wfNot(job("push", "      - uses: some-owner/deploy-action@"+sha+" # v2\n")),
		wfNot(job("push", "      - uses: ./.github/actions/local\n")),
	},
	"pipelines/excessive-permissions": {
		wf("on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"),
		wf("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: write-all\n" +
			"    steps:\n      - run: make\n"),
		wfNot(job("push", "      - run: make\n")),
		wfNot("on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n" +
			"      contents: read\n    steps:\n      - run: make\n"),
	},
	"pipelines/missing-permissions": {
		wf("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"),
		wfNot(job("push", "      - run: make\n")),
		wfNot("on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"),
		wfNot("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n" +
			"    steps:\n      - run: make\n"),
	},
	"pipelines/secrets-to-unpinned-action": {
		wf(job("push", "      - uses: some-owner/deploy-action@v2\n        with:\n          token: ${{ secrets.DEPLOY_TOKEN }}\n")),
		act(composite("    - uses: some-owner/upload@main\n      env:\n        KEY: ${{ secrets.UPLOAD_KEY }}\n")),
		wfNot(job("push", "      - uses: some-owner/deploy-action@"+sha+"\n        with:\n          token: ${{ secrets.DEPLOY_TOKEN }}\n")),
		wfNot(job("push", "      - uses: some-owner/deploy-action@v2\n        with:\n          region: eu-west-1\n")),
	},
	"pipelines/secrets-inherit": {
		wf("on: push\npermissions: {}\njobs:\n  call:\n    uses: other-org/workflows/.github/workflows/deploy.yml@" + sha +
			"\n    secrets: inherit\n"),
		wfNot("on: push\npermissions: {}\njobs:\n  call:\n    uses: other-org/workflows/.github/workflows/deploy.yml@" + sha +
			"\n    secrets:\n      token: ${{ secrets.DEPLOY_TOKEN }}\n"),
		wfNot("on: push\npermissions: {}\njobs:\n  call:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit\n"),
	},
	"pipelines/self-hosted-pr": {
		wf("on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: make\n"),
		wfNot("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    steps:\n      - run: make\n"),
		wfNot("on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"),
	},
	"pipelines/curl-pipe-shell": {
		wf(job("push", "      - run: curl -fsSL https://get.example.com/install.sh | bash\n")),
		act(composite("    - run: wget -qO- https://get.example.com/i.sh | sudo sh\n      shell: bash\n")),
		gl("build:\n  image: alpine:3.20@sha256:" + sha + sha[:24] + "\n  script:\n    - curl -s https://get.example.com/i.sh | sh\n"),
		wfNot(job("push", "      - run: |\n          curl -fsSLo install.sh https://get.example.com/install.sh\n"+
			"          echo \"abc123  install.sh\" | sha256sum -c\n          bash install.sh\n")),
		glNot("build:\n  image: alpine:3.20@sha256:" + sha + sha[:24] + "\n  script:\n    - curl -s https://example.com/data.json | jq .\n"),
	},
	"pipelines/gitlab-unpinned-image": {
		gl("build:\n  image: node\n  script:\n    - npm test\n"),
		gl("build:\n  image: node:20\n  script:\n    - npm test\n"),
		glNot("build:\n  image: node:20@sha256:" + sha + sha[:24] + "\n  script:\n    - npm test\n"),
		glNot("build:\n  script:\n    - npm test\n"),
	},
	"pipelines/gitlab-remote-include": {
		gl("include:\n  - remote: https://example.com/ci/templates.yml\n"),
		gl("include:\n  - project: group/ci-templates\n    file: /build.yml\n"),
		glNot("include:\n  - local: ci/build.yml\n"),
		glNot("include:\n  - project: group/ci-templates\n    ref: " + sha + "\n    file: /build.yml\n"),
	},
	"pipelines/gitlab-secret-echo": {
		gl("deploy:\n  script:\n    - echo \"token is $DEPLOY_TOKEN\"\n"),
		glNot("deploy:\n  script:\n    - echo \"$REGISTRY_PASSWORD\" | docker login -u ci --password-stdin registry.example.com\n"),
		glNot("deploy:\n  script:\n    - echo \"deploying $CI_COMMIT_SHORT_SHA\"\n"),
	},
	"pipelines/gitlab-dind-no-tls": {
		gl("build:\n  services:\n    - docker:24.0.7-dind@sha256:" + sha + sha[:24] + "\n  variables:\n" +
			"    DOCKER_TLS_CERTDIR: \"\"\n  script:\n    - docker build .\n"),
		glNot("build:\n  services:\n    - docker:24.0.7-dind@sha256:" + sha + sha[:24] + "\n  variables:\n" +
			"    DOCKER_TLS_CERTDIR: \"/certs\"\n    DOCKER_HOST: tcp://docker:2376\n  script:\n    - docker build .\n"),
	},
	"pipelines/gitlab-untrusted-variable": {
		gl("lint:\n  script:\n    - git log $CI_COMMIT_REF_NAME\n"),
		gl("lint:\n  script:\n    - eval \"echo $CI_MERGE_REQUEST_TITLE\"\n"),
		glNot("lint:\n  script:\n    - git log \"$CI_COMMIT_REF_NAME\"\n"),
		glNot("lint:\n  script:\n    - echo '$CI_MERGE_REQUEST_TITLE'\n"),
	},
}

// TestRuleSamples runs every rule's samples through the shared harness:
// each rule is listed well formed and fires on its positives only.
func TestRuleSamples(t *testing.T) {
	scannertest.CheckRules(t, pipelines.New(), ruleSamples)
}

// TestEveryFindingListed scans the fixtures and the GitHub Actions corpus
// (the full one, or the subset in testdata/) and checks every rule id
// reported is in Rules() and explained.
func TestEveryFindingListed(t *testing.T) {
	s := pipelines.New()
	var all []scanners.Finding
	for _, f := range fixtures(t) {
		fs, _ := scanWhole(t, f.scanPath, f.src, &fakeResolver{})
		all = append(all, fs...)
	}
	root := scannertest.Data(t).Dir
	files := 0
	for _, dir := range []string{"iac/github-actions", "iac/kics/cicd/github", "iac/kics-upstream/cicd/github"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || (!strings.HasSuffix(p, ".yml") && !strings.HasSuffix(p, ".yaml")) {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			fs, _ := scanWhole(t, workflowPath(p), src, &fakeResolver{})
			all = append(all, fs...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	perRule := map[string]int{}
	for _, f := range all {
		perRule[f.RuleID]++
	}
	if files == 0 || len(perRule) < 10 {
		t.Fatalf("%d corpus files, findings of %d rules: the fixtures or the corpus are missing", files, len(perRule))
	}
	scannertest.CheckListed(t, s, all)
	for id, n := range perRule {
		if d, ok := s.Explain(id); !ok || d.Description == "" || d.Fix == "" {
			t.Errorf("%s (%d findings) is not explained: %+v", id, n, d)
		}
	}
	t.Logf("%d findings of %d rules over the fixtures and %d corpus files", len(all), len(perRule), files)
}

// TestExplain answers for every listed rule from Rules() and for no other.
func TestExplain(t *testing.T) {
	s := pipelines.New()
	for _, r := range s.Rules() {
		d, ok := s.Explain(r.ID)
		if !ok || d.ID != r.ID || d.Title != r.Title || d.Description != r.Why || d.Fix != r.Fix ||
			d.Severity != r.Severity || len(d.References) != len(r.References) {
			t.Errorf("Explain(%q) = %+v, %v; want the rule %+v", r.ID, d, ok, r)
		}
		if len(r.FileTypes) == 0 {
			t.Errorf("%s names no file type", r.ID)
		}
	}
	for _, id := range []string{"pipelines/no-such-rule", "iac/k8s-run-as-root", ""} {
		if _, ok := s.Explain(id); ok {
			t.Errorf("Explain(%q) answered", id)
		}
	}
	d, ok := scanners.Explain([]scanners.Scanner{s}, "pipelines/script-injection")
	if !ok || d.Title != "Untrusted input interpolated into a script" {
		t.Errorf("scanners.Explain: %+v, %v", d, ok)
	}
}
