package dev.kaskade.processors.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.DriftAlert;
import dev.kaskade.events.InferenceRequest;
import dev.kaskade.processors.StreamProcessorsComponent;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.testing.ItEnvironment;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroDeserializer;
import dev.kaskade.schemas.serde.AvroSerializer;
import dev.kaskade.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The drift state (a reference learned from traffic, a half-full window) lives in changelogged
 * stores: a monitor restarted on an empty state directory restores it from Kafka and closes the
 * window with the rows it saw before the restart, exactly once.
 */
class MonitorRestoreIT {
  private static final String NS = "ns";
  private static final String MODEL = "mon";
  private static final String MONITOR =
      "{\"drift\":{\"reference_size\":60,\"window\":40,\"alpha\":0.05}}";

  @Test
  void shouldRestoreLearnedReferenceAndOpenWindowOnAFreshStateDirectory() throws Exception {
    String prefix = "mrit" + Long.toHexString(System.nanoTime() & 0xffffff);
    Map<String, String> settings =
        Map.of("processors.enabled", "monitor", "processors.exactly.once", "true");
    KaskadeContext first = ItEnvironment.context(prefix, settings);
    Topics topics = first.topics();
    first.provisioner().ensure(first.topicSpecs().platformTopics());
    first.provisioner().ensure(first.topicSpecs().inferenceServiceTopics(NS, MODEL, "mon-p-1"));
    Random random = new Random(5);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ClientConfigs.producer(first.bootstrapServers(), 1 << 24))) {
      var isvc = Fixtures.resource(NS, MODEL, Fixtures.withMonitor("mon-p-1", MONITOR));
      producer.send(
          new ProducerRecord<>(
              topics.controlResources(),
              ResourceKeys.resource("InferenceService", NS, MODEL),
              new AvroSerializer<>(first.registry()).serialize(topics.controlResources(), isvc)));
      try (StreamProcessorsComponent monitor =
          new StreamProcessorsComponent(first, new SimpleMeterRegistry())) {
        monitor.start();
        send(producer, first, random, 60, 0, "ref"); // the reference
        send(producer, first, random, 25, 3.0, "w1"); // 25 of the window's 40 rows
        awaitCommittedWindowOf(first, prefix + "-monitor", 25);
      }

      KaskadeContext second = ItEnvironment.context(prefix, settings); // new, empty state dir
      try (StreamProcessorsComponent monitor =
          new StreamProcessorsComponent(second, new SimpleMeterRegistry())) {
        monitor.start();
        send(producer, second, random, 15, 3.0, "w2");

        List<DriftAlert> alerts = awaitAlerts(second, 2);
        assertThat(alerts).extracting(DriftAlert::getFeature).containsExactly("f0", "f1");
        assertThat(alerts.get(0).getSampleSize()).isEqualTo(40);
        assertThat(alerts.get(0).getDrift()).isTrue();
        assertThat(alerts.get(1).getDrift()).isFalse();
      }
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      KaskadeContext ctx,
      Random random,
      int rows,
      double shift,
      String idPrefix) {
    String topic = ctx.topics().predictor(NS, MODEL, "mon-p-1");
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(ctx.registry());
    for (int i = 0; i < rows; i++) {
      String id = idPrefix + i;
      double[][] row = {{random.nextGaussian() + shift, random.nextGaussian()}};
      producer.send(
          new ProducerRecord<>(
              topic, id, serializer.serialize(topic, Fixtures.request(id, MODEL, row))));
    }
    producer.flush();
  }

  /** Waits until a committed changelog record of the counters says the window holds n rows. */
  private static void awaitCommittedWindowOf(KaskadeContext ctx, String applicationId, int n) {
    String changelog = applicationId + "-" + MonitorTopology.META_STORE + "-changelog";
    var config = ClientConfigs.consumer(ctx.bootstrapServers(), null, 1 << 24);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !consumer.partitionsFor(changelog).isEmpty());
      consumer.assign(
          consumer.partitionsFor(changelog).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(changelog, p.partition()))
              .toList());
      consumer.seekToBeginning(consumer.assignment());
      String expected = "\"win\":" + n + ",";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                  if (r.value() != null
                      && new String(r.value(), StandardCharsets.UTF_8).contains(expected)) {
                    return true;
                  }
                }
                return false;
              });
    }
  }

  private static List<DriftAlert> awaitAlerts(KaskadeContext ctx, int count) {
    var config = ClientConfigs.consumer(ctx.bootstrapServers(), null, 1 << 24);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroDeserializer<DriftAlert> d = new AvroDeserializer<>(ctx.registry(), DriftAlert.class);
    List<DriftAlert> alerts = new ArrayList<>();
    String topic = ctx.topics().monitorDrift();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList());
      consumer.seekToBeginning(consumer.assignment());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(r -> alerts.add(d.deserialize(r.topic(), r.value())));
                return alerts.size() >= count;
              });
      // nothing more: one window, one alert per feature
      consumer
          .poll(Duration.ofSeconds(2))
          .forEach(r -> alerts.add(d.deserialize(r.topic(), r.value())));
    }
    return alerts;
  }
}
