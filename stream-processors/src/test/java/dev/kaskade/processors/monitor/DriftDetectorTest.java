package dev.kaskade.processors.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kaskade.processors.monitor.DriftDetector.FeatureTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftDetectorTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double ALPHA = 0.05;

  static List<List<JsonNode>> gaussian(Random random, int rows, double shift) {
    List<List<JsonNode>> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(
          List.of(
              NODES.numberNode(random.nextGaussian() + shift),
              NODES.numberNode(random.nextGaussian() * 2 + 5),
              NODES.textNode(random.nextDouble() < 0.3 ? "red" : "blue")));
    }
    return out;
  }

  private static boolean anyDrift(List<FeatureTest> results) {
    return results.stream().anyMatch(FeatureTest::drift);
  }

  @Test
  void shouldDetectShiftedMeanWithinTwoWindows() {
    Random random = new Random(7);
    List<List<JsonNode>> reference = gaussian(random, 200, 0);
    List<FeatureTest> first =
        DriftDetector.test(reference, gaussian(random, 100, 0.8), ALPHA, Set.of(2));
    List<FeatureTest> second =
        DriftDetector.test(reference, gaussian(random, 100, 0.8), ALPHA, Set.of(2));

    assertThat(first.get(0).drift() || second.get(0).drift()).isTrue();
    assertThat(first.get(0).test()).isEqualTo("ks");
    assertThat(first.get(0).threshold()).isEqualTo(ALPHA / 3);
    assertThat(first.get(2).test()).isEqualTo("chi2");
  }

  @Test
  void shouldRaiseFalseAlarmsAtNoMoreThanAlphaWhenDataIsUnshifted() {
    // Five fixed seeds, each a fresh reference (200 rows) and 100 unshifted windows of 100 rows:
    // the family-wise false-alarm rate per 100 windows averages at most alpha (Bonferroni), and no
    // single run of 100 windows exceeds twice alpha.
    double total = 0;
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      List<List<JsonNode>> reference = gaussian(random, 200, 0);
      int alarms = 0;
      for (int w = 0; w < 100; w++) {
        if (anyDrift(DriftDetector.test(reference, gaussian(random, 100, 0), ALPHA, Set.of(2)))) {
          alarms++;
        }
      }
      double rate = alarms / 100.0;
      assertThat(rate).as("false-alarm rate of seed %d", seed).isLessThanOrEqualTo(2 * ALPHA);
      total += rate;
    }
    assertThat(total / 5).isLessThanOrEqualTo(ALPHA);
  }

  @Test
  void shouldDetectShiftInCategoricalFrequencies() {
    Random random = new Random(3);
    List<List<JsonNode>> reference = gaussian(random, 300, 0);
    List<List<JsonNode>> window = new ArrayList<>();
    for (List<JsonNode> row : gaussian(random, 100, 0)) {
      window.add(List.of(row.get(0), row.get(1), NODES.textNode("red")));
    }
    List<FeatureTest> results = DriftDetector.test(reference, window, ALPHA, Set.of(2));
    assertThat(results.get(2).drift()).isTrue();
    assertThat(results.get(0).drift()).isFalse();
  }

  @Test
  void shouldReportInvalidFeatureWhenContinuousValuesAreNotNumbers() {
    Random random = new Random(5);
    List<List<JsonNode>> reference = gaussian(random, 50, 0);
    List<List<JsonNode>> window = new ArrayList<>(gaussian(random, 20, 0));
    window.set(3, List.of(NODES.textNode("oops"), window.get(3).get(1), window.get(3).get(2)));

    List<FeatureTest> results = DriftDetector.test(reference, window, ALPHA, Set.of(2));

    assertThat(results.get(0).test()).isEqualTo("invalid");
    assertThat(results.get(0).statistic()).isEqualTo(1.0);
    assertThat(results.get(0).drift()).isFalse();
    assertThat(results.get(1).test()).isEqualTo("ks");
  }
}
