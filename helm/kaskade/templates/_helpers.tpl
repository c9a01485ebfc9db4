{{- define "kaskade.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kaskade.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "kaskade.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kaskade.kafkaEnv" -}}
- name: KASKADE_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: KASKADE_SCHEMA_REGISTRY_URL
  value: {{ .Values.schemaRegistry.url | quote }}
- name: KASKADE_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
- name: KASKADE_REPLICATION_FACTOR
  value: {{ .Values.kafka.replicationFactor | quote }}
- name: KASKADE_PARTITIONS
  value: {{ .Values.kafka.partitions | quote }}
{{- end -}}

{{- define "kaskade.webhookSecret" -}}
{{- if .Values.webhook.certManager.enabled -}}
{{ include "kaskade.fullname" . }}-webhook-tls
{{- else -}}
{{ required "webhook.tls.secretName is required when cert-manager is disabled" .Values.webhook.tls.secretName }}
{{- end -}}
{{- end -}}

{{/* The Kafka client properties Secret of a component (dict "root" . "component" "gateway"). */}}
{{- define "kaskade.kafkaSecret" -}}
{{- $secrets := .root.Values.kafka.security.secrets -}}
{{- default $secrets.default (get $secrets .component) -}}
{{- end -}}

{{- define "kaskade.kafkaSecurityEnv" -}}
{{- if include "kaskade.kafkaSecret" . }}
- name: KASKADE_KAFKA_CONFIG
  value: /etc/kaskade/kafka/{{ .root.Values.kafka.security.configKey }}
{{- end }}
{{- end -}}

{{- define "kaskade.kafkaSecurityVolumeMounts" -}}
{{- if include "kaskade.kafkaSecret" . }}
- name: kafka-client
  mountPath: /etc/kaskade/kafka
  readOnly: true
{{- end }}
{{- end -}}

{{- define "kaskade.kafkaSecurityVolumes" -}}
{{- if include "kaskade.kafkaSecret" . }}
- name: kafka-client
  secret:
    secretName: {{ include "kaskade.kafkaSecret" . }}
    defaultMode: 0400
{{- end }}
{{- end -}}
