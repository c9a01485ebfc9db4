package dev.kaskade.reconciler.core;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ResourceEvent;
import java.util.List;

/**
 * What applying one manifest publishes.
 *
 * @param manifest the validated, defaulted manifest
 * @param event the control event (key {@code kind/namespace/name})
 * @param statuses status records the control plane itself reports (an unservable revision), or
 *     clears (value null)
 */
public record Plan(Manifest manifest, ResourceEvent event, List<StatusRecord> statuses) {

  /** A control-status record keyed {@link dev.kaskade.schemas.kafka.ResourceKeys#status}. */
  public record StatusRecord(String key, ComponentStatus value) {}
}
