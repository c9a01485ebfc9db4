package dev.kaskade.processors;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.monitor.MonitorTopology;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * Which of the processors' Kafka Streams applications the known resources call for: the transformer
 * once an InferenceService has a {@code transformer}, the monitor once one configures drift or
 * outlier detection. Until then neither application needs to read, poll or hold a group. Pure.
 */
final class StreamsDemand {
  private StreamsDemand() {}

  static final Predicate<ResourceEvent> TRANSFORMER =
      event ->
          event.getSpec() instanceof InferenceServiceSpec spec && spec.getTransformer() != null;

  static final Predicate<ResourceEvent> MONITOR =
      event ->
          event.getSpec() instanceof InferenceServiceSpec spec
              && MonitorTopology.monitors(spec.getMonitorJson());

  static boolean anyNeeds(Collection<ResourceEvent> resources, Predicate<ResourceEvent> need) {
    return resources.stream().anyMatch(need);
  }
}
