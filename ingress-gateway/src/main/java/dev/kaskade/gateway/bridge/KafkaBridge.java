package dev.kaskade.gateway.bridge;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.gateway.metrics.GatewayMetrics;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.kafka.KaskadeHeaders;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.serde.SerializationFailure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request/reply bridge: produces request events with reply-to headers and completes the waiting
 * Vert.x promise when the reply with the same correlation id arrives on this instance's reply
 * topic. A send that could block (its topic's metadata or schema id not yet known, or the
 * producer's buffer filling) runs on a virtual thread; one to a topic that took a request moments
 * ago goes out from the event loop itself ({@link InlineSends}). The reply topic is read by its own
 * thread, and every call has a deadline timer, so the event loop never blocks and no call is left
 * hanging.
 */
public final class KafkaBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBridge.class);

  private final Vertx vertx;
  private final String replyTopic;
  private final int maxInflight;
  private final int maxRecordBytes;
  private final GatewayMetrics metrics;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> replies;
  private final AvroSerializer<InferenceRequest> serializer;
  private final AvroDeserializer<InferenceResponse> deserializer;
  private final ExecutorService sender;
  private final Thread replyThread;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final InlineSends inline = new InlineSends();
  private final AtomicInteger inflight = new AtomicInteger();
  private volatile boolean running = true;

  /**
   * In-flight limit, how long a send may wait for metadata, and the largest encoded request (key,
   * value and headers) the bridge produces.
   */
  public record Limits(int maxInflight, long maxBlockMs, int maxRecordBytes) {}

  /**
   * A call waiting for its reply; {@code acknowledged} turns true when Kafka has the request (all
   * in-sync replicas), so a deadline can say whether the model or Kafka kept the caller waiting.
   */
  private record Pending(
      Context context,
      Promise<InferenceResponse> promise,
      long timerId,
      long startNanos,
      AtomicBoolean acknowledged) {}

  public KafkaBridge(
      Vertx vertx,
      KafkaConnection bootstrap,
      SchemaRegistryClient registry,
      int maxMessageBytes,
      String replyTopic,
      Limits limits,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.replyTopic = replyTopic;
    this.maxInflight = limits.maxInflight();
    this.maxRecordBytes = limits.maxRecordBytes();
    this.metrics = metrics;
    Map<String, Object> producerConfig = ClientConfigs.producer(bootstrap, maxMessageBytes);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaskade-gateway-" + replyTopic);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, limits.maxBlockMs());
    this.producer = new KafkaProducer<>(producerConfig);
    Map<String, Object> consumerConfig = ClientConfigs.consumer(bootstrap, null, maxMessageBytes);
    consumerConfig.put("client.id", "kaskade-gateway-replies-" + replyTopic);
    this.replies = new KafkaConsumer<>(consumerConfig);
    this.serializer = new AvroSerializer<>(registry);
    this.deserializer = new AvroDeserializer<>(registry, InferenceResponse.class);
    // A send blocks while its topic's metadata is missing; virtual threads keep one slow topic
    // from holding up the others.
    this.sender =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("kaskade-gateway-send-", 0).factory());
    this.replyThread = daemon(this::readReplies, "kaskade-gateway-replies");
  }

  /** Assigns every partition of the reply topic from its end and starts reading. */
  public void start() {
    List<TopicPartition> partitions = Partitions.of(replies, replyTopic, Duration.ofSeconds(30));
    replies.assign(partitions);
    replies.seekToEnd(partitions);
    partitions.forEach(replies::position);
    replyThread.start();
  }

  public String replyTopic() {
    return replyTopic;
  }

  public int inflight() {
    return inflight.get();
  }

  /**
   * Sends the call and returns the reply. Fails with RESOURCE_EXHAUSTED when too many calls wait,
   * UNAVAILABLE when Kafka refuses the record, DEADLINE_EXCEEDED when no reply comes in time.
   */
  public Future<InferenceResponse> send(Call call) {
    return send(call, UUID.randomUUID().toString());
  }

  /**
   * As {@link #send(Call)}, matching the reply on the caller's own correlation id (a streamed
   * generation uses its request id, so its events and a failure reply meet in one place).
   */
  public Future<InferenceResponse> send(Call call, String correlationId) {
    Context context = vertx.getOrCreateContext();
    if (inflight.incrementAndGet() > maxInflight) {
      inflight.decrementAndGet();
      return Future.failedFuture(
          new KaskadeException(
              Reason.RESOURCE_EXHAUSTED,
              "Too many requests in flight (limit %d, setting gateway.max.inflight); retry later."
                  .formatted(maxInflight)));
    }
    Promise<InferenceResponse> promise = Promise.promise();
    long remaining = Math.max(1, call.deadlineEpochMs() - System.currentTimeMillis());
    long timeout = call.deadlineEpochMs() - call.request().getCreatedEpochMs();
    long timer = vertx.setTimer(remaining, id -> expire(correlationId, timeout));
    pending.put(
        correlationId,
        new Pending(context, promise, timer, System.nanoTime(), new AtomicBoolean()));
    if (!inline.warm(call.route().topic(), System.currentTimeMillis())) {
      offload(() -> produce(call, correlationId), correlationId);
      return promise.future();
    }
    // The topic took a request moments ago: its schema id is known, so encoding calls no registry.
    Encoded encoded = encode(call, correlationId);
    if (encoded != null && inline.hasRoomFor(encoded.size())) {
      deliver(call, correlationId, encoded);
    } else if (encoded != null) {
      offload(() -> deliver(call, correlationId, encoded), correlationId);
    }
    return promise.future();
  }

  /**
   * Sends a copy of the call's request to a shadow revision, fire and forget: no reply-to, and the
   * worker answers to {@code shadowResponses} (via {@code kaskade-response-topic}). A failure is
   * counted and logged, never seen by the caller.
   */
  public void mirror(Call call, String shadowTopic, String shadowResponses, String revision) {
    InferenceRequest request = call.request();
    sender.execute(
        () -> {
          try {
            ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(
                    shadowTopic, request.getId(), serializer.serialize(shadowTopic, request));
            Headers h = record.headers();
            KaskadeHeaders.put(h, KaskadeHeaders.REQUEST_ID, request.getId());
            KaskadeHeaders.put(h, KaskadeHeaders.MODEL, request.getModel());
            KaskadeHeaders.put(h, KaskadeHeaders.NAMESPACE, request.getNamespace());
            KaskadeHeaders.put(h, KaskadeHeaders.MODEL_VERSION, revision);
            KaskadeHeaders.put(h, KaskadeHeaders.RESPONSE_TOPIC, shadowResponses);
            KaskadeHeaders.put(h, KaskadeHeaders.SHADOW, "true");
            KaskadeHeaders.put(h, KaskadeHeaders.TRACEPARENT, call.traceparent());
            KaskadeHeaders.put(h, KaskadeHeaders.SUBJECT, call.subject());
            producer.send(
                record,
                (metadata, error) -> {
                  if (error != null) {
                    LOG.warn("shadow copy to {} failed: {}", shadowTopic, error.getMessage());
                  }
                });
          } catch (RuntimeException e) {
            LOG.warn("shadow copy to {} failed: {}", shadowTopic, e.getMessage());
          }
        });
  }

  private ProducerRecord<String, byte[]> record(Call call, String correlationId) {
    InferenceRequest request = call.request();
    byte[] value = serializer.serialize(call.route().topic(), request);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(call.route().topic(), request.getId(), value);
    Headers h = record.headers();
    KaskadeHeaders.put(h, KaskadeHeaders.REPLY_TO, replyTopic);
    KaskadeHeaders.put(h, KaskadeHeaders.CORRELATION_ID, correlationId);
    KaskadeHeaders.put(h, KaskadeHeaders.REQUEST_ID, request.getId());
    KaskadeHeaders.put(h, KaskadeHeaders.MODEL, request.getModel());
    KaskadeHeaders.put(h, KaskadeHeaders.NAMESPACE, request.getNamespace());
    KaskadeHeaders.put(h, KaskadeHeaders.DEADLINE, Long.toString(call.deadlineEpochMs()));
    KaskadeHeaders.put(h, KaskadeHeaders.PROTOCOL, call.protocol());
    KaskadeHeaders.put(h, KaskadeHeaders.TRACEPARENT, call.traceparent());
    KaskadeHeaders.put(h, KaskadeHeaders.SUBJECT, call.subject());
    if (!call.route().revision().isEmpty()) {
      KaskadeHeaders.put(h, KaskadeHeaders.MODEL_VERSION, call.route().revision());
    }
    if (call.streamTo() != null) {
      KaskadeHeaders.put(h, KaskadeHeaders.STREAM_TO, call.streamTo());
    }
    return record;
  }

  /** Runs a send on a virtual thread, where waiting for metadata or buffer room blocks no loop. */
  private void offload(Runnable send, String correlationId) {
    try {
      sender.execute(send);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      fail(correlationId, KaskadeException.unavailable("The gateway is shutting down."));
    }
  }

  /** On a virtual thread: encoding may call the registry, and the send may wait for metadata. */
  private void produce(Call call, String correlationId) {
    if (!pending.containsKey(correlationId)) {
      return; // already expired while queued
    }
    Encoded encoded = encode(call, correlationId);
    if (encoded != null) {
      deliver(call, correlationId, encoded);
    }
  }

  /** A request record and its size as the broker counts it. */
  private record Encoded(ProducerRecord<String, byte[]> record, long size) {}

  /** The call's record, or null when it cannot be sent (the call has then failed). */
  private Encoded encode(Call call, String correlationId) {
    ProducerRecord<String, byte[]> record;
    try {
      record = record(call, correlationId);
    } catch (RuntimeException e) {
      LOG.warn("cannot serialize a request for {}: {}", call.route().topic(), e.toString());
      fail(correlationId, EncodingFailure.of(call.route().model(), e));
      return null;
    }
    long size = RecordSize.of(record);
    if (size > maxRecordBytes) {
      fail(correlationId, RecordSize.tooLarge(size, maxRecordBytes));
      return null;
    }
    return new Encoded(record, size);
  }

  private void deliver(Call call, String correlationId, Encoded encoded) {
    String topic = encoded.record().topic();
    long size = encoded.size();
    AtomicBoolean settled = new AtomicBoolean();
    inline.sending(size);
    try {
      producer.send(
          encoded.record(),
          (metadata, error) -> {
            if (!settled.getAndSet(true)) {
              inline.settled(size);
            }
            if (error != null) {
              fail(correlationId, refused(call, error));
            } else {
              inline.acknowledged(topic, System.currentTimeMillis());
              acknowledged(correlationId);
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      if (!settled.getAndSet(true)) {
        inline.settled(size);
      }
      fail(correlationId, refused(call, e));
    }
  }

  /**
   * What the caller learns when Kafka refuses a record: the model and that it may retry, not the
   * topic or Kafka's own text (both internal); those go to the log.
   */
  private KaskadeException refused(Call call, Exception error) {
    if (error instanceof RecordTooLargeException) {
      return RecordSize.tooLarge(-1, maxRecordBytes);
    }
    LOG.warn("Kafka did not accept a request for {}: {}", call.route().topic(), error.toString());
    return new KaskadeException(
        Reason.UNAVAILABLE,
        "Kafka did not accept the request for model " + call.route().model() + "; retry later.");
  }

  private void readReplies() {
    while (running) {
      try {
        for (ConsumerRecord<String, byte[]> record : replies.poll(Duration.ofMillis(100))) {
          onReply(record);
        }
      } catch (WakeupException e) {
        break;
      } catch (KafkaException e) {
        LOG.warn("reply reader: {}", e.toString());
      }
    }
  }

  private void onReply(ConsumerRecord<String, byte[]> record) {
    String correlationId = KaskadeHeaders.get(record.headers(), KaskadeHeaders.CORRELATION_ID);
    if (correlationId == null || !pending.containsKey(correlationId)) {
      metrics.lateReply();
      return;
    }
    InferenceResponse response;
    try {
      response = deserializer.deserialize(record.topic(), record.value());
    } catch (SerializationFailure e) {
      fail(
          correlationId,
          new KaskadeException(Reason.INTERNAL, "undecodable reply: " + e.getMessage()));
      return;
    }
    Pending p = pending.remove(correlationId);
    if (p == null) {
      metrics.lateReply();
      return;
    }
    finish(p);
    metrics.kafkaRoundTrip(System.nanoTime() - p.startNanos());
    p.context().runOnContext(v -> p.promise().tryComplete(response));
  }

  /**
   * Ends a call without a reply: a streamed generation that finished (or was cancelled) through its
   * events frees its in-flight slot and deadline timer here.
   */
  public void release(String correlationId) {
    Pending p = pending.remove(correlationId);
    if (p != null) {
      finish(p);
    }
  }

  private void acknowledged(String correlationId) {
    Pending p = pending.get(correlationId);
    if (p != null) {
      p.acknowledged().set(true);
    }
  }

  /** The deadline passed without a reply: the message says whether Kafka had the request. */
  private void expire(String correlationId, long waitedMs) {
    Pending p = pending.get(correlationId);
    fail(correlationId, DeadlineFailure.of(waitedMs, p == null || p.acknowledged().get()));
  }

  private void fail(String correlationId, KaskadeException error) {
    Pending p = pending.remove(correlationId);
    if (p == null) {
      return;
    }
    finish(p);
    p.context().runOnContext(v -> p.promise().tryFail(error));
  }

  private void finish(Pending p) {
    inflight.decrementAndGet();
    vertx.cancelTimer(p.timerId());
  }

  @Override
  public void close() {
    running = false;
    for (String id : List.copyOf(pending.keySet())) {
      fail(id, KaskadeException.unavailable("The gateway is shutting down."));
    }
    sender.shutdown();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replies.wakeup();
    try {
      replyThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replies.close(Duration.ofSeconds(2));
    producer.close(Duration.ofSeconds(2));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
