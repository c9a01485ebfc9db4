package dev.kaskade.reconciler.core;

/** What validation may ask about other resources (InferenceGraph steps, TrainedModel parents). */
@FunctionalInterface
public interface KnownResources {
  /** Accepts every reference: used where the existing resources cannot be listed. */
  KnownResources ANY = (namespace, name) -> true;

  boolean inferenceServiceExists(String namespace, String name);

  /**
   * The ClusterStorageContainers: a storageUri one of them fetches is valid even when its scheme is
   * not one of KServe's built-in ones (KServe's controller accepts it the same way).
   */
  default java.util.List<dev.kaskade.reconciler.model.ClusterStorageContainer> storageContainers() {
    return java.util.List.of();
  }
}
