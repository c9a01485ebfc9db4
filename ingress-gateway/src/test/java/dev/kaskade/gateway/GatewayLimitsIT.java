package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ModelState;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's per-request limits and checks (#11, security review H2, H3, H6/L4, L2, L15, M9):
 * each limit answers 400/413 naming its setting, checks apply to pass-through routes too, and
 * nothing a client makes up grows the meters.
 */
class GatewayLimitsIT {
  private static final int JSON_LIMIT = 48 * 1024;
  private static final int RECORD_LIMIT = 32 * 1024;
  private static final String NS = GatewayFixture.NS;
  private static GatewayFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx =
        new GatewayFixture(
            Cluster.shared(),
            Map.of(
                "gateway.max.json.body.bytes", Integer.toString(JSON_LIMIT),
                "gateway.max.record.bytes", Integer.toString(RECORD_LIMIT),
                "gateway.default.timeout.ms", "1500"));
    String rev = GatewayFixture.rev("transformed");
    fx.control.resource(Resources.isvc(NS, "transformed", Resources.withTransformer(rev)));
    fx.control.status(
        Resources.predictorStatus(
            NS, "transformed", rev, ModelState.Ready, Resources.IRIS_METADATA));
    fx.control.resource(Resources.graph(NS, "graphy"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fx.get("/v2/models/graphy/ready").statusCode() == 200
                    && fx.get("/v2/models/transformed/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void unknownModelNamesShareOneMetricLabel() throws Exception {
    for (int i = 0; i < 20; i++) {
      fx.postJson("/v2/models/made-up-" + i + "/infer", v2("[1,4]", "[1,2,3,4]", null));
      fx.postJson("/v1/models/made-up-v1-" + i + ":predict", "{\"instances\":[[1,2,3,4]]}");
    }
    Vertx vertx = Vertx.vertx();
    try {
      GRPCInferenceServiceGrpcClient.create(
              GrpcClient.client(vertx),
              SocketAddress.inetSocketAddress(fx.gateway.grpcPort(), "127.0.0.1"))
          .modelInfer(ModelInferRequest.newBuilder().setModelName("made-up-grpc").build())
          .otherwise(e -> null)
          .await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }

    List<String> models =
        fx.gateway.meterRegistry().find("kaskade.gateway.requests").meters().stream()
            .map(Meter::getId)
            .map(id -> id.getTag("model"))
            .distinct()
            .toList();
    assertThat(models).contains("unknown").noneMatch(m -> m.startsWith("made-up"));
  }

  @Test
  void shapeChecksApplyToGraphAndTransformerRoutesToo() {
    int before = fx.responder.received();
    for (String model : List.of("iris", "graphy", "transformed")) {
      String path = "/v2/models/" + model + "/infer";
      assertError(
          fx.postJson(path, v2("[2147483647,0]", "[]", null)), 400, "exceeds its element count");
      String ones = Collections.nCopies(17, "1").toString();
      assertError(fx.postJson(path, v2(ones, "[1]", null)), 400, "gateway.max.tensor.rank");
    }
    String deep = "[".repeat(20) + "1" + "]".repeat(20);
    assertError(
        fx.postJson("/v1/models/graphy:predict", "{\"instances\":" + deep + "}"),
        400,
        "gateway.max.tensor.rank");
    assertThat(fx.responder.received()).isEqualTo(before);
  }

  @Test
  void overflowingShapesAreBadRequestsNotServerErrors() {
    assertError(
        fx.postJson("/v2/models/iris/infer", v2("[4611686018427387904,4]", "[]", null)),
        400,
        "too many elements");
  }

  @Test
  void requestIdsOutsideTheRuleAreRefusedNamingIt() {
    assertError(
        fx.postJson("/v2/models/iris/infer", v2("[1,4]", "[1,2,3,4]", "☃")),
        400,
        "[A-Za-z0-9._:-]");
    assertError(
        fx.postJson(
            "/v1/models/iris:predict",
            "{\"instances\":[[1,2,3,4]]}",
            "x-request-id",
            "x".repeat(300)),
        400,
        "gateway.max.request.id.length");
    String uuid = UUID.randomUUID().toString();
    HttpResponse<byte[]> ok = fx.postJson("/v2/models/iris/infer", v2("[1,4]", "[1,2,3,4]", uuid));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).getString("id")).isEqualTo(uuid);
  }

