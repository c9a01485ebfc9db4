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
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.generation.tinylm.TinyLm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model worker that stops abruptly in the middle of a streamed generation (its component closed:
 * the generation is abandoned unanswered and its request offset uncommitted, as after {@code kill
 * -9} once the session expires) while a second worker of the same revision takes the request over.
 * The design re-runs the request from scratch as a new attempt; for greedy decoding the gateway
 * skips what its client already has, so the SSE client sees the text once, in order, with one
 * finish_reason; a plain Kafka client of {@code kaskade.<ns>.<isvc>.chunks} sees both attempts,
 * each numbered 0, 1, 2, … once and in order; the responses topic (what the audit records) holds
 * the completion once.
 */
class GenerationFailoverIT {
  private static final String PROMPT = "Kafka";
  private static final int MAX_TOKENS = 20_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;

  @Test
  void workerStoppedMidStreamIsReplacedAndTheClientSeesEachChunkOnceInOrder() throws Exception {
    Path model = TinyLm.write(tmp.resolve("tiny-lm"));
    String expected = OpenAiTinyLmIT.direct(model, PROMPT, MAX_TOKENS);
    Cluster cluster = Cluster.shared();
    cluster.createPlatformTopics();
    try (cluster;
        ControlPublisher control =
            new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
        WorkerComponent a = worker(cluster, "w-fail-a");
        WorkerComponent b = worker(cluster, "w-fail-b");
        GatewayComponent gateway = gateway(cluster)) {
      publish(control, model);
      a.start();
      b.start();
      gateway.start();
      String base = "http://127.0.0.1:" + gateway.httpPort();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  GatewayFixture.send(
                              HttpRequest.newBuilder(
                                      URI.create(base + "/v2/models/tiny-lm-failover/ready"))
                                  .GET()
                                  .build())
                          .statusCode()
                      == 200);
      try (KafkaConsumer<String, byte[]> chunks =
              consumer(cluster, cluster.topics().chunks("default", "tiny-lm-failover"));
          KafkaConsumer<String, byte[]> responses =
              consumer(cluster, cluster.topics().responses("default", "tiny-lm-failover"))) {
        streamThroughFailover(base, cluster, a, b, chunks, responses, expected);
      }
    }
  }

  private static void streamThroughFailover(
      String base,
      Cluster cluster,
      WorkerComponent a,
      WorkerComponent b,
      KafkaConsumer<String, byte[]> chunks,
      KafkaConsumer<String, byte[]> responses,
      String expected)
      throws Exception {
    HttpResponse<java.io.InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/openai/v1/completions"))
                .header("content-type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("model", "tiny-lm-failover")
                            .put("prompt", PROMPT)
                            .put("max_tokens", MAX_TOKENS)
                            .put("temperature", 0)
                            .put("stream", true)
                            .put("stream_options", new JsonObject().put("include_usage", true))
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    BufferedReader sse =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    List<JsonObject> received = new ArrayList<>();
    while (text(received).length() < 200) {
      received.add(next(sse));
    }
    String id = received.getFirst().getString("id").substring("cmpl-".length());

    // Stop the worker generating it, mid-stream.
    List<GenerationEvent> events = new ArrayList<>();
    poll(chunks, id, events, e -> !events.isEmpty());
    String firstAttempt = events.getFirst().getAttempt();
    WorkerComponent doomed = firstAttempt.startsWith("w-fail-a-") ? a : b;
    doomed.close();

    for (String line = nextLine(sse); !"[DONE]".equals(line); line = nextLine(sse)) {
      received.add(new JsonObject(line));
    }
    assertSseOnceInOrder(received, expected);

    poll(chunks, id, events, e -> e.getTerminal());
    assertChunksTopic(events, firstAttempt, expected);
    assertAnsweredOnce(cluster, responses, id);
  }

  private static void assertSseOnceInOrder(List<JsonObject> received, String expected) {
    assertThat(text(received))
        .as(
            "the text once, in order (%d chunks, the last: %s)",
            received.size(), received.subList(Math.max(0, received.size() - 3), received.size()))
        .isEqualTo(expected);
    List<String> finishes = new ArrayList<>();
    for (JsonObject chunk : received) {
      for (Object c : chunk.getJsonArray("choices", new io.vertx.core.json.JsonArray())) {
        String finish = ((JsonObject) c).getString("finish_reason");
        if (finish != null) {
          finishes.add(finish);
        }
      }
    }
    assertThat(finishes).containsExactly("length");
    JsonObject usage = received.getLast().getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(MAX_TOKENS);
  }

  /**
   * Both attempts on the topic, each numbered from 0 without gaps or repeats; only the last ends.
   */
  private static void assertChunksTopic(
      List<GenerationEvent> events, String firstAttempt, String expected) {
    Map<String, List<GenerationEvent>> attempts = new LinkedHashMap<>();
    events.forEach(e -> attempts.computeIfAbsent(e.getAttempt(), k -> new ArrayList<>()).add(e));
    assertThat(attempts.keySet()).as("the stopped attempt, then the re-run").hasSize(2);
    assertThat(attempts.keySet().iterator().next()).isEqualTo(firstAttempt);
    for (List<GenerationEvent> attempt : attempts.values()) {
      for (int i = 0; i < attempt.size(); i++) {
        assertThat(attempt.get(i).getSeq()).as("seq %d of %s", i, attempt).isEqualTo(i);
      }
      assertThat(attempt.getFirst().getKind()).isEqualTo(GenerationEventKind.START);
    }
    List<GenerationEvent> stopped = attempts.get(firstAttempt);
    List<GenerationEvent> rerun = attempts.values().stream().skip(1).findFirst().orElseThrow();
    assertThat(stopped).noneMatch(GenerationEvent::getTerminal);
    assertThat(stopped).noneMatch(e -> e.getKind() == GenerationEventKind.FINISH);
    assertThat(rerun.get(rerun.size() - 2).getFinishReason()).isEqualTo("length");
    assertThat(rerun.getLast().getKind()).isEqualTo(GenerationEventKind.USAGE);
    // Greedy: the re-run repeats the stopped attempt's text, so a client skips what it has.
    assertThat(deltas(rerun)).isEqualTo(expected).startsWith(deltas(stopped));
  }

  private static void assertAnsweredOnce(
      Cluster cluster, KafkaConsumer<String, byte[]> responses, String id) {
    var deser = new AvroDeserializer<>(cluster.registry(), InferenceResponse.class);
    List<InferenceResponse> answers = new ArrayList<>();
    long until = System.currentTimeMillis() + 20_000;
    long settle = Long.MAX_VALUE;
    while (System.currentTimeMillis() < Math.min(until, settle)) {
      for (ConsumerRecord<String, byte[]> r : responses.poll(Duration.ofMillis(200))) {
        if (id.equals(r.key())) {
          answers.add(deser.deserialize(r.topic(), r.value()));
          settle = System.currentTimeMillis() + 3_000; // a second answer would follow closely
        }
      }
    }
    assertThat(answers).as("answers of %s on the responses topic", id).hasSize(1);
    assertThat(answers.getFirst().getGeneration().getFinishReasons()).containsExactly("length");
    assertThat(answers.getFirst().getGeneration().getUsage().getCompletionTokens())
        .isEqualTo(MAX_TOKENS);
  }

  private static void poll(
      KafkaConsumer<String, byte[]> consumer,
      String id,
      List<GenerationEvent> into,
      java.util.function.Predicate<GenerationEvent> until)
      throws Exception {
    var deser = new AvroDeserializer<>(Cluster.shared().registry(), GenerationEvent.class);
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (id.equals(r.key())) {
          into.add(deser.deserialize(r.topic(), r.value()));
        }
      }
      if (!into.isEmpty() && until.test(into.getLast())) {
        return;
      }
    }
    throw new AssertionError("no such event for " + id + " within 60 s: " + into.size());
  }

  private static String deltas(List<GenerationEvent> events) {
    return events.stream()
        .filter(e -> e.getKind() == GenerationEventKind.DELTA)
        .map(GenerationEvent::getText)
        .reduce("", String::concat);
  }

  private static String text(List<JsonObject> chunks) {
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks) {
      for (Object c : chunk.getJsonArray("choices", new io.vertx.core.json.JsonArray())) {
        text.append(((JsonObject) c).getString("text", ""));
      }
    }
    return text.toString();
  }

  private static JsonObject next(BufferedReader sse) throws Exception {
    String line = nextLine(sse);
    assertThat(line).as("stream ended early").isNotEqualTo("[DONE]");
    return new JsonObject(line);
  }

  /** The next data payload. */
  private static String nextLine(BufferedReader sse) throws Exception {
    for (String line = sse.readLine(); line != null; line = sse.readLine()) {
      if (line.startsWith("data: ")) {
        return line.substring("data: ".length());
      }
    }
    throw new AssertionError("the stream ended without [DONE]");
  }

  private static void publish(ControlPublisher control, Path model) {
    PredictorSpec predictor =
        PredictorSpec.newBuilder(Resources.predictor("tiny-lm-failover-predictor-00000001", null))
            .setModelFormat("tiny-lm")
            .setStorageUri(model.toUri().toString())
            .build();
    control.resource(
        Resources.isvc(
            "default",
            "tiny-lm-failover",
            InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
  }

  private WorkerComponent worker(Cluster cluster, String id) {
    return new WorkerComponent(
        cluster.context(
            tmp.resolve(id),
            Map.of(
                "worker.id",
                id,
                "worker.models.dir",
                tmp.resolve(id + "-models").toString(),
                "worker.generation.max.tokens",
                Integer.toString(MAX_TOKENS))),
        new SimpleMeterRegistry());
  }

  private GatewayComponent gateway(Cluster cluster) {
    return new GatewayComponent(
        cluster.context(
            tmp.resolve("gateway"),
            Map.of(
                "gateway.http.port", "0",
                "gateway.grpc.port", "-1",
                "gateway.host", "127.0.0.1",
                "gateway.default.timeout.ms", "120000")),
        new SimpleMeterRegistry());
  }

  private static KafkaConsumer<String, byte[]> consumer(Cluster cluster, String topic) {
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
}
