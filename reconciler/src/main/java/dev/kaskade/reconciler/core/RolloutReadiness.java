package dev.kaskade.reconciler.core;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.schemas.kafka.StatusComponents;

/** When a rollout waits for readiness, and which report ends the wait. */
public final class RolloutReadiness {
  private RolloutReadiness() {}

  /** A predictor report saying this revision is Ready. */
  public static boolean readyReport(ComponentStatus status, String revision) {
    return StatusComponents.PREDICTOR.equals(status.getComponent())
        && revision.equals(status.getRevision())
        && status.getState() == ModelState.Ready;
  }

  /**
   * A promotion planned while its revision was not ready: the earlier revision is kept with no
   * canary percent. Such an event is planned again when the revision reports Ready.
   */
  public static boolean awaitingReadiness(ResourceEvent event) {
    return event != null
        && event.getSpec() instanceof InferenceServiceSpec spec
        && spec.getPreviousPredictor() != null
        && (spec.getCanaryTrafficPercent() == null || spec.getCanaryTrafficPercent() >= 100)
        && !spec.getPreviousPredictor().getRevision().equals(spec.getPredictor().getRevision());
  }

  /** Whether this report completes the pending promotion of {@code event}. */
  public static boolean completes(ResourceEvent event, ComponentStatus status) {
    return awaitingReadiness(event)
        && "InferenceService".equals(status.getKind())
        && readyReport(
            status, ((InferenceServiceSpec) event.getSpec()).getPredictor().getRevision());
  }
}
