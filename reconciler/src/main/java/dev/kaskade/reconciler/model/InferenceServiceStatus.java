package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code InferenceService.status} as KServe writes it. */
@PreserveUnknownFields
public class InferenceServiceStatus extends Extensible {
  private String url;
  private Addressable address;
  private java.util.List<Condition> conditions;
  private Long observedGeneration;
  private java.util.Map<String, ComponentStatusSpec> components;
  private ModelStatus modelStatus;
  private String deploymentMode;
  private String servingRuntimeName;
  private String clusterServingRuntimeName;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Addressable getAddress() {
    return address;
  }

  public void setAddress(Addressable address) {
    this.address = address;
  }

  public java.util.List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(java.util.List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public java.util.Map<String, ComponentStatusSpec> getComponents() {
    return components;
  }

  public void setComponents(java.util.Map<String, ComponentStatusSpec> components) {
    this.components = components;
  }

  public ModelStatus getModelStatus() {
    return modelStatus;
  }

  public void setModelStatus(ModelStatus modelStatus) {
    this.modelStatus = modelStatus;
  }

  public String getDeploymentMode() {
    return deploymentMode;
  }

  public void setDeploymentMode(String deploymentMode) {
    this.deploymentMode = deploymentMode;
  }

  public String getServingRuntimeName() {
    return servingRuntimeName;
  }

  public void setServingRuntimeName(String servingRuntimeName) {
    this.servingRuntimeName = servingRuntimeName;
  }

  public String getClusterServingRuntimeName() {
    return clusterServingRuntimeName;
  }

  public void setClusterServingRuntimeName(String clusterServingRuntimeName) {
    this.clusterServingRuntimeName = clusterServingRuntimeName;
  }
}
