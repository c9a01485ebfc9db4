package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code spec.explainer.art}. */
@PreserveUnknownFields
public class ExplainerArt extends Extensible {
  private String type;
  private String storageUri;
  private String runtimeVersion;
  private java.util.Map<String, String> config;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
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

  public java.util.Map<String, String> getConfig() {
    return config;
  }

  public void setConfig(java.util.Map<String, String> config) {
    this.config = config;
  }
}
