package dev.kaskade.processors.audit;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.processors.kafka.DeadLetters;
import dev.kaskade.processors.kafka.Failures;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.net.HostDenyList;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.schemas.tensor.V2Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers audit records as CloudEvents over HTTP (binary content mode, KServe's logger headers) to
 * the url of each InferenceService's logger. It is its own consumer group on the audit topic, so a
 * slow or dead receiver delays only this delivery, never inference. Each logger URL has its own
 * queue, thread and circuit breaker ({@link Endpoint}), so one dead URL delays only its own events;
 * events that cannot be delivered go to the dead-letter topic with the reason in headers. Header
 * values are percent-encoded ({@link HeaderValues}), so no request id can break a send.
 *
 * <p>Its consumer joins the group only once some InferenceService has a logger url: until then no
 * event is due, and reading (and decoding) every audit record to find that out cost a fetch per
 * audit batch and an offset commit per poll. A group that has never committed starts at the time
 * the first url was applied, less {@link #CLOCK_TOLERANCE_MS}, so no event of that url is missed by
 * starting late (docs/audit.md).
 */
public final class CloudEventsHttpDelivery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CloudEventsHttpDelivery.class);

  /**
   * Retry policy.
   *
   * @param attempts tries per event (at least 1)
   * @param backoffMs first wait between tries, doubled each time up to 10 s
   * @param timeoutMs per-request timeout
   */
  public record Retry(int attempts, long backoffMs, long timeoutMs) {
    public Retry {
      attempts = Math.max(1, attempts);
    }
  }

  /**
   * Per-endpoint isolation.
   *
   * @param queueCapacity events queued per logger URL before new ones are dead-lettered
   * @param breakerMs how long a URL whose event exhausted its tries gets no tries
   * @param maxEndpoints logger URLs with a queue and thread at once; events for another URL are
   *     dead-lettered (RESOURCE_EXHAUSTED) until one goes idle
   * @param idleMs an endpoint with nothing queued or sent for this long is closed (its thread ends)
   */
  public record Isolation(int queueCapacity, long breakerMs, int maxEndpoints, long idleMs) {}

  /** How far before a url's control record the first start reads (producers' clocks differ). */
  static final long CLOCK_TOLERANCE_MS = 5_000;

  private static final long DEMAND_CHECK_MS = 500;

  private final KafkaConsumer<String, byte[]> consumer;
  private final String auditTopic;
  private final LoggerPolicyView policies;
  private final AvroDeserializer<PayloadAuditRecord> deserializer;
  private final HttpClient http;
  private final Retry retry;
  private final Isolation isolation;
  private final Producer<String, byte[]> deadLetters;
  private final String deadLetterTopic;
  private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  CloudEventsHttpDelivery(
      Map<String, Object> consumerConfig,
      String auditTopic,
      LoggerPolicyView policies,
      SchemaRegistryClient registry,
      Retry retry,
      Isolation isolation,
      Producer<String, byte[]> deadLetters,
      String deadLetterTopic) {
    this.consumer = new KafkaConsumer<>(consumerConfig);
    this.auditTopic = auditTopic;
    this.policies = policies;
    this.deserializer = new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    this.retry = retry;
    this.isolation = isolation;
    this.deadLetters = deadLetters;
    this.deadLetterTopic = deadLetterTopic;
    this.http =
        HttpClient.newBuilder().connectTimeout(Duration.ofMillis(retry.timeoutMs())).build();
    this.thread = Thread.ofPlatform().daemon().name("payload-logger-http").start(this::run);
  }

  /**
   * Reads audit records and hands their events to the endpoint of their logger URL. Offsets are
   * committed once the events are queued: an event still queued when the process dies is not sent
   * (the audit record itself is safe in Kafka and the sink); an event that cannot be delivered is
   * dead-lettered. A failure of one record, or of one poll, is logged and the loop goes on.
   */
  private void run() {
    try {
      OptionalLong since = awaitDemand();
      if (since.isEmpty()) {
        return; // closed before any url appeared
      }
      LOG.info("a logger url is configured: delivering CloudEvents over HTTP");
      consumer.subscribe(
          List.of(auditTopic), new StartAt(Math.max(0, since.getAsLong() - CLOCK_TOLERANCE_MS)));
      while (running.get()) {
        try {
          ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, byte[]> record : records) {
            deliverSafely(record);
          }
          if (!records.isEmpty()) {
            consumer.commitSync();
          }
          closeIdleEndpoints();
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.error("CloudEvents poll failed; going on", e);
          Failures.pauseAfterPollFailure();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** Waits until some InferenceService has a logger url; empty when closed first. */
  private OptionalLong awaitDemand() {
    while (running.get()) {
      OptionalLong since = policies.deliverySince();
      if (since.isPresent()) {
        return since;
      }
      try {
        Thread.sleep(DEMAND_CHECK_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Positions partitions the group has never committed at the first record at or after {@code
   * timestamp} (at their end when there is none); committed ones resume where they were.
   */
  private final class StartAt implements ConsumerRebalanceListener {
    private final long timestamp;

    StartAt(long timestamp) {
      this.timestamp = timestamp;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      Map<TopicPartition, Long> fresh = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (committed.get(tp) == null) {
          fresh.put(tp, timestamp);
        }
      }
      if (fresh.isEmpty()) {
        return;
      }
      consumer
          .offsetsForTimes(fresh)
          .forEach(
              (tp, found) -> {
                if (found == null) {
                  consumer.seekToEnd(List.of(tp));
                } else {
                  consumer.seek(tp, found.offset());
                }
              });
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
  }

  private void deliverSafely(ConsumerRecord<String, byte[]> record) {
    try {
      deliver(record);
    } catch (Throwable e) {
      Failures.rethrowIfFatal(e);
      deadLetter(record, Reason.INTERNAL, Failures.describe(e));
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    PayloadAuditRecord audit;
    try {
      audit = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      deadLetter(record, Reason.DESERIALIZATION_FAILED, PoisonRecords.describe(record, e));
      return;
    }
    LoggerPolicy policy =
        policies.policy(audit.getCeNamespace(), audit.getCeInferenceservicename());
    if (policy == null || policy.url() == null || policy.url().isBlank()) {
      return;
    }
    Endpoint endpoint;
    try {
      endpoint = endpoint(policy.url());
    } catch (IllegalArgumentException e) {
      deadLetter(record, Reason.INVALID_ARGUMENT, "bad logger url: " + e.getMessage());
      return;
    }
    if (endpoint == null) {
      deadLetter(
          record,
          Reason.RESOURCE_EXHAUSTED,
          isolation.maxEndpoints()
              + " logger urls are being delivered to (setting audit.http"
              + ".max.endpoints)");
      return;
    }
    for (CloudEvent event : CloudEvent.of(audit, policy)) {
      endpoint.offer(new Endpoint.Item(event, record));
    }
  }

  /** The url's endpoint, started on first use; null when {@code maxEndpoints} are running. */
  private Endpoint endpoint(String url) {
    Endpoint known = endpoints.get(url);
    if (known != null) {
      return known;
    }
    URI uri = loggerUri(url);
    if (endpoints.size() >= isolation.maxEndpoints()) {
      closeIdleEndpoints();
      if (endpoints.size() >= isolation.maxEndpoints()) {
        return null;
      }
    }
    return endpoints.computeIfAbsent(
        url,
        u ->
            new Endpoint(
                safeName(uri),
                event -> post(uri, event),
                this::undelivered,
                retry,
                isolation.queueCapacity(),
                isolation.breakerMs(),
                System::currentTimeMillis));
  }

  /** Closes endpoints idle for {@code idleMs} (called from the poll thread, which alone adds). */
  private void closeIdleEndpoints() {
    endpoints
        .entrySet()
        .removeIf(
            e -> {
              if (!e.getValue().isIdle(isolation.idleMs())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  /**
   * The logger url as a URI; IllegalArgumentException unless it is http(s) with a host that is not
   * a link-local or cloud-metadata address ({@link HostDenyList#DEFAULT_DENIED}, the model
   * storage's default deny list): this pod is shared by every tenant, so a manifest must not make
   * it POST to the metadata service.
   */
  static URI loggerUri(String url) {
    URI uri = URI.create(url);
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) url with a host");
    }
    String denied = HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, uri.getHost());
    if (denied != null) {
      throw new IllegalArgumentException(
          "host " + uri.getHost() + " is a link-local or metadata address (" + denied + ")");
    }
    return uri;
  }

  /** The url without user info or query, which may hold secrets, for thread names and logs. */
  static String safeName(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private int post(URI url, CloudEvent event) throws java.io.IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofMillis(retry.timeoutMs()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
    event.headers().forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @SuppressWarnings("unchecked")
  private void undelivered(Endpoint.Item item, Reason reason, String why) {
    LOG.warn("CloudEvent {} not delivered: {}", item.event().id(), why);
    deadLetter(
        (ConsumerRecord<String, byte[]>) item.source(),
        reason,
        item.event().headers().get("ce-type") + ": " + why);
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, Reason reason, String why) {
    try {
      deadLetters.send(DeadLetters.of(deadLetterTopic, record, reason, why));
    } catch (RuntimeException e) {
      LOG.error("cannot dead-letter audit record {}: {}", record.offset(), e.toString());
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Each endpoint dead-letters what it still holds, so the producer closes only after them all.
    endpoints.values().forEach(Endpoint::close);
    deadLetters.close(Duration.ofSeconds(2));
  }

  /** One CloudEvent in HTTP binary content mode: ce-* headers and a V2 JSON body. */
  record CloudEvent(String id, Map<String, String> headers, byte[] body) {
    static List<CloudEvent> of(PayloadAuditRecord audit, LoggerPolicy policy) {
      List<CloudEvent> events = new java.util.ArrayList<>();
      if (policy.logsRequests() && audit.getRequest() != null) {
        events.add(
            event(
                audit,
                CloudEventAttributes.REQUEST_TYPE,
                audit.getCeTime(),
                V2Json.bytes(V2Json.request(audit.getRequest()))));
      }
      // KServe sends the response event only for a successful (HTTP 200) upstream answer.
      if (policy.logsResponses()
          && audit.getResponse() != null
          && audit.getResponse().getError() == null) {
        long time = audit.getResponseTime() == null ? audit.getCeTime() : audit.getResponseTime();
        events.add(
            event(
                audit,
                CloudEventAttributes.RESPONSE_TYPE,
                time,
                V2Json.bytes(V2Json.response(audit.getResponse()))));
      }
      return events;
    }

    private static CloudEvent event(PayloadAuditRecord audit, String type, long time, byte[] body) {
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      headers.put("ce-specversion", "1.0");
      headers.put("ce-id", audit.getCeId());
      headers.put("ce-type", type);
      headers.put("ce-source", audit.getCeSource());
      headers.put("ce-time", Instant.ofEpochMilli(time).toString());
      headers.put("ce-recordedtime", Instant.now().toString());
      headers.put("ce-inferenceservicename", audit.getCeInferenceservicename());
      headers.put("ce-namespace", audit.getCeNamespace());
      headers.put("ce-component", audit.getCeComponent());
      headers.put("ce-endpoint", audit.getCeEndpoint());
      headers.put("ce-metadata", audit.getCeMetadata());
      headers.put("Content-Type", audit.getContentType());
      headers.values().removeIf(v -> v == null || v.isEmpty());
      headers.replaceAll((name, value) -> HeaderValues.encode(value));
      return new CloudEvent(audit.getCeId(), headers, body);
    }
  }
}
