{{/* Names. */}}
{{- define "shiftward.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shiftward.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries; selectorLabels stay fixed across upgrades. */}}
{{- define "shiftward.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "shiftward.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "shiftward.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shiftward.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The service account the pods run as. */}}
{{- define "shiftward.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shiftward.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image reference: repository:tag, or repository@digest. */}}
{{- define "shiftward.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "shiftward.redisImage" -}}
{{- $i := .Values.redis.bundled.image -}}
{{- if $i.digest -}}
{{- printf "%s@%s" $i.repository $i.digest -}}
{{- else -}}
{{- printf "%s:%s" $i.repository $i.tag -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the credentials: existingSecret, else the chart's own. */}}
{{- define "shiftward.secretName" -}}
{{- default (include "shiftward.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* Whether the chart writes the credentials Secret: some credential is given in values. */}}
{{- define "shiftward.createSecret" -}}
{{- if and (not .Values.existingSecret) (or .Values.github.app .Values.gitlab.token .Values.gitlab.webhookSecret) -}}true{{- end -}}
{{- end -}}

{{/* Whether the bundled Redis runs: no external Redis is named. */}}
{{- define "shiftward.bundledRedis" -}}
{{- if and (not .Values.redis.url) (not .Values.redis.existingSecret) -}}true{{- end -}}
{{- end -}}

{{- define "shiftward.redisName" -}}
{{- printf "%s-redis" (include "shiftward.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The key prefix and the job stream (app/queue: <prefix>:jobs, group "workers"). */}}
{{- define "shiftward.jobStream" -}}
{{- printf "%s:jobs" (default "{shiftward}" (get .Values.config "SHIFTWARD_REDIS_PREFIX")) -}}
{{- end -}}

{{/*
80% of a memory quantity in Mi or Gi, in MiB, for GOMEMLIMIT and Redis'
maxmemory; "" for any other form (then nothing is set).
*/}}
{{- define "shiftward.mib80" -}}
{{- $q := toString . -}}
{{- if regexMatch "^[0-9]+Mi$" $q -}}
{{- div (mul (trimSuffix "Mi" $q | atoi) 8) 10 -}}
{{- else if regexMatch "^[0-9]+Gi$" $q -}}
{{- div (mul (trimSuffix "Gi" $q | atoi) 8192) 10 -}}
{{- end -}}
{{- end -}}

{{/* A duration of the form 90s, 10m or 1h in seconds; "" for other forms. */}}
{{- define "shiftward.seconds" -}}
{{- $d := toString . -}}
{{- if regexMatch "^[0-9]+s$" $d -}}
{{- trimSuffix "s" $d | atoi -}}
{{- else if regexMatch "^[0-9]+m$" $d -}}
{{- mul (trimSuffix "m" $d | atoi) 60 -}}
{{- else if regexMatch "^[0-9]+h$" $d -}}
{{- mul (trimSuffix "h" $d | atoi) 3600 -}}
{{- end -}}
{{- end -}}

{{/*
Checks that span several values (the schema checks each one). The
ConfigMap, always rendered, includes it: a bad combination fails the render.
*/}}
{{- define "shiftward.validate" -}}
{{- $v := .Values -}}
{{- if and $v.autoscaling.keda.enabled $v.autoscaling.hpa.enabled -}}
{{- fail "autoscaling: enable keda or hpa, not both (KEDA makes its own HorizontalPodAutoscaler)" -}}
{{- end -}}
{{- if and (not $v.github.enabled) (not $v.gitlab.enabled) -}}
{{- fail "enable github, gitlab or both: shiftward serves at least one platform" -}}
{{- end -}}
{{- if and $v.existingSecret (or $v.github.app $v.gitlab.token $v.gitlab.webhookSecret) -}}
{{- fail "existingSecret is set: give the credentials in that Secret, not in github.app or gitlab.*" -}}
{{- end -}}
{{- if and $v.github.app (not $v.github.enabled) -}}
{{- fail "github.app is given but github.enabled is false" -}}
{{- end -}}
{{- if and (include "shiftward.createSecret" .) $v.github.enabled (not $v.github.app) -}}
{{- fail "github.enabled: give github.app (--set-file github.app=github-app.json) as well, or put every credential in existingSecret" -}}
{{- end -}}
{{- if and (include "shiftward.createSecret" .) $v.gitlab.enabled (not (and $v.gitlab.token $v.gitlab.webhookSecret)) -}}
{{- fail "gitlab.enabled: give both gitlab.token and gitlab.webhookSecret, or put every credential in existingSecret" -}}
{{- end -}}
{{- if and $v.redis.url $v.redis.existingSecret -}}
{{- fail "redis: give url or existingSecret, not both" -}}
{{- end -}}
{{- if or (regexMatch "^[A-Za-z0-9+.-]+://[^/?#]*@" $v.redis.url) (regexMatch "[?&][A-Za-z_]*password=" $v.redis.url) -}}
{{- fail "redis.url holds credentials: put the URL in a Secret and name it in redis.existingSecret (values are stored in clear in the release)" -}}
{{- end -}}
{{- if $v.autoscaling.keda.enabled -}}
{{- $workers := int (default "4" (get $v.config "SHIFTWARD_WORKERS")) -}}
{{- if ge (int $v.autoscaling.keda.pendingEntriesCount) $workers -}}
{{- fail (printf "autoscaling.keda.pendingEntriesCount (%d) must be below SHIFTWARD_WORKERS (%d): a worker holds at most that many pending jobs, so the target would never be exceeded" (int $v.autoscaling.keda.pendingEntriesCount) $workers) -}}
{{- end -}}
{{- if regexMatch "^rediss?\\+(sentinel|cluster)://" $v.redis.url -}}
{{- fail "autoscaling.keda renders the redis-streams trigger, which reads one server: with Sentinel or Cluster use autoscaling.hpa, or your own ScaledObject (redis-sentinel-streams, redis-cluster-streams)" -}}
{{- end -}}
{{- if and (not (include "shiftward.bundledRedis" .)) (not $v.autoscaling.keda.address) -}}
{{- fail "autoscaling.keda.address (host:port) is needed with an external Redis: KEDA reads the stream itself" -}}
{{- end -}}
{{- end -}}
{{- $timeout := include "shiftward.seconds" (default "10m" (get $v.config "SHIFTWARD_JOB_TIMEOUT")) -}}
{{- if and $timeout (le (int $v.terminationGracePeriodSeconds) (int $timeout)) -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed SHIFTWARD_JOB_TIMEOUT (%ss): a stopping pod finishes the jobs it holds" (int $v.terminationGracePeriodSeconds) $timeout) -}}
{{- end -}}
{{- end -}}

{{/* The pod-level security context every shiftward pod runs with. */}}
{{- define "shiftward.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "shiftward.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/*
The pod spec shared by serve and worker. Call with (dict "ctx" $ "component"
"serve"|"worker" "values" .Values.serve|.Values.worker).
*/}}
{{- define "shiftward.podSpec" -}}
{{- $ := .ctx -}}
{{- $c := .values -}}
{{- $bundled := include "shiftward.bundledRedis" $ -}}
{{- $pw := $.Values.redis.bundled.passwordSecret -}}
serviceAccountName: {{ include "shiftward.serviceAccountName" $ }}
automountServiceAccountToken: false
enableServiceLinks: false
terminationGracePeriodSeconds: {{ $.Values.terminationGracePeriodSeconds }}
securityContext:
  {{- include "shiftward.podSecurityContext" $ | nindent 2 }}
{{- with $.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: shiftward
    image: {{ include "shiftward.image" $ }}
    imagePullPolicy: {{ $.Values.image.pullPolicy }}
    args: [{{ .component }}]
    ports:
      - name: http
        containerPort: 8080
        protocol: TCP
    envFrom:
      - configMapRef:
          name: {{ include "shiftward.fullname" $ }}
    env:
      - name: SHIFTWARD_ADDR
        value: ":8080"
      {{- with include "shiftward.mib80" $c.resources.limits.memory }}
      # The Go collector keeps the heap within 80% of the memory limit.
      - name: GOMEMLIMIT
        value: {{ printf "%sMiB" . | quote }}
      {{- end }}
      {{- if $.Values.github.enabled }}
      - name: SHIFTWARD_GITHUB_APP_FILE
        value: /var/run/secrets/shiftward/github-app.json
      {{- end }}
      {{- if $.Values.gitlab.enabled }}
      - name: SHIFTWARD_GITLAB_TOKEN
        valueFrom:
          secretKeyRef:
            name: {{ include "shiftward.secretName" $ }}
            key: gitlab-token
      - name: SHIFTWARD_GITLAB_WEBHOOK_SECRET
        valueFrom:
          secretKeyRef:
            name: {{ include "shiftward.secretName" $ }}
            key: gitlab-webhook-secret
      {{- end }}
      {{- if not $bundled }}
      {{- if $.Values.redis.existingSecret }}
      - name: SHIFTWARD_REDIS_URL
        valueFrom:
          secretKeyRef:
            name: {{ $.Values.redis.existingSecret }}
            key: {{ $.Values.redis.existingSecretKey }}
      {{- else }}
      - name: SHIFTWARD_REDIS_URL
        value: {{ $.Values.redis.url | quote }}
      {{- end }}
      {{- else if $pw.name }}
      - name: REDIS_PASSWORD
        valueFrom:
          secretKeyRef:
            name: {{ $pw.name }}
            key: {{ $pw.key }}
      - name: SHIFTWARD_REDIS_URL
        value: {{ printf "redis://:$(REDIS_PASSWORD)@%s:6379/0" (include "shiftward.redisName" $) | quote }}
      {{- else }}
      - name: SHIFTWARD_REDIS_URL
        value: {{ printf "redis://%s:6379/0" (include "shiftward.redisName" $) | quote }}
      {{- end }}
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
      periodSeconds: 10
      timeoutSeconds: 3
      failureThreshold: 3
    readinessProbe:
      httpGet:
        path: /readyz
        port: http
      periodSeconds: 5
      timeoutSeconds: 3
      failureThreshold: 2
    resources:
      {{- toYaml $c.resources | nindent 6 }}
    securityContext:
      {{- include "shiftward.containerSecurityContext" $ | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      {{- if $.Values.github.enabled }}
      - name: github-app
        mountPath: /var/run/secrets/shiftward
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ $.Values.tmpSizeLimit }}
  {{- if $.Values.github.enabled }}
  - name: github-app
    secret:
      secretName: {{ include "shiftward.secretName" $ }}
      # Owner root, group fsGroup (65532): readable by shiftward alone.
      defaultMode: 288 # 0440
      items:
        - key: github-app.json
          path: github-app.json
  {{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The Redis a redis-streams trigger reads, and the stream and group. */}}
{{- define "shiftward.kedaRedis" -}}
{{- $k := .Values.autoscaling.keda -}}
{{- if include "shiftward.bundledRedis" . -}}
# KEDA's operator runs in another namespace: the Service's full name.
address: {{ printf "%s.%s.svc:6379" (include "shiftward.redisName" .) .Release.Namespace | quote }}
databaseIndex: "0"
enableTLS: "false"
{{- else -}}
address: {{ $k.address | quote }}
databaseIndex: {{ $k.databaseIndex | toString | quote }}
enableTLS: {{ $k.enableTLS | toString | quote }}
{{- end }}
stream: {{ include "shiftward.jobStream" . | quote }}
consumerGroup: workers
{{- end }}
