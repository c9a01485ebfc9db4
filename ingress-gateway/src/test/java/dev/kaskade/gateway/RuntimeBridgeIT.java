package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.testing.OipTestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime bridge end to end in standalone: an InferenceService annotated with {@code
 * kaskade.dev/upstream-url} (here its predictor parameter, as the reconciler maps it) is answered
 * by that model server through the gateway, over Kafka, on V1 and V2; killing the server makes the
 * model unready and calls 503, restarting it makes it ready again.
 */
class RuntimeBridgeIT {
  private static final String REVISION = "sk-predictor-0000b41d";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  @Test
  void servesTheUpstreamsAnswersAndFollowsItsHealth() throws Exception {
    Cluster cluster = Cluster.shared();
    cluster.createPlatformTopics();
    try (cluster;
        OipTestServer upstream = OipTestServer.start();
        ControlPublisher control =
            new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
        WorkerComponent worker =
            new WorkerComponent(
                cluster.context(tmp.resolve("worker"), Map.of("worker.id", "w-bridge")),
                new SimpleMeterRegistry());
        GatewayComponent gateway =
            new GatewayComponent(
                cluster.context(
                    tmp.resolve("gateway"),
                    Map.of(
                        "gateway.http.port", "0",
                        "gateway.grpc.port", "0",
                        "gateway.host", "127.0.0.1")))) {
      PredictorSpec predictor =
          PredictorSpec.newBuilder(Resources.predictor(REVISION, null))
              .setModelFormat("sklearn")
              .setStorageUri(null)
              .setProtocolVersion("v2")
              .setParameters(
                  Map.of("upstream-url", upstream.url(), "upstream-health-interval-ms", "100"))
              .build();
      control.resource(
          Resources.isvc(
              "default", "sk", InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
      worker.start();
      gateway.start();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      awaitReady(base, 200);

      JsonObject v1 =
          json(post(base + "/v1/models/sk:predict", "{\"instances\":[[1,2,3,4],[1,1,1,1]]}"), 200);
      assertThat(v1.getJsonArray("predictions").getList()).containsExactly(10.0, 4.0);
      JsonObject v2 = json(post(base + "/v2/models/sk/infer", v2Body(2)), 200);
      assertThat(v2.getString("model_version")).isEqualTo(REVISION);
      assertThat(v2.getJsonArray("outputs").getJsonObject(0).getJsonArray("data").getList())
          .containsExactly(8.0);
      assertThat(json(post(base + "/v2/models/sk/infer", v2Body(-2)), 400).getString("error"))
          .contains("negative value in input");

      upstream.stop();
      awaitReady(base, 503);
      assertThat(post(base + "/v2/models/sk/infer", v2Body(1)).statusCode()).isEqualTo(503);

      upstream.restart();
      awaitReady(base, 200);
      assertThat(json(post(base + "/v2/models/sk/infer", v2Body(3)), 200).encode())
          .contains("12.0");
    }
  }

  private static void awaitReady(String base, int status) {
    await().atMost(WAIT).until(() -> get(base + "/v2/models/sk/ready").statusCode() == status);
  }

  private static String v2Body(int value) {
    return """
        {"inputs":[{"name":"input-0","datatype":"FP32","shape":[1,4],"data":[%d,%d,%d,%d]}]}"""
        .formatted(value, value, value, value);
  }

  private static JsonObject json(HttpResponse<byte[]> r, int status) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    return new JsonObject(body);
  }

  private static HttpResponse<byte[]> get(String url) {
    return GatewayFixture.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static HttpResponse<byte[]> post(String url, String body) {
    return GatewayFixture.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
