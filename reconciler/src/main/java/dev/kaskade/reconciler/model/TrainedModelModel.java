package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code TrainedModel.spec.model}. */
@PreserveUnknownFields
public class TrainedModelModel extends Extensible {
  private String storageUri;
  private String framework;
  private io.fabric8.kubernetes.api.model.Quantity memory;

  public String getStorageUri() {
    return storageUri;
  }

  public void setStorageUri(String storageUri) {
    this.storageUri = storageUri;
  }

  public String getFramework() {
    return framework;
  }

  public void setFramework(String framework) {
    this.framework = framework;
  }

  public io.fabric8.kubernetes.api.model.Quantity getMemory() {
    return memory;
  }

  public void setMemory(io.fabric8.kubernetes.api.model.Quantity memory) {
    this.memory = memory;
  }
}
