package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code LocalModelCache.spec}. */
@PreserveUnknownFields
public class LocalModelCacheSpec extends Extensible {
  private String sourceModelUri;
  private io.fabric8.kubernetes.api.model.Quantity modelSize;
  private java.util.List<String> nodeGroups;
  private String serviceAccountName;

  public String getSourceModelUri() {
    return sourceModelUri;
  }

  public void setSourceModelUri(String sourceModelUri) {
    this.sourceModelUri = sourceModelUri;
  }

  public io.fabric8.kubernetes.api.model.Quantity getModelSize() {
    return modelSize;
  }

  public void setModelSize(io.fabric8.kubernetes.api.model.Quantity modelSize) {
    this.modelSize = modelSize;
  }

  public java.util.List<String> getNodeGroups() {
    return nodeGroups;
  }

  public void setNodeGroups(java.util.List<String> nodeGroups) {
    this.nodeGroups = nodeGroups;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }
}
