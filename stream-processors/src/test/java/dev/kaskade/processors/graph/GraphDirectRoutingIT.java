package dev.kaskade.processors.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.kafka.ControlCache;
import dev.kaskade.processors.kafka.RequestReplyClient;
import dev.kaskade.processors.kafka.Wiring;
import dev.kaskade.processors.testing.AvroSend;
import dev.kaskade.processors.testing.FakeWorker;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.testing.ItEnvironment;
import dev.kaskade.processors.testing.ReplyReader;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where graph steps go, on the real broker: a plain InferenceService with a ready revision is
 * called on its predictor topic (no dispatcher runs here, and nothing reads its requests topic), a
 * transformer-backed one and one with nothing ready yet on their requests topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphDirectRoutingIT {
  private static final String NS = "gd";
  private static final String PLAIN = "plain-predictor-1";
  private static final String TRANSFORMED = "tr-predictor-1";
  private static final String COLD = "cold-predictor-1";
  private static final String NUM = "num-predictor-1";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ReplyReader replies;
  private KaskadeContext ctx;
  private Topics topics;
  private KafkaProducer<String, byte[]> producer;
  private ControlCache control;
  private String replyTopic;

  @BeforeAll
  void start() throws Exception {
    ctx = ItEnvironment.context("gdit" + Long.toHexString(System.nanoTime() & 0xffffff), Map.of());
    topics = ctx.topics();
    TopicSpecs specs = ctx.topicSpecs();
    ctx.provisioner().ensure(specs.platformTopics());
    ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, "plain", PLAIN));
    ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, "tr", TRANSFORMED));
    ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, "cold", COLD));
    ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, "num", NUM));
    ctx.provisioner().ensure(specs.graphTopics(NS, "chain"));
    ctx.provisioner().ensure(specs.graphTopics(NS, "loop"));
    ctx.provisioner().ensure(specs.graphTopics(NS, "ens"));
    ctx.provisioner().ensure(specs.gatewayReplies("gd-router"));
    ctx.provisioner().ensure(specs.gatewayReplies("gd-caller"));
    replyTopic = topics.gatewayReplies("gd-caller");
    producer = new KafkaProducer<>(ClientConfigs.producer(ctx.bootstrapServers(), 1 << 24));
    deploy();
    echo(topics.predictor(NS, "plain", PLAIN), "plain");
    echo(topics.requests(NS, "tr"), "tr");
    echo(topics.requests(NS, "cold"), "cold");
    echo(topics.predictor(NS, "num", NUM), "num");
    startReplyReader();
    startRouter();
  }

  private void deploy() {
    isvc("plain", Fixtures.isvc(PLAIN).build());
    isvc("tr", Fixtures.withTransformer(TRANSFORMED, "[]"));
    isvc("cold", Fixtures.isvc(COLD).build());
    ready("plain", PLAIN);
    ready("tr", TRANSFORMED);
    isvc("num", Fixtures.isvc(NUM).build());
    ready("num", NUM);
    // produced straight onto the control topic, as if validation had been bypassed
    graph("loop", "{\"root\":{\"routerType\":\"Sequence\",\"steps\":[{\"nodeName\":\"root\"}]}}");
    graph(
        "ens",
        """
        {"root":{"routerType":"Ensemble","steps":[
          {"stepName":"first","serviceName":"num"},{"name":"second","serviceName":"num"}]}}""");
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceGraph", NS, "chain"),
        Fixtures.graph(
            NS,
            "chain",
            """
            {"root":{"routerType":"Sequence","steps":[
              {"serviceName":"plain"},
              {"serviceName":"tr","data":"$response"},
              {"serviceName":"cold","data":"$response"}]}}"""),
        Map.of());
  }

  private void graph(String name, String nodes) {
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceGraph", NS, name),
        Fixtures.graph(NS, name, nodes),
        Map.of());
  }

  private void isvc(String name, InferenceServiceSpec spec) {
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", NS, name),
        Fixtures.resource(NS, name, spec),
        Map.of());
  }

  private void ready(String isvc, String revision) {
    send(
        topics.controlStatus(),
        ResourceKeys.status("InferenceService", NS, isvc, "predictor", revision, "w1"),
        ComponentStatus.newBuilder()
            .setNamespace(NS)
            .setName(isvc)
            .setComponent("predictor")
            .setRevision(revision)
            .setState(ModelState.Ready)
            .setInstance("w1")
            .build(),
        Map.of());
  }

  /** A worker answering {"predictions":["<name>"],"seen":<its input body>} and a tensor score. */
  private void echo(String topic, String name) {
    closeables.add(
        new FakeWorker(
            ctx.registry(),
            ctx.bootstrapServers(),
            topic,
            topics.responses(NS, name),
            r ->
                InferenceResponse.newBuilder()
                    .setId(r.getId())
                    .setModel(r.getModel())
                    .setOutputs(List.of(Tensors.ofFloats("score", List.of(1L), new float[] {0.5f})))
                    .setJsonPayload(
                        "{\"predictions\":[\"" + name + "\"],\"seen\":" + r.getJsonPayload() + "}")
                    .build()));
  }

  private void startRouter() {
    int max = ctx.topicSettings().maxMessageBytes();
    control =
        new ControlCache(
            ctx.kafka(), ctx.registry(), topics.controlResources(), topics.controlStatus(), max);
    RequestReplyClient client =
        new RequestReplyClient(
            ctx.kafka(), ctx.registry(), topics.gatewayReplies("gd-router"), max);
    GraphService router =
        new GraphService(
            new Wiring(ctx.kafka(), ctx.registry(), topics, max, "gd-graph-router"),
            control,
            client,
            new SimpleMeterRegistry(),
            Duration.ofSeconds(30));
    closeables.add(0, control);
    closeables.add(0, client);
    closeables.add(0, router);
    // the cache follows the status topic asynchronously; route only once it knows what is ready
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> control.directRevision(NS, "plain", "probe").isPresent());
  }

  private <T extends org.apache.avro.specific.SpecificRecord> void send(
      String topic, String key, T value, Map<String, String> headers) {
    AvroSend.send(producer, ctx.registry(), topic, key, value, headers);
  }

  private void startReplyReader() {
    ReplyReader reader =
        new ReplyReader(ctx.bootstrapServers(), ctx.registry(), replyTopic, "gd-replies");
    replies = reader;
    closeables.add(reader);
  }

  /** Every record on the topic so far (its writes are acknowledged before the graph answers). */
  private List<ConsumerRecord<String, byte[]>> records(String topic) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(ctx.bootstrapServers(), null, 1 << 24))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
              });
      return out;
    }
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
  void shouldCallAPlainServiceOnItsReadyRevisionAndATransformedOneOnItsRequestsTopic() {
    InferenceRequest request = Fixtures.jsonRequest("gd1", "chain", "{\"instances\":[[1,2]]}");
    send(
        topics.graphRequests(NS, "chain"),
        request.getId(),
        request,
        Map.of(KaskadeHeaders.REPLY_TO, replyTopic, KaskadeHeaders.CORRELATION_ID, "c-gd1"));
    await().atMost(Duration.ofSeconds(60)).until(() -> replies.get("c-gd1").isPresent());

    InferenceResponse reply = replies.get("c-gd1").orElseThrow();
    assertThat(reply.getError()).isNull();
    JsonNode body = Json.parse(reply.getJsonPayload(), "graph reply");
    assertThat(body.path("predictions").get(0).asText()).isEqualTo("cold");
    assertThat(body.path("seen").path("predictions").get(0).asText()).isEqualTo("tr");
    assertThat(body.path("seen").path("seen").path("predictions").get(0).asText())
        .isEqualTo("plain");

    List<ConsumerRecord<String, byte[]>> direct = records(topics.predictor(NS, "plain", PLAIN));
    assertThat(direct).hasSize(1);
    assertThat(KaskadeHeaders.get(direct.get(0).headers(), KaskadeHeaders.MODEL_VERSION))
        .isEqualTo(PLAIN);
    assertThat(KaskadeHeaders.get(direct.get(0).headers(), KaskadeHeaders.REPLY_TO))
        .isEqualTo(topics.gatewayReplies("gd-router"));
    assertThat(records(topics.requests(NS, "plain"))).isEmpty();

    List<ConsumerRecord<String, byte[]>> transformed = records(topics.requests(NS, "tr"));
    assertThat(transformed).hasSize(1);
    assertThat(KaskadeHeaders.get(transformed.get(0).headers(), KaskadeHeaders.MODEL_VERSION))
        .isNull();
    assertThat(records(topics.predictor(NS, "tr", TRANSFORMED))).isEmpty();

    assertThat(records(topics.requests(NS, "cold"))).hasSize(1);
    assertThat(records(topics.predictor(NS, "cold", COLD))).isEmpty();
  }

  private InferenceResponse call(String graph, InferenceRequest request) {
    String correlation = "c-" + request.getId();
    send(
        topics.graphRequests(NS, graph),
        request.getId(),
        request,
        Map.of(KaskadeHeaders.REPLY_TO, replyTopic, KaskadeHeaders.CORRELATION_ID, correlation));
    await().atMost(Duration.ofSeconds(60)).until(() -> replies.get(correlation).isPresent());
    return replies.get(correlation).orElseThrow();
  }

  @Test
  void shouldFailASelfReferencingGraphAloneAndKeepServingOtherGraphs() {
    InferenceResponse loop = call("loop", Fixtures.jsonRequest("gd-loop", "loop", "{}"));
    assertThat(loop.getError()).isNotNull();
    assertThat(loop.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(loop.getError().getMessage()).contains("root -> root");
    assertThat(Json.parse(loop.getJsonPayload(), "error").path("error").asText())
        .isEqualTo("Failed to process request");

    InferenceResponse ens =
        call("ens", Fixtures.request("gd-ens", "ens", new double[][] {{1, 2, 3, 4}}));
    assertThat(ens.getError()).isNull();
    JsonNode body = Json.parse(ens.getJsonPayload(), "graph reply");
    assertThat(body.path("first").path("predictions").get(0).asText()).isEqualTo("num");
    assertThat(body.path("second").path("predictions").get(0).asText()).isEqualTo("num");
    assertThat(ens.getOutputs())
        .extracting(dev.kaskade.events.Tensor::getName)
        .containsExactly("first.score", "second.score");
  }
}
