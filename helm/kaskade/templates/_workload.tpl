{{- /*
Hardening and placement shared by every Deployment of the chart (issue #14 item 7, #16):
non-root, read-only root filesystem, no capabilities, the configured service account, and a
writable data dir and /tmp on emptyDir volumes.
*/ -}}

{{- define "kaskade.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (printf "%s-workload" (include "kaskade.fullname" .)) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "kaskade.podSecurityContext" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{- define "kaskade.containerSecurityContext" -}}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
{{- end -}}

{{- /* The writable paths of a read-only root filesystem: the data dir and /tmp. */ -}}
{{- define "kaskade.writableMounts" -}}
- name: data
  mountPath: {{ .Values.dataDir }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "kaskade.writableVolumes" -}}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- /* S3 (models, audit store): endpoint and region, credentials from s3.credentialsSecret. */ -}}
{{- define "kaskade.s3Env" -}}
{{- if .Values.s3.endpoint }}
- name: KASKADE_AUDIT_S3_ENDPOINT
  value: {{ .Values.s3.endpoint | quote }}
- name: AWS_ENDPOINT_URL_S3
  value: {{ .Values.s3.endpoint | quote }}
{{- end }}
- name: KASKADE_AUDIT_S3_REGION
  value: {{ .Values.s3.region | quote }}
- name: AWS_REGION
  value: {{ .Values.s3.region | quote }}
{{- with .Values.s3.credentialsSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: AWS_ACCESS_KEY_ID
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: AWS_SECRET_ACCESS_KEY
{{- end }}
{{- end -}}
