package dev.kaskade.processors.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Compares one window of feature rows with the reference: two-sample Kolmogorov–Smirnov for
 * continuous features, chi-squared on category counts for categorical ones, each at the
 * Bonferroni-corrected level {@code alpha / features} so that the chance of any false alarm in a
 * window stays at most alpha.
 */
public final class DriftDetector {
  private DriftDetector() {}

  /** The outcome for one feature; test is "ks", "chi2" or "invalid" (non-numeric values). */
  public record FeatureTest(
      int feature, String test, double statistic, double pValue, double threshold, boolean drift) {}

  public static List<FeatureTest> test(
      List<List<JsonNode>> reference,
      List<List<JsonNode>> window,
      double alpha,
      Set<Integer> categorical) {
    int features = reference.isEmpty() ? 0 : reference.get(0).size();
    double threshold = alpha / Math.max(1, features);
    List<FeatureTest> results = new ArrayList<>();
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest(); // seeds an RNG: one per window
    for (int j = 0; j < features; j++) {
      results.add(
          categorical.contains(j)
              ? chiSquared(j, reference, window, threshold)
              : kolmogorovSmirnov(ks, j, reference, window, threshold));
    }
    return results;
  }

  private static FeatureTest kolmogorovSmirnov(
      KolmogorovSmirnovTest ks,
      int j,
      List<List<JsonNode>> reference,
      List<List<JsonNode>> window,
      double threshold) {
    double[] ref = numbers(reference, j);
    double[] cur = numbers(window, j);
    if (ref == null || cur == null) {
      return new FeatureTest(j, "invalid", invalidCount(window, j), 1.0, threshold, false);
    }
    double statistic = ks.kolmogorovSmirnovStatistic(ref, cur);
    double p = ks.kolmogorovSmirnovTest(ref, cur);
    return new FeatureTest(j, "ks", statistic, p, threshold, p < threshold);
  }

  private static FeatureTest chiSquared(
      int j, List<List<JsonNode>> reference, List<List<JsonNode>> window, double threshold) {
    TreeMap<String, long[]> counts = new TreeMap<>();
    count(reference, j, counts, 0);
    count(window, j, counts, 1);
    if (counts.size() < 2) {
      return new FeatureTest(j, "chi2", 0, 1.0, threshold, false);
    }
    long[] expected = new long[counts.size()];
    long[] observed = new long[counts.size()];
    int i = 0;
    for (long[] c : counts.values()) {
      expected[i] = c[0];
      observed[i++] = c[1];
    }
    ChiSquareTest chi = new ChiSquareTest();
    double statistic = chi.chiSquareDataSetsComparison(expected, observed);
    double p = chi.chiSquareTestDataSetsComparison(expected, observed);
    return new FeatureTest(j, "chi2", statistic, p, threshold, p < threshold);
  }

  private static void count(
      List<List<JsonNode>> rows, int j, TreeMap<String, long[]> counts, int slot) {
    for (List<JsonNode> row : rows) {
      String key = j < row.size() ? row.get(j).asText() : "<missing>";
      counts.computeIfAbsent(key, k -> new long[2])[slot]++;
    }
  }

  private static double[] numbers(List<List<JsonNode>> rows, int j) {
    double[] out = new double[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      List<JsonNode> row = rows.get(r);
      if (j >= row.size() || !row.get(j).isNumber()) {
        return null;
      }
      out[r] = row.get(j).asDouble();
    }
    return out;
  }

  private static double invalidCount(List<List<JsonNode>> rows, int j) {
    return rows.stream().filter(r -> j >= r.size() || !r.get(j).isNumber()).count();
  }

  /** The distinct non-numeric values of a feature, for messages. */
  static Set<String> invalidValues(List<List<JsonNode>> rows, int j) {
    Set<String> out = new TreeSet<>();
    rows.stream()
        .filter(r -> j < r.size() && !r.get(j).isNumber())
        .forEach(r -> out.add(r.get(j).asText()));
    return out;
  }
}
