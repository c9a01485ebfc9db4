package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.batcher;
import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.request;
import static dev.kaskade.workers.testing.KafkaTestEnv.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.bridge.Upstream;
import dev.kaskade.workers.status.StatusPublisher;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.OipTestServer;
import dev.kaskade.workers.testing.TopicReader;
import dev.kaskade.workers.testing.TopicReader.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime bridge in a worker on the embedded broker: an InferenceService whose predictor names
 * an upstream model server ({@code kaskade.dev/upstream-url}) is answered by that server, with the
 * worker's batching, errors, deadlines and status.
 */
class RuntimeBridgeIT {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KaskadeContext ctx =
      KafkaTestEnv.context(KafkaTestEnv.uniquePrefix(), Map.of("worker.id", "wb"));
  private final OipTestServer server = OipTestServer.start();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    server.close();
  }

  private <T extends org.apache.avro.specific.SpecificRecord> TopicReader<T> reader(
      String topic, Class<T> type) {
    TopicReader<T> reader = new TopicReader<>(topic, type);
    closeables.add(reader);
    return reader;
  }

  private String deployBridged(String isvc, String protocol) throws Exception {
    PredictorSpec predictor =
        PredictorSpec.newBuilder()
            .setRevision(isvc + "-predictor-1")
            .setModelFormat("sklearn")
            .setProtocolVersion(protocol)
            .setBatcher(batcher(8, 50))
            .setParameters(Map.of(Upstream.URL, server.url(), Upstream.HEALTH_INTERVAL_MS, "100"))
            .build();
    KafkaTestEnv.publish(ctx, inferenceService(NS, isvc, predictor));
    WorkerComponent worker = new WorkerComponent(ctx);
    closeables.add(worker);
    worker.start();
    return ctx.topics().predictor(NS, isvc, predictor.getRevision());
  }

  private static InferenceResponse answer(TopicReader<InferenceResponse> reader, String id) {
    return reader.awaitRecord(r -> r.key().equals(id), WAIT).value();
  }

  private static Received<ComponentStatus> status(
      TopicReader<ComponentStatus> statuses, String isvc, ModelState state, long afterMs) {
    return statuses.awaitRecord(
        r ->
            r.value() != null
                && r.value().getName().equals(isvc)
                && r.value().getState() == state
                && r.value().getTimestampMs() >= afterMs,
        WAIT);
  }

  @Test
  void answersFromTheUpstreamAndReportsItsOutagesAndRecovery() throws Exception {
    var statuses = reader(ctx.topics().controlStatus(), ComponentStatus.class);
    String topic = deployBridged("sk", "v2");
    var responses = reader(ctx.topics().responses(NS, "sk"), InferenceResponse.class);
    status(statuses, "sk", ModelState.Ready, 0);

    KafkaTestEnv.send(topic, "a", request("a", "sk", new float[] {1, 2, 3, 4}));
    KafkaTestEnv.send(topic, "bad", request("bad", "sk", new float[] {-9, 0, 0, 0}));
    InferenceResponse a = answer(responses, "a");
    assertThat(a.getError()).isNull();
    assertThat(a.getModelVersion()).isEqualTo("sk-predictor-1");
    assertThat(Tensors.toDoubles(a.getOutputs().get(0))).containsExactly(10);
    InferenceResponse bad = answer(responses, "bad");
    assertThat(bad.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(bad.getError().getMessage()).contains("negative value in input");

    long killed = System.currentTimeMillis();
    server.stop();
    KafkaTestEnv.send(topic, "down", request("down", "sk", new float[] {1, 1, 1, 1}));
    assertThat(answer(responses, "down").getError().getCode()).isEqualTo("UNAVAILABLE");
    ComponentStatus notReady = status(statuses, "sk", ModelState.FailedToLoad, killed).value();
    assertThat(notReady.getReason()).isEqualTo(StatusPublisher.NOT_READY);

    long revived = System.currentTimeMillis();
    server.restart();
    status(statuses, "sk", ModelState.Ready, revived);
    KafkaTestEnv.send(topic, "up", request("up", "sk", new float[] {2, 2, 2, 2}));
    assertThat(Tensors.toDoubles(answer(responses, "up").getOutputs().get(0))).containsExactly(8);
  }

  @Test
  void aV1UpstreamAnswersWithinTheRequestDeadline() throws Exception {
    String topic = deployBridged("v1sk", "v1");
    var responses = reader(ctx.topics().responses(NS, "v1sk"), InferenceResponse.class);
    KafkaTestEnv.send(
        topic, "rows", request("rows", "v1sk", new float[] {1, 0, 0, 0}, new float[] {1, 1, 1, 1}));
    InferenceResponse rows = answer(responses, "rows");
    assertThat(rows.getOutputs().get(0).getName()).isEqualTo("predictions");
    assertThat(Tensors.toDoubles(rows.getOutputs().get(0))).containsExactly(1, 4);

    server.delayMs(5_000);
    long sent = System.currentTimeMillis();
    KafkaTestEnv.send(
        topic,
        "slow",
        request("slow", "v1sk", new float[] {1, 1, 1, 1}),
        header(KaskadeHeaders.DEADLINE, Long.toString(sent + 1_000)));
    InferenceResponse slow = answer(responses, "slow");
    assertThat(slow.getError().getCode()).isEqualTo("UNAVAILABLE");
    assertThat(slow.getError().getMessage()).contains("did not answer within");
    assertThat(System.currentTimeMillis() - sent).isLessThan(4_000);
  }
}
