package dev.kaskade.processors.kafka;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.route.TrafficSplit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which predictor revisions of each InferenceService are ready, from the status topic, and the
 * revision a request may be sent to directly (skipping the requests topic and the dispatcher's
 * hop). Pure state: the control-cache thread applies records, other threads query.
 *
 * <p>A revision is ready while at least one of its instances' latest {@code ComponentStatus}
 * (component {@code predictor}, kind {@code InferenceService}) is {@code Ready}: the gateway's rule
 * ({@code RoutingTable.revisionReady}, ingress-gateway module), rewritten here because that class
 * lives in the gateway.
 */
public final class ReadyRevisions {
  private static final String KIND = "InferenceService";
  private static final String COMPONENT = "predictor";

  /** status key → ns/isvc/revision, for the keys whose latest status is Ready. */
  private final Map<String, String> readyKeys = new ConcurrentHashMap<>();

  /** ns/isvc/revision → the status keys reporting it Ready. */
  private final Map<String, Set<String>> readyBy = new ConcurrentHashMap<>();

  /** Applies a status record; a null status (tombstone) deletes the key's report. */
  public synchronized void apply(String key, ComponentStatus status) {
    String revision = readyRevision(status);
    String previous = revision == null ? readyKeys.remove(key) : readyKeys.put(key, revision);
    if (previous != null && !previous.equals(revision)) {
      readyBy.computeIfPresent(
          previous,
          (id, keys) -> {
            keys.remove(key);
            return keys.isEmpty() ? null : keys;
          });
    }
    if (revision != null) {
      readyBy.computeIfAbsent(revision, id -> ConcurrentHashMap.newKeySet()).add(key);
    }
  }

  /** ns/isvc/revision of a Ready predictor status, else null. */
  private static String readyRevision(ComponentStatus status) {
    if (status == null
        || status.getState() != ModelState.Ready
        || !KIND.equals(status.getKind())
        || !COMPONENT.equals(status.getComponent())) {
      return null;
    }
    return id(status.getNamespace(), status.getName(), status.getRevision());
  }

  /** Whether an instance reported this predictor revision Ready (and has not since left it). */
  public boolean ready(String namespace, String isvc, String revision) {
    return readyBy.containsKey(id(namespace, isvc, revision));
  }

  /**
   * The revision whose predictor topic may receive this request directly, chosen as the gateway
   * chooses ({@link TrafficSplit#readyRevisionFor}: the canary choice the dispatcher also makes,
   * else the other rolled-out revision when only that one is ready). Empty (send to the requests
   * topic instead) when the InferenceService has a transformer, when no candidate revision is
   * ready, or when the revision serves several models (the dispatcher partitions those by model).
   */
  public static Optional<String> direct(
      InferenceServiceSpec spec, String requestId, Predicate<String> ready) {
    if (spec == null || spec.getPredictor() == null || spec.getTransformer() != null) {
      return Optional.empty();
    }
    return TrafficSplit.readyRevisionFor(requestId, spec, ready)
        .filter(revision -> !revision.isBlank() && !multiModel(spec, revision));
  }

  private static boolean multiModel(InferenceServiceSpec spec, String revision) {
    PredictorSpec previous = spec.getPreviousPredictor();
    PredictorSpec predictor =
        previous != null && revision.equals(previous.getRevision())
            ? previous
            : spec.getPredictor();
    return predictor.getMultiModel();
  }

  /** {@link #direct} over this table's ready revisions of the InferenceService. */
  public Optional<String> direct(
      String namespace, String isvc, InferenceServiceSpec spec, String requestId) {
    return direct(spec, requestId, revision -> ready(namespace, isvc, revision));
  }

  private static String id(String namespace, String isvc, String revision) {
    return namespace + "/" + isvc + "/" + revision;
  }
}
