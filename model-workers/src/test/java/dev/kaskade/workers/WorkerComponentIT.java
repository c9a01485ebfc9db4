package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.batcher;
import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.predictor;
import static dev.kaskade.workers.testing.Fixtures.request;
import static dev.kaskade.workers.testing.KafkaTestEnv.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.workers.backend.ModelLoadException;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.LinearModel;
import dev.kaskade.workers.testing.TopicReader;
import dev.kaskade.workers.testing.TopicReader.Received;
import dev.kaskade.workers.worker.ModelLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker end to end on the embedded broker, with a deterministic test model. */
class WorkerComponentIT {
  private static final String NS = "default";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final float[] ROW = {1, 2, 3, 4};

  private final KaskadeContext ctx =
      KafkaTestEnv.context(KafkaTestEnv.uniquePrefix(), Map.of("worker.id", "w1"));
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  private WorkerComponent startWorker(KaskadeContext context, ModelLoader loader) throws Exception {
    WorkerComponent worker = new WorkerComponent(context, new SimpleMeterRegistry(), loader);
    closeables.add(worker);
    worker.start();
    return worker;
  }

  private TopicReader<InferenceResponse> responses(String isvc) {
    var reader = new TopicReader<>(ctx.topics().responses(NS, isvc), InferenceResponse.class);
    closeables.add(reader);
    return reader;
  }

  private TopicReader<ComponentStatus> statuses() {
    var reader = new TopicReader<>(ctx.topics().controlStatus(), ComponentStatus.class);
    closeables.add(reader);
    return reader;
  }

  private String deploy(String isvc, PredictorSpec predictor) {
    KafkaTestEnv.publish(ctx, inferenceService(NS, isvc, predictor));
    return ctx.topics().predictor(NS, isvc, predictor.getRevision());
  }

  private static Received<InferenceResponse> answerTo(
      TopicReader<InferenceResponse> reader, String id) {
    return reader.awaitRecord(r -> r.key().equals(id), WAIT);
  }

  @Test
  void mergesConcurrentRequestsAndIsolatesABadOne() throws Exception {
    LinearModel model = new LinearModel();
    String topic = deploy("lin", predictor("lin-predictor-1", "mem://lin", batcher(8, 300)));
    startWorker(ctx, load -> model);
    var responses = responses("lin");

    for (int i = 0; i < 4; i++) {
      KafkaTestEnv.send(topic, "good-" + i, request("good-" + i, "lin", new float[] {i, 1, 1, 1}));
    }
    for (int i = 0; i < 4; i++) {
      InferenceResponse response = answerTo(responses, "good-" + i).value();
      assertThat(response.getError()).isNull();
      assertThat(response.getModelVersion()).isEqualTo("lin-predictor-1");
      assertThat(response.getBatchSize()).isGreaterThan(1);
      assertThat(Tensors.toFloats(response.getOutputs().get(0)))
          .containsExactly(LinearModel.expected(new float[] {i, 1, 1, 1}));
    }

    KafkaTestEnv.send(topic, "ok-a", request("ok-a", "lin", ROW));
    KafkaTestEnv.send(topic, "bad", request("bad", "lin", new float[] {-1, 0, 0, 0}));
    KafkaTestEnv.send(topic, "ok-b", request("ok-b", "lin", ROW, ROW));

    InferenceResponse bad = answerTo(responses, "bad").value();
    assertThat(bad.getError().getCode()).isEqualTo("INTERNAL");
    assertThat(bad.getError().getMessage()).contains("negative feature");
    assertThat(answerTo(responses, "ok-a").value().getError()).isNull();
    InferenceResponse okB = answerTo(responses, "ok-b").value();
    assertThat(okB.getError()).isNull();
    assertThat(okB.getOutputs().get(0).getShape()).containsExactly(2L, 3L);
    assertThat(model.executedRows()).anyMatch(rows -> rows > 1);
  }

