package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code InferenceGraph.spec}. */
@PreserveUnknownFields
public class InferenceGraphSpec extends Extensible {
  private java.util.Map<String, InferenceRouter> nodes;
  private Long timeout;
  private Integer minReplicas;
  private Integer maxReplicas;

  public java.util.Map<String, InferenceRouter> getNodes() {
    return nodes;
  }

  public void setNodes(java.util.Map<String, InferenceRouter> nodes) {
    this.nodes = nodes;
  }

  public Long getTimeout() {
    return timeout;
  }

  public void setTimeout(Long timeout) {
    this.timeout = timeout;
  }

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }
}
