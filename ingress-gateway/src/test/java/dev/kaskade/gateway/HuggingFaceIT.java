package dev.kaskade.gateway;

import static dev.kaskade.gateway.NativeFormatsIT.get;
import static dev.kaskade.gateway.NativeFormatsIT.json;
import static dev.kaskade.gateway.NativeFormatsIT.post;
import static dev.kaskade.gateway.NativeFormatsIT.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.WorkerAndGateway;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.demo.MiniLm;
import dev.kaskade.workers.testing.HfTestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face folders (format {@code huggingface}, task from config.json) served by a real model
 * worker behind the gateway, requests and replies travelling over Kafka: KServe huggingfaceserver's
 * V1 shapes per task, the V2 embedding contract, and 400s for bad input.
 */
class HuggingFaceIT {
  @TempDir Path tmp;

  @Test
  void huggingfaceTasksAnswerKserveShapesOverV1AndV2() throws Exception {
    Map<String, Path> models =
        Map.of(
            "minilm", MiniLm.writeModel(tmp.resolve("minilm")),
            "hf-sentiment", HfTestModels.sentiment(tmp.resolve("sentiment")),
            "hf-entities", HfTestModels.entities(tmp.resolve("entities")),
            "hf-fill", HfTestModels.fillMask(tmp.resolve("fill")));
    try (WorkerAndGateway stack = WorkerAndGateway.create(tmp, "w-hf")) {
      ControlPublisher control = stack.control();
      WorkerComponent worker = stack.worker();
      GatewayComponent gateway = stack.gateway();
      models.forEach((name, dir) -> publish(control, name, "huggingface", dir));
      worker.start();
      gateway.start();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      for (String name : models.keySet()) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> get(base + "/v2/models/" + name + "/ready").statusCode() == 200);
      }

      embeddings(base);
      assertThat(v1(base, "hf-sentiment", "a good movie", "an awful movie"))
          .isEqualTo(new JsonArray().add(1).add(0));
      assertThat(v1(base, "hf-entities", "paris is good"))
          .isEqualTo(new JsonArray("[[[0, 1, 0, 2, 0]]]"));
      assertThat(v1(base, "hf-fill", "the capital of france is [MASK]"))
          .isEqualTo(new JsonArray().add("paris"));
      badInput(base);
    }
  }

  private static void embeddings(String base) {
    JsonArray predictions = v1(base, "minilm", "A man is playing a guitar.", "Kafka");
    assertThat(predictions).hasSize(2);
    double norm = 0;
    for (Object x : predictions.getJsonArray(0)) {
      norm += ((Number) x).doubleValue() * ((Number) x).doubleValue();
    }
    assertThat(predictions.getJsonArray(0)).hasSize(384);
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));

    JsonObject v2 =
        json(
            post(
                base + "/v2/models/minilm/infer",
                new JsonObject()
                    .put(
                        "inputs",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", "text")
                                    .put("datatype", "BYTES")
                                    .put("shape", new JsonArray().add(2))
                                    .put(
                                        "data",
                                        new JsonArray()
                                            .add("A man is playing a guitar.")
                                            .add("Kafka"))))
                    .encode()));
    JsonArray outputs = v2.getJsonArray("outputs");
    assertThat(outputs.getJsonObject(0).getString("name")).isEqualTo("embedding");
    assertThat(outputs.getJsonObject(0).getString("datatype")).isEqualTo("FP32");
    assertThat(outputs.getJsonObject(0).getJsonArray("shape")).containsExactly(2, 384);
    assertThat(outputs.getJsonObject(1).getString("name")).isEqualTo("token_count");
    assertThat(outputs.getJsonObject(1).getString("datatype")).isEqualTo("INT64");
    assertThat(outputs.getJsonObject(1).getJsonArray("data"))
        .containsExactly(9, 5); // [CLS] … [SEP]; kafka = ka ##f ##ka
    float first = outputs.getJsonObject(0).getJsonArray("data").getFloat(0);
    assertThat(first).isCloseTo(predictions.getJsonArray(0).getFloat(0), within(1e-6f));
  }

  private static void badInput(String base) {
    assertBadRequest(base, "minilm", "{\"instances\": []}", "at least one");
    assertBadRequest(base, "minilm", "{\"instances\": [\"a\", 3]}", "list of strings");
    assertBadRequest(base, "minilm", "{\"instances\": [1, 2]}", "BYTES");
    JsonArray many = new JsonArray(Collections.nCopies(257, "good"));
    assertBadRequest(
        base, "hf-sentiment", new JsonObject().put("instances", many).encode(), "takes 256");
    assertBadRequest(base, "hf-fill", "{\"instances\": [\"no mask\"]}", "no mask token");
  }

  private static void assertBadRequest(String base, String model, String body, String message) {
    HttpResponse<byte[]> r = post(base + "/v1/models/" + model + ":predict", body);
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body + " -> " + text).isEqualTo(400);
    assertThat(text).contains(message);
  }

  private static JsonArray v1(String base, String model, String... texts) {
    JsonObject body = new JsonObject().put("instances", new JsonArray(List.of((Object[]) texts)));
    return json(post(base + "/v1/models/" + model + ":predict", body.encode()))
        .getJsonArray("predictions");
  }
}
