package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * Fields every component (predictor, transformer, explainer) shares; inline pod fields other than
 * {@code containers} are kept as unknown fields.
 */
@PreserveUnknownFields
public class ComponentExtension extends Extensible {
  private Integer minReplicas;
  private Integer maxReplicas;
  private Integer scaleTarget;
  private String scaleMetric;
  private String scaleMetricType;
  private Long containerConcurrency;
  private Long timeout;
  private Long canaryTrafficPercent;
  private LoggerSpec logger;
  private Batcher batcher;
  private java.util.Map<String, String> labels;
  private java.util.Map<String, String> annotations;
  private java.util.List<io.fabric8.kubernetes.api.model.Container> containers;
  private String serviceAccountName;

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getScaleTarget() {
    return scaleTarget;
  }

  public void setScaleTarget(Integer scaleTarget) {
    this.scaleTarget = scaleTarget;
  }

  public String getScaleMetric() {
    return scaleMetric;
  }

  public void setScaleMetric(String scaleMetric) {
    this.scaleMetric = scaleMetric;
  }

  public String getScaleMetricType() {
    return scaleMetricType;
  }

  public void setScaleMetricType(String scaleMetricType) {
    this.scaleMetricType = scaleMetricType;
  }

  public Long getContainerConcurrency() {
    return containerConcurrency;
  }

  public void setContainerConcurrency(Long containerConcurrency) {
    this.containerConcurrency = containerConcurrency;
  }

  public Long getTimeout() {
    return timeout;
  }

  public void setTimeout(Long timeout) {
    this.timeout = timeout;
  }

  public Long getCanaryTrafficPercent() {
    return canaryTrafficPercent;
  }

  public void setCanaryTrafficPercent(Long canaryTrafficPercent) {
    this.canaryTrafficPercent = canaryTrafficPercent;
  }

  public LoggerSpec getLogger() {
    return logger;
  }

  public void setLogger(LoggerSpec logger) {
    this.logger = logger;
  }

  public Batcher getBatcher() {
    return batcher;
  }

  public void setBatcher(Batcher batcher) {
    this.batcher = batcher;
  }

  public java.util.Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(java.util.Map<String, String> labels) {
    this.labels = labels;
  }

  public java.util.Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(java.util.Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public java.util.List<io.fabric8.kubernetes.api.model.Container> getContainers() {
    return containers;
  }

  public void setContainers(java.util.List<io.fabric8.kubernetes.api.model.Container> containers) {
    this.containers = containers;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }
}
