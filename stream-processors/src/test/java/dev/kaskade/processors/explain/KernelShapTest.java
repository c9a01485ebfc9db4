package dev.kaskade.processors.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kaskade.processors.explain.KernelShap.Attribution;
import dev.kaskade.processors.explain.KernelShap.Plan;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelShapTest {

  private static double[][] randomRows(int rows, int cols, long seed) {
    Random random = new Random(seed);
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextGaussian() * 2 + j;
      }
    }
    return out;
  }

  private static KernelShap.BatchModel linear(double[] w, double intercept) {
    return rows -> {
      double[][] out = new double[rows.length][1];
      for (int r = 0; r < rows.length; r++) {
        double y = intercept;
        for (int j = 0; j < w.length; j++) {
          y += w[j] * rows[r][j];
        }
        out[r][0] = y;
      }
      return out;
    };
  }

  private static void assertClosedForm(double[] w, double[] x, double[][] bg, Attribution a) {
    for (int i = 0; i < w.length; i++) {
      double mean = 0;
      for (double[] b : bg) {
        mean += b[i] / bg.length;
      }
      assertThat(a.attributions()[i]).isCloseTo(w[i] * (x[i] - mean), within(1e-3));
    }
  }

  @Test
  void shouldMatchClosedFormShapleyValuesWhenModelIsLinearAndFeaturesAreEnumerated() {
    double[] w = {0.5, -1.25, 2.0, 3.5};
    double[][] bg = randomRows(25, 4, 1);
    double[] x = {5.1, 3.5, 1.4, 0.2};
    Plan plan = KernelShap.plan(4, 12, 0, 0);
    assertThat(plan.exact()).isTrue();
    assertThat(plan.coalitions()).hasSize(14);

    Attribution a = KernelShap.explain(linear(w, 0.7), x, bg, plan).get(0);

    assertClosedForm(w, x, bg, a);
    assertThat(a.prediction()).isCloseTo(0.7 + 0.5 * 5.1 - 1.25 * 3.5 + 2.8 + 0.7, within(1e-9));
  }

  @Test
  void shouldMatchClosedFormWhenFeaturesAreSampled() {
    int m = 16;
    double[] w = new double[m];
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      w[i] = (i % 3) - 1.0 + i * 0.1;
      x[i] = i * 0.3 - 2;
    }
    double[][] bg = randomRows(10, m, 2);
    Plan plan = KernelShap.plan(m, 12, 400, 42);
    assertThat(plan.exact()).isFalse();

    Attribution a = KernelShap.explain(linear(w, -1), x, bg, plan).get(0);

    assertClosedForm(w, x, bg, a);
  }

  @Test
  void shouldSatisfyEfficiencyWhenModelIsNonLinear() {
    KernelShap.BatchModel model =
        rows -> {
          double[][] out = new double[rows.length][2];
          for (int r = 0; r < rows.length; r++) {
            double[] v = rows[r];
            out[r][0] = Math.tanh(v[0] * v[1]) + v[2] * v[2];
            out[r][1] = 1 / (1 + Math.exp(-(v[0] - v[2])));
          }
          return out;
        };
    double[][] bg = randomRows(30, 3, 3);
    double[] x = {1.0, -2.0, 0.5};

    List<Attribution> result = KernelShap.explain(model, x, bg, KernelShap.plan(3, 12, 0, 0));

    assertThat(result).hasSize(2);
    for (Attribution a : result) {
      double sum = a.baseValue();
      for (double phi : a.attributions()) {
        sum += phi;
      }
      assertThat(sum).isCloseTo(a.prediction(), within(1e-9));
    }
  }

  @Test
  void shouldGiveExactShapleyValuesForInteractionWhenEnumerated() {
    // f = x0 * x1 with a single zero background row: Shapley splits the product equally.
    KernelShap.BatchModel model =
        rows -> {
          double[][] out = new double[rows.length][1];
          for (int r = 0; r < rows.length; r++) {
            out[r][0] = rows[r][0] * rows[r][1];
          }
          return out;
        };
    Attribution a =
        KernelShap.explain(
                model,
                new double[] {2, 3, 9},
                new double[][] {{0, 0, 0}},
                KernelShap.plan(3, 12, 0, 0))
            .get(0);
    assertThat(a.attributions()).containsExactly(new double[] {3, 3, 0}, within(1e-9));
  }
}
