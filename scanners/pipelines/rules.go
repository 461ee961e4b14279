package pipelines

import "github.com/shiftward/shiftward/scanners"

// rule is the static part of a finding: what is wrong, in general, and where
// to read about it. The message of each finding explains the instance.
type rule struct {
	id       string // without the "pipelines/" prefix
	severity scanners.Severity
	title    string
	refs     []string
}

// Reference documents, cited by the rules.
const (
	refHardening   = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions"
	refInjection   = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections"
	refThirdParty  = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions"
	refPermissions = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token"
	refPwnRequest  = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"
	refSelfHosted  = "https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security"
	refReusable    = "https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-inputs-and-secrets-to-a-reusable-workflow"
	refGLInclude   = "https://docs.gitlab.com/ci/yaml/includes/"
	refGLImage     = "https://docs.gitlab.com/ci/yaml/#image"
	refGLDind      = "https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker"
	refGLVariables = "https://docs.gitlab.com/ci/variables/#cicd-variable-security"
	refGLPipeline  = "https://docs.gitlab.com/ci/pipeline_security/"
)

// The rules. Ids are stable: they name findings in suppressions and in
// fingerprints, so a rule may be reworded but never renamed.
var (
	ruleScriptInjection = &rule{"script-injection", scanners.SeverityHigh,
		"Untrusted input interpolated into a script",
		[]string{"CWE-94", "CWE-78", refInjection, "https://securitylab.github.com/resources/github-actions-untrusted-input/"}}
	ruleUntrustedCheckout = &rule{"untrusted-checkout", scanners.SeverityCritical,
		"Privileged workflow checks out pull request code",
		[]string{"CWE-829", "CWE-94", refPwnRequest, refHardening}}
	ruleUnpinnedAction = &rule{"unpinned-action", scanners.SeverityMedium,
		"Action not pinned to a full commit SHA",
		[]string{"CWE-829", "CWE-494", refThirdParty, "CIS Software Supply Chain Security Guide 2.3.8"}}
	ruleExcessivePermissions = &rule{"excessive-permissions", scanners.SeverityMedium,
		"GITHUB_TOKEN granted every write permission",
		[]string{"CWE-250", "CWE-272", refPermissions, refHardening}}
	ruleMissingPermissions = &rule{"missing-permissions", scanners.SeverityLow,
		"Workflow has no top-level permissions",
		[]string{"CWE-250", refPermissions, "CIS Software Supply Chain Security Guide 1.5.2"}}
	ruleSecretsToUnpinned = &rule{"secrets-to-unpinned-action", scanners.SeverityHigh,
		"Secret passed to an unpinned third-party action",
		[]string{"CWE-829", "CWE-522", refThirdParty}}
	ruleSecretsInherit = &rule{"secrets-inherit", scanners.SeverityMedium,
		"Every secret inherited by another repository's workflow",
		[]string{"CWE-522", "CWE-829", refReusable}}
	ruleSelfHostedPR = &rule{"self-hosted-pr", scanners.SeverityMedium,
		"Self-hosted runner runs pull request code",
		[]string{"CWE-829", "CWE-693", refSelfHosted}}
	ruleCurlPipeShell = &rule{"curl-pipe-shell", scanners.SeverityMedium,
		"Remote script piped into a shell",
		[]string{"CWE-494", "CWE-829", refGLPipeline}}

	ruleGLUnpinnedImage = &rule{"gitlab-unpinned-image", scanners.SeverityMedium,
		"CI image not pinned",
		[]string{"CWE-829", "CWE-494", refGLImage, "CIS Docker Benchmark 4.7"}}
	ruleGLRemoteInclude = &rule{"gitlab-remote-include", scanners.SeverityMedium,
		"CI configuration included from a mutable source",
		[]string{"CWE-829", "CWE-494", refGLInclude}}
	ruleGLSecretEcho = &rule{"gitlab-secret-echo", scanners.SeverityHigh,
		"Secret printed to the job log",
		[]string{"CWE-532", "CWE-200", refGLVariables}}
	ruleGLDindNoTLS = &rule{"gitlab-dind-no-tls", scanners.SeverityMedium,
		"Docker-in-Docker daemon without TLS",
		[]string{"CWE-319", "CWE-306", refGLDind, "CIS Docker Benchmark 2.6"}}
	ruleGLUntrustedVariable = &rule{"gitlab-untrusted-variable", scanners.SeverityHigh,
		"Merge request text used unsafely in a script",
		[]string{"CWE-78", "CWE-88", refGLPipeline, refGLVariables}}
)

// Rules lists every rule id this scanner reports, for documentation and
// configuration validation.
func Rules() []string {
	all := []*rule{ruleScriptInjection, ruleUntrustedCheckout, ruleUnpinnedAction, ruleExcessivePermissions,
		ruleMissingPermissions, ruleSecretsToUnpinned, ruleSecretsInherit, ruleSelfHostedPR, ruleCurlPipeShell,
		ruleGLUnpinnedImage, ruleGLRemoteInclude, ruleGLSecretEcho, ruleGLDindNoTLS, ruleGLUntrustedVariable}
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = Name + "/" + r.id
	}
	return ids
}
