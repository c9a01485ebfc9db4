package dev.kaskade.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.ResourceEvent;
import dev.kaskade.processors.testing.Fixtures;
import dev.kaskade.processors.testing.ItEnvironment;
import dev.kaskade.schemas.kafka.ClientConfigs;
import dev.kaskade.schemas.kafka.ResourceKeys;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The transformer and monitor applications start only once an InferenceService needs them: a
 * processors instance with only plain InferenceServices holds no Streams group at all.
 */
class OnDemandStreamsIT {
  @Test
  void eachStreamsApplicationStartsWhenTheFirstInferenceServiceNeedsIt() throws Exception {
    String prefix = "odit" + Long.toHexString(System.nanoTime() & 0xffffff);
    KaskadeContext ctx =
        ItEnvironment.context(prefix, Map.of("processors.enabled", "transformer,monitor"));
    ctx.provisioner().ensure(ctx.topicSpecs().platformTopics());
    try (Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ItEnvironment.bootstrap()));
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(ClientConfigs.producer(ItEnvironment.bootstrap(), 1 << 20));
        StreamProcessorsComponent processors =
            new StreamProcessorsComponent(ctx, new SimpleMeterRegistry())) {
      publish(ctx, producer, Fixtures.resource("default", "plain", Fixtures.isvc("p-1").build()));
      processors.start();
      Thread.sleep(3 * StreamProcessorsComponent.ON_DEMAND_CHECK_MS + 1000);

      assertThat(processors.waitingForDemand()).containsExactlyInAnyOrder("transformer", "monitor");
      assertThat(groups(admin, prefix)).isEmpty();

      publish(
          ctx,
          producer,
          Fixtures.resource(
              "default", "t", Fixtures.withTransformer("t-1", "[{\"op\":\"identity\"}]")));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> groups(admin, prefix), g -> g.contains(prefix + "-transformer"));
      assertThat(processors.waitingForDemand()).containsExactly("monitor");
      assertThat(groups(admin, prefix)).doesNotContain(prefix + "-monitor");
    }
  }

  private static void publish(
      KaskadeContext ctx, KafkaProducer<String, byte[]> producer, ResourceEvent event)
      throws Exception {
    String topic = ctx.topics().controlResources();
    producer
        .send(
            new ProducerRecord<>(
                topic,
                ResourceKeys.resource("InferenceService", event.getNamespace(), event.getName()),
                new AvroSerializer<>(ctx.registry()).serialize(topic, event)))
        .get();
  }

  /** The consumer groups of this test's Streams applications. */
  private static Set<String> groups(Admin admin, String prefix) throws Exception {
    return admin.listGroups().all().get().stream()
        .map(GroupListing::groupId)
        .filter(id -> id.startsWith(prefix + "-"))
        .collect(Collectors.toSet());
  }
}
