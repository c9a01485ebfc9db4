package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.ResourceEvent;

/**
 * One resource as {@code get} shows it.
 *
 * @param event the control event (spec and original manifest)
 * @param status the KServe-style status ({@code InferenceServiceStatus} or {@code ResourceStatus})
 * @param drift the latest drift alert of the model, or null
 */
public record ResourceView(ResourceEvent event, Object status, DriftAlert drift) {

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
