package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README tour against a real {@code kaskade up} process: inference over V1 and V2, every
 * answered request in the audit store exactly once, verify, replay, and apply/get/delete.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int REQUESTS = 20;

  /**
   * The multi-model worker budget: 2.5 MiB holds examples/multi-model's iris-a (1Mi) or mlp-b (2Mi
   * or more) but not both, so loading one evicts the other.
   */
  private static final long MM_BUDGET = 2_621_440;

  @TempDir static Path workDir;
  private static KaskadeProcess up;
  private static Path dataDir;
  private static int httpPort;
  private static final List<String> sentIds = new ArrayList<>();
  private static String firstIrisRevision;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startKaskade() throws Exception {
    dataDir = workDir.resolve("data");
    httpPort = Ports.freePort();
    up =
        KaskadeProcess.start(
            workDir,
            java.util.Map.of("KASKADE_WORKER_MEMORY_BUDGET_BYTES", Long.toString(MM_BUDGET)),
            "up",
            "--data-dir",
            dataDir.toString(),
            "--http-port",
            Integer.toString(httpPort),
            "--grpc-port",
            Integer.toString(Ports.freePort()),
            "--kafka-port",
            Integer.toString(Ports.freePort()),
            "--registry-port",
            Integer.toString(Ports.freePort()),
            "--manifests",
            Path.of("..", "examples", "iris-explainer").toAbsolutePath().normalize().toString());
    assertThat(up.awaitLine(UpCommand.READY_LINE, Duration.ofMinutes(3)))
        .as("output: %s", up.output())
        .isTrue();
  }

  @AfterAll
  static void stopKaskade() throws Exception {
    if (up != null) {
      up.terminate(Duration.ofSeconds(10));
      up.close();
    }
  }

  @Test
  @Order(1)
  void servesTheDemoIrisModelOverV1AndV2() throws Exception {
    await().atMost(WAIT).until(() -> get("/v2/models/iris/ready").statusCode() == 200);
    HttpResponse<String> v1 =
        post("/v1/models/iris:predict", "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}");
    assertThat(v1.statusCode()).isEqualTo(200);
    assertThat(argmax(JSON.readTree(v1.body()).at("/predictions/0"))).isEqualTo(1);
    sentIds.add(null); // the V1 call is audited too, under a generated id

    for (int i = 0; i < REQUESTS; i++) {
      String id = "e2e-" + i;
      HttpResponse<String> v2 =
          post(
              "/v2/models/iris/infer",
              """
              {"id": "%s", "inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
               "data": [5.1, 3.5, 1.4, 0.2]}]}"""
                  .formatted(id));
      assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(v2.body());
      assertThat(body.get("id").asText()).isEqualTo(id);
      assertThat(body.get("model_version").asText()).startsWith("iris-predictor-");
      assertThat(argmax(body.at("/outputs/0/data"))).isZero();
      sentIds.add(id);
    }
  }

  @Test
  @Order(2)
  void theGatewaysMetricsShowTheWorkersTritonStyleMetersOfTheAnsweredRequests() throws Exception {
    // HTTP/1.1, as Prometheus scrapes: in one full test run the JDK client's h2c upgrade of this
    // GET got no answer until the gateway's idle timeout (not reproduced since).
    String metrics =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double successes =
        metrics
            .lines()
            .filter(l -> l.startsWith("nv_inference_request_success_total{model=\"iris\","))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    assertThat(successes).as(metrics).isGreaterThanOrEqualTo(REQUESTS + 1);
    assertThat(metrics)
        .as("counters carry Prometheus' _total suffix; tags model and version")
        .contains("nv_inference_queue_duration_us_total{model=\"iris\"")
        .contains("nv_inference_compute_infer_duration_us_total{model=\"iris\"")
        .contains("nv_inference_exec_count_total{model=\"iris\"")
        .contains("kaskade_gateway_requests_seconds_count{");
  }

  @Test
  @Order(2)
  void rejectsBadInputWithTheProtocolsErrorShape() throws Exception {
    HttpResponse<String> wrongShape =
        post(
            "/v2/models/iris/infer",
            """
            {"inputs": [{"name": "input", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}""");
    assertThat(wrongShape.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(wrongShape.body()).get("error").asText()).contains("input");
    HttpResponse<String> unknown = post("/v1/models/nope:predict", "{\"instances\": [[1]]}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("error").asText())
        .isEqualTo("Model with name nope does not exist.");
  }

  @Test
  @Order(3)
  void explainsIrisWithKernelShapWhoseAttributionsAddUpToThePrediction() throws Exception {
    await().atMost(WAIT).until(() -> get("/v2/models/iris-explainer/ready").statusCode() == 200);
    HttpResponse<String> explained =
        post("/v1/models/iris-explainer:explain", "{\"instances\": [[6.3, 3.3, 6.0, 2.5]]}");
    assertThat(explained.statusCode()).as(explained.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(explained.body());
    assertThat(argmax(body.at("/predictions/0"))).isEqualTo(2);
    JsonNode explanations = body.get("explanations");
    assertThat(explanations).hasSize(3);
    for (JsonNode e : explanations) {
      assertThat(e.get("attributions")).hasSize(4);
      double sum = e.get("base_value").asDouble();
      for (JsonNode a : e.get("attributions")) {
        sum += a.asDouble();
      }
      assertThat(sum)
          .isCloseTo(e.get("prediction").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  @Order(4)
  void recordsEveryAnsweredRequestOnceAndTheChainVerifies() throws Exception {
    List<JsonNode> records = new ArrayList<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              records.clear();
              records.addAll(auditRecords());
              return records.size() >= sentIds.size();
            });
    assertThat(records).hasSize(sentIds.size());
    assertThat(records).allSatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("PAIRED"));
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(r.get("id").asText()));
    assertThat(ids)
        .hasSize(sentIds.size())
        .containsAll(sentIds.stream().filter(id -> id != null).toList());

    KaskadeProcess verify =
        KaskadeProcess.start(workDir, "audit", "verify", dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(verify.awaitExit(WAIT)).as("output: %s", verify.output()).isZero();
    // up made the signing key and publishes anchors: verify checks both, with the public key only
    assertThat(String.join("\n", verify.output()))
        .contains("anchors match")
        .doesNotContain("signatures not checked")
        .doesNotContain("anchors not checked");
  }

  @Test
  @Order(5)
  void replayingAgainstTheSameModelFindsNoDifference() throws Exception {
    Path report = workDir.resolve("replay.json");
    KaskadeProcess replay =
        KaskadeProcess.start(
            workDir,
            "audit",
            "replay",
            "--model",
            "iris",
            "--target",
            "iris",
            "--report",
            report.toString(),
            dataDirFlag()[0],
            dataDirFlag()[1]);
    assertThat(replay.awaitExit(WAIT)).as("output: %s", replay.output()).isZero();
    JsonNode json = JSON.readTree(Files.readString(report));
    assertThat(json.get("total").asInt()).isEqualTo(sentIds.size());
    assertThat(json.get("different").asInt()).isZero();
    assertThat(json.get("errors").asInt()).isZero();
  }

  @Test
  @Order(6)
  void canaryOfTwentyPercentSendsAboutAFifthOfRequestsToTheNewRevision() throws Exception {
    Path v2 = workDir.resolve("iris-v2");
    Files.createDirectories(v2);
    Files.copy(dataDir.resolve("demo/iris/model.onnx"), v2.resolve("model.onnx"));
    Path manifest = v2.resolve("isvc.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: iris
        spec:
          predictor:
            canaryTrafficPercent: 20
            model:
              modelFormat: {name: onnx}
              storageUri: ./model.onnx
        """);
    String before = modelVersionOfOneCall();
    firstIrisRevision = before;
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", manifest.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).as("output: %s", apply.output()).isZero();
    await().atMost(WAIT).until(() -> !modelVersionOfOneCall().equals(before));

    int calls = 400;
    int toNew = 0;
    for (int i = 0; i < calls; i++) {
      String version = modelVersionOfOneCall();
      assertThat(version).startsWith("iris-predictor-");
      toNew += version.equals(before) ? 0 : 1;
    }
    // Binomial(400, 0.2): mean 80, sigma 8; allow 4 sigma either way.
    assertThat(toNew).isBetween(48, 112);

    KaskadeProcess get =
        KaskadeProcess.start(workDir, "get", "isvc", "iris", dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(get.awaitExit(WAIT)).isZero();
    assertThat(String.join("\n", get.output())).contains("80/20");
  }

  @Test
  @Order(7)
  void canaryAtZeroPercentServesThePreviousRevisionAndMirrorsToTheNewOne() throws Exception {
    Path manifest = workDir.resolve("iris-v2").resolve("isvc.yaml");
    Files.writeString(
        manifest,
        Files.readString(manifest).replace("canaryTrafficPercent: 20", "canaryTrafficPercent: 0"));
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", manifest.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).as("output: %s", apply.output()).isZero();
    String live = firstIrisRevision;
    await().atMost(WAIT).until(() -> allCallsAnsweredBy(live, 20));

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      String id = "shadow-" + i;
      ids.add(id);
      HttpResponse<String> r =
          post(
              "/v2/models/iris/infer",
              """
              {"id": "%s", "inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
               "data": [6.3, 3.3, 6.0, 2.5]}]}"""
                  .formatted(id));
      assertThat(JSON.readTree(r.body()).get("model_version").asText()).isEqualTo(live);
    }
    InstanceFile instance = InstanceFile.read(dataDir);
    try (var registry =
            new dev.kaskade.schemas.registry.HttpSchemaRegistryClient(instance.registryUrl());
        var consumer =
            new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
                dev.kaskade.schemas.kafka.ClientConfigs.consumer(
                    instance.bootstrapServers(), null, 16 * 1024 * 1024))) {
      var deserializer =
          new dev.kaskade.schemas.serde.AvroDeserializer<>(
              registry, dev.kaskade.events.InferenceResponse.class);
      String topic =
          dev.kaskade.schemas.topic.Topics.withDefaultPrefix().shadowResponses("default", "iris");
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<String> mirrored = new HashSet<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                  var response = deserializer.deserialize(topic, record.value());
                  if (ids.contains(response.getId())) {
                    assertThat(response.getModelVersion()).isNotEqualTo(live);
                    mirrored.add(response.getId());
                  }
                }
                return mirrored.containsAll(ids);
              });
    }
  }

  private boolean allCallsAnsweredBy(String revision, int calls) throws Exception {
    for (int i = 0; i < calls; i++) {
      if (!modelVersionOfOneCall().equals(revision)) {
        return false;
      }
    }
    return true;
  }

  private String modelVersionOfOneCall() throws Exception {
    HttpResponse<String> r =
        post(
            "/v2/models/iris/infer",
            """
            {"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("model_version").asText();
  }

  @Test
  @Order(8)
  void aClusterStyleGatewayConfiguredFromTheEnvironmentServesTheSameModels() throws Exception {
    InstanceFile instance = InstanceFile.read(dataDir);
    int port = Ports.freePort();
    try (KaskadeProcess gateway =
        KaskadeProcess.start(
            workDir,
            java.util.Map.of(
                "KASKADE_BOOTSTRAP_SERVERS", instance.bootstrapServers(),
                "KASKADE_SCHEMA_REGISTRY_URL", instance.registryUrl(),
                "KASKADE_GATEWAY_HTTP_PORT", Integer.toString(port),
                "KASKADE_GATEWAY_GRPC_PORT", "-1"),
            "gateway",
            "--data-dir",
            workDir.resolve("gw2").toString())) {
      assertThat(gateway.awaitLine(UpCommand.READY_LINE, WAIT)).as("%s", gateway.output()).isTrue();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + port + "/v1/models/iris:predict"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(argmax(JSON.readTree(r.body()).at("/predictions/0"))).isZero();
      assertThat(gateway.terminate(Duration.ofSeconds(10))).isBetween(0.0, 10.0);
    }
  }

  @Test
  @Order(9)
  void servesAnInferenceGraphWhoseStepCallsTheRealIrisModel() throws Exception {
    Path graph = workDir.resolve("graph.yaml");
    Files.writeString(
        graph,
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: InferenceGraph
        metadata:
          name: iris-graph
        spec:
          nodes:
            root:
              routerType: Sequence
              steps:
                - name: classify
                  serviceName: iris
        """);
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", graph.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).as("output: %s", apply.output()).isZero();
    await()
        .atMost(WAIT)
        .until(
            () ->
                post("/v1/models/iris-graph:predict", "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}")
                        .statusCode()
                    == 200);
    HttpResponse<String> r =
        post("/v1/models/iris-graph:predict", "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}");
    assertThat(argmax(JSON.readTree(r.body()).at("/predictions/0"))).as(r.body()).isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(() -> cli("get", "ig", "iris-graph"), out -> out.contains("iris-graph   True"));
    assertThat(cli("get", "ig", "iris-graph", "-o", "yaml"))
        .contains("url: \"http://iris-graph.default.example.com\"");
  }

  @Test
  @Order(11)
  void multiModelExampleReloadsAnEvictedTrainedModelOnItsNextHttpCall() throws Exception {
    Path example = Path.of("..", "examples", "multi-model").toAbsolutePath().normalize();
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", example.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).as("output: %s", apply.output()).isZero();
    String iris = "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}";
    // served before its first load (the worker loads it on the first request) ...
    await().atMost(WAIT).until(() -> get("/v2/models/iris-a/ready").statusCode() == 200);
    assertThat(cli("get", "tm", "iris-a")).contains("NotLoaded");
    // ... and that first call works in V1, whose instances carry no input name
    HttpResponse<String> first = post("/v1/models/iris-a:predict", iris);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(cli("get", "tm", "iris-a")).contains("True").contains("Loaded");

    float[] row = new float[64];
    HttpResponse<String> mlp =
        post(
            "/v2/models/mlp-b/infer",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 64], \"datatype\": \"FP32\","
                + " \"data\": "
                + java.util.Arrays.toString(row)
                + "}]}");
    assertThat(mlp.statusCode()).as(mlp.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cli("get", "tm", "iris-a"), out -> out.contains("Evicted"));

    HttpResponse<String> again = post("/v1/models/iris-a:predict", iris);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(argmax(JSON.readTree(again.body()).at("/predictions/0"))).isEqualTo(1);
  }

  /** Runs a CLI command against the instance and returns its output. */
  private static String cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    command.addAll(List.of(dataDirFlag()));
    KaskadeProcess process = KaskadeProcess.start(workDir, command.toArray(String[]::new));
    assertThat(process.awaitExit(WAIT)).as("output: %s", process.output()).isZero();
    return String.join("\n", process.output());
  }

  @Test
  @Order(9)
  void servesAnEnsembleOfTheRealIrisModelKeyedByStepNameOverV1AndV2() throws Exception {
    Path graph = workDir.resolve("ensemble.yaml");
    Files.writeString(
        graph,
        """
        apiVersion: serving.kserve.io/v1alpha1
        kind: InferenceGraph
        metadata:
          name: iris-ensemble
        spec:
          nodes:
            root:
              routerType: Ensemble
              steps:
                - name: first
                  serviceName: iris
                - stepName: second
                  serviceName: iris
        """);
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", graph.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).as("output: %s", apply.output()).isZero();
    String v1Body = "{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}";
    await()
        .atMost(WAIT)
        .until(() -> post("/v1/models/iris-ensemble:predict", v1Body).statusCode() == 200);
    JsonNode v1 = JSON.readTree(post("/v1/models/iris-ensemble:predict", v1Body).body());
    assertThat(v1.fieldNames()).toIterable().containsExactlyInAnyOrder("first", "second");
    assertThat(argmax(v1.at("/first/predictions/0"))).as(v1.toString()).isEqualTo(1);
    assertThat(argmax(v1.at("/second/predictions/0"))).as(v1.toString()).isEqualTo(1);

    HttpResponse<String> v2 =
        post(
            "/v2/models/iris-ensemble/infer",
            """
            {"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32",
             "data": [6.8, 2.8, 4.8, 1.4]}]}""");
    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    JSON.readTree(v2.body()).get("outputs").forEach(o -> names.add(o.get("name").asText()));
    assertThat(names).as(v2.body()).isNotEmpty();
    assertThat(names.stream().filter(n -> n.startsWith("first.")).count())
        .isEqualTo(names.stream().filter(n -> n.startsWith("second.")).count())
        .isEqualTo(names.size() / 2);
    assertThat(argmax(JSON.readTree(v2.body()).at("/outputs/0/data"))).isEqualTo(1);
  }

  @Test
  @Order(10)
  void appliesListsAndDeletesManifestsAndRejectsAnInvalidOne() throws Exception {
    Path manifest = workDir.resolve("bad.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: bad
        spec:
          predictor:
            canaryTrafficPercent: 120
            model:
              modelFormat: {name: onnx}
              storageUri: s3://bucket/model
        """);
    KaskadeProcess apply =
        KaskadeProcess.start(
            workDir, "apply", "-f", manifest.toString(), dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(apply.awaitExit(WAIT)).isNotZero();
    assertThat(String.join("\n", apply.output())).contains("canaryTrafficPercent");

    KaskadeProcess get =
        KaskadeProcess.start(
            workDir, "get", "isvc", "-o", "json", dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(get.awaitExit(WAIT)).isZero();
    assertThat(String.join("\n", get.output())).contains("\"iris\"").doesNotContain("\"bad\"");

    KaskadeProcess delete =
        KaskadeProcess.start(workDir, "delete", "isvc", "iris", dataDirFlag()[0], dataDirFlag()[1]);
    assertThat(delete.awaitExit(WAIT)).isZero();
    await().atMost(WAIT).until(() -> get("/v1/models/iris").statusCode() == 404);
  }

  private List<JsonNode> auditRecords() throws Exception {
    return KaskadeProcess.auditRecords(workDir, dataDir, "iris", WAIT);
  }

  private static String[] dataDirFlag() {
    return new String[] {"--data-dir", dataDir.toString()};
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int argmax(JsonNode values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i).asDouble() > values.get(best).asDouble()) {
        best = i;
      }
    }
    return best;
  }

  @Test
  @Order(12)
  void servesTheDemoMinilmSentenceEmbeddings() throws Exception {
    await().atMost(WAIT).until(() -> get("/v2/models/minilm/ready").statusCode() == 200);
    HttpResponse<String> v1 =
        post("/v1/models/minilm:predict", "{\"instances\": [\"hello world\", \"Kafka\"]}");
    assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
    JsonNode predictions = JSON.readTree(v1.body()).get("predictions");
    assertThat(predictions.size()).isEqualTo(2);
    assertThat(predictions.get(0).size()).isEqualTo(384);
  }
}
