package dev.kaskade.schemas.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {

  @Test
  void shouldScoreFarPointAboveThresholdAndCentreBelow() {
    Random random = new Random(1);
    double[][] reference = new double[500][3];
    for (double[] row : reference) {
      row[0] = random.nextGaussian();
      row[1] = random.nextGaussian() * 3;
      row[2] = row[0] + random.nextGaussian() * 0.1;
    }
    OutlierDetector detector = OutlierDetector.fit(reference, 0.999);

    assertThat(detector.score(new double[] {0, 0, 0})).isLessThan(detector.threshold());
    assertThat(detector.score(new double[] {3, 0, -3})).isGreaterThan(detector.threshold());
    assertThat(detector.threshold()).isCloseTo(Math.sqrt(16.266), within(0.01));
  }

  @Test
  void shouldUsePseudoInverseWhenCovarianceIsSingular() {
    double[][] reference = new double[50][2];
    for (int i = 0; i < reference.length; i++) {
      reference[i][0] = i;
      reference[i][1] = 7.0; // constant feature: singular covariance
    }
    OutlierDetector detector = OutlierDetector.fit(reference, 0.99);

    double centre = detector.score(new double[] {24.5, 7});
    double far = detector.score(new double[] {24.5 + 10 * Math.sqrt(212.5), 7});

    assertThat(centre).isCloseTo(0, within(1e-9));
    assertThat(far).isCloseTo(10, within(1e-6));
    assertThat(detector.threshold()).isCloseTo(Math.sqrt(6.635), within(0.01));
  }

  @Test
  void shouldGivePlainParametersForOneRowAndArraysForSeveral() {
    double[][] reference = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, 0.5}};
    OutlierDetector detector = OutlierDetector.fit(reference, 0.99);

    Map<String, String> one = detector.responseParameters(new double[][] {{0.5, 0.5}});
    Map<String, String> two = detector.responseParameters(new double[][] {{0.5, 0.5}, {50, -50}});

    assertThat(Double.parseDouble(one.get(OutlierDetector.SCORE_PARAMETER)))
        .isCloseTo(0, within(1e-9));
    assertThat(one.get(OutlierDetector.OUTLIER_PARAMETER)).isEqualTo("false");
    assertThat(two.get(OutlierDetector.SCORE_PARAMETER)).startsWith("[0.0,").endsWith("]");
    assertThat(two.get(OutlierDetector.OUTLIER_PARAMETER)).isEqualTo("[false,true]");
    assertThatThrownBy(() -> detector.responseParameters(new double[][] {{1, 2, 3}}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSplitTheFirstInputIntoRowsWhenItIsNumeric() {
    Tensor batch = Tensors.ofFloats("x", List.of(2L, 3L), new float[] {1, 2, 3, 4, 5, 6});
    Tensor text = Tensors.ofStrings("s", List.of(1L), List.of("a"));

    assertThat(FeatureRows.numeric(List.of(batch)))
        .get()
        .isEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
    assertThat(FeatureRows.numeric(List.of(text))).isEmpty();
    assertThat(FeatureRows.numeric(List.of())).isEmpty();
  }
}
