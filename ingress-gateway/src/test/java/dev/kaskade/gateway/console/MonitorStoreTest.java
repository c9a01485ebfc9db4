package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.OutlierScore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorStoreTest {
  private final MonitorStore store = new MonitorStore();

  static DriftAlert drift(String feature, double p, boolean drift, long end) {
    return DriftAlert.newBuilder()
        .setNamespace("default")
        .setModel("iris")
        .setFeature(feature)
        .setStatistic(0.4)
        .setPValue(p)
        .setThreshold(0.0125)
        .setDrift(drift)
        .setWindowStart(end - 1000)
        .setWindowEnd(end)
        .setSampleSize(100)
        .build();
  }

  static OutlierScore score(String id, double score, boolean outlier) {
    return OutlierScore.newBuilder()
        .setId(id)
        .setNamespace("default")
        .setModel("iris")
        .setScores(List.of(score))
        .setOutlier(List.of(outlier))
        .setThreshold(5.0)
        .setTimestampMs(1)
        .build();
  }

  @Test
  void driftResultsAreKeptPerFeatureWithTheLatestAlert() {
    store.add(drift("petal_length", 0.5, false, 1000));
    store.add(drift("petal_length", 0.001, true, 2000));
    store.add(drift("sepal_width", 0.3, false, 2000));
    store.add(drift("petal_length", 0.2, false, 3000));

    JsonObject view = store.view("default", "iris");

    JsonArray features = view.getJsonArray("features");
    assertThat(features).hasSize(2);
    assertThat(features.getJsonObject(0).getString("feature")).isEqualTo("petal_length");
    assertThat(features.getJsonObject(0).getJsonArray("points")).hasSize(3);
    assertThat(view.getJsonObject("latest_alert").getDouble("p_value")).isEqualTo(0.001);
    assertThat(store.models()).containsExactly("default/iris");
  }

  @Test
  void aFeatureKeepsOnlyTheNewestPoints() {
    for (int i = 0; i < MonitorStore.POINTS + 10; i++) {
      store.add(drift("f", 0.5, false, i));
    }

    JsonArray points =
        store
            .view("default", "iris")
            .getJsonArray("features")
            .getJsonObject(0)
            .getJsonArray("points");

    assertThat(points).hasSize(MonitorStore.POINTS);
    assertThat(points.getJsonObject(0).getLong("time_ms")).isEqualTo(10);
  }

  @Test
  void outlierScoresBecomeAHistogramAndTheHighestScoresAreListed() {
    for (int i = 0; i < 50; i++) {
      store.add(score("r" + i, i / 10.0, i / 10.0 > 5));
    }

    JsonObject outliers = store.view("default", "iris").getJsonObject("outliers");

    assertThat(outliers.getInteger("count")).isEqualTo(50);
    assertThat(outliers.getInteger("outliers")).isZero();
    assertThat(outliers.getJsonArray("bins")).hasSize(MonitorStore.HISTOGRAM_BINS);
    int total =
        outliers.getJsonArray("bins").stream()
            .mapToInt(b -> ((JsonObject) b).getInteger("count"))
            .sum();
    assertThat(total).isEqualTo(50);
    assertThat(outliers.getJsonArray("top").getJsonObject(0).getString("id")).isEqualTo("r49");
  }

  @Test
  void anUnknownModelHasAnEmptyView() {
    JsonObject view = store.view("default", "nobody");

    assertThat(view.getJsonArray("features")).isEmpty();
    assertThat(view.getValue("latest_alert")).isNull();
    assertThat(view.getJsonObject("outliers").getInteger("count")).isZero();
  }
}