  @Test
  void jsonOverItsOwnLimitIs413NamingTheSetting() {
    String body = "{\"instances\":[" + "[1.5,1.5,1.5,1.5],".repeat(3000) + "[1,1,1,1]]}";
    assertThat(body.length()).isBetween(JSON_LIMIT, GatewayFixture.MAX_BODY);

    assertError(fx.postJson("/v1/models/iris:predict", body), 413, "gateway.max.json.body.bytes");
  }

  @Test
  void aLargeJsonBodySentAsAFormAsCurlDashDDoesIsStillReadAsJson() {
    String body = "{\"instances\":[" + "[1.5,1.5,1.5,1.5],".repeat(3000) + "[1,1,1,1]]}";

    HttpResponse<byte[]> r =
        fx.post(
            "/v1/models/iris:predict",
            body.getBytes(StandardCharsets.UTF_8),
            "content-type",
            "application/x-www-form-urlencoded");
    assertError(r, 413, "gateway.max.json.body.bytes");
  }

  @Test
  void requestsTooLargeForKafkaAre413NamingTheSettingNotKafkasMessage() {
    int rows = 2500;
    String header =
        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[%d,4],\"parameters\":{\"binary_data_size\":%d}}]}"
            .formatted(rows, rows * 16);
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(json.length + rows * 16).order(ByteOrder.LITTLE_ENDIAN);
    body.put(json);
    HttpResponse<byte[]> binary =
        fx.post(
            "/v2/models/iris/infer",
            body.array(),
            "content-type",
            "application/octet-stream",
            "inference-header-content-length",
            Integer.toString(json.length));
    assertError(binary, 413, "gateway.max.record.bytes");

    String instances = "{\"instances\":[" + "[1.5,1.5,1.5,1.5],".repeat(1200) + "[1,1,1,1]]}";
    HttpResponse<byte[]> explain = fx.postJson("/v1/models/explained:explain", instances);
    assertError(explain, 413, "gateway.max.record.bytes");
    assertThat(new String(explain.body(), StandardCharsets.UTF_8))
        .doesNotContain("max.request.size");
  }

  @Test
  void theCallersDeadlineIsCappedAtTheGatewayDefault() {
    long start = System.nanoTime();
    HttpResponse<byte[]> r =
        fx.postJson(
            "/v2/models/stalled/infer",
            v2("[1,4]", "[1,2,3,4]", null),
            "kaskade-timeout-ms",
            "600000");

    assertError(r, 504, "Deadline of 1500 ms exceeded waiting for the model");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void kafkaRefusalsNameTheModelButNotTheTopic() {
    HttpResponse<byte[]> r = fx.postJson("/v2/models/ghost/infer", v2("[1,4]", "[1,2,3,4]", null));

    assertError(r, 503, "model ghost");
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .doesNotContain(fx.cluster.topics().predictor(NS, "ghost", GatewayFixture.rev("ghost")));
  }

  private static String v2(String shape, String data, String id) {
    JsonObject body =
        new JsonObject()
            .put(
                "inputs",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "input")
                            .put("datatype", "FP32")
                            .put("shape", new JsonArray(shape))
                            .put("data", new JsonArray(data))));
    if (id != null) {
      body.put("id", id);
    }
    return body.encode();
  }

  private static JsonObject json(HttpResponse<byte[]> r) {
    return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
  }

  private static void assertError(HttpResponse<byte[]> r, int status, String messagePart) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(status);
    assertThat(json(r).getString("error")).contains(messagePart);
  }
}
