package dev.kaskade.reconciler.cluster;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.Plan;
import java.util.List;
import java.util.Optional;

/** The cluster reconciler's side of the control topics (Kafka in production, memory in tests). */
public interface ControlChannel {

  /** The current control event of a resource. */
  Optional<ResourceEvent> current(String kind, String namespace, String name);

  /** Publishes a plan (skipping values equal to the current ones). */
  void publish(Plan plan);

  /** Tombstones a resource. */
  void delete(String kind, String namespace, String name);

  /** Every status record of a resource. */
  List<ComponentStatus> statuses(String kind, String namespace, String name);
}
