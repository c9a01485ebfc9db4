package dev.kaskade.processors.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.events.DataType;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ModelState;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.gateway.GatewayComponent;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcClient;
import dev.kaskade.gateway.grpc.proto.InferTensorContents;
import dev.kaskade.gateway.grpc.proto.ModelInferRequest;
import dev.kaskade.processors.StreamProcessorsComponent;
import dev.kaskade.processors.json.Json;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.testing.AvroSend;
import dev.kaskade.processors.testing.FakeWorker;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.testing.ItEnvironment;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import dev.kaskade.workers.dispatch.RequestDispatcher;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Monitoring sees every inference once, whatever its entry: the real gateway (V2 REST and gRPC),
 * Kafka on {@code …requests} through the real dispatcher, a graph step, and a transformer (which
 * passes both {@code …requests} and the predictor topic), all on the shared broker. Each request
 * must produce exactly one OutlierScore; the drift and outlier meters must show on the gateway's
 * {@code /metrics}, as in {@code kaskade up} where all components share one JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorEveryEntryIT {
  private static final String NS = "default";
  private static final String IRIS = "iris";
  private static final String TRANSFORMED = "tiris";
  private static final String METADATA =
      """
      {"name":"iris","versions":[],"platform":"onnx_onnxv1",
       "inputs":[{"name":"input","datatype":"FP32","shape":[-1,4]}],
       "outputs":[{"name":"output","datatype":"FP32","shape":[-1,3]}]}""";

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private KaskadeContext ctx;
  private Topics topics;
  private KafkaProducer<String, byte[]> producer;
  private GatewayComponent gateway;
  private Vertx vertx;

  @BeforeAll
  void start() throws Exception {
    ctx =
        ItEnvironment.context(
            "mon" + Long.toHexString(System.nanoTime() & 0xffffff),
            Map.of(
                "gateway.http.port", "0",
                "gateway.grpc.port", "0",
                "gateway.host", "127.0.0.1",
                "processors.enabled", "transformer,monitor,graph"));
    topics = ctx.topics();
    TopicSpecs specs = ctx.topicSpecs();
    ctx.provisioner().ensure(specs.platformTopics());
    for (String isvc : List.of(IRIS, TRANSFORMED)) {
      ctx.provisioner().ensure(specs.inferenceServiceTopics(NS, isvc, revision(isvc)));
    }
    ctx.provisioner().ensure(specs.graphTopics(NS, "g"));
    ctx.provisioner().ensure(specs.gatewayReplies("it-caller"));
    producer = new KafkaProducer<>(ClientConfigs.producer(ctx.bootstrapServers(), 1 << 24));
    deploy();
    for (String isvc : List.of(IRIS, TRANSFORMED)) {
      closeables.add(
          new FakeWorker(
              ctx.registry(),
              ctx.bootstrapServers(),
              topics.predictor(NS, isvc, revision(isvc)),
              topics.responses(NS, isvc),
              MonitorEveryEntryIT::answer));
    }
    RequestDispatcher dispatcher = new RequestDispatcher(ctx);
    dispatcher.start();
    closeables.add(0, dispatcher);
    StreamProcessorsComponent processors = new StreamProcessorsComponent(ctx);
    processors.start();
    closeables.add(0, processors);
    gateway = new GatewayComponent(ctx);
    gateway.start();
    closeables.add(0, gateway);
    vertx = Vertx.vertx();
  }

  private static String revision(String isvc) {
    return isvc + "-predictor-1";
  }

  private void deploy() {
    Random random = new Random(7);
    double[][] reference = new double[30][4];
    for (double[] row : reference) {
      for (int j = 0; j < 4; j++) {
        row[j] = 5 + random.nextGaussian();
      }
    }
    String monitor =
        "{\"feature_names\":[\"sepal_length\",\"sepal_width\",\"petal_length\",\"petal_width\"],"
            + "\"drift\":{\"window\":2,\"reference\":"
            + Json.MAPPER.valueToTree(reference)
            + "},\"outlier\":{\"reference\":"
            + Json.MAPPER.valueToTree(reference)
            + "}}";
    put(IRIS, Fixtures.isvc(revision(IRIS)).setMonitorJson(monitor));
    put(
        TRANSFORMED,
        Fixtures.isvc(revision(TRANSFORMED))
            .setTransformer(
                TransformerSpec.newBuilder()
                    .setStepsJson("[{\"type\":\"scale\",\"mean\":[0,0,0,0],\"std\":[1,1,1,1]}]")
                    .build())
            .setMonitorJson(monitor));
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceGraph", NS, "g"),
        Fixtures.graph(
            NS,
            "g",
            "{\"root\":{\"routerType\":\"Sequence\",\"steps\":[{\"serviceName\":\"iris\"}]}}"),
        Map.of());
    for (String isvc : List.of(IRIS, TRANSFORMED)) {
      send(
          topics.controlStatus(),
          ResourceKeys.status("InferenceService", NS, isvc, "predictor", revision(isvc), "w-1"),
          ComponentStatus.newBuilder()
              .setKind("InferenceService")
              .setNamespace(NS)
              .setName(isvc)
              .setComponent("predictor")
              .setRevision(revision(isvc))
              .setInstance("w-1")
              .setState(ModelState.Ready)
              .setModelMetadataJson(METADATA)
              .build(),
          Map.of());
    }
  }

  private void put(String name, InferenceServiceSpec.Builder spec) {
    send(
        topics.controlResources(),
        ResourceKeys.resource("InferenceService", NS, name),
        Fixtures.resource(NS, name, spec.build()),
        Map.of());
  }

  private <T extends SpecificRecord> void send(
      String topic, String key, T value, Map<String, String> headers) {
    AvroSend.send(producer, ctx.registry(), topic, key, value, headers);
  }

  private static InferenceResponse answer(InferenceRequest r) {
    double[][] x = Payloads.matrix(r.getInputs().get(0));
    return Fixtures.response(
        r.getId(),
        r.getModel(),
        List.of(Payloads.tensor("output", DataType.FP32, new double[x.length][3])));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    producer.close();
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void everyEntryIsMonitoredExactlyOnceAndDriftShowsOnMetrics() throws Exception {
    String base = "http://127.0.0.1:" + gateway.httpPort();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(base + "/v2/models/iris/ready").statusCode() == 200
                    && get(base + "/v2/models/tiris/ready").statusCode() == 200);

    assertThat(postV2(base, IRIS, "http-1").statusCode()).isEqualTo(200);
    grpc("grpc-1");
    send(
        topics.requests(NS, IRIS),
        "kafka-1",
        Fixtures.request("kafka-1", IRIS, new double[][] {{5, 5, 5, 5}}),
        Map.of());
    send(
        topics.graphRequests(NS, "g"),
        "graph-1",
        Fixtures.jsonRequest("graph-1", "g", "{\"instances\":[[5.0,5.0,5.0,5.0]]}"),
        Map.of(
            KaskadeHeaders.REPLY_TO,
            topics.gatewayReplies("it-caller"),
            KaskadeHeaders.CORRELATION_ID,
            "c-graph-1"));
    HttpResponse<String> transformed = postV2(base, TRANSFORMED, "transformer-1");
    assertThat(transformed.statusCode()).as(transformed.body()).isEqualTo(200);

    List<OutlierScore> scores = outlierScores(5);
    assertThat(scores)
        .filteredOn(s -> s.getModel().equals(IRIS))
        .extracting(s -> s.getId().replaceFirst("^graph-1\\.iris\\..*", "graph-1.iris"))
        .containsExactlyInAnyOrder("http-1", "grpc-1", "kafka-1", "graph-1.iris");
    assertThat(scores)
        .filteredOn(s -> s.getModel().equals(TRANSFORMED))
        .extracting(OutlierScore::getId)
        .as("the transformer's request crosses …requests and the predictor topic: counted once")
        .containsExactly("transformer-1");

    String metrics = get(base + "/metrics").body();
    assertThat(metrics)
        .contains("kaskade_outlier_rows_total{")
        .contains("kaskade_drift_p_value{")
        .contains("feature=\"petal_length\"")
        .contains("kaskade_drift_windows_total{");
  }

  /** All OutlierScores after {@code expected} arrived, plus a grace period for duplicates. */
  private List<OutlierScore> outlierScores(int expected) {
    AvroDeserializer<OutlierScore> d = new AvroDeserializer<>(ctx.registry(), OutlierScore.class);
    List<OutlierScore> scores = new ArrayList<>();
    Map<String, Object> config =
        ClientConfigs.consumer(ctx.bootstrapServers(), "it-outliers", 1 << 24);
    config.put("isolation.level", "read_committed"); // the monitor writes transactionally
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topics.monitorOutliers()));
      Runnable poll =
          () ->
              consumer
                  .poll(Duration.ofMillis(200))
                  .forEach(r -> scores.add(d.deserialize(r.topic(), r.value())));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                poll.run();
                return scores.size() >= expected;
              });
      long until = System.currentTimeMillis() + 2000;
      while (System.currentTimeMillis() < until) {
        poll.run();
      }
    }
    return scores;
  }

  private HttpResponse<String> postV2(String base, String model, String id) throws Exception {
    String body =
        """
        {"id": "%s", "inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
         "data": [5.1, 3.5, 1.4, 0.2]}]}"""
            .formatted(id);
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model + "/infer"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void grpc(String id) throws Exception {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float f : new float[] {6.1f, 2.8f, 4.7f, 1.2f}) {
      contents.addFp32Contents(f);
    }
    GRPCInferenceServiceGrpcClient.create(
            GrpcClient.client(vertx),
            SocketAddress.inetSocketAddress(gateway.grpcPort(), "127.0.0.1"))
        .modelInfer(
            ModelInferRequest.newBuilder()
                .setModelName(IRIS)
                .setId(id)
                .addInputs(
                    ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(1)
                        .addShape(4)
                        .setContents(contents))
                .build())
        .await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
