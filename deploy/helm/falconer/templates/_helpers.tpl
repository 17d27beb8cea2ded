{{/* Names and labels. */}}
{{- define "falconer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "falconer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "falconer.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "falconer.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "falconer.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: falconer
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Selector labels of one component: include with (list $ "router"). */}}
{{- define "falconer.selector" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "falconer.name" $ }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "falconer.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "falconer.credentialsName" -}}
{{ include "falconer.fullname" . }}-credentials
{{- end }}

{{- define "falconer.redisName" -}}
{{ include "falconer.fullname" . }}-redis
{{- end }}

{{- define "falconer.remediatorName" -}}
{{ include "falconer.fullname" . }}-remediator
{{- end }}

{{- define "falconer.usesRedis" -}}
{{- if or .Values.redis.url .Values.redis.bundled.enabled }}true{{ end }}
{{- end }}

{{/* Several router pods may run at once. */}}
{{- define "falconer.scaled" -}}
{{- if or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled }}true{{ end }}
{{- end }}

{{/* The chart creates an operator when no user is given and the dashboard is not explicitly open. */}}
{{- define "falconer.generatesOperator" -}}
{{- if and .Values.ui.enabled (not .Values.ui.open) (empty .Values.auth.dashboard.users) }}true{{ end }}
{{- end }}

{{/*
Generated secrets, made once per install and kept across upgrades (read back with lookup). Returns a dict
as YAML: operatorPassword, operatorHash, redisPassword, remediatorSecret. One definition, so the Secret and
the ConfigMap that both need the operator's hash agree; `helm template` (no cluster) generates new ones.
*/}}
{{- define "falconer.generated" -}}
{{- $old := (lookup "v1" "Secret" .Release.Namespace (include "falconer.credentialsName" .)).data | default dict -}}
{{- $pw := ternary (index $old "operator-password" | default "" | b64dec) (randAlphaNum 24) (hasKey $old "operator-password") -}}
{{- $hash := ternary (index $old "operator-passwordhash" | default "" | b64dec) (htpasswd "x" $pw | trimPrefix "x:") (hasKey $old "operator-passwordhash") -}}
operatorPassword: {{ $pw | quote }}
operatorHash: {{ $hash | quote }}
redisPassword: {{ ternary (index $old "redis-password" | default "" | b64dec) (randAlphaNum 32) (hasKey $old "redis-password") | quote }}
remediatorSecret: {{ ternary (index $old "remediator-secret" | default "" | b64dec) (randAlphaNum 48) (hasKey $old "remediator-secret") | quote }}
{{- end }}

{{/* Refuses configurations that would lose or split events. */}}
{{- define "falconer.validate" -}}
{{- if and (include "falconer.scaled" .) (not (include "falconer.usesRedis" .)) }}
{{- fail "several router replicas need Redis (set redis.url or redis.bundled.enabled=true): in-memory replicas would each keep their own history and queues" }}
{{- end }}
{{- if and .Values.redis.url .Values.redis.bundled.enabled }}
{{- fail "set either redis.url (external Redis) or redis.bundled.enabled, not both" }}
{{- end }}
{{- if and .Values.redis.cluster .Values.redis.bundled.enabled }}
{{- fail "redis.cluster needs an external Redis Cluster in redis.url; the bundled Redis is a single node" }}
{{- end }}
{{- range .Values.auth.dashboard.users }}
{{- if not (and .username .passwordhash) }}
{{- fail "auth.dashboard.users: each user needs username and passwordhash (bcrypt)" }}
{{- end }}
{{- if not (has (.role | default "viewer") (list "viewer" "operator")) }}
{{- fail (printf "auth.dashboard.users[%s].role: expected viewer or operator" .username) }}
{{- end }}
{{- end }}
{{- end }}
