package dev.kaskade.loadtests.workers;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain Kafka client exactly as docs/async-inference.md shows one: a {@link KafkaProducer} with
 * {@link AvroSerializer} writes {@code InferenceRequest}s (key = request id) and a {@link
 * KafkaConsumer} with {@link AvroDeserializer} reads the responses topic in its own group, matching
 * answers to requests by key. {@link #send} returns a future that completes with the response, or
 * exceptionally on an error response or after the timeout.
 *
 * <p>It also keeps histograms of what the worker reported in each successful response ({@code
 * queue_time_us}, {@code compute_time_us}, {@code batch_size}).
 */
public final class AsyncClient implements AutoCloseable {
  private final KafkaProducer<String, InferenceRequest> producer;
  private final KafkaConsumer<String, InferenceResponse> consumer;
  private final Map<String, CompletableFuture<InferenceResponse>> pending =
      new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errorCodes = new ConcurrentSkipListMap<>();
  private final Duration timeout;
  private final Thread poller;
  private volatile boolean running = true;

  // written by the poller thread only; read after a phase ended
  private final Histogram queueUs = new Histogram(3_600_000_000L, 3);
  private final Histogram computeUs = new Histogram(3_600_000_000L, 3);
  private final Histogram batchSize = new Histogram(1_000_000L, 3);

  /**
   * @param producerOverrides producer settings added to the docs' plain config (empty = exactly the
   *     docs)
   */
  public AsyncClient(
      String bootstrap,
      SchemaRegistryClient registry,
      String responsesTopic,
      String group,
      Map<String, Object> producerOverrides,
      Duration timeout) {
    this.timeout = timeout;
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerProps.putAll(producerOverrides);
    producer =
        new KafkaProducer<>(
            producerProps, new StringSerializer(), new AvroSerializer<InferenceRequest>(registry));
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            new AvroDeserializer<>(registry, InferenceResponse.class));
    consumer.subscribe(List.of(responsesTopic));
    poller = Thread.ofPlatform().name("bench-responses").start(this::poll);
  }

  /** Produces the request to {@code topic} and returns its answer's future. */
  public CompletableFuture<InferenceResponse> send(String topic, InferenceRequest request) {
    String id = request.getId();
    CompletableFuture<InferenceResponse> future = new CompletableFuture<>();
    pending.put(id, future);
    producer.send(
        new ProducerRecord<>(topic, id, request),
        (metadata, error) -> {
          if (error != null && pending.remove(id) != null) {
            future.completeExceptionally(error);
            errorCodes.computeIfAbsent("PRODUCE_FAILED", k -> new LongAdder()).increment();
          }
        });
    return future
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, error) -> {
              if (error instanceof java.util.concurrent.TimeoutException
                  && pending.remove(id) != null) {
                errorCodes.computeIfAbsent("TIMEOUT", k -> new LongAdder()).increment();
              }
            });
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<String, InferenceResponse> record :
            consumer.poll(Duration.ofMillis(100))) {
          CompletableFuture<InferenceResponse> future = pending.remove(record.key());
          if (future == null) {
            continue; // not ours, or a duplicate
          }
          InferenceResponse response = record.value();
          if (response.getError() != null) {
            errorCodes
                .computeIfAbsent(response.getError().getCode(), k -> new LongAdder())
                .increment();
            future.completeExceptionally(
                new IllegalStateException(
                    response.getError().getCode() + ": " + response.getError().getMessage()));
          } else {
            queueUs.recordValue(Math.max(0, response.getQueueTimeUs()));
            computeUs.recordValue(Math.max(0, response.getComputeTimeUs()));
            batchSize.recordValue(Math.max(1, response.getBatchSize()));
            future.complete(response);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  /** Error responses, produce failures and timeouts by code since the last reset. */
  public synchronized Map<String, Long> errorCodes() {
    Map<String, Long> out = new java.util.TreeMap<>();
    errorCodes.forEach((code, count) -> out.put(code, count.sum()));
    return out;
  }

  /** Worker-reported numbers of the successful responses since the last reset. */
  synchronized Reported reported() {
    return new Reported(
        queueUs.getValueAtPercentile(50),
        queueUs.getValueAtPercentile(99),
        computeUs.getValueAtPercentile(50),
        computeUs.getValueAtPercentile(99),
        batchSize.getMean(),
        batchSize.getMaxValue());
  }

  /** Call between phases, when nothing is outstanding. */
  public synchronized void reset() {
    errorCodes.clear();
    queueUs.reset();
    computeUs.reset();
    batchSize.reset();
  }

  /** What the worker reported: queue and compute time (µs) and batch size of the executions. */
  public record Reported(
      long queueP50Us,
      long queueP99Us,
      long computeP50Us,
      long computeP99Us,
      double meanBatch,
      long maxBatch) {}

  public int outstanding() {
    return pending.size();
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
    producer.close(Duration.ofSeconds(5));
  }
}
