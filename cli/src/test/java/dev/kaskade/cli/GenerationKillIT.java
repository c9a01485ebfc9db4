package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.topic.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * GenerationFailoverIT with real processes: two {@code kaskade worker} processes serve tiny-lm
 * (paced at {@value #TOKEN_INTERVAL_MS} ms per token through the manifest's {@code
 * --token_interval_ms}, so a stream lasts seconds), a gateway process streams a greedy completion,
 * and the worker generating it is killed with SIGKILL mid-stream. As docs/openai.md says, the other
 * worker re-runs the request as a new attempt once Kafka expires the dead one's session, the
 * gateway drops what its client already has, and the client's SSE stream completes: the whole text
 * once and in order, one finish_reason, usage, [DONE]. The responses topic (what the audit records)
 * holds the request once.
 */
class GenerationKillIT {
  private static final String MODEL = "tiny-lm";
  private static final int MAX_TOKENS = 1500;
  private static final int TOKEN_INTERVAL_MS = 5;
  private static final Duration START = Duration.ofMinutes(4);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Topics TOPICS = Topics.withDefaultPrefix();

  @TempDir Path workDir;

  @Test
  void aWorkerKilledMinus9MidStreamIsReplacedAndTheClientStreamCompletesOnce() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(workDir)) {
      cluster.start("reconciler", "--standalone", "--manifests", pacedTinyLm().toString());
      Map<String, KaskadeProcess> workers = new LinkedHashMap<>();
      for (String id : List.of("gen-a", "gen-b")) {
        workers.put(id, cluster.start("worker", "--metrics-port", "0", "--set", "worker.id=" + id));
      }
      int port = Ports.freePort();
      cluster.start(
          "gateway",
          "--http-port",
          Integer.toString(port),
          "--grpc-port",
          "-1",
          "--set",
          "gateway.default.timeout.ms=120000");
      cluster.awaitReady(START);
      String base = "http://127.0.0.1:" + port;
      await().atMost(Duration.ofSeconds(90)).until(() -> ready(base));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(cluster.workerMembersWithPartitions(MODEL)).isEqualTo(2));
      try (HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(cluster.registryUrl());
          KafkaConsumer<String, byte[]> chunks =
              consumer(cluster, TOPICS.chunks("default", MODEL));
          KafkaConsumer<String, byte[]> responses =
              consumer(cluster, TOPICS.responses("default", MODEL))) {
        streamThroughKill(base, workers, registry, chunks, responses);
      }
    }
  }

  private static void streamThroughKill(
      String base,
      Map<String, KaskadeProcess> workers,
      HttpSchemaRegistryClient registry,
      KafkaConsumer<String, byte[]> chunks,
      KafkaConsumer<String, byte[]> responses)
      throws Exception {
    BufferedReader sse = startStream(base);
    List<JsonChunk> received = new ArrayList<>();
    while (JsonChunk.text(received).length() < 100) {
      received.add(JsonChunk.parse(nextData(sse)));
    }
    String id = received.getFirst().requestId();
    var events = new AvroDeserializer<>(registry, GenerationEvent.class);
    List<GenerationEvent> seen = new ArrayList<>();
    poll(
        chunks, id, r -> seen.add(events.deserialize(r.topic(), r.value())), () -> !seen.isEmpty());
    String firstAttempt = seen.getFirst().getAttempt();
    String doomed = firstAttempt.substring(0, "gen-a".length());
    assertThat(workers).containsKey(doomed);
    int before = JsonChunk.text(received).length();
    long killed = System.nanoTime();
    workers.get(doomed).kill();

    for (String data = nextData(sse); !"[DONE]".equals(data); data = nextData(sse)) {
      received.add(JsonChunk.parse(data));
    }
    System.out.printf(
        "generation kill -9: worker %s killed after %d characters; the stream completed %.1f s"
            + " later%n",
        doomed, before, (System.nanoTime() - killed) / 1e9);

    poll(
        chunks,
        id,
        r -> seen.add(events.deserialize(r.topic(), r.value())),
        () -> seen.getLast().getTerminal());
    String completion = assertTwoAttempts(seen, firstAttempt);
    assertThat(JsonChunk.text(received))
        .as("the client saw the text once, in order")
        .isEqualTo(completion);
    assertThat(JsonChunk.finishReasons(received)).containsExactly("length");
    assertThat(received.getLast().completionTokens()).isEqualTo(MAX_TOKENS);
    assertAnsweredOnce(registry, responses, id);
  }

  /** The killed attempt (no terminal event), then the re-run, each numbered 0, 1, 2, …. */
  private static String assertTwoAttempts(List<GenerationEvent> events, String firstAttempt) {
    Map<String, List<GenerationEvent>> attempts = new LinkedHashMap<>();
    events.forEach(e -> attempts.computeIfAbsent(e.getAttempt(), k -> new ArrayList<>()).add(e));
    assertThat(attempts.keySet()).as("the killed attempt, then the re-run").hasSize(2);
    assertThat(attempts.keySet().iterator().next()).isEqualTo(firstAttempt);
    for (List<GenerationEvent> attempt : attempts.values()) {
      for (int i = 0; i < attempt.size(); i++) {
        assertThat(attempt.get(i).getSeq()).as("seq %d", i).isEqualTo(i);
      }
    }
    List<GenerationEvent> killed = attempts.get(firstAttempt);
    List<GenerationEvent> rerun = attempts.values().stream().skip(1).findFirst().orElseThrow();
    assertThat(killed).noneMatch(GenerationEvent::getTerminal);
    assertThat(rerun.getFirst().getAttempt()).doesNotStartWith(firstAttempt.substring(0, 5));
    assertThat(rerun.getLast().getKind()).isEqualTo(GenerationEventKind.USAGE);
    String completion = deltas(rerun);
    assertThat(completion)
        .as("greedy: the re-run repeats the killed text")
        .startsWith(deltas(killed));
    return completion;
  }

  private static void assertAnsweredOnce(
      HttpSchemaRegistryClient registry, KafkaConsumer<String, byte[]> responses, String id)
      throws Exception {
    var answers = new AvroDeserializer<>(registry, InferenceResponse.class);
    List<InferenceResponse> found = new ArrayList<>();
    poll(
        responses,
        id,
        r -> found.add(answers.deserialize(r.topic(), r.value())),
        () -> !found.isEmpty());
    // a second answer from the killed attempt would follow within moments: give it 3 s to show
    long settle = System.currentTimeMillis() + 3_000;
    while (System.currentTimeMillis() < settle) {
      for (ConsumerRecord<String, byte[]> r : responses.poll(Duration.ofMillis(200))) {
        if (id.equals(r.key())) {
          found.add(answers.deserialize(r.topic(), r.value()));
        }
      }
    }
    assertThat(found).as("answers of %s on the responses topic", id).hasSize(1);
    assertThat(found.getFirst().getGeneration().getFinishReasons()).containsExactly("length");
    assertThat(found.getFirst().getGeneration().getUsage().getCompletionTokens())
        .isEqualTo(MAX_TOKENS);
    assertThat(found.getFirst().getGeneration().getTotalTimeMs())
        .as("the manifest's --token_interval_ms paced the re-run")
        .isGreaterThanOrEqualTo((long) MAX_TOKENS * TOKEN_INTERVAL_MS);
  }

  /** The demo tiny-lm manifest with {@code --token_interval_ms}. */
  private Path pacedTinyLm() throws Exception {
    Path dir = DemoTinyLm.manifestDir(workDir.resolve("demo"));
    Path manifest = dir.resolve("isvc.yaml");
    String yaml = Files.readString(manifest);
    String storage = "      storageUri: ./model";
    assertThat(yaml).contains(storage);
    Files.writeString(
        manifest,
        yaml.replace(
            storage,
            "      args: [\"--token_interval_ms=" + TOKEN_INTERVAL_MS + "\"]\n" + storage));
    return dir;
  }

  private static BufferedReader startStream(String base) throws Exception {
    String body =
        """
        {"model": "%s", "messages": [{"role": "user", "content": "Kafka"}], "max_tokens": %d,
         "temperature": 0, "stream": true, "stream_options": {"include_usage": true}}"""
            .formatted(MODEL, MAX_TOKENS);
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/openai/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** The next SSE data payload. */
  private static String nextData(BufferedReader sse) throws Exception {
    for (String line = sse.readLine(); line != null; line = sse.readLine()) {
      if (line.startsWith("data: ")) {
        return line.substring("data: ".length());
      }
    }
    throw new AssertionError("the stream ended without [DONE]");
  }

  private static boolean ready(String base) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(base + "/v2/models/" + MODEL + "/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static void poll(
      KafkaConsumer<String, byte[]> consumer,
      String id,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> into,
      java.util.function.BooleanSupplier until) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (id.equals(r.key())) {
          into.accept(r);
        }
      }
      if (until.getAsBoolean()) {
        return;
      }
    }
    throw new AssertionError("no such record for " + id + " within 60 s");
  }

  private static String deltas(List<GenerationEvent> events) {
    return events.stream()
        .filter(e -> e.getKind() == GenerationEventKind.DELTA)
        .map(GenerationEvent::getText)
        .reduce("", String::concat);
  }

  /** One chat.completion.chunk as the client received it. */
  record JsonChunk(JsonNode json) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonChunk parse(String data) throws Exception {
      return new JsonChunk(JSON.readTree(data));
    }

    /** The request id inside {@code chatcmpl-<id>}. */
    String requestId() {
      String id = json.get("id").asText();
      return id.substring(id.indexOf('-') + 1);
    }

    int completionTokens() {
      return json.path("usage").path("completion_tokens").asInt(-1);
    }

    static String text(List<JsonChunk> chunks) {
      StringBuilder text = new StringBuilder();
      for (JsonChunk chunk : chunks) {
        for (JsonNode choice : chunk.json().path("choices")) {
          text.append(choice.path("delta").path("content").asText(""));
        }
      }
      return text.toString();
    }

    static List<String> finishReasons(List<JsonChunk> chunks) {
      List<String> reasons = new ArrayList<>();
      for (JsonChunk chunk : chunks) {
        for (JsonNode choice : chunk.json().path("choices")) {
          if (choice.hasNonNull("finish_reason")) {
            reasons.add(choice.get("finish_reason").asText());
          }
        }
      }
      return reasons;
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(ProcessCluster cluster, String topic) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(ClientConfigs.consumer(cluster.bootstrapServers(), null, 16 << 20));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !c.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty());
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
