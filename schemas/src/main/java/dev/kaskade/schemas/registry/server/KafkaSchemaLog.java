package dev.kaskade.schemas.registry.server;

import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.KafkaConnection;
import dev.kaskade.schemas.registry.SchemaRegistryException;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.TopicSpec;
import dev.kaskade.schemas.topic.TopicSpecs;
import dev.kaskade.schemas.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's store: one partition of a compacted topic, read from the beginning by a reader
 * thread that applies every record to {@link RegistryState}. Writers append and wait until the
 * reader has applied their record, so the state is the single source of truth and every instance
 * reading the topic converges on the same state.
 */
final class KafkaSchemaLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final SchemaRegistryServer.Options options;
  private final RegistryState state;
  private final TopicPartition partition;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread reader;
  private long position;
  private volatile boolean running;
  private boolean closed;

  KafkaSchemaLog(SchemaRegistryServer.Options options, RegistryState state) {
    this.options = options;
    this.state = state;
    this.partition = new TopicPartition(options.topic(), 0);
  }

  /** Creates the topic if missing, starts the reader and waits until it has read to the end. */
  void start() {
    admin =
        Admin.create(clientConfigs(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"))));
    ensureTopic();
    producer =
        new KafkaProducer<>(
            producerConfigs(), new ByteArraySerializer(), new ByteArraySerializer());
    consumer =
        new KafkaConsumer<>(
            consumerConfigs(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    running = true;
    reader =
        Thread.ofPlatform().daemon().name("kaskade-schema-registry-reader").start(this::readLoop);
    sync();
  }

  /** Waits until every record acknowledged before this call has been applied to the state. */
  void sync() {
    long end;
    try {
      end =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .partitionResult(partition)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .offset();
    } catch (ExecutionException | TimeoutException e) {
      throw storeError("cannot read the end of " + options.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw storeError("interrupted reading the end of " + options.topic(), e);
    }
    awaitPosition(end);
  }

  /** Appends a record and waits until the reader has applied it. */
  void append(byte[] key, byte[] value) {
    long offset;
    try {
      offset =
          producer
              .send(new ProducerRecord<>(options.topic(), 0, key, value))
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .offset();
    } catch (ExecutionException | TimeoutException e) {
      throw storeError("cannot write to " + options.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw storeError("interrupted writing to " + options.topic(), e);
    }
    awaitPosition(offset + 1);
  }

  private void awaitPosition(long target) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    lock.lock();
    try {
      while (position < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          throw new SchemaRegistryException(
              500,
              SchemaRegistryException.OPERATION_TIMEOUT,
              "timed out reading " + options.topic() + " up to offset " + target);
        }
        advanced.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw storeError("interrupted reading " + options.topic(), e);
    } finally {
      lock.unlock();
    }
  }

  private void readLoop() {
    while (running) {
      try {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          applyQuietly(record);
        }
        long next = consumer.position(partition);
        lock.lock();
        try {
          position = next;
          advanced.signalAll();
        } finally {
          lock.unlock();
        }
      } catch (WakeupException e) {
        break;
      } catch (RuntimeException e) {
        LOG.warn("schema registry reader on {}: {}", options.topic(), e.toString());
        pauseAfterFailure();
      }
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  private void pauseAfterFailure() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void applyQuietly(ConsumerRecord<byte[], byte[]> record) {
    try {
      StoreRecords.apply(state, record.key(), record.value());
    } catch (Exception e) {
      LOG.warn(
          "skipping unreadable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
    }
  }

  private void ensureTopic() {
    TopicSpec template =
        new TopicSpecs(Topics.withDefaultPrefix(), TopicSettings.standalone()).schemasTopic();
    TopicSpec spec = new TopicSpec(options.topic(), 1, template.configs(), null);
    new TopicProvisioner(admin, null, options.replicationFactor()).ensure(spec);
  }

  private Map<String, Object> clientConfigs(Map<String, Object> specific) {
    Map<String, Object> configs =
        ClientConfigs.admin(KafkaConnection.plaintext(options.bootstrapServers()));
    configs.putAll(options.kafkaConfigs());
    configs.putAll(specific);
    return configs;
  }

  private Map<String, Object> producerConfigs() {
    return clientConfigs(
        Map.of(
            ProducerConfig.CLIENT_ID_CONFIG,
            clientId("writer"),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            0,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) TIMEOUT.toMillis()));
  }

  private Map<String, Object> consumerConfigs() {
    return clientConfigs(
        Map.of(
            ConsumerConfig.CLIENT_ID_CONFIG,
            clientId("reader"),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"));
  }

  private String clientId(String role) {
    return "kaskade-schema-registry-"
        + role
        + "-"
        + Integer.toHexString(System.identityHashCode(this));
  }

  private static SchemaRegistryException storeError(String message, Exception cause) {
    Throwable root =
        cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
    SchemaRegistryException error =
        new SchemaRegistryException(
            500, SchemaRegistryException.STORE_ERROR, message + ": " + root);
    error.initCause(root);
    return error;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (reader != null) {
      try {
        reader.join(TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
