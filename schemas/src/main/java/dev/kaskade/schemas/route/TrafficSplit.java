package dev.kaskade.schemas.route;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Utils;

/**
 * The canary decision, shared by the gateway and the request dispatcher so both send a request id
 * to the same revision: with {@code canaryTrafficPercent = P} and a previous rolled-out revision, a
 * request whose id hashes into [0, P) goes to the latest revision, the rest to the previous one.
 */
public final class TrafficSplit {
  private TrafficSplit() {}

  /** The bucket 0..99 of a request id (Kafka's murmur2, stable across JVMs and languages). */
  public static int bucket(String requestId) {
    return Utils.toPositive(Utils.murmur2(requestId.getBytes(StandardCharsets.UTF_8))) % 100;
  }

  /**
   * The shadow revision, or null. With {@code canaryTrafficPercent: 0} KServe keeps the new
   * revision running with no traffic; Kaskade also mirrors every request to it (a dark launch) and
   * keeps its answers on the shadow-responses topic, never returning them to callers.
   */
  public static String shadowRevision(InferenceServiceSpec spec) {
    if (spec.getPreviousPredictor() == null
        || spec.getCanaryTrafficPercent() == null
        || spec.getCanaryTrafficPercent() != 0) {
      return null;
    }
    String latest = spec.getPredictor().getRevision();
    return latest.equals(spec.getPreviousPredictor().getRevision()) ? null : latest;
  }

  /** The revision that serves this request. */
  public static String revisionFor(String requestId, InferenceServiceSpec spec) {
    String latest = spec.getPredictor().getRevision();
    if (spec.getPreviousPredictor() == null || spec.getCanaryTrafficPercent() == null) {
      return latest;
    }
    int percent = spec.getCanaryTrafficPercent();
    if (percent >= 100) {
      return latest;
    }
    return bucket(requestId) < percent ? latest : spec.getPreviousPredictor().getRevision();
  }

  /** The rolled-out revisions: the latest, then the previous one when there is a distinct one. */
  public static List<String> revisions(InferenceServiceSpec spec) {
    String latest = spec.getPredictor().getRevision();
    PredictorSpec previous = spec.getPreviousPredictor();
    return previous == null || previous.getRevision().equals(latest)
        ? List.of(latest)
        : List.of(latest, previous.getRevision());
  }

  /**
   * The revision a request is sent to when readiness is known: the canary choice ({@link
   * #revisionFor}) when it is ready, else the other rolled-out revision when that one is; empty
   * when neither is. The gateway and the graph router route with this.
   */
  public static Optional<String> readyRevisionFor(
      String requestId, InferenceServiceSpec spec, Predicate<String> ready) {
    String chosen = revisionFor(requestId, spec);
    if (ready.test(chosen)) {
      return Optional.of(chosen);
    }
    return revisions(spec).stream().filter(r -> !r.equals(chosen)).filter(ready).findFirst();
  }
}
