package dev.kaskade.reconciler.core;

import dev.kaskade.events.InferenceServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The traffic moves of an InferenceService with their times, carried in the control event as the
 * JSON annotation {@value #ANNOTATION} and shown as {@code
 * status.components.predictor.rolloutHistory}. An entry is added only when the planned split
 * changes, so re-applying an unchanged manifest adds nothing; the newest {@value #MAX} are kept.
 */
public final class RolloutHistory {
  public static final String ANNOTATION = "internal.kaskade.dev/rollout-history";
  static final int MAX = 20;

  /** Traffic moved to the new revision in full. */
  public static final String PROMOTED = "Promoted";

  /** A promotion waits for the new revision to report Ready; traffic stays on the previous one. */
  public static final String AWAITING_READINESS = "AwaitingReadiness";

  /** The canary share changed. */
  public static final String CANARY = "CanaryTrafficMoved";

  /** {@code canaryTrafficPercent: 0}: all traffic back on the previous revision. */
  public static final String ROLLED_BACK = "RolledBack";

  private RolloutHistory() {}

  /** One move: who gets how much, since when and why. */
  public record Entry(
      String time,
      String latestRevision,
      int latestPercent,
      String previousRevision,
      Integer previousPercent,
      String reason) {
    boolean sameSplit(Entry other) {
      return latestRevision.equals(other.latestRevision)
          && latestPercent == other.latestPercent
          && Objects.equals(previousRevision, other.previousRevision)
          && reason.equals(other.reason);
    }
  }

  /** The planned split of a spec as a history entry. */
  public static Entry entry(InferenceServiceSpec spec, Instant now) {
    String latest = spec.getPredictor().getRevision();
    if (spec.getPreviousPredictor() == null) {
      return new Entry(now.toString(), latest, 100, null, null, PROMOTED);
    }
    String previous = spec.getPreviousPredictor().getRevision();
    Integer canary = spec.getCanaryTrafficPercent();
    if (canary == null || canary >= 100) {
      return new Entry(now.toString(), latest, 0, previous, 100, AWAITING_READINESS);
    }
    return new Entry(
        now.toString(), latest, canary, previous, 100 - canary, canary == 0 ? ROLLED_BACK : CANARY);
  }

  /** The history JSON with {@code next} appended when the split changed. */
  public static String append(String historyJson, Entry next) {
    List<Entry> entries = new ArrayList<>(read(historyJson));
    if (!entries.isEmpty() && entries.get(entries.size() - 1).sameSplit(next)) {
      return historyJson;
    }
    entries.add(next);
    if (entries.size() > MAX) {
      entries = entries.subList(entries.size() - MAX, entries.size());
    }
    return ManifestCodec.toJson(entries.stream().map(RolloutHistory::toMap).toList());
  }

  /** The entries of a history annotation (none when absent). */
  public static List<Entry> read(String historyJson) {
    if (historyJson == null || historyJson.isBlank()) {
      return List.of();
    }
    List<?> raw = ManifestCodec.fromJson(historyJson, List.class);
    List<Entry> entries = new ArrayList<>();
    for (Object item : raw) {
      Map<?, ?> m = (Map<?, ?>) item;
      entries.add(
          new Entry(
              (String) m.get("time"),
              (String) m.get("latestRevision"),
              ((Number) m.get("latestPercent")).intValue(),
              (String) m.get("previousRevision"),
              m.get("previousPercent") == null
                  ? null
                  : ((Number) m.get("previousPercent")).intValue(),
              (String) m.get("reason")));
    }
    return entries;
  }

  public static Map<String, Object> toMap(Entry e) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("time", e.time());
    map.put("latestRevision", e.latestRevision());
    map.put("latestPercent", e.latestPercent());
    if (e.previousRevision() != null) {
      map.put("previousRevision", e.previousRevision());
      map.put("previousPercent", e.previousPercent());
    }
    map.put("reason", e.reason());
    return map;
  }
}
