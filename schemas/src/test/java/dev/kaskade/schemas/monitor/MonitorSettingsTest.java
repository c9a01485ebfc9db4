package dev.kaskade.schemas.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaskade.schemas.error.KaskadeException;
import org.junit.jupiter.api.Test;

class MonitorSettingsTest {
  @Test
  void acceptsEmptyAndCompleteSettings() {
    assertThat(MonitorSettings.problems(null)).isEmpty();
    assertThat(MonitorSettings.problems("{}")).isEmpty();
    assertThat(
            MonitorSettings.problems(
                """
                {"feature_names": ["a", "b"],
                 "drift": {"reference": [[1, "x"], [2, "y"]], "reference_size": 10, "window": 20,
                           "window_ms": 0, "alpha": 0.01, "categorical": [1]},
                 "outlier": {"reference": [[1, 2], [3, 4]], "p": 0.99, "response_parameter": true}}
                """))
        .isEmpty();
  }

  @Test
  void namesEveryBadDriftKey() {
    assertThat(
            MonitorSettings.problems(
                """
                {"drift": {"alpha": 0, "window": 2.5, "window_ms": -1, "reference_size": 1,
                           "categorical": [-1], "reference": [[1, 2], [3]]}}"""))
        .containsExactlyInAnyOrder(
            "drift.alpha: must be a number in (0, 1), got 0",
            "drift.window: must be an integer >= 2, got 2.5",
            "drift.window_ms: must be an integer >= 0, got -1",
            "drift.reference_size: must be an integer >= 2, got 1",
            "drift.categorical[0]: must be an integer >= 0, got -1",
            "drift.reference[1]: has 1 values, row 0 has 2");
  }

  @Test
  void reportsTheOutlierSectionThroughItsOwnParser() {
    assertThat(MonitorSettings.problems("{\"outlier\": {\"p\": 1.5}}"))
        .containsExactly("outlier.p must be a number in (0, 1), got 1.5");
  }

  @Test
  void rejectsUnknownKeysSoATypoDoesNotKeepTheDefault() {
    assertThat(MonitorSettings.problems("{\"drfit\": {}}"))
        .singleElement()
        .asString()
        .startsWith("drfit: unknown key");
  }

  @Test
  void rejectsReferenceWidthOtherThanTheFeatureNames() {
    assertThat(
            MonitorSettings.problems(
                "{\"feature_names\": [\"a\", \"b\", \"c\"], \"outlier\": {\"reference\": [[1, 2],"
                    + " [3, 4]]}}"))
        .containsExactly("outlier.reference: rows have 2 values, feature_names has 3");
  }

  @Test
  void requireValidThrowsInvalidArgumentListingTheProblems() {
    assertThatThrownBy(() -> MonitorSettings.requireValid("[1]"))
        .isInstanceOf(KaskadeException.class)
        .hasMessage("monitor_json: must be a JSON object");
  }
}
