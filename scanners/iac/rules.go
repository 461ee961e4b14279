package iac

import (
	"sort"
	"strings"

	"github.com/shiftward/shiftward/scanners"
)

var (
	_ scanners.RuleLister = (*Scanner)(nil)
	_ scanners.Explainer  = (*Scanner)(nil)
)

// allRules holds every rule in the order defined; hits point at them.
var allRules []*scanners.Rule

// rule defines a rule: its id is "iac/<id>", and the prefix of id names the
// file type it reads (dockerfile-, k8s-, tf-). fix says how to resolve a
// finding and what shiftward's suggestion does, when it offers one.
func rule(id string, sev scanners.Severity, title, why, fix string, refs ...string) *scanners.Rule {
	r := &scanners.Rule{ID: Name + "/" + id, Severity: sev, Title: title, Why: why, Fix: fix, References: refs,
		FileTypes: fileTypes(id)}
	allRules = append(allRules, r)
	return r
}

// fileTypes names the file type a rule id's prefix stands for.
func fileTypes(id string) []string {
	switch {
	case strings.HasPrefix(id, "dockerfile-"):
		return []string{"Dockerfile"}
	case strings.HasPrefix(id, "k8s-"):
		return []string{"Kubernetes manifest"}
	case strings.HasPrefix(id, "tf-"):
		return []string{"Terraform"}
	case strings.HasPrefix(id, "cfn-"):
		return []string{"CloudFormation template"}
	case strings.HasPrefix(id, "compose-"):
		return []string{"Docker Compose file"}
	}
	panic("iac: rule " + id + " names no file type")
}

