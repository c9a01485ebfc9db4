package dev.kaskade.reconciler.core;

/** What validation may ask about other resources (InferenceGraph steps, TrainedModel parents). */
@FunctionalInterface
public interface KnownResources {
  /** Accepts every reference: used where the existing resources cannot be listed. */
  KnownResources ANY = (namespace, name) -> true;

  boolean inferenceServiceExists(String namespace, String name);
}
