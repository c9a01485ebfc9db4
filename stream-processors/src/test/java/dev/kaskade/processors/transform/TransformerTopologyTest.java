package dev.kaskade.processors.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.InferenceServiceSpec;
import dev.kaskade.events.ResourceEvent;
import dev.kaskade.events.TransformerSpec;
import dev.kaskade.processors.json.Payloads;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.tensor.Tensors;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.Topics;
import java.nio.file.Files;
import java.util.List;
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

class TransformerTopologyTest {
  static final String STEPS =
      """
      [{"type":"features","names":["size","colour"]},
       {"type":"one_hot","column":1,"categories":["red","blue"]},
       {"type":"scale","mean":[10,0,0],"std":[2,1,1]},
       {"type":"tensor","name":"float_input","datatype":"FP32"},
       {"type":"labels","labels":["small","medium","large"]}]""";

  private static final String REPLIES = "kaskade.gateway.gw-1.replies";
  private final Topics topics = Topics.withDefaultPrefix();
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> control;
  private TestInputTopic<String, byte[]> requests;
  private TestInputTopic<String, byte[]> predictorResponses;

  @BeforeEach
  void setUp() throws Exception {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "transformer-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("tr").toString());
    driver =
        new TopologyTestDriver(
            TransformerTopology.build(topics, registry, new TransformerLoader()), props);
    control =
        driver.createInputTopic(
            topics.controlResources(), new StringSerializer(), new ByteArraySerializer());
    requests =
        driver.createInputTopic(
            topics.requests("ns", "shop"), new StringSerializer(), new ByteArraySerializer());
    predictorResponses =
        driver.createInputTopic(
            topics.predictorResponses("ns", "shop"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void deploy(InferenceServiceSpec spec) {
    ResourceEvent event = Fixtures.resource("ns", "shop", spec);
    control.pipeInput(
        ResourceKeys.resource("InferenceService", "ns", "shop"),
        new AvroSerializer<ResourceEvent>(registry).serialize(topics.controlResources(), event));
  }

  private TestOutputTopic<String, byte[]> out(String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void sendRequest(InferenceRequest request, String replyTo) {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REPLY_TO, replyTo);
    KaskadeHeaders.put(headers, KaskadeHeaders.CORRELATION_ID, "c-" + request.getId());
    byte[] value = new AvroSerializer<InferenceRequest>(registry).serialize("x", request);
    requests.pipeInput(new TestRecord<>(request.getId(), value, headers));
  }

  private InferenceResponse response(byte[] bytes) {
    return new AvroDeserializer<>(registry, InferenceResponse.class).deserialize("x", bytes);
  }

  @Test
  void shouldPreprocessJsonInstancesIntoScaledOneHotTensorForTheRevision() {
    deploy(Fixtures.withTransformer("shop-predictor-aa", STEPS));
    sendRequest(
        Fixtures.jsonRequest(
            "r1",
            "shop",
            "{\"instances\":[{\"size\":12,\"colour\":\"blue\"},{\"size\":8,\"colour\":\"red\"}]}"),
        REPLIES);

    TestRecord<String, byte[]> routed =
        out(topics.predictor("ns", "shop", "shop-predictor-aa")).readRecord();
    InferenceRequest request =
        new AvroDeserializer<>(registry, InferenceRequest.class).deserialize("x", routed.value());
    assertThat(request.getJsonPayload()).isNull();
    assertThat(request.getInputs().get(0).getName()).isEqualTo("float_input");
    assertThat(request.getInputs().get(0).getShape()).containsExactly(2L, 3L);
    assertThat(Tensors.toFloats(request.getInputs().get(0)))
        .containsExactly(1f, 0f, 1f, -1f, 1f, 0f);
    assertThat(KaskadeHeaders.get(routed.headers(), KaskadeHeaders.REPLY_TO)).isNull();
    assertThat(KaskadeHeaders.get(routed.headers(), TransformerHeaders.FINAL_REPLY_TO))
        .isEqualTo(REPLIES);
    assertThat(KaskadeHeaders.get(routed.headers(), TransformerHeaders.RESPONSE_TOPIC))
        .isEqualTo(topics.predictorResponses("ns", "shop"));
    assertThat(KaskadeHeaders.get(routed.headers(), KaskadeHeaders.CORRELATION_ID))
        .isEqualTo("c-r1");
  }

  @Test
  void shouldPostprocessProbabilitiesIntoLabelsAndAnswerResponsesAndReplyTo() {
    deploy(Fixtures.withTransformer("shop-predictor-aa", STEPS));
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, TransformerHeaders.FINAL_REPLY_TO, REPLIES);
    KaskadeHeaders.put(
        headers, TransformerHeaders.RESPONSE_TOPIC, topics.predictorResponses("ns", "shop"));
    KaskadeHeaders.put(headers, KaskadeHeaders.CORRELATION_ID, "c-9");
    InferenceResponse raw =
        Fixtures.response(
            "r9",
            "shop",
            List.of(
                Payloads.tensor(
                    "probabilities",
                    dev.kaskade.events.DataType.FP32,
                    new double[][] {{0.1, 0.7, 0.2}, {0.8, 0.1, 0.1}})));
    predictorResponses.pipeInput(
        new TestRecord<>(
            "r9", new AvroSerializer<InferenceResponse>(registry).serialize("x", raw), headers));

    InferenceResponse answered = response(out(topics.responses("ns", "shop")).readValue());
    assertThat(answered.getJsonPayload()).isEqualTo("{\"predictions\":[\"medium\",\"small\"]}");
    TestRecord<String, byte[]> reply = out(REPLIES).readRecord();
    assertThat(response(reply.value()).getId()).isEqualTo("r9");
    assertThat(KaskadeHeaders.get(reply.headers(), KaskadeHeaders.REPLY_TO)).isEqualTo(REPLIES);
    assertThat(KaskadeHeaders.get(reply.headers(), KaskadeHeaders.CORRELATION_ID)).isEqualTo("c-9");
    assertThat(KaskadeHeaders.get(reply.headers(), TransformerHeaders.FINAL_REPLY_TO)).isNull();
  }

  @Test
  void shouldAnswerCallerWithErrorWhenPreprocessFails() {
    deploy(Fixtures.withTransformer("shop-predictor-aa", STEPS));
    sendRequest(Fixtures.jsonRequest("r2", "shop", "{\"instances\":[{\"size\":3}]}"), REPLIES);

    assertThat(out(topics.predictor("ns", "shop", "shop-predictor-aa")).isEmpty()).isTrue();
    InferenceResponse reply = response(out(REPLIES).readValue());
    assertThat(reply.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(reply.getError().getMessage()).contains("colour");
    assertThat(response(out(topics.responses("ns", "shop")).readValue()).getError()).isNotNull();
  }

  @Test
  void shouldLeaveRequestsToDispatcherWhenServiceHasNoTransformer() {
    deploy(Fixtures.isvc("shop-predictor-aa").build());
    sendRequest(Fixtures.request("r3", "shop", new double[][] {{1}}), REPLIES);

    assertThat(out(topics.predictor("ns", "shop", "shop-predictor-aa")).isEmpty()).isTrue();
    assertThat(out(REPLIES).isEmpty()).isTrue();
  }

  @Test
  void shouldRunSpiTransformerNamedBySpiClass() {
    deploy(
        Fixtures.isvc("shop-predictor-aa")
            .setTransformer(
                TransformerSpec.newBuilder()
                    .setSpiClass(UppercaseModelTransformer.class.getName())
                    .build())
            .build());
    sendRequest(Fixtures.request("r4", "shop", new double[][] {{1, 2}}), REPLIES);

    var routed = out(topics.predictor("ns", "shop", "shop-predictor-aa")).readValue();
    assertThat(
            new AvroDeserializer<>(registry, InferenceRequest.class)
                .deserialize("x", routed)
                .getModel())
        .isEqualTo("SHOP");
  }

  @Test
  void shouldDeadLetterAndAnswerWhenRequestIsUndecodable() {
    deploy(Fixtures.withTransformer("shop-predictor-aa", STEPS));
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REPLY_TO, REPLIES);
    requests.pipeInput(new TestRecord<>("bad", new byte[] {0, 0, 0, 0, 99, 1}, headers));

    var letter = out(topics.deadLetter("stream-processors")).readRecord();
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_REASON))
        .isEqualTo("DESERIALIZATION_FAILED");
    assertThat(response(out(REPLIES).readValue()).getError().getCode())
        .isEqualTo("DESERIALIZATION_FAILED");
  }

