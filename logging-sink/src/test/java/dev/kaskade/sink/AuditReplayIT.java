package dev.kaskade.sink;

import static dev.kaskade.sink.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.replay.AuditReplayer;
import dev.kaskade.sink.store.FileSystemBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReplayIT {
  private static final int N = 10;
  @TempDir Path dir;
  private KafkaTestBed bed;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Set<String> replayOfSeen = ConcurrentHashMap.newKeySet();
  private Thread responder;

  @BeforeEach
  void setUp() throws Exception {
    bed = new KafkaTestBed();
    SinkWriter writer = new SinkWriter(new FileSystemBlobStore(dir.resolve("audit")), "t");
    for (int i = 0; i < N; i++) {
      writer.append(0, i, T0, TestRecords.audit("default", "iris", i, T0 + i));
    }
    writer.flush(Map.of(0, (long) N));
  }

  @AfterEach
  void tearDown() throws Exception {
    running.set(false);
    if (responder != null) {
      responder.join(5000);
    }
    bed.close();
  }

  /** A real Kafka model stand-in: consumes the requests topic and answers on responses. */
  private void startResponder(String model, UnaryOperator<Float> answer) throws Exception {
    bed.provisioner.ensure(
        bed.context(dir, Map.of()).topicSpecs().inferenceServiceTopics("default", model, "r1"));
    String requests = bed.topics.requests("default", model);
    String responses = bed.topics.responses("default", model);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(bed.bootstrap, "responder-" + UUID.randomUUID(), 1 << 20));
    consumer.subscribe(List.of(requests));
    AvroDeserializer<InferenceRequest> in =
        new AvroDeserializer<>(bed.registry, InferenceRequest.class);
    AvroSerializer<InferenceResponse> out = new AvroSerializer<>(bed.registry);
    KafkaProducer<String, byte[]> producer = bed.producer();
    responder =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (consumer;
                      producer) {
                    while (running.get()) {
                      for (ConsumerRecord<String, byte[]> r :
                          consumer.poll(Duration.ofMillis(50))) {
                        InferenceRequest request = in.deserialize(r.topic(), r.value());
                        if (KaskadeHeaders.get(r.headers(), KaskadeHeaders.REPLAY_OF) != null
                            && request.getReplayOf() != null) {
                          replayOfSeen.add(request.getReplayOf());
                        }
                        float x = Tensors.toFloats(request.getInputs().get(0))[0];
                        InferenceResponse response =
                            TestRecords.response(
                                request.getId(), model, "default", answer.apply(x));
                        producer.send(
                            new ProducerRecord<>(
                                responses, request.getId(), out.serialize(responses, response)));
                      }
                    }
                  }
                });
  }

  private JsonNode replay(String target, double tolerance, int expectedCode) throws Exception {
    Path report = dir.resolve("report-" + target + ".json");
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code =
        AuditCommands.replay(
            new AuditCommands.StoreOptions(dir, null, Map.of()),
            new AuditReplayer.Connection(
                dev.kaskade.schemas.kafka.KafkaConnection.plaintext(bed.bootstrap),
                bed.registry,
                bed.topics,
                1 << 20),
            new AuditCommands.ReplayOptions(
                "iris",
                "default",
                null,
                null,
                target,
                200,
                tolerance,
                report,
                Duration.ofSeconds(20)),
            new PrintStream(text, true, StandardCharsets.UTF_8));
    assertThat(code).as(text.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("replayed " + N + " request(s)");
    return new ObjectMapper().readTree(report.toFile());
  }

  @Test
  void shouldReportNoDifferencesWhenModelAnswersIdentically() throws Exception {
    startResponder("iris-same", x -> 2f * x);

    JsonNode report = replay("iris-same", 0.0, 0);

    assertThat(report.get("total").asInt()).isEqualTo(N);
    assertThat(report.get("identical").asInt()).isEqualTo(N);
    assertThat(report.get("different").asInt()).isZero();
    assertThat(report.get("errors").asInt()).isZero();
    assertThat(report.get("latency_ms").get("p99").asDouble()).isPositive();
    assertThat(replayOfSeen).hasSize(N).contains("iris-req-3");
  }

  @Test
  void shouldCountDifferencesWhenModelAnswersDifferently() throws Exception {
    // Odd inputs drift by 1.0, input 2 by 0.001 (within tolerance), the rest are identical.
    startResponder("iris-new", x -> x % 2 == 1 ? 2f * x + 1f : x == 2f ? 2f * x + 0.001f : 2f * x);

    JsonNode report = replay("iris-new", 0.01, 1);

    assertThat(report.get("total").asInt()).isEqualTo(N);
    assertThat(report.get("different").asInt()).isEqualTo(5);
    assertThat(report.get("within_tolerance").asInt()).isEqualTo(1);
    assertThat(report.get("identical").asInt()).isEqualTo(4);
    JsonNode top = report.get("most_different").get(0);
    assertThat(top.get("max_abs_diff").asDouble()).isEqualTo(1.0);
    assertThat(top.get("id").asText()).startsWith("iris-req-");
    assertThat(report.get("summary").asText()).contains("5 different");
  }
}
