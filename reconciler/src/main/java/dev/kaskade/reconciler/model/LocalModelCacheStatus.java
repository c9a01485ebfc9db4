package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * {@code LocalModelCache.status}: KServe's copies, nodeStatus and inferenceServices, plus Kaskade's
 * per-node detail ({@code nodes}).
 */
@PreserveUnknownFields
public class LocalModelCacheStatus extends ResourceStatus {
  private ModelCopies copies;
  private java.util.Map<String, String> nodeStatus;
  private java.util.List<NamespacedName> inferenceServices;
  private java.util.List<LocalModelNodeDetail> nodes;

  public ModelCopies getCopies() {
    return copies;
  }

  public void setCopies(ModelCopies copies) {
    this.copies = copies;
  }

  public java.util.Map<String, String> getNodeStatus() {
    return nodeStatus;
  }

  public void setNodeStatus(java.util.Map<String, String> nodeStatus) {
    this.nodeStatus = nodeStatus;
  }

  public java.util.List<NamespacedName> getInferenceServices() {
    return inferenceServices;
  }

  public void setInferenceServices(java.util.List<NamespacedName> inferenceServices) {
    this.inferenceServices = inferenceServices;
  }

  public java.util.List<LocalModelNodeDetail> getNodes() {
    return nodes;
  }

  public void setNodes(java.util.List<LocalModelNodeDetail> nodes) {
    this.nodes = nodes;
  }
}
