package dev.kaskade.loadtests.timeline;

import dev.kaskade.loadtests.generation.Samples;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where one request's time went, pure: the Kafka records written for each timed request (matched by
 * record key = request id), as milliseconds after the client sent it, grouped into stages by topic.
 * Per-instance parts of topic names (a gateway's id, a revision's hash) are folded so that the
 * stages of many requests line up.
 */
final class Stages {
  /** A record seen on {@code topic} with its CreateTime. */
  record Seen(String topic, String key, long createTimeMs) {}

  /** A timed request: its id, when it was sent, how long the client waited for the full answer. */
  record Sample(String requestId, long sentEpochMs, double clientMs) {}

  /** One stage: its name, the percentiles of its first record's offset from the send, its count. */
  record Stage(String name, double p50, double p90, int samples) {}

  static final String CLIENT = "client: whole answer read";

  private static final Pattern GATEWAY = Pattern.compile("kaskade\\.gateway\\.[^.]+\\.");
  private static final Pattern HASH = Pattern.compile("-[0-9a-f]{8}$");

  private Stages() {}

  /**
   * Stages in order of their median offset, with the client's own figure as the last row. A record
   * before the request was sent (a clock step or a reused key) is ignored.
   */
  static List<Stage> of(List<Sample> samples, List<Seen> records) {
    Map<String, Map<String, Long>> firstByKey = new LinkedHashMap<>();
    for (Seen r : records) {
      firstByKey
          .computeIfAbsent(r.key(), k -> new LinkedHashMap<>())
          .merge(fold(r.topic()), r.createTimeMs(), Math::min);
    }
    Map<String, Samples> offsets = new LinkedHashMap<>();
    Samples client = new Samples();
    for (Sample s : samples) {
      client.add(s.clientMs());
      firstByKey
          .getOrDefault(s.requestId(), Map.of())
          .forEach(
              (stage, t) -> {
                if (t >= s.sentEpochMs()) {
                  offsets.computeIfAbsent(stage, x -> new Samples()).add(t - s.sentEpochMs());
                }
              });
    }
    List<Stage> stages = new ArrayList<>();
    offsets.forEach(
        (name, v) -> stages.add(new Stage(name, v.percentile(50), v.percentile(90), v.count())));
    stages.sort(Comparator.comparingDouble(Stage::p50).thenComparing(Stage::name));
    stages.add(new Stage(CLIENT, client.percentile(50), client.percentile(90), client.count()));
    return stages;
  }

  /**
   * {@code kaskade.gateway.gw-1a2b.replies} → {@code kaskade.gateway.*.replies}; revision hashes →
   * *.
   */
  static String fold(String topic) {
    String t = GATEWAY.matcher(topic).replaceFirst("kaskade.gateway.*.");
    return HASH.matcher(t).replaceFirst("-*");
  }
}
