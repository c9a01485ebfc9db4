package dev.kaskade.sink;

import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.runtime.BackgroundPriority;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.PoisonRecords;
import dev.kaskade.sink.chain.SinkWriter;
import dev.kaskade.sink.sign.HeadSigner;
import dev.kaskade.sink.sign.KafkaAnchors;
import dev.kaskade.sink.store.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming loop of the audit sink: polls the audit topic, appends records to the {@link
 * SinkWriter} and flushes every {@code flushMs}; only after a flush is durable are the Kafka
 * offsets committed. Positions come from the store's checkpoints, not from Kafka, so that a crash
 * anywhere (before files, between files, before the checkpoint, before the commit) resumes exactly
 * after the last durable record. A failed flush rewinds the assigned partitions to their
 * checkpoints and retries.
 */
public final class AuditSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final String deadLetterTopic;
  private final String topic;
  private final SinkWriter writer;
  private final AvroDeserializer<PayloadAuditRecord> deserializer;
  private final long flushMs;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean crash = new AtomicBoolean(false);
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final Set<TopicPartition> owned = new java.util.HashSet<>();
  private final Thread thread;
  private final KafkaAnchors anchors;
  private final long anchorMs;
  private long lastAnchor;
  private long lastFlush = System.currentTimeMillis();

  /** The positions the last successful flush checkpointed and committed; null after a failure. */
  private Map<Integer, Long> lastFlushed;

  private volatile long stored;

  /**
   * Starts the loop on its own thread.
   *
   * @param consumerConfig consumer settings (group id set, auto commit off, read_committed)
   * @param deadLetters producer for undecodable records
   */
  public AuditSink(
      Map<String, Object> consumerConfig,
      KafkaProducer<byte[], byte[]> deadLetters,
      String topic,
      String deadLetterTopic,
      BlobStore store,
      SchemaRegistryClient registry,
      long flushMs) {
    this(consumerConfig, deadLetters, topic, deadLetterTopic, store, registry, flushMs, null);
  }

  /**
   * Signed heads after every checkpoint, anchored outside the store.
   *
   * @param signing the signer and where its statements go, or null for an unsigned store
   */
  public AuditSink(
      Map<String, Object> consumerConfig,
      KafkaProducer<byte[], byte[]> deadLetters,
      String topic,
      String deadLetterTopic,
      BlobStore store,
      SchemaRegistryClient registry,
      long flushMs,
      Signing signing) {
    this.anchors = signing == null ? null : signing.anchors();
    this.anchorMs = signing == null ? 0 : signing.anchorMs();
    this.consumer = new KafkaConsumer<>(consumerConfig);
    this.deadLetters = deadLetters;
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.writer = new SinkWriter(store, topic, signing == null ? null : signing.signer());
    this.deserializer = new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    this.flushMs = flushMs;
    this.thread = Thread.ofPlatform().name("audit-sink").start(this::run);
  }

  /**
   * Signing of the store's heads.
   *
   * @param signer signs each checkpoint's heads
   * @param anchors where the latest signed heads are published (null: only in the store)
   * @param anchorMs how often to publish them (and once more at shutdown)
   */
  public record Signing(HeadSigner signer, KafkaAnchors anchors, long anchorMs) {}

  /** Waits until partitions were assigned once (for tests and startup). */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Records made durable since start. */
  public long stored() {
    return stored;
  }

  private void run() {
    BackgroundPriority.lowerCurrentThread(); // no caller waits on the audit: calls' threads first
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          append(record);
        }
        if (crash.get()) {
          return;
        }
        if (System.currentTimeMillis() - lastFlush >= flushMs) {
          flushOrRewind();
          anchor(false);
        }
      }
      flushOrRewind();
      anchor(true);
    } catch (WakeupException e) {
      if (!crash.get()) {
        flushOrRewind();
        anchor(true);
      }
    } catch (RuntimeException e) {
      LOG.error("audit sink stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void append(ConsumerRecord<String, byte[]> record) {
    PayloadAuditRecord audit;
    try {
      audit = deserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn("dead-lettering {}", PoisonRecords.describe(record, e));
      deadLetters.send(
          PoisonRecords.deadLetter(
              deadLetterTopic,
              new ConsumerRecord<>(
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                  record.value()),
              Reason.DESERIALIZATION_FAILED,
              e.getMessage()));
      return;
    }
    if (audit != null) {
      writer.append(record.partition(), record.offset(), record.timestamp(), audit);
    }
  }

  private void flushOrRewind() {
    lastFlush = System.currentTimeMillis();
    Set<TopicPartition> partitions = consumer.assignment();
    if (partitions.isEmpty()) {
      return;
    }
    Map<Integer, Long> next = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (TopicPartition tp : partitions) {
      long position = consumer.position(tp);
      next.put(tp.partition(), position);
      commit.put(tp, new OffsetAndMetadata(position));
    }
    int count = writer.buffered();
    if (count == 0 && next.equals(lastFlushed)) {
      return; // idle: the checkpoints and the committed offsets already say this
    }
    try {
      deadLetters.flush();
      writer.flush(next);
      stored += count;
      commit(commit);
      lastFlushed = next;
    } catch (IOException | RuntimeException e) {
      lastFlushed = null;
      LOG.warn("audit store flush failed, rewinding to the last checkpoint: {}", e.toString());
      rewind(partitions);
    }
  }

  /**
   * Publishes the latest signed heads every {@code anchorMs} and at shutdown. A failure is logged
   * and retried at the next interval: the store stays consistent, only the anchor lags.
   */
  private void anchor(boolean now) {
    long t = System.currentTimeMillis();
    if (anchors == null || (!now && t - lastAnchor < anchorMs)) {
      return;
    }
    lastAnchor = t;
    try {
      anchors.publish(writer.signedHeads());
    } catch (IOException e) {
      LOG.warn("audit anchors not published: {}", e.getMessage());
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      consumer.commitSync(offsets); // close() woke us mid-commit; a wakeup fires only once
    }
  }

  private void rewind(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      try {
        long next = writer.recover(tp.partition());
        if (next < 0) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, next);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot recover " + tp + " from the store", e);
      }
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!crash.get()) {
        flushOrRewind();
      }
      owned.removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      rewind(partitions);
      owned.addAll(partitions);
      assigned.countDown();
    }
  }

  /** Stops after a final flush and commit. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    join();
  }

  /**
   * Simulates a crash: stops at once, dropping buffered records without a flush, checkpoint or
   * commit (for tests of crash recovery).
   */
  public void halt() {
    crash.set(true);
    running.set(false);
    consumer.wakeup();
    join();
  }

  private void join() {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
