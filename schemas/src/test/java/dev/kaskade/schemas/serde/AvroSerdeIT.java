package dev.kaskade.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceRequest;
import dev.kaskade.events.InferenceResponse;
import dev.kaskade.kafka.embedded.SharedKafka;
import dev.kaskade.schemas.error.Reason;
import dev.kaskade.schemas.registry.HttpSchemaRegistryClient;
import dev.kaskade.schemas.registry.server.SchemaRegistryServer;
import dev.kaskade.schemas.testing.RegistryFixtures;
import dev.kaskade.schemas.testing.SampleEvents;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serdes against the real embedded registry and broker. */
class AvroSerdeIT {
  private static SchemaRegistryServer server;
  private static HttpSchemaRegistryClient registry;

  @BeforeAll
  static void start() {
    server = RegistryFixtures.startRegistry();
    registry = new HttpSchemaRegistryClient(server.url());
  }

  @AfterAll
  static void stop() {
    registry.close();
    server.close();
  }

  private static String newTopic(String what) {
    return "serde-it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void everyEventTypeRoundTripsThroughKafka() {
    for (Class<? extends SpecificRecord> type : SampleEvents.EVENT_TYPES) {
      assertRoundTrip(type);
    }
  }

  private <T extends SpecificRecord> void assertRoundTrip(Class<T> type) {
    String topic = newTopic(type.getSimpleName().toLowerCase());
    T record = SampleEvents.full(type);
    byte[] bytes = new AvroSerializer<T>(registry).serialize(topic, record);

    byte[] received = produceAndConsume(topic, bytes).value();

    T decoded = new AvroDeserializer<>(registry, type).deserialize(topic, received);
    assertThat(decoded).as(type.getSimpleName()).isEqualTo(record);
  }

  @Test
  void kaskadeSerdesRoundTripWithFreshClients() {
    String topic = newTopic("serdes");
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setId("req-1")
            .setModel("iris")
            .setInputs(List.of(SampleEvents.fp32Tensor("input-0")))
            .build();
    try (Serde<InferenceRequest> writer = KaskadeSerdes.of(registry, InferenceRequest.class);
        var otherClient = new HttpSchemaRegistryClient(server.url());
        Serde<InferenceRequest> reader = KaskadeSerdes.of(otherClient, InferenceRequest.class)) {
      byte[] bytes = writer.serializer().serialize(topic, request);
      byte[] received = produceAndConsume(topic, bytes).value();
      assertThat(reader.deserializer().deserialize(topic, received)).isEqualTo(request);
    }
  }

  @Test
  void framesRecordsWithMagicByteAndTheIdOfTheTopicValueSubject() {
    String topic = newTopic("wire");
    byte[] bytes =
        new AvroSerializer<InferenceResponse>(registry)
            .serialize(topic, SampleEvents.full(InferenceResponse.class));

    var latest =
        RegistryFixtures.get(server.url() + "/subjects/" + topic + "-value/versions/latest");
    assertThat(latest.status()).isEqualTo(200);
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest.body().path("id").asInt());
  }

  @Test
  void unknownMagicByteFailsNamingTheTopic() {
    String topic = newTopic("magic");
    byte[] bytes =
        new AvroSerializer<InferenceRequest>(registry)
            .serialize(topic, SampleEvents.full(InferenceRequest.class));
    bytes[0] = 7;
    var deserializer = new AvroDeserializer<>(registry, InferenceRequest.class);

    assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
        .isInstanceOf(SerializationFailure.class)
        .hasMessageContaining(topic)
        .hasMessageContaining("magic byte 7");
  }

  @Test
  void unknownSchemaIdFailsNamingTheTopic() {
    String topic = newTopic("unknown-id");
    byte[] bytes = new byte[] {0, 0x7f, 0, 0, 1, 2, 3};
    var deserializer = new AvroDeserializer<>(registry, InferenceRequest.class);

    assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
        .isInstanceOf(SerializationFailure.class)
        .hasMessageContaining(topic)
        .hasMessageContaining("unknown schema id " + 0x7f000001);
  }

  @Test
  void consumerSideDescriptionNamesTopicPartitionAndOffset() {
    String topic = newTopic("poison");
    ConsumerRecord<byte[], byte[]> poison = produceAndConsume(topic, new byte[] {9, 9, 9, 9, 9, 9});
    var deserializer = new AvroDeserializer<>(registry, InferenceRequest.class);

    SerializationFailure failure = null;
    try {
      deserializer.deserialize(poison.topic(), poison.value());
    } catch (SerializationFailure e) {
      failure = e;
    }

    assertThat(failure).isNotNull();
    String description = PoisonRecords.describe(poison, failure);
    assertThat(description)
        .contains(topic + "-" + poison.partition() + "@" + poison.offset())
        .contains("magic byte 9");
    var deadLetter =
        PoisonRecords.deadLetter("deadletter-it", poison, Reason.INVALID_ARGUMENT, description);
    assertThat(deadLetter.value()).isEqualTo(poison.value());
  }

  /** Produces one record to a fresh topic and reads it back. */
  private static ConsumerRecord<byte[], byte[]> produceAndConsume(String topic, byte[] value) {
    String bootstrap = SharedKafka.get().bootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "k".getBytes(), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "serde-it-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
              });
      return received.getFirst();
    }
  }
}