// Rules lists every rule the scanner can report, sorted by id. The slices
// are copies: a caller may change them.
func (s *Scanner) Rules() []scanners.Rule {
	out := make([]scanners.Rule, 0, len(allRules))
	seen := map[string]bool{}
	add := func(r *scanners.Rule) {
		if seen[r.ID] {
			return
		}
		seen[r.ID] = true
		c := *r
		c.References = append([]string(nil), r.References...)
		c.FileTypes = append([]string(nil), r.FileTypes...)
		out = append(out, c)
	}
	// The data checks' rules first, as when they were loaded at init; a
	// repository's own checks (WithChecks) are explained like the
	// built-in ones.
	for _, cs := range dataChecks() {
		for _, c := range cs {
			add(c.rule)
		}
	}
	for _, r := range allRules {
		add(r)
	}
	for _, cs := range s.checks {
		for _, c := range cs {
			add(c.rule)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Explain describes a rule by id ("iac/k8s-run-as-root"), for `/shiftward
// explain`; it reads Rules.
func (s *Scanner) Explain(ruleID string) (scanners.RuleDoc, bool) {
	return scanners.ExplainFrom(s.Rules(), ruleID)
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
		"Add `USER` with an unprivileged user (a numeric uid needs no /etc/passwd entry) at the end of the final stage, after the steps that need root. shiftward's suggestion adds `USER 10001`, before CMD/ENTRYPOINT when nothing after them changes the image, else at the end of the final stage.",
		"CWE-250", cisDocker+" 4.1", "https://docs.docker.com/reference/dockerfile/#user")
	ruleDockerLatest = rule("dockerfile-latest-tag", scanners.SeverityMedium,
		"Base image uses latest or no tag",
		"An untagged or `latest` base image changes under you: every build may pull a different image, with "+
			"different packages and vulnerabilities, and a compromised upstream push reaches you at once. Pin a version tag (and ideally a digest).",
		"Pin the base image to a version tag (`FROM node:22.11-alpine`), and better to a digest (`FROM node:22.11-alpine@sha256:…`); let a dependency bot move the pin.",
		"CWE-1357", cisDocker+" 4.2", "https://docs.docker.com/reference/dockerfile/#from")
	ruleDockerDigest = rule("dockerfile-image-no-digest", scanners.SeverityLow,
		"Base image not pinned by digest",
		"A tag can be moved to other content by whoever controls the registry; only a digest (`@sha256:…`) "+
			"names exactly the image you reviewed.",
		"Append the digest of the image you reviewed to the tag (`FROM alpine:3.20@sha256:…`, from `docker buildx imagetools inspect`), and let a dependency bot update it.",
		"CWE-1357", cisDocker+" 4.2", "https://docs.docker.com/reference/dockerfile/#from")
	ruleDockerAddRemote = rule("dockerfile-add-remote", scanners.SeverityMedium,
		"ADD downloads a remote URL",
		"`ADD <url>` fetches content at build time without checking its integrity, and the download stays in a layer. "+
			"Download with curl or wget in a RUN step that verifies a checksum, or COPY a vendored file.",
		"Use `ADD --checksum=sha256:…` for a file, pin a git source to a commit, or download in a RUN step that verifies a checksum; COPY vendored files.",
		"CWE-494", cisDocker+" 4.9", "https://docs.docker.com/reference/dockerfile/#add")
	ruleDockerCurlPipe = rule("dockerfile-curl-pipe-shell", scanners.SeverityHigh,
		"Remote script piped into a shell",
		"Piping a download straight into a shell runs whatever the server (or anyone on the path) sends, with no "+
			"checksum and no review. Download to a file, verify its checksum or signature, then run it.",
		"Download the script to a file, check its checksum or signature (`sha256sum -c`), then run it; better, install a pinned package or release artifact.",
		"CWE-494", "CWE-829", cisDocker+" 4.11", "https://docs.docker.com/reference/dockerfile/#run")
	ruleDockerSecret = rule("dockerfile-secret-in-env", scanners.SeverityHigh,
		"Secret in ENV or ARG",
		"Values of ENV and ARG are stored in the image's metadata and history (`docker history` shows them) for "+
			"everyone who can pull the image, and the value is now in git history: rotate it and pass it with a build secret "+
			"(`RUN --mount=type=secret`) or at run time.",
		"Rotate the value, remove it from ENV/ARG and mount it at build time with `RUN --mount=type=secret` (or pass it at run time). shiftward's suggestion declares an ARG without its default.",
		"CWE-798", "CWE-538", cisDocker+" 4.10", "https://docs.docker.com/build/building/secrets/")
	ruleDockerSudo = rule("dockerfile-sudo", scanners.SeverityMedium,
		"RUN uses sudo",
		"sudo in a Dockerfile means the image ships a sudo setup an attacker can reuse to regain root, and its "+
			"behaviour (TTY, environment) is unpredictable in builds. Run the step as root with a USER switch around it instead.",
		"Drop sudo: run the step while the image is still root (before `USER`), or switch `USER root` and back around it.",
		"CWE-250", cisDocker+" 4.1", "https://docs.docker.com/reference/dockerfile/#user")
	rulePkgCleanup = rule("dockerfile-package-cache", scanners.SeverityLow,
		"Package manager cache left in the image",
		"The package index and download cache stay in the layer: a bigger image with stale metadata that scanners "+
			"and attackers can read. Clean it in the same RUN step (or use the manager's no-cache flag).",
		"Clean the cache in the same RUN step (`rm -rf /var/lib/apt/lists/*`, `yum clean all`, `apk add --no-cache`), or use a BuildKit cache mount. Where the RUN step ends on a plain line, shiftward's suggestion appends the manager's clean command to it.",
		"CWE-1104", "https://docs.docker.com/build/building/best-practices/#apt-get")
	rulePkgUnpinned = rule("dockerfile-package-unpinned", scanners.SeverityLow,
		"Package installed without a pinned version",
		"Without a version every build may install a different release, so a vulnerable or compromised version "+
			"can arrive without any change to the Dockerfile. Pin the version.",
		"Pin each package to a version (`curl=8.5.0-2`, `requests==2.32.3`, `typescript@5.6.2`, `gem install rails -v 7.1.3`, `go install tool@v1.2.3`), or install from a lock or requirements file.",
		"CWE-1357", "CWE-494", "https://docs.docker.com/build/building/best-practices/#apt-get")
	ruleDockerChmod777 = rule("dockerfile-chmod-777", scanners.SeverityMedium,
		"World-writable permissions (chmod 777)",
		"A world-writable file or directory can be replaced by any user or process in the container, which turns a "+
			"small foothold into code execution as the file's owner. Grant only what the owner needs.",
		"Grant the least mode that works (`chmod 755` for directories, `644` for files) and give ownership to the runtime user with `COPY --chown` instead of opening the file to everyone.",
		"CWE-732")
	ruleDockerSSH = rule("dockerfile-expose-ssh", scanners.SeverityMedium,
		"Image exposes SSH (port 22)",
		"An SSH server in a container is another service to patch and another credential to leak; use `docker exec` "+
			"or `kubectl exec` for access instead.",
		"Remove port 22 from EXPOSE and the SSH server from the image; use `docker exec` or `kubectl exec`. shiftward's suggestion removes 22 from the EXPOSE line (the line when 22 is its only port).",
		"CWE-284", "https://docs.docker.com/reference/dockerfile/#expose")
)

// Kubernetes rules.
var (
	ruleK8sPrivileged = rule("k8s-privileged", scanners.SeverityHigh,
		"Container runs privileged",
		"A privileged container has every capability and all host devices: it is root on the node, and any "+
			"compromise of it is a compromise of the node and its other pods.",
		"Set `securityContext.privileged: false` (or remove it) and grant only the capabilities the workload needs. shiftward's suggestion sets it to false.",
		"CWE-250", cisK8s+" 5.2.2", pss, "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
	ruleK8sEscalation = rule("k8s-privilege-escalation", scanners.SeverityMedium,
		"Privilege escalation not disabled",
		"Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid "+
			"binaries, file capabilities), so a foothold in the container can become root in it.",
		"Set `securityContext.allowPrivilegeEscalation: false` on every container. shiftward's suggestion sets or adds it.",
		"CWE-250", cisK8s+" 5.2.6", pss, "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
	ruleK8sRoot = rule("k8s-run-as-root", scanners.SeverityMedium,
		"Container may run as root",
		"Without runAsNonRoot (or a non-zero runAsUser) the container runs as whatever user the image says, "+
			"usually root, which makes a container escape far more damaging.",
		"Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser` when the image has no non-root user). shiftward's suggestion sets or adds `runAsNonRoot: true`.",
		"CWE-250", cisK8s+" 5.2.7", pss, "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
	ruleK8sCapAdd = rule("k8s-capabilities-added", scanners.SeverityMedium,
		"Container adds Linux capabilities",
		"Each added capability hands the container a slice of root (SYS_ADMIN is nearly all of it); only add one "+
			"the workload provably needs.",
		"Remove the capabilities the workload does not provably need from `securityContext.capabilities.add`; NET_BIND_SERVICE is the usual only exception.",
		"CWE-250", cisK8s+" 5.2.9", pss, "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container")
	ruleK8sCapDrop = rule("k8s-capabilities-not-dropped", scanners.SeverityLow,
		"Capabilities not dropped",
		"Containers start with a default set of capabilities (NET_RAW among them, which allows spoofing on the "+
			"pod network). Drop ALL and add back only what is needed.",
		"Set `securityContext.capabilities.drop: [\"ALL\"]` and add back only what is needed. shiftward's suggestion adds ALL to the drop list.",
		"CWE-250", cisK8s+" 5.2.8", cisK8s+" 5.2.10", pss, "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container")
	ruleK8sHostNS = rule("k8s-host-namespace", scanners.SeverityHigh,
		"Pod shares a host namespace",
		"Sharing the host's network, PID or IPC namespace lets the pod see and reach the node's processes, traffic "+
			"and shared memory, which breaks the isolation between the pod and the node.",
		"Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them false); expose ports through a Service instead. shiftward's suggestion sets the field to false.",
		"CWE-668", cisK8s+" 5.2.3", cisK8s+" 5.2.4", cisK8s+" 5.2.5", pss)
	ruleK8sHostPath = rule("k8s-host-path", scanners.SeverityMedium,
		"hostPath volume",
		"A hostPath volume exposes the node's filesystem to the pod; a writable one (or the container runtime "+
			"socket) is enough to take over the node.",
		"Use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead; if a host path is unavoidable, mount it `readOnly: true` and never the container runtime socket.",
		"CWE-668", cisK8s+" 5.2.12", pss, "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath")
	ruleK8sRootFS = rule("k8s-writable-root-fs", scanners.SeverityLow,
		"Root filesystem is writable",
		"A writable root filesystem lets an attacker drop tools and modify binaries in the running container. Set "+
			"readOnlyRootFilesystem and mount an emptyDir where the app must write.",
		"Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the app writes. shiftward's suggestion sets or adds it.",
		"CWE-732", cisK8s+" 5.7.3", "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
	ruleK8sLimits = rule("k8s-missing-limits", scanners.SeverityLow,
		"Container has no resource limits",
		"Without CPU and memory limits one container can starve every other pod on its node (a denial of service, "+
			"accidental or not).",
		"Set `resources.limits.cpu` and `resources.limits.memory` on every container (or a LimitRange in the namespace).",
		"CWE-770", "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/")
	ruleK8sLatest = rule("k8s-latest-tag", scanners.SeverityMedium,
		"Image uses latest or no tag",
		"A `latest` or untagged image is whatever was pushed last: pods of one workload may run different code, "+
			"and rollbacks do not roll back. Pin a version tag or a digest.",
		"Pin the image to a version tag or a digest (`image: nginx:1.27.2@sha256:…`).",
		"CWE-1357", cisK8s+" 5.5.1", "https://kubernetes.io/docs/concepts/containers/images/")
	ruleK8sSecretEnv = rule("k8s-secret-env-literal", scanners.SeverityHigh,
		"Secret as a literal environment value",
		"A literal in the manifest is readable by anyone who can read the workload (and is now in git history): "+
			"rotate it, store it in a Secret and reference it with valueFrom.secretKeyRef.",
		"Rotate the value, store it in a Secret and reference it with `valueFrom.secretKeyRef` (or mount the Secret as a file).",
		"CWE-798", cisK8s+" 5.4.1", "https://kubernetes.io/docs/concepts/configuration/secret/")
	ruleK8sAutomount = rule("k8s-sa-token-automount", scanners.SeverityLow,
		"Service account token mounted automatically",
		"Every pod gets an API token unless automountServiceAccountToken is false; a compromised container can then "+
			"call the Kubernetes API with its service account's rights.",
		"Set `automountServiceAccountToken: false` on the pod (or its service account) unless it calls the Kubernetes API. shiftward's suggestion sets or adds it.",
		"CWE-522", cisK8s+" 5.1.6", "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/")
	ruleK8sRBACWildcard = rule("k8s-rbac-wildcard", scanners.SeverityHigh,
		"RBAC rule uses a wildcard",
		"A `*` in verbs, resources or API groups grants every current and future permission of that kind, including ones "+
			"added by later CRDs; list the verbs and resources the subject needs.",
		"List the exact API groups, resources and verbs the subject needs instead of `*`.",
		"CWE-269", cisK8s+" 5.1.3", "https://kubernetes.io/docs/concepts/security/rbac-good-practices/")
	ruleK8sSystemMount = rule("k8s-writable-system-mount", scanners.SeverityMedium,
		"Volume mounted writable over a system directory",
		"A writable volume mounted over /etc, /bin, /usr, /lib, /proc or another system directory lets whoever "+
			"writes to the volume replace the container's binaries, libraries or configuration.",
		"Mount the volume elsewhere, or set `readOnly: true` on the volumeMount.",
		"CWE-732", "https://kubernetes.io/docs/concepts/storage/volumes/")
	ruleK8sAppArmorAnnotation = rule("k8s-apparmor-annotation-unconfined", scanners.SeverityMedium,
		"AppArmor turned off by annotation",
		"`container.apparmor.security.beta.kubernetes.io/<container>: unconfined` removes the runtime's default "+
			"AppArmor profile, which blocks writes to /proc and /sys and mounts; the baseline Pod Security Standard forbids it.",
		"Set the annotation to `runtime/default` or `localhost/<profile>`, or use `securityContext.appArmorProfile` (Kubernetes 1.30+).",
		"CWE-250", pss, "https://kubernetes.io/docs/tutorials/security/apparmor/")
	ruleK8sAppArmorInvalid = rule("k8s-apparmor-annotation-invalid", scanners.SeverityLow,
		"AppArmor annotation names no profile",
		"An AppArmor annotation must be `runtime/default`, `localhost/<profile>` or `unconfined`; the API server refuses "+
			"a pod with any other value, so the workload never starts.",
		"Set the annotation to `runtime/default` (or `localhost/<profile>` for a profile loaded on the nodes). shiftward's suggestion sets `runtime/default`.",
		"CWE-1284", "https://kubernetes.io/docs/tutorials/security/apparmor/")
	ruleK8sSelectorNothing = rule("k8s-selector-matches-nothing", scanners.SeverityLow,
		"Selector matches nothing the manifest defines",
		"A Service, NetworkPolicy or ServiceMonitor whose label selector matches none of the pods (or Services) "+
			"defined beside it does nothing: a Service without endpoints, a NetworkPolicy that protects or admits no pod "+
			"(the pods it was meant for stay open), a ServiceMonitor that scrapes nothing. Judged only when the file "+
			"defines objects of the kind selected.",
		"Make the selector's labels match the pod template's (or Service's) labels, or remove the object.",
		"CWE-1188", "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
		"https://kubernetes.io/docs/concepts/services-networking/network-policies/")
	ruleK8sDanglingRef = rule("k8s-refers-to-missing-object", scanners.SeverityLow,
		"Reference to an object the manifest does not define",
		"An Ingress backend naming a Service, or an autoscaler targeting a workload, that the manifest does not define "+
			"routes or scales nothing (a typo, or an object renamed without its references). Judged only when the file "+
			"defines objects of the kind referred to.",
		"Correct the name, or add the object it refers to.",
		"CWE-1188", "https://kubernetes.io/docs/concepts/services-networking/ingress/")
	ruleK8sNotIsolated = rule("k8s-pod-not-isolated", scanners.SeverityLow,
		"Workload left out of the manifest's NetworkPolicies",
		"A manifest that defines NetworkPolicies but none that selects one of its workloads leaves that workload's pods "+
			"open to traffic from any pod in the cluster, which the policies were written to stop.",
		"Add a NetworkPolicy whose podSelector matches the workload's pod labels (or a default-deny policy with `podSelector: {}`).",
		"CWE-284", cisK8s+" 5.3.2", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies")
	ruleK8sDuplicateEnv = rule("k8s-duplicate-env", scanners.SeverityLow,
		"Environment variable defined twice",
		"When a container defines a variable twice the last definition wins: the first one, which a reviewer may read "+
			"as the value (a secret reference, a safe setting), is not what runs.",
		"Keep one definition of each variable.",
		"CWE-1284", "https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/")
	ruleK8sRemovedAPI = rule("k8s-api-version-removed", scanners.SeverityLow,
		"API version no longer served",
		"An object written in an API version Kubernetes has removed (extensions/v1beta1, policy/v1beta1, batch/v1beta1, "+
			"...) is refused by current clusters, so the change does not deploy; settings such versions defaulted "+
			"differently also change on conversion.",
		"Use the API version the message names (and its field layout).",
		"CWE-477", "https://kubernetes.io/docs/reference/using-api/deprecation-guide/")
	ruleK8sConfigMapSecret = rule("k8s-configmap-secret", scanners.SeverityHigh,
		"Secret stored in a ConfigMap",
		"A password, token or key in a ConfigMap is committed with the manifest, is not encrypted at rest, and is readable "+
			"by every role that may read configuration (and shown by `kubectl describe`).",
		"Rotate the value; move it to a Secret created outside git (External Secrets, Sealed Secrets, SOPS) and read it from there.",
		"CWE-312", "https://kubernetes.io/docs/concepts/configuration/configmap/", "https://kubernetes.io/docs/concepts/security/secrets-good-practices/")
	ruleK8sSelectorMismatch = rule("k8s-selector-mismatch", scanners.SeverityLow,
		"Workload selector does not match its pod template",
		"A Deployment, StatefulSet, DaemonSet or ReplicaSet whose selector does not match its own pod template's labels is "+
			"refused by the API server (apps/v1); older API versions and controllers take over pods they did not create.",
		"Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels`.",
		"CWE-1284", "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector")
	ruleK8sPDBBlocks = rule("k8s-pdb-blocks-eviction", scanners.SeverityLow,
		"PodDisruptionBudget allows no eviction",
		"A PodDisruptionBudget with `maxUnavailable: 0`, `minAvailable: 100%`, or a minAvailable at or above the "+
			"replicas of the workload it covers never lets a pod be evicted: node drains (and with them node upgrades and "+
			"security patches) hang until someone deletes the budget.",
		"Set `minAvailable` below the workload's replicas (or its autoscaler's minReplicas), or use `maxUnavailable: 1`.",
		"CWE-400", "https://kubernetes.io/docs/tasks/run-application/configure-pdb/")
	ruleK8sReplicasAutoscaled = rule("k8s-replicas-with-autoscaler", scanners.SeverityLow,
		"Replicas set on an autoscaled workload",
		"A workload that writes `spec.replicas` while a HorizontalPodAutoscaler (or KEDA ScaledObject) scales it is "+
			"scaled back to that number on every apply, which can cut capacity under load.",
		"Remove `spec.replicas` from the workload and let the autoscaler's `minReplicas` set the floor.",
		"CWE-400", "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling")
	ruleK8sStatefulSetService = rule("k8s-statefulset-service-not-headless", scanners.SeverityLow,
		"StatefulSet governed by a Service that is not headless",
		"A StatefulSet's serviceName must name a headless Service (`clusterIP: None`): through any other its pods get "+
			"no stable per-pod DNS names, which clustered software (databases, brokers) relies on to find its peers.",
		"Set `clusterIP: None` on the Service the StatefulSet's `serviceName` names (add a separate Service for clients).",
		"CWE-1188", "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#limitations")
	ruleK8sWorkloadIdentity = rule("k8s-workload-identity-malformed", scanners.SeverityLow,
		"Cloud workload identity annotation is malformed",
		"A ServiceAccount's `eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account` or "+
			"`azure.workload.identity/client-id` that is not a role ARN, a service account email or a client ID binds "+
			"no cloud identity: the pods' cloud calls fail, or reach for whatever credentials the node offers.",
		"Write the full IAM role ARN, Google service account email, or Azure client ID (a GUID) the pods should act as.",
		"CWE-1284", "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html",
		"https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity")
	ruleK8sProbePort = rule("k8s-probe-port-not-exposed", scanners.SeverityLow,
		"Probe checks a port the container does not expose",
		"A liveness, readiness or startup probe on a named port the container does not define (or on a number none "+
			"of its listed ports has, or on a UDP port) always fails: the pod never becomes ready, or is restarted in a loop.",
		"Point the probe at one of the container's TCP `ports` (by name or number), or add that port to the container.",
		"CWE-1188", "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/")
)

// Compose rules written in Go (the rest are data in checks/compose.yaml).
var (
	ruleComposeSecretEnv = rule("compose-secret-env-literal", scanners.SeverityHigh,
		"Secret as a literal environment value",
		"A literal in the Compose file is readable by anyone who can read the repository (and is now in git history): "+
			"rotate it and pass it in from outside.",
		"Rotate the value; read it from an `.env` file kept out of git (`${NAME}`), an `env_file`, or Compose `secrets`.",
		"CWE-798", "https://docs.docker.com/compose/how-tos/use-secrets/")
	ruleComposeSharedVolume = rule("compose-shared-volume", scanners.SeverityInfo,
		"Named volume shared by several services",
		"Services that mount the same volume, one of them writable, can change each other's files: a foothold in "+
			"one becomes files the other reads or runs, and two writers can corrupt the data.",
		"Give each service its own volume; where one service only reads what another writes, mount it read-only (`:ro`) there, or pass the data through an API.",
		"CWE-668", "https://docs.docker.com/reference/compose-file/volumes/")
)

// Terraform rules.
var (
	ruleTFS3PublicACL = rule("tf-s3-public-acl", scanners.SeverityHigh,
		"S3 bucket ACL grants public access",
		"A public-read or public-read-write canned ACL lets anyone on the internet list or read (or write) the "+
			"bucket's objects; public buckets are the most common cause of cloud data leaks.",
		"Use the `private` canned ACL (or none: disable ACLs with object ownership `BucketOwnerEnforced`) and grant access through IAM or a bucket policy for named principals. shiftward's suggestion sets the ACL to \"private\".",
		"CWE-732", cisAWS+" 2.1.5", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_acl")
	ruleTFS3PublicBlock = rule("tf-s3-public-access-block", scanners.SeverityHigh,
		"S3 public access block disabled",
		"With any of the four public access block settings off, a single ACL or bucket policy is enough to make "+
			"data public. Keep all four true.",
		"Set all four of `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` to true. shiftward's suggestion sets or adds the missing one.",
		"CWE-732", cisAWS+" 2.1.5", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html")
	ruleTFUnencrypted = rule("tf-unencrypted-storage", scanners.SeverityHigh,
		"Storage or database not encrypted at rest",
		"Data at rest without encryption is readable from snapshots, backups and retired disks, and fails most "+
			"compliance baselines; encryption at rest costs nothing noticeable.",
		"Turn encryption at rest on (`encrypted = true`, `storage_encrypted = true`, or the resource's equivalent), ideally with a customer-managed KMS key. shiftward's suggestion sets or adds the setting.",
		"CWE-311", cisAWS+" 2.2.1", cisAWS+" 2.3.1")
	ruleTFOpenAdmin = rule("tf-open-admin-port", scanners.SeverityHigh,
		"Admin port open to the internet",
		"SSH, RDP and other admin ports open to 0.0.0.0/0 are scanned and brute-forced within minutes of going "+
			"up; restrict the source to a VPN, a bastion or a known range.",
		"Restrict the rule's source to a VPN, a bastion or a known address range, or reach the hosts through a session manager instead of an open port.",
		"CWE-284", cisAWS+" 5.2", cisAWS+" 5.3", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group")
	ruleTFIAMWildcard = rule("tf-iam-wildcard", scanners.SeverityHigh,
		"IAM policy allows all actions",
		"An Allow of every action (`*`) on every resource (`*`) grants every permission of the account, including "+
			"creating new credentials: whoever holds it is an administrator. Grant the specific actions and resources needed.",
		"Replace `*` in Action with the specific actions the principal needs, scoped to specific resources.",
		"CWE-269", cisAWS+" 1.16", "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html")
	ruleTFPublicDB = rule("tf-public-database", scanners.SeverityHigh,
		"Database publicly accessible",
		"A database reachable from the internet is exposed to credential stuffing and to every unpatched "+
			"vulnerability of its engine; keep it in private subnets.",
		"Set `publicly_accessible = false` (or the provider's equivalent), place the database in private subnets and reach it through the application's network. shiftward's suggestion sets it to false where the setting is a boolean.",
		"CWE-284", cisAWS+" 2.3.3", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance")
	ruleTFLogging = rule("tf-logging-disabled", scanners.SeverityMedium,
		"Logging disabled",
		"With logging off, an intrusion or a data leak leaves no trace to detect or investigate it.",
		"Turn logging back on (`enable_logging = true`, access logs enabled) and send the logs to a bucket or workspace the workload cannot alter. shiftward's suggestion sets it to true.",
		"CWE-778", cisAWS+" 3.1", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail")
	ruleTFVersioning = rule("tf-versioning-disabled", scanners.SeverityLow,
		"Bucket versioning disabled",
		"Without versioning an overwrite or delete (by mistake, by ransomware) destroys the data for good.",
		"Enable versioning (an `aws_s3_bucket_versioning` resource with `status = \"Enabled\"`, or the provider's equivalent) and a lifecycle rule for old versions. shiftward's suggestion enables it where the setting is in the file.",
		"CWE-693", cisAWS+" 2.1.3", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning")
	ruleTFProviderCreds = rule("tf-provider-credentials", scanners.SeverityCritical,
		"Credentials hard-coded in a provider",
		"Cloud credentials in a Terraform file are in git history for everyone with read access: revoke them now. "+
			"Providers read credentials from the environment, a shared credentials file or an assumed role; leave them out of code.",
		"Revoke the credential, delete it from the provider block and let the provider read credentials from the environment, a shared credentials file, an assumed role or workload identity. shiftward's suggestion deletes the attribute.",
		"CWE-798", cisAWS+" 1.4", "https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration")
	ruleTFPublicStorage = rule("tf-public-storage", scanners.SeverityHigh,
		"Storage open to the public",
		"Granting allUsers or allAuthenticatedUsers (or allowing anonymous blob access) publishes the data to the "+
			"whole internet.",
		"Remove the allUsers/allAuthenticatedUsers members or public ACL, keep Azure containers `private`, and grant access to named principals. shiftward's suggestion sets the access type to private where it can.",
		"CWE-732", "https://cloud.google.com/storage/docs/access-control/iam", "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent")
)
