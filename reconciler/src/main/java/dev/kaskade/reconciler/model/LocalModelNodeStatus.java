package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * {@code LocalModelNode.status}: per model name, ModelDownloadPending, ModelDownloading,
 * ModelDownloaded or ModelDownloadError.
 */
@PreserveUnknownFields
public class LocalModelNodeStatus extends ResourceStatus {
  private java.util.Map<String, String> modelStatus;

  public java.util.Map<String, String> getModelStatus() {
    return modelStatus;
  }

  public void setModelStatus(java.util.Map<String, String> modelStatus) {
    this.modelStatus = modelStatus;
  }
}
