package dev.kaskade.reconciler.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DriftAlert;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftWindowsTest {
  private static DriftAlert alert(String feature, long end, boolean drift, double p) {
    return DriftAlert.newBuilder()
        .setNamespace("default")
        .setModel("iris")
        .setFeature(feature)
        .setStatistic(0.5)
        .setPValue(p)
        .setDrift(drift)
        .setWindowStart(end - 100)
        .setWindowEnd(end)
        .build();
  }

  @Test
  void columnNamesEveryDriftedFeatureOfTheLatestWindowNotOnlyTheLastAlert() {
    DriftWindows windows = new DriftWindows();
    windows.add(alert("sepal_length", 1000, true, 1e-9));
    windows.add(alert("petal_length", 2000, true, 1e-6));
    windows.add(alert("petal_width", 2000, false, 0.4));

    assertThat(DriftWindows.column(windows.of("default", "iris"))).isEqualTo("Drift(petal_length)");
  }

  @Test
  void columnOrdersDriftedFeaturesBySignificanceAndCountsTheRest() {
    List<DriftAlert> window =
        List.of(
            alert("a", 1, true, 0.01),
            alert("b", 1, true, 0.0001),
            alert("c", 1, true, 0.001),
            alert("d", 1, true, 0.02),
            alert("e", 1, true, 0.03),
            alert("f", 1, false, 0.5));

    assertThat(DriftWindows.column(window)).isEqualTo("Drift(b,c,a,+2)");
  }

  @Test
  void columnSaysNoDriftWhenNoFeatureDriftedAndDashWithoutAlerts() {
    assertThat(DriftWindows.column(List.of(alert("a", 1, false, 0.5)))).isEqualTo("NoDrift");
    assertThat(DriftWindows.column(new DriftWindows().of("default", "iris"))).isEqualTo("-");
  }

  @Test
  void lateAlertOfAnOlderWindowDoesNotReplaceTheLatestWindow() {
    DriftWindows windows = new DriftWindows();
    windows.add(alert("a", 2000, true, 0.001));
    windows.add(alert("b", 1000, false, 0.3));

    assertThat(windows.of("default", "iris"))
        .extracting(DriftAlert::getFeature)
        .containsExactly("a");
  }
}
