package iac_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners/iac"
	"github.com/shiftward/shiftward/scanners/scannertest"
)

// Samples for the shared rule harness (scannertest.CheckRules): for each
// rule, the smallest file on which it must fire and the same file with the
// risk removed, on which it must not. rules_test.go holds the wider table
// (lines reported, fixes offered, other forms of each misconfiguration).

const sampleDigest = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// samplePod is the smallest pod with no security settings at all: every
// rule about a missing setting fires on it.
const samplePod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: nginx:1.27
`

// sampleHardPod sets everything the Kubernetes rules ask for.
const sampleHardPod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  automountServiceAccountToken: false
  containers:
  - name: c
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      readOnlyRootFilesystem: true
      capabilities:
        drop: ["ALL"]
    resources:
      limits:
        cpu: 100m
        memory: 64Mi
`

// refsDeployment is a Deployment of two pods labeled app=web, for the
// rules that compare objects of one manifest.
const refsDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`

// refsService is Service web.
const refsService = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`

// refsHPA autoscales refsDeployment.
const refsHPA = `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
`

// refsStatefulSet is a StatefulSet governed by Service db.
const refsStatefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
`

// sampleDeployment is samplePod's container in a Deployment.
const sampleDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
    spec:
      containers:
      - name: c
        image: nginx:1.27
`

// hardPodWith is sampleHardPod with old replaced by new.
func hardPodWith(old, new string) string {
	if !strings.Contains(sampleHardPod, old) {
		panic("sampleHardPod has no " + old)
	}
	return strings.Replace(sampleHardPod, old, new, 1)
}

func dockerfile(content string, hit bool) scannertest.Sample {
	return scannertest.Sample{Path: "Dockerfile", Content: content, Hit: hit}
}

func manifest(content string, hit bool) scannertest.Sample {
	return scannertest.Sample{Path: "deploy/app.yaml", Content: content, Hit: hit}
}

func terraform(content string, hit bool) scannertest.Sample {
	return scannertest.Sample{Path: "infra/main.tf", Content: content, Hit: hit}
}

