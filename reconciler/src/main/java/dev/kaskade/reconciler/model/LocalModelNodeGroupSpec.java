package dev.kaskade.reconciler.model;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** {@code LocalModelNodeGroup.spec}: the storage a node group caches models on. */
@PreserveUnknownFields
public class LocalModelNodeGroupSpec extends Extensible {
  private io.fabric8.kubernetes.api.model.Quantity storageLimit;
  private io.fabric8.kubernetes.api.model.PersistentVolumeSpec persistentVolumeSpec;
  private io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec persistentVolumeClaimSpec;

  public io.fabric8.kubernetes.api.model.Quantity getStorageLimit() {
    return storageLimit;
  }

  public void setStorageLimit(io.fabric8.kubernetes.api.model.Quantity storageLimit) {
    this.storageLimit = storageLimit;
  }

  public io.fabric8.kubernetes.api.model.PersistentVolumeSpec getPersistentVolumeSpec() {
    return persistentVolumeSpec;
  }

  public void setPersistentVolumeSpec(
      io.fabric8.kubernetes.api.model.PersistentVolumeSpec persistentVolumeSpec) {
    this.persistentVolumeSpec = persistentVolumeSpec;
  }

  public io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec getPersistentVolumeClaimSpec() {
    return persistentVolumeClaimSpec;
  }

  public void setPersistentVolumeClaimSpec(
      io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec persistentVolumeClaimSpec) {
    this.persistentVolumeClaimSpec = persistentVolumeClaimSpec;
  }
}
