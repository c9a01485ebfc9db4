package dev.kaskade.reconciler.core;

import dev.kaskade.events.ResourceEvent;
import java.util.List;
import java.util.Optional;

/** What planning needs to know about resources already applied. */
public interface ControlState extends KnownResources {

  /** The current control event of a resource, if any. */
  Optional<ResourceEvent> current(ResourceKind kind, String namespace, String name);

  /** Every ServingRuntime and ClusterServingRuntime. */
  List<RuntimeCandidate> runtimes();

  /**
   * Whether an instance reported this predictor revision of an InferenceService Ready: a promotion
   * moves traffic only then. The default (state without status reports, as in unit tests) says yes,
   * which promotes at once.
   */
  default boolean predictorReady(String namespace, String name, String revision) {
    return true;
  }

  /** Whether replicas and scale targets are honoured (a cluster's KEDA/HPA); not standalone. */
  default boolean scalesWorkloads() {
    return false;
  }

  /**
   * Whether ClusterStorageContainers' containers run (a cluster's pods); standalone has no
   * containers, so a storage URI only a container could fetch is reported not ready.
   */
  default boolean runsStorageContainers() {
    return false;
  }

  /** The time recorded in the rollout history. */
  default java.time.Instant now() {
    return java.time.Instant.now();
  }
}
