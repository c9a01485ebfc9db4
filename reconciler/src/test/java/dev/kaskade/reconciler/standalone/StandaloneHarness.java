package dev.kaskade.reconciler.standalone;

import dev.kaskade.events.ComponentStatus;
import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.SchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.TopicProvisioner;
import dev.kaskade.schemas.topic.TopicSettings;
import dev.kaskade.schemas.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kaskade context on the shared embedded broker with the real embedded schema registry; each
 * harness uses its own topic prefix so tests never see each other's records.
 */
public final class StandaloneHarness implements AutoCloseable {
  private static SchemaRegistryServer registryServer;

  public final KaskadeContext ctx;
  private final Admin admin;
  private final SchemaRegistryClient registry;

  public StandaloneHarness() {
    this(Map.of());
  }

  public StandaloneHarness(Map<String, String> settings) {
    String bootstrap = SharedKafka.get().bootstrapServers();
    registry = new HttpSchemaRegistryClient(registry(bootstrap).url());
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    String prefix = "it" + UUID.randomUUID().toString().substring(0, 8);
    try {
      ctx =
          new KaskadeContext(
              bootstrap,
              registry,
              new Topics(prefix),
              TopicSettings.standalone(),
              new TopicProvisioner(admin, registry, (short) 1),
              Files.createTempDirectory("kaskade-reconciler-it"),
              settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized SchemaRegistryServer registry(String bootstrap) {
    if (registryServer == null) {
      registryServer =
          new SchemaRegistryServer(
                  SchemaRegistryServer.Options.defaults(bootstrap)
                      .withTopic("_schemas-reconciler-it"))
              .start();
    }
    return registryServer;
  }

  /** Every record (including tombstones) of a topic, in order. */
  public List<ConsumerRecord<String, byte[]>> records(String topic) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(ClientConfigs.consumer(ctx.bootstrapServers(), null, 1 << 20))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new java.util.ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** Publishes a worker's status report as a model worker would. */
  public void reportStatus(ComponentStatus status) {
    String topic = ctx.topics().controlStatus();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ClientConfigs.producer(ctx.bootstrapServers(), 1 << 20))) {
      String key =
          ResourceKeys.status(
              status.getKind(),
              status.getNamespace(),
              status.getName(),
              status.getComponent(),
              status.getRevision(),
              status.getInstance());
      producer.send(
          new ProducerRecord<>(
              topic, key, new AvroSerializer<ComponentStatus>(registry).serialize(topic, status)));
    }
  }

  /** Writes a manifest into a fresh folder and returns the file. */
  public Path write(String fileName, String yaml) {
    try {
      Path dir = Files.createTempDirectory(ctx.dataDir(), "manifests");
      return Files.writeString(dir.resolve(fileName), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
