package dev.kaskade.workers.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.testing.InMemorySchemaRegistry;
import dev.kaskade.schemas.topic.Topics;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
  private final Topics topics = Topics.withDefaultPrefix();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ResponseWriter writer =
      new ResponseWriter(
          producer, new AvroSerializer<InferenceResponse>(new InMemorySchemaRegistry()), topics);

  private List<String> sentTo(String replyTo, String responseTopic) {
    RecordHeaders headers = new RecordHeaders();
    KaskadeHeaders.put(headers, KaskadeHeaders.REPLY_TO, replyTo);
    KaskadeHeaders.put(headers, KaskadeHeaders.RESPONSE_TOPIC, responseTopic);
    ResponseWriter.Caller caller = new ResponseWriter.Caller("r1", "m", "ns", headers);
    writer.send(
        topics.responses("ns", "m"),
        caller,
        ResponseWriter.success(caller, "v1", List.of(), java.util.Map.of(), 1, 0, 0));
    return producer.history().stream().map(ProducerRecord::topic).toList();
  }

  @Test
  void answersTheWaitingGatewayFirstThenTheResponsesTopic() {
    assertThat(sentTo(topics.gatewayReplies("gw"), null))
        .containsExactly(topics.gatewayReplies("gw"), topics.responses("ns", "m"));
  }

  @Test
  void aTransformerHopNamedByTheResponseTopicHeaderReplacesResponses() {
    assertThat(sentTo(null, topics.predictorResponses("ns", "m")))
        .containsExactly(topics.predictorResponses("ns", "m"));
  }

  @Test
  void aMirroredShadowRequestIsAnsweredOnlyOnTheShadowResponsesTopic() {
    assertThat(sentTo(null, topics.shadowResponses("ns", "m")))
        .containsExactly(topics.shadowResponses("ns", "m"));
  }

  @Test
  void headersNamingOtherTopicsAreIgnored() {
    assertThat(sentTo(topics.controlResources(), topics.auditPayloads()))
        .containsExactly(topics.responses("ns", "m"));
  }
}
