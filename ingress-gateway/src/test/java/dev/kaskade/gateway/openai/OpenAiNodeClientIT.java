package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.gateway.testing.WorkerAndGateway;
import dev.kaskade.workers.demo.MiniLm;
import dev.kaskade.workers.generation.tinylm.TinyLm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm client (the version pinned in {@link #SDK}) against a real
 * gateway and model worker serving kaskade-tiny-lm and MiniLM over Kafka: what an SDK user gets
 * from chat (plain and streamed with usage), completions, embeddings (the SDK's default base64 and
 * float), the model list and errors. The SDK is installed with npm into {@code target/openai-node}
 * on first use (npm's cache makes later runs offline); the test is skipped only when {@code node}
 * or {@code npm} is not on the PATH.
 */
class OpenAiNodeClientIT {
  static final String SDK = "openai@6.49.0";
  private static final Path NODE_DIR = Path.of("target", "openai-node").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void officialNodeSdkGetsOpenAisShapesFromTheGatewayOverKafka() throws Exception {
    Assumptions.assumeTrue(
        runs("node", "--version") && runs("npm", "--version"), "node and npm are not installed");
    Path script = installSdk();
    Path tinyLm = TinyLm.write(tmp.resolve("tiny-lm"));
    try (WorkerAndGateway stack = WorkerAndGateway.create(tmp, "w-node")) {
      publish(stack, "tiny-lm", "tiny-lm", tinyLm);
      publish(stack, "minilm", "huggingface", MiniLm.writeModel(tmp.resolve("minilm")));
      stack.worker().start();
      stack.gateway().start();
      String base = "http://127.0.0.1:" + stack.gateway().httpPort();
      for (String model : List.of("tiny-lm", "minilm")) {
        await().atMost(Duration.ofSeconds(90)).until(() -> ready(base, model));
      }

      JsonObject seen = new JsonObject(node(script, base + "/openai/v1"));

      chat(seen);
      completions(seen, tinyLm);
      embeddings(seen);
      assertThat(seen.getJsonArray("models").stream().map(m -> ((JsonObject) m).getString("id")))
          .contains("tiny-lm", "minilm");
      errors(seen.getJsonObject("errors"));
    }
  }

  private static void chat(JsonObject seen) {
    JsonObject chat = seen.getJsonObject("chat");
    assertThat(chat.getString("object")).isEqualTo("chat.completion");
    assertThat(chat.getString("id")).startsWith("chatcmpl-");
    assertThat(chat.getString("role")).isEqualTo("assistant");
    assertThat(chat.getString("content")).hasSize(40);
    assertThat(chat.getString("finish")).isEqualTo("length");
    assertThat(chat.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(40);

    JsonObject stream = seen.getJsonObject("chatStream");
    assertThat(stream.getString("text"))
        .as("streamed = not streamed")
        .isEqualTo(chat.getString("content"));
    assertThat(stream.getJsonArray("roles")).containsExactly("assistant");
    assertThat(stream.getJsonArray("finishes")).containsExactly("length");
    assertThat(stream.getInteger("afterFinish")).as("no content after the final chunk").isZero();
    assertThat(stream.getJsonArray("objects")).containsExactly("chat.completion.chunk");
    assertThat(stream.getJsonArray("ids")).hasSize(1);
    assertThat(stream.getJsonObject("usage")).isEqualTo(chat.getJsonObject("usage"));
  }

  private static void completions(JsonObject seen, Path tinyLm) throws Exception {
    JsonObject completion = seen.getJsonObject("completion");
    String expected = OpenAiTinyLmIT.direct(tinyLm, "The gateway", 30);
    assertThat(completion.getString("object")).isEqualTo("text_completion");
    assertThat(completion.getString("text")).isEqualTo(expected);
    assertThat(completion.getString("finish")).isEqualTo("length");
    JsonObject usage = completion.getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo("The gateway".length() + 1);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(usage.getInteger("prompt_tokens") + 30);
    assertThat(seen.getJsonObject("completionStream").getString("text")).isEqualTo(expected);
  }

  private static void embeddings(JsonObject seen) {
    JsonObject defaulted = seen.getJsonObject("embeddingsDefault");
    assertThat(defaulted.getString("object")).isEqualTo("list");
    assertThat(defaulted.getString("model")).isEqualTo("minilm");
    assertThat(defaulted.getJsonArray("indexes")).containsExactly(0, 1, 2);
    assertThat(defaulted.getJsonObject("usage").getInteger("prompt_tokens")).isPositive();
    JsonArray vectors = defaulted.getJsonArray("vectors");
    double[] guitar = floats(vectors.getJsonArray(0));
    assertThat(guitar).hasSize(MiniLm.DIMENSIONS);
    assertThat(Math.sqrt(dot(guitar, guitar))).isCloseTo(1.0, within(1e-4));
    double paraphrase = dot(guitar, floats(vectors.getJsonArray(1)));
    double unrelated = dot(guitar, floats(vectors.getJsonArray(2)));
    assertThat(paraphrase).as("paraphrases closer than unrelated").isGreaterThan(unrelated + 0.3);

    JsonObject floats = seen.getJsonObject("embeddingsFloat");
    assertThat(floats.getBoolean("isArray")).isTrue();
    // base64 is float32 little-endian, the float JSON the same float32 values printed
    assertThat(floats(floats.getJsonArray("vector"))).containsExactly(guitar, within(1e-6));
  }

  private static void errors(JsonObject errors) {
    JsonObject unknown = errors.getJsonObject("unknownModel");
    assertThat(unknown.getBoolean("thrown")).isTrue();
    assertThat(unknown.getBoolean("notFound")).as(unknown.encode()).isTrue();
    assertThat(unknown.getInteger("status")).isEqualTo(404);
    assertThat(unknown.getString("type")).isEqualTo("invalid_request_error");
    assertThat(unknown.getString("code")).isEqualTo("model_not_found");
    assertThat(unknown.getString("message")).contains("no-such-model");

    JsonObject hot = errors.getJsonObject("badTemperature");
    assertThat(hot.getBoolean("badRequest")).as(hot.encode()).isTrue();
    assertThat(hot.getInteger("status")).isEqualTo(400);
    assertThat(hot.getString("param")).isEqualTo("temperature");
  }

  private static void publish(WorkerAndGateway stack, String name, String format, Path model) {
    PredictorSpec predictor =
        PredictorSpec.newBuilder(Resources.predictor(name + "-predictor-00000001", null))
            .setModelFormat(format)
            .setStorageUri(model.toUri().toString())
            .build();
    stack
        .control()
        .resource(
            Resources.isvc(
                "default",
                name,
                InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
  }

  private static boolean ready(String base, String model) {
    return GatewayFixture.send(
                HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model + "/ready"))
                    .GET()
                    .build())
            .statusCode()
        == 200;
  }

  /** Installs the SDK into target/openai-node once, and the script next to it. */
  private static Path installSdk() throws Exception {
    Files.createDirectories(NODE_DIR);
    Path installed = NODE_DIR.resolve("node_modules/openai/package.json");
    String version = SDK.substring(SDK.indexOf('@') + 1);
    if (!Files.exists(installed)
        || !Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
      String output =
          run(
              Duration.ofMinutes(3),
              "npm",
              "install",
              "--no-save",
              "--no-audit",
              "--no-fund",
              "--no-package-lock",
              "--prefix",
              NODE_DIR.toString(),
              SDK);
      assertThat(installed).as("npm install %s: %s", SDK, output).exists();
    }
    Path script = NODE_DIR.resolve("client.mjs");
    try (InputStream in = OpenAiNodeClientIT.class.getResourceAsStream("/openai-node/client.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }

  /** Runs the script; its last output line is the JSON it observed. */
  private static String node(Path script, String baseUrl) throws Exception {
    String output = run(Duration.ofMinutes(3), "node", script.toString(), baseUrl);
    List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as("node output: %s", output).isNotEmpty();
    return lines.getLast();
  }

  private static String run(Duration limit, String... command) throws Exception {
    Path log = Files.createTempFile(NODE_DIR, "run", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(NODE_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertThat(done && process.exitValue() == 0)
        .as("%s failed: %s", String.join(" ", command), text)
        .isTrue();
    return text;
  }

  private static boolean runs(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static double[] floats(JsonArray values) {
    return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
