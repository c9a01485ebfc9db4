package dev.kaskade.schemas.route;

import dev.kaskade.events.InferenceServiceSpec;
import java.nio.charset.StandardCharsets;
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
}
