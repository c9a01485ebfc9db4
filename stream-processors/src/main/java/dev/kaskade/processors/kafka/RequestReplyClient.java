package dev.kaskade.processors.kafka;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private final Map<String, CompletableFuture<InferenceResponse>> pending =
      new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("reply-deadlines").unstarted(r));
  private final Thread poller;
  private volatile boolean running = true;

  public RequestReplyClient(
      String bootstrap, SchemaRegistryClient registry, String replyTopic, int maxMessageBytes) {
    this.replyTopic = replyTopic;
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, maxMessageBytes));
    this.consumer = new KafkaConsumer<>(ClientConfigs.consumer(bootstrap, null, maxMessageBytes));
    this.serializer = new AvroSerializer<>(registry);
    this.deserializer = new AvroDeserializer<>(registry, InferenceResponse.class);
    List<TopicPartition> partitions =
        consumer.partitionsFor(replyTopic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(replyTopic, p.partition()))
            .toList();
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
    CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
    pending.put(correlation, future);
    timer.schedule(
        () ->
            expire(
                correlation, "no answer from " + topic + " within " + timeout.toMillis() + " ms"),
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
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

  private void expire(String correlation, String message) {
    fail(correlation, new KaskadeException(Reason.DEADLINE_EXCEEDED, message));
  }

  private void fail(String correlation, KaskadeException error) {
    CompletableFuture<InferenceResponse> future = pending.remove(correlation);
    if (future != null) {
      future.completeExceptionally(error);
    }
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          complete(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void complete(ConsumerRecord<String, byte[]> record) {
    String correlation = KaskadeHeaders.get(record.headers(), KaskadeHeaders.CORRELATION_ID);
    CompletableFuture<InferenceResponse> future =
        correlation == null ? null : pending.remove(correlation);
    if (future == null) {
      return;
    }
    try {
      future.complete(deserializer.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      LOG.warn("undecodable reply {}@{}: {}", record.topic(), record.offset(), e.getMessage());
      future.completeExceptionally(
          new KaskadeException(Reason.DESERIALIZATION_FAILED, e.getMessage(), e));
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
    timer.shutdownNow();
    producer.close(Duration.ofSeconds(2));
    pending.values().forEach(f -> f.completeExceptionally(KaskadeException.unavailable("closed")));
  }
}
