package dev.kaskade.reconciler.cluster;

import dev.kaskade.reconciler.model.ComponentStatusSpec;
import dev.kaskade.reconciler.model.FailureInfo;
import dev.kaskade.reconciler.model.InferenceServiceStatus;
import dev.kaskade.reconciler.model.TrafficTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Pure: the Kubernetes Events a status change is worth — what a user would look for with {@code
 * kubectl describe isvc}. Reasons match the status: RevisionCreated, RevisionReady, RevisionFailed
 * (the load failure's reason in the message), TrafficMoved, RolledBack.
 */
final class StatusEvents {
  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  /** One event to emit on the InferenceService. */
  record Event(String type, String reason, String message) {}

  private StatusEvents() {}

  static List<Event> diff(InferenceServiceStatus before, InferenceServiceStatus after) {
    List<Event> events = new ArrayList<>();
    ComponentStatusSpec was = predictor(before);
    ComponentStatusSpec now = predictor(after);
    if (now == null) {
      return events;
    }
    String created = now.getLatestCreatedRevision();
    if (created != null && (was == null || !created.equals(was.getLatestCreatedRevision()))) {
      events.add(new Event(NORMAL, "RevisionCreated", "created revision " + created));
    }
    String ready = now.getLatestReadyRevision();
    if (ready != null && (was == null || !ready.equals(was.getLatestReadyRevision()))) {
      events.add(new Event(NORMAL, "RevisionReady", "revision " + ready + " is ready"));
    }
    FailureInfo failure = failure(after);
    if (failure != null && !sameFailure(failure, failure(before))) {
      events.add(
          new Event(
              WARNING,
              "RevisionFailed",
              "revision "
                  + failure.getModelRevisionName()
                  + " failed to load: "
                  + failure.getReason()
                  + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
    }
    String split = split(now.getTraffic());
    if (was != null && !split.isEmpty() && !split.equals(split(was.getTraffic()))) {
      events.add(new Event(NORMAL, "TrafficMoved", "traffic now " + split));
    }
    if (rolledBack(now) && (was == null || !rolledBack(was))) {
      events.add(
          new Event(
              WARNING,
              "RolledBack",
              "canaryTrafficPercent 0: all traffic on " + now.getLatestRolledoutRevision()));
    }
    return events;
  }

  private static ComponentStatusSpec predictor(InferenceServiceStatus status) {
    return status == null || status.getComponents() == null
        ? null
        : status.getComponents().get("predictor");
  }

  private static FailureInfo failure(InferenceServiceStatus status) {
    return status == null || status.getModelStatus() == null
        ? null
        : status.getModelStatus().getLastFailureInfo();
  }

  private static boolean sameFailure(FailureInfo a, FailureInfo b) {
    return b != null
        && Objects.equals(a.getModelRevisionName(), b.getModelRevisionName())
        && Objects.equals(a.getReason(), b.getReason())
        && Objects.equals(a.getMessage(), b.getMessage());
  }

  /** {@code r2=20%, r1=80%}. */
  private static String split(List<TrafficTarget> traffic) {
    return traffic == null
        ? ""
        : traffic.stream()
            .map(t -> t.getRevisionName() + "=" + t.getPercent() + "%")
            .collect(Collectors.joining(", "));
  }

  private static boolean rolledBack(ComponentStatusSpec predictor) {
    List<Map<String, Object>> history = predictor.getRolloutHistory();
    return history != null
        && !history.isEmpty()
        && "RolledBack".equals(history.get(history.size() - 1).get("reason"));
  }
}
