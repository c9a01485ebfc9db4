package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code LocalModelNodeGroup.status}. */
@PreserveUnknownFields
public class LocalModelNodeGroupStatus extends ResourceStatus {
  private io.fabric8.kubernetes.api.model.Quantity used;
  private io.fabric8.kubernetes.api.model.Quantity available;

  public io.fabric8.kubernetes.api.model.Quantity getUsed() {
    return used;
  }

  public void setUsed(io.fabric8.kubernetes.api.model.Quantity used) {
    this.used = used;
  }

  public io.fabric8.kubernetes.api.model.Quantity getAvailable() {
    return available;
  }

  public void setAvailable(io.fabric8.kubernetes.api.model.Quantity available) {
    this.available = available;
  }
}
