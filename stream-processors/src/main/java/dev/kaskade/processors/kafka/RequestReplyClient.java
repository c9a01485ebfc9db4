package dev.kaskade.processors.kafka;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a model over Kafka the way the gateway does: produces an InferenceRequest with {@code
 * kaskade-reply-to} = this instance's reply topic and a fresh correlation id, and completes the
 * returned future when the matching InferenceResponse arrives (or DEADLINE_EXCEEDED when it does
 * not). The reply topic is owned by this instance alone, so the consumer reads all its partitions
 * without a group.
 */
public final class RequestReplyClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestReplyClient.class);

  private final String replyTopic;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerializer<InferenceRequest> serializer;
  private final AvroDeserializer<InferenceResponse> deserializer;

  /** Setting: model calls awaited at once by one processors instance (default 10000). */
  public static final String MAX_IN_FLIGHT = "processors.requests.max.in.flight";

  public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

  private final PendingCalls pending;
  private final Thread poller;
  private volatile boolean running = true;

  public RequestReplyClient(
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      String replyTopic,
      int maxMessageBytes) {
    this(bootstrap, registry, replyTopic, maxMessageBytes, DEFAULT_MAX_IN_FLIGHT);
  }

  public RequestReplyClient(
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      String replyTopic,
      int maxMessageBytes,
      int maxInFlight) {
    this.replyTopic = replyTopic;
    this.pending = new PendingCalls(maxInFlight);
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, maxMessageBytes));
    this.consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, maxMessageBytes));
    this.serializer = new AvroSerializer<>(registry);
    this.deserializer = new AvroDeserializer<>(registry, InferenceResponse.class);
    // A just-created topic's metadata may take a moment: an empty answer must not leave the
    // consumer assigned to nothing (every poll would then fail).
    List<TopicPartition> partitions = Partitions.of(consumer, replyTopic, Duration.ofSeconds(30));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    this.poller = Thread.ofPlatform().daemon().name("replies-" + replyTopic).start(this::poll);
  }

  public String replyTopic() {
    return replyTopic;
  }

  /**
   * Sends the request to the topic and returns its answer. Failures to send and missed deadlines
   * complete the future exceptionally with a {@link KaskadeException}.
   */
  public CompletableFuture<InferenceResponse> call(
      String topic, InferenceRequest request, Map<String, String> extraHeaders, Duration timeout) {
    String correlation = UUID.randomUUID().toString();
    CompletableFuture<InferenceResponse> future =
        pending.register(
            correlation,
            timeout,
            "no answer from " + topic + " within " + timeout.toMillis() + " ms");
    if (!pending.isPending(correlation)) {
      return future; // refused: too many calls in flight
    }
    RecordHeaders headers = new RecordHeaders();
    extraHeaders.forEach((k, v) -> KaskadeHeaders.put(headers, k, v));
    KaskadeHeaders.put(headers, KaskadeHeaders.REQUEST_ID, request.getId());
    KaskadeHeaders.put(headers, KaskadeHeaders.MODEL, request.getModel());
    KaskadeHeaders.put(headers, KaskadeHeaders.NAMESPACE, request.getNamespace());
    KaskadeHeaders.put(headers, KaskadeHeaders.REPLY_TO, replyTopic);
    KaskadeHeaders.put(headers, KaskadeHeaders.CORRELATION_ID, correlation);
    KaskadeHeaders.put(
        headers,
        KaskadeHeaders.DEADLINE,
        Long.toString(System.currentTimeMillis() + timeout.toMillis()));
    try {
      byte[] value = serializer.serialize(topic, request);
      producer.send(
          new ProducerRecord<>(topic, null, request.getId(), value, headers),
          (metadata, error) -> {
            if (error != null) {
              fail(
                  correlation, new KaskadeException(Reason.UNAVAILABLE, error.getMessage(), error));
            }
          });
    } catch (RuntimeException e) {
      fail(correlation, new KaskadeException(Reason.INTERNAL, "cannot send to " + topic, e));
    }
    return future;
  }

  private void fail(String correlation, KaskadeException error) {
    pending.fail(correlation, error);
  }

  /** Completes calls from replies; a failing record or poll is logged and polling goes on. */
  private void poll() {
    try {
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            completeSafely(record);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.error("reply poll failed; going on", e);
          Failures.pauseAfterPollFailure();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void completeSafely(ConsumerRecord<String, byte[]> record) {
    String correlation = KaskadeHeaders.get(record.headers(), KaskadeHeaders.CORRELATION_ID);
    if (!pending.isPending(correlation)) {
      return;
    }
    try {
      pending.complete(correlation, deserializer.deserialize(record.topic(), record.value()));
    } catch (Throwable e) {
      Failures.rethrowIfFatal(e);
      LOG.warn("unusable reply {}@{}: {}", record.topic(), record.offset(), Failures.describe(e));
      pending.fail(
          correlation,
          new KaskadeException(Reason.DESERIALIZATION_FAILED, Failures.describe(e), e));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
    pending.close();
  }
}
