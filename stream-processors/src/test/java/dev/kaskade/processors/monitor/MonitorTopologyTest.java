package dev.kaskade.processors.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.OutlierScore;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MonitorTopologyTest {
  private static final String MONITOR =
      """
      {"feature_names":["a","b"],
       "drift":{"window":50,"alpha":0.05,"reference_size":100},
       "outlier":{"reference_size":100,"p":0.999}}""";

  private final Topics topics = Topics.withDefaultPrefix();
  private final String PREDICTOR = topics.predictor("ns", "iris", "iris-predictor-1");
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> requests;
  private TestOutputTopic<String, byte[]> drift;
  private TestOutputTopic<String, byte[]> outliers;
  private TestOutputTopic<String, byte[]> deadLetters;
  private MonitorLimits limits = MonitorLimits.DEFAULTS;

  private java.nio.file.Path stateDir;

  @BeforeEach
  void setUp() throws Exception {
    stateDir = Files.createTempDirectory("monitor");
    startDriver();
  }

  private void startDriver() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(MonitorTopology.build(topics, registry, meters, limits), props);
    var control =
        driver.createInputTopic(
            topics.controlResources(), new StringSerializer(), new ByteArraySerializer());
    ResourceEvent isvc =
        Fixtures.resource("ns", "iris", Fixtures.withMonitor("iris-predictor-1", MONITOR));
    control.pipeInput(
        ResourceKeys.resource("InferenceService", "ns", "iris"),
        new AvroSerializer<ResourceEvent>(registry).serialize(topics.controlResources(), isvc));
    requests =
        driver.createInputTopic(PREDICTOR, new StringSerializer(), new ByteArraySerializer());
    drift = output(topics.monitorDrift());
    outliers = output(topics.monitorOutliers());
    deadLetters = output(topics.deadLetter("stream-processors"));
  }

  private TestOutputTopic<String, byte[]> output(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void send(Random random, int count, double shift) {
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry);
    for (int i = 0; i < count; i++) {
      double[][] row = {{random.nextGaussian() + shift, random.nextGaussian() * 2}};
      String id = "r" + random.nextInt();
      requests.pipeInput(id, serializer.serialize(PREDICTOR, Fixtures.request(id, "iris", row)));
    }
  }

  private List<DriftAlert> alerts() {
    AvroDeserializer<DriftAlert> d = new AvroDeserializer<>(registry, DriftAlert.class);
    return drift.readValuesToList().stream().map(v -> d.deserialize("t", v)).toList();
  }

  @Test
  void shouldTakeReferenceFromFirstRequestsThenAlertPerFeaturePerWindow() {
    Random random = new Random(1);
    send(random, 100, 0);
    assertThat(drift.isEmpty()).isTrue();

    send(random, 50, 3.0);

    List<DriftAlert> alerts = alerts();
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getFeature()).isEqualTo("a");
    assertThat(alerts.get(0).getDrift()).isTrue();
    assertThat(alerts.get(0).getSampleSize()).isEqualTo(50);
    assertThat(alerts.get(0).getThreshold()).isEqualTo(0.025);
    assertThat(alerts.get(1).getDrift()).isFalse();
    assertThat(meters.get("kaskade_drift_detected").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("kaskade_drift_p_value").tag("feature", "a").gauge().value())
        .isLessThan(0.025);
  }

  @Test
  void shouldScoreOutliersAgainstReferenceOnceItIsComplete() {
    Random random = new Random(2);
    send(random, 99, 0);
    assertThat(outliers.isEmpty()).isTrue();
    send(random, 1, 0);
    assertThat(outliers.readValuesToList()).as("the request completing the reference").hasSize(1);
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry);
    requests.pipeInput(
        "far",
        serializer.serialize(
            PREDICTOR, Fixtures.request("far", "iris", new double[][] {{0, 0}, {9, 9}})));

    AvroDeserializer<OutlierScore> d = new AvroDeserializer<>(registry, OutlierScore.class);
    OutlierScore score = d.deserialize("t", outliers.readValue());
    assertThat(score.getId()).isEqualTo("far");
    assertThat(score.getOutlier()).containsExactly(false, true);
    assertThat(score.getScores().get(1)).isGreaterThan(score.getThreshold());
  }

  @Test
  void shouldDeadLetterUndecodableRequestWithReasonHeaders() {
    requests.pipeInput("bad", new byte[] {1, 2, 3});

    var letter = deadLetters.readRecord();
    assertThat(letter.value()).containsExactly(1, 2, 3);
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_REASON))
        .isEqualTo("DESERIALIZATION_FAILED");
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_SOURCE))
        .startsWith(PREDICTOR);
  }

  @Test
  void shouldEmitInvalidAlertWhenFeatureIsNotNumeric() {
    Random random = new Random(3);
    send(random, 100, 0);
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry);
    for (int i = 0; i < 50; i++) {
      String json = "{\"instances\":[[\"text\"," + random.nextGaussian() + "]]}";
      requests.pipeInput(
          "j" + i, serializer.serialize(PREDICTOR, Fixtures.jsonRequest("j" + i, "iris", json)));
    }
    List<DriftAlert> alerts = alerts();
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getTest()).isEqualTo("invalid");
    assertThat(alerts.get(1).getTest()).isEqualTo("ks");
  }

  @Test
  void shouldNameEveryNodeStoreAndInternalTopic() {
    String description = MonitorTopology.build(topics, registry, meters).describe().toString();
    assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(description)
        .contains("monitor-by-model-repartition", "monitor-row-chunks", "monitor-meta");
  }

  @Test
  void shouldCloseTimeWindowOnWallClockWhenFewerRowsThanCountArrive() {
    driver.close();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-time-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try {
      props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("monitor-t").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    driver = new TopologyTestDriver(MonitorTopology.build(topics, registry, meters), props);
    String monitor =
        "{\"drift\":{\"window\":1000,\"window_ms\":60000,\"reference\":"
            + java.util.Arrays.deepToString(referenceRows())
            + "}}";
    driver
        .createInputTopic(
            topics.controlResources(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput(
            ResourceKeys.resource("InferenceService", "ns", "iris"),
            new AvroSerializer<ResourceEvent>(registry)
                .serialize(
                    topics.controlResources(),
                    Fixtures.resource(
                        "ns", "iris", Fixtures.withMonitor("iris-predictor-1", monitor))));
    requests =
        driver.createInputTopic(PREDICTOR, new StringSerializer(), new ByteArraySerializer());
    drift = output(topics.monitorDrift());
    send(new Random(4), 30, 3.0);
    assertThat(drift.isEmpty()).isTrue();

    driver.advanceWallClockTime(java.time.Duration.ofSeconds(61));

    List<DriftAlert> alerts = alerts();
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).getSampleSize()).isEqualTo(30);
    assertThat(alerts.get(0).getDrift()).isTrue();
    assertThat(alerts.get(0).getWindowEnd()).isGreaterThanOrEqualTo(alerts.get(0).getWindowStart());
  }

  private static double[][] referenceRows() {
    Random random = new Random(8);
    double[][] rows = new double[100][2];
    for (double[] row : rows) {
      row[0] = random.nextGaussian();
      row[1] = random.nextGaussian() * 2;
    }
    return rows;
  }

  private void pipe(String id, double[][] rows, java.util.Map<String, String> headers) {
    InferenceRequest request = Fixtures.request(id, "iris", rows);
    var record =
        new org.apache.kafka.streams.test.TestRecord<String, byte[]>(
            id, new AvroSerializer<InferenceRequest>(registry).serialize(PREDICTOR, request));
    headers.forEach((k, v) -> KaskadeHeaders.put(record.headers(), k, v));
    requests.pipeInput(record);
  }

  @Test
  void shouldSkipShadowCopiesReplaysSyntheticRequestsAndHostedTrainedModels() {
    send(new Random(5), 100, 0);
    outliers.readValuesToList();
    double[][] row = {{0.1, 0.2}};
    pipe("shadow", row, java.util.Map.of(KaskadeHeaders.SHADOW, "true"));
    pipe("replay", row, java.util.Map.of(KaskadeHeaders.REPLAY_OF, "r1"));
    pipe("shap", row, java.util.Map.of(KaskadeHeaders.SYNTHETIC, "explainer"));
    pipe("tm", row, java.util.Map.of(KaskadeHeaders.MODEL, "hosted-tm"));
    pipe("own", row, java.util.Map.of(KaskadeHeaders.MODEL, "iris"));

    AvroDeserializer<OutlierScore> d = new AvroDeserializer<>(registry, OutlierScore.class);
    assertThat(outliers.readValuesToList())
        .extracting(v -> d.deserialize("t", v).getId())
        .containsExactly("own");
  }

  @Test
  void shouldCapRowsPerRequestAndDropRowsOfAnotherWidth() {
    driver.close();
    limits = new MonitorLimits(3, 100);
    startDriver();

    pipe("many", new double[10][2], java.util.Map.of());
    pipe("wide", new double[][] {{1, 2, 3}}, java.util.Map.of());

    assertThat(meters.get("kaskade_monitor_rows_total").counter().count()).isEqualTo(3);
    assertThat(
            meters
                .get("kaskade_monitor_dropped_rows_total")
                .tag("reason", "rows_per_request")
                .counter()
                .count())
        .isEqualTo(7);
    assertThat(
            meters
                .get("kaskade_monitor_dropped_rows_total")
                .tag("reason", "width")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldNotLearnAWidthBeyondMaxFeaturesSoOneRequestCannotCreateGauges() {
    driver
        .createInputTopic(
            topics.controlResources(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput(
            ResourceKeys.resource("InferenceService", "ns", "wide"),
            new AvroSerializer<ResourceEvent>(registry)
                .serialize(
                    topics.controlResources(),
                    Fixtures.resource(
                        "ns",
                        "wide",
                        Fixtures.withMonitor(
                            "wide-predictor-1",
                            "{\"drift\":{\"window\":2,\"reference_size\":2}}"))));
    String topic = topics.predictor("ns", "wide", "wide-predictor-1");
    var wide = driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry);
    for (int i = 0; i < 4; i++) {
      wide.pipeInput(
          "w" + i,
          serializer.serialize(topic, Fixtures.request("w" + i, "wide", new double[2][5000])));
    }

    assertThat(drift.isEmpty()).isTrue();
    assertThat(meters.find("kaskade_drift_p_value").gauges()).isEmpty();
    assertThat(
            meters
                .get("kaskade_monitor_dropped_rows_total")
                .tags("model", "wide", "reason", "width")
                .counter()
                .count())
        .isEqualTo(8);
  }
}
