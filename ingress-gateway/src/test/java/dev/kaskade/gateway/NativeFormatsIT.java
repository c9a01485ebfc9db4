package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.gateway.testing.WorkerAndGateway;
import dev.kaskade.workers.WorkerComponent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of every native KServe model format (xgboost, lightgbm, pmml, sklearn) served by one
 * real model worker behind the gateway, requests and replies travelling over Kafka: V1 and V2
 * answers equal the Python library's reference predictions the example's build.py wrote, and a
 * scikit-learn pickle without an export never becomes ready. examples/triton's model repository
 * (format triton) answers with the names and shapes of its config.pbtxt.
 */
class NativeFormatsIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  static final int[] ROWS = {0, 100};

  /** One example: model format, its storage path, and the reference output to compare. */
  record Example(String format, Path storage, String output) {
    String name() {
      return "iris-" + format;
    }
  }

  static final List<Example> EXAMPLES_SERVED =
      List.of(
          new Example("xgboost", EXAMPLES.resolve("xgboost/model.json"), "output-0"),
          new Example("lightgbm", EXAMPLES.resolve("lightgbm/model.txt"), "output-0"),
          new Example("pmml", EXAMPLES.resolve("pmml/model.pmml"), "output-0"),
          new Example("sklearn", EXAMPLES.resolve("sklearn"), "probabilities"));

  @TempDir Path tmp;

  @Test
  void everyNativeFormatAnswersLikeItsPythonLibraryOverV1AndV2() throws Exception {
    Path pickleOnly = Files.createDirectories(tmp.resolve("pickle-only"));
    Files.copy(EXAMPLES.resolve("sklearn/model.joblib"), pickleOnly.resolve("model.joblib"));
    try (WorkerAndGateway stack = WorkerAndGateway.create(tmp, "w-formats")) {
      ControlPublisher control = stack.control();
      WorkerComponent worker = stack.worker();
      GatewayComponent gateway = stack.gateway();
      for (Example example : EXAMPLES_SERVED) {
        publish(control, example.name(), example.format(), example.storage());
      }
      publish(control, "iris-pickle", "sklearn", pickleOnly);
      publish(control, "iris-triton", "triton", EXAMPLES.resolve("triton/model_repository"));
      worker.start();
      gateway.start();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      for (Example example : EXAMPLES_SERVED) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> get(base + "/v2/models/" + example.name() + "/ready").statusCode() == 200);
        checkAgainstReference(base, example);
      }

      assertThat(get(base + "/v2/models/iris-pickle/ready").statusCode()).isNotEqualTo(200);
      checkTritonRepository(base);
    }
  }

  /** config.pbtxt's names and dims (batch dimension -1 first), answers and max_batch_size. */
  private static void checkTritonRepository(String base) throws Exception {
    String model = base + "/v2/models/iris-triton";
    await().atMost(Duration.ofSeconds(90)).until(() -> get(model + "/ready").statusCode() == 200);
    JsonObject metadata = json(get(model));
    assertThat(metadata.getJsonArray("inputs").getJsonObject(0).encode())
        .contains("\"name\":\"input\"", "\"shape\":[-1,4]");
    assertThat(metadata.getJsonArray("outputs").getJsonObject(0).getString("name"))
        .isEqualTo("output");

    JsonArray setosaAndVirginica =
        new JsonArray()
            .add(new JsonArray(List.of(5.1, 3.5, 1.4, 0.2)))
            .add(new JsonArray(List.of(6.3, 3.3, 6.0, 2.5)));
    JsonArray probabilities =
        json(post(model + "/infer", irisV2(setosaAndVirginica)))
            .getJsonArray("outputs")
            .getJsonObject(0)
            .getJsonArray("data");
    assertThat(probabilities.size()).isEqualTo(6);
    assertThat(argmax(probabilities, 0)).isZero();
    assertThat(argmax(probabilities, 1)).isEqualTo(2);
    JsonArray v1 =
        json(post(
                base + "/v1/models/iris-triton:predict",
                new JsonObject().put("instances", setosaAndVirginica).encode()))
            .getJsonArray("predictions");
    assertSame("triton V1", probabilities, flatten(v1));

    JsonArray nineRows = new JsonArray();
    for (int i = 0; i < 9; i++) {
      nineRows.add(setosaAndVirginica.getJsonArray(0));
    }
    HttpResponse<byte[]> tooLarge = post(model + "/infer", irisV2(nineRows));
    assertThat(tooLarge.statusCode()).isEqualTo(400);
    assertThat(new String(tooLarge.body(), StandardCharsets.UTF_8))
        .contains("batch-size must be <= 8");
  }

  private static String irisV2(JsonArray rows) {
    return new JsonObject()
        .put(
            "inputs",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "input")
                        .put("datatype", "FP32")
                        .put("shape", new JsonArray().add(rows.size()).add(4))
                        .put("data", flatten(rows))))
        .encode();
  }

  private static int argmax(JsonArray probabilities, int row) {
    int best = 0;
    for (int c = 1; c < 3; c++) {
      if (probabilities.getDouble(row * 3 + c) > probabilities.getDouble(row * 3 + best)) {
        best = c;
      }
    }
    return best;
  }

  private static void checkAgainstReference(String base, Example example) throws Exception {
    JsonObject reference =
        new JsonObject(
            Files.readString(EXAMPLES.resolve(example.format()).resolve("reference/model.json")));
    JsonArray rows = new JsonArray();
    JsonArray flat = new JsonArray();
    JsonArray expected = new JsonArray();
    for (int row : ROWS) {
      JsonArray values = reference.getJsonArray("inputs").getJsonArray(row);
      rows.add(values);
      values.forEach(flat::add);
      expected.add(reference.getJsonObject("outputs").getJsonArray(example.output()).getValue(row));
    }

    JsonObject v2 =
        json(
            post(
                base + "/v2/models/" + example.name() + "/infer",
                new JsonObject()
                    .put(
                        "inputs",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "input-0")
                                    .put("datatype", "FP32")
                                    .put("shape", new JsonArray().add(ROWS.length).add(4))
                                    .put("data", flat)))
                    .encode()));
    JsonObject output =
        v2.getJsonArray("outputs").stream()
            .map(JsonObject.class::cast)
            .filter(o -> o.getString("name").equals(example.output()))
            .findFirst()
            .orElseThrow();
    assertSame(example + " V2", flatten(expected), output.getJsonArray("data"));

    if (example.output().equals("output-0")) {
      JsonObject v1 =
          json(
              post(
                  base + "/v1/models/" + example.name() + ":predict",
                  new JsonObject().put("instances", rows).encode()));
      assertSame(example + " V1", flatten(expected), flatten(v1.getJsonArray("predictions")));
    }
  }

  private static void assertSame(String what, JsonArray expected, JsonArray actual) {
    assertThat(actual.size()).as(what).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Object want = expected.getValue(i);
      if (want instanceof Number n) {
        assertThat(((Number) actual.getValue(i)).doubleValue())
            .as(what + " element " + i)
            .isCloseTo(n.doubleValue(), within(1e-5));
      } else {
        assertThat(actual.getValue(i)).as(what + " element " + i).isEqualTo(want);
      }
    }
  }

  static void publish(ControlPublisher control, String name, String format, Path storage) {
    PredictorSpec predictor =
        PredictorSpec.newBuilder(Resources.predictor(name + "-predictor-00000001", null))
            .setModelFormat(format)
            .setStorageUri(storage.toUri().toString())
            .setProtocolVersion("v2")
            .build();
    control.resource(
        Resources.isvc(
            "default", name, InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
  }

  private static JsonArray flatten(JsonArray rows) {
    JsonArray flat = new JsonArray();
    rows.forEach(r -> (r instanceof JsonArray a ? a : new JsonArray().add(r)).forEach(flat::add));
    return flat;
  }

  static JsonObject json(HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body);
  }

  static HttpResponse<byte[]> get(String url) {
    return GatewayFixture.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  static HttpResponse<byte[]> post(String url, String body) {
    return GatewayFixture.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
