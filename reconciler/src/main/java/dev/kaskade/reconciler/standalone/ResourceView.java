package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.ResourceEvent;
import java.util.List;

/**
 * One resource as {@code get} shows it.
 *
 * @param event the control event (spec and original manifest)
 * @param status the KServe-style status ({@code InferenceServiceStatus} or {@code ResourceStatus})
 * @param drift the alerts of the model's latest drift window (one per feature), empty when none
 */
public record ResourceView(ResourceEvent event, Object status, List<DriftAlert> drift) {

  public String kind() {
    return event.getKind();
  }

  public String namespace() {
    return event.getNamespace();
  }

  public String name() {
    return event.getName();
  }
}
