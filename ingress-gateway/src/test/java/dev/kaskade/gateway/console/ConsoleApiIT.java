package dev.kaskade.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's pages and JSON API on a real gateway and broker: models with readiness and traffic
 * split, live traffic after real calls, drift results read from the monitor topic, the audit API's
 * bounds, and errors in the gateway's shape.
 */
class ConsoleApiIT {
  private static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new GatewayFixture(Cluster.shared(), Map.of());
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static JsonObject json(String path, int status) {
    HttpResponse<byte[]> r = fx.get(path);
    assertThat(r.statusCode()).as("%s: %s", path, text(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    return new JsonObject(text(r));
  }

  private static JsonObject model(JsonArray models, String name) {
    return models.stream()
        .map(JsonObject.class::cast)
        .filter(m -> m.getString("name").equals(name) && m.getString("namespace").equals("default"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theConsolePagesAndAssetsAreServedFromTheJar() {
    for (String page : new String[] {"/ui", "/ui/", "/ui/models", "/ui/audit?id=x"}) {
      HttpResponse<byte[]> r = fx.get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(text(r)).contains("<title>Kaskade console</title>");
    }
    HttpResponse<byte[]> js = fx.get("/ui/assets/console.js");
    assertThat(js.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(fx.get("/ui/assets/missing.js").statusCode()).isEqualTo(404);
    assertThat(fx.get("/ui/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void modelsShowReadinessRevisionsTrafficSplitAndEndpoints() {
    JsonArray models = json("/api/models", 200).getJsonArray("models");

    JsonObject iris = model(models, "iris");
    assertThat(iris.getBoolean("ready")).isTrue();
    assertThat(iris.getJsonObject("endpoints").getString("v2")).isEqualTo("/v2/models/iris/infer");
    assertThat(iris.getJsonArray("revisions").getJsonObject(0).getInteger("traffic_percent"))
        .isEqualTo(100);
    assertThat(iris.getJsonObject("example_v2").getJsonArray("inputs")).hasSize(1);
    JsonObject loading = model(models, "loading");
    assertThat(loading.getBoolean("ready")).isFalse();
    assertThat(loading.getString("reason")).startsWith("Loading");
    JsonArray flower = model(models, "flower").getJsonArray("revisions");
    assertThat(flower.getJsonObject(0).getInteger("traffic_percent")).isEqualTo(50);
    assertThat(flower.getJsonObject(0).getString("state")).isEqualTo("Loading");
    assertThat(model(models, "pipeline").getString("kind")).isEqualTo("InferenceGraph");
    assertThat(json("/api/models?namespace=team", 200).getJsonArray("models")).hasSize(1);
  }

  @Test
  void liveTrafficCountsTheCallsTheGatewayAnswered() {
    for (int i = 0; i < 3; i++) {
      assertThat(
              fx.postJson(
                      "/v2/models/iris/infer",
                      "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                          + "\"data\":[1,2,3,4]}]}")
                  .statusCode())
          .isEqualTo(200);
    }

    JsonObject traffic = json("/api/traffic?window=1m", 200);

    assertThat(traffic.getLong("window_ms")).isEqualTo(60_000);
    JsonObject iris =
        traffic.getJsonArray("models").stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("model").equals("iris"))
            .findFirst()
            .orElseThrow();
    JsonArray points = iris.getJsonArray("points");
    assertThat(points).hasSize(12);
    int calls = points.stream().mapToInt(p -> ((JsonObject) p).getInteger("calls")).sum();
    assertThat(calls).isGreaterThanOrEqualTo(3);
    assertThat(json("/api/traffic?window=1h", 400).getString("error")).contains("window");
    assertThat(json("/api/traffic?window=abc", 400).getString("error")).contains("window");
  }

  @Test
  void driftResultsPublishedByTheProcessorsReachTheMonitorApi() {
    fx.control.event(
        fx.cluster.topics().monitorDrift(),
        "default/console-drift",
        DriftAlert.newBuilder(MonitorStoreTest.drift("petal_length", 0.001, true, 5000))
            .setModel("console-drift")
            .build());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json("/api/monitor", 200).getJsonArray("models").contains("default/console-drift"));
    JsonObject view = json("/api/monitor/console-drift", 200);
    assertThat(view.getJsonObject("latest_alert").getString("feature")).isEqualTo("petal_length");
    assertThat(view.getJsonArray("features").getJsonObject(0).getJsonArray("points")).hasSize(1);
  }

  @Test
  void theAuditApiBoundsItsSearchesAndAnswersInTheErrorShape() {
    assertThat(json("/api/audit?model=iris", 200).getJsonArray("records")).isEmpty();
    assertThat(json("/api/audit?limit=1000", 400).getString("error")).contains("limit");
    assertThat(json("/api/audit?from=-90d", 400).getString("error")).contains("31 days");
    assertThat(json("/api/audit?outcome=great", 400).getString("error")).contains("outcome");
    assertThat(json("/api/audit/records/nope", 404).getString("error")).contains("nope");
    assertThat(json("/api/audit/verify", 200).getBoolean("ok")).isTrue();
    assertThat(json("/api/audit/replays", 200).getJsonArray("reports")).isEmpty();
  }

  @Test
  void graphsAndUnknownPathsAnswerJson() {
    JsonObject graph = json("/api/graphs/pipeline", 200);
    assertThat(graph.getString("name")).isEqualTo("pipeline");
    assertThat(json("/api/graphs/iris", 404).getString("error")).contains("InferenceGraph iris");
    assertThat(json("/api/nothing", 404).getString("error")).contains("/api/nothing");
  }
}