// ruleSamples are keyed by rule id.
var ruleSamples = map[string][]scannertest.Sample{
	// Dockerfile
	"iac/dockerfile-root-user": {
		dockerfile("FROM alpine:3.20\n", true),
		dockerfile("FROM alpine:3.20\nUSER root\n", true),
		dockerfile("FROM alpine:3.20\nUSER 10001\n", false),
	},
	"iac/dockerfile-latest-tag": {
		dockerfile("FROM alpine\n", true),
		dockerfile("FROM alpine:latest\n", true),
		dockerfile("FROM alpine:3.20\n", false),
	},
	"iac/dockerfile-image-no-digest": {
		dockerfile("FROM alpine:3.20\n", true),
		dockerfile("FROM alpine:3.20"+sampleDigest+"\n", false),
		dockerfile("FROM scratch\n", false),
	},
	"iac/dockerfile-add-remote": {
		dockerfile("FROM alpine:3.20\nADD https://example.com/a.tgz /a.tgz\n", true),
		dockerfile("FROM alpine:3.20\nADD a.tgz /a/\n", false),
	},
	"iac/dockerfile-curl-pipe-shell": {
		dockerfile("FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.sh | sh\n", true),
		dockerfile("FROM alpine:3.20\nRUN wget -qO- https://example.com/i.sh | bash\n", true),
		dockerfile("FROM alpine:3.20\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh\n", false),
	},
	"iac/dockerfile-secret-in-env": {
		dockerfile("FROM alpine:3.20\nENV DB_PASSWORD=not-a-real-one\n", true),
		dockerfile("FROM alpine:3.20\nARG API_TOKEN=not-a-real-one\n", true),
		dockerfile("FROM alpine:3.20\nARG API_TOKEN\n", false),
		dockerfile("FROM alpine:3.20\nENV LOG_LEVEL=debug\n", false),
	},
	"iac/dockerfile-sudo": {
		dockerfile("FROM ubuntu:24.04\nRUN sudo make install\n", true),
		dockerfile("FROM ubuntu:24.04\nRUN make install\n", false),
	},
	"iac/dockerfile-package-cache": {
		dockerfile("FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10\n", true),
		dockerfile("FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n", true),
		dockerfile("FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\n", false),
		dockerfile("FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", false),
	},
	"iac/dockerfile-package-unpinned": {
		dockerfile("FROM alpine:3.20\nRUN apk add --no-cache curl\n", true),
		dockerfile("FROM python:3.12\nRUN pip install --no-cache-dir flask\n", true),
		dockerfile("FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n", false),
		dockerfile("FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n", false),
		dockerfile("FROM ruby:3.3\nRUN gem install rails\n", true),
		dockerfile("FROM ruby:3.3\nRUN gem install rails -v 7.1.3\n", false),
		dockerfile("FROM ruby:3.3\nRUN gem install rails:7.1.3\n", false),
		dockerfile("FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@latest\n", true),
		dockerfile("FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@v0.28.0\n", false),
		dockerfile("FROM golang:1.23\nRUN go install ./cmd/app\n", false),
	},
	"iac/dockerfile-chmod-777": {
		dockerfile("FROM alpine:3.20\nRUN chmod 777 /app\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod 0777 /app\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod a+rwx /app\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod -R o+w /app\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod 666 /app/app.conf\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod u+x,go=rw /app\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod 755 /app\n", false),
		dockerfile("FROM alpine:3.20\nRUN chmod 1777 /scratch\n", false),
		dockerfile("FROM alpine:3.20\nRUN chmod a+rwxt /scratch\n", false),
		dockerfile("FROM alpine:3.20\nRUN find /app -type d -exec chmod 777 {} +\n", true),
		dockerfile("FROM alpine:3.20\nRUN chmod +w /app && chmod o-w /app\n", false),
		dockerfile("FROM alpine:3.20\nRUN echo 'never chmod 777'\n", false),
	},
	"iac/dockerfile-expose-ssh": {
		dockerfile("FROM alpine:3.20\nEXPOSE 22\n", true),
		dockerfile("FROM alpine:3.20\nEXPOSE 8080\n", false),
	},

	// Kubernetes
	"iac/k8s-privileged": {
		manifest(hardPodWith("      runAsNonRoot: true\n", "      runAsNonRoot: true\n      privileged: true\n"), true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-privilege-escalation": {
		manifest(samplePod, true),
		manifest(sampleDeployment, true),
		manifest(hardPodWith("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"), true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-run-as-root": {
		manifest(samplePod, true),
		manifest(sampleDeployment, true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-capabilities-added": {
		manifest(hardPodWith(`        drop: ["ALL"]`+"\n", `        drop: ["ALL"]`+"\n        add: [\"SYS_ADMIN\"]\n"), true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-capabilities-not-dropped": {
		manifest(samplePod, true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-host-namespace": {
		manifest(hardPodWith("  containers:\n", "  hostNetwork: true\n  containers:\n"), true),
		manifest(hardPodWith("  containers:\n", "  hostPID: true\n  containers:\n"), true),
		manifest(hardPodWith("  containers:\n", "  hostNetwork: false\n  containers:\n"), false),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-host-path": {
		manifest(sampleHardPod+"  volumes:\n  - name: sock\n    hostPath:\n      path: /var/run/docker.sock\n", true),
		manifest(sampleHardPod+"  volumes:\n  - name: tmp\n    emptyDir: {}\n", false),
	},
	"iac/k8s-writable-root-fs": {
		manifest(samplePod, true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-missing-limits": {
		manifest(samplePod, true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-latest-tag": {
		manifest(hardPodWith("image: nginx:1.27", "image: nginx"), true),
		manifest(hardPodWith("image: nginx:1.27", "image: nginx:latest"), true),
		manifest(sampleHardPod, false),
		manifest(hardPodWith("image: nginx:1.27", "image: nginx"+sampleDigest), false),
	},
	"iac/k8s-secret-env-literal": {
		manifest(hardPodWith("    resources:\n", "    env:\n    - name: DB_PASSWORD\n      value: not-a-real-one\n    resources:\n"), true),
		manifest(hardPodWith("    resources:\n", "    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    resources:\n"), false),
		manifest(hardPodWith("    resources:\n", "    env:\n    - name: LOG_LEVEL\n      value: debug\n    resources:\n"), false),
	},
	"iac/k8s-writable-system-mount": {
		manifest(hardPodWith("    resources:\n", "    volumeMounts:\n    - name: data\n      mountPath: /usr/local/bin\n    resources:\n")+"  volumes:\n  - name: data\n    emptyDir: {}\n", true),
		manifest(hardPodWith("    resources:\n", "    volumeMounts:\n    - name: data\n      mountPath: /srv/data\n    resources:\n")+"  volumes:\n  - name: data\n    emptyDir: {}\n", false),
	},
	"iac/k8s-apparmor-annotation-unconfined": {
		manifest(hardPodWith("  name: p\n", "  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: unconfined\n"), true),
		manifest(hardPodWith("  name: p\n", "  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: runtime/default\n"), false),
	},
	"iac/k8s-selector-matches-nothing": {
		manifest(refsDeployment+"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: website\n  ports:\n  - port: 80\n", true),
		manifest(refsDeployment+"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n", false),
		manifest(refsDeployment+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  policyTypes: [Ingress]\n", true),
		// The pods a rule admits are usually defined in other files.
		manifest(refsDeployment+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {role: front}\n", false),
		manifest(refsDeployment+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {role: front}\n      namespaceSelector:\n        matchLabels: {team: a}\n", false),
		manifest("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: api}\n", true),
		manifest("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {app: web}\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n", false),
		// A Service alone in its file selects pods defined elsewhere.
		manifest("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: website\n", false),
	},
	"iac/k8s-pdb-blocks-eviction": {
		manifest(refsDeployment+"---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels: {app: web}\n", true),
		manifest(refsDeployment+"---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n", false),
		manifest(refsDeployment+"---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  minReplicas: 1\n  maxReplicas: 5\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n", true),
		manifest("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 0\n  selector:\n    matchLabels: {app: web}\n", true),
		manifest("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 100%\n  selector:\n    matchLabels: {app: web}\n", true),
		manifest("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: web}\n", false),
	},
	"iac/k8s-replicas-with-autoscaler": {
		manifest(refsDeployment+refsHPA, true),
		manifest(strings.Replace(refsDeployment, "  replicas: 2\n", "", 1)+refsHPA, false),
		manifest(refsDeployment, false),
	},
	"iac/k8s-statefulset-service-not-headless": {
		manifest(refsStatefulSet+"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  selector: {app: db}\n  ports:\n  - port: 5432\n", true),
		manifest(refsStatefulSet+"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports:\n  - port: 5432\n", false),
		// The Service is defined elsewhere.
		manifest(refsStatefulSet, false),
	},
	"iac/k8s-workload-identity-malformed": {
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: app-role\n", true),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    iam.gke.io/gcp-service-account: app\n", true),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    azure.workload.identity/client-id: app-client\n", true),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-role\n", false),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws-us-gov:iam::111122223333:role/team/app\n", false),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    iam.gke.io/gcp-service-account: app-sa@my-project.iam.gserviceaccount.com\n", false),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    azure.workload.identity/client-id: 00000000-1111-2222-3333-444444444444\n", false),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: ${APP_ROLE_ARN}\n", false),
	},
	"iac/k8s-refers-to-missing-object": {
		manifest(refsService+"---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: website, port: {number: 80}}\n", true),
		manifest(refsService+"---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: web, port: {number: 80}}\n", false),
		manifest(refsDeployment+"---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: webapp}\n  maxReplicas: 4\n", true),
		manifest(strings.Replace(refsDeployment, "  replicas: 2\n", "", 1)+refsHPA, false),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\n"+strings.Replace(refsDeployment, "    spec:\n", "    spec:\n      serviceAccountName: webapp\n", 1), true),
		manifest("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\n"+strings.Replace(refsDeployment, "    spec:\n", "    spec:\n      serviceAccountName: web\n", 1), false),
		// The Services are defined elsewhere.
		manifest("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service: {name: website, port: {number: 80}}\n", false),
	},
	"iac/k8s-pod-not-isolated": {
		manifest(refsDeployment+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  policyTypes: [Ingress]\n", true),
		manifest(refsDeployment+"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n", false),
		manifest(refsDeployment, false),
	},
	"iac/k8s-duplicate-env": {
		manifest(hardPodWith("    resources:\n", "    env:\n    - name: MODE\n      value: safe\n    - name: MODE\n      value: debug\n    resources:\n"), true),
		manifest(hardPodWith("    resources:\n", "    env:\n    - name: MODE\n      value: safe\n    - name: LEVEL\n      value: info\n    resources:\n"), false),
	},
	"iac/k8s-api-version-removed": {
		manifest("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: '@daily'\n", true),
		manifest("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n", true),
		manifest("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n", false),
		manifest("apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata:\n  name: v\ndriverName: x\n", false),
	},
	"iac/k8s-configmap-secret": {
		manifest("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_PASSWORD: not-a-real-one\n", true),
		manifest("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.env: |\n    LOG_LEVEL=info\n    REDIS_PASSWORD=not-a-real-one\n", true),
		manifest("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  application.yaml: |\n    spring:\n      datasource:\n        password: not-a-real-one\n", true),
		manifest("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.env: |\n    LOG_LEVEL=info\n    REDIS_PASSWORD=${REDIS_PASSWORD}\n    TOKEN_FILE=/run/secrets/token\n", false),
		manifest("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_PASSWORD_FILE: /run/secrets/db\n  LOG_LEVEL: info\n", false),
	},
	"iac/k8s-selector-mismatch": {
		manifest(strings.Replace(refsDeployment, "    matchLabels: {app: web}\n", "    matchLabels: {app: website}\n", 1), true),
		manifest(refsDeployment, false),
	},
	"iac/k8s-probe-port-not-exposed": {
		manifest(hardPodWith("    resources:\n", "    ports:\n    - name: http\n      containerPort: 8080\n    readinessProbe:\n      httpGet: {path: /, port: web}\n    resources:\n"), true),
		manifest(hardPodWith("    resources:\n", "    ports:\n    - name: http\n      containerPort: 8080\n    livenessProbe:\n      tcpSocket:\n        port: 9090\n    resources:\n"), true),
		manifest(hardPodWith("    resources:\n", "    ports:\n    - name: dns\n      containerPort: 53\n      protocol: UDP\n    startupProbe:\n      tcpSocket:\n        port: dns\n    resources:\n"), true),
		manifest(hardPodWith("    resources:\n", "    ports:\n    - name: http\n      containerPort: 8080\n    readinessProbe:\n      httpGet: {path: /, port: http}\n    livenessProbe:\n      grpc:\n        port: 8080\n    resources:\n"), false),
		// No ports listed: the container may listen on any.
		manifest(hardPodWith("    resources:\n", "    readinessProbe:\n      httpGet: {path: /, port: 8080}\n    resources:\n"), false),
	},
	"iac/k8s-apparmor-annotation-invalid": {
		manifest(hardPodWith("  name: p\n", "  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: default\n"), true),
		manifest(hardPodWith("  name: p\n", "  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: localhost/k8s-nginx\n"), false),
		manifest(hardPodWith("  name: p\n", "  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: runtime/default\n"), false),
	},
	"iac/compose-secret-env-literal": {
		{Path: "compose.yaml", Content: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: not-a-real-one\n", Hit: true},
		{Path: "compose.yaml", Content: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}\n", Hit: false},
	},
	"iac/compose-shared-volume": {
		{Path: "compose.yaml", Content: "services:\n  a:\n    image: example/a:1\n    volumes: [\"data:/data\"]\n  b:\n    image: example/b:1\n    volumes: [\"data:/data\"]\nvolumes:\n  data:\n", Hit: true},
		{Path: "compose.yaml", Content: "services:\n  a:\n    image: example/a:1\n    volumes: [\"data:/data\"]\n  b:\n    image: example/b:1\n    volumes: [\"data:/data:ro\"]\nvolumes:\n  data:\n", Hit: true},
		{Path: "compose.yaml", Content: "services:\n  a:\n    image: example/a:1\n    volumes: [\"data:/data\"]\n  b:\n    image: example/b:1\n    volumes: [\"more:/data\"]\nvolumes:\n  data:\n  more:\n", Hit: false},
	},
	"iac/cfn-parameter-secret-default": {
		{Path: "template.yaml", Content: "Parameters:\n  DbPassword:\n    Type: String\n    Default: not-a-real-one\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", Hit: true},
		{Path: "template.yaml", Content: "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", Hit: false},
	},
	"iac/cfn-secret-parameter-no-noecho": {
		{Path: "template.yaml", Content: "Parameters:\n  DbPass:\n    Type: String\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !Ref DbPass\n", Hit: true},
		{Path: "template.yaml", Content: "Parameters:\n  DbPass:\n    Type: String\n    NoEcho: true\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !Ref DbPass\n", Hit: false},
	},
	"iac/cfn-output-shows-noecho-parameter": {
		{Path: "template.yaml", Content: "Parameters:\n  DbPass:\n    Type: String\n    NoEcho: true\nResources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  Dsn:\n    Value: !Sub 'postgres://app:${DbPass}@db:5432/app'\n", Hit: true},
		{Path: "template.yaml", Content: "Parameters:\n  DbPass:\n    Type: String\n    NoEcho: true\nResources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  QueueUrl:\n    Value: !Ref Q\n", Hit: false},
	},
	"iac/cfn-init-authentication-credential": {
		{Path: "template.yaml", Content: "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Metadata:\n      AWS::CloudFormation::Authentication:\n        S3Access:\n          type: S3\n          accessKeyId: AKIAIOSFODNN7EXAMPLE\n          secretKey: not-a-real-one\n", Hit: true},
		{Path: "template.yaml", Content: "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Metadata:\n      AWS::CloudFormation::Authentication:\n        S3Access:\n          type: S3\n          roleName: !Ref WebRole\n", Hit: false},
	},
	"iac/cfn-lambda-env-secret": {
		{Path: "template.yaml", Content: "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          API_TOKEN: not-a-real-one\n", Hit: true},
		{Path: "template.yaml", Content: "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          API_TOKEN_ARN: !Ref TokenSecret\n          TABLE: orders\n", Hit: false},
	},
	"iac/cfn-iam-user-multiple-access-keys": {
		{Path: "template.yaml", Content: "Resources:\n  U:\n    Type: AWS::IAM::User\n  K1:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref U\n  K2:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref U\n", Hit: true},
		{Path: "template.yaml", Content: "Resources:\n  U:\n    Type: AWS::IAM::User\n  K1:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref U\n  K2:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref U\n      Status: Inactive\n", Hit: false},
	},
	"iac/cfn-iam-group-without-users": {
		{Path: "template.yaml", Content: "Resources:\n  Admins:\n    Type: AWS::IAM::Group\n  Readers:\n    Type: AWS::IAM::Group\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      Groups: [!Ref Readers]\n", Hit: true},
		{Path: "template.yaml", Content: "Resources:\n  Admins:\n    Type: AWS::IAM::Group\n  U:\n    Type: AWS::IAM::User\n  Join:\n    Type: AWS::IAM::UserToGroupAddition\n    Properties:\n      GroupName: !Ref Admins\n      Users: [!Ref U]\n", Hit: false},
	},
	"iac/k8s-sa-token-automount": {
		manifest(samplePod, true),
		manifest(sampleHardPod, false),
	},
	"iac/k8s-rbac-wildcard": {
		manifest("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"*\"]\n", true),
		manifest("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n- apiGroups: [\"\"]\n  resources: [\"*\"]\n  verbs: [\"get\"]\n", true),
		manifest("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"list\"]\n", false),
	},

	// Terraform
	"iac/tf-s3-public-acl": {
		terraform("resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n", true),
		terraform("resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = \"b\"\n  acl    = \"private\"\n}\n", false),
	},
	"iac/tf-s3-public-access-block": {
		terraform("resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket = \"b\"\n}\n", true),
		terraform("resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket                  = \"b\"\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = false\n}\n", true),
		terraform("resource \"aws_s3_bucket_public_access_block\" \"p\" {\n  bucket                  = \"b\"\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n", false),
	},
	"iac/tf-unencrypted-storage": {
		terraform("resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n}\n", true),
		terraform("resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  encrypted         = false\n}\n", true),
		terraform("resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  encrypted         = true\n}\n", false),
	},
	"iac/tf-open-admin-port": {
		terraform("resource \"aws_security_group\" \"s\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", true),
		terraform("resource \"aws_security_group\" \"s\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n", false),
	},
	"iac/tf-iam-wildcard": {
		terraform("resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]\n  })\n}\n", true),
		terraform("data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n", true),
		terraform("resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"*\" }]\n  })\n}\n", false),
		terraform("data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    effect    = \"Deny\"\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n", false),
	},
	"iac/tf-public-database": {
		terraform("resource \"aws_db_instance\" \"d\" {\n  publicly_accessible = true\n}\n", true),
		terraform("resource \"aws_db_instance\" \"d\" {\n  publicly_accessible = false\n}\n", false),
	},
	"iac/tf-logging-disabled": {
		terraform("resource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = \"logs\"\n  enable_logging = false\n}\n", true),
		terraform("resource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = \"logs\"\n  enable_logging = true\n}\n", false),
	},
	"iac/tf-versioning-disabled": {
		terraform("resource \"aws_s3_bucket_versioning\" \"v\" {\n  bucket = \"b\"\n  versioning_configuration {\n    status = \"Disabled\"\n  }\n}\n", true),
		terraform("resource \"aws_s3_bucket_versioning\" \"v\" {\n  bucket = \"b\"\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n", false),
	},
	"iac/tf-provider-credentials": {
		terraform("provider \"aws\" {\n  region     = \"eu-west-1\"\n  secret_key = \"not-a-real-one\"\n}\n", true),
		terraform("provider \"aws\" {\n  region = \"eu-west-1\"\n}\n", false),
		terraform("provider \"aws\" {\n  region     = \"eu-west-1\"\n  secret_key = var.secret_key\n}\n", false),
	},
	"iac/tf-public-storage": {
		terraform("resource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"b\"\n  role   = \"roles/storage.objectViewer\"\n  member = \"allUsers\"\n}\n", true),
		terraform("resource \"azurerm_storage_container\" \"c\" {\n  name                  = \"c\"\n  container_access_type = \"container\"\n}\n", true),
		terraform("resource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"b\"\n  role   = \"roles/storage.objectViewer\"\n  member = \"group:team@example.com\"\n}\n", false),
		terraform("resource \"azurerm_storage_container\" \"c\" {\n  name                  = \"c\"\n  container_access_type = \"private\"\n}\n", false),
	},
}

// TestRuleSamples runs every rule on its samples through the shared
// harness, which also checks that each listed rule is well formed.
func TestRuleSamples(t *testing.T) {
	all := maps.Clone(ruleSamples)
	for id, s := range iac.DataCheckSamples() {
		if _, dup := all[id]; dup {
			t.Errorf("%s has samples in rules_samples_test.go and in its check", id)
		}
		all[id] = s
	}
	scannertest.CheckRules(t, iac.New(), all)
}
