package dev.kaskade.processors.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * KernelSHAP (Lundberg and Lee, 2017) for tabular models, as pure math: a {@link Plan} of
 * coalitions, the masked rows to send to the model in one batch, and the constrained weighted least
 * squares that turns the model's answers into attributions with {@code base + Σφ = f(x)} exactly.
 *
 * <p>With M ≤ {@code maxExactFeatures} every coalition except the empty and full ones is enumerated
 * with its Shapley-kernel weight {@code (M−1) / (C(M,|z|)·|z|·(M−|z|))}, which yields the exact
 * Shapley values of the interventional value function {@code v(S) = mean_b f(x_S, b_~S)}. Above it,
 * coalition sizes are drawn from the kernel's size distribution (each draw paired with its
 * complement) and weighted equally.
 */
public final class KernelShap {
  private KernelShap() {}

  /** Coalitions (0/1 masks) and their regression weights, excluding the empty and full ones. */
  public record Plan(int features, List<boolean[]> coalitions, double[] weights, boolean exact) {}

  /** The model as a batch function: rows in, one vector of outputs per row out. */
  @FunctionalInterface
  public interface BatchModel {
    double[][] predict(double[][] rows);
  }

  /** Attributions of one instance for one output. */
  public record Attribution(double baseValue, double[] attributions, double prediction) {}

  public static Plan plan(int features, int maxExactFeatures, int samples, long seed) {
    if (features < 1) {
      throw new IllegalArgumentException("need at least one feature");
    }
    return features <= maxExactFeatures ? exact(features) : sampled(features, samples, seed);
  }

  private static Plan exact(int m) {
    List<boolean[]> coalitions = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (int mask = 1; mask < (1 << m) - 1; mask++) {
      boolean[] z = new boolean[m];
      int size = 0;
      for (int i = 0; i < m; i++) {
        z[i] = (mask >> i & 1) == 1;
        size += z[i] ? 1 : 0;
      }
      coalitions.add(z);
      weights.add(kernelWeight(m, size));
    }
    return new Plan(
        m, coalitions, weights.stream().mapToDouble(Double::doubleValue).toArray(), true);
  }

  private static Plan sampled(int m, int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] sizeWeights = new double[m];
    double total = 0;
    for (int k = 1; k < m; k++) {
      sizeWeights[k] = (m - 1.0) / (k * (double) (m - k));
      total += sizeWeights[k];
    }
    List<boolean[]> coalitions = new ArrayList<>();
    int pairs = Math.max(1, samples / 2);
    for (int s = 0; s < pairs; s++) {
      int size = drawSize(sizeWeights, total, random);
      boolean[] z = randomSubset(m, size, random);
      boolean[] complement = new boolean[m];
      for (int i = 0; i < m; i++) {
        complement[i] = !z[i];
      }
      coalitions.add(z);
      coalitions.add(complement);
    }
    double[] weights = new double[coalitions.size()];
    Arrays.fill(weights, 1.0);
    return new Plan(m, coalitions, weights, false);
  }

  private static int drawSize(double[] sizeWeights, double total, SplittableRandom random) {
    double r = random.nextDouble() * total;
    for (int k = 1; k < sizeWeights.length; k++) {
      r -= sizeWeights[k];
      if (r <= 0) {
        return k;
      }
    }
    return sizeWeights.length - 1;
  }

  private static boolean[] randomSubset(int m, int size, SplittableRandom random) {
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    for (int i = m - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean[] z = new boolean[m];
    for (int i = 0; i < size; i++) {
      z[order[i]] = true;
    }
    return z;
  }

  static double kernelWeight(int m, int size) {
    return (m - 1.0) / (CombinatoricsUtils.binomialCoefficientDouble(m, size) * size * (m - size));
  }

  /**
   * The rows to evaluate for one instance: the instance itself, then for each coalition one row per
   * background row (features in the coalition from x, the rest from the background row).
   */
  public static double[][] maskedRows(double[] x, double[][] background, Plan plan) {
    double[][] rows = new double[1 + plan.coalitions().size() * background.length][];
    rows[0] = x.clone();
    int r = 1;
    for (boolean[] z : plan.coalitions()) {
      for (double[] b : background) {
        double[] row = b.clone();
        for (int i = 0; i < z.length; i++) {
          if (z[i]) {
            row[i] = x[i];
          }
        }
        rows[r++] = row;
      }
    }
    return rows;
  }

  /** Rows per instance that {@link #maskedRows} produces. */
  public static int rowsPerInstance(Plan plan, int backgroundRows) {
    return 1 + plan.coalitions().size() * backgroundRows;
  }

  /**
   * Attributions for one output from the model's answers to {@link #maskedRows}: {@code outputs[0]}
   * is f(x), then background-many rows per coalition, averaged into v(z).
   */
  public static Attribution solve(
      Plan plan, double[] outputs, int backgroundRows, double baseValue) {
    int m = plan.features();
    double prediction = outputs[0];
    double delta = prediction - baseValue;
    if (m == 1) {
      return new Attribution(baseValue, new double[] {delta}, prediction);
    }
    int n = plan.coalitions().size();
    double[][] a = new double[n][m - 1];
    double[] b = new double[n];
    for (int c = 0; c < n; c++) {
      boolean[] z = plan.coalitions().get(c);
      double value = 0;
      for (int k = 0; k < backgroundRows; k++) {
        value += outputs[1 + c * backgroundRows + k];
      }
      value /= backgroundRows;
      double sqrtW = Math.sqrt(plan.weights()[c]);
      double last = z[m - 1] ? 1 : 0;
      for (int i = 0; i < m - 1; i++) {
        a[c][i] = sqrtW * ((z[i] ? 1 : 0) - last);
      }
      b[c] = sqrtW * (value - baseValue - last * delta);
    }
    RealVector beta =
        new SingularValueDecomposition(new Array2DRowRealMatrix(a, false))
            .getSolver()
            .solve(new ArrayRealVector(b, false));
    double[] phi = new double[m];
    double sum = 0;
    for (int i = 0; i < m - 1; i++) {
      phi[i] = beta.getEntry(i);
      sum += phi[i];
    }
    phi[m - 1] = delta - sum;
    return new Attribution(baseValue, phi, prediction);
  }

  /**
   * Explains one instance against an in-process model, every output: the same steps the explainer
   * runs over Kafka, for tests and embedding.
   */
  public static List<Attribution> explain(
      BatchModel model, double[] x, double[][] background, Plan plan) {
    double[][] base = model.predict(background);
    double[][] answers = model.predict(maskedRows(x, background, plan));
    int outputs = answers[0].length;
    List<Attribution> result = new ArrayList<>();
    for (int o = 0; o < outputs; o++) {
      result.add(solve(plan, column(answers, o), background.length, mean(column(base, o))));
    }
    return result;
  }

  static double[] column(double[][] rows, int column) {
    double[] out = new double[rows.length];
    for (int r = 0; r < rows.length; r++) {
      out[r] = rows[r][column];
    }
    return out;
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }
}
