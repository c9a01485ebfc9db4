package dev.kaskade.schemas.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka client settings shared by every data-plane component, so that max message size agrees with
 * the topics and latency settings are chosen once (see docs/benchmarks.md for why), and the one
 * place where the client security settings ({@link KafkaSecurity}) are applied: every producer,
 * consumer, admin and Streams config in Kaskade is built here from a {@link KafkaConnection}.
 */
public final class ClientConfigs {
  private ClientConfigs() {}

  /**
   * Low-latency, durable producer: {@code acks=all} with idempotence (no duplicates on retry),
   * {@code linger.ms=0} so a synchronous call is never held back waiting for a batch (Kafka still
   * batches whatever accumulates while a send is in flight).
   */
  public static Map<String, Object> producer(KafkaConnection kafka, int maxMessageBytes) {
    Map<String, Object> config = base(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /** {@link #producer(KafkaConnection, int)} without security settings (tests, benchmarks). */
  public static Map<String, Object> producer(String bootstrap, int maxMessageBytes) {
    return producer(KafkaConnection.plaintext(bootstrap), maxMessageBytes);
  }

  /**
   * How long an idle consumer's fetch waits at the broker before it is answered empty; every
   * consumer and Streams application of Kaskade uses it (see {@link #consumer}).
   */
  public static final int FETCH_MAX_WAIT_MS = 500;

  /**
   * The fetch wait of a consumer that only reads a topic to its end and closes (snapshots of the
   * control topics): it never idles, so the long poll would only slow each read's last fetch.
   */
  public static final int FETCH_MAX_WAIT_MS_SHORT = 100;

  /**
   * Consumer with manual commits and a long-poll fetch: with {@code fetch.min.bytes=1} the broker
   * answers a waiting fetch as soon as one record is appended, so {@code fetch.max.wait.ms} only
   * bounds how often an idle consumer asks again. A 1 ms wait measured the same round trip
   * (KafkaHopBenchmark) but kept an idle {@code kaskade up} at 75% of a core polling; 100 ms took
   * that to about 20%, and 500 ms (Kafka's default) halves what is left apart from the JIT
   * (docs/performance.md, change 3).
   */
  public static Map<String, Object> consumer(
      KafkaConnection kafka, String groupId, int maxMessageBytes) {
    Map<String, Object> config = base(kafka);
    if (groupId != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(maxMessageBytes, 52_428_800));
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  /** {@link #consumer(KafkaConnection, String, int)} without security settings (tests). */
  public static Map<String, Object> consumer(
      String bootstrap, String groupId, int maxMessageBytes) {
    return consumer(KafkaConnection.plaintext(bootstrap), groupId, maxMessageBytes);
  }

  /** Admin client: bootstrap and security settings only. */
  public static Map<String, Object> admin(KafkaConnection kafka) {
    return base(kafka);
  }

  /**
   * Adds bootstrap servers and security settings to Kafka Streams properties (Streams passes the
   * unprefixed security keys to its producer, consumers and admin alike).
   */
  public static Properties streams(KafkaConnection kafka, Properties properties) {
    properties.putAll(base(kafka));
    return properties;
  }

  private static Map<String, Object> base(KafkaConnection kafka) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return kafka.security().applyTo(config);
  }
}
