package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.tensor.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutlierParametersTest {
  private static final String ENABLED =
      "{\"outlier\":{\"reference\":[[0,0],[1,0],[0,1],[1,1]],\"p\":0.99,"
          + "\"response_parameter\":true}}";

  private static OutlierParameters of(String monitorJson) {
    PredictorSpec predictor = PredictorSpec.newBuilder().setRevision("m-predictor-1").build();
    return OutlierParameters.of(new ServedRevision("ns", "m", predictor, Map.of(), monitorJson));
  }

  @Test
  void shouldGiveScoreAndFlagWhenEnabledWithAReference() {
    var parameters =
        of(ENABLED).of(List.of(Tensors.ofFloats("x", List.of(1L, 2L), new float[] {9, 9})));

    assertThat(Double.parseDouble(parameters.get("outlier_score"))).isGreaterThan(5);
    assertThat(parameters).containsEntry("outlier", "true");
  }

  @Test
  void shouldGiveNothingWhenInputsDoNotFitTheReference() {
    OutlierParameters outliers = of(ENABLED);

    assertThat(outliers.enabled()).isTrue();
    assertThat(outliers.of(List.of(Tensors.ofFloats("x", List.of(1L, 3L), new float[3]))))
        .isEmpty();
    assertThat(outliers.of(List.of(Tensors.ofStrings("s", List.of(1L), List.of("a"))))).isEmpty();
  }

  @Test
  void shouldBeOffWhenNotAskedForOrWithoutAReferenceOrWithBadSettings() {
    assertThat(of(null).enabled()).isFalse();
    assertThat(of("{\"outlier\":{\"reference\":[[0],[1]]}}").enabled()).isFalse();
    assertThat(of("{\"outlier\":{\"response_parameter\":true}}").enabled()).isFalse();
    assertThat(of("{\"outlier\":{\"p\":7,\"response_parameter\":true}}").enabled()).isFalse();
  }
}