  @Test
  void answersEveryInvalidRequestWithANamedError() throws Exception {
    String topic = deploy("val", predictor("val-predictor-1", "mem://val", null));
    startWorker(ctx, load -> new LinearModel());
    var responses = responses("val");
    Tensor shortData =
        Tensor.newBuilder()
            .setName("input")
            .setDatatype(DataType.FP32)
            .setShape(List.of(2L, 4L))
            .setData(ByteBuffer.allocate(16))
            .build();
    KafkaTestEnv.send(
        topic, "name", request("name", "val", Tensors.ofFloats("x", List.of(1L, 4L), ROW)));
    KafkaTestEnv.send(
        topic,
        "dtype",
        request("dtype", "val", Tensors.ofDoubles("input", List.of(1L, 4L), new double[4])));
    KafkaTestEnv.send(
        topic,
        "shape",
        request("shape", "val", Tensors.ofFloats("input", List.of(1L, 3L), new float[3])));
    KafkaTestEnv.send(topic, "bytes", request("bytes", "val", shortData));
    KafkaTestEnv.send(
        topic, "model", request("model", "val", ROW), header(KaskadeHeaders.MODEL, "nope"));
    KafkaTestEnv.send(
        topic, "late", request("late", "val", ROW), header(KaskadeHeaders.DEADLINE, "1000"));

    assertError(responses, "name", "INVALID_ARGUMENT", "unknown input 'x'");
    assertError(responses, "dtype", "INVALID_ARGUMENT", "expected datatype FP32, got FP64");
    assertError(responses, "shape", "INVALID_ARGUMENT", "expected shape [-1, 4], got [1, 3]");
    assertError(responses, "bytes", "INVALID_ARGUMENT", "needs 32 bytes, got 16");
    assertError(responses, "model", "NOT_FOUND", "nope");
    assertError(responses, "late", "DEADLINE_EXCEEDED", "deadline");
  }

