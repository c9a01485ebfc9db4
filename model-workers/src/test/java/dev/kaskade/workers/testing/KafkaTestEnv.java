package dev.kaskade.workers.testing;

import dev.kaskade.events.ResourceEvent;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** The shared broker and registry, and a fresh topic prefix per test. */
public final class KafkaTestEnv {
  private static SchemaRegistryServer registryServer;
  private static SchemaRegistryClient registry;
  private static Admin admin;
  private static KafkaProducer<String, byte[]> producer;

  private KafkaTestEnv() {}

  public static synchronized String bootstrap() {
    return SharedKafka.get().bootstrapServers();
  }

  /** The real embedded registry (Kafka-backed, on the shared broker), started once per JVM. */
  public static synchronized String registryUrl() {
    if (registryServer == null) {
      registryServer = SchemaRegistryServer.start(bootstrap(), 0);
      Runtime.getRuntime().addShutdownHook(new Thread(registryServer::close));
    }
    return registryServer.url();
  }

  public static synchronized SchemaRegistryClient registry() {
    if (registry == null) {
      registry = new HttpSchemaRegistryClient(registryUrl());
    }
    return registry;
  }

  public static synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }
    return admin;
  }

  /** A unique topic prefix, so tests never see each other's records. */
  public static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A context over the shared broker with the platform topics created. */
  public static KaskadeContext context(String prefix, Map<String, String> settings) {
    try {
      KaskadeContext ctx =
          new KaskadeContext(
              bootstrap(),
              registry(),
              new Topics(prefix),
              TopicSettings.standalone(),
              new TopicProvisioner(admin(), registry(), (short) 1),
              Files.createTempDirectory("kaskade-worker-it"),
              settings);
      ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              ClientConfigs.producer(bootstrap(), TopicSettings.DEFAULT_MAX_MESSAGE_BYTES));
    }
    return producer;
  }

  /** Produces an Avro value (null = tombstone) and waits for the ack. */
  public static void send(String topic, String key, SpecificRecord value, Header... headers) {
    byte[] bytes = value == null ? null : new AvroSerializer<>(registry()).serialize(topic, value);
    sendRaw(topic, key, bytes, headers);
  }

  public static void sendRaw(String topic, String key, byte[] value, Header... headers) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    for (Header header : headers) {
      record.headers().add(header);
    }
    try {
      producer().send(record).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot produce to " + topic, e);
    }
  }

  /** Publishes a resource to the control topic, as the reconciler would. */
  public static void publish(KaskadeContext ctx, ResourceEvent event) {
    send(
        ctx.topics().controlResources(),
        ResourceKeys.resource(event.getKind(), event.getNamespace(), event.getName()),
        event);
  }

  public static Header header(String name, String value) {
    return new org.apache.kafka.common.header.internals.RecordHeader(
        name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
