package dev.kaskade.workers.worker;

import dev.kaskade.events.GenerationEvent;
import dev.kaskade.events.GenerationEventKind;
import dev.kaskade.events.GenerationUsage;
import dev.kaskade.events.InferenceError;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes the GenerationEvents of one attempt of one streamed request, numbered from 0, keyed by
 * request id (one partition per topic, one idempotent producer: Kafka keeps them in order), to
 * every topic given: the calling gateway's chunks topic and the InferenceService's chunks topic.
 * Called from one generation thread.
 */
final class EventWriter {
  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer<GenerationEvent> serializer;
  private final List<String> topics;
  private final byte[] key;
  private final Headers headers;
  private final GenerationEvent.Builder base;
  private final List<Future<RecordMetadata>> last = new ArrayList<>();
  private int seq;

  EventWriter(
      Producer<byte[], byte[]> producer,
      AvroSerializer<GenerationEvent> serializer,
      List<String> topics,
      Headers headers,
      String requestId,
      String attempt,
      String model,
      String version) {
    this.producer = producer;
    this.serializer = serializer;
    this.topics = List.copyOf(topics);
    this.key = requestId.getBytes(StandardCharsets.UTF_8);
    this.headers = headers;
    this.base =
        GenerationEvent.newBuilder()
            .setRequestId(requestId)
            .setAttempt(attempt)
            .setSeq(0)
            .setKind(GenerationEventKind.START)
            .setModel(model)
            .setModelVersion(version);
  }

  void start() {
    send(event(GenerationEventKind.START, 0));
  }

  void delta(int choice, String text, int tokens) {
    send(event(GenerationEventKind.DELTA, choice).setText(text).setTokens(tokens));
  }

  void finish(int choice, String reason) {
    send(event(GenerationEventKind.FINISH, choice).setFinishReason(reason));
  }

  /** The terminal event of a successful attempt. */
  void usage(GenerationUsage usage) {
    send(event(GenerationEventKind.USAGE, 0).setUsage(usage).setTerminal(true));
  }

  /** The terminal event of a failed attempt. */
  void error(String code, String message) {
    send(
        event(GenerationEventKind.ERROR, 0)
            .setError(new InferenceError(code, message))
            .setTerminal(true));
  }

  /** Acknowledgements of the last event sent (Kafka acknowledges a partition in order). */
  List<Future<RecordMetadata>> lastAcks() {
    return List.copyOf(last);
  }

  private GenerationEvent.Builder event(GenerationEventKind kind, int choice) {
    return GenerationEvent.newBuilder(base)
        .setSeq(seq++)
        .setKind(kind)
        .setChoice(choice)
        .setCreatedEpochMs(System.currentTimeMillis());
  }

  private void send(GenerationEvent.Builder builder) {
    GenerationEvent event = builder.build();
    last.clear();
    for (String topic : topics) {
      last.add(
          producer.send(
              new ProducerRecord<>(
                  topic,
                  null,
                  key,
                  serializer.serialize(topic, event),
                  new RecordHeaders(headers.toArray()))));
    }
  }
}