  @Test
  void deadLettersUndecodableRecordsAndAnswersThem() throws Exception {
    String topic = deploy("dlq", predictor("dlq-predictor-1", "mem://dlq", null));
    startWorker(ctx, load -> new LinearModel());
    var responses = responses("dlq");
    var deadLetters =
        new TopicReader<InferenceResponse>(ctx.topics().deadLetter("model-workers"), null);
    closeables.add(deadLetters);

    KafkaTestEnv.sendRaw(topic, "garbage", new byte[] {1, 2, 3, 4, 5, 6});
    KafkaTestEnv.send(topic, "after", request("after", "dlq", ROW));

    assertError(responses, "garbage", "DESERIALIZATION_FAILED", "magic byte");
    assertThat(answerTo(responses, "after").value().getError()).isNull();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<String> reasons = new ArrayList<>();
              for (var record : deadLetters.poll().stream().map(Received::raw).toList()) {
                reasons.add(KaskadeHeaders.get(record.headers(), KaskadeHeaders.DLQ_REASON));
                assertThat(KaskadeHeaders.get(record.headers(), KaskadeHeaders.DLQ_SOURCE))
                    .startsWith(topic);
              }
              assertThat(reasons).containsExactly("DESERIALIZATION_FAILED");
            });
  }

  @Test
  void copiesTheAnswerToTheReplyTopicWithCorrelationAndVersion() throws Exception {
    String topic = deploy("rt", predictor("rt-predictor-1", "mem://rt", null));
    startWorker(ctx, load -> new LinearModel());
    String replyTo = ctx.topics().gatewayReplies("gw-test");
    ctx.provisioner().ensure(ctx.topicSpecs().gatewayReplies("gw-test"));
    var replies = new TopicReader<>(replyTo, InferenceResponse.class);
    closeables.add(replies);

    KafkaTestEnv.send(
        topic,
        "r1",
        request("r1", "rt", ROW),
        header(KaskadeHeaders.REPLY_TO, replyTo),
        header(KaskadeHeaders.CORRELATION_ID, "corr-7"),
        header(KaskadeHeaders.TRACEPARENT, "00-abc-def-01"));

    Received<InferenceResponse> reply = replies.awaitRecord(r -> r.key().equals("r1"), WAIT);
    assertThat(reply.header(KaskadeHeaders.CORRELATION_ID)).isEqualTo("corr-7");
    assertThat(reply.header(KaskadeHeaders.TRACEPARENT)).isEqualTo("00-abc-def-01");
    assertThat(reply.header(KaskadeHeaders.MODEL_VERSION)).isEqualTo("rt-predictor-1");
    assertThat(answerTo(responses("rt"), "r1").value().getModelVersion())
        .isEqualTo("rt-predictor-1");
  }

  @Test
  void answersBehindATransformerToItsResponseTopicKeepingTheParkedReplyTo() throws Exception {
    String topic = deploy("tf", predictor("tf-predictor-1", "mem://tf", null));
    startWorker(ctx, load -> new LinearModel());
    String predictorResponses = ctx.topics().predictorResponses(NS, "tf");
    var postProcessing = new TopicReader<>(predictorResponses, InferenceResponse.class);
    closeables.add(postProcessing);

    KafkaTestEnv.send(
        topic,
        "t1",
        request("t1", "tf", ROW),
        header(KaskadeHeaders.RESPONSE_TOPIC, predictorResponses),
        header(KaskadeHeaders.FINAL_REPLY_TO, "kaskade.gateway.gw.replies"),
        header(KaskadeHeaders.CORRELATION_ID, "corr-9"));

    Received<InferenceResponse> answer =
        postProcessing.awaitRecord(r -> r.key().equals("t1"), WAIT);
    assertThat(answer.value().getError()).isNull();
    assertThat(answer.header(KaskadeHeaders.FINAL_REPLY_TO))
        .isEqualTo("kaskade.gateway.gw.replies");
    assertThat(answer.header(KaskadeHeaders.CORRELATION_ID)).isEqualTo("corr-9");
    assertThat(answer.header(KaskadeHeaders.RESPONSE_TOPIC)).isNull();
    var responses = responses("tf");
    KafkaTestEnv.send(topic, "t2", request("t2", "tf", ROW));
    assertThat(answerTo(responses, "t2").key()).isEqualTo("t2");
    assertThat(responses.poll().stream().map(Received::key)).doesNotContain("t1");
  }

  @Test
  void requestBeforeTheModelIsReadyWaitsAndIsThenAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    String topic = deploy("slow", predictor("slow-predictor-1", "mem://slow", null));
    startWorker(
        ctx,
        load -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new ModelLoadException("interrupted");
          }
          return new LinearModel();
        });
    var responses = responses("slow");
    var statuses = statuses();
    statuses.awaitRecord(s -> s.value().getState() == ModelState.Loading, WAIT);

    KafkaTestEnv.send(topic, "early", request("early", "slow", ROW));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> responses.poll().isEmpty());

    release.countDown();
    assertThat(answerTo(responses, "early").value().getError()).isNull();
    ComponentStatus ready =
        statuses.awaitRecord(s -> s.value().getState() == ModelState.Ready, WAIT).value();
    assertThat(ready.getModelMetadataJson()).contains("\"inputs\"", "\"input\"", "[-1,4]");
    assertThat(ready.getRevision()).isEqualTo("slow-predictor-1");
  }

  @Test
  void modelThatFailedToLoadAnswersUnavailableWithTheReason() throws Exception {
    String topic = deploy("broken", predictor("broken-predictor-1", "mem://broken", null));
    startWorker(
        ctx,
        load -> {
          throw new ModelLoadException("no such model at mem://broken");
        });
    var statuses = statuses();
    ComponentStatus failed =
        statuses.awaitRecord(s -> s.value().getState() == ModelState.FailedToLoad, WAIT).value();
    assertThat(failed.getMessage()).contains("no such model");

    KafkaTestEnv.send(topic, "b1", request("b1", "broken", ROW));
    assertError(responses("broken"), "b1", "UNAVAILABLE", "no such model at mem://broken");
  }

  @Test
  void deletingTheInferenceServiceUnloadsItsRevision() throws Exception {
    deploy("gone", predictor("gone-predictor-1", "mem://gone", null));
    LinearModel model = new LinearModel();
    WorkerComponent worker = startWorker(ctx, load -> model);
    var statuses = statuses();
    statuses.awaitRecord(s -> s.value().getState() == ModelState.Ready, WAIT);
    assertThat(worker.revisions()).containsExactly("default/gone/gone-predictor-1");

    KafkaTestEnv.send(ctx.topics().controlResources(), "InferenceService/default/gone", null);

    ComponentStatus unloaded =
        statuses.awaitRecord(s -> s.value().getState() == ModelState.Unloaded, WAIT).value();
    assertThat(unloaded.getRevision()).isEqualTo("gone-predictor-1");
    assertThat(unloaded.getInstance()).isEqualTo("w1");
    assertThat(worker.revisions()).isEmpty();
    assertThat(model.isClosed()).isTrue();
  }

  private static void assertError(
      TopicReader<InferenceResponse> reader, String id, String code, String fragment) {
    InferenceResponse response = answerTo(reader, id).value();
    assertThat(response.getError()).as("error of %s", id).isNotNull();
    assertThat(response.getError().getCode()).as("code of %s", id).isEqualTo(code);
    assertThat(response.getError().getMessage()).as("message of %s", id).contains(fragment);
  }
}
