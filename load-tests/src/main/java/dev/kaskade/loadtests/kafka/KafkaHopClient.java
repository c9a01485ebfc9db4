package dev.kaskade.loadtests.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka floor as a call: {@link #call} produces 64 bytes to {@code hop.a}, the echo (as {@link
 * KafkaHopBenchmark}'s, standing in for a worker) copies them to {@code hop.b}, and the call
 * completes when this client reads them back, matched by key. With {@code OpenLoop.closedLoop} it
 * gives the most calls per second two hops with the platform's client settings carry with a given
 * number in flight: the ceiling of any synchronous path through Kaskade on the same box.
 */
public final class KafkaHopClient implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private final KafkaProducer<String, byte[]> producer;
  private final Thread echo;
  private final Thread reader;
  private final String run = Long.toString(System.nanoTime(), 36);

  public KafkaHopClient(String bootstrap) throws Exception {
    KafkaHopBenchmark.createTopics(bootstrap);
    producer = new KafkaProducer<>(KafkaHopBenchmark.producerConfig(bootstrap));
    echo = Thread.ofPlatform().daemon().start(() -> KafkaHopBenchmark.echo(bootstrap, running));
    CompletableFuture<Void> assigned = new CompletableFuture<>();
    reader = Thread.ofPlatform().daemon().start(() -> read(bootstrap, assigned));
    assigned.get();
  }

  /** One round trip; {@code i} makes the key unique within this client. */
  public CompletableFuture<?> call(long i) {
    String key = run + "-" + i;
    CompletableFuture<Void> answer = new CompletableFuture<>();
    waiting.put(key, answer);
    producer.send(
        new ProducerRecord<>("hop.a", key, new byte[64]),
        (metadata, error) -> {
          if (error != null && waiting.remove(key) != null) {
            answer.completeExceptionally(error);
          }
        });
    return answer.orTimeout(10, TimeUnit.SECONDS).whenComplete((ok, error) -> waiting.remove(key));
  }

  /**
   * Calls until one answers: the echo's group join can take seconds on a busy machine, and what is
   * sent before it has partitions may wait for it.
   */
  public void awaitEcho(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long i = -1; System.nanoTime() < deadline; i--) {
      try {
        call(i).get(500, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        // not yet
      }
    }
    throw new IllegalStateException("the echo did not answer within " + timeout);
  }

  private void read(String bootstrap, CompletableFuture<Void> assigned) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaHopBenchmark.consumerConfig(bootstrap, null))) {
      List<TopicPartition> parts =
          List.of(new TopicPartition("hop.b", 0), new TopicPartition("hop.b", 1));
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position);
      assigned.complete(null);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          CompletableFuture<Void> answer = waiting.remove(r.key());
          if (answer != null) {
            answer.complete(null);
          }
        }
      }
    } catch (RuntimeException e) {
      assigned.completeExceptionally(e);
      throw e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    echo.join(2000);
    reader.join(2000);
    producer.close(Duration.ofSeconds(2));
    waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
  }
}
