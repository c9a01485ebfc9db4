package dev.kaskade.schemas.route;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;

/**
 * A predictor revision with {@code minReplicas: 0} is served while no worker runs it: its requests
 * wait in its topic and their lag wakes a worker (the standalone worker's own watcher, KEDA in a
 * cluster). The gateway keeps routing to such a revision; the workers say so on the status topic.
 */
public final class ScaleToZeroRules {
  /** Reason of the {@code Unloaded} status a worker publishes when it stops a min-0 revision. */
  public static final String SCALED_TO_ZERO = "ScaledToZero";

  private ScaleToZeroRules() {}

  /** Whether the revision may have no worker at all (and is woken by waiting requests). */
  public static boolean scalesToZero(PredictorSpec predictor) {
    return predictor != null && predictor.getMinReplicas() == 0;
  }

  /** Whether this status says the revision's worker stopped for idleness (requests wake it). */
  public static boolean asleep(ComponentStatus status) {
    return status.getState() == ModelState.Unloaded && SCALED_TO_ZERO.equals(status.getReason());
  }
}
