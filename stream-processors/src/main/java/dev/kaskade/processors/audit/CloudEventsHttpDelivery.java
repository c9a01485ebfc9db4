package dev.kaskade.processors.audit;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.tensor.V2Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers audit records as CloudEvents over HTTP (binary content mode, KServe's logger headers) to
 * the url of each InferenceService's logger. It is its own consumer group on the audit topic, so a
 * slow or dead receiver delays only this delivery, never inference. At-least-once: offsets are
 * committed after a poll's records were delivered or given up on after {@code attempts} tries with
 * exponential backoff; a crash in between re-sends (receivers dedupe on ce-id + ce-type).
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

  private final KafkaConsumer<String, byte[]> consumer;
  private final LoggerPolicyView policies;
  private final AvroDeserializer<PayloadAuditRecord> deserializer;
  private final HttpClient http;
  private final Retry retry;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  CloudEventsHttpDelivery(
      Map<String, Object> consumerConfig,
      String auditTopic,
      LoggerPolicyView policies,
      SchemaRegistryClient registry,
      Retry retry) {
    this.consumer = new KafkaConsumer<>(consumerConfig);
    this.policies = policies;
    this.deserializer = new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    this.retry = retry;
    this.http =
        HttpClient.newBuilder().connectTimeout(Duration.ofMillis(retry.timeoutMs())).build();
    consumer.subscribe(List.of(auditTopic));
    this.thread = Thread.ofPlatform().daemon().name("payload-logger-http").start(this::run);
  }

  private void run() {
    try {
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> record : records) {
          deliver(record);
        }
        if (!records.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("CloudEvents delivery stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    PayloadAuditRecord audit;
    try {
      audit = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn("skipping undecodable audit record {}: {}", record.offset(), e.getMessage());
      return;
    }
    LoggerPolicy policy =
        policies.policy(audit.getCeNamespace(), audit.getCeInferenceservicename());
    if (policy == null || policy.url() == null || policy.url().isBlank()) {
      return;
    }
    for (CloudEvent event : CloudEvent.of(audit, policy)) {
      send(URI.create(policy.url()), event);
    }
  }

  private void send(URI url, CloudEvent event) {
    long backoff = retry.backoffMs();
    for (int attempt = 1; attempt <= retry.attempts() && running.get(); attempt++) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(url)
                .timeout(Duration.ofMillis(retry.timeoutMs()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
        event.headers().forEach(request::header);
        int status =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          return;
        }
        LOG.warn("CloudEvent {} to {}: HTTP {} (try {})", event.id(), url, status, attempt);
      } catch (java.io.IOException e) {
        LOG.warn("CloudEvent {} to {}: {} (try {})", event.id(), url, e.toString(), attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, 10_000);
    }
    LOG.warn("CloudEvent {} to {} given up after {} tries", event.id(), url, retry.attempts());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
      headers.values().removeIf(String::isEmpty);
      return new CloudEvent(audit.getCeId(), headers, body);
    }
  }
}
