package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code LocalModelNode.spec}: the models one node should hold. */
@PreserveUnknownFields
public class LocalModelNodeSpec extends Extensible {
  private java.util.List<LocalModelInfo> localModels;

  public java.util.List<LocalModelInfo> getLocalModels() {
    return localModels;
  }

  public void setLocalModels(java.util.List<LocalModelInfo> localModels) {
    this.localModels = localModels;
  }
}
