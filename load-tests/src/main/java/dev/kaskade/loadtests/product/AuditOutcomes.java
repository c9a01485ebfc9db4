package dev.kaskade.loadtests.product;

import dev.kaskade.events.AuditOutcome;
import dev.kaskade.events.PayloadAuditRecord;
import dev.kaskade.loadtests.workers.BenchArgs;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.Partitions;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.topic.Topics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The audit records of a {@code kaskade up} by outcome: the whole audit topic, read committed, up
 * to its end when the count starts. Every call of the product benchmark is answered, so each {@code
 * NO_RESPONSE} or {@code RESPONSE_ONLY} record there is a pair the payload logger split
 * (docs/audit.md, "Priority").
 */
final class AuditOutcomes {
  private AuditOutcomes() {}

  static Map<AuditOutcome, Long> count(String bootstrap, SchemaRegistryClient registry) {
    String topic = Topics.withDefaultPrefix().auditPayloads();
    Map<String, Object> config = ClientConfigs.consumer(bootstrap, null, 16 << 20);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    AvroDeserializer<PayloadAuditRecord> records =
        new AvroDeserializer<>(registry, PayloadAuditRecord.class);
    Map<AuditOutcome, Long> outcomes = new EnumMap<>(AuditOutcome.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = Partitions.of(consumer, topic, Duration.ofSeconds(30));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          outcomes.merge(records.deserialize(topic, r.value()).getOutcome(), 1L, Long::sum);
        }
      }
    }
    return outcomes;
  }

  /** Records neither {@code PAIRED} nor filtered by a policy: lone halves. */
  static long unpaired(Map<AuditOutcome, Long> outcomes) {
    return outcomes.getOrDefault(AuditOutcome.NO_RESPONSE, 0L)
        + outcomes.getOrDefault(AuditOutcome.RESPONSE_ONLY, 0L);
  }

  /** {@code --bootstrap host:port --registry URL}: prints the count, for any running {@code up}. */
  public static void main(String[] argv) {
    BenchArgs args = new BenchArgs(argv);
    count(
            args.string("bootstrap", "127.0.0.1:9092"),
            new HttpSchemaRegistryClient(args.string("registry", "http://127.0.0.1:8085")))
        .forEach((outcome, n) -> System.out.println(outcome + " " + n));
    System.exit(0);
  }
}
