package dev.kaskade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.PredictorSpec;
import dev.kaskade.gateway.grpc.proto.GRPCInferenceServiceGrpcService;
import dev.kaskade.gateway.grpc.proto.ModelInferResponse;
import dev.kaskade.gateway.testing.Cluster;
import dev.kaskade.gateway.testing.ControlPublisher;
import dev.kaskade.gateway.testing.FuzzCases;
import dev.kaskade.gateway.testing.FuzzMessages;
import dev.kaskade.gateway.testing.GatewayFixture;
import dev.kaskade.gateway.testing.Resources;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.workers.WorkerComponent;
import dev.kaskade.workers.worker.WorkerEnv;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzz suite (#11): thousands of random and malformed requests against a real gateway, the real
 * ONNX worker serving examples/iris and a real broker, on V1, V2 REST (JSON and binary), gRPC and
 * the worker's predictor topic. Each must get a protocol-shaped answer (a 2xx with a body, a 4xx
 * with {@code {"error": ...}}, a gRPC status other than INTERNAL/UNKNOWN, a reply or a dead
 * letter), and iris must still answer a normal request afterwards. The seed is fixed and printed; a
 * failure lists the seed and the first failing cases.
 */
class GatewayFuzzIT {
  private static final long SEED = Long.getLong("kaskade.fuzz.seed", 0x6b61736b616465L);
  private static final int REST_CASES = Integer.getInteger("kaskade.fuzz.rest", 2500);
  private static final int GRPC_CASES = Integer.getInteger("kaskade.fuzz.grpc", 1000);
  private static final int KAFKA_CASES = Integer.getInteger("kaskade.fuzz.kafka", 400);
  private static final String REVISION = "iris-predictor-0000f022";
  private static final int MAX_RECORD = TopicSettings.DEFAULT_MAX_MESSAGE_BYTES;
  private static final String VALID_V2 =
      """
      {"inputs":[{"name":"input","datatype":"FP32","shape":[1,4],"data":[5.1,3.5,1.4,0.2]}]}""";
  private static final Set<GrpcStatus> GRPC_CLIENT_ERRORS =
      Set.of(
          GrpcStatus.INVALID_ARGUMENT,
          GrpcStatus.NOT_FOUND,
          GrpcStatus.RESOURCE_EXHAUSTED,
          GrpcStatus.UNIMPLEMENTED);

  private static Cluster cluster;
  private static ControlPublisher control;
  private static WorkerComponent worker;
  private static GatewayComponent gateway;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    System.out.println("GatewayFuzzIT seed " + SEED + " (-Dkaskade.fuzz.seed=" + SEED + ")");
    Path tmp = Files.createTempDirectory("gateway-fuzz");
    cluster = Cluster.shared();
    cluster.createPlatformTopics();
    control = new ControlPublisher(cluster.bootstrap(), cluster.registry(), cluster.topics());
    Path model = Path.of("..", "examples", "iris", "model.onnx").toAbsolutePath().normalize();
    PredictorSpec predictor =
        PredictorSpec.newBuilder(Resources.predictor(REVISION, null))
            .setStorageUri(model.toUri().toString())
            .setProtocolVersion("v2")
            .build();
    control.resource(
        Resources.isvc(
            "default", "iris", InferenceServiceSpec.newBuilder().setPredictor(predictor).build()));
    worker =
        new WorkerComponent(
            cluster.context(
                tmp.resolve("worker"),
                Map.of("worker.id", "w-fuzz", "worker.models.dir", tmp.resolve("m").toString())),
            new SimpleMeterRegistry());
    worker.start();
    gateway =
        new GatewayComponent(
            cluster.context(
                tmp.resolve("gateway"),
                Map.of(
                    "gateway.http.port", "0",
                    "gateway.grpc.port", "0",
                    "gateway.host", "127.0.0.1")));
    gateway.start();
    vertx = Vertx.vertx();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> GatewayFixture.send(get("/v2/models/iris/ready")).statusCode() == 200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (control != null) {
      control.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void restRequestsGetAnAnswerOrAJsonClientErrorAndIrisStillServes() {
    FuzzCases cases = new FuzzCases(SEED);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < REST_CASES; i++) {
      FuzzCases.HttpCase c = cases.next();
      String problem;
      try {
        problem = restProblem(c, GatewayFixture.send(post(c)));
      } catch (RuntimeException e) {
        problem = "no answer: " + e;
      }
      if (problem != null && failures.size() < 10) {
        failures.add("case " + i + " (" + problem + "): " + c);
      }
    }
    assertThat(failures).as("seed %d", SEED).isEmpty();
    assertIrisServes();
  }

