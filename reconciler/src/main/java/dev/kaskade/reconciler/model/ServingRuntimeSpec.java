package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** Spec shared by ServingRuntime and ClusterServingRuntime. */
@PreserveUnknownFields
public class ServingRuntimeSpec extends Extensible {
  private java.util.List<SupportedModelFormat> supportedModelFormats;
  private java.util.List<String> protocolVersions;
  private Boolean multiModel;
  private Boolean disabled;
  private java.util.List<io.fabric8.kubernetes.api.model.Container> containers;

  public java.util.List<SupportedModelFormat> getSupportedModelFormats() {
    return supportedModelFormats;
  }

  public void setSupportedModelFormats(java.util.List<SupportedModelFormat> supportedModelFormats) {
    this.supportedModelFormats = supportedModelFormats;
  }

  public java.util.List<String> getProtocolVersions() {
    return protocolVersions;
  }

  public void setProtocolVersions(java.util.List<String> protocolVersions) {
    this.protocolVersions = protocolVersions;
  }

  public Boolean getMultiModel() {
    return multiModel;
  }

  public void setMultiModel(Boolean multiModel) {
    this.multiModel = multiModel;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }

  public java.util.List<io.fabric8.kubernetes.api.model.Container> getContainers() {
    return containers;
  }

  public void setContainers(java.util.List<io.fabric8.kubernetes.api.model.Container> containers) {
    this.containers = containers;
  }
}
