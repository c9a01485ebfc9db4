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
}
