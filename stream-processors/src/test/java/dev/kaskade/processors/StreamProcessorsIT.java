package dev.kaskade.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DataType;
import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.ExplanationResult;
import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.explain.ExplainerLimits;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.testing.AvroSend;
import dev.kaskade.processors.testing.FakeWorker;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.testing.ItEnvironment;
import dev.kaskade.processors.testing.ReplyReader;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every processor on the real broker and registry, with tiny real workers answering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamProcessorsIT {
  private static final String NS = "it";
  private static final double[] WEIGHTS = {0.5, -2.0, 1.5, 3.0};
  private static final double[][] BACKGROUND = {
    {5.0, 3.0, 1.0, 0.2}, {6.0, 2.5, 4.0, 1.3}, {7.0, 3.2, 6.0, 2.1}, {5.5, 2.8, 2.0, 0.5}
  };

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ReplyReader replies;
  private Topics topics;
  private KaskadeContext ctx;
  private KafkaProducer<String, byte[]> producer;
  private String replyTopic;

  @BeforeAll
  void start() throws Exception {
    String prefix = "spit" + Long.toHexString(System.nanoTime() & 0xffffff);
    ctx =
        ItEnvironment.context(
            prefix, Map.of("processors.exactly.once", System.getProperty("eos", "true")));
    topics = ctx.topics();
    TopicSpecs specs = ctx.topicSpecs();
    ctx.provisioner().ensure(specs.platformTopics());
    for (String isvc : List.of("shop", "lin", "a", "b", "mon", "out")) {
      ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, isvc, isvc + "-predictor-1"));
    }
    ctx.provisioner().ensure(specs.graphTopics(NS, "g"));
    replyTopic = topics.gatewayReplies("it-caller");
    ctx.provisioner().ensure(specs.gatewayReplies("it-caller"));
    producer = new KafkaProducer<>(ClientConfigs.producer(ctx.bootstrapServers(), 1 << 24));
    deployResources();
    startWorkers();
    startReplyReader();
    StreamProcessorsComponent component = new StreamProcessorsComponent(ctx, meters);
    component.start();
    closeables.add(0, component);
  }

  private void deployResources() {
    put(
        "shop",
        Fixtures.withTransformer(
            "shop-predictor-1",
            "[{\"type\":\"scale\",\"mean\":[1,1],\"std\":[2,2]},{\"type\":\"labels\",\"labels\":[\"no\",\"yes\"]}]"));
    put(
        "lin",
        Fixtures.withExplainer(
            "lin-predictor-1",
            "{\"background\":"
                + Json.MAPPER.valueToTree(BACKGROUND)
                + ",\"feature_names\":[\"a\",\"b\",\"c\",\"d\"]}"));
    put("a", Fixtures.isvc("a-predictor-1").build());
    put("b", Fixtures.isvc("b-predictor-1").build());
    put(
        "mon",
        Fixtures.withMonitor(
            "mon-predictor-1",
            "{\"drift\":{\"reference\":"
                + Json.MAPPER.valueToTree(gaussian(new Random(1), 200, 0))
                + ",\"window\":40}}"));
    put(
        "out",
        Fixtures.withMonitor(
            "out-predictor-1",
            "{\"outlier\":{\"p\":0.999,\"reference\":"
                + Json.MAPPER.valueToTree(gaussian(new Random(2), 300, 0))
                + "}}"));
    ResourceEvent graph =
        Fixtures.graph(
            NS,
            "g",
            """
            {"root":{"routerType":"Sequence","steps":[
              {"nodeName":"both"},
              {"serviceName":"b","data":"$response"}]},
             "both":{"routerType":"Ensemble","steps":[
              {"name":"first","serviceName":"a"},{"name":"second","serviceName":"b"}]}}""");
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceGraph", NS, "g"),
        graph,
        Map.of());
  }

  private void put(String name, InferenceServiceSpec spec) {
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", NS, name),
        Fixtures.resource(NS, name, spec),
        Map.of());
  }

  private <T extends org.apache.avro.specific.SpecificRecord> void send(
      String topic, String key, T value, Map<String, String> headers) {
    AvroSend.send(producer, ctx.registry(), topic, key, value, headers);
  }

  private static double[][] gaussian(Random random, int rows, double shift) {
    double[][] out = new double[rows][2];
    for (double[] row : out) {
      row[0] = random.nextGaussian() + shift;
      row[1] = random.nextGaussian();
    }
    return out;
  }

  private void startWorkers() {
    // shop: a logistic "model" over the scaled features, answering probabilities [no, yes]
    worker(
        "shop",
        r -> {
          double[][] x = Payloads.matrix(r.getInputs().get(0));
          double[][] p = new double[x.length][];
          for (int i = 0; i < x.length; i++) {
            double yes = 1 / (1 + Math.exp(-(x[i][0] + x[i][1])));
            p[i] = new double[] {1 - yes, yes};
          }
          return answer(r, List.of(Payloads.tensor("probabilities", DataType.FP32, p)));
        });
    // lin: y = w·x + 0.25, rejecting rows of the wrong width
    worker(
        "lin",
        r -> {
          double[][] x = Payloads.matrix(r.getInputs().get(0));
          if (x.length > 0 && x[0].length != WEIGHTS.length) {
            return InferenceResponse.newBuilder(answer(r, List.of()))
                .setError(new InferenceError("INVALID_ARGUMENT", "expected 4 features"))
                .build();
          }
          double[][] y = new double[x.length][1];
          for (int i = 0; i < x.length; i++) {
            y[i][0] = 0.25;
            for (int j = 0; j < WEIGHTS.length; j++) {
              y[i][0] += WEIGHTS[j] * x[i][j];
            }
          }
          return answer(r, List.of(Payloads.tensor("y", DataType.FP64, y)));
        });
    for (String name : List.of("a", "b")) {
      closeables.add(
          new FakeWorker(
              ctx.registry(),
              ctx.bootstrapServers(),
              topics.requests(NS, name),
              topics.responses(NS, name),
              r ->
                  InferenceResponse.newBuilder(answer(r, List.of()))
                      .setJsonPayload(
                          "{\"predictions\":[\""
                              + name
                              + "\"],\"seen\":"
                              + r.getJsonPayload()
                              + "}")
                      .build()));
    }
  }

  private void worker(
      String isvc, java.util.function.Function<InferenceRequest, InferenceResponse> model) {
    closeables.add(
        new FakeWorker(
            ctx.registry(),
            ctx.bootstrapServers(),
            topics.predictor(NS, isvc, isvc + "-predictor-1"),
            topics.responses(NS, isvc),
            model));
  }

  private static InferenceResponse answer(
      InferenceRequest r, List<dev.kaskade.events.Tensor> outputs) {
    return InferenceResponse.newBuilder()
        .setId(r.getId())
        .setModel(r.getModel())
        .setModelVersion(r.getModel() + "-predictor-1")
        .setOutputs(outputs)
        .build();
  }

  private void startReplyReader() {
    ReplyReader reader =
        new ReplyReader(ctx.bootstrapServers(), ctx.registry(), replyTopic, "it-replies");
    replies = reader;
    closeables.add(reader);
  }

  private InferenceResponse call(String topic, InferenceRequest request) {
    String correlation = "c-" + request.getId();
    send(
        topic,
        request.getId(),
        request,
        Map.of(KaskadeHeaders.REPLY_TO, replyTopic, KaskadeHeaders.CORRELATION_ID, correlation));
    await().atMost(Duration.ofSeconds(60)).until(() -> replies.get(correlation).isPresent());
    return replies.get(correlation).orElseThrow();
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    producer.close();
  }

  @Test
  void shouldReportTransformerExplainerAndGraphReadyOnTheStatusTopic() {
    AvroDeserializer<ComponentStatus> decoder =
        new AvroDeserializer<>(ctx.registry(), ComponentStatus.class);
    Set<String> wanted = new HashSet<>(Set.of("shop/transformer", "lin/explainer", "g/graph"));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(ctx.bootstrapServers(), null, 1 << 24))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.controlStatus()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + 30_000;
      while (!wanted.isEmpty() && System.currentTimeMillis() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          ComponentStatus status =
              record.value() == null ? null : decoder.deserialize(record.topic(), record.value());
          if (status != null && status.getState() == ModelState.Ready) {
            wanted.remove(status.getName() + "/" + status.getComponent());
          }
        }
      }
    }
    assertThat(wanted).as("components not reported Ready").isEmpty();
  }

  @Test
  void shouldTransformRequestAndLabelResponseThroughRealTopics() {
    InferenceResponse reply =
        call(
            topics.requests(NS, "shop"),
            Fixtures.request("t1", "shop", new double[][] {{9, 9}, {-9, -9}}));

    assertThat(reply.getError()).isNull();
    assertThat(reply.getJsonPayload()).isEqualTo("{\"predictions\":[\"yes\",\"no\"]}");
  }

  @Test
  void shouldExplainLinearModelWithClosedFormShapleyValues() {
    double[] x = {6.1, 2.9, 4.7, 1.4};
    InferenceRequest request =
        InferenceRequest.newBuilder(Fixtures.request("e1", "lin", new double[][] {x}))
            .setInputs(List.of(Payloads.tensor("x", DataType.FP64, new double[][] {x})))
            .build();

    InferenceResponse reply = call(topics.explainRequests(NS, "lin"), request);

    assertThat(reply.getError()).isNull();
    JsonNode body = Json.parse(reply.getJsonPayload(), "reply");
    JsonNode explanation = body.path("explanations").get(0);
    double prediction = 0.25;
    for (int j = 0; j < 4; j++) {
      double mean = 0;
      for (double[] b : BACKGROUND) {
        mean += b[j] / BACKGROUND.length;
      }
      prediction += WEIGHTS[j] * x[j];
      assertThat(explanation.path("attributions").get(j).asDouble())
          .isCloseTo(WEIGHTS[j] * (x[j] - mean), within(1e-3));
    }
    assertThat(explanation.path("prediction").asDouble()).isCloseTo(prediction, within(1e-9));
    assertThat(body.path("predictions").get(0).asDouble()).isCloseTo(prediction, within(1e-9));
    assertThat(body.path("feature_names").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\"]");
    ExplanationResult event = readExplanation("e1");
    assertThat(
            event.getExplanations().get(0).getBaseValue()
                + event.getExplanations().get(0).getAttributions().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum())
        .isCloseTo(prediction, within(1e-9));
  }

  @Test
  void shouldReturnModelErrorWhenExplainedRequestIsRejected() {
    InferenceResponse reply =
        call(
            topics.explainRequests(NS, "lin"),
            Fixtures.request("e2", "lin", new double[][] {{1, 2, 3}}));

    assertThat(reply.getError()).isNotNull();
    assertThat(reply.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void tooLargeAnExplainRequestIsAnsweredPayloadTooLargeAndTheExplainerGoesOn() {
    double[][] rows = new double[ExplainerLimits.defaults().maxInstances() + 1][];
    java.util.Arrays.fill(rows, new double[] {1, 2, 3, 4});

    InferenceResponse refused =
        call(topics.explainRequests(NS, "lin"), Fixtures.request("e3", "lin", rows));
    InferenceResponse next =
        call(
            topics.explainRequests(NS, "lin"),
            Fixtures.request("e4", "lin", new double[][] {{1, 2, 3, 4}}));

    assertThat(refused.getError().getCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(refused.getError().getMessage()).contains(ExplainerLimits.MAX_INSTANCES);
    assertThat(next.getError()).isNull();
  }

  private ExplanationResult readExplanation(String id) {
    AvroDeserializer<ExplanationResult> d =
        new AvroDeserializer<>(ctx.registry(), ExplanationResult.class);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            ClientConfigs.consumer(ctx.bootstrapServers(), "it-expl-" + id, 1 << 24))) {
      consumer.subscribe(List.of(topics.explanations(NS, "lin")));
      List<ExplanationResult> found = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          ExplanationResult e = d.deserialize(r.topic(), r.value());
                          if (e.getId().equals(id)) {
                            found.add(e);
                          }
                        });
                return !found.isEmpty();
              });
      return found.get(0);
    }
  }

  @Test
  void shouldRunGraphSequenceOverEnsembleAndAnswerCaller() {
    InferenceResponse reply =
        call(
            topics.graphRequests(NS, "g"),
            Fixtures.jsonRequest("g1", "g", "{\"instances\":[[1,2]]}"));

    assertThat(reply.getError()).isNull();
    JsonNode body = Json.parse(reply.getJsonPayload(), "graph reply");
    assertThat(body.path("predictions").get(0).asText()).isEqualTo("b");
    JsonNode ensemble = body.path("seen");
    assertThat(ensemble.path("first").path("predictions").get(0).asText()).isEqualTo("a");
    assertThat(ensemble.path("second").path("seen").path("instances").toString())
        .isEqualTo("[[1,2]]");
    assertThat(
            meters
                .get("kaskade_graph_step_latency")
                .tags("graph", "g", "node", "both", "step", "first")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldPublishDriftAlertWhenWindowIsShifted() {
    Random random = new Random(9);
    double[][] shifted = gaussian(random, 40, 2.0);
    for (int i = 0; i < shifted.length; i++) {
      send(
          topics.predictor(NS, "mon", "mon-predictor-1"),
          "m" + i,
          Fixtures.request("m" + i, "mon", new double[][] {shifted[i]}),
          Map.of());
    }
    AvroDeserializer<DriftAlert> d = new AvroDeserializer<>(ctx.registry(), DriftAlert.class);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(ctx.bootstrapServers(), "it-drift", 1 << 24))) {
      consumer.subscribe(List.of(topics.monitorDrift()));
      List<DriftAlert> alerts = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> alerts.add(d.deserialize(r.topic(), r.value())));
                return alerts.size() >= 2;
              });
      // keyed by model, so one partition keeps a window's alerts in feature order
      assertThat(alerts).extracting(DriftAlert::getFeature).startsWith("f0", "f1");
      assertThat(alerts.get(0).getDrift()).isTrue();
      assertThat(alerts.get(0).getSampleSize()).isEqualTo(40);
      assertThat(alerts.get(1).getDrift()).isFalse();
    }
  }

  @Test
  void shouldScoreOutlierAgainstReferenceWhenRequestIsFarFromIt() {
    send(
        topics.predictor(NS, "out", "out-predictor-1"),
        "o1",
        Fixtures.request("o1", "out", new double[][] {{0.1, -0.2}, {8, -8}}),
        Map.of());
    AvroDeserializer<dev.kaskade.events.OutlierScore> d =
        new AvroDeserializer<>(ctx.registry(), dev.kaskade.events.OutlierScore.class);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(ctx.bootstrapServers(), "it-out", 1 << 24))) {
      consumer.subscribe(List.of(topics.monitorOutliers()));
      List<dev.kaskade.events.OutlierScore> scores = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> scores.add(d.deserialize(r.topic(), r.value())));
                return scores.stream().anyMatch(s -> s.getId().equals("o1"));
              });
      var score = scores.stream().filter(s -> s.getId().equals("o1")).findFirst().orElseThrow();
      assertThat(score.getOutlier()).containsExactly(false, true);
      assertThat(score.getThreshold()).isCloseTo(Math.sqrt(13.8155), within(0.01));
    }
  }
}
