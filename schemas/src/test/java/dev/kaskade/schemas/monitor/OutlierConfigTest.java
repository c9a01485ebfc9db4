package dev.kaskade.schemas.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutlierConfigTest {

  @Test
  void shouldReadEveryKeyWhenTheOutlierSectionIsComplete() {
    OutlierConfig config =
        OutlierConfig.parse(
                """
                {"feature_names":["a","b"],
                 "outlier":{"reference":[[1,2],[3,4.5],[0,1]],"reference_size":50,"p":0.99,
                            "response_parameter":true}}""")
            .orElseThrow();

    assertThat(config.reference()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4.5}, {0, 1}});
    assertThat(config.referenceSize()).isEqualTo(50);
    assertThat(config.p()).isEqualTo(0.99);
    assertThat(config.responseParameter()).isTrue();
    assertThat(config.detector()).get().extracting(OutlierDetector::features).isEqualTo(2);
  }

  @Test
  void shouldUseDefaultsAndLearnTheReferenceWhenOnlyTheSectionIsGiven() {
    OutlierConfig config = OutlierConfig.parse("{\"outlier\":{}}").orElseThrow();

    assertThat(config.reference()).isNull();
    assertThat(config.referenceSize()).isEqualTo(OutlierConfig.DEFAULT_REFERENCE_SIZE);
    assertThat(config.p()).isEqualTo(OutlierConfig.DEFAULT_P);
    assertThat(config.responseParameter()).isFalse();
    assertThat(config.detector()).isEmpty();
  }

  @Test
  void shouldBeAbsentWhenThereIsNoOutlierSection() {
    assertThat(OutlierConfig.parse(null)).isEmpty();
    assertThat(OutlierConfig.parse(" ")).isEmpty();
    assertThat(OutlierConfig.parse("{\"drift\":{\"window\":10}}")).isEmpty();
  }

  @Test
  void shouldTreatBareNumbersAsOneFeatureRows() {
    OutlierConfig config =
        OutlierConfig.parse("{\"outlier\":{\"reference\":[1,2,3]}}").orElseThrow();

    assertThat(config.reference()).isDeepEqualTo(new double[][] {{1}, {2}, {3}});
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json | monitor_json is not valid JSON",
        "[1,2] | monitor_json must be a JSON object",
        "{\"outlier\":7} | outlier must be an object",
        "{\"outlier\":{\"reference\":\"x\"}} | outlier.reference must be an array",
        "{\"outlier\":{\"reference\":[[1,2]]}} | outlier.reference needs at least two rows",
        "{\"outlier\":{\"reference\":[[1,2],[3,\"x\"]]}} | outlier.reference[1][1] must be a number",
        "{\"outlier\":{\"reference\":[[1,2],[3]]}} | outlier.reference[1] has 1 values",
        "{\"outlier\":{\"p\":1.5}} | outlier.p must be a number in (0, 1)",
        "{\"outlier\":{\"p\":\"high\"}} | outlier.p must be a number in (0, 1)",
        "{\"outlier\":{\"reference_size\":1}} | outlier.reference_size must be an integer >= 2",
        "{\"outlier\":{\"reference_size\":2.5}} | outlier.reference_size must be an integer >= 2",
        "{\"outlier\":{\"response_parameter\":\"yes\"}} | outlier.response_parameter must be true"
      })
  void shouldNameTheKeyWhenTheInputIsBad(String json, String message) {
    assertThatThrownBy(() -> OutlierConfig.parse(json))
        .isInstanceOf(KaskadeException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> assertThat(((KaskadeException) e).reason()).isEqualTo(Reason.INVALID_ARGUMENT));
  }
}
