package dev.kaskade.workers;

import static dev.kaskade.workers.testing.Fixtures.inferenceService;
import static dev.kaskade.workers.testing.Fixtures.predictor;
import static dev.kaskade.workers.testing.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kaskade.events.InferenceResponse;
import dev.kaskade.schemas.runtime.KaskadeContext;
import dev.kaskade.workers.testing.KafkaTestEnv;
import dev.kaskade.workers.testing.LinearModel;
import dev.kaskade.workers.testing.TopicReader;
import dev.kaskade.workers.testing.TopicReader.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** At-least-once: a worker that dies mid-batch loses nothing; a replica answers instead. */
class WorkerFailoverIT {
  private static final String NS = "default";

  @Test
  void anotherReplicaAnswersWhatAWorkerKilledMidBatchHadTaken() throws Exception {
    String prefix = KafkaTestEnv.uniquePrefix();
    KaskadeContext ctxA = KafkaTestEnv.context(prefix, Map.of("worker.id", "a"));
    KaskadeContext ctxB = KafkaTestEnv.context(prefix, Map.of("worker.id", "b"));
    KafkaTestEnv.publish(
        ctxA, inferenceService(NS, "ft", predictor("ft-predictor-1", "mem://ft", null)));
    String topic = ctxA.topics().predictor(NS, "ft", "ft-predictor-1");
    LinearModel hanging = new LinearModel();
    hanging.blockNextCalls();
    Set<String> ids = ids(12);

    try (var responses =
        new TopicReader<>(ctxA.topics().responses(NS, "ft"), InferenceResponse.class)) {
      WorkerComponent a = new WorkerComponent(ctxA, new SimpleMeterRegistry(), load -> hanging);
      a.start();
      for (String id : ids) {
        KafkaTestEnv.send(topic, id, request(id, "ft", new float[] {1, 2, 3, 4}));
      }
      assertThat(hanging.blocked().await(30, TimeUnit.SECONDS)).isTrue();
      a.close(); // killed mid-batch: nothing answered, nothing committed
      assertThat(responses.poll()).isEmpty();

      try (WorkerComponent b =
          new WorkerComponent(ctxB, new SimpleMeterRegistry(), load -> new LinearModel())) {
        b.start();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> responses.poll().stream().map(Received::key).collect(Collectors.toSet()),
                answered -> answered.containsAll(ids));
      }
      List<Received<InferenceResponse>> all = responses.poll();
      Set<String> answered =
          all.stream().map(Received::key).collect(Collectors.toCollection(TreeSet::new));
      assertThat(answered).isEqualTo(ids);
      assertThat(all).allSatisfy(r -> assertThat(r.value().getError()).isNull());
    }
  }

  @Test
  void aWorkerStoppedCleanlyHasCommittedEveryAnswerEvenBetweenPeriodicCommits() throws Exception {
    String prefix = KafkaTestEnv.uniquePrefix();
    // Periodic commits a minute apart: only the stop's own commit can move the group to the end.
    KaskadeContext ctx =
        KafkaTestEnv.context(
            prefix, Map.of("worker.id", "a", WorkerConfig.COMMIT_INTERVAL_MS, "60000"));
    KafkaTestEnv.publish(
        ctx, inferenceService(NS, "cs", predictor("cs-predictor-1", "mem://cs", null)));
    String topic = ctx.topics().predictor(NS, "cs", "cs-predictor-1");
    Set<String> ids = ids(12);

    try (var responses =
        new TopicReader<>(ctx.topics().responses(NS, "cs"), InferenceResponse.class)) {
      WorkerComponent worker =
          new WorkerComponent(ctx, new SimpleMeterRegistry(), load -> new LinearModel());
      worker.start();
      for (String id : ids) {
        KafkaTestEnv.send(topic, id, request(id, "cs", new float[] {1, 2, 3, 4}));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> responses.poll().stream().map(Received::key).collect(Collectors.toSet()),
              answered -> answered.containsAll(ids));
      assertThat(committed(ctx, topic)).isLessThan(endOffset(topic));

      worker.close();

      assertThat(committed(ctx, topic)).isEqualTo(endOffset(topic));
    }
  }

  private static Set<String> ids(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "req-" + i)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The worker group's committed offsets on the topic, summed; -1 while it has none. */
  private static long committed(KaskadeContext ctx, String topic) throws Exception {
    var offsets =
        KafkaTestEnv.admin()
            .listConsumerGroupOffsets(
                "kaskade-worker-%s-%s-%s".formatted(NS, "cs", "cs-predictor-1"))
            .partitionsToOffsetAndMetadata()
            .get();
    long sum = -1;
    for (var entry : offsets.entrySet()) {
      if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
        sum = Math.max(sum, 0) + entry.getValue().offset();
      }
    }
    return sum;
  }

  private static long endOffset(String topic) throws Exception {
    var admin = KafkaTestEnv.admin();
    var partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
        new java.util.HashMap<>();
    partitions.forEach(
        p ->
            latest.put(
                new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                org.apache.kafka.clients.admin.OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().values().stream()
        .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset)
        .sum();
  }
}
