package dev.kaskade.processors.audit;

import static dev.kaskade.processors.audit.AuditFixtures.isvc;
import static dev.kaskade.processors.audit.AuditFixtures.logger;
import static dev.kaskade.processors.audit.AuditFixtures.request;
import static dev.kaskade.processors.audit.AuditFixtures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.kafka.ModelTopic;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.AvroTrust;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PayloadLoggerTopologyTest {
  static {
    AvroTrust.install();
  }

  private final Topics topics = Topics.withDefaultPrefix();
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerializer<InferenceRequest> requestSer = new AvroSerializer<>(registry);
  private final AvroSerializer<InferenceResponse> responseSer = new AvroSerializer<>(registry);
  private final AvroSerializer<ResourceEvent> resourceSer = new AvroSerializer<>(registry);
  private final AvroDeserializer<PayloadAuditRecord> auditDe =
      new AvroDeserializer<>(registry, PayloadAuditRecord.class);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> responses;
  private TestInputTopic<String, byte[]> control;
  private TestOutputTopic<String, byte[]> audit;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void setUp() throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "payload-logger-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("audit-ttd").toString());
    PayloadLoggerOptions options = new PayloadLoggerOptions(10_000, 1000, "test-source", "all");
    driver =
        new TopologyTestDriver(PayloadLoggerTopology.build(topics, registry, options, 1), props);
    requests = input(topics.requests("default", "iris"));
    responses = input(topics.responses("default", "iris"));
    control = input(topics.controlResources());
    audit =
        driver.createOutputTopic(
            topics.auditPayloads(), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetter("payload-logger"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private TestInputTopic<String, byte[]> input(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private void sendRequest(InferenceRequest request) {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.TRACEPARENT, "00-abc-def-01");
    requests.pipeInput(
        new TestRecord<>(
            request.getId(), requestSer.serialize(requests.toString(), request), headers));
  }

  private void sendResponse(InferenceResponse response) {
    responses.pipeInput(response.getId(), responseSer.serialize("r", response));
  }

  private void sendCall(String correlation, InferenceRequest request, InferenceResponse response) {
    sendCall(requests, responses, correlation, request, response);
  }

  private void sendCall(
      TestInputTopic<String, byte[]> requestTopic,
      TestInputTopic<String, byte[]> responseTopic,
      String correlation,
      InferenceRequest request,
      InferenceResponse response) {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.CORRELATION_ID, correlation);
    requestTopic.pipeInput(
        new TestRecord<>(request.getId(), requestSer.serialize("q", request), headers));
    if (response != null) {
      responseTopic.pipeInput(
          new TestRecord<>(response.getId(), responseSer.serialize("r", response), headers));
    }
  }

  @Test
  void aClientThatReusesItsRequestIdGetsOneAuditRecordPerCall() {
    sendCall("call-1", request("same", "iris", 1f), response("same", "iris", 0.1f));
    sendCall("call-2", request("same", "iris", 2f), response("same", "iris", 0.2f));
    sendCall("call-3", request("same", "iris", 3f), response("same", "iris", 0.3f));

    List<PayloadAuditRecord> records = audited();
    assertThat(records).hasSize(3);
    assertThat(records).allMatch(r -> r.getOutcome() == AuditOutcome.PAIRED);
    assertThat(records.stream().map(r -> Tensors.toFloats(r.getResponse().getOutputs().get(0))[0]))
        .containsExactly(0.1f, 0.2f, 0.3f);
  }

  @Test
  void twoServicesAnsweringTheSameIdAreNeverMixed() {
    TestInputTopic<String, byte[]> otherRequests = input(topics.requests("default", "other"));
    TestInputTopic<String, byte[]> otherResponses = input(topics.responses("default", "other"));
    sendCall(requests, responses, "c-a", request("id-1", "iris", 1f), null);
    sendCall(
        otherRequests,
        otherResponses,
        "c-b",
        request("id-1", "other", 9f),
        response("id-1", "other", 0.9f));
    RecordHeaders irisHeaders = new RecordHeaders();
    KaskadeHeaders.put(irisHeaders, KaskadeHeaders.CORRELATION_ID, "c-a");
    responses.pipeInput(
        new TestRecord<>(
            "id-1", responseSer.serialize("r", response("id-1", "iris", 0.1f)), irisHeaders));

    List<PayloadAuditRecord> records = audited();
    assertThat(records).hasSize(2);
    for (PayloadAuditRecord record : records) {
      assertThat(record.getResponse().getModel()).isEqualTo(record.getCeInferenceservicename());
      assertThat(record.getRequest().getModel()).isEqualTo(record.getCeInferenceservicename());
    }
  }

  @Test
  void twoServicesWithoutCorrelationIdsAreStillKeptApart() {
    TestInputTopic<String, byte[]> otherResponses = input(topics.responses("default", "other"));
    sendRequest(request("id-2", "iris", 1f));
    otherResponses.pipeInput("id-2", responseSer.serialize("r", response("id-2", "other", 0.9f)));

    assertThat(audited()).isEmpty();
  }

  @Test
  void aClientCannotPlaceItsRecordOutsideProcessingTime() {
    requests.pipeInput(
        new TestRecord<>(
            "t1",
            requestSer.serialize("q", request("t1", "iris", 1f)),
            new RecordHeaders(),
            253_402_300_799_000L)); // 9999-12-31
    responses.pipeInput(
        new TestRecord<>(
            "t1",
            responseSer.serialize("r", response("t1", "iris", 1f)),
            new RecordHeaders(),
            0L)); // 1970

    PayloadAuditRecord record = audited().get(0);
    long now = System.currentTimeMillis();
    assertThat(record.getCeTime()).isBetween(now - 60_000, now);
    assertThat(record.getResponseTime()).isBetween(now - PairingProcessor.MAX_AGE_MS - 60_000, now);
  }

  @Test
  void aRedeliveredCallIsRecordedOnce() {
    sendCall("call-9", request("r9", "iris", 1f), response("r9", "iris", 0.1f));
    sendCall("call-9", request("r9", "iris", 1f), response("r9", "iris", 0.1f));

    assertThat(audited()).hasSize(1);
  }

  private List<PayloadAuditRecord> audited() {
    return audit.readValuesToList().stream().map(v -> auditDe.deserialize("a", v)).toList();
  }

  private static final long REQUEST_AT = System.currentTimeMillis() - 60_000;

  @Test
  void shouldPairRequestWithResponseWithCloudEventAttributes() {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.TRACEPARENT, "00-abc-def-01");
    requests.pipeInput(
        new TestRecord<>(
            "r1", requestSer.serialize("q", request("r1", "iris", 1f, 2f)), headers, REQUEST_AT));
    responses.pipeInput(
        new TestRecord<>(
            "r1",
            responseSer.serialize("r", response("r1", "iris", 0.5f)),
            new RecordHeaders(),
            REQUEST_AT + 50));

    List<PayloadAuditRecord> records = audited();
    assertThat(records).hasSize(1);
    PayloadAuditRecord record = records.get(0);
    assertThat(record.getOutcome()).isEqualTo(AuditOutcome.PAIRED);
    assertThat(record.getCeId()).isEqualTo("r1");
    assertThat(record.getCeType()).isEqualTo(CloudEventAttributes.REQUEST_TYPE);
    assertThat(record.getCeSource()).isEqualTo("test-source");
    assertThat(record.getCeNamespace()).isEqualTo("default");
    assertThat(record.getCeInferenceservicename()).isEqualTo("iris");
    assertThat(record.getCeComponent()).isEqualTo("predictor");
    assertThat(record.getCeEndpoint()).isEqualTo("default");
    assertThat(record.getCeTime()).isEqualTo(REQUEST_AT);
    assertThat(record.getClientTime()).isEqualTo(1_700_000_000_000L);
    assertThat(record.getResponseTime()).isEqualTo(REQUEST_AT + 50);
    assertThat(record.getCeMetadata()).isEqualTo("{\"traceparent\":[\"00-abc-def-01\"]}");
    assertThat(Tensors.toFloats(record.getRequest().getInputs().get(0))).containsExactly(1f, 2f);
    assertThat(Tensors.toFloats(record.getResponse().getOutputs().get(0))).containsExactly(0.5f);
    assertThat(record.getReplay()).isFalse();
  }

  @Test
  void shouldPairWhenResponseArrivesBeforeRequest() {
    sendResponse(response("r2", "iris", 0.7f));
    sendRequest(request("r2", "iris", 3f));

    List<PayloadAuditRecord> records = audited();
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOutcome()).isEqualTo(AuditOutcome.PAIRED);
              assertThat(r.getCeType()).isEqualTo(CloudEventAttributes.REQUEST_TYPE);
              assertThat(r.getRequest()).isNotNull();
              assertThat(r.getResponse()).isNotNull();
            });
  }

  @Test
  void shouldEmitNoResponseWhenWindowClosesWithoutAnswer() {
    sendRequest(request("r3", "iris", 1f));
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(audit.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(6));

    assertThat(audited())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOutcome()).isEqualTo(AuditOutcome.NO_RESPONSE);
              assertThat(r.getResponse()).isNull();
            });
  }

  @Test
  void aTickEmitsAtMostItsBoundOfExpiredHalvesAndTheNextTickTheRest() {
    int waiting = PairingProcessor.MAX_EXPIRED_PER_TICK + 3;
    for (int i = 0; i < waiting; i++) {
      sendRequest(request("lone-" + i, "iris", 1f));
    }
    driver.advanceWallClockTime(Duration.ofSeconds(11));
    assertThat(audit.getQueueSize()).isEqualTo(PairingProcessor.MAX_EXPIRED_PER_TICK);

    driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(audit.getQueueSize()).isEqualTo(waiting);
    assertThat(audited())
        .allMatch(r -> r.getOutcome() == AuditOutcome.NO_RESPONSE)
        .extracting(PayloadAuditRecord::getCeId)
        .doesNotHaveDuplicates()
        .hasSize(waiting);
  }

  /**
   * A backlog a minute old, read at a tenth of the speed it was written (the logger yields the
   * cores to the calls): 30 s of wall time, three windows, pass while 3 s of its calls are read. On
   * the wall clock the first request expired before its response was read; on the records' time it
   * waits for it, and once the backlog is read time goes on with the wall clock again.
   */
  @Test
  void aBacklogReadSlowlyStillPairsEachRequestWithItsResponse() {
    java.time.Instant start = java.time.Instant.now().minusSeconds(60);
    requests.pipeInput(at("late", requestSer.serialize("q", request("late", "iris", 1f)), start));
    for (int i = 1; i <= 30; i++) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      java.time.Instant t = start.plusMillis(i * 100L);
      String id = "other-" + i;
      requests.pipeInput(at(id, requestSer.serialize("q", request(id, "iris", 1f)), t));
      responses.pipeInput(
          at(id, responseSer.serialize("r", response(id, "iris", 2f)), t.plusMillis(5)));
    }
    responses.pipeInput(
        at(
            "late",
            responseSer.serialize("r", response("late", "iris", 2f)),
            start.plusMillis(3_050)));

    assertThat(audited())
        .hasSize(31)
        .allMatch(r -> r.getOutcome() == AuditOutcome.PAIRED)
        .extracting(PayloadAuditRecord::getCeId)
        .contains("late")
        .doesNotHaveDuplicates();

    requests.pipeInput(
        at(
            "lone",
            requestSer.serialize("q", request("lone", "iris", 1f)),
            start.plusMillis(3_100)));
    driver.advanceWallClockTime(Duration.ofSeconds(9));
    assertThat(audit.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(audited())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(AuditOutcome.NO_RESPONSE));
  }

  private static TestRecord<String, byte[]> at(String id, byte[] value, java.time.Instant time) {
    return new TestRecord<>(id, value, new RecordHeaders(), time);
  }

  @Test
  void shouldEmitResponseOnlyWhenNoRequestArrivesInWindow() {
    sendResponse(response("r4", "iris", 1f));
    driver.advanceWallClockTime(Duration.ofSeconds(11));

    assertThat(audited())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOutcome()).isEqualTo(AuditOutcome.RESPONSE_ONLY);
              assertThat(r.getCeType()).isEqualTo(CloudEventAttributes.RESPONSE_TYPE);
              assertThat(r.getRequest()).isNull();
            });
  }

  @Test
  void shouldRedactTensorsAndJsonPathsConfiguredForTheService() {
    control.pipeInput(
        ResourceKeys.resource("InferenceService", "default", "iris"),
        resourceSer.serialize(
            "c",
            isvc(
                "default",
                "iris",
                logger("all", null, List.of("ssn")),
                Map.of(LoggerPolicy.REDACT_ANNOTATION, "$.instances.email"))));
    InferenceRequest request = request("r5", "iris", 1f);
    request.setJsonPayload("{\"instances\":[{\"email\":\"a@b\",\"age\":3}]}");
    sendRequest(request);
    sendResponse(response("r5", "iris", 1f));

    PayloadAuditRecord record = audited().get(0);
    assertThat(record.getRedactedFields()).containsExactly("$.instances.email", "ssn");
    assertThat(record.getRequest().getInputs().get(1).getData().remaining()).isZero();
    assertThat(record.getRequest().getInputs().get(0).getData().remaining()).isEqualTo(4);
    assertThat(record.getRequest().getJsonPayload()).isEqualTo("{\"instances\":[{\"age\":3}]}");
  }

  @Test
  void shouldDropResponseWhenLoggerModeIsRequest() {
    control.pipeInput(
        ResourceKeys.resource("InferenceService", "default", "iris"),
        resourceSer.serialize("c", isvc("default", "iris", logger("request", null, List.of()))));
    sendRequest(request("r6", "iris", 1f));
    sendResponse(response("r6", "iris", 1f));

    PayloadAuditRecord record = audited().get(0);
    assertThat(record.getRequest()).isNotNull();
    assertThat(record.getResponse()).isNull();
  }

  @Test
  void shouldMarkReplayWhenRequestCarriesReplayOf() {
    InferenceRequest request = request("r7", "iris", 1f);
    request.setReplayOf("original-1");
    sendRequest(request);
    sendResponse(response("r7", "iris", 1f));

    assertThat(audited().get(0).getReplay()).isTrue();
  }

  @Test
  void shouldRecordTheSubjectTheGatewayPutOnTheRequestWhicheverHalfArrivesFirst() {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.SUBJECT, "alice");
    requests.pipeInput(
        new TestRecord<>("s1", requestSer.serialize("q", request("s1", "iris", 1f)), headers));
    sendResponse(response("s1", "iris", 1f));
    sendResponse(response("s2", "iris", 1f));
    requests.pipeInput(
        new TestRecord<>("s2", requestSer.serialize("q", request("s2", "iris", 1f)), headers));
    sendRequest(request("s3", "iris", 1f));
    sendResponse(response("s3", "iris", 1f));

    assertThat(audited())
        .extracting(PayloadAuditRecord::getCeId, PayloadAuditRecord::getSubject)
        .containsExactly(tuple("s1", "alice"), tuple("s2", "alice"), tuple("s3", null));
  }

  @Test
  void shouldSendUndecodableRecordsToDeadLetterTopic() {
    requests.pipeInput("bad", new byte[] {1, 2, 3});

    var dead = deadLetters.readRecord();
    assertThat(dead.key()).isEqualTo("bad");
    assertThat(KaskadeHeaders.get(dead.headers(), KaskadeHeaders.DLQ_REASON))
        .isEqualTo("DESERIALIZATION_FAILED");
    assertThat(KaskadeHeaders.get(dead.headers(), KaskadeHeaders.DLQ_SOURCE))
        .isEqualTo(topics.requests("default", "iris") + "-0@0");
    assertThat(audit.isEmpty()).isTrue();
  }

  @Test
  void shouldSubscribeOnlyToServiceRequestResponseAndRevisionTopics() {
    var pattern = PayloadLoggerTopology.isvcTopics(topics);
    assertThat(pattern.matcher(topics.requests("ns", "m")).matches()).isTrue();
    assertThat(pattern.matcher(topics.responses("ns", "m")).matches()).isTrue();
    assertThat(pattern.matcher(topics.graphRequests("ns", "g")).matches()).isFalse();
    assertThat(pattern.matcher(topics.explainRequests("ns", "m")).matches()).isFalse();
    assertThat(pattern.matcher(topics.predictorResponses("ns", "m")).matches()).isFalse();
    assertThat(pattern.matcher(topics.predictor("ns", "m", "m-predictor-1a2b")).matches()).isTrue();
    assertThat(pattern.matcher(topics.auditPayloads()).matches()).isFalse();
    // the platform topic that keeps the pattern source from ever starting without a topic, and
    // that no other application's pattern matches
    assertThat(pattern.matcher(topics.payloadLoggerAnchor()).matches()).isTrue();
    for (String hop : List.of("requests", "predictor-responses", "explain.requests")) {
      assertThat(ModelTopic.pattern(topics, hop).matcher(topics.payloadLoggerAnchor()).matches())
          .as(hop)
          .isFalse();
    }
    assertThat(topics.predictorPattern().matcher(topics.payloadLoggerAnchor()).matches()).isFalse();
  }

  @Test
  void shouldPairARequestTheGatewaySentStraightToARevision() {
    TestInputTopic<String, byte[]> revision =
        input(topics.predictor("default", "iris", "iris-predictor-1"));
    InferenceRequest request = request("g1", "iris", 1f, 2f);
    revision.pipeInput("g1", requestSer.serialize("p", request));
    sendResponse(response("g1", "iris", 0.5f));

    List<PayloadAuditRecord> records = audited();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getOutcome()).isEqualTo(AuditOutcome.PAIRED);
    assertThat(records.get(0).getCeInferenceservicename()).isEqualTo("iris");
    assertThat(records.get(0).getCeNamespace()).isEqualTo("default");
  }

  @Test
  void shouldRecordARequestSeenOnRequestsAndOnItsRevisionTopicOnce() {
    TestInputTopic<String, byte[]> revision =
        input(topics.predictor("default", "iris", "iris-predictor-1"));
    InferenceRequest request = request("d1", "iris", 1f, 2f);
    sendRequest(request);
    revision.pipeInput("d1", requestSer.serialize("p", request));
    sendResponse(response("d1", "iris", 0.5f));
    revision.pipeInput("d1", requestSer.serialize("p", request));
    sendResponse(response("d1", "iris", 0.5f));
    driver.advanceWallClockTime(java.time.Duration.ofSeconds(30));

    assertThat(audited())
        .singleElement()
        .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(AuditOutcome.PAIRED));
  }
}
