package iac

import (
	"sort"

	"github.com/shiftward/shiftward/scanners"
)

// Rule describes one check. Its ID is stable across releases.
type Rule struct {
	// ID is "iac/<file type>-<what>", e.g. "iac/k8s-privileged".
	ID       string
	Severity scanners.Severity
	// Title is static ("Container runs privileged").
	Title string
	// Why explains the risk; it ends every finding's message.
	Why string
	// References are CWE and CIS ids and documentation URLs.
	References []string
}

var allRules []*Rule

func rule(id string, sev scanners.Severity, title, why string, refs ...string) *Rule {
	r := &Rule{ID: Name + "/" + id, Severity: sev, Title: title, Why: why, References: refs}
	allRules = append(allRules, r)
	return r
}

// Rules returns every rule the scanner has, sorted by id.
func Rules() []Rule {
	out := make([]Rule, len(allRules))
	for i, r := range allRules {
		out[i] = *r
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

const (
	cisDocker = "CIS Docker Benchmark"
	cisK8s    = "CIS Kubernetes Benchmark"
	cisAWS    = "CIS AWS Foundations Benchmark"
	pss       = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
)

// Dockerfile rules.
var (
	ruleDockerRootUser = rule("dockerfile-root-user", scanners.SeverityHigh,
		"Container runs as root",
		"A process that runs as root inside the container is root on the host's kernel too: one escape bug or a "+
			"mounted host path and the attacker owns the node. Switch to an unprivileged user before the image's command runs.",
		"CWE-250", cisDocker+" 4.1", "https://docs.docker.com/reference/dockerfile/#user")
	ruleDockerLatest = rule("dockerfile-latest-tag", scanners.SeverityMedium,
		"Base image uses latest or no tag",
		"An untagged or `latest` base image changes under you: every build may pull a different image, with "+
			"different packages and vulnerabilities, and a compromised upstream push reaches you at once. Pin a version tag (and ideally a digest).",
		"CWE-1357", cisDocker+" 4.2")
	ruleDockerDigest = rule("dockerfile-image-no-digest", scanners.SeverityLow,
		"Base image not pinned by digest",
		"A tag can be moved to other content by whoever controls the registry; only a digest (`@sha256:…`) "+
			"names exactly the image you reviewed.",
		"CWE-1357", cisDocker+" 4.2")
	ruleDockerAddRemote = rule("dockerfile-add-remote", scanners.SeverityMedium,
		"ADD downloads a remote URL",
		"`ADD <url>` fetches content at build time without checking its integrity, and the download stays in a layer. "+
			"Download with curl or wget in a RUN step that verifies a checksum, or COPY a vendored file.",
		"CWE-494", cisDocker+" 4.9")
	ruleDockerCurlPipe = rule("dockerfile-curl-pipe-shell", scanners.SeverityHigh,
		"Remote script piped into a shell",
		"Piping a download straight into a shell runs whatever the server (or anyone on the path) sends, with no "+
			"checksum and no review. Download to a file, verify its checksum or signature, then run it.",
		"CWE-494", "CWE-829")
	ruleDockerSecret = rule("dockerfile-secret-in-env", scanners.SeverityHigh,
		"Secret in ENV or ARG",
		"Values of ENV and ARG are stored in the image's metadata and history (`docker history` shows them) for "+
			"everyone who can pull the image, and the value is now in git history: rotate it and pass it with a build secret "+
			"(`RUN --mount=type=secret`) or at run time.",
		"CWE-798", "CWE-538", cisDocker+" 4.10")
	ruleDockerSudo = rule("dockerfile-sudo", scanners.SeverityMedium,
		"RUN uses sudo",
		"sudo in a Dockerfile means the image ships a sudo setup an attacker can reuse to regain root, and its "+
			"behaviour (TTY, environment) is unpredictable in builds. Run the step as root with a USER switch around it instead.",
		"CWE-250", cisDocker+" 4.1")
	rulePkgCleanup = rule("dockerfile-package-cache", scanners.SeverityLow,
		"Package manager cache left in the image",
		"The package index and download cache stay in the layer: a bigger image with stale metadata that scanners "+
			"and attackers can read. Clean it in the same RUN step (or use the manager's no-cache flag).",
		"CWE-1104")
	rulePkgUnpinned = rule("dockerfile-package-unpinned", scanners.SeverityLow,
		"Package installed without a pinned version",
		"Without a version every build may install a different release, so a vulnerable or compromised version "+
			"can arrive without any change to the Dockerfile. Pin the version.",
		"CWE-1357", "CWE-494")
	ruleDockerChmod777 = rule("dockerfile-chmod-777", scanners.SeverityMedium,
		"World-writable permissions (chmod 777)",
		"A world-writable file or directory can be replaced by any user or process in the container, which turns a "+
			"small foothold into code execution as the file's owner. Grant only what the owner needs.",
		"CWE-732")
	ruleDockerSSH = rule("dockerfile-expose-ssh", scanners.SeverityMedium,
		"Image exposes SSH (port 22)",
		"An SSH server in a container is another service to patch and another credential to leak; use `docker exec` "+
			"or `kubectl exec` for access instead.",
		"CWE-284", cisDocker+" 4.8")
)

// Kubernetes rules.
var (
	ruleK8sPrivileged = rule("k8s-privileged", scanners.SeverityHigh,
		"Container runs privileged",
		"A privileged container has every capability and all host devices: it is root on the node, and any "+
			"compromise of it is a compromise of the node and its other pods.",
		"CWE-250", cisK8s+" 5.2.2", pss)
	ruleK8sEscalation = rule("k8s-privilege-escalation", scanners.SeverityMedium,
		"Privilege escalation not disabled",
		"Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid "+
			"binaries, file capabilities), so a foothold in the container can become root in it.",
		"CWE-250", cisK8s+" 5.2.6", pss)
	ruleK8sRoot = rule("k8s-run-as-root", scanners.SeverityMedium,
		"Container may run as root",
		"Without runAsNonRoot (or a non-zero runAsUser) the container runs as whatever user the image says, "+
			"usually root, which makes a container escape far more damaging.",
		"CWE-250", cisK8s+" 5.2.7", pss)
	ruleK8sCapAdd = rule("k8s-capabilities-added", scanners.SeverityMedium,
		"Container adds Linux capabilities",
		"Each added capability hands the container a slice of root (SYS_ADMIN is nearly all of it); only add one "+
			"the workload provably needs.",
		"CWE-250", cisK8s+" 5.2.8", pss)
	ruleK8sCapDrop = rule("k8s-capabilities-not-dropped", scanners.SeverityLow,
		"Capabilities not dropped",
		"Containers start with a default set of capabilities (NET_RAW among them, which allows spoofing on the "+
			"pod network). Drop ALL and add back only what is needed.",
		"CWE-250", cisK8s+" 5.2.9", pss)
	ruleK8sHostNS = rule("k8s-host-namespace", scanners.SeverityHigh,
		"Pod shares a host namespace",
		"Sharing the host's network, PID or IPC namespace lets the pod see and reach the node's processes, traffic "+
			"and shared memory, which breaks the isolation between the pod and the node.",
		"CWE-668", cisK8s+" 5.2.3", pss)
	ruleK8sHostPath = rule("k8s-host-path", scanners.SeverityMedium,
		"hostPath volume",
		"A hostPath volume exposes the node's filesystem to the pod; a writable one (or the container runtime "+
			"socket) is enough to take over the node.",
		"CWE-668", cisK8s+" 5.2.12", pss)
	ruleK8sRootFS = rule("k8s-writable-root-fs", scanners.SeverityLow,
		"Root filesystem is writable",
		"A writable root filesystem lets an attacker drop tools and modify binaries in the running container. Set "+
			"readOnlyRootFilesystem and mount an emptyDir where the app must write.",
		"CWE-732", cisK8s+" 5.7.3")
	ruleK8sLimits = rule("k8s-missing-limits", scanners.SeverityLow,
		"Container has no resource limits",
		"Without CPU and memory limits one container can starve every other pod on its node (a denial of service, "+
			"accidental or not).",
		"CWE-770", cisK8s+" 5.7.1")
	ruleK8sLatest = rule("k8s-latest-tag", scanners.SeverityMedium,
		"Image uses latest or no tag",
		"A `latest` or untagged image is whatever was pushed last: pods of one workload may run different code, "+
			"and rollbacks do not roll back. Pin a version tag or a digest.",
		"CWE-1357", cisK8s+" 5.5.1")
	ruleK8sSecretEnv = rule("k8s-secret-env-literal", scanners.SeverityHigh,
		"Secret as a literal environment value",
		"A literal in the manifest is readable by anyone who can read the workload (and is now in git history): "+
			"rotate it, store it in a Secret and reference it with valueFrom.secretKeyRef.",
		"CWE-798", cisK8s+" 5.4.1")
	ruleK8sAutomount = rule("k8s-sa-token-automount", scanners.SeverityLow,
		"Service account token mounted automatically",
		"Every pod gets an API token unless automountServiceAccountToken is false; a compromised container can then "+
			"call the Kubernetes API with its service account's rights.",
		"CWE-522", cisK8s+" 5.1.6")
	ruleK8sRBACWildcard = rule("k8s-rbac-wildcard", scanners.SeverityHigh,
		"RBAC rule uses a wildcard",
		"A `*` in verbs, resources or API groups grants every current and future permission of that kind, including ones "+
			"added by later CRDs; list the verbs and resources the subject needs.",
		"CWE-269", cisK8s+" 5.1.3")
)

// Terraform rules.
var (
	ruleTFS3PublicACL = rule("tf-s3-public-acl", scanners.SeverityHigh,
		"S3 bucket ACL grants public access",
		"A public-read or public-read-write canned ACL lets anyone on the internet list or read (or write) the "+
			"bucket's objects; public buckets are the most common cause of cloud data leaks.",
		"CWE-732", cisAWS+" 2.1.5")
	ruleTFS3PublicBlock = rule("tf-s3-public-access-block", scanners.SeverityHigh,
		"S3 public access block disabled",
		"With any of the four public access block settings off, a single ACL or bucket policy is enough to make "+
			"data public. Keep all four true.",
		"CWE-732", cisAWS+" 2.1.5")
	ruleTFUnencrypted = rule("tf-unencrypted-storage", scanners.SeverityHigh,
		"Storage or database not encrypted at rest",
		"Data at rest without encryption is readable from snapshots, backups and retired disks, and fails most "+
			"compliance baselines; encryption at rest costs nothing noticeable.",
		"CWE-311", cisAWS+" 2.2.1", cisAWS+" 2.3.1")
	ruleTFOpenAdmin = rule("tf-open-admin-port", scanners.SeverityHigh,
		"Admin port open to the internet",
		"SSH, RDP and other admin ports open to 0.0.0.0/0 are scanned and brute-forced within minutes of going "+
			"up; restrict the source to a VPN, a bastion or a known range.",
		"CWE-284", cisAWS+" 5.2", cisAWS+" 5.3")
	ruleTFIAMWildcard = rule("tf-iam-wildcard", scanners.SeverityHigh,
		"IAM policy allows all actions",
		"An Allow of `*` actions grants every permission of the account (or service), including creating new "+
			"credentials: whoever holds it is an administrator. Grant the specific actions and resources needed.",
		"CWE-269", cisAWS+" 1.16")
	ruleTFPublicDB = rule("tf-public-database", scanners.SeverityHigh,
		"Database publicly accessible",
		"A database reachable from the internet is exposed to credential stuffing and to every unpatched "+
			"vulnerability of its engine; keep it in private subnets.",
		"CWE-284", cisAWS+" 2.3.3")
	ruleTFLogging = rule("tf-logging-disabled", scanners.SeverityMedium,
		"Logging disabled",
		"With logging off, an intrusion or a data leak leaves no trace to detect or investigate it.",
		"CWE-778", cisAWS+" 3.1")
	ruleTFVersioning = rule("tf-versioning-disabled", scanners.SeverityLow,
		"Bucket versioning disabled",
		"Without versioning an overwrite or delete (by mistake, by ransomware) destroys the data for good.",
		"CWE-693", cisAWS+" 2.1.3")
	ruleTFProviderCreds = rule("tf-provider-credentials", scanners.SeverityCritical,
		"Credentials hard-coded in a provider",
		"Cloud credentials in a Terraform file are in git history for everyone with read access: revoke them now. "+
			"Providers read credentials from the environment, a shared credentials file or an assumed role; leave them out of code.",
		"CWE-798", cisAWS+" 1.4")
	ruleTFPublicStorage = rule("tf-public-storage", scanners.SeverityHigh,
		"Storage open to the public",
		"Granting allUsers or allAuthenticatedUsers (or allowing anonymous blob access) publishes the data to the "+
			"whole internet.",
		"CWE-732")
)
