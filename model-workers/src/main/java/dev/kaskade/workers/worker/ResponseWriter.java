package dev.kaskade.workers.worker;

import dev.kaskade.events.InferenceError;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.events.Tensor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces an answer to the InferenceService's responses topic (or, behind a transformer, to the
 * topic named by {@code kaskade-response-topic}) and, when the request named one, to its {@code
 * kaskade-reply-to} topic too, carrying the request's headers (correlation id, trace context).
 */
public final class ResponseWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

  private final Producer<byte[], byte[]> producer;
  private final AvroSerializer<InferenceResponse> serializer;
  private final Topics topics;

  public ResponseWriter(
      Producer<byte[], byte[]> producer,
      AvroSerializer<InferenceResponse> serializer,
      Topics topics) {
    this.producer = producer;
    this.serializer = serializer;
    this.topics = topics;
  }

  /** Who asked: the request id and the request record's headers. */
  public record Caller(String requestId, String model, String namespace, Headers headers) {}

  public static InferenceResponse success(
      Caller caller,
      String version,
      List<Tensor> outputs,
      Map<String, String> parameters,
      int batchSize,
      long queueUs,
      long computeUs) {
    return base(caller, version)
        .setOutputs(new ArrayList<>(outputs))
        .setParameters(new HashMap<>(parameters))
        .setBatchSize(batchSize)
        .setQueueTimeUs(queueUs)
        .setComputeTimeUs(computeUs)
        .build();
  }

  public static InferenceResponse failure(Caller caller, String version, KaskadeException error) {
    return base(caller, version)
        .setError(new InferenceError(error.reason().name(), error.getMessage()))
        .build();
  }

  private static InferenceResponse.Builder base(Caller caller, String version) {
    return InferenceResponse.newBuilder()
        .setId(caller.requestId())
        .setModel(caller.model())
        .setModelVersion(version)
        .setNamespace(caller.namespace())
        .setCreatedEpochMs(System.currentTimeMillis());
  }

  /** Sends the response; the returned futures complete when Kafka acknowledged each copy. */
  public List<Future<RecordMetadata>> send(
      String responsesTopic, Caller caller, InferenceResponse response) {
    // Request headers travel on (correlation id, trace context, a transformer's parked reply-to);
    // where to answer is decided here, not copied.
    Headers headers = new RecordHeaders(caller.headers().toArray());
    headers.remove(KaskadeHeaders.REPLY_TO);
    headers.remove(KaskadeHeaders.RESPONSE_TOPIC);
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, caller.requestId());
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, caller.model());
    KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, caller.namespace());
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL_VERSION, response.getModelVersion());
    String transformerTopic = KaskadeHeaders.get(caller.headers(), KaskadeHeaders.RESPONSE_TOPIC);
    String target =
        allowed(transformerTopic, topics::isResponseTopicHeaderTarget, caller)
            ? transformerTopic
            : responsesTopic;
    byte[] key = caller.requestId().getBytes(StandardCharsets.UTF_8);
    List<Future<RecordMetadata>> acks = new ArrayList<>(2);
    // The waiting caller's copy goes first: with linger.ms=0 the first record of a burst leaves in
    // the producer's next request, the second may wait for the one after (docs/performance.md).
    String replyTo = KaskadeHeaders.get(caller.headers(), KaskadeHeaders.REPLY_TO);
    if (allowed(replyTo, topics::isReplyTopic, caller) && !replyTo.equals(target)) {
      acks.add(send(replyTo, key, headers, response));
    }
    acks.add(send(target, key, headers, response));
    return acks;
  }

  /**
   * A destination taken from a header is used only when it is one a header may name (see {@link
   * Topics#isReplyTopic}); anything else is ignored with a warning, never written to.
   */
  private static boolean allowed(String topic, Predicate<String> rule, Caller caller) {
    if (topic == null || topic.isBlank()) {
      return false;
    }
    if (!rule.test(topic)) {
      LOG.warn(
          "request {} names destination '{}' that a header may not name; ignored",
          caller.requestId(),
          topic);
      return false;
    }
    return true;
  }

  private Future<RecordMetadata> send(
      String topic, byte[] key, Headers headers, InferenceResponse response) {
    return producer.send(
        new ProducerRecord<>(
            topic,
            null,
            key,
            serializer.serialize(topic, response),
            new RecordHeaders(headers.toArray())));
  }
}
