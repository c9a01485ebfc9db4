package dev.kaskade.reconciler.status;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.reconciler.core.RolloutHistory;
import dev.kaskade.reconciler.core.RolloutSettings;
import dev.kaskade.reconciler.model.Condition;
import dev.kaskade.reconciler.model.TrafficTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: the rollout part of an InferenceService's status — the split the gateway applies given
 * readiness, the history of moves, and why traffic has not moved to the latest revision.
 */
final class RolloutStatus {
  /** Condition on the latest revision while an earlier one is kept (KServe's type name). */
  static final String LATEST_DEPLOYMENT_READY = "LatestDeploymentReady";

  private RolloutStatus() {}

  /**
   * The split as served: P % on the latest revision and the rest on the kept previous one, or all
   * on the previous one while the latest is not ready and the previous one is (the gateway sends
   * nothing to a revision that is not ready). While neither is ready the planned split is shown.
   */
  static List<TrafficTarget> traffic(
      InferenceServiceSpec spec, boolean latestReady, boolean previousReady) {
    PredictorSpec previous = spec.getPreviousPredictor();
    Integer canary = spec.getCanaryTrafficPercent();
    boolean awaiting = canary == null || canary >= 100;
    if (previous == null || previous.getRevision().equals(spec.getPredictor().getRevision())) {
      return List.of(target(spec.getPredictor(), null, true, 100));
    }
    if (awaiting && (latestReady || !previousReady)) {
      return List.of(target(spec.getPredictor(), null, true, 100));
    }
    int latest = awaiting ? 0 : latestReady || !previousReady ? canary : 0;
    return List.of(
        target(spec.getPredictor(), "latest", true, latest),
        target(previous, "prev", false, 100 - latest));
  }

  private static TrafficTarget target(
      PredictorSpec predictor, String tag, boolean latest, int percent) {
    TrafficTarget target = new TrafficTarget();
    target.setTag(tag);
    target.setRevisionName(predictor.getRevision());
    target.setLatestRevision(latest);
    target.setPercent((long) percent);
    return target;
  }

  static List<Map<String, Object>> history(ResourceEvent event) {
    List<RolloutHistory.Entry> entries =
        RolloutHistory.read(event.getAnnotations().get(RolloutHistory.ANNOTATION));
    return entries.isEmpty() ? null : entries.stream().map(RolloutHistory::toMap).toList();
  }

  /**
   * While an earlier revision is kept: True once the latest is ready, False with the load failure
   * (traffic stays on the earlier revision), Unknown while it loads.
   */
  static Optional<Condition> latestDeploymentReady(
      InferenceServiceSpec spec,
      StatusAggregator.RevisionState latestState,
      StatusAggregator.RevisionState previousState) {
    PredictorSpec previous = spec.getPreviousPredictor();
    if (previous == null || previous.getRevision().equals(spec.getPredictor().getRevision())) {
      return Optional.empty();
    }
    Condition c = StatusAggregator.condition(LATEST_DEPLOYMENT_READY, latestState);
    String latest = spec.getPredictor().getRevision();
    String servedBy =
        previousState != null && previousState.ready()
            ? "traffic stays on " + previous.getRevision()
            : "the previous revision " + previous.getRevision() + " is not ready either";
    switch (latestState.state()) {
      case FailedToLoad -> {
        c.setReason("RevisionFailed");
        c.setMessage(
            "revision " + latest + " failed to become ready (" + c.getMessage() + "); " + servedBy);
      }
      case Ready -> c.setMessage("revision " + latest + " is ready");
      default -> {
        c.setReason("RolloutInProgress");
        c.setMessage("waiting for revision " + latest + " to become ready; " + servedBy);
      }
    }
    return Optional.of(c);
  }

  /** Rollout settings the planner could not honour, as a condition (from the event). */
  static List<Condition> settingsNotActedOn(ResourceEvent event) {
    String ignored = event.getAnnotations().get(RolloutSettings.ANNOTATION);
    if (ignored == null || ignored.isEmpty()) {
      return List.of();
    }
    Condition c = new Condition();
    c.setType(RolloutSettings.CONDITION);
    c.setStatus("False");
    c.setReason(RolloutSettings.REASON);
    c.setMessage(ignored);
    return List.of(c);
  }
}
