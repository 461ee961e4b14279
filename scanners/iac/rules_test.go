package iac_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shiftward/shiftward/scanners"
	"github.com/shiftward/shiftward/scanners/iac"
)

// ruleCase is one hand-written file and whether rule must fire on it.
type ruleCase struct {
	name    string
	path    string
	content string
	rule    string
	fires   bool
	// line, when set, is where the finding must be reported.
	line int
	// fix says the finding must carry a fix.
	fix bool
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  automountServiceAccountToken: false
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: false
      runAsNonRoot: true
      readOnlyRootFilesystem: true
      capabilities:
        drop: ["ALL"]
    resources:
      limits:
        cpu: 500m
        memory: 128Mi
`

// hardened returns pod with old replaced by new (which must be there).
func hardened(t *testing.T, old, new string) string {
	t.Helper()
	if !strings.Contains(pod, old) {
		t.Fatalf("pod has no %q", old)
	}
	return strings.Replace(pod, old, new, 1)
}

func ruleCases(t *testing.T) []ruleCase {
	df := func(name, content, rule string, fires bool, line int, fix bool) ruleCase {
		return ruleCase{name: name, path: "Dockerfile", content: content, rule: rule, fires: fires, line: line, fix: fix}
	}
	k8s := func(name, content, rule string, fires bool, line int, fix bool) ruleCase {
		return ruleCase{name: name, path: "deploy/app.yaml", content: content, rule: rule, fires: fires, line: line, fix: fix}
	}
	tf := func(name, content, rule string, fires bool, line int, fix bool) ruleCase {
		return ruleCase{name: name, path: "infra/main.tf", content: content, rule: rule, fires: fires, line: line, fix: fix}
	}
	return append(append(cisRuleCases(), cfnAuditRuleCases()...), []ruleCase{
		// Dockerfile
		df("no USER", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\nCMD [\"sh\"]\n", "iac/dockerfile-root-user", true, 1, true),
		df("USER root last", "FROM alpine:3.20\nUSER root\nRUN id\n", "iac/dockerfile-root-user", true, 2, true),
		df("USER 0:0", "FROM alpine:3.20\nUSER 0:0\n", "iac/dockerfile-root-user", true, 2, true),
		df("USER app", "FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCMD [\"sh\"]\n", "iac/dockerfile-root-user", false, 0, false),
		df("USER inherited from stage", "FROM alpine:3.20 AS base\nUSER 1000\nFROM base\nCMD [\"sh\"]\n", "iac/dockerfile-root-user", false, 0, false),
		df("builder stage root is fine", "FROM golang:1.23 AS build\nRUN go build\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n", "iac/dockerfile-root-user", false, 0, false),
		df("scratch", "FROM scratch\nCOPY app /app\n", "iac/dockerfile-root-user", false, 0, false),
		df("latest", "FROM ubuntu:latest\nUSER 1\n", "iac/dockerfile-latest-tag", true, 1, false),
		df("untagged", "FROM ubuntu\nUSER 1\n", "iac/dockerfile-latest-tag", true, 1, false),
		df("registry port untagged", "FROM registry.local:5000/team/app\nUSER 1\n", "iac/dockerfile-latest-tag", true, 1, false),
		df("latest through ARG", "ARG BASE=node:latest\nFROM ${BASE}\nUSER 1\n", "iac/dockerfile-latest-tag", true, 2, false),
		df("tag through ARG", "ARG VERSION=22\nFROM node:${VERSION}-alpine\nUSER 1\n", "iac/dockerfile-latest-tag", false, 0, false),
		df("ARG without default", "ARG BASE\nFROM ${BASE}\nUSER 1\n", "iac/dockerfile-latest-tag", false, 0, false),
		df("tagged", "FROM ubuntu:24.04\nUSER 1\n", "iac/dockerfile-latest-tag", false, 0, false),
		df("stage alias", "FROM ubuntu:24.04 AS base\nFROM base\nUSER 1\n", "iac/dockerfile-latest-tag", false, 0, false),
		df("digest", "FROM ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nUSER 1\n", "iac/dockerfile-latest-tag", false, 0, false),
		df("tag without digest", "FROM ubuntu:24.04\nUSER 1\n", "iac/dockerfile-image-no-digest", true, 1, false),
		df("tag with digest", "FROM ubuntu:24.04@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nUSER 1\n", "iac/dockerfile-image-no-digest", false, 0, false),
		df("ADD url", "FROM alpine:3.20\nADD https://example.com/x.tgz /x.tgz\nUSER 1\n", "iac/dockerfile-add-remote", true, 2, false),
		df("ADD url with checksum", "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tgz /x.tgz\nUSER 1\n", "iac/dockerfile-add-remote", false, 0, false),
		df("ADD local", "FROM alpine:3.20\nADD app.tgz /app\nUSER 1\n", "iac/dockerfile-add-remote", false, 0, false),
		df("curl | sh", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 \\\n && curl -fsSL https://get.example.com | sh\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 3, false),
		df("wget | sudo bash", "FROM alpine:3.20\nRUN wget -qO- https://x.example/i.sh | sudo -E bash -\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 2, false),
		df("sh -c $(curl)", "FROM alpine:3.20\nRUN sh -c \"$(curl -fsSL https://x.example/i.sh)\"\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 2, false),
		df("curl | tar", "FROM alpine:3.20\nRUN curl -fsSL https://x.example/a.tgz | tar xz\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", false, 0, false),
		df("ENV password", "FROM alpine:3.20\nENV DB_PASSWORD=s3cr3t-Value-123\nUSER 1\n", "iac/dockerfile-secret-in-env", true, 2, false),
		df("ARG token default", "FROM alpine:3.20\nARG NPM_TOKEN=npm_abcdefghijklmnop\nUSER 1\n", "iac/dockerfile-secret-in-env", true, 2, true),
		df("global ARG token", "ARG GITHUB_TOKEN=ghp_abcdefghijklmnop\nFROM alpine:3.20\nUSER 1\n", "iac/dockerfile-secret-in-env", true, 1, true),
		df("ARG token no default", "FROM alpine:3.20\nARG NPM_TOKEN\nUSER 1\n", "iac/dockerfile-secret-in-env", false, 0, false),
		df("ENV from variable", "FROM alpine:3.20\nARG PASS\nENV DB_PASSWORD=$PASS\nUSER 1\n", "iac/dockerfile-secret-in-env", false, 0, false),
		df("ENV password file", "FROM alpine:3.20\nENV DB_PASSWORD_FILE=/run/secrets/db\nUSER 1\n", "iac/dockerfile-secret-in-env", false, 0, false),
		df("sudo", "FROM ubuntu:24.04\nRUN sudo apt-get update\nUSER 1\n", "iac/dockerfile-sudo", true, 2, false),
		df("sudo package", "FROM ubuntu:24.04\nRUN apt-get install -y sudo=1.9 && rm -rf /var/lib/apt/lists/*\nUSER 1\n", "iac/dockerfile-sudo", false, 0, false),
		df("apt no cleanup", "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl=8.5.0\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("apt cleanup", "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl=8.5.0 \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("apt cleanup before install", "FROM ubuntu:24.04\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl=8.5.0\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("apt cache mount", "FROM ubuntu:24.04\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y curl=8.5.0\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("yum no clean", "FROM rockylinux:9\nRUN yum install -y httpd-2.4.57\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("apk without --no-cache", "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, false),
		df("apk --no-cache", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("apt unpinned", "FROM ubuntu:24.04\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER 1\n", "iac/dockerfile-package-unpinned", true, 2, false),
		df("pip unpinned", "FROM python:3.12\nRUN pip install requests\nUSER 1\n", "iac/dockerfile-package-unpinned", true, 2, false),
		df("pip requirements", "FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 1\n", "iac/dockerfile-package-unpinned", false, 0, false),
		df("npm scoped unpinned", "FROM node:22\nRUN npm i -g @angular/cli\nUSER 1\n", "iac/dockerfile-package-unpinned", true, 2, false),
		df("npm pinned", "FROM node:22\nRUN npm install -g typescript@5.6.2\nUSER 1\n", "iac/dockerfile-package-unpinned", false, 0, false),
		df("chmod 777", "FROM alpine:3.20\nRUN chmod -R 777 /app\nUSER 1\n", "iac/dockerfile-chmod-777", true, 2, false),
		df("chmod 755", "FROM alpine:3.20\nRUN chmod 755 /app\nUSER 1\n", "iac/dockerfile-chmod-777", false, 0, false),
		df("EXPOSE 22", "FROM alpine:3.20\nEXPOSE 22\nUSER 1\n", "iac/dockerfile-expose-ssh", true, 2, true),
		df("EXPOSE 22 and 80", "FROM alpine:3.20\nEXPOSE 80 22/tcp\nUSER 1\n", "iac/dockerfile-expose-ssh", true, 2, true),
		df("EXPOSE 2222", "FROM alpine:3.20\nEXPOSE 2222\nUSER 1\n", "iac/dockerfile-expose-ssh", false, 0, false),

		// Other forms of the same Dockerfile misconfigurations.
		df("zypper install, no clean", "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install httpd=2.4\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("zypper in, rm zypp cache", "FROM opensuse/leap:15.6\nRUN zypper -n in httpd=2.4 && rm -rf /var/cache/zypp/*\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("zypper clean -a", "FROM opensuse/leap:15.6\nRUN zypper -n in httpd=2.4 && zypper clean -a\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("bare yum install", "FROM centos:7\nRUN yum install\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("yum clean written before a yum install", "FROM centos:7\nRUN yum clean all \\\n    yum -y install httpd-2.4.6\nUSER 1\n", "iac/dockerfile-package-cache", true, 3, false),
		df("yum install then clean", "FROM centos:7\nRUN yum -y install httpd-2.4.6 \\\n && yum clean all\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("microdnf no clean", "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils-4.9\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("tdnf clean", "FROM photon:5.0\nRUN tdnf install -y shadow-4.8 && tdnf clean all\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("aptitude no cleanup", "FROM debian:12\nRUN aptitude install -y curl=7.88\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("heredoc apt no cleanup", "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=7.88\nEOF\nUSER 1\n", "iac/dockerfile-package-cache", true, 5, false),
		df("heredoc apt cleanup", "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=7.88\nrm -rf /var/lib/apt/lists/*\nEOF\nUSER 1\n", "iac/dockerfile-package-cache", false, 0, false),
		df("cache in a builder stage stays behind", "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc=4:12.2.0-3\nRUN gcc -o /app app.c\nFROM gcr.io/distroless/base-debian12:nonroot\nCOPY --from=build /app /app\n", "iac/dockerfile-package-cache", false, 0, false),
		df("cache in a stage the image builds on", "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl=7.88\nFROM base\nUSER 1\n", "iac/dockerfile-package-cache", true, 2, true),
		df("yarn global add unpinned", "FROM node:22\nRUN yarn global add serve\nUSER 1\n", "iac/dockerfile-package-unpinned", true, 2, false),
		df("yarn install lockfile", "FROM node:22\nRUN yarn install --frozen-lockfile\nUSER 1\n", "iac/dockerfile-package-unpinned", false, 0, false),
		df("pnpm add pinned", "FROM node:22\nRUN pnpm add -g serve@14.2.4\nUSER 1\n", "iac/dockerfile-package-unpinned", false, 0, false),
		df("python -m pip unpinned", "FROM python:3.12\nRUN python3 -m pip install --no-cache-dir flask\nUSER 1\n", "iac/dockerfile-package-unpinned", true, 2, false),
		df("pip compatible release", "FROM python:3.12\nRUN pip install --no-cache-dir 'flask~=3.0'\nUSER 1\n", "iac/dockerfile-package-unpinned", false, 0, false),
		df("ADD git repository", "FROM alpine:3.20\nADD git@github.com:moby/buildkit.git#v0.13.0 /src\nUSER 1\n", "iac/dockerfile-add-remote", true, 2, false),
		df("ADD https .git branch", "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#master /src\nUSER 1\n", "iac/dockerfile-add-remote", true, 2, false),
		df("ADD git pinned to a commit", "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#2bd1c1ee4a3d9a4c1d2e8e3f1a2b3c4d5e6f7a8b /src\nUSER 1\n", "iac/dockerfile-add-remote", false, 0, false),
		df("ADD JSON form url", "FROM alpine:3.20\nADD [\"https://example.com/x.tgz\", \"/x.tgz\"]\nUSER 1\n", "iac/dockerfile-add-remote", true, 2, false),
		df("curl | python3 -", "FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | python3 -\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 2, false),
		df("curl | python -c (parses output)", "FROM python:3.12\nRUN curl -s https://api.example.com/v | python3 -c 'import sys,json; print(json.load(sys.stdin))'\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", false, 0, false),
		df("eval $(curl)", "FROM alpine:3.20\nRUN eval \"$(curl -fsSL https://x.example/env.sh)\"\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 2, false),
		df("source <(curl)", "FROM ubuntu:24.04\nSHELL [\"/bin/bash\", \"-c\"]\nRUN source <(curl -fsSL https://x.example/env.sh)\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 3, false),
		df("wget -O- | /bin/sh on a continuation line", "FROM alpine:3.20\nRUN wget -O- https://x.example/i.sh \\\n    | /bin/sh\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 2, false),
		df("curl | sha256sum", "FROM alpine:3.20\nRUN curl -fsSL https://x.example/a.tgz | sha256sum\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", false, 0, false),
		df("heredoc curl | bash", "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\nset -e\ncurl -fsSL https://x.example/i.sh | bash\nEOF\nUSER 1\n", "iac/dockerfile-curl-pipe-shell", true, 5, false),
		df("USER root in final stage after non-root builder", "FROM golang:1.23 AS build\nUSER 1000\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n", "iac/dockerfile-root-user", true, 4, true),
		df("USER root:root", "FROM alpine:3.20\nUSER app\nUSER root:root\n", "iac/dockerfile-root-user", true, 3, true),
		df("EXPOSE range covering 22", "FROM alpine:3.20\nEXPOSE 20-25\nUSER 1\n", "iac/dockerfile-expose-ssh", true, 2, false),
		df("sudo with path", "FROM ubuntu:24.04\nRUN /usr/bin/sudo -u app make\nUSER 1\n", "iac/dockerfile-sudo", true, 2, false),

		// Kubernetes
		k8s("hardened pod: no privileged", pod, "iac/k8s-privileged", false, 0, false),
		k8s("privileged", hardened(t, "      allowPrivilegeEscalation: false\n", "      allowPrivilegeEscalation: false\n      privileged: true\n"), "iac/k8s-privileged", true, 12, true),
		k8s("escalation missing", hardened(t, "      allowPrivilegeEscalation: false\n", ""), "iac/k8s-privilege-escalation", true, 8, true),
		k8s("escalation true", hardened(t, "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true"), "iac/k8s-privilege-escalation", true, 11, true),
		k8s("escalation false", pod, "iac/k8s-privilege-escalation", false, 0, false),
		k8s("runAsNonRoot missing", hardened(t, "      runAsNonRoot: true\n", ""), "iac/k8s-run-as-root", true, 8, true),
		k8s("runAsNonRoot false", hardened(t, "runAsNonRoot: true", "runAsNonRoot: false"), "iac/k8s-run-as-root", true, 12, true),
		k8s("runAsUser 0", hardened(t, "      runAsNonRoot: true\n", "      runAsUser: 0\n"), "iac/k8s-run-as-root", true, 12, false),
		k8s("pod-level runAsUser 1000", hardened(t, "spec:\n  automount", "spec:\n  securityContext:\n    runAsUser: 1000\n  automount"), "iac/k8s-run-as-root", false, 0, false),
		k8s("runAsNonRoot true", pod, "iac/k8s-run-as-root", false, 0, false),
		k8s("cap add SYS_ADMIN", hardened(t, `        drop: ["ALL"]`+"\n", `        drop: ["ALL"]`+"\n        add: [\"SYS_ADMIN\"]\n"), "iac/k8s-capabilities-added", true, 16, false),
		k8s("cap add NET_BIND_SERVICE after drop ALL", hardened(t, `        drop: ["ALL"]`+"\n", `        drop: ["ALL"]`+"\n        add: [\"NET_BIND_SERVICE\"]\n"), "iac/k8s-capabilities-added", false, 0, false),
		k8s("drop missing", hardened(t, "      capabilities:\n        drop: [\"ALL\"]\n", ""), "iac/k8s-capabilities-not-dropped", true, 8, true),
		k8s("drop NET_RAW only (flow)", hardened(t, `drop: ["ALL"]`, `drop: ["NET_RAW"]`), "iac/k8s-capabilities-not-dropped", true, 8, true),
		k8s("drop NET_RAW only (block)", hardened(t, `        drop: ["ALL"]`, "        drop:\n        - NET_RAW"), "iac/k8s-capabilities-not-dropped", true, 8, true),
		k8s("drop ALL", pod, "iac/k8s-capabilities-not-dropped", false, 0, false),
		k8s("hostNetwork", hardened(t, "  containers:\n", "  hostNetwork: true\n  containers:\n"), "iac/k8s-host-namespace", true, 7, true),
		k8s("hostPID false", hardened(t, "  containers:\n", "  hostPID: false\n  containers:\n"), "iac/k8s-host-namespace", false, 0, false),
		k8s("hostPath docker.sock", pod+"  volumes:\n  - name: sock\n    hostPath:\n      path: /var/run/docker.sock\n", "iac/k8s-host-path", true, 22, false),
		k8s("emptyDir", pod+"  volumes:\n  - name: tmp\n    emptyDir: {}\n", "iac/k8s-host-path", false, 0, false),
		k8s("writable mount over /etc", hardened(t, "    resources:\n", "    volumeMounts:\n    - name: data\n      mountPath: /etc/app\n    resources:\n")+"  volumes:\n  - name: data\n    emptyDir: {}\n",
			"iac/k8s-writable-system-mount", true, 18, false),
		k8s("read-only mount over /etc", hardened(t, "    resources:\n", "    volumeMounts:\n    - name: data\n      mountPath: /etc/app\n      readOnly: true\n    resources:\n")+"  volumes:\n  - name: data\n    emptyDir: {}\n",
			"iac/k8s-writable-system-mount", false, 0, false),
		k8s("configMap over /etc", hardened(t, "    resources:\n", "    volumeMounts:\n    - name: conf\n      mountPath: /etc/nginx/conf.d\n    resources:\n")+"  volumes:\n  - name: conf\n    configMap: {name: nginx}\n",
			"iac/k8s-writable-system-mount", false, 0, false),
		k8s("writable mount at /data", hardened(t, "    resources:\n", "    volumeMounts:\n    - name: data\n      mountPath: /data\n    resources:\n")+"  volumes:\n  - name: data\n    emptyDir: {}\n",
			"iac/k8s-writable-system-mount", false, 0, false),
		k8s("AppArmor annotation unconfined", strings.Replace(pod, "  name: web\n", "  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\n", 1),
			"iac/k8s-apparmor-annotation-unconfined", true, 6, true),
		k8s("AppArmor annotation runtime/default", strings.Replace(pod, "  name: web\n", "  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: runtime/default\n", 1),
			"iac/k8s-apparmor-annotation-unconfined", false, 0, false),
		k8s("AppArmor annotation unconfined in a Deployment's template", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations:\n    note: x\nspec:\n  template:\n    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n    spec:\n      automountServiceAccountToken: false\n      containers:\n      - name: app\n        image: nginx:1.27\n",
			"iac/k8s-apparmor-annotation-unconfined", true, 11, true),
		k8s("Service selecting no pod of the file", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: wbe\n",
			"iac/k8s-selector-matches-nothing", true, 15, false),
		k8s("Service in another namespace than the pods", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: a\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: b\nspec:\n  selector:\n    app: web\n",
			"iac/k8s-selector-matches-nothing", true, 17, false),
		k8s("objects written over each other are not compared", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: wbe\n",
			"iac/k8s-selector-matches-nothing", false, 0, false),
		k8s("PDB minAvailable equal to a ReplicationController's replicas", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector: {app: web}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 3\n  selector:\n    matchLabels: {app: web}\n",
			"iac/k8s-pdb-blocks-eviction", true, 14, false),
		k8s("readiness probe on an undefined port name", strings.Replace(pod, "    resources:\n", "    readinessProbe:\n      httpGet:\n        path: /\n        port: http\n    resources:\n", 1),
			"iac/k8s-probe-port-not-exposed", true, 19, false),
		k8s("PDB minAvailable below a ReplicationController's replicas", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector: {app: web}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels: {app: web}\n",
			"iac/k8s-pdb-blocks-eviction", false, 0, false),
		k8s("readiness probe on a defined port name", strings.Replace(pod, "    resources:\n", "    ports:\n    - name: http\n      containerPort: 8080\n    readinessProbe:\n      httpGet:\n        path: /\n        port: http\n    resources:\n", 1),
			"iac/k8s-probe-port-not-exposed", false, 0, false),
		{name: "KubeletConfiguration as JSON", path: "kubelet/config.json", content: "{\n  \"apiVersion\": \"kubelet.config.k8s.io/v1beta1\",\n  \"kind\": \"KubeletConfiguration\",\n  \"readOnlyPort\": 10255\n}\n",
			rule: "iac/k8s-kubelet-config-read-only-port", fires: true, line: 4},
		{name: "privileged Pod as JSON (no YAML fix offered)", path: "pod.json", content: "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"},\n  \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"nginx:1.27\",\n    \"securityContext\": {\"privileged\": true}}]}\n}\n",
			rule: "iac/k8s-privileged", fires: true, line: 6},
		{name: "JSON that is no Kubernetes object", path: "package.json", content: "{\n  \"name\": \"app\",\n  \"kind\": \"lib\"\n}\n",
			rule: "iac/k8s-privileged", fires: false},
		k8s("StatefulSet replicas under a KEDA ScaledObject", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: q\nspec:\n  replicas: 3\n---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: q\nspec:\n  minReplicaCount: 1\n  scaleTargetRef:\n    kind: StatefulSet\n    name: q\n",
			"iac/k8s-replicas-with-autoscaler", true, 6, false),
		k8s("Deployment replicas under an HPA of another Deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: q\nspec:\n  replicas: 3\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: r\nspec:\n  minReplicas: 1\n  scaleTargetRef:\n    kind: Deployment\n    name: r\n",
			"iac/k8s-replicas-with-autoscaler", false, 0, false),
		k8s("StatefulSet governed by a ClusterIP Service", "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n",
			"iac/k8s-statefulset-service-not-headless", true, 14, false),
		k8s("StatefulSet governed by a headless Service", "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n",
			"iac/k8s-statefulset-service-not-headless", false, 0, false),
		k8s("IRSA annotation that is no ARN", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: role/app\n", "iac/k8s-workload-identity-malformed", true, 6, false),
		k8s("IRSA annotation ARN", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n", "iac/k8s-workload-identity-malformed", false, 0, false),
		k8s("AppArmor annotation naming no profile", strings.Replace(pod, "  name: web\n", "  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: docker-default\n", 1),
			"iac/k8s-apparmor-annotation-invalid", true, 6, true),
		k8s("AppArmor annotation localhost profile", strings.Replace(pod, "  name: web\n", "  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: localhost/web\n", 1),
			"iac/k8s-apparmor-annotation-invalid", false, 0, false),
		k8s("Ingress v1beta1 backend naming no Service of the file", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  backend:\n    serviceName: api\n    servicePort: 80\n",
			"iac/k8s-refers-to-missing-object", true, 12, false),
		k8s("Ingress v1beta1 backend naming a Service of the file", "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  backend:\n    serviceName: api\n    servicePort: 80\n",
			"iac/k8s-refers-to-missing-object", false, 0, false),
		k8s("Pod outside the file's NetworkPolicy", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: q\nspec:\n  podSelector:\n    matchLabels: {app: q}\n",
			"iac/k8s-pod-not-isolated", true, 2, false),
		k8s("Pod in another namespace than the default-deny policy", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: b\nspec:\n  podSelector: {}\n",
			"iac/k8s-pod-not-isolated", true, 2, false),
		k8s("Pod under a default-deny policy", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n",
			"iac/k8s-pod-not-isolated", false, 0, false),
		k8s("apps/v1beta2 Deployment", "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: d\n", "iac/k8s-api-version-removed", true, 1, false),
		k8s("apps/v1 Deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n", "iac/k8s-api-version-removed", false, 0, false),
		k8s("env defined twice", strings.Replace(pod, "    resources:\n", "    env:\n    - name: A\n      value: x\n    - name: A\n      value: y\n    resources:\n", 1), "iac/k8s-duplicate-env", true, 19, false),
		k8s("env defined once", strings.Replace(pod, "    resources:\n", "    env:\n    - name: A\n      value: x\n    resources:\n", 1), "iac/k8s-duplicate-env", false, 0, false),
		k8s("ConfigMap with a password in a properties file", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.properties: |\n    db.user=app\n    db.password=not-a-real-one\n", "iac/k8s-configmap-secret", true, 6, false),
		k8s("ConfigMap without secrets", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.properties: |\n    db.user=app\n", "iac/k8s-configmap-secret", false, 0, false),
		k8s("custom resource whose spec is a pod spec (Knative Revision)", "apiVersion: serving.knative.dev/v1\nkind: Revision\nmetadata:\n  name: r\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n", "iac/k8s-privileged", true, 10, true),
		k8s("PodSecurityPolicy with a containers list is no pod", "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n", "iac/k8s-privileged", false, 0, false),
		k8s("custom resource without a pod spec", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  containers: 3\n  securityContext:\n    privileged: true\n", "iac/k8s-privileged", false, 0, false),
		k8s("ReplicationController selector not matching its template", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  selector:\n    app: a\n  template:\n    metadata:\n      labels: {app: b}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n", "iac/k8s-selector-mismatch", true, 6, false),
		k8s("ReplicationController selector matching its template", "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\nspec:\n  selector:\n    app: a\n  template:\n    metadata:\n      labels: {app: a, tier: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n", "iac/k8s-selector-mismatch", false, 0, false),
		{name: "compose password literal", path: "docker-compose.yml", content: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: not-a-real-one\n",
			rule: "iac/compose-secret-env-literal", fires: true, line: 5},
		{name: "compose token literal (list)", path: "docker-compose.yml", content: "services:\n  app:\n    image: example/app:1\n    environment:\n      - API_TOKEN=not-a-real-one\n",
			rule: "iac/compose-secret-env-literal", fires: true, line: 5},
		{name: "compose password from .env", path: "docker-compose.yml", content: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n",
			rule: "iac/compose-secret-env-literal", fires: false},
		{name: "cfn secret parameter default", path: "template.yaml", content: "Parameters:\n  DbPassword:\n    Type: String\n    Default: not-a-real-one\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
			rule: "iac/cfn-parameter-secret-default", fires: true, line: 4},
		{name: "cfn secret parameter with NoEcho and no default", path: "template.yaml", content: "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
			rule: "iac/cfn-parameter-secret-default", fires: false},
		{name: "cfn password parameter without NoEcho", path: "template.yaml", content: "Parameters:\n  GitHubToken:\n    Type: String\n    Description: token for the webhook\nResources:\n  Hook:\n    Type: AWS::CodePipeline::Webhook\n",
			rule: "iac/cfn-secret-parameter-no-noecho", fires: true, line: 2},
		{name: "cfn secret property takes a plainly named parameter (JSON)", path: "template.json", content: "{\"Parameters\": {\n  \"AdminPass\": {\"Type\": \"String\"}},\n \"Resources\": {\"Db\": {\"Type\": \"AWS::RDS::DBCluster\", \"Properties\": {\"MasterUserPassword\": {\"Ref\": \"AdminPass\"}}}}}\n",
			rule: "iac/cfn-secret-parameter-no-noecho", fires: true, line: 2},
		{name: "cfn parameters about secrets, SSM types and choices hold none", path: "template.yaml", content: "Parameters:\n  DbSecretArn:\n    Type: String\n  MinimumPasswordLength:\n    Type: Number\n  ApiKeyParam:\n    Type: AWS::SSM::Parameter::Value<String>\n  RequirePassword:\n    Type: String\n    AllowedValues: ['true', 'false']\n  KeyName:\n    Type: String\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !Sub '{{resolve:secretsmanager:${DbSecretArn}:SecretString:password}}'\n",
			rule: "iac/cfn-secret-parameter-no-noecho", fires: false},
		{name: "cfn output returns a NoEcho parameter (JSON Ref)", path: "template.json", content: "{\"Parameters\": {\"Token\": {\"Type\": \"String\", \"NoEcho\": true}},\n \"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}},\n \"Outputs\": {\n  \"TokenOut\": {\"Value\": {\"Ref\": \"Token\"}}}}\n",
			rule: "iac/cfn-output-shows-noecho-parameter", fires: true, line: 4},
		{name: "cfn output of a parameter that is no secret", path: "template.yaml", content: "Parameters:\n  Env:\n    Type: String\nResources:\n  Q:\n    Type: AWS::SQS::Queue\nOutputs:\n  EnvOut:\n    Value: !Ref Env\n",
			rule: "iac/cfn-output-shows-noecho-parameter", fires: false},
		{name: "cfn-init basic auth password", path: "template.yaml", content: "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Metadata:\n      AWS::CloudFormation::Authentication:\n        Repo:\n          type: basic\n          username: deploy\n          password: not-a-real-one\n          uris: [\"https://example.com/repo\"]\n",
			rule: "iac/cfn-init-authentication-credential", fires: true, line: 9},
		{name: "cfn-init password from a parameter", path: "template.json", content: "{\"Resources\": {\"Web\": {\"Type\": \"AWS::EC2::Instance\", \"Metadata\": {\"AWS::CloudFormation::Authentication\": {\"Repo\": {\"type\": \"basic\", \"username\": \"deploy\", \"password\": {\"Ref\": \"RepoPassword\"}}}}}}}\n",
			rule: "iac/cfn-init-authentication-credential", fires: false},
		{name: "cfn lambda env token", path: "template.json", content: "{\"Resources\": {\"F\": {\"Type\": \"AWS::Serverless::Function\", \"Properties\": {\"Environment\": {\"Variables\": {\n  \"DB_PASSWORD\": \"not-a-real-one\"}}}}}}\n",
			rule: "iac/cfn-lambda-env-secret", fires: true, line: 2},
		{name: "cfn lambda env from a secret", path: "template.yaml", content: "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'\n",
			rule: "iac/cfn-lambda-env-secret", fires: false},
		{name: "cfn two access keys of one user", path: "template.yaml", content: "Resources:\n  K1:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: ci\n  K2:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: ci\n",
			rule: "iac/cfn-iam-user-multiple-access-keys", fires: true, line: 2},
		{name: "cfn access keys of two users", path: "template.yaml", content: "Resources:\n  K1:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: ci\n  K2:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: deploy\n",
			rule: "iac/cfn-iam-user-multiple-access-keys", fires: false},
		{name: "cfn group no user joins", path: "template.yaml", content: "Resources:\n  Admins:\n    Type: AWS::IAM::Group\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      Groups: [readers]\n",
			rule: "iac/cfn-iam-group-without-users", fires: true, line: 2},
		{name: "cfn groups only, users elsewhere", path: "template.yaml", content: "Resources:\n  Admins:\n    Type: AWS::IAM::Group\n",
			rule: "iac/cfn-iam-group-without-users", fires: false},
		{name: "cfn parameter naming where the secret is", path: "template.yaml", content: "Parameters:\n  DbSecretName:\n    Type: String\n    Default: prod/app/db\n  ApiTokenTtl:\n    Type: Number\n    Default: 3600\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
			rule: "iac/cfn-parameter-secret-default", fires: false},
		{name: "cfn lambda env with a secret's ARN", path: "template.yaml", content: "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          DB_SECRET: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\n          ApiKeyParameter: /app/api-key\n",
			rule: "iac/cfn-lambda-env-secret", fires: false},
		{name: "compose volume shared by two services", path: "docker-compose.yml", content: "services:\n  app:\n    image: example/app:1\n    volumes:\n      - uploads:/srv/uploads\n  scan:\n    image: example/scan:1\n    volumes:\n      - type: volume\n        source: uploads\n        target: /data\nvolumes:\n  uploads:\n",
			rule: "iac/compose-shared-volume", fires: true, line: 5},
		{name: "compose shared volume read-only everywhere", path: "docker-compose.yml", content: "services:\n  a:\n    image: example/a:1\n    volumes:\n      - assets:/a:ro\n  b:\n    image: example/b:1\n    volumes:\n      - type: volume\n        source: assets\n        target: /b\n        read_only: true\nvolumes:\n  assets:\n",
			rule: "iac/compose-shared-volume", fires: false},
		{name: "compose bind mount of the same directory is no named volume", path: "docker-compose.yml", content: "services:\n  a:\n    image: example/a:1\n    volumes:\n      - ./data:/data\n  b:\n    image: example/b:1\n    volumes:\n      - ./data:/data\nvolumes:\n  data:\n",
			rule: "iac/compose-shared-volume", fires: false},
		{name: "compose volume of one service", path: "docker-compose.yml", content: "services:\n  a:\n    image: example/a:1\n    volumes:\n      - data:/data\n      - data:/backup:ro\nvolumes:\n  data:\n",
			rule: "iac/compose-shared-volume", fires: false},
		{name: "cfn VPC without flow log", path: "template.yaml", content: cfnVPCAlone, rule: "iac/cfn-vpc-flow-logs", fires: true, line: 3},
		{name: "cfn VPC with flow log", path: "template.yaml", content: cfnVPCLogged, rule: "iac/cfn-vpc-flow-logs", fires: false},
		{name: "cfn ALB without web ACL", path: "template.yaml", content: cfnALB, rule: "iac/cfn-alb-no-waf", fires: true, line: 3},
		{name: "cfn ALB with web ACL", path: "template.yaml", content: cfnALBProtected, rule: "iac/cfn-alb-no-waf", fires: false},
		{name: "cfn instance in a public subnet", path: "template.yaml", content: cfnInstanceInPublic, rule: "iac/cfn-instance-public-subnet", fires: true, line: 13},
		{name: "cfn instance in a private subnet", path: "template.yaml", content: cfnInstanceInPrivate, rule: "iac/cfn-instance-public-subnet", fires: false},
		{name: "cfn DB subnet group with a public subnet", path: "template.yaml", content: cfnDBInPublic, rule: "iac/cfn-db-public-subnet", fires: true, line: 20},
		{name: "cfn DB subnet group of private subnets", path: "template.yaml", content: cfnDBInPrivate, rule: "iac/cfn-db-public-subnet", fires: false},
		{name: "cfn WebSocket stage without a logging level", path: "template.yaml", content: cfnWebSocketStage, rule: "iac/cfn-apigatewayv2-websocket-no-execution-log", fires: true, line: 9},
		{name: "cfn HTTP API stage", path: "template.yaml", content: cfnHTTPAPIStage, rule: "iac/cfn-apigatewayv2-websocket-no-execution-log", fires: false},
		{name: "cfn ACL entries sharing a rule number", path: "template.yaml", content: cfnNACL + cfnNACLEntryA + cfnNACLEntryB, rule: "iac/cfn-nacl-entry-duplicate-rule-number", fires: true, line: 11},
		{name: "cfn ACL entries sharing a number in two directions", path: "template.yaml", content: cfnNACL + cfnNACLEntryA + cfnNACLEntryB + "      Egress: true\n", rule: "iac/cfn-nacl-entry-duplicate-rule-number", fires: false},
		// check_cfn_config.go
		{name: "cfn security group used by nothing", path: "template.yaml", content: cfnSG + cfnSGRule + cfnSGHostBare, rule: "iac/cfn-sg-unused", fires: true, line: 3},
		{name: "cfn security group used by an instance", path: "template.yaml", content: cfnSG + cfnSGHostUses, rule: "iac/cfn-sg-unused", fires: false},
		{name: "cfn API stage without web ACL", path: "template.yaml", content: cfnAPI, rule: "iac/cfn-apigateway-stage-no-waf", fires: true, line: 7},
		{name: "cfn API stage with web ACL", path: "template.yaml", content: cfnAPI + cfnAPIAcl, rule: "iac/cfn-apigateway-stage-no-waf", fires: false},
		{name: "cfn Auto Scaling group in one subnet", path: "template.yaml", content: cfnASGOne, rule: "iac/cfn-single-az-placement", fires: true, line: 17},
		{name: "cfn Auto Scaling group in two subnets", path: "template.yaml", content: cfnASGTwo, rule: "iac/cfn-single-az-placement", fires: false},
		{name: "cfn S3-invoked function without DLQ", path: "template.yaml", content: cfnFnS3, rule: "iac/cfn-lambda-async-no-dlq", fires: true, line: 3},
		{name: "cfn API-invoked SAM function", path: "template.yaml", content: cfnSAMFnAPI, rule: "iac/cfn-lambda-async-no-dlq", fires: false},
		{name: "cfn provisioned table without scaling", path: "template.yaml", content: cfnTableProvisioned, rule: "iac/cfn-dynamodb-no-autoscaling", fires: true, line: 8},
		{name: "cfn provisioned table with scaling", path: "template.yaml", content: cfnTableProvisioned + cfnTableScaled, rule: "iac/cfn-dynamodb-no-autoscaling", fires: false},
		k8s("rootfs missing", hardened(t, "      readOnlyRootFilesystem: true\n", ""), "iac/k8s-writable-root-fs", true, 8, true),
		k8s("rootfs false", hardened(t, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"), "iac/k8s-writable-root-fs", true, 13, true),
		k8s("rootfs true", pod, "iac/k8s-writable-root-fs", false, 0, false),
		k8s("no limits", hardened(t, "    resources:\n      limits:\n        cpu: 500m\n        memory: 128Mi\n", ""), "iac/k8s-missing-limits", true, 8, false),
		k8s("limits", pod, "iac/k8s-missing-limits", false, 0, false),
		k8s("latest image", hardened(t, "nginx:1.27", "nginx:latest"), "iac/k8s-latest-tag", true, 9, false),
		k8s("untagged image", hardened(t, "nginx:1.27", "nginx"), "iac/k8s-latest-tag", true, 9, false),
		k8s("tagged image", pod, "iac/k8s-latest-tag", false, 0, false),
		k8s("secret env literal", hardened(t, "    resources:\n", "    env:\n    - name: DB_PASSWORD\n      value: hunter2-but-longer\n    resources:\n"), "iac/k8s-secret-env-literal", true, 18, false),
		k8s("secret env from secret", hardened(t, "    resources:\n", "    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    resources:\n"), "iac/k8s-secret-env-literal", false, 0, false),
		k8s("automount missing", hardened(t, "  automountServiceAccountToken: false\n", ""), "iac/k8s-sa-token-automount", true, 2, true),
		k8s("automount true", hardened(t, "automountServiceAccountToken: false", "automountServiceAccountToken: true"), "iac/k8s-sa-token-automount", true, 6, true),
		k8s("automount false", pod, "iac/k8s-sa-token-automount", false, 0, false),
		k8s("automount off in ServiceAccount", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: quiet\nautomountServiceAccountToken: false\n---\n"+
			hardened(t, "  automountServiceAccountToken: false\n", "  serviceAccountName: quiet\n"), "iac/k8s-sa-token-automount", false, 0, false),
		k8s("privileged in a List", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n", "iac/k8s-privileged", true, 13, true),
		// Other places and forms of the same Kubernetes misconfigurations.
		k8s("privileged ephemeral container", hardened(t, "  containers:\n", "  ephemeralContainers:\n  - name: debug\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n  containers:\n"), "iac/k8s-privileged", true, 11, true),
		k8s("ephemeral container judged on what it sets", hardened(t, "  containers:\n", "  ephemeralContainers:\n  - name: debug\n    image: busybox:1.36\n  containers:\n"), "iac/k8s-missing-limits", false, 0, false),
		k8s("privileged init container", hardened(t, "  containers:\n", "  initContainers:\n  - name: init\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n      allowPrivilegeEscalation: false\n      runAsNonRoot: true\n      readOnlyRootFilesystem: true\n      capabilities:\n        drop: [\"ALL\"]\n    resources:\n      limits: {cpu: 100m, memory: 64Mi}\n  containers:\n"), "iac/k8s-privileged", true, 11, true),
		k8s("pod-level runAsUser 0", strings.Replace(hardened(t, "spec:\n  automount", "spec:\n  securityContext:\n    runAsUser: 0\n  automount"), "      runAsNonRoot: true\n", "", 1), "iac/k8s-run-as-root", true, 7, false),
		k8s("CronJob hostPID", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostPID: true\n          containers:\n          - name: c\n            image: busybox:1.36\n", "iac/k8s-host-namespace", true, 11, true),
		k8s("CronJob privileged quoted true", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: busybox:1.36\n            securityContext:\n              privileged: True\n", "iac/k8s-privileged", true, 15, true),
		k8s("capability lower case CAP_ prefix", hardened(t, `        drop: ["ALL"]`+"\n", `        drop: ["ALL"]`+"\n        add: [\"cap_sys_admin\"]\n"), "iac/k8s-capabilities-added", true, 16, false),
		k8s("RBAC wildcard", "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: all\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs:\n  - get\n  - \"*\"\n", "iac/k8s-rbac-wildcard", true, 10, false),
		k8s("RBAC wildcard API group", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: read\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"pods\"]\n  verbs: [\"get\"]\n", "iac/k8s-rbac-wildcard", true, 6, false),
		k8s("RBAC specific", "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: read\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"list\"]\n", "iac/k8s-rbac-wildcard", false, 0, false),

		// Terraform
		tf("public ACL", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n", "iac/tf-s3-public-acl", true, 3, true),
		tf("private ACL", "resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  acl    = \"private\"\n}\n", "iac/tf-s3-public-acl", false, 0, false),
		tf("public access block off", "resource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket                  = aws_s3_bucket.b.id\n  block_public_acls       = false\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n", "iac/tf-s3-public-access-block", true, 3, true),
		tf("public access block missing setting", "resource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket              = aws_s3_bucket.b.id\n  block_public_acls   = true\n  block_public_policy = true\n  ignore_public_acls  = true\n}\n", "iac/tf-s3-public-access-block", true, 1, true),
		tf("s3-bucket module 5.x leaves the public access block to its defaults (on)", "module \"b\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"~> 5.0\"\n  bucket  = \"b\"\n}\n", "iac/tf-s3-public-access-block", false, 0, false),
		tf("s3-bucket module 3.x leaves the public access block off", "module \"b\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"~> 3.15\"\n  bucket  = \"b\"\n}\n", "iac/tf-s3-public-access-block", true, 1, true),
		tf("s3-bucket module 5.x turns a setting off", "module \"b\" {\n  source                  = \"terraform-aws-modules/s3-bucket/aws\"\n  version                 = \"5.2.0\"\n  restrict_public_buckets = false\n}\n", "iac/tf-s3-public-access-block", true, 4, true),
		tf("public access block on", "resource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket                  = aws_s3_bucket.b.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}\n", "iac/tf-s3-public-access-block", false, 0, false),
		tf("EBS unencrypted", "resource \"aws_ebs_volume\" \"v\" {\n  availability_zone = \"eu-west-1a\"\n  size              = 40\n}\n", "iac/tf-unencrypted-storage", true, 1, true),
		tf("RDS encrypted false", "resource \"aws_db_instance\" \"db\" {\n  engine            = \"postgres\"\n  storage_encrypted = false\n}\n", "iac/tf-unencrypted-storage", true, 3, true),
		tf("Aurora Serverless v1", "resource \"aws_rds_cluster\" \"c\" {\n  engine      = \"aurora-postgresql\"\n  engine_mode = \"serverless\"\n}\n", "iac/tf-unencrypted-storage", false, 0, false),
		tf("EFS encrypted", "resource \"aws_efs_file_system\" \"fs\" {\n  encrypted = true\n}\n", "iac/tf-unencrypted-storage", false, 0, false),
		tf("launch configuration device", "resource \"aws_launch_configuration\" \"lc\" {\n  image_id = \"ami-1\"\n  root_block_device {\n    volume_size = 20\n  }\n}\n", "iac/tf-unencrypted-storage", true, 3, true),
		// check_network.go
		tf("security group used by nothing", "resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n\nresource \"aws_instance\" \"i\" {\n  ami = \"ami-12345678\"\n}\n", "iac/tf-aws-sg-unused", true, 1, false),
		tf("security groups alone", "resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n", "iac/tf-aws-sg-unused", false, 0, false),
		tf("security group used by an instance", "resource \"aws_security_group\" \"s\" {\n  name        = \"web\"\n  description = \"Web servers\"\n}\n\nresource \"aws_instance\" \"i\" {\n  vpc_security_group_ids = [aws_security_group.s.id]\n}\n", "iac/tf-aws-sg-unused", false, 0, false),
		tf("SSH open", "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 6, false),
		tf("all traffic open", "resource \"aws_security_group_rule\" \"r\" {\n  type        = \"ingress\"\n  from_port   = 0\n  to_port     = 0\n  protocol    = \"-1\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n", "iac/tf-aws-sg-all-traffic-public", true, 6, false),
		tf("all traffic open: admin ports said once, as all traffic", "resource \"aws_security_group_rule\" \"r\" {\n  type        = \"ingress\"\n  from_port   = 0\n  to_port     = 0\n  protocol    = \"-1\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("security-group module ssh-tcp", "module \"sg\" {\n  source              = \"terraform-aws-modules/security-group/aws\"\n  ingress_cidr_blocks = [\"0.0.0.0/0\"]\n  ingress_rules       = [\"https-443-tcp\", \"ssh-tcp\"]\n}\n", "iac/tf-open-admin-port", true, 3, false),
		tf("security-group module https", "module \"sg\" {\n  source              = \"terraform-aws-modules/security-group/aws\"\n  ingress_cidr_blocks = [\"0.0.0.0/0\"]\n  ingress_rules       = [\"https-443-tcp\"]\n  ingress_with_cidr_blocks = [{\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = \"10.0.0.0/8\"\n  }]\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("HTTPS open", "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("SSH from VPN", "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.8.0.0/16\"]\n  }\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("GCP RDP open", "resource \"google_compute_firewall\" \"rdp\" {\n  name          = \"rdp\"\n  network       = \"default\"\n  source_ranges = [\"0.0.0.0/0\"]\n  allow {\n    protocol = \"tcp\"\n    ports    = [\"3389\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 4, false),
		tf("Azure SSH open", "resource \"azurerm_network_security_rule\" \"ssh\" {\n  name                        = \"ssh\"\n  direction                   = \"Inbound\"\n  access                      = \"Allow\"\n  protocol                    = \"Tcp\"\n  source_address_prefix       = \"*\"\n  destination_port_range      = \"22\"\n}\n", "iac/tf-open-admin-port", true, 6, false),
		tf("IAM admin (jsonencode)", "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = \"*\"\n      Resource = \"*\"\n    }]\n  })\n}\n", "iac/tf-iam-wildcard", true, 6, false),
		tf("IAM admin (policy document)", "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n", "iac/tf-iam-wildcard", true, 3, false),
		tf("IAM scoped", "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\"]\n      Resource = \"*\"\n    }]\n  })\n}\n", "iac/tf-iam-wildcard", false, 0, false),
		tf("two access keys of one user", "resource \"aws_iam_user\" \"ci\" {\n  name = \"ci\"\n}\n\nresource \"aws_iam_access_key\" \"a\" {\n  user = aws_iam_user.ci.name\n}\n\nresource \"aws_iam_access_key\" \"b\" {\n  user = aws_iam_user.ci.name\n}\n", "iac/tf-aws-iam-user-many-access-keys", true, 5, false),
		tf("one active access key", "resource \"aws_iam_access_key\" \"a\" {\n  user = aws_iam_user.ci.name\n}\n\nresource \"aws_iam_access_key\" \"b\" {\n  user   = aws_iam_user.ci.name\n  status = \"Inactive\"\n}\n", "iac/tf-aws-iam-user-many-access-keys", false, 0, false),
		tf("RDS public", "resource \"aws_db_instance\" \"db\" {\n  storage_encrypted   = true\n  publicly_accessible = true\n}\n", "iac/tf-public-database", true, 3, true),
		tf("RDS private", "resource \"aws_db_instance\" \"db\" {\n  storage_encrypted   = true\n  publicly_accessible = false\n}\n", "iac/tf-public-database", false, 0, false),
		tf("CloudTrail off", "resource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = \"logs\"\n  enable_logging = false\n}\n", "iac/tf-logging-disabled", true, 4, true),
		tf("CloudTrail on", "resource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = \"logs\"\n}\n", "iac/tf-logging-disabled", false, 0, false),
		tf("versioning suspended", "resource \"aws_s3_bucket_versioning\" \"v\" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = \"Suspended\"\n  }\n}\n", "iac/tf-versioning-disabled", true, 4, true),
		tf("versioning enabled", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\nresource \"aws_s3_bucket_versioning\" \"v\" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n", "iac/tf-versioning-disabled", false, 0, false),
		tf("provider keys", "provider \"aws\" {\n  region     = \"eu-west-1\"\n  access_key = \"AKIAIOSFODNN7EXAMPLE\"\n  secret_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n}\n", "iac/tf-provider-credentials", true, 3, true),
		tf("provider from variables", "provider \"aws\" {\n  region     = \"eu-west-1\"\n  access_key = var.access_key\n}\n", "iac/tf-provider-credentials", false, 0, false),
		tf("GCS allUsers", "resource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"b\"\n  role   = \"roles/storage.objectViewer\"\n  member = \"allUsers\"\n}\n", "iac/tf-public-storage", true, 4, false),
		tf("GCS public ACL", "resource \"google_storage_bucket_acl\" \"a\" {\n  bucket         = \"b\"\n  predefined_acl = \"publicRead\"\n}\n", "iac/tf-public-storage", true, 3, false),
		tf("Azure disk encryption off", "resource \"azurerm_managed_disk\" \"d\" {\n  name = \"d\"\n  encryption_settings {\n    enabled = false\n  }\n}\n", "iac/tf-unencrypted-storage", true, 4, true),
		tf("Azure container private", "resource \"azurerm_storage_container\" \"c\" {\n  name                  = \"c\"\n  container_access_type = \"private\"\n}\n", "iac/tf-public-storage", false, 0, false),
		// Other forms of the same Terraform misconfigurations.
		tf("default security group SSH open", "resource \"aws_default_security_group\" \"d\" {\n  vpc_id = aws_vpc.v.id\n  ingress {\n    protocol    = \"tcp\"\n    from_port   = 22\n    to_port     = 22\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 7, false),
		tf("default network ACL all traffic", "resource \"aws_default_network_acl\" \"d\" {\n  default_network_acl_id = aws_vpc.v.default_network_acl_id\n  ingress {\n    protocol   = -1\n    rule_no    = 100\n    action     = \"allow\"\n    cidr_block = \"0.0.0.0/0\"\n    from_port  = 0\n    to_port    = 0\n  }\n}\n", "iac/tf-open-admin-port", true, 7, false),
		tf("default network ACL deny", "resource \"aws_default_network_acl\" \"d\" {\n  default_network_acl_id = aws_vpc.v.default_network_acl_id\n  ingress {\n    protocol   = \"tcp\"\n    rule_no    = 100\n    action     = \"deny\"\n    cidr_block = \"0.0.0.0/0\"\n    from_port  = 22\n    to_port    = 22\n  }\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("SG rule IPv6 ::/0 SSH", "resource \"aws_security_group_rule\" \"r\" {\n  type              = \"ingress\"\n  from_port         = 22\n  to_port           = 22\n  protocol          = \"tcp\"\n  ipv6_cidr_blocks  = [\"::/0\"]\n  security_group_id = aws_security_group.s.id\n}\n", "iac/tf-open-admin-port", true, 6, false),
		tf("SG rule egress SSH", "resource \"aws_security_group_rule\" \"r\" {\n  type              = \"egress\"\n  from_port         = 22\n  to_port           = 22\n  protocol          = \"tcp\"\n  cidr_blocks       = [\"0.0.0.0/0\"]\n  security_group_id = aws_security_group.s.id\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("SG port range covering RDP", "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 3000\n    to_port     = 4000\n    protocol    = \"6\"\n    cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 6, false),
		tf("SG port range without admin ports", "resource \"aws_security_group\" \"sg\" {\n  ingress {\n    from_port   = 8000\n    to_port     = 9000\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("VPC ingress rule IPv6 range covering RDP", "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  security_group_id = aws_security_group.s.id\n  cidr_ipv6         = \"::0/0\"\n  from_port         = 3380\n  to_port           = 3390\n  ip_protocol       = \"tcp\"\n}\n", "iac/tf-open-admin-port", true, 3, false),
		tf("VPC ingress rule all protocols", "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  security_group_id = aws_security_group.s.id\n  cidr_ipv4         = \"0.0.0.0/0\"\n  ip_protocol       = \"-1\"\n}\n", "iac/tf-aws-sg-all-traffic-public", true, 3, false),
		tf("VPC ingress rule SSH from office", "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  security_group_id = aws_security_group.s.id\n  cidr_ipv4         = \"203.0.113.0/24\"\n  from_port         = 22\n  to_port           = 22\n  ip_protocol       = \"tcp\"\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("Azure any protocol HTTPS only", "resource \"azurerm_network_security_rule\" \"web\" {\n  name                        = \"web\"\n  direction                   = \"Inbound\"\n  access                      = \"Allow\"\n  protocol                    = \"*\"\n  source_address_prefix       = \"*\"\n  destination_port_range      = \"443\"\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("Azure any protocol any port", "resource \"azurerm_network_security_rule\" \"all\" {\n  name                        = \"all\"\n  direction                   = \"Inbound\"\n  access                      = \"Allow\"\n  protocol                    = \"*\"\n  source_address_prefix       = \"Internet\"\n  destination_port_range      = \"*\"\n}\n", "iac/tf-open-admin-port", true, 6, false),
		tf("Azure NSG inline rule RDP in a port list", "resource \"azurerm_network_security_group\" \"g\" {\n  name = \"g\"\n  security_rule {\n    name                       = \"admin\"\n    direction                  = \"Inbound\"\n    access                     = \"Allow\"\n    protocol                   = \"Tcp\"\n    source_address_prefixes    = [\"0.0.0.0/0\"]\n    destination_port_ranges    = [\"80\", \"3389\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 8, false),
		tf("GCP SSH from ::/0", "resource \"google_compute_firewall\" \"ssh\" {\n  name          = \"ssh\"\n  network       = \"default\"\n  source_ranges = [\"::/0\"]\n  allow {\n    protocol = \"tcp\"\n    ports    = [\"20-30\"]\n  }\n}\n", "iac/tf-open-admin-port", true, 4, false),
		tf("GCP disabled rule", "resource \"google_compute_firewall\" \"ssh\" {\n  name          = \"ssh\"\n  network       = \"default\"\n  disabled      = true\n  source_ranges = [\"0.0.0.0/0\"]\n  allow {\n    protocol = \"tcp\"\n    ports    = [\"22\"]\n  }\n}\n", "iac/tf-open-admin-port", false, 0, false),
		tf("S3 bucket ACL resource grants AllUsers", "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = aws_s3_bucket.b.id\n  access_control_policy {\n    grant {\n      grantee {\n        type = \"Group\"\n        uri  = \"http://acs.amazonaws.com/groups/global/AllUsers\"\n      }\n      permission = \"READ\"\n    }\n    owner {\n      id = \"o\"\n    }\n  }\n}\n", "iac/tf-s3-public-acl", true, 7, false),
		tf("S3 bucket ACL resource public-read-write", "resource \"aws_s3_bucket_acl\" \"a\" {\n  bucket = aws_s3_bucket.b.id\n  acl    = \"public-read-write\"\n}\n", "iac/tf-s3-public-acl", true, 3, true),
		tf("Azure container blob", "resource \"azurerm_storage_container\" \"c\" {\n  name                  = \"c\"\n  container_access_type = \"blob\"\n}\n", "iac/tf-public-storage", true, 3, true),
	}...)
}

// TestRules checks each rule on its positive and negative cases.
func TestRules(t *testing.T) {
	s := iac.New()
	for _, c := range ruleCases(t) {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			fs, err := s.Scan(context.Background(), wholeFile(c.path, []byte(c.content)))
			var note *scanners.NoteError
			if err != nil && !errors.As(err, &note) {
				t.Fatal(err)
			}
			var got []scanners.Finding
			for _, f := range fs {
				if f.RuleID == c.rule {
					got = append(got, f)
				}
			}
			if !c.fires {
				if len(got) > 0 {
					t.Fatalf("rule fired on line %d: %s", got[0].Location.StartLine, got[0].Message)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("rule did not fire; findings: %v", ruleIDs(fs))
			}
			f := got[0]
			if c.line != 0 && f.Location.StartLine != c.line {
				t.Errorf("reported on line %d, want %d", f.Location.StartLine, c.line)
			}
			if c.fix && f.Fix == nil {
				t.Errorf("no fix")
			}
			if f.Title == "" || f.Message == "" || len(f.References) == 0 || f.Severity == scanners.SeverityUnknown || f.Scanner != iac.Name {
				t.Errorf("incomplete finding: %+v", f)
			}
		})
	}
}

// TestEveryRuleHasCases keeps the table honest: every rule has at least
// one case where it fires and one where it does not.
func TestEveryRuleHasCases(t *testing.T) {
	pos, neg := map[string]bool{}, map[string]bool{}
	for _, c := range ruleCases(t) {
		if c.fires {
			pos[c.rule] = true
		} else {
			neg[c.rule] = true
		}
	}
	// A data check's samples are its cases (TestChecks runs them).
	for id, smps := range iac.DataCheckSamples() {
		for _, smp := range smps {
			pos[id] = pos[id] || smp.Hit
			neg[id] = neg[id] || !smp.Hit
		}
	}
	for _, r := range iac.New().Rules() {
		if !pos[r.ID] || !neg[r.ID] {
			t.Errorf("%s: positive case %v, negative case %v", r.ID, pos[r.ID], neg[r.ID])
		}
		if r.Title == "" || r.Why == "" || len(r.References) == 0 {
			t.Errorf("%s: incomplete metadata", r.ID)
		}
	}
}

func ruleIDs(fs []scanners.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	return out
}