  @Test
  void aTransformerThatOverflowsItsStackFailsOnlyItsRecordWhichIsDeadLettered() {
    deploy(
        Fixtures.isvc("shop-predictor-aa")
            .setTransformer(
                TransformerSpec.newBuilder()
                    .setSpiClass(OverflowingTransformer.class.getName())
                    .build())
            .build());
    sendRequest(Fixtures.request("boom", "shop", new double[][] {{1}}), REPLIES);
    sendRequest(Fixtures.request("fine", "shop", new double[][] {{2}}), REPLIES);

    InferenceResponse failed = response(out(REPLIES).readValue());
    assertThat(failed.getId()).isEqualTo("boom");
    assertThat(failed.getError().getCode()).isEqualTo("INTERNAL");
    var letter = out(topics.deadLetter("stream-processors")).readRecord();
    assertThat(letter.key()).isEqualTo("boom");
    assertThat(KaskadeHeaders.get(letter.headers(), KaskadeHeaders.DLQ_MESSAGE))
        .contains("StackOverflowError");
    var routed = out(topics.predictor("ns", "shop", "shop-predictor-aa")).readRecord();
    assertThat(routed.key()).isEqualTo("fine");
  }

  @Test
  void aReplyToThatIsNoReplyTopicIsNeverWrittenTo() {
    deploy(Fixtures.withTransformer("shop-predictor-aa", STEPS));
    sendRequest(
        Fixtures.jsonRequest("r7", "shop", "{\"instances\":[{\"size\":3}]}"),
        topics.auditPayloads());

    assertThat(out(topics.auditPayloads()).isEmpty()).isTrue();
    assertThat(response(out(topics.responses("ns", "shop")).readValue()).getError()).isNotNull();
  }

  @Test
  void shouldNameEveryNode() {
    String description =
        TransformerTopology.build(topics, registry, new TransformerLoader()).describe().toString();
    assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(description).contains("transformer-pre", "transformer-post", "transformer-control");
  }
}
