package dev.kaskade.loadtests.product;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many records each topic gained between two snapshots of end offsets (summed over partitions),
 * per inference. End offsets count everything a topic was written: data records, changelog puts and
 * tombstones, and the transaction markers exactly-once producers add to each partition they wrote
 * (a marker takes an offset like a record). Pure: {@link RecordsPerInference} takes the snapshots.
 */
record TopicGrowth(String topic, long records, double perInference) {

  /**
   * The topics that grew, most records first; a topic only in {@code after} (created in between)
   * grew from 0. {@code background} is what each topic would have gained in the same time without
   * any inference (an idle instance's periodic offset commits), and is taken off.
   */
  static List<TopicGrowth> between(
      Map<String, Long> before,
      Map<String, Long> after,
      Map<String, Long> background,
      long inferences) {
    if (inferences <= 0) {
      throw new IllegalArgumentException("inferences must be positive, got " + inferences);
    }
    Map<String, Long> grown = new HashMap<>();
    after.forEach(
        (topic, end) -> {
          long delta = end - before.getOrDefault(topic, 0L) - background.getOrDefault(topic, 0L);
          if (delta > 0) {
            grown.put(topic, delta);
          }
        });
    return grown.entrySet().stream()
        .map(e -> new TopicGrowth(e.getKey(), e.getValue(), (double) e.getValue() / inferences))
        .sorted(
            Comparator.comparingLong(TopicGrowth::records)
                .reversed()
                .thenComparing(TopicGrowth::topic))
        .toList();
  }

  /**
   * What each topic gains in {@code seconds} at the rate it grew between two snapshots taken {@code
   * sampledSeconds} apart while idle.
   */
  static Map<String, Long> background(
      Map<String, Long> idleStart,
      Map<String, Long> idleEnd,
      double sampledSeconds,
      double seconds) {
    Map<String, Long> expected = new HashMap<>();
    idleEnd.forEach(
        (topic, end) -> {
          long grew = end - idleStart.getOrDefault(topic, end);
          if (grew > 0) {
            expected.put(topic, Math.round(grew * seconds / sampledSeconds));
          }
        });
    return expected;
  }

  /** Records written to all topics together, per inference. */
  static double total(List<TopicGrowth> growth) {
    return growth.stream().mapToDouble(TopicGrowth::perInference).sum();
  }
}
