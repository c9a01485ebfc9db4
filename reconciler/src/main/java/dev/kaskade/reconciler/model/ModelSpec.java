package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * A predictor implementation ({@code model} or a framework shortcut such as {@code sklearn});
 * container overrides are kept as unknown fields.
 */
@PreserveUnknownFields
public class ModelSpec extends Extensible {
  private ModelFormat modelFormat;
  private String runtime;
  private String storageUri;
  private String runtimeVersion;
  private String protocolVersion;
  private io.fabric8.kubernetes.api.model.ResourceRequirements resources;

  public ModelFormat getModelFormat() {
    return modelFormat;
  }

  public void setModelFormat(ModelFormat modelFormat) {
    this.modelFormat = modelFormat;
  }

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }

  public String getStorageUri() {
    return storageUri;
  }

  public void setStorageUri(String storageUri) {
    this.storageUri = storageUri;
  }

  public String getRuntimeVersion() {
    return runtimeVersion;
  }

  public void setRuntimeVersion(String runtimeVersion) {
    this.runtimeVersion = runtimeVersion;
  }

  public String getProtocolVersion() {
    return protocolVersion;
  }

  public void setProtocolVersion(String protocolVersion) {
    this.protocolVersion = protocolVersion;
  }

  public io.fabric8.kubernetes.api.model.ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(io.fabric8.kubernetes.api.model.ResourceRequirements resources) {
    this.resources = resources;
  }
}
