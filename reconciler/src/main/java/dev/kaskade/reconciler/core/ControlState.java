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
}
