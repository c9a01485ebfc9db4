package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** Status of the v1alpha1 resources: url, address, conditions. */
@PreserveUnknownFields
public class ResourceStatus extends Extensible {
  private String url;
  private Addressable address;
  private java.util.List<Condition> conditions;
  private Long observedGeneration;
  private String deploymentMode;
  private String modelState;

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

  public String getDeploymentMode() {
    return deploymentMode;
  }

  public void setDeploymentMode(String deploymentMode) {
    this.deploymentMode = deploymentMode;
  }

  /**
   * TrainedModels only: where the model is on its workers, {@code Loaded}, {@code Loading}, {@code
   * Evicted} (dropped by the memory budget, loads again on the next request), {@code FailedToLoad}
   * or {@code NotLoaded} (no request yet).
   */
  public String getModelState() {
    return modelState;
  }

  public void setModelState(String modelState) {
    this.modelState = modelState;
  }
}
