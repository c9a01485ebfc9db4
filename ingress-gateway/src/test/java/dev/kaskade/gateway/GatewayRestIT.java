package dev.kaskade.gateway;

import static dev.kaskade.gateway.testing.GatewayFixture.IRIS_REV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.LinearResponder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayRestIT {
  private static final float[] ROWS = {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.1f, 4.4f, 1.4f};
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

  private static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
  }

  private static void assertScores(JsonArray flat) {
    float[] expected = LinearResponder.scores(ROWS);
    assertThat(flat.size()).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(flat.getNumber(i).floatValue()).isEqualTo(expected[i]);
    }
  }

  private static JsonArray flatten(JsonArray rows) {
    JsonArray flat = new JsonArray();
    rows.forEach(r -> ((JsonArray) r).forEach(flat::add));
    return flat;
  }

  private static final String V1_BODY = "{\"instances\":[[5.1,3.5,1.4,0.2],[6.7,3.1,4.4,1.4]]}";

  private static final String V2_BODY =
      """
      {"id":"req-1","inputs":[{"name":"input","datatype":"FP32","shape":[2,4],
        "data":[[5.1,3.5,1.4,0.2],[6.7,3.1,4.4,1.4]]}]}""";

  @Test
  void v1PredictReturnsOneRowOfScoresPerInstance() {
    HttpResponse<byte[]> r = fx.postJson("/v1/models/iris:predict", V1_BODY);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray predictions = json(r).getJsonArray("predictions");
    assertThat(predictions).hasSize(2);
    assertScores(flatten(predictions));
  }

  @Test
  void v1NonNumericInstancesTravelAsJsonPayload() {
    HttpResponse<byte[]> r =
        fx.postJson("/v1/models/iris:predict", "{\"instances\":[{\"text\":\"hello\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).getJsonArray("predictions").getJsonObject(0).getString("text"))
        .isEqualTo("hello");
  }

  @Test
  void v1CloudEventInBinaryModeIsAnsweredInBinaryMode() {
    HttpResponse<byte[]> r =
        fx.postJson(
            "/v1/models/iris:predict",
            V1_BODY,
            "ce-specversion",
            "1.0",
            "ce-id",
            "e1",
            "ce-source",
            "test",
            "ce-type",
            "req");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ce-type")).hasValue("io.kserve.inference.response");
    assertThat(r.headers().firstValue("ce-source")).hasValue("io.kserve.inference.iris");
    assertScores(flatten(json(r).getJsonArray("predictions")));
  }

  @Test
  void v1CloudEventInStructuredModeIsAnsweredStructured() {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"e2\",\"source\":\"t\",\"type\":\"req\",\"data\":"
            + V1_BODY
            + "}";
    HttpResponse<byte[]> r =
        fx.post(
            "/v1/models/iris:predict",
            event.getBytes(StandardCharsets.UTF_8),
            "content-type",
            "application/cloudevents+json");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/cloudevents+json");
    JsonObject reply = json(r);
    assertThat(reply.getString("type")).isEqualTo("io.kserve.inference.response");
    assertScores(flatten(reply.getJsonObject("data").getJsonArray("predictions")));
  }

  @Test
  void v1ListsModelsAndAnswersReadiness() {
    assertThat(json(fx.get("/")).getString("status")).isEqualTo("alive");
    assertThat(json(fx.get("/v1/models")).getJsonArray("models").getList())
        .contains("iris", "flower", "loading");
    assertThat(json(fx.get("/v1/models/iris")).getBoolean("ready")).isTrue();

    HttpResponse<byte[]> unknown = fx.get("/v1/models/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).getString("error")).isEqualTo("Model with name nope does not exist.");
    HttpResponse<byte[]> loading = fx.get("/v1/models/loading");
    assertThat(loading.statusCode()).isEqualTo(503);
    assertThat(json(loading).getString("error")).isEqualTo("Model with name loading is not ready.");
  }

  @Test
  void v2InferEchoesIdAndNamesModelAndVersion() {
    HttpResponse<byte[]> r = fx.postJson("/v2/models/iris/infer", V2_BODY);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = json(r);
    assertThat(body.getString("id")).isEqualTo("req-1");
    assertThat(body.getString("model_name")).isEqualTo("iris");
    assertThat(body.getString("model_version")).isEqualTo(IRIS_REV);
    JsonObject out = body.getJsonArray("outputs").getJsonObject(0);
    assertThat(out.getString("name")).isEqualTo("output");
    assertThat(out.getString("datatype")).isEqualTo("FP32");
    assertThat(out.getJsonArray("shape").getList()).containsExactly(2, 3);
    assertScores(out.getJsonArray("data"));
  }

  @Test
  void v2InferWithFlatDataOnVersionedPathGeneratesAnId() {
    String body =
        """
        {"inputs":[{"name":"input","datatype":"FP32","shape":[2,4],
          "data":[5.1,3.5,1.4,0.2,6.7,3.1,4.4,1.4]}]}""";
    HttpResponse<byte[]> r = fx.postJson("/v2/models/iris/versions/" + IRIS_REV + "/infer", body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).getString("id")).hasSize(36);
    assertScores(json(r).getJsonArray("outputs").getJsonObject(0).getJsonArray("data"));
  }

  @Test
  void v2BinaryExtensionCarriesInputsAndOutputsAsBytes() {
    ByteBuffer data = ByteBuffer.allocate(ROWS.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : ROWS) {
      data.putFloat(f);
    }
    String header =
        """
        {"id":"bin","inputs":[{"name":"input","datatype":"FP32","shape":[2,4],
          "parameters":{"binary_data_size":32}}],"parameters":{"binary_data_output":true}}""";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[json.length + 32];
    System.arraycopy(json, 0, body, 0, json.length);
    System.arraycopy(data.array(), 0, body, json.length, 32);

    HttpResponse<byte[]> r =
        fx.post(
            "/v2/models/iris/infer",
            body,
            "content-type",
            "application/octet-stream",
            "Inference-Header-Content-Length",
            Integer.toString(json.length));

    assertThat(r.statusCode()).isEqualTo(200);
    int headerLength =
        Integer.parseInt(r.headers().firstValue("inference-header-content-length").orElseThrow());
    JsonObject reply =
        new JsonObject(new String(r.body(), 0, headerLength, StandardCharsets.UTF_8));
    JsonObject out = reply.getJsonArray("outputs").getJsonObject(0);
    assertThat(out.getJsonObject("parameters").getInteger("binary_data_size")).isEqualTo(24);
    assertThat(out.containsKey("data")).isFalse();
    ByteBuffer scores =
        ByteBuffer.wrap(r.body(), headerLength, 24).slice().order(ByteOrder.LITTLE_ENDIAN);
    float[] expected = LinearResponder.scores(ROWS);
    for (float e : expected) {
      assertThat(scores.getFloat()).isEqualTo(e);
    }
  }

  @Test
  void v2ServesServerAndModelMetadataWithAndWithoutVersion() {
    JsonObject server = json(fx.get("/v2"));
    assertThat(server.getString("name")).isEqualTo("kaskade");
    assertThat(server.getJsonArray("extensions").getList()).contains("model_repository_extension");
    assertThat(json(fx.get("/v2/health/live")).getBoolean("live")).isTrue();
    assertThat(json(fx.get("/v2/health/ready")).getBoolean("ready")).isTrue();
    assertThat(json(fx.get("/v2/models")).getJsonArray("models").getList()).contains("iris");

    JsonObject metadata = json(fx.get("/v2/models/iris"));
    assertThat(metadata.getJsonArray("versions").getList()).containsExactly(IRIS_REV);
    assertThat(metadata.getJsonArray("inputs").getJsonObject(0).getString("name"))
        .isEqualTo("input");
    assertThat(fx.get("/v2/models/iris/versions/" + IRIS_REV).statusCode()).isEqualTo(200);
    assertThat(json(fx.get("/v2/models/iris/ready")).getBoolean("ready")).isTrue();
    assertThat(fx.get("/v2/models/iris/versions/" + IRIS_REV + "/ready").statusCode())
        .isEqualTo(200);
    assertThat(fx.get("/v2/models/iris/versions/nope/ready").statusCode()).isEqualTo(404);
    assertThat(fx.get("/v2/models/loading/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void repositoryLoadAnswersByStatusAndUnloadIsLeftToTheControlPlane() {
    HttpResponse<byte[]> load = fx.postJson("/v2/repository/models/iris/load", "{}");
    assertThat(load.statusCode()).isEqualTo(200);
    assertThat(json(load).getBoolean("load")).isTrue();
    assertThat(fx.postJson("/v2/repository/models/loading/load", "{}").statusCode()).isEqualTo(503);
    assertThat(fx.postJson("/v2/repository/models/nope/load", "{}").statusCode()).isEqualTo(404);
    assertThat(fx.postJson("/v2/repository/models/iris/unload", "{}").statusCode()).isEqualTo(501);
  }

  @Test
  void invalidRequestsAreRejectedBeforeAnythingIsProduced() {
    int before = fx.responder.received();
    assertError(fx.postJson("/v2/models/nope/infer", V2_BODY), 404, "does not exist");
    assertError(fx.postJson("/v2/models/loading/infer", V2_BODY), 503, "is not ready");
    assertError(fx.postJson("/v2/models/iris/infer", "{not json"), 400, "Unrecognized request");
    assertError(
        fx.postJson("/v2/models/iris/infer", V2_BODY.replace("FP32", "FP64")),
        400,
        "tensor 'input': datatype FP64 does not match the model's FP32");
    assertError(
        fx.postJson("/v2/models/iris/infer", V2_BODY.replace("FP32", "INT32")),
        400,
        "tensor 'input': element 5.1 is not a valid INT32");
    assertError(
        fx.postJson("/v2/models/iris/infer", V2_BODY.replace("[2,4]", "[4,2]")),
        400,
        "tensor 'input': shape [4, 2]");
    assertError(
        fx.postJson("/v2/models/iris/infer", V2_BODY.replace("[2,4]", "[3,4]")),
        400,
        "tensor 'input': shape [3, 4] needs 12 elements, got 8");
    assertError(
        fx.postJson("/v2/models/iris/infer", V2_BODY.replace("\"input\"", "\"x\"")),
        400,
        "tensor 'x' is not an input");
    assertError(
        fx.postJson("/v1/models/iris:predict", "{\"instances\":[[1,2,3]]}"),
        400,
        "tensor 'input': shape [1, 3]");
    assertError(fx.postJson("/v2/models/iris/versions/nope/infer", V2_BODY), 404, "version nope");
    assertError(
        fx.post("/v2/models/iris/infer", new byte[8], "content-type", "application/octet-stream"),
        400,
        "Inference-Header-Content-Length");
    assertThat(fx.responder.received()).isEqualTo(before);
  }

  @Test
  void bodyOverTheLimitIsRejectedWith413() {
    byte[] big = new byte[GatewayFixture.MAX_BODY + 1];
    HttpResponse<byte[]> r =
        fx.post("/v2/models/iris/infer", big, "content-type", "application/json");

    assertError(r, 413, "gateway.max.body.bytes");
  }

  @Test
  void aRecordKafkaDoesNotAcceptAnswers503() {
    HttpResponse<byte[]> r =
        fx.postJson("/v2/models/ghost/infer", V2_BODY, "kaskade-timeout-ms", "20000");

    assertError(r, 503, "Kafka did not accept the request");
  }

  @Test
  void modelErrorsKeepTheirReason() {
    assertError(fx.postJson("/v2/models/failing/infer", V2_BODY), 400, "model says no");
  }

  @Test
  void explainGoesToTheExplainerOr501WithoutOne() {
    HttpResponse<byte[]> r = fx.postJson("/v1/models/explained:explain", V1_BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).getJsonArray("explanations")).isNotEmpty();

    assertError(fx.postJson("/v1/models/iris:explain", V1_BODY), 501, "has no explainer");
  }

  @Test
  void expiredDeadlineAnswers504AndTheLateReplyIsCounted() {
    double lateBefore = lateReplies();
    HttpResponse<byte[]> stalled =
        fx.postJson("/v2/models/stalled/infer", V2_BODY, "kaskade-timeout-ms", "300");
    assertError(stalled, 504, "Deadline of 300 ms exceeded");

    HttpResponse<byte[]> slow =
        fx.postJson("/v2/models/slow/infer", V2_BODY, "kaskade-timeout-ms", "100");
    assertError(slow, 504, "Deadline");
    await().atMost(Duration.ofSeconds(10)).until(() -> lateReplies() > lateBefore);
  }

  @Test
  void callsBeyondTheInFlightLimitGet429() {
    List<CompletableFuture<HttpResponse<byte[]>>> waiting = new ArrayList<>();
    for (int i = 0; i < GatewayFixture.MAX_INFLIGHT; i++) {
      waiting.add(
          GatewayFixture.sendAsync(
              HttpRequest.newBuilder(URI.create(fx.url("/v2/models/stalled/infer")))
                  .header("kaskade-timeout-ms", "3000")
                  .POST(HttpRequest.BodyPublishers.ofString(V2_BODY))
                  .build()));
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fx.responder.received() >= 0 && inflight() >= GatewayFixture.MAX_INFLIGHT);

    assertError(fx.postJson("/v2/models/iris/infer", V2_BODY), 429, "Too many requests");
    waiting.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(504));
    assertThat(fx.postJson("/v2/models/iris/infer", V2_BODY).statusCode()).isEqualTo(200);
  }

  @Test
  void canaryTrafficSkipsARevisionThatIsNotReady() {
    for (int i = 0; i < 10; i++) {
      HttpResponse<byte[]> r =
          fx.postJson("/v2/models/flower/infer", V2_BODY.replace("req-1", "canary-" + i));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(r).getString("model_version")).isEqualTo(GatewayFixture.FLOWER_OLD);
    }
  }

  @Test
  void traceContextIsCarriedInKafkaHeadersAndEchoed() {
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    HttpResponse<byte[]> r = fx.postJson("/v2/models/iris/infer", V2_BODY, "traceparent", trace);

    assertThat(r.headers().firstValue("traceparent")).hasValue(trace);
    Map<String, String> headers = Map.copyOf(fx.responder.lastHeaders());
    assertThat(
            fx.postJson("/v2/models/nope/infer", V2_BODY, "traceparent", trace)
                .headers()
                .firstValue("traceparent"))
        .hasValue(trace);
    assertThat(fx.postJson("/v2/models/iris/infer", V2_BODY).headers().firstValue("traceparent"))
        .hasValueSatisfying(t -> assertThat(t).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    assertThat(headers)
        .containsEntry("traceparent", trace)
        .containsEntry("kaskade-model", "iris")
        .containsEntry("kaskade-namespace", "default")
        .containsEntry("kaskade-protocol", "v2")
        .containsEntry("kaskade-request-id", "req-1")
        .containsEntry("kaskade-reply-to", fx.gateway.replyTopic())
        .containsKeys("kaskade-correlation-id", "kaskade-deadline-ms");
  }

  @Test
  void metricsExposeRequestsPerModelProtocolAndStatus() {
    fx.postJson("/v2/models/iris/infer", V2_BODY);

    String metrics = new String(fx.get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains(
            "kaskade_gateway_requests_seconds_count{model=\"iris\",protocol=\"v2\",status=\"200\"}")
        .contains("kaskade_gateway_inflight")
        .contains("kaskade_gateway_kafka_roundtrip_seconds_bucket");
  }

  @Test
  void aTakenPortFailsFastNamingTheSetting() throws Exception {
    var ctx =
        fx.cluster.context(
            Files.createTempDirectory("gw"),
            Map.of(
                "gateway.http.port",
                Integer.toString(fx.gateway.httpPort()),
                "gateway.grpc.port",
                "-1"));
    try (GatewayComponent second = new GatewayComponent(ctx)) {
      assertThatThrownBy(second::start).hasMessageContaining("gateway.http.port");
    }
  }

  private static double lateReplies() {
    var counter = fx.gateway.meterRegistry().find("kaskade.gateway.late.replies").counter();
    return counter == null ? 0 : counter.count();
  }

  private static double inflight() {
    var gauge = fx.gateway.meterRegistry().find("kaskade.gateway.inflight").gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private static void assertError(HttpResponse<byte[]> r, int status, String messagePart) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    assertThat(new JsonObject(body).getString("error")).contains(messagePart);
  }
}
