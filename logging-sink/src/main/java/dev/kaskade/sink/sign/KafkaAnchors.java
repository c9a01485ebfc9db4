package dev.kaskade.sink.sign;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The anchor topic (compacted, one key per source partition, {@link SignedHeads} JSON values):
 * publishes the sink's latest signed heads and reads back the newest statement of each partition.
 * Only the sink's principal should be allowed to write it.
 */
public final class KafkaAnchors implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  public KafkaAnchors(KafkaConnection bootstrap, String topic) {
    this.producer = new KafkaProducer<>(ClientConfigs.producer(bootstrap, 1 << 20));
    this.topic = topic;
  }

  /** Publishes and waits until every statement is acknowledged. */
  public void publish(List<SignedHeads> heads) throws IOException {
    try {
      for (SignedHeads h : heads) {
        producer
            .send(new ProducerRecord<>(topic, h.anchorKey(), h.toJson()))
            .get(10, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IOException("cannot publish audit anchors to " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted publishing audit anchors", e);
    }
  }

  /**
   * The statement with the highest sequence of every source partition, read from the beginning of
   * the topic to its end. Throws when the topic cannot be read within the timeout.
   */
  public static List<SignedHeads> read(KafkaConnection bootstrap, String topic, Duration timeout)
      throws IOException {
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, null, 1 << 20);
    config.put("default.api.timeout.ms", (int) timeout.toMillis());
    Map<String, SignedHeads> newest = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, timeout)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IOException("timed out reading audit anchors from " + topic);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          SignedHeads h = SignedHeads.fromJson(r.value());
          newest.merge(h.anchorKey(), h, (a, b) -> b.sequence() >= a.sequence() ? b : a);
        }
      }
    } catch (KafkaException e) {
      throw new IOException("cannot read audit anchors from " + topic + ": " + e, e);
    }
    return List.copyOf(newest.values());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }
}
