package dev.kaskade.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.backend.ModelSource;
import dev.kaskade.workers.generation.CancelSignal;
import dev.kaskade.workers.generation.GenerationSpec;
import dev.kaskade.workers.generation.tinylm.TinyLm;
import dev.kaskade.workers.generation.tinylm.TinyLmGeneratorFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI endpoints end to end: gateway, Kafka, the model worker and kaskade-tiny-lm. */
class OpenAiTinyLmIT {
  private static final String REVISION = "tiny-lm-predictor-0000beef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path tmp;
  static Cluster cluster;
  static ControlPublisher control;
  static WorkerComponent worker;
  static GatewayComponent gateway;
  static SimpleMeterRegistry gatewayMeters = new SimpleMeterRegistry();
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Path model = TinyLm.write(tmp.resolve("tiny-lm"));
    cluster = Cluster.shared();
    cluster.createPlatformTopics();
    control = new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
    worker =
        new WorkerComponent(
            cluster.context(
                tmp.resolve("worker"),
                Map.of(
                    "worker.id", "w-tiny",
                    "worker.models.dir", tmp.resolve("models").toString(),
                    "worker.generation.max.tokens", "1000000")),
            new SimpleMeterRegistry());
    gateway =
        new GatewayComponent(
            cluster.context(
                tmp.resolve("gateway"),
                Map.of(
                    "gateway.http.port", "0",
                    "gateway.grpc.port", "-1",
                    "gateway.host", "127.0.0.1",
                    "gateway.default.timeout.ms", "60000")),
            gatewayMeters);
    PredictorSpec predictor =
        PredictorSpec.newBuilder(Resources.predictor(REVISION, null))
            .setModelFormat("tiny-lm")
            .setStorageUri(model.toUri().toString())
            .build();
    control.resource(
        Resources.isvc(
            "default",
            "tiny-lm",
            InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
    worker.start();
    gateway.start();
    base = "http://127.0.0.1:" + gateway.httpPort();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> get("/v2/models/tiny-lm/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    worker.close();
    control.close();
    cluster.close();
  }

  /** What the model itself generates for a completion prompt, greedy. */
  static String direct(String prompt, int maxTokens) throws Exception {
    return direct(tmp.resolve("tiny-lm"), prompt, maxTokens);
  }

  /** What the tiny LM in {@code model} generates for a completion prompt, greedy. */
  static String direct(Path model, String prompt, int maxTokens) throws Exception {
    var factory = new TinyLmGeneratorFactory();
    try (var lm = factory.open(new ModelSource("x", "r", model, "tiny-lm", Map.of()))) {
      StringBuilder out = new StringBuilder();
      lm.generate(
          new GenerationSpec(
              GenerationSpec.Api.COMPLETION,
              "x",
              prompt,
              List.of(),
              maxTokens,
              0,
              1,
              null,
              List.of(),
              "{}",
              0),
          (t, n) -> out.append(t),
          CancelSignal.NEVER);
      return out.toString();
    }
  }

  @Test
  void greedyCompletionIsExactlyWhatTheModelGeneratesWithUsage() throws Exception {
    JsonObject body =
        ok(
            post(
                "/openai/v1/completions",
                "{\"model\":\"tiny-lm\",\"prompt\":\"The gateway\",\"max_tokens\":30,"
                    + "\"temperature\":0}"));
    assertThat(body.getString("object")).isEqualTo("text_completion");
    assertThat(body.getString("id")).startsWith("cmpl-");
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("text")).isEqualTo(direct("The gateway", 30));
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo("The gateway".length() + 1);
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(30);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(usage.getInteger("prompt_tokens") + 30);
  }

  @Test
  void chatStreamEqualsNonStreamWithRoleFirstFinishUsageAndDone() throws Exception {
    String request =
        "{\"model\":\"tiny-lm\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
            + "\"max_tokens\":40,\"temperature\":0%s}";
    JsonObject whole = ok(post("/openai/v1/chat/completions", request.formatted("")));
    String content =
        whole
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("message")
            .getString("content");
    assertThat(content).hasSize(40);

    List<String> events =
        sse(
            "/v1/chat/completions",
            request.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    assertThat(events.getLast()).isEqualTo("[DONE]");
    List<JsonObject> chunks =
        events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    JsonObject first = chunks.getFirst().getJsonArray("choices").getJsonObject(0);
    assertThat(first.getJsonObject("delta").getString("role")).isEqualTo("assistant");
    StringBuilder streamed = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    for (JsonObject chunk : chunks) {
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(chunk.getString("id")).isEqualTo(chunks.getFirst().getString("id"));
      for (Object c : chunk.getJsonArray("choices")) {
        JsonObject choice = (JsonObject) c;
        streamed.append(choice.getJsonObject("delta").getString("content", ""));
        if (choice.getString("finish_reason") != null) {
          finishes.add(choice.getString("finish_reason"));
        }
      }
    }
    assertThat(streamed.toString()).isEqualTo(content);
    assertThat(finishes).containsExactly("length");
    JsonObject usage = chunks.getLast();
    assertThat(usage.getJsonArray("choices")).isEmpty();
    assertThat(usage.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(40);
    assertThat(usage.getJsonObject("usage").getInteger("prompt_tokens"))
        .isEqualTo(whole.getJsonObject("usage").getInteger("prompt_tokens"));
  }

  @Test
  void stopStringEndsWithFinishReasonStopAndTwoChoicesAreIndexed() throws Exception {
    String full = direct("Kafka", 40);
    String stop = full.substring(12, 14);
    JsonObject stopped =
        ok(
            post(
                "/openai/v1/completions",
                new JsonObject()
                    .put("model", "tiny-lm")
                    .put("prompt", "Kafka")
                    .put("max_tokens", 40)
                    .put("temperature", 0)
                    .put("stop", new JsonArray().add(stop))
                    .encode()));
    JsonObject choice = stopped.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("text")).isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");

    JsonObject two =
        ok(
            post(
                "/openai/v1/completions",
                "{\"model\":\"tiny-lm\",\"prompt\":\"Kafka\",\"max_tokens\":20,\"n\":2,"
                    + "\"seed\":42}"));
    JsonArray choices = two.getJsonArray("choices");
    assertThat(choices).hasSize(2);
    assertThat(choices.getJsonObject(0).getInteger("index")).isZero();
    assertThat(choices.getJsonObject(1).getInteger("index")).isOne();
    assertThat(two.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(40);
    JsonObject again =
        ok(
            post(
                "/openai/v1/completions",
                "{\"model\":\"tiny-lm\",\"prompt\":\"Kafka\",\"max_tokens\":20,\"n\":2,"
                    + "\"seed\":42}"));
    assertThat(again.getJsonArray("choices")).as("seeded runs repeat").isEqualTo(choices);
  }

  @Test
  void errorsHaveOpenAisShapeAndStatus() {
    HttpResponse<byte[]> missing =
        post("/openai/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}");
    assertThat(missing.statusCode()).isEqualTo(404);
    JsonObject error = new JsonObject(new String(missing.body(), StandardCharsets.UTF_8));
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("model_not_found");
    assertThat(error.getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");

    HttpResponse<byte[]> hot =
        post(
            "/openai/v1/chat/completions",
            "{\"model\":\"tiny-lm\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"temperature\":7}");
    assertThat(hot.statusCode()).isEqualTo(400);
    assertThat(
            new JsonObject(new String(hot.body(), StandardCharsets.UTF_8))
                .getJsonObject("error")
                .getString("param"))
        .isEqualTo("temperature");

    HttpResponse<byte[]> embeddings =
        post("/openai/v1/embeddings", "{\"model\":\"tiny-lm\",\"input\":\"x\"}");
    assertThat(embeddings.statusCode()).isEqualTo(400);
    assertThat(new String(embeddings.body(), StandardCharsets.UTF_8))
        .contains("Model tiny-lm does not support the Embeddings API.");

    for (String stream : List.of("false", "true")) {
      HttpResponse<byte[]> tools =
          post(
              "/openai/v1/chat/completions",
              "{\"model\":\"tiny-lm\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                  + "\"stream\":"
                  + stream
                  + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}");
      assertThat(tools.statusCode()).as("tools, stream " + stream).isEqualTo(400);
      JsonObject toolsError =
          new JsonObject(new String(tools.body(), StandardCharsets.UTF_8)).getJsonObject("error");
      assertThat(toolsError.getString("type")).isEqualTo("invalid_request_error");
      assertThat(toolsError.getString("message"))
          .contains("'tools'", "tiny-lm", "kaskade.dev/upstream-url");
    }

    JsonObject models = ok(get("/openai/v1/models"));
    assertThat(models.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
        .contains("tiny-lm");
    assertThat(get("/openai/v1/models/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void disconnectCancelsTheGenerationAndTheAuditedAnswerSaysSo() throws Exception {
    String topic = cluster.topics().responses("default", "tiny-lm");
    try (KafkaConsumer<String, byte[]> responses = consumer(topic)) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/openai/v1/completions"))
              .header("content-type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"tiny-lm\",\"prompt\":\"x\",\"max_tokens\":500000,\"temperature\":0,"
                          + "\"stream\":true}"))
              .build();
      HttpResponse<InputStream> response =
          HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String id;
      try (InputStream in = response.body()) {
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        id = new JsonObject(line.substring("data: ".length())).getString("id").substring(5);
      }
      var deser = new AvroDeserializer<>(cluster.registry(), InferenceResponse.class);
      InferenceResponse answer = null;
      long deadline = System.currentTimeMillis() + 30_000;
      while (answer == null && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : responses.poll(Duration.ofMillis(200))) {
          if (id.equals(r.key())) {
            answer = deser.deserialize(r.topic(), r.value());
          }
        }
      }
      assertThat(answer).as("answer of " + id).isNotNull();
      assertThat(answer.getGeneration().getFinishReasons()).containsExactly("cancelled");
      assertThat(answer.getGeneration().getUsage().getCompletionTokens()).isLessThan(500000);
      assertThat(
              gatewayMeters
                  .get("kaskade.gateway.openai.cancellations")
                  .tag("reason", "client_disconnected")
                  .counter()
                  .count())
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void chunksTopicCarriesEachStreamInOrder() throws Exception {
    String topic = cluster.topics().chunks("default", "tiny-lm");
    try (KafkaConsumer<String, byte[]> chunks = consumer(topic)) {
      List<String> events =
          sse(
              "/openai/v1/completions",
              "{\"model\":\"tiny-lm\",\"prompt\":\"Topics\",\"max_tokens\":50,\"stream\":true,"
                  + "\"seed\":3}");
      String id = new JsonObject(events.getFirst()).getString("id").substring(5);
      var deser = new AvroDeserializer<>(cluster.registry(), GenerationEvent.class);
      List<GenerationEvent> seen = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 20_000;
      while ((seen.isEmpty() || !seen.getLast().getTerminal())
          && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : chunks.poll(Duration.ofMillis(200))) {
          if (id.equals(r.key())) {
            seen.add(deser.deserialize(r.topic(), r.value()));
          }
        }
      }
      assertThat(seen.getFirst().getKind()).isEqualTo(GenerationEventKind.START);
      assertThat(seen.getLast().getKind()).isEqualTo(GenerationEventKind.USAGE);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i).getSeq()).isEqualTo(i);
      }
      String text =
          seen.stream()
              .filter(e -> e.getKind() == GenerationEventKind.DELTA)
              .map(GenerationEvent::getText)
              .reduce("", String::concat);
      String streamed =
          events.subList(0, events.size() - 1).stream()
              .map(e -> new JsonObject(e).getJsonArray("choices"))
              .filter(c -> !c.isEmpty())
              .map(c -> c.getJsonObject(0).getString("text"))
              .reduce("", String::concat);
      assertThat(text).isEqualTo(streamed).isNotEmpty();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String topic) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(ClientConfigs.consumer(cluster.bootstrap(), null, 16 << 20));
    List<TopicPartition> partitions =
        c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    c.assign(partitions);
    c.seekToEnd(partitions);
    partitions.forEach(c::position);
    return c;
  }

  /** The data payloads of an SSE response, in order. */
  private static List<String> sse(String path, String body) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    return response
        .body()
        .filter(l -> l.startsWith("data: "))
        .map(l -> l.substring("data: ".length()))
        .toList();
  }

  private static JsonObject ok(HttpResponse<byte[]> r) {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    return new JsonObject(body);
  }

  private static HttpResponse<byte[]> get(String path) {
    return dev.kaskade.gateway.testing.GatewayFixture.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private static HttpResponse<byte[]> post(String path, String body) {
    return dev.kaskade.gateway.testing.GatewayFixture.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