  @Test
  void grpcMessagesGetAnAnswerOrAClientStatusAndIrisStillServes() {
    FuzzMessages messages = new FuzzMessages(new FuzzCases(SEED + 1));
    GrpcClient client = GrpcClient.client(vertx);
    SocketAddress address = SocketAddress.inetSocketAddress(gateway.grpcPort(), "127.0.0.1");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < GRPC_CASES; i++) {
      byte[] body = messages.grpcBody();
      String problem = grpcProblem(client, address, body);
      if (problem != null && failures.size() < 10) {
        failures.add("case " + i + " (" + problem + "): " + hex(body));
      }
    }
    client.close();
    assertThat(failures).as("seed %d", SEED + 1).isEmpty();
    assertIrisServes();
  }

  @Test
  void recordsOnThePredictorTopicAreAnsweredOrDeadLetteredAndTheWorkerKeepsServing() {
    String replies = cluster.topics().gatewayReplies("fuzz");
    TopicSpecs specs = new TopicSpecs(cluster.topics(), TopicSettings.standalone());
    cluster.provisioner().ensure(List.of(specs.gatewayReplies("fuzz")));
    Set<String> sent = produceFuzzRecords(replies);

    String deadLetters = cluster.topics().deadLetter(WorkerEnv.DEAD_LETTER_COMPONENT);
    Set<String> missing = new HashSet<>(sent);
    missing.removeAll(correlationIds(List.of(replies, deadLetters), sent));
    assertThat(missing)
        .as("seed %d: records neither answered nor dead-lettered", SEED + 2)
        .isEmpty();
    assertIrisServes();
  }

  /** Produces the Kafka cases to iris's predictor topic; returns their correlation ids. */
  private static Set<String> produceFuzzRecords(String replies) {
    FuzzMessages messages = new FuzzMessages(new FuzzCases(SEED + 2));
    FuzzCases bytes = new FuzzCases(SEED + 3);
    String topic = cluster.topics().predictor("default", "iris", REVISION);
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(cluster.registry());
    Set<String> sent = new HashSet<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ClientConfigs.producer(cluster.bootstrap(), MAX_RECORD))) {
      for (int i = 0; i < KAFKA_CASES; i++) {
        String id = "fuzz-" + i;
        byte[] valid = serializer.serialize(topic, messages.request(id));
        byte[] value =
            switch (i % 5) {
              case 0 -> bytes.bytes(bytes.random().nextInt(40));
              case 1 -> withSchemaId(valid, bytes.random().nextInt());
              case 2 -> truncated(valid, bytes);
              default -> valid;
            };
        producer.send(fuzzRecord(topic, id, value, replies));
        sent.add(id);
      }
    }
    return sent;
  }

  private static ProducerRecord<String, byte[]> fuzzRecord(
      String topic, String id, byte[] value, String replies) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, id, value);
    Headers h = record.headers();
    KaskadeHeaders.put(h, KaskadeHeaders.REPLY_TO, replies);
    KaskadeHeaders.put(h, KaskadeHeaders.CORRELATION_ID, id);
    KaskadeHeaders.put(h, KaskadeHeaders.MODEL, "iris");
    KaskadeHeaders.put(
        h, KaskadeHeaders.DEADLINE, Long.toString(System.currentTimeMillis() + 60_000));
    return record;
  }

  /** The correlation ids seen on the topics, read until all expected ones came or 90 s passed. */
  private static Set<String> correlationIds(List<String> topics, Set<String> expected) {
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(cluster.bootstrap(), null, MAX_RECORD))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String t : topics) {
        consumer
            .partitionsFor(t)
            .forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long until = System.currentTimeMillis() + 90_000;
      while (!seen.containsAll(expected) && System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(KaskadeHeaders.get(r.headers(), KaskadeHeaders.CORRELATION_ID));
        }
      }
    }
    return seen;
  }

  private static String restProblem(FuzzCases.HttpCase c, HttpResponse<byte[]> r) {
    int status = r.statusCode();
    String body = new String(r.body(), StandardCharsets.UTF_8);
    boolean explain = c.path().endsWith(":explain");
    if (status >= 500 && !(explain && status == 501)) {
      return "status " + status + " " + body;
    }
    if (status >= 300 && status < 400 || status < 200) {
      return "status " + status;
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (RuntimeException e) {
      return "status " + status + " with a body that is not a JSON object: " + body;
    }
    if (status >= 400 && !(json.getValue("error") instanceof String)) {
      return "status " + status + " without an error message: " + body;
    }
    if (status == 200 && !json.containsKey("outputs") && !json.containsKey("predictions")) {
      return "200 without outputs or predictions: " + body;
    }
    return null;
  }

  private static String grpcProblem(GrpcClient client, SocketAddress address, byte[] body) {
    try {
      return client
          .request(address)
          .compose(
              req -> {
                req.fullMethodName(GRPCInferenceServiceGrpcService.ModelInfer.fullMethodName());
                return req.send(Buffer.buffer(body));
              })
          .compose(
              resp ->
                  resp.last()
                      .transform(
                          ar -> {
                            GrpcStatus status = resp.status();
                            if (status == GrpcStatus.OK && ar.succeeded()) {
                              return io.vertx.core.Future.succeededFuture(decodes(ar.result()));
                            }
                            String problem =
                                GRPC_CLIENT_ERRORS.contains(status)
                                    ? null
                                    : "status " + status + " " + resp.statusMessage();
                            return io.vertx.core.Future.succeededFuture(problem);
                          }))
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private static String decodes(Buffer message) {
    try {
      ModelInferResponse response = ModelInferResponse.parseFrom(message.getBytes());
      return response.getOutputsCount() > 0 ? null : "OK without outputs";
    } catch (Exception e) {
      return "OK with an undecodable response: " + e;
    }
  }

  private static void assertIrisServes() {
    HttpResponse<byte[]> r =
        GatewayFixture.send(
            HttpRequest.newBuilder(URI.create(url("/v2/models/iris/infer")))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(VALID_V2))
                .build());
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(body).isEqualTo(200);
    assertThat(new JsonObject(body).getJsonArray("outputs")).hasSize(1);
  }

  private static byte[] withSchemaId(byte[] valid, int id) {
    byte[] out = valid.clone();
    java.nio.ByteBuffer.wrap(out, 1, 4).putInt(id);
    return out;
  }

  private static byte[] truncated(byte[] valid, FuzzCases random) {
    byte[] out = java.util.Arrays.copyOf(valid, 5 + random.random().nextInt(valid.length - 4));
    for (int i = 5; i < out.length; i++) {
      if (random.random().nextInt(8) == 0) {
        out[i] = (byte) random.random().nextInt();
      }
    }
    return out;
  }

  private static String hex(byte[] body) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(body.length, 120); i++) {
      s.append(String.format("%02x", body[i]));
    }
    return s + (body.length > 120 ? "... (" + body.length + " bytes)" : "");
  }

  private static HttpRequest post(FuzzCases.HttpCase c) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(c.path())))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
    if (!c.headers().isEmpty()) {
      b.headers(c.headers().toArray(String[]::new));
    }
    return b.build();
  }

  private static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).GET().build();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + gateway.httpPort() + path;
  }
}
